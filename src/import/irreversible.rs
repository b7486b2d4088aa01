//! What the page says of a step's command that makes it dangerous when lint's RB027 does not
//! know the command: "This is irreversible", "cannot be undone", "deletes all data",
//! "**Warning**: destructive" (audit 18 A-7 found `./scripts/purge-tenant.sh <TENANT>` under
//! such words imported as a plain step, run without a confirmation).

/// The words of the page that say a command cannot be taken back, lower case.
const WORDS: &[&str] = &[
    "irreversible",
    "cannot be undone",
    "can't be undone",
    "can not be undone",
    "cannot be reversed",
    "not reversible",
    "no way back",
    "deletes all",
    "delete all",
    "deletes every",
    "destroys all",
    "wipes all",
    "permanently delete",
    "permanently remove",
    "permanent data loss",
    "destructive",
];

/// The words of `text` (as written) that say its command is irreversible or destructive,
/// the first of them; `None` when nothing does, or only in the negative ("non-destructive",
/// "not destructive", "nothing is deleted").
pub fn warned(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    // (`to_lowercase` may change a text's length: only an ASCII text is cut by offsets.)
    if !text.is_ascii() {
        return WORDS
            .iter()
            .find(|w| lower.contains(*w))
            .map(|w| (*w).to_string());
    }
    WORDS
        .iter()
        .filter_map(|w| {
            lower
                .match_indices(w)
                .find(|(at, _)| !negated(&lower[..*at]))
                .map(|(at, _)| (at, w.len()))
        })
        .min()
        .and_then(|(at, len)| text.get(at..at + len))
        .map(str::to_string)
}

/// Whether the words before a match deny it: "non-destructive", "not destructive", "is
/// not irreversible", "isn't destructive".
fn negated(before: &str) -> bool {
    let before = before.trim_end_matches(['-', ' ']);
    ["non", "not", "isn't", "is not", "never", "no"]
        .iter()
        .any(|n| before.ends_with(n))
}

#[cfg(test)]
mod tests {
    use super::warned;

    #[test]
    fn words_that_say_a_command_cannot_be_taken_back() {
        for (text, words) in [
            (
                "Purge the tenant. This is irreversible.",
                Some("irreversible"),
            ),
            (
                "Remove the orphaned artifacts. This cannot be undone:",
                Some("cannot be undone"),
            ),
            ("It deletes all data of the tenant:", Some("deletes all")),
            ("**Warning**: Destructive.", Some("Destructive")),
            ("This check is non-destructive:", None),
            ("This is not destructive, it only lists them:", None),
            ("Check the queue:", None),
        ] {
            assert_eq!(warned(text).as_deref(), words, "{text}");
        }
    }
}
