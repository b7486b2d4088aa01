//! A runbook file's text and the mapping from byte offsets to line:column.

use std::path::{Path, PathBuf};

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end: end.max(start),
        }
    }

    pub fn at(start: usize) -> Self {
        Span { start, end: start }
    }

    /// The smallest span that covers both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// A sub-span, relative to this span's start.
    pub fn sub(self, start: usize, len: usize) -> Span {
        Span::new(self.start + start, self.start + start + len)
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The text of one runbook file, decoded as UTF-8 with any byte-order mark removed.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Source {
            path: path.into(),
            text,
            line_starts,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Line and column of a byte offset (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        Position { line, column }
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_start(line);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The span of the character that starts at or before `offset` (empty at the end of the
    /// text): a diagnostic's span must begin and end on character boundaries.
    pub fn char_at(&self, offset: usize) -> Span {
        let mut start = offset.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let len = self.text[start..].chars().next().map_or(0, char::len_utf8);
        Span::new(start, start + len)
    }

    /// The source text of a span (empty when the span is not on character boundaries).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_lines() {
        let src = Source::new("x.yaml", "a: é\nbb: 1\n".to_string());
        let cases = [
            (0, 1, 1),
            (3, 1, 4),
            (5, 1, 5),
            (6, 2, 1),
            (10, 2, 5),
            (99, 3, 1),
        ];
        for (offset, line, column) in cases {
            assert_eq!(
                src.position(offset),
                Position { line, column },
                "offset {offset}"
            );
        }
        assert_eq!(src.line_text(2), "bb: 1");
        assert_eq!(src.line_text(1), "a: é");
    }

    #[test]
    fn char_spans_cover_whole_characters() {
        let src = Source::new("x.yaml", "aé\n".to_string());
        assert_eq!(src.char_at(0), Span::new(0, 1));
        assert_eq!(src.char_at(1), Span::new(1, 3));
        assert_eq!(src.char_at(2), Span::new(1, 3));
        assert_eq!(src.char_at(3), Span::new(3, 4));
        assert_eq!(src.char_at(4), Span::at(4));
        assert_eq!(src.char_at(99), Span::at(4));
    }
}
