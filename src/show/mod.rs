//! `runbook show`: a runbook rendered for people, one file per format: a Markdown checklist
//! to print or paste into a wiki (`md`), or its step graph for Mermaid or Graphviz. The
//! renderers only read the `Runbook` and its `StepGraph`; they never print.

pub mod dot;
pub mod graph_node;
pub mod md;
pub mod mermaid;
pub mod text;

pub use graph_node::{GraphNode, Shape, edge_label, graph_node, node_id};
pub use text::{one_line, shorten, title};

use crate::graph::StepGraph;
use crate::load::Runbook;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// A Markdown checklist
    Md,
    /// A Mermaid flowchart
    Mermaid,
    /// A Graphviz digraph
    Dot,
}

/// Renders a runbook in a format.
pub fn render(rb: &Runbook, format: ShowFormat) -> String {
    let graph = StepGraph::build(rb);
    match format {
        ShowFormat::Md => md::render(rb, &graph),
        ShowFormat::Mermaid => mermaid::render(rb, &graph),
        ShowFormat::Dot => dot::render(rb, &graph),
    }
}
