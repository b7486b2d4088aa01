//! What [`super::plan`] answers — a [`Plan`] (its [`Layer`]s, the [`Slot`] of the value, the
//! [`Refusal`]s it implies), an [`Unsafe`] construct, a [`Foreign`] language — and the
//! constants the other files of `nested` share.

use super::reach;
use crate::shell::context::Quoting;

/// The positional parameters, as `shell::flow` names them.
pub(super) const POSITIONAL: [&str; 12] =
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "@", "*"];

/// How deep strings inside strings are followed.
pub(super) const MAX_DEPTH: usize = 8;

/// The byte a placeholder is marked with while it is followed: a plain word character for
/// every shell construct, and kept as it is by quote removal.
pub(super) const SENTINEL: char = '\u{1}';

/// The endings of systemd's unit files, whose lines are settings (`Exec…=` run commands).
pub(super) const UNIT_SUFFIXES: &[&str] = &[
    ".service",
    ".socket",
    ".timer",
    ".path",
    ".mount",
    ".automount",
    ".swap",
    ".target",
    ".slice",
];

/// A shell's start-up files, whose lines a shell runs as commands at each login.
pub(super) const START_UP_FILES: &[&str] = &[
    ".bashrc",
    ".bash_profile",
    ".profile",
    ".zshrc",
    ".bash_login",
    ".envrc",
];

/// Whether `file` is a program or a script a shell runs line by line: in a folder of
/// programs, a git hook, an init or network script, a login script, a shell's start-up file.
pub(super) fn program_file(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    [
        "/bin/",
        "/sbin/",
        "/libexec/",
        ".git/hooks/",
        "/etc/init.d/",
        "/etc/rc.local",
        "/etc/profile",
        "/etc/update-motd.d/",
        "/etc/network/if-",
        "/NetworkManager/dispatcher.d/",
        "/etc/bash.bashrc",
    ]
    .iter()
    .any(|part| file.contains(part))
        || START_UP_FILES.contains(&name)
}

/// Why a value may not stand in a [`Plan`]'s place: what `exec::render` refuses, and lint's
/// RB037 foresees, in the order the run checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Arithmetic: not an integer.
    NotInteger,
    /// A name's place: not an identifier.
    NotName,
    /// Holds this character, on which the script's IFS splits words.
    Split(char),
    /// Not plain words separated by white space.
    NotPlainWords,
    /// A line of it is not one plain word.
    NotPlainLines,
    /// Holds this character, which ends the other language's string or command.
    EndsCode(char),
    /// Not one plain word.
    NotPlainWord,
    /// Holds `[ ] $`, a backquote or a parenthesis, where arithmetic evaluates it.
    Subscript,
    /// Starts with this character where a program reads options (`-`) or other directives:
    /// vim's and less's `+cmd`, find's expressions `!` and `(` (audit 22).
    LeadingOption(char),
    /// Starts with this where a program reads a file named after it (curl's `-d @file`,
    /// `file://` of curl and the AWS CLI): the file would be read and sent.
    ReadsFile(&'static str),
    /// A line of it after the first starts with this where each line is read so (a line of
    /// a mail body starting with `~`, one of mail's commands).
    LineReadsFile(&'static str),
    /// Lacks this character, without which the program reads the value as a file's name
    /// (curl's `-b name=value`, `-b file`).
    NamesFile(char),
    /// Holds a control character or a letter outside ASCII.
    Control,
    /// Holds `$` or a new line, which `sudo -i`'s login shell expands or joins.
    SudoShell,
    /// Holds this character, which would make the rest of the value more of the structure
    /// of the document or protocol it stands in: another header or setting after a new line
    /// (`curl -H "X-Note: …"`, `KEY=…` in an env-file, a YAML manifest), another field of
    /// JSON, host or query of a URL, key of a connection string. Such places hold an id, a
    /// host, a name or a version, not free text: lint's samples (free text) leave it out.
    Shape(char),
    /// Holds `..` as a part of a path under a fixed folder (`rm -rf /srv/releases/…`).
    ParentFolder,
    /// Would widen what a destructive command acts on ([`Wide`]): holds this pattern
    /// character, or (`None`) is empty or names the whole folder (`/`, `.`).
    Widens(Option<char>),
}

/// A value where a destructive command reads it as the end of a path, a pattern of units or
/// of processes, an address range (`src/shell/nested/widens/`): what it would widen, said
/// by the run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wide {
    pub what: &'static str,
    pub kind: WideKind,
    /// The pattern's text before and after the value (quotes removed): a pattern is tried
    /// whole (`pkill -f "^{{ v }}"` with `.*`).
    pub around: (String, String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WideKind {
    /// The end of a path: not empty, not only `/` and `.`.
    Path,
    /// A unit of `systemctl`, a name pattern: not empty, no `*`, `?` or `[`.
    Glob,
    /// A regular expression of names: not empty, no `|`, not one that matches any name.
    Pattern,
    /// A fixed string searched for (`grep -F`): not empty.
    Fixed,
    /// A process, its group, parent or user: not `0`, `1` or `root`.
    Pid,
    /// An address range of a firewall rule: not every address (`0.0.0.0/0`, `any`, `*`,
    /// `Internet`, a prefix shorter than /8).
    Network,
    /// A string in a JMESPath query (`--query "…'{{ v }}'…"`): not empty, no `'`, `"`,
    /// backquote or `\`, which would end it.
    Query,
    /// A host pattern of ansible, salt, pdsh, clush, pssh or knife: not `all` or `*`, no
    /// `* ? [ : ! & ~ @ ^`.
    Hosts,
    /// A filter of objects (`aws s3 rm --exclude "*" --include …`): not only `*`, `?`, `/`.
    Wildcards,
    /// What or whom a policy grants: no `*` or `?`, not `allUsers`/`allAuthenticatedUsers`.
    Grant,
    /// A unit of `systemctl stop`: as [`WideKind::Glob`], and not a slice or target, which
    /// hold other units (`system.slice`, `multi-user.target`).
    Unit,
    /// The end of what a tool deletes, which it also reads as a set: as [`WideKind::Path`],
    /// and none of these characters (gsutil's `*`, zfs's `%` range, git's `:` magic).
    Set(&'static str),
    /// The namespace, context, project or region of a command that deletes or changes: not
    /// empty, which the client reads as not given and replaces by its current default.
    Scope,
    /// An index or object in the path of an HTTP `DELETE`: not empty, no `*`, `?` or `,`,
    /// not starting with `_` (Elasticsearch's `_all`).
    Index,
    /// An address of `lsof -i` whose processes are killed: a port, not a range (`-`), a
    /// list (`,`) or a protocol or host without one.
    Port,
    /// A label selector of what is deleted: only `key=value` and `key in (…)`, not `!key`, a
    /// bare key, `!=` or `notin`, which pick every object without a label or value.
    Selector,
}

impl Wide {
    pub(super) fn new(what: &'static str, kind: WideKind, around: (String, String)) -> Wide {
        Wide { what, kind, around }
    }
    pub(super) fn path(what: &'static str) -> Wide {
        Wide::new(what, WideKind::Path, Default::default())
    }
    pub(super) fn glob(what: &'static str, around: (String, String)) -> Wide {
        Wide::new(what, WideKind::Glob, around)
    }
    pub(super) fn pattern(what: &'static str, around: (String, String)) -> Wide {
        Wide::new(what, WideKind::Pattern, around)
    }
    /// A fixed string (`grep -F`), judged with the text written around the value in its
    /// word (`# job-{{ id }}`: the comment and the prefix pick the line, not `7` alone).
    pub(super) fn fixed(what: &'static str, around: (String, String)) -> Wide {
        Wide::new(what, WideKind::Fixed, around)
    }
    pub(super) fn pid(what: &'static str) -> Wide {
        Wide::new(what, WideKind::Pid, Default::default())
    }
    pub(super) fn network(around: (String, String)) -> Wide {
        Wide::new(NETWORK, WideKind::Network, around)
    }

    /// Why `value` would reach more than one thing here.
    fn refusal(&self, value: &str) -> Option<Refusal> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Some(Refusal::Widens(None));
        }
        match self.kind {
            WideKind::Path => reach::names_nothing(trimmed).then_some(Refusal::Widens(None)),
            WideKind::Set(chars) => {
                if let Some(c) = value.chars().find(|c| chars.contains(*c)) {
                    return Some(Refusal::Widens(Some(c)));
                }
                reach::names_nothing(trimmed).then_some(Refusal::Widens(None))
            }
            WideKind::Unit => {
                if let Some(c) = value.chars().find(|c| matches!(c, '*' | '?' | '[')) {
                    return Some(Refusal::Widens(Some(c)));
                }
                let (before, after) = &self.around;
                let whole = format!("{before}{value}{after}");
                (whole.ends_with(".slice")
                    || whole.ends_with(".target")
                    || reach::names_nothing(trimmed))
                .then_some(Refusal::Widens(None))
            }
            WideKind::Selector => {
                let (before, after) = &self.around;
                let whole = format!("{before}{value}{after}");
                if let Some(c) = value.chars().find(|c| matches!(c, '!')) {
                    return Some(Refusal::Widens(Some(c)));
                }
                reach::selector_widens(&whole).then_some(Refusal::Widens(None))
            }
            WideKind::Glob => value
                .chars()
                .find(|c| matches!(c, '*' | '?' | '['))
                .map(|c| Refusal::Widens(Some(c))),
            WideKind::Pattern => {
                if value.contains('|') {
                    return Some(Refusal::Widens(Some('|')));
                }
                let (before, after) = &self.around;
                let whole = format!("{before}{value}{after}");
                reach::matches_many(&whole).then_some(Refusal::Widens(None))
            }
            WideKind::Fixed => {
                if trimmed.is_empty() {
                    return Some(Refusal::Widens(None));
                }
                let (before, after) = &self.around;
                reach::matches_many(&regex::escape(&format!("{before}{value}{after}")))
                    .then_some(Refusal::Widens(None))
            }
            // (`pkill -u app,root`: each of a list.)
            WideKind::Pid => trimmed.split(',').find_map(|one| {
                let one = one.trim();
                let id = one.trim_start_matches('-').trim_start_matches('0');
                (id.is_empty() || id == "1" || one.eq_ignore_ascii_case("root"))
                    .then_some(Refusal::Widens(None))
            }),
            // (The range whole, the text around the value with it: `0.0.0.0/{{ v }}`.)
            WideKind::Network => {
                let (before, after) = &self.around;
                let whole = format!("{before}{value}{after}");
                whole.split([',', ' ', '\t']).find_map(|range| {
                    let range = range.trim().to_ascii_lowercase();
                    let every = matches!(
                        range.as_str(),
                        "any"
                            | "all"
                            | "default"
                            | "known"
                            | "paranoid"
                            | "samenet"
                            | "samehost"
                            | "*"
                            | "internet"
                            | "anywhere"
                            | "0/0"
                            | "0.0.0.0"
                            | "::"
                            | "0.0.0.0/0"
                            | "::/0"
                    );
                    // A prefix length, or a dotted mask (`/0.0.0.0`, `/128.0.0.0`); one read
                    // no way iptables reads it is refused too.
                    let bits = range
                        .rsplit_once('/')
                        .map(|(_, mask)| reach::prefix_bits(mask));
                    // (`-m iprange --src-range A-B`: a span wider than a /8.)
                    let span = range.split_once('-').and_then(|(a, b)| {
                        let a = a.parse::<std::net::Ipv4Addr>().ok()?;
                        let b = b.parse::<std::net::Ipv4Addr>().ok()?;
                        Some(u32::from(b).saturating_sub(u32::from(a)))
                    });
                    (every
                        || bits.is_some_and(|b| b.is_none_or(|b| b < 8))
                        || span.is_some_and(|s| s >= 1 << 24))
                    .then_some(Refusal::Widens(None))
                })
            }
            WideKind::Scope => None,
            WideKind::Index => {
                if let Some(c) = value.chars().find(|c| matches!(c, '*' | '?' | ',')) {
                    return Some(Refusal::Widens(Some(c)));
                }
                let segment = format!("{}{value}", self.around.0.rsplit('/').next().unwrap_or(""));
                (segment.starts_with('_') || reach::names_nothing(trimmed))
                    .then_some(Refusal::Widens(None))
            }
            WideKind::Port => {
                let (before, after) = &self.around;
                let whole = format!("{before}{value}{after}");
                let port = whole.rsplit_once(':').map_or("", |(_, port)| port);
                let range = port.split_once('-').is_some_and(|(a, b)| {
                    !a.is_empty()
                        && !b.is_empty()
                        && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
                });
                if port.contains(',') {
                    Some(Refusal::Widens(Some(',')))
                } else if range {
                    Some(Refusal::Widens(Some('-')))
                } else {
                    port.trim().is_empty().then_some(Refusal::Widens(None))
                }
            }
            WideKind::Query => value
                .chars()
                .find(|c| matches!(c, '\'' | '"' | '`' | '\\'))
                .map(|c| Refusal::Widens(Some(c))),
            // (A list of hosts, `web-1,web-2`, and an IPv6 address name hosts, not patterns.)
            WideKind::Hosts => {
                let address = |part: &str| part.trim().parse::<std::net::IpAddr>().is_ok();
                // (`ops@web-1`: a login before the host, as pdsh and ssh take it.)
                let host = |part: &str| -> String {
                    match part.split_once('@') {
                        Some((user, rest))
                            if !user.is_empty()
                                && user.chars().all(|c| {
                                    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
                                }) =>
                        {
                            rest.to_string()
                        }
                        _ => part.to_string(),
                    }
                };
                if let Some(c) = value
                    .split(',')
                    .map(host)
                    .filter(|part| !address(part))
                    .find_map(|part| part.chars().find(|c| "*?[:!&~@^".contains(*c)))
                {
                    return Some(Refusal::Widens(Some(c)));
                }
                let (before, after) = &self.around;
                format!("{before}{value}{after}")
                    .split(',')
                    .filter(|part| !address(part))
                    .flat_map(|part| part.split(':'))
                    .map(|part| part.trim().trim_start_matches(['&', '!']))
                    .any(|part| part.eq_ignore_ascii_case("all") || part == "*")
                    .then_some(Refusal::Widens(None))
            }
            WideKind::Wildcards => {
                let (before, after) = &self.around;
                format!("{before}{value}{after}")
                    .chars()
                    .all(|c| matches!(c, '*' | '?' | '/'))
                    .then_some(Refusal::Widens(None))
            }
            WideKind::Grant => {
                if let Some(c) = value.chars().find(|c| matches!(c, '*' | '?')) {
                    return Some(Refusal::Widens(Some(c)));
                }
                // (A sudoers line's `%group`, Kafka's `User:*` above.)
                if trimmed.starts_with('%') {
                    return Some(Refusal::Widens(Some('%')));
                }
                let (before, after) = &self.around;
                let whole = format!("{before}{value}{after}");
                // Kubernetes' groups and users of every identity; sudoers' `ALL`.
                let everyone = EVERYONE_K8S
                    .iter()
                    .any(|e| whole.trim().eq_ignore_ascii_case(e))
                    || whole.trim() == "ALL";
                (everyone
                    || whole.split([':', ',', '"', '\'', '=', ' ']).any(|part| {
                        part.eq_ignore_ascii_case("allUsers")
                            || part.eq_ignore_ascii_case("allAuthenticatedUsers")
                    }))
                .then_some(Refusal::Widens(None))
            }
        }
    }
}

const NETWORK: &str = "it is the address range a firewall rule matches, where `0.0.0.0/0`, `::/0`, `any`, `*`, `Internet` or a prefix shorter than /8 would match every address";

impl Plan {
    /// A value of `slot` reached through `layers`: no other language, no `$'…'` quoting,
    /// not left to a file, spliced into no code.
    pub(super) fn bare(layers: Vec<Layer>, slot: Slot, env_travels: bool) -> Plan {
        Plan {
            layers,
            slot,
            env_travels,
            foreign: None,
            control_free: false,
            left: None,
            code_end: None,
            file_lead: None,
            shape: None,
            no_parent: None,
            wide: None,
        }
    }

    /// Why `value` would reach more than what is written around it here: `..` in a path
    /// under a folder ([`Refusal::ParentFolder`]) or a [`Wide`] place. The part of
    /// [`Plan::refusal`] that holds a value given in the environment as well, where it is
    /// data to the shell but still the end of the path that `rm -rf "/srv/$REL"` deletes.
    pub fn widening(&self, value: &str) -> Option<Refusal> {
        if self.no_parent.is_some() && value.split(['/', '\\']).any(|part| part == "..") {
            return Some(Refusal::ParentFolder);
        }
        self.wide.as_ref().and_then(|wide| wide.refusal(value))
    }

    /// Why `value` may not stand here (`ifs`: the characters besides white space that the
    /// script splits words at), or `None` where it is data.
    pub fn refusal(&self, value: &str, ifs: Option<&str>) -> Option<Refusal> {
        use crate::shell::quote::is_plain_word;
        let slot = match self.slot {
            Slot::Quoted(Quoting::Arithmetic) => {
                return value.parse::<i64>().is_err().then_some(Refusal::NotInteger);
            }
            Slot::Name => {
                return (!crate::values::is_identifier(value)).then_some(Refusal::NotName);
            }
            slot => slot,
        };
        // Split into words where several are expected (a `for` loop, `IFS=, read -ra
        // hosts`) or where only a leading `-` matters, each word is checked by itself.
        let pieces_pass = |split: &str| match slot {
            Slot::PlainWords(_) => value
                .split(|c: char| c.is_whitespace() || split.contains(c))
                .filter(|p| !p.is_empty())
                .all(is_plain_word),
            Slot::NoOption(_) => !value
                .split(|c: char| split.contains(c))
                .any(|p| p.trim_start().starts_with(|c| OPTION_STARTS.contains(c))),
            _ => false,
        };
        if matches!(
            slot,
            Slot::PlainWord(_) | Slot::PlainWords(_) | Slot::PlainLines(_) | Slot::NoOption(_)
        ) && let Some(split) = ifs
            && let Some(c) = value.chars().find(|c| split.contains(*c))
            && !pieces_pass(split)
        {
            return Some(Refusal::Split(c));
        }
        if let Slot::PlainWords(_) = slot
            && !value.split_whitespace().all(is_plain_word)
        {
            return Some(Refusal::NotPlainWords);
        }
        if let Slot::PlainLines(_) = slot
            && !value.split('\n').all(|l| l.is_empty() || is_plain_word(l))
        {
            return Some(Refusal::NotPlainLines);
        }
        if let Some((chars, _)) = &self.code_end
            && let Some(c) = value.chars().find(|c| chars.contains(*c))
        {
            return Some(Refusal::EndsCode(c));
        }
        if let Slot::PlainWord(_) = slot
            && !is_plain_word(value)
        {
            return Some(Refusal::NotPlainWord);
        }
        if let Slot::NoSubscript(_) = slot
            && value.contains(['[', ']', '$', '`', '(', ')'])
        {
            return Some(Refusal::Subscript);
        }
        if matches!(slot, Slot::NoOption(_))
            && let Some(c) = value.chars().next().filter(|c| OPTION_STARTS.contains(*c))
        {
            return Some(Refusal::LeadingOption(c));
        }
        if let Some(lead) = &self.file_lead {
            // (A lead that is a word, `send` or `rm`, starts a value only as a whole word:
            // `cdrom.tar` does not start with sftp's `cd`.)
            let starts = |s: &str, p: &str| {
                s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p))
                    && (!p.ends_with(|c: char| c.is_ascii_alphanumeric())
                        || !s[p.len()..].starts_with(|c: char| {
                            c.is_ascii_alphanumeric() || c == '_' || c == '-'
                        }))
            };
            let later = |p: &&&str| value.split(['\n', '\r']).skip(1).any(|l| starts(l, p));
            if let Some(p) = lead.first.iter().find(|p| starts(value, p)) {
                return Some(Refusal::ReadsFile(p));
            }
            if let Some(p) = lead.lines.iter().find(later) {
                return Some(Refusal::LineReadsFile(p));
            }
            if let Some(c) = lead.needs.filter(|c| !value.contains(*c)) {
                return Some(Refusal::NamesFile(c));
            }
        }
        if self.control_free && !value.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
            return Some(Refusal::Control);
        }
        if matches!(slot, Slot::SudoShell(_)) && value.contains(['$', '\n', '\r']) {
            return Some(Refusal::SudoShell);
        }
        if let Some(c) = self.shape.and_then(|s| s.found(value)) {
            return Some(Refusal::Shape(c));
        }
        self.widening(value)
    }
}

/// The users and groups of Kubernetes that hold every identity (or, `system:masters`, every
/// right): a binding to them grants everyone.
const EVERYONE_K8S: &[&str] = &[
    "system:authenticated",
    "system:unauthenticated",
    "system:anonymous",
    "system:serviceaccounts",
    "system:masters",
];

/// Whether `c` ends a line for some reader of the documents a value is written into: `\n`
/// and `\r`, and the line breaks of YAML 1.1 (libyaml, go-yaml, PyYAML) and of Unicode-aware
/// readers, NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). Where a
/// new line would start another key, header or setting, each of them would.
pub fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// What a word may not start with where a program reads options: `-`, and what some read
/// as directives, vim's, ex's and less's `+cmd` (`vim "+!touch x"` runs a shell), find's
/// `!` and `(` (`find "!" -delete` starts from `.`).
pub const OPTION_STARTS: &str = "-+!(";

/// Where a value ends up, from the outer script inwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Each string around the value that another shell parses again, outermost first: how
    /// the value is quoted in it, and what parses it.
    pub layers: Vec<Layer>,
    /// How the shell that finally reads the value reads it.
    pub slot: Slot,
    /// Whether the outer shell's environment reaches that shell (a value can then be passed
    /// as a variable reference; otherwise it must be quoted into the text).
    pub env_travels: bool,
    /// The value is a piece of another language's code (`psql -c "… {{ v }}"`).
    pub foreign: Option<&'static Foreign>,
    /// The value reaches a string another shell parses through `${x@Q}` or `printf %q`,
    /// which write a new line or another control character as `$'…'`: a quoting that `sh`
    /// (dash) and a login shell over `ssh` may not read, so such a value is refused.
    pub control_free: bool,
    /// How the value leaves what runbook follows, where the script also parses text of
    /// unknown origin again (why a plain word is asked for): "is written to `job.sh`, and
    /// `bash job.sh` runs a file".
    pub left: Option<String>,
    /// A value spliced into the code of a language that runs shell commands (`sed`, `awk`):
    /// the characters that would end the piece of code holding it as data, and what they
    /// end.
    pub code_end: Option<(String, String)>,
    /// A value starting an argument that a program reads as a file's name (curl's `-d
    /// @file`).
    pub file_lead: Option<FileLead>,
    /// A value in a document or protocol (a header, an env-file's `KEY=…`, a YAML
    /// manifest, JSON, a URL, a connection string): the characters that would make more of
    /// its structure, and where it stands.
    pub shape: Option<Shape>,
    /// A value in a path under a fixed folder: why `..` may not be a part of it.
    pub no_parent: Option<&'static str>,
    /// A value where a destructive command would act on more than one thing with some
    /// values (an empty end of the path `rm -rf` deletes, `*` in a unit of `systemctl stop`).
    pub wide: Option<Wide>,
}

/// The characters that would make more of the structure of the document a value stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub chars: &'static str,
    /// Where the value stands, and what those characters do there.
    pub what: &'static str,
    /// A bracketed IPv6 address (`[2001:db8::5]`, `[2001:db8::]/32`) is one token there
    /// (`hosts.allow`): its `:` are the address's, not the document's.
    pub bracketed_ipv6: bool,
}

impl Shape {
    /// Whether `c` would add to the structure: one of its characters, or any line break
    /// ([`is_line_break`]) where a new line would.
    fn refuses(&self, c: char) -> bool {
        self.chars.contains(c) || (self.chars.contains('\n') && is_line_break(c))
    }

    /// The first character of `value` that would add to the structure.
    fn found(&self, value: &str) -> Option<char> {
        let refused = |c: char| self.refuses(c);
        if !self.bracketed_ipv6 {
            return value.chars().find(|c| refused(*c));
        }
        let mut rest = value;
        loop {
            let (head, tail) = match rest.find('[') {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            };
            if let Some(c) = head.chars().find(|c| refused(*c)) {
                return Some(c);
            }
            if tail.is_empty() {
                return None;
            }
            // (`[` opens an address only where an IPv6 address and `]` follow it.)
            let address = tail[1..]
                .split_once(']')
                .filter(|(a, _)| a.parse::<std::net::Ipv6Addr>().is_ok());
            match address {
                Some((_, after)) => rest = after,
                None => return tail.chars().find(|c| refused(*c)),
            }
        }
    }
}

/// How a value starting an argument may have a program read a file instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileLead {
    /// The starts (ASCII case ignored) that name a file: `@`, `file://`.
    pub first: &'static [&'static str],
    /// The character the value must hold, or it names a file (curl's `-b`: `=`).
    pub needs: Option<char>,
    /// The argument, and what those starts do there.
    pub what: &'static str,
    /// The starts that no later line of the value may have (mail's `~!` escapes in a body).
    pub lines: &'static [&'static str],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub quoting: Quoting,
    /// What parses the string again, as the operator wrote it: `sh -c`, `ssh HOST`, `eval`.
    pub construct: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Quoted(Quoting),
    /// A variable name (`read NAME`, `printf -v NAME`, `declare NAME=…`): only an identifier
    /// is data there; anything else may be evaluated (`a[$(reboot)]`).
    Name,
    /// A value assigned to a variable (or positional parameter) that a string parsed again
    /// by another shell expands (`D={{ v }}; ssh h "ls $D"`): there it is code, so only one
    /// plain word is accepted (letters, digits and `_ . / : @ , + = %`, not starting with
    /// `-`).
    PlainWord(Quoting),
    /// A value that a `for` loop splits into words, each of which then stands where a plain
    /// word is needed (`HOSTS={{ v }}; for h in $HOSTS; do ssh $h uptime; done`): plain words
    /// separated by white space.
    PlainWords(Quoting),
    /// A value read line by line into a variable that a string parsed again expands
    /// (`while read -r p; do ssh h "kill $p"; done <<< "{{ v }}"`): each line stands there
    /// alone, as one copied value would, so each line must be one plain word (a line of
    /// words could name a program and its arguments at `eval "$p"`).
    PlainLines(Quoting),
    /// A value assigned to a variable that arithmetic evaluates somewhere in the script
    /// (`n={{ v }}; … $(( n + 1 ))`): bash evaluates its text, and runs what a subscript in it
    /// expands, so no `[`, `]`, `$`, backquote or parenthesis is accepted.
    NoSubscript(Quoting),
    /// An operand of a program that runs commands given in options (`ssh -oProxyCommand=…`,
    /// `git -c core.sshCommand=…`, `find -exec`, `tar --checkpoint-action=exec=…`): data,
    /// but never a value that starts with `-`.
    NoOption(Quoting),
    /// The arguments of `sudo -i`/`sudo -s COMMAND`: sudo escapes every character but letters,
    /// digits, `_`, `-` and `$`, then a login shell parses them, so `$` is expanded. The
    /// quoting is that of the shell running `sudo`.
    SudoShell(Quoting),
}

/// A language whose code may be given on a command line, and how to pass it a value instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Foreign {
    pub language: &'static str,
    pub help: &'static str,
}

/// A placeholder in a string whose reader cannot be told: refused, never guessed safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe {
    pub construct: String,
    pub why: String,
    pub help: String,
}

pub(super) const HELP_ARGUMENT: &str = "pass the value as an argument of the inner script (`sh -c 'echo \"$1\"' sh \"{{ v }}\"`) or through the step's `env:`";
