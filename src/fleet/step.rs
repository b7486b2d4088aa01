//! What of a step cannot reach other hosts.

/// Why a step with `on:` cannot run as written, if it cannot (lint's RB036 says the same
/// before the run). Decided, not pending: `outputs` and `$RUNBOOK_ENV` are files the command
/// writes where it runs (by the step's command, its wait's check or its rollback), which ssh
/// does not bring back (`capture` gives a value per host, `capture: {secret: true}` a secret); an
/// `interactive` command is attached to one terminal, which many hosts cannot share.
pub fn unsupported(step: &crate::load::Step) -> Option<&'static str> {
    if !step.outputs.is_empty() {
        Some(
            "`outputs` cannot come back from other hosts (they are files written where the command runs)",
        )
    } else if [
        step.run.as_ref(),
        step.wait.as_ref().and_then(|w| w.value.run.as_ref()),
        step.rollback.as_ref(),
    ]
    .into_iter()
    .flatten()
    .any(|r| r.value.contains("RUNBOOK_ENV") || r.value.contains("RUNBOOK_OUTPUT"))
    {
        Some(
            "`$RUNBOOK_ENV` and `$RUNBOOK_OUTPUT` are not set on other hosts (they are files where runbook runs, which ssh does not bring back)",
        )
    } else if !step.secret_env.is_empty() {
        Some(
            "`secret_env` names what the command writes to `$RUNBOOK_ENV`, which is not set on other hosts (a file where runbook runs, which ssh does not bring back)",
        )
    } else if step.is_interactive() {
        Some(
            "`interactive: true` cannot run on other hosts (one terminal cannot be given to several hosts)",
        )
    } else {
        None
    }
}
