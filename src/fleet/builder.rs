//! What the INI and YAML readers share: hosts and groups collected as the file lists them,
//! checked as they come (names, ports, budgets), then resolved into an [`Inventory`]:
//! `children` cycles found, group depths, the variables each host inherits, `ungrouped`.
//!
//! Every step is linear in the size of the file, and iterative: a chain of 100,000 nested
//! groups neither overflows the stack nor takes quadratic time.

use super::error::{InventoryErrorKind, Problem};
use super::inventory::{Group, Host, Inventory};
use super::name::{NameRole, check_group_name, check_name};
use super::pattern::{MAX_HOSTS, expand, parse_port};
use crate::load::{Source, Span};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The most groups one inventory may have.
pub const MAX_GROUPS: usize = 100_000;
/// The most problems reported for one file: past them, the rest is noise.
pub const MAX_PROBLEMS: usize = 100;

pub(super) const ALL: usize = 0;
pub(super) const UNGROUPED: usize = 1;

#[derive(Debug, Clone)]
struct Var {
    value: Value,
}

#[derive(Debug)]
struct RawHost {
    name: String,
    span: Span,
    vars: BTreeMap<String, Var>,
    groups: Vec<usize>,
}

#[derive(Debug)]
pub(super) struct RawGroup {
    pub name: String,
    span: Option<Span>,
    /// INI: declared by a `[name]` or `[name:children]` section (YAML: always).
    pub declared: bool,
    /// INI: where a `[name:vars]` section is, for a group never declared.
    pub vars_section: Option<Span>,
    hosts: Vec<usize>,
    host_set: HashSet<usize>,
    pub children: Vec<(usize, Span)>,
    child_set: HashSet<usize>,
    vars: BTreeMap<String, Var>,
}

#[derive(Debug)]
pub(super) struct Builder {
    hosts: Vec<RawHost>,
    host_index: HashMap<String, usize>,
    pub groups: Vec<RawGroup>,
    group_index: HashMap<String, usize>,
    pub problems: Vec<Problem>,
    host_entries: usize,
    /// A budget was exceeded: the reader stops.
    pub stopped: bool,
}

/// Which connection variable: each has an older `ansible_ssh_` name.
#[derive(Clone, Copy)]
enum Conn {
    Address,
    Port,
    User,
}

impl Conn {
    const ALL: [Conn; 3] = [Conn::Address, Conn::Port, Conn::User];

    fn names(self) -> [&'static str; 2] {
        match self {
            Conn::Address => ["ansible_host", "ansible_ssh_host"],
            Conn::Port => ["ansible_port", "ansible_ssh_port"],
            Conn::User => ["ansible_user", "ansible_ssh_user"],
        }
    }

    fn of(self, vars: &BTreeMap<String, Var>) -> Option<&Value> {
        let [new, old] = self.names();
        vars.get(new).or_else(|| vars.get(old)).map(|v| &v.value)
    }
}

impl Builder {
    pub fn new() -> Self {
        let mut b = Builder {
            hosts: Vec::new(),
            host_index: HashMap::new(),
            groups: Vec::new(),
            group_index: HashMap::new(),
            problems: Vec::new(),
            host_entries: 0,
            stopped: false,
        };
        for name in ["all", "ungrouped"] {
            b.create_group(name, None);
            if let Some(g) = b.groups.last_mut() {
                g.declared = true;
            }
        }
        b
    }

    pub fn problem(&mut self, span: Span, kind: InventoryErrorKind) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem::new(span, kind));
        } else {
            self.stopped = true;
        }
    }

    fn create_group(&mut self, name: &str, span: Option<Span>) -> usize {
        let id = self.groups.len();
        self.groups.push(RawGroup {
            name: name.to_string(),
            span,
            declared: false,
            vars_section: None,
            hosts: Vec::new(),
            host_set: HashSet::new(),
            children: Vec::new(),
            child_set: HashSet::new(),
            vars: BTreeMap::new(),
        });
        self.group_index.insert(name.to_string(), id);
        id
    }

    /// The group of that name, created at `span` if new; `None` for a name refused.
    pub fn group(&mut self, name: &str, span: Span) -> Option<usize> {
        if let Some(&id) = self.group_index.get(name) {
            if self.groups[id].span.is_none() && id > UNGROUPED {
                self.groups[id].span = Some(span);
            }
            return Some(id);
        }
        if let Err(problem) = check_group_name(name) {
            let kind = InventoryErrorKind::BadName {
                role: NameRole::Group,
                name: name.to_string(),
                problem,
            };
            self.problem(span, kind);
            return None;
        }
        if self.groups.len() >= MAX_GROUPS {
            self.problem(
                span,
                InventoryErrorKind::TooManyGroups { limit: MAX_GROUPS },
            );
            self.stopped = true;
            return None;
        }
        Some(self.create_group(name, Some(span)))
    }

    pub fn is_host(&self, name: &str) -> bool {
        self.host_index.contains_key(name)
    }

    /// Adds the hosts of a pattern (ranges, `:port`) to a group; returns their ids.
    pub fn add_hosts(&mut self, group: usize, pattern: &str, span: Span) -> Vec<usize> {
        if let Err(problem) = check_name(pattern) {
            let kind = InventoryErrorKind::BadName {
                role: NameRole::Host,
                name: pattern.to_string(),
                problem,
            };
            self.problem(span, kind);
            return Vec::new();
        }
        let expansion = match expand(pattern) {
            Ok(e) => e,
            Err(kind) => {
                self.problem(span, kind);
                return Vec::new();
            }
        };
        self.host_entries = self.host_entries.saturating_add(expansion.names.len());
        if self.host_entries > MAX_HOSTS {
            self.problem(span, InventoryErrorKind::TooManyHosts { limit: MAX_HOSTS });
            self.stopped = true;
            return Vec::new();
        }
        let mut ids = Vec::with_capacity(expansion.names.len());
        for name in expansion.names {
            // `:22` alone, or a range that makes a name the pattern was not (`[a:b]x` is
            // checked whole): each name made is checked as ssh will get it.
            if let Err(problem) = check_name(&name) {
                let kind = InventoryErrorKind::BadName {
                    role: NameRole::Host,
                    name,
                    problem,
                };
                self.problem(span, kind);
                continue;
            }
            let id = match self.host_index.get(&name) {
                Some(&id) => id,
                None => {
                    let id = self.hosts.len();
                    self.host_index.insert(name.clone(), id);
                    self.hosts.push(RawHost {
                        name,
                        span,
                        vars: BTreeMap::new(),
                        groups: Vec::new(),
                    });
                    id
                }
            };
            let g = &mut self.groups[group];
            if g.host_set.insert(id) {
                g.hosts.push(id);
                self.hosts[id].groups.push(group);
            }
            if let Some(port) = expansion.port {
                self.hosts[id].vars.insert(
                    "ansible_port".into(),
                    Var {
                        value: Value::from(port),
                    },
                );
            }
            ids.push(id);
        }
        ids
    }

    pub fn add_child(&mut self, parent: usize, child: usize, span: Span) {
        if child == ALL {
            let parent = self.groups[parent].name.clone();
            self.problem(span, InventoryErrorKind::AllAsChild { parent });
            return;
        }
        let p = &mut self.groups[parent];
        if p.child_set.insert(child) {
            p.children.push((child, span));
        }
    }

    /// Sets a variable of hosts (those of one pattern); a connection variable is checked
    /// first, once, and dropped if bad.
    pub fn set_host_var(&mut self, hosts: &[usize], key: &str, value: Value, span: Span) {
        if hosts.is_empty() || !self.check_var(key, &value, span, false) {
            return;
        }
        for &h in hosts {
            self.hosts[h].vars.insert(
                key.to_string(),
                Var {
                    value: value.clone(),
                },
            );
        }
    }

    pub fn set_group_var(&mut self, group: usize, key: &str, value: Value, span: Span) {
        if self.check_var(key, &value, span, true) {
            self.groups[group]
                .vars
                .insert(key.to_string(), Var { value });
        }
    }

    /// Whether the value of a variable this tool reads is usable; reports it if not.
    fn check_var(&mut self, key: &str, value: &Value, span: Span, group: bool) -> bool {
        let role = match key {
            "ansible_host" | "ansible_ssh_host" => NameRole::Address,
            "ansible_user" | "ansible_ssh_user" => NameRole::User,
            "ansible_port" | "ansible_ssh_port" => {
                if port_of(value).is_some() {
                    return true;
                }
                let kind = match value {
                    Value::String(s) => InventoryErrorKind::BadPort { value: s.clone() },
                    Value::Number(n) => InventoryErrorKind::BadPort {
                        value: n.to_string(),
                    },
                    other => InventoryErrorKind::BadVarValue {
                        name: key.into(),
                        expected: "a port number (1 to 65535)",
                        found: kind_of(other).into(),
                    },
                };
                self.problem(span, kind);
                return false;
            }
            "ansible_group_priority" if group => {
                if priority_of(value).is_some() {
                    return true;
                }
                let kind = InventoryErrorKind::BadVarValue {
                    name: key.into(),
                    expected: "a whole number",
                    found: shown_value(value),
                };
                self.problem(span, kind);
                return false;
            }
            _ => return true,
        };
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                let kind = InventoryErrorKind::BadVarValue {
                    name: key.into(),
                    expected: "text",
                    found: kind_of(other).into(),
                };
                self.problem(span, kind);
                return false;
            }
        };
        if let Err(problem) = check_name(&text) {
            let kind = InventoryErrorKind::BadName {
                role,
                name: text,
                problem,
            };
            self.problem(span, kind);
            return false;
        }
        true
    }

    /// Resolves what was read into an inventory, or returns every problem found.
    pub fn finish(mut self, source: &Source) -> Result<Inventory, Vec<Problem>> {
        let parents = self.break_cycles();
        let order = topological(&self.groups, &parents);
        let mut depth = vec![0usize; self.groups.len()];
        for &g in &order {
            depth[g] = if g == ALL {
                0
            } else {
                parents[g].iter().map(|&p| depth[p] + 1).max().unwrap_or(1)
            };
        }
        if !self.problems.is_empty() {
            let mut problems = self.problems;
            problems.sort_by_key(|p| (p.span.start, p.span.end));
            return Err(problems);
        }
        // `ungrouped`: the hosts in no group but `all` and `ungrouped`.
        let mut ungrouped = Vec::new();
        for (id, host) in self.hosts.iter_mut().enumerate() {
            let other = host.groups.iter().any(|&g| g != ALL && g != UNGROUPED);
            host.groups.retain(|&g| g != UNGROUPED || !other);
            if !other {
                ungrouped.push(id);
                if !host.groups.contains(&UNGROUPED) {
                    host.groups.push(UNGROUPED);
                }
            }
        }
        let ungrouped_set: HashSet<usize> = ungrouped.iter().copied().collect();
        let u = &mut self.groups[UNGROUPED];
        u.hosts = ungrouped;
        u.host_set = ungrouped_set;
        let priority: Vec<i64> = self
            .groups
            .iter()
            .map(|g| {
                g.vars
                    .get("ansible_group_priority")
                    .and_then(|v| priority_of(&v.value))
                    .unwrap_or(1)
            })
            .collect();
        // Ansible applies group variables sorted by (depth, priority, name): the greatest wins.
        let rank = |a: usize, b: usize| {
            (depth[a], priority[a], &self.groups[a].name).cmp(&(
                depth[b],
                priority[b],
                &self.groups[b].name,
            ))
        };
        let mut best: Vec<[Option<usize>; 3]> = vec![[None; 3]; self.groups.len()];
        for &g in &order {
            for (k, conn) in Conn::ALL.iter().enumerate() {
                let mut pick = conn.of(&self.groups[g].vars).map(|_| g);
                let inherited = parents[g]
                    .iter()
                    .copied()
                    .chain((g != ALL && parents[g].is_empty()).then_some(ALL))
                    .filter_map(|p| best[p][k]);
                for candidate in inherited {
                    pick = Some(match pick {
                        Some(current) if rank(current, candidate) != Ordering::Less => current,
                        _ => candidate,
                    });
                }
                best[g][k] = pick;
            }
        }
        let mut hosts = Vec::with_capacity(self.hosts.len());
        for raw in &self.hosts {
            let inherited = |k: usize| {
                raw.groups
                    .iter()
                    .chain(std::iter::once(&ALL))
                    .filter_map(|&g| best[g][k])
                    .max_by(|&a, &b| rank(a, b))
            };
            let value = |k: usize, conn: Conn| {
                conn.of(&raw.vars)
                    .or_else(|| inherited(k).and_then(|g| conn.of(&self.groups[g].vars)))
            };
            let text = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            hosts.push(Host {
                name: raw.name.clone(),
                address: value(0, Conn::Address).and_then(text),
                port: value(1, Conn::Port).and_then(port_of),
                user: value(2, Conn::User).and_then(text),
                vars: plain_vars(&raw.vars),
                at: source.position(raw.span.start),
            });
        }
        let mut groups = BTreeMap::new();
        for g in &self.groups {
            let group = Group {
                name: g.name.clone(),
                hosts: g
                    .hosts
                    .iter()
                    .map(|&h| self.hosts[h].name.clone())
                    .collect(),
                children: g
                    .children
                    .iter()
                    .map(|&(c, _)| self.groups[c].name.clone())
                    .collect(),
                vars: plain_vars(&g.vars),
                at: g.span.map(|s| source.position(s.start)),
            };
            groups.insert(g.name.clone(), group);
        }
        Ok(Inventory::new(hosts, groups))
    }

    /// Finds `children` cycles (iterative depth-first search), reports each at the entry that
    /// closes it and drops that entry; returns each group's parents in the acyclic rest.
    fn break_cycles(&mut self) -> Vec<Vec<usize>> {
        let n = self.groups.len();
        let mut state = vec![0u8; n]; // 0 new, 1 on the path, 2 done
        let mut dropped: HashSet<(usize, usize)> = HashSet::new();
        let mut found = Vec::new();
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (g, ref mut next)) = path.last_mut() {
                let Some(&(child, span)) = self.groups[g].children.get(*next) else {
                    state[g] = 2;
                    path.pop();
                    continue;
                };
                *next += 1;
                match state[child] {
                    0 => {
                        state[child] = 1;
                        path.push((child, 0));
                    }
                    1 => {
                        let from = path.iter().position(|&(p, _)| p == child).unwrap_or(0);
                        let mut cycle: Vec<String> = path[from..]
                            .iter()
                            .map(|&(p, _)| self.groups[p].name.clone())
                            .collect();
                        cycle.push(self.groups[child].name.clone());
                        found.push((span, cycle));
                        dropped.insert((g, child));
                    }
                    _ => {}
                }
            }
        }
        for (span, cycle) in found {
            self.problem(span, InventoryErrorKind::ChildrenCycle { cycle });
        }
        let mut parents = vec![Vec::new(); n];
        for (g, group) in self.groups.iter_mut().enumerate() {
            group.children.retain(|&(c, _)| !dropped.contains(&(g, c)));
            for &(c, _) in &group.children {
                parents[c].push(g);
            }
        }
        parents
    }
}

/// The groups in an order where parents come first (`all` first of all). Kahn's algorithm on
/// an acyclic graph.
fn topological(groups: &[RawGroup], parents: &[Vec<usize>]) -> Vec<usize> {
    let mut waiting: Vec<usize> = parents.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..groups.len())
        .filter(|&g| waiting[g] == 0)
        .rev()
        .collect();
    let mut order = Vec::with_capacity(groups.len());
    while let Some(g) = ready.pop() {
        order.push(g);
        for &(c, _) in &groups[g].children {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.push(c);
            }
        }
    }
    order
}

fn port_of(value: &Value) -> Option<u16> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .and_then(|p| u16::try_from(p).ok())
            .filter(|&p| p != 0),
        Value::String(s) => parse_port(s.trim()),
        _ => None,
    }
}

fn priority_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn shown_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{}`", super::name::shown(s)),
        Value::Number(n) => format!("`{n}`"),
        other => kind_of(other).to_string(),
    }
}

fn plain_vars(vars: &BTreeMap<String, Var>) -> BTreeMap<String, Value> {
    vars.iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect()
}
