use super::key_span::key_span;
use crate::fleet::{Amount, AmountKey, Inventory, On, targets};
use crate::lint::{Context, Finding, Rule, RuleMeta, Severity};
use crate::load::{On as OnValue, Sp, Step, StepKind};

crate::declare_rule! {
    /// ## What it does
    /// Checks steps that run on other hosts (`on:`) and the runbook's `inventory:`: the
    /// inventory reads (errors at its own line and column), every group or host `on:` names
    /// is in it (with a did-you-mean), `serial` and `max_failures` are counts or
    /// percentages, `on:` is on a `run` or `wait` step with a POSIX shell and no `outputs`,
    /// `$RUNBOOK_ENV`/`$RUNBOOK_OUTPUT` (in its command, its check or its rollback) or
    /// `secret_env` (files where the command runs, which ssh does not bring back: `capture`
    /// gives a value per host) or `interactive` (one terminal for several hosts). Warns when a
    /// `dangerous` step
    /// runs on its whole fleet at once (no `serial`), and when `max_failures` lets every
    /// host fail.
    ///
    /// ## Why this matters
    /// A typo in a group name found at 3 am is a step that cannot run; a dangerous command on
    /// every host at once is an outage made wider; `max_failures: 5` on four hosts stops
    /// nothing.
    ///
    /// ## Example
    /// ```yaml
    /// inventory: hosts.ini
    /// steps:
    ///   - id: restart
    ///     title: Restart the web tier
    ///     on: wbe
    ///     dangerous: true
    ///     run: sudo systemctl restart nginx
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// inventory: hosts.ini
    /// steps:
    ///   - id: restart
    ///     title: Restart the web tier, a canary first
    ///     on: web
    ///     serial: 1
    ///     confirm_batches: true
    ///     dangerous: true
    ///     run: sudo systemctl restart nginx
    /// ```
    pub struct FleetRule {
        code: "RB036",
        name: "fleet",
        severity: Error,
    }
}

impl Rule for FleetRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if !cx.runbook.steps.iter().any(|s| s.on.is_some()) && cx.runbook.inventory.is_none() {
            return;
        }
        let inventory = read_inventory(cx, out);
        for step in &cx.runbook.steps {
            if let Some(on) = &step.on {
                check_step(cx, step, on, inventory.as_ref(), out);
            } else if let Some((host, _)) = step.simulate_hosts.first() {
                out.push(Finding::new(
                    host.span,
                    format!(
                        "`simulate` of step `{}` gives results per host, and the step has no `on:`",
                        step.id()
                    ),
                    "give the results without `hosts:` (`simulate: {stdout: …}`), or add `on:`",
                ));
            }
        }
    }
}

/// The inventory `on:` names are looked up in — `--inventory` (or `RUNBOOK_INVENTORY`), the
/// runbook's `inventory:`, `[fleet] inventory`, as a run would — its problems reported at
/// the `inventory:` key (or the runbook's start when it comes from elsewhere).
fn read_inventory(cx: &Context, out: &mut Vec<Finding>) -> Option<Inventory> {
    let settings = crate::fleet::settings();
    let key = cx.runbook.inventory.as_ref();
    let at = key.map_or(crate::load::Span::at(0), |k| {
        key_span(cx.source, 0, k.span, "inventory")
    });
    let path = settings
        .inventory
        .or_else(|| key.map(|k| cx.folder().join(&k.value)))
        .or(settings.default_inventory)?;
    let bytes = match crate::fleet::read_file(&path) {
        Ok(b) => b,
        Err(e) => {
            out.push(Finding::new(
                at,
                format!("the inventory `{}` cannot be read: {e}", path.display()),
                "give the path of an Ansible inventory (INI or YAML), relative to the runbook's folder",
            ));
            return None;
        }
    };
    match Inventory::from_bytes(&path, &bytes) {
        Ok(inventory) => Some(inventory),
        Err(errors) => {
            for e in errors.iter().take(10) {
                out.push(Finding::new(
                    at,
                    format!(
                        "the inventory has an error at {}:{}:{}: {}",
                        path.display(),
                        e.line,
                        e.column,
                        e.message()
                    ),
                    e.help(),
                ));
            }
            None
        }
    }
}

/// Inventory variables that change how Ansible reaches a host, which runbook does not read:
/// a step would reach the host some other way than the inventory says.
const IGNORED_VARS: &[&str] = &[
    "ansible_connection",
    "ansible_ssh_common_args",
    "ansible_ssh_extra_args",
    "ansible_ssh_private_key_file",
    "ansible_private_key_file",
    "ansible_ssh_pass",
    "ansible_password",
];

/// The names `on:` gives as written (no template).
fn static_names(on: &OnValue) -> Vec<String> {
    match on {
        OnValue::List(items) => items
            .iter()
            .filter(|i| !i.value.contains("{{"))
            .map(|i| i.value.clone())
            .collect(),
        OnValue::Text(t) if !t.value.contains("{{") => t
            .value
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect(),
        OnValue::Text(_) => Vec::new(),
    }
}

fn check_step(
    cx: &Context,
    step: &Step,
    on: &Sp<OnValue>,
    inventory: Option<&Inventory>,
    out: &mut Vec<Finding>,
) {
    let id = step.id();
    let at = key_span(cx.source, step.span.start, on.span, "on");
    let kind = step.kind();
    if kind.is_some_and(|k| !matches!(k, StepKind::Run | StepKind::Wait)) {
        out.push(Finding::new(
            at,
            format!(
                "`on:` is for `run` and `wait` steps, and step `{id}` is a {} step: it would not run on those hosts",
                kind.map_or("?", StepKind::name)
            ),
            "move the command to a `run` or `wait` step with `on:`, or remove `on:`",
        ));
        return;
    }
    if let Some(what) = crate::fleet::unsupported(step) {
        out.push(Finding::new(
            at,
            format!("step `{id}`: {what}, so the step would fail when it runs"),
            "use `capture` (a value per host: `vars.NAME['web-1']`), or run that part in a step of its own without `on:` (`ssh -t HOST …`)",
        ));
    }
    if let Some(shell) = &step.shell
        && !shell.value.is_posix()
    {
        out.push(Finding::new(
            key_span(cx.source, step.span.start, shell.span, "shell"),
            format!("step `{id}` runs on other hosts, where its script goes to a POSIX shell, and its `shell` is not one"),
            "use `shell: bash` or `shell: sh` (or a list such as `[bash, -eu, -c]`)",
        ));
    }
    let mut amounts = Vec::new();
    for (key, value, amount_key) in [
        ("serial", &step.serial, AmountKey::Serial),
        ("max_failures", &step.max_failures, AmountKey::MaxFailures),
    ] {
        let Some(value) = value else {
            amounts.push(None);
            continue;
        };
        match Amount::parse(amount_key, &value.value) {
            Ok(a) => amounts.push(Some(a)),
            Err(e) => {
                amounts.push(None);
                let text = e.to_string();
                let (message, help) = text.split_once("\nhelp: ").unwrap_or((&text, ""));
                out.push(Finding::new(
                    key_span(cx.source, step.span.start, value.span, key),
                    format!("step `{id}`: {message}"),
                    if help.is_empty() {
                        format!("write a count (`{key}: 2`) or a percentage of the hosts (`{key}: \"25%\"`)")
                    } else {
                        help.to_string()
                    },
                ));
            }
        }
    }
    // The hosts, when they are known before the run (no template).
    let hosts = match &on.value {
        OnValue::List(items) if items.iter().all(|i| !i.value.contains("{{")) => {
            let names: Vec<String> = items.iter().map(|i| i.value.clone()).collect();
            Some(targets(On::Names(&names), inventory))
        }
        OnValue::Text(text) if !text.value.contains("{{") => {
            Some(targets(On::Text(&text.value), inventory))
        }
        _ => None,
    };
    let count = match hosts {
        Some(Ok(found)) => {
            if inventory.is_some() {
                for u in &found.unknown {
                    out.push(Finding::new(
                        at,
                        format!(
                            "`{}` in `on:` of step `{id}` is neither a host nor a group of the inventory",
                            u.name
                        ),
                        match &u.suggestion {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "add it to the inventory, or fix the name".to_string(),
                        },
                    ));
                }
            }
            for (host, _) in &step.simulate_hosts {
                if !found.hosts.iter().any(|h| h.name == host.value) {
                    out.push(
                        Finding::new(
                            host.span,
                            format!(
                                "`simulate` of step `{id}` has results for `{}`, which its `on:` does not name",
                                host.value
                            ),
                            "use a host name the step runs on (a drill would never play these results)",
                        )
                        .with_severity(Severity::Warning),
                    );
                }
            }
            if let Some(inventory) = inventory {
                for name in static_names(&on.value) {
                    if inventory.group(&name).is_some() && inventory.host(&name).is_some() {
                        out.push(
                            Finding::new(
                                at,
                                format!("`{name}` in `on:` of step `{id}` is both a group and a host of the inventory: the group's hosts are taken"),
                                "rename the group or the host, so that `on:` says which",
                            )
                            .with_severity(Severity::Warning),
                        );
                    }
                }
                for host in &found.hosts {
                    let Some(h) = inventory.host(&host.name) else {
                        continue;
                    };
                    let ignored: Vec<&str> = IGNORED_VARS
                        .iter()
                        .copied()
                        .filter(|v| match h.vars.get(*v) {
                            Some(serde_json::Value::String(c)) if *v == "ansible_connection" => {
                                c != "ssh"
                            }
                            Some(_) => true,
                            None => false,
                        })
                        .collect();
                    if let Some(var) = ignored.first() {
                        out.push(Finding::new(
                            at,
                            format!("host `{}` of step `{id}` has `{var}` in the inventory, which runbook does not use: the step would reach it with plain ssh", host.name),
                            "put what it says in the ssh config (`--ssh-config`: `IdentityFile`, `ProxyJump`…), or run the step without `on:`",
                        ));
                    }
                }
            }
            Some(found.hosts.len())
        }
        Some(Err(errors)) => {
            for e in errors {
                let text = e.to_string();
                let (message, help) = text.split_once("\nhelp: ").unwrap_or((&text, ""));
                out.push(Finding::new(at, format!("step `{id}`: {message}"), help));
            }
            None
        }
        None => None,
    };
    if step.is_dangerous() && step.serial.is_none() {
        out.push(
            Finding::new(
                at,
                format!("dangerous step `{id}` runs on all its hosts at once"),
                "add `serial: 1` (or a canary batch with `confirm_batches: true`), so that a first host shows what the command does before the others",
            )
            .with_severity(Severity::Warning),
        );
    }
    if let (Some(n), Some(Some(max)), Some(value)) = (count, amounts.get(1), &step.max_failures)
        && n > 0
        && max.failures_allowed(n) >= n
    {
        out.push(
            Finding::new(
                key_span(cx.source, step.span.start, value.span, "max_failures"),
                format!(
                    "`max_failures` of step `{id}` lets all its {n} host{} fail: it stops nothing",
                    if n == 1 { "" } else { "s" }
                ),
                "lower it below the number of hosts",
            )
            .with_severity(Severity::Warning),
        );
    }
}
