//! Each `export VAR=…` of the page given to the step that exports it and to the steps the
//! walk reaches from there ([`apply_exports`]); a variable exported with another value in
//! each option of a decision given after them by the option taken. (The exports are found
//! in `variables.rs`.)

use super::draft::Draft;
use super::pos::Pos;
use super::variables::{USED, expanded};

/// Gives each `export VAR=…` of the page (name, template, where) to the step that exports
/// it and to every step the walk can reach from there, as the page reads: a step before it
/// does not have it (`export GIT_SSH_COMMAND=…` in step 2 is not step 1's), nor does another
/// option of a decision it stands in (`## Option B` does not get what `## Option A`
/// exports); the steps after the options join again do.
pub(super) fn apply_exports(d: &mut Draft, exported: Vec<(String, String, Pos)>) {
    let next = d.successors();
    // A variable exported with a different value in each option of a decision: the steps
    // after the options join again are given the one of the option taken.
    let mut carried: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // (Grouped by name once, each step found by its place once: a page may export 20,000
    // variables.)
    let step_at: std::collections::BTreeMap<Pos, usize> = d
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.run.is_some())
        .rev()
        .map(|(k, s)| (s.pos, k))
        .collect();
    let mut by_name: std::collections::BTreeMap<&str, Vec<(String, usize)>> =
        std::collections::BTreeMap::new();
    // (The first export of each name: its index in `exported`.)
    let mut first: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (e, (name, template, line)) in exported.iter().enumerate() {
        if let Some(&from) = step_at.get(line) {
            first.entry(name.as_str()).or_insert(e);
            by_name
                .entry(name.as_str())
                .or_default()
                .push((template.clone(), from));
        }
    }
    // The names exported with one value wherever the page exports them.
    let mut one_value: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    // Exported with several values, on one walk: (the name, its first export's index).
    let mut in_turn: Vec<(String, usize)> = Vec::new();
    for (name, exports) in by_name {
        let distinct: std::collections::BTreeSet<&str> =
            exports.iter().map(|(t, _)| t.as_str()).collect();
        if distinct.len() == 1 {
            one_value.insert(name.to_string());
            if let [(_, from)] = exports.as_slice()
                && super::export_env::skipped_by_a_walk(&next, *from)
                && carry_by_choice(d, &next, name, &exports)
            {
                carried.insert(name.to_string());
            }
        }
        if distinct.len() > 1 {
            if carry_by_choice(d, &next, name, &exports) {
                carried.insert(name.to_string());
            } else if let Some(&e) = first.get(name) {
                in_turn.push((name.to_string(), e));
            }
        }
    }
    let mut exported = exported;
    let unwritten = super::export_env::first_export_by_input(d, &mut exported, &in_turn);
    // (Each export is written into every step it reaches: past the size a runbook may
    // have, the import stops here rather than build gigabytes it would refuse to write.)
    let mut bytes = 0usize;
    let mut reached = vec![false; d.steps.len()];
    // The names each step's `env:` gives already.
    let mut env_names: Vec<std::collections::HashSet<String>> = d
        .steps
        .iter()
        .map(|s| s.env.iter().map(|(n, _)| n.clone()).collect())
        .collect();
    // An input made of literal exports that now each give their own value is used by no
    // step any more.
    if !carried.is_empty() || !unwritten.is_empty() {
        let unused: Vec<String> = d
            .inputs
            .iter()
            .filter(|(input, i)| {
                (!carried.is_empty() || unwritten.contains(&input.to_ascii_uppercase()))
                    && i.description.ends_with(", set by `export` on the page")
                    && {
                        let used = format!("inputs.{input} ");
                        !d.steps.iter().any(|s| {
                            s.run.as_deref().is_some_and(|r| r.contains(&used))
                                || s.env.iter().any(|(_, t)| t.contains(&used))
                        }) && !d.env.values().any(|t| t.contains(&used))
                            && !exported
                                .iter()
                                .any(|(n, t, _)| !carried.contains(n) && t.contains(&used))
                    }
            })
            .map(|(input, _)| input.clone())
            .collect();
        for input in unused {
            d.inputs.remove(&input);
        }
    }
    for (name, template, line) in exported {
        if carried.contains(&name) {
            continue;
        }
        let Some(from) = d
            .steps
            .iter()
            .position(|s| s.pos == line && s.run.is_some())
        else {
            continue;
        };
        reached.iter_mut().for_each(|r| *r = false);
        let mut stack = vec![from];
        while let Some(k) = stack.pop() {
            if std::mem::replace(&mut reached[k], true) {
                continue;
            }
            stack.extend(next[k].iter().copied().filter(|&n| !reached[n]));
        }
        // Once, in the runbook's `env:`, where every step may see it (no growth per step).
        if one_value.contains(&name)
            && super::export_env::runbook_wide(d, &next, from, &reached, &name)
        {
            d.env.insert(name, template);
            continue;
        }
        let count = reached.iter().filter(|r| **r).count();
        bytes += count * (name.len() + template.len() + 12);
        if bytes > crate::load::yaml::MAX_FILE_BYTES {
            d.too_large = true;
            return;
        }
        for ((step, names), _) in d
            .steps
            .iter_mut()
            .zip(env_names.iter_mut())
            .zip(&reached)
            .filter(|(_, r)| **r)
        {
            if names.insert(name.clone()) {
                step.env.push((name.clone(), template.clone()));
            } else if !one_value.contains(&name)
                && let Some(given) = step.env.iter_mut().find(|(n, _)| *n == name)
            {
                // (A later export of another value: its value from there on.)
                given.1.clone_from(&template);
            }
        }
        // A step the walk does not reach from the export that uses the variable: said.
        let maker = d.steps[from].id.clone();
        let Some(used) = USED.as_ref() else {
            continue;
        };
        for k in (0..d.steps.len()).filter(|&k| !reached[k]) {
            let Some(run) = d.steps[k].run.as_deref() else {
                continue;
            };
            if !run.contains(name.as_str())
                || d.steps[k].env.iter().any(|(n, _)| *n == name)
                || !used
                    .captures_iter(run)
                    .any(|c| c[1] == *name && expanded(run, &c))
            {
                continue;
            }
            let what = format!(
                "`${name}` is exported by step `{maker}`, which the walk does not pass on the way here (another option of a decision, or a later step): it is empty here unless the operator's environment has it"
            );
            let pos = d.steps[k].pos;
            d.steps[k].notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
    }
}

/// The steps the walk reaches from `from` (itself included), by `next`.
fn reach(next: &[Vec<usize>], from: usize) -> Vec<bool> {
    super::export_env::reached_from(next, from, None)
}

/// The value of an export as an expression of a template (`{{ inputs.dr_db }}` →
/// `inputs.dr_db`, `dr` → `'dr'`), where it can be written as one.
fn expression(template: &str) -> Option<String> {
    if let Some(inner) = template
        .strip_prefix("{{ ")
        .and_then(|t| t.strip_suffix(" }}"))
        .filter(|i| !i.contains("{{") && !i.contains("}}"))
    {
        return Some(inner.trim().to_string());
    }
    (!template.contains(['{', '}', '\'', '\\'])).then(|| format!("'{template}'"))
}

/// `export TARGET=<PRIMARY_DB>` under one option of a decision, `export TARGET=<DR_DB>`
/// under another (with at most one export before the decision, every option's default):
/// the decision gets a `var:` whose value is the option taken, and the steps after the
/// options join again get `TARGET` by it (`{{ inputs.dr_db if vars.which_applies_choice ==
/// '2' else inputs.primary_db }}`); each option's steps get its own. An audit found the DR
/// operator's promote run against the primary, given the first branch's value. `exports`:
/// (template, the step that exports). False when no one decision separates them.
fn carry_by_choice(
    d: &mut Draft,
    next: &[Vec<usize>],
    name: &str,
    exports: &[(String, usize)],
) -> bool {
    let reached: Vec<Vec<bool>> = exports.iter().map(|(_, from)| reach(next, *from)).collect();
    for decision in 0..d.steps.len() {
        // (A decision's `next` are its options' first steps, in order.)
        if d.steps[decision].choose.is_empty()
            || next[decision].len() != d.steps[decision].choose.len()
        {
            continue;
        }
        let options: Vec<Vec<bool>> = next[decision].iter().map(|&k| reach(next, k)).collect();
        // The option each export stands in; `None`: before the decision, the default.
        let mut in_option: Vec<Option<usize>> = Vec::new();
        for (e, (_, from)) in exports.iter().enumerate() {
            let of: Vec<usize> = (0..options.len()).filter(|&o| options[o][*from]).collect();
            match of.as_slice() {
                [o] => in_option.push(Some(*o)),
                [] if reached[e][decision] => in_option.push(None),
                _ => break,
            }
        }
        let mut by_option: std::collections::BTreeMap<usize, usize> = Default::default();
        let mut default = None;
        let mut clean = in_option.len() == exports.len();
        for (e, o) in in_option.iter().enumerate() {
            clean &= match o {
                Some(o) => by_option.insert(*o, e).is_none(),
                None => default.replace(e).is_none(),
            };
        }
        // (One option's export, with or without one before the decision: the walks
        // through the other options join again without it, audit 41 I41-16.)
        if !clean || by_option.is_empty() {
            continue;
        }
        let Some(mut value) = default.map_or(Some("''".to_string()), |e| expression(&exports[e].0))
        else {
            return false;
        };
        let var = format!("{}_choice", d.steps[decision].id.replace('-', "_"));
        if !crate::values::is_identifier(&var) {
            return false;
        }
        for (o, e) in by_option.iter().rev() {
            let Some(this) = expression(&exports[*e].0) else {
                return false;
            };
            value = format!("{this} if vars.{var} == '{}' else {value}", o + 1);
        }
        let joined = format!("{{{{ {value} }}}}");
        // The steps each option's export does not reach on every walk from the decision.
        let around: Vec<Option<Vec<bool>>> = exports
            .iter()
            .zip(&in_option)
            .map(|((_, from), o)| {
                o.map(|_| super::export_env::reached_from(next, decision, Some(*from)))
            })
            .collect();
        for (k, step) in d.steps.iter_mut().enumerate() {
            let by: Vec<usize> = (0..exports.len()).filter(|&e| reached[e][k]).collect();
            let branches: Vec<usize> = by
                .iter()
                .copied()
                .filter(|&e| in_option[e].is_some())
                .collect();
            let template = match (branches.as_slice(), by.first()) {
                (_, None) => continue,
                (&[e], _) if around[e].as_ref().is_some_and(|a| a[k]) => joined.clone(),
                ([], Some(&e)) | (&[e], _) => exports[e].0.clone(),
                _ => joined.clone(),
            };
            if !step.env.iter().any(|(n, _)| n == name) {
                step.env.push((name.to_string(), template));
            }
        }
        // What was guessed of it (the first value given to all) no longer holds.
        let guessed = format!("`${name}` is exported with different values on the page");
        d.guesses.retain(|(_, what)| !what.starts_with(&guessed));
        for s in &mut d.steps {
            s.notes.retain(|n| !n.contains(&guessed));
        }
        let step = &mut d.steps[decision];
        step.choose_var = Some(var.clone());
        let what = match (by_option.keys().next(), by_option.len(), default) {
            (Some(o), 1, None) => format!(
                "`${name}` is exported only in option {}: the steps after the options join again are given it only when that option is taken (`vars.{var}`), empty on the other walks, as the page reads",
                o + 1
            ),
            _ => format!(
                "`${name}` is exported with a different value in each option: the steps after them are given the one of the option taken (`vars.{var}`)"
            ),
        };
        step.notes.push(format!("{}: {what}", step.pos));
        return true;
    }
    false
}
