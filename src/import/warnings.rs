//! What says not to run a block: its heading ("❌ Don't do this", "Avoid"), the sentence
//! before it ("**Never run** the following:"), an admonition over it (`!!! danger "Do not
//! run this"`), or its own first line (`# WRONG`, `# Do not run this`). Such a block is
//! shown, never run.

/// The last sentence of the prose before a block (after its last line break or full stop).
pub(super) fn last_sentence(before: &str) -> Option<&str> {
    before.trim_end().rsplit(['\n', '.']).next()
}

/// Whether the heading over a block or the sentence before it says not to run it: "❌
/// Don't do this", "Never run the following on the primary:", "Bad example (do **not**
/// copy):", "Anti-pattern".
pub(super) fn warns_against(before: &str, heading: Option<&str>) -> bool {
    let warns = |t: &str| {
        let t = t
            .replace(['*', '_', '`'], "")
            .replace('’', "'")
            .to_lowercase();
        let t = t.trim();
        t.starts_with('❌')
            || t.starts_with('🚫')
            || t.starts_with('⛔')
            || [
                "never run",
                "never do",
                "don't run",
                "do not run",
                "don't do this",
                "do not do this",
                "don't copy",
                "do not copy",
                "bad example",
                "wrong way",
                "anti-pattern",
                "antipattern",
            ]
            .iter()
            .any(|w| t.contains(w))
            // "Avoid:", "Wrong:", "Incorrect:" alone (audit 14n N1).
            || matches!(t.trim_end_matches(':').trim(), "avoid" | "wrong" | "incorrect" | "don't" | "do not")
    };
    // (A heading only when it is the warning itself: "Never fail over without a check"
    // heads the right commands.)
    heading.is_some_and(|h| {
        let h = h.trim();
        let bare = super::courses::bare(h)
            .replace('’', "'")
            .to_lowercase()
            .trim_end_matches(['.', '!', ':'])
            .to_string();
        h.starts_with(['❌', '🚫', '⛔'])
            || [
                "don't do this",
                "do not do this",
                "don't",
                "bad example",
                "anti-pattern",
                "antipattern",
                "what not to do",
                "wrong way",
                "the wrong way",
                "avoid",
                "wrong",
                "incorrect",
                "pitfalls",
            ]
            .contains(&bare.as_str())
    }) || last_sentence(before).is_some_and(|last| {
        // (The sentence is the warning itself, "Never run the following on the primary:",
        // not a condition on running it, "Never run the restore without this backup:",
        // audit 14n N9.)
        last.trim_end().ends_with(':') && warns(last) && !conditional(last)
    }) || admonition_title(before).is_some_and(|title| {
        // `!!! danger "Do not run this"`, `!!! warning "Never delete the index on a live
        // cluster"` over the block (read as a quoted note, `> **Danger** Do not run this`).
        (warns(title) || says_never(title)) && !conditional(title)
    })
}

/// Whether a warning sets a condition on running the block rather than forbids it: "Never
/// run the restore without this backup", "Do not run it before the snapshot".
fn conditional(text: &str) -> bool {
    let t = text.replace(['*', '_', '`'], "").to_lowercase();
    [
        " without ",
        " before ",
        " until ",
        " unless ",
        " first",
        "if ",
        " next ",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// The title of the admonition (a quoted note, `> **Danger** Do not run this`, as `tabs.rs`
/// writes MkDocs' `!!! danger "…"` and Docusaurus' `:::danger …`) that is the last thing
/// before a block.
fn admonition_title(before: &str) -> Option<&str> {
    let last = before.trim_end().rsplit('\n').next()?.trim();
    let rest = last.strip_prefix('>')?.trim_start().strip_prefix("**")?;
    let (_, title) = rest.split_once("**")?;
    let title = title.trim();
    (!title.is_empty()).then_some(title)
}

/// "Never delete …", "Do not use this", "Don't": a title that forbids what follows (not
/// "Do not interrupt it", which says how to run it).
fn says_never(text: &str) -> bool {
    let t = text
        .replace(['*', '_', '`', '"'], "")
        .replace('’', "'")
        .to_lowercase();
    let t = t.trim().trim_start_matches(['#', ' ']);
    let t = t.trim_end_matches(['.', '!', ':']);
    if t.starts_with(['❌', '🚫', '⛔']) {
        return true;
    }
    let first = t
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',' || c == '-' || c == '—')
        .next()
        .unwrap_or("");
    if matches!(
        first,
        "wrong" | "bad" | "incorrect" | "avoid" | "anti-pattern" | "antipattern"
    ) {
        return true;
    }
    ["never", "don't", "dont", "do not"].iter().any(|w| {
        t.strip_prefix(w).is_some_and(|rest| {
            let next = rest.split_whitespace().next().unwrap_or("");
            rest.is_empty()
                || matches!(
                    next,
                    "run"
                        | "do"
                        | "use"
                        | "copy"
                        | "execute"
                        | "type"
                        | "paste"
                        | "try"
                        | "this"
                        | "delete"
                        | "drop"
                        | "remove"
                )
        })
    })
}

/// Whether a block's first line is a comment that forbids it: `# WRONG: deletes the live
/// WAL`, `# BAD`, `# DON'T`, `# Do not run this on the primary` (not `#!/bin/bash`, nor `#
/// Do not interrupt it`, nor a condition, `# Never run this before the backup`).
pub(super) fn wrong_by_its_comment(code: &str) -> bool {
    let Some(first) = code.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    first.starts_with('#') && !first.starts_with("#!") && says_never(first) && !conditional(first)
}

#[cfg(test)]
mod tests {
    use super::{admonition_title, wrong_by_its_comment};

    #[test]
    fn first_comments_that_forbid_the_block() {
        for code in [
            "# WRONG\nrm -rf /",
            "# WRONG: deletes the live WAL\nrm x",
            "# BAD\nchmod 777 /",
            "# DON'T\nkill -9 1",
            "# Do not run this on the primary\npg_resetwal -f x",
            "# Never do this\nx",
            "# ❌\nx",
        ] {
            assert!(wrong_by_its_comment(code), "{code}");
        }
        for code in [
            "#!/bin/bash\nx",
            "# Do not interrupt this\nx",
            "# Never run this before the backup\nx",
            "# restart the app\nsystemctl restart app",
            "# Badger needs a restart\nx",
            "echo '# WRONG'",
        ] {
            assert!(!wrong_by_its_comment(code), "{code}");
        }
    }

    #[test]
    fn an_admonition_is_the_last_thing_before_a_block() {
        assert_eq!(
            admonition_title("Look.\n\n> **Danger** Do not run this\n\n"),
            Some("Do not run this")
        );
        assert_eq!(admonition_title("> **Note**"), None);
        assert_eq!(admonition_title("Restart it:"), None);
    }
}
