//! `runbook new NAME`: writes `./runbooks/NAME.yaml`, a commented starting runbook that
//! shows every step kind and lints clean (shellcheck included), so a team starts from a
//! working file rather than a blank page.

use super::{EXIT_FAILED, EXIT_USAGE, print_stdout, report_error};
use crate::cli::NewArgs;
use crate::lint::rules::invalid_name::is_runbook_name;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The starting runbook; `__NAME__` and `__TITLE__` are filled in.
const TEMPLATE: &str = include_str!("new_template.yaml");

pub fn run(args: &NewArgs) -> i32 {
    let name = args.name.as_str();
    if !is_runbook_name(name) {
        report_error(
            &format!("`{name}` is not a valid runbook name"),
            &format!(
                "use lower-case letters, digits and `-`, starting with a letter or digit (for example `{}`)",
                suggestion(name)
            ),
        );
        return EXIT_USAGE;
    }
    let folder = Path::new("runbooks");
    for ext in ["yaml", "yml"] {
        let existing = folder.join(format!("{name}.{ext}"));
        if existing.exists() {
            report_error(
                &format!("`{}` already exists", existing.display()),
                &format!(
                    "choose another name, or edit that file (`runbook show {name}` prints it as a checklist)"
                ),
            );
            return EXIT_USAGE;
        }
    }
    let path = folder.join(format!("{name}.yaml"));
    // A runbook of that name further down RUNBOOK_PATH would be hidden by the new one.
    let hidden = crate::load::find::resolve(name, None).ok();
    if let Err(e) = write(folder, &path, &content(name)) {
        report_error(
            &format!("cannot write `{}`: {e}", path.display()),
            "run `runbook new` in a folder you can write (it creates ./runbooks)",
        );
        return if e.kind() == std::io::ErrorKind::AlreadyExists {
            EXIT_USAGE
        } else {
            EXIT_FAILED
        };
    }
    let mut text = format!("wrote {}\n\nnext:\n", path.display());
    let commands = [
        (
            format!("runbook lint {}", path.display()),
            "check it (CI should run this too)",
        ),
        (format!("runbook show {name}"), "read it as a checklist"),
        (
            format!("runbook drill {name}"),
            "practise it: commands replaced by their `simulate` output",
        ),
        (
            format!("runbook run {name} --dry-run"),
            "walk through it without running anything",
        ),
    ];
    let width = commands.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    for (command, what) in &commands {
        text.push_str(&format!("  {command:<width$}   {what}\n"));
    }
    let code = print_stdout(&text);
    if let Some(hidden) = hidden {
        eprintln!(
            "warning: `{}` is also named `{name}`; `runbook run {name}` now finds the new one first",
            hidden.display()
        );
        eprintln!("help: to keep using the other one, give `runbook new` another name");
    }
    code
}

/// The template for a runbook of this name.
pub fn content(name: &str) -> String {
    TEMPLATE
        .replace("__NAME__", name)
        .replace("__TITLE__", &title(name))
}

/// `disk-full` → `Disk full`.
fn title(name: &str) -> String {
    let words = name.replace('-', " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// Creates the folder, then the file, never replacing one that appeared in the meantime.
fn write(folder: &Path, path: &PathBuf, content: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(content.as_bytes())?;
    file.sync_all()
}

/// `Disk Full!` → `disk-full`.
fn suggestion(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "disk-full".to_string()
    } else {
        out.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_titles() {
        for good in ["disk-full", "db2", "0-day"] {
            assert!(is_runbook_name(good), "{good}");
        }
        for bad in ["", "-x", "Disk", "disk_full", "a b", "a/b", "é"] {
            assert!(!is_runbook_name(bad), "{bad}");
        }
        assert_eq!(suggestion("Disk Full!"), "disk-full");
        assert_eq!(title("disk-full"), "Disk full");
    }

    #[test]
    fn the_template_is_filled_in() {
        let text = content("disk-full");
        assert!(text.contains("name: disk-full\n"));
        assert!(text.contains("title: Disk full"));
        assert!(!text.contains("__"));
    }
}
