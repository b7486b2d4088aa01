//! Bytes → [`Node`] tree, with the encoding checks and the budgets that keep hostile input
//! (alias bombs, deep nesting, huge files) within bounded time and memory.

use super::node::Node;
use super::source::{Source, Span};

/// Files larger than this are refused before parsing: no real runbook comes near it.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of mappings and lists accepted; runbooks need fewer than ten levels.
pub const MAX_DEPTH: usize = 48;

/// Why a file could not be read as YAML at all.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// Decodes a file's bytes as UTF-8 without a byte-order mark.
///
/// On failure returns the text decoded so far (so the error can be placed at a line and
/// column) and the error.
pub fn decode(bytes: Vec<u8>) -> Result<String, (String, SyntaxError)> {
    if bytes.len() > MAX_FILE_BYTES {
        let error = SyntaxError {
            span: Span::at(0),
            message: format!(
                "file is {} bytes, more than the {} bytes a runbook may have",
                bytes.len(),
                MAX_FILE_BYTES
            ),
            help: "split the runbook into sub-runbooks (`runbook: NAME`)".into(),
        };
        return Err((String::new(), error));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let error = SyntaxError {
            span: Span::at(0),
            message: "file is encoded as UTF-16".into(),
            help: "save the runbook as UTF-8".into(),
        };
        return Err((String::new(), error));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let bad = bytes.get(valid).copied().unwrap_or(0);
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let error = SyntaxError {
                span: Span::at(valid),
                message: format!("invalid UTF-8 (byte 0x{bad:02X})"),
                help: "save the runbook as UTF-8".into(),
            };
            Err((prefix, error))
        }
    }
}

/// Parses the text of one YAML document into a [`Node`] tree.
pub fn parse(source: &Source) -> Result<Node, SyntaxError> {
    if let Some(offset) = source
        .text
        .find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{85}'))
    {
        let c = source.text[offset..].chars().next().unwrap_or('\0');
        return Err(SyntaxError {
            span: Span::new(offset, offset + c.len_utf8()),
            message: format!("control character U+{:04X} in the file", c as u32),
            help: "remove the character; YAML allows only printable characters".into(),
        });
    }
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = 200_000;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES * 4;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    match serde_saphyr::from_str_with_options::<Option<Node>>(&source.text, options) {
        Ok(Some(node)) => Ok(node),
        Ok(None) => Ok(Node {
            value: super::node::Value::Null,
            span: Span::at(0),
        }),
        Err(e) => Err(syntax_error(source, &e)),
    }
}

fn syntax_error(source: &Source, error: &serde_saphyr::Error) -> SyntaxError {
    let offset = match error.location() {
        Some(loc) if loc.line() > 0 => {
            let start = source.line_start(loc.line() as usize);
            let line = source.line_text(loc.line() as usize);
            let column = (loc.column() as usize).saturating_sub(1);
            start
                + line
                    .char_indices()
                    .nth(column)
                    .map_or(line.len(), |(i, _)| i)
        }
        _ => 0,
    };
    let text = error.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML");
    let message = strip_location_prefix(first.trim_start_matches("error: "));
    let help = if message.contains("budget breached") || message.contains("recursion limit") {
        "the file is nested too deeply or expands too many aliases to be a runbook"
    } else if message.contains("duplicate") {
        "remove one of the duplicates"
    } else {
        "fix the YAML syntax at this position"
    };
    SyntaxError {
        span: Span::new(offset, offset + 1).min_within(source.text.len()),
        message: message.to_string(),
        help: help.into(),
    }
}

/// serde-saphyr starts its messages with "line L column C: "; the position is shown apart.
fn strip_location_prefix(message: &str) -> &str {
    if let Some(rest) = message.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
    {
        let head = &rest[..idx];
        if head
            .split(" column ")
            .all(|p| p.chars().all(|c| c.is_ascii_digit()))
        {
            return &rest[idx + 2..];
        }
    }
    message
}

impl Span {
    fn min_within(self, len: usize) -> Span {
        Span::new(self.start.min(len), self.end.min(len))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<Node, SyntaxError> {
        parse(&Source::new("t.yaml", text.to_string()))
    }

    #[test]
    fn syntax_errors_carry_positions() {
        let src = Source::new("t.yaml", "a: [b\nc: d\n".to_string());
        let err = parse(&src).unwrap_err();
        let pos = src.position(err.span.start);
        assert!(pos.line >= 1, "{err:?}");
        assert!(!err.message.starts_with("line "), "{err:?}");
    }

    #[test]
    fn strict_booleans_keep_yes_as_text() {
        let node = parse_text("a: yes\nb: true\n").unwrap();
        assert_eq!(node.get("a").and_then(Node::as_str), Some("yes"));
        assert_eq!(
            node.get("b").map(|n| &n.value),
            Some(&super::super::node::Value::Bool(true))
        );
    }

    #[test]
    fn decode_rejects_utf16_and_places_invalid_utf8() {
        assert!(decode(vec![0xFF, 0xFE, b'a', 0]).is_err());
        let (prefix, err) = decode(b"ab\ncd\xFF".to_vec()).unwrap_err();
        assert_eq!(prefix, "ab\ncd");
        assert_eq!(err.span.start, 5);
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).unwrap(), "a: 1");
    }

    #[test]
    fn duplicate_keys_are_kept_for_the_linter() {
        let node = parse_text("a: 1\na: 2\n").unwrap();
        assert_eq!(node.as_map().map(<[_]>::len), Some(2));
    }

    #[test]
    fn control_characters_are_refused() {
        let err = parse_text("a: b\u{7}\n").unwrap_err();
        assert_eq!(err.span.start, 4);
    }
}
