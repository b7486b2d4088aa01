//! Hostile input (SPEC §5): malformed YAML, alias bombs, deep nesting, huge files and invalid
//! encodings each give a runbook or a located diagnostic, never a panic, a hang or unbounded
//! memory.
//!
//! - Every case of the YAML test suite and every adversarial file goes through the real loader
//!   and linter in a worker thread with the stack of a lint worker and a time limit.
//! - Every adversarial file, and generated runbooks that are valid but huge, also go through
//!   the real binary, which runs under an address-space limit (`ulimit -v`,
//!   [`MEMORY_LIMIT_KIB`]) and a time limit: a file that needed more memory would abort the
//!   process and fail the test.
//! - Property tests feed arbitrary bytes, YAML token soup and mutated valid runbooks through
//!   the loader, the linter and every output format.
//! - Wherever the loader's fast path (a tree straight from the parser's events) builds a
//!   tree, serde-saphyr must build the same one: checked on every input above.
//!
//! The corpora live in `../shared/corpus/` next to the project (CI has them there too).
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

use proptest::prelude::*;
use runbook::lint::{Diagnostic, LintReport, lint_text};
use runbook::load::{Loaded, Source, load_bytes, yaml};
use runbook::render::{Format, render};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Time for one file in a debug build, generous for a busy machine: the slowest adversarial
/// file takes about 2 s there (0.4 s in release); a hang never ends.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// The address space the binary may use for one file (virtual memory: thread stacks and
/// allocator arenas count too). Every adversarial file passes at 64 MiB in a debug build
/// (peak RSS 36 MB at most); before the loader bounded anchor recording, a 5 KB alias bomb
/// needed 130 MB, and a 330 KB runbook of 4,000 steps 630 MB.
const MEMORY_LIMIT_KIB: u64 = 128 * 1024;
/// The stack of a rayon worker, where `runbook lint` loads and lints files.
const WORKER_STACK: usize = 2 * 1024 * 1024;

/// The corpus folder `part`, or `None` (with a one-line note) when `../shared/corpus` is not
/// beside the project: a clone alone still passes. `RUNBOOK_CORPUS_REQUIRED=1` (as in CI)
/// turns the skip into a failure.
fn corpus(part: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus")
        .join(part);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("RUNBOOK_CORPUS_REQUIRED").as_deref() != Ok("1"),
        "RUNBOOK_CORPUS_REQUIRED=1 but the hostile-input corpus is missing: expected the folder \
         {} (the shared corpus is checked out next to the project, as in CI; see \
         ../shared/corpus/README.md)",
        dir.display()
    );
    eprintln!(
        "note: corpus test skipped: {} not found (set RUNBOOK_CORPUS_REQUIRED=1 to fail instead)",
        dir.display()
    );
    None
}

/// What the loader and the linter made of one file.
#[derive(Debug)]
struct Outcome {
    /// Whether the loader produced a runbook (else the file was refused as YAML).
    runbook: bool,
    /// (line, column) of every load issue.
    issues: Vec<(usize, usize)>,
    diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    /// The first diagnostic or issue without a 1-based line and column, if any.
    fn unlocated(&self) -> Option<String> {
        let issue = self.issues.iter().find(|(l, c)| *l == 0 || *c == 0);
        let diag = self
            .diagnostics
            .iter()
            .find(|d| d.line == 0 || d.column == 0 || d.end_line == 0 || d.end_column == 0);
        match (issue, diag) {
            (Some(i), _) => Some(format!("load issue at {i:?}")),
            (_, Some(d)) => Some(format!("diagnostic {d:?}")),
            _ => None,
        }
    }
}

/// The fast path of the loader (a tree straight from the parser's events) must build exactly
/// the tree that serde-saphyr builds, whenever it builds one. Returns whether it did.
fn same_tree_both_ways(path: &Path, bytes: &[u8]) -> Result<bool, String> {
    let Ok(text) = yaml::decode(bytes.to_vec()) else {
        return Ok(false);
    };
    let source = Source::new(path, text);
    let Some(fast) = yaml::parse_fast(&source) else {
        return Ok(false);
    };
    match yaml::parse_with_serde(&source) {
        Ok(slow) if slow == fast => Ok(true),
        Ok(slow) => Err(format!(
            "the fast path built another tree:\n{fast:?}\nserde-saphyr:\n{slow:?}"
        )),
        Err(e) => Err(format!(
            "the fast path built a tree, serde-saphyr refused: {e:?}"
        )),
    }
}

/// Checks that spans stay inside the text and that positions are 1-based.
fn check_loaded(loaded: &Loaded) -> Result<(), String> {
    let len = loaded.source.text.len();
    for issue in &loaded.issues {
        if issue.span.start > issue.span.end || issue.span.end > len {
            return Err(format!(
                "load issue span {:?} outside the text of {len} bytes: {issue:?}",
                issue.span
            ));
        }
    }
    if loaded.runbook.is_none() && loaded.issues.is_empty() {
        return Err("neither a runbook nor an issue".into());
    }
    Ok(())
}

/// Loads and lints `bytes` as the linter does: on a thread with a worker's stack, within
/// [`TIME_LIMIT`]. Err describes a panic, a hang or a broken invariant.
fn load_and_lint(path: &Path, bytes: Vec<u8>) -> Result<Outcome, String> {
    let (tx, rx) = mpsc::channel();
    let path = path.to_path_buf();
    let worker = std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let loaded = load_bytes(&path, bytes.clone());
            let checked =
                check_loaded(&loaded).and_then(|()| same_tree_both_ways(&path, &bytes).map(|_| ()));
            let issues = loaded
                .issues
                .iter()
                .map(|i| {
                    let p = loaded.source.position(i.span.start);
                    (p.line, p.column)
                })
                .collect();
            // lint_text takes text: a file that is not UTF-8 is linted as the lossy text,
            // which is hostile input of its own (U+FFFD everywhere).
            let text = String::from_utf8_lossy(&bytes);
            let diagnostics = lint_text(&path, &text);
            let outcome = checked.map(|()| Outcome {
                runbook: loaded.runbook.is_some(),
                issues,
                diagnostics,
            });
            let _ = tx.send(outcome);
        })
        .map_err(|e| format!("cannot start a worker thread: {e}"))?;
    match rx.recv_timeout(TIME_LIMIT) {
        Ok(outcome) => {
            let _ = worker.join();
            outcome
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            Err(format!("no result within {TIME_LIMIT:?} (hang)"))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(match worker.join() {
            Err(payload) => format!("panic: {}", panic_message(&*payload)),
            Ok(()) => "the worker ended without a result".into(),
        }),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(not a string)".into())
}

fn fail_on(failures: &[String], what: &str) {
    assert!(
        failures.is_empty(),
        "{} of the {what} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn yaml_test_suite_cases_give_a_runbook_or_a_located_diagnostic() {
    let Some(suite) = corpus("yaml-test-suite") else {
        return;
    };
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&suite)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("in.yaml").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() > 300,
        "only {} cases in {}",
        cases.len(),
        suite.display()
    );
    let mut failures = Vec::new();
    let mut errors = 0;
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(case.join("in.yaml")).unwrap();
        let must_reject = case.join("error").exists();
        errors += usize::from(must_reject);
        match load_and_lint(&case.join("in.yaml"), bytes) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(outcome) => {
                if let Some(bad) = outcome.unlocated() {
                    failures.push(format!("{name}: {bad}"));
                } else if must_reject && outcome.diagnostics.is_empty() {
                    failures.push(format!("{name}: invalid YAML but no diagnostic"));
                }
            }
        }
    }
    assert!(errors > 50, "only {errors} error cases");
    fail_on(&failures, "YAML test suite cases");
}

/// One line of `adversarial/MANIFEST.tsv`.
struct Entry {
    file: String,
    category: String,
    expected: String,
}

fn manifest() -> Option<(PathBuf, Vec<Entry>)> {
    let dir = corpus("adversarial")?;
    let text = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let entries: Vec<Entry> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Entry {
                file: cols[0].to_string(),
                category: cols[3].to_string(),
                expected: cols[4].to_string(),
            }
        })
        .collect();
    assert!(entries.len() > 50, "only {} files listed", entries.len());
    for e in &entries {
        assert!(
            dir.join(&e.file).is_file(),
            "{} is listed in MANIFEST.tsv but missing",
            e.file
        );
    }
    Some((dir, entries))
}

/// Categories the loader must refuse as YAML (a runbook cannot be built from them).
const MUST_REFUSE: &[&str] = &[
    "alias-bomb",
    "recursive-alias",
    "invalid-utf8",
    "encoding-utf16",
    "control-char",
    "undefined-alias",
    "multi-doc",
    "merge-key",
];

/// Categories that the manifest may mark `accept:` but that the loader's budgets refuse on
/// purpose: more than 48 levels of nesting, more than 200,000 nodes, `!!binary` (not text).
const REFUSED_BY_BUDGET: &[&str] = &["deep-nesting", "large-document", "large-scalar"];

#[test]
fn adversarial_files_give_a_located_diagnostic_in_process() {
    let Some((dir, entries)) = manifest() else {
        return;
    };
    let mut failures = Vec::new();
    for e in &entries {
        let bytes = std::fs::read(dir.join(&e.file)).unwrap();
        let outcome = match load_and_lint(&dir.join(&e.file), bytes) {
            Ok(outcome) => outcome,
            Err(err) => {
                failures.push(format!("{}: {err}", e.file));
                continue;
            }
        };
        if let Some(bad) = outcome.unlocated() {
            failures.push(format!("{}: {bad}", e.file));
        }
        // None of these files is a complete runbook: each must be reported.
        if outcome.diagnostics.is_empty() {
            failures.push(format!("{}: no diagnostic", e.file));
        }
        if MUST_REFUSE.contains(&e.category.as_str()) && outcome.runbook {
            failures.push(format!("{} ({}): not refused as YAML", e.file, e.category));
        }
        let accept =
            e.expected.starts_with("accept:") && !REFUSED_BY_BUDGET.contains(&e.category.as_str());
        if accept && !outcome.runbook {
            failures.push(format!(
                "{} ({}): refused as YAML, expected: {}; {:?}",
                e.file,
                e.category,
                e.expected,
                outcome.diagnostics.first().map(|d| &d.message)
            ));
        }
    }
    fail_on(&failures, "adversarial files");
}

/// Runs `runbook lint --format json --no-shellcheck FILE` under the memory and time limits.
fn lint_with_limits(file: &Path) -> Result<serde_json::Value, String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$@\""))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_runbook"))
        .args(["lint", "--format", "json", "--no-shellcheck"])
        .arg(file)
        .env("RUST_BACKTRACE", "0")
        // The limit is on address space: glibc reserves 64 MiB of it for each thread that
        // allocates while another holds the main arena (rayon's workers), so whether a run
        // fits depended on timing (it aborted once in CI at 128 MiB, needing 70 locally).
        // One arena: the limit measures what the program allocates.
        .env("MALLOC_ARENA_MAX", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the binary: {e}"))?;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        let _ = stderr.read_to_end(&mut err);
        (out, err)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no result within {TIME_LIMIT:?} (hang)"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let (out, err) = reader.join().unwrap();
    let err = String::from_utf8_lossy(&err);
    // lint: 0 clean, 1 problems found; 2 (unreadable) cannot happen for these files, and a
    // panic (101) or an abort on a failed allocation (a signal) is what this test is for.
    if !matches!(status.code(), Some(0 | 1)) {
        return Err(format!(
            "{status} after {:?}: {}",
            started.elapsed(),
            err.lines().take(3).collect::<Vec<_>>().join(" / ")
        ));
    }
    serde_json::from_slice(&out).map_err(|e| format!("output is not JSON: {e}"))
}

#[test]
fn adversarial_files_stay_within_memory_and_time_in_the_binary() {
    let Some((dir, entries)) = manifest() else {
        return;
    };
    // Two files at a time: the machine has two cores, and the test stays well under a minute.
    let (tx, rx) = mpsc::channel();
    let chunks: Vec<Vec<&Entry>> = (0..2)
        .map(|k| entries.iter().skip(k).step_by(2).collect())
        .collect();
    std::thread::scope(|scope| {
        for chunk in chunks {
            let tx = tx.clone();
            let dir = &dir;
            scope.spawn(move || {
                for e in chunk {
                    let result = lint_with_limits(&dir.join(&e.file));
                    tx.send((e.file.clone(), result)).unwrap();
                }
            });
        }
    });
    drop(tx);
    let mut failures = Vec::new();
    for (file, result) in rx {
        match result {
            Err(e) => failures.push(format!("{file}: {e}")),
            Ok(json) => {
                let list = json.as_array().cloned().unwrap_or_default();
                if list.is_empty() {
                    failures.push(format!("{file}: no diagnostic"));
                }
                for d in list {
                    let at = |k: &str| d.get(k).and_then(serde_json::Value::as_u64);
                    if !matches!((at("line"), at("column")), (Some(1..), Some(1..))) {
                        failures.push(format!("{file}: unlocated diagnostic {d}"));
                    }
                }
            }
        }
    }
    fail_on(&failures, "adversarial files");
}

/// Runbooks that are valid but huge: each once made a quadratic analysis take gigabytes.
fn huge_runbooks() -> Vec<(&'static str, String)> {
    let head = "title: t\ndescription: d\nowner: o\nsteps:\n";
    // 4,000 steps, each using the variable the previous one captured: the sets of variables
    // defined before each step took 630 MB.
    let mut chain = head.to_string();
    for i in 0..4000 {
        chain.push_str(&format!(
            "  - {{id: s{i}, title: s, run: 'echo {{{{ vars.v{i} }}}}', capture: v{}}}\n",
            i + 1
        ));
    }
    // 500 steps that each declare 100 outputs: 50,000 names.
    let mut outputs = head.to_string();
    for i in 0..500 {
        let names: Vec<String> = (0..100).map(|j| format!("o{i}_{j}")).collect();
        outputs.push_str(&format!(
            "  - {{id: s{i}, title: s, run: 'echo {{{{ vars.o0_0 }}}}', outputs: [{}]}}\n",
            names.join(", ")
        ));
    }
    // 5,000 steps in one loop that no decision breaks.
    let mut cycle = head.to_string();
    for i in 0..5000 {
        cycle.push_str(&format!(
            "  - {{id: s{i}, title: s, run: x, next: s{}}}\n",
            (i + 1) % 5000
        ));
    }
    vec![("chain", chain), ("outputs", outputs), ("cycle", cycle)]
}

#[test]
fn huge_valid_runbooks_stay_within_memory_and_time_in_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (name, text) in huge_runbooks() {
        let path = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&path, text).unwrap();
        match lint_with_limits(&path) {
            Err(e) => failures.push(format!("{name}: {e}")),
            Ok(json) if json.as_array().is_none_or(Vec::is_empty) => {
                failures.push(format!("{name}: expected a diagnostic, got {json}"));
            }
            Ok(_) => {}
        }
    }
    fail_on(&failures, "huge runbooks");
}

// ---------------------------------------------------------------------------------------
// Property tests

/// A runbook that uses every kind of step and most keys, to be mutated.
const SEED: &str = r#"version: 1
name: seed
title: Seed runbook
description: |
  Every kind of step, with templates.
owner: team
tags: [a, b]
inputs:
  db:
    description: Database
    default: postgres://localhost/db
  token:
    secret: true
    env: TOKEN
env:
  PGCONNECT_TIMEOUT: "5"
  DB_URL: "{{ inputs.db }}"
steps:
  - id: ack
    title: Acknowledge
    checklist:
      - Acknowledge the page
      - "Open {{ inputs.db }}"
  - id: top
    title: Top clients
    run: |
      psql "$DB_URL" -Atc "select 1"
      echo '{{ inputs.db }}' | tr a b
    capture: {var: top, from: stdout, pattern: '^(\w+)'}
    timeout: 30s
    expect: {exit: [0, 1], stdout: 'ok'}
  - id: pick
    title: Pick
    choose:
      prompt: "Which one? {{ vars.top }}"
      var: picked
      options:
        - {label: One, next: ask-role, value: one}
        - {label: Spread, next: wait}
  - id: ask-role
    title: Role
    ask: {var: role, prompt: Role, pattern: '^[a-z]+$'}
    run: psql -c "alter role {{ vars.role }} nologin"
    rollback: psql -c "alter role {{ vars.role }} login"
    dangerous: true
    on_failure: wait
    outputs: [blocked]
  - id: wait
    title: Recover
    when: vars.picked == "one"
    wait:
      run: psql -Atc "select count(*) from pg_stat_activity"
      until: output | int < 20
      interval: 10s
      timeout: 10m
  - title: Notes
    instructions: Write down {{ steps.top.exit_code }} and {{ vars.blocked | default("no") }}
    notes: true
    next: end
"#;

/// A flow-style runbook: anchors, aliases and quoting.
const SEED_FLOW: &str = "title: &t \"Flow\"\nsteps: [{id: a, title: *t, run: 'echo {{ inputs.x }}'}, \
    {id: b, title: b, choose: {options: [{label: x, next: a}, {label: y, next: end}]}}]\n\
    inputs: {x: {default: 1, type: int}}\n";

/// Bits of YAML and template syntax to splice in.
const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{ vars.",
    "{{ inputs.db | raw }}",
    "{%",
    "*alias",
    "&anchor ",
    "*a",
    "&a ",
    "\t",
    "\0",
    "\r",
    "\r\n",
    "\n",
    "\n  ",
    "- ",
    ": ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ",",
    "'",
    "\"",
    "\\",
    "|",
    "|-",
    ">",
    "#",
    "---\n",
    "...\n",
    "!!str ",
    "!!binary ",
    "!custom ",
    "<<: *a\n",
    "%YAML 1.2\n",
    "é",
    "\u{FEFF}",
    "\u{2028}",
    "\u{85}",
    "null",
    "~",
    "true",
    "yes",
    "1e999",
    "0x",
    "-9223372036854775809",
    ".inf",
    "-.inf",
    ".nan",
    "+.nan",
    "1.5",
    "0o17",
    "0x1F",
    "+1",
    "-0",
    "007",
    "1_0",
    "12",
    "30s",
    "10.0.0.1",
    "False",
    "NULL",
    "<<",
    "\"<<\": ",
    "steps",
    "title",
    "run",
    "next: end",
    "id: ack",
    "next: ack",
    "when: ",
    "output | int",
    "\u{1F600}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index, usize),
    Replace(prop::sample::Index, u8),
    Splice(prop::sample::Index, &'static str),
    DuplicateLine(prop::sample::Index),
    DeleteLine(prop::sample::Index),
    Indent(prop::sample::Index, i8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let index = any::<prop::sample::Index>;
    prop_oneof![
        (index(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (index(), 1..16usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (index(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
        (index(), prop::sample::select(TOKENS)).prop_map(|(i, t)| Mutation::Splice(i, t)),
        index().prop_map(Mutation::DuplicateLine),
        index().prop_map(Mutation::DeleteLine),
        (index(), -4i8..=4).prop_map(|(i, d)| Mutation::Indent(i, d)),
    ]
}

/// Byte ranges of the lines of `bytes`, line breaks included.
fn lines(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'\n' {
            out.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |i: &prop::sample::Index, len: usize| if len == 0 { 0 } else { i.index(len) };
    match m {
        Mutation::Insert(i, b) => {
            let p = at(i, bytes.len() + 1);
            bytes.insert(p, *b);
        }
        Mutation::Delete(i, n) => {
            if !bytes.is_empty() {
                let p = at(i, bytes.len());
                let end = (p + n).min(bytes.len());
                bytes.drain(p..end);
            }
        }
        Mutation::Replace(i, b) => {
            if !bytes.is_empty() {
                let p = at(i, bytes.len());
                bytes[p] = *b;
            }
        }
        Mutation::Splice(i, t) => {
            let p = at(i, bytes.len() + 1);
            bytes.splice(p..p, t.bytes());
        }
        Mutation::DuplicateLine(i) | Mutation::DeleteLine(i) | Mutation::Indent(i, _) => {
            let all = lines(bytes);
            if all.is_empty() {
                return;
            }
            let line = all[at(i, all.len())].clone();
            match m {
                Mutation::DuplicateLine(_) => {
                    let copy = bytes[line.clone()].to_vec();
                    bytes.splice(line.start..line.start, copy);
                }
                Mutation::DeleteLine(_) => {
                    bytes.drain(line);
                }
                Mutation::Indent(_, d) if *d > 0 => {
                    bytes.splice(
                        line.start..line.start,
                        std::iter::repeat_n(b' ', *d as usize),
                    );
                }
                Mutation::Indent(_, d) => {
                    let spaces = bytes[line.clone()]
                        .iter()
                        .take_while(|b| **b == b' ')
                        .count()
                        .min(d.unsigned_abs() as usize);
                    bytes.drain(line.start..line.start + spaces);
                }
                _ => unreachable!(),
            }
        }
    }
}

/// The property: a runbook or a located diagnostic, never a panic; and every output format
/// renders the diagnostics.
fn check_bytes(bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let path = Path::new("runbooks/prop.yaml");
    let loaded = load_bytes(path, bytes.clone());
    check_loaded(&loaded).map_err(TestCaseError::fail)?;
    same_tree_both_ways(path, &bytes).map_err(TestCaseError::fail)?;
    let text = String::from_utf8_lossy(&bytes);
    let diagnostics = lint_text(path, &text);
    for d in &diagnostics {
        prop_assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        prop_assert!((d.end_line, d.end_column) >= (d.line, d.column), "{d:?}");
    }
    if String::from_utf8(bytes).is_ok() && loaded.runbook.is_none() {
        prop_assert!(!diagnostics.is_empty(), "refused without a diagnostic");
    }
    let report = LintReport {
        diagnostics,
        files: 1,
    };
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        render(&report, format, format == Format::Human);
    }
    Ok(())
}

/// 300 cases per property keep the test to a few seconds; `HOSTILE_CASES=100000` runs a longer
/// search. A failure is reported with its shrunk input, to be kept as a unit test where fixed.
fn config() -> ProptestConfig {
    let cases = std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_bytes(bytes)?;
    }

    #[test]
    fn yaml_token_soup(tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..60)) {
        check_bytes(tokens.concat().into_bytes())?;
    }

    #[test]
    fn mutated_runbooks(
        flow in any::<bool>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let mut bytes = if flow { SEED_FLOW } else { SEED }.as_bytes().to_vec();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        check_bytes(bytes)?;
    }
}

#[test]
fn the_seeds_are_runbooks_and_take_the_fast_path() {
    // The flow seed has an anchor and an alias: serde-saphyr's to read.
    for (seed, fast) in [(SEED, true), (SEED_FLOW, false)] {
        assert_eq!(
            same_tree_both_ways(Path::new("seed.yaml"), seed.as_bytes()),
            Ok(fast)
        );
        let loaded = load_bytes(Path::new("seed.yaml"), seed.as_bytes().to_vec());
        assert!(
            loaded.runbook.is_some() && loaded.issues.is_empty(),
            "{:?}",
            loaded.issues
        );
    }
}
