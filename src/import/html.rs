//! [`text_of`]: the text an HTML block of a page shows (a Confluence or wiki export writes
//! its warnings, tables and even its steps as HTML): kept in the runbook's text rather than
//! dropped (audit 14j J2 found a health check and "Only the on-call lead may run this"
//! lost); and [`placeholder_tag`], a `<NAMESPACE>` pulldown-cmark reads as an HTML tag
//! that is the page's placeholder.

use std::sync::LazyLock;

use regex::Regex;

/// The text of an HTML block: headings in bold, paragraphs, list items (`- `), table rows
/// (cells joined by ` | `), `<pre>` as a fence (shown, never run: the importer does not
/// guess that HTML is a command), every other tag removed and the common entities decoded.
pub(super) fn text_of(html: &str) -> String {
    static PRE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"(?is)<pre\b[^>]*>(.*?)</pre\s*>").ok());
    static TAG: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").ok());
    let (Some(pre), Some(tag)) = (PRE.as_ref(), TAG.as_ref()) else {
        return String::new();
    };
    // (`<pre>` first: its text keeps its lines, and its tags are shown, not read.)
    let mut fenced = Vec::new();
    let html = pre.replace_all(html, |c: &regex::Captures<'_>| {
        fenced.push(decode(
            c.get(1).map_or("", |m| m.as_str()).trim_matches('\n'),
        ));
        format!("\n\u{1}{}\u{1}\n", fenced.len() - 1)
    });
    let mut text = String::with_capacity(html.len());
    // The cells of the row being read, and how many are headers.
    let mut cells = (0usize, 0usize);
    let mut at = 0;
    for m in tag.find_iter(&html) {
        text.push_str(&html[at..m.start()]);
        at = m.end();
        let t = m.as_str().to_ascii_lowercase();
        let name: String = t
            .trim_start_matches('<')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => text.push_str("\n\n**"),
            "/h1" | "/h2" | "/h3" | "/h4" | "/h5" | "/h6" => text.push_str("**\n\n"),
            "p" | "/p" | "div" | "/div" | "table" | "/table" | "details" | "/details" | "ul"
            | "/ul" | "ol" | "/ol" => text.push_str("\n\n"),
            // (A new line, unless the page's own ends the text: `</tr>⏎<tr>`.)
            "br" | "br/" | "/summary" if !text.trim_end_matches([' ', '\t']).ends_with('\n') => {
                text.push('\n');
            }
            // A table's rows as Markdown's: `| a | b |`, its header row underlined.
            "tr" => {
                if !text.trim_end_matches([' ', '\t']).ends_with('\n') {
                    text.push('\n');
                }
                text.push_str("| ");
                cells = (0, 0);
            }
            "/tr" => {
                if cells.1 > 0 && cells.1 == cells.0 {
                    text.push('\n');
                    text.push_str(&"|---".repeat(cells.0));
                    text.push('|');
                }
                text.push('\n');
            }
            "li" => text.push_str("\n- "),
            "/td" => {
                cells.0 += 1;
                text.push_str(" | ");
            }
            "/th" => {
                cells = (cells.0 + 1, cells.1 + 1);
                text.push_str(" | ");
            }
            _ => {}
        }
    }
    text.push_str(&html[at..]);
    let text = decode(&text);
    // Lines trimmed, blank runs made one (none between a table's rows).
    let mut out = String::new();
    let mut blank = true;
    let mut pending = false;
    let mut last_row = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            pending = !blank;
            blank = true;
            continue;
        }
        let row = line.starts_with('|');
        if std::mem::take(&mut pending) && !(row && last_row) {
            out.push('\n');
        }
        last_row = row;
        if let Some(n) = line
            .strip_prefix('\u{1}')
            .and_then(|l| l.strip_suffix('\u{1}'))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| fenced.get(n))
        {
            out.push_str(&format!("```\n{n}\n```\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
        blank = false;
    }
    out.trim().to_string()
}

/// The condition a `<details>` opened in an HTML block names in its `<summary>` ("If the
/// drain hangs on a pod"): what it holds applies only then (audit 39 I-3 found a
/// force-delete under such a summary run on every walk).
pub(super) fn details_condition(html: &str) -> Option<String> {
    static SUMMARY: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?is)<details\b[^>]*>\s*<summary\b[^>]*>(.*?)</summary\s*>").ok()
    });
    let inner = SUMMARY.as_ref()?.captures(html)?.get(1)?.as_str();
    let text = text_of(inner);
    let label = text.trim().trim_end_matches([':', '.']).trim();
    (!label.contains('\n')
        && label.chars().count() <= 160
        && super::decisions::either_or(label)
        && !html.to_ascii_lowercase().contains("</details"))
    .then(|| label.to_string())
}

/// Whether HTML closes a `<details>` (`</details>`).
pub(super) fn closes_details(html: &str) -> bool {
    html.trim_start()
        .to_ascii_lowercase()
        .starts_with("</details")
}

/// The common entities of HTML decoded (`&lt;` last but one, `&amp;` last: `&amp;lt;`
/// stays `&lt;`).
fn decode(text: &str) -> String {
    text.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&amp;", "&")
}

/// The elements of HTML a page may write (`<details>`, `<br>`, `<kbd>`): any other
/// `<word …>` with no attribute is a placeholder.
const HTML_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "option",
    "p",
    "path",
    "picture",
    "pre",
    "q",
    "s",
    "samp",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Whether what pulldown-cmark read as an HTML tag is a placeholder of the page:
/// `<project id>`, `<NAMESPACE>`, `<pvc-name>` (no attribute, no closing slash, not an
/// element of HTML).
pub(super) fn placeholder_tag(h: &str) -> bool {
    let Some(inner) = h.trim().strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let first = inner.split_whitespace().next().unwrap_or("");
    !first.is_empty()
        && first.starts_with(|c: char| c.is_ascii_alphabetic())
        && inner
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
        && !HTML_ELEMENTS.contains(&first.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::text_of;

    #[test]
    fn html_blocks_read_as_the_text_they_show() {
        assert_eq!(
            text_of(
                "<div class=\"confluence-information-macro\">\n<p>Only the on-call lead may run this.</p>\n</div>\n"
            ),
            "Only the on-call lead may run this."
        );
        assert_eq!(
            text_of("<h3>Step 1: Check the standby</h3>\n"),
            "**Step 1: Check the standby**"
        );
        assert_eq!(
            text_of(
                "<pre class=\"code\">\ncurl -fsS https://x/healthz &amp;&amp; echo &lt;ok&gt;\n</pre>\n"
            ),
            "```\ncurl -fsS https://x/healthz && echo <ok>\n```"
        );
        assert_eq!(
            text_of(
                "<table>\n<tr><th>Step</th><th>Command</th></tr>\n<tr><td>Check</td><td><code>curl x</code></td></tr>\n</table>\n"
            ),
            "| Step | Command |\n|---|---|\n| Check | curl x |"
        );
        assert_eq!(text_of("<!-- a comment -->\n"), "");
        assert_eq!(text_of("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
    }
}
