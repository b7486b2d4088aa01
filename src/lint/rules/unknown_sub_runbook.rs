use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::find::FindError;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `runbook: NAME` step whose runbook cannot be found. A name is looked up in
    /// the calling runbook's folder, then `./runbooks`, then each folder of `RUNBOOK_PATH`;
    /// a path (with `/` or ending in `.yaml`) is taken relative to the calling runbook.
    ///
    /// ## Why this matters
    /// The run would stop at that step, in the middle of an incident.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: tell
    ///     runbook: notify-stakholders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     runbook: notify-stakeholders
    /// ```
    pub struct UnknownSubRunbook {
        code: "RB022",
        name: "unknown-sub-runbook",
        severity: Error,
    }
}

impl Rule for UnknownSubRunbook {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            let Some(reference) = &step.runbook else {
                continue;
            };
            match cx.subs.resolve(cx.folder(), reference.as_str()) {
                Ok(path) => {
                    if cx.subs.summary(&path).is_none() {
                        out.push(Finding::new(
                            reference.span,
                            format!("sub-runbook `{}` cannot be loaded", reference.value),
                            format!(
                                "fix `{}` first: `runbook lint {}`",
                                path.display(),
                                path.display()
                            ),
                        ));
                    }
                }
                Err(FindError::NotFound { searched, .. }) => {
                    let folders: Vec<String> = searched
                        .iter()
                        .map(|p| format!("`{}`", p.display()))
                        .collect();
                    out.push(Finding::new(
                        reference.span,
                        format!("unknown runbook `{}`", reference.value),
                        format!(
                            "looked in {}; check the name, or add its folder to `RUNBOOK_PATH`",
                            folders.join(", ")
                        ),
                    ));
                }
                Err(e) => out.push(Finding::new(reference.span, e.to_string(), "")),
            }
        }
    }
}
