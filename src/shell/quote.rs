//! Writing text so that the shell reads it back exactly, in each quoting context.

use super::Quoting;

/// Whether `text` is one word that no shell reads as anything but itself: letters, digits
/// and `_ . / : @ , + = %`, not starting with `-` (an option).
pub fn is_plain_word(text: &str) -> bool {
    !text.starts_with('-')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_./:@,+=%-".contains(&b))
}

/// `text` in single quotes, for a POSIX shell: every character literal.
pub fn single_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

fn escaped(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text that the shell reads as exactly `text` where `quoting` is in force (the inverse of
/// its quote removal there), or `None` where that cannot be written.
pub fn encode(text: &str, quoting: Quoting) -> Option<String> {
    Some(match quoting {
        Quoting::Bare => {
            let plain = !text.is_empty()
                && text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_./:@%+,-".contains(&b));
            if plain {
                text.to_string()
            } else {
                single_quoted(text)
            }
        }
        Quoting::Double => escaped(text, &['\\', '$', '`', '"']),
        Quoting::Single => single_quoted(text)
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .map(str::to_string)?,
        Quoting::DollarSingle => escaped(text, &['\\', '\'']),
        // A new line in a here-document could make a line that ends it.
        Quoting::Heredoc if !text.contains('\n') => escaped(text, &['\\', '$', '`']),
        Quoting::QuotedHeredoc if !text.contains('\n') => text.to_string(),
        Quoting::Heredoc | Quoting::QuotedHeredoc | Quoting::Arithmetic | Quoting::Pattern => {
            return None;
        }
    })
}

/// A value written into the text for a shell that does not have the outer environment
/// (`ssh HOST`, `sudo`): read there as exactly `value`, never as code.
pub fn literal(value: &str, quoting: Quoting) -> Option<String> {
    match quoting {
        Quoting::Bare | Quoting::Pattern => Some(single_quoted(value)),
        Quoting::Single => Some(format!("'{}'", single_quoted(value))),
        _ => encode(value, quoting),
    }
}

/// A reference to the environment variable `name` that the shell expands once, as data,
/// where `quoting` is in force; `None` where no reference is expanded.
pub fn reference(name: &str, quoting: Quoting) -> Option<String> {
    Some(match quoting {
        Quoting::Bare | Quoting::Pattern => format!("\"${{{name}}}\""),
        Quoting::Double | Quoting::Heredoc => format!("${{{name}}}"),
        Quoting::Single => format!("'\"${{{name}}}\"'"),
        Quoting::DollarSingle => format!("'\"${{{name}}}\"$'"),
        Quoting::QuotedHeredoc | Quoting::Arithmetic => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What bash makes of `prefix + encoded + suffix` as the argument of printf.
    fn bash_reads(script: &str) -> String {
        std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-c", script])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    #[test]
    fn encoded_text_reads_back_exactly() {
        let texts = [
            "plain",
            "",
            "a b",
            "it's",
            "\"q\" $(touch /tmp/rb-quote-pwned) `id` \\ ${x} $'y'",
            "line 1\nline 2",
            "-n",
        ];
        for text in texts {
            for (prefix, quoting, suffix) in [
                ("printf '[%s]' ", Quoting::Bare, ""),
                ("printf '[%s]' \"", Quoting::Double, "\""),
                ("printf '[%s]' '", Quoting::Single, "'"),
                ("printf '[%s]' $'", Quoting::DollarSingle, "'"),
            ] {
                let encoded = encode(text, quoting).unwrap();
                let read = bash_reads(&format!("{prefix}{encoded}{suffix}"));
                assert_eq!(read, format!("[{text}]"), "{quoting:?} {text:?}");
                let literal = literal(text, quoting).unwrap();
                let read = bash_reads(&format!("{prefix}{literal}{suffix}"));
                assert_eq!(read, format!("[{text}]"), "literal {quoting:?} {text:?}");
            }
            if !text.contains('\n') {
                let encoded = encode(text, Quoting::Heredoc).unwrap();
                let read = bash_reads(&format!("cat <<EOF\n[{encoded}]\nEOF"));
                assert_eq!(read, format!("[{text}]\n"), "heredoc {text:?}");
            }
        }
        assert!(!std::path::Path::new("/tmp/rb-quote-pwned").exists());
        assert_eq!(encode("a\nEOF", Quoting::Heredoc), None);
    }
}
