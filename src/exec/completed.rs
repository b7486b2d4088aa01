//! A completed step's undo: its rollback script rendered with the values the step ran with.

use crate::exec::render;
use crate::exec::state::RunState;
use crate::load::{Shell as ShellKind, Step};
use std::path::PathBuf;

/// A completed step whose `rollback` can be offered after an abort.
#[derive(Debug, Clone)]
pub struct Completed {
    pub step: String,
    /// The rollback as the operator sees it (values written in, secrets masked).
    pub rollback: String,
    /// The rollback as it runs: values passed as data through `values` (SPEC §2.5).
    pub script: String,
    pub values: Vec<(String, String)>,
    pub dangerous: bool,
    pub confirm: String,
    pub shell: ShellKind,
    pub dir: PathBuf,
    pub within: Vec<String>,
    /// Done by hand (`rollback: {manual: …}`): `rollback` is what to do, nothing runs.
    pub manual: bool,
    /// The item of a step with `for_each` (each item has its own rollback).
    pub item: Option<String>,
    /// A step on several hosts (`on:`): the hosts where it completed, newest first, where
    /// its rollback runs (over ssh, one after the other). Empty: here.
    pub hosts: Vec<crate::fleet::Target>,
    /// The step's own `dir`, rendered: the folder of its rollback on those hosts.
    pub host_dir: Option<String>,
}

/// The rollback of a completed step, rendered with the state the step completed in. `None`
/// when the step has no rollback, or its template cannot be rendered.
pub fn completed_rollback(
    runbook: &crate::load::Runbook,
    step: &Step,
    state: &RunState,
    shell: &ShellKind,
    dir: PathBuf,
    within: &[String],
) -> Option<Completed> {
    if step.rollback.is_none() && step.rollback_manual.is_none() {
        return None;
    }
    let ctx = state.context(None);
    if step.rollback.is_none()
        && let Some(manual) = &step.rollback_manual
    {
        return Some(Completed {
            step: step.id(),
            rollback: render::step_text(step, &manual.value, &ctx)
                .unwrap_or_else(|_| manual.value.clone()),
            script: String::new(),
            values: Vec::new(),
            dangerous: false,
            confirm: step.id(),
            shell: shell.clone(),
            dir,
            within: within.to_vec(),
            manual: true,
            item: state.item.clone(),
            hosts: Vec::new(),
            host_dir: None,
        });
    }
    let rollback = step.rollback.as_ref()?;
    // A rollback that cannot be prepared with these values (one refused where it would be
    // code) is still offered, as something to do by hand, saying why: never dropped without
    // a word (an audit found `rollback` then said there was nothing to undo).
    let by_hand = |why: String| Completed {
        step: step.id(),
        rollback: format!(
            "runbook cannot run this step's rollback: {why}. Undo the step by hand; its rollback as written:\n{}",
            rollback.value
        ),
        script: String::new(),
        values: Vec::new(),
        dangerous: false,
        confirm: step.id(),
        shell: shell.clone(),
        dir: dir.clone(),
        within: within.to_vec(),
        manual: true,
        item: state.item.clone(),
        hosts: Vec::new(),
        host_dir: None,
    };
    let mut rendered = match render::step_script(step, &rollback.value, &ctx, shell, runbook) {
        Ok(r) => r,
        Err(e) => return Some(by_hand(e.message)),
    };
    // The rollback runs in the step's `dir:` too (`rm -rf ./*` there).
    if let Some(d) = step.dir.as_ref().or(runbook.dir.as_ref())
        && let Err(e) = render::entered_dir(step, d, &rollback.value, &ctx)
    {
        return Some(by_hand(e.message));
    }
    // The step's own `env` applies to its rollback too.
    for (k, v) in &step.env {
        match render::text(&v.value, &ctx) {
            Ok(value) => rendered.env.push((k.value.clone(), value)),
            Err(e) => return Some(by_hand(e.message)),
        }
    }
    let confirm = step
        .confirm
        .as_ref()
        .map(|c| render::step_text(step, &c.value, &ctx).unwrap_or_else(|_| c.value.clone()))
        .unwrap_or_else(|| step.id());
    Some(Completed {
        step: step.id(),
        rollback: rendered.display,
        script: rendered.script,
        values: rendered.env,
        dangerous: step.is_dangerous(),
        confirm,
        shell: shell.clone(),
        dir,
        within: within.to_vec(),
        manual: false,
        item: state.item.clone(),
        hosts: Vec::new(),
        host_dir: step
            .dir
            .as_ref()
            .and_then(|d| render::text(&d.value, &ctx).ok()),
    })
}
