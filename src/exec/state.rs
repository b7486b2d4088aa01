//! What a run knows at a given moment: inputs, variables, environment, step results. Built
//! step by step by the executor, and (for `resume`) rebuilt by replaying the journal.

use super::inputs::InputValue;
use super::journal::StepStatus;
use minijinja::Value;
use serde_json::{Map, json};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct RunState {
    pub inputs: BTreeMap<String, InputValue>,
    pub vars: BTreeMap<String, String>,
    /// Set for every later step: the runbook's `env`, and what steps wrote to `$RUNBOOK_ENV`.
    pub env: BTreeMap<String, String>,
    pub steps: BTreeMap<String, (StepStatus, Option<i32>)>,
    pub run_id: String,
    pub operator: String,
    pub mode: String,
}

impl RunState {
    /// The template context (SPEC §2.5); `output` only inside `wait.until`.
    pub fn context(&self, output: Option<&str>) -> Value {
        let inputs: Map<String, serde_json::Value> = self
            .inputs
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    InputValue::Str(s) => json!(s),
                    InputValue::Int(i) => json!(i),
                    InputValue::Bool(b) => json!(b),
                };
                (k.clone(), v)
            })
            .collect();
        let steps: Map<String, serde_json::Value> = self
            .steps
            .iter()
            .map(|(id, (status, code))| {
                (
                    id.clone(),
                    json!({"status": status.as_str(), "exit_code": code}),
                )
            })
            .collect();
        let mut env: BTreeMap<String, String> = std::env::vars().collect();
        env.extend(self.env.clone());
        let mut ctx = json!({
            "inputs": inputs,
            "vars": self.vars,
            "steps": steps,
            "env": env,
            "run": {"id": self.run_id, "operator": self.operator, "mode": self.mode},
        });
        if let (Some(output), Some(map)) = (output, ctx.as_object_mut()) {
            map.insert("output".into(), json!(output));
        }
        Value::from(minijinja::value::Serde(ctx))
    }
}

/// Parses what a step wrote to `$RUNBOOK_ENV` or `$RUNBOOK_OUTPUT`: `NAME=value` lines, and
/// `NAME<<DELIMITER` … `DELIMITER` for values of several lines (as GitHub Actions does).
pub fn parse_assignments(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut lines = text.lines();
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
        } else if let Some((name, value)) = line.split_once('=') {
            out.push((name.trim().to_string(), value.to_string()));
        } else {
            return Err(format!("`{line}` is not `NAME=value`"));
        }
    }
    for (name, _) in &out {
        if !crate::lint::rules::invalid_name::is_identifier(name) {
            return Err(format!("`{name}` is not a valid name"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::parse_assignments;

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
