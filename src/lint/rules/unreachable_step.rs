use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a step that no path from the first step reaches: every step before it jumps
    /// elsewhere with `next`, and no `choose` option or `on_failure` leads to it. Not reported
    /// while a step reference is unknown (RB009): the misspelt reference is usually the cause.
    ///
    /// ## Why this matters
    /// An unreachable step never runs: usually a `next` points at the wrong step, and the
    /// remedy the author meant is silently skipped.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: restart
    ///     run: systemctl restart api
    ///     next: end
    ///   - id: verify
    ///     run: curl -fsS localhost/health
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: restart
    ///     run: systemctl restart api
    ///   - id: verify
    ///     run: curl -fsS localhost/health
    /// ```
    pub struct UnreachableStep {
        code: "RB010",
        name: "unreachable-step",
        severity: Warning,
    }
}

impl Rule for UnreachableStep {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if !cx.graph.unresolved.is_empty() {
            return; // a misspelt reference is the problem to fix first (RB009)
        }
        for (i, reachable) in cx.graph.reachable().into_iter().enumerate() {
            if !reachable {
                let step = &cx.runbook.steps[i];
                out.push(Finding::new(
                    step.anchor(),
                    format!("step `{}` can never be reached", step.id()),
                    "point a `next`, a `choose` option or an `on_failure` at it, or remove it",
                ));
            }
        }
    }
}
