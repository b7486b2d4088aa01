//! "If …" bullets whose commands stand in their own sub-steps, "Or, with more detail:"
//! over two looks at the logs, and a debug shell opened with no `$ `: each a page of
//! testdata/import/ (which every fixture test also imports, lints and walks), its YAML and
//! its walks asserted here.

use super::audit_14p::{dry_run, imported, page, step};
use super::common::Test;

/// "- If the consumer pods are crashing:" (or `* If …:`) with numbered sub-steps and their
/// blocks, "- If the consumers are running but cannot keep up:" with its block, "-
/// Otherwise:" with a sub-step: one decision whose options lead to each item's steps, all
/// joining at Verify; `<POD_NAME>` and `<NAMESPACE>`, used only under the first, are asked
/// there, not inputs of the runbook. The Diagnosis bullet with sub-steps that names no
/// course stays steps in a row.
#[test]
fn if_bullets_with_sub_steps_are_a_decision() {
    let dash = page("kafka-consumers-crashing");
    let star = dash
        .replace("\n- If ", "\n* If ")
        .replace("\n- Otherwise:", "\n* Otherwise:");
    assert_ne!(dash, star);
    for (marker, text) in [("-", dash), ("*", star)] {
        let t = Test::new()
            .file("lag.md", &text)
            .file(
                "crashing.yaml",
                "which-applies: 1\nfind-the-pod-that-restarts-and-read-why:\n  values:\n    namespace: orders\n    pod_name: orders-consumer-7d9f-x2\n",
            )
            .file("slow.yaml", "which-applies: 2\n")
            .file("otherwise.yaml", "which-applies: 3\n");
        let (yaml, err) = imported(&t, "lag");
        assert_eq!(yaml.matches("choose:").count(), 1, "{marker}: {yaml}");
        assert!(
            yaml.contains(
                "        - label: \"If the consumer pods are crashing\"\n          next: find-the-pod-that-restarts-and-read-why\n        - label: \"If the consumers are running but cannot keep up\"\n          next: if-the-consumers-are-running-but-cannot\n        - label: \"Otherwise\"\n          next: look-for-under-replicated-partitions-on\n"
            ),
            "{marker}: {yaml}"
        );
        assert!(
            err.contains("lag.md:28:6: guess: 3 list items read as alternatives"),
            "{marker}: {err}"
        );
        // Each option's last step goes on to Verify.
        let verify = "    next: the-lag-should-fall-within-10-minutes\n";
        for id in [
            "roll-the-deployment-back-to-its-last",
            "if-the-consumers-are-running-but-cannot",
            "look-for-under-replicated-partitions-on",
        ] {
            assert!(step(&yaml, id).contains(verify), "{marker}: {id}: {yaml}");
        }
        // The placeholders of the first option are asked in it.
        assert!(!yaml.contains("\ninputs:"), "{marker}: {yaml}");
        let describe = step(&yaml, "find-the-pod-that-restarts-and-read-why");
        assert!(
            describe.contains("    ask:\n")
                && describe.contains(
                    "    run: \"kubectl describe pod {{ vars.pod_name }} -n {{ vars.namespace }}\"\n"
                ),
            "{marker}: {yaml}"
        );
        // Diagnosis: no course, its two sub-steps in a row.
        let diagnosis = yaml.find("kubectl get pods -n orders").unwrap_or(0);
        assert!(
            diagnosis > 0 && diagnosis < yaml.find("choose:").unwrap_or(0),
            "{marker}: {yaml}"
        );
        let crashing = dry_run(&t, "lag", Some("crashing.yaml"), &[]);
        assert!(
            crashing.contains("kubectl rollout undo deployment/orders-consumer")
                && crashing.contains("--group orders")
                && !crashing.contains("--replicas=8")
                && !crashing.contains("--under-replicated-partitions"),
            "{marker}: {crashing}"
        );
        let slow = dry_run(&t, "lag", Some("slow.yaml"), &[]);
        assert!(
            slow.contains("--replicas=8")
                && !slow.contains("rollout undo")
                && !slow.contains("kubectl describe pod"),
            "{marker}: {slow}"
        );
        let otherwise = dry_run(&t, "lag", Some("otherwise.yaml"), &[]);
        assert!(
            otherwise.contains("--under-replicated-partitions")
                && !otherwise.contains("rollout undo")
                && !otherwise.contains("--replicas=8"),
            "{marker}: {otherwise}"
        );
    }
}

/// "Check the logs of the API pods:" / "Or, with more detail:" over two `kubectl logs`: two
/// looks at one thing, steps in a row (no decision); "To roll back with Helm:" / "Or, to
/// roll back the deployment alone:" name two actions: a decision.
#[test]
fn two_looks_at_the_logs_are_steps_two_ways_to_act_a_decision() {
    let t = Test::new()
        .file("api.md", &page("api-error-logs"))
        .file("kubectl.yaml", "which-applies: 2\n");
    let (yaml, err) = imported(&t, "api");
    assert_eq!(yaml.matches("choose:").count(), 1, "{yaml}");
    assert!(
        yaml.contains("        - label: \"To roll back with Helm\"\n          next: to-roll-back-with-helm\n        - label: \"To roll back the deployment alone\"\n          next: or-to-roll-back-the-deployment-alone\n"),
        "{yaml}"
    );
    assert!(
        err.contains("guess: 2 paragraphs read as alternatives") && !err.contains("api.md:9:1"),
        "{err}"
    );
    // (Both looks, in the order of the page, before the decision.)
    let first = yaml.find("run: \"kubectl logs -n api deploy/api --since=15m\"");
    let second = yaml.find("--since=15m --timestamps --all-containers\"");
    let decision = yaml.find("choose:");
    assert!(
        first.is_some() && first < second && second < decision,
        "{yaml}"
    );
    let shown = dry_run(&t, "api", Some("kubectl.yaml"), &[]);
    assert!(
        shown.contains("$ kubectl logs -n api deploy/api --since=15m\n")
            && shown.contains("--timestamps --all-containers")
            && shown.contains("$ kubectl rollout undo deploy/api -n api")
            && !shown.contains("helm rollback"),
        "{shown}"
    );
}

/// `oc debug node/<NODE>` with no `$ `, then `chroot /host` and the kubelet's commands (and,
/// untagged, then `sh-4.4# …` lines): the command is a step that runs (interactive), the
/// lines typed in the debug shell shown in it, each a guess. `ssh <BASTION> 'ping …'`, one
/// command run there, stays a step that runs it.
#[test]
fn an_unprompted_debug_shell_runs_and_shows_what_is_typed_in_it() {
    let t = Test::new().file("kubelet.md", &page("kubelet-debug-shell"));
    let (yaml, err) = imported(&t, "kubelet");
    let opened: Vec<&str> = yaml
        .split("  - id: ")
        .filter(|s| s.contains("    run: \"oc debug node/{{ inputs.node }}\"\n"))
        .collect();
    assert_eq!(opened.len(), 2, "{yaml}");
    for s in &opened {
        assert!(
            s.contains("    interactive: true\n")
                && s.contains("> Typed by the operator in the shell that `oc debug node/<NODE>` opens, not run here"),
            "{yaml}"
        );
    }
    assert!(
        opened[0].contains(
            "      chroot /host\n      systemctl status kubelet\n      journalctl -u kubelet --since \"-1h\" --no-pager | tail -n 50\n"
        ),
        "{yaml}"
    );
    assert!(
        opened[1].contains("      sh-4.4# chroot /host\n      sh-4.4# systemctl restart kubelet\n"),
        "{yaml}"
    );
    assert!(
        !yaml.contains("run: \"chroot")
            && !yaml
                .contains("      chroot /host\n      systemctl status kubelet\n    interactive"),
        "{yaml}"
    );
    assert!(
        err.contains("kubelet.md:20:1: guess: `oc debug node/<NODE>` opens a shell: the lines after it, from `chroot /host` on")
            && err.contains("kubelet.md:31:1: guess: `oc debug node/<NODE>` opens a shell: the lines after it, to type at the `sh-4.4#` prompt"),
        "{err}"
    );
    assert!(
        yaml.contains("    run: \"ssh {{ inputs.bastion }} 'ping -c 3 {{ inputs.node }}'\"\n"),
        "{yaml}"
    );
    let shown = dry_run(
        &t,
        "kubelet",
        None,
        &["node=worker-3", "bastion=bastion.example.com"],
    );
    assert!(
        shown.contains("oc debug node/worker-3") && shown.contains("paging platform"),
        "{shown}"
    );
}
