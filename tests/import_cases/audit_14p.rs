//! Audit 14p's findings on `runbook import`, each a small page that imports, lints without
//! errors and walks to its end.

use super::common::{Test, root};

/// The page `testdata/import/{name}.md`.
pub(super) fn page(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("testdata/import/{name}.md"))).unwrap()
}

/// The YAML of the step with id `id` (up to the next step).
pub(super) fn step<'a>(yaml: &'a str, id: &str) -> &'a str {
    let start = yaml
        .find(&format!("  - id: {id}\n"))
        .unwrap_or_else(|| panic!("no step {id}:\n{yaml}"));
    let rest = &yaml[start + 1..];
    // (Its last line with its newline.)
    let end = rest.find("\n  - id: ").map_or(rest.len(), |n| n + 1);
    &yaml[start..start + 1 + end]
}

/// Imports `page` as `name.md` to `name.yaml`, which must lint without errors; the draft
/// and what was said on stderr.
pub(super) fn imported(t: &Test, name: &str) -> (String, String) {
    let (yaml, err) = imported_only(t, name);
    t.exec(&["lint", "--no-shellcheck", &format!("{name}.yaml")])
        .code(0);
    (yaml, err)
}

/// `name.md` imported to `name.yaml`, not linted: the draft and what import said.
pub(super) fn imported_only(t: &Test, name: &str) -> (String, String) {
    let out = t.exec(&[
        "import",
        &format!("{name}.md"),
        "-o",
        &format!("{name}.yaml"),
    ]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path(&format!("{name}.yaml"))).unwrap_or_default();
    (yaml, out.stderr.clone())
}

/// A dry-run of `name.yaml` with `answers` (a file of the test) and `inputs`: what it
/// showed, once it walked to its end.
pub(super) fn dry_run(t: &Test, name: &str, answers: Option<&str>, inputs: &[&str]) -> String {
    let file = format!("{name}.yaml");
    let mut args = vec!["run", file.as_str(), "--dry-run", "--yes"];
    if let Some(a) = answers {
        args.extend(["--answers", a]);
    }
    for i in inputs {
        args.extend(["--input", i]);
    }
    let out = t.exec(&args);
    out.code(0);
    assert!(out.stderr.contains("── done"), "{}", out.stderr);
    format!("{}{}", out.stdout, out.stderr)
}

/// A-1: "If X, …" / "Otherwise, if Y, …" paragraphs, then a bare "Otherwise, escalate."
/// with no command: one decision of three, the last its "Otherwise" (it was read after
/// every option).
#[test]
fn if_otherwise_paragraphs_end_in_their_bare_otherwise() {
    let page = "# Pod crashloop\n\n## Mitigation\n\nIf the pod is OOMKilled, raise its memory limit:\n\n```bash\necho raise-limit\n```\n\nOtherwise, if the image is wrong, roll back:\n\n```bash\necho roll-back\n```\n\nOtherwise, escalate to the owning team in #team-api.\n\n## Verify\n\n```bash\necho watch-it\n```\n";
    let t = Test::new()
        .file("crash.md", page)
        .file("one.yaml", "which-applies: 1\n")
        .file("three.yaml", "which-applies: 3\n");
    let (yaml, err) = imported(&t, "crash");
    assert!(
        yaml.contains("        - label: \"If the pod is OOMKilled, raise its memory limit\"\n")
            && yaml.contains("        - label: \"Otherwise, if the image is wrong, roll back\"\n")
            && yaml.contains(
                "        - label: \"Otherwise, escalate to the owning team in #team-api\"\n"
            )
            && !yaml.contains("None of these applies"),
        "{yaml}"
    );
    assert!(
        err.contains("crash.md:7:1: guess: 3 paragraphs read as alternatives"),
        "{err}"
    );
    let one = dry_run(&t, "crash", Some("one.yaml"), &[]);
    assert!(
        one.contains("$ echo raise-limit") && one.contains("$ echo watch-it"),
        "{one}"
    );
    assert!(
        !one.contains("escalate to the owning team in #team-api."),
        "{one}"
    );
    let three = dry_run(&t, "crash", Some("three.yaml"), &[]);
    assert!(
        !three.contains("raise-limit") && !three.contains("roll-back"),
        "{three}"
    );
    assert!(three.contains("$ echo watch-it"), "{three}");
}

/// A-14: "To restart with systemd:" and its block, then "Or, to restart with Docker:" and
/// its: a decision between the two (both ran).
#[test]
fn to_do_a_or_to_do_b_is_a_decision() {
    let page = "# Restart the API\n\n## Restart\n\nTo restart with systemd:\n\n```bash\necho systemctl-restart\n```\n\nOr, to restart with Docker:\n\n```bash\necho docker-restart\n```\n\n## Check\n\n```bash\necho check-it\n```\n";
    let t = Test::new()
        .file("api.md", page)
        .file("docker.yaml", "which-applies: 2\n");
    let (yaml, _) = imported(&t, "api");
    assert!(
        yaml.contains("        - label: \"To restart with systemd\"\n          next: to-restart-with-systemd\n        - label: \"To restart with Docker\"\n          next: or-to-restart-with-docker\n"),
        "{yaml}"
    );
    let shown = dry_run(&t, "api", Some("docker.yaml"), &[]);
    assert!(
        shown.contains("$ echo docker-restart") && shown.contains("$ echo check-it"),
        "{shown}"
    );
    assert!(!shown.contains("systemctl-restart"), "{shown}");
}

/// A-17: a "Table of Contents" heading and its list of links to the page's headings are
/// neither the title nor a step (nor `links`); so is GitLab's `[[_TOC_]]`.
#[test]
fn a_table_of_contents_is_skipped() {
    let page = "## Table of Contents\n\n- [Meaning](#meaning)\n- [Impact](#impact)\n- [Mitigation](#mitigation)\n  - [Restart](#restart)\n\n# KubeNodeNotReady\n\n[[_TOC_]]\n\n## Meaning\n\nA node is not ready.\n\n## Mitigation\n\n```bash\necho describe-node\n```\n";
    let t = Test::new().file("node.md", page);
    let (yaml, err) = imported(&t, "node");
    assert!(yaml.contains("\ntitle: \"KubeNodeNotReady\"\n"), "{yaml}");
    assert!(
        !yaml.contains("Table of Contents") && !yaml.contains("#meaning") && !yaml.contains("TOC"),
        "{yaml}"
    );
    assert!(!yaml.contains("\nlinks:"), "{yaml}");
    assert_eq!(yaml.matches("  - id: ").count(), 1, "{yaml}");
    assert!(err.contains(" 0 guesses,"), "{err}");
    dry_run(&t, "node", None, &[]);
}

/// A-19: `$ oc debug node/<node>` then `sh-4.4#` lines: the command is a step that runs
/// (interactive), the lines typed in the debug shell shown in it, said as a guess.
#[test]
fn a_debug_shells_lines_are_shown_in_the_step_that_opens_it() {
    let page = "# Kubelet down\n\n## Diagnosis\n\n```console\n$ oc debug node/<node>\nStarting pod/node-debug ...\nsh-4.4# chroot /host\nsh-4.4# journalctl -u kubelet --since -1h\n```\n\n## Escalate\n\n```bash\necho page-team\n```\n";
    let t = Test::new().file("kubelet.md", page);
    let (yaml, err) = imported(&t, "kubelet");
    let step = yaml
        .split("  - id: ")
        .find(|s| s.contains("oc debug node/{{ inputs.node }}"))
        .unwrap_or_else(|| panic!("no step runs oc debug:\n{yaml}"));
    assert!(
        step.contains("    run: \"oc debug node/{{ inputs.node }}\"\n")
            && step.contains("    interactive: true\n"),
        "{yaml}"
    );
    assert!(
        step.contains(
            "      sh-4.4# chroot /host\n      sh-4.4# journalctl -u kubelet --since -1h\n"
        ) && step.contains("the shell that `oc debug node/<node>` opens, not run here"),
        "{yaml}"
    );
    assert!(!yaml.contains("run: \"chroot"), "{yaml}");
    assert!(
        err.contains("kubelet.md:8:1: guess: `oc debug node/<node>` opens a shell: the lines after it, to type at the `sh-4.4#` prompt"),
        "{err}"
    );
    let shown = dry_run(&t, "kubelet", None, &["node=worker-1"]);
    assert!(shown.contains("$ echo page-team"), "{shown}");
}

/// A-26: "If the disk is still full after that, …" after an "If …" item follows it: a
/// decision of its own, whose other option goes on (it was made the first one's
/// alternative, never both).
#[test]
fn a_follow_up_condition_is_asked_after_the_step_before() {
    let page = "# Disk\n\n## Fix\n\n1. If the journal is large, vacuum it:\n\n   ```bash\n   echo vacuum-it\n   ```\n\n2. If the disk is still full after that, prune images:\n\n   ```bash\n   echo prune-it\n   ```\n\n## Verify\n\n```bash\necho df-it\n```\n";
    let t = Test::new()
        .file("disk.md", page)
        .file("both.yaml", "which-applies: 1\nwhich-applies-2: 1\n")
        .file("second.yaml", "which-applies: 2\nwhich-applies-2: 1\n");
    let (yaml, _) = imported(&t, "disk");
    assert!(
        yaml.contains(
            "        - label: \"It does not apply: skip it\"\n          next: which-applies-2\n"
        ),
        "{yaml}"
    );
    let both = dry_run(&t, "disk", Some("both.yaml"), &[]);
    assert!(
        both.contains("$ echo vacuum-it") && both.contains("$ echo prune-it"),
        "{both}"
    );
    let second = dry_run(&t, "disk", Some("second.yaml"), &[]);
    assert!(
        !second.contains("vacuum-it") && second.contains("$ echo prune-it"),
        "{second}"
    );
}

/// A-9: a page read from stdin is `<stdin>` in the header, the description and the
/// diagnostics, never "page.md".
#[test]
fn a_page_from_stdin_is_named_stdin() {
    let t = Test::new().stdin("```bash\nuptime\n```\n");
    let out = t.exec(&["import", "-"]);
    out.code(0);
    assert!(!out.stdout.contains("page.md"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("# Imported from <stdin> by `runbook import`")
            && out
                .stdout
                .contains("description: \"Imported from <stdin>.\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.starts_with("imported <stdin>: ")
            && out
                .stderr
                .contains("  <stdin>:1:1: guess: the page, read from <stdin>, has no heading"),
        "{}",
        out.stderr
    );
}

/// A-10: `-o` into a folder that does not exist, or naming a folder, says so and what to do
/// (not that a file is never overwritten).
#[test]
fn an_output_path_that_cannot_be_written_says_why() {
    let t = Test::new()
        .file("p.md", "# P\n\n```bash\nuptime\n```\n")
        .file("out/keep.txt", "x");
    let missing = t.exec(&["import", "p.md", "-o", "nowhere/p.yaml"]);
    missing.code(1);
    assert!(
        missing
            .stderr
            .contains("cannot write nowhere/p.yaml: the folder nowhere does not exist")
            && missing.stderr.contains("mkdir -p nowhere")
            && !missing.stderr.contains("overwritten"),
        "{}",
        missing.stderr
    );
    let folder = t.exec(&["import", "p.md", "-o", "out"]);
    folder.code(1);
    assert!(
        folder.stderr.contains("cannot write out: it is a folder")
            && folder.stderr.contains("out/NAME.yaml")
            && !folder.stderr.contains("overwritten"),
        "{}",
        folder.stderr
    );
}

/// A-28: an export every walk passes, whose variable no step before uses, is given once
/// through the runbook's `env:` (it was copied into every later step's), and the run sees
/// its value in every step after it.
#[test]
fn an_export_on_every_walk_is_given_once_in_the_runbooks_env() {
    let mut page = String::from("# Exports\n\n```bash\nexport NS=prod\n```\n");
    for k in 1..=30 {
        page.push_str(&format!(
            "\n## Step {k}\n\n```bash\necho step-{k} \"$NS\"\n```\n"
        ));
    }
    let t = Test::new().file("ex.md", &page);
    let (yaml, _) = imported(&t, "ex");
    assert!(
        yaml.contains("\nenv:\n  NS: \"{{ inputs.ns }}\"\n"),
        "{yaml}"
    );
    assert_eq!(yaml.matches("NS: \"{{ inputs.ns }}\"").count(), 1, "{yaml}");
    let out = t.exec(&["run", "ex.yaml", "--yes"]);
    out.code(0);
    let shown = format!("{}{}", out.stdout, out.stderr);
    assert!(
        shown.contains("step-1 prod") && shown.contains("step-30 prod"),
        "{shown}"
    );
}
