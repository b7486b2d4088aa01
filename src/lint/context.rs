//! What every rule sees of one file: the loaded runbook, its graph, and each template
//! analysed once.

use super::subrunbooks::SubRunbooks;
use crate::graph::StepGraph;
use crate::load::locate::locate;
use crate::load::{LoadIssue, Runbook, Source, Span};
use crate::template::sites::{Site, SiteKind, sites};
use crate::template::{Analysis, analyze_expression, analyze_template};

pub struct AnalyzedSite<'a> {
    pub site: Site<'a>,
    pub analysis: Analysis,
}

pub struct Context<'a> {
    pub source: &'a Source,
    pub runbook: &'a Runbook,
    pub issues: &'a [LoadIssue],
    pub graph: StepGraph,
    pub sites: Vec<AnalyzedSite<'a>>,
    pub subs: &'a SubRunbooks,
    /// Where each `{{ }}` value of a shell script ends up (`shell::plan`), computed once for
    /// the rules that read it (RB031, RB032).
    values: std::sync::OnceLock<Vec<ValuePlan>>,
    /// Each site's text with its `{{ }}` blocks replaced by placeholders of the same length
    /// (`template::placeholders`), made once for the rules that read scripts as shell text.
    placeholders: Vec<std::sync::OnceLock<String>>,
}

/// A `{{ }}` value of a POSIX shell script and where it ends up.
pub struct ValuePlan {
    /// Index in [`Context::sites`].
    pub site: usize,
    /// The `{{ … }}` block, as a byte range of the site's text.
    pub block: std::ops::Range<usize>,
    pub plan: Result<crate::shell::Plan, crate::shell::Unsafe>,
}

impl<'a> Context<'a> {
    pub fn new(
        source: &'a Source,
        runbook: &'a Runbook,
        issues: &'a [LoadIssue],
        subs: &'a SubRunbooks,
    ) -> Self {
        let graph = StepGraph::build(runbook);
        let sites: Vec<AnalyzedSite> = sites(runbook)
            .into_iter()
            .map(|site| {
                let mut analysis = match site.kind {
                    SiteKind::Template => analyze_template(&site.value.value),
                    SiteKind::Expression => analyze_expression(&site.value.value),
                    SiteKind::Raw => Default::default(),
                };
                if !analysis.step_chains.is_empty() {
                    analysis
                        .join_dashed_step_ids(&site.value.value, |id| graph.index.contains_key(id));
                }
                AnalyzedSite { site, analysis }
            })
            .collect();
        let placeholders = (0..sites.len())
            .map(|_| std::sync::OnceLock::new())
            .collect();
        Context {
            source,
            runbook,
            issues,
            graph,
            sites,
            subs,
            values: std::sync::OnceLock::new(),
            placeholders,
        }
    }

    /// The text of site `i` as shell text: each `{{ }}` a placeholder of the same length (a
    /// site with `templates: false`, or without `{{`, as written).
    pub fn shell_text(&self, i: usize) -> &str {
        let Some(s) = self.sites.get(i) else {
            return "";
        };
        let text = &s.site.value.value;
        if s.site.kind == SiteKind::Raw || !text.contains("{{") {
            return text;
        }
        self.placeholders[i].get_or_init(|| crate::template::placeholders(text))
    }

    /// Every `{{ }}` value (but `| raw`) of every POSIX shell script, with its plan.
    pub fn values(&self) -> &[ValuePlan] {
        self.values.get_or_init(|| {
            let default_shell = self
                .runbook
                .shell
                .as_ref()
                .map_or(&crate::load::Shell::Bash, |s| &s.value);
            let mut out = Vec::new();
            for (i, s) in self
                .sites
                .iter()
                .enumerate()
                .filter(|(_, s)| s.site.script && s.site.kind != SiteKind::Raw)
            {
                let shell = s
                    .site
                    .step
                    .and_then(|st| st.shell.as_ref())
                    .map_or(default_shell, |sh| &sh.value);
                let text = &s.site.value.value;
                if !text.contains("{{") {
                    continue;
                }
                let Ok(found) = crate::template::blocks(text) else {
                    continue;
                };
                if found.is_empty() {
                    continue;
                }
                if !shell.is_posix() {
                    // The run refuses such a value: said here, at each value.
                    for block in found {
                        if s.analysis.raw.iter().any(|&(o, _)| block.outer.contains(&o)) {
                            continue;
                        }
                        out.push(ValuePlan {
                            site: i,
                            plan: Err(crate::shell::Unsafe {
                                construct: "shell".into(),
                                why: "the step's `shell` is not a POSIX shell given its script with `-c` (such as `[bash, -c]` or `[/usr/bin/env, bash, -c]`), whose grammar runbook knows".into(),
                                help: "set the value in the step's `env:` and read it from the environment in the script (`os.environ[\"V\"]`, `$ENV{V}`)".into(),
                            }),
                            block: block.outer,
                        });
                    }
                    continue;
                }
                // (What the other steps do with a file this one writes, read after it, as
                // the run reads it: `exec::render::step_script`.)
                let elsewhere = crate::shell::elsewhere(
                    text,
                    self.sites
                        .iter()
                        .enumerate()
                        .filter(|(j, x)| *j != i && x.site.script)
                        .map(|(_, x)| x.site.value.value.as_str()),
                );
                let lexed = if elsewhere.is_empty() {
                    std::borrow::Cow::Borrowed(self.shell_text(i))
                } else {
                    std::borrow::Cow::Owned(format!("{}{elsewhere}", self.shell_text(i)))
                };
                let lexed = lexed.as_ref();
                for block in found {
                    if s.analysis
                        .raw
                        .iter()
                        .any(|&(o, _)| block.outer.contains(&o))
                    {
                        continue;
                    }
                    out.push(ValuePlan {
                        site: i,
                        plan: crate::shell::plan(lexed, block.outer.clone()).and_then(|p| {
                            crate::shell::check_dollar_single(&p, shell.has_dollar_single())
                                .map(|()| p)
                        }),
                        block: block.outer,
                    });
                }
            }
            out
        })
    }

    /// The file span of a byte range inside a site's text.
    pub fn span_in(&self, site: &Site, offset: usize, len: usize) -> Span {
        locate(self.source, site.value, offset, len)
    }

    /// The folder of the file, for resolving sub-runbooks.
    pub fn folder(&self) -> &std::path::Path {
        self.source
            .path
            .parent()
            .unwrap_or(std::path::Path::new("."))
    }
}
