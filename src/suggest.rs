//! "Did you mean" suggestions for misspelt keys, step ids and names.

/// The candidate closest to `word`, when one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(word, c),
                strsim::jaro_winkler(word, c),
                c,
            )
        })
        // Most of a word shared as a prefix (`retry` → `retries`) is a likely slip too.
        .filter(|&(dist, jw, c)| {
            let prefix = word
                .chars()
                .zip(c.chars())
                .take_while(|(a, b)| a == b)
                .count();
            let shared = prefix >= 4 && prefix * 5 >= word.chars().count() * 4;
            c != word && (dist <= limit || jw >= 0.9 || shared)
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)))
        .map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_words_only() {
        let keys = ["title", "timeout", "steps", "retries", "retry_delay"];
        let cases = [
            ("tittle", Some("title")),
            ("setps", Some("steps")),
            ("retry-delay", Some("retry_delay")),
            ("timout", Some("timeout")),
            ("retry", Some("retries")),
            ("zebra", None),
        ];
        for (word, expected) in cases {
            assert_eq!(did_you_mean(word, keys), expected, "{word}");
        }
    }
}
