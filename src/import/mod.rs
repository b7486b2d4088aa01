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
    /// The page's links (`[text](https://…)`): (name, address), each address once.
    pub links: Vec<(String, String)>,
    /// Blocks left as text: (where, what).
    pub left: Vec<(Pos, String)>,
    /// What the importer guessed: (where, what).
    pub guesses: Vec<(Pos, String)>,
    /// The page's headings in order: (level 1–6, text, line). A step's `section` indexes it.
    pub sections: Vec<(u8, String, Pos)>,
    /// The runbook made of the page would be larger than a runbook may be (found before it
    /// was all made).
    pub too_large: bool,
    /// More links than a draft lists were found (said once, in `left`).
    pub links_cut: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Input {
    pub description: String,
    /// The value the page gave it (`export VAR=value`).
    pub default: Option<String>,
    /// Where it first appears in the source.
    pub pos: Pos,
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
    /// The command needs the terminal (RB034's finding): `interactive: true`.
    pub interactive: bool,
    /// What makes the command destructive (RB027's finding): the step is `dangerous`.
    pub dangerous: Option<String>,
    /// What the importer guessed or left out about this step, written above it as comments.
    pub notes: Vec<String>,
    /// Where the step starts in the source.
    pub pos: Pos,
    /// The heading it is under (an index of `Draft::sections`), if any.
    pub section: Option<usize>,
    /// Where the walk goes after it (`next:`), when not the following step.
    pub next: Option<String>,
    /// A decision: (label, the first step of that branch).
    pub choose: Vec<(String, String)>,
    /// `env:` of the step: the page's `export VAR=…` from the step that exports it on.
    pub env: Vec<(String, String)>,
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

/// Headings that name a part of a runbook page (what to do, not what it is about): never
/// its title.
const ACTION_SECTIONS: &[&str] = &[
    "diagnos",
    "mitigat",
    "resolution",
    "remediat",
    "steps",
    "procedure",
    "troubleshoot",
    "investigat",
    "escalat",
    "verif",
    "rollback",
    "prerequisite",
    "related",
    "references",
    "see also",
    "links",
];

const SHELLS: &[&str] = &["bash", "sh", "shell", "console", "zsh", "shell-session", ""];

/// Blocks that show what a command printed.
const OUTPUT_LANGS: &[&str] = &["text", "txt", "output", "log", "plain", "plaintext"];

impl Draft {
    /// The headings a step under each section stands in, outermost first, joined by ` › `
    /// (`Mitigation › Force a renewal`; the page's title is not one of them), found in one pass (each section's parent is
    /// the nearest heading before it of a lower level, kept on a stack): a page of 200,000
    /// sections is not walked back once per step.
    pub fn section_paths(&self) -> Vec<Option<String>> {
        let mut paths: Vec<Option<String>> = Vec::with_capacity(self.sections.len());
        // (level, path) of the headings the next one may stand in.
        let mut stack: Vec<(u8, Option<String>)> = Vec::new();
        for (k, (level, title, _)) in self.sections.iter().enumerate() {
            while stack.last().is_some_and(|(l, _)| *l >= *level) {
                stack.pop();
            }
            let parent = stack.last().and_then(|(_, p)| p.clone());
            let path = if k == 0 && *level == 1 && *title == self.title {
                None
            } else if title.trim().is_empty() {
                // An empty heading (`## `) names nothing: its steps stand in its parent.
                parent
            } else {
                Some(match parent {
                    Some(parent) => format!("{parent} › {title}"),
                    None => title.clone(),
                })
            };
            stack.push((*level, path.clone()));
            paths.push(path);
        }
        paths
    }
}

/// A place in the page: 1-based line and column (in characters), as `line:col`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl std::fmt::Display for Pos {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Positions of offsets in one text, each found from its line's start (found by a binary
/// search of the lines' starts), not by counting from the top: a page of 10 KB has
/// thousands of events.
struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last column found: (byte offset, characters before it on its line). Events come
    /// near each other, so a column on the same line is counted from there: a line of 400 KB
    /// (`>>>>…`, each `>` an event) is not counted from its start once per event.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines {
            text,
            starts,
            last: std::cell::Cell::new((0, 0)),
        }
    }

    fn pos(&self, offset: usize) -> Pos {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let start = self.starts[line - 1];
        // (Counted on, or back: the ends of nested blocks come innermost first.)
        let chars = match self.last.get() {
            (byte, chars) if byte >= start && byte <= at => {
                chars + self.text[byte..at].chars().count()
            }
            (byte, chars)
                if byte > at
                    && self.starts.get(line).is_none_or(|&next| byte < next)
                    && byte - at < at - start =>
            {
                chars - self.text[at..byte].chars().count()
            }
            _ => self.text[start..at].chars().count(),
        };
        self.last.set((at, chars));
        Pos {
            line,
            col: chars + 1,
        }
    }
}

/// The line and column of a byte offset (an offset inside a character counts as that
/// character).
pub fn pos_of(text: &str, offset: usize) -> Pos {
    let mut at = offset.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: before.bytes().filter(|&b| b == b'\n').count() + 1,
        col: before[line_start..].chars().count() + 1,
    }
}

/// The line and column of a byte offset in bytes that may not be UTF-8 (the first bad byte
/// of a page): the column counts the characters before it on its line (bytes, where those
/// are not UTF-8 either).
pub fn pos_of_bytes(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = &before[line_start..];
    Pos {
        line: before.iter().filter(|&&b| b == b'\n').count() + 1,
        col: std::str::from_utf8(line).map_or(line.len(), |l| l.chars().count()) + 1,
    }
}

/// Reads a page. `stem`: the file's name, the title when the page has no heading.
pub fn import(text: &str, stem: &str) -> Draft {
    // A byte order mark is no text of the page (and would hide its first heading).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut d = Draft::default();
    let mut heading: Option<String> = None;
    let mut heading_pos = Pos { line: 1, col: 1 };
    let mut in_heading: Option<(HeadingLevel, String)> = None;
    // Prose gathered since the last step: it becomes the next step's instructions, or the
    // description before any step. `prose_notes`: what was left out of it, for that step.
    let mut prose = String::new();
    let mut prose_pos: Option<Pos> = None;
    let mut prose_notes: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut in_code: Option<(String, Pos)> = None;
    let mut code = String::new();
    let mut task_items: Vec<String> = Vec::new();
    // The last of `task_items` is a numbered item with no command of its own (not a task).
    let mut last_numbered = false;
    let mut item_text = String::new();
    let mut in_item = 0usize;
    let mut task: Option<bool> = None;
    // The list item being read made a step of its own (its text is that step's).
    let mut item_used = false;
    let mut descriptive = false;
    // A table being read (its Markdown so far), the cell being read, cells in its row.
    let mut table: Option<String> = None;
    let mut cell = String::new();
    let mut cells = 0usize;
    // How deep in block quotes the text being read is.
    let mut quote = 0usize;
    // The list being read (at the top level) is numbered.
    let mut ordered = false;
    // The descriptive section whose heading the description holds already.
    let mut described: Option<String> = None;
    // Whether a fence closed the last step (consecutive fences under one heading join it).
    let mut joinable = false;
    // The address of the link being read, and where its text starts in its buffer.
    let mut link: Option<(String, usize)> = None;
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    // The page's front matter (`---` … `---` at its top) being read, and where it starts.
    let mut front: Option<(String, Pos)> = None;
    // Steps made so far that know their section.
    let mut marked = 0;
    let mark = |d: &mut Draft, marked: &mut usize| {
        let section = d.sections.len().checked_sub(1);
        for s in &mut d.steps[*marked..] {
            s.section = section;
        }
        *marked = d.steps.len();
    };
    let lines = Lines::new(text);
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        mark(&mut d, &mut marked);
        let at = lines.pos(range.start);
        match event {
            Event::Start(Tag::MetadataBlock(_)) => front = Some((String::new(), at)),
            Event::Text(t) if front.is_some() => {
                if let Some((f, _)) = front.as_mut() {
                    f.push_str(&t);
                }
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                // A wiki's front matter: its `title:` names the page; the rest is not a
                // runbook's, and is said to be left out.
                if let Some((f, pos)) = front.take() {
                    let title = f.lines().find_map(|l| {
                        let v = l.strip_prefix("title:")?.trim();
                        let v = v.trim_matches(|c| c == '"' || c == '\'');
                        (!v.is_empty()).then(|| v.to_string())
                    });
                    if let Some(title) = title
                        && d.title.is_empty()
                    {
                        d.title = title;
                        d.guesses
                            .push((pos, "the front matter's `title:` is the title".into()));
                    }
                    let keys: Vec<&str> = f
                        .lines()
                        .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
                        .filter(|k| !k.is_empty() && !k.starts_with(['-', '#', ' ']))
                        .take(8)
                        .collect();
                    d.left.push((
                        pos,
                        format!("the front matter (YAML: {}) is left out", keys.join(", ")),
                    ));
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                last_numbered = false;
                flush_tasks(
                    &mut d,
                    &mut task_items,
                    &mut prose,
                    &mut prose_notes,
                    heading.as_deref(),
                    heading_pos,
                );
                in_heading = Some((level, String::new()));
                heading_pos = at;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, title)) = in_heading.take() {
                    let title = title.trim().to_string();
                    // The title: the first `# ` heading; on a page without one that opens
                    // with a `## ` heading naming the page (not a part such as
                    // `## Diagnosis`), that heading.
                    let names_page = || {
                        let t = title.to_ascii_lowercase();
                        d.sections.is_empty()
                            && d.steps.is_empty()
                            && prose.trim().is_empty()
                            && !t.is_empty()
                            && !DESCRIPTIVE.iter().any(|w| t.starts_with(w))
                            && !ACTION_SECTIONS.iter().any(|w| t.starts_with(w))
                    };
                    if d.title.is_empty() && level != HeadingLevel::H1 && names_page() {
                        d.title = title.clone();
                        d.guesses.push((
                            heading_pos,
                            "the page has no `# ` heading: its first heading is the title".into(),
                        ));
                    } else if level == HeadingLevel::H1
                        && d.title.is_empty()
                        && (heading.is_some() || prose.trim().is_empty())
                    {
                        d.title = title.clone();
                    } else if heading.is_none() && d.steps.is_empty() && !prose.trim().is_empty() {
                        // The page's opening prose before its first heading (after a front
                        // matter's title, or before the `# ` title): what the page is about,
                        // not a step.
                        if level == HeadingLevel::H1 && d.title.is_empty() {
                            d.title = title.clone();
                        }
                        if !d.description.is_empty() {
                            d.description.push_str("\n\n");
                        }
                        d.description.push_str(prose.trim());
                        prose.clear();
                        prose_pos = None;
                    } else if !prose.trim().is_empty() {
                        flush_prose(
                            &mut d,
                            &mut prose,
                            &mut prose_notes,
                            heading.as_deref(),
                            prose_pos.take(),
                        );
                    }
                    descriptive = DESCRIPTIVE
                        .iter()
                        .any(|w| title.to_ascii_lowercase().starts_with(w));
                    mark(&mut d, &mut marked);
                    d.sections.push((level as u8, title.clone(), heading_pos));
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
                in_code = Some((lang, at));
                code.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((lang, pos)) = in_code.take() else {
                    continue;
                };
                // A fence never closed runs to the end of the page: the rest is in it.
                let source = text.get(range.clone()).unwrap_or("").trim_end();
                if fenced(source) && !source.ends_with("```") && !source.ends_with("~~~") {
                    let what =
                        "this fence is never closed: everything after it on the page is in it"
                            .to_string();
                    prose_notes.push(format!("{pos}: guess: {what}"));
                    d.guesses.push((pos, what));
                }
                // A numbered item whose block follows it less indented than its text
                // (`10. Do it:` then a fence at three spaces, or at the margin): the block is
                // the item's, not a step of its own after a checklist (an audit found such
                // commands lost).
                let adopted = if in_item == 0 && prose.trim().is_empty() && last_numbered {
                    last_numbered = false;
                    match task_items.pop() {
                        Some(item) => Some(item),
                        // The list has ended: its checklist is made.
                        None => match d.steps.last_mut() {
                            Some(last)
                                if last.run.is_none()
                                    && last.choose.is_empty()
                                    && !last.checklist.is_empty() =>
                            {
                                let item = last.checklist.pop();
                                if last.checklist.is_empty() && last.instructions.trim().is_empty()
                                {
                                    let mut notes = std::mem::take(&mut last.notes);
                                    prose_notes.append(&mut notes);
                                    d.steps.pop();
                                }
                                item
                            }
                            _ => None,
                        },
                    }
                } else {
                    None
                };
                // A nested item that is one of several courses ("- If a replica is healthy,
                // fail over to it:", "- Otherwise, restart it:"): a step of its own, which
                // the decisions below read as an alternative (an audit found both run).
                let nested_course = (in_item > 1)
                    .then(|| {
                        item_text
                            .rsplit('\n')
                            .next()
                            .unwrap_or("")
                            .trim_start()
                            .trim_start_matches("- ")
                            .trim()
                            .to_string()
                    })
                    .filter(|t| either_or(t));
                let title = if let Some(item) = &adopted {
                    short_title(item)
                } else if let Some(course) = &nested_course {
                    short_title(course)
                } else if in_item > 0 && !item_text.trim().is_empty() {
                    short_title(&item_text)
                } else {
                    heading.clone().unwrap_or_else(|| "Run the command".into())
                };
                let foreign = if SHELLS.contains(&lang.as_str()) {
                    other_prompt(&code, &lang)
                } else {
                    Some(typed_where(&lang))
                };
                if let Some(place) = foreign {
                    // Another language: typed by the operator somewhere else. Output shown
                    // right after a command stays with it; anything else is a step of its
                    // own, whose instructions hold the block (never joined to the next
                    // command, whose title it would take).
                    let kind = if lang.is_empty() {
                        "an untagged block".to_string()
                    } else {
                        format!("a `{lang}` block")
                    };
                    let what = format!("{kind}, {place}");
                    d.left.push((pos, what.clone()));
                    let note = format!("{pos}: left as text: {what}");
                    let output_like = OUTPUT_LANGS.contains(&lang.as_str());
                    if output_like
                        && joinable
                        && prose.trim().is_empty()
                        && let Some(last) = d.steps.last_mut()
                    {
                        last.instructions.push_str("\n\nOutput:\n\n");
                        last.instructions.push_str(fence(&code, &lang).trim_end());
                        last.notes.push(note);
                        continue;
                    }
                    flush_tasks(
                        &mut d,
                        &mut task_items,
                        &mut prose,
                        &mut prose_notes,
                        heading.as_deref(),
                        heading_pos,
                    );
                    if let Some(item) = &adopted {
                        prose.push_str(item);
                    }
                    let mut instructions = take(&mut prose, &mut paragraph, in_item, &item_text);
                    if !instructions.is_empty() {
                        instructions.push_str("\n\n");
                    }
                    instructions.push_str(fence(&code, &lang).trim_end());
                    let mut notes = std::mem::take(&mut prose_notes);
                    notes.push(note);
                    item_used |= in_item > 0;
                    d.steps.push(Step {
                        title,
                        instructions,
                        notes,
                        pos: prose_pos.take().unwrap_or(pos),
                        ..Step::default()
                    });
                    joinable = false;
                } else {
                    let Transcript {
                        commands,
                        outputs,
                        glued,
                        root_after,
                        bare_root,
                    } = transcript(&code, &lang);
                    // The line of the block's `k`-th line on the page.
                    let line_at = |k: usize| Pos {
                        line: pos.line
                            + k
                            + usize::from(fenced(text.get(range.clone()).unwrap_or(""))),
                        col: pos.col,
                    };
                    // Only comments (`# apt-get update` in a `sh` block): nothing would run.
                    let comments_only = !commands.trim().is_empty()
                        && commands
                            .lines()
                            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
                    if commands.trim().is_empty() || comments_only {
                        prose.push_str(&fence(&code, &lang));
                        prose_pos.get_or_insert(pos);
                        let what = if comments_only {
                            "a shell block of comments only: kept as text, nothing to run (if `# ` is a root prompt, fence the block as ```console)".to_string()
                        } else if matches!(lang.as_str(), "console" | "shell-session") {
                            "a console block with no prompt: shown as output, not run (a block of commands is fenced as ```bash, or its lines start with `$ `)".to_string()
                        } else {
                            "a shell block with no command".to_string()
                        };
                        prose_notes.push(format!("{pos}: left as text: {what}"));
                        d.left.push((pos, what));
                        continue;
                    }
                    // A checklist made of the list's items before this one comes first, with
                    // the notes about its text.
                    flush_tasks(
                        &mut d,
                        &mut task_items,
                        &mut prose,
                        &mut prose_notes,
                        heading.as_deref(),
                        heading_pos,
                    );
                    if let Some(item) = &adopted {
                        prose.push_str(item);
                    }
                    let mut notes = std::mem::take(&mut prose_notes);
                    let mut guess = |d: &mut Draft, at: Pos, what: String| {
                        notes.push(format!("{at}: guess: {what}"));
                        d.guesses.push((at, what));
                    };
                    // What the transcript's lines say, in the order of the lines.
                    let mut said: Vec<(Pos, String)> = Vec::new();
                    // A prompt that names a host: the page ran it there; runbook runs it
                    // where it runs.
                    let mut hosts: Vec<(usize, &str)> = code
                        .lines()
                        .enumerate()
                        .filter_map(|(k, l)| Some((k, prompt_host(l)?)))
                        .collect();
                    hosts.dedup_by(|a, b| a.1 == b.1);
                    if let Some(&(first, _)) = hosts.first() {
                        let what = format!(
                            "the page's prompt shows this typed on `{}`: the step runs where runbook runs (prefix `ssh HOST`, or say where in the instructions)",
                            hosts.iter().map(|h| h.1).collect::<Vec<_>>().join("`, `")
                        );
                        said.push((line_at(first), what));
                    }
                    for k in glued {
                        let what = "`$` glued to the command (`$kubectl …`): read as the prompt `$ ` and a command".to_string();
                        said.push((line_at(k), what));
                    }
                    if let Some((k, shell)) = root_after {
                        let what = format!(
                            "the page types the lines after `{shell}` in the root shell it opens: here they run after that shell exits, as you (prefix them with `sudo`, or type them in the shell it opens)"
                        );
                        said.push((line_at(k), what));
                    }
                    if let Some(k) = bare_root {
                        let what = "`# ` read as root's prompt: the line after it runs as a command (if such lines are comments, fence the block as ```text, or write the commands after `$ `)".to_string();
                        said.push((line_at(k), what));
                    }
                    said.sort_by_key(|(at, _)| *at);
                    for (at, what) in said {
                        guess(&mut d, at, what);
                    }
                    // `{{` of another template language (Go, Helm, jq): the command is kept
                    // as written, placeholders and all, and says so.
                    let no_templates = ["{{", "{%", "{#"].iter().any(|t| commands.contains(t));
                    let mut env = Vec::new();
                    let commands = if no_templates {
                        let what = "the command holds `{{`, `{%` or `{#` of another template language: kept with `templates: false`, its placeholders given through the step's `env:`".to_string();
                        guess(&mut d, pos, what);
                        placeholders(&mut d, &commands, pos, &mut notes, Some(&mut env))
                    } else {
                        placeholders(&mut d, &commands, pos, &mut notes, None)
                    };
                    // "Check it with:" ending a section that describes the alert introduces
                    // this command: it is the step's instructions, not the description's end.
                    if descriptive
                        && in_item == 0
                        && prose.trim().is_empty()
                        && d.description.trim_end().ends_with(':')
                    {
                        let kept = d.description.trim_end().len();
                        let from = d.description[..kept].rfind("\n\n").map_or(0, |i| i + 2);
                        let sentence = d.description[from..kept].to_string();
                        // (Its paragraph's last sentence; the rest stays in the description.)
                        let start = sentence.rfind(". ").map_or(0, |i| i + 2);
                        prose.push_str(&sentence[start..]);
                        let cut = from + start;
                        d.description.truncate(cut);
                        // (A heading the description gave the section, now over nothing.)
                        let end = d.description.trim_end().len();
                        let last = d.description[..end].rfind("\n\n").map_or(0, |i| i + 2);
                        let over_nothing = d.description[last..end].starts_with("## ");
                        d.description
                            .truncate(if over_nothing { last } else { end });
                        let end = d.description.trim_end().len();
                        d.description.truncate(end);
                    }
                    let item_used_before = item_used && prose.trim().is_empty();
                    let mut instructions = take(&mut prose, &mut paragraph, in_item, &item_text);
                    if let Some(course) = &nested_course {
                        instructions = course.clone();
                    }
                    prose_pos = None;
                    item_used |= in_item > 0;
                    // An item's text between its blocks that names another course ("If
                    // Sidekiq runs in Kubernetes instead:"): a step of its own, which the
                    // decisions read (an audit found both commands run in a row).
                    let between = d
                        .steps
                        .last()
                        .and_then(|l| instructions.strip_prefix(l.instructions.as_str()))
                        .map(|b| b.trim().trim_start_matches("- ").to_string())
                        .filter(|b| in_item > 0 && item_used_before && either_or(b));
                    // Consecutive fences under one heading, or in one list item, are one step.
                    let join = joinable
                        && between.is_none()
                        && (instructions.trim().is_empty() || (in_item > 0 && item_used_before))
                        && d.steps.last().is_some_and(|s| {
                            s.title == title
                                && s.no_templates == no_templates
                                && s.run.is_some()
                                && s.checklist.is_empty()
                        });
                    if join {
                        if let Some(last) = d.steps.last_mut()
                            && let Some(run) = &mut last.run
                        {
                            // The item's text between the blocks ("If it hangs, look at
                            // the events:") goes on in the instructions.
                            let rest = instructions
                                .strip_prefix(last.instructions.as_str())
                                .unwrap_or(&instructions);
                            let more = rest.trim();
                            if more.starts_with("- ") && rest.starts_with('\n') {
                                // A nested item of its own ("- restart it:"), on its line.
                                last.instructions.push_str(rest.trim_end());
                            } else if !more.is_empty() {
                                if !last.instructions.is_empty() {
                                    last.instructions.push(' ');
                                }
                                last.instructions.push_str(more);
                            }
                            run.push('\n');
                            run.push_str(&commands);
                            last.notes.append(&mut notes);
                            last.env.append(&mut env);
                        }
                    } else {
                        let (title, instructions) = match between {
                            Some(b) => (short_title(&b), b),
                            None => (title, instructions),
                        };
                        d.steps.push(Step {
                            title,
                            instructions,
                            run: Some(commands),
                            no_templates,
                            pos,
                            notes,
                            env,
                            ..Step::default()
                        });
                    }
                    if let Some(last) = d.steps.last_mut() {
                        let several = outputs.len() > 1;
                        for (command, output) in &outputs {
                            if !last.instructions.is_empty() {
                                last.instructions.push_str("\n\n");
                            }
                            if several {
                                last.instructions.push_str(&format!(
                                    "Expected output of `{}`:\n\n",
                                    command.replace('`', "'")
                                ));
                            } else {
                                last.instructions.push_str("Expected output:\n\n");
                            }
                            last.instructions.push_str(fence(output, "text").trim_end());
                        }
                    }
                    joinable = true;
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if in_code.is_none() => {
                if in_heading.is_none() {
                    push_text(
                        &mut in_heading,
                        in_item,
                        &mut item_text,
                        &mut paragraph,
                        "[",
                    );
                }
                let from = match &in_heading {
                    Some((_, h)) => h.len(),
                    None if in_item > 0 => item_text.len(),
                    None => paragraph.len(),
                };
                link = Some((dest_url.to_string(), from));
            }
            Event::End(TagEnd::Link) if in_code.is_none() => {
                if let Some((url, from)) = link.take() {
                    // The link's text: what was read since it started.
                    let buffer = match &in_heading {
                        Some((_, h)) => h.as_str(),
                        None if in_item > 0 => item_text.as_str(),
                        None => paragraph.as_str(),
                    };
                    // (`[`kubectl`](…)` is named kubectl; `[`kubectl` docs](…)` keeps
                    // both of its backquotes.)
                    let name = buffer.get(from..).unwrap_or("").trim();
                    let name = match name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) {
                        Some(inner) if !inner.contains('`') => inner,
                        _ => name,
                    };
                    add_link(&mut d, name, &url);
                    if in_heading.is_none() {
                        let close = format!("](<{url}>)");
                        push_text(
                            &mut in_heading,
                            in_item,
                            &mut item_text,
                            &mut paragraph,
                            &close,
                        );
                    }
                }
            }
            Event::Text(t) | Event::Code(t) if in_code.is_none() && table.is_some() => {
                if matches!(event_kind(text, &range), Some('`')) {
                    cell.push_str(&format!("`{t}`"));
                } else {
                    cell.push_str(&t.replace('|', "\\|"));
                }
            }
            Event::Start(Tag::Table(_)) => table = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = &mut table {
                    t.push_str(&format!("| {} ", cell.trim()));
                }
                cell.clear();
                cells += 1;
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = &mut table {
                    t.push_str(&format!("|\n{}|\n", "|---".repeat(cells)));
                }
                cells = 0;
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = &mut table {
                    t.push_str("|\n");
                }
                cells = 0;
            }
            Event::End(TagEnd::Table) => {
                // Kept as a Markdown table where the prose goes.
                if let Some(t) = table.take() {
                    if descriptive {
                        describe_heading(&mut d, &heading, &mut described);
                        if !d.description.is_empty() && !d.description.ends_with("\n\n") {
                            d.description.push_str("\n\n");
                        }
                        d.description.push_str(t.trim_end());
                    } else {
                        prose_pos.get_or_insert(at);
                        prose.push_str(&t);
                        prose.push('\n');
                    }
                }
            }
            Event::Start(Tag::Strong | Tag::Emphasis)
            | Event::End(TagEnd::Strong | TagEnd::Emphasis)
                if in_heading.is_none() =>
            {
                // Bold and emphasis keep their Markdown marks.
                let mark = match event {
                    Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => "**",
                    _ => "*",
                };
                if table.is_some() {
                    cell.push_str(mark);
                } else {
                    push_text(
                        &mut in_heading,
                        in_item,
                        &mut item_text,
                        &mut paragraph,
                        mark,
                    );
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote = quote.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if in_code.is_some() {
                    code.push_str(&t);
                } else {
                    let t = if in_heading.is_none() && matches!(event_kind(text, &range), Some('`'))
                    {
                        format!("`{t}`")
                    } else {
                        t.to_string()
                    };
                    push_text(&mut in_heading, in_item, &mut item_text, &mut paragraph, &t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if in_item > 0 {
                    item_text.push(' ');
                } else {
                    paragraph.push('\n');
                }
            }
            Event::TaskListMarker(done) if in_item == 1 => task = Some(done),
            Event::TaskListMarker(done) => {
                item_text.push_str(if done { "[x] " } else { "[ ] " });
            }
            Event::Start(Tag::List(first)) if in_item == 0 => ordered = first.is_some(),
            Event::Start(Tag::Item) => {
                if in_item == 0 {
                    item_text.clear();
                    task = None;
                    item_used = false;
                } else {
                    // A nested item stays in its parent's text, indented (at most 16 levels
                    // deep: a page of thousands of nested markers would otherwise grow with
                    // the square of its depth).
                    item_text.push_str(&format!("\n{}- ", "  ".repeat(in_item.min(16))));
                }
                in_item += 1;
            }
            Event::End(TagEnd::List(_)) if in_item == 0 => {
                // A paragraph after a list is a paragraph of its own.
                if prose.ends_with('\n') && !prose.ends_with("\n\n") {
                    prose.push('\n');
                }
                flush_tasks(
                    &mut d,
                    &mut task_items,
                    &mut prose,
                    &mut prose_notes,
                    heading.as_deref(),
                    heading_pos,
                );
            }
            Event::End(TagEnd::Item) if in_item > 1 => in_item -= 1,
            Event::End(TagEnd::Item) => {
                in_item = in_item.saturating_sub(1);
                let text_of = item_text.trim().to_string();
                last_numbered = false;
                if std::mem::take(&mut item_used) {
                    // Its text went to the step its command made.
                } else if descriptive && task.is_none() && !text_of.is_empty() {
                    // A list describing the alert (Symptoms) stays in the description.
                    if !d.description.is_empty() && !d.description.ends_with('\n') {
                        d.description.push_str("\n\n");
                    }
                    describe_heading(&mut d, &heading, &mut described);
                    d.description
                        .push_str(&format!("{} {text_of}\n", if ordered { "1." } else { "-" }));
                } else if (task.is_some() || (ordered && in_item == 0)) && !text_of.is_empty() {
                    // A task, or a numbered item with no command: a checklist item.
                    task_items.push(text_of);
                    last_numbered = task.is_none();
                } else if !text_of.is_empty() {
                    prose_pos.get_or_insert(at);
                    prose.push_str(&format!("- {text_of}\n"));
                }
                item_text.clear();
                task = None;
            }
            // A second paragraph of an item (after its command) is a sentence of its own.
            Event::Start(Tag::Paragraph)
                if in_item > 0
                    && !item_text.is_empty()
                    && !item_text.ends_with(char::is_whitespace) =>
            {
                item_text.push(' ');
            }
            Event::Start(Tag::Paragraph) if in_item == 0 => {
                paragraph.clear();
                if !descriptive {
                    prose_pos.get_or_insert(at);
                }
            }
            Event::End(TagEnd::Paragraph) if in_item == 0 => {
                // A quoted paragraph (a warning, a note) keeps its `>`.
                let quoted = if quote > 0 {
                    paragraph
                        .trim()
                        .lines()
                        .map(|l| format!("> {l}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                } else {
                    paragraph.trim().to_string()
                };
                let p = quoted.as_str();
                if !p.is_empty() {
                    if descriptive || (d.steps.is_empty() && heading.as_deref() == Some(&d.title)) {
                        if !d.description.is_empty() {
                            d.description.push_str("\n\n");
                        }
                        if descriptive {
                            describe_heading(&mut d, &heading, &mut described);
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
                let what = format!("HTML left out: {}", h.trim());
                prose_notes.push(format!("{at}: left as text: {what}"));
                d.left.push((at, what));
            }
            _ => {}
        }
    }
    flush_tasks(
        &mut d,
        &mut task_items,
        &mut prose,
        &mut prose_notes,
        heading.as_deref(),
        heading_pos,
    );
    if !prose.trim().is_empty() {
        flush_prose(
            &mut d,
            &mut prose,
            &mut prose_notes,
            heading.as_deref(),
            prose_pos.take(),
        );
    }
    if let Some(last) = d.steps.last_mut() {
        last.notes.append(&mut prose_notes);
    }
    mark(&mut d, &mut marked);
    let exported = unset_variables(&mut d);
    if d.title.is_empty() {
        d.title = stem.to_string();
        d.guesses.push((
            Pos { line: 1, col: 1 },
            "the page has no heading that names it: its file name is the title".into(),
        ));
    }
    if d.description.is_empty() {
        d.description = format!("Imported from {stem}.md.");
    }
    if d.steps.is_empty() {
        let what =
            "the page has no command, list or section to make a step of: one step asks to read it"
                .to_string();
        d.guesses.push((Pos { line: 1, col: 1 }, what.clone()));
        d.steps.push(Step {
            title: "Read the runbook's description".into(),
            instructions: "The page this runbook was imported from holds no step: read its description above, and write the steps.".into(),
            notes: vec![format!("1:1: guess: {what}")],
            pos: Pos { line: 1, col: 1 },
            ..Step::default()
        });
    }
    // Prose that holds `{{`/`{%` of another template language (Helm, Jinja) is shown as
    // written: `templates: false`, unless the step's command has the importer's own
    // templates, which is then said.
    // (Titles from the text as written: a title is shown as it is, never rendered.)
    titles(&mut d);
    for s in &mut d.steps {
        let text_has = |t: &str| t.contains("{{") || t.contains("{%") || t.contains("{#");
        if text_has(&s.instructions) || s.checklist.iter().any(|c| text_has(c)) {
            if s.run.as_deref().is_none_or(|r| !r.contains("{{ inputs.")) {
                s.no_templates = true;
            } else {
                // Its command needs its templates: the text's are written so that they
                // show as they are (`{{ '{{' }}`).
                s.instructions = escape_templates(&s.instructions);
                for c in &mut s.checklist {
                    *c = escape_templates(c);
                }
                s.notes.push(format!(
                    "{}: the step's text holds `{{{{`, `{{%` or `{{#` of another template language: written `{{{{ '{{{{' }}}}` so that it shows as it is",
                    s.pos
                ));
            }
        }
    }
    ids(&mut d.steps);
    let names: std::collections::BTreeSet<String> =
        exported.iter().map(|(n, _, _)| n.clone()).collect();
    carried_variables(&mut d, &names);
    alternatives(&mut d);
    item_alternatives(&mut d);
    apply_exports(&mut d, exported);
    d
}

/// What names a step as one of several courses without a heading: a list item that starts
/// "If …" (its title), or a paragraph in bold that does (`**Option A: clean old logs**`,
/// its instructions' first line). (label, whether the paragraph's following steps go with it)
fn course(d: &Draft, s: &Step) -> Option<(String, bool)> {
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
    // (`**Option 1 — force a failover**: text…`: the bold part names it, whatever follows.)
    let bold_course = |line: &str| {
        line.trim()
            .trim_start_matches("- ")
            .strip_prefix("**")
            .and_then(|b| b.split_once("**"))
            .map(|(b, _)| b.trim_end_matches(':').trim().to_string())
            .filter(|b| !b.is_empty() && (options || either_or(b)))
    };
    let first = s.instructions.lines().next().unwrap_or("");
    // (Two courses in one step's text: the first had no command of its own; not read.)
    let courses = s
        .instructions
        .lines()
        .filter(|l| bold_course(l).is_some())
        .count();
    match bold_course(first) {
        Some(b) if courses == 1 => Some((b, true)),
        Some(_) => None,
        None if courses == 0 && either_or(&s.title) => Some((s.title.clone(), false)),
        // "Look at the status. If it is Running, nothing to do. Else, delete it:".
        None if courses == 0 && else_clause(&s.instructions).is_some() => {
            Some((s.title.clone(), false))
        }
        None => None,
    }
}

/// Text with `{{`, `{%` and `{#` written as templates that print them.
fn escape_templates(text: &str) -> String {
    static OPEN: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\{[{%#]").ok());
    match OPEN.as_ref() {
        Some(re) => re.replace_all(text, "{{ '$0' }}").into_owned(),
        None => text.to_string(),
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
fn either_or(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    ["if ", "option ", "alternative ", "otherwise"]
        .iter()
        .any(|w| t.starts_with(w))
}

/// Two or more courses in a row under one heading that are list items ("2. If the last
/// deploy is the cause, roll it back") or bold paragraphs ("**Option B: grow the volume**")
/// become a decision, as sibling headings do ([`alternatives`]): a `choose` before the
/// first, each branch joining again after the last. A paragraph's branch is its steps up
/// to the next course; an item's, its own step.
/// The option of a decision whether a lone "If …" item applies that skips it.
const SKIP_IT: &str = "It does not apply: skip it";

fn item_alternatives(d: &mut Draft) {
    let mut taken: std::collections::HashSet<String> =
        d.steps.iter().map(|s| s.id.clone()).collect();
    let mut next = 1;
    // The decisions to insert (before which step), and the steps whose walk they now stand
    // before (their old first course → the decision): made in one pass at the end, not one
    // insert and one search of every decision per decision (8,000 items took seconds).
    let mut inserts: Vec<(usize, Step)> = Vec::new();
    let mut redirect: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut k = 0;
    while k < d.steps.len() {
        let Some((_, first_bold)) = course(d, &d.steps[k]) else {
            k += 1;
            continue;
        };
        let section = d.steps[k].section;
        // The branches: (label, first step, one past its last step).
        let mut branches: Vec<(String, usize, usize)> = Vec::new();
        let mut j = k;
        while j < d.steps.len() && d.steps[j].section == section {
            let Some((label, bold)) = course(d, &d.steps[j]) else {
                break;
            };
            if bold != first_bold {
                break;
            }
            // A step that is a course only by its "…, nothing to do. Else, …" sentence
            // ("Describe it. If it is Ready, nothing to do. Otherwise, renew it:") is a
            // decision of its own, never a sibling of other courses.
            let by_else = !bold && !either_or(&label);
            if by_else && j > k {
                break;
            }
            if by_else
                && d.steps
                    .get(j + 1)
                    .is_some_and(|n| n.section == section && course(d, n).is_some())
            {
                break;
            }
            let mut end = j + 1;
            if bold {
                while end < d.steps.len()
                    && d.steps[end].section == section
                    && d.steps[end].choose.is_empty()
                    && course(d, &d.steps[end]).is_none()
                {
                    end += 1;
                }
            }
            branches.push((label, j, end));
            j = end;
        }
        // One list item "If …" alone: a decision whether it applies, or it would run
        // whenever the walk reaches it.
        let lone_if = branches.len() == 1
            && !first_bold
            && (branches[0].0.to_ascii_lowercase().starts_with("if ")
                || else_clause(&d.steps[branches[0].1].instructions).is_some());
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
        for (_, _, end) in &branches {
            d.steps[end - 1].next = Some(after.clone());
        }
        let id = fresh_id(&mut taken, &mut next);
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
                "{} {} read as alternatives: a decision asks which applies",
                branches.len(),
                if first_bold {
                    "paragraphs in bold"
                } else {
                    "list items"
                }
            )
        };
        let pos = d.steps[k].pos;
        d.guesses.push((pos, what.clone()));
        // A decision (or the end of a course) that led to the first course now leads to
        // this one.
        redirect.insert(d.steps[k].id.clone(), id.clone());
        let heading = section.and_then(|x| d.sections.get(x)).map(|x| x.1.clone());
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
            options.push((SKIP_IT.into(), after.clone()));
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
                ..Step::default()
            },
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
    // (A decision's own courses stay its options; where it skips to may be redirected.)
    for (_, decision) in &mut inserts {
        if let Some((label, to)) = decision.choose.last_mut()
            && label == SKIP_IT
            && let Some(new) = redirect.get(to.as_str())
        {
            *to = new.clone();
        }
    }
    let mut steps = Vec::with_capacity(d.steps.len() + inserts.len());
    let mut inserts = inserts.into_iter().peekable();
    for (k, step) in std::mem::take(&mut d.steps).into_iter().enumerate() {
        while let Some((_, decision)) = inserts.next_if(|(at, _)| *at == k) {
            steps.push(decision);
        }
        steps.push(step);
    }
    d.steps = steps;
}

/// The page's own headings (Meaning, Impact) stay in the description, so that it reads like
/// the page: written before the first text of each.
fn describe_heading(d: &mut Draft, heading: &Option<String>, described: &mut Option<String>) {
    if let Some(h) = heading
        && described.as_ref() != Some(h)
    {
        if !d.description.is_empty() && !d.description.ends_with("\n\n") {
            d.description.push_str(if d.description.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            });
        }
        d.description.push_str(&format!("## {h}\n\n"));
        *described = Some(h.clone());
    }
}

/// Whether a code block's source is fenced (it starts with ``` or ~~~), not indented.
fn fenced(source: &str) -> bool {
    let t = source.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Text read outside code: to the heading, the list item or the paragraph being read.
fn push_text(
    heading: &mut Option<(HeadingLevel, String)>,
    in_item: usize,
    item: &mut String,
    paragraph: &mut String,
    t: &str,
) {
    if let Some((_, h)) = heading {
        h.push_str(t);
    } else if in_item > 0 {
        item.push_str(t);
    } else {
        paragraph.push_str(t);
    }
}

/// A link of the page into the runbook's `links`: web addresses only (an anchor or a
/// relative path means nothing outside the wiki), each once, named by its text.
/// The most placeholders of one command that become inputs.
const MAX_PLACEHOLDERS: usize = 64;

/// The most links a draft lists (each is looked up among the others: a page of 100,000
/// links took half a minute).
const MAX_LINKS: usize = 256;

fn add_link(d: &mut Draft, name: &str, url: &str) {
    let web = url.starts_with("https://") || url.starts_with("http://");
    if !web || d.links.iter().any(|(_, u)| u == url) {
        return;
    }
    if d.links.len() >= MAX_LINKS {
        if !d.links_cut {
            d.links_cut = true;
            d.left.push((
                Pos { line: 1, col: 1 },
                format!("links past the first {MAX_LINKS}: not in `links` (they stay in the text)"),
            ));
        }
        return;
    }
    let base: String = if name.is_empty() {
        url.to_string()
    } else {
        name.chars().take(60).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while d.links.iter().any(|(k, _)| *k == name) {
        name = format!("{base} ({n})");
        n += 1;
    }
    d.links.push((name, url.to_string()));
}

/// Steps titled by their section's heading alone ("Mitigation" three times): the section
/// says it already, so a step with prose is titled by its first sentence instead.
fn titles(d: &mut Draft) {
    for s in &mut d.steps {
        let heading = s.section.and_then(|i| d.sections.get(i)).map(|x| &x.1);
        if heading != Some(&s.title) {
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
        let first = match ifs.as_slice() {
            [_, .., last] => last,
            _ => s.instructions.trim_start(),
        };
        let prose = !first.is_empty()
            && !first.starts_with(['`', '-', '*', '|', '>', '#'])
            && !first.starts_with("Expected output");
        let t = if prose {
            short_title(first)
        } else if let Some(run) = &s.run {
            // No words of its own: its command says what it does, as the page wrote it
            // (`<POD_NAME>`, not the input it became).
            let line = run.lines().next().unwrap_or("").trim().replace('`', "'");
            // (Each `{{ inputs.NAME }}` of the line looked up: a page may have thousands.)
            let mut command = String::with_capacity(line.len());
            let mut rest = line.as_str();
            while let Some(at) = rest.find("{{ inputs.") {
                let after = &rest[at + "{{ inputs.".len()..];
                let Some(end) = after.find(" }}") else {
                    break;
                };
                let raw = d.inputs.get(&after[..end]).and_then(|input| {
                    match input
                        .description
                        .strip_prefix("The value of <")
                        .and_then(|x| x.strip_suffix("> on the page"))
                    {
                        Some(raw) => Some(format!("<{raw}>")),
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

/// `which-applies`, or `which-applies-N` where that is taken; taken from then on.
fn fresh_id(taken: &mut std::collections::HashSet<String>, next: &mut usize) -> String {
    let mut id = "which-applies".to_string();
    // (Counted on from the last one made: a page may have thousands.)
    while taken.contains(&id) {
        *next += 1;
        id = format!("which-applies-{next}");
    }
    taken.insert(id.clone());
    id
}

/// Whether a heading names one of several courses ("If the pod is Pending", "Option B").
fn alternative(title: &str) -> bool {
    let t = title.trim().to_ascii_lowercase();
    [
        "if ",
        "option ",
        "alternative ",
        "when ",
        "case ",
        "otherwise",
        "else",
        "none of",
    ]
    .iter()
    .any(|w| t.starts_with(w))
}

/// Sibling sections that are alternatives (two or more headings in a row, at one level,
/// read as "If …", "Option …") become a decision: a `choose` step before them whose options
/// lead to each, every branch joining again after the last.
fn alternatives(d: &mut Draft) {
    let mut taken: std::collections::HashSet<String> =
        d.steps.iter().map(|s| s.id.clone()).collect();
    let mut next = 1;
    let mut i = 0;
    // The sections already an option of a decision: a sibling after the first is not the
    // start of another group (three alternatives are one decision of three options).
    let mut options_of_a_decision = std::collections::BTreeSet::new();
    while i < d.sections.len() {
        let (level, ref title, line) = d.sections[i];
        if !alternative(title) || options_of_a_decision.contains(&i) {
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
            // One "If …" section (or a title "When …"): its own parts may still be
            // alternatives.
            i += 1;
            continue;
        }
        options_of_a_decision.extend(group.iter().copied());
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
        let options: Vec<(String, String)> = firsts
            .iter()
            .filter_map(|&(g, f)| f.map(|f| (d.sections[g].1.clone(), d.steps[f].id.clone())))
            .collect();
        // The heading above the alternatives (the page's first heading is its title, not a
        // section).
        let parent_index = d.sections[..i]
            .iter()
            .rposition(|(l, ..)| *l < level)
            .filter(|&p| p > 0 || d.sections[p].0 > 1);
        let parent = parent_index.map(|p| d.sections[p].1.clone());
        let id = fresh_id(&mut taken, &mut next);
        let what = format!(
            "{} sections read as alternatives: a decision asks which applies",
            options.len()
        );
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

fn flush_prose(
    d: &mut Draft,
    prose: &mut String,
    notes: &mut Vec<String>,
    heading: Option<&str>,
    pos: Option<Pos>,
) {
    let text = std::mem::take(prose).trim().to_string();
    if text.is_empty() {
        return;
    }
    d.steps.push(Step {
        title: heading.unwrap_or("Read this").to_string(),
        instructions: text,
        notes: std::mem::take(notes),
        pos: pos.unwrap_or(Pos { line: 1, col: 1 }),
        ..Step::default()
    });
}

/// The checklist items read so far as a step; the prose before them is its instructions.
fn flush_tasks(
    d: &mut Draft,
    items: &mut Vec<String>,
    prose: &mut String,
    notes: &mut Vec<String>,
    heading: Option<&str>,
    pos: Pos,
) {
    if items.is_empty() {
        return;
    }
    // Lists in a row under one heading (`- [ ]`, then `* [ ]`, then `1.`: lists of their own
    // to Markdown) are one checklist.
    if prose.trim().is_empty()
        && let Some(last) = d.steps.last_mut()
        && last.run.is_none()
        && !last.checklist.is_empty()
        && last.choose.is_empty()
        && last.pos == pos
        && last.title == heading.unwrap_or("Checklist")
    {
        last.checklist.append(items);
        last.notes.append(notes);
        return;
    }
    d.steps.push(Step {
        title: heading.unwrap_or("Checklist").to_string(),
        checklist: std::mem::take(items),
        instructions: std::mem::take(prose).trim().to_string(),
        notes: std::mem::take(notes),
        pos,
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

/// A shell prompt at the start of a transcript's line: `$ `, `user@host:~$ `,
/// `[user@host dir]# `, and `# ` in a `console` block. The command after it, if any.
fn shell_prompt<'a>(line: &'a str, lang: &str) -> Option<&'a str> {
    static PROMPT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\[?[\w.-]+@[\w.-]+(?:[: ][^\s$#\]]*)?\]?\s?)?([$#]) ").ok()
    });
    let m = PROMPT.as_ref()?.captures(line)?;
    // `# ` alone is a comment in a script; a prompt only in a transcript, or after user@host,
    // and only before what reads as a command (`# Memory` is a heading of redis output).
    let rest = line.get(m.get(0)?.end()..)?;
    if &m[2] == "#" && m.get(1).is_none() {
        let command_like = rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || matches!(c, '/' | '.' | '$' | '~'));
        if lang != "console" || !command_like {
            return None;
        }
    }
    Some(rest)
}

/// The host a transcript's prompt names (`ops@web-1:~$ ` → `web-1`).
fn prompt_host(line: &str) -> Option<&str> {
    static HOST: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\[?[\w.-]+@([\w.-]+)(?:[: ][^\s$#\]]*)?\]?\s?[$#] ").ok()
    });
    HOST.as_ref()?.captures(line)?.get(1).map(|m| m.as_str())
}

/// The prompt of another program on a line of a block (`pgbouncer=# `, `mysql> `,
/// `127.0.0.1:6379> `, `>>> `, `irb(main):001:0> `), also after a shell command that starts
/// that program (`$ redis-cli -h …`): the block is typed there, not run. Says where.
fn other_prompt(code: &str, lang: &str) -> Option<String> {
    code.lines()
        .filter(|l| shell_prompt(l, lang).is_none())
        .find_map(other_prompt_of)
}

fn other_prompt_of(first: &str) -> Option<String> {
    static PROMPT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(>>>|[\w.()\[\]:-]+?(=#|=>|-#|->|>|#)) ").ok()
    });
    let m = PROMPT.as_ref()?.captures(first)?;
    let prompt = m.get(1)?.as_str();
    let program = match m.get(2).map_or("", |e| e.as_str()) {
        _ if prompt == ">>>" => "Python",
        "=#" | "=>" | "-#" | "->" => "psql",
        _ if prompt.starts_with("mysql") || prompt.starts_with("mariadb") => "mysql",
        _ if prompt.starts_with("irb") || prompt.starts_with("pry") => "a Ruby console",
        _ if prompt.contains(':')
            && prompt
                .rsplit(':')
                .next()
                .is_some_and(|p| p.trim_end_matches('>').chars().all(|c| c.is_ascii_digit())) =>
        {
            "redis-cli"
        }
        "#" => return None,
        _ => "its program",
    };
    Some(format!("to type at the `{prompt}` prompt ({program})"))
}

/// Where a block in another language is typed, for its note.
fn typed_where(lang: &str) -> String {
    match lang {
        "sql" | "psql" | "postgresql" | "pgsql" | "mysql" | "plpgsql" => {
            "to type in a SQL session (psql, mysql: as the page's text says)".into()
        }
        "yaml" | "yml" | "json" | "toml" | "ini" | "hcl" | "xml" => {
            "a file or manifest to write or apply, not a command".into()
        }
        "ruby" | "rb" => "to type in a Ruby console (`rails console`, irb)".into(),
        "python" | "py" | "python3" | "pycon" => "to type in a Python interpreter".into(),
        "promql" | "logql" | "kql" => "to type in the metrics or logs query page".into(),
        "redis" => "to type in redis-cli".into(),
        "js" | "javascript" | "mongo" | "mongodb" => "to type in the database's shell".into(),
        "" | "text" | "txt" | "plain" | "plaintext" | "output" | "log" => {
            "text shown on the page (output or a sample)".into()
        }
        other => format!("to type in {other}, not in a shell"),
    }
}

/// What a console block holds, read as a transcript.
#[derive(Debug, Default, PartialEq)]
struct Transcript {
    /// The commands, one per line (continuations and `> ` lines kept).
    commands: String,
    /// The output shown after each command that printed any: (the command's first line,
    /// the output).
    outputs: Vec<(String, String)>,
    /// Lines (of the block) whose `$` is glued to the command (`$kubectl get nodes`).
    glued: Vec<usize>,
    /// The first line typed in a root shell that a command opened (`sudo -i`, `su -`), and
    /// that command.
    root_after: Option<(usize, String)>,
    /// The first line read as a command after `# `, root's prompt, with no other prompt
    /// before it: it may as well be a comment (`# check disk usage`).
    bare_root: Option<usize>,
}

/// A console transcript's commands and the output shown after them: lines starting with a
/// prompt ([`shell_prompt`]) are commands; the rest after a prompt is output. A block with
/// no prompt is all commands (all output in a `console` block).
fn transcript(code: &str, lang: &str) -> Transcript {
    let session = matches!(lang, "console" | "shell-session");
    // `$kubectl get nodes` in a session: the prompt's space forgotten.
    let glued_prompt = |l: &str| {
        session
            && l.strip_prefix('$')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
    };
    fn prompt_of<'a>(l: &'a str, lang: &str, glued: bool) -> Option<&'a str> {
        shell_prompt(l, lang).or_else(|| l.strip_prefix('$').filter(|_| glued))
    }
    let mut out = Transcript::default();
    if !code
        .lines()
        .any(|l| prompt_of(l, lang, glued_prompt(l)).is_some())
    {
        // A `console` block is a session: with no prompt, it is what a command printed.
        if session {
            let output = code.trim_end();
            if !output.is_empty() {
                out.outputs.push((String::new(), output.to_string()));
            }
        } else {
            out.commands = code.trim_end().to_string();
        }
        return out;
    }
    let mut commands: Vec<String> = Vec::new();
    let mut output: Vec<&str> = Vec::new();
    let mut of = String::new();
    let flush = |of: &str, output: &mut Vec<&str>, out: &mut Transcript| {
        let text = output.join("\n");
        if !text.trim().is_empty() {
            out.outputs
                .push((of.to_string(), text.trim_end().to_string()));
        }
        output.clear();
    };
    let mut continued = false;
    // Right after a command: `> ` lines are the shell's secondary prompt (a here-document,
    // an open quote), part of the command.
    let mut after_command = false;
    // A `# ` line in a session of `$ ` prompts is output (a comment the program printed),
    // unless the last command made the session root's (`sudo -i`, `su -`).
    let mut user_session = false;
    let mut root_shell: Option<String> = None;
    for (k, l) in code.lines().enumerate() {
        if after_command && (l.starts_with("> ") || l == ">") {
            commands.push(l.get(2..).unwrap_or("").to_string());
            continue;
        }
        after_command = false;
        let prompt = prompt_of(l, lang, glued_prompt(l));
        let root_line = l.starts_with("# ");
        if let Some(c) = prompt.filter(|_| !root_line) {
            let c = c.trim();
            user_session = !(c.starts_with("sudo -i")
                || c.starts_with("sudo -s")
                || c.starts_with("sudo su")
                || c == "su"
                || c.starts_with("su -")
                || c.starts_with("su root"));
            root_shell = (!user_session).then(|| c.to_string());
        }
        if continued {
            commands.push(l.to_string());
            continued = l.ends_with('\\');
            after_command = !continued;
        } else if root_line && user_session && prompt.is_some() {
            output.push(l);
        } else if let Some(c) = prompt {
            flush(&of, &mut output, &mut out);
            if glued_prompt(l) && shell_prompt(l, lang).is_none() {
                out.glued.push(k);
            }
            if root_line
                && out.root_after.is_none()
                && let Some(shell) = &root_shell
            {
                out.root_after = Some((k, shell.clone()));
            }
            if root_line && root_shell.is_none() && commands.is_empty() && out.bare_root.is_none() {
                out.bare_root = Some(k);
            }
            after_command = !c.ends_with('\\');
            continued = c.ends_with('\\');
            of = c.trim().to_string();
            commands.push(c.to_string());
        } else {
            output.push(l);
        }
    }
    flush(&of, &mut output, &mut out);
    out.commands = commands.join("\n");
    out
}

/// `<POD_NAME>`, `<pod-name>` in a command → `{{ inputs.pod_name }}` and an input. In a
/// command kept as written (`templates: false`, given as `env`), `$POD_NAME` instead, in the
/// placeholder's quoting, with the template in the step's `env:` (still rendered there).
fn placeholders(
    d: &mut Draft,
    command: &str,
    pos: Pos,
    notes: &mut Vec<String>,
    mut env: Option<&mut Vec<(String, String)>>,
) -> String {
    // Compiled once: a page has many fences, a folder many pages.
    static PLACEHOLDER: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"<([A-Za-z0-9][A-Za-z0-9_.-]{0,63})>").ok());
    let Some(re) = PLACEHOLDER.as_ref() else {
        return command.to_string();
    };
    // `<pod name>`, `<you@example.com>`: written as a placeholder, but no name; the shell
    // reads its `<` and `>` as redirections. Kept as written, and said.
    static LOOSE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?:^|[\s=])<([A-Za-z][A-Za-z0-9_.-]*(?:[ @][A-Za-z0-9_.-]+)+)>(?:$|[\s;|&)])",
        )
        .ok()
    });
    for inner in LOOSE
        .as_ref()
        .filter(|_| command.contains('<'))
        .into_iter()
        .flat_map(|loose| loose.captures_iter(command))
        .filter_map(|c| c.get(1))
    {
        let line = command[..inner.start()].matches('\n').count();
        let at = Pos {
            line: pos.line + line + 1,
            col: pos.col,
        };
        let what = format!(
            "`<{}>` reads as a placeholder, but the shell reads its `<` and `>` as redirections: kept as written (write it `<{}>` to make it an input)",
            inner.as_str(),
            inner
                .as_str()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                })
                .collect::<String>()
        );
        notes.push(format!("{at}: guess: {what}"));
        d.guesses.push((at, what));
    }
    // (Counted before each is looked at: telling markup from a placeholder looks along the
    // command, 40,000 of them took half a minute.)
    if re.find_iter(command).nth(4 * MAX_PLACEHOLDERS).is_some() {
        let what = format!(
            "the command holds more than {} `<…>` words, more than the importer follows one by one: kept as written",
            4 * MAX_PLACEHOLDERS
        );
        notes.push(format!("{pos}: guess: {what}"));
        d.guesses.push((pos, what));
        return command.to_string();
    }
    let found: Vec<(std::ops::Range<usize>, &str)> = re
        .captures_iter(command)
        .filter_map(|c| Some((c.get(0)?.range(), c.get(1)?.as_str())))
        .filter(|(whole, raw)| is_placeholder(command, whole, raw))
        .collect();
    if found.is_empty() {
        return command.to_string();
    }
    // Each placeholder is followed through the whole command: past a few dozen, that is
    // a page generated by a program, not a command to fill in (20,000 took a minute).
    if found.len() > MAX_PLACEHOLDERS {
        let what = format!(
            "the command holds {} placeholders, more than the {MAX_PLACEHOLDERS} the importer follows one by one: kept as written",
            found.len()
        );
        notes.push(format!("{pos}: guess: {what}"));
        d.guesses.push((pos, what));
        return command.to_string();
    }
    // Where a value would stand there: a place the run refuses, or code of another
    // language (`awk 'BEGIN { system("echo <V>") }'`, `python3 -c 'print("<V>")'`), is no
    // place for a value. The command is kept as written, and said.
    let mut lexed = command.to_string();
    for (whole, _) in &found {
        lexed.replace_range(whole.clone(), &"_".repeat(whole.len()));
    }
    let mut kept = std::collections::BTreeSet::new();
    for (n, (whole, raw)) in found.iter().enumerate() {
        use crate::shell::{Quoting, Slot};
        let why = match crate::shell::plan(&lexed, whole.clone()) {
            Err(u) => Some(format!(
                "where the run would refuse a value ({}: {})",
                u.construct, u.why
            )),
            Ok(plan) if matches!(plan.slot, Slot::Quoted(Quoting::QuotedHeredoc)) => {
                Some("in a quoted here-document, where the run would refuse a value".to_string())
            }
            Ok(plan) => plan.foreign.map(|f| {
                format!(
                    "inside {} code, where a value would be code, not data",
                    f.language
                )
            }),
        };
        // `kubectl patch -p '{"spec":{"replicas":<N>}}'`, `curl -d '{"user":"<ID>"}'`: a
        // value there is JSON, where a quote or a brace adds fields (an audit added
        // `"admin":true`); a line `key: <X>` of a document a here-document writes is YAML,
        // where a new line adds keys.
        let structured = || {
            let line_start = command[..whole.start].rfind('\n').map_or(0, |k| k + 1);
            let line_end = command[whole.end..]
                .find('\n')
                .map_or(command.len(), |k| whole.end + k);
            let before = &command[line_start..whole.start];
            let after = &command[whole.end..line_end];
            let json = (before.contains("{\"") || before.contains("{ \"") || before.contains("[{"))
                && before.contains("\":")
                && after.contains('}');
            let yaml = matches!(
                crate::shell::context_at(&lexed, whole.start),
                crate::shell::Quoting::Heredoc
            ) && before
                .trim_start()
                .split_once(": ")
                .is_some_and(|(key, _)| {
                    !key.is_empty()
                        && key
                            .trim_start_matches("- ")
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
                });
            if json {
                Some("inside JSON, where a value's quotes or braces would add fields")
            } else if yaml {
                Some(
                    "in a YAML document a here-document writes, where a value's new line would add keys",
                )
            } else {
                None
            }
        };
        if why.is_none()
            && let Some(place) = structured()
        {
            // An input still (the operator types it), said: give it a `pattern`.
            let what = format!(
                "<{raw}> stands {place}: it is an input; give it a `pattern` of the values it may take (`^[0-9]+$`, `^[a-z0-9-]+$`)"
            );
            notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
        }
        if let Some(why) = why {
            let what = format!(
                "<{raw}> stands {why}: it is kept as written; put the value in by hand, or pass it as the program's own parameter"
            );
            notes.push(format!("{pos}: guess: {what}"));
            d.guesses.push((pos, what));
            kept.insert(n);
        }
    }
    let mut out = String::with_capacity(command.len());
    let mut last = 0;
    for (n, (whole, raw)) in found.into_iter().enumerate() {
        if kept.contains(&n) {
            continue;
        }
        // An identifier: `-` and `.` as `_`, a leading digit after `v_` (`<1ST-HOST>` →
        // `v_1st_host`).
        let mut name: String = raw
            .to_ascii_lowercase()
            .chars()
            .map(|ch| if ch == '-' || ch == '.' { '_' } else { ch })
            .collect();
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            name.insert_str(0, "v_");
        }
        d.inputs.entry(name.clone()).or_insert_with(|| Input {
            description: format!("The value of <{raw}> on the page"),
            default: None,
            pos,
        });
        out.push_str(&command[last..whole.start]);
        last = whole.end;
        let template = format!("{{{{ inputs.{name} }}}}");
        let Some(env) = env.as_deref_mut() else {
            out.push_str(&template);
            continue;
        };
        // (`<PATH>`, `<HOME>`, `<BASH_ENV>`: a variable of that name changes every command
        // of the step, or is refused in a step; the placeholder's is another.)
        let mut var = name.to_ascii_uppercase();
        if never_lifted(&var)
            || KNOWN_VARIABLES.contains(&var.as_str())
            || var.starts_with("RUNBOOK_")
            || var.starts_with("BASH")
            || var.starts_with("LC_")
            || var.starts_with("LD_")
        {
            var = format!("PAGE_{var}");
        }
        if !env.iter().any(|(n, _)| *n == var) {
            env.push((var.clone(), template));
        }
        use crate::shell::Quoting;
        out.push_str(&match crate::shell::context_at(command, whole.start) {
            Quoting::Double | Quoting::Heredoc => format!("${{{var}}}"),
            Quoting::Single => format!("'\"${{{var}}}\"'"),
            _ => format!("\"${{{var}}}\""),
        });
    }
    out.push_str(&command[last..]);
    out
}

/// Whether `<NAME>` at `whole` is a placeholder, not markup or a type: not a type glued to
/// a word (`List<String>`; `v<VERSION>` is a placeholder), not closed later
/// (`<title>…</title>`), not an empty HTML element (`<br>`), not a lower-case word in single
/// quotes (`grep -c '<error>'`).
fn is_placeholder(command: &str, whole: &std::ops::Range<usize>, raw: &str) -> bool {
    const VOID: &[&str] = &["br", "hr", "img", "meta", "link", "input", "wbr"];
    let glued = command[..whole.start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    let camel = raw.starts_with(|c: char| c.is_ascii_uppercase())
        && raw.chars().any(|c| c.is_ascii_lowercase());
    let lower_word = raw.chars().all(|c| c.is_ascii_lowercase());
    let single = crate::shell::context_at(command, whole.start) == crate::shell::Quoting::Single;
    let markup = (glued && camel)
        || command[whole.end..].contains(&format!("</{raw}>"))
        || VOID.contains(&raw)
        || (lower_word && single);
    !markup
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
/// `$NAME` and `${NAME` of the upper-case variables a page's commands use (compiled once: a
/// folder has many pages).
static USED: std::sync::LazyLock<Option<regex::Regex>> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"\$\{?([A-Z_][A-Z0-9_]*)").ok());
/// Where a command sets one: `NAME=`, `export NAME=`, `read NAME`, `for NAME`.
static SET: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Z_][A-Z0-9_]*)(?:\+?=)|(?:read(?:\s+-\w+)*|for|printf\s+-v|(?:mapfile|readarray)(?:\s+-\w+)*)\s+([A-Z_][A-Z0-9_]*)",
    )
    .ok()
});

/// Whether the shell expands the `$NAME` matched in a command: not in single quotes
/// (`awk '{print $NF}'`, `'$HOME'`) or a quoted here-document, the text of another program.
/// The variables a command sets (see [`SET`]): `NAME=`, `export NAME=`, every name of
/// `read -r A B C`.
fn names_set(set: &regex::Regex, command: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    for c in set.captures_iter(command) {
        if let Some(m) = c.get(1) {
            out.insert(m.as_str().to_string());
        } else if let Some(m) = c.get(2) {
            out.insert(m.as_str().to_string());
            // `read -r A B C`: the names after the first, to the end of the command.
            if c.get(0).is_some_and(|all| all.as_str().starts_with("read")) {
                let rest = &command[m.end()..];
                let end = rest
                    .find(['\n', ';', '|', '&', '<', '>'])
                    .unwrap_or(rest.len());
                out.extend(
                    rest[..end]
                        .split_whitespace()
                        .take_while(|w| {
                            w.bytes()
                                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                        })
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

fn expanded(command: &str, cap: &regex::Captures) -> bool {
    let at = cap.get(0).map_or(0, |m| m.start());
    // `\$NAME` is the text `$NAME`.
    if command[..at].ends_with('\\') {
        return false;
    }
    !matches!(
        crate::shell::context_at(command, at),
        crate::shell::Quoting::Single
            | crate::shell::Quoting::DollarSingle
            | crate::shell::Quoting::QuotedHeredoc
    )
}

fn unset_variables(d: &mut Draft) -> Vec<(String, String, Pos)> {
    static EXPORT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?m)^\s*export\s+([A-Z_][A-Z0-9_]*)=("[^"$`\\]*"|'[^']*'|(?:\{\{ inputs\.[a-z0-9_]+ \}\}|[^\s"'$`;&|{])*)\s*$"#,
        )
        .ok()
    });
    let (Some(used), Some(set)) = (USED.as_ref(), SET.as_ref()) else {
        return Vec::new();
    };
    // Every step's command, also one with `templates: false` (its exports and variables
    // are the page's all the same), with the names the step's own `env:` gives it (a
    // placeholder there is `${NAME}` from the step's environment).
    let commands: Vec<(Pos, &str, Vec<&str>)> = d
        .steps
        .iter()
        .filter_map(|s| {
            let own = s.env.iter().map(|(n, _)| n.as_str()).collect();
            s.run.as_deref().map(|r| (s.pos, r, own))
        })
        .collect();
    let assigned: std::collections::BTreeSet<String> = commands
        .iter()
        .flat_map(|(_, c, _)| names_set(set, c))
        .collect();
    // (name, where, the default the page writes: `${CLUSTER:-prod}`)
    let mut found: Vec<(String, Pos, Option<String>)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut from_outside: Vec<(Pos, String)> = Vec::new();
    for (line, c, own) in &commands {
        for cap in used.captures_iter(c) {
            let name = cap[1].to_string();
            if !expanded(c, &cap)
                || own.contains(&name.as_str())
                || assigned.contains(&name)
                || KNOWN_VARIABLES.contains(&name.as_str())
                || name.starts_with("RUNBOOK_")
                || found.iter().any(|(n, ..)| *n == name)
                || skipped.contains(&name)
            {
                continue;
            }
            // A variable that makes a shell or a program run something (`$GIT_SSH_COMMAND`,
            // `$PERL5OPT`) is not made an input, which every step would be given: the
            // command reads it from the operator's environment, as on the page.
            if never_lifted(&name) {
                let what = format!(
                    "`${name}` is set nowhere on the page: it is read from the operator's environment, never asked for (a variable that makes a program run something is not given to every step)"
                );
                skipped.push(name);
                from_outside.push((*line, what));
                continue;
            }
            let default = cap
                .get(0)
                .filter(|m| m.as_str().starts_with("${"))
                .and_then(|m| {
                    // `${X:-v}`, `${X-v}`, and `${X:=v}`, which also assigns it;
                    // `${X:+…}` asks nothing of `X` (empty by default).
                    let after = &c[m.end()..];
                    if after.starts_with(":+") || after.starts_with('+') {
                        return Some(String::new());
                    }
                    let rest = [":-", "-", ":=", "="]
                        .iter()
                        .find_map(|op| after.strip_prefix(op))?;
                    let value = &rest[..rest.find('}')?];
                    crate::shell::quote::is_plain_word(value).then(|| value.to_string())
                });
            found.push((name, *line, default));
        }
    }
    // `export VAR=value` carries state between the page's blocks; each step here is a shell
    // of its own: the value becomes an input (its default), given to every step.
    let mut exported: Vec<(String, String, Pos)> = Vec::new();
    // What is said about the exports (a guess each), and the variables exported with
    // different values on the page.
    let mut export_guesses: Vec<(Pos, String)> = Vec::new();
    let mut twice: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    if let Some(export) = EXPORT.as_ref() {
        for (line, c, _) in &commands {
            for cap in export.captures_iter(c) {
                let name = cap[1].to_string();
                let input = name.to_ascii_lowercase();
                // A variable that makes a shell or the loader run something, or changes how
                // every command is found or split, stays in its step as written.
                if KNOWN_VARIABLES.contains(&name.as_str()) && !never_lifted(&name) {
                    // `export KUBECONFIG=…`: the operator's own setting for every command,
                    // not an input; but each step is a shell of its own.
                    export_guesses.push((
                        *line,
                        format!(
                            "`{name}` is exported here and stays in this step: each step is a shell of its own, so later steps use the operator's `${name}` (add it to the runbook's `env:`, or export it in each step that needs it)"
                        ),
                    ));
                    continue;
                }
                if d.env.contains_key(&name)
                    || !crate::values::is_identifier(&input)
                    || never_lifted(&name)
                {
                    continue;
                }
                let value = cap[2].trim_matches(|q| q == '"' || q == '\'').to_string();
                // `export POD=<POD_NAME>`: the placeholder's input is the value, given from
                // here on (a default is never a template).
                if value.contains("{{") {
                    exported.push((name, value, *line));
                    continue;
                }
                let entry = d.inputs.entry(input.clone()).or_insert_with(|| Input {
                    description: format!("${name}, set by `export` on the page"),
                    default: None,
                    pos: *line,
                });
                // `<ns>` earlier and `export NS=prod`: one input, with the export's value;
                // two exports of different values: the first, said.
                match &entry.default {
                    None => entry.default = Some(value),
                    Some(first) if *first != value => {
                        let what = format!(
                            "`${name}` is exported with different values on the page: the input's default is the first, `{first}`"
                        );
                        export_guesses.push((*line, what));
                        twice.insert(name.clone());
                    }
                    Some(_) => {}
                }
                exported.push((name, format!("{{{{ inputs.{input} }}}}"), *line));
            }
        }
    }
    // `export TARGET=<PRIMARY_DB>` in one branch, `export TARGET=<DR_DB>` in another: the
    // steps after both are given one of them, said.
    for (k, (name, template, line)) in exported.iter().enumerate() {
        if let Some((_, first, _)) = exported[..k]
            .iter()
            .find(|(n, t, _)| n == name && t != template && t.contains("{{"))
            && template.contains("{{")
        {
            twice.insert(name.clone());
            export_guesses.push((
                *line,
                format!(
                    "`${name}` is exported with different values on the page (`{first}`, then `{template}`): a step that both reach is given the first; pass the value on with `echo \"{name}=${name}\" >> \"$RUNBOOK_ENV\"` in each"
                ),
            ));
        }
    }
    // The input is the value from the export on: the export writes it (`export
    // NAMESPACE={{ inputs.namespace }}`), or the step that exports would run with the page's
    // value and every later one with the operator's (an audit found both in one run). An
    // export of several values on the page keeps them, as the page's branches do.
    let lifted: std::collections::BTreeMap<String, String> = exported
        .iter()
        .filter(|(name, template, _)| {
            !twice.contains(name)
                && template == &format!("{{{{ inputs.{} }}}}", name.to_ascii_lowercase())
        })
        .map(|(name, template, _)| (name.clone(), template.clone()))
        .collect();
    if !lifted.is_empty()
        && let Some(export) = EXPORT.as_ref()
    {
        for s in d.steps.iter_mut().filter(|s| !s.no_templates) {
            let Some(run) = &s.run else { continue };
            let mut out = String::with_capacity(run.len());
            let mut at = 0;
            for cap in export.captures_iter(run) {
                let (Some(name), Some(value)) = (cap.get(1), cap.get(2)) else {
                    continue;
                };
                let Some(template) = lifted.get(name.as_str()) else {
                    continue;
                };
                if value.as_str().contains("{{") {
                    continue;
                }
                let quote = value
                    .as_str()
                    .chars()
                    .next()
                    .filter(|q| *q == '"' || *q == '\'');
                out.push_str(&run[at..value.start()]);
                match quote {
                    Some(q) => out.push_str(&format!("{q}{template}{q}")),
                    None => out.push_str(template),
                }
                at = value.end();
            }
            if at > 0 {
                out.push_str(&run[at..]);
                s.run = Some(out);
            }
        }
    }
    for (line, what) in export_guesses {
        guess_at_command(d, line, what);
    }
    for (name, line, default) in found {
        let input = name.to_ascii_lowercase();
        if !crate::values::is_identifier(&input) {
            continue;
        }
        d.inputs.entry(input.clone()).or_insert_with(|| Input {
            description: format!("The value of ${name}, which the page uses and never sets"),
            default,
            pos: line,
        });
        d.env
            .insert(name.clone(), format!("{{{{ inputs.{input} }}}}"));
        let what = format!("`${name}` is set nowhere on the page: asked for as input `{input}`");
        guess_at_command(d, line, what);
    }
    for (line, what) in from_outside {
        guess_at_command(d, line, what);
    }
    exported
}

/// Gives each `export VAR=…` of the page (name, template, where) to the step that exports
/// it and to every step the walk can reach from there, as the page reads: a step before it
/// does not have it (`export GIT_SSH_COMMAND=…` in step 2 is not step 1's), nor does another
/// option of a decision it stands in (`## Option B` does not get what `## Option A`
/// exports); the steps after the options join again do.
fn apply_exports(d: &mut Draft, exported: Vec<(String, String, Pos)>) {
    let index: std::collections::HashMap<&str, usize> = d
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| (s.id.as_str(), k))
        .collect();
    let next: Vec<Vec<usize>> = d
        .steps
        .iter()
        .enumerate()
        .map(|(k, s)| {
            if !s.choose.is_empty() {
                s.choose
                    .iter()
                    .filter_map(|(_, to)| index.get(to.as_str()).copied())
                    .collect()
            } else if let Some(to) = &s.next {
                index.get(to.as_str()).copied().into_iter().collect()
            } else {
                (k + 1 < d.steps.len())
                    .then_some(k + 1)
                    .into_iter()
                    .collect()
            }
        })
        .collect();
    // (Each export is written into every step it reaches: past the size a runbook may
    // have, the import stops here rather than build gigabytes it would refuse to write.)
    let mut bytes = 0usize;
    let mut reached = vec![false; d.steps.len()];
    for (name, template, line) in exported {
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
        let count = reached.iter().filter(|r| **r).count();
        bytes += count * (name.len() + template.len() + 12);
        if bytes > crate::load::yaml::MAX_FILE_BYTES {
            d.too_large = true;
            return;
        }
        for (step, _) in d.steps.iter_mut().zip(&reached).filter(|(_, r)| **r) {
            if !step.env.iter().any(|(n, _)| *n == name) {
                step.env.push((name.clone(), template.clone()));
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

/// A variable that makes a shell or the loader run something, or changes how every command
/// is found or split: never an input or an `env:` of the draft.
fn never_lifted(name: &str) -> bool {
    crate::values::is_protected_env(name)
        || crate::shell::runs_as_code(name)
        || matches!(
            name,
            "PROMPT_COMMAND" | "CDPATH" | "GLOBIGNORE" | "PATH" | "IFS" | "EDITOR" | "VISUAL"
        )
}

/// A guess about the command at `line`: a note on its step, and in the page's summary.
fn guess_at_command(d: &mut Draft, line: Pos, what: String) {
    if let Some(step) = d
        .steps
        .iter_mut()
        .find(|s| s.pos == line && s.run.is_some())
    {
        step.notes.push(format!("{line}: guess: {what}"));
    }
    d.guesses.push((line, what));
}

/// A variable set in one step (`POD=$(kubectl get pods …)`) and used in a later one: each
/// step is a shell of its own, so it would be empty there. Said where it is used.
fn carried_variables(d: &mut Draft, exported: &std::collections::BTreeSet<String>) {
    let (Some(used), Some(set)) = (USED.as_ref(), SET.as_ref()) else {
        return;
    };
    let mut set_before: Vec<(String, String)> = Vec::new();
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

/// A step title from a list item: its first sentence, at most 60 characters, links as
/// their text.
fn short_title(text: &str) -> String {
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
    fn section_paths_follow_the_headings_a_step_stands_in() {
        let d = import(
            "# Title\n\n## A\n\n### B\n\n#### C\n\n## D\n\n### E\n\n# Other\n\n## F\n",
            "page",
        );
        assert_eq!(
            d.section_paths(),
            [
                None,
                Some("A".into()),
                Some("A › B".into()),
                Some("A › B › C".into()),
                Some("D".into()),
                Some("D › E".into()),
                Some("Other".into()),
                Some("Other › F".into()),
            ]
        );
    }

    #[test]
    fn links_are_named_by_their_text_with_its_code_spans() {
        let d = import(
            "# T\n\nSee [`kubectl` docs](https://k8s.io/docs) and [`jq`](https://jqlang.org).\n",
            "page",
        );
        let names: Vec<&str> = d.links.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["`kubectl` docs", "jq"]);
    }

    #[test]
    fn an_items_second_paragraph_is_a_sentence_of_its_own() {
        let d = import(
            "# T\n\n## Diagnosis\n\n1. Check the rollout status:\n\n   ```bash\n   kubectl rollout status deploy/api\n   ```\n\n   Then look at the events:\n\n   ```bash\n   kubectl get events\n   ```\n",
            "page",
        );
        // (A second paragraph that names another course, "If it hangs, …", is a step of
        // its own: see `partial_bold_options_late_ifs_and_branch_exports`.)
        for s in &d.steps {
            assert!(
                !s.title.contains(":Then") && !s.instructions.contains(":Then"),
                "{:?} / {:?}",
                s.title,
                s.instructions
            );
        }
        assert_eq!(d.steps.len(), 1, "{:?}", d.steps);
        assert_eq!(
            d.steps[0].instructions,
            "Check the rollout status: Then look at the events:"
        );
    }

    /// An audit's smaller findings: an empty heading named a section " › "; lists of other
    /// markers in a row under one heading made a checklist each; "Check it with:" ending a
    /// Meaning section stayed in the description, its command a step with no words.
    #[test]
    fn empty_headings_lists_in_a_row_and_an_introduced_command() {
        let d = import("#\n\n## \n\n```bash\nuptime\n```\n", "p");
        assert_eq!(d.section_paths(), [None, None]);
        let d = import(
            "# T\n\n## Communicate\n\n- [ ] one\n* [ ] two\n\n1. three\n",
            "p",
        );
        assert_eq!(d.steps.len(), 1, "{:?}", d.steps);
        assert_eq!(d.steps[0].checklist, ["one", "two", "three"]);
        let d = import(
            "# T\n\n## Meaning\n\nThe cert expires soon. Check it with:\n\n```bash\nopenssl version\n```\n",
            "p",
        );
        assert_eq!(d.description, "## Meaning\n\nThe cert expires soon.");
        assert_eq!(d.steps[0].instructions, "Check it with:");
        let d = import(
            "# T\n\n## Meaning\n\nCheck it with:\n\n```bash\nopenssl version\n```\n",
            "p",
        );
        assert!(!d.description.contains("Meaning"), "{}", d.description);
        assert_eq!(d.steps[0].instructions, "Check it with:");
    }

    /// A numbered item's block less indented than its text (`10.` then a fence at three
    /// spaces, or fences at the margin) is the item's: an audit found every such command
    /// after the first lost, with nothing said.
    #[test]
    fn a_block_under_a_numbered_item_at_the_margin_is_its_command() {
        let d = import(
            "# T\n\n1. Check:\n```bash\necho one\n```\n2. Next:\n```bash\necho two\n```\n3. Last:\n```bash\necho three\n```\n",
            "p",
        );
        let runs: Vec<_> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(
            runs,
            ["echo one", "echo two", "echo three"],
            "{:?}",
            d.steps
        );
        assert_eq!(d.steps[1].title, "Next");
        let d = import(
            "# T\n\n## Steps\n\n9. Do 9:\n\n   ```bash\n   echo nine\n   ```\n\n10. Do 10:\n\n   ```bash\n   echo ten\n   ```\n\n11. Do 11:\n\n   ```bash\n   echo eleven\n   ```\n",
            "p",
        );
        let runs: Vec<_> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(
            runs,
            ["echo nine", "echo ten", "echo eleven"],
            "{:?}",
            d.steps
        );
        assert!(
            d.steps.iter().all(|s| s.checklist.is_empty()),
            "{:?}",
            d.steps
        );
        // A numbered list of things to do, then a paragraph and a block: a checklist, then
        // a step of its own.
        let d = import(
            "# T\n\n1. Tell the channel\n2. Open the dashboard\n\nThen restart:\n\n```bash\nsystemctl restart app\n```\n",
            "p",
        );
        assert_eq!(
            d.steps[0].checklist,
            ["Tell the channel", "Open the dashboard"]
        );
        assert_eq!(d.steps[1].run.as_deref(), Some("systemctl restart app"));
    }

    /// Whether a guess of the draft says `text`.
    fn guessed(d: &Draft, text: &str) -> bool {
        d.guesses.iter().any(|(_, w)| w.contains(text))
    }

    /// The labels of every decision of a draft, in order.
    fn labels(d: &Draft) -> Vec<String> {
        d.steps
            .iter()
            .flat_map(|s| s.choose.iter().map(|(l, _)| l.clone()))
            .collect()
    }

    /// Courses an audit found run one after the other: "If …"/"Otherwise" sub-items of a
    /// numbered item, bold items under an "… options" heading; and two "If …" paragraphs,
    /// the first with no command, named the command's step after the first.
    #[test]
    fn nested_and_bold_courses_are_a_decision() {
        let d = import(
            "# T\n\n## Fix\n\n1. Check:\n\n   ```bash\n   patronictl list\n   ```\n\n   - If a replica is healthy, fail over:\n\n     ```bash\n     patronictl failover --force\n     ```\n\n   - Otherwise, restart it:\n\n     ```bash\n     systemctl restart patroni\n     ```\n\n2. Confirm:\n\n   ```bash\n   patronictl list | grep Leader\n   ```\n",
            "p",
        );
        assert_eq!(
            labels(&d),
            [
                "If a replica is healthy, fail over",
                "Otherwise, restart it"
            ],
            "{:?}",
            d.steps
        );
        assert_eq!(d.steps[0].run.as_deref(), Some("patronictl list"));
        let d = import(
            "# T\n\n## Rollback options\n\n- **Roll back**:\n\n  ```bash\n  helm rollback api 0\n  ```\n\n- **Scale up**:\n\n  ```bash\n  kubectl scale deploy/api --replicas=10\n  ```\n",
            "p",
        );
        assert_eq!(labels(&d), ["Roll back", "Scale up"], "{:?}", d.steps);
        let d = import(
            "# T\n\n## Fix\n\nIf the disk is slow, move etcd.\n\nIf etcd is fragmented, defragment it:\n\n```bash\netcdctl defrag\n```\n",
            "p",
        );
        assert_eq!(
            labels(&d)[0],
            "If etcd is fragmented, defragment it",
            "{:?}",
            d.steps
        );
    }

    /// "If X, stop here. If not, …" leads to the command from "If not"; an export of
    /// `KUBECONFIG` is said to stay in its step.
    #[test]
    fn stop_here_and_kubeconfig() {
        let d = import(
            "# T\n\n## Fix\n\nIf the replica caught up, stop here. If not, reinitialise it:\n\n```bash\npatronictl reinit pg db-2 --force\n```\n",
            "p",
        );
        assert_eq!(
            labels(&d)[0],
            "Otherwise: reinitialise it",
            "{:?}",
            labels(&d)
        );
        let d = import(
            "# T\n\n```bash\nexport KUBECONFIG=/etc/k/prod.conf\n```\n\n```bash\nkubectl get pods\n```\n",
            "p",
        );
        assert!(guessed(
            &d,
            "`KUBECONFIG` is exported here and stays in this step"
        ));
    }

    /// A third audit's pages: bold options that do not fill their paragraph, "… nothing to
    /// do. Else, …" after a first sentence, "If … instead:" between an item's blocks, and
    /// one variable exported with a different placeholder in each branch.
    #[test]
    fn partial_bold_options_late_ifs_and_branch_exports() {
        let d = import(
            "# T\n\n## Fix\n\n**Option 1 — wait**: it fails over by itself.\n\n```bash\nredis-cli info\n```\n\n**Option 2 — flush** (with approval):\n\n```bash\nredis-cli FLUSHALL\n```\n",
            "p",
        );
        assert_eq!(
            labels(&d),
            ["Option 1 — wait", "Option 2 — flush"],
            "{:?}",
            d.steps
        );
        let d = import(
            "# T\n\n## Fix\n\nLook at the status. If the pod is Running, nothing to do. Else, delete it:\n\n```bash\nkubectl delete pod p\n```\n",
            "p",
        );
        assert_eq!(
            labels(&d),
            [
                "Otherwise: delete it",
                "If the pod is Running: nothing to do"
            ]
        );
        let d = import(
            "# T\n\n## Fix\n\n1. Restart Sidekiq:\n\n   ```shell\n   gitlab-ctl restart sidekiq\n   ```\n\n   If Sidekiq runs in Kubernetes instead:\n\n   ```shell\n   kubectl rollout restart deploy/sidekiq\n   ```\n",
            "p",
        );
        let runs: Vec<_> = d.steps.iter().filter_map(|s| s.run.as_deref()).collect();
        assert_eq!(
            runs,
            [
                "gitlab-ctl restart sidekiq",
                "kubectl rollout restart deploy/sidekiq"
            ]
        );
        assert!(labels(&d).contains(&"If Sidekiq runs in Kubernetes instead".to_string()));
        let d = import(
            "# T\n\n### If on the primary site\n\n```bash\nexport TARGET=<PRIMARY_DB>\n```\n\n### If on the DR site\n\n```bash\nexport TARGET=<DR_DB>\n```\n\n## Promote\n\n```bash\necho \"$TARGET\"\n```\n",
            "p",
        );
        assert!(guessed(&d, "`$TARGET` is exported with different values"));
    }

    /// A placeholder inside JSON (`kubectl patch -p`, `curl -d`) or a YAML line of a
    /// here-document is an input, said: quotes or a new line in it would add fields.
    #[test]
    fn placeholders_in_json_or_yaml_are_said() {
        let d = import(
            "# T\n\n```bash\nkubectl patch deploy/web -p '{\"spec\":{\"replicas\":<REPLICAS>}}'\ncat <<EOF | kubectl apply -f -\nmetadata:\n  name: <NAME>\nEOF\n```\n",
            "p",
        );
        assert!(d.inputs.contains_key("replicas") && d.inputs.contains_key("name"));
        assert!(guessed(&d, "<REPLICAS> stands inside JSON"));
        assert!(guessed(&d, "<NAME> stands in a YAML document"));
    }

    /// Thousands of placeholders in one command, or of links on a page, took minutes.
    #[test]
    fn many_placeholders_and_links_are_cut_short() {
        let command: String = (0..200).map(|n| format!("<P{n}> ")).collect();
        let d = import(&format!("# T\n\n```bash\necho {command}\n```\n"), "p");
        assert!(d.inputs.is_empty());
        assert!(guessed(&d, "200 placeholders"));
        let command: String = (0..40_000).map(|n| format!("<P{n}> ")).collect();
        let d = import(&format!("# T\n\n```bash\necho {command}\n```\n"), "p");
        assert!(d.inputs.is_empty());
        assert!(guessed(&d, "more than 256 `<…>` words"));
        let links: String = (0..300)
            .map(|n| format!("[l{n}](https://e.example/{n}) "))
            .collect();
        let d = import(&format!("# T\n\n{links}\n"), "p");
        assert_eq!(d.links.len(), MAX_LINKS);
        assert!(
            d.left
                .iter()
                .any(|(_, w)| w.contains("links past the first"))
        );
    }

    #[test]
    fn transcripts_split_commands_from_output() {
        let t = transcript("$ kubectl get pods\nNAME READY\napi-1 1/1\n", "console");
        assert_eq!(t.commands, "kubectl get pods");
        assert_eq!(
            t.outputs,
            [(
                "kubectl get pods".to_string(),
                "NAME READY\napi-1 1/1".to_string()
            )]
        );
        let t = transcript("systemctl restart api\n", "bash");
        assert_eq!(t.commands, "systemctl restart api");
        assert!(t.outputs.is_empty());
        // A console block with no prompt is output.
        let t = transcript("Filesystem Size Used\n/dev/sda1 40G 39G\n", "console");
        assert_eq!(t.commands, "");
        assert_eq!(t.outputs[0].1, "Filesystem Size Used\n/dev/sda1 40G 39G");
    }

    /// Each command's output stays with it (an audit found two commands' outputs shown as
    /// one, after both); `$kubectl` with the prompt's space forgotten is a command, said.
    #[test]
    fn outputs_stay_with_their_commands() {
        let t = transcript(
            "$ kubectl get pods\napi-1 1/1\n$ kubectl get nodes\nnode-1 Ready\n",
            "console",
        );
        assert_eq!(t.commands, "kubectl get pods\nkubectl get nodes");
        assert_eq!(
            t.outputs,
            [
                ("kubectl get pods".to_string(), "api-1 1/1".to_string()),
                ("kubectl get nodes".to_string(), "node-1 Ready".to_string())
            ]
        );
        let t = transcript("$kubectl get nodes\nnode-1 Ready\n$ make deploy", "console");
        assert_eq!(t.commands, "kubectl get nodes\nmake deploy");
        assert_eq!(t.glued, [0]);
        // In a script, `$x` is the script's.
        let t = transcript("$cmd --version\n$ make", "bash");
        assert!(t.glued.is_empty());
    }

    #[test]
    fn prompts_of_shells_and_of_other_programs() {
        assert_eq!(shell_prompt("$ uptime", "bash"), Some("uptime"));
        assert_eq!(shell_prompt("ops@web-1:~$ df -h", "bash"), Some("df -h"));
        assert_eq!(shell_prompt("[root@db-2 data]# ls", "bash"), Some("ls"));
        assert_eq!(shell_prompt("# ls", "console"), Some("ls"));
        assert_eq!(shell_prompt("# a comment", "bash"), None);
        let psql = other_prompt_of("pgbouncer=# show pools;\n").unwrap_or_default();
        assert!(psql.contains("`pgbouncer=#` prompt (psql)"), "{psql}");
        let redis = other_prompt_of("127.0.0.1:6379> INFO memory").unwrap_or_default();
        assert!(redis.contains("(redis-cli)"), "{redis}");
        assert!(other_prompt_of(">>> import os").is_some_and(|p| p.contains("Python")));
        assert!(other_prompt_of("mysql> show processlist;").is_some_and(|p| p.contains("mysql")));
        assert_eq!(other_prompt_of("kubectl get pods\n"), None);
        assert_eq!(other_prompt_of("# restart it\nsystemctl restart x"), None);
    }

    #[test]
    fn positions_are_line_and_column_in_characters() {
        let text = "ab\ncé d";
        assert_eq!(pos_of(text, 0), Pos { line: 1, col: 1 });
        assert_eq!(pos_of(text, 3), Pos { line: 2, col: 1 });
        // After the two-byte é: column 3.
        assert_eq!(pos_of(text, 6), Pos { line: 2, col: 3 });
        // Inside a character, and past the end: no panic.
        assert_eq!(pos_of(text, 5), Pos { line: 2, col: 2 });
        assert_eq!(pos_of(text, 99).line, 2);
        assert_eq!(pos_of_bytes(b"a\nb\xe9", 3), Pos { line: 2, col: 2 });
        // Characters before the bad byte, not bytes (`é` is two).
        assert_eq!(
            pos_of_bytes("ééé ".as_bytes(), "ééé ".len()),
            Pos { line: 1, col: 5 }
        );
        let lines = Lines::new(text);
        for offset in 0..12 {
            assert_eq!(lines.pos(offset), pos_of(text, offset), "{offset}");
        }
        // In any order (counted on or back from the last one found), letters of two bytes
        // and lines included.
        let text = ">é>>ü> x\nab\n>>é>\n";
        let lines = Lines::new(text);
        for offset in [0, 5, 3, 1, 9, 0, 14, 13, 12, 2, 19, 17, 4, 18, 6, 6, 100, 7] {
            assert_eq!(lines.pos(offset), pos_of(text, offset), "{offset}");
        }
    }

    #[test]
    fn links_are_kept_once_and_named_by_their_text() {
        let d = import(
            "# T\n\nSee [the dashboard](https://grafana.example/d/1) and [docs](./local.md).\n\n## Fix\n\n1. Open [the dashboard](https://grafana.example/d/1), then run:\n\n   ```bash\n   uptime\n   ```\n",
            "t",
        );
        assert_eq!(
            d.links,
            vec![(
                "the dashboard".to_string(),
                "https://grafana.example/d/1".to_string()
            )]
        );
        assert!(
            d.description
                .contains("[the dashboard](<https://grafana.example/d/1>)")
        );
        assert_eq!(d.steps[0].title, "Open the dashboard, then run");
    }

    /// A `# ` line among `$ ` prompts is output, unless the session became root's (an
    /// audit found `# a comment line in output` made a command).
    #[test]
    fn a_hash_line_is_a_command_only_in_a_root_session() {
        let t = transcript(
            "$ ls /srv\ndata\n# a comment line in output\n$ df -h",
            "console",
        );
        assert_eq!(t.commands, "ls /srv\ndf -h");
        assert!(t.outputs[0].1.contains("# a comment line in output"));
        assert_eq!(t.root_after, None);
        // The lines typed in the root shell are said to run after it, as the operator.
        let t = transcript("$ sudo -i\n# systemctl restart app", "console");
        assert_eq!(t.commands, "sudo -i\nsystemctl restart app");
        assert_eq!(t.root_after, Some((1, "sudo -i".to_string())));
        let t = transcript("# systemctl status app\nactive", "console");
        assert_eq!(t.commands, "systemctl status app");
        assert_eq!(t.root_after, None);
    }

    #[test]
    fn placeholders_become_inputs() {
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let c = placeholders(
            &mut d,
            "kubectl logs <POD_NAME> -n <name-space>",
            Pos::default(),
            &mut notes,
            None,
        );
        assert_eq!(
            c,
            "kubectl logs {{ inputs.pod_name }} -n {{ inputs.name_space }}"
        );
        assert!(d.inputs.contains_key("pod_name") && d.inputs.contains_key("name_space"));
        assert!(notes.is_empty() && d.guesses.is_empty());
    }

    #[test]
    fn markup_and_types_are_no_placeholders() {
        for command in [
            "curl -s https://x/ | grep -o '<title>.*</title>'",
            "echo 'line<br>next'",
            "javap -s 'java.util.List<String>'",
            "grep -c '<error>' app.log",
        ] {
            let mut d = Draft::default();
            let c = placeholders(&mut d, command, Pos::default(), &mut Vec::new(), None);
            assert_eq!(c, command);
            assert!(d.inputs.is_empty(), "{command}");
        }
    }

    #[test]
    fn placeholders_glued_to_a_word_or_named_like_a_tag_are_placeholders() {
        for (command, input) in [
            ("docker pull app:v<VERSION>", "version"),
            ("pg_dump -t <table> mydb", "table"),
        ] {
            let mut d = Draft::default();
            let c = placeholders(&mut d, command, Pos::default(), &mut Vec::new(), None);
            assert!(c.contains(&format!("{{{{ inputs.{input} }}}}")), "{c}");
        }
    }

    #[test]
    fn only_the_placeholder_that_cannot_be_a_value_is_kept() {
        let mut d = Draft::default();
        let mut notes = Vec::new();
        let c = placeholders(
            &mut d,
            "kubectl apply -f - <<'EOF'\nname: <CM_NAME>\nEOF\nkubectl logs <POD_NAME>",
            Pos::default(),
            &mut notes,
            None,
        );
        assert!(c.contains("name: <CM_NAME>"), "{c}");
        assert!(c.contains("kubectl logs {{ inputs.pod_name }}"), "{c}");
        assert!(
            notes.len() == 1 && notes[0].contains("<CM_NAME> stands in a quoted here-document"),
            "{notes:?}"
        );
    }

    #[test]
    fn a_placeholder_where_a_value_would_be_code_is_kept_as_written_and_said() {
        for (command, said) in [
            ("awk 'BEGIN { system(\"echo <AWKV>\") }'", "inside awk code"),
            ("python3 -c 'print(\"<PYV>\")'", "inside Python code"),
            (
                "ssh -o ProxyCommand='nc <BASTION> 22' h uptime",
                "the run would refuse",
            ),
            ("printf '%s\\n' <V> | bash", "the run would refuse"),
        ] {
            for env in [false, true] {
                let mut d = Draft::default();
                let mut notes = Vec::new();
                let mut vars = Vec::new();
                let c = placeholders(
                    &mut d,
                    command,
                    Pos::default(),
                    &mut notes,
                    env.then_some(&mut vars),
                );
                assert_eq!(c, command);
                assert!(d.inputs.is_empty() && vars.is_empty(), "{command}");
                assert!(
                    notes.len() == 1 && notes[0].contains(said),
                    "{command}: {notes:?}"
                );
                assert_eq!(d.guesses.len(), 1);
            }
        }
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
