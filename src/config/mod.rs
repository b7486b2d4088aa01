//! `runbook.toml`: a repository's settings, found from the working folder upwards (up to the
//! folder holding `.git`, or `/`) or given with `--config FILE`.
//!
//! ```toml
//! [paths]
//! runbooks = ["ops/runbooks"]       # searched after ./runbooks, before RUNBOOK_PATH
//!
//! [lint]
//! select = ["RB001", "RB027"]       # only these rules (codes or names); default: all
//! ignore = ["missing-metadata"]     # never these
//! shellcheck = false                # default: when it is installed
//!
//! [lint.severity]
//! RB029 = "error"
//!
//! [run]
//! state_dir = "/var/lib/runbook"    # where runs are recorded
//! ```
//!
//! Command-line flags win over the file, the file over the environment's defaults
//! (`RUNBOOK_STATE_DIR`, `XDG_STATE_HOME`). A file that does not read is an error at
//! `runbook.toml:line:col`, never a silent fall back to the defaults.

use crate::lint::Severity;
use crate::load::{Source, Span};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml_edit::{Document, Item, Table, Value};

pub const FILE_NAME: &str = "runbook.toml";

/// Where a setting's value comes from, for `runbook config`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Default,
    /// `runbook.toml:line:col`.
    File(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub origin: Origin,
}

impl<T: Default> Default for Setting<T> {
    fn default() -> Self {
        Setting {
            value: T::default(),
            origin: Origin::Default,
        }
    }
}

/// The settings of a repository (all defaults without a file).
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// `[paths] runbooks`, relative to the file's folder.
    pub runbooks: Setting<Vec<PathBuf>>,
    /// `[lint] select`: rule codes; empty for every rule.
    pub select: Setting<Vec<String>>,
    /// `[lint] ignore`: rule codes.
    pub ignore: Setting<Vec<String>>,
    /// `[lint.severity]`: code → severity.
    pub severity: BTreeMap<String, Setting<Severity>>,
    /// `[lint] shellcheck`.
    pub shellcheck: Setting<Option<bool>>,
    /// `[run] state_dir`, relative to the file's folder.
    pub state_dir: Setting<Option<PathBuf>>,
    /// `[store] url`: the team store (PostgreSQL), in libpq's conventions.
    pub store_url: Setting<Option<String>>,
    /// `[fleet] inventory`: the Ansible inventory of steps with `on:` whose runbook names
    /// none, relative to the file's folder.
    pub inventory: Setting<Option<PathBuf>>,
    /// `[fleet] ssh_config`: the ssh config given to `ssh -F`, relative to the file's folder.
    pub ssh_config: Setting<Option<PathBuf>>,
}

/// A configuration file that cannot be used: where, what, and what to do.
#[derive(Debug)]
pub struct ConfigError {
    pub source: Source,
    pub span: Span,
    pub message: String,
    pub help: String,
}

/// The rules whose findings mean the file cannot be read as a runbook at all: never
/// deselected, ignored or made warnings (a run refuses such a file whatever lint says).
pub const FIXED: &[&str] = &["RB001", "RB002", "RB003", "RB004", "RB005"];

impl Config {
    /// Whether lint reports rule `code` at all.
    pub fn selects(&self, code: &str) -> bool {
        FIXED.contains(&code)
            || ((self.select.value.is_empty() || self.select.value.iter().any(|c| c == code))
                && !self.ignore.value.iter().any(|c| c == code))
    }

    /// Applies the rules selected and the severities set to lint's diagnostics (for
    /// `runbook lint`, and for the check a run makes before it starts).
    pub fn apply(&self, diagnostics: &mut Vec<crate::lint::Diagnostic>) {
        diagnostics.retain(|d| self.selects(&d.code));
        for d in diagnostics.iter_mut() {
            if let Some(s) = self.severity.get(&d.code) {
                d.severity = s.value;
            }
        }
    }
}

/// The configuration the commands run with, set once at start.
static ACTIVE: std::sync::OnceLock<Config> = std::sync::OnceLock::new();

/// Sets the configuration of this process (only the first call counts).
pub fn activate(config: Config) {
    let _ = ACTIVE.set(config);
}

/// The configuration of this process: the defaults before `activate`.
pub fn active() -> Config {
    ACTIVE.get().cloned().unwrap_or_default()
}

/// The file `--config FILE` names, or the first `runbook.toml` from `start` upwards (the
/// search stops at the folder holding `.git`, or at `/`).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if d.join(".git").exists() {
            return None;
        }
        dir = d.parent();
    }
    None
}

/// Reads the configuration: `explicit` (`--config FILE`), else the one found from the
/// working folder; the defaults when there is none.
pub fn load(explicit: Option<&Path>) -> Result<Config, Box<ConfigError>> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => std::env::current_dir().ok().and_then(|d| discover(&d)),
    };
    let Some(path) = path else {
        return Ok(Config::default());
    };

    let text = std::fs::read_to_string(&path).map_err(|e| {
        Box::new(ConfigError {
            source: Source::new(&path, String::new()),
            span: Span::at(0),
            message: format!("cannot read {}: {e}", path.display()),
            help: if explicit.is_some() {
                "check the path given to --config".into()
            } else {
                "check the file's permissions, or remove it".into()
            },
        })
    })?;
    let mut config = parse(&path, text)?;
    // The folders of runbooks relative to the working folder, as lint names the files in
    // them (`ops/runbooks/x.yaml`, `../ops/…`), whichever folder the file was found in.
    if let Ok(cwd) = std::env::current_dir() {
        for folder in &mut config.runbooks.value {
            *folder = relative_to(folder, &cwd);
        }
    }
    Ok(config)
}

/// `path` relative to `base` when both are absolute (`../x` where needed).
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    if !path.is_absolute() || !base.is_absolute() {
        return path.to_path_buf();
    }
    let ours: Vec<_> = path.components().collect();
    let theirs: Vec<_> = base.components().collect();
    let common = ours.iter().zip(&theirs).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..theirs.len() {
        out.push("..");
    }
    for c in &ours[common..] {
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// Reads the text of a configuration file at `path`.
pub fn parse(path: &Path, text: String) -> Result<Config, Box<ConfigError>> {
    let source = Source::new(path, text);
    let doc = match Document::parse(source.text.clone()) {
        Ok(doc) => doc,
        Err(e) => {
            let span = e
                .span()
                .map_or(Span::at(0), |r| Span::new(r.start, r.end.max(r.start)));
            let message = e.message().trim_end().to_string();
            return Err(Box::new(ConfigError {
                source,
                span,
                message: format!("{FILE_NAME} is not valid TOML: {message}"),
                help: "fix the TOML syntax at this position (https://toml.io)".into(),
            }));
        }
    };
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut reader = Reader {
        source: &source,
        config: Config {
            file: Some(path.to_path_buf()),
            ..Config::default()
        },
        error: None,
    };
    reader.root(doc.as_table(), &base);
    match reader.error {
        Some((span, message, help)) => Err(Box::new(ConfigError {
            source,
            span,
            message,
            help,
        })),
        None => Ok(reader.config),
    }
}

struct Reader<'a> {
    source: &'a Source,
    config: Config,
    /// The first problem found.
    error: Option<(Span, String, String)>,
}

const SECTIONS: &[&str] = &["paths", "lint", "run", "store", "fleet"];
const PATHS_KEYS: &[&str] = &["runbooks"];
const LINT_KEYS: &[&str] = &["select", "ignore", "severity", "shellcheck"];
const RUN_KEYS: &[&str] = &["state_dir"];
const STORE_KEYS: &[&str] = &["url"];
const FLEET_KEYS: &[&str] = &["inventory", "ssh_config"];

fn span_of(range: Option<std::ops::Range<usize>>) -> Span {
    range.map_or(Span::at(0), |r| Span::new(r.start, r.end))
}

impl Reader<'_> {
    fn fail(&mut self, span: Span, message: String, help: String) {
        if self.error.is_none() {
            self.error = Some((span, message, help));
        }
    }

    fn origin(&self, span: Span) -> Origin {
        let p = self.source.position(span.start);
        Origin::File(format!("{FILE_NAME}:{}:{}", p.line, p.column))
    }

    /// Checks that `table` has only `allowed` keys; returns its entries.
    fn keys<'t>(
        &mut self,
        table: &'t Table,
        allowed: &[&str],
        what: &str,
    ) -> Vec<(&'t str, Span, &'t Item)> {
        let mut out = Vec::new();
        for (key, item) in table.iter() {
            let span = span_of(table.key(key).and_then(|k| k.span()));
            if !allowed.contains(&key) {
                let hint = crate::suggest::did_you_mean(key, allowed.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                self.fail(
                    span,
                    format!("unknown key `{key}` in {what}"),
                    format!("{hint}the keys of {what} are: {}", allowed.join(", ")),
                );
                continue;
            }
            out.push((key, span, item));
        }
        out
    }

    fn table(&mut self, item: &Item, key_span: Span, what: &str) -> Option<Table> {
        match item.as_table() {
            Some(t) => Some(t.clone()),
            // `lint = { select = [...] }`: the same table, written inline.
            None if item.as_inline_table().is_some() => {
                item.as_inline_table().map(|t| t.clone().into_table())
            }
            None => {
                self.wrong(
                    item,
                    key_span,
                    what,
                    "a table",
                    &format!("write it as `[{what}]` with its keys on the lines below"),
                );
                None
            }
        }
    }

    fn wrong(&mut self, item: &Item, key_span: Span, what: &str, expected: &str, help: &str) {
        let span = item.span().map_or(key_span, |r| Span::new(r.start, r.end));
        let found = match item {
            Item::Value(Value::String(_)) => "a string",
            Item::Value(Value::Integer(_)) => "an integer",
            Item::Value(Value::Float(_)) => "a number",
            Item::Value(Value::Boolean(_)) => "a boolean",
            Item::Value(Value::Array(_)) => "a list",
            Item::Value(Value::InlineTable(_)) | Item::Table(_) => "a table",
            Item::Value(Value::Datetime(_)) => "a date",
            Item::ArrayOfTables(_) => "a list of tables",
            Item::None => "nothing",
        };
        self.fail(
            span,
            format!("`{what}` must be {expected}, found {found}"),
            help.to_string(),
        );
    }

    fn strings(&mut self, item: &Item, key_span: Span, what: &str) -> Option<Vec<(String, Span)>> {
        let Some(array) = item.as_array() else {
            self.wrong(
                item,
                key_span,
                what,
                "a list of strings",
                &format!(
                    "write `{}` = [\"…\", \"…\"]",
                    what.rsplit('.').next().unwrap_or(what)
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        for v in array.iter() {
            let span = span_of(v.span());
            match v.as_str() {
                Some(s) => out.push((s.to_string(), span)),
                None => {
                    self.fail(
                        span,
                        format!("`{what}` must be a list of strings, and this is not a string"),
                        "quote it: \"…\"".into(),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A rule given by code (`RB029`) or name (`missing-metadata`): its code.
    fn rule(&mut self, text: &str, span: Span, what: &str) -> Option<String> {
        if let Some(meta) = crate::lint::registry::find(text) {
            return Some(meta.code.to_string());
        }
        let codes: Vec<&str> = crate::lint::registry::RULES
            .iter()
            .flat_map(|r| [r.meta().code, r.meta().name])
            .collect();
        let hint = crate::suggest::did_you_mean(text, codes.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        self.fail(
            span,
            format!("unknown rule `{text}` in `{what}`"),
            format!("{hint}`runbook explain all` lists the rules (codes such as RB029, or names such as missing-metadata)"),
        );
        None
    }

    fn root(&mut self, root: &Table, base: &Path) {
        for (key, span, item) in self.keys(root, SECTIONS, "runbook.toml") {
            let Some(table) = self.table(item, span, key) else {
                continue;
            };
            match key {
                "paths" => self.paths(&table, base),
                "lint" => self.lint(&table),
                "run" => self.run(&table, base),
                "store" => self.store(&table),
                "fleet" => self.fleet(&table, base),
                _ => {}
            }
        }
    }

    fn paths(&mut self, table: &Table, base: &Path) {
        for (_, span, item) in self.keys(table, PATHS_KEYS, "[paths]") {
            if let Some(list) = self.strings(item, span, "paths.runbooks") {
                self.config.runbooks = Setting {
                    value: list.into_iter().map(|(s, _)| base.join(s)).collect(),
                    origin: self.origin(span),
                };
            }
        }
    }

    fn lint(&mut self, table: &Table) {
        for (key, span, item) in self.keys(table, LINT_KEYS, "[lint]") {
            match key {
                "select" | "ignore" => {
                    let what = format!("lint.{key}");
                    let Some(list) = self.strings(item, span, &what) else {
                        continue;
                    };
                    if key == "select" && list.is_empty() {
                        self.fail(
                            span,
                            "`lint.select` is empty, which would check nothing".into(),
                            "remove it to check every rule, or name the rules to check".into(),
                        );
                        continue;
                    }
                    let mut codes = Vec::new();
                    for (text, at) in list {
                        if let Some(code) = self.rule(&text, at, &what) {
                            if key == "ignore" && FIXED.contains(&code.as_str()) {
                                self.fail(
                                    at,
                                    format!("{code} cannot be ignored: a file with this problem cannot be read as a runbook, and no run would start"),
                                    "fix the runbooks instead; only the rules from RB006 on can be ignored".into(),
                                );
                            }
                            codes.push(code);
                        }
                    }
                    let setting = Setting {
                        value: codes,
                        origin: self.origin(span),
                    };
                    if key == "select" {
                        self.config.select = setting;
                    } else {
                        self.config.ignore = setting;
                    }
                }
                "shellcheck" => match item.as_bool() {
                    Some(b) => {
                        self.config.shellcheck = Setting {
                            value: Some(b),
                            origin: self.origin(span),
                        }
                    }
                    None => self.wrong(
                        item,
                        span,
                        "lint.shellcheck",
                        "true or false",
                        "write `shellcheck = true` or `shellcheck = false`",
                    ),
                },
                "severity" => {
                    let Some(t) = item.as_table_like() else {
                        self.wrong(
                            item,
                            span,
                            "lint.severity",
                            "a table",
                            "write `[lint.severity]` and `RB029 = \"error\"` lines below it",
                        );
                        continue;
                    };
                    for (code, value) in t.iter() {
                        let at = span_of(t.key(code).and_then(|k| k.span()));
                        let Some(code) = self.rule(code, at, "lint.severity") else {
                            continue;
                        };
                        let severity = match value.as_str() {
                            Some("error") => Severity::Error,
                            Some("warning") => Severity::Warning,
                            _ => {
                                self.wrong(
                                    value,
                                    at,
                                    &format!("lint.severity.{code}"),
                                    "\"error\" or \"warning\"",
                                    "write `\"error\"` or `\"warning\"`",
                                );
                                continue;
                            }
                        };
                        if severity == Severity::Warning && FIXED.contains(&code.as_str()) {
                            self.fail(
                                at,
                                format!("{code} cannot be a warning: a file with this problem cannot be read as a runbook"),
                                "only the rules from RB006 on can change severity".into(),
                            );
                            continue;
                        }
                        let origin = self.origin(at);
                        self.config.severity.insert(
                            code,
                            Setting {
                                value: severity,
                                origin,
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, table: &Table, base: &Path) {
        for (_, span, item) in self.keys(table, RUN_KEYS, "[run]") {
            match item.as_str() {
                Some(dir) if !dir.trim().is_empty() => {
                    self.config.state_dir = Setting {
                        value: Some(base.join(dir)),
                        origin: self.origin(span),
                    };
                }
                _ => self.wrong(
                    item,
                    span,
                    "run.state_dir",
                    "a folder (a non-empty string)",
                    "write `state_dir = \"/path/to/runs\"`",
                ),
            }
        }
    }
}

impl Reader<'_> {
    fn fleet(&mut self, table: &Table, base: &Path) {
        for (key, span, item) in self.keys(table, FLEET_KEYS, "[fleet]") {
            match item.as_str() {
                Some(path) if !path.trim().is_empty() => {
                    let setting = Setting {
                        value: Some(base.join(path)),
                        origin: self.origin(span),
                    };
                    if key == "inventory" {
                        self.config.inventory = setting;
                    } else {
                        self.config.ssh_config = setting;
                    }
                }
                _ => self.wrong(
                    item,
                    span,
                    if key == "inventory" {
                        "fleet.inventory"
                    } else {
                        "fleet.ssh_config"
                    },
                    "a file (a non-empty string)",
                    if key == "inventory" {
                        "write `inventory = \"ops/hosts.ini\"` (an Ansible inventory, INI or YAML)"
                    } else {
                        "write `ssh_config = \"ops/ssh_config\"` (given to `ssh -F`)"
                    },
                ),
            }
        }
    }

    fn store(&mut self, table: &Table) {
        for (_, span, item) in self.keys(table, STORE_KEYS, "[store]") {
            match item.as_str() {
                Some(url) if !url.trim().is_empty() => {
                    self.config.store_url = Setting {
                        value: Some(url.to_string()),
                        origin: self.origin(span),
                    };
                }
                _ => self.wrong(
                    item,
                    span,
                    "store.url",
                    "a PostgreSQL connection string (a non-empty string)",
                    "write `url = \"postgres://runbook@db.example.com/runbook\"` (the password goes in ~/.pgpass or PGPASSWORD, not here)",
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Config, Box<ConfigError>> {
        parse(Path::new("/repo/runbook.toml"), text.to_string())
    }

    fn error_at(text: &str) -> (String, usize, usize, String) {
        match read(text) {
            Ok(c) => panic!("{text}: read as {c:?}"),
            Err(e) => {
                let p = e.source.position(e.span.start);
                (e.message, p.line, p.column, e.help)
            }
        }
    }

    #[test]
    fn a_whole_file() {
        let c = read(
            "[paths]\nrunbooks = [\"ops/runbooks\"]\n\n[lint]\nselect = [\"RB027\", \"missing-metadata\"]\nignore = [\"RB016\"]\nshellcheck = false\n\n[lint.severity]\nRB029 = \"error\"\n\n[run]\nstate_dir = \"state\"\n",
        )
        .unwrap();
        assert_eq!(c.runbooks.value, [PathBuf::from("/repo/ops/runbooks")]);
        assert_eq!(c.runbooks.origin, Origin::File("runbook.toml:2:1".into()));
        assert_eq!(c.select.value, ["RB027", "RB029"]);
        assert!(c.selects("RB027") && !c.selects("RB016") && !c.selects("RB010"));
        // What makes a file unreadable is always reported.
        assert!(c.selects("RB001"));
        assert_eq!(c.shellcheck.value, Some(false));
        assert_eq!(c.severity["RB029"].value, Severity::Error);
        assert_eq!(c.state_dir.value, Some(PathBuf::from("/repo/state")));
        assert!(read("").unwrap().selects("RB001"));
        // The same, written inline; names in any case.
        let c = read("lint = { ignore = [\"Missing-Metadata\"] }\n").unwrap();
        assert_eq!(c.ignore.value, ["RB029"]);
    }

    #[test]
    fn mistakes_are_located_with_a_suggestion() {
        let (m, line, col, help) = error_at("[lint]\nignroe = [\"RB029\"]\n");
        assert_eq!((line, col), (2, 1));
        assert_eq!(m, "unknown key `ignroe` in [lint]");
        assert!(help.starts_with("did you mean `ignore`?"), "{help}");
        let (m, line, col, help) = error_at("[lint]\nignore = [\"RB0029\"]\n");
        assert_eq!((line, col), (2, 11));
        assert!(m.contains("unknown rule `RB0029`"), "{m}");
        assert!(help.contains("did you mean"), "{help}");
        let (m, ..) = error_at("[lint]\nshellcheck = \"no\"\n");
        assert_eq!(m, "`lint.shellcheck` must be true or false, found a string");
        let (m, ..) = error_at("[lints]\n");
        assert_eq!(m, "unknown key `lints` in runbook.toml");
        let (m, ..) = error_at("[lint.severity]\nRB029 = \"fatal\"\n");
        assert!(m.contains("must be \"error\" or \"warning\""), "{m}");
        let (m, line, ..) = error_at("[paths]\nrunbooks = \"ops\"\n");
        assert_eq!(line, 2);
        assert!(m.contains("must be a list of strings"), "{m}");
        let (m, line, ..) = error_at("[run]\nstate_dir = \n");
        assert_eq!(line, 2);
        assert!(m.contains("not valid TOML"), "{m}");
        let (m, ..) = error_at("paths = 5\n");
        assert!(m.contains("`paths` must be a table"), "{m}");
    }
}
