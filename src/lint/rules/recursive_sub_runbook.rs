use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::find::stem;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `runbook:` step that, directly or through other runbooks, calls the runbook
    /// it stands in.
    ///
    /// ## Why this matters
    /// The run would nest itself without end.
    ///
    /// ## Example
    /// ```yaml
    /// # notify.yaml
    /// steps:
    ///   - id: escalate
    ///     runbook: incident-kickoff   # which calls notify
    /// ```
    ///
    /// ## Use instead
    /// Move the shared steps into a third runbook that both call.
    pub struct RecursiveSubRunbook {
        code: "RB023",
        name: "recursive-sub-runbook",
        severity: Error,
    }
}

impl Rule for RecursiveSubRunbook {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            let Some(reference) = &step.runbook else {
                continue;
            };
            let Ok(first) = cx.subs.resolve(cx.folder(), reference.as_str()) else {
                continue;
            };
            if let Some(chain) = cx.subs.cycle(&cx.source.path, &first) {
                let mut names = vec![stem(&cx.source.path)];
                names.extend(chain.iter().map(|p| stem(p)));
                let help = if chain.len() == 1 {
                    "to go through steps again, loop back to them with a `choose` option (`next: <step id>`)"
                } else {
                    "move the shared steps into a runbook that both call, without calling back"
                };
                out.push(Finding::new(
                    reference.span,
                    format!("runbook calls itself: {}", names.join(" → ")),
                    help,
                ));
            }
        }
    }
}
