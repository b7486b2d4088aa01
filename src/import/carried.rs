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
    let mut set_before: Vec<(String, String)> = Vec::new();
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
        let here = names_set(set, &run);
        let mut noted = std::collections::BTreeSet::new();
        for cap in used.captures_iter(&run) {
            let name = cap[1].to_string();
            if here.contains(&name)
                || exported.contains(&name)
                || secrets.contains(&name)
                || d.env.contains_key(&name)
                || d.steps[k].env.iter().any(|(n, _)| *n == name)
                || !expanded(&run, &cap)
            {
                continue;
            }
            let Some((_, maker)) = set_before.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            if !noted.insert(name.clone()) {
                continue;
            }
            let what = format!(
                "`${name}` is set by step `{maker}`, and each step is a shell of its own: it is empty here; in `{maker}`, add `echo \"{name}=${name}\" >> \"$RUNBOOK_ENV\"` (or capture its output with `capture:`)"
            );
            let pos = d.steps[k].pos;
            d.steps[k].notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
        let id = d.steps[k].id.clone();
        set_before.extend(here.into_iter().map(|n| (n, id.clone())));
    }
}
