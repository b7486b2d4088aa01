//! A shell block made a `run` step: a console transcript split into its commands and the
//! output shown after them, placeholders made inputs, a block joined to the step before it
//! under one heading, an alert's `{{ $labels.x }}` read as placeholders.

use super::decisions::{bold_either_or, either_or};
use super::draft::{Draft, Step};
use super::placeholders::placeholders;
use super::pos::Pos;
use super::reader::{Reader, fence, fenced};
use super::titles::short_title;
use super::transcript::{Transcript, prompt_host, transcript};

impl Reader<'_> {
    /// A shell block: its commands a step (or the last step's, joined), its output shown in
    /// the instructions. `own_text`: the step's instructions when not all the item's text
    /// (a nested course's, a numbered sub-item's).
    pub(super) fn shell_block(
        &mut self,
        lang: &str,
        pos: Pos,
        range: &std::ops::Range<usize>,
        title: String,
        adopted: Option<&str>,
        own_text: Option<String>,
    ) {
        // Zero-width and bidirectional characters, no-break spaces: cleaned before anything
        // reads the commands.
        let hidden = self.hidden_characters(range);
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
            for (at, what) in hidden {
                self.prose_notes.push(format!("{at}: guess: {what}"));
                self.d.guesses.push((at, what));
            }
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
        for (at, what) in hidden {
            guess(&mut self.d, at, what);
        }
        for (at, what) in self.transcript_guesses(&line_at, glued, root_after, bare_root) {
            guess(&mut self.d, at, what);
        }
        // `{{ $labels.job }}`: the label of the firing alert, which Alertmanager fills in
        // a notification and the run does not have (an audit found a silence made for
        // `job="{{ .job }}"`): a placeholder, where no other template stands. So is
        // `{{namespace}}`, one name alone (audit 39 I-1 found it run as written).
        let (commands, mustaches) = match page_templates(&commands) {
            Some((placed, found)) => {
                let mut mustaches = Vec::new();
                for t in found {
                    let what = match t.label {
                        true => format!(
                            "`{}` is the firing alert's label `{}`, which the run does not have: read as the placeholder <{}>",
                            t.written, t.name, t.name
                        ),
                        false => format!(
                            "`{}` is a placeholder (one name in `{{{{ }}}}`, no template language's code): read as <{}>, an input, its value placed as a value (never pasted as code)",
                            t.written, t.name
                        ),
                    };
                    guess(&mut self.d, pos, what);
                    if !t.label {
                        mustaches.push(t);
                    }
                }
                (placed, mustaches)
            }
            None => (commands, Vec::new()),
        };
        // (Which of them were inputs already: read per name, as a page may have thousands
        // of inputs and blocks, audit 41 I41-14.)
        let before: Vec<bool> = mustaches
            .iter()
            .map(|t| {
                let name = t.name.to_ascii_lowercase().replace(['-', '.'], "_");
                self.d.inputs.contains_key(&name)
            })
            .collect();
        // `{{` of another template language (Go, Helm, jq): the command is kept
        // as written, placeholders and all, and says so.
        let no_templates = super::templates::holds_templates(&commands);
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
        // (A `{{name}}` made an input is shown as the page wrote it.)
        for (t, before) in mustaches.iter().zip(before) {
            let name = t.name.to_ascii_lowercase().replace(['-', '.'], "_");
            if !before && let Some(input) = self.d.inputs.get_mut(&name) {
                input.description = super::placeholder_description(&t.written);
            }
        }
        // "Check it with:" ending a section that describes the alert introduces
        // this command: it is the step's instructions, not the description's end.
        self.introduced_command();
        let item_used_before = self.item_used && self.prose.trim().is_empty();
        let mut instructions = self.take();
        if let Some(course) = &own_text {
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
            .filter(|b| {
                self.in_item > 0 && item_used_before && (either_or(b) || bold_either_or(b))
            });
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

/// A template of the page that stands for a placeholder: the firing alert's label
/// (`{{ $labels.job }}`), or one name alone (`{{namespace}}`).
pub(super) struct PageTemplate {
    /// As the page wrote it.
    pub(super) written: String,
    pub(super) name: String,
    pub(super) label: bool,
}

/// Words of Go's and Jinja's templates, which are code, not names.
const TEMPLATE_WORDS: &[&str] = &[
    "end", "else", "range", "if", "with", "define", "template", "block", "break", "continue",
    "nil", "true", "false", "not", "and", "or", "super", "loop", "self", "endif", "endfor",
];

/// A command whose only templates are the firing alert's labels (`{{ $labels.job }}`,
/// `{{ .Labels.instance }}`) or names alone (`{{namespace}}`, `{{ namespace }}`), with each
/// written as the placeholder `<job>`: (the command, the templates in order). `None` when it
/// has none, or templates of another kind too (`{{ .Values.x }}`, `{{ range }}`, a filter).
fn page_templates(command: &str) -> Option<(String, Vec<PageTemplate>)> {
    static TEMPLATE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\{\{-?\s*(?:(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]{0,63})|([A-Za-z_][A-Za-z0-9_-]{0,63}))\s*-?\}\}",
        )
        .ok()
    });
    let re = TEMPLATE.as_ref()?;
    if !command.contains("{{") || !re.is_match(command) {
        return None;
    }
    let mut found: Vec<PageTemplate> = Vec::new();
    let mut code = false;
    let placed = re.replace_all(command, |c: &regex::Captures| {
        let (name, label) = match (c.get(1), c.get(2)) {
            (Some(l), _) => (l.as_str(), true),
            (None, Some(n)) => (n.as_str(), false),
            (None, None) => return c[0].to_string(),
        };
        if !label && TEMPLATE_WORDS.contains(&name.to_ascii_lowercase().as_str()) {
            code = true;
            return c[0].to_string();
        }
        if !found.iter().any(|t| t.written == c[0]) {
            found.push(PageTemplate {
                written: c[0].to_string(),
                name: name.to_string(),
                label,
            });
        }
        format!("<{name}>")
    });
    (!code && !super::templates::holds_templates(&placed)).then(|| (placed.into_owned(), found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_alone_and_alert_labels_in_braces_are_placeholders() {
        for (command, want, names) in [
            (
                "kubectl delete pod -n {{namespace}} prometheus-k8s-0",
                "kubectl delete pod -n <namespace> prometheus-k8s-0",
                vec!["namespace"],
            ),
            (
                "kubectl -n {{ namespace }} get pods -l app={{ app-name }}",
                "kubectl -n <namespace> get pods -l app=<app-name>",
                vec!["namespace", "app-name"],
            ),
            (
                "amtool silence add job=\"{{ $labels.job }}\"",
                "amtool silence add job=\"<job>\"",
                vec!["job"],
            ),
        ] {
            let (placed, found) = page_templates(command).unwrap();
            assert_eq!(placed, want);
            assert_eq!(
                found.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
                names
            );
        }
    }

    #[test]
    fn other_template_languages_are_no_placeholders() {
        for command in [
            "helm template x --set image={{ .Values.image }}",
            "kubectl get pods -o go-template='{{ range .items }}{{ name }}{{ end }}'",
            "echo {{ name | upper }}",
            "echo {{ name }} {% if x %}",
            "docker ps --format '{{.Names}}'",
            "echo {{ end }}",
        ] {
            assert!(page_templates(command).is_none(), "{command}");
        }
    }
}
