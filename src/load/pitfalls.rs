//! The YAML mistakes runbooks are most often written with, told in the runbook's terms: a
//! plain value holding `: ` (`run: curl -H "Authorization: Bearer x"`), a tab in the
//! indentation, list items indented unevenly, a key at the wrong level. The parser's own
//! message says where YAML stopped making sense; this says what was meant and shows the line
//! written the way YAML reads it.

use super::source::Source;

/// A better message and help for the syntax error the parser reported at `offset`, with
/// `message` its own words, and where to point (the tab itself, say); `None` when it is not a
/// known pitfall.
pub fn explain(source: &Source, offset: usize, message: &str) -> Option<(String, String, usize)> {
    let (message, help, at) = explain_at(source, offset, message)?;
    Some((message, help, at.unwrap_or(offset)))
}

fn explain_at(
    source: &Source,
    offset: usize,
    message: &str,
) -> Option<(String, String, Option<usize>)> {
    let line_no = source.position(offset).line;
    let line = source.line_text(line_no);
    let column = offset.saturating_sub(source.line_start(line_no));
    let place = whereabouts(source, line_no);
    // The parser may stop at the end of the line before the one a tab indents.
    let tabbed = [line_no, line_no + 1].into_iter().find(|&n| {
        n <= source.text.lines().count() && {
            let l = source.line_text(n);
            l.trim_start_matches(' ').starts_with('\t')
        }
    });
    if let (Some(n), true) = (tabbed, message.contains("tab")) {
        let spaces = usual_indent(source);
        return Some((
            format!(
                "a tab indents line {n}{}: YAML indents with spaces only",
                whereabouts(source, n)
            ),
            format!("replace the tab with spaces (this file indents by {spaces})"),
            source
                .line_text(n)
                .find('\t')
                .map(|i| source.line_start(n) + i),
        ));
    }
    if message.contains("mapping values are not allowed") {
        let (indent, dash, key, value) = key_value(line)?;
        let colon = indent + dash.len() + key.len();
        if column > colon + 1 {
            // `key: value: more`: the value holds `: `. (A ` # comment` stays outside.)
            let (value, comment) = match value.find(" #") {
                Some(k) => (value[..k].trim_end(), &value[k..]),
                None => (value, ""),
            };
            let quoted = format!("'{}'{comment}", value.replace('\'', "''"));
            return Some((
                format!(
                    "the value of `{key}`{place} holds `: `, which YAML reads as the start of another key"
                ),
                format!(
                    "quote the whole value:\n  {key}: {quoted}\nor write it as a block, on the next line:\n  {key}: |\n    {value}"
                ),
                None,
            ));
        }
        // `key: value` on a line indented deeper than the key above it.
        let above = previous_content_line(source, line_no)?;
        let (above_indent, above_dash, above_key, _) = key_value(above)?;
        let above_at = above_indent + above_dash.len();
        if indent > above_at {
            return Some((
                format!(
                    "`{key}`{place} is indented more than `{above_key}` above it, so YAML reads it as part of `{above_key}`'s value"
                ),
                format!(
                    "indent `{key}` like `{above_key}`, by {above_at} spaces; or, if it belongs in the value, quote the value or use `|`"
                ),
                None,
            ));
        }
        return None;
    }
    // `run: {{ inputs.x }} restart`: YAML began a mapping at `{` and found more after it.
    if let Some((_, _, key, value)) = key_value(line)
        && value.starts_with("{{")
    {
        let fixed = format!("{key}: \"{}\"", value.replace('"', "\\\""));
        return Some((
            format!(
                "the value of `{key}`{place} starts with `{{{{`, which YAML reads as a mapping in braces, not as a template"
            ),
            format!("quote the value:\n  {fixed}"),
            None,
        ));
    }
    if message.contains("did not find expected '-' indicator")
        || message.contains("did not find expected key")
    {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let item = line.trim_start().starts_with("- ");
        let (items_at, item_line) = list_items_above(source, line_no)?;
        if item {
            return Some((
                format!(
                    "the list item on line {line_no} starts at column {}, the one on line {item_line} at column {}: the items of a list start at the same column",
                    indent + 1,
                    items_at + 1
                ),
                if items_at == 0 {
                    "start its `-` at column 1, like the items before it".to_string()
                } else {
                    format!("indent its `-` by {items_at} spaces, like the items before it")
                },
                Some(source.line_start(line_no) + indent),
            ));
        }
        if let Some((_, _, key, _)) = key_value(line)
            && indent <= items_at
        {
            let keys_at = items_at + 2;
            return Some((
                format!(
                    "`{key}` on line {line_no} stands at the level of the list's `-`, outside the item on line {item_line}"
                ),
                format!(
                    "indent it by {keys_at} spaces, like the other keys of that item; or, for a new item, start the line with `- `"
                ),
                None,
            ));
        }
    }
    None
}

/// `  - key: value` → (indent, "- ", key, value).
fn key_value(line: &str) -> Option<(usize, &str, &str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let (dash, rest) = match rest.strip_prefix("- ") {
        Some(r) => (&line[indent..indent + 2], r),
        None => ("", rest),
    };
    let key_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .unwrap_or(rest.len());
    let key = &rest[..key_len];
    let value = rest[key_len..].strip_prefix(':')?;
    if key.is_empty() || !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((indent, dash, key, value.trim()))
}

fn previous_content_line(source: &Source, line_no: usize) -> Option<&str> {
    (1..line_no)
        .rev()
        .map(|n| source.line_text(n))
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// The column of the list items above `line_no` and its line: the nearest `- ` line less
/// indented than it (a checklist's items inside the step above are not the steps' column),
/// else the nearest.
fn list_items_above(source: &Source, line_no: usize) -> Option<(usize, usize)> {
    let line = source.line_text(line_no);
    let own = line.len() - line.trim_start_matches(' ').len();
    let items: Vec<(usize, usize)> = (1..line_no)
        .rev()
        .filter_map(|n| {
            let l = source.line_text(n);
            let indent = l.len() - l.trim_start_matches(' ').len();
            l[indent..].starts_with("- ").then_some((indent, n))
        })
        .collect();
    items
        .iter()
        .find(|(indent, _)| *indent < own)
        .or_else(|| items.first())
        .copied()
}

/// How the file indents: the smallest indentation of a key line (2 by default).
fn usual_indent(source: &Source) -> String {
    let n = source
        .text
        .lines()
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .filter(|&n| n > 0)
        .min()
        .unwrap_or(2);
    if n == 1 {
        "1 space".into()
    } else {
        format!("{n} spaces")
    }
}

/// ` in the run command of step `call`` when line `line_no` is inside a step's key.
fn whereabouts(source: &Source, line_no: usize) -> String {
    let line = source.line_text(line_no);
    let indent = line.len() - line.trim_start_matches(' ').len();
    // The key the line belongs to: its own, or that of the nearest line above that is less
    // indented (a line of a block value).
    let mut key = key_value(line).map(|(_, _, k, _)| k);
    let mut at = indent;
    if key.is_none() {
        for n in (1..line_no).rev() {
            let l = source.line_text(n);
            let i = l.len() - l.trim_start_matches(' ').len();
            if l.trim().is_empty() || i >= indent {
                continue;
            }
            key = key_value(l).map(|(_, _, k, _)| k);
            at = i;
            break;
        }
    }
    // The step: the nearest list item above, less indented than the key (or the key's own
    // item), and its `id`.
    let mut id = None;
    for n in (1..=line_no).rev() {
        let l = source.line_text(n);
        let i = l.len() - l.trim_start_matches(' ').len();
        if l[i..].starts_with("- ") && i <= at {
            for m in n..=line_no {
                let l = source.line_text(m);
                let t = l.trim_start().trim_start_matches("- ");
                if let Some(v) = t.strip_prefix("id:") {
                    id = Some(v.trim().trim_matches(['"', '\'']).to_string());
                    break;
                }
            }
            break;
        }
        if i < at && !l.trim().is_empty() && key_value(l).is_some() && n != line_no {
            // Left the list's item without meeting its `-`: not inside a step.
            if i == 0 {
                break;
            }
        }
    }
    let concept = match key {
        Some("run") => "the run command".to_string(),
        Some("rollback") => "the rollback command".to_string(),
        Some("title") => "the title".to_string(),
        Some("instructions") => "the instructions".to_string(),
        Some("when") => "the condition".to_string(),
        Some("confirm") => "the confirmation phrase".to_string(),
        _ => return String::new(),
    };
    match id {
        Some(id) if !id.is_empty() => format!(" (in {concept} of step `{id}`)"),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explained(text: &str, line: usize, column: usize, message: &str) -> (String, String) {
        let source = Source::new("t.yaml", text.to_string());
        let offset = source.line_start(line) + column - 1;
        explain(&source, offset, message)
            .map(|(m, h, _)| (m, h))
            .unwrap_or_default()
    }

    #[test]
    fn a_value_holding_colon_space() {
        let text = "steps:\n  - id: call\n    title: Call\n    run: curl -H \"Authorization: Bearer x\" https://api\n";
        let (message, help) = explained(
            text,
            4,
            32,
            "mapping values are not allowed in this context",
        );
        assert_eq!(
            message,
            "the value of `run` (in the run command of step `call`) holds `: `, which YAML reads as the start of another key"
        );
        assert!(
            help.contains("run: 'curl -H \"Authorization: Bearer x\" https://api'"),
            "{help}"
        );
        assert!(help.contains("run: |\n    curl -H"), "{help}");
    }

    #[test]
    fn indentation_pitfalls() {
        let (m, h) = explained(
            "steps:\n  - id: a\n    run: ls\n      timeout: 5s\n",
            4,
            14,
            "mapping values are not allowed in this context",
        );
        assert!(m.contains("`timeout` is indented more than `run`"), "{m}");
        assert!(h.contains("by 4 spaces"), "{h}");
        let (m, h) = explained(
            "steps:\n  - id: a\n    run: ls\n   - id: b\n",
            4,
            4,
            "while parsing a block collection, did not find expected '-' indicator",
        );
        assert!(
            m.contains("starts at column 4, the one on line 2 at column 3"),
            "{m}"
        );
        assert!(h.contains("by 2 spaces"), "{h}");
        let (m, h) = explained(
            "steps:\n  - id: a\n    title: A\n  run: ls\n",
            4,
            3,
            "while parsing a block collection, did not find expected '-' indicator",
        );
        assert!(
            m.contains("`run` on line 4 stands at the level of the list's `-`"),
            "{m}"
        );
        assert!(h.contains("by 4 spaces"), "{h}");
        let (m, h) = explained(
            "steps:\n  - id: call\n\ttitle: Call\n",
            2,
            12,
            "while scanning a plain scalar, found a tab",
        );
        assert!(m.starts_with("a tab indents line 3"), "{m}");
        assert!(h.contains("2 spaces"), "{h}");
        assert!(explain(&Source::new("t", "a: b\n".into()), 0, "something else").is_none());
        // A step's `-` after a checklist: the steps' column, not the checklist's.
        let (m, h) = explained(
            "steps:\n  - id: a\n    checklist:\n      - one\n   - id: b\n",
            5,
            4,
            "while parsing a block collection, did not find expected '-' indicator",
        );
        assert!(m.contains("the one on line 2 at column 3"), "{m}");
        assert!(h.contains("by 2 spaces"), "{h}");
        // A comment stays out of the quotes; a value that starts with `{{` and goes on.
        let (_, h) = explained(
            "steps:\n  - id: c\n    run: curl -H \"A: b\" x # note\n",
            3,
            21,
            "mapping values are not allowed in this context",
        );
        assert!(h.contains("run: 'curl -H \"A: b\" x' # note"), "{h}");
        let (m, h) = explained(
            "steps:\n  - id: d\n    run: {{ inputs.x }} restart\n",
            3,
            25,
            "while parsing a flow mapping, did not find expected ',' or '}'",
        );
        assert!(m.contains("starts with `{{`"), "{m}");
        assert!(h.contains("run: \"{{ inputs.x }} restart\""), "{h}");
    }
}
