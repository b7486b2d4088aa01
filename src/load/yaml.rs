//! Bytes → [`Node`] tree, with the encoding checks and the budgets that keep hostile input
//! (alias bombs, deep nesting, huge files) within bounded time and memory.

use super::node::Node;
use super::source::{Source, Span};

/// Files larger than this are refused before parsing: no real runbook comes near it.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of mappings and lists accepted; runbooks need fewer than ten levels.
pub const MAX_DEPTH: usize = 48;
/// Most YAML events that anchors may record and aliases replay, each: a runbook reuses a few
/// small anchors at most, and this keeps an alias bomb to a few megabytes.
pub const MAX_ALIAS_EVENTS: usize = 100_000;
/// Most values (mappings, lists and scalars, keys included) a runbook may have: RB001's
/// "the file has more than N values".
pub const MAX_VALUES: usize = 200_000;

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
    if let Some(node) = parse_fast(source) {
        return Ok(node);
    }
    parse_with_serde(source)
}

/// How many values (mappings, lists and scalars, keys included) the text has, counted as the
/// budget behind RB001's "more than [`MAX_VALUES`] values" counts them; `None` when the text is
/// no YAML the parser reads. For a text that `runbook import` writes (no anchors, no aliases).
pub fn values(text: &str) -> Option<usize> {
    use serde_saphyr::granit_parser::{Event, Parser, StrInput};
    let mut count = 0;
    for item in Parser::with_options(StrInput::new(text), parser_options()) {
        match item.ok()?.0 {
            Event::Scalar(..) | Event::MappingStart(..) | Event::SequenceStart(..) => count += 1,
            _ => {}
        }
    }
    Some(count)
}

/// The tree straight from the parser's events when serde-saphyr would build exactly that
/// tree; `None` when serde-saphyr must decide (see [`super::events`]).
pub fn parse_fast(source: &Source) -> Option<Node> {
    super::events::tree(&source.text, parser_options())
}

/// Parses through serde-saphyr: the reference for [`parse_fast`], and the path for
/// every document that the fast path leaves to it (anchors, tags, errors…).
pub fn parse_with_serde(source: &Source) -> Result<Node, SyntaxError> {
    match serde_saphyr::from_str_with_options::<Option<Node>>(&source.text, options()) {
        Ok(Some(node)) => Ok(node),
        Ok(None) => Ok(Node {
            value: super::node::Value::Null,
            span: Span::at(0),
        }),
        Err(e) => Err(syntax_error(source, &e)),
    }
}

fn budget() -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_VALUES;
    budget.max_documents = 1;
    budget.max_total_scalar_bytes = MAX_FILE_BYTES * 4;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    // Anchored collections are recorded event by event for later replay, once per enclosing
    // anchor: nested anchors reused as keys (js-yaml issue 475) made a 5 KB file record a
    // million events (130 MB) under the default. Bounded like the replays themselves.
    budget.max_recorded_anchor_events = MAX_ALIAS_EVENTS;
    budget.max_recorded_anchor_bytes = MAX_FILE_BYTES * 4;
    budget
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    options.budget = Some(budget());
    options.alias_limits.max_total_replayed_events = MAX_ALIAS_EVENTS;
    options
}

/// The parser options that serde-saphyr derives from [`options`] (its `Options::parser_options`
/// is private): the fast path must accept and refuse exactly the same texts.
fn parser_options() -> serde_saphyr::granit_parser::Options {
    let budget = budget();
    let options = options();
    let mut parser = serde_saphyr::granit_parser::Options::default();
    parser.simple_key_max_lookahead = budget.simple_key_max_lookahead;
    parser.flow_nesting_limit = budget.flow_nesting_limit;
    parser.block_nesting_limit = parser
        .block_nesting_limit
        .max(budget.max_depth.saturating_add(1));
    parser.emit_comments = false;
    parser.strict_indentation = options.strict_indentation;
    parser.bom_inside_document_as_content = options.bom_inside_document_as_content;
    parser
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
    if let Some((message, help)) = limit_exceeded(error) {
        return SyntaxError {
            span: source.char_at(offset),
            message,
            help,
        };
    }
    let text = error.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML");
    let message = strip_location_prefix(first.trim_start_matches("error: "));
    if let Some((message, help, at)) = super::pitfalls::explain(source, offset, message) {
        return SyntaxError {
            span: source.char_at(at),
            message,
            help,
        };
    }
    let help = if message.contains("duplicate") {
        "remove one of the duplicates"
    } else {
        "fix the YAML syntax at this position"
    };
    SyntaxError {
        span: source.char_at(offset),
        message: message.to_string(),
        help: help.into(),
    }
}

/// What to do about a file that nests too deeply.
const FLATTEN: &str = "a runbook needs a few levels of nesting; flatten the file (deep nesting is \
                       a sign of generated or hostile input)";
/// What to do about a file that is too big.
const SPLIT: &str = "split the runbook into sub-runbooks (`runbook: NAME`)";
/// What to do about aliases that expand too much.
const WRITE_OUT: &str = "a runbook repeats little: write the repeated part out instead of using \
                         an alias, or split the runbook into sub-runbooks (`runbook: NAME`)";

/// A file that breaks one of the limits of [`budget`] and [`options`] (alias bombs, deep
/// nesting, huge files): what happened and what to do, in words, instead of serde-saphyr's
/// debug text (`budget breached: RecordedAnchorEvents { … }`). The position is the
/// diagnostic's; for an alias, the help adds where the anchor it repeats is defined.
fn limit_exceeded(error: &serde_saphyr::Error) -> Option<(String, String)> {
    use serde_saphyr::Error as E;
    use serde_saphyr::budget::BudgetBreach as B;
    let mut inner = error.without_snippet();
    let mut anchor = None;
    while let E::AliasError {
        error, locations, ..
    } = inner
    {
        anchor = anchor.or(Some(locations.defined_location));
        inner = error.without_snippet();
    }
    let budget = budget();
    let (message, help) = match inner {
        E::Budget { breach, .. } => match breach {
            B::Events { .. } => (
                format!("the file has more than {} YAML tokens", budget.max_events),
                SPLIT,
            ),
            B::Aliases { .. } => (
                format!(
                    "the file uses more than {} aliases (`*name`)",
                    budget.max_aliases
                ),
                WRITE_OUT,
            ),
            B::Anchors { .. } => (
                format!(
                    "the file defines more than {} anchors (`&name`)",
                    budget.max_anchors
                ),
                WRITE_OUT,
            ),
            B::Depth { .. } => (
                format!("the file nests lists and mappings deeper than {MAX_DEPTH} levels"),
                FLATTEN,
            ),
            B::InclusionDepth { .. } => (
                format!(
                    "the file nests includes deeper than {} levels",
                    budget.max_inclusion_depth
                ),
                FLATTEN,
            ),
            B::Documents { .. } => (
                match budget.max_documents {
                    1 => "the file holds more than one YAML document".to_string(),
                    n => format!("the file holds more than {n} YAML documents"),
                },
                "a file holds one runbook: move what follows `---` to a file of its own",
            ),
            B::Nodes { .. } => (
                format!("the file has more than {} values", budget.max_nodes),
                SPLIT,
            ),
            B::ScalarBytes { .. } => (
                format!(
                    "the text of the file's values adds up to more than {} bytes",
                    budget.max_total_scalar_bytes
                ),
                SPLIT,
            ),
            B::MergeKeys { .. } => (
                format!(
                    "the file uses more than {} merge keys (`<<`)",
                    budget.max_merge_keys
                ),
                WRITE_OUT,
            ),
            B::AliasAnchorRatio { aliases, anchors } => (
                format!(
                    "the file uses {aliases} aliases for {anchors} anchors, more than {} per anchor",
                    budget.alias_anchor_ratio_multiplier
                ),
                WRITE_OUT,
            ),
            B::SequenceUnbalanced => (
                "the file's lists and mappings do not balance: one ends that never began"
                    .to_string(),
                "fix the YAML syntax at this position",
            ),
            B::InputBytes { .. } => (
                format!(
                    "the file is larger than {} bytes",
                    budget.max_reader_input_bytes.unwrap_or(MAX_FILE_BYTES)
                ),
                SPLIT,
            ),
            B::RecordedAnchorEvents { .. } => (
                format!(
                    "the file expands aliases beyond the limit of {} YAML items",
                    budget.max_recorded_anchor_events
                ),
                WRITE_OUT,
            ),
            B::RecordedAnchorBytes { .. } => (
                format!(
                    "the file expands aliases beyond the limit of {} bytes",
                    budget.max_recorded_anchor_bytes
                ),
                WRITE_OUT,
            ),
            B::PropertyExpansionDepth { max_depth, .. } => (
                format!("`${{…}}` properties nest deeper than {max_depth} levels"),
                FLATTEN,
            ),
            B::PropertyInterpolationWork { max_work, .. } => (
                format!("`${{…}}` properties expand beyond the limit of {max_work} steps"),
                SPLIT,
            ),
            _ => (
                "the file exceeds a limit of the YAML reader".to_string(),
                SPLIT,
            ),
        },
        E::AliasReplayLimitExceeded {
            max_total_replayed_events,
            ..
        } => (
            format!(
                "the file expands aliases beyond the limit of {max_total_replayed_events} YAML items"
            ),
            WRITE_OUT,
        ),
        E::AliasExpansionLimitExceeded {
            max_expansions_per_anchor,
            ..
        } => (
            format!("aliases repeat one anchor more than {max_expansions_per_anchor} times"),
            WRITE_OUT,
        ),
        E::AliasReplayStackDepthExceeded { max_depth, .. } => (
            format!("aliases nest inside aliases deeper than {max_depth} levels"),
            WRITE_OUT,
        ),
        E::AliasReplayCounterOverflow { .. } => (
            "the file expands aliases beyond what can be counted".to_string(),
            WRITE_OUT,
        ),
        E::RecursiveReferencesRequireWeakTypes { .. } => (
            "an alias stands inside the anchor it repeats, so it would repeat without end"
                .to_string(),
            "write the repeated part out instead of using the alias",
        ),
        E::ExternalMessage { source, .. }
            if matches!(
                source.as_ref(),
                serde_saphyr::ExternalMessageSource::Parser(e)
                    if matches!(e.kind(), serde_saphyr::granit_parser::ErrorKind::RecursionLimitExceeded)
            ) =>
        {
            (
                format!("the file nests lists and mappings deeper than {MAX_DEPTH} levels"),
                FLATTEN,
            )
        }
        _ => return None,
    };
    let help = match anchor.filter(|l| l.line() > 0) {
        Some(l) if help == WRITE_OUT => format!(
            "the anchor it repeats is defined at line {}, column {}; {help}",
            l.line(),
            l.column()
        ),
        _ => help.to_string(),
    };
    Some((message, help))
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

    /// `values` counts what the budget counts: a text of exactly `MAX_VALUES` values parses, one
    /// more is RB001's breach.
    #[test]
    fn values_counts_as_the_budget_does() {
        assert_eq!(values("a: [b, {c: d}]\n"), Some(7));
        assert_eq!(values("a: [b\n"), None);
        // The root mapping, then a key and its value per line.
        let text = |n: usize| -> String {
            let mut t = String::new();
            for i in 0..(n - 1) / 2 {
                t.push_str(&format!("k{i}: v\n"));
            }
            t
        };
        let fits = text(MAX_VALUES);
        assert_eq!(values(&fits), Some(MAX_VALUES - 1));
        assert!(parse_text(&fits).is_ok());
        let over = format!("{fits}x: [y]\n");
        assert_eq!(values(&over), Some(MAX_VALUES + 2));
        let err = parse_text(&over).unwrap_err();
        assert!(
            err.message
                .contains(&format!("more than {MAX_VALUES} values")),
            "{err:?}"
        );
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
    fn syntax_error_spans_cover_whole_characters() {
        // The error stands on `é`: a one-byte span ended inside it and the human renderer
        // panicked slicing the line.
        for text in ["!!binary \u{e9}", "a:\n  - b\n \u{e9}c: d\n", "[\u{feff}*x"] {
            let src = Source::new("t.yaml", text.to_string());
            let err = parse(&src).unwrap_err();
            assert!(
                text.is_char_boundary(err.span.start) && text.is_char_boundary(err.span.end),
                "{text:?}: {err:?}"
            );
        }
        let src = Source::new("t.yaml", "!!binary \u{e9}".to_string());
        assert_eq!(src.slice(parse(&src).unwrap_err().span), "\u{e9}");
    }

    #[test]
    fn control_characters_are_refused() {
        let err = parse_text("a: b\u{7}\n").unwrap_err();
        assert_eq!(err.span.start, 4);
    }

    /// The limits speak of the file, not of serde-saphyr's internals.
    fn assert_human(err: &SyntaxError) {
        for internal in ["budget", "Breach", "{", "Recorded", "Events", "recursion"] {
            assert!(!err.message.contains(internal), "{err:?}");
        }
    }

    fn billion_laughs() -> String {
        let mut text = String::from("title: t\nsteps:\n  - title: x\n    run: echo\n");
        text.push_str("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let items = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        text
    }

    #[test]
    fn alias_bombs_are_explained_with_the_limit_and_the_anchor() {
        let text = billion_laughs();
        let src = Source::new("t.yaml", text.clone());
        let err = parse(&src).unwrap_err();
        assert_human(&err);
        assert_eq!(
            err.message,
            format!("the file expands aliases beyond the limit of {MAX_ALIAS_EVENTS} YAML items")
        );
        let pos = src.position(err.span.start);
        assert!(src.slice(err.span).starts_with('*'), "{err:?} at {pos:?}");
        assert!(
            err.help
                .starts_with("the anchor it repeats is defined at line "),
            "{err:?}"
        );
        assert!(err.help.contains("write the repeated part out"), "{err:?}");
    }

    #[test]
    fn deep_nesting_and_other_limits_are_explained() {
        let deep_block: String = (0..60)
            .map(|i| format!("{}k{i}:\n", "  ".repeat(i)))
            .collect();
        let deep_flow = format!("a: {}{}\n", "[".repeat(300), "]".repeat(300));
        let nesting = format!("the file nests lists and mappings deeper than {MAX_DEPTH} levels");
        for text in [deep_block, deep_flow] {
            let err = parse_text(&text).unwrap_err();
            assert_human(&err);
            assert_eq!(err.message, nesting, "{text}");
            assert!(err.help.contains("flatten"), "{err:?}");
        }
        let err = parse_text("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.message, "the file holds more than one YAML document");
        let err = parse_text("a: &a [*a]\n").unwrap_err();
        assert_human(&err);
        assert!(
            err.message.contains("alias stands inside the anchor"),
            "{err:?}"
        );
    }

    /// Every breach serde-saphyr can report has words of its own.
    #[test]
    fn every_budget_breach_has_a_message() {
        use serde_saphyr::budget::BudgetBreach as B;
        let breaches = [
            B::Events { events: 1 },
            B::Aliases { aliases: 1 },
            B::Anchors { anchors: 1 },
            B::Depth { depth: 1 },
            B::InclusionDepth { depth: 1 },
            B::Documents { documents: 2 },
            B::Nodes { nodes: 1 },
            B::ScalarBytes {
                total_scalar_bytes: 1,
            },
            B::MergeKeys { merge_keys: 1 },
            B::AliasAnchorRatio {
                aliases: 500,
                anchors: 2,
            },
            B::SequenceUnbalanced,
            B::InputBytes { input_bytes: 1 },
            B::RecordedAnchorEvents {
                recorded_anchor_events: 1,
            },
            B::RecordedAnchorBytes {
                recorded_anchor_bytes: 1,
            },
            B::PropertyExpansionDepth {
                depth: 9,
                max_depth: 8,
            },
            B::PropertyInterpolationWork {
                work: 9,
                max_work: 8,
            },
        ];
        let mut messages = Vec::new();
        for breach in breaches {
            let error = serde_saphyr::Error::Budget {
                breach: breach.clone(),
                location: serde_saphyr::Location::UNKNOWN,
            };
            let (message, help) =
                limit_exceeded(&error).unwrap_or_else(|| panic!("{breach:?}: no message"));
            assert!(
                !message.contains(" { ") && !message.contains("Breach") && !help.is_empty(),
                "{breach:?}: {message}"
            );
            assert!(
                message != "the file exceeds a limit of the YAML reader",
                "{breach:?}: generic"
            );
            messages.push(message);
        }
        messages.sort();
        messages.dedup();
        assert_eq!(messages.len(), 16, "each breach says what it is");
    }
}
