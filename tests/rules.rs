//! The lint rules against their fixtures, through the real binary.
//!
//! Every rule listed by `runbook explain all` has `testdata/rules/RBnnn_<name>/` holding
//! `bad.yaml`, `bad.out` (the exact `runbook lint --format human` output for it) and a clean
//! `good.yaml`. Set `RUNBOOK_BLESS=1` to rewrite the `bad.out` files from the current output,
//! then read the diff before committing it.

use std::fs;
use std::path::Path;

const RULES_DIR: &str = "testdata/rules";

/// The rule whose fixture runs with shellcheck on (the others run with `--no-shellcheck`).
const SHELLCHECK_CODE: &str = "RB030";

const DOC_SECTIONS: [&str; 4] = [
    "## What it does",
    "## Why this matters",
    "## Example",
    "## Use instead",
];

struct Rule {
    code: String,
    name: String,
    severity: String,
}

impl Rule {
    fn dir_name(&self) -> String {
        format!("{}_{}", self.code, self.name.replace('-', "_"))
    }
}

/// What one run of the binary gave.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `runbook` in `dir` with `args`, isolated from the caller's environment.
fn runbook(dir: &Path, args: &[&str]) -> Run {
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("temp folder: {e}"));
    let output = assert_cmd::cargo::cargo_bin_cmd!("runbook")
        .current_dir(dir)
        .args(args)
        .env_remove("RUNBOOK_PATH")
        .env_remove("RUNBOOK_SHELLCHECK")
        .env("NO_COLOR", "1")
        .env("RUNBOOK_CACHE_DIR", cache.path())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `runbook {}`: {e}", args.join(" ")));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shellcheck_installed() -> bool {
    std::process::Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The registered rules, from `runbook explain all`: one line per rule, code first.
fn rules() -> Vec<Rule> {
    let run = runbook(repo(), &["explain", "all"]);
    assert_eq!(run.code, 0, "`runbook explain all` failed:\n{}", run.stderr);
    let rules: Vec<Rule> = run
        .stdout
        .lines()
        .filter(|line| line.starts_with("RB"))
        .map(|line| {
            let mut words = line.split_whitespace();
            let mut next = || words.next().unwrap_or_default().to_string();
            Rule {
                code: next(),
                name: next(),
                severity: next(),
            }
        })
        .collect();
    assert!(
        rules.len() >= 30,
        "`runbook explain all` listed {} rules:\n{}",
        rules.len(),
        run.stdout
    );
    rules
}

/// The fixture folders, sorted.
fn fixture_dirs() -> Vec<String> {
    let root = repo().join(RULES_DIR);
    let entries =
        fs::read_dir(&root).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", root.display()));
    let mut dirs: Vec<String> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot read `{}`: {e}", root.display())))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

/// The codes of the diagnostics in human output: `error[RB009]: …` → `(error, RB009)`.
fn diagnostics(output: &str) -> Vec<(&str, &str)> {
    output
        .lines()
        .filter_map(|line| {
            let (severity, rest) = line.split_once('[')?;
            let (code, _) = rest.split_once("]: ")?;
            matches!(severity, "error" | "warning").then_some((severity, code))
        })
        .collect()
}

/// A line diff of `expected` and `actual`: ` ` both, `-` expected only, `+` actual only.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::from("--- expected\n+++ actual\n");
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out += &format!(" {}\n", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out += &format!("-{}\n", a[i]);
            i += 1;
        } else {
            out += &format!("+{}\n", b[j]);
            j += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out += "(the two differ in their final newline)\n";
    }
    out
}

/// Fails with every problem found, not only the first.
fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_rule_has_documentation_and_fixtures() {
    let rules = rules();
    let dirs = fixture_dirs();
    let mut problems = Vec::new();
    let mut codes: Vec<&str> = rules.iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    if codes.len() != rules.len() {
        problems.push("`runbook explain all` lists a code twice".to_string());
    }
    for rule in &rules {
        let dir = rule.dir_name();
        if !matches!(rule.severity.as_str(), "error" | "warning") {
            problems.push(format!(
                "{}: unknown severity `{}`",
                rule.code, rule.severity
            ));
        }
        if !dirs.contains(&dir) {
            problems.push(format!(
                "{}: no fixture folder `{RULES_DIR}/{dir}`",
                rule.code
            ));
        }
        for file in ["bad.yaml", "bad.out", "good.yaml"] {
            let path = repo().join(RULES_DIR).join(&dir).join(file);
            if dirs.contains(&dir) && !path.is_file() {
                problems.push(format!("{}: missing `{RULES_DIR}/{dir}/{file}`", rule.code));
            }
        }
        let explain = runbook(repo(), &["explain", &rule.code]);
        if explain.code != 0 {
            problems.push(format!(
                "{}: `runbook explain` exited with {}: {}",
                rule.code, explain.code, explain.stderr
            ));
        }
        for section in DOC_SECTIONS {
            if !explain.stdout.contains(section) {
                problems.push(format!(
                    "{}: `runbook explain` has no `{section}`",
                    rule.code
                ));
            }
        }
    }
    for dir in &dirs {
        if !rules.iter().any(|r| &r.dir_name() == dir) {
            problems.push(format!(
                "`{RULES_DIR}/{dir}` belongs to no registered rule (expected `RBnnn_<rule_name>`)"
            ));
        }
    }
    report(problems);
}

#[test]
fn bad_fixtures_give_their_exact_diagnostics() {
    let bless = std::env::var_os("RUNBOOK_BLESS").is_some_and(|v| !v.is_empty());
    let shellcheck = shellcheck_installed();
    let mut problems = Vec::new();
    for rule in rules() {
        let dir = format!("{RULES_DIR}/{}", rule.dir_name());
        let bad = format!("{dir}/bad.yaml");
        let expected_path = repo().join(&dir).join("bad.out");
        let mut args = vec!["lint", "--format", "human"];
        if rule.code == SHELLCHECK_CODE {
            if !shellcheck {
                println!(
                    "note: shellcheck is not on the PATH: skipped the {} fixture",
                    rule.code
                );
                continue;
            }
        } else {
            args.push("--no-shellcheck");
        }
        args.push(&bad);
        let run = runbook(repo(), &args);
        if bless {
            fs::write(&expected_path, &run.stdout).unwrap();
        }
        let Ok(expected) = fs::read_to_string(&expected_path) else {
            continue; // reported by `every_rule_has_documentation_and_fixtures`
        };
        if run.stdout != expected {
            problems.push(format!(
                "{}: `runbook {}` differs from {dir}/bad.out (RUNBOOK_BLESS=1 rewrites it):\n{}",
                rule.code,
                args.join(" "),
                diff(&expected, &run.stdout)
            ));
        }
        if !run.stderr.is_empty() {
            problems.push(format!("{}: unexpected stderr:\n{}", rule.code, run.stderr));
        }
        let found = diagnostics(&expected);
        if !found.contains(&(rule.severity.as_str(), rule.code.as_str())) {
            problems.push(format!(
                "{}: {dir}/bad.out does not report it at the rule's severity `{}`",
                rule.code, rule.severity
            ));
        }
        for (_, code) in found.iter().filter(|&&(_, code)| code != rule.code) {
            problems.push(format!(
                "{}: {dir}/bad.yaml also triggers {code}; a fixture shows one rule",
                rule.code
            ));
        }
        let want = if found.iter().any(|&(severity, _)| severity == "error") {
            1
        } else {
            0
        };
        if run.code != want {
            problems.push(format!(
                "{}: exit status {} for {bad}, expected {want}",
                rule.code, run.code
            ));
        }
    }
    report(problems);
}

#[test]
fn good_fixtures_are_clean() {
    let shellcheck = shellcheck_installed();
    if !shellcheck {
        println!("note: shellcheck is not on the PATH: good fixtures checked without RB030");
    }
    let mut problems = Vec::new();
    for rule in rules() {
        let good = format!("{RULES_DIR}/{}/good.yaml", rule.dir_name());
        if !repo().join(&good).is_file() {
            continue; // reported by `every_rule_has_documentation_and_fixtures`
        }
        let run = runbook(repo(), &["lint", "--format", "human", &good]);
        let clean = run.stdout.starts_with("checked ")
            && run.stdout.ends_with(": no problems\n")
            && run.stdout.lines().count() == 1;
        if run.code != 0 || !clean {
            problems.push(format!(
                "{}: `runbook lint {good}` exited with {}:\n{}{}",
                rule.code, run.code, run.stdout, run.stderr
            ));
        }
    }
    report(problems);
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let rule = rules()
        .into_iter()
        .find(|r| r.severity == "warning" && r.code != SHELLCHECK_CODE)
        .unwrap();
    let bad = format!("{RULES_DIR}/{}/bad.yaml", rule.dir_name());
    let plain = runbook(repo(), &["lint", "--no-shellcheck", &bad]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert!(plain.stdout.contains(&format!("warning[{}]", rule.code)));
    let denied = runbook(
        repo(),
        &["lint", "--no-shellcheck", "--deny-warnings", &bad],
    );
    assert_eq!(denied.code, 1, "{}", denied.stdout);
    assert_eq!(denied.stdout, plain.stdout);
}

/// A folder of runbook files for one test.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp folder: {e}"));
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
    dir
}

/// The `file:line:col` of every `-->` line of human output.
fn locations(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("--> "))
        .collect()
}

const HEADER: &str = "title: Disk full on the build cache\n\
                      description: The build cache host has less than 5% free space.\n\
                      owner: team-build\n";

#[test]
fn ignore_comment_on_the_line_suppresses_that_code() {
    let text = format!(
        "{HEADER}inputs:\n  \
           region:  # runbook: ignore[RB016]\n    \
             description: Kept for the next version of this runbook\n    \
             default: eu-west-1\n  \
           zone:\n    \
             description: Availability zone\n    \
             default: a\n\
         steps:\n  \
           - id: usage\n    \
             title: Show the disk usage\n    \
             run: df -h /var/cache/build\n"
    );
    let dir = folder(&[("cache.yaml", &text)]);
    let run = runbook(dir.path(), &["lint", "--no-shellcheck", "cache.yaml"]);
    assert_eq!(
        diagnostics(&run.stdout),
        [("warning", "RB016")],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("input `zone` is never used"),
        "{}",
        run.stdout
    );
    assert_eq!(locations(&run.stdout), ["cache.yaml:8:3"]);
}

#[test]
fn ignore_comment_for_another_code_does_not_suppress() {
    let text = format!(
        "{HEADER}inputs:\n  \
           region:  # runbook: ignore[RB015, RB026]\n    \
             default: eu-west-1\n\
         steps:\n  \
           - id: usage\n    \
             title: Show the disk usage\n    \
             run: df -h /var/cache/build\n"
    );
    let dir = folder(&[("cache.yaml", &text)]);
    let run = runbook(dir.path(), &["lint", "--no-shellcheck", "cache.yaml"]);
    assert_eq!(
        diagnostics(&run.stdout),
        [("warning", "RB016")],
        "{}",
        run.stdout
    );
    assert_eq!(locations(&run.stdout), ["cache.yaml:5:3"]);
}

#[test]
fn ignore_comment_on_a_steps_first_key_covers_the_whole_step() {
    let text = format!(
        "{HEADER}steps:\n  \
           - id: clean  # runbook: ignore[RB027]\n    \
             title: Remove old build artifacts\n    \
             run: |\n      \
               cd /var/cache/build\n      \
               rm -rf ./old\n  \
           - id: clean-tmp\n    \
             title: Remove temporary files\n    \
             run: rm -rf /var/cache/build/tmp\n"
    );
    let dir = folder(&[("cache.yaml", &text)]);
    let run = runbook(dir.path(), &["lint", "--no-shellcheck", "cache.yaml"]);
    // The comment covers its own step only: the second `rm -rf` is still reported.
    assert_eq!(
        diagnostics(&run.stdout),
        [("error", "RB027")],
        "{}",
        run.stdout
    );
    assert_eq!(locations(&run.stdout), ["cache.yaml:12:10"]);
    assert_eq!(run.code, 1);
}

const CHILD: &str = "title: Notify the stakeholders\n\
                     description: Called by other runbooks to tell support.\n\
                     owner: team-sre\n\
                     inputs:\n  \
                       channel:\n    \
                         description: Slack channel of the incident\n\
                     steps:\n  \
                       - id: post\n    \
                         title: Post in the incident channel\n    \
                         instructions: Post a summary in {{ inputs.channel }}.\n    \
                         tiemout: 5m\n";

#[test]
fn a_problem_in_a_sub_runbook_is_reported_in_its_own_file() {
    let parent = format!(
        "{HEADER}steps:\n  \
           - id: tell\n    \
             title: Tell the stakeholders\n    \
             runbook: child\n    \
             with:\n      \
               channel: \"#build\"\n"
    );
    let dir = folder(&[("parent.yaml", &parent), ("child.yaml", CHILD)]);
    let run = runbook(dir.path(), &["lint", "--no-shellcheck", "parent.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        diagnostics(&run.stdout),
        [("error", "RB002")],
        "{}",
        run.stdout
    );
    let at = locations(&run.stdout);
    assert_eq!(at.len(), 1, "{}", run.stdout);
    assert!(
        Path::new(at[0]).ends_with("child.yaml:11:5"),
        "reported at `{}`, not in child.yaml:\n{}",
        at[0],
        run.stdout
    );
    assert!(
        run.stdout.ends_with("checked 2 files: 1 error\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_recursive_pair_of_runbooks_is_reported() {
    let call = |other: &str| {
        format!(
            "{HEADER}steps:\n  \
               - id: check\n    \
                 title: Check the free space\n    \
                 run: df -h /var/cache/build\n  \
               - id: again\n    \
                 title: Go through the other runbook\n    \
                 runbook: {other}\n"
        )
    };
    let dir = folder(&[("a.yaml", &call("b")), ("b.yaml", &call("a"))]);
    let run = runbook(dir.path(), &["lint", "--no-shellcheck", "a.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("error[RB023]: runbook calls itself: a → b → a"),
        "{}",
        run.stdout
    );
    assert!(
        locations(&run.stdout).contains(&"a.yaml:10:14"),
        "{}",
        run.stdout
    );
    assert!(
        diagnostics(&run.stdout)
            .iter()
            .all(|&(_, code)| code == "RB023"),
        "{}",
        run.stdout
    );
}

#[test]
fn with_an_input_the_sub_runbook_does_not_declare_is_reported() {
    let child = CHILD.replace("    tiemout: 5m\n", "");
    let parent = format!(
        "{HEADER}steps:\n  \
           - id: tell\n    \
             title: Tell the stakeholders\n    \
             runbook: child\n    \
             with:\n      \
               channel: \"#build\"\n      \
               colour: red\n"
    );
    let dir = folder(&[("parent.yaml", &parent), ("child.yaml", &child)]);
    let run = runbook(dir.path(), &["lint", "--no-shellcheck", "parent.yaml"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        diagnostics(&run.stdout),
        [("error", "RB024")],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("runbook `child` has no input `colour`"),
        "{}",
        run.stdout
    );
    assert_eq!(locations(&run.stdout), ["parent.yaml:10:7"]);
}

#[test]
fn the_diff_shows_changed_lines() {
    assert_eq!(
        diff("a\nb\nc\n", "a\nx\nc\n"),
        "--- expected\n+++ actual\n a\n-b\n+x\n c\n"
    );
}

/// The YAML mistakes runbooks are most often written with get their own message and help
/// (`testdata/pitfalls/NAME.yaml` and its `NAME.out`).
#[test]
fn yaml_pitfalls_get_their_own_help() {
    let bless = std::env::var_os("RUNBOOK_BLESS").is_some_and(|v| !v.is_empty());
    let dir = repo().join("testdata/pitfalls");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 7, "{names:?}");
    let mut problems = Vec::new();
    for name in names {
        let file = format!("testdata/pitfalls/{name}");
        let run = runbook(repo(), &["lint", "--no-shellcheck", &file]);
        let out_path = dir.join(name.replace(".yaml", ".out"));
        if bless {
            fs::write(&out_path, &run.stdout).unwrap();
        }
        let expected = fs::read_to_string(&out_path).unwrap_or_default();
        if run.stdout != expected {
            problems.push(format!("{file}:\n{}", diff(&expected, &run.stdout)));
        }
        if run.stdout.contains("fix the YAML syntax at this position") || run.code != 1 {
            problems.push(format!("{file}: no help of its own:\n{}", run.stdout));
        }
    }
    report(problems);
}
