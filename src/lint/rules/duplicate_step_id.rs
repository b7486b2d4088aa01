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
            let earlier = &cx.runbook.steps[first];
            let line = cx.source.position(earlier.anchor().start).line;
            let id = step.id();
            // A step without `id` is `step-N`: say so, or the clash with a written id is a riddle.
            let (message, help) = match (&step.id, &earlier.id) {
                (None, _) => (
                    format!(
                        "step {} has no `id`, and its default id `{id}` is already taken",
                        dup + 1
                    ),
                    format!(
                        "step {} on line {line} has the id `{id}`; give one of them another id",
                        first + 1
                    ),
                ),
                (Some(_), None) => (
                    format!("duplicate step id `{id}`"),
                    format!(
                        "step {} on line {line} has no `id`, so `{id}` is its default id; give this step another id",
                        first + 1
                    ),
                ),
                (Some(_), Some(_)) => (
                    format!("duplicate step id `{id}`"),
                    format!(
                        "step {} on line {line} already has this id; give each step its own",
                        first + 1
                    ),
                ),
            };
            out.push(Finding::new(step.anchor(), message, help));
        }
    }
}
