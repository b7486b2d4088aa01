//! Which `vars` are set on every path from the first step to each step.
//!
//! A step sets its `capture`, `outputs`, `choose.var` and `ask.var` when it completes; when it
//! fails (an `on_failure: <step>` edge) only what was asked before the command. A step with
//! `when` may be skipped, so it guarantees nothing.

use super::{Edge, EdgeKind, StepGraph, Target};
use crate::load::{Runbook, Step};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The names a step sets, when it completes and when it fails.
pub fn sets(step: &Step) -> (Vec<&str>, Vec<&str>) {
    let asked: Vec<&str> = step
        .ask
        .iter()
        .flat_map(|a| a.value.each())
        .filter_map(|a| a.var.as_ref().map(|v| v.as_str()))
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
    pub at_step: Vec<Option<VarSet>>,
}

/// A set of the names the steps of one runbook set, one bit per name: a set per step of a
/// `BTreeSet<String>` made the analysis quadratic in memory (7 GB for a 2 MB file).
#[derive(Debug, Clone, PartialEq)]
pub struct VarSet {
    names: Arc<HashMap<String, usize>>,
    bits: Vec<u64>,
}

impl VarSet {
    pub fn contains(&self, name: &str) -> bool {
        self.names
            .get(name)
            .is_some_and(|&i| self.bits[i / 64] & (1 << (i % 64)) != 0)
    }
}

impl DefinedVars {
    pub fn compute(rb: &Runbook, graph: &StepGraph) -> DefinedVars {
        let n = rb.steps.len();
        let mut names: HashMap<String, usize> = HashMap::new();
        for step in &rb.steps {
            for name in sets(step).0 {
                let next = names.len();
                names.entry(name.to_string()).or_insert(next);
            }
        }
        let words = names.len().div_ceil(64);
        let bits_of = |list: Vec<&str>| {
            let mut bits = vec![0u64; words];
            for name in list {
                if let Some(&i) = names.get(name) {
                    bits[i / 64] |= 1 << (i % 64);
                }
            }
            bits
        };
        // What each edge adds, in the order of `graph.edges`.
        let adds: Vec<Vec<u64>> = graph
            .edges
            .iter()
            .map(|e| bits_of(edge_sets(&rb.steps[e.from], e)))
            .collect();
        let mut at: Vec<Option<Vec<u64>>> = vec![None; n];
        if n > 0 {
            at[0] = Some(vec![0; words]);
        }
        // A worklist from the first step: each set only shrinks once reached, so this reaches
        // the same fixed point as sweeping every edge until nothing changes, in far fewer steps.
        let first_edge: Vec<usize> = (0..=n)
            .map(|i| graph.edges.partition_point(|e| e.from < i))
            .collect();
        let mut queued = vec![false; n];
        let mut queue = std::collections::VecDeque::new();
        if n > 0 {
            queue.push_back(0);
            queued[0] = true;
        }
        while let Some(from) = queue.pop_front() {
            queued[from] = false;
            let Some(before) = at[from].clone() else {
                continue;
            };
            let out = first_edge[from]..first_edge[from + 1];
            for (edge, add) in graph.edges[out.clone()].iter().zip(&adds[out]) {
                let Target::Step(to) = edge.to else {
                    continue;
                };
                if to == 0 {
                    continue;
                }
                let after = before.iter().zip(add).map(|(b, a)| b | a);
                let changed = match &mut at[to] {
                    None => {
                        at[to] = Some(after.collect());
                        true
                    }
                    Some(existing) => {
                        let mut changed = false;
                        for (e, a) in existing.iter_mut().zip(after) {
                            let merged = *e & a;
                            changed |= merged != *e;
                            *e = merged;
                        }
                        changed
                    }
                };
                if changed && !queued[to] {
                    queued[to] = true;
                    queue.push_back(to);
                }
            }
        }
        let names = Arc::new(names);
        DefinedVars {
            at_step: at
                .into_iter()
                .map(|bits| {
                    bits.map(|bits| VarSet {
                        names: names.clone(),
                        bits,
                    })
                })
                .collect(),
        }
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
pub(crate) mod tests {
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

    /// The sweep the worklist replaced: every edge until nothing changes.
    fn reference(rb: &Runbook, graph: &StepGraph) -> Vec<Option<BTreeSet<String>>> {
        let n = rb.steps.len();
        let mut at_step: Vec<Option<BTreeSet<String>>> = vec![None; n];
        if n == 0 {
            return at_step;
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
        at_step
    }

    /// A random runbook of `n` steps with jumps, choices, failures, conditions and variables.
    pub(crate) fn random_runbook(seed: u64, n: usize) -> String {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        let mut y = String::from("title: t\nsteps:\n");
        for i in 0..n {
            y.push_str(&format!("- id: s{i}\n  title: s{i}\n"));
            let target = |k: usize| {
                if k == n {
                    "end".to_string()
                } else {
                    format!("s{k}")
                }
            };
            match next(5) {
                0 => {
                    let a = target(next(n + 1));
                    let b = target(next(n + 1));
                    let var = format!("c{}", next(4));
                    y.push_str(&format!(
                        "  choose: {{var: {var}, options: [{{label: a, next: {a}}}, {{label: b, next: {b}}}]}}\n"
                    ));
                }
                1 => y.push_str("  wait: {run: x, until: output, timeout: 1m}\n"),
                2 => y.push_str(&format!(
                    "  ask: {{var: a{}, prompt: p}}\n  run: x\n",
                    next(4)
                )),
                _ => y.push_str(&format!("  run: x\n  capture: v{}\n", next(6))),
            }
            if next(3) == 0 {
                y.push_str(&format!("  outputs: [o{}, o{}]\n", next(5), next(5)));
            }
            if next(4) == 0 {
                y.push_str(&format!("  next: {}\n", target(next(n + 1))));
            }
            if next(5) == 0 {
                y.push_str(&format!("  on_failure: {}\n", target(next(n))));
            }
            if next(6) == 0 {
                y.push_str("  when: vars.v1 == 1\n");
            }
        }
        y
    }

    #[test]
    fn the_worklist_finds_what_sweeping_every_edge_finds() {
        for seed in 0..200 {
            let yaml = random_runbook(seed, 1 + (seed as usize % 14));
            let rb = load_bytes(Path::new("t.yaml"), yaml.clone().into_bytes())
                .runbook
                .unwrap();
            let graph = StepGraph::build(&rb);
            let fast = DefinedVars::compute(&rb, &graph);
            let slow = reference(&rb, &graph);
            let every = all_defined(&rb);
            for (step, (f, s)) in fast.at_step.iter().zip(&slow).enumerate() {
                assert_eq!(f.is_some(), s.is_some(), "step {step} of\n{yaml}");
                if let (Some(f), Some(s)) = (f, s) {
                    for name in &every {
                        assert_eq!(
                            f.contains(name),
                            s.contains(name),
                            "{name} at {step} of\n{yaml}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn thousands_of_steps_and_variables_stay_small() {
        // 1,000 steps that each set 20 new names: as sets of strings they took 500 MB.
        let mut yaml = String::from("title: t\nsteps:\n");
        for i in 0..1000 {
            let outputs: Vec<String> = (0..20).map(|j| format!("o{i}_{j}")).collect();
            yaml.push_str(&format!(
                "- {{id: s{i}, title: s, run: x, outputs: [{}]}}\n",
                outputs.join(", ")
            ));
        }
        let rb = load_bytes(Path::new("t.yaml"), yaml.into_bytes())
            .runbook
            .unwrap();
        let graph = StepGraph::build(&rb);
        let defined = DefinedVars::compute(&rb, &graph);
        let last = defined.at_step[999].as_ref().unwrap();
        assert!(last.contains("o0_0") && last.contains("o998_19") && !last.contains("o999_0"));
    }
}
