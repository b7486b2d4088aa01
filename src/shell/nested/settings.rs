//! A value in a setting that a system program splits by its own syntax (audit 28): a
//! property of a systemd unit (`systemd-run -p "Environment=…"`, `systemctl set-property`,
//! a unit file's lines, also through `systemctl edit --stdin`), a variable `systemd-run
//! --setenv` gives, a command of nft (its arguments, or its script on the input), a line of
//! `/etc/hosts` and its kin. Each says which characters would add to the setting
//! ([`super::types::Refusal::Shape`]), held by [`super::files::FileArgument::hold`].

use super::files::{FileArgument, LINE, innermost_program, shaped};
use super::holding::Holding;
use super::types::{SENTINEL, UNIT_SUFFIXES};
use crate::shell::programs::base;
use crate::shell::words::{Command, Word};

/// What systemd reads in a unit's setting as more than one word: white space splits it,
/// quotes and `\` quote, `%` starts a specifier and `$` a variable's value; a new line
/// starts another setting.
const UNIT_SETTING: &str = " \t\n\r\"'\\%$";

const UNIT_VALUE: &str = "it stands in a setting of a systemd unit (a unit file's line, `systemd-run -p`, `systemctl set-property`), which systemd splits at white space, unquotes and expands (`%` specifiers, `$VAR`): a space would add another variable or argument (`Environment=… LD_PRELOAD=/tmp/x.so`), a new line another setting";

const SETENV: &str = "it is the value of a variable that `systemd-run --setenv` gives the unit, which systemd writes into the transient unit's file, where a new line would start another setting";

/// Everything but letters, digits and `. : / - _` in ASCII: what nft reads as its syntax.
const NFT_CHARS: &str = " \t\n\r\u{b}\u{c}\u{0}\u{7f};{}\"'#,@$!&*()+=<>?[]\\^`|~%\u{1b}\u{7}\u{8}";

const NFT: &str = "it stands in a command of nft, where `;` or a new line starts another nft command (`flush ruleset`), braces open or close a set, and a space, `,` or quote adds another word or element: only letters, digits and `. : / - _` (an address, a port, a name) are data there";

/// White space separates the names of a line, `#` starts a comment, a new line starts
/// another entry.
const HOSTS_CHARS: &str = " \t\n\r#\\";

const HOSTS: &str = "it stands in a line of a file of names and addresses (`/etc/hosts`, `ethers`, `networks`), where a space or tab adds another name to the address (`10.0.0.5 evil.internal`), `#` ends the entry and a new line starts another";

/// `hosts.allow`'s lines, `daemons : clients [: option : …]`: also `,` adds another
/// daemon or client and `:` another field, whose options run commands (`spawn`, `twist`),
/// except in a bracketed IPv6 client (`[2001:db8::5]`, `[2001:db8::]/32`).
const HOSTS_ACCESS_CHARS: &str = " \t\n\r#\\,:";

const HOSTS_ACCESS: &str = "it stands in a rule of `hosts.allow` or `hosts.deny` (`daemons : clients : options`), where a space or `,` adds another daemon or client, `:` starts another field whose options run commands (`: spawn …`, `: twist …`), `#` ends the rule and a new line starts another: give a name or an address (an IPv6 address in brackets, `[2001:db8::5]`, `[2001:db8::]/32`)";

/// What the documents and settings of system programs that `at` stands in make of the
/// value (`held`: the commands of `list` and the words of each holding it).
pub(super) fn settings(list: &[Command], at: usize, held: &[Holding]) -> Vec<FileArgument> {
    let mut out = Vec::new();
    for h in held {
        let (n, cmd, args) = (h.n, h.cmd, &h.args);
        if let Some(p) = h.program {
            let nft = base(&args[p].cooked) == "nft";
            for (k, before) in h.operands() {
                if nft {
                    out.extend(shaped(NFT_CHARS, NFT));
                } else if setenv(args, p, k, before) {
                    out.extend(shaped(LINE, SETENV));
                } else if property(args, p, k, before).is_some() {
                    out.extend(shaped(UNIT_SETTING, UNIT_VALUE));
                }
            }
        }
        // `nft -f - <<EOF`, `echo "add element … {{ v }}" | nft -f -`: nft's script.
        let fed = cmd.heredocs.iter().any(|d| d.body.contains(&at))
            || cmd
                .words
                .iter()
                .any(|w| w.herestring && w.span.contains(&at));
        let printed = cmd.piped && (fed || args.iter().any(|w| w.span.contains(&at)));
        if (fed && reads_nft_script(args))
            || (printed && list.get(n + 1).is_some_and(|c| reads_nft_script(&c.args())))
        {
            out.extend(shaped(NFT_CHARS, NFT));
        }
    }
    out
}

/// What a file's lines make of a value written to it: a systemd unit's settings, the
/// entries of `/etc/hosts` and its kin.
pub(super) fn file_line(file: &str) -> Option<FileArgument> {
    let name = base(file.trim_matches(|c| c == '"' || c == '\''));
    if unit_file(file) {
        shaped(UNIT_SETTING, UNIT_VALUE)
    } else if !file.starts_with("/etc/") {
        None
    } else if matches!(name, "hosts.allow" | "hosts.deny") {
        shaped(HOSTS_ACCESS_CHARS, HOSTS_ACCESS).map(|f| FileArgument {
            bracketed_ipv6: true,
            ..f
        })
    } else if matches!(name, "hosts" | "ethers" | "networks") {
        shaped(HOSTS_CHARS, HOSTS)
    } else {
        None
    }
}

/// A systemd unit file (or a drop-in of one).
pub(super) fn unit_file(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    UNIT_SUFFIXES.iter().any(|x| name.ends_with(x)) || file.contains("/systemd/")
}

/// Whether the command reads an nft script on its input: `nft -f -`, `nft -f /dev/stdin`,
/// `nft -i`.
fn reads_nft_script(args: &[&Word]) -> bool {
    let Some(p) = innermost_program(args).filter(|&p| base(&args[p].cooked) == "nft") else {
        return false;
    };
    let stdin = |w: &str| matches!(w, "-" | "/dev/stdin");
    args[p + 1..].iter().enumerate().any(|(k, w)| {
        let a = w.cooked.as_str();
        matches!(
            a,
            "-i" | "--interactive" | "-f-" | "--file=-" | "--file=/dev/stdin"
        ) || (matches!(a, "-f" | "--file") && args.get(p + 2 + k).is_some_and(|f| stdin(&f.cooked)))
    })
}

/// Whether word `k` (with `before` ahead of the value) is a variable of `systemd-run -E`/
/// `--setenv` (program at `p`).
fn setenv(args: &[&Word], p: usize, k: usize, before: &str) -> bool {
    base(&args[p].cooked) == "systemd-run"
        && (k
            .checked_sub(1)
            .filter(|&m| m > p)
            .is_some_and(|m| matches!(args[m].cooked.as_str(), "-E" | "--setenv"))
            || before.starts_with("--setenv=")
            || (before.starts_with("-E") && !before.starts_with("--")))
}

/// The property of a unit, up to the value, that word `k` (with `before` ahead of the value)
/// holds: the argument of `systemd-run -p`/`--property`, or of `systemctl set-property
/// UNIT` (program at `p`). Both are split as a unit file's line is.
fn property(args: &[&Word], p: usize, k: usize, before: &str) -> Option<String> {
    match base(&args.get(p)?.cooked) {
        "systemd-run" => {
            let previous = k.checked_sub(1).filter(|&m| m > p).map(|m| &args[m].cooked);
            if previous.is_some_and(|o| o == "-p" || o == "--property") {
                return Some(before.to_string());
            }
            before
                .strip_prefix("--property=")
                .or_else(|| {
                    before
                        .strip_prefix("-p")
                        .filter(|_| !before.starts_with("--"))
                })
                .map(str::to_string)
        }
        "systemctl" => {
            let set = (p + 1..k).find(|&m| args[m].cooked == "set-property")?;
            (k > set + 1).then(|| before.to_string())
        }
        _ => None,
    }
}

/// The property (up to the value) of `systemd-run` at `args[i]` that word `target` holds.
pub(super) fn unit_property(args: &[&Word], i: usize, target: usize) -> Option<String> {
    let before = args.get(target)?.cooked.split(SENTINEL).next()?;
    property(args, i, target, before)
}

#[cfg(test)]
mod tests {
    use super::super::tests::refusal;
    use super::super::types::Refusal;

    /// Audit 28 H-6, H-13, H-16, H-18: the value, one that adds to the setting, and an
    /// ordinary one.
    #[test]
    fn a_value_that_would_add_to_a_system_setting_is_refused() {
        for (script, bad, good) in [
            // H-6: systemd splits `Environment=` at spaces and honours quotes.
            (
                "sudo systemd-run --unit note -p \"Environment=NOTE={{ v }}\" /usr/bin/app",
                "x LD_PRELOAD=/tmp/x.so",
                "maintenance-42",
            ),
            (
                "systemd-run --property=Environment=\"NOTE={{ v }}\" /usr/bin/app",
                "x\" \"LD_PRELOAD=/tmp/x.so",
                "v1.2.3",
            ),
            (
                "systemd-run -p User={{ v }} /usr/bin/app",
                "app\nExecStartPre=/x",
                "app",
            ),
            (
                "N=\"{{ v }}\"; systemd-run -p \"Environment=NOTE=$N\" /usr/bin/app",
                "a $HOME",
                "a",
            ),
            (
                "systemctl set-property app.service \"CPUQuota={{ v }}\"",
                "20% MemoryMax=1",
                "20",
            ),
            (
                "systemd-run --setenv=NOTE={{ v }} /usr/bin/app",
                "a\nb",
                "it's down; see #42",
            ),
            (
                "systemd-run -E \"NOTE={{ v }}\" /usr/bin/app",
                "a\rb",
                "a b",
            ),
            // H-13: `systemctl edit --stdin` writes a unit file.
            (
                "systemctl edit --stdin app.service <<EOF\n[Service]\nEnvironment=NOTE={{ v }}\nEOF",
                "x\nExecStartPre=/bin/sh -c id",
                "maintenance-42",
            ),
            (
                "systemctl edit --stdin --drop-in=note app <<EOF\n[Service]\nEnvironment=NOTE={{ v }}\nEOF",
                "x LD_PRELOAD=/tmp/x.so",
                "maintenance-42",
            ),
            // H-16: nft's command line and script.
            (
                "nft add element inet filter blocklist \"{ {{ v }} }\"",
                "10.0.0.1 }; flush ruleset; add table x {",
                "10.0.0.1",
            ),
            (
                "sudo nft 'add rule inet filter input ip saddr {{ v }} drop'",
                "10.0.0.1 accept",
                "10.0.0.0/24",
            ),
            (
                "nft add element inet filter blocklist { {{ v }} }",
                "10.0.0.1, 0.0.0.0/0",
                "fe80::1",
            ),
            (
                "nft -f - <<EOF\nadd element inet filter blocklist { {{ v }} }\nEOF",
                "1.2.3.4 }\nflush ruleset\n",
                "1.2.3.4",
            ),
            (
                "echo \"add element inet filter blocklist { {{ v }} }\" | sudo nft -f -",
                "1.2.3.4 }; flush ruleset",
                "1.2.3.4",
            ),
            // H-18: a space adds another host name to the address.
            (
                "echo \"{{ v }} db.internal\" | sudo tee -a /etc/hosts",
                "10.0.0.5 evil.internal",
                "10.0.0.5",
            ),
            (
                "echo \"10.0.0.5 {{ v }}\" >> /etc/hosts",
                "db.internal\tevil.internal",
                "db.internal",
            ),
            (
                "printf '%s db\\n' \"{{ v }}\" | sudo tee -a /etc/hosts",
                "10.0.0.5 # ",
                "10.0.0.5",
            ),
            (
                "echo \"sshd: {{ v }}\" >> /etc/hosts.allow",
                "10.0.0.5 ALL",
                "10.0.0.5",
            ),
            // hosts.allow's `,` adds a client, `:` a field whose options run commands.
            (
                "echo \"sshd: {{ v }}\" >> /etc/hosts.allow",
                "10.0.0.5,ALL",
                "10.0.0.0/255.255.255.0",
            ),
            (
                "echo \"sshd: {{ v }}\" | sudo tee -a /etc/hosts.deny",
                "10.0.0.5:spawn(touch${IFS}/tmp/x)",
                ".example.com",
            ),
            // A bracketed IPv6 client is one client; `:` and `,` outside brackets are not.
            (
                "echo \"sshd: {{ v }}\" >> /etc/hosts.allow",
                "[2001:db8::5]:spawn(touch${IFS}/tmp/x)",
                "[2001:db8::5]",
            ),
            (
                "echo \"sshd: {{ v }}\" >> /etc/hosts.allow",
                "[2001:db8::],ALL",
                "[2001:db8::]/32",
            ),
            (
                "echo \"sshd: {{ v }}\" >> /etc/hosts.allow",
                "[x:spawn]",
                "[::1]",
            ),
            (
                "echo \"sshd: {{ v }}\" >> /etc/hosts.deny",
                "2001:db8::5",
                "[fe80::1]",
            ),
            // Every kind of unit file, not only a service's.
            (
                "printf 'OnCalendar=%s\n' \"{{ v }}\" >> backup.timer",
                "daily\nExecStart=/tmp/x",
                "daily",
            ),
        ] {
            assert!(
                refusal(script, bad).is_some(),
                "{script} with {bad:?} is not refused"
            );
            assert_eq!(refusal(script, good), None, "{script} with {good:?}");
        }
        // The refusal names the setting's syntax.
        assert_eq!(
            refusal(
                "systemd-run -p \"Environment=NOTE={{ v }}\" /usr/bin/app",
                "a b"
            ),
            Some(Refusal::Shape(' '))
        );
        assert_eq!(
            refusal("echo \"{{ v }} db\" | sudo tee -a /etc/hosts", "a b"),
            Some(Refusal::Shape(' '))
        );
    }

    /// A value starting the command of an `Exec…=` setting is a command whatever it holds.
    #[test]
    fn a_value_starting_an_exec_setting_is_refused() {
        let refused = |s: &str| {
            let k = s.find("{{ v }}").expect("a placeholder");
            super::super::plan(s, k..k + "{{ v }}".len()).is_err()
        };
        for script in [
            "systemd-run -p ExecStartPre={{ v }} /usr/bin/app",
            "systemd-run --property=\"ExecStopPost=-{{ v }}\" /usr/bin/app",
            "systemctl edit --stdin app <<EOF\n[Service]\nExecStartPre={{ v }}\nEOF",
        ] {
            assert!(refused(script), "{script}");
        }
        assert!(!refused(
            "systemd-run -p ExecStartPre=\"/usr/bin/check {{ v }}\" /usr/bin/app"
        ));
    }
}
