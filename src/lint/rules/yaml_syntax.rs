use super::loader_issue;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::{IssueKind, Loaded};

crate::declare_rule! {
    /// ## What it does
    /// Reports a file that is not valid YAML, is not UTF-8, or exceeds the loader's limits
    /// (nesting deeper than 48 levels, alias bombs, files over 4 MiB).
    ///
    /// ## Why this matters
    /// Nothing else can be checked, and the runbook cannot run. The limits keep a hostile or
    /// broken file from exhausting memory or time in CI.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - id: [check
    ///     run: uptime
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - id: check
    ///     run: uptime
    /// ```
    pub struct YamlSyntax {
        code: "RB001",
        name: "yaml-syntax",
        severity: Error,
    }
}

impl Rule for YamlSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        loader_issue::report(cx, IssueKind::Syntax, out);
    }
}

/// Reports the syntax problems of a file that could not be parsed at all.
pub fn report(loaded: &Loaded, out: &mut Vec<Finding>) {
    for issue in loaded.issues.iter().filter(|i| i.kind == IssueKind::Syntax) {
        out.push(Finding {
            span: issue.span,
            message: issue.message.clone(),
            help: issue.help.clone(),
            severity: None,
        });
    }
}
