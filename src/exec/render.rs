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
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct RenderError {
    pub message: String,
    pub help: String,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_filter("raw", |v: Value| v);
        env
    })
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

/// Prefix of the variables that carry substituted values into a script.
pub const VALUE_PREFIX: &str = "RUNBOOK_VALUE_";

/// Renders a script for `shell`, each value passed as data.
pub fn script(template: &str, ctx: &Value, shell: &Shell) -> Result<Script, RenderError> {
    let found = blocks(template).map_err(|e| RenderError {
        message: e.message,
        help: e.help,
    })?;
    let lexed = crate::lint::shellcheck::placeholders(template);
    let mut out = Script {
        display: String::with_capacity(template.len()),
        script: String::with_capacity(template.len()),
        env: Vec::new(),
    };
    let mut at = 0;
    for block in found {
        let before = &template[at..block.outer.start];
        out.display.push_str(before);
        out.script.push_str(before);
        let expr = &template[block.inner.clone()];
        let raw = is_raw(expr);
        let value = text_of(&eval(expr, ctx)?, expr)?;
        out.display.push_str(&value);
        if raw {
            out.script.push_str(&value);
        } else {
            if !shell.is_posix() {
                return Err(RenderError {
                    message: format!("`{{{{{expr}}}}}` cannot be passed as data to a script of this shell"),
                    help: "set the value in the step's `env:` and read it from the environment in the script".into(),
                });
            }
            let name = format!("{VALUE_PREFIX}{}", out.env.len() + 1);
            let reference = match context_at(&lexed, block.outer.start) {
                Quoting::Bare => format!("\"${{{name}}}\""),
                Quoting::Double | Quoting::Heredoc => format!("${{{name}}}"),
                Quoting::Single => format!("'\"${{{name}}}\"'"),
                Quoting::DollarSingle => format!("'\"${{{name}}}\"$'"),
                Quoting::QuotedHeredoc => {
                    return Err(RenderError {
                        message: format!("`{{{{{expr}}}}}` stands in a quoted here-document, where no value can be passed as data"),
                        help: "quote nothing in the delimiter (`<<EOF`, not `<<'EOF'`), or set the value in the step's `env:`".into(),
                    });
                }
            };
            out.script.push_str(&reference);
            out.env.push((name, value));
        }
        at = block.outer.end;
    }
    out.display.push_str(&template[at..]);
    out.script.push_str(&template[at..]);
    Ok(out)
}

fn is_raw(expr: &str) -> bool {
    expr.rsplit('|')
        .next()
        .is_some_and(|last| last.trim() == "raw")
        && expr.contains('|')
}

/// The quoting context at a position of a POSIX shell script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    Bare,
    Double,
    Single,
    DollarSingle,
    Heredoc,
    QuotedHeredoc,
}

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Bare,
    Double,
    Single,
    DollarSingle,
    /// `$(…)`: bare text until the matching `)`.
    Subst,
    Backtick,
    Comment,
}

/// Scans the script up to `offset` and says how the text there is quoted. The script must
/// not contain template blocks (they are replaced by placeholders first).
pub fn context_at(script: &str, offset: usize) -> Quoting {
    let bytes = script.as_bytes();
    let mut stack = vec![Frame::Bare];
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        let c = bytes[i];
        let top = *stack.last().unwrap_or(&Frame::Bare);
        match top {
            Frame::Single => {
                if c == b'\'' {
                    stack.pop();
                }
            }
            Frame::DollarSingle => {
                if c == b'\\' {
                    i += 1;
                } else if c == b'\'' {
                    stack.pop();
                }
            }
            Frame::Comment => {
                if c == b'\n' {
                    stack.pop();
                    continue; // the newline may start here-document bodies
                }
            }
            Frame::Double => match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'$' if bytes.get(i + 1) == Some(&b'(') => {
                    stack.push(Frame::Subst);
                    i += 1;
                }
                b'`' => stack.push(Frame::Backtick),
                _ => {}
            },
            Frame::Bare | Frame::Subst | Frame::Backtick => match c {
                b'\\' => i += 1,
                b'\'' => stack.push(Frame::Single),
                b'"' => stack.push(Frame::Double),
                b'$' if bytes.get(i + 1) == Some(&b'\'') => {
                    stack.push(Frame::DollarSingle);
                    i += 1;
                }
                b'$' if bytes.get(i + 1) == Some(&b'(') => {
                    stack.push(Frame::Subst);
                    i += 1;
                }
                b'`' if top == Frame::Backtick => {
                    stack.pop();
                }
                b'`' => stack.push(Frame::Backtick),
                b')' if top == Frame::Subst => {
                    stack.pop();
                }
                b'#' if i == 0
                    || bytes[i - 1].is_ascii_whitespace()
                    || b";&|(".contains(&bytes[i - 1]) =>
                {
                    stack.push(Frame::Comment)
                }
                b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                    let mut j = i + 2;
                    if bytes.get(j) == Some(&b'-') {
                        j += 1;
                    }
                    while bytes.get(j).is_some_and(|b| *b == b' ' || *b == b'\t') {
                        j += 1;
                    }
                    let start = j;
                    while bytes
                        .get(j)
                        .is_some_and(|b| !b.is_ascii_whitespace() && !b";&|<>()".contains(b))
                    {
                        j += 1;
                    }
                    let word = &script[start..j];
                    if !word.is_empty() {
                        let quoted = word.contains(['\'', '"', '\\']);
                        let delimiter: String = word
                            .chars()
                            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                            .collect();
                        pending_heredocs.push((delimiter, quoted));
                        i = j;
                        continue;
                    }
                }
                b'\n' if !pending_heredocs.is_empty() => {
                    // Here-document bodies start on the next line, one after the other.
                    let mut at = i + 1;
                    for (delimiter, quoted) in std::mem::take(&mut pending_heredocs) {
                        loop {
                            let end = script[at..].find('\n').map_or(script.len(), |n| at + n);
                            if offset >= at && offset <= end {
                                return if quoted {
                                    Quoting::QuotedHeredoc
                                } else {
                                    Quoting::Heredoc
                                };
                            }
                            let line = &script[at..end];
                            at = (end + 1).min(script.len());
                            if line.trim_start_matches('\t') == delimiter || end >= script.len() {
                                break;
                            }
                        }
                    }
                    i = at;
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    match stack.last() {
        Some(Frame::Double) => Quoting::Double,
        Some(Frame::Single) => Quoting::Single,
        Some(Frame::DollarSingle) => Quoting::DollarSingle,
        _ => Quoting::Bare,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_contexts() {
        let cases = [
            ("echo X", Quoting::Bare),
            ("echo \"a X", Quoting::Double),
            ("echo 'a X", Quoting::Single),
            ("echo $'a X", Quoting::DollarSingle),
            ("echo \"$(ls X", Quoting::Bare),
            ("echo \"$(ls \"X", Quoting::Double),
            ("echo 'a' X", Quoting::Bare),
            ("echo \"it's X", Quoting::Double),
            ("echo \\' X", Quoting::Bare),
            ("cat <<EOF\nX", Quoting::Heredoc),
            ("cat <<'EOF'\nX", Quoting::QuotedHeredoc),
            ("cat <<EOF\na\nEOF\necho X", Quoting::Bare),
            ("# it's a comment\necho X", Quoting::Bare),
            ("echo `ls 'X", Quoting::Single),
        ];
        for (script, expected) in cases {
            let offset = script.find('X').unwrap();
            assert_eq!(context_at(script, offset), expected, "{script:?}");
        }
    }

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
    }
}
