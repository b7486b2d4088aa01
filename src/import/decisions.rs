//! Courses that exclude each other (sibling headings "If …", "Option …"; list items and bold
//! paragraphs that read so; "If X, nothing to do. Else, …") made a decision: a `choose` step
//! before them, each branch joining again after the last.

use super::courses::{alternative, on_platform};
use super::draft::{Draft, Step};
use super::titles::{capitalized, fresh_id, short_title};

/// What names a step as one of several courses without a heading: a list item that starts
/// "If …" (its title), or a paragraph in bold that does (`**Option A: clean old logs**`,
/// its instructions' first line). (label, whether the paragraph's following steps go with it)
fn course(d: &Draft, s: &Step) -> Option<(String, bool)> {
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
            Some((
                if line.starts_with(s.title.as_str()) && line.chars().count() <= 100 {
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
        None if courses == 0 && quoted_condition(first).is_some() => {
            quoted_condition(first).map(|c| (c, false))
        }
        None => None,
    }
}

/// Whether a step after courses in bold is done whichever was taken: "Then check again:",
/// "In both cases, verify…", "Finally, confirm the alert resolved", "Afterwards, confirm
/// usage is below 80%:", "After that, …", "When done, …" (audits found the check after the
/// last option reached from that option only: options A and B of a full disk ended the run
/// before `df -h /`).
fn common_to_all(text: &str) -> bool {
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
/// raise it".
fn quoted_condition(line: &str) -> Option<String> {
    let mut t = line.trim().strip_prefix('>')?.trim();
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
fn else_clause(text: &str) -> Option<(String, String)> {
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

/// Whether a heading is a condition alone ("If the disk is still full", "Unless …", "In case
/// …", "Only if …"), not a course of a set named otherwise.
fn lone_condition(title: &str) -> bool {
    let t = super::courses::bare(title).to_lowercase();
    ["if ", "unless ", "in case ", "only if "]
        .iter()
        .any(|w| t.starts_with(w))
}

/// Whether an option's label is a condition: "If …", "Unless …", and an "Otherwise" that
/// has one of its own ("Otherwise, if the pods are slow, scale out", "Else if …"), unlike a
/// bare "Otherwise, restart it", which holds whenever the others do not.
fn condition(label: &str) -> bool {
    let l = label.trim().to_ascii_lowercase();
    let rest = ["otherwise", "else"]
        .iter()
        .find_map(|w| l.strip_prefix(w))
        .map_or(l.as_str(), |r| r.trim_start_matches([',', ' ', ':']));
    rest.starts_with("if ") || rest.starts_with("unless ")
}

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

/// The option of a decision whether a lone "If …" item applies that skips it.
pub(super) const SKIP_IT: &str = "It does not apply: skip it";

/// The option of a decision between conditions ("If …" items) that says none holds.
const NONE_APPLIES: &str = "None of these applies: go on";

/// The option of a decision between conditional sections ("## If …" headings) that says
/// none holds: the walk goes on after them all.
const NONE_APPLIES_SKIP: &str = "None of these applies: skip them";

/// Two or more courses in a row under one heading that are list items ("2. If the last
/// deploy is the cause, roll it back") or bold paragraphs ("**Option B: grow the volume**")
/// become a decision, as sibling headings do ([`alternatives`]): a `choose` before the
/// first, each branch joining again after the last. A paragraph's branch is its steps up
/// to the next course; an item's, its own step.
pub(super) fn item_alternatives(d: &mut Draft) {
    // Deepest first: a decision nested under an item that names a course becomes a course
    // of the decision around it.
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
        let Some((_, first_bold)) = course(d, &d.steps[k]).filter(|_| d.steps[k].depth == depth)
        else {
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
            let Some((label, bold)) = course(d, &d.steps[j]) else {
                break;
            };
            if bold != first_bold || d.steps[j].depth != depth || d.steps[j].parents != parents {
                break;
            }
            // A step that is a course only by its "…, nothing to do. Else, …" sentence
            // ("Describe it. If it is Ready, nothing to do. Otherwise, renew it:") is a
            // decision of its own, never a sibling of other courses.
            let by_else = !bold && !either_or(&label);
            if by_else && j > k {
                break;
            }
            let mut end = j + d.steps[j].lifted.as_ref().map_or(1, |(_, len)| *len);
            if bold {
                while end < d.steps.len()
                    && d.steps[end].section == section
                    && d.steps[end].choose.is_empty()
                    && course(d, &d.steps[end]).is_none()
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
            && course(d, &d.steps[prev]).is_none()
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
            if l == level && course(j, l, t) {
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
        let lone = group.len() == 1 && !page_title && lone_condition(&d.sections[i].1);
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
        let what = if lone {
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
            options.push((NONE_APPLIES_SKIP.into(), after.clone()));
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
    use super::{common_to_all, condition, sibling_label, skip_to};

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
