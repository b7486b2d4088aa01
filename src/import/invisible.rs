//! Characters that a wiki's or a document editor's export leaves in a command and that the
//! page does not show (audit 14o A-27): zero-width spaces, bidirectional controls and the
//! other characters lint's RB035 refuses in a script are removed; a no-break space is made
//! a plain space (the shell would read `pods -n` as one word). Each is a guess, said where
//! it stands on the page, so that the draft lints and `--strict` stops on it.

use super::pos::Pos;
use super::reader::{Reader, fenced};
use crate::values::visible::{invisible, no_break_space};

/// How many of a block's characters are said one by one; the others are counted in one
/// more guess (a page of a million no-break spaces is not a million guesses).
const SAID: usize = 10;

/// What a character of a command becomes (the text in its place) and what it is; `None`
/// keeps it.
fn fix(c: char) -> Option<(&'static str, &'static str)> {
    if let Some(what) = invisible(c) {
        return Some(("", what));
    }
    no_break_space(c).map(|what| (" ", what))
}

/// A command with each such character removed or made a space; `None` when it holds none.
pub(super) fn cleaned(code: &str) -> Option<String> {
    if code.is_ascii() || !code.chars().any(|c| fix(c).is_some()) {
        return None;
    }
    let mut out = String::with_capacity(code.len());
    for c in code.chars() {
        match fix(c) {
            Some((with, _)) => out.push_str(with),
            None => out.push(c),
        }
    }
    Some(out)
}

impl Reader<'_> {
    /// Cleans the shell block being read (`self.code`, at `range` of the page) and says
    /// what was done, at the place of each character on the page.
    pub(super) fn hidden_characters(
        &mut self,
        range: &std::ops::Range<usize>,
    ) -> Vec<(Pos, String)> {
        let Some(clean) = cleaned(&self.code) else {
            return Vec::new();
        };
        self.code = clean;
        let source = self.text.get(range.clone()).unwrap_or("");
        // The fence's own lines (its info string, its closing line) are not the command.
        let (from, to) = if fenced(source) {
            let from = source.find('\n').map_or(source.len(), |i| i + 1);
            let body = source.trim_end();
            let closed = body.len() > from && (body.ends_with("```") || body.ends_with("~~~"));
            let to = if closed {
                body.rfind('\n').map_or(from, |i| i + 1).max(from)
            } else {
                source.len()
            };
            (from, to)
        } else {
            (0, source.len())
        };
        let mut said = Vec::new();
        let mut more: Option<(Pos, usize)> = None;
        for (at, c) in source.get(from..to).unwrap_or("").char_indices() {
            let Some((with, what)) = fix(c) else { continue };
            let pos = || self.lines.pos(range.start + from + at);
            if said.len() == SAID {
                more.get_or_insert_with(|| (pos(), 0)).1 += 1;
                continue;
            }
            let done = if with.is_empty() {
                "removed: invisible, it makes the command differ from what the page shows"
            } else {
                "made a plain space: the shell would read the words on either side as one"
            };
            said.push((
                pos(),
                format!("{what} (U+{:04X}) in the shell block: {done}", u32::from(c)),
            ));
        }
        if let Some((pos, n)) = more {
            said.push((
                pos,
                format!("{n} more invisible or no-break characters in this block from here: removed or made plain spaces, as above"),
            ));
        }
        said
    }
}

#[cfg(test)]
mod tests {
    use super::cleaned;

    #[test]
    fn invisible_characters_go_and_no_break_spaces_become_spaces() {
        let cases = [
            ("kubectl get pods\u{200b} -n web", "kubectl get pods -n web"),
            ("echo done \u{202e}; ls", "echo done ; ls"),
            ("kubectl get pods\u{a0}-n web", "kubectl get pods -n web"),
            ("df\u{202f}-h \u{2066}/srv\u{2069}", "df -h /srv"),
            ("\u{feff}ls", "ls"),
        ];
        for (code, want) in cases {
            assert_eq!(cleaned(code).as_deref(), Some(want), "{code:?}");
        }
        for code in ["ls -la", "echo 'café'", "echo ✓", ""] {
            assert_eq!(cleaned(code), None, "{code:?}");
        }
    }
}
