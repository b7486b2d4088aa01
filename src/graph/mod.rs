//! Stage 2: the runbook's steps as a graph (SPEC §2.6): ids resolved, edges, reachability.

pub mod dataflow;

use crate::load::{Runbook, Span, StepKind};
use std::collections::HashMap;

/// Where an edge leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Step(usize),
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// The next step in the list.
    Sequence,
    /// An explicit `next`.
    Next,
    /// The option of a `choose`, by index.
    Choice(usize),
    /// `on_failure: <step>`.
    OnFailure,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: Target,
    pub kind: EdgeKind,
    /// Where the edge is written (for a list-order edge, the step's anchor).
    pub span: Span,
}

/// A step reference that names no step.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub step: usize,
    pub name: String,
    pub field: &'static str,
    pub span: Span,
}

/// The validated step graph of one runbook.
#[derive(Debug, Clone, Default)]
pub struct StepGraph {
    /// Step ids by position.
    pub ids: Vec<String>,
    pub index: HashMap<String, usize>,
    /// In the order of their `from` step, as [`StepGraph::build`] makes them: `out_edges`
    /// relies on it.
    pub edges: Vec<Edge>,
    pub unresolved: Vec<Unresolved>,
    /// (duplicate, first) positions of steps whose id is already taken.
    pub duplicates: Vec<(usize, usize)>,
    /// Steps where a person or a condition decides (`choose`, `wait`): loops must pass one.
    pub breakers: Vec<bool>,
}

impl StepGraph {
    pub fn build(rb: &Runbook) -> StepGraph {
        let mut graph = StepGraph::default();
        for step in &rb.steps {
            let id = step.id();
            if let Some(&first) = graph.index.get(&id) {
                graph.duplicates.push((step.index, first));
            } else {
                graph.index.insert(id.clone(), step.index);
            }
            graph.ids.push(id);
            graph.breakers.push(matches!(
                step.kind(),
                Some(StepKind::Choose | StepKind::Wait)
            ));
        }
        let count = rb.steps.len();
        for step in &rb.steps {
            let i = step.index;
            let following = if i + 1 < count {
                Target::Step(i + 1)
            } else {
                Target::End
            };
            let default = match &step.next {
                Some(next) => graph
                    .resolve(i, next.as_str(), "next", next.span)
                    .map(|t| (t, EdgeKind::Next, next.span)),
                None => Some((following, EdgeKind::Sequence, step.anchor())),
            };
            match step.choose.as_ref().filter(|c| !c.value.options.is_empty()) {
                Some(choose) => {
                    for (n, option) in choose.value.options.iter().enumerate() {
                        let target = match (&option.end, &option.next) {
                            // `end: failed`: the run ends there.
                            (Some(_), _) => Some(Target::End),
                            (None, Some(next)) => {
                                graph.resolve(i, next.as_str(), "next", next.span)
                            }
                            (None, None) => default.map(|(t, _, _)| t),
                        };
                        if let Some(to) = target {
                            let span = option.next.as_ref().map_or(option.span, |n| n.span);
                            graph.edges.push(Edge {
                                from: i,
                                to,
                                kind: EdgeKind::Choice(n),
                                span,
                            });
                        }
                    }
                }
                None => {
                    if let Some((to, kind, span)) = default {
                        graph.edges.push(Edge {
                            from: i,
                            to,
                            kind,
                            span,
                        });
                    }
                }
            }
            if let Some(on_failure) = &step.on_failure
                && !matches!(on_failure.as_str(), "ask" | "abort" | "continue")
                && let Some(to) =
                    graph.resolve(i, on_failure.as_str(), "on_failure", on_failure.span)
            {
                graph.edges.push(Edge {
                    from: i,
                    to,
                    kind: EdgeKind::OnFailure,
                    span: on_failure.span,
                });
            }
        }
        graph
    }

    fn resolve(
        &mut self,
        step: usize,
        name: &str,
        field: &'static str,
        span: Span,
    ) -> Option<Target> {
        if name == "end" {
            return Some(Target::End);
        }
        match self.index.get(name) {
            Some(&i) => Some(Target::Step(i)),
            None => {
                self.unresolved.push(Unresolved {
                    step,
                    name: name.to_string(),
                    field,
                    span,
                });
                None
            }
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn out_edges(&self, step: usize) -> impl Iterator<Item = &Edge> {
        // A binary search rather than a scan: walks over the graph call this for every step,
        // and a scan made them quadratic in the number of steps.
        let first = self.edges.partition_point(|e| e.from < step);
        self.edges[first..]
            .iter()
            .take_while(move |e| e.from == step)
    }

    /// Which steps can be reached from the first step.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack = Vec::new();
        if !self.is_empty() {
            seen[0] = true;
            stack.push(0);
        }
        while let Some(n) = stack.pop() {
            for e in self.out_edges(n) {
                if let Target::Step(t) = e.to
                    && !seen[t]
                {
                    seen[t] = true;
                    stack.push(t);
                }
            }
        }
        seen
    }

    /// Which steps have a path to `end`.
    pub fn reaches_end(&self) -> Vec<bool> {
        let mut ok = vec![false; self.len()];
        let mut before: Vec<Vec<usize>> = vec![Vec::new(); self.len()];
        let mut stack = Vec::new();
        for e in &self.edges {
            match e.to {
                Target::End if !ok[e.from] => {
                    ok[e.from] = true;
                    stack.push(e.from);
                }
                Target::Step(t) => before[t].push(e.from),
                Target::End => {}
            }
        }
        while let Some(n) = stack.pop() {
            for &p in &before[n] {
                if !ok[p] {
                    ok[p] = true;
                    stack.push(p);
                }
            }
        }
        ok
    }

    /// Cycles that pass no `choose` or `wait`: each as its steps, and the edge that closes it.
    pub fn unbroken_loops(&self) -> Vec<(Vec<usize>, Edge)> {
        let n = self.len();
        let succ: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                if self.breakers[i] {
                    return Vec::new();
                }
                self.out_edges(i)
                    .filter_map(|e| match e.to {
                        Target::Step(t) if !self.breakers[t] => Some(t),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let mut loops = Vec::new();
        let mut inside = vec![false; n];
        for component in strongly_connected(&succ) {
            let is_cycle = component.len() > 1 || succ[component[0]].contains(&component[0]);
            if !is_cycle {
                continue;
            }
            let mut steps = component;
            steps.sort_unstable();
            for &i in &steps {
                inside[i] = true;
            }
            // The first edge, from the lowest step, that goes back inside the component.
            let closing = steps
                .iter()
                .find_map(|&from| {
                    self.out_edges(from)
                        .find(|e| matches!(e.to, Target::Step(t) if inside[t] && t <= e.from))
                })
                .cloned();
            for &i in &steps {
                inside[i] = false;
            }
            if let Some(edge) = closing {
                loops.push((steps, edge));
            }
        }
        loops.sort_by_key(|(steps, _)| steps[0]);
        loops
    }

    /// A shortest path of step positions from the first step to `to`, avoiding the edges for
    /// which `blocked(edge)` holds. `None` when every path is blocked.
    pub fn path_avoiding(&self, to: usize, blocked: impl Fn(&Edge) -> bool) -> Option<Vec<usize>> {
        if self.is_empty() {
            return None;
        }
        let mut prev: Vec<Option<usize>> = vec![None; self.len()];
        let mut seen = vec![false; self.len()];
        seen[0] = true;
        let mut queue = std::collections::VecDeque::from([0]);
        while let Some(n) = queue.pop_front() {
            if n == to {
                let mut path = vec![n];
                let mut at = n;
                while let Some(p) = prev[at] {
                    path.push(p);
                    at = p;
                }
                path.reverse();
                return Some(path);
            }
            for e in self.out_edges(n) {
                if let Target::Step(t) = e.to
                    && !seen[t]
                    && !blocked(e)
                {
                    seen[t] = true;
                    prev[t] = Some(n);
                    queue.push_back(t);
                }
            }
        }
        None
    }
}

/// Tarjan's algorithm without recursion, so that no runbook can exhaust the stack.
fn strongly_connected(succ: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = succ.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut components = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some((v, child)) = work.pop() {
            if child == 0 {
                index[v] = counter;
                low[v] = counter;
                counter += 1;
                stack.push(v);
                on_stack[v] = true;
            } else {
                let w = succ[v][child - 1];
                low[v] = low[v].min(low[w]);
            }
            let mut descended = false;
            for (k, &w) in succ[v].iter().enumerate().skip(child) {
                if index[w] == usize::MAX {
                    work.push((v, k + 1));
                    work.push((w, 0));
                    descended = true;
                    break;
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            }
            if descended {
                continue;
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                components.push(component);
            }
        }
    }
    components
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load_bytes;
    use std::path::Path;

    fn graph(yaml: &str) -> StepGraph {
        let loaded = load_bytes(Path::new("t.yaml"), yaml.as_bytes().to_vec());
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        StepGraph::build(&loaded.runbook.unwrap())
    }

    #[test]
    fn loops_reachability_and_end() {
        let g = graph(
            "title: t\nsteps:\n- {id: a, title: a, run: x}\n- {id: b, title: b, run: y, next: a}\n- {id: c, title: c, run: z}\n",
        );
        assert_eq!(g.reachable(), [true, true, false]);
        assert_eq!(g.reaches_end(), [false, false, true]);
        let loops = g.unbroken_loops();
        assert_eq!(loops.len(), 1);
        assert_eq!(loops[0].0, [0, 1]);
        assert_eq!(loops[0].1.from, 1);
    }

    #[test]
    fn a_choose_breaks_a_loop() {
        let g = graph(concat!(
            "title: t\nsteps:\n- {id: a, title: a, run: x}\n",
            "- id: b\n  title: b\n  choose: {options: [{label: again, next: a}, {label: done, next: end}]}\n",
        ));
        assert!(g.unbroken_loops().is_empty());
        assert_eq!(g.reaches_end(), [true, true]);
    }

    /// The fixed point that the reverse walk replaced.
    fn reaches_end_by_sweeping(g: &StepGraph) -> Vec<bool> {
        let mut ok = vec![false; g.len()];
        let mut changed = true;
        while changed {
            changed = false;
            for e in &g.edges {
                if !ok[e.from] && (e.to == Target::End || matches!(e.to, Target::Step(t) if ok[t]))
                {
                    ok[e.from] = true;
                    changed = true;
                }
            }
        }
        ok
    }

    /// The closing edge as it was found before: a scan of every edge.
    fn closing_by_scanning(g: &StepGraph, steps: &[usize]) -> Option<Edge> {
        g.edges
            .iter()
            .filter(|e| steps.contains(&e.from))
            .filter(|e| matches!(e.to, Target::Step(t) if steps.contains(&t) && t <= e.from))
            .min_by_key(|e| e.from)
            .cloned()
    }

    #[test]
    fn walks_agree_with_the_plain_fixed_points() {
        for seed in 0..200 {
            let yaml = dataflow::tests::random_runbook(seed, 1 + (seed as usize % 14));
            let rb = load_bytes(Path::new("t.yaml"), yaml.clone().into_bytes())
                .runbook
                .unwrap();
            let g = StepGraph::build(&rb);
            assert!(g.edges.is_sorted_by_key(|e| e.from));
            assert_eq!(g.reaches_end(), reaches_end_by_sweeping(&g), "{yaml}");
            let reachable: Vec<bool> = (0..g.len())
                .map(|i| i == 0 || g.path_avoiding(i, |_| false).is_some())
                .collect();
            assert_eq!(g.reachable(), reachable, "{yaml}");
            for (steps, edge) in g.unbroken_loops() {
                assert_eq!(Some(edge), closing_by_scanning(&g, &steps), "{yaml}");
            }
            for i in 0..g.len() {
                let scanned: Vec<&Edge> = g.edges.iter().filter(|e| e.from == i).collect();
                assert_eq!(g.out_edges(i).collect::<Vec<_>>(), scanned);
            }
        }
    }

    #[test]
    fn long_chains_stay_linear() {
        // 5,000 steps in one loop: scanning every edge for each step made this quadratic.
        let mut yaml = String::from("title: t\nsteps:\n");
        for i in 0..5_000 {
            yaml.push_str(&format!(
                "- {{id: s{i}, title: s, run: x, next: s{}}}\n",
                (i + 1) % 5_000
            ));
        }
        let g = graph(&yaml);
        assert!(g.reachable().iter().all(|r| *r));
        assert!(g.reaches_end().iter().all(|r| !*r));
        let loops = g.unbroken_loops();
        assert_eq!(loops.len(), 1);
        assert_eq!(loops[0].0.len(), 5_000);
        assert_eq!(
            g.path_avoiding(4_999, |_| false).map(|p| p.len()),
            Some(5_000)
        );
    }

    #[test]
    fn unresolved_and_duplicate_ids() {
        let g = graph(
            "title: t\nsteps:\n- {id: a, title: a, run: x, next: bb}\n- {id: a, title: b, run: y}\n",
        );
        assert_eq!(g.unresolved.len(), 1);
        assert_eq!(g.duplicates, [(1, 0)]);
    }
}
