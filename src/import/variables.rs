//! The page's shell variables: `$VAR`s used and never set (inputs, through `env:`) and
//! `export VAR=…` lines (an input's default), found in the steps' commands
//! ([`unset_variables`]). The exports given to the steps the walk reaches from them are in
//! `exports.rs`; variables set in one step and used in another, where each step is a shell
//! of its own (said), in `carried.rs`.

use super::draft::{Draft, Input};
use super::pos::Pos;

/// Variables every shell has, never asked for.
pub(super) const KNOWN_VARIABLES: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "LOGNAME",
    "SHELL",
    "PWD",
    "OLDPWD",
    "HOSTNAME",
    "TERM",
    "LANG",
    "TMPDIR",
    "EDITOR",
    "PAGER",
    "UID",
    "EUID",
    "PPID",
    "RANDOM",
    "SECONDS",
    "LINENO",
    "IFS",
    "BASH_SOURCE",
    "FUNCNAME",
    "PIPESTATUS",
    "REPLY",
    "OPTARG",
    "OPTIND",
    "KUBECONFIG",
    // bash's own (audit 41 I41-13 found `$BASH_VERSION` asked as an input).
    "BASH",
    "BASH_VERSION",
    "BASH_VERSINFO",
    "BASHPID",
    "BASH_REMATCH",
    "BASH_LINENO",
    "BASH_COMMAND",
    "HOSTTYPE",
    "OSTYPE",
    "MACHTYPE",
    "SHLVL",
    "EPOCHSECONDS",
    "EPOCHREALTIME",
    "SRANDOM",
];

/// `$NAME` and `${NAME` of the upper-case variables a page's commands use (compiled once: a
/// folder has many pages).
pub(super) static USED: std::sync::LazyLock<Option<regex::Regex>> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\$\{?([A-Z_][A-Z0-9_]*)").ok());
/// Where a command sets one: `NAME=`, `export NAME=`, `read NAME` (also after options with
/// a value, `read -r -p "Ticket: " NAME`), `for NAME`, `getopts "v" NAME`.
pub(super) static SET: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Z_][A-Z0-9_]*)(?:\+?=)|(?:read(?:\s+(?:-[A-Za-z]*[adinNptu]\s+(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)|-\w+))*|for|printf\s+-v|getopts\s+(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)|(?:mapfile|readarray)(?:\s+-\w+)*)\s+([A-Z_][A-Z0-9_]*)"#,
    )
    .ok()
});

/// The variables a command sets (see [`SET`]): `NAME=`, `export NAME=`, every name of
/// `read -r A B C`.
pub(super) fn names_set(set: &regex::Regex, command: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for c in set.captures_iter(command) {
        if let Some(m) = c.get(1) {
            out.insert(m.as_str().to_string());
        } else if let Some(m) = c.get(2) {
            out.insert(m.as_str().to_string());
            // `read -r A B C`: the names after the first, to the end of the command.
            if c.get(0).is_some_and(|all| all.as_str().starts_with("read")) {
                let rest = &command[m.end()..];
                let end = rest
                    .find(['\n', ';', '|', '&', '<', '>'])
                    .unwrap_or(rest.len());
                out.extend(
                    rest[..end]
                        .split_whitespace()
                        .take_while(|w| {
                            w.bytes()
                                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                        })
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

/// Whether the shell expands the `$NAME` matched in a command: not in single quotes
/// (`awk '{print $NF}'`, `'$HOME'`) or a quoted here-document, the text of another program.
pub(super) fn expanded(command: &str, cap: &regex::Captures) -> bool {
    let at = cap.get(0).map_or(0, |m| m.start());
    // `\$NAME` is the text `$NAME`.
    if command[..at].ends_with('\\') {
        return false;
    }
    // (A long command, thousands of exports joined in one step, is read from the line's
    // start: each reading from the top made the import quadratic, a 1 MB page a minute.
    // A `$VAR` then misread as expanded is an input too many, said.)
    let (from, to) = if command.len() > LONG_COMMAND {
        (
            command[..at].rfind('\n').map_or(0, |n| n + 1),
            command[at..].find('\n').map_or(command.len(), |n| at + n),
        )
    } else {
        (0, command.len())
    };
    !matches!(
        crate::shell::context_at(&command[from..to], at - from),
        crate::shell::Quoting::Single
            | crate::shell::Quoting::DollarSingle
            | crate::shell::Quoting::QuotedHeredoc
    )
}

/// A command longer than this is read line by line where each `$VAR` is looked at.
const LONG_COMMAND: usize = 16 * 1024;

/// The most bytes of commands read to tell whether their `$VAR`s are expanded (see
/// [`scan_cost`]): a page's worth many times over, a fraction of a second.
const SCAN_BUDGET: usize = 64 * 1024 * 1024;

/// How many bytes [`expanded`] reads for the `$NAME` matched in a command.
fn scan_cost(command: &str, cap: &regex::Captures) -> usize {
    if command.len() <= LONG_COMMAND {
        return command.len();
    }
    let at = cap.get(0).map_or(0, |m| m.start());
    let from = command[..at].rfind('\n').map_or(0, |n| n + 1);
    let to = command[at..].find('\n').map_or(command.len(), |n| at + n);
    to - from
}

/// The `export NAME=VALUE` of a script that stand alone: on a line of their own, or in a chain
/// of them (`export NAMESPACE=ingress && export SECRET=tls`, which an audit found unread):
/// (the name, the value) of each. A value of literal text, quoted or not, or an input's
/// template.
fn export_lines(text: &str) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> {
    static EXPORT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?:\bexport[ \t]+|(?:^|[\n;&])[ \t]*)([A-Z_][A-Z0-9_]*)=("[^"$`\\\n]*"|'[^'\n]*'|(?:\{\{ inputs\.[a-z0-9_]+ \}\}|[^\s"'$`;&|{])*)"#,
        )
        .ok()
    });
    let Some(re) = EXPORT.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter_map(|c| {
            let (whole, name, value) = (c.get(0)?, c.get(1)?, c.get(2)?);
            // (`NS=prod` alone on its line is the page's variable as `export NS=prod` is:
            // each step is a shell of its own, and the later steps read it; audit 14i.)
            let start = if text[whole.range()].contains("export") {
                whole.start()
            } else {
                name.start()
            };
            let before = text[..start].trim_end_matches([' ', '\t']);
            let after = text[whole.end()..].trim_start_matches([' ', '\t']);
            let starts = before.is_empty()
                || before.ends_with('\n')
                || before.ends_with("&&")
                || before.ends_with(';');
            let ends = after.is_empty()
                || after.starts_with('\n')
                || after.starts_with("&&")
                || after.starts_with(';');
            (starts && ends).then(|| (name.range(), value.range()))
        })
        .collect()
}

/// `$VAR`/`${VAR}` (upper case, the convention of pages) that the page's commands use and
/// never set (`VAR=`, `export VAR=`, `read VAR`, `for VAR in`, `local VAR`): an input each,
/// given to the commands through the runbook's `env:`. Each is a guess, and said.
pub(super) fn unset_variables(d: &mut Draft) -> Vec<(String, String, Pos)> {
    let (Some(used), Some(set)) = (USED.as_ref(), SET.as_ref()) else {
        return Vec::new();
    };
    // Every step's command, also one with `templates: false` (its exports and variables
    // are the page's all the same), with the names the step's own `env:` gives it (a
    // placeholder there is `${NAME}` from the step's environment).
    let commands: Vec<(Pos, &str, Vec<&str>)> = d
        .steps
        .iter()
        .filter_map(|s| {
            let own = s.env.iter().map(|(n, _)| n.as_str()).collect();
            s.run.as_deref().map(|r| (s.pos, r, own))
        })
        .collect();
    // (Read for assignments with their here-documents' bodies blanked: text, not code.)
    let assignments: Vec<(Pos, std::borrow::Cow<str>)> = commands
        .iter()
        .map(|(line, c, _)| (*line, super::heredocs::masked(c)))
        .collect();
    let assigned: std::collections::BTreeSet<String> = assignments
        .iter()
        .flat_map(|(_, c)| names_set(set, c))
        .collect();
    // (name, where, the default the page writes: `${CLUSTER:-prod}`)
    let mut found: Vec<(String, Pos, Option<String>)> = Vec::new();
    // (A secret placeholder's variable, which its input gives.)
    let mut skipped: Vec<String> = d
        .inputs
        .values()
        .filter_map(|i| i.secret_env.clone())
        .collect();
    let mut from_outside: Vec<(Pos, String)> = Vec::new();
    let mut found_names: std::collections::HashSet<String> = Default::default();
    // (Each `$VAR` looked at reads its line's quoting from the line's start: the names
    // known already are passed over first, and past a budget of bytes read, the rest of
    // the page's `$VAR`s are not looked at, said: one line of 200,000 `$V`s or 20,000
    // `${V_i}`s ran for minutes, audit 41 I41-7.)
    let mut budget = SCAN_BUDGET;
    let mut cut: Option<(Pos, String)> = None;
    for (line, c, own) in &commands {
        for cap in used.captures_iter(c) {
            let name = &cap[1];
            if own.contains(&name)
                || assigned.contains(name)
                || KNOWN_VARIABLES.contains(&name)
                || name.starts_with("RUNBOOK_")
                || found_names.contains(name)
                || skipped.iter().any(|s| s == name)
            {
                continue;
            }
            let cost = scan_cost(c, &cap);
            if cost > budget {
                cut.get_or_insert_with(|| (*line, name.to_string()));
                continue;
            }
            budget -= cost;
            if !expanded(c, &cap) {
                continue;
            }
            let name = name.to_string();
            // A variable that makes a shell or a program run something (`$GIT_SSH_COMMAND`,
            // `$PERL5OPT`) is not made an input, which every step would be given: the
            // command reads it from the operator's environment, as on the page.
            if never_lifted(&name) {
                let what = format!(
                    "`${name}` is set nowhere on the page: it is read from the operator's environment, never asked for (a variable that makes a program run something is not given to every step)"
                );
                skipped.push(name);
                from_outside.push((*line, what));
                continue;
            }
            let default = cap
                .get(0)
                .filter(|m| m.as_str().starts_with("${"))
                .and_then(|m| {
                    // `${X:-v}`, `${X-v}`, and `${X:=v}`, which also assigns it;
                    // `${X:+…}` asks nothing of `X` (empty by default).
                    let after = &c[m.end()..];
                    if after.starts_with(":+") || after.starts_with('+') {
                        return Some(String::new());
                    }
                    let rest = [":-", "-", ":=", "="]
                        .iter()
                        .find_map(|op| after.strip_prefix(op))?;
                    let value = &rest[..rest.find('}')?];
                    crate::shell::quote::is_plain_word(value).then(|| value.to_string())
                });
            found_names.insert(name.clone());
            found.push((name, *line, default));
        }
    }
    if let Some((line, name)) = cut {
        from_outside.push((
            line,
            format!(
                "the page's commands hold more `$VAR`s than the importer reads one by one (a line of thousands): `${name}` here and those after it are not asked for, they are read from the operator's environment; split the long line, then import again"
            ),
        ));
    }
    // `export VAR=value` carries state between the page's blocks; each step here is a shell
    // of its own: the value becomes an input (its default), given to every step.
    let mut exported: Vec<(String, String, Pos)> = Vec::new();
    // What is said about the exports (a guess each), and the variables exported with
    // different values on the page.
    let mut export_guesses: Vec<(Pos, String)> = Vec::new();
    let mut twice: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // (index in `exported`, the literal value an export gives)
    let mut literals: Vec<(usize, String)> = Vec::new();
    // `export KUBECONFIG=$HOME/.kube/prod-eu`: a value the export pattern below does not
    // take (it expands a variable), which stays in its step all the same (an audit found
    // later `kubectl` commands on the operator's default cluster, unsaid).
    static SETTING: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?m)^\s*export\s+([A-Z_][A-Z0-9_]*)=\S*\$").ok()
    });
    if let Some(setting) = SETTING.as_ref() {
        for (line, c) in &assignments {
            for cap in setting.captures_iter(c) {
                let name = &cap[1];
                if KNOWN_VARIABLES.contains(&name) && !never_lifted(name) {
                    export_guesses.push((
                        *line,
                        format!(
                            "`{name}` is exported here and stays in this step: each step is a shell of its own, so later steps use the operator's `${name}` (add it to the runbook's `env:`, or export it in each step that needs it)"
                        ),
                    ));
                }
            }
        }
    }
    // (The commands using each variable, read once when an export's value is several
    // words.)
    let mut users = None;
    {
        for (line, c) in &assignments {
            for (name_at, value_at) in export_lines(c) {
                let name = c[name_at].to_string();
                let input = name.to_ascii_lowercase();
                // A variable that makes a shell or the loader run something, or changes how
                // every command is found or split, stays in its step as written.
                if KNOWN_VARIABLES.contains(&name.as_str()) && !never_lifted(&name) {
                    // `export KUBECONFIG=…`: the operator's own setting for every command,
                    // not an input; but each step is a shell of its own.
                    export_guesses.push((
                        *line,
                        format!(
                            "`{name}` is exported here and stays in this step: each step is a shell of its own, so later steps use the operator's `${name}` (add it to the runbook's `env:`, or export it in each step that needs it)"
                        ),
                    ));
                    continue;
                }
                if d.env.contains_key(&name)
                    || !crate::values::is_identifier(&input)
                    || never_lifted(&name)
                {
                    continue;
                }
                let value = c[value_at]
                    .trim_matches(|q| q == '"' || q == '\'')
                    .to_string();
                if !value.contains("{{") && !crate::shell::quote::is_plain_word(&value) {
                    let users = users
                        .get_or_insert_with(|| users_of(used, commands.iter().map(|(_, c, _)| *c)));
                    if let Some(what) = refused_to_users(users, &name, &value) {
                        export_guesses.push((*line, what));
                        continue;
                    }
                }
                // `export POD=<POD_NAME>`: the placeholder's input is the value, given from
                // here on (a default is never a template).
                if value.contains("{{") {
                    exported.push((name, value, *line));
                    continue;
                }
                let entry = d.inputs.entry(input.clone()).or_insert_with(|| Input {
                    description: format!("${name}, set by `export` on the page"),
                    default: None,
                    pos: *line,
                    secret_env: None,
                });
                // `<ns>` earlier and `export NS=prod`: one input, with the export's value;
                // two exports of different values: the first, said.
                match &entry.default {
                    None => entry.default = Some(value.clone()),
                    Some(first) if *first != value => {
                        let what = format!(
                            "`${name}` is exported with different values on the page: the input's default is the first, `{first}`"
                        );
                        export_guesses.push((*line, what));
                        twice.insert(name.clone());
                    }
                    Some(_) => {}
                }
                literals.push((exported.len(), value));
                exported.push((name, format!("{{{{ inputs.{input} }}}}"), *line));
            }
        }
    }
    // A variable exported with different literal values (`export SITE=primary` in one
    // branch, `export SITE=dr` in another): each export gives its own value on (see
    // [`apply_exports`]), not the one input's.
    for (k, value) in literals {
        if let Some((name, template, _)) = exported.get_mut(k)
            && twice.contains(name.as_str())
            && !value.contains(['\'', '\\', '{', '}'])
        {
            *template = value;
        }
    }
    // `export TARGET=<PRIMARY_DB>` in one branch, `export TARGET=<DR_DB>` in another: the
    // steps after both are given one of them, said.
    for (k, (name, template, line)) in exported.iter().enumerate() {
        if let Some((_, first, _)) = exported[..k]
            .iter()
            .find(|(n, t, _)| n == name && t != template && t.contains("{{"))
            && template.contains("{{")
        {
            twice.insert(name.clone());
            export_guesses.push((
                *line,
                format!(
                    "`${name}` is exported with different values on the page (`{first}`, then `{template}`): a step that both reach is given the first; pass the value on with `echo \"{name}=${name}\" >> \"$RUNBOOK_ENV\"` in each"
                ),
            ));
        }
    }
    // The input is the value from the export on: the export writes it (`export
    // NAMESPACE={{ inputs.namespace }}`), or the step that exports would run with the page's
    // value and every later one with the operator's (an audit found both in one run). An
    // export of several values on the page keeps them, as the page's branches do.
    // (A page that asks for more inputs than a runbook may is refused by the caller: no
    // step is rewritten for it, audit 41 I41-14.)
    if d.inputs.len() > super::draft::MAX_INPUTS {
        return exported;
    }
    let lifted: std::collections::BTreeMap<String, String> = exported
        .iter()
        .filter(|(name, template, _)| {
            !twice.contains(name)
                && template == &format!("{{{{ inputs.{} }}}}", name.to_ascii_lowercase())
        })
        .map(|(name, template, _)| (name.clone(), template.clone()))
        .collect();
    if !lifted.is_empty() {
        let mut refused: Vec<(Pos, String)> = Vec::new();
        for s in d.steps.iter_mut().filter(|s| !s.no_templates) {
            let Some(run) = &s.run else { continue };
            let mut out = String::with_capacity(run.len());
            // Where each template written stands in `out`.
            let mut written: Vec<std::ops::Range<usize>> = Vec::new();
            let mut at = 0;
            for (name, value) in export_lines(&super::heredocs::masked(run)) {
                let Some(template) = lifted.get(&run[name]) else {
                    continue;
                };
                if run[value.clone()].contains("{{") {
                    continue;
                }
                let quote = run[value.clone()]
                    .chars()
                    .next()
                    .filter(|q| *q == '"' || *q == '\'');
                out.push_str(&run[at..value.start]);
                if let Some(q) = quote {
                    out.push(q);
                }
                written.push(out.len()..out.len() + template.len());
                out.push_str(template);
                if let Some(q) = quote {
                    out.push(q);
                }
                at = value.end;
            }
            if at > 0 {
                out.push_str(&run[at..]);
                // A value the run would refuse there (the script does not parse as shell
                // text: the page's `export MSG="<MESSAGE>` never closes its quote): the
                // exports stay as written, said (audit 14m M17 found lint's RB031 reject the
                // draft).
                match refusal(&out, &written) {
                    Some(why) => {
                        let what = format!(
                            "the exports of this step stay as written, not made `{{{{ inputs.… }}}}`: the run would refuse a value there ({why}); fix the script, then give the value"
                        );
                        s.notes.push(format!("{}: guess: {what}", s.pos));
                        refused.push((s.pos, what));
                    }
                    None => s.run = Some(out),
                }
            }
        }
        d.guesses.extend(refused);
    }
    for (line, what) in export_guesses {
        guess_at_command(d, line, what);
    }
    for (name, line, default) in found {
        let input = name.to_ascii_lowercase();
        if !crate::values::is_identifier(&input) {
            continue;
        }
        d.inputs.entry(input.clone()).or_insert_with(|| Input {
            description: format!("The value of ${name}, which the page uses and never sets"),
            default,
            pos: line,
            secret_env: None,
        });
        d.env
            .insert(name.clone(), format!("{{{{ inputs.{input} }}}}"));
        let what = format!("`${name}` is set nowhere on the page: asked for as input `{input}`");
        guess_at_command(d, line, what);
    }
    for (line, what) in from_outside {
        guess_at_command(d, line, what);
    }
    exported
}

/// `run` with its first `export NAME=value` of `name` (outside here-documents, a literal
/// value) writing `template` instead, when the run would accept a value there.
pub(super) fn export_written(run: &str, name: &str, template: &str) -> Option<String> {
    let masked = super::heredocs::masked(run);
    let (_, value) = export_lines(&masked)
        .into_iter()
        .find(|(n, v)| run.get(n.clone()) == Some(name) && !run[v.clone()].contains("{{"))?;
    let quote = run[value.clone()]
        .chars()
        .next()
        .filter(|q| *q == '"' || *q == '\'');
    let mut out = String::with_capacity(run.len() + template.len());
    out.push_str(&run[..value.start]);
    out.extend(quote);
    let at = out.len();
    out.push_str(template);
    out.extend(quote);
    out.push_str(&run[value.end..]);
    refusal(&out, std::slice::from_ref(&(at..at + template.len())))
        .is_none()
        .then_some(out)
}

/// A variable that makes a shell or the loader run something, or changes how every command
/// is found or split: never an input or an `env:` of the draft.
pub(super) fn never_lifted(name: &str) -> bool {
    crate::values::is_protected_env(name)
        || crate::shell::runs_as_code(name)
        || matches!(
            name,
            "PROMPT_COMMAND" | "CDPATH" | "GLOBIGNORE" | "PATH" | "IFS" | "EDITOR" | "VISUAL"
        )
}

/// Why the run would refuse a value at one of the `written` places of a script (each a
/// template, read as lint reads it: a word of its length), if it would.
fn refusal(script: &str, written: &[std::ops::Range<usize>]) -> Option<String> {
    let mut lexed = script.to_string();
    for range in written {
        if lexed.get(range.clone()).is_none() {
            return Some("the script could not be read".into());
        }
        lexed.replace_range(range.clone(), &"_".repeat(range.len()));
    }
    written
        .iter()
        .find_map(|range| crate::shell::plan(&lexed, range.clone()).err())
        .map(|u| u.why)
}

/// A guess about the command at `line`: a note on its step, and in the page's summary.
fn guess_at_command(d: &mut Draft, line: Pos, what: String) {
    if let Some(step) = d
        .steps
        .iter_mut()
        .find(|s| s.pos == line && s.run.is_some())
    {
        step.notes.push(format!("{line}: guess: {what}"));
    }
    d.guesses.push((line, what));
}

/// The steps' commands that use each variable (`$NAME`, `${NAME`), read once.
pub(super) fn users_of<'a>(
    used: &regex::Regex,
    commands: impl Iterator<Item = &'a str>,
) -> std::collections::HashMap<String, Vec<&'a str>> {
    let mut out: std::collections::HashMap<String, Vec<&'a str>> = Default::default();
    for c in commands {
        let mut names: std::collections::HashSet<&str> = Default::default();
        for cap in used.captures_iter(c) {
            if let Some(m) = cap.get(1) {
                names.insert(m.as_str());
            }
        }
        for name in names {
            out.entry(name.to_string()).or_default().push(c);
        }
    }
    out
}

/// Why `export NAME=value` may not be given to the steps that use `$NAME` (`users`): the run
/// refuses a value that is not one plain word where a step splits it into words
/// (`kubectl drain $DRAIN_FLAGS`, audit 41 I41-16 found the dry-run fail on the page's own
/// `--delete-emptydir-data --force`). Said; the export stays as written in its step.
pub(super) fn refused_to_users(
    users: &std::collections::HashMap<String, Vec<&str>>,
    name: &str,
    value: &str,
) -> Option<String> {
    if crate::shell::quote::is_plain_word(value) {
        return None;
    }
    let refused = users
        .get(name)?
        .iter()
        .find_map(|c| crate::shell::environment::EnvCheck::new(c).refusal(name, value))?;
    Some(format!(
        "`${name}` is exported here as `{value}`, which a step uses where the run refuses such a value ({}): the export stays as written in this step and is given to no other step (each step is a shell of its own: write the value in the command that uses it)",
        refused.message
    ))
}
