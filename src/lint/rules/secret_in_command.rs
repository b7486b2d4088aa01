use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a secret (an input with `secret: true`, the answer of an `ask` with
    /// `secret: true`, or a value a step made secret: `capture: {secret: true}`, an output
    /// `{name: X, secret: true}`) substituted into a `run`, `rollback` or `wait.run` script.
    ///
    /// ## Why this matters
    /// A command line is visible to every user of the machine in `ps` and `/proc`, and ends
    /// up in shell history and audit logs. Secrets reach commands through their environment.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   api_token: {secret: true, env: INVENTORY_API_TOKEN}
    /// steps:
    ///   - run: curl -H "Authorization: Bearer {{ inputs.api_token }}" https://api/...
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - run: curl -H "Authorization: Bearer $INVENTORY_API_TOKEN" https://api/...
    /// ```
    pub struct SecretInCommand {
        code: "RB025",
        name: "secret-in-command",
        severity: Error,
    }
}

impl Rule for SecretInCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let secret_vars: Vec<&str> = cx
            .runbook
            .steps
            .iter()
            .flat_map(|s| s.ask.iter().flat_map(|a| a.value.each()))
            .filter(|a| a.secret)
            .filter_map(|a| a.var.as_ref().map(|v| v.as_str()))
            // Secrets made by a step: a `secret` capture or output.
            .chain(cx.runbook.steps.iter().flat_map(|s| {
                s.secret_outputs.iter().map(String::as_str).chain(
                    s.capture
                        .iter()
                        .filter(|c| c.secret)
                        .map(|c| c.var.value.as_str()),
                )
            }))
            .collect();
        let secret_inputs: Vec<&str> = cx
            .runbook
            .inputs
            .iter()
            .filter(|i| i.secret)
            .map(|i| i.name.as_str())
            .collect();
        for s in cx.sites.iter().filter(|s| s.site.script) {
            for r in &s.analysis.references {
                // The whole namespace (`inputs | items`, `inputs[name]`): every secret in it.
                let whole: &[&str] = match (r.namespace(), r.name()) {
                    ("inputs", None) => &secret_inputs,
                    ("vars", None) => &secret_vars,
                    _ => &[],
                };
                if let Some(first) = whole.first() {
                    out.push(Finding::new(
                        cx.span_in(&s.site, r.offset, r.len),
                        format!(
                            "`{}` is read whole in a command line, secret `{first}` included, where `ps` shows it to every user",
                            r.namespace()
                        ),
                        format!(
                            "name the values the command needs (`{}.NAME`), and read secrets from the environment",
                            r.namespace()
                        ),
                    ));
                    continue;
                }
                let (is_secret, env) = match (r.namespace(), r.name()) {
                    ("inputs", Some(name)) => match cx.runbook.input(name) {
                        Some(input) if input.secret => {
                            (true, input.env.as_ref().map(|e| e.value.clone()))
                        }
                        _ => (false, None),
                    },
                    ("vars", Some(name)) => (secret_vars.contains(&name), None),
                    _ => (false, None),
                };
                if !is_secret {
                    continue;
                }
                let help = match (r.namespace(), env) {
                    (_, Some(env)) => format!("read it from the environment instead: `\"${env}\"`"),
                    ("vars", None) => {
                        let name = r.name().unwrap_or_default();
                        let env = name.to_ascii_uppercase();
                        format!("pass it through the step's `env` (`env: {{{env}: \"{{{{ vars.{name} }}}}\"}}`) and read `\"${env}\"` in the script")
                    }
                    _ => "give the input `env: NAME` and read `\"$NAME\"` in the script; or pass it through the step's `env`".to_string(),
                };
                out.push(Finding::new(
                    cx.span_in(&s.site, r.offset, r.len),
                    format!(
                        "secret `{}` in a command line, where `ps` shows it to every user",
                        r.dotted()
                    ),
                    help,
                ));
            }
        }
    }
}
