//! An Ansible inventory, resolved: every host with the address, port and user ssh needs, and
//! the groups with their members. Read one with [`Inventory::parse`] (in `read.rs`).
//!
//! Resolution follows Ansible's: a group's hosts are its own and those of its `children`,
//! recursively; `all` holds every host; `ungrouped` the hosts in no group but `all` (and
//! `ungrouped`). A host's `ansible_host`, `ansible_port` and `ansible_user` are its own if it
//! sets them, else those of the groups it belongs to, directly or through `children`, the
//! deepest group winning (then the higher `ansible_group_priority`, then the later name in
//! alphabetical order), `all` last. The older `ansible_ssh_host`, `ansible_ssh_port` and
//! `ansible_ssh_user` count where the new name is not set at the same level.

use crate::load::Position;
use std::collections::{BTreeMap, HashMap};

/// One host, as ssh will reach it.
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    pub name: String,
    /// `ansible_host`: the address to connect to, when not the name.
    pub address: Option<String>,
    /// `ansible_port` (or a `name:port` pattern).
    pub port: Option<u16>,
    /// `ansible_user`.
    pub user: Option<String>,
    /// The host's own variables, as written (kept; only the connection ones are used).
    pub vars: BTreeMap<String, serde_json::Value>,
    /// Where the host is first listed.
    pub at: Position,
}

/// One group, as written: its direct hosts and child groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub name: String,
    /// Hosts listed in the group itself, in file order, without duplicates.
    pub hosts: Vec<String>,
    /// Child groups, in file order, without duplicates.
    pub children: Vec<String>,
    /// The group's own variables, as written.
    pub vars: BTreeMap<String, serde_json::Value>,
    /// Where the group is first declared (`None` for the implicit `all` and `ungrouped`).
    pub at: Option<Position>,
}

/// An inventory: hosts in file order, groups by name. Always free of `children` cycles.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    hosts: Vec<Host>,
    index: HashMap<String, usize>,
    groups: BTreeMap<String, Group>,
}

impl Default for Inventory {
    /// No host; the groups `all` and `ungrouped`, empty.
    fn default() -> Self {
        let group = |name: &str| Group {
            name: name.to_string(),
            hosts: Vec::new(),
            children: Vec::new(),
            vars: BTreeMap::new(),
            at: None,
        };
        let groups = ["all", "ungrouped"]
            .into_iter()
            .map(|name| (name.to_string(), group(name)))
            .collect();
        Inventory::new(Vec::new(), groups)
    }
}

impl Inventory {
    /// Builds an inventory from resolved hosts and acyclic groups (`read.rs` checks both).
    pub(super) fn new(hosts: Vec<Host>, groups: BTreeMap<String, Group>) -> Self {
        let index = hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (h.name.clone(), i))
            .collect();
        Inventory {
            hosts,
            index,
            groups,
        }
    }

    /// Every host, in the order the file first lists them.
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    pub fn host(&self, name: &str) -> Option<&Host> {
        self.index.get(name).map(|&i| &self.hosts[i])
    }

    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.get(name)
    }

    /// Every group's name, `all` and `ungrouped` included, sorted (for "did you mean").
    pub fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.keys().map(String::as_str)
    }

    /// Every host's name, in file order (for "did you mean").
    pub fn host_names(&self) -> impl Iterator<Item = &str> {
        self.hosts.iter().map(|h| h.name.as_str())
    }

    /// A group's hosts (its own and its children's, in file order, each once), or the one
    /// host of that name; `None` for a name that is neither. A name that is both a group and
    /// a host is the group, as in Ansible.
    pub fn resolve(&self, name: &str) -> Option<Vec<&Host>> {
        if self.groups.contains_key(name) {
            return Some(
                self.members(name)
                    .into_iter()
                    .map(|i| &self.hosts[i])
                    .collect(),
            );
        }
        self.host(name).map(|h| vec![h])
    }

    /// The indices of a group's hosts, sorted. Iterative: the depth of `children` is not
    /// bounded by the stack.
    fn members(&self, name: &str) -> Vec<usize> {
        if name == "all" {
            return (0..self.hosts.len()).collect();
        }
        let mut seen_groups = std::collections::HashSet::new();
        let mut seen_hosts = vec![false; self.hosts.len()];
        let mut stack = vec![name];
        while let Some(g) = stack.pop() {
            if !seen_groups.insert(g) {
                continue;
            }
            let Some(group) = self.groups.get(g) else {
                continue;
            };
            for host in &group.hosts {
                if let Some(&i) = self.index.get(host) {
                    seen_hosts[i] = true;
                }
            }
            stack.extend(group.children.iter().map(String::as_str));
        }
        seen_hosts
            .iter()
            .enumerate()
            .filter_map(|(i, &seen)| seen.then_some(i))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_name_that_is_both_a_group_and_a_host_is_the_group() {
        let inv = Inventory::parse(Path::new("hosts"), "[web]\nweb\nweb-1\n[db]\ndb-1\n").unwrap();
        let names: Vec<&str> = inv
            .resolve("web")
            .unwrap()
            .iter()
            .map(|h| h.name.as_str())
            .collect();
        assert_eq!(names, ["web", "web-1"]);
        assert_eq!(inv.host("web").map(|h| h.name.as_str()), Some("web"));
        let web = inv.group("web").unwrap();
        assert_eq!(web.at, Some(Position { line: 1, column: 2 }));
        assert_eq!(inv.group("all").unwrap().at, None);
        assert_eq!(
            inv.host("db-1").unwrap().at,
            Position { line: 5, column: 1 }
        );
    }

    #[test]
    fn an_empty_inventory_resolves_its_implicit_groups() {
        let inv = Inventory::parse(Path::new("hosts"), "").unwrap();
        assert_eq!(inv, Inventory::default());
        assert_eq!(inv.resolve("all"), Some(vec![]));
        assert_eq!(inv.resolve("ungrouped"), Some(vec![]));
        assert_eq!(inv.group_names().collect::<Vec<_>>(), ["all", "ungrouped"]);
    }
}
