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
//!
//! The files, one concern each: `draft.rs` the [`Draft`] and its [`Step`]s and [`Input`]s;
//! `pos.rs` places in the page ([`Pos`]); `walk.rs` the walk over the page's events into the
//! state `reader.rs` holds (its `Reader`: prose, items, checklists; links, tables and text
//! read in `inline.rs`, list items and paragraphs in `lists.rs`, `**Step 1** …` paragraphs
//! read as headings in `step_paragraphs.rs`), `block.rs` its
//! code blocks (a shell block's step made in `shell_block.rs`; what the sentence before a
//! block says it is, output or another program's input, in `announced.rs`), read as console transcripts (`transcript.rs`) or a file's contents shown,
//! not run (`contents.rs`), a command's output (`output.rs`), typed in a shell a command
//! opened elsewhere (`session.rs`), or said not to be run (`warnings.rs`), with placeholders
//! made inputs (`placeholders.rs`); zero-width and bidirectional characters taken out of a
//! shell block, its no-break spaces made spaces, each a guess (`invisible.rs`); an indented code block showing a fence read as that fence
//! (`indented_fence.rs`). Then passes over the whole draft: the page's shell variables and
//! exports (`variables.rs`, here-documents' lines never read as assignments, `heredocs.rs`; the exports given to the steps after them, `exports.rs`; a
//! variable set in one step and used in another, `carried.rs`), titles and ids (`titles.rs`), text holding another template
//! language (`templates.rs`), courses made decisions (`decisions.rs`, what both kinds share; `section_decisions.rs`,
//! sibling sections; `item_decisions.rs`, list items and bold paragraphs, which
//! `item_courses.rs` finds; two blocks that only read, `reads.rs`, are no courses), a
//! Rollback section
//! reached only when chosen (`rollback.rs`). `yaml.rs` writes the draft out.

mod announced;
mod asks;
mod block;
mod carried;
mod contents;
mod courses;
mod decisions;
mod draft;
mod export_env;
mod exports;
mod fences;
mod heredocs;
mod html;
mod indented_fence;
mod inline;
mod invisible;
pub mod irreversible;
mod item_courses;
mod item_decisions;
mod liquid;
mod lists;
mod located;
mod output;
mod output_lines;
mod placeholders;
mod pos;
mod reader;
mod reads;
mod rollback;
mod section_decisions;
mod session;
mod shell_block;
mod step_paragraphs;
mod tabs;
mod templates;
mod titles;
mod toc;
mod transcript;
mod variables;
mod walk;
mod warnings;
mod wiki;
pub mod yaml;

pub use draft::{Draft, Input, MAX_INPUTS, Step, placeholder_description, placeholder_of};
pub use pos::{Pos, pos_of, pos_of_bytes};

/// Reads a page. `stem`: the file's name, the title when the page has no heading.
pub fn import(text: &str, stem: &str) -> Draft {
    import_from(text, stem, &format!("{stem}.md"))
}

/// What stands for the page's name when it is read from standard input (`runbook import -`).
pub const STDIN: &str = "<stdin>";

/// Reads a page named `source` in the draft ([`STDIN`] for standard input, which has no
/// file name to make a title of).
pub fn import_from(text: &str, stem: &str, source: &str) -> Draft {
    // A byte order mark is no text of the page (and would hide its first heading).
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A page whose lines end in a carriage return alone (old Mac editors): read as lines,
    // as CommonMark reads them (audit 41 I41-15 found a closed fence read as never closed).
    let lines_of_cr;
    let text = if text.contains('\r') && !text.contains('\n') {
        lines_of_cr = text.replace('\r', "\n");
        lines_of_cr.as_str()
    } else {
        text
    };
    // Jira's and Confluence's wiki markup (`{code:bash}`, `h2.`), line for line.
    let unwikied = wiki::unwiki(text);
    // MkDocs' and GitLab's tabs and admonitions, as CommonMark reads what they show.
    // Jekyll's `{% raw %}` / `{% endraw %}` lines: the site's markup, left out.
    let (unliquid, liquid_left) = liquid::drop_raw(&unwikied.text);
    let unfolded = tabs::unfold(&unliquid);
    // A ```` ````bash ```` fence "closed" by a ```` ``` ```` line, closed there.
    let closed = fences::close_mismatched(&unfolded.text);
    let mut d = walk::read(&closed.text, unfolded.shifts, closed.guesses);
    d.tabs = unfolded.tabs;
    if !liquid_left.is_empty() {
        d.left.extend(liquid_left);
        d.left.sort_by_key(|(pos, _)| *pos);
    }
    d.guesses.extend(unwikied.guesses);
    let exported = variables::unset_variables(&mut d);
    // (Before the passes whose work grows with inputs × steps.)
    if d.inputs.len() > draft::MAX_INPUTS {
        d.too_many_inputs = Some(d.inputs.len());
        return d;
    }
    defaults(&mut d, stem, source);
    // (Titles from the text as written: a title is shown as it is, never rendered.)
    titles::titles(&mut d);
    decisions::else_titles(&mut d);
    templates::text_templates(&mut d);
    titles::ids(&mut d.steps);
    let names: std::collections::BTreeSet<String> =
        exported.iter().map(|(n, _, _)| n.clone()).collect();
    carried::carried_variables(&mut d, &names);
    section_decisions::alternatives(&mut d);
    item_decisions::item_alternatives(&mut d);
    rollback::rollbacks(&mut d);
    exports::apply_exports(&mut d, exported);
    asks::ask_in_options(&mut d);
    located::place_at_words(&mut d, text);
    d.sort_guesses();
    d
}

/// What a page that says nothing of it gets: its file name as the title (read from stdin,
/// "Imported page"), a description that says where it comes from, a step that asks to read
/// it.
fn defaults(d: &mut Draft, stem: &str, source: &str) {
    if d.title.is_empty() {
        let what = if source == STDIN {
            d.title = "Imported page".into();
            format!(
                "the page, read from {STDIN}, has no heading that names it: \"Imported page\" is the title"
            )
        } else {
            d.title = stem.to_string();
            "the page has no heading that names it: its file name is the title".into()
        };
        d.guesses.push((Pos { line: 1, col: 1 }, what));
    }
    if d.description.is_empty() {
        d.description = format!("Imported from {source}.");
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
}

#[cfg(test)]
mod tests;
