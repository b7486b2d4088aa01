//! A shell opened elsewhere (`kubectl exec -it POD -- bash`, `docker exec -it C sh`, `ssh
//! host` alone, `psql` alone, `kubectl debug -it`): the blocks the page then means to be
//! typed in it ("### Inside the pod", "### On the host", "Then run inside the shell:") are
//! shown, never run where runbook runs (audit 14m M9 found them run on the operator's
//! laptop).

/// A shell the page opened in a step that runs: the command, and the headings read when it
/// was (a heading after it may say the blocks under it are typed in it).
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub(super) opener: String,
    pub(super) sections: usize,
    /// The level of the heading it was opened under (0: none): a heading at this level or
    /// above is another part of the page, where commands run here again.
    pub(super) level: u8,
}

/// The programs that open a session of their own when given no command: a database's
/// or a cache's prompt.
const CLIENTS: &[&str] = &[
    "psql",
    "mysql",
    "mariadb",
    "redis-cli",
    "mongosh",
    "mongo",
    "sqlplus",
    "cqlsh",
    "etcdctl",
];

/// The shells and consoles a container's `-it` command opens.
const SHELLS: &[&str] = &[
    "bash",
    "sh",
    "ash",
    "zsh",
    "/bin/bash",
    "/bin/sh",
    "/bin/ash",
    "/bin/zsh",
    "/usr/bin/bash",
    "/usr/bin/env",
    "python",
    "python3",
    "irb",
    "rails",
    "node",
];

/// Whether a command line opens an interactive shell on another machine, pod or container
/// (or a database's prompt), which the lines typed after it are meant for.
pub(super) fn opens_a_session(line: &str) -> bool {
    // (`sudo`, `sudo -u postgres`, `VAR=x` before the program.)
    let words = &program_words(line)[..];
    let Some(&program) = words.first() else {
        return false;
    };
    let tty = |w: &&str| matches!(*w, "-it" | "-ti" | "-t" | "--tty" | "-itq" | "--stdin=true");
    match program {
        "ssh" | "tsh" | "mosh" => ssh_alone(&words[1..]),
        "kubectl" | "oc" => match kubectl_verb(&words[1..]) {
            Some("rsh") => true,
            Some("debug") => words.iter().any(tty) || program == "oc",
            Some("exec" | "attach" | "run") => words.iter().any(tty) && runs_a_shell(words),
            _ => false,
        },
        "docker" | "podman" | "nerdctl" | "crictl" => {
            let verb = words.iter().skip(1).find(|w| !w.starts_with('-'));
            matches!(verb.copied(), Some("exec" | "run" | "attach"))
                && words.iter().any(tty)
                && (verb.copied() == Some("attach") || ends_in_shell(words))
        }
        "vagrant" => words.get(1) == Some(&"ssh") && !words.contains(&"-c"),
        "gcloud" => words.contains(&"ssh") && !words.iter().any(|w| w.starts_with("--command")),
        "aws" => words.contains(&"start-session"),
        _ if CLIENTS.contains(&program) => client_alone(program, &words[1..]),
        _ => false,
    }
}

/// The program a command line runs, after `sudo` and its options and `VAR=x` words.
fn program_words(line: &str) -> Vec<&str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut k = 0;
    while k < words.len() {
        match words[k] {
            "sudo" | "exec" | "command" => k += 1,
            "-u" | "-g" if k > 0 && words[k - 1] == "sudo" => k += 2,
            w if w.starts_with('-') && k > 0 && words[k - 1] == "sudo" => k += 1,
            w if w.contains('=') && !w.starts_with('-') => k += 1,
            _ => break,
        }
    }
    words[k.min(words.len())..].to_vec()
}

/// Whether a command line logs in to another host (`ssh bastion`, `gcloud compute ssh vm`,
/// `aws ssm start-session`), whose shell the page may go on typing in long after it (not a
/// pod's or a database's prompt, which the page leaves with its section).
pub(super) fn logs_in_to_a_host(line: &str) -> bool {
    opens_a_session(line)
        && matches!(
            program_words(line).first().copied(),
            Some("ssh" | "tsh" | "mosh" | "gcloud" | "aws" | "vagrant")
        )
}

/// Whether a command line runs its command on another host or in a container itself
/// (`ssh node 'sudo gitlab-ctl status'`, `kubectl exec POD -- df -h`, `docker exec C ls`):
/// a block of it is where the page means it, whatever the sentence before it says (audit
/// 39 I-7).
pub(super) fn runs_there_itself(line: &str) -> bool {
    if opens_a_session(line) {
        return false;
    }
    let words = program_words(line);
    match words.first().copied() {
        Some("ssh" | "tsh") => words.len() > 2,
        Some("kubectl" | "oc") => matches!(kubectl_verb(&words[1..]), Some("exec" | "debug")),
        Some("docker" | "podman" | "nerdctl" | "crictl") => {
            words.iter().skip(1).find(|w| !w.starts_with('-')).copied() == Some("exec")
        }
        Some("gcloud") => words.contains(&"ssh"),
        Some("aws") => words.contains(&"send-command"),
        _ => false,
    }
}

/// kubectl's verb, after its global options (`kubectl -n cache exec …` → `exec`).
pub(super) fn kubectl_verb<'a>(args: &[&'a str]) -> Option<&'a str> {
    const VALUED: &[&str] = &[
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--cluster",
        "--user",
        "-s",
        "--server",
    ];
    operands(args, VALUED).first().copied()
}

/// The words of `args` that are no option nor the value of one of `valued`.
fn operands<'a>(args: &[&'a str], valued: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(&w) = args.get(k) {
        if valued.contains(&w) {
            k += 2;
        } else {
            if !w.starts_with('-') {
                out.push(w);
            }
            k += 1;
        }
    }
    out
}

/// `ssh [options] host`, with no command after the host.
fn ssh_alone(args: &[&str]) -> bool {
    // (Options that take the next word as their value.)
    const VALUED: &[&str] = &[
        "-i", "-p", "-l", "-J", "-o", "-F", "-L", "-R", "-D", "-b", "-c", "-E", "-I", "-m", "-O",
        "-Q", "-S", "-W", "-w", "-B",
    ];
    let rest = operands(args, VALUED);
    rest.len() == 1 && !args.iter().any(|w| w.contains(['|', '<', '>']))
}

/// A command a container runs that is a session: a shell (`bash`, `bash -l`), a client with
/// no command (`psql -U postgres`), or one program with no arguments (`redis-cli`).
fn shell_or_client(command: &[&str]) -> bool {
    match command.first() {
        Some(w) if SHELLS.contains(w) => command.len() <= 2,
        Some(w) if CLIENTS.contains(w) => client_alone(w, &command[1..]),
        Some(_) => command.len() == 1,
        None => false,
    }
}

/// `kubectl exec -it POD -- bash` (see [`shell_or_client`]).
fn runs_a_shell(words: &[&str]) -> bool {
    match words.iter().position(|w| *w == "--") {
        Some(at) => shell_or_client(&words[at + 1..]),
        // (`kubectl run -it --image=busybox tmp`: its image's shell.)
        None => words.iter().skip(1).any(|w| *w == "run"),
    }
}

/// `docker exec -it C sh`, `docker exec -it pg psql -U postgres`: a shell or a client
/// after the container (see [`shell_or_client`]).
fn ends_in_shell(words: &[&str]) -> bool {
    words
        .iter()
        .skip(2)
        .position(|w| SHELLS.contains(w) || CLIENTS.contains(w))
        .is_some_and(|at| shell_or_client(&words[at + 2..]))
}

/// `psql -h db appdb`, `redis-cli -h cache`: a client with no command, file or input.
fn client_alone(program: &str, args: &[&str]) -> bool {
    let gives_work = |w: &&str| {
        matches!(
            *w,
            "-c" | "--command" | "-f" | "--file" | "-e" | "--execute" | "--eval" | "-l" | "--list"
        ) || w.starts_with("--command=")
            || w.starts_with("--file=")
            || w.starts_with("-c") && program == "psql" && w.len() > 2
            || w.contains(['|', '<', '>'])
    };
    if args.iter().any(gives_work) {
        return false;
    }
    match program {
        // (`redis-cli -h cache info memory`: a command after the options.)
        "redis-cli" | "etcdctl" => {
            let mut k = 0;
            while k < args.len() && args[k].starts_with('-') {
                k += if args[k].contains('=') { 1 } else { 2 };
            }
            k >= args.len()
        }
        _ => true,
    }
}

/// Whether a heading says the blocks under it are typed in a shell opened before: "Inside
/// the pod", "In the container", "On the host", "In the shell".
pub(super) fn heading_inside(heading: &str) -> bool {
    let h = super::courses::bare(heading).to_lowercase();
    INSIDE.iter().any(|w| h.starts_with(w))
}

/// Lines of a transcript typed in a shell that one of its commands opened: `$ oc debug
/// node/<node>`, then `sh-4.4# chroot /host` or `[root@node ~]# journalctl …` (a prompt of
/// another shell or program, the opener's output between them).
#[derive(Debug, PartialEq)]
pub(super) struct TypedInside {
    /// Where the first line at the other prompt starts in the block.
    pub(super) at: usize,
    /// The command that opened the shell, as written after its `$ `.
    pub(super) opener: String,
    /// Where the lines are typed, for the note (`to type at the `sh-4.4#` prompt …`).
    pub(super) place: String,
    /// Where the shell's own `$ ` prompt comes back (after `\q`, `exit`): the lines from
    /// there on are commands again (audit 41 I41-3 found `$ echo done` after psql's `\q`
    /// shown as typed in psql, never run).
    pub(super) end: Option<usize>,
}

/// The lines of a block typed in a shell its `$ ` command opened (see [`TypedInside`]), or
/// its first command, written with no `$ `, opened ([`typed_after_opener`]); `None` when no
/// command opens one before lines that are clearly typed there.
pub(super) fn typed_inside(code: &str) -> Option<TypedInside> {
    if code.lines().any(|l| l.trim_start().starts_with("$ ")) {
        prompted(code)
    } else {
        typed_after_opener(code)
    }
}

/// [`typed_inside`] of a transcript: the last `$ ` command before a line at another shell's
/// or host's prompt opens a shell.
fn prompted(code: &str) -> Option<TypedInside> {
    let mut opener: Option<String> = None;
    let mut at = 0;
    for line in code.split_inclusive('\n') {
        let t = line.trim_end();
        if let Some(command) = t.strip_prefix("$ ") {
            let command = command.trim();
            opener = opens_a_session(command).then(|| command.to_string());
        } else if let Some(place) = other_shell_prompt(t) {
            let opener = opener?;
            let end = code[at..]
                .split_inclusive('\n')
                .scan(at, |start, l| {
                    let here = *start;
                    *start += l.len();
                    Some((here, l))
                })
                .find(|(_, l)| l.starts_with("$ "))
                .map(|(here, _)| here);
            return Some(TypedInside {
                at,
                opener,
                place,
                end,
            });
        }
        at += line.len();
    }
    None
}

/// `oc debug node/<NODE>` written with no `$ ` (audit 18 A-19), the block's first command,
/// and right after it a line clearly typed in the shell it opens: at that shell's or host's
/// prompt (`sh-4.4# chroot /host`, `[root@node-1 /]# systemctl status kubelet`), or
/// `chroot /host`, what a node's debug shell is entered with. From that line on, the block
/// is typed there. A script whose line after it is an ordinary command (`ssh bastion` then
/// `uptime`) or that opens nothing (`ssh host 'cmd'`) stays a script.
fn typed_after_opener(code: &str) -> Option<TypedInside> {
    let mut at = 0;
    let mut opener: Option<&str> = None;
    for line in code.split_inclusive('\n') {
        let t = line.trim();
        if t.is_empty() || (opener.is_none() && t.starts_with('#')) {
            at += line.len();
            continue;
        }
        let Some(opener) = opener else {
            // (Not a line continued on the next: `ssh host \` then its command.)
            if t.ends_with('\\') || !opens_a_session(&one_word_templates(t)) {
                return None;
            }
            opener = Some(t);
            at += line.len();
            continue;
        };
        let place = other_shell_prompt(t).or_else(|| {
            let command = t.strip_prefix("# ").unwrap_or(t).trim();
            (command == "chroot /host")
                .then(|| "from `chroot /host` on, in the shell it opens on the node".to_string())
        })?;
        return Some(TypedInside {
            at,
            opener: opener.to_string(),
            place,
            end: None,
        });
    }
    None
}

/// `line` with each `{{ … }}` and `<PLACEHOLDER>` made one plain word (`ssh <PRIMARY_HOST>`
/// is `ssh HOST`, not a redirection).
///
/// (One pass along the line: looking for the next `{{` from each `<…>` word made a line of
/// 40,000 of them take 12 s, audit 39 I-10.)
pub(super) fn one_word_templates(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let b = line.as_bytes();
    // Where the next `}}` is, at or after where it was last looked for (`None`: there is
    // none further on).
    let mut closing: Option<usize> = Some(0);
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        let end = if b[i..].starts_with(b"{{") {
            if closing.is_some_and(|c| c < i + 2) {
                closing = line[i + 2..].find("}}").map(|k| i + 2 + k);
            }
            closing.map(|c| c + 2)
        } else if b[i] == b'<' {
            let name = b[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
                .count();
            (name > 0 && b.get(i + 1 + name) == Some(&b'>')).then_some(i + name + 2)
        } else {
            None
        };
        match end {
            Some(end) => {
                out.push_str(&line[from..i]);
                out.push_str("HOST");
                i = end;
                from = end;
            }
            None => i += 1,
        }
    }
    out.push_str(&line[from..]);
    out
}

/// Where a line at another shell's or program's prompt is typed: `sh-4.4# `, `db=# `, or a
/// prompt naming a host, `[root@node-1 ~]# `.
fn other_shell_prompt(line: &str) -> Option<String> {
    if let Some(place) = super::transcript::other_prompt_of(line) {
        return Some(place);
    }
    super::transcript::prompt_host(line)?;
    let end = line.find(['$', '#'])?;
    Some(format!(
        "to type at the `{}` prompt",
        line.get(..=end)?.trim()
    ))
}

/// Whether the sentence before a block says it is typed in that shell: "Then run inside
/// the shell:", "Once connected, restart it:", "On the host, check the disk:".
pub(super) fn sentence_inside(before: &str) -> bool {
    let line = before.trim_end().rsplit('\n').next().unwrap_or("");
    let last = line.rsplit_once(". ").map_or(line, |(_, l)| l).trim();
    let t = last.trim_start_matches("- ").to_lowercase();
    t.ends_with(':')
        && (INSIDE.iter().any(|w| holds_words(&t, w))
            || [
                "once connected",
                "once logged in",
                "once inside",
                "once you are in",
                "at the prompt",
                "in that shell",
                "in the new shell",
                "in the session",
            ]
            .iter()
            .any(|w| t.contains(w)))
}

/// The sentence before a block when it says the block is run on another host or in a
/// container ("On that host, run:", "On the database server:", "Inside the pod:"), with no
/// shell opened there before it.
pub(super) fn said_elsewhere(before: &str) -> Option<&str> {
    let line = before.trim_end().rsplit('\n').next().unwrap_or("");
    let last = line.rsplit_once(". ").map_or(line, |(_, l)| l).trim();
    let t = last.trim_start_matches("- ").to_lowercase();
    let server = t.starts_with("on the ")
        && [
            "server", "host", "node", "machine", "instance", "vm", "box", "primary", "replica",
        ]
        .iter()
        .any(|w| t.split(|c: char| !c.is_alphanumeric()).any(|x| x == *w));
    (t.ends_with(':') && (server || sentence_inside(last))).then_some(last)
}

/// Whether `text` holds `words` as words, not inside a longer one ("Cordon the node:"
/// does not say "on the node", audit 41 I41-17).
fn holds_words(text: &str, words: &str) -> bool {
    text.match_indices(words).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + words.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// What says "typed there": the words a heading starts with, or a sentence holds.
const INSIDE: &[&str] = &[
    "inside the",
    "inside it",
    "in the pod",
    "in the container",
    "in the shell",
    "in that shell",
    "in the session",
    "in the debug",
    "within the pod",
    "within the container",
    "from inside",
    "on the host",
    "on that host",
    "on the node",
    "on that node",
    "on the server",
    "on the machine",
    "on the remote",
    "on the vm",
    "on the box",
    "on the database host",
    "on the primary",
    "on the replica",
];

#[cfg(test)]
mod tests {
    use super::{
        heading_inside, one_word_templates, opens_a_session, sentence_inside, typed_inside,
    };

    #[test]
    fn a_phrase_is_held_as_words() {
        assert!(sentence_inside("On the node:"));
        assert!(sentence_inside("Then, on the node, run:"));
        assert!(!sentence_inside("1. Cordon the node:"));
        assert!(!sentence_inside("Cordon the node:"));
    }

    #[test]
    fn templates_and_placeholders_are_one_word_each() {
        for (line, want) in [
            ("ssh <PRIMARY_HOST> uptime", "ssh HOST uptime"),
            ("ssh {{ inputs.host }} -- <CMD>", "ssh HOST -- HOST"),
            ("echo a < b > c <pod name>", "echo a < b > c <pod name>"),
            ("echo {{ unclosed <X>", "echo {{ unclosed HOST"),
            ("é<X>é{{y}}", "éHOSTéHOST"),
            ("", ""),
        ] {
            assert_eq!(one_word_templates(line), want, "{line}");
        }
    }

    /// Audit 39 I-10: one line of many `<…>` words (and of `{{` never closed, and of `<`
    /// never closed) is read in one pass; quadratic, 200,000 words took minutes.
    #[test]
    fn a_line_of_200000_words_is_read_in_one_pass() {
        let words: String = (0..200_000).map(|k| format!("<P{k}> ")).collect();
        assert_eq!(one_word_templates(&words), "HOST ".repeat(200_000));
        let open = "{{ <".repeat(200_000);
        assert_eq!(one_word_templates(&open).len(), open.len());
    }

    /// Audit 14p A-19: `$ oc debug node/x` then lines at the debug shell's prompt.
    #[test]
    fn lines_at_the_prompt_of_a_shell_a_command_opened() {
        let code = "$ oc debug node/<node>\nStarting pod/x ...\nsh-4.4# chroot /host\nsh-4.4# journalctl -u kubelet\n";
        let typed = typed_inside(code).unwrap_or_else(|| panic!("{code}"));
        assert_eq!(typed.opener, "oc debug node/<node>");
        assert_eq!(
            &code[typed.at..],
            "sh-4.4# chroot /host\nsh-4.4# journalctl -u kubelet\n"
        );
        assert!(typed.place.contains("`sh-4.4#`"), "{}", typed.place);
        let host = typed_inside("$ ssh node-1\n[root@node-1 ~]# df -h\n")
            .unwrap_or_else(|| panic!("host"));
        assert_eq!(host.place, "to type at the `[root@node-1 ~]#` prompt");
        // (No command that opens a shell: as before, the whole block is another program's.)
        assert_eq!(typed_inside("$ kubectl get pods\nsh-4.4# ls\n"), None);
        assert_eq!(typed_inside("$ kubectl get pods\nNAME READY\n"), None);
        assert_eq!(typed.end, None);
        // Audit 41 I41-3: the shell's `$ ` prompt comes back after `\q`: commands again.
        let code = "$ psql -h pgb -p 6432 pgbouncer\npgbouncer=# SHOW POOLS;\n db | cl\npgbouncer=# \\q\n$ echo done\ndone\n";
        let typed = typed_inside(code).unwrap_or_else(|| panic!("{code}"));
        let end = typed.end.unwrap_or_else(|| panic!("{code}"));
        assert_eq!(
            &code[typed.at..end],
            "pgbouncer=# SHOW POOLS;\n db | cl\npgbouncer=# \\q\n"
        );
        assert_eq!(&code[end..], "$ echo done\ndone\n");
    }

    /// Audit 18 A-19: the same, the command written with no `$ `: a shell opened, and the
    /// lines from the first clearly typed there on (a prompt, or `chroot /host`).
    #[test]
    fn lines_after_an_unprompted_command_that_opens_a_shell() {
        for (code, opener, rest) in [
            (
                "oc debug node/<NODE>\nchroot /host\nsystemctl status kubelet\n",
                "oc debug node/<NODE>",
                "chroot /host\nsystemctl status kubelet\n",
            ),
            (
                "# A shell on the node\nkubectl debug node/<NODE> -it --image=busybox\n\nsh-4.4# chroot /host\nsh-4.4# crictl ps\n",
                "kubectl debug node/<NODE> -it --image=busybox",
                "sh-4.4# chroot /host\nsh-4.4# crictl ps\n",
            ),
            (
                "ssh <HOST>\n[root@node-1 /]# df -h /var\n",
                "ssh <HOST>",
                "[root@node-1 /]# df -h /var\n",
            ),
            (
                "kubectl exec -it redis-0 -- bash\n# chroot /host\n",
                "kubectl exec -it redis-0 -- bash",
                "# chroot /host\n",
            ),
        ] {
            let typed = typed_inside(code).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(typed.opener, opener, "{code}");
            assert_eq!(&code[typed.at..], rest, "{code}");
        }
        for code in [
            // (One command run there, or lines run here after a shell opened.)
            "ssh db-1 'systemctl restart postgresql'\nchroot /host\n",
            "ssh bastion\nuptime\n",
            "oc debug node/<NODE>\n# then look at the kubelet\nsystemctl status kubelet\n",
            "kubectl exec -it redis-0 -- bash\nredis-cli info\n",
            // (Not its first command: a script.)
            "kubectl get nodes\noc debug node/<NODE>\nchroot /host\n",
            // (Continued on the next line.)
            "ssh \\\n  db-1\nchroot /host\n",
            "oc debug node/<NODE>\n",
        ] {
            assert_eq!(typed_inside(code), None, "{code}");
        }
    }

    #[test]
    fn commands_that_open_a_shell_elsewhere() {
        for line in [
            "kubectl exec -it redis-0 -n cache -- bash",
            "kubectl -n cache exec -ti redis-0 -- /bin/sh",
            "kubectl exec -it deploy/api -- redis-cli",
            "kubectl debug -it node/worker-1 --image=busybox",
            "oc rsh pod/api-1",
            "docker exec -it redis sh",
            "sudo docker exec -it pg psql -U postgres",
            "ssh db-1.internal",
            "ssh -i ~/.ssh/ops -p 2222 ops@db-1",
            "psql -h db-1 -U app appdb",
            "sudo -u postgres psql",
            "redis-cli -h cache-1 -p 6379",
            "gcloud compute ssh bastion --zone europe-west1-b",
        ] {
            assert!(opens_a_session(line), "{line}");
        }
        for line in [
            "ssh db-1 uptime",
            "ssh db-1 'sudo systemctl restart pg'",
            "kubectl exec redis-0 -- redis-cli info",
            "kubectl exec -it redis-0 -- redis-cli info memory",
            "kubectl get pods",
            "docker exec redis redis-cli ping",
            "psql -c 'select 1'",
            "psql -h db -f fix.sql",
            "redis-cli -h cache-1 info memory",
            "psql < dump.sql",
            "gcloud compute ssh bastion --command 'df -h'",
        ] {
            assert!(!opens_a_session(line), "{line}");
        }
    }

    #[test]
    fn headings_and_sentences_that_say_typed_there() {
        for h in [
            "Inside the pod",
            "In the container",
            "On the host",
            "In the shell",
        ] {
            assert!(heading_inside(h), "{h}");
        }
        for h in ["Diagnosis", "On Kubernetes", "Check the host", "Verify"] {
            assert!(!heading_inside(h), "{h}");
        }
        for s in [
            "Then run inside the shell:",
            "Once connected, restart it:",
            "Look at it. On the host, check the disk:",
        ] {
            assert!(sentence_inside(s), "{s}");
        }
        for s in ["Restart it:", "Check the disk on the dashboard.", "Verify:"] {
            assert!(!sentence_inside(s), "{s}");
        }
    }
}
