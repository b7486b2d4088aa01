//! shellcheck on every `run`, `rollback` and `wait.run` script, as actionlint does for `run:`.
//!
//! Templates are replaced by placeholders of the same byte length, so a finding's position in
//! the script is its position in the runbook's string, which [`locate`] maps to the file.
//! One shellcheck process checks a whole batch of scripts, and each result is cached under
//! the hash of the script, the shell and shellcheck's version: an unchanged script is never
//! checked twice, across runs too.

use super::context::Context;
use crate::load::locate::locate;
use crate::load::{Shell, Source, Sp, Span};
use crate::template::blocks;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

/// Codes that placeholders or the runbook model make meaningless, as actionlint excludes them:
/// SC1091 (sourced file not followed), SC2050/SC2157/SC2194 (constant expressions: a
/// placeholder is constant text), SC2154 (variables set by an earlier step's `$RUNBOOK_ENV`).
const EXCLUDED: &str = "SC1091,SC2050,SC2154,SC2157,SC2194";
/// Part of every cache key: change it whenever the way scripts are checked changes.
const SCHEME: &str = "2 severity=info set-e-prefix";

/// One script to check.
#[derive(Debug, Clone)]
pub struct ScriptJob {
    /// The script with every `{{ … }}` replaced by a placeholder of the same length.
    pub text: String,
    pub shell: &'static str,
    /// The runbook string the script came from.
    pub value: Sp<String>,
}

impl ScriptJob {
    pub fn locate(&self, source: &Source, offset: usize, len: usize) -> Span {
        locate(source, &self.value, offset, len)
    }
}

/// One shellcheck comment, at a byte range of the script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShellFinding {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: String,
    pub error: bool,
}

pub struct ShellCheck {
    program: PathBuf,
    version: String,
    cache: Option<PathBuf>,
}

/// The scripts of a file that shellcheck can read: POSIX shells only.
pub fn jobs(cx: &Context) -> Vec<ScriptJob> {
    let default_shell = cx.runbook.shell.as_ref().map_or(&Shell::Bash, |s| &s.value);
    cx.sites
        .iter()
        .filter(|s| s.site.script && s.analysis.errors.is_empty())
        .filter_map(|s| {
            let shell = s
                .site
                .step
                .and_then(|st| st.shell.as_ref())
                .map_or(default_shell, |sh| &sh.value);
            let shell = match shell {
                Shell::Bash => "bash",
                Shell::Sh => "sh",
                Shell::Command(_) => return None,
            };
            Some(ScriptJob {
                text: placeholders(&s.site.value.value),
                shell,
                value: s.site.value.clone(),
            })
        })
        .collect()
}

/// Replaces each `{{ … }}` block by underscores of the same byte length.
pub fn placeholders(script: &str) -> String {
    let Ok(found) = blocks(script) else {
        return script.to_string();
    };
    let mut out = String::with_capacity(script.len());
    let mut at = 0;
    for block in found {
        out.push_str(&script[at..block.outer.start]);
        out.push_str(&"_".repeat(block.outer.len()));
        at = block.outer.end;
    }
    out.push_str(&script[at..]);
    out
}

#[derive(Deserialize)]
struct Json1 {
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
struct Comment {
    file: String,
    line: usize,
    #[serde(rename = "endLine")]
    end_line: usize,
    column: usize,
    #[serde(rename = "endColumn")]
    end_column: usize,
    level: String,
    code: u32,
    message: String,
}

impl ShellCheck {
    /// Finds shellcheck on the `PATH` (or `RUNBOOK_SHELLCHECK`); `None` when it is not there.
    pub fn detect() -> Option<ShellCheck> {
        let program = std::env::var_os("RUNBOOK_SHELLCHECK")
            .map_or_else(|| PathBuf::from("shellcheck"), PathBuf::from);
        let output = Command::new(&program).arg("--version").output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("version:"))
            .map(|v| v.trim().to_string())?;
        let cache = std::env::var_os("RUNBOOK_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                use etcetera::BaseStrategy;
                etcetera::choose_base_strategy()
                    .ok()
                    .map(|s| s.cache_dir().join("runbook"))
            })
            .map(|dir| dir.join("shellcheck"));
        Some(ShellCheck {
            program,
            version,
            cache,
        })
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    fn key(&self, job: &ScriptJob) -> String {
        let mut hash = Sha256::new();
        for part in [
            SCHEME,
            self.version.as_str(),
            job.shell,
            EXCLUDED,
            job.text.as_str(),
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Checks scripts; the result has one list of findings per script, in order. A script that
    /// could not be checked (shellcheck failed) gets no findings.
    pub fn check(&self, jobs: &[&ScriptJob]) -> Vec<Vec<ShellFinding>> {
        let keys: Vec<String> = jobs.iter().map(|j| self.key(j)).collect();
        let mut known: HashMap<String, Vec<ShellFinding>> = HashMap::new();
        if let Some(cache) = &self.cache {
            for key in &keys {
                if known.contains_key(key) {
                    continue;
                }
                if let Ok(bytes) = std::fs::read(cache.join(key))
                    && let Ok(found) = serde_json::from_slice(&bytes)
                {
                    known.insert(key.clone(), found);
                }
            }
        }
        let mut todo: Vec<(usize, &ScriptJob)> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for (i, job) in jobs.iter().enumerate() {
            if !known.contains_key(&keys[i]) && queued.insert(&keys[i]) {
                todo.push((i, job));
            }
        }
        for shell in ["bash", "sh"] {
            let batch: Vec<(usize, &ScriptJob)> = todo
                .iter()
                .filter(|(_, j)| j.shell == shell)
                .copied()
                .collect();
            if batch.is_empty() {
                continue;
            }
            if let Some(results) = self.run(shell, &batch) {
                for ((i, _), found) in batch.iter().zip(results) {
                    if let Some(cache) = &self.cache
                        && std::fs::create_dir_all(cache).is_ok()
                        && let Ok(json) = serde_json::to_vec(&found)
                    {
                        let _ = std::fs::write(cache.join(&keys[*i]), json);
                    }
                    known.insert(keys[*i].clone(), found);
                }
            }
        }
        keys.iter()
            .map(|k| known.get(k).cloned().unwrap_or_default())
            .collect()
    }

    /// One shellcheck process over a batch of scripts of one shell.
    fn run(&self, shell: &str, batch: &[(usize, &ScriptJob)]) -> Option<Vec<Vec<ShellFinding>>> {
        let dir = tempfile::tempdir().ok()?;
        let mut files = Vec::with_capacity(batch.len());
        // The flags the step really runs with (SPEC §2.4), on the first line so that line
        // numbers stay the same: shellcheck then knows that a failing `cd` stops the script.
        let prefix = if shell == "bash" {
            "set -eo pipefail; "
        } else {
            "set -e; "
        };
        for (n, (_, job)) in batch.iter().enumerate() {
            let path = dir.path().join(format!("{n}.sh"));
            std::fs::write(&path, format!("{prefix}{}", job.text)).ok()?;
            files.push(path);
        }
        let output = Command::new(&self.program)
            .args(["--format=json1", "--severity=info", "--norc"])
            .arg(format!("--shell={shell}"))
            .arg(format!("--exclude={EXCLUDED}"))
            .args(&files)
            .output()
            .ok()?;
        // Exit 1 means "found something"; anything else but 0 is a failure of shellcheck itself.
        if !matches!(output.status.code(), Some(0 | 1)) {
            return None;
        }
        let parsed: Json1 = serde_json::from_slice(&output.stdout).ok()?;
        let mut results = vec![Vec::new(); batch.len()];
        let by_file: HashMap<String, usize> = files
            .iter()
            .enumerate()
            .map(|(n, f)| (f.to_string_lossy().into_owned(), n))
            .collect();
        for c in parsed.comments {
            let Some(&n) = by_file.get(&c.file) else {
                continue;
            };
            let text = &batch[n].1.text;
            let written = format!("{prefix}{text}");
            let start = byte_offset(&written, c.line, c.column).saturating_sub(prefix.len());
            let end = byte_offset(&written, c.end_line, c.end_column)
                .saturating_sub(prefix.len())
                .max(start);
            results[n].push(ShellFinding {
                offset: start,
                len: (end - start).max(1).min(text.len().saturating_sub(start)),
                message: format!("SC{}: {}", c.code, c.message.trim_end_matches('.')),
                help: format!("see https://www.shellcheck.net/wiki/SC{}", c.code),
                error: c.level == "error",
            });
        }
        Some(results)
    }
}

/// The byte offset of shellcheck's 1-based line and column; shellcheck counts a tab as
/// reaching the next multiple of 8 columns.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let mut col = 1;
    for (i, c) in line_text.char_indices() {
        if col >= column {
            return start + i;
        }
        col = if c == '\t' {
            (col - 1) / 8 * 8 + 9
        } else {
            col + 1
        };
    }
    start + line_text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_length() {
        let s = "echo {{ inputs.db }} \"{{ vars.é }}\"";
        let p = placeholders(s);
        assert_eq!(p.len(), s.len());
        assert!(p.starts_with("echo ____"));
    }

    #[test]
    fn columns_with_tabs() {
        let text = "a\n\tb c\n";
        assert_eq!(byte_offset(text, 2, 9), 3);
        assert_eq!(byte_offset(text, 2, 11), 5);
        assert_eq!(byte_offset(text, 1, 1), 0);
    }
}
