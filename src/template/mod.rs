//! Templates (`{{ expression }}` in text) and bare expressions (`when`, `wait.until`):
//! finding the blocks, parsing them, and the names they refer to.
//!
//! Only `{{ … }}` blocks are template syntax. Statements (`{% … %}`) are refused: a runbook
//! branches with `when` and `choose`, and every substitution must stay one value that the
//! executor can pass to a shell as data. `{#` is left alone, since `${#array[@]}` is shell.

pub mod sites;

use minijinja::Environment;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The namespaces a template may use (SPEC §2.5); `output` only inside `wait.until`.
pub const NAMESPACES: &[&str] = &["inputs", "vars", "steps", "env", "run", "output"];

/// A `{{ … }}` block: byte ranges in the template text.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// From `{{` to `}}` included.
    pub outer: std::ops::Range<usize>,
    /// The expression between the braces.
    pub inner: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TemplateError {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: String,
}

/// A name used by an expression: `inputs.db`, `vars.role`, `steps.ack.status`, `foo`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// Dotted path, at most three parts (`steps.ack.status`).
    pub path: Vec<String>,
    /// Byte range in the template text.
    pub offset: usize,
    pub len: usize,
}

impl Reference {
    pub fn namespace(&self) -> &str {
        &self.path[0]
    }

    pub fn name(&self) -> Option<&str> {
        self.path.get(1).map(String::as_str)
    }

    pub fn dotted(&self) -> String {
        self.path.join(".")
    }
}

/// Everything the linter needs to know about one template or expression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    pub references: Vec<Reference>,
    /// Byte ranges of `| raw` filters.
    pub raw: Vec<(usize, usize)>,
    pub errors: Vec<TemplateError>,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_filter("raw", |v: minijinja::Value| v);
        env
    })
}

/// Finds the `{{ … }}` blocks of a template; an unclosed block or a statement is an error.
pub fn blocks(text: &str) -> Result<Vec<Block>, TemplateError> {
    let mut blocks = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("{{").map(|i| at + i) {
        let Some(close) = text[found + 2..].find("}}").map(|i| found + 2 + i) else {
            return Err(TemplateError {
                offset: found,
                len: 2,
                message: "`{{` is never closed".into(),
                help: "close the expression with `}}`".into(),
            });
        };
        blocks.push(Block {
            outer: found..close + 2,
            inner: found + 2..close,
        });
        at = close + 2;
    }
    if let Some(found) = text.find("{%") {
        return Err(TemplateError {
            offset: found,
            len: 2,
            message: "template statements (`{% … %}`) are not supported".into(),
            help: "branch with `when` on a step or a `choose`; inside `{{ }}` use filters such as `default`".into(),
        });
    }
    Ok(blocks)
}

/// Analyses a template: every `{{ expression }}` block in `text`.
pub fn analyze_template(text: &str) -> Analysis {
    let mut analysis = Analysis::default();
    match blocks(text) {
        Ok(blocks) => {
            for block in blocks {
                analyze_into(&text[block.inner.clone()], block.inner.start, &mut analysis);
            }
        }
        Err(e) => analysis.errors.push(e),
    }
    analysis
}

/// Analyses a bare expression (`when`, `wait.until`).
pub fn analyze_expression(text: &str) -> Analysis {
    let mut analysis = Analysis::default();
    if text.contains("{{") {
        let offset = text.find("{{").unwrap_or(0);
        analysis.errors.push(TemplateError {
            offset,
            len: 2,
            message: "a condition is a bare expression, without `{{ }}`".into(),
            help: "write `when: inputs.force` rather than `when: \"{{ inputs.force }}\"`".into(),
        });
        return analysis;
    }
    analyze_into(text, 0, &mut analysis);
    analysis
}

/// Distinct expressions remembered per thread; the cache is emptied when full, so memory stays
/// the same however many files are linted.
const CACHED_EXPRESSIONS: usize = 4096;

/// Adds what `expr`, at `base` in the template, refers to. The same expressions come back in
/// file after file (`inputs.db`, `vars.role`): each is compiled once per thread.
fn analyze_into(expr: &str, base: usize, analysis: &mut Analysis) {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<Box<str>, std::rc::Rc<Analysis>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    let found = CACHE.with(|cache| cache.borrow().get(expr).cloned());
    let part = found.unwrap_or_else(|| {
        let mut part = Analysis::default();
        analyze_uncached(expr, &mut part);
        let part = std::rc::Rc::new(part);
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() >= CACHED_EXPRESSIONS {
                cache.clear();
            }
            cache.insert(expr.into(), part.clone());
        });
        part
    });
    analysis
        .references
        .extend(part.references.iter().map(|r| Reference {
            path: r.path.clone(),
            offset: base + r.offset,
            len: r.len,
        }));
    analysis
        .raw
        .extend(part.raw.iter().map(|&(offset, len)| (base + offset, len)));
    analysis
        .errors
        .extend(part.errors.iter().map(|e| TemplateError {
            offset: base + e.offset,
            ..e.clone()
        }));
}

/// What `expr` refers to, at offsets from its start.
fn analyze_uncached(expr: &str, analysis: &mut Analysis) {
    if expr.trim().is_empty() {
        analysis.errors.push(TemplateError {
            offset: 0,
            len: expr.len(),
            message: "empty expression".into(),
            help: "write a name between the braces, such as `{{ inputs.db }}`".into(),
        });
        return;
    }
    let compiled = match env().compile_expression(expr) {
        Ok(compiled) => compiled,
        Err(e) => {
            let range = e.range().unwrap_or(0..expr.len().min(1));
            let (start, end) = whole_chars(expr, range.start, range.len().max(1));
            let detail = e
                .detail()
                .map_or_else(|| e.kind().to_string(), str::to_string);
            analysis.errors.push(TemplateError {
                offset: start,
                len: end - start,
                message: format!("invalid expression `{}`: {detail}", expr.trim()),
                help: "expressions use Jinja syntax, such as `inputs.db` or `vars.count | int > 3`"
                    .into(),
            });
            return;
        }
    };
    let mut names: Vec<String> = compiled.undeclared_variables(true).into_iter().collect();
    names.sort();
    for name in names {
        let mut path: Vec<String> = name.split('.').map(str::to_string).collect();
        path.truncate(3);
        let subscripted = subscripts(expr, &path[0]);
        if path.len() == 1 && !subscripted.is_empty() {
            for (offset, len, key) in subscripted {
                analysis.references.push(Reference {
                    path: vec![path[0].clone(), key],
                    offset,
                    len,
                });
            }
            continue;
        }
        let (offset, len) = find_name(expr, &name).unwrap_or((0, expr.len()));
        analysis.references.push(Reference { path, offset, len });
    }
    let mut at = 0;
    while let Some(pipe) = expr[at..].find('|').map(|i| at + i) {
        let rest = &expr[pipe + 1..];
        let word = rest.trim_start();
        if word.starts_with("raw")
            && !word[3..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            let start = pipe + 1 + (rest.len() - word.len());
            analysis.raw.push((pipe, start + 3 - pipe));
        }
        at = pipe + 1;
    }
}

/// The byte range of `len` bytes at `start` in `text`, clamped to the text and widened to whole
/// characters: minijinja may point one byte into a multi-byte character.
fn whole_chars(text: &str, start: usize, len: usize) -> (usize, usize) {
    let mut start = start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start.saturating_add(len).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

/// `ns["key"]` and `ns['key']` uses: (offset, length, key).
fn subscripts(expr: &str, ns: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = expr[at..].find(ns).map(|i| at + i) {
        at = i + ns.len();
        let before_ok =
            i == 0 || !expr[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        let rest = expr[at..].trim_start();
        if !before_ok || !rest.starts_with('[') {
            continue;
        }
        let inner = rest[1..].trim_start();
        let Some(quote) = inner.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = inner[1..].find(quote) {
            let key = inner[1..1 + end].to_string();
            let end_offset = expr.len() - inner.len() + 1 + end + 1;
            found.push((i, end_offset - i + 1, key));
        }
    }
    found
}

/// Where a dotted name stands in an expression, as a whole word.
fn find_name(expr: &str, dotted: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(i) = expr[at..].find(dotted).map(|i| at + i) {
        let before_ok =
            i == 0 || !expr[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.');
        let after = &expr[i + dotted.len()..];
        let after_ok = !after.starts_with(|c: char| c.is_alphanumeric() || c == '_');
        if before_ok && after_ok {
            return Some((i, dotted.len()));
        }
        at = i + dotted.len();
    }
    let first = dotted.split('.').next()?;
    if first != dotted {
        return find_name(expr, first);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &Analysis) -> Vec<String> {
        a.references.iter().map(Reference::dotted).collect()
    }

    #[test]
    fn references_and_positions() {
        let text = "psql {{ inputs.db }} -c \"{{ vars.role | upper }}\"";
        let a = analyze_template(text);
        assert!(a.errors.is_empty(), "{a:?}");
        assert_eq!(names(&a), ["inputs.db", "vars.role"]);
        for r in &a.references {
            assert_eq!(&text[r.offset..r.offset + r.len], r.dotted());
        }
    }

    #[test]
    fn subscripted_step_ids() {
        let a = analyze_expression("steps[\"top-clients\"].exit_code == 0");
        assert_eq!(names(&a), ["steps.top-clients"]);
        assert_eq!(a.references[0].offset, 0);
    }

    #[test]
    fn error_ranges_cover_whole_characters() {
        for text in [
            "{{ vars.p\u{fffd}cked }}",
            "{{ \u{e9} }}",
            "{{ a \u{1f600} }}",
        ] {
            let a = analyze_template(text);
            assert_eq!(a.errors.len(), 1, "{text:?}");
            let e = &a.errors[0];
            assert!(
                text.get(e.offset..e.offset + e.len).is_some(),
                "{text:?}: {e:?}"
            );
        }
        let a = analyze_expression("vars.p\u{fffd}cked == 1");
        let e = &a.errors[0];
        assert!(
            a.errors[0].len >= 1
                && "vars.p\u{fffd}cked == 1"
                    .get(e.offset..e.offset + e.len)
                    .is_some()
        );
    }

    #[test]
    fn errors_and_raw() {
        let a = analyze_template("echo {{ inputs.x | raw }} {{ oops(");
        assert_eq!(a.errors.len(), 1);
        let a = analyze_template("echo {{ inputs.x | raw }}");
        assert_eq!(a.raw.len(), 1);
        assert!(analyze_template("{% if x %}").errors.len() == 1);
        assert!(analyze_template("echo ${#arr[@]}").errors.is_empty());
        assert!(analyze_template("{{ }}").errors.len() == 1);
        assert!(analyze_expression("output | int < 20").errors.is_empty());
        assert!(analyze_expression("{{ x }}").errors.len() == 1);
        assert!(analyze_expression("a ==").errors.len() == 1);
    }
}
