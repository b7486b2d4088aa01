//! The values a step is given in its environment (an input's `env:`, a step's `env:` from a
//! template, `$RUNBOOK_ENV`), checked against what the script does with each variable: the
//! one check that `exec::render` makes before a step runs and lint's RB037 foresees.

/// Why a value may not be given, said for the operator: what happened, and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub message: String,
    pub help: String,
}

/// The refusal of a value that is not plain words in a script where a variable the script
/// sets from anything but literal text reaches a place where a value becomes code or
/// options ([`super::unseen`]): a way through the script's variables that the flow
/// model does not follow would cost code; this costs a refusal. `values`: (how to name it,
/// the value).
pub fn unseen_refusal(script: &str, values: &[(String, &str)]) -> Option<Refused> {
    use super::unseen::{ALL_PLACES, Place, decodes, inert, refused_by, unseen};
    let ifs = super::flow::ifs_chars(script);
    let ifs = ifs.as_deref();
    // Where the script decodes text (`base64 -d`), plain words are no proof.
    let decoded = || decodes(script);
    let all_inert = |place: Place| values.iter().all(|(_, v)| inert(place, v, ifs));
    if ALL_PLACES.into_iter().all(all_inert)
        && !(values.iter().any(|(_, v)| !v.is_empty()) && decoded())
    {
        return None;
    }
    let found = unseen(script);
    if found.is_empty() {
        return None;
    }
    let decoded = decoded();
    for (what, value) in values {
        if let Some(u) = refused_by(&found, value, ifs, decoded) {
            let why = if decoded && inert(u.place, value, ifs) {
                "the script decodes text or writes shell characters between words (`base64 -d`, `printf %b`, `tr , ';'`, `sed 's/,/;/'`), which makes code of plain words".to_string()
            } else {
                match u.place {
                    Place::Code => format!(
                        "it holds {}",
                        value
                            .chars()
                            .find(|c| !(c.is_ascii_alphanumeric()
                                || *c == ' '
                                || *c == '\t'
                                || "_./:@,+=%-".contains(*c)))
                            .map_or_else(
                                || "a word, or a piece of one, starting with `-`".to_string(),
                                |c| match c {
                                    '\n' => "a new line, which ends a command there (give a list on one line, separated by spaces)".to_string(),
                                    c => format!("`{c}`"),
                                }
                            )
                    ),
                    Place::Words => "a line of it is not one plain word: each word of it becomes a word of the command, the command itself among them".to_string(),
                    Place::Arithmetic => {
                        "it holds `[`, and a subscript in shell arithmetic runs `$( )`".to_string()
                    }
                    Place::Options => "a word or piece of it starts with `-`".to_string(),
                    Place::Rewritten => "it holds `-`, `+`, `!` or `(`, or is not plain words on one line".to_string(),
                    Place::Spliced => format!(
                        "it holds {}",
                        value
                            .chars()
                            .find(|c| !(c.is_ascii_alphanumeric() || " _.:@+=%-".contains(*c)))
                            .map_or_else(String::new, |c| format!("`{}`", c.escape_default()))
                    ),
                }
            };
            return Some(Refused {
                message: format!(
                    "{what} is refused here ({why}): {} {}, and the script sets it from something other than literal text (a copy, `$( )`, `read`, a loop, a function's arguments, a sourced file); runbook does not follow every way a value travels through a script's variables, so it refuses the step rather than guess",
                    u.variable(),
                    u.place.reaches()
                ),
                help: super::unseen::help(u),
            });
        }
    }
    None
}

/// Refuses an environment variable that the script uses where its value would become code:
/// in shell arithmetic unless it holds no `[`, `]`, `$`, backquote or parenthesis (bash
/// evaluates a variable's value there as an expression, so `a[$(reboot)]` in `$(( N + 1 ))`
/// would run), and inside a string that another shell parses again (`sh -c "… $N"`,
/// `ssh h "… $N"`, `eval "$N"`) unless it is one plain word. Values set by the runbook's
/// templates, its inputs and `$RUNBOOK_ENV` are checked; the runbook's literal `env:` values
/// (`literal`) are its own text, and the operator's own environment is theirs.
pub fn env_refusal(script: &str, env: &[(String, String)], literal: &[String]) -> Option<Refused> {
    if env.is_empty() {
        return None;
    }
    if let Some(refused) = where_used(script, env, literal) {
        return Some(refused);
    }
    let given: Vec<(String, &str)> = env
        .iter()
        .filter(|(name, value)| {
            !literal.contains(name) && !value.is_empty() && !OWN.contains(&name.as_str())
        })
        .map(|(name, value)| (format!("`${name}`"), value.as_str()))
        .collect();
    unseen_refusal(script, &given)
}

/// [`env_refusal`] by what the script does with each variable itself (not the floor's
/// refusal of a value where the script sets others from text runbook does not follow,
/// [`unseen_refusal`], which lint says in its own words).
fn where_used(script: &str, env: &[(String, String)], literal: &[String]) -> Option<Refused> {
    let check = EnvCheck::new(script);
    // (The runbook's own literal text is checked in arithmetic only, as before.)
    env.iter().find_map(|(name, value)| {
        if literal.contains(name) {
            check.arithmetic(name, value)
        } else if OWN.contains(&name.as_str()) {
            check.refusal(name, value)
        } else {
            check
                .refusal(name, value)
                .or_else(|| widens(script, name, value))
        }
    })
}

/// Refuses a value of `name` that would widen what a destructive command of the script acts
/// on (an empty end of the path `rm -rf` deletes, `.` as `pkill -f`'s pattern): the rules a
/// `{{ }}` written there meets, followed through the variable ([`super::widening`]).
fn widens(script: &str, name: &str, value: &str) -> Option<Refused> {
    use super::Refusal;
    let (refusal, plan) = super::widening::widening(script, name, value)?;
    let (says, what) = match refusal {
        Refusal::ParentFolder => (
            "holds `..` as a part of a path".to_string(),
            plan.no_parent
                .unwrap_or("it would reach a folder above the one written before it"),
        ),
        Refusal::Widens(held) => {
            let says = match held {
                Some(c) => format!("holds `{c}`"),
                None if value.trim().is_empty() => "is empty".to_string(),
                None => format!("is `{}`", value.trim()),
            };
            (says, plan.wide.as_ref().map_or("", |w| w.what))
        }
        _ => return None,
    };
    Some(Refused {
        message: format!("`${name}` {says}, given in the step's environment: {what}"),
        help: format!(
            "give `{name}` a value that names one thing (a `pattern` on its input, or `required: true` with no empty default)"
        ),
    })
}

/// A cheap necessary condition of [`EnvCheck::refusal`] refusing a value of `name` in
/// `script` (lint asks it of every step before the whole reading, which costs a parse): the
/// variable is one a program runs, or the script expands it outside double quotes or changed
/// (`${N//…}`, `${N@Q}`, where splitting, options and arithmetic begin), or holds a construct
/// through which a variable reaches code: a program that parses text again or runs a shell
/// (`eval`, `sh`, `ssh`, `sudo`, `xargs`, `kubectl … exec`…), one that reads or prints the
/// environment or splices text into code (`printenv`, jq's `env`, `sed`, `awk`, `python`…), a
/// loop or read that splits, arithmetic, a substitution, a here-document or a redirection to
/// a process. `false` means no value of `name` is refused by what the script does with it.
pub fn may_refuse(script: &str, name: &str) -> bool {
    static MARKERS: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            // Programs and variables rarely named in prose: anywhere.
            r"(?:^|[^A-Za-z0-9_.-])(?:eval|exec|bash|dash|zsh|ksh|mksh|busybox|fish|csh|tcsh|sh|ssh|",
            r"autossh|mosh|sshpass|runuser|sudo|doas|pkexec|xargs|flock|crontab|systemd-run|nsenter|",
            r"chroot|unshare|nohup|setsid|stdbuf|ionice|printenv|trap|tmux|pssh|parallel-ssh|salt[a-z-]*|",
            r"ansible[a-z-]*|pyinfra|kamal|minikube|gcloud|npx|npm|vim|nvim|emacs|strace|ltrace|tcpdump|",
            r"sed|gsed|awk|gawk|mawk|nawk|perl|python[0-9.]*|ruby|node|nodejs|deno|php|lua|luajit|",
            r"tclsh|envsubst|coproc|getopts|IFS|PS4|PROMPT_COMMAND|BASH_ENV|ENVIRON|environ|getenv)",
            r"(?:$|[^A-Za-z0-9_-])",
            // Words of prose too: only where a command starts.
            r"|(?m)(?:^|[|;&({`!]|\$\(|\bdo|\bthen|\belse)\s*(?:at|batch|su|source|\.|find|watch|script|",
            r"ip|timeout|nice|command|builtin|alias|screen|parallel|az|aws|cf|git|tar|zip|unzip|rsync|",
            r"scp|make|vi|ex|less|more|man|expect|bun|env|let|declare|typeset|local|export|readonly|",
            r"psql|mysql|sqlite3|redis-cli|mongo|mongosh|\$\(|`)(?:$|[^A-Za-z0-9_-])",
            r"|kubectl\b[^\n]*\b(?:exec|debug|run|attach)\b|(?:docker|podman|nerdctl|crictl|oc)\b[^\n]*\b(?:exec|run|debug|rsh)\b",
            r"|\(\(|\[\[|\$\[|\[\$|>\(|<\(|<<|\$\{!|\benv\.|\$ENV|@Q",
        ))
        .ok()
    });
    if super::runs_as_code(name)
        || name == "IFS"
        || MARKERS.as_ref().is_none_or(|re| re.is_match(script))
    {
        return true;
    }
    // Each expansion of it: `$N`, `${N}`, `${N…}`, in double quotes and whole.
    let bytes = script.as_bytes();
    let mut from = 0;
    while let Some(at) = script[from..].find(name).map(|k| from + k) {
        from = at + name.len();
        let after = bytes.get(from).copied();
        if after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue;
        }
        let dollar = at >= 1 && bytes[at - 1] == b'$';
        let braced = at >= 2 && bytes[at - 1] == b'{' && bytes[at - 2] == b'$';
        if !dollar && !braced {
            continue;
        }
        if braced && after != Some(b'}') {
            return true; // `${N//…}`, `${N:-…}`, `${N@Q}`
        }
        if !double_quoted(script, at) {
            return true;
        }
    }
    false
}

/// Whether byte `at` of a script with no here-document or backquote stands inside double
/// quotes, by a plain walk of its quotes, escapes and comments. (A `"` inside `"$( … )"`
/// ends the quotes for this walk: the answer errs towards "not quoted", which costs
/// [`may_refuse`] a full reading, never a finding.)
fn double_quoted(script: &str, at: usize) -> bool {
    let b = script.as_bytes();
    let (mut single, mut double) = (false, false);
    let mut k = 0;
    while k < at.min(b.len()) {
        match b[k] {
            b'\\' if !single => k += 1,
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'#' if !single && !double && (k == 0 || b[k - 1].is_ascii_whitespace()) => {
                while k < at && b[k] != b'\n' {
                    k += 1;
                }
            }
            _ => {}
        }
        k += 1;
    }
    double && !single
}

/// What a script does with the variables of its environment, read once (each part when
/// first needed) for any number of variables and values: [`EnvCheck::refusal`].
pub struct EnvCheck<'a> {
    script: &'a str,
    arithmetic: std::cell::OnceCell<std::collections::BTreeSet<String>>,
    reparsed: std::cell::OnceCell<std::collections::BTreeSet<String>>,
    used: std::cell::OnceCell<super::Uses>,
    changed: std::cell::OnceCell<std::collections::BTreeSet<String>>,
    spliced: std::cell::OnceCell<std::collections::BTreeSet<String>>,
}

impl<'a> EnvCheck<'a> {
    pub fn new(script: &'a str) -> Self {
        EnvCheck {
            script,
            arithmetic: std::cell::OnceCell::new(),
            reparsed: std::cell::OnceCell::new(),
            used: std::cell::OnceCell::new(),
            changed: std::cell::OnceCell::new(),
            spliced: std::cell::OnceCell::new(),
        }
    }

    fn refs(&self) -> &std::collections::BTreeSet<String> {
        self.reparsed
            .get_or_init(|| super::reparsed_refs(self.script))
    }

    fn uses(&self) -> &super::Uses {
        self.used.get_or_init(|| super::uses(self.script))
    }

    /// Why `value` may not stand in `name` where the script evaluates it in arithmetic.
    fn arithmetic(&self, name: &str, value: &str) -> Option<Refused> {
        let names = self
            .arithmetic
            .get_or_init(|| super::arithmetic_names(self.script));
        (names.contains(name) && value.contains(['[', ']', '$', '`', '(', ')'])).then(|| {
            Refused {
                message: format!(
                    "`${name}` is used in shell arithmetic in this command and holds `[`, `]`, `$`, backquotes or parentheses: the shell would evaluate its value as an expression, where a subscript runs code"
                ),
                help: format!(
                    "give `{name}` a decimal integer (an input with `type: int`), or do not use it in `$(( ))`, `(( ))`, `let` or `[[ -eq ]]`"
                ),
            }
        })
    }

    /// Why the script may not be given `value` in its variable `name`, if it may not.
    pub fn refusal(&self, name: &str, value: &str) -> Option<Refused> {
        let script = self.script;
        if let Some(refused) = self.arithmetic(name, value) {
            return Some(refused);
        }
        if value.is_empty() {
            return None;
        }
        let plain = super::quote::is_plain_word(value);
        if super::runs_as_code(name) && !plain {
            // `env: {GIT_SSH_COMMAND: "ssh -i {{ inputs.key }}"}`: a program runs it.
            return Some(Refused {
                message: format!(
                    "`{name}` is set from a value that is not one plain word, and `{name}` is run as code (by bash or by the programs that read it)"
                ),
                help: format!(
                    "write `{name}` in the runbook's `env:` without a template, and pass the value in a variable of its own"
                ),
            });
        }
        // (`printenv | sh`, `env | … | bash`: every variable is printed into code, named or
        // not.)
        if !script.contains(name)
            && (!(script.contains("env") || script.contains("${!"))
                || !self.refs().contains(super::nested::ANY))
        {
            return None;
        }
        let refs = self.refs();
        let uses = self.uses();
        // Changed on its way to such a place (`${SVC//,/ }`): what arrives is not what
        // was checked.
        let reaches = |n: &str| {
            refs.contains(n)
                || uses.words.contains(n)
                || uses.split.contains(n)
                || uses.options.contains(n)
        };
        if !plain
            && self
                .changed
                .get_or_init(|| super::changed_on_the_way(script, &reaches))
                .contains(name)
        {
            return Some(Refused {
                message: format!(
                    "`${name}` is changed on its way (by an expansion, `${{{name}//…}}`) to a command's words, options or a string another shell parses again: what the change makes of it cannot be checked"
                ),
                help: format!(
                    "use `\"${name}\"` as it is where it is expanded, or give its input a `pattern` and the command the parts it needs"
                ),
            });
        }
        // `sed -i "s/x/$V/" f`: a `/` ends sed's command there (its `e` runs a shell).
        if self
            .spliced
            .get_or_init(|| super::unseen::spliced_into_code(script))
            .contains(name)
            && !super::unseen::inert_for_spliced(value)
        {
            return Some(Refused {
                message: format!(
                    "`${name}` is expanded into the code of sed or awk written in double quotes, and its value holds other than letters, digits, spaces and `_ . : @ + = % -`: a `/`, a quote or a new line there would end the piece of code holding it, and sed's `e` or awk's `system()` runs a shell"
                ),
                help: format!(
                    "give `{name}` a `pattern` of such values, or pass it to awk as data (`awk -v v=\"${name}\"`, `ENVIRON[\"{name}\"]`)"
                ),
            });
        }
        if plain {
            return None;
        }
        if refs.contains(&format!("^{name}"))
            && !value.chars().all(|c| c == ' ' || c.is_ascii_graphic())
        {
            return Some(Refused {
                message: format!(
                    "`${name}` is quoted by `${{{name}@Q}}` or `printf %q` for a shell that parses it again and may not read `$'…'` (`sh`, a login shell over `ssh`), and its value holds a new line, a tab, another control character or a letter outside ASCII: it would not arrive as written, and with a `'` in it, part of it would run as code"
                ),
                help: format!(
                    "give `{name}` a value of printable ASCII, or hand the string to `bash -c`, which reads `$'…'`"
                ),
            });
        }
        if refs.contains(&format!("-{name}")) && value.starts_with('-') {
            return Some(Refused {
                message: format!(
                    "`${name}` is quoted by `${{{name}@Q}}` or `printf %q` for a shell that parses it again, where it is a word of a command, and its value starts with `-`: the program there would read it as an option"
                ),
                help: format!(
                    "give `{name}` a value that does not start with `-`, or end the program's options with `--` before it"
                ),
            });
        }
        // (`${!n}` in such a string may name any variable.)
        if refs.contains(name) || refs.contains(super::nested::ANY) {
            return Some(Refused {
                message: format!(
                    "`${name}` is expanded inside a string that another shell parses again (`sh -c \"…\"`, `ssh HOST \"…\"`, `eval`), and its value is not one plain word: that shell would read it as code"
                ),
                help: format!(
                    "pass `{name}` to the inner shell as data (`sh -c 'echo \"$1\"' sh \"${name}\"`, or inside single quotes so that the inner shell expands it), or give its input a `pattern` of plain words"
                ),
            });
        }
        let split_ok = || value.split_whitespace().all(super::quote::is_plain_word);
        let why = if uses.words.contains(name) {
            Some(
                "is split into the words of a command that runs commands or reads options (`ssh $H uptime`, `sudo -u $U id`), and its value is not one plain word",
            )
        } else if uses.split.contains(name) && !split_ok() {
            Some(
                "is split into words or lines (by a `for` loop, `read` or `mapfile`) that stand where a program reads options or its command (`for h in $HOSTS; do ssh $h …`, `echo \"$HOSTS\" | while read -r h; do ssh -n \"$h\" …`), and its value is not plain words",
            )
        } else if (uses.options.contains(name) || uses.operands.contains(name))
            && value.starts_with(|c| super::nested::OPTION_STARTS.contains(c))
        {
            Some(
                "stands where a program reads options (`ssh \"$H\"`, `git clone \"$R\"`), and its value starts with `-` (or vim's `+cmd`, find's `!` or `(`): some options run commands (`-oProxyCommand=…`)",
            )
        } else if uses.operands_split.contains(name)
            && value.split_whitespace().any(|w| w.starts_with('-'))
        {
            Some(
                "is split into words that each stand where a program reads options (`systemctl restart $SERVICES`), and a word of its value starts with `-`: an option there changes what the command does (`-H host` acts on another machine, `--all` on everything)",
            )
        } else {
            None
        };
        why.map(|why| Refused {
            message: format!("`${name}` {why}"),
            help: format!(
                "give `{name}` plain words (a `pattern` on its input), quote `\"${name}\"` where the script expands it, or put `--` before it where the program accepts one"
            ),
        })
    }
}

/// The variables runbook gives every step, of its own making (an id, a step's name, a
/// mode): no value of an input is in them.
const OWN: &[&str] = &["RUNBOOK_RUN_ID", "RUNBOOK_STEP", "RUNBOOK_MODE"];

#[cfg(test)]
mod tests {
    use super::*;

    /// The runbook's own literal `env:` text is checked in arithmetic, where bash evaluates
    /// it, and nowhere else (as before the check moved here).
    #[test]
    fn literal_values_are_checked_in_arithmetic_only() {
        let literal = ["N".to_string()];
        let env = [("N".to_string(), "a[$(id)]".to_string())];
        assert!(env_refusal("echo $(( N + 1 ))", &env, &literal).is_some());
        assert!(env_refusal("ssh h \"echo $N\"", &env, &literal).is_none());
        assert!(env_refusal("ssh h \"echo $N\"", &env, &[]).is_some());
    }

    /// `may_refuse` is a necessary condition: where it says no, the whole check refuses
    /// none of the values lint tries.
    #[test]
    fn the_cheap_test_clears_only_what_the_check_clears() {
        let samples = ["it's down; see #42", "web-1\nweb-2", "web-1 -v", "a[1]"];
        for (script, may) in [
            (
                "curl -fsS \"$API/errors?window=7m\" | jq -r '.count'",
                false,
            ),
            (
                "kubectl -n \"$API\" logs deploy/x | grep -c ERROR || true",
                false,
            ),
            ("echo \"healthy at $(date -u +%H:%M) on $API\"", false),
            ("# a comment's \" quote\necho \"$API\"", false),
            ("ssh -n web-1 \"echo $API\"", true),
            ("printenv API | sh", true),
            ("echo $API", true),
            ("echo \"${API//x/y}\"", true),
            ("echo '\"' $API", true),
            ("jq -rn '\"echo \" + env.API' | bash", true),
            ("sed -i \"s/x/$API/\" f", true),
            ("echo $(( API + 1 ))", true),
            ("cat <<EOF | ssh h sh\necho \"$API\"\nEOF", true),
            ("kubectl exec pod -- sh -c \"echo $API\"", true),
            ("at now <<< \"echo $API\"", true),
        ] {
            assert_eq!(may_refuse(script, "API"), may, "{script}");
            if !may {
                let check = EnvCheck::new(script);
                for sample in samples {
                    assert!(
                        check.refusal("API", sample).is_none(),
                        "{script} {sample:?}"
                    );
                }
            }
        }
        // Prose that names a program is no command: `at` in a sentence.
        assert!(!may_refuse("echo \"reloaded at noon for $API\"", "API"));
        assert!(may_refuse("x=1; at now < job", "API"));
    }
}
