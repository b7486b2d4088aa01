//! Which `vars` are set on every path from the first step to each step.
//!
//! A step sets its `capture`, `outputs`, `choose.var` and `ask.var` when it completes; when it
//! fails (an `on_failure: <step>` edge) only what was asked before the command. A step with
//! `when` may be skipped, so it guarantees nothing.

use super::{Edge, EdgeKind, StepGraph, Target};
use crate::load::{Runbook, Step};
use std::collections::BTreeSet;

/// The names a step sets, when it completes and when it fails.
pub fn sets(step: &Step) -> (Vec<&str>, Vec<&str>) {
    let asked: Vec<&str> = step
        .ask
        .as_ref()
        .and_then(|a| a.value.var.as_ref())
        .map(|v| v.as_str())
        .into_iter()
        .collect();
    let mut done = asked.clone();
    done.extend(step.capture.as_ref().map(|c| c.var.as_str()));
    done.extend(step.outputs.iter().map(|o| o.as_str()));
    done.extend(
        step.choose
            .as_ref()
            .and_then(|c| c.value.var.as_ref())
            .map(|v| v.as_str()),
    );
    (done, asked)
}

/// Every name some step of the runbook sets.
pub fn all_defined(rb: &Runbook) -> BTreeSet<String> {
    rb.steps
        .iter()
        .flat_map(|s| sets(s).0)
        .map(str::to_string)
        .collect()
}

/// For each step, the names set on every path to it (`None` for an unreachable step).
pub struct DefinedVars {
    pub at_step: Vec<Option<BTreeSet<String>>>,
}

impl DefinedVars {
    pub fn compute(rb: &Runbook, graph: &StepGraph) -> DefinedVars {
        let n = rb.steps.len();
        let mut at_step: Vec<Option<BTreeSet<String>>> = vec![None; n];
        if n == 0 {
            return DefinedVars { at_step };
        }
        at_step[0] = Some(BTreeSet::new());
        let mut changed = true;
        while changed {
            changed = false;
            for edge in &graph.edges {
                let Target::Step(to) = edge.to else { continue };
                let Some(before) = &at_step[edge.from] else {
                    continue;
                };
                let mut after = before.clone();
                after.extend(
                    edge_sets(&rb.steps[edge.from], edge)
                        .into_iter()
                        .map(str::to_string),
                );
                let merged = match &at_step[to] {
                    None => after,
                    Some(existing) if to == 0 => existing.clone(),
                    Some(existing) => existing.intersection(&after).cloned().collect(),
                };
                if at_step[to].as_ref() != Some(&merged) {
                    at_step[to] = Some(merged);
                    changed = true;
                }
            }
        }
        DefinedVars { at_step }
    }

    /// A path from the first step to `step` on which no step sets `name`.
    pub fn missing_path(
        rb: &Runbook,
        graph: &StepGraph,
        step: usize,
        name: &str,
    ) -> Option<Vec<usize>> {
        graph.path_avoiding(step, |edge| {
            edge_sets(&rb.steps[edge.from], edge).contains(&name)
        })
    }
}

/// What a step guarantees to have set when it is left along `edge`.
fn edge_sets<'a>(step: &'a Step, edge: &Edge) -> Vec<&'a str> {
    if step.when.is_some() {
        return Vec::new();
    }
    let (done, failed) = sets(step);
    if edge.kind == EdgeKind::OnFailure {
        failed
    } else {
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;
    use std::path::Path;

    #[test]
    fn a_branch_that_skips_the_capture() {
        let yaml = concat!(
            "title: t\nsteps:\n",
            "- id: pick\n  title: p\n  choose: {options: [{label: a, next: get}, {label: b, next: use}]}\n",
            "- {id: get, title: g, run: x, capture: ip}\n",
            "- {id: use, title: u, run: 'echo {{ vars.ip }}'}\n",
        );
        let rb = load_bytes(Path::new("t.yaml"), yaml.as_bytes().to_vec())
            .runbook
            .unwrap();
        let graph = StepGraph::build(&rb);
        let defined = DefinedVars::compute(&rb, &graph);
        assert!(
            defined.at_step[2]
                .as_ref()
                .is_some_and(|s| !s.contains("ip"))
        );
        assert_eq!(
            DefinedVars::missing_path(&rb, &graph, 2, "ip"),
            Some(vec![0, 2])
        );
    }
}
