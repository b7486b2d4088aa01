use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a step id used by more than one step.
    ///
    /// ## Why this matters
    /// `next`, `on_failure`, `--from` and `--confirm` name steps by id: with two steps of the
    /// same id, a jump or a pre-confirmation could land on the wrong one.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: check
    ///     run: uptime
    ///   - id: check
    ///     run: df -h
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: check-load
    ///     run: uptime
    ///   - id: check-disk
    ///     run: df -h
    /// ```
    pub struct DuplicateStepId {
        code: "RB007",
        name: "duplicate-step-id",
        severity: Error,
    }
}

impl Rule for DuplicateStepId {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for &(dup, first) in &cx.graph.duplicates {
            let step = &cx.runbook.steps[dup];
            let line = cx
                .source
                .position(cx.runbook.steps[first].anchor().start)
                .line;
            out.push(Finding::new(
                step.anchor(),
                format!("duplicate step id `{}`", step.id()),
                format!(
                    "step {} on line {line} already has this id; give each step its own",
                    first + 1
                ),
            ));
        }
    }
}
