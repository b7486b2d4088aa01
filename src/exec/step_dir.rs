//! A step's `dir:`, rendered once for the step, and the one check of every script that runs
//! in it: a `dir:` written by a template is the folder the script starts in, checked as a
//! `cd "…"` at the script's start ([`crate::shell::entered`]).

use crate::exec::render::{self, RenderError};
use crate::load::{Runbook, Shell, Step};
use minijinja::Value;
use std::path::{Path, PathBuf};

/// A step's `dir:` rendered once for the step: as written (`written`, a template or a plain
/// folder) and as rendered; `own`: the step's own `dir:` (not the runbook's), the folder of
/// its script on other hosts too.
#[derive(Debug, Clone, PartialEq)]
pub struct StepDir {
    pub written: String,
    pub rendered: String,
    pub own: bool,
}

impl StepDir {
    /// The `dir:` that applies to `step` (its own if it has one, else the runbook's),
    /// rendered. `None`: neither has one. Errs, naming the step, when it cannot be rendered.
    pub fn of(runbook: &Runbook, step: &Step, ctx: &Value) -> Result<Option<StepDir>, RenderError> {
        let Some(d) = step.dir.as_ref().or(runbook.dir.as_ref()) else {
            return Ok(None);
        };
        let rendered = render::text(&d.value, ctx).map_err(|e| RenderError {
            message: format!(
                "`dir:` of step `{}` cannot be rendered: {}",
                step.id(),
                e.message
            ),
            help: e.help,
        })?;
        Ok(Some(StepDir {
            written: d.value.clone(),
            rendered,
            own: step.dir.is_some(),
        }))
    }

    /// Whether a template writes it: its value is then a value of the step (`$PWD`).
    pub fn templated(&self) -> bool {
        self.written.contains("{{")
    }

    /// The folder a step's scripts run in here: `dir` under the runbook's `folder`, or that
    /// folder.
    pub fn folder(dir: Option<&StepDir>, folder: &Path) -> PathBuf {
        dir.map_or_else(|| folder.to_path_buf(), |d| folder.join(&d.rendered))
    }

    /// The folder of a step's scripts on other hosts: its own `dir` only (relative: in the
    /// login's home). The runbook's `dir` and folder are places on this machine.
    pub fn on_hosts(dir: Option<&StepDir>) -> Option<String> {
        dir.filter(|d| d.own).map(|d| d.rendered.clone())
    }

    /// The values of a `dir:` written by a template, checked as those of a `cd "…"` at the
    /// start of `script` (the step's `run`, `wait.run` or `rollback`, as written) in the
    /// step's own `shell`: the folder the script starts in, whose empty end, `.`, `/` or
    /// `..` would widen what it deletes or changes there. The code of a shell that is not
    /// POSIX is not shell text: its folder is checked as the `cd` alone. Errs, naming the
    /// step, when a value is refused.
    pub fn check(
        &self,
        step: &Step,
        script: &str,
        ctx: &Value,
        shell: &Shell,
    ) -> Result<(), RenderError> {
        if !self.templated() {
            return Ok(());
        }
        let (shell, script) = if shell.is_posix() {
            (shell, script)
        } else {
            (&Shell::Bash, "")
        };
        let (entered, _) = crate::shell::entered::entered(&self.written, script, step.renders());
        match render::script(&entered, ctx, shell) {
            Ok(_) => Ok(()),
            // (A problem of the script's own values is said where it is rendered.)
            Err(_) if step.renders() && render::script(script, ctx, shell).is_err() => Ok(()),
            Err(e) => Err(RenderError {
                message: format!(
                    "`dir:` of step `{}` is the folder its script starts in, as if it began with `cd \"{}\"`: {}",
                    step.id(),
                    self.written,
                    e.message
                ),
                help: e.help,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::StepDir;
    use crate::load::{Runbook, Shell, Sp, Span, Step};
    use minijinja::Value;

    fn ctx(value: &str) -> Value {
        Value::from(minijinja::value::Serde(
            serde_json::json!({"vars": {"ip": value}}),
        ))
    }

    fn step_in(dir: &str) -> Step {
        Step {
            id: Some(Sp::new("s".to_string(), Span::default())),
            dir: Some(Sp::new(dir.to_string(), Span::default())),
            ..Default::default()
        }
    }

    fn of(step: &Step, v: &str) -> StepDir {
        match StepDir::of(&Runbook::default(), step, &ctx(v)) {
            Ok(Some(d)) => d,
            other => panic!("{v:?}: {other:?}"),
        }
    }

    /// A templated `dir:` is checked as a `cd` at the start of whichever script runs there
    /// (each caller gives its script: the `run`, `wait.run`, the `rollback`), so that
    /// `rm -rf ./*` in `releases/{{ vars.ip }}` with an empty value, `.` or `..` is refused.
    #[test]
    fn a_templated_dir_is_checked_for_the_script_that_runs_there() {
        let step = step_in("releases/{{ vars.ip }}");
        let bash = Shell::Bash;
        for bad in ["", ".", ".."] {
            let e = of(&step, bad)
                .check(&step, "rm -rf ./*", &ctx(bad), &bash)
                .unwrap_err();
            assert!(
                e.message.contains("`dir:` of step `s`"),
                "{bad:?}: {}",
                e.message
            );
        }
        let r1 = of(&step, "r1");
        assert!(r1.check(&step, "rm -rf ./*", &ctx("r1"), &bash).is_ok());
        assert_eq!(r1.rendered, "releases/r1");
        assert!(r1.own && r1.templated());
        // (Nothing deleted there: any folder.)
        let empty = of(&step, "");
        assert!(
            empty
                .check(&step, "tar xzf /tmp/r.tgz", &ctx(""), &bash)
                .is_ok()
        );
        let plain = step_in("releases");
        let d = of(&plain, "");
        assert!(!d.templated());
        assert!(d.check(&plain, "rm -rf ./*", &ctx(""), &bash).is_ok());
    }

    /// The check reads the script in the step's own shell; the code of a shell that is not
    /// POSIX (`[python3, -c]`) is not shell text, so its folder is checked as the `cd` alone.
    #[test]
    fn a_templated_dir_is_checked_in_the_steps_shell() {
        let step = step_in("releases/{{ vars.ip }}");
        let sh = Shell::Sh;
        assert!(
            of(&step, "")
                .check(&step, "rm -rf ./*", &ctx(""), &sh)
                .is_err()
        );
        assert!(
            of(&step, "r1")
                .check(&step, "rm -rf ./*", &ctx("r1"), &sh)
                .is_ok()
        );
        let python = Shell::Command(vec!["python3".into(), "-c".into()]);
        let code = "import shutil; shutil.rmtree('.')";
        assert!(
            of(&step, "r1")
                .check(&step, code, &ctx("r1"), &python)
                .is_ok()
        );
    }

    /// Rendered once: the runbook's `dir:` when the step has none (not its own: no folder
    /// on other hosts), and a `dir:` that cannot be rendered names the step.
    #[test]
    fn a_dir_is_rendered_once_with_where_it_applies() {
        let runbook = Runbook {
            dir: Some(Sp::new("/srv/{{ vars.ip }}".to_string(), Span::default())),
            ..Default::default()
        };
        let step = Step {
            id: Some(Sp::new("s".to_string(), Span::default())),
            ..Default::default()
        };
        let d = StepDir::of(&runbook, &step, &ctx("a")).unwrap().unwrap();
        assert_eq!((d.rendered.as_str(), d.own), ("/srv/a", false));
        assert_eq!(StepDir::on_hosts(Some(&d)), None);
        assert_eq!(
            StepDir::folder(Some(&d), std::path::Path::new("/rb")),
            std::path::PathBuf::from("/srv/a")
        );
        let own = step_in("w/{{ vars.ip }}");
        let d = StepDir::of(&runbook, &own, &ctx("a")).unwrap().unwrap();
        assert_eq!(StepDir::on_hosts(Some(&d)).as_deref(), Some("w/a"));
        assert_eq!(
            StepDir::folder(Some(&d), std::path::Path::new("/rb")),
            std::path::PathBuf::from("/rb/w/a")
        );
        assert_eq!(StepDir::of(&Runbook::default(), &step, &ctx("a")), Ok(None));
        let broken = step_in("w/{{ vars.ip | no_such_filter }}");
        let e = StepDir::of(&runbook, &broken, &ctx("a")).unwrap_err();
        assert!(
            e.message.contains("`dir:` of step `s` cannot be rendered"),
            "{}",
            e.message
        );
    }
}
