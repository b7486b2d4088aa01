//! Audit 18's findings on `runbook import`, each a small page that imports, lints without
//! errors and walks to its end.

use super::audit_14p::{dry_run, imported};
use super::common::Test;

/// A-7: a custom script RB027 does not know, under "This is irreversible and deletes all
/// data": a dangerous step, its words quoted in the guess.
#[test]
fn a_step_the_page_calls_irreversible_is_dangerous() {
    let page = "# Purge a tenant\n\n## Mitigation\n\n1. Purge the tenant's data. **Warning**: this is irreversible and deletes all data of the tenant.\n\n   ```bash\n   ./scripts/purge-tenant.sh <TENANT>\n   ```\n\n2. Check the queue:\n\n   ```bash\n   echo check-queue\n   ```\n";
    let t = Test::new().file("purge.md", page);
    let (yaml, err) = imported(&t, "purge");
    assert!(
        yaml.contains("    run: \"./scripts/purge-tenant.sh {{ inputs.tenant }}\"\n    dangerous: true\n    # TODO(import) purge.md:7:4: dangerous (the page says irreversible): no rollback could be derived"),
        "{yaml}"
    );
    assert!(
        err.contains("purge.md:7:4: guess: dangerous: the page says \"irreversible\""),
        "{err}"
    );
    // The step that says nothing of the kind stays as it was.
    assert_eq!(yaml.matches("dangerous: true").count(), 1, "{yaml}");
    let shown = dry_run(&t, "purge", None, &["tenant=acme"]);
    assert!(
        shown.contains("./scripts/purge-tenant.sh acme") && shown.contains("echo check-queue"),
        "{shown}"
    );
}

/// A-5: "On the database server:" with no shell opened before it, and a block right after
/// `ssh host` alone: each said to be meant elsewhere, at its block; the commands as written.
#[test]
fn blocks_meant_for_another_host_are_said() {
    let page = "# Disk full on db\n\n## Diagnosis\n\nOn the database server:\n\n```bash\ndf -h /var/lib/postgresql\n```\n\n## Mitigation\n\nConnect to the replica:\n\n```bash\nssh db-2.example.com\n```\n\nThen clean the WAL archive.\n\n```bash\npg_archivecleanup /var/lib/postgresql/archive 000000010000000000000010\n```\n";
    let t = Test::new().file("disk.md", page);
    let (yaml, err) = imported(&t, "disk");
    assert!(
        err.contains("disk.md:7:1: guess: the sentence before it, \"On the database server:\", means these commands for another host"),
        "{err}"
    );
    assert!(
        err.contains(
            "disk.md:21:1: guess: `ssh db-2.example.com` before this block opens a shell elsewhere"
        ),
        "{err}"
    );
    assert!(
        yaml.contains("    run: \"df -h /var/lib/postgresql\"\n")
            && yaml
                .contains("pg_archivecleanup /var/lib/postgresql/archive 000000010000000000000010"),
        "{yaml}"
    );
    dry_run(&t, "disk", None, &[]);
}

/// Audit 14p A-13 (numbered) and audit 18 A-13 (bulleted): sub-items of a numbered item,
/// each with its block, are steps of their own, titled by them (they were one step); the
/// same page with either kind of sub-item.
#[test]
fn numbered_or_bulleted_sub_steps_are_steps_of_their_own() {
    for (kind, page) in [
        (
            "numbered",
            "# Rotate the cert\n\n## Steps\n\n1. Renew the certificate:\n   1. Generate a key:\n\n      ```bash\n      echo genkey\n      ```\n\n   2. Sign it:\n\n      ```bash\n      echo sign\n      ```\n\n2. Reload nginx:\n\n   ```bash\n   echo reload\n   ```\n",
        ),
        (
            "bulleted",
            "# Rotate the cert\n\n## Steps\n\n1. Renew the certificate:\n   - Generate a key:\n\n     ```bash\n     echo genkey\n     ```\n\n   - Sign it:\n\n     ```bash\n     echo sign\n     ```\n\n2. Reload nginx:\n\n   ```bash\n   echo reload\n   ```\n",
        ),
    ] {
        let t = Test::new().file("cert.md", page);
        let (yaml, _) = imported(&t, "cert");
        for (id, title, run) in [
            ("generate-a-key", "Generate a key", "echo genkey"),
            ("sign-it", "Sign it", "echo sign"),
            ("reload-nginx", "Reload nginx", "echo reload"),
        ] {
            assert!(
                yaml.contains(&format!("  - id: {id}\n    title: \"{title}\"\n")),
                "{kind}: {id}: {yaml}"
            );
            assert!(
                yaml.contains(&format!("    run: \"{run}\"\n")),
                "{kind}: {run}: {yaml}"
            );
        }
        assert!(
            yaml.contains("    instructions: \"Sign it:\"\n"),
            "{kind}: {yaml}"
        );
        let shown = dry_run(&t, "cert", None, &[]);
        assert!(
            shown.contains("$ echo genkey") && shown.contains("$ echo sign"),
            "{kind}: {shown}"
        );
    }
}

/// A-26: "### If the queue is still growing after that" after "### If the consumers are
/// down" follows it: a decision of its own whose "skip it" goes on (it was made the first
/// one's alternative, never both).
#[test]
fn a_follow_up_heading_is_asked_after_the_section_before() {
    let page = "# Queue backlog\n\n## Mitigation\n\n### If the consumers are down\n\n```bash\necho restart-consumers\n```\n\n### If the queue is still growing after that\n\n```bash\necho scale-consumers\n```\n\n## Verify\n\n```bash\necho check-queue\n```\n";
    let t = Test::new()
        .file("queue.md", page)
        .file("both.yaml", "which-applies: 1\nwhich-applies-2: 1\n")
        .file("second.yaml", "which-applies: 2\nwhich-applies-2: 1\n");
    let (yaml, _) = imported(&t, "queue");
    assert_eq!(yaml.matches("choose:").count(), 2, "{yaml}");
    let both = dry_run(&t, "queue", Some("both.yaml"), &[]);
    assert!(
        both.contains("$ echo restart-consumers")
            && both.contains("$ echo scale-consumers")
            && both.contains("$ echo check-queue"),
        "{both}"
    );
    let second = dry_run(&t, "queue", Some("second.yaml"), &[]);
    assert!(
        !second.contains("restart-consumers") && second.contains("$ echo scale-consumers"),
        "{second}"
    );
}
