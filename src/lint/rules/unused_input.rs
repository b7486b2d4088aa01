use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports an input that no template uses. An input with `env: NAME` also counts as used
    /// when a script reads `$NAME` (the way secrets reach commands), prints it (`printenv
    /// NAME`, jq's `env.NAME`), or reads it in another
    /// language (`os.environ["NAME"]`, `ENV["NAME"]`, `process.env.NAME`, `$ENV{NAME}`,
    /// `getenv("NAME")`). Every input with `env`
    /// is exported to every step; when a program reads the variable by itself, without the
    /// script naming it, say so with `# runbook: ignore[RB016]` on the input.
    ///
    /// ## Why this matters
    /// The operator is asked for a value that changes nothing: either the input is left over,
    /// or a command hard-codes what the input was meant to supply.
    ///
    /// ## Example
    /// ```yaml
    /// inputs:
    ///   db: {default: postgres://localhost/inventory}
    /// steps:
    ///   - run: psql postgres://localhost/inventory -c 'select 1'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - run: psql {{ inputs.db }} -c 'select 1'
    /// ```
    pub struct UnusedInput {
        code: "RB016",
        name: "unused-input",
        severity: Warning,
    }
}

impl Rule for UnusedInput {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for input in &cx.runbook.inputs {
            let name = input.name.as_str();
            let in_template = cx.sites.iter().any(|s| {
                s.analysis
                    .references
                    .iter()
                    .any(|r| r.namespace() == "inputs" && r.name().is_none_or(|n| n == name))
            });
            let in_env = input.env.as_ref().is_some_and(|env| {
                cx.sites
                    .iter()
                    .filter(|s| s.site.script)
                    .any(|s| reads_env(&s.site.value.value, env.as_str()))
            });
            if !in_template && !in_env {
                out.push(Finding::new(
                    input.name.span,
                    format!("input `{name}` is never used"),
                    match (input.secret, &input.env) {
                        (true, Some(env)) => format!(
                            "read it in a script as `\"${}\"`, or remove it",
                            env.value
                        ),
                        (true, None) => "give it `env: NAME` and read `\"$NAME\"` in a script, or remove it".to_string(),
                        (false, Some(env)) => format!(
                            "use it as `{{{{ inputs.{name} }}}}` or read `\"${}\"` in a script, or remove it",
                            env.value
                        ),
                        (false, None) => format!("use it as `{{{{ inputs.{name} }}}}`, or remove it"),
                    },
                ));
            }
        }
    }
}

/// Whether a script reads the environment variable `NAME`: `$NAME`, `${NAME…}`, or in the
/// language a script is written in: `os.environ["NAME"]`, `os.getenv("NAME")` (Python),
/// `ENV["NAME"]` (Ruby), `process.env.NAME` (JavaScript), `$ENV{NAME}` (Perl),
/// `getenv("NAME")` (C, PHP, awk's `ENVIRON["NAME"]`).
fn reads_env(script: &str, name: &str) -> bool {
    script.match_indices(name).any(|(i, _)| {
        let before = script[..i].trim_end_matches(['"', '\'']);
        let after = &script[i + name.len()..];
        let word_end = !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        let quoted = script[..i].ends_with(['"', '\'']);
        word_end
            && (script[..i].ends_with('$')
                || script[..i].ends_with("${")
                // `printenv NAME`, jq's `env.NAME`/`$ENV.NAME`.
                || before
                    .split_whitespace()
                    .rev()
                    .find(|w| !w.starts_with('-'))
                    .is_some_and(|w| w == "printenv")
                || script[..i].ends_with("env.")
                || script[..i].ends_with("$ENV.")
                || script[..i].ends_with("process.env.")
                || script[..i].ends_with("$ENV{")
                || (quoted
                    && [
                        "environ[",
                        "ENV[",
                        "ENVIRON[",
                        "env[",
                        "getenv(",
                        "environ.get(",
                        "ENV.fetch(",
                        "process.env[",
                        "Deno.env.get(",
                    ]
                    .iter()
                    .any(|p| before.ends_with(p))))
    })
}

#[cfg(test)]
mod env_tests {
    use super::reads_env;

    #[test]
    fn reads_in_other_languages_count() {
        for script in [
            "printenv TOKEN | logger",
            "printenv -0 \"TOKEN\"",
            "jq -rn 'env.TOKEN'",
            "echo $TOKEN",
            "curl -H \"x: ${TOKEN}\"",
            "python3 -c 'import os; print(os.environ[\"TOKEN\"])'",
            "python3 -c 'import os; os.getenv(\"TOKEN\")'",
            "python3 -c 'import os; os.environ.get(\"TOKEN\")'",
            "ruby -e 'puts ENV[\"TOKEN\"]'",
            "ruby -e 'ENV.fetch(\"TOKEN\")'",
            "node -e 'console.log(process.env.TOKEN)'",
            "node -e 'process.env[\"TOKEN\"]'",
            "perl -e 'print $ENV{TOKEN}'",
            "awk 'BEGIN { print ENVIRON[\"TOKEN\"] }'",
        ] {
            assert!(reads_env(script, "TOKEN"), "{script}");
        }
        for script in ["echo TOKEN", "echo $TOKENS", "print(\"TOKEN\")"] {
            assert!(!reads_env(script, "TOKEN"), "{script}");
        }
    }
}
