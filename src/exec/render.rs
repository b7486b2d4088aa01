//! Rendering templates at run time (SPEC §2.5).
//!
//! In a shell script a substituted value is data, never code: each `{{ expression }}` is
//! replaced by a reference to an environment variable that holds the value, written for the
//! quoting context it stands in (bare, double quotes, single quotes, `$'…'`). The shell then
//! expands the variable once and never parses its contents, so a captured
//! `10.1.2.3; rm -rf ~ $(reboot)` reaches the command as exactly those characters. The
//! operator is shown the script with the values written in (secrets masked).

use crate::load::Shell;
use crate::template::blocks;
use minijinja::{Environment, Value};

use crate::shell::quote::{encode, literal, reference};
use crate::shell::{Quoting, Slot};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    pub message: String,
    pub help: String,
}

impl From<crate::shell::environment::Refused> for RenderError {
    fn from(r: crate::shell::environment::Refused) -> Self {
        RenderError {
            message: r.message,
            help: r.help,
        }
    }
}

/// Refuses an environment variable that the script uses where its value would become code
/// ([`crate::shell::environment::env_refusal`]); the environment as given otherwise.
pub fn arithmetic_env(
    script: &str,
    env: Vec<(String, String)>,
    literal: &[String],
) -> Result<Vec<(String, String)>, RenderError> {
    match crate::shell::environment::env_refusal(script, &env, literal) {
        Some(refused) => Err(refused.into()),
        None => Ok(env),
    }
}

/// The one template environment, shared with the linter: what lint accepts, a run knows.
fn env() -> &'static Environment<'static> {
    crate::template::environment()
}

fn eval(expr: &str, ctx: &Value) -> Result<Value, RenderError> {
    let compiled = env().compile_expression(expr).map_err(|e| RenderError {
        message: format!(
            "invalid expression `{}`: {}",
            expr.trim(),
            e.detail().unwrap_or("syntax error")
        ),
        help: "run `runbook lint` on the runbook".into(),
    })?;
    compiled.eval(ctx).map_err(|e| RenderError {
        message: format!(
            "cannot evaluate `{}`: {}",
            expr.trim(),
            e.detail().map_or_else(|| e.to_string(), str::to_string)
        ),
        help: "a name it uses is not defined at this point of the run; `runbook lint` shows where"
            .into(),
    })
}

/// The text of a value as substituted: `none` and undefined are errors, not empty text.
fn text_of(value: &Value, expr: &str) -> Result<String, RenderError> {
    if value.is_undefined() || value.is_none() {
        return Err(RenderError {
            message: format!("`{}` has no value", expr.trim()),
            help: "give it a value earlier in the run, or use `| default(\"...\")`".into(),
        });
    }
    Ok(value.to_string())
}

/// Evaluates a bare expression (`when`, `wait.until`) to true or false.
pub fn condition(expr: &str, ctx: &Value) -> Result<bool, RenderError> {
    Ok(eval(expr, ctx)?.is_true())
}

/// Renders text (instructions, prompts, `env` values, `confirm`, `dir`).
pub fn text(template: &str, ctx: &Value) -> Result<String, RenderError> {
    let found = blocks(template).map_err(|e| RenderError {
        message: e.message,
        help: e.help,
    })?;
    let mut out = String::with_capacity(template.len());
    let mut at = 0;
    for block in found {
        out.push_str(&template[at..block.outer.start]);
        let expr = &template[block.inner.clone()];
        out.push_str(&text_of(&eval(expr, ctx)?, expr)?);
        at = block.outer.end;
    }
    out.push_str(&template[at..]);
    Ok(out)
}

/// A script ready to run: what to show, what to run, and the variables holding the values.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// The script with the values written in, for the operator and the journal.
    pub display: String,
    /// The script the shell runs.
    pub script: String,
    /// `(NAME, value)` for each substituted value.
    pub env: Vec<(String, String)>,
}

pub use crate::shell::VALUE_PREFIX;

/// Renders a script for `shell`, each value passed as data, at whatever depth of strings
/// that other shells parse again it stands (`sh -c "…"`, `ssh HOST "…"`: see
/// [`crate::shell::plan`]).
/// A script of `step`: rendered, or as written when the step says `templates: false`.
/// `runbook`: the step's, whose other scripts may read a file this one writes a value to.
pub fn step_script(
    step: &crate::load::Step,
    template: &str,
    ctx: &Value,
    shell: &Shell,
    runbook: &crate::load::Runbook,
) -> Result<Script, RenderError> {
    if step.renders() {
        let elsewhere = crate::shell::elsewhere(template, runbook.scripts_besides(template));
        script_among(template, ctx, shell, &elsewhere)
    } else {
        Ok(Script {
            display: template.to_string(),
            script: template.to_string(),
            env: Vec::new(),
        })
    }
}

/// A character a refusal names, in words: a line break or white space by name, a control
/// character escaped, any other in backquotes.
fn held(c: char) -> String {
    match c {
        '\n' => "a new line".to_string(),
        '\r' => "a carriage return".to_string(),
        '\u{85}' => "a line break (NEL, U+0085)".to_string(),
        '\u{2028}' => "a line break (LINE SEPARATOR, U+2028)".to_string(),
        '\u{2029}' => "a line break (PARAGRAPH SEPARATOR, U+2029)".to_string(),
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        c if c.is_control() => format!("`{}`", c.escape_debug()),
        c => format!("`{c}`"),
    }
}

/// The value of `env.NAME` (`whose`: "step `s`" or "the runbook") rendered from `template`,
/// checked as the value of an `export NAME="…"` at the start of the script is: a templated
/// `PATH`, `KUBECONFIG` or `LD_*` holds no `..` part and no `:` adding an entry, a path
/// under a folder no `..` (audit 41 A41-16). Errs, naming the variable, when it cannot be
/// rendered or a value is refused.
pub fn env_value(
    whose: &str,
    name: &str,
    template: &str,
    ctx: &Value,
) -> Result<String, RenderError> {
    let value = text(template, ctx).map_err(|e| RenderError {
        message: format!("`env.{name}` of {whose} cannot be rendered: {}", e.message),
        help: e.help.clone(),
    })?;
    if !template.contains("{{") {
        return Ok(value);
    }
    let (assigned, _) = crate::shell::entered::assigned(name, template);
    match self::script(&assigned, ctx, &Shell::Bash) {
        Ok(_) => Ok(value),
        Err(e) => Err(RenderError {
            message: format!(
                "`env.{name}` of {whose} is given to every command of the script, as if it began with `export {name}=\"{template}\"`: {}",
                e.message
            ),
            help: e.help,
        }),
    }
}

/// A text of `step` (instructions, a checklist item, the phrase): rendered, or as written
/// when the step says `templates: false`. (Its `env` values are always rendered.)
pub fn step_text(
    step: &crate::load::Step,
    template: &str,
    ctx: &Value,
) -> Result<String, RenderError> {
    if step.renders() {
        text(template, ctx)
    } else {
        Ok(template.to_string())
    }
}

pub fn script(template: &str, ctx: &Value, shell: &Shell) -> Result<Script, RenderError> {
    script_among(template, ctx, shell, "")
}

/// [`script`], where `elsewhere` is what the runbook's other steps do with the files this
/// one writes ([`crate::shell::elsewhere`]): read after the script, a value written
/// to a file that a later step sources is followed there.
fn script_among(
    template: &str,
    ctx: &Value,
    shell: &Shell,
    elsewhere: &str,
) -> Result<Script, RenderError> {
    let found = blocks(template).map_err(|e| RenderError {
        message: e.message,
        help: e.help,
    })?;
    let mut lexed = crate::template::placeholders(template);
    lexed.push_str(elsewhere);
    let mut out = Script {
        display: String::with_capacity(template.len()),
        script: String::with_capacity(template.len()),
        env: Vec::new(),
    };
    let mut at = 0;
    // The script with each value's place a variable that the script does not set, and the
    // values: for the floor under the flow model ([`crate::shell::unseen`]).
    let mut probe = String::with_capacity(template.len());
    let mut values: Vec<(&str, String)> = Vec::new();
    for block in found {
        let before = &template[at..block.outer.start];
        out.display.push_str(before);
        out.script.push_str(before);
        probe.push_str(before);
        let expr = &template[block.inner.clone()];
        let raw = is_raw(expr);
        let value = text_of(&eval(expr, ctx)?, expr)?;
        out.display.push_str(&value);
        if raw {
            out.script.push_str(&value);
            probe.push_str(&value);
        } else {
            values.push((expr.trim(), value.clone()));
            if !shell.is_posix() {
                return Err(RenderError {
                    message: format!("`{{{{{expr}}}}}` cannot be passed as data to a script of this shell"),
                    help: "set the value in the step's `env:` and read it from the environment in the script".into(),
                });
            }
            if value.len() > VALUE_MAX {
                return Err(too_long(expr, value.len()));
            }
            let name = format!("{VALUE_PREFIX}{}", out.env.len() + 1);
            let (text, passed, nested) =
                place(expr, &value, &name, &lexed, block.outer.clone(), shell)?;
            // Quoted for the shell that parses it again (`ssh h "… {{ v }}"`, through a
            // wrapper function's `"$@"`): literal text there. Elsewhere it may be copied.
            probe.push_str(if nested {
                crate::shell::unseen::PROBE_QUOTED
            } else {
                crate::shell::unseen::PROBE_VALUE
            });
            out.script.push_str(&text);
            if let Some(passed) = passed {
                out.env.push((name, passed));
            }
        }
        at = block.outer.end;
    }
    out.display.push_str(&template[at..]);
    out.script.push_str(&template[at..]);
    probe.push_str(&template[at..]);
    let values: Vec<(String, &str)> = values
        .iter()
        .map(|(expr, v)| (format!("`{{{{ {expr} }}}}`"), v.as_str()))
        .collect();
    if let Some(e) = crate::shell::environment::unseen_refusal(&probe, &values) {
        return Err(e.into());
    }
    Ok(out)
}

/// A value refused where a program would read it as a local file's name: it `says`
/// (`starts with `@``), and a value that `would` (`does not start with `@``) does not.
fn file_refusal(
    expr: &str,
    via: &str,
    plan: &crate::shell::Plan,
    says: &str,
    would: &str,
) -> RenderError {
    let what = plan.file_lead.map_or("", |l| l.what);
    RenderError {
        message: format!("`{expr}` {says}{via}: {what}"),
        help: format!(
            "give a value that {would} (a `pattern` on the input), or change the command as said"
        ),
    }
}

/// The text that stands for `value` at `placeholder` of the script, and the value to pass in
/// the variable `name` when the text reads it from there.
fn place(
    expr: &str,
    value: &str,
    name: &str,
    lexed: &str,
    placeholder: std::ops::Range<usize>,
    shell: &Shell,
) -> Result<(String, Option<String>, bool), RenderError> {
    let plan = crate::shell::plan(lexed, placeholder)
        .and_then(|p| crate::shell::check_dollar_single(&p, shell.has_dollar_single()).map(|()| p))
        .map_err(|u| RenderError {
            message: format!("`{{{{{expr}}}}}` cannot be passed as data: {}", u.why),
            help: u.help,
        })?;
    let expr = expr.trim();
    let nested = !plan.layers.is_empty();
    let via = plan.layers.last().map_or_else(String::new, |l| {
        format!(" inside the string that `{}` runs", l.construct)
    });
    let (mut text, passed) = match plan.slot {
        Slot::Quoted(Quoting::Arithmetic) => {
            // The shell evaluates arithmetic text as an expression, whatever the quotes and
            // even through a variable: only an integer is data there.
            let Ok(number) = value.parse::<i64>() else {
                return Err(not_an_integer(expr));
            };
            if number >= 0 {
                // Plain digits are the same as code and as data.
                (number.to_string(), None)
            } else if plan.env_travels && !nested {
                // By name, so that `1 -{{ n }}` reads as `1 - (-5)`, not `1 --5`.
                (name.to_string(), Some(number.to_string()))
            } else {
                (format!("({number})"), None)
            }
        }
        Slot::Name => {
            if plan.refusal(value, None).is_some() {
                return Err(not_a_name(expr, &via));
            }
            (value.to_string(), None)
        }
        Slot::Quoted(q)
        | Slot::SudoShell(q)
        | Slot::NoOption(q)
        | Slot::PlainWord(q)
        | Slot::PlainWords(q)
        | Slot::PlainLines(q)
        | Slot::NoSubscript(q) => {
            // The script splits words on other characters than white space (`IFS=,`): a
            // value with one of them is several words where one is checked.
            let split = crate::shell::flow::ifs_chars(lexed);
            if let Some(refusal) = plan.refusal(value, split.as_deref()) {
                use crate::shell::Refusal;
                return Err(match refusal {
                    Refusal::Split(c) => RenderError {
                    message: format!(
                        "`{expr}` holds `{c}`, and the script sets IFS to split words on it: the value would become several words where one is expected{via}"
                    ),
                    help: "give a value without it (a `pattern` on the input), or split it yourself in the script".into(),
                    },
                    Refusal::NotPlainWords => RenderError {
                    message: format!(
                        "`{expr}` must be plain words separated by spaces here{via}: the script splits it into words or lines (a `for` loop, `read` or `mapfile` line by line, `xargs -I{{}}`), and each stands where a program reads options or its command (`for h in $HOSTS; do ssh $h …`, `ssh -n \"$h\"`), where other text would run as code"
                    ),
                    help: "give words of letters, digits and `_ . / : @ , + = %`, none starting with `-` (a `pattern` on the input)".into(),
                    },
                    Refusal::NotPlainLines => RenderError {
                    message: format!(
                        "`{expr}` must be one plain word on each line here{via}: the script reads it line by line (`while read -r p`) into a variable that a string another shell parses expands, where each line stands alone, as one value would, and other text would run as code"
                    ),
                    help: "give one word of letters, digits and `_ . / : @ , + = %` on each line, none starting with `-` (a `pattern` on the input)".into(),
                    },
                    // (`it stands in a JSON string, …`: says itself what the character does.)
                    Refusal::EndsCode(c)
                        if plan.foreign.is_none()
                            || plan.code_end.as_ref().is_some_and(|(_, w)| w.starts_with("it ")) =>
                    {
                        let what = plan.code_end.as_ref().map_or("", |(_, w)| w.as_str());
                        let held = held(c);
                        RenderError {
                            message: format!("`{expr}` holds {held}{via}: {what}"),
                            help: format!("give a value without {held} (a `pattern` on the input)"),
                        }
                    }
                    Refusal::EndsCode(c) => {
                        let what = plan.code_end.as_ref().map_or("", |(_, w)| w.as_str());
                        let language = plan.foreign.map_or("the program", |f| f.language);
                        RenderError {
                    message: format!(
                        "`{expr}` holds {}, which would end {what}{via}: the rest of the value would be {language} code, {}",
                        match c {
                            '\n' => "a new line".to_string(),
                            c => format!("`{c}`"),
                        },
                        if language.contains("SQL") {
                            "which reads and changes data (and a client's own commands, sqlite3's `.shell` or psql's `\\!`, run a shell)".to_string()
                        } else {
                            format!("and {language} can run shell commands")
                        }
                    ),
                    help: plan.foreign.map_or_else(
                        || "give the input a `pattern` that refuses it".to_string(),
                        |f| f.help.to_string(),
                    ),
                        }
                    }
                    Refusal::NotPlainWord => match &plan.left {
                        Some(left) => RenderError {
                    message: format!(
                        "`{expr}` must be one plain word here{via}: it {left}; runbook does not follow the value there, so other text in it could run as code"
                    ),
                    help: "give a value of letters, digits and `_ . / : @ , + = %` (a `pattern` on the input), or pass it to what reads it as an argument or through the step's `env:` instead of through a file or a function's output".into(),
                        },
                        None => RenderError {
                    message: format!(
                        "`{expr}` must be one plain word here{via}: it may reach a string that another shell parses again (through a variable such a string expands, an argument of `sh -c 'eval \"$1\"'`, or of a program named by a variable, such as `$E` with `E=eval`), be split into the words of a command (an unquoted `$u` in `sudo -u $u id`, a `$(…)` naming the program), or be expanded again as a key (`[[ -v seen[…] ]]`), where other text would run as code"
                    ),
                    help: "give a value of letters, digits and `_ . / : @ , + = %` (a `pattern` on the input), quote the variable where the script expands it (`\"$u\"`), or put the `{{ }}` value in the string itself, where runbook keeps it data".into(),
                        },
                    },
                    Refusal::Subscript => RenderError {
                    message: format!(
                        "`{expr}` may not hold `[`, `]`, `$`, backquotes or parentheses here: the script assigns it to a variable that shell arithmetic evaluates, where a subscript runs code"
                    ),
                    help: "give a value without them (a `pattern` on the input), or use a variable of its own for it".into(),
                    },
                    Refusal::LeadingOption(c) => RenderError {
                    message: format!(
                        "`{expr}` starts with `{c}`, and stands where the program reads options, some of which run commands (`ssh -oProxyCommand=…`, `git -c core.sshCommand=…`, `find -exec`; `+cmd` of vim and less, `!` and `(` of find's expressions)"
                    ),
                    help: "check the value (a `pattern` that refuses a leading `-`, `+`, `!` or `(`), or put `--` before it where the program accepts it".into(),
                    },
                    // (`mail`'s body: a later line of the value starts with it.)
                    Refusal::LineReadsFile(start) => {
                        file_refusal(expr, &via, &plan, &format!("has a line starting with `{start}`"), &format!("has no line starting with `{start}`"))
                    }
                    Refusal::ReadsFile(start) => {
                        file_refusal(expr, &via, &plan, &format!("starts with `{start}`"), &format!("does not start with `{start}`"))
                    }
                    Refusal::NamesFile(c) => {
                        file_refusal(expr, &via, &plan, &format!("holds no `{c}`"), &format!("holds `{c}`"))
                    }
                    Refusal::Shape(c) => {
                        let what = plan.shape.map_or("", |s| s.what);
                        let held = held(c);
                        RenderError {
                            message: format!("`{expr}` holds {held}{via}: {what}"),
                            help: format!("give a value without {held} (a `pattern` on the input), or pass the value another way, as said"),
                        }
                    }
                    Refusal::ParentFolder => RenderError {
                        message: format!(
                            "`{expr}` holds `..` as a part of a path{via}: {}",
                            plan.no_parent.unwrap_or("it would reach a folder above the one written before it")
                        ),
                        help: "give a value without `..` (a `pattern` on the input), such as a name in that folder".into(),
                    },
                    Refusal::Widens(held) => {
                        let what = plan.wide.as_ref().map_or("", |w| w.what);
                        let says = match held {
                            Some(c) => format!("holds `{c}`"),
                            None if value.trim().is_empty() => "is empty".to_string(),
                            None => format!("is `{}`", value.trim()),
                        };
                        RenderError {
                            message: format!("`{expr}` {says}{via}: {what}"),
                            help: "give a value that names one thing (a `pattern` on the input, or `required: true` with no empty default)".into(),
                        }
                    }
                    Refusal::Control => RenderError {
                    message: format!(
                        "`{expr}` holds a new line, a tab, another control character or a letter outside ASCII, and reaches a string that another shell parses again through `${{…@Q}}` or `printf %q`{via}, which may write it as `$'…'`: `sh` (dash) and a login shell over `ssh` do not read that as quoting, so the value would not arrive as written, and with a `'` in it, part of it would run as code"
                    ),
                    help: "give a value of printable ASCII (a `pattern` on the input), or hand the string to `bash -c`, which reads `$'…'`".into(),
                    },
                    Refusal::SudoShell => RenderError {
                    message: format!(
                        "`{expr}` holds `$` or a new line, which the login shell of `sudo -i`/`sudo -s` expands or joins: it would not arrive as written"
                    ),
                    help: "run the command with `sudo` alone, or `sudo sh -c '…' sh VALUE`".into(),
                    },
                    // (Handled by the arms above.)
                    Refusal::NotInteger => not_an_integer(expr),
                    Refusal::NotName => not_a_name(expr, &via),
                });
            }
            if plan.env_travels {
                match reference(name, q) {
                    Some(r) => (r, Some(value.to_string())),
                    None => return Err(quoted_heredoc(expr, &via)),
                }
            } else {
                match literal(value, q) {
                    Some(l) => (l, None),
                    None if value.contains('\n') => return Err(new_line_in_heredoc(expr, &via)),
                    None => return Err(quoted_heredoc(expr, &via)),
                }
            }
        }
    };
    for layer in plan.layers.iter().rev() {
        text = encode(&text, layer.quoting).ok_or_else(|| new_line_in_heredoc(expr, &via))?;
    }
    Ok((text, passed, nested))
}

fn new_line_in_heredoc(expr: &str, via: &str) -> RenderError {
    RenderError {
        message: format!(
            "`{expr}` holds a new line, and stands in a here-document{via}, where a line of it could end the document"
        ),
        help: "capture one line (`capture: {var, pattern}`), or pass the value as an argument"
            .into(),
    }
}

fn quoted_heredoc(expr: &str, via: &str) -> RenderError {
    RenderError {
        message: format!("`{{{{{expr}}}}}` stands in a quoted here-document{via}, where no value can be passed as data"),
        help: "quote nothing in the delimiter (`<<EOF`, not `<<'EOF'`), or set the value in the step's `env:`".into(),
    }
}

fn not_a_name(expr: &str, via: &str) -> RenderError {
    RenderError {
        message: format!(
            "`{expr}` must be a variable name: `{{{{ {expr} }}}}` names a variable{via}, where other text may run as code"
        ),
        help: format!("give `{expr}` a name of letters, digits and `_`, not starting with a digit"),
    }
}

/// The longest value a command can be given: Linux refuses to start a program with an
/// environment string (`NAME=value`) over 128 KiB, and values travel in the environment.
pub const VALUE_MAX: usize = 128 * 1024 - 64;

/// The refusal of a value too long to pass to a command.
fn too_long(expr: &str, len: usize) -> RenderError {
    let name = expr.trim();
    RenderError {
        message: format!(
            "`{name}` holds {} KiB: a value passed to a command is at most {} KiB (the system's limit for one environment variable)",
            len.div_ceil(1024),
            VALUE_MAX / 1024
        ),
        help: "capture only the part the command needs (`capture: {var, pattern}`), or let the command that printed it write it to a file and read the file".into(),
    }
}

/// The refusal of a value that is not an integer in shell arithmetic.
fn not_an_integer(expr: &str) -> RenderError {
    let name = expr.trim();
    RenderError {
        message: format!(
            "`{name}` must be an integer: `{{{{ {name} }}}}` stands in shell arithmetic, where other text would run as code"
        ),
        help: format!(
            "give `{name}` a decimal integer such as `42` or `-1`, or move `{{{{ {name} }}}}` out of the arithmetic"
        ),
    }
}

fn is_raw(expr: &str) -> bool {
    expr.rsplit('|')
        .next()
        .is_some_and(|last| last.trim() == "raw")
        && expr.contains('|')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(value: &str) -> Value {
        Value::from(minijinja::value::Serde(
            serde_json::json!({"vars": {"ip": value}, "inputs": {"n": 3}}),
        ))
    }

    /// Runs the rendered script in bash and returns what it printed.
    fn run_bash(s: &Script) -> String {
        let out = std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &s.script])
            .envs(s.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    #[test]
    fn values_are_data_in_every_position() {
        let evil = "10.1.2.3; touch /tmp/rb-pwned $(touch /tmp/rb-pwned2) `id` \"' \n\\ $HOME";
        for template in [
            "printf '%s' {{ vars.ip }}",
            "printf '%s' \"{{ vars.ip }}\"",
            "printf '%s' '{{ vars.ip }}'",
            "printf '%s' \"ip={{ vars.ip }}!\"",
            "printf '%s' 'ip={{ vars.ip }}!'",
            "printf '%s' $'ip={{ vars.ip }}!'",
            "printf '%s' \"$(printf '%s' {{ vars.ip }})\"",
            "cat <<EOF\n{{ vars.ip }}\nEOF",
        ] {
            let s = script(template, &ctx(evil), &Shell::Bash).unwrap();
            assert!(!s.script.contains("touch"), "{template}: {}", s.script);
            let printed = run_bash(&s);
            assert!(
                printed.contains(evil.trim_end_matches('\n')) || printed.contains(evil),
                "{template}: {printed:?}"
            );
            assert!(!std::path::Path::new("/tmp/rb-pwned").exists());
            assert!(!std::path::Path::new("/tmp/rb-pwned2").exists());
            assert!(s.display.contains(evil));
        }
    }

    /// Values that run code if any shell on their way parses them.
    fn hostile(marker: &str) -> Vec<String> {
        vec![
            format!("$(touch {marker}1)"),
            format!("`touch {marker}2`"),
            format!("a'; touch {marker}3; echo '"),
            format!("a\"; touch {marker}4; echo \""),
            format!("x\\\"$(touch {marker}5)\\"),
            format!("line 1\n touch {marker}6\n"),
            "-n".to_string(),
            format!("-e $'\\x41' ${{IFS}} *; touch {marker}7"),
            String::new(),
        ]
    }

    #[test]
    fn values_are_data_in_strings_that_other_shells_parse_again() {
        let marker = "/tmp/rb-nested-pwned-";
        for template in [
            "eval \"printf '[%s]' {{ vars.ip }}\"",
            "eval printf \"'[%s]'\" {{ vars.ip }}",
            "eval 'printf \"[%s]\" {{ vars.ip }}'",
            "sh -c \"printf '[%s]' {{ vars.ip }}\"",
            "bash -c 'printf \"[%s]\" {{ vars.ip }}'",
            "sh -c \"printf '[%s]' \\\"{{ vars.ip }}\\\"\"",
            "sh -c \"printf '[%s]' 'x{{ vars.ip }}y'\" | cut -c2- | rev | cut -c2- | rev | sed 's/^/[/;s/$/]/' | tr -d '\\n' | sed 's/^\\[\\[/[/;s/\\]\\]$/]/'",
            "bash -c \"sh -c 'printf \\\"[%s]\\\" {{ vars.ip }}'\"",
            "env -i sh -c \"printf '[%s]' {{ vars.ip }}\"",
            "env -i sh -c \"sh -c 'printf \\\"[%s]\\\" {{ vars.ip }}'\"",
            "timeout 5 nice -n 1 bash -c 'printf \"[%s]\" \"{{ vars.ip }}\"'",
            "echo | xargs sh -c 'printf \"[%s]\" {{ vars.ip }}'",
            "find /dev/null -maxdepth 0 -exec sh -c 'printf \"[%s]\" {{ vars.ip }}' \\;",
            "flock /tmp/rb-nested-lock -c 'printf \"[%s]\" {{ vars.ip }}'",
            "bash <<EOF\nprintf '[%s]' {{ vars.ip }}\nEOF",
            "bash <<'EOF'\nprintf '[%s]' {{ vars.ip }}\nEOF",
            "cat <<EOF | sh\nprintf '[%s]' {{ vars.ip }}\nEOF",
            "echo \"printf '[%s]' {{ vars.ip }}\" | sh",
            "declare -a \"hosts=({{ vars.ip }})\"; printf '[%s]' \"${hosts[@]}\"",
            "bash -c \"printf '[%s]' \\$'{{ vars.ip }}'\"",
        ] {
            for value in hostile(marker) {
                // Some constructs cannot carry every value (a new line in a here-document
                // fed to a shell without the environment): refused, never run.
                let Ok(s) = script(template, &ctx(&value), &Shell::Bash) else {
                    continue;
                };
                let printed = run_bash(&s);
                let expected = format!("[{value}]");
                if template.contains("cut -c2-") {
                    continue; // only that nothing runs
                }
                assert_eq!(printed, expected, "{template} with {value:?}: {}", s.script);
                assert!(s.display.contains(&value));
            }
        }
        for n in 1..=7 {
            let path = format!("{marker}{n}");
            assert!(!std::path::Path::new(&path).exists(), "{path} was created");
        }
    }

    #[test]
    fn strings_that_cannot_be_followed_are_refused() {
        for (template, says) in [
            ("sh -c \"$(echo {{ vars.ip }})\"", "command substitution"),
            ("sh -c \"echo ${X:-{{ vars.ip }}}\"", "an expansion"),
            ("sh -c \"echo '{{ vars.ip }}\"", "unclosed quote"),
            ("echo -e \"{{ vars.ip }}\" | bash", "down the pipe"),
            (
                "printf '%s' \"{{ vars.ip }}\" | tee /dev/null | sh",
                "down the pipe",
            ),
            ("x=`sh -c \"echo {{ vars.ip }}\"`", "backquotes"),
            ("$SH -c \"echo {{ vars.ip }}\"", "named by a variable"),
            ("bash <(echo \"{{ vars.ip }}\")", "process substitution"),
            (
                "ssh -o ProxyCommand=\"nc {{ vars.ip }} 22\" h true",
                "ssh option",
            ),
        ] {
            let err = script(template, &ctx("x"), &Shell::Bash).unwrap_err();
            assert!(err.message.contains(says), "{template}: {}", err.message);
            assert!(
                err.message.contains("cannot be passed as data"),
                "{}",
                err.message
            );
        }
        // A value that names a variable must be a name.
        let err = script("read -r {{ vars.ip }}", &ctx("a[$(id)]"), &Shell::Bash).unwrap_err();
        assert!(
            err.message.contains("must be a variable name"),
            "{}",
            err.message
        );
        let s = script(
            "read -r {{ vars.ip }} <<<5; echo $n",
            &ctx("n"),
            &Shell::Bash,
        )
        .unwrap();
        assert_eq!(run_bash(&s), "5\n");
        // A value assigned to a variable the script uses in arithmetic, or reads as a name.
        for template in [
            "n={{ vars.ip }}; echo $(( n + 1 ))",
            "n=\"{{ vars.ip }}\"; if (( n > 3 )); then :; fi",
            "read -r n <<< \"{{ vars.ip }}\"; echo $(( n ))",
            "{ declare -i n; }; n={{ vars.ip }}",
            "declare -i n; printf -v n %s \"{{ vars.ip }}\"",
            "sh -c 'n={{ vars.ip }}; echo $((n))'",
        ] {
            let err = script(template, &ctx("a[$(id)]"), &Shell::Bash).unwrap_err();
            assert!(
                err.message.contains("may not hold") || err.message.contains("must be an integer"),
                "{template}: {}",
                err.message
            );
            let ok = script(template, &ctx("5"), &Shell::Bash).unwrap();
            assert!(!ok.script.contains("a[$("), "{template}");
        }
        for template in [
            "x={{ vars.ip }}; echo \"${!x}\"",
            "declare -n r={{ vars.ip }}",
        ] {
            let err = script(template, &ctx("a[$(id)]"), &Shell::Bash).unwrap_err();
            assert!(
                err.message.contains("variable name"),
                "{template}: {}",
                err.message
            );
        }
        // Second audit: arrays, options that run commands, shells the lists missed, values
        // that reach a re-parsed string or arithmetic through a variable.
        for (template, value, says) in [
            ("declare -a x=\"{{ vars.ip }}\"", "(a)", "declare -a"),
            (
                "ssh {{ vars.ip }} uptime",
                "-oProxyCommand=id",
                "starts with `-`",
            ),
            ("git {{ vars.ip }} status", "-c", "starts with `-`"),
            (
                "$'\\x73h' -c \"echo {{ vars.ip }}\"",
                "x",
                "named by a variable",
            ),
            (
                "exec 3<<EOF\necho {{ vars.ip }}\nEOF\nbash <&3",
                "x",
                "`exec`",
            ),
            (
                "cat <<EOF | tee >(bash) >/dev/null\necho {{ vars.ip }}\nEOF",
                "x",
                "pipe",
            ),
            (
                "cmd=\"echo {{ vars.ip }}\"; eval \"$cmd\"",
                "x; id",
                "one plain word",
            ),
            (
                "DIR={{ vars.ip }}; ssh h \"cd $DIR\"",
                "/x $(id)",
                "one plain word",
            ),
            ("fish -c \"echo {{ vars.ip }}\"", "x", "fish"),
            (
                "f() { sh -c \"$1\"; }; f \"echo {{ vars.ip }}\"",
                "x;id",
                "one plain word",
            ),
        ] {
            let err = script(template, &ctx(value), &Shell::Bash).unwrap_err();
            assert!(err.message.contains(says), "{template}: {}", err.message);
        }
        // Ordinary values in the same scripts go through (third audit: loop counters,
        // retry helpers, a service name given to ssh through a variable).
        for (template, value) in [
            (
                "for ((i=0;i<3;i++)); do :; done\nfor i in {{ vars.ip }}; do echo \"$i\"; done",
                "web-1",
            ),
            (
                "retry() { local n=$1; shift; for ((i=0;i<n;i++)); do \"$@\" && return; done; }; retry 3 curl -fsS {{ vars.ip }}",
                "https://example.com/health",
            ),
            (
                "SVC={{ vars.ip }}\nssh web-1 \"sudo systemctl restart $SVC\"",
                "nginx",
            ),
            ("DIR={{ vars.ip }}; ssh web-1 \"ls $DIR\"", "/var/log"),
            ("cmd=\"echo {{ vars.ip }}\"; eval \"$cmd\"", "hello"),
        ] {
            assert!(
                script(template, &ctx(value), &Shell::Bash).is_ok(),
                "{template} with {value}"
            );
        }
        let err = script("echo $'x{{ vars.ip }}'", &ctx("v"), &Shell::Sh).unwrap_err();
        assert!(err.message.contains("dash"), "{}", err.message);
        assert!(script("ssh {{ vars.ip }} uptime", &ctx("web-1"), &Shell::Bash).is_ok());
        for (template, expected) in [
            (
                "chroot / bash -o pipefail -c \"printf '[%s]' {{ vars.ip }}\"",
                "'\\$(id)'",
            ),
            (
                "sudo FOO=1 bash -e -c \"printf '[%s]' {{ vars.ip }}\"",
                "'\\$(id)'",
            ),
            (
                "rbash -c \"printf '[%s]' {{ vars.ip }}\"",
                "\\\"\\${RUNBOOK_VALUE_1}\\\"",
            ),
        ] {
            // Followed into the inner shell: quoted into its text, or a reference it expands.
            let s = script(template, &ctx("$(id)"), &Shell::Bash).unwrap();
            assert!(s.script.contains(expected), "{template}: {}", s.script);
        }
        for template in [
            "n={{ vars.ip }}; m=$n; echo $(( m + 1 ))",
            "set -- {{ vars.ip }}; echo $(( $1 + 1 ))",
            "f(){ echo $(( $1 + 1 )); }; f {{ vars.ip }}",
            "while read -r n; do echo $(( n + 1 )); done <<< \"{{ vars.ip }}\"",
            "export N={{ vars.ip }}; bash -c 'echo $((N+1))'",
            "N={{ vars.ip }} bash -c 'echo $((N+1))'",
            "bash -c 'n=\"$1\"; echo $(( n + 1 ))' _ \"{{ vars.ip }}\"",
            "n=\"{{ vars.ip }}\"; eval 'echo $(( n + 1 ))'",
            "n=\"{{ vars.ip }}\"; a=(1); [ -v \"a[$n]\" ]",
        ] {
            let err = script(template, &ctx("a[$(id)]"), &Shell::Bash).unwrap_err();
            assert!(
                err.message.contains("may not hold") || err.message.contains("must be an integer"),
                "{template}: {}",
                err.message
            );
            // A host name in the same script goes through.
            assert!(
                script(template, &ctx("web-1"), &Shell::Bash).is_ok(),
                "{template}"
            );
        }
        // `sudo -i` lets its login shell expand `$`.
        assert!(script("sudo -i ls {{ vars.ip }}", &ctx("$HOME"), &Shell::Bash).is_err());
    }

    #[test]
    fn a_value_too_long_for_the_environment_is_refused_before_the_command_starts() {
        let fits = "x".repeat(VALUE_MAX);
        let s = script(
            "printf '%s' {{ vars.ip }} | wc -c",
            &ctx(&fits),
            &Shell::Bash,
        )
        .unwrap();
        assert_eq!(run_bash(&s).trim(), VALUE_MAX.to_string());
        let long = "x".repeat(200 * 1024);
        let err = script("echo {{ vars.ip }}", &ctx(&long), &Shell::Bash).unwrap_err();
        assert!(
            err.message.contains("`vars.ip` holds 200 KiB"),
            "{}",
            err.message
        );
        assert!(err.help.contains("capture only the part"), "{}", err.help);
    }

    /// `IFS=, read -ra hosts <<< "{{ v }}"` then a loop over `"${hosts[@]}"`: splitting is
    /// what the line is for; each word is checked by itself (ninth audit: a false refusal).
    #[test]
    fn a_list_split_on_ifs_is_checked_word_by_word() {
        let template = "IFS=, read -ra hosts <<< \"{{ vars.ip }}\"\nfor h in \"${hosts[@]}\"; do ssh \"$h\" uptime; done";
        for good in ["web1,web2", "web-1.example.com,web-2.example.com"] {
            assert!(script(template, &ctx(good), &Shell::Bash).is_ok(), "{good}");
        }
        for bad in ["web1,-oProxyCommand=touch x", "web1,$(id)", "web1,a;b"] {
            assert!(script(template, &ctx(bad), &Shell::Bash).is_err(), "{bad}");
        }
        // Where one word is expected, a value that IFS splits is still refused.
        let one = "IFS=,\nh=\"{{ vars.ip }}\"\nssh h \"uptime $h\"";
        assert!(script(one, &ctx("a,b"), &Shell::Bash).is_err());
    }

    #[test]
    fn a_value_in_a_pattern_matches_itself() {
        for (template, value, printed) in [
            (
                "x=abc; printf '%s' \"[${x/{{ vars.ip }}/Z}]\"",
                "*",
                "[abc]",
            ),
            (
                "x=abc; printf '%s' \"[${x/{{ vars.ip }}/Z}]\"",
                "b",
                "[aZc]",
            ),
            (
                "x=abc; printf '%s' \"[${x/b/{{ vars.ip }}}]\"",
                "&&",
                "[a&&c]",
            ),
            ("x=abc; printf '%s' [${x#{{ vars.ip }}}]", "?", "[abc]"),
            ("x='a*c'; printf '%s' \"[${x%{{ vars.ip }}}]\"", "*c", "[a]"),
        ] {
            let s = script(template, &ctx(value), &Shell::Bash).unwrap();
            assert_eq!(
                run_bash(&s),
                printed,
                "{template} with {value:?}: {}",
                s.script
            );
        }
    }

    #[test]
    fn variables_used_in_arithmetic_hold_integers() {
        let env = |v: &str| {
            vec![
                ("N".to_string(), v.to_string()),
                ("S".to_string(), "x y".to_string()),
            ]
        };
        assert!(arithmetic_env("echo $(( N + 1 )) $S", env("41"), &[]).is_ok());
        let err = arithmetic_env("echo $(( N + 1 ))", env("a[$(id)]"), &[]).unwrap_err();
        assert!(
            err.message.contains("`$N` is used in shell arithmetic"),
            "{}",
            err.message
        );
        assert!(arithmetic_env("[[ $N -gt 3 ]]", env("a[$(id)]"), &[]).is_err());
        assert!(arithmetic_env("echo \"$N\"", env("a[$(id)]"), &[]).is_ok());
        // Inside a string another shell parses again: one plain word only.
        for script in ["sh -c \"echo $N\"", "ssh h \"ls $N\"", "eval \"echo $N\""] {
            assert!(
                arithmetic_env(script, env("$(id)"), &[]).is_err(),
                "{script}"
            );
            assert!(
                arithmetic_env(script, env("db-1.example"), &[]).is_ok(),
                "{script}"
            );
            assert!(
                arithmetic_env(script, env("$(id)"), &["N".into()]).is_ok(),
                "{script}"
            );
        }
        assert!(arithmetic_env("sh -c 'echo \"$N\"'", env("$(id)"), &[]).is_ok());
        // Through a command substitution on its way there: the floor refuses a value that
        // is not plain words, and lets plain words through.
        let through = "s=$(echo \"$N\" | tr a b)\neval \"echo $s\"";
        assert!(arithmetic_env(through, env("x;y"), &[]).is_err());
        assert!(arithmetic_env(through, env("x y"), &[]).is_ok());
        // Decoded, plain words may be code: the floor refuses what no rule follows.
        let err = arithmetic_env("s=$(base64 -d <<< \"$N\")\nssh $s uptime", env("eA=="), &[])
            .unwrap_err();
        assert!(err.message.contains("decodes"), "{}", err.message);
        // The output of a command given the value is not the value changed.
        assert!(
            arithmetic_env(
                "pid=$(ssh \"$N\" pgrep -o nginx)\nssh \"$N\" \"kill -HUP $pid\"",
                env("web-1"),
                &[]
            )
            .is_ok()
        );
        assert!(arithmetic_env("s=$(echo \"$N\")\necho \"$s\"", env("x y"), &[]).is_ok());
    }

    #[test]
    fn raw_text_conditions_and_errors() {
        let s = script("echo {{ inputs.n | raw }}", &ctx("x"), &Shell::Bash).unwrap();
        assert_eq!(s.script, "echo 3");
        assert_eq!(text("n={{ inputs.n }}", &ctx("x")).unwrap(), "n=3");
        assert!(condition("inputs.n > 2", &ctx("x")).unwrap());
        assert!(text("{{ vars.nope }}", &ctx("x")).is_err());
        assert!(
            script(
                "print({{ vars.ip }})",
                &ctx("x"),
                &Shell::Command(vec!["python3".into(), "-c".into()])
            )
            .is_err()
        );
        assert!(script("cat <<'EOF'\n{{ vars.ip }}\nEOF", &ctx("x"), &Shell::Bash).is_err());
        // A POSIX shell given as a list is a POSIX shell.
        let listed = Shell::Command(vec!["/bin/bash".into(), "-eu".into(), "-c".into()]);
        assert!(script("echo {{ vars.ip }}", &ctx("x"), &listed).is_ok());
    }

    /// Templates with `{{ vars.ip }}` in each kind of shell arithmetic.
    const ARITHMETIC: [&str; 18] = [
        "echo $(( {{ vars.ip }} + 1 ))",
        "echo \"$(( {{ vars.ip }} + 1 ))\"",
        "(( x = {{ vars.ip }} )); echo $x",
        "echo $[ {{ vars.ip }} ]",
        "let 'y = {{ vars.ip }}'; echo $y",
        "a=(0 1); echo ${a[{{ vars.ip }}]}",
        "a=(0 1); echo \"${a[{{ vars.ip }}]}\"",
        "a=(); a[{{ vars.ip }}]=x",
        "a=(0 1); unset 'a[{{ vars.ip }}]'",
        "s=abc; echo ${s:{{ vars.ip }}}",
        "[[ {{ vars.ip }} -gt 5 ]] || echo small",
        "[[ 5 -le \"{{ vars.ip }}\" ]] || echo small",
        "cat <<EOF\n$(( {{ vars.ip }} ))\nEOF",
        "seen=(); [ -v \"seen[{{ vars.ip }}]\" ] || echo small",
        "a=([{{ vars.ip }}]=1); echo ${!a[@]}",
        "declare -a \"h=([{{ vars.ip }}]=1)\"; echo ${!h[@]}",
        "sh -c 'echo $(( {{ vars.ip }} ))'",
        "bash -c \"a=(); a[{{ vars.ip }}]=1; echo \\${!a[@]}\"",
    ];

    #[test]
    fn arithmetic_refuses_anything_but_an_integer() {
        let marker = "/tmp/rb-arith-pwned";
        let evil = format!("a[$(touch {marker})]");
        for template in ARITHMETIC {
            for value in [
                evil.as_str(),
                "1+1",
                "x",
                "",
                " 3",
                "3.0",
                "0x10",
                "99999999999999999999",
            ] {
                let err = script(template, &ctx(value), &Shell::Bash)
                    .expect_err(&format!("{template} accepted {value:?}"));
                assert_eq!(
                    err.message,
                    "`vars.ip` must be an integer: `{{ vars.ip }}` stands in shell arithmetic, where other text would run as code",
                    "{template}"
                );
                assert!(err.help.contains("decimal integer"), "{}", err.help);
            }
        }
        assert!(!std::path::Path::new(marker).exists());
        // `| raw` opts out, as everywhere.
        assert!(script("echo $(( {{ vars.ip | raw }} ))", &ctx("1+1"), &Shell::Bash).is_ok());
    }

    #[test]
    fn integers_in_arithmetic_are_accepted() {
        let expected = [
            ("8", "-4", "4"),
            ("8", "-4", "4"),
            ("7", "-5", "3"),
            ("7", "-5", "3"),
            ("7", "-5", "3"),
            ("", "", ""),
            ("", "", ""),
            ("", "", ""),
            ("", "", ""),
            ("", "", ""),
            ("", "small", "small"),
            ("", "small", "small"),
            ("7", "-5", "3"),
            ("small", "", "small"),
            ("7", "", "3"),
            ("7", "", "3"),
            ("7", "-5", "3"),
            ("7", "", "3"),
        ];
        for (template, (seven, minus_five, padded)) in ARITHMETIC.iter().zip(expected) {
            for (value, printed) in [("7", seven), ("-5", minus_five), ("+003", padded)] {
                let s = script(template, &ctx(value), &Shell::Bash).unwrap();
                assert_eq!(run_bash(&s).trim_end(), printed, "{template} with {value}");
                assert!(s.display.contains(value), "{}", s.display);
            }
        }
        for (template, printed) in [
            ("echo $(( 1 -{{ vars.ip }} ))", "6"),
            ("a=(0 1 2 3 4 5 6 7); echo ${a[{{ vars.ip }}]}", "3"),
            ("s=abcdefgh; echo ${s:{{ vars.ip }}}", "defgh"),
            ("a=(); a[{{ vars.ip }}+10]=x; echo ${!a[@]}", "5"),
            ("[[ {{ vars.ip }} -lt 0 ]] && echo negative", "negative"),
        ] {
            let s = script(template, &ctx("-5"), &Shell::Bash).unwrap();
            assert_eq!(run_bash(&s).trim_end(), printed, "{template}");
        }
    }

    #[test]
    fn a_shift_in_arithmetic_is_not_a_here_document() {
        let value = "a  b *.yaml";
        let template = "echo $(( 1 << 2 ))\nprintf '[%s]' {{ vars.ip }}; echo";
        let s = script(template, &ctx(value), &Shell::Bash).unwrap();
        assert_eq!(run_bash(&s), format!("4\n[{value}]\n"));
    }

    /// A templated `env:` value is checked as an `export NAME="…"` would be: a variable that
    /// picks what runs holds no `..` part and no `:`; another holds what it likes.
    #[test]
    fn a_templated_env_value_is_checked_as_its_export() {
        let path = "/usr/lib/{{ vars.ip }}/bin:/usr/bin";
        for bad in ["../../tmp/evil", "x:/tmp/evil"] {
            let e = env_value("step `s`", "PATH", path, &ctx(bad)).unwrap_err();
            assert!(
                e.message.contains("`env.PATH` of step `s`"),
                "{bad}: {}",
                e.message
            );
        }
        for (name, template, bad) in [
            ("KUBECONFIG", "/etc/kube/{{ vars.ip }}.conf", "../../tmp/kc"),
            ("PYTHONPATH", "{{ vars.ip }}", "a:/tmp"),
            ("GIT_EXEC_PATH", "/opt/git/{{ vars.ip }}", ".."),
        ] {
            assert!(
                env_value("the runbook", name, template, &ctx(bad)).is_err(),
                "{name}"
            );
        }
        assert_eq!(
            env_value("step `s`", "PATH", path, &ctx("tools-1.2")).unwrap(),
            "/usr/lib/tools-1.2/bin:/usr/bin"
        );
        let note = "a: b $(touch x) ..";
        assert_eq!(
            env_value("step `s`", "NOTE", "{{ vars.ip }}", &ctx(note)).unwrap(),
            note
        );
    }
}
