//! Stage 4: journals read back: runs, decisions, branch coverage of drills.

pub mod coverage;
pub mod json;
pub mod markdown;
pub mod postmortem;
pub mod run;
pub mod stats;
pub mod timeline;

use crate::exec::journal::{Event, Record};
use std::path::{Path, PathBuf};

/// The records of a journal. A torn last line (the process was killed while writing it) is
/// left out and reported as `true`; every complete line before it is kept.
pub fn read_journal(path: &Path) -> std::io::Result<(Vec<Record>, bool)> {
    let text = std::fs::read_to_string(path)?;
    let (records, torn) = crate::exec::journal::parse(&text).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{}: {e}", path.display()),
        )
    })?;
    Ok((records, torn.is_some()))
}

/// Every run folder's journal under a state folder, oldest first (run ids sort by time).
pub fn journals(state_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(state_dir.join("runs")) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path().join("journal.jsonl"))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

/// The runbook name and mode of a run, from its first event.
pub fn started(records: &[Record]) -> Option<(&str, crate::exec::journal::Mode)> {
    records.iter().find_map(|r| match &r.event {
        Event::RunStarted { runbook, mode, .. } => Some((runbook.as_str(), *mode)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.jsonl");
        let good =
            r#"{"ts":"2026-01-01T00:00:00.000Z","seq":1,"event":"note","step":"a","text":"x"}"#;
        std::fs::write(&path, format!("{good}\n{{\"ts\":\"2026")).unwrap();
        let (records, torn) = read_journal(&path).unwrap();
        assert_eq!((records.len(), torn), (1, true));
        std::fs::write(&path, format!("garbage\n{good}\n")).unwrap();
        assert!(read_journal(&path).is_err());
    }
}
