//! The rules that report what the loader found while reading the file.

use crate::lint::context::Context;
use crate::lint::rule::Finding;
use crate::load::IssueKind;

pub fn report(cx: &Context, kind: IssueKind, out: &mut Vec<Finding>) {
    for issue in cx.issues.iter().filter(|i| i.kind == kind) {
        out.push(Finding {
            span: issue.span,
            message: issue.message.clone(),
            help: issue.help.clone(),
            severity: None,
        });
    }
}
