//! Courses that are list items ("2. If the last deploy is the cause, roll it back") or bold
//! paragraphs ("**Option B: grow the volume**") under one heading, made a decision; and a
//! lone "If …" item or "If X, nothing to do. Else, …", a decision whether it applies.

use super::decisions::{NONE_APPLIES, SKIP_IT, condition, either_or, else_clause, follow_up};
use super::draft::{Draft, Step};
use super::item_courses::{common_to_all, course, course_at, or_course, otherwise_text};
use super::titles::{fresh_id, short_title};

/// The step a sentence sends the reader to: "otherwise skip to step 3", "go to step 5", "if
/// not, continue with step 4" → 3, 5, 4.
fn skip_to(text: &str) -> Option<u64> {
    static SKIP: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)\b(?:skip|go|jump|continue|proceed|move on)(?:\s+(?:on|straight|directly|ahead))?\s+(?:to|with|at)\s+step\s+(\d{1,4})\b",
        )
        .ok()
    });
    SKIP.as_ref()?.captures(text)?.get(1)?.as_str().parse().ok()
}

/// Two or more courses in a row under one heading that are list items ("2. If the last
/// deploy is the cause, roll it back") or bold paragraphs ("**Option B: grow the volume**")
/// become a decision, as sibling headings do ([`alternatives`]): a `choose` before the
/// first, each branch joining again after the last. A paragraph's branch is its steps up
/// to the next course; an item's, its own step.
pub(super) fn item_alternatives(d: &mut Draft) {
    // Deepest first: a decision nested under an item that names a course becomes a course
    // of the decision around it.
    super::item_courses::items_of_sub_steps(d);
    let deepest = d.steps.iter().map(|s| s.depth).max().unwrap_or(0);
    let mut next = 1;
    for depth in (0..=deepest).rev() {
        item_alternatives_at(d, depth, &mut next);
    }
}

/// [`item_alternatives`] for the courses `depth` deep in lists.
fn item_alternatives_at(d: &mut Draft, depth: usize, next: &mut usize) {
    let mut taken: std::collections::HashSet<String> =
        d.steps.iter().map(|s| s.id.clone()).collect();
    // The decisions to insert (before which step), and the steps whose walk they now stand
    // before (their old first course → the decision): made in one pass at the end, not one
    // insert and one search of every decision per decision (8,000 items took seconds).
    // (with where its way out, an option that none of its courses applies, leads)
    let mut inserts: Vec<(usize, Step, Vec<String>)> = Vec::new();
    let mut redirect: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut k = 0;
    while k < d.steps.len() {
        let Some((_, first_bold)) = course_at(d, k).filter(|_| d.steps[k].depth == depth) else {
            k += 1;
            continue;
        };
        let section = d.steps[k].section;
        // Sibling courses stand in the same items.
        let parents = d.steps[k].parents.clone();
        // The branches: (label, first step, one past its last step).
        let mut branches: Vec<(String, usize, usize)> = Vec::new();
        let mut j = k;
        while j < d.steps.len() && d.steps[j].section == section {
            let Some((label, bold)) = course_at(d, j) else {
                break;
            };
            if bold != first_bold || d.steps[j].depth != depth || d.steps[j].parents != parents {
                break;
            }
            // "If the disk is still full after that, …": after the course before it, not
            // instead of it (a decision of its own, whose other option goes on).
            if j > k && follow_up(&label) {
                break;
            }
            // A step that is a course only by its "…, nothing to do. Else, …" sentence
            // ("Describe it. If it is Ready, nothing to do. Otherwise, renew it:") is a
            // decision of its own, never a sibling of other courses.
            let by_else = !bold && !either_or(&label) && or_course(d, j).is_none();
            if by_else && j > k {
                break;
            }
            let mut end = j + d.steps[j].lifted.as_ref().map_or(1, |(_, len)| *len);
            // (A course that is a list item, "1. **Option A — …:** renew", holds its item's
            // steps only: the next item, "3. Wait until it is Ready", is every course's, audit
            // 39 I-11 found it Option B's alone.)
            let item = d.steps[j].top_item.as_ref().map(|(n, _)| *n);
            if bold {
                while end < d.steps.len()
                    && (item.is_none() || d.steps[end].top_item.as_ref().map(|(n, _)| *n) == item)
                    && d.steps[end].section == section
                    && d.steps[end].choose.is_empty()
                    && course_at(d, end).is_none()
                    && !common_to_all(&d.steps[end].instructions)
                {
                    end += 1;
                }
            }
            branches.push((label, j, end));
            j = end;
            if by_else {
                break;
            }
        }
        // "If X, …" / "Otherwise, if Y, …" and then "Otherwise, escalate." with no command:
        // the last option.
        if !first_bold
            && !branches.is_empty()
            && let Some(label) = otherwise_text(d, j, &d.steps[k])
        {
            branches.push((label, j, j + 1));
            j += 1;
        }
        // One list item "If …" alone: a decision whether it applies, or it would run
        // whenever the walk reaches it.
        let mut lone_if = branches.len() == 1
            && !first_bold
            && (branches[0].0.to_ascii_lowercase().starts_with("if ")
                || branches[0].0.to_ascii_lowercase().starts_with("unless ")
                || else_clause(&d.steps[branches[0].1].instructions).is_some());
        // "If Sidekiq runs in Kubernetes instead:" right after the item's command for the
        // other case: the two are the options (an audit found the first run for everyone,
        // then a decision whether the second applies).
        if lone_if
            && branches[0]
                .0
                .to_ascii_lowercase()
                .trim_end_matches(['.', ':'])
                .ends_with(" instead")
            && let Some(prev) = k.checked_sub(1)
            && d.steps[prev].run.is_some()
            && d.steps[prev].choose.is_empty()
            && d.steps[prev].next.is_none()
            && d.steps[prev].section == section
            && course_at(d, prev).is_none()
            && !inserts.iter().any(|(at, _, _)| *at == prev)
        {
            let label = d.steps[prev].title.clone();
            branches.insert(0, (label, prev, k));
            k = prev;
            lone_if = false;
        }
        if branches.len() < 2 && !lone_if {
            k += 1;
            continue;
        }
        let stop = j;
        let after = d
            .steps
            .get(stop.saturating_sub(1))
            .and_then(|s| s.next.clone())
            .or_else(|| d.steps.get(stop).map(|s| s.id.clone()))
            .unwrap_or_else(|| "end".to_string());
        for (_, first, end) in &branches {
            // A nested decision's branch went on to what follows it, which now follows
            // this decision.
            if d.steps[*first].lifted.is_some()
                && let Some(was) = d.steps.get(*end).map(|s| s.id.clone())
            {
                for s in &mut d.steps[*first..*end] {
                    if s.next.as_deref() == Some(was.as_str()) {
                        s.next = Some(after.clone());
                    }
                    for (_, to) in &mut s.choose {
                        if *to == was {
                            *to = after.clone();
                        }
                    }
                }
            }
            d.steps[end - 1].next = Some(after.clone());
        }
        let id = fresh_id(&mut taken, next);
        // "If X, nothing to do. Else, reinitialise it:": the command is the else's.
        let otherwise = lone_if
            .then(|| else_clause(&d.steps[k].instructions))
            .flatten();
        let what = if otherwise.is_some() {
            "a step that starts \"If …, nothing to do. Else, …\": a decision asks which applies, its command the \"Else\"".to_string()
        } else if lone_if {
            "a step that starts \"If …\": a decision asks whether it applies".to_string()
        } else {
            format!(
                "{} {} read as alternatives{}: a decision asks which applies",
                branches.len(),
                if first_bold {
                    "paragraphs in bold"
                } else if depth == 0 {
                    "paragraphs"
                } else {
                    "list items"
                },
                parents
                    .last()
                    .map(|p| format!(" under \"{}\"", p.trim_end_matches(':').trim()))
                    .unwrap_or_default()
            )
        };
        let pos = d.steps[k].pos;
        d.guesses.push((pos, what.clone()));
        // A decision (or the end of a course) that led to the first course now leads to
        // this one.
        redirect.insert(d.steps[k].id.clone(), id.clone());
        // (Named after the item the courses stand in, or else their heading.)
        let heading = parents
            .last()
            .map(|p| p.trim_end_matches(':').trim().to_string())
            .or_else(|| section.and_then(|x| d.sections.get(x)).map(|x| x.1.clone()));
        // Where the decision's ways out lead (redirected, with its courses' steps, to a
        // decision made before them).
        let mut outs = vec![after.clone()];
        let mut options: Vec<(String, String)> = branches
            .iter()
            .map(|(label, first, _)| (label.clone(), d.steps[*first].id.clone()))
            .collect();
        if let Some((condition, rest)) = &otherwise {
            options = vec![
                (
                    format!("Otherwise: {}", short_title(rest)),
                    options[0].1.clone(),
                ),
                (
                    format!("{}: nothing to do", short_title(condition)),
                    after.clone(),
                ),
            ];
        } else if lone_if {
            // "If one backend dominates, look at its pods; otherwise skip to step 3": the
            // way out leads to numbered item 3, not into the next item's decision (an
            // audit's reader for whom no backend dominated was made to roll back).
            match skip_to(&d.steps[k].instructions).and_then(|n| {
                let at = (stop..d.steps.len())
                    .find(|&x| d.steps[x].section == section && d.steps[x].item == Some(n))?;
                Some((n, d.steps[at].id.clone()))
            }) {
                Some((n, to)) => {
                    options.push((format!("It does not apply: skip to step {n}"), to.clone()));
                    outs.push(to);
                }
                None => options.push((SKIP_IT.into(), after.clone())),
            }
        } else if !first_bold && options.iter().all(|(l, _)| condition(l)) {
            // Only conditions, none of them a bare "Otherwise": the operator may find that
            // none holds (an audit found no way on but to pick one; another, "If pods crash,
            // roll back" and "Otherwise, if they are slow, scale out", made to roll back).
            // Named by the page's own "If neither applies, escalate to the DBRE" where it
            // follows them.
            let said = d.steps.get(stop).and_then(|s| {
                let line = s
                    .instructions
                    .lines()
                    .next()?
                    .trim()
                    .trim_start_matches("- ");
                let l = line.to_ascii_lowercase();
                (["if neither", "if none", "if nothing", "if no "]
                    .iter()
                    .any(|w| l.starts_with(w))
                    && line.chars().count() <= 100)
                    .then(|| line.trim_end_matches(['.', ':']).to_string())
            });
            options.push((said.unwrap_or_else(|| NONE_APPLIES.into()), after.clone()));
        }
        // Courses nested under an item that names one of its own: this decision is that
        // course among the item's siblings, at the depth above.
        let mut lifted = parents
            .last()
            .filter(|p| either_or(p) && depth > 0)
            .map(|p| (p.clone(), 1 + stop - k));
        // That item has a command of its own, its step just before ("- If the primary is
        // down, stop its service first:" + `systemctl stop patroni`): the course is that
        // step, which then leads to this decision (an audit found the two made options of
        // one label, the stop skipped on the way to the failover).
        if let Some((p, len)) = &lifted
            && let Some(before) = k.checked_sub(1).and_then(|b| d.steps.get(b))
            && before.depth + 1 == depth
            && before.parents.len() + 1 == parents.len()
            && before.parents[..] == parents[..parents.len() - 1]
            && before.lifted.is_none()
            && course(d, before).is_some_and(|(label, _)| label == p.trim_end_matches(':').trim())
        {
            let len = *len;
            let (p, _) = lifted.take().unwrap_or_default();
            d.steps[k - 1].lifted = Some((p, len + 1));
        }
        inserts.push((
            k,
            Step {
                id,
                title: heading.map_or_else(
                    || "Which applies?".into(),
                    |h| format!("{h}: which applies?"),
                ),
                choose: options,
                pos,
                notes: vec![format!("{pos}: guess: {what}")],
                section,
                depth: if lifted.is_some() { depth - 1 } else { depth },
                parents: if lifted.is_some() {
                    parents[..parents.len() - 1].to_vec()
                } else {
                    parents.clone()
                },
                lifted,
                ..Step::default()
            },
            outs,
        ));
        k = stop;
    }
    if inserts.is_empty() {
        return;
    }
    for s in &mut d.steps {
        for (_, to) in &mut s.choose {
            if let Some(new) = redirect.get(to.as_str()) {
                *to = new.clone();
            }
        }
        if let Some(new) = s.next.as_deref().and_then(|n| redirect.get(n)) {
            s.next = Some(new.clone());
        }
    }
    // (A decision's own courses stay its options; where it skips to may be redirected: an
    // audit found "nothing to do" lead past the next decision, into the step it asks
    // about.)
    for (_, decision, outs) in &mut inserts {
        for (_, to) in &mut decision.choose {
            if outs.contains(to)
                && let Some(new) = redirect.get(to.as_str())
            {
                *to = new.clone();
            }
        }
    }
    let mut steps = Vec::with_capacity(d.steps.len() + inserts.len());
    let mut inserts = inserts.into_iter().peekable();
    for (k, step) in std::mem::take(&mut d.steps).into_iter().enumerate() {
        while let Some((_, decision, _)) = inserts.next_if(|(at, _, _)| *at == k) {
            steps.push(decision);
        }
        steps.push(step);
    }
    d.steps = steps;
}

#[cfg(test)]
mod tests {
    use super::skip_to;

    #[test]
    fn a_sentence_that_sends_the_reader_on_names_the_step() {
        for (text, n) in [
            (
                "If one backend dominates, look at its pods; otherwise skip to step 3.",
                3,
            ),
            ("If not, go to step 5.", 5),
            ("Otherwise continue with step 4", 4),
            ("If it is healthy, jump straight to step 12:", 12),
        ] {
            assert_eq!(skip_to(text), Some(n), "{text}");
        }
        for text in [
            "If one backend dominates, look at its pods.",
            "Step 3 of the upgrade guide explains it.",
            "Skip to the next section.",
        ] {
            assert_eq!(skip_to(text), None, "{text}");
        }
    }
}
