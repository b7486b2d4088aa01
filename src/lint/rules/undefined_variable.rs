use crate::graph::dataflow::all_defined;
use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::suggest::did_you_mean;
use crate::template::{CallKind, FILTER_NAMES, NAMESPACES, TEST_NAMES};

/// The fields of `steps.<id>` and `run` that templates can read.
pub const STEP_FIELDS: &[&str] = &["exit_code", "status"];
pub const RUN_FIELDS: &[&str] = &["id", "operator", "mode"];

crate::declare_rule! {
    /// ## What it does
    /// Reports a template name that nothing defines: `vars.NAME` that no `capture`, `ask`,
    /// `choose` or `outputs` sets; a namespace other than `inputs`, `vars`, `steps`, `env`,
    /// `run` (and `output` inside `wait.until`); a field of `steps.<id>` or `run` that does
    /// not exist; `vars` in the runbook's own `env` or `dir`, rendered before any step; a
    /// filter (`| name`) or a test (`is name`) that the template engine does not have.
    ///
    /// ## Why this matters
    /// Templates are strict: an undefined name, filter or test stops the run at that step.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: find
    ///     run: pgrep -f report
    ///     capture: pid
    ///   - id: kill
    ///     run: kill {{ vars.pids }}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     run: kill {{ vars.pid }}
    /// ```
    pub struct UndefinedVariable {
        code: "RB014",
        name: "undefined-variable",
        severity: Error,
    }
}

impl Rule for UndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let defined = all_defined(cx.runbook);
        for s in &cx.sites {
            for r in &s.analysis.references {
                let span = cx.span_in(&s.site, r.offset, r.len);
                let (message, help) = match (r.namespace(), r.name()) {
                    ("vars", Some(_)) if s.site.step.is_none() => (
                        format!("`{}` is used before any step has run", r.dotted()),
                        format!("the runbook's `{}` is rendered when the run starts; set it in a step instead", s.site.field),
                    ),
                    ("vars", Some(name)) if !defined.contains(name) => (
                        format!("undefined variable `vars.{name}`"),
                        match did_you_mean(name, defined.iter().map(String::as_str)) {
                            Some(best) => format!("did you mean `vars.{best}`?"),
                            None => "set it with `capture`, `ask`, a `choose` with `var`, or `outputs` in an earlier step".into(),
                        },
                    ),
                    ("steps", Some(_)) => match r.path.get(2) {
                        Some(field) if !STEP_FIELDS.contains(&field.as_str()) => (
                            format!("steps have no field `{field}`"),
                            one_of(field, STEP_FIELDS),
                        ),
                        _ => continue,
                    },
                    ("run", Some(field)) if !RUN_FIELDS.contains(&field) => (
                        format!("`run` has no field `{field}`"),
                        one_of(field, RUN_FIELDS),
                    ),
                    ("item", _) if !s.site.has_item() => (
                        "`item` is only defined in a step with `for_each`".to_string(),
                        "add `for_each:` with the list to the step, or name the value (`vars.NAME`, `inputs.NAME`)".to_string(),
                    ),
                    ("output", _) if !s.site.has_output() => (
                        "`output` is only defined in `wait.until`".to_string(),
                        "capture the command's output with `capture` and use `vars.NAME`".to_string(),
                    ),
                    (ns, _) if !NAMESPACES.contains(&ns) => (
                        format!("unknown name `{ns}`"),
                        match did_you_mean(ns, NAMESPACES.iter().copied()) {
                            Some(best) => format!("did you mean `{best}`?"),
                            // `{{range .items}}`: Go's template language in a script.
                            None if matches!(
                                ns,
                                "range" | "if" | "with" | "end" | "else" | "template" | "define"
                                    | "block" | "include" | "toYaml" | "printf" | "index" | "len"
                            ) =>
                            {
                                format!(
                                    "templates read {}; if this is another template language (Go, Helm: `{{{{range …}}}}`), write `templates: false` on the step so that its text is used as written",
                                    list(&NAMESPACES[..5])
                                )
                            }
                            None => format!("templates read {}", list(&NAMESPACES[..5])),
                        },
                    ),
                    _ => continue,
                };
                out.push(Finding::new(span, message, help));
            }
            for c in s.analysis.calls.iter().filter(|c| !c.known) {
                let (what, names, examples) = match c.kind {
                    CallKind::Filter => (
                        "filter",
                        FILTER_NAMES,
                        "`default`, `int`, `float`, `lower`, `trim`, `replace`",
                    ),
                    CallKind::Test => (
                        "test",
                        TEST_NAMES,
                        "`defined`, `none`, `number`, `string`, `in`",
                    ),
                };
                let help = match did_you_mean(&c.name, names.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("use a {what} of the template engine, such as {examples}"),
                };
                out.push(Finding::new(
                    cx.span_in(&s.site, c.offset, c.len),
                    format!("unknown {what} `{}`", c.name),
                    help,
                ));
            }
        }
    }
}

/// "did you mean" the closest field, else the list of fields.
fn one_of(field: &str, fields: &[&str]) -> String {
    match did_you_mean(field, fields.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("use one of {}", list(fields)),
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
