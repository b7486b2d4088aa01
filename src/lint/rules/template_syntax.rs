use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a template or expression that cannot be parsed: an unclosed `{{`, a syntax
    /// error inside `{{ }}`, a `when` or `wait.until` written with braces, or a `{% %}`
    /// statement (runbooks branch with `when` and `choose`).
    ///
    /// ## Why this matters
    /// The step would fail when it is reached, in the middle of the incident.
    ///
    /// ## Example
    /// ```yaml
    ///     run: psql {{ inputs.db -c 'select 1'
    ///     when: "{{ inputs.force }}"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     run: psql {{ inputs.db }} -c 'select 1'
    ///     when: inputs.force
    /// ```
    pub struct TemplateSyntax {
        code: "RB019",
        name: "template-syntax",
        severity: Error,
    }
}

impl Rule for TemplateSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for s in &cx.sites {
            for e in &s.analysis.errors {
                out.push(Finding::new(
                    cx.span_in(&s.site, e.offset, e.len),
                    e.message.clone(),
                    e.help.clone(),
                ));
            }
        }
    }
}
