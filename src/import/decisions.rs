//! Courses that exclude each other (sibling headings "If …", "Option …"; list items and bold
//! paragraphs that read so; "If X, nothing to do. Else, …") made a decision: a `choose` step
//! before them, each branch joining again after the last. This file holds what both kinds
//! share, what names a course and its condition; `section_decisions.rs` makes the decisions
//! of sibling sections, `item_decisions.rs` those of list items and bold paragraphs (which
//! `item_courses.rs` finds).

use super::courses::on_platform;
use super::draft::Draft;
use super::titles::{capitalized, short_title};

/// A step whose command is the "Else" of "If X, nothing to do. Else, reinitialise it:" is
/// titled by that course ("Reinitialise it"), and so named: its id is the phrase typed to
/// confirm it when dangerous (an audit typed `if-the-replica-is-streaming-stop-here` to
/// confirm a reinit).
pub(super) fn else_titles(d: &mut Draft) {
    for s in d.steps.iter_mut().filter(|s| s.run.is_some()) {
        if let Some((_, rest)) = else_clause(&s.instructions) {
            let title = capitalized(rest.trim());
            if !title.is_empty() {
                s.title = short_title(&title);
            }
        }
    }
}

/// In "If X, nothing to do. Else, reinitialise it:", the condition and what the else says
/// to do.
pub(super) fn else_clause(text: &str) -> Option<(String, String)> {
    static ELSE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?is)(?:^\s*|[.!?:]\s+)(if\b[^\n]*?)[,;]?\s*\b(?:nothing (?:to do|else)|no (?:action|change)s?\b|you are done|you're done|stop here|skip (?:it|this))[^\n]*?[.;,]\s*(?:else|otherwise|if not)\b[ ,:]*([^\n]+)",
        )
        .ok()
    });
    let c = ELSE.as_ref()?.captures(text)?;
    let condition = c.get(1)?.as_str().trim().trim_end_matches(',').trim();
    let rest = c.get(2)?.as_str().trim().trim_end_matches(':').trim();
    (!rest.is_empty()).then(|| (condition.to_string(), rest.to_string()))
}

/// A course that excludes its siblings: "If …", "Option …", "Otherwise" (not "When …",
/// which steps in a row often are: "When the node drains, uncordon it").
pub(super) fn either_or(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    ["if ", "unless ", "option ", "alternative ", "otherwise"]
        .iter()
        .chain(super::courses::OTHER_OPTIONS)
        .any(|w| t.starts_with(w))
        || on_platform(&t)
}

/// A paragraph that opens in bold naming a course: `**Option A: retry the allocations**`,
/// `**If the index is red:** …`.
pub(super) fn bold_either_or(text: &str) -> bool {
    text.trim()
        .strip_prefix("**")
        .and_then(|rest| rest.split_once("**"))
        .is_some_and(|(bold, _)| either_or(bold))
}

/// Whether an option's label is a condition: "If …", "Unless …", and an "Otherwise" that
/// has one of its own ("Otherwise, if the pods are slow, scale out", "Else if …"), unlike a
/// bare "Otherwise, restart it", which holds whenever the others do not.
pub(super) fn condition(label: &str) -> bool {
    let l = label.trim().to_ascii_lowercase();
    let rest = ["otherwise", "else"]
        .iter()
        .find_map(|w| l.strip_prefix(w))
        .map_or(l.as_str(), |r| r.trim_start_matches([',', ' ', ':']));
    rest.starts_with("if ") || rest.starts_with("unless ")
}

/// A condition on how the step before it went: "If the disk is still full after that, …",
/// "If errors persist, …", "If it fails again, …": a step after that one (a decision
/// whether it applies), never one of its alternatives (audit 14p A-26).
pub(super) fn follow_up(label: &str) -> bool {
    let l = format!(" {} ", label.to_ascii_lowercase());
    condition(label)
        && [
            " still ",
            " after that",
            " after this",
            " afterwards",
            " persist",
            " again",
            " remains ",
            " keeps ",
            " continues ",
            " not enough",
            " did not help",
            " didn't help",
            " does not help",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// The option of a decision between conditions only (sibling "If …" sections, "If …" list
/// items) that says none holds: the walk goes on after them all. One label for both kinds,
/// which says what the operator's choice does to the options listed above it.
pub(super) const NONE_APPLIES: &str = "None of these applies: skip them";

/// The option of a decision whether a lone "If …" item applies that skips it.
pub(super) const SKIP_IT: &str = "It does not apply: skip it";

#[cfg(test)]
mod tests {
    use super::condition;

    /// "Otherwise, if …" is a condition like "If …"; a bare "Otherwise" is not.
    #[test]
    fn an_otherwise_with_its_own_if_is_a_condition() {
        for label in [
            "If pods are in `CrashLoopBackOff`, roll back the last release",
            "Otherwise, if the pods are running but slow, scale out",
            "Otherwise if they are slow, scale out",
            "Else, if the disk is full, clean it",
            "Unless the primary is up, fail over",
        ] {
            assert!(condition(label), "{label}");
        }
        assert!(super::follow_up(
            "If the disk is still full after that, prune images"
        ));
        assert!(super::follow_up("If errors persist, page the owning team"));
        assert!(!super::follow_up("If the disk is full, prune images"));
        assert!(!super::follow_up("Still full? Prune images"));
        for label in [
            "Otherwise, restart it",
            "Otherwise: scale out",
            "Else, page the DBRE",
            "Option A: clean old logs",
            "Iffy nodes: drain them",
        ] {
            assert!(!condition(label), "{label}");
        }
    }
}
