//! [`command`]: the role of a word in one simple command, by what runbook knows of its
//! program, and [`role_of`], which starts it.

use super::foreign::foreign;
use super::options::{
    PRINTS, REPARSERS, SCRIPT_OPTIONS, git_config_runs, git_runs, name_role, option_runs,
    parallel_command, read_as_option, remote_path, runs_its_arguments, ssh_command_option,
    ssh_options, sub, tmux, with_entrypoint, words_text,
};
use super::role::{Ctx, Reparse, Role};
use super::types::{SENTINEL, Unsafe};
use super::variables::prompt_assignment;
use crate::shell::programs::{
    self, SHELLS, SUDO, base, command_index, find_wrapper, go_flags, has, has_dash_c, options,
    same_option, shell_options, value_of, wrapped,
};
use crate::shell::words::Word;

/// The role of word `target` in the simple command `args`.
pub(super) fn role_of(args: &[&Word], target: usize, ctx: Ctx) -> Role {
    let i = command_index(args);
    if target < i {
        // In a loop's header (`for h in …; do`): the loop's own reading of its words.
        if let Some(f) = (0..target)
            .rev()
            .find(|&k| !args[k].quoted && matches!(args[k].cooked.as_str(), "for" | "select"))
        {
            return command(args, f, target, ctx);
        }
        return prompt_assignment(args[target]).unwrap_or(Role::Data(None));
    }
    if target <= i {
        return Role::Data(None);
    }
    command(args, i, target, ctx)
}

fn command(args: &[&Word], i: usize, target: usize, ctx: Ctx) -> Role {
    let Some(name_word) = args.get(i) else {
        return Role::Data(None);
    };
    if target == i {
        // After a wrapper (`env {{ v }} …`), a value that starts with `-` would be one of
        // the wrapper's options (`env -S…`).
        return if i > 0 {
            Role::NoOption
        } else {
            Role::Data(None)
        };
    }
    let escaped = name_word.cooked.contains(crate::shell::words::OPAQUE) && name_word.quoted;
    if !name_word.expansions.is_empty() || escaped {
        // `$SH -c "…"`: which program runs the string cannot be known.
        let dash_c = (i + 1..target).any(|k| {
            let a = args[k].cooked.as_str();
            a.starts_with('-') && !a.starts_with("--") && a.contains('c')
        });
        if dash_c {
            return Role::Refused(Unsafe {
                why: "it stands in the argument of a program named by a variable, after a `-c` option: if that program is a shell, it runs the value as code".into(),
                construct: name_word.cooked.clone(),
                help: "name the shell (`bash -c`, `sh -c`), or pass the value as an argument".into(),
            });
        }
        // `$E "…"` with `E=eval`: the program may parse its arguments again, so the value
        // must be one plain word there.
        return Role::PlainWord;
    }
    let name = base(&name_word.cooked);
    let joined = |from: usize, construct: String, travels: bool| {
        if target < from {
            return Role::Data(None);
        }
        Role::Reparse(Reparse {
            inner: words_text(&args[from..]),
            construct,
            travels,
        })
    };
    let then = |j: usize, travels: bool| {
        if target < j {
            Role::Data(None)
        } else {
            command(args, j, target, Ctx { travels })
        }
    };
    if let Some(role) = option_runs(name, args, i, target, ctx) {
        return role;
    }
    if let Some(r) = programs::find_runner(args, i) {
        return runner(args, i, target, ctx, r);
    }
    match name {
        "eval" => joined(i + 1, "eval".into(), ctx.travels),
        "busybox"
            if args
                .get(i + 1)
                .is_some_and(|w| SHELLS.contains(&base(&w.cooked))) =>
        {
            then(i + 1, ctx.travels)
        }
        _ if SHELLS.contains(&name) && name != "busybox" => {
            let (j, seen) = shell_options(args, i + 1);
            let c = has_dash_c(&seen);
            if seen.iter().any(|(_, v)| *v == Some(target)) {
                return Role::Data(None);
            }
            if !c && target == j && !has(&seen, &["-s"]) {
                return Role::ScriptFile(name.to_string());
            }
            if c && target > j + 1
                && let Some(first) = runs_its_arguments(&args[j].cooked)
            {
                // `sh -c '"$@"' sh eval "…"`: the words after the script are a command.
                return then(j + first, ctx.travels);
            }
            if c && target == j {
                let flags = seen
                    .iter()
                    .filter(|(_, v)| v.is_none())
                    .map(|(o, _)| o.trim_start_matches('-'))
                    .collect::<String>();
                return Role::Reparse(Reparse {
                    inner: args[j].cooked.clone(),
                    construct: format!("{name} -{flags}"),
                    travels: ctx.travels,
                });
            }
            Role::Data(None)
        }
        "sudo" => {
            // `sudo [options] [NAME=VALUE…] COMMAND`
            let (j, seen) = wrapped(args, i, &SUDO);
            if target < j {
                // `sudo GIT_SSH_COMMAND="ssh -i {{ v }}" git …`: run by the program.
                return prompt_assignment(args[target]).unwrap_or(Role::Data(None));
            }
            if has(&seen, &["-i", "-s", "--login", "--shell"]) {
                // The login shell gets the command's words back as they were (sudo escapes
                // them): a command that parses its arguments again is followed; a plain
                // argument is held to what survives that escaping.
                return match then(j, false) {
                    Role::Data(_) | Role::NoOption | Role::Operand => Role::SudoShell,
                    role => role,
                };
            }
            then(j, false)
        }
        "env" => {
            let (operand, seen) = options(args, i + 1, programs::ENV.short, programs::ENV.long);
            if has(&seen, &["-S", "--split-string"]) && target >= operand.saturating_sub(1) {
                return Role::Reparse(Reparse {
                    inner: String::new(),
                    construct: "env -S".into(),
                    travels: false,
                });
            }
            // `env -i` and `env -` clear the environment.
            let cleared = has(&seen, &["-i", "--ignore-environment"])
                || args.get(operand).is_some_and(|w| w.cooked == "-");
            let (j, _) = wrapped(args, i, &programs::ENV);
            // env takes any `NAME=value`, `BASH_FUNC_f%%=…` too (not a shell assignment).
            let any_name = target >= operand && args[target].cooked.starts_with("BASH_FUNC_");
            if (target < j || any_name)
                && let Some(role) = prompt_assignment(args[target])
            {
                // `env GIT_SSH_COMMAND="ssh -i {{ v }}" git …`, `env PS4=…`.
                return role;
            }
            then(j, ctx.travels && !cleared)
        }
        "command" => {
            let (j, seen) = options(args, i + 1, "", &[]);
            if has(&seen, &["-v", "-V"]) {
                Role::Data(None)
            } else {
                then(j, ctx.travels)
            }
        }
        "trap" => {
            let (j, _) = options(args, i + 1, "", &[]);
            if target == j {
                Role::Reparse(Reparse {
                    inner: args[j].cooked.clone(),
                    construct: "trap".into(),
                    travels: ctx.travels,
                })
            } else {
                Role::Data(None)
            }
        }
        "alias" => {
            let w = args[target];
            let sentinel = w.cooked.find(SENTINEL).unwrap_or(0);
            match w.cooked.find('=') {
                Some(eq) if sentinel > eq => Role::Reparse(Reparse {
                    inner: w.cooked[eq + 1..].to_string(),
                    construct: "alias".into(),
                    travels: ctx.travels,
                }),
                _ => name_role(w),
            }
        }
        "." | "source" if target == i + 1 => Role::ScriptFile(name.to_string()),
        "capsh" | "start-stop-daemon" => {
            // `capsh [options] -- ARGS` runs `/bin/bash ARGS` (or `--shell=PROGRAM ARGS`);
            // `start-stop-daemon --exec PROGRAM -- ARGS` runs PROGRAM with ARGS: read as that
            // program given those words.
            let Some(dash) =
                (i + 1..args.len()).find(|&k| args[k].cooked == "--" && !args[k].quoted)
            else {
                return Role::Data(None);
            };
            if target <= dash {
                return Role::Data(None);
            }
            let before = &args[i + 1..dash];
            let program = if name == "capsh" {
                before
                    .iter()
                    .find_map(|w| w.cooked.strip_prefix("--shell="))
                    .unwrap_or("bash")
                    .to_string()
            } else {
                let value = |names: &[&str]| {
                    before.iter().enumerate().find_map(|(k, w)| {
                        names.iter().find_map(|n| {
                            if w.cooked == *n {
                                before.get(k + 1).map(|v| v.cooked.clone())
                            } else {
                                w.cooked
                                    .strip_prefix(&format!("{n}="))
                                    .filter(|_| n.starts_with("--"))
                                    .map(str::to_string)
                            }
                        })
                    })
                };
                match value(&["--startas", "-a"]).or_else(|| value(&["--exec", "-x"])) {
                    Some(p) => p,
                    None => return Role::Data(None),
                }
            };
            let named = Word {
                span: 0..0,
                cooked: program,
                expansions: Vec::new(),
                quoted: false,
                redirect: false,
                herestring: false,
            };
            let mut words: Vec<&Word> = vec![&named];
            words.extend_from_slice(&args[dash + 1..]);
            command(&words, 0, target - dash, ctx)
        }
        "parallel" | "sem" => {
            // GNU parallel hands its command to a shell, with the arguments after `:::`
            // quoted into it; which of its own words are options is not read here.
            // With no command before `:::` (only options), each argument is a command line.
            if name == "parallel"
                && let Some(sep) = (i + 1..target)
                    .find(|&k| args[k].cooked.starts_with(":::") && !args[k].quoted)
                && parallel_command(args, i, sep)
            {
                return Role::Data(None);
            }
            Role::Refused(Unsafe {
                why: format!("it stands in the command of GNU `{name}`, which a shell parses again"),
                construct: name.to_string(),
                help: "give the value after `:::` (`parallel echo {} ::: \"{{ v }}\"`: parallel quotes it), or in the step's `env:`, read as `\"$NAME\"` inside a single-quoted command".into(),
            })
        }
        "sg" => {
            // `sg GROUP [-c] COMMAND`: /bin/sh runs the command.
            let from = if args.get(i + 2).is_some_and(|w| w.cooked == "-c") {
                i + 3
            } else {
                i + 2
            };
            joined(from, "sg GROUP".into(), false)
        }
        "script" => {
            let (_, seen) = options(args, i + 1, SCRIPT_OPTIONS.0, SCRIPT_OPTIONS.1);
            match value_of(&seen, &["-c", "--command"]) {
                Some(v) if v == target => Role::Reparse(Reparse {
                    inner: args[v].cooked.clone(),
                    construct: "script -c".into(),
                    travels: false,
                }),
                _ => Role::Data(None),
            }
        }
        // `entr -s 'make && ./test'`: with `-s`, entr runs its first operand with `$SHELL -c`.
        "entr" => {
            let (j, seen) = options(args, i + 1, "", &[]);
            if !has(&seen, &["-s"]) {
                then(j, ctx.travels)
            } else if target == j {
                Role::Reparse(Reparse {
                    inner: args[j].cooked.clone(),
                    construct: "entr -s".into(),
                    travels: ctx.travels,
                })
            } else {
                Role::Data(None)
            }
        }
        "flock" => {
            let (j, _) = options(args, i + 1, "wEc", &["timeout", "conflict-exit-code"]);
            // flock [options] FILE (-c COMMAND | COMMAND [ARG…])
            match args.get(j + 1).map(|w| w.cooked.as_str()) {
                Some(c) if same_option(c, "-c") || same_option(c, "--command") => {
                    if target == j + 2 {
                        Role::Reparse(Reparse {
                            inner: args[j + 2].cooked.clone(),
                            construct: "flock -c".into(),
                            travels: ctx.travels,
                        })
                    } else {
                        Role::Data(None)
                    }
                }
                _ => then(j + 1, ctx.travels),
            }
        }
        "watch" => {
            let (j, seen) = options(args, i + 1, "nq", &["interval", "equexit"]);
            if has(&seen, &["-x", "--exec"]) {
                then(j, ctx.travels)
            } else {
                joined(j, "watch".into(), ctx.travels)
            }
        }
        // `xpanes -c 'ssh {}' HOST…`: xpanes pastes each argument into the command at `{}`
        // and has tmux type it into a pane's shell; with `-e`, each argument is a command.
        "xpanes" | "tmux-xpanes" => {
            let (_, seen) = options(args, i + 1, "cIlnSCRB", &["log", "log-format", "interval"]);
            let typed = value_of(&seen, &["-c", "-B"]) == Some(target) || has(&seen, &["-e"]);
            if typed {
                Role::Refused(Unsafe {
                    why: format!("it stands in a command that `{name}` types into a tmux pane's shell (`-c`, `-B`, `-e`), as `tmux send-keys` does, whose quoting runbook does not write"),
                    construct: format!("{name} -c"),
                    help: "write the command in a script that reads the value from its environment (the step's `env:`), or run it in the step itself".into(),
                })
            } else {
                Role::PlainWord
            }
        }
        // `systemd-run -p ExecStartPre={{ v }}`: the value would be the command the unit
        // runs.
        "systemd-run"
            if super::settings::unit_property(args, i, target)
                .is_some_and(|p| super::formats::starts_exec(&p)) =>
        {
            Role::Refused(Unsafe {
                why: "it starts the command of an `Exec…=` property of the unit `systemd-run` starts: whatever the value holds, even one word (`reboot`), it would be a command there".into(),
                construct: "systemd-run -p Exec…=".into(),
                help: "write the command in the runbook and pass the value to it as an argument".into(),
            })
        }
        "find" => {
            let mut k = i + 1;
            while k < args.len() {
                if matches!(
                    args[k].cooked.as_str(),
                    "-exec" | "-execdir" | "-ok" | "-okdir"
                ) {
                    let start = k + 1;
                    let mut end = start;
                    while end < args.len() && !matches!(args[end].cooked.as_str(), ";" | "+") {
                        end += 1;
                    }
                    if (start..end).contains(&target) {
                        return command(&args[..end], start, target, ctx);
                    }
                    k = end;
                }
                k += 1;
            }
            // `find {{ v }}` with `-exec …`: an operand must not be an option.
            if read_as_option(name, args, i, target) {
                Role::NoOption
            } else {
                Role::Data(None)
            }
        }
        "su" | "runuser" => {
            let found = programs::su_commands(args, i, name == "runuser");
            if let Some((_, inner)) = found.scripts.iter().find(|(k, _)| *k == target) {
                return Role::Reparse(Reparse {
                    inner: inner.clone().unwrap_or_else(|| args[target].cooked.clone()),
                    construct: format!("{name} -c"),
                    travels: false,
                });
            }
            match found.command {
                Some(k) => then(k, false),
                None => Role::Data(None),
            }
        }
        // `autossh -M 0 h cmd`: ssh's options, and `-M PORT`; rsh and dropbear's client
        // hand their command to the remote shell as ssh does.
        "ssh" | "autossh" | "rsh" | "remsh" | "dbclient" => {
            let (_, seen, k, after) = ssh_options(name, args, i);
            if let Some(refused) = ssh_command_option(args, target, &seen)
                .or_else(|| ssh_command_option(args, target, &after))
            {
                return refused;
            }
            // The first operand is the host; the rest, joined with spaces, is the command
            // the remote login shell parses. A value before it must not be an option.
            if target < k {
                return Role::NoOption;
            }
            joined(k, "ssh HOST".into(), false)
        }
        // `scp -o ProxyCommand=…`, `sftp -o …`: ssh's options.
        "scp" | "sftp" => {
            let (_, seen) = options(args, i + 1, "oFiPlcSJ", &[]);
            ssh_command_option(args, target, &seen).unwrap_or_else(|| {
                if name == "scp" && remote_path(&args[target].cooked) {
                    Role::PlainWord
                } else {
                    Role::NoOption
                }
            })
        }
        // `rsync "h:/var/log/{{ v }}" .`: the remote shell parses the path (rsync before
        // 3.2.4, or `--old-args`).
        "rsync" if remote_path(&args[target].cooked) => Role::PlainWord,
        // A file to write that may be `|command` (`psql -o "|sh …"`, `strace -o`, sqlite3's
        // `-cmd ".output …"`): one plain word (an audit's `|touch …` ran).
        "psql" | "gitlab-psql"
            if matches!(args[target - 1].cooked.as_str(), "-o" | "--output" | "-L" | "--log-file")
                || args[target].cooked.starts_with("--output=") =>
        {
            Role::PlainWord
        }
        "strace" | "ltrace" if args[target - 1].cooked == "-o" => Role::PlainWord,
        "sqlite3" if args[target - 1].cooked == "-cmd" => Role::PlainWord,
        // A program to run: `sort --compress-program`, `mysql --pager`, `tcpdump -z`.
        "sort" | "mysql" | "mariadb" | "tcpdump"
            if matches!(args[target - 1].cooked.as_str(), "--compress-program" | "--pager" | "-z")
                || ["--compress-program=", "--pager="]
                    .iter()
                    .any(|o| args[target].cooked.starts_with(o)) =>
        {
            Role::Refused(Unsafe {
                why: format!("it names a program that `{name}` runs"),
                construct: name.to_string(),
                help: "write the program in the runbook, and give the value only to its arguments".into(),
            })
        }
        // `rsync -e "ssh -p {{ v }}"`: rsync splits the string into the words of a command.
        "rsync"
            if matches!(args[target - 1].cooked.as_str(), "-e" | "--rsh")
                || args[target].cooked.starts_with("--rsh=")
                || args[target].cooked.starts_with("-e") =>
        {
            Role::PlainWord
        }
        "kubectl" | "oc" | "docker" | "podman" | "nerdctl" => {
            match programs::container_command(args, i) {
                Some(start) if target >= start => {
                    with_entrypoint(args, i, start, |cmd, j, first| {
                        command(cmd, j, target - start + first, Ctx { travels: false })
                    })
                }
                _ => Role::Data(None),
            }
        }
        "read" => {
            let (j, seen) = options(args, i + 1, "adinNptu", &[]);
            if value_of(&seen, &["-a"]) == Some(target) || target >= j {
                name_role(args[target])
            } else {
                Role::Data(None)
            }
        }
        "printf" if args[target - 1].cooked == "-v" && target == i + 2 => name_role(args[target]),
        "mapfile" | "readarray" => {
            let (j, seen) = options(args, i + 1, "dnOsuCc", &[]);
            if value_of(&seen, &["-C"]) == Some(target) {
                return Role::Refused(Unsafe {
                    why: format!(
                        "it is the callback of `{name} -C`, which bash evaluates as a command"
                    ),
                    construct: format!("{name} -C"),
                    help: "write the callback in the script and pass the value to it in a variable"
                        .into(),
                });
            }
            if target >= j {
                name_role(args[target])
            } else {
                Role::Data(None)
            }
        }
        "unset" | "getopts" | "for" | "select" => {
            let (j, _) = options(args, i + 1, "", &[]);
            let name_at = match name {
                "getopts" => j + 1,
                "for" | "select" => i + 1,
                _ => target,
            };
            if target == name_at && target >= j.min(i + 1) {
                name_role(args[target])
            } else {
                Role::Data(None)
            }
        }
        "[" | "[[" | "test" if args[target - 1].cooked == "-v" => name_role(args[target]),
        "wait" if args[target - 1].cooked == "-p" => name_role(args[target]),
        "declare" | "typeset" | "local" | "export" | "readonly" => {
            let (j, seen) = options(args, i + 1, "", &[]);
            let nameref = seen
                .iter()
                .any(|(o, _)| o.starts_with('-') && o.contains('n') && !o.starts_with("--"));
            if target < j {
                return Role::Data(None);
            }
            let w = args[target];
            if let Some(refused) = prompt_assignment(w) {
                return refused;
            }
            let sentinel = w.cooked.find(SENTINEL).unwrap_or(0);
            match w.cooked.find('=') {
                Some(eq) if sentinel > eq => {
                    if nameref {
                        // `declare -n ref=NAME`: the value names a variable.
                        Role::Name
                    } else if seen.iter().any(|(o, _)| o == "-a" || o == "-A")
                        && !w.cooked[eq + 1..].starts_with('(')
                    {
                        // `declare -a x="$v"`: bash reads a value that starts with `(` as
                        // a list of elements, and expands it again.
                        Role::Refused(Unsafe {
                            why: "it is assigned whole to an array by `declare -a`/`-A`, which reads a value starting with `(` as elements and expands them again".into(),
                            construct: format!("{name} -a"),
                            help: "assign the elements: `declare -a x=(\"{{ … }}\")`".into(),
                        })
                    } else if w.quoted
                        && w.cooked[eq + 1..].starts_with('(')
                        && seen.iter().any(|(o, _)| o == "-a" || o == "-A")
                    {
                        // `declare -a "a=(…)"`: declare parses the quoted text again.
                        Role::Reparse(Reparse {
                            inner: w.cooked.clone(),
                            construct: name.to_string(),
                            travels: ctx.travels,
                        })
                    } else {
                        Role::Data(None)
                    }
                }
                _ => name_role(w),
            }
        }
        "tmux" => tmux(args, i, target),
        // `screen -X stuff TEXT` types the text into a window, where a shell reads it;
        // `-X exec`/`eval` run screen commands.
        "screen"
            if (i + 1..target).any(|k| {
                args[k].cooked == "-X"
                    && args
                        .get(k + 1)
                        .is_some_and(|c| matches!(c.cooked.as_str(), "stuff" | "exec" | "eval"))
            }) =>
        {
            Role::Refused(Unsafe {
                why: "it is given to `screen -X`, which types it into a window's shell or runs it as a command".into(),
                construct: "screen -X".into(),
                help: "run the command in the step itself, or pass the value in the session's environment".into(),
            })
        }
        // `ansible-playbook -e "version={{ v }}"`: Ansible renders the values of variables
        // as Jinja templates (`{{ lookup('pipe', …) }}` runs a command): one plain word.
        "ansible" | "ansible-playbook"
            if (i + 1..target).any(|k| {
                matches!(args[k].cooked.as_str(), "-e" | "--extra-vars")
                    && k + 1 == target
            }) || args[target].cooked.starts_with("--extra-vars=") =>
        {
            Role::PlainWord
        }
        // `ansible HOSTS -m shell -a "…"`: the shell module runs the text on each host.
        "ansible" if matches!(args[target - 1].cooked.as_str(), "-a" | "--args") => {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: "ansible -a".into(),
                travels: false,
            })
        }
        // `pdsh -w HOSTS "…"`, `vagrant ssh -c "…"`: a remote shell parses the command.
        "pdsh" | "clush" => {
            let (j, _) = options(args, i + 1, "wxlRfutgX", &[]);
            joined(j, format!("{name} -w HOSTS"), false)
        }
        // Remote runners whose command a shell on each host parses: `consul exec`, `heroku
        // run`, `bolt command run`, `mco shell run`, `dsh`, `mussh -c` (an audit found the
        // value pasted raw into them).
        // `juju exec --unit u -- "…"`, juju 2's `juju run --unit u "…"`: the unit's shell
        // parses it (audit 26 HOLE-12). (Where `juju run` runs an action, the words are
        // quoted for a shell all the same: data, never code.)
        "juju" if sub(args, i, &["exec"]) || sub(args, i, &["run"]) => {
            let (j, _) = options(
                args,
                i + 2,
                "muaoB",
                &["unit", "machine", "application", "model", "timeout", "format", "output", "wait"],
            );
            let j = if args.get(j).is_some_and(|w| w.cooked == "--") { j + 1 } else { j };
            joined(j, format!("juju {}", args[i + 1].cooked), false)
        }
        // consul's flags are Go's (`-node X`, `-node=X`, `--node X`), all but `-shell` and
        // `-verbose` taking a value: `-node`, `-service` and `-tag` a regular expression of
        // where the command runs (judged in `widens/sets.rs`), not the command.
        "consul" if sub(args, i, &["exec"]) => {
            let j = go_flags(args, i + 2, &["shell", "verbose"]);
            joined(j, "consul exec".into(), false)
        }
        "heroku" if sub(args, i, &["run"]) || sub(args, i, &["run:detached"]) => {
            let (j, _) = options(args, i + 2, "ares", &["app", "remote", "size", "env", "type"]);
            joined(j, "heroku run".into(), false)
        }
        "bolt" if sub(args, i, &["command", "run"]) => {
            let (j, _) = options(
                args,
                i + 3,
                "tupi",
                &["targets", "user", "password", "run-as", "env-var", "inventoryfile", "transport", "query"],
            );
            joined(j, "bolt command run".into(), false)
        }
        "mco" if sub(args, i, &["shell", "run"]) => {
            let (j, _) = options(args, i + 3, "ITFAWC", &["target", "with", "wf", "wa", "wc", "config"]);
            joined(j, "mco shell run".into(), false)
        }
        "dsh" => {
            let (j, _) = options(
                args,
                i + 1,
                "mgrofF",
                &["machine", "group", "remoteshell", "remoteshellopt", "file", "forklimit"],
            );
            joined(j, "dsh".into(), false)
        }
        // More remote runners (audit 17): Salt's `cmd.run` and its kin take a command string
        // a shell on each minion parses; `pyinfra … exec --`, `kamal app exec`, `minikube
        // ssh --` join their words into one; `cf ssh -c` and `az vm run-command invoke
        // --scripts` take a script.
        "salt" | "salt-call" | "salt-ssh"
            if (i + 1..target).any(|k| {
                matches!(
                    args[k].cooked.as_str(),
                    "cmd.run"
                        | "cmd.shell"
                        | "cmd.run_all"
                        | "cmd.run_stdout"
                        | "cmd.run_stderr"
                        | "cmd.run_bg"
                        | "cmd.script"
                        | "cmd.exec_code"
                )
            }) =>
        {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: format!("{name} cmd.run"),
                travels: false,
            })
        }
        "pyinfra" if (i + 1..target).any(|k| args[k].cooked == "exec") => {
            match (i + 1..args.len()).find(|&k| args[k].cooked == "--") {
                Some(dashes) => joined(dashes + 1, "pyinfra exec".into(), false),
                None => joined(target, "pyinfra exec".into(), false),
            }
        }
        "kamal" if sub(args, i, &["app", "exec"]) => {
            let (j, _) = options(args, i + 3, "dr", &["destination", "roles", "hosts"]);
            joined(j, "kamal app exec".into(), false)
        }
        "minikube" if sub(args, i, &["ssh"]) => {
            let (j, _) = options(args, i + 2, "np", &["node", "profile"]);
            joined(j, "minikube ssh".into(), false)
        }
        "cf" if sub(args, i, &["ssh"])
            && matches!(args[target - 1].cooked.as_str(), "-c" | "--command") =>
        {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: "cf ssh -c".into(),
                travels: false,
            })
        }
        "az" if sub(args, i, &["vm", "run-command", "invoke"])
            && (i + 4..target).any(|k| args[k].cooked == "--scripts") =>
        {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: "az vm run-command invoke --scripts".into(),
                travels: false,
            })
        }
        // A command in JSON that a remote agent runs (`commandToExecute` of Azure's
        // CustomScript, `aws ssm send-command --parameters commands=…`, `aws ecs
        // execute-command --command`): neither grammar is followed through the other.
        "az" if args[target].cooked.contains("commandToExecute") => Role::PlainWord,
        "aws"
            if (sub(args, i, &["ssm", "send-command"])
                && (args[target].cooked.contains("commands")
                    || args[target - 1].cooked == "--parameters"))
                || (sub(args, i, &["ecs", "execute-command"])
                    && args[target - 1].cooked == "--command") =>
        {
            Role::PlainWord
        }
        "mussh" if args[target - 1].cooked == "-c" => Role::Reparse(Reparse {
            inner: args[target].cooked.clone(),
            construct: "mussh -c".into(),
            travels: false,
        }),
        "vagrant" if args[target - 1].cooked == "-c" || args[target - 1].cooked == "--command" => {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: "vagrant ssh -c".into(),
                travels: false,
            })
        }
        // bash expands each word of the list again (`$(…)` included).
        "compgen" | "complete" if args[target - 1].cooked == "-W" => Role::Reparse(Reparse {
            inner: args[target].cooked.clone(),
            construct: format!("{name} -W"),
            travels: ctx.travels,
        }),
        "git" if matches!(args[target - 1].cooked.as_str(), "-c" | "--config") => {
            let w = &args[target].cooked;
            match w.split_once('=') {
                Some((key, command)) if git_runs(key, command) => Role::Reparse(Reparse {
                    inner: command.trim_start_matches('!').to_string(),
                    construct: format!("git -c {key}"),
                    travels: false,
                }),
                _ => Role::NoOption,
            }
        }
        // `git config [--global|-f FILE|set] KEY VALUE`: a key whose value git runs with `sh`
        // (an alias starting with `!`, `core.sshCommand`, `credential.helper`…) stores the
        // value for later, where no runbook quoting reaches it.
        "git" if git_config_runs(args, i, target) => Role::Refused(Unsafe {
            why: "it is stored by `git config` under a key whose value git later runs with `sh` (an alias starting with `!`, `core.sshCommand`, `credential.helper`, `core.fsmonitor`…), beyond the step".into(),
            construct: "git config".into(),
            help: "write the command in the runbook itself and give it the value as an argument or in the environment, or give the input a `pattern`".into(),
        }),
        "rsync" | "git" | "tar" | "zip" | "curl" | "wget" => {
            if read_as_option(name, args, i, target) {
                Role::NoOption
            } else {
                Role::Data(None)
            }
        }
        "fish" | "csh" | "tcsh" => {
            let c = (i + 1..target).any(|k| {
                let a = args[k].cooked.as_str();
                a.starts_with('-') && !a.starts_with("--") && a.contains('c')
            });
            if c {
                Role::Refused(Unsafe {
                    why: format!("it stands in a script of `{name}`, whose quoting runbook does not write"),
                    construct: format!("{name} -c"),
                    help: "run the command with `sh -c` or `bash -c`, or pass the value in the environment".into(),
                })
            } else {
                Role::Data(None)
            }
        }
        _ => {
            if let Some(w) = find_wrapper(name) {
                let (j, seen) = wrapped(args, i, w);
                // `exec -c COMMAND` runs it with an empty environment.
                let cleared = name == "exec" && has(&seen, &["-c"]);
                return then(j, ctx.travels && w.keeps_env && !cleared);
            }
            // A program or function runbook does not know (`retry ssh h "…"`, `strace -o f
            // ssh h "…"`) followed by a word that names a program which parses its
            // arguments again: read as a wrapper of that program, without the environment.
            // (`rabbitmqctl eval`, `nix eval` and `redis-cli eval` are subcommands of their
            // own, audit 41 A41-11.)
            if !PRINTS.contains(&name)
                && let Some(k) = (i + 1..target).find(|&k| {
                    let w = args[k];
                    !w.quoted
                        && w.expansions.is_empty()
                        && REPARSERS.contains(&base(&w.cooked))
                        && !(base(&w.cooked) == "eval" && EVAL_SUBCOMMAND.contains(&name))
                        && !option_argument(args, k)
                })
            {
                return command(args, k, target, Ctx { travels: false });
            }
            if let Some(k) = launched(name, args, i, target) {
                return command(args, k, target, Ctx { travels: false });
            }
            match foreign(name, args, i, target) {
                Some(f) => Role::Data(Some(f)),
                // Any program reads a word that starts with `-` as an option, and options
                // run commands (`psql --output='|cmd'`, `python3 -c…`, `vim +!cmd`) or
                // change what a command does (`kubectl delete pod --all`): a value that
                // starts a word before `--` may not start with `-`.
                None if read_as_option(name, args, i, target) => Role::Operand,
                None => Role::Data(None),
            }
        }
    }
}

/// Programs whose `eval` is a subcommand of their own, not the shell's (audit 41 A41-11):
/// a function runbook does not know (`retry eval "…"`) may still run the shell's.
const EVAL_SUBCOMMAND: &[&str] = &[
    "rabbitmqctl",
    "nix",
    "cue",
    "redis-cli",
    "valkey-cli",
    "deno",
    "yq",
    "mongosh",
    "kubectl",
    "helm",
    "terraform",
    "tofu",
    "jsonnet",
    "dhall",
    "nickel",
    "bazel",
    "pulumi",
];

/// Programs whose code is an operand rather than the value of a code option (`sed 's/…/'`,
/// `jq '.x'`): not looked for behind a launcher, where the same word is more often a
/// package or file name (`apt-get install -y jq`).
const CODE_AS_OPERAND: &[&str] = &[
    "sed", "gsed", "awk", "gawk", "mawk", "nawk", "jq", "yq", "sqlite3", "bq", "gcloud",
];

/// The word of `args` (a program runbook does not know at `i`, then its words up to
/// `target`) that names the program it launches with code to run: a shell with `-c`
/// (`chroot / sh -c …`, `taskset -c 0 bash -c …`), or an interpreter given its code
/// (`poetry run python3 -c …`, `bundle exec rails runner …`, `gosu app ruby -e …`, audit 41
/// A41-10). The one walk through any launcher, for shells and other languages alike: the
/// value is read as that program reads it, quoted as if the environment did not reach it.
fn launched(name: &str, args: &[&Word], i: usize, target: usize) -> Option<usize> {
    (i + 1..target).find(|&k| {
        let w = args[k];
        let program = base(&w.cooked);
        if SHELLS.contains(&program) {
            return (k + 1..target).any(|m| {
                let o = &args[m].cooked;
                o.starts_with('-') && !o.starts_with("--") && o.contains('c')
            });
        }
        !PRINTS.contains(&name)
            && !w.quoted
            && w.expansions.is_empty()
            && program != name
            && !CODE_AS_OPERAND.contains(&program)
            && foreign(program, args, k, target).is_some()
    })
}

/// Whether word `k` of `args` is the argument of the option before it rather than a command
/// (`az network nsg rule create -n ssh --priority 100 …`: the rule's name): an option
/// word (`-n`, `--name`) before it and a long option (`--priority`) after it, which none of
/// the programs that parse their arguments again takes first (`sshpass -e ssh h "…"`, a
/// flag before a command, still runs one; a shell's `-c` is found after it anyway).
fn option_argument(args: &[&Word], k: usize) -> bool {
    // (Only `ssh`, a common name of a rule, a key or a port: `retry --quiet sudo --login
    // "…"` and `mytool -q su --login -c "…"` still run what follows.)
    if base(&args[k].cooked) != "ssh" {
        return false;
    }
    let option = k.checked_sub(1).and_then(|j| args.get(j)).is_some_and(|w| {
        let o = w.cooked.as_str();
        o.len() > 1 && o.starts_with('-') && o != "--" && !o.contains('=')
    });
    let long_next = args
        .get(k + 1)
        .is_some_and(|w| w.cooked.len() > 2 && w.cooked.starts_with("--"));
    option && long_next
}

/// The role of word `target` of a program that hands its operands to a shell
/// ([`programs::Runner`]): a command line as in `sh -c`, a word it pastes into one.
fn runner(args: &[&Word], i: usize, target: usize, ctx: Ctx, r: &programs::Runner) -> Role {
    let words = programs::runner_words(args, i, r);
    if words.pasted.contains(&target) {
        return Role::PlainWord;
    }
    let construct = std::iter::once(r.name)
        .chain(r.sub.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    let travels = ctx.travels && r.keeps_env && !words.cleared;
    let inner = match words.commands.first() {
        Some(_) if r.each && words.commands.contains(&target) => args[target].cooked.clone(),
        Some(&from) if !r.each && target >= from => words_text(&args[from..]),
        _ => return Role::Data(None),
    };
    Role::Reparse(Reparse {
        inner,
        construct,
        travels,
    })
}
