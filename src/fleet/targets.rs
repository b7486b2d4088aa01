//! A step's `on:` → the hosts it runs on, in order, each once.
//!
//! `on:` is a list of names, or one string: a name, or a rendered template. A string that is a
//! rendered list (`["web-1", "web-2"]`, as the template engine renders a list value) is read as
//! that list; any other string is split at new lines, commas and whitespace, in any mix
//! (`web-1\nweb-2`, `web-1, web-2`, `web-1 web-2`): no host name holds any of them, so no
//! split is ambiguous. Empty pieces are skipped.
//!
//! With an inventory, a group name gives its hosts (file order) and a host name that host,
//! with its address, port and user; a name in neither is kept as a plain host name, which ssh
//! resolves through its own config, and is also listed in [`Targets::unknown`] (with a "did
//! you mean") for lint to report. Without an inventory every name is a plain host name. Every
//! name, address and user is checked as [`check_name`] says: it will be an argument of `ssh`.

use super::inventory::{Host, Inventory};
use super::name::{NameProblem, NameRole, check_name, shown};
use super::pattern::MAX_HOSTS;
use crate::suggest::did_you_mean;
use std::collections::HashSet;

/// The most names looked up for a "did you mean" (each costs a pass over the inventory).
const MAX_SUGGESTIONS: usize = 10;
/// The most hosts `on:` may name in all, groups expanded and before duplicates are removed.
const MAX_ENTRIES: usize = 10 * MAX_HOSTS;
/// The most problems reported for one `on:`.
const MAX_ERRORS: usize = 100;

/// The value of a step's `on:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On<'a> {
    /// A YAML list of names.
    Names(&'a [String]),
    /// One string: a name or a rendered template.
    Text(&'a str),
}

/// One host a step runs on: what ssh is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The host's name: what the operator sees, `RUNBOOK_HOST`, the journal's key.
    pub name: String,
    /// `ansible_host`, when the inventory gives one.
    pub address: Option<String>,
    pub port: Option<u16>,
    pub user: Option<String>,
}

impl Target {
    fn plain(name: &str) -> Target {
        Target {
            name: name.to_string(),
            address: None,
            port: None,
            user: None,
        }
    }

    fn of(host: &Host) -> Target {
        Target {
            name: host.name.clone(),
            address: host.address.clone(),
            port: host.port,
            user: host.user.clone(),
        }
    }

    /// What ssh connects to: the address, else the name.
    pub fn destination(&self) -> &str {
        self.address.as_deref().unwrap_or(&self.name)
    }
}

/// A name of `on:` that is neither a host nor a group of the inventory given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub name: String,
    /// A group or host of the inventory with a close name.
    pub suggestion: Option<String>,
}

/// The hosts of an `on:`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Targets {
    /// In the order `on:` names them (a group's hosts in file order), each once.
    pub hosts: Vec<Target>,
    /// Names not in the inventory (kept in `hosts` as plain host names).
    pub unknown: Vec<Unknown>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("{role} `{}` in `on:` {problem}\nhelp: {}", shown(.name), .problem.help(*.role))]
    BadName {
        role: NameRole,
        /// The host whose address or user it is (the name itself for a host name).
        host: String,
        name: String,
        problem: NameProblem,
    },
    #[error("`on:` is `{}`, which looks like a list but is not one\nhelp: give a list of names (`on: [web-1, web-2]`), or a template that renders one host per line", shown(.text))]
    NotAList { text: String },
    #[error("`on:` names more than {limit} hosts\nhelp: split the step, or narrow its groups")]
    TooMany { limit: usize },
    #[error("`on:` names no host{}\nhelp: give at least one host or a group with hosts; leave `on:` out to run the step here", empty_groups(.groups))]
    Empty { groups: Vec<String> },
}

fn empty_groups(groups: &[String]) -> String {
    match groups {
        [] => String::new(),
        [g] => format!(" (group `{}` is empty)", shown(g)),
        _ => {
            let names: Vec<String> = groups.iter().map(|g| format!("`{}`", shown(g))).collect();
            format!(" (groups {} are empty)", names.join(", "))
        }
    }
}

/// The hosts of `on`, resolved through `inventory` if given.
pub fn targets(on: On<'_>, inventory: Option<&Inventory>) -> Result<Targets, Vec<TargetError>> {
    let names: Vec<String> = match on {
        On::Names(names) => names.to_vec(),
        On::Text(text) => split(text)?,
    };
    if names.len() > MAX_ENTRIES {
        return Err(vec![TargetError::TooMany { limit: MAX_HOSTS }]);
    }
    let mut out = Targets::default();
    let mut seen = HashSet::new();
    let mut empty = Vec::new();
    let mut entries = 0usize;
    let mut errors = Vec::new();
    for name in &names {
        let name = name.as_str();
        let found = inventory.and_then(|inv| inv.resolve(name));
        let candidates: Vec<Target> = match (found, inventory) {
            (Some(hosts), _) => {
                if hosts.is_empty() {
                    empty.push(name.to_string());
                }
                hosts.into_iter().map(Target::of).collect()
            }
            (None, Some(inv)) => {
                let suggestion = (out.unknown.len() < MAX_SUGGESTIONS)
                    .then(|| did_you_mean(name, inv.group_names().chain(inv.host_names())))
                    .flatten()
                    .map(str::to_string);
                if !out.unknown.iter().any(|u| u.name == name) {
                    out.unknown.push(Unknown {
                        name: name.to_string(),
                        suggestion,
                    });
                }
                vec![Target::plain(name)]
            }
            (None, None) => vec![Target::plain(name)],
        };
        entries = entries.saturating_add(candidates.len());
        if entries > MAX_ENTRIES {
            return Err(vec![TargetError::TooMany { limit: MAX_HOSTS }]);
        }
        for target in candidates {
            if !seen.insert(target.name.clone()) {
                continue;
            }
            if let Err(e) = check(&target) {
                if errors.len() < MAX_ERRORS {
                    errors.push(e);
                }
                continue;
            }
            out.hosts.push(target);
        }
    }
    if out.hosts.len() > MAX_HOSTS {
        return Err(vec![TargetError::TooMany { limit: MAX_HOSTS }]);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if out.hosts.is_empty() {
        return Err(vec![TargetError::Empty { groups: empty }]);
    }
    Ok(out)
}

/// The names a rendered `on:` string gives, as [`targets`] reads them (a rendered list's
/// escapes decoded); none when it is not read at all.
pub fn names_in(text: &str) -> Vec<String> {
    split(text).unwrap_or_default()
}

fn split(text: &str) -> Result<Vec<String>, Vec<TargetError>> {
    let trimmed = text.trim();
    if trimmed.starts_with('[') || trimmed.ends_with(']') {
        return rendered_list(trimmed).ok_or_else(|| {
            vec![TargetError::NotAList {
                text: text.to_string(),
            }]
        });
    }
    Ok(text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

/// A list as the template engine renders one (`['web-1', 'web-2']`, Python's notation) or as
/// JSON (`["web-1","web-2"]`, the `tojson` filter): strings in single or double quotes, with
/// their escapes. `None` for anything else.
fn rendered_list(text: &str) -> Option<Vec<String>> {
    let mut chars = text
        .strip_prefix('[')?
        .strip_suffix(']')?
        .chars()
        .peekable();
    let mut out = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(quote) = chars.next() else {
            return Some(out);
        };
        if quote != '\'' && quote != '"' {
            return None;
        }
        let mut item = String::new();
        loop {
            match chars.next()? {
                c if c == quote => break,
                '\\' => {
                    let c = chars.next()?;
                    let hex = |n: usize, chars: &mut std::iter::Peekable<std::str::Chars>| {
                        let digits: String = (0..n).filter_map(|_| chars.next()).collect();
                        u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                    };
                    item.push(match c {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        'b' => '\u{8}',
                        'f' => '\u{c}',
                        'x' => hex(2, &mut chars)?,
                        'u' => hex(4, &mut chars)?,
                        'U' => hex(8, &mut chars)?,
                        other => other,
                    });
                }
                c => item.push(c),
            }
        }
        out.push(item);
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None => return Some(out),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

fn check(target: &Target) -> Result<(), TargetError> {
    let bad = |role, name: &str, problem| TargetError::BadName {
        role,
        host: target.name.clone(),
        name: name.to_string(),
        problem,
    };
    check_name(&target.name).map_err(|p| bad(NameRole::Host, &target.name, p))?;
    if let Some(address) = &target.address {
        check_name(address).map_err(|p| bad(NameRole::Address, address, p))?;
    }
    if let Some(user) = &target.user {
        check_name(user).map_err(|p| bad(NameRole::User, user, p))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn inventory() -> Inventory {
        Inventory::parse(
            Path::new("hosts"),
            "\
[web]
web-1 ansible_host=10.0.0.1 ansible_port=2222 ansible_user=deploy
web-2 ansible_host=10.0.0.2
[db]
db-1
web-1
[empty]
[prod:children]
web
db
",
        )
        .unwrap()
    }

    fn names(targets: &Targets) -> Vec<&str> {
        targets.hosts.iter().map(|t| t.name.as_str()).collect()
    }

    fn list(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn groups_expand_hosts_resolve_and_duplicates_go() {
        let inv = inventory();
        let on = list(&["db", "web", "web-2", "bastion"]);
        let t = targets(On::Names(&on), Some(&inv)).unwrap();
        assert_eq!(names(&t), ["web-1", "db-1", "web-2", "bastion"]);
        assert_eq!(
            t.hosts[0],
            Target {
                name: "web-1".into(),
                address: Some("10.0.0.1".into()),
                port: Some(2222),
                user: Some("deploy".into()),
            }
        );
        assert_eq!(t.hosts[0].destination(), "10.0.0.1");
        assert_eq!(t.hosts[1].destination(), "db-1");
        assert_eq!(t.hosts[3], Target::plain("bastion"));
        assert_eq!(
            t.unknown,
            [Unknown {
                name: "bastion".into(),
                suggestion: None
            }]
        );
        let t = targets(On::Names(&list(&["prod"])), Some(&inv)).unwrap();
        assert_eq!(names(&t), ["web-1", "web-2", "db-1"]);
        assert!(t.unknown.is_empty());
    }

    #[test]
    fn an_unknown_name_gets_a_suggestion() {
        let inv = inventory();
        let on = list(&["wbe", "web-3", "prdo", "web-3"]);
        let t = targets(On::Names(&on), Some(&inv)).unwrap();
        let unknown: Vec<(&str, Option<&str>)> = t
            .unknown
            .iter()
            .map(|u| (u.name.as_str(), u.suggestion.as_deref()))
            .collect();
        assert_eq!(
            unknown,
            [
                ("wbe", Some("web")),
                ("web-3", Some("web-1")),
                ("prdo", Some("prod"))
            ]
        );
        assert_eq!(names(&t), ["wbe", "web-3", "prdo"]);
    }

    #[test]
    fn without_an_inventory_every_name_is_a_host() {
        let t = targets(On::Names(&list(&["web", "db-1", "web"])), None).unwrap();
        assert_eq!(names(&t), ["web", "db-1"]);
        assert!(t.unknown.is_empty());
        assert!(t.hosts.iter().all(|h| h.address.is_none()));
    }

    #[test]
    fn a_string_is_split_at_lines_commas_and_spaces() {
        let cases: &[(&str, &[&str])] = &[
            ("web-1", &["web-1"]),
            ("web-1\nweb-2\n", &["web-1", "web-2"]),
            ("web-1\r\nweb-2", &["web-1", "web-2"]),
            ("web-1, web-2,web-3", &["web-1", "web-2", "web-3"]),
            ("  web-1 \t web-2  ", &["web-1", "web-2"]),
            ("web-1,\n\n,web-2", &["web-1", "web-2"]),
            ("[\"web-1\", \"web-2\"]", &["web-1", "web-2"]),
            (" [] ", &[]),
        ];
        for (text, expected) in cases {
            match targets(On::Text(text), None) {
                Ok(t) => assert_eq!(names(&t), *expected, "{text:?}"),
                Err(e) => assert!(expected.is_empty(), "{text:?}: {e:?}"),
            }
        }
        let inv = inventory();
        let t = targets(On::Text("prod\nbastion"), Some(&inv)).unwrap();
        assert_eq!(names(&t), ["web-1", "web-2", "db-1", "bastion"]);
    }

    #[test]
    fn a_rendered_list_is_read_as_a_list() {
        let env = minijinja::Environment::new();
        let rendered = env
            .render_str(
                "{{ hosts }}",
                minijinja::context! { hosts => ["web-1", "db-1"] },
            )
            .unwrap();
        let t = targets(On::Text(&rendered), None).unwrap();
        assert_eq!(names(&t), ["web-1", "db-1"], "{rendered}");
        let rendered = env
            .render_str(
                "{{ hosts }}",
                minijinja::context! { hosts => ["a", "it's"] },
            )
            .unwrap();
        let t = targets(On::Text(&rendered), None).unwrap();
        assert_eq!(names(&t), ["a", "it's"], "{rendered}");
        let cases: &[(&str, &[&str])] = &[
            ("['a', \"b\",]", &["a", "b"]),
            ("[ 'a' ,'b' ]", &["a", "b"]),
            ("['w\\x65b\\u0031']", &["web1"]),
        ];
        for (text, expected) in cases {
            let t = targets(On::Text(text), None).unwrap();
            assert_eq!(names(&t), *expected, "{text}");
        }
        for text in [
            "[web-1, db-1]",
            "[\"a\", 1]",
            "[\"a\"",
            "web]",
            "['a' 'b']",
            "['\\x4']",
        ] {
            let e = targets(On::Text(text), None).unwrap_err();
            assert!(
                matches!(&e[0], TargetError::NotAList { .. }),
                "{text}: {e:?}"
            );
        }
    }

    #[test]
    fn names_that_would_be_options_or_hide_characters_are_refused() {
        let cases: &[(&[&str], NameProblem)] = &[
            (&["-oProxyCommand=x"], NameProblem::LeadingDash),
            (&["ok", "web 1"], NameProblem::Whitespace(' ')),
            (&[""], NameProblem::Empty),
            (&["web\x1b]0;x\x07"], NameProblem::Control('\x1b')),
            (
                &["web\u{202e}1"],
                NameProblem::Invisible('\u{202e}', "a bidirectional override"),
            ),
        ];
        for (on, problem) in cases {
            let errors = targets(On::Names(&list(on)), None).unwrap_err();
            assert!(
                matches!(&errors[0], TargetError::BadName { problem: p, role: NameRole::Host, .. } if p == problem),
                "{on:?}: {errors:?}"
            );
        }
        let errors = targets(On::Text("-x, -y"), None).unwrap_err();
        assert_eq!(errors.len(), 2);
        let shown = errors[0].to_string();
        assert!(
            shown.starts_with("host name `-x` in `on:` starts with `-`"),
            "{shown}"
        );
        assert!(shown.contains("\nhelp: "), "{shown}");
        let bad = Target {
            name: "web-1".into(),
            address: Some("-oProxyCommand=x".into()),
            port: None,
            user: Some("a b".into()),
        };
        assert!(matches!(
            check(&bad),
            Err(TargetError::BadName {
                role: NameRole::Address,
                ..
            })
        ));
        let bad = Target {
            address: None,
            ..bad
        };
        assert!(matches!(
            check(&bad),
            Err(TargetError::BadName {
                role: NameRole::User,
                ..
            })
        ));
        let e = targets(On::Text("[\"a\\u001bb\"]"), None).unwrap_err();
        assert!(!e[0].to_string().contains('\x1b'), "{e:?}");
    }

    #[test]
    fn no_host_at_all_is_an_error() {
        let inv = inventory();
        for on in [On::Text(""), On::Text(" \n, "), On::Names(&[])] {
            let e = targets(on, Some(&inv)).unwrap_err();
            assert_eq!(e, [TargetError::Empty { groups: vec![] }]);
        }
        let e = targets(On::Names(&list(&["empty"])), Some(&inv)).unwrap_err();
        assert_eq!(
            e[0].to_string().lines().next().unwrap(),
            "`on:` names no host (group `empty` is empty)"
        );
        let t = targets(On::Names(&list(&["empty", "db"])), Some(&inv)).unwrap();
        assert_eq!(names(&t), ["web-1", "db-1"], "file order");
    }

    #[test]
    fn huge_lists_are_bounded() {
        let inv = Inventory::parse(Path::new("hosts"), "[big]\nh[1:100000]\n").unwrap();
        let on = vec!["big".to_string(); 11];
        let e = targets(On::Names(&on), Some(&inv)).unwrap_err();
        assert!(matches!(e[0], TargetError::TooMany { .. }));
        let on = vec!["big".to_string(); 3];
        assert_eq!(
            targets(On::Names(&on), Some(&inv)).unwrap().hosts.len(),
            100_000
        );
        let text = "x ".repeat(MAX_ENTRIES + 1);
        let e = targets(On::Text(&text), None).unwrap_err();
        assert!(matches!(e[0], TargetError::TooMany { .. }));
        let text: String = (0..MAX_HOSTS + 1).map(|i| format!("h{i}\n")).collect();
        let e = targets(On::Text(&text), None).unwrap_err();
        assert!(matches!(e[0], TargetError::TooMany { .. }));
    }
}
