use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::{Ask, Sp, Step};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `choose` with fewer than two options, two options with the same label, a
    /// `default` that names no option, or an option with both `next` and `end`; and an `ask`
    /// that asks for nothing (`fields: []`), with two values stored under one `var`, or with
    /// both `var` and `fields`.
    ///
    /// ## Why this matters
    /// A decision with one option is not a decision; two identical labels make the operator
    /// guess, and an answers file (`--answers`) could not tell them apart.
    ///
    /// ## Example
    /// ```yaml
    ///     choose:
    ///       options:
    ///         - {label: Restart, next: restart}
    ///         - {label: Restart, next: failover}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///         - {label: Restart the service, next: restart}
    ///         - {label: Fail over to the replica, next: failover}
    /// ```
    pub struct InvalidChoose {
        code: "RB021",
        name: "invalid-choose",
        severity: Error,
    }
}

impl Rule for InvalidChoose {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            if let Some(ask) = &step.ask {
                check_ask(cx, step, ask, out);
            }
            let Some(choose) = &step.choose else { continue };
            let options = &choose.value.options;
            let has_options_key = cx.source.slice(choose.value.options_span) == "options";
            if options.len() < 2 && has_options_key {
                out.push(Finding::new(
                    choose.value.options_span,
                    format!("`choose` in step `{}` has {} option{}", step.id(), options.len(), if options.len() == 1 { "" } else { "s" }),
                    "give the operator at least two options; for a single path use `instructions` or a `checklist`",
                ));
            }
            if let Some(default) = &choose.value.default
                && choose.value.default_index().is_none()
            {
                let labels: Vec<String> = options
                    .iter()
                    .filter_map(|o| o.label.as_ref().map(|l| format!("`{}`", l.value)))
                    .collect();
                out.push(Finding::new(
                    default.span,
                    format!(
                        "`default` `{}` of the `choose` in step `{}` names no option",
                        default.value,
                        step.id()
                    ),
                    format!(
                        "write an option's label ({}) or its number, 1 to {}",
                        labels.join(", "),
                        options.len()
                    ),
                ));
            }
            for option in options {
                if let (Some(end), Some(next)) = (&option.end, &option.next) {
                    out.push(Finding::new(
                        next.span,
                        format!(
                            "an option of step `{}` has both `next: {}` and `end: {}`",
                            step.id(),
                            next.value,
                            end.value
                        ),
                        "keep `end` to finish the run there with that status, or `next` to go on",
                    ));
                }
            }
            for (i, option) in options.iter().enumerate() {
                let Some(label) = &option.label else { continue };
                let earlier = options[..i]
                    .iter()
                    .filter_map(|o| o.label.as_ref())
                    .find(|l| l.value.trim().eq_ignore_ascii_case(label.value.trim()));
                if let Some(first) = earlier {
                    let line = cx.source.position(first.span.start).line;
                    out.push(Finding::new(
                        label.span,
                        format!("duplicate option `{}` in step `{}`", label.value, step.id()),
                        format!("the option on line {line} has the same label; make each label say where it leads"),
                    ));
                }
            }
        }
    }
}

/// An `ask` must ask for something, each value under a name of its own.
fn check_ask(cx: &Context, step: &Step, ask: &Sp<Ask>, out: &mut Vec<Finding>) {
    let a = &ask.value;
    let id = &step.id();
    // (Without `fields` either, the missing `var` is reported by RB004.) The node of a flow
    // mapping may span only its brace: the step's text tells whether `fields` was written.
    let written = cx
        .source
        .text
        .get(ask.span.start..step.span.end.max(ask.span.end))
        .is_some_and(|t| t.contains("fields"));
    if a.var.is_none() && a.fields.is_empty() && written {
        out.push(Finding::new(
            ask.span,
            format!("the `ask` of step `{id}` asks for nothing: its `fields` is empty"),
            "add one `- {var: NAME, prompt: …}` per value to ask for",
        ));
    }
    if let (Some(var), false) = (&a.var, a.fields.is_empty()) {
        out.push(Finding::new(
            var.span,
            format!("the `ask` of step `{id}` has both `var` and `fields`"),
            "move this value into `fields` as its first entry (`- {var: NAME, prompt: …}`)",
        ));
    }
    let vars: Vec<&Sp<String>> = a
        .each()
        .into_iter()
        .filter_map(|f| f.var.as_ref())
        .collect();
    for (i, var) in vars.iter().enumerate() {
        if let Some(first) = vars[..i].iter().find(|v| v.value == var.value) {
            let line = cx.source.position(first.span.start).line;
            out.push(Finding::new(
                var.span,
                format!(
                    "the `ask` of step `{id}` stores two values under `{}`",
                    var.value
                ),
                format!(
                    "the field on line {line} has the same `var`; give each value a name of its own"
                ),
            ));
        }
    }
}
