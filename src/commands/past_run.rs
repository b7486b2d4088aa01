//! A past run, found and opened again for `resume` and `rollback`: its folder by id or
//! prefix, its journal locked and replayed, the values it ran with, what changed in its
//! runbook since, and the rollbacks it can still offer.

use super::{EXIT_USAGE, report_error};
use crate::exec::executor::{Completed, completed_rollback};
use crate::exec::inputs::{self, InputValue};
use crate::exec::interactive::Terminal;
use crate::exec::journal::{self, Journal, JournalError};
use crate::exec::replay::{Replay, replay};
use crate::exec::scripted::Scripted;
use crate::exec::step_dir::StepDir;
use crate::load::Runbook;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder of a run: by id or unique prefix, or (with `None`) the latest one for which
/// `pick` holds.
pub fn find_run(
    state_dir: &Path,
    wanted: Option<&str>,
    pick: impl Fn(&Replay) -> bool,
) -> Result<PathBuf, String> {
    let runs = state_dir.join("runs");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&runs)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    match wanted {
        Some(prefix) => {
            let matching: Vec<&PathBuf> = dirs
                .iter()
                .filter(|d| {
                    d.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
                })
                .collect();
            match matching.as_slice() {
                [one] => Ok((*one).clone()),
                [] => Err(format!("no run matches `{prefix}` in `{}`", runs.display())),
                many => Err(format!(
                    "`{prefix}` matches {} runs: {}",
                    many.len(),
                    many.iter()
                        .filter_map(|d| d.file_name())
                        .map(|n| n.to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
        None => dirs
            .iter()
            .rev()
            .find(|d| {
                crate::report::read_journal(&d.join("journal.jsonl"))
                    .is_ok_and(|(records, _)| pick(&replay(&records)))
            })
            .cloned()
            .ok_or_else(|| format!("no such run in `{}`", runs.display())),
    }
}

/// A run opened to be driven again (`resume`, `rollback`): its folder, its journal (locked
/// while this process holds it), the replay of its records, and the torn last line that
/// opening removed, if any.
pub struct OpenRun {
    pub dir: PathBuf,
    pub journal: Journal,
    pub replay: Replay,
    pub torn: Option<String>,
}

/// Finds a run (see [`find_run`]) and opens its journal; the errors are reported here.
pub fn open_run(
    state_dir: Option<&Path>,
    wanted: Option<&str>,
    pick: impl Fn(&Replay) -> bool,
) -> Result<OpenRun, i32> {
    let state_dir = journal::state_dir(state_dir);
    let dir = find_run(&state_dir, wanted, pick).map_err(|e| {
        fail(
            &e,
            "`runbook history` lists the runs; give a run id (or the first characters of one)",
        )
    })?;
    let (journal, records, torn) = Journal::open(&dir, &[]).map_err(|e| match e {
        JournalError::Locked { run, holder } => fail(
            &format!("run `{run}` is being driven by another process: {holder}"),
            "wait for it to finish, or ask its operator; a run has one driver at a time",
        ),
        other => fail(&other.to_string(), "check the state folder"),
    })?;
    Ok(OpenRun {
        dir,
        journal,
        replay: replay(&records),
        torn,
    })
}

/// The inputs of a run being driven again: those the journal recorded, then `--input`, then
/// what the runbook's defaults and the operator give (secrets were never journaled, so they
/// are asked again).
pub fn known_values(
    rb: &Runbook,
    r: &Replay,
    operator: &mut Scripted<Terminal>,
) -> Result<BTreeMap<String, InputValue>, i32> {
    let mut given = r.known_inputs();
    given.extend(operator.inputs.clone());
    given.retain(|k, _| rb.input(k).is_some());
    inputs::resolve(rb, &given, operator).map_err(|e| fail(&e.to_string(), &e.help()))
}

/// What changed between the runbook a run started with and the one on disk now.
pub fn changes(before: &str, now: &Runbook, now_text: &str) -> String {
    let old = crate::load::load_bytes(Path::new("runbook.yaml"), before.as_bytes().to_vec());
    let Some(old_rb) = old.runbook else {
        return "the runbook the run started with can no longer be read".into();
    };
    let text_of = |rb: &Runbook, text: &str, id: &str| {
        rb.step(id)
            .map(|s| text.get(s.span.start..s.span.end).unwrap_or("").to_string())
    };
    let old_ids: Vec<String> = old_rb.steps.iter().map(|s| s.id()).collect();
    let new_ids: Vec<String> = now.steps.iter().map(|s| s.id()).collect();
    let added: Vec<&String> = new_ids.iter().filter(|i| !old_ids.contains(i)).collect();
    let removed: Vec<&String> = old_ids.iter().filter(|i| !new_ids.contains(i)).collect();
    let edited: Vec<&String> = new_ids
        .iter()
        .filter(|i| old_ids.contains(i) && text_of(&old_rb, before, i) != text_of(now, now_text, i))
        .collect();
    let list = |ids: &[&String]| {
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("steps added: {}", list(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("steps removed: {}", list(&removed)));
    }
    if !edited.is_empty() {
        parts.push(format!("steps edited: {}", list(&edited)));
    }
    if parts.is_empty() {
        "no step changed (only other parts of the file)".into()
    } else {
        parts.join("; ")
    }
}

pub fn fail(message: &str, help: &str) -> i32 {
    report_error(message, help);
    EXIT_USAGE
}

pub use crate::exec::journal::short_id as short;

/// The rollbacks the replayed run can still offer, oldest first.
pub fn rollbacks(
    rb: &Runbook,
    path: &Path,
    r: &Replay,
    values: &BTreeMap<String, InputValue>,
) -> Vec<Completed> {
    let folder = crate::exec::executor::folder_of(path);
    r.completed
        .iter()
        .filter(|(step, state)| {
            !r.rolled_back
                .iter()
                .any(|(s, item)| s == step && *item == state.item)
        })
        .filter_map(|(id, state)| {
            let step = rb.step(id)?;
            let shell = step
                .shell
                .as_ref()
                .or(rb.shell.as_ref())
                .map_or(crate::load::Shell::Bash, |s| s.value.clone());
            let state =
                crate::exec::replay::with_inputs(state, rb, values.clone(), &state.operator);
            // (Its `dir:` rendered with the values the step ran with, as its script is.)
            let dir = StepDir::of(rb, step, &state.context(None));
            let mut c = completed_rollback(rb, step, &state, &shell, (&dir, &folder), &[])?;
            if step.on.is_some() {
                // Where it completed, newest first, at the addresses it ran on (never
                // looked up again, never here instead).
                let hosts: Vec<crate::fleet::Target> = r
                    .hosts_ok
                    .get(id)
                    .map(|h| h.iter().rev().cloned().collect())
                    .unwrap_or_default();
                if hosts.is_empty() {
                    eprintln!(
                        "warning: the rollback of `{id}` cannot be offered: the journal names no host where it completed"
                    );
                    return None;
                }
                c.hosts = hosts;
            }
            Some(c)
        })
        .collect()
}
