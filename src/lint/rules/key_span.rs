//! Where a key stands: the model keeps the spans of values only, and the value of a block
//! mapping starts on the next line, under its own first key.

use crate::load::{Source, Span};

/// The span of `key` in `key: value`, found in the text between `from` (the start of the
/// mapping that holds it) and the value; the value's span when the key is not found.
pub fn key_span(source: &Source, from: usize, value: Span, key: &str) -> Span {
    let Some(before) = source.text.get(from..value.start) else {
        return value;
    };
    before
        .rmatch_indices(key)
        .find(|(i, _)| {
            let boundary =
                !before[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-');
            let rest = before[i + key.len()..].trim_start_matches(['"', '\'', ' ', '\t']);
            boundary && rest.starts_with(':')
        })
        .map_or(value, |(i, _)| Span::new(from + i, from + i + key.len()))
}

#[cfg(test)]
mod tests {
    use super::key_span;
    use crate::load::{Source, Span};

    #[test]
    fn key_span_points_at_the_key() {
        let text = "- id: lag\n  run: echo wait: no\n  wait:  # poll\n    run: x\n";
        let source = Source::new("t.yaml", text.to_string());
        let value = text.find("run: x").map_or(Span::at(0), Span::at);
        let key = key_span(&source, 2, value, "wait");
        assert_eq!(source.slice(key), "wait");
        assert_eq!(source.position(key.start).line, 3);
        let flow = "- {title: t, run: a, \"wait\": {run: b}}";
        let source = Source::new("t.yaml", flow.to_string());
        let value = flow.find("{run").map_or(Span::at(0), Span::at);
        assert_eq!(source.slice(key_span(&source, 2, value, "wait")), "wait");
        assert_eq!(key_span(&source, 2, value, "checklist"), value);
    }
}
