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

use super::files::{FileArgument, LINE, before_value, found, shaped};
use super::stdin::input_written_to;
use super::types::SENTINEL;
use crate::shell::programs::{base, command_index, program_index};
use crate::shell::words::{Command, Word, cook_heredoc};

/// What the documents `at` stands in make of the value, outermost first.
pub(super) fn formats(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Vec<FileArgument> {
    let mut out = Vec::new();
    for cmd in list {
        for w in &cmd.words {
            if w.herestring || (w.redirect && !w.span.contains(&at)) {
                continue;
            }
            let Some(before) = before_value(text, w, at, targets) else {
                continue;
            };
            out.extend(in_word(text, cmd, w, &before));
        }
        for h in &cmd.heredocs {
            if !h.body.contains(&at) {
                continue;
            }
            let body = if h.quoted {
                text.get(h.body.clone()).map(str::to_string)
            } else {
                cook_heredoc(text, h.body.clone()).map(|(cooked, _)| cooked)
            };
            let Some(body) = body else { continue };
            let Some(k) = body.find(SENTINEL) else {
                continue;
            };
            out.extend(in_document(text, cmd, &body[..k]));
        }
    }
    out
}

/// A value in a word, after `before` (quotes removed).
fn in_word(text: &str, cmd: &Command, w: &Word, before: &str) -> Vec<FileArgument> {
    let mut out = Vec::new();
    if let Some(found) = json(before) {
        out.push(found);
    }
    if let Some(found) = conninfo(cmd, w, before) {
        out.push(found);
    }
    if let Some(found) = url(before, false) {
        out.push(found);
    }
    if let Some(found) = under_folder(before) {
        out.push(found);
    }
    // `echo "MODE={{ v }}" >> app.env`: a new line would be another variable of the file.
    if written_to_file(text, cmd) && env_line(before.rsplit('\n').next().unwrap_or(before)) {
        out.extend(shaped(LINE, ENV_LINE));
    }
    out
}

/// A value in a here-document's body, after `before`.
fn in_document(text: &str, cmd: &Command, before: &str) -> Vec<FileArgument> {
    let mut out = Vec::new();
    let line = before.rsplit('\n').next().unwrap_or(before);
    if let Some(found) = json(before.trim_start()) {
        out.push(found);
    } else if yaml_reader(text, cmd) || yaml_like(before) {
        out.extend(yaml(line));
    }
    if env_line(line) && (written_to_file(text, cmd) || input_written_to(text, cmd).is_some()) {
        out.extend(shaped(LINE, ENV_LINE));
    }
    if let Some(found) = url(line, true) {
        out.push(found);
    }
    out
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
    if in_string {
        found(&[], "\"\\", JSON_STRING)
    } else {
        shaped("\"',:{}[]#\\\n\r", JSON_BARE)
    }
}

/// Whether the command reads a YAML document on its input: `kubectl apply|create|replace
/// -f -`, `helm … -f -`, or writes it to a `.yaml`/`.yml` file.
fn yaml_reader(text: &str, cmd: &Command) -> bool {
    let args = cmd.args();
    let i = program_index(&args, command_index(&args));
    let Some(name) = args.get(i).map(|w| base(&w.cooked)) else {
        return false;
    };
    let reads_stdin = args.windows(2).any(|p| {
        matches!(p[0].cooked.as_str(), "-f" | "--filename" | "--values")
            && matches!(p[1].cooked.as_str(), "-" | "/dev/stdin")
    }) || args
        .iter()
        .any(|a| matches!(a.cooked.as_str(), "--filename=-" | "--values=-" | "-f-"));
    let file = input_written_to(text, cmd).unwrap_or_default();
    (reads_stdin && matches!(name, "kubectl" | "oc" | "helm" | "kustomize" | "k3s"))
        || file.ends_with(".yaml")
        || file.ends_with(".yml")
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

/// Whether what the command prints goes to a file (`echo … >> app.env`, `… | tee f`).
fn written_to_file(text: &str, cmd: &Command) -> bool {
    let args = cmd.args();
    let Some(name) = args.get(command_index(&args)).map(|w| base(&w.cooked)) else {
        return false;
    };
    if !matches!(name, "echo" | "printf" | "cat") {
        return false;
    }
    cmd.words.iter().any(|w| {
        let before = text[..w.span.start].trim_end();
        w.redirect
            && !w.herestring
            && before.ends_with('>')
            && !before.ends_with(">&")
            && !w.cooked.starts_with("/dev/")
    })
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
fn conninfo(cmd: &Command, w: &Word, before: &str) -> Option<FileArgument> {
    let last = before.rsplit([' ', '\t', '\n']).next().unwrap_or(before);
    let keyed = |s: &str| {
        s.strip_suffix('=')
            .or_else(|| s.strip_suffix("='"))
            .is_some_and(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
    };
    let conninfo_keys = [
        "host=",
        "hostaddr=",
        "dbname=",
        "user=",
        "port=",
        "sslmode=",
        "service=",
    ];
    if keyed(last) && conninfo_keys.iter().any(|k| before.contains(k)) {
        return if last.ends_with('\'') {
            found(&[], "'\\", CONNINFO)
        } else {
            shaped(" \t\n\r'\\", CONNINFO)
        };
    }
    if !before.is_empty() && before != "--dbname=" {
        return None;
    }
    let args = cmd.args();
    let i = program_index(&args, command_index(&args));
    if !args
        .get(i)
        .is_some_and(|p| LIBPQ.contains(&base(&p.cooked)))
    {
        return None;
    }
    let k = args.iter().position(|a| std::ptr::eq(*a, w))?;
    let previous = args.get(k.checked_sub(1)?)?.cooked.as_str();
    let database = before == "--dbname="
        || matches!(previous, "-d" | "--dbname" | "--maintenance-db")
        || (k > i && first_operand(base(&args[i].cooked), &args[i + 1..]) == Some(k - i - 1));
    database
        .then_some(())
        .and_then(|()| found(&["postgresql:", "postgres:"], "", DBNAME))
        .map(|f| FileArgument { shape: "=", ..f })
}

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
fn url(before: &str, in_text: bool) -> Option<FileArgument> {
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
    if let Some(query) = rest.split_once('?').map(|(_, q)| q) {
        // (A value of a parameter: after `name=`.)
        return (query.is_empty() || query.ends_with('=') || query.ends_with('&'))
            .then_some(())
            .and_then(|()| shaped("&#", URL_QUERY));
    }
    if rest.contains('/') {
        return shaped("?#", URL_PATH).map(|f| FileArgument {
            no_parent: true,
            ..f
        });
    }
    shaped("/?#@\\", URL_HOST)
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

const JSON_STRING: &str = "it stands in a JSON string, where `\"` would end the string (the rest would be more fields of the document) and `\\` escapes what follows (build the JSON with `jq -n --arg v \"{{ … }}\" '{key: $v}'`, which quotes the value)";
const JSON_BARE: &str = "it stands between the tokens of a JSON document, where only a number or a word (`true`, `null`) is data: quotes, `,`, `:` and brackets would add fields (put the value in a JSON string, or build the JSON with `jq -n --arg`)";
const YAML_QUOTED: &str =
    "it stands in a quoted YAML scalar, where its quote would end it (and `\\` escapes in `\"…\"`)";
const YAML_FLOW: &str =
    "it stands in a YAML flow collection, where `,` and brackets would add entries";
const YAML_PLAIN: &str = "it stands in a YAML document, where a new line would start another key (`privileged: true`) and a first character such as `{`, `[`, `&`, `*`, `!` or `|` gives the value another type";
const ENV_LINE: &str = "it is the value of a `NAME=` line written to a file, where a new line would set another variable (`LD_PRELOAD=…`) for whatever loads the file";
const CONNINFO: &str = "it stands in a PostgreSQL connection string, where a space starts another setting (`host=` another server, `sslmode=disable`) and `'` and `\\` quote";
const DBNAME: &str = "it is the database of a PostgreSQL program, which reads a value holding `=` or starting with `postgresql://` as a connection string (`host=` another server): give `-d` a name, or write the connection string around the value";
const URL_HOST: &str = "it stands in the host of a URL, where `/`, `?`, `#`, `@` or `\\` would make what comes before or after it another host";
const URL_PATH: &str = "it stands in the path of a URL, where `?` would start a query of its own, `#` end the path there, and `..` reach a folder above";
const URL_QUERY: &str = "it is a parameter's value in a URL's query, where `&` would start another parameter and `#` end the query (encode it: `curl -G --data-urlencode \"name={{ … }}\"`)";
const FOLDER: &str = "it stands in a path under a folder written before it, where `..` would reach a folder above (`../../etc`)";

#[cfg(test)]
mod tests {
    use super::super::files::tests::refusal;

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
        ] {
            assert!(refusal(script, bad).is_some(), "{script} with {bad:?}");
            assert_eq!(refusal(script, good), None, "{script} with {good:?}");
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
        ] {
            assert_eq!(refusal(script, value), None, "{script} with {value:?}");
        }
    }
}
