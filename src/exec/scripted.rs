//! Scripted answers: `--answers FILE`, `--yes`, `--confirm STEP`, `--input k=v`. Stacked in
//! front of the terminal: what the script answers is not asked; what it does not answer is
//! asked on the terminal, or, without one, is an error naming the flag that would answer it.

use super::operator::{Answer, AskError, Operator, Question};
use crate::load::node::{Node, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// An answer given in an answers file for one step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepAnswers {
    /// The step's main answer: an option (label or 1-based number), an `ask` value, `done`,
    /// `run` or `skip`.
    pub answer: Option<String>,
    /// For a step that both asks and runs: `run` or `skip`.
    pub run: Option<String>,
    pub note: Option<String>,
    /// What to do if the step's command fails: `retry`, `skip` or `abort`.
    pub failure: Option<String>,
    /// For `runbook rollback` and aborts: `run` or `skip`.
    pub rollback: Option<String>,
    /// For `resume`, a step that started and never finished: `rerun`, `done` or `skip`.
    pub resume: Option<String>,
    /// For a step with `confirm_batches`: `go` (every batch) or `stop` (after the first).
    pub batches: Option<String>,
    /// For an `ask` with several `fields`: each variable's answer.
    pub values: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    #[error("cannot read the answers file `{path}`: {message}")]
    Read { path: String, message: String },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Reads an answers file: a YAML map of step id → answer, or → `{answer, run, note, failure,
/// rollback}`.
pub fn read_answers(path: &Path) -> Result<BTreeMap<String, StepAnswers>, AnswersError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| AnswersError::Read {
        path: shown.clone(),
        message: e.to_string(),
    })?;
    let text = crate::load::yaml::decode(bytes).map_err(|(_, e)| AnswersError::Read {
        path: shown.clone(),
        message: e.message,
    })?;
    let source = crate::load::Source::new(path, text);
    let root = crate::load::yaml::parse(&source).map_err(|e| {
        let pos = source.position(e.span.start);
        AnswersError::Invalid {
            path: shown.clone(),
            line: pos.line,
            column: pos.column,
            message: e.message,
        }
    })?;
    let invalid = |node: &Node, message: String| {
        let pos = source.position(node.span.start);
        AnswersError::Invalid {
            path: shown.clone(),
            line: pos.line,
            column: pos.column,
            message,
        }
    };
    let scalar = |node: &Node| -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(_) | Value::Bool(_) => Some(source.slice(node.span).to_string()),
            _ => None,
        }
    };
    let mut answers = BTreeMap::new();
    let entries = match &root.value {
        Value::Map(entries) => entries.as_slice(),
        Value::Null => &[],
        _ => {
            return Err(invalid(
                &root,
                "an answers file is a mapping of step id to answer".into(),
            ));
        }
    };
    for (key, value) in entries {
        let step =
            scalar(key).ok_or_else(|| invalid(key, "a step id must be a plain word".into()))?;
        let mut a = StepAnswers::default();
        match &value.value {
            Value::Map(fields) => {
                for (k, v) in fields {
                    let field = k.as_str().unwrap_or("");
                    if field == "values" {
                        let Value::Map(values) = &v.value else {
                            return Err(invalid(
                                v,
                                "`values` must map each variable to its answer".to_string(),
                            ));
                        };
                        for (name, value) in values {
                            let text = scalar(value).ok_or_else(|| {
                                invalid(value, "an answer must be a single value".to_string())
                            })?;
                            a.values
                                .insert(name.as_str().unwrap_or("").to_string(), text);
                        }
                        continue;
                    }
                    let text = scalar(v)
                        .ok_or_else(|| invalid(v, format!("`{field}` must be a single value")))?;
                    // A misspelt choice must not pass for another (`failure: skp` aborting).
                    let allowed: &[&str] = match field {
                        "run" | "rollback" => &["run", "skip"],
                        "failure" => &["retry", "skip", "abort"],
                        "resume" => &["rerun", "done", "skip"],
                        "batches" => &["go", "stop"],
                        _ => &[],
                    };
                    if !allowed.is_empty() && !allowed.contains(&text.as_str()) {
                        return Err(invalid(
                            v,
                            format!(
                                "`{field}: {text}` is not an answer: write {}",
                                allowed
                                    .iter()
                                    .map(|a| format!("`{a}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                    match field {
                        "answer" => a.answer = Some(text),
                        "run" => a.run = Some(text),
                        "note" => a.note = Some(text),
                        "failure" => a.failure = Some(text),
                        "rollback" => a.rollback = Some(text),
                        "resume" => a.resume = Some(text),
                        "batches" => a.batches = Some(text),
                        _ => {
                            return Err(invalid(
                                k,
                                format!(
                                    "unknown key `{field}`: use answer, values, run, note, failure, rollback, resume or batches"
                                ),
                            ));
                        }
                    }
                }
            }
            _ => {
                a.answer = Some(scalar(value).ok_or_else(|| {
                    invalid(
                        value,
                        format!("the answer for `{step}` must be a single value or a mapping"),
                    )
                })?)
            }
        }
        answers.insert(step, a);
    }
    Ok(answers)
}

/// Answers from the command line, and a terminal (or nothing) behind them.
pub struct Scripted<T: Operator> {
    pub answers: BTreeMap<String, StepAnswers>,
    pub yes: bool,
    pub confirmed: Vec<String>,
    pub inputs: BTreeMap<String, String>,
    /// `--accept-changed`: go on with a runbook that changed since the run started.
    pub accept_changed: bool,
    /// `runbook rollback`: `--confirm STEP` confirms the rollback of the dangerous step STEP
    /// (in a run, it confirms the step's command and never its rollback).
    pub confirm_rollbacks: bool,
    pub behind: Option<T>,
    /// Steps that `failure: retry` retried: an answers file retries a step once, so that a
    /// step that keeps failing ends the run instead of looping.
    pub retried: std::collections::BTreeSet<String>,
    /// Which visit of each step the walk is on: what was given in advance answers the first.
    pub visits: BTreeMap<String, u32>,
}

impl<T: Operator> Scripted<T> {
    /// What a person answers when no terminal is there to ask: abort on a failure or on
    /// Ctrl-C; leave a rollback to `runbook rollback`.
    fn fallback(&self, q: &Question) -> Option<Answer> {
        if self.behind.as_ref().is_some_and(|b| b.interactive()) {
            return None;
        }
        match q {
            Question::Failure { .. } | Question::Interrupted { .. } => Some(Answer::Abort),
            Question::Rollback { .. } | Question::Dangerous { rollback: true, .. } => {
                Some(Answer::Skip("no terminal to confirm it".into()))
            }
            _ => None,
        }
    }

    /// The answer given in advance: `--answers`, `--yes`, `--confirm`, `--input`.
    fn given(&self, q: &Question) -> Option<Answer> {
        let step = self.answers.get(q.subject());
        let main = step.and_then(|s| s.answer.as_deref());
        let yes = self.yes;
        match q {
            Question::Input { name, default, .. } => self
                .inputs
                .get(name)
                .cloned()
                .or_else(|| default.clone().filter(|_| yes))
                .map(Answer::Text),
            Question::ChecklistItem { .. } | Question::Manual { .. } => match main {
                Some(a) if a.eq_ignore_ascii_case("skip") => {
                    Some(Answer::Skip("skipped by the answers file".into()))
                }
                Some(_) => Some(Answer::Done),
                None => yes.then_some(Answer::Done),
            },
            Question::RunCommand { .. } => {
                let given = step
                    .and_then(|s| s.run.as_deref())
                    .or(main.filter(|a| matches!(*a, "run" | "skip")));
                match given {
                    Some("skip") => Some(Answer::Skip("skipped by the answers file".into())),
                    Some(_) => Some(Answer::Run),
                    None => (yes || step.is_some()).then_some(Answer::Run),
                }
            }
            Question::Dangerous {
                step,
                phrase,
                rollback: false,
            } => self
                .confirmed
                .iter()
                .any(|c| c == step)
                .then(|| Answer::Text(phrase.clone())),
            // In a run, `--confirm STEP` confirms the step's command, not its undoing: the
            // rollback of a dangerous step runs only when the answers file says
            // `rollback: run` for it (or, in `runbook rollback`, with `--confirm STEP`).
            Question::Dangerous {
                phrase,
                rollback: true,
                ..
            } => match step.and_then(|s| s.rollback.as_deref()) {
                Some("run") => Some(Answer::Text(phrase.clone())),
                None if self.confirm_rollbacks
                    && self.confirmed.contains(&q.subject().to_string()) =>
                {
                    Some(Answer::Text(phrase.clone()))
                }
                Some(_) => Some(Answer::Skip("declined by the answers file".into())),
                None => None,
            },
            Question::Choose {
                options, default, ..
            } => {
                let Some(given) = main else {
                    return default.filter(|_| yes).map(Answer::Choice);
                };
                if let Ok(n) = given.trim().parse::<usize>() {
                    return (1..=options.len())
                        .contains(&n)
                        .then(|| Answer::Choice(n - 1));
                }
                options
                    .iter()
                    .position(|o| o.trim().eq_ignore_ascii_case(given.trim()))
                    .map(Answer::Choice)
            }
            Question::Ask {
                default,
                var,
                several,
                ..
            } => step
                .and_then(|s| s.values.get(var).cloned())
                .or_else(|| main.filter(|_| !several).map(str::to_string))
                .or_else(|| default.clone().filter(|_| yes))
                .map(Answer::Text),
            Question::Failure { .. } => match step.and_then(|s| s.failure.as_deref()) {
                Some("retry") => Some(Answer::Retry),
                Some("skip") => Some(Answer::Skip(
                    "skipped after failure by the answers file".into(),
                )),
                Some(_) => Some(Answer::Abort),
                None => None,
            },
            Question::Note { .. } => step
                .and_then(|s| s.note.clone())
                .map(Answer::Text)
                .or_else(|| yes.then(|| Answer::Text(String::new()))),
            Question::Rollback { .. } => match step.and_then(|s| s.rollback.as_deref()) {
                Some("run") => Some(Answer::Run),
                Some(_) => Some(Answer::Skip("declined by the answers file".into())),
                None => None,
            },
            Question::Interrupted { .. } => None,
            Question::ResumeStep { .. } => match step.and_then(|s| s.resume.as_deref()) {
                Some("done") => Some(Answer::Done),
                Some("skip") => Some(Answer::Skip("skipped on resume (answers file)".into())),
                Some(_) => Some(Answer::Retry),
                None => yes.then_some(Answer::Retry),
            },
            // `--yes` is not enough to go on with a changed runbook.
            Question::AcceptChanged { .. } => self.accept_changed.then_some(Answer::Done),
            // `--yes`: the run goes on alone, journaled and said.
            Question::GoOnAlone { .. } => yes.then_some(Answer::Done),
            Question::NextBatch {
                step: id,
                dangerous,
                ..
            } => match step.and_then(|s| s.batches.as_deref()) {
                Some("stop") => Some(Answer::Abort),
                Some(_) => Some(Answer::Done),
                None if self.confirmed.iter().any(|c| c == id) || (yes && !dangerous) => {
                    Some(Answer::Done)
                }
                None => None,
            },
            // Never `--yes`: `--confirm take-over`.
            Question::TakeOver { run, .. } => self
                .confirmed
                .iter()
                .any(|c| c == "take-over")
                .then(|| Answer::Text(run.clone())),
        }
    }
}

impl<T: Operator> Operator for Scripted<T> {
    fn ask(&mut self, q: &Question) -> Result<Answer, AskError> {
        let visit = self.visits.get(q.subject()).copied().unwrap_or(1);
        let again = q.per_visit() && visit > 1;
        let given = self.given(q);
        let held_back = again && given.is_some();
        if let Some(answer) = given.filter(|_| !again) {
            if let (Question::Failure { step, .. }, Answer::Retry) = (q, &answer)
                && !self.retried.insert(step.clone())
            {
                return Ok(Answer::Abort);
            }
            return Ok(answer);
        }
        if let Some(answer) = self.fallback(q) {
            return Ok(answer);
        }
        match &mut self.behind {
            Some(terminal) if terminal.interactive() => terminal.ask(q),
            _ if held_back => Err(AskError::NoAnswer {
                what: format!(
                    "step `{}` comes again (visit {visit} in this run), and answers given in advance (`--answers`, `--yes`, `--confirm`) answer one visit of a step, not a loop",
                    q.subject()
                ),
                help: format!(
                    "run it on a terminal to answer each visit, or change the answers so that the run does not come back to `{}`",
                    q.subject()
                ),
            }),
            _ => Err(no_answer(q)),
        }
    }

    fn visit(&mut self, step: &str, visit: u32) {
        self.visits.insert(step.to_string(), visit);
        if let Some(terminal) = &mut self.behind {
            terminal.visit(step, visit);
        }
    }

    fn interactive(&self) -> bool {
        self.behind.as_ref().is_some_and(|b| b.interactive())
    }
}

/// The error for a question nobody can answer: which step, and which flag would answer it.
fn no_answer(q: &Question) -> AskError {
    let s = q.subject();
    let (what, help) = match q {
        Question::Input { name, .. } => (
            format!("input `{name}` has no value"),
            format!("pass `--input {name}=VALUE`"),
        ),
        Question::Dangerous { step, phrase, .. } => (
            format!("step `{step}` is dangerous and needs the confirmation `{phrase}`"),
            format!("pass `--confirm {step}` to confirm it in advance (`--yes` never does)"),
        ),
        Question::Choose { options, .. } => (
            format!("step `{s}` needs a decision"),
            format!(
                "answer it in an answers file (`--answers FILE` with `{s}: 1` … `{s}: {}`, or an option's label)",
                options.len()
            ),
        ),
        Question::TakeOver { run, holder } => (
            format!("taking run {run} over from {holder} needs its id typed"),
            "run it on a terminal, or pass `--confirm take-over` (`--yes` never does)".to_string(),
        ),
        Question::NextBatch {
            step,
            hosts,
            batch,
            of,
            dangerous,
        } => (
            format!("step `{step}` asks before batch {batch} of {of} ({hosts})"),
            if *dangerous {
                format!(
                    "run it on a terminal, or pass `--confirm {step}` to start every batch (`--yes` never does for a dangerous step)"
                )
            } else {
                format!(
                    "run it on a terminal, or pass `--yes` (or `--confirm {step}`) to start every batch"
                )
            },
        ),
        Question::GoOnAlone { store, since, .. } => (
            format!(
                "contact with the team store {store} is lost since {since}: someone may take the run over"
            ),
            "drive the run on a terminal to choose, or pass `--yes` to go on alone".to_string(),
        ),
        Question::AcceptChanged { .. } => (
            "the runbook changed since the run started".to_string(),
            "pass `--accept-changed` to go on with the changed runbook (`--yes` is not enough)"
                .to_string(),
        ),
        Question::ResumeStep { step } => (
            format!("step `{step}` started and never finished"),
            format!(
                "pass `--yes` to run it again, or answer `{step}: {{resume: rerun|done|skip}}` in an answers file"
            ),
        ),
        Question::Ask { var, several, .. } => (
            format!("step `{s}` asks for `{var}`"),
            if *several {
                format!(
                    "answer it in an answers file (`--answers FILE` with `{s}: {{values: {{{var}: VALUE}}}}`)"
                )
            } else {
                format!("answer it in an answers file (`--answers FILE` with `{s}: VALUE`)")
            },
        ),
        _ => (
            format!("step `{s}` needs an answer"),
            format!(
                "pass `--yes`, or answer it in an answers file (`--answers FILE` with `{s}: ...`)"
            ),
        ),
    };
    AskError::NoAnswer { what, help }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Nobody;
    impl Operator for Nobody {
        fn ask(&mut self, _: &Question) -> Result<Answer, AskError> {
            Err(AskError::Terminal("no".into()))
        }
        fn interactive(&self) -> bool {
            false
        }
    }

    fn scripted(yaml: &str, yes: bool) -> Scripted<Nobody> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, yaml).unwrap();
        Scripted {
            answers: read_answers(&path).unwrap(),
            yes,
            confirmed: vec!["block".into()],
            inputs: BTreeMap::new(),
            accept_changed: false,
            confirm_rollbacks: false,
            behind: Some(Nobody),
            retried: Default::default(),
            visits: BTreeMap::new(),
        }
    }

    #[test]
    fn answers_by_number_label_and_flags() {
        let mut s = scripted(
            "pick: 2\nlabel: No way\nrole: {answer: report_api, run: skip}\n",
            false,
        );
        let choose = |step: &str| Question::Choose {
            step: step.into(),
            prompt: None,
            options: vec!["Yes".into(), "No way".into()],
            default: Some(1),
        };
        assert_eq!(s.ask(&choose("pick")), Ok(Answer::Choice(1)));
        assert_eq!(s.ask(&choose("label")), Ok(Answer::Choice(1)));
        // Without --yes, a default answers nothing.
        assert!(matches!(
            s.ask(&choose("other")),
            Err(AskError::NoAnswer { .. })
        ));
        s.yes = true;
        assert_eq!(s.ask(&choose("other")), Ok(Answer::Choice(1)));
        s.yes = false;
        let run = |step: &str| Question::RunCommand {
            step: step.into(),
            command: "ls".into(),
        };
        assert!(matches!(s.ask(&run("role")), Ok(Answer::Skip(_))));
        assert!(matches!(
            s.ask(&run("other")),
            Err(AskError::NoAnswer { .. })
        ));
        let danger = |step: &str| Question::Dangerous {
            step: step.into(),
            phrase: "block it".into(),
            rollback: false,
        };
        assert_eq!(s.ask(&danger("block")), Ok(Answer::Text("block it".into())));
        let err = s.ask(&danger("drop")).unwrap_err();
        assert!(err.to_string().contains("no terminal"), "{err}");
        let yes = &mut scripted("{}", true);
        assert_eq!(yes.ask(&run("x")), Ok(Answer::Run));
        assert!(matches!(
            yes.ask(&danger("drop")),
            Err(AskError::NoAnswer { .. })
        ));
    }

    #[test]
    fn bad_answers_files_say_where() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "pick: {answr: 1}\n").unwrap();
        let err = read_answers(&path).unwrap_err().to_string();
        assert!(err.contains(":1:8: unknown key `answr`"), "{err}");
        std::fs::write(&path, "pick: {failure: skp}\n").unwrap();
        let err = read_answers(&path).unwrap_err().to_string();
        assert!(
            err.contains(":1:17: `failure: skp` is not an answer: write `retry`, `skip`, `abort`"),
            "{err}"
        );
        std::fs::write(&path, "a: {rollback: run}\nb: {resume: rerun, run: skip}\n").unwrap();
        assert!(read_answers(&path).is_ok());
    }
}
