//! Maps a position inside a string value back to the file, so that a problem inside a script
//! or template is reported at its exact line and column.

use super::model::Sp;
use super::source::{Source, Span};

/// The file span of `len` bytes at `offset` in `value`'s text. Exact for plain and quoted
/// one-line scalars and for literal block scalars (`|`); other styles fold or unescape the
/// text, and the span then falls back to the start of the value.
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
    Span::new(value.span.start, value.span.start)
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
        ];
        for (yaml, needle, line, column) in cases {
            let (source, run) = run_value(yaml);
            let offset = run.value.find(needle).unwrap();
            let span = locate(&source, &run, offset, 2);
            let pos = source.position(span.start);
            assert_eq!((pos.line, pos.column), (line, column), "{yaml}");
            assert_eq!(source.slice(span), needle);
        }
    }
}
