//! Markdown (`instructions`, `description`) as the engineer reads it in a terminal: parsed by
//! pulldown-cmark (CommonMark, with tables and task lists), then laid out at the screen's
//! width: paragraphs and list items wrapped with a hanging indent, nested lists indented,
//! tables as aligned columns (or one `header: value` line per cell when they do not fit),
//! reference-style links resolved (`text (url)`), code in cyan, bold and emphasis kept.

use console::Style;
use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The lines of `text` laid out within `width` columns (without the screen's own indent).
pub fn lines(text: &str, width: usize, unicode: bool) -> Vec<String> {
    let mut r = Renderer {
        width: width.max(20),
        unicode,
        out: Vec::new(),
        inline: String::new(),
        lists: Vec::new(),
        item_first: false,
        quote: 0,
        code: None,
        table: None,
        link: Vec::new(),
        styles: Vec::new(),
    };
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(text, options) {
        r.event(event);
    }
    r.flush();
    while r.out.last().is_some_and(|l| l.trim().is_empty()) {
        r.out.pop();
    }
    while r.out.first().is_some_and(|l| l.trim().is_empty()) {
        r.out.remove(0);
    }
    r.out
}

struct Table {
    alignments: Vec<Alignment>,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

struct Renderer {
    width: usize,
    unicode: bool,
    out: Vec<String>,
    /// The inline text of the block being read, styled.
    inline: String,
    /// The lists we are in: the next number of an ordered one, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// The next text starts a list item (its marker goes on its first line).
    item_first: bool,
    quote: usize,
    /// Inside a code block: its lines so far.
    code: Option<String>,
    table: Option<Table>,
    /// The destinations of the links being read.
    link: Vec<String>,
    /// The styles open around the inline text: bold, emphasis, strikethrough.
    styles: Vec<Style>,
}

impl Renderer {
    fn indent(&self) -> String {
        let quote = if self.unicode { "│ " } else { "| " };
        let mut s = quote.repeat(self.quote);
        s.push_str(&" ".repeat(self.lists.len().saturating_sub(1) * 3));
        s
    }

    fn push_text(&mut self, text: &str) {
        if let Some(table) = &mut self.table {
            table.cell.push_str(text);
            return;
        }
        let styled = self
            .styles
            .iter()
            .fold(text.to_string(), |t, s| s.apply_to(t).to_string());
        self.inline.push_str(&styled);
    }

    /// Writes the inline text read so far as a wrapped paragraph (or list item).
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.inline);
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let indent = self.indent();
        let (first, rest) = if self.item_first && !self.lists.is_empty() {
            self.item_first = false;
            let marker = match self.lists.last_mut() {
                Some(Some(n)) => {
                    let m = format!("{n}.");
                    *n += 1;
                    m
                }
                _ => (if self.unicode { "•" } else { "-" }).to_string(),
            };
            let hang = " ".repeat(console::measure_text_width(&marker) + 1);
            (format!("{indent}{marker} "), format!("{indent}{hang}"))
        } else if !self.lists.is_empty() {
            let hang = "   ".to_string();
            (format!("{indent}{hang}"), format!("{indent}{hang}"))
        } else {
            (indent.clone(), indent)
        };
        let options = textwrap::Options::new(self.width)
            .initial_indent(&first)
            .subsequent_indent(&rest);
        for line in textwrap::wrap(text, options) {
            self.out.push(line.into_owned());
        }
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.trim().is_empty()) {
            self.out.push(String::new());
        }
    }

    fn event(&mut self, event: Event) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let code = self.code.take().unwrap_or_default();
                    let indent = format!("{}  ", self.indent());
                    let style = Style::new().cyan().for_stderr();
                    for line in code.trim_end_matches('\n').lines() {
                        self.out.push(format!("{indent}{}", style.apply_to(line)));
                    }
                    self.blank();
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            Event::Start(Tag::Heading { .. }) => self.flush(),
            Event::End(TagEnd::Heading(level)) => {
                let text = std::mem::take(&mut self.inline);
                let style = Style::new().bold().for_stderr();
                let style = if level <= HeadingLevel::H2 {
                    style.underlined()
                } else {
                    style
                };
                let indent = self.indent();
                self.out
                    .push(format!("{indent}{}", style.apply_to(text.trim())));
                self.blank();
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quote += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            Event::Start(Tag::CodeBlock(_)) => {
                self.flush();
                self.code = Some(String::new());
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            Event::Start(Tag::Item) => {
                self.flush();
                self.item_first = true;
            }
            Event::End(TagEnd::Item) => self.flush(),
            Event::TaskListMarker(done) => {
                let mark = match (done, self.unicode) {
                    (true, true) => "☑ ",
                    (false, true) => "☐ ",
                    (true, false) => "[x] ",
                    (false, false) => "[ ] ",
                };
                self.push_text(mark);
            }
            Event::Start(Tag::Strong) => self.styles.push(Style::new().bold().for_stderr()),
            Event::Start(Tag::Emphasis) => self.styles.push(Style::new().italic().for_stderr()),
            Event::Start(Tag::Strikethrough) => {
                self.styles.push(Style::new().strikethrough().for_stderr())
            }
            Event::End(TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough) => {
                self.styles.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => self.link.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = self.link.pop() {
                    // The link's text is what was read since it opened; show the address
                    // after it unless the text is the address.
                    if !self.inline.ends_with(url.as_str())
                        && !self
                            .table
                            .as_ref()
                            .is_some_and(|t| t.cell.ends_with(url.as_str()))
                    {
                        self.push_text(&format!(" ({url})"));
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.push_text("[image: ");
                self.link.push(dest_url.to_string());
            }
            Event::End(TagEnd::Image) => {
                if let Some(url) = self.link.pop() {
                    self.push_text(&format!(" ({url})]"));
                }
            }
            Event::Code(code) => {
                let styled = Style::new()
                    .cyan()
                    .for_stderr()
                    .apply_to(&*code)
                    .to_string();
                match &mut self.table {
                    Some(table) => table.cell.push_str(&code),
                    None => self.inline.push_str(&styled),
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => self.push_text(&t),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => {
                self.flush();
            }
            Event::Rule => {
                self.flush();
                let rule = if self.unicode { "─" } else { "-" };
                self.out.push(rule.repeat(self.width.min(40)));
                self.blank();
            }
            Event::Start(Tag::Table(alignments)) => {
                self.flush();
                self.table = Some(Table {
                    alignments,
                    rows: Vec::new(),
                    row: Vec::new(),
                    cell: String::new(),
                });
            }
            Event::End(TagEnd::TableCell) => {
                if let Some(t) = &mut self.table {
                    let cell = std::mem::take(&mut t.cell);
                    t.row.push(cell.trim().to_string());
                }
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    self.table_lines(&t);
                    self.blank();
                }
            }
            Event::FootnoteReference(name) => self.push_text(&format!("[{name}]")),
            _ => {}
        }
    }

    /// A table: aligned columns under a bold header when it fits the width, else each row as
    /// `header: value` lines.
    fn table_lines(&mut self, t: &Table) {
        let Some((head, body)) = t.rows.split_first() else {
            return;
        };
        let columns = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        let width_of = |s: &str| console::measure_text_width(s);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                t.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| width_of(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let indent = self.indent();
        let total = widths.iter().sum::<usize>() + 2 * columns.saturating_sub(1);
        let bold = Style::new().bold().for_stderr();
        if total + indent.len() <= self.width {
            let pad = |s: &str, c: usize| {
                let fill = widths[c].saturating_sub(width_of(s));
                match t.alignments.get(c) {
                    Some(Alignment::Right) => format!("{}{s}", " ".repeat(fill)),
                    Some(Alignment::Center) => {
                        format!("{}{s}{}", " ".repeat(fill / 2), " ".repeat(fill - fill / 2))
                    }
                    _ => format!("{s}{}", " ".repeat(fill)),
                }
            };
            let row_line = |row: &[String]| {
                (0..columns)
                    .map(|c| pad(row.get(c).map_or("", String::as_str), c))
                    .collect::<Vec<_>>()
                    .join("  ")
                    .trim_end()
                    .to_string()
            };
            self.out
                .push(format!("{indent}{}", bold.apply_to(row_line(head))));
            let rule = if self.unicode { "─" } else { "-" };
            self.out.push(format!("{indent}{}", rule.repeat(total)));
            for row in body {
                self.out.push(format!("{indent}{}", row_line(row)));
            }
        } else {
            for (n, row) in body.iter().enumerate() {
                if n > 0 {
                    self.out.push(String::new());
                }
                for (c, cell) in row.iter().enumerate() {
                    let name = head.get(c).map_or("", String::as_str);
                    let first = format!("{indent}{}: ", bold.apply_to(name));
                    let rest = format!("{indent}  ");
                    let options = textwrap::Options::new(self.width)
                        .initial_indent(&first)
                        .subsequent_indent(&rest);
                    for line in textwrap::wrap(cell, options) {
                        self.out.push(line.into_owned());
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lines;

    fn plain(text: &str, width: usize) -> Vec<String> {
        console::set_colors_enabled_stderr(false);
        lines(text, width, true)
    }

    #[test]
    fn wrapped_list_items_keep_their_indent() {
        let text = "Steps:\n\n1. Open the dashboard and look at\n   the error rate of the last hour.\n2. Page the owner.\n- [ ] notify the channel\n";
        let out = plain(text, 30);
        assert_eq!(
            out,
            [
                "Steps:",
                "",
                "1. Open the dashboard and look",
                "   at the error rate of the",
                "   last hour.",
                "2. Page the owner.",
                "",
                "• ☐ notify the channel",
            ]
        );
    }

    #[test]
    fn tables_are_columns_or_rows() {
        let text = "| region | primary | lag |\n|---|---|--:|\n| eu | db-1 | 3 |\n| us-east | db-20 | 120 |\n";
        let out = plain(text, 80);
        assert_eq!(
            out,
            [
                "region   primary  lag",
                "─────────────────────",
                "eu       db-1       3",
                "us-east  db-20    120",
            ]
        );
        let narrow = plain(text, 20);
        assert_eq!(narrow[0], "region: eu");
        assert!(narrow.contains(&"lag: 120".to_string()), "{narrow:?}");
    }

    #[test]
    fn reference_links_are_resolved() {
        let text = "See the [dashboard][dash] and <https://status.example.com>.\n\n[dash]: https://grafana.example.com/d/db\n";
        let out = plain(text, 100);
        assert_eq!(
            out,
            [
                "See the dashboard (https://grafana.example.com/d/db) and https://status.example.com."
            ]
        );
    }

    #[test]
    fn code_headings_and_quotes() {
        let text =
            "# Check\n\nRun:\n\n```sh\nkubectl get pods\n```\n\n> Do not restart the primary.\n";
        let out = plain(text, 60);
        assert_eq!(
            out,
            [
                "Check",
                "",
                "Run:",
                "",
                "  kubectl get pods",
                "",
                "│ Do not restart the primary.",
            ]
        );
    }
}
