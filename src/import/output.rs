//! What reads as a command's output, not as commands: an untagged block right after a
//! command's block that holds a table (`NAME READY STATUS`, psql's `---+---`), log lines,
//! JSON, or `Key:   value` lines (audit 14n N2 found them joined to the command and run).

use std::sync::LazyLock;

/// A column header: two or more upper-case words apart by two spaces or more (`NAME
/// READY   STATUS`, `CONTAINER ID   IMAGE`).
static HEADER: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(r"^\s*[A-Z][A-Z0-9_%()./-]*(?: [A-Z][A-Z0-9_%()./-]*)*(?:\s{2,}[A-Z][A-Z0-9_%()./-]*(?: [A-Z][A-Z0-9_%()./-]*)*)+\s*$").ok()
});

/// A table's rule: psql's `------+-----`, MySQL's `+----+----+`.
static RULE: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"^\s*[+|]?-{2,}(?:[+|]-{2,})+[+|]?\s*$").ok());

/// A log line: a timestamp (`2024-03-01T10:00:01Z`, `[2024-03-01 …]`, `Mar  1 10:00:01`,
/// klog's `E0301 10:00:01.123`) or a level first (`ERROR`, `level=error`).
static LOG: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"^\s*(?:\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\[?\d{4}/\d{2}/\d{2} \d{2}:\d{2}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2}|[IWEF]\d{4} \d{2}:\d{2}:\d{2}|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|FATAL|TRACE|CRITICAL)\]?[\s:]|level=|ts=|time=)",
    )
    .ok()
});

/// `Name:         api-0`: a described object's field.
static FIELD: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"^\s*[A-Z][A-Za-z0-9 ./-]*:(?:\s+\S.*)?$").ok());

/// `Restart Count:   3`: a field whose name is capitalised words, as `kubectl describe` and
/// the like print them (not `Run kubectl get pods: …`).
static CAPITALISED_FIELD: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(r"^\s*[A-Z][A-Za-z0-9./-]*(?: [A-Z][A-Za-z0-9./-]*)*:(?:\s+\S.*)?$").ok()
});

/// The names a command line of a runbook starts with: shell builtins and the programs
/// runbooks run (not a word a table's row may start with, a pod's name, `test`, `node`).
const COMMANDS: &[&str] = &[
    "echo",
    "printf",
    "export",
    "cd",
    "source",
    ".",
    "if",
    "for",
    "while",
    "until",
    "case",
    "[",
    "[[",
    "exit",
    "sleep",
    "unset",
    "eval",
    "exec",
    "sudo",
    "su",
    "nohup",
    "xargs",
    "kubectl",
    "oc",
    "helm",
    "docker",
    "podman",
    "crictl",
    "nerdctl",
    "systemctl",
    "journalctl",
    "curl",
    "wget",
    "ssh",
    "scp",
    "rsync",
    "psql",
    "mysql",
    "redis-cli",
    "mongosh",
    "aws",
    "gcloud",
    "az",
    "terraform",
    "git",
    "grep",
    "egrep",
    "awk",
    "sed",
    "cat",
    "tail",
    "head",
    "less",
    "ls",
    "ps",
    "kill",
    "pkill",
    "killall",
    "df",
    "du",
    "rm",
    "mv",
    "cp",
    "mkdir",
    "chmod",
    "chown",
    "tar",
    "jq",
    "yq",
    "openssl",
    "dig",
    "nslookup",
    "ping",
    "nc",
    "ss",
    "netstat",
    "tcpdump",
    "iptables",
    "umount",
    "vault",
    "consul",
    "etcdctl",
    "gitlab-ctl",
    "gitlab-rake",
    "gitlab-rails",
    "pg_dump",
    "pg_restore",
    "pg_ctl",
    "patronictl",
    "rabbitmqctl",
    "istioctl",
    "argocd",
    "kubeadm",
    "eksctl",
    "python",
    "python3",
    "ruby",
    "perl",
    "bash",
    "sh",
    "zsh",
    "lsof",
    "strace",
    "dmesg",
    "uptime",
    "hostname",
    "lsblk",
    "watch",
    "tee",
    "sort",
    "uniq",
    "wc",
    "touch",
    "ln",
];

/// Whether a line starts a command: with a command's name (`kubectl get pods`, `echo
/// Status: ok`, `sudo …`) or a script's path (`./probe`).
pub(super) fn starts_a_command(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    COMMANDS.contains(&first) || first.starts_with("./")
}

/// Whether a block reads as a command's output rather than as commands.
pub(super) fn looks_like_output(code: &str) -> bool {
    FIELD
        .as_ref()
        .is_some_and(|field| reads_as_output(code, field))
}

/// [`looks_like_output`], with `field` what a line of `Key: value` fields is.
fn reads_as_output(code: &str, field: &regex::Regex) -> bool {
    let lines: Vec<&str> = code.lines().filter(|l| !l.trim().is_empty()).collect();
    let Some(first) = lines.first() else {
        return false;
    };
    let (Some(header), Some(rule), Some(log)) = (HEADER.as_ref(), RULE.as_ref(), LOG.as_ref())
    else {
        return false;
    };
    let json = |t: &str| {
        let t = t.trim();
        (t.starts_with('{') || t.starts_with('['))
            && serde_json::from_str::<serde_json::Value>(t)
                .is_ok_and(|v| v.is_object() || v.is_array())
    };
    header.is_match(first)
        || lines.get(1).is_some_and(|l| rule.is_match(l))
        || rule.is_match(first)
        || json(code)
        || lines.iter().all(|l| json(l))
        || lines.iter().all(|l| log.is_match(l))
        || (lines.len() >= 2 && lines.iter().all(|l| field.is_match(l)))
}

/// Whether an untagged block holds names only, one a line (`default`, `api.conf`,
/// `namespace/web`), as `ls` or `kubectl get -o name` print them: no line with a space, a
/// shell's sign (`|`, `;`, `$`, `=`, quotes), a command's name or a script. Right after a
/// block the page tagged as shell, that is the command's output (audit 14o A-15 found such
/// names joined to the command and run).
pub(super) fn names_only(code: &str) -> bool {
    let mut lines = code.lines().map(str::trim).filter(|l| !l.is_empty());
    let name = |l: &str| {
        !l.contains(char::is_whitespace)
            && !l.contains([
                '|', ';', '&', '$', '=', '(', ')', '<', '>', '`', '\'', '"', '\\', '{', '}', '#',
            ])
            && !l.starts_with('-')
            && !starts_a_command(l)
            && ![".sh", ".py", ".rb", ".pl"].iter().any(|x| l.ends_with(x))
    };
    lines.next().is_some_and(name) && lines.all(name)
}

/// Whether a block tagged as shell (`bash`, `sh`) with no prompt reads clearly as output:
/// as [`looks_like_output`], its fields named by capitalised words (`Restart Count: 3`),
/// and no line that a shell would read as setting a variable (`level=debug ./app` is a
/// command, not a log line) or that starts with a command's name (`kubectl get pods`,
/// `echo Status: ok`, under a table's header or among fields: commands, run).
pub(super) fn clearly_output(code: &str) -> bool {
    static ASSIGNMENT: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"^\s*[A-Za-z_][A-Za-z0-9_]*=").ok());
    let (Some(assignment), Some(field)) = (ASSIGNMENT.as_ref(), CAPITALISED_FIELD.as_ref()) else {
        return false;
    };
    reads_as_output(code, field)
        && !code
            .lines()
            .any(|l| assignment.is_match(l) || starts_a_command(l))
}

#[cfg(test)]
mod tests {
    use super::{clearly_output, looks_like_output, names_only};

    #[test]
    fn output_tagged_as_shell() {
        assert!(clearly_output(
            "NAME    READY   STATUS    RESTARTS   AGE\napi-0   1/1     Running   0          3d"
        ));
        assert!(clearly_output("2024-03-01T10:00:01Z ERROR boom"));
        for code in [
            "Name: web-1\nStatus: Running",
            "Name:         api-0\nNamespace:    shop\nStatus:       Running",
            "Start Time:   Mon, 01 Mar 2024\nRestart Count:  3",
            "{\"status\": \"down\"}",
        ] {
            assert!(clearly_output(code), "{code}");
        }
        for code in [
            "level=debug ./app --once",
            "ts=1 time=2 ./probe",
            "kubectl get pods",
            "echo Status: ok",
            "Name: web-1\necho Status: ok",
            "Status: ok\nkubectl get pods -o wide",
            "NAME    READY   STATUS\nkubectl get pods",
            "NAME    READY   STATUS\nsudo systemctl restart api",
            "Run kubectl get pods: then\nCheck the logs: after",
            "2024-03-01T10:00:01Z ERROR boom\n./probe --once",
        ] {
            assert!(!clearly_output(code), "{code}");
        }
    }

    /// Audit 14o A-15: names, one a line, as `ls` prints them; and look-alike commands.
    #[test]
    fn names_one_a_line() {
        for code in [
            "default\napi.conf",
            "namespace/default\nnamespace/kube-system",
            "reboot",
        ] {
            assert!(names_only(code), "{code}");
        }
        for code in [
            "",
            "uptime",
            "ls -l",
            "./fix",
            "fix.sh",
            "X=1",
            "a|b",
            "$HOME",
            "default\nkubectl get pods",
            "-rf",
        ] {
            assert!(!names_only(code), "{code}");
        }
    }

    #[test]
    fn output_and_commands() {
        for code in [
            "NAME    READY   STATUS    RESTARTS   AGE\napi-0   1/1     Running   0          3d",
            "CONTAINER ID   IMAGE   COMMAND\n1a2b3c   redis   \"redis-server\"",
            " pid | state\n-----+-------\n 42  | idle",
            "+----+------+\n| id | name |\n+----+------+",
            "{\n  \"status\": \"green\"\n}",
            "{\"level\":\"error\",\"msg\":\"x\"}\n{\"level\":\"info\",\"msg\":\"y\"}",
            "2024-03-01T10:00:01Z ERROR boom\n2024-03-01T10:00:02Z INFO ok",
            "E0301 10:00:01.123456 1 reflector.go:138] failed",
            "Mar  1 10:00:01 node-1 kubelet[123]: error",
            "Name:         api-0\nNamespace:    shop",
        ] {
            assert!(looks_like_output(code), "{code}");
        }
        for code in [
            "kubectl get pods",
            "[ -f /etc/hosts ] && cat /etc/hosts",
            "curl -s http://x/healthz",
            "NS=prod\nkubectl -n $NS get pods",
            "echo '{\"a\": 1}' | jq .",
            "",
        ] {
            assert!(!looks_like_output(code), "{code}");
        }
    }
}
