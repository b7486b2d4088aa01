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
                // `{{range .items}}`, `{{ .Values.x }}`: another template language in a script.
                let text = &s.site.value.value;
                // The block the error is in.
                let inner = text
                    .get(..(e.offset + 2).min(text.len()))
                    .and_then(|t| t.rfind("{{"))
                    .map(|open| text[open + 2..].trim_start_matches(['-', ' ']));
                let ours = ["inputs", "vars", "steps", "env", "run", "output"];
                let foreign = inner.is_some_and(|t| !ours.iter().any(|n| t.starts_with(n)));
                let help = if foreign
                    && s.site.step.is_some()
                    && s.site.kind == crate::template::sites::SiteKind::Template
                {
                    format!(
                        "{}; if this is another template language (Go, Helm, jq: `{{{{ .Name }}}}`, `{{{{range …}}}}`), write `templates: false` on the step so that its text is used as written",
                        e.help
                    )
                } else {
                    e.help.clone()
                };
                out.push(Finding::new(
                    cx.span_in(&s.site, e.offset, e.len),
                    e.message.clone(),
                    help,
                ));
            }
        }
    }
}
