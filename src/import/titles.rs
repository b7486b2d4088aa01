//! Step titles (from the text, or the command when the text has none) and step ids.

use super::draft::{Draft, Step};
use std::collections::BTreeMap;

/// Steps titled by their section's heading alone ("Mitigation" three times): the section
/// says it already, so a step with prose is titled by its first sentence instead.
pub(super) fn titles(d: &mut Draft) {
    // How many steps each section holds (not counting its subsections').
    let mut per_section: BTreeMap<usize, usize> = BTreeMap::new();
    for s in &d.steps {
        if let Some(i) = s.section {
            *per_section.entry(i).or_default() += 1;
        }
    }
    for s in &mut d.steps {
        let heading = s.section.and_then(|i| d.sections.get(i)).map(|x| &x.1);
        if heading != Some(&s.title) {
            continue;
        }
        // `### Step 1: Check the current expiry`: the page names the step (an audit found
        // six steps titled by their commands, their ids to be typed at confirmations).
        // (Not a step a `<details>` summary "If …" leads into, which its own words name:
        // audit 39 I-6 found a force-delete titled "Drain the node".)
        if let Some(named) = step_heading(&s.title).filter(|_| s.led.is_none()) {
            s.title = named;
            continue;
        }
        // Two "If …" paragraphs, the first with no command of its own ("If the disk is
        // slow, move etcd.", "If etcd is fragmented, defragment it:"): the command is the
        // last one's, which names the step (an audit found the defrag under the first's).
        let ifs: Vec<&str> = s
            .instructions
            .split("\n\n")
            .map(str::trim_start)
            .filter(|p| p.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("if ")))
            .collect();
        // "If that is not possible, page the storage on-call." then "Then wait for the
        // rebalance:": the command is the last paragraph's, which introduces it (an audit
        // found the wait made the If's course, skipped on the usual path).
        let paragraphs: Vec<&str> = s
            .instructions
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let introduces = paragraphs.last().filter(|p| {
            paragraphs.len() > 1
                && p.ends_with(':')
                && !p.contains('\n')
                && !p.get(..3).is_some_and(|w| w.eq_ignore_ascii_case("if "))
                && !p.starts_with(['`', '-', '*', '|', '>', '#'])
        });
        let first = match (ifs.as_slice(), introduces) {
            (_, Some(last)) if s.run.is_some() => last,
            ([_, .., last], _) => last,
            _ => s.instructions.trim_start(),
        };
        let prose = !first.is_empty()
            && !first.starts_with(['`', '-', '*', '|', '>', '#'])
            && !first.starts_with("Expected output")
            // (The importer's own line over a command's output shown, audit 41 I41-19.)
            && !first.starts_with("Output:\n");
        // `### Delete them` over one block and no words: the heading names its one step
        // (audit 14j J1 found "Run `while read -r j; do`", the id to type at its
        // confirmation); a tab (`=== "Omnibus"`) with the section it is in. Not a phase of
        // the page ("Mitigation", "Diagnosis"), which says nothing of what the step does.
        let named_by_heading = s.section.filter(|i| {
            per_section.get(i) == Some(&1)
                && !names_a_phase(&d.sections[*i].1)
                // (A condition, "If the journal is large", names a course, not a step.)
                && !super::courses::alternative(&d.sections[*i].1)
        });
        let t = if prose {
            short_title(first)
        } else if let Some(i) = named_by_heading {
            let (level, _, at) = &d.sections[i];
            if d.tabs.contains(&at.line)
                && let Some((_, parent, _)) =
                    d.sections[..i].iter().rev().find(|(l, _, _)| l < level)
                && !names_a_phase(parent)
            {
                short_title(&format!("{parent} ({})", s.title))
            } else {
                continue;
            }
        } else if let Some(run) = &s.run {
            // No words of its own: its command says what it does, as the page wrote it
            // (`<POD_NAME>`, not the input it became).
            let line = run.lines().next().unwrap_or("").trim().replace('`', "'");
            // (A comment first says what the commands do: `# kill stale workers`.)
            if let Some(comment) = line.strip_prefix("# ") {
                let said = capitalized(comment.trim());
                if !said.is_empty() {
                    s.title = short_title(&said);
                    continue;
                }
            }
            // (Each `{{ inputs.NAME }}` of the line looked up: a page may have thousands.)
            let mut command = String::with_capacity(line.len());
            let mut rest = line.as_str();
            while let Some(at) = rest.find("{{ inputs.") {
                let after = &rest[at + "{{ inputs.".len()..];
                let Some(end) = after.find(" }}") else {
                    break;
                };
                let raw = d.inputs.get(&after[..end]).and_then(|input| {
                    match super::placeholder_of(&input.description) {
                        Some(written) => Some(written.to_string()),
                        // `export NS=prod`: the page's value.
                        None if input.description.ends_with(", set by `export` on the page") => {
                            input.default.clone()
                        }
                        None => None,
                    }
                });
                command.push_str(&rest[..at]);
                match raw {
                    Some(raw) => command.push_str(&raw),
                    None => command.push_str(&rest[at..at + "{{ inputs.".len() + end + 3]),
                }
                rest = &after[end + 3..];
            }
            command.push_str(rest);
            short_title(&format!("Run `{command}`"))
        } else {
            continue;
        };
        if t != "Run the command" && t != "Run ``" {
            s.title = t;
        }
    }
}

/// Whether a heading names a phase of the page ("Mitigation", "Diagnosis steps", "How to
/// fix"), not what one step does.
fn names_a_phase(heading: &str) -> bool {
    const PHASES: &[&str] = &[
        "mitigation",
        "mitigations",
        "diagnosis",
        "diagnose",
        "resolution",
        "remediation",
        "steps",
        "step",
        "procedure",
        "procedures",
        "fix",
        "fixes",
        "solution",
        "solutions",
        "investigation",
        "investigate",
        "troubleshooting",
        "troubleshoot",
        "verification",
        "verify",
        "validation",
        "validate",
        "recovery",
        "rollback",
        "commands",
        "runbook",
        "actions",
        "instructions",
        "how",
        "to",
        "what",
        "do",
        "escalation",
        "escalate",
        "next",
        "checks",
        "check",
        "overview",
        "impact",
        "meaning",
        "symptoms",
        "prerequisites",
        "cleanup",
        "debug",
        "debugging",
        "the",
        "and",
        "&",
        "of",
        "a",
        "quick",
        "manual",
        "workaround",
        "workarounds",
        "options",
        "alternatives",
        "summary",
        "notes",
        "triage",
        "response",
        "immediate",
        "initial",
        "further",
        "detailed",
        "additional",
        "more",
    ];
    heading
        .split(|c: char| !(c.is_alphanumeric() || c == '&'))
        .filter(|w| !w.is_empty())
        .all(|w| PHASES.contains(&w.to_lowercase().as_str()))
}

/// The name a heading gives one step: `Step 1: Check the expiry`, `Step 2 - Drain the
/// node`, `Step 3. Reload` → what follows the step's number (`None` for other headings,
/// which name a section of several steps: `Mitigation`).
fn step_heading(heading: &str) -> Option<String> {
    let h = heading.trim();
    let stepped = h.strip_prefix("Step ").or_else(|| h.strip_prefix("step "));
    let rest = stepped.unwrap_or(h);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    // (`1. Check the API`, `2) Rotate`: a number alone needs its mark; `2024 report` is
    // no step. A wiki's multi-level number, `1.2 Check the memory`, `4.1.3. Verify`, is
    // taken off whole: audit 14o A-16 found `2 Check the memory`.)
    let mut after = &rest[digits..];
    let mut levels = 1;
    while let Some(more) = after.strip_prefix('.')
        && more.starts_with(|c: char| c.is_ascii_digit())
    {
        after = more.trim_start_matches(|c: char| c.is_ascii_digit());
        levels += 1;
    }
    if stepped.is_none()
        && !after.starts_with(['.', ')', ':'])
        && !(levels > 1 && after.starts_with(char::is_whitespace))
    {
        return None;
    }
    let named = after
        .trim_start()
        .trim_start_matches([':', '.', '-', '–', '—', ')'])
        .trim();
    (!named.is_empty()).then(|| short_title(&capitalized(named)))
}

/// `text` with its first letter in upper case.
pub(super) fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `which-applies`, or `which-applies-N` where that is taken; taken from then on.
pub(super) fn fresh_id(taken: &mut std::collections::HashSet<String>, next: &mut usize) -> String {
    let mut id = "which-applies".to_string();
    // (Counted on from the last one made: a page may have thousands.)
    while taken.contains(&id) {
        *next += 1;
        id = format!("which-applies-{next}");
    }
    taken.insert(id.clone());
    id
}

/// A step title from a list item: its first sentence, at most 60 characters, links as
/// their text.
pub(super) fn short_title(text: &str) -> String {
    static LINK: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\[([^\]]*)\]\(<[^>]*>\)").ok());
    static TEMPLATE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\{\{\s*inputs\.([A-Za-z0-9_]+)\s*\}\}").ok()
    });
    // Only the start of a long text can make a title.
    let mut cut = text.len().min(400);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut text = text[..cut].replace("**", "");
    // (An opening in emphasis, Jira's bold `*Option A:* clean…`, loses its marks too; a `*`
    // elsewhere, `rm *.log`, is the page's.)
    if let Some(rest) = text.strip_prefix('*')
        && !rest.starts_with(' ')
        && let Some(close) = rest.find('*')
    {
        text = format!("{}{}", &rest[..close], &rest[close + 1..]);
    }
    if text.contains("](<")
        && let Some(re) = LINK.as_ref()
    {
        text = re.replace_all(&text, "$1").into_owned();
    }
    // A title is not a template: a value the page left open reads as the page wrote it.
    if text.contains("{{")
        && let Some(re) = TEMPLATE.as_ref()
    {
        text = re.replace_all(&text, "<$1>").into_owned();
    }
    // The first sentence: up to a line's end, or a `.`/`:` before a space, not in code.
    let text = text.trim();
    let mut end = text.len();
    let mut in_code = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '`' => in_code = !in_code,
            '\n' => {
                end = i;
                break;
            }
            '.' | ':' if !in_code && chars.peek().is_none_or(|(_, n)| n.is_whitespace()) => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let first = text[..end].trim();
    let mut t: String = first.chars().take(60).collect();
    if first.chars().count() > 60 {
        t = t.trim_end().to_string();
        t.push('…');
    }
    // Code cut in the middle is closed again.
    if t.matches('`').count() % 2 == 1 {
        t.push('`');
    }
    if t.trim_matches('`').trim().is_empty() {
        "Run the command".into()
    } else {
        t
    }
}

/// Step ids from titles: lower case, words joined by `-`, unique.
pub(super) fn ids(steps: &mut [Step]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for s in steps {
        let mut base: String = s
            .title
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        while base.contains("--") {
            base = base.replace("--", "-");
        }
        // At most 40 characters, cut between words.
        let mut base = base.trim_matches('-').to_string();
        if base.len() > 40 {
            let cut = base[..=40].rfind('-').filter(|&i| i >= 12).unwrap_or(40);
            base.truncate(cut);
        }
        base = base.trim_matches('-').to_string();
        if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base = format!("step-{base}").trim_end_matches('-').to_string();
        }
        // `end` is where a `next:` ends the run, never a step's id.
        if base == "end" {
            base = "end-step".into();
        }
        let n = seen.entry(base.clone()).or_default();
        *n += 1;
        s.id = if *n == 1 { base } else { format!("{base}-{n}") };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_heading_names_its_step() {
        assert_eq!(
            step_heading("Step 1: Check the current expiry").as_deref(),
            Some("Check the current expiry")
        );
        assert_eq!(
            step_heading("Step 12 — drain the node").as_deref(),
            Some("Drain the node")
        );
        assert_eq!(step_heading("Step 3. Reload").as_deref(), Some("Reload"));
        assert_eq!(
            step_heading("1. Check the API").as_deref(),
            Some("Check the API")
        );
        assert_eq!(
            step_heading("2) rotate the key").as_deref(),
            Some("Rotate the key")
        );
        // Audit 14o A-16: a wiki's multi-level numbers, taken off whole.
        for (heading, named) in [
            ("1.2 Check the memory", "Check the memory"),
            ("4.1.3 Verify", "Verify"),
            ("4.1.3. Verify", "Verify"),
            ("2.10) Drain", "Drain"),
        ] {
            assert_eq!(step_heading(heading).as_deref(), Some(named), "{heading}");
        }
        for other in [
            "3.2.1",
            "1.2",
            "Mitigation",
            "Steps",
            "Step 4",
            "Stepping down",
            "Step one: x",
            "2024 report",
            "1.",
        ] {
            assert_eq!(step_heading(other), None, "{other}");
        }
        let d = super::super::import(
            "# T\n\n### Step 1: Check the current expiry\n\n```sh\nopenssl x509 -noout -enddate -in c.pem\n```\n\n### Step 2: Reload\n\nReload it:\n\n```sh\nsystemctl reload nginx\n```\n",
            "page",
        );
        let titles: Vec<&str> = d.steps.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Check the current expiry", "Reload"]);
    }

    #[test]
    fn ids_are_unique_identifiers() {
        let mut steps = vec![
            Step {
                title: "Check the pods".into(),
                ..Step::default()
            },
            Step {
                title: "Check the pods".into(),
                ..Step::default()
            },
            Step {
                title: "1. Restart".into(),
                ..Step::default()
            },
        ];
        ids(&mut steps);
        let got: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            got,
            ["check-the-pods", "check-the-pods-2", "step-1-restart"]
        );
    }
}
