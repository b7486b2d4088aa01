//! Ansible's YAML inventory format (also its `.json` files, the same structure):
//!
//! ```yaml
//! all:
//!   hosts:
//!     bastion: {ansible_host: 203.0.113.7}
//!   vars: {ansible_user: deploy}
//!   children:
//!     web:
//!       hosts:
//!         web[01:03].example.com:
//!         web-canary: {ansible_port: 2222}
//! db:                      # a top-level group besides `all`: a child of `all`
//!   hosts: {db-1: }
//! ```
//!
//! A group is a mapping with `hosts` (host patterns to their variables, or nothing), `vars`
//! and `children` (group names to groups), any of them left out or empty. A key other than
//! these three is an error with a suggestion (Ansible only warns and skips it, which loses the
//! hosts of a misspelt `host:`). Read with serde-saphyr, strict booleans, and budgets: a file
//! nested deeper than [`MAX_DEPTH`] or with more than [`MAX_NODES`] values is refused.

use super::builder::{ALL, Builder};
use super::error::InventoryErrorKind;
use crate::load::node::Value as Yaml;
use crate::load::{Node, Source, Span};
use crate::suggest::did_you_mean;
use serde_json::Value;

/// Deepest nesting of mappings and lists: each level of `children` takes two, so groups may
/// nest 23 deep. As the runbook loader's: serde-saphyr builds the tree recursively, about
/// 35 KB of stack a level in a debug build, and 48 levels fit a 2 MiB thread's stack.
pub const MAX_DEPTH: usize = 48;
/// Most YAML values: 100,000 hosts with a few variables each.
pub const MAX_NODES: usize = 1_000_000;

const GROUP_KEYS: [&str; 3] = ["hosts", "vars", "children"];

/// Reads YAML text into `b`.
pub(super) fn read(source: &Source, b: &mut Builder) {
    let root = match serde_saphyr::from_str_with_options::<Option<Node>>(&source.text, options()) {
        Ok(Some(root)) => root,
        Ok(None) => return,
        Err(e) => {
            let (span, kind) = syntax_error(source, &e);
            return b.problem(span, kind);
        }
    };
    let entries = match &root.value {
        Yaml::Null => return,
        Yaml::Map(entries) => entries,
        _ => {
            let kind = InventoryErrorKind::YamlShape {
                what: "the inventory".into(),
                expected: "a mapping of groups (`all:`)",
                found: root.kind_name(),
            };
            return b.problem(root.span, kind);
        }
    };
    for (key, value) in entries {
        if let Some(name) = key_text(source, key, b)
            && let Some(g) = b.group(&name, key.span)
        {
            group(source, g, value, b);
        }
    }
}

fn group(source: &Source, g: usize, node: &Node, b: &mut Builder) {
    if b.stopped {
        return;
    }
    b.groups[g].declared = true;
    let name = b.groups[g].name.clone();
    let entries = match &node.value {
        Yaml::Null => return,
        Yaml::Map(entries) => entries,
        _ => {
            let kind = InventoryErrorKind::YamlShape {
                what: format!("group `{}`", super::name::shown(&name)),
                expected: "a mapping with `hosts`, `vars` or `children`",
                found: node.kind_name(),
            };
            return b.problem(node.span, kind);
        }
    };
    for (key, value) in entries {
        match key.as_str() {
            Some("hosts") => {
                for (pattern, vars) in mapping(value, "hosts", &name, b) {
                    let Some(text) = key_text(source, pattern, b) else {
                        continue;
                    };
                    let hosts = b.add_hosts(g, &text, pattern.span);
                    for (k, v) in mapping(vars, "the variables of host", &text, b) {
                        if let Some(k) = key_text(source, k, b) {
                            b.set_host_var(&hosts, &k, json(source, v), v.span);
                        }
                    }
                }
            }
            Some("vars") => {
                for (k, v) in mapping(value, "vars", &name, b) {
                    if let Some(k) = key_text(source, k, b) {
                        b.set_group_var(g, &k, json(source, v), v.span);
                    }
                }
            }
            Some("children") => {
                for (child_key, child) in mapping(value, "children", &name, b) {
                    let Some(child_name) = key_text(source, child_key, b) else {
                        continue;
                    };
                    if let Some(c) = b.group(&child_name, child_key.span) {
                        b.add_child(g, c, child_key.span);
                        if c != ALL {
                            group(source, c, child, b);
                        }
                    }
                }
            }
            _ => {
                let key_name = key_text(source, key, b).unwrap_or_default();
                let kind = InventoryErrorKind::UnknownGroupKey {
                    group: name.clone(),
                    suggestion: did_you_mean(&key_name, GROUP_KEYS),
                    key: key_name,
                };
                b.problem(key.span, kind);
            }
        }
    }
}

/// The entries of a mapping that may also be empty; anything else is reported.
fn mapping<'a>(node: &'a Node, what: &str, owner: &str, b: &mut Builder) -> &'a [(Node, Node)] {
    match &node.value {
        Yaml::Map(entries) => entries,
        Yaml::Null => &[],
        _ => {
            let what = match what {
                "hosts" | "vars" | "children" => {
                    format!("`{what}` of group `{}`", super::name::shown(owner))
                }
                _ => format!("{what} `{}`", super::name::shown(owner)),
            };
            let kind = InventoryErrorKind::YamlShape {
                what,
                expected: "a mapping",
                found: node.kind_name(),
            };
            b.problem(node.span, kind);
            &[]
        }
    }
}

/// A key as text: a number or boolean key as written (`10:`), no collection or null.
fn key_text(source: &Source, key: &Node, b: &mut Builder) -> Option<String> {
    match &key.value {
        Yaml::Str(s) => Some(s.clone()),
        Yaml::Int(_) | Yaml::Float(_) | Yaml::Bool(_) => Some(source.slice(key.span).to_string()),
        _ => {
            let kind = InventoryErrorKind::YamlShape {
                what: "a key".into(),
                expected: "a name",
                found: key.kind_name(),
            };
            b.problem(key.span, kind);
            None
        }
    }
}

/// A variable's value as JSON. Recursive, within the parser's depth budget.
fn json(source: &Source, node: &Node) -> Value {
    match &node.value {
        Yaml::Null => Value::Null,
        Yaml::Bool(v) => Value::Bool(*v),
        Yaml::Int(i) => Value::from(*i),
        Yaml::Float(f) => serde_json::Number::from_f64(*f).map_or_else(
            || Value::String(source.slice(node.span).into()),
            Value::Number,
        ),
        Yaml::Str(s) => Value::String(s.clone()),
        Yaml::Seq(items) => Value::Array(items.iter().map(|n| json(source, n)).collect()),
        Yaml::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match &k.value {
                        Yaml::Str(s) => s.clone(),
                        _ => source.slice(k.span).to_string(),
                    };
                    (key, json(source, v))
                })
                .collect(),
        ),
    }
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = MAX_NODES;
    budget.max_documents = 1;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 100_000;
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    options.with_snippet = false;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options
}

fn syntax_error(source: &Source, error: &serde_saphyr::Error) -> (Span, InventoryErrorKind) {
    let offset = match error.location() {
        Some(loc) if loc.line() > 0 => {
            let line = source.line_text(loc.line() as usize);
            let column = (loc.column() as usize).saturating_sub(1);
            source.line_start(loc.line() as usize)
                + line
                    .char_indices()
                    .nth(column)
                    .map_or(line.len(), |(i, _)| i)
        }
        _ => 0,
    };
    let span = source.char_at(offset);
    if let serde_saphyr::Error::Budget { breach, .. } = error.without_snippet() {
        use serde_saphyr::budget::BudgetBreach as B;
        let message = match breach {
            B::Depth { .. } => {
                format!("the inventory nests mappings and lists deeper than {MAX_DEPTH} levels")
            }
            B::Nodes { .. } => format!("the inventory has more than {MAX_NODES} values"),
            B::Documents { .. } => "the inventory holds more than one YAML document".into(),
            _ => "the inventory exceeds a limit of the YAML reader (aliases, size)".into(),
        };
        return (span, InventoryErrorKind::YamlLimit { message });
    }
    let text = error.to_string();
    let first = text.lines().next().unwrap_or("invalid YAML");
    let message = without_location(first.trim_start_matches("error: "));
    if message.contains("recursion limit") || message.contains("nesting") {
        let message =
            format!("the inventory nests mappings and lists deeper than {MAX_DEPTH} levels");
        return (span, InventoryErrorKind::YamlLimit { message });
    }
    let kind = InventoryErrorKind::YamlSyntax {
        message: message.to_string(),
    };
    (span, kind)
}

/// serde-saphyr starts its messages with "line L column C: "; the position is kept apart.
fn without_location(message: &str) -> &str {
    if let Some(rest) = message.strip_prefix("line ")
        && let Some(i) = rest.find(": ")
        && rest[..i]
            .split(" column ")
            .all(|p| p.chars().all(|c| c.is_ascii_digit()))
    {
        return &rest[i + 2..];
    }
    message
}

#[cfg(test)]
mod tests {
    use super::super::{Format, Inventory, InventoryError, InventoryErrorKind as K};
    use std::path::Path;

    fn yaml(text: &str) -> Inventory {
        match Inventory::parse_as(Format::Yaml, Path::new("hosts.yml"), text) {
            Ok(inventory) => inventory,
            Err(errors) => panic!("{text}\n{errors:#?}"),
        }
    }

    fn errors(text: &str) -> Vec<InventoryError> {
        Inventory::parse_as(Format::Yaml, Path::new("hosts.yml"), text).unwrap_err()
    }

    fn names(inventory: &Inventory, group: &str) -> Vec<String> {
        let hosts = inventory.resolve(group).unwrap_or_default();
        hosts.iter().map(|h| h.name.clone()).collect()
    }

    const EXAMPLE: &str = "\
# an inventory
all:
  hosts:
    bastion:
      ansible_host: 203.0.113.7
      ansible_user: ops
    lonely:
  vars:
    ansible_user: root
  children:
    web:
      hosts:
        web[01:02].example.com:
        web-canary:2222: {role: canary}
      vars:
        ansible_port: \"2200\"
      children:
        web_eu:
          hosts:
            web-eu-1: {ansible_port: 22, tags: [a, b], extra: {deep: true}}
    empty:
db:
  hosts:
    db-1: {ansible_host: 10.0.0.5, ansible_user: dba}
    10.0.0.9:
  children:
    web_eu:
";

    #[test]
    fn reads_hosts_groups_and_variables() {
        let inv = yaml(EXAMPLE);
        let all: Vec<&str> = inv.host_names().collect();
        assert_eq!(
            all,
            [
                "bastion",
                "lonely",
                "web01.example.com",
                "web02.example.com",
                "web-canary",
                "web-eu-1",
                "db-1",
                "10.0.0.9"
            ]
        );
        let bastion = inv.host("bastion").unwrap();
        assert_eq!(bastion.address.as_deref(), Some("203.0.113.7"));
        assert_eq!(bastion.user.as_deref(), Some("ops"));
        assert_eq!((bastion.at.line, bastion.at.column), (4, 5));
        assert_eq!(inv.host("lonely").unwrap().user.as_deref(), Some("root"));
        let web1 = inv.host("web01.example.com").unwrap();
        assert_eq!(
            (web1.port, web1.user.as_deref()),
            (Some(2200), Some("root"))
        );
        let canary = inv.host("web-canary").unwrap();
        assert_eq!(canary.port, Some(2222));
        assert_eq!(canary.vars["role"], "canary");
        let eu = inv.host("web-eu-1").unwrap();
        assert_eq!(eu.port, Some(22));
        assert_eq!(eu.vars["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(eu.vars["extra"], serde_json::json!({"deep": true}));
        let db1 = inv.host("db-1").unwrap();
        assert_eq!(db1.address.as_deref(), Some("10.0.0.5"));
        assert_eq!(db1.user.as_deref(), Some("dba"));
        assert_eq!(
            names(&inv, "web"),
            [
                "web01.example.com",
                "web02.example.com",
                "web-canary",
                "web-eu-1"
            ]
        );
        assert_eq!(names(&inv, "db"), ["web-eu-1", "db-1", "10.0.0.9"]);
        assert_eq!(names(&inv, "ungrouped"), ["bastion", "lonely"]);
        assert_eq!(names(&inv, "empty"), Vec::<String>::new());
        assert_eq!(names(&inv, "all").len(), 8);
        let groups: Vec<&str> = inv.group_names().collect();
        assert_eq!(groups, ["all", "db", "empty", "ungrouped", "web", "web_eu"]);
    }

    #[test]
    fn nothing_is_an_empty_inventory() {
        for text in [
            "",
            "# nothing\n",
            "---\n",
            "~\n",
            "all:\n",
            "all: {}\n",
            "web:\n  hosts:\n",
        ] {
            assert!(yaml(text).hosts().is_empty(), "{text:?}");
        }
    }

    #[test]
    fn json_is_read_as_yaml() {
        let inv =
            yaml(r#"{"all": {"children": {"web": {"hosts": {"w1": {"ansible_port": 2201}}}}}}"#);
        assert_eq!(inv.host("w1").unwrap().port, Some(2201));
        assert_eq!(names(&inv, "web"), ["w1"]);
    }

    /// (text, line, column, what the message says)
    const BAD: &[(&str, usize, usize, &str)] = &[
        (
            "all:\n  hosts: [a, b\n",
            2,
            10,
            "invalid YAML: unclosed bracket",
        ),
        (
            "all:\n  hosts:\n  - a\n",
            3,
            5,
            "`hosts` of group `all` is a list, but must be a mapping",
        ),
        (
            "web:\n  host:\n    a:\n",
            2,
            3,
            "unknown key `host` in group `web`",
        ),
        (
            "web:\n  hosts:\n    a: {ansible_port: abc}\n",
            3,
            23,
            "port `abc` is not a port number",
        ),
        (
            "web:\n  hosts:\n    a: {ansible_port: 70000}\n",
            3,
            23,
            "port `70000`",
        ),
        (
            "web:\n  hosts:\n    a: {ansible_port: [1]}\n",
            3,
            23,
            "`ansible_port` is a list",
        ),
        (
            "web:\n  hosts:\n    a: {ansible_host: {x: 1}}\n",
            3,
            23,
            "`ansible_host` is a mapping",
        ),
        (
            "web:\n  hosts:\n    a: [1]\n",
            3,
            8,
            "the variables of host `a` is a list",
        ),
        (
            "web:\n  hosts:\n    web[3:1]:\n",
            3,
            5,
            "bad host range in `web[3:1]`",
        ),
        (
            "web:\n  hosts:\n    web[1:100001]:\n",
            3,
            5,
            "expands to 100001 hosts",
        ),
        (
            "web:\n  hosts:\n    -web:\n",
            3,
            5,
            "host name `-web` starts with `-`",
        ),
        (
            "web:\n  hosts:\n    \"web 1\":\n",
            3,
            5,
            "contains whitespace",
        ),
        ("web:\n  hosts:\n    \"\":\n", 3, 5, "empty host name"),
        (
            "web:\n  hosts:\n    a: {ansible_user: -x}\n",
            3,
            23,
            "user (`ansible_user`) `-x` starts with `-`",
        ),
        (
            "- a\n- b\n",
            1,
            1,
            "the inventory is a list, but must be a mapping of groups",
        ),
        (
            "web: hosts\n",
            1,
            6,
            "group `web` is a string, but must be a mapping",
        ),
        (
            "web:\n  children: [a]\n",
            2,
            13,
            "`children` of group `web` is a list",
        ),
        (
            "web:\n  vars: 3\n",
            2,
            9,
            "`vars` of group `web` is an integer",
        ),
        (
            "a:\n  children:\n    b:\nb:\n  children:\n    a:\n",
            6,
            5,
            "groups contain each other: `a` → `b` → `a`",
        ),
        (
            "web:\n  children:\n    all:\n",
            3,
            5,
            "group `all` is listed as a child of `web`",
        ),
        ("? [a]\n: x\n", 1, 3, "a key is a list"),
        ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
        (
            "web:\n  vars:\n    ansible_group_priority: high\n",
            3,
            29,
            "`ansible_group_priority` is `high`",
        ),
    ];

    #[test]
    fn every_problem_has_its_position_and_help() {
        let mut wrong = Vec::new();
        for (text, line, column, says) in BAD {
            let errors = errors(text);
            let e = &errors[0];
            if !e.message().contains(says) || (e.line, e.column) != (*line, *column) {
                wrong.push(format!("{text:?}: {}:{} {}", e.line, e.column, e.message()));
            }
            assert!(!e.help().is_empty());
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn a_misspelt_key_gets_a_suggestion() {
        let e = &errors("web:\n  host:\n    a:\n")[0];
        assert_eq!(e.help(), "did you mean `hosts`?");
        let e = &errors("web:\n  chidren:\n    a:\n")[0];
        assert_eq!(e.help(), "did you mean `children`?");
        let e = &errors("web:\n  ansible_user: x\n")[0];
        assert!(e.help().contains("under `vars:`"), "{}", e.help());
    }

    #[test]
    fn deep_nesting_is_refused_not_followed() {
        let mut text = String::new();
        for i in 0..1_000 {
            let indent = " ".repeat(i * 2);
            text.push_str(&format!("{indent}g{i}:\n{indent}  children:\n"));
        }
        let errors = errors(&text);
        assert!(matches!(errors[0].kind, K::YamlLimit { .. }), "{errors:?}");
        assert!(
            errors[0].message().contains("deeper than 48"),
            "{}",
            errors[0].message()
        );
        let text = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let errors =
            super::super::Inventory::parse_as(Format::Yaml, Path::new("x"), &text).unwrap_err();
        assert!(matches!(errors[0].kind, K::YamlLimit { .. }), "{errors:?}");
        let text = format!("a: {}\n", "{a: ".repeat(50_000));
        assert!(Inventory::parse_as(Format::Yaml, Path::new("x"), &text).is_err());
    }

    #[test]
    fn nested_children_within_the_budget_resolve() {
        let mut text = String::new();
        for i in 0..20 {
            let indent = " ".repeat(i * 4);
            text.push_str(&format!("{indent}g{i}:\n{indent}  children:\n"));
        }
        text.push_str(&format!(
            "{}leaf:\n{}  hosts: {{h: }}\n",
            " ".repeat(80),
            " ".repeat(80)
        ));
        let inv = yaml(&text);
        assert_eq!(names(&inv, "g0"), ["h"]);
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let mut prev = 'a';
        for c in 'b'..='k' {
            text.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
            prev = c;
        }
        let errors = Inventory::parse_as(Format::Yaml, Path::new("x"), &text).unwrap_err();
        assert!(!errors.is_empty());
    }

    #[test]
    fn a_large_yaml_inventory_is_read() {
        let mut text = String::from("all:\n  hosts:\n");
        for i in 0..20_000 {
            text.push_str(&format!(
                "    host-{i}: {{ansible_host: 10.0.{}.{}, ansible_port: 22}}\n",
                i / 256,
                i % 256
            ));
        }
        let inv = yaml(&text);
        assert_eq!(inv.hosts().len(), 20_000);
        assert_eq!(
            inv.host("host-257").unwrap().address.as_deref(),
            Some("10.0.1.1")
        );
    }
}
