use crate::graph::dataflow::{DefinedVars, all_defined, sets};
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::template::Reference;

crate::declare_rule! {
    /// ## What it does
    /// Reports `vars.NAME` used in a step that some path from the first step reaches without
    /// passing a step that sets `NAME`, and names that path. A step with `when` may be
    /// skipped, and a step left through `on_failure` has not captured its output, so neither
    /// counts as setting the variable. A use written `vars.NAME | default(…)`, or in a step
    /// whose `when` tests `vars.NAME is defined`, handles the missing value and is not reported.
    ///
    /// ## Why this matters
    /// The runbook works on the path its author tested and stops on the other one, which is
    /// often the path taken during a real incident.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: spread
    ///     choose:
    ///       options:
    ///         - {label: One client, next: find-client}
    ///         - {label: Spread out, next: block}
    ///   - id: find-client
    ///     run: ./top-client
    ///     capture: client
    ///   - id: block
    ///     run: ./block {{ vars.client }}
    /// ```
    ///
    /// ## Use instead
    /// Set the variable on every path (for example with an `ask`), or make the step that uses
    /// it reachable only after the one that sets it, or run the step only when it is set:
    /// ```yaml
    ///   - id: block
    ///     when: vars.client is defined
    ///     run: ./block {{ vars.client }}
    /// ```
    pub struct PossiblyUndefinedVariable {
        code: "RB015",
        name: "possibly-undefined-variable",
        severity: Warning,
    }
}

/// Whether the reference reads `vars.NAME is defined` or `vars.NAME | default(…)`: the
/// author has handled the missing value.
fn handles_undefined(text: &str, r: &Reference) -> bool {
    let after = text.get(r.offset + r.len..).unwrap_or("").trim_start();
    if let Some(test) = after.strip_prefix("is ") {
        return test.trim_start().starts_with("defined");
    }
    after
        .strip_prefix('|')
        .is_some_and(|filter| filter.trim_start().starts_with("default"))
}

/// Whether the step's `when` tests `vars.NAME is defined`, so it runs only when it is.
fn guarded(cx: &Context, step: usize, name: &str) -> bool {
    cx.sites
        .iter()
        .filter(|s| s.site.field == "when" && s.site.step.is_some_and(|st| st.index == step))
        .any(|s| {
            s.analysis.references.iter().any(|r| {
                r.namespace() == "vars"
                    && r.name() == Some(name)
                    && handles_undefined(&s.site.value.value, r)
            })
        })
}

impl Rule for PossiblyUndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let uses_vars = cx.sites.iter().any(|s| {
            s.analysis
                .references
                .iter()
                .any(|r| r.namespace() == "vars")
        });
        if !uses_vars {
            return;
        }
        let everywhere = all_defined(cx.runbook);
        let defined = DefinedVars::compute(cx.runbook, &cx.graph);
        for s in &cx.sites {
            let Some(step) = s.site.step else { continue };
            let Some(before) = &defined.at_step[step.index] else {
                continue;
            };
            let (done, asked) = sets(step);
            for r in s
                .analysis
                .references
                .iter()
                .filter(|r| r.namespace() == "vars")
            {
                let Some(name) = r.name() else { continue };
                let own = match s.site.field {
                    "when" => false,
                    "rollback" => done.contains(&name),
                    _ => asked.contains(&name),
                };
                if !everywhere.contains(name)
                    || before.contains(name)
                    || own
                    || handles_undefined(&s.site.value.value, r)
                    || guarded(cx, step.index, name)
                {
                    continue;
                }
                let path = DefinedVars::missing_path(cx.runbook, &cx.graph, step.index, name)
                    .map(|p| {
                        p.iter()
                            .map(|&i| cx.graph.ids[i].as_str())
                            .collect::<Vec<_>>()
                            .join(" → ")
                    })
                    .unwrap_or_else(|| step.id());
                out.push(Finding::new(
                    cx.span_in(&s.site, r.offset, r.len),
                    format!(
                        "`vars.{name}` may be undefined here: no step sets it on the path {path}"
                    ),
                    format!("set it on every path to this step, or guard the step with `when: vars.{name} is defined`"),
                ));
            }
        }
    }
}
