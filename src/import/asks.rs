//! Placeholders that only the steps of some options of a decision use: asked in the step of
//! the option that first needs them (`ask:`), not of every operator before the run starts.
//! An audit found a primary-site failover asking for the DR database's name (`<DR_DB>`,
//! used only under "If you are on the DR site"), and refusing to start without it.

use super::draft::Draft;
use std::collections::{HashMap, HashSet};

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
///
/// (The steps that read each name are found in one pass, and each name looks at those only:
/// a page of 300 "If …" items each with its placeholders took a pass over every step per
/// name, audit M21.)
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
    let walk = Walk {
        avoidable: avoidable(&next),
        reachable: reachable(&next),
        before,
    };
    let taken: HashSet<String> = d
        .steps
        .iter()
        .filter_map(|s| s.choose_var.clone())
        .collect();
    let in_env: HashSet<&str> = d.env.values().flat_map(|v| names_read(v)).collect();
    // Name → the steps that need it (their command, or a value of theirs not chosen by the
    // option taken), and the steps whose text reads it at all; each in order.
    let mut needs: HashMap<String, Vec<usize>> = HashMap::new();
    let mut reading: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, s) in d.steps.iter().enumerate() {
        let run = s.run.as_deref().into_iter().flat_map(names_read);
        let unchosen = s
            .env
            .iter()
            .filter(|(_, v)| !chosen_by_option(v))
            .flat_map(|(_, v)| names_read(v));
        for name in run.chain(unchosen) {
            push_once(needs.entry(name.to_string()).or_default(), k);
        }
        let run = s.run.as_deref().into_iter().flat_map(names_read);
        for name in run.chain(s.env.iter().flat_map(|(_, v)| names_read(v))) {
            push_once(reading.entry(name.to_string()).or_default(), k);
        }
    }
    let names: Vec<String> = d.inputs.keys().cloned().collect();
    for name in names {
        let Some(input) = d.inputs.get(&name) else {
            continue;
        };
        if input.default.is_some()
            || input.secret_env.is_some()
            || taken.contains(&name)
            || in_env.contains(name.as_str())
        {
            continue;
        }
        let Some(at) = asked_at(d, &walk, needs.get(&name).map_or(&[], Vec::as_slice)) else {
            continue;
        };
        let prompt = input.description.clone();
        d.inputs.remove(&name);
        for &k in reading.get(&name).map_or(&[][..], Vec::as_slice) {
            let s = &mut d.steps[k];
            if let Some(run) = &mut s.run {
                *run = as_var(run, &name, false);
            }
            for (_, value) in &mut s.env {
                let guarded = chosen_by_option(value);
                *value = as_var(value, &name, guarded);
            }
        }
        for k in at {
            d.steps[k].asks.push((name.clone(), prompt.clone()));
        }
    }
    ask_variables_in_options(d, &walk, &taken, &reading);
}

/// `$VAR`s the page never sets (an input each, given to every step through the runbook's
/// `env:`) that only the steps of some options use, asked there the same way: the step of
/// the option that first needs one asks it, and the steps that use it are given it in their
/// own `env:` (audit 39 I-19 found the operator of another option asked for them all).
/// A secret stays an input (an answer typed at a step is no secret the run masks).
fn ask_variables_in_options(
    d: &mut Draft,
    walk: &Walk,
    taken: &HashSet<String>,
    reading: &HashMap<String, Vec<usize>>,
) {
    let Some(used) = super::variables::USED.as_ref() else {
        return;
    };
    // Variable → the steps whose command expands it, in order.
    let mut expanding: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, s) in d.steps.iter().enumerate() {
        let Some(run) = s.run.as_deref() else {
            continue;
        };
        for cap in used.captures_iter(run) {
            if let Some(var) = cap.get(1)
                && super::variables::expanded(run, &cap)
                && let Some((name, _)) = d.env.get_key_value(var.as_str())
            {
                push_once(expanding.entry(name.as_str()).or_default(), k);
            }
        }
    }
    let mut found: Vec<(String, String, Vec<usize>)> = Vec::new();
    for (var, steps) in expanding {
        let Some(value) = d.env.get(var) else {
            continue;
        };
        let mut names = names_read(value);
        let (Some(name), None) = (names.next(), names.next()) else {
            continue;
        };
        let read_elsewhere = d
            .env
            .iter()
            .any(|(v, value)| v != var && names_read(value).any(|n| n == name))
            || reading.contains_key(name);
        let lone = value.trim() == format!("{{{{ inputs.{name} }}}}");
        let plain = d
            .inputs
            .get(name)
            .is_some_and(|i| i.default.is_none() && i.secret_env.is_none());
        if lone && plain && !read_elsewhere && !taken.contains(name) && !secret_name(var) {
            found.push((var.to_string(), name.to_string(), steps));
        }
    }
    found.sort();
    for (var, name, steps) in found {
        let Some(at) = asked_at(d, walk, &steps) else {
            continue;
        };
        let Some(input) = d.inputs.remove(&name) else {
            continue;
        };
        d.env.remove(&var);
        for &k in &steps {
            d.steps[k]
                .env
                .push((var.clone(), format!("{{{{ vars.{name} }}}}")));
        }
        for k in at {
            d.steps[k]
                .asks
                .push((name.clone(), input.description.clone()));
        }
        // (What was said of it: asked in the option now.)
        let said = format!("asked for as input `{name}`");
        let now = format!("asked for as `{name}` in the option that uses it, not before the run");
        for what in d
            .guesses
            .iter_mut()
            .map(|(_, w)| w)
            .chain(d.steps.iter_mut().flat_map(|s| s.notes.iter_mut()))
            .filter(|w| {
                w.starts_with(&format!("`${var}` ")) || w.contains(&format!("guess: `${var}` "))
            })
        {
            *what = what.replace(&said, &now);
        }
    }
}

/// Whether a variable is named like a credential (made a secret input, which stays one).
fn secret_name(var: &str) -> bool {
    super::placeholders::credential_name(var)
}

/// What [`asked_at`] knows of the draft's walk, found once for every name.
struct Walk {
    /// The steps that lead to each step.
    before: Vec<Vec<usize>>,
    /// Whether the first step leads to each step.
    reachable: Vec<bool>,
    /// Whether some walk from the first step to the end passes each step by.
    avoidable: Vec<bool>,
}

/// Adds `k` to a list of steps in order, once.
fn push_once(steps: &mut Vec<usize>, k: usize) {
    if steps.last() != Some(&k) {
        steps.push(k);
    }
}

/// The steps where a name is asked, given the steps that need it (`needs`, in order): each
/// that reads it with it asked on no path there (a step with a command, in an option: some
/// path to the end passes it by). `None` where it cannot be: a step reached with it asked on
/// some paths only, a step on every path, a step the walk never reaches.
///
/// (Only the steps from the first that needs it to the last are looked at: before the
/// first, a step is reached with it never asked, or not reached at all; after the last,
/// nothing more is decided.)
fn asked_at(d: &Draft, walk: &Walk, needs: &[usize]) -> Option<Vec<usize>> {
    // (Needed on every walk, by a step no option avoids: an input, given before the run and
    // by `--input` in a script, as before.)
    if needs
        .iter()
        .any(|&k| !walk.avoidable.get(k).copied().unwrap_or(false))
    {
        return None;
    }
    let (&first, &last) = (needs.first()?, needs.last()?);
    let mut state = vec![Asked::Unreached; last + 1 - first];
    let state_of = |state: &[Asked], p: usize| match p.checked_sub(first) {
        Some(i) => state[i],
        None if walk.reachable[p] => Asked::Never,
        None => Asked::Unreached,
    };
    let mut at = Vec::new();
    let mut wanted = needs.iter().peekable();
    for k in first..=last {
        let coming = if k == 0 {
            Asked::Never
        } else {
            walk.before[k]
                .iter()
                .fold(Asked::Unreached, |a, &p| a.join(state_of(&state, p)))
        };
        let needed = wanted.next_if_eq(&&k).is_some();
        state[k - first] = match (needed, coming) {
            (false, c) => c,
            (true, Asked::Unreached | Asked::Some) => return None,
            (true, Asked::Always) => Asked::Always,
            (true, Asked::Never) => {
                let s = &d.steps[k];
                if s.run.is_none() || !s.choose.is_empty() || !walk.avoidable[k] {
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
/// …`, as `exports::carry_by_choice` writes it).
fn chosen_by_option(value: &str) -> bool {
    value.contains(" if vars.")
}

/// Whether the first step leads to each step (the walk goes forward only).
fn reachable(next: &[Vec<usize>]) -> Vec<bool> {
    let mut reached = vec![false; next.len()];
    if let Some(first) = reached.first_mut() {
        *first = true;
    }
    for k in 0..next.len() {
        if reached[k] {
            for &n in &next[k] {
                reached[n] = true;
            }
        }
    }
    reached
}

/// Whether some walk from the first step to the end passes each step by, for every step in
/// one sweep: the walk goes forward only, so a walk that never lands on step `k` either ends
/// before it or leaps over it, from a step it reaches before `k` to one after.
fn avoidable(next: &[Vec<usize>]) -> Vec<bool> {
    let reached = reachable(next);
    let mut out = vec![false; next.len()];
    // (Whether a reached step before `k` ends the walk; the furthest step a reached step
    // before `k` leads to.)
    let mut ended = false;
    let mut furthest = 0;
    for k in 0..next.len() {
        out[k] = ended || furthest > k;
        if reached[k] {
            ended |= next[k].is_empty();
            furthest = next[k].iter().copied().fold(furthest, usize::max);
        }
    }
    out
}

/// The names of the inputs template text reads (`inputs.NAME`, not `vars.inputs.NAME`).
fn names_read(text: &str) -> impl Iterator<Item = &str> {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices("inputs.").filter_map(move |(at, m)| {
        if text[..at].ends_with(|c: char| word(c) || c == '.') {
            return None;
        }
        let rest = &text[at + m.len()..];
        let name = &rest[..rest.find(|c: char| !word(c)).unwrap_or(rest.len())];
        (!name.is_empty()).then_some(name)
    })
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

    /// The sweep that says which steps a walk can pass by agrees with walking the graph
    /// without each step, on every forward graph of five steps with up to two ways on.
    #[test]
    fn avoidable_steps_are_those_a_walk_can_pass_by() {
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
        let n = 5;
        // Each step's ways on, from a number: none, one or two of the steps after it.
        let choices = |k: usize| -> Vec<Vec<usize>> {
            let mut out = vec![vec![]];
            for a in k + 1..n {
                out.push(vec![a]);
                for b in a + 1..n {
                    out.push(vec![a, b]);
                }
            }
            out
        };
        let mut graphs: Vec<Vec<Vec<usize>>> = vec![vec![]];
        for k in 0..n {
            graphs = graphs
                .into_iter()
                .flat_map(|g| {
                    choices(k).into_iter().map(move |c| {
                        let mut g = g.clone();
                        g.push(c);
                        g
                    })
                })
                .collect();
        }
        assert_eq!(graphs.len(), 616);
        for next in &graphs {
            let want: Vec<bool> = (0..n).map(|k| passed_by(next, k)).collect();
            assert_eq!(super::avoidable(next), want, "{next:?}");
        }
    }

    #[test]
    fn reads_finds_the_whole_name_only() {
        let read = |text| super::names_read(text).collect::<Vec<_>>();
        assert_eq!(read("{{ inputs.pod }}"), ["pod"]);
        assert_eq!(read("{{ inputs.pod_name }}"), ["pod_name"]);
        assert!(read("{{ vars.inputs.pod }}").is_empty());
        assert_eq!(read("{{ inputs.a if x else inputs.ab }}"), ["a", "ab"]);
        assert_eq!(
            super::as_var("{{ inputs.a if x else inputs.ab }}", "a", true),
            "{{ vars.a | default('') if x else inputs.ab }}"
        );
    }
}
