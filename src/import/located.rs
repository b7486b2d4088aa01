//! Guesses about a placeholder of a command (`<QUEUE_NAME>`, `{{namespace}}`, `YOUR_CLUSTER`,
//! `{pod}`) said at the placeholder's own line and column on the page, not at its block's
//! fence (audit 39 I-12): what a reader looks for is the word.

use super::draft::Draft;
use super::pos::Pos;
use std::collections::HashMap;

/// How many lines after a guess's place its word is looked for (a block's lines).
const LOOKED_AT: usize = 400;

/// The most guesses placed at their words (each looks along some of the page's lines).
const MOST: usize = 1_000;

/// The placeholder a guess is about, as the page writes it: its message's first word when
/// that is one (`` `<pod name>` reads as…``, `<ID> stands inside JSON…`).
fn placeholder_named(what: &str) -> Option<&str> {
    let word = if let Some(rest) = what.strip_prefix('`') {
        &rest[..rest.find('`')?]
    } else if what.starts_with('<') {
        &what[..=what.find('>')?]
    } else {
        return None;
    };
    let placeholder = (word.starts_with('<') && word.ends_with('>') && word.len() > 2)
        || (word.starts_with('{') && word.ends_with('}') && word.len() > 2)
        || word.starts_with("YOUR_");
    placeholder.then_some(word)
}

/// Each guess about a placeholder is moved to where the page writes that placeholder first,
/// on its line or the lines after it (the block's), with the note that says it on its step.
pub(super) fn place_at_words(d: &mut Draft, page: &str) {
    let lines: Vec<&str> = page.lines().collect();
    // (The note a step has of each guess moved, and where it now says it is.)
    let mut moved: HashMap<String, String> = HashMap::new();
    for (pos, what) in d.guesses.iter_mut().take(MOST) {
        let Some(word) = placeholder_named(what) else {
            continue;
        };
        let from = pos.line.saturating_sub(1);
        let found = lines
            .iter()
            .enumerate()
            .skip(from)
            .take(LOOKED_AT)
            .find_map(|(k, l)| l.find(word).map(|at| (k, at)));
        let Some((k, at)) = found else {
            continue;
        };
        let to = Pos {
            line: k + 1,
            col: lines[k][..at].chars().count() + 1,
        };
        if to != *pos {
            moved.insert(
                format!("{pos}: guess: {what}"),
                format!("{to}: guess: {what}"),
            );
            *pos = to;
        }
    }
    if moved.is_empty() {
        return;
    }
    for note in d.steps.iter_mut().flat_map(|s| s.notes.iter_mut()) {
        if let Some(to) = moved.get(note.as_str()) {
            *note = to.clone();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_guesses_about_a_placeholder_name_one() {
        for (what, word) in [
            ("`<pod name>` reads as a placeholder", Some("<pod name>")),
            ("<ID> stands inside JSON", Some("<ID>")),
            ("`{{namespace}}` is a placeholder", Some("{{namespace}}")),
            (
                "`YOUR_CLUSTER` reads as a placeholder",
                Some("YOUR_CLUSTER"),
            ),
            ("`$NAMESPACE` is set nowhere", None),
            ("`$` glued to the command", None),
            ("the command holds more than 256 `<…>` words", None),
        ] {
            assert_eq!(placeholder_named(what), word, "{what}");
        }
    }

    #[test]
    fn a_guess_is_moved_to_its_word_with_its_note() {
        let page = "# T\n\n```bash\necho ok\nkubectl logs -n <NS> x\n```\n";
        let what = "<NS> stands somewhere".to_string();
        let at = Pos { line: 3, col: 1 };
        let mut d = Draft {
            guesses: vec![(at, what.clone())],
            ..Draft::default()
        };
        d.steps.push(super::super::Step {
            notes: vec![format!("{at}: guess: {what}")],
            ..Default::default()
        });
        place_at_words(&mut d, page);
        assert_eq!(d.guesses[0].0, Pos { line: 5, col: 17 });
        assert_eq!(d.steps[0].notes[0], format!("5:17: guess: {what}"));
    }
}
