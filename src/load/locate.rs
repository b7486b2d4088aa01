//! Maps a position inside a string value back to the file, so that a problem inside a script
//! or template is reported at its exact line and column.

use super::model::Sp;
use super::source::{Source, Span};

/// The file span of `len` bytes at `offset` in `value`'s text: exact in every scalar style
/// (plain, quoted with escapes, literal and folded blocks, over several lines); when the file's
/// text and the value cannot be lined up, the start of the value.
pub fn locate(source: &Source, value: &Sp<String>, offset: usize, len: usize) -> Span {
    let raw = source.slice(value.span);
    let text = value.value.as_str();
    if raw == text {
        return value.span.sub(offset, len);
    }
    if (raw.starts_with('"') || raw.starts_with('\''))
        && raw.get(1..raw.len().saturating_sub(1)) == Some(text)
    {
        return value.span.sub(offset + 1, len);
    }
    if let Some(span) = locate_in_block(source, value, offset, len) {
        return span;
    }
    // Escapes, folded lines, indentation: walk the file's text and the value side by side.
    let (quote, body_at) = match raw.as_bytes().first() {
        Some(&q @ (b'"' | b'\'')) => (Some(q), 1),
        Some(b'>' | b'|') => (None, raw.find('\n').map_or(raw.len(), |i| i + 1)),
        _ => (None, 0),
    };
    let body = &raw[body_at..];
    if let Some(at) = align(body, text, offset, quote) {
        let start = value.span.start + body_at + at;
        // The span's end: where the value's last byte of the range lands, when it aligns.
        let end = align(body, text, offset + len, quote)
            .map(|e| value.span.start + body_at + e)
            .filter(|&e| e >= start)
            .unwrap_or(start + len);
        return Span::new(start, end.min(value.span.end));
    }
    Span::new(value.span.start, value.span.start)
}

/// The byte offset in `body` (a scalar's text as written in the file, without its opening
/// quote or block header) of the value's byte `offset`, found by decoding `body` along the
/// value: a character written as itself, an escape (`\"`, `\n`, `\x41`, `\u00e9`, a
/// backslash at the end of a line) in a double-quoted scalar, `''` in a single-quoted one,
/// and line breaks with indentation that YAML folded into a space or removed. `None` when the
/// two cannot be lined up.
fn align(body: &str, text: &str, offset: usize, quote: Option<u8>) -> Option<usize> {
    let raw = body.as_bytes();
    let mut j = 0;
    // After a line break was folded, the value's next blank (from an empty line) has no text
    // of its own left in the file.
    let mut folded = false;
    for (i, c) in text.char_indices() {
        if i >= offset {
            return Some(j);
        }
        loop {
            let rest = raw.get(j..)?;
            let &first = rest.first()?;
            if quote == Some(b'"') && first == b'\\' {
                match rest.get(1)? {
                    b'\n' | b'\r' => {
                        // A line continuation: nothing of the value; the next line's
                        // indentation goes too.
                        j += 2;
                        while matches!(raw.get(j), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                            j += 1;
                        }
                        continue;
                    }
                    b'x' => j += 4,
                    b'u' => j += 6,
                    b'U' => j += 10,
                    _ => j += 2,
                }
                folded = false;
                break;
            }
            if quote == Some(b'\'') && c == '\'' && rest.starts_with(b"''") {
                j += 2;
                folded = false;
                break;
            }
            let mut bytes = [0; 4];
            let encoded = c.encode_utf8(&mut bytes).as_bytes();
            if rest.starts_with(encoded) {
                j += encoded.len();
                folded = false;
                break;
            }
            if first.is_ascii_whitespace() {
                // A line break (with the spaces around it and the next line's indentation)
                // that became a space, a newline, or nothing.
                while matches!(raw.get(j), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    j += 1;
                }
                if c == ' ' || c == '\n' {
                    folded = true;
                    break;
                }
                continue;
            }
            if folded && (c == ' ' || c == '\n') {
                break;
            }
            return None;
        }
    }
    (offset == text.len()).then_some(j)
}

fn locate_in_block(source: &Source, value: &Sp<String>, offset: usize, len: usize) -> Option<Span> {
    let text = value.value.as_str();
    let first = source.position(value.span.start);
    let indent = value.span.start - source.line_start(first.line);
    let line_index = text[..offset.min(text.len())].matches('\n').count();
    let line_begin = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    // Every line up to the target must stand in the file as it stands in the value.
    let mut file_line = first.line;
    for (i, line) in text.split('\n').enumerate().take(line_index + 1) {
        let in_file = source.line_text(file_line);
        let content = in_file.get(indent.min(in_file.len())..).unwrap_or("");
        if !line.is_empty() && content != line && !(i == line_index && content.starts_with(line)) {
            return None;
        }
        if i < line_index {
            file_line += 1;
        }
    }
    let start = source.line_start(file_line) + indent + (offset - line_begin);
    Some(Span::new(start, start + len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;
    use std::path::Path;

    fn run_value(yaml: &str) -> (std::sync::Arc<Source>, Sp<String>) {
        let loaded = load_bytes(Path::new("t.yaml"), yaml.as_bytes().to_vec());
        let rb = loaded.runbook.expect("runbook");
        let run = rb.steps[0].run.clone().expect("run");
        (loaded.source, run)
    }

    #[test]
    fn positions_inside_scripts() {
        let cases = [
            (
                "title: t\nsteps:\n  - title: a\n    run: echo {{ x }}\n",
                "{{",
                4,
                15,
            ),
            (
                "title: t\nsteps:\n  - title: a\n    run: \"echo {{ x }}\"\n",
                "{{",
                4,
                16,
            ),
            (
                "title: t\nsteps:\n  - title: a\n    run: |\n      ls\n      echo {{ x }}\n",
                "{{",
                6,
                12,
            ),
            (
                "title: t\nsteps:\n  - title: a\n    run: |\n      ls\n\n      echo {{ x }}\n",
                "{{",
                7,
                12,
            ),
            // Escapes in a double-quoted script.
            (
                "title: t\nsteps:\n  - title: a\n    run: \"echo \\\"a\\\" \\u00e9 && echo $bar\"\n",
                "$bar",
                4,
                37,
            ),
            // `''` in a single-quoted one.
            (
                "title: t\nsteps:\n  - title: a\n    run: 'echo ''a'' && echo $bar'\n",
                "$bar",
                4,
                30,
            ),
            // A double-quoted script over two lines.
            (
                "title: t\nsteps:\n  - title: a\n    run: \"echo a &&\n      echo $bar\"\n",
                "$bar",
                5,
                12,
            ),
            // A folded block.
            (
                "title: t\nsteps:\n  - title: a\n    run: >\n      echo a &&\n      echo $baz\n",
                "$baz",
                6,
                12,
            ),
            // A plain scalar over two lines.
            (
                "title: t\nsteps:\n  - title: a\n    run: echo a &&\n      echo $baz\n",
                "$baz",
                5,
                12,
            ),
        ];
        for (yaml, needle, line, column) in cases {
            let (source, run) = run_value(yaml);
            let offset = run.value.find(needle).unwrap();
            let span = locate(&source, &run, offset, needle.len());
            let pos = source.position(span.start);
            assert_eq!((pos.line, pos.column), (line, column), "{yaml}");
            assert_eq!(source.slice(span), needle, "{yaml}");
        }
    }
}
