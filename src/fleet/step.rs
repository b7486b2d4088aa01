//! What of a step does not reach other hosts yet.

/// The key of a step with `on:` that does not reach other hosts yet, if it has one (lint's
/// RB036 says the same before the run).
pub fn unsupported(step: &crate::load::Step) -> Option<&'static str> {
    if !step.outputs.is_empty() {
        Some("`outputs`")
    } else if step.capture.as_ref().is_some_and(|c| c.secret) {
        Some("a secret `capture`")
    } else if step.retries.as_ref().is_some_and(|r| r.value > 0) {
        Some("`retries`")
    } else if step.duration.is_some() {
        Some("`duration`")
    } else if step.is_interactive() {
        Some("`interactive: true`")
    } else {
        None
    }
}
