use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::suggest::did_you_mean;

crate::declare_rule! {
    /// ## What it does
    /// Reports a template that uses `inputs.NAME` where the runbook declares no input `NAME`.
    ///
    /// ## Why this matters
    /// The run would stop at that step with an undefined value, in the middle of the incident.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   db: {default: postgres://localhost/inventory}
    /// steps:
    ///   - run: psql {{ inputs.database }} -c 'select 1'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - run: psql {{ inputs.db }} -c 'select 1'
    /// ```
    pub struct UnknownInput {
        code: "RB013",
        name: "unknown-input",
        severity: Error,
    }
}

impl Rule for UnknownInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let names = || cx.runbook.inputs.iter().map(|i| i.name.as_str());
        for s in &cx.sites {
            for r in s
                .analysis
                .references
                .iter()
                .filter(|r| r.namespace() == "inputs")
            {
                let Some(name) = r.name() else { continue };
                if cx.runbook.input(name).is_some() {
                    continue;
                }
                let help = match did_you_mean(name, names()) {
                    Some(best) => format!("did you mean `inputs.{best}`?"),
                    None if cx.runbook.inputs.is_empty() => format!(
                        "declare it under `inputs:` (`{name}: {{description: ..., default: ...}}`)"
                    ),
                    None => format!(
                        "the runbook declares {}; or declare `{name}` under `inputs:`",
                        names()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(Finding::new(
                    cx.span_in(&s.site, r.offset, r.len),
                    format!("unknown input `{name}`"),
                    help,
                ));
            }
        }
    }
}
