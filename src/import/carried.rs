//! A variable set in one step and used in a later one, where each step is a shell of its
//! own: said where it is used ([`carried_variables`]).

use super::draft::Draft;
use super::variables::{SET, USED, expanded, names_set};

/// A variable set in one step (`POD=$(kubectl get pods …)`) and used in a later one: each
/// step is a shell of its own, so it would be empty there. Said where it is used.
pub(super) fn carried_variables(d: &mut Draft, exported: &std::collections::BTreeSet<String>) {
    let (Some(used), Some(set)) = (USED.as_ref(), SET.as_ref()) else {
        return;
    };
    // (By name, the first step that sets it; each `$VAR` looked up once: a page may have
    // 20,000 steps, audit 41 I41-14.)
    let mut set_before: std::collections::HashMap<String, String> = Default::default();
    // (A secret input's variable is every step's.)
    let secrets: std::collections::BTreeSet<String> = d
        .inputs
        .values()
        .filter_map(|i| i.secret_env.clone())
        .collect();
    for k in 0..d.steps.len() {
        let Some(run) = d.steps[k].run.clone() else {
            continue;
        };
        let here = names_set(set, &super::heredocs::masked(&run));
        let mut noted = std::collections::BTreeSet::new();
        for cap in used.captures_iter(&run) {
            let name = cap[1].to_string();
            if here.contains(&name)
                || exported.contains(&name)
                || secrets.contains(&name)
                || d.env.contains_key(&name)
                || d.steps[k].env.iter().any(|(n, _)| *n == name)
                || noted.contains(&name)
            {
                continue;
            }
            let Some(maker) = set_before.get(&name) else {
                continue;
            };
            if !expanded(&run, &cap) {
                continue;
            }
            noted.insert(name.clone());
            let what = format!(
                "`${name}` is set by step `{maker}`, and each step is a shell of its own: it is empty here; in `{maker}`, add `echo \"{name}=${name}\" >> \"$RUNBOOK_ENV\"` (or capture its output with `capture:`)"
            );
            let pos = d.steps[k].pos;
            d.steps[k].notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
        let id = d.steps[k].id.clone();
        for n in here {
            set_before.entry(n).or_insert_with(|| id.clone());
        }
    }
}
