//! `runbook config`: the effective configuration and where each value comes from; and how a
//! runbook.toml that cannot be used is reported (as a runbook's diagnostics are).

use super::{EXIT_OK, print_stdout, use_color};
use crate::config::{Config, ConfigError, Origin, Setting};
use crate::lint::{Diagnostic, Severity};

/// Prints why runbook.toml cannot be used, at its line and column.
pub fn report(e: &ConfigError) {
    let d = Diagnostic::new(
        &e.source,
        e.span,
        "config",
        Severity::Error,
        e.message.clone(),
        Some(e.help.clone()),
    );
    let stderr = std::io::stderr();
    let text = crate::render::human::one(&d, use_color(&stderr));
    eprintln!(
        "{}\n\nnothing was done: fix {} (every command reads it)",
        crate::values::visible::visible_document(&text),
        e.source.path.display()
    );
}

fn origin<T>(s: &Setting<T>, default: &str) -> String {
    match &s.origin {
        Origin::Default => default.to_string(),
        Origin::File(at) => at.clone(),
    }
}

pub fn run(config: &Config) -> i32 {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let list = |v: &[String]| {
        format!(
            "[{}]",
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let paths: Vec<String> = config
        .runbooks
        .value
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    rows.push((
        "paths.runbooks".into(),
        list(&paths),
        origin(&config.runbooks, "default (./runbooks, then RUNBOOK_PATH)"),
    ));
    rows.push((
        "lint.select".into(),
        if config.select.value.is_empty() {
            "every rule".into()
        } else {
            list(&config.select.value)
        },
        origin(&config.select, "default"),
    ));
    rows.push((
        "lint.ignore".into(),
        list(&config.ignore.value),
        origin(&config.ignore, "default"),
    ));
    for (code, s) in &config.severity {
        rows.push((
            format!("lint.severity.{code}"),
            s.value.as_str().into(),
            origin(s, "default"),
        ));
    }
    rows.push((
        "lint.shellcheck".into(),
        match config.shellcheck.value {
            Some(true) => "true".into(),
            Some(false) => "false".into(),
            None => "when installed".into(),
        },
        origin(&config.shellcheck, "default"),
    ));
    let state = crate::exec::journal::state_dir(None);
    let state_origin = match (
        &config.state_dir.origin,
        std::env::var_os("RUNBOOK_STATE_DIR"),
    ) {
        (Origin::File(at), _) => at.clone(),
        (Origin::Default, Some(v)) if !v.is_empty() => "RUNBOOK_STATE_DIR".into(),
        _ => "default ($XDG_STATE_HOME/runbook or ~/.local/state/runbook)".into(),
    };
    rows.push((
        "run.state_dir".into(),
        state.display().to_string(),
        state_origin,
    ));
    let (store, store_origin) = match crate::store::url() {
        Some((url, origin)) => (
            crate::store::hide_password(&url),
            match origin {
                crate::store::UrlOrigin::Flag => "--store".to_string(),
                crate::store::UrlOrigin::Env => "RUNBOOK_STORE".to_string(),
                crate::store::UrlOrigin::File(at) => at,
            },
        ),
        None => ("none (runs stay on this machine)".into(), "default".into()),
    };
    rows.push(("store.url".into(), store, store_origin));
    for (key, setting, env, none) in [
        (
            "fleet.inventory",
            &config.inventory,
            "RUNBOOK_INVENTORY",
            "none (the runbook's `inventory:`, if any)",
        ),
        (
            "fleet.ssh_config",
            &config.ssh_config,
            "RUNBOOK_SSH_CONFIG",
            "none (ssh's own: ~/.ssh/config)",
        ),
    ] {
        let from_env = std::env::var_os(env).filter(|v| !v.is_empty());
        let (value, from) = match (from_env, &setting.value, &setting.origin) {
            (Some(v), _, _) => (
                std::path::PathBuf::from(v).display().to_string(),
                env.to_string(),
            ),
            (None, Some(p), Origin::File(at)) => (p.display().to_string(), at.clone()),
            _ => (none.to_string(), "default".to_string()),
        };
        rows.push((key.into(), value, from));
    }
    let mut out = match &config.file {
        Some(f) => format!("config file: {}\n\n", f.display()),
        None => {
            "config file: none (no runbook.toml from here up to the repository's root)\n\n".into()
        }
    };
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    for (key, value, from) in rows {
        let pad = w1.saturating_sub(value.chars().count());
        out.push_str(&format!("{key:w0$}  {value}{}  {from}\n", " ".repeat(pad)));
    }
    out.push_str("\n(command-line flags win over these: --state-dir, --store, --inventory, --ssh-config, --no-shellcheck, paths given to lint)\n");
    let code = print_stdout(&out);
    if code == EXIT_OK { EXIT_OK } else { code }
}
