//! A page's table of contents: a "Table of Contents" / "Contents" / "TOC" heading, the list
//! of links to the page's own headings under it (`[Meaning](#meaning)`), and a wiki's
//! `[[_TOC_]]` marker. None of it is the runbook's: not its title, not a step, not a link
//! (audit 14p A-17 found the heading taken as the title and its list made a step).

/// Whether a heading names the page's table of contents.
pub(super) fn toc_heading(title: &str) -> bool {
    const NAMES: &[&str] = &[
        "table of contents",
        "contents",
        "toc",
        "on this page",
        "in this article",
        "in this runbook",
        "inhalt",
        "inhaltsverzeichnis",
        "sommaire",
        "table des matières",
        "índice",
        "contenido",
        "目次",
    ];
    let t = super::courses::bare(title)
        .trim()
        .trim_end_matches([':', '.'])
        .trim()
        .to_lowercase();
    NAMES.contains(&t.as_str())
}

/// Whether a list item's text (nested items on lines of their own, after `- `) is only
/// links to anchors of the page (`[Meaning](<#meaning>)`, as the walk writes links).
pub(super) fn anchors_only(item: &str) -> bool {
    static ANCHORS: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:\d+[.)]\s*)?(?:\[[^\]\n]*\]\(<?#[^)\s>]*>?\)[\s,;|·•-]*)+$").ok()
    });
    let Some(re) = ANCHORS.as_ref() else {
        return false;
    };
    let mut lines = item
        .lines()
        .map(|l| l.trim().trim_start_matches("- ").trim())
        .filter(|l| !l.is_empty())
        .peekable();
    lines.peek().is_some() && lines.all(|l| re.is_match(l))
}

/// Whether a paragraph is a wiki's marker for a generated table of contents: GitLab's
/// `[[_TOC_]]`, `[TOC]`, Confluence's `{toc}` (as the walk reads it, emphasis marks and
/// all).
pub(super) fn toc_marker(paragraph: &str) -> bool {
    let t: String = paragraph
        .trim()
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '\\' | ' '))
        .collect::<String>()
        .to_lowercase();
    matches!(
        t.as_str(),
        "[[toc]]" | "[toc]" | "{toc}" | "${toc}" | "{:toc}" | "[[toc]]{:toc}"
    )
}

#[cfg(test)]
mod tests {
    use super::{anchors_only, toc_heading, toc_marker};

    #[test]
    fn a_table_of_contents_is_known_by_its_heading_links_and_marker() {
        for h in [
            "Table of Contents",
            "Contents",
            "TOC",
            "📑 Contents:",
            "On this page",
        ] {
            assert!(toc_heading(h), "{h}");
        }
        for h in ["Meaning", "Contents of the backup", "Mitigation"] {
            assert!(!toc_heading(h), "{h}");
        }
        assert!(anchors_only("[Meaning](<#meaning>)"));
        assert!(anchors_only(
            "[Mitigation](<#mitigation>)\n  - [Option A](<#option-a>)"
        ));
        assert!(!anchors_only("[Grafana](<https://grafana.example>)"));
        assert!(!anchors_only("See [Meaning](<#meaning>) first"));
        assert!(!anchors_only(""));
        for m in ["[[_TOC_]]", "[[*TOC*]]", "[TOC]", "{toc}"] {
            assert!(toc_marker(m), "{m}");
        }
        assert!(!toc_marker("Check the TOC of the wiki"));
    }
}
