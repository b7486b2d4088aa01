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
                "the script decodes text (`base64 -d`, `xxd -r`, `printf %b`, `tr`), which makes code of plain words".to_string()
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
                                || "a word starting with `-`".to_string(),
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
pub fn where_used(script: &str, env: &[(String, String)], literal: &[String]) -> Option<Refused> {
    let names = super::arithmetic_names(script);
    let mut reparsed = None;
    let mut used = None;
    for (name, value) in env {
        if names.contains(name) && value.contains(['[', ']', '$', '`', '(', ')']) {
            return Some(Refused {
                message: format!(
                    "`${name}` is used in shell arithmetic in this command and holds `[`, `]`, `$`, backquotes or parentheses: the shell would evaluate its value as an expression, where a subscript runs code"
                ),
                help: format!(
                    "give `{name}` a decimal integer (an input with `type: int`), or do not use it in `$(( ))`, `(( ))`, `let` or `[[ -eq ]]`"
                ),
            });
        }
        if literal.contains(name) || value.is_empty() {
            continue;
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
        if !script.contains(name.as_str())
            && (!(script.contains("env") || script.contains("${!"))
                || !reparsed
                    .get_or_insert_with(|| super::reparsed_refs(script))
                    .contains(super::nested::ANY))
        {
            continue;
        }
        let refs = reparsed.get_or_insert_with(|| super::reparsed_refs(script));
        let uses = used.get_or_insert_with(|| super::uses(script));
        // Changed on its way to such a place (`${SVC//,/ }`): what arrives is not what
        // was checked.
        let reaches = |n: &str| {
            refs.contains(n)
                || uses.words.contains(n)
                || uses.split.contains(n)
                || uses.options.contains(n)
        };
        if !plain && super::changed_on_the_way(script, &reaches).contains(name) {
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
        if super::unseen::spliced_into_code(script).contains(name)
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
            continue;
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
        let uses = used.get_or_insert_with(|| super::uses(script));
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
            && value.starts_with('-')
        {
            Some(
                "stands where a program reads options (`ssh \"$H\"`, `git clone \"$R\"`), and its value starts with `-`: some options run commands (`-oProxyCommand=…`)",
            )
        } else {
            None
        };
        if let Some(why) = why {
            return Some(Refused {
                message: format!("`${name}` {why}"),
                help: format!(
                    "give `{name}` plain words (a `pattern` on its input), quote `\"${name}\"` where the script expands it, or put `--` before it where the program accepts one"
                ),
            });
        }
    }
    None
}

/// The variables runbook gives every step, of its own making (an id, a step's name, a
/// mode): no value of an input is in them.
const OWN: &[&str] = &["RUNBOOK_RUN_ID", "RUNBOOK_STEP", "RUNBOOK_MODE"];
