//! Text helpers of the show formats.

use crate::load::Runbook;

/// The runbook's title, else its name.
pub fn title(rb: &Runbook) -> String {
    rb.title
        .as_ref()
        .or(rb.name.as_ref())
        .map_or_else(|| "runbook".to_string(), |t| t.value.clone())
}

/// Folds a multi-line value into one line for a label.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts a text to at most `max` characters, marking the cut with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}
