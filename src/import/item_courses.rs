//! What names a step as one of several courses without a heading of its own (a list item
//! "If …", a paragraph in bold "**Option A: …**", a quoted "> **Note** If …", "If X,
//! nothing to do. Else, …"), and what says a step after them is every course's: read by
//! `item_decisions.rs`.

use super::decisions::{either_or, else_clause};
use super::draft::{Draft, Step};
use super::titles::short_title;

/// What names a step as one of several courses without a heading: a list item that starts
/// "If …" (its title), or a paragraph in bold that does (`**Option A: clean old logs**`,
/// its instructions' first line). (label, whether the paragraph's following steps go with it)
pub(super) fn course(d: &Draft, s: &Step) -> Option<(String, bool)> {
    // A decision of courses nested under an item that names one ("- If the primary is
    // down:"): that item is a course among its siblings.
    if let Some((label, _)) = &s.lifted {
        return Some((label.trim_end_matches(':').trim().to_string(), false));
    }
    // `2. Option B: ask the storage team for capacity.` among options with commands: an
    // option of its own, which leads to its checklist (an audit found options A and C run
    // in a row around it).
    if s.run.is_none()
        && s.choose.is_empty()
        && s.instructions.trim().is_empty()
        && let [item] = s.checklist.as_slice()
    {
        let t = item.trim().trim_start_matches('*').to_lowercase();
        let named = ["option ", "alternative "]
            .iter()
            .chain(super::courses::OTHER_OPTIONS)
            .any(|w| t.starts_with(w));
        // (In bold, `**Option 2** — ask…` or Jira's `*Option 2*`, it is a sibling of the
        // options in bold.)
        let bold = item.trim_start().starts_with('*');
        return named.then(|| {
            // (`**Option 2** — ask the storage team`: named by its bold part, as its
            // siblings in bold are.)
            let item = item.trim();
            let label = item
                .strip_prefix("**")
                .and_then(|b| b.split_once("**"))
                .or_else(|| item.strip_prefix('*').and_then(|b| b.split_once('*')))
                .map_or(item, |(b, _)| b)
                .trim_end_matches(['.', ':'])
                .trim();
            if label.chars().count() <= 100 && !label.contains('\n') {
                (label.to_string(), bold)
            } else {
                (short_title(label), bold)
            }
        });
    }
    if s.run.is_none() || !s.choose.is_empty() {
        return None;
    }
    // Under a heading that names options ("Rollback options", "Alternatives"), any bold
    // paragraph or item names one (`- **Roll back the deploy**:`).
    let options = s
        .section
        .and_then(|i| d.sections.get(i))
        .is_some_and(|(_, h, _)| {
            let h = h.to_ascii_lowercase();
            h.contains("options") || h.contains("alternatives")
        });
    // (`**Option 1 — force a failover**: text…`: the bold part names it, whatever follows.
    // Jira's bold is one asterisk, `*Option A:* clean…`, read as emphasis: a course when it
    // names one, audit 14n N6.)
    let bold_course = |line: &str| {
        let line = line.trim().trim_start_matches("- ");
        let (named, strong) = match line.strip_prefix("**") {
            Some(rest) => (rest.split_once("**"), true),
            None => (
                line.strip_prefix('*').and_then(|r| r.split_once('*')),
                false,
            ),
        };
        named
            .map(|(b, _)| b.trim_end_matches(':').trim().to_string())
            .filter(|b| !b.is_empty() && ((strong && options) || either_or(b)))
    };
    let first = s.instructions.lines().next().unwrap_or("");
    // (Two courses in one step's text: the first had no command of its own; not read.)
    let courses = s
        .instructions
        .lines()
        .filter(|l| bold_course(l).is_some())
        .count();
    // (After a lead-in of the list, "Choose **one** of the two ways:", the item's own line
    // names it: audit 14m M2.)
    let lead_in = courses == 1
        && bold_course(first).is_none()
        && first.trim_end().ends_with(':')
        && s.instructions
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
            == 2;
    let named = if lead_in {
        s.instructions
            .lines()
            .filter(|l| !l.trim().is_empty())
            .nth(1)
            .and_then(bold_course)
    } else {
        bold_course(first)
    };
    match named {
        Some(b) if courses == 1 => Some((b, true)),
        Some(_) => None,
        // (Named by its item's first line, `Option A: scale reads to replicas`, not only
        // by the title cut at its colon.)
        None if courses == 0 && either_or(&s.title) => {
            let line = first.trim().trim_end_matches(':').trim();
            // (A long sentence's title is cut, `…` at its end.)
            Some((
                if line.starts_with(s.title.trim_end_matches('…')) && line.chars().count() <= 100
                {
                    line.to_string()
                } else {
                    s.title.clone()
                },
                false,
            ))
        }
        // "Look at the status. If it is Running, nothing to do. Else, delete it:".
        None if courses == 0 && else_clause(&s.instructions).is_some() => {
            Some((s.title.clone(), false))
        }
        // A quoted note with its command: "> **Note** If the disk watermark is the cause,
        // first raise it:" (an audit found it run for everyone).
        None if courses == 0 && quoted_condition(&s.instructions).is_some() => {
            quoted_condition(&s.instructions).map(|c| (c, false))
        }
        None => None,
    }
}

/// A top-level item that names a course ("- If the consumer pods are crashing:", "*
/// Otherwise:") whose commands stand in its sub-items ("1. Find the pods that restart:" and
/// its block, "2. Roll back:" and its): its steps are one course, named by the item, as a
/// decision nested under such an item is ([`Step::lifted`]); made so before the decisions
/// are (an audit found the sub-steps run for everyone, the item's `<NAMESPACE>` asked of
/// every operator). Its steps stand at the item's depth, among its siblings' courses.
/// (Items whose sub-items are courses of their own are left to the decisions nested there.)
pub(super) fn items_of_sub_steps(d: &mut Draft) {
    led_courses(d);
    let mut k = 0;
    while k < d.steps.len() {
        let Some((serial, head)) = d.steps[k].top_item.clone() else {
            k += 1;
            continue;
        };
        let section = d.steps[k].section;
        let end = (k..d.steps.len())
            .find(|&j| {
                d.steps[j].section != section
                    || d.steps[j].top_item.as_ref().map(|(n, _)| *n) != Some(serial)
            })
            .unwrap_or(d.steps.len());
        let label = head.trim().trim_end_matches(':').trim();
        let group = &d.steps[k..end];
        if either_or(label)
            && group.iter().any(|s| s.depth > 1)
            && group
                .iter()
                .all(|s| s.parents.is_empty() && s.lifted.is_none() && s.choose.is_empty())
        {
            let label = if label.chars().count() <= 100 {
                label.to_string()
            } else {
                short_title(label)
            };
            // (A top-level item's depth.)
            for s in &mut d.steps[k..end] {
                s.depth = 1;
            }
            d.steps[k].lifted = Some((label, end - k));
        }
        k = end;
    }
}

/// The steps that a course leads into ([`Step::led`]: the list after "If a node left the
/// cluster:", the text of a `<details>` whose summary is "If the drain hangs on a pod"):
/// one course, named by it, at the top level beside the page's other courses of
/// paragraphs ("Otherwise:" and its list, "If …:" and its block). Left as they are when a
/// step among them is a course of its own or stands in one (their decision is made
/// there).
pub(super) fn led_courses(d: &mut Draft) {
    let mut k = 0;
    while k < d.steps.len() {
        let Some((serial, label)) = d.steps[k].led.clone() else {
            k += 1;
            continue;
        };
        let end = (k..d.steps.len())
            .find(|&j| d.steps[j].led.as_ref().map(|(n, _)| *n) != Some(serial))
            .unwrap_or(d.steps.len());
        let plain = (k..end).all(|j| {
            let s = &d.steps[j];
            s.parents.is_empty()
                && s.lifted.is_none()
                && s.choose.is_empty()
                && course_at(d, j).is_none()
        });
        if plain {
            for s in &mut d.steps[k..end] {
                s.depth = 0;
            }
            let label = if label.chars().count() <= 100 {
                label
            } else {
                short_title(&label)
            };
            d.steps[k].lifted = Some((label, end - k));
        }
        k = end;
    }
}

/// What names the step at `k` as one of several courses: [`course`], [`or_course`], or
/// [`shown_course`].
pub(super) fn course_at(d: &Draft, k: usize) -> Option<(String, bool)> {
    let s = d.steps.get(k)?;
    course(d, s)
        .or_else(|| or_course(d, k).map(|label| (label, false)))
        .or_else(|| shown_course(d, k).map(|label| (label, false)))
}

/// "If the kubelet service is stopped, restart it from the debug shell:" over a block shown,
/// not run (typed at a `sh-4.4#` prompt, in psql), beside a sibling "If the node is
/// unreachable, …:" over a command: the two are the page's alternatives, the first a step
/// of text (audit 39 I-4 found it read for everyone, a decision whether the second applies
/// after it). Alone, such a step stays text, as any shown block does. Its label.
pub(super) fn shown_course(d: &Draft, k: usize) -> Option<String> {
    let s = d.steps.get(k)?;
    if s.run.is_some()
        || !s.choose.is_empty()
        || !s.checklist.is_empty()
        || s.lifted.is_some()
        || !s.instructions.contains("```")
    {
        return None;
    }
    let first = s.instructions.trim().lines().next()?.trim();
    let line = first.trim_end_matches(':').trim();
    let conditional = |label: &str| {
        let l = label.to_ascii_lowercase();
        l.starts_with("if ") || l.starts_with("unless ")
    };
    if !conditional(line) {
        return None;
    }
    // (A sibling course with a command of its own, not in bold, beside it.)
    let sibling = |o: &Step| {
        o.run.is_some()
            && o.section == s.section
            && o.depth == s.depth
            && o.parents == s.parents
            && course(d, o).is_some_and(|(label, bold)| !bold && conditional(&label))
    };
    let beside = k
        .checked_sub(1)
        .and_then(|p| d.steps.get(p))
        .is_some_and(sibling)
        || d.steps.get(k + 1).is_some_and(sibling);
    beside.then(|| {
        if line.chars().count() <= 100 {
            line.to_string()
        } else {
            short_title(line)
        }
    })
}

/// "To restart with systemd:" and its block, then "Or, to restart with Docker:" and its: two
/// ways of doing one thing, the page's reader does one (audit 14p A-14 found both run). The
/// step at `k` as such a course: the last line of its text ends with a colon, and it is
/// followed by a step whose text starts "Or …" (or it is that step, after one such), the
/// two not both commands that only read ([`super::reads::only_reads`]: "Check the logs:" /
/// "Or, with more detail:" are two looks at one thing). Its label: that line, "Or" taken
/// off.
pub(super) fn or_course(d: &Draft, k: usize) -> Option<String> {
    let s = d.steps.get(k)?;
    let alike = |o: &Step| {
        o.run.is_some()
            && o.choose.is_empty()
            && o.section == s.section
            && o.depth == s.depth
            && o.parents == s.parents
    };
    if !alike(s) {
        return None;
    }
    let line = introduction(&s.instructions)?;
    let (label, other) = match or_phrase(line) {
        // (After "…:" and its block: the first way.)
        Some(rest) => {
            let before = d.steps.get(k.checked_sub(1)?)?;
            (alike(before) && introduction(&before.instructions).is_some())
                .then_some((rest, before))?
        }
        None => {
            let after = d.steps.get(k + 1)?;
            let follows = introduction(&after.instructions).and_then(or_phrase);
            (alike(after) && follows.is_some()).then_some((line, after))?
        }
    };
    // "Check the logs:" / "Or, with more detail:", each block only reading (`kubectl logs`,
    // `kubectl logs -v=6`): two ways of looking at one thing, steps in a row, not courses of
    // the runbook (audit 18 found the reader asked to pick one of two looks at the logs).
    let reads = |o: &Step| o.run.as_deref().is_some_and(super::reads::only_reads);
    if reads(s) && reads(other) {
        return None;
    }
    let label = super::titles::capitalized(label.trim_end_matches(':').trim());
    (!label.is_empty()).then(|| short_title(&label))
}

/// The line of a step's text that introduces its command: its last, ending with a colon
/// ("To restart with Docker:"), no longer than a sentence.
fn introduction(text: &str) -> Option<&str> {
    let line = text.trim().rsplit('\n').next()?.trim();
    (line.ends_with(':') && line.chars().count() <= 160 && !line.starts_with('>')).then_some(line)
}

/// "Or, to restart with Docker:" → "to restart with Docker:" (also "Or to …", "Or: …",
/// "Alternatively, …").
fn or_phrase(line: &str) -> Option<&str> {
    let rest = line
        .strip_prefix("Or")
        .or_else(|| line.strip_prefix("or"))
        .filter(|r| r.starts_with([' ', ',', ':']))
        .or_else(|| line.strip_prefix("Alternatively"))?;
    let rest = rest.trim_start_matches([',', ':', ' ']);
    (!rest.is_empty()).then_some(rest)
}

/// A step of text alone right after courses "If …" / "Otherwise, if …" that is their bare
/// "Otherwise, escalate to the owning team." (one paragraph, no command): the decision's
/// last option, whatever holds when none of the others does (audit 14p A-1 found it read
/// after each option). Its label.
pub(super) fn otherwise_text(d: &Draft, k: usize, first: &Step) -> Option<String> {
    let s = d.steps.get(k)?;
    let text = s.instructions.trim().trim_start_matches("- ");
    let lower = text.to_ascii_lowercase();
    let bare = ["otherwise", "else", "if not,", "if not "]
        .iter()
        .any(|w| lower.starts_with(w))
        && !super::decisions::condition(text);
    (bare
        && s.run.is_none()
        && s.choose.is_empty()
        && s.checklist.is_empty()
        && s.section == first.section
        && first.parents.is_empty()
        && !text.contains("\n\n")
        && text.chars().count() <= 300)
        .then(|| short_title(text.trim_end_matches(['.', ':'])))
}

/// Whether a step after courses in bold is done whichever was taken: "Then check again:",
/// "In both cases, verify…", "Finally, confirm the alert resolved", "Afterwards, confirm
/// usage is below 80%:", "After that, …", "When done, …" (audits found the check after the
/// last option reached from that option only: options A and B of a full disk ended the run
/// before `df -h /`).
pub(super) fn common_to_all(text: &str) -> bool {
    static COMMON: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)^\s*(?:(?:in (?:any|both|either|all|each) cases?|whichever[^,.:]*|(?:once (?:either|one|it)|(?:once|when) (?:done|finished|complete|completed|you(?:'re| are| have)? (?:done|finished)))[^,.:]*|after (?:any|either|each|all|the|that|this) (?:option|of them|one|fix)[^,.:]*|lastly|in the end|at the end|finally|verify|confirm)\b|(?:afterwards?|after th(?:at|is))\s*[,:]|(?:then|afterwards?|after that)?[, ]*(?:check|verify|confirm|make sure|look)\b[^.:\n]*\b(?:again|recover|resolv|fixed|back to|healthy|cleared|gone))",
        )
        .ok()
    });
    COMMON.as_ref().is_some_and(|re| re.is_match(text))
}

/// The condition of a quoted paragraph that starts with one: "> **Note** If the disk
/// watermark is the cause, first raise it:" → "If the disk watermark is the cause, first
/// raise it". The paragraph's lines are read as one: GitHub's "> **Note**" (or "> [!NOTE]")
/// stands on a line of its own above the sentence (audit 39 I-2).
fn quoted_condition(text: &str) -> Option<String> {
    let paragraph = text
        .trim_start()
        .lines()
        .map_while(|l| l.trim().strip_prefix('>').map(str::trim))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut t = paragraph.as_str();
    if t.is_empty() {
        return None;
    }
    for lead in [
        "**Note**",
        "**Warning**",
        "**Important**",
        "**Tip**",
        "Note:",
        "Warning:",
        "[!NOTE]",
        "[!WARNING]",
        "**Note:**",
        "**Warning:**",
    ] {
        t = t
            .strip_prefix(lead)
            .unwrap_or(t)
            .trim_start_matches([':', ' ']);
    }
    (t.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("if ")) && t.chars().count() <= 120)
        .then(|| t.trim_end_matches([':', '.']).trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::common_to_all;

    /// The phrases that open a step every option goes on to, and look-alikes that go on
    /// within one option.
    #[test]
    fn a_step_common_to_all_options_is_known_by_its_opening() {
        for text in [
            "Afterwards, confirm usage is below 80%:",
            "Afterward, check the disk:",
            "After that, restart the exporter:",
            "After this, watch the alert:",
            "Finally, confirm no pod restarts any more:",
            "Lastly, close the incident:",
            "Once done, look at the disk:",
            "When done, run the check:",
            "When you are done, look at the disk:",
            "Once you have finished, verify:",
            "In the end, check the alert cleared:",
            "Then check again:",
            "In all cases, verify the replica:",
            "Whichever option you chose, check the lag:",
            "After any option, check Rails can reach Redis:",
        ] {
            assert!(common_to_all(text), "{text}");
        }
        for text in [
            "Then grow the file system.",
            "When the node drains, uncordon it:",
            "When it is drained, uncordon it:",
            "After the restart the cache is cold.",
            "Afterwardsville is a place",
            "Once the pods are gone, recreate them:",
        ] {
            assert!(!common_to_all(text), "{text}");
        }
    }
}
