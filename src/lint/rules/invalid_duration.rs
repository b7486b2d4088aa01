use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::Sp;
use crate::load::duration::parse_duration;

crate::declare_rule! {
    /// ## What it does
    /// Reports a `timeout`, `duration`, `remind`, `retry_delay`, `wait.interval` or
    /// `wait.timeout` that is not a duration such as `30s`, `5m`, `1h 30m` or `10 minutes`;
    /// a zero `timeout`, `duration`, `remind` or `wait.interval`; a `duration` not shorter
    /// than the step's `timeout`; and a `duration` on a step without `run`.
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
        fn written(value: &Option<Sp<String>>) -> Option<(&Sp<String>, std::time::Duration)> {
            value
                .as_ref()
                .filter(|v| !v.as_str().contains("{{"))
                .and_then(|v| parse_duration(v.as_str()).ok().map(|d| (v, d)))
        }
        let zero = |out: &mut Vec<Finding>, key: &str, value: &Option<Sp<String>>, what: &str| {
            if let Some((v, d)) = written(value)
                && d.is_zero()
            {
                out.push(Finding::new(
                    v.span,
                    format!("`{key}: {}` is zero: {what}", v.as_str().trim()),
                    format!("give `{key}` a length of time, or remove it"),
                ));
            }
        };
        for step in &cx.runbook.steps {
            zero(
                out,
                "timeout",
                &step.timeout,
                "the command would be stopped as it starts",
            );
            zero(
                out,
                "duration",
                &step.duration,
                "the command would be stopped as it starts",
            );
            zero(
                out,
                "remind",
                &step.remind,
                "the reminder would come before every step",
            );
            if let Some(wait) = &step.wait {
                zero(
                    out,
                    "wait.interval",
                    &wait.value.interval,
                    "the check would run again without a pause",
                );
            }
            if let (Some((d, planned)), Some((t, limit))) =
                (written(&step.duration), written(&step.timeout))
                && planned >= limit
                && !limit.is_zero()
            {
                out.push(Finding::new(
                    d.span,
                    format!(
                        "`duration: {}` is not shorter than `timeout: {}`: the timeout would stop the command first, as a failure",
                        d.as_str().trim(),
                        t.as_str().trim()
                    ),
                    "make the `timeout` longer than the `duration`, or remove it (the `duration` ends the command)",
                ));
            }
            if let Some(d) = &step.duration
                && step.run.is_none()
            {
                out.push(Finding::new(
                    d.span,
                    format!(
                        "`duration` applies to a command, and step `{}` has no `run`",
                        step.id()
                    ),
                    "remove it, or put it on the `run` step whose command runs for that long (a `wait` step has its own `timeout`)",
                ));
            }
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
