//! [`unfold`]: the content tabs and admonitions of MkDocs-Material (`=== "Omnibus"`, `!!!
//! warning "Title"`, their contents indented four spaces) and GitLab's docs (`::Tabs`,
//! `:::TabTitle Helm chart`), which CommonMark does not know: read as written, an indented
//! fence is an indented code block, and its ```` ``` ```` lines would become part of a
//! command (audit 14j J6). They are rewritten, line for line, into what CommonMark reads
//! the same way a reader of the rendered page does: a tab into a heading one level below
//! the section it is in (the tabs of one set are alternatives: [`Unfolded::tabs`]), an
//! admonition into a quoted note (`> **Warning** Title`), their contents out of the
//! indentation.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// A page with its tabs and admonitions rewritten.
pub(super) struct Unfolded<'a> {
    pub(super) text: Cow<'a, str>,
    /// The lines (1-based) of the headings that stand for tabs.
    pub(super) tabs: BTreeSet<usize>,
    /// For each line (0-based), the columns its rewriting removed from its start (so that
    /// positions still name the page's own columns).
    pub(super) shifts: Vec<usize>,
}

/// The start of a tab's or an admonition's line, and its title: `=== "Omnibus"` (also
/// `===! "…"`, `===+ "…"`), `!!! warning "Title"`, `??? note`, `???+ tip "Title"`.
enum Marker {
    Tab(String),
    Admonition(String),
}

fn marker(line: &str) -> Option<Marker> {
    let quoted = |rest: &str| {
        let rest = rest.trim();
        rest.strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .map(str::to_string)
    };
    for tab in ["=== ", "===! ", "===+ "] {
        if let Some(rest) = line.strip_prefix(tab) {
            return quoted(rest).filter(|t| !t.is_empty()).map(Marker::Tab);
        }
    }
    for admonition in ["!!! ", "??? ", "???+ "] {
        if let Some(rest) = line.strip_prefix(admonition) {
            let rest = rest.trim();
            let (kind, title) = match rest.split_once(' ') {
                Some((kind, title)) => (kind, quoted(title)),
                None => (rest, None),
            };
            if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                return None;
            }
            let mut kind_title = kind.to_string();
            if let Some(first) = kind_title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            return Some(Marker::Admonition(match title {
                Some(t) if !t.is_empty() => format!("> **{kind_title}** {t}"),
                _ => format!("> **{kind_title}**"),
            }));
        }
    }
    if let Some(title) = line.strip_prefix(":::TabTitle ") {
        return Some(Marker::Tab(title.trim().to_string()));
    }
    // Docusaurus' MDX `<TabItem value="omnibus" label="Omnibus">`, Hugo's `{{< tab "Omnibus"
    // >}}` / `{{% tab header="Omnibus" %}}` (audit 14k K2).
    let t = line.trim();
    let attribute = |name: &str| {
        let at = t.find(&format!("{name}=\""))? + name.len() + 2;
        let end = t[at..].find('"')?;
        Some(t[at..at + end].to_string()).filter(|v| !v.is_empty())
    };
    if t.starts_with("<TabItem") && t.ends_with('>') {
        return attribute("label")
            .or_else(|| attribute("value"))
            .map(Marker::Tab);
    }
    for open in ["{{< tab ", "{{% tab "] {
        if let Some(rest) = t.strip_prefix(open) {
            let title = attribute("header")
                .or_else(|| attribute("name"))
                .or_else(|| rest.split('"').nth(1).map(str::to_string))
                .filter(|v| !v.is_empty());
            return title.map(Marker::Tab);
        }
    }
    None
}

/// The lines that open or close a set of tabs, read as nothing: `::Tabs`, `<Tabs>`,
/// `</TabItem>`, `{{< tabs >}}`, `{{% /tab %}}`.
fn tab_frame(line: &str) -> bool {
    let t = line.trim();
    matches!(t, "::Tabs" | "::EndTabs" | "</TabItem>" | "</Tabs>")
        || (t.starts_with("<Tabs") && t.ends_with('>'))
        || [
            "{{< tabs",
            "{{% tabs",
            "{{< tabpane",
            "{{% tabpane",
            "{{< /tab",
            "{{% /tab",
        ]
        .iter()
        .any(|p| t.starts_with(p) && (t.ends_with(">}}") || t.ends_with("%}}")))
}

/// The label of a fence in VitePress' code group: ```` ```sh [Patroni] ````.
fn fence_label(line: &str) -> Option<String> {
    let info = line.trim_start_matches(['`', '~']);
    let open = info.find('[')?;
    let close = info[open..].find(']')? + open;
    Some(info[open + 1..close].trim().to_string()).filter(|l| !l.is_empty())
}

/// `tip Title`, `warning[Title]`, `danger`: a Docusaurus or VitePress admonition's opening
/// line after its colons, as a quoted note (`> **Tip** Title`).
fn colon_admonition(rest: &str) -> Option<String> {
    const KINDS: &[&str] = &[
        "note",
        "tip",
        "info",
        "warning",
        "danger",
        "caution",
        "important",
        "details",
        "success",
        "example",
        "attention",
        "hint",
    ];
    let split = rest
        .find(|c: char| c == '[' || c.is_whitespace() || c == '{')
        .unwrap_or(rest.len());
    let kind = &rest[..split];
    if !KINDS.contains(&kind.to_ascii_lowercase().as_str()) {
        return None;
    }
    let title = rest[split..]
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    let mut kind_title = kind.to_ascii_lowercase();
    if let Some(first) = kind_title.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    Some(if title.is_empty() {
        format!("> **{kind_title}**")
    } else {
        format!("> **{kind_title}** {title}")
    })
}

/// Whether a heading's text is the label of a content tab: `[ Console ]`, `[AWS CLI]`,
/// `[Azure CLI](#tab/azure-cli)`.
fn tab_heading(text: &str) -> bool {
    let text = text.trim_end_matches('#').trim_end();
    if let Some((label, target)) = text.strip_prefix('[').and_then(|t| t.split_once("](")) {
        return !label.is_empty() && target.starts_with("#tab/") && target.ends_with(')');
    }
    text.strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .is_some_and(|label| {
            let label = label.trim();
            !label.is_empty() && !label.contains(['[', ']']) && label.len() <= 40
        })
}

/// Rewrites the page's tabs and admonitions (see the module's documentation); a page with
/// none is returned as it is.
pub(super) fn unfold(text: &str) -> Unfolded<'_> {
    let lines: Vec<&str> = text.split('\n').collect();
    let plain = Unfolded {
        text: Cow::Borrowed(text),
        tabs: BTreeSet::new(),
        shifts: Vec::new(),
    };
    if !(text.contains("=== \"")
        || text.contains("===! \"")
        || text.contains("===+ \"")
        || text.contains("!!! ")
        || text.contains("??? ")
        || text.contains("???+ ")
        || text.contains(":::TabTitle ")
        || text.contains("<TabItem")
        || text.contains("{{< tab")
        || text.contains("{{% tab")
        || text.contains("](#tab/")
        || text.contains("# [")
        || text.contains(":::"))
    {
        return plain;
    }
    let mut out: Vec<Cow<'_, str>> = Vec::with_capacity(lines.len());
    let mut shifts = vec![0usize; lines.len()];
    let mut tabs = BTreeSet::new();
    let mut level = 1usize;
    let mut fence: Option<&str> = None;
    let mut code_group = false;
    let mut k = 0;
    while k < lines.len() {
        let line = lines[k];
        // (Inside a fence of the page, nothing is a marker.)
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f)
                && trimmed
                    .trim_end()
                    .chars()
                    .all(|c| c == f.chars().next().unwrap_or('`'))
            {
                fence = None;
            }
            out.push(Cow::Borrowed(line));
            k += 1;
            continue;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            // A fence of VitePress' `::: code-group`, labelled `[Patroni]`: a tab, its
            // heading written on the blank line before it (audit 14l L1).
            if code_group
                && let Some(label) = fence_label(line)
                && k > 0
                && out.last().is_some_and(|l| l.trim().is_empty())
            {
                out.pop();
                out.push(Cow::Owned(format!(
                    "{} {label}",
                    "#".repeat((level + 1).min(6))
                )));
                tabs.insert(k);
            }
            fence = Some(if line.starts_with("```") {
                "```"
            } else {
                "~~~"
            });
            out.push(Cow::Borrowed(line));
            k += 1;
            continue;
        }
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            level = hashes;
            // A heading that is a tab's label: AWS docs' `#### [ Console ]`, Microsoft
            // Learn's `### [Azure CLI](#tab/azure-cli)` (audit 14l L3, L16).
            if tab_heading(line[hashes..].trim()) {
                tabs.insert(k + 1);
            }
        }
        if tab_frame(line) {
            out.push(Cow::Borrowed(""));
            k += 1;
            continue;
        }
        // Docusaurus' and VitePress' `:::tip Title` … `:::` admonitions: the opening line a
        // quoted note, the closing line blank (audit 14k K4); `::: code-group` … `:::`
        // a set of tabs, one per fence.
        if let Some(rest) = line.trim().strip_prefix(":::")
            && !rest.starts_with("TabTitle")
        {
            let rest = rest.trim_start_matches(':').trim();
            if rest == "code-group" {
                code_group = true;
                out.push(Cow::Borrowed(""));
                k += 1;
                continue;
            }
            if rest.is_empty() {
                code_group = false;
                out.push(Cow::Borrowed(""));
                k += 1;
                continue;
            }
            if let Some(note) = colon_admonition(rest) {
                out.push(Cow::Owned(note));
                k += 1;
                continue;
            }
        }
        let Some(found) = marker(line.trim_end_matches('\r')) else {
            out.push(Cow::Borrowed(line));
            k += 1;
            continue;
        };
        let indented = match &found {
            Marker::Tab(title) => {
                tabs.insert(k + 1);
                out.push(Cow::Owned(format!(
                    "{} {title}",
                    "#".repeat((level + 1).min(6))
                )));
                // (GitLab's, Docusaurus' and Hugo's tabs are not indented; MkDocs' are.)
                line.starts_with("===")
            }
            Marker::Admonition(note) => {
                out.push(Cow::Owned(note.clone()));
                true
            }
        };
        let quote = matches!(found, Marker::Admonition(_));
        k += 1;
        if !indented {
            continue;
        }
        // Its contents: the lines indented four spaces (and blank lines between them).
        while k < lines.len() {
            let l = lines[k];
            if let Some(rest) = l.strip_prefix("    ") {
                if quote {
                    // (`>` and three spaces: the columns stay the page's.)
                    out.push(Cow::Owned(format!(">   {rest}")));
                } else {
                    shifts[k] = 4;
                    out.push(Cow::Borrowed(rest));
                }
            } else if l.trim().is_empty()
                && lines[k + 1..]
                    .iter()
                    .find(|n| !n.trim().is_empty())
                    .is_some_and(|n| n.starts_with("    "))
            {
                out.push(Cow::Borrowed(if quote { ">" } else { "" }));
            } else {
                break;
            }
            k += 1;
        }
    }
    Unfolded {
        text: Cow::Owned(out.join("\n")),
        tabs,
        shifts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_become_headings_and_admonitions_quoted_notes() {
        let page = "## Put it read-only\n\n=== \"Omnibus\"\n\n    ```bash\n    sudo gitlab-ctl stop\n    ```\n\n=== \"Helm chart\"\n\n    ```bash\n    kubectl get pods\n    ```\n\n## Next\n";
        let u = unfold(page);
        assert_eq!(
            u.text,
            "## Put it read-only\n\n### Omnibus\n\n```bash\nsudo gitlab-ctl stop\n```\n\n### Helm chart\n\n```bash\nkubectl get pods\n```\n\n## Next\n"
        );
        assert_eq!(u.tabs, BTreeSet::from([3, 9]));
        assert_eq!(u.shifts[4], 4);
        assert_eq!(u.text.lines().count(), page.lines().count());
        let page = "!!! warning \"Before you start\"\n    Stop it first:\n\n    ```bash\n    sudo stop\n    ```\nAfter.\n";
        assert_eq!(
            unfold(page).text,
            "> **Warning** Before you start\n>   Stop it first:\n>\n>   ```bash\n>   sudo stop\n>   ```\nAfter.\n"
        );
        let page = "::Tabs\n\n:::TabTitle Linux package\n\n```bash\nx\n```\n\n::EndTabs\n";
        let u = unfold(page);
        assert_eq!(u.text, "\n\n## Linux package\n\n```bash\nx\n```\n\n\n");
        assert_eq!(u.tabs, BTreeSet::from([3]));
        // Docusaurus' and Hugo's tabs.
        let page = "## Restart\n\n<Tabs>\n<TabItem value=\"vm\" label=\"On a VM\">\n\n```bash\nsudo systemctl restart api\n```\n\n</TabItem>\n<TabItem value=\"docker\" label=\"Docker\">\n\n```bash\ndocker restart api\n```\n\n</TabItem>\n</Tabs>\n";
        let u = unfold(page);
        assert_eq!(
            u.text,
            "## Restart\n\n\n### On a VM\n\n```bash\nsudo systemctl restart api\n```\n\n\n### Docker\n\n```bash\ndocker restart api\n```\n\n\n\n"
        );
        assert_eq!(u.tabs, BTreeSet::from([4, 11]));
        let u = unfold(
            "## R\n\n{{< tabs >}}\n{{% tab \"VM\" %}}\n\n```bash\nx\n```\n\n{{% /tab %}}\n{{< /tabs >}}\n",
        );
        assert_eq!(u.tabs, BTreeSet::from([4]));
        assert!(u.text.contains("### VM"));
        // In a fence, or with no title: as written.
        for page in ["```\n=== \"x\"\n    y\n```\n", "=== x\n", "!!! \n"] {
            assert_eq!(unfold(page).text, page);
        }
    }
}
