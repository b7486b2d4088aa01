//! Stage 3a: the [`Linter`] runs every registered [`Rule`] over each file and collects
//! [`Diagnostic`]s; shellcheck checks the embedded scripts in batches.

pub mod context;
pub mod diagnostic;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod shellcheck;
pub mod subrunbooks;
pub mod suppress;

pub use context::Context;
pub use diagnostic::{Diagnostic, Severity};
pub use rule::{Finding, Rule, RuleMeta};

use crate::load::find::{self, FindError};
use crate::load::{Loaded, Source, load_path};
use rayon::prelude::*;
use shellcheck::{ScriptJob, ShellCheck};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use subrunbooks::{SubRunbooks, canonical};
use suppress::Suppressions;

/// Files linted together by one worker: enough for one shellcheck process to pay off.
const CHUNK: usize = 64;

#[derive(Default)]
pub struct Linter {
    pub shellcheck: Option<ShellCheck>,
}

#[derive(Debug, Default)]
pub struct LintReport {
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
}

impl LintReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// One file's result: its diagnostics and the sub-runbooks it calls.
struct FileResult {
    diagnostics: Vec<Diagnostic>,
    calls: Vec<PathBuf>,
}

impl Linter {
    /// Lints files and folders, and every sub-runbook they call (reported in its own file).
    pub fn lint_paths(&self, paths: &[PathBuf]) -> Result<LintReport, FindError> {
        let files = find::runbook_files(paths)?;
        let subs = SubRunbooks::default();
        let mut done: BTreeSet<PathBuf> = files.iter().map(|f| canonical(f)).collect();
        let mut report = LintReport::default();
        let mut round = files;
        while !round.is_empty() {
            let results: Vec<Result<FileResult, FindError>> = round
                .par_chunks(CHUNK)
                // One chunk per job, so that an idle thread can take any chunk not started:
                // without it, rayon leaves a thread the last chunks in a row (a long tail of
                // one shellcheck process while the other core waits).
                .with_max_len(1)
                .flat_map_iter(|chunk| self.lint_chunk(chunk, &subs))
                .collect();
            report.files += round.len();
            let mut next = Vec::new();
            for result in results {
                let result = result?;
                report.diagnostics.extend(result.diagnostics);
                for call in result.calls {
                    if done.insert(call.clone()) {
                        next.push(relative_to_cwd(call));
                    }
                }
            }
            round = next;
        }
        report
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        report.diagnostics.dedup();
        Ok(report)
    }

    fn lint_chunk(
        &self,
        chunk: &[PathBuf],
        subs: &SubRunbooks,
    ) -> Vec<Result<FileResult, FindError>> {
        let mut results = Vec::with_capacity(chunk.len());
        let mut jobs: Vec<(usize, ScriptJob)> = Vec::new();
        let mut pending: Vec<(std::sync::Arc<Source>, Suppressions)> = Vec::new();
        for path in chunk {
            match load_path(path) {
                Ok(loaded) => {
                    let (result, file_jobs) = self.lint_loaded(&loaded, subs);
                    let index = results.len();
                    jobs.extend(file_jobs.into_iter().map(|j| (index, j)));
                    pending.push((
                        loaded.source.clone(),
                        Suppressions::parse(&loaded.source, loaded.runbook.as_ref()),
                    ));
                    results.push(Ok(result));
                }
                Err(source) => {
                    results.push(Err(FindError::Unreadable {
                        path: path.clone(),
                        source,
                    }));
                    pending.push((
                        std::sync::Arc::new(Source::new(path, String::new())),
                        Suppressions::default(),
                    ));
                }
            }
        }
        if let (Some(checker), false) = (&self.shellcheck, jobs.is_empty()) {
            let scripts: Vec<&ScriptJob> = jobs.iter().map(|(_, j)| j).collect();
            let findings = checker.check(&scripts);
            for ((index, job), found) in jobs.iter().zip(findings) {
                let (source, suppressions) = &pending[*index];
                if let Some(Ok(result)) = results.get_mut(*index) {
                    for f in found
                        .into_iter()
                        .filter(|f| !job.set_by_runbook(&f.message))
                    {
                        let span = job.locate(source, f.offset, f.len);
                        let line = source.position(span.start).line;
                        if suppressions.allows(rules::shellcheck::ShellCheckRule::META.code, line) {
                            let meta = &rules::shellcheck::ShellCheckRule::META;
                            let severity = if f.error {
                                Severity::Error
                            } else {
                                meta.severity
                            };
                            result.diagnostics.push(Diagnostic::new(
                                source,
                                span,
                                meta.code,
                                severity,
                                f.message,
                                Some(f.help),
                            ));
                        }
                    }
                }
            }
        }
        results
    }

    /// Runs every rule over one loaded file. Returns its result and the scripts for shellcheck.
    fn lint_loaded(&self, loaded: &Loaded, subs: &SubRunbooks) -> (FileResult, Vec<ScriptJob>) {
        let source = &*loaded.source;
        let suppressions = Suppressions::parse(source, loaded.runbook.as_ref());
        let mut findings: Vec<(&'static RuleMeta, Finding)> = Vec::new();
        let mut calls = Vec::new();
        let mut jobs = Vec::new();
        match &loaded.runbook {
            Some(runbook) => {
                let cx = Context::new(source, runbook, &loaded.issues, subs);
                for rule in registry::RULES {
                    let mut out = Vec::new();
                    rule.check(&cx, &mut out);
                    findings.extend(out.into_iter().map(|f| (rule.meta(), f)));
                }
                for step in &runbook.steps {
                    if let Some(reference) = &step.runbook
                        && let Ok(path) = subs.resolve(cx.folder(), reference.as_str())
                    {
                        calls.push(path);
                    }
                }
                if self.shellcheck.is_some() {
                    jobs = shellcheck::jobs(&cx);
                }
            }
            None => {
                let mut out = Vec::new();
                rules::yaml_syntax::report(loaded, &mut out);
                findings.extend(
                    out.into_iter()
                        .map(|f| (&rules::yaml_syntax::YamlSyntax::META, f)),
                );
            }
        }
        let diagnostics = findings
            .into_iter()
            .filter(|(meta, f)| suppressions.allows(meta.code, source.position(f.span.start).line))
            .map(|(meta, f)| {
                let severity = f.severity.unwrap_or(meta.severity);
                Diagnostic::new(source, f.span, meta.code, severity, f.message, f.help)
            })
            .collect();
        (FileResult { diagnostics, calls }, jobs)
    }
}

/// A called runbook's path as the user would write it: relative to the working folder when
/// it is below it (paths are canonical once resolved).
fn relative_to_cwd(path: PathBuf) -> PathBuf {
    let cwd = std::env::current_dir().map(|d| canonical(&d));
    match cwd {
        Ok(cwd) => path
            .strip_prefix(&cwd)
            .map_or_else(|_| path.clone(), Path::to_path_buf),
        Err(_) => path,
    }
}

/// Lints one file given as text, as the tests and benchmarks do.
pub fn lint_text(path: &Path, text: &str) -> Vec<Diagnostic> {
    let loaded = crate::load::load_bytes(path, text.as_bytes().to_vec());
    let subs = SubRunbooks::default();
    let (result, _) = Linter::default().lint_loaded(&loaded, &subs);
    let mut diagnostics = result.diagnostics;
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics
}
