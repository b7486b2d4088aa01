use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::Sp;

crate::declare_rule! {
    /// ## What it does
    /// Reports a name that breaks its pattern: the runbook `name` (`[a-z0-9][a-z0-9-]*`), step
    /// ids (`[a-z0-9][a-z0-9_-]*`, not `end`), and the names of inputs, variables and
    /// environment variables (`[A-Za-z_][A-Za-z0-9_]*`).
    ///
    /// ## Why this matters
    /// Ids are typed on the command line (`--from`, `--confirm`) and in answer files; inputs
    /// and variables are used in templates as `inputs.NAME` and `vars.NAME`, where `-` would
    /// read as a minus sign; `end` is where every run finishes.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: Block Client
    ///     capture: client-ip
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: block-client
    ///     capture: client_ip
    /// ```
    pub struct InvalidName {
        code: "RB006",
        name: "invalid-name",
        severity: Error,
    }
}

fn is_runbook_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn is_step_id(s: &str) -> bool {
    let mut chars = s.chars();
    s != "end"
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Rule for InvalidName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let rb = cx.runbook;
        if let Some(name) = rb.name.as_ref().filter(|n| !is_runbook_name(n.as_str())) {
            out.push(Finding::new(
                name.span,
                format!("invalid runbook name `{}`", name.value),
                "use lower-case letters, digits and `-`, starting with a letter or digit",
            ));
        }
        let identifier = |out: &mut Vec<Finding>, what: &str, name: &Sp<String>| {
            if !is_identifier(name.as_str()) {
                out.push(Finding::new(
                    name.span,
                    format!("invalid {what} name `{}`", name.value),
                    format!(
                        "use letters, digits and `_`, starting with a letter or `_` (for example `{}`)",
                        suggestion(name.as_str())
                    ),
                ));
            }
        };
        for input in &rb.inputs {
            identifier(out, "input", &input.name);
            if let Some(env) = &input.env {
                identifier(out, "environment variable", env);
            }
        }
        for (name, _) in &rb.env {
            identifier(out, "environment variable", name);
        }
        for step in &rb.steps {
            if let Some(id) = step.id.as_ref().filter(|id| !is_step_id(id.as_str())) {
                let help = if id.as_str() == "end" {
                    "`end` is where every run finishes; choose another id".to_string()
                } else {
                    format!(
                        "use lower-case letters, digits, `-` and `_`, starting with a letter or digit (for example `{}`)",
                        suggestion(id.as_str()).to_lowercase().replace('_', "-")
                    )
                };
                out.push(Finding::new(
                    id.span,
                    format!("invalid step id `{}`", id.value),
                    help,
                ));
            }
            for (name, _) in &step.env {
                identifier(out, "environment variable", name);
            }
            if let Some(c) = &step.capture {
                identifier(out, "variable", &c.var);
            }
            for o in &step.outputs {
                identifier(out, "variable", o);
            }
            if let Some(v) = step.ask.as_ref().and_then(|a| a.value.var.as_ref()) {
                identifier(out, "variable", v);
            }
            if let Some(v) = step.choose.as_ref().and_then(|c| c.value.var.as_ref()) {
                identifier(out, "variable", v);
            }
        }
    }
}

fn suggestion(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_digit()) || cleaned.is_empty() {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}
