//! Arguments that a program reads as a file's name, by how they start: curl's `-d @file`,
//! `-H @file`, `-F name=@file`, `--data-urlencode name@file`, `-b file` (no `=`) and a
//! `file://` URL; HTTPie's `name=@file`; `gh api -F key=@file`; the AWS CLI's `file://` and
//! `fileb://` parameters; the Azure CLI's `@file`; 7-Zip's `@listfile`; ansible's `-e
//! @file`. A value starting such an argument has the program read a local file and send it
//! (audit 22 OPT-C: `curl -d "{{ message }}"` with `@/etc/passwd` posts the password file;
//! audit 25 OPT-H, OPT-I). Also the arguments a program splits into more of its own
//! settings at a character: helm's `--set k=v,k2=v2`, the AWS CLI's shorthand `Key=v,…` (audit 25 OPT-J).

use crate::shell::programs::{base, command_index, program_index};
use crate::shell::words::{Command, Word};
use std::collections::BTreeSet;

use super::types::{FileLead, Plan, SENTINEL, Shape, Wide};

/// What a value at `at` (or assigned to one of `targets`) may not hold where it starts such
/// an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileArgument {
    /// The starts (ASCII case ignored) that name a file.
    pub first: &'static [&'static str],
    /// The characters it may not hold anywhere.
    pub anywhere: &'static str,
    /// The character it must hold, or it names a file.
    pub needs: Option<char>,
    /// The argument, and what those characters do there.
    pub what: &'static str,
    /// The characters that would make more of the structure of the document it stands in
    /// (a new line: another header or setting).
    pub shape: &'static str,
    /// A path in which a program expands a glob (sftp's `get`, `put`, `rm`), and what more
    /// files the glob picks there ([`super::types::WideKind::Glob`]).
    pub glob: Option<&'static str>,
    /// A bracketed IPv6 address is one token of the document ([`Shape::bracketed_ipv6`]).
    pub bracketed_ipv6: bool,
    /// `..` as a part of it would leave the folder written before it.
    pub no_parent: bool,
    /// The starts that no later line of the value may have (a line of a mail body starting
    /// with `~`).
    pub lines: &'static [&'static str],
}

impl FileArgument {
    /// Holds a plan's value to it: the starts it may not have and the character it must hold
    /// (`file_lead`), those it may not hold anywhere (`code_end`, unless something else
    /// already ends it), a new line, `..`.
    pub(super) fn hold(self, plan: &mut Plan) {
        if (!self.first.is_empty() || !self.lines.is_empty() || self.needs.is_some())
            && plan.file_lead.is_none()
        {
            plan.file_lead = Some(FileLead {
                first: self.first,
                needs: self.needs,
                what: self.what,
                lines: self.lines,
            });
        }
        if !self.anywhere.is_empty() && plan.code_end.is_none() {
            plan.code_end = Some((self.anywhere.to_string(), self.what.to_string()));
        }
        if !self.shape.is_empty() && plan.shape.is_none() {
            plan.shape = Some(Shape {
                chars: self.shape,
                what: self.what,
                bracketed_ipv6: self.bracketed_ipv6,
            });
        }
        if let Some(what) = self.glob
            && plan.wide.is_none()
        {
            plan.wide = Some(Wide::glob(what, Default::default()));
        }
        if self.no_parent && plan.no_parent.is_none() {
            plan.no_parent = Some(self.what);
        }
    }
}

pub(super) fn found(
    first: &'static [&'static str],
    anywhere: &'static str,
    what: &'static str,
) -> Option<FileArgument> {
    Some(FileArgument {
        first,
        anywhere,
        needs: None,
        what,
        shape: "",
        bracketed_ipv6: false,
        glob: None,
        no_parent: false,
        lines: &[],
    })
}

/// The characters of `shape` would make more of the structure of the document it stands in
/// (a new line: another header, setting or key).
pub(super) fn shaped(shape: &'static str, what: &'static str) -> Option<FileArgument> {
    found(&[], "", what).map(|f| FileArgument { shape, ..f })
}

/// A new line or carriage return.
pub(super) const LINE: &str = "\n\r";

/// Where the value starts in `w`: what comes before it in the word, quotes removed; `None`
/// where the value (the placeholder at `at`, or a copy's expansion) is not in the word.
pub(super) fn before_value(
    text: &str,
    w: &Word,
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<String> {
    let cooked = w.cooked.as_str();
    if let Some(start) = cooked.find(SENTINEL).filter(|_| w.span.contains(&at)) {
        return Some(cooked[..start].to_string());
    }
    let copy = w.expansions.iter().find(|e| {
        e.inner.is_none()
            && crate::shell::flow::referenced(&text[e.span.clone()])
                .first()
                .is_some_and(|n| targets.contains(n))
    })?;
    // (The word up to the copy, its quote closed, read as the shell reads it:
    // `'{"text":"'"$MSG"` is `{"text":"`.)
    let raw = &text[w.span.start..copy.span.start];
    if raw.is_empty() {
        return Some(String::new());
    }
    let close = match crate::shell::context::context_at(text, copy.span.start) {
        crate::shell::context::Quoting::Double => "\"",
        crate::shell::context::Quoting::Single => "'",
        _ => "",
    };
    let piece = format!("{raw}{close}");
    let cooked = crate::shell::words::commands(&piece, 0..piece.len())
        .and_then(|l| Some(l.first()?.words.first()?.cooked.clone()));
    Some(cooked.unwrap_or_else(|| raw.chars().filter(|c| !matches!(c, '"' | '\'')).collect()))
}

/// `--name=` (one `=`, at the end of an option's name).
fn long_option_equals(prefix: &str) -> bool {
    prefix.starts_with("--") && prefix.ends_with('=') && prefix.matches('=').count() == 1
}

/// `key=` (one `=`, at the end, not an option).
fn key_equals(prefix: &str) -> bool {
    !prefix.starts_with('-')
        && prefix.ends_with('=')
        && prefix.matches('=').count() == 1
        && !prefix.contains(['@', '<', ';'])
}

/// The index of the program a command runs, followed into the command a container or pod
/// runs (`kubectl exec pod -- psql …`, `docker exec db psql …`).
pub(super) fn innermost_program(args: &[&Word]) -> Option<usize> {
    programs_of(args).last().copied()
}

/// The indexes of the programs a command runs: its own, then that of the command a
/// container or pod it starts runs, and so on.
fn programs_of(args: &[&Word]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut p = program_index(args, command_index(args));
    while p < args.len() && out.len() < 4 {
        out.push(p);
        let name = base(&args[p].cooked);
        if !matches!(name, "kubectl" | "oc" | "docker" | "podman" | "nerdctl") {
            break;
        }
        let Some(start) = crate::shell::programs::container_command(args, p) else {
            break;
        };
        let Some(inner) = args.get(start..).filter(|i| !i.is_empty()) else {
            break;
        };
        p = start + program_index(inner, command_index(inner));
    }
    out
}

pub(super) fn file_argument(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<FileArgument> {
    for cmd in list {
        let args = cmd.args();
        for p in programs_of(&args) {
            if let Some(hit) = program_argument(text, &args, p, at, targets) {
                return Some(hit);
            }
        }
    }
    None
}

/// What the program at `p` of `args` reads of the value as a file or more settings.
fn program_argument(
    text: &str,
    args: &[&Word],
    p: usize,
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<FileArgument> {
    {
        let program = base(&args.get(p)?.cooked);
        let prefix = |k: usize| args.get(k).and_then(|w| before_value(text, w, at, targets));
        match program {
            "curl" => curl(args, p, &prefix),
            // A whole request item, `{{ v }}` after the URL: `name@file` uploads a file,
            // `name=@file` sends one (audit 26 HOLE-17).
            "http" | "https" | "xh" | "xhs"
                if httpie_item(args, p)
                    .is_some_and(|k| prefix(k).is_some_and(|b| b.is_empty())) =>
            {
                found(&[], "@", HTTPIE_ITEM)
            }
            "http" | "https" | "xh" | "xhs" => {
                (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                    // `msg=@file`, `data:=@file.json`: after the separator.
                    (before.ends_with('=') && !before[..before.len() - 1].contains(['@', '=']))
                        .then_some(())
                        .and_then(|()| found(&["@"], "", HTTPIE))
                })
            }
            // `gh api -F body=@file` reads the file (`-f` takes the text as it is).
            "gh" if args.get(p + 1).is_some_and(|w| w.cooked == "api") => {
                option_values(args, p + 2, &["-F", "--field"], &prefix)
                    .into_iter()
                    .find_map(|before| {
                        key_equals(&before)
                            .then_some(())
                            .and_then(|()| found(&["@"], "", GH))
                    })
            }
            "aws" => (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                if before.is_empty() || long_option_equals(&before) {
                    found(&["file://", "fileb://"], "", AWS_FILE)
                } else if !before.starts_with('-') && before.ends_with('=') {
                    // (`--tags Key=note,Value={{ v }}`.)
                    found(&[], ",", AWS_SHORTHAND)
                } else {
                    None
                }
            }),
            "az" => (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                (before.is_empty() || long_option_equals(&before))
                    .then_some(())
                    .and_then(|()| found(&["@"], "", AZ))
            }),
            // (`--` ends 7-Zip's switches and its reading of `@listfile`s.)
            "7z" | "7za" | "7zr" | "7zz" => (p + 1..args.len())
                .take_while(|k| args[*k].cooked != "--")
                .filter_map(&prefix)
                .find_map(|before| {
                    before
                        .is_empty()
                        .then_some(())
                        .and_then(|()| found(&["@"], "", SEVEN_ZIP))
                }),
            "helm" => option_values(
                args,
                p + 1,
                &["--set", "--set-string", "--set-json"],
                &prefix,
            )
            // (In the key too: `--set "{{ v }}.enabled=true"`, audit 26 HOLE-22.)
            .into_iter()
            .find_map(|_| found(&[], ",", HELM)),
            // `vault kv put secret/x note=@file`, `vault write p @data.json`, `consul kv put
            // k @file`, `nomad var put p k=@file` (audit 26 HOLE-26).
            "vault" | "consul" | "nomad" => {
                (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                    (before.is_empty() || key_equals(&before))
                        .then_some(())
                        .and_then(|()| found(&["@", "-"], "", KV_FILE))
                })
            }
            // `gcloud run deploy --update-env-vars K={{ v }}`: `,` starts another (audit 26
            // HOLE-3); `docker run --mount type=bind,source={{ v }}` (HOLE-4).
            "gcloud" => (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                (before.contains('=') && !long_option_equals(&before))
                    .then_some(())
                    .and_then(|()| found(&[], ",", GCLOUD))
            }),
            "docker" | "podman" | "nerdctl" => option_values(args, p + 1, &["--mount"], &prefix)
                .into_iter()
                .find_map(|_| found(&[], ",\"", MOUNT)),
            // `openssl req -subj "/CN={{ v }}"`: `/` starts another name part, `+` joins one
            // (HOLE-5); `-addext "subjectAltName=DNS:{{ v }}"`: `,` another entry.
            "openssl" => option_values(args, p + 1, &["-subj"], &prefix)
                .into_iter()
                .find_map(|_| found(&[], "/+", SUBJECT))
                .or_else(|| {
                    option_values(args, p + 1, &["-addext"], &prefix)
                        .into_iter()
                        .find_map(|_| found(&[], ",\n", ADDEXT))
                }),
            // `npm install "left-pad@{{ v }}"`: `file:`, `github:`, a URL choose other code
            // (HOLE-24).
            "npm" | "pnpm" | "yarn" | "npx" => {
                (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                    (before.ends_with('@') && !before.starts_with('-'))
                        .then_some(())
                        .and_then(|()| found(&[], ":/#", NPM_VERSION))
                })
            }
            // (`-e "k={{ v }}"` is one plain word: `nested::command`.)
            "ansible" | "ansible-playbook" => {
                option_values(args, p + 1, &["-e", "--extra-vars"], &prefix)
                    .into_iter()
                    .find_map(|before| {
                        before
                            .is_empty()
                            .then_some(())
                            .and_then(|()| found(&["@"], "", ANSIBLE_FILE))
                    })
            }
            // `socat - "TCP:{{ v }}:80"`: `!!` joins another address (`EXEC:sh`), `,` adds an
            // option to this one; a whole address may run a program (audit 26 HOLE-25).
            "socat" => (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                if before.starts_with('-') {
                    None
                } else if before.is_empty() {
                    found(SOCAT_RUNS, "", SOCAT).map(|f| FileArgument { shape: ",!", ..f })
                } else {
                    shaped(",!", SOCAT)
                }
            }),
            // `scp backup.tgz "{{ v }}"`, `rsync -a d/ "{{ v }}"`: with a `:`, a path names
            // a host to copy to or from (audit 26 HOLE-10).
            // (Only before any `/`: `/tmp/app-2026-12-01T03:00.log` is a local path.)
            "scp" | "rsync" => (p + 1..args.len()).filter_map(&prefix).find_map(|before| {
                (!before.starts_with('-') && !before.contains([':', '/']))
                    .then_some(())
                    .and_then(|()| shaped(":", REMOTE_PATH))
            }),
            // `git push origin "{{ v }}"`: `:main` deletes a branch, `+main` forces it, `a:b`
            // pushes to another (audit 26 OPT-3).
            "git" => {
                // (Past git's own options, `-C DIR`, `-c k=v`, `--git-dir DIR`.)
                let mut sub = None;
                let mut k = p + 1;
                while k < args.len() {
                    let a = args[k].cooked.as_str();
                    if matches!(
                        a,
                        "-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace" | "--config-env"
                    ) {
                        k += 2;
                        continue;
                    }
                    if !a.starts_with('-') {
                        sub = Some(k);
                        break;
                    }
                    k += 1;
                }
                sub.filter(|k| matches!(args[*k].cooked.as_str(), "push" | "fetch" | "pull"))
                    .and_then(|k| {
                        (k + 1..args.len())
                            .take_while(|k| args[*k].cooked != "--")
                            .filter_map(&prefix)
                            .find_map(|before| {
                                if before.starts_with('-') || before.contains(':') {
                                    None
                                } else if before.is_empty() {
                                    found(&[":", "+"], "", REFSPEC)
                                        .map(|f| FileArgument { shape: ":", ..f })
                                } else {
                                    shaped(":", REFSPEC)
                                }
                            })
                    })
            }
            // `tar -czf "{{ v }}"`: GNU tar opens `host:file` on another host (audit 27
            // HOLE-13).
            "tar" | "gtar" => (p + 1..args.len()).find_map(|k| {
                let before = prefix(k)?;
                let previous = args[k - 1].cooked.as_str();
                let archive = matches!(previous, "-f" | "--file")
                    || (previous.starts_with('-')
                        && !previous.starts_with("--")
                        && previous.ends_with('f'))
                    || (k == p + 2 && !previous.starts_with('-') && previous.ends_with('f'))
                    || before == "--file=";
                (archive && !before.contains([':', '/']))
                    .then_some(())
                    .and_then(|()| shaped(":", TAR_ARCHIVE))
            }),
            _ => None,
        }
    }
}

/// The index of the request item of HTTPie (or xh) that holds the value: after the URL
/// (and the method before it), options skipped.
fn httpie_item(args: &[&Word], p: usize) -> Option<usize> {
    let holds = |k: usize| args[k].cooked.contains(SENTINEL) || !args[k].expansions.is_empty();
    // (The options that take the next word: `-a user:pass`.)
    const VALUED: &[&str] = &[
        "-a",
        "--auth",
        "-A",
        "--auth-type",
        "-o",
        "--output",
        "--session",
        "--session-read-only",
        "--verify",
        "--cert",
        "--cert-key",
        "--proxy",
        "--timeout",
        "-s",
        "--style",
        "-p",
        "--print",
        "--pretty",
        "--format-options",
        "--max-redirects",
        "--ssl",
        "--ciphers",
        "--boundary",
        "--default-scheme",
        "--raw",
        "-P",
        "--history-print",
    ];
    let positional: Vec<usize> = (p + 1..args.len())
        .filter(|k| {
            !args[*k].cooked.starts_with('-') && !VALUED.contains(&args[*k - 1].cooked.as_str())
        })
        .collect();
    // (`http POST url …`: a method, all capitals, first.)
    let method = positional.first().is_some_and(|k| {
        let w = &args[*k].cooked;
        !w.is_empty() && w.chars().all(|c| c.is_ascii_uppercase())
    });
    let items = positional.get(if method { 2 } else { 1 }..)?;
    items.iter().copied().find(|k| holds(*k))
}

/// The prefixes of the value in the arguments of `options` from `from` on (`--set X`,
/// `--set=X`, `-eX`), the option's own text removed.
fn option_values(
    args: &[&Word],
    from: usize,
    options: &[&str],
    prefix: &dyn Fn(usize) -> Option<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut k = from;
    while k < args.len() {
        let a = args[k].cooked.as_str();
        if a == "--" {
            break;
        }
        if options.contains(&a) {
            out.extend(prefix(k + 1));
            k += 2;
            continue;
        }
        if let Some(o) = options.iter().find(|o| {
            a.strip_prefix(**o).is_some_and(|rest| {
                !rest.is_empty() && (!o.starts_with("--") || rest.starts_with('='))
            })
        }) && let Some(before) = prefix(k)
        {
            let cut = if o.starts_with("--") {
                o.len() + 1
            } else {
                o.len()
            };
            out.extend(before.get(cut..).map(str::to_string));
        }
        k += 1;
    }
    out
}

fn curl(
    args: &[&Word],
    p: usize,
    prefix: &dyn Fn(usize) -> Option<String>,
) -> Option<FileArgument> {
    let mut k = p + 1;
    while k < args.len() {
        let a = args[k].cooked.as_str();
        if a == "--" {
            break;
        }
        // (The option, and the word its argument is in with what comes before it there.)
        let (option, word, before) = if let Some(option) = CURL_OPTIONS.iter().find(|o| a == **o) {
            k += 1;
            (*option, k, "")
        } else if let Some(option) = a
            .strip_prefix('-')
            .filter(|f| {
                !f.starts_with('-') && f.len() > 1 && f.chars().all(|c| c.is_ascii_alphabetic())
            })
            .and_then(|f| match f.chars().last() {
                Some('d') => Some("-d"),
                Some('H') => Some("-H"),
                Some('F') => Some("-F"),
                Some('b') => Some("-b"),
                _ => None,
            })
        {
            // `-sd "{{ v }}"`: short flags together, the last one taking the argument.
            k += 1;
            (option, k, "")
        } else if let Some((option, rest)) = CURL_OPTIONS.iter().find_map(|o| {
            let rest = if o.starts_with("--") {
                a.strip_prefix(o)?.strip_prefix('=')?
            } else {
                a.strip_prefix(o)?
            };
            Some((*o, rest))
        }) {
            (option, k, &a[..a.len() - rest.len()])
        } else {
            // A URL, or an option's argument: `file:///etc/shadow` reads a local file.
            if let Some(before) = prefix(k)
                && (before.is_empty() || before == "--url=")
            {
                return found(&["file:"], "", CURL_URL);
            }
            k += 1;
            continue;
        };
        k += 1;
        let Some(prefix) = prefix(word) else {
            continue;
        };
        let prefix = prefix.get(before.len()..).unwrap_or("");
        let form = matches!(option, "-F" | "--form");
        // (`-F "msg={{ v }}"`: the value is the field's content, after its name.)
        let content = form && key_equals(prefix);
        let data = matches!(option, "-d" | "--data" | "--data-ascii" | "--data-binary");
        let header = matches!(option, "-H" | "--header" | "--proxy-header");
        match option {
            // `-H "X-Note: {{ v }}"`: a new line would send another header (audit 26
            // HOLE-18).
            _ if header && !prefix.is_empty() => return shaped(LINE, HEADER),
            _ if header => {
                return found(&["@"], "", DATA).map(|f| FileArgument { shape: LINE, ..f });
            }
            _ if content => return found(&["@", "<"], ";\"", FORM),
            // `-d "text={{ v }}"`: `&` would start another field (audit 26 HOLE-6).
            _ if data && key_equals(prefix) => return found(&[], "&", FIELD),
            _ if !prefix.is_empty() => {}
            "--url" => return found(&["file:"], "", CURL_URL),
            "-b" | "--cookie" => {
                return found(&[], "", COOKIE).map(|f| FileArgument {
                    needs: Some('='),
                    ..f
                });
            }
            // (`--url-query` reads `name@file` too: audit 26 HOLE-1.)
            "--data-urlencode" | "--url-query" => return found(&[], "@", URLENCODE),
            _ if form => return found(&[], "@<;\"", FORM),
            _ => return found(&["@"], "", DATA),
        }
    }
    None
}

/// curl's options whose argument names a file when it starts with `@` (`-F`: after
/// `name=`, also `<`; `--data-urlencode`: `@file` or `name@file`; `-b`: without `=`), and
/// `--url`.
const CURL_OPTIONS: &[&str] = &[
    "--data-urlencode",
    "--data-binary",
    "--data-ascii",
    "--data",
    "--json",
    "--header",
    "--proxy-header",
    "--form",
    "--variable",
    "--url-query",
    "--cookie",
    "--url",
    "-d",
    "-H",
    "-F",
    "-b",
];

const DATA: &str = "it starts curl's data or header argument, where `@file` makes curl read a local file and send it (use `--data-raw` for data given as it is)";
const HEADER: &str = "it stands in a header that curl sends, where a new line or carriage return would start another header (or the request's body)";
const SOCAT: &str = "it stands in a socat address, where `!!` joins another address (`EXEC:sh` runs a shell) and `,` adds options";
/// The address types of socat that open a file or run a program.
const SOCAT_RUNS: &[&str] = &[
    "exec", "system", "shell", "open", "create", "gopen", "pipe", "file", "pty",
];
const REMOTE_PATH: &str = "it stands in a path given to scp or rsync, where `:` makes what comes before it a host to copy to or from";
const TAR_ARCHIVE: &str = "it names the archive of tar, which GNU tar opens on another host when the name holds `:` before any `/` (write `./` before the value, or give tar `--force-local`)";
const REFSPEC: &str = "it stands in a refspec of git push or fetch, where `:` names another branch (`:main` deletes main) and a leading `+` forces the update";
const FORM: &str = "it stands in curl's form field, where `@file` or `<file` makes curl read a local file and send it and `;` adds attributes (use `--form-string name=…`, which takes the text as it is)";
const URLENCODE: &str = "it starts curl's `--data-urlencode` or `--url-query` argument, where `@file` or `name@file` makes curl read a local file and send it (write `name=` before the value: `--data-urlencode \"text={{ … }}\"`)";
const FIELD: &str = "it is the value of a field of curl's `-d` data, where `&` starts another field (use `--data-urlencode \"name={{ … }}\"`, which encodes it)";
const COOKIE: &str = "it is curl's `-b`/`--cookie` argument, which curl reads as a file of cookies to send when it holds no `=` (write the cookie's name before the value: `-b \"session={{ … }}\"`)";
const CURL_URL: &str = "it starts a URL that curl fetches, where `file:` has curl read a local file (write the scheme before the value: `curl \"https://{{ … }}\"`)";
const GH: &str = "it starts the value of a `gh api -F` field, where `@file` makes gh read a local file and send it (use `-f key=…`, which takes the text as it is)";
const HTTPIE_ITEM: &str = "it is a whole request item of HTTPie, where `name@file` uploads a local file and `name=@file` sends one (write the item's name and separator before the value: `msg=\"{{ … }}\"`)";
const HTTPIE: &str = "it starts an HTTPie field's value, where `name=@file` embeds a local file (put the value after `name==` for a query, or pass it on standard input)";
const AWS_FILE: &str = "it starts an argument of the AWS CLI, which reads `file://…` and `fileb://…` as a local file and sends its contents (read the value from a file of its own, or write text before it)";
const AWS_SHORTHAND: &str = "it is a value of the AWS CLI's shorthand `Key=value,…`, where `,` starts another key (pass the parameter as JSON instead)";
const AZ: &str = "it starts an argument of the Azure CLI, which reads `@file` as a local file and sends its contents (write text before the value)";
const SEVEN_ZIP: &str = "it is an operand of 7-Zip, which reads `@file` as a list of files to add or extract (put `--` before the operands, or check the value)";
const KV_FILE: &str = "it starts a value given to vault, consul or nomad, which read `@file` as a local file and store or send its contents (and `-` as standard input)";
const GCLOUD: &str = "it is a value in a gcloud list of `KEY=VALUE` settings, where `,` starts another setting (give the list with `^:^` as its delimiter, or check the value)";
const MOUNT: &str = "it stands in a `--mount` specification, where `,` starts another field (`source=/` mounts the host's root)";
const SUBJECT: &str = "it stands in openssl's `-subj`, where `/` starts another part of the name (`/O=system:masters`) and `+` joins one";
const ADDEXT: &str =
    "it stands in openssl's `-addext`, where `,` starts another entry of the extension";
const NPM_VERSION: &str = "it is a package's version for npm, where `file:`, `github:` or a URL would install other code (and run its scripts)";
const HELM: &str = "it is a value of helm's `--set`, where `,` starts another `key=value` (use `--set-literal`, or check the value)";
const ANSIBLE_FILE: &str = "it starts ansible's `-e`/`--extra-vars`, which reads `@file` as a file of variables (write `name=` before the value)";

#[cfg(test)]
mod tests {
    use super::super::tests::refusal;
    use super::super::types::Refusal;

    #[test]
    fn a_value_starting_a_curl_data_argument_may_not_name_a_file() {
        for script in [
            "curl -s -X POST -d \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl --data=\"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -d\"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s -H \"{{ v }}\" http://127.0.0.1:9/hook",
            "M=\"{{ v }}\"; curl -s -d \"$M\" http://127.0.0.1:9/hook",
            "curl -s -F \"msg={{ v }}\" http://127.0.0.1:9/hook",
            "curl --data-urlencode \"{{ v }}\" http://127.0.0.1:9/hook",
            "http POST 127.0.0.1:9/hook msg=\"{{ v }}\"",
            "sudo curl -d \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s --data-ascii \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s -sd \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s --url-query \"{{ v }}\" http://127.0.0.1:9/hook",
            "gh api repos/o/r/issues -F body=\"{{ v }}\"",
        ] {
            assert!(
                matches!(
                    refusal(script, "@/etc/passwd"),
                    Some(Refusal::ReadsFile("@") | Refusal::EndsCode('@'))
                ),
                "{script}"
            );
            assert_eq!(
                refusal(script, "disk full on web-1 (ticket #42)"),
                None,
                "{script}"
            );
        }
        // A form field's `;type=` and `<file`; `name@file` in `--data-urlencode`.
        assert!(refusal("curl -F \"msg={{ v }}\" u", "<hosts").is_some());
        assert!(refusal("curl -F \"msg={{ v }}\" u", "hi;headers=@f").is_some());
        assert!(refusal("curl --data-urlencode \"{{ v }}\" u", "x@/etc/passwd").is_some());
    }

    #[test]
    fn a_value_starting_a_url_or_a_cloud_clis_argument_may_not_name_a_file() {
        for (script, bad) in [
            ("curl -fsS \"{{ v }}\"", "file:///etc/shadow"),
            ("curl -fsS \"{{ v }}\" -o out", "FILE:///etc/shadow"),
            ("curl --url \"{{ v }}\"", "file:///etc/shadow"),
            ("curl --url=\"{{ v }}\"", "file:///etc/shadow"),
            (
                "aws sns publish --topic-arn t --message \"{{ v }}\"",
                "file:///etc/passwd",
            ),
            (
                "aws sns publish --message=\"{{ v }}\"",
                "fileb:///etc/passwd",
            ),
            (
                "aws ec2 create-tags --resources i-1 --tags Key=note,Value=\"{{ v }}\"",
                "x,Key=y",
            ),
            (
                "az boards work-item create --title \"{{ v }}\"",
                "@/etc/passwd",
            ),
            ("7z a backup.7z \"{{ v }}\"", "@/etc/list"),
            (
                "helm upgrade web chart --set image.tag=\"{{ v }}\"",
                "1.2,securityContext.privileged=true",
            ),
            (
                "helm upgrade web chart --set=image.tag=\"{{ v }}\"",
                "1.2,x=y",
            ),
            (
                "ansible-playbook site.yml -e \"version={{ v }}\"",
                "1.2 ansible_become_user=root",
            ),
            ("ansible all -e \"{{ v }}\"", "@/etc/vars.yml"),
        ] {
            assert!(refusal(script, bad).is_some(), "{script} with {bad}");
            assert_eq!(refusal(script, "web-1.example.com"), None, "{script}");
        }
        // curl's `-b` reads a file of cookies unless the value holds `=`.
        assert_eq!(
            refusal("curl -b \"{{ v }}\" https://x", "/etc/passwd"),
            Some(Refusal::NamesFile('='))
        );
        assert_eq!(
            refusal("curl -b \"{{ v }}\" https://x", "session=abc"),
            None
        );
        assert_eq!(
            refusal("curl -sb \"{{ v }}\" https://x", "session=abc"),
            None
        );
    }

    #[test]
    fn a_value_that_starts_another_field_setting_or_file_is_refused() {
        for (script, bad) in [
            ("curl --url-query \"{{ v }}\" u", "a@/etc/passwd"),
            ("curl -d \"text={{ v }}\" u", "hi&admin=1"),
            ("helm upgrade w c --set \"{{ v }}.enabled=true\"", "a,b"),
            ("vault kv put secret/app note=\"{{ v }}\"", "@/etc/shadow"),
            ("consul kv put app/note \"{{ v }}\"", "@/etc/shadow"),
            ("nomad var put app k=\"{{ v }}\"", "@/etc/shadow"),
            (
                "gcloud run deploy web --update-env-vars MODE=\"{{ v }}\"",
                "x,LD_PRELOAD=/tmp/e",
            ),
            (
                "docker run --mount type=bind,source=/srv/\"{{ v }}\",target=/d img",
                "x,source=/",
            ),
            (
                "openssl req -new -subj \"/CN={{ v }}\"",
                "x/O=system:masters",
            ),
            (
                "openssl req -new -addext \"subjectAltName=DNS:{{ v }}\"",
                "a,DNS:evil",
            ),
            ("npm install \"left-pad@{{ v }}\"", "file:/tmp/evil"),
        ] {
            assert!(refusal(script, bad).is_some(), "{script} with {bad:?}");
            assert_eq!(refusal(script, "web-1.example"), None, "{script}");
        }
    }

    #[test]
    fn a_value_after_text_of_its_own_or_in_raw_data_is_data() {
        for script in [
            "curl --data-raw \"{{ v }}\" u",
            "curl -d \"text={{ v }}\" u",
            "curl --data-urlencode \"text={{ v }}\" u",
            "curl --form-string \"msg={{ v }}\" u",
            "curl -H \"X-Note: {{ v }}\" u",
            "http POST u msg==\"{{ v }}\"",
            "echo -d \"{{ v }}\"",
            // (In a URL's query: `@` is data; `&` is not, `formats`.)
            "curl -fsS \"https://x/?q={{ v }}\"",
            "7z a backup.7z -- \"{{ v }}\"",
            "helm upgrade web chart --set-literal image.tag=\"{{ v }}\"",
            "aws s3 cp s3://bucket/\"{{ v }}\" .",
            "az vm show --name vm-\"{{ v }}\"",
        ] {
            assert_eq!(refusal(script, "@/etc/passwd"), None, "{script}");
        }
    }
}
