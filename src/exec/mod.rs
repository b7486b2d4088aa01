//! Stage 3b: the executor walks a runbook's step graph with an operator.

pub mod command;
pub mod completed;
pub mod drill;
pub mod executor;
pub mod failure;
pub mod inputs;
pub mod interactive;
pub mod journal;
pub mod markdown;
pub mod mask;
pub mod operator;
pub mod outcome;
pub mod parts;
pub mod remote;
pub mod render;
pub mod replay;
pub mod rollback;
pub mod screen;
pub mod scripted;
pub mod shell;
pub mod signals;
pub mod state;
mod steps;
pub mod tally;
pub mod tee;
pub mod tether;
pub mod tty;
