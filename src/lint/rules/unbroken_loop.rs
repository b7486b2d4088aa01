use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a loop in the step graph that passes no `choose` and no `wait`: nothing in it
    /// lets a person or a condition decide to leave.
    ///
    /// ## Why this matters
    /// Such a run repeats the same commands forever. A loop must pass a place where someone
    /// (a `choose`) or something (a `wait` condition) decides. To repeat a failing command a
    /// few times, use `retries`.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: restart
    ///     run: systemctl restart api
    ///   - id: check
    ///     run: curl -fsS localhost/health
    ///     on_failure: restart
    ///     next: restart
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: check
    ///     run: curl -fsS localhost/health
    ///     retries: 3
    ///     retry_delay: 10s
    /// ```
    pub struct UnbrokenLoop {
        code: "RB011",
        name: "unbroken-loop",
        severity: Error,
    }
}

impl Rule for UnbrokenLoop {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for (steps, edge) in cx.graph.unbroken_loops() {
            let mut names: Vec<&str> = steps.iter().map(|&i| cx.graph.ids[i].as_str()).collect();
            names.push(names[0]);
            out.push(Finding::new(
                edge.span,
                format!("loop {} has no decision to leave it", names.join(" → ")),
                "add a `choose` (a person decides) or a `wait` (a condition decides) to the loop; to repeat a command, use `retries`",
            ));
        }
    }
}
