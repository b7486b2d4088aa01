//! A value that would widen what a destructive command acts on, although it stays data: an
//! empty value ending the path that `rm -rf "/srv/releases/{{ v }}"` deletes (the whole
//! folder), a `*` in a unit that `systemctl stop` reads as a pattern over every unit, an
//! empty pattern of `pkill -f` (every process) (audit 27 HOLE-14).
//!
//! [`widens`] says where the value stands; [`super::types::Plan::refusal`] refuses the
//! values that would reach more than one thing there ([`super::types::Refusal::Widens`]).

use std::collections::BTreeSet;

use super::files::{before_value, innermost_program};
use super::types::{SENTINEL, Wide};
use crate::shell::programs::base;
use crate::shell::words::{Command, Word};

/// Where the value at `at` makes a destructive command act on more than one thing.
pub(super) fn widens(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<Wide> {
    for cmd in list {
        let args = cmd.args();
        let Some(p) = innermost_program(&args) else {
            continue;
        };
        let Some(k) = args
            .iter()
            .position(|w| !w.redirect && holds(text, w, at, targets))
        else {
            continue;
        };
        if k <= p {
            continue;
        }
        let w = args[k];
        let Some(before) = before_value(text, w, at, targets) else {
            continue;
        };
        let after = w
            .cooked
            .split_once(SENTINEL)
            .map_or("", |(_, rest)| rest.trim_start_matches(SENTINEL));
        let ends_path = (before.is_empty() || before.ends_with('/'))
            && (after.is_empty() || after == "/" || after == "/*");
        let operands = &args[p + 1..];
        let has = |names: &[&str]| {
            operands.iter().any(|a| {
                names.iter().any(|n| {
                    a.cooked == *n
                        || (n.len() == 2
                            && !a.cooked.starts_with("--")
                            && a.cooked.starts_with('-')
                            && a.cooked[1..].contains(&n[1..]))
                })
            })
        };
        let option = w.cooked.starts_with('-') || before.starts_with('-');
        let wide = match base(&args[p].cooked) {
            "rm" | "rmdir" | "shred" | "unlink" | "srm" if ends_path && !option => {
                Some(Wide::path(DELETED))
            }
            "chown" | "chmod" | "chgrp" | "setfacl" | "chattr"
                if ends_path && !option && has(&["-R", "--recursive"]) =>
            {
                Some(Wide::path(CHANGED))
            }
            "find" if ends_path && !option && (has(&["-delete"]) || exec_deletes(operands)) => {
                Some(Wide::path(DELETED))
            }
            "rsync"
                if ends_path
                    && !option
                    && operands.iter().any(|a| a.cooked.starts_with("--delete")) =>
            {
                Some(Wide::path(DELETED))
            }
            "aws"
                if ends_path
                    && before.starts_with("s3://")
                    && operands.iter().any(|a| {
                        matches!(a.cooked.as_str(), "rm" | "rb" | "mv")
                            || (a.cooked == "sync" && has(&["--delete"]))
                    }) =>
            {
                Some(Wide::path(BUCKET))
            }
            "gsutil" | "gcloud" | "s3cmd" | "mc" | "rclone"
                if ends_path
                    && !option
                    && before.contains(':')
                    && operands.iter().any(|a| {
                        matches!(
                            a.cooked.as_str(),
                            "rm" | "del"
                                | "rb"
                                | "delete"
                                | "purge"
                                | "deletefile"
                                | "rmdir"
                                | "mv"
                                | "sync"
                        )
                    }) =>
            {
                Some(Wide::path(BUCKET))
            }
            "systemctl"
                if !option
                    && operands
                        .iter()
                        .any(|a| UNIT_VERBS.contains(&a.cooked.as_str())) =>
            {
                Some(Wide::glob(UNITS))
            }
            "pkill" | "pgrep" if !option => Some(Wide::pattern(PROCESSES)),
            "killall" if !option && has(&["-r", "--regexp"]) => Some(Wide::pattern(PROCESSES)),
            _ => None,
        };
        if wide.is_some() {
            return wide;
        }
    }
    None
}

/// Whether word `w` holds the value at `at` (or a copy of it).
fn holds(text: &str, w: &Word, at: usize, targets: &BTreeSet<String>) -> bool {
    w.span.contains(&at) || before_value(text, w, at, targets).is_some()
}

/// Whether `find`'s `-exec`/`-execdir` runs `rm`.
fn exec_deletes(operands: &[&Word]) -> bool {
    operands.windows(2).any(|pair| {
        matches!(pair[0].cooked.as_str(), "-exec" | "-execdir" | "-ok")
            && matches!(base(&pair[1].cooked), "rm" | "shred" | "unlink")
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

const DELETED: &str = "it ends the path of what the command deletes, where an empty value, `.` or `/` would name the whole folder written before it";
const CHANGED: &str = "it ends the path of what the command changes recursively, where an empty value, `.` or `/` would name the whole folder written before it";
const BUCKET: &str = "it ends the prefix of the objects the command deletes, where an empty value, `.` or `/` would name every object under the bucket or folder written before it";
const UNITS: &str = "it names a unit that `systemctl` acts on, and `systemctl` reads `*`, `?` and `[` there as a pattern over every unit (`*` would stop them all)";
const PROCESSES: &str = "it is the pattern of the processes the command signals, a regular expression: an empty one, one with `|`, or one only of `.`, `*`, `^` and `$` would match every process";

#[cfg(test)]
mod tests {
    use super::super::tests::refusal;

    #[test]
    fn a_value_that_would_widen_a_destructive_command_is_refused() {
        for (script, bad, good) in [
            ("rm -rf \"/srv/releases/{{ v }}\"", "", "2026-12-01"),
            ("rm -rf \"/srv/releases/{{ v }}\"", "/", "2026-12-01"),
            ("rm -rf \"/srv/releases/{{ v }}\"", ".", "2026-12-01"),
            ("rm -rf \"/srv/releases/{{ v }}/\"", " ", "2026-12-01"),
            (
                "sudo chown -R app \"/srv/releases/{{ v }}\"",
                "",
                "2026-12-01",
            ),
            (
                "find \"/var/log/app/{{ v }}\" -name '*.gz' -delete",
                "",
                "2026",
            ),
            (
                "aws s3 rm --recursive \"s3://backups/{{ v }}\"",
                "",
                "2026-12-01/",
            ),
            ("gsutil -m rm -r \"gs://backups/{{ v }}\"", "/", "old"),
            ("sudo systemctl stop \"{{ v }}\"", "*", "nginx.service"),
            ("systemctl restart \"app-{{ v }}\"", "*", "web"),
            ("pkill -f \"{{ v }}\"", "", "gunicorn: app"),
            ("pkill -f \"{{ v }}\"", "x|", "worker.py"),
            ("pkill -f \"{{ v }}\"", ".*", "worker.py"),
            ("killall -r \"{{ v }}\"", "^", "java"),
        ] {
            assert!(refusal(script, bad).is_some(), "{script} with {bad:?}");
            assert_eq!(refusal(script, good), None, "{script} with {good:?}");
        }
        // Where no folder is named before it, or nothing is deleted, it is not widened.
        for (script, value) in [
            ("rm -f \"/tmp/{{ v }}.lock\"", ""),
            ("ls -la \"/srv/releases/{{ v }}\"", ""),
            ("chown app \"/srv/releases/{{ v }}\"", ""),
            ("systemctl status \"{{ v }}\"", "*"),
            ("aws s3 ls \"s3://backups/{{ v }}\"", ""),
            ("echo \"{{ v }}\"", ""),
        ] {
            assert_eq!(refusal(script, value), None, "{script} with {value:?}");
        }
    }
}
