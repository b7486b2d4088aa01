//! What the word (or input) holding a placeholder is to its command ([`Role`]), the string a
//! command hands to another shell ([`Reparse`]), what the commands seen so far leave in force
//! ([`Ctx`]), and the script's functions prepended to a re-parsed string.

use super::types::{Foreign, SENTINEL, Unsafe};
use crate::shell::programs::{SHELLS, base};
use std::collections::BTreeSet;

/// What the word (or input) holding the placeholder is to its command.
#[derive(Debug)]
pub(super) enum Role {
    Data(Option<&'static Foreign>),
    /// Data, as an operand of a program runbook does not know: it may not start with `-`
    /// (an option), unless `--` stands before it.
    Operand,
    NoOption,
    Name,
    /// A subscript of a name (`read 'a[…]'`, `[ -v 'a[…]' ]`): evaluated as arithmetic.
    Arith,
    /// The script file a shell runs (`bash FILE`, `source FILE`): data as a name, but what a
    /// process substitution there prints is code.
    ScriptFile(String),
    /// A place runbook knows to be unsafe for a value.
    Refused(Unsafe),
    /// Data, quoted by `printf %q` for a shell that may not read `$'…'`: no control
    /// character.
    ControlFree,
    SudoShell,
    Reparse(Reparse),
    /// An argument of a program that may parse it again (named by a variable): one plain word.
    PlainWord,
    /// Read line by line into a variable that stands where a program reads options or its
    /// command (`echo … | while read -r h; do ssh -n "$h" uptime; done`): plain words.
    PlainWords,
    /// Read line by line into a variable that a string parsed again expands: each line
    /// one plain word.
    PlainLines,
}

#[derive(Debug)]
pub(super) struct Reparse {
    pub(super) inner: String,
    pub(super) construct: String,
    pub(super) travels: bool,
}

/// The string that `r` parses again, after the definitions of the functions of `outer` that
/// it calls where they are known there: in the same shell (`eval`, `trap 'cleanup "$s"'`),
/// or in a child shell when the script exports its functions (`export -f rs; bash -c 'rs
/// "$1"' _ "$s"`). What those functions do with their arguments is then followed too.
pub(super) fn with_functions(outer: &str, r: &Reparse) -> String {
    if !outer.contains("()") && !outer.contains("function ") {
        return r.inner.clone();
    }
    let mut words = r.construct.split_whitespace().map(base);
    let same_shell = matches!(words.next(), Some("eval" | "trap"));
    let exported = [
        "export -f",
        "declare -fx",
        "declare -xf",
        "typeset -fx",
        "typeset -xf",
    ]
    .iter()
    .any(|e| outer.contains(e));
    let child_shell = exported
        && r.construct
            .split_whitespace()
            .any(|w| SHELLS.contains(&base(w)));
    // `ssh h "$(declare -f rs); rs …"`: the string carries the definitions it names.
    // (Its words hold the substitution's output, not its text: the script is read.)
    let shipped = ["$(declare -f", "$(typeset -f", "`declare -f", "`typeset -f"]
        .iter()
        .any(|d| outer.contains(d));
    if !same_shell && !child_shell && !shipped {
        return r.inner.clone();
    }
    let functions = crate::shell::flow::functions(outer);
    let calls = |text: &str, name: &str| {
        text.match_indices(name).any(|(at, _)| {
            let before = text[..at].bytes().next_back();
            let after = text[at + name.len()..].bytes().next();
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
    };
    let mut defs = String::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = taken.len();
        for f in &functions {
            if !taken.contains(f.as_str())
                && (calls(&r.inner, f) || calls(&defs, f))
                && let Some(span) = crate::shell::flow::function_span(outer, f)
            {
                taken.insert(f);
                // (The value stands in the string, not in the definitions.)
                defs.extend(
                    outer[span]
                        .chars()
                        .map(|c| if c == SENTINEL { 'x' } else { c }),
                );
                defs.push('\n');
            }
        }
        if taken.len() == before {
            break;
        }
    }
    defs + &r.inner
}

/// What the commands seen so far leave in force.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx {
    pub(super) travels: bool,
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx { travels: true }
    }
}
