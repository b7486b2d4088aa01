//! Code blocks: a shell block made a `run` step (a console transcript split into its
//! commands and the output shown after them, placeholders made inputs, consecutive blocks
//! under one heading joined), a block in another language or at another program's prompt
//! kept as text where it is typed.

use super::announced::{announces_output, named_program, names_output};
use super::contents::file_contents;
use super::decisions::{bold_either_or, either_or};
use super::draft::Step;
use super::output::{clearly_output, looks_like_output, names_only};
use super::output_lines::{UNSURE_OUTPUT, reads_as_commands};
use super::pos::Pos;
use super::reader::{Reader, fence, fenced};
use super::session::{
    Session, TypedInside, heading_inside, logs_in_to_a_host, one_word_templates, opens_a_session,
    runs_there_itself, said_elsewhere, sentence_inside, typed_inside,
};
use super::titles::short_title;
use super::transcript::{other_prompt, shell_prompt, typed_where};
use super::warnings::{warns_against, wrong_by_its_comment};
use pulldown_cmark::CodeBlockKind;

const SHELLS: &[&str] = &["bash", "sh", "shell", "console", "zsh", "shell-session", ""];

/// Blocks that show what a command printed.
const OUTPUT_LANGS: &[&str] = &["text", "txt", "output", "log", "plain", "plaintext"];

/// `a. On bare metal:`, `b) If it is Rook:`: a lettered course's text, without its letter.
/// (The last one of the item's text: its lines are joined by spaces, "Restart it. a. On bare
/// metal:".)
fn lettered_course(line: &str) -> Option<String> {
    let b = line.as_bytes();
    (0..b.len().saturating_sub(3))
        .rev()
        .filter(|&i| i == 0 || b[i - 1].is_ascii_whitespace())
        .find(|&i| b[i].is_ascii_lowercase() && matches!(b[i + 1], b'.' | b')') && b[i + 2] == b' ')
        .map(|i| line[i + 3..].trim().to_string())
        .filter(|t| either_or(t))
}

/// A fence's language as the page's renderer reads its info string: pandoc's `{.bash}`,
/// `{bash}`, Hugo's `sh:restart.sh`, and the names GitHub's linguist gives a shell session
/// or script (`sh-session`, `shellscript`, `ksh`, `terminal`) (audit 14j J17 found them left
/// as text).
pub(super) fn fence_language(info: &str) -> String {
    let lang = info
        .trim_start_matches('{')
        .trim_start_matches('.')
        .split([':', ',', '}', '{'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    match lang.as_str() {
        "sh-session" | "shellsession" | "bash-session" | "terminal" => "console".into(),
        "shellscript" | "shell-script" | "ksh" | "bash-script" => "bash".into(),
        _ => lang,
    }
}

impl Reader<'_> {
    /// A code block starts: its language, and where.
    pub(super) fn code_block_start(&mut self, kind: CodeBlockKind<'_>, at: Pos) {
        self.indented_code = matches!(kind, CodeBlockKind::Indented);
        let lang = match kind {
            CodeBlockKind::Fenced(info) => {
                fence_language(info.split_whitespace().next().unwrap_or(""))
            }
            CodeBlockKind::Indented => String::new(),
        };
        self.in_code = Some((lang, at));
        self.code.clear();
    }

    /// A code block read: a step of its own, joined to the last one, or text.
    pub(super) fn code_block_end(&mut self, range: std::ops::Range<usize>) {
        let Some((mut lang, pos)) = self.in_code.take() else {
            return;
        };
        // A fence never closed runs to the end of the page: the rest is in it.
        let source = self.text.get(range.clone()).unwrap_or("").trim_end();
        if fenced(source) && !self.indented_code && !super::fences::closed(source) {
            let what =
                "this fence is never closed: everything after it on the page is in it".to_string();
            self.prose_notes.push(format!("{pos}: guess: {what}"));
            self.d.guesses.push((pos, what));
        }
        // (A line read as the end of a fence never closed: said at its block.)
        let last_line = pos.line + source.matches('\n').count();
        let ends: Vec<(Pos, String)> = self
            .fence_ends
            .extract_if(.., |(at, _)| at.line >= pos.line && at.line <= last_line)
            .collect();
        for (at, what) in ends {
            self.prose_notes.push(format!("{at}: guess: {what}"));
            self.d.guesses.push((at, what));
        }
        // A numbered item whose block follows it less indented than its text
        // (`10. Do it:` then a fence at three spaces, or at the margin): the block is
        // the item's, not a step of its own after a checklist (an audit found such
        // commands lost).
        let adopted = self.adopted_item();
        // A block indented further than its item asks (eight spaces under `1.`, MkDocs'
        // style) keeps the extra spaces in every line; the page shows them as its margin,
        // and a here-document's ` EOF` would never end it (audit 14i K3): removed.
        let margin = self
            .code
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start_matches(' ').len())
            .min()
            .unwrap_or(0);
        if margin > 0 {
            self.code = self
                .code
                .split_inclusive('\n')
                .map(|l| {
                    l.get(margin..)
                        .filter(|_| l.starts_with(&" ".repeat(margin)))
                        .unwrap_or(l.trim_start_matches(' '))
                })
                .collect();
        }
        let fence_lines = self.indented_fence(&mut lang, pos);
        // `$ oc debug node/<node>`, then `sh-4.4# chroot /host`: the command runs here, the
        // lines at the other prompt are shown in its step, typed in the shell it opens
        // (audit 14p A-19 found the command left as text with them).
        let inside = SHELLS
            .contains(&lang.as_str())
            .then(|| typed_inside(&self.code))
            .flatten()
            .map(|t| {
                let mut text = self.code.split_off(t.at.min(self.code.len()));
                if let Some(end) = t.end.and_then(|e| e.checked_sub(t.at)) {
                    let again = text.split_off(end.min(text.len()));
                    self.code.push_str(&again);
                }
                let line = pos.line
                    + usize::from(fenced(self.text.get(range.clone()).unwrap_or("")))
                    + self.code.matches('\n').count();
                (t, text, Pos { line, col: pos.col })
            });
        // A paragraph in bold naming a course in an item ("1. Fix it:", then "**Option A:
        // retry**" and its block, "**Option B: …**" and its): on a line of its own, the
        // course of a step of its own, which the decisions read (audit 14o A-12 found both
        // options run in a row, as one step).
        let bold_course = self.bold_course_paragraph();
        // A nested item that is one of several courses ("- If a replica is healthy,
        // fail over to it:", "- Otherwise, restart it:"): a step of its own, which
        // the decisions below read as an alternative (an audit found both run).
        // (Also a lettered paragraph of an item, "a. On bare metal:" / "b. On Rook:", which
        // CommonMark reads as no list: audit 14l L4.)
        let last_line = self
            .item_text
            .rsplit('\n')
            .next()
            .unwrap_or("")
            .trim_start()
            .to_string();
        let lettered = lettered_course(&last_line);
        let nested_course = (self.in_item > 1 || lettered.is_some())
            .then(|| {
                lettered
                    .clone()
                    .unwrap_or_else(|| last_line.trim_start_matches("- ").trim().to_string())
            })
            .filter(|t| either_or(t));
        // A sub-item's block ("1. Renew the certificate:", then "1. Generate a key:" or
        // "- Generate a key:" and its block, "2. Sign it:" and its): a step of its own,
        // titled by it (audit 14p A-13 found the sub-steps run as one; audit 18, bulleted). After the item's first step, its
        // instructions are the sub-item's own text.
        let sub_step =
            (nested_course.is_none() && self.in_item > 1 && !self.nested_lists.is_empty())
                .then(|| last_line.trim_start_matches("- ").trim().to_string())
                .filter(|t| !t.is_empty());
        let title = if let Some(item) = &adopted {
            short_title(item)
        } else if let Some(course) = bold_course.filter(|_| !self.item_used) {
            short_title(&course)
        } else if let Some(course) = &nested_course {
            short_title(course)
        } else if let Some(sub) = &sub_step {
            short_title(sub)
        } else if self.in_item > 0 && !self.item_text.trim().is_empty() {
            short_title(&self.item_text)
        } else {
            self.heading
                .clone()
                .unwrap_or_else(|| "Run the command".into())
        };
        // An untagged block right after a command's, nothing between, whose lines read as
        // output (a table, log lines, JSON): that command's output (audit 14n N2). Tagged
        // `bash`/`sh` as the page's commands are, with no prompt, only when clearly output
        // (no line a shell would read as an assignment).
        let shell_tagged =
            matches!(lang.as_str(), "bash" | "sh" | "shell" | "zsh") && clearly_output(&self.code);
        // (Names one a line, `default` / `api.conf`, untagged after a block the page tagged
        // as shell: `ls`'s output, audit 14o A-15.)
        let names_after_tagged = lang.is_empty() && self.last_tagged && names_only(&self.code);
        let right_after = self.joinable
            && self.prose.trim().is_empty()
            && (self.in_item == 0
                || self
                    .item_text
                    .get(self.item_taken..)
                    .is_some_and(|rest| rest.trim().is_empty()));
        let mut output_after = (lang.is_empty() || shell_tagged)
            && right_after
            && (shell_tagged || looks_like_output(&self.code) || names_after_tagged);
        let mut foreign = if fence_lines.is_some() {
            fence_lines
        } else if output_after && !shell_tagged && !looks_like_output(&self.code) {
            Some("the output of the command before it (names, one a line, after a block tagged as shell: no command), shown, not run".to_string())
        } else if output_after {
            Some("the output of the command before it (its lines read as output: a table, log lines, JSON), shown, not run".to_string())
        } else if SHELLS.contains(&lang.as_str()) {
            other_prompt(&self.code, &lang).or_else(|| {
                // An untagged block after "In psql:", "In the Rails console:" (audit 14k K3).
                let before = if self.in_item > 0 {
                    &self.item_text
                } else {
                    &self.prose
                };
                lang.is_empty()
                    .then(|| {
                        named_program(before).or_else(|| {
                            announces_output(before)
                                .then(|| "output the page shows (the sentence before it says so), not run".to_string())
                        })
                    })
                    .flatten()
                    // A `bash` block right after "Expected output:" is output tagged as the
                    // page's other blocks are (audit 14m M11).
                    .or_else(|| {
                        names_output(before).then(|| {
                            "output the page shows (the sentence before it says so), not run"
                                .to_string()
                        })
                    })
                    // "### Inside the pod" after `kubectl exec -it … -- bash` (audit 14m M9).
                    .or_else(|| self.typed_in_session(before))
                    // "Add this line to /etc/hosts:", `key = value` lines (audit 14m M22).
                    .or_else(|| {
                        (!matches!(lang.as_str(), "console" | "shell-session"))
                            .then(|| file_contents(before, &self.code))
                            .flatten()
                    })
                    // "❌ Don't do this", "**Never run** the following:" (audit 14m M8), `!!!
                    // danger "Do not run this"` (audit 14n N11).
                    .or_else(|| {
                        warns_against(before, self.heading.as_deref()).then(|| {
                            "a command the page says not to run (its heading, admonition or the sentence before it says so), shown, not run".to_string()
                        })
                    })
                    // `# WRONG`, `# Do not run this` first in the block (audit 14n N1).
                    .or_else(|| {
                        wrong_by_its_comment(&self.code).then(|| {
                            "a command the page says not to run (its first line, a comment, says so), shown, not run".to_string()
                        })
                    })
            })
        } else {
            Some(typed_where(&lang))
        };
        // Any other untagged block right after a command's whose lines do not all read as
        // commands: that command's output too, said (audit 41 I41-19). (Not a transcript,
        // whose commands are read at their prompts.)
        if foreign.is_none()
            && lang.is_empty()
            && right_after
            && !self.code.lines().any(|l| shell_prompt(l, "").is_some())
            && !reads_as_commands(&self.code)
        {
            output_after = true;
            foreign = Some(UNSURE_OUTPUT.to_string());
        }
        let made = self.d.steps.len();
        let nested = nested_course.is_some();
        match foreign {
            Some(place) => {
                self.foreign_block(&lang, pos, &place, title, adopted.as_deref(), output_after)
            }
            None => {
                let own_text = nested_course.or(sub_step.filter(|_| self.item_used));
                let elsewhere = self.meant_elsewhere();
                self.shell_block(&lang, pos, &range, title, adopted.as_deref(), own_text);
                if let Some(what) = elsewhere
                    && let Some(step) = self.d.steps.last_mut().filter(|s| s.run.is_some())
                {
                    step.notes.push(format!("{pos}: guess: {what}"));
                    self.d.guesses.push((pos, what));
                }
                self.last_tagged = !lang.is_empty();
                self.open_session();
            }
        }
        if self.d.steps.len() > made
            && let Some(step) = self.d.steps.last_mut()
        {
            step.depth = self.in_item;
            step.item = if self.in_item > 0 {
                self.item_number
            } else {
                None
            };
            if nested {
                step.parents = enclosing_items(&self.item_text);
            }
            if self.in_item > 0 {
                let head = self.item_text.split('\n').next().unwrap_or("").trim();
                step.top_item = Some((self.items_read, head.to_string()));
            }
        }
        if let Some((typed, text, at)) = inside {
            self.show_typed_inside(&typed, &text, at, &lang);
        }
    }

    /// The lines of a block typed in the shell its command opened (see [`TypedInside`]):
    /// shown in the step that runs that command, never run, said as a guess.
    fn show_typed_inside(&mut self, typed: &TypedInside, text: &str, at: Pos, lang: &str) {
        let opener = typed.opener.replace('`', "'");
        let what = format!(
            "`{opener}` opens a shell: the lines after it, {}, are typed there by the operator: shown in the step's instructions, not run",
            typed.place
        );
        // (Quoted: the step is still titled by its own words or command.)
        let shown = format!(
            "> Typed by the operator in the shell that `{opener}` opens, not run here ({}):\n\n{}",
            typed.place,
            fence(text, lang).trim_end()
        );
        self.d.guesses.push((at, what.clone()));
        let note = format!("{at}: guess: {what}");
        match self.d.steps.last_mut().filter(|s| s.run.is_some()) {
            Some(step) => {
                step.instructions = format!("{}\n\n{shown}", step.instructions.trim_end())
                    .trim_start()
                    .to_string();
                step.notes.push(note);
            }
            None => {
                self.prose.push_str(&format!("{shown}\n\n"));
                self.prose_pos.get_or_insert(at);
                self.prose_notes.push(note);
            }
        }
    }

    /// The last paragraph of the top-level item being read when it opens in bold naming a
    /// course (`**Option B: drop the replicas**`), put on a line of its own in the item's
    /// text (see [`Reader::code_block_end`]).
    fn bold_course_paragraph(&mut self) -> Option<String> {
        if self.in_item != 1 || self.item_paragraph == 0 {
            return None;
        }
        let para = self
            .item_text
            .get(self.item_paragraph..)?
            .trim()
            .to_string();
        let head = self.item_text.get(..self.item_paragraph)?.trim_end();
        if !bold_either_or(&para) || head.len() < self.item_taken {
            return None;
        }
        self.item_text = format!("{head}\n{para}");
        self.item_paragraph = self.item_text.len() - para.len();
        Some(para)
    }

    /// Where a shell block is typed in a shell opened elsewhere before it (a heading since
    /// that says so, "### Inside the pod", or the sentence before it, "Then run inside the
    /// shell:"): what to say of it.
    fn typed_in_session(&self, before: &str) -> Option<String> {
        let session = self.session.as_ref()?;
        let by_heading = self.d.sections.len() > session.sections
            && self.heading.as_deref().is_some_and(heading_inside);
        (by_heading || sentence_inside(before)).then(|| {
            format!(
                "to type in the shell `{}` opens (the {} before it says so): shown, not run here, where runbook runs",
                session.opener.replace('`', "'"),
                if by_heading { "heading" } else { "sentence" }
            )
        })
    }

    /// A block run here that the page means for another host or container: right after a
    /// command that opens a shell there (`ssh host`, `kubectl exec -it … -- bash`), or
    /// after a sentence or under a heading that says where ("On that host, run:", "On the
    /// database server:"): what to say of it (audit 18 A-5 found such blocks run here,
    /// unsaid). The commands are kept as written.
    fn meant_elsewhere(&self) -> Option<String> {
        let before = if self.in_item > 0 {
            &self.item_text
        } else {
            &self.prose
        };
        // (A database's client, `psql` alone, is no other host's shell: the blocks after it
        // are said where typed in it.)
        let remote = |opener: &str| {
            let mut words = opener.split_whitespace().skip_while(|w| *w == "sudo");
            words.next().is_some_and(|p| {
                [
                    "ssh",
                    "kubectl",
                    "oc",
                    "docker",
                    "podman",
                    "nerdctl",
                    "crictl",
                    "gcloud",
                    "aws",
                    "az",
                    "vagrant",
                    "lxc",
                    "machinectl",
                    "nsenter",
                    "mosh",
                    "telnet",
                ]
                .contains(&p)
            })
        };
        if let Some(session) = self.session.as_ref().filter(|s| remote(&s.opener)) {
            return Some(format!(
                "`{}` before this block opens a shell elsewhere: the page may mean these commands to run there; they run here, where runbook runs, as imported (`ssh HOST 'command'` or `kubectl exec POD -- command` runs one there)",
                session.opener.replace('`', "'")
            ));
        }
        // (A block that opens that shell itself, `ssh <PRIMARY_HOST>` under "## On the
        // primary", goes there: what runs after it is said by commands/import.rs; one whose
        // commands run there themselves, `ssh <NODE> 'gitlab-ctl status'`, is where the page
        // means it.)
        if self.code.lines().any(|l| {
            let l = one_word_templates(l.trim());
            opens_a_session(&l) || runs_there_itself(&l)
        }) {
            return None;
        }
        let by_heading = self.heading.as_deref().filter(|h| heading_inside(h));
        let Some(said) = said_elsewhere(before)
            .map(|s| format!("the sentence before it, \"{}\",", s.replace('"', "'")))
            .or_else(|| by_heading.map(|h| format!("its heading, \"{}\",", h.replace('"', "'"))))
        else {
            // A host logged in to in a step before, in another section (audit 39 I-5 found
            // the rest of a page meant on the bastion run here, unsaid).
            return self.logged_in.as_ref().map(|(opener, at)| {
                format!(
                    "`{}` at {at} logs in to another host, and the page never leaves it (no `exit`): these commands may be meant for that host; they run here, where runbook runs, as imported: run them there (`ssh HOST 'command'`) or check that here is right",
                    opener.replace('`', "'")
                )
            });
        };
        Some(format!(
            "{said} means these commands for another host or container; they run here, where runbook runs, as imported: run them there (`ssh HOST 'command'`) or check that here is right"
        ))
    }

    /// After a block run here: the shell its last command opens elsewhere, if it does.
    fn open_session(&mut self) {
        let last = self
            .d
            .steps
            .last()
            .and_then(|s| s.run.as_deref())
            .and_then(|r| {
                r.lines()
                    .map(str::trim)
                    .rfind(|l| !l.is_empty() && !l.starts_with('#'))
            })
            .filter(|l| opens_a_session(l));
        // (`exit`, `logout`: the page leaves the host it logged in to.)
        let left = self
            .d
            .steps
            .last()
            .and_then(|s| s.run.as_deref())
            .is_some_and(|r| r.lines().any(|l| matches!(l.trim(), "exit" | "logout")));
        if left {
            self.logged_in = None;
        }
        if let Some(opener) = last.filter(|l| logs_in_to_a_host(&one_word_templates(l))) {
            let at = self.d.steps.last().map_or_else(Pos::default, |s| s.pos);
            self.logged_in = Some((opener.to_string(), at));
        }
        self.session = last.map(|opener| Session {
            opener: opener.to_string(),
            sections: self.d.sections.len(),
            level: self.d.sections.last().map_or(0, |(l, ..)| *l),
        });
    }

    /// The item of a numbered list whose block follows it less indented than its text (see
    /// [`Reader::code_block_end`]): taken from the checklist being read, or made.
    fn adopted_item(&mut self) -> Option<String> {
        if self.in_item == 0 && self.prose.trim().is_empty() && self.last_numbered {
            self.last_numbered = false;
            match self.task_items.pop() {
                Some(item) => Some(item),
                // The list has ended: its checklist is made.
                None => match self.d.steps.last_mut() {
                    Some(last)
                        if last.run.is_none()
                            && last.choose.is_empty()
                            && !last.checklist.is_empty() =>
                    {
                        let item = last.checklist.pop();
                        if last.checklist.is_empty() && last.instructions.trim().is_empty() {
                            let mut notes = std::mem::take(&mut last.notes);
                            self.prose_notes.append(&mut notes);
                            self.d.steps.pop();
                            // (The next step made is the one to mark.)
                            self.marked = self.marked.min(self.d.steps.len());
                        }
                        item
                    }
                    _ => None,
                },
            }
        } else {
            None
        }
    }

    /// A block in another language, or typed at another program's prompt (`place` says
    /// where): text, never run. `output`: it is the output of the command before it, shown
    /// with that command.
    fn foreign_block(
        &mut self,
        lang: &str,
        pos: Pos,
        place: &str,
        title: String,
        adopted: Option<&str>,
        output: bool,
    ) {
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
        self.d.left.push((pos, what.clone()));
        let note = format!("{pos}: left as text: {what}");
        let output_like = output || OUTPUT_LANGS.contains(&lang);
        // "Expected output:" alone between a command's block and this one: the command's
        // output, shown with it under that sentence (audit 39 I-15 found it a step of its
        // own, titled by the page).
        let said = self.prose.trim();
        let announced = (self.in_item == 0
            && !said.contains('\n')
            && said.chars().count() <= 80
            && (names_output(said) || announces_output(said)))
        .then(|| said.to_string());
        if (announced.is_some() || (output_like && self.prose.trim().is_empty()))
            && self.joinable
            && let Some(last) = self.d.steps.last_mut().filter(|s| s.run.is_some())
        {
            match &announced {
                Some(said) => {
                    last.instructions = format!("{}\n\n{said}\n\n", last.instructions)
                        .trim_start()
                        .to_string();
                    self.prose.clear();
                    self.prose_pos = None;
                }
                None if last.instructions.trim().is_empty() => {
                    last.instructions = "Output:\n\n".to_string();
                }
                None => last.instructions.push_str("\n\nOutput:\n\n"),
            }
            // (Output tagged `bash` is no command: shown untagged, as a reader of the
            // runbook's page would take it.)
            last.instructions
                .push_str(fence(&self.code, if output { "" } else { lang }).trim_end());
            last.notes.push(note);
            return;
        }
        self.flush_tasks();
        if let Some(item) = adopted {
            self.prose.push_str(item);
        }
        let mut instructions = self.take();
        if !instructions.is_empty() {
            instructions.push_str("\n\n");
        }
        instructions.push_str(fence(&self.code, lang).trim_end());
        let mut notes = std::mem::take(&mut self.prose_notes);
        notes.push(note);
        self.item_used |= self.in_item > 0;
        self.d.steps.push(Step {
            title,
            instructions,
            notes,
            pos: self.prose_pos.take().unwrap_or(pos),
            ..Step::default()
        });
        self.joinable = false;
    }
}

/// The items around the last one of an item's text (nested items are on lines of their
/// own, indented two spaces a level, after `- `), outermost first, each as written.
fn enclosing_items(item_text: &str) -> Vec<String> {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let count = item_text.split('\n').count();
    let mut lines = item_text.split('\n').rev();
    let Some(last) = lines.next() else {
        return Vec::new();
    };
    let mut at = indent(last);
    let mut out = Vec::new();
    for (k, line) in lines.enumerate() {
        // (The top item's own text is the first line, at the margin.)
        let top = k + 2 == count;
        if (indent(line) < at && line.trim_start().starts_with("- ")) || top {
            out.push(line.trim().trim_start_matches("- ").trim().to_string());
            at = indent(line);
            if top {
                break;
            }
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::fence_language;

    /// Audit 14j J17: the info strings pandoc, Hugo and GitHub write for shell blocks.
    #[test]
    fn fence_languages_as_renderers_read_them() {
        for (info, lang) in [
            ("{.bash}", "bash"),
            ("{bash}", "bash"),
            ("sh:restart.sh", "sh"),
            ("sh-session", "console"),
            ("shellscript", "bash"),
            ("ksh", "bash"),
            ("Terminal", "console"),
            ("BASH", "bash"),
            ("sql", "sql"),
            ("", ""),
        ] {
            assert_eq!(fence_language(info), lang, "{info}");
        }
    }
}
