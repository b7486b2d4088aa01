//! Placeholders that only the steps of some options of a decision use: asked in the step of
//! the option that first needs them (`ask:`), not of every operator before the run starts.
//! An audit found a primary-site failover asking for the DR database's name (`<DR_DB>`,
//! used only under "If you are on the DR site"), and refusing to start without it.

use super::draft::Draft;

/// What is known of an input on the way into a step: asked on no path there, on every
/// path, or on some only (then it stays an input of the runbook).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Asked {
    Unreached,
    Never,
    Always,
    Some,
}

impl Asked {
    fn join(self, other: Asked) -> Asked {
        match (self, other) {
            (Asked::Unreached, x) | (x, Asked::Unreached) => x,
            (a, b) if a == b => a,
            _ => Asked::Some,
        }
    }
}

/// Each input with no value of the page's, not a secret and not in the runbook's `env:`,
/// whose steps all stand in options of decisions, each reached with it asked on every path
/// or on none: asked (`vars.NAME`) in the steps that need it first, and no longer an input.
pub(super) fn ask_in_options(d: &mut Draft) {
    if d.steps.iter().all(|s| s.choose.is_empty()) {
        return;
    }
    let next = d.successors();
    // (The walk of a draft goes forward only: its steps in order are each after the steps
    // that lead to it.)
    if next
        .iter()
        .enumerate()
        .any(|(k, to)| to.iter().any(|&n| n <= k))
    {
        return;
    }
    let mut before: Vec<Vec<usize>> = vec![Vec::new(); d.steps.len()];
    for (k, to) in next.iter().enumerate() {
        for &n in to {
            before[n].push(k);
        }
    }
    let taken: Vec<String> = d
        .steps
        .iter()
        .filter_map(|s| s.choose_var.clone())
        .collect();
    let names: Vec<String> = d.inputs.keys().cloned().collect();
    for name in names {
        let Some(input) = d.inputs.get(&name) else {
            continue;
        };
        if input.default.is_some()
            || input.secret_env.is_some()
            || taken.contains(&name)
            || d.env.values().any(|v| reads(v, &name))
        {
            continue;
        }
        let Some(at) = asked_at(d, &next, &before, &name) else {
            continue;
        };
        let prompt = input.description.clone();
        d.inputs.remove(&name);
        for (k, s) in d.steps.iter_mut().enumerate() {
            if let Some(run) = &mut s.run {
                *run = as_var(run, &name, false);
            }
            for (_, value) in &mut s.env {
                let guarded = chosen_by_option(value);
                *value = as_var(value, &name, guarded);
            }
            if at.contains(&k) {
                s.asks.push((name.clone(), prompt.clone()));
            }
        }
    }
}

/// The steps where `name` is asked: each step that reads it with it asked on no path there
/// (a step with a command, in an option: some path to the end passes it by). `None` where
/// it cannot be: a step reached with it asked on some paths only, a step on every path, a
/// step the walk never reaches.
fn asked_at(
    d: &Draft,
    next: &[Vec<usize>],
    before: &[Vec<usize>],
    name: &str,
) -> Option<Vec<usize>> {
    let mut state = vec![Asked::Unreached; d.steps.len()];
    let mut at = Vec::new();
    for (k, s) in d.steps.iter().enumerate() {
        let coming = if k == 0 {
            Asked::Never
        } else {
            before[k]
                .iter()
                .fold(Asked::Unreached, |a, &p| a.join(state[p]))
        };
        // (A value carried by the option taken, `inputs.a if vars.c == '1' else …`, reads it
        // only on the path of its own option.)
        let needs = s.run.as_deref().is_some_and(|r| reads(r, name))
            || s.env
                .iter()
                .any(|(_, v)| !chosen_by_option(v) && reads(v, name));
        state[k] = match (needs, coming) {
            (false, c) => c,
            (true, Asked::Unreached | Asked::Some) => return None,
            (true, Asked::Always) => Asked::Always,
            (true, Asked::Never) => {
                if s.run.is_none() || !s.choose.is_empty() || !passed_by(next, k) {
                    return None;
                }
                at.push(k);
                Asked::Always
            }
        };
    }
    (!at.is_empty()).then_some(at)
}

/// Whether an `env:` value is the one of the option taken (`inputs.a if vars.c == '1' else
/// …`, as `variables::carry_by_choice` writes it).
fn chosen_by_option(value: &str) -> bool {
    value.contains(" if vars.")
}

/// Whether some walk from the first step to the end passes step `k` by.
fn passed_by(next: &[Vec<usize>], k: usize) -> bool {
    let mut seen = vec![false; next.len()];
    let mut stack = vec![0];
    while let Some(s) = stack.pop() {
        if s == k || std::mem::replace(&mut seen[s], true) {
            continue;
        }
        if next[s].is_empty() {
            return true;
        }
        stack.extend(next[s].iter().copied());
    }
    false
}

/// Whether template text reads `inputs.NAME` (not `inputs.NAME_2`).
fn reads(text: &str, name: &str) -> bool {
    !spans(text, name).is_empty()
}

/// Where template text reads `inputs.NAME`: the byte ranges of `inputs.NAME`.
fn spans(text: &str, name: &str) -> Vec<(usize, usize)> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let needle = format!("inputs.{name}");
    text.match_indices(needle.as_str())
        .map(|(at, m)| (at, at + m.len()))
        .filter(|&(at, end)| {
            !text[..at].ends_with(|c: char| word(c) || c == '.') && !text[end..].starts_with(word)
        })
        .collect()
}

/// Template text with `inputs.NAME` read as `vars.NAME` (`vars.NAME | default('')` where
/// `guarded`: in a value chosen by the option taken, which an option that does not ask it
/// never chooses).
fn as_var(text: &str, name: &str, guarded: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut from = 0;
    for (at, end) in spans(text, name) {
        out.push_str(&text[from..at]);
        out.push_str("vars.");
        out.push_str(name);
        if guarded {
            out.push_str(" | default('')");
        }
        from = end;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::super::import;

    const TWO_SITES: &str = "# Failover\n\n## Mitigation\n\n### If you are on the primary site\n\n```bash\nexport TARGET=<PRIMARY_DB>\n```\n\n### If you are on the DR site\n\n```bash\nexport TARGET=<DR_DB>\n```\n\n## Promote\n\n```bash\necho \"promoting $TARGET\"\n```\n";

    #[test]
    fn a_placeholder_of_one_option_is_asked_there() {
        let d = import(TWO_SITES, "page");
        assert!(d.inputs.is_empty(), "{:?}", d.inputs);
        let asked: Vec<(&str, Vec<&str>)> = d
            .steps
            .iter()
            .map(|s| {
                (
                    s.id.as_str(),
                    s.asks.iter().map(|(v, _)| v.as_str()).collect(),
                )
            })
            .filter(|(_, a): &(&str, Vec<&str>)| !a.is_empty())
            .collect();
        assert_eq!(
            asked,
            [
                ("run-export-target-primary-db", vec!["primary_db"]),
                ("run-export-target-dr-db", vec!["dr_db"]),
            ]
        );
        let run = |id: &str| {
            d.steps
                .iter()
                .find(|s| s.id == id)
                .and_then(|s| s.run.clone())
        };
        assert_eq!(
            run("run-export-target-dr-db").as_deref(),
            Some("export TARGET={{ vars.dr_db }}")
        );
        // The step after the options join reads the value of the option taken, which the
        // other option never asked.
        let promote = d.steps.last().map(|s| s.env.clone()).unwrap_or_default();
        assert_eq!(
            promote,
            [(
                "TARGET".to_string(),
                "{{ vars.primary_db | default('') if vars.which_applies_choice == '1' else vars.dr_db | default('') if vars.which_applies_choice == '2' else '' }}".to_string()
            )]
        );
    }

    #[test]
    fn a_placeholder_every_walk_needs_stays_an_input() {
        for page in [
            // Before the decision, and in an option.
            "# T\n\n## Check\n\n```bash\nkubectl get pod <POD>\n```\n\n## Mitigation\n\n### If it is stuck\n\n```bash\nkubectl delete pod <POD>\n```\n\n### If it is slow\n\n```bash\necho slow\n```\n",
            // In an option, and after the options join.
            "# T\n\n## Mitigation\n\n### If it is stuck\n\n```bash\nkubectl delete pod <POD>\n```\n\n### If it is slow\n\n```bash\necho slow\n```\n\n## Verify\n\n```bash\nkubectl get pod <POD>\n```\n",
            // With a value of the page's.
            "# T\n\n## Mitigation\n\n### If it is stuck\n\n```bash\nexport NS=prod\nkubectl -n $NS get pods\n```\n\n### If it is slow\n\n```bash\necho slow\n```\n",
        ] {
            let d = import(page, "page");
            assert!(d.steps.iter().all(|s| s.asks.is_empty()), "{page}");
            assert!(
                d.steps
                    .iter()
                    .filter_map(|s| s.run.as_deref())
                    .all(|r| !r.contains("vars.")),
                "{page}"
            );
        }
        let d = import(
            "# T\n\n## Check\n\n```bash\nkubectl get pod <POD>\n```\n\n## Mitigation\n\n### If it is stuck\n\n```bash\nkubectl delete pod <POD>\n```\n\n### If it is slow\n\n```bash\necho slow\n```\n",
            "page",
        );
        assert!(d.inputs.contains_key("pod"));
    }

    #[test]
    fn a_placeholder_of_both_options_is_asked_in_each_and_two_in_one_step_together() {
        let d = import(
            "# T\n\n## Mitigation\n\n### If it is stuck\n\n```bash\nkubectl -n <NS> delete pod <POD>\nkubectl -n <NS> get pods\n```\n\n### If it is slow\n\n```bash\nkubectl -n <NS> top pods\n```\n",
            "page",
        );
        assert!(d.inputs.is_empty(), "{:?}", d.inputs);
        let asks: Vec<Vec<&str>> = d
            .steps
            .iter()
            .filter(|s| s.run.is_some())
            .map(|s| s.asks.iter().map(|(v, _)| v.as_str()).collect())
            .collect();
        assert_eq!(asks, [vec!["ns", "pod"], vec!["ns"]]);
        let yaml = super::super::yaml::write(&d, "page.md");
        assert!(
            yaml.contains("    ask:\n      fields:\n        - var: ns\n          prompt: \"The value of <NS> on the page\"\n        - var: pod\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains("kubectl -n {{ vars.ns }} delete pod {{ vars.pod }}"),
            "{yaml}"
        );
    }

    #[test]
    fn reads_finds_the_whole_name_only() {
        assert!(super::reads("{{ inputs.pod }}", "pod"));
        assert!(!super::reads("{{ inputs.pod_name }}", "pod"));
        assert!(!super::reads("{{ vars.inputs.pod }}", "pod"));
        assert_eq!(
            super::as_var("{{ inputs.a if x else inputs.ab }}", "a", true),
            "{{ vars.a | default('') if x else inputs.ab }}"
        );
    }
}
