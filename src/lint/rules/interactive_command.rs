use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::shell::programs;
use crate::shell::words::{self, Command, Word};

crate::declare_rule! {
    /// ## What it does
    /// Reports a command that needs the terminal in a step without `interactive: true`:
    /// editors and pagers (`vim`, `nano`, `less`, `top`), `read -p`, an interactive `psql` or
    /// `mysql` (no `-c`/`-e`, no input given) or one that asks for a password (`psql -W`,
    /// `mysql -p`), `kubectl exec -it`, `docker exec -it`, `oc rsh`, `kubectl edit`, `ssh`
    /// with no remote command or with `-t`, `sudo -i`/`su` with no command, `passwd`,
    /// `visudo`, `crontab -e`; and commands that run until Ctrl-C: `watch`, `tail -f`,
    /// `journalctl -f`, `kubectl logs -f`, `kubectl get -w`, `redis-cli --stat`/`MONITOR` (not
    /// behind `timeout`, nor piped into a command that ends them, as `grep -m1`). Also an interactive step that `capture`s output, which it
    /// cannot: its output goes to the terminal.
    ///
    /// ## Why this matters
    /// A step's command never reads the keyboard unless the step says `interactive: true`:
    /// its input is empty, so the editor, prompt or shell ends at once or hangs, at 3 am.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: console
    ///     title: Open a console on the primary
    ///     run: kubectl exec -it db-0 -- psql
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: console
    ///     title: Open a console on the primary
    ///     run: kubectl exec -it db-0 -- psql
    ///     interactive: true
    /// ```
    pub struct InteractiveCommand {
        code: "RB034",
        name: "interactive-command",
        severity: Warning,
    }
}

impl Rule for InteractiveCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for (i, s) in cx
            .sites
            .iter()
            .enumerate()
            .filter(|(_, s)| s.site.field == "run")
        {
            let Some(step) = s.site.step else { continue };
            let text = &s.site.value.value;
            if !step.is_interactive() && !names_a_program(text) {
                continue;
            }
            // `{{ … }}` blocks read as one word each, as the shell will see the values.
            let script = cx.shell_text(i);
            if step.is_interactive() {
                if let Some(capture) = &step.capture {
                    out.push(Finding::new(
                        capture.var.span,
                        format!(
                            "step `{}` is interactive, so its output goes to the terminal and cannot be captured",
                            step.id()
                        ),
                        "capture in another step, or have the command write the value to `$RUNBOOK_OUTPUT`",
                    ));
                }
                continue;
            }
            for (range, what) in find_interactive(script) {
                out.push(Finding::new(
                    cx.span_in(&s.site, range.start, range.len()),
                    format!(
                        "`{what}` needs the terminal, but step `{}` does not have it",
                        step.id()
                    ),
                    "add `interactive: true` to the step (its command then runs attached to the terminal, and nothing is captured), or give the command its input",
                ));
            }
        }
    }
}

/// The program names this rule looks at: a script that has none of them as a word is not
/// read further.
const NAMES: &[&str] = &[
    "vim",
    "vi",
    "nvim",
    "nano",
    "emacs",
    "less",
    "more",
    "top",
    "htop",
    "mc",
    "visudo",
    "passwd",
    "vipw",
    "crontab",
    "read",
    "psql",
    "mysql",
    "mariadb",
    "kubectl",
    "oc",
    "docker",
    "podman",
    "ssh",
    "sudo",
    "su",
    "git",
    "redis-cli",
    "rails",
    "gitlab-rails",
    "gitlab-psql",
    "vault",
    "gcloud",
    "watch",
    "tail",
    "journalctl",
    "gitlab-ctl",
    "ceph",
];

/// Whether a script names one of [`NAMES`] as a word (one pass of an automaton).
fn names_a_program(script: &str) -> bool {
    static NAMES_AC: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::OnceLock::new();
    let Some(ac) = NAMES_AC
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(NAMES)
                .ok()
        })
        .as_ref()
    else {
        return true;
    };
    let bytes = script.as_bytes();
    let edge = |b: u8| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
    ac.find_overlapping_iter(script).any(|m| {
        (m.start() == 0 || edge(bytes[m.start() - 1]))
            && bytes.get(m.end()).is_none_or(|&b| edge(b))
    })
}

/// The commands of a script that need the terminal: (their byte range, what they are).
pub fn find_interactive(script: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut found = Vec::new();
    if !names_a_program(script) {
        return found;
    }
    let Some(list) = words::commands(script, 0..script.len()) else {
        return found;
    };
    for (n, cmd) in list.iter().enumerate() {
        let args = cmd.args();
        let fed = n > 0 && list[n - 1].piped || has_input(script, cmd);
        // `kubectl port-forward … &`: in the background, it ends with the step.
        let background = cmd.words.last().is_some_and(|w| {
            let after = script[w.span.end..].trim_start_matches([' ', '\t']);
            after.starts_with('&') && !after.starts_with("&&") && !after.starts_with("&>")
        });
        // `tail -f log | grep -m1 ready`, `… | head -5`: ends with the command it feeds
        // (`… | grep x` does not).
        let ended = cmd.piped
            && list.get(n + 1).is_some_and(|next| {
                let a = next.args();
                let name = a.first().map_or("", |w| programs::base(&w.cooked));
                name == "head"
                    || (matches!(name, "grep" | "egrep" | "fgrep")
                        && a.iter().skip(1).any(|w| {
                            let w = w.cooked.as_str();
                            w.starts_with("--max-count")
                                || w == "--quiet"
                                || (w.starts_with('-')
                                    && !w.starts_with("--")
                                    && w.contains(['m', 'q']))
                        }))
            });
        if let Some((i, what)) = needs_terminal(&args, 0, fed)
            && !((ended || background) && what.ends_with(UNTIL_INTERRUPTED))
        {
            let start = args[0].span.start;
            let end = args.get(i).map_or(start, |w| w.span.end).max(start);
            found.push((start..end, what));
        }
    }
    found
}

/// The end of what a command that runs until it is interrupted is called.
pub const UNTIL_INTERRUPTED: &str = "(until Ctrl-C)";

/// Whether a finding of [`find_interactive`] opens a shell (`ssh HOST`, `sudo -i`,
/// `kubectl exec -it`, `oc rsh`): the commands written after it run where runbook runs,
/// once that shell ends, not in it.
pub fn opens_a_shell(what: &str) -> bool {
    what.contains("(a login shell)")
        || what == "sudo -i"
        || what.ends_with(" exec -it")
        || matches!(what, "oc rsh" | "oc debug" | "gcloud compute ssh")
}

/// Whether a command is given input: a here-document, a here-string or `< FILE`.
fn has_input(script: &str, cmd: &Command) -> bool {
    !cmd.heredocs.is_empty()
        || cmd.words.iter().any(|w| {
            w.herestring
                || (w.redirect
                    && script[..w.span.start].trim_end().ends_with('<')
                    && !script[..w.span.start].trim_end().ends_with("<<"))
        })
}

/// The command at `args[i]` (after keywords, assignments and wrappers): the index of its last
/// telling word and what it is, when it needs the terminal.
fn needs_terminal(args: &[&Word], mut i: usize, fed: bool) -> Option<(usize, String)> {
    while args.get(i).is_some_and(|w| {
        !w.quoted && programs::KEYWORDS.contains(&w.cooked.as_str())
            || programs::is_assignment_word(w)
    }) {
        i += 1;
    }
    let w = args.get(i)?;
    if !w.expansions.is_empty() {
        return None;
    }
    let name = programs::base(&w.cooked);
    let rest: Vec<&str> = args[i + 1..].iter().map(|w| w.cooked.as_str()).collect();
    let flag = |short: char, long: &str| {
        rest.iter().any(|a| {
            *a == long || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains(short))
        })
    };
    let found = |what: &str| Some((i, what.to_string()));
    match name {
        // `top -b` writes its screens as text; `vim -es`/`ex -s` read commands, silently.
        "top" if flag('b', "--batch") => None,
        "vim" | "vi" | "nvim" if flag('e', "-e") && flag('s', "-s") => None,
        "vim" | "vi" | "nvim" | "nano" | "emacs" | "less" | "more" | "top" | "htop" | "mc"
        | "visudo" | "passwd" | "vipw" => found(name),
        // Full screen, redrawn until it is interrupted.
        "watch" => found(&format!("watch {UNTIL_INTERRUPTED}")),
        // Following a log: it never ends by itself.
        "tail"
            if flag('f', "--follow")
                || flag('F', "--follow")
                || rest.iter().any(|a| a.starts_with("--follow=")) =>
        {
            found(&format!("tail -f {UNTIL_INTERRUPTED}"))
        }
        "journalctl" if flag('f', "--follow") => {
            found(&format!("journalctl -f {UNTIL_INTERRUPTED}"))
        }
        // `gitlab-ctl tail` follows every service's log; `ceph -w` the cluster's.
        "gitlab-ctl" if rest.first() == Some(&"tail") => {
            found(&format!("gitlab-ctl tail {UNTIL_INTERRUPTED}"))
        }
        "ceph" if rest.iter().any(|a| matches!(*a, "-w" | "--watch")) => {
            found(&format!("ceph -w {UNTIL_INTERRUPTED}"))
        }
        "crontab" if flag('e', "--edit") => found("crontab -e"),
        "read" if flag('p', "--prompt") && !fed => found("read -p"),
        "psql" | "gitlab-psql" if flag('W', "--password") => found("psql --password"),
        "psql" | "gitlab-psql"
            if !fed && !flag('c', "--command") && !flag('f', "--file") && !flag('l', "--list") =>
        {
            found("psql (an interactive session)")
        }
        "mysql" | "mariadb" if rest.iter().any(|a| *a == "-p" || *a == "--password") => {
            found(&format!("{name} -p"))
        }
        "mysql" | "mariadb" if !fed && !flag('e', "--execute") => {
            found(&format!("{name} (an interactive session)"))
        }
        "kubectl" | "oc" | "docker" | "podman" => {
            // (Past global options and their values: `kubectl -n db exec -it …`.)
            let sub = subcommand(
                &rest,
                &[
                    "-n",
                    "--namespace",
                    "--context",
                    "--kubeconfig",
                    "-s",
                    "--server",
                    "--cluster",
                    "--user",
                    "--token",
                    "-H",
                    "--host",
                    "-c",
                    "--config",
                    "-l",
                    "--log-level",
                    "--as",
                ],
            );
            let tty = rest
                .iter()
                .any(|a| matches!(*a, "-it" | "-ti" | "--tty" | "-t" | "--tty=true"));
            match sub {
                Some("edit") => found(&format!("{name} edit")),
                Some("rsh") => found("oc rsh"),
                // `oc debug node/x` with no command: a shell on the node.
                Some("debug") if name == "oc" && !rest.contains(&"--") => found("oc debug"),
                // `kubectl get pods -w`: watches until it is interrupted.
                Some("get")
                    if matches!(name, "kubectl" | "oc")
                        && rest
                            .iter()
                            .any(|a| matches!(*a, "-w" | "--watch" | "--watch-only")) =>
                {
                    found(&format!("{name} get --watch {UNTIL_INTERRUPTED}"))
                }
                // `kubectl port-forward`: forwards until it is interrupted.
                _ if matches!(name, "kubectl" | "oc") && rest.contains(&"port-forward") => {
                    found(&format!("{name} port-forward {UNTIL_INTERRUPTED}"))
                }
                Some("logs")
                    if rest
                        .iter()
                        .any(|a| matches!(*a, "-f" | "--follow" | "--follow=true")) =>
                {
                    found(&format!("{name} logs -f {UNTIL_INTERRUPTED}"))
                }
                Some("exec" | "run" | "attach" | "debug") if tty => {
                    found(&format!("{name} {} -it", sub.unwrap_or("exec")))
                }
                _ => {
                    programs::container_command(args, i).and_then(|k| needs_terminal(args, k, fed))
                }
            }
        }
        "ssh" => {
            let (j, seen) = programs::wrapped(args, i, &programs::SSH);
            if programs::has(&seen, &["-t", "-tt"]) || rest.contains(&"-t") {
                return found("ssh -t");
            }
            // `ssh HOST` alone: a login shell.
            (j >= args.len() && !fed && !programs::has(&seen, &["-N", "-f", "-O"]))
                .then(|| (i, "ssh HOST (a login shell)".to_string()))
        }
        "sudo" => {
            let (j, seen) = programs::wrapped(args, i, &programs::SUDO);
            if j >= args.len() && programs::has(&seen, &["-i", "-s", "--login", "--shell"]) {
                return found("sudo -i");
            }
            needs_terminal(args, j, fed)
        }
        "su" => {
            let commands = programs::su_commands(args, i, false);
            (commands.scripts.is_empty() && !fed).then(|| (i, "su (a login shell)".to_string()))
        }
        // `gcloud compute ssh VM` with no `--command`: a login shell.
        "gcloud"
            if rest.starts_with(&["compute", "ssh"])
                && !rest
                    .iter()
                    .any(|a| *a == "--" || a.starts_with("--command")) =>
        {
            found("gcloud compute ssh")
        }
        // `redis-cli -h cache` with no command: its prompt.
        "redis-cli" if !fed => {
            let (j, _) = programs::options(
                &rest,
                0,
                "hpsaurinde",
                &[
                    "user", "pass", "askpass", "tls", "sni", "cacert", "cert", "key",
                ],
            );
            // `--stat`, `--latency`, `MONITOR`, `SUBSCRIBE` print until interrupted; other
            // modes (`--bigkeys`, `--scan`, `--pipe`) end by themselves.
            let mode = |m: &[&str]| {
                rest.iter()
                    .any(|a| m.iter().any(|x| a.eq_ignore_ascii_case(x)))
            };
            if mode(&[
                "--stat",
                "--latency",
                "--latency-history",
                "--latency-dist",
                "monitor",
                "subscribe",
                "psubscribe",
                "ssubscribe",
            ]) {
                return found(&format!("redis-cli monitor / --stat {UNTIL_INTERRUPTED}"));
            }
            if rest.iter().any(|a| {
                matches!(
                    *a,
                    "--bigkeys"
                        | "--memkeys"
                        | "--hotkeys"
                        | "--keystats"
                        | "--scan"
                        | "--pipe"
                        | "--rdb"
                        | "--functions-rdb"
                        | "--eval"
                        | "--cluster"
                        | "--intrinsic-latency"
                )
            }) {
                return None;
            }
            (j >= rest.len()).then(|| (i, "redis-cli (an interactive session)".to_string()))
        }
        "rails" | "gitlab-rails"
            if matches!(rest.first(), Some(&("console" | "c" | "dbconsole"))) =>
        {
            found(&format!("{name} console"))
        }
        // `vault operator unseal` with no key: it asks for one.
        "vault" if rest.starts_with(&["operator", "unseal"]) && rest.len() == 2 && !fed => {
            found("vault operator unseal")
        }
        "git" => {
            let sub = subcommand(
                &rest,
                &["-C", "-c", "--git-dir", "--work-tree", "--namespace"],
            );
            match sub {
                Some("rebase") if flag('i', "--interactive") => found("git rebase -i"),
                Some("add") if flag('p', "--patch") => found("git add -p"),
                _ => None,
            }
        }
        _ => {
            let wrapper = programs::find_wrapper(name)?;
            let (j, _) = programs::wrapped(args, i, wrapper);
            // `timeout 60 tail -f …` ends by itself.
            needs_terminal(args, j, fed)
                .filter(|(_, what)| !(name == "timeout" && what.ends_with(UNTIL_INTERRUPTED)))
        }
    }
}

/// A program's subcommand: its first word that is neither an option nor the value of one
/// of `valued`, the global options written apart from their value (`kubectl -n db exec`,
/// `git -C repo rebase -i`).
fn subcommand<'a>(rest: &[&'a str], valued: &[&str]) -> Option<&'a str> {
    let mut k = 0;
    while let Some(a) = rest.get(k) {
        if !a.starts_with('-') {
            return Some(a);
        }
        k += if valued.contains(a) { 2 } else { 1 };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_interactive;

    fn found(script: &str) -> Vec<String> {
        find_interactive(script)
            .into_iter()
            .map(|(_, w)| w)
            .collect()
    }

    #[test]
    fn commands_that_need_the_terminal() {
        for script in [
            "vim /etc/app.conf",
            "read -p 'Continue? ' ok",
            "psql \"$DB\"",
            "psql -W -c 'select 1'",
            "kubectl exec -it db-0 -- psql",
            "oc rsh db-0",
            "oc debug node/worker-1",
            "kubectl get pods -n prod -w",
            "gcloud compute ssh vm-1 --zone europe-west1-b",
            "redis-cli -h cache -p 6379",
            "sudo gitlab-rails console -e production",
            "vault operator unseal",
            "docker exec -it web sh",
            "kubectl edit deploy/api",
            "ssh db-1",
            "ssh -t db-1 top",
            "sudo -i",
            "sudo vim /etc/hosts",
            "su - postgres",
            "mysql -p -u root",
            "crontab -e",
            "timeout 60 less /var/log/syslog",
            "if true; then vim x; fi",
            "watch -n 5 'kubectl get pods'",
            "tail -f /var/log/syslog",
            "tail -F -n 100 /var/log/app.log",
            "sudo journalctl -u api -f",
            "kubectl logs -f deploy/api -n prod",
            "docker logs --follow web",
            "redis-cli -h cache --stat",
            "redis-cli -h cache MONITOR",
            "sudo gitlab-ctl tail gitaly",
            "ceph -w",
            "kubectl -n monitoring port-forward svc/prometheus 9090",
            "sudo gitlab-ctl tail gitaly | grep -i grpc.time_ms",
            // Audit 14j J4: global options before the subcommand.
            "kubectl -n db exec -it pg-0 -- bash",
            "kubectl -n monitoring edit prometheusrule x",
            "kubectl --context prod -n api get pods -w",
            "oc -n default debug node/worker-0",
            "git -C repo rebase -i HEAD~3",
        ] {
            assert!(!found(script).is_empty(), "{script}");
        }
    }

    #[test]
    fn commands_given_their_input_do_not() {
        for script in [
            "psql \"$DB\" -c 'select 1'",
            "psql \"$DB\" -f fix.sql",
            "psql \"$DB\" <<'SQL'\nselect 1;\nSQL",
            "echo 'select 1' | psql \"$DB\"",
            "psql \"$DB\" < fix.sql",
            "kubectl exec db-0 -- psql -c 'select 1'",
            "ssh db-1 uptime",
            "ssh -N -L 5432:db:5432 bastion",
            "sudo systemctl restart api",
            "su - postgres -c 'psql -c \"select 1\"'",
            "mysql -e 'select 1'",
            "read -r line < file",
            "echo vim",
            "grep -r less .",
            "git rebase main",
            "top -bn1 | head -20",
            "top -b -n 1",
            "vim -es notes.txt <<EOF\n%s/a/b/\nwq\nEOF",
            "oc debug node/worker-1 -- chroot /host df -h",
            "kubectl get pods -n prod",
            "gcloud compute ssh vm-1 --command 'uptime'",
            "redis-cli -h cache info memory",
            "echo PING | redis-cli -h cache",
            "vault operator unseal \"$KEY\"",
            "tail -n 100 /var/log/syslog",
            "tail -f /var/log/app.log | grep -m1 ready",
            "timeout 60 tail -f /var/log/app.log",
            "journalctl -u api --since -10m",
            "kubectl logs deploy/api --tail=100",
            "redis-cli -h cache --bigkeys -i 0.1",
            "redis-cli -h cache --scan --pattern 'session:*'",
            "gitlab-ctl status",
            "ceph -s",
            "kubectl -n monitoring port-forward svc/prometheus 9090 &",
            "tail -f /var/log/app.log | head -20",
        ] {
            assert!(found(script).is_empty(), "{script}: {:?}", found(script));
        }
    }
}
