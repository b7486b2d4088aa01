use super::key_span::key_span;
use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `wait` with no `timeout` (neither `wait.timeout` nor the step's `timeout`).
    ///
    /// ## Why this matters
    /// If the condition never holds, the run waits forever, and the operator is left staring
    /// at a spinner instead of being told that recovery did not happen.
    ///
    /// ## Example
    /// ```yaml
    ///     wait:
    ///       run: curl -fsS localhost/health
    ///       until: output == "ok"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     wait:
    ///       run: curl -fsS localhost/health
    ///       until: output == "ok"
    ///       interval: 10s
    ///       timeout: 10m
    /// ```
    pub struct WaitWithoutTimeout {
        code: "RB020",
        name: "wait-without-timeout",
        severity: Error,
    }
}

impl Rule for WaitWithoutTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            if let Some(wait) = &step.wait
                && wait.value.timeout.is_none()
                && step.timeout.is_none()
            {
                out.push(Finding::new(
                    key_span(cx.source, step.span.start, wait.span, "wait"),
                    format!("`wait` in step `{}` has no timeout", step.id()),
                    "add `timeout:` under `wait`, such as `timeout: 10m`",
                ));
            }
        }
    }
}
