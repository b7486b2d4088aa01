//! A completed step's undo: its rollback script rendered with the values the step ran with.

use crate::exec::render::{self, RenderError};
use crate::exec::state::RunState;
use crate::exec::step_dir::StepDir;
use crate::load::{Shell as ShellKind, Step};
use std::path::{Path, PathBuf};

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
/// when the step has no rollback, or its template cannot be rendered. `step_dir`: the
/// step's `dir:` as rendered for the step ([`StepDir::of`]), `folder` the runbook's folder.
pub fn completed_rollback(
    runbook: &crate::load::Runbook,
    step: &Step,
    state: &RunState,
    shell: &ShellKind,
    (step_dir, folder): (&Result<Option<StepDir>, RenderError>, &Path),
    within: &[String],
) -> Option<Completed> {
    if step.rollback.is_none() && step.rollback_manual.is_none() {
        return None;
    }
    let ctx = state.context(None);
    let rendered_dir = step_dir.as_ref().ok().and_then(Option::as_ref);
    let dir = StepDir::folder(rendered_dir, folder);
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
    let entered = match step_dir {
        Ok(Some(d)) => d.check(step, &rollback.value, &ctx, shell),
        Ok(None) => Ok(()),
        Err(e) => Err(e.clone()),
    };
    if let Err(e) = entered {
        return Some(by_hand(e.message));
    }
    // The step's own `env` applies to its rollback too.
    for (k, v) in &step.env {
        match render::env_value(&format!("step `{}`", step.id()), &k.value, &v.value, &ctx) {
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
        host_dir: StepDir::on_hosts(rendered_dir),
    })
}
