//! Code blocks: a shell block made a `run` step (a console transcript split into its
//! commands and the output shown after them, placeholders made inputs, consecutive blocks
//! under one heading joined), a block in another language or at another program's prompt
//! kept as text where it is typed.

use super::contents::file_contents;
use super::decisions::either_or;
use super::draft::{Draft, Step};
use super::output::{clearly_output, looks_like_output};
use super::placeholders::placeholders;
use super::pos::Pos;
use super::reader::{Reader, fence, fenced};
use super::session::{Session, heading_inside, opens_a_session, sentence_inside};
use super::titles::short_title;
use super::transcript::{Transcript, other_prompt, prompt_host, transcript, typed_where};
use super::warnings::{last_sentence, warns_against, wrong_by_its_comment};
use pulldown_cmark::CodeBlockKind;

const SHELLS: &[&str] = &["bash", "sh", "shell", "console", "zsh", "shell-session", ""];

/// Blocks that show what a command printed.
const OUTPUT_LANGS: &[&str] = &["text", "txt", "output", "log", "plain", "plaintext"];

/// The program the text before an untagged block names as where to type it, when its last
/// sentence ends with `:` and names one that is not a shell: "In psql:", "In the Rails
/// console:", "In redis-cli:", "In Kibana Dev Tools:".
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

/// Whether the sentence before a block is only a name for output ("Expected output:",
/// "Sample output:", "You should see:"): said of a block tagged `bash` too.
fn names_output(before: &str) -> bool {
    let Some(last) = last_sentence(before) else {
        return false;
    };
    let t = last
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_')
        .to_ascii_lowercase();
    let t = t.trim_end_matches(['*', '_']);
    [
        "expected output:",
        "sample output:",
        "example output:",
        "output:",
        "the output:",
        "you should see:",
        "you will see:",
        "expected result:",
        "sample response:",
        "example response:",
        "expected response:",
        "response:",
    ]
    .contains(&t)
}

/// Whether the sentence before an untagged block says the block is output: "Expected
/// output:", "You should see:", "The log says:", "Sample response:" (audit 14l L11 found
/// such output run as a command).
fn announces_output(before: &str) -> bool {
    let Some(last) = last_sentence(before) else {
        return false;
    };
    let last = last.trim();
    if !last.ends_with(':') {
        return false;
    }
    let t = last.to_ascii_lowercase();
    ([
        "output",
        "you should see",
        "you will see",
        "you'll see",
        "you see",
        "should show",
        "should look",
        "looks like",
        "look like",
        "log says",
        "logs say",
        "log shows",
        "response",
        "returns",
        "prints",
        "result",
        "expected",
        "example:",
        "for example",
    ]
    .iter()
    .any(|w| t.contains(w))
        || [
            "says:", "say:", "shows:", "show:", "reads:", "read:", "like:",
        ]
        .iter()
        .any(|w| t.ends_with(w) && !t.starts_with("run") && !t.contains("command")))
        && ![
            "run:",
            "type:",
            "command:",
            "execute:",
            "run this:",
            "following:",
        ]
        .iter()
        .any(|w| t.ends_with(w))
}

fn named_program(before: &str) -> Option<String> {
    let last = last_sentence(before)?.trim();
    if !last.ends_with(':') {
        return None;
    }
    let t = last.to_ascii_lowercase();
    if [
        "bash",
        "terminal",
        "ssh",
        "shell on",
        "a shell",
        "the shell",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        return None;
    }
    const PROGRAMS: &[(&str, &str)] = &[
        ("psql", "psql"),
        ("mysql", "mysql"),
        ("rails console", "the Rails console"),
        ("rails c", "the Rails console"),
        ("redis-cli", "redis-cli"),
        ("kibana", "Kibana Dev Tools"),
        ("dev tools", "the Dev Tools console"),
        ("mongosh", "mongosh"),
        ("mongo shell", "the mongo shell"),
        ("cqlsh", "cqlsh"),
        ("irb", "irb"),
        ("python shell", "a Python shell"),
        ("python console", "a Python shell"),
        ("powershell", "PowerShell"),
        ("sql console", "a SQL console"),
        ("query editor", "a query editor"),
    ];
    PROGRAMS
        .iter()
        .find(|(name, _)| {
            t.match_indices(name).any(|(at, _)| {
                let before = t[..at].chars().next_back();
                let after = t[at + name.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        })
        .map(|(_, program)| format!("to type in {program}, as the page says before it"))
}

/// A fence's language as the page's renderer reads its info string: pandoc's `{.bash}`,
/// `{bash}`, Hugo's `sh:restart.sh`, and the names GitHub's linguist gives a shell session
/// or script (`sh-session`, `shellscript`, `ksh`, `terminal`) (audit 14j J17 found them left
/// as text).
fn fence_language(info: &str) -> String {
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
        let Some((lang, pos)) = self.in_code.take() else {
            return;
        };
        // A fence never closed runs to the end of the page: the rest is in it.
        let source = self.text.get(range.clone()).unwrap_or("").trim_end();
        if fenced(source) && !source.ends_with("```") && !source.ends_with("~~~") {
            let what =
                "this fence is never closed: everything after it on the page is in it".to_string();
            self.prose_notes.push(format!("{pos}: guess: {what}"));
            self.d.guesses.push((pos, what));
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
        let title = if let Some(item) = &adopted {
            short_title(item)
        } else if let Some(course) = &nested_course {
            short_title(course)
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
        let output_after = (lang.is_empty() || shell_tagged)
            && self.joinable
            && self.prose.trim().is_empty()
            && (self.in_item == 0
                || self
                    .item_text
                    .get(self.item_taken..)
                    .is_some_and(|rest| rest.trim().is_empty()))
            && (shell_tagged || looks_like_output(&self.code));
        let foreign = if output_after {
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
        let made = self.d.steps.len();
        let nested = nested_course.is_some();
        match foreign {
            Some(place) => {
                self.foreign_block(&lang, pos, &place, title, adopted.as_deref(), output_after)
            }
            None => {
                self.shell_block(&lang, pos, &range, title, adopted.as_deref(), nested_course);
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
        }
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
        if output_like
            && self.joinable
            && self.prose.trim().is_empty()
            && let Some(last) = self.d.steps.last_mut()
        {
            last.instructions.push_str("\n\nOutput:\n\n");
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

    /// A shell block: its commands a step (or the last step's, joined), its output shown in
    /// the instructions.
    fn shell_block(
        &mut self,
        lang: &str,
        pos: Pos,
        range: &std::ops::Range<usize>,
        title: String,
        adopted: Option<&str>,
        nested_course: Option<String>,
    ) {
        let Transcript {
            commands,
            outputs,
            glued,
            root_after,
            bare_root,
        } = transcript(&self.code, lang);
        // The line of the block's `k`-th line on the page.
        let line_at = |k: usize| Pos {
            line: pos.line + k + usize::from(fenced(self.text.get(range.clone()).unwrap_or(""))),
            col: pos.col,
        };
        // Only comments (`# apt-get update` in a `sh` block): nothing would run.
        let comments_only = !commands.trim().is_empty()
            && commands
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
        if commands.trim().is_empty() || comments_only {
            self.prose.push_str(&fence(&self.code, lang));
            self.prose_pos.get_or_insert(pos);
            let what = if comments_only {
                "a shell block of comments only: kept as text, nothing to run (if `# ` is a root prompt, fence the block as ```console)".to_string()
            } else if matches!(lang, "console" | "shell-session") {
                "a console block with no prompt: shown as output, not run (a block of commands is fenced as ```bash, or its lines start with `$ `)".to_string()
            } else {
                "a shell block with no command".to_string()
            };
            self.prose_notes
                .push(format!("{pos}: left as text: {what}"));
            self.d.left.push((pos, what));
            return;
        }
        // A checklist made of the list's items before this one comes first, with
        // the notes about its text.
        self.flush_tasks();
        if let Some(item) = adopted {
            self.prose.push_str(item);
        }
        let mut notes = std::mem::take(&mut self.prose_notes);
        let mut guess = |d: &mut Draft, at: Pos, what: String| {
            notes.push(format!("{at}: guess: {what}"));
            d.guesses.push((at, what));
        };
        for (at, what) in self.transcript_guesses(&line_at, glued, root_after, bare_root) {
            guess(&mut self.d, at, what);
        }
        // `{{ $labels.job }}`: the label of the firing alert, which Alertmanager fills in
        // a notification and the run does not have (an audit found a silence made for
        // `job="{{ .job }}"`): a placeholder, where no other template stands.
        let commands = match alert_labels(&commands) {
            Some((placed, labels)) => {
                for label in labels {
                    guess(
                        &mut self.d,
                        pos,
                        format!(
                            "`{{{{ $labels.{label} }}}}` is the firing alert's label `{label}`, which the run does not have: read as the placeholder <{label}>"
                        ),
                    );
                }
                placed
            }
            None => commands,
        };
        // `{{` of another template language (Go, Helm, jq): the command is kept
        // as written, placeholders and all, and says so.
        let no_templates = ["{{", "{%", "{#"].iter().any(|t| commands.contains(t));
        let mut env = Vec::new();
        let commands = if no_templates {
            let placed = placeholders(&mut self.d, &commands, pos, &mut notes, Some(&mut env));
            let what = if env.is_empty() {
                "the command holds `{{`, `{%` or `{#` of another template language: kept with `templates: false`, run as written (the shell sees those braces as they are)".to_string()
            } else {
                "the command holds `{{`, `{%` or `{#` of another template language: kept with `templates: false`, its placeholders given through the step's `env:`".to_string()
            };
            notes.push(format!("{pos}: guess: {what}"));
            self.d.guesses.push((pos, what));
            placed
        } else {
            placeholders(&mut self.d, &commands, pos, &mut notes, None)
        };
        // "Check it with:" ending a section that describes the alert introduces
        // this command: it is the step's instructions, not the description's end.
        self.introduced_command();
        let item_used_before = self.item_used && self.prose.trim().is_empty();
        let mut instructions = self.take();
        if let Some(course) = &nested_course {
            instructions = course.clone();
        }
        self.prose_pos = None;
        self.item_used |= self.in_item > 0;
        // An item's text between its blocks that names another course ("If
        // Sidekiq runs in Kubernetes instead:"): a step of its own, which the
        // decisions read (an audit found both commands run in a row).
        let between = self
            .d
            .steps
            .last()
            .and_then(|l| instructions.strip_prefix(l.instructions.as_str()))
            .map(|b| b.trim().trim_start_matches("- ").to_string())
            .filter(|b| self.in_item > 0 && item_used_before && either_or(b));
        // Consecutive fences under one heading, or in one list item, are one step.
        let join = self.joinable
            && between.is_none()
            && (instructions.trim().is_empty() || (self.in_item > 0 && item_used_before))
            && self.d.steps.last().is_some_and(|s| {
                s.title == title
                    && s.no_templates == no_templates
                    && s.run.is_some()
                    && s.checklist.is_empty()
            });
        if join {
            if let Some(last) = self.d.steps.last_mut()
                && let Some(run) = &mut last.run
            {
                // The item's text between the blocks ("If it hangs, look at
                // the events:") goes on in the instructions.
                let rest = instructions
                    .strip_prefix(last.instructions.as_str())
                    .unwrap_or(&instructions);
                let more = rest.trim();
                if more.starts_with("- ") && rest.starts_with('\n') {
                    // A nested item of its own ("- restart it:"), on its line.
                    last.instructions.push_str(rest.trim_end());
                } else if !more.is_empty() {
                    if !last.instructions.is_empty() {
                        last.instructions.push(' ');
                    }
                    last.instructions.push_str(more);
                }
                run.push('\n');
                run.push_str(&commands);
                last.notes.append(&mut notes);
                last.env.append(&mut env);
            }
        } else {
            let (title, instructions) = match between {
                Some(b) => (short_title(&b), b),
                None => (title, instructions),
            };
            self.d.steps.push(Step {
                title,
                instructions,
                run: Some(commands),
                no_templates,
                pos,
                notes,
                env,
                ..Step::default()
            });
        }
        self.expected_outputs(&outputs);
        self.joinable = true;
    }

    /// What a transcript's lines say (a host in its prompt, `$` glued to a command, lines
    /// typed in a root shell, `# ` read as root's prompt), in the order of the lines.
    /// `line_at`: the line of the block's `k`-th line on the page.
    fn transcript_guesses(
        &self,
        line_at: &dyn Fn(usize) -> Pos,
        glued: Vec<usize>,
        root_after: Option<(usize, String)>,
        bare_root: Option<usize>,
    ) -> Vec<(Pos, String)> {
        // What the transcript's lines say, in the order of the lines.
        let mut said: Vec<(Pos, String)> = Vec::new();
        // A prompt that names a host: the page ran it there; runbook runs it
        // where it runs.
        let mut hosts: Vec<(usize, &str)> = self
            .code
            .lines()
            .enumerate()
            .filter_map(|(k, l)| Some((k, prompt_host(l)?)))
            .collect();
        hosts.dedup_by(|a, b| a.1 == b.1);
        if let Some(&(first, _)) = hosts.first() {
            let what = format!(
                "the page's prompt shows this typed on `{}`: the step runs where runbook runs (prefix `ssh HOST`, or say where in the instructions)",
                hosts.iter().map(|h| h.1).collect::<Vec<_>>().join("`, `")
            );
            said.push((line_at(first), what));
        }
        for k in glued {
            let what =
                "`$` glued to the command (`$kubectl …`): read as the prompt `$ ` and a command"
                    .to_string();
            said.push((line_at(k), what));
        }
        if let Some((k, shell)) = root_after {
            let what = format!(
                "the page types the lines after `{shell}` in the root shell it opens: here they run after that shell exits, as you (prefix them with `sudo`, or type them in the shell it opens)"
            );
            said.push((line_at(k), what));
        }
        if let Some(k) = bare_root {
            let what = "`# ` read as root's prompt: the line after it runs as a command, as the operator who runs runbook, not as root (add `sudo` where root is needed; if such lines are comments, fence the block as ```text, or write the commands after `$ `)".to_string();
            said.push((line_at(k), what));
        }
        said.sort_by_key(|(at, _)| *at);
        said
    }

    /// "Check it with:" ending a section that describes the alert: its sentence is taken
    /// from the description into the prose, the instructions of the command after it.
    fn introduced_command(&mut self) {
        if self.descriptive
            && self.in_item == 0
            && self.prose.trim().is_empty()
            && self.d.description.trim_end().ends_with(':')
        {
            let kept = self.d.description.trim_end().len();
            let from = self.d.description[..kept]
                .rfind("\n\n")
                .map_or(0, |i| i + 2);
            let sentence = self.d.description[from..kept].to_string();
            // (Its paragraph's last sentence; the rest stays in the description.)
            let start = sentence.rfind(". ").map_or(0, |i| i + 2);
            self.prose.push_str(&sentence[start..]);
            let cut = from + start;
            self.d.description.truncate(cut);
            // (A heading the description gave the section, now over nothing.)
            let end = self.d.description.trim_end().len();
            let last = self.d.description[..end].rfind("\n\n").map_or(0, |i| i + 2);
            let over_nothing = self.d.description[last..end].starts_with("## ");
            self.d
                .description
                .truncate(if over_nothing { last } else { end });
            let end = self.d.description.trim_end().len();
            self.d.description.truncate(end);
        }
    }

    /// The output a transcript shows after its commands, in the last step's instructions.
    fn expected_outputs(&mut self, outputs: &[(String, String)]) {
        if let Some(last) = self.d.steps.last_mut() {
            let several = outputs.len() > 1;
            for (command, output) in outputs {
                if !last.instructions.is_empty() {
                    last.instructions.push_str("\n\n");
                }
                if several {
                    last.instructions.push_str(&format!(
                        "Expected output of `{}`:\n\n",
                        command.replace('`', "'")
                    ));
                } else {
                    last.instructions.push_str("Expected output:\n\n");
                }
                last.instructions.push_str(fence(output, "text").trim_end());
            }
        }
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

/// A command whose only templates are the firing alert's labels (`{{ $labels.job }}`,
/// `{{ .Labels.instance }}`), with each written as the placeholder `<job>`: (the command,
/// the labels in order). `None` when it has none, or templates of another kind too.
fn alert_labels(command: &str) -> Option<(String, Vec<String>)> {
    static LABEL: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\{\{-?\s*(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]{0,63})\s*-?\}\}")
            .ok()
    });
    let re = LABEL.as_ref()?;
    if !command.contains("{{") || !re.is_match(command) {
        return None;
    }
    let mut labels: Vec<String> = Vec::new();
    let placed = re.replace_all(command, |c: &regex::Captures| {
        if !labels.iter().any(|l| *l == c[1]) {
            labels.push(c[1].to_string());
        }
        format!("<{}>", &c[1])
    });
    (!["{{", "{%", "{#"].iter().any(|t| placed.contains(t))).then(|| (placed.into_owned(), labels))
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

    /// Audit 14k K3: an untagged block after "In psql:" is typed there.
    #[test]
    fn prose_that_names_another_program_makes_a_block_typed_there() {
        use super::named_program;
        for (text, program) in [
            ("In psql:", "psql"),
            ("Check it first. In the Rails console:", "the Rails console"),
            ("In redis-cli:", "redis-cli"),
            ("Open Kibana Dev Tools and run:", "Kibana Dev Tools"),
        ] {
            assert!(
                named_program(text).is_some_and(|p| p.contains(program)),
                "{text}: {:?}",
                named_program(text)
            );
        }
        for text in [
            "Restart it:",
            "In a shell on the node, where psql runs:",
            "Run psql's backup script from bash:",
            "In psql, the query below is slow.",
        ] {
            assert_eq!(named_program(text), None, "{text}");
        }
    }
}
