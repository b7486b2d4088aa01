//! One file per step kind, each adding the methods of its kind to the [`Executor`](super::executor::Executor).

mod choose;
pub(crate) mod fleet;
mod manual;
mod run;
mod sub_runbook;
mod wait;
