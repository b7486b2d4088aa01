//! The one walk of [`super::formats`], [`super::settings`] and [`super::batches`] over the
//! commands of a script: each command, its innermost program (past `sudo`, `env`… and into
//! a container's command), and each word that holds the value (the placeholder at `at`, or
//! a copy of it in one of `targets`) with the text before the value in it.

use std::collections::BTreeSet;

use super::files::{before_value, innermost_program};
use crate::shell::words::{Command, Word};

/// A command of a script, and the words of it that hold the value.
pub(super) struct Holding<'a> {
    /// The command's index in its list.
    pub n: usize,
    pub cmd: &'a Command,
    /// Its arguments ([`Command::args`]: no redirections).
    pub args: Vec<&'a Word>,
    /// The index in `args` of the innermost program it runs.
    pub program: Option<usize>,
    /// The words that hold the value, in order: each with its index in `args` (`None`: the
    /// operand of a redirection or a here-string) and the text before the value in it,
    /// quotes removed.
    pub words: Vec<(&'a Word, Option<usize>, String)>,
}

impl Holding<'_> {
    /// The words after the innermost program that hold the value: each index in `args`,
    /// and the text before the value.
    pub(super) fn operands(&self) -> impl Iterator<Item = (usize, &str)> {
        let p = self.program;
        self.words.iter().filter_map(move |(_, k, before)| {
            let k = (*k)?;
            p.is_some_and(|p| k > p).then_some((k, before.as_str()))
        })
    }
}

/// Each command of `list`, with the words of it that hold the value at `at` (or a copy of
/// it in one of `targets`).
pub(super) fn holding<'a>(
    text: &'a str,
    list: &'a [Command],
    at: usize,
    targets: &'a BTreeSet<String>,
) -> impl Iterator<Item = Holding<'a>> {
    list.iter().enumerate().map(move |(n, cmd)| {
        let args = cmd.args();
        let program = innermost_program(&args);
        let words = cmd
            .words
            .iter()
            .filter_map(|w| {
                let before = before_value(text, w, at, targets)?;
                let k = args.iter().position(|a| std::ptr::eq(*a, w));
                Some((w, k, before))
            })
            .collect();
        Holding {
            n,
            cmd,
            args,
            program,
            words,
        }
    })
}
