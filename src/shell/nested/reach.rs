//! How far a value reaches where [`super::widens`] found it widens a command (audit 40): a pattern
//! tried on sample lines of what such patterns run over (process names and command lines,
//! cron and `/etc/hosts` lines, paths), with at least two letters or digits in a row of its
//! own; a value made only of punctuation; a prefix length as iptables reads it; a label
//! selector. Read by [`super::types::Wide`]'s refusal; imports nothing of `nested`.

/// Whether the regular expression `pattern` picks more than one specific thing: it holds no
/// two letters or digits in a row that must be matched (`/`, `e`, `[0-9]`, `\*`, `/.+`,
/// `x*`), or it matches [`MANY`] or more of [`SAMPLE_LINES`], which have little in common
/// (`usr`, `bin`, `sbin/`). A pattern the `regex` crate cannot read is judged by the first
/// test only.
pub(super) fn matches_many(pattern: &str) -> bool {
    let (run, count) = literal_run(pattern);
    // (`8.8.8.8`, `^1.2.3.4 `: no two in a row, but four that every match holds.)
    if run < 2 && (count < 4 || pattern.contains('|')) {
        return true;
    }
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .is_ok_and(|re| SAMPLE_LINES.iter().filter(|l| re.is_match(l)).count() >= MANY)
}

/// The longest run of letters and digits that every match of `pattern` holds: a class
/// (`[e]`, `\w`), a character made optional by `*`, `?` or `{0`, and a group made optional
/// end a run and are not counted. Also how many such letters and digits it holds in all.
fn literal_run(pattern: &str) -> (usize, usize) {
    let chars: Vec<char> = pattern.chars().collect();
    let optional = |i: usize| {
        matches!(chars.get(i), Some('*' | '?'))
            || (chars.get(i) == Some(&'{') && chars.get(i + 1) == Some(&'0'))
            || (chars.get(i) == Some(&'{') && chars.get(i + 1) == Some(&','))
    };
    let (mut best, mut run, mut count) = (0, 0, 0);
    // (Each open group: the best run before it, and the poorest of its branches so far.)
    let mut groups: Vec<(usize, Option<usize>)> = Vec::new();
    let mut branches: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            // (`\w`, `\d`, `\*`: a class or one punctuation character; `\x2f`, `\x{2f}`,
            // `\u{…}`, `\p{Greek}`, `\pL`: one character or a class, whole.)
            '\\' => {
                run = 0;
                match chars.get(i + 1) {
                    Some('x' | 'u' | 'U' | 'p' | 'P') if chars.get(i + 2) == Some(&'{') => {
                        i += 2;
                        while i < chars.len() && chars[i] != '}' {
                            i += 1;
                        }
                    }
                    Some('x') => i += 3,
                    Some('p' | 'P') => i += 2,
                    _ => i += 1,
                }
            }
            // (`{11}`, `{2,5}`: a count, whose digits match nothing.)
            '{' => {
                run = 0;
                while i < chars.len() && chars[i] != '}' {
                    i += 1;
                }
            }
            '[' => {
                run = 0;
                let mut j = i + 1;
                if chars.get(j) == Some(&'^') {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                i = j;
            }
            '(' => {
                groups.push((best, None));
                best = 0;
                run = 0;
            }
            ')' => {
                let (outer, poorest) = groups.pop().unwrap_or((0, None));
                let inside = poorest.map_or(best, |p| p.min(best));
                best = if optional(i + 1) {
                    outer
                } else {
                    outer.max(inside)
                };
                run = 0;
            }
            // (Either side may match: of a group's or the pattern's branches, the poorest
            // counts.)
            '|' => {
                run = 0;
                match groups.last_mut() {
                    Some(group) => group.1 = Some(group.1.map_or(best, |p| p.min(best))),
                    None => branches.push(best),
                }
                best = 0;
            }
            c if c.is_alphanumeric() => {
                if optional(i + 1) {
                    run = 0;
                } else {
                    run += 1;
                    count += 1;
                    best = best.max(run);
                }
            }
            // (`a+`: at least one `a`, the run goes on.)
            '+' => {}
            _ => run = 0,
        }
        i += 1;
    }
    while let Some((outer, _)) = groups.pop() {
        best = best.max(outer);
    }
    branches.push(best);
    (branches.into_iter().min().unwrap_or(0), count)
}

/// How many of [`SAMPLE_LINES`] a pattern may not match.
const MANY: usize = 3;

/// Lines with little in common, of what the patterns of `pkill -f`, `grep -v … | crontab -`,
/// `sed -i '/…/d'` and `find -regex` run over: no one program, folder or word is in three.
const SAMPLE_LINES: &[&str] = &[
    "sh",
    "/sbin/init splash",
    "cron -f",
    "Xorg :0",
    "kworker/0:1-events",
    "sshd: root@pts/0",
    "/usr/sbin/sshd -D",
    "postgres: checkpointer",
    "/usr/bin/python3 -m http.server 8000",
    "java -jar app.jar",
    "nginx: worker process",
    "/usr/bin/dockerd -H fd://",
    "/usr/lib/systemd/systemd-journald",
    "containerd-shim -namespace moby -id 4f2a",
    "web-7d9f8b6c5-x2x9q",
    "db_1",
    "redis-master-0",
    "0 3 * * * /usr/local/bin/backup.sh",
    "*/5 * * * * /usr/local/bin/healthcheck",
    "15 4 * * 0 /usr/sbin/logrotate /etc/logrotate.conf",
    "127.0.0.1 localhost",
    "10.0.0.5 db-1.internal db-1",
    "::1 ip6-loopback",
    "/var/log/app/api.log",
    "./build/cache/obj.o",
    "/home/ana/.bashrc",
];

/// Whether a value names nothing by itself: only punctuation a tool reads as "all", "here"
/// or "any" (`.`, `/`, `*`, `:/`, `%`, `@`, `!`, `~`, `[]`) and white space.
pub(super) fn names_nothing(value: &str) -> bool {
    value.chars().all(|c| {
        c.is_whitespace()
            || matches!(
                c,
                '*' | '?' | '.' | '/' | ':' | '%' | '@' | '!' | '^' | '~' | '[' | ']'
            )
    })
}

/// The bits of a prefix length as libxtables reads it (`strtoul` with base 0: `0x` hex, a
/// leading `0` octal, so `/0x0` is `/0`), or of a dotted mask; `None` where it is neither.
pub(super) fn prefix_bits(mask: &str) -> Option<u32> {
    let digits = mask.strip_prefix('+').unwrap_or(mask);
    let number = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u32::from_str_radix(hex, 16).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        u32::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse::<u32>().ok()
    };
    number.or_else(|| {
        mask.parse::<std::net::Ipv4Addr>()
            .ok()
            .map(|m| u32::from(m).count_ones())
    })
}

/// Whether a label selector picks objects by what they lack or by a key alone: a
/// requirement that is a bare key, `!key`, `key!=value` or `key notin (…)`.
pub(super) fn selector_widens(selector: &str) -> bool {
    let mut depth = 0usize;
    let mut parts = vec![String::new()];
    for c in selector.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = parts.last_mut() {
            last.push(c);
        }
    }
    parts.iter().any(|part| {
        let part = part.trim();
        let words: Vec<&str> = part.split_whitespace().collect();
        part.is_empty()
            || part.starts_with('!')
            || part.contains("!=")
            || words.contains(&"notin")
            || !(part.contains('=') || words.get(1) == Some(&"in"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_that_pick_more_than_one_thing() {
        for wide in [
            "/",
            "e",
            "s",
            ":",
            " -",
            "bin",
            "usr",
            "sbin/",
            "[0-9]",
            "[e]",
            "[/]",
            "\\*",
            "0",
            "/.+",
            ".*/.*",
            "x*",
            "(ab)?",
            "ab|c",
            "\\w\\w",
            // (The digits of a count or an escape match nothing of their own.)
            "^.{11}$",
            ".{2,40}",
            "\\x2f",
            "\\x{2f}",
            "\\p{Greek}",
            "1.2|.",
        ] {
            assert!(matches_many(wide), "{wide}");
        }
        for narrow in [
            "worker.py",
            "celery.*worker",
            "sshd",
            "web-",
            "db",
            "^preview-42$",
            "java -jar app.jar",
            "old-host",
            "backup.sh",
            "a+b+",
            "^(nginx|apache)$",
            // (An address: four digits every match holds, none two in a row.)
            "^8.8.8.8 ",
            "^1.1.1.1 ",
        ] {
            assert!(!matches_many(narrow), "{narrow}");
        }
    }

    /// Audit 40 A40-7's remainder, the evidence for the README's decision: a pattern found in
    /// one or two of the sample lines of the file a command edits (`usr/local` in two cron
    /// lines) is taken, because the stricter rule of any one line of that file would refuse
    /// the ordinary value that names the one entry to remove (`backup`, `db-1`); the values
    /// that name no sample entry (`job-4711`, `backup-nightly`, `10.0.3.7`) would pass both.
    #[test]
    fn a_value_naming_one_entry_matches_one_sample_line_of_its_file() {
        let cron: Vec<&str> = SAMPLE_LINES
            .iter()
            .copied()
            .filter(|l| l.contains("* *"))
            .collect();
        let hosts: Vec<&str> = SAMPLE_LINES
            .iter()
            .copied()
            .filter(|l| ["127.", "10.", "::"].iter().any(|p| l.starts_with(p)))
            .collect();
        assert_eq!((cron.len(), hosts.len()), (3, 3));
        let found = |pattern: &str, lines: &[&str]| match regex::Regex::new(pattern) {
            Ok(re) => lines.iter().filter(|l| re.is_match(l)).count(),
            Err(e) => panic!("{pattern}: {e}"),
        };
        for (value, lines, n) in [
            ("backup", &cron, 1),
            ("db-1", &hosts, 1),
            ("usr/local", &cron, 2),
            ("job-4711", &cron, 0),
            ("backup-nightly", &cron, 0),
            ("10.0.3.7", &hosts, 0),
        ] {
            assert_eq!(found(value, lines), n, "{value}");
            assert!(!matches_many(value), "{value}");
        }
    }

    #[test]
    fn prefixes_read_as_iptables_reads_them() {
        for (mask, bits) in [
            ("24", Some(24)),
            ("0x0", Some(0)),
            ("0X7", Some(7)),
            ("010", Some(8)),
            ("+0", Some(0)),
            ("255.0.0.0", Some(8)),
            ("x", None),
        ] {
            assert_eq!(prefix_bits(mask), bits, "{mask}");
        }
    }

    #[test]
    fn selectors_that_pick_by_what_is_missing() {
        for wide in ["!x", "app", "app notin (web)", "tier!=db", "app=web,!x", ""] {
            assert!(selector_widens(wide), "{wide}");
        }
        for narrow in [
            "app=web",
            "app==web",
            "app in (web, api)",
            "app=web,tier=db",
        ] {
            assert!(!selector_widens(narrow), "{narrow}");
        }
    }
}
