use super::loader_issue;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::IssueKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a required key that is missing: the runbook's `title` and `steps`, a step's
    /// `title`, an option's `label`, an `ask`'s `var`, a `wait`'s `run` and `until`; and a
    /// runbook whose `steps` list is empty.
    ///
    /// ## Why this matters
    /// The engineer at 3 am reads the titles to know where they are; a wait without a
    /// condition cannot end.
    ///
    /// ## Example
    /// ```yaml
    /// title: Disk full on a database host
    /// steps:
    ///   - run: df -h
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - title: See which filesystem is full
    ///     run: df -h
    /// ```
    pub struct MissingKey {
        code: "RB004",
        name: "missing-key",
        severity: Error,
    }
}

impl Rule for MissingKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        loader_issue::report(cx, IssueKind::MissingKey, out);
        let steps_given = cx.source.slice(cx.runbook.steps_span) == "steps";
        if steps_given && cx.runbook.steps.is_empty() {
            out.push(Finding::new(
                cx.runbook.steps_span,
                "the runbook has no steps",
                "add at least one step under `steps:`",
            ));
        }
    }
}
