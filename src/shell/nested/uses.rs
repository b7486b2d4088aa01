//! [`uses`]: how a script uses its variables (split into words, where a command or its
//! options are read…), following the strings it hands to other shells.

use super::command::role_of;
use super::options::{REPARSERS, read_as_option};
use super::role::{Ctx, Role, with_functions};
use super::types::MAX_DEPTH;
use crate::shell::context::{Quoting, context_at};
use crate::shell::programs::{self, SHELLS, base, command_index, find_wrapper};
use crate::shell::words::{Command, Word, commands};
use std::collections::BTreeSet;
use std::ops::Range;

/// The scripts inside the redirections of a command (`done < <(ssh h "…")`, `> >(tee …)`,
/// `> "$(mktemp)"`), which [`Command::args`] leaves out.
pub(super) fn redirected_scripts(cmd: &Command) -> Vec<Range<usize>> {
    cmd.words
        .iter()
        .filter(|w| w.redirect)
        .flat_map(|w| w.expansions.iter().filter_map(|e| e.inner.clone()))
        .collect()
}

/// How a script uses the values of its variables, beyond passing them as data.
#[derive(Debug, Default)]
pub struct Uses {
    /// Expanded where a name is expected (`printf -v "$n"`, `read "$n"`, `declare "$n=1"`,
    /// `[[ -v $n ]]`).
    pub names: BTreeSet<String>,
    /// Expanded where a program reads options, some of which run commands (`ssh "$h"`,
    /// `git clone "$r"`).
    pub options: BTreeSet<String>,
    /// Expanded unquoted (split into words) in the arguments of a program that runs some of
    /// its arguments as a command or reads options (`ssh $h uptime`, `sudo -u $u id`), or
    /// naming the program itself (`$cmd`): there a space or a leading `-` changes what
    /// runs.
    pub words: BTreeSet<String>,
    /// Whose values reach `options` or `words` split into words by a `for` loop
    /// (`for h in $HOSTS; do ssh $h …`).
    pub split: BTreeSet<String>,
    /// Expanded changed (`${h//,/ }`) in the words or options above.
    pub changed: BTreeSet<String>,
    /// Expanded at the start of an operand of any program, where it reads options (before
    /// `--`): `kubectl delete pod "$pod"` with `--all` (an audit's copy of the README's own
    /// example). (Not for the floor: free text with ` -x` in it is no option there.)
    pub operands: BTreeSet<String>,
    /// Of `operands`, those split into several operands (`systemctl restart $SERVICES`, or
    /// a `for` over them, `for s in $SERVICES; do systemctl restart "$s"`): every word of
    /// theirs starts one, and `nginx -H root@evil` gives systemctl another host (audit 18).
    pub operands_split: BTreeSet<String>,
    /// The insides of the command substitutions split into operands (`systemctl restart
    /// $(echo "{{ v }}")`): what is printed there is held as `operands_split` is.
    pub split_substitutions: Vec<Range<usize>>,
    /// The insides of the command substitutions that start an operand where a program reads
    /// options, quoted or not (`systemctl restart "$(… | cut -d, -f2)"`): for the floor,
    /// which asks whether they rewrite a value on its way.
    pub operand_substitutions: Vec<Range<usize>>,
}

/// Whether `at` is inside a command substitution whose output is split into a program's
/// operands (`systemctl restart $(echo "{{ v }}")`): a cheap look first, as most scripts
/// have none.
pub fn in_split_substitution(text: &str, at: usize) -> bool {
    (text[..at.min(text.len())].contains("$(") || text[..at.min(text.len())].contains('`'))
        && uses(text)
            .split_substitutions
            .iter()
            .any(|r| r.contains(&at))
}

/// Programs whose arguments may be a command or an option that runs one: a value split into
/// several words there changes what runs.
const SPLIT_SENSITIVE: &[&str] = &[
    "find",
    "git",
    "scp",
    "sftp",
    "rsync",
    "tar",
    "zip",
    "curl",
    "wget",
    "exec",
    "command",
    "builtin",
    "runuser",
    "busybox",
    "oc",
    "nerdctl",
    "vagrant",
    "ansible",
    "pdsh",
    "consul",
    "heroku",
    "bolt",
    "mco",
    "dsh",
    "mussh",
    "at",
    "batch",
    "parallel",
    "chroot",
    "unshare",
    "nsenter",
    "ip",
    "systemd-run",
    "strace",
    "ltrace",
    "gdb",
    "valgrind",
    "perf",
    "taskset",
    "chrt",
    "numactl",
    "prlimit",
    "cgexec",
    "firejail",
    "bwrap",
    "fakeroot",
    "proxychains",
    "torsocks",
    "caffeinate",
    "retry",
];

/// Walks every simple command of the script (at any depth of `$( )`) and sorts the
/// variables it expands by how their values are used.
pub fn uses(text: &str) -> Uses {
    uses_in(text, 0)
}

/// Whether the command named by `w` may take a word split from a value as a command or an
/// option that runs one.
pub(super) fn split_sensitive(w: &Word) -> bool {
    let name = base(&w.cooked);
    !w.expansions.is_empty()
        || REPARSERS.contains(&name)
        || SPLIT_SENSITIVE.contains(&name)
        || SHELLS.contains(&name)
        || find_wrapper(name).is_some()
}

fn uses_in(text: &str, depth: usize) -> Uses {
    let mut out = Uses::default();
    let mut stack: Vec<Range<usize>> = Vec::new();
    stack.push(0..text.len());
    while let Some(range) = stack.pop() {
        let Some(list) = commands(text, range) else {
            continue;
        };
        let mut pipe_start = 0;
        for (n, cmd) in list.iter().enumerate() {
            let args = cmd.args();
            let first = Some(command_index(&args)).filter(|&i| i < args.len());
            let sensitive = first.is_some_and(|i| split_sensitive(args[i]));
            // `$SSH web-1 "… $svc"`: a program named by a variable may be any, `ssh` or
            // `eval` among them; what is given to it, quoted or not, is a word of its.
            let dynamic = first.is_some_and(|i| !args[i].expansions.is_empty());
            // The command a wrapper runs (`sudo "${cmd[@]}"`, `timeout 5 $c`) is named there.
            let behind = first.map(|i| programs::program_index(&args, i));
            // So is the command of `kubectl exec POD -- "${cmd[@]}"`, `docker exec app …`.
            let contained = behind.and_then(|i| programs::container_command(&args, i));
            // The commands of `done < <(…)` and `> >(…)` are the script's too.
            stack.extend(redirected_scripts(cmd));
            for (k, w) in args.iter().enumerate() {
                for e in &w.expansions {
                    if let Some(inner) = &e.inner {
                        stack.push(inner.clone());
                    }
                }
                // `sh -c '$1' sh ARG`, `bash -c 'ssh $h uptime'`: the inner script's uses
                // are its positional parameters' and its environment's.
                if depth < MAX_DEPTH
                    && let Role::Reparse(r) = role_of(&args, k, Ctx::default())
                {
                    let inner = uses_in(&with_functions(text, &r), depth + 1);
                    out.names.extend(inner.names);
                    out.options.extend(inner.options);
                    out.words.extend(inner.words);
                    out.changed.extend(inner.changed);
                }
                if w.expansions.is_empty() {
                    continue;
                }
                let read = || {
                    w.expansions
                        .iter()
                        .flat_map(|e| crate::shell::flow::referenced(&text[e.span.clone()]))
                };
                let changed = || {
                    w.expansions
                        .iter()
                        .flat_map(|e| crate::shell::flow::transformed(&text[e.span.clone()]))
                };
                // (`sudo systemctl restart $SERVICES`: words after the program a wrapper runs,
                // one that runs nothing, are its arguments, not commands.)
                // (Not behind `sudo -i`/`-s`, whose login shell parses them.)
                let plain_program = behind.is_some_and(|b| {
                    first.is_some_and(|i| {
                        b > i
                            && !args[i + 1..b].iter().any(|a| {
                                let a = a.cooked.as_str();
                                matches!(a, "--login" | "--shell")
                                    || (a.starts_with('-')
                                        && !a.starts_with("--")
                                        && a.contains(['i', 's']))
                            })
                    }) && b < k
                        && args[b].expansions.is_empty()
                        && !split_sensitive(args[b])
                });
                if first == Some(k)
                    || behind == Some(k)
                    || contained == Some(k)
                    || (dynamic && first.is_some_and(|i| k > i))
                    || (sensitive
                        && !plain_program
                        && first.is_some_and(|i| k > i)
                        && w.expansions
                            .iter()
                            .any(|e| context_at(text, e.span.start) == Quoting::Bare))
                {
                    out.words.extend(read());
                    out.changed.extend(changed());
                }
                let role = role_of(&args, k, Ctx::default());
                // (`export PATH=$DIR/bin:$PATH`: what follows the `=` is the value, not a
                // name; an audit found `$PATH` said to be used in arithmetic.)
                let value_of_assignment = crate::shell::programs::is_assignment_word(w)
                    || matches!(
                        args.first().map(|a| a.cooked.as_str()),
                        Some("declare" | "typeset" | "local" | "export" | "readonly")
                    ) && w
                        .expansions
                        .first()
                        .is_some_and(|e| text[w.span.start..e.span.start].contains('='));
                let name_like = match role {
                    Role::Name if value_of_assignment => false,
                    Role::Name | Role::Arith => true,
                    Role::NoOption => {
                        out.options.extend(read());
                        out.changed.extend(changed());
                        false
                    }
                    // `declare "$n=1"`: the part before `=` is a name.
                    _ => {
                        matches!(
                            args.first().map(|a| a.cooked.as_str()),
                            Some("declare" | "typeset" | "local" | "export" | "readonly")
                        ) && k > 0
                            && w.expansions
                                .first()
                                .is_some_and(|e| !text[w.span.start..e.span.start].contains('='))
                    }
                };
                if name_like {
                    out.names.extend(read());
                }
                // (The word starts with the expansion: `"$pod"`, `$pod`, `${pod}x`.)
                let starts_operand = |e: &crate::shell::words::Expansion| {
                    text[w.span.start..e.span.start]
                        .trim_matches(['"', '\''])
                        .is_empty()
                };
                if let Some(i) = first
                    && k > i
                    && matches!(role, Role::Data(None) | Role::Operand)
                    && w.expansions.first().is_some_and(|e| {
                        starts_operand(e) && e.inner.is_none()
                    })
                    // (`echo`'s options, `-n` and `-e`, change only what it prints; a `for`
                    // or `case` header runs no program.)
                    && base(&args[i].cooked) != "echo"
                    && !matches!(
                        args.first().map(|a| a.cooked.as_str()),
                        Some("for" | "select" | "case" | "in")
                    )
                    && read_as_option(base(&args[i].cooked), &args, i, k)
                    // (A function of the script gets its `$1`, followed as such.)
                    && !((text.contains("()") || text.contains("function "))
                        && crate::shell::flow::functions(text).contains(&args[i].cooked))
                {
                    let read: Vec<String> = w
                        .expansions
                        .first()
                        .into_iter()
                        .flat_map(|e| crate::shell::flow::referenced(&text[e.span.clone()]))
                        .collect();
                    // (Unquoted, `$SERVICES`: split, each word an operand.)
                    if w.expansions
                        .first()
                        .is_some_and(|e| e.span.start == w.span.start)
                    {
                        out.operands_split.extend(read.iter().cloned());
                    }
                    out.operands.extend(read);
                }
                if let Some(i) = first
                    && k > i
                    && matches!(role, Role::Data(None) | Role::Operand)
                    && let Some(inner) = w
                        .expansions
                        .first()
                        .filter(|e| !e.process && starts_operand(e))
                        .and_then(|e| e.inner.clone())
                    && !crate::shell::programs::substitution_prints_only_numbers(
                        text,
                        inner.clone(),
                    )
                    && read_as_option(base(&args[i].cooked), &args, i, k)
                {
                    out.operand_substitutions.push(inner);
                }
                // `systemctl restart $(echo "$S")`: what the substitution prints is split into
                // operands (audit 19 OPT-2).
                if let Some(i) = first
                    && k > i
                    && matches!(role, Role::Data(None) | Role::Operand)
                    && base(&args[i].cooked) != "echo"
                    && let Some(inner) = w
                        .expansions
                        .first()
                        .filter(|e| e.span.start == w.span.start && !e.process && starts_operand(e))
                        .and_then(|e| e.inner.clone())
                    && !crate::shell::programs::substitution_prints_only_numbers(
                        text,
                        inner.clone(),
                    )
                    && read_as_option(base(&args[i].cooked), &args, i, k)
                {
                    let read = crate::shell::flow::referenced(&text[inner.clone()]);
                    out.operands_split.extend(read.iter().cloned());
                    out.operands.extend(read);
                    out.split_substitutions.push(inner);
                }
            }
            // `H=… python3 -c 'subprocess.run(["ssh", os.environ["H"], …])'`: what code that
            // runs programs with lists reads of its environment, and its arguments, are words
            // of those programs (audit 24 HOLE-K).
            if let Some(i) = first
                && let Some(code) =
                    super::foreign::code_runs_programs(base(&args[i].cooked), &args, i)
            {
                out.options.extend(super::foreign::env_reads_in(code));
                for w in &args[i + 1..] {
                    for e in &w.expansions {
                        out.options
                            .extend(crate::shell::flow::referenced(&text[e.span.clone()]));
                    }
                }
            }
            // `echo $S | xargs systemctl restart`, `xargs kill <<< "$pids"`: what xargs reads
            // is split into the operands of its command.
            if first.is_some_and(|i| base(&args[i].cooked) == "xargs") {
                // (What `echo` and `printf` print, and here-strings; not the file a filter
                // reads, `sed 's/$/.gz/' "$list" | xargs gunzip --`.)
                let printed = list[pipe_start..n]
                    .iter()
                    .flat_map(|c| {
                        let args = c.args();
                        let prints = args
                            .get(command_index(&args))
                            .is_some_and(|p| matches!(base(&p.cooked), "echo" | "printf"));
                        c.words
                            .iter()
                            .filter(move |w| w.herestring || (prints && !w.redirect))
                    })
                    .chain(cmd.words.iter().filter(|w| w.herestring));
                for w in printed {
                    for e in &w.expansions {
                        let read = crate::shell::flow::referenced(&text[e.span.clone()]);
                        out.operands_split.extend(read.iter().cloned());
                        out.operands.extend(read);
                    }
                }
            }
            if !cmd.piped {
                pipe_start = n + 1;
            }
        }
    }
    // An array walked into an operand's variable element by element (`for p in
    // "${ps[@]}"; do kubectl delete pod "$p"`): each element stands there (audit 19).
    let walked: Vec<String> = out
        .operands
        .iter()
        .filter_map(|p| {
            let at = text.find(&format!("for {p} in \"${{"))?;
            let rest = &text[at + format!("for {p} in \"${{").len()..];
            let array = rest.split_once("[@]}\"")?.0;
            array
                .bytes()
                .all(crate::shell::flow::is_name_byte)
                .then(|| array.to_string())
        })
        .collect();
    out.operands.extend(walked);
    // What a `for`, `read -a`, `A=($S)`, `set -- $S` or a function's call splits into an
    // operand's variable (`for s in $SERVICES; do systemctl restart "$s"`, `read -ra A <<<
    // "$S"; systemctl restart "${A[@]}"`) is split into operands too; so is what is copied
    // into a variable split there (`T=$S; systemctl restart $T`: audit 19 OPT-2).
    if !out.operands.is_empty() {
        let (whole, by_splitting) = crate::shell::flow::sources_by_splitting(text, &out.operands);
        out.operands_split.extend(by_splitting);
        // A copy reaches the operand as its source does (`T=$S; systemctl restart "$T"`,
        // `printf -v T %s "$S"`, `set -- "$S"`: audit 20 OPT-1).
        out.operands = whole;
        if !out.operands_split.is_empty() {
            crate::shell::flow::with_sources(text, &mut out.operands_split);
        }
    }
    let (options, options_split) = crate::shell::flow::sources_by_splitting(text, &out.options);
    let (words, words_split) = crate::shell::flow::sources_by_splitting(text, &out.words);
    out.options = options;
    out.words = words;
    out.split = options_split.union(&words_split).cloned().collect();
    // A variable that reaches options gets words split from a value (`read -ra h <<< …`).
    for name in crate::shell::flow::split_assigned(text) {
        if out.options.contains(&name) {
            out.split.insert(name);
        }
    }
    out
}
