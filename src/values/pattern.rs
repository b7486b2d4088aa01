//! A runbook's regular expressions (an input's or an `ask`'s `pattern`, `expect.stdout`,
//! `capture.pattern`), compiled once per thread.
//!
//! Lint reads each pattern several times (RB018 compiles it, RB011 checks defaults against
//! it) and teams repeat the same few patterns across their runbooks (`^[a-z0-9-]+$`), while
//! compiling one costs more than linting a step. A small per-thread cache keeps every
//! compile after the first a lookup; what it returns is exactly what `Regex::new` returns.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

/// Patterns kept per thread; past it the cache starts again (a lint of many files of
/// distinct patterns stays bounded in memory).
const KEPT: usize = 256;

thread_local! {
    static COMPILED: RefCell<HashMap<String, Result<Regex, regex::Error>>> =
        RefCell::new(HashMap::new());
}

/// `Regex::new(pattern)`, from the cache when this thread compiled it before. A `Regex` is a
/// handle: the clone shares the compiled program.
pub fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    COMPILED.with(|cell| {
        // (A re-entrant call cannot happen: nothing here calls back. Compile uncached if
        // the cell is somehow in use rather than panic.)
        let Ok(mut cache) = cell.try_borrow_mut() else {
            return Regex::new(pattern);
        };
        if let Some(found) = cache.get(pattern) {
            return found.clone();
        }
        let compiled = Regex::new(pattern);
        if cache.len() >= KEPT {
            cache.clear();
        }
        cache.insert(pattern.to_string(), compiled.clone());
        compiled
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_as_regex_new_does_and_again_from_the_cache() {
        // (Not a literal: the pattern is a runbook's, as `compile` is given it.)
        let unclosed = String::from("^[a-z_[a-z0-9_]*$");
        let expected = Regex::new(&unclosed)
            .expect_err("an unclosed class")
            .to_string();
        for _ in 0..2 {
            let re = compile("^[a-z][a-z0-9-]*$").expect("a valid pattern");
            assert!(re.is_match("web-1"));
            assert!(!re.is_match("Web 1"));
            let err = compile(&unclosed).expect_err("an unclosed class");
            assert_eq!(err.to_string(), expected);
        }
    }

    #[test]
    fn stays_bounded_and_right_past_its_size() {
        for i in 0..(KEPT * 2 + 3) {
            let re = compile(&format!("^x{i}$")).expect("a valid pattern");
            assert!(re.is_match(&format!("x{i}")));
        }
        COMPILED.with(|cell| assert!(cell.borrow().len() <= KEPT));
        assert!(compile("^x0$").expect("a valid pattern").is_match("x0"));
    }
}
