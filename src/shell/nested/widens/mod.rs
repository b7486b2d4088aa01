//! A value that would widen what a destructive command acts on, although it stays data: an
//! empty value ending the path that `rm -rf "/srv/releases/{{ v }}"` deletes (the whole
//! folder), a `*` in a unit that `systemctl stop` reads as a pattern over every unit, an
//! empty pattern of `pkill -f` (every process) (audit 27 HOLE-14).
//!
//! [`widens`] says where the value stands; [`super::types::Plan::refusal`] refuses the
//! values that would reach more than one thing there ([`super::types::Refusal::Widens`]).

use std::collections::BTreeSet;

mod found;
mod places;
mod requests;
mod scope;
mod sets;

use found::{Found, SELECTED};

use super::files::{before_value, innermost_program};
use super::types::{SENTINEL, Wide, WideKind};
use crate::shell::programs::{base, command_index, is_assignment_word, program_index};
use crate::shell::words::{Command, Word, commands};

/// Where the value at `at` makes a destructive command act on more than one thing.
pub(super) fn widens(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<Wide> {
    within(text, list, at, targets, false, 0).or_else(|| through_function(text, list, at, targets))
}

/// [`widens`] in the body of a function the script defines and calls with the value:
/// `del() { rm -rf "/srv/releases/$1"; }; del "{{ v }}"` reads it as `$1` there (audit 41
/// A41-17).
fn through_function(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<Wide> {
    if !text.contains("()") && !text.contains("function ") {
        return None;
    }
    let names = crate::shell::flow::functions(text);
    list.iter().find_map(|cmd| {
        let args = cmd.args();
        let c = command_index(&args);
        let name = args.get(c).map(|w| w.cooked.as_str())?;
        if !names.contains(name) {
            return None;
        }
        let k = args[c + 1..]
            .iter()
            .position(|w| before_value(text, w, at, targets).is_some())?;
        let body = crate::shell::flow::function_span(text, name)?;
        let inner: Vec<Command> = list
            .iter()
            .filter(|c| {
                c.words
                    .first()
                    .is_some_and(|w| body.contains(&w.span.start))
            })
            .cloned()
            .collect();
        let positional = BTreeSet::from([(k + 1).to_string()]);
        within(text, &inner, usize::MAX, &positional, false, 0)
    })
}

/// [`widens`] in `list`, whose output `feeds` a command that deletes or stops what it names
/// (`kill $(pgrep …)`, `kubectl delete $(… | grep …)`), looking into the substitutions the
/// value stands in first.
fn within(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
    feeds: bool,
    depth: u8,
) -> Option<Wide> {
    if depth > 8 {
        return None;
    }
    for (n, cmd) in list.iter().enumerate() {
        for w in &cmd.words {
            for e in w.expansions.iter().filter(|e| e.span.contains(&at)) {
                let Some(inner) = e.inner.clone().and_then(|r| commands(text, r)) else {
                    continue;
                };
                // Its output reaches a deleter's words, directly or through a variable
                // (`pods=$(…)`, `for p in $(…)`).
                let args = cmd.args();
                let variable = if is_assignment_word(w) {
                    w.cooked.split_once('=').map(|(name, _)| name)
                } else if args.first().is_some_and(|a| a.cooked == "for") {
                    args.get(1).map(|a| a.cooked.as_str())
                } else {
                    None
                };
                let to_deleter = deleter(cmd)
                    || variable.is_some_and(|name| {
                        list[n + 1..]
                            .iter()
                            .any(|c| deleter(c) && refers(text, c, name))
                    });
                if let Some(wide) =
                    within(text, &inner, at, targets, feeds || to_deleter, depth + 1)
                {
                    return Some(wide);
                }
            }
        }
    }
    for (n, cmd) in list.iter().enumerate() {
        let args = cmd.args();
        let Some(p) = innermost_program(&args) else {
            continue;
        };
        let Some((k, before)) = args.iter().enumerate().find_map(|(k, w)| {
            let before = (!w.redirect).then(|| before_value(text, w, at, targets))??;
            Some((k, before))
        }) else {
            continue;
        };
        let w = args[k];
        let after = w
            .cooked
            .split_once(SENTINEL)
            .map_or("", |(_, rest)| rest.trim_start_matches(SENTINEL))
            .to_string();
        let ends_path = (before.is_empty() || before.ends_with('/'))
            && after.chars().all(|c| matches!(c, '/' | '*'));
        // `rm -rf /srv/release-"{{ v }}"*`, `/srv/*"{{ v }}"`: a `*` beside the value in its
        // part of the path (audit 29 H-14).
        let globbed = before.rsplit('/').next().is_some_and(|p| p.contains('*'))
            || after.split('/').next().is_some_and(|p| p.contains('*'));
        // `cd "/srv/releases/{{ v }}" && rm -rf -- ./*`: the folder it enters is what a
        // later command deletes in.
        // (`builtin cd`, `command cd`: the builtin itself, as behind any wrapper.)
        let c = program_index(&args, command_index(&args));
        if k > c
            && args
                .get(c)
                .is_some_and(|w| matches!(base(&w.cooked), "cd" | "pushd"))
            && ends_path
            && list[n + 1..].iter().any(deletes_paths)
        {
            return Some(Wide::path(ENTERED));
        }
        if k <= p {
            continue;
        }
        // `echo "{{ v }}" | xargs systemctl stop`: the value is the operand of the command
        // that xargs runs.
        if matches!(base(&args[p].cooked), "echo" | "printf")
            && cmd.piped
            && let Some(wide) = list.get(n + 1).and_then(|next| {
                let a = next.args();
                let x = command_index(&a);
                if a.get(x).is_none_or(|w| base(&w.cooked) != "xargs") {
                    return None;
                }
                let q = program_index(&a, x);
                let found = Found::of(a.get(q + 1..).unwrap_or_default());
                match a.get(q).map(|w| base(&w.cooked)) {
                    Some("systemctl") if found.verb(UNIT_VERBS) => {
                        Some(Wide::new(UNITS, WideKind::Unit, Default::default()))
                    }
                    Some("pkill" | "pgrep") => Some(Wide::pattern(PROCESSES, Default::default())),
                    Some("kill") => Some(Wide::pid(SIGNALLED)),
                    _ => None,
                }
            })
        {
            return Some(wide);
        }
        let feeds = feeds || pipes_into_deleter(list, n);
        let found = Found {
            operands: &args[p + 1..],
            k: k - p - 1,
            before: &before,
            after: &after,
            ends_path,
            globbed,
        };
        if let Some(wide) = requests::written_file(text, list, n)
            .and_then(|file| found.written(base(&args[p].cooked), &file))
        {
            return Some(wide);
        }
        let replaces = places::replaces_whole(text, list, n);
        if let Some(wide) = found.widens(base(&args[p].cooked), feeds, replaces) {
            return Some(wide);
        }
    }
    None
}

impl Found<'_> {
    fn widens(&self, program: &str, feeds: bool, replaces: bool) -> Option<Wide> {
        let word = self.operands[self.k].cooked.as_str();
        let option = word.starts_with('-') || self.before.starts_with('-');
        let path = (self.ends_path || self.globbed) && !option;
        if let Some(wide) = self
            .sets(program, path)
            .or_else(|| self.scope(program))
            .or_else(|| self.requests(program, feeds))
        {
            return Some(wide);
        }
        // An address joined to its option (`--source=…`, `-s…`, `CidrIp=…`).
        let joined = match program {
            "iptables" | "ip6tables" => self.option_prefix(ADDRESS_OPTIONS, false),
            "firewall-cmd" => self.option_prefix(&["--add-source=", "--remove-source="], false),
            "aws" | "gcloud" => {
                self.option_prefix(&["--cidr=", "--source-ranges=", "CidrIp="], true)
            }
            _ => None,
        };
        let wide = match program {
            "rm" | "rmdir" | "shred" | "unlink" | "srm" if path => Wide::path(DELETED),
            "truncate" if path => Wide::path(EMPTIED),
            // `ls -d /dir/{{ v }}* | xargs rm -rf`: what it lists is what is deleted.
            "ls" if path && feeds => Wide::path(DELETED),
            "chown" | "chmod" | "chgrp" | "setfacl" | "chattr"
                if path && self.has(&["-R", "--recursive"]) =>
            {
                Wide::path(CHANGED)
            }
            // (Also `find "/dir/{{ v }}" … | xargs rm`, `| while read -r f; do rm "$f"`:
            // what it lists is what is deleted, audit 41 A41-7.)
            "find" if self.has(&["-delete"]) || exec_deletes(self.operands) || feeds => {
                match self.previous() {
                    "-name" | "-iname" | "-path" | "-ipath" | "-wholename" | "-iwholename" => {
                        Wide::glob(NAMED, self.around(None))
                    }
                    "-regex" | "-iregex" => Wide::pattern(NAMED, self.around(None)),
                    _ if path => Wide::path(DELETED),
                    _ => return None,
                }
            }
            // `git -C "/srv/app/{{ v }}" clean -fdx`, `make -C "…/{{ v }}" clean`: the folder
            // the command deletes in, as a `cd` before it (audit 41 A41-18).
            "git"
                if path
                    && self.previous() == "-C"
                    && (self.verb(&["clean", "rm", "restore"])
                        || (self.verb(&["checkout", "reset"])
                            && self.has(&["--", "--hard", "-f", "--force"]))) =>
            {
                Wide::path(ENTERED)
            }
            "make"
                if path
                    && matches!(self.previous(), "-C" | "--directory")
                    && self.verb(&["clean", "distclean", "mrproper", "clobber"]) =>
            {
                Wide::path(ENTERED)
            }
            "rsync" if path && self.deletes_in_destination() => Wide::path(DELETED),
            "rsync" if path && self.has(&["--remove-source-files"]) && !self.last_operand() => {
                Wide::path(DELETED)
            }
            "tar" if path && self.has(&["--remove-files"]) => Wide::path(DELETED),
            // (With `-t DIR`, every operand but the folder is moved.)
            "mv" if path
                && !matches!(self.previous(), "-t" | "--target-directory")
                && !self.before.starts_with("--target-directory=")
                && (!self.last_operand()
                    || self.has(&["-t"])
                    || self
                        .operands
                        .iter()
                        .any(|a| a.cooked.starts_with("--target-directory"))) =>
            {
                Wide::path(MOVED)
            }
            "aws"
                if self.ends_path
                    && self.before.starts_with("s3://")
                    && (self.verb(&["rm", "rb", "mv"])
                        || (self.verb(&["sync"]) && self.has(&["--delete"]))) =>
            {
                Wide::path(BUCKET)
            }
            "gsutil" | "gcloud" | "s3cmd" | "mc" | "rclone"
                if path
                    && self.before.contains(':')
                    && self.verb(&[
                        "rm",
                        "del",
                        "rb",
                        "delete",
                        "purge",
                        "deletefile",
                        "rmdir",
                        "mv",
                        "sync",
                    ]) =>
            {
                Wide::path(BUCKET)
            }
            // `etcdctl del --prefix "/app/{{ v }}"`, `consul kv delete -recurse "app/{{ v }}"`:
            // every key that starts with the text before an empty value.
            "etcdctl" | "consul"
                if !option
                    && self.after.is_empty()
                    && ((self.verb(&["del"]) && self.has(&["--prefix", "--from-key"]))
                        || (self.verb(&["delete"]) && self.has(&["-recurse", "--recurse"]))) =>
            {
                Wide::path(KEYS)
            }
            "systemctl" if !option && self.verb(UNIT_VERBS) => {
                Wide::new(UNITS, WideKind::Unit, self.around(None))
            }
            // `kill -TERM -"{{ v }}"`: a process or its group, where `1` is every process and
            // `0` runbook's own group (audit 29 H-19); `pkill -P 1`, `-u root` (H-20).
            // (`kill -"{{ v }}" 4242`, `kill -s "{{ v }}" 4242`: a signal.)
            "kill"
                if (self.before.is_empty() || (self.before == "-" && self.last_operand()))
                    && !matches!(self.previous(), "-s" | "-n" | "-l" | "-L" | "--signal") =>
            {
                Wide::pid(SIGNALLED)
            }
            "pkill" | "pgrep" | "killall"
                if OWNER_OPTIONS.contains(&self.previous())
                    || OWNER_OPTIONS.contains(&self.before.trim_end_matches('='))
                    || (program == "killall" && matches!(self.previous(), "-u" | "--user")) =>
            {
                Wide::pid(OWNED)
            }
            "pkill" | "pgrep" if !option => Wide::pattern(PROCESSES, self.around(None)),
            "killall" if !option && self.has(&["-r", "--regexp"]) => {
                Wide::pattern(PROCESSES, self.around(None))
            }
            // Firewall rules: an address range that matches every address.
            "iptables" | "ip6tables"
                if matches!(
                    self.previous(),
                    "-s" | "-d"
                        | "--source"
                        | "--destination"
                        | "--src"
                        | "--dst"
                        | "--src-range"
                        | "--dst-range"
                ) =>
            {
                Wide::network(self.around(None))
            }
            "iptables" | "ip6tables" | "firewall-cmd" | "aws" | "gcloud" if joined.is_some() => {
                Wide::network(self.around(joined))
            }
            "ufw" if matches!(self.previous(), "from" | "to") => Wide::network(self.around(None)),
            // `nft add rule … ip saddr {{ v }} … accept`, in words or in one string.
            "nft"
                if matches!(self.previous(), "saddr" | "daddr")
                    || self.before.trim_end().ends_with("saddr")
                    || self.before.trim_end().ends_with("daddr") =>
            {
                Wide::network(self.around(None))
            }
            "aws" | "gcloud"
                if matches!(self.previous(), "--cidr" | "--cidr-ip" | "--source-ranges") =>
            {
                Wide::network(self.around(None))
            }
            // (`echo "{{ v }}" | xargs systemctl stop`: handled where xargs runs it.)
            _ => {
                return self
                    .picks(program, replaces)
                    .or_else(|| feeds.then(|| self.selects(program)).flatten());
            }
        };
        Some(wide)
    }

    /// A value that picks what a later command deletes or stops: a pattern of `grep`, a
    /// filter of `docker ps`, `aws … describe-*` or `gcloud … list`, a pattern of keys.
    fn selects(&self, program: &str) -> Option<Wide> {
        let previous = self.previous();
        if let Some(wide) = self.filters(program) {
            return Some(wide);
        }
        match program {
            "grep" | "egrep" | "fgrep" | "zgrep" | "rg" => {
                if self.has(&["-v", "--invert-match"]) || !self.grep_pattern() {
                    return None;
                }
                if program == "fgrep" || self.has(&["-F", "--fixed-strings"]) {
                    Some(Wide::fixed(SELECTED, self.around(None)))
                } else {
                    Some(Wide::pattern(SELECTED, self.around(None)))
                }
            }
            "docker" | "podman" | "nerdctl" => {
                let i = self.before.rfind("name=")? + "name=".len();
                Some(Wide::pattern(SELECTED, self.around(Some(i))))
            }
            "aws" => {
                let i = self.before.rfind("Values=")? + "Values=".len();
                Some(Wide::glob(SELECTED, self.around(Some(i))))
            }
            "gcloud" => {
                let i = self.before.rfind(['~', ':', '='])? + 1;
                if self.before[..i].ends_with('~') {
                    Some(Wide::pattern(SELECTED, self.around(Some(i))))
                } else {
                    Some(Wide::glob(SELECTED, self.around(Some(i))))
                }
            }
            "redis-cli" if previous == "--pattern" || previous.eq_ignore_ascii_case("keys") => {
                Some(Wide::glob(SELECTED, self.around(None)))
            }
            _ => None,
        }
    }
}

/// Whether `cmd` deletes, stops or signals what its words name (`kill`, `xargs rm`,
/// `kubectl delete`, `docker rm`, `redis-cli del`, `aws ec2 terminate-instances`).
fn deleter(cmd: &Command) -> bool {
    let args = cmd.args();
    let p = program_index(&args, command_index(&args));
    let Some(name) = args.get(p).map(|w| base(&w.cooked)) else {
        return false;
    };
    let verbs = |words: &[&str]| {
        args[p + 1..]
            .iter()
            .any(|a| words.iter().any(|v| a.cooked.eq_ignore_ascii_case(v)))
    };
    match name {
        "kill" | "pkill" | "rm" | "rmdir" | "shred" | "unlink" | "truncate" | "chmod" | "chown"
        | "chgrp" => true,
        "kubectl" | "oc" => verbs(&["delete", "drain", "cordon", "evict"]),
        "docker" | "podman" | "nerdctl" => verbs(&["rm", "rmi", "kill", "stop", "prune"]),
        "redis-cli" => verbs(&["del", "unlink"]),
        "userdel" | "deluser" => true,
        "virsh" => verbs(&["destroy", "undefine", "shutdown"]),
        "zfs" => verbs(&["destroy"]),
        "etcdctl" => verbs(&["del"]),
        "systemctl" => verbs(UNIT_VERBS),
        "aws" => args[p + 1..].iter().any(|a| {
            a.cooked.starts_with("terminate-")
                || a.cooked.starts_with("delete-")
                || matches!(a.cooked.as_str(), "rm" | "rb")
        }),
        "gcloud" | "az" | "doctl" | "hcloud" => verbs(&["delete", "stop"]),
        "helm" => verbs(&["uninstall", "delete", "del", "un"]),
        // `git branch -D`, `git tag -d`, `git push --delete origin`.
        "git" => {
            let flag = args[p + 1..]
                .iter()
                .any(|a| matches!(a.cooked.as_str(), "-D" | "-d" | "--delete"));
            flag && verbs(&["branch", "tag", "push"])
        }
        _ => false,
    }
}

/// Whether `cmd` deletes or changes the paths it names (`rm`, `find … -delete`).
fn deletes_paths(cmd: &Command) -> bool {
    let args = cmd.args();
    let p = program_index(&args, command_index(&args));
    let found = Found::of(args.get(p + 1..).unwrap_or_default());
    match args.get(p).map(|w| base(&w.cooked)) {
        Some("rm" | "rmdir" | "shred" | "unlink" | "truncate") => true,
        Some("find") => found.has(&["-delete"]) || exec_deletes(found.operands),
        Some("rsync") => found.deletes_in_destination(),
        Some("chown" | "chmod" | "chgrp") => found.has(&["-R", "--recursive"]),
        _ => false,
    }
}

/// Whether the pipeline that `list[n]` starts or continues ends in a [`deleter`]:
/// `ps aux | grep "{{ v }}" | awk '{print $2}' | xargs kill`.
fn pipes_into_deleter(list: &[Command], n: usize) -> bool {
    let mut m = n;
    while list.get(m).is_some_and(|c| c.piped) {
        m += 1;
        if list.get(m).is_some_and(deleter) {
            return true;
        }
        // `find … | while read -r f; do rm -f "$f"; done`: the loop reads the lines.
        if list.get(m).is_some_and(|c| {
            c.args()
                .first()
                .is_some_and(|w| !w.quoted && w.cooked == "while")
        }) {
            return list[m..]
                .iter()
                .take_while(|c| {
                    c.args()
                        .first()
                        .is_none_or(|w| w.quoted || w.cooked != "done")
                })
                .any(deleter);
        }
    }
    false
}

/// Whether a word of `cmd` reads variable `name`.
fn refers(text: &str, cmd: &Command, name: &str) -> bool {
    cmd.words.iter().any(|w| {
        w.expansions.iter().any(|e| {
            crate::shell::flow::referenced(&text[e.span.clone()])
                .iter()
                .any(|r| r == name)
        })
    })
}

/// Whether `find`'s `-exec`/`-execdir` runs a program that deletes, empties or changes the
/// files it is given (`rm`, `truncate -s 0`, `chmod 000`).
fn exec_deletes(operands: &[&Word]) -> bool {
    operands.windows(2).any(|pair| {
        matches!(
            pair[0].cooked.as_str(),
            "-exec" | "-execdir" | "-ok" | "-okdir"
        ) && matches!(
            base(&pair[1].cooked),
            "rm" | "shred" | "unlink" | "truncate" | "chmod" | "chown" | "chgrp" | "srm"
        )
    })
}

/// The verbs of `systemctl` that stop, change or remove the units named.
const UNIT_VERBS: &[&str] = &[
    "stop",
    "kill",
    "restart",
    "try-restart",
    "reload-or-restart",
    "disable",
    "mask",
    "freeze",
    "clean",
    "reset-failed",
    "isolate",
];

const ENTERED: &str = "it ends the path of the folder `cd` enters (or `git -C`, `make -C` works in) before a command deletes or changes what is in it, where an empty value, `.` or `/` would enter the whole folder written before it";
/// The options of `pkill`/`pgrep` that pick processes by parent, group, session or user.
const OWNER_OPTIONS: &[&str] = &[
    "-P",
    "--parent",
    "-g",
    "--pgroup",
    "-s",
    "--session",
    "-u",
    "--euid",
    "-U",
    "--uid",
];

/// The options of iptables that take an address, written joined to it (`-s10.0.0.0/8`).
const ADDRESS_OPTIONS: &[&str] = &[
    "--source=",
    "--destination=",
    "--src=",
    "--dst=",
    "-s",
    "-d",
];

const SIGNALLED: &str = "it is the process or process group that `kill` signals, where `1` would be every process and `0` runbook's own group";
const OWNED: &str = "it names the parent, group, session or user of the processes the command signals, where `1`, `0` or `root` would pick every process of the system";
const MOVED: &str = "it ends the path of what `mv` moves away, where an empty value, `.` or `/` would name the whole folder written before it";
const EMPTIED: &str = "it ends the path of the files the command empties, where an empty value, `.` or `/` would name every file of the folder written before it";
const KEYS: &str = "it ends the prefix of the keys the command deletes, where an empty value would name every key that starts with the text before it, and one of only punctuation (`!`, `.`) every key after it with `--from-key`";
const NAMED: &str = "it is the name pattern of the files `find` deletes, where `*`, `?`, `[` or an empty value would match more than one name";
const DELETED: &str = "it ends the path of what the command deletes, where an empty value, `.` or `/` would name the whole folder written before it";
const CHANGED: &str = "it ends the path of what the command changes recursively, where an empty value, `.` or `/` would name the whole folder written before it";
const BUCKET: &str = "it ends the prefix of the objects the command deletes, where an empty value, `.` or `/` would name every object under the bucket or folder written before it";
const UNITS: &str = "it names a unit that `systemctl` acts on, and `systemctl` reads `*`, `?` and `[` there as a pattern over every unit (`*` would stop them all), and a slice or target (`system.slice`, `-.slice`, `multi-user.target`) holds many units";
const PROCESSES: &str = "it is the pattern of the processes the command signals, a regular expression: an empty one, one with `|`, one without two letters or digits in a row (`/`, `e`, `[0-9]`, `x*`), or one found in many unrelated command lines (`usr`, `bin`) would match most processes";

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;
