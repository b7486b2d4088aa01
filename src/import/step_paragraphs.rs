//! Notion's and Confluence's steps written as bold paragraphs, `**Step 1** Find the pod` or
//! `**Step 2: Work out why**`: headings of the page's steps, read as `### Step 1: Find the
//! pod` is (audit 39 I-14 found the first in the description, the last swallowed by the
//! option before it, whose siblings then skipped the verification it holds).

use super::pos::Pos;
use super::reader::Reader;
use pulldown_cmark::HeadingLevel;

/// `**Step 1** Find the pod`, `**Step 2:** Work out why`, `**Step 3: Verify**` → `Step 1:
/// Find the pod` (what a heading `### Step 1: Find the pod` reads as). `None` for any other
/// paragraph (a step with no title, `**Step 3**` alone, included).
pub(super) fn step_paragraph(paragraph: &str) -> Option<String> {
    static STEP: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^\*\*(?i:step)\s+(\d{1,3})\s*[:.)—–-]?\s*(?:\*\*\s*[:.—–-]?\s*([^*\n][^\n]*?)|([^*\n][^\n]*?)\s*\*\*)\s*$",
        )
        .ok()
    });
    let c = STEP.as_ref()?.captures(paragraph.trim())?;
    let n = c.get(1)?.as_str();
    let title = c.get(2).or_else(|| c.get(3))?.as_str().trim();
    let title = title.trim_end_matches(['.', ':']).trim();
    (!title.is_empty() && title.chars().count() <= 120).then(|| format!("Step {n}: {title}"))
}

impl Reader<'_> {
    /// A paragraph read that is a step's heading ([`step_paragraph`]): made a heading one
    /// level below the page's heading it stands under (the level of the first such
    /// paragraph there, for the others: `### If …` sections after one stand in it). Whether
    /// it was.
    pub(super) fn step_paragraph_end(&mut self, at: Pos) -> bool {
        if self.quote > 0 || self.in_item > 0 || self.descriptive || self.pseudo_heading {
            return false;
        }
        let Some(title) = step_paragraph(&self.paragraph) else {
            return false;
        };
        let level = match self.step_level {
            Some((_, level)) => level,
            None => {
                let level = (self.real_level + 1).clamp(2, 6);
                self.step_level = Some((self.real_level, level));
                level
            }
        };
        let Ok(heading) = HeadingLevel::try_from(usize::from(level)) else {
            return false;
        };
        self.paragraph.clear();
        // (The paragraph's start is no prose's.)
        if self.prose.trim().is_empty() {
            self.prose_pos = None;
        }
        self.heading_start(heading, at);
        self.in_heading = Some((heading, title));
        self.pseudo_heading = true;
        self.heading_end();
        self.pseudo_heading = false;
        true
    }

    /// A heading of the page read (not a step's paragraph): the paragraphs of steps after
    /// it stand in it, unless it is deeper than the one they stood in.
    pub(super) fn real_heading(&mut self, level: u8) {
        if self.pseudo_heading {
            return;
        }
        self.real_level = level;
        if self.step_level.is_some_and(|(parent, _)| level <= parent) {
            self.step_level = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::step_paragraph;

    #[test]
    fn bold_step_paragraphs_are_headings() {
        for (text, heading) in [
            (
                "**Step 1** Find the pod that is not ready",
                "Step 1: Find the pod that is not ready",
            ),
            ("**Step 2: Work out why**", "Step 2: Work out why"),
            ("**Step 3:** Verify", "Step 3: Verify"),
            ("**Step 4.** Roll back.", "Step 4: Roll back"),
            (
                "**step 5** — Close the incident",
                "Step 5: Close the incident",
            ),
        ] {
            assert_eq!(step_paragraph(text).as_deref(), Some(heading), "{text}");
        }
        for text in [
            "**Step 3**",
            "Step 1 Find the pod",
            "**Step 1** Find the pod\nthen describe it",
            "**Note** Step 1 is optional",
            "**Steps** to follow",
        ] {
            assert_eq!(step_paragraph(text), None, "{text}");
        }
    }
}
