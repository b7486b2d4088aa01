//! `runbook rollback [RUN]`: the `rollback` scripts of a run's completed steps, newest first,
//! each shown and confirmed (dangerous ones need their phrase), journaled in the same run.
//! The rollbacks come from the runbook as it was when the run started (its copy in the run
//! folder), rendered with the values the steps completed with.

use super::driver::{operator, secret_values};
use super::past_run::{OpenRun, fail, known_values, open_run, rollbacks, short};
use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report_error};
use crate::cli::RollbackArgs;
use crate::exec::executor::{Executor, Output, Progress, RunConfig};
use crate::exec::journal::{self, Event, Mode, StepStatus};
use crate::exec::operator::Operator;
use crate::exec::screen::{Screen, Status};
use crate::exec::shell::{ProcessShell, install_interrupt_handler};
use std::path::PathBuf;
use std::time::Duration;

pub fn run(args: &RollbackArgs) -> i32 {
    match rollback(args) {
        Ok(code) | Err(code) => code,
    }
}

fn rollback(args: &RollbackArgs) -> Result<i32, i32> {
    let mut operator = operator(&args.answering)?;
    operator.confirm_rollbacks = true;
    let claim = super::team::claim(
        &journal::state_dir(args.state_dir.as_deref()),
        args.run.as_deref(),
        |r| r.mode == Some(Mode::Run),
        false,
        &mut operator,
    )?;
    let OpenRun {
        dir,
        mut journal,
        replay: r,
        ..
    } = open_run(args.state_dir.as_deref(), args.run.as_deref(), |r| {
        r.mode == Some(Mode::Run)
    })?;
    if r.mode != Some(Mode::Run) {
        return Err(fail(
            &format!(
                "run `{}` is a {}: nothing was changed, so nothing can be rolled back",
                short(&r.run_id),
                r.mode.map_or("?", |m| m.as_str())
            ),
            "give the id of a real run (`runbook history`)",
        ));
    }
    // The runbook the run started with, kept in its folder.
    let snapshot = dir.join("runbook.yaml");
    let original = PathBuf::from(&r.path);
    let loaded = crate::load::load_path(&snapshot).map_err(|e| {
        fail(
            &format!(
                "cannot read the runbook the run started with (`{}`): {e}",
                snapshot.display()
            ),
            "",
        )
    })?;
    let Some(rb) = loaded.runbook else {
        return Err(fail(
            &format!("`{}` cannot be read as a runbook", snapshot.display()),
            "",
        ));
    };
    let values = known_values(&rb, &r, &mut operator)?;
    let pending = rollbacks(&rb, &original, &r, &values);
    let mut screen = Screen::new(Mode::Run);
    if pending.is_empty() {
        screen.status(
            Status::Info,
            &format!(
                "run {}: no completed step has a rollback left to run",
                short(&r.run_id)
            ),
        );
        return Ok(EXIT_OK);
    }
    let interrupt =
        install_interrupt_handler().map_err(|e| fail(&format!("cannot handle Ctrl-C: {e}"), ""))?;
    let me = format!("{}@{}", journal::user(), journal::host());
    let _team = match claim {
        Some(c) => Some(super::team::Team::resume(c, &mut journal, &mut screen)?),
        None => None,
    };
    journal
        .append(Event::RunResumed {
            operator: me.clone(),
            host: journal::host(),
            sha256: None,
        })
        .map_err(|e| fail(&e.to_string(), ""))?;
    let secrets = secret_values(&rb, &values);
    let mut shell = ProcessShell {
        interrupt: interrupt.clone(),
        grace: Duration::from_secs(3),
    };
    screen.rule(&format!(
        "rollback of run {} · {} step{}, newest first",
        short(&r.run_id),
        pending.len(),
        if pending.len() == 1 { "" } else { "s" }
    ));
    let interactive = operator.interactive();
    let mut executor = Executor {
        cfg: RunConfig::new(&rb, &original, Mode::Run, super::driver::lint_errors),
        out: Output::new(&mut journal, &mut screen, secrets.clone()),
        progress: Progress::new(r.state_with(&rb, values.clone(), &me)),
        operator: &mut operator,
        shell: &mut shell,
        interrupt,
    };
    for c in pending.iter().rev() {
        if let Err(e) = executor.rollback_one(c) {
            report_error(
                &e.to_string(),
                "the journal records the rollbacks done so far",
            );
            return Ok(EXIT_FAILED);
        }
    }
    let records = crate::report::read_journal(journal.path())
        .map(|(r, _)| r)
        .unwrap_or_default();
    let this_time = || {
        records
            .iter()
            .rev()
            .take_while(|rec| !matches!(rec.event, Event::RunResumed { .. }))
    };
    let failed = this_time().any(
        |rec| matches!(&rec.event, Event::Rollback { status, .. } if *status == StepStatus::Failed),
    );
    let left = this_time()
        .filter(|rec| {
            matches!(&rec.event, Event::Rollback { status, .. } if *status == StepStatus::Skipped)
        })
        .count();
    if failed {
        return Ok(EXIT_FAILED);
    }
    if left > 0 && !interactive {
        // Nothing could confirm them: not a success the caller may take for one.
        report_error(
            &format!(
                "{left} rollback{} of run {} not run: no terminal to confirm {}",
                if left == 1 { "" } else { "s" },
                short(&r.run_id),
                if left == 1 { "it" } else { "them" }
            ),
            &format!(
                "run `runbook rollback {}` on a terminal, or confirm each in an answers file (`STEP: {{rollback: run}}`, `--answers FILE`)",
                short(&r.run_id)
            ),
        );
        return Ok(EXIT_USAGE);
    }
    Ok(EXIT_OK)
}
