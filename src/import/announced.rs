//! What the sentence before a block says it is: output shown ("Expected output:", "The
//! log says:"), or text typed in another program ("In psql:", "In the Rails console:").

use super::warnings::last_sentence;

/// Whether the sentence before a block is only a name for output ("Expected output:",
/// "Sample output:", "You should see:"): said of a block tagged `bash` too.
pub(super) fn names_output(before: &str) -> bool {
    let Some(last) = last_sentence(before) else {
        return false;
    };
    let t = last
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_')
        .to_ascii_lowercase();
    let t = t.trim_end_matches(['*', '_']);
    [
        "expected output:",
        "sample output:",
        "example output:",
        "output:",
        "the output:",
        "you should see:",
        "you will see:",
        "expected result:",
        "sample response:",
        "example response:",
        "expected response:",
        "response:",
    ]
    .contains(&t)
}

/// Whether the sentence before an untagged block says the block is output: "Expected
/// output:", "You should see:", "The log says:", "Sample response:" (audit 14l L11 found
/// such output run as a command).
pub(super) fn announces_output(before: &str) -> bool {
    let Some(last) = last_sentence(before) else {
        return false;
    };
    let last = last.trim();
    if !last.ends_with(':') {
        return false;
    }
    let t = last.to_ascii_lowercase();
    ([
        "output",
        "you should see",
        "you will see",
        "you'll see",
        "you see",
        "should show",
        "should look",
        "looks like",
        "look like",
        "log says",
        "logs say",
        "log shows",
        "response",
        "returns",
        "prints",
        "result",
        "expected",
        "example:",
        "for example",
    ]
    .iter()
    .any(|w| t.contains(w))
        || [
            "says:", "say:", "shows:", "show:", "reads:", "read:", "like:",
        ]
        .iter()
        .any(|w| t.ends_with(w) && !t.starts_with("run") && !t.contains("command")))
        && ![
            "run:",
            "type:",
            "command:",
            "execute:",
            "run this:",
            "following:",
        ]
        .iter()
        .any(|w| t.ends_with(w))
}

/// The program the text before an untagged block names as where to type it, when its last
/// sentence ends with `:` and names one that is not a shell: "In psql:", "In the Rails
/// console:", "In redis-cli:", "In Kibana Dev Tools:".
pub(super) fn named_program(before: &str) -> Option<String> {
    let last = last_sentence(before)?.trim();
    if !last.ends_with(':') {
        return None;
    }
    let t = last.to_ascii_lowercase();
    if [
        "bash",
        "terminal",
        "ssh",
        "shell on",
        "a shell",
        "the shell",
    ]
    .iter()
    .any(|w| t.contains(w))
    {
        return None;
    }
    const PROGRAMS: &[(&str, &str)] = &[
        ("psql", "psql"),
        ("mysql", "mysql"),
        ("rails console", "the Rails console"),
        ("rails c", "the Rails console"),
        ("redis-cli", "redis-cli"),
        ("kibana", "Kibana Dev Tools"),
        ("dev tools", "the Dev Tools console"),
        ("mongosh", "mongosh"),
        ("mongo shell", "the mongo shell"),
        ("cqlsh", "cqlsh"),
        ("irb", "irb"),
        ("python shell", "a Python shell"),
        ("python console", "a Python shell"),
        ("powershell", "PowerShell"),
        ("sql console", "a SQL console"),
        ("query editor", "a query editor"),
    ];
    PROGRAMS
        .iter()
        .find(|(name, _)| {
            t.match_indices(name).any(|(at, _)| {
                let before = t[..at].chars().next_back();
                let after = t[at + name.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        })
        .map(|(_, program)| format!("to type in {program}, as the page says before it"))
}

#[cfg(test)]
mod tests {
    use super::named_program;

    /// Audit 14k K3: an untagged block after "In psql:" is typed there.
    #[test]
    fn prose_that_names_another_program_makes_a_block_typed_there() {
        for (text, program) in [
            ("In psql:", "psql"),
            ("Check it first. In the Rails console:", "the Rails console"),
            ("In redis-cli:", "redis-cli"),
            ("Open Kibana Dev Tools and run:", "Kibana Dev Tools"),
        ] {
            assert!(
                named_program(text).is_some_and(|p| p.contains(program)),
                "{text}: {:?}",
                named_program(text)
            );
        }
        for text in [
            "Restart it:",
            "In a shell on the node, where psql runs:",
            "Run psql's backup script from bash:",
            "In psql, the query below is slow.",
        ] {
            assert_eq!(named_program(text), None, "{text}");
        }
    }
}
