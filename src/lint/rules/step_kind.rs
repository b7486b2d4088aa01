use super::key_span::key_span;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::StepKind;

crate::declare_rule! {
    /// ## What it does
    /// Reports a step that does nothing (no `run`, `checklist`, `instructions`, `choose`,
    /// `ask`, `wait` or `runbook`) or that has several kinds at once (`run` and `choose`).
    /// An `ask` may stand before a `run` in the same step. Also a `for_each` on a `choose`,
    /// an `ask` or a sub-runbook, which are taken once.
    ///
    /// ## Why this matters
    /// Each step shows the operator one kind of screen; a step with two kinds would hide one
    /// of them, and an empty step is almost always a mistake.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: decide
    ///     title: Restart or fail over?
    ///     run: systemctl status api
    ///     choose:
    ///       options: [...]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: status
    ///     title: Look at the service
    ///     run: systemctl status api
    ///   - id: decide
    ///     title: Restart or fail over?
    ///     choose:
    ///       options: [...]
    /// ```
    pub struct StepKindRule {
        code: "RB008",
        name: "step-kind",
        severity: Error,
    }
}

impl Rule for StepKindRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            let kinds = step.kinds();
            match kinds.as_slice() {
                // A kind written with a value of the wrong type is reported as that (RB003).
                [] if cx.issues.iter().any(|i| {
                    i.kind == crate::load::IssueKind::WrongType
                        && step.span.start <= i.span.start
                        && i.span.start < step.span.end
                }) => {}
                [] => out.push(Finding::new(
                    step.anchor(),
                    format!("step `{}` does nothing", step.id()),
                    "give it one of `run`, `checklist`, `instructions`, `choose`, `ask`, `wait` or `runbook`",
                )),
                // `for_each` repeats a command, a wait or instructions; a decision, a
                // question or a sub-runbook is taken once.
                [(kind, _)] => {
                    let repeated = !step.for_each.is_empty() || step.for_each_from.is_some();
                    if repeated
                        && matches!(kind, StepKind::Choose | StepKind::Ask | StepKind::Runbook)
                    {
                        let at = step
                            .for_each
                            .first()
                            .map(|i| i.span)
                            .or(step.for_each_from.as_ref().map(|f| f.span))
                            .unwrap_or_else(|| step.anchor());
                        out.push(Finding::new(
                            at,
                            format!(
                                "step `{}` is a `{}`, which `for_each` cannot repeat",
                                step.id(),
                                key_of(kind.name())
                            ),
                            "use `for_each` on a `run`, `wait` or `checklist` step; ask or decide once, before it",
                        ));
                    }
                }
                [(first, _), rest @ ..] => {
                    let names: Vec<String> = kinds.iter().map(|(k, _)| format!("`{}`", key_of(k.name()))).collect();
                    let (second, value) = rest[0];
                    out.push(Finding::new(
                        key_span(cx.source, step.span.start, value, key_of(second.name())),
                        format!("step `{}` has several kinds: {}", step.id(), names.join(" and ")),
                        format!("keep `{}` here and move the rest into a step of its own", key_of(first.name())),
                    ));
                }
            }
        }
    }
}

fn key_of(kind: &str) -> &str {
    if kind == "manual" { "checklist" } else { kind }
}
