//! The step graph as a Graphviz digraph: every step a node (decisions as diamonds, waits as
//! hexagons, sub-runbooks with a double border, dangerous steps in red), every edge of the
//! `StepGraph` with its label, and `end` as a terminal node.

use super::{Shape, edge_label, graph_node, node_id, one_line, title};
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::Runbook;
use std::fmt::Write;

pub fn render(rb: &Runbook, graph: &StepGraph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph runbook {{");
    let _ = writeln!(
        out,
        "    graph [label=\"{}\", labelloc=t, fontname=\"Helvetica\"];",
        escape(&one_line(&title(rb)))
    );
    let _ = writeln!(
        out,
        "    node [shape=box, style=rounded, fontname=\"Helvetica\"];"
    );
    let _ = writeln!(out, "    edge [fontname=\"Helvetica\", fontsize=10];");
    for step in &rb.steps {
        let node = graph_node(step);
        let label = node
            .lines
            .iter()
            .map(|l| escape(l))
            .collect::<Vec<_>>()
            .join("\\n");
        let mut attrs = vec![format!("label=\"{label}\"")];
        match node.shape {
            Shape::Box => {}
            Shape::Decision => attrs.push("shape=diamond".into()),
            Shape::Wait => attrs.push("shape=hexagon".into()),
            Shape::SubRunbook => attrs.push("peripheries=2".into()),
        }
        if node.dangerous {
            attrs.push("color=red, fontcolor=red, penwidth=2".into());
            if node.shape == Shape::Box {
                attrs.push("style=\"rounded,bold\"".into());
            }
        }
        let _ = writeln!(
            out,
            "    {} [{}];",
            node_id(Target::Step(step.index)),
            attrs.join(", ")
        );
    }
    let _ = writeln!(out, "    END [label=\"end\", shape=doublecircle];");
    for edge in &graph.edges {
        let to = node_id(edge.to);
        let mut attrs = Vec::new();
        if let Some(label) = edge_label(rb, edge) {
            attrs.push(format!("label=\"{}\"", escape(&label)));
        }
        match edge.kind {
            EdgeKind::OnFailure => attrs.push("style=dashed, color=red, fontcolor=red".into()),
            EdgeKind::Next => attrs.push("style=bold".into()),
            EdgeKind::Sequence | EdgeKind::Choice(_) => {}
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(
            out,
            "    {} -> {to}{attrs};",
            node_id(Target::Step(edge.from))
        );
    }
    out.push_str("}\n");
    out
}

/// Escapes text for a double-quoted DOT string. A backslash starts an escape in a label
/// (`\n`, `\l`, `\N`), so it is doubled; a line break becomes `\n`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn labels_cannot_break_out_of_their_quotes() {
        let cases = [
            ("say \"hi\"", "say \\\"hi\\\""),
            ("C:\\temp \\N", "C:\\\\temp \\\\N"),
            ("#1 [a] {b} <c> | d", "#1 [a] {b} <c> | d"),
            ("two\nlines", "two\\nlines"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text), expected, "{text}");
        }
    }
}
