//! Commands that only look at something (`kubectl logs`, `kubectl get`, `systemctl status`,
//! `tail -f`): two blocks of them introduced "Check the logs:" / "Or, with more detail:" are
//! two ways of reading one thing, not two courses of the runbook (`item_courses.rs` reads
//! them so).

/// The verbs of kubectl and oc that read the cluster.
const KUBECTL_READS: &[&str] = &[
    "logs",
    "get",
    "describe",
    "top",
    "events",
    "explain",
    "api-resources",
    "api-versions",
    "version",
    "cluster-info",
];

/// Programs that only print what they read (given no option that writes). (Not `echo`:
/// it reads nothing, and pages and tests write it for any command.)
const READERS: &[&str] = &[
    "cat",
    "tail",
    "head",
    "less",
    "more",
    "grep",
    "egrep",
    "fgrep",
    "zgrep",
    "zcat",
    "wc",
    "df",
    "du",
    "ls",
    "ps",
    "free",
    "uptime",
    "netstat",
    "lsof",
    "stat",
    "journalctl",
    "jq",
    "yq",
    "sort",
    "uniq",
    "column",
    "iostat",
    "vmstat",
    "mpstat",
    "nproc",
    "id",
    "whoami",
    "dig",
    "nslookup",
    "host",
    "ping",
];

/// The first operand of other tools that reads (`systemctl status`, `docker logs`, `helm
/// history`, `git show`).
const READ_VERBS: &[&str] = &[
    "logs",
    "log",
    "get",
    "describe",
    "show",
    "status",
    "list",
    "ls",
    "ps",
    "inspect",
    "info",
    "history",
    "top",
    "stats",
    "cat",
    "diff",
    "events",
    "is-active",
    "is-failed",
];

/// Whether every command of `script` only reads: each of its pipelines' commands is a
/// reader (`kubectl logs`, `tail`, `grep`, `systemctl status`), with no redirection into a
/// file, no `-i` of `sed` and no `-delete` or `-exec` of `find` (those are never readers).
/// An empty script reads nothing: `false`.
pub(super) fn only_reads(script: &str) -> bool {
    let mut any = false;
    for line in script.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // (A redirection into a file writes; `2>&1` and `>/dev/null` do not. A `<POD_NAME>`
        // or `{{ inputs.pod }}` is one word.)
        let cleaned = super::session::one_word_templates(line)
            .replace("2>&1", "")
            .replace(">/dev/null", "");
        if cleaned.contains('>') || line.ends_with('\\') || line.contains("$(") {
            return false;
        }
        for command in cleaned.split(['|', ';', '&']) {
            let words: Vec<&str> = command.split_whitespace().collect();
            if words.is_empty() {
                continue;
            }
            if !reads(&words) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// Whether one command (its words) only reads.
fn reads(words: &[&str]) -> bool {
    // (`sudo`, `VAR=x` before the program.)
    let start = words
        .iter()
        .position(|w| *w != "sudo" && (w.starts_with('-') || !w.contains('=')))
        .unwrap_or(words.len());
    let words = &words[start..];
    let Some(&program) = words.first() else {
        return false;
    };
    let program = program.rsplit('/').next().unwrap_or(program);
    let operand = || words.iter().skip(1).find(|w| !w.starts_with('-')).copied();
    match program {
        "kubectl" | "oc" => super::session::kubectl_verb(&words[1..])
            .is_some_and(|verb| KUBECTL_READS.contains(&verb)),
        "sed" => !words
            .iter()
            .any(|w| w.starts_with("-i") || *w == "--in-place"),
        "find" => !words
            .iter()
            .any(|w| matches!(*w, "-delete" | "-exec" | "-execdir" | "-ok" | "-fprint")),
        // (Readers with options that write: `journalctl --vacuum-size=…`, `sort -o f`, `yq -i`.)
        "journalctl" => !words.iter().any(|w| {
            [
                "--vacuum",
                "--rotate",
                "--flush",
                "--sync",
                "--relinquish",
                "--setup-keys",
            ]
            .iter()
            .any(|o| w.starts_with(o))
        }),
        "sort" => !words
            .iter()
            .any(|w| w.starts_with("-o") || w.starts_with("--output")),
        "yq" => !words
            .iter()
            .any(|w| w.starts_with("-i") || w.starts_with("--inplace")),
        "awk" | "curl" | "wget" | "xargs" | "tee" | "rm" | "kill" => false,
        _ if READERS.contains(&program) => true,
        _ => operand().is_some_and(|verb| READ_VERBS.contains(&verb)),
    }
}

#[cfg(test)]
mod tests {
    use super::only_reads;

    #[test]
    fn scripts_that_only_read() {
        for script in [
            "kubectl logs -n api deploy/api --since=15m",
            "kubectl -n api logs deploy/api --since=15m -v=6",
            "oc get pods -n openshift-monitoring -o wide",
            "kubectl describe pod <POD_NAME> -n <NAMESPACE>",
            "kubectl logs {{ inputs.pod_name }} -n {{ vars.namespace }} --previous",
            "systemctl status kubelet",
            "sudo journalctl -u kubelet --since -1h | grep -i error",
            "tail -n 200 /var/log/nginx/error.log",
            "docker logs --tail 100 api 2>&1 | less",
            "helm history api -n prod",
            "# the last hour\nkubectl logs deploy/api --since=1h",
        ] {
            assert!(only_reads(script), "{script}");
        }
        for script in [
            "kubectl rollout restart deploy/api",
            "kubectl delete pod api-0",
            "systemctl restart kubelet",
            "kubectl logs deploy/api > api.log",
            "journalctl --vacuum-size=500M",
            "sudo journalctl --vacuum-time=2d",
            "sort -o hosts.txt hosts.txt",
            "yq -i '.replicas = 3' values.yaml",
            "dmesg -c",
            "hostname web-1",
            "sed -i 's/a/b/' /etc/app.conf",
            "find /var/log -name '*.gz' -delete",
            "kubectl get pods -o name | xargs kubectl delete",
            "docker compose up -d",
            "echo systemctl-restart",
            "kubectl logs deploy/api\nkubectl scale deploy/api --replicas=4",
            "",
            "# nothing\n",
        ] {
            assert!(!only_reads(script), "{script}");
        }
    }
}
