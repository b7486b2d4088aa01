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
}

impl<'a> Context<'a> {
    pub fn new(
        source: &'a Source,
        runbook: &'a Runbook,
        issues: &'a [LoadIssue],
        subs: &'a SubRunbooks,
    ) -> Self {
        let graph = StepGraph::build(runbook);
        let sites = sites(runbook)
            .into_iter()
            .map(|site| {
                let mut analysis = match site.kind {
                    SiteKind::Template => analyze_template(&site.value.value),
                    SiteKind::Expression => analyze_expression(&site.value.value),
                };
                if !analysis.step_chains.is_empty() {
                    analysis
                        .join_dashed_step_ids(&site.value.value, |id| graph.index.contains_key(id));
                }
                AnalyzedSite { site, analysis }
            })
            .collect();
        Context {
            source,
            runbook,
            issues,
            graph,
            sites,
            subs,
        }
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
