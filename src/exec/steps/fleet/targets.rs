//! The hosts of a step's `on:`, looked up in the inventory.

use super::*;

impl Executor<'_> {
    /// The inventory that `on:` names are looked up in, if any.
    fn inventory(&self) -> Result<Option<Inventory>, String> {
        remote::load_inventory(
            self.cfg
                .runbook
                .inventory
                .as_ref()
                .map(|i| self.cfg.folder().join(&i.value)),
        )
    }

    /// The hosts of a step's `on:`, its templates rendered.
    pub(crate) fn hosts_of(&self, step: &Step, on: &Sp<OnValue>) -> Result<Vec<Target>, String> {
        let ctx = self.progress.state.context(None);
        let inventory = self.inventory()?;
        let render = |t: &str| {
            render::step_text(step, t, &ctx).map_err(|e| format!("cannot render `on:`: {e}"))
        };
        let found = match &on.value {
            OnValue::List(items) => {
                let names = items
                    .iter()
                    .map(|i| render(&i.value))
                    .collect::<Result<Vec<String>, String>>()?;
                crate::fleet::targets(On::Names(&names), inventory.as_ref())
            }
            OnValue::Text(text) => {
                let text = render(&text.value)?;
                crate::fleet::targets(On::Text(&text), inventory.as_ref())
            }
        };
        let found = found.map_err(|errors| {
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        // A host name written from a value: only the characters of a name or address.
        let templated = match &on.value {
            OnValue::List(items) => items
                .iter()
                .any(|i| i.value.contains("{{") || i.value.contains("{%")),
            OnValue::Text(text) => text.value.contains("{{") || text.value.contains("{%"),
        };
        if templated
            && let Some((t, c)) = found
                .hosts
                .iter()
                .find_map(|t| crate::fleet::unplain_host_character(&t.name).map(|c| (t, c)))
        {
            return Err(format!(
                "`on:` of step `{}` names the host `{}`, written from a value, which holds `{}`: a host name from a value may hold only letters, digits and `. _ - : @ [ ]` (ssh hands it to a `%h` in a `ProxyCommand` or `Match exec`, which a shell runs)\nhelp: give the host's name as the inventory or DNS knows it (a `pattern` on the input keeps such values out)",
                step.id(),
                crate::fleet::shown(&t.name),
                c.escape_default()
            ));
        }
        // A value meant to name a host must not name every host: the inventory's implicit
        // groups `all` and `ungrouped`, when the runbook's text does not write them itself.
        if templated
            && inventory.is_some()
            && let Some(group) = every_host_group(&on.value, &render)
        {
            return Err(format!(
                "`on:` of step `{}` names `{group}`, written from a value: `{group}` is a group of every host of the inventory ({} hosts here), which a value must not widen the step to\nhelp: give one host or group name; to run on every host, write `on: {group}` in the runbook, where a reviewer sees it",
                step.id(),
                found.hosts.len()
            ));
        }
        if inventory.is_some()
            && let Some(u) = found.unknown.first()
        {
            // A name the inventory does not know is most likely a typo: never guessed.
            return Err(format!(
                "`{}` in `on:` is neither a host nor a group of the inventory{}",
                u.name,
                u.suggestion
                    .as_ref()
                    .map_or(String::new(), |s| format!(" (did you mean `{s}`?)"))
            ));
        }
        Ok(found.hosts)
    }
}

/// The implicit group of every host (`all`, `ungrouped`) that a rendered `on:` names where
/// its text does not write it: a value put it there.
fn every_host_group(
    on: &OnValue,
    render: &dyn Fn(&str) -> Result<String, String>,
) -> Option<&'static str> {
    let texts: Vec<&str> = match on {
        OnValue::List(items) => items.iter().map(|i| i.value.as_str()).collect(),
        OnValue::Text(text) => vec![text.value.as_str()],
    };
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| c == ',' || c.is_whitespace() || matches!(c, '[' | ']' | '"' | '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut written = Vec::new();
    let mut rendered = Vec::new();
    for t in &texts {
        written.extend(words(&without_templates(t)));
    }
    // (The names as `fleet::targets` reads them: a rendered list's escapes decoded, so that
    // `['al\l']` is `all` here too.)
    match on {
        OnValue::List(_) => rendered.extend(texts.iter().filter_map(|t| render(t).ok())),
        OnValue::Text(_) => {
            for t in &texts {
                rendered.extend(crate::fleet::names_in(&render(t).unwrap_or_default()));
            }
        }
    }
    ["all", "ungrouped"]
        .into_iter()
        .find(|g| rendered.iter().any(|w| w == g) && !written.iter().any(|w| w == g))
}

/// `t` with its `{{ }}` and `{% %}` blocks taken out (each ends a word).
fn without_templates(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find(['{']) {
        let (open, close) = match rest.get(i..i + 2) {
            Some("{{") => ("{{", "}}"),
            Some("{%") => ("{%", "%}"),
            _ => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
                continue;
            }
        };
        out.push_str(&rest[..i]);
        out.push(' ');
        match rest[i + open.len()..].find(close) {
            Some(j) => rest = &rest[i + open.len() + j + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{every_host_group, without_templates};
    use crate::load::{On, Sp, Span};

    /// A value naming `all` or `ungrouped`, read as `fleet::targets` reads it (a rendered
    /// list's escapes decoded: `['al\\l']` is `all`); the runbook's own `on: all` is its to write.
    #[test]
    fn a_group_of_every_host_from_a_value_is_found() {
        let text = |t: &str| On::Text(Sp::new(t.to_string(), Span::default()));
        let given = |v: &'static str| move |_: &str| Ok::<String, String>(v.to_string());
        let on = text("{{ inputs.host }}");
        assert_eq!(every_host_group(&on, &given("all")), Some("all"));
        assert_eq!(
            every_host_group(&on, &given("web-1 ungrouped")),
            Some("ungrouped")
        );
        assert_eq!(every_host_group(&on, &given("['al\\l']")), Some("all"));
        assert_eq!(every_host_group(&on, &given("web-1")), None);
        assert_eq!(
            every_host_group(&text("all {{ x }}"), &given("all web-1")),
            None
        );
    }

    #[test]
    fn templates_are_taken_out_of_the_written_text() {
        assert_eq!(without_templates("{{ inputs.host }}"), " ");
        assert_eq!(without_templates("web-1 {{ x }},all"), "web-1  ,all");
        assert_eq!(
            without_templates("a{b}c {% if x %}all{% endif %}"),
            "a{b}c  all "
        );
        assert_eq!(without_templates("{{ unclosed"), " ");
    }
}
