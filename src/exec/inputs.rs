//! Resolving a runbook's inputs before the first step (SPEC §2.2): `--input name=value`, then
//! the input's `env` variable, then its `default`, then a prompt; each value validated.

use super::operator::{Answer, AskError, Operator, Question};
use crate::load::Runbook;
pub use crate::values::{InputValue, shown_value, validate};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("unknown input `{name}` given with --input")]
    Unknown { name: String, help: String },
    #[error("input `{name}`: {problem}")]
    Invalid {
        name: String,
        problem: String,
        help: String,
    },
    #[error(transparent)]
    Ask(#[from] AskError),
}

impl InputError {
    pub fn help(&self) -> String {
        match self {
            InputError::Unknown { help, .. } | InputError::Invalid { help, .. } => help.clone(),
            InputError::Ask(AskError::NoAnswer { help, .. }) => help.clone(),
            InputError::Ask(_) => String::new(),
        }
    }
}

/// Resolves every input. `given` holds the `--input` values.
pub fn resolve(
    runbook: &Runbook,
    given: &BTreeMap<String, String>,
    operator: &mut dyn Operator,
) -> Result<BTreeMap<String, InputValue>, InputError> {
    for name in given.keys() {
        if runbook.input(name).is_none() {
            let names: Vec<&str> = runbook.inputs.iter().map(|i| i.name.as_str()).collect();
            let help = match crate::suggest::did_you_mean(name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None if names.is_empty() => "this runbook has no inputs".to_string(),
                None => format!(
                    "its inputs are {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(InputError::Unknown {
                name: name.clone(),
                help,
            });
        }
    }
    let mut values = BTreeMap::new();
    for input in &runbook.inputs {
        let name = input.name.value.clone();
        let from_env = input
            .env
            .as_ref()
            .and_then(|e| std::env::var(&e.value).ok())
            .filter(|v| !v.is_empty());
        let found = given
            .get(&name)
            .cloned()
            .or(from_env)
            .or_else(|| input.default.as_ref().map(|d| d.value.clone()));
        let value = match found {
            Some(v) => v,
            None => loop {
                let question = Question::Input {
                    name: name.clone(),
                    description: input.description.as_ref().map(|d| d.value.clone()),
                    default: None,
                    choices: input.choices.iter().map(|c| c.value.clone()).collect(),
                    pattern: input.pattern.as_ref().map(|p| p.value.clone()),
                    secret: input.secret,
                };
                match operator.ask(&question)? {
                    Answer::Text(v) if validate(input, &v).is_ok() => break v,
                    Answer::Text(v) if !operator.interactive() => break v,
                    _ => continue,
                }
            },
        };
        let typed = validate(input, &value).map_err(|problem| InputError::Invalid {
            name: name.clone(),
            problem,
            help: format!("pass a valid value with `--input {name}=VALUE`"),
        })?;
        values.insert(name, typed);
    }
    Ok(values)
}

/// Parses `--input name=value`.
pub fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`{text}` is not `name=value`")),
    }
}
