//! `serial` and `max_failures`: how many hosts at a time, and how many failures a step
//! tolerates, as a count (`3`) or a share of the step's hosts (`"25%"`).
//!
//! A share is a whole percentage from 1 to 100. For `serial` it is rounded **up**, and a batch
//! has at least one host: 25% of 10 hosts is batches of 3 (3, 3, 3, 1), 10% of 3 hosts is
//! batches of 1. (Ansible rounds `serial` percentages down, then takes at least one: 25% of
//! 10 is 2 there. Rounding up never makes more batches than the operator asked for.) For
//! `max_failures` it is rounded **down**: 10% of 15 hosts tolerates 1 failure, 10% of 5
//! tolerates none, so a share never tolerates more failures than it says. `serial` is at least
//! 1; `max_failures` may be 0 (the first failure stops the step), and `"0%"` is refused for
//! both: write `0`.

use std::fmt;
use std::ops::Range;

/// Which setting an amount is for: the bounds and the messages differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountKey {
    Serial,
    MaxFailures,
}

impl fmt::Display for AmountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountKey::Serial => "serial",
            AmountKey::MaxFailures => "max_failures",
        })
    }
}

/// A number of hosts, or a percentage of the step's hosts (1 to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Amount {
    Count(usize),
    Percent(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error(
        "`{key}` is 0, but a batch needs at least one host\nhelp: give `serial` a number of hosts of at least 1, or a percentage such as \"25%\"; leave it out to run every host at once"
    )]
    Zero { key: AmountKey },
    #[error("`{key}` is {value}, a negative number\nhelp: give {}", help(*.key))]
    Negative { key: AmountKey, value: String },
    #[error("`{key}` is \"0%\"\nhelp: {}", zero_percent(*.key))]
    ZeroPercent { key: AmountKey },
    #[error("`{key}` is \"{value}%\", more than 100%\nhelp: give a percentage from 1% to 100%")]
    PercentTooLarge { key: AmountKey, value: String },
    #[error("`{key}` is `{text}`, not a number of hosts or a percentage\nhelp: give {}", help(*.key))]
    NotAnAmount { key: AmountKey, text: String },
}

fn help(key: AmountKey) -> &'static str {
    match key {
        AmountKey::Serial => {
            "a number of hosts of at least 1 (`serial: 2`) or a percentage \
                              (`serial: \"25%\"`)"
        }
        AmountKey::MaxFailures => {
            "a number of hosts, 0 or more (`max_failures: 1`), or a \
                                   percentage (`max_failures: \"10%\"`)"
        }
    }
}

fn zero_percent(key: AmountKey) -> &'static str {
    match key {
        AmountKey::Serial => {
            "a batch needs at least one host: give a percentage from 1% to \
                              100%, or leave `serial` out to run every host at once"
        }
        AmountKey::MaxFailures => {
            "to stop at the first failure write `max_failures: 0`; \
                                   otherwise give a percentage from 1% to 100%"
        }
    }
}

impl Amount {
    /// Reads an amount written as text: `"3"`, `"25%"` (spaces around it allowed).
    pub fn parse(key: AmountKey, text: &str) -> Result<Amount, AmountError> {
        let t = text.trim();
        let not_an_amount = || AmountError::NotAnAmount {
            key,
            text: super::name::shown(text),
        };
        if let Some(rest) = t.strip_prefix('-')
            && !rest.is_empty()
            && rest
                .trim_end_matches('%')
                .bytes()
                .all(|b| b.is_ascii_digit())
        {
            return Err(AmountError::Negative {
                key,
                value: t.to_string(),
            });
        }
        let (digits, percent) = match t.strip_suffix('%') {
            Some(d) => (d.trim_end(), true),
            None => (t, false),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_an_amount());
        }
        if percent {
            let digits = digits.trim_start_matches('0');
            return match digits.parse::<u8>() {
                _ if digits.is_empty() => Err(AmountError::ZeroPercent { key }),
                Ok(p) if p <= 100 => Ok(Amount::Percent(p)),
                _ => Err(AmountError::PercentTooLarge {
                    key,
                    value: digits.to_string(),
                }),
            };
        }
        // A count past any fleet is any fleet: one batch, every failure tolerated.
        let n = digits.parse::<usize>().unwrap_or(usize::MAX);
        Amount::count(key, n)
    }

    /// Reads an amount written as a YAML integer.
    pub fn from_integer(key: AmountKey, n: i64) -> Result<Amount, AmountError> {
        match usize::try_from(n) {
            Ok(n) => Amount::count(key, n),
            Err(_) if n < 0 => Err(AmountError::Negative {
                key,
                value: n.to_string(),
            }),
            Err(_) => Amount::count(key, usize::MAX),
        }
    }

    fn count(key: AmountKey, n: usize) -> Result<Amount, AmountError> {
        if n == 0 && key == AmountKey::Serial {
            return Err(AmountError::Zero { key });
        }
        Ok(Amount::Count(n))
    }

    /// Hosts per batch for `serial`: a count as is, a percentage rounded up; at least 1.
    pub fn batch_size(self, hosts: usize) -> usize {
        match self {
            Amount::Count(n) => n.max(1),
            Amount::Percent(p) => share(hosts, p, true).max(1),
        }
    }

    /// Failures tolerated for `max_failures`: a count as is, a percentage rounded down. The
    /// step fails once more hosts than this have failed.
    pub fn failures_allowed(self, hosts: usize) -> usize {
        match self {
            Amount::Count(n) => n,
            Amount::Percent(p) => share(hosts, p, false),
        }
    }
}

fn share(hosts: usize, percent: u8, up: bool) -> usize {
    let product = hosts as u128 * u128::from(percent);
    let n = if up {
        product.div_ceil(100)
    } else {
        product / 100
    };
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The batches of `hosts` hosts (index ranges, in order) that `serial` makes; every host at
/// once without it. No batch for no host.
pub fn batches(hosts: usize, serial: Option<Amount>) -> Vec<Range<usize>> {
    let size = serial.map_or(hosts, |s| s.batch_size(hosts)).max(1);
    (0..hosts)
        .step_by(size)
        .map(|start| start..hosts.min(start.saturating_add(size)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmountKey::{MaxFailures, Serial};

    #[test]
    fn amounts_parse() {
        let cases: &[(AmountKey, &str, Amount)] = &[
            (Serial, "1", Amount::Count(1)),
            (Serial, " 3 ", Amount::Count(3)),
            (Serial, "25%", Amount::Percent(25)),
            (Serial, "25 %", Amount::Percent(25)),
            (Serial, "100%", Amount::Percent(100)),
            (Serial, "007%", Amount::Percent(7)),
            (Serial, "99999999999999999999999", Amount::Count(usize::MAX)),
            (MaxFailures, "0", Amount::Count(0)),
            (MaxFailures, "10%", Amount::Percent(10)),
        ];
        for (key, text, expected) in cases {
            assert_eq!(Amount::parse(*key, text), Ok(*expected), "{key} {text}");
        }
        assert_eq!(Amount::from_integer(Serial, 2), Ok(Amount::Count(2)));
        assert_eq!(Amount::from_integer(MaxFailures, 0), Ok(Amount::Count(0)));
    }

    #[test]
    fn bad_amounts_say_what_to_do() {
        let cases: &[(AmountKey, &str, &str)] = &[
            (Serial, "0", "is 0"),
            (Serial, "0%", "\"0%\""),
            (MaxFailures, "0%", "max_failures: 0"),
            (Serial, "150%", "more than 100%"),
            (MaxFailures, "1000%", "more than 100%"),
            (Serial, "99999999999%", "more than 100%"),
            (Serial, "abc", "not a number of hosts"),
            (Serial, "", "not a number of hosts"),
            (Serial, "%", "not a number of hosts"),
            (Serial, "2.5", "not a number of hosts"),
            (Serial, "12.5%", "not a number of hosts"),
            (Serial, "+3", "not a number of hosts"),
            (Serial, "-1", "negative"),
            (MaxFailures, "-3", "negative"),
            (MaxFailures, "-5%", "negative"),
        ];
        for (key, text, says) in cases {
            let error = Amount::parse(*key, text).unwrap_err().to_string();
            assert!(error.contains(says), "{key} {text:?}: {error}");
            assert!(error.contains("\nhelp: "), "{key} {text:?}: {error}");
        }
        let error = Amount::from_integer(Serial, 0).unwrap_err();
        assert_eq!(error, AmountError::Zero { key: Serial });
        let error = Amount::from_integer(MaxFailures, -1).unwrap_err();
        assert!(error.to_string().contains("negative"), "{error}");
        let error = Amount::parse(Serial, "a\x1b[2Jb").unwrap_err().to_string();
        assert!(!error.contains('\x1b'), "{error:?}");
    }

    #[test]
    fn percentages_round_up_for_serial_and_down_for_failures() {
        let p = Amount::Percent;
        assert_eq!(p(25).batch_size(10), 3);
        assert_eq!(p(10).batch_size(3), 1);
        assert_eq!(p(1).batch_size(1), 1);
        assert_eq!(p(100).batch_size(7), 7);
        assert_eq!(p(50).batch_size(0), 1);
        assert_eq!(p(10).failures_allowed(15), 1);
        assert_eq!(p(10).failures_allowed(5), 0);
        assert_eq!(p(100).failures_allowed(5), 5);
        assert_eq!(p(100).batch_size(usize::MAX), usize::MAX);
        assert_eq!(Amount::Count(3).failures_allowed(100), 3);
    }

    #[test]
    fn batches_cover_every_host_once_in_order() {
        assert_eq!(batches(10, None), vec![Range { start: 0, end: 10 }]);
        assert_eq!(batches(0, None), Vec::<Range<usize>>::new());
        assert_eq!(
            batches(0, Some(Amount::Count(3))),
            Vec::<Range<usize>>::new()
        );
        assert_eq!(
            batches(10, Some(Amount::Percent(25))),
            [0..3, 3..6, 6..9, 9..10]
        );
        assert_eq!(batches(5, Some(Amount::Count(2))), [0..2, 2..4, 4..5]);
        let one = vec![Range { start: 0, end: 3 }];
        assert_eq!(batches(3, Some(Amount::Count(10))), one);
        assert_eq!(batches(3, Some(Amount::Count(usize::MAX))), one);
        assert_eq!(batches(3, Some(Amount::Count(0))), [0..1, 1..2, 2..3]);
        for n in 0..50 {
            for serial in [
                None,
                Some(Amount::Count(1)),
                Some(Amount::Count(7)),
                Some(Amount::Percent(33)),
            ] {
                let b = batches(n, serial);
                let flat: Vec<usize> = b.iter().flat_map(|r| r.clone()).collect();
                assert_eq!(flat, (0..n).collect::<Vec<_>>(), "{n} {serial:?}");
                assert!(b.iter().all(|r| !r.is_empty()));
            }
        }
    }
}
