//! The value's word among a program's operands, and what the program's operands say
//! (shared by [`super`] and [`super::places`]).

use crate::shell::words::Word;

/// The value's word among a program's operands, and the text around the value in it.
pub(super) struct Found<'a> {
    pub(super) operands: &'a [&'a Word],
    /// The value's word in `operands`.
    pub(super) k: usize,
    pub(super) before: &'a str,
    pub(super) after: &'a str,
    /// The value ends a path (nothing but `/` and `*` after it, a folder or nothing before).
    pub(super) ends_path: bool,
    /// A `*` stands beside the value in its part of the path.
    pub(super) globbed: bool,
}

impl<'a> Found<'a> {
    /// A program's `operands`, with no value among them: for what the program does.
    pub(super) fn of(operands: &'a [&'a Word]) -> Found<'a> {
        Found {
            operands,
            k: 0,
            before: "",
            after: "",
            ends_path: false,
            globbed: false,
        }
    }

    /// Whether any of `names` is an operand (`-R` also inside `-Rf`).
    pub(super) fn has(&self, names: &[&str]) -> bool {
        self.operands.iter().any(|a| {
            names.iter().any(|n| {
                a.cooked == *n
                    || (n.len() == 2
                        && !a.cooked.starts_with("--")
                        && a.cooked.starts_with('-')
                        && a.cooked[1..].contains(&n[1..]))
            })
        })
    }

    /// Whether `rsync` deletes in its destination (`--delete`, `--delete-after`, `--del`…).
    pub(super) fn deletes_in_destination(&self) -> bool {
        self.operands
            .iter()
            .any(|a| a.cooked.starts_with("--delete") || a.cooked == "--del")
    }

    /// Where the address starts in the value's word after one of `options` written before
    /// it (`--source=`, `-s`; `anywhere` in the word, else at its start), if one is.
    pub(super) fn option_prefix(&self, options: &[&str], anywhere: bool) -> Option<usize> {
        options.iter().find_map(|o| {
            if anywhere {
                self.before.rfind(o).map(|i| i + o.len())
            } else {
                self.before.starts_with(o).then_some(o.len())
            }
        })
    }

    /// Whether an operand is one of `words`.
    pub(super) fn verb(&self, words: &[&str]) -> bool {
        self.operands
            .iter()
            .any(|a| words.contains(&a.cooked.as_str()))
    }

    /// The operand before the value's word.
    pub(super) fn previous(&self) -> &str {
        self.k
            .checked_sub(1)
            .and_then(|j| self.operands.get(j))
            .map_or("", |w| w.cooked.as_str())
    }

    /// Whether the value's word is the last operand that is not an option.
    pub(super) fn last_operand(&self) -> bool {
        !self.operands[self.k + 1..]
            .iter()
            .any(|a| !a.cooked.starts_with('-'))
    }

    /// A pattern of the text around the value in its word, from `start` (the end of
    /// `name=`, `~`): tried whole.
    pub(super) fn around(&self, from: Option<usize>) -> (String, String) {
        let before = from.map_or(self.before, |i| &self.before[i..]);
        (before.to_string(), self.after.to_string())
    }
}

pub(super) const SELECTED: &str = "it is the pattern that picks what a later command deletes or stops (through a pipe or a command substitution), where an empty value, or one that matches any name, would pick everything";
