//! Ansible's INI inventory format.
//!
//! ```ini
//! bastion ansible_host=203.0.113.7        # before any section: group `ungrouped`
//! [web]
//! web[01:03].example.com ansible_user="deploy"
//! web-canary:2222
//! [web:vars]
//! ansible_port = 2200
//! [prod:children]
//! web
//! ```
//!
//! As Ansible reads it: a line whose first character (after spaces) is `#` or `;` is a
//! comment; a host line is split into words as a POSIX shell would (quotes, `\`), and `#`
//! outside quotes ends it; its first word is a host pattern, the others `key=value`. A
//! `[group:vars]` line is `key = value`, the value kept whole (surrounding quotes removed).
//! A group is declared by `[group]` (or `[group:hosts]`) or `[group:children]`; a child group
//! or a `:vars` section naming a group that no section declares is an error, as in Ansible.
//! Unlike Ansible, a line starting with `[` is always a section header (Ansible reads
//! `[a:c]-web` as a host pattern).

use super::builder::{Builder, UNGROUPED};
use super::error::InventoryErrorKind;
use crate::load::Span;
use crate::suggest::did_you_mean;
use serde_json::Value;

#[derive(Clone, Copy)]
enum Section {
    Hosts(usize),
    Children(usize),
    Vars(usize),
    /// After a section header that could not be read: its lines are skipped.
    Skip,
}

/// Reads INI text into `b`.
pub(super) fn read(text: &str, b: &mut Builder) {
    let mut section = Section::Hosts(UNGROUPED);
    let mut offset = 0;
    for raw in text.split('\n') {
        let start = offset;
        offset += raw.len() + 1;
        if b.stopped {
            break;
        }
        let line = raw.trim_end_matches('\r');
        let content = line.trim();
        if content.is_empty() || content.starts_with(['#', ';']) {
            continue;
        }
        let at = start + (line.len() - line.trim_start().len());
        let span = Span::new(at, at + content.len());
        if content.starts_with('[') {
            section = header(content, span, b);
            continue;
        }
        match section {
            Section::Hosts(g) => host_line(content, at, g, b),
            Section::Children(g) => child_line(content, span, g, b),
            Section::Vars(g) => var_line(content, span, g, b),
            Section::Skip => {}
        }
    }
    undefined_groups(b);
}

fn header(content: &str, span: Span, b: &mut Builder) -> Section {
    let malformed = |b: &mut Builder, reason: &'static str| {
        let kind = InventoryErrorKind::BadSectionHeader {
            header: content.to_string(),
            reason,
        };
        b.problem(span, kind);
        Section::Skip
    };
    let Some(close) = content.find(']') else {
        return malformed(b, "no closing `]`");
    };
    let after = content[close + 1..].trim_start();
    if !after.is_empty() && !after.starts_with('#') {
        return malformed(b, "text after the closing `]`");
    }
    let inner = &content[1..close];
    let (name, kind) = match inner.split_once(':') {
        Some((name, kind)) => (name, Some(kind)),
        None => (inner, None),
    };
    if name.is_empty() {
        return malformed(b, "no group name");
    }
    if name.contains(char::is_whitespace) {
        return malformed(b, "a space in the group name");
    }
    if name.contains('[') {
        return malformed(b, "a `[` in the group name");
    }
    let name_span = Span::new(span.start + 1, span.start + 1 + name.len());
    match kind {
        None | Some("hosts") | Some("children") => {
            let Some(g) = b.group(name, name_span) else {
                return Section::Skip;
            };
            b.groups[g].declared = true;
            if kind == Some("children") {
                Section::Children(g)
            } else {
                Section::Hosts(g)
            }
        }
        Some("vars") => {
            let Some(g) = b.group(name, name_span) else {
                return Section::Skip;
            };
            b.groups[g].vars_section.get_or_insert(name_span);
            Section::Vars(g)
        }
        Some("") => malformed(b, "nothing after `:`"),
        Some(kind) => {
            let kind = InventoryErrorKind::UnknownSectionType {
                group: name.to_string(),
                kind: kind.to_string(),
            };
            b.problem(span, kind);
            Section::Skip
        }
    }
}

/// A word of a host line: its text after quote removal, where it starts, and where its first
/// unquoted `=` is.
struct Word {
    text: String,
    start: usize,
    eq: Option<usize>,
}

/// Splits a host line as Python's `shlex.split(line, comments=True)` does, which Ansible
/// uses. `at` is the line's offset in the file.
fn words(line: &str, at: usize) -> Result<Vec<Word>, (Span, InventoryErrorKind)> {
    let mut out: Vec<Word> = Vec::new();
    let mut word: Option<Word> = None;
    let mut quote: Option<(char, usize)> = None;
    let mut chars = line.char_indices().peekable();
    fn begin(word: &mut Option<Word>, start: usize) -> &mut Word {
        word.get_or_insert_with(|| Word {
            text: String::new(),
            start,
            eq: None,
        })
    }
    while let Some((i, c)) = chars.next() {
        if let Some((q, _)) = quote {
            let w = begin(&mut word, at + i);
            if c == q {
                quote = None;
            } else if q == '"' && c == '\\' {
                match chars.peek() {
                    Some(&(_, n)) if n == '"' || n == '\\' => {
                        w.text.push(n);
                        chars.next();
                    }
                    _ => w.text.push(c),
                }
            } else {
                w.text.push(c);
            }
            continue;
        }
        match c {
            c if c.is_whitespace() => out.extend(word.take()),
            '#' => break,
            '\'' | '"' => {
                begin(&mut word, at + i);
                quote = Some((c, i));
            }
            '\\' => {
                let w = begin(&mut word, at + i);
                match chars.next() {
                    Some((_, n)) => w.text.push(n),
                    None => {
                        let span = Span::new(at + i, at + i + 1);
                        return Err((span, InventoryErrorKind::TrailingBackslash));
                    }
                }
            }
            _ => {
                let w = begin(&mut word, at + i);
                if c == '=' && w.eq.is_none() {
                    w.eq = Some(at + i);
                }
                w.text.push(c);
            }
        }
    }
    if let Some((q, i)) = quote {
        let span = Span::new(at + i, at + i + 1);
        return Err((span, InventoryErrorKind::UnclosedQuote { quote: q }));
    }
    out.extend(word);
    Ok(out)
}

fn host_line(content: &str, at: usize, group: usize, b: &mut Builder) {
    let words = match words(content, at) {
        Ok(w) => w,
        Err((span, kind)) => return b.problem(span, kind),
    };
    let mut words = words.into_iter();
    let Some(first) = words.next() else {
        return; // a comment after spaces
    };
    let pattern_span = Span::new(first.start, first.start + first.text.len());
    if first.eq.is_some() {
        let kind = InventoryErrorKind::VariableAsHost {
            token: first.text,
            group: b.groups[group].name.clone(),
        };
        return b.problem(pattern_span, kind);
    }
    let hosts = b.add_hosts(group, &first.text, pattern_span);
    for word in words {
        let span = Span::new(word.start, word.start + word.text.len());
        match word.text.split_once('=') {
            Some((key, value)) if !key.is_empty() => {
                let value_at = word.eq.map_or(word.start, |e| e + 1);
                let value_span = Span::new(value_at, value_at + value.len());
                b.set_host_var(&hosts, key, Value::String(value.into()), value_span);
            }
            _ => {
                let kind = InventoryErrorKind::BadHostVar {
                    host: first.text.clone(),
                    token: word.text,
                };
                b.problem(span, kind);
            }
        }
    }
}

fn child_line(content: &str, span: Span, parent: usize, b: &mut Builder) {
    let name = content.split('#').next().unwrap_or("").trim_end();
    if name.is_empty() || name.contains(|c: char| c.is_whitespace() || c == ':' || c == ']') {
        let kind = InventoryErrorKind::BadChildLine {
            parent: b.groups[parent].name.clone(),
            line: content.to_string(),
        };
        return b.problem(span, kind);
    }
    let name_span = Span::new(span.start, span.start + name.len());
    if let Some(child) = b.group(name, name_span) {
        b.add_child(parent, child, name_span);
    }
}

fn var_line(content: &str, span: Span, group: usize, b: &mut Builder) {
    let Some((key, value)) = content.split_once('=') else {
        let kind = InventoryErrorKind::BadGroupVar {
            group: b.groups[group].name.clone(),
            line: content.to_string(),
        };
        return b.problem(span, kind);
    };
    let key = key.trim();
    if key.is_empty() {
        let kind = InventoryErrorKind::BadGroupVar {
            group: b.groups[group].name.clone(),
            line: content.to_string(),
        };
        return b.problem(span, kind);
    }
    let raw = value.trim();
    let value_at = span.end - raw.len();
    let value = unquote(raw);
    b.set_group_var(
        group,
        key,
        Value::String(value.into()),
        Span::new(value_at, span.end),
    );
}

/// A value wholly in matching quotes, without them.
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if value.len() >= 2
            && let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q))
        {
            return inner;
        }
    }
    value
}

/// Child groups and `:vars` sections naming groups that no section declares.
fn undefined_groups(b: &mut Builder) {
    let declared: Vec<String> = b
        .groups
        .iter()
        .filter(|g| g.declared)
        .map(|g| g.name.clone())
        .collect();
    let suggest =
        |name: &str| did_you_mean(name, declared.iter().map(String::as_str)).map(str::to_string);
    let mut found = Vec::new();
    for g in &b.groups {
        for &(child, span) in &g.children {
            let c = &b.groups[child];
            if !c.declared {
                let kind = InventoryErrorKind::UndefinedChild {
                    parent: g.name.clone(),
                    child: c.name.clone(),
                    is_host: b.is_host(&c.name),
                    suggestion: suggest(&c.name),
                };
                found.push((span, kind));
            }
        }
        if let (false, Some(span)) = (g.declared, g.vars_section) {
            let kind = InventoryErrorKind::VarsForUndefinedGroup {
                group: g.name.clone(),
                suggestion: suggest(&g.name),
            };
            found.push((span, kind));
        }
    }
    for (span, kind) in found {
        b.problem(span, kind);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, Inventory, InventoryError, InventoryErrorKind as K, NameProblem};
    use std::path::Path;

    fn ini(text: &str) -> Inventory {
        match Inventory::parse_as(Format::Ini, Path::new("hosts"), text) {
            Ok(inventory) => inventory,
            Err(errors) => panic!("{text}\n{errors:#?}"),
        }
    }

    fn errors(text: &str) -> Vec<InventoryError> {
        Inventory::parse_as(Format::Ini, Path::new("hosts"), text).unwrap_err()
    }

    fn names(inventory: &Inventory, group: &str) -> Vec<String> {
        let hosts = inventory.resolve(group).unwrap_or_default();
        hosts.iter().map(|h| h.name.clone()).collect()
    }

    const EXAMPLE: &str = "\
# an inventory
; a comment in the other style
bastion ansible_host=203.0.113.7 ansible_user='ops'

[web]
web[01:03].example.com ansible_user=\"deploy\"   # the web tier
web-canary:2222 region=eu-west
  db-1   # indented, and in two groups

[db:hosts]
db-1 ansible_host=10.0.0.5 ansible_port=5522 ansible_user=dba
db-[a:b] note=\"a \\\"quoted\\\" value\" empty=

[web:vars]
ansible_port = 2200
ansible_user = \"web-admin\"

[prod:children]
web
db   # a comment
";

    #[test]
    fn reads_hosts_groups_and_variables() {
        let inv = ini(EXAMPLE);
        let all: Vec<&str> = inv.host_names().collect();
        assert_eq!(
            all,
            [
                "bastion",
                "web01.example.com",
                "web02.example.com",
                "web03.example.com",
                "web-canary",
                "db-1",
                "db-a",
                "db-b"
            ]
        );
        let bastion = inv.host("bastion").unwrap();
        assert_eq!(bastion.address.as_deref(), Some("203.0.113.7"));
        assert_eq!(bastion.user.as_deref(), Some("ops"));
        assert_eq!(bastion.port, None);
        assert_eq!((bastion.at.line, bastion.at.column), (3, 1));
        let web1 = inv.host("web01.example.com").unwrap();
        assert_eq!(web1.user.as_deref(), Some("deploy"), "the host's own wins");
        assert_eq!(web1.port, Some(2200), "from [web:vars]");
        assert_eq!(web1.address, None);
        let canary = inv.host("web-canary").unwrap();
        assert_eq!(canary.port, Some(2222), "name:port");
        assert_eq!(canary.user.as_deref(), Some("web-admin"));
        assert_eq!(canary.vars["region"], "eu-west");
        let db1 = inv.host("db-1").unwrap();
        assert_eq!(db1.address.as_deref(), Some("10.0.0.5"));
        assert_eq!((db1.port, db1.user.as_deref()), (Some(5522), Some("dba")));
        assert_eq!((db1.at.line, db1.at.column), (8, 3));
        let dba = inv.host("db-a").unwrap();
        assert_eq!(dba.vars["note"], "a \"quoted\" value");
        assert_eq!(dba.vars["empty"], "");
        assert_eq!(dba.port, None, "web's vars do not reach db");
        assert_eq!(
            names(&inv, "web"),
            [
                "web01.example.com",
                "web02.example.com",
                "web03.example.com",
                "web-canary",
                "db-1"
            ]
        );
        assert_eq!(names(&inv, "db"), ["db-1", "db-a", "db-b"]);
        assert_eq!(names(&inv, "prod").len(), 7, "db-1 once");
        assert_eq!(names(&inv, "ungrouped"), ["bastion"]);
        assert_eq!(names(&inv, "all").len(), 8);
        assert_eq!(names(&inv, "db-a"), ["db-a"]);
        assert_eq!(inv.resolve("nope"), None);
        let groups: Vec<&str> = inv.group_names().collect();
        assert_eq!(groups, ["all", "db", "prod", "ungrouped", "web"]);
        assert_eq!(inv.group("prod").unwrap().children, ["web", "db"]);
    }

    #[test]
    fn group_variables_reach_children_unless_the_host_sets_them() {
        let inv = ini("\
[all:vars]
ansible_user=root
[eu:children]
web
[eu:vars]
ansible_port=2222
ansible_user=eu-admin
[web]
web-1
web-2 ansible_user=alice
web-3:2200
[web:vars]
ansible_user=deploy
[db]
db-1
[a]
both
[b]
both
[a:vars]
ansible_user=from-a
[b:vars]
ansible_user=from-b
[p]
pri
[q]
pri
[p:vars]
ansible_user=from-p
ansible_group_priority=10
[q:vars]
ansible_user=from-q
");
        let user = |h: &str| inv.host(h).unwrap().user.clone();
        let port = |h: &str| inv.host(h).unwrap().port;
        assert_eq!(
            user("web-1").as_deref(),
            Some("deploy"),
            "deeper group wins"
        );
        assert_eq!(port("web-1"), Some(2222), "from the parent group");
        assert_eq!(user("web-2").as_deref(), Some("alice"));
        assert_eq!(port("web-3"), Some(2200));
        assert_eq!(user("db-1").as_deref(), Some("root"), "from all");
        assert_eq!(port("db-1"), None);
        assert_eq!(
            user("both").as_deref(),
            Some("from-b"),
            "same depth: later name"
        );
        assert_eq!(user("pri").as_deref(), Some("from-p"), "higher priority");
    }

    #[test]
    fn old_ssh_variable_names_count() {
        let inv = ini(
            "h ansible_ssh_host=10.0.0.1 ansible_ssh_port=2200 ansible_ssh_user=u\n\
                       g ansible_ssh_host=10.0.0.2 ansible_host=10.0.0.3\n",
        );
        let h = inv.host("h").unwrap();
        assert_eq!(h.address.as_deref(), Some("10.0.0.1"));
        assert_eq!((h.port, h.user.as_deref()), (Some(2200), Some("u")));
        assert_eq!(inv.host("g").unwrap().address.as_deref(), Some("10.0.0.3"));
    }

    #[test]
    fn a_host_may_be_listed_again_and_ungrouped_is_only_the_rest() {
        let inv = ini("\
a
[ungrouped]
b
c
[web]
c ansible_port=1
a
c ansible_port=2
");
        assert_eq!(names(&inv, "ungrouped"), ["b"]);
        assert_eq!(names(&inv, "web"), ["a", "c"]);
        assert_eq!(inv.host("c").unwrap().port, Some(2), "the later value wins");
        assert_eq!(inv.group("web").unwrap().hosts, ["c", "a"]);
    }

    #[test]
    fn empty_and_comment_only_files_are_empty_inventories() {
        for text in ["", "\n\n", "# nothing\n; here\n", "   \r\n"] {
            let inv = ini(text);
            assert!(inv.hosts().is_empty(), "{text:?}");
            assert_eq!(inv.resolve("all").unwrap().len(), 0);
        }
        let inv = ini("[empty]\n[parent:children]\nempty\n");
        assert_eq!(inv.resolve("parent").unwrap().len(), 0);
    }

    /// (text, line, column, what the message says)
    const BAD: &[(&str, usize, usize, &str)] = &[
        (
            "[web]\nweb-1 ansible_port=abc\n",
            2,
            20,
            "port `abc` is not a port number",
        ),
        ("[web]\nweb-1 ansible_port=70000\n", 2, 20, "port `70000`"),
        ("[web]\nweb-1 ansible_port=0\n", 2, 20, "port `0`"),
        ("[web]\nweb-1:abc\n", 2, 1, "port `abc`"),
        (
            "[web]\nweb-1\n[web:vars]\nansible_port=x\n",
            4,
            14,
            "port `x`",
        ),
        (
            "[web\nh\n",
            1,
            1,
            "malformed section header `[web`: no closing `]`",
        ),
        ("[web] hosts\n", 1, 1, "text after the closing `]`"),
        ("[]\n", 1, 1, "no group name"),
        ("[:vars]\n", 1, 1, "no group name"),
        ("[web servers]\n", 1, 1, "a space in the group name"),
        ("[web:]\n", 1, 1, "nothing after `:`"),
        ("  [web:foo]\n", 1, 3, "unknown type `:foo`"),
        (
            "[web]\nweb[3:1]\n",
            2,
            1,
            "bad host range in `web[3:1]`: the start `3` is after the end `1`",
        ),
        (
            "[web]\nweb[01:zz]\n",
            2,
            1,
            "bad host range in `web[01:zz]`",
        ),
        ("[web]\nweb[1:100001]\n", 2, 1, "expands to 100001 hosts"),
        (
            "[a:children]\nb\n[b:children]\na\n",
            4,
            1,
            "groups contain each other: `a` → `b` → `a`",
        ),
        ("[a:children]\na\n", 2, 1, "`a` → `a`"),
        (
            "[a:children]\nmissing\n",
            2,
            1,
            "`[a:children]` includes `missing`, a group that is never defined",
        ),
        (
            "[db:vars]\nx=1\n",
            1,
            2,
            "`[db:vars]` sets variables of `db`",
        ),
        ("[web]\n-web\n", 2, 1, "host name `-web` starts with `-`"),
        (
            "[web]\n\"web 1\"\n",
            2,
            1,
            "host name `web 1` contains whitespace",
        ),
        (
            "[web]\nweb-1 ansible_host=-oProxyCommand=x\n",
            2,
            20,
            "address (`ansible_host`) `-oProxyCommand=x` starts with `-`",
        ),
        (
            "[web]\nweb-1 ansible_user=\"\"\n",
            2,
            20,
            "empty user (`ansible_user`)",
        ),
        (
            "[web]\nweb-1 foo\n",
            2,
            7,
            "`foo` after host `web-1` is not a `key=value` variable",
        ),
        ("[web]\nweb-1 =x\n", 2, 7, "`=x` after host"),
        (
            "[web]\n[web:vars]\nfoo\n",
            3,
            1,
            "`foo` in `[web:vars]` is not a `key=value` variable",
        ),
        ("[web]\n[web:vars]\n = x\n", 3, 2, "in `[web:vars]`"),
        (
            "[web]\nansible_user=deploy\n",
            2,
            1,
            "`ansible_user=deploy` stands where a host name of group `web` should be",
        ),
        (
            "[web]\nweb-1 ansible_user=\"deploy\n",
            2,
            20,
            "the quote `\"` is never closed",
        ),
        ("[web]\nweb-1 a=b\\\n", 2, 10, "escapes nothing"),
        (
            "[web:children]\na b\n",
            2,
            1,
            "`a b` in `[web:children]` is not one group name",
        ),
        (
            "[web:children]\nall\n",
            2,
            1,
            "group `all` is listed as a child of `web`",
        ),
        (
            "[web]\nh\n[web:vars]\nansible_group_priority=high\n",
            4,
            24,
            "`ansible_group_priority` is `high`",
        ),
        (
            "[w\u{e9}b]\nh\x07\n",
            2,
            1,
            "contains the control character U+0007",
        ),
        (
            "h\n[g\x1b]\n",
            2,
            2,
            "group name `g␛` contains the control character U+001B",
        ),
    ];

    #[test]
    fn every_problem_has_its_position_and_help() {
        for (text, line, column, says) in BAD {
            let errors = errors(text);
            let e = &errors[0];
            assert_eq!(
                (e.line, e.column),
                (*line, *column),
                "{text:?}: {errors:#?}"
            );
            assert!(e.message().contains(says), "{text:?}: {}", e.message());
            assert!(!e.help().is_empty());
            let shown = e.to_string();
            assert!(
                shown.starts_with(&format!("line {line}, column {column}: ")),
                "{shown}"
            );
            assert!(shown.contains("\nhelp: "), "{shown}");
        }
    }

    #[test]
    fn helps_point_at_the_fix() {
        let help = |text: &str| errors(text)[0].help();
        assert_eq!(
            help("[web]\nh\n[prod:children]\nwebb\n"),
            "did you mean `web`?"
        );
        assert!(help("[g]\nweb-1\n[a:children]\nweb-1\n").contains("`web-1` is a host"));
        assert_eq!(
            help("[web]\nh\n[wbe:vars]\nx=1\n"),
            "did you mean `[web:vars]`?"
        );
        assert!(help("[web]\n-web\n").contains("option"));
        assert!(help("[web]\nansible_user=x\n").contains("`[web:vars]`"));
        let e = &errors("[web:children]\nmissing\n")[0];
        assert!(matches!(&e.kind, K::UndefinedChild { child, .. } if child == "missing"));
        let e = &errors("[web]\n\"a b\"\n")[0];
        assert!(matches!(
            e.kind,
            K::BadName {
                problem: NameProblem::Whitespace(' '),
                ..
            }
        ));
    }

    #[test]
    fn every_problem_of_a_file_is_reported_in_order() {
        let errors = errors("[web]\nweb-1 ansible_port=x\n[bad\n[db]\n-db\n[p:children]\nnope\n");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 5, 7], "{errors:#?}");
    }

    #[test]
    fn long_chains_of_children_neither_recurse_nor_take_quadratic_time() {
        let n = 50_000;
        let mut text = String::new();
        for i in 0..n {
            text.push_str(&format!("[g{i}:children]\ng{}\n", i + 1));
        }
        text.push_str(&format!("[g{n}]\nleaf\n[g0:vars]\nansible_user=top\n"));
        let inv = ini(&text);
        assert_eq!(names(&inv, "g0"), ["leaf"]);
        assert_eq!(inv.host("leaf").unwrap().user.as_deref(), Some("top"));
        text.push_str(&format!("[g{n}:children]\ng0\n"));
        let found = errors(&text);
        assert!(
            matches!(&found[0].kind, K::ChildrenCycle { cycle } if cycle.len() == n + 2),
            "{:?}",
            found[0].message().chars().take(100).collect::<String>()
        );
    }

    #[test]
    fn budgets_stop_huge_files() {
        // 10 MB of hosts: refused at the 100,001st, without reading on.
        let mut text = String::with_capacity(10 << 20);
        let mut i = 0;
        while text.len() < 10 << 20 {
            text.push_str(&format!("host-{i} ansible_port=22\n"));
            i += 1;
        }
        let found = errors(&text);
        assert_eq!(found.len(), 1);
        assert!(matches!(found[0].kind, K::TooManyHosts { limit: 100_000 }));
        assert_eq!(found[0].line, 100_001);
        // 10 MB of groups.
        let mut text = String::with_capacity(10 << 20);
        while text.len() < 10 << 20 {
            text.push_str(&format!("[g{i}]\n"));
            i += 1;
        }
        let found = errors(&text);
        assert!(matches!(found[0].kind, K::TooManyGroups { .. }));
        // 10 MB of one range each line: the second range crosses the budget.
        let text = "[web]\nweb[1:60000]\n".repeat(1 << 19);
        let found = errors(&text);
        assert_eq!(found.len(), 1);
        assert!(matches!(found[0].kind, K::TooManyHosts { .. }));
        // Many bad lines: at most 100 problems.
        let text = "[web]\nweb-1 bad\n".repeat(10_000);
        assert_eq!(errors(&text).len(), super::super::MAX_PROBLEMS);
    }
}
