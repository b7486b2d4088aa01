//! Audit 41's findings on outputs, transcripts and site markup in `runbook import`: each page
//! (testdata/import/audit41/) imports with the real binary, lints without errors and walks to
//! its end.

use super::audit_14p::{dry_run, imported, step};
use super::common::{Test, root};

/// A page of testdata/import/audit41/ in a test's folder, as `name.md`.
fn page(name: &str) -> Test {
    let text =
        std::fs::read_to_string(root().join(format!("testdata/import/audit41/{name}.md"))).unwrap();
    Test::new().file(&format!("{name}.md"), &text)
}

/// I41-19: an untagged block right after a command's is its output unless every line reads
/// as a command: psql's `-------` / `(1 row)`, `df -h`, `free -m`, `uptime`, `date`,
/// `etcdctl member list`, `ps aux`, `mysql … \G`, `ls -la` are shown, not run; a block of
/// commands is still joined; each step keeps its heading's title.
#[test]
fn an_untagged_block_after_a_command_is_its_output_unless_all_commands() {
    let name = "outputs-after-commands";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    for (id, command, output) in [
        (
            "count-the-connections",
            "sudo -u postgres psql -c \\\"select count(*) from pg_stat_activity\\\"",
            "(1 row)",
        ),
        (
            "check-the-disk",
            "df -h /var/lib/postgresql",
            "/dev/sda1        99G",
        ),
        ("check-the-memory", "free -m", "Mem:          15884"),
        ("check-the-load", "uptime", "10:14:03 up 412 days"),
        ("check-the-clock", "date -u", "Mon Dec  7 10:14:03 UTC 2026"),
        (
            "check-etcd",
            "etcdctl member list",
            "8e9e05c52164694d, started",
        ),
        (
            "check-the-workers",
            "ps aux | grep [s]idekiq",
            "git       1234 99.0",
        ),
        (
            "check-the-replica",
            "Seconds",
            "Seconds_Behind_Master: 3600",
        ),
        (
            "check-the-socket-folder",
            "ls -la /var/run/postgresql",
            "drwxrwsr-x 2 postgres",
        ),
    ] {
        let s = step(&yaml, id);
        // The command alone is run; its output is in the instructions, under "Output:".
        let run = s
            .split("    run: ")
            .nth(1)
            .unwrap_or_else(|| panic!("no run in {id}:\n{s}"));
        assert!(run.contains(command), "{id}: {s}");
        assert!(!run.contains(output), "{id}: {s}");
        assert!(
            s.contains("    instructions: |-\n      Output:\n\n      ```\n") && s.contains(output),
            "{id}: {s}"
        );
    }
    // No step titled "Output".
    assert!(!yaml.contains("title: \"Output\""), "{yaml}");
    // A block of commands after a command's is still joined to its script.
    assert!(
        step(&yaml, "restart-the-pooler").contains(
            "    run: |-\n      sudo systemctl restart pgbouncer\n      sudo systemctl status pgbouncer --no-pager\n"
        ),
        "{yaml}"
    );
    assert!(
        err.contains(&format!(
            "{name}.md:11:1: left as text: an untagged block, the output of the command before it (not every line reads as a command), shown, not run: tag the block `bash` if it is commands to run"
        )),
        "{err}"
    );
    let shown = dry_run(&t, name, None, &[]);
    assert!(shown.contains("df -h /var/lib/postgresql"), "{shown}");
}

/// I41-30: Jekyll's `{% raw %}` / `{% endraw %}` lines are the site's markup, left out and
/// said; the command between them is kept as written; a step's `{%` in its text is written
/// in a way that lints.
#[test]
fn liquid_raw_lines_are_left_out() {
    let name = "jekyll-raw";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(!yaml.contains("raw %}"), "{yaml}");
    assert!(
        !yaml.contains("id: raw") && !yaml.contains("id: endraw"),
        "{yaml}"
    );
    assert!(
        yaml.contains("docker ps -a --format '{{.Names}} {{.Status}}' | grep -v Up"),
        "{yaml}"
    );
    assert!(yaml.contains("{{ '{%' }} if restart %}"), "{yaml}");
    for line in [10, 14, 24, 26] {
        assert!(
            err.contains(&format!("{name}.md:{line}:1: left as text: `{{%")),
            "{line}: {err}"
        );
    }
    let shown = dry_run(&t, name, None, &["container=api"]);
    assert!(
        shown.contains("docker restart api") && shown.contains("{% if restart %}"),
        "{shown}"
    );
}

/// I41-23: after `# cat /etc/fstab` in a root transcript, `# /etc/fstab: …`, `# <file
/// system> …` and `# remove old files` are the file's lines, shown; `# mount -a` runs.
#[test]
fn a_files_comments_after_a_root_cat_are_output() {
    let name = "root-file-transcript";
    let t = page(name);
    let (yaml, _) = imported(&t, name);
    assert!(
        step(&yaml, "log-in-as-root-and-look-at-the-entry-for")
            .contains("    run: |-\n      cat /etc/fstab\n      mount -a\n"),
        "{yaml}"
    );
    assert!(
        step(&yaml, "check-the-cleanup-job")
            .contains("    run: |-\n      cat /etc/cron.d/cleanup\n      systemctl restart cron\n"),
        "{yaml}"
    );
    assert!(
        yaml.contains("# /etc/fstab: static file system information.")
            && yaml.contains("# remove old files"),
        "{yaml}"
    );
    dry_run(&t, name, None, &[]);
}

/// I41-4: zsh's `% `, `user@host ~ % `, oh-my-zsh's `➜  ~ ` and `(venv) $ ` are prompts:
/// their commands run, their output is shown.
#[test]
fn zsh_and_virtualenv_prompts_are_prompts() {
    let name = "zsh-prompts";
    let t = page(name);
    let (yaml, _) = imported(&t, name);
    for run in [
        "    run: |-\n      kubectl get pods -n gitlab -l app=webservice\n      kubectl delete pod -n gitlab webservice-abc\n",
        "    run: \"kubectl get ns\"\n",
        "    run: \"aws sts get-caller-identity\"\n",
        "    run: \"ansible-playbook -i inventory/prod site.yml --limit web\"\n",
    ] {
        assert!(yaml.contains(run), "{run}\n{yaml}");
    }
    let shown = dry_run(&t, name, None, &[]);
    assert!(
        shown.contains("kubectl delete pod -n gitlab webservice-abc"),
        "{shown}"
    );
}

/// I41-15: a page whose lines end in a carriage return alone: its closed fences are closed,
/// their commands run, and what is said points at the page's lines.
#[test]
fn carriage_returns_alone_end_lines() {
    let name = "cr-only";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(yaml.contains("title: \"Nginx down\""), "{yaml}");
    assert!(
        step(&yaml, "restart-it").contains("    run: \"sudo systemctl restart nginx\"\n"),
        "{yaml}"
    );
    assert!(
        step(&yaml, "check-it").contains("    run: \"curl -sI http://localhost/ | head -1\"\n"),
        "{yaml}"
    );
    assert!(!err.contains("never closed"), "{err}");
    let shown = dry_run(&t, name, None, &[]);
    assert!(shown.contains("sudo systemctl restart nginx"), "{shown}");
}

/// I41-13: bash's `${#PODS[@]}` and `${#HOSTNAME}` are lengths, not `{#` of another template
/// language; `$BASH_VERSION` and a `getopts` name are not inputs.
#[test]
fn bash_lengths_and_variables_are_no_inputs() {
    let name = "bash-lengths";
    let t = page(name);
    let (yaml, err) = imported(&t, name);
    assert!(!yaml.contains("templates: false"), "{yaml}");
    assert!(!err.contains("another template language"), "{err}");
    assert!(
        yaml.contains("  namespace:\n") && yaml.contains("${#PODS[@]} pods pending in "),
        "{yaml}"
    );
    assert!(
        !yaml.contains("bash_version") && !yaml.contains("  opt:"),
        "{yaml}"
    );
    let shown = dry_run(&t, name, None, &["namespace=shop"]);
    assert!(shown.contains("pods pending in shop"), "{shown}");
}
