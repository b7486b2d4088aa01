//! A value that only selects what a command substitution prints (audit 41 A41-5):
//! `NODE=$(kubectl get pod "{{ v }}" -o jsonpath=…)`, `IP=$(dig +short "{{ v }}")`. The
//! variable gets other data (a node name, an address) that the value only picked, not the
//! value changed: it is of unknown origin, which the floor (`shell::unseen`) checks when the
//! step runs, rather than a value whose change cannot be checked.

use super::files::innermost_program;
use super::options::REPARSERS;
use crate::shell::programs::{SHELLS, base};
use crate::shell::words::{Command, commands};

/// Programs that print their arguments, or text made from them (cut, decoded, replaced):
/// a value given to them comes back changed.
const CHANGES_ITS_ARGUMENTS: &[&str] = &[
    "echo",
    "printf",
    "print",
    "tr",
    "sed",
    "gsed",
    "cut",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "perl",
    "ruby",
    "node",
    "nodejs",
    "php",
    "lua",
    "jq",
    "yq",
    "xargs",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "rev",
    "expr",
    "base64",
    "base32",
    "basenc",
    "xxd",
    "od",
    "hexdump",
    "iconv",
    "envsubst",
    "tee",
    "shuf",
    "getopt",
    "yes",
    "column",
    "fold",
    "fmt",
    "paste",
    "tac",
    "cat",
    "head",
    "tail",
    "printenv",
    "urlencode",
    "urldecode",
    "systemd-escape",
    "numfmt",
];

/// Whether the value at `at` of `text` is an argument of a command, inside a command
/// substitution, whose output is other data the value only selected: a program that
/// neither prints its arguments back changed ([`CHANGES_ITS_ARGUMENTS`]) nor parses them
/// again, nor a function of the script.
pub(super) fn selects_other_data(text: &str, list: &[Command], at: usize) -> bool {
    holder(text, list, at, false, 0)
}

fn holder(text: &str, list: &[Command], at: usize, inside: bool, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    for cmd in list {
        let Some(w) = cmd.words.iter().find(|w| w.span.contains(&at)) else {
            continue;
        };
        if let Some(inner) = w
            .expansions
            .iter()
            .find(|e| e.span.contains(&at))
            .and_then(|e| e.inner.clone().filter(|_| !e.process))
        {
            return commands(text, inner).is_some_and(|l| holder(text, &l, at, true, depth + 1));
        }
        if !inside || w.herestring || w.redirect {
            return false;
        }
        let args = cmd.args();
        let Some(k) = args.iter().position(|a| a.span == w.span) else {
            return false;
        };
        let Some(p) = innermost_program(&args) else {
            return false;
        };
        let program = args[p];
        let name = base(&program.cooked);
        // (`cat "/srv/ips/{{ v }}.ip"` reads a file the value names; a file given as `-`
        // or none at all would be the value itself, which the word rules out.)
        let reads_named_file = name == "cat" && !w.cooked.starts_with('-');
        return k > p
            && program.expansions.is_empty()
            && !program.quoted
            && (reads_named_file || !CHANGES_ITS_ARGUMENTS.contains(&name))
            && !name.starts_with("python")
            && !SHELLS.contains(&name)
            // (`kubectl get`, `docker inspect`: what `kubectl exec … -- sh -c` runs is
            // the innermost program, a shell.)
            && (!REPARSERS.contains(&name)
                || matches!(name, "kubectl" | "oc" | "docker" | "podman"))
            && !crate::shell::flow::functions(text).contains(name);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::selects_other_data;
    use crate::shell::words::commands;

    fn selects(script: &str) -> bool {
        let at = script.find('X').expect("a value");
        let list = commands(script, 0..script.len()).expect("a script");
        selects_other_data(script, &list, at)
    }

    #[test]
    fn a_lookup_by_the_value_prints_other_data() {
        for script in [
            "NODE=$(kubectl get pod \"X\" -o jsonpath=\"{.spec.nodeName}\")",
            "H=$(dig +short \"X\")",
            "H=$(getent hosts \"X\" | cut -d' ' -f1)",
            "H=$(cat \"/srv/ips/X.ip\")",
            "H=$(sudo consul catalog nodes -service=\"X\" | tail -1)",
            "local h=$(grep \"X\" /etc/hosts | cut -f1)",
        ] {
            assert!(selects(script), "{script}");
        }
        for script in [
            "H=$(echo \"X\" | tr , ' ')",
            "H=$(printf '%s' \"X\")",
            "H=$(sed 's/a/b/' <<< \"X\")",
            "H=$(basename \"X\")",
            "H=$(ssh h \"cat X\")",
            "H=$(f \"X\")\nf() { echo \"$1\"; }",
            "kubectl get pod \"X\"",
            "H=$(cat <<EOF\nX\nEOF\n)",
        ] {
            assert!(!selects(script), "{script}");
        }
    }
}
