//! List items and paragraphs of the page's prose, read into the [`Reader`]'s state: an
//! item's text to the step its command makes, a checklist or the prose (the events come
//! from `walk.rs`).

use super::pos::Pos;
use super::reader::Reader;

impl Reader<'_> {
    /// A list item starts.
    pub(super) fn item_start(&mut self) {
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
    pub(super) fn item_paragraph_start(&mut self) {
        if !self.item_text.is_empty() && !self.item_text.ends_with(char::is_whitespace) {
            self.item_text.push(' ');
        }
        self.item_paragraph = self.item_text.len();
    }

    /// A list (at the top level) starts: after a paragraph alone on its line that names a
    /// course ("If a node left the cluster:", "Otherwise:"), the list's steps are that
    /// course (audit 39 I-20 found the steps of both courses run in a row).
    pub(super) fn list_start(&mut self) {
        let last = self.prose.trim_end().rsplit("\n\n").next().unwrap_or("");
        if self.lead.is_none()
            && let Some(label) = leading_course(last)
        {
            self.open_lead(label, true);
        }
    }

    /// A list (at the top level) read.
    pub(super) fn list_end(&mut self) {
        // A paragraph after a list is a paragraph of its own.
        if self.prose.ends_with('\n') && !self.prose.ends_with("\n\n") {
            self.prose.push('\n');
        }
        self.flush_tasks();
        if self.lead.as_ref().is_some_and(|l| l.3) {
            self.close_lead();
        }
    }

    /// A course starts that names the steps read until [`Reader::close_lead`] (`by_list`:
    /// the end of the list being read closes it).
    pub(super) fn open_lead(&mut self, label: String, by_list: bool) {
        self.leads += 1;
        self.lead = Some((self.leads, label, self.d.steps.len(), by_list));
    }

    /// The course opened by [`Reader::open_lead`] ends: the steps made since are its
    /// ([`super::draft::Step::led`]); a block after it is no longer joined to them.
    pub(super) fn close_lead(&mut self) {
        if let Some((serial, label, from, _)) = self.lead.take() {
            for s in self.d.steps.iter_mut().skip(from) {
                s.led = Some((serial, label.clone()));
            }
            self.joinable = false;
        }
    }

    /// A list item (at the top level) read: where its text goes.
    pub(super) fn item_end(&mut self, at: Pos) {
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
    pub(super) fn paragraph_start(&mut self, at: Pos) {
        self.paragraph.clear();
        self.paragraph_pos = at;
        if !self.descriptive {
            self.prose_pos.get_or_insert(at);
        }
    }

    /// A paragraph (not an item's) read.
    pub(super) fn paragraph_end(&mut self) {
        if self.step_paragraph_end(self.paragraph_pos) {
            return;
        }
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
}

/// A paragraph alone on its line, ending with a colon, that names a course ("If a node
/// left the cluster:", "**Otherwise:**", "On Kubernetes:"): its label.
pub(super) fn leading_course(paragraph: &str) -> Option<String> {
    let p = paragraph.trim();
    if p.contains('\n') || p.starts_with('>') || p.chars().count() > 160 {
        return None;
    }
    let label = p
        .trim_matches('*')
        .trim_end_matches(':')
        .trim_end_matches('*')
        .trim_end_matches(':')
        .trim();
    (p.trim_end_matches('*').ends_with(':') && super::decisions::either_or(label))
        .then(|| label.to_string())
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

#[cfg(test)]
mod tests {
    use super::leading_course;

    /// Audit 39 I-20: the paragraph before a list that names the course its steps are.
    #[test]
    fn a_paragraph_before_a_list_names_its_course() {
        for (text, label) in [
            ("If a node left the cluster:", "If a node left the cluster"),
            ("Otherwise:", "Otherwise"),
            ("**If the index is red:**", "If the index is red"),
            ("On Kubernetes:", "On Kubernetes"),
        ] {
            assert_eq!(leading_course(text).as_deref(), Some(label), "{text}");
        }
        for text in [
            "Check the node:",
            "If a node left the cluster, restart it.",
            "> If the note says so:",
            "If a node left:\nthen",
        ] {
            assert_eq!(leading_course(text), None, "{text}");
        }
    }
}
