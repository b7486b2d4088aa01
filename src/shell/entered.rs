//! A step's `dir:` is the folder its script starts in: to the widening rules of values it is
//! the same as a script that begins with `cd "…"`. [`entered`] writes that script, so that
//! a value ending the path of `dir:` (`dir: /srv/releases/{{ inputs.v }}` before `rm -rf
//! ./*`) is checked as the value of such a `cd` is: not empty, `.`, `/` or a `..` part.

use std::ops::Range;

/// The script `cd "DIR" || exit` + a new line + `run`, and the ranges in it of the `{{ }}`
/// blocks of `dir` (the `{{ … }}` text itself, kept as a template). The literal text of `dir`
/// is escaped for the double quotes; `run` is kept as written, its `{{`, `{%` and `{#`
/// broken apart when the step does not render templates (`templates: false`: they are shell
/// text there, and only the values of `dir` are to be checked).
pub fn entered(dir: &str, run: &str, renders: bool) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(dir.len() + run.len() + 16);
    out.push_str("cd \"");
    let blocks = quoted_template(&mut out, dir);
    out.push_str("\" || exit\n");
    if renders {
        out.push_str(run);
    } else {
        out.push_str(
            &run.replace("{{", "{ {")
                .replace("{%", "{ %")
                .replace("{#", "{ #"),
        );
    }
    (out, blocks)
}

/// A templated `env:` value of `name` is given to every command of the step: to the rules
/// of values it is the same as a script that begins with `export NAME="…"` (`PATH:
/// "/usr/lib/{{ v }}/bin:/usr/bin"`: no `..` part, no `:` adding a folder; audit 41 A41-16).
/// The script, and the ranges in it of the `{{ }}` blocks, kept as templates.
pub fn assigned(name: &str, value: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(name.len() + value.len() + 16);
    out.push_str("export ");
    out.push_str(name);
    out.push_str("=\"");
    let blocks = quoted_template(&mut out, value);
    out.push_str("\"\n");
    (out, blocks)
}

/// Writes `template` into `out` inside double quotes: its literal text escaped, its `{{ }}`
/// blocks kept as written; the ranges of those blocks in `out`.
fn quoted_template(out: &mut String, template: &str) -> Vec<Range<usize>> {
    let mut blocks = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find("{{") {
        escape_into(out, &rest[..i]);
        let Some(j) = rest[i..].find("}}") else {
            // (An unclosed block: the renderer says so.)
            escape_into(out, &rest[i..]);
            rest = "";
            break;
        };
        let start = out.len();
        out.push_str(&rest[i..i + j + 2]);
        blocks.push(start..out.len());
        rest = &rest[i + j + 2..];
    }
    escape_into(out, rest);
    blocks
}

/// `text` inside double quotes, as a literal: `\`, `"`, `$` and `` ` `` escaped.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::entered;

    #[test]
    fn the_folder_is_entered_first_with_its_templates_kept() {
        let (text, blocks) = entered("/srv/$x/{{ inputs.v }}", "rm -rf ./*", true);
        assert_eq!(text, "cd \"/srv/\\$x/{{ inputs.v }}\" || exit\nrm -rf ./*");
        assert_eq!(blocks.len(), 1);
        assert_eq!(&text[blocks[0].clone()], "{{ inputs.v }}");
        let (text, blocks) = entered("a{{ x }}b{{ y }}", "echo {{ z }}", false);
        assert_eq!(text, "cd \"a{{ x }}b{{ y }}\" || exit\necho { { z }}");
        assert_eq!(blocks.len(), 2);
        let (_, blocks) = entered("/srv/{{ unclosed", "ls", true);
        assert!(blocks.is_empty());
    }

    #[test]
    fn an_env_value_is_exported_first_with_its_templates_kept() {
        let (text, blocks) = super::assigned("PATH", "/usr/lib/{{ inputs.v }}/bin:$PATH");
        assert_eq!(
            text,
            "export PATH=\"/usr/lib/{{ inputs.v }}/bin:\\$PATH\"\n"
        );
        assert_eq!(&text[blocks[0].clone()], "{{ inputs.v }}");
    }
}
