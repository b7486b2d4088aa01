//! Jira's and Confluence's wiki markup, as pages exported from them still hold it:
//! `{code:bash}` … `{code}` and `{noformat}` … `{noformat}` blocks, `h2. Meaning` headings,
//! `{panel:title=…}` … `{panel}` and `{warning}` … `{warning}` boxes. CommonMark reads them
//! as paragraphs, so a command in a `{code}` block was folded into the prose (audit 14l L5).
//! Each such line is rewritten in place into what CommonMark reads the same way (a fence,
//! a heading, a bold title), one line for one line, so that positions stay the page's; and
//! what is rewritten is said.

use std::borrow::Cow;

use super::pos::Pos;

/// The page with its wiki markup rewritten, and what was rewritten (each a guess, with the
/// line it is on).
pub(super) struct Unwikied<'a> {
    pub(super) text: Cow<'a, str>,
    pub(super) guesses: Vec<(Pos, String)>,
}

/// The boxes of Confluence that hold prose: their opening line is a bold title.
const BOXES: &[&str] = &["panel", "info", "note", "warning", "tip", "quote", "expand"];

pub(super) fn unwiki(text: &str) -> Unwikied<'_> {
    let plain = Unwikied {
        text: Cow::Borrowed(text),
        guesses: Vec::new(),
    };
    if !(text.contains("{code")
        || text.contains("{noformat")
        || text.contains("h1. ")
        || text.contains("h2. ")
        || text.contains("h3. ")
        || text.contains("h4. "))
    {
        return plain;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(lines.len());
    let mut guesses = Vec::new();
    // The Markdown fence the line is in, or the wiki block (`code`, `noformat`).
    let mut fence: Option<&str> = None;
    let mut block: Option<&'static str> = None;
    let mut said_blocks = false;
    let mut said_headings = false;
    for (k, line) in lines.iter().enumerate() {
        let at = Pos {
            line: k + 1,
            col: 1,
        };
        let trimmed = line.trim_end_matches('\r').trim();
        if let Some(f) = fence {
            if trimmed.starts_with(f) && trimmed.chars().all(|c| c == '`' || c == '~') {
                fence = None;
            }
            out.push(Cow::Borrowed(line));
            continue;
        }
        if let Some(open) = block {
            if trimmed == format!("{{{open}}}") {
                block = None;
                out.push(Cow::Borrowed("```"));
            } else {
                out.push(Cow::Borrowed(line));
            }
            continue;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            fence = Some(if line.starts_with("```") {
                "```"
            } else {
                "~~~"
            });
            out.push(Cow::Borrowed(line));
            continue;
        }
        // `{code:bash}`, `{code:language=bash|title=…}`, `{code}`, alone on their line.
        if let Some(inner) = macro_alone(trimmed, "code") {
            block = Some("code");
            let language = inner
                .split('|')
                .map(|p| p.strip_prefix("language=").unwrap_or(p))
                .find(|p| !p.contains('=') && !p.is_empty())
                .unwrap_or("");
            out.push(Cow::Owned(format!("```{language}")));
            if !said_blocks {
                said_blocks = true;
                guesses.push((at, format!("the page is written in Jira or Confluence wiki markup: `{{code}}` and `{{noformat}}` blocks are read as fenced blocks (from line {})", k + 1)));
            }
            continue;
        }
        if macro_alone(trimmed, "noformat").is_some() {
            block = Some("noformat");
            // Preformatted text: output or a file's contents, shown, not run.
            out.push(Cow::Borrowed("```text"));
            if !said_blocks {
                said_blocks = true;
                guesses.push((at, format!("the page is written in Jira or Confluence wiki markup: `{{code}}` and `{{noformat}}` blocks are read as fenced blocks (from line {})", k + 1)));
            }
            continue;
        }
        // `{code:bash}curl …{code}` on one line: no block CommonMark can read there; kept
        // in the prose, and said.
        if trimmed.starts_with("{code") && trimmed.ends_with("{code}") && trimmed.len() > 12 {
            guesses.push((at, "a one-line Jira `{code}` block is kept in the instructions, not run: put it on lines of its own (or in a ``` fence) to make it a command".to_string()));
            out.push(Cow::Borrowed(line));
            continue;
        }
        // `h2. Meaning`: a heading.
        if let Some(level) = heading_level(trimmed) {
            out.push(Cow::Owned(format!(
                "{} {}",
                "#".repeat(level),
                &trimmed[4..]
            )));
            if !said_headings {
                said_headings = true;
                guesses.push((
                    at,
                    format!(
                        "`h{level}.` lines are read as Jira or Confluence headings (from line {})",
                        k + 1
                    ),
                ));
            }
            continue;
        }
        // `{panel:title=Data loss}` … `{panel}`: its title in bold, the frame blank.
        if let Some((name, inner)) = BOXES
            .iter()
            .find_map(|b| macro_alone(trimmed, b).map(|inner| (*b, inner)))
        {
            let title = inner
                .split('|')
                .find_map(|p| p.strip_prefix("title="))
                .unwrap_or("");
            out.push(match (title.is_empty(), name) {
                (false, _) => Cow::Owned(format!("**{title}**")),
                (true, "panel" | "expand" | "quote") => Cow::Borrowed(""),
                (true, name) => Cow::Owned(format!(
                    "**{}{}**",
                    name[..1].to_ascii_uppercase(),
                    &name[1..]
                )),
            });
            continue;
        }
        out.push(Cow::Borrowed(line));
    }
    if guesses.is_empty() {
        return plain;
    }
    Unwikied {
        text: Cow::Owned(out.join("\n")),
        guesses,
    }
}

/// What is after the name of a macro `{name…}` alone on its line: `bash` of `{code:bash}`,
/// `title=X` of `{panel:title=X}`, `` of `{code}`.
fn macro_alone<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let inner = line
        .strip_prefix('{')?
        .strip_suffix('}')?
        .strip_prefix(name)?;
    if inner.contains(['{', '}']) {
        return None;
    }
    match inner.strip_prefix(':') {
        Some(rest) => Some(rest),
        None if inner.is_empty() => Some(""),
        None => None,
    }
}

/// The level of a `h2. Title` line.
fn heading_level(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    (bytes.len() > 4
        && bytes[0] == b'h'
        && (b'1'..=b'6').contains(&bytes[1])
        && bytes[2] == b'.'
        && bytes[3] == b' ')
        .then(|| usize::from(bytes[1] - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_and_headings_are_read_line_for_line() {
        let page = "# T\n\nh2. Meaning\n\n{code:bash}\ncurl -s localhost:9200\n{code}\n\n{noformat}\n\"status\": \"red\"\n{noformat}\n\n{panel:title=Data loss}\nIt loses writes.\n{panel}\n\n```bash\n{code}\n```\n";
        let u = unwiki(page);
        assert_eq!(
            u.text,
            "# T\n\n## Meaning\n\n```bash\ncurl -s localhost:9200\n```\n\n```text\n\"status\": \"red\"\n```\n\n**Data loss**\nIt loses writes.\n\n\n```bash\n{code}\n```\n"
        );
        assert_eq!(u.text.lines().count(), page.lines().count());
        assert_eq!(u.guesses.len(), 2);
        let lines: Vec<usize> = u.guesses.iter().map(|(p, _)| p.line).collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn a_page_without_wiki_markup_is_left_alone() {
        let page = "# T\n\nThe h2. heading of a sentence.\n\n```bash\necho {code}\n```\n";
        assert!(matches!(unwiki(page).text, Cow::Borrowed(_)));
        let one = unwiki("# T\n\n{code:bash}curl -s localhost:9200/_cat/health{code}\n");
        assert_eq!(one.guesses.len(), 1);
        assert!(one.guesses[0].1.contains("one-line"));
    }
}
