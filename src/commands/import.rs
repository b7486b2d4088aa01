//! `runbook import FILE.md [-o OUT.yaml]`: a Markdown page → a first draft of a runbook
//! (`import`), with what the importer could not map said on stderr at `FILE.md:line`.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_stdout, report_error};
use crate::cli::ImportArgs;
use std::io::{Read, Write};

/// Pages larger than this are refused: a runbook page is a few kilobytes.
const MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn run(args: &ImportArgs) -> i32 {
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
        report_error(
            &format!("cannot read {shown}: {e}"),
            "give the path of a Markdown page, or `-` to read stdin",
        );
        return EXIT_USAGE;
    }
    if bytes.len() > MAX_BYTES {
        report_error(
            &format!("{shown} is larger than 10 MB: not a runbook page"),
            "import the page itself, not an export of a whole wiki",
        );
        return EXIT_USAGE;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = crate::import::line_of(&String::from_utf8_lossy(e.as_bytes()), at);
            report_error(
                &format!("{shown}:{line}: the page is not UTF-8 (byte {at})"),
                "convert it first (`iconv -f LATIN1 -t UTF-8`)",
            );
            return EXIT_USAGE;
        }
    };
    if text.trim().is_empty() {
        report_error(
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
    let mut draft = crate::import::import(&text, &stem);
    // Destructive commands, as lint's RB027 finds them: the step is dangerous.
    for step in &mut draft.steps {
        if let Some(run) = &step.run
            && let Some((_, what)) =
                crate::lint::rules::destructive_command::find_destructive(run).first()
        {
            step.dangerous = Some((*what).to_string());
        }
    }
    if args.strict && !draft.guesses.is_empty() {
        for (line, what) in &draft.guesses {
            report_error(
                &format!("{shown}:{line}: {}", what),
                "write it on the page so that nothing is guessed, or import without --strict",
            );
        }
        return EXIT_FAILED;
    }
    let yaml = crate::import::yaml::write(&draft, &shown);
    let code = match &args.output {
        None => print_stdout(&yaml),
        Some(out) => {
            let written = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(out)
                .and_then(|mut f| f.write_all(yaml.as_bytes()));
            match written {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    report_error(
                        &format!("cannot write {}: {e}", out.display()),
                        "give a new file with -o (an existing one is never overwritten)",
                    );
                    return EXIT_FAILED;
                }
            }
        }
    };
    // The honest part: what was made, and what was not.
    let commands = draft.steps.iter().filter(|s| s.run.is_some()).count();
    let dangerous = draft.steps.iter().filter(|s| s.dangerous.is_some()).count();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "imported {shown}: {} step{}, {commands} with commands ({dangerous} dangerous), {} input{}, {} guess{}, {} block{} left as text",
        draft.steps.len(),
        if draft.steps.len() == 1 { "" } else { "s" },
        draft.inputs.len(),
        if draft.inputs.len() == 1 { "" } else { "s" },
        draft.guesses.len(),
        if draft.guesses.len() == 1 { "" } else { "es" },
        draft.left.len(),
        if draft.left.len() == 1 { "" } else { "s" },
    );
    for (line, what) in &draft.guesses {
        let _ = writeln!(
            err,
            "  {shown}:{line}: guess: {}",
            crate::values::visible::visible(what)
        );
    }
    for (line, what) in &draft.left {
        let _ = writeln!(
            err,
            "  {shown}:{line}: left as text: {}",
            crate::values::visible::visible(what)
        );
    }
    code
}
