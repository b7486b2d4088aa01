//! Places in the page: [`Pos`] (line:col), found from byte offsets ([`Lines`] for the
//! walk's many events, [`pos_of`] and [`pos_of_bytes`] for one).

/// A place in the page: 1-based line and column (in characters), as `line:col`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Positions of offsets in one text, each found from its line's start (found by a binary
/// search of the lines' starts), not by counting from the top: a page of 10 KB has
/// thousands of events.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last column found: (byte offset, characters before it on its line). Events come
    /// near each other, so a column on the same line is counted from there: a line of 400 KB
    /// (`>>>>…`, each `>` an event) is not counted from its start once per event.
    last: std::cell::Cell<(usize, usize)>,
    /// Columns to add on each line (0-based): those the page's rewriting removed
    /// ([`super::tabs`]).
    shifts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text,
            starts,
            last: std::cell::Cell::new((0, 0)),
            shifts: Vec::new(),
        }
    }

    /// Positions on these lines (0-based) are that many columns further right on the page.
    pub(super) fn shift(&mut self, shifts: Vec<usize>) {
        self.shifts = shifts;
    }

    pub(super) fn pos(&self, offset: usize) -> Pos {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let start = self.starts[line - 1];
        // (Counted on, or back: the ends of nested blocks come innermost first.)
        let chars = match self.last.get() {
            (byte, chars) if byte >= start && byte <= at => {
                chars + self.text[byte..at].chars().count()
            }
            (byte, chars)
                if byte > at
                    && self.starts.get(line).is_none_or(|&next| byte < next)
                    && byte - at < at - start =>
            {
                chars - self.text[at..byte].chars().count()
            }
            _ => self.text[start..at].chars().count(),
        };
        self.last.set((at, chars));
        Pos {
            line,
            col: chars + 1 + self.shifts.get(line - 1).copied().unwrap_or(0),
        }
    }
}

/// The line and column of a byte offset (an offset inside a character counts as that
/// character).
pub fn pos_of(text: &str, offset: usize) -> Pos {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        col: before[line_start..].chars().count() + 1,
    }
}

/// The line and column of a byte offset in bytes that may not be UTF-8 (the first bad byte
/// of a page): the column counts the characters before it on its line (bytes, where those
/// are not UTF-8 either).
pub fn pos_of_bytes(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = &before[line_start..];
    Pos {
        line: before.iter().filter(|&&b| b == b'\n').count() + 1,
        col: std::str::from_utf8(line).map_or(line.len(), |l| l.chars().count()) + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_line_and_column_in_characters() {
        let text = "ab\ncé d";
        assert_eq!(pos_of(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(pos_of(text, 3), Pos { line: 2, col: 1 });
        // After the two-byte é: column 3.
        assert_eq!(pos_of(text, 6), Pos { line: 2, col: 3 });
        // Inside a character, and past the end: no panic.
        assert_eq!(pos_of(text, 5), Pos { line: 2, col: 2 });
        assert_eq!(pos_of(text, 99).line, 2);
        assert_eq!(pos_of_bytes(b"a\nb\xe9", 3), Pos { line: 2, col: 2 });
        // Characters before the bad byte, not bytes (`é` is two).
        assert_eq!(
            pos_of_bytes("ééé ".as_bytes(), "ééé ".len()),
            Pos { line: 1, col: 5 }
        );
        let lines = Lines::new(text);
        for offset in 0..12 {
            assert_eq!(lines.pos(offset), pos_of(text, offset), "{offset}");
        }
        // In any order (counted on or back from the last one found), letters of two bytes
        // and lines included.
        let text = ">é>>ü> x\nab\n>>é>\n";
        let lines = Lines::new(text);
        for offset in [0, 5, 3, 1, 9, 0, 14, 13, 12, 2, 19, 17, 4, 18, 6, 6, 100, 7] {
            assert_eq!(lines.pos(offset), pos_of(text, offset), "{offset}");
        }
    }
}
