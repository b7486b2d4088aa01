//! What the linter needs to know of the runbooks a file calls (`runbook: NAME`): where they
//! are, their inputs, and whom they call in turn. Loaded once per lint run and shared by
//! every worker.

use crate::load::find::{self, FindError};
use crate::load::{InputType, load_path};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq)]
pub struct SubInput {
    pub name: String,
    pub required: bool,
    pub ty: InputType,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub inputs: Vec<SubInput>,
    /// The runbooks it calls, as written.
    pub calls: Vec<String>,
}

#[derive(Default)]
pub struct SubRunbooks {
    summaries: Mutex<HashMap<PathBuf, Option<Arc<Summary>>>>,
}

impl SubRunbooks {
    pub fn resolve(&self, from: &Path, reference: &str) -> Result<PathBuf, FindError> {
        find::resolve(reference, Some(from)).map(|p| canonical(&p))
    }

    /// The summary of a runbook file; `None` when it cannot be read or parsed.
    pub fn summary(&self, path: &Path) -> Option<Arc<Summary>> {
        let path = canonical(path);
        if let Ok(cache) = self.summaries.lock()
            && let Some(found) = cache.get(&path)
        {
            return found.clone();
        }
        let summary = load_path(&path)
            .ok()
            .and_then(|loaded| loaded.runbook)
            .map(|rb| {
                Arc::new(Summary {
                    inputs: rb
                        .inputs
                        .iter()
                        .map(|i| SubInput {
                            name: i.name.value.clone(),
                            required: i
                                .required
                                .as_ref()
                                .map_or(i.default.is_none() && i.env.is_none(), |r| r.value),
                            ty: i.ty.value,
                        })
                        .collect(),
                    calls: rb
                        .steps
                        .iter()
                        .filter_map(|s| s.runbook.as_ref())
                        .map(|r| r.value.clone())
                        .collect(),
                })
            });
        if let Ok(mut cache) = self.summaries.lock() {
            cache.insert(path, summary.clone());
        }
        summary
    }

    /// A chain of calls from `first` (called by `origin`) back to `origin`, as file paths.
    pub fn cycle(&self, origin: &Path, first: &Path) -> Option<Vec<PathBuf>> {
        let origin = canonical(origin);
        let mut stack = vec![(first.to_path_buf(), vec![first.to_path_buf()])];
        let mut seen = std::collections::HashSet::new();
        while let Some((at, chain)) = stack.pop() {
            if at == origin {
                return Some(chain);
            }
            if !seen.insert(at.clone()) {
                continue;
            }
            let Some(summary) = self.summary(&at) else {
                continue;
            };
            let folder = at.parent().unwrap_or(Path::new(".")).to_path_buf();
            for call in &summary.calls {
                if let Ok(next) = self.resolve(&folder, call) {
                    let mut chain = chain.clone();
                    chain.push(next.clone());
                    stack.push((next, chain));
                }
            }
        }
        None
    }
}

pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
