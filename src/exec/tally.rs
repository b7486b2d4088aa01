//! What a walk counts for its closing summary.

/// Counts for the closing summary.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    pub ran: usize,
    /// Steps whose command or wait a dry-run showed without running it.
    pub not_run: usize,
    pub skipped: usize,
    pub failed: usize,
    pub retried: usize,
    pub decisions: Vec<(String, String)>,
}
