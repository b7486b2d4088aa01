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
pub const NAMESPACES: &[&str] = &["inputs", "vars", "steps", "env", "run", "output", "item"];

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
    /// `steps.block-client.status`: a step id with a dash written after a dot, which the
    /// template engine reads as `steps.block - client.status` (see
    /// [`Analysis::join_dashed_step_ids`]).
    pub dashed: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallKind {
    /// `value | name`
    Filter,
    /// `value is name`, `value is not name`
    Test,
}

/// A filter or test that an expression applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub kind: CallKind,
    /// The name as the engine looks it up (whitespace around dots removed).
    pub name: String,
    /// Byte range of the name in the template text.
    pub offset: usize,
    pub len: usize,
    /// Whether the run-time environment ([`environment`]) registers it.
    pub known: bool,
}

/// Everything the linter needs to know about one template or expression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    pub references: Vec<Reference>,
    /// Every filter and test applied.
    pub calls: Vec<Call>,
    /// Byte ranges of `| raw` filters.
    pub raw: Vec<(usize, usize)>,
    pub errors: Vec<TemplateError>,
    /// `steps.` followed by words joined with `-` (`steps.block-client.status`), which may be
    /// a step id with dashes: see [`Analysis::join_dashed_step_ids`].
    pub step_chains: Vec<StepChain>,
}

/// `steps.a-b-c` in an expression: where `steps` stands and the byte range of each word.
#[derive(Debug, Clone, PartialEq)]
pub struct StepChain {
    pub offset: usize,
    /// At least two words, each right after the previous one and a `-`.
    pub words: Vec<std::ops::Range<usize>>,
}

impl Analysis {
    /// The template engine reads `steps.block-client.status` as `steps.block - client.status`:
    /// a step `block` and a name `client`. When the words joined by dashes name a step of the
    /// runbook (`is_step`, the longest such id wins), the pieces become one reference to that
    /// step, marked [`Reference::dashed`], so that the linter says how to write it instead of
    /// reporting a step and a name that do not exist.
    pub fn join_dashed_step_ids(&mut self, text: &str, is_step: impl Fn(&str) -> bool) {
        let mut joined: Vec<Reference> = Vec::new();
        let mut pieces: Vec<&str> = Vec::new();
        for chain in &self.step_chains {
            let (Some(first), Some(last)) = (chain.words.first(), chain.words.last()) else {
                continue;
            };
            let id_start = first.start;
            let Some(count) = (2..=chain.words.len()).rev().find(|&n| {
                text.get(id_start..chain.words[n - 1].end)
                    .is_some_and(&is_step)
            }) else {
                continue;
            };
            let id_end = chain.words[count - 1].end;
            let Some(id) = text.get(id_start..id_end) else {
                continue;
            };
            let mut path = vec!["steps".to_string(), id.to_string()];
            let mut end = id_end;
            // The field counts only after the whole chain: `steps.a-b-c.status` with a step
            // `a-b` is not `steps['a-b'].status`.
            if id_end == last.end && text.as_bytes().get(id_end) == Some(&b'.') {
                let field_end = ident_end(text.as_bytes(), id_end + 1);
                if let Some(field) = text.get(id_end + 1..field_end).filter(|f| !f.is_empty()) {
                    path.push(field.to_string());
                    end = field_end;
                }
            }
            pieces.extend(
                chain.words[1..count]
                    .iter()
                    .filter_map(|w| text.get(w.clone())),
            );
            joined.push(Reference {
                path,
                offset: chain.offset,
                len: end - chain.offset,
                dashed: true,
            });
        }
        if joined.is_empty() {
            return;
        }
        self.references.retain(|r| {
            let inside = joined
                .iter()
                .any(|j| (j.offset..j.offset + j.len).contains(&r.offset));
            let piece = pieces.contains(&r.namespace()) && !NAMESPACES.contains(&r.namespace());
            !inside && !piece
        });
        self.references.extend(joined);
    }
}

/// The template environment of runs: the filters and tests a runbook may use are exactly the
/// ones it registers, and the linter asks it (through [`has_filter`] and [`has_test`]) rather
/// than keeping a list of its own, so the two cannot drift apart.
pub fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.add_filter("raw", |v: minijinja::Value| v);
        env
    })
}

/// Whether [`environment`] registers the filter `name`.
pub fn has_filter(name: &str) -> bool {
    registered(name, CallKind::Filter)
}

/// Whether [`environment`] registers the test `name`.
pub fn has_test(name: &str) -> bool {
    registered(name, CallKind::Test)
}

/// Asks the environment itself (minijinja has no public lookup): applying a filter or test
/// without arguments fails with "unknown" only when no such name is registered; a known one
/// fails on its missing argument before doing any work.
fn registered(name: &str, kind: CallKind) -> bool {
    thread_local! {
        static KNOWN: std::cell::RefCell<HashMap<(CallKind, Box<str>), bool>> =
            std::cell::RefCell::new(HashMap::new());
    }
    let key = (kind, Box::<str>::from(name));
    if let Some(known) = KNOWN.with(|k| k.borrow().get(&key).copied()) {
        return known;
    }
    let known = ask_environment(name, kind);
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        // Bounded like the expression cache: names come from the files linted.
        if k.len() >= CACHED_EXPRESSIONS {
            k.clear();
        }
        k.insert(key, known);
    });
    known
}

fn ask_environment(name: &str, kind: CallKind) -> bool {
    let Ok(template) = environment().template_from_str("") else {
        return true;
    };
    let mut state = template.new_state();
    let unknown = match kind {
        CallKind::Filter => state
            .apply_filter(name, &[])
            .is_err_and(|e| e.kind() == minijinja::ErrorKind::UnknownFilter),
        CallKind::Test => state
            .perform_test(name, &[])
            .is_err_and(|e| e.kind() == minijinja::ErrorKind::UnknownTest),
    };
    !unknown
}

/// The filters offered as "did you mean" suggestions: those of [`environment`] (minijinja's
/// built-in filters and `raw`; not the one-letter aliases `d` and `e`, which would be offered
/// for any short slip). A unit test checks that each is registered.
#[rustfmt::skip]
pub const FILTER_NAMES: &[&str] = &[
    "abs", "attr", "batch", "bool", "capitalize", "chain", "count", "default", "dictsort",
    "escape", "first", "float", "format", "groupby", "indent", "int", "items", "join", "last",
    "length", "lines", "list", "lower", "map", "max", "min", "pprint", "raw", "reject",
    "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
    "split", "string", "sum", "title", "trim", "unique", "upper", "zip",
];

/// The tests offered as "did you mean" suggestions: those of [`environment`].
#[rustfmt::skip]
pub const TEST_NAMES: &[&str] = &[
    "boolean", "defined", "divisibleby", "endingwith", "eq", "equalto", "escaped", "even", "false",
    "filter", "float", "ge", "greaterthan", "gt", "in", "int", "integer", "iterable", "le",
    "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "safe", "sameas", "sequence",
    "startingwith", "string", "test", "true", "undefined", "upper",
];

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
    // (Outside the blocks: `{{ '{%' }}` prints `{%`, no statement.)
    let mut gaps = 0;
    let statement = blocks
        .iter()
        .map(|b| b.outer.clone())
        .chain(std::iter::once(text.len()..text.len()))
        .find_map(|block| {
            let gap = text.get(gaps..block.start).unwrap_or("");
            let found = gap.find("{%").map(|i| gaps + i);
            gaps = block.end;
            found
        });
    if let Some(found) = statement {
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
            offset: base + r.offset,
            ..r.clone()
        }));
    analysis.calls.extend(part.calls.iter().map(|c| Call {
        offset: base + c.offset,
        ..c.clone()
    }));
    analysis
        .step_chains
        .extend(part.step_chains.iter().map(|c| {
            StepChain {
                offset: base + c.offset,
                words: c
                    .words
                    .iter()
                    .map(|w| base + w.start..base + w.end)
                    .collect(),
            }
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
    let compiled = match environment().compile_expression(expr) {
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
        if path.len() == 1 {
            // Read by key (`inputs["db"]`, `inputs | attr("db")`) or whole (`inputs | items`,
            // `inputs[name]`): what the expression reads, whatever its spelling.
            let reads = namespace_reads(expr, &path[0]);
            if !reads.is_empty() {
                for (offset, len, key) in reads {
                    let mut path = vec![path[0].clone()];
                    path.extend(key);
                    analysis.references.push(Reference {
                        path,
                        offset,
                        len,
                        dashed: false,
                    });
                }
                continue;
            }
        }
        let (offset, len) = find_name(expr, &name).unwrap_or((0, expr.len()));
        analysis.references.push(Reference {
            path,
            offset,
            len,
            dashed: false,
        });
    }
    let (found_calls, chains) = scan(expr);
    analysis.step_chains = chains;
    for found in found_calls {
        if found.kind == CallKind::Filter && found.name == "raw" {
            analysis
                .raw
                .push((found.operator, found.end - found.operator));
        }
        let known = match found.kind {
            CallKind::Filter => has_filter(&found.name),
            CallKind::Test => has_test(&found.name),
        };
        analysis.calls.push(Call {
            kind: found.kind,
            name: found.name,
            offset: found.start,
            len: found.end - found.start,
            known,
        });
    }
}

/// A filter or test found by [`scan`]: byte offsets in the expression.
struct Found {
    kind: CallKind,
    /// Where `|` or `is` stands.
    operator: usize,
    start: usize,
    end: usize,
    name: String,
}

/// The filters and tests of an expression that parsed: each `| name` and `is [not] name`
/// outside string literals, where `name` may be dotted (`| a.b`), as minijinja reads them.
/// Also each `steps.a-b…` chain of words joined by dashes.
fn scan(expr: &str) -> (Vec<Found>, Vec<StepChain>) {
    let bytes = expr.as_bytes();
    let mut found = Vec::new();
    let mut chains = Vec::new();
    let mut i = 0;
    // Whether the last token was `.`: `x.is` is an attribute, not a test.
    let mut after_dot = false;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'"' | b'\'' => {
                i = string_end(bytes, i);
                after_dot = false;
            }
            b'|' => {
                match dotted_name(expr, i + 1) {
                    Some((start, end, name)) => {
                        found.push(Found {
                            kind: CallKind::Filter,
                            operator: i,
                            start,
                            end,
                            name,
                        });
                        i = end;
                    }
                    None => i += 1,
                }
                after_dot = false;
            }
            b'.' => {
                after_dot = true;
                i += 1;
            }
            c if c.is_ascii_whitespace() => i += 1,
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let end = ident_end(bytes, i);
                let word = &expr[i..end];
                let is_operator = !after_dot && word == "is";
                if !after_dot
                    && word == "steps"
                    && bytes.get(end) == Some(&b'.')
                    && let Some(chain) = step_chain(bytes, i, end + 1)
                {
                    chains.push(chain);
                }
                after_dot = false;
                if !is_operator {
                    i = end;
                    continue;
                }
                let mut at = skip_whitespace(bytes, end);
                let next = ident_end(bytes, at);
                if &expr[at..next] == "not" {
                    at = next;
                }
                match dotted_name(expr, at) {
                    Some((start, name_end, name)) => {
                        found.push(Found {
                            kind: CallKind::Test,
                            operator: i,
                            start,
                            end: name_end,
                            name,
                        });
                        i = name_end;
                    }
                    None => i = end,
                }
            }
            _ => {
                after_dot = false;
                i += 1;
            }
        }
    }
    (found, chains)
}

/// The words joined by dashes from `start` (right after `steps.` at `offset`), when there
/// are at least two.
fn step_chain(bytes: &[u8], offset: usize, start: usize) -> Option<StepChain> {
    let mut words = Vec::new();
    let mut at = start;
    loop {
        let end = ident_end(bytes, at);
        if end == at {
            break;
        }
        words.push(at..end);
        if bytes.get(end) != Some(&b'-') {
            break;
        }
        at = end + 1;
    }
    (words.len() >= 2).then_some(StepChain { offset, words })
}

/// The end of the string literal that starts at `start` (a quote), escapes included.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while let Some(&c) = bytes.get(i) {
        if c == b'\\' {
            i += 2;
        } else if c == quote {
            return i + 1;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

fn ident_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while bytes
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
    {
        i += 1;
    }
    i
}

fn skip_whitespace(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The filter or test name after `at` (whitespace skipped): `(start, end, name)`, `name`
/// without the whitespace around its dots, as minijinja looks it up.
fn dotted_name(expr: &str, at: usize) -> Option<(usize, usize, String)> {
    let bytes = expr.as_bytes();
    let start = skip_whitespace(bytes, at);
    if !bytes
        .get(start)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    let mut end = ident_end(bytes, start);
    let mut name = expr[start..end].to_string();
    loop {
        let dot = skip_whitespace(bytes, end);
        if bytes.get(dot) != Some(&b'.') {
            break;
        }
        let next = skip_whitespace(bytes, dot + 1);
        let next_end = ident_end(bytes, next);
        if next_end == next {
            break;
        }
        name.push('.');
        name.push_str(&expr[next..next_end]);
        end = next_end;
    }
    Some((start, end, name))
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
/// Each use of the bare name `ns` in an expression, outside string literals, that is not an
/// attribute (`ns.key`, which the engine reports itself): `ns["key"]` and
/// `ns | attr("key")` read one key; any other use (`ns[name]`, `ns | items`, `ns | tojson`,
/// `for`-like filters) reads every key, given as `None`. (offset, length, key).
fn namespace_reads(expr: &str, ns: &str) -> Vec<(usize, usize, Option<String>)> {
    let bytes = expr.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let mut after_dot = false;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'"' | b'\'' => {
                i = string_end(bytes, i);
                after_dot = false;
            }
            b'.' => {
                after_dot = true;
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let end = ident_end(bytes, i);
                if !after_dot && &expr[i..end] == ns {
                    let at = skip_whitespace(bytes, end);
                    match bytes.get(at) {
                        Some(b'.') => {}
                        Some(b'[') => match quoted_key(expr, skip_whitespace(bytes, at + 1)) {
                            Some((key, close))
                                if bytes.get(skip_whitespace(bytes, close)) == Some(&b']') =>
                            {
                                let stop = skip_whitespace(bytes, close) + 1;
                                found.push((i, stop - i, Some(key)));
                            }
                            _ => found.push((i, end - i, None)),
                        },
                        Some(b'|') => {
                            let f = skip_whitespace(bytes, at + 1);
                            let f_end = ident_end(bytes, f);
                            let open = skip_whitespace(bytes, f_end);
                            let key = (&expr[f..f_end] == "attr" && bytes.get(open) == Some(&b'('))
                                .then(|| quoted_key(expr, skip_whitespace(bytes, open + 1)))
                                .flatten()
                                .filter(|(_, close)| {
                                    bytes.get(skip_whitespace(bytes, *close)) == Some(&b')')
                                });
                            match key {
                                Some((key, close)) => {
                                    let stop = skip_whitespace(bytes, close) + 1;
                                    found.push((i, stop - i, Some(key)));
                                }
                                None => found.push((i, end - i, None)),
                            }
                        }
                        _ => found.push((i, end - i, None)),
                    }
                }
                after_dot = false;
                i = end;
            }
            _ => {
                after_dot = false;
                i += 1;
            }
        }
    }
    found
}

/// A string literal at `at` (`"key"` or `'key'`, no escapes in it) and where it ends.
fn quoted_key(expr: &str, at: usize) -> Option<(String, usize)> {
    let quote = *expr.as_bytes().get(at)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let close = expr[at + 1..].find(quote as char)? + at + 1;
    let key = &expr[at + 1..close];
    (!key.contains('\\')).then(|| (key.to_string(), close + 1))
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

/// Replaces each `{{ … }}` block by underscores of the same byte length.
pub fn placeholders(script: &str) -> String {
    let Ok(found) = blocks(script) else {
        return script.to_string();
    };
    let mut out = String::with_capacity(script.len());
    let mut at = 0;
    for block in found {
        out.push_str(&script[at..block.outer.start]);
        out.push_str(&"_".repeat(block.outer.len()));
        at = block.outer.end;
    }
    out.push_str(&script[at..]);
    out
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
        // `{%` printed by a block is no statement; one after a block is (audit 41 I41-30).
        let a = analyze_template("{{ '{%' }} endraw %} and {{ '{#' }}");
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        let a = analyze_template("{{ inputs.x }} {% if x %}");
        assert_eq!(a.errors.iter().map(|e| e.offset).collect::<Vec<_>>(), [15]);
        assert!(analyze_template("echo ${#arr[@]}").errors.is_empty());
        assert!(analyze_template("{{ }}").errors.len() == 1);
        assert!(analyze_expression("output | int < 20").errors.is_empty());
        assert!(analyze_expression("{{ x }}").errors.len() == 1);
        assert!(analyze_expression("a ==").errors.len() == 1);
    }

    fn calls_of(a: &Analysis) -> Vec<(CallKind, &str, bool)> {
        a.calls
            .iter()
            .map(|c| (c.kind, c.name.as_str(), c.known))
            .collect()
    }

    #[test]
    fn filters_and_tests_are_found_at_their_names() {
        let text = "{{ inputs.x | nosuchfilter }} {{ vars.y|lower|  int }}";
        let a = analyze_template(text);
        assert!(a.errors.is_empty(), "{a:?}");
        assert_eq!(
            calls_of(&a),
            [
                (CallKind::Filter, "nosuchfilter", false),
                (CallKind::Filter, "lower", true),
                (CallKind::Filter, "int", true),
            ]
        );
        for c in &a.calls {
            assert_eq!(&text[c.offset..c.offset + c.len], c.name);
        }
        let text = "inputs.x is nosuchtest and vars.y is not defined or vars.z is divisibleby 3";
        let a = analyze_expression(text);
        assert_eq!(
            calls_of(&a),
            [
                (CallKind::Test, "nosuchtest", false),
                (CallKind::Test, "defined", true),
                (CallKind::Test, "divisibleby", true),
            ]
        );
        assert_eq!(&text[a.calls[0].offset..][..a.calls[0].len], "nosuchtest");
    }

    #[test]
    fn strings_and_attributes_are_not_filters_or_tests() {
        let a = analyze_template("{{ 'a | nope' ~ \"b is nope\" ~ 'it\\'s | x' | upper }}");
        assert_eq!(calls_of(&a), [(CallKind::Filter, "upper", true)]);
        assert!(analyze_expression("vars.this == vars.is").calls.is_empty());
        assert!(
            analyze_template("echo a|b {{ inputs.x }} | tee")
                .calls
                .is_empty()
        );
        let a = analyze_expression("output | int > 3 and (output | string) is string");
        assert!(a.calls.iter().all(|c| c.known), "{a:?}");
    }

    #[test]
    fn dotted_names_are_looked_up_whole() {
        let a = analyze_template("{{ inputs.x | a . b }}");
        assert_eq!(calls_of(&a), [(CallKind::Filter, "a.b", false)]);
    }

    #[test]
    fn the_run_environment_decides_what_is_known() {
        for name in FILTER_NAMES {
            assert!(has_filter(name), "filter {name}");
        }
        for name in TEST_NAMES {
            assert!(has_test(name), "test {name}");
        }
        assert!(has_filter("d") && has_filter("e"));
        assert!(!has_filter("nosuchfilter") && !has_test("nosuchtest"));
        assert!(!has_filter("defined") && !has_test("trim"));
    }

    /// The executor renders with the same filters and tests as the linter knows: a name the
    /// linter accepts is never "unknown" at run time, and one it refuses always is.
    #[test]
    fn lint_and_run_agree_on_filters_and_tests() {
        let ctx = minijinja::Value::from(());
        let unknown_at_run = |expr: &str| {
            crate::exec::render::condition(expr, &ctx)
                .is_err_and(|e| e.message.contains("is unknown"))
        };
        for name in FILTER_NAMES.iter().chain(&["nosuchfilter", "d", "e"]) {
            assert_eq!(
                unknown_at_run(&format!("none | {name}")),
                !has_filter(name),
                "filter {name}"
            );
        }
        for name in TEST_NAMES.iter().chain(&["nosuchtest"]) {
            assert_eq!(
                unknown_at_run(&format!("none is {name}")),
                !has_test(name),
                "test {name}"
            );
        }
    }

    #[test]
    fn dashed_step_ids_join_when_the_step_exists() {
        let text = "{{ steps.block-client.status }} {{ steps.a-b-c }}";
        let mut a = analyze_template(text);
        assert_eq!(a.step_chains.len(), 2);
        a.join_dashed_step_ids(text, |id| id == "block-client" || id == "a-b-c");
        assert_eq!(
            names(&a),
            ["steps.block-client.status", "steps.a-b-c"],
            "{a:?}"
        );
        assert!(a.references.iter().all(|r| r.dashed));
        assert_eq!(
            &text[a.references[0].offset..][..a.references[0].len],
            "steps.block-client.status"
        );
        // No such step: the pieces stay as the engine reads them.
        let mut a = analyze_expression("steps.block-client.status == 'ok'");
        a.join_dashed_step_ids("steps.block-client.status == 'ok'", |_| false);
        assert_eq!(names(&a), ["client.status", "steps.block"]);
        // Spaces around the dash: a subtraction, as written.
        let a = analyze_expression("steps.ack.exit_code - vars.n");
        assert!(a.step_chains.is_empty());
    }
}
