use super::loader_issue;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::IssueKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong type: a list where a string is expected, `yes` where a
    /// boolean is expected, text where a number is expected; and a value that is not one of
    /// those allowed, such as a format `version` that this `runbook` does not read.
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
    }
}
