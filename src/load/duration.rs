//! Durations as runbooks write them: `30s`, `5m`, `1h 30m`, `5 minutes`.

use std::time::Duration;

/// Parses a duration; the error says what was wrong in words fit for a diagnostic.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty duration".into());
    }
    if trimmed.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("`{trimmed}` has no unit"));
    }
    let span: jiff::SignedDuration = trimmed
        .parse()
        .map_err(|_| format!("`{trimmed}` is not a duration"))?;
    if span.is_negative() {
        return Err(format!("`{trimmed}` is negative"));
    }
    span.try_into()
        .map_err(|_| format!("`{trimmed}` is out of range"))
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn friendly_durations() {
        let ok = [
            ("30s", 30),
            ("5m", 300),
            ("1h 30m", 5400),
            ("5 minutes", 300),
            ("10m", 600),
            ("2h", 7200),
        ];
        for (text, secs) in ok {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_secs(secs)),
                "{text}"
            );
        }
        for bad in ["", "30", "soon", "-5m", "5 parsecs"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
