//! More places where a value picks what a command acts on (audit 29): the lines `sed -i
//! '/…/d'` deletes or a `grep -v` that replaces a whole table keeps, the `--include` of what
//! `aws s3 rm` deletes (or `cp`, `mv` copy or move), the host pattern of ansible and salt, the address range of an Azure
//! NSG rule, whom or what a policy grants (a Vault policy's paths are `batches.rs`'s); and
//! filters whose output a later command deletes
//! or stops: a JMESPath `--query`, `helm ls --filter`, `docker images`, `systemctl
//! list-units`, `git for-each-ref`, the `/…/` of awk and `sed -n`.

use super::super::types::{Wide, WideKind};
use super::found::{Found, SELECTED};
use crate::shell::programs::{base, command_index, program_index};
use crate::shell::words::Command;

impl Found<'_> {
    /// Where the command itself acts on more with some values (`replaces`: its output
    /// replaces a whole table or file, [`replaces_whole`]).
    pub(super) fn picks(&self, program: &str, replaces: bool) -> Option<Wide> {
        let previous = self.previous();
        let wide = |what, kind, around| Some(Wide::new(what, kind, around));
        match program {
            // `sed -i "/{{ v }}/d" FILE`: every line its pattern matches is deleted.
            "sed" if self.in_place() && self.sed_script() => {
                let (around, rest) = self.slashed()?;
                sed_command(rest, 'd').then(|| Wide::pattern(LINES_DELETED, around))
            }
            // `crontab -l | grep -v "{{ v }}" | crontab -`: every line it matches is dropped.
            "grep" | "egrep" | "fgrep" | "zgrep"
                if replaces && self.has(&["-v", "--invert-match"]) && self.grep_pattern() =>
            {
                if program == "fgrep" || self.has(&["-F", "--fixed-strings"]) {
                    Some(Wide::fixed(LINES_DROPPED, self.around(None)))
                } else {
                    Some(Wide::pattern(LINES_DROPPED, self.around(None)))
                }
            }
            // `aws s3 rm s3://b/ --recursive --exclude "*" --include "{{ v }}*"`; `cp` and
            // `mv` copy or move what it includes, `sync --delete` deletes.
            "aws"
                if (previous == "--include" || self.before.starts_with("--include="))
                    && self
                        .operands
                        .iter()
                        .any(|a| a.cooked.starts_with("--exclude"))
                    && (self.verb(&["rm", "mv", "cp"])
                        || (self.verb(&["sync"]) && self.has(&["--delete"]))) =>
            {
                let from = self.before.starts_with("--include=").then_some(10);
                wide(INCLUDED, WideKind::Wildcards, self.around(from))
            }
            // `az network nsg rule create --source-address-prefixes "{{ v }}"` (one or more
            // words after the option).
            "az" if self.verb(&["nsg"]) => {
                if let Some(i) = self.option_prefix(NSG_PREFIXES_JOINED, false) {
                    return Some(Wide::network(self.around(Some(i))));
                }
                let option = self.operands[..self.k]
                    .iter()
                    .rev()
                    .find(|a| a.cooked.starts_with('-'))?;
                NSG_PREFIXES
                    .contains(&option.cooked.as_str())
                    .then(|| Wide::network(self.around(None)))
            }
            "ansible" | "ansible-playbook" => {
                let from = if matches!(previous, "--limit" | "-l") {
                    0
                } else if self.before.starts_with("--limit=") {
                    8
                } else if self.before == "-l" {
                    2
                } else if program == "ansible" && self.first_operand(ANSIBLE_TAKING) == Some(self.k)
                {
                    0
                } else {
                    return None;
                };
                wide(HOSTS, WideKind::Hosts, self.around(Some(from)))
            }
            "salt" | "salt-ssh" if self.first_operand(SALT_TAKING) == Some(self.k) => {
                if self.has(&["-E", "--pcre"]) {
                    Some(Wide::pattern(HOSTS, self.around(None)))
                } else if self.has(SALT_OTHER_TARGETS) {
                    None
                } else {
                    wide(HOSTS, WideKind::Hosts, self.around(None))
                }
            }
            // Grants: an ARN or a principal of an inline IAM policy, a member of a bucket's
            // or project's policy.
            "aws"
                if previous == "--policy-document"
                    || self.before.starts_with("--policy-document=") =>
            {
                let arn = self
                    .before
                    .rfind("arn:")
                    .filter(|&i| !self.before[i..].contains('"'));
                let principal = self.before.trim_end().strip_suffix('"').is_some_and(|b| {
                    let b = b.trim_end().trim_end_matches(':').trim_end();
                    b.ends_with("\"AWS\"") || b.ends_with("\"Principal\"")
                });
                let after = self.after.split('"').next().unwrap_or("").to_string();
                match arn {
                    Some(i) => wide(
                        GRANTED,
                        WideKind::Grant,
                        (self.before[i..].to_string(), after),
                    ),
                    None if principal => wide(GRANTED, WideKind::Grant, (String::new(), after)),
                    None => None,
                }
            }
            "gsutil"
                if self.verb(&["iam", "acl", "defacl"])
                    && self.verb(&["ch"])
                    && previous != "-d" =>
            {
                wide(GRANTED, WideKind::Grant, self.around(None))
            }
            // (Not `remove-iam-policy-binding`: it narrows who may.)
            "gcloud"
                if (previous == "--member" || self.before.starts_with("--member="))
                    && !self
                        .operands
                        .iter()
                        .any(|a| a.cooked.starts_with("remove-")) =>
            {
                let from = self.before.starts_with("--member=").then_some(9);
                wide(GRANTED, WideKind::Grant, self.around(from))
            }
            // `kubectl create clusterrolebinding … --group "{{ v }}"` (audit 41 A41-4);
            // `kafka-acls --add --allow-principal "User:{{ v }}"`.
            "kubectl" | "oc"
                if self.verb(&["create"]) && self.verb(&["rolebinding", "clusterrolebinding"]) =>
            {
                let from = if matches!(previous, "--user" | "--group" | "--serviceaccount") {
                    0
                } else {
                    self.option_prefix(&["--user=", "--group=", "--serviceaccount="], false)?
                };
                wide(GRANTED, WideKind::Grant, self.around(Some(from)))
            }
            "kafka-acls" | "kafka-acls.sh"
                if self.verb(&["--add"])
                    && matches!(previous, "--allow-principal" | "--allow-host") =>
            {
                wide(GRANTED, WideKind::Grant, self.around(None))
            }
            // (A Vault policy's paths: `batches.rs` holds every string of a Vault policy,
            // inline or on vault's input, to its glob characters.)
            _ => None,
        }
    }

    /// A filter whose output a later command deletes or stops (beyond those of
    /// [`Found::selects`]).
    pub(super) fn filters(&self, program: &str) -> Option<Wide> {
        let previous = self.previous();
        let option = self.operands[self.k].cooked.starts_with('-') || self.before.starts_with('-');
        match program {
            // `aws ec2 describe-instances --query "…[?contains(…, '{{ v }}')].InstanceId"`.
            "aws" | "az" if previous == "--query" || self.before.starts_with("--query=") => {
                Some(Wide::new(QUERIED, WideKind::Query, Default::default()))
            }
            "helm" if self.verb(&["list", "ls"]) => {
                let from = if matches!(previous, "--filter" | "-f") {
                    0
                } else {
                    self.option_prefix(&["--filter="], false)?
                };
                Some(Wide::pattern(SELECTED, self.around(Some(from))))
            }
            // `docker images -q "{{ v }}"`: no repository is every image.
            "docker" | "podman" | "nerdctl"
                if self.verb(&["images"])
                    || (self.verb(&["image"]) && self.verb(&["ls", "list"])) =>
            {
                if let Some(i) = self.before.rfind("reference=") {
                    let from = i + "reference=".len();
                    Some(Wide::glob(SELECTED, self.around(Some(from))))
                } else if !option && !matches!(previous, "--filter" | "-f" | "--format") {
                    Some(Wide::glob(SELECTED, self.around(None)))
                } else {
                    None
                }
            }
            "systemctl"
                if !option
                    && self.verb(&[
                        "list-units",
                        "list-unit-files",
                        "list-timers",
                        "list-sockets",
                    ]) =>
            {
                Some(Wide::glob(SELECTED, self.around(None)))
            }
            // `git for-each-ref "refs/heads/{{ v }}*"`, `git branch --list "{{ v }}*"`.
            "git"
                if !option
                    && (self.verb(&["for-each-ref"])
                        || (self.verb(&["branch", "tag"]) && self.has(&["--list", "-l"]))) =>
            {
                Some(Wide::glob(SELECTED, self.around(None)))
            }
            // `awk '/{{ v }}/ {print $1}'`, `sed -n '/{{ v }}/p'`.
            "awk" | "gawk" | "mawk" | "nawk" if !option => {
                let (around, rest) = self.slashed()?;
                let rest = rest.trim_start();
                (rest.is_empty() || rest.starts_with('{')).then(|| Wide::pattern(SELECTED, around))
            }
            "sed" if self.has(&["-n", "--quiet", "--silent"]) && self.sed_script() => {
                let (around, rest) = self.slashed()?;
                sed_command(rest, 'p').then(|| Wide::pattern(SELECTED, around))
            }
            _ => None,
        }
    }

    /// Whether the value's word is grep's pattern: `-e`'s, or the first operand that is not
    /// an option or a number (`-m 1`).
    pub(super) fn grep_pattern(&self) -> bool {
        let first = self.operands.iter().position(|a| {
            !a.cooked.starts_with('-') && !a.cooked.chars().all(|c| c.is_ascii_digit())
        });
        matches!(self.previous(), "-e" | "--regexp")
            || (!self.verb(&["-e", "--regexp"]) && first == Some(self.k))
    }

    /// Whether `sed` edits its files in place (`-i`, `-i.bak`, `-ni`, `--in-place=.bak`).
    fn in_place(&self) -> bool {
        self.has(&["-i"])
            || self
                .operands
                .iter()
                .any(|a| a.cooked.starts_with("--in-place"))
    }

    /// Whether the value's word is sed's script: `-e`'s, or the first operand.
    fn sed_script(&self) -> bool {
        matches!(self.previous(), "-e" | "--expression")
            || (!self.verb(&["-e", "--expression"])
                && self.first_operand(&["-f", "-l"]) == Some(self.k))
    }

    /// The index of the first operand that is not an option or the argument of one of
    /// `taking`.
    fn first_operand(&self, taking: &[&str]) -> Option<usize> {
        let mut skip = false;
        for (j, a) in self.operands.iter().enumerate() {
            let w = a.cooked.as_str();
            if skip {
                skip = false;
            } else if w.starts_with('-') && w.len() > 1 {
                skip = taking.contains(&w);
            } else {
                return Some(j);
            }
        }
        None
    }

    /// The regular expression between `/`s that starts the value's word and holds the value
    /// (`/{{ v }}/d`, awk's `/{{ v }}/ {print $1}`): its text before and after the value,
    /// and what follows its closing `/`.
    fn slashed(&self) -> Option<((String, String), &str)> {
        let open = *slashes(self.before).last()?;
        if !self.before[..open].trim().is_empty() {
            return None;
        }
        let close = *slashes(self.after).first()?;
        let around = (
            self.before[open + 1..].to_string(),
            self.after[..close].to_string(),
        );
        Some((around, &self.after[close + 1..]))
    }
}

/// Where `text` holds a `/` not escaped by `\`.
fn slashes(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '/' {
            out.push(i);
        }
    }
    out
}

/// Whether sed's script after an address's closing `/` is the one-letter `command` (`d`,
/// `p`), maybe after the `I`/`M` flags.
fn sed_command(rest: &str, command: char) -> bool {
    let rest = rest
        .trim_start()
        .trim_start_matches(['I', 'M'])
        .trim_start();
    let mut chars = rest.chars();
    chars.next() == Some(command)
        && chars
            .next()
            .is_none_or(|c| c == ';' || c == '}' || c.is_whitespace())
}

/// Whether the output of the pipeline that `list[n]` starts or continues replaces a whole
/// table or file: `| crontab -`, `| sponge FILE`, `| tee FILE`, or `> FILE` that a later
/// `mv`/`cp` puts in place of another.
pub(super) fn replaces_whole(text: &str, list: &[Command], n: usize) -> bool {
    let mut m = n;
    while let Some(cmd) = list.get(m) {
        let args = cmd.args();
        let p = program_index(&args, command_index(&args));
        let found = Found::of(args.get(p + 1..).unwrap_or_default());
        let name = args.get(p).map(|w| base(&w.cooked));
        if m > n {
            match name {
                Some("crontab") if !found.has(&["-l", "-e", "-r"]) => return true,
                Some("sponge") => return true,
                Some("tee") if !found.has(&["-a", "--append"]) => return true,
                _ => {}
            }
        }
        let put_in_place = |file: &str| {
            list[m + 1..].iter().any(|c| {
                let a = c.args();
                let q = program_index(&a, command_index(&a));
                a.get(q)
                    .is_some_and(|w| matches!(base(&w.cooked), "mv" | "cp" | "install"))
                    && a[q + 1..].iter().any(|o| o.cooked == file)
            })
        };
        if cmd.words.iter().filter(|w| w.redirect).any(|w| {
            let op = text.get(..w.span.start).unwrap_or("").trim_end();
            op.ends_with('>') && !op.ends_with(">>") && put_in_place(&w.cooked)
        }) {
            return true;
        }
        if !cmd.piped {
            break;
        }
        m += 1;
    }
    false
}

/// The options of `ansible` that take an argument (its host pattern is the first operand
/// that is neither an option nor one of their arguments).
const ANSIBLE_TAKING: &[&str] = &[
    "-a",
    "-B",
    "-c",
    "-e",
    "-f",
    "-i",
    "-l",
    "-M",
    "-m",
    "-P",
    "-t",
    "-T",
    "-u",
    "--args",
    "--background",
    "--connection",
    "--extra-vars",
    "--forks",
    "--inventory",
    "--inventory-file",
    "--limit",
    "--module-path",
    "--module-name",
    "--poll",
    "--tree",
    "--timeout",
    "--user",
    "--become-method",
    "--become-user",
    "--private-key",
    "--key-file",
    "--vault-id",
    "--vault-password-file",
    "--ssh-common-args",
    "--ssh-extra-args",
    "--sftp-extra-args",
    "--scp-extra-args",
    "--playbook-dir",
    "--task-timeout",
];

/// The options of `salt` that take an argument.
const SALT_TAKING: &[&str] = &[
    "-t",
    "--timeout",
    "-b",
    "--batch",
    "--batch-size",
    "--batch-wait",
    "-c",
    "--config-dir",
    "-l",
    "--log-level",
    "--log-file",
    "--out",
    "--output",
    "--out-indent",
    "--return",
    "-a",
    "--auth",
    "--eauth",
];

/// Salt's targetings other than a glob, a list (`-L`) or a regular expression (`-E`): a
/// grain, pillar, nodegroup, range or compound target has its own syntax.
const SALT_OTHER_TARGETS: &[&str] = &[
    "-G",
    "--grain",
    "-P",
    "--grain-pcre",
    "-C",
    "--compound",
    "-I",
    "--pillar",
    "-J",
    "--pillar-pcre",
    "-N",
    "--nodegroup",
    "-R",
    "--range",
    "-S",
    "--ipcidr",
];

/// The address options of an Azure NSG rule, and written joined to their address.
const NSG_PREFIXES: &[&str] = &[
    "--source-address-prefixes",
    "--source-address-prefix",
    "--destination-address-prefixes",
    "--destination-address-prefix",
];
const NSG_PREFIXES_JOINED: &[&str] = &[
    "--source-address-prefixes=",
    "--source-address-prefix=",
    "--destination-address-prefixes=",
    "--destination-address-prefix=",
];

const LINES_DELETED: &str = "it is the pattern of the lines `sed -i` deletes from the file, a regular expression: an empty one, one with `|`, one that matches any line (`.`, `^`, `$`, `.*`), or one without two letters or digits in a row (`0`, `[0-9]`) would delete every line or most";
const LINES_DROPPED: &str = "it is the pattern of the lines `grep -v` drops from what then replaces the whole table or file (`| crontab -`, `| sponge`, `> new && mv new file`): an empty one, one that matches any line (`.`, `^`), or one without two letters or digits in a row (`\\*`, `/`) would drop every line or most";
const INCLUDED: &str = "it is the `--include` pattern of what the command deletes, moves or copies after `--exclude` (`aws s3 rm`, `mv`, `cp`, `sync --delete`): an empty value, or one of only `*`, `?` and `/`, would include every object";
const HOSTS: &str = "it is the host pattern the command runs on, where `all`, `*`, or a name holding `*`, `?`, `[`, `:`, `!`, `&`, `~` or `@` would pick every host or add other hosts and groups (a list of names, `web-1,web-2`, and IP addresses are taken)";
const GRANTED: &str = "it names what or whom a policy grants access to, where `*` or `?` would match every resource or name, and `allUsers` or `allAuthenticatedUsers` would be everyone";
const QUERIED: &str = "it is in the JMESPath `--query` that picks what a later command deletes or stops, where `'`, `\"`, a backquote or `\\` would end its string and change the query, and an empty value would match everything (`contains(…, '')`)";
