//! Text that holds `{{`, `{%` or `{#` of another template language (Helm, Jinja): the step
//! is `templates: false`, or, where its command needs the importer's own templates, the
//! text is written so that it shows as it is.

use super::draft::Draft;

/// Prose that holds `{{`/`{%` of another template language (Helm, Jinja) is shown as
/// written: `templates: false`, unless the step's command has the importer's own
/// templates, which is then said.
pub(super) fn text_templates(d: &mut Draft) {
    for s in &mut d.steps {
        if holds_templates(&s.instructions) || s.checklist.iter().any(|c| holds_templates(c)) {
            if s.run.as_deref().is_none_or(|r| !r.contains("{{ inputs.")) {
                s.no_templates = true;
            } else {
                // Its command needs its templates: the text's are written so that they
                // show as they are (`{{ '{{' }}`).
                s.instructions = escape_templates(&s.instructions);
                for c in &mut s.checklist {
                    *c = escape_templates(c);
                }
                s.notes.push(format!(
                    "{}: the step's text holds `{{{{`, `{{%` or `{{#` of another template language: written `{{{{ '{{{{' }}}}` so that it shows as it is",
                    s.pos
                ));
            }
        }
    }
}

/// Whether text holds `{{`, `{%` or `{#` of another template language; bash's `${#ARR[@]}`
/// and `${#VAR}`, a length, are none (audit 41 I41-13).
pub(super) fn holds_templates(text: &str) -> bool {
    text.contains("{{")
        || text.contains("{%")
        || text
            .match_indices("{#")
            .any(|(i, _)| !text[..i].ends_with('$'))
}

/// Text with `{{`, `{%` and `{#` written as templates that print them.
fn escape_templates(text: &str) -> String {
    static OPEN: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\{[{%#]").ok());
    match OPEN.as_ref() {
        Some(re) => re.replace_all(text, "{{ '$0' }}").into_owned(),
        None => text.to_string(),
    }
}
