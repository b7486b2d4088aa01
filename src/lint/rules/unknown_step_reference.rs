use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::suggest::did_you_mean;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `next`, `on_failure` or `choose` option that names no step, and a template
    /// that reads `steps.<id>` of a step that does not exist. Names the closest id.
    /// A step id with a dash after a dot (`steps.block-client.status`) is reported too: the
    /// template reads it as `steps.block - client.status`; write `steps['block-client'].status`.
    ///
    /// ## Why this matters
    /// A jump to a missing step, or a template that reads one, would stop the run in the
    /// middle of an incident.
    ///
    /// ## Example
    /// ```yaml
    ///     next: blok-client
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     next: block-client
    /// ```
    pub struct UnknownStepReference {
        code: "RB009",
        name: "unknown-step-reference",
        severity: Error,
    }
}

/// What `on_failure` takes besides a step id.
const ON_FAILURE_ACTIONS: &[&str] = &["ask", "abort", "continue"];

impl Rule for UnknownStepReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let ids = || cx.graph.ids.iter().map(String::as_str).chain(["end"]);
        for r in &cx.graph.unresolved {
            let on_failure = r.field == "on_failure";
            let actions = if on_failure { ON_FAILURE_ACTIONS } else { &[] };
            let help = match did_you_mean(&r.name, ids().chain(actions.iter().copied())) {
                Some(best) => format!("did you mean `{best}`?"),
                None if on_failure => {
                    "use `ask`, `abort`, `continue` or the id of a step".to_string()
                }
                None => "use the id of a step, or `end`".to_string(),
            };
            out.push(Finding::new(
                r.span,
                format!("unknown step `{}` in `{}`", r.name, r.field),
                help,
            ));
        }
        for s in &cx.sites {
            for r in s
                .analysis
                .references
                .iter()
                .filter(|r| r.namespace() == "steps")
            {
                let Some(id) = r.name() else { continue };
                if r.dashed {
                    let field = r.path.get(2).map_or(String::new(), |f| format!(".{f}"));
                    out.push(Finding::new(
                        cx.span_in(&s.site, r.offset, r.len),
                        format!(
                            "`{}` is read as `{}`, not as step `{id}`",
                            r.dotted(),
                            r.dotted().replace('-', " - ")
                        ),
                        format!(
                            "a dash after a dot is a minus; write the id in brackets: `steps['{id}']{field}`"
                        ),
                    ));
                    continue;
                }
                if cx.graph.index.contains_key(id) {
                    continue;
                }
                let help = match did_you_mean(id, cx.graph.ids.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "use the id of a step of this runbook".to_string(),
                };
                out.push(Finding::new(
                    cx.span_in(&s.site, r.offset, r.len),
                    format!("unknown step `{id}` in `{}`", r.dotted()),
                    help,
                ));
            }
        }
    }
}
