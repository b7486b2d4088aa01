use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::Span;

crate::declare_rule! {
    /// ## What it does
    /// Reports a runbook without an `owner` or without a `description`, or with a blank one.
    ///
    /// ## Why this matters
    /// At 3 am the engineer needs to know who to escalate to, and what situation the runbook
    /// is for before running its first command.
    ///
    /// ## Example
    /// ```yaml
    /// title: Inventory database overloaded
    /// steps: [...]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// title: Inventory database overloaded
    /// owner: team-inventory
    /// description: Checkout errors rise while the inventory database is above 90% CPU.
    /// steps: [...]
    /// ```
    pub struct MissingMetadata {
        code: "RB029",
        name: "missing-metadata",
        severity: Warning,
    }
}

impl Rule for MissingMetadata {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let rb = cx.runbook;
        let at = rb.title.as_ref().map_or(Span::at(0), |t| t.span);
        let fields = [
            (
                "owner",
                &rb.owner,
                "add `owner: <team>` so the on-call engineer knows who to escalate to",
            ),
            (
                "description",
                &rb.description,
                "add `description:` saying when to use this runbook (symptoms, alerts)",
            ),
        ];
        for (key, value, help) in fields {
            match value {
                None => out.push(Finding::new(
                    at,
                    format!("the runbook has no `{key}`"),
                    help,
                )),
                Some(v) if v.value.trim().is_empty() => out.push(Finding::new(
                    v.span,
                    format!("the runbook's `{key}` is empty"),
                    help.replacen("add", "fill in", 1),
                )),
                Some(_) => {}
            }
        }
    }
}
