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

fn split(text: &str) -> Result<Vec<String>, Vec<TargetError>> {
    let trimmed = text.trim();
    if trimmed.starts_with('[') && trimmed.ends_with(']') {
        let not_a_list = || {
            vec![TargetError::NotAList {
                text: text.to_string(),
            }]
        };
        let items: Vec<serde_json::Value> =
            serde_json::from_str(trimmed).map_err(|_| not_a_list())?;
        return items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(name) => Ok(name),
                _ => Err(not_a_list()),
            })
            .collect();
    }
    Ok(text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
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
