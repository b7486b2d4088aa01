//! [`close_mismatched`]: a fence opened with four backticks or tildes (` ````bash `,
//! `~~~~bash`) and "closed" by a ```` ``` ```` line, a frequent wiki typo. CommonMark does not
//! close it there: the rest of the page (or of the list item or quote it stands in) would be
//! in it, the ```` ``` ```` line and the prose after it part of the command (audit 39 I-9).
//! Such a fence, never closed, is read as the page's author meant it: its first lone fence
//! line is rewritten, line for line, into the fence that closes it, and said.

use super::pos::Pos;
use std::borrow::Cow;

/// The most fences rewritten on one page (each rewrite reads the rest of the page again).
const MAX_REWRITES: usize = 16;

/// A page with its mismatched closing fences made the fences that close them.
pub(super) struct Closed<'a> {
    pub(super) text: Cow<'a, str>,
    pub(super) guesses: Vec<(Pos, String)>,
}

/// A line's container prefix (spaces and `>` quote markers) split from the rest: (the `>`
/// count, the spaces after the last `>`, the rest).
fn container(line: &str) -> (usize, usize, &str) {
    let mut quotes = 0;
    let mut spaces = 0;
    let mut at = 0;
    for (i, c) in line.char_indices() {
        match c {
            '>' => {
                quotes += 1;
                spaces = 0;
            }
            ' ' => spaces += 1,
            _ => {
                at = i;
                break;
            }
        }
        at = i + c.len_utf8();
    }
    (quotes, spaces, &line[at..])
}

/// A fence line's marker: its character and length, and the text after it.
fn marker(rest: &str) -> Option<(char, usize, &str)> {
    let c = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = rest.len() - rest.trim_start_matches(c).len();
    let info = &rest[n..];
    // (A backtick fence's info string holds no backtick, CommonMark says.)
    (n >= 3 && !(c == '`' && info.contains('`'))).then_some((c, n, info))
}

/// An open fence: its line (0-based), marker, quote depth and indentation.
struct Open {
    line: usize,
    c: char,
    n: usize,
    quotes: usize,
    spaces: usize,
}

/// See the module's doc.
pub(super) fn close_mismatched(text: &str) -> Closed<'_> {
    if !text.contains("````") && !text.contains("~~~") {
        return Closed {
            text: Cow::Borrowed(text),
            guesses: Vec::new(),
        };
    }
    let mut lines: Vec<Cow<str>> = text.split_inclusive('\n').map(Cow::Borrowed).collect();
    let mut guesses = Vec::new();
    let mut open: Option<Open> = None;
    // The first lone fence line that does not close the open fence.
    let mut lone: Option<usize> = None;
    let mut k = 0;
    let mut rewrites = 0;
    while k <= lines.len() {
        // (`None`: the page's end, which ends every open fence.)
        let line = lines.get(k).map(|l| l.trim_end_matches(['\n', '\r']));
        let Some(o) = &open else {
            if let Some((quotes, spaces, rest)) = line.map(container)
                && let Some((c, n, _)) = marker(rest)
            {
                open = Some(Open {
                    line: k,
                    c,
                    n,
                    quotes,
                    spaces,
                });
                lone = None;
            }
            k += 1;
            continue;
        };
        let (quotes, spaces, rest) = line.map_or((0, 0, ""), container);
        let blank = rest.trim().is_empty();
        // The quote or the item the fence stands in ends: so does the fence.
        let ended = line.is_none()
            || (!blank && (quotes < o.quotes || (quotes == o.quotes && spaces < o.spaces)));
        if !ended {
            if let Some((c, n, info)) = marker(rest)
                && info.trim().is_empty()
            {
                if c == o.c && n >= o.n {
                    open = None;
                } else if lone.is_none() {
                    lone = Some(k);
                }
            }
            k += 1;
            continue;
        }
        let opened = o.line;
        let (c, n) = (o.c, o.n);
        open = None;
        // (Nothing to read as its end: the fence runs to where CommonMark ends it, said
        // where the block is read.)
        if let Some(at) = lone.take().filter(|_| rewrites < MAX_REWRITES) {
            rewrites += 1;
            let old = lines[at].to_string();
            let body = old.trim_end_matches(['\n', '\r']);
            let ending = &old[body.len()..];
            let (_, _, rest) = container(body);
            let prefix = &body[..body.len() - rest.len()];
            let wrote = rest.trim();
            let kind = |ch: char, count: usize| {
                format!("{count} {}", if ch == '`' { "backticks" } else { "tildes" })
            };
            let shorter = kind(wrote.chars().next().unwrap_or('`'), wrote.chars().count());
            let what = format!(
                "the fence opened with {} at line {} is never closed (a line of {shorter} does not close it, and the rest of the page would be in it): that line is read as its end (write it with {})",
                kind(c, n),
                opened + 1,
                kind(c, n),
            );
            let fence: String = std::iter::repeat_n(c, n).collect();
            guesses.push((
                Pos {
                    line: at + 1,
                    col: prefix.chars().count() + 1,
                },
                what,
            ));
            lines[at] = Cow::Owned(format!("{prefix}{fence}{ending}"));
            // (What follows it is read again, now outside the fence.)
            k = at + 1;
        }
    }
    if guesses.is_empty() {
        return Closed {
            text: Cow::Borrowed(text),
            guesses,
        };
    }
    Closed {
        text: Cow::Owned(lines.concat()),
        guesses,
    }
}

/// Whether a fenced block's source (its opening line to its last) ends in the fence that
/// closes it: the opening's character, at least as many.
pub(super) fn closed(source: &str) -> bool {
    let source = source.trim_end();
    let first = source.lines().next().unwrap_or("");
    let (_, _, open) = container(first);
    let Some((c, n, _)) = marker(open) else {
        return true;
    };
    if !source.contains('\n') {
        return false;
    }
    let last = source.rsplit('\n').next().unwrap_or("");
    let (_, _, rest) = container(last);
    marker(rest).is_some_and(|(lc, ln, info)| lc == c && ln >= n && info.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shorter_or_other_fence_in_a_fence_never_closed_is_read_as_its_end() {
        for (page, want, at) in [
            (
                "~~~~bash\nrm -rf /tmp/x\n```\n",
                "~~~~bash\nrm -rf /tmp/x\n~~~~\n",
                Pos { line: 3, col: 1 },
            ),
            (
                "````bash\nsystemctl restart nginx\n```\n\nAfter it, check.\n",
                "````bash\nsystemctl restart nginx\n````\n\nAfter it, check.\n",
                Pos { line: 3, col: 1 },
            ),
            (
                "1. Restart:\n   ~~~~sh\n   echo x\n   ```\n2. Check.\n",
                "1. Restart:\n   ~~~~sh\n   echo x\n   ~~~~\n2. Check.\n",
                Pos { line: 4, col: 4 },
            ),
            (
                "> ````sh\r\n> echo x\r\n> ```\r\n",
                "> ````sh\r\n> echo x\r\n> ````\r\n",
                Pos { line: 3, col: 3 },
            ),
        ] {
            let c = close_mismatched(page);
            assert_eq!(c.text, want, "{page:?}");
            assert_eq!(c.guesses.len(), 1, "{page:?}");
            assert_eq!(c.guesses[0].0, at, "{page:?}");
            assert!(c.guesses[0].1.contains("never closed"), "{:?}", c.guesses);
        }
    }

    #[test]
    fn a_fence_closed_as_commonmark_says_is_left_alone() {
        for page in [
            // A fence inside a longer one (Markdown about Markdown).
            "````md\n```bash\necho x\n```\n````\n",
            "~~~\n```\n~~~\n",
            "```bash\necho x\n```\n",
            // Never closed, no lone fence line in it: CommonMark's reading, said elsewhere.
            "~~~~bash\necho x\n",
            // The item it stands in ends before the ``` line.
            "1. Restart:\n   ````sh\n   echo x\n```\n",
        ] {
            let c = close_mismatched(page);
            assert_eq!(c.text, page);
            assert!(c.guesses.is_empty(), "{page:?}: {:?}", c.guesses);
        }
    }

    #[test]
    fn the_page_is_read_again_a_bounded_number_of_times() {
        // Each fence never closed, each with a ``` line: each rewrite reads the rest again.
        let page = "````a\n```\n".repeat(50_000);
        let c = close_mismatched(&page);
        assert_eq!(c.guesses.len(), MAX_REWRITES);
    }

    #[test]
    fn a_block_is_closed_by_its_own_fence_only() {
        assert!(closed("```bash\necho x\n```"));
        assert!(closed("~~~~\necho x\n~~~~~\n"));
        assert!(!closed("~~~~bash\nrm -rf /tmp/x\n```"));
        assert!(!closed("````\necho\n```"));
        assert!(!closed("```bash\necho x"));
        assert!(closed("    indented code"));
    }
}
