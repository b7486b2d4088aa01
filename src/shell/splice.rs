//! A value spliced into the code of a language that can itself run shell commands.
//!
//! `sed -i "s/^version=.*/version={{ v }}/" conf`: sed's script is code, and GNU sed runs a
//! shell from it (`e`, the `e` flag of `s`, `w /dev/…`). Inside the replacement of an `s`
//! command the value is data until it holds the command's delimiter (or a new line or a
//! backslash), which ends it: `1/;1e touch x` would run `touch`. Inside an awk string the
//! value is data until a `"`, a backslash or a new line; outside a string it is awk code,
//! where `system(…)` runs a shell. [`ends`] says what the value may not hold there.

/// What a value spliced into `language`'s code at byte `at` of `code` (the program's cooked
/// argument) may not hold, and what that character would end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ends {
    /// These characters end the piece of code that holds the value as data.
    Chars { chars: String, what: String },
    /// The value stands where the language reads code: one plain word only.
    Code,
    /// The value is the program's commands themselves: refused whatever it holds.
    Commands,
}

pub fn ends(language: &str, code: &str, at: usize) -> Option<Ends> {
    match language {
        "sed" => Some(sed(code, at)),
        "awk" => Some(awk(code, at)),
        // Languages that run a shell from their code (`os.system`, `system`, backquotes,
        // `child_process`): data inside a string literal, until what ends or interpolates
        // it (audit 20 HOLE-3: `python3 -c 'print("{{ v }}")'` with `x"); os.system(…)`).
        // (Python's f-strings evaluate `{…}`; Perl's and Ruby's "…" interpolate `$`, `@`
        // and `#{…}`; JavaScript's `…` `${…}`; PHP's "…" `$`.)
        "Python" => Some(literal(code, at, &[('"', "{}"), ('\'', "{}")], language)),
        // (Perl's `s/old/NEW/`, as sed's, with `$` and `@` interpolated.)
        // (Outside a literal and a substitution, Perl code: `print {{ v }}` with `qx:…:`
        // ran a command, audit 23.)
        "Perl or Ruby" => Some(
            match literal(code, at, &[('"', "$@#`"), ('\'', "")], language) {
                Ends::Code if !substitution_delimiters(code, at).is_empty() => {
                    match sed(code, at) {
                        Ends::Chars { chars, .. } => Ends::Chars {
                            chars: format!("{chars}$@"),
                            what: "the Perl substitution it stands in".into(),
                        },
                        _ => Ends::Code,
                    }
                }
                inside => inside,
            },
        ),
        "JavaScript" | "JavaScript (mongosh)" => Some(literal(
            code,
            at,
            &[('"', ""), ('\'', ""), ('`', "$")],
            language,
        )),
        "PHP" => Some(literal(code, at, &[('"', "$"), ('\'', "")], language)),
        "Lua" => Some(literal(code, at, &[('"', ""), ('\'', "")], language)),
        // Tcl's "…" runs `[…]` and expands `$` (audit 21 HOLE-3: `puts "{{ v }}"` with
        // `[exec touch x]`).
        "Tcl" | "Tcl (expect)" => Some(literal(code, at, &[('"', "[$")], language)),
        // An ed script: `!cmd` (also `r !`, `e !`, `w !`) runs a shell; a line is a command.
        "ed/ex" => Some(ed(code, at)),
        "SQL" | "a query language (SQL, CQL, InfluxQL)" => Some(sql(code, at)),
        "jq" | "yq" => Some(jq(code, at)),
        // PowerShell's "…" expands `$` and escapes with a backquote, and it reads the
        // typographic quotes as its own (audit 29 H-1: `pwsh -Command "Restart-Service
        // {{ v }}"` with `x; touch f`); R's strings interpolate nothing; Julia's "…" expands
        // `$`, and its backquotes are commands (H-2, H-3).
        "PowerShell" => Some(literal(
            code,
            at,
            &[
                ('"', "$`\u{201c}\u{201d}\u{201e}"),
                ('\'', "\u{2018}\u{2019}\u{201a}\u{201b}"),
            ],
            language,
        )),
        "R" => Some(literal(code, at, &[('"', ""), ('\'', "")], language)),
        // Erlang's "…" and '…' (an atom) hold no interpolation; Elixir's "…" and '…'
        // run `#{…}` (audit 41 A41-11).
        "Erlang" => Some(literal(code, at, &[('"', ""), ('\'', "")], language)),
        "Elixir" => Some(literal(code, at, &[('"', "#"), ('\'', "#")], language)),
        // m4 reads a macro call anywhere in its text, quotes with `` ` `` and `'`; dc's `!`
        // runs the rest of a line with a shell (audit 41 A41-9).
        "m4" => Some(Ends::Chars {
            chars: "()`'".into(),
            what: "the m4 text it stands in, where a macro call (`esyscmd(…)`) runs".into(),
        }),
        "dc" => Some(Ends::Chars {
            chars: "!\n\r".into(),
            what: "the dc program it stands in, where `!` runs a shell".into(),
        }),
        "Julia" => Some(literal(code, at, &[('"', "$")], language)),
        // AppleScript's strings are "…" only (the typographic ones too), with `\` escapes;
        // outside one, `do shell script` is a word away (audit 29 H-4).
        "AppleScript" => Some(literal(
            code,
            at,
            &[('"', "\u{201c}\u{201d}"), ('\u{201c}', "\"\u{201d}")],
            language,
        )),
        _ => None,
    }
}

/// In a string literal of `quotes` (each with the characters that interpolate code in it):
/// its quote, `\`, a new line and those end or open code; elsewhere the value is code.
fn literal(code: &str, at: usize, quotes: &[(char, &str)], language: &str) -> Ends {
    let mut inside: Option<(char, &str)> = None;
    let mut escaped = false;
    for c in code[..at.min(code.len())].chars() {
        match inside {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some((q, _)) if c == q => inside = None,
            Some(_) => {}
            None => inside = quotes.iter().find(|(q, _)| *q == c).copied(),
        }
    }
    match inside {
        Some((q, interpolating)) => Ends::Chars {
            chars: format!("{q}\\\n\r{interpolating}"),
            what: format!("the {language} string it stands in"),
        },
        None => Ends::Code,
    }
}

/// An ed script: on a line holding `!` the value is a shell command; in the text that `a`,
/// `i` or `c` adds, data until a new line; elsewhere what sed's rules say of `s` and
/// commands.
fn ed(code: &str, at: usize) -> Ends {
    let at = at.min(code.len());
    let start = code[..at].rfind('\n').map_or(0, |k| k + 1);
    if code[start..at].contains('!') {
        return Ends::Commands;
    }
    let previous = code[..start.saturating_sub(1)]
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .trim();
    let adds = previous
        .trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '$' | ',' | '.'))
        .len()
        == 1
        && previous.ends_with(['a', 'i', 'c']);
    if start > 0 && adds {
        return Ends::Chars {
            chars: "\n\r".into(),
            what: "the line of text the ed command adds".into(),
        };
    }
    sed(code, at)
}

/// Every printable ASCII character but those of a number (`-1.5e3`): what jq code outside a
/// string may not hold, where only a number is data.
const JQ_NOT_NUMBER: &str =
    "!\"#$%&'()*,/:;<=>?@[\\]^_`{|}~abcdfghijklmnopqrstuvwxyzABCDFGHIJKLMNOPQRSTUVWXYZ \t\n\r";

/// Every printable ASCII character but a letter, a digit and `_`: what a jq field name
/// (`.name`) may not hold.
const JQ_NOT_FIELD: &str = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~ \t\n\r";

/// jq (and yq, whose expressions are jq's): in a string, data until its `"`, a `\` (`\(…)`
/// runs jq code inside the string) or a new line; a field name after `.` holds letters,
/// digits and `_`; elsewhere only a number is data: a word is a filter there (`env` prints
/// the environment, `input` reads on), and `,`, `|` join more filters (audit 27 HOLE-8).
fn jq(code: &str, at: usize) -> Ends {
    let at = at.min(code.len());
    if let Ends::Chars { .. } = literal(code, at, &[('"', "")], "jq") {
        return Ends::Chars {
            chars: "\"\\\n\r".into(),
            what: "it stands in a jq string, where `\"` would end the string and `\\(…)` run jq code (`env` reads the environment: pass it with `jq --arg name \"{{ … }}\"` and read `$name`)".into(),
        };
    }
    if code[..at].ends_with('.') {
        return Ends::Chars {
            chars: JQ_NOT_FIELD.into(),
            what: "it stands in jq code as a field name (`.name`), which holds letters, digits and `_`: other characters would add filters (`,env` prints the environment); pass it with `--arg name` and read `.[$name]`".into(),
        };
    }
    Ends::Chars {
        chars: JQ_NOT_NUMBER.into(),
        what: "it stands in jq code outside a string, where only a number is data: a word there is a filter (`env` prints the environment) and `,` or `|` add more; pass it with `jq --arg name \"{{ … }}\"` and read `$name`".into(),
    }
}

/// SQL: data inside a string literal until its quote, a backslash or a new line; a client's
/// own command (sqlite3's `.shell`/`.system`, psql's `\!`) at the start of a line runs a
/// shell; elsewhere the value is SQL (audit 21 HOLE-2, HOLE-4: `ATTACH DATABASE` wrote a
/// file from `select '{{ v }}'`).
fn sql(code: &str, at: usize) -> Ends {
    let at = at.min(code.len());
    let start = code[..at].rfind('\n').map_or(0, |k| k + 1);
    let line = code[start..at].trim_start();
    if line.starts_with('.') {
        return Ends::Commands;
    }
    if line.starts_with('\\') {
        return Ends::Chars {
            chars: "`|'\n\r\\".into(),
            what: "the psql command's argument (backquotes and `|` run a shell there)".into(),
        };
    }
    literal(code, at, &[('\'', ""), ('"', "")], "SQL")
}

/// The delimiters of every `s`/`y` command that may be open before `at` (a command's letter
/// at the start of a command or after an address, followed by its delimiter), `/` when none
/// is (a regular expression address), a new line and a backslash.
fn sed(code: &str, at: usize) -> Ends {
    let at = at.min(code.len());
    let mut delimiters = substitution_delimiters(code, at);
    let head = code[..at].trim_end_matches([' ', '\t']);
    if delimiters.is_empty() && (head.is_empty() || head.ends_with([';', '\n', '{', '}'])) {
        return Ends::Commands;
    }
    if delimiters.is_empty() {
        delimiters.push('/');
    }
    let what = format!(
        "the sed command or address it stands in (delimited by `{}`)",
        delimiters
    );
    delimiters.push_str("\n\\");
    Ends::Chars {
        chars: delimiters,
        what,
    }
}

/// The delimiters of every `s`/`y` command that may be open before `at`: a command's letter
/// at the start of a command or after an address, followed by its delimiter.
fn substitution_delimiters(code: &str, at: usize) -> String {
    let b = code.as_bytes();
    let at = at.min(b.len());
    let mut delimiters = String::new();
    for p in 0..at {
        if !matches!(b[p], b's' | b'y') || p + 1 >= at {
            continue;
        }
        let d = b[p + 1];
        let before = code[..p].trim_end_matches([' ', '\t']);
        let starts = before.is_empty()
            || before.ends_with([';', '\n', '{', '}', '!', '/', '$'])
            || before.ends_with(|c: char| c.is_ascii_digit());
        if starts && d.is_ascii_punctuation() && d != b'\\' && !delimiters.contains(d as char) {
            delimiters.push(d as char);
        }
    }
    delimiters
}

/// In an awk string (an odd number of unescaped `"` before it): `"`, `\` and a new line end
/// it; elsewhere the value is awk code.
fn awk(code: &str, at: usize) -> Ends {
    let mut inside = false;
    let mut escaped = false;
    for c in code[..at.min(code.len())].chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if inside => escaped = true,
            '"' => inside = !inside,
            _ => {}
        }
    }
    if inside {
        Ends::Chars {
            chars: "\"\\\n".into(),
            what: "the awk string it stands in".into(),
        }
    } else {
        Ends::Code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_x(language: &str, code: &str) -> Option<Ends> {
        ends(language, code, code.find('X').unwrap_or(0))
    }

    fn chars(e: Option<Ends>) -> String {
        match e {
            Some(Ends::Chars { chars, .. }) => chars,
            other => format!("{other:?}"),
        }
    }

    /// Audit 23: Perl code outside a literal and a substitution (`print {{ v }}`, where
    /// `qx:…:` runs a command) is code; inside `s/…/X/` the substitution's delimiters end it.
    #[test]
    fn a_value_in_perl_code_outside_a_literal_is_code() {
        assert_eq!(at_x("Perl or Ruby", "print X"), Some(Ends::Code));
        assert_eq!(chars(at_x("Perl or Ruby", "s/old/X/")), "/\n\\$@");
        assert_eq!(chars(at_x("Perl or Ruby", "print \"X\"")), "\"\\\n\r$@#`");
    }

    #[test]
    fn a_value_in_sed_may_not_hold_what_ends_its_command() {
        assert_eq!(chars(at_x("sed", "s/^version=.*/version=X/")), "/\n\\");
        assert_eq!(chars(at_x("sed", "s|^root=.*|root=X|")), "|\n\\");
        assert_eq!(chars(at_x("sed", "/^a/s,b,X,g")), ",\n\\");
        assert_eq!(chars(at_x("sed", "/X/d")), "/\n\\");
        assert_eq!(chars(at_x("sed", "1s#a#b#; s@c@X@")), "#@\n\\");
        // `s` inside a word is no command.
        assert_eq!(chars(at_x("sed", "s/pass:/pass:X/")), "/\n\\");
        assert_eq!(at_x("sed", "X"), Some(Ends::Commands));
        assert_eq!(at_x("sed", "1d; X"), Some(Ends::Commands));
    }

    #[test]
    fn a_value_in_awk_is_data_in_a_string_only() {
        assert_eq!(chars(at_x("awk", "{ print \"X\" }")), "\"\\\n");
        assert_eq!(chars(at_x("awk", "{ print \"a\\\"b X\" }")), "\"\\\n");
        assert_eq!(at_x("awk", "$1 == X { print }"), Some(Ends::Code));
        assert_eq!(at_x("awk", "{ print \"a\" X }"), Some(Ends::Code));
        assert_eq!(at_x("python", "print(X)"), None);
    }

    /// Audit 20 HOLE-3: a value in a string literal of code that can run a shell.
    #[test]
    fn a_value_in_a_string_of_python_perl_or_javascript_may_not_end_it() {
        assert_eq!(chars(at_x("Python", "print(\"X\")")), "\"\\\n\r{}");
        assert_eq!(chars(at_x("Python", "print('a', 'X')")), "'\\\n\r{}");
        assert_eq!(at_x("Python", "print(X)"), Some(Ends::Code));
        assert_eq!(at_x("Python", "print('a' + X)"), Some(Ends::Code));
        assert_eq!(
            chars(at_x("Perl or Ruby", "print \"X\\n\"")),
            "\"\\\n\r$@#`"
        );
        assert_eq!(chars(at_x("Perl or Ruby", "print 'X'")), "'\\\n\r");
        assert_eq!(chars(at_x("JavaScript", "console.log(`X`)")), "`\\\n\r$");
    }

    /// Audit 27 HOLE-8: jq code reads the environment (`env`, `$ENV`): a value is data in a
    /// string, as a field name after `.`, or as a number.
    #[test]
    fn a_value_in_jq_code_is_a_string_a_field_or_a_number() {
        assert_eq!(
            chars(at_x("jq", ".[] | select(.name == \"X\")")),
            "\"\\\n\r"
        );
        assert_eq!(chars(at_x("jq", ".a | \"\\(.b) X\"")), "\"\\\n\r");
        let field = chars(at_x("jq", ".items[].X"));
        assert!(field.contains(',') && field.contains('|') && !field.contains('_'));
        let number = chars(at_x("jq", ".items[X]"));
        for c in ['n', 'v', ',', '|', '$', '"', ' ', '('] {
            assert!(number.contains(c), "{c}");
        }
        for c in ['1', '.', '-', 'e', 'E', '+'] {
            assert!(!number.contains(c), "{c}");
        }
        // After a string closes, code again.
        assert_eq!(chars(at_x("jq", "\"a\" + X")), number);
    }

    /// Audit 29 H-1 to H-3: PowerShell, R and Julia code.
    #[test]
    fn a_value_in_powershell_r_or_julia_code_is_data_only_in_a_string() {
        assert_eq!(at_x("PowerShell", "Restart-Service X"), Some(Ends::Code));
        let double = chars(at_x("PowerShell", "Write-Output \"X\""));
        for c in ['"', '$', '`', '\u{201d}'] {
            assert!(double.contains(c), "{c:?}");
        }
        assert!(chars(at_x("PowerShell", "Write-Output 'X'")).contains('\u{2019}'));
        assert_eq!(at_x("R", "print(X)"), Some(Ends::Code));
        assert!(chars(at_x("R", "print(\"X\")")).contains('"'));
        assert_eq!(
            at_x("Julia", "run(`systemctl restart X`)"),
            Some(Ends::Code)
        );
        assert!(chars(at_x("Julia", "println(\"X\")")).contains('$'));
        assert_eq!(
            at_x("AppleScript", "tell app \"X\" to quit").map(|e| chars(Some(e)).contains('"')),
            Some(true)
        );
        assert_eq!(at_x("AppleScript", "do shell script X"), Some(Ends::Code));
        assert_eq!(at_x("AppleScript", "display dialog 'X'"), Some(Ends::Code));
    }
}
