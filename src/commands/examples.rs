//! `runbook examples [copy]`: the runbooks of `runbooks/` and their drill answers, compiled
//! into the binary, so that a new hire can practise in an empty folder. They are only ever
//! listed or written out: `run`, `drill` and `lint` see files, never a bundled example.

use super::{EXIT_FAILED, EXIT_OK, EXIT_USAGE, print_stdout, report_error};
use crate::cli::{ExamplesAction, ExamplesArgs, ExamplesCopyArgs};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One bundled example.
pub struct Example {
    pub name: &'static str,
    pub runbook: &'static str,
    /// The answers file of a non-interactive drill (`examples/answers/NAME.yaml`).
    pub answers: &'static str,
    pub teaches: &'static str,
}

macro_rules! example {
    ($name:literal, $teaches:literal) => {
        Example {
            name: $name,
            runbook: include_str!(concat!("../../runbooks/", $name, ".yaml")),
            answers: include_str!(concat!("../../examples/answers/", $name, ".yaml")),
            teaches: $teaches,
        }
    };
}

pub const EXAMPLES: &[Example] = &[
    example!(
        "db-overload",
        "decisions on captured values, a question, a dangerous step and its rollback, a wait, sub-runbooks"
    ),
    example!(
        "disk-full",
        "a real run on any machine: read-only looking around, a decision, one confirmed cleanup"
    ),
    example!(
        "bad-deploy",
        "a Kubernetes rollback: waits on health checks, a dangerous undo, stopping the pipeline"
    ),
    example!(
        "tls-expiry",
        "a certificate renewal with certbot and nginx: captures, two dangerous steps and their rollbacks"
    ),
    example!(
        "incident-kickoff",
        "the first ten minutes of any incident: roles, questions, checklists"
    ),
    example!(
        "rolling-restart",
        "steps on a fleet over ssh: a canary host, then batches with a health check and a go before each"
    ),
    example!(
        "notify-stakeholders",
        "a short runbook the others call (`runbook:` with `with:`): one status update"
    ),
];

pub fn run(args: &ExamplesArgs) -> i32 {
    match &args.action {
        None => print_stdout(&listing()),
        Some(ExamplesAction::Copy(copy)) => match copy_examples(copy) {
            Ok(written) => {
                print_stdout(&written);
                EXIT_OK
            }
            Err((code, message, help)) => {
                report_error(&message, &help);
                code
            }
        },
    }
}

/// The title of an example, read from its runbook.
fn title(e: &Example) -> String {
    let loaded = crate::load::load_bytes(Path::new(e.name), e.runbook.as_bytes().to_vec());
    loaded
        .runbook
        .and_then(|r| r.title.map(|t| t.value))
        .unwrap_or_default()
}

fn listing() -> String {
    let mut out = String::from("Example runbooks built into runbook:\n\n");
    let width = EXAMPLES.iter().map(|e| e.name.len()).max().unwrap_or(0);
    for e in EXAMPLES {
        out.push_str(&format!(
            "  {:width$}  {}\n  {:width$}  teaches: {}\n",
            e.name,
            title(e),
            "",
            e.teaches
        ));
    }
    out.push_str(
        "\nCopy them here with `runbook examples copy` (or `runbook examples copy NAME…`), then\n\
         practise one: `runbook drill db-overload`.\n",
    );
    out
}

/// The dangerous steps of an example, which a drill without prompts confirms with
/// `--confirm STEP`.
fn dangerous(e: &Example) -> Vec<String> {
    let loaded = crate::load::load_bytes(Path::new(e.name), e.runbook.as_bytes().to_vec());
    loaded
        .runbook
        .map(|rb| {
            rb.steps
                .iter()
                .filter(|s| s.is_dangerous())
                .map(|s| s.id())
                .collect()
        })
        .unwrap_or_default()
}

/// The runbooks an example calls (`runbook: NAME`), found among the examples.
fn called(e: &Example) -> Vec<&'static Example> {
    let loaded = crate::load::load_bytes(Path::new(e.name), e.runbook.as_bytes().to_vec());
    let Some(rb) = loaded.runbook else {
        return Vec::new();
    };
    rb.steps
        .iter()
        .filter_map(|s| s.runbook.as_ref())
        .filter_map(|r| {
            EXAMPLES
                .iter()
                .find(|x| x.name == r.value.trim_end_matches(".yaml"))
        })
        .collect()
}

type Failure = (i32, String, String);

fn copy_examples(args: &ExamplesCopyArgs) -> Result<String, Failure> {
    // Which examples: the ones named (each with the runbooks it calls), or all.
    let mut chosen: Vec<&Example> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&Example> = if args.names.is_empty() {
        EXAMPLES.iter().collect()
    } else {
        let mut named = Vec::new();
        for name in &args.names {
            let name = name.trim_end_matches(".yaml");
            match EXAMPLES.iter().find(|e| e.name == name) {
                Some(e) => named.push(e),
                None => {
                    let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
                    let hint = crate::suggest::did_you_mean(name, names.iter().copied())
                        .map(|s| format!("did you mean `{s}`? "))
                        .unwrap_or_default();
                    return Err((
                        EXIT_USAGE,
                        format!("there is no example named `{name}`"),
                        format!("{hint}the examples are: {}", names.join(", ")),
                    ));
                }
            }
        }
        named
    };
    while let Some(e) = todo.pop() {
        if seen.insert(e.name) {
            chosen.push(e);
            todo.extend(called(e));
        }
    }
    chosen.sort_by_key(|e| EXAMPLES.iter().position(|x| x.name == e.name));
    // Runbooks and answers files share names: one folder for both would overwrite, and
    // answers inside the runbooks' folder would be read by `runbook lint DIR` as runbooks.
    let (to, answers_to) = (absolute(&args.to), absolute(&args.answers_to));
    if answers_to.starts_with(&to) {
        let what = if to == answers_to {
            format!(
                "--to and --answers-to are both {}: the answers files have the runbooks' names",
                args.to.display()
            )
        } else {
            format!(
                "--answers-to {} is inside --to {}: `runbook lint {}` would read the answers files as runbooks",
                args.answers_to.display(),
                args.to.display(),
                args.to.display()
            )
        };
        return Err((
            EXIT_USAGE,
            what,
            "give the answers a folder beside the runbooks' (`--answers-to answers`)".into(),
        ));
    }
    for (dir, flag) in [(&args.to, "--to"), (&args.answers_to, "--answers-to")] {
        if dir.exists() && !dir.is_dir() {
            return Err((
                EXIT_FAILED,
                format!("{} is not a folder", dir.display()),
                format!("give `{flag}` a folder (it is created if missing)"),
            ));
        }
    }
    // The answers files name where they are in their comments.
    let answers_dir = format!("{}/", args.answers_to.display());
    let files: Vec<(PathBuf, String)> = chosen
        .iter()
        .flat_map(|e| {
            [
                (
                    args.to.join(format!("{}.yaml", e.name)),
                    e.runbook.to_string(),
                ),
                (
                    args.answers_to.join(format!("{}.yaml", e.name)),
                    e.answers.replace("examples/answers/", &answers_dir),
                ),
            ]
        })
        .collect();
    // Nothing is overwritten: every file is checked before the first is written.
    if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
        return Err((
            EXIT_FAILED,
            format!("{} already exists: nothing was copied", path.display()),
            "move or remove it, name only the examples you want, or copy with `--to DIR`/`--answers-to DIR` elsewhere".into(),
        ));
    }
    for (dir, flag) in [(&args.to, "--to"), (&args.answers_to, "--answers-to")] {
        std::fs::create_dir_all(dir).map_err(|e| {
            (
                EXIT_FAILED,
                format!("cannot create the folder {}: {e}", dir.display()),
                format!("check the path and its permissions, or give another with `{flag} DIR`"),
            )
        })?;
    }
    let mut written = Vec::new();
    for (i, (path, text)) in files.iter().enumerate() {
        let flag = if i % 2 == 0 { "--to" } else { "--answers-to" };
        let result = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = result {
            let done = if written.is_empty() {
                String::new()
            } else {
                format!(" (written before it: {})", written.join(", "))
            };
            return Err((
                EXIT_FAILED,
                format!("cannot write {}: {e}{done}", path.display()),
                format!("check the folder's permissions, or copy elsewhere with `{flag} DIR`"),
            ));
        }
        written.push(path.display().to_string());
    }
    let mut out = String::new();
    for e in &chosen {
        out.push_str(&format!(
            "wrote {} and {}\n",
            args.to.join(format!("{}.yaml", e.name)).display(),
            args.answers_to.join(format!("{}.yaml", e.name)).display()
        ));
    }
    if let Some(e) = chosen.first() {
        let confirm: String = dangerous(e)
            .iter()
            .map(|c| format!(" --confirm {c}"))
            .collect();
        let path = if args.to == Path::new("runbooks") {
            e.name.to_string()
        } else {
            args.to
                .join(format!("{}.yaml", e.name))
                .display()
                .to_string()
        };
        out.push_str(&format!(
            "\nPractise one: `runbook drill {path}` (or, without prompts: `runbook drill {path} --yes --answers {}{confirm}`)\n",
            args.answers_to.join(format!("{}.yaml", e.name)).display()
        ));
    }
    Ok(out)
}

/// `path` from the root, as the file system will resolve it: the real path of the part that
/// exists (symbolic links followed), then the rest with `.` and `..` applied.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    let base = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break existing.to_path_buf(),
        }
    };
    let mut out = base;
    for part in rest.iter().rev() {
        out.push(part);
    }
    let mut clean = PathBuf::new();
    for c in out.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_runbook_is_an_example_with_a_title() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| {
                        e.file_name()
                            .to_string_lossy()
                            .trim_end_matches(".yaml")
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        let mut names: Vec<String> = EXAMPLES.iter().map(|e| e.name.to_string()).collect();
        names.sort();
        assert_eq!(files, names);
        for e in EXAMPLES {
            assert!(!title(e).is_empty(), "{}", e.name);
        }
        let db = EXAMPLES.iter().find(|e| e.name == "db-overload");
        assert!(db.is_some_and(|e| called(e).iter().any(|c| c.name == "notify-stakeholders")));
    }
}
