//! `runbook lint` and `runbook explain` through the real binary: formats, exit codes, paths.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::Test;

const BROKEN: &str = r#"title: Broken
owner: team
description: Several problems.
inputs:
  db: {default: "postgres://x"}
steps:
  - id: check
    title: Check
    run: psql {{ inputs.dbb }} -c 'select 1'
    tiemout: 30s
  - id: decide
    title: Decide
    choose:
      options:
        - {label: Go on, next: fixx}
        - {label: Stop, next: end}
  - id: fix
    title: Fix
    instructions: Fix it.
    dangerous: yes
"#;

fn broken() -> Test {
    Test::new().file("runbooks/broken.yaml", BROKEN)
}

#[test]
fn human_format_snapshot() {
    let out = broken().args(&["lint", "--no-shellcheck"]).run();
    out.code(1);
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn json_format_snapshot() {
    let out = broken()
        .args(&["lint", "--no-shellcheck", "--format", "json"])
        .run();
    out.code(1);
    let parsed: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let items = parsed.as_array().expect("an array");
    let mut last = (0, 0);
    for item in items {
        for key in [
            "code",
            "severity",
            "message",
            "help",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
        ] {
            assert!(item.get(key).is_some(), "missing {key} in {item}");
        }
        let at = (
            item["line"].as_u64().unwrap_or(0),
            item["column"].as_u64().unwrap_or(0),
        );
        assert!(at >= last, "not sorted: {at:?} after {last:?}");
        last = at;
    }
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn github_format_snapshot() {
    let out = broken()
        .args(&["lint", "--no-shellcheck", "--format", "github"])
        .run();
    out.code(1);
    assert!(
        out.stdout
            .lines()
            .all(|l| l.starts_with("::error file=") || l.starts_with("::warning file="))
    );
    insta::assert_snapshot!(out.stdout);
}

#[test]
fn sarif_format_is_valid_sarif_2_1_0() {
    let out = broken()
        .args(&["lint", "--no-shellcheck", "--format", "sarif"])
        .run();
    out.code(1);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique, "one rule entry per code");
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap_or(0) >= 1);
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "runbooks/broken.yaml"
        );
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&run["results"]).unwrap_or_default());
}

#[test]
fn gitlab_format_is_a_code_quality_report_with_stable_fingerprints() {
    let t = broken();
    let out = t.exec(&["lint", "--no-shellcheck", "--format", "gitlab"]);
    out.code(1);
    let issues: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    let issues = issues.as_array().expect("an array");
    assert!(issues.len() >= 4, "{issues:?}");
    let mut fingerprints = Vec::new();
    for issue in issues {
        assert!(
            issue["description"]
                .as_str()
                .is_some_and(|d| d.starts_with("RB"))
        );
        assert!(
            issue["check_name"]
                .as_str()
                .is_some_and(|c| c.starts_with("RB"))
        );
        assert!(["major", "minor"].contains(&issue["severity"].as_str().unwrap()));
        assert_eq!(issue["location"]["path"], "runbooks/broken.yaml");
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        fingerprints.push(issue["fingerprint"].as_str().unwrap().to_string());
    }
    let mut unique = fingerprints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        fingerprints.len(),
        "one fingerprint per problem"
    );
    // The same problems give the same fingerprints, run after run, and after a line is added
    // above them.
    let again = t.exec(&["lint", "--no-shellcheck", "--format", "gitlab"]);
    assert_eq!(again.stdout, out.stdout);
    let moved = Test::new().file(
        "runbooks/broken.yaml",
        &BROKEN.replace("owner: team\n", "owner: team\n# a comment\n"),
    );
    let moved = moved.exec(&["lint", "--no-shellcheck", "--format", "gitlab"]);
    let moved: serde_json::Value = serde_json::from_str(&moved.stdout).unwrap();
    let moved: Vec<String> = moved
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(moved, fingerprints);
}

#[test]
fn clean_runbooks_exit_zero() {
    let out = Test::new()
        .file("a.yaml", "title: A\nowner: o\ndescription: d\nsteps:\n  - title: Look\n    instructions: Look at the dashboard.\n")
        .args(&["lint", "a.yaml"])
        .run();
    out.code(0);
    assert_eq!(out.stdout, "checked 1 file: no problems\n");
}

#[test]
fn warnings_pass_unless_denied() {
    let t = Test::new().file(
        "w.yaml",
        "title: W\nsteps:\n  - title: Look\n    instructions: Look.\n",
    );
    t.args(&["lint", "w.yaml"]).run().code(0);
    let t = Test::new().file(
        "w.yaml",
        "title: W\nsteps:\n  - title: Look\n    instructions: Look.\n",
    );
    let out = t.args(&["lint", "--deny-warnings", "w.yaml"]).run();
    out.code(1);
    assert!(out.stdout.contains("warning[RB029]"), "{}", out.stdout);
}

#[test]
fn unreadable_paths_exit_two() {
    let out = Test::new().args(&["lint", "missing.yaml"]).run();
    out.code(2);
    assert!(
        out.stderr.starts_with("error: cannot read `missing.yaml`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("help:"), "{}", out.stderr);
    let out = Test::new()
        .file("notes.txt", "x")
        .args(&["lint", "."])
        .run();
    out.code(2);
    assert!(out.stderr.contains("no runbooks"), "{}", out.stderr);
}

#[test]
fn every_file_of_a_folder_is_checked() {
    let out = Test::new()
        .file(
            "runbooks/a.yaml",
            "title: A\nowner: o\ndescription: d\nsteps: [{title: a, instructions: x}]\n",
        )
        .file(
            "runbooks/team/b.yml",
            "title: B\nowner: o\ndescription: d\nsteps: [{title: b, run: [x}]\n",
        )
        .file("runbooks/.hidden/c.yaml", "not: [valid")
        .args(&["lint"])
        .run();
    out.code(1);
    assert!(
        out.stdout.contains("runbooks/team/b.yml:4:"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(".hidden"), "{}", out.stdout);
    assert!(
        out.stdout.ends_with("checked 2 files: 1 error\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn verbose_says_when_shellcheck_is_off() {
    let out = Test::new()
        .file(
            "a.yaml",
            "title: A\nowner: o\ndescription: d\nsteps: [{title: a, run: ls}]\n",
        )
        .env("RUNBOOK_SHELLCHECK", "/nonexistent/shellcheck")
        .args(&["lint", "--verbose", "a.yaml"])
        .run();
    out.code(0);
    assert!(
        out.stderr
            .contains("shellcheck is not installed: rule RB030 skipped"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_shellcheck_that_fails_is_said_not_taken_for_clean() {
    use std::os::unix::fs::PermissionsExt;
    let t = Test::new()
        .file(
            "a.yaml",
            "title: A\nowner: o\ndescription: d\nsteps: [{title: a, run: echo $x}]\n",
        )
        .file(
            "fake-shellcheck",
            "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'version: 0.0.0-fake'; exit 0; fi\necho 'out of memory' >&2\nexit 3\n",
        );
    std::fs::set_permissions(
        t.path("fake-shellcheck"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let fake = t.path("fake-shellcheck");
    let cache = t.path("cache");
    let out = t
        .env("RUNBOOK_SHELLCHECK", fake.to_str().unwrap())
        .env("RUNBOOK_CACHE_DIR", cache.to_str().unwrap())
        .args(&["lint", "a.yaml"])
        .run();
    assert!(
        out.stderr.contains("warning: shellcheck failed (")
            && out.stderr.contains("out of memory")
            && out.stderr.contains("some scripts were not checked"),
        "{}",
        out.stderr
    );
}

#[test]
fn explain_prints_a_rule_and_suggests_codes() {
    let out = Test::new().args(&["explain", "RB011"]).run();
    out.code(0);
    assert!(
        out.stdout.starts_with("RB011 unbroken-loop (error)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("## Use instead"));
    let out = Test::new().args(&["explain", "unbroken-loop"]).run();
    out.code(0);
    let out = Test::new().args(&["explain", "RB999"]).run();
    out.code(2);
    assert!(
        out.stderr.contains("no lint rule `RB999`"),
        "{}",
        out.stderr
    );
}

#[test]
fn bundled_runbooks_lint_clean() {
    let out = Test::new()
        .args(&[
            "lint",
            "--deny-warnings",
            common::root()
                .join("runbooks")
                .to_str()
                .unwrap_or("runbooks"),
        ])
        .run();
    out.code(0);
}

/// A reader that stops early (`runbook explain all | head -1`) is not an error: no panic,
/// exit 0, nothing on stderr.
#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    for args in [
        &["explain", "all"][..],
        &["explain", "RB036"][..],
        &["examples"][..],
        &["--help"][..],
    ] {
        let (read, write) = std::io::pipe().expect("pipe");
        drop(read);
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(write)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("runbook runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(0) && !stderr.contains("panicked"),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
}
