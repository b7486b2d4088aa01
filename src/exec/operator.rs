//! The [`Operator`]: everything the executor asks a person. Front ends: the terminal
//! (`interactive.rs`), scripted answers (`scripted.rs`), and the two stacked.

/// A question, with what the front end needs to ask it well.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// A missing input before the run starts.
    Input {
        name: String,
        description: Option<String>,
        default: Option<String>,
        choices: Vec<String>,
        pattern: Option<String>,
        secret: bool,
    },
    /// One item of a checklist: `Done` or `Skip(reason)`.
    ChecklistItem {
        step: String,
        item: String,
        index: usize,
        total: usize,
    },
    /// A step of instructions only: `Done`, `Skip(reason)` or `Abort`.
    Manual { step: String },
    /// The rendered command is shown: `Run`, `Skip(reason)`, `Edit(script)` or `Abort`.
    RunCommand { step: String, command: String },
    /// A dangerous step, or (`rollback`) the rollback of one: the phrase typed (`Text`);
    /// empty skips it.
    Dangerous {
        step: String,
        phrase: String,
        rollback: bool,
    },
    /// A decision: `Choice(index)`. `default`: the option `--yes` takes (the runbook's
    /// `default`, or the first in a dry-run), where the terminal's menu starts.
    Choose {
        step: String,
        prompt: Option<String>,
        options: Vec<String>,
        default: Option<usize>,
    },
    /// A validated answer stored in `vars.<var>`: `Text`.
    Ask {
        step: String,
        /// One of several values the step asks (`ask: {fields: …}`): an answers file gives
        /// each in `values`, never one answer for all.
        several: bool,
        var: String,
        prompt: String,
        pattern: Option<String>,
        choices: Vec<String>,
        default: Option<String>,
        secret: bool,
    },
    /// A command failed: `Retry`, `Edit(script)`, `Shell`, `Skip(reason)` or `Abort`.
    Failure {
        step: String,
        command: String,
        summary: String,
    },
    /// An observation after the step: `Text` (empty for none).
    Note { step: String },
    /// After an abort, one completed step's rollback: `Run` or `Skip(reason)`.
    Rollback { step: String, command: String },
    /// The operator pressed Ctrl-C at a prompt: `Abort` or `Retry` (ask again).
    Interrupted { step: String },
    /// Resuming: a step started and never finished. `Retry` (run it again), `Done` (mark
    /// it done; a note follows) or `Skip(reason)`.
    ResumeStep { step: String },
    /// Resuming: the runbook changed since the run started. `Done` goes on, `Abort` stops.
    AcceptChanged { summary: String },
    /// Before step `step`: contact with the team store `store` was lost (last at `since`)
    /// long enough for the run's lease to expire. `Done` goes on alone, `Abort` stops (the
    /// run stays resumable).
    GoOnAlone {
        step: String,
        since: String,
        store: String,
    },
    /// Taking a run over from a driver whose lease expired: the run's short id typed
    /// (`Text`); anything else declines.
    TakeOver { run: String, holder: String },
    /// A step on several hosts with `confirm_batches`: before batch `batch` of `of` (its
    /// hosts named). `Done` starts it, anything else stops the step there. `--yes` answers
    /// it, but not for a `dangerous` step (`--confirm STEP` does).
    NextBatch {
        step: String,
        hosts: String,
        batch: usize,
        of: usize,
        dangerous: bool,
    },
}

impl Question {
    /// Whether an answer given in advance for this question answers one visit of its step
    /// (a decision, a confirmation, a command, a note), not the run (inputs, rollbacks, what
    /// to do on Ctrl-C or on resume).
    pub fn per_visit(&self) -> bool {
        match self {
            Question::ChecklistItem { .. }
            | Question::Manual { .. }
            | Question::RunCommand { .. }
            | Question::Choose { .. }
            | Question::Ask { .. }
            | Question::Failure { .. }
            | Question::NextBatch { .. }
            | Question::Note { .. } => true,
            Question::Dangerous { rollback, .. } => !rollback,
            Question::Input { .. }
            | Question::Rollback { .. }
            | Question::Interrupted { .. }
            | Question::ResumeStep { .. }
            | Question::AcceptChanged { .. }
            | Question::GoOnAlone { .. }
            | Question::TakeOver { .. } => false,
        }
    }

    /// The step the question belongs to, or the input's name.
    pub fn subject(&self) -> &str {
        match self {
            Question::Input { name, .. } => name,
            Question::ChecklistItem { step, .. }
            | Question::Manual { step }
            | Question::RunCommand { step, .. }
            | Question::Dangerous { step, .. }
            | Question::Choose { step, .. }
            | Question::Ask { step, .. }
            | Question::Failure { step, .. }
            | Question::Note { step }
            | Question::Rollback { step, .. }
            | Question::Interrupted { step }
            | Question::ResumeStep { step }
            | Question::GoOnAlone { step, .. }
            | Question::NextBatch { step, .. } => step,
            Question::AcceptChanged { .. } => "the changed runbook",
            Question::TakeOver { .. } => "take-over",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    Done,
    Run,
    Retry,
    Shell,
    Abort,
    Skip(String),
    Edit(String),
    Text(String),
    Choice(usize),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AskError {
    /// No answer was given and there is no terminal to ask on.
    #[error("{what}, and there is no terminal to ask on")]
    NoAnswer { what: String, help: String },
    /// Ctrl-C at a prompt.
    #[error("interrupted")]
    Interrupted,
    /// The terminal failed.
    #[error("the terminal failed: {0}")]
    Terminal(String),
}

pub trait Operator {
    fn ask(&mut self, question: &Question) -> Result<Answer, AskError>;

    /// The walk enters `step` for the `visit`-th time in this run (1 for the first): answers
    /// given in advance answer one visit of a step, not a loop through it.
    fn visit(&mut self, _step: &str, _visit: u32) {}

    /// Whether a person can be asked (a terminal is there).
    fn interactive(&self) -> bool;
}
