//! Every place in a runbook that holds a template or an expression (SPEC §2.5).

use crate::load::{Runbook, Sp, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// Text with `{{ … }}` blocks.
    Template,
    /// A bare expression: `when`, `wait.until`.
    Expression,
    /// Text used as written: a field of a step with `templates: false`.
    Raw,
}

#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    pub step: Option<&'a Step>,
    /// The key, as the operator would name it: `run`, `wait.until`, `env.PGHOST`.
    pub field: &'static str,
    pub value: &'a Sp<String>,
    pub kind: SiteKind,
    /// A shell script: `run`, `rollback`, `wait.run`.
    pub script: bool,
}

impl Site<'_> {
    /// `output` is defined only inside `wait.until`.
    pub fn has_output(&self) -> bool {
        self.field == "wait.until"
    }

    /// `item` is defined only in a step with `for_each` (not in the `for_each` itself).
    pub fn has_item(&self) -> bool {
        self.step
            .is_some_and(|s| !s.for_each.is_empty() || s.for_each_from.is_some())
            && self.field != "for_each"
    }
}

pub fn sites(rb: &Runbook) -> Vec<Site<'_>> {
    let mut out = Vec::new();
    let mut push = |step, field, value, kind, script| {
        out.push(Site {
            step,
            field,
            value,
            kind,
            script,
        })
    };
    for (_, value) in &rb.env {
        push(None, "env", value, SiteKind::Template, false);
    }
    if let Some(dir) = &rb.dir {
        push(None, "dir", dir, SiteKind::Template, false);
    }
    for step in &rb.steps {
        let s = Some(step);
        // `templates: false`: the step's text is used as written.
        let t = if step.renders() {
            SiteKind::Template
        } else {
            SiteKind::Raw
        };
        if let Some(v) = &step.instructions {
            push(s, "instructions", v, t, false);
        }
        if let Some(v) = &step.run {
            push(s, "run", v, t, true);
        }
        if let Some(v) = &step.rollback {
            push(s, "rollback", v, t, true);
        }
        if let Some(v) = &step.rollback_manual {
            push(s, "rollback.manual", v, t, false);
        }
        if let Some(wait) = &step.wait {
            if let Some(v) = &wait.value.run {
                push(s, "wait.run", v, t, true);
            }
            if let Some(v) = &wait.value.until {
                push(s, "wait.until", v, SiteKind::Expression, false);
            }
        }
        if let Some(v) = &step.when {
            push(s, "when", v, SiteKind::Expression, false);
        }
        for v in step.for_each.iter().chain(step.for_each_from.iter()) {
            push(s, "for_each", v, SiteKind::Template, false);
        }
        match step.on.as_ref().map(|o| &o.value) {
            Some(crate::load::On::List(items)) => {
                for v in items {
                    push(s, "on", v, t, false);
                }
            }
            Some(crate::load::On::Text(v)) => push(s, "on", v, t, false),
            None => {}
        }
        if let Some(v) = &step.confirm {
            push(s, "confirm", v, t, false);
        }
        if let Some(v) = step.choose.as_ref().and_then(|c| c.value.prompt.as_ref()) {
            push(s, "choose.prompt", v, t, false);
        }
        for option in step.choose.iter().flat_map(|c| &c.value.options) {
            if let Some(v) = &option.when {
                push(s, "choose.when", v, SiteKind::Expression, false);
            }
        }
        for ask in step.ask.iter().flat_map(|a| a.value.each()) {
            if let Some(v) = &ask.prompt {
                push(s, "ask.prompt", v, t, false);
            }
        }
        if let Some(checklist) = &step.checklist {
            for item in &checklist.value {
                push(s, "checklist", item, t, false);
            }
        }
        // `env` is how a value reaches a script written as is: rendered whatever
        // `templates` says.
        for (_, v) in &step.env {
            push(s, "env", v, SiteKind::Template, false);
        }
        for (_, v) in &step.with {
            push(s, "with", v, t, false);
        }
        if let Some(v) = &step.dir {
            push(s, "dir", v, t, false);
        }
        // Durations may come from values (`timeout: "{{ inputs.wait }}"`).
        let wait = step.wait.as_ref().map(|w| &w.value);
        for (field, v) in [
            ("timeout", step.timeout.as_ref()),
            ("duration", step.duration.as_ref()),
            ("retry_delay", step.retry_delay.as_ref()),
            ("remind", step.remind.as_ref()),
            ("wait.interval", wait.and_then(|w| w.interval.as_ref())),
            ("wait.timeout", wait.and_then(|w| w.timeout.as_ref())),
        ] {
            if let Some(v) = v.filter(|v| v.value.contains("{{")) {
                push(s, field, v, t, false);
            }
        }
    }
    out
}
