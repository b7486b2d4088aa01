//! A value in the commands or configuration that a program reads in a language of its own
//! (audit 29 H-10, H-23 to H-25): an HCL document on standard input (`vault policy write
//! NAME -`, `vault write sys/policy/… policy=-`, `nomad job run -`, `consul acl policy
//! create -rules -`, `terraform console`) or given inline (`vault write … policy='…'`,
//! `consul … -rules '…'`); the rules `iptables-restore` reads, the lines of `ipset restore`
//! and `ip`/`tc -batch -`, `nsupdate`'s commands, the LDIF of `ldapmodify`/`ldapadd` and the
//! names `ldapdelete` reads; the commands of `sftp`, `ftp`, `lftp` and `smbclient` (on their
//! input, in a batch file the script writes, in `lftp -c`/`smbclient -c`), where `!` runs a
//! local shell; the body of a message `mail` reads, where a line starting with `~` is one of
//! its commands (`~!` runs a shell).
//!
//! Each says which characters would start another command, rule or change, and which
//! starts of the value are commands; [`super::files::FileArgument::hold`] puts them in the
//! plan, which refuses such a value ([`super::types::Refusal::EndsCode`],
//! [`super::types::Refusal::ReadsFile`]) with what it would do there.

use std::collections::BTreeSet;

use super::files::{FileArgument, LINE, before_value, found, innermost_program};
use super::holding::Holding;
use super::stdin::{input_written_to, remote_reader, stdin_file};
use super::types::SENTINEL;
use crate::shell::programs::{self, MAIL_PROGRAMS, base, command_index, find_wrapper};
use crate::shell::words::{Command, Word, cook_heredoc};

/// The language a program reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    /// HCL; `true` for a Vault policy, whose paths read `*` and `+` as patterns.
    Hcl(bool),
    /// The rules of `iptables-restore` (`ip6tables-`, `ebtables-`, `arptables-restore`).
    Iptables,
    /// Lines of arguments, one command a line: `ipset restore`, `ip -batch -`.
    ArgLines,
    Nsupdate,
    /// LDIF, for `ldapmodify` and `ldapadd`.
    Ldif,
    /// Distinguished names, one a line (`ldapdelete` on its input).
    Names,
    Sftp,
    Ftp,
    Lftp,
    Smbclient,
    /// A mail message `mail` reads: `true` where it reads headers first (`mail -t`).
    Mail(bool),
    /// What `socat`, `nc`, `telnet` or `openssl s_client` send: the peer's commands, one a
    /// line; `true` for HAProxy's runtime API, where `;` separates commands too.
    Peer(bool),
    /// A message `sendmail`, `msmtp` or `ssmtp` reads: its headers, then its body.
    Message,
    /// Records, one a line: `user:password` for `chpasswd`, `chgpasswd`, `newusers`, the
    /// password lines of `passwd --stdin` and `smbpasswd -s` (audit 41 A41-12).
    Records,
}

/// What the commands and documents `at` stands in make of the value (or of a copy of it in
/// one of `targets`; `held`: the commands of `list` and the words of each holding it).
pub(super) fn batches(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
    held: &[Holding],
) -> Vec<FileArgument> {
    let mut out = Vec::new();
    for h in held {
        let (n, cmd) = (h.n, h.cmd);
        // `lftp -c "open h; put {{ v }}"`, `vault write sys/policy/app policy='…'`.
        if let Some(p) = h.program {
            for (k, before) in h.operands() {
                if let Some((language, doc)) = in_argument(&h.args, p, k, before) {
                    out.extend(hold(language, &doc));
                }
            }
        }
        let docs = documents(text, cmd, at, targets);
        if docs.is_empty() {
            continue;
        }
        // Read on the input of this command, or of the one `cat`, `echo` or `printf`
        // hands it to.
        if let Some(language) = reader(list, n).and_then(|k| {
            let words = cooked(&list[k].args());
            let (name, rest) = words.split_first()?;
            stdin_language(base(name), rest)
        }) {
            for doc in &docs {
                out.extend(hold(language, doc));
            }
        }
        // `cat > batch <<EOF … EOF; sftp -b batch host`: a file the script writes, then has
        // a program read as its commands.
        let written = input_written_to(text, cmd)
            .or_else(|| super::formats::written_to(text, list, n))
            .map(|f| base(f.trim_matches(['"', '\''])).to_string())
            .filter(|f| !f.is_empty() && f != "-" && !f.starts_with("/dev/"));
        if let Some(file) = written {
            for other in list.iter().skip(n + 1) {
                let words = cooked(&other.args());
                let Some((name, rest)) = words.split_first() else {
                    continue;
                };
                // (`sftp host < batch`: the file on its input, which `args()` leave out.)
                let language = if reads_on_input(text, other, &file) {
                    stdin_language(base(name), rest)
                } else {
                    file_language(base(name), rest, &file)
                };
                if let Some(language) = language {
                    for doc in &docs {
                        out.extend(hold(language, doc));
                    }
                }
            }
        }
    }
    out
}

fn cooked<'a>(args: &[&'a Word]) -> Vec<&'a str> {
    let i = command_index(args);
    args.get(i..)
        .unwrap_or_default()
        .iter()
        .map(|w| w.cooked.as_str())
        .collect()
}

/// Whether `cmd` reads `file` (a base name) on its input: `< file`, `0< file`.
fn reads_on_input(text: &str, cmd: &Command, file: &str) -> bool {
    cmd.words.iter().any(|w| {
        let op = text.get(..w.span.start).unwrap_or("").trim_end();
        w.redirect
            && !w.herestring
            && op.ends_with('<')
            && !op.ends_with("<<")
            && base(w.cooked.trim_matches(['"', '\''])) == file
    })
}

/// The text before the value in each document command `cmd` reads or prints that holds it:
/// its here-documents and here-strings, and what `echo`/`printf` print.
fn documents(text: &str, cmd: &Command, at: usize, targets: &BTreeSet<String>) -> Vec<String> {
    let mut docs = Vec::new();
    for h in &cmd.heredocs {
        let raw = text.get(h.body.clone()).unwrap_or("");
        if !h.body.contains(&at) {
            // (A copy, `${P}`: read in the text as written, where the shell expands it.)
            if let Some(k) = reference_in(raw, targets).filter(|_| !h.quoted) {
                docs.push(raw[..k].to_string());
            }
            continue;
        }
        let body = if h.quoted {
            Some(raw.to_string())
        } else {
            cook_heredoc(text, h.body.clone()).map(|(cooked, _)| cooked)
        };
        let Some(body) = body else { continue };
        if let Some(k) = body.find(SENTINEL) {
            docs.push(body[..k].to_string());
        }
    }
    let args = cmd.args();
    for w in cmd.words.iter().filter(|w| w.herestring) {
        if let Some(before) = before_value(text, w, at, targets) {
            docs.push(before);
        }
    }
    let Some(p) = innermost_program(&args) else {
        return docs;
    };
    let program = base(&args[p].cooked);
    if !matches!(program, "echo" | "printf") {
        return docs;
    }
    for (k, w) in args.iter().enumerate().skip(p + 1) {
        let Some(prefix) = before_value(text, w, at, targets) else {
            continue;
        };
        if program == "echo" {
            let words: Vec<&str> = args[p + 1..k]
                .iter()
                .map(|a| a.cooked.as_str())
                .skip_while(|a| {
                    a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| "neE".contains(c))
                })
                .collect();
            let mut doc = words.join(" ");
            if !doc.is_empty() {
                doc.push(' ');
            }
            doc.push_str(&prefix);
            // (`echo -e`, and dash's echo without it, print `\n` as a new line.)
            docs.push(unescape(&doc));
        } else if k == p + 1 {
            docs.push(unescape(&prefix));
        } else {
            // (Where the format's conversion for this argument is: `printf 'put %s\n' …`.)
            let format = args.get(p + 1).map_or("", |f| f.cooked.as_str());
            let nth = k - p - 2;
            let mut pieces = format.split('%');
            let mut doc = pieces.next().unwrap_or("").to_string();
            for (m, piece) in pieces.enumerate() {
                if m >= nth {
                    break;
                }
                doc.push('x');
                doc.push_str(piece.get(1..).unwrap_or(""));
            }
            docs.push(format!("{}{prefix}", unescape(&doc)));
        }
    }
    docs
}

/// `\n` and `\t` of a printf format or an echo (`-e`, or dash's) as the characters they print.
fn unescape(s: &str) -> String {
    s.replace("\\n", "\n").replace("\\t", "\t")
}

/// Where a document first expands one of `targets` (`$T`, `${T}`).
fn reference_in(body: &str, targets: &BTreeSet<String>) -> Option<usize> {
    targets
        .iter()
        .filter_map(|t| {
            body.match_indices('$').find_map(|(i, _)| {
                let rest = &body[i + 1..];
                let braced = rest
                    .strip_prefix('{')
                    .and_then(|r| r.strip_prefix(t.as_str()));
                if braced.is_some_and(|r| r.starts_with('}')) {
                    return Some(i);
                }
                rest.strip_prefix(t.as_str())
                    .filter(|r| !r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
                    .map(|_| i)
            })
        })
        .min()
}

/// The command that reads what command `n` prints or reads: itself, or past `cat`, `tee`,
/// `echo` and `printf` piped on, the next.
fn reader(list: &[Command], n: usize) -> Option<usize> {
    let mut k = n;
    loop {
        let cmd = list.get(k)?;
        let args = cmd.args();
        let p = innermost_program(&args)?;
        let passes = matches!(base(&args[p].cooked), "cat" | "tee" | "echo" | "printf");
        if passes && cmd.piped {
            k += 1;
            continue;
        }
        return (!passes).then_some(k);
    }
}

/// The value of option `opts` in `rest` (`-b FILE`, `-bFILE` for a short one, `--file=FILE`).
fn option_value<'a>(rest: &[&'a str], opts: &[&str]) -> Option<&'a str> {
    rest.iter().enumerate().find_map(|(k, a)| {
        if opts.contains(a) {
            return rest.get(k + 1).copied();
        }
        opts.iter().find_map(|o| {
            if o.starts_with("--") || o.len() > 2 {
                a.strip_prefix(o).and_then(|r| r.strip_prefix('='))
            } else {
                a.strip_prefix(o).filter(|r| !r.is_empty())
            }
        })
    })
}

/// Standard input, named as a file: `-`, `/dev/stdin`, `@-`.
fn names_stdin(w: &str) -> bool {
    let w = w.strip_prefix('@').unwrap_or(w);
    w == "-" || stdin_file(w)
}

/// The language program `name`, given the words `rest`, reads on its standard input (behind
/// `sudo`, `timeout`…, on another host or in a container).
fn stdin_language(name: &str, rest: &[&str]) -> Option<Language> {
    if let Some(w) = find_wrapper(name) {
        let all: Vec<&str> = std::iter::once(name).chain(rest.iter().copied()).collect();
        let (j, _) = programs::wrapped(&all, 0, w);
        let (first, others) = all.get(j..)?.split_first()?;
        return stdin_language(base(first), others);
    }
    if let Some(inner) = remote_reader(name, rest) {
        let (first, others) = inner.split_first()?;
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        return stdin_language(base(first), &others);
    }
    let has = |w: &str| rest.contains(&w);
    let operands = || rest.iter().filter(|a| !a.starts_with('-')).count();
    match name {
        // `vault policy write NAME -`; `vault write sys/policy/NAME policy=-`.
        "vault" => {
            let policy = rest
                .windows(2)
                .position(|p| p[0] == "policy" && p[1] == "write")
                .is_some_and(|k| rest[k + 2..].iter().skip(1).any(|a| names_stdin(a)));
            let written = has("write")
                && rest.iter().any(|a| a.contains("polic") && !a.contains('='))
                && rest.iter().any(|a| {
                    a.split_once('=')
                        .is_some_and(|(k, v)| !k.starts_with('-') && names_stdin(v))
                });
            (policy || written).then_some(Language::Hcl(true))
        }
        // `nomad job run -`, `nomad acl policy apply NAME -`, `nomad var put path -`.
        "nomad" => rest
            .iter()
            .any(|a| names_stdin(a))
            .then_some(Language::Hcl(false)),
        // `consul acl policy create -rules -`, `consul config write -`.
        "consul" => {
            let rules = option_value(rest, &["-rules", "--rules"]).is_some_and(names_stdin);
            let config = has("config") && has("write") && rest.iter().any(|a| names_stdin(a));
            (rules || config).then_some(Language::Hcl(false))
        }
        // Expressions, one a line.
        "terraform" | "tofu" | "terragrunt" if has("console") => Some(Language::Hcl(false)),
        "packer" if rest.iter().any(|a| names_stdin(a)) => Some(Language::Hcl(false)),
        "iptables-restore"
        | "ip6tables-restore"
        | "iptables-legacy-restore"
        | "ip6tables-legacy-restore"
        | "iptables-nft-restore"
        | "ip6tables-nft-restore"
        | "ebtables-restore"
        | "ebtables-nft-restore"
        | "arptables-restore"
        | "arptables-nft-restore" => {
            // (A file operand: the rules are read from it.)
            let file = rest.iter().enumerate().any(|(k, a)| {
                !a.starts_with('-')
                    && !names_stdin(a)
                    && !k.checked_sub(1).is_some_and(|m| {
                        matches!(
                            rest[m],
                            "-M" | "--modprobe" | "-T" | "--table" | "-w" | "--wait" | "-W"
                        )
                    })
            });
            (!file).then_some(Language::Iptables)
        }
        "ipset" if has("restore") || has("-") => Some(Language::ArgLines),
        "ip" | "tc" | "bridge" | "devlink" | "rdma" | "dcb" => {
            option_value(rest, &["-b", "-batch", "--batch"])
                .is_some_and(names_stdin)
                .then_some(Language::ArgLines)
        }
        // nsupdate [-k keyfile] [-y key] … [filename]
        "nsupdate" | "knsupdate" => {
            let mut k = 0;
            let mut file = None;
            while let Some(a) = rest.get(k) {
                if a.len() == 2 && a.starts_with('-') && "kytuprLqs".contains(&a[1..]) {
                    k += 2;
                    continue;
                }
                if !a.starts_with('-') {
                    file = Some(*a);
                    break;
                }
                k += 1;
            }
            file.is_none_or(names_stdin).then_some(Language::Nsupdate)
        }
        "ldapmodify" | "ldapadd" | "ldapdelete" => {
            if option_value(rest, &["-f"]).is_some_and(|f| !names_stdin(f)) {
                return None;
            }
            Some(if name == "ldapdelete" {
                Language::Names
            } else {
                Language::Ldif
            })
        }
        "sftp" => match option_value(rest, &["-b"]) {
            Some(f) if !names_stdin(f) => None,
            _ => Some(Language::Sftp),
        },
        "ftp" | "tnftp" | "pftp" | "netkit-ftp" | "inetutils-ftp" => Some(Language::Ftp),
        "lftp" => {
            let script = option_value(rest, &["-f"]);
            (!has("-c") && script.is_none_or(names_stdin)).then_some(Language::Lftp)
        }
        "smbclient" => option_value(rest, &["-c", "--command"])
            .is_none()
            .then_some(Language::Smbclient),
        // A daemon's command socket (HAProxy's runtime API, memcached, Redis), audit 41
        // A41-6: what is sent is the peer's command language.
        "socat" | "nc" | "ncat" | "netcat" | "telnet" => {
            Some(Language::Peer(rest.iter().any(|a| haproxy_socket(a))))
        }
        "openssl" if rest.first() == Some(&"s_client") => Some(Language::Peer(false)),
        "sendmail" | "msmtp" | "ssmtp" => Some(Language::Message),
        "chpasswd" | "chgpasswd" | "newusers" => Some(Language::Records),
        "passwd" if has("--stdin") => Some(Language::Records),
        "smbpasswd"
            if rest
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains('s')) =>
        {
            Some(Language::Records)
        }
        name if MAIL_PROGRAMS.contains(&name) => {
            let headers = rest.iter().any(|a| *a == "-t" || *a == "--template");
            (operands() > 0 || headers).then_some(Language::Mail(headers))
        }
        _ => None,
    }
}

/// Whether an address of `socat`/`nc` names HAProxy's runtime API: a path that holds
/// `haproxy` or whose file is `admin.sock` or a `stats` socket.
fn haproxy_socket(address: &str) -> bool {
    let file = address.rsplit(['/', ':']).next().unwrap_or(address);
    address.contains("haproxy") || file.ends_with("admin.sock") || file.starts_with("stats")
}

/// The language program `name` reads from `file` (its base name), as it would read it from
/// its input: `sftp -b batch`, `lftp -f cmds`, `nsupdate upd.txt`, `ldapmodify -f x.ldif`,
/// `vault policy write app policy.txt`.
fn file_language(name: &str, rest: &[&str], file: &str) -> Option<Language> {
    let mut replaced = false;
    let swapped: Vec<String> = rest
        .iter()
        .map(|a| {
            let trimmed = a.trim_matches(['"', '\'']);
            let (head, tail) = match trimmed.rfind(['=', '@']) {
                Some(k) if !trimmed.starts_with('@') || k > 0 => trimmed.split_at(k + 1),
                _ => ("", trimmed.strip_prefix('@').unwrap_or(trimmed)),
            };
            if !tail.is_empty() && base(tail) == file {
                replaced = true;
                format!("{head}-")
            } else {
                (*a).to_string()
            }
        })
        .collect();
    if !replaced || stdin_language(name, rest).is_some() {
        return None;
    }
    let swapped: Vec<&str> = swapped.iter().map(String::as_str).collect();
    stdin_language(name, &swapped)
}

/// The language of a command string or inline document that word `k` of `args` (program
/// at `p`) is, and the document before the value (`before`, what comes before it in the
/// word).
fn in_argument(args: &[&Word], p: usize, k: usize, before: &str) -> Option<(Language, String)> {
    let program = base(&args[p].cooked);
    let previous = k
        .checked_sub(1)
        .filter(|&m| m > p)
        .map_or("", |m| args[m].cooked.as_str());
    let words: Vec<&str> = args[p + 1..].iter().map(|w| w.cooked.as_str()).collect();
    let after_option = |short: &[&str], long: &[&str]| -> Option<String> {
        if short.contains(&previous) || long.contains(&previous) {
            return Some(before.to_string());
        }
        long.iter()
            .find_map(|o| before.strip_prefix(o).and_then(|r| r.strip_prefix('=')))
            .or_else(|| short.iter().find_map(|o| before.strip_prefix(o)))
            .map(str::to_string)
    };
    match program {
        "lftp" => after_option(&["-c", "-e"], &[]).map(|d| (Language::Lftp, d)),
        "smbclient" => after_option(&["-c"], &["--command"]).map(|d| (Language::Smbclient, d)),
        "consul" => after_option(&[], &["-rules", "--rules"])
            .filter(|d| !d.starts_with('@') && d != "-")
            .map(|d| (Language::Hcl(false), d)),
        "vault" if words.contains(&"write") => ["policy=", "rules="]
            .iter()
            .find_map(|key| before.strip_prefix(key))
            .filter(|d| !d.starts_with(['@', '-']))
            .map(|d| (Language::Hcl(true), d.to_string())),
        _ => None,
    }
}

/// Where a value stands in an HCL document (the text before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HclAt {
    Bare,
    String,
    Heredoc,
    Comment,
    BlockComment,
}

/// Where the end of `doc`, an HCL document's start, stands: between tokens, in a quoted
/// string, in a here-document (`<<EOT`), in a comment. A template's `${ … }` is tokens.
fn hcl_at(doc: &str) -> HclAt {
    enum Frame<'a> {
        Bare(usize),
        Str,
        Heredoc(&'a str),
    }
    let b = doc.as_bytes();
    let mut stack = vec![Frame::Bare(0)];
    let mut i = 0;
    // (Every index sliced at is that of an ASCII byte, so a character's start.)
    while let Some(&c) = b.get(i) {
        let next = b.get(i + 1).copied();
        let nested = stack.len() > 1;
        match stack.last_mut() {
            Some(Frame::Bare(depth)) => match c {
                b'#' | b'/' if c == b'#' || next == Some(b'/') => match doc[i..].find('\n') {
                    Some(e) => {
                        i += e;
                        continue;
                    }
                    None => return HclAt::Comment,
                },
                b'/' if next == Some(b'*') => match doc[i + 2..].find("*/") {
                    Some(e) => {
                        i += e + 4;
                        continue;
                    }
                    None => return HclAt::BlockComment,
                },
                b'"' => stack.push(Frame::Str),
                b'<' if next == Some(b'<') => {
                    let rest = &doc[i + 2..];
                    let rest = rest.strip_prefix('-').unwrap_or(rest);
                    let len = rest
                        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .unwrap_or(rest.len());
                    let (id, after) = rest.split_at(len);
                    if !id.is_empty()
                        && let Some(line) = after.strip_prefix('\n').or(after.strip_prefix("\r\n"))
                    {
                        i = doc.len() - line.len();
                        stack.push(Frame::Heredoc(id));
                        continue;
                    }
                }
                b'{' => *depth += 1,
                b'}' if *depth == 0 && nested => {
                    stack.pop();
                }
                b'}' => *depth = depth.saturating_sub(1),
                _ => {}
            },
            Some(Frame::Str) => match c {
                b'\\' => i += 1,
                b'"' | b'\n' => {
                    stack.pop();
                }
                b'$' | b'%' if next == Some(c) && b.get(i + 2) == Some(&b'{') => i += 2,
                b'$' | b'%' if next == Some(b'{') => {
                    stack.push(Frame::Bare(0));
                    i += 1;
                }
                _ => {}
            },
            Some(Frame::Heredoc(id)) => {
                let id = *id;
                if i == 0 || b[i - 1] == b'\n' {
                    let rest = &doc[i..];
                    if let Some((line, _)) = rest.split_once('\n')
                        && line.trim() == id
                    {
                        stack.pop();
                        i += line.len() + 1;
                        continue;
                    }
                }
                match c {
                    b'$' | b'%' if next == Some(c) && b.get(i + 2) == Some(&b'{') => i += 2,
                    b'$' | b'%' if next == Some(b'{') => {
                        stack.push(Frame::Bare(0));
                        i += 1;
                    }
                    _ => {}
                }
            }
            None => return HclAt::Bare,
        }
        i += 1;
    }
    match stack.last() {
        Some(Frame::Str) => HclAt::String,
        Some(Frame::Heredoc(_)) => HclAt::Heredoc,
        _ => HclAt::Bare,
    }
}

/// The quote open at the end of `line` (`"` or `'`), reading `\` as an escape outside
/// single quotes.
fn open_quote(line: &str) -> Option<char> {
    let mut quote = None;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (q, '\\') if q != Some('\'') => escaped = true,
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    quote
}

/// What language `language` makes of a value after `before`.
fn hold(language: Language, before: &str) -> Option<FileArgument> {
    let line = before.rsplit(['\n', '\r']).next().unwrap_or(before);
    let quoted = open_quote(line);
    // (The characters that would end the argument or quoted string holding the value.)
    let word_end = |outside: &'static str| match quoted {
        Some('"') => IN_DOUBLE,
        Some(_) => IN_SINGLE,
        None => outside,
    };
    match language {
        Language::Hcl(vault) => match hcl_at(before) {
            HclAt::String if vault => found(&[], VAULT_STRING_CHARS, VAULT_STRING),
            HclAt::String => found(&[], HCL_STRING_CHARS, HCL_STRING),
            HclAt::Heredoc if vault => found(&[], VAULT_HEREDOC_CHARS, HCL_HEREDOC),
            HclAt::Heredoc => found(&[], HCL_HEREDOC_CHARS, HCL_HEREDOC),
            HclAt::Comment => found(&[], LINE, HCL_COMMENT),
            HclAt::BlockComment => found(&[], "*", HCL_COMMENT),
            HclAt::Bare => found(&[], HCL_BARE_CHARS, HCL_BARE),
        },
        Language::Iptables => {
            let starts: &'static [&'static str] = if line.trim().is_empty() {
                &["-", "*", ":", "#", "[", "commit"]
            } else {
                &[]
            };
            found(starts, word_end(ARGUMENT_CHARS), IPTABLES)
        }
        Language::ArgLines => found(&[], word_end(ARG_LINE_CHARS), ARG_LINES),
        // (At a line's start the value is the command: `send` sends the changes so far.)
        Language::Nsupdate if line.trim().is_empty() => {
            found(NSUPDATE_COMMANDS, word_end(NSUPDATE_CHARS), NSUPDATE_LINE)
        }
        Language::Nsupdate => found(&[], word_end(NSUPDATE_CHARS), NSUPDATE),
        Language::Ldif => {
            let starts: &'static [&'static str] = if line.ends_with(':') {
                &[":", "<"]
            } else {
                &[]
            };
            found(starts, "\n\r\0", LDIF)
        }
        Language::Names => found(&[], "\n\r\0", LDAP_NAMES),
        Language::Sftp | Language::Ftp => {
            let ftp = language == Language::Ftp;
            let command = line.trim_start_matches([' ', '\t', '-', '@']);
            let start = command.is_empty();
            let (starts, what): (&'static [&'static str], _) = match (start, ftp) {
                (true, true) => (&["!", "$", "|"], SFTP),
                (true, false) => (SFTP_LINE_STARTS, SFTP_LINE),
                (false, _) => (&[], SFTP),
            };
            let chars = match (quoted, ftp) {
                (Some('"'), _) => IN_DOUBLE,
                (Some(_), _) => IN_SINGLE,
                (None, true) => FTP_CHARS,
                (None, false) => ARGUMENT_CHARS,
            };
            // (sftp expands `*`, `?` and `[` in the paths of these: more files.)
            let name = command.split_whitespace().next().unwrap_or("");
            let globs = !ftp && !start && SFTP_GLOBBING.contains(&name);
            found(starts, chars, what).map(|f| FileArgument {
                glob: globs.then_some(SFTP_GLOB),
                ..f
            })
        }
        Language::Lftp => {
            let command = line.rsplit([';', '&', '|']).next().unwrap_or(line);
            let starts: &'static [&'static str] = if command.trim().is_empty() {
                &["!"]
            } else {
                &[]
            };
            found(starts, word_end(LFTP_CHARS), LFTP)
        }
        Language::Smbclient => {
            let command = line.rsplit(';').next().unwrap_or(line);
            let starts: &'static [&'static str] = if command.trim().is_empty() {
                &["!"]
            } else {
                &[]
            };
            let chars = match quoted {
                Some(_) => "\n\r\"';\\",
                None => SMB_CHARS,
            };
            found(starts, chars, SMBCLIENT)
        }
        Language::Peer(true) => found(&[], "\n\r\\;", HAPROXY),
        Language::Peer(false) => found(&[], "\n\r\\", PEER),
        // (Before the first empty line of `mail -t`'s or `sendmail`'s input: headers,
        // however the message is written: a here-document, `printf`, an `echo` group.)
        Language::Mail(true) | Language::Message if !before.contains("\n\n") => {
            found(&[], LINE, super::formats::MAIL_HEADER)
        }
        Language::Message => None,
        Language::Records => found(&[], LINE, RECORDS),
        // (A value within a line starts no line; its own later lines may.)
        Language::Mail(_) => {
            let first: &'static [&'static str] = if line.is_empty() { &["~"] } else { &[] };
            found(first, "", MAIL_BODY).map(|f| FileArgument { lines: &["~"], ..f })
        }
    }
}

const RECORDS: &str = "it stands in a record of the lines `chpasswd`, `chgpasswd`, `newusers`, `passwd --stdin` or `smbpasswd -s` read on their input, where a new line would start another record (`root:…` sets another account's password)";

/// In a double-quoted argument: its quote, `\` and a new line.
const IN_DOUBLE: &str = "\n\r\"\\";
/// In a single-quoted argument.
const IN_SINGLE: &str = "\n\r'\\";
/// Outside quotes, where white space separates arguments.
const ARGUMENT_CHARS: &str = "\n\r \t\"'\\";
const ARG_LINE_CHARS: &str = "\n\r \t\"'\\#";
const NSUPDATE_CHARS: &str = "\n\r \t;\"'\\";
const FTP_CHARS: &str = "\n\r \t\"'\\|";
const LFTP_CHARS: &str = "\n\r \t\"'\\;&|<>";
const SMB_CHARS: &str = "\n\r \t\"'\\;";
const HCL_STRING_CHARS: &str = "\n\r\"\\{}";
/// A Vault policy's strings: besides what ends an HCL string, Vault's glob in a path (`*`
/// any characters, `+` any one segment), and `?`, which runbook has always refused in a
/// path a policy grants. The one rule for a value in a Vault policy's path, inline
/// (`policy='…'`) or on vault's input.
const VAULT_STRING_CHARS: &str = "\n\r\"\\{}*+?";
const HCL_HEREDOC_CHARS: &str = "\n\r{}";
/// As [`VAULT_STRING_CHARS`], in an HCL here-document.
const VAULT_HEREDOC_CHARS: &str = "\n\r{}*+?";
/// Everything in ASCII but letters, digits and `. _ -`.
const HCL_BARE_CHARS: &str = " \t\n\r\u{b}\u{c}\u{0}!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~\u{7f}";

const VAULT_STRING: &str = "it stands in a quoted string of a Vault policy (`vault policy write NAME -`, `vault write sys/policy/… policy=…`), where `\"` would end the string and the rest add rules of its own (`path \"sys/*\" { capabilities = [\"sudo\"] }`), `\\` escapes, `${` or `%{` starts a template, a new line ends the line, and `*` or `+` (or `?`) in a path grants every path it matches: give a name of letters, digits and `. _ - /` (`app-1.prod`), or write the policy in the runbook";
const HCL_STRING: &str = "it stands in a quoted string of an HCL document a program reads (`nomad job run -`, `consul acl policy create -rules -`, `terraform console`), where `\"` would end the string and the rest be more of the document (another block, rule or task), `\\` escapes, `${` or `%{` starts a template and a new line ends the line: give a name of letters, digits and `. _ - /`, or pass the value as a variable of the program (`-var`)";
const HCL_HEREDOC: &str = "it stands in a here-document (`<<EOT`) of an HCL document a program reads (a Vault policy, a Nomad job), where a new line could end it and the rest be more of the document, and `${` or `%{` starts a template (in a Vault policy's path, `*`, `+` and `?` grant every path they match): give a name of letters, digits and `. _ - /`";
const HCL_COMMENT: &str = "it stands in a comment of an HCL document a program reads (a Vault policy, a Nomad job), where a new line (or `*/`) would end the comment and the rest be more of the document: take the value out of the comment";
const HCL_BARE: &str = "it stands between the tokens of an HCL document a program reads (`vault policy write NAME -`, `nomad job run -`), where anything but a name or a number (letters, digits, `. _ -`) would add to the document: put the value in a quoted string there (`\"{{ … }}\"`), which holds a name such as `app-1.prod`";
const IPTABLES: &str = "it stands in a rule of the ruleset `iptables-restore` reads (`ip6tables-restore`, `ebtables-restore`), where a new line starts another rule or command (`-A INPUT -j ACCEPT`, `COMMIT`), a space or quote adds options to this rule, and a line starting with `-`, `*`, `:` or `COMMIT` is a command: give an address, port or name of letters, digits and `. : / - _`";
const ARG_LINES: &str = "it stands in a line of commands that `ipset restore` or `ip -batch -`/`tc -batch -` reads, where a new line starts another command (`flush`, `link del …`), `#` a comment, and a space or quote adds arguments to this one: give an address or name of letters, digits and `. : / - _`";
/// nsupdate's commands: a value at a line's start is one of them or nothing nsupdate reads.
const NSUPDATE_COMMANDS: &[&str] = &[
    "send",
    "quit",
    "answer",
    "update",
    "add",
    "del",
    "prereq",
    "zone",
    "server",
    "local",
    "key",
    "gsstsig",
    "oldgsstsig",
    "realm",
    "class",
    "ttl",
    "debug",
    "show",
    "check-names",
    "checknames",
    "lifetime",
];
/// A line of an sftp batch starting with these runs a local shell, ignores errors or is a
/// command that ends the batch or changes files: all but those that only look (`pwd`, `ls`).
const SFTP_LINE_STARTS: &[&str] = &[
    "!", "-", "@", "bye", "quit", "exit", "rm", "get", "put", "reget", "reput", "mget", "mput",
    "chmod", "chown", "chgrp", "rename", "ln", "symlink", "mkdir", "cd", "lcd", "lmkdir", "lumask",
    "copy", "cp", "progress",
];
/// The commands of sftp that expand a glob in their paths.
const SFTP_GLOBBING: &[&str] = &[
    "get", "put", "rm", "reget", "reput", "mget", "mput", "rmdir", "chmod", "chown", "chgrp",
];
const NSUPDATE_LINE: &str = "it stands at the start of a line of the commands `nsupdate` reads, where it is the command itself: `send` sends the changes read so far, `quit` ends the batch before its own `send`, `update delete …` deletes records: give the value inside a command (`update add {{ … }}.example.com …`) rather than as one";
const SFTP_LINE: &str = "it stands at the start of a line of an sftp batch (its input, `sftp -b FILE`), where it is the command itself: `bye` or `quit` ends the batch before its own commands, `rm`, `put` and `rename` change files, `!` runs a local shell, and `-` or `@` change how the line runs: give the value inside a command (`put {{ … }}`) rather than as one";
const SFTP_GLOB: &str = "it is a path of an sftp `get`, `put` or `rm` (its batch), which sftp expands as a pattern: `*`, `?` or `[` would pick every file it matches";
const NSUPDATE: &str = "it stands in a command that `nsupdate` reads, where a new line starts another command (`update delete example.com`, `send`), `;` a comment, and a space or quote moves the rest into other fields of the record: give a name or address of letters, digits and `. - _ :`";
const LDIF: &str = "it stands in an LDIF line that `ldapmodify`/`ldapadd` reads, where a new line starts another attribute, change or entry (`userPassword: …`, `changetype: delete`), and right after `attr:` a leading `:` makes the rest base64 and `<` names a file to read (`< file:///etc/shadow`): give a value on one line, not starting with `:` or `<`";
const LDAP_NAMES: &str = "it stands in the list of entries `ldapdelete` reads on its input, one distinguished name a line, where a new line would add another entry to delete: give one name";
const SFTP: &str = "it stands in a command of an sftp or ftp batch (its input, `sftp -b FILE`), where a new line starts another command, a command starting with `!` runs a local shell (and ftp's `|command` pipes to one), and a space or quote adds an argument (another path to write): give a file name of letters, digits and `. _ - / :` (`backup-2026-12-07.tar.gz`, `dir/file`)";
const LFTP: &str = "it stands in lftp's commands (`lftp -c \"…\"`, `-e`, its input), where a new line, `;`, `&&` or `||` starts another command, `!` at a command's start runs a local shell, `|` and `>` hand the output to a shell command or a local file, and a space or quote adds an argument: give a file name of letters, digits and `. _ - / :` (`backup-2026-12-07.tar.gz`)";
const SMBCLIENT: &str = "it stands in smbclient's commands (`smbclient -c \"…\"`, its input), where `;` or a new line starts another command, `!` at a command's start runs a local shell, and a space or quote adds an argument: give a file name of letters, digits and `. _ - / :` (`backup-2026-12-07.tar.gz`)";
const PEER: &str = "it stands in what `socat`, `nc`, `telnet` or `openssl s_client` send to a server, whose commands are lines (memcached's `flush_all`, Redis's `FLUSHALL`, an SMTP or HTTP request): a new line or carriage return would send another command, and `\\` makes one where `echo -e` or a `printf` format reads it: give a key or name on one line, with no `\\`";
const HAPROXY: &str = "it stands in a command sent to HAProxy's runtime API (its admin or stats socket), where `;` or a new line starts another command (`disable server app/web2`) and `\\` makes a new line where `echo -e` or a `printf` format reads it: give a server or backend name of letters, digits and `. _ - /`";
const MAIL_BODY: &str = "it stands in the body of a mail message that `mail` reads on its input, where a line starting with `~` is a command of mail (`~!` and `~|` run a shell, `~r` reads a file): give a value with no line starting with `~`";

#[cfg(test)]
mod tests {
    use super::super::plan;

    /// Whether `value` is refused at the `{{ v }}` of `script`: the script itself, or the
    /// value there.
    fn refused(script: &str, value: &str) -> bool {
        let at = script.find("{{ v }}").expect("a placeholder");
        plan(script, at..at + "{{ v }}".len()).map_or(true, |p| p.refusal(value, None).is_some())
    }

    fn check(cases: &[(&str, &[&str], &[&str])]) {
        let mut wrong = Vec::new();
        for (script, bad, good) in cases {
            for value in *bad {
                if !refused(script, value) {
                    wrong.push(format!("{script:?} takes {value:?}"));
                }
            }
            for value in *good {
                if refused(script, value) {
                    wrong.push(format!("{script:?} refuses {value:?}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// Audit 29 H-25: a value in an HCL document read on standard input (or given inline)
    /// may not end its string and add rules, nor widen a Vault path.
    #[test]
    fn a_value_in_an_hcl_document_read_on_input_stays_in_its_string() {
        check(&[
            (
                "vault policy write app - <<EOF\npath \"secret/data/{{ v }}/*\" {\n  capabilities = [\"read\"]\n}\nEOF",
                &[
                    "x/*\" { capabilities = [\"sudo\"] }\npath \"y",
                    "a\"b",
                    "a\\b",
                    "${file(\"/etc/shadow\")}",
                    "%{ if true }x%{ endif }",
                    "*",
                    "+",
                    "?",
                    "a\nb",
                ],
                &["app-1.prod", "team_a/app", "APP"],
            ),
            (
                "cat <<EOF | vault policy write app -\npath \"secret/data/{{ v }}/*\" { capabilities = [\"read\"] }\nEOF",
                &["x\" { capabilities = [\"sudo\"] } path \"y", "*"],
                &["app-1.prod"],
            ),
            (
                "echo 'path \"secret/data/{{ v }}/*\" { capabilities = [\"read\"] }' | vault policy write app -",
                &["x\" { capabilities = [\"sudo\"] } path \"y", "+"],
                &["app-1.prod"],
            ),
            (
                "sudo vault policy write app /dev/stdin <<< 'path \"kv/{{ v }}\" { capabilities = [\"read\"] }'",
                &["a\"b", "a*"],
                &["app-1.prod"],
            ),
            (
                "vault write sys/policy/app policy=- <<EOF\npath \"kv/{{ v }}\" { capabilities = [\"read\"] }\nEOF",
                &["a\"b"],
                &["app-1.prod"],
            ),
            (
                "vault write sys/policy/app policy='path \"kv/{{ v }}\" { capabilities = [\"read\"] }'",
                &["a\" {} path \"b", "*"],
                &["app-1.prod"],
            ),
            (
                "P=\"{{ v }}\"\nvault policy write app - <<EOF\npath \"kv/${P}/*\" { capabilities = [\"read\"] }\nEOF",
                &["a\" {} path \"b", "*"],
                &["app-1.prod"],
            ),
            (
                "nomad job run - <<EOF\njob \"{{ v }}\" {\n  datacenters = [\"dc1\"]\n}\nEOF",
                &["x\" {}\njob \"y", "${x}"],
                &["web-1", "web*"],
            ),
            (
                "consul acl policy create -name app -rules - <<EOF\nkey_prefix \"{{ v }}/\" { policy = \"read\" }\nEOF",
                &["a\" { policy = \"write\" } key_prefix \"b"],
                &["app-1.prod"],
            ),
            (
                "consul acl policy create -name app -rules 'key_prefix \"{{ v }}/\" { policy = \"read\" }'",
                &["a\" { policy = \"write\" } key_prefix \"b"],
                &["app-1.prod"],
            ),
            // Between tokens: a name or a number only.
            (
                "nomad job run - <<EOF\njob \"web\" {\n  count = {{ v }}\n}\nEOF",
                &["1\n  datacenters = [\"x\"]", "1 }", "\"a\""],
                &["3", "var.count"],
            ),
            // In a comment: a new line ends it.
            (
                "vault policy write app - <<EOF\n# for {{ v }}\npath \"kv/app\" { capabilities = [\"read\"] }\nEOF",
                &["x\npath \"sys/*\" { capabilities = [\"sudo\"] }"],
                &["ticket 42: \"read\" {x}"],
            ),
            // In an HCL here-document.
            (
                "vault policy write app - <<EOF\npath \"kv/app\" {\n  description = <<EOT\nfor {{ v }}\nEOT\n}\nEOF",
                &["x\nEOT\n}\npath \"sys/*\" {", "${x}"],
                &["ticket 42"],
            ),
        ]);
    }

    /// Audit 29 H-24: a value in the lines of a command language read on the input may not
    /// add a command, rule or change.
    #[test]
    fn a_value_in_a_line_oriented_command_language_stays_on_its_line() {
        check(&[
            (
                "sudo iptables-restore -n <<EOF\n*filter\n-A INPUT -s {{ v }} -j DROP\nCOMMIT\nEOF",
                &[
                    "1.2.3.4 -j DROP\n-A INPUT -j ACCEPT",
                    "1.2.3.4\r-F",
                    "0.0.0.0/0 -p tcp",
                    "\"x\"",
                ],
                &["10.0.0.0/8", "fe80::1", "203.0.113.7"],
            ),
            (
                "ip6tables-restore --noflush <<EOF\n*filter\n-A INPUT -m comment --comment \"{{ v }}\" -j DROP\nCOMMIT\nEOF",
                &["a\" -j ACCEPT \"", "a\nCOMMIT"],
                &["blocked: ticket 42"],
            ),
            (
                "printf '%s\\n' '*filter' \"{{ v }}\" COMMIT | iptables-restore -n",
                &["-F", "*nat", "COMMIT", ":INPUT ACCEPT"],
                &["web"],
            ),
            (
                "nsupdate -k /etc/k.key <<EOF\nserver ns1\nupdate add {{ v }}.example.com 300 A 10.0.0.1\nsend\nEOF",
                &[
                    "x\nupdate delete example.com",
                    "evil.com. 300 A 6.6.6.6 ;",
                    "a;b",
                    "a\rb",
                ],
                &["web-1", "web_1.prod"],
            ),
            // A quoted TXT record holds text: only its quote, `\` and a new line end it.
            (
                "nsupdate <<EOF\nupdate add _status.example.com 60 TXT \"{{ v }}\"\nsend\nEOF",
                &["x\"\nupdate delete example.com", "a\\", "x\nsend"],
                &["it's down; see #42"],
            ),
            (
                "ldapmodify -x -D cn=admin -w pw <<EOF\ndn: uid=bob,dc=x\nchangetype: modify\nreplace: description\ndescription: {{ v }}\nEOF",
                &["x\n-\nreplace: userPassword\nuserPassword: y"],
                &["on call: see #42", ":-) fine"],
            ),
            (
                "ldapadd -x <<EOF\ndn: uid=bob,dc=x\ndescription:{{ v }}\nEOF",
                &[": eA==", "< file:///etc/shadow"],
                &["bob"],
            ),
            (
                "echo \"uid={{ v }},ou=people,dc=x\" | ldapdelete -x -D cn=admin -w pw",
                &["bob,ou=people,dc=x\nuid=alice"],
                &["bob"],
            ),
            (
                "ipset restore <<EOF\nadd blocklist {{ v }}\nEOF",
                &["1.2.3.4\nflush", "1.2.3.4 timeout 0"],
                &["1.2.3.4"],
            ),
            (
                "ip -batch - <<EOF\naddr add {{ v }} dev eth0\nEOF",
                &["10.0.0.1/24 dev eth0\nlink del eth0"],
                &["10.0.0.1/24"],
            ),
        ]);
    }

    /// Audit 29 H-23: a value in sftp's, ftp's, lftp's or smbclient's commands may not
    /// start another command, nor run a local shell with `!`.
    #[test]
    fn a_value_in_a_file_transfer_batch_may_not_run_a_local_shell() {
        check(&[
            (
                "sftp -b - backup@host <<EOF\nput {{ v }} /srv/in/\nEOF",
                &["x\n!id", "x /home/u/.ssh/authorized_keys", "a\"b", "x\r!id"],
                &["backup-2026-12-07.tar.gz", "dir/file", "a!b"],
            ),
            (
                "sftp -b - backup@host <<EOF\n{{ v }}\nEOF",
                &["!id", "-!id", "@!id"],
                &["pwd"],
            ),
            (
                "cat > \"$T/batch\" <<EOF\nput {{ v }}\nEOF\nsftp -b \"$T/batch\" backup@host",
                &["x\n!id"],
                &["backup-2026-12-07.tar.gz"],
            ),
            (
                "echo \"put {{ v }}\" > batch.txt; sftp -b batch.txt h",
                &["x\n!id", "x y"],
                &["dir/file"],
            ),
            (
                "lftp -c \"open sftp://h; put {{ v }}\"",
                &[
                    "x; !id",
                    "x && !id",
                    "x || !id",
                    "x | sh",
                    "x\n!id",
                    "x > /etc/passwd",
                ],
                &["backup-2026-12-07.tar.gz", "dir/file"],
            ),
            (
                "lftp -e \"put {{ v }}; bye\" sftp://h",
                &["x; !id"],
                &["dir/file"],
            ),
            ("lftp sftp://h <<EOF\n{{ v }}\nEOF", &["!id"], &["ls"]),
            // dash's echo, and `echo -e`, print `\n` as a new line.
            (
                "echo -e \"cd /in\\n{{ v }}\" | sftp -b - host",
                &["!reboot"],
                &["pwd"],
            ),
            (
                "smbclient //h/share -U u%p -c \"put {{ v }}\"",
                &["x; !id", "x\n!id", "x y"],
                &["backup-2026-12-07.tar.gz", "dir/file"],
            ),
            ("smbclient //h/share -c \"{{ v }}\"", &["!id"], &["ls"]),
            (
                "ftp -n h <<EOF\nuser u p\nput {{ v }}\nEOF",
                &["x\n!id", "|sh", "x |sh"],
                &["backup-2026-12-07.tar.gz"],
            ),
        ]);
    }

    /// A value that is a whole line of an nsupdate or sftp batch is its command (`send`,
    /// `bye`, `quit`): refused; a `*`, `?` or `[` in a path sftp's `get`, `put` or `rm`
    /// expands picks more files: refused, as other globs are.
    #[test]
    fn a_value_may_not_be_a_batch_command_nor_a_glob_of_sftp() {
        check(&[
            (
                "nsupdate <<EOF\nupdate delete old.example.com A\n{{ v }}\nupdate add new.example.com 300 A 10.0.0.1\nsend\nEOF",
                &["send", "quit", "SEND", "update delete example.com"],
                &["addr-1", "delta.example.com"],
            ),
            (
                "sftp -b - backup@host <<EOF\n{{ v }}\nput /var/backups/x.tgz\nEOF",
                &["bye", "quit", "exit", "rm /srv/in/x", "!id", "cd ..", "BYE"],
                // (A word that only starts like a command is none: `cdrom.tar`.)
                &["pwd", "ls", "cdrom.tar", "getty.log", "lnav"],
            ),
            (
                "sftp -b - backup@host <<EOF\nrm /srv/in/{{ v }}\nEOF",
                &["*", "x?", "[a-z]*"],
                &["backup-2026-12-07.tar.gz"],
            ),
            (
                "printf 'get /srv/out/%s\\n' \"{{ v }}\" | sftp -b - backup@host",
                &["*"],
                &["report.csv"],
            ),
            (
                "sftp -b - backup@host <<EOF\nput \"{{ v }}\" /srv/in/\nEOF",
                &["*.tgz"],
                &["x.tgz"],
            ),
            // Other commands take the path as it is; the values inside a line stay data.
            (
                "sftp -b - backup@host <<EOF\nls /srv/in/{{ v }}\nEOF",
                &[],
                &["*.tgz"],
            ),
            (
                "nsupdate <<EOF\nupdate add {{ v }}.example.com 300 A 10.0.0.1\nsend\nEOF",
                &[],
                &["send", "quit"],
            ),
        ]);
        let s = "sftp -b - h <<EOF\nrm /srv/in/{{ v }}\nEOF";
        let at = s.find("{{ v }}").expect("a placeholder");
        let p = plan(s, at..at + 7).expect("a plan");
        assert_eq!(
            p.refusal("*", None),
            Some(super::super::types::Refusal::Widens(Some('*')))
        );
    }

    /// A batch file the script writes from the value, then gives a program on its input
    /// (`sftp host < b.txt`): read as that program's commands, as `sftp -b b.txt` is.
    #[test]
    fn a_batch_file_given_on_the_input_is_read_as_the_programs_commands() {
        check(&[
            (
                "echo \"put {{ v }}\" > b.txt\nsftp backup@host < b.txt",
                &["x\n!id", "x y"],
                &["backup-2026-12-07.tar.gz"],
            ),
            (
                "printf 'update add %s.example.com 300 A 10.0.0.1\\nsend\\n' \"{{ v }}\" > \"$T/upd.txt\"\nnsupdate -k k.key < \"$T/upd.txt\"",
                &["x\nupdate delete example.com", "a;b"],
                &["web-1"],
            ),
            (
                "cat > body.txt <<EOF\nHello,\n{{ v }}\nEOF\nmail -s subject ops@example.com < body.txt",
                &["x\n~!id"],
                &["web-1 is down"],
            ),
            (
                "echo \"put {{ v }}\" > b.txt; sudo sftp -b - backup@host 0< b.txt",
                &["x\n!id"],
                &["dir/file"],
            ),
        ]);
    }

    /// Audit 29 H-10: a line of a mail body that starts with `~` is one of mail's commands.
    #[test]
    fn a_value_in_a_mail_body_may_not_start_a_line_with_a_tilde() {
        check(&[
            (
                "mail -s \"disk full\" ops@example.com <<< \"{{ v }}\"",
                &["~!id", "ok\n~!id", "ok\r~|sh"],
                &["disk full on web-1\nsee ~/logs", "approx. ~5 min"],
            ),
            (
                "mail -s subject ops@example.com <<EOF\nHello,\n{{ v }}\nEOF",
                &["x\n~!id"],
                &["web-1\nweb-2"],
            ),
            (
                "echo \"{{ v }}\" | mailx -s subject ops@example.com",
                &["x\n~!id"],
                &["web-1 is down"],
            ),
            // Within a line, a value starts no line (its own later lines may).
            (
                "mail -s \"disk full\" ops@example.com <<< \"Usage: {{ v }}\"",
                &["95%\n~!id"],
                &["~95% on /srv", "~/backups is full"],
            ),
        ]);
        // The refusal says body, not header.
        let s = "mail -s subj ops@example.com <<EOF\n{{ v }}\nEOF";
        let at = s.find("{{ v }}").expect("a placeholder");
        let p = plan(s, at..at + 7).expect("a plan");
        assert!(p.shape.is_none(), "{p:?}");
        assert!(
            p.file_lead.is_some_and(|l| l.what.contains("body")),
            "{p:?}"
        );
        // Whether the value starts so or a later line of it does, said by the refusal.
        use super::super::types::Refusal;
        assert_eq!(p.refusal("~!id", None), Some(Refusal::ReadsFile("~")));
        assert_eq!(
            p.refusal("ok\n~!id", None),
            Some(Refusal::LineReadsFile("~"))
        );
    }
}
