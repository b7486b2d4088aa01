use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::Sp;
use crate::values::is_identifier;

crate::declare_rule! {
    /// ## What it does
    /// Reports a name that breaks its pattern: the runbook `name` (`[a-z0-9][a-z0-9-]*`), step
    /// ids (`[a-z0-9][a-z0-9_-]*`, not `end`), and the names of inputs, variables and
    /// environment variables (`[A-Za-z_][A-Za-z0-9_]*`), also those a drill's `simulate`
    /// writes; and a simulated output the step does not declare in `outputs`.
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

/// `[a-z0-9][a-z0-9-]*` (SPEC §2): a runbook's name, typed on the command line and its file
/// name.
pub fn is_runbook_name(s: &str) -> bool {
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
                format!(
                    "use lower-case letters, digits and `-`, starting with a letter or digit (for example `{}`)",
                    kebab(name.as_str(), "my-runbook")
                ),
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
                let help = if id.as_str().eq_ignore_ascii_case("end") {
                    "`end` is where every run finishes; choose another id".to_string()
                } else {
                    format!(
                        "use lower-case letters, digits, `-` and `_`, starting with a letter or digit (for example `{}`)",
                        kebab(id.as_str(), &format!("step-{}", step.index + 1))
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
            for name in &step.secret_env {
                identifier(out, "environment variable", name);
            }
            if let Some(c) = &step.capture {
                identifier(out, "variable", &c.var);
            }
            for o in &step.outputs {
                identifier(out, "variable", o);
            }
            for ask in step.ask.iter().flat_map(|a| a.value.each()) {
                if let Some(v) = &ask.var {
                    identifier(out, "variable", v);
                }
            }
            if let Some(v) = step.choose.as_ref().and_then(|c| c.value.var.as_ref()) {
                identifier(out, "variable", v);
            }
            // A drill plays what the command would write: valid names, and only outputs the
            // step declares (the ones lint and a dry-run know later steps may use).
            for sim in &step.simulate {
                for (name, _) in &sim.env {
                    identifier(out, "environment variable", name);
                }
                for (name, _) in &sim.outputs {
                    identifier(out, "variable", name);
                    if is_identifier(name.as_str())
                        && !step.outputs.iter().any(|o| o.value == name.value)
                    {
                        out.push(Finding::new(
                            name.span,
                            format!(
                                "`simulate` writes output `{}`, which step `{}` does not declare in `outputs`",
                                name.value,
                                step.id()
                            ),
                            format!(
                                "add `{}` to the step's `outputs`, or remove it from `simulate`",
                                name.value
                            ),
                        ));
                    }
                }
            }
        }
    }
}

/// `Block Client` → `block-client`: a valid step id or runbook name close to `name`.
fn kebab(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() || out == "end" {
        fallback.to_string()
    } else {
        out.to_string()
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

#[cfg(test)]
mod tests {
    use super::{is_step_id, kebab};

    #[test]
    fn suggested_ids_are_valid() {
        let cases = [
            ("Block Client", "block-client"),
            ("9 Lives", "9-lives"),
            ("_restart_", "restart"),
            ("--", "step-3"),
            ("End", "step-3"),
            ("Étape 2", "tape-2"),
        ];
        for (id, expected) in cases {
            let suggested = kebab(id, "step-3");
            assert_eq!(suggested, expected, "{id}");
            assert!(is_step_id(&suggested), "{suggested}");
        }
    }
}
