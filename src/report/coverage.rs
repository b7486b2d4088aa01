//! Which branches of a runbook's decisions have been walked in drills.

use super::{journals, read_journal, started};
use crate::exec::journal::{Event, Mode};
use crate::load::Runbook;
use std::collections::BTreeSet;
use std::path::Path;

/// For each `choose` step: its id, its option labels, and which of them drills have taken.
pub struct Coverage {
    pub decisions: Vec<(String, Vec<String>, BTreeSet<String>)>,
    pub drills: usize,
}

impl Coverage {
    pub fn walked(&self) -> usize {
        self.decisions.iter().map(|(_, _, taken)| taken.len()).sum()
    }

    pub fn total(&self) -> usize {
        self.decisions
            .iter()
            .map(|(_, options, _)| options.len())
            .sum()
    }
}

/// Reads every drill of `name` in the state folder.
pub fn coverage(state_dir: &Path, name: &str, runbook: &Runbook) -> Coverage {
    let mut taken: Vec<(String, String)> = Vec::new();
    let mut drills = 0;
    for path in journals(state_dir) {
        let Ok((records, _)) = read_journal(&path) else {
            continue;
        };
        if started(&records) != Some((name, Mode::Drill)) {
            continue;
        }
        drills += 1;
        for r in records.iter().filter(|r| r.within.is_empty()) {
            if let Event::Decision { step, label, .. } = &r.event {
                taken.push((step.clone(), label.clone()));
            }
        }
    }
    of(runbook, &taken, drills)
}

/// The coverage of `runbook` given the decisions `taken` (step, option label) in `drills`.
pub fn of(runbook: &Runbook, taken: &[(String, String)], drills: usize) -> Coverage {
    let decisions = runbook
        .steps
        .iter()
        .filter_map(|s| {
            let choose = s.choose.as_ref()?;
            let id = s.id();
            let labels: Vec<String> = choose
                .value
                .options
                .iter()
                .filter_map(|o| o.label.as_ref().map(|l| l.value.clone()))
                .collect();
            let walked = taken
                .iter()
                .filter(|(step, _)| *step == id)
                .map(|(_, l)| l.clone())
                .filter(|l| labels.contains(l))
                .collect();
            Some((id, labels, walked))
        })
        .collect();
    Coverage { decisions, drills }
}
