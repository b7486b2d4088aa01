use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::Sp;

crate::declare_rule! {
    /// ## What it does
    /// Reports a regular expression that does not compile: an input's or an `ask`'s
    /// `pattern`, `expect.stdout`, `capture.pattern`. A `capture.pattern` must have exactly
    /// one capture group, whose text becomes the variable.
    ///
    /// ## Why this matters
    /// The prompt would reject every answer, or the step would fail after its command ran.
    ///
    /// ## Example
    /// ```yaml
    ///     ask:
    ///       var: role
    ///       pattern: '^[a-z_[a-z0-9_]*$'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///       pattern: '^[a-z_][a-z0-9_]*$'
    /// ```
    pub struct InvalidRegex {
        code: "RB018",
        name: "invalid-regex",
        severity: Error,
    }
}

impl Rule for InvalidRegex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let check = |out: &mut Vec<Finding>,
                     key: &str,
                     value: &Sp<String>,
                     groups: Option<usize>| {
            match regex::Regex::new(value.as_str()) {
                Err(e) => {
                    let text = e.to_string();
                    let why = text
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("invalid");
                    let why = why.trim().trim_start_matches("error: ");
                    out.push(Finding::new(
                        value.span,
                        format!("invalid regular expression in `{key}`: {why}"),
                        "fix the pattern; it uses Rust regex syntax (like Perl's, without look-around)",
                    ));
                }
                Ok(re) => {
                    if let Some(want) = groups {
                        let have = re.captures_len() - 1;
                        if have != want {
                            out.push(Finding::new(
                                value.span,
                                format!("`{key}` must have exactly one capture group, found {have}"),
                                "wrap the part to keep in `( )`, and make other groups non-capturing with `(?: )`",
                            ));
                        }
                    }
                }
            }
        };
        for input in &cx.runbook.inputs {
            if let Some(p) = &input.pattern {
                check(out, "pattern", p, None);
            }
        }
        for step in &cx.runbook.steps {
            if let Some(p) = step.ask.as_ref().and_then(|a| a.value.pattern.as_ref()) {
                check(out, "ask.pattern", p, None);
            }
            if let Some(p) = step.expect.as_ref().and_then(|e| e.stdout.as_ref()) {
                check(out, "expect.stdout", p, None);
            }
            if let Some(p) = step.capture.as_ref().and_then(|c| c.pattern.as_ref()) {
                check(out, "capture.pattern", p, Some(1));
            }
        }
    }
}
