//! Ansible host patterns: `web[01:03].example.com`, `db-[a:c]`, `node[0:10:2]`, several ranges
//! in one name, and a `:port` suffix (`web-1:2222`).
//!
//! As in Ansible: a numeric range whose start has leading zeros keeps that width (the end must
//! have as many digits); an empty start is `0`; letter ranges run through `a`–`z` then
//! `A`–`Z`; the step is optional. Unlike Ansible, a start after its end is an error (Ansible
//! silently expands it to no host at all), and so are brackets that hold no range (`web[1]`,
//! a literal name to Ansible that no ssh would resolve). The expansion is counted before
//! anything is allocated.

use super::error::InventoryErrorKind;

/// The most hosts one inventory may hold, ranges expanded.
pub const MAX_HOSTS: usize = 100_000;

/// A host pattern expanded: the names in order, and the port of a `:port` suffix.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Expansion {
    pub names: Vec<String>,
    pub port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    Range(Range),
}

#[derive(Debug, Clone, PartialEq)]
enum Range {
    /// `count` is `None` when the digits are too many to count.
    Numbers {
        start: u64,
        step: u64,
        count: Option<u128>,
        width: usize,
    },
    Letters {
        start: usize,
        step: usize,
        count: usize,
    },
}

const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

impl Range {
    fn count(&self) -> Option<u128> {
        match self {
            Range::Numbers { count, .. } => *count,
            Range::Letters { count, .. } => Some(*count as u128),
        }
    }

    fn item(&self, i: u64, out: &mut String) {
        use std::fmt::Write;
        match self {
            Range::Numbers {
                start, step, width, ..
            } => {
                let n = start.saturating_add(i.saturating_mul(*step));
                let _ = write!(out, "{n:0width$}");
            }
            Range::Letters { start, step, .. } => {
                let at = start.saturating_add((i as usize).saturating_mul(*step));
                if let Some(&c) = LETTERS.get(at) {
                    out.push(c as char);
                }
            }
        }
    }
}

/// Expands `pattern`: at most [`MAX_HOSTS`] names, counted before any is made.
pub(super) fn expand(pattern: &str) -> Result<Expansion, InventoryErrorKind> {
    let (name, port) = split_port(pattern)?;
    let bad = |reason: &str| InventoryErrorKind::BadRange {
        pattern: pattern.to_string(),
        reason: reason.to_string(),
    };
    let segments = segments(name).map_err(|r| bad(&r))?;
    let mut total: Option<u128> = Some(1);
    for segment in &segments {
        if let Segment::Range(r) = segment {
            total = total.and_then(|t| t.checked_mul(r.count()?));
        }
    }
    match total {
        Some(n) if n <= MAX_HOSTS as u128 => {}
        count => {
            return Err(InventoryErrorKind::RangeTooLarge {
                pattern: pattern.to_string(),
                count,
                limit: MAX_HOSTS,
            });
        }
    }
    let ranges: Vec<&Range> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Range(r) => Some(r),
            Segment::Literal(_) => None,
        })
        .collect();
    let total = total.map_or(0, |t| t as usize);
    let mut names = Vec::with_capacity(total);
    // An odometer over the ranges, the last one turning fastest (Ansible's order).
    let mut at = vec![0u64; ranges.len()];
    for _ in 0..total {
        let mut name = String::with_capacity(pattern.len());
        let mut r = 0;
        for segment in &segments {
            match segment {
                Segment::Literal(text) => name.push_str(text),
                Segment::Range(range) => {
                    range.item(at[r], &mut name);
                    r += 1;
                }
            }
        }
        names.push(name);
        for (i, range) in ranges.iter().enumerate().rev() {
            at[i] += 1;
            if range.count().is_some_and(|n| u128::from(at[i]) < n) {
                break;
            }
            at[i] = 0;
        }
    }
    Ok(Expansion { names, port })
}

/// Splits a `:port` suffix off: one `:` outside brackets. A name with more colons is an IPv6
/// address and has no port.
fn split_port(pattern: &str) -> Result<(&str, Option<u16>), InventoryErrorKind> {
    let mut depth = 0usize;
    let mut colons = Vec::new();
    for (i, c) in pattern.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            ':' if depth == 0 => colons.push(i),
            _ => {}
        }
    }
    let [at] = colons[..] else {
        return Ok((pattern, None));
    };
    let value = &pattern[at + 1..];
    match parse_port(value) {
        Some(port) => Ok((&pattern[..at], Some(port))),
        None => Err(InventoryErrorKind::BadPort {
            value: value.to_string(),
        }),
    }
}

/// A port number, 1 to 65535, in decimal digits.
pub(super) fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|&p| p != 0)
}

fn segments(name: &str) -> Result<Vec<Segment>, String> {
    let mut out = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let open = rest.find('[');
        let close = rest.find(']');
        match (open, close) {
            (None, None) => {
                out.push(Segment::Literal(rest.to_string()));
                break;
            }
            (Some(o), Some(c)) if o < c => {
                if o > 0 {
                    out.push(Segment::Literal(rest[..o].to_string()));
                }
                let inner = &rest[o + 1..c];
                if inner.contains('[') {
                    return Err("a `[` inside a range".into());
                }
                out.push(Segment::Range(range(inner)?));
                rest = &rest[c + 1..];
            }
            (Some(_), None) => return Err("a `[` is never closed by `]`".into()),
            (_, Some(_)) => return Err("a `]` closes no `[`".into()),
        }
    }
    Ok(out)
}

fn range(inner: &str) -> Result<Range, String> {
    let bounds: Vec<&str> = inner.split(':').collect();
    if !(2..=3).contains(&bounds.len()) {
        return Err(format!(
            "`[{inner}]` is not `[start:end]` or `[start:end:step]`"
        ));
    }
    let start = if bounds[0].is_empty() { "0" } else { bounds[0] };
    let end = bounds[1];
    if end.is_empty() {
        return Err(format!("the range `[{inner}]` has no end"));
    }
    let step = match bounds.get(2) {
        None => 1,
        Some(s) => match s.parse::<u64>() {
            Ok(n) if n >= 1 && s.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => {
                return Err(format!(
                    "the step `{s}` is not a whole number of at least 1"
                ));
            }
        },
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let letter = |s: &str| match s.as_bytes() {
        [b] => LETTERS.iter().position(|l| l == b),
        _ => None,
    };
    if digits(start) && digits(end) {
        let width = if start.len() > 1 && start.starts_with('0') {
            if start.len() != end.len() {
                return Err(format!(
                    "`{start}` has leading zeros, so the end must have {} digits too, not \
                     `{end}`",
                    start.len()
                ));
            }
            start.len()
        } else {
            0
        };
        // Digits that overflow count as a range too large to expand.
        let (Ok(s), Ok(e)) = (start.parse::<u64>(), end.parse::<u64>()) else {
            return Ok(Range::Numbers {
                start: 0,
                step: 1,
                count: None,
                width,
            });
        };
        if s > e {
            return Err(format!("the start `{start}` is after the end `{end}`"));
        }
        return Ok(Range::Numbers {
            start: s,
            step,
            count: Some(u128::from((e - s) / step) + 1),
            width,
        });
    }
    match (letter(start), letter(end)) {
        (Some(s), Some(e)) => {
            if s > e {
                return Err(format!("the start `{start}` is after the end `{end}`"));
            }
            let step = usize::try_from(step).unwrap_or(usize::MAX);
            Ok(Range::Letters {
                start: s,
                step,
                count: (e - s) / step + 1,
            })
        }
        _ => Err(format!(
            "`{start}` and `{end}` must both be numbers or both single letters"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(pattern: &str) -> Vec<String> {
        expand(pattern).unwrap().names
    }

    #[test]
    fn ranges_expand_as_ansible_does() {
        let cases: &[(&str, &[&str])] = &[
            ("web-1", &["web-1"]),
            (
                "web[01:03].example.com",
                &[
                    "web01.example.com",
                    "web02.example.com",
                    "web03.example.com",
                ],
            ),
            ("web[1:3]", &["web1", "web2", "web3"]),
            ("web[8:10]", &["web8", "web9", "web10"]),
            ("web[001:010:4]", &["web001", "web005", "web009"]),
            ("db-[a:c]", &["db-a", "db-b", "db-c"]),
            ("db-[a:e:2]", &["db-a", "db-c", "db-e"]),
            ("x[y:B]", &["xy", "xz", "xA", "xB"]),
            ("n[:2]", &["n0", "n1", "n2"]),
            ("[1:2]-web", &["1-web", "2-web"]),
            ("r[1:2]c[a:b]", &["r1ca", "r1cb", "r2ca", "r2cb"]),
            ("fe80::1", &["fe80::1"]),
        ];
        for (pattern, expected) in cases {
            assert_eq!(names(pattern), *expected, "{pattern}");
        }
    }

    #[test]
    fn a_port_suffix_is_split_off() {
        let e = expand("web[1:2]:2222").unwrap();
        assert_eq!(
            (e.names, e.port),
            (vec!["web1".into(), "web2".into()], Some(2222))
        );
        assert_eq!(expand("fe80::1").unwrap().port, None);
        for bad in ["web:", "web:abc", "web:0", "web:65536", "web:-1"] {
            assert!(
                matches!(expand(bad), Err(InventoryErrorKind::BadPort { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn bad_ranges_say_why() {
        let cases = [
            ("web[3:1]", "after the end"),
            ("web[01:zz]", "both be numbers"),
            ("web[01:100]", "leading zeros"),
            ("web[1:zz]", "both be numbers"),
            ("web[a:9]", "both be numbers"),
            ("web[1]", "is not `[start:end]"),
            ("web[1:2:3:4]", "is not `[start:end]"),
            ("web[1:]", "has no end"),
            ("web[1:5:0]", "step `0`"),
            ("web[1:5:x]", "step `x`"),
            ("web[1:5:-1]", "step `-1`"),
            ("web[1:2", "never closed"),
            ("web]1", "closes no"),
            ("web[1[:2]", "inside a range"),
            ("web[c:a]", "after the end"),
            ("web[aa:b]", "both be numbers"),
        ];
        for (pattern, says) in cases {
            match expand(pattern) {
                Err(InventoryErrorKind::BadRange { reason, .. }) => {
                    assert!(reason.contains(says), "{pattern}: {reason}")
                }
                other => panic!("{pattern}: {other:?}"),
            }
        }
    }

    #[test]
    fn huge_ranges_are_refused_before_expansion() {
        let cases = [
            ("web[1:100001]", Some(100_001)),
            ("a[1:1000]b[1:1000]", Some(1_000_000)),
            ("web[0:99999999999999999999999]", None),
            (
                "a[0:18446744073709551615]b[0:9]",
                Some(184_467_440_737_095_516_160),
            ),
        ];
        for (pattern, count) in cases {
            match expand(pattern) {
                Err(InventoryErrorKind::RangeTooLarge { count: c, .. }) => {
                    assert_eq!(c, count, "{pattern}")
                }
                other => panic!("{pattern}: {other:?}"),
            }
        }
        assert_eq!(names("web[1:100000]").len(), 100_000);
    }
}
