use super::loader_issue;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::IssueKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong type: a list where a string is expected, `yes` where a
    /// boolean is expected, text where a number is expected; and a value that is not one of
    /// those allowed, such as a format `version` that this `runbook` does not read, or a
    /// `default` that its own input or `ask` refuses (its `type`, `choices`, `pattern`).
    ///
    /// ## Why this matters
    /// YAML guesses types from spelling. Runbooks are read as YAML 1.2, where `yes` and `on`
    /// are strings, so `dangerous: yes` would not make a step dangerous: the linter refuses it.
    ///
    /// ## Example
    /// ```yaml
    /// version: 7
    /// steps:
    ///   - dangerous: yes
    ///     retries: three
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// version: 1
    /// steps:
    ///   - dangerous: true
    ///     retries: 3
    /// ```
    pub struct InvalidType {
        code: "RB003",
        name: "invalid-type",
        severity: Error,
    }
}

impl Rule for InvalidType {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        loader_issue::report(cx, IssueKind::WrongType, out);
        // A default that its own input (or `ask`) refuses would fail every run that uses it,
        // at the start (an input) or at the step (an `ask` answered with `--yes`).
        for input in &cx.runbook.inputs {
            // An invalid pattern is RB018's to report.
            let bad_pattern = input
                .pattern
                .as_ref()
                .is_some_and(|p| crate::values::pattern::compile(&p.value).is_err());
            if let Some(default) = input.default.as_ref().filter(|d| !d.value.contains("{{"))
                && !bad_pattern
                && let Err(why) = crate::values::validate(input, &default.value)
            {
                out.push(Finding::new(
                    default.span,
                    format!("the default of input `{}` is refused by the input itself: {why}", input.name.value),
                    "make the default a value the input accepts (its `type`, `choices` and `pattern`), or remove it",
                ));
            }
        }
        for step in &cx.runbook.steps {
            let Some(ask) = &step.ask else { continue };
            let ask = &ask.value;
            if let Some(default) = ask.default.as_ref().filter(|d| !d.value.contains("{{")) {
                let choices: Vec<String> = ask.choices.iter().map(|c| c.value.clone()).collect();
                // An invalid pattern is RB018's to report.
                let pattern = ask
                    .pattern
                    .as_ref()
                    .filter(|p| crate::values::pattern::compile(&p.value).is_ok())
                    .map(|p| p.value.as_str());
                if let Some(why) =
                    crate::values::valid_answer(&default.value, ask.secret, pattern, &choices)
                {
                    out.push(Finding::new(
                        default.span,
                        format!("the default of step `{}`'s `ask` is refused by the ask itself: {why}", step.id()),
                        "make the default an answer the `ask` accepts (its `choices` and `pattern`), or remove it",
                    ));
                }
            }
        }
    }
}
