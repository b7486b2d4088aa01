//! `runbook import`: a Markdown runbook page → a first draft of a runbook (issue 14).
//!
//! The page is read with pulldown-cmark and its source offsets (never by hand); what it
//! says is gathered into a [`Draft`] (title, description, steps with their instructions,
//! commands and checklist items, inputs for placeholders), which [`yaml`] writes out. What
//! the importer could not map is kept as text and listed ([`Draft::left`]).
//!
//! This first part maps: the first heading → `title`; the prose before the first step and
//! sections named like Meaning/Impact/Overview → `description`; shell fences (`bash`, `sh`,
//! `shell`, `console`, `zsh`, none) → `run` steps titled from the nearest heading or list
//! item, consecutive fences under one heading kept one step; console transcripts (`$ `
//! prompts; the lines after a prompt are expected output, shown, not run); fences in other
//! languages → instructions, with where to type them; task lists → `checklist` steps;
//! `<PLACEHOLDER>`s in commands → inputs, placed by the template (values, never code).

pub mod yaml;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;

/// What the importer found, before it is written as YAML.
#[derive(Debug, Default)]
pub struct Draft {
    pub title: String,
    pub description: String,
    pub inputs: BTreeMap<String, Input>,
    /// The runbook's `env:`: a `$VAR` the page uses and never sets, from an input of its
    /// own (`VAR` → input `var`), so that the commands stay as written.
    pub env: BTreeMap<String, String>,
    pub steps: Vec<Step>,
    /// Blocks left as text: (line, what).
    pub left: Vec<(usize, String)>,
    /// What the importer guessed: (line, what).
    pub guesses: Vec<(usize, String)>,
    /// The page's headings in order: (level 1–6, text, line). A step's `section` indexes it.
    pub sections: Vec<(u8, String, usize)>,
}

#[derive(Debug, Default, Clone)]
pub struct Input {
    pub description: String,
    /// The value the page gave it (`export VAR=value`).
    pub default: Option<String>,
    /// Where it first appears: line in the source.
    pub line: usize,
}

#[derive(Debug, Default, Clone)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub instructions: String,
    pub run: Option<String>,
    pub checklist: Vec<String>,
    /// `templates: false`: the command holds `{{` of another template language.
    pub no_templates: bool,
    /// What makes the command destructive (RB027's finding): the step is `dangerous`.
    pub dangerous: Option<String>,
    pub notes: Vec<String>,
    /// The source line of the step.
    pub line: usize,
    /// The heading it is under (an index of `Draft::sections`), if any.
    pub section: Option<usize>,
    /// Where the walk goes after it (`next:`), when not the following step.
    pub next: Option<String>,
    /// A decision: (label, the first step of that branch).
    pub choose: Vec<(String, String)>,
}

/// The sections whose prose describes the alert rather than says what to do.
const DESCRIPTIVE: &[&str] = &[
    "meaning",
    "impact",
    "overview",
    "description",
    "summary",
    "symptoms",
    "background",
    "about",
];

const SHELLS: &[&str] = &["bash", "sh", "shell", "console", "zsh", "shell-session", ""];

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads a page. `stem`: the file's name, the title when the page has no heading.
pub fn import(text: &str, stem: &str) -> Draft {
    let mut d = Draft::default();
    let mut heading: Option<String> = None;
    let mut heading_line = 1;
    let mut in_heading: Option<(HeadingLevel, String)> = None;
    // Prose gathered since the last step: it becomes the next step's instructions, or the
    // description before any step.
    let mut prose = String::new();
    let mut prose_line = 0;
    let mut paragraph = String::new();
    let mut in_code: Option<(String, usize)> = None;
    let mut code = String::new();
    let mut task_items: Vec<String> = Vec::new();
    let mut item_text = String::new();
    let mut in_item = 0usize;
    let mut task: Option<bool> = None;
    // The list item being read made a step of its own (its text is that step's).
    let mut item_used = false;
    let mut descriptive = false;
    // Whether a fence closed the last step (consecutive fences under one heading join it).
    let mut joinable = false;
    let options = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES;
    // Steps made so far that know their section.
    let mut marked = 0;
    let mark = |d: &mut Draft, marked: &mut usize| {
        let section = d.sections.len().checked_sub(1);
        for s in &mut d.steps[*marked..] {
            s.section = section;
        }
        *marked = d.steps.len();
    };
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        mark(&mut d, &mut marked);
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                flush_tasks(&mut d, &mut task_items, heading.as_deref(), heading_line);
                in_heading = Some((level, String::new()));
                heading_line = line_of(text, range.start);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = in_heading.take() {
                    let title = title.trim().to_string();
                    if level == HeadingLevel::H1 && d.title.is_empty() {
                        d.title = title.clone();
                    } else if !prose.trim().is_empty() {
                        flush_prose(&mut d, &mut prose, heading.as_deref(), prose_line);
                    }
                    descriptive = DESCRIPTIVE
                        .iter()
                        .any(|w| title.to_ascii_lowercase().starts_with(w));
                    mark(&mut d, &mut marked);
                    d.sections.push((level as u8, title.clone(), heading_line));
                    heading = Some(title);
                    joinable = false;
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                in_code = Some((lang, line_of(text, range.start)));
                code.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((lang, line)) = in_code.take() else {
                    continue;
                };
                let title = if in_item > 0 && !item_text.trim().is_empty() {
                    short_title(&item_text)
                } else {
                    heading.clone().unwrap_or_else(|| "Run the command".into())
                };
                if SHELLS.contains(&lang.as_str()) {
                    let (commands, output) = transcript(&code, &lang);
                    if commands.trim().is_empty() {
                        prose.push_str(&fence(&code, &lang));
                        d.left.push((line, "a shell block with no command".into()));
                        continue;
                    }
                    // `{{` of another template language (Go, Helm, jq): the command is kept
                    // as written, placeholders and all, and says so.
                    let no_templates = commands.contains("{{");
                    let commands = if no_templates {
                        d.guesses.push((
                            line,
                            "the command holds `{{`: kept with `templates: false`, its placeholders not made inputs".into(),
                        ));
                        commands
                    } else {
                        placeholders(&mut d, &commands, line)
                    };
                    let instructions = take(&mut prose, &mut paragraph, in_item, &item_text);
                    item_used |= in_item > 0;
                    let join = joinable
                        && instructions.trim().is_empty()
                        && d.steps.last().is_some_and(|s| s.title == title);
                    if join {
                        if let Some(last) = d.steps.last_mut()
                            && let Some(run) = &mut last.run
                        {
                            run.push('\n');
                            run.push_str(&commands);
                        }
                    } else {
                        d.steps.push(Step {
                            title,
                            instructions,
                            run: Some(commands),
                            no_templates,
                            line,
                            ..Step::default()
                        });
                    }
                    if !output.trim().is_empty()
                        && let Some(last) = d.steps.last_mut()
                    {
                        if !last.instructions.is_empty() {
                            last.instructions.push_str("\n\n");
                        }
                        last.instructions.push_str("Expected output:\n\n");
                        last.instructions.push_str(&fence(&output, "text"));
                    }
                    joinable = true;
                } else {
                    // Another language: typed by the operator somewhere else.
                    let note = format!(
                        "{} to type where it runs (a {} block, not a shell command)",
                        if lang.is_empty() {
                            "text"
                        } else {
                            lang.as_str()
                        },
                        lang
                    );
                    prose.push_str(&fence(&code, &lang));
                    if prose_line == 0 {
                        prose_line = line;
                    }
                    d.left.push((line, note));
                    joinable = false;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_code.is_some() {
                    code.push_str(&t);
                } else if let Some((_, h)) = &mut in_heading {
                    h.push_str(&t);
                } else {
                    let t = if matches!(event_kind(text, &range), Some('`')) {
                        format!("`{t}`")
                    } else {
                        t.to_string()
                    };
                    if in_item > 0 {
                        item_text.push_str(&t);
                    } else {
                        paragraph.push_str(&t);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if in_item > 0 {
                    item_text.push(' ');
                } else {
                    paragraph.push('\n');
                }
            }
            Event::TaskListMarker(done) => task = Some(done),
            Event::Start(Tag::Item) => {
                in_item += 1;
                item_text.clear();
                task = None;
                item_used = false;
            }
            Event::End(TagEnd::List(_)) if in_item == 0 => {
                flush_tasks(&mut d, &mut task_items, heading.as_deref(), heading_line);
            }
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                let text_of = item_text.trim().to_string();
                if std::mem::take(&mut item_used) {
                    // Its text went to the step its command made.
                } else if task.is_some() && !text_of.is_empty() {
                    task_items.push(text_of);
                } else if !text_of.is_empty() {
                    if prose_line == 0 {
                        prose_line = line_of(text, range.start);
                    }
                    prose.push_str(&format!("- {text_of}\n"));
                }
                item_text.clear();
                task = None;
            }
            Event::Start(Tag::Paragraph) if in_item == 0 => {
                paragraph.clear();
                if prose_line == 0 {
                    prose_line = line_of(text, range.start);
                }
            }
            Event::End(TagEnd::Paragraph) if in_item == 0 => {
                let p = paragraph.trim();
                if !p.is_empty() {
                    if descriptive || (d.steps.is_empty() && heading.as_deref() == Some(&d.title)) {
                        if !d.description.is_empty() {
                            d.description.push_str("\n\n");
                        }
                        d.description.push_str(p);
                    } else {
                        prose.push_str(p);
                        prose.push_str("\n\n");
                    }
                }
                paragraph.clear();
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                d.left.push((
                    line_of(text, range.start),
                    format!("HTML left out: {}", h.trim()),
                ));
            }
            _ => {}
        }
    }
    flush_tasks(&mut d, &mut task_items, heading.as_deref(), heading_line);
    if !prose.trim().is_empty() {
        flush_prose(&mut d, &mut prose, heading.as_deref(), prose_line);
    }
    mark(&mut d, &mut marked);
    unset_variables(&mut d);
    if d.title.is_empty() {
        d.title = stem.to_string();
        d.guesses.push((
            1,
            "the page has no `# ` heading: its file name is the title".into(),
        ));
    }
    if d.description.is_empty() {
        d.description = format!("Imported from {stem}.md.");
    }
    ids(&mut d.steps);
    alternatives(&mut d);
    d
}

/// Whether a heading names one of several courses ("If the pod is Pending", "Option B").
fn alternative(title: &str) -> bool {
    let t = title.trim().to_ascii_lowercase();
    ["if ", "option ", "alternative ", "when ", "case "]
        .iter()
        .any(|w| t.starts_with(w))
}

/// Sibling sections that are alternatives (two or more headings in a row, at one level,
/// read as "If …", "Option …") become a decision: a `choose` step before them whose options
/// lead to each, every branch joining again after the last.
fn alternatives(d: &mut Draft) {
    let mut i = 0;
    while i < d.sections.len() {
        let (level, ref title, line) = d.sections[i];
        if !alternative(title) {
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
            if l == level && alternative(t) {
                group.push(j);
                j += 1;
                continue;
            }
            break;
        }
        let end = j;
        if group.len() < 2 {
            i = end;
            continue;
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
        let after = d
            .steps
            .iter()
            .position(|s| s.section.is_some_and(|x| x >= end))
            .map_or_else(|| "end".to_string(), |k| d.steps[k].id.clone());
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
        let options: Vec<(String, String)> = firsts
            .iter()
            .filter_map(|&(g, f)| f.map(|f| (d.sections[g].1.clone(), d.steps[f].id.clone())))
            .collect();
        let parent = d.sections[..i]
            .iter()
            .rev()
            .find(|(l, ..)| *l < level)
            .map(|(_, t, _)| t.clone());
        let mut id = "which-applies".to_string();
        let mut k = 2;
        while d.steps.iter().any(|s| s.id == id) {
            id = format!("which-applies-{k}");
            k += 1;
        }
        d.guesses.push((
            line,
            format!(
                "{} sections read as alternatives: a decision asks which applies",
                options.len()
            ),
        ));
        d.steps.insert(
            first_step,
            Step {
                id,
                title: parent.map_or_else(
                    || "Which applies?".into(),
                    |p| format!("{p}: which applies?"),
                ),
                choose: options,
                line,
                section: Some(i),
                ..Step::default()
            },
        );
        i = end;
    }
}

/// Whether the text at `range` is inline code (its first byte is a backtick).
fn event_kind(text: &str, range: &std::ops::Range<usize>) -> Option<char> {
    text.get(range.start..)?.chars().next()
}

/// The prose and current item text, taken for a step's instructions.
fn take(prose: &mut String, paragraph: &mut String, in_item: usize, item: &str) -> String {
    let mut out = std::mem::take(prose).trim().to_string();
    if in_item > 0 && !item.trim().is_empty() {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(item.trim());
    }
    paragraph.clear();
    out
}

fn flush_prose(d: &mut Draft, prose: &mut String, heading: Option<&str>, line: usize) {
    let text = std::mem::take(prose).trim().to_string();
    if text.is_empty() {
        return;
    }
    d.steps.push(Step {
        title: heading.unwrap_or("Read this").to_string(),
        instructions: text,
        line: line.max(1),
        ..Step::default()
    });
}

fn flush_tasks(d: &mut Draft, items: &mut Vec<String>, heading: Option<&str>, line: usize) {
    if items.is_empty() {
        return;
    }
    d.steps.push(Step {
        title: heading.unwrap_or("Checklist").to_string(),
        checklist: std::mem::take(items),
        line,
        ..Step::default()
    });
}

/// A block of text as a fence in instructions.
fn fence(code: &str, lang: &str) -> String {
    let ticks = if code.contains("```") { "````" } else { "```" };
    format!(
        "{ticks}{lang}\n{}\n{ticks}\n\n",
        code.trim_end_matches('\n')
    )
}

/// A console transcript's commands and the output shown after them: lines starting with
/// `$ ` (or `# ` in a `console` block) are commands; the rest after a prompt is output. A
/// block with no prompt is all commands.
fn transcript(code: &str, lang: &str) -> (String, String) {
    let prompt = |l: &str| {
        l.strip_prefix("$ ")
            .or_else(|| (lang == "console").then(|| l.strip_prefix("# ")).flatten())
            .map(str::to_string)
    };
    if !code.lines().any(|l| prompt(l).is_some()) {
        return (code.trim_end().to_string(), String::new());
    }
    let mut commands = Vec::new();
    let mut output = Vec::new();
    let mut continued = false;
    for l in code.lines() {
        if continued {
            commands.push(l.to_string());
            continued = l.ends_with('\\');
        } else if let Some(c) = prompt(l) {
            continued = c.ends_with('\\');
            commands.push(c);
        } else {
            output.push(l.to_string());
        }
    }
    (commands.join("\n"), output.join("\n"))
}

/// `<POD_NAME>`, `<pod-name>` in a command → `{{ inputs.pod_name }}` and an input.
fn placeholders(d: &mut Draft, command: &str, line: usize) -> String {
    // Compiled once: a page has many fences, a folder many pages.
    static PLACEHOLDER: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"<([A-Za-z][A-Za-z0-9_-]{0,63})>").ok());
    let Some(re) = PLACEHOLDER.as_ref() else {
        return command.to_string();
    };
    re.replace_all(command, |c: &regex::Captures| {
        let raw = &c[1];
        let name: String = raw
            .to_ascii_lowercase()
            .chars()
            .map(|ch| if ch == '-' { '_' } else { ch })
            .collect();
        d.inputs.entry(name.clone()).or_insert_with(|| Input {
            description: format!("The value of <{raw}> on the page"),
            default: None,
            line,
        });
        format!("{{{{ inputs.{name} }}}}")
    })
    .into_owned()
}

/// Variables every shell has, never asked for.
const KNOWN_VARIABLES: &[&str] = &[
    "HOME",
    "PATH",
    "USER",
    "LOGNAME",
    "SHELL",
    "PWD",
    "OLDPWD",
    "HOSTNAME",
    "TERM",
    "LANG",
    "TMPDIR",
    "EDITOR",
    "PAGER",
    "UID",
    "EUID",
    "PPID",
    "RANDOM",
    "SECONDS",
    "LINENO",
    "IFS",
    "BASH_SOURCE",
    "FUNCNAME",
    "PIPESTATUS",
    "REPLY",
    "OPTARG",
    "OPTIND",
    "KUBECONFIG",
];

/// `$VAR`/`${VAR}` (upper case, the convention of pages) that the page's commands use and
/// never set (`VAR=`, `export VAR=`, `read VAR`, `for VAR in`, `local VAR`): an input each,
/// given to the commands through the runbook's `env:`. Each is a guess, and said.
fn unset_variables(d: &mut Draft) {
    let (Ok(used), Ok(set)) = (
        regex::Regex::new(r"\$\{?([A-Z_][A-Z0-9_]*)"),
        regex::Regex::new(
            r"(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Z_][A-Z0-9_]*)(?:\+?=)|(?:read(?:\s+-\w+)*|for)\s+([A-Z_][A-Z0-9_]*)",
        ),
    ) else {
        return;
    };
    let commands: Vec<(usize, &str)> = d
        .steps
        .iter()
        .filter(|s| !s.no_templates)
        .filter_map(|s| s.run.as_deref().map(|r| (s.line, r)))
        .collect();
    let assigned: std::collections::BTreeSet<String> = commands
        .iter()
        .flat_map(|(_, c)| set.captures_iter(c))
        .filter_map(|c| {
            c.get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().to_string())
        })
        .collect();
    let mut found: Vec<(String, usize)> = Vec::new();
    for (line, c) in &commands {
        for cap in used.captures_iter(c) {
            let name = cap[1].to_string();
            if assigned.contains(&name)
                || KNOWN_VARIABLES.contains(&name.as_str())
                || crate::values::is_protected_env(&name)
                || name.starts_with("RUNBOOK_")
                || found.iter().any(|(n, _)| *n == name)
            {
                continue;
            }
            found.push((name, *line));
        }
    }
    // `export VAR=value` carries state between the page's blocks; each step here is a shell
    // of its own: the value becomes an input (its default), given to every step.
    if let Ok(export) = regex::Regex::new(
        r#"(?m)^\s*export\s+([A-Z_][A-Z0-9_]*)=("[^"$`\\]*"|'[^']*'|[^\s"'$`;&|]*)\s*$"#,
    ) {
        for (line, c) in &commands {
            for cap in export.captures_iter(c) {
                let name = cap[1].to_string();
                let input = name.to_ascii_lowercase();
                if d.env.contains_key(&name) || !crate::values::is_identifier(&input) {
                    continue;
                }
                let value = cap[2].trim_matches(|q| q == '"' || q == '\'').to_string();
                d.inputs.entry(input.clone()).or_insert_with(|| Input {
                    description: format!("${name}, set by `export` on the page"),
                    default: Some(value),
                    line: *line,
                });
                d.env.insert(name, format!("{{{{ inputs.{input} }}}}"));
            }
        }
    }
    for (name, line) in found {
        let input = name.to_ascii_lowercase();
        if !crate::values::is_identifier(&input) {
            continue;
        }
        d.inputs.entry(input.clone()).or_insert_with(|| Input {
            description: format!("The value of ${name}, which the page uses and never sets"),
            default: None,
            line,
        });
        d.env
            .insert(name.clone(), format!("{{{{ inputs.{input} }}}}"));
        d.guesses.push((
            line,
            format!("`${name}` is set nowhere on the page: asked for as input `{input}`"),
        ));
    }
}

/// A step title from a list item: its first sentence, at most 60 characters.
fn short_title(text: &str) -> String {
    let first = text
        .trim()
        .split(['.', ':', '\n'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_matches('`');
    let mut t: String = first.chars().take(60).collect();
    if first.chars().count() > 60 {
        t.push('…');
    }
    if t.is_empty() {
        "Run the command".into()
    } else {
        t
    }
}

/// Step ids from titles: lower case, words joined by `-`, unique.
fn ids(steps: &mut [Step]) {
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
        let mut base = base.trim_matches('-').chars().take(40).collect::<String>();
        base = base.trim_matches('-').to_string();
        if base.is_empty() || !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
            base = format!("step-{base}").trim_end_matches('-').to_string();
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
    fn transcripts_split_commands_from_output() {
        let (c, o) = transcript("$ kubectl get pods\nNAME READY\napi-1 1/1\n", "console");
        assert_eq!(c, "kubectl get pods");
        assert_eq!(o, "NAME READY\napi-1 1/1");
        let (c, o) = transcript("systemctl restart api\n", "bash");
        assert_eq!((c.as_str(), o.as_str()), ("systemctl restart api", ""));
    }

    #[test]
    fn placeholders_become_inputs() {
        let mut d = Draft::default();
        let c = placeholders(&mut d, "kubectl logs <POD_NAME> -n <name-space>", 3);
        assert_eq!(
            c,
            "kubectl logs {{ inputs.pod_name }} -n {{ inputs.name_space }}"
        );
        assert!(d.inputs.contains_key("pod_name") && d.inputs.contains_key("name_space"));
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
