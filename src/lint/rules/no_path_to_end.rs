use crate::graph::{StepGraph, Target};
use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a reachable step from which no path leads to the end of the runbook, for
    /// example a `choose` whose every option loops back. Reported once, where the run enters
    /// the trapped steps, with the steps it cannot leave.
    ///
    /// ## Why this matters
    /// An operator who reaches that step can never finish the run. (A loop with no decision
    /// at all is reported as RB011 instead.)
    ///
    /// ## Example
    /// ```yaml
    ///   - id: check
    ///     run: curl -fsS localhost/health
    ///   - id: healthy
    ///     choose:
    ///       options:
    ///         - {label: Check again, next: check}
    ///         - {label: Still broken, next: check}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///         - {label: Healthy, next: end}
    /// ```
    pub struct NoPathToEnd {
        code: "RB012",
        name: "no-path-to-end",
        severity: Error,
    }
}

/// At most this many trapped steps are named in a message.
const NAMED: usize = 6;

impl Rule for NoPathToEnd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        if !cx.graph.unresolved.is_empty() {
            return; // the unknown reference is the problem to fix first
        }
        let graph = &cx.graph;
        let reachable = graph.reachable();
        let reaches_end = graph.reaches_end();
        let stuck: Vec<bool> = (0..graph.len())
            .map(|i| reachable[i] && !reaches_end[i])
            .collect();
        let in_loop: Vec<usize> = graph
            .unbroken_loops()
            .into_iter()
            .flat_map(|(s, _)| s)
            .collect();
        // Every step after an entry is trapped too: one report per way in, not one per step.
        let entered_from_outside = |i: usize| {
            i == 0
                || graph
                    .edges
                    .iter()
                    .any(|e| e.to == Target::Step(i) && reachable[e.from] && !stuck[e.from])
        };
        for (i, step) in cx.runbook.steps.iter().enumerate() {
            if !stuck[i] || in_loop.contains(&i) || !entered_from_outside(i) {
                continue;
            }
            let trapped = trapped_from(graph, i);
            let mut names: Vec<String> = trapped
                .iter()
                .take(NAMED)
                .map(|&t| format!("`{}`", graph.ids[t]))
                .collect();
            if trapped.len() > NAMED {
                names.push(format!("and {} more", trapped.len() - NAMED));
            }
            let help = if trapped.len() == 1 {
                "give it a way out: a `choose` option or a `next` to a later step or `end`"
                    .to_string()
            } else {
                format!(
                    "every path from here stays among {}; give one of them a way out: a `choose` option or a `next` to a later step or `end`",
                    names.join(", ")
                )
            };
            out.push(Finding::new(
                step.anchor(),
                format!(
                    "no path from step `{}` reaches the end of the runbook",
                    step.id()
                ),
                help,
            ));
        }
    }
}

/// The steps reachable from `from` (itself included), in file order: all of them trapped.
fn trapped_from(graph: &StepGraph, from: usize) -> Vec<usize> {
    let mut seen = vec![false; graph.len()];
    seen[from] = true;
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        for e in graph.out_edges(n) {
            if let Target::Step(t) = e.to
                && !seen[t]
            {
                seen[t] = true;
                stack.push(t);
            }
        }
    }
    (0..graph.len()).filter(|&i| seen[i]).collect()
}
