//! Rules about values that both lint and the executor apply: which names are identifiers,
//! which environment variables a runbook may not set behind the operator's back, whether a
//! value fits an input or an `ask`.

mod input;
pub mod pattern;
pub mod visible;

pub use input::{InputValue, shown_value, valid_answer, validate};

/// Whether `s` is a shell and template identifier: a letter or `_`, then letters, digits, `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Environment variables that change what every later command runs: a shell start-up file
/// (`BASH_ENV`, `ENV`), shell options and trace prompts that run code (`SHELLOPTS`,
/// `BASHOPTS`, `PS4`), libraries loaded into every program (`LD_PRELOAD`, `LD_LIBRARY_PATH`,
/// `LD_AUDIT`). Only the runbook's own top-level `env:` may set them, where a reviewer sees it.
pub const PROTECTED_ENV: [&str; 8] = [
    "BASH_ENV",
    "ENV",
    "SHELLOPTS",
    "BASHOPTS",
    "PS4",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "LD_AUDIT",
];

pub fn is_protected_env(name: &str) -> bool {
    PROTECTED_ENV.contains(&name)
}

/// Variables of the operator's environment that are not passed to steps (a start-up file a
/// non-interactive shell would read before every step), unless the runbook sets them.
pub const DROPPED_ENV: [&str; 2] = ["BASH_ENV", "ENV"];
