use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Runs shellcheck on every `run`, `rollback` and `wait.run` script of a `bash` or `sh`
    /// step, and reports each finding (error, warning and info levels) at its line and column in the
    /// runbook, with its `SC` code. `{{ … }}` substitutions are checked as plain words: they
    /// reach the shell as data. Reported as an error when shellcheck rates it an error.
    ///
    /// Needs `shellcheck` on the `PATH` (or `RUNBOOK_SHELLCHECK`); without it the rule is off
    /// and `runbook lint --verbose` says so. Results are cached by script content in
    /// `$XDG_CACHE_HOME/runbook/shellcheck` (or `RUNBOOK_CACHE_DIR`). Silence one finding with
    /// a `# shellcheck disable=SCnnnn` line in the script.
    ///
    /// ## Why this matters
    /// A script that breaks on a space in a file name, or a `cd` that fails silently, does
    /// its damage at the worst moment.
    ///
    /// ## Example
    /// ```yaml
    ///     run: |
    ///       cd $LOG_DIR
    ///       rm -f *.gz
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     run: |
    ///       cd "$LOG_DIR"
    ///       rm -f ./*.gz
    /// ```
    pub struct ShellCheckRule {
        code: "RB030",
        name: "shellcheck",
        severity: Warning,
    }
}

impl Rule for ShellCheckRule {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Scripts are checked in batches by the linter (see `lint::shellcheck`), not file by file.
    fn check(&self, _cx: &Context, _out: &mut Vec<Finding>) {}
}
