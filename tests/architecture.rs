//! Dependencies point down (docs/ARCHITECTURE.md, "Layers"): no file of `src/` imports one
//! that imports it back (no cycles between files), and no layer reaches above itself.
//!
//! Each file's references (`use` trees and paths: `crate::…`, `super::…`, `self::…`, a child
//! module's name) are resolved to the file that defines the item, through `pub use`
//! re-exports (glob ones too). Test modules (`#[cfg(test)] mod tests`) are left out.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each layer may not import.
const FORBIDDEN: &[(&[&str], &[&str])] = &[
    (
        &[
            "load", "graph", "template", "shell", "fleet", "values", "suggest",
        ],
        &[
            "lint", "exec", "commands", "render", "report", "show", "cli", "config", "store",
        ],
    ),
    (
        &["lint"],
        &[
            "exec", "commands", "report", "show", "cli", "config", "store",
        ],
    ),
    (
        &["exec"],
        &[
            "lint", "commands", "render", "show", "cli", "config", "store",
        ],
    ),
    (
        &["render", "report", "show"],
        &["commands", "cli", "config", "store"],
    ),
    (
        &["config"],
        &[
            "exec", "commands", "render", "report", "show", "cli", "store",
        ],
    ),
    (&["store"], &["lint", "commands", "render", "show", "cli"]),
    // `fleet` (inventories, a step's hosts, batches) stands on `load`, `values` and `suggest`
    // only, which never import it back.
    (&["fleet"], &["graph", "template", "shell", "import"]),
    (&["load", "values", "suggest"], &["fleet"]),
];

struct Module {
    file: PathBuf,
    /// Whether it is a folder's `mod.rs` (or `lib.rs`): `super` is then its parent.
    text: String,
    /// Items it defines, by name.
    defines: BTreeSet<String>,
    /// `pub use` re-exports: name → path as written; and glob re-exports.
    exports: BTreeMap<String, String>,
    globs: Vec<String>,
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its test module, comments and string literals.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && i + 2 < b.len() && (b[i + 2] == b'\'' || b[i + 1] == b'\\') {
            // A character literal such as '"' or '\''.
            let end = text[i + 1..].find('\'').map_or(b.len(), |n| i + 1 + n + 1);
            let end = if b[i + 1] == b'\\' {
                text[i + 3..].find('\'').map_or(b.len(), |n| i + 3 + n + 1)
            } else {
                end
            };
            i = end;
            out.push_str("' '");
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or("").trim();
        return vec![path.to_string()];
    };
    let prefix = tree[..open].trim().trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut current) = (0, String::new());
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    let mut out = Vec::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if part == "self" {
            out.push(prefix.to_string());
            continue;
        }
        for path in expand(part) {
            out.push(if prefix.is_empty() {
                path
            } else {
                format!("{prefix}::{path}")
            });
        }
    }
    out
}

/// Every path the code names: the paths of `use` trees, and `a::b::c` elsewhere.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    let mut plain = String::new();
    while let Some(i) = rest.find("use ") {
        let at_start = i == 0 || !is_ident(rest[..i].chars().last().unwrap_or(' '));
        if !at_start {
            plain.push_str(&rest[..i + 4]);
            rest = &rest[i + 4..];
            continue;
        }
        plain.push_str(&rest[..i]);
        let end = rest[i..].find(';').map_or(rest.len(), |n| i + n);
        out.extend(expand(&rest[i + 4..end]));
        rest = &rest[end..];
    }
    plain.push_str(rest);
    let chars: Vec<char> = plain.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts =
            is_ident(chars[i]) && (i == 0 || !(is_ident(chars[i - 1]) || chars[i - 1] == ':'));
        if !starts {
            i += 1;
            continue;
        }
        let mut words = Vec::new();
        let mut j = i;
        loop {
            let start = j;
            while j < chars.len() && is_ident(chars[j]) {
                j += 1;
            }
            words.push(chars[start..j].iter().collect::<String>());
            if chars.get(j) == Some(&':')
                && chars.get(j + 1) == Some(&':')
                && chars.get(j + 2).is_some_and(|c| is_ident(*c))
            {
                j += 2;
            } else {
                break;
            }
        }
        if words.len() > 1 {
            out.push(words.join("::"));
        }
        i = j.max(i + 1);
    }
    out
}

fn load() -> BTreeMap<String, Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut modules = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        if parts == ["main"] {
            continue;
        }
        if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
            parts.pop();
        }
        let text = code_of(&std::fs::read_to_string(&file).unwrap());
        let mut defines = BTreeSet::new();
        let mut exports = BTreeMap::new();
        let mut globs = Vec::new();
        for (at, _) in text.match_indices("pub use ") {
            let end = text[at..].find(';').map_or(text.len(), |n| at + n);
            for path in expand(&text[at + 8..end]) {
                match path.strip_suffix("::*") {
                    Some(glob) => globs.push(glob.to_string()),
                    None => {
                        let name = path.rsplit("::").next().unwrap_or("").to_string();
                        exports.insert(name, path);
                    }
                }
            }
        }
        for line in text.lines() {
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("pub ")
                .or_else(|| line.strip_prefix("pub(crate) "))
            else {
                continue;
            };
            if rest.starts_with("use ") {
                continue;
            }
            for kind in [
                "struct ", "enum ", "fn ", "const ", "static ", "type ", "trait ", "mod ",
            ] {
                if let Some(name) = rest.strip_prefix(kind) {
                    let name: String = name.chars().take_while(|c| is_ident(*c)).collect();
                    defines.insert(name);
                }
            }
        }
        modules.insert(
            parts.join("::"),
            Module {
                file,
                text,
                defines,
                exports,
                globs,
            },
        );
    }
    modules
}

/// A path as written in module `from` → the module path it starts from, absolute.
fn absolute(modules: &BTreeMap<String, Module>, from: &str, path: &str) -> Option<Vec<String>> {
    let parts: Vec<String> = path.split("::").map(str::to_string).collect();
    let mut base: Vec<String> = if from.is_empty() {
        Vec::new()
    } else {
        from.split("::").map(str::to_string).collect()
    };
    let mut rest = &parts[..];
    match rest.first().map(String::as_str) {
        Some("crate") => return Some(parts[1..].to_vec()),
        Some("self") => rest = &rest[1..],
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) => {
            let mut child = base.clone();
            child.push(first.to_string());
            if !modules.contains_key(&child.join("::")) {
                return None; // another crate, a type's associated item, an enum variant
            }
        }
        None => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The module (file) defining what an absolute path names.
fn resolve(modules: &BTreeMap<String, Module>, path: &[String], depth: u8) -> Option<String> {
    for n in (0..=path.len()).rev() {
        let module = path[..n].join("::");
        let Some(m) = modules.get(&module) else {
            continue;
        };
        let Some(name) = path.get(n) else {
            return Some(module);
        };
        if depth < 8 && !m.defines.contains(name) {
            if let Some(target) = m.exports.get(name) {
                let to = absolute(modules, &module, target)?;
                let mut full = to;
                full.extend(path[n + 1..].iter().cloned());
                return resolve(modules, &full, depth + 1);
            }
            for glob in &m.globs {
                let Some(mut to) = absolute(modules, &module, glob) else {
                    continue;
                };
                let Some(target) = modules.get(&to.join("::")) else {
                    continue;
                };
                if target.defines.contains(name) || target.exports.contains_key(name) {
                    to.extend(path[n..].iter().cloned());
                    return resolve(modules, &to, depth + 1);
                }
            }
        }
        return Some(module);
    }
    None
}

fn edges(modules: &BTreeMap<String, Module>) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (name, m) in modules {
        let mut to: BTreeMap<String, String> = BTreeMap::new();
        for path in paths(&m.text) {
            let Some(abs) = absolute(modules, name, &path) else {
                continue;
            };
            if let Some(target) = resolve(modules, &abs, 0)
                && target != *name
                && !target.is_empty()
            {
                to.entry(target).or_insert(path);
            }
        }
        out.insert(name.clone(), to);
    }
    out
}

/// The groups of files that import each other (strongly connected, more than one file).
fn cycles(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    // Tarjan, iteratively.
    let names: Vec<&String> = graph.keys().collect();
    let index_of: BTreeMap<&String, usize> =
        names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let n = names.len();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut counter) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut next)) = work.last_mut() {
            if *next == 0 {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on[v] = true;
            }
            let succ: Vec<usize> = graph[names[v]]
                .keys()
                .filter_map(|t| index_of.get(t).copied())
                .collect();
            if let Some(&w) = succ.get(*next) {
                *next += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut group = Vec::new();
                while let Some(w) = stack.pop() {
                    on[w] = false;
                    group.push(names[w].clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    out.push(group);
                }
            }
        }
    }
    out
}

#[test]
fn no_file_imports_a_file_that_imports_it() {
    let modules = load();
    let graph = edges(&modules);
    let found = cycles(&graph);
    let shown: Vec<String> = found
        .iter()
        .map(|group| {
            let links: Vec<String> = group
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|(b, _)| group.contains(b))
                        .map(move |(b, how)| format!("    {a} -> {b} (`{how}`)"))
                })
                .collect();
            format!("  {}:\n{}", group.join(", "), links.join("\n"))
        })
        .collect();
    assert!(
        found.is_empty(),
        "files that import each other:\n{}",
        shown.join("\n")
    );
}

#[test]
fn layers_import_only_below_them() {
    let modules = load();
    let graph = edges(&modules);
    let mut wrong = Vec::new();
    for (from, to) in &graph {
        let top = from.split("::").next().unwrap_or("");
        for (target, how) in to {
            let target_top = target.split("::").next().unwrap_or("");
            if FORBIDDEN
                .iter()
                .any(|(layer, above)| layer.contains(&top) && above.contains(&target_top))
            {
                wrong.push(format!(
                    "  {} imports {target} (`{how}`)",
                    modules[from].file.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_imports() {
    // The check itself: a use tree, a path, a re-export and a glob are followed.
    assert_eq!(
        expand("super::{a, b::{c, d as e}}"),
        ["super::a", "super::b::c", "super::b::d"]
    );
    let p = paths("use crate::x::{Y, z::W};\nfn f() { crate::q::r(); super::s::T::new(); }");
    assert!(p.contains(&"crate::x::Y".to_string()), "{p:?}");
    assert!(p.contains(&"crate::q::r".to_string()), "{p:?}");
    assert!(p.contains(&"super::s::T::new".to_string()), "{p:?}");
    let modules = load();
    let graph = edges(&modules);
    // lint rules import `crate::lint::{Context, …}`, re-exported by lint/mod.rs.
    assert!(
        graph["lint::rules::raw_substitution"].contains_key("lint::context"),
        "{:?}",
        graph["lint::rules::raw_substitution"]
    );
}

#[test]
fn fleet_imports_only_load_values_and_suggest() {
    // The list above names what `fleet` may not import; this checks it the other way round,
    // so that a layer added later is not allowed by default.
    let modules = load();
    let graph = edges(&modules);
    let mut wrong = Vec::new();
    for (from, to) in &graph {
        if from.split("::").next() != Some("fleet") {
            continue;
        }
        for (target, how) in to {
            let top = target.split("::").next().unwrap_or("");
            if !["fleet", "load", "values", "suggest"].contains(&top) {
                wrong.push(format!("  {from} imports {target} (`{how}`)"));
            }
        }
    }
    // The check sees fleet's imports at all.
    assert!(
        graph["fleet::name"].contains_key("values::visible"),
        "{:?}",
        graph["fleet::name"]
    );
    assert!(graph["fleet::ini"].contains_key("fleet::builder"));
    assert!(wrong.is_empty(), "fleet imports:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_finds_cycles() {
    let edge = |to: &str| BTreeMap::from([(to.to_string(), String::new())]);
    let graph = BTreeMap::from([
        ("a".to_string(), edge("b")),
        ("b".to_string(), edge("a")),
        ("c".to_string(), edge("a")),
    ]);
    assert_eq!(cycles(&graph), [["a", "b"]]);
}
