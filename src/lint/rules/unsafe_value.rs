use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `{{ }}` value that runbook cannot pass as data: inside a string that another
    /// shell parses again (`sh -c "…"`, `ssh HOST "…"`, `eval`) in a way runbook cannot
    /// follow, such as a `$( )` whose output becomes that string, an unclosed quote inside
    /// it, or strings nested more than eight deep. Also a value of a step that refuses every
    /// value: its script decodes text or writes shell characters between words (`base64
    /// -d`, `printf %b`, `tr , ';'`) before a place where a variable it sets becomes code
    /// (RB037 says where only some values are refused).
    ///
    /// ## Why this matters
    /// A value inside `sh -c "echo {{ v }}"` reaches the outer shell as data, but `sh` then
    /// parses the whole string as code. runbook follows such strings to any depth and writes
    /// the value there so that the innermost shell reads it as data: as a variable reference
    /// where the environment travels (`eval`, `sh -c`), quoted into the text where it does
    /// not (`ssh`, `sudo`, `su`, `kubectl exec`, `docker exec`). Where it cannot tell how the
    /// string is read, the step refuses to run the value; this rule says so in CI instead of
    /// at 3 am.
    ///
    /// ## Example
    /// ```yaml
    ///     run: sh -c "$(echo ssh {{ vars.host }})"
    /// ```
    ///
    /// ## Use instead
    /// Write the string directly, or give the inner script the value as an argument:
    /// ```yaml
    ///     run: sh -c 'ssh "$1"' sh {{ vars.host }}
    /// ```
    pub struct UnsafeValue {
        code: "RB031",
        name: "unsafe-value",
        severity: Error,
    }
}

impl Rule for UnsafeValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // A step whose script refuses every value (it decodes text before a place the floor
        // finds): no value can run it.
        for (i, s) in cx.sites.iter().enumerate() {
            if !s.site.script || s.site.kind == crate::template::sites::SiteKind::Raw {
                continue;
            }
            let own: Vec<_> = cx.values().iter().filter(|v| v.site == i).collect();
            if own.iter().any(|v| v.plan.is_err()) {
                continue; // (Said below.)
            }
            if let Some(u) =
                super::unfollowed_variable::refuses_every_value(&s.site.value.value, &own)
            {
                let (message, help) = super::unfollowed_variable::every_value_refused(&u);
                for v in &own {
                    out.push(Finding::new(
                        cx.span_in(&s.site, v.block.start, v.block.len()),
                        message.clone(),
                        help.clone(),
                    ));
                }
            }
        }
        for v in cx.values() {
            if let Ok(plan) = &v.plan
                && plan.env_travels
                && plan.slot == crate::shell::Slot::Quoted(crate::shell::Quoting::QuotedHeredoc)
            {
                out.push(Finding::new(
                    cx.span_in(&cx.sites[v.site].site, v.block.start, v.block.len()),
                    "this value stands in a quoted here-document (`<<'EOF'`), where the shell expands nothing: it cannot be passed as data",
                    "quote nothing in the delimiter (`<<EOF`), or set the value in the step's `env:` and read it where the document is used",
                ));
            }
            if let Err(u) = &v.plan {
                out.push(Finding::new(
                    cx.span_in(&cx.sites[v.site].site, v.block.start, v.block.len()),
                    format!("this value cannot be passed as data: {}", u.why),
                    u.help.clone(),
                ));
            }
        }
    }
}
