//! What can be wrong with an inventory: one kind per problem, the message in one `Display`,
//! and what to do in [`InventoryErrorKind::help`].

use super::name::{NameProblem, NameRole, shown};
use crate::load::Span;
use std::fmt;

/// A problem in an inventory, with where it is: 1-based line and column (in characters), and
/// the byte range in the text.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}\nhelp: {help}", help = .kind.help())]
pub struct InventoryError {
    pub line: usize,
    pub column: usize,
    pub span: Span,
    pub kind: InventoryErrorKind,
}

impl InventoryError {
    /// The message without position or help (for a diagnostic that shows those apart).
    pub fn message(&self) -> String {
        self.kind.to_string()
    }

    pub fn help(&self) -> String {
        self.kind.help()
    }
}

/// What is wrong. Names are kept as written; messages show them with control characters
/// made visible.
#[derive(Debug, Clone, PartialEq)]
pub enum InventoryErrorKind {
    TooLarge {
        bytes: usize,
        limit: usize,
    },
    NotUtf8 {
        byte: u8,
    },
    Utf16,
    /// `ansible_port` (or a `host:port` pattern) that is not a number from 1 to 65535.
    BadPort {
        value: String,
    },
    BadSectionHeader {
        header: String,
        reason: &'static str,
    },
    UnknownSectionType {
        group: String,
        kind: String,
    },
    /// A line in `[group:children]` that is not one group name.
    BadChildLine {
        parent: String,
        line: String,
    },
    BadRange {
        pattern: String,
        reason: String,
    },
    /// A host range that would expand past the host budget (never expanded).
    RangeTooLarge {
        pattern: String,
        count: Option<u128>,
        limit: usize,
    },
    TooManyHosts {
        limit: usize,
    },
    TooManyGroups {
        limit: usize,
    },
    ChildrenCycle {
        cycle: Vec<String>,
    },
    /// INI: `[parent:children]` names a group that no section declares.
    UndefinedChild {
        parent: String,
        child: String,
        is_host: bool,
        suggestion: Option<String>,
    },
    /// INI: `[group:vars]` for a group that no section declares.
    VarsForUndefinedGroup {
        group: String,
        suggestion: Option<String>,
    },
    /// `all` listed as a child of another group.
    AllAsChild {
        parent: String,
    },
    /// INI: a word after a host name that is not `key=value`.
    BadHostVar {
        host: String,
        token: String,
    },
    /// INI: a line of `[group:vars]` that is not `key=value`.
    BadGroupVar {
        group: String,
        line: String,
    },
    /// INI: a `key=value` where a host name should be.
    VariableAsHost {
        token: String,
        group: String,
    },
    UnclosedQuote {
        quote: char,
    },
    TrailingBackslash,
    BadName {
        role: NameRole,
        name: String,
        problem: NameProblem,
    },
    YamlSyntax {
        message: String,
    },
    YamlLimit {
        message: String,
    },
    /// A YAML value of the wrong type: `what` is where it is (`hosts` of group `web`).
    YamlShape {
        what: String,
        expected: &'static str,
        found: &'static str,
    },
    UnknownGroupKey {
        group: String,
        key: String,
        suggestion: Option<&'static str>,
    },
    /// A variable this tool reads (`ansible_host`, `ansible_group_priority`…) of a type it
    /// cannot use.
    BadVarValue {
        name: String,
        expected: &'static str,
        found: String,
    },
}

impl fmt::Display for InventoryErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use InventoryErrorKind as K;
        match self {
            K::TooLarge { bytes, limit } => write!(
                f,
                "the inventory is {bytes} bytes, more than the {limit} bytes this tool reads"
            ),
            K::NotUtf8 { byte } => write!(f, "invalid UTF-8 (byte 0x{byte:02X})"),
            K::Utf16 => f.write_str("the inventory is encoded as UTF-16"),
            K::BadPort { value } => write!(
                f,
                "port `{}` is not a port number (1 to 65535)",
                shown(value)
            ),
            K::BadSectionHeader { header, reason } => {
                write!(f, "malformed section header `{}`: {reason}", shown(header))
            }
            K::UnknownSectionType { group, kind } => write!(
                f,
                "section `[{}:{}]` has an unknown type `:{}`",
                shown(group),
                shown(kind),
                shown(kind)
            ),
            K::BadChildLine { parent, line } => write!(
                f,
                "`{}` in `[{}:children]` is not one group name",
                shown(line),
                shown(parent)
            ),
            K::BadRange { pattern, reason } => {
                write!(f, "bad host range in `{}`: {reason}", shown(pattern))
            }
            K::RangeTooLarge {
                pattern,
                count,
                limit,
            } => match count {
                Some(n) => write!(
                    f,
                    "the host range `{}` expands to {n} hosts, more than the {limit} an \
                     inventory may hold",
                    shown(pattern)
                ),
                None => write!(
                    f,
                    "the host range `{}` expands to more hosts than can be counted, more than \
                     the {limit} an inventory may hold",
                    shown(pattern)
                ),
            },
            K::TooManyHosts { limit } => {
                write!(f, "the inventory lists more than {limit} hosts")
            }
            K::TooManyGroups { limit } => {
                write!(f, "the inventory has more than {limit} groups")
            }
            K::ChildrenCycle { cycle } => {
                let path: Vec<String> = cycle.iter().map(|g| format!("`{}`", shown(g))).collect();
                write!(f, "groups contain each other: {}", path.join(" → "))
            }
            K::UndefinedChild { parent, child, .. } => write!(
                f,
                "`[{}:children]` includes `{}`, a group that is never defined",
                shown(parent),
                shown(child)
            ),
            K::VarsForUndefinedGroup { group, .. } => write!(
                f,
                "`[{}:vars]` sets variables of `{}`, a group that is never defined",
                shown(group),
                shown(group)
            ),
            K::AllAsChild { parent } => {
                write!(f, "group `all` is listed as a child of `{}`", shown(parent))
            }
            K::BadHostVar { host, token } => write!(
                f,
                "`{}` after host `{}` is not a `key=value` variable",
                shown(token),
                shown(host)
            ),
            K::BadGroupVar { group, line } => write!(
                f,
                "`{}` in `[{}:vars]` is not a `key=value` variable",
                shown(line),
                shown(group)
            ),
            K::VariableAsHost { token, group } => write!(
                f,
                "`{}` stands where a host name of group `{}` should be",
                shown(token),
                shown(group)
            ),
            K::UnclosedQuote { quote } => write!(f, "the quote `{quote}` is never closed"),
            K::TrailingBackslash => f.write_str("the line ends with a `\\` that escapes nothing"),
            K::BadName {
                role,
                name,
                problem,
            } => match problem {
                NameProblem::Empty => write!(f, "empty {role}"),
                _ => write!(f, "{role} `{}` {problem}", shown(name)),
            },
            K::YamlSyntax { message } => write!(f, "invalid YAML: {message}"),
            K::YamlLimit { message } => f.write_str(message),
            K::YamlShape {
                what,
                expected,
                found,
            } => write!(f, "{what} is {found}, but must be {expected}"),
            K::UnknownGroupKey { group, key, .. } => write!(
                f,
                "unknown key `{}` in group `{}`",
                shown(key),
                shown(group)
            ),
            K::BadVarValue {
                name,
                expected,
                found,
            } => write!(f, "`{}` is {found}, but must be {expected}", shown(name)),
        }
    }
}

const SPLIT: &str = "split the fleet into several inventories, or narrow the ranges (`web[01:20]`)";

impl InventoryErrorKind {
    /// What to do about it.
    pub fn help(&self) -> String {
        use InventoryErrorKind as K;
        match self {
            K::TooLarge { .. } => SPLIT.into(),
            K::NotUtf8 { .. } | K::Utf16 => "save the inventory as UTF-8".into(),
            K::BadPort { .. } => "give the ssh port as a number from 1 to 65535 \
                                  (`ansible_port=2222`)"
                .into(),
            K::BadSectionHeader { .. } => {
                "write a section header as `[group]`, `[group:children]` or `[group:vars]`, \
                 with no space in the group name"
                    .into()
            }
            K::UnknownSectionType { group, .. } => format!(
                "use `[{0}]` for hosts, `[{0}:children]` for groups or `[{0}:vars]` for \
                 variables",
                shown(group)
            ),
            K::BadChildLine { .. } => {
                "list one group name per line in a `:children` section; hosts go in a \
                 section of their own"
                    .into()
            }
            K::BadRange { .. } => "write a range as `[start:end]` or `[start:end:step]`, \
                                   start not after end, both numbers (`web[01:10]`) or both \
                                   single letters (`db-[a:f]`)"
                .into(),
            K::RangeTooLarge { .. } | K::TooManyHosts { .. } | K::TooManyGroups { .. } => {
                SPLIT.into()
            }
            K::ChildrenCycle { .. } => "remove one of these `children` entries: a group \
                                        cannot contain itself"
                .into(),
            K::UndefinedChild {
                child,
                is_host,
                suggestion,
                ..
            } => {
                if *is_host {
                    format!(
                        "`{}` is a host: list it in a `[group]` section, not in `:children`",
                        shown(child)
                    )
                } else if let Some(s) = suggestion {
                    format!("did you mean `{}`?", shown(s))
                } else {
                    format!(
                        "declare the group with a `[{}]` section (it may be empty), or remove \
                         the line",
                        shown(child)
                    )
                }
            }
            K::VarsForUndefinedGroup { group, suggestion } => match suggestion {
                Some(s) => format!("did you mean `[{}:vars]`?", shown(s)),
                None => format!(
                    "declare the group with a `[{}]` or `[{}:children]` section, or check the \
                     name",
                    shown(group),
                    shown(group)
                ),
            },
            K::AllAsChild { .. } => {
                "`all` contains every group; remove it from the `children` list".into()
            }
            K::BadHostVar { .. } => "write a host's variables as `key=value` after its name; \
                                     quote a value that has spaces (`key=\"a b\"`)"
                .into(),
            K::BadGroupVar { .. } => "write one `key=value` per line in a `:vars` section".into(),
            K::VariableAsHost { group, .. } => format!(
                "variables of the group go in a `[{}:vars]` section; a host's variables \
                 follow its name on the same line",
                shown(group)
            ),
            K::UnclosedQuote { .. } => "close the quote on the same line".into(),
            K::TrailingBackslash => "remove the `\\` or put the escaped character after it".into(),
            K::BadName { role, problem, .. } => problem.help(*role),
            K::YamlSyntax { .. } => "fix the YAML syntax at this position".into(),
            K::YamlLimit { .. } => "an inventory needs a few levels of nesting and no aliases \
                                    of aliases; flatten the file or split it"
                .into(),
            K::YamlShape { .. } => "an inventory is a mapping of groups, each with `hosts:` \
                                    (a mapping of host names to their variables), `vars:` and \
                                    `children:` (a mapping of groups)"
                .into(),
            K::UnknownGroupKey { suggestion, .. } => match suggestion {
                Some(s) => format!("did you mean `{s}`?"),
                None => "a group has only `hosts`, `vars` and `children`; put variables \
                         under `vars:`"
                    .into(),
            },
            K::BadVarValue { name, expected, .. } => {
                format!("give `{}` as {expected}", shown(name))
            }
        }
    }
}

/// A problem found while reading, at a byte range; the position is added once the text's
/// lines are known.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Problem {
    pub span: Span,
    pub kind: InventoryErrorKind,
}

impl Problem {
    pub fn new(span: Span, kind: InventoryErrorKind) -> Self {
        Problem { span, kind }
    }
}
