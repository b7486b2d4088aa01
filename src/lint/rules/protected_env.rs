use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::values::{PROTECTED_ENV, is_protected_env};

crate::declare_rule! {
    /// ## What it does
    /// Reports a step's `env:` or an input's `env:` that sets a variable which changes what
    /// every later command runs: `BASH_ENV`, `ENV` (a file the shell runs first), `SHELLOPTS`,
    /// `BASHOPTS`, `PS4`, `LD_PRELOAD`, `LD_LIBRARY_PATH`, `LD_AUDIT`. Only the runbook's own
    /// top-level `env:` may set them; a step that writes one to `$RUNBOOK_ENV` fails.
    ///
    /// ## Why this matters
    /// A value that reaches `BASH_ENV` makes every later `bash` step run the file it names
    /// before its own script: the operator sees one command and runs another. Setting one of
    /// these on purpose is rare, so it belongs where a reviewer sees it, at the top.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   libs: {description: Extra libraries, env: LD_LIBRARY_PATH}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inputs:
    ///   libs: {description: Extra libraries}
    /// env:
    ///   LD_LIBRARY_PATH: "{{ inputs.libs }}"
    /// ```
    pub struct ProtectedEnv {
        code: "RB033",
        name: "protected-env",
        severity: Error,
    }
}

impl Rule for ProtectedEnv {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let allowed = |name: &str| cx.runbook.env.iter().any(|(k, _)| k.value == name);
        let finding = |span, name: &str, whose: &str| {
            Finding::new(
                span,
                format!("{whose} sets `{name}`, which can change what its commands run"),
                format!(
                    "set `{name}` in the runbook's top-level `env:`, where reviewers see it (protected: {})",
                    PROTECTED_ENV.join(", ")
                ),
            )
        };
        for input in &cx.runbook.inputs {
            if let Some(env) = &input.env
                && is_protected_env(&env.value)
                && !allowed(&env.value)
            {
                out.push(finding(
                    env.span,
                    &env.value,
                    &format!("input `{}`", input.name.value),
                ));
            }
        }
        for step in &cx.runbook.steps {
            for (k, _) in &step.env {
                if is_protected_env(&k.value) && !allowed(&k.value) {
                    out.push(finding(k.span, &k.value, &format!("step `{}`", step.id())));
                }
            }
        }
    }
}
