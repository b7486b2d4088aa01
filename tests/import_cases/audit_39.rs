//! Audit 39's findings on placeholders, fences, hosts, speed and the Markdown round trip of
//! `runbook import`: each page (testdata/import/audit39/) imports with the real binary, lints
//! without errors and walks to its end.

use super::audit_14p::{dry_run, imported};
use super::common::{Test, root};

/// A page of testdata/import/audit39/ in a test's folder, as `name.md`.
fn page(name: &str) -> Test {
    let text =
        std::fs::read_to_string(root().join(format!("testdata/import/audit39/{name}.md"))).unwrap();
    Test::new().file(&format!("{name}.md"), &text)
}

/// I-1: `{{namespace}}` / `{{ namespace }}`, one name in braces, in a shell command is a
/// placeholder: an input placed as a value, never run as written; `{{ .Values.x }}` of
/// another template language stays `templates: false`.
#[test]
fn a_name_alone_in_braces_is_a_placeholder() {
    let name = "prometheus-mustache";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(
        yaml.contains(
            "    run: \"kubectl delete pod -n {{ inputs.namespace }} prometheus-k8s-0\"\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("kubectl wait -n {{ inputs.namespace }} --for=condition=Ready"),
        "{yaml}"
    );
    assert!(
        yaml.contains("  namespace:\n    description: \"The value of {{namespace}} on the page\""),
        "{yaml}"
    );
    // The other template language's command is kept as written.
    assert_eq!(yaml.matches("    templates: false\n").count(), 1, "{yaml}");
    assert!(
        yaml.contains("-o go-template='{{ .Values.retention }}'"),
        "{yaml}"
    );
    assert!(
        err.contains(&format!(
            "{name}.md:12:23: guess: `{{{{namespace}}}}` is a placeholder (one name in `{{{{ }}}}`"
        )),
        "{err}"
    );
    let shown = dry_run(&t, name, None, &["namespace=monitoring"]);
    assert!(
        shown.contains("kubectl delete pod -n monitoring prometheus-k8s-0")
            && shown.contains("kubectl wait -n monitoring --for=condition=Ready"),
        "{shown}"
    );
    // `show --format md` writes it back as the page did.
    let md = t.exec(&["show", &format!("{name}.yaml"), "--format", "md"]);
    md.code(0);
    assert!(
        md.stdout
            .contains("kubectl delete pod -n {{namespace}} prometheus-k8s-0"),
        "{}",
        md.stdout
    );
}

/// I-9: `~~~~bash` or ```` ````bash ```` "closed" by a ```` ``` ```` line: that line is no
/// command, the fence said never closed, the text after it text; the draft lints.
#[test]
fn a_fence_closed_by_a_shorter_one_ends_there_and_is_said() {
    let name = "unclosed-tilde-fence";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(
        yaml.contains("    run: \"rm -rf /tmp/scratch/job-42\"\n"),
        "{yaml}"
    );
    assert!(yaml.contains("    run: \"df -h /tmp\"\n"), "{yaml}");
    assert!(
        !yaml.contains("run: \"rm -rf /tmp/scratch/job-42\\n"),
        "{yaml}"
    );
    for line in [9, 15] {
        assert!(
            err.contains(&format!("{name}.md:{line}:1: guess: the fence opened with")),
            "{line}: {err}"
        );
    }
    assert!(
        err.contains("the fence opened with 4 tildes at line 7 is never closed (a line of 3 backticks does not close it"),
        "{err}"
    );
    let shown = dry_run(&t, name, None, &[]);
    assert!(
        shown.contains("$ rm -rf /tmp/scratch/job-42") && shown.contains("$ df -h /tmp"),
        "{shown}"
    );
}

/// I-10: one command line of 200,000 `<…>` words imports in one pass (it was quadratic: 40,000
/// took 12 s, this many minutes), kept as written and said.
#[test]
fn a_line_of_200000_placeholders_imports() {
    let words: Vec<String> = (0..200_000).map(|k| format!("<P{k}>")).collect();
    let page = format!(
        "# Generated\n\n## Steps\n\n```bash\necho \"{}\"\n```\n",
        words.join(" ")
    );
    let t = Test::new().file("many.md", &page);
    let (yaml, err) = imported(&t, "many");
    assert!(
        err.contains(
            "more than 256 `<…>` words, more than the importer follows one by one: kept as written"
        ),
        "{err}"
    );
    assert!(yaml.contains("<P199999>\\\""), "the command is kept whole");
}

/// I-5: after a step that logs in to another host (`ssh bastion` alone), the blocks of the
/// sections after it are said to be meant there, maybe; I-7: `ssh <NODE> 'command'` runs
/// there itself, no guess.
#[test]
fn commands_after_a_host_login_are_said_and_an_ssh_one_liner_is_not() {
    let name = "redis-bastion";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(
        err.contains(&format!(
            "{name}.md:11:1: guess: `ssh bastion.example.internal` at 7:2 logs in to another host, and the page never leaves it"
        )),
        "{err}"
    );
    assert!(
        !err.contains(&format!("{name}.md:19:1: guess")),
        "the ssh one-liner is where the page means it: {err}"
    );
    assert!(
        !err.contains("means these commands for another host"),
        "{err}"
    );
    assert!(
        yaml.contains("ssh {{ inputs.redis_node }} 'sudo systemctl status redis'"),
        "{yaml}"
    );
    dry_run(&t, name, None, &["redis_host=r1", "redis_node=n1"]);
}

/// I-17: `read -r -p "…" TICKET` sets `$TICKET`: no input asked at the start.
#[test]
fn read_with_a_prompt_sets_its_variable() {
    let name = "ticket-read";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(!yaml.contains("inputs:"), "{yaml}");
    assert!(!err.contains("`$TICKET` is set nowhere"), "{err}");
    assert!(
        yaml.contains("read -r -p \"Ticket number: \" TICKET"),
        "{yaml}"
    );
}

/// I-19: `$APP` and `$APP_NAMESPACE`, used only in Option 1, are asked in that option, not
/// of every operator before the run (as `<REPLICAS>` of Option 2 is).
#[test]
fn a_variable_of_one_option_is_asked_there() {
    let name = "ingress-options";
    let t = page(name)
        .file("one.yaml", "which-applies: 1\n")
        .file("two.yaml", "which-applies: 2\n");
    let (yaml, err) = imported(&t, name);
    assert!(!yaml.contains("inputs:"), "{yaml}");
    assert!(
        err.contains("guess: `$APP` is set nowhere on the page: asked for as `app` in the option that uses it"),
        "{err}"
    );
    assert!(
        yaml.contains("        - var: app\n")
            && yaml.contains("        - var: app_namespace\n")
            && yaml.contains("APP: \"{{ vars.app }}\"")
            && yaml.contains("APP_NAMESPACE: \"{{ vars.app_namespace }}\""),
        "{yaml}"
    );
    // Option 2's operator is asked nothing of Option 1's.
    let two = dry_run(&t, name, Some("two.yaml"), &[]);
    assert!(two.contains("--replicas="), "{two}");
    assert!(!two.contains("rollout undo"), "{two}");
    let one = dry_run(&t, name, Some("one.yaml"), &[]);
    assert!(one.contains("rollout undo"), "{one}");
}

/// I-12: a placeholder's guess is at the placeholder's line and column, not its fence's;
/// I-8 and I-16: `show --format md` keeps a heading's code span, and a step under a nested
/// section is a heading below it.
#[test]
fn placeholder_guesses_point_at_the_word_and_show_keeps_heading_code() {
    let name = "sidekiq-placeholders";
    let t = page(name);
    let (_, err) = imported(&t, name);
    assert!(
        err.contains(&format!(
            "{name}.md:11:22: guess: `YOUR_CLUSTER` reads as a placeholder"
        )),
        "{err}"
    );
    dry_run(&t, name, None, &["queue_name=q"]);
    let md = t.exec(&["show", &format!("{name}.yaml"), "--format", "md"]);
    md.code(0);
    // The step's heading keeps the item's code span, a level below its section's.
    assert!(
        md.stdout.lines().any(|l| l.starts_with("#### ")
            && l.ends_with("Look at the busiest workers on the node `<SIDEKIQ_NODE>`")),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains("### Find the busy node\n"),
        "{}",
        md.stdout
    );
    assert!(!md.stdout.contains("\\`"), "{}", md.stdout);
}
