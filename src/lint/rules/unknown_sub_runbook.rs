use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::find::{self, FindError};
use crate::suggest::did_you_mean;
use std::path::{Component, Path, PathBuf};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `runbook: NAME` step whose runbook cannot be found. A name is looked up in
    /// the calling runbook's folder, then `./runbooks`, then each folder of `RUNBOOK_PATH`;
    /// a path (with `/` or ending in `.yaml`) is taken relative to the calling runbook.
    ///
    /// ## Why this matters
    /// The run would stop at that step, in the middle of an incident.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: tell
    ///     runbook: notify-stakholders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     runbook: notify-stakeholders
    /// ```
    pub struct UnknownSubRunbook {
        code: "RB022",
        name: "unknown-sub-runbook",
        severity: Error,
    }
}

impl Rule for UnknownSubRunbook {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for step in &cx.runbook.steps {
            let Some(reference) = &step.runbook else {
                continue;
            };
            match cx.subs.resolve(cx.folder(), reference.as_str()) {
                Ok(path) => {
                    if cx.subs.summary(&path).is_none() {
                        out.push(Finding::new(
                            reference.span,
                            format!("sub-runbook `{}` cannot be loaded", reference.value),
                            format!(
                                "fix `{}` first: `runbook lint {}`",
                                path.display(),
                                path.display()
                            ),
                        ));
                    }
                }
                Err(FindError::NotFound { searched, .. }) if find::is_path(reference.as_str()) => {
                    let tried = searched.first().map_or_else(String::new, |p| shown(p));
                    out.push(Finding::new(
                        reference.span,
                        format!("unknown runbook `{}`", reference.value),
                        format!("there is no file `{tried}`; a path is taken relative to the calling runbook's folder"),
                    ));
                }
                Err(FindError::NotFound { searched, .. }) => {
                    let names = runbook_names(&searched);
                    let help =
                        match did_you_mean(reference.as_str(), names.iter().map(String::as_str)) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!(
                                "looked in {}; check the name, or add its folder to `RUNBOOK_PATH`",
                                searched
                                    .iter()
                                    .map(|p| format!("`{}`", shown(p)))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                    out.push(Finding::new(
                        reference.span,
                        format!("unknown runbook `{}`", reference.value),
                        help,
                    ));
                }
                Err(e) => out.push(Finding::new(reference.span, e.to_string(), "")),
            }
        }
    }
}

/// The names of the runbooks in the folders searched, for "did you mean".
fn runbook_names(folders: &[PathBuf]) -> Vec<String> {
    let mut names = Vec::new();
    for folder in folders {
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder.as_path()
        };
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                names.push(find::stem(&path));
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// A path as the user would write it: without `./` parts, and `.` for the working folder.
fn shown(path: &Path) -> String {
    let clean: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if clean.as_os_str().is_empty() {
        ".".to_string()
    } else {
        clean.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::shown;
    use std::path::Path;

    #[test]
    fn paths_are_shown_without_dot_parts() {
        assert_eq!(shown(Path::new("a/./b/./c.yaml")), "a/b/c.yaml");
        assert_eq!(shown(Path::new("")), ".");
        assert_eq!(shown(Path::new("./x.yaml")), "x.yaml");
        assert_eq!(shown(Path::new("/abs/../x")), "/abs/../x");
    }
}
