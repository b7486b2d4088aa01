use super::loader_issue;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::IssueKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a key given twice in the same mapping (or an input declared twice).
    ///
    /// ## Why this matters
    /// YAML requires unique keys, and parsers disagree on which copy wins: the step a reviewer
    /// read may not be the step that runs.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: drain
    ///     run: kubectl drain node-1
    ///     run: kubectl cordon node-1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: drain
    ///     run: kubectl cordon node-1
    /// ```
    pub struct DuplicateKey {
        code: "RB005",
        name: "duplicate-key",
        severity: Error,
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        loader_issue::report(cx, IssueKind::DuplicateKey, out);
    }
}
