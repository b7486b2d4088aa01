//! Finding runbooks: by name in `./runbooks/` and `RUNBOOK_PATH`, or by path.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum FindError {
    #[error("no runbook named `{name}` (looked in {})", searched.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", "))]
    NotFound {
        name: String,
        searched: Vec<PathBuf>,
    },
    #[error("cannot read `{}`: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Whether a reference is written as a path rather than a name.
pub fn is_path(reference: &str) -> bool {
    reference.contains('/') || reference.ends_with(".yaml") || reference.ends_with(".yml")
}

/// The folders searched for a runbook name, in order: `first` (the calling runbook's folder,
/// for a sub-runbook), `./runbooks`, then each folder of `RUNBOOK_PATH`.
/// The folders `[paths] runbooks` of runbook.toml names, set once at start.
static CONFIGURED: std::sync::OnceLock<Vec<PathBuf>> = std::sync::OnceLock::new();

/// Sets the folders of runbook.toml's `[paths] runbooks`, searched after `./runbooks` and
/// before `RUNBOOK_PATH`. Only the first call counts.
pub fn configure(folders: Vec<PathBuf>) {
    let _ = CONFIGURED.set(folders);
}

pub fn search_folders(first: Option<&Path>) -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = first.map(Path::to_path_buf).into_iter().collect();
    folders.push(PathBuf::from("runbooks"));
    // `[paths] runbooks` of runbook.toml, before RUNBOOK_PATH.
    folders.extend(CONFIGURED.get().into_iter().flatten().cloned());
    if let Some(path) = std::env::var_os("RUNBOOK_PATH") {
        folders.extend(std::env::split_paths(&path).filter(|p| !p.as_os_str().is_empty()));
    }
    // Each folder once (a sub-runbook's caller is often in `runbooks`), in order.
    let mut seen: Vec<PathBuf> = Vec::with_capacity(folders.len());
    folders.retain(|f| {
        let key = f.strip_prefix(".").unwrap_or(f).to_path_buf();
        let new = !seen.contains(&key);
        seen.push(key);
        new
    });
    folders
}

/// Resolves a runbook reference. A path is taken relative to `base` (the calling runbook's
/// folder) when given, else to the working folder.
pub fn resolve(reference: &str, base: Option<&Path>) -> Result<PathBuf, FindError> {
    if is_path(reference) {
        let path = match base {
            Some(base) if Path::new(reference).is_relative() => base.join(reference),
            _ => PathBuf::from(reference),
        };
        return if path.is_file() {
            Ok(path)
        } else {
            Err(FindError::NotFound {
                name: reference.to_string(),
                searched: vec![path],
            })
        };
    }
    let folders = search_folders(base);
    for folder in &folders {
        for ext in ["yaml", "yml"] {
            let candidate = folder.join(format!("{reference}.{ext}"));
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(FindError::NotFound {
        name: reference.to_string(),
        searched: folders,
    })
}

/// Expands the paths given to `lint` into runbook files: a folder stands for every `*.yaml`
/// and `*.yml` below it (hidden folders skipped), sorted.
pub fn runbook_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FindError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| FindError::Unreadable {
            path: path.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), FindError> {
    let unreadable = |source| FindError::Unreadable {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        let file_type = entry.file_type().map_err(unreadable)?;
        if file_type.is_dir() && !hidden {
            walk(&path, files)?;
        } else if file_type.is_file() && path.extension().is_some_and(|e| e == "yaml" || e == "yml")
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The runbook's name: its `name`, else the file stem.
pub fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_folder_is_searched_once() {
        // A runbook in `./runbooks` calling another: its folder is `runbooks` (or
        // `./runbooks`), which is searched anyway.
        for first in ["runbooks", "./runbooks"] {
            let folders = search_folders(Some(Path::new(first)));
            let runbooks = folders
                .iter()
                .filter(|f| f.strip_prefix(".").unwrap_or(f) == Path::new("runbooks"))
                .count();
            assert_eq!(runbooks, 1, "{folders:?}");
            assert_eq!(folders[0], Path::new(first));
        }
    }
}
