//! `runbook examples`: the bundled runbooks listed and copied, never run from the binary; a
//! drill of a copied example in an empty folder.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Test;

const NAMES: [&str; 6] = [
    "db-overload",
    "disk-full",
    "bad-deploy",
    "tls-expiry",
    "incident-kickoff",
    "notify-stakeholders",
];

#[test]
fn examples_are_listed_with_what_they_teach() {
    let out = Test::new().exec(&["examples"]);
    out.code(0);
    for name in NAMES {
        assert!(out.stdout.contains(name), "{name}: {}", out.stdout);
    }
    assert!(out.stdout.contains("Inventory database overloaded"));
    assert!(out.stdout.contains("teaches: "));
}

#[test]
fn a_copied_example_drills_in_an_empty_folder() {
    let t = Test::new();
    // Nothing runs a bundled example from the binary.
    let out = t.exec(&["drill", "db-overload", "--yes"]);
    out.code(2);
    assert!(
        out.stderr.contains("runbook examples copy db-overload"),
        "{}",
        out.stderr
    );
    assert!(!t.path(".state/runs").exists());
    let out = t.exec(&["examples", "copy"]);
    out.code(0);
    let root = common::root();
    for name in NAMES {
        let copied = std::fs::read_to_string(t.path(&format!("runbooks/{name}.yaml"))).unwrap();
        let bundled = std::fs::read_to_string(root.join(format!("runbooks/{name}.yaml"))).unwrap();
        assert_eq!(copied, bundled, "{name}");
        let answers = std::fs::read_to_string(t.path(&format!("answers/{name}.yaml"))).unwrap();
        assert!(!answers.contains("examples/answers/"), "{answers}");
    }
    assert!(
        out.stdout
            .contains("runbook drill db-overload --yes --answers answers/db-overload.yaml --confirm block-client"),
        "{}",
        out.stdout
    );
    t.exec(&[
        "drill",
        "db-overload",
        "--yes",
        "--answers",
        "answers/db-overload.yaml",
        "--confirm",
        "block-client",
    ])
    .code(0);
    t.exec(&["lint", "--no-shellcheck"]).code(0);
    // Never overwritten: the second copy stops before writing, naming the file.
    std::fs::write(t.path("runbooks/disk-full.yaml"), "mine\n").unwrap();
    let out = t.exec(&["examples", "copy", "disk-full"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("runbooks/disk-full.yaml already exists"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(t.path("runbooks/disk-full.yaml")).unwrap(),
        "mine\n"
    );
}

#[test]
fn copy_names_what_it_needs_and_says_what_is_wrong() {
    let t = Test::new();
    // One example brings the runbooks it calls, into a folder that did not exist.
    let out = t.exec(&[
        "examples",
        "copy",
        "db-overload",
        "--to",
        "ops/rb",
        "--answers-to",
        "ops/answers",
    ]);
    out.code(0);
    assert!(t.path("ops/rb/db-overload.yaml").is_file());
    assert!(t.path("ops/rb/notify-stakeholders.yaml").is_file());
    assert!(t.path("ops/answers/db-overload.yaml").is_file());
    assert!(!t.path("ops/rb/disk-full.yaml").exists());
    // A name that is not an example.
    let out = t.exec(&["examples", "copy", "db-overlaod"]);
    out.code(2);
    assert!(
        out.stderr.contains("did you mean `db-overload`?"),
        "{}",
        out.stderr
    );
    // A folder that cannot be made.
    std::fs::write(t.path("a-file"), "").unwrap();
    let out = t.exec(&["examples", "copy", "disk-full", "--to", "a-file/runbooks"]);
    out.code(1);
    assert!(
        out.stderr
            .contains("cannot create the folder a-file/runbooks"),
        "{}",
        out.stderr
    );
}

#[test]
fn answers_are_never_copied_into_the_runbooks_folder_however_it_is_spelt() {
    let t = Test::new();
    for (to, answers) in [
        ("x", "./x/"),
        ("x", "x/../x"),
        ("x", "x/sub"),
        ("./ops/../x", "x/answers"),
    ] {
        let out = t.exec(&["examples", "copy", "--to", to, "--answers-to", answers]);
        out.code(2);
        assert!(
            out.stderr.contains("--answers-to"),
            "{to} {answers}: {}",
            out.stderr
        );
        assert!(!t.path("x").exists(), "nothing is created when refused");
    }
}
