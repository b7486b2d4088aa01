//! Whether an untagged block right after a command's block is more commands, to be joined to
//! its script, or that command's output: joined only when every line reads as a command the
//! shell model parses and none reads as output (audit 41 I41-19 found psql's `-------` and
//! `(1 row)`, `df -h`'s and `ps aux`'s lines joined to the script and run). When unsure, the
//! block is output, shown, not run.

use std::sync::LazyLock;

/// Programs a runbook's command line starts with, besides those of
/// [`super::output::starts_a_command`].
const MORE_PROGRAMS: &[&str] = &[
    "free",
    "date",
    "mount",
    "ip",
    "find",
    "top",
    "service",
    "chroot",
    "make",
    "ansible",
    "ansible-playbook",
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "pip",
    "npm",
    "go",
    "cargo",
    "mc",
    "env",
    "timeout",
    "set",
    "read",
    "test",
    "true",
    "false",
    "cut",
    "tr",
    "xxd",
    "base64",
    "stat",
    "file",
    "id",
    "whoami",
    "host",
    "traceroute",
    "mtr",
    "vmstat",
    "iostat",
    "sar",
    "lscpu",
    "uname",
    "ipvsadm",
    "conntrack",
    "kubeadm",
    "sysctl",
    "modprobe",
    "fuser",
    "nproc",
    "bundle",
    "rake",
    "gem",
    "node",
    "java",
];

/// Words that open, continue or close a compound command, or a group.
const KEYWORDS: &[&str] = &[
    "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac",
    "in", "function", "{", "}", "(", ")", "!", "[[", "]]", "[", ";;", "&&", "||", "|", "time",
    "select", "local", "declare", "readonly", "return", "shift", "trap", "wait", "alias",
];

/// A line that reads as output, whatever else is on the page: a table's rule (`-------`,
/// `---+---`), psql's `(1 row)`, `ls -l`'s `total 4` and `drwxr-xr-x 2 …`, a first word
/// that is a number (`498`, ` 10:14:03 up …`), a field (`Mem:`, `Seconds_Behind_Master:`),
/// a list's item (`8e9e…,`) or capitalised (`Filesystem`, `Mon Dec  7`).
static OUTPUT_LINE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"^(?:[-=+|: ]*-{3}[-=+|: ]*|[=+|]{3,}.*|\(\d+ rows?\)|total \d+|[-dlcbps][-rwxsStT]{9}[.+@]?\s.*|\d.*|[^\s=]+[:,](?:\s.*)?|[A-Z][^\s=]*(?:\s.*)?)$",
    )
    .ok()
});

/// A number, as a column of a table holds it (`1234`, `99.0`, `2.1%`, `15G`).
static NUMBER: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"^\d+(?:[.,]\d+)?[%KMGTkmgt]?$").ok());

/// An assignment first (`NS=prod`, `export`'s operand is no first word).
static ASSIGNMENT: LazyLock<Option<regex::Regex>> =
    LazyLock::new(|| regex::Regex::new(r"^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=").ok());

/// What an untagged block right after a command's is when not every line reads as a command.
pub(super) const UNSURE_OUTPUT: &str = "the output of the command before it (not every line reads as a command), shown, not run: tag the block `bash` if it is commands to run";

/// Whether an untagged block after a command's reads as commands: it parses as shell text,
/// every line that starts a command starts with a program runbooks run, a path, a variable,
/// an assignment or a keyword (a lower-case program unknown here with an option, a path or
/// a shell operator after it too), and no line reads as output. Lines inside a here-document, a
/// quoted string or after a `\` continuation are the command's own.
pub(super) fn reads_as_commands(code: &str) -> bool {
    let Some(commands) = crate::shell::words::commands(code, 0..code.len()) else {
        return false;
    };
    // The offsets where no command starts: inside a word that spans lines, a here-document.
    let mut inside: Vec<std::ops::Range<usize>> = Vec::new();
    for c in &commands {
        inside.extend(c.words.iter().map(|w| w.span.start + 1..w.span.end));
        for h in &c.heredocs {
            // (Its delimiter line too: up to the end of the line after the body.)
            let delimiter_end = code
                .get(h.body.end + 1..)
                .and_then(|rest| rest.find('\n'))
                .map_or(code.len(), |n| h.body.end + 1 + n);
            inside.push(h.body.start..delimiter_end + 1);
        }
    }
    let mut continued = false;
    let mut offset = 0;
    let mut any = false;
    for line in code.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let text = line.trim_end_matches(['\n', '\r']);
        let was_continued = std::mem::replace(&mut continued, text.ends_with('\\'));
        let trimmed = text.trim();
        if was_continued
            || trimmed.is_empty()
            || trimmed.starts_with('#')
            || inside.iter().any(|r| r.contains(&start))
        {
            continue;
        }
        any = true;
        if !starts_a_command_line(trimmed) {
            return false;
        }
    }
    any
}

/// Whether one line (trimmed, not a comment) reads as a command and not as output.
pub(super) fn starts_a_command_line(line: &str) -> bool {
    let (Some(output), Some(number), Some(assignment)) =
        (OUTPUT_LINE.as_ref(), NUMBER.as_ref(), ASSIGNMENT.as_ref())
    else {
        return false;
    };
    if assignment.is_match(line) {
        return true;
    }
    // A table's row: numbers in three columns (`ps aux`'s `git 1234 99.0 2.1 …`), or
    // columns apart by two spaces or more, twice.
    let words: Vec<&str> = line.split_whitespace().collect();
    let columns = line.split("  ").filter(|c| !c.trim().is_empty()).count();
    if output.is_match(line)
        || words.iter().filter(|w| number.is_match(w)).count() >= 3
        || (columns >= 3 && !line.contains(" #"))
    {
        return false;
    }
    let first = words.first().copied().unwrap_or("");
    if KEYWORDS.contains(&first)
        || super::output::starts_a_command(line)
        || MORE_PROGRAMS.contains(&first)
        || first.starts_with(['$', '"', '/', '~', '.'])
        // (A function's definition, `restart() {`; a case's pattern, `start|stop)`.)
        || (first.ends_with(')') && !first.starts_with('('))
    {
        return true;
    }
    // A program not known here: a lower-case name with an option, a path or a shell
    // operator after it.
    let program = !first.is_empty()
        && first
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._+-".contains(c))
        && first.starts_with(|c: char| c.is_ascii_lowercase());
    program
        && words.iter().skip(1).any(|w| {
            w.starts_with(['-', '/']) || ["|", "||", "&&", ">", ">>", "2>&1", ";"].contains(w)
        })
}

#[cfg(test)]
mod tests {
    use super::reads_as_commands;

    /// Audit 41 I41-19: the usual output of psql, `df -h`, `free -m`, `uptime`, `date`,
    /// `etcdctl member list`, `ps aux`, `mysql … \G`, `ls -la`, and blocks of commands.
    #[test]
    fn commands_and_outputs_after_a_command() {
        for code in [
            " count\n-------\n   498\n(1 row)",
            "Filesystem      Size  Used Avail Use% Mounted on\n/dev/sda1        99G   95G  4.0G  96% /",
            "              total        used        free\nMem:          15884       14321         512",
            " 10:14:03 up 412 days,  3:02,  2 users,  load average: 31.02, 29.88, 27.41",
            "Mon Dec  7 10:14:03 UTC 2026",
            "8e9e05c52164694d, started, etcd-1, http://10.0.0.1:2380, http://10.0.0.1:2379, false",
            "git       1234 99.0  2.1 123456 7890 ?        Sl   10:00   0:01 sidekiq 6.5",
            "git 1234 99.0 2.1 123456 7890 ? Sl 10:00 0:01 sidekiq",
            "        Seconds_Behind_Master: 3600",
            "total 4\ndrwxr-xr-x 2 root adm 4096 Dec  7 10:00 .",
            "count",
            "nodetool status",
            "kubectl get pods\n498",
            "kubectl get pods\n-------",
            "echo 'unclosed",
            "",
            "# only a comment",
        ] {
            assert!(!reads_as_commands(code), "{code}");
        }
        for code in [
            "kubectl get pods -n shop",
            "sudo systemctl restart nginx\nsystemctl status nginx",
            "NS=prod\nkubectl -n \"$NS\" get pods",
            "for p in a b; do\n  echo \"$p\"\ndone",
            "cat <<EOF > /tmp/x.conf\nLevel: debug\n-------\nEOF\nsudo systemctl reload x",
            "kubectl patch deploy api -p '{\n  \"Spec\": 1\n}'",
            "curl -s \\\n  http://localhost/healthz",
            "./fix.sh --once",
            "$KUBECTL get pods",
            "nodetool repair -pr",
            "restart() {\n  systemctl restart api\n}",
            "# restart it\nsystemctl restart api",
        ] {
            assert!(reads_as_commands(code), "{code}");
        }
    }
}
