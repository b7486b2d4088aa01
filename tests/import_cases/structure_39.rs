//! Audit 39's findings on how `runbook import` reads the structure of a page (decisions,
//! options, steps): each a page of testdata/import/ (which every fixture test also
//! imports, lints and walks), its YAML and its walks asserted here.

use super::audit_14p::{dry_run, imported, page, step};
use super::common::Test;

/// I-20: "If a node left the cluster:" and a numbered list, then "Otherwise:" and a
/// numbered list: one decision whose two options lead into their lists, both joining at
/// Verify (each walk ran both lists).
#[test]
fn if_and_otherwise_paragraphs_over_lists_are_one_decision() {
    let t = Test::new()
        .file("es.md", &page("es-shards-unassigned"))
        .file(
            "left.yaml",
            "which-applies: 1\nrestart-elasticsearch-on-that-node:\n  values:\n    node: es-2\n",
        )
        .file("other.yaml", "which-applies: 2\n");
    let (yaml, err) = imported(&t, "es");
    assert_eq!(yaml.matches("choose:").count(), 1, "{yaml}");
    assert!(
        yaml.contains("        - label: \"If a node left the cluster\"\n          next: check-which-node-is-missing\n        - label: \"Otherwise\"\n          next: find-the-unassigned-shards\n"),
        "{yaml}"
    );
    assert!(!yaml.contains("None of these applies"), "{yaml}");
    assert!(
        err.contains("es.md:12:4: guess: 2 paragraphs read as alternatives"),
        "{err}"
    );
    let verify = "    next: run-curl-s-es-url-cluster-health-pretty\n";
    for id in [
        "restart-elasticsearch-on-that-node",
        "retry-the-failed-allocations",
    ] {
        assert!(step(&yaml, id).contains(verify), "{id}: {yaml}");
    }
    // (`<NODE>`, used only in the first option, is asked there.)
    assert!(
        step(&yaml, "restart-elasticsearch-on-that-node").contains("    ask:\n")
            && !yaml.contains("\n  node:\n"),
        "{yaml}"
    );
    let left = dry_run(&t, "es", Some("left.yaml"), &["es_url=http://es:9200"]);
    assert!(
        left.contains("systemctl restart elasticsearch")
            && !left.contains("UNASSIGNED")
            && !left.contains("retry_failed")
            && left.contains("_cluster/health"),
        "{left}"
    );
    let other = dry_run(&t, "es", Some("other.yaml"), &["es_url=http://es:9200"]);
    assert!(
        other.contains("retry_failed")
            && !other.contains("systemctl restart elasticsearch")
            && other.contains("_cluster/health"),
        "{other}"
    );
}

/// I-11: "1. **Option A — …:**", "2. **Option B — …:**", "3. Wait until …": the options are
/// one decision and both go on to item 3 (Option A ended the run).
#[test]
fn numbered_bold_options_join_at_the_next_numbered_item() {
    let t = Test::new()
        .file("cert.md", &page("certificate-renew-options"))
        .file(
            "a.yaml",
            "which-applies: 1\n",
        )
        .file(
            "b.yaml",
            "which-applies: 2\noption-b-cert-manager-is-broken:\n  values:\n    secret_name: api-tls\n",
        );
    let (yaml, _) = imported(&t, "cert");
    assert_eq!(yaml.matches("choose:").count(), 1, "{yaml}");
    let wait = "    next: wait-until-the-certificate-is-ready\n";
    assert!(
        step(&yaml, "option-a-cert-manager-is-healthy").contains(wait)
            && step(&yaml, "option-b-cert-manager-is-broken").contains(wait),
        "{yaml}"
    );
    // (`<NAMESPACE>`, which step 3 needs on every walk, is an input; `<SECRET_NAME>`,
    // only option B's, is asked there.)
    assert!(yaml.contains("\n  namespace:\n"), "{yaml}");
    assert!(
        step(&yaml, "option-b-cert-manager-is-broken").contains("      var: secret_name\n"),
        "{yaml}"
    );
    let inputs = ["cert_name=api-tls", "namespace=api"];
    for (answers, done, skipped) in [
        ("a.yaml", "cmctl renew", "kubectl delete secret"),
        ("b.yaml", "kubectl delete secret", "cmctl renew"),
    ] {
        let shown = dry_run(&t, "cert", Some(answers), &inputs);
        assert!(
            shown.contains(done)
                && !shown.contains(skipped)
                && shown.contains("kubectl wait --for=condition=Ready certificate/api-tls"),
            "{answers}: {shown}"
        );
    }
}

/// I-4: "If the kubelet is stopped, restart it:" over a block typed at a `sh-4.4#` prompt,
/// then "If the node is unreachable, …:" over a command: one decision of both (and that
/// none applies), the first option a step that shows its line, not a step everyone reads.
#[test]
fn an_if_paragraph_over_a_shown_block_is_an_option_beside_its_sibling() {
    let t = Test::new()
        .file("kubelet.md", &page("kubelet-stopped-or-unreachable"))
        .file("stopped.yaml", "which-applies: 1\n")
        .file("none.yaml", "which-applies: 3\n");
    let (yaml, err) = imported(&t, "kubelet");
    assert_eq!(yaml.matches("choose:").count(), 1, "{yaml}");
    assert!(
        yaml.contains("        - label: \"If the kubelet service is stopped, restart it from the node's debug shell\"\n")
            && yaml.contains("        - label: \"If the node is unreachable, reboot it from your cloud console, then approve its pending CSRs\"\n")
            && yaml.contains("        - label: \"None of these applies: skip them\"\n"),
        "{yaml}"
    );
    assert!(
        err.contains("kubelet.md:17:1: guess: 2 paragraphs read as alternatives"),
        "{err}"
    );
    // The stopped kubelet's step shows the line, runs nothing, and goes on to the check.
    let stopped = yaml
        .split("  - id: ")
        .find(|s| s.contains("sh-4.4# systemctl restart kubelet"))
        .unwrap_or_else(|| panic!("{yaml}"));
    assert!(
        !stopped.contains("    run:")
            && stopped.contains("    next: verify-that-the-node-comes-back\n"),
        "{yaml}"
    );
    let shown = dry_run(&t, "kubelet", Some("stopped.yaml"), &["node=worker-1"]);
    assert!(
        shown.contains("sh-4.4# systemctl restart kubelet")
            && !shown.contains("certificate approve")
            && shown.contains("oc wait --for=condition=Ready node/worker-1"),
        "{shown}"
    );
    let none = dry_run(&t, "kubelet", Some("none.yaml"), &["node=worker-1"]);
    assert!(
        !none.contains("certificate approve") && none.contains("oc wait"),
        "{none}"
    );
}

/// I-2: "> **Note**" on its own line, then "> If a PDB allows 0 disruptions, scale … up
/// first:" and the fence inside the quote: a decision whether it applies (skipped by
/// default), its placeholders asked there; as when the fence follows the quote.
#[test]
fn a_quoted_note_with_its_fence_inside_is_a_decision_whether_it_applies() {
    let text = page("pdb-note-in-quote");
    let outside = text.replace(
        "> **Note**\n> If a PDB allows 0 disruptions, scale its deployment up first:\n>\n> ```sh\n> kubectl -n <NAMESPACE> scale deploy/<DEPLOYMENT> --replicas=3\n> ```\n",
        "> **Note** If a PDB allows 0 disruptions, scale its deployment up first:\n\n```sh\nkubectl -n <NAMESPACE> scale deploy/<DEPLOYMENT> --replicas=3\n```\n",
    );
    assert_ne!(text, outside);
    for (name, text) in [("inside", text), ("outside", outside)] {
        let t = Test::new()
            .file("drain.md", &text)
            .file("skip.yaml", "which-applies: 2\n")
            .file(
                "scale.yaml",
                "which-applies: 1\ncheck-the-poddisruptionbudgets-2:\n  values:\n    namespace: shop\n    deployment: cart\n",
            );
        let (yaml, err) = imported(&t, "drain");
        assert!(
            yaml.contains("        - label: \"If a PDB allows 0 disruptions, scale its deployment up first\"\n")
                && yaml.contains("        - label: \"It does not apply: skip it\"\n          next: drain-the-node\n"),
            "{name}: {yaml}"
        );
        assert!(
            err.contains("guess: a step that starts \"If …\": a decision asks whether it applies"),
            "{name}: {err}"
        );
        // Only the node is asked before the run.
        assert!(
            yaml.contains("inputs:\n  node:\n") && !yaml.contains("\n  namespace:\n"),
            "{name}: {yaml}"
        );
        let shown = dry_run(&t, "drain", Some("skip.yaml"), &["node=worker-1"]);
        assert!(
            !shown.contains("--replicas=3") && shown.contains("kubectl drain worker-1"),
            "{name}: {shown}"
        );
        let scaled = dry_run(&t, "drain", Some("scale.yaml"), &["node=worker-1"]);
        assert!(
            scaled.contains("kubectl -n shop scale deploy/cart --replicas=3")
                && scaled.contains("kubectl drain worker-1"),
            "{name}: {scaled}"
        );
    }
}

/// I-3: `<details><summary>If the drain hangs on a pod</summary>` and a force-delete inside:
/// a decision whether it applies (`--yes` skips it), `<POD>` asked there, not at the start.
#[test]
fn a_details_block_summarised_by_a_condition_is_a_decision() {
    let t = Test::new()
        .file("node.md", &page("drain-hangs-details"))
        .file("skip.yaml", "which-applies: 2\n")
        .file(
            "hangs.yaml",
            "which-applies: 1\nforce-delete-the-pod-stuck-in:\n  values:\n    namespace: shop\n    pod: cart-0\n",
        );
    let (yaml, err) = imported(&t, "node");
    assert!(
        yaml.contains("        - label: \"If the drain hangs on a pod\"\n          next: force-delete-the-pod-stuck-in\n        - label: \"It does not apply: skip it\"\n          next: uncordon\n"),
        "{yaml}"
    );
    assert!(
        err.contains(
            "node.md:16:1: guess: a step that starts \"If …\": a decision asks whether it applies"
        ),
        "{err}"
    );
    let force = step(&yaml, "force-delete-the-pod-stuck-in");
    assert!(
        force.contains("    ask:\n") && force.contains("{{ vars.pod }}"),
        "{yaml}"
    );
    assert!(!yaml.contains("\n  pod:\n"), "{yaml}");
    let skipped = dry_run(&t, "node", Some("skip.yaml"), &["node=worker-1"]);
    assert!(
        !skipped.contains("--grace-period=0") && skipped.contains("kubectl uncordon worker-1"),
        "{skipped}"
    );
    let hangs = dry_run(&t, "node", Some("hangs.yaml"), &["node=worker-1"]);
    assert!(
        hangs.contains("kubectl -n shop delete pod cart-0 --grace-period=0 --force")
            && hangs.contains("kubectl uncordon worker-1"),
        "{hangs}"
    );
}

/// I-14: `**Step 1** Find …`, `**Step 2: Work out why**` and `**Step 3** Verify` are the
/// page's steps: titled so, the three "If …"/"Otherwise" sections under step 2 a decision
/// that every option leaves for step 3 (the verification was the last option's alone); the
/// "Expected output:" block is the first command's output (I-15).
#[test]
fn bold_step_paragraphs_are_step_headings() {
    let t = Test::new()
        .file("pod.md", &page("notion-pod-not-ready"))
        .file(
            "pending.yaml",
            "which-applies: 1\nadd-a-node-to-the-group:\n  values:\n    cluster: prod\n",
        )
        .file("other.yaml", "which-applies: 3\n");
    let (yaml, _) = imported(&t, "pod");
    assert!(!yaml.contains("description: \"**Step 1**"), "{yaml}");
    let first = step(&yaml, "find-the-pod-that-is-not-ready");
    assert!(
        first.contains("    title: \"Find the pod that is not ready\"\n")
            && first.contains("Expected output:")
            && first.contains("checkout-7d9f8b6c5d-x2x9k"),
        "{yaml}"
    );
    assert!(
        !yaml.contains("KubePodNotReady — checkout\"\n    instructions"),
        "{yaml}"
    );
    let verify = "    next: verify\n";
    for id in [
        "add-a-node-to-the-group",
        "roll-the-deployment-back",
        "escalate-to-checkout-oncall",
    ] {
        assert!(step(&yaml, id).contains(verify), "{id}: {yaml}");
    }
    assert!(
        !step(&yaml, "escalate-to-checkout-oncall").contains("run:"),
        "{yaml}"
    );
    for answers in ["pending.yaml", "other.yaml"] {
        let shown = dry_run(&t, "pod", Some(answers), &[]);
        assert!(
            shown.contains("kubectl rollout status -n checkout deploy/checkout"),
            "{answers}: {shown}"
        );
    }
}

/// I-18: `### 2. Drop the queue (last resort)` is a step the operator may skip: a decision
/// whether it applies, whose `default` (what `--yes` takes) skips it (it ran on every walk).
#[test]
fn a_last_resort_section_is_skipped_unless_chosen() {
    let t = Test::new()
        .file("queue.md", &page("queue-drop-last-resort"))
        .file("drop.yaml", "which-applies: 1\n");
    let (yaml, err) = imported(&t, "queue");
    assert!(
        yaml.contains("      default: 2\n")
            && yaml.contains("        - label: \"2. Drop the queue (last resort)\"\n")
            && yaml.contains("        - label: \"It does not apply: skip it\"\n"),
        "{yaml}"
    );
    assert!(
        err.contains("queue.md:11:1: guess: a section headed as a last resort"),
        "{err}"
    );
    let inputs = ["replicas=4", "redis_host=redis-1", "queue_name=default"];
    let skipped = dry_run(&t, "queue", None, &inputs);
    assert!(
        !skipped.contains(" DEL ") && skipped.contains("LLEN resque:gitlab:queue:default"),
        "{skipped}"
    );
    let dropped = dry_run(&t, "queue", Some("drop.yaml"), &inputs);
    assert!(
        dropped.contains("redis-cli -h redis-1 DEL resque:gitlab:queue:default")
            && dropped.contains("LLEN"),
        "{dropped}"
    );
}
