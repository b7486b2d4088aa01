//! Audit 41's critical findings on `runbook import`: each page (testdata/import/audit41/)
//! imports with the real binary, lints without errors and walks to its end; pathological
//! pages are generated here and imported within the test's normal time.

use super::audit_14p::{dry_run, imported, imported_only, step};
use super::common::{Test, root};

/// A page of testdata/import/audit41/ in a test's folder, as `name.md`.
fn page(name: &str) -> Test {
    let text =
        std::fs::read_to_string(root().join(format!("testdata/import/audit41/{name}.md"))).unwrap();
    Test::new().file(&format!("{name}.md"), &text)
}

/// The `run:` values of a draft, as written in its YAML.
fn runs(yaml: &str) -> Vec<&str> {
    yaml.lines()
        .filter_map(|l| l.trim_start().strip_prefix("run: "))
        .collect()
}

/// I41-8: a fence indented four spaces (at the margin, or four past a list item's) is an
/// indented code block whose first and last lines are ```` ```bash ```` and ```` ``` ````:
/// read as that fence, said, never a script whose backtick lines run the output.
#[test]
fn an_indented_code_block_showing_a_fence_is_that_fence() {
    let name = "indented-fence";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(runs(&yaml).iter().all(|r| !r.contains('`')), "{yaml}");
    for command in [
        r#"curl -s \"$ES_URL/_cat/shards?v\" | grep UNASSIGNED"#,
        r#"curl -s \"$ES_URL/_cluster/allocation/explain?pretty\""#,
        r#"curl -s -XPOST \"$ES_URL/_cluster/reroute?retry_failed=true\""#,
    ] {
        assert!(
            runs(&yaml).contains(&format!("\"{command}\"").as_str()),
            "{command}\n{yaml}"
        );
    }
    for at in ["9:5", "15:8"] {
        assert!(
            err.contains(&format!(
                "{name}.md:{at}: guess: an indented code block showing a fence"
            )),
            "{at}\n{err}"
        );
    }
    let shown = dry_run(&t, name, None, &["es_url=http://es-01:9200"]);
    assert!(
        shown.contains("curl -s \"$ES_URL/_cluster/allocation/explain?pretty\""),
        "{shown}"
    );
    // Nested items whose fences fall into one indented code block (several fences in it):
    // text, not run.
    let mut nested = String::from("# N\n\n");
    for k in 0..60 {
        let pad = " ".repeat(2 * k);
        nested.push_str(&format!(
            "{pad}1. step\n\n{pad}  ```bash\n{pad}  echo {k}\n{pad}  ```\n\n"
        ));
    }
    let t = Test::new().file("nested.md", &nested);
    let (yaml, err) = imported(&t, "nested");
    assert!(runs(&yaml).iter().all(|r| !r.contains('`')), "{yaml}");
    assert!(
        err.contains(
            "left as text: an untagged block, an indented code block holding ``` or ~~~ lines"
        ),
        "{err}"
    );
    dry_run(&t, "nested", None, &[]);
}

/// I41-11: the lines of a here-document, quoted or not, are the document's text: no input
/// or runbook `env:` from `KEY=…` or `export KEY=…` there, a quoted one's placeholder kept
/// as written.
#[test]
fn here_document_lines_are_text_not_assignments() {
    let name = "heredoc-settings";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(!yaml.contains("\ninputs:"), "{yaml}");
    assert!(
        !yaml.contains("\nenv:") && !yaml.contains("    env:"),
        "{yaml}"
    );
    let written = step(&yaml, "write-the-maintenance-note-for-the-on");
    assert!(
        written.contains("      TICKET=<TICKET>\n      REASON=\"disk replacement\"\n      EOF\n"),
        "{written}"
    );
    assert!(
        step(&yaml, "point-the-app-at-the-replica")
            .contains("      DB_HOST=db-02.internal\n      DB_PORT=5432\n      EOF\n"),
        "{yaml}"
    );
    assert!(
        step(&yaml, "route-the-app-s-traffic-through-the")
            .contains("      export HTTP_PROXY=http://proxy.internal:3128\n      EOF\n"),
        "{yaml}"
    );
    assert!(
        err.contains("<TICKET> stands in a quoted here-document"),
        "{err}"
    );
    let shown = dry_run(&t, name, None, &[]);
    assert!(shown.contains("TICKET=<TICKET>"), "{shown}");
}

/// I41-1: a variable exported twice with different values: its input gives the first
/// export's value, which the first export writes and the steps up to the second get; the
/// steps after the second get the second value.
#[test]
fn an_export_of_another_value_takes_over_from_the_input() {
    let name = "redis-exported-twice";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(
        yaml.contains("  redis_host:\n    description: \"$REDIS_HOST, set by `export` on the page\"\n    default: \"redis-sessions-01.int\"\n"),
        "{yaml}"
    );
    assert!(
        step(&yaml, "connect-to-the-primary")
            .contains("      export REDIS_HOST={{ inputs.redis_host }}\n"),
        "{yaml}"
    );
    let given = "      REDIS_HOST: \"{{ inputs.redis_host }}\"\n";
    for id in ["check-the-keys-of-the-sessions-db", "flush-the-sessions-db"] {
        assert!(step(&yaml, id).contains(given), "{id}\n{yaml}");
    }
    let replica = step(&yaml, "check-that-the-replica-answers");
    assert!(
        replica.contains("      REDIS_HOST: \"redis-sessions-02.int\"\n")
            && !replica.contains("inputs.redis_host"),
        "{yaml}"
    );
    assert!(
        err.contains("guess: `$REDIS_HOST` is exported with different values on the page"),
        "{err}"
    );
    let shown = dry_run(&t, name, None, &["redis_host=redis-test.int"]);
    assert!(
        shown.contains("export REDIS_HOST=redis-test.int")
            && !shown.contains("redis-sessions-01.int"),
        "{shown}"
    );
}

/// I41-16: an `export` under an "If …" item reaches the step after the decision only on
/// the walk through it; a multi-word value that a step splits into words stays in its step
/// as written, said, and the draft dry-runs.
#[test]
fn a_conditional_export_is_given_only_on_its_walk() {
    let name = "conditional-export";
    let t = page(name)
        .file("force.yaml", "which-applies: 1\n")
        .file("skip.yaml", "which-applies: 2\n");
    let (yaml, err) = imported(&t, name);
    // (I41-17: "Cordon the node:" names no other host.)
    assert!(
        !err.contains("means these commands for another host"),
        "{err}"
    );
    assert!(
        step(&yaml, "drain-it").contains(
            "      GRACE_PERIOD: \"{{ inputs.grace_period if vars.which_applies_choice == '1' else '' }}\"\n"
        ),
        "{yaml}"
    );
    for (answers, longer) in [("force.yaml", true), ("skip.yaml", false)] {
        let shown = dry_run(&t, name, Some(answers), &["node=node-7"]);
        assert_eq!(
            shown.contains("export GRACE_PERIOD=600"),
            longer,
            "{answers}\n{shown}"
        );
        assert!(
            shown.contains("kubectl drain node-7 --ignore-daemonsets"),
            "{shown}"
        );
    }

    let name = "multi-word-flags";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(!yaml.contains("drain_flags"), "{yaml}");
    assert!(
        step(&yaml, "choose-the-drain-flags")
            .contains(r#"export DRAIN_FLAGS=\"--delete-emptydir-data --force\""#),
        "{yaml}"
    );
    assert!(
        err.contains("guess: `$DRAIN_FLAGS` is exported here as `--delete-emptydir-data --force`, which a step uses where the run refuses such a value"),
        "{err}"
    );
    dry_run(&t, name, None, &["node=node-7"]);
}

/// I41-7: one line of 200,000 `$V`s, or of 20,000 distinct `${V_i}`s, imports in linear
/// time (the `$VAR`s past a budget are said, not asked for); I41-14: 20,000 sections each
/// with its own `<P_i>` or `export V_i=` are refused before the work that grows with
/// inputs × steps, said.
#[test]
fn pathological_variables_and_inputs_end_quickly() {
    let same = format!("# S\n\n```bash\necho{}\n```\n", " $V".repeat(200_000));
    let distinct: String = (0..20_000).map(|k| format!(" ${{V{k}}}")).collect();
    let distinct = format!("# D\n\n```bash\necho{distinct}\n```\n");
    let t = Test::new()
        .file("same.md", &same)
        .file("distinct.md", &distinct);
    // (Imported only: lint of a 1 MB command line is not this test's subject.)
    let (yaml, _) = imported_only(&t, "same");
    assert!(
        yaml.contains("\n  v:\n"),
        "{}",
        &yaml[..yaml.len().min(2000)]
    );
    let (yaml, err) = imported_only(&t, "distinct");
    assert!(
        yaml.contains("\n  v0:\n"),
        "{}",
        &yaml[..yaml.len().min(2000)]
    );
    assert!(
        err.contains("the page's commands hold more `$VAR`s than the importer reads one by one"),
        "{}",
        &err[..err.len().min(2000)]
    );
    for (file, line) in [
        ("inputs.md", "echo <P_{k}>"),
        ("exports.md", "export V_{k}=a"),
    ] {
        let page: String = (0..20_000)
            .map(|k| {
                format!(
                    "## S{k}\n\n```bash\n{}\n```\n\n",
                    line.replace("{k}", &k.to_string())
                )
            })
            .collect();
        let t = Test::new().file(file, &format!("# Many\n\n{page}"));
        let out = t.exec(&["import", file, "-o", "out.yaml"]);
        out.code(1);
        assert!(
            out.stderr.contains(&format!(
                "{file}: the page asks for more than 5000 inputs (placeholders, exports and unset `$VAR`s), more than a runbook made of one page may ask for: nothing was written"
            )) && out.stderr.contains("help: split the page"),
            "{}",
            out.stderr
        );
        assert!(!t.path("out.yaml").exists());
    }
}

/// I41-3: after `pgbouncer=# \q` the shell's `$ ` prompt comes back: the commands after it
/// run in the step, the lines typed in psql are shown, not run.
#[test]
fn the_shell_prompt_after_another_program_quits_is_a_command_again() {
    let name = "psql-then-shell";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(
        yaml.contains(
            "      psql -h pgbouncer-01 -p 6432 -U pgbouncer pgbouncer\n      systemctl status pgbouncer --no-pager\n"
        ),
        "{yaml}"
    );
    assert!(yaml.contains("pgbouncer=# SHOW POOLS;"), "{yaml}");
    assert!(
        err.contains("guess: `psql -h pgbouncer-01 -p 6432 -U pgbouncer pgbouncer` opens a shell"),
        "{err}"
    );
    let shown = dry_run(&t, name, None, &[]);
    assert!(
        shown.contains("systemctl status pgbouncer --no-pager"),
        "{shown}"
    );
}
