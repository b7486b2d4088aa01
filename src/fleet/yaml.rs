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

/// Deepest nesting of mappings and lists: each level of `children` takes two.
pub const MAX_DEPTH: usize = 64;
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
