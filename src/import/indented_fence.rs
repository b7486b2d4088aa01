//! An indented code block that shows a fence's lines: a wiki's fence indented four spaces
//! (at the margin, or four past a list item's), which CommonMark reads as an indented code
//! block whose first and last lines are ```` ```bash ```` and ```` ``` ````. Run as written,
//! its backtick lines are a command substitution that runs the command and then its output
//! (audit 41 I41-8): it is read as the fence it shows, markers dropped, said as a guess; a
//! block holding fence lines any other way is left as text, never run.

use super::block::fence_language;
use super::pos::Pos;
use super::reader::Reader;

impl Reader<'_> {
    /// An indented code block holding fence lines (see the module's doc): made the fence it
    /// shows (`lang` its language, the code its lines between), said; or the place to say
    /// of a block left as text.
    pub(super) fn indented_fence(&mut self, lang: &mut String, pos: Pos) -> Option<String> {
        if !self.indented_code {
            return None;
        }
        match shown(&self.code)? {
            Shown::Fence { lang: info, code } => {
                *lang = fence_language(&info);
                self.code = code;
                let what = "an indented code block showing a fence (its ``` lines indented as code): read as that fence, its ``` lines dropped (as written they would run as commands, the output too); unindent the fence on the page".to_string();
                self.prose_notes.push(format!("{pos}: guess: {what}"));
                self.d.guesses.push((pos, what));
                None
            }
            Shown::Text => Some(
                "an indented code block holding ``` or ~~~ lines that are not one fence's (as written they would run as commands): shown, not run; unindent its fences on the page".to_string(),
            ),
        }
    }
}

/// What an indented code block is when it holds fence lines.
#[derive(Debug, PartialEq)]
pub(super) enum Shown {
    /// One fence, its first line the opener and its last the closer: its language and
    /// the lines between them.
    Fence { lang: String, code: String },
    /// Fence lines elsewhere (several fences, one never closed): text, not a command.
    Text,
}

/// A line's fence marker (``` or ~~~, three or more) and the text after it.
fn marker(line: &str) -> Option<(char, usize, &str)> {
    let t = line.trim();
    let c = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = t.len() - t.trim_start_matches(c).len();
    let info = &t[n..];
    (n >= 3 && !(c == '`' && info.contains('`'))).then_some((c, n, info))
}

/// The block's text (its margin taken off) read as [`Shown`], or `None` when it holds no
/// fence line.
pub(super) fn shown(code: &str) -> Option<Shown> {
    let lines: Vec<&str> = code.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let last = lines.iter().rposition(|l| !l.trim().is_empty())?;
    let markers = lines.iter().filter(|l| marker(l).is_some()).count();
    if markers == 0 {
        return None;
    }
    let opened = marker(lines[first]);
    let closed = marker(lines[last]);
    if let (Some((c, n, info)), Some((lc, ln, rest))) = (opened, closed)
        && last > first
        && markers == 2
        && lc == c
        && ln >= n
        && rest.trim().is_empty()
    {
        let mut body = lines[first + 1..last].join("\n");
        body.push('\n');
        return Some(Shown::Fence {
            lang: info.split_whitespace().next().unwrap_or("").to_string(),
            code: body,
        });
    }
    Some(Shown::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_showing_one_fence_is_that_fence() {
        let fence = |lang: &str, code: &str| {
            Some(Shown::Fence {
                lang: lang.into(),
                code: code.into(),
            })
        };
        assert_eq!(
            shown("```bash\ncurl -s \"$U\" | grep X\n```\n"),
            fence("bash", "curl -s \"$U\" | grep X\n")
        );
        assert_eq!(shown("~~~\nuptime\n~~~~\n"), fence("", "uptime\n"));
        assert_eq!(
            shown("\n```sh title\nls\n\nls -l\n```\n\n"),
            fence("sh", "ls\n\nls -l\n")
        );
        assert_eq!(shown("```yaml\na: 1\n```"), fence("yaml", "a: 1\n"));
    }

    #[test]
    fn other_fence_lines_leave_the_block_as_text() {
        // Several fences (nested items' fences in one block), one never closed, a closer
        // of the other character or shorter, a closer with an info string.
        for code in [
            "```bash\necho 0\n```\n\n1. step\n\n```bash\necho 1\n```\n",
            "```bash\necho 0\n",
            "echo 0\n```\n",
            "```bash\necho 0\n~~~\n",
            "````bash\necho 0\n```\n",
            "```bash\necho 0\n```bash\n",
            "```\n",
        ] {
            assert_eq!(shown(code), Some(Shown::Text), "{code}");
        }
    }

    #[test]
    fn a_block_with_no_fence_line_is_left_alone() {
        for code in [
            "systemctl restart nginx\n",
            "echo `date`\n",
            "a ``` b\n",
            "",
        ] {
            assert_eq!(shown(code), None, "{code}");
        }
    }
}
