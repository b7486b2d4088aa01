use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a reachable step from which no path leads to the end of the runbook, for
    /// example a `choose` whose every option loops back.
    ///
    /// ## Why this matters
    /// An operator who reaches that step can never finish the run. (A loop with no decision
    /// at all is reported as RB011 instead.)
    ///
    /// ## Example
    /// ```yaml
    ///   - id: check
    ///     run: curl -fsS localhost/health
    ///   - id: healthy
    ///     choose:
    ///       options:
    ///         - {label: Check again, next: check}
    ///         - {label: Still broken, next: check}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///         - {label: Healthy, next: end}
    /// ```
    pub struct NoPathToEnd {
        code: "RB012",
        name: "no-path-to-end",
        severity: Error,
    }
}

impl Rule for NoPathToEnd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if !cx.graph.unresolved.is_empty() {
            return; // the unknown reference is the problem to fix first
        }
        let reachable = cx.graph.reachable();
        let reaches_end = cx.graph.reaches_end();
        let in_loop: Vec<usize> = cx
            .graph
            .unbroken_loops()
            .into_iter()
            .flat_map(|(s, _)| s)
            .collect();
        for (i, step) in cx.runbook.steps.iter().enumerate() {
            if reachable[i] && !reaches_end[i] && !in_loop.contains(&i) {
                out.push(Finding::new(
                    step.anchor(),
                    format!("no path from step `{}` reaches the end of the runbook", step.id()),
                    "give one of the paths from here a way out: a `choose` option or a `next` to a later step or `end`",
                ));
            }
        }
    }
}
