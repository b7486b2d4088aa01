//! The walk over a page's pulldown-cmark events ([`read`]): each group of events read into
//! the [`Reader`]'s state. Here the front matter, headings and HTML; links, tables,
//! emphasis and text in `inline.rs`; list items and paragraphs in `lists.rs`; code blocks
//! in `block.rs`.

use super::draft::Draft;
use super::html::placeholder_tag;
use super::pos::Pos;
use super::reader::Reader;
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

/// Reads a page's events into a draft (before the passes over the whole draft).
/// `shifts`: the columns removed from the start of each line before (see [`super::tabs`]);
/// `fence_ends`: the lines read as the end of a fence never closed ([`super::fences`]).
pub(super) fn read(text: &str, shifts: Vec<usize>, fence_ends: Vec<(Pos, String)>) -> Draft {
    let mut r = Reader::new(text);
    r.lines.shift(shifts);
    r.fence_ends = fence_ends;
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
                self.list_start();
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
        // (A fence end no block was read at, in HTML the page shows as text: said still.)
        self.d.guesses.append(&mut self.fence_ends);
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
    pub(super) fn heading_start(&mut self, level: HeadingLevel, at: Pos) {
        self.last_numbered = false;
        self.flush_tasks();
        self.in_heading = Some((level, String::new()));
        self.heading_pos = at;
    }

    /// A heading read: the title, or a section (the prose before it a step).
    pub(super) fn heading_end(&mut self) {
        if let Some((level, title)) = self.in_heading.take() {
            self.real_heading(level as u8);
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

    /// An HTML block read: a placeholder on a line of its own (`<POD_NAME>`) is text; any
    /// other block is kept as the text it shows ([`super::html::text_of`]), said; one that
    /// shows nothing (a comment) is left out, said.
    fn html_block_end(&mut self, block: &str, at: Pos) {
        self.details(block);
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
            // (HTML's text is no bold step paragraph of the page: `<h3>Step 1: …</h3>`
            // stays the text it shows.)
            self.pseudo_heading = true;
            self.paragraph_end();
            self.pseudo_heading = false;
        }
    }

    /// A `<details>` whose summary names a condition opens a course ([`Reader::open_lead`],
    /// its summary the first line of the text that follows); its `</details>` closes it,
    /// the text read inside it made a step of it first.
    fn details(&mut self, h: &str) {
        if super::html::closes_details(h) && self.lead.as_ref().is_some_and(|l| !l.3) {
            self.flush_tasks();
            if !self.prose.trim().is_empty() {
                self.flush_prose();
            }
            self.close_lead();
        } else if self.lead.is_none()
            && self.in_item == 0
            && let Some(label) = super::html::details_condition(h)
        {
            self.open_lead(label, false);
        }
    }

    /// HTML: left out, said.
    fn html(&mut self, h: &str, at: Pos) {
        self.details(h);
        let what = format!("HTML left out: {}", h.trim());
        self.prose_notes.push(format!("{at}: left as text: {what}"));
        self.d.left.push((at, what));
    }
}

/// What is guessed of a page named only by its front matter.
const FRONT_TITLE: &str = "the front matter's `title:` is the title";
