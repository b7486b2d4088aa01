//! `runbook stats`: what the team's runs say about its runbooks. The figures are gathered
//! as [`Gathered`] groups (from the journals of the state folder here, from the team store by
//! SQL in `store::stats`) and put together by [`build`], so both sources give the same
//! report.

use super::coverage::Coverage;
use super::{journals, read_journal, run::summarize};
use crate::exec::journal::{Event, Mode, StepStatus};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What a step's events say, counted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Failed,
    Retried,
    /// Skipped by the operator (a false `when` is the runbook at work, not counted): reason.
    Skipped(String),
    Edited,
    /// A checklist item skipped: (item, reason).
    ChecklistSkipped(String, String),
}

/// The runs and events of a period, grouped and counted.
#[derive(Debug, Default)]
pub struct Gathered {
    /// (runbook, mode, status or `unfinished`) → runs.
    pub runs: BTreeMap<(String, String, String), u64>,
    /// runbook → (median, p90) of the durations of its finished real runs, in ms.
    pub timing: BTreeMap<String, (u64, u64)>,
    /// Monday of the week (`2026-11-30`) → real runs started that week.
    pub weeks: BTreeMap<String, u64>,
    /// (operator, runbook) → drills started.
    pub drills: BTreeMap<(String, String), u64>,
    /// (operator, runbook) → decisions taken in drills: (step, option label).
    pub decisions: BTreeMap<(String, String), Vec<(String, String)>>,
    /// (runbook, step, kind) → times, in real runs and drills.
    pub events: BTreeMap<(String, String, Kind), u64>,
    /// A step on several hosts, in real runs: (runbook, step, host) → (times it ran there,
    /// times it failed there).
    pub hosts: BTreeMap<(String, String, String), (u64, u64)>,
}

#[derive(Debug, Serialize)]
pub struct Stats {
    /// Where the figures come from: the team store, or a state folder.
    pub source: String,
    /// RFC 3339, or null for every run.
    pub since: Option<String>,
    pub runbooks: Vec<RunbookStats>,
    /// Real runs per week, oldest first: (Monday, runs).
    pub weeks: Vec<(String, u64)>,
    pub operators: Vec<OperatorStats>,
}

#[derive(Debug, Serialize)]
pub struct RunbookStats {
    pub runbook: String,
    pub runs: u64,
    pub drills: u64,
    pub dry_runs: u64,
    /// Real runs by how they ended (`unfinished`: no end yet).
    pub outcomes: BTreeMap<String, u64>,
    pub median_ms: Option<u64>,
    pub p90_ms: Option<u64>,
    /// The steps where runs and drills departed from the runbook, most first.
    pub steps: Vec<StepStats>,
    /// Checklist items skipped, most first.
    pub checklist_skipped: Vec<ChecklistStats>,
    /// Steps on several hosts: the hosts where they failed in real runs, most first.
    pub hosts: Vec<HostStats>,
}

#[derive(Debug, Serialize)]
pub struct HostStats {
    pub step: String,
    pub host: String,
    /// Times the step ran on the host, and failed there.
    pub ran: u64,
    pub failed: u64,
}

#[derive(Debug, Serialize)]
pub struct StepStats {
    pub step: String,
    pub failed: u64,
    pub retried: u64,
    pub skipped: u64,
    pub edited: u64,
    /// Why it was skipped: (reason, times), most first.
    pub skip_reasons: Vec<(String, u64)>,
}

#[derive(Debug, Serialize)]
pub struct ChecklistStats {
    pub step: String,
    pub item: String,
    pub skipped: u64,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct OperatorStats {
    pub operator: String,
    pub drills: u64,
    /// Per runbook drilled: branches walked of all its decisions (total unknown when the
    /// runbook is not found here).
    pub coverage: Vec<CoverageStats>,
}

#[derive(Debug, Serialize)]
pub struct CoverageStats {
    pub runbook: String,
    pub drills: u64,
    pub branches_walked: usize,
    pub branches: Option<usize>,
}

fn entry<'m>(m: &'m mut BTreeMap<String, RunbookStats>, name: &str) -> &'m mut RunbookStats {
    m.entry(name.to_string()).or_insert_with(|| RunbookStats {
        runbook: name.to_string(),
        runs: 0,
        drills: 0,
        dry_runs: 0,
        outcomes: BTreeMap::new(),
        median_ms: None,
        p90_ms: None,
        steps: Vec::new(),
        checklist_skipped: Vec::new(),
        hosts: Vec::new(),
    })
}

/// The skip reasons that are the runbook at work, not the operator's choice.
pub fn counts_as_skip(reason: &str) -> bool {
    !(reason.starts_with("`when:") || reason.starts_with("aborted"))
}

/// How many of each kind of step to show per runbook.
const TOP: usize = 5;

/// The branch coverage of a runbook found here, given the decisions taken in its drills
/// (step, label) and how many drills.
pub type Branches<'a> = dyn Fn(&str, &[(String, String)], u64) -> Option<Coverage> + 'a;

/// Puts the groups together. `branches(runbook)`: the decisions of a runbook found here,
/// for coverage.
pub fn build(g: Gathered, source: String, since: Option<String>, branches: &Branches) -> Stats {
    let mut by_runbook: BTreeMap<String, RunbookStats> = BTreeMap::new();
    for ((runbook, mode, status), n) in &g.runs {
        let e = entry(&mut by_runbook, runbook);
        match mode.as_str() {
            "run" => {
                e.runs += n;
                *e.outcomes.entry(status.clone()).or_default() += n;
            }
            "drill" => e.drills += n,
            _ => e.dry_runs += n,
        }
    }
    for (runbook, (median, p90)) in &g.timing {
        let e = entry(&mut by_runbook, runbook);
        e.median_ms = Some(*median);
        e.p90_ms = Some(*p90);
    }
    let mut steps: BTreeMap<(String, String), StepStats> = BTreeMap::new();
    let mut checklist: BTreeMap<(String, String, String), ChecklistStats> = BTreeMap::new();
    for ((runbook, step, kind), n) in g.events {
        if let Kind::ChecklistSkipped(item, reason) = &kind {
            let c = checklist
                .entry((runbook.clone(), step.clone(), item.clone()))
                .or_insert_with(|| ChecklistStats {
                    step: step.clone(),
                    item: item.clone(),
                    skipped: 0,
                    reasons: Vec::new(),
                });
            c.skipped += n;
            if !reason.is_empty() && !c.reasons.contains(reason) && c.reasons.len() < 3 {
                c.reasons.push(reason.clone());
            }
            continue;
        }
        let s = steps
            .entry((runbook.clone(), step.clone()))
            .or_insert_with(|| StepStats {
                step: step.clone(),
                failed: 0,
                retried: 0,
                skipped: 0,
                edited: 0,
                skip_reasons: Vec::new(),
            });
        match kind {
            Kind::Failed => s.failed += n,
            Kind::Retried => s.retried += n,
            Kind::Edited => s.edited += n,
            Kind::Skipped(reason) => {
                s.skipped += n;
                s.skip_reasons.push((reason, n));
            }
            Kind::ChecklistSkipped(..) => {}
        }
    }
    for ((runbook, _), mut s) in steps {
        s.skip_reasons
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        s.skip_reasons.truncate(3);
        entry(&mut by_runbook, &runbook).steps.push(s);
    }
    for ((runbook, ..), c) in checklist {
        entry(&mut by_runbook, &runbook).checklist_skipped.push(c);
    }
    for r in by_runbook.values_mut() {
        r.steps.sort_by_key(|s| {
            (
                std::cmp::Reverse(s.failed + s.retried + s.skipped + s.edited),
                s.step.clone(),
            )
        });
        r.steps.truncate(TOP);
        r.checklist_skipped
            .sort_by_key(|c| (std::cmp::Reverse(c.skipped), c.step.clone(), c.item.clone()));
        r.checklist_skipped.truncate(TOP);
    }
    for ((runbook, step, host), (ran, failed)) in &g.hosts {
        if *failed > 0 {
            entry(&mut by_runbook, runbook).hosts.push(HostStats {
                step: step.clone(),
                host: host.clone(),
                ran: *ran,
                failed: *failed,
            });
        }
    }
    for r in by_runbook.values_mut() {
        r.hosts
            .sort_by_key(|h| (std::cmp::Reverse(h.failed), h.step.clone(), h.host.clone()));
        r.hosts.truncate(TOP);
    }
    let mut operators: BTreeMap<String, OperatorStats> = BTreeMap::new();
    for ((operator, runbook), n) in &g.drills {
        let o = operators
            .entry(operator.clone())
            .or_insert_with(|| OperatorStats {
                operator: operator.clone(),
                drills: 0,
                coverage: Vec::new(),
            });
        o.drills += n;
        let taken = g
            .decisions
            .get(&(operator.clone(), runbook.clone()))
            .cloned()
            .unwrap_or_default();
        let (walked, total) = match branches(runbook, &taken, *n) {
            Some(c) => (c.walked(), Some(c.total())),
            None => {
                let mut distinct = taken.clone();
                distinct.sort();
                distinct.dedup();
                (distinct.len(), None)
            }
        };
        o.coverage.push(CoverageStats {
            runbook: runbook.clone(),
            drills: *n,
            branches_walked: walked,
            branches: total,
        });
    }
    Stats {
        source,
        since,
        runbooks: by_runbook.into_values().collect(),
        weeks: g.weeks.into_iter().collect(),
        operators: operators.into_values().collect(),
    }
}

/// The Monday of the week of `ts`, local time (`2026-11-30`).
pub fn week_of(ts: jiff::Timestamp) -> String {
    let day = ts.to_zoned_datetime(jiff::tz::TimeZone::system()).date();
    let back = i64::from(day.weekday().to_monday_zero_offset());
    day.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(day)
        .to_string()
}

/// The value at quantile `q` of sorted `values` (nearest rank, as `percentile_disc`).
pub fn quantile(sorted: &[u64], q: f64) -> Option<u64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied()
}

/// The groups of the journals of a state folder: runs started at or after `since`, of
/// `runbook` if given.
pub fn gather_local(
    state_dir: &Path,
    since: Option<jiff::Timestamp>,
    runbook: Option<&str>,
) -> Gathered {
    let mut g = Gathered::default();
    let mut durations: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for path in journals(state_dir) {
        let Ok((records, torn)) = read_journal(&path) else {
            continue;
        };
        let Ok(run) = summarize(&path, &records, torn) else {
            continue;
        };
        if runbook.is_some_and(|n| n != run.runbook)
            || since.is_some_and(|s| run.start_ts.is_none_or(|t| t < s))
        {
            continue;
        }
        let status = run.status.as_str().to_string();
        *g.runs
            .entry((
                run.runbook.clone(),
                run.mode.as_str().into(),
                status.clone(),
            ))
            .or_default() += 1;
        let operator = run.operators.first().cloned().unwrap_or_default();
        match run.mode {
            Mode::Run => {
                if run.end.is_some() {
                    durations
                        .entry(run.runbook.clone())
                        .or_default()
                        .push(run.duration_ms);
                }
                if let Some(t) = run.start_ts {
                    *g.weeks.entry(week_of(t)).or_default() += 1;
                }
            }
            Mode::Drill => {
                *g.drills
                    .entry((operator.clone(), run.runbook.clone()))
                    .or_default() += 1;
            }
            Mode::DryRun => continue,
        }
        for r in records.iter().filter(|r| r.within.is_empty()) {
            let kind = match &r.event {
                Event::StepFinished {
                    step,
                    status: StepStatus::Failed | StepStatus::Timeout,
                    ..
                } => Some((step, Kind::Failed)),
                Event::StepFinished {
                    step,
                    status: StepStatus::Skipped,
                    reason,
                    ..
                } => {
                    let reason = reason.clone().unwrap_or_default();
                    counts_as_skip(&reason).then_some((step, Kind::Skipped(reason)))
                }
                Event::Retry { step, .. } => Some((step, Kind::Retried)),
                Event::Command {
                    step, edited: true, ..
                } => Some((step, Kind::Edited)),
                Event::ChecklistItem {
                    step,
                    item,
                    done: false,
                    reason,
                    ..
                } => Some((
                    step,
                    Kind::ChecklistSkipped(item.clone(), reason.clone().unwrap_or_default()),
                )),
                Event::HostFinished {
                    step, host, status, ..
                } if run.mode == Mode::Run => {
                    let e = g
                        .hosts
                        .entry((run.runbook.clone(), step.clone(), host.clone()))
                        .or_default();
                    e.0 += 1;
                    if *status != StepStatus::Ok {
                        e.1 += 1;
                    }
                    None
                }
                Event::Decision { step, label, .. } if run.mode == Mode::Drill => {
                    g.decisions
                        .entry((operator.clone(), run.runbook.clone()))
                        .or_default()
                        .push((step.clone(), label.clone()));
                    None
                }
                _ => None,
            };
            if let Some((step, kind)) = kind {
                *g.events
                    .entry((run.runbook.clone(), step.clone(), kind))
                    .or_default() += 1;
            }
        }
    }
    for (runbook, mut d) in durations {
        d.sort_unstable();
        if let (Some(m), Some(p)) = (quantile(&d, 0.5), quantile(&d, 0.9)) {
            g.timing.insert(runbook, (m, p));
        }
    }
    g
}

/// The report for people.
pub fn render(stats: &Stats) -> String {
    use std::fmt::Write;
    let d = |ms: Option<u64>| ms.map_or_else(|| "-".to_string(), super::run::duration);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "runbook stats · {}{}",
        stats.source,
        stats
            .since
            .as_ref()
            .map(|s| format!(" · since {s}"))
            .unwrap_or_default()
    );
    if stats.runbooks.is_empty() {
        out.push_str("\nno runs in this period\n");
        return out;
    }
    for r in &stats.runbooks {
        let _ = writeln!(
            out,
            "\n{}\n  {} run{}, {} drill{}, {} dry-run{}",
            r.runbook,
            r.runs,
            if r.runs == 1 { "" } else { "s" },
            r.drills,
            if r.drills == 1 { "" } else { "s" },
            r.dry_runs,
            if r.dry_runs == 1 { "" } else { "s" },
        );
        if r.runs > 0 {
            let outcomes: Vec<String> =
                r.outcomes.iter().map(|(s, n)| format!("{n} {s}")).collect();
            let _ = writeln!(out, "  outcomes: {}", outcomes.join(", "));
            let _ = writeln!(
                out,
                "  time to finish: median {}, p90 {}",
                d(r.median_ms),
                d(r.p90_ms)
            );
        }
        if !r.steps.is_empty() {
            let _ = writeln!(out, "  steps departed from (runs and drills):");
            for s in &r.steps {
                let mut parts = Vec::new();
                for (n, what) in [
                    (s.failed, "failed"),
                    (s.retried, "retried"),
                    (s.skipped, "skipped"),
                    (s.edited, "edited"),
                ] {
                    if n > 0 {
                        parts.push(format!("{what} {n}×"));
                    }
                }
                let reasons: Vec<String> = s
                    .skip_reasons
                    .iter()
                    .map(|(r, n)| format!("“{r}” {n}×"))
                    .collect();
                let why = if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" — skipped because {}", reasons.join(", "))
                };
                let _ = writeln!(out, "    {:<20} {}{why}", s.step, parts.join(", "));
            }
        }
        if !r.hosts.is_empty() {
            let _ = writeln!(out, "  hosts where steps failed (real runs):");
            for h in &r.hosts {
                let _ = writeln!(
                    out,
                    "    {} › {} failed {} of {} time{}",
                    h.step,
                    h.host,
                    h.failed,
                    h.ran,
                    if h.ran == 1 { "" } else { "s" }
                );
            }
        }
        if !r.checklist_skipped.is_empty() {
            let _ = writeln!(out, "  checklist items skipped:");
            for c in &r.checklist_skipped {
                let why = if c.reasons.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", c.reasons.join("; "))
                };
                let _ = writeln!(out, "    {} › “{}” {}×{why}", c.step, c.item, c.skipped);
            }
        }
    }
    if !stats.weeks.is_empty() {
        let _ = writeln!(out, "\nreal runs per week");
        let most = stats
            .weeks
            .iter()
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(1)
            .max(1);
        for (week, n) in &stats.weeks {
            let bar = "█".repeat(((*n * 30).div_ceil(most)) as usize);
            let _ = writeln!(out, "  {week}  {n:>4}  {bar}");
        }
    }
    if !stats.operators.is_empty() {
        let _ = writeln!(out, "\ndrills per operator");
        for o in &stats.operators {
            let cov: Vec<String> = o
                .coverage
                .iter()
                .map(|c| match c.branches {
                    Some(0) => format!("{} (no decisions)", c.runbook),
                    Some(t) => format!("{} {}/{} branches", c.runbook, c.branches_walked, t),
                    None => format!("{} {} branches", c.runbook, c.branches_walked),
                })
                .collect();
            let _ = writeln!(
                out,
                "  {:<24} {:>3} drill{}  {}",
                o.operator,
                o.drills,
                if o.drills == 1 { " " } else { "s" },
                cov.join(", ")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_nearest_rank() {
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.9), Some(7));
        assert_eq!(quantile(&[1, 2, 3, 4], 0.5), Some(2));
        assert_eq!(quantile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), Some(9));
    }

    #[test]
    fn weeks_start_on_monday() {
        let ts: jiff::Timestamp = "2026-12-04T12:00:00Z"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let w = week_of(ts);
        assert!(w == "2026-11-30", "{w}");
    }
}
