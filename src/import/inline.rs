//! Links, tables, bold and emphasis, and text of the page's prose, read into the
//! [`Reader`]'s state (the events come from `walk.rs`).

use super::draft::Draft;
use super::pos::Pos;
use super::reader::{Reader, event_kind};
use pulldown_cmark::{Event, Tag, TagEnd};

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

impl Reader<'_> {
    /// A link starts: its text is kept as Markdown.
    pub(super) fn link_start(&mut self, dest_url: &str) {
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
    pub(super) fn link_end(&mut self) {
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
    pub(super) fn cell_text(&mut self, t: &str, range: &std::ops::Range<usize>) {
        if matches!(event_kind(self.text, range), Some('`')) {
            // (A `|` in a code span of a table is written `\|` too: GFM reads it so there,
            // audit 14l L10 found `… \| sed …` cut at the pipe.)
            self.cell.push_str(&format!("`{}`", t.replace('|', "\\|")));
        } else {
            self.cell.push_str(&t.replace('|', "\\|"));
        }
    }

    /// The end of a table's cell.
    pub(super) fn cell_end(&mut self) {
        if let Some(t) = &mut self.table {
            t.push_str(&format!("| {} ", self.cell.trim()));
        }
        self.cell.clear();
        self.cells += 1;
    }

    /// The end of a table's head: its line of `|---|`.
    pub(super) fn table_head_end(&mut self) {
        if let Some(t) = &mut self.table {
            t.push_str(&format!("|\n{}|\n", "|---".repeat(self.cells)));
        }
        self.cells = 0;
    }

    /// The end of a table's row.
    pub(super) fn table_row_end(&mut self) {
        if let Some(t) = &mut self.table {
            t.push_str("|\n");
        }
        self.cells = 0;
    }

    /// A table read.
    pub(super) fn table_end(&mut self, at: Pos) {
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
    pub(super) fn emphasis(&mut self, event: &Event<'_>) {
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
    pub(super) fn text(&mut self, t: &str, range: &std::ops::Range<usize>) {
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
    pub(super) fn line_break(&mut self) {
        if self.in_item > 0 {
            self.item_text.push(' ');
        } else {
            self.paragraph.push('\n');
        }
    }
}
