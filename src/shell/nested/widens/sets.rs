//! Deleting commands whose own argument syntax reads a value as a set (audit 40): the
//! wildcards of `gsutil rm`, `gcloud storage rm`, `az storage blob delete-batch --pattern`,
//! `azcopy rm` and `hdfs dfs -rm`; the end of what `mc rm` and `btrfs subvolume delete`
//! delete; zfs's snapshot range `%`; a pathspec of `git clean`; a label selector of
//! `kubectl delete -l`; and the host lists of the parallel remote runners (`pdsh -w`,
//! `clush -w`, `parallel-ssh -H`, `knife ssh`, `consul exec -node`/`-service`/`-tag`), by ansible's rule.

use super::super::types::{Wide, WideKind};
use super::found::Found;

impl Found<'_> {
    /// Where the value stands in such a set (`path`: it ends a path, and is no option).
    pub(super) fn sets(&self, program: &str, path: bool) -> Option<Wide> {
        let previous = self.previous();
        let word = self.operands[self.k].cooked.as_str();
        let option = word.starts_with('-') || self.before.starts_with('-');
        let joined = |o: &str| self.before.starts_with(o).then_some(o.len());
        let wide = |what, kind, from| Some(Wide::new(what, kind, self.around(from)));
        match program {
            "gsutil" | "gcloud"
                if self.before.contains("gs://")
                    && (program == "gsutil" || self.verb(&["storage"]))
                    && (self.verb(&["rm", "mv"])
                        || (self.verb(&["rsync"]) && self.has(&["-d"]))) =>
            {
                wide(GLOBBED, WideKind::Set(GLOBS), None)
            }
            "az" if self.verb(&["delete-batch"]) => {
                let from = if previous == "--pattern" {
                    0
                } else {
                    joined("--pattern=")?
                };
                wide(GLOBBED, WideKind::Set(GLOBS), Some(from))
            }
            "azcopy" if self.verb(&["rm", "remove"]) => {
                if previous == "--include-pattern" {
                    wide(GLOBBED, WideKind::Set(GLOBS), None)
                } else if let Some(from) = joined("--include-pattern=") {
                    wide(GLOBBED, WideKind::Set(GLOBS), Some(from))
                } else if !option && self.before.contains("://") {
                    wide(GLOBBED, WideKind::Set(GLOBS), None)
                } else {
                    None
                }
            }
            "hdfs" | "hadoop" if !option && self.verb(&["-rm", "-rmr", "-rmdir"]) => {
                wide(GLOBBED, WideKind::Set(GLOBS), None)
            }
            "mc" if path && self.verb(&["rm", "rb"]) => wide(DELETED, WideKind::Path, None),
            "btrfs" if path && self.verb(&["subvolume"]) && self.verb(&["delete"]) => {
                wide(DELETED, WideKind::Path, None)
            }
            "zfs" if !option && self.verb(&["destroy"]) && self.before.contains('@') => {
                wide(SNAPSHOTS, WideKind::Set("%,"), None)
            }
            "git" if !option && self.pathspec() => wide(PATHSPEC, WideKind::Set(":*?["), None),
            "kubectl" | "oc"
                if self.verb(&["delete", "drain", "scale", "cordon", "label", "annotate"]) =>
            {
                let from = if matches!(previous, "-l" | "--selector") {
                    0
                } else {
                    joined("--selector=").or_else(|| joined("-l"))?
                };
                wide(SELECTOR, WideKind::Selector, Some(from))
            }
            "pdsh" | "clush" | "pdcp" | "clush-copy" => {
                let from = if matches!(previous, "-w" | "--nodes") {
                    0
                } else {
                    joined("--nodes=").or_else(|| joined("-w"))?
                };
                wide(HOSTS, WideKind::Hosts, Some(from))
            }
            // (pssh's `-H` takes `[user@]host[:port]` words and no pattern: only more
            // hosts, split at white space, widen it.)
            "parallel-ssh" | "pssh" | "parallel-scp" | "pscp" | "pscp.pssh"
                if matches!(previous, "-H" | "--host") =>
            {
                wide(HOSTS, WideKind::Set(" \t\n"), None)
            }
            "knife" if self.verb(&["ssh"]) && previous == "ssh" => {
                wide(HOSTS, WideKind::Hosts, None)
            }
            // (Go's flags: `-node X`, `--node=X`; `-tag` filters the services of `-service`.)
            "consul" if self.verb(&["exec"]) => {
                let filter = ["node", "service", "tag"];
                let from = if previous.starts_with('-')
                    && filter.contains(&previous.trim_start_matches('-'))
                {
                    0
                } else {
                    filter.iter().find_map(|f| {
                        joined(&format!("-{f}=")).or_else(|| joined(&format!("--{f}=")))
                    })?
                };
                wide(NODES, WideKind::Pattern, Some(from))
            }
            _ => None,
        }
    }

    /// Whether the value's word is a pathspec of what git deletes or overwrites: an operand
    /// of `git clean`, `git rm -r` or `git restore`, or one after `--` of `git checkout`.
    fn pathspec(&self) -> bool {
        let before = &self.operands[..self.k];
        let after = |verb: &str| before.iter().any(|a| a.cooked == verb);
        let taking = matches!(
            self.previous(),
            "-e" | "--exclude" | "-s" | "--source" | "-C" | "-c"
        );
        !taking
            && (after("clean")
                || after("restore")
                || (after("rm") && self.has(&["-r"]))
                || (after("checkout") && after("--")))
    }
}

/// The characters gsutil, `gcloud storage`, azcopy, HDFS and Azure's `--pattern` read as
/// wildcards.
const GLOBS: &str = "*?[";

const GLOBBED: &str = "it names what the command deletes, which the tool reads with wildcards (`*` every object of a folder, `**` of every folder under it, `?`, `[`), where such a character, an empty value, `.` or `/` would name every object under what is written before it";
const DELETED: &str = "it ends the path of what the command deletes, where an empty value, `.` or `/` would name the whole folder, bucket or subvolume written before it";
const SNAPSHOTS: &str = "it names the snapshot `zfs destroy` destroys, where `%` is a range (`@%` every snapshot of the dataset) and `,` a list, and an empty value names none in particular";
const PATHSPEC: &str = "it is a pathspec of what git deletes or overwrites, where `.`, `*`, `?`, `[`, an empty value or `:` magic (`:/` the whole work tree) would name every file";
const SELECTOR: &str = "it is the label selector of what the command deletes or changes, where `!key`, a bare key, `!=` or `notin` would pick every object without that label or value, and an empty one every object";
const HOSTS: &str = "it is the host list the command runs on, where `all`, `*`, or a name holding `*`, `?`, `[`, `:`, `!`, `&`, `~`, `^` or `@` would pick every host or add ranges, groups and files of hosts (a list of names, `web-1,web-2`, and IP addresses are taken)";
const NODES: &str = "it is a regular expression of the nodes, services or tags `consul exec` runs its command on (`-node`, `-service`, `-tag`): an empty one, one with `|`, one without two letters or digits in a row (`.`), or one found in many unrelated names would pick most nodes";
