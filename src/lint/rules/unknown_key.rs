use super::loader_issue;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::IssueKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a key that the runbook format does not know, and names the closest valid key.
    ///
    /// ## Why this matters
    /// A misspelt key is silently ignored by most YAML tools: `dangerus: true` would leave a
    /// destructive step without its confirmation, `tiemout: 30s` without its timeout.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - id: restart
    ///     title: Restart the API
    ///     run: systemctl restart api
    ///     tiemout: 30s
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     timeout: 30s
    /// ```
    pub struct UnknownKey {
        code: "RB002",
        name: "unknown-key",
        severity: Error,
    }
}

impl Rule for UnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        loader_issue::report(cx, IssueKind::UnknownKey, out);
    }
}
