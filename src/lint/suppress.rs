//! `# runbook: ignore[RB012]` comments: on a line, or on the line of a step's first key for
//! the whole step (SPEC §3.1).

use crate::load::{Runbook, Source};

#[derive(Debug, Default)]
pub struct Suppressions {
    /// (first line, last line, codes), 1-based and inclusive.
    ranges: Vec<(usize, usize, Vec<String>)>,
}

impl Suppressions {
    pub fn parse(source: &Source, runbook: Option<&Runbook>) -> Suppressions {
        let mut ranges = Vec::new();
        if !source.text.contains("runbook:") {
            return Suppressions { ranges };
        }
        let mut by_line = Vec::new();
        for line in 1..=source.line_count() {
            if let Some(codes) = codes_in(source.line_text(line)) {
                by_line.push((line, codes));
            }
        }
        for (line, codes) in &by_line {
            ranges.push((*line, *line, codes.clone()));
        }
        if let Some(rb) = runbook {
            for step in &rb.steps {
                let first = source.position(step.span.start).line;
                if let Some((_, codes)) = by_line.iter().find(|(l, _)| *l == first) {
                    let last = source.position(step.span.end).line;
                    ranges.push((first, last, codes.clone()));
                }
            }
        }
        Suppressions { ranges }
    }

    pub fn allows(&self, code: &str, line: usize) -> bool {
        !self.ranges.iter().any(|(first, last, codes)| {
            (*first..=*last).contains(&line) && codes.iter().any(|c| c == code)
        })
    }
}

/// The codes of an ignore comment on a line.
fn codes_in(line: &str) -> Option<Vec<String>> {
    let at = line.find("runbook:")?;
    let before = line[..at].trim_end();
    let comment = before.strip_suffix('#')?;
    if !(comment.is_empty() || comment.ends_with(char::is_whitespace)) {
        return None;
    }
    let rest = line[at + "runbook:".len()..].trim_start();
    let list = rest.strip_prefix("ignore[")?;
    let list = &list[..list.find(']')?];
    Some(
        list.split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::codes_in;

    #[test]
    fn ignore_comments() {
        assert_eq!(
            codes_in("  run: x  # runbook: ignore[RB012, RB027]"),
            Some(vec!["RB012".into(), "RB027".into()])
        );
        assert_eq!(
            codes_in("# runbook: ignore[RB001]"),
            Some(vec!["RB001".into()])
        );
        assert_eq!(codes_in("  run: echo '#runbook: ignore[RB1]'x"), None);
        assert_eq!(codes_in("  title: runbook: ignore[RB1]"), None);
    }
}
