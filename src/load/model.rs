//! The runbook format (SPEC §2) as types. Every value the linter may point at keeps its span.

use super::source::Span;

/// A value with the span of the YAML text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl Sp<String> {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

pub type Pairs = Vec<(Sp<String>, Sp<String>)>;

/// The runbook format versions this program reads (SPEC §2: `version`, defaults to 1).
pub const SUPPORTED_VERSIONS: &[i64] = &[1];

pub const RUNBOOK_KEYS: &[&str] = &[
    "version",
    "name",
    "title",
    "description",
    "owner",
    "severity",
    "tags",
    "links",
    "inputs",
    "env",
    "shell",
    "dir",
    "max_visits",
    "inventory",
    "steps",
];

pub const INPUT_KEYS: &[&str] = &[
    "description",
    "default",
    "required",
    "choices",
    "pattern",
    "type",
    "secret",
    "env",
];

pub const STEP_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "instructions",
    "checklist",
    "run",
    "choose",
    "ask",
    "wait",
    "runbook",
    "with",
    "when",
    "for_each",
    "next",
    "timeout",
    "duration",
    "remind",
    "retries",
    "retry_delay",
    "on_failure",
    "expect",
    "capture",
    "outputs",
    "secret_env",
    "rollback",
    "dangerous",
    "confirm",
    "readonly",
    "notes",
    "section",
    "interactive",
    "templates",
    "env",
    "dir",
    "shell",
    "simulate",
    "on",
    "serial",
    "concurrency",
    "max_failures",
    "confirm_batches",
];

pub const CHOOSE_KEYS: &[&str] = &["prompt", "options", "var", "default"];
pub const OPTION_KEYS: &[&str] = &["label", "next", "value", "end", "when"];
pub const ASK_KEYS: &[&str] = &[
    "var", "prompt", "pattern", "choices", "secret", "default", "fields",
];
pub const FIELD_KEYS: &[&str] = &["var", "prompt", "pattern", "choices", "secret", "default"];
pub const WAIT_KEYS: &[&str] = &["run", "until", "interval", "timeout"];
pub const EXPECT_KEYS: &[&str] = &["exit", "stdout"];
pub const CAPTURE_KEYS: &[&str] = &["var", "from", "pattern", "secret"];
pub const OUTPUT_KEYS: &[&str] = &["name", "secret"];
pub const ROLLBACK_KEYS: &[&str] = &["manual"];
pub const SIMULATE_KEYS: &[&str] = &["stdout", "stderr", "exit", "timeout", "outputs", "env"];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Runbook {
    pub version: Option<Sp<i64>>,
    pub name: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
    pub owner: Option<Sp<String>>,
    pub severity: Option<Sp<String>>,
    pub tags: Vec<Sp<String>>,
    pub links: Pairs,
    pub inputs: Vec<Input>,
    pub env: Pairs,
    pub shell: Option<Sp<Shell>>,
    pub dir: Option<Sp<String>>,
    /// How many times one step may be entered in a run before the run stops (a loop that an
    /// answer keeps taking); [`DEFAULT_MAX_VISITS`] when not given.
    pub max_visits: Option<Sp<i64>>,
    /// `inventory: hosts.ini`: the Ansible inventory (INI or YAML) whose groups and hosts a
    /// step's `on:` names, relative to the runbook's folder.
    pub inventory: Option<Sp<String>>,
    pub steps: Vec<Step>,
    /// The `steps` key, or the document start when it is missing.
    pub steps_span: Span,
}

/// The bound on visits of one step when a runbook does not set `max_visits`.
pub const DEFAULT_MAX_VISITS: u32 = 100;

impl Runbook {
    /// The scripts of its steps (`run`, `rollback`) other than `text`, which is one of them
    /// (the same string, not only the same text): what the other steps do with a file a
    /// script writes (see [`crate::shell::elsewhere`]).
    pub fn scripts_besides<'a>(&'a self, text: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.steps
            .iter()
            .flat_map(|s| [s.run.as_ref(), s.rollback.as_ref()])
            .flatten()
            .map(|s| s.value.as_str())
            .filter(move |s| s.as_ptr() != text.as_ptr())
    }

    /// How many times one step may be entered in a run.
    pub fn max_visits(&self) -> u32 {
        self.max_visits
            .as_ref()
            .and_then(|m| u32::try_from(m.value).ok())
            .filter(|&m| m > 0)
            .unwrap_or(DEFAULT_MAX_VISITS)
    }

    pub fn input(&self, name: &str) -> Option<&Input> {
        self.inputs.iter().find(|i| i.name.value == name)
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id() == id)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shell {
    Bash,
    Sh,
    /// A program and its leading arguments, the script comes last (`[python3, -c]`).
    Command(Vec<String>),
}

impl Shell {
    /// Whether the shell has bash's `$'…'` quoting (`sh` is dash on Debian and Ubuntu, which
    /// reads `$` and a single-quoted string instead).
    pub fn has_dollar_single(&self) -> bool {
        match self {
            Shell::Bash => true,
            Shell::Sh => false,
            Shell::Command(_) => matches!(self.program(), Some("bash" | "ksh" | "zsh" | "mksh")),
        }
    }

    /// The program a list shell runs, by its base name, past `env` and its assignments
    /// (`[/usr/bin/env, bash, -c]` runs bash).
    pub fn program(&self) -> Option<&str> {
        let Shell::Command(parts) = self else {
            return None;
        };
        fn base(p: &str) -> &str {
            p.rsplit('/').next().unwrap_or(p)
        }
        let mut words = parts.iter().map(String::as_str);
        let first = words.next()?;
        if base(first) != "env" {
            return Some(base(first));
        }
        words
            .find(|w| !w.contains('=') && !w.starts_with('-'))
            .map(base)
    }

    /// Whether scripts are POSIX shell text (checked by shellcheck, values passed as data).
    pub fn is_posix(&self) -> bool {
        match self {
            Shell::Bash | Shell::Sh => true,
            // `[bash, -eu, -c]`, `[/bin/sh, -c]`: a POSIX shell given its script with `-c`.
            Shell::Command(parts) => {
                // `env` with options could clear the environment the values travel in.
                let plain_env = parts.first().is_none_or(|p| !p.ends_with("env"))
                    || parts
                        .iter()
                        .skip(1)
                        .take_while(|w| w.contains('=') || w.starts_with('-'))
                        .all(|w| !w.starts_with('-'));
                plain_env
                    && matches!(
                        self.program(),
                        Some("bash" | "sh" | "dash" | "ksh" | "zsh" | "mksh")
                    )
                    && parts.last().is_some_and(|last| {
                        last.starts_with('-') && !last.starts_with("--") && last.ends_with('c')
                    })
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputType {
    #[default]
    String,
    Int,
    Bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: Sp<String>,
    pub description: Option<Sp<String>>,
    pub default: Option<Sp<String>>,
    pub required: Option<Sp<bool>>,
    pub choices: Vec<Sp<String>>,
    pub pattern: Option<Sp<String>>,
    pub ty: Sp<InputType>,
    pub secret: bool,
    pub env: Option<Sp<String>>,
}

/// What a step does; exactly one per step (`ask` may stand before a `run`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Manual,
    Run,
    Choose,
    Ask,
    Wait,
    Runbook,
}

impl StepKind {
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Manual => "manual",
            StepKind::Run => "run",
            StepKind::Choose => "choose",
            StepKind::Ask => "ask",
            StepKind::Wait => "wait",
            StepKind::Runbook => "runbook",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Step {
    /// 0-based position in `steps`.
    pub index: usize,
    /// From the step's first key to the end of its last value.
    pub span: Span,
    pub id: Option<Sp<String>>,
    pub title: Option<Sp<String>>,
    /// `section: Diagnosis`: the part of the runbook the step belongs to, shown above it
    /// when it changes (on the screen, and as a heading by `show --format md`).
    pub section: Option<Sp<String>>,
    pub instructions: Option<Sp<String>>,
    pub checklist: Option<Sp<Vec<Sp<String>>>>,
    pub run: Option<Sp<String>>,
    pub choose: Option<Sp<Choose>>,
    pub ask: Option<Sp<Ask>>,
    pub wait: Option<Sp<Wait>>,
    pub runbook: Option<Sp<String>>,
    pub with: Pairs,
    pub when: Option<Sp<String>>,
    /// `for_each: [a, b]`: the step runs once per item, `{{ item }}` being each.
    pub for_each: Vec<Sp<String>>,
    /// `for_each: "{{ vars.hosts }}"`: the items are the lines (or the JSON list) it renders.
    pub for_each_from: Option<Sp<String>>,
    pub next: Option<Sp<String>>,
    pub timeout: Option<Sp<String>>,
    /// `duration: 30s` on a run step: the command is stopped after that long, and that is
    /// its success ("let it run for 30 seconds").
    pub duration: Option<Sp<String>>,
    /// `remind: 15m`: once the step is done, the operator is reminded of it at that interval
    /// while the run is open.
    pub remind: Option<Sp<String>>,
    pub retries: Option<Sp<i64>>,
    pub retry_delay: Option<Sp<String>>,
    pub on_failure: Option<Sp<String>>,
    pub expect: Option<Expect>,
    pub capture: Option<Capture>,
    pub outputs: Vec<Sp<String>>,
    /// The `outputs` written `{name: X, secret: true}`: masked from the moment they are set.
    pub secret_outputs: Vec<String>,
    /// Names this step writes to `$RUNBOOK_ENV` whose values are secrets (`secret_env`).
    pub secret_env: Vec<Sp<String>>,
    pub rollback: Option<Sp<String>>,
    /// `rollback: {manual: "…"}`: an undoing that a person must do, later, by hand.
    pub rollback_manual: Option<Sp<String>>,
    pub dangerous: Option<Sp<bool>>,
    pub confirm: Option<Sp<String>>,
    pub readonly: Option<Sp<bool>>,
    pub notes: Option<Sp<bool>>,
    /// The command runs attached to the terminal (`read -p`, `vim`, `psql`, `kubectl exec -it`):
    /// nothing is captured or masked, and without a terminal the run stops.
    pub interactive: Option<Sp<bool>>,
    /// `templates: false`: the step's text is used as written, `{{ }}` included (a Go, Helm
    /// or jq template in a script).
    pub templates: Option<Sp<bool>>,
    pub env: Pairs,
    pub dir: Option<Sp<String>>,
    pub shell: Option<Sp<Shell>>,
    /// What a drill plays instead of the command: one result, or a sequence (the n-th run
    /// of the command, a retry or a wait's n-th check, takes the n-th; the last repeats).
    pub simulate: Vec<Simulate>,
    /// `simulate: {hosts: {web-3: …}, default: …}`: a step on several hosts practised with
    /// results of their own for some hosts (the others play `simulate`, its `default`).
    pub simulate_hosts: Vec<(Sp<String>, Vec<Simulate>)>,
    /// `on: [web-1, web-2]`, `on: web` (a group or a host), `on: "{{ vars.hosts }}"`: the
    /// hosts the step's command runs on, over OpenSSH.
    pub on: Option<Sp<On>>,
    /// `serial: 2` or `"25%"`: how many hosts a batch holds (all of them when not given).
    pub serial: Option<Sp<String>>,
    /// `concurrency: 5`: how many hosts of a batch run at once (the whole batch when not
    /// given).
    pub concurrency: Option<Sp<i64>>,
    /// `max_failures: 1` or `"10%"`: once more hosts than this have failed, no new host
    /// starts and the step fails (0 when not given: the first failure stops the step).
    pub max_failures: Option<Sp<String>>,
    /// `confirm_batches: true`: the operator says go before each batch after the first.
    pub confirm_batches: Option<Sp<bool>>,
}

/// Where a step runs: the hosts or groups listed, or the text of one value (a group, a host,
/// or a template that renders one host per line).
#[derive(Debug, Clone, PartialEq)]
pub enum On {
    List(Vec<Sp<String>>),
    Text(Sp<String>),
}

impl Step {
    /// Whether a value this step sets under `name` (an output, a capture, a `$RUNBOOK_ENV`
    /// name) is a secret.
    pub fn secret_var(&self, name: &str) -> bool {
        self.secret_outputs.iter().any(|o| o == name)
            || self
                .capture
                .as_ref()
                .is_some_and(|c| c.secret && c.var.value == name)
    }

    /// Whether the step's `{{ }}` are runbook templates (not `templates: false`).
    pub fn renders(&self) -> bool {
        self.templates.as_ref().is_none_or(|t| t.value)
    }

    pub fn is_interactive(&self) -> bool {
        self.interactive.as_ref().is_some_and(|i| i.value)
    }

    pub fn secret_env_name(&self, name: &str) -> bool {
        self.secret_env.iter().any(|e| e.value == name)
    }

    /// The step's id: its `id`, else `step-N` with N its 1-based position.
    pub fn id(&self) -> String {
        match &self.id {
            Some(id) => id.value.clone(),
            None => format!("step-{}", self.index + 1),
        }
    }

    /// Where to point when talking about the whole step: its id, else its first key.
    pub fn anchor(&self) -> Span {
        self.id
            .as_ref()
            .map_or(Span::new(self.span.start, self.span.start), |id| id.span)
    }

    /// Every kind-giving key present, with its span.
    pub fn kinds(&self) -> Vec<(StepKind, Span)> {
        let mut kinds = Vec::new();
        if let Some(c) = &self.checklist {
            kinds.push((StepKind::Manual, c.span));
        }
        if let Some(r) = &self.run {
            kinds.push((StepKind::Run, r.span));
        }
        if let Some(c) = &self.choose {
            kinds.push((StepKind::Choose, c.span));
        }
        if let (Some(a), None) = (&self.ask, &self.run) {
            kinds.push((StepKind::Ask, a.span));
        }
        if let Some(w) = &self.wait {
            kinds.push((StepKind::Wait, w.span));
        }
        if let Some(r) = &self.runbook {
            kinds.push((StepKind::Runbook, r.span));
        }
        if kinds.is_empty()
            && let Some(i) = &self.instructions
        {
            kinds.push((StepKind::Manual, i.span));
        }
        kinds
    }

    /// The step's kind when it has exactly one.
    pub fn kind(&self) -> Option<StepKind> {
        match self.kinds().as_slice() {
            [(kind, _)] => Some(*kind),
            _ => None,
        }
    }

    pub fn is_dangerous(&self) -> bool {
        self.dangerous.as_ref().is_some_and(|d| d.value)
    }

    /// Every shell script of the step with its role: `run`, `rollback`, `wait.run`.
    pub fn scripts(&self) -> Vec<(&'static str, &Sp<String>)> {
        let mut scripts = Vec::new();
        if let Some(run) = &self.run {
            scripts.push(("run", run));
        }
        if let Some(rollback) = &self.rollback {
            scripts.push(("rollback", rollback));
        }
        if let Some(run) = self.wait.as_ref().and_then(|w| w.value.run.as_ref()) {
            scripts.push(("wait.run", run));
        }
        scripts
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choose {
    pub prompt: Option<Sp<String>>,
    pub options: Vec<ChooseOption>,
    /// The `options` key, for "fewer than two options" reports.
    pub options_span: Span,
    pub var: Option<Sp<String>>,
    /// The option `--yes` takes (a label or a 1-based number), and the terminal's menu
    /// starts on.
    pub default: Option<Sp<String>>,
}

impl Choose {
    /// The index of the `default` option, if it names one.
    pub fn default_index(&self) -> Option<usize> {
        let given = self.default.as_ref()?.value.trim();
        if let Ok(n) = given.parse::<usize>() {
            return (1..=self.options.len()).contains(&n).then(|| n - 1);
        }
        self.options.iter().position(|o| {
            o.label
                .as_ref()
                .is_some_and(|l| l.value.trim().eq_ignore_ascii_case(given))
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChooseOption {
    pub label: Option<Sp<String>>,
    pub next: Option<Sp<String>>,
    pub value: Option<Sp<String>>,
    /// `end: failed` or `end: aborted`: the option ends the run with that status.
    pub end: Option<Sp<String>>,
    /// An expression: when it holds, the option is taken without asking (the first such).
    pub when: Option<Sp<String>>,
    pub span: Span,
}

/// The values of an option's `end`.
pub const OPTION_ENDS: &[&str] = &["failed", "aborted"];

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ask {
    pub var: Option<Sp<String>>,
    pub prompt: Option<Sp<String>>,
    pub pattern: Option<Sp<String>>,
    pub choices: Vec<Sp<String>>,
    pub secret: bool,
    pub default: Option<Sp<String>>,
    /// `fields: [{var, prompt, …}, …]`: several values asked in one step, in order.
    pub fields: Vec<Ask>,
}

impl Ask {
    /// Each value this `ask` asks for, in order: itself (when it has a `var`), then its
    /// `fields`.
    pub fn each(&self) -> Vec<&Ask> {
        let own = self.var.is_some().then_some(self);
        own.into_iter().chain(self.fields.iter()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wait {
    pub run: Option<Sp<String>>,
    pub until: Option<Sp<String>>,
    pub interval: Option<Sp<String>>,
    pub timeout: Option<Sp<String>>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    pub exit: Vec<Sp<i64>>,
    pub stdout: Option<Sp<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaptureFrom {
    #[default]
    Stdout,
    Stderr,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    pub var: Sp<String>,
    pub from: CaptureFrom,
    pub pattern: Option<Sp<String>>,
    /// The value is a secret: masked from the moment it is captured, and the stream it is
    /// captured from is neither shown nor kept.
    pub secret: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Simulate {
    pub stdout: Option<Sp<String>>,
    pub stderr: Option<Sp<String>>,
    pub exit: Option<Sp<i64>>,
    /// The command runs past its `timeout`.
    pub timeout: Option<Sp<bool>>,
    /// What the command writes to `$RUNBOOK_OUTPUT`.
    pub outputs: Pairs,
    /// What the command writes to `$RUNBOOK_ENV`.
    pub env: Pairs,
}
