//! What a host name, a group name, an address or a user may be: each ends up as an argument
//! of `ssh` (a name starting with `-` would be read as an option: `-oProxyCommand=…`), or in
//! a message on the operator's screen.

use crate::values::visible::{invisible, plain_text};
use std::fmt;

/// What a name is, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRole {
    Host,
    Group,
    /// `ansible_host`: the address ssh connects to.
    Address,
    /// `ansible_user`.
    User,
}

impl fmt::Display for NameRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameRole::Host => "host name",
            NameRole::Group => "group name",
            NameRole::Address => "address (`ansible_host`)",
            NameRole::User => "user (`ansible_user`)",
        })
    }
}

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    Empty,
    LeadingDash,
    Whitespace(char),
    Control(char),
    /// An invisible or direction-changing character, and what it is.
    Invisible(char, &'static str),
}

impl fmt::Display for NameProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameProblem::Empty => f.write_str("is empty"),
            NameProblem::LeadingDash => f.write_str("starts with `-`"),
            NameProblem::Whitespace(c) => write!(f, "contains whitespace (U+{:04X})", *c as u32),
            NameProblem::Control(c) => {
                write!(f, "contains the control character U+{:04X}", *c as u32)
            }
            NameProblem::Invisible(c, what) => write!(f, "contains {what} (U+{:04X})", *c as u32),
        }
    }
}

impl NameProblem {
    /// What to do about it.
    pub fn help(&self, role: NameRole) -> String {
        match self {
            NameProblem::Empty => format!("give a {role}, or remove the entry"),
            NameProblem::LeadingDash => format!(
                "the {role} is passed to `ssh`, which would read it as an option; rename it so \
                 that it does not start with `-`"
            ),
            NameProblem::Whitespace(_) => {
                format!("a {role} is one word: remove the space, or use `_` or `-` inside the name")
            }
            NameProblem::Control(_) | NameProblem::Invisible(..) => {
                format!("retype the {role}: it holds a character that does not show")
            }
        }
    }
}

/// Checks a host name, an address or a user: not empty, no `-` first, no whitespace, control
/// or invisible character.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.starts_with('-') {
        return Err(NameProblem::LeadingDash);
    }
    check_characters(name)
}

/// Checks a group name: as [`check_name`], but a group name may start with `-` (it never
/// reaches `ssh`).
pub fn check_group_name(name: &str) -> Result<(), NameProblem> {
    check_characters(name)
}

fn check_characters(name: &str) -> Result<(), NameProblem> {
    if name.is_empty() {
        return Err(NameProblem::Empty);
    }
    for c in name.chars() {
        if c.is_whitespace() {
            return Err(NameProblem::Whitespace(c));
        }
        if c.is_control() {
            return Err(NameProblem::Control(c));
        }
        if let Some(what) = invisible(c) {
            return Err(NameProblem::Invisible(c, what));
        }
    }
    Ok(())
}

/// The first character of a host name written from a value (`on: "{{ inputs.host }}"`)
/// that is not a letter, a digit or one of `. _ - : @ [ ]`: ssh hands the name to a
/// `%h` in a `ProxyCommand` or `Match exec`, which a shell runs (`$(…)`, `;` would be code).
pub fn unplain_host_character(name: &str) -> Option<char> {
    name.chars().find(|c| {
        !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '@' | '[' | ']'))
    })
}

/// A name as shown in a message: control characters and escapes made visible.
pub fn shown(name: &str) -> String {
    plain_text(name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_name_from_a_value_is_plain() {
        for ok in [
            "web-1",
            "db_2.prod.internal",
            "10.0.0.5",
            "[fe80::1]",
            "ops@web-1",
        ] {
            assert_eq!(unplain_host_character(ok), None, "{ok}");
        }
        for (bad, c) in [("web$(id)", '$'), ("a;b", ';'), ("h`x`", '`'), ("a b", ' ')] {
            assert_eq!(unplain_host_character(bad), Some(c), "{bad}");
        }
    }

    #[test]
    fn names_are_checked() {
        let cases: &[(&str, Result<(), NameProblem>)] = &[
            ("web-1", Ok(())),
            ("web-1.example.com", Ok(())),
            ("10.0.0.5", Ok(())),
            ("fe80::1", Ok(())),
            ("", Err(NameProblem::Empty)),
            ("-oProxyCommand=x", Err(NameProblem::LeadingDash)),
            ("web 1", Err(NameProblem::Whitespace(' '))),
            ("web\t1", Err(NameProblem::Whitespace('\t'))),
            ("web\u{a0}1", Err(NameProblem::Whitespace('\u{a0}'))),
            ("web\x1b[2J", Err(NameProblem::Control('\x1b'))),
            ("web\x7f", Err(NameProblem::Control('\x7f'))),
            (
                "web\u{200b}1",
                Err(NameProblem::Invisible('\u{200b}', "a zero-width space")),
            ),
        ];
        for (name, expected) in cases {
            assert_eq!(check_name(name), *expected, "{name:?}");
        }
        assert_eq!(check_group_name("-web"), Ok(()));
        assert_eq!(check_group_name("a b"), Err(NameProblem::Whitespace(' ')));
    }

    #[test]
    fn problems_say_what_to_do() {
        let help = NameProblem::LeadingDash.help(NameRole::Host);
        assert!(help.contains("option"), "{help}");
        assert_eq!(
            NameProblem::Control('\x07').to_string(),
            "contains the control character U+0007"
        );
        assert_eq!(shown("a\x1b[2Jb"), "a␛[2Jb");
    }
}
