#![recursion_limit = "256"]
//! `runbook`: runbooks as code. The pipeline: `load` (file → spanned `Runbook`) → `graph`
//! (`StepGraph`) → `lint` (rules → `Diagnostic`s) → `render` (one format per file).
//! See docs/ARCHITECTURE.md.

pub mod cli;
pub mod commands;
pub mod config;
pub mod exec;
pub mod fleet;
pub mod graph;
pub mod import;
pub mod lint;
pub mod load;
pub mod render;
pub mod report;
pub mod shell;
pub mod show;
pub mod store;
pub mod suggest;
pub mod template;
pub mod values;
