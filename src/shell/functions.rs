//! The functions a script defines and where their bodies are: text the lexer
//! (`words.rs`, a call's redirections given to its body) and the flow model both read.

use std::collections::BTreeSet;

/// The functions a script defines, wherever a command may start: at the top level, inside
/// `if … fi` or a loop, after `||` (`. lib.sh || on_host() { … }`), as `name()` or
/// `function name`.
pub fn functions(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let is_name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':');
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("()") {
        let mut s = i;
        while s > 0 && bytes[s - 1] == b' ' {
            s -= 1;
        }
        let end = s;
        while s > 0 && is_name(bytes[s - 1]) {
            s -= 1;
        }
        if s == end {
            continue;
        }
        let before = text[..s].trim_end_matches([' ', '\t']);
        let keyword = before.ends_with("function");
        let starts = before.is_empty()
            || keyword
            || before.ends_with(['\n', ';', '&', '|', '(', '{', '}'])
            || ["then", "else", "do", "!"].iter().any(|k| {
                before.ends_with(k)
                    && !before[..before.len() - k.len()]
                        .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            });
        let body = text[i + 2..].trim_start();
        if starts
            && (body.starts_with('{') || body.starts_with('('))
            && super::context::context_at(text, s) == super::context::Quoting::Bare
        {
            out.insert(text[s..end].to_string());
        }
    }
    for (i, _) in text.match_indices("function ") {
        if i > 0
            && !matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'{' | b'('
            )
        {
            continue;
        }
        let rest = text[i + 9..].trim_start_matches(' ');
        let name: String = rest
            .bytes()
            .take_while(|b| is_name(*b))
            .map(char::from)
            .collect();
        let after = rest[name.len()..].trim_start();
        if !name.is_empty()
            && (after.starts_with('{') || after.starts_with("()"))
            && super::context::context_at(text, i) == super::context::Quoting::Bare
        {
            out.insert(name);
        }
    }
    out
}

/// Where a function is defined: from its name to the brace or parenthesis that closes its
/// body outside quotes (to the end of the text when none does).
pub fn function_span(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let start = text.match_indices(name).map(|(i, _)| i).find(|&i| {
        text[i + name.len()..].trim_start().starts_with("()") || text[..i].ends_with("function ")
    })?;
    // The body: from the first brace or parenthesis to the one that closes it, outside quotes.
    let bytes = text.as_bytes();
    let open = (start..bytes.len())
        .find(|&k| matches!(bytes[k], b'{' | b'(') && !text[start..k].trim_end().ends_with(name))?;
    let (up, down) = if bytes[open] == b'{' {
        (b'{', b'}')
    } else {
        (b'(', b')')
    };
    // One pass, outside quotes (a `\` escapes the next byte outside single quotes).
    let mut depth = 0usize;
    let (mut single, mut double, mut escaped) = (false, false, false);
    for (k, &b) in bytes.iter().enumerate().skip(open) {
        if escaped {
            escaped = false;
        } else if single {
            single = b != b'\'';
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            double = !double;
        } else if double {
        } else if b == b'\'' {
            single = true;
        } else if b == up {
            depth += 1;
        } else if b == down {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(start..k + 1);
            }
        }
    }
    Some(start..text.len())
}
