//! Words kept in a variable and spread into a command (`o=(-I "gzip $K"); tar "${o[@]}"`,
//! `a="--checkpoint-action=exec=echo $K"; tar "$a"`): the script written with those words
//! in the command itself, so that what reads a command's words reads them too.
//!
//! A program's options are told by their words: `-I`, `-exec … \;`, `-o ProxyCommand=…`
//! kept in an array reach the program as if written there, but the rules that follow a value
//! into a command only see `"${o[@]}"`. [`inline`] writes the script again with the literal
//! words of each such variable in place of its expansion, and says where the placeholder
//! being followed stands in the new text (an audit ran a value through `find . "${args[@]}"`
//! with `args=(-exec sh -c "echo $K" \;)`, audit 20 HOLE-5).

use super::context::{Quoting, context_at};
use super::flow::{is_name_byte, substitution_end, word_end};
use std::collections::BTreeMap;
use std::ops::Range;

/// The script with the literal words of its option-holding variables in place of their
/// expansions, and the ranges the placeholder at `placeholder` has there (where it was, and
/// in each copy of the words holding it). `None` when no such variable is expanded.
pub fn inline(text: &str, placeholder: Range<usize>) -> Option<(String, Vec<Range<usize>>)> {
    if !text.contains("=(") && !text.contains("=\"-") && !text.contains("='-") {
        return None;
    }
    let literals = literals(text);
    if literals.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() * 2);
    let mut ranges = Vec::new();
    let mut last = 0;
    let mut replaced = false;
    for (at, end, name) in spreads(text, &literals) {
        // (The placeholder itself is never a spread.)
        if at < placeholder.end && placeholder.start < end {
            continue;
        }
        out.push_str(&text[last..at]);
        if (last..at).contains(&placeholder.start) {
            let shift = out.len() - at;
            ranges.push(placeholder.start + shift..placeholder.end + shift);
        }
        for value in &literals[name] {
            let start = out.len();
            // (The new lines of an array's words would end the command they are written
            // into.)
            out.push_str(&text[value.clone()].replace('\n', " "));
            out.push(' ');
            // A copy of the placeholder, where the words held it.
            if value.start <= placeholder.start && placeholder.end <= value.end {
                let offset = placeholder.start - value.start;
                ranges.push(start + offset..start + offset + placeholder.len());
            }
        }
        last = end;
        replaced = true;
    }
    if !replaced {
        return None;
    }
    if placeholder.start >= last {
        let shift = out.len() as isize - last as isize;
        let s = (placeholder.start as isize + shift) as usize;
        ranges.push(s..s + placeholder.len());
    }
    out.push_str(&text[last..]);
    Some((out, ranges))
}

/// Each variable assigned only literal words that may be options: an array (`o=(-I "gzip
/// $K")`, `o+=(…)`) or a scalar whose value starts with `-` (`a="--opt=$K"`), with the
/// ranges of those words (every assignment's, in order).
fn literals(text: &str) -> BTreeMap<&str, Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut out: BTreeMap<&str, Vec<Range<usize>>> = BTreeMap::new();
    let mut i = 0;
    while i < b.len() {
        let starts_name = (b[i].is_ascii_alphabetic() || b[i] == b'_')
            && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'('));
        if !starts_name || context_at(text, i) != Quoting::Bare {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_name_byte(b[i]) {
            i += 1;
        }
        let name = &text[start..i];
        let append = b.get(i) == Some(&b'+');
        let eq = if append { i + 1 } else { i };
        if b.get(eq) != Some(&b'=') {
            continue;
        }
        let value = eq + 1;
        if b.get(value) == Some(&b'(') {
            let Some(close) = substitution_end(text, value + 1) else {
                break;
            };
            let words = value + 1..close;
            // (A comment inside the array would swallow the rest of a command line.)
            if !text[words.clone()].contains('#') {
                out.entry(name).or_default().push(words);
            }
            i = close + 1;
        } else {
            let end = word_end(text, value);
            let raw = &text[value..end];
            if raw.trim_start_matches(['"', '\'']).starts_with('-') {
                out.entry(name).or_default().push(value..end);
            }
            i = end.max(value);
        }
    }
    out
}

/// The expansions of the variables of `literals` that stand as whole words of a command
/// (`"${o[@]}"`, `${o[*]}`, `"$a"`, `$a`, `"${a}"`): (start, end, name), in order.
fn spreads<'t>(
    text: &str,
    literals: &'t BTreeMap<&str, Vec<Range<usize>>>,
) -> Vec<(usize, usize, &'t str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(k) = text[i..].find('$') {
        let at = i + k;
        i = at + 1;
        let quoted = at > 0 && b[at - 1] == b'"';
        let start = if quoted { at - 1 } else { at };
        let whole_word_start = start == 0
            || matches!(
                b[start - 1],
                b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'('
            );
        if !whole_word_start || context_at(text, start) != Quoting::Bare {
            continue;
        }
        let rest = &text[at + 1..];
        let (name, len) = if let Some(inner) = rest.strip_prefix('{') {
            let close = match inner.find('}') {
                Some(c) => c,
                None => continue,
            };
            let body = &inner[..close];
            let name = body
                .strip_suffix("[@]")
                .or_else(|| body.strip_suffix("[*]"))
                .unwrap_or(body);
            (name, close + 2)
        } else {
            let n = rest.bytes().take_while(|c| is_name_byte(*c)).count();
            (&rest[..n], n)
        };
        let Some((&key, _)) = literals.get_key_value(name) else {
            continue;
        };
        let mut end = at + 1 + len;
        if quoted {
            if b.get(end) != Some(&b'"') {
                continue;
            }
            end += 1;
        }
        let whole_word_end =
            end == b.len() || matches!(b[end], b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b')');
        if whole_word_end {
            out.push((start, end, key));
            i = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inlined(text: &str, ph: &str) -> (String, Vec<String>) {
        let at = text.find(ph).unwrap_or(0);
        let (out, ranges) = inline(text, at..at + ph.len()).unwrap_or_default();
        let copies = ranges
            .iter()
            .map(|r| out.get(r.clone()).unwrap_or("?").to_string())
            .collect();
        (out, copies)
    }

    #[test]
    fn an_array_of_options_is_written_into_the_command() {
        let (out, copies) = inlined(
            "K=PH; o=(-I \"gzip $K\"); tar -cf a.tgz \"${o[@]}\" -C /etc hostname",
            "PH",
        );
        assert_eq!(
            out,
            "K=PH; o=(-I \"gzip $K\"); tar -cf a.tgz -I \"gzip $K\"  -C /etc hostname"
        );
        assert_eq!(copies, ["PH"]);
    }

    #[test]
    fn a_placeholder_in_the_words_is_copied_where_they_are_spread() {
        let (out, copies) = inlined(
            "o=(--checkpoint=1 \"--checkpoint-action=exec=echo PH\")\ntar -cf a.tar \"${o[@]}\" x",
            "PH",
        );
        assert!(out.contains("tar -cf a.tar --checkpoint=1 \"--checkpoint-action=exec=echo PH\""));
        assert_eq!(copies, ["PH", "PH"]);
    }

    #[test]
    fn a_scalar_holding_an_option_is_written_into_the_command() {
        let (out, copies) = inlined(
            "a=\"--checkpoint-action=exec=echo $K\"; K=PH; tar -cf x \"$a\" y",
            "PH",
        );
        assert!(out.ends_with("tar -cf x \"--checkpoint-action=exec=echo $K\"  y"));
        assert_eq!(copies, ["PH"]);
    }

    #[test]
    fn other_variables_and_quoted_text_are_left_alone() {
        let text = "h=web-1; o=(-v); echo \"run $o now\"; ssh \"$h\" uptime";
        assert_eq!(inline(text, 0..0), None);
        assert_eq!(inline("a=plain; tar \"$a\"", 0..0), None);
    }
}
