//! Readers of standard input: which command reads a here-document, a here-string or a pipe,
//! and whether as a shell script, another language's code, or data.

use super::foreign::{
    AWK, CodeOf, DC, ED, LUA, LUA_PHP, M4, MYSQL_STDIN, NODE, PERL, PSQL_STDIN, PYTHON, REDIS, SED,
    TCL, calls_shell,
};
use super::options::{
    SCRIPT_OPTIONS, image_command_reads_input, parallel_command, ssh_options, with_entrypoint,
    words_text,
};
use super::role::Ctx;
use super::types::Foreign;
use crate::shell::programs::{
    self, KEYWORDS, SHELLS, SUDO, base, command_index, find_wrapper, has, is_assignment_word,
    options, shell_options, wrapped,
};
use crate::shell::words::{Command, Word, commands};

/// The file a command writes its input to (`cat > F`, `cat >> F`, `tee [-a] F`), as written.
pub(super) fn input_written_to(text: &str, cmd: &Command) -> Option<String> {
    let args = cmd.args();
    let i = command_index(&args);
    let as_written = |w: &Word| {
        let raw = text.get(w.span.clone())?;
        Some(raw.strip_prefix("./").unwrap_or(raw).to_string())
    };
    match base(&args.get(i)?.cooked) {
        "cat" if args.len() == i + 1 => cmd
            .words
            .iter()
            .find(|w| {
                let before = text[..w.span.start].trim_end();
                w.redirect && !w.herestring && before.ends_with('>') && !before.ends_with(">&")
            })
            .and_then(as_written),
        "tee" | "sponge" => args[i + 1..]
            .iter()
            .find(|a| !a.cooked.starts_with('-'))
            .and_then(|w| as_written(w)),
        // `install -m 755 /dev/stdin job.sh`, `cp /dev/stdin job.sh`: the last operand.
        "cp" | "install" if args[i + 1..].iter().any(|a| stdin_file(&a.cooked)) => {
            args.last().and_then(|w| as_written(w))
        }
        // `dd of=job.sh` with no `if=`.
        "dd" if !args[i + 1..].iter().any(|a| a.cooked.starts_with("if=")) => args[i + 1..]
            .iter()
            .find_map(|a| a.cooked.strip_prefix("of="))
            .map(|f| f.strip_prefix("./").unwrap_or(f).to_string()),
        _ => None,
    }
}

/// The file a command on another host or in a container writes its input to (`ssh h "cat >
/// f.sh"`, `kubectl exec -i pod -- tee f.sh`), as written there.
pub(super) fn remote_input_written_to(args: &[&Word]) -> Option<String> {
    let i = programs::program_index(args, command_index(args));
    let name = base(&args.get(i)?.cooked);
    let start = match name {
        "ssh" | "autossh" | "rsh" | "remsh" | "dbclient" => {
            let (_, seen, k, after) = ssh_options(name, args, i);
            if has(&seen, &["-n"]) || has(&after, &["-n"]) {
                return None;
            }
            k
        }
        "kubectl" | "oc" | "docker" | "podman" | "nerdctl" => programs::container_command(args, i)?,
        _ => return None,
    };
    let remote = words_text(args.get(start..)?);
    let list = commands(&remote, 0..remote.len())?;
    list.iter().find_map(|c| input_written_to(&remote, c))
}

/// `make -f -`, `gmake --file=/dev/stdin`: the makefile is read from standard input.
pub(super) fn makefile_on_stdin(args: &[&Word]) -> Option<String> {
    let i = command_index(args);
    let name = base(&args.get(i)?.cooked);
    if !matches!(name, "make" | "gmake" | "bmake") {
        return None;
    }
    let stdin = |v: &str| v == "-" || stdin_file(v);
    let rest = &args[i + 1..];
    rest.iter()
        .enumerate()
        .any(|(k, a)| {
            let a = a.cooked.as_str();
            (matches!(a, "-f" | "--file" | "--makefile")
                && rest.get(k + 1).is_some_and(|n| stdin(&n.cooked)))
                || ["-f", "--file=", "--makefile="]
                    .iter()
                    .any(|p| a.strip_prefix(p).is_some_and(stdin))
        })
        .then(|| format!("{name} -f -"))
}

/// Commands that read their input as data, never as a script.
pub(super) const DATA_READERS: &[&str] = &[
    "cat",
    "tee",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "sed",
    "awk",
    "gawk",
    "jq",
    "yq",
    "sort",
    "uniq",
    "wc",
    "head",
    "tail",
    "cut",
    "tr",
    "base64",
    "gpg",
    "openssl",
    "mail",
    "sendmail",
    "logger",
    "wall",
    "psql",
    "mysql",
    "sqlite3",
    "redis-cli",
    "mongosh",
    "curl",
    "wget",
    "kubectl",
    "read",
    "mapfile",
    "readarray",
    "while",
    "until",
    "crontab",
    "patch",
    "git",
    "dd",
    "gzip",
    "gunzip",
    "xz",
    "zstd",
    "python",
    "python3",
    "perl",
    "ruby",
    "node",
    "php",
    "lua",
    "printf",
    "echo",
    ":",
    "true",
    "diff",
    "cmp",
    "md5sum",
    "sha256sum",
    "nc",
    "socat",
];

/// The shell or `ssh` that a command runbook does not otherwise follow names: in its words
/// (and the strings among them), in the body of the function it calls, or in the group of
/// commands (`{ …; }`, `( … )`, a loop) that the redirection belongs to.
pub(super) fn shell_named(text: &str, list: &[Command], n: usize) -> Option<(String, bool)> {
    let args = list[n].args();
    let closes_group = args
        .first()
        .is_some_and(|w| matches!(w.cooked.as_str(), "}" | ")" | "done" | "fi" | "esac"))
        || args
            .last()
            .is_some_and(|w| matches!(w.cooked.as_str(), "}" | ")"));
    // Past the wrappers runbook knows (`timeout 5 chroot / bash`) to the program they run;
    // a program whose reading of its input runbook knows (a shell, `ssh`, `su`, `cat`…) was
    // followed already.
    let mut i = command_index(&args);
    let program = loop {
        let Some(w) = args.get(i) else {
            break None;
        };
        let name = base(&w.cooked);
        let known = name == "ssh"
            || SHELLS.contains(&name)
            || DATA_READERS.contains(&name)
            || matches!(name, "su" | "runuser" | "at" | "batch" | "." | "source");
        if known && !closes_group {
            return None;
        }
        match find_wrapper(name) {
            Some(wrapper) if !closes_group && i + 1 < args.len() => {
                let j = wrapped(&args, i, wrapper).0;
                if j <= i {
                    break Some(name.to_string());
                }
                i = j;
            }
            _ => break Some(name.to_string()),
        }
    };
    let mut texts: Vec<String> = args.iter().skip(i).map(|w| w.cooked.clone()).collect();
    if closes_group {
        // The commands of the group: back to the line that opened it.
        for cmd in list[..n].iter().rev().take(32) {
            texts.extend(cmd.words.iter().map(|w| w.cooked.clone()));
            texts.push(";".into());
        }
    }
    let function = program.as_ref().is_some_and(|p| {
        (text.contains("()") || text.contains("function "))
            && crate::shell::flow::functions(text).contains(p)
    });
    if function && let Some(p) = &program {
        let body = crate::shell::flow::function_body(text, p);
        // `runit() { "$@"; }; runit chroot / <<EOF`: a function that runs its arguments
        // as a command gives them the input (after a `shift`, any of them may be the
        // command: `as() { local u=$1; shift; "$@"; }; as root chroot / <<EOF`).
        let shifts = body.contains("shift") || body.contains("set --");
        if (body.contains("$@") || body.contains("$*"))
            && let Some((construct, _)) = (i + 1..args.len())
                .take(if shifts { usize::MAX } else { 1 })
                .find_map(|k| reads_stdin_as_script(&args[k..], 0, Ctx { travels: false }))
        {
            return Some((construct, false));
        }
        // `in_root() { chroot / "$@"; }; in_root <<EOF`: a command of the body that reads
        // its input as a script, given nothing more.
        if let Some(construct) = commands(&body, 0..body.len()).and_then(|list| {
            list.iter().find_map(|c| {
                let words: Vec<&Word> = c
                    .args()
                    .into_iter()
                    .filter(|w| {
                        !matches!(
                            body.get(w.span.clone()).unwrap_or(""),
                            "$@" | "$*" | "\"$@\"" | "\"$*\""
                        )
                    })
                    .collect();
                // (A function runs in the script's environment.)
                reads_stdin_as_script(&words, 0, Ctx { travels: true })
            })
        }) {
            return Some(construct);
        }
        texts.push(body);
    }
    let shell = shell_in(&texts)?;
    // A group or a function runs in this shell's environment; another program may not pass
    // it on (`chroot`, `ssh`).
    let travels = (closes_group || function) && shell != "ssh";
    Some((shell, travels))
}

/// The shell (or `ssh`) that command `k` starts when it is a function of the script whose
/// body names one, or opens a group (`( … )`, `{ …; }`) one of whose commands does.
pub(super) fn group_or_function_shell(text: &str, list: &[Command], k: usize) -> Option<String> {
    let args = list.get(k)?.args();
    let first = args.first()?;
    // The text between two commands (operators, and the parentheses and braces of groups,
    // which the command list does not keep as words).
    let between = |a: usize, b: usize| -> &str {
        let end = list
            .get(a)
            .and_then(|c| c.words.last())
            .map_or(0, |w| w.span.end);
        let start = list
            .get(b)
            .and_then(|c| c.words.first())
            .map_or(text.len(), |w| w.span.start);
        text.get(end..start.max(end)).unwrap_or("")
    };
    let mut texts: Vec<String> = Vec::new();
    let brace = |w: Option<&Word>, c: &str| w.is_some_and(|w| !w.quoted && w.cooked == c);
    if (k > 0 && between(k - 1, k).contains('(')) || brace(Some(first), "{") {
        for m in k..list.len().min(k + 32) {
            texts.extend(list[m].args().iter().map(|w| w.cooked.clone()));
            if between(m, m + 1).contains(')')
                || brace(list.get(m + 1).and_then(|c| c.words.first()), "}")
            {
                break;
            }
        }
    } else {
        let name = args.get(command_index(&args))?;
        if !name.expansions.is_empty()
            || !(text.contains("()") || text.contains("function "))
            || !crate::shell::flow::functions(text).contains(&name.cooked)
        {
            return None;
        }
        texts.push(crate::shell::flow::function_body(text, &name.cooked));
    }
    shell_in(&texts)
}

/// The first shell (or `ssh`) named in `texts`, word by word.
fn shell_in(texts: &[String]) -> Option<String> {
    // (Words, and `;` where a command ends, so that ssh's command is not the next one's.)
    let words: Vec<&str> = texts
        .iter()
        .flat_map(|t| {
            t.split_inclusive(|c: char| c == '\n' || ";&|(){}".contains(c))
                .flat_map(|piece| {
                    let ends = piece.ends_with(|c: char| c == '\n' || ";&|(){}".contains(c));
                    piece
                        .split(|c: char| c.is_whitespace() || ";&|(){}'\"`".contains(c))
                        .filter(|w| !w.is_empty())
                        .chain(ends.then_some(";"))
                })
        })
        .collect();
    words.iter().enumerate().find_map(|(k, w)| {
        let w = base(w);
        // (`ssh -n h …` reads nothing of its input: `while read -r h; do ssh -n "$h"
        // uptime; done <<< "…"` gives the document to `read` alone.)
        ((SHELLS.contains(&w) && w != "busybox")
            || (w == "ssh" && !ssh_reads_no_input(&words[k + 1..])))
        .then(|| w.to_string())
    })
}

/// Whether ssh's options (the words after `ssh`) hold `-n`, which gives it no input, or
/// its command is a program that is not a shell (`ssh h "logger …"`: the input is that
/// program's data).
fn ssh_reads_no_input(after: &[&str]) -> bool {
    let mut k = 0;
    while let Some(w) = after.get(k) {
        if !w.starts_with('-') || w.starts_with("--") || w.len() < 2 {
            // The host, then the command.
            return after.get(k + 1).is_some_and(|c| {
                let c = base(c);
                c != ";"
                    && !c.starts_with('$')
                    && !c.is_empty()
                    && !SHELLS.contains(&c)
                    && !matches!(
                        c,
                        "sudo" | "exec" | "env" | "su" | "doas" | "eval" | "source" | "."
                    )
                    && find_wrapper(c).is_none()
            });
        }
        if w[1..].contains('n') && w[1..].chars().all(|c| c.is_ascii_alphanumeric()) {
            return true;
        }
        // An option whose argument is the next word.
        let last = w.chars().last().unwrap_or('-');
        k += if w.len() == 2 && "bcDEeFIiJLlmOopQRSWw".contains(last) {
            2
        } else {
            1
        };
    }
    false
}

/// `cat` or `tee FILE…`: the output is the input.
pub(super) fn passes_input_on(args: &[&Word]) -> bool {
    match args.first().map(|w| base(&w.cooked)) {
        Some("cat") => args.len() == 1 || (args.len() == 2 && args[1].cooked == "-"),
        Some("tee") => args[1..]
            .iter()
            .all(|w| !w.cooked.starts_with('-') || w.cooked == "-a"),
        _ => false,
    }
}

/// Whether the command `args[i..]` reads its standard input as a shell script: its construct
/// and whether the environment reaches that shell.
pub(super) fn reads_stdin_as_script(args: &[&Word], i: usize, ctx: Ctx) -> Option<(String, bool)> {
    let mut i = i;
    while args.get(i).is_some_and(|w| {
        !w.quoted && KEYWORDS.contains(&w.cooked.as_str()) || is_assignment_word(w)
    }) {
        i += 1;
    }
    let w = args.get(i)?;
    if !w.expansions.is_empty() {
        return None;
    }
    let name = base(&w.cooked);
    match name {
        _ if SHELLS.contains(&name) && name != "busybox" => {
            let (j, seen) = shell_options(args, i + 1);
            let c = seen
                .iter()
                .any(|(o, v)| v.is_none() && o.len() == 2 && o.ends_with('c'));
            let s = seen.iter().any(|(o, _)| o == "-s");
            let operand = args.get(j).map(|w| w.cooked.as_str());
            // `bash /dev/fd/3 3<<EOF`: a descriptor this command's redirections open.
            let stdin = operand.is_none_or(|o| o == "-" || descriptor_file(o));
            if c {
                // `sh -c "cd /tmp && sh"`: a command of the script reads the input.
                let script = args.get(j)?.cooked.clone();
                let list = commands(&script, 0..script.len())?;
                return list
                    .iter()
                    .find_map(|cmd| {
                        reads_stdin_as_script(
                            &cmd.args(),
                            0,
                            Ctx {
                                travels: ctx.travels,
                            },
                        )
                    })
                    .map(|(inner, t)| (format!("{name} -c … {inner}"), t));
            }
            (s || stdin).then(|| (name.to_string(), ctx.travels))
        }
        "." | "source" => args
            .get(i + 1)
            .is_some_and(|w| stdin_file(&w.cooked))
            .then(|| (format!("{name} /dev/stdin"), ctx.travels)),
        "sudo" => {
            let (j, seen) = wrapped(args, i, &SUDO);
            if j >= args.len() && has(&seen, &["-i", "-s", "--login", "--shell"]) {
                return Some(("sudo -s".into(), false));
            }
            reads_stdin_as_script(args, j, Ctx { travels: false })
        }
        // `su - postgres <<EOF`: without `-c`, su's shell reads the document.
        "su" | "runuser" => {
            let found = programs::su_commands(args, i, name == "runuser");
            match found.command {
                Some(k) => reads_stdin_as_script(args, k, Ctx { travels: false }),
                None if found.scripts.is_empty() => Some((name.to_string(), false)),
                None => None,
            }
        }
        // `echo … | at now`: at runs its input with sh later.
        "at" | "batch" => Some((name.to_string(), false)),
        // `echo … | parallel` with no command: each line of the input is a command line.
        "parallel"
            if !args[i + 1..].iter().any(|w| w.cooked.starts_with(":::"))
                && !parallel_command(args, i, args.len()) =>
        {
            Some(("parallel".into(), false))
        }
        // `chroot /host <<EOF`, `nsenter -t 1 -m <<EOF`, `newgrp docker <<EOF`: given no
        // command, these start a shell (the user's, or `/bin/sh`), which reads the input.
        "chroot" | "nsenter" | "unshare" | "newgrp" | "script" | "firejail" | "fakeroot" => {
            let (short, long, operands): (&str, &[&str], usize) = match name {
                "chroot" => ("", &["userspec", "groups"], 1),
                "nsenter" => ("tSG", &["target", "setuid", "setgid"], 0),
                "unshare" => (
                    "RwSG",
                    &[
                        "root",
                        "wd",
                        "setuid",
                        "setgid",
                        "map-user",
                        "map-group",
                        "map-users",
                        "map-groups",
                        "propagation",
                    ],
                    0,
                ),
                "fakeroot" => ("lfsib", &["lib", "faked"], 0),
                "script" => (SCRIPT_OPTIONS.0, SCRIPT_OPTIONS.1, 0),
                // newgrp [-] [GROUP], firejail [--option=value…] [PROGRAM]
                _ => ("", &[], 0),
            };
            let (j, seen) = options(args, i + 1, short, long);
            let start = j + operands;
            let shell = match name {
                // newgrp never runs a command; script's operand is its log, not one.
                "newgrp" => true,
                "script" => !has(&seen, &["-c", "--command"]),
                _ => start >= args.len(),
            };
            if shell {
                return Some((format!("{name} (the shell it starts)"), false));
            }
            if matches!(name, "newgrp" | "script") {
                return None;
            }
            reads_stdin_as_script(args, start, Ctx { travels: false })
        }
        "ssh" | "autossh" | "rsh" | "remsh" | "dbclient" => {
            let (_, seen, k, after) = ssh_options(name, args, i);
            if has(&seen, &["-n"]) || has(&after, &["-n"]) {
                return None;
            }
            if k >= args.len() {
                return Some(("ssh HOST".into(), false));
            }
            // `ssh HOST bash -s`, `ssh HOST "cd /tmp && bash -s"`: a command of the remote
            // script reads the input.
            let remote = words_text(&args[k..]);
            let list = commands(&remote, 0..remote.len())?;
            list.iter()
                .find_map(|cmd| reads_stdin_as_script(&cmd.args(), 0, Ctx { travels: false }))
                .map(|(c, _)| (format!("ssh HOST {c}"), false))
        }
        "kubectl" | "oc" | "docker" | "podman" | "nerdctl" => {
            if let Some(construct) = image_command_reads_input(args, i) {
                return Some((construct, false));
            }
            let start = programs::container_command(args, i)?;
            with_entrypoint(args, i, start, |cmd, j, _| {
                reads_stdin_as_script(cmd, j, Ctx { travels: false })
            })
            .map(|(c, _)| (format!("{name} exec … {c}"), false))
        }
        _ => {
            let w = find_wrapper(name)?;
            let (j, seen) = wrapped(args, i, w);
            let cleared = name == "env"
                && (has(&seen, &["-i", "--ignore-environment"])
                    || args.iter().take(j).skip(i + 1).any(|a| a.cooked == "-"));
            let travels = ctx.travels && w.keeps_env && !cleared;
            reads_stdin_as_script(args, j, Ctx { travels })
        }
    }
}

/// A file name that is the program's own standard input.
pub(crate) fn stdin_file(name: &str) -> bool {
    matches!(name, "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")
}

/// A file that names one of the command's descriptors, which its own redirections open
/// (`bash /dev/fd/3 3<<EOF`), or its input.
pub(super) fn descriptor_file(name: &str) -> bool {
    name.starts_with("/dev/fd/") || name.starts_with("/proc/self/fd/") || stdin_file(name)
}

/// The language of the script a command reads on its standard input (`psql <<SQL`,
/// `python3 - <<EOF`, `redis-cli <<EOF`, `tclsh <<EOF`): a value in that here-document is a
/// piece of its code.
pub(super) fn foreign_stdin(args: &[&Word]) -> Option<&'static Foreign> {
    let i = command_index(args);
    let w = args.get(i)?;
    let name = base(&w.cooked);
    let rest: Vec<&str> = args[i + 1..].iter().map(|a| a.cooked.as_str()).collect();
    foreign_stdin_of(name, &rest)
}

/// The language a value printed by `echo`/`printf` is code of, when a program down the pipe
/// reads its input as code (`echo "print('{{ v }}')" | python3`, `printf '%s\n' "!echo {{ v
/// }}" | ed -s`): audit 21.
pub(super) fn piped_into_code(list: &[Command], at: usize) -> Option<&'static Foreign> {
    let n = list
        .iter()
        .position(|c| c.words.iter().any(|w| w.span.contains(&at)))?;
    let args = list[n].args();
    let printer = args
        .get(command_index(&args))
        .is_some_and(|w| matches!(base(&w.cooked), "echo" | "printf"));
    if !list[n].piped || !printer {
        return None;
    }
    // (Through `cat -`, which hands its input on: `echo … | cat - tmpl.m4 | m4`.)
    let mut k = n + 1;
    loop {
        let args = list.get(k)?.args();
        let i = command_index(&args);
        let passes = args.get(i).is_some_and(|w| base(&w.cooked) == "cat")
            && (args.len() == i + 1 || args[i + 1..].iter().any(|a| a.cooked == "-"));
        if !(passes && list[k].piped) {
            return foreign_stdin(&args);
        }
        k += 1;
    }
}

/// [`foreign_stdin`] of program `name` given the words `rest`; through a command that hands
/// its input to a command on another host or in a container (`ssh db-1 "psql …"`,
/// `kubectl exec -i db-0 -- psql …`, `docker exec -i db psql …`), that command's.
fn foreign_stdin_of(name: &str, rest: &[&str]) -> Option<&'static Foreign> {
    // `sudo -u postgres psql`, `timeout 30 psql`, `env A=1 psql`: the program it runs (an
    // audit's value ran `\!` through each).
    if let Some(w) = find_wrapper(name) {
        let all: Vec<&str> = std::iter::once(name).chain(rest.iter().copied()).collect();
        let (j, _) = programs::wrapped(&all, 0, w);
        let (first, others) = all.get(j..)?.split_first()?;
        return foreign_stdin_of(base(first), others);
    }
    if let Some(inner) = remote_reader(name, rest) {
        let (first, others) = inner.split_first()?;
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        return foreign_stdin_of(base(first), &others);
    }
    let operands = || {
        rest.iter()
            .filter(|a| !a.starts_with('-') || **a == "-")
            .count()
    };
    let any = |opts: &[&str]| {
        rest.iter().any(|a| {
            opts.iter()
                .any(|o| a == o || a.starts_with(&format!("{o}=")))
        })
    };
    // A script file named `-` or `/dev/stdin` is standard input.
    let from_stdin = |opts: &[&str]| {
        rest.windows(2)
            .any(|p| opts.contains(&p[0]) && (p[1] == "-" || stdin_file(p[1])))
            || rest.iter().any(|a| {
                opts.iter()
                    .any(|o| *a == format!("{o}=-") || *a == format!("{o}=/dev/stdin"))
            })
    };
    match name {
        "psql" | "gitlab-psql"
            if !any(&["-c", "--command"])
                && (!any(&["-f", "--file"]) || from_stdin(&["-f", "--file"])) =>
        {
            Some(&PSQL_STDIN)
        }
        "mysql" | "mariadb" if !any(&["-e", "--execute"]) => Some(&MYSQL_STDIN),
        // ed and ex read commands, not text, on their standard input; so do vi and vim in
        // ex mode (`-e`, `-es`), and sed given its script there.
        "ed" | "ex" => Some(&ED),
        "vi" | "vim" | "nvim"
            if rest
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains(['e', 's'])) =>
        {
            Some(&ED)
        }
        "sed" | "gsed" if from_stdin(&["-f", "--file"]) => Some(&SED),
        "sqlite3" if operands() <= 1 => Some(&MYSQL_STDIN),
        _ if (name.starts_with("python") || name.starts_with("pypy"))
            && !rest.iter().any(|a| {
                a.starts_with('-') && !a.starts_with("--") && (a.ends_with('c') || a.ends_with('m'))
            })
            && (operands() == 0
                || rest
                    .iter()
                    .find(|a| !a.starts_with('-') || **a == "-")
                    .is_some_and(|a| *a == "-" || stdin_file(a))) =>
        {
            Some(&PYTHON)
        }
        "perl" | "ruby"
            if operands() == 0 || rest.first().is_some_and(|r| *r == "-" || stdin_file(r)) =>
        {
            Some(&PERL)
        }
        "node" | "nodejs" if operands() == 0 || rest.iter().any(|r| *r == "-" || stdin_file(r)) => {
            Some(&NODE)
        }
        "lua" | "luajit" if operands() == 0 || rest.iter().any(|r| *r == "-" || stdin_file(r)) => {
            Some(&LUA)
        }
        "php" if operands() == 0 => Some(&LUA_PHP),
        "tclsh" | "wish" | "expect"
            if operands() == 0 || rest.iter().any(|r| *r == "-" || stdin_file(r)) =>
        {
            Some(&TCL)
        }
        "redis-cli" => Some(&REDIS),
        // m4 reads its input as text to expand (`esyscmd(…)` runs), dc as its program
        // (`!` runs a shell): audit 41 A41-9.
        "m4" if operands() == 0 || rest.contains(&"-") => Some(&M4),
        "dc" if !any(&["-e", "--expression", "-f", "--file"]) && operands() == 0 => Some(&DC),
        "awk" | "gawk" | "mawk" | "nawk"
            if rest
                .windows(2)
                .any(|p| matches!(p[0], "-f" | "--file") && (p[1] == "-" || stdin_file(p[1]))) =>
        {
            Some(&AWK)
        }
        _ => None,
    }
}

/// The words of the command that reads the input of `name rest…` on another host or in a
/// container: the command of `ssh HOST COMMAND…` (its words split at white space), the
/// command after `--` of `kubectl`/`oc exec`, the command after the container of
/// `docker`/`podman exec`.
pub(super) fn remote_reader(name: &str, rest: &[&str]) -> Option<Vec<String>> {
    let split = |words: &[&str]| -> Vec<String> {
        words
            .iter()
            .flat_map(|w| w.split_whitespace())
            .map(str::to_string)
            .collect()
    };
    match name {
        "ssh" => {
            let mut k = 0;
            while let Some(w) = rest.get(k) {
                if !w.starts_with('-') || w.len() < 2 {
                    let command = split(rest.get(k + 1..)?);
                    return (!command.is_empty()).then_some(command);
                }
                if *w == "--" {
                    k += 1;
                    continue;
                }
                let last = w.chars().last().unwrap_or('-');
                k += if w.len() == 2 && "bcDEeFIiJLlmOopQRSWw".contains(last) {
                    2
                } else {
                    1
                };
            }
            None
        }
        "kubectl" | "oc" if rest.contains(&"exec") => {
            let dashes = rest.iter().position(|w| *w == "--")?;
            let command = split(&rest[dashes + 1..]);
            (!command.is_empty()).then_some(command)
        }
        "docker" | "podman" | "nerdctl"
            if rest.first() == Some(&"exec") || rest.starts_with(&["compose", "exec"]) =>
        {
            let at = if rest.first() == Some(&"exec") { 1 } else { 2 };
            let (j, _) = crate::shell::programs::options(
                &rest[at..],
                0,
                "euw",
                &["env", "env-file", "user", "workdir", "detach-keys", "index"],
            );
            let command = split(rest.get(at + j + 1..)?);
            (!command.is_empty()).then_some(command)
        }
        // `su postgres -c "psql …"`, `runuser -u pg -c …`: the command string.
        "su" | "runuser" => {
            let c = rest.iter().position(|w| *w == "-c" || *w == "--command")?;
            let command = split(rest.get(c + 1..c + 2)?);
            (!command.is_empty()).then_some(command)
        }
        _ => None,
    }
}

/// The text that command `n` of `list` reads on its input, as far as the script holds it:
/// its here-documents and here-strings, and what the commands before it in a pipe print
/// (their words).
pub(super) fn stdin_code(text: &str, list: &[Command], n: usize) -> String {
    let Some(cmd) = list.get(n) else {
        return String::new();
    };
    let mut code: Vec<&str> = cmd
        .heredocs
        .iter()
        .map(|h| text.get(h.body.clone()).unwrap_or(""))
        .collect();
    code.extend(
        cmd.words
            .iter()
            .filter(|w| w.herestring)
            .map(|w| w.cooked.as_str()),
    );
    let mut k = n;
    while k > 0 && list[k - 1].piped {
        k -= 1;
        code.extend(list[k].words.iter().map(|w| w.cooked.as_str()));
        // `cat <<'PY' | python3 - "{{ v }}"`: what `cat` prints is its document.
        code.extend(
            list[k]
                .heredocs
                .iter()
                .map(|h| text.get(h.body.clone()).unwrap_or("")),
        );
    }
    code.join("\n")
}

/// Whether command `n` of `list` is a program that reads its code on its input (`python3 -`,
/// `perl -`, `awk -f -`, `tclsh /dev/stdin`, `expect`) and that code hands strings to a
/// shell (see [`calls_shell`]).
pub(super) fn stdin_code_runs_shell(text: &str, list: &[Command], n: usize) -> bool {
    let Some(cmd) = list.get(n) else {
        return false;
    };
    let Some(f) = foreign_stdin(&cmd.args()) else {
        return false;
    };
    if ![&PYTHON, &PERL, &NODE, &LUA, &LUA_PHP, &TCL, &AWK, &M4]
        .iter()
        .any(|g| std::ptr::eq(f, *g))
    {
        return false;
    }
    let code = stdin_code(text, list, n);
    calls_shell(CodeOf::language(f), &code)
        || (CodeOf::language(f) == CodeOf::Tcl && code.contains("send"))
}
