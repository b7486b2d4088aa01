use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports the `| raw` filter, which inserts a value into a script as shell code instead
    /// of as data.
    ///
    /// ## Why this matters
    /// Every other substitution reaches the shell as data: a captured value such as
    /// `10.1.2.3; rm -rf ~` is passed as exactly those characters. With `| raw`, it runs.
    ///
    /// ## Example
    /// ```yaml
    ///     run: kill {{ vars.pids | raw }}
    /// ```
    ///
    /// ## Use instead
    /// Let the value be data, and let the shell split it where that is meant:
    /// ```yaml
    ///     run: |
    ///       pids={{ vars.pids }}
    ///       kill $pids
    /// ```
    pub struct RawSubstitution {
        code: "RB026",
        name: "raw-substitution",
        severity: Warning,
    }
}

impl Rule for RawSubstitution {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for s in &cx.sites {
            for &(offset, len) in &s.analysis.raw {
                out.push(Finding::new(
                    cx.span_in(&s.site, offset, len),
                    format!("`| raw` inserts the value into `{}` as code, not data", s.site.field),
                    "remove `| raw` unless the value is trusted shell code; suppress with `# runbook: ignore[RB026]` if it is",
                ));
            }
        }
    }
}
