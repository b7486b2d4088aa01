//! Rebuilding a run from its journal (SPEC §4): the journal is the source of truth, and
//! `resume` and `rollback` are replays of it.

use super::inputs::InputValue;
use super::journal::{Event, Mode, Record, RunStatus, StepStatus};
use super::state::RunState;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a journal says about a run.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    pub run_id: String,
    pub runbook: String,
    pub path: String,
    pub sha256: String,
    pub mode: Option<Mode>,
    /// Everyone who drove the run, in order.
    pub operators: Vec<String>,
    /// Input values as journaled (secrets are `***` and must be given again).
    pub inputs: BTreeMap<String, String>,
    pub state: RunState,
    /// Completed steps (status ok) with the state they completed in, oldest first.
    pub completed: Vec<(String, RunState)>,
    /// Steps (with the item, for `for_each`) whose rollback already ran and succeeded.
    pub rolled_back: Vec<(String, Option<String>)>,
    /// A step on several hosts: the hosts where it completed, in the order they did, with
    /// the address, port and user ssh reached them at.
    pub hosts_ok: std::collections::BTreeMap<String, Vec<crate::fleet::Target>>,
    /// … and those of the visit the run stopped in, with what `capture` read there (a
    /// resume does not run them again).
    pub hosts_in_visit: std::collections::BTreeMap<String, Vec<(String, Option<String>)>>,
    /// How many times each step was entered (a `for_each` item after the first is the same
    /// visit): a resume goes on counting, so that answers given in advance stay one visit's.
    pub visits: BTreeMap<String, u32>,
    /// The step of the last `step_finished`.
    pub last_finished: Option<String>,
    /// A step that started and never finished.
    pub in_progress: Option<String>,
    /// Where the walk goes next: a step id or `end`; `None` before the first step.
    pub next: Option<String>,
    pub finished: Option<RunStatus>,
    pub last_seq: u64,
    /// For a step with `for_each` whose visit did not end: the items that succeeded.
    pub done_items: BTreeMap<String, Vec<String>>,
    /// Secrets made during the run (`secret` captures, outputs, `secret_env`), which the
    /// journal holds masked and a resume cannot use: (the step that made it, `vars.x` or
    /// `$X`).
    pub lost_secrets: Vec<(String, String)>,
}

/// Folds a run's records into its state. Only the top-level runbook's events count; a
/// sub-runbook that was interrupted is run again as a whole.
pub fn replay(records: &[Record]) -> Replay {
    let mut r = Replay::default();
    for record in records {
        r.last_seq = record.seq;
        match &record.event {
            Event::RunStarted {
                run_id,
                runbook,
                path,
                sha256,
                operator,
                inputs,
                mode,
                ..
            } => {
                r.run_id = run_id.clone();
                r.runbook = runbook.clone();
                r.path = path.clone();
                r.sha256 = sha256.clone();
                r.mode = Some(*mode);
                r.operators.push(operator.clone());
                r.inputs = inputs.clone();
                r.state.run_id = run_id.clone();
                r.state.mode = mode.as_str().to_string();
            }
            Event::RunResumed {
                operator, sha256, ..
            } => {
                if !r.operators.contains(operator) {
                    r.operators.push(operator.clone());
                }
                if let Some(sha) = sha256 {
                    r.sha256 = sha.clone();
                }
            }
            Event::RunFinished { status, .. } => r.finished = Some(*status),
            _ if !record.within.is_empty() => {}
            Event::StepStarted { step, .. } => {
                // A retry or the next item of `for_each` (the step led to itself) is the
                // same visit.
                let again = r.last_finished.as_deref() == Some(step.as_str())
                    && r.next.as_deref() == Some(step.as_str());
                if !again {
                    *r.visits.entry(step.clone()).or_default() += 1;
                }
                // Each item of `for_each`, each entry of the step: its own hosts.
                r.hosts_in_visit.remove(step);
                r.in_progress = Some(step.clone());
            }
            Event::VarSet {
                step,
                name,
                value,
                secret,
                map,
            } => {
                let maps = Arc::make_mut(&mut r.state.maps);
                if *map {
                    maps.insert(name.clone());
                } else {
                    maps.remove(name);
                }
                let vars = Arc::make_mut(&mut r.state.vars);
                let shown = format!("vars.{name}");
                keep(
                    vars,
                    &mut r.lost_secrets,
                    (step, name, shown),
                    value,
                    *secret,
                );
            }
            Event::EnvSet {
                step,
                name,
                value,
                secret,
            } => {
                let env = Arc::make_mut(&mut r.state.env);
                let shown = format!("${name}");
                keep(
                    env,
                    &mut r.lost_secrets,
                    (step, name, shown),
                    value,
                    *secret,
                );
            }
            Event::StepFinished {
                step,
                status,
                exit_code,
                next,
                item,
                ..
            } => {
                // `for_each`: an item done, with more to come (its `next` is the step).
                match item {
                    Some(item) if next.as_deref() == Some(step.as_str()) => {
                        if *status == StepStatus::Ok {
                            r.done_items
                                .entry(step.clone())
                                .or_default()
                                .push(item.clone());
                        }
                    }
                    // Aborted at an item: a resume goes on with the items left.
                    Some(_) if next.as_deref() == Some("abort") => {}
                    _ => {
                        r.done_items.remove(step);
                    }
                }
                Arc::make_mut(&mut r.state.steps).insert(step.clone(), (*status, *exit_code));
                // A step on several hosts that failed, or was skipped, still changed the
                // hosts where it completed: their rollback is offered too.
                let on_some_hosts = r.hosts_in_visit.get(step).is_some_and(|h| !h.is_empty());
                if *status == StepStatus::Ok || on_some_hosts {
                    let mut state = r.state.clone();
                    state.item = item.clone();
                    r.completed.push((step.clone(), state));
                }
                r.in_progress = None;
                r.next = next.clone();
                r.last_finished = Some(step.clone());
            }
            // Only a rollback that ran and succeeded is done: one declined (at the prompt, or
            // for want of a terminal to confirm it) or failed is still to do.
            // On several hosts: that host is undone; the step once every host is.
            Event::Rollback {
                step,
                status: StepStatus::Ok,
                item,
                host: Some(host),
                ..
            } => {
                if let Some(hosts) = r.hosts_ok.get_mut(step) {
                    hosts.retain(|h| h.name != *host);
                    if hosts.is_empty() {
                        r.rolled_back.push((step.clone(), item.clone()));
                    }
                }
            }
            Event::Rollback {
                step,
                status: StepStatus::Ok,
                item,
                ..
            } => r.rolled_back.push((step.clone(), item.clone())),
            Event::HostFinished {
                step,
                host,
                status: StepStatus::Ok,
                value,
                address,
                port,
                user,
                ..
            } => {
                let hosts = r.hosts_ok.entry(step.clone()).or_default();
                hosts.retain(|h| h.name != *host);
                hosts.push(crate::fleet::Target {
                    name: host.clone(),
                    address: address.clone(),
                    port: *port,
                    user: user.clone(),
                });
                let visit = r.hosts_in_visit.entry(step.clone()).or_default();
                visit.retain(|(h, _)| h != host);
                visit.push((host.clone(), value.clone()));
            }
            _ => {}
        }
    }
    r
}

/// Keeps a value the journal set, or, for a secret (journaled masked), notes that it is lost.
fn keep(
    values: &mut BTreeMap<String, String>,
    lost: &mut Vec<(String, String)>,
    (step, name, shown): (&str, &str, String),
    value: &str,
    secret: bool,
) {
    lost.retain(|(_, n)| *n != shown);
    if secret {
        values.remove(name);
        lost.push((step.to_string(), shown));
    } else {
        values.insert(name.to_string(), value.to_string());
    }
}

impl Replay {
    /// The journaled input values that can be used again (not the masked secrets).
    pub fn known_inputs(&self) -> BTreeMap<String, String> {
        self.inputs
            .iter()
            .filter(|(_, v)| v.as_str() != "***")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The state to go on from, with the inputs resolved again and the runbook's starting
    /// environment (input exports and `env`) under what the steps wrote.
    pub fn state_with(
        &self,
        rb: &crate::load::Runbook,
        inputs: BTreeMap<String, InputValue>,
        operator: &str,
    ) -> RunState {
        with_inputs(&self.state, rb, inputs, operator)
    }
}

/// A replayed state made ready to render: inputs, operator, starting environment.
pub fn with_inputs(
    state: &RunState,
    rb: &crate::load::Runbook,
    inputs: BTreeMap<String, InputValue>,
    operator: &str,
) -> RunState {
    let mut state = state.clone();
    state.inputs = inputs;
    state.operator = operator.to_string();
    // A template the runbook's `env` cannot render now was rendered when the run started;
    // the steps' own variables still apply.
    let _ = super::state::start_env(rb, &mut state);
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64, within: &[&str], event: Event) -> Record {
        Record {
            ts: String::new(),
            seq,
            within: within.iter().map(|s| s.to_string()).collect(),
            event,
        }
    }

    #[test]
    fn replay_rebuilds_position_vars_and_completed_steps() {
        let finished = |step: &str, next: &str| Event::StepFinished {
            step: step.into(),
            status: StepStatus::Ok,
            exit_code: Some(0),
            duration_ms: 1,
            reason: None,
            next: Some(next.into()),
            item: None,
        };
        let records = vec![
            record(
                1,
                &[],
                Event::StepStarted {
                    step: "a".into(),
                    index: 0,
                    title: "A".into(),
                    kind: "run".into(),
                    item: None,
                },
            ),
            record(
                2,
                &[],
                Event::VarSet {
                    step: "a".into(),
                    name: "ip".into(),
                    value: "10.0.0.1".into(),
                    secret: false,
                    map: false,
                },
            ),
            record(3, &[], finished("a", "c")),
            record(
                4,
                &["c"],
                Event::VarSet {
                    step: "x".into(),
                    name: "inner".into(),
                    value: "1".into(),
                    secret: false,
                    map: false,
                },
            ),
            record(
                5,
                &[],
                Event::StepStarted {
                    step: "c".into(),
                    index: 2,
                    title: "C".into(),
                    kind: "run".into(),
                    item: None,
                },
            ),
        ];
        let r = replay(&records);
        assert_eq!(r.in_progress.as_deref(), Some("c"));
        assert_eq!(r.next.as_deref(), Some("c"));
        assert_eq!(r.state.vars.get("ip").map(String::as_str), Some("10.0.0.1"));
        assert!(!r.state.vars.contains_key("inner"));
        assert_eq!(r.completed.len(), 1);
        assert_eq!(r.last_seq, 5);
    }
}
