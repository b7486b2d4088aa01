//! The team store seen from the commands that drive a run: the store's target read before
//! anything is written (a wrong URL is a usage error, found without the network), the
//! shipper started beside the journal, and what it got to the store said at the end.

use super::{EXIT_FAILED, EXIT_USAGE, report_error};
use crate::exec::journal::{self, Journal, Mode, short_id};
use crate::exec::operator::{Answer, AskError, Operator, Question};
use crate::exec::screen::{Screen, Status};
use crate::exec::tether::Tether;
use crate::store::conninfo::Target;
use crate::store::ship::{Notices, Shipper};
use crate::store::{ErrorKind, Store, lease, read};
use std::path::Path;
use std::time::Duration;

/// How long the end of a run waits for the shipper's last pass: the engineer is told what
/// is left, never kept waiting on the network.
const END_WAIT: Duration = Duration::from_secs(3);

/// The store in effect: `Ok(None)` without one; `Err(exit status)` when its URL cannot be
/// used (reported).
pub fn target() -> Result<Option<Target>, i32> {
    crate::store::target().map_err(|e| {
        report_error(&e.message, &e.help);
        EXIT_USAGE
    })
}

/// A run's shipping to the team store. Dropped, it finishes (see [`Team::finish`]): a
/// command with many ways out says what the store got on every one of them.
pub struct Team {
    shipper: Option<Shipper>,
    /// The run's lease as the walk sees it (`RunConfig::tether`).
    pub tether: Tether,
    notices: Notices,
    mode: Mode,
    shown: String,
}

impl Team {
    /// Starts shipping `journal`'s run to `target` under lease `generation` (1 for a new
    /// run); messages appear on `screen`.
    /// A past run claimed in the store ([`claim`]): the claim journaled, then shipped.
    pub fn resume(
        mut claim: Claim,
        journal: &mut Journal,
        screen: &mut Screen,
    ) -> Result<Team, i32> {
        // From here the shipper holds the lease, and lets go of it when the run stops.
        claim.held = None;
        use crate::exec::journal::{Event, LeaseChange};
        let event = Event::Lease {
            change: if claim.took_from.is_some() {
                LeaseChange::TookOver
            } else {
                LeaseChange::Acquired
            },
            generation: claim.generation,
            other: claim.took_from.clone(),
            since: None,
        };
        journal.append(event).map_err(|e| {
            report_error(&e.to_string(), "check the state folder");
            EXIT_FAILED
        })?;
        if let Some(from) = &claim.took_from {
            screen.status(
                Status::Warning,
                &format!(
                    "run taken over from {from} (lease generation {}): the store refuses that driver's events from now on",
                    claim.generation
                ),
            );
        }
        Ok(Team::start(
            claim.target.clone(),
            claim.generation,
            journal,
            screen,
        ))
    }

    pub fn start(
        target: Target,
        generation: u64,
        journal: &mut Journal,
        screen: &mut Screen,
    ) -> Team {
        let notices: Notices = Notices::default();
        let shown = target.shown.clone();
        let tether = Tether::new(&shown, generation);
        let shipper = Shipper::start(
            target,
            journal.dir().to_path_buf(),
            notices.clone(),
            tether.clone(),
        );
        journal.on_append(Box::new(shipper.waker()));
        screen.attach_notices(notices.clone());
        Team {
            shipper: Some(shipper),
            tether,
            notices,
            mode: screen.mode(),
            shown,
        }
    }

    /// After the run's last event: one last pass, waited for a moment, and a line saying
    /// whether the team store has the whole run.
    pub fn finish(&mut self) {
        let Some(shipper) = self.shipper.take() else {
            return;
        };
        let outcome = shipper.finish(END_WAIT);
        let mut screen = Screen::new(self.mode);
        screen.attach_notices(self.notices.clone());
        screen.show_notices();
        if outcome.complete {
            screen.line(&format!("store     {} · every event sent", self.shown));
        } else {
            let why = outcome.error.map(|e| format!(" ({e})")).unwrap_or_default();
            screen.status(
                Status::Warning,
                &format!(
                    "the team store {} does not have the whole run yet{why}: the journal keeps it; `runbook sync` sends it",
                    self.shown
                ),
            );
        }
    }
}

impl Drop for Team {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A past run claimed in the team store before it is driven again (`resume`, `rollback`).
pub struct Claim {
    pub target: Target,
    pub generation: u64,
    /// The driver whose expired lease was taken over.
    pub took_from: Option<String>,
    /// The run's id, once its lease is held here: let go if the claim is dropped unused
    /// (a `rollback` with nothing to roll back, an error before the walk).
    held: Option<String>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        if let Some(run_id) = self.held.take()
            && let Ok(mut store) = Store::connect(&self.target)
        {
            let _ = lease::release(&mut store.client, &run_id, self.generation as i64);
        }
    }
}

/// Before a past run is driven again with a team store: finds it (fetched from the store
/// when this machine does not have it, or has less of it than the store), checks its lease
/// and takes it. `Ok(None)`: no store, or no run to claim (opening it reports why).
/// A store out of reach never stops a run this machine has: it is said, and the run goes on
/// with this machine's journal (a driver elsewhere would be fenced off by the store).
pub fn claim(
    state_dir: &Path,
    wanted: Option<&str>,
    pick: impl Fn(&crate::exec::replay::Replay) -> bool,
    take_over: bool,
    operator: &mut dyn Operator,
) -> Result<Option<Claim>, i32> {
    let Some(target) = target()? else {
        return Ok(None);
    };
    let local = super::past_run::find_run(state_dir, wanted, pick).ok();
    let mut store = match Store::open(&target) {
        Ok(s) => s,
        Err(e) if e.kind == ErrorKind::Unreachable && local.is_some() => {
            report_error(
                &format!("{}: the run's lease cannot be checked", e.message),
                "going on with this machine's journal; if someone drives the run elsewhere, the store will refuse this driver's events once it is back",
            );
            let generation = local.as_deref().map_or(1, last_generation);
            return Ok(Some(Claim {
                target,
                generation,
                took_from: None,
                held: None,
            }));
        }
        Err(e) => {
            report_error(&e.message, &e.help);
            return Err(e.exit_code());
        }
    };
    let fail = |e: crate::store::StoreError| {
        report_error(&e.message, &e.help);
        if e.kind == ErrorKind::Query {
            EXIT_USAGE
        } else {
            e.exit_code()
        }
    };
    let id = match (&local, wanted) {
        (Some(dir), _) => dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        (None, Some(reference)) => read::resolve(&mut store, reference).map_err(fail)?,
        (None, None) => return Ok(None),
    };
    let short = short_id(&id).to_string();
    if let Some(dir) = &local
        && let Some(holder) = journal::held_by(dir)
    {
        report_error(
            &format!("run `{id}` is being driven by another process: {holder}"),
            "wait for it to finish, or ask its operator; a run has one driver at a time",
        );
        return Err(EXIT_USAGE);
    }
    let (generation, took_from) = match lease::standing(&mut store, &id).map_err(fail)? {
        lease::Standing::Fresh(l) => {
            report_error(
                &format!(
                    "run {short} is driven by {} on {}, since {}; its lease was renewed at {}",
                    l.who(),
                    l.host,
                    l.acquired_at,
                    l.renewed_at
                ),
                &format!(
                    "a run has one driver: ask them to stop, or, if they cannot be reached, wait until the lease expires (in {} s unless renewed), then `runbook resume {short} --take-over`",
                    (l.expires_in_ms.max(0) + 999) / 1000
                ),
            );
            return Err(EXIT_FAILED);
        }
        lease::Standing::Expired(l) if !take_over => {
            report_error(
                &format!(
                    "run {short} was driven by {} on {}, whose lease expired (last renewed at {}): the driver may be cut off, not stopped",
                    l.who(),
                    l.host,
                    l.renewed_at
                ),
                &format!(
                    "`runbook resume {short} --take-over` takes it over (the old driver is then refused by the store and stops)"
                ),
            );
            return Err(EXIT_FAILED);
        }
        lease::Standing::Expired(l) => {
            let typed = operator.ask(&Question::TakeOver {
                run: short.clone(),
                holder: format!("{} on {}", l.who(), l.host),
            });
            match typed {
                Ok(Answer::Text(t)) if t.trim() == short => {}
                Ok(_) | Err(AskError::Interrupted) => {
                    report_error(
                        &format!("run {short} was not taken over"),
                        &format!("type `{short}` exactly to take it"),
                    );
                    return Err(EXIT_FAILED);
                }
                Err(AskError::NoAnswer { what, help }) => {
                    report_error(
                        &format!("{what}, and there is no terminal to ask on"),
                        &help,
                    );
                    return Err(EXIT_USAGE);
                }
                Err(AskError::Terminal(e)) => {
                    report_error(&format!("the terminal failed: {e}"), "");
                    return Err(EXIT_FAILED);
                }
            }
            let generation = lease::take(&mut store, &id, Some(&l)).map_err(fail)?;
            (generation, Some(format!("{} on {}", l.who(), l.host)))
        }
        lease::Standing::Free(l) => {
            let generation = lease::take(&mut store, &id, l.as_ref()).map_err(fail)?;
            (generation, None)
        }
    };
    // This machine's copy: fetched when missing or behind the store's.
    let runs = state_dir.join("runs");
    let local_seq = local.as_deref().map_or(0, last_seq);
    let store_seq: i64 = store
        .client
        .query_one(
            "SELECT last_seq FROM runbook.runs WHERE run_id = $1",
            &[&id],
        )
        .map(|r| r.get(0))
        .unwrap_or(0);
    if store_seq as u64 > local_seq {
        if let Some(dir) = &local {
            // Kept, not lost: what this machine had of a run that went on elsewhere.
            let kept = dir.join(format!("journal.jsonl.before-generation-{generation}"));
            let _ = std::fs::rename(dir.join("journal.jsonl"), &kept);
        }
        read::fetch(&mut store, &id, &runs).map_err(fail)?;
    }
    Ok(Some(Claim {
        target,
        generation: generation.max(1) as u64,
        took_from,
        held: Some(id),
    }))
}

/// The last sequence number in the journal of the run in `dir` (0 when unreadable).
fn last_seq(dir: &Path) -> u64 {
    crate::report::read_journal(&dir.join("journal.jsonl"))
        .ok()
        .and_then(|(records, _)| records.last().map(|r| r.seq))
        .unwrap_or(0)
}

/// The lease generation this machine last drove the run in `dir` under (1 before any).
fn last_generation(dir: &Path) -> u64 {
    crate::report::read_journal(&dir.join("journal.jsonl"))
        .ok()
        .and_then(|(records, _)| {
            records.iter().rev().find_map(|r| match &r.event {
                crate::exec::journal::Event::Lease { generation, .. } => Some(*generation),
                _ => None,
            })
        })
        .unwrap_or(1)
}
