//! `<PLACEHOLDER>`s in a command → inputs (or `$VAR`s given through the step's `env:` in a
//! command kept as written), and what is no placeholder (markup, types).

use super::draft::{Draft, Input};
use super::pos::Pos;
use super::variables::{KNOWN_VARIABLES, never_lifted};

/// The most placeholders of one command that become inputs.
const MAX_PLACEHOLDERS: usize = 64;

/// `<POD_NAME>`, `<pod-name>` in a command → `{{ inputs.pod_name }}` and an input. In a
/// command kept as written (`templates: false`, given as `env`), `$POD_NAME` instead, in the
/// placeholder's quoting, with the template in the step's `env:` (still rendered there).
pub(super) fn placeholders(
    d: &mut Draft,
    command: &str,
    pos: Pos,
    notes: &mut Vec<String>,
    mut env: Option<&mut Vec<(String, String)>>,
) -> String {
    // Compiled once: a page has many fences, a folder many pages.
    static PLACEHOLDER: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"<([A-Za-z0-9][A-Za-z0-9_.-]{0,63})>").ok());
    let Some(re) = PLACEHOLDER.as_ref() else {
        return command.to_string();
    };
    // `YOUR_NAMESPACE`, `{pod}`, `<path/to/tls.crt>`: other spellings of a placeholder,
    // which the command would get as written (an audit's query returned nothing, a
    // namespace that does not exist was asked for): kept as written, said.
    static OTHER: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?:^|[^$\w{}%\]])(YOUR_[A-Z0-9_]+|\{[a-z][a-z0-9_-]*\}|<[A-Za-z][\w.-]*(?:/[\w.-]+)+>)(?:$|[^\w}{])",
        )
        .ok()
    });
    for found in OTHER
        .as_ref()
        .filter(|_| command.contains("YOUR_") || command.contains('{') || command.contains('<'))
        .into_iter()
        .flat_map(|re| re.captures_iter(command))
        .filter_map(|c| c.get(1))
        // (jsonpath's `{end}`.)
        .filter(|m| m.as_str() != "{end}")
    {
        let at = line_of(pos, command, found.start());
        let what = format!(
            "`{}` reads as a placeholder, but not one the importer takes: kept as written, {} (write it `<NAME>` to make it an input)",
            found.as_str(),
            if found.as_str().starts_with('<') {
                "where the shell reads its `<` and `>` as redirections"
            } else {
                "the command gets it as it is"
            }
        );
        notes.push(format!("{at}: guess: {what}"));
        d.guesses.push((at, what));
    }
    // `<pod name>`, `<you@example.com>`: written as a placeholder, but no name; the shell
    // reads its `<` and `>` as redirections. Kept as written, and said.
    static LOOSE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?:^|[\s="'])<([A-Za-z][A-Za-z0-9_.-]*(?:[ @][A-Za-z0-9_.-]+)+)>(?:$|[\s;|&)"'])"#,
        )
        .ok()
    });
    for inner in LOOSE
        .as_ref()
        .filter(|_| command.contains('<'))
        .into_iter()
        .flat_map(|loose| loose.captures_iter(command))
        .filter_map(|c| c.get(1))
    {
        let at = line_of(pos, command, inner.start());
        // (In quotes, `"<pod name>"`, the command gets the text itself.)
        let quoted = command[..inner.start() - 1].ends_with(['"', '\'']);
        let what = format!(
            "`<{}>` reads as a placeholder, but {}: kept as written (write it `<{}>` to make it an input)",
            inner.as_str(),
            if quoted {
                "it names no input, and the command would get the text `<…>` itself"
            } else {
                "the shell reads its `<` and `>` as redirections"
            },
            inner
                .as_str()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                })
                .collect::<String>()
        );
        notes.push(format!("{at}: guess: {what}"));
        d.guesses.push((at, what));
    }
    // (Past the inputs a draft may ask for, the page is refused: none is looked at.)
    if d.inputs.len() > super::draft::MAX_INPUTS {
        return command.to_string();
    }
    // (Counted before each is looked at: telling markup from a placeholder looks along the
    // command, 40,000 of them took half a minute.)
    if re.find_iter(command).nth(4 * MAX_PLACEHOLDERS).is_some() {
        let what = format!(
            "the command holds more than {} `<…>` words, more than the importer follows one by one: kept as written",
            4 * MAX_PLACEHOLDERS
        );
        notes.push(format!("{pos}: guess: {what}"));
        d.guesses.push((pos, what));
        return command.to_string();
    }
    let found: Vec<(std::ops::Range<usize>, &str)> = re
        .captures_iter(command)
        .filter_map(|c| Some((c.get(0)?.range(), c.get(1)?.as_str())))
        .filter(|(whole, raw)| is_placeholder(command, whole, raw))
        .collect();
    if found.is_empty() {
        return command.to_string();
    }
    // Each placeholder is followed through the whole command: past a few dozen, that is
    // a page generated by a program, not a command to fill in (20,000 took a minute).
    if found.len() > MAX_PLACEHOLDERS {
        let what = format!(
            "the command holds {} placeholders, more than the {MAX_PLACEHOLDERS} the importer follows one by one: kept as written",
            found.len()
        );
        notes.push(format!("{pos}: guess: {what}"));
        d.guesses.push((pos, what));
        return command.to_string();
    }
    // Where a value would stand there: a place the run refuses, or code of another
    // language (`awk 'BEGIN { system("echo <V>") }'`, `python3 -c 'print("<V>")'`), is no
    // place for a value. The command is kept as written, and said.
    let mut lexed = command.to_string();
    for (whole, _) in &found {
        lexed.replace_range(whole.clone(), &"_".repeat(whole.len()));
    }
    let mut kept = std::collections::BTreeSet::new();
    for (n, (whole, raw)) in found.iter().enumerate() {
        use crate::shell::{Quoting, Slot};
        let why = match crate::shell::plan(&lexed, whole.clone()) {
            Err(u) => Some(format!(
                "where the run would refuse a value ({}: {})",
                u.construct, u.why
            )),
            Ok(plan) if matches!(plan.slot, Slot::Quoted(Quoting::QuotedHeredoc)) => {
                Some("in a quoted here-document, where the run would refuse a value".to_string())
            }
            Ok(plan) => plan.foreign.map(|f| {
                format!(
                    "inside {} code, where a value would be code, not data",
                    f.language
                )
            }),
        };
        // `kubectl patch -p '{"spec":{"replicas":<N>}}'`, `curl -d '{"user":"<ID>"}'`: a
        // value there is JSON, where a quote or a brace adds fields (an audit added
        // `"admin":true`); a line `key: <X>` of a document a here-document writes is YAML,
        // where a new line adds keys.
        let structured = || {
            let line_start = command[..whole.start].rfind('\n').map_or(0, |k| k + 1);
            let line_end = command[whole.end..]
                .find('\n')
                .map_or(command.len(), |k| whole.end + k);
            let before = &command[line_start..whole.start];
            let after = &command[whole.end..line_end];
            let json = (before.contains("{\"") || before.contains("{ \"") || before.contains("[{"))
                && before.contains("\":")
                && after.contains('}');
            let yaml = matches!(
                crate::shell::context_at(&lexed, whole.start),
                crate::shell::Quoting::Heredoc
            ) && before
                .trim_start()
                .split_once(": ")
                .is_some_and(|(key, _)| {
                    !key.is_empty()
                        && key
                            .trim_start_matches("- ")
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
                });
            // `export PATH=<TOOLBOX_DIR>/bin:$PATH`: the value decides which programs
            // every later command of the step is.
            let path = before
                .split_whitespace()
                .last()
                .is_some_and(|w| w.starts_with("PATH=") && !w.contains(['"', '\'']));
            if path {
                Some(
                    "in `$PATH`, where the value decides which program each later command of the step runs",
                )
            } else if json {
                Some("inside JSON, where a value's quotes or braces would add fields")
            } else if yaml {
                Some(
                    "in a YAML document a here-document writes, where a value's new line would add keys",
                )
            } else {
                None
            }
        };
        if why.is_none()
            && let Some(place) = structured()
        {
            // An input still (the operator types it), said: give it a `pattern`.
            let examples = if place.contains("$PATH") {
                "`^/opt/[a-z0-9-]+$`"
            } else {
                "`^[0-9]+$`, `^[a-z0-9-]+$`"
            };
            let what = format!(
                "<{raw}> stands {place}: it is an input; give it a `pattern` of the values it may take ({examples})"
            );
            notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
        if why.is_none() && doubtful_tag(command, whole, raw) {
            let what = format!(
                "<{raw}> in quotes is read as a placeholder (the input `{raw}`); if the page means the tag `<{raw}>` itself (XML or HTML), write it back into the command"
            );
            let at = line_of(pos, command, whole.start);
            notes.push(format!("{at}: guess: {what}"));
            d.guesses.push((at, what));
        }
        if let Some(why) = why {
            let what = format!(
                "<{raw}> stands {why}: it is kept as written; put the value in by hand, or pass it as the program's own parameter"
            );
            notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
            kept.insert(n);
        }
    }
    let mut out = String::with_capacity(command.len());
    let mut last = 0;
    for (n, (whole, raw)) in found.into_iter().enumerate() {
        if kept.contains(&n) {
            continue;
        }
        // An identifier: `-` and `.` as `_`, a leading digit after `v_` (`<1ST-HOST>` →
        // `v_1st_host`).
        let mut name: String = raw
            .to_ascii_lowercase()
            .chars()
            .map(|ch| if ch == '-' || ch == '.' { '_' } else { ch })
            .collect();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert_str(0, "v_");
        }
        // `<db-password>`, `<UNSEAL_KEY_1>`: a secret, which a command never holds (the
        // journal would): a secret input given in the environment, the command expanding
        // it (an audit found a Vault root token written to the journal).
        // (`export VAULT_TOKEN=<root-token>`: the variable the page exports is the one the
        // secret is given in, so that the later steps that read it have it; a review found
        // `vault token revoke $VAULT_TOKEN` given nothing.)
        let exported_as = || {
            static ASSIGNED: std::sync::LazyLock<Option<regex::Regex>> =
                std::sync::LazyLock::new(|| {
                    regex::Regex::new(r#"(?:^|[\s;&|])(?:export\s+)?([A-Z_][A-Z0-9_]*)=["']?$"#)
                        .ok()
                });
            let line_start = command[..whole.start].rfind('\n').map_or(0, |n| n + 1);
            let after = command[whole.end..].trim_start_matches(['"', '\'']);
            let whole_value = after.is_empty() || after.starts_with(['\n', ' ', ';', '&', '|']);
            ASSIGNED
                .as_ref()?
                .captures(&command[line_start..whole.start])
                .filter(|_| whole_value)
                .map(|c| c[1].to_string())
        };
        let line_start = command[..whole.start].rfind('\n').map_or(0, |n| n + 1);
        let secret = (credential_name(&name)
            || credential_position(&command[line_start..whole.start]))
        .then(|| {
            let var = exported_as().unwrap_or_else(|| name.to_ascii_uppercase());
            if never_lifted(&var) || KNOWN_VARIABLES.contains(&var.as_str()) {
                format!("PAGE_{var}")
            } else {
                var
            }
        });
        let input = d.inputs.entry(name.clone()).or_insert_with(|| Input {
            description: super::placeholder_description(raw),
            default: None,
            pos,
            secret_env: None,
        });
        if let Some(var) = &secret
            && input.secret_env.is_none()
        {
            input.secret_env = Some(var.clone());
            notes.push(format!(
                "{pos}: <{raw}> is a secret: the secret input `{name}`, given to the command as `${var}` (masked, kept out of the journal)"
            ));
        }
        // (Every use of one secret reads the one variable it is given in: `export
        // GF_PASSWORD=<ADMIN_PASSWORD>` then `vault kv put … admin_password=<ADMIN_PASSWORD>`
        // read `$GF_PASSWORD` both; a second name was empty at run time, audit 14m M15.)
        let given_as = input.secret_env.clone();
        out.push_str(&command[last..whole.start]);
        last = whole.end;
        let template = format!("{{{{ inputs.{name} }}}}");
        if let Some(var) = secret {
            out.push_str(&env_reference(
                command,
                whole.start,
                &given_as.unwrap_or(var),
            ));
            continue;
        }
        let Some(env) = env.as_deref_mut() else {
            out.push_str(&template);
            continue;
        };
        // (`<PATH>`, `<HOME>`, `<BASH_ENV>`: a variable of that name changes every command
        // of the step, or is refused in a step; the placeholder's is another.)
        let mut var = name.to_ascii_uppercase();
        if never_lifted(&var)
            || KNOWN_VARIABLES.contains(&var.as_str())
            || var.starts_with("RUNBOOK_")
            || var.starts_with("BASH")
            || var.starts_with("LC_")
            || var.starts_with("LD_")
        {
            var = format!("PAGE_{var}");
        }
        if !env.iter().any(|(n, _)| *n == var) {
            env.push((var.clone(), template));
        }
        out.push_str(&env_reference(command, whole.start, &var));
    }
    out.push_str(&command[last..]);
    out
}

/// Where byte `offset` of a block's `command` is on the page (`pos`: the block's fence).
fn line_of(pos: Pos, command: &str, offset: usize) -> Pos {
    Pos {
        line: pos.line + command[..offset].matches('\n').count() + 1,
        col: pos.col,
    }
}

/// How `$var` is written at `at` of `command` to stand for one word there.
fn env_reference(command: &str, at: usize, var: &str) -> String {
    use crate::shell::Quoting;
    match crate::shell::context_at(command, at) {
        Quoting::Double | Quoting::Heredoc => format!("${{{var}}}"),
        Quoting::Single => format!("'\"${{{var}}}\"'"),
        _ => format!("\"${{{var}}}\""),
    }
}

/// Whether a placeholder's or variable's name is a credential's (`db_password`,
/// `root_token`, `unseal_key_1`, `aws_secret_access_key`, `payments_admin_key`, `db_pass`,
/// `mysql_pwd`, `basic_auth`, `session_cookie`, `slack_webhook_url`, `database_url`), not one
/// that names or locates one (`secret_name`, `token_file`, `access_key_id`, `cache_key`).
/// An audit found an admin key and a database password in the journal: a name taken for a
/// secret only masks a value; a secret taken for a name is written down.
pub(super) fn credential_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace('-', "_");
    let words: Vec<&str> = upper.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    // A URL that is itself the credential: a webhook's, a database's with its password.
    if upper.contains("WEBHOOK")
        || matches!(
            upper.as_str(),
            "DATABASE_URL" | "DB_URL" | "DSN" | "SENTRY_DSN" | "CONNECTION_STRING" | "CONN_STR"
        )
    {
        return true;
    }
    let names_one = [
        "NAME",
        "NAMES",
        "NAMESPACE",
        "PATH",
        "FILE",
        "DIR",
        "ARN",
        "REF",
        "ID",
        "URL",
        "TTL",
        "TYPE",
        "METHOD",
        "MODE",
        "PROVIDER",
    ];
    let Some(last) = words.last() else {
        return false;
    };
    if names_one.contains(last) {
        return false;
    }
    let whole = [
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "SECRET",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "UNSEAL_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "COOKIE",
    ]
    .iter()
    .any(|w| upper.contains(w));
    // Words of their own: `DB_PASS`, `MYSQL_PWD` (the shell's `$PWD` alone is a folder),
    // `BASIC_AUTH`/`AUTH_HEADER`, a one-time code.
    let word = words
        .iter()
        .any(|w| matches!(*w, "PASS" | "PW" | "OTP" | "TOTP"))
        || (words.len() > 1 && words.contains(&"PWD"))
        || *last == "AUTH"
        || (words.contains(&"AUTH") && *last == "HEADER");
    // `PAYMENTS_ADMIN_KEY`, `SIGNING_KEY`: a key of some service, unless the first word says
    // it is a key that names a thing (`CACHE_KEY`, `PARTITION_KEY`).
    let key = words.len() > 1
        && *last == "KEY"
        && !matches!(
            words[0],
            "CACHE"
                | "REDIS"
                | "PARTITION"
                | "PRIMARY"
                | "SORT"
                | "ROUTING"
                | "OBJECT"
                | "S3"
                | "BUCKET"
                | "HASH"
                | "SHARD"
                | "CONFIG"
                | "LABEL"
                | "ANNOTATION"
                | "MAP"
                | "JSON"
                | "FIELD"
                | "COLUMN"
                | "INDEX"
                | "FOREIGN"
                | "LOOKUP"
                | "IDEMPOTENCY"
                | "DEDUP"
                | "SSH"
                | "GPG"
                | "PGP"
                | "KMS"
        );
    whole || word || key
}

/// Whether the text before a placeholder puts a credential there: `Authorization: Bearer
/// <X>`, `-u admin:<X>`, `--password <X>`, `--token=<X>`, `PGPASSWORD=<X>`.
pub(super) fn credential_position(before: &str) -> bool {
    static AT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?ix)(?:
                \b(?:bearer|basic)\s+["']?$
              | authorization:\s*["']?$
              | (?:^|\s)(?:-u|--user)[\s=]+["']?[^\s:"']+:$
              | //[^\s/@:"']+:$
              | --(?:password|passwd|token|secret|api-key|auth-token|access-token)[\s=]["']?$
              | (?:password|passwd|token|secret)=["']?$
            )"#,
        )
        .ok()
    });
    AT.as_ref().is_some_and(|re| re.is_match(before))
}

/// Whether `<NAME>` at `whole` is a placeholder, not markup or a type: not a type glued to
/// a word (`List<String>`; `v<VERSION>` is a placeholder), not closed later
/// (`<title>…</title>`), not an empty HTML element (`<br>`), not a lower-case word in single
/// quotes (`grep -c '<error>'`).
fn is_placeholder(command: &str, whole: &std::ops::Range<usize>, raw: &str) -> bool {
    const VOID: &[&str] = &["br", "hr", "img", "meta", "link", "input", "wbr"];
    let glued = command[..whole.start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    let camel = raw.starts_with(|c: char| c.is_ascii_uppercase())
        && raw.chars().any(|c| c.is_ascii_lowercase());
    let lower_word = raw.chars().all(|c| c.is_ascii_lowercase());
    let quoting = crate::shell::context_at(command, whole.start);
    let single = quoting == crate::shell::Quoting::Single;
    // `grep "<version>"`, `sed "s/<br>/…/"`: a lower-case tag in a pattern is the text of an
    // XML or HTML file (audit 14l L9).
    let in_pattern = quoting == crate::shell::Quoting::Double && {
        let line = &command[command[..whole.start].rfind('\n').map_or(0, |k| k + 1)..whole.start];
        let simple = line
            .rsplit(['|', ';', '&', '(', '`'])
            .next()
            .unwrap_or(line);
        let program = simple
            .split_whitespace()
            .find(|w| !w.contains('=') && !matches!(*w, "sudo" | "command" | "exec"))
            .map_or("", |w| w.rsplit('/').next().unwrap_or(w));
        PATTERN_PROGRAMS.contains(&program)
    };
    let markup = (glued && camel)
        || command[whole.end..].contains(&format!("</{raw}>"))
        || VOID.contains(&raw)
        || (lower_word && (single || in_pattern));
    !markup
}

/// Programs whose quoted arguments are patterns matched against a file's text: a
/// lower-case `<word>` there is a tag of the file (`grep "<version>" pom.xml`).
const PATTERN_PROGRAMS: &[&str] = &[
    "grep",
    "egrep",
    "fgrep",
    "zgrep",
    "rg",
    "ag",
    "ack",
    "sed",
    "gsed",
    "awk",
    "gawk",
    "mawk",
    "xmlstarlet",
    "xmllint",
    "xq",
    "xpath",
    "perl",
    "git",
];

/// Whether a lower-case `<word>` at `whole` stands in double quotes, where a page may mean
/// the tag itself (`printf "%s\n" "<error>"`): read as a placeholder, and said.
fn doubtful_tag(command: &str, whole: &std::ops::Range<usize>, raw: &str) -> bool {
    raw.chars().all(|c| c.is_ascii_lowercase())
        && crate::shell::context_at(command, whole.start) == crate::shell::Quoting::Double
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_known_by_their_names_and_places() {
        for name in [
            "db_password",
            "ROOT_TOKEN",
            "unseal-key-1",
            "AWS_SECRET_ACCESS_KEY",
            "PAYMENTS_ADMIN_KEY",
            "DB_PASS",
            "MYSQL_PWD",
            "BASIC_AUTH",
            "SESSION_COOKIE",
            "SLACK_WEBHOOK_URL",
            "DATABASE_URL",
            "signing-key",
            "AUTH_HEADER",
        ] {
            assert!(credential_name(name), "{name}");
        }
        for name in [
            "SECRET_NAME",
            "token_file",
            "ACCESS_KEY_ID",
            "CACHE_KEY",
            "PARTITION_KEY",
            "KEY",
            "PWD",
            "AUTH_URL",
            "AUTH_METHOD",
            "PASSWORD_FILE",
            "pod_name",
            "PASSENGER_COUNT",
        ] {
            assert!(!credential_name(name), "{name}");
        }
        for before in [
            "curl -H \"Authorization: Bearer ",
            "curl -H 'Authorization: ",
            "curl -u admin:",
            "curl --user=admin:",
            "psql postgres://app:",
            "vault login -method=token token=",
            "mysqladmin --password ",
            "gh auth login --token=",
        ] {
            assert!(credential_position(before), "{before}");
        }
        for before in ["kubectl logs ", "curl -u ", "ssh admin@", "echo token "] {
            assert!(!credential_position(before), "{before}");
        }
    }
    use crate::import::draft::Draft;

    /// `<pod name>` names no input, bare (redirections) or in quotes (the text itself): kept
    /// as written and said either way (the quoted one was silent).
    #[test]
    fn spaced_placeholders_are_said_bare_or_quoted() {
        for (command, why) in [
            ("kubectl logs <pod name> -n x", "redirections"),
            ("kubectl logs \"<pod name>\" -n x", "the text `<…>` itself"),
            ("kubectl logs '<pod name>' -n x", "the text `<…>` itself"),
        ] {
            let mut d = Draft::default();
            let mut notes = Vec::new();
            let out = placeholders(&mut d, command, Pos { line: 1, col: 1 }, &mut notes, None);
            assert_eq!(out, command);
            assert_eq!(d.guesses.len(), 1, "{command}");
            assert!(d.guesses[0].1.contains(why), "{command}: {:?}", d.guesses);
        }
    }

    /// A placeholder in `PATH=` decides which programs run: an input, said.
    #[test]
    fn a_placeholder_in_path_is_said() {
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let out = placeholders(
            &mut d,
            "export PATH=<TOOLBOX_DIR>/bin:$PATH",
            Pos { line: 1, col: 1 },
            &mut notes,
            None,
        );
        assert_eq!(out, "export PATH={{ inputs.toolbox_dir }}/bin:$PATH");
        assert!(d.guesses[0].1.contains("in `$PATH`"), "{:?}", d.guesses);
    }

    #[test]
    fn placeholders_become_inputs() {
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let c = placeholders(
            &mut d,
            "kubectl logs <POD_NAME> -n <name-space>",
            Pos::default(),
            &mut notes,
            None,
        );
        assert_eq!(
            c,
            "kubectl logs {{ inputs.pod_name }} -n {{ inputs.name_space }}"
        );
        assert!(d.inputs.contains_key("pod_name") && d.inputs.contains_key("name_space"));
        assert!(notes.is_empty() && d.guesses.is_empty());
    }

    #[test]
    fn markup_and_types_are_no_placeholders() {
        for command in [
            "curl -s https://x/ | grep -o '<title>.*</title>'",
            "echo 'line<br>next'",
            "javap -s 'java.util.List<String>'",
            "grep -c '<error>' app.log",
        ] {
            let mut d = Draft::default();
            let c = placeholders(&mut d, command, Pos::default(), &mut Vec::new(), None);
            assert_eq!(c, command);
            assert!(d.inputs.is_empty(), "{command}");
        }
    }

    #[test]
    fn placeholders_glued_to_a_word_or_named_like_a_tag_are_placeholders() {
        for (command, input) in [
            ("docker pull app:v<VERSION>", "version"),
            ("pg_dump -t <table> mydb", "table"),
        ] {
            let mut d = Draft::default();
            let c = placeholders(&mut d, command, Pos::default(), &mut Vec::new(), None);
            assert!(c.contains(&format!("{{{{ inputs.{input} }}}}")), "{c}");
        }
    }

    #[test]
    fn only_the_placeholder_that_cannot_be_a_value_is_kept() {
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let c = placeholders(
            &mut d,
            "kubectl apply -f - <<'EOF'\nname: <CM_NAME>\nEOF\nkubectl logs <POD_NAME>",
            Pos::default(),
            &mut notes,
            None,
        );
        assert!(c.contains("name: <CM_NAME>"), "{c}");
        assert!(c.contains("kubectl logs {{ inputs.pod_name }}"), "{c}");
        assert!(
            notes.len() == 1 && notes[0].contains("<CM_NAME> stands in a quoted here-document"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_placeholder_where_a_value_would_be_code_is_kept_as_written_and_said() {
        for (command, said) in [
            ("awk 'BEGIN { system(\"echo <AWKV>\") }'", "inside awk code"),
            ("python3 -c 'print(\"<PYV>\")'", "inside Python code"),
            (
                "ssh -o ProxyCommand='nc <BASTION> 22' h uptime",
                "the run would refuse",
            ),
            ("printf '%s\\n' <V> | bash", "the run would refuse"),
        ] {
            for env in [false, true] {
                let mut d = Draft::default();
                let mut notes = Vec::new();
                let mut vars = Vec::new();
                let c = placeholders(
                    &mut d,
                    command,
                    Pos::default(),
                    &mut notes,
                    env.then_some(&mut vars),
                );
                assert_eq!(c, command);
                assert!(d.inputs.is_empty() && vars.is_empty(), "{command}");
                assert!(
                    notes.len() == 1 && notes[0].contains(said),
                    "{command}: {notes:?}"
                );
                assert_eq!(d.guesses.len(), 1);
            }
        }
    }
}
