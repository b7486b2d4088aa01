//! Arguments that name a file to read when they start with `@` (or `<`): curl's `-d @file`,
//! `-H @file`, `-F name=@file`, `--data-urlencode name@file`, HTTPie's `name=@file`. A
//! value starting such an argument has the program read a local file and send it (audit 22
//! OPT-C: `curl -d "{{ message }}"` with `@/etc/passwd` posts the password file).

use crate::shell::programs::{base, command_index, program_index};
use crate::shell::words::Command;
use std::collections::BTreeSet;

use super::types::SENTINEL;

/// What a value at `at` (or assigned to one of `targets`) may not hold where it starts such
/// an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileArgument {
    /// The characters it may not start with.
    pub first: &'static str,
    /// The characters it may not hold anywhere.
    pub anywhere: &'static str,
    /// The argument, and what those characters do there.
    pub what: &'static str,
}

impl FileArgument {
    /// Holds a plan's value to it: the characters it may not start with (`file_lead`), and
    /// those it may not hold anywhere (`code_end`, unless something else already ends it).
    pub(super) fn hold(
        self,
        file_lead: &mut Option<(String, String)>,
        code_end: &mut Option<(String, String)>,
    ) {
        if !self.first.is_empty() {
            *file_lead = Some((self.first.to_string(), self.what.to_string()));
        }
        if !self.anywhere.is_empty() && code_end.is_none() {
            *code_end = Some((self.anywhere.to_string(), self.what.to_string()));
        }
    }
}

pub(super) fn file_argument(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<FileArgument> {
    let found = |first, anywhere, what| {
        Some(FileArgument {
            first,
            anywhere,
            what,
        })
    };
    for cmd in list {
        let args = cmd.args();
        let first = command_index(&args);
        if first >= args.len() {
            continue;
        }
        let p = program_index(&args, first);
        let Some(program) = args.get(p).map(|w| base(&w.cooked)) else {
            continue;
        };
        let httpie = matches!(program, "http" | "https" | "xh" | "xhs");
        // `gh api -F body=@file` reads the file (`-f` takes the text as it is).
        let gh = program == "gh" && args.get(p + 1).is_some_and(|w| w.cooked == "api");
        if program != "curl" && !httpie && !gh {
            continue;
        }
        let mut k = p + 1;
        while k < args.len() {
            let a = args[k].cooked.as_str();
            if a == "--" && program == "curl" {
                break;
            }
            // (The option, and the word its argument is in with what comes before it there.)
            let (option, word, before) = if httpie {
                ("", k, "")
            } else if gh {
                match a {
                    "-F" | "--field" => {
                        k += 1;
                        ("-F", k, "")
                    }
                    _ => match a.strip_prefix("--field=").or_else(|| a.strip_prefix("-F")) {
                        Some(rest) if !rest.is_empty() => ("-F", k, &a[..a.len() - rest.len()]),
                        _ => {
                            k += 1;
                            continue;
                        }
                    },
                }
            } else if let Some(option) = CURL_OPTIONS.iter().find(|o| a == **o) {
                k += 1;
                (*option, k, "")
            } else if let Some(option) = a
                .strip_prefix('-')
                .filter(|f| {
                    !f.starts_with('-') && f.len() > 1 && f.chars().all(|c| c.is_ascii_alphabetic())
                })
                .and_then(|f| match f.chars().last() {
                    Some('d') => Some("-d"),
                    Some('H') => Some("-H"),
                    Some('F') => Some("-F"),
                    _ => None,
                })
            {
                // `-sd "{{ v }}"`: short flags together, the last one taking the argument.
                k += 1;
                (option, k, "")
            } else if let Some((option, rest)) = CURL_OPTIONS.iter().find_map(|o| {
                let rest = if o.starts_with("--") {
                    a.strip_prefix(o)?.strip_prefix('=')?
                } else {
                    a.strip_prefix(o)?
                };
                Some((*o, rest))
            }) {
                (option, k, &a[..a.len() - rest.len()])
            } else {
                k += 1;
                continue;
            };
            k += 1;
            let Some(w) = args.get(word) else { break };
            let cooked = w.cooked.as_str();
            // Where the value starts in the word: the placeholder, or a copy's expansion.
            // What comes before the value in the word, quotes removed.
            let prefix: String = match cooked.find(SENTINEL).filter(|_| w.span.contains(&at)) {
                Some(start) => cooked[..start].to_string(),
                None => {
                    let Some(copy) = w.expansions.iter().find(|e| {
                        e.inner.is_none()
                            && crate::shell::flow::referenced(&text[e.span.clone()])
                                .first()
                                .is_some_and(|n| targets.contains(n))
                    }) else {
                        continue;
                    };
                    text[w.span.start..copy.span.start]
                        .chars()
                        .filter(|c| !matches!(c, '"' | '\''))
                        .collect()
                }
            };
            let prefix = prefix.get(before.len()..).unwrap_or("");
            if httpie {
                // `msg=@file`, `data:=@file.json`: after the separator.
                if prefix.ends_with('=') && !prefix[..prefix.len() - 1].contains(['@', '=']) {
                    return found("@", "", HTTPIE);
                }
                continue;
            }
            if gh {
                // (`-F key=@file`, after the key.)
                if prefix.ends_with('=') && prefix.matches('=').count() == 1 {
                    return found("@", "", GH);
                }
                continue;
            }
            let form = matches!(option, "-F" | "--form");
            // (`-F "msg={{ v }}"`: the value is the field's content, after its name.)
            let content = form
                && prefix.ends_with('=')
                && prefix.matches('=').count() == 1
                && !prefix.contains([';', '@', '<']);
            match option {
                _ if content => return found("@<", ";\"", FORM),
                _ if !prefix.is_empty() => {}
                "--data-urlencode" => return found("", "@", URLENCODE),
                _ if form => return found("", "@<;\"", FORM),
                _ => return found("@", "", DATA),
            }
        }
    }
    None
}

/// curl's options whose argument names a file when it starts with `@` (`-F`: after
/// `name=`, also `<`; `--data-urlencode`: `@file` or `name@file`).
const CURL_OPTIONS: &[&str] = &[
    "--data-urlencode",
    "--data-binary",
    "--data-ascii",
    "--data",
    "--json",
    "--header",
    "--proxy-header",
    "--form",
    "--variable",
    "--url-query",
    "-d",
    "-H",
    "-F",
];

const DATA: &str = "it starts curl's data or header argument, where `@file` makes curl read a local file and send it (use `--data-raw` for data given as it is)";
const FORM: &str = "it stands in curl's form field, where `@file` or `<file` makes curl read a local file and send it and `;` adds attributes (use `--form-string name=…`, which takes the text as it is)";
const URLENCODE: &str = "it starts curl's `--data-urlencode` argument, where `@file` or `name@file` makes curl read a local file and send it (write `name=` before the value: `--data-urlencode \"text={{ … }}\"`)";
const GH: &str = "it starts the value of a `gh api -F` field, where `@file` makes gh read a local file and send it (use `-f key=…`, which takes the text as it is)";
const HTTPIE: &str = "it starts an HTTPie field's value, where `name=@file` embeds a local file (put the value after `name==` for a query, or pass it on standard input)";

#[cfg(test)]
mod tests {
    use super::super::types::Refusal;
    use crate::shell::nested::plan;

    fn refusal(script: &str, value: &str) -> Option<Refusal> {
        let at = script.find("{{ v }}").expect("a placeholder");
        plan(script, at..at + "{{ v }}".len())
            .ok()
            .and_then(|p| p.refusal(value, None))
    }

    #[test]
    fn a_value_starting_a_curl_data_argument_may_not_name_a_file() {
        for script in [
            "curl -s -X POST -d \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl --data=\"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -d\"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s -H \"{{ v }}\" http://127.0.0.1:9/hook",
            "M=\"{{ v }}\"; curl -s -d \"$M\" http://127.0.0.1:9/hook",
            "curl -s -F \"msg={{ v }}\" http://127.0.0.1:9/hook",
            "curl --data-urlencode \"{{ v }}\" http://127.0.0.1:9/hook",
            "http POST 127.0.0.1:9/hook msg=\"{{ v }}\"",
            "sudo curl -d \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s --data-ascii \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s -sd \"{{ v }}\" http://127.0.0.1:9/hook",
            "curl -s --url-query \"{{ v }}\" http://127.0.0.1:9/hook",
            "gh api repos/o/r/issues -F body=\"{{ v }}\"",
        ] {
            assert!(
                matches!(
                    refusal(script, "@/etc/passwd"),
                    Some(Refusal::ReadsFile('@') | Refusal::EndsCode('@'))
                ),
                "{script}"
            );
            assert_eq!(
                refusal(script, "disk full on web-1 (ticket #42)"),
                None,
                "{script}"
            );
        }
        // A form field's `;type=` and `<file`; `name@file` in `--data-urlencode`.
        assert!(refusal("curl -F \"msg={{ v }}\" u", "<hosts").is_some());
        assert!(refusal("curl -F \"msg={{ v }}\" u", "hi;headers=@f").is_some());
        assert!(refusal("curl --data-urlencode \"{{ v }}\" u", "x@/etc/passwd").is_some());
    }

    #[test]
    fn a_value_after_text_of_its_own_or_in_raw_data_is_data() {
        for script in [
            "curl --data-raw \"{{ v }}\" u",
            "curl -d \"text={{ v }}\" u",
            "curl --data-urlencode \"text={{ v }}\" u",
            "curl --form-string \"msg={{ v }}\" u",
            "curl -H \"X-Note: {{ v }}\" u",
            "http POST u msg==\"{{ v }}\"",
            "echo -d \"{{ v }}\"",
        ] {
            assert_eq!(refusal(script, "@/etc/passwd"), None, "{script}");
        }
    }
}
