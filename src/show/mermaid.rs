//! The step graph as a Mermaid flowchart: every step a node (decisions as rhombus, waits as
//! hexagons, sub-runbooks as subroutines, dangerous steps marked), every edge of the
//! `StepGraph` with its label, and `end` as a terminal node.

use super::{GraphNode, Shape, edge_label, graph_node, node_id, one_line, title};
use crate::graph::{EdgeKind, StepGraph, Target};
use crate::load::Runbook;
use std::fmt::Write;

pub fn render(rb: &Runbook, graph: &StepGraph) -> String {
    let mut out = String::new();
    // Front matter is how Mermaid takes a diagram title; a JSON string is valid YAML.
    let heading = serde_json::Value::String(one_line(&title(rb))).to_string();
    let _ = writeln!(out, "---\ntitle: {heading}\n---\nflowchart TD");
    let mut dangerous = Vec::new();
    for step in &rb.steps {
        let node = graph_node(step);
        let id = node_id(Target::Step(step.index));
        if node.dangerous {
            dangerous.push(id.clone());
        }
        let _ = writeln!(out, "    {id}{}", shape(&node));
    }
    let _ = writeln!(out, "    END([\"end\"])");
    for edge in &graph.edges {
        let to = node_id(edge.to);
        let arrow = match edge.kind {
            EdgeKind::OnFailure => "-.->",
            EdgeKind::Next => "==>",
            EdgeKind::Sequence | EdgeKind::Choice(_) => "-->",
        };
        let label = edge_label(rb, edge)
            .map(|l| format!("|\"{}\"|", escape(&l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {} {arrow}{label} {to}",
            node_id(Target::Step(edge.from))
        );
    }
    if !dangerous.is_empty() {
        let _ = writeln!(
            out,
            "    classDef dangerous fill:#fde8e8,stroke:#c81e1e,stroke-width:3px,color:#771d1d"
        );
        let _ = writeln!(out, "    class {} dangerous", dangerous.join(","));
    }
    out
}

fn shape(node: &GraphNode) -> String {
    let label = node
        .lines
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br>");
    let (open, close) = match node.shape {
        Shape::Box => ("[", "]"),
        Shape::Decision => ("{", "}"),
        Shape::Wait => ("{{", "}}"),
        Shape::SubRunbook => ("[[", "]]"),
    };
    format!("{open}\"{label}\"{close}")
}

/// Escapes a label written inside double quotes. Mermaid has no backslash escapes: a
/// character that would end the label or be read as markup is written as an entity code
/// (`#quot;`, `#35;`), and `#` itself starts one, so it is encoded too.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '\n' | '\r' => out.push_str("<br>"),
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
            ("say \"hi\"", "say #quot;hi#quot;"),
            ("#1 [a] {b}", "#35;1 [a] {b}"),
            ("a < b | c", "a #lt; b #124; c"),
            ("two\nlines", "two<br>lines"),
            ("`code` & x", "#96;code#96; #amp; x"),
        ];
        for (text, expected) in cases {
            assert_eq!(escape(text), expected, "{text}");
        }
    }
}
