//! [`Node`] tree → [`Runbook`], collecting every unknown key, duplicate key, wrong type and
//! missing key of the file as a [`LoadIssue`] instead of stopping at the first.

use super::model::*;
use super::node::{Node, Value};
use super::source::{Source, Span};
use crate::suggest::did_you_mean;
use std::fmt::{self, Display};

/// The kinds of problem the loader finds; each is reported by one lint rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    Syntax,
    UnknownKey,
    DuplicateKey,
    WrongType,
    MissingKey,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoadIssue {
    pub kind: IssueKind,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

pub fn convert(source: &Source, root: &Node, issues: &mut Vec<LoadIssue>) -> Runbook {
    let mut cx = Converter {
        source,
        issues,
        simulate_hosts: Vec::new(),
    };
    cx.runbook(root)
}

struct Converter<'a> {
    source: &'a Source,
    issues: &'a mut Vec<LoadIssue>,
    /// The `hosts` of the `simulate` being read (taken by its step).
    simulate_hosts: Vec<(Sp<String>, Vec<Simulate>)>,
}

type Fields<'n> = Vec<(&'n str, &'n Node, &'n Node)>;

/// "step `id`", or "step N" for a step without an id. The names of the values in messages
/// (`what`) are written only when a message needs them: formatting them for every key of
/// every file was a tenth of the time of `runbook lint`.
struct StepLabel<'a> {
    id: Option<&'a str>,
    index: usize,
}

impl Display for StepLabel<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(f, "step `{id}`"),
            None => write!(f, "step {}", self.index + 1),
        }
    }
}

impl Converter<'_> {
    fn issue(
        &mut self,
        kind: IssueKind,
        span: Span,
        message: String,
        help: impl Into<Option<String>>,
    ) {
        self.issues.push(LoadIssue {
            kind,
            span,
            message,
            help: help.into(),
        });
    }

    fn wrong_type(&mut self, node: &Node, what: &dyn Display, expected: &str, help: &str) {
        // `run: {{ inputs.cmd }}`: YAML read a template as a mapping (in braces).
        let raw = self.source.text.get(node.span.start..).unwrap_or_default();
        if matches!(node.value, Value::Map(_)) && raw.starts_with("{{") {
            let line = self.source.position(node.span.start).line;
            let text = self.source.line_text(line).trim();
            // `key: {{ … }}` and `- {{ … }}` are shown fixed; in a flow mapping, the value.
            let simple = |t: &str| !t.starts_with('{') && !t.contains(", ");
            let fixed = match text.split_once(": ") {
                Some((key, value)) if simple(key) && value.starts_with("{{") => {
                    format!("{key}: \"{}\"", value.replace('"', "\\\""))
                }
                _ => match text.strip_prefix("- ") {
                    Some(item) if item.starts_with("{{") => {
                        format!("- \"{}\"", item.replace('"', "\\\""))
                    }
                    _ => "\"{{ … }}\" (the whole value in double quotes)".to_string(),
                },
            };
            self.issue(
                IssueKind::WrongType,
                node.span,
                format!(
                    "{what} starts with `{{{{`, which YAML reads as a mapping in braces, not as a template"
                ),
                format!("quote the value:\n  {fixed}"),
            );
            return;
        }
        // `- Restart the API: wait for green`: a text with `: ` read as a key and a value.
        if matches!(node.value, Value::Map(_)) && expected == "a string" {
            let line = self.source.position(node.span.start).line;
            let text = self.source.line_text(line).trim();
            let item = text.strip_prefix("- ").unwrap_or(text);
            if !item.starts_with('{') && item.contains(": ") {
                let lead = if text.starts_with("- ") { "- " } else { "" };
                self.issue(
                    IssueKind::WrongType,
                    node.span,
                    format!(
                        "{what} holds `: `, which YAML reads as a key and a value, not as text"
                    ),
                    format!("quote it:\n  {lead}'{}'", item.replace('\'', "''")),
                );
                return;
            }
        }
        self.issue(
            IssueKind::WrongType,
            node.span,
            format!("{what} must be {expected}, found {}", node.kind_name()),
            help.to_string(),
        );
    }

    /// The entries of a mapping whose keys are known, reporting the others.
    fn fields<'n>(&mut self, node: &'n Node, allowed: &[&str], what: &dyn Display) -> Fields<'n> {
        let entries: &[(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.wrong_type(
                    node,
                    what,
                    "a mapping",
                    "write `key: value` lines indented under it",
                );
                return Vec::new();
            }
        };
        let mut out: Fields<'n> = Vec::with_capacity(entries.len());
        let mut seen: Vec<(&str, Span)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let Some(name) = key.as_str() else {
                self.wrong_type(
                    key,
                    &format_args!("a key in {what}"),
                    "a string",
                    "use a plain word as the key",
                );
                continue;
            };
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                let line = self.source.position(first.start).line;
                // In a step, a repeated `id` (or `title`) is most often a new step written
                // without its `- `.
                let here = self.source.position(key.span.start);
                let step = what.to_string().starts_with("step ");
                let help = if step && matches!(name, "id" | "title") {
                    let text = self.source.line_text(here.line).trim();
                    format!(
                        "`{name}` is already set on line {line}: if a new step starts here, begin it with `- ` at the column of the step's `-` (`- {text}`); else keep one of them"
                    )
                } else {
                    format!("`{name}` is already set on line {line}; keep one of them")
                };
                self.issue(
                    IssueKind::DuplicateKey,
                    key.span,
                    format!("duplicate key `{name}` in {what}"),
                    help,
                );
                continue;
            }
            seen.push((name, key.span));
            if !allowed.contains(&name) {
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("valid keys: {}", allowed.join(", ")),
                };
                self.issue(
                    IssueKind::UnknownKey,
                    key.span,
                    format!("unknown key `{name}` in {what}"),
                    help,
                );
                continue;
            }
            out.push((name, key, value));
        }
        out
    }

    fn missing(&mut self, at: Span, key: &str, what: &dyn Display, help: &str) {
        self.issue(
            IssueKind::MissingKey,
            at,
            format!("missing required key `{key}` in {what}"),
            help.to_string(),
        );
    }

    /// A scalar as text: numbers and booleans keep their source spelling.
    fn string(&mut self, node: &Node, what: &dyn Display) -> Option<Sp<String>> {
        let text = match &node.value {
            Value::Str(s) => s.clone(),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let raw = self.source.slice(node.span);
                if raw.is_empty() {
                    match &node.value {
                        Value::Int(i) => i.to_string(),
                        Value::Float(f) => f.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => String::new(),
                    }
                } else {
                    raw.to_string()
                }
            }
            Value::Null => {
                self.wrong_type(node, what, "a string", "give it a value, or remove the key");
                return None;
            }
            Value::Seq(_) | Value::Map(_) => {
                self.wrong_type(
                    node,
                    what,
                    "a string",
                    "write a single value; use `|` for several lines",
                );
                return None;
            }
        };
        Some(Sp::new(text, node.span))
    }

    fn boolean(&mut self, node: &Node, what: &dyn Display) -> Option<Sp<bool>> {
        match &node.value {
            Value::Bool(b) => Some(Sp::new(*b, node.span)),
            _ => {
                let help = match node.as_str() {
                    Some(s) if ["yes", "on", "y"].contains(&s.to_lowercase().as_str()) => {
                        format!("write `true`; `{s}` is a string in YAML 1.2")
                    }
                    Some(s) if ["no", "off", "n"].contains(&s.to_lowercase().as_str()) => {
                        format!("write `false`; `{s}` is a string in YAML 1.2")
                    }
                    _ => "write `true` or `false`".to_string(),
                };
                self.wrong_type(node, what, "`true` or `false`", &help);
                None
            }
        }
    }

    fn integer(&mut self, node: &Node, what: &dyn Display) -> Option<Sp<i64>> {
        match &node.value {
            Value::Int(i) => Some(Sp::new(*i, node.span)),
            _ => {
                self.wrong_type(node, what, "a whole number", "write a number such as `3`");
                None
            }
        }
    }

    fn string_list(&mut self, node: &Node, what: &dyn Display) -> Vec<Sp<String>> {
        match &node.value {
            Value::Seq(items) => items
                .iter()
                .filter_map(|i| self.string(i, &format_args!("an item of {what}")))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                self.wrong_type(
                    node,
                    what,
                    "a list",
                    "write `[a, b]` or one `- item` per line",
                );
                Vec::new()
            }
        }
    }

    fn string_map(&mut self, node: &Node, what: &dyn Display) -> Pairs {
        let entries: &[(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.wrong_type(
                    node,
                    what,
                    "a mapping",
                    "write `NAME: value` lines indented under it",
                );
                return Vec::new();
            }
        };
        let mut out: Pairs = Vec::new();
        for (key, value) in entries {
            let Some(k) = self.string(key, &format_args!("a key in {what}")) else {
                continue;
            };
            if let Some((first, _)) = out.iter().find(|(n, _)| n.value == k.value) {
                let line = self.source.position(first.span.start).line;
                self.issue(
                    IssueKind::DuplicateKey,
                    key.span,
                    format!("duplicate key `{}` in {what}", k.value),
                    format!(
                        "`{}` is already set on line {line}; keep one of them",
                        k.value
                    ),
                );
                continue;
            }
            if let Some(v) = self.string(value, &format_args!("`{}` in {what}", k.value)) {
                out.push((k, v));
            }
        }
        out
    }

    fn shell(&mut self, node: &Node, what: &dyn Display) -> Option<Sp<Shell>> {
        let shell = match &node.value {
            Value::Str(s) if s == "bash" => Shell::Bash,
            Value::Str(s) if s == "sh" => Shell::Sh,
            Value::Seq(_) => {
                let parts: Vec<String> = self
                    .string_list(node, what)
                    .into_iter()
                    .map(|s| s.value)
                    .collect();
                if parts.is_empty() {
                    self.wrong_type(
                        node,
                        what,
                        "`bash`, `sh` or a non-empty list",
                        "for example `[python3, -c]`",
                    );
                    return None;
                }
                Shell::Command(parts)
            }
            _ => {
                self.issue(
                    IssueKind::WrongType,
                    node.span,
                    format!("{what} must be `bash`, `sh` or a list such as `[python3, -c]`"),
                    "other programs are given as a list: the program and its leading arguments"
                        .to_string(),
                );
                return None;
            }
        };
        Some(Sp::new(shell, node.span))
    }

    /// `version`: a whole number among [`SUPPORTED_VERSIONS`].
    fn version(&mut self, node: &Node, what: &dyn Display) -> Option<Sp<i64>> {
        let version = self.integer(node, what)?;
        if SUPPORTED_VERSIONS.contains(&version.value) {
            return Some(version);
        }
        let newest = SUPPORTED_VERSIONS.iter().max().copied().unwrap_or(1);
        let supported = match SUPPORTED_VERSIONS {
            [only] => format!("format version {only} only"),
            all => format!(
                "format versions {}",
                all.iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let help = if version.value > newest {
            format!(
                "this `runbook` reads {supported}: upgrade `runbook` if the file was written for \
                 a newer one, else write `version: {newest}` (or leave the key out)"
            )
        } else {
            format!(
                "this `runbook` reads {supported}: write `version: {newest}` (or leave the key \
                 out: it defaults to {newest})"
            )
        };
        self.issue(
            IssueKind::WrongType,
            node.span,
            format!("unsupported runbook format version {}", version.value),
            help,
        );
        None
    }

    fn runbook(&mut self, root: &Node) -> Runbook {
        let mut rb = Runbook {
            steps_span: Span::at(root.span.start),
            ..Default::default()
        };
        if !matches!(root.value, Value::Map(_)) {
            self.wrong_type(
                root,
                &"a runbook",
                "a mapping",
                "start with `title:` and `steps:`; see `runbook new`",
            );
            return rb;
        }
        let what = &"the runbook";
        for (name, key, value) in self.fields(root, RUNBOOK_KEYS, what) {
            let w = format_args!("`{name}`");
            match name {
                "version" => rb.version = self.version(value, &w),
                "name" => rb.name = self.string(value, &w),
                "title" => rb.title = self.string(value, &w),
                "description" => rb.description = self.string(value, &w),
                "owner" => rb.owner = self.string(value, &w),
                "severity" => rb.severity = self.string(value, &w),
                "tags" => rb.tags = self.string_list(value, &w),
                "links" => rb.links = self.string_map(value, &w),
                "inputs" => rb.inputs = self.inputs(value),
                "env" => rb.env = self.string_map(value, &w),
                "shell" => rb.shell = self.shell(value, &w),
                "dir" => rb.dir = self.string(value, &w),
                "inventory" => rb.inventory = self.string(value, &w),
                "max_visits" => {
                    rb.max_visits = self.integer(value, &w);
                    if rb.max_visits.as_ref().is_some_and(|m| m.value < 1) {
                        self.wrong_type(
                            value,
                            &w,
                            "one or more",
                            "write `max_visits: 100` or another count of at least 1",
                        );
                        rb.max_visits = None;
                    }
                }
                "steps" => {
                    rb.steps_span = key.span;
                    rb.steps = self.steps(value);
                }
                _ => {}
            }
        }
        let first_key = root
            .as_map()
            .and_then(|m| m.first())
            .map_or(root.span, |(k, _)| k.span);
        if root.get("title").is_none() {
            self.missing(
                first_key,
                "title",
                what,
                "add `title: <what is wrong, in one line>`",
            );
        }
        if root.get("steps").is_none() {
            self.missing(
                first_key,
                "steps",
                what,
                "add `steps:` with at least one step",
            );
        }
        rb
    }

    fn inputs(&mut self, node: &Node) -> Vec<Input> {
        let entries: &[(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                self.wrong_type(
                    node,
                    &"`inputs`",
                    "a mapping",
                    "write one `name:` per input, with its keys under it",
                );
                return Vec::new();
            }
        };
        let mut inputs: Vec<Input> = Vec::new();
        for (key, value) in entries {
            let Some(name) = self.string(key, &"an input name") else {
                continue;
            };
            if let Some(first) = inputs.iter().find(|i| i.name.value == name.value) {
                let line = self.source.position(first.name.span.start).line;
                self.issue(
                    IssueKind::DuplicateKey,
                    key.span,
                    format!("duplicate input `{}`", name.value),
                    format!(
                        "`{}` is already declared on line {line}; keep one of them",
                        name.value
                    ),
                );
                continue;
            }
            let input_name = name.value.clone();
            let what = format_args!("input `{input_name}`");
            let mut input = Input {
                name,
                description: None,
                default: None,
                required: None,
                choices: Vec::new(),
                pattern: None,
                ty: Sp::new(InputType::String, key.span),
                secret: false,
                env: None,
            };
            if let Value::Str(s) = &value.value {
                // `name: description` shorthand.
                input.description = Some(Sp::new(s.clone(), value.span));
                inputs.push(input);
                continue;
            }
            for (field, _, v) in self.fields(value, INPUT_KEYS, &what) {
                let w = format_args!("`{field}` of {what}");
                match field {
                    "description" => input.description = self.string(v, &w),
                    "default" => input.default = self.string(v, &w),
                    "required" => input.required = self.boolean(v, &w),
                    "choices" => input.choices = self.string_list(v, &w),
                    "pattern" => input.pattern = self.string(v, &w),
                    "type" => {
                        let ty = match v.as_str() {
                            Some("string") => Some(InputType::String),
                            Some("int") => Some(InputType::Int),
                            Some("bool") => Some(InputType::Bool),
                            _ => None,
                        };
                        match ty {
                            Some(ty) => input.ty = Sp::new(ty, v.span),
                            None => self.issue(
                                IssueKind::WrongType,
                                v.span,
                                format!("{w} must be `string`, `int` or `bool`"),
                                "remove `type` for a string input".to_string(),
                            ),
                        }
                    }
                    "secret" => input.secret = self.boolean(v, &w).is_some_and(|b| b.value),
                    "env" => input.env = self.string(v, &w),
                    _ => {}
                }
            }
            inputs.push(input);
        }
        inputs
    }

    fn steps(&mut self, node: &Node) -> Vec<Step> {
        let Value::Seq(items) = &node.value else {
            if matches!(node.value, Value::Null) {
                return Vec::new();
            }
            self.wrong_type(
                node,
                &"`steps`",
                "a list",
                "write each step as a `- id: ...` item",
            );
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .map(|(index, item)| self.step(index, item))
            .collect()
    }

    fn step(&mut self, index: usize, node: &Node) -> Step {
        let mut step = Step {
            index,
            span: node.full_span(),
            ..Default::default()
        };
        let label = StepLabel {
            id: node.get("id").and_then(Node::as_str),
            index,
        };
        for (name, key, v) in self.fields(node, STEP_KEYS, &label) {
            let w = format_args!("`{name}` of {label}");
            let at = key.span;
            match name {
                "id" => step.id = self.string(v, &w),
                "title" => step.title = self.string(v, &w),
                "section" => step.section = self.string(v, &w),
                "description" | "instructions" => {
                    if step.instructions.is_some() {
                        self.issue(
                            IssueKind::DuplicateKey,
                            v.span,
                            format!("{label} has both `description` and `instructions`"),
                            "they are the same key; keep one".to_string(),
                        );
                    } else {
                        step.instructions = self.string(v, &w);
                    }
                }
                "checklist" => {
                    let items = self.string_list(v, &w);
                    step.checklist = Some(Sp::new(items, v.span));
                }
                "run" => step.run = self.string(v, &w),
                "choose" => step.choose = self.choose(at, v, &label),
                "ask" => step.ask = self.ask(at, v, &label),
                "wait" => step.wait = self.wait(at, v, &label),
                "runbook" => step.runbook = self.string(v, &w),
                "with" => step.with = self.string_map(v, &w),
                "when" => step.when = self.string(v, &w),
                "next" => step.next = self.string(v, &w),
                "timeout" => step.timeout = self.string(v, &w),
                "retries" => {
                    step.retries = self.integer(v, &w);
                    if step.retries.as_ref().is_some_and(|r| r.value < 0) {
                        self.wrong_type(v, &w, "zero or more", "write `retries: 0` or more");
                        step.retries = None;
                    }
                }
                "retry_delay" => step.retry_delay = self.string(v, &w),
                "on_failure" => step.on_failure = self.string(v, &w),
                "expect" => step.expect = self.expect(v, &label),
                "capture" => step.capture = self.capture(at, v, &label),
                "outputs" => (step.outputs, step.secret_outputs) = self.outputs(v, &w),
                "secret_env" => step.secret_env = self.string_list(v, &w),
                "rollback" => {
                    if matches!(v.value, Value::Map(_)) {
                        for (key, _, m) in self.fields(v, ROLLBACK_KEYS, &w) {
                            if key == "manual" {
                                step.rollback_manual =
                                    self.string(m, &format_args!("`manual` in {w}"));
                            }
                        }
                    } else {
                        step.rollback = self.string(v, &w);
                    }
                }
                "dangerous" => step.dangerous = self.boolean(v, &w),
                "confirm" => step.confirm = self.string(v, &w),
                "readonly" => step.readonly = self.boolean(v, &w),
                "notes" => step.notes = self.boolean(v, &w),
                "duration" => step.duration = self.string(v, &w),
                "remind" => step.remind = self.string(v, &w),
                "interactive" => step.interactive = self.boolean(v, &w),
                "for_each" => match &v.value {
                    // `for_each: []`: no items, so the step is skipped.
                    Value::Seq(items) if items.is_empty() => {
                        step.for_each_from = Some(Sp::new(String::new(), v.span));
                    }
                    Value::Seq(_) => step.for_each = self.string_list(v, &w),
                    _ => step.for_each_from = self.string(v, &w),
                },
                "templates" => step.templates = self.boolean(v, &w),
                "env" => step.env = self.string_map(v, &w),
                "dir" => step.dir = self.string(v, &w),
                "shell" => step.shell = self.shell(v, &w),
                "simulate" => {
                    step.simulate = self.simulate(v, &label);
                    step.simulate_hosts = std::mem::take(&mut self.simulate_hosts);
                }
                "on" => {
                    step.on = match &v.value {
                        Value::Seq(_) => Some(Sp::new(On::List(self.string_list(v, &w)), v.span)),
                        _ => self.string(v, &w).map(|t| {
                            let span = t.span;
                            Sp::new(On::Text(t), span)
                        }),
                    }
                }
                "serial" => step.serial = self.string(v, &w),
                "concurrency" => {
                    step.concurrency = self.integer(v, &w);
                    if step.concurrency.as_ref().is_some_and(|c| c.value < 1) {
                        self.wrong_type(
                            v,
                            &w,
                            "one or more",
                            "write `concurrency: 5` or another count of at least 1",
                        );
                        step.concurrency = None;
                    }
                }
                "max_failures" => step.max_failures = self.string(v, &w),
                "confirm_batches" => step.confirm_batches = self.boolean(v, &w),
                _ => {}
            }
        }
        if matches!(node.value, Value::Map(_)) && node.get("title").is_none() {
            let at = node
                .as_map()
                .and_then(|m| m.first())
                .map_or(node.span, |(k, _)| k.span);
            self.missing(
                at,
                "title",
                &label,
                "add `title:` with one line saying what the step does",
            );
        }
        step
    }

    fn choose(&mut self, at: Span, node: &Node, label: &dyn Display) -> Option<Sp<Choose>> {
        let what = format_args!("`choose` of {label}");
        let mut choose = Choose {
            options_span: node.span,
            ..Default::default()
        };
        for (name, key, v) in self.fields(node, CHOOSE_KEYS, &what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "prompt" => choose.prompt = self.string(v, &w),
                "var" => choose.var = self.string(v, &w),
                "default" => choose.default = self.string(v, &w),
                "options" => {
                    choose.options_span = key.span;
                    match &v.value {
                        Value::Seq(items) => {
                            for item in items {
                                if let Some(option) = self.option(item, &what) {
                                    choose.options.push(option);
                                }
                            }
                        }
                        _ => self.wrong_type(
                            v,
                            &w,
                            "a list",
                            "write one `- label: ...` item per option",
                        ),
                    }
                }
                _ => {}
            }
        }
        if matches!(node.value, Value::Map(_)) && node.get("options").is_none() {
            self.missing(
                at,
                "options",
                &what,
                "add `options:` with a `label` and `next` each",
            );
        }
        Some(Sp::new(choose, node.span))
    }

    fn option(&mut self, node: &Node, what: &dyn Display) -> Option<ChooseOption> {
        if let Value::Str(label) = &node.value {
            return Some(ChooseOption {
                label: Some(Sp::new(label.clone(), node.span)),
                next: None,
                value: None,
                end: None,
                when: None,
                span: node.span,
            });
        }
        let what = format_args!("an option of {what}");
        let mut option = ChooseOption {
            label: None,
            next: None,
            value: None,
            end: None,
            when: None,
            span: node.span,
        };
        for (name, _, v) in self.fields(node, OPTION_KEYS, &what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "label" => option.label = self.string(v, &w),
                "next" => option.next = self.string(v, &w),
                "value" => option.value = self.string(v, &w),
                "when" => option.when = self.string(v, &w),
                "end" => {
                    option.end = self.string(v, &w);
                    if option
                        .end
                        .as_ref()
                        .is_some_and(|e| !OPTION_ENDS.contains(&e.as_str()))
                    {
                        self.issue(
                            IssueKind::WrongType,
                            v.span,
                            format!("{w} must be `failed` or `aborted`"),
                            "write `end: failed` (the run failed) or `end: aborted` (the run was stopped on purpose); to finish the run well, write `next: end`".to_string(),
                        );
                        option.end = None;
                    }
                }
                _ => {}
            }
        }
        if matches!(node.value, Value::Map(_)) && node.get("label").is_none() {
            self.missing(
                node.span,
                "label",
                &what,
                "add `label:` with the text the operator picks",
            );
        }
        Some(option)
    }

    fn ask(&mut self, at: Span, node: &Node, label: &dyn Display) -> Option<Sp<Ask>> {
        let what = format_args!("`ask` of {label}");
        let mut ask = Ask::default();
        for (name, _, v) in self.fields(node, ASK_KEYS, &what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "var" => ask.var = self.string(v, &w),
                "prompt" => ask.prompt = self.string(v, &w),
                "pattern" => ask.pattern = self.string(v, &w),
                "choices" => ask.choices = self.string_list(v, &w),
                "secret" => ask.secret = self.boolean(v, &w).is_some_and(|b| b.value),
                "default" => ask.default = self.string(v, &w),
                "fields" => match &v.value {
                    Value::Seq(items) => {
                        for (n, item) in items.iter().enumerate() {
                            let what = format_args!("field {} of {what}", n + 1);
                            let mut field = Ask::default();
                            for (name, _, v) in self.fields(item, FIELD_KEYS, &what) {
                                let w = format_args!("`{name}` in {what}");
                                match name {
                                    "var" => field.var = self.string(v, &w),
                                    "prompt" => field.prompt = self.string(v, &w),
                                    "pattern" => field.pattern = self.string(v, &w),
                                    "choices" => field.choices = self.string_list(v, &w),
                                    "secret" => {
                                        field.secret = self.boolean(v, &w).is_some_and(|b| b.value)
                                    }
                                    "default" => field.default = self.string(v, &w),
                                    _ => {}
                                }
                            }
                            if field.var.is_none() {
                                self.missing(
                                    item.span,
                                    "var",
                                    &what,
                                    "add `var:` with the name the answer is stored under",
                                );
                            } else {
                                ask.fields.push(field);
                            }
                        }
                    }
                    _ => self.wrong_type(
                        v,
                        &w,
                        "a list",
                        "write one `- {var: NAME, prompt: …}` per value",
                    ),
                },
                _ => {}
            }
        }
        if matches!(node.value, Value::Map(_) | Value::Null)
            && node.get("var").is_none()
            && node.get("fields").is_none()
        {
            self.missing(
                at,
                "var",
                &what,
                "add `var:` with the name the answer is stored under",
            );
        }
        Some(Sp::new(ask, node.span))
    }

    fn wait(&mut self, at: Span, node: &Node, label: &dyn Display) -> Option<Sp<Wait>> {
        let what = format_args!("`wait` of {label}");
        let mut wait = Wait::default();
        for (name, _, v) in self.fields(node, WAIT_KEYS, &what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "run" => wait.run = self.string(v, &w),
                "until" => wait.until = self.string(v, &w),
                "interval" => wait.interval = self.string(v, &w),
                "timeout" => wait.timeout = self.string(v, &w),
                _ => {}
            }
        }
        if matches!(node.value, Value::Map(_) | Value::Null) {
            for key in ["run", "until"] {
                if node.get(key).is_none() {
                    self.missing(
                        at,
                        key,
                        &what,
                        "a wait polls `run` until the `until` condition holds",
                    );
                }
            }
        }
        Some(Sp::new(wait, node.span))
    }

    fn expect(&mut self, node: &Node, label: &dyn Display) -> Option<Expect> {
        let what = format_args!("`expect` of {label}");
        let mut expect = Expect::default();
        for (name, _, v) in self.fields(node, EXPECT_KEYS, &what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "exit" => match &v.value {
                    Value::Int(_) => expect.exit = self.integer(v, &w).into_iter().collect(),
                    Value::Seq(items) => {
                        expect.exit = items.iter().filter_map(|i| self.integer(i, &w)).collect();
                    }
                    _ => self.wrong_type(
                        v,
                        &w,
                        "an exit status or a list of them",
                        "for example `exit: [0, 1]`",
                    ),
                },
                "stdout" => expect.stdout = self.string(v, &w),
                _ => {}
            }
        }
        Some(expect)
    }

    /// `outputs`: names, each a string or `{name: X, secret: true}`; and the secret ones.
    fn outputs(&mut self, node: &Node, what: &dyn Display) -> (Vec<Sp<String>>, Vec<String>) {
        let Value::Seq(items) = &node.value else {
            return (self.string_list(node, what), Vec::new());
        };
        let mut names = Vec::new();
        let mut secret = Vec::new();
        for item in items {
            if !matches!(item.value, Value::Map(_)) {
                names.extend(self.string(item, &format_args!("an item of {what}")));
                continue;
            }
            let w = format_args!("an item of {what}");
            let mut name = None;
            let mut is_secret = false;
            for (key, _, v) in self.fields(item, OUTPUT_KEYS, &w) {
                match key {
                    "name" => name = self.string(v, &format_args!("`name` in {w}")),
                    "secret" => {
                        is_secret = self
                            .boolean(v, &format_args!("`secret` in {w}"))
                            .is_some_and(|b| b.value)
                    }
                    _ => {}
                }
            }
            match name {
                Some(name) => {
                    if is_secret {
                        secret.push(name.value.clone());
                    }
                    names.push(name);
                }
                None => self.missing(
                    item.span,
                    "name",
                    &w,
                    "write `{name: NAME, secret: true}`, or just the name",
                ),
            }
        }
        (names, secret)
    }

    fn capture(&mut self, at: Span, node: &Node, label: &dyn Display) -> Option<Capture> {
        if let Value::Str(_) = node.value {
            let var = self.string(node, &"`capture`")?;
            return Some(Capture {
                var,
                from: CaptureFrom::Stdout,
                pattern: None,
                secret: false,
            });
        }
        let what = format_args!("`capture` of {label}");
        let mut var = None;
        let mut from = CaptureFrom::Stdout;
        let mut pattern = None;
        let mut secret = false;
        for (name, _, v) in self.fields(node, CAPTURE_KEYS, &what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "var" => var = self.string(v, &w),
                "secret" => secret = self.boolean(v, &w).is_some_and(|b| b.value),
                "pattern" => pattern = self.string(v, &w),
                "from" => match v.as_str() {
                    Some("stdout") => from = CaptureFrom::Stdout,
                    Some("stderr") => from = CaptureFrom::Stderr,
                    _ => self.issue(
                        IssueKind::WrongType,
                        v.span,
                        format!("{w} must be `stdout` or `stderr`"),
                        "remove `from` to capture stdout".to_string(),
                    ),
                },
                _ => {}
            }
        }
        match var {
            Some(var) => Some(Capture {
                var,
                from,
                pattern,
                secret,
            }),
            None => {
                if matches!(node.value, Value::Map(_)) {
                    self.missing(
                        at,
                        "var",
                        &what,
                        "add `var:` with the name the output is stored under",
                    );
                }
                None
            }
        }
    }

    /// `simulate`: one result, or a list of them played in turn.
    fn simulate(&mut self, node: &Node, label: &dyn Display) -> Vec<Simulate> {
        match &node.value {
            Value::Seq(items) if items.is_empty() => {
                self.wrong_type(
                    node,
                    &format_args!("`simulate` of {label}"),
                    "one result or a list of results",
                    "give `{stdout, stderr, exit}`, or a list of them for each run in turn",
                );
                Vec::new()
            }
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .map(|(n, item)| {
                    self.one_simulate(
                        item,
                        &format_args!("result {} of `simulate` of {label}", n + 1),
                    )
                })
                .collect(),
            // `simulate: {hosts: {web-3: {exit: 1}}, default: {stdout: ok}}`: a step on
            // several hosts practised with a partial failure.
            Value::Map(_) if node.get("hosts").is_some() || node.get("default").is_some() => {
                let what = format_args!("`simulate` of {label}");
                let mut default = Vec::new();
                for (name, _, v) in self.fields(node, &["hosts", "default"], &what) {
                    match name {
                        "default" => {
                            default = self.simulate(v, &format_args!("`default` of {what}"))
                        }
                        "hosts" => {
                            let Some(map) = v.as_map() else {
                                self.wrong_type(
                                    v,
                                    &format_args!("`hosts` in {what}"),
                                    "a mapping of host → result",
                                    "write `hosts: {web-3: {exit: 1, stderr: \"…\"}}`",
                                );
                                continue;
                            };
                            for (host, result) in map {
                                let Some(name) =
                                    self.string(host, &format_args!("a host in {what}"))
                                else {
                                    continue;
                                };
                                let results = self.simulate(
                                    result,
                                    &format_args!("`{}` in `hosts` of {what}", name.value),
                                );
                                self.simulate_hosts.push((name, results));
                            }
                        }
                        _ => {}
                    }
                }
                default
            }
            _ => vec![self.one_simulate(node, &format_args!("`simulate` of {label}"))],
        }
    }

    fn one_simulate(&mut self, node: &Node, what: &dyn Display) -> Simulate {
        let mut simulate = Simulate::default();
        for (name, _, v) in self.fields(node, SIMULATE_KEYS, what) {
            let w = format_args!("`{name}` in {what}");
            match name {
                "stdout" => simulate.stdout = self.string(v, &w),
                "stderr" => simulate.stderr = self.string(v, &w),
                "exit" => simulate.exit = self.integer(v, &w),
                "timeout" => simulate.timeout = self.boolean(v, &w),
                "outputs" => simulate.outputs = self.string_map(v, &w),
                "env" => simulate.env = self.string_map(v, &w),
                _ => {}
            }
        }
        simulate
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{IssueKind, load_bytes};
    use std::path::Path;

    fn load(text: &str) -> crate::load::Loaded {
        load_bytes(Path::new("t.yaml"), text.as_bytes().to_vec())
    }

    #[test]
    fn only_supported_versions_are_accepted() {
        let steps = "title: t\nsteps:\n  - title: a\n    run: 'true'\n";
        for ok in ["", "version: 1\n"] {
            let loaded = load(&format!("{ok}{steps}"));
            assert!(loaded.issues.is_empty(), "{ok:?}: {:?}", loaded.issues);
        }
        for (bad, newer) in [("7", true), ("0", false), ("-1", false)] {
            let text = format!("version: {bad}\n{steps}");
            let loaded = load(&text);
            let [issue] = loaded.issues.as_slice() else {
                panic!("{bad}: {:?}", loaded.issues);
            };
            assert_eq!(issue.kind, IssueKind::WrongType);
            assert_eq!(&text[issue.span.start..issue.span.end], bad);
            assert_eq!(
                issue.message,
                format!("unsupported runbook format version {bad}")
            );
            let help = issue.help.as_deref().unwrap_or_default();
            assert!(help.contains("format version 1 only"), "{help}");
            assert!(help.contains("`version: 1`"), "{help}");
            assert_eq!(help.contains("upgrade"), newer, "{help}");
        }
        let loaded = load(&format!("version: one\n{steps}"));
        assert_eq!(loaded.issues.len(), 1);
        assert!(loaded.issues[0].message.contains("whole number"));
    }
}
