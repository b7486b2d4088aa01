//! What a run knows at a given moment: inputs, variables, environment, step results. Built
//! step by step by the executor, and (for `resume`) rebuilt by replaying the journal.

use super::inputs::InputValue;
use super::journal::StepStatus;
use minijinja::Value;
use minijinja::value::{Enumerator, Object};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct RunState {
    pub inputs: BTreeMap<String, InputValue>,
    /// Shared with the template contexts made from this state; changed copy-on-write
    /// (`Arc::make_mut`), so a context costs the same at the 1,000th step as at the first.
    pub vars: Arc<BTreeMap<String, String>>,
    /// The `vars` that hold a map as JSON text (`capture` on a step with `on:`: host →
    /// value): templates read them as maps (`{{ vars.version['web-1'] }}`).
    pub maps: Arc<std::collections::BTreeSet<String>>,
    /// Set for every later step: the runbook's `env`, and what steps wrote to `$RUNBOOK_ENV`.
    pub env: Arc<BTreeMap<String, String>>,
    pub steps: Arc<BTreeMap<String, (StepStatus, Option<i32>)>>,
    pub run_id: String,
    pub operator: String,
    pub mode: String,
    /// In a step with `for_each`: the item of this iteration (`{{ item }}`).
    pub item: Option<String>,
}

impl RunState {
    /// The template context (SPEC §2.5); `output` only inside `wait.until`. Built directly
    /// as template values: this runs several times per step.
    pub fn context(&self, output: Option<&str>) -> Value {
        let inputs: BTreeMap<&str, Value> = self
            .inputs
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    InputValue::Str(s) => Value::from(s.as_str()),
                    InputValue::Int(i) => Value::from(*i),
                    InputValue::Bool(b) => Value::from(*b),
                };
                (k.as_str(), v)
            })
            .collect();
        let run: BTreeMap<&str, Value> = BTreeMap::from([
            ("id", Value::from(self.run_id.as_str())),
            ("operator", Value::from(self.operator.as_str())),
            ("mode", Value::from(self.mode.as_str())),
        ]);
        let mut ctx: BTreeMap<&str, Value> = BTreeMap::from([
            ("inputs", Value::from(inputs)),
            (
                "vars",
                Value::from_object(Namespace::Vars(self.vars.clone(), self.maps.clone())),
            ),
            (
                "steps",
                Value::from_object(Namespace::Steps(self.steps.clone())),
            ),
            ("env", Value::from_object(Namespace::Env(self.env.clone()))),
            ("run", Value::from(run)),
        ]);
        if let Some(output) = output {
            ctx.insert("output", Value::from(output));
        }
        if let Some(item) = &self.item {
            ctx.insert("item", Value::from(item.as_str()));
        }
        Value::from(ctx)
    }
}

/// Sets the environment every step starts from: each input with `env: NAME` as `$NAME`,
/// then the runbook's `env` (rendered). Kept under what steps wrote to `$RUNBOOK_ENV`.
pub fn start_env(
    rb: &crate::load::Runbook,
    state: &mut RunState,
) -> Result<(), super::render::RenderError> {
    let mut start = BTreeMap::new();
    for input in &rb.inputs {
        if let (Some(env), Some(v)) = (&input.env, state.inputs.get(&input.name.value)) {
            start.insert(env.value.clone(), v.text());
        }
    }
    let ctx = state.context(None);
    for (k, v) in &rb.env {
        let value = super::render::env_value("the runbook", &k.value, &v.value, &ctx)?;
        start.insert(k.value.clone(), value);
    }
    let env = Arc::make_mut(&mut state.env);
    for (k, v) in start {
        env.entry(k).or_insert(v);
    }
    Ok(())
}

/// `vars`, `steps` and `env` as template values that read the run's maps on use.
#[derive(Debug)]
enum Namespace {
    Vars(
        Arc<BTreeMap<String, String>>,
        Arc<std::collections::BTreeSet<String>>,
    ),
    Steps(Arc<BTreeMap<String, (StepStatus, Option<i32>)>>),
    /// The run's variables over the process environment.
    Env(Arc<BTreeMap<String, String>>),
}

impl Object for Namespace {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let name = key.as_str()?;
        match &**self {
            Namespace::Vars(vars, maps) => vars.get(name).map(|v| {
                if maps.contains(name) {
                    // Written by runbook itself (a map of strings): it parses.
                    serde_json::from_str::<BTreeMap<String, String>>(v)
                        .map(Value::from)
                        .unwrap_or_else(|_| Value::from(v.as_str()))
                } else {
                    Value::from(v.as_str())
                }
            }),
            Namespace::Steps(steps) => steps.get(name).map(|(status, code)| {
                let fields: BTreeMap<&str, Value> = BTreeMap::from([
                    ("status", Value::from(status.as_str())),
                    ("exit_code", Value::from(*code)),
                ]);
                Value::from(fields)
            }),
            Namespace::Env(env) => match env.get(name) {
                Some(v) => Some(Value::from(v.as_str())),
                None => std::env::var(name).ok().map(Value::from),
            },
        }
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        let keys: Vec<Value> = match &**self {
            Namespace::Vars(m, _) | Namespace::Env(m) => {
                m.keys().map(|k| Value::from(k.as_str())).collect()
            }
            Namespace::Steps(m) => m.keys().map(|k| Value::from(k.as_str())).collect(),
        };
        Enumerator::Values(keys)
    }
}

/// Parses what a step wrote to `$RUNBOOK_ENV` or `$RUNBOOK_OUTPUT`: `NAME=value` lines, and
/// `NAME<<DELIMITER` … `DELIMITER` for values of several lines (as GitHub Actions does).
pub fn parse_assignments(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    // The delimiter of the block that just closed: a line after it that is not an
    // assignment is most likely the rest of a value that held the delimiter.
    let mut closed: Option<&str> = None;
    while let Some(line) = lines.next() {
        if line.trim().is_empty() {
            continue;
        }
        if let Some((name, delimiter)) = line.split_once("<<").filter(|(n, _)| !n.contains('=')) {
            let mut value = Vec::new();
            loop {
                match lines.next() {
                    Some(l) if l == delimiter => break,
                    Some(l) => value.push(l),
                    None => {
                        return Err(format!(
                            "`{name}<<{delimiter}` is never closed by a `{delimiter}` line"
                        ));
                    }
                }
            }
            out.push((name.trim().to_string(), value.join("\n")));
            closed = Some(delimiter);
            continue;
        } else if let Some((name, value)) = line.split_once('=') {
            out.push((name.trim().to_string(), value.to_string()));
        } else if let Some(delimiter) = closed {
            return Err(format!(
                "`{line}` is not `NAME=value`: did a value hold a `{delimiter}` line, which ended its `NAME<<{delimiter}` block early? Write such a value with a delimiter it cannot hold"
            ));
        } else {
            return Err(format!("`{line}` is not `NAME=value`"));
        }
        closed = None;
    }
    for (name, _) in &out {
        if !crate::values::is_identifier(name) {
            return Err(format!("`{name}` is not a valid name"));
        }
    }
    Ok(out)
}

/// Refuses a file of assignments where a value of several lines (one of `values`) was
/// written as `NAME=value` lines, or across the end of a `NAME<<DELIMITER` block: its later
/// lines would set other variables (`x⏎BASH_ENV=/tmp/evil.sh`).
pub fn whole_values(text: &str, values: &[&str]) -> Result<(), String> {
    if values.is_empty() || text.is_empty() {
        return Ok(());
    }
    // Byte ranges of the bodies of `NAME<<DELIMITER` blocks.
    let mut bodies = Vec::new();
    let mut at = 0;
    let mut open: Option<(usize, &str)> = None;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches('\n');
        match open {
            Some((start, delimiter)) if bare == delimiter => {
                bodies.push(start..at);
                open = None;
            }
            Some(_) => {}
            None => {
                if let Some((name, delimiter)) =
                    bare.split_once("<<").filter(|(n, _)| !n.contains('='))
                {
                    let _ = name;
                    open = Some((at + line.len(), delimiter));
                }
            }
        }
        at += line.len();
    }
    for value in values {
        for (start, _) in text.match_indices(value) {
            let end = start + value.len();
            if !bodies.iter().any(|b| b.start <= start && end <= b.end) {
                let line = text[..start].matches('\n').count() + 1;
                return Err(format!(
                    "line {line} starts a value of several lines written as `NAME=value`: its other lines would set other variables; write it as `NAME<<DELIMITER` … `DELIMITER`, with a delimiter the value does not contain"
                ));
            }
        }
    }
    Ok(())
}

/// `text` as `printf %b` and `echo -e` print it: `\n`, `\t`, `\\`, `\0NNN`, `\xHH`
/// interpreted. A value with `\n` in it becomes several lines on its way to a file.
pub fn printed_with_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('v') => out.push('\u{b}'),
            Some('f') => out.push('\u{c}'),
            Some('\\') => out.push('\\'),
            Some(d @ ('0' | 'x')) => {
                let radix = if d == 'x' { 16 } else { 8 };
                let mut digits = String::new();
                while digits.len() < if d == 'x' { 2 } else { 3 }
                    && chars.peek().is_some_and(|c| c.is_digit(radix))
                {
                    digits.extend(chars.next());
                }
                match u32::from_str_radix(&digits, radix)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&format!("\\{d}{digits}")),
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Refuses a name written to `$RUNBOOK_ENV` or `$RUNBOOK_OUTPUT` that the step's script does
/// not spell (`NAME=` or `NAME<<`): a value that became several lines on its way to the file
/// (`printf` escapes, `tr`, `sed`) could otherwise set a variable the script never meant to.
pub fn names_in_script(script: &str, written: &[(String, String)]) -> Result<(), String> {
    for (name, _) in written {
        let spelled = script.match_indices(name.as_str()).any(|(i, _)| {
            let before = script[..i].chars().next_back();
            let after = &script[i + name.len()..];
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && (after.starts_with('=') || after.starts_with("<<"))
        });
        if !spelled {
            return Err(format!(
                "it sets `{name}`, a name the step's script does not write (`{name}=…`): a value that became several lines on its way there?"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{names_in_script, parse_assignments, whole_values};

    #[test]
    fn escapes_as_printf_prints_them() {
        assert_eq!(
            super::printed_with_escapes("a\\nB=1\\x41\\0102\\q"),
            "a\nB=1AB\\q"
        );
    }

    #[test]
    fn a_value_that_holds_its_delimiter_is_named() {
        let e = parse_assignments("X<<END\nfirst\nEND\ntouch evil\nEND\n").unwrap_err();
        assert!(e.contains("did a value hold a `END` line"), "{e}");
    }

    #[test]
    fn names_must_be_spelled_by_the_script() {
        let written = [("X".to_string(), "1".to_string())];
        assert!(names_in_script("echo \"X=$v\" >> \"$RUNBOOK_ENV\"", &written).is_ok());
        assert!(names_in_script("echo 'X<<EOF'", &written).is_ok());
        let sneaked = [("PATH".to_string(), "/tmp/evil".to_string())];
        assert!(names_in_script("printf 'X=%b' \"$v\" >> \"$RUNBOOK_ENV\"", &sneaked).is_err());
        assert!(names_in_script("echo MYPATH=1", &sneaked).is_err());
    }

    #[test]
    fn a_value_of_several_lines_stays_one_variable() {
        let value = "x\nBASH_ENV=/tmp/evil.sh";
        assert!(whole_values(&format!("A={value}\n"), &[value]).is_err());
        assert!(whole_values(&format!("A<<EOF\n{value}\nEOF\n"), &[value]).is_ok());
        // A delimiter that the value holds ends the block inside it.
        let value = "x\nEOF\nBASH_ENV=/tmp/evil.sh";
        assert!(whole_values(&format!("A<<EOF\n{value}\nEOF\n"), &[value]).is_err());
        assert!(whole_values(&format!("A<<END_1\n{value}\nEND_1\n"), &[value]).is_ok());
        assert!(whole_values("A=1\n", &["a\nb"]).is_ok());
    }

    #[test]
    fn assignments() {
        let parsed = parse_assignments("A=1\nB=x=y\n\nC<<EOF\nline 1\nline 2\nEOF\n").unwrap();
        assert_eq!(
            parsed,
            [
                ("A".into(), "1".into()),
                ("B".into(), "x=y".into()),
                ("C".into(), "line 1\nline 2".into())
            ]
        );
        assert!(parse_assignments("oops").is_err());
        assert!(parse_assignments("C<<EOF\nx\n").is_err());
        assert!(parse_assignments("1A=x").is_err());
    }
}
