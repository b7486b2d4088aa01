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
