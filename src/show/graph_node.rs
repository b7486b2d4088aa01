//! How steps and edges are drawn in a graph (Mermaid, Graphviz): shapes, ids, labels.

use super::text::{one_line, shorten};
use crate::graph::{Edge, EdgeKind, Target};
use crate::load::{Runbook, Step, StepKind};

/// How a step is drawn in a graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A manual step or a command.
    Box,
    /// A `choose`: a person decides.
    Decision,
    /// A `wait`: a condition decides.
    Wait,
    /// A sub-runbook call.
    SubRunbook,
}

/// A step as a graph node: its shape, whether it is dangerous, and its label lines (plain
/// text; each format escapes them).
pub struct GraphNode {
    pub shape: Shape,
    pub dangerous: bool,
    pub lines: Vec<String>,
}

pub fn graph_node(step: &Step) -> GraphNode {
    let shape = match step.kind() {
        Some(StepKind::Choose) => Shape::Decision,
        Some(StepKind::Wait) => Shape::Wait,
        Some(StepKind::Runbook) => Shape::SubRunbook,
        _ => Shape::Box,
    };
    let dangerous = step.is_dangerous();
    let title = step.title.as_ref().map_or("", |t| t.as_str());
    let mut lines = vec![format!(
        "{}{}. {}",
        if dangerous { "⚠ " } else { "" },
        step.index + 1,
        one_line(title)
    )];
    let mut detail = vec![step.id()];
    if let Some(name) = &step.runbook {
        detail.push(format!("runbook {}", name.value));
    }
    if dangerous {
        detail.push("dangerous".to_string());
    }
    lines.push(detail.join(" · "));
    if let Some(when) = &step.when {
        lines.push(format!("when {}", shorten(&one_line(when.as_str()), 60)));
    }
    GraphNode {
        shape,
        dangerous,
        lines,
    }
}

/// A graph node's id: the step's position, not its id, so that no id needs quoting and
/// none can be a keyword (`end` is one in Mermaid); `END` is the end of the runbook.
pub fn node_id(target: Target) -> String {
    match target {
        Target::Step(index) => format!("s{}", index + 1),
        Target::End => "END".to_string(),
    }
}

/// The label of an edge: a `choose` option's label, `on failure`, `next`; none for list order.
pub fn edge_label(rb: &Runbook, edge: &Edge) -> Option<String> {
    match edge.kind {
        EdgeKind::Sequence => None,
        EdgeKind::Next => Some("next".to_string()),
        EdgeKind::OnFailure => Some("on failure".to_string()),
        EdgeKind::Choice(n) => {
            let option = rb
                .steps
                .get(edge.from)
                .and_then(|s| s.choose.as_ref())
                .and_then(|c| c.value.options.get(n));
            let label = option
                .and_then(|o| o.label.as_ref())
                .map(|l| one_line(l.as_str()))
                .unwrap_or_else(|| format!("option {}", n + 1));
            // `end: failed`/`end: aborted` ends the run with that status, not as done.
            Some(match option.and_then(|o| o.end.as_ref()) {
                Some(end) => format!("{label} (ends the run {})", one_line(&end.value)),
                None => label,
            })
        }
    }
}
