//! The terminal front end: inquire prompts on stderr. Arrows and Enter everywhere; typing
//! filters a menu (`r` Enter runs, `s` Enter skips); Ctrl-C at a prompt asks whether to abort.

use super::operator::{Answer, AskError, Operator, Question};
use crate::values::visible::visible;
use inquire::error::InquireError;
use inquire::validator::Validation;
use inquire::{Editor, Password, PasswordDisplayMode, Select, Text};

pub struct Terminal;

impl Terminal {
    /// A terminal front end when stdin and stderr are terminals.
    pub fn detect() -> Option<Terminal> {
        use std::io::IsTerminal;
        (std::io::stdin().is_terminal() && std::io::stderr().is_terminal()).then_some(Terminal)
    }
}

fn err(e: InquireError) -> AskError {
    match e {
        InquireError::OperationInterrupted | InquireError::OperationCanceled => {
            AskError::Interrupted
        }
        other => AskError::Terminal(other.to_string()),
    }
}

fn select(message: &str, options: &[&str], help: &str) -> Result<usize, AskError> {
    select_from(message, options, help, 0)
}

/// A menu whose cursor starts on option `start`.
fn select_from(
    message: &str,
    options: &[&str],
    help: &str,
    start: usize,
) -> Result<usize, AskError> {
    // What the runbook says is shown without control (`values::visible`); the answer is the
    // option's index.
    let items: Vec<String> = options.iter().map(|s| visible(s).into_owned()).collect();
    let chosen = Select::new(&visible(message), items.clone())
        .with_help_message(help)
        .with_page_size(10)
        .with_starting_cursor(start.min(items.len().saturating_sub(1)))
        .prompt()
        .map_err(err)?;
    Ok(items.iter().position(|i| *i == chosen).unwrap_or(0))
}

fn reason(message: &str) -> Result<String, AskError> {
    Text::new(message)
        .with_help_message("one line, for the journal; Enter for none")
        .prompt()
        .map_err(err)
}

const MENU_HELP: &str = "↑↓ to move, Enter to pick, type to filter";

impl Operator for Terminal {
    fn interactive(&self) -> bool {
        true
    }

    fn ask(&mut self, q: &Question) -> Result<Answer, AskError> {
        // A prompt blocks reading a key: SIGTERM or SIGHUP meanwhile ends the run (`signals`).
        super::signals::at_prompt(|| self.prompt(q))
    }
}

impl Terminal {
    fn prompt(&mut self, q: &Question) -> Result<Answer, AskError> {
        match q {
            Question::Input {
                name,
                description,
                choices,
                pattern,
                secret,
                ..
            } => {
                let message = match description {
                    Some(d) => format!("{name} ({d})"),
                    None => name.clone(),
                };
                if !choices.is_empty() {
                    let options: Vec<&str> = choices.iter().map(String::as_str).collect();
                    let i = select(&message, &options, MENU_HELP)?;
                    return Ok(Answer::Text(choices[i].clone()));
                }
                let validator = pattern_validator(pattern.clone());
                let value = if *secret {
                    Password::new(&visible(&message))
                        .without_confirmation()
                        .with_display_mode(PasswordDisplayMode::Masked)
                        .with_validator(validator)
                        .prompt()
                } else {
                    Text::new(&visible(&message))
                        .with_validator(validator)
                        .prompt()
                };
                value.map(Answer::Text).map_err(err)
            }
            Question::ChecklistItem {
                item, index, total, ..
            } => {
                let message = format!("[{}/{total}] {item}", index + 1);
                match select(&message, &["done", "skip (say why)"], MENU_HELP)? {
                    0 => Ok(Answer::Done),
                    _ => Ok(Answer::Skip(reason("Why skip it?")?)),
                }
            }
            Question::Manual { .. } => match select(
                "Done?",
                &["done", "skip (say why)", "abort the run"],
                MENU_HELP,
            )? {
                0 => Ok(Answer::Done),
                1 => Ok(Answer::Skip(reason("Why skip it?")?)),
                _ => Ok(Answer::Abort),
            },
            Question::RunCommand { command, .. } => {
                match select(
                    "Run it?",
                    &[
                        "run",
                        "skip (say why)",
                        "edit the command, then run it",
                        "abort the run",
                    ],
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Run),
                    1 => Ok(Answer::Skip(reason("Why skip it?")?)),
                    2 => edit(command),
                    _ => Ok(Answer::Abort),
                }
            }
            Question::Dangerous {
                phrase, rollback, ..
            } => {
                let what = if *rollback { "roll it back" } else { "run it" };
                Text::new(&visible(&format!(
                    "Type {phrase} to {what} (empty to skip):"
                )))
                .prompt()
                .map(Answer::Text)
                .map_err(err)
            }
            Question::Choose {
                prompt,
                options,
                default,
                ..
            } => {
                let refs: Vec<&str> = options.iter().map(String::as_str).collect();
                let message = prompt.clone().unwrap_or_else(|| "Which one?".into());
                select_from(&message, &refs, MENU_HELP, default.unwrap_or(0)).map(Answer::Choice)
            }
            Question::Ask {
                prompt,
                pattern,
                choices,
                default,
                secret,
                ..
            } => {
                if !choices.is_empty() {
                    let refs: Vec<&str> = choices.iter().map(String::as_str).collect();
                    let i = select(prompt, &refs, MENU_HELP)?;
                    return Ok(Answer::Text(choices[i].clone()));
                }
                let validator = pattern_validator(pattern.clone());
                let value = if *secret {
                    Password::new(&visible(prompt))
                        .without_confirmation()
                        .with_display_mode(PasswordDisplayMode::Masked)
                        .with_validator(validator)
                        .prompt()
                } else {
                    let shown = visible(prompt);
                    let mut text = Text::new(&shown).with_validator(validator);
                    // A default that would be shown changed is not offered: Enter would
                    // give a value the operator did not see.
                    if let Some(d) = default.as_deref().filter(|d| visible(d) == *d) {
                        text = text.with_default(d);
                    }
                    text.prompt()
                };
                value.map(Answer::Text).map_err(err)
            }
            Question::Failure { command, .. } => {
                #[derive(Clone, Copy)]
                enum Pick {
                    Retry,
                    Edit,
                    Shell,
                    Skip,
                    Abort,
                }
                let mut menu = vec![("retry", Pick::Retry)];
                // A step that failed before or after its command has no command to edit.
                if !command.is_empty() {
                    menu.push(("edit the command, then run it", Pick::Edit));
                }
                menu.extend([
                    ("open a shell here (exit to come back)", Pick::Shell),
                    ("skip this step (say why)", Pick::Skip),
                    ("abort the run (rollbacks will be offered)", Pick::Abort),
                ]);
                let labels: Vec<&str> = menu.iter().map(|(label, _)| *label).collect();
                let picked = select("The step failed. What now?", &labels, MENU_HELP)?;
                match menu.get(picked).map_or(Pick::Abort, |(_, pick)| *pick) {
                    Pick::Retry => Ok(Answer::Retry),
                    Pick::Edit => edit(command),
                    Pick::Shell => Ok(Answer::Shell),
                    Pick::Skip => Ok(Answer::Skip(reason("Why skip it?")?)),
                    Pick::Abort => Ok(Answer::Abort),
                }
            }
            Question::Note { .. } => Text::new("Note for the journal (Enter for none):")
                .prompt()
                .map(Answer::Text)
                .map_err(err),
            Question::Rollback { step, command } if command.starts_with("by hand: ") => {
                match select(
                    &format!("Is the rollback of {step} done (by hand)?"),
                    &["done", "not now (skip it)"],
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Done),
                    _ => Ok(Answer::Skip("not done by the operator".into())),
                }
            }
            Question::Rollback { step, .. } => {
                match select(
                    &format!("Run the rollback of {step}?"),
                    &["run it", "skip it"],
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Run),
                    _ => Ok(Answer::Skip("declined by the operator".into())),
                }
            }
            Question::ResumeStep { step } => {
                let options = [
                    "run it again",
                    "mark it done (say what was done)",
                    "skip it (say why)",
                ];
                match select(
                    &format!("Step {step} started and never finished. What now?"),
                    &options,
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Retry),
                    1 => Ok(Answer::Done),
                    _ => Ok(Answer::Skip(reason("Why skip it?")?)),
                }
            }
            Question::TakeOver { run, holder } => Text::new(&visible(&format!(
                "Take run {run} over from {holder}? Type {run} to take it (empty to stop):"
            )))
            .prompt()
            .map(Answer::Text)
            .map_err(err),
            Question::GoOnAlone { since, store, .. } => {
                match select(
                    &format!(
                        "Contact with the team store {store} is lost since {since}: someone may take this run over. Go on alone?"
                    ),
                    &[
                        "yes, go on alone (recorded)",
                        "no, stop here (the run can be resumed, here or elsewhere)",
                    ],
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Done),
                    _ => Ok(Answer::Abort),
                }
            }
            Question::NextBatch {
                hosts, batch, of, ..
            } => {
                match select(
                    &format!("Start batch {batch} of {of}: {hosts}?"),
                    &["yes, start it", "no, stop the step here"],
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Done),
                    _ => Ok(Answer::Abort),
                }
            }
            Question::AcceptChanged { .. } => {
                match select(
                    "The runbook changed since the run started. Go on with the new version?",
                    &["yes, go on", "no, stop here"],
                    MENU_HELP,
                )? {
                    0 => Ok(Answer::Done),
                    _ => Ok(Answer::Abort),
                }
            }
            Question::Interrupted { .. } => {
                match select(
                    "Interrupted. Abort the run?",
                    &["no, go back to the question", "yes, abort the run"],
                    MENU_HELP,
                ) {
                    Ok(0) => Ok(Answer::Retry),
                    Ok(_) | Err(AskError::Interrupted) => Ok(Answer::Abort),
                    Err(e) => Err(e),
                }
            }
        }
    }
}

fn edit(command: &str) -> Result<Answer, AskError> {
    let edited = if command.contains('\n') {
        Editor::new("Edit the command:")
            .with_predefined_text(command)
            .with_file_extension(".sh")
            .prompt()
    } else {
        Text::new("Edit the command:")
            .with_initial_value(command)
            .prompt()
    }
    .map_err(err)?;
    Ok(Answer::Edit(edited))
}

fn pattern_validator(
    pattern: Option<String>,
) -> impl Fn(&str) -> Result<Validation, inquire::CustomUserError> + Clone {
    move |value: &str| {
        let Some(p) = &pattern else {
            return Ok(Validation::Valid);
        };
        match crate::values::pattern::compile(p) {
            Ok(re) if re.is_match(value) => Ok(Validation::Valid),
            Ok(_) => Ok(Validation::Invalid(format!("must match {p}").into())),
            Err(_) => Ok(Validation::Valid),
        }
    }
}
