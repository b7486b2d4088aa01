//! Stage 3b: the executor walks a runbook's step graph with an operator.

pub mod drill;
pub mod executor;
pub mod inputs;
pub mod interactive;
pub mod journal;
pub mod mask;
pub mod operator;
pub mod render;
pub mod replay;
pub mod screen;
pub mod scripted;
pub mod shell;
pub mod signals;
pub mod state;
pub mod tally;
pub mod tty;
