//! Where a value goes after the shell reads it as data: the variables it is assigned to.
//!
//! A value is data where it stands, but bash evaluates the *value* of a variable used in
//! arithmetic (`n={{ v }}; echo $(( n + 1 ))` runs `a[$(reboot)]`), and reads the value of a
//! variable given to `${!ref}` or `declare -n` as a name. [`assigned`] says which variables a
//! value at an offset is assigned to, so that the renderer can hold it to what those
//! variables accept.

use super::words::{Command, Word, commands};
use std::collections::BTreeSet;

/// The variables the value at `at` is assigned to: `NAME=…` (also after `declare`, `local`,
/// `export`, `readonly`), `read NAME… <<< …`, `mapfile NAME`, `printf -v NAME`,
/// `for NAME in …`, `${NAME:=…}`.
pub fn assigned(text: &str, at: usize) -> BTreeSet<String> {
    match commands(text, 0..text.len()) {
        Some(list) => assigned_in(text, &list, at),
        None => BTreeSet::new(),
    }
}

/// [`assigned`], for the commands of `text` already read.
pub fn assigned_in(text: &str, list: &[Command], at: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect(text, list, at, &mut out);
    out
}

/// The names given to `${!NAME}` and `declare -n`: their values are read as variable names.
pub fn indirect(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("${!") {
        let name: String = text[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

fn name_of(assignment: &str) -> Option<String> {
    let eq = assignment.find('=')?;
    let name = assignment[..eq].trim_end_matches('+');
    let name = name.split('[').next().unwrap_or(name);
    (crate::values::is_identifier(name)).then(|| name.to_string())
}

fn collect(text: &str, list: &[Command], at: usize, out: &mut BTreeSet<String>) {
    for cmd in list {
        let inside_body = cmd
            .heredocs
            .iter()
            .any(|h| h.body.contains(&at) || h.body.end == at);
        let Some(w) = cmd.words.iter().find(|w| w.span.contains(&at)) else {
            if inside_body {
                out.extend(readers_targets(&cmd.args()));
            }
            continue;
        };
        if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at)) {
            let raw = &text[e.span.clone()];
            if let Some(rest) = raw.strip_prefix("${") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let after = &rest[name.len()..];
                if after.starts_with(":=") || after.starts_with('=') {
                    out.insert(name);
                }
            }
            if let Some(inner) = &e.inner
                && let Some(inner_list) = commands(text, inner.clone())
            {
                collect(text, &inner_list, at, out);
            }
        }
        let args = cmd.args();
        if !w.redirect && is_assignment_word(w) {
            out.extend(name_of(&w.cooked));
        }
        if w.herestring || inside_body {
            out.extend(readers_targets(&args));
        }
        let Some(first) = args.iter().position(|a| !is_assignment_word(a)) else {
            continue;
        };
        let name = args[first].cooked.as_str();
        let index = args.iter().position(|a| a.span == w.span);
        match name {
            "declare" | "typeset" | "local" | "export" | "readonly"
                if index.is_some_and(|k| k > first) =>
            {
                out.extend(name_of(&w.cooked));
            }
            "printf" => {
                if let Some(v) = args.iter().position(|a| a.cooked == "-v") {
                    out.extend(args.get(v + 1).map(|a| a.cooked.clone()));
                }
            }
            "for" | "select" => {
                out.extend(args.get(first + 1).map(|a| a.cooked.clone()));
            }
            _ => {}
        }
    }
}

/// The variables that `read`, `mapfile` or `readarray` assign what they read.
fn readers_targets(args: &[&Word]) -> Vec<String> {
    let Some(first) = args.iter().position(|a| !is_assignment_word(a)) else {
        return Vec::new();
    };
    let command = args[first].cooked.as_str();
    // The options that take a value.
    let valued: &[&str] = match command {
        "read" => &["-a", "-d", "-i", "-n", "-N", "-p", "-t", "-u"],
        _ => &["-d", "-n", "-O", "-s", "-u", "-C", "-c"],
    };
    match command {
        "read" | "mapfile" | "readarray" => {
            let mut out = Vec::new();
            let mut k = first + 1;
            while let Some(a) = args.get(k) {
                let word = a.cooked.as_str();
                if word.starts_with('-') {
                    // Options that take a value: read -a NAME -d D -n N -p P -t T -u FD.
                    if word == "-a" {
                        out.extend(args.get(k + 1).map(|a| a.cooked.clone()));
                    }
                    if valued.contains(&word) {
                        k += 1;
                    }
                } else {
                    out.push(word.to_string());
                }
                k += 1;
            }
            out
        }
        _ => Vec::new(),
    }
}

fn is_assignment_word(w: &Word) -> bool {
    !w.redirect && name_of(&w.cooked).is_some() && !w.cooked.starts_with('=')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_x(script: &str) -> BTreeSet<String> {
        assigned(script, script.find('X').unwrap_or(0))
    }

    #[test]
    fn where_values_go() {
        for (script, name) in [
            ("n=X; echo $n", "n"),
            ("n=\"a X\"", "n"),
            ("local n=X", "n"),
            ("read -r n <<< \"X\"", "n"),
            ("read -r -a n <<< X", "n"),
            ("printf -v n %s X", "n"),
            ("for n in a X; do :; done", "n"),
            (": ${n:=X}", "n"),
            ("mapfile -t n <<< X", "n"),
            ("IFS= read -r n <<EOF\nX\nEOF", "n"),
            ("echo $(n=X)", "n"),
        ] {
            assert!(at_x(script).contains(name), "{script}: {:?}", at_x(script));
        }
        assert!(at_x("echo X").is_empty());
        assert_eq!(
            indirect("echo ${!ref} ${!x[@]}"),
            ["ref", "x"].map(String::from).into()
        );
    }
}
