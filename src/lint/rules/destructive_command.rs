use crate::lint::{Context, Finding, Rule, RuleMeta};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

crate::declare_rule! {
    /// ## What it does
    /// Reports a destructive command in the `run` or `wait.run` of a step that is not marked
    /// `dangerous: true`: `rm -r`/`rm -f`, SQL `DROP`, `TRUNCATE` and `DELETE FROM`,
    /// `kubectl delete`/`drain`, `helm uninstall`, `terraform destroy`, `aws … delete-*`,
    /// `terminate-*` and `s3 rm`, `iptables -F`, `git push --force`, `redis-cli flushall`,
    /// `dd of=/dev/…`, `mkfs`, `reboot`, `shutdown`, `halt`, `poweroff`.
    ///
    /// `rm` counts with `-r`, `-R` or `-f` in any spelling (`-rf`, `-r -f`, `--recursive`,
    /// `--force`), and `rm` and the `reboot` family wherever the shell runs a command: at the
    /// start of a line, after `;`, `&&`, `|`, `then`, `do`, `else`, `{` or `!`, behind `sudo`,
    /// `doas`, `env`, `timeout`, `nice`, `nohup`, `exec` or `xargs`, with a path
    /// (`/usr/sbin/reboot`), and inside `$(…)`, `bash -c '…'`, `ssh HOST '…'` and
    /// `kubectl exec … --`. A quoted argument (`echo "rm -rf is dangerous"`) or a comment does
    /// not count.
    ///
    /// ## Why this matters
    /// A dangerous step asks the operator to type a confirmation phrase before it runs;
    /// `--yes` never confirms it. At 3 am, that pause is what stops the wrong command on the
    /// wrong host.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: purge
    ///     title: Drop the stuck queue table
    ///     run: psql "$DB" -c 'DROP TABLE job_queue'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: purge
    ///     title: Drop the stuck queue table
    ///     run: psql "$DB" -c 'DROP TABLE job_queue'
    ///     dangerous: true
    ///     confirm: drop job_queue
    /// ```
    pub struct DestructiveCommand {
        code: "RB027",
        name: "destructive-command",
        severity: Error,
    }
}

/// (pattern, what it is): commands found anywhere in the script, quoted or not (a SQL
/// statement is usually a quoted argument of `psql`). `rm` and the `reboot` family are found
/// by [`Scanner::scan`] instead, only where the shell runs a command.
const PATTERNS: &[(&str, &str)] = &[
    (
        r"(?i)\bdrop\s+(?:table|database|schema|index|role|user|view|owned)\b",
        "SQL DROP",
    ),
    (r"(?i)\btruncate\s+(?:table\s+)?[\w.]", "SQL TRUNCATE"),
    (r"(?i)\bdelete\s+from\b", "SQL DELETE"),
    (
        r"\bkubectl\b[^\n;&|]*\s(?:delete|drain)\b",
        "kubectl delete / drain",
    ),
    (r"\bhelm\s+(?:uninstall|delete)\b", "helm uninstall"),
    (
        r"\bterraform\s+(?:destroy\b|apply\b[^\n;&|]*-destroy\b)",
        "terraform destroy",
    ),
    (
        r"\baws\s[^\n;&|]*\b(?:delete|terminate|remove|deregister)-[a-z-]+",
        "aws delete / terminate",
    ),
    (r"\baws\s+s3\s+(?:rm|rb)\b", "aws s3 rm"),
    (
        r"\biptables\b[^\n;&|]*\s(?:-F|--flush|-X|--delete-chain)\b",
        "iptables flush",
    ),
    (
        r"\bgit\s+push\b[^\n;&|]*\s(?:--force\b|-f\b|--force-with-lease\b)",
        "git push --force",
    ),
    (
        r"(?i)\bredis-cli\b[^\n;&|]*\bflush(?:all|db)\b",
        "redis FLUSHALL",
    ),
    (r"\bdd\b[^\n;&|]*\bof=/dev/", "dd to a device"),
    (r"\bmkfs(?:\.\w+)?\b", "mkfs"),
];

const RM: &str = "rm -r / rm -f";
const POWER: &str = "reboot / shutdown";

fn patterns() -> &'static [(Regex, &'static str)] {
    static COMPILED: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        PATTERNS
            .iter()
            .filter_map(|(p, what)| Regex::new(p).ok().map(|re| (re, *what)))
            .collect()
    })
}

type Found = Vec<(Range<usize>, &'static str)>;

/// The destructive commands in a script: (byte range, what it is). Comments are skipped.
pub fn find_destructive(script: &str) -> Found {
    let mut found = Vec::new();
    for (re, what) in patterns() {
        for m in re.find_iter(script) {
            let line_start = script[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            if script[line_start..m.start()].trim_start().starts_with('#') {
                continue;
            }
            found.push((m.range(), *what));
        }
    }
    // The scanner reports only `rm` and the `reboot` family, whose names must be written out.
    let named = ["rm", "reboot", "shutdown", "halt", "poweroff"]
        .iter()
        .any(|n| memchr::memmem::find(script.as_bytes(), n.as_bytes()).is_some());
    if named {
        Scanner {
            s: script.as_bytes(),
            text: script,
            found: &mut found,
        }
        .scan(0, script.len(), 0);
    }
    found.sort_by(|(a, x), (b, y)| (a.start, a.end, x).cmp(&(b.start, b.end, y)));
    // A command substitution inside a re-parsed string (`ssh h "$(reboot)"`) is seen twice.
    found.dedup();
    found
}

// ---------------------------------------------------------------------------------------
// Command positions: a small shell tokenizer. It walks the bytes of a script once, without
// allocating, splits it into simple commands at `;`, `&`, `|`, `(`, `)` and new lines, skips
// comments, quotes, redirections and here-documents, and looks at the command name of each
// simple command after keywords (`then`, `do`, `!`, `{`, …), assignments and prefix commands
// (`sudo`, `env`, `timeout`, `xargs`, `ssh HOST`, …). Strings that another shell runs again
// (`bash -c '…'`, `ssh HOST '…'`, `eval '…'`, `$(…)`, backquotes) are scanned as scripts.
// ---------------------------------------------------------------------------------------

/// How deep strings inside strings are followed (`bash -c "ssh h '…'"`).
const MAX_DEPTH: u8 = 16;

/// Words that leave the next word in command position.
const KEYWORDS: &[&[u8]] = &[
    b"if", b"then", b"else", b"elif", b"fi", b"while", b"until", b"do", b"done", b"{", b"}", b"!",
    b"esac",
];

/// The names of the `reboot` family.
const POWER_COMMANDS: &[&[u8]] = &[b"reboot", b"shutdown", b"halt", b"poweroff"];

/// A command that runs the command in its arguments: `sudo [options] COMMAND …`.
struct Prefix {
    name: &'static [u8],
    /// Short options that take a value (`-u USER`, `-uUSER`).
    short: &'static [u8],
    /// Long options, without `--`, that take the next word as their value.
    long: &'static [&'static [u8]],
    /// Operands before the command: `timeout`'s duration, `ssh`'s host.
    operands: u8,
    /// Whether the command words are parsed again by another shell (`ssh`, `eval`).
    reparsed: bool,
}

const fn prefix(
    name: &'static [u8],
    short: &'static [u8],
    long: &'static [&'static [u8]],
) -> Prefix {
    Prefix {
        name,
        short,
        long,
        operands: 0,
        reparsed: false,
    }
}

const PREFIXES: &[Prefix] = &[
    prefix(
        b"sudo",
        b"ugpCDrtUTRh",
        &[
            b"user",
            b"group",
            b"prompt",
            b"close-from",
            b"chdir",
            b"role",
            b"type",
            b"other-user",
            b"command-timeout",
            b"chroot",
            b"host",
        ],
    ),
    prefix(b"doas", b"uC", &[]),
    prefix(b"exec", b"a", &[]),
    prefix(b"nohup", b"", &[]),
    prefix(b"command", b"", &[]),
    prefix(b"env", b"uCS", &[b"unset", b"chdir", b"split-string"]),
    Prefix {
        operands: 1,
        ..prefix(b"timeout", b"ks", &[b"kill-after", b"signal"])
    },
    prefix(b"nice", b"n", &[b"adjustment"]),
    prefix(
        b"ionice",
        b"cnp",
        &[b"class", b"classdata", b"pid", b"pgid", b"uid"],
    ),
    prefix(b"stdbuf", b"ioe", &[b"input", b"output", b"error"]),
    prefix(b"time", b"fo", &[b"format", b"output"]),
    prefix(
        b"xargs",
        b"adEILnPs",
        &[
            b"arg-file",
            b"delimiter",
            b"max-lines",
            b"max-args",
            b"max-procs",
            b"max-chars",
            b"process-slot-var",
        ],
    ),
    Prefix {
        operands: 1,
        reparsed: true,
        ..prefix(b"ssh", b"BbcDEeFIiJLlmOopQRSWw", &[])
    },
    Prefix {
        reparsed: true,
        ..prefix(b"eval", b"", &[])
    },
];

/// The shells whose `-c` argument is a script.
const SHELLS: &[&[u8]] = &[b"sh", b"bash", b"dash", b"ksh", b"zsh", b"ash", b"su"];

/// One word of a script, as byte offsets into it.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// The inside of the quotes when the whole word is one `'…'` or `"…"`.
    inner: Option<(usize, usize)>,
}

/// Where a simple command is: what the next word means.
#[derive(Clone, Copy)]
enum State {
    /// The next word is a command name (keywords and assignments leave it here).
    Command,
    /// The options and operands of a prefix command; `value`: the next word is an option's.
    Prefix {
        p: &'static Prefix,
        value: bool,
        operands: u8,
    },
    /// `rm`: the end of its last `-r`/`-f` option; `operands`: after `--`.
    Rm {
        flag_end: Option<usize>,
        operands: bool,
    },
    Systemctl {
        value: bool,
    },
    /// `bash`, `sh`, `su`: `script`: the next operand is a script (after `-c`).
    Shell {
        su: bool,
        value: bool,
        script: bool,
    },
    /// `kubectl`/`oc`: after `exec`, `--` starts the command.
    Kubectl {
        exec: bool,
    },
    /// Any other command: its words are arguments.
    Other,
}

/// The simple command being read.
struct Cmd {
    state: State,
    /// Where it starts: its first prefix command or its command name.
    start: Option<usize>,
    /// Its words are parsed again by another shell (after `ssh HOST`, `eval`).
    reparsed: bool,
}

impl Cmd {
    const NEW: Cmd = Cmd {
        state: State::Command,
        start: None,
        reparsed: false,
    };

    /// The command ends (at a separator or the end of the script).
    fn finish(&mut self, sc: &mut Scanner) {
        if let (
            State::Rm {
                flag_end: Some(end),
                ..
            },
            Some(start),
        ) = (self.state, self.start)
        {
            sc.report(start, end, RM);
        }
        *self = Cmd::NEW;
    }

    fn word(&mut self, sc: &mut Scanner, w: Word, depth: u8) {
        let b = &sc.s[w.start..w.end];
        match self.state {
            State::Command => self.command(sc, w, depth),
            State::Prefix { p, value, operands } => {
                if value {
                    self.state = State::Prefix {
                        p,
                        value: false,
                        operands,
                    };
                } else if let Some(value) = option(b, p.short, p.long) {
                    self.state = State::Prefix { p, value, operands };
                } else if operands > 0 {
                    self.state = State::Prefix {
                        p,
                        value,
                        operands: operands - 1,
                    };
                } else {
                    self.command(sc, w, depth);
                }
            }
            State::Rm { operands: true, .. } => {}
            State::Rm { flag_end, .. } => {
                self.state = State::Rm {
                    flag_end: if rm_flag(b) { Some(w.end) } else { flag_end },
                    operands: b == b"--",
                };
            }
            State::Systemctl { value: true } => self.state = State::Systemctl { value: false },
            State::Systemctl { value: false } => {
                if let Some(value) = option(b, b"HMtpsno", &[b"host", b"machine", b"type"]) {
                    self.state = State::Systemctl { value };
                } else {
                    if POWER_COMMANDS.contains(&b) {
                        sc.report(self.start.unwrap_or(w.start), w.end, POWER);
                    }
                    self.state = State::Other;
                }
            }
            State::Shell { su, value, script } => {
                if value {
                    self.state = State::Shell {
                        su,
                        value: false,
                        script,
                    };
                    return;
                }
                let opt = b.len() > 1 && matches!(b[0], b'-' | b'+') && b != b"--";
                if script && (su || !opt) {
                    let (a, z) = w.inner.unwrap_or((w.start, w.end));
                    sc.scan(a, z, depth + 1);
                    self.state = State::Other;
                } else if opt {
                    let (short, long): (&[u8], &[&[u8]]) = if su {
                        (
                            b"sgGw",
                            &[b"shell", b"group", b"supp-group", b"whitelist-environment"],
                        )
                    } else {
                        (b"oO", &[b"rcfile", b"init-file"])
                    };
                    let c = b.len() > 2 && b[0] == b'-' && b[1] != b'-' && b[1..].contains(&b'c');
                    let command = su && matches!(b, b"--command" | b"--session-command");
                    let value = option(b, short, long).unwrap_or(false) && !c;
                    self.state = State::Shell {
                        su,
                        value,
                        script: script || c || b == b"-c" || command,
                    };
                } else if !su {
                    self.state = State::Other; // `bash script.sh`
                }
            }
            State::Kubectl { exec } => {
                if !exec && b == b"exec" {
                    self.state = State::Kubectl { exec: true };
                } else if exec && b == b"--" {
                    self.state = State::Command;
                }
            }
            State::Other => {}
        }
    }

    /// A word in command position.
    fn command(&mut self, sc: &mut Scanner, w: Word, depth: u8) {
        let b = &sc.s[w.start..w.end];
        if self.reparsed
            && let Some((a, z)) = w.inner
        {
            sc.scan(a, z, depth + 1);
            self.state = State::Other;
            return;
        }
        if is_assignment(b) {
            return;
        }
        let name = b.strip_prefix(b"\\").unwrap_or(b);
        if name.iter().any(|c| b"'\"\\$`".contains(c)) {
            self.state = State::Other;
            return;
        }
        if KEYWORDS.contains(&name) {
            return;
        }
        let base = name.rsplit(|&c| c == b'/').next().unwrap_or(name);
        let start = *self.start.get_or_insert(w.start);
        self.state = if base == b"rm" {
            State::Rm {
                flag_end: None,
                operands: false,
            }
        } else if POWER_COMMANDS.contains(&base) {
            sc.report(start, w.end, POWER);
            State::Other
        } else if base == b"systemctl" {
            State::Systemctl { value: false }
        } else if SHELLS.contains(&base) {
            State::Shell {
                su: base == b"su",
                value: false,
                script: false,
            }
        } else if matches!(base, b"kubectl" | b"oc") {
            State::Kubectl { exec: false }
        } else if let Some(p) = PREFIXES.iter().find(|p| p.name == base) {
            self.reparsed |= p.reparsed;
            State::Prefix {
                p,
                value: false,
                operands: p.operands,
            }
        } else {
            State::Other
        };
    }
}

/// Walks a script, with the findings so far.
struct Scanner<'a> {
    s: &'a [u8],
    text: &'a str,
    found: &'a mut Found,
}

impl Scanner<'_> {
    /// Adds a finding for `start..end`, cut at the end of its first line.
    fn report(&mut self, start: usize, end: usize, what: &'static str) {
        let s = self.s;
        let mut end = s[start..end]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(end, |n| start + n);
        while end > start && matches!(s[end - 1], b' ' | b'\t' | b'\r' | b'\\') {
            end -= 1;
        }
        self.found.push((start..end, what));
    }

    /// Finds the `rm -r`/`rm -f` and `reboot` commands in `s[i..end]`, with the shell's own
    /// words (`shell::words`): each simple command, the `$( )`, backquotes and `<( )` in its
    /// words, the bodies of its here-documents, and the strings another shell runs again.
    fn scan(&mut self, i: usize, end: usize, depth: u8) {
        if depth > MAX_DEPTH || i >= end {
            return;
        }
        let Some(list) = crate::shell::words::commands(self.text, i..end) else {
            // A syntax error somewhere (an unclosed quote or `$(`): the shell would run
            // nothing, but the lines around it are read on their own, as a reader would.
            let mut at = i;
            let lines: Vec<(usize, usize)> = self.text[i..end]
                .split_inclusive('\n')
                .map(|l| {
                    let start = at;
                    at += l.len();
                    (start, at)
                })
                .collect();
            if lines.len() > 1 {
                for (a, z) in lines {
                    if crate::shell::words::commands(self.text, a..z).is_some() {
                        self.scan(a, z, depth);
                    }
                }
            }
            return;
        };
        for c in &list {
            let mut cmd = Cmd::NEW;
            for w in &c.words {
                for e in &w.expansions {
                    if let Some(inner) = &e.inner {
                        self.scan(inner.start, inner.end, depth + 1);
                    }
                }
                if w.redirect {
                    continue;
                }
                let raw = &self.s[w.span.clone()];
                let whole = raw.len() >= 2
                    && ((raw[0] == b'\''
                        && raw[raw.len() - 1] == b'\''
                        && !raw[1..raw.len() - 1].contains(&b'\''))
                        || (raw[0] == b'"' && raw[raw.len() - 1] == b'"'));
                let word = Word {
                    start: w.span.start,
                    end: w.span.end,
                    inner: whole.then(|| (w.span.start + 1, w.span.end - 1)),
                };
                cmd.word(self, word, depth);
            }
            cmd.finish(self);
            // `ssh host <<EOF` runs the document.
            for h in &c.heredocs {
                self.scan(h.body.start, h.body.end, depth + 1);
            }
        }
    }
}

/// `Some(takes_value)` when `b` is an option: `-x`, `-xVALUE`, `--name`, `--name=value`.
fn option(b: &[u8], short: &[u8], long: &[&[u8]]) -> Option<bool> {
    if b.len() < 2 || b[0] != b'-' {
        return None;
    }
    if let Some(name) = b.strip_prefix(b"--") {
        return Some(!name.contains(&b'=') && long.contains(&name));
    }
    let flags = &b[1..];
    Some(
        flags
            .iter()
            .position(|c| short.contains(c))
            .is_some_and(|k| k + 1 == flags.len()),
    )
}

/// An option of `rm` that makes it recursive or forced: `-r`, `-Rf`, `--recursive`, `--force`.
fn rm_flag(b: &[u8]) -> bool {
    if let Some(name) = b.strip_prefix(b"--") {
        return !name.is_empty() && (b"recursive".starts_with(name) || b"force".starts_with(name));
    }
    b.len() > 1 && b[0] == b'-' && b[1..].iter().any(|c| matches!(c, b'r' | b'R' | b'f'))
}

/// `NAME=value`, `NAME+=value`, `NAME[i]=value`.
fn is_assignment(b: &[u8]) -> bool {
    let Some(eq) = b.iter().position(|&c| c == b'=') else {
        return false;
    };
    let name = &b[..eq];
    let name = name.strip_suffix(b"+").unwrap_or(name);
    let name = match name.iter().position(|&c| c == b'[') {
        Some(k) if name.ends_with(b"]") => &name[..k],
        Some(_) => return false,
        None => name,
    };
    name.first().is_some_and(|c| !c.is_ascii_digit())
        && name.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

impl Rule for DestructiveCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for s in cx
            .sites
            .iter()
            .filter(|s| matches!(s.site.field, "run" | "wait.run"))
        {
            let Some(step) = s.site.step else { continue };
            if step.is_dangerous() {
                continue;
            }
            for (range, what) in find_destructive(&s.site.value.value) {
                out.push(Finding::new(
                    cx.span_in(&s.site, range.start, range.len()),
                    format!("destructive command ({what}) in step `{}`, which is not marked `dangerous`", step.id()),
                    "add `dangerous: true` so the operator must type a confirmation, and a `rollback` if it can be undone",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_destructive;

    /// The text of each finding.
    fn found(script: &str) -> Vec<&str> {
        find_destructive(script)
            .into_iter()
            .map(|(range, _)| &script[range])
            .collect()
    }

    #[test]
    fn destructive_and_harmless_commands() {
        let destructive = [
            "rm -rf /var/lib/x",
            "sudo rm -f /tmp/lock",
            "cd /x && rm -r old",
            "psql -c 'DROP TABLE jobs'",
            "psql -c \"truncate table audit\"",
            "psql -c 'delete from sessions'",
            "kubectl -n prod delete pod api-1",
            "kubectl drain node-1",
            "terraform destroy -auto-approve",
            "aws ec2 terminate-instances --instance-ids i-1",
            "aws s3 rm s3://bucket/key",
            "iptables -F",
            "git push origin main --force",
            "redis-cli -h cache FLUSHALL",
            "dd if=/dev/zero of=/dev/sda",
            "mkfs.ext4 /dev/sdb1",
            "sudo reboot",
            "systemctl reboot",
            "helm uninstall api",
        ];
        for script in destructive {
            assert!(!find_destructive(script).is_empty(), "{script}");
        }
        let harmless = [
            "ls -la",
            "echo 'will reboot later'",
            "# rm -rf /\nls",
            "kubectl get pods",
            "psql -c 'select * from dropped_items'",
            "grep -rf patterns.txt .",
            "terraform plan",
            "aws ec2 describe-instances",
        ];
        for script in harmless {
            assert!(
                find_destructive(script).is_empty(),
                "{script}: {:?}",
                find_destructive(script)
            );
        }
    }

    #[test]
    fn commands_in_every_command_position() {
        // (script, the text of the one finding)
        let cases = [
            // after shell keywords
            ("if test -d x; then rm -rf /var/cache/x; fi", "rm -rf"),
            ("if true\nthen\n  rm -rf /x\nfi", "rm -rf"),
            ("if a; then b; elif c; then reboot; fi", "reboot"),
            ("if a; then b; else reboot; fi", "reboot"),
            ("for d in a b; do rm -rf \"$d\"; done", "rm -rf"),
            ("while read -r f; do rm -f \"$f\"; done < list", "rm -f"),
            ("{ rm -rf x; }", "rm -rf"),
            ("! rm -rf x", "rm -rf"),
            ("if rm -rf x; then :; fi", "rm -rf"),
            ("case $m in\n  prod) reboot ;;\nesac", "reboot"),
            ("cleanup() { rm -rf \"$tmp\"; }", "rm -rf"),
            ("true && reboot", "reboot"),
            ("a || rm -rf x", "rm -rf"),
            ("(cd /x; rm -rf y)", "rm -rf"),
            ("FOO=1 rm -rf x", "rm -rf"),
            // prefix commands
            ("sudo -u postgres rm -rf /x", "sudo -u postgres rm -rf"),
            ("sudo -E -- rm -rf /x", "sudo -E -- rm -rf"),
            ("doas rm -rf x", "doas rm -rf"),
            ("exec reboot", "exec reboot"),
            ("nohup rm -rf /var/tmp/x &", "nohup rm -rf"),
            ("env FOO=1 terraform destroy", "terraform destroy"),
            ("env -i PATH=/bin rm -rf x", "env -i PATH=/bin rm -rf"),
            ("timeout 30 kubectl delete ns prod", "kubectl delete"),
            ("timeout -s KILL 30s rm -rf x", "timeout -s KILL 30s rm -rf"),
            ("nice -n 10 rm -rf x", "nice -n 10 rm -rf"),
            ("nice -10 reboot", "nice -10 reboot"),
            ("command rm -rf x", "command rm -rf"),
            ("find /x -print0 | xargs -0 rm -rf", "xargs -0 rm -rf"),
            ("ls | xargs -I {} rm -rf {}", "xargs -I {} rm -rf"),
            ("ls | xargs -n1 -P 4 rm -f", "xargs -n1 -P 4 rm -f"),
            ("ssh db-1 'rm -rf /srv/data'", "rm -rf"),
            ("ssh db-1 rm -rf /srv/data", "ssh db-1 rm -rf"),
            ("ssh db-1 reboot", "ssh db-1 reboot"),
            (
                "ssh -p 2222 -i ~/.ssh/k -o BatchMode=yes db-1 \"sudo reboot\"",
                "sudo reboot",
            ),
            ("ssh -t db-1 sudo 'rm -rf /x'", "rm -rf"),
            (
                "for h in a b; do ssh \"$h\" 'sudo systemctl reboot'; done",
                "sudo systemctl reboot",
            ),
            (
                "kubectl exec -it api-0 -- rm -rf /tmp/cache",
                "kubectl exec -it api-0 -- rm -rf",
            ),
            (
                "kubectl -n x exec api-0 -c app -- sh -c 'rm -rf /x'",
                "rm -rf",
            ),
            ("bash -c 'rm -rf /x'", "rm -rf"),
            ("sh -c \"reboot\"", "reboot"),
            ("bash -euo pipefail -c 'cd /x && rm -rf y'", "rm -rf"),
            ("bash -lc 'reboot'", "reboot"),
            ("su - postgres -c 'rm -rf /x'", "rm -rf"),
            ("eval 'rm -rf x'", "rm -rf"),
            ("x=$(rm -rf /x)", "rm -rf"),
            ("echo \"$(reboot)\"", "reboot"),
            ("echo `rm -rf x`", "rm -rf"),
            ("diff <(rm -rf x) y", "rm -rf"),
            ("ssh h <<'EOF'\nrm -rf /x\nEOF", "rm -rf"),
            ("cat <<-EOF >f\n\tok\n\tEOF\nreboot", "reboot"),
            (
                "sudo systemctl --force reboot",
                "sudo systemctl --force reboot",
            ),
            ("systemctl -H db-1 poweroff", "systemctl -H db-1 poweroff"),
            ("shutdown -h now", "shutdown"),
            ("ls 2>/dev/null; halt", "halt"),
            // a path before the name, a backslash that skips aliases
            ("/bin/rm -rf /srv/data", "/bin/rm -rf"),
            ("/usr/sbin/reboot", "/usr/sbin/reboot"),
            ("\\rm -rf x", "\\rm -rf"),
            // every spelling of the options
            ("rm -fr x", "rm -fr"),
            ("rm -Rf x", "rm -Rf"),
            ("rm -vrf x", "rm -vrf"),
            ("rm -r -f /x", "rm -r -f"),
            ("rm --recursive --force /x", "rm --recursive --force"),
            ("rm -r --force /x", "rm -r --force"),
            ("rm --force -R /x", "rm --force -R"),
            (
                "rm -v --no-preserve-root -rf /x",
                "rm -v --no-preserve-root -rf",
            ),
            ("rm \\\n  -rf /x", "rm"),
        ];
        for (script, want) in cases {
            assert_eq!(found(script), [want], "{script}");
        }
    }

    #[test]
    fn look_alikes_are_not_destructive() {
        let harmless = [
            "echo \"rm -rf is dangerous\"",
            "echo \"a; rm -rf x\"",
            "echo 'ssh db-1 reboot'",
            "printf '%s\\n' 'then rm -rf x'",
            "echo done then reboot",
            "grep reboot /var/log/syslog",
            "journalctl | grep -i 'shutdown'",
            "format-reboot-notes --out notes.md",
            "reboot-required-check",
            "./reboot.sh --dry-run",
            "ls # rm -rf /",
            "ls\n  # then rm -rf /x",
            "rm old.log",
            "rm -i old.log",
            "rm -- -rf",
            "git rm -r --cached build",
            "docker rm web",
            "ssh db-1 uptime",
            "ssh -o ConnectTimeout=5 db-1 'df -h'",
            "ssh -l reboot db-1 uptime",
            "sudo -u reboot ls",
            "kubectl exec api-0 -- ls /tmp",
            "kubectl logs api-0 -- rm",
            "bash -c 'ls -la'",
            "bash ./rm-old-files.sh",
            "timeout 30 ls",
            "nice -n 10 tar czf x.tgz /x",
            "systemctl restart nginx",
            "systemctl status reboot.target",
            "find . -name '*.rm'",
            "echo \"it's fine\"; ls",
            "cat <<'EOF'\nnot a command: rm\nEOF\nls",
            "x='unterminated; ls",
            "echo ${x:-reboot}",
            "echo $((1 + 2))",
        ];
        for script in harmless {
            assert!(found(script).is_empty(), "{script}: {:?}", found(script));
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let scripts = [
            "",
            "\\",
            "'",
            "\"",
            "`",
            "$(",
            "${",
            "$'",
            "<<",
            "<<-",
            "<(",
            "rm -",
            "a=(",
            "rm \\",
            "ssh",
            "sudo -u",
            "bash -c",
            "cat <<EOF\nrm -rf x",
            "$($($($(",
            "echo \"$(echo \"$(reboot\")\")\"",
        ];
        for script in scripts {
            let _ = find_destructive(script);
        }
        let deep = "$(".repeat(10_000);
        let _ = find_destructive(&deep);
        let deep = "bash -c \"".repeat(10_000);
        let _ = find_destructive(&deep);
    }
}
