use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::load::locate::locate;
use crate::load::{Sp, Span};

crate::declare_rule! {
    /// ## What it does
    /// Reports a regular expression that does not compile: an input's or an `ask`'s
    /// `pattern`, `expect.stdout`, `capture.pattern`. A `capture.pattern` must have exactly
    /// one capture group, whose text becomes the variable.
    ///
    /// ## Why this matters
    /// The prompt would reject every answer, or the step would fail after its command ran.
    ///
    /// ## Example
    /// ```yaml
    ///     ask:
    ///       var: role
    ///       pattern: '^[a-z_[a-z0-9_]*$'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///       pattern: '^[a-z_][a-z0-9_]*$'
    /// ```
    pub struct InvalidRegex {
        code: "RB018",
        name: "invalid-regex",
        severity: Error,
    }
}

/// The file span of a regex error: under the faulty part when the error shows it, else the
/// whole value.
fn error_span(cx: &Context, value: &Sp<String>, error: &str) -> Span {
    match diagram_range(value.as_str(), error) {
        Some((offset, len)) => {
            let span = locate(cx.source, value, offset, len);
            if span.start == span.end {
                value.span
            } else {
                span
            }
        }
        None => value.span,
    }
}

/// The byte range of the faulty part of `pattern`. The regex crate shows it only as text:
/// the pattern indented by four spaces, then a line of `^` under the faulty part. `None`
/// when the pattern spans several lines or the diagram is not found.
fn diagram_range(pattern: &str, error: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = error.lines().collect();
    lines.windows(2).find_map(|pair| {
        let shown = pair[0].strip_prefix("    ")?;
        let carets = pair[1].strip_prefix("    ")?;
        if shown != pattern || !carets.trim_start().starts_with('^') {
            return None;
        }
        let skip = carets.chars().take_while(|c| *c == ' ').count();
        let count = carets.chars().filter(|c| *c == '^').count();
        let start = shown.char_indices().nth(skip).map(|(i, _)| i)?;
        let end = shown
            .char_indices()
            .nth(skip + count)
            .map_or(shown.len(), |(i, _)| i);
        Some((start, end - start))
    })
}

impl Rule for InvalidRegex {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let check = |out: &mut Vec<Finding>,
                     key: &str,
                     value: &Sp<String>,
                     groups: Option<usize>| {
            match crate::values::pattern::compile(value.as_str()) {
                Err(e) => {
                    let text = e.to_string();
                    let why = text
                        .lines()
                        .rev()
                        .find(|l| !l.trim().is_empty())
                        .unwrap_or("invalid");
                    let why = why.trim().trim_start_matches("error: ");
                    out.push(Finding::new(
                        error_span(cx, value, &text),
                        format!("invalid regular expression in `{key}`: {why}"),
                        "fix the pattern; it uses Rust regex syntax (like Perl's, without look-around)",
                    ));
                }
                Ok(re) => {
                    if let Some(want) = groups {
                        let have = re.captures_len() - 1;
                        if have != want {
                            out.push(Finding::new(
                                value.span,
                                format!("`{key}` must have exactly one capture group, found {have}"),
                                "wrap the part to keep in `( )`, and make other groups non-capturing with `(?: )`",
                            ));
                        }
                    }
                }
            }
        };
        for input in &cx.runbook.inputs {
            if let Some(p) = &input.pattern {
                check(out, "pattern", p, None);
            }
        }
        for step in &cx.runbook.steps {
            if let Some(p) = step.ask.as_ref().and_then(|a| a.value.pattern.as_ref()) {
                check(out, "ask.pattern", p, None);
            }
            if let Some(p) = step.expect.as_ref().and_then(|e| e.stdout.as_ref()) {
                check(out, "expect.stdout", p, None);
            }
            if let Some(p) = step.capture.as_ref().and_then(|c| c.pattern.as_ref()) {
                check(out, "capture.pattern", p, Some(1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::diagram_range;

    #[test]
    fn errors_point_at_the_faulty_part() {
        let cases = [
            ("^(?!admin)[a-z]+$", Some((1, 3))),
            ("disabled (\\d+ moved", Some((9, 1))),
            ("é[z-a]", Some((3, 3))),
            ("a{2,1}", Some((1, 5))),
        ];
        for (pattern, expected) in cases {
            let error = regex::Regex::new(pattern).err().map(|e| e.to_string());
            let got = error.and_then(|e| diagram_range(pattern, &e));
            assert_eq!(got, expected, "{pattern}");
        }
        assert_eq!(diagram_range("a(", "unclosed group"), None);
    }
}
