//! Stage 1: find a runbook file and load it into a spanned [`Runbook`].

pub mod convert;
pub mod duration;
pub mod events;
pub mod find;
pub mod locate;
pub mod model;
pub mod node;
pub mod pitfalls;
pub mod source;
pub mod yaml;

pub use convert::{IssueKind, LoadIssue};
pub use model::*;
pub use node::Node;
pub use source::{Position, Source, Span};

use std::path::Path;
use std::sync::Arc;

/// One file as loaded: its text, the runbook (partial when there were problems) and the
/// problems found while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub source: Arc<Source>,
    /// `None` only when the file is not valid YAML.
    pub runbook: Option<Runbook>,
    /// The YAML tree, kept for the rules that look at the text's shape.
    pub root: Option<Node>,
    pub issues: Vec<LoadIssue>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        !self.issues.is_empty()
    }
}

/// Reads and loads one file. Fails only when the file cannot be read at all.
pub fn load_path(path: &Path) -> std::io::Result<Loaded> {
    let bytes = std::fs::read(path)?;
    Ok(load_bytes(path, bytes))
}

/// Loads a runbook from its bytes; `path` is used for messages and relative lookups.
pub fn load_bytes(path: &Path, bytes: Vec<u8>) -> Loaded {
    let (text, decode_error) = match yaml::decode(bytes) {
        Ok(text) => (text, None),
        Err((prefix, error)) => (prefix, Some(error)),
    };
    let source = Arc::new(Source::new(path, text));
    let syntax = |e: yaml::SyntaxError| LoadIssue {
        kind: IssueKind::Syntax,
        span: e.span,
        message: e.message,
        help: Some(e.help),
    };
    if let Some(error) = decode_error {
        return Loaded {
            source,
            runbook: None,
            root: None,
            issues: vec![syntax(error)],
        };
    }
    match yaml::parse(&source) {
        Ok(root) => {
            let mut issues = Vec::new();
            let runbook = convert::convert(&source, &root, &mut issues);
            Loaded {
                source,
                runbook: Some(runbook),
                root: Some(root),
                issues,
            }
        }
        Err(error) => Loaded {
            source,
            runbook: None,
            root: None,
            issues: vec![syntax(error)],
        },
    }
}
