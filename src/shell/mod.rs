//! One model of shell text, below rendering and lint: how the text at any offset of a script
//! is quoted ([`context_at`]), the shell's own words of each simple command ([`words`]), and
//! the strings that a command parses again as shell code ([`plan`]).

/// Prefix of the variables that carry substituted values into a script.
pub const VALUE_PREFIX: &str = "RUNBOOK_VALUE_";

mod context;
pub mod entered;
pub mod environment;
pub mod flow;
mod functions;
pub mod nested;
pub mod programs;
pub mod quote;
mod spill;
pub use spill::elsewhere;
pub mod splice;
pub mod spreads;
pub mod unseen;
mod widening;
pub mod words;

pub use context::{Quoting, arithmetic_names, balanced, context_at};
pub use flow::changed_on_the_way;
pub use nested::{
    Foreign, Layer, Plan, Refusal, Slot, Unsafe, Uses, check_dollar_single, plan, reparsed_refs,
    runs_as_code, uses,
};
