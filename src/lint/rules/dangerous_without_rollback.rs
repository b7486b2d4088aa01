use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a step marked `dangerous: true` that has no `rollback`.
    ///
    /// ## Why this matters
    /// When a run is aborted, `runbook` offers the rollbacks of the steps already done, newest
    /// first. A dangerous change without one leaves the operator to work out the undo under
    /// pressure. When there is truly no undo, say so with a suppression comment.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: block-client
    ///     run: psql "$DB" -c "alter role report_api connection limit 0"
    ///     dangerous: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: block-client
    ///     run: psql "$DB" -c "alter role report_api connection limit 0"
    ///     rollback: psql "$DB" -c "alter role report_api connection limit -1"
    ///     dangerous: true
    /// ```
    pub struct DangerousWithoutRollback {
        code: "RB028",
        name: "dangerous-without-rollback",
        severity: Warning,
    }
}

impl Rule for DangerousWithoutRollback {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            if let (Some(dangerous), None) = (
                step.dangerous.as_ref().filter(|d| d.value),
                step.rollback.as_ref().or(step.rollback_manual.as_ref()),
            ) {
                out.push(Finding::new(
                    dangerous.span,
                    format!("dangerous step `{}` has no `rollback`", step.id()),
                    "add `rollback:` with the command that undoes it, or `rollback: {manual: \"what to do\"}` for an undoing a person must do by hand",
                ));
            }
        }
    }
}
