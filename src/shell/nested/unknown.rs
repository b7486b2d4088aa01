//! [`parses_unknown`]: whether the script parses again text runbook cannot follow (a file it
//! writes, a command named by a variable…), and the shell before a word.

use super::command::role_of;
use super::foreign::code_runs_shell;
use super::locate::locate;
use super::refs::xargs_runs_input;
use super::role::{Ctx, Role};
use super::stdin::reads_stdin_as_script;
use crate::shell::programs::{self, SHELLS, base, command_index};
use crate::shell::words::{Command, Expansion, Word, commands, cook_heredoc};
use std::collections::BTreeSet;

/// Programs that copy files: what they copy to may be a file the script wrote.
const COPIERS: &[&str] = &["cp", "mv", "install", "ln", "rsync", "scp"];

/// Every list of commands of a script: its own, those in its `$( )`, and those of the
/// strings it hands to another shell (`ssh h 'bash /tmp/job.sh'`), each with its own text.
/// The flag says the list is that of an output process substitution (`tee >(sh)`): its
/// first command reads what the command around it writes.
fn command_lists(text: &str, list: &[Command]) -> Vec<(String, Vec<Command>, bool)> {
    let mut lists: Vec<(String, Vec<Command>, bool)> =
        vec![(text.to_string(), list.to_vec(), false)];
    let mut k = 0;
    while let Some((t, l, _)) = lists.get(k) {
        let mut inner = Vec::new();
        for cmd in l {
            for e in cmd.words.iter().flat_map(|w| &w.expansions) {
                if let Some(r) = &e.inner
                    && let Some(found) = commands(t, r.clone())
                {
                    let fed = e.process && t[e.span.start..].starts_with(">(");
                    inner.push((t.clone(), found, fed));
                }
            }
            let args = cmd.args();
            for n in 0..args.len() {
                if let Role::Reparse(r) = role_of(&args, n, Ctx::default())
                    && let Some(found) = commands(&r.inner, 0..r.inner.len())
                {
                    inner.push((r.inner, found, false));
                }
            }
        }
        lists.extend(inner);
        k += 1;
        if lists.len() > 256 {
            break;
        }
    }
    lists
}

/// Whether a file written by the script is a configuration whose entries run commands.
fn runs_its_entries(file: &str) -> bool {
    let file = file.trim_matches(|c| c == '"' || c == '\'');
    let name = base(file);
    file.contains("/cron")
        || file.contains("crontab")
        || file.contains(".ssh/")
        || file.ends_with("ssh_config")
        || file.contains("ssh_config.d/")
        || file.contains(".git/config")
        || file.ends_with("gitconfig")
        || file.contains("/systemd/")
        || super::types::UNIT_SUFFIXES
            .iter()
            .any(|x| name.ends_with(x))
        || file.contains("sudoers")
        || file.contains("/etc/logrotate")
        || file.contains("/etc/udev/")
        // Sourced by init scripts and units as root (audit 26 HOLE-20); `/etc/environment`
        // and `/etc/bash.bashrc` by every login.
        || file.contains("/etc/default/")
        || file.contains("/etc/sysconfig/")
        || file.contains("/etc/conf.d/")
        || file.contains("/etc/environment")
        || file.contains("/etc/zsh/")
        || file.contains("/etc/apt/apt.conf")
        // Run as programs, or by programs at their events (audit 27 HOLE-10): git's hooks,
        // a folder of programs, modprobe's `install` lines, network and login scripts.
        || file.contains("/etc/modprobe.d/")
        || file.contains("/etc/X11/")
        || file.contains("/etc/xdg/autostart/")
        || file.contains("ld.so.preload")
        || super::types::program_file(file)
        // Read as code by the program the script runs next (audit 28 H-8 to H-12): make's
        // recipes, a Dockerfile's `RUN`, Terraform's `${…}`, pip's option lines, Ansible's
        // variables (templates).
        || matches!(
            name,
            "Makefile" | "makefile" | "GNUmakefile" | "Dockerfile" | "Containerfile"
        )
        || [".mk", ".tf", ".tfvars", ".hcl", ".j2"]
            .iter()
            .any(|x| name.ends_with(x))
        || (name.starts_with("requirements") && name.ends_with(".txt"))
        || name == "constraints.txt"
        || file.contains("group_vars/")
        || file.contains("host_vars/")
}

/// The files the script writes (and what `cp`, `install`, … copy to), the files it has
/// read as configurations that run commands (`ssh -F cfg`, `crontab jobs`), and whether it
/// copies files.
fn written_files(lists: &[(String, Vec<Command>, bool)]) -> (Vec<String>, Vec<String>, bool) {
    // The files the script writes, and what `cp`, `install`, … copy to (their last operand).
    let mut written: Vec<String> = Vec::new();
    let mut configs: Vec<String> = Vec::new();
    let mut copies = false;
    for (t, l, _) in lists {
        for c in l {
            written.extend(crate::shell::spill::written(t, c));
            let args = c.args();
            let i = command_index(&args);
            // `ssh -F cfg`, `crontab jobs`: files read as configurations that run commands.
            match args.get(i).map(|w| base(&w.cooked)) {
                Some("ssh" | "scp" | "sftp" | "autossh") => {
                    for (k, w) in args.iter().enumerate() {
                        if w.cooked == "-F" {
                            configs.extend(args.get(k + 1).map(|f| f.cooked.clone()));
                        } else if let Some(f) = w.cooked.strip_prefix("-F") {
                            configs.push(f.to_string());
                        }
                    }
                }
                Some("crontab") => {
                    configs.extend(
                        args[i + 1..]
                            .iter()
                            .filter(|w| !w.cooked.starts_with('-'))
                            .map(|w| w.cooked.clone()),
                    );
                }
                _ => {}
            }
            if args
                .get(i)
                .is_some_and(|w| COPIERS.contains(&base(&w.cooked)))
            {
                copies = true;
                if let Some(last) = args.last().filter(|_| args.len() > i + 2) {
                    written.push(last.cooked.clone());
                }
            }
        }
    }
    (written, configs, copies)
}

/// A value written by the script to a list of libraries that the dynamic loader loads into
/// every program (`/etc/ld.so.preload`) or of folders it loads them from (`/etc/ld.so.conf`):
/// whatever it holds, a path there is code run as root (audit 27 HOLE-10).
pub(super) fn loader_list_written(text: &str, list: &[Command]) -> Option<String> {
    let (written, _, _) = written_files(&command_lists(text, list));
    written
        .iter()
        .map(|f| f.trim_matches(|c| c == '"' || c == '\''))
        .find(|f| f.ends_with("ld.so.preload") || f.contains("/etc/ld.so.conf"))
        .map(str::to_string)
}

/// Where the script parses again text whose origin runbook does not follow, said as the
/// construct: an expansion in a string another shell parses (`eval "$c"`, `ssh h "… $c"`),
/// a file it runs that the script may have written (`bash job.sh`, `. ./env.sh`, `./job.sh`,
/// `ssh h bash < job.sh`), the input of a shell further down a pipe (`envsubst < t | sh`), or
/// a command named by a variable (`sudo "${cmd[@]}"`). A value that leaves what runbook
/// follows ([`crate::shell::spill::leaves`]) may come back there as code.
pub(super) fn parses_unknown(
    text: &str,
    list: &[Command],
    targets: &BTreeSet<String>,
) -> Option<String> {
    let lists = command_lists(text, list);
    let (written, configs, copies) = written_files(&lists);
    // A configuration whose entries run commands: cron's lines, ssh's `ProxyCommand`, git's
    // `!` aliases and `core.sshCommand`, systemd's `Exec…=`, a shell's start-up files.
    let tail = |f: &str| base(f.trim_matches(|c| c == '"' || c == '\'')).to_string();
    if let Some(file) = written
        .iter()
        .find(|f| runs_its_entries(f) || configs.iter().any(|c| tail(c) == tail(f)))
    {
        return Some(format!(
            "`{file}` is a program or a configuration whose entries run commands (a git hook, cron, ssh's `ProxyCommand`, git's aliases, systemd's `Exec…`, a shell's start-up file)"
        ));
    }
    let may_be_written = |w: &Word| {
        let name = w.cooked.strip_prefix("./").unwrap_or(&w.cooked);
        !w.expansions.is_empty()
            || written
                .iter()
                .any(|f| crate::shell::spill::unknown_file(f) || base(f) == base(name))
            || (copies && !name.starts_with('/'))
    };
    // The command as written, shortened.
    let shown = |t: &str, args: &[&Word]| {
        let raw = args
            .iter()
            .map(|w| &t[w.span.clone()])
            .collect::<Vec<_>>()
            .join(" ");
        match raw.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &raw[..cut]),
            None => raw,
        }
    };
    for (t, l, fed) in &lists {
        let t = t.as_str();
        for (n, cmd) in l.iter().enumerate() {
            let args = cmd.args();
            // Text of unknown origin in a string another shell parses.
            // (A variable the script never sets holds what the step's environment gave; one
            // that holds the value is followed where it goes.)
            let unknown = |e: &&Expansion| {
                let raw = &t[e.span.clone()];
                crate::shell::spill::unset_in_script(text, raw).is_none()
                    && !targets.iter().any(|t| crate::shell::flow::refers(raw, t))
            };
            let mut spots: Vec<usize> = cmd
                .words
                .iter()
                .filter(|w| !w.redirect)
                .flat_map(|w| w.expansions.iter().filter(unknown).map(|e| e.span.start))
                .collect();
            for h in cmd.heredocs.iter().filter(|h| !h.quoted) {
                if let Some((_, expansions)) = cook_heredoc(t, h.body.clone()) {
                    spots.extend(expansions.iter().filter(unknown).map(|e| e.span.start));
                }
            }
            for spot in spots {
                match locate(t, l, spot) {
                    Ok(Role::Reparse(r)) => {
                        return Some(format!("`{}` parses an expansion again", r.construct));
                    }
                    Ok(Role::Refused(u)) | Err(u) => {
                        return Some(format!("`{}` parses an expansion again", u.construct));
                    }
                    Ok(Role::PlainWord) => {
                        return Some(format!(
                            "`{}` may parse an expansion again",
                            shown(t, &args)
                        ));
                    }
                    _ => {}
                }
            }
            // A file it runs, which it may have written.
            for (k, w) in args.iter().enumerate() {
                if matches!(role_of(&args, k, Ctx::default()), Role::ScriptFile(_))
                    && may_be_written(w)
                {
                    return Some(format!(
                        "`{}` runs a file the script may have written",
                        shown(t, &args)
                    ));
                }
            }
            let program = programs::program_index(&args, command_index(&args));
            if let Some(program) = args.get(program) {
                if !program.expansions.is_empty() && program.cooked != "[" {
                    return Some(format!(
                        "`{}` runs a command named by an expansion",
                        shown(t, &args)
                    ));
                }
                if program.cooked.contains('/') && may_be_written(program) {
                    return Some(format!(
                        "`{}` runs a file the script may have written",
                        shown(t, &args)
                    ));
                }
            }
            // Code that runs a shell may read any file (`python3 -c '…os.system(open(f)…)'`);
            // `xargs -a FILE` reads its input from a file.
            if let Some(construct) = code_runs_shell(&args) {
                return Some(format!("`{construct}` runs a shell from its code"));
            }
            let xargs = xargs_runs_input(text, &args);
            if let Some(construct) = &xargs
                && args
                    .iter()
                    .any(|a| a.cooked == "-a" || a.cooked.starts_with("--arg-file"))
            {
                return Some(format!("`{construct}` runs what it reads as code"));
            }
            // A file given to a program that runs it as code (`at -f F`, `python3 F`,
            // `awk -f F`, `crontab F`): code that can run a shell.
            let rest = args.get(program + 1..).unwrap_or_default();
            let after_f = rest
                .iter()
                .position(|a| matches!(a.cooked.as_str(), "-f" | "--file"))
                .and_then(|k| rest.get(k + 1));
            // (`python3 -c 'code'`, `perl -e`, `node -e`, `php -r`: the code is given, and the
            // first word after it is no file to run.)
            let code_given = rest.iter().any(|a| {
                matches!(
                    a.cooked.as_str(),
                    "-c" | "-e" | "-E" | "-r" | "--eval" | "-p" | "--print"
                )
            });
            let first_operand = rest
                .iter()
                .find(|a| !a.cooked.starts_with('-'))
                .filter(|_| !code_given);
            let code_file = match args.get(program).map(|p| base(&p.cooked)) {
                Some("at" | "batch" | "awk" | "gawk" | "mawk" | "sed" | "make") => after_f,
                Some(
                    "perl" | "ruby" | "node" | "php" | "lua" | "tclsh" | "expect" | "Rscript"
                    | "crontab",
                ) => first_operand,
                Some(name) if name.starts_with("python") => first_operand,
                _ => None,
            };
            if code_file.is_some_and(|f| may_be_written(f)) {
                return Some(format!(
                    "`{}` runs a file the script may have written",
                    shown(t, &args)
                ));
            }
            // The input of a shell, or of a program that puts it into a command.
            // (Or a program reading code that can run a shell: `ed -s < e.txt`, audit 21.)
            let reader = reads_stdin_as_script(&args, 0, Ctx::default())
                .map(|(construct, _)| construct)
                .or(xargs)
                .or_else(|| {
                    super::stdin::foreign_stdin(&args)
                        .filter(|f| f.language != "jq")
                        .map(|f| format!("{} (reading {} code)", shown(t, &args), f.language))
                });
            if let Some(construct) = reader {
                let piped = n > 0 && l[n - 1].piped || (n == 0 && *fed);
                let from_file = cmd.words.iter().any(|w| {
                    let before = t[..w.span.start].trim_end();
                    (w.redirect
                        && !w.herestring
                        && before.ends_with('<')
                        && !before.ends_with("<<")
                        && may_be_written(w))
                        // `sh <&4` after `exec 4< job.sh`: a descriptor opened elsewhere.
                        || (w.redirect && before.ends_with("<&") && w.cooked != "0")
                });
                if piped || from_file {
                    return Some(format!("`{construct}` runs what it reads as code"));
                }
            }
        }
    }
    None
}

/// Whether a shell stands before `at` in its simple command (`sudo sh -c '…' sh ARG`): the
/// words after its script are its positional parameters.
pub(super) fn shell_before(text: &str, list: &[Command], at: usize) -> bool {
    for cmd in list {
        let Some(w) = cmd.words.iter().find(|w| w.span.contains(&at)) else {
            continue;
        };
        if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at))
            && let Some(inner) = &e.inner
            && let Some(inner_list) = commands(text, inner.clone())
        {
            return shell_before(text, &inner_list, at);
        }
        return cmd
            .words
            .iter()
            .take_while(|x| x.span.end <= at)
            .any(|x| !x.redirect && SHELLS.contains(&base(&x.cooked)));
    }
    false
}
