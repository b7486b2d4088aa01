//! Fleets: where a step runs. An Ansible inventory (INI or YAML) read into hosts and groups
//! (`inventory.rs`, read by `read.rs` through `ini.rs` or `yaml.rs`, with `builder.rs` for
//! what both share and `pattern.rs` for host ranges); a step's `on:` resolved into the hosts
//! to reach (`targets.rs`); `serial` and `max_failures` and the batches they make
//! (`batches.rs`).
//!
//! The inventory's format is YAML for `.yml`, `.yaml` and `.json` files; any other name is INI
//! unless its first line is a YAML mapping key (`all:`) and no line starts with `[`
//! (`read.rs`). A string `on:` is split at new lines, commas and whitespace, or read as a
//! rendered list (`targets.rs`). `serial` percentages round up (at least 1 host),
//! `max_failures` percentages round down (`batches.rs`).
//!
//! Pure: no file is read, nothing is printed, no process is started. Every name that may
//! reach `ssh` is checked in one place (`name.rs`). No input panics; budgets (file size,
//! hosts, groups, YAML depth and values) bound time and memory.

mod batches;
mod builder;
mod error;
mod ini;
mod inventory;
mod name;
mod pattern;
mod read;
mod settings;
mod step;
mod targets;
mod yaml;

pub use batches::{Amount, AmountError, AmountKey, batches};
pub use builder::{MAX_GROUPS, MAX_PROBLEMS};
pub use error::{InventoryError, InventoryErrorKind};
pub use inventory::{Group, Host, Inventory};
pub use name::{
    NameProblem, NameRole, check_group_name, check_name, shown, unplain_host_character,
};
pub use pattern::MAX_HOSTS;
pub use read::{Format, MAX_BYTES, read_file};
pub use settings::{FleetSettings, configure, settings};
pub use step::unsupported;
pub use targets::{On, Target, TargetError, Targets, Unknown, names_in, targets};
pub use yaml::{MAX_DEPTH, MAX_NODES};
