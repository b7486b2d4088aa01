//! What `run`, `drill`, `resume` and `rollback` share to walk a runbook: a runbook loaded and
//! checked (`prepare`), the operator that answers for the person (`operator`), the walk
//! itself, journaled (`drive`), and its closing summary.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, report_error};
use crate::cli::AnsweringArgs;
use crate::exec::executor::{ExecError, Executor, Output, Progress, RunConfig, Tally};
use crate::exec::inputs::{self, InputValue};
use crate::exec::interactive::Terminal;
use crate::exec::journal::{self, Event, Journal, Mode, RunStatus};
use crate::exec::mask::Masker;
use crate::exec::operator::Operator;
use crate::exec::screen::{Screen, Status, duration};
use crate::exec::scripted::{Scripted, read_answers};
use crate::exec::shell::Shell;
use crate::exec::signals::{self, Guarded};
use crate::exec::state::RunState;
use crate::lint::{Severity, lint_text};
use crate::load::{Runbook, find};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub struct Ready {
    pub path: PathBuf,
    pub sha256: String,
    pub runbook: Runbook,
    /// The file's text, kept in the run folder so that `resume` can say what changed.
    pub text: String,
}

/// Finds, loads and checks a runbook; prints why not and returns the exit code when it
/// cannot run.
pub fn prepare(reference: &str) -> Result<Ready, i32> {
    let path = find::resolve(reference, None).map_err(|e| {
        // A bundled example is never run from the binary: it is copied first, to be read.
        let example = super::examples::EXAMPLES
            .iter()
            .any(|x| x.name == reference.trim_end_matches(".yaml"));
        let help = if example {
            format!(
                "`{reference}` is one of runbook's examples: `runbook examples copy {reference}` writes it to ./runbooks (with its drill answers in ./answers)"
            )
        } else {
            "give a path, or put the runbook in ./runbooks (or a folder of RUNBOOK_PATH)".into()
        };
        report_error(&e.to_string(), &help);
        EXIT_USAGE
    })?;
    let bytes = std::fs::read(&path).map_err(|e| {
        report_error(
            &format!("cannot read `{}`: {e}", path.display()),
            "check the file's permissions",
        );
        EXIT_USAGE
    })?;
    let sha256 = sha256_hex(&bytes);
    let loaded = crate::load::load_bytes(&path, bytes);
    // As `runbook lint` reports them, runbook.toml applied.
    let mut diagnostics = lint_text(&path, &loaded.source.text);
    crate::config::active().apply(&mut diagnostics);
    let errors: Vec<_> = diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    match loaded.runbook {
        Some(runbook) if errors.is_empty() => Ok(Ready {
            path,
            sha256,
            runbook,
            text: loaded.source.text.clone(),
        }),
        _ => {
            let report = crate::lint::LintReport {
                files: 1,
                diagnostics: errors,
            };
            let text = crate::render::human::render(&report, super::use_color(&std::io::stderr()));
            eprint!("{text}");
            report_error(
                &format!("`{}` has errors, so it cannot run", path.display()),
                &format!(
                    "fix them first; `runbook lint {}` shows them",
                    path.display()
                ),
            );
            Err(EXIT_USAGE)
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The operator stack for the answering options: scripted answers, then the terminal.
pub fn operator(args: &AnsweringArgs) -> Result<Scripted<Terminal>, i32> {
    let mut given = BTreeMap::new();
    for pair in &args.inputs {
        let (k, v) = inputs::parse_pair(pair).map_err(|e| {
            report_error(
                &format!("invalid --input: {e}"),
                "write `--input name=value`",
            );
            EXIT_USAGE
        })?;
        given.insert(k, v);
    }
    let answers = match &args.answers {
        Some(path) => read_answers(path).map_err(|e| {
            report_error(
                &e.to_string(),
                "an answers file maps step ids to answers, such as `one-client: 1`",
            );
            EXIT_USAGE
        })?,
        None => BTreeMap::new(),
    };
    Ok(Scripted {
        answers,
        yes: args.yes,
        confirmed: args.confirm.clone(),
        inputs: given,
        accept_changed: false,
        confirm_rollbacks: false,
        behind: Terminal::detect(),
        retried: Default::default(),
        visits: Default::default(),
    })
}

/// Checks that each step named on the command line or in the answers file exists: in the
/// runbook, or in one of the runbooks it calls (their questions are answered by the same
/// step ids). `--from` names a step of the runbook itself.
pub fn check_step_names(ready: &Ready, names: &[(&str, &str)]) -> Result<(), i32> {
    let own: Vec<String> = ready.runbook.steps.iter().map(|s| s.id()).collect();
    // The called runbooks are read only when a name is not one of the runbook's own steps.
    let mut all: Option<Vec<String>> = None;
    for (flag, name) in names {
        if own.iter().any(|i| i == name) {
            continue;
        }
        let ids = if *flag == "--from" {
            &own
        } else {
            all.get_or_insert_with(|| {
                let mut all = own.clone();
                let mut seen = vec![
                    ready
                        .path
                        .canonicalize()
                        .unwrap_or_else(|_| ready.path.clone()),
                ];
                sub_runbook_step_ids(&ready.runbook, &ready.path, &mut seen, &mut all);
                all
            })
        };
        if !ids.iter().any(|i| i == name) {
            let help = match crate::suggest::did_you_mean(name, ids.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("its steps are {}", ids.join(", ")),
            };
            report_error(
                &format!("{flag} names step `{name}`, which the runbook does not have"),
                &help,
            );
            return Err(EXIT_USAGE);
        }
    }
    Ok(())
}

/// Checks what the operator gave in advance: the steps `--confirm`, the answers file and
/// `--from` name exist, and the values the answers file gives are asked for.
pub fn check_answering(
    ready: &Ready,
    answering: &crate::cli::AnsweringArgs,
    operator: &Scripted<Terminal>,
    from: Option<&str>,
) -> Result<(), i32> {
    let mut names: Vec<(&str, &str)> = answering
        .confirm
        .iter()
        .map(|c| ("--confirm", c.as_str()))
        .collect();
    names.extend(
        operator
            .answers
            .keys()
            .map(|k| ("the answers file", k.as_str())),
    );
    if let Some(from) = from {
        names.push(("--from", from));
    }
    check_step_names(ready, &names)?;
    check_answer_values(ready, &operator.answers)
}

/// Checks that the `values` an answers file gives a step are the variables its `ask`
/// asks for: a misspelt one would be dropped silently, and the default taken instead.
pub fn check_answer_values(
    ready: &Ready,
    answers: &BTreeMap<String, crate::exec::scripted::StepAnswers>,
) -> Result<(), i32> {
    for (id, given) in answers.iter().filter(|(_, a)| !a.values.is_empty()) {
        // Steps of called runbooks are checked when their runbook runs.
        let Some(step) = ready.runbook.steps.iter().find(|s| &s.id() == id) else {
            continue;
        };
        let vars: Vec<String> = step
            .ask
            .iter()
            .flat_map(|a| a.value.each())
            .filter_map(|f| f.var.as_ref().map(|v| v.value.clone()))
            .collect();
        for name in given.values.keys() {
            if vars.contains(name) {
                continue;
            }
            let help = match crate::suggest::did_you_mean(name, vars.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None if vars.is_empty() => format!("step `{id}` asks for nothing"),
                None => format!("step `{id}` asks for {}", vars.join(", ")),
            };
            report_error(
                &format!(
                    "the answers file gives step `{id}` a value for `{name}`, which it does not ask for"
                ),
                &help,
            );
            return Err(EXIT_USAGE);
        }
    }
    Ok(())
}

/// The step ids of the runbooks `rb` calls, and of those they call; a runbook that cannot be
/// found or read adds none (the run says why when it reaches it), and each file is read once.
fn sub_runbook_step_ids(rb: &Runbook, path: &Path, seen: &mut Vec<PathBuf>, ids: &mut Vec<String>) {
    let folder = crate::exec::executor::folder_of(path);
    for reference in rb.steps.iter().filter_map(|s| s.runbook.as_ref()) {
        let Ok(found) = crate::load::find::resolve(&reference.value, Some(&folder)) else {
            continue;
        };
        let key = found.canonicalize().unwrap_or_else(|_| found.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let Ok(loaded) = crate::load::load_path(&found) else {
            continue;
        };
        if let Some(sub) = loaded.runbook {
            ids.extend(sub.steps.iter().map(|s| s.id()));
            sub_runbook_step_ids(&sub, &found, seen, ids);
        }
    }
}

/// How to walk: a real run, a dry-run or a drill, and from where.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub mode: Mode,
    pub start: usize,
    /// In a dry-run, run the steps marked `readonly` for real.
    pub allow_readonly: bool,
    /// `--yes`: in a dry-run it also passes dangerous steps.
    pub assume_yes: bool,
}

/// Runs a checked runbook with resolved inputs, journaled under `state_dir`.
pub fn drive(
    ready: &Ready,
    values: BTreeMap<String, InputValue>,
    plan: Plan,
    operator: &mut dyn Operator,
    shell: &mut dyn Shell,
    interrupt: std::sync::Arc<std::sync::atomic::AtomicBool>,
    state_dir: &Path,
) -> i32 {
    let Plan {
        mode,
        start,
        allow_readonly,
        assume_yes,
    } = plan;
    let rb = &ready.runbook;
    let secrets = secret_values(rb, &values);
    let store = match super::team::target() {
        Ok(store) => store,
        Err(code) => return code,
    };
    let run_id = uuid::Uuid::now_v7().to_string();
    let mut journal = match Journal::create(state_dir, &run_id, &secrets) {
        Ok(j) => j,
        Err(e) => {
            report_error(
                &e.to_string(),
                "set --state-dir or RUNBOOK_STATE_DIR to a folder you can write",
            );
            return EXIT_FAILED;
        }
    };
    if let Err(e) = journal.save_runbook(&ready.text) {
        report_error(
            &e.to_string(),
            "set --state-dir or RUNBOOK_STATE_DIR to a folder you can write",
        );
        return EXIT_FAILED;
    }
    let masker = Masker::new(&secrets);
    let operator_name = format!("{}@{}", journal::user(), journal::host());
    let name = rb
        .name
        .as_ref()
        .map_or_else(|| find::stem(&ready.path), |n| n.value.clone());
    let title = rb
        .title
        .as_ref()
        .map_or_else(|| name.clone(), |t| t.value.clone());
    let mut screen = Screen::new(mode);
    let team = store.map(|t| super::team::Team::start(t, 1, &mut journal, &mut screen));
    let meta: Vec<String> = [
        rb.severity.as_ref().map(|s| s.value.clone()),
        rb.owner.as_ref().map(|o| format!("owner {}", o.value)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let short = crate::exec::journal::short_id(&run_id).to_string();
    let run_line = format!(
        "run {short} · {} · operator {operator_name}",
        crate::exec::screen::clock()
    );
    let links: Vec<(String, String)> = rb
        .links
        .iter()
        .map(|(k, v)| (k.value.clone(), v.value.clone()))
        .collect();
    screen.header(
        &title,
        &meta.join(" · "),
        &run_line,
        &journal.path().display().to_string(),
        rb.description.as_ref().map(|d| d.value.as_str()),
        &links,
    );
    let shown_inputs: BTreeMap<String, String> = values
        .iter()
        .map(|(k, v)| {
            let secret = rb.input(k).is_some_and(|i| i.secret);
            (
                k.clone(),
                if secret {
                    "***".into()
                } else {
                    masker.mask_str(&v.text())
                },
            )
        })
        .collect();
    let started = Instant::now();
    let event = Event::RunStarted {
        journal_version: journal::JOURNAL_VERSION,
        run_id: run_id.clone(),
        runbook: name.clone(),
        title,
        path: crate::lint::subrunbooks::canonical(&ready.path)
            .display()
            .to_string(),
        sha256: ready.sha256.clone(),
        operator: operator_name.clone(),
        host: journal::host(),
        inputs: shown_inputs,
        mode,
    };
    if let Err(e) = journal.append(event) {
        report_error(&e.to_string(), "");
        return EXIT_FAILED;
    }
    // From here a signal ends the run journaled (`run` installed the handlers; a drill
    // installs them here).
    let _ = signals::install();
    signals::begin_run(journal.path(), &run_id, started);
    signals::end_if_pending();
    let mut operator = Guarded(operator);
    let mut state = RunState {
        inputs: values.clone(),
        run_id: run_id.clone(),
        operator: operator_name,
        mode: mode.as_str().into(),
        ..Default::default()
    };
    if let Err(e) = crate::exec::state::start_env(rb, &mut state) {
        report_error(&e.to_string(), &e.help);
        return EXIT_USAGE;
    }
    let mut executor = Executor {
        cfg: RunConfig {
            allow_readonly,
            assume_yes,
            tether: team.as_ref().map(|t| t.tether.clone()),
            ..RunConfig::new(rb, &ready.path, mode, lint_errors)
        },
        out: Output::new(&mut journal, &mut screen, secrets.clone()),
        progress: Progress::new(state),
        operator: &mut operator,
        shell,
        interrupt,
    };
    let result = executor.walk(start);
    // A signal that came during the walk ends the run here, journaled as interrupted.
    signals::end_if_pending();
    signals::end_run();
    let tally = executor.progress.tally.clone();
    let unsimulated = std::mem::take(&mut executor.progress.unsimulated);
    let result = match result {
        Ok(r) => r,
        Err(ExecError::NoAnswer { what, help }) => {
            screen.blank();
            report_error(
                &format!("{what}, and there is no terminal to ask on"),
                &help,
            );
            screen.line(&format!(
                "the run is left unfinished: journal {}",
                journal.path().display()
            ));
            return EXIT_USAGE;
        }
        Err(e) => {
            screen.blank();
            return report_exec_error(e, &run_id);
        }
    };
    let elapsed = started.elapsed();
    let _ = journal.append(Event::RunFinished {
        status: result.status,
        duration_ms: elapsed.as_millis() as u64,
        reason: result.reason.clone(),
    });
    summary(
        &mut screen,
        rb.steps.len(),
        &result.status,
        result.reason.as_deref(),
        &tally,
        elapsed,
        journal.path(),
        &short,
    );
    if let Some(mut team) = team {
        team.finish();
    }
    if mode == Mode::Drill {
        drill_summary(
            &mut screen,
            rb,
            &name,
            state_dir,
            journal.path(),
            &unsimulated,
        );
    }
    match result.status {
        RunStatus::Succeeded => EXIT_OK,
        RunStatus::Interrupted => super::EXIT_INTERRUPTED,
        _ => EXIT_FAILED,
    }
}

/// Says why a walk ended without the run's end: what happened, and what to do.
pub fn report_exec_error(e: ExecError, run_id: &str) -> i32 {
    let short = crate::exec::journal::short_id(run_id);
    match e {
        ExecError::NoAnswer { what, help } => {
            report_error(
                &format!("{what}, and there is no terminal to ask on"),
                &help,
            );
            EXIT_USAGE
        }
        ExecError::TakenOver { by } => {
            report_error(
                &format!(
                    "run {short} was taken over by {by}: it goes on there; this process stopped before its next step"
                ),
                "`runbook history --team` shows the run; what this machine did is in its journal",
            );
            EXIT_FAILED
        }
        ExecError::StoppedAlone { since } => {
            report_error(
                &format!("run {short} stopped: contact with the team store is lost since {since}"),
                &format!(
                    "`runbook resume {short}` goes on with it, here, or on another machine with `--take-over`"
                ),
            );
            EXIT_FAILED
        }
        other => {
            report_error(
                &other.to_string(),
                "the journal holds everything done so far",
            );
            EXIT_FAILED
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub fn summary(
    screen: &mut Screen,
    steps: usize,
    status: &RunStatus,
    reason: Option<&str>,
    tally: &Tally,
    elapsed: Duration,
    journal: &Path,
    short: &str,
) {
    let word = match status {
        RunStatus::Succeeded => "done",
        RunStatus::Failed => "failed",
        RunStatus::Aborted => "aborted",
        RunStatus::Interrupted => "interrupted",
    };
    screen.rule(&format!(
        "{word} · {steps} step{} · {}",
        if steps == 1 { "" } else { "s" },
        duration(elapsed)
    ));
    screen.tally(tally);
    if let Some(reason) = reason {
        let s = if *status == RunStatus::Succeeded {
            Status::Warning
        } else {
            Status::Failed
        };
        screen.status(s, reason);
    }
    for (step, label) in &tally.decisions {
        screen.line(&format!("decision  {step} → {label}"));
    }
    screen.line(&format!("journal   {}", journal.display()));
    screen.line(&format!("run       {short}"));
}

/// After a drill: time per step, what had no simulated output, and which branches of the
/// runbook's decisions this trainee has now walked across all their drills.
fn drill_summary(
    screen: &mut Screen,
    rb: &Runbook,
    name: &str,
    state_dir: &Path,
    journal: &Path,
    unsimulated: &[String],
) {
    screen.rule("drill summary");
    if let Ok((records, _)) = crate::report::read_journal(journal) {
        let times: Vec<String> = records
            .iter()
            .filter(|r| r.within.is_empty())
            .filter_map(|r| match &r.event {
                Event::StepFinished {
                    step, duration_ms, ..
                } => Some(format!(
                    "{step} {}",
                    duration(Duration::from_millis(*duration_ms))
                )),
                _ => None,
            })
            .collect();
        screen.line(&format!("time per step   {}", times.join(" · ")));
    }
    if !unsimulated.is_empty() {
        screen.status(
            Status::Warning,
            &format!(
                "no `simulate`, treated as succeeded: {}",
                unsimulated.join(", ")
            ),
        );
    }
    let coverage = crate::report::coverage::coverage(state_dir, name, rb);
    if coverage.total() == 0 {
        screen.line("branches        this runbook has no decisions");
        return;
    }
    screen.line(&format!(
        "branches        {} of {} walked in {} drill{}",
        coverage.walked(),
        coverage.total(),
        coverage.drills,
        if coverage.drills == 1 { "" } else { "s" }
    ));
    for (step, options, taken) in &coverage.decisions {
        for option in options {
            let status = if taken.contains(option) {
                Status::Ok
            } else {
                Status::Info
            };
            screen.status(status, &format!("{step} → {option}"));
        }
    }
}

pub fn secret_values(rb: &Runbook, values: &BTreeMap<String, InputValue>) -> Vec<String> {
    rb.inputs
        .iter()
        .filter(|i| i.secret)
        .filter_map(|i| values.get(&i.name.value).map(InputValue::text))
        .filter(|v| !v.is_empty())
        .collect()
}

/// How many errors lint finds in a runbook's text: the check the executor runs on a
/// sub-runbook before it walks it.
pub fn lint_errors(path: &Path, text: &str) -> usize {
    // As `runbook lint` counts them, runbook.toml applied: what lint lets pass runs.
    let mut diagnostics = lint_text(path, text);
    crate::config::active().apply(&mut diagnostics);
    diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}
