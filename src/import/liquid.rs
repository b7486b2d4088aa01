//! Jekyll's (GitHub Pages') Liquid `{% raw %}` … `{% endraw %}` lines around a block that
//! shows `{{ }}`: markup of the page's site generator, which never shows them. Each such line
//! is made blank (the page's lines keep their numbers) and said; the text between them is
//! kept as written (audit 41 I41-30 found them made steps, `{% endraw %}` written in a way
//! that failed lint).

use super::pos::Pos;
use std::borrow::Cow;

/// A page with its Liquid `raw` lines blank, and what was left out: (where, what).
pub(super) fn drop_raw(text: &str) -> (Cow<'_, str>, Vec<(Pos, String)>) {
    static RAW: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\s{0,3}\{%-?\s*(?:end)?raw\s*-?%\}\s*$").ok()
    });
    let Some(raw) = RAW.as_ref().filter(|_| text.contains("raw")) else {
        return (Cow::Borrowed(text), Vec::new());
    };
    let mut left = Vec::new();
    let mut fence: Option<char> = None;
    let mut out = String::with_capacity(text.len());
    for (k, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches(['\n', '\r']);
        let opener = content.trim_start();
        let marker = opener.chars().next().filter(|c| matches!(c, '`' | '~'));
        if let Some(c) = marker.filter(|c| opener.starts_with(&c.to_string().repeat(3))) {
            // (Inside a fence, nothing is markup; a fence opened with one character is
            // closed by it.)
            fence = match fence {
                None => Some(c),
                Some(open) if open == c => None,
                open => open,
            };
        }
        if fence.is_none() && raw.is_match(content) {
            left.push((
                Pos { line: k + 1, col: 1 },
                format!(
                    "`{}` is markup of the page's site generator (Jekyll's Liquid), left out: the text it encloses is kept as written",
                    content.trim()
                ),
            ));
            out.push_str(&line[content.len()..]);
        } else {
            out.push_str(line);
        }
    }
    if left.is_empty() {
        return (Cow::Borrowed(text), left);
    }
    (Cow::Owned(out), left)
}

#[cfg(test)]
mod tests {
    use super::drop_raw;

    #[test]
    fn liquid_raw_lines_are_markup() {
        let page =
            "{% raw %}\n```bash\ndocker ps --format '{{.Names}}'\n```\n{%- endraw -%}\r\ntext\n";
        let (text, left) = drop_raw(page);
        assert_eq!(
            text,
            "\n```bash\ndocker ps --format '{{.Names}}'\n```\n\r\ntext\n"
        );
        assert_eq!(left.iter().map(|(p, _)| p.line).collect::<Vec<_>>(), [1, 5]);
        // Inside a fence, or in a line of text, it is the page's text.
        for page in [
            "```yaml\n{% raw %}\nx: 1\n```\n",
            "Wrap it in {% raw %} and {% endraw %}.\n",
            "no marker here\n",
        ] {
            let (text, left) = drop_raw(page);
            assert_eq!(text, page);
            assert!(left.is_empty(), "{page}");
        }
    }
}
