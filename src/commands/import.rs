//! `runbook import FILE.md [-o OUT.yaml]`: a Markdown page → a first draft of a runbook
//! (`import`), with what the importer could not map said on stderr at `FILE.md:line`.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_stdout, report_error};
use crate::cli::ImportArgs;
use std::fmt::Write as _;
use std::io::{Read, Write};

/// `runbook import DIR --out-dir OUT`: every `.md` page of DIR, each to `OUT/NAME.yaml`;
/// nothing is written when any of them exists already.
fn folder(args: &ImportArgs) -> i32 {
    let Some(out_dir) = &args.out_dir else {
        report_error(
            &format!(
                "{} is a folder: its pages need a folder for their runbooks",
                args.file.display()
            ),
            "add --out-dir DIR (each NAME.md becomes DIR/NAME.yaml)",
        );
        return EXIT_USAGE;
    };
    let mut pages: Vec<std::path::PathBuf> = match std::fs::read_dir(&args.file) {
        Ok(entries) => entries
            .flatten()
            .filter(|e| {
                let page = e
                    .path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("md"));
                // A link may lead out of the folder (`passwd.md → /etc/passwd`): only the
                // folder's own files are its pages.
                let file = e.file_type().is_ok_and(|t| t.is_file());
                if page && !file {
                    eprintln!(
                        "  {}: skipped: not a file of the folder (a link, a folder or a device)",
                        crate::values::visible::visible(&e.path().display().to_string())
                    );
                } else if e.file_type().is_ok_and(|t| t.is_dir()) {
                    // Only the folder's own pages: a sub-folder is imported on its own.
                    eprintln!(
                        "  {}: skipped: a folder (import it on its own, with its own --out-dir)",
                        crate::values::visible::visible(&e.path().display().to_string())
                    );
                }
                page && file
            })
            .map(|e| e.path())
            .collect(),
        Err(e) => {
            report_error(
                &format!("cannot read the folder {}: {e}", args.file.display()),
                "",
            );
            return EXIT_USAGE;
        }
    };
    pages.sort();
    if pages.is_empty() {
        report_error(
            &format!("{} has no .md page", args.file.display()),
            "give a folder of Markdown pages, or one page",
        );
        return EXIT_USAGE;
    }
    let targets: Vec<std::path::PathBuf> = pages
        .iter()
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out_dir.join(format!("{stem}.yaml"))
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    if let Some(twice) = targets
        .iter()
        .find(|t| !seen.insert(t.to_string_lossy().to_lowercase()))
    {
        report_error(
            &format!(
                "two pages of {} would both become {}: nothing was imported",
                args.file.display(),
                twice.display()
            ),
            "rename one of them (`x.md` and `x.MD` share a name)",
        );
        return EXIT_FAILED;
    }
    if let Some(taken) = targets.iter().find(|t| t.exists()) {
        report_error(
            &format!("{} already exists: nothing was imported", taken.display()),
            "move it away, or import into another --out-dir",
        );
        return EXIT_FAILED;
    }
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        report_error(&format!("cannot create {}: {e}", out_dir.display()), "");
        return EXIT_FAILED;
    }
    // The pages are imported at once on every core (each writes its own file, checked
    // above to be distinct and new); what each says is printed afterwards, in page order.
    use rayon::prelude::*;
    let results: Vec<(i32, String)> = pages
        .par_iter()
        .zip(targets.clone())
        .map(|(file, target)| {
            let mut err = String::new();
            let code = page(
                &ImportArgs {
                    file: file.clone(),
                    out_dir: None,
                    output: Some(target),
                    strict: args.strict,
                },
                &mut err,
            );
            (code, err)
        })
        .collect();
    let mut worst = EXIT_OK;
    let mut stderr = std::io::stderr().lock();
    let failed = results.iter().filter(|(code, _)| *code != EXIT_OK).count();
    for (code, err) in results {
        let _ = stderr.write_all(err.as_bytes());
        worst = worst.max(code);
    }
    // All or nothing: a folder imported again once its bad pages are fixed must not find
    // the drafts of the good ones in the way (none of them existed before this run).
    if failed > 0 {
        let removed = targets
            .iter()
            .filter(|t| std::fs::remove_file(t).is_ok())
            .count();
        drop(stderr);
        report_error(
            &format!(
                "{failed} of the {} pages of {} could not be imported: nothing was imported{}",
                pages.len(),
                args.file.display(),
                match removed {
                    0 => String::new(),
                    1 => " (the draft written was removed)".to_string(),
                    n => format!(" (the {n} drafts written were removed)"),
                }
            ),
            "fix the pages named above (or move them out of the folder), and import the folder again",
        );
    }
    worst
}

/// Pages larger than this are refused: a runbook page is a few kilobytes.
const MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn run(args: &ImportArgs) -> i32 {
    if args.file.is_dir() {
        return folder(args);
    }
    let mut err = String::new();
    let code = page(args, &mut err);
    let _ = std::io::stderr().lock().write_all(err.as_bytes());
    code
}

/// An error in the house style (`report_error`), kept in `err` with the page's other
/// messages, so that a folder's pages, imported at once, are reported one after the other.
fn report(err: &mut String, message: &str, help: &str) {
    super::status::error_text(err, message, help);
}

/// Imports one page; what it says for stderr goes into `err`.
fn page(args: &ImportArgs, err: &mut String) -> i32 {
    if args.out_dir.is_some() {
        report(
            err,
            &format!(
                "--out-dir is for a folder of pages, and {} is a file",
                args.file.display()
            ),
            "give the runbook's path with -o OUT.yaml",
        );
        return EXIT_USAGE;
    }
    let stdin = args.file.as_os_str() == "-";
    let shown = if stdin {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let mut bytes = Vec::new();
    let read = if stdin {
        std::io::stdin()
            .lock()
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(&args.file)
            .and_then(|f| f.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes))
    };
    if let Err(e) = read {
        report(
            err,
            &format!("cannot read {shown}: {e}"),
            "give the path of a Markdown page, or `-` to read stdin",
        );
        return EXIT_USAGE;
    }
    if bytes.len() > MAX_BYTES {
        report(
            err,
            &format!("{shown} is larger than 10 MB: not a runbook page"),
            "import the page itself, not an export of a whole wiki",
        );
        return EXIT_USAGE;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let pos = crate::import::pos_of_bytes(e.as_bytes(), at);
            report(
                err,
                &format!("{shown}:{pos}: the page is not UTF-8 (byte {at})"),
                "convert it first (`iconv -f LATIN1 -t UTF-8`)",
            );
            return EXIT_USAGE;
        }
    };
    // A NUL byte cannot be in a command (the step could never start) nor in YAML text.
    if let Some(at) = text.find('\0') {
        let pos = crate::import::pos_of(&text, at);
        report(
            err,
            &format!("{shown}:{pos}: the page holds a NUL byte: not a text page"),
            "remove the NUL bytes (`tr -d '\\000' < page.md`), or import the page it was made from",
        );
        return EXIT_USAGE;
    }
    if text.trim().is_empty() {
        report(
            err,
            &format!("{shown} is empty"),
            "give a page with at least a heading and a command",
        );
        return EXIT_USAGE;
    }
    let stem = if stdin {
        "page".to_string()
    } else {
        args.file
            .file_stem()
            .map_or_else(|| "page".into(), |s| s.to_string_lossy().into_owned())
    };
    let source = if stdin {
        crate::import::STDIN.to_string()
    } else {
        args.file.file_name().map_or_else(
            || format!("{stem}.md"),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let mut draft = crate::import::import_from(&text, &stem, &source);
    if draft.too_many_inputs.is_some() {
        report(
            err,
            &format!(
                "{shown}: the page asks for more than {} inputs (placeholders, exports and unset `$VAR`s), more than a runbook made of one page may ask for: nothing was written",
                crate::import::MAX_INPUTS
            ),
            "split the page into pages of a few sections each (a runbook per alert), and import those",
        );
        return EXIT_FAILED;
    }
    // Destructive commands, as lint's RB027 finds them: the step is dangerous.
    for step in &mut draft.steps {
        // (Read as lint reads it: each `{{ }}` a placeholder of its length, one word.)
        let lexed = step.run.as_deref().map(crate::template::placeholders);
        if let Some(run) = &lexed {
            // Every kind of danger of the step, in the order of its commands.
            let mut found = crate::lint::rules::destructive_command::find_destructive(run);
            found.sort_by_key(|(at, _)| at.start);
            let mut named: Vec<&str> = Vec::new();
            for (_, what) in found {
                if !named.contains(&what) {
                    named.push(what);
                }
            }
            if !named.is_empty() {
                step.dangerous = Some(named.join("; "));
            } else if let Some(words) = crate::import::irreversible::warned(&step.instructions) {
                // A command RB027 does not know (`./scripts/purge-tenant.sh`) that the page
                // says cannot be undone (audit 18 A-7).
                let what = format!(
                    "dangerous: the page says \"{words}\" of this step's command, which lint's RB027 does not know as destructive: confirmed by typing the step's id"
                );
                step.dangerous = Some(format!("the page says {words}"));
                step.notes.push(format!("{}: guess: {what}", step.pos));
                draft.guesses.push((step.pos, what));
            }
        }
        // Commands that need the terminal (RB034's finding) run attached to it.
        if let Some(run) = &lexed
            && let Some((_, what)) =
                crate::lint::rules::interactive_command::find_interactive(run).first()
        {
            step.interactive = true;
            step.notes.push(format!(
                "{}: `{what}` needs a terminal: the step is `interactive: true` (nothing of its output is kept)",
                step.pos
            ));
        }
        // A command that runs until Ctrl-C, with commands after it: Ctrl-C ends the step, and
        // they never run (an audit found a `tail -f` block joined to six commands).
        // A shell opened on another host or as root (`ssh HOST`, `sudo -i`) with commands
        // after it: they run here, once that shell ends, not in it (an audit found
        // `ssh <PRIMARY_HOST>` then `sudo gitlab-patronictl list` meant for the primary).
        if let Some(run) = &lexed {
            use crate::lint::rules::interactive_command::{
                UNTIL_INTERRUPTED, find_interactive, opens_a_shell,
            };
            let followed = |at: &std::ops::Range<usize>| {
                run.get(at.end..).is_some_and(|rest| {
                    rest.split_once('\n').is_some_and(|(_, after)| {
                        after.lines().any(|l| {
                            let l = l.trim();
                            !l.is_empty() && !l.starts_with('#')
                        })
                    })
                })
            };
            let found = find_interactive(run);
            let said = found.iter().find_map(|(at, what)| {
                if !followed(at) {
                    None
                } else if what.ends_with(UNTIL_INTERRUPTED) {
                    Some(format!(
                        "`{}` runs until Ctrl-C, which ends the step: the commands after it in step `{}` never run; move them to a step of their own",
                        what.trim_end_matches(UNTIL_INTERRUPTED).trim_end(),
                        step.id
                    ))
                } else if opens_a_shell(what) {
                    Some(format!(
                        "`{}` opens a shell, and the commands after it in step `{}` run here once that shell ends, not in it: run each where the page means it (`ssh HOST 'command'`, `sudo command`) or in a step of its own",
                        // (The command's line as the step has it: the lexed text has
                        // its `{{ }}` at the same offsets.)
                        step.run
                            .as_deref()
                            .and_then(|r| r.get(at.start..))
                            .and_then(|r| r.lines().next())
                            .unwrap_or(what.as_str())
                            .trim(),
                        step.id
                    ))
                } else {
                    None
                }
            });
            if let Some(what) = said {
                step.notes.push(format!("{}: guess: {what}", step.pos));
                draft.guesses.push((step.pos, what));
            }
        }
    }
    // (The guesses found here, among the importer's, in the page's order.)
    draft.sort_guesses();
    if args.strict && !draft.guesses.is_empty() {
        for (pos, what) in &draft.guesses {
            report(
                err,
                &format!("{shown}:{pos}: {}", what),
                "write it on the page so that nothing is guessed, or import without --strict",
            );
        }
        return EXIT_FAILED;
    }
    let yaml = if draft.too_large {
        String::new()
    } else {
        crate::import::yaml::write(&draft, &shown)
    };
    // It could not be linted or run: nothing is written rather than a file that fails.
    let max = crate::load::yaml::MAX_FILE_BYTES;
    let over = if draft.too_large {
        Some(format!(
            "would be larger than the {max} bytes a runbook may have (its exports, written into each later step)"
        ))
    } else if yaml.len() > max {
        Some(format!(
            "would be {} bytes, more than the {max} a runbook may have",
            yaml.len()
        ))
    } else {
        // RB001's other limit: a page of 25,000 one-line sections is well under the bytes.
        crate::import::yaml::too_many_values(&yaml).map(|n| {
            format!(
                "would have {n} values (keys, texts and lists), more than the {} a runbook may have",
                crate::load::yaml::MAX_VALUES
            )
        })
    };
    if let Some(over) = over {
        report(
            err,
            &format!(
                "{shown}: the runbook made of it ({} steps) {over}: nothing was written",
                draft.steps.len(),
            ),
            "split the page into pages of a few sections each (a runbook per alert), and import those",
        );
        return EXIT_FAILED;
    }
    let code = match &args.output {
        // `-o -`: standard output, as `-` is standard input.
        None => print_stdout(&yaml),
        Some(out) if out.as_os_str() == "-" => print_stdout(&yaml),
        Some(out) => {
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(out)
                .and_then(|mut f| f.write_all(yaml.as_bytes()));
            match written {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    let (message, help) = unwritable(out, &e);
                    report(err, &message, &help);
                    return EXIT_FAILED;
                }
            }
        }
    };
    // The honest part: what was made, and what was not.
    let commands = draft.steps.iter().filter(|s| s.run.is_some()).count();
    let dangerous = draft.steps.iter().filter(|s| s.dangerous.is_some()).count();
    let interactive = draft.steps.iter().filter(|s| s.interactive).count();
    let decisions = draft.steps.iter().filter(|s| !s.choose.is_empty()).count();
    // Placeholders only some options use, asked there (each counted once).
    let asked: std::collections::BTreeSet<&str> = draft
        .steps
        .iter()
        .flat_map(|s| s.asks.iter().map(|(var, _)| var.as_str()))
        .collect();
    let inputs = match asked.len() {
        0 => format!(
            "{} input{}",
            draft.inputs.len(),
            if draft.inputs.len() == 1 { "" } else { "s" }
        ),
        n => format!(
            "{} input{} (and {n} value{} asked in the option{} that use{} {})",
            draft.inputs.len(),
            if draft.inputs.len() == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            if n == 1 { "it" } else { "them" },
        ),
    };
    // Written at once by the caller: stderr is not buffered, and a folder has many pages.
    let _ = writeln!(
        err,
        "imported {shown}: {} step{}, {commands} with commands ({dangerous} dangerous, {interactive} interactive), {decisions} decision{}, {inputs}, {} guess{}, {} block{} left as text",
        draft.steps.len(),
        if draft.steps.len() == 1 { "" } else { "s" },
        if decisions == 1 { "" } else { "s" },
        draft.guesses.len(),
        if draft.guesses.len() == 1 { "" } else { "es" },
        draft.left.len(),
        if draft.left.len() == 1 { "" } else { "s" },
    );
    for (pos, what) in &draft.guesses {
        let _ = writeln!(
            err,
            "  {shown}:{pos}: guess: {}",
            crate::values::visible::visible(what)
        );
    }
    for (pos, what) in &draft.left {
        let _ = writeln!(
            err,
            "  {shown}:{pos}: left as text: {}",
            crate::values::visible::visible(what)
        );
    }
    code
}

/// Why `-o OUT` could not be written, and what to do: a folder named, a folder that does
/// not exist, a file that exists (never overwritten), or what the system said.
fn unwritable(out: &std::path::Path, e: &std::io::Error) -> (String, String) {
    let shown = out.display();
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    if out.is_dir() {
        (
            format!("cannot write {shown}: it is a folder"),
            format!(
                "-o names the runbook's file: give one in it (`-o {}`), or import a folder of pages with --out-dir",
                out.join("NAME.yaml").display()
            ),
        )
    } else if e.kind() == std::io::ErrorKind::AlreadyExists {
        (
            format!("cannot write {shown}: the file exists"),
            "give a new file with -o (an existing one is never overwritten), or remove it first"
                .into(),
        )
    } else if !parent.is_dir() {
        (
            format!(
                "cannot write {shown}: the folder {} does not exist",
                parent.display()
            ),
            format!(
                "create it first (`mkdir -p {}`), or give a file in a folder that exists",
                parent.display()
            ),
        )
    } else {
        (
            format!("cannot write {shown}: {e}"),
            "give a new file with -o in a folder you may write to".into(),
        )
    }
}
