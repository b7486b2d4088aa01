//! How steps with `on:` reach their hosts, as the command was told (flags, environment,
//! runbook.toml): set once by the command, read by the walk and by lint.

/// The settings of the process: flags, environment and runbook.toml, set once by the command.
#[derive(Debug, Clone, Default)]
pub struct FleetSettings {
    /// `--inventory`, `RUNBOOK_INVENTORY`: used instead of the runbook's `inventory:`.
    pub inventory: Option<std::path::PathBuf>,
    /// `[fleet] inventory` of runbook.toml: used when neither gives one.
    pub default_inventory: Option<std::path::PathBuf>,
    /// `--ssh-config`, `RUNBOOK_SSH_CONFIG`, `[fleet] ssh_config`.
    pub ssh_config: Option<std::path::PathBuf>,
}

static SETTINGS: std::sync::Mutex<Option<FleetSettings>> = std::sync::Mutex::new(None);

/// Sets how steps with `on:` reach their hosts (by the command, once, before the walk).
pub fn configure(settings: FleetSettings) {
    *SETTINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(settings);
}

pub fn settings() -> FleetSettings {
    SETTINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .unwrap_or_default()
}
