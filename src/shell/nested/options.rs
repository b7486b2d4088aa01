//! What runbook knows of programs' options and operands: those that run a command or code
//! (`git -c`, `ssh -o ProxyCommand`, `tmux`, `parallel`…), and those read as options.

use super::role::{Ctx, Reparse, Role};
use super::types::{SENTINEL, Unsafe};
use crate::shell::programs::{self, SSH, base, command_index, options, same_option};
use crate::shell::words::{Word, commands};

/// A `-c` script that runs its own arguments as a command (`"$@"`, `exec "$@"`, `"$0" "$@"`):
/// the offset from the script of the word that names the command (2 for `"$@"`, whose `$0`
/// comes first; 1 for `"$0"`).
pub(super) fn runs_its_arguments(script: &str) -> Option<usize> {
    let list = commands(script, 0..script.len())?;
    list.iter().find_map(|cmd| {
        let args = cmd.args();
        let mut i = 0;
        while args
            .get(i)
            .is_some_and(|w| matches!(w.cooked.as_str(), "exec" | "command" | "builtin"))
        {
            i += 1;
        }
        let raw = &script[args.get(i)?.span.clone()];
        match raw {
            "\"$@\"" | "$@" | "\"${@}\"" | "${@}" | "$*" | "\"$*\"" => Some(2),
            "\"$0\"" | "$0" | "\"${0}\"" => Some(1),
            _ => None,
        }
    })
}

/// The options of `autossh` that take a value: ssh's and `-M PORT`.
const AUTOSSH_SHORT: &str = "BbcDEeFIiJLlmMOopQRSWw";

/// `ssh [options] HOST [options] …` (or `autossh`) read from `args[i]`: where the host is and
/// the options before it, where the command starts and the options after the host (OpenSSH
/// reads those too: `ssh h -p 2222 cmd`).
pub(super) fn ssh_options(
    name: &str,
    args: &[&Word],
    i: usize,
) -> (usize, programs::Options, usize, programs::Options) {
    let short = if name == "autossh" {
        AUTOSSH_SHORT
    } else {
        SSH.short
    };
    let (j, seen) = options(args, i + 1, short, SSH.long);
    let (k, after) = options(args, j + 1, short, SSH.long);
    (j, seen, k, after)
}

/// Programs that parse (some of) their arguments again as shell code, looked for after a
/// program runbook does not know.
pub(super) const REPARSERS: &[&str] = &[
    "eval", "ssh", "autossh", "su", "runuser", "script", "trap", "sudo", "doas", "sg", "sh",
    "bash", "dash", "zsh", "ksh", "mksh", "ash", "rbash", "yash", "posh", "kubectl", "oc",
    "docker", "podman", "watch", "tmux", "xargs", "flock", "env", "timeout", "nohup", "setsid",
    "nice", "vagrant",
];

/// Programs that only print or send their arguments (`echo ssh h "…"` prints the words).
pub(super) const PRINTS: &[&str] = &[
    "echo",
    "printf",
    "logger",
    "wall",
    "cat",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "jq",
    "yq",
    "mail",
    "notify-send",
    "gh",
    "glab",
    "git",
    "curl",
    "wget",
    "test",
    "[",
    "[[",
];

/// Git configuration whose value git runs with the shell or as a program, or that names
/// more configuration: `core.sshCommand`, `core.editor`, `core.pager`, `core.fsmonitor`,
/// an alias starting with `!`, `remote.NAME.uploadpack`, `gpg.program`, a filter's
/// `smudge`, `include.path` (audit 26 HOLE-16).
pub(super) fn git_runs(key: &str, value: &str) -> bool {
    let key = key.to_ascii_lowercase();
    let last = key.rsplit('.').next().unwrap_or("");
    matches!(
        key.as_str(),
        "core.sshcommand"
            | "core.editor"
            | "core.pager"
            | "core.fsmonitor"
            | "core.hookspath"
            | "core.askpass"
            | "core.gitproxy"
            | "core.attributesfile"
            | "core.excludesfile"
            | "sequence.editor"
            | "diff.external"
            | "credential.helper"
            | "gpg.program"
            | "include.path"
            | "uploadpack.packobjectshook"
            | "sendemail.smtpserver"
            | "web.browser"
            | "init.templatedir"
    ) || key.starts_with("alias.") && value.starts_with('!')
        // `remote.origin.uploadpack`, `filter.x.smudge`, `gpg.ssh.program`,
        // `diff.x.textconv`, `merge.x.driver`, `credential.URL.helper`, `includeIf.….path`.
        || matches!(
            last,
            "uploadpack"
                | "receivepack"
                | "proxy"
                | "smudge"
                | "clean"
                | "process"
                | "program"
                | "textconv"
                | "command"
                | "driver"
                | "helper"
                | "cmd"
                | "path"
                | "sshcommand"
        ) && key.contains('.')
}

/// `git config … KEY VALUE` with the value at `target` under a key whose value git runs.
pub(super) fn git_config_runs(args: &[&Word], i: usize, target: usize) -> bool {
    let Some(config) = (i + 1..target).find(|&k| args[k].cooked == "config") else {
        return false;
    };
    // The words after `config` (and `set`), options and their files left out.
    let mut words = Vec::new();
    let mut k = config + 1;
    while k < args.len() {
        let a = args[k].cooked.as_str();
        if matches!(a, "-f" | "--file" | "--blob" | "--type") {
            k += 2;
            continue;
        }
        if !(a.starts_with('-') || (a == "set" && words.is_empty())) {
            words.push(k);
        }
        k += 1;
    }
    match words.as_slice() {
        [key, value, ..] if *value == target => {
            let key = &args[*key].cooked;
            let v = args[target].cooked.trim_start_matches(SENTINEL);
            git_runs(key, v) || key.to_ascii_lowercase().starts_with("alias.")
        }
        _ => false,
    }
}

/// Whether GNU `parallel` at `args[i]` is given a command before its first `:::` at `sep`
/// (without one, every argument is a command line that a shell runs).
pub(super) fn parallel_command(args: &[&Word], i: usize, sep: usize) -> bool {
    let (j, _) = options(
        &args[..sep],
        i + 1,
        "jSdEIaPXLNnsCl",
        &[
            "jobs",
            "sshlogin",
            "delimiter",
            "eof",
            "arg-file",
            "max-procs",
            "max-lines",
            "max-args",
            "max-chars",
            "colsep",
            "results",
            "tmpdir",
            "workdir",
            "joblog",
            "timeout",
            "retries",
            "load",
            "memfree",
            "delay",
            "tag-string",
            "basefile",
            "transfer-file",
            "return",
            "env",
            "shebang-wrap",
            "sshloginfile",
            "slf",
            "halt",
            "termseq",
            "nice",
        ],
    );
    j < sep
}

/// `docker run -i alpine <<EOF`, `kubectl run -i t --image=alpine <<EOF`, `oc rsh POD <<EOF`:
/// given no command and attached to the input, a container runs its image's own command
/// (often a shell), which reads it. The construct, if so.
pub(super) fn image_command_reads_input(args: &[&Word], i: usize) -> Option<String> {
    let name = base(&args.get(i)?.cooked);
    let words: Vec<&str> = args.iter().map(|w| w.cooked.as_str()).collect();
    let sub = (i + 1..words.len()).find(|&k| {
        matches!(
            words[k],
            "run" | "debug" | "rsh" | "create" | "start" | "attach"
        )
    })?;
    let stdin = words[sub] == "rsh"
        || words[sub + 1..].iter().any(|w| {
            matches!(
                *w,
                "--stdin" | "--interactive" | "--stdin=true" | "--interactive=true"
            ) || (w.starts_with('-') && !w.starts_with("--") && w.contains('i'))
        });
    let command = programs::container_command(&words, i).filter(|&c| c < words.len());
    (stdin && command.is_none()).then(|| {
        format!(
            "{name} {} (the image's own command, often a shell)",
            words[sub]
        )
    })
}

/// `[user@]host:path` with the value in the path: the remote shell parses the path for the
/// scp protocol (`scp -O`, the default before OpenSSH 9.0) and for rsync before 3.2.4.
pub(super) fn remote_path(word: &str) -> bool {
    let (Some(colon), Some(at)) = (word.find(':'), word.find(SENTINEL)) else {
        return false;
    };
    let host = &word[..colon];
    at > colon && !host.is_empty() && !host.contains('/') && !word[colon..].starts_with("::")
}

/// util-linux `script`'s options that take a value (short, long).
pub(super) const SCRIPT_OPTIONS: (&str, &[&str]) = (
    "cEIOBTm",
    &[
        "command",
        "log-in",
        "log-out",
        "log-io",
        "log-timing",
        "echo",
        "logging-format",
    ],
);

/// The role of word `target` in the command whose name is `args[i]`.
/// Whether the words after `args[i]` start with the subcommand `words` (`consul exec`).
pub(super) fn sub(args: &[&Word], i: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| args.get(i + 1 + k).is_some_and(|a| a.cooked == *w))
}

/// What reads the word `target` of `args` as a variable assignment when it holds `=`:
/// make's operands (`make "X:=$(shell …)"` runs a command, `SHELL=/path` replaces its
/// recipes' shell) and the words after `env` before its command (`env "BASH_ENV=f" bash`):
/// audits 22, 23. `None` where the value does not start the word.
pub(super) fn assignment_word(args: &[&Word], target: usize) -> Option<&'static str> {
    if !args.get(target)?.cooked.starts_with(SENTINEL) {
        return None;
    }
    reads_assignment(args, target)
}

/// The variables expanded at the start of a word that make or env reads as an assignment
/// when it holds `=` (`T="{{ v }}"; make "$T"`: audit 22 d02), with the variables copied
/// into them.
pub(super) fn assignment_copies(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    // (A word `make` or `env` first: most scripts have neither.)
    let named = text
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | '`'))
        .any(|w| matches!(base(w), "make" | "gmake" | "bmake" | "env" | "sysctl"));
    if !named {
        return out;
    }
    for cmd in crate::shell::words::every_command(text) {
        let args = cmd.args();
        for (k, w) in args.iter().enumerate() {
            let raw = text.get(w.span.clone()).unwrap_or("");
            if raw.trim_start_matches('"').starts_with('$') && reads_assignment(&args, k).is_some()
            {
                for e in w.expansions.iter().filter(|e| e.inner.is_none()) {
                    out.extend(crate::shell::flow::referenced(&text[e.span.clone()]));
                }
            }
        }
    }
    if !out.is_empty() {
        crate::shell::flow::with_sources(text, &mut out);
    }
    out
}

/// [`assignment_word`] of whatever stands at `target`.
fn reads_assignment(args: &[&Word], target: usize) -> Option<&'static str> {
    let first = command_index(args);
    // (Behind any wrapper, also one runbook does not follow: `flock F make`, `chroot / make`.)
    if (first..target)
        .any(|k| !args[k].quoted && matches!(base(&args[k].cooked), "make" | "gmake" | "bmake"))
    {
        return Some(
            "make reads a word holding `=` as a variable assignment, whose `$(shell …)` runs a command (and `SHELL=…` replaces the shell of its recipes)",
        );
    }
    // `sysctl "{{ v }}"` reads a key; with `=` it writes one (`kernel.core_pattern=|/path`
    // runs a program as root at the next crash: audit 24 OPT-G), unless `-w` says so.
    if let Some(k) = (first..target).find(|&k| base(&args[k].cooked) == "sysctl")
        && !args[k + 1..target].iter().any(|w| {
            w.cooked == "--write"
                || (w.cooked.starts_with('-')
                    && !w.cooked.starts_with("--")
                    && w.cooked.contains('w'))
        })
    {
        return Some(
            "sysctl reads a word holding `=` as a setting to write (`kernel.core_pattern=|/path` runs a program as root), where the step reads a key",
        );
    }
    (first..target)
        .rev()
        .find(|&k| base(&args[k].cooked) == "env")
        .filter(|&k| {
            // (Options, their arguments, `env -u NAME`, `env -C DIR`, and assignments.)
            let words = &args[k + 1..target];
            words.iter().enumerate().all(|(n, w)| {
                w.cooked.starts_with('-')
                    || w.cooked.contains('=')
                    || n.checked_sub(1).is_some_and(|p| {
                        matches!(
                            words[p].cooked.as_str(),
                            "-u" | "--unset" | "-C" | "--chdir" | "-S" | "--split-string"
                        )
                    })
            })
        })
        .map(|_| {
            "env reads a word holding `=` before its command as a variable of that command's environment (`BASH_ENV=file` runs the file)"
        })
}

/// Whether a value at word `target` of the program at `args[i]` may be read as one of its
/// options: it starts the word, before any `--`, and is not the argument of an option known
/// to take one ([`OPTION_ARGUMENTS`]). `echo`, `test`, `[`, `[[` and `case` read no options
/// there; printf only before its format.
pub(super) fn read_as_option(name: &str, args: &[&Word], i: usize, target: usize) -> bool {
    let prev = target
        .checked_sub(1)
        .filter(|&p| p > i)
        .map(|p| args[p].cooked.as_str());
    // A value, or an expansion that may hold one (`"$r"`), starting the word.
    let w = args[target];
    let expansion_first = w
        .expansions
        .first()
        .is_some_and(|e| e.span.start <= w.span.start + 1);
    (w.cooked.starts_with(SENTINEL) || expansion_first)
        && !matches!(name, "echo" | "test" | "[" | "[[" | "case")
        && (name != "printf" || (i + 1..target).all(|k| args[k].cooked.starts_with('-')))
        // (`--` ends find's options but not its expression, `find -- "-delete"`; after
        // `kill --`, `-1` is every process: audit 26 OPT-1, OPT-2.)
        && (matches!(name, "find" | "kill" | "pkill")
            || !(i + 1..target).any(|k| args[k].cooked == "--" && !args[k].quoted))
        // (The program may stand behind a wrapper: `sudo journalctl --since …`.)
        && !OPTION_ARGUMENTS.iter().any(|(program, options)| {
            (i..target).any(|k| base(&args[k].cooked) == *program)
                && prev.is_some_and(|p| options.contains(&p))
        })
        // `jq --arg NAME VALUE`: the value is the second word after the option.
        && !((i..target).any(|k| base(&args[k].cooked) == "jq")
            && target >= i + 3
            && matches!(args[target - 2].cooked.as_str(), "--arg" | "--argjson"))
        // `git commit -m "{{ v }}"`, `git tag -a v1 -m …`: a message (audit 20 FR-2); `-m`
        // is a flag of `git checkout` and `git switch`, so only after these subcommands.
        && !(prev == Some("-m")
            && (i..target).any(|k| base(&args[k].cooked) == "git")
            && (i..target).any(|k| {
                matches!(args[k].cooked.as_str(), "commit" | "tag" | "merge" | "notes" | "stash")
            }))
        // `chmod "{{ mode }}" FILE`: the mode, which may start with `+` or `-` (`+x`, `-w`);
        // as one word, an option there leaves FILE as the mode, which chmod refuses (audit
        // 41 A41-19).
        && !(name == "chmod" && (i + 1..target).all(|k| args[k].cooked.starts_with('-')))
        // `gh pr create --body "…"`, `--title`: text.
        && !(matches!(prev, Some("--body" | "-b" | "--title" | "-t"))
            && (i..target).any(|k| matches!(base(&args[k].cooked), "gh" | "glab")))
}

/// Options whose argument is the next word even when it starts with `-` (GNU getopt), and
/// that run nothing: a time (`--since -1h`, `date -d -1day`), a message, a format.
const OPTION_ARGUMENTS: &[(&str, &[&str])] = &[
    (
        "journalctl",
        &[
            "--since", "-S", "--until", "-U", "-u", "--unit", "-g", "--grep",
        ],
    ),
    ("date", &["-d", "--date"]),
    (
        "git",
        &[
            // (Not `-m`: a flag of `git checkout` and `git switch`.)
            "--message",
            "--since",
            "--until",
            "--after",
            "--before",
            "--author",
            "--grep",
        ],
    ),
    (
        "kubectl",
        &["--since", "-l", "--selector", "-n", "--namespace"],
    ),
    ("docker", &["--since", "--until"]),
    // The body, a header, a user: sent as given (audit 20 FR-1: `payload=$(jq -n --arg m
    // "{{ v }}" …); curl -d "$payload"` was refused for every value).
    (
        "curl",
        &[
            "-d",
            "--data",
            "--data-raw",
            "--data-binary",
            "--data-urlencode",
            "--json",
            "-H",
            "--header",
            "-A",
            "--user-agent",
        ],
    ),
    ("wget", &["--post-data", "--header", "-U", "--user-agent"]),
    ("grep", &["-e", "--regexp"]),
    ("logger", &["-t", "--tag", "-p", "--priority"]),
    (
        "find",
        &[
            "-name", "-iname", "-path", "-newermt", "-mtime", "-mmin", "-size",
        ],
    ),
    // `head -n -5` (all but the last five lines), `nice -n -5` (a higher priority).
    ("head", &["-n", "--lines", "-c", "--bytes"]),
    ("tail", &["-n", "--lines", "-c", "--bytes"]),
    ("nice", &["-n", "--adjustment"]),
    ("renice", &["-n", "--priority"]),
];

/// Options whose argument a program hands to a shell (`git rebase --exec CMD`, `tar
/// --to-command=CMD`, `gcloud compute ssh --command=CMD`): (program, options, whether the
/// environment reaches that shell). `--opt CMD` and `--opt=CMD` alike.
const OPTIONS_RUN: &[(&str, &[&str], bool)] = &[
    (
        "git",
        &[
            "--exec",
            "-x",
            "--upload-pack",
            "--receive-pack",
            // `git difftool --extcmd`, `git grep --open-files-in-pager`.
            "--extcmd",
            "-O",
            "--open-files-in-pager",
            // `git filter-branch`'s filters are shell code.
            "--env-filter",
            "--tree-filter",
            "--index-filter",
            "--parent-filter",
            "--msg-filter",
            "--commit-filter",
            "--tag-name-filter",
            "--setup",
        ],
        true,
    ),
    // The command the remote shell runs in place of `rsync`.
    ("rsync", &["--rsync-path"], false),
    // `zip -T -TT CMD`: the command that tests the archive, run by a shell.
    ("zip", &["-TT", "--unzip-command"], true),
    (
        "tar",
        &[
            "--to-command",
            "--use-compress-program",
            "-I",
            "--rsh-command",
            "--info-script",
            "--new-volume-script",
            "-F",
        ],
        true,
    ),
    ("gcloud", &["--command"], false),
    // `nix-shell --run '…'`: bash runs it, in an environment that `--pure` clears.
    ("nix-shell", &["--run", "--command"], false),
    ("az", &["--scripts"], false),
    // A container's health check, run by `/bin/sh -c` inside it (audit 29 H-15).
    ("docker", &["--health-cmd"], false),
    ("podman", &["--health-cmd"], false),
    ("nerdctl", &["--health-cmd"], false),
    ("flock", &["-c", "--command"], true),
    ("watch", &["-x"], true),
    ("compgen", &["-C"], true),
    // (audit 28 H-15) hyperfine's commands around each run; concurrently's after them all;
    // the guest's shell of libguestfs' tools.
    ("hyperfine", HYPERFINE_RUN, true),
    ("concurrently", &["--teardown"], true),
    ("virt-customize", GUESTFS_RUN, false),
    ("virt-builder", GUESTFS_RUN, false),
    ("virt-sysprep", GUESTFS_RUN, false),
    ("complete", &["-C"], true),
];

const HYPERFINE_RUN: &[&str] = &[
    "--prepare",
    "-p",
    "--cleanup",
    "-c",
    "--setup",
    "-s",
    "--conclude",
    "--reference",
];
const GUESTFS_RUN: &[&str] = &["--run-command", "--firstboot-command"];

/// Options whose argument is code of a language runbook does not write (a debugger's or an
/// editor's command, which may run a shell, an SSM document): a value there is refused.
const OPTIONS_CODE: &[(&str, &[&str])] = &[
    (
        "gdb",
        &["-ex", "--eval-command", "-iex", "--init-eval-command"],
    ),
    ("vim", &["-c", "--cmd", "-S"]),
    ("vi", &["-c", "--cmd"]),
    ("nvim", &["-c", "--cmd"]),
    ("ex", &["-c", "--cmd"]),
    ("make", &["--eval", "-E"]),
    ("aws", &["--parameters"]),
    ("tar", &["--checkpoint-action"]),
    // `npx -c '…'`, `npm exec --call '…'`: npm replaces `${NAME}` in the string with the
    // variable's value (inside quotes too) before its script shell parses it.
    ("npx", &["-c", "--call"]),
    ("npm", &["-c", "--call"]),
    // watchexec's filter program is jaq's code.
    ("watchexec", &["-j", "--filter-prog"]),
];

/// Options whose argument names a program that is run, or is the script a new machine runs
/// at boot (audit 26 HOLE-13): (program, options, what it does with it). A value there is
/// refused: it would choose what runs. (gcloud's `--metadata` only under a script's key.)
const OPTIONS_PROGRAM: &[(&str, &[&str], &str)] = &[
    ("scp", &["-S"], "a program that scp runs to connect"),
    (
        "helm",
        &["--post-renderer"],
        "a program that helm runs on the rendered manifests",
    ),
    (
        "git",
        &["--exec-path"],
        "the folder of the programs git runs",
    ),
    (
        "ansible-playbook",
        &["--vault-password-file", "--vault-pass-file"],
        "a file that ansible runs when it is executable",
    ),
    (
        "aws",
        &["--user-data"],
        "the script a new instance runs as root when it boots",
    ),
    (
        "az",
        &["--custom-data", "--user-data"],
        "the script a new machine runs as root when it boots",
    ),
    (
        "doctl",
        &["--user-data"],
        "the script a new droplet runs as root when it boots",
    ),
    (
        "multipass",
        &["--cloud-init"],
        "the cloud-init a new machine runs when it boots",
    ),
    (
        "gcloud",
        &["--metadata"],
        "the script a machine runs as root when it boots or stops",
    ),
    // The shell or the script of the programs that hand a command to a shell
    // (`programs::RUNNERS`, `OPTIONS_RUN`).
    (
        "hyperfine",
        &["-S", "--shell"],
        "the shell that runs its commands",
    ),
    ("watchexec", &["--shell"], "the shell that runs its command"),
    (
        "rd",
        &["-s", "--script", "--url"],
        "the script that Rundeck runs on each node",
    ),
    (
        "virt-customize",
        &["--run", "--firstboot"],
        "a script that runs inside the guest, as root",
    ),
];

/// The keys of gcloud's `--metadata` whose value a machine runs.
const BOOT_KEYS: &[&str] = &[
    "startup-script=",
    "shutdown-script=",
    "user-data=",
    "windows-startup-script-",
    "sysprep-specialize-script-",
];

/// Programs whose operands after a subcommand (or after the host) are a command line that a
/// shell runs on the other side: (program, the words before it, whether the environment
/// reaches that shell).
const OPERANDS_RUN: &[(&str, &[&str], bool)] = &[
    ("git", &["submodule", "foreach"], true),
    ("parallel-ssh", &[], false),
    ("pssh", &[], false),
    ("salt", &["cmd.run"], false),
    // Fabric runs the words after `--` on each host; devbox runs its command in a shell.
    ("fab", &["--"], false),
    ("devbox", &["run"], false),
];

/// The role of a value in the argument of an option that runs or is code ([`OPTIONS_RUN`],
/// [`OPTIONS_CODE`], [`OPERANDS_RUN`]), if it is there.
pub(super) fn option_runs(
    name: &str,
    args: &[&Word],
    i: usize,
    target: usize,
    ctx: Ctx,
) -> Option<Role> {
    let word = args.get(target)?.cooked.as_str();
    let prev = target
        .checked_sub(1)
        .filter(|&p| p > i)
        .map(|p| args[p].cooked.as_str());
    // The option's argument: the next word, or what follows `=` (or a short option's letter).
    let argument = |options: &[&str]| -> Option<String> {
        if prev.is_some_and(|p| options.iter().any(|o| same_option(p, o))) {
            return Some(word.to_string());
        }
        // `--opt=…`, or GNU getopt's abbreviation of it (`--comm=…`).
        if let Some((given, rest)) = word.split_once('=')
            && options
                .iter()
                .any(|o| o.starts_with("--") && same_option(given, o))
        {
            return Some(rest.to_string());
        }
        options.iter().find_map(|o| {
            let rest = word.strip_prefix(o)?;
            if o.starts_with("--") {
                rest.strip_prefix('=').map(str::to_string)
            } else {
                (!rest.is_empty() && !o.starts_with("--")).then(|| rest.to_string())
            }
        })
    };
    let git_sub = |sub: &str| (i + 1..target).any(|k| args[k].cooked == sub);
    // `socat - SYSTEM:'…'`: socat runs the address's command with `sh -c`, and its own
    // syntax (`,` options, `!!`) comes first.
    if name == "socat"
        && word.contains(SENTINEL)
        && word
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("system:"))
    {
        return Some(Role::Refused(Unsafe {
            why: "it stands in socat's `SYSTEM:` address, whose text socat splits by its own syntax and then runs with `sh -c`".into(),
            construct: "socat SYSTEM:".into(),
            help: "write the command in a script that reads the value from its environment (the step's `env:`), and give socat `SYSTEM:./script`".into(),
        }));
    }
    // `make deploy VERSION={{ v }}`: make pastes the variable's text into the recipes, which
    // a shell runs: one plain word only.
    if matches!(name, "make" | "gmake")
        && let Some((var, value)) = word.split_once('=')
        && value.contains(SENTINEL)
        && !var.is_empty()
        && var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Some(Role::PlainWord);
    }
    // `just deploy "{{ v }}"`, `task deploy VERSION="{{ v }}"`, `task deploy -- {{ v }}`: just
    // pastes a recipe's arguments and variables into its lines (`{{ version }}`), Task its
    // variables and `CLI_ARGS` (`{{.VERSION}}`), and a shell runs them (audit 29 H-22).
    if matches!(name, "just" | "task" | "go-task")
        && word.contains(SENTINEL)
        && !word.starts_with('-')
    {
        return Some(Role::PlainWord);
    }
    // (Before the options that run a command: virt-customize's `--run` is its own option,
    // not an abbreviation of `--run-command`; nor is git's `--exec` one of `--exec-path`.)
    let given = prev.or_else(|| word.split_once('=').map(|(g, _)| g));
    let runs_exactly = given.is_some_and(|g| {
        OPTIONS_RUN
            .iter()
            .any(|(p, options, _)| *p == name && options.contains(&g))
    });
    for (program, options, what) in OPTIONS_PROGRAM {
        let Some(a) = argument(options).filter(|_| *program == name && !runs_exactly) else {
            continue;
        };
        let Some(at) = a.find(SENTINEL) else {
            continue;
        };
        if name == "gcloud" && !BOOT_KEYS.iter().any(|k| a[..at].contains(k)) {
            continue;
        }
        return Some(Role::Refused(Unsafe {
            why: format!("it stands in an option of `{name}` that names {what}: the value would choose what runs"),
            construct: format!("{name} {}", prev.unwrap_or_else(|| word.split('=').next().unwrap_or(word))),
            help: "write the program or the script in the runbook (a file of its own), and give the value to it as an argument or in the environment".into(),
        }));
    }
    for (program, options, travels) in OPTIONS_RUN {
        if *program != name {
            continue;
        }
        // `git -x` is rebase's and difftool's, `-O` grep's; elsewhere they are no command.
        if name == "git"
            && ((prev == Some("-x") && !git_sub("rebase") && !git_sub("difftool"))
                || (word.starts_with("-O") || prev == Some("-O")) && !git_sub("grep"))
        {
            continue;
        }
        if let Some(inner) = argument(options) {
            if !inner.contains(SENTINEL) {
                continue;
            }
            return Some(Role::Reparse(Reparse {
                inner,
                construct: format!(
                    "{name} {}",
                    prev.filter(|p| options.iter().any(|o| same_option(p, o)))
                        .unwrap_or_else(|| {
                            // The option itself, without its attached argument.
                            options
                                .iter()
                                .filter(|o| word.starts_with(**o))
                                .max_by_key(|o| o.len())
                                .copied()
                                .unwrap_or_else(|| word.split('=').next().unwrap_or(word))
                        })
                ),
                travels: *travels && ctx.travels,
            }));
        }
    }
    for (program, options) in OPTIONS_CODE {
        if *program == name && argument(options).is_some_and(|a| a.contains(SENTINEL)) {
            return Some(Role::Refused(Unsafe {
                why: format!("it stands in a command given to `{name}` in its options, which may run a shell and whose quoting runbook does not write"),
                construct: format!("{name} {}", prev.unwrap_or(word)),
                help: "pass the value in the environment (the step's `env:`) and read it there, or give the program a file".into(),
            }));
        }
    }
    for (program, before, travels) in OPERANDS_RUN {
        if *program != name {
            continue;
        }
        // The first operand after the words that introduce it (or after the host).
        let start = if before.is_empty() {
            // pssh's options that take an argument; its first operand is the command.
            options(args, i + 1, "hHlpOtxX", &[]).0
        } else {
            let mut k = i + 1;
            let mut found = 0;
            while k < args.len() && found < before.len() {
                if args[k].cooked == before[found] {
                    found += 1;
                }
                k += 1;
            }
            if found < before.len() {
                continue;
            }
            k
        };
        if target >= start {
            return Some(Role::Reparse(Reparse {
                inner: words_text(&args[start..]),
                construct: format!("{name} {}", before.join(" "))
                    .trim_end()
                    .to_string(),
                travels: *travels && ctx.travels,
            }));
        }
    }
    None
}

/// Words as a shell that joins them with spaces (`ssh HOST a b`, `eval a b`) parses them.
pub(super) fn words_text(words: &[&Word]) -> String {
    words
        .iter()
        .map(|w| w.cooked.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `tmux new-session … COMMAND`: tmux runs the command with `sh -c` in a new pane;
/// `send-keys` types its words into a pane's shell.
pub(super) fn tmux(args: &[&Word], i: usize, target: usize) -> Role {
    const RUNS: &[&str] = &[
        "new-session",
        "new",
        "new-window",
        "neww",
        "split-window",
        "splitw",
        "respawn-pane",
        "respawnp",
        "respawn-window",
        "respawnw",
        "run-shell",
        "run",
        "if-shell",
        "if",
        "display-popup",
        "popup",
        "pipe-pane",
        "pipep",
    ];
    // Commands whose arguments tmux parses as its own commands later (a hook, a key
    // binding, a prompt's template), which may be `run-shell`.
    const PARSES: &[&str] = &[
        "set-hook",
        "bind-key",
        "bind",
        "command-prompt",
        "confirm-before",
        "confirm",
        "display-menu",
        "menu",
    ];
    let Some(sub) = (i + 1..target).find(|&k| {
        let a = args[k].cooked.as_str();
        RUNS.contains(&a) || PARSES.contains(&a) || matches!(a, "send-keys" | "send")
    }) else {
        return Role::Data(None);
    };
    if PARSES.contains(&args[sub].cooked.as_str()) {
        return Role::Refused(Unsafe {
            why: format!(
                "tmux parses the arguments of `{}` as its own commands later, and `run-shell` among them runs a shell",
                args[sub].cooked
            ),
            construct: format!("tmux {}", args[sub].cooked),
            help: "run the command in the step itself, or give tmux the value through the environment (`tmux set-environment`) and read it there".into(),
        });
    }
    if matches!(args[sub].cooked.as_str(), "send-keys" | "send") {
        return Role::Refused(Unsafe {
            why: "it is typed into a terminal pane by `tmux send-keys`, where a shell reads it as a command".into(),
            construct: "tmux send-keys".into(),
            help: "run the command in the step itself, or pass the value in the pane's environment (`tmux new-session -e NAME=VALUE`)".into(),
        });
    }
    // The options of these commands that take a value (`-d`, `-b`, `-P`, `-E` do not).
    let (j, seen) = options(args, sub + 1, "cefFnstxylwhTS", &[]);
    if seen.iter().any(|(_, v)| *v == Some(target)) || target < j {
        return Role::Data(None);
    }
    // `if-shell SHELL-COMMAND COMMAND [COMMAND]`: only the first is a shell's; the others
    // are tmux commands (which may be `run-shell`).
    // (With `-F` the condition is a format, which the option took: no shell's command.)
    let formatted = seen.iter().any(|(o, _)| o == "-F");
    if matches!(args[sub].cooked.as_str(), "if-shell" | "if") && (target > j || formatted) {
        return Role::Refused(Unsafe {
            why: "tmux parses the commands of `if-shell` after its condition as its own commands, and `run-shell` among them runs a shell".into(),
            construct: format!("tmux {}", args[sub].cooked),
            help: "run the command in the step itself".into(),
        });
    }
    Role::Reparse(Reparse {
        inner: if matches!(args[sub].cooked.as_str(), "if-shell" | "if") {
            words_text(&args[j..=j])
        } else {
            words_text(&args[j..])
        },
        construct: format!("tmux {}", args[sub].cooked),
        travels: false,
    })
}

/// A word naming a variable: the name itself, or a subscript evaluated as arithmetic.
pub(super) fn name_role(w: &Word) -> Role {
    let sentinel = w.cooked.find(SENTINEL).unwrap_or(0);
    match w.cooked.find('[') {
        Some(open) if sentinel > open => Role::Arith,
        _ => Role::Name,
    }
}

/// `-o ProxyCommand=…` (and the other options ssh runs with a shell) holding the value at
/// `target`: refused.
pub(super) fn ssh_command_option(
    args: &[&Word],
    target: usize,
    seen: &programs::Options,
) -> Option<Role> {
    let attached = args[target].cooked.starts_with("-o")
        && seen.iter().any(|(o, v)| o.starts_with("-o") && v.is_none());
    let given = seen.iter().any(|(o, v)| o == "-o" && *v == Some(target));
    if !given && !attached {
        return None;
    }
    let option = args[target].cooked.to_ascii_lowercase();
    let option = option.trim_start_matches("-o").trim_start();
    [
        "proxycommand",
        "localcommand",
        "remotecommand",
        "knownhostscommand",
        "permitlocalcommand",
    ]
    .iter()
    .any(|k| option.starts_with(k))
    .then(|| {
        Role::Refused(Unsafe {
            why: "it stands in an ssh option that a shell runs as a command (with `%` tokens expanded)".into(),
            construct: "ssh -o …Command".into(),
            help: "give the command in an ssh config file (`-F FILE`), not from a value".into(),
        })
    })
}

/// Calls `f` with the command a container runs, the index of its program and that of
/// `args[start]` in it: the words from `start` on, after the program of
/// `--entrypoint PROGRAM` when one is given (`docker run --entrypoint sh IMAGE -c '…'`).
pub(super) fn with_entrypoint<T>(
    args: &[&Word],
    i: usize,
    start: usize,
    f: impl FnOnce(&[&Word], usize, usize) -> T,
) -> T {
    let entrypoint = (i + 1..start.min(args.len())).find_map(|k| {
        let w = args[k].cooked.as_str();
        match w.strip_prefix("--entrypoint") {
            Some("") => args.get(k + 1).map(|v| v.cooked.clone()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        }
    });
    match entrypoint.filter(|e| !e.is_empty()) {
        Some(program) if start > 0 && start <= args.len() => {
            let program = Word {
                span: args[start - 1].span.clone(),
                cooked: program,
                expansions: Vec::new(),
                quoted: false,
                redirect: false,
                herestring: false,
            };
            let mut cmd: Vec<&Word> = vec![&program];
            cmd.extend_from_slice(&args[start..]);
            f(&cmd, 0, 1)
        }
        _ => f(args, start, start),
    }
}

/// The option whose value word `index` of `args` is, when that value may name a command:
/// `ssh`/`scp`/`sftp -o` (a whole `Key=value`, `ProxyCommand` among them), `git -c`, `git
/// clone -u`/`--upload-pack`. (`-oKey=…` written together too.)
pub(super) fn option_naming_a_command(args: &[&Word], index: usize) -> Option<String> {
    let first = command_index(args);
    let program = programs::program_index(args, first);
    let name = base(&args.get(program)?.cooked);
    if index <= program {
        return None;
    }
    let word = args[index].cooked.as_str();
    let prev = args.get(index - 1).map(|w| w.cooked.as_str());
    // (`-o ConnectTimeout={{ t }}`, `-c user.name={{ n }}`: the key is the runbook's, and a
    // key that runs its value, `ProxyCommand=…`, is followed as a string parsed again.)
    let key_given = word.find(SENTINEL).is_some_and(|at| {
        word[..at]
            .trim_start_matches("-o")
            .trim_start_matches("-c")
            .contains('=')
    });
    if key_given {
        return None;
    }
    let ssh = matches!(name, "ssh" | "scp" | "sftp" | "slogin" | "autossh");
    if ssh && (prev == Some("-o") || word.starts_with("-o")) {
        return Some(format!("{name} -o"));
    }
    if name == "git" {
        let sub = args[program + 1..]
            .iter()
            .position(|w| !w.cooked.starts_with('-'));
        let before_sub = sub.is_none_or(|s| index <= program + 1 + s);
        if before_sub && (prev == Some("-c") || (word.starts_with("-c") && word.len() > 2)) {
            return Some("git -c".into());
        }
        // `git clone -u …`: `--upload-pack`, whose value git runs.
        if prev == Some("-u") && !before_sub {
            return Some("git -u".into());
        }
    }
    None
}
