//! The walk over a page's pulldown-cmark events ([`read`]): each group of events (front
//! matter, headings, links, tables, emphasis, list items, paragraphs, HTML) read into the
//! [`Reader`]'s state; code blocks are read in `block.rs`.

use super::draft::Draft;
use super::pos::Pos;
use super::reader::{Reader, event_kind};
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

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
    // (German, French, Spanish, Japanese: audit 14l L8.)
    "bedeutung",
    "auswirkung",
    "übersicht",
    "beschreibung",
    "signification",
    "aperçu",
    "significado",
    "impacto",
    "descripción",
    "resumen",
    "概要",
    "影響",
    "説明",
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

/// The most links a draft lists (each is looked up among the others: a page of 100,000
/// links took half a minute).
pub(super) const MAX_LINKS: usize = 256;

/// A link of the page into the runbook's `links`: web addresses only (an anchor or a
/// relative path means nothing outside the wiki), each once, named by its text.
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

/// Reads a page's events into a draft (before the passes over the whole draft).
/// `shifts`: the columns removed from the start of each line before (see [`super::tabs`]).
pub(super) fn read(text: &str, shifts: Vec<usize>) -> Draft {
    let mut r = Reader::new(text);
    r.lines.shift(shifts);
    let options = Options::ENABLE_TASKLISTS
        | Options::ENABLE_TABLES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        r.mark();
        let at = r.lines.pos(range.start);
        r.event(event, range, at);
    }
    r.finish()
}

impl Reader<'_> {
    /// One event, to what reads its group.
    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>, at: Pos) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => self.front = Some((String::new(), at)),
            Event::Text(t) if self.front.is_some() => {
                if let Some((f, _)) = self.front.as_mut() {
                    f.push_str(&t);
                }
            }
            Event::End(TagEnd::MetadataBlock(_)) => self.front_matter_end(),
            Event::Start(Tag::Heading { level, .. }) => self.heading_start(level, at),
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::CodeBlock(kind)) => self.code_block_start(kind, at),
            Event::End(TagEnd::CodeBlock) => self.code_block_end(range),
            Event::Start(Tag::Link { dest_url, .. }) if self.in_code.is_none() => {
                self.link_start(&dest_url)
            }
            Event::End(TagEnd::Link) if self.in_code.is_none() => self.link_end(),
            Event::Text(t) | Event::Code(t) if self.in_code.is_none() && self.table.is_some() => {
                self.cell_text(&t, &range)
            }
            Event::Start(Tag::Table(_)) => self.table = Some(String::new()),
            Event::End(TagEnd::TableCell) => self.cell_end(),
            Event::End(TagEnd::TableHead) => self.table_head_end(),
            Event::End(TagEnd::TableRow) => self.table_row_end(),
            Event::End(TagEnd::Table) => self.table_end(at),
            Event::Start(Tag::Strong | Tag::Emphasis)
            | Event::End(TagEnd::Strong | TagEnd::Emphasis)
                if self.in_heading.is_none() =>
            {
                self.emphasis(&event)
            }
            Event::Start(Tag::BlockQuote(_)) => self.quote += 1,
            Event::End(TagEnd::BlockQuote(_)) => self.quote = self.quote.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => self.text(&t, &range),
            Event::SoftBreak | Event::HardBreak => self.line_break(),
            Event::TaskListMarker(done) if self.in_item == 1 => self.task = Some(done),
            Event::TaskListMarker(done) => {
                self.item_text.push_str(if done { "[x] " } else { "[ ] " });
            }
            Event::Start(Tag::List(first)) if self.in_item == 0 => {
                self.ordered = first.is_some();
                self.next_number = first;
            }
            Event::Start(Tag::List(first)) => self.nested_lists.push(first.is_some()),
            Event::Start(Tag::Item) => self.item_start(),
            Event::End(TagEnd::List(_)) if self.in_item == 0 => self.list_end(),
            Event::End(TagEnd::List(_)) => {
                self.nested_lists.pop();
            }
            Event::End(TagEnd::Item) if self.in_item > 1 => self.in_item -= 1,
            Event::End(TagEnd::Item) => self.item_end(at),
            // A second paragraph of an item (after its command) is a sentence of its own.
            Event::Start(Tag::Paragraph) if self.in_item > 0 => self.item_paragraph_start(),
            Event::Start(Tag::Paragraph) if self.in_item == 0 => self.paragraph_start(at),
            Event::End(TagEnd::Paragraph) if self.in_item == 0 => self.paragraph_end(),
            // An HTML block (a Confluence export's warning, table, `<h3>` and `<pre>`): its
            // text, read whole at its end.
            Event::Start(Tag::HtmlBlock) => self.html_block = Some((String::new(), at)),
            Event::Html(h) if self.html_block.is_some() => {
                if let Some((block, _)) = self.html_block.as_mut() {
                    block.push_str(&h);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((block, start)) = self.html_block.take() {
                    self.html_block_end(&block, start);
                }
            }
            // `<project id>`, `<NAMESPACE>` in prose read as HTML tags: they are the page's
            // placeholders, kept as text (an audit found them cut out of the commands the
            // operator is told to type).
            Event::Html(h) | Event::InlineHtml(h) if placeholder_tag(&h) => {
                if self.table.is_some() {
                    self.cell.push_str(&h);
                } else {
                    self.push_text(&h);
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => self.html(&h, at),
            _ => {}
        }
    }

    /// The page read: what is left of it made steps, the draft handed on.
    fn finish(mut self) -> Draft {
        self.flush_tasks();
        if !self.prose.trim().is_empty() {
            self.flush_prose();
        }
        if let Some(last) = self.d.steps.last_mut() {
            last.notes.append(&mut self.prose_notes);
        }
        self.mark();
        self.d
    }

    /// The end of the front matter.
    fn front_matter_end(&mut self) {
        // A wiki's front matter: its `title:` names the page; the rest is not a
        // runbook's, and is said to be left out.
        if let Some((f, pos)) = self.front.take() {
            let title = f.lines().find_map(|l| {
                let v = l.strip_prefix("title:")?.trim();
                let v = v.trim_matches(|c| c == '"' || c == '\'');
                (!v.is_empty()).then(|| v.to_string())
            });
            if let Some(title) = title
                && self.d.title.is_empty()
            {
                self.d.title = title;
                self.d.guesses.push((pos, FRONT_TITLE.into()));
                self.front_title = Some(pos);
            }
            let keys: Vec<&str> = f
                .lines()
                .filter_map(|l| l.split_once(':').map(|(k, _)| k.trim()))
                .filter(|k| !k.is_empty() && !k.starts_with(['-', '#', ' ']))
                .take(8)
                .collect();
            self.d.left.push((
                pos,
                format!("the front matter (YAML: {}) is left out", keys.join(", ")),
            ));
        }
    }

    /// A heading starts: the checklist before it is made.
    fn heading_start(&mut self, level: HeadingLevel, at: Pos) {
        self.last_numbered = false;
        self.flush_tasks();
        self.in_heading = Some((level, String::new()));
        self.heading_pos = at;
    }

    /// A heading read: the title, or a section (the prose before it a step).
    fn heading_end(&mut self) {
        if let Some((level, title)) = self.in_heading.take() {
            let title = title.trim().to_string();
            // A table of contents names no part of the runbook (its list is skipped too).
            if super::toc::toc_heading(&title) {
                return;
            }
            // The title: the first `# ` heading; on a page without one that opens
            // with a `## ` heading naming the page (not a part such as
            // `## Diagnosis`), that heading.
            let names_page = || {
                let t = super::courses::bare(&title).to_lowercase();
                self.d.sections.is_empty()
                    && self.d.steps.is_empty()
                    && self.prose.trim().is_empty()
                    && !t.is_empty()
                    && !DESCRIPTIVE.iter().any(|w| t.starts_with(w))
                    && !ACTION_SECTIONS.iter().any(|w| t.starts_with(w))
            };
            // The page's `# ` heading names it, over its front matter's `title:` (nothing
            // guessed then).
            if level == HeadingLevel::H1
                && self.d.sections.is_empty()
                && self.d.steps.is_empty()
                && let Some(pos) = self.front_title.take()
            {
                self.d
                    .guesses
                    .retain(|(at, what)| !(*at == pos && what == FRONT_TITLE));
                self.d.title = title.clone();
            }
            if self.d.title.is_empty() && level != HeadingLevel::H1 && names_page() {
                self.d.title = title.clone();
                self.d.guesses.push((
                    self.heading_pos,
                    "the page has no `# ` heading: its first heading is the title".into(),
                ));
            } else if level == HeadingLevel::H1
                && self.d.title.is_empty()
                && (self.heading.is_some() || self.prose.trim().is_empty())
            {
                self.d.title = title.clone();
            } else if self.heading.is_none()
                && self.d.steps.is_empty()
                && !self.prose.trim().is_empty()
            {
                // The page's opening prose before its first heading (after a front
                // matter's title, or before the `# ` title): what the page is about,
                // not a step.
                if level == HeadingLevel::H1 && self.d.title.is_empty() {
                    self.d.title = title.clone();
                }
                if !self.d.description.is_empty() {
                    self.d.description.push_str("\n\n");
                }
                self.d.description.push_str(self.prose.trim());
                self.prose.clear();
                self.prose_pos = None;
            } else if !self.prose.trim().is_empty() {
                self.flush_prose();
            }
            self.descriptive = DESCRIPTIVE
                .iter()
                .any(|w| super::courses::bare(&title).to_lowercase().starts_with(w));
            self.mark();
            // (Another part of the page: a shell opened in the last one is left.)
            if self
                .session
                .as_ref()
                .is_some_and(|s| level as u8 <= s.level)
            {
                self.session = None;
            }
            self.d
                .sections
                .push((level as u8, title.clone(), self.heading_pos));
            self.heading = Some(title);
            self.joinable = false;
        }
    }

    /// A link starts: its text is kept as Markdown.
    fn link_start(&mut self, dest_url: &str) {
        if self.in_heading.is_none() {
            self.push_text("[");
        }
        let from = match &self.in_heading {
            Some((_, h)) => h.len(),
            None if self.in_item > 0 => self.item_text.len(),
            None => self.paragraph.len(),
        };
        self.link = Some((dest_url.to_string(), from));
    }

    /// A link read: into the draft's links.
    fn link_end(&mut self) {
        if let Some((url, from)) = self.link.take() {
            // The link's text: what was read since it started.
            let buffer = match &self.in_heading {
                Some((_, h)) => h.as_str(),
                None if self.in_item > 0 => self.item_text.as_str(),
                None => self.paragraph.as_str(),
            };
            // (`[`kubectl`](…)` is named kubectl; `[`kubectl` docs](…)` keeps
            // both of its backquotes.)
            let name = buffer.get(from..).unwrap_or("").trim();
            let name = match name.strip_prefix('`').and_then(|n| n.strip_suffix('`')) {
                Some(inner) if !inner.contains('`') => inner,
                _ => name,
            };
            add_link(&mut self.d, name, &url);
            if self.in_heading.is_none() {
                let close = format!("](<{url}>)");
                self.push_text(&close);
            }
        }
    }

    /// Text in a table's cell.
    fn cell_text(&mut self, t: &str, range: &std::ops::Range<usize>) {
        if matches!(event_kind(self.text, range), Some('`')) {
            // (A `|` in a code span of a table is written `\|` too: GFM reads it so there,
            // audit 14l L10 found `… \| sed …` cut at the pipe.)
            self.cell.push_str(&format!("`{}`", t.replace('|', "\\|")));
        } else {
            self.cell.push_str(&t.replace('|', "\\|"));
        }
    }

    /// The end of a table's cell.
    fn cell_end(&mut self) {
        if let Some(t) = &mut self.table {
            t.push_str(&format!("| {} ", self.cell.trim()));
        }
        self.cell.clear();
        self.cells += 1;
    }

    /// The end of a table's head: its line of `|---|`.
    fn table_head_end(&mut self) {
        if let Some(t) = &mut self.table {
            t.push_str(&format!("|\n{}|\n", "|---".repeat(self.cells)));
        }
        self.cells = 0;
    }

    /// The end of a table's row.
    fn table_row_end(&mut self) {
        if let Some(t) = &mut self.table {
            t.push_str("|\n");
        }
        self.cells = 0;
    }

    /// A table read.
    fn table_end(&mut self, at: Pos) {
        // Kept as a Markdown table where the prose goes.
        if let Some(t) = self.table.take() {
            if self.descriptive {
                self.describe_heading();
                if !self.d.description.is_empty() && !self.d.description.ends_with("\n\n") {
                    self.d.description.push_str("\n\n");
                }
                self.d.description.push_str(t.trim_end());
            } else {
                self.prose_pos.get_or_insert(at);
                self.prose.push_str(&t);
                self.prose.push('\n');
            }
        }
    }

    /// The start or end of bold or emphasis.
    fn emphasis(&mut self, event: &Event<'_>) {
        // Bold and emphasis keep their Markdown marks.
        let mark = match event {
            Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => "**",
            _ => "*",
        };
        if self.table.is_some() {
            self.cell.push_str(mark);
        } else {
            self.push_text(mark);
        }
    }

    /// Text, or inline code.
    fn text(&mut self, t: &str, range: &std::ops::Range<usize>) {
        if self.in_code.is_some() {
            self.code.push_str(t);
        } else {
            let t =
                if self.in_heading.is_none() && matches!(event_kind(self.text, range), Some('`')) {
                    format!("`{t}`")
                } else {
                    t.to_string()
                };
            self.push_text(&t);
        }
    }

    /// A line break.
    fn line_break(&mut self) {
        if self.in_item > 0 {
            self.item_text.push(' ');
        } else {
            self.paragraph.push('\n');
        }
    }

    /// A list item starts.
    fn item_start(&mut self) {
        if self.in_item == 0 {
            self.items_read += 1;
            self.item_number = self.next_number;
            self.next_number = self.next_number.map(|n| n.saturating_add(1));
            self.item_text.clear();
            self.task = None;
            self.item_used = false;
            self.item_taken = 0;
            self.item_paragraph = 0;
        } else {
            // A nested item stays in its parent's text, indented (at most 16 levels
            // deep: a page of thousands of nested markers would otherwise grow with
            // the square of its depth).
            self.item_text
                .push_str(&format!("\n{}- ", "  ".repeat(self.in_item.min(16))));
        }
        self.in_item += 1;
    }

    /// A paragraph of a list item starts: a sentence of its own after the item's text.
    fn item_paragraph_start(&mut self) {
        if !self.item_text.is_empty() && !self.item_text.ends_with(char::is_whitespace) {
            self.item_text.push(' ');
        }
        self.item_paragraph = self.item_text.len();
    }

    /// A list (at the top level) read.
    fn list_end(&mut self) {
        // A paragraph after a list is a paragraph of its own.
        if self.prose.ends_with('\n') && !self.prose.ends_with("\n\n") {
            self.prose.push('\n');
        }
        self.flush_tasks();
    }

    /// A list item (at the top level) read: where its text goes.
    fn item_end(&mut self, at: Pos) {
        self.in_item = self.in_item.saturating_sub(1);
        let text_of = self.item_text.trim().to_string();
        self.last_numbered = false;
        // A table of contents' entry, links to the page's own headings: no step.
        if !self.item_used && super::toc::anchors_only(&text_of) {
            self.item_text.clear();
            self.task = None;
            return;
        }
        if std::mem::take(&mut self.item_used) {
            // Its text went to the step its command made; what follows its last command
            // (a sub-item "- If neither applies, escalate to the DBRE") is prose after it.
            let rest = self
                .item_text
                .get(self.item_taken..)
                .unwrap_or("")
                .trim()
                .trim_start_matches("- ")
                .to_string();
            if !rest.is_empty() {
                self.prose_pos.get_or_insert(at);
                self.prose.push_str(&format!("- {rest}\n"));
            }
        } else if self.descriptive && self.task.is_none() && !text_of.is_empty() {
            // A list describing the alert (Symptoms) stays in the description.
            if !self.d.description.is_empty() && !self.d.description.ends_with('\n') {
                self.d.description.push_str("\n\n");
            }
            self.describe_heading();
            self.d.description.push_str(&format!(
                "{} {text_of}\n",
                if self.ordered { "1." } else { "-" }
            ));
        } else if (self.task.is_some()
            || (self.ordered && self.in_item == 0)
            || (self.in_item == 0 && names_an_option(&text_of)))
            && !text_of.is_empty()
        {
            // A task, a numbered item with no command, or a bullet that names an option
            // among options (`- **Option 2** — ask the storage team.`): a checklist item,
            // which the decisions read as an option.
            let option = self.task.is_none() && !self.ordered;
            self.task_items.push(text_of);
            self.last_numbered = self.task.is_none() && !option;
        } else if !text_of.is_empty() {
            self.prose_pos.get_or_insert(at);
            self.prose.push_str(&format!("- {text_of}\n"));
        }
        self.item_text.clear();
        self.task = None;
    }

    /// A paragraph (not an item's) starts.
    fn paragraph_start(&mut self, at: Pos) {
        self.paragraph.clear();
        if !self.descriptive {
            self.prose_pos.get_or_insert(at);
        }
    }

    /// A paragraph (not an item's) read.
    fn paragraph_end(&mut self) {
        // A quoted paragraph (a warning, a note) keeps its `>`.
        let quoted = if self.quote > 0 {
            self.paragraph
                .trim()
                .lines()
                .map(|l| format!("> {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            self.paragraph.trim().to_string()
        };
        let p = quoted.as_str();
        if !p.is_empty() && !super::toc::toc_marker(p) {
            if self.descriptive
                || (self.d.steps.is_empty() && self.heading.as_deref() == Some(&self.d.title))
            {
                if !self.d.description.is_empty() {
                    self.d.description.push_str("\n\n");
                }
                if self.descriptive {
                    self.describe_heading();
                }
                self.d.description.push_str(p);
            } else {
                self.prose.push_str(p);
                self.prose.push_str("\n\n");
            }
        }
        self.paragraph.clear();
    }

    /// An HTML block read: a placeholder on a line of its own (`<POD_NAME>`) is text; any
    /// other block is kept as the text it shows ([`super::html::text_of`]), said; one that
    /// shows nothing (a comment) is left out, said.
    fn html_block_end(&mut self, block: &str, at: Pos) {
        if placeholder_tag(block.trim()) {
            self.push_text(block.trim());
            return;
        }
        let text = super::html::text_of(block);
        if text.is_empty() {
            self.html(block, at);
            return;
        }
        let first = block.trim().lines().next().unwrap_or("");
        let what = format!("HTML kept as the text it shows: {first}");
        self.prose_notes.push(format!("{at}: left as text: {what}"));
        self.d.left.push((at, what));
        if self.in_item > 0 {
            if !self.item_text.is_empty() {
                self.item_text.push_str("\n\n");
            }
            self.item_text.push_str(&text);
        } else if let Some(cell) = self.table.as_mut() {
            cell.push_str(&text);
        } else {
            self.paragraph_start(at);
            self.paragraph = text;
            self.paragraph_end();
        }
    }

    /// HTML: left out, said.
    fn html(&mut self, h: &str, at: Pos) {
        let what = format!("HTML left out: {}", h.trim());
        self.prose_notes.push(format!("{at}: left as text: {what}"));
        self.d.left.push((at, what));
    }
}

/// What is guessed of a page named only by its front matter.
const FRONT_TITLE: &str = "the front matter's `title:` is the title";

/// The elements of HTML a page may write (`<details>`, `<br>`, `<kbd>`): any other
/// `<word …>` with no attribute is a placeholder.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "option",
    "p",
    "path",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Whether what pulldown-cmark read as an HTML tag is a placeholder of the page:
/// `<project id>`, `<NAMESPACE>`, `<pvc-name>` (no attribute, no closing slash, not an
/// element of HTML).
fn placeholder_tag(h: &str) -> bool {
    let Some(inner) = h.trim().strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let first = inner.split_whitespace().next().unwrap_or("");
    !first.is_empty()
        && first.starts_with(|c: char| c.is_ascii_alphabetic())
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
        && !HTML_ELEMENTS.contains(&first.to_ascii_lowercase().as_str())
}

/// Whether a list item's text names an option (`Option B: …`, `**Option 2** — …`).
fn names_an_option(text: &str) -> bool {
    // (`**Option 2**`, Jira's bold `*Option 2*`.)
    let t = text.trim_start().trim_start_matches('*').to_lowercase();
    ["option ", "alternative "]
        .iter()
        .chain(super::courses::OTHER_OPTIONS)
        .any(|w| t.starts_with(w))
}
