//! Tests of the whole import: a page in, its draft out.

use super::draft::{Draft, Step};
use super::import;
use super::inline::MAX_LINKS;

#[test]
fn section_paths_follow_the_headings_a_step_stands_in() {
    let d = import(
        "# Title\n\n## A\n\n### B\n\n#### C\n\n## D\n\n### E\n\n# Other\n\n## F\n",
        "page",
    );
    assert_eq!(
        d.section_paths(),
        [
            None,
            Some("A".into()),
            Some("A › B".into()),
            Some("A › B › C".into()),
            Some("D".into()),
            Some("D › E".into()),
            Some("Other".into()),
            Some("Other › F".into()),
        ]
    );
}

#[test]
fn links_are_named_by_their_text_with_its_code_spans() {
    let d = import(
        "# T\n\nSee [`kubectl` docs](https://k8s.io/docs) and [`jq`](https://jqlang.org).\n",
        "page",
    );
    let names: Vec<&str> = d.links.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["`kubectl` docs", "jq"]);
}

#[test]
fn an_items_second_paragraph_is_a_sentence_of_its_own() {
    let d = import(
        "# T\n\n## Diagnosis\n\n1. Check the rollout status:\n\n   ```bash\n   kubectl rollout status deploy/api\n   ```\n\n   Then look at the events:\n\n   ```bash\n   kubectl get events\n   ```\n",
        "page",
    );
    // (A second paragraph that names another course, "If it hangs, …", is a step of
    // its own: see `partial_bold_options_late_ifs_and_branch_exports`.)
    for s in &d.steps {
        assert!(
            !s.title.contains(":Then") && !s.instructions.contains(":Then"),
            "{:?} / {:?}",
            s.title,
            s.instructions
        );
    }
    assert_eq!(d.steps.len(), 1, "{:?}", d.steps);
    assert_eq!(
        d.steps[0].instructions,
        "Check the rollout status: Then look at the events:"
    );
}

/// An audit's smaller findings: an empty heading named a section " › "; lists of other
/// markers in a row under one heading made a checklist each; "Check it with:" ending a
/// Meaning section stayed in the description, its command a step with no words.
#[test]
fn empty_headings_lists_in_a_row_and_an_introduced_command() {
    let d = import("#\n\n## \n\n```bash\nuptime\n```\n", "p");
    assert_eq!(d.section_paths(), [None, None]);
    let d = import(
        "# T\n\n## Communicate\n\n- [ ] one\n* [ ] two\n\n1. three\n",
        "p",
    );
    assert_eq!(d.steps.len(), 1, "{:?}", d.steps);
    assert_eq!(d.steps[0].checklist, ["one", "two", "three"]);
    let d = import(
        "# T\n\n## Meaning\n\nThe cert expires soon. Check it with:\n\n```bash\nopenssl version\n```\n",
        "p",
    );
    assert_eq!(d.description, "## Meaning\n\nThe cert expires soon.");
    assert_eq!(d.steps[0].instructions, "Check it with:");
    let d = import(
        "# T\n\n## Meaning\n\nCheck it with:\n\n```bash\nopenssl version\n```\n",
        "p",
    );
    assert!(!d.description.contains("Meaning"), "{}", d.description);
    assert_eq!(d.steps[0].instructions, "Check it with:");
}

/// A numbered item's block less indented than its text (`10.` then a fence at three
/// spaces, or fences at the margin) is the item's: an audit found every such command
/// after the first lost, with nothing said.
#[test]
fn a_block_under_a_numbered_item_at_the_margin_is_its_command() {
    let d = import(
        "# T\n\n1. Check:\n```bash\necho one\n```\n2. Next:\n```bash\necho two\n```\n3. Last:\n```bash\necho three\n```\n",
        "p",
    );
    let runs: Vec<_> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        ["echo one", "echo two", "echo three"],
        "{:?}",
        d.steps
    );
    assert_eq!(d.steps[1].title, "Next");
    let d = import(
        "# T\n\n## Steps\n\n9. Do 9:\n\n   ```bash\n   echo nine\n   ```\n\n10. Do 10:\n\n   ```bash\n   echo ten\n   ```\n\n11. Do 11:\n\n   ```bash\n   echo eleven\n   ```\n",
        "p",
    );
    let runs: Vec<_> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        ["echo nine", "echo ten", "echo eleven"],
        "{:?}",
        d.steps
    );
    assert!(
        d.steps.iter().all(|s| s.checklist.is_empty()),
        "{:?}",
        d.steps
    );
    // A numbered list of things to do, then a paragraph and a block: a checklist, then
    // a step of its own.
    let d = import(
        "# T\n\n1. Tell the channel\n2. Open the dashboard\n\nThen restart:\n\n```bash\nsystemctl restart app\n```\n",
        "p",
    );
    assert_eq!(
        d.steps[0].checklist,
        ["Tell the channel", "Open the dashboard"]
    );
    assert_eq!(d.steps[1].run.as_deref(), Some("systemctl restart app"));
}

/// Whether a guess of the draft says `text`.
fn guessed(d: &Draft, text: &str) -> bool {
    d.guesses.iter().any(|(_, w)| w.contains(text))
}

/// The labels of every decision of a draft, in order.
fn labels(d: &Draft) -> Vec<String> {
    d.steps
        .iter()
        .flat_map(|s| s.choose.iter().map(|(l, _)| l.clone()))
        .collect()
}

/// Courses an audit found run one after the other: "If …"/"Otherwise" sub-items of a
/// numbered item, bold items under an "… options" heading; and two "If …" paragraphs,
/// the first with no command, named the command's step after the first.
#[test]
fn nested_and_bold_courses_are_a_decision() {
    let d = import(
        "# T\n\n## Fix\n\n1. Check:\n\n   ```bash\n   patronictl list\n   ```\n\n   - If a replica is healthy, fail over:\n\n     ```bash\n     patronictl failover --force\n     ```\n\n   - Otherwise, restart it:\n\n     ```bash\n     systemctl restart patroni\n     ```\n\n2. Confirm:\n\n   ```bash\n   patronictl list | grep Leader\n   ```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "If a replica is healthy, fail over",
            "Otherwise, restart it"
        ],
        "{:?}",
        d.steps
    );
    assert_eq!(d.steps[0].run.as_deref(), Some("patronictl list"));
    let d = import(
        "# T\n\n## Rollback options\n\n- **Roll back**:\n\n  ```bash\n  helm rollback api 0\n  ```\n\n- **Scale up**:\n\n  ```bash\n  kubectl scale deploy/api --replicas=10\n  ```\n",
        "p",
    );
    assert_eq!(labels(&d), ["Roll back", "Scale up"], "{:?}", d.steps);
    let d = import(
        "# T\n\n## Fix\n\nIf the disk is slow, move etcd.\n\nIf etcd is fragmented, defragment it:\n\n```bash\netcdctl defrag\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d)[0],
        "If etcd is fragmented, defragment it",
        "{:?}",
        d.steps
    );
}

/// "If X, stop here. If not, …" leads to the command from "If not"; an export of
/// `KUBECONFIG` is said to stay in its step.
#[test]
fn stop_here_and_kubeconfig() {
    let d = import(
        "# T\n\n## Fix\n\nIf the replica caught up, stop here. If not, reinitialise it:\n\n```bash\npatronictl reinit pg db-2 --force\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d)[0],
        "Otherwise: reinitialise it",
        "{:?}",
        labels(&d)
    );
    // Named by its course: the id is what a dangerous step's operator types to confirm.
    assert!(
        d.steps.iter().any(|s| s.id == "reinitialise-it"),
        "{:?}",
        d.steps
    );
    let d = import(
        "# T\n\n```bash\nexport KUBECONFIG=/etc/k/prod.conf\n```\n\n```bash\nkubectl get pods\n```\n",
        "p",
    );
    assert!(guessed(
        &d,
        "`KUBECONFIG` is exported here and stays in this step"
    ));
    // Whatever its value (an audit's `$HOME/.kube/prod-eu` was unsaid).
    let d = import(
        "# T\n\n```bash\nexport KUBECONFIG=$HOME/.kube/prod-eu\n```\n\n```bash\nkubectl get pods\n```\n",
        "p",
    );
    assert!(guessed(
        &d,
        "`KUBECONFIG` is exported here and stays in this step"
    ));
}

/// A third audit's pages: bold options that do not fill their paragraph, "… nothing to
/// do. Else, …" after a first sentence, "If … instead:" between an item's blocks, and
/// one variable exported with a different placeholder in each branch.
#[test]
fn partial_bold_options_late_ifs_and_branch_exports() {
    let d = import(
        "# T\n\n## Fix\n\n**Option 1 — wait**: it fails over by itself.\n\n```bash\nredis-cli info\n```\n\n**Option 2 — flush** (with approval):\n\n```bash\nredis-cli FLUSHALL\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        ["Option 1 — wait", "Option 2 — flush"],
        "{:?}",
        d.steps
    );
    let d = import(
        "# T\n\n## Fix\n\nLook at the status. If the pod is Running, nothing to do. Else, delete it:\n\n```bash\nkubectl delete pod p\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "Otherwise: delete it",
            "If the pod is Running: nothing to do"
        ]
    );
    let d = import(
        "# T\n\n## Fix\n\n1. Restart Sidekiq:\n\n   ```shell\n   gitlab-ctl restart sidekiq\n   ```\n\n   If Sidekiq runs in Kubernetes instead:\n\n   ```shell\n   kubectl rollout restart deploy/sidekiq\n   ```\n",
        "p",
    );
    let runs: Vec<_> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        [
            "gitlab-ctl restart sidekiq",
            "kubectl rollout restart deploy/sidekiq"
        ]
    );
    // The item's command for one case and "If … instead" for the other are the options (the
    // first ran for everyone).
    assert_eq!(
        labels(&d),
        ["Restart Sidekiq", "If Sidekiq runs in Kubernetes instead"]
    );
    let d = import(
        "# T\n\n### If on the primary site\n\n```bash\nexport TARGET=<PRIMARY_DB>\n```\n\n### If on the DR site\n\n```bash\nexport TARGET=<DR_DB>\n```\n\n## Promote\n\n```bash\necho \"$TARGET\"\n```\n",
        "p",
    );
    // Each option's value reaches the steps after them by the option taken (the first
    // branch's was given to all); each is asked in its own option.
    assert!(!guessed(&d, "`$TARGET` is exported with different values"));
    let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
    assert_eq!(decision.choose_var.as_deref(), Some("which_applies_choice"));
    let promote = d.steps.last().unwrap();
    assert_eq!(
        promote.env,
        [(
            "TARGET".to_string(),
            "{{ vars.primary_db | default('') if vars.which_applies_choice == '1' else vars.dr_db | default('') if vars.which_applies_choice == '2' else '' }}".to_string()
        )]
    );
    // Literal values too, and a value exported before the decision is every other way's.
    let d = import(
        "# T\n\n```bash\nexport SITE=none\n```\n\n### If on the primary site\n\n```bash\nexport SITE=primary\n```\n\n### If on the DR site\n\n```bash\nexport SITE=dr\n```\n\n## Promote\n\n```bash\necho \"$SITE\"\n```\n",
        "p",
    );
    assert_eq!(
        d.steps.last().unwrap().env,
        [(
            "SITE".to_string(),
            "{{ 'primary' if vars.which_applies_choice == '1' else 'dr' if vars.which_applies_choice == '2' else 'none' }}".to_string()
        )]
    );
    assert!(d.inputs.is_empty(), "{:?}", d.inputs);
}

/// "Describe it. If X, nothing to do. Otherwise, renew it:" among sibling "If" items is a
/// decision of its own (it was none: the renewal always ran), and its "nothing to do"
/// leads to the next item's decision, not into the step that decision asks about.
#[test]
fn an_else_sentence_among_if_items_is_its_own_decision() {
    let d = import(
        "# T\n\n## Fix\n\n1. Describe it. If the certificate is Ready, nothing to do. Otherwise, renew it:\n\n   ```bash\n   cmctl renew c\n   ```\n\n2. If the order is stuck, delete it:\n\n   ```bash\n   kubectl delete order o\n   ```\n\n3. Check the dates:\n\n   ```bash\n   kubectl get secret s\n   ```\n",
        "p",
    );
    let decisions: Vec<&Step> = d.steps.iter().filter(|s| !s.choose.is_empty()).collect();
    assert_eq!(decisions.len(), 2, "{:?}", d.steps);
    assert_eq!(decisions[0].choose[0].0, "Otherwise: renew it");
    assert_eq!(
        decisions[0].choose[1],
        (
            "If the certificate is Ready: nothing to do".to_string(),
            decisions[1].id.clone()
        )
    );
}

/// "Then check again:" after the last option in bold is where every option goes on (it
/// was the last option's only); "Then grow the file system." is still that option's.
#[test]
fn a_check_after_the_last_bold_option_is_every_options() {
    let page = |then: &str| {
        format!(
            "# T\n\n## Mitigation\n\n**Option A: clean old data**\n\n```bash\ndocker system prune -af\n```\n\n**Option B: grow the volume**\n\n```bash\naws ec2 modify-volume --volume-id v --size 200\n```\n\n{then}\n\n```bash\ndf -h /var\n```\n"
        )
    };
    for then in [
        "Then check again:",
        "After any option, check Rails can reach Redis:",
        "Finally, confirm no pod restarts any more:",
        "Verify:",
        "Once done, look at the disk:",
    ] {
        let d = import(&page(then), "p");
        let check = d.steps.last().map(|s| s.id.clone()).unwrap_or_default();
        let joined = d
            .steps
            .iter()
            .filter(|s| s.next.as_deref() == Some(check.as_str()))
            .count();
        assert_eq!(joined, 2, "{then}: {:?}", d.steps);
    }
    let d = import(&page("Then grow the file system."), "p");
    assert!(
        d.steps
            .iter()
            .filter(|s| s.run.as_deref().is_some_and(|r| r.starts_with("aws")))
            .all(|s| s.next.is_none()),
        "{:?}",
        d.steps
    );
}

/// Audit 14g's disk-full.md (G6): options A, B and C in bold, then "Afterwards, confirm usage
/// is below 80%:" with its command: every option goes on to the check (A and B ended the run).
#[test]
fn afterwards_after_bold_options_is_every_options() {
    let page = |then: &str| {
        format!(
            "# NodeFilesystemAlmostFull\n\n## Fix\n\n\
             **Option A: vacuum the journal**\n\n```bash\nsudo journalctl --vacuum-size=500M\n```\n\n\
             **Option B: remove old container images**\n\n```bash\nsudo docker image prune -a -f --filter \"until=168h\"\n```\n\n\
             **Option C: truncate a runaway log**\n\n```bash\nsudo truncate -s 0 /var/log/app/debug.log\n```\n\n\
             {then}\n\n```bash\ndf -h /\n```\n"
        )
    };
    for then in [
        "Afterwards, confirm usage is below 80%:",
        "After that, confirm usage is below 80%:",
        "Finally, confirm usage is below 80%:",
        "Once done, confirm usage is below 80%:",
        "When done, confirm usage is below 80%:",
    ] {
        let d = import(&page(then), "disk-full");
        let decision = d
            .steps
            .iter()
            .find(|s| !s.choose.is_empty())
            .unwrap_or_else(|| panic!("{then}: no decision: {:?}", d.steps));
        assert_eq!(decision.choose.len(), 3, "{then}: {:?}", decision.choose);
        let check = d.steps.last().unwrap();
        assert_eq!(check.run.as_deref(), Some("df -h /"), "{then}");
        // Each option's walk, followed to its end, reaches the check.
        let next = d.successors();
        let index = |id: &str| d.steps.iter().position(|s| s.id == id).unwrap();
        for (label, first) in &decision.choose {
            let mut at = index(first);
            let mut seen = 0;
            while d.steps[at].id != check.id {
                seen += 1;
                assert!(seen < d.steps.len(), "{then}: {label} loops");
                let Some(&to) = next[at].first() else {
                    panic!(
                        "{then}: {label} ends at {} before the check",
                        d.steps[at].id
                    );
                };
                at = to;
            }
        }
    }
}

/// Audit 14g's ingress-5xx.md (G10): "If one backend dominates, look at its pods; otherwise
/// skip to step 3." skips to numbered item 3, not into item 2's decision; and that decision,
/// "If pods crash, roll back" / "Otherwise, if they are slow, scale out", both conditions,
/// offers "None of these applies: skip them" (the reader was made to roll back).
#[test]
fn skip_to_step_n_leads_to_item_n_and_an_otherwise_if_is_a_condition() {
    let d = import(
        "# Ingress 5xx error rate high\n\n## Diagnosis and fix\n\n1. Find which backend returns the errors.\n   1. Check the controller logs for upstream errors:\n\n      ```bash\n      kubectl -n ingress-nginx logs deploy/ingress-nginx-controller --since=15m | grep -E ' 50[234] ' | awk '{print $NF}' | sort | uniq -c | sort -rn | head\n      ```\n\n   2. If one backend dominates, look at its pods; otherwise skip to step 3.\n\n      ```bash\n      kubectl -n <APP_NAMESPACE> get pods -l app=<APP_NAME> -o wide\n      ```\n\n2. Fix the backend.\n   - If pods are in `CrashLoopBackOff`, roll back the last release:\n\n     ```bash\n     helm -n <APP_NAMESPACE> rollback <APP_NAME>\n     ```\n\n   - Otherwise, if the pods are running but slow, scale out:\n\n     ```bash\n     kubectl -n <APP_NAMESPACE> scale deploy/<APP_NAME> --replicas=<REPLICAS>\n     ```\n\n3. Watch the error rate come down for five minutes:\n\n   ```bash\n   for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{http_code}\\n' https://<APP_HOST>/healthz; sleep 60; done\n   ```\n\n4. If errors persist, page the owning team. Otherwise close the incident.\n",
        "ingress-5xx",
    );
    let decisions: Vec<&Step> = d.steps.iter().filter(|s| !s.choose.is_empty()).collect();
    assert_eq!(decisions.len(), 2, "{:?}", d.steps);
    let watch = d
        .steps
        .iter()
        .find(|s| s.run.as_deref().is_some_and(|r| r.starts_with("for i in")))
        .unwrap();
    assert_eq!(watch.item, Some(3));
    assert_eq!(
        decisions[0].choose[1],
        (
            "It does not apply: skip to step 3".to_string(),
            watch.id.clone()
        )
    );
    let labels: Vec<&str> = decisions[1]
        .choose
        .iter()
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert_eq!(
        decisions[1].choose[2],
        (
            "None of these applies: skip them".to_string(),
            watch.id.clone()
        )
    );
    // A step it names that is not a numbered item of the list: skipped to the next step,
    // as before.
    let d = import(
        "# T\n\n## Fix\n\n1. Look:\n\n   ```bash\n   ls\n   ```\n\n2. If it is stuck, kick it; otherwise skip to step 9.\n\n   ```bash\n   kick\n   ```\n\n3. Check:\n\n   ```bash\n   check\n   ```\n",
        "p",
    );
    let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
    assert_eq!(decision.choose[1].0, "It does not apply: skip it");
}

/// `<project id>` or `<NAMESPACE>` in prose are the page's placeholders, kept in the text
/// (they were left out as HTML); `<details>` and `<br>` are HTML, left out and said.
#[test]
fn placeholders_in_prose_are_no_html() {
    let d = import(
        "# T\n\nReplace <project id> with the id, in <NAMESPACE>, and | <pvc-name> |.\n\n```bash\necho hi\n```\n\nA <details> and a <br> here.\n",
        "p",
    );
    let text: String = d
        .steps
        .iter()
        .map(|s| s.instructions.as_str())
        .chain([d.description.as_str()])
        .collect();
    assert!(
        text.contains("Replace <project id> with the id, in <NAMESPACE>, and | <pvc-name> |."),
        "{text}"
    );
    assert!(
        !text.contains("<details>") && !text.contains("<br>"),
        "{text}"
    );
    assert_eq!(d.left.len(), 2, "{:?}", d.left);
}

/// The page's `# ` heading names it over its front matter's `title:`, with nothing
/// guessed (the heading was made a section, and `--strict` failed); a front matter alone
/// still names it, said.
#[test]
fn the_top_heading_names_the_page_over_its_front_matter() {
    let d = import(
        "---\ntitle: Front title\n---\n\n# Heading title\n\n## Steps\n\n```bash\necho hi\n```\n",
        "p",
    );
    assert_eq!(d.title, "Heading title");
    assert!(d.guesses.is_empty(), "{:?}", d.guesses);
    assert_eq!(d.section_paths()[1].as_deref(), Some("Steps"));
    let d = import(
        "---\ntitle: Front title\n---\n\n## Steps\n\n```bash\necho hi\n```\n",
        "p",
    );
    assert_eq!(d.title, "Front title");
    assert!(guessed(&d, "the front matter's `title:` is the title"));
}

/// A placeholder named like a credential is a secret input given in the environment: the
/// command expands the variable, never a template of the value (an audit found a Vault
/// root token written to the journal).
#[test]
fn credential_placeholders_are_secret_inputs_in_the_environment() {
    let d = import(
        "# T\n\n```bash\nvault login <root-token>\nmysql -p\"<DB_PASSWORD>\" -e 'select 1'\nkubectl get pod <POD>\n```\n",
        "p",
    );
    let run = d.steps[0].run.as_deref().unwrap_or("");
    assert_eq!(
        run,
        "vault login \"${ROOT_TOKEN}\"\nmysql -p\"${DB_PASSWORD}\" -e 'select 1'\nkubectl get pod {{ inputs.pod }}"
    );
    assert_eq!(
        d.inputs["root_token"].secret_env.as_deref(),
        Some("ROOT_TOKEN")
    );
    assert_eq!(
        d.inputs["db_password"].secret_env.as_deref(),
        Some("DB_PASSWORD")
    );
    assert!(d.inputs["pod"].secret_env.is_none());
    assert!(d.guesses.is_empty(), "{:?}", d.guesses);
    assert!(d.env.is_empty(), "{:?}", d.env);
    let yaml = super::yaml::write(&d, "p.md");
    assert!(
        yaml.contains("  root_token:\n    description: \"The value of <root-token> on the page\"\n    secret: true\n    env: ROOT_TOKEN\n"),
        "{yaml}"
    );
}

/// An "If" item with a command of its own over nested "If" items: its option runs its
/// command, then asks the nested decision (an audit found two options of one label, the
/// stop skipped before the failover, and a draft that failed lint).
#[test]
fn a_course_with_its_own_command_leads_to_its_nested_decision() {
    let d = import(
        "# T\n\n1. Check the cluster:\n\n   ```bash\n   patronictl list\n   ```\n\n   - If the primary is down, stop it first:\n\n     ```bash\n     systemctl stop patroni\n     ```\n\n     - If a replica is in sync, fail over:\n\n       ```bash\n       patronictl failover\n       ```\n\n     - Otherwise, restore:\n\n       ```bash\n       gitlab-backup restore\n       ```\n\n   - If it is slow, restart it:\n\n     ```bash\n     gitlab-ctl restart patroni\n     ```\n\n2. Verify:\n\n   ```bash\n   patronictl list\n   ```\n",
        "p",
    );
    let outer = d.steps.iter().find(|s| s.choose.len() == 3).unwrap();
    let labels: Vec<&str> = outer.choose.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "If the primary is down, stop it first",
            "If it is slow, restart it",
            "None of these applies: skip them"
        ]
    );
    let stop = d
        .steps
        .iter()
        .position(|s| s.id == outer.choose[0].1)
        .unwrap();
    assert_eq!(d.steps[stop].run.as_deref(), Some("systemctl stop patroni"));
    assert!(d.steps[stop].next.is_none());
    assert!(
        d.steps[stop + 1].choose.len() == 2,
        "{:?}",
        d.steps[stop + 1]
    );
}

/// An "Option" item with no command among options with commands is an option, leading to
/// its checklist (an audit found options A and C run in a row around it).
#[test]
fn an_option_item_without_a_command_is_an_option() {
    let d = import(
        "# T\n\n## Mitigation\n\n1. Option A: reweight:\n\n   ```bash\n   echo one\n   ```\n\n2. Option B: ask the storage team for capacity.\n3. Option C: purge:\n\n   ```bash\n   echo three\n   ```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "Option A: reweight",
            "Option B: ask the storage team for capacity",
            "Option C: purge"
        ]
    );
}

/// "If that is not possible, page X." with no command, then "Then wait for the rebalance:"
/// and its command: the wait is a step of the usual path, not that If's course.
#[test]
fn a_paragraph_that_introduces_the_command_names_its_step() {
    let d = import(
        "# C\n\n## Mitigation\n\nReweight:\n\n```bash\necho reweight\n```\n\nIf that is not possible, page the storage on-call.\n\nThen wait for the rebalance:\n\n```bash\necho wait\n```\n",
        "p",
    );
    assert!(d.steps.iter().all(|s| s.choose.is_empty()), "{:?}", d.steps);
    assert_eq!(d.steps[1].title, "Then wait for the rebalance");
    assert!(
        d.steps[1]
            .instructions
            .starts_with("If that is not possible")
    );
}

/// A sub-item after an item's last command ("- If neither applies, escalate") is kept, as
/// prose before the next step (it was lost).
#[test]
fn a_sub_item_after_the_items_last_command_is_kept() {
    let d = import(
        "# T\n\n1. Find the cause:\n\n   - If it is lagging, look:\n\n     ```bash\n     echo look\n     ```\n\n   - If neither applies, escalate to the DBRE on call.\n2. Confirm:\n\n   ```bash\n   echo ok\n   ```\n",
        "p",
    );
    assert!(
        d.steps.iter().any(|s| s
            .instructions
            .contains("If neither applies, escalate to the DBRE on call.")),
        "{:?}",
        d.steps
    );
}

/// Sub-sections of Mitigation that each name a cause (the Prometheus operator's style) are
/// alternatives; ones that say what to do are a sequence.
#[test]
fn mitigation_sections_that_name_causes_are_alternatives() {
    let d = import(
        "# T\n\n## Mitigation\n\n### The pod is not running\n\n```bash\nkubectl rollout restart deploy/a\n```\n\n### A NetworkPolicy blocks the scrape\n\n```bash\nkubectl delete networkpolicy deny-all\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "The pod is not running",
            "A NetworkPolicy blocks the scrape"
        ]
    );
    let d = import(
        "# T\n\n## Mitigation\n\n### Restart the pod\n\n```bash\nkubectl rollout restart deploy/a\n```\n\n### Check the scrape\n\n```bash\ncurl -s localhost:9090/-/ready\n```\n",
        "p",
    );
    assert!(d.steps.iter().all(|s| s.choose.is_empty()));
}

/// `YOUR_NAMESPACE`, `{pod}`, `<path/to/tls.crt>`: placeholders the importer does not take,
/// said (the command got them as written, silently).
#[test]
fn other_spellings_of_placeholders_are_said() {
    let d = import(
        "# T\n\n```bash\nkubectl logs p -n YOUR_NAMESPACE\ncurl \"q?pod='{pod}'\"\nkubectl create secret tls x --cert=<path/to/tls.crt>\nfind . -exec rm {} \\;\necho ${HOME}\n```\n",
        "p",
    );
    for what in ["`YOUR_NAMESPACE`", "`{pod}`", "`<path/to/tls.crt>`"] {
        assert!(guessed(&d, what), "{what}: {:?}", d.guesses);
    }
    assert_eq!(d.guesses.len(), 3, "{:?}", d.guesses);
}

/// A quoted note that starts "If …" with its command is a decision whether it applies (it
/// ran for everyone).
#[test]
fn a_quoted_condition_with_its_command_is_a_decision() {
    let d = import(
        "# T\n\n## Fix\n\n```bash\ncurl -s es:9200/_cat/allocation\n```\n\n> **Note** If the disk watermark is the cause, first raise it temporarily:\n>\n> ```bash\n> curl -XPUT es:9200/_cluster/settings -d @w.json\n> ```\n\n## Retry\n\n```bash\ncurl -XPOST es:9200/_cluster/reroute\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "If the disk watermark is the cause, first raise it temporarily",
            "It does not apply: skip it"
        ]
    );
}

/// "Unless the pod is Running, delete it:" is a decision whether it applies (it ran).
#[test]
fn an_unless_paragraph_is_a_decision() {
    let d = import(
        "# T\n\n## Fix\n\nUnless the pod is Running, delete it:\n\n```bash\nkubectl delete pod p\n```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "Unless the pod is Running, delete it",
            "It does not apply: skip it"
        ]
    );
}

/// A chain of exports (`export A=x && export B=y`) is read as the exports it is (later
/// steps were given them empty).
#[test]
fn a_chain_of_exports_is_read() {
    let d = import(
        "# T\n\n```bash\nexport NAMESPACE=ingress-nginx && export SECRET=ingress-tls\n```\n\nThen:\n\n```bash\nkubectl -n \"$NAMESPACE\" get secret \"$SECRET\"\n```\n",
        "p",
    );
    assert_eq!(
        d.steps[0].run.as_deref(),
        Some("export NAMESPACE={{ inputs.namespace }} && export SECRET={{ inputs.secret }}")
    );
    // (Every walk passes the export, no step before it uses them: the runbook's `env:`.)
    let last = d.steps.last().unwrap();
    for name in ["NAMESPACE", "SECRET"] {
        assert!(given(&d, last, name).is_some(), "{name}: {d:?}");
    }
    assert!(d.guesses.is_empty(), "{:?}", d.guesses);
}

/// The value a step is given in variable `name`: by its own `env:`, or the runbook's.
fn given(d: &Draft, s: &Step, name: &str) -> Option<String> {
    s.env
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
        .or_else(|| d.env.get(name).cloned())
}

/// A secret placeholder exported (`export VAULT_TOKEN=<root-token>`) is given in that very
/// variable, to every step (a review found a later `vault token revoke $VAULT_TOKEN` given
/// nothing); `bash-5.1$`/`sh-4.4#` prompts are a pod's or a debug node's shell, typed there;
/// jsonpath's `{end}` and curl's `%{http_code}` are no placeholders.
#[test]
fn review_of_the_stop_s_import_changes() {
    let d = import(
        "# T\n\n```bash\nexport VAULT_TOKEN=<root-token>\n```\n\nLater:\n\n```bash\nvault token revoke $VAULT_TOKEN\n```\n",
        "p",
    );
    assert_eq!(
        d.inputs["root_token"].secret_env.as_deref(),
        Some("VAULT_TOKEN")
    );
    assert!(d.guesses.is_empty(), "{:?}", d.guesses);
    let d = import(
        "# T\n\n```console\nsh-4.4# chroot /host\nsh-4.4# rm -rf /var/lib/x\n```\n",
        "p",
    );
    assert!(d.steps.iter().all(|s| s.run.is_none()), "{:?}", d.steps);
    let d = import(
        "# T\n\n```bash\nkubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{end}'\ncurl -s -o /dev/null -w \"%{http_code}\" http://x\n```\n",
        "p",
    );
    assert!(d.guesses.is_empty(), "{:?}", d.guesses);
}

/// The page's own "If neither applies, escalate" names the decision's way out; "On Omnibus:"
/// and "On Kubernetes:" sub-items are alternatives (both ran, the first never ending).
#[test]
fn if_neither_names_the_way_out_and_platforms_are_alternatives() {
    let d = import(
        "# T\n\n1. Find the cause:\n\n   - If it is down, start it:\n\n     ```bash\n     echo start\n     ```\n\n   - If it is slow, restart it:\n\n     ```bash\n     echo restart\n     ```\n\n   - If neither applies, escalate to the DBRE on call.\n2. Confirm:\n\n   ```bash\n   echo ok\n   ```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "If it is down, start it",
            "If it is slow, restart it",
            "If neither applies, escalate to the DBRE on call"
        ]
    );
    let d = import(
        "# T\n\n- Check which RPCs are slow:\n  - On Omnibus:\n    ```shell\n    sudo gitlab-ctl tail gitaly | grep grpc\n    ```\n  - On Kubernetes:\n    ```shell\n    kubectl logs -l app=gitaly | grep grpc\n    ```\n",
        "p",
    );
    assert_eq!(labels(&d), ["On Omnibus", "On Kubernetes"]);
}

/// Bulleted options in bold whose middle one has no command are one decision (options 1 and
/// 3 ran in a row).
#[test]
fn bulleted_bold_options_without_a_command_are_one_decision() {
    let d = import(
        "# C\n\n## Mitigation\n\n- **Option 1** — reweight:\n  ```bash\n  echo one\n  ```\n- **Option 2** — add capacity: ask the storage team.\n- **Option 3** — purge:\n  ```bash\n  echo three\n  ```\n",
        "p",
    );
    assert_eq!(labels(&d), ["Option 1", "Option 2", "Option 3"]);
}

/// A placeholder inside JSON (`kubectl patch -p`, `curl -d`) or a YAML line of a
/// here-document is an input, said: quotes or a new line in it would add fields.
#[test]
fn placeholders_in_json_or_yaml_are_said() {
    let d = import(
        "# T\n\n```bash\nkubectl patch deploy/web -p '{\"spec\":{\"replicas\":<REPLICAS>}}'\ncat <<EOF | kubectl apply -f -\nmetadata:\n  name: <NAME>\nEOF\n```\n",
        "p",
    );
    assert!(d.inputs.contains_key("replicas") && d.inputs.contains_key("name"));
    assert!(guessed(&d, "<REPLICAS> stands inside JSON"));
    assert!(guessed(&d, "<NAME> stands in a YAML document"));
}

/// Thousands of placeholders in one command, or of links on a page, took minutes.
#[test]
fn many_placeholders_and_links_are_cut_short() {
    let command: String = (0..200).map(|n| format!("<P{n}> ")).collect();
    let d = import(&format!("# T\n\n```bash\necho {command}\n```\n"), "p");
    assert!(d.inputs.is_empty());
    assert!(guessed(&d, "200 placeholders"));
    let command: String = (0..40_000).map(|n| format!("<P{n}> ")).collect();
    let d = import(&format!("# T\n\n```bash\necho {command}\n```\n"), "p");
    assert!(d.inputs.is_empty());
    assert!(guessed(&d, "more than 256 `<…>` words"));
    let links: String = (0..300)
        .map(|n| format!("[l{n}](https://e.example/{n}) "))
        .collect();
    let d = import(&format!("# T\n\n{links}\n"), "p");
    assert_eq!(d.links.len(), MAX_LINKS);
    assert!(
        d.left
            .iter()
            .any(|(_, w)| w.contains("links past the first"))
    );
}

#[test]
fn links_are_kept_once_and_named_by_their_text() {
    let d = import(
        "# T\n\nSee [the dashboard](https://grafana.example/d/1) and [docs](./local.md).\n\n## Fix\n\n1. Open [the dashboard](https://grafana.example/d/1), then run:\n\n   ```bash\n   uptime\n   ```\n",
        "t",
    );
    assert_eq!(
        d.links,
        vec![(
            "the dashboard".to_string(),
            "https://grafana.example/d/1".to_string()
        )]
    );
    assert!(
        d.description
            .contains("[the dashboard](<https://grafana.example/d/1>)")
    );
    assert_eq!(d.steps[0].title, "Open the dashboard, then run");
}

/// Audit 14h: sections that "Choose one of the following." announces, or that number their
/// ways ("Solution 1", "Workaround 2"), are one decision; sections with no such word stay
/// steps in a row.
#[test]
fn announced_or_numbered_ways_are_alternatives() {
    let announced = import(
        "# Disk\n\n## Resolution\n\nChoose one of the following.\n\n### Delete old indices\n\n```sh\necho delete\n```\n\n### Raise the watermark\n\n```sh\necho raise\n```\n\n### Add a data node\n\n```sh\necho scale\n```\n\n## Verify\n\n```sh\necho verify\n```\n",
        "p",
    );
    assert_eq!(
        labels(&announced),
        [
            "Delete old indices",
            "Raise the watermark",
            "Add a data node"
        ]
    );
    // Each option goes on to Verify, not into the next option.
    for (_, first) in &announced
        .steps
        .iter()
        .find(|s| !s.choose.is_empty())
        .unwrap()
        .choose
    {
        let k = announced.steps.iter().position(|s| &s.id == first).unwrap();
        assert_eq!(
            announced.steps[k]
                .next
                .as_deref()
                .unwrap_or(&announced.steps[k + 1].id),
            announced.steps.last().unwrap().id,
            "{first}"
        );
    }
    let numbered = import(
        "# Disk\n\n## Fix\n\n### Solution 1: restart\n\n```sh\necho one\n```\n\n### Solution 2: scale\n\n```sh\necho two\n```\n",
        "p",
    );
    assert_eq!(
        labels(&numbered),
        ["Solution 1: restart", "Solution 2: scale"]
    );
    let in_a_row = import(
        "# Disk\n\n## Resolution\n\nDo all of these.\n\n### Delete old indices\n\n```sh\necho delete\n```\n\n### Raise the watermark\n\n```sh\necho raise\n```\n",
        "p",
    );
    assert!(labels(&in_a_row).is_empty());
}

/// Audit 14h H3: the firing alert's label in a command (`{{ $labels.job }}`) is a value the
/// run does not have: a placeholder, said; other templates keep the command as written,
/// and the guess no longer claims an `env:` the step does not have.
#[test]
fn an_alert_label_in_a_command_is_a_placeholder() {
    let d = import(
        "# T\n\n```sh\namtool silence add alertname=X job=\"{{ $labels.job }}\" instance=\"{{ .Labels.instance }}\"\n```\n",
        "p",
    );
    let run = d.steps[0].run.clone().unwrap_or_default();
    assert_eq!(
        run,
        "amtool silence add alertname=X job=\"{{ inputs.job }}\" instance=\"{{ inputs.instance }}\""
    );
    assert!(!d.steps[0].no_templates);
    assert!(guessed(
        &d,
        "`{{ $labels.job }}` is the firing alert's label `job`"
    ));
    let helm = import(
        "# T\n\n```sh\nkubectl get pod -o go-template='{{ .metadata.name }}'\n```\n",
        "p",
    );
    assert!(helm.steps[0].no_templates);
    assert!(guessed(
        &helm,
        "kept with `templates: false`, run as written"
    ));
}

/// Audit 14i: platform sub-items with versions or words around them ("On OpenShift 4.x:",
/// "On a plain kubeadm cluster:") and the sub-sections of a "Mitigation options" heading are
/// alternatives; a block indented past its item's margin loses that margin (a here-
/// document's ` EOF` never ended).
#[test]
fn platforms_options_headings_and_indented_blocks() {
    let platforms = import(
        "# T\n\n1. Defragment:\n   - On OpenShift 4.x:\n\n     ```bash\n     echo oc\n     ```\n\n   - On a plain kubeadm cluster:\n\n     ```bash\n     echo kubeadm\n     ```\n",
        "p",
    );
    assert_eq!(
        labels(&platforms),
        ["On OpenShift 4.x", "On a plain kubeadm cluster"]
    );
    let options = import(
        "# T\n\n## Mitigation options\n\n### Restart the replica\n\n```sh\necho restart\n```\n\n### Flush the cache\n\n```sh\necho flush\n```\n",
        "p",
    );
    assert_eq!(labels(&options), ["Restart the replica", "Flush the cache"]);
    let indented = import(
        "# T\n\n1. Write the file:\n\n        cat <<'EOF' > f\n        a\n          b\n        EOF\n",
        "p",
    );
    assert_eq!(
        indented.steps[0].run.as_deref(),
        Some("cat <<'EOF' > f\na\n  b\nEOF")
    );
}

/// Audit 14i K5: `VAR=<x>` alone on its line is the page's variable as `export VAR=<x>` is:
/// the later steps, each a shell of its own, are given it.
#[test]
fn an_assignment_alone_on_its_line_is_carried_like_an_export() {
    let d = import(
        "# T\n\n## Find\n\n```sh\nETCD_POD=<etcd-pod>\n```\n\n## Defrag\n\n```sh\noc exec $ETCD_POD -- etcdctl defrag\n```\n",
        "p",
    );
    let defrag = d.steps.last().unwrap();
    assert_eq!(
        given(&d, defrag, "ETCD_POD").as_deref(),
        Some("{{ inputs.etcd_pod }}")
    );
    // A prefix of a command (`FOO=1 cmd`) and a value that expands are not.
    let d = import(
        "# T\n\n```sh\nLANG=C sort f\nDIR=$HOME/x\n```\n\n## Next\n\n```sh\necho $LANG $DIR\n```\n",
        "p",
    );
    let last = d.steps.last().unwrap();
    assert!(given(&d, last, "LANG").is_none() && given(&d, last, "DIR").is_none());
}

/// Audit 14l L12, L14: an alternative that is only its heading is an option that says it;
/// two alternatives headed alike are two options, numbered.
#[test]
fn an_alternative_of_a_heading_only_and_alike_headings_are_options() {
    let d = import(
        "# T\n\n## Mitigation\n\n### Option A: restart\n\n```bash\nsudo systemctl restart api\n```\n\n### Option B: wait it out\n\n## Verify\n\n```bash\ncurl -fsS localhost:8080/health\n```\n",
        "page",
    );
    let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
    let labels: Vec<&str> = decision.choose.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["Option A: restart", "Option B: wait it out"]);
    let wait = d
        .steps
        .iter()
        .find(|s| s.id == decision.choose[1].1)
        .unwrap();
    assert_eq!(wait.instructions, "Option B: wait it out.");
    assert!(
        wait.next
            .as_deref()
            .is_some_and(|n| n.starts_with("run-curl"))
    );
    let d = import(
        "# T\n\n## Mitigation\n\n### Option A\n\n```bash\necho a\n```\n\n### Option A\n\n```bash\necho b\n```\n",
        "page",
    );
    let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
    let labels: Vec<&str> = decision.choose.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["Option A", "Option A (2)"]);
}

/// Audit 14l L6, L7, L8: emoji in front of a heading, and the phase headings of German,
/// French, Spanish and Japanese pages.
#[test]
fn emoji_and_other_languages_headings_are_read_by_their_words() {
    let d = import(
        "# T\n\n## 🧐 Meaning\n\nThe cache is full.\n\n## 🩹 Mitigation\n\n### 🅰️ Option A: raise\n\n```bash\necho a\n```\n\n### 🅱️ Option B: flush\n\n```bash\necho b\n```\n",
        "page",
    );
    assert!(
        d.description.contains("The cache is full."),
        "{}",
        d.description
    );
    assert_eq!(d.steps.iter().filter(|s| !s.choose.is_empty()).count(), 1);
    for heading in ["Bedeutung", "概要", "Significado"] {
        let d = import(
            &format!("# T\n\n## {heading}\n\nWhat it means.\n\n## Fix\n\n```bash\necho a\n```\n"),
            "page",
        );
        assert!(
            d.description.contains("What it means."),
            "{heading}: {}",
            d.description
        );
    }
}

/// Audit 14l L13: two blocks of one step using one placeholder name it once in `env`.
#[test]
fn a_placeholder_of_two_blocks_of_one_step_is_one_variable() {
    let d = import(
        "# T\n\n## Diagnosis\n\nGet the image of the pod:\n\n```bash\nkubectl get pod <POD_NAME> -o go-template='{{.spec.containers}}'\n```\n\n```bash\nkubectl get pod <POD_NAME> -o go-template='{{.status.phase}}'\n```\n",
        "page",
    );
    let yaml = super::yaml::write(&d, "page.md");
    assert_eq!(yaml.matches("POD_NAME: ").count(), 1, "{yaml}");
}

/// Audit 14l L11: an untagged block after a sentence that says it is output ("Expected
/// output:", "You should see:", "The log usually says:") is shown, not run.
#[test]
fn a_block_announced_as_output_is_shown_not_run() {
    for lead in [
        "Expected output:",
        "You should see:",
        "The log usually says:",
        "Sample response:",
    ] {
        let d = import(
            &format!(
                "# T\n\n## Check\n\n```bash\nkubectl get pods\n```\n\n{lead}\n\n```\nNAME   READY   STATUS\napi-1  1/1     Running\n```\n"
            ),
            "page",
        );
        let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(runs, ["kubectl get pods"], "{lead}");
        assert!(
            d.steps
                .iter()
                .any(|s| s.instructions.contains("api-1  1/1")),
            "{lead}"
        );
    }
    // (A sentence that asks to run it is no such announcement.)
    let d = import(
        "# T\n\n## Check\n\nTo see the output, run:\n\n```\nkubectl get pods\n```\n",
        "page",
    );
    assert_eq!(d.steps.iter().filter(|s| s.run.is_some()).count(), 1);
}

/// Audit 14l L3, L16, L2, L10: AWS docs' `[ Console ]` and Microsoft Learn's `[Azure
/// CLI](#tab/…)` headings are tabs, AWS Tools' cmdlets are PowerShell, a `\|` in a table's
/// code span stays one cell.
#[test]
fn tab_headings_cmdlets_with_digits_and_pipes_in_table_code() {
    for (a, b) in [
        ("[ AWS CLI ]", "[ PowerShell ]"),
        ("[Azure CLI](#tab/azure-cli)", "[Bash](#tab/bash)"),
    ] {
        let d = import(
            &format!(
                "# T\n\n## Restore\n\n### {a}\n\n```bash\necho a\n```\n\n### {b}\n\n```bash\necho b\n```\n"
            ),
            "page",
        );
        assert_eq!(
            d.steps.iter().filter(|s| !s.choose.is_empty()).count(),
            1,
            "{a}"
        );
    }
    let d = import(
        "# T\n\n## Fix\n\n```\nNew-EC2Volume -SnapshotId snap-1\n```\n",
        "page",
    );
    assert!(d.steps.iter().all(|s| s.run.is_none()));
    let d = import(
        "# T\n\n## Check\n\n| # | What | Command |\n|---|---|---|\n| 1 | Conditions | `kubectl describe node x \\| sed -n '/C/p'` |\n",
        "page",
    );
    let text: String = d
        .steps
        .iter()
        .map(|s| s.instructions.clone())
        .collect::<String>()
        + &d.description;
    assert!(
        text.contains("`kubectl describe node x \\| sed -n '/C/p'`"),
        "{text}"
    );
}

/// Audit 14l L1, 14k K4: VitePress' `::: code-group` is a set of tabs, one per labelled
/// fence (a decision, not three failovers in a row); Docusaurus' and VitePress' `:::tip` …
/// `:::` admonitions are quoted notes, not steps titled ":::tip".
#[test]
fn code_groups_are_tabs_and_colon_admonitions_are_notes() {
    let d = import(
        "# T\n\n## Fail over\n\n::: code-group\n\n```sh [Patroni]\npatronictl failover\n```\n\n```sh [CloudNativePG]\nkubectl cnpg promote db 2\n```\n\n:::\n\n## Verify\n\n```bash\necho ok\n```\n",
        "page",
    );
    let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
    let labels: Vec<&str> = decision.choose.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["Patroni", "CloudNativePG"]);
    let d = import(
        "# T\n\n## Check\n\n:::tip\n\nIf the output is empty, quorum is lost.\n\n:::\n\n```bash\nredis-cli info\n```\n\n:::warning[Do not flush]\n\nNever run FLUSHALL.\n\n:::\n",
        "page",
    );
    assert!(d.steps.iter().all(|s| !s.title.contains(":::")));
    let text: String = d.steps.iter().map(|s| s.instructions.clone()).collect();
    assert!(
        text.contains("**Tip**") && text.contains("**Warning** Do not flush"),
        "{text}"
    );
}

/// Audit 14l L4: lettered paragraphs of an item naming platforms ("a. On bare metal:", "b.
/// On Rook:") are alternatives, not one command of both.
#[test]
fn lettered_courses_of_an_item_are_alternatives() {
    let d = import(
        "# T\n\n## Fix\n\n1. Restart it.\n   a. On bare metal:\n\n      ```bash\n      systemctl restart osd\n      ```\n\n   b. On Rook:\n\n      ```bash\n      kubectl delete pod -l app=osd\n      ```\n\n2. Check it.\n\n   ```bash\n   ceph -s\n   ```\n",
        "page",
    );
    let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
    let labels: Vec<&str> = decision.choose.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, ["On bare metal", "On Rook"]);
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        [
            "systemctl restart osd",
            "kubectl delete pod -l app=osd",
            "ceph -s"
        ]
    );
}

/// Audit 14l L9: a lower-case tag in a pattern (`grep "<version>"`, `sed "s/<br>/…/"`) is
/// the file's text, kept as written; one in other quotes (`printf "<error>"`) is read as a
/// placeholder and said, with its line.
#[test]
fn tags_in_patterns_are_text_and_other_quoted_tags_are_said() {
    let d = import(
        "# T\n\n## Check\n\n```bash\nxmlstarlet sel -t -v //version pom.xml | grep \"<version>\"\nsed -i \"s/<item>/x/\" page.xml\nprintf '%s\\n' \"<error>\" | tee /tmp/e\nkubectl logs <POD_NAME>\n```\n",
        "page",
    );
    let run = d.steps[0].run.as_deref().unwrap();
    assert!(run.contains("grep \"<version>\""), "{run}");
    assert!(run.contains("s/<item>/x/"), "{run}");
    assert!(run.contains("{{ inputs.error }}"), "{run}");
    assert!(run.contains("{{ inputs.pod_name }}"), "{run}");
    assert!(guessed(&d, "<error> in quotes is read as a placeholder"));
    assert!(!guessed(&d, "<version>") && !guessed(&d, "<pod_name>"));
    let at = d
        .guesses
        .iter()
        .find(|(_, w)| w.contains("<error>"))
        .map(|(p, _)| p.line);
    assert_eq!(at, Some(8));
}

/// Audit 14m M11: a `bash` block right after "Expected output:" is output, shown, not run;
/// audit 14l L5: a Jira `{code:bash}` block is a command, said.
#[test]
fn tagged_output_and_jira_code_blocks() {
    let d = import(
        "# T\n\n## Check\n\n```bash\nkubectl get pods\n```\n\nExpected output:\n\n```bash\nNAME READY STATUS\napi-0 1/1 Running\n```\n\nh2. Fix\n\n{code:bash}\nkubectl rollout restart deploy/api\n{code}\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        ["kubectl get pods", "kubectl rollout restart deploy/api"]
    );
    assert!(guessed(&d, "Jira or Confluence wiki markup"));
    assert!(
        d.steps
            .iter()
            .any(|s| s.section.is_some_and(|k| d.sections[k].1 == "Fix"))
    );
}

/// Audit 14m M1: "Opção A"/"Opção B" (and Spanish, Italian, German words for an option) are
/// alternatives, as "Option A"/"Option B" are.
#[test]
fn options_in_other_languages_are_alternatives() {
    for word in ["Opção", "Opción", "Opzione", "Variante", "Alternativa"] {
        let d = import(
            &format!(
                "# T\n\n## Mitigação\n\n### {word} A: escalar\n\n```bash\nkubectl scale deploy/c --replicas=6\n```\n\n### {word} B: pular\n\n```bash\nkafka-consumer-groups.sh --reset-offsets --to-latest --execute\n```\n"
            ),
            "page",
        );
        assert_eq!(labels(&d).len(), 2, "{word}: {:?}", labels(&d));
    }
}

/// Audit 14m M2: bold items naming options in another language, after a lead-in sentence
/// of their list ("Scegli **una** delle due strade:"), are alternatives.
#[test]
fn bold_options_after_a_lead_in_are_alternatives() {
    let d = import(
        "# T\n\n## Mitigazione\n\nScegli **una** delle due strade:\n\n- **Opzione 1** — comprimere:\n  ```bash\n  gzip a\n  ```\n- **Opzione 2** — cancellare:\n  ```bash\n  rm -f a\n  ```\n",
        "page",
    );
    assert_eq!(labels(&d), ["Opzione 1", "Opzione 2"]);
}

/// Audit 14m M15: every use of one secret placeholder reads the variable its input is given
/// in (the exported one), never a second name that nothing sets.
#[test]
fn every_use_of_a_secret_reads_one_variable() {
    let d = import(
        "# T\n\n## Fix\n\n```bash\nexport PGPASSWORD=<DB_PASSWORD>\npsql -h db1 -c \"select 1\"\nvault kv put secret/db password=<DB_PASSWORD>\n```\n",
        "page",
    );
    let run = d.steps[0].run.as_deref().unwrap();
    assert!(run.contains("export PGPASSWORD=\"${PGPASSWORD}\""), "{run}");
    assert!(run.contains("password=\"${PGPASSWORD}\""), "{run}");
    assert_eq!(
        d.inputs
            .get("db_password")
            .and_then(|i| i.secret_env.as_deref()),
        Some("PGPASSWORD")
    );
}

/// Audit 14m M8: a block under "❌ Don't do this" or after "**Never run** the following:"
/// is shown, not run; one under "Never fail over without a check" is a command.
#[test]
fn blocks_the_page_says_not_to_run_are_shown() {
    let d = import(
        "# T\n\n## Fix\n\n### ❌ Don't do this\n\n```bash\nrm -rf /var/lib/pg/*\n```\n\n**Never run** the following on the primary:\n\n```bash\npsql -c 'select pg_drop_replication_slot(slot_name) from pg_replication_slots'\n```\n\nAvoid:\n\n```bash\nredis-cli FLUSHALL\n```\n\n### Wrong\n\n```bash\nvault operator init\n```\n\n### Never fail over without a check\n\n```bash\npatronictl list\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(runs, ["patronictl list"]);
}

/// Audit 14n N9: a sentence that sets a condition on running a block ("Never run the
/// restore without this backup:") heads a command, not a warning.
#[test]
fn a_condition_on_running_a_block_is_no_warning() {
    let d = import(
        "# T\n\n## Fix\n\nNever run the restore without this backup:\n\n```bash\npg_dump app > /backup/app.sql\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(runs, ["pg_dump app > /backup/app.sql"]);
}

/// The commands a `run --dry-run --yes` walk reaches: from the first step, each decision's
/// `default` option (else its first), each step's successor.
fn walked_runs(d: &Draft) -> Vec<String> {
    let next = d.successors();
    let mut out = Vec::new();
    let mut at = (!d.steps.is_empty()).then_some(0);
    let mut seen = 0;
    while let Some(k) = at {
        seen += 1;
        assert!(seen <= 10 * d.steps.len(), "the walk loops: {:?}", d.steps);
        let s = &d.steps[k];
        out.extend(s.run.clone());
        at = if s.choose.is_empty() {
            next[k].first().copied()
        } else {
            let n = s.choose_default.map_or(0, |n| n.saturating_sub(1));
            let to = &s.choose[n].1;
            d.steps.iter().position(|x| x.id == *to)
        };
    }
    out
}

/// Audit 14m M4: a `## Rollback` section (or `## Roll back`, `## Revert`, `## Undo`) was
/// the last step of every run. It is reached only by a decision whose default skips it.
#[test]
fn a_rollback_section_runs_only_when_chosen() {
    for heading in [
        "Rollback",
        "Roll back",
        "Revert",
        "Undo",
        "Rollback procedure",
    ] {
        let d = import(
            &format!(
                "# Deploy stuck\n\n## Mitigation\n\n```bash\nkubectl rollout restart deploy/api\n```\n\n\
                 ## {heading}\n\nGo back to the last release:\n\n```bash\nkubectl rollout undo deploy/api\n```\n\n\
                 ## Verify\n\n```bash\nkubectl rollout status deploy/api\n```\n"
            ),
            "page",
        );
        assert_eq!(
            walked_runs(&d),
            [
                "kubectl rollout restart deploy/api",
                "kubectl rollout status deploy/api"
            ],
            "{heading}: {:?}",
            d.steps
        );
        let decision = d.steps.iter().find(|s| !s.choose.is_empty()).unwrap();
        assert_eq!(decision.choose.len(), 2, "{heading}: {:?}", decision.choose);
        let rollback = d
            .steps
            .iter()
            .position(|s| s.run.as_deref() == Some("kubectl rollout undo deploy/api"))
            .unwrap();
        assert_eq!(decision.choose[1].1, d.steps[rollback].id, "{heading}");
        // After the rollback the walk goes on, as the page reads, to the check.
        assert_eq!(d.successors()[rollback].len(), 1);
        assert!(guessed(&d, "rollback"), "{heading}: {:?}", d.guesses);
    }
    // A Rollback section that ends an option's branch: skipping it goes where the branch
    // goes on, not into the next option.
    let d = import(
        "# T\n\n## Option A: restart\n\n```bash\nsystemctl restart app\n```\n\n### Rollback\n\n```bash\nsystemctl stop app\n```\n\n\
         ## Option B: scale\n\n```bash\nkubectl scale deploy/app --replicas=5\n```\n\n## Verify\n\n```bash\ncurl -s localhost/healthz\n```\n",
        "page",
    );
    assert_eq!(
        walked_runs(&d),
        ["systemctl restart app", "curl -s localhost/healthz"],
        "{:?}",
        d.steps
    );
    // "Roll back the deploy" under a Mitigation heading is the fix itself: it runs.
    let d = import(
        "# T\n\n## Mitigation\n\n### Roll back the deploy\n\n```bash\nhelm rollback api 0\n```\n",
        "page",
    );
    assert_eq!(walked_runs(&d), ["helm rollback api 0"]);
}

/// A Rollback section whose text opens with its condition ("If the restart made it worse,
/// go back…") asked twice in a row: whether to roll back, then whether the "If …" applies.
/// It is one decision, the condition its question.
#[test]
fn a_rollback_section_that_opens_with_if_is_one_decision() {
    let d = import(
        "# Deploy stuck\n\n## Mitigation\n\n```bash\nkubectl rollout restart deploy/api\n```\n\n\
         ## Rollback\n\nIf the restart made it worse, go back to the last release:\n\n```bash\nkubectl rollout undo deploy/api\n```\n\n\
         ## Verify\n\n```bash\nkubectl rollout status deploy/api\n```\n",
        "page",
    );
    let decisions: Vec<&Step> = d.steps.iter().filter(|s| !s.choose.is_empty()).collect();
    assert_eq!(decisions.len(), 1, "{:?}", d.steps);
    let undo = d
        .steps
        .iter()
        .find(|s| s.run.as_deref() == Some("kubectl rollout undo deploy/api"))
        .unwrap();
    assert_eq!(decisions[0].choose[1].1, undo.id);
    assert!(
        decisions[0].choose[1]
            .0
            .contains("if the restart made it worse"),
        "{:?}",
        decisions[0].choose
    );
    assert_eq!(decisions[0].choose_default, Some(1));
    assert_eq!(
        walked_runs(&d),
        [
            "kubectl rollout restart deploy/api",
            "kubectl rollout status deploy/api"
        ]
    );
    assert_eq!(d.guesses.len(), 1, "{:?}", d.guesses);
}

/// A Rollback section that says "If X, nothing to do. Else, …" (or "If X, skip this.
/// Otherwise …") asked twice in a row: whether to roll back, then which of the "Else" and
/// "nothing to do" applies. It is one decision, the page's sentence its question, the
/// "Else" its yes.
#[test]
fn a_rollback_section_that_says_if_x_nothing_to_do_else_is_one_decision() {
    for sentence in [
        "If the error rate is back to normal, nothing to do. Else, go back to the last release:",
        "If the error rate is back to normal, skip this. Otherwise go back to the last release:",
    ] {
        let d = import(
            &format!(
                "# Deploy stuck\n\n## Mitigation\n\n```bash\nkubectl rollout restart deploy/api\n```\n\n\
                 ## Rollback\n\n{sentence}\n\n```bash\nkubectl rollout undo deploy/api\n```\n\n\
                 ## Verify\n\n```bash\nkubectl rollout status deploy/api\n```\n"
            ),
            "page",
        );
        let decisions: Vec<&Step> = d.steps.iter().filter(|s| !s.choose.is_empty()).collect();
        assert_eq!(decisions.len(), 1, "{sentence}: {:?}", d.steps);
        let decision = decisions[0];
        let undo = d
            .steps
            .iter()
            .find(|s| s.run.as_deref() == Some("kubectl rollout undo deploy/api"))
            .unwrap();
        let verify = d
            .steps
            .iter()
            .find(|s| s.run.as_deref() == Some("kubectl rollout status deploy/api"))
            .unwrap();
        assert_eq!(
            decision.choose.len(),
            2,
            "{sentence}: {:?}",
            decision.choose
        );
        assert_eq!(decision.choose[0].1, verify.id, "{sentence}");
        assert_eq!(decision.choose[1].1, undo.id, "{sentence}");
        assert!(
            decision.choose[1].0.contains("go back to the last release"),
            "{sentence}: {:?}",
            decision.choose
        );
        assert!(
            decision
                .choose_prompt
                .as_deref()
                .is_some_and(|p| p.contains("the error rate is back to normal")),
            "{sentence}: {:?}",
            decision.choose_prompt
        );
        assert_eq!(decision.choose_default, Some(1));
        assert_eq!(
            walked_runs(&d),
            [
                "kubectl rollout restart deploy/api",
                "kubectl rollout status deploy/api"
            ],
            "{sentence}"
        );
        assert_eq!(d.guesses.len(), 1, "{sentence}: {:?}", d.guesses);
    }
}

/// Sibling "If …" sections were one decision with no way past them: the operator for whom
/// neither holds had to pick one. "None of these applies: skip them" leads after the last.
#[test]
fn sibling_if_sections_are_one_decision_with_a_way_past_them() {
    let d = import(
        "# Disk full\n\n## Mitigation\n\n```bash\ndf -h /\n```\n\n\
         ## If the journal is large\n\n```bash\nsudo journalctl --vacuum-size=500M\n```\n\n\
         ## If docker images pile up\n\n```bash\nsudo docker image prune -a -f\n```\n\n\
         ## Verify\n\n```bash\ndf -h /var\n```\n",
        "page",
    );
    let decisions: Vec<&Step> = d.steps.iter().filter(|s| !s.choose.is_empty()).collect();
    assert_eq!(decisions.len(), 1, "{:?}", d.steps);
    let verify = d
        .steps
        .iter()
        .find(|s| s.run.as_deref() == Some("df -h /var"))
        .unwrap();
    let options: Vec<&str> = decisions[0]
        .choose
        .iter()
        .map(|(l, _)| l.as_str())
        .collect();
    assert_eq!(
        options,
        [
            "If the journal is large",
            "If docker images pile up",
            "None of these applies: skip them"
        ]
    );
    assert_eq!(decisions[0].choose[2].1, verify.id);
    // Each branch joins again at the check.
    for (_, to) in &decisions[0].choose[..2] {
        let k = d.steps.iter().position(|s| s.id == *to).unwrap();
        assert_eq!(d.steps[k].next.as_deref(), Some(verify.id.as_str()));
    }
    // Options that are not all conditions have no such way out.
    let d = import(
        "# T\n\n## Option A: restart\n\n```bash\nsystemctl restart app\n```\n\n\
         ## Option B: scale\n\n```bash\nkubectl scale deploy/app --replicas=5\n```\n",
        "page",
    );
    assert!(
        !labels(&d).iter().any(|l| l.starts_with("None of these")),
        "{:?}",
        d.steps
    );
}

/// The summary listed guesses in the order the passes found them: a decision of sections
/// (found first) before an "If …" item above it. They are in the page's order.
#[test]
fn guesses_are_in_the_order_of_the_page() {
    let d = import(
        "# T\n\n## Diagnosis\n\n- If the pods crash, look at their logs:\n\n  ```bash\n  kubectl logs deploy/api\n  ```\n\n\
         ## Option A: restart\n\n```bash\nsystemctl restart app\n```\n\n\
         ## Option B: scale\n\n```bash\nkubectl scale deploy/app --replicas=5\n```\n",
        "page",
    );
    assert!(d.guesses.len() >= 2, "{:?}", d.guesses);
    let lines: Vec<usize> = d.guesses.iter().map(|(p, _)| p.line).collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "{:?}", d.guesses);
}

/// Audit M21: a page of many "If …" items, each with placeholders of its own, took a pass
/// over every step per placeholder (300 items: 600 passes of 300 steps; 2,000 items took
/// ten seconds). Each item's placeholders are asked in its own option, and the time grows
/// with the page, not with its square.
#[test]
fn many_if_items_with_placeholders_import_in_linear_time() {
    let page = |n: usize| {
        let mut page = String::from("# Many\n\n## Mitigation\n\n");
        for i in 0..n {
            page.push_str(&format!(
                "- If the case {i} applies, restart it:\n\n  ```bash\n  kubectl -n <NAMESPACE_{i}> rollout restart deploy/<APP_{i}>\n  ```\n\n"
            ));
        }
        page
    };
    let d = import(&page(300), "page");
    assert!(d.inputs.is_empty(), "{:?}", d.inputs.keys().take(3));
    let runs: Vec<&Step> = d.steps.iter().filter(|s| s.run.is_some()).collect();
    assert_eq!(runs.len(), 300);
    for (i, s) in runs.iter().enumerate() {
        let asked: Vec<&str> = s.asks.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(
            asked,
            [format!("app_{i}"), format!("namespace_{i}")],
            "{s:?}"
        );
    }
    // (No time is asserted: 2,000 items took 9.8 s before the passes were made linear, 0.1 s
    // after; `benches/` measures the importer.)
    let d = import(&page(2000), "page");
    assert_eq!(d.steps.iter().filter(|s| !s.asks.is_empty()).count(), 2000);
}

/// Audit 14n N5: a lone conditional section (`### If the disk is still full`, no sibling
/// alternative) was a step of every run. A decision asks whether it applies; both ways
/// join again at what follows.
#[test]
fn a_lone_if_section_is_asked() {
    let d = import(
        "# Disk almost full\n\n## Mitigation\n\nClean the journal:\n\n```bash\nsudo journalctl --vacuum-size=500M\n```\n\n\
         ### If the disk is still full\n\nRemove old images:\n\n```bash\nsudo docker image prune -a -f\n```\n\n\
         ## Verify\n\n```bash\ndf -h /\n```\n",
        "page",
    );
    assert_eq!(
        labels(&d),
        ["If the disk is still full", "It does not apply: skip it"],
        "{:?}",
        d.steps
    );
    let decision = d.steps.iter().position(|s| !s.choose.is_empty()).unwrap();
    let index = |id: &str| d.steps.iter().position(|s| s.id == id).unwrap();
    let [(_, prune), (_, skip)] = d.steps[decision].choose.as_slice() else {
        panic!("{:?}", d.steps[decision].choose);
    };
    assert_eq!(
        d.steps[index(prune)].run.as_deref(),
        Some("sudo docker image prune -a -f")
    );
    assert_eq!(d.steps[index(skip)].run.as_deref(), Some("df -h /"));
    assert_eq!(d.successors()[index(prune)], [index(skip)]);
    assert!(guessed(&d, "asks whether it applies"), "{:?}", d.guesses);
    // At the top level too, and last on the page.
    let d = import(
        "# T\n\n## Fix\n\n```bash\nsystemctl restart app\n```\n\n## If it keeps failing\n\n```bash\nsystemctl stop app\n```\n",
        "page",
    );
    assert_eq!(
        labels(&d),
        ["If it keeps failing", "It does not apply: skip it"]
    );
    assert_eq!(
        d.steps
            .iter()
            .find(|s| !s.choose.is_empty())
            .unwrap()
            .choose[1]
            .1,
        "end"
    );
    // The page's title is what the page is about, not a condition of a part of it.
    let d = import(
        "# If the primary is down\n\n```bash\npatronictl list\n```\n",
        "page",
    );
    assert!(labels(&d).is_empty(), "{:?}", d.steps);
}

/// Audit 14m M22: a file's contents shown after "Add this line to /etc/hosts:", "Add the
/// following to postgresql.conf:", "Put this in ~/.ssh/config:", or lines that read as a
/// config file, were run as commands. They are shown where they are to be written, and
/// said; a command that writes the file stays a command.
#[test]
fn file_contents_are_shown_not_run() {
    let d = import(
        "# T\n\n## Fix\n\nAdd this line to /etc/hosts:\n\n```\n10.0.3.12 db-primary.internal db-primary\n```\n\n\
         Add the following to postgresql.conf:\n\n```bash\nmax_wal_senders = 10\nwal_keep_size = 1024\n```\n\n\
         Put this in ~/.ssh/config:\n\n```\nHost bastion\n  HostName 10.0.0.5\n  User ops\n```\n\n\
         1. Edit `pgbouncer.ini` and set:\n\n   ```sh\n   max_client_conn=500\n   ```\n\n\
         Then reload Postgres:\n\n```bash\nsudo systemctl reload postgresql\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(runs, ["sudo systemctl reload postgresql"], "{:?}", d.steps);
    let hosts = &d.steps[0];
    assert!(
        hosts.instructions.contains("10.0.3.12 db-primary.internal")
            && hosts.notes.iter().any(|n| n.contains("/etc/hosts")),
        "{hosts:?}"
    );
    assert_eq!(d.left.len(), 4, "{:?}", d.left);
    // Lines that read as a config file, with no lead-in: shown too.
    for block in [
        "[databases]\napp = host=10.0.0.7 dbname=app\n\n[pgbouncer]\npool_mode = transaction",
        "127.0.0.1 localhost\n10.0.3.12 db-primary",
        "Host *.internal\n    ProxyJump bastion",
    ] {
        let d = import(&format!("# T\n\n## Fix\n\n```\n{block}\n```\n"), "page");
        assert!(
            d.steps.iter().all(|s| s.run.is_none()),
            "{block}: {:?}",
            d.steps
        );
    }
    // A command that writes the file after such a lead-in is a command.
    for (lead, block) in [
        (
            "Add this line to /etc/hosts:",
            "echo '10.0.3.12 db-primary' | sudo tee -a /etc/hosts",
        ),
        (
            "Add the following to postgresql.conf:",
            "sudo -u postgres psql -c \"alter system set max_wal_senders = 10\"",
        ),
        ("Add the node to the cluster:", "kubectl uncordon node-1"),
        (
            "Write the dump to /tmp/app.sql:",
            "pg_dump app > /tmp/app.sql",
        ),
    ] {
        let d = import(
            &format!("# T\n\n## Fix\n\n{lead}\n\n```bash\n{block}\n```\n"),
            "page",
        );
        let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(runs, [block], "{lead}");
    }
}

/// Audit 14m M9: after a command that opens a shell elsewhere (`kubectl exec -it … --
/// bash`, `ssh host`, `psql` alone), the blocks headed "Inside the pod", "On the host", or
/// after "Then run inside the shell:" ran on the operator's machine. They are shown, to be
/// typed in that shell, and said; a later section's commands run again.
#[test]
fn commands_for_a_shell_opened_elsewhere_are_not_run_here() {
    let d = import(
        "# T\n\n## Diagnosis\n\nOpen a shell in the pod:\n\n```bash\nkubectl exec -it redis-0 -n cache -- bash\n```\n\n\
         ### Inside the pod\n\n```bash\nredis-cli info memory\n```\n\n\
         ## Fix\n\nLog in to the database host:\n\n```bash\nssh -i ~/.ssh/ops db-1.internal\n```\n\n\
         Then run inside the shell:\n\n```bash\nsudo systemctl restart postgresql\n```\n\n\
         ## Verify\n\n```bash\nkubectl get pods -n cache\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        [
            "kubectl exec -it redis-0 -n cache -- bash",
            "ssh -i ~/.ssh/ops db-1.internal",
            "kubectl get pods -n cache"
        ],
        "{:?}",
        d.steps
    );
    let inside = d
        .steps
        .iter()
        .find(|s| s.instructions.contains("redis-cli info memory"))
        .unwrap();
    assert!(
        inside
            .notes
            .iter()
            .any(|n| n.contains("kubectl exec -it redis-0 -n cache -- bash")),
        "{inside:?}"
    );
    assert!(
        d.left
            .iter()
            .any(|(_, w)| w.contains("ssh -i ~/.ssh/ops db-1.internal"))
    );
    // `ssh host command` and `kubectl exec pod -- cmd` open no shell: the next block runs.
    for opener in [
        "ssh db-1 uptime",
        "kubectl exec redis-0 -- redis-cli info",
        "psql -c 'select 1'",
    ] {
        let d = import(
            &format!(
                "# T\n\n## Fix\n\n```bash\n{opener}\n```\n\n### On the host\n\n```bash\ndf -h\n```\n"
            ),
            "page",
        );
        let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(runs, [opener, "df -h"], "{opener}");
    }
}

/// A block fenced with `tag` right after a command's block is that command's output: not
/// run, shown in the command's step, said once.
fn assert_output_after_a_command(tag: &str, output: &str) {
    let d = import(
        &format!(
            "# T\n\n## Diagnosis\n\nLook:\n\n```bash\nkubectl get pods -n shop\n```\n\n```{tag}\n{output}\n```\n"
        ),
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(runs, ["kubectl get pods -n shop"], "{output}");
    let first_line = output.lines().next().unwrap_or("");
    assert!(
        d.steps[0].instructions.contains(first_line),
        "{output}: {:?}",
        d.steps
    );
    assert_eq!(d.left.len(), 1, "{output}");
}

/// Audit 14n N2: an untagged block right after a command's block that is its output (a
/// table, `NAME READY STATUS`, log lines, JSON) was joined to the command and run. It is
/// shown as the command's output.
#[test]
fn an_untagged_output_block_after_a_command_is_shown() {
    for output in [
        "NAME                     READY   STATUS             RESTARTS   AGE\napi-7d9f8b6c5d-x2k4p     0/1     CrashLoopBackOff   12         40m",
        "2024-03-01T10:00:01Z ERROR connection refused: db-primary:5432\n2024-03-01T10:00:02Z INFO retrying in 5s",
        "{\"status\": \"down\", \"db\": \"unreachable\"}",
        " pid  | state  | query\n------+--------+-------\n 4242 | active | select 1",
        "Name:         api-0\nNamespace:    shop\nStatus:       Running",
    ] {
        assert_output_after_a_command("", output);
    }
    // A second block of commands right after the first is still the step's.
    let d = import(
        "# T\n\n## Fix\n\n```bash\nkubectl get pods\n```\n\n```\nkubectl delete pod api-0\n```\n",
        "page",
    );
    assert_eq!(
        d.steps[0].run.as_deref(),
        Some("kubectl get pods\nkubectl delete pod api-0")
    );
}

/// An output block tagged `bash` or `sh` as the page's commands are (no prompt), right after
/// a command's block, was run as commands. When clearly output (a table, log lines, JSON)
/// it is shown as the command's output; a block of commands, or one that sets a variable
/// first (`level=debug ./probe`), stays a command.
#[test]
fn a_shell_tagged_output_block_after_a_command_is_shown() {
    for (tag, output) in [
        (
            "bash",
            "NAME                     READY   STATUS             RESTARTS   AGE\napi-7d9f8b6c5d-x2k4p     0/1     CrashLoopBackOff   12         40m",
        ),
        (
            "sh",
            "2024-03-01T10:00:01Z ERROR connection refused: db-primary:5432\n2024-03-01T10:00:02Z INFO retrying in 5s",
        ),
        ("bash", "{\"status\": \"down\", \"db\": \"unreachable\"}"),
    ] {
        assert_output_after_a_command(tag, output);
    }
    for block in ["kubectl delete pod api-0", "level=debug ./probe --once"] {
        let d = import(
            &format!("# T\n\n## Fix\n\n```bash\nkubectl get pods\n```\n\n```bash\n{block}\n```\n"),
            "page",
        );
        let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(
            runs.concat().matches(block).count(),
            1,
            "{block}: {:?}",
            d.steps
        );
    }
}

/// A `bash` block of `Key: value` fields right after a command's block (`Name: web-1`,
/// `Status: Running`) is that command's output; one that holds a command (`kubectl get
/// pods`, `echo Status: ok`), even under a table's header or among fields, is run (a
/// header line first made a block of commands output, never run).
#[test]
fn a_shell_tagged_block_of_fields_is_output_and_one_with_commands_is_run() {
    for output in [
        "Name: web-1\nStatus: Running",
        "Start Time:   Mon, 01 Mar 2024\nRestart Count:  3",
    ] {
        assert_output_after_a_command("bash", output);
    }
    for block in [
        "echo Status: ok",
        "Name: web-1\necho Status: ok",
        "Status: ok\nkubectl get pods -o wide",
        "NAME    READY   STATUS\nkubectl get pods -n shop",
        "NAME   READY\nsudo systemctl restart api",
    ] {
        let d = import(
            &format!(
                "# T\n\n## Fix\n\n```bash\nkubectl get deploy\n```\n\n```bash\n{block}\n```\n"
            ),
            "page",
        );
        let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(
            runs.concat().matches(block).count(),
            1,
            "{block}: {:?}",
            d.steps
        );
    }
}

/// A Dockerfile after "Add this to the Dockerfile:", and a file's contents after "Create a
/// file … with:", were run as commands (`FROM` by bash, `RUN … > /dev/null` read as a
/// command writing a file). They are shown as the file's contents, not run.
#[test]
fn a_dockerfile_and_a_file_to_create_are_shown_not_run() {
    let d = import(
        "# T\n\n## Fix\n\nAdd this to the Dockerfile:\n\n```bash\nFROM debian:12\nRUN apt-get update && apt-get install -y curl > /dev/null\nCOPY app /app\n```\n\n\
         Create a file /etc/nginx/conf.d/api.conf with:\n\n```\nupstream api {\n  server 10.0.0.5:8080;\n}\n```\n\n\
         Then build it:\n\n```bash\ndocker build -t app .\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(runs, ["docker build -t app ."], "{:?}", d.steps);
    assert!(
        d.left.iter().any(|(_, w)| w.contains("Dockerfile"))
            && d.left
                .iter()
                .any(|(_, w)| w.contains("/etc/nginx/conf.d/api.conf")),
        "{:?}",
        d.left
    );
    // A Dockerfile's lines with no lead-in: shown too.
    let d = import(
        "# T\n\n## Fix\n\n```\nFROM alpine:3.20\nRUN apk add --no-cache curl\n```\n",
        "page",
    );
    assert!(d.steps.iter().all(|s| s.run.is_none()), "{:?}", d.steps);
    // "Create the namespace with:" is a command's lead-in, not a file's.
    let d = import(
        "# T\n\n## Fix\n\nCreate the namespace with:\n\n```bash\nkubectl create namespace shop\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(runs, ["kubectl create namespace shop"]);
}

/// Audit 14n N8: an untagged block of Windows commands (`iisreset`, `net stop`, `sc query`,
/// `C:\…`, `.\script.ps1`) was run by bash. It is shown, to be typed in PowerShell or cmd;
/// so is a block tagged `powershell`, `ps1`, `cmd` or `bat`, each said so.
#[test]
fn windows_commands_are_typed_in_windows() {
    for block in [
        "iisreset /restart",
        "net stop W3SVC\nnet start W3SVC",
        "sc.exe query W3SVC",
        ".\\cleanup.ps1 -Force",
        "C:\\tools\\fix.exe --all",
        "# clean up first\ntaskkill /F /IM w3wp.exe",
    ] {
        let d = import(&format!("# T\n\n## Fix\n\n```\n{block}\n```\n"), "page");
        assert!(
            d.steps.iter().all(|s| s.run.is_none()),
            "{block}: {:?}",
            d.steps
        );
        assert!(
            d.left.iter().any(|(_, w)| w.contains("Windows")),
            "{block}: {:?}",
            d.left
        );
    }
    for (lang, shell) in [
        ("powershell", "PowerShell"),
        ("ps1", "PowerShell"),
        ("pwsh", "PowerShell"),
        ("cmd", "cmd"),
        ("bat", "cmd"),
    ] {
        let d = import(&format!("# T\n\n```{lang}\nnet stop W3SVC\n```\n"), "page");
        assert!(d.steps.iter().all(|s| s.run.is_none()), "{lang}");
        assert!(d.left[0].1.contains(shell), "{lang}: {:?}", d.left);
    }
    // Commands of a POSIX shell that look alike stay commands.
    for block in ["net-snmp-config --version", "scp a b:", "reg=1 ./run.sh"] {
        let d = import(&format!("# T\n\n```\n{block}\n```\n"), "page");
        assert_eq!(d.steps[0].run.as_deref(), Some(block));
    }
}

/// Audit 14n N1/N11: a block whose first line is a comment `# WRONG`, `# DON'T`, `# Do
/// not run`, `# BAD`, and one in an MkDocs admonition `!!! danger "Do not run this"` / `!!!
/// warning "Never …"`, ran. They are shown, and said; a comment or an admonition that
/// only cautions ("# Do not interrupt this", `!!! note "Clean safely"`) keeps its command.
#[test]
fn comments_and_admonitions_that_say_not_to_run_a_block() {
    let d = import(
        "# T\n\n## Fix\n\n```bash\n# WRONG: deletes the live WAL\nrm -rf /var/lib/pg/pg_wal/*\n```\n\n\
         Next:\n\n```bash\n# Do not run this on the primary\npg_resetwal -f /var/lib/pg\n```\n\n\
         Then:\n\n```bash\n# BAD\nchmod -R 777 /srv\n```\n\n\
         And:\n\n```sh\n# DON'T\nkill -9 1\n```\n\n\
         !!! danger \"Do not run this\"\n\n    ```bash\n    redis-cli FLUSHALL\n    ```\n\n\
         !!! warning \"Never delete the index on a live cluster\"\n\n    ```bash\n    curl -XDELETE http://es:9200/logs\n    ```\n\n\
         !!! note \"Clean safely\"\n\n    ```bash\n    journalctl --vacuum-size=500M\n    ```\n\n\
         Last:\n\n```bash\n# Do not interrupt this: it takes a minute\nsystemctl restart app\n```\n",
        "page",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        [
            "journalctl --vacuum-size=500M",
            "# Do not interrupt this: it takes a minute\nsystemctl restart app"
        ],
        "{:?}",
        d.steps
    );
    assert_eq!(
        d.left
            .iter()
            .filter(|(_, w)| w.contains("says not to run"))
            .count(),
        6,
        "{:?}",
        d.left
    );
}

/// Audit 14m M17: an export lifted into its input (`export NS={{ inputs.ns }}`) in a
/// script that does not parse as shell text (the page's `export MSG="<MESSAGE>` never
/// closes its quote) is a value the run refuses: lint's RB031 rejected the draft. Such a
/// script keeps its exports as written, said.
#[test]
fn an_export_in_a_script_with_an_unclosed_quote_stays_as_written() {
    for script in [
        "export MSG=\"<MESSAGE>\nexport NS=prod",
        "export TARGET=\"<HOST>\" && echo \"$TARGET",
    ] {
        let d = import(
            &format!(
                "# T\n\n## Prepare\n\n```bash\n{script}\n```\n\n## Send\n\n```bash\ncurl -d \"$MSG\" https://hooks.example/$NS/$TARGET\n```\n"
            ),
            "page",
        );
        let run = d.steps[0].run.as_deref().unwrap_or("");
        assert!(!run.contains("{{"), "{script}: {run}");
        assert!(
            guessed(&d, "does not parse as shell text"),
            "{script}: {:?}",
            d.guesses
        );
    }
    // A script that parses gets its export lifted, as before.
    let d = import(
        "# T\n\n```bash\nexport NS=prod\nkubectl -n $NS get pods\n```\n",
        "page",
    );
    assert!(
        d.steps[0]
            .run
            .as_deref()
            .unwrap_or("")
            .contains("export NS={{ inputs.ns }}"),
        "{:?}",
        d.steps
    );
}

/// Audit 14n N6: Jira's bold is one asterisk (`*Option A:* clean the journal`, read as
/// Markdown's emphasis): such options ran one after the other. Options in emphasis are
/// alternatives as options in bold are; a sentence in emphasis that names none is not.
#[test]
fn options_in_single_asterisks_are_alternatives() {
    for page in [
        "h1. Disk full\n\nh2. Fix\n\n*Option A:* clean the journal\n\n{code:bash}\njournalctl --vacuum-size=500M\n{code}\n\n*Option B:* remove old images\n\n{code:bash}\ndocker image prune -a -f\n{code}\n",
        "# Disk full\n\n## Fix\n\n_Option A:_ clean the journal\n\n```bash\njournalctl --vacuum-size=500M\n```\n\n_Option B:_ remove old images\n\n```bash\ndocker image prune -a -f\n```\n",
    ] {
        let d = import(page, "page");
        assert_eq!(labels(&d), ["Option A", "Option B"], "{:?}", d.steps);
    }
    // Items too, one with no command of its own.
    let d = import(
        "# T\n\n## Fix\n\n- *Option A:* clean the journal:\n\n  ```bash\n  journalctl --vacuum-size=500M\n  ```\n\n- *Option B:* ask the storage team for more space.\n",
        "page",
    );
    assert_eq!(labels(&d), ["Option A", "Option B"], "{:?}", d.steps);
    let d = import(
        "# T\n\n## Fix\n\n*Careful:* this takes a while.\n\n```bash\njournalctl --vacuum-size=500M\n```\n\n*Then* look again:\n\n```bash\ndf -h\n```\n",
        "page",
    );
    assert!(labels(&d).is_empty(), "{:?}", labels(&d));
}

/// Audit 14n N10 found a sentence before the page's first heading lost. It holds on this
/// branch before any change (the audit's page is lost): pinned, in the shapes tried.
#[test]
fn a_sentence_before_the_first_heading_is_kept() {
    for page in [
        "Owned by the storage team.\n\n# Disk full\n\n## Fix\n\n```bash\ndf -h\n```\n",
        "Owned by the storage team.\n\n## Disk full\n\n## Fix\n\n```bash\ndf -h\n```\n",
        "Owned by the storage team.\n\n# Disk full\n\n## Meaning\n\nThe disk fills.\n\n## Fix\n\n```bash\ndf -h\n```\n",
        "---\ntitle: Disk full\n---\nOwned by the storage team.\n\n## Fix\n\n```bash\ndf -h\n```\n",
        "- Owned by the storage team.\n\n# Disk full\n\n## Fix\n\n```bash\ndf -h\n```\n",
        "Owned by the storage team.\n\nh1. Disk full\n\nh2. Fix\n\n{code:bash}\ndf -h\n{code}\n",
    ] {
        let d = import(page, "page");
        let kept = d.description.contains("storage team")
            || d.steps
                .iter()
                .any(|s| s.instructions.contains("storage team"));
        assert!(kept, "{page}: {} / {:?}", d.description, d.steps);
    }
}

/// Audit 14o A-27: what a wiki's export hides in a command is taken out and said where it
/// stands on the page; a block holding hundreds says ten, then how many more.
#[test]
fn hidden_characters_in_commands_are_cleaned_and_said_at_their_place() {
    let d = import(
        "# T\n\n- Look:\n\n  ```console\n  $ kubectl get pods\u{a0}-n web\n  NAME\u{200b} READY\n  ```\n",
        "p",
    );
    assert_eq!(d.steps[0].run.as_deref(), Some("kubectl get pods -n web"));
    let said: Vec<String> = d.guesses.iter().map(|(p, w)| format!("{p}: {w}")).collect();
    assert!(
        said[0]
            .starts_with("6:21: a no-break space (U+00A0) in the shell block: made a plain space"),
        "{said:?}"
    );
    assert!(
        said[1].starts_with("7:7: a zero-width space (U+200B) in the shell block: removed"),
        "{said:?}"
    );
    assert!(
        d.steps[0]
            .notes
            .iter()
            .any(|n| n.starts_with("6:21: guess: a no-break space")),
        "{:?}",
        d.steps[0].notes
    );
    let many = format!("# T\n\n```bash\necho {}\n```\n", "a\u{a0}".repeat(300));
    let d = import(&many, "p");
    assert_eq!(d.guesses.len(), 11, "{:?}", d.guesses);
    assert!(
        d.guesses[10]
            .1
            .starts_with("290 more invisible or no-break characters"),
        "{:?}",
        d.guesses[10]
    );
    assert_eq!(d.guesses[10].0.to_string(), "4:27");
    // A block of comments only is shown, not run: cleaned and said all the same.
    let d = import("# T\n\n```bash\n# kubectl\u{200b} get pods\n```\n", "p");
    assert!(
        d.guesses
            .iter()
            .any(|(p, w)| p.to_string() == "4:10" && w.contains("U+200B")),
        "{:?}",
        d.guesses
    );
    assert!(!d.steps.iter().any(|s| s.instructions.contains('\u{200b}')));
}

/// Audit 14o A-12: "**Option A** / **Option B**" paragraphs in a numbered item, each with
/// its block, are a decision as the same paragraphs outside a list are (they were one step
/// that ran both).
#[test]
fn bold_options_in_a_numbered_item_are_a_decision() {
    let d = import(
        "# ES yellow\n\n## Mitigation\n\n1. Fix it:\n\n   **Option A: retry the failed allocations**\n\n   ```bash\n   curl -s -XPOST 'localhost:9200/_cluster/reroute?retry_failed=true'\n   ```\n\n   **Option B: drop the replicas of the index**\n\n   ```bash\n   curl -s -XPUT localhost:9200/logs/_settings -d '{}'\n   ```\n",
        "p",
    );
    assert_eq!(
        labels(&d),
        [
            "Option A: retry the failed allocations",
            "Option B: drop the replicas of the index"
        ],
        "{:?}",
        d.steps
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        [
            "curl -s -XPOST 'localhost:9200/_cluster/reroute?retry_failed=true'",
            "curl -s -XPUT localhost:9200/logs/_settings -d '{}'"
        ]
    );
}

/// Audit 14o A-15: an untagged block of names, one a line, right after a block tagged as
/// shell is that command's output, shown, never run; an untagged block of commands after
/// one is still run.
#[test]
fn names_untagged_after_a_tagged_command_are_its_output() {
    let d = import(
        "# T\n\n## Steps\n\nList the enabled sites:\n\n```bash\nls /etc/nginx/sites-enabled\n```\n\n```\ndefault\napi.conf\n```\n\nList the namespaces:\n\n```bash\nkubectl get ns -o name\n```\n\n```\nnamespace/default\nnamespace/web\n```\n",
        "p",
    );
    let runs: Vec<&str> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
    assert_eq!(
        runs,
        ["ls /etc/nginx/sites-enabled", "kubectl get ns -o name"],
        "{:?}",
        d.steps
    );
    assert!(d.steps[0].instructions.contains("default\napi.conf"));
    let d = import(
        "# T\n\n## Steps\n\n```bash\nls /etc\n```\n\n```\nsystemctl restart nginx\n```\n",
        "p",
    );
    assert_eq!(
        d.steps[0].run.as_deref(),
        Some("ls /etc\nsystemctl restart nginx")
    );
}

/// Audit 14o A-16: a section's multi-level number (`1.2`, `4.1.3`) is taken off whole.
#[test]
fn multi_level_heading_numbers_are_taken_off_whole() {
    let d = import(
        "# Runbook\n\n## 1.2 Check the memory\n\n```bash\nredis-cli info memory\n```\n\n### 4.1.3 Verify\n\n```bash\nredis-cli ping\n```\n",
        "p",
    );
    let titles: Vec<&str> = d.steps.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Check the memory", "Verify"]);
}
