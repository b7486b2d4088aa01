//! The fast way from text to a [`Node`] tree: straight from the YAML parser's events, for the
//! documents that need nothing else. Every real runbook is one.
//!
//! serde-saphyr builds the same tree through serde, but its event layer (anchor recording,
//! budgets, span maps for `Spanned`) costs twice the parsing itself: this path makes
//! `runbook lint` faster than a bare serde-saphyr parse of the same files. It yields exactly
//! the tree that serde-saphyr yields, or gives up (`None`) and lets [`super::yaml::parse`]
//! take the serde path, which then also words any error. It gives up on anything whose
//! meaning serde-saphyr decides beyond the parser: anchors, aliases, tags, merge keys,
//! directives, keys that are not strings, numbers other than plain decimal integers, a root
//! that is not a mapping, several documents, and documents near a budget. The tests compare
//! both paths on every corpus.

use super::node::{Node, Value};
use super::source::Span;
use serde_saphyr::granit_parser::{Event, Options, Parser, ScalarStyle, StrInput};

/// Below serde-saphyr's budgets (see `yaml::budget`), so that a document that would breach
/// one always takes the serde path, which reports the breach.
const MAX_DEPTH: usize = 40;
const MAX_NODES: usize = 150_000;
const MAX_EVENTS: usize = 500_000;

/// A collection being built.
enum Open {
    Seq(Span, Vec<Node>),
    /// The entries, and a key waiting for its value.
    Map(Span, Vec<(Node, Node)>, Option<Node>),
}

/// The tree of a plain one-document YAML text whose root is a mapping; `None` when serde-saphyr
/// must decide (see the module documentation).
pub fn tree(text: &str, options: Options) -> Option<Node> {
    let mut parser = Parser::with_options(StrInput::new(text), options);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    let (mut documents, mut nodes, mut events) = (0, 0, 0);
    for item in &mut parser {
        let (event, span) = item.ok()?;
        events += 1;
        if events > MAX_EVENTS {
            return None;
        }
        let start = span.start.byte_offset()?;
        let end = span.end.byte_offset()?;
        let span = Span::new(start, end);
        let node = match event {
            Event::StreamStart | Event::DocumentEnd => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_, version) => {
                documents += 1;
                if documents > 1 || version.is_some() {
                    return None;
                }
                continue;
            }
            Event::MappingStart(_, anchor, tag) | Event::SequenceStart(_, anchor, tag)
                if anchor != 0 || tag.is_some() =>
            {
                return None;
            }
            Event::MappingStart(..) => {
                if root.is_some() || (stack.is_empty() && nodes > 0) {
                    return None;
                }
                nodes += 1;
                stack.push(Open::Map(span, Vec::new(), None));
                if stack.len() > MAX_DEPTH || nodes > MAX_NODES {
                    return None;
                }
                continue;
            }
            Event::SequenceStart(..) => {
                // The root must be a mapping; a list elsewhere.
                if stack.is_empty() {
                    return None;
                }
                nodes += 1;
                stack.push(Open::Seq(span, Vec::new()));
                if stack.len() > MAX_DEPTH || nodes > MAX_NODES {
                    return None;
                }
                continue;
            }
            Event::MappingEnd => match stack.pop()? {
                Open::Map(span, entries, None) => Node {
                    value: Value::Map(entries),
                    span,
                },
                _ => return None,
            },
            Event::SequenceEnd => match stack.pop()? {
                Open::Seq(span, items) => Node {
                    value: Value::Seq(items),
                    span,
                },
                Open::Map(..) => return None,
            },
            Event::Scalar(value, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() || stack.is_empty() {
                    return None;
                }
                nodes += 1;
                if nodes > MAX_NODES {
                    return None;
                }
                Node {
                    value: scalar(value.into_owned(), style)?,
                    span,
                }
            }
            _ => return None,
        };
        match stack.last_mut() {
            None => root = Some(node),
            Some(Open::Seq(_, items)) => items.push(node),
            Some(Open::Map(_, entries, pending)) => match pending.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    // A key must be text, and not `<<`, which serde-saphyr reads as a merge.
                    match &node.value {
                        Value::Str(key) if key != "<<" => *pending = Some(node),
                        _ => return None,
                    }
                }
            },
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root
}

/// A scalar's value as serde-saphyr's `deserialize_any` gives it (YAML 1.2 core schema with
/// strict booleans), or `None` for the spellings this module leaves to serde-saphyr.
fn scalar(text: String, style: ScalarStyle) -> Option<Value> {
    if style != ScalarStyle::Plain {
        return Some(Value::Str(text));
    }
    if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
        return Some(Value::Null);
    }
    let t = text.trim_matches([' ', '\t', '\r', '\n']);
    match t {
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    // After its sign, a number starts with a digit and has only characters of integers (any
    // radix) and floats: `30s`, `5 minutes` and `10.0.0.1/8` are text. `.inf`, `.nan` and
    // `.5` start with a dot: serde-saphyr's (it refuses the first two).
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if unsigned.starts_with('.') {
        return None;
    }
    let numeric = |c: char| {
        c.is_ascii_hexdigit() || matches!(c, 'x' | 'X' | 'o' | 'O' | '_' | '.' | '+' | '-')
    };
    if !unsigned.starts_with(|c: char| c.is_ascii_digit()) || !t.chars().all(numeric) {
        return Some(Value::Str(text));
    }
    // Decimal integers without `+`, leading zero or `_`: the other numeric spellings (floats,
    // radix prefixes, `.inf`, overflow…) are left to serde-saphyr.
    let digits = t.strip_prefix('-').unwrap_or(t);
    let decimal = !digits.is_empty()
        && digits.len() <= 18
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !decimal {
        return None;
    }
    Some(Value::Int(t.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Option<Value> {
        scalar(text.to_string(), ScalarStyle::Plain)
    }

    #[test]
    fn scalars_resolve_as_in_serde_saphyr() {
        assert_eq!(value(""), Some(Value::Null));
        assert_eq!(value("~"), Some(Value::Null));
        assert_eq!(value("True"), Some(Value::Bool(true)));
        assert_eq!(value("yes"), Some(Value::Str("yes".into())));
        assert_eq!(value("30s"), Some(Value::Str("30s".into())));
        assert_eq!(value("5 minutes"), Some(Value::Str("5 minutes".into())));
        assert_eq!(value("1e3"), None);
        assert_eq!(value("0x1F"), None);
        assert_eq!(value("1_000"), None);
        assert_eq!(value("+5"), None);
        assert_eq!(value("+.nan"), None);
        assert_eq!(value(".hidden"), None);
        assert_eq!(value("10.0.0.1/8"), Some(Value::Str("10.0.0.1/8".into())));
        assert_eq!(value("-12"), Some(Value::Int(-12)));
        assert_eq!(value("0"), Some(Value::Int(0)));
        assert_eq!(value("007"), None);
        assert_eq!(value("1.5"), None);
        assert_eq!(value(".inf"), None);
        assert_eq!(value("inf"), Some(Value::Str("inf".into())));
        assert_eq!(value("-x"), Some(Value::Str("-x".into())));
        assert_eq!(
            scalar("true".into(), ScalarStyle::DoubleQuoted),
            Some(Value::Str("true".into()))
        );
    }
}
