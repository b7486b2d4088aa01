//! runbook.toml through the real binary: found upwards, flags over the file over the
//! environment, lint's rules and severities, and a broken file that stops every command.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Test;

const RB: &str = "title: Purge\nsteps:\n  - id: purge\n    title: Purge the cache\n    run: rm -rf ./no-such-cache-dir\n";

#[test]
fn lint_follows_the_configuration_from_a_parent_folder() {
    let t = Test::new()
        .file(".git/HEAD", "ref: refs/heads/main\n")
        .file(
            "runbook.toml",
            "[paths]\nrunbooks = [\"ops/runbooks\"]\n\n[lint]\nignore = [\"RB027\"]\nshellcheck = false\n\n[lint.severity]\nmissing-metadata = \"error\"\n",
        )
        .file("ops/runbooks/purge.yaml", RB)
        .file("sub/dir/.keep", "");
    // From the root: the configured folder is linted, RB027 ignored, RB029 an error.
    let out = t.exec(&["lint"]);
    out.code(1);
    assert!(!out.stdout.contains("RB027"), "{}", out.stdout);
    assert!(out.stdout.contains("error[RB029]"), "{}", out.stdout);
    // Files are named from the working folder, as CI formats need them.
    assert!(
        out.stdout.contains("--> ops/runbooks/purge.yaml"),
        "{}",
        out.stdout
    );
    // From a folder below, the same file is found; a runbook is found by name there too.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["config"])
        .current_dir(t.path("sub/dir"))
        .env("RUNBOOK_STATE_DIR", t.path("env-state"))
        .env_remove("RUNBOOK_PATH")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!(
            "config file: {}",
            t.path("runbook.toml").display()
        )),
        "{text}"
    );
    assert!(text.contains("lint.ignore"), "{text}");
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("lint.ignore ").contains("[\"RB027\"]"), "{text}");
    assert!(line("lint.ignore ").ends_with("runbook.toml:5:1"), "{text}");
    assert!(line("lint.severity.RB029").contains("error"), "{text}");
    assert!(text.contains("RUNBOOK_STATE_DIR"), "{text}");
    // The flag wins over the file.
    let out = t.exec(&["lint", "ops/runbooks/purge.yaml"]);
    assert!(!out.stdout.contains("RB027"));
    // `--config` names another file.
    std::fs::write(t.path("other.toml"), "[lint]\nselect = [\"RB027\"]\n").unwrap();
    let out = t.exec(&["lint", "--config", "other.toml", "ops/runbooks/purge.yaml"]);
    out.code(1);
    assert!(out.stdout.contains("error[RB027]"), "{}", out.stdout);
    assert!(!out.stdout.contains("RB029"), "{}", out.stdout);
}

#[test]
fn the_state_folder_comes_from_the_flag_then_the_file_then_the_environment() {
    let t = Test::new()
        .file(".git/HEAD", "")
        .file("runbook.toml", "[run]\nstate_dir = \"team-runs\"\n")
        .file(
            "runbooks/hello.yaml",
            "title: Hello\nowner: o\ndescription: d\nsteps:\n  - id: hi\n    title: Hi\n    run: echo hi\n",
        );
    t.exec(&["run", "hello", "--yes"]).code(0);
    assert!(
        t.path("team-runs/runs").is_dir(),
        "the file's state_dir is used"
    );
    t.exec(&["run", "hello", "--yes", "--state-dir", "flag-runs"])
        .code(0);
    assert!(t.path("flag-runs/runs").is_dir(), "the flag wins");
    let out = t.exec(&["history"]);
    out.code(0);
    assert!(out.stdout.contains("hello"), "{}", out.stdout);
}

#[test]
fn a_broken_configuration_stops_every_command_at_its_line() {
    let t = Test::new()
        .file(".git/HEAD", "")
        .file("runbook.toml", "[lint]\nignroe = [\"RB029\"]\n")
        .file("runbooks/purge.yaml", RB);
    for args in [
        &["lint"][..],
        &["run", "purge", "--yes"],
        &["history"],
        &["config"],
    ] {
        let out = t.exec(args);
        out.code(2);
        assert!(
            out.stderr
                .contains("error[config]: unknown key `ignroe` in [lint]"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(out.stderr.contains("runbook.toml:2:1"), "{}", out.stderr);
        assert!(
            out.stderr.contains("did you mean `ignore`?"),
            "{}",
            out.stderr
        );
    }
    assert!(!t.path(".state/runs").exists(), "nothing ran");
    // What makes a file unreadable as a runbook cannot be ignored or made a warning.
    for (text, message) in [
        ("[lint]\nignore = [\"RB001\"]\n", "RB001 cannot be ignored"),
        (
            "[lint.severity]\nRB004 = \"warning\"\n",
            "RB004 cannot be a warning",
        ),
        ("[lint]\nselect = []\n", "`lint.select` is empty"),
    ] {
        std::fs::write(t.path("runbook.toml"), text).unwrap();
        let out = t.exec(&["lint"]);
        out.code(2);
        assert!(out.stderr.contains(message), "{text}: {}", out.stderr);
    }
    // `select` keeps them; what lint lets pass, a run accepts.
    std::fs::write(t.path("runbook.toml"), "[lint]\nselect = [\"RB029\"]\n").unwrap();
    std::fs::write(t.path("runbooks/broken.yaml"), "title: [\n").unwrap();
    let out = t.exec(&["lint", "runbooks/broken.yaml"]);
    out.code(1);
    assert!(out.stdout.contains("error[RB001]"), "{}", out.stdout);
    std::fs::write(
        t.path("runbook.toml"),
        "[lint]\nignore = [\"RB027\", \"RB029\"]\n",
    )
    .unwrap();
    t.exec(&["lint", "runbooks/purge.yaml"]).code(0);
    let out = t.exec(&["run", "purge", "--yes"]);
    assert!(!out.stderr.contains("cannot run"), "{}", out.stderr);
    std::fs::write(
        t.path("runbook.toml"),
        "[lint.severity]\nRB999 = \"error\"\n",
    )
    .unwrap();
    let out = t.exec(&["lint"]);
    out.code(2);
    assert!(
        out.stderr.contains("unknown rule `RB999`"),
        "{}",
        out.stderr
    );
    std::fs::write(t.path("runbook.toml"), "[lint\n").unwrap();
    let out = t.exec(&["lint"]);
    out.code(2);
    assert!(
        out.stderr.contains("runbook.toml is not valid TOML"),
        "{}",
        out.stderr
    );
    let out = t.exec(&["lint", "--config", "missing.toml"]);
    out.code(2);
    assert!(
        out.stderr.contains("cannot read missing.toml"),
        "{}",
        out.stderr
    );
    // A file above the repository's root is not read.
    let inner = Test::new().file("runbooks/purge.yaml", RB);
    std::fs::create_dir_all(inner.path("repo/.git")).unwrap();
    std::fs::write(inner.path("runbook.toml"), "broken [").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["config"])
        .current_dir(inner.path("repo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
