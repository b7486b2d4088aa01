//! What the shell layer knows of the programs a script names: the keywords after which the
//! next word is still a command name, the shells, and the wrappers that run the command in
//! their arguments (`sudo`, `env`, `timeout`, `xargs`, `ssh HOST`, `kubectl exec --`, …) with
//! how each one's options are read. One table, read by [`super::nested`] (where a value lands)
//! and by the destructive-command rule (which commands a script runs): they cannot disagree
//! on where a command starts.

use super::words::{Command, Word};

/// Words after which the next word is still in command position.
pub const KEYWORDS: &[&str] = &[
    "if", "then", "elif", "else", "do", "while", "until", "!", "{", "}", "fi", "done", "esac",
    "coproc",
];

/// The POSIX-family shells, whose `-c` operand is a script.
pub const SHELLS: &[&str] = &[
    "sh", "bash", "rbash", "dash", "zsh", "ksh", "mksh", "ash", "yash", "posh", "busybox",
];

/// A program that runs the command given in its arguments: `sudo [options] COMMAND …`.
#[derive(Debug)]
pub struct Wrapper {
    pub name: &'static str,
    /// Short options that take a value (`-u USER`, `-uUSER`).
    pub short: &'static str,
    /// Long options, without `--`, that take the next word as their value.
    pub long: &'static [&'static str],
    /// Operands before the command: `timeout`'s duration.
    pub operands: usize,
    /// `NAME=VALUE` words may stand before the command (`env`, `sudo`).
    pub assignments: bool,
    /// Whether the command gets the caller's environment (`sudo` and `doas` reset it).
    pub keeps_env: bool,
}

const fn wrapper(
    name: &'static str,
    short: &'static str,
    long: &'static [&'static str],
) -> Wrapper {
    Wrapper {
        name,
        short,
        long,
        operands: 0,
        assignments: false,
        keeps_env: true,
    }
}

pub const SUDO: Wrapper = Wrapper {
    assignments: true,
    keeps_env: false,
    ..wrapper(
        "sudo",
        "ugpCDrtUTRh",
        &[
            "user",
            "group",
            "prompt",
            "close-from",
            "chdir",
            "role",
            "type",
            "other-user",
            "command-timeout",
            "chroot",
            "host",
        ],
    )
};

pub const ENV: Wrapper = Wrapper {
    assignments: true,
    ..wrapper("env", "uCS", &["unset", "chdir", "split-string"])
};

/// `ssh [options] HOST [COMMAND…]`: the command words, joined with spaces, are parsed again by
/// the remote login shell.
pub const SSH: Wrapper = Wrapper {
    operands: 1,
    keeps_env: false,
    ..wrapper("ssh", "BbcDEeFIiJLlmOopQRSWw", &[])
};

/// The wrappers after whose options (and operands) the command starts, each read the same way.
pub const WRAPPERS: &[Wrapper] = &[
    SUDO,
    ENV,
    Wrapper {
        keeps_env: false,
        ..wrapper("doas", "uC", &[])
    },
    wrapper("exec", "a", &[]),
    wrapper("nohup", "", &[]),
    // `busybox APPLET …` runs the applet (`busybox sh`, `busybox awk`: audit 20 HOLE-2).
    wrapper("busybox", "", &[]),
    wrapper("builtin", "", &[]),
    wrapper("command", "", &[]),
    Wrapper {
        operands: 1,
        ..wrapper("timeout", "ks", &["kill-after", "signal"])
    },
    wrapper("nice", "n", &["adjustment"]),
    wrapper(
        "ionice",
        "cnpPu",
        &["class", "classdata", "pid", "pgid", "uid"],
    ),
    wrapper("stdbuf", "ioe", &["input", "output", "error"]),
    // bash's `time -p` and GNU time's `-f FORMAT`, `-o FILE`.
    wrapper("time", "fo", &["format", "output"]),
    wrapper("setsid", "", &[]),
    wrapper(
        "xargs",
        "adEILnPs",
        &[
            "arg-file",
            "delimiter",
            "max-lines",
            "max-args",
            "max-procs",
            "max-chars",
            "process-slot-var",
            "eof",
        ],
    ),
];

/// A program that hands its operands to a shell as command lines (audit 28 H-15): each
/// operand a command of its own (`hyperfine "CMD1" "CMD2"`, `concurrently`, `sops exec-env
/// FILE "CMD"`), or its words joined into one (`watchexec -- CMD…`, `foreman run CMD…`). A
/// value there is read as one in `sh -c "…"`. (Their options that take a command,
/// `hyperfine --prepare`, `virt-customize --run-command`, are `nested`'s `OPTIONS_RUN`.)
#[derive(Debug)]
pub struct Runner {
    pub name: &'static str,
    /// The subcommand before the options (`exec-env`, `run`).
    pub sub: &'static [&'static str],
    /// Short options that take a value, and long ones (without `--`).
    pub short: &'static str,
    pub long: &'static [&'static str],
    /// Operands before the command (`sops exec-env FILE`).
    pub operands: usize,
    /// Each operand is a command line of its own; otherwise the words are joined into one.
    pub each: bool,
    /// Whether the caller's environment reaches that shell, and the options that clear it.
    pub keeps_env: bool,
    pub clears_env: &'static [&'static str],
    /// Options whose next words the program pastes into its command lines as they are
    /// (hyperfine's `-L NAME VALUES`), with how many; `--` for the words after it
    /// (concurrently's passthrough arguments, `{1}`, `{@}`).
    pub pasted: &'static [(&'static str, usize)],
}

const fn runner(name: &'static str, sub: &'static [&'static str], each: bool) -> Runner {
    Runner {
        name,
        sub,
        short: "",
        long: &[],
        operands: 0,
        each,
        keeps_env: true,
        clears_env: &[],
        pasted: &[],
    }
}

pub const RUNNERS: &[Runner] = &[
    Runner {
        short: "wmMrspcnuSDPL",
        long: &[
            "warmup",
            "min-runs",
            "max-runs",
            "runs",
            "setup",
            "prepare",
            "conclude",
            "cleanup",
            "command-name",
            "time-unit",
            "shell",
            "style",
            "sort",
            "export-asciidoc",
            "export-csv",
            "export-json",
            "export-markdown",
            "export-orgmode",
            "output",
            "input",
            "reference",
            "parameter-step-size",
            "min-benchmarking-time",
        ],
        pasted: &[
            ("-L", 2),
            ("--parameter-list", 2),
            ("-P", 3),
            ("--parameter-scan", 3),
        ],
        ..runner("hyperfine", &[], true)
    },
    Runner {
        short: "nscplmt",
        long: &[
            "names",
            "name-separator",
            "success",
            "prefix",
            "prefix-colors",
            "prefix-length",
            "timestamp-format",
            "restart-tries",
            "restart-after",
            "max-processes",
            "default-input-target",
            "kill-signal",
            "teardown",
            "hide",
            "pad-prefix",
        ],
        pasted: &[("--", usize::MAX)],
        ..runner("concurrently", &[], true)
    },
    Runner {
        long: &["user", "filename", "input-type", "output-type"],
        operands: 1,
        clears_env: &["--pristine"],
        ..runner("sops", &["exec-env"], true)
    },
    Runner {
        long: &["user", "filename", "input-type", "output-type"],
        operands: 1,
        ..runner("sops", &["exec-file"], true)
    },
    // `--shell` is `$SHELL` or `sh` unless it is `none`: read as a shell's, which holds
    // a value at least as much.
    Runner {
        short: "wWFefijEosd",
        long: &[
            "watch",
            "watch-non-recursive",
            "watch-file",
            "exts",
            "filter",
            "filter-file",
            "filter-prog",
            "ignore",
            "ignore-file",
            "env",
            "on-busy-update",
            "signal",
            "stop-signal",
            "stop-timeout",
            "map-signal",
            "debounce",
            "delay-run",
            "shell",
            "workdir",
            "project-origin",
            "emit-events-to",
            "fs-events",
            "socket",
            "wrap-process",
            "color",
            "log-file",
            "timeout",
        ],
        ..runner("watchexec", &[], false)
    },
    Runner {
        short: "edf",
        long: &["env", "root", "procfile"],
        ..runner("foreman", &["run"], false)
    },
    Runner {
        short: "edf",
        long: &["env", "app-root", "procfile"],
        ..runner("honcho", &["run"], false)
    },
    // Rundeck's `rd adhoc -p P -- CMD…`: each node's shell runs the command.
    Runner {
        short: "pFCsu%",
        long: &[
            "project",
            "filter",
            "threadcount",
            "script",
            "url",
            "outformat",
            "delay",
        ],
        keeps_env: false,
        ..runner("rd", &["adhoc"], false)
    },
    // `rd run -j JOB -- -opt VALUE`: a job's options, pasted into its scripts by Rundeck.
    Runner {
        short: "pjiF%",
        long: &[
            "project",
            "job",
            "id",
            "filter",
            "outformat",
            "loglevel",
            "user",
            "delay",
            "at",
            "raw-options",
        ],
        keeps_env: false,
        pasted: &[("--", usize::MAX)],
        ..runner("rd", &["run"], true)
    },
];

/// The [`Runner`] at `args[i]`, with its subcommand.
pub fn find_runner<W: AsRef<str>>(args: &[W], i: usize) -> Option<&'static Runner> {
    let name = base(args.get(i)?.as_ref());
    RUNNERS.iter().find(|r| {
        r.name == name
            && r.sub
                .iter()
                .enumerate()
                .all(|(k, s)| args.get(i + 1 + k).is_some_and(|a| a.as_ref() == *s))
    })
}

/// The words of the [`Runner`] at `args[i]`: the command lines (each one, or the first of
/// those joined), the words it pastes into them, and whether an option clears the
/// environment.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RunnerWords {
    pub commands: Vec<usize>,
    pub pasted: Vec<usize>,
    pub cleared: bool,
}

pub fn runner_words<W: AsRef<str>>(args: &[W], i: usize, r: &Runner) -> RunnerWords {
    let mut out = RunnerWords::default();
    let mut k = i + 1 + r.sub.len();
    let mut operands = 0;
    let mut dashes = false;
    let mut seen = Options::new();
    while k < args.len() {
        let a = args[k].as_ref();
        if let Some((_, n)) = r.pasted.iter().find(|(o, _)| *o == a && !dashes) {
            let end = k.saturating_add(1).saturating_add(*n).min(args.len());
            out.pasted.extend(k + 1..end);
            k = end;
            continue;
        }
        if a == "--" && !dashes {
            dashes = true;
            k += 1;
            if !r.each {
                break;
            }
            continue;
        }
        if !dashes && a.starts_with('-') && a != "-" {
            // (One word at a time: a pasted option may follow.)
            let (next, more) = options(&args[..=k], k, r.short, r.long);
            seen.extend(more);
            k = next.max(k + 1);
            continue;
        }
        if !r.each {
            break;
        }
        if operands >= r.operands {
            out.commands.push(k);
        }
        operands += 1;
        k += 1;
    }
    if !r.each {
        // (The words from the first operand after the others on are one command line.)
        out.commands
            .extend(k.saturating_add(r.operands)..args.len());
    }
    out.cleared = has(&seen, r.clears_env);
    out
}

/// The wrapper named `name` (a base name: `sudo`, not `/usr/bin/sudo`).
pub fn find_wrapper(name: &str) -> Option<&'static Wrapper> {
    WRAPPERS.iter().find(|w| w.name == name)
}

/// The index of the command a wrapper at `args[i]` runs (possibly past the end), and the
/// options it was given.
pub fn wrapped<W: AsRef<str>>(args: &[W], i: usize, w: &Wrapper) -> (usize, Options) {
    let (mut j, seen) = options(args, i + 1, w.short, w.long);
    j += w.operands;
    if w.assignments {
        if w.name == "env" && args.get(j).is_some_and(|a| a.as_ref() == "-") {
            j += 1;
        }
        while args.get(j).is_some_and(|a| is_assignment(a.as_ref())) {
            j += 1;
        }
    }
    (j, seen)
}

/// The `mail` programs: a message's body on the input (a line starting with `~` is one of
/// their commands), its headers first with `-t`, a subject with `-s`.
pub const MAIL_PROGRAMS: &[&str] = &[
    "mail",
    "mailx",
    "Mail",
    "s-nail",
    "bsd-mailx",
    "heirloom-mailx",
    "nail",
];

/// A program's base name: `/usr/sbin/reboot` and `\reboot` are `reboot`.
pub fn base(name: &str) -> &str {
    let name = name.strip_prefix('\\').unwrap_or(name);
    name.rsplit('/').next().unwrap_or(name)
}

/// `NAME=value`, `NAME+=value`, `NAME[i]=value`.
pub fn is_assignment(word: &str) -> bool {
    let Some(eq) = word.find('=') else {
        return false;
    };
    let name = word[..eq].strip_suffix('+').unwrap_or(&word[..eq]);
    let name = match name.find('[') {
        Some(k) if name.ends_with(']') => &name[..k],
        Some(_) => return false,
        None => name,
    };
    name.bytes().next().is_some_and(|c| !c.is_ascii_digit())
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Whether a lexed word is an assignment (a word that is empty in the text is not).
pub fn is_assignment_word(w: &Word) -> bool {
    !w.span.is_empty() && is_assignment(&w.cooked)
}

/// The options seen by [`options`]: each as written (`-c`, `--login`) with the index of the
/// word holding its value, if it takes one.
pub type Options = Vec<(String, Option<usize>)>;

/// Reads the flags of a program written in Go with its `flag` package (consul, nomad) from
/// `args[j]`: returns the index of its first operand. A flag is `-name` or `--name`, its
/// value attached (`-node=web-1`) or the next word (`-node web-1`), except for the flags
/// named in `booleans`, which take none unless attached (`-shell=false`). `--` ends them;
/// `-` is an operand.
pub fn go_flags<W: AsRef<str>>(args: &[W], mut j: usize, booleans: &[&str]) -> usize {
    while let Some(w) = args.get(j) {
        let a = w.as_ref();
        if a == "--" {
            return j + 1;
        }
        let name = a.strip_prefix("--").or_else(|| a.strip_prefix('-'));
        let Some(name) = name.filter(|n| !n.is_empty()) else {
            break;
        };
        j += if name.contains('=') || booleans.contains(&name) {
            1
        } else {
            2
        };
    }
    j
}

/// Reads the options of a command from `args[j]`: returns the index of its first operand and
/// the options seen. `--` ends them; `-` is an operand. A short option that takes a value ends
/// its cluster (`-uroot`, `-u root`).
pub fn options<W: AsRef<str>>(
    args: &[W],
    mut j: usize,
    short_with_value: &str,
    long_with_value: &[&str],
) -> (usize, Options) {
    let mut seen = Vec::new();
    while let Some(w) = args.get(j) {
        let a = w.as_ref();
        if a == "--" {
            return (j + 1, seen);
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, attached) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            // GNU getopt takes a long option's unambiguous abbreviation (`--comm` for
            // `--command`): it is recorded under its whole name.
            let name = long_with_value
                .iter()
                .find(|l| **l == name)
                .or_else(|| {
                    let mut candidates = long_with_value
                        .iter()
                        .filter(|l| name.len() >= 2 && l.starts_with(name));
                    let first = candidates.next();
                    first.filter(|_| candidates.next().is_none())
                })
                .copied()
                .unwrap_or(name);
            if !attached && long_with_value.contains(&name) {
                seen.push((format!("--{name}"), Some(j + 1)));
                j += 2;
            } else {
                seen.push((format!("--{name}"), attached.then_some(j)));
                j += 1;
            }
            continue;
        }
        let letters: Vec<char> = a[1..].chars().collect();
        let mut value_next = false;
        for (k, c) in letters.iter().enumerate() {
            if short_with_value.contains(*c) {
                if k + 1 == letters.len() {
                    seen.push((format!("-{c}"), Some(j + 1)));
                    value_next = true;
                } else {
                    seen.push((format!("-{c}"), Some(j)));
                }
                break;
            }
            seen.push((format!("-{c}"), None));
        }
        j += if value_next { 2 } else { 1 };
    }
    (j, seen)
}

/// A shell's options: `-o NAME`, `+o NAME`, `-O NAME`, `--rcfile FILE`, clusters (`-xc`),
/// and `+` forms (`+e`).
pub fn shell_options<W: AsRef<str>>(args: &[W], mut j: usize) -> (usize, Options) {
    let mut seen = Vec::new();
    while let Some(w) = args.get(j) {
        let a = w.as_ref();
        if let Some(rest) = a.strip_prefix('+').filter(|r| !r.is_empty()) {
            if rest.contains('o') || rest.contains('O') {
                seen.push((format!("+{rest}"), Some(j + 1)));
                j += 2;
            } else {
                j += 1;
            }
            continue;
        }
        let (next, more) = options(args, j, "oO", &["rcfile", "init-file"]);
        if next == j {
            break;
        }
        let stop = more.is_empty()
            || args
                .get(next.saturating_sub(1))
                .is_some_and(|w| w.as_ref() == "--");
        seen.extend(more);
        // `options` stops at the first operand or `+…` word.
        j = next;
        if stop || !args.get(j).is_some_and(|w| w.as_ref().starts_with('+')) {
            break;
        }
    }
    (j, seen)
}

/// Whether a shell's options include `-c` (alone or in a cluster: `-xc`, `-lc`).
pub fn has_dash_c(seen: &Options) -> bool {
    seen.iter()
        .any(|(o, v)| v.is_none() && o.len() == 2 && o.ends_with('c'))
}

/// The index of the script of the shell at `args[i]` (`bash -xc SCRIPT`), with the options
/// the shell was given; no script when it has no `-c` (it runs a file or its input).
pub fn shell_script<W: AsRef<str>>(args: &[W], i: usize) -> (Option<usize>, usize, Options) {
    let (j, seen) = shell_options(args, i + 1);
    let script = (has_dash_c(&seen) && j < args.len()).then_some(j);
    (script, j, seen)
}

pub fn has(seen: &Options, names: &[&str]) -> bool {
    seen.iter()
        .any(|(o, _)| names.iter().any(|n| same_option(o, n)))
}

/// Whether an option as given is `name`, or (GNU getopt) an abbreviation of the long option
/// `name` (`--ignore-env` for `--ignore-environment`): read as the option it may be.
pub fn same_option(given: &str, name: &str) -> bool {
    given == name || (given.starts_with("--") && given.len() >= 4 && name.starts_with(given))
}

/// The value word of the last option among `names`.
pub fn value_of(seen: &Options, names: &[&str]) -> Option<usize> {
    seen.iter()
        .rev()
        .find(|(o, _)| names.iter().any(|n| same_option(o, n)))
        .and_then(|(_, v)| *v)
}

/// What `su`/`runuser` at `args[i]` runs through `/bin/sh -c`: the words holding its
/// commands (with the text of an attached `--command=…`), and for `runuser -- COMMAND…` the
/// index of the command. GNU getopt lets options follow the user name (`su - pg -c '…'`).
pub struct SuCommands {
    pub scripts: Vec<(usize, Option<String>)>,
    pub command: Option<usize>,
}

pub fn su_commands<W: AsRef<str>>(args: &[W], i: usize, runuser: bool) -> SuCommands {
    let mut found = SuCommands {
        scripts: Vec::new(),
        command: None,
    };
    let mut k = i + 1;
    while k < args.len() {
        let a = args[k].as_ref();
        if a == "--" {
            if runuser {
                found.command = Some(k + 1);
            }
            break;
        }
        let cluster = a.starts_with('-')
            && !a.starts_with("--")
            && a.len() > 2
            && (a.ends_with('c') || a.ends_with('C'))
            && a[1..a.len() - 1].bytes().all(|b| b"lmpf".contains(&b));
        let (value, inner) = match a {
            "-c" | "-C" | "--command" | "--session-command" => (k + 1, None),
            _ if cluster => (k + 1, None),
            _ if a.starts_with("--command=") || a.starts_with("--session-command=") => {
                (k, a.split_once('=').map(|x| x.1.to_string()))
            }
            _ if a.len() > 2 && (a.starts_with("-c") || a.starts_with("-C")) => {
                (k, Some(a[2..].to_string()))
            }
            _ => {
                k += 1;
                continue;
            }
        };
        if value < args.len() {
            found.scripts.push((value, inner));
        }
        k = value + 1;
    }
    found
}

/// Where the command of `kubectl`/`oc exec|run|debug|create` or `docker`/`podman`/`nerdctl
/// exec|run|create` at `args[i]` starts, if it has one.
pub fn container_command<W: AsRef<str>>(args: &[W], i: usize) -> Option<usize> {
    let name = base(args.get(i)?.as_ref());
    let find = |subs: &[&str]| (i + 1..args.len()).find(|&k| subs.contains(&args[k].as_ref()));
    let dash = || args.iter().position(|w| w.as_ref() == "--");
    match name {
        "kubectl" | "oc" => {
            let sub = find(&["exec", "run", "debug", "attach", "rsh", "create"])?;
            if !matches!(args[sub].as_ref(), "exec" | "rsh") {
                // `kubectl run NAME --image=… -- COMMAND…`, `kubectl create job|cronjob|
                // deployment NAME --image=… -- COMMAND…` (audit 26 HOLE-11)
                return dash().filter(|&d| d > sub).map(|d| d + 1);
            }
            let (j, _) = options(
                args,
                sub + 1,
                "cnf",
                &[
                    "container",
                    "namespace",
                    "filename",
                    "pod-running-timeout",
                    "context",
                    "kubeconfig",
                ],
            );
            // `kubectl exec POD -- CMD…` (the `--` is read by `options`), or the old
            // `kubectl exec POD CMD…`.
            Some(match dash() {
                Some(d) if d > sub => d + 1,
                _ => j + 1,
            })
        }
        "docker" | "podman" | "nerdctl" => {
            let sub = find(&["exec", "run", "create"])?;
            let (j, _) = options(args, sub + 1, "euwvpl", DOCKER_LONG);
            // `exec [options] CONTAINER COMMAND…`, `run [options] IMAGE [COMMAND…]`.
            Some(j + 1)
        }
        _ => None,
    }
}

/// The long options of `docker run`/`exec` that take a value.
const DOCKER_LONG: &[&str] = &[
    "env",
    "env-file",
    "user",
    "workdir",
    "detach-keys",
    "volume",
    "publish",
    "label",
    "name",
    "network",
    "entrypoint",
    "mount",
    "hostname",
    "platform",
    "pull",
    "restart",
    "memory",
    "cpus",
    "add-host",
    "cap-add",
    "cap-drop",
    "device",
    "dns",
    "log-driver",
    "log-opt",
    "security-opt",
    "tmpfs",
    "ulimit",
];

/// Where the command of `args` starts: past keywords and assignments, and past the header of
/// a `for`/`select` loop on the same line (`for h do ssh "$h" …`).
pub fn command_index(args: &[&Word]) -> usize {
    let mut i = 0;
    while let Some(w) = args.get(i) {
        if !w.quoted && matches!(w.cooked.as_str(), "for" | "select") {
            match args[i..].iter().position(|a| !a.quoted && a.cooked == "do") {
                Some(d) => {
                    i += d + 1;
                    continue;
                }
                // The header alone: `for` reads it (its variable is a name).
                None => return i,
            }
        }
        if !w.quoted && KEYWORDS.contains(&w.cooked.as_str()) || is_assignment_word(w) {
            i += 1;
            continue;
        }
        break;
    }
    i
}

/// Whether the commands of a substitution print only numbers, whatever their arguments
/// hold: one pipeline ending in `pgrep` (without `-l`, `-a` or `-d`), `pidof` or `wc`
/// reading its input, maybe through `head`, `tail`, `sort` or `uniq` (`kill $(pgrep -f
/// "{{ v }}")`: the value picks the processes, and only their numbers reach `kill`).
/// [`prints_only_numbers`] of the substitution whose inside is `inner` in `text`.
pub fn substitution_prints_only_numbers(text: &str, inner: std::ops::Range<usize>) -> bool {
    super::words::commands(text, inner).is_some_and(|l| prints_only_numbers(&l))
}

pub fn prints_only_numbers(list: &[Command]) -> bool {
    // `pgrep -f x || true`: a command after it that prints nothing (`true`, `:`).
    let mut list = list;
    while let Some((last, before)) = list.split_last()
        && before.last().is_some_and(|c| !c.piped)
        && matches!(last.args().as_slice(), [w] if matches!(w.cooked.as_str(), "true" | ":"))
    {
        list = before;
    }
    let Some((last, before)) = list.split_last() else {
        return false;
    };
    if last.piped || before.iter().any(|c| !c.piped) {
        return false;
    }
    for cmd in list.iter().rev() {
        let args = cmd.args();
        let i = program_index(&args, command_index(&args));
        let Some(name) = args.get(i).map(|w| base(&w.cooked)) else {
            return false;
        };
        let rest = &args[i + 1..];
        let options_only = rest
            .iter()
            .all(|w| w.cooked.starts_with('-') || w.cooked.chars().all(|c| c.is_ascii_digit()));
        match name {
            "head" | "tail" | "sort" | "uniq" if options_only => continue,
            "wc" => return options_only,
            // (`-d SEP`, `-S SEP`: a separator of the caller's.)
            "pidof" => {
                return !rest.iter().any(|w| {
                    let a = w.cooked.as_str();
                    a.starts_with("--separator")
                        || (a.starts_with('-') && !a.starts_with("--") && a.contains(['d', 'S']))
                });
            }
            // `grep -c x FILE`: a count (of one file: of several, each file's name too).
            "grep" | "egrep" | "fgrep" => {
                let short = |w: &&Word, c: &[char]| {
                    let a = w.cooked.as_str();
                    a.starts_with('-') && !a.starts_with("--") && a.contains(c)
                };
                let counts = rest
                    .iter()
                    .any(|w| w.cooked == "--count" || short(w, &['c']));
                // (Options that print file names: `-H`, `-l`, `-L`, recursion, `-Z`.)
                let names = rest.iter().any(|w| {
                    let a = w.cooked.as_str();
                    matches!(
                        a,
                        "--with-filename" | "--recursive" | "--dereference-recursive" | "--null"
                    ) || a.starts_with("--files-with")
                        || a.starts_with("--directories")
                        || a == "recurse"
                        || short(w, &['H', 'r', 'R', 'l', 'L', 'Z'])
                });
                let operands = rest.iter().filter(|w| !w.cooked.starts_with('-')).count();
                return counts && !names && operands <= 2;
            }
            "pgrep" => {
                return !rest.iter().any(|w| {
                    let a = w.cooked.as_str();
                    matches!(a, "--list-name" | "--list-full" | "--delimiter")
                        || a.starts_with("--delimiter=")
                        || (a.starts_with('-')
                            && !a.starts_with("--")
                            && a.contains(['l', 'a', 'd']))
                });
            }
            _ => return false,
        }
    }
    false
}

/// The program a simple command runs, past keywords, assignments and wrappers (`sudo`,
/// `timeout 5`, `env A=1`): its index in `args` (possibly past the end).
pub fn program_index<W: AsRef<str>>(args: &[W], from: usize) -> usize {
    let mut i = from;
    while let Some(w) = args.get(i).and_then(|a| find_wrapper(base(a.as_ref()))) {
        let (j, _) = wrapped(args, i, w);
        if j <= i {
            break;
        }
        i = j;
    }
    i
}

#[cfg(test)]
mod tests {

    #[test]
    fn go_flags_take_their_value_attached_or_next() {
        let w = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let b = &["shell", "verbose"];
        assert_eq!(go_flags(&w("-node web-1 uptime"), 0, b), 2);
        assert_eq!(
            go_flags(&w("--node=web-1 -verbose -shell=false uptime"), 0, b),
            3
        );
        assert_eq!(go_flags(&w("-service api -tag x -- -v"), 0, b), 5);
        assert_eq!(go_flags(&w("- uptime"), 0, b), 0);
        assert_eq!(go_flags(&w("-wait"), 0, b), 2);
    }
    use super::*;

    #[test]
    fn wrappers_skip_their_options_operands_and_assignments() {
        let at = |line: &str| {
            let args: Vec<&str> = line.split(' ').collect();
            let w = find_wrapper(args[0]).map_or(&SSH, |w| w);
            wrapped(&args, 0, w).0
        };
        assert_eq!(at("sudo -u root -E rm"), 4);
        assert_eq!(at("sudo -uroot A=1 rm"), 3);
        assert_eq!(at("env -i - A=1 B=2 rm"), 5);
        assert_eq!(at("timeout -s KILL 5 rm"), 4);
        assert_eq!(at("timeout --signal=KILL 5 rm"), 3);
        assert_eq!(at("xargs -0 -n 1 rm"), 4);
        assert_eq!(at("nice -- rm"), 2);
        assert_eq!(at("ssh -p 22 -J j web-1 rm"), 6);
    }

    #[test]
    fn shell_scripts_and_su_commands() {
        let args = ["bash", "--noprofile", "-o", "pipefail", "-xc", "echo"];
        assert_eq!(shell_script(&args, 0).0, Some(5));
        assert_eq!(shell_script(&["bash", "file.sh"], 0).0, None);
        assert_eq!(shell_script(&["sh", "-c"], 0).0, None);
        let su = su_commands(&["su", "-", "pg", "-lc", "x", "--command=y"], 0, false);
        assert_eq!(su.scripts, vec![(4, None), (5, Some("y".to_string()))]);
        let ru = su_commands(&["runuser", "-u", "pg", "--", "rm"], 0, true);
        assert_eq!(ru.command, Some(4));
    }

    #[test]
    fn substitutions_that_print_only_numbers() {
        let numbers = |s: &str| {
            super::super::words::commands(s, 0..s.len()).is_some_and(|l| prints_only_numbers(&l))
        };
        for s in [
            "pgrep -f x",
            "pgrep -f x | head -1",
            "pidof nginx",
            "ps aux | grep x | wc -l",
            "sudo pgrep -u app x | sort -n",
            "pgrep -f x || true",
            "pgrep -o -f x || :",
            "grep -c x /etc/services",
            "grep --count -i x f || true",
        ] {
            assert!(numbers(s), "{s}");
        }
        for s in [
            "pgrep -af x",
            "pgrep -l x",
            "pgrep -d \"x\" y",
            "pidof -d \" -1 \" a b",
            "pgrep x; echo y",
            "wc -l file",
            "echo x | head -1",
            "pgrep x | tail /etc/passwd",
            "pgrep x || echo none",
            "true",
            "grep -c x a b",
            "grep -rc x /etc",
            "grep -Hc x f",
            "grep -cl x f",
            "grep -c --files-with-matches x f",
            "grep -c -d recurse x f",
            "grep x f",
            "",
        ] {
            assert!(!numbers(s), "{s}");
        }
    }

    #[test]
    fn runners_hand_their_operands_to_a_shell() {
        let at = |line: &str| {
            let args: Vec<&str> = line.split(' ').collect();
            let r = find_runner(&args, 0).map(|r| runner_words(&args, 0, r));
            r.map(|w| (w.commands, w.pasted, w.cleared))
        };
        let some = |c: &[usize], p: &[usize], cleared| Some((c.to_vec(), p.to_vec(), cleared));
        assert_eq!(at("hyperfine -w 3 a -i b"), some(&[3, 5], &[], false));
        assert_eq!(at("hyperfine -L v 1,2 a"), some(&[4], &[2, 3], false));
        assert_eq!(
            at("sops exec-env --pristine s.yaml a"),
            some(&[4], &[], true)
        );
        assert_eq!(
            at("concurrently -k a b -- x y"),
            some(&[2, 3], &[5, 6], false)
        );
        assert_eq!(
            at("watchexec -w src -- make test"),
            some(&[4, 5], &[], false)
        );
        assert_eq!(at("watchexec -e rs cargo test"), some(&[3, 4], &[], false));
        assert_eq!(at("foreman run -e .env rake db"), some(&[4, 5], &[], false));
        assert_eq!(at("rd run -p P -j J -- -opt x"), some(&[], &[7, 8], false));
        assert_eq!(at("sops -d s.yaml"), None);
        assert_eq!(at("foreman start"), None);
    }

    #[test]
    fn container_commands() {
        let at = |line: &str| {
            let args: Vec<&str> = line.split(' ').collect();
            container_command(&args, 0)
        };
        assert_eq!(at("kubectl exec -n ns pod -- rm"), Some(6));
        assert_eq!(at("kubectl exec pod rm"), Some(3));
        assert_eq!(at("kubectl run x --image=i -- rm"), Some(5));
        assert_eq!(at("kubectl get pods"), None);
        assert_eq!(at("docker exec -u root c rm"), Some(5));
        assert_eq!(at("ls"), None);
    }
}
