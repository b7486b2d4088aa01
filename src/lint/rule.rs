//! The [`Rule`] trait and the `declare_rule!` macro that gives every rule its code, name,
//! severity and documentation (the doc comment, which `runbook explain` prints).

use super::context::Context;
use super::diagnostic::Severity;
use crate::load::Span;

pub struct RuleMeta {
    /// Stable code, never reused: `RB008`.
    pub code: &'static str,
    /// The problem, in kebab case: `unknown-step-reference`.
    pub name: &'static str,
    pub severity: Severity,
    /// What it does / Why this matters / Example / Use instead.
    pub doc: &'static str,
}

/// One problem found by a rule, in the file being checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
    /// A severity other than the rule's own, for a rule whose findings differ (RB035: an
    /// error in a script, a warning in text).
    pub severity: Option<Severity>,
}

pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// Reports problems; a rule never prints.
    fn check(&self, cx: &Context, out: &mut Vec<Finding>);
}

impl Finding {
    pub fn new(span: Span, message: impl Into<String>, help: impl Into<String>) -> Finding {
        let help = help.into();
        Finding {
            span,
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
            severity: None,
        }
    }

    /// The same finding with its own severity.
    pub fn with_severity(self, severity: Severity) -> Finding {
        Finding {
            severity: Some(severity),
            ..self
        }
    }
}

/// Declares a rule's unit struct and its [`RuleMeta`] from its doc comment.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            code: $code:literal,
            name: $rule_name:literal,
            severity: $severity:ident $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::lint::rule::RuleMeta = $crate::lint::rule::RuleMeta {
                code: $code,
                name: $rule_name,
                severity: $crate::lint::diagnostic::Severity::$severity,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}
