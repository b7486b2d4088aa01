//! A sub-runbook step: the called runbook checked, its inputs resolved, its steps walked
//! nested (journal events carry the path).

use crate::exec::executor::*;
use crate::exec::journal::{RunStatus, StepStatus};
use crate::exec::render;
use crate::exec::screen::Status;
use crate::exec::state::RunState;
use crate::graph::StepGraph;
use crate::load::Step;
use std::sync::Arc;
use std::time::Instant;

impl Executor<'_> {
    pub(crate) fn sub_runbook(
        &mut self,
        step: &Step,
        started: Instant,
        failed: &mut Option<String>,
    ) -> Result<Flow, ExecError> {
        let Some(reference) = &step.runbook else {
            return self.done(step, started, None, Flow::Next);
        };
        if step.is_dangerous()
            && let Some(flow) = self.dangerous_gate(step, started)?
        {
            return Ok(flow);
        }
        let folder = self.cfg.folder();
        let loaded = crate::load::find::resolve(&reference.value, Some(&folder))
            .map_err(|e| e.to_string())
            .and_then(|path| {
                let loaded = crate::load::load_path(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                let errors = (self.cfg.check)(&path, &loaded.source.text);
                match (loaded.runbook, errors) {
                    (Some(rb), 0) => Ok((path, rb)),
                    _ => Err(format!(
                        "`{}` has errors: run `runbook lint {}`",
                        path.display(),
                        path.display()
                    )),
                }
            });
        let (path, sub) = match loaded {
            Ok(found) => found,
            Err(problem) => {
                self.out.screen.status(Status::Failed, &problem);
                return self.failed(step, started, None, problem, failed, true);
            }
        };
        let ctx = self.progress.state.context(None);
        let mut given = std::collections::BTreeMap::new();
        for (k, v) in &step.with {
            match render::text(&v.value, &ctx) {
                Ok(value) => {
                    given.insert(k.value.clone(), value);
                }
                Err(e) => {
                    let problem = format!("cannot render `with.{}`: {e}", k.value);
                    self.out.screen.status(Status::Failed, &problem);
                    return self.failed(step, started, None, problem, failed, true);
                }
            }
        }
        let inputs = match crate::exec::inputs::resolve(&sub, &given, &mut *self.operator) {
            Ok(inputs) => inputs,
            Err(crate::exec::inputs::InputError::Ask(e)) => return Err(ask_error(e)),
            Err(e) => {
                let problem = e.to_string();
                self.out.screen.status(Status::Failed, &problem);
                return self.failed(step, started, None, problem, failed, true);
            }
        };
        let title = sub
            .title
            .as_ref()
            .map_or_else(|| reference.value.clone(), |t| t.value.clone());
        self.out
            .screen
            .line(&format!("  runbook {} · {title}", reference.value));
        let mut state = RunState {
            inputs,
            run_id: self.progress.state.run_id.clone(),
            operator: self.progress.state.operator.clone(),
            mode: self.progress.state.mode.clone(),
            ..Default::default()
        };
        for input in &sub.inputs {
            if input.secret
                && let Some(v) = state.inputs.get(&input.name.value)
            {
                self.out.add_secret(&v.text());
            }
            if let (Some(env), Some(v)) = (&input.env, state.inputs.get(&input.name.value)) {
                Arc::make_mut(&mut state.env).insert(env.value.clone(), v.text());
            }
        }
        let sub_ctx = state.context(None);
        for (k, v) in &sub.env {
            // (A value refused there is not given: the sub-runbook's steps run without it.)
            if let Ok(value) = render::env_value("the sub-runbook", &k.value, &v.value, &sub_ctx) {
                Arc::make_mut(&mut state.env).insert(k.value.clone(), value);
            }
        }
        let graph = StepGraph::build(&sub);
        self.out.journal.within.push(step.id());
        let result = {
            let mut within = self.cfg.within.clone();
            within.push(reference.value.clone());
            let mut nested = Executor {
                cfg: RunConfig {
                    allow_readonly: self.cfg.allow_readonly,
                    assume_yes: self.cfg.assume_yes,
                    within,
                    graph,
                    tether: self.cfg.tether.clone(),
                    ..RunConfig::new(&sub, &path, self.cfg.mode, self.cfg.check)
                },
                out: self.out.reborrow(),
                progress: Progress::new(state),
                operator: &mut *self.operator,
                shell: &mut *self.shell,
                interrupt: self.interrupt.clone(),
            };
            let result = nested.walk(0);
            self.progress.absorb(nested.progress, &reference.value);
            result
        };
        self.out.journal.within.pop();
        let result = result?;
        match result.status {
            RunStatus::Succeeded => {
                self.out
                    .screen
                    .status(Status::Ok, &format!("runbook {} done", reference.value));
                self.done(step, started, None, Flow::Next)
            }
            RunStatus::Aborted => {
                let reason = result.reason.unwrap_or_else(|| "aborted".into());
                self.finish(
                    step,
                    started,
                    StepStatus::Failed,
                    None,
                    Some(reason.clone()),
                    Flow::Abort {
                        by_operator: true,
                        reason,
                    },
                )
            }
            _ => {
                let problem = format!(
                    "runbook {} failed: {}",
                    reference.value,
                    result.reason.unwrap_or_default()
                );
                self.out.screen.status(Status::Failed, &problem);
                self.failed(step, started, None, problem, failed, true)
            }
        }
    }
}
