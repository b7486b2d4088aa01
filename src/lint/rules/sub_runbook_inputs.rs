use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::suggest::did_you_mean;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `with:` value for an input that the called runbook does not declare, and a
    /// required input of the called runbook (no `default`, no `env`) that `with:` leaves out.
    ///
    /// ## Why this matters
    /// The sub-runbook would stop to ask for the missing value, or ignore the misspelt one,
    /// in the middle of the parent run.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: tell
    ///     runbook: notify-stakeholders
    ///     with: {chanel: "#inc-db"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     with: {channel: "#inc-db"}
    /// ```
    pub struct SubRunbookInputs {
        code: "RB024",
        name: "sub-runbook-inputs",
        severity: Error,
    }
}

impl Rule for SubRunbookInputs {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            let Some(reference) = &step.runbook else {
                continue;
            };
            let Ok(path) = cx.subs.resolve(cx.folder(), reference.as_str()) else {
                continue;
            };
            let Some(summary) = cx.subs.summary(&path) else {
                continue;
            };
            let names = || summary.inputs.iter().map(|i| i.name.as_str());
            // An input that a misspelt key was meant to give: the misspelling is the one report.
            let mut meant = Vec::new();
            for (key, _) in &step.with {
                if summary.inputs.iter().any(|i| i.name == key.value) {
                    continue;
                }
                let help = match did_you_mean(key.as_str(), names()) {
                    Some(best) => {
                        meant.push(best);
                        format!("did you mean `{best}`?")
                    }
                    None if summary.inputs.is_empty() => {
                        format!("`{}` declares no inputs", reference.value)
                    }
                    None => format!(
                        "`{}` declares {}",
                        reference.value,
                        names()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                out.push(Finding::new(
                    key.span,
                    format!("runbook `{}` has no input `{}`", reference.value, key.value),
                    help,
                ));
            }
            for input in summary.inputs.iter().filter(|i| i.required) {
                let given = step.with.iter().any(|(k, _)| k.value == input.name);
                if !given && !meant.contains(&input.name.as_str()) {
                    let help = if step.with.is_empty() {
                        format!("add `with: {{{}: ...}}` to the step", input.name)
                    } else {
                        format!("add `{}: ...` under `with:`", input.name)
                    };
                    out.push(Finding::new(
                        reference.span,
                        format!("runbook `{}` needs input `{}`", reference.value, input.name),
                        help,
                    ));
                }
            }
        }
    }
}
