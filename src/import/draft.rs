//! What the importer found: the [`Draft`], its [`Step`]s and [`Input`]s.

use super::pos::Pos;
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
    /// The lines of the headings that stand for content tabs (`=== "Omnibus"`): the tabs of
    /// one set are alternatives.
    pub tabs: std::collections::BTreeSet<usize>,
    /// The runbook made of the page would be larger than a runbook may be (found before it
    /// was all made).
    pub too_large: bool,
    /// The page asks for more inputs than a runbook made of one page may ask for
    /// ([`MAX_INPUTS`]): how many (the draft was left unfinished).
    pub too_many_inputs: Option<usize>,
    /// More links than a draft lists were found (said once, in `left`).
    pub links_cut: bool,
}

/// The most inputs a draft may ask for: past them, the page is a program's output (20,000
/// sections each with its own `<P_i>` or `export V_i=`), and giving each export to the steps
/// after it costs the square of the page (audit 41 I41-14 found such a page run for
/// minutes). The import stops before that, said.
pub const MAX_INPUTS: usize = 5000;

/// The description of an input made of the page's `<RAW>` placeholder (which `show --format
/// md` and titles read back with [`placeholder_of`]).
pub fn placeholder_description(raw: &str) -> String {
    if raw.starts_with("{{") {
        format!("The value of {raw} on the page")
    } else {
        format!("The value of <{raw}> on the page")
    }
}

/// The page's placeholder an input or an `ask` was made of, as the page wrote it, from its
/// description or prompt (`The value of <DR_DB> on the page` → `<DR_DB>`, `The value of
/// {{namespace}} on the page` → `{{namespace}}`).
pub fn placeholder_of(description: &str) -> Option<&str> {
    description
        .strip_prefix("The value of ")
        .and_then(|d| d.strip_suffix(" on the page"))
        .filter(|w| {
            (w.starts_with('<') && w.ends_with('>')) || (w.starts_with("{{") && w.ends_with("}}"))
        })
}

#[derive(Debug, Default, Clone)]
pub struct Input {
    pub description: String,
    /// The value the page gave it (`export VAR=value`).
    pub default: Option<String>,
    /// Where it first appears in the source.
    pub pos: Pos,
    /// A placeholder named like a credential (`<db-password>`, `<UNSEAL_KEY_1>`): a secret
    /// input, given to the commands in this variable of the environment.
    pub secret_env: Option<String>,
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
    /// The decision's `var:`, whose value is the number of the option taken (`"1"`, `"2"`):
    /// set where a variable the page exports differs by branch, which the steps after the
    /// branches join are given by it.
    pub choose_var: Option<String>,
    /// The decision's own prompt, when not "Which of these applies?".
    pub choose_prompt: Option<String>,
    /// The decision's `default:` (1-based), the option `--yes` takes: set where one option
    /// is the safe one (a Rollback section's "no rollback").
    pub choose_default: Option<usize>,
    /// `env:` of the step: the page's `export VAR=…` from the step that exports it on.
    pub env: Vec<(String, String)>,
    /// How deep in lists the block that made it stands (0 outside a list).
    pub depth: usize,
    /// The items around the item that made it, outermost first (`1. Check the primary:`,
    /// `- If the primary is down:`): sibling courses share them.
    pub parents: Vec<String>,
    /// A decision made of courses nested under an item that names a course of its own
    /// (`- If the primary is down:` over "- If a replica is in sync…", "- Otherwise…"):
    /// that item's text, and how many steps its branch holds from the decision on.
    pub lifted: Option<(String, usize)>,
    /// Values asked in this step before its command (`ask:`): (var, prompt). A placeholder
    /// that only the steps of one option of a decision use is asked where that option first
    /// needs it, not of every operator before the run starts.
    pub asks: Vec<(String, String)>,
    /// The number of the numbered item (at the top level) the step stands in, `3` for a
    /// command under `3. Watch the error rate`: where "skip to step 3" leads.
    pub item: Option<u64>,
    /// The top-level list item the step stands in: its number among the page's top-level
    /// items (steps of one item share it) and its first line (`- If the consumer pods are
    /// crashing:`), which may name the course its sub-items' steps are.
    pub top_item: Option<(usize, String)>,
    /// The course that what leads into the step names: an "If a node left the cluster:"
    /// paragraph right before the list the step stands in, a `<details>` whose summary is
    /// "If the drain hangs on a pod": (its serial on the page, its label). The steps of one
    /// share it, and are that course ([`super::item_courses::led_courses`]).
    pub led: Option<(usize, String)>,
}

impl Draft {
    /// The guesses in the order of the page (by line, then column), as a reader goes
    /// through them: each pass of the importer adds its own, in its own order.
    pub fn sort_guesses(&mut self) {
        self.guesses.sort_by_key(|(pos, _)| *pos);
    }

    /// Where the walk goes from each step (by index): a decision's options, a `next:`, or
    /// the step after it; none after the last step or a `next:` to `end`.
    pub fn successors(&self) -> Vec<Vec<usize>> {
        let index: std::collections::HashMap<&str, usize> = self
            .steps
            .iter()
            .enumerate()
            .map(|(k, s)| (s.id.as_str(), k))
            .collect();
        self.steps
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
                    (k + 1 < self.steps.len())
                        .then_some(k + 1)
                        .into_iter()
                        .collect()
                }
            })
            .collect()
    }

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
