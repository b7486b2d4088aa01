//! A value given to a step in its environment (an input's `env:`, a step's templated `env:`,
//! `$RUNBOOK_ENV`) where a destructive command reads it as the end of what it deletes, a
//! pattern, a unit, an address range (audit 41 A41-17): seen as a `{{ }}` written there is.
//!
//! One mechanism for every rule of [`super::nested`]'s `widens/`: the script is read as if
//! it began with `export NAME="{{ value }}"`, and [`super::plan`] follows that value through
//! the variable, its copies and loops to the command that reads it, as it follows a
//! template's value ([`super::Plan::widening`]).

use super::nested::{Plan, Refusal, plan};

/// The placeholder's text (any text of a template's length: `plan` reads it as the value).
const PLACEHOLDER: &str = "{{ v }}";

/// Where the script reads variable `name` (given in the environment) as a [`Plan`] would
/// read a `{{ }}` assigned to it first, or `None` where the script does not expand it.
pub fn through_variable(script: &str, name: &str) -> Option<Plan> {
    if !expands(script, name) {
        return None;
    }
    let head = format!("export {name}=\"");
    let lexed = format!("{head}{PLACEHOLDER}\"\n{script}");
    plan(&lexed, head.len()..head.len() + PLACEHOLDER.len()).ok()
}

/// Why `value`, given in variable `name`, would widen what a command of `script` acts on;
/// with the plan that says where (its `wide`, its `no_parent`).
pub fn widening(script: &str, name: &str, value: &str) -> Option<(Refusal, Plan)> {
    let plan = through_variable(script, name)?;
    plan.widening(value).map(|r| (r, plan))
}

/// Whether `script` expands `name` (`$NAME`, `${NAME…}`), or a positional parameter's name.
fn expands(script: &str, name: &str) -> bool {
    script.match_indices(name).any(|(at, _)| {
        let before = &script[..at];
        let after = script[at + name.len()..].chars().next();
        (before.ends_with('$') || before.ends_with("${"))
            && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each widening rule, reached through an environment variable: refused with the value
    /// that widens it, the plainly safe one passes (A41-17).
    #[test]
    fn a_variable_is_seen_where_a_template_is() {
        for (script, wide, safe) in [
            ("rm -rf \"/srv/releases/$REL\"", "", "v1"),
            ("rm -rf \"/srv/releases/${REL}\"", "..", "v1"),
            ("pkill -f -- \"$REL\"", ".", "nginx: worker"),
            (
                "iptables -A INPUT -s \"$REL\" -j ACCEPT",
                "0.0.0.0/0",
                "10.1.2.3",
            ),
            ("systemctl stop \"$REL\"", "system.slice", "nginx.service"),
            ("ansible \"$REL\" -m reboot", "all", "web-1"),
            (
                "aws s3 rm \"s3://backups/dumps/$REL\" --recursive",
                "",
                "2026-01",
            ),
            ("kubectl delete pods -l \"$REL\"", "!nothing", "app=web"),
        ] {
            assert!(
                widening(script, "REL", wide).is_some(),
                "{script} with {wide:?}"
            );
            assert!(
                widening(script, "REL", safe).is_none(),
                "{script} with {safe:?}"
            );
        }
    }

    /// A script that does not expand the variable, or expands another of a longer name, has
    /// nothing to say of it.
    #[test]
    fn only_where_the_script_expands_it() {
        assert!(widening("rm -rf \"/srv/$RELEASE\"", "REL", "").is_none());
        assert!(widening("echo REL; rm -rf /srv/x", "REL", "").is_none());
        assert!(widening("echo \"$REL\"", "REL", "").is_none());
    }
}
