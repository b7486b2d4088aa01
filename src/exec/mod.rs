//! Stage 3b: the executor walks a runbook's step graph with an operator.

pub mod mask;
pub mod shell;
