//! The page's shell variables: `$VAR`s used and never set (inputs, through `env:`), `export
//! VAR=…` (an input's default, given to the steps the walk reaches from it), and variables
//! set in one step and used in another, where each step is a shell of its own (said).

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
];

/// `$NAME` and `${NAME` of the upper-case variables a page's commands use (compiled once: a
/// folder has many pages).
static USED: std::sync::LazyLock<Option<regex::Regex>> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\$\{?([A-Z_][A-Z0-9_]*)").ok());
/// Where a command sets one: `NAME=`, `export NAME=`, `read NAME`, `for NAME`.
static SET: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Z_][A-Z0-9_]*)(?:\+?=)|(?:read(?:\s+-\w+)*|for|printf\s+-v|(?:mapfile|readarray)(?:\s+-\w+)*)\s+([A-Z_][A-Z0-9_]*)",
    )
    .ok()
});

/// The variables a command sets (see [`SET`]): `NAME=`, `export NAME=`, every name of
/// `read -r A B C`.
fn names_set(set: &regex::Regex, command: &str) -> std::collections::BTreeSet<String> {
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
fn expanded(command: &str, cap: &regex::Captures) -> bool {
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
    let assigned: std::collections::BTreeSet<String> = commands
        .iter()
        .flat_map(|(_, c, _)| names_set(set, c))
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
    for (line, c, own) in &commands {
        for cap in used.captures_iter(c) {
            let name = cap[1].to_string();
            if !expanded(c, &cap)
                || own.contains(&name.as_str())
                || assigned.contains(&name)
                || KNOWN_VARIABLES.contains(&name.as_str())
                || name.starts_with("RUNBOOK_")
                || found.iter().any(|(n, ..)| *n == name)
                || skipped.contains(&name)
            {
                continue;
            }
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
            found.push((name, *line, default));
        }
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
        for (line, c, _) in &commands {
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
    {
        for (line, c, _) in &commands {
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
            for (name, value) in export_lines(run) {
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

/// Gives each `export VAR=…` of the page (name, template, where) to the step that exports
/// it and to every step the walk can reach from there, as the page reads: a step before it
/// does not have it (`export GIT_SSH_COMMAND=…` in step 2 is not step 1's), nor does another
/// option of a decision it stands in (`## Option B` does not get what `## Option A`
/// exports); the steps after the options join again do.
pub(super) fn apply_exports(d: &mut Draft, exported: Vec<(String, String, Pos)>) {
    let next = d.successors();
    // A variable exported with a different value in each option of a decision: the steps
    // after the options join again are given the one of the option taken.
    let mut carried: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // (Grouped by name once, each step found by its place once: a page may export 20,000
    // variables.)
    let step_at: std::collections::BTreeMap<Pos, usize> = d
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.run.is_some())
        .rev()
        .map(|(k, s)| (s.pos, k))
        .collect();
    let mut by_name: std::collections::BTreeMap<&str, Vec<(String, usize)>> =
        std::collections::BTreeMap::new();
    for (name, template, line) in &exported {
        if let Some(&from) = step_at.get(line) {
            by_name
                .entry(name.as_str())
                .or_default()
                .push((template.clone(), from));
        }
    }
    // The names exported with one value wherever the page exports them.
    let mut one_value: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (name, exports) in by_name {
        let distinct: std::collections::BTreeSet<&str> =
            exports.iter().map(|(t, _)| t.as_str()).collect();
        if distinct.len() == 1 {
            one_value.insert(name.to_string());
        }
        if distinct.len() > 1 && carry_by_choice(d, &next, name, &exports) {
            carried.insert(name.to_string());
        }
    }
    // (Each export is written into every step it reaches: past the size a runbook may
    // have, the import stops here rather than build gigabytes it would refuse to write.)
    let mut bytes = 0usize;
    let mut reached = vec![false; d.steps.len()];
    // The names each step's `env:` gives already.
    let mut env_names: Vec<std::collections::HashSet<String>> = d
        .steps
        .iter()
        .map(|s| s.env.iter().map(|(n, _)| n.clone()).collect())
        .collect();
    // An input made of literal exports that now each give their own value is used by no
    // step any more.
    if !carried.is_empty() {
        let unused: Vec<String> = d
            .inputs
            .iter()
            .filter(|(input, i)| {
                i.description.ends_with(", set by `export` on the page") && {
                    let used = format!("inputs.{input} ");
                    !d.steps.iter().any(|s| {
                        s.run.as_deref().is_some_and(|r| r.contains(&used))
                            || s.env.iter().any(|(_, t)| t.contains(&used))
                    }) && !d.env.values().any(|t| t.contains(&used))
                        && !exported
                            .iter()
                            .any(|(n, t, _)| !carried.contains(n) && t.contains(&used))
                }
            })
            .map(|(input, _)| input.clone())
            .collect();
        for input in unused {
            d.inputs.remove(&input);
        }
    }
    for (name, template, line) in exported {
        if carried.contains(&name) {
            continue;
        }
        let Some(from) = d
            .steps
            .iter()
            .position(|s| s.pos == line && s.run.is_some())
        else {
            continue;
        };
        reached.iter_mut().for_each(|r| *r = false);
        let mut stack = vec![from];
        while let Some(k) = stack.pop() {
            if std::mem::replace(&mut reached[k], true) {
                continue;
            }
            stack.extend(next[k].iter().copied().filter(|&n| !reached[n]));
        }
        // Once, in the runbook's `env:`, where every step may see it (no growth per step).
        if one_value.contains(&name)
            && super::export_env::runbook_wide(d, &next, from, &reached, &name)
        {
            d.env.insert(name, template);
            continue;
        }
        let count = reached.iter().filter(|r| **r).count();
        bytes += count * (name.len() + template.len() + 12);
        if bytes > crate::load::yaml::MAX_FILE_BYTES {
            d.too_large = true;
            return;
        }
        for ((step, names), _) in d
            .steps
            .iter_mut()
            .zip(env_names.iter_mut())
            .zip(&reached)
            .filter(|(_, r)| **r)
        {
            if names.insert(name.clone()) {
                step.env.push((name.clone(), template.clone()));
            }
        }
        // A step the walk does not reach from the export that uses the variable: said.
        let maker = d.steps[from].id.clone();
        let Some(used) = USED.as_ref() else {
            continue;
        };
        for k in (0..d.steps.len()).filter(|&k| !reached[k]) {
            let Some(run) = d.steps[k].run.as_deref() else {
                continue;
            };
            if !run.contains(name.as_str())
                || d.steps[k].env.iter().any(|(n, _)| *n == name)
                || !used
                    .captures_iter(run)
                    .any(|c| c[1] == *name && expanded(run, &c))
            {
                continue;
            }
            let what = format!(
                "`${name}` is exported by step `{maker}`, which the walk does not pass on the way here (another option of a decision, or a later step): it is empty here unless the operator's environment has it"
            );
            let pos = d.steps[k].pos;
            d.steps[k].notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
    }
}

/// The steps the walk reaches from `from` (itself included), by `next`.
fn reach(next: &[Vec<usize>], from: usize) -> Vec<bool> {
    super::export_env::reached_from(next, from, None)
}

/// The value of an export as an expression of a template (`{{ inputs.dr_db }}` →
/// `inputs.dr_db`, `dr` → `'dr'`), where it can be written as one.
fn expression(template: &str) -> Option<String> {
    if let Some(inner) = template
        .strip_prefix("{{ ")
        .and_then(|t| t.strip_suffix(" }}"))
        .filter(|i| !i.contains("{{") && !i.contains("}}"))
    {
        return Some(inner.trim().to_string());
    }
    (!template.contains(['{', '}', '\'', '\\'])).then(|| format!("'{template}'"))
}

/// `export TARGET=<PRIMARY_DB>` under one option of a decision, `export TARGET=<DR_DB>`
/// under another (with at most one export before the decision, every option's default):
/// the decision gets a `var:` whose value is the option taken, and the steps after the
/// options join again get `TARGET` by it (`{{ inputs.dr_db if vars.which_applies_choice ==
/// '2' else inputs.primary_db }}`); each option's steps get its own. An audit found the DR
/// operator's promote run against the primary, given the first branch's value. `exports`:
/// (template, the step that exports). False when no one decision separates them.
fn carry_by_choice(
    d: &mut Draft,
    next: &[Vec<usize>],
    name: &str,
    exports: &[(String, usize)],
) -> bool {
    let reached: Vec<Vec<bool>> = exports.iter().map(|(_, from)| reach(next, *from)).collect();
    for decision in 0..d.steps.len() {
        // (A decision's `next` are its options' first steps, in order.)
        if d.steps[decision].choose.is_empty()
            || next[decision].len() != d.steps[decision].choose.len()
        {
            continue;
        }
        let options: Vec<Vec<bool>> = next[decision].iter().map(|&k| reach(next, k)).collect();
        // The option each export stands in; `None`: before the decision, the default.
        let mut in_option: Vec<Option<usize>> = Vec::new();
        for (e, (_, from)) in exports.iter().enumerate() {
            let of: Vec<usize> = (0..options.len()).filter(|&o| options[o][*from]).collect();
            match of.as_slice() {
                [o] => in_option.push(Some(*o)),
                [] if reached[e][decision] => in_option.push(None),
                _ => break,
            }
        }
        let mut by_option: std::collections::BTreeMap<usize, usize> = Default::default();
        let mut default = None;
        let mut clean = in_option.len() == exports.len();
        for (e, o) in in_option.iter().enumerate() {
            clean &= match o {
                Some(o) => by_option.insert(*o, e).is_none(),
                None => default.replace(e).is_none(),
            };
        }
        if !clean || by_option.len() < 2 {
            continue;
        }
        let Some(mut value) = default.map_or(Some("''".to_string()), |e| expression(&exports[e].0))
        else {
            return false;
        };
        let var = format!("{}_choice", d.steps[decision].id.replace('-', "_"));
        if !crate::values::is_identifier(&var) {
            return false;
        }
        for (o, e) in by_option.iter().rev() {
            let Some(this) = expression(&exports[*e].0) else {
                return false;
            };
            value = format!("{this} if vars.{var} == '{}' else {value}", o + 1);
        }
        let joined = format!("{{{{ {value} }}}}");
        for (k, step) in d.steps.iter_mut().enumerate() {
            let by: Vec<usize> = (0..exports.len()).filter(|&e| reached[e][k]).collect();
            let branches: Vec<usize> = by
                .iter()
                .copied()
                .filter(|&e| in_option[e].is_some())
                .collect();
            let template = match (branches.as_slice(), by.first()) {
                (_, None) => continue,
                ([], Some(&e)) | (&[e], _) => exports[e].0.clone(),
                _ => joined.clone(),
            };
            if !step.env.iter().any(|(n, _)| n == name) {
                step.env.push((name.to_string(), template));
            }
        }
        // What was guessed of it (the first value given to all) no longer holds.
        let guessed = format!("`${name}` is exported with different values on the page");
        d.guesses.retain(|(_, what)| !what.starts_with(&guessed));
        for s in &mut d.steps {
            s.notes.retain(|n| !n.contains(&guessed));
        }
        let step = &mut d.steps[decision];
        step.choose_var = Some(var.clone());
        step.notes.push(format!(
            "{}: `${name}` is exported with a different value in each option: the steps after them are given the one of the option taken (`vars.{var}`)",
            step.pos
        ));
        return true;
    }
    false
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

/// A guess about the command at `line`: a note on its step, and in the page's summary.
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

/// A variable set in one step (`POD=$(kubectl get pods …)`) and used in a later one: each
/// step is a shell of its own, so it would be empty there. Said where it is used.
pub(super) fn carried_variables(d: &mut Draft, exported: &std::collections::BTreeSet<String>) {
    let (Some(used), Some(set)) = (USED.as_ref(), SET.as_ref()) else {
        return;
    };
    let mut set_before: Vec<(String, String)> = Vec::new();
    // (A secret input's variable is every step's.)
    let secrets: std::collections::BTreeSet<String> = d
        .inputs
        .values()
        .filter_map(|i| i.secret_env.clone())
        .collect();
    for k in 0..d.steps.len() {
        let Some(run) = d.steps[k].run.clone() else {
            continue;
        };
        let here = names_set(set, &run);
        let mut noted = std::collections::BTreeSet::new();
        for cap in used.captures_iter(&run) {
            let name = cap[1].to_string();
            if here.contains(&name)
                || exported.contains(&name)
                || secrets.contains(&name)
                || d.env.contains_key(&name)
                || d.steps[k].env.iter().any(|(n, _)| *n == name)
                || !expanded(&run, &cap)
            {
                continue;
            }
            let Some((_, maker)) = set_before.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            if !noted.insert(name.clone()) {
                continue;
            }
            let what = format!(
                "`${name}` is set by step `{maker}`, and each step is a shell of its own: it is empty here; in `{maker}`, add `echo \"{name}=${name}\" >> \"$RUNBOOK_ENV\"` (or capture its output with `capture:`)"
            );
            let pos = d.steps[k].pos;
            d.steps[k].notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
        let id = d.steps[k].id.clone();
        set_before.extend(here.into_iter().map(|n| (n, id.clone())));
    }
}
