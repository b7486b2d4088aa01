//! Sibling sections that are alternatives ("## If …", "### Option B", causes under a
//! Mitigation heading, content tabs, headings labelled alike) made a decision; a lone
//! "If …" section, a decision whether it applies.

use super::courses::{alternative, last_resort};
use super::decisions::{NONE_APPLIES, SKIP_IT, condition, follow_up};
use super::draft::{Draft, Step};
use super::titles::fresh_id;

/// Whether a heading is a condition alone ("If the disk is still full", "Unless …", "In case
/// …", "Only if …"), not a course of a set named otherwise.
fn lone_condition(title: &str) -> bool {
    let t = super::courses::bare(title).to_lowercase();
    ["if ", "unless ", "in case ", "only if "]
        .iter()
        .any(|w| t.starts_with(w))
}

/// What labels a heading as one of a set: its first word when a letter or a number follows
/// it ("Scenario A – a broker is down" → `scenario`, "Path 2" → `path`), or when it ends in
/// a colon ("Cause: a bad deploy" → `cause:`). `None` for other headings ("Step 1" is a
/// sequence: `None` too).
fn sibling_label(title: &str) -> Option<String> {
    let mut words = title.split_whitespace();
    let first = words.next()?.to_lowercase();
    if matches!(
        first.as_str(),
        "step" | "phase" | "stage" | "part" | "day" | "round"
    ) {
        return None;
    }
    // (Any language's letters: "Opção A", "Opción B", audit 14m M1.)
    if first.chars().count() > 1
        && first.ends_with(':')
        && first[..first.len() - 1].chars().all(char::is_alphabetic)
    {
        return words.next().is_some().then_some(first);
    }
    if !first.chars().all(char::is_alphabetic) {
        return None;
    }
    let raw = words.next()?;
    let label = raw.trim_end_matches([':', '.', ')', ',']);
    // (A label ends the heading or its part: "Plan A", "Path 2:", "Scenario B – …"; not
    // "Wait 5 minutes", "Run a check".)
    let ends = raw.len() > label.len()
        || words
            .next()
            .is_none_or(|w| matches!(w, "-" | "–" | "—" | ":" | "|"));
    let single_letter = label.len() == 1 && label.bytes().all(|b| b.is_ascii_uppercase());
    let number = !label.is_empty() && label.len() <= 2 && label.bytes().all(|b| b.is_ascii_digit());
    (ends && (single_letter || number)).then_some(first)
}

/// Whether prose announces that what follows are alternatives: "Choose one of the
/// following.", "Do one of these:", "Pick one:", "Either …".
fn announces_alternatives(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "one of the following",
        "one of these",
        "choose one",
        "pick one",
        "either of the following",
        "one of the options below",
        "one of the approaches",
        "one of the ways",
    ]
    .iter()
    .any(|p| t.contains(p))
}

/// Whether a heading states a cause rather than says what to do: "The pod is not running",
/// "A NetworkPolicy blocks the scrape", "The TLS certificate of the target expired".
fn names_a_cause(title: &str) -> bool {
    let t = format!(" {} ", title.trim().to_ascii_lowercase());
    [" the ", " a ", " an ", " no ", " too "]
        .iter()
        .any(|w| t.starts_with(w))
        && [
            " is ",
            " are ",
            " was ",
            " were ",
            " has ",
            " have ",
            " blocks ",
            " expired ",
            " not ",
            " cannot ",
            " can't ",
            " fails ",
            " failed ",
            " full ",
            " missing ",
        ]
        .iter()
        .any(|w| t.contains(w))
}

/// Sibling sections that are alternatives (two or more headings in a row, at one level,
/// read as "If …", "Option …") become a decision: a `choose` step before them whose options
/// lead to each, every branch joining again after the last.
pub(super) fn alternatives(d: &mut Draft) {
    let mut taken: std::collections::HashSet<String> =
        d.steps.iter().map(|s| s.id.clone()).collect();
    let mut next = 1;
    let mut i = 0;
    // The sections already an option of a decision: a sibling after the first is not the
    // start of another group (three alternatives are one decision of three options).
    let mut options_of_a_decision = std::collections::BTreeSet::new();
    // Under a Mitigation-like heading, sub-sections that each name a cause ("The pod is
    // not running", "A NetworkPolicy blocks the scrape", the Prometheus operator's style)
    // are alternatives too (an audit found the fixes of three causes run in a row).
    // (The heading a section at `level` stands in: the nearest before it of a lower level.)
    // (Found in one pass for every section: looked for backwards each time, a page of
    // 200,000 sections took a minute, audit 14l L15.)
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(d.sections.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, section) in d.sections.iter().enumerate() {
        while open.last().is_some_and(|&k| d.sections[k].0 >= section.0) {
            open.pop();
        }
        parents.push(open.last().copied());
        open.push(i);
    }
    let parent = |i: usize, level: u8| match parents.get(i) {
        Some(&found) if d.sections[i].0 == level => found,
        _ => (0..i).rev().find(|&k| d.sections[k].0 < level),
    };
    let parent_title =
        |i: usize, level: u8| parent(i, level).map(|k| d.sections[k].1.to_ascii_lowercase());
    let under_mitigation = |i: usize, level: u8| {
        parent_title(i, level).is_some_and(|t| {
            ["mitigat", "resolution", "remediat", "fix", "solution"]
                .iter()
                .any(|w| t.starts_with(w))
        })
    };
    // Under a heading that names options ("Mitigation options", "Alternatives",
    // "Workarounds"), its sub-sections are the options (audit 14i found them run in a row).
    let under_options = |i: usize, level: u8| {
        parent_title(i, level).is_some_and(|t| {
            ["options", "alternatives", "workarounds", "choices"]
                .iter()
                .any(|w| t.split(|c: char| !c.is_ascii_alphabetic()).any(|x| x == *w))
        })
    };
    // Under a heading whose own text says to choose one of what follows ("Choose one of
    // the following."), its sub-sections are alternatives whatever they are named (an
    // audit found an index deleted, the watermark raised and a node added in a row).
    let announced: std::collections::BTreeSet<usize> = d
        .steps
        .iter()
        .filter(|s| s.run.is_none() && announces_alternatives(&s.instructions))
        .filter_map(|s| s.section)
        .collect();
    let under_announcement =
        |i: usize, level: u8| parent(i, level).is_some_and(|k| announced.contains(&k));
    // Content tabs (`=== "Omnibus"`, `=== "Helm chart"`): one of them applies.
    let tab = |i: usize| d.tabs.contains(&d.sections[i].2.line);
    // Siblings labelled alike, "Scenario A – …"/"Scenario B – …", "Plan A"/"Plan B",
    // "Path 1"/"Path 2", "Cause: a bad deploy"/"Cause: a traffic spike": a set of courses
    // whatever the word (audit 14j J13 found them run in a row). (Counted in one pass: a
    // page may have thousands of headings.)
    let mut labelled: std::collections::HashMap<(Option<usize>, u8, String), usize> =
        std::collections::HashMap::new();
    let keys: Vec<Option<String>> = d
        .sections
        .iter()
        .map(|(_, title, _)| sibling_label(super::courses::bare(title)))
        .collect();
    for (i, key) in keys.iter().enumerate() {
        if let Some(key) = key {
            let level = d.sections[i].0;
            *labelled
                .entry((parent(i, level), level, key.clone()))
                .or_default() += 1;
        }
    }
    let labelled_alike = |i: usize, level: u8| {
        keys[i].as_ref().is_some_and(|key| {
            labelled
                .get(&(parent(i, level), level, key.clone()))
                .is_some_and(|&n| n > 1)
        })
    };
    let course = |i: usize, level: u8, title: &str| {
        let title = super::courses::bare(title);
        tab(i)
            || last_resort(title)
            || labelled_alike(i, level)
            || alternative(title)
            || (names_a_cause(title) && under_mitigation(i, level))
            || under_announcement(i, level)
            || under_options(i, level)
    };
    while i < d.sections.len() {
        let (level, ref title, line) = d.sections[i];
        if !course(i, level, title) || options_of_a_decision.contains(&i) {
            i += 1;
            continue;
        }
        // The group: the following sections at the same level that are alternatives too,
        // with their subsections (deeper levels) inside them.
        let mut group = vec![i];
        let mut j = i + 1;
        while j < d.sections.len() {
            let (l, ref t, _) = d.sections[j];
            if l > level {
                j += 1;
                continue;
            }
            // "### If the queue is still growing after that": after the section before it,
            // not instead of it (a decision of its own, whose "skip it" goes on; audit 18
            // A-26, as 14p did for items).
            if l == level && course(j, l, t) && !follow_up(super::courses::bare(t)) {
                group.push(j);
                j += 1;
                continue;
            }
            break;
        }
        let end = j;
        // One "If …" section with no course beside it: a decision whether it applies (audit
        // 14n N5 found it run every time). Any other lone course (a title "When …"): its own
        // parts may still be alternatives.
        // (Not the page's title, `# If the primary is down`: what the whole page is about.)
        let page_title = i == 0 && level == 1 && d.sections[i].1 == d.title;
        // (A step headed "… (last resort)" alone: a decision whether to take it, which
        // `--yes` skips.)
        let resort = group.len() == 1 && last_resort(&d.sections[i].1);
        let lone = group.len() == 1 && !page_title && (lone_condition(&d.sections[i].1) || resort);
        if group.len() < 2 && !lone {
            i += 1;
            continue;
        }
        options_of_a_decision.extend(group.iter().copied());
        // An alternative that is only its heading ("### Option B: wait it out"): the heading
        // is what to do, a step that says it (audit 14l L12 found it lost, and a decision
        // of one option).
        for (n, &g) in group.iter().enumerate() {
            let last = group.get(n + 1).copied().unwrap_or(end);
            if d.steps
                .iter()
                .any(|s| s.section.is_some_and(|x| x >= g && x < last))
            {
                continue;
            }
            let at = d
                .steps
                .iter()
                .position(|s| s.section.is_some_and(|x| x >= last))
                .unwrap_or(d.steps.len());
            let (_, title, pos) = d.sections[g].clone();
            let mut step = [Step {
                title: title.clone(),
                instructions: format!("{title}."),
                pos,
                section: Some(g),
                ..Step::default()
            }];
            super::titles::ids(&mut step);
            let [mut step] = step;
            let base = step.id.clone();
            let mut k = 2;
            while taken.contains(&step.id) {
                step.id = format!("{base}-{k}");
                k += 1;
            }
            taken.insert(step.id.clone());
            // (It joins the others after the group, as their last steps do.)
            d.steps.insert(at, step);
        }
        // Each branch: the steps of its section and subsections.
        let branch_of = |sec: usize| -> Option<usize> {
            let last = group.iter().copied().find(|&g| g > sec).unwrap_or(end);
            d.steps
                .iter()
                .position(|s| s.section.is_some_and(|x| x >= sec && x < last))
        };
        let firsts: Vec<(usize, Option<usize>)> =
            group.iter().map(|&g| (g, branch_of(g))).collect();
        let Some(first_step) = firsts.iter().find_map(|(_, f)| *f) else {
            i = end;
            continue;
        };
        // Where the branches join: after the group; for a group inside a branch of an
        // outer one (read first), where that branch goes on.
        let stop_all = d
            .steps
            .iter()
            .position(|s| s.section.is_some_and(|x| x >= end))
            .unwrap_or(d.steps.len());
        let after = stop_all
            .checked_sub(1)
            .and_then(|k| d.steps[k].next.clone())
            .unwrap_or_else(|| {
                d.steps
                    .get(stop_all)
                    .map_or_else(|| "end".to_string(), |s| s.id.clone())
            });
        // The last step of every branch joins again after the group.
        for (n, &(g, first)) in firsts.iter().enumerate() {
            let Some(first) = first else { continue };
            let stop = firsts[n + 1..]
                .iter()
                .find_map(|(_, f)| *f)
                .unwrap_or_else(|| {
                    d.steps
                        .iter()
                        .position(|s| s.section.is_some_and(|x| x >= end))
                        .unwrap_or(d.steps.len())
                });
            let _ = g;
            if stop > first {
                d.steps[stop - 1].next = Some(after.clone());
            }
        }
        // (Two headings alike, "Option A" twice: each label once, numbered, audit 14l L14.)
        let mut labels = std::collections::HashMap::<String, usize>::new();
        let mut options: Vec<(String, String)> = firsts
            .iter()
            .filter_map(|&(g, f)| f.map(|f| (d.sections[g].1.clone(), d.steps[f].id.clone())))
            .map(|(label, to)| {
                let n = labels.entry(label.to_lowercase()).or_default();
                *n += 1;
                if *n > 1 {
                    (format!("{label} ({n})"), to)
                } else {
                    (label, to)
                }
            })
            .collect();
        // The heading above the alternatives (the page's first heading is its title, not a
        // section).
        let parent_index = d.sections[..i]
            .iter()
            .rposition(|(l, ..)| *l < level)
            .filter(|&p| p > 0 || d.sections[p].0 > 1);
        let parent = parent_index.map(|p| d.sections[p].1.clone());
        let id = fresh_id(&mut taken, &mut next);
        let what = if lone && resort {
            options.push((SKIP_IT.into(), after.clone()));
            "a section headed as a last resort: a decision asks whether it applies, skipped unless chosen (its `default`)".to_string()
        } else if lone {
            options.push((SKIP_IT.into(), after.clone()));
            "a section that starts \"If …\" with no other course beside it: a decision asks whether it applies".to_string()
        } else if group
            .iter()
            .all(|&g| condition(super::courses::bare(&d.sections[g].1)))
        {
            // Only conditions ("## If the journal is large", "## If images pile up"): the
            // operator may find that none holds, and go on past them all.
            let what = format!(
                "{} sections read as alternatives: a decision asks which applies, or that none does (each starts \"If …\")",
                options.len()
            );
            options.push((NONE_APPLIES.into(), after.clone()));
            what
        } else {
            format!(
                "{} sections read as alternatives: a decision asks which applies",
                options.len()
            )
        };
        d.guesses.push((line, what.clone()));
        // An outer decision's option that led to this group's first step now leads to
        // this decision.
        let old_first = d.steps[first_step].id.clone();
        for s in &mut d.steps {
            for (_, to) in &mut s.choose {
                if *to == old_first {
                    *to = id.clone();
                }
            }
        }
        d.steps.insert(
            first_step,
            Step {
                id,
                title: parent.map_or_else(
                    || "Which applies?".into(),
                    |p| format!("{p}: which applies?"),
                ),
                choose_default: (lone && resort).then_some(options.len()),
                choose: options,
                pos: line,
                notes: vec![format!("{line}: guess: {what}")],
                section: parent_index,
                ..Step::default()
            },
        );
        // On inside the group: alternatives within a branch are a decision of their own.
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::sibling_label;

    /// Audit 14j J13: headings labelled alike name one of a set of courses.
    #[test]
    fn headings_labelled_alike_are_courses() {
        for (title, label) in [
            ("Scenario A – a broker is down", "scenario"),
            ("Plan B", "plan"),
            ("Path 2: reset the offsets", "path"),
            ("Cause: a bad deploy", "cause:"),
            ("Variant 1 - on Omnibus", "variant"),
        ] {
            assert_eq!(sibling_label(title).as_deref(), Some(label), "{title}");
        }
        for title in [
            "Step 1: drain",
            "Wait 5 minutes",
            "Run a check",
            "Restart the pods",
            "Phase 2",
            "Cause:",
        ] {
            assert_eq!(sibling_label(title), None, "{title}");
        }
    }
}
