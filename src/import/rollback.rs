//! A page's Rollback section (`## Rollback`, `## Roll back`, `## Revert`, `## Undo`) made
//! a course taken only when chosen: a decision before it whose default skips it (audit 14m
//! M4 found it the last step of every run, the rollback run after each fix that worked).
//!
//! SPEC's own `rollback:` is one step's undo, offered after an abort: a section that undoes
//! the page's work as a whole (its prose, several commands, conditions) is no one step's,
//! so it stays steps of its own, as the page reads, behind the decision; said.

use super::courses::bare;
use super::decisions::{SKIP_IT, else_clause};
use super::draft::{Draft, Step};

/// The words a heading that names a rollback starts with.
const ROLLBACK: &[&str] = &[
    "rollback",
    "roll back",
    "roll-back",
    "rolling back",
    "revert",
    "reverting",
    "undo",
    "undoing",
    "back out",
    "backing out",
    "how to roll back",
    "how to revert",
    "how to undo",
];

/// What may follow the word in a heading that names the section, not one action of a fix
/// ("Rollback procedure", "Roll back if it gets worse", "Undo the changes"; not "Roll back
/// the deploy", which is the fix itself under a Mitigation heading).
const QUALIFIERS: &[&str] = &[
    "procedure",
    "plan",
    "steps",
    "instructions",
    "process",
    "the change",
    "the changes",
    "this change",
    "these changes",
    "the mitigation",
    "the fix",
    "everything",
    "if ",
    "(",
    ":",
    "-",
    "—",
    "–",
];

/// Whether a heading names a Rollback section (see [`QUALIFIERS`]). One that names options
/// ("Rollback options") is read as a decision already.
pub(super) fn rollback_heading(title: &str) -> bool {
    let t = bare(title)
        .to_lowercase()
        .trim_end_matches(['.', ':', '!', '?'])
        .trim()
        .to_string();
    if ["option", "alternative", "choice"]
        .iter()
        .any(|w| t.contains(w))
    {
        return false;
    }
    ROLLBACK.iter().any(|w| {
        t.strip_prefix(w).is_some_and(|rest| {
            let rest = rest.trim_start();
            rest.is_empty() || QUALIFIERS.iter().any(|q| rest.starts_with(q))
        })
    })
}

/// The label of the option that skips the rollback (the decision's default).
const NO_ROLLBACK: &str = "No: skip the rollback";

/// Each Rollback section of the page (not the page's title) is reached only through a
/// decision before its first step: "no rollback" (the default, what `--yes` takes) leads
/// past it, "roll back" into it; both go on to what follows the section.
pub(super) fn rollbacks(d: &mut Draft) {
    let mut taken: std::collections::HashSet<String> =
        d.steps.iter().map(|s| s.id.clone()).collect();
    let mut i = 0;
    while i < d.sections.len() {
        let (level, title, line) = d.sections[i].clone();
        let is_title = i == 0 && level == 1 && title == d.title;
        if is_title || !rollback_heading(&title) {
            i += 1;
            continue;
        }
        // The section with its sub-sections.
        let end = (i + 1..d.sections.len())
            .find(|&k| d.sections[k].0 <= level)
            .unwrap_or(d.sections.len());
        let within = |s: &Step| s.section.is_some_and(|x| x >= i && x < end);
        let Some(first) = d.steps.iter().position(within) else {
            i = end;
            continue;
        };
        let stop = (first..d.steps.len())
            .find(|&k| !within(&d.steps[k]))
            .unwrap_or(d.steps.len());
        // Where the walk goes on after the section: where its last step leads (the join of
        // an option's branch it ends), else the step after it.
        let last = &d.steps[stop - 1];
        let after = last
            .next
            .clone()
            .filter(|_| last.choose.is_empty())
            .unwrap_or_else(|| {
                d.steps
                    .get(stop)
                    .map_or_else(|| "end".into(), |s| s.id.clone())
            });
        let mut id = "roll-back-or-not".to_string();
        let mut n = 2;
        while taken.contains(&id) {
            id = format!("roll-back-or-not-{n}");
            n += 1;
        }
        taken.insert(id.clone());
        let what = format!(
            "the page's \"{title}\" section undoes the work: not run in the normal walk, a decision (default: no rollback) leads to it only when chosen (runbook's own `rollback:` of a step, offered after an abort, would undo that one step: move a command there if it undoes one)"
        );
        d.guesses.push((line, what.clone()));
        // What led to the section's first step (the step before it, a decision's option
        // joining after its branches) now leads to the decision.
        let old = d.steps[first].id.clone();
        for s in &mut d.steps {
            if s.next.as_deref() == Some(old.as_str()) {
                s.next = Some(id.clone());
            }
            for (_, to) in &mut s.choose {
                if *to == old {
                    *to = id.clone();
                }
            }
        }
        // A section that opens with its condition ("If the restart made it worse, go back
        // to the last release:", "If the error rate is normal, nothing to do. Else, …") was
        // made a decision whether that applies: it is the same question, asked once (an
        // audit was asked twice in a row).
        let (yes, prompt, old) = match lone_condition(d, first, &after) {
            Some(LoneCondition { yes, prompt, to }) => {
                let asked = d.steps.remove(first);
                forget_guess(d, &asked);
                (yes, prompt, to)
            }
            None => (
                format!("Yes: {title}"),
                "Roll back? Only if what was done made things worse (the page's rollback section)."
                    .into(),
                old,
            ),
        };
        let decision = Step {
            id,
            title: format!("{title}: is it needed?"),
            choose: vec![(NO_ROLLBACK.into(), after), (yes, old)],
            choose_prompt: Some(prompt),
            choose_default: Some(1),
            pos: line,
            notes: vec![format!("{line}: guess: {what}")],
            section: Some(i),
            ..Step::default()
        };
        d.steps.insert(first, decision);
        i = end;
    }
}

/// The one question a Rollback section's first step asks, when it is a decision whether
/// its condition applies: the option that rolls back, the prompt, where it leads.
struct LoneCondition {
    yes: String,
    prompt: String,
    to: String,
}

/// The section's first step when it is a decision whether a lone condition applies: "If
/// the restart made it worse, go back…" (its options: the condition, and a way out), or
/// "If the error rate is normal, nothing to do. Else, go back…" (the "Else", and "nothing
/// to do"); its way out leads to `after`, where skipping the rollback leads.
fn lone_condition(d: &Draft, first: usize, after: &str) -> Option<LoneCondition> {
    let [(label, to), (way_out, out)] = d.steps[first].choose.as_slice() else {
        return None;
    };
    if out != after {
        return None;
    }
    if way_out == SKIP_IT {
        return Some(LoneCondition {
            yes: format!("Yes: {}", lower_first(label)),
            prompt: format!("Roll back? The page's rollback section says: {label}."),
            to: to.clone(),
        });
    }
    // (The "Else" course's step holds the page's sentence.)
    let (condition, rest) = d
        .steps
        .iter()
        .find(|s| s.id == *to)
        .and_then(|s| else_clause(&s.instructions))?;
    Some(LoneCondition {
        yes: format!("Yes: {}", lower_first(&rest)),
        prompt: format!(
            "Roll back? The page's rollback section says: {condition}, nothing to do; otherwise, {}.",
            lower_first(&rest)
        ),
        to: to.clone(),
    })
}

/// Drops the guess a step made when it was made (its note says it), when the step is gone.
fn forget_guess(d: &mut Draft, gone: &Step) {
    d.guesses.retain(|(pos, what)| {
        !gone
            .notes
            .iter()
            .any(|n| *n == format!("{pos}: guess: {what}"))
    });
}

/// "If the restart…" → "if the restart…", to follow "Yes: ".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() && !chars.clone().next().is_some_and(char::is_uppercase) => {
            c.to_lowercase().chain(chars).collect()
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::rollback_heading;

    #[test]
    fn headings_that_name_a_rollback_section() {
        for title in [
            "Rollback",
            "Roll back",
            "Revert",
            "Undo",
            "Rollback procedure",
            "Roll back if it gets worse",
            "Rollback (if needed)",
            "⏪ Rollback",
            "Undo the changes",
            "How to roll back",
            "Rolling back",
        ] {
            assert!(rollback_heading(title), "{title}");
        }
        for title in [
            "Roll back the deploy",
            "Revert the bad commit",
            "Rollback options",
            "Undo a stuck drain",
            "Rollout stuck",
            "Diagnosis",
        ] {
            assert!(!rollback_heading(title), "{title}");
        }
    }
}
