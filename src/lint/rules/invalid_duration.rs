use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::Sp;
use crate::load::duration::parse_duration;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `timeout`, `retry_delay`, `wait.interval` or `wait.timeout` that is not a
    /// duration such as `30s`, `5m`, `1h 30m` or `10 minutes`.
    ///
    /// ## Why this matters
    /// A bare number is ambiguous (seconds? minutes?), and a timeout that cannot be read
    /// would leave a hung command running during an incident.
    ///
    /// ## Example
    /// ```yaml
    ///     timeout: 30
    ///     retry_delay: soon
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     timeout: 30s
    ///     retry_delay: 10s
    /// ```
    pub struct InvalidDuration {
        code: "RB017",
        name: "invalid-duration",
        severity: Error,
    }
}

impl Rule for InvalidDuration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let check = |out: &mut Vec<Finding>, key: &str, value: &Option<Sp<String>>| {
            // A template (`timeout: "{{ inputs.wait }}"`) is checked when the run renders it.
            if let Some(v) = value
                && !v.as_str().contains("{{")
                && let Err(why) = parse_duration(v.as_str())
            {
                let number = v.as_str().trim();
                let help = if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
                    format!("add a unit: `{number}s` for seconds, `{number}m` for minutes")
                } else {
                    "write a duration such as `30s`, `5m` or `1h 30m`".to_string()
                };
                out.push(Finding::new(
                    v.span,
                    format!("invalid duration in `{key}`: {why}"),
                    help,
                ));
            }
        };
        for step in &cx.runbook.steps {
            check(out, "timeout", &step.timeout);
            check(out, "duration", &step.duration);
            check(out, "remind", &step.remind);
            check(out, "retry_delay", &step.retry_delay);
            if let Some(wait) = &step.wait {
                check(out, "wait.interval", &wait.value.interval);
                check(out, "wait.timeout", &wait.value.timeout);
            }
        }
    }
}
