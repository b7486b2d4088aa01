//! The state of the walk over a page's events ([`Reader`]), and what it does with the text
//! read so far: prose into a step or the description, a list's items into a checklist.
//! The events themselves are read in `walk.rs`, code blocks in `block.rs` (and
//! `shell_block.rs`).

use super::draft::{Draft, Step};
use super::pos::{Lines, Pos};
use pulldown_cmark::HeadingLevel;

/// The walk over a page: the [`Draft`] being built, and what has been read since the last
/// step was made.
pub(super) struct Reader<'a> {
    pub(super) text: &'a str,
    pub(super) lines: Lines<'a>,
    pub(super) d: Draft,
    pub(super) heading: Option<String>,
    pub(super) heading_pos: Pos,
    pub(super) in_heading: Option<(HeadingLevel, String)>,
    // Prose gathered since the last step: it becomes the next step's instructions, or the
    // description before any step. `prose_notes`: what was left out of it, for that step.
    pub(super) prose: String,
    pub(super) prose_pos: Option<Pos>,
    pub(super) prose_notes: Vec<String>,
    pub(super) paragraph: String,
    pub(super) in_code: Option<(String, Pos)>,
    /// The code block being read is an indented one, not a fence.
    pub(super) indented_code: bool,
    pub(super) code: String,
    pub(super) task_items: Vec<String>,
    // The last of `task_items` is a numbered item with no command of its own (not a task).
    pub(super) last_numbered: bool,
    pub(super) item_text: String,
    pub(super) in_item: usize,
    pub(super) task: Option<bool>,
    // The list item being read made a step of its own (its text is that step's).
    pub(super) item_used: bool,
    /// How much of the item's text a step has taken (the rest, a last sub-item "- If
    /// neither applies, escalate", goes on as prose rather than be lost).
    pub(super) item_taken: usize,
    pub(super) descriptive: bool,
    // A table being read (its Markdown so far), the cell being read, cells in its row.
    pub(super) table: Option<String>,
    pub(super) cell: String,
    pub(super) cells: usize,
    // How deep in block quotes the text being read is.
    pub(super) quote: usize,
    // The list being read (at the top level) is numbered.
    pub(super) ordered: bool,
    /// The lists being read inside an item, innermost last: whether each is numbered (a
    /// numbered sub-item's command is a step of its own).
    pub(super) nested_lists: Vec<bool>,
    /// The number of the top-level numbered item being read, and of the next one.
    pub(super) item_number: Option<u64>,
    pub(super) next_number: Option<u64>,
    /// How many top-level list items the page has had so far (the one being read
    /// included): which item a step stands in.
    pub(super) items_read: usize,
    // The descriptive section whose heading the description holds already.
    pub(super) described: Option<String>,
    // Whether a fence closed the last step (consecutive fences under one heading join it).
    pub(super) joinable: bool,
    /// The last block made a step was tagged (`bash`, `console`): an untagged block of names
    /// right after it is its output.
    pub(super) last_tagged: bool,
    /// Where the last paragraph of the list item being read starts in its text.
    pub(super) item_paragraph: usize,
    // The address of the link being read, and where its text starts in its buffer.
    pub(super) link: Option<(String, usize)>,
    // The page's front matter (`---` … `---` at its top) being read, and where it starts.
    pub(super) front: Option<(String, Pos)>,
    /// The HTML block being read, and where it starts.
    pub(super) html_block: Option<(String, Pos)>,
    /// The title came from the front matter's `title:` (said there): a `# ` heading that
    /// opens the page names it instead.
    pub(super) front_title: Option<Pos>,
    // Steps made so far that know their section.
    pub(super) marked: usize,
    /// A shell the page opened elsewhere (`ssh host`, `kubectl exec -it … -- bash`), which
    /// the blocks headed "Inside the pod" after it are typed in.
    pub(super) session: Option<super::session::Session>,
    /// The course that leads into the steps being read (an "If …:" paragraph before the
    /// top-level list being read, a `<details>` whose summary is one): (its serial, its
    /// label, the first step made since, whether the list's end closes it). See
    /// [`Step::led`].
    pub(super) lead: Option<(usize, String, usize, bool)>,
    /// How many such courses the page has had so far.
    pub(super) leads: usize,
    /// Where the paragraph being read starts.
    pub(super) paragraph_pos: Pos,
    /// The level of the last heading of the page read (0 before any).
    pub(super) real_level: u8,
    /// The paragraphs of steps (`**Step 1** …`, see `step_paragraphs.rs`) read under the
    /// heading being read: (that heading's level, theirs).
    pub(super) step_level: Option<(u8, u8)>,
    /// The heading being read is a step's paragraph (or the paragraph being read is an HTML
    /// block's text, never one).
    pub(super) pseudo_heading: bool,
    /// The lines read as the end of a fence never closed ([`super::fences`]), said at the
    /// block they end.
    pub(super) fence_ends: Vec<(Pos, String)>,
    /// A host a step logged in to (`ssh bastion` alone) and where, not left since (no
    /// `exit`): the blocks after it, also in later sections, may be meant for it.
    pub(super) logged_in: Option<(String, Pos)>,
}

impl<'a> Reader<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Reader {
            text,
            lines: Lines::new(text),
            d: Draft::default(),
            heading: None,
            heading_pos: Pos { line: 1, col: 1 },
            in_heading: None,
            prose: String::new(),
            prose_pos: None,
            prose_notes: Vec::new(),
            paragraph: String::new(),
            in_code: None,
            indented_code: false,
            code: String::new(),
            task_items: Vec::new(),
            last_numbered: false,
            item_text: String::new(),
            in_item: 0,
            task: None,
            item_used: false,
            item_taken: 0,
            descriptive: false,
            table: None,
            cell: String::new(),
            cells: 0,
            quote: 0,
            ordered: false,
            nested_lists: Vec::new(),
            item_number: None,
            next_number: None,
            items_read: 0,
            described: None,
            joinable: false,
            last_tagged: false,
            item_paragraph: 0,
            link: None,
            front: None,
            html_block: None,
            front_title: None,
            marked: 0,
            session: None,
            lead: None,
            leads: 0,
            paragraph_pos: Pos { line: 1, col: 1 },
            real_level: 0,
            step_level: None,
            pseudo_heading: false,
            fence_ends: Vec::new(),
            logged_in: None,
        }
    }

    /// The steps made since the last call are under the last heading read.
    pub(super) fn mark(&mut self) {
        let section = self.d.sections.len().checked_sub(1);
        let from = self.marked.min(self.d.steps.len());
        for s in &mut self.d.steps[from..] {
            s.section = section;
        }
        self.marked = self.d.steps.len();
    }

    /// Text read outside code: to the heading, the list item or the paragraph being read.
    pub(super) fn push_text(&mut self, t: &str) {
        if let Some((_, h)) = &mut self.in_heading {
            h.push_str(t);
        } else if self.in_item > 0 {
            self.item_text.push_str(t);
        } else {
            self.paragraph.push_str(t);
        }
    }

    /// The prose and current item text, taken for a step's instructions.
    pub(super) fn take(&mut self) -> String {
        let mut out = std::mem::take(&mut self.prose).trim().to_string();
        if self.in_item > 0 && !self.item_text.trim().is_empty() {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(self.item_text.trim());
            self.item_taken = self.item_text.len();
        }
        self.paragraph.clear();
        out
    }

    /// The prose read so far as a step of its own, titled by its heading.
    pub(super) fn flush_prose(&mut self) {
        let pos = self.prose_pos.take();
        let text = std::mem::take(&mut self.prose).trim().to_string();
        if text.is_empty() {
            return;
        }
        self.d.steps.push(Step {
            title: self.heading.as_deref().unwrap_or("Read this").to_string(),
            instructions: text,
            notes: std::mem::take(&mut self.prose_notes),
            pos: pos.unwrap_or(Pos { line: 1, col: 1 }),
            ..Step::default()
        });
    }

    /// The checklist items read so far as a step; the prose before them is its instructions.
    pub(super) fn flush_tasks(&mut self) {
        let Reader {
            d,
            task_items: items,
            prose,
            prose_notes: notes,
            heading,
            heading_pos: pos,
            ..
        } = self;
        let (heading, pos) = (heading.as_deref(), *pos);
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
            // (The items of a list at the top level, as the commands of its items are.)
            depth: 1,
            ..Step::default()
        });
    }

    /// The page's own headings (Meaning, Impact) stay in the description, so that it reads like
    /// the page: written before the first text of each.
    pub(super) fn describe_heading(&mut self) {
        let d = &mut self.d;
        if let Some(h) = &self.heading
            && self.described.as_ref() != Some(h)
        {
            if !d.description.is_empty() && !d.description.ends_with("\n\n") {
                d.description.push_str(if d.description.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            d.description.push_str(&format!("## {h}\n\n"));
            self.described = Some(h.clone());
        }
    }
}

/// Whether a code block's source is fenced (it starts with ``` or ~~~), not indented.
pub(super) fn fenced(source: &str) -> bool {
    let t = source.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Whether the text at `range` is inline code (its first byte is a backtick).
pub(super) fn event_kind(text: &str, range: &std::ops::Range<usize>) -> Option<char> {
    text.get(range.start..)?.chars().next()
}

/// A block of text as a fence in instructions.
pub(super) fn fence(code: &str, lang: &str) -> String {
    let ticks = if code.contains("```") { "````" } else { "```" };
    format!(
        "{ticks}{lang}\n{}\n{ticks}\n\n",
        code.trim_end_matches('\n')
    )
}
