//! A value given for an input or an `ask`, checked against what the runbook declares. Used by
//! the executor on the values it is given, and by lint on the defaults a runbook declares.

use crate::load::{Input, InputType};

/// A resolved input value.
#[derive(Debug, Clone, PartialEq)]
pub enum InputValue {
    Str(String),
    Int(i64),
    Bool(bool),
}

impl InputValue {
    pub fn text(&self) -> String {
        match self {
            InputValue::Str(s) => s.clone(),
            InputValue::Int(i) => i.to_string(),
            InputValue::Bool(b) => b.to_string(),
        }
    }
}

/// A value as an error message names it: quoted, or "the secret value" for a secret, which
/// never reaches the screen or the journal.
pub fn shown_value(value: &str, secret: bool) -> String {
    if secret {
        "the secret value".to_string()
    } else {
        format!("`{value}`")
    }
}

/// Checks one value against the input's type, choices and pattern.
pub fn validate(input: &Input, value: &str) -> Result<InputValue, String> {
    let shown = shown_value(value, input.secret);
    let typed = match input.ty.value {
        InputType::String => InputValue::Str(value.to_string()),
        InputType::Int => value
            .trim()
            .parse()
            .map(InputValue::Int)
            .map_err(|_| format!("{shown} is not a whole number"))?,
        InputType::Bool => match value.trim() {
            "true" => InputValue::Bool(true),
            "false" => InputValue::Bool(false),
            _ => return Err(format!("{shown} is not `true` or `false`")),
        },
    };
    if !input.choices.is_empty() && !input.choices.iter().any(|c| c.value == value) {
        let list: Vec<String> = input
            .choices
            .iter()
            .map(|c| format!("`{}`", c.value))
            .collect();
        return Err(format!("{shown} is not one of {}", list.join(", ")));
    }
    if let Some(pattern) = &input.pattern {
        let re = super::pattern::compile(&pattern.value)
            .map_err(|_| format!("its pattern `{}` is invalid", pattern.value))?;
        if !re.is_match(value) {
            return Err(format!("{shown} does not match `{}`", pattern.value));
        }
    }
    Ok(typed)
}

/// Why an answer is invalid, if it is.
pub fn valid_answer(
    value: &str,
    secret: bool,
    pattern: Option<&str>,
    choices: &[String],
) -> Option<String> {
    let shown = shown_value(value, secret);
    if !choices.is_empty() && !choices.iter().any(|c| c == value) {
        return Some(format!("{shown} is not one of {}", choices.join(", ")));
    }
    if let Some(p) = pattern {
        match super::pattern::compile(p) {
            Ok(re) if !re.is_match(value) => {
                return Some(format!("{shown} does not match `{p}`"));
            }
            Err(_) => return Some(format!("the pattern `{p}` is invalid")),
            _ => {}
        }
    }
    None
}
