//! Where a value goes after the shell reads it as data: the variables it is assigned to.
//!
//! A value is data where it stands, but bash evaluates the *value* of a variable used in
//! arithmetic (`n={{ v }}; echo $(( n + 1 ))` runs `a[$(reboot)]`), and reads the value of a
//! variable given to `${!ref}` or `declare -n` as a name. [`assigned_in`] says which variables a
//! value at an offset is assigned to, so that the renderer can hold it to what those
//! variables accept.

pub use super::functions::{function_span, functions};
use super::words::{Command, Word, commands};
use std::collections::BTreeSet;

/// The variables the value at `at` is assigned to: `NAME=…` (also after `declare`, `local`,
/// `export`, `readonly`), `read NAME… <<< …`, `mapfile NAME`, `printf -v NAME`,
/// `for NAME in …`, `${NAME:=…}`.
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
        // `${!a[@]}` lists keys and `${!prefix*}` names: no indirection there.
        let after = text[i + 3 + name.len()..].chars().next();
        if !name.is_empty() && !matches!(after, Some('[' | '*' | '@')) {
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
                if cmd.args().first().is_some_and(|a| a.cooked == "done") {
                    for other in list {
                        out.extend(readers_targets(&other.args()));
                    }
                }
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
        // (`pids=$(pgrep -f "{{ v }}")`: only numbers reach the variable.)
        let numbers = w.expansions.iter().any(|e| {
            e.span.contains(&at)
                && e.inner.as_ref().is_some_and(|inner| {
                    super::programs::substitution_prints_only_numbers(text, inner.clone())
                })
        });
        if !w.redirect && is_assignment_word(w) && !numbers {
            out.extend(name_of(&w.cooked));
        }
        // `mapfile -t a < <(printf … "{{ v }}")`: the command reads what the substitution
        // prints, as from a here-string.
        let read_from = w.redirect
            && w.expansions
                .iter()
                .any(|e| e.process && e.span.contains(&at));
        if w.herestring || inside_body || read_from {
            out.extend(readers_targets(&args));
            if args.first().is_some_and(|a| a.cooked == "done") {
                // `while read -r n; do …; done <<< …`: every `read` of the loop reads it.
                for other in list {
                    out.extend(readers_targets(&other.args()));
                }
            }
        }
        // The command after keywords (`then for s in …`, `{ read -r x; }`) and assignments.
        let Some(first) = args.iter().position(|a| {
            let keyword = !a.quoted
                && super::programs::KEYWORDS.contains(&a.cooked.as_str())
                && a.cooked != "for";
            !is_assignment_word(a) && !keyword
        }) else {
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
                    // `printf -v 'a[k]'` assigns an element of `a`.
                    out.extend(args.get(v + 1).map(|a| variable_of(&a.cooked)));
                }
            }
            "for" | "select" => {
                out.extend(args.get(first + 1).map(|a| a.cooked.clone()));
            }
            // `[[ "{{ v }}" =~ (.*) ]]`: the match and its groups are in `BASH_REMATCH`.
            "[[" if args.iter().any(|a| !a.quoted && a.cooked == "=~")
                && refers(text, "BASH_REMATCH") =>
            {
                out.insert("BASH_REMATCH".into());
            }
            // `cd "/srv/{{ v }}"`: the folder's path is `$PWD` from then on.
            "cd" | "pushd" => {
                for name in ["PWD", "OLDPWD", "DIRSTACK"] {
                    if refers(text, name) {
                        out.insert(name.into());
                    }
                }
            }
            _ => {}
        }
        // `$_` is the last word of the command before.
        if index.is_some_and(|k| k > first) && !w.redirect && refers(text, "_") {
            out.insert("_".into());
        }
    }
}

/// Whether `raw` expands the variable `name` (`$name`, `${name…}`).
pub fn refers(raw: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    raw.match_indices('$').any(|(i, _)| {
        let rest = &raw[i + 1..];
        let rest = rest
            .strip_prefix('{')
            .map_or(rest, |r| r.trim_start_matches(['!', '#']));
        rest.strip_prefix(name)
            .is_some_and(|after| !after.starts_with(ident))
    })
}

/// The variables that `read`, `mapfile` or `readarray` assign what they read.
fn readers_targets(args: &[&Word]) -> Vec<String> {
    let Some(first) = args.iter().position(|a| {
        !is_assignment_word(a)
            && !matches!(
                a.cooked.as_str(),
                "while" | "until" | "if" | "!" | "do" | "then" | "{" | "elif" | "else"
            )
    }) else {
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
            // Given no name, they fill `REPLY` and `MAPFILE`.
            let mut out = Vec::new();
            let mut k = first + 1;
            while let Some(a) = args.get(k) {
                let word = a.cooked.as_str();
                if word.starts_with('-') {
                    // Options that take a value: read -a NAME -d D -n N -p P -t T -u FD.
                    if word == "-a" {
                        out.extend(args.get(k + 1).map(|a| variable_of(&a.cooked)));
                    }
                    if valued.contains(&word) {
                        k += 1;
                    }
                } else {
                    // `read 'a[0]'` assigns an element of `a`.
                    out.push(variable_of(word));
                }
                k += 1;
            }
            if out.is_empty() {
                out.push(
                    if command == "read" {
                        "REPLY"
                    } else {
                        "MAPFILE"
                    }
                    .to_string(),
                );
            }
            out
        }
        _ => Vec::new(),
    }
}

/// The variable a name word assigns: `a` for `a[0]` or `a[k]`.
fn variable_of(word: &str) -> String {
    word.split('[').next().unwrap_or(word).to_string()
}

fn is_assignment_word(w: &Word) -> bool {
    !w.redirect && name_of(&w.cooked).is_some() && !w.cooked.starts_with('=')
}

/// Every name whose value the shell may evaluate as arithmetic anywhere in the script, in any
/// quoting (a single-quoted string may be run by `eval` or `bash -c`): the names in `$(( ))`,
/// `(( ))`, `$[ ]`, `let`, subscripts of `[ -v 'a[…]' ]`, and those that
/// [`super::context::arithmetic_names`] finds; then, round after round, the variables
/// assigned into one of them (`m=$n` makes `n` one). Positional parameters appear as `1`…`9`,
/// `@`, `*`.
pub fn arithmetic_anywhere(text: &str) -> BTreeSet<String> {
    let mut names = super::context::arithmetic_names(text);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !text.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let (open, close, skip) = if rest.starts_with("$((") {
            (b'(', b')', 3)
        } else if rest.starts_with("((") {
            (b'(', b')', 2)
        } else if rest.starts_with("$[") {
            (b'[', b']', 2)
        } else if rest.starts_with("let ") && (i == 0 || !is_name_byte(bytes[i - 1])) {
            let end = rest
                .find(['\n', ';', '|', '&'])
                .map_or(text.len(), |n| i + n);
            names.extend(identifiers(&text[i + 4..end]));
            i = end;
            continue;
        } else if let Some(word) = rest.strip_prefix("-v ") {
            let word_end = word
                .find(|c: char| c.is_whitespace())
                .map_or(text.len(), |n| i + 3 + n);
            if let Some(open) = text[i + 3..word_end].find('[') {
                names.extend(identifiers(&text[i + 3 + open..word_end]));
            }
            i = word_end;
            continue;
        } else {
            i += 1;
            continue;
        };
        let mut depth = 0usize;
        let mut j = i + skip;
        while j < bytes.len() {
            if bytes[j] == open {
                depth += 1;
            } else if bytes[j] == close {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            j += 1;
        }
        names.extend(identifiers(&text[i + skip..j.min(text.len())]));
        i = j + 1;
    }
    // The subscript of an indexed array, quoted or not (`seen["$host"]=1`,
    // `${#a["$i"]}`): bash evaluates it as arithmetic. Not an associative array's key.
    names.extend(subscript_names(text));
    // bash evaluates what is assigned to these as arithmetic (`RANDOM="$x"` seeds the
    // generator with the expression's value), wherever the assignment stands.
    for special in ["RANDOM", "OPTIND", "HISTCMD"] {
        if text.contains(special) {
            names.insert(special.to_string());
        }
    }
    // Values assigned into those names are evaluated too.
    with_sources(text, &mut names);
    names
}

/// The names read in the subscripts of arrays that the script does not declare
/// associative (`declare -A`, `local -A`, `typeset -A`).
fn subscript_names(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    // Declared associative before the use, outside any function (the stricter reading).
    let associative = super::context::associative_declarations(bytes);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'[' && i > 0 && is_name_byte(bytes[i - 1]) {
            let mut start = i;
            while start > 0 && is_name_byte(bytes[start - 1]) {
                start -= 1;
            }
            let name = &text[start..i];
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != b'\n' {
                if bytes[j] == b'[' {
                    depth += 1;
                } else if bytes[j] == b']' {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                j += 1;
            }
            // `ENVIRON["NAME"]` is awk's (in its program), never a bash array of a script.
            if bytes.get(j) == Some(&b']')
                && name != "ENVIRON"
                && !associative
                    .iter()
                    .any(|d| d.name == name.as_bytes() && d.holds_at(start))
                && name.bytes().next().is_some_and(|b| !b.is_ascii_digit())
                && text.is_char_boundary(i + 1)
                && text.is_char_boundary(j)
            {
                out.extend(identifiers(&text[i + 1..j]));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

pub(crate) fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The names (and positional parameters) an arithmetic text reads, with or without `$`.
fn identifiers(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'$'
            && bytes
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'@' || *c == b'*')
        {
            out.push((bytes[i + 1] as char).to_string());
            i += 2;
        } else if (b.is_ascii_alphabetic() || b == b'_') && (i == 0 || !is_name_byte(bytes[i - 1]))
        {
            let start = i;
            while i < bytes.len() && is_name_byte(bytes[i]) {
                i += 1;
            }
            out.push(text[start..i].to_string());
        } else {
            i += 1;
        }
    }
    out
}

/// The names a text expands: `$NAME`, `${NAME…}`, `$1`, `$@`.
pub fn referenced(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let mut j = i + 1;
            if bytes.get(j) == Some(&b'{') {
                j += 1;
                // `${!#}`: the last positional parameter.
                if bytes.get(j..j + 2) == Some(b"!#") {
                    out.push("@".to_string());
                    i = j + 2;
                    continue;
                }
            }
            if bytes
                .get(j)
                .is_some_and(|c| c.is_ascii_digit() || *c == b'@' || *c == b'*')
            {
                out.push((bytes[j] as char).to_string());
            } else {
                let start = j;
                while j < bytes.len() && is_name_byte(bytes[j]) {
                    j += 1;
                }
                if j > start {
                    out.push(text[start..j].to_string());
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Every `NAME=VALUE` word of the script (at any depth of `$( )`, raw text of the value),
/// and the other ways a variable is given text: `for NAME in WORDS` (the words), `for NAME;`
/// (the positional parameters), `read … NAME <<< WORD` and `while read NAME; … done <<< WORD`
/// (the here-string), `NAME=(…)` (the elements). The flag says the value is split into
/// words on the way (`for NAME in $LIST`: each word in turn, never the whole).
pub(super) fn assignments(text: &str) -> Vec<(String, String, bool)> {
    let mut out = loops_and_reads(text);
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if (bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')
            && (i == 0
                || !(is_name_byte(bytes[i - 1]) || bytes[i - 1] == b'$' || bytes[i - 1] == b'{'))
        {
            let start = i;
            while i < bytes.len() && is_name_byte(bytes[i]) {
                i += 1;
            }
            let name_end = i;
            // `cfg[svc]="$a"`, `arr[0]=$a`: an element is the array's.
            if bytes.get(i) == Some(&b'[')
                && let Some(close) = text[i..]
                    .find(']')
                    .filter(|n| !text[i..i + n].contains('\n'))
            {
                i += close + 1;
            }
            if bytes.get(i) == Some(&b'=') && bytes.get(i + 1) != Some(&b'=') {
                let end = word_end(text, i + 1);
                out.push((
                    text[start..name_end].to_string(),
                    text[i + 1..end].to_string(),
                    false,
                ));
                i = end.max(i + 1);
            }
        } else {
            i += 1;
        }
    }
    calls(text, &mut out);
    out
}

/// Where the shell word that starts at `from` ends: at a blank, `;`, `|`, `&`, `)` or a new
/// line outside quotes, `$( )`, `${ }` and backquotes (`y=$(echo "$x" | tr a b)` is one
/// word, `y="a $(printf "%s" "$x")"` too).
pub(crate) fn word_end(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let (mut single, mut double, mut back) = (false, false, false);
    let mut k = from;
    while k < bytes.len() {
        let b = bytes[k];
        if single {
            single = b != b'\'';
        } else if b == b'\\' {
            k += 1;
        } else if b == b'`' {
            back = !back;
        } else if b == b'$' && matches!(bytes.get(k + 1), Some(b'(' | b'{')) {
            depth += 1;
            k += 1;
        } else if depth > 0 && matches!(b, b')' | b'}') {
            depth -= 1;
        } else if b == b'"' {
            double = !double;
        } else if b == b'\'' && !double {
            single = true;
        } else if depth == 0
            && !double
            && !back
            && matches!(b, b'\n' | b';' | b' ' | b'\t' | b'|' | b'&' | b')')
        {
            return k;
        }
        k += 1;
    }
    bytes.len()
}

/// `restart "$svc"` with `restart() { ssh h "… $1"; }`: the arguments of a call of one of
/// the script's functions become its positional parameters (`$1`, `$@`, `$*`). (The
/// parameters of all functions are one set, and an argument may become any of them after
/// a `shift`: what reaches any may reach all.)
fn calls(text: &str, out: &mut Vec<(String, String, bool)>) {
    let defines = text.contains("()") || text.contains("function ");
    let shells = text.contains("-c");
    if !defines && !shells {
        return;
    }
    let functions = if defines {
        functions(text)
    } else {
        BTreeSet::new()
    };
    let Some(list) = commands(text, 0..text.len()) else {
        return;
    };
    let mut found = Vec::new();
    for cmd in &list {
        let args = cmd.args();
        let i = super::programs::command_index(&args);
        let Some(name) = args.get(i) else {
            continue;
        };
        // `bash -c 'rs "$1"' _ "$svc"` (behind wrappers too): the words after the script.
        // (Also a container's, `kubectl exec POD -- sh -c '…' _ "$S"`, and `find … -exec
        // sh -c '…' _ "$S" \;`: audit 20.)
        let p = super::programs::program_index(&args, i);
        let p = super::programs::container_command(&args, p)
            .map(|c| super::programs::program_index(&args, c))
            .or_else(|| {
                (super::programs::base(&args.get(p)?.cooked) == "find")
                    .then(|| {
                        args.iter()
                            .position(|w| matches!(w.cooked.as_str(), "-exec" | "-execdir" | "-ok"))
                            .map(|e| e + 1)
                    })
                    .flatten()
            })
            .unwrap_or(p);
        let script = args
            .get(p)
            .filter(|w| super::programs::SHELLS.contains(&super::programs::base(&w.cooked)))
            .and_then(|_| {
                (p + 1..args.len()).find(|&k| {
                    let a = args[k].cooked.as_str();
                    a.starts_with('-') && !a.starts_with("--") && a.contains('c')
                })
            });
        let first = match script {
            Some(flag) => flag + 2,
            None if functions.contains(name.cooked.as_str())
                || named_function(text, name, out, &functions).is_some() =>
            {
                i + 1
            }
            None => continue,
        };
        for w in args.iter().skip(first) {
            let Some(raw) = text.get(w.span.clone()) else {
                continue;
            };
            if !raw.contains('$') {
                continue;
            }
            // Any parameter: `shift`, `set --` and option loops move them. (Unquoted,
            // `restart $S`, the value is split into several.)
            let split = unquoted_expansion(raw);
            // (`bash -c 'eval "$0"' "$S"`: the first word after a shell's script is its
            // `$0`; audit 20 HOLE-8.)
            for p in ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "@", "*"] {
                found.push((p.to_string(), raw.to_string(), split));
            }
        }
    }
    out.extend(found);
}

/// `fn=restart; "$fn" "$svc"`, `for f in restart; do $f "$svc"; done`: the function of the
/// script that a command named by a variable may be, given the script's `assignments`.
fn named_function(
    text: &str,
    name: &Word,
    assignments: &[(String, String, bool)],
    functions: &BTreeSet<String>,
) -> Option<String> {
    let vars: Vec<String> = name
        .expansions
        .iter()
        .flat_map(|e| referenced(&text[e.span.clone()]))
        .collect();
    if vars.is_empty() {
        return None;
    }
    assignments
        .iter()
        .filter(|(n, _, _)| vars.contains(n))
        .flat_map(|(_, value, _)| value.split(|c: char| c.is_whitespace() || "'\"();".contains(c)))
        .find(|w| functions.contains(*w))
        .map(str::to_string)
}

/// Whether `name` is assigned by `mapfile`/`readarray`/`read`, a line (or an element) at a
/// time.
pub fn read_by_lines(text: &str, name: &str) -> bool {
    ["mapfile", "readarray", "read"].iter().any(|reader| {
        text.match_indices(reader).any(|(at, _)| {
            let rest = &text[at + reader.len()..];
            let end = rest.find(['\n', ';', '|', '&', '<']).unwrap_or(rest.len());
            rest[..end]
                .split_whitespace()
                .any(|w| w.trim_matches(|c| c == '"' || c == '\'') == name)
        })
    })
}

/// `for NAME in WORDS`: the name and the words as written.
const FOR_IN: &str = r"\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([^;\n]*)";

/// The `for NAME in WORDS` loops of the script: (NAME, WORDS as written).
pub fn for_loops(text: &str) -> Vec<(String, String)> {
    static FOR: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    if !text.contains("for") {
        return Vec::new();
    }
    FOR.get_or_init(|| regex::Regex::new(FOR_IN).ok())
        .as_ref()
        .map(|re| {
            re.captures_iter(text)
                .filter_map(|c| {
                    Some((
                        c.get(1)?.as_str().to_string(),
                        c.get(2)?.as_str().to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `for NAME in WORDS`, `for NAME;`, `read … NAME <<< WORD`, `while read NAME …; done <<< WORD`.
fn loops_and_reads(text: &str) -> Vec<(String, String, bool)> {
    static PATTERNS: std::sync::OnceLock<Vec<regex::Regex>> = std::sync::OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            FOR_IN,
            r"\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s*(;|\n|\s+do\b)",
            r"\b(?:read|mapfile|readarray)\b[^\n;|&]*?\s([A-Za-z_][A-Za-z0-9_]*)\s*<<<\s*(\S+)",
            r"\bread\b[^;\n]*?\s([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*do\b[\s\S]*?\bdone\s*<<<\s*(\S+)",
            // `while read -r h; do …; done < <(echo "$hosts")`, `read -r h < <(…)`: what the
            // process substitution prints, a line at a time.
            r"\b(?:read|mapfile|readarray)\b[^;\n]*?\s([A-Za-z_][A-Za-z0-9_]*)\s*(?:;?\s*do\b[\s\S]*?\bdone)?\s*<\s*<\(([^)]*)\)",
            r"\b([A-Za-z_][A-Za-z0-9_]*)\+?=\(([^)]*)\)",
            // `declare -n r=v`: `r` and `v` are one variable.
            r"\b(?:declare|local|typeset)\s+(?:-[A-Za-z]+\s+)*-[A-Za-z]*n[A-Za-z]*\s+(?:-[A-Za-z]+\s+)*([A-Za-z_][A-Za-z0-9_]*)=([A-Za-z_][A-Za-z0-9_]*)",
            // `printf -v c '%s' "$1"`: what printf prints from its arguments goes to `c`.
            r#"\bprintf\s+(?:-[A-Za-z]+\s+)*-v\s*["']?([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]\n]*\])?["']?\s+([^;\n|&]*)"#,
        ]
        .iter()
        .filter_map(|p| regex::Regex::new(p).ok())
        .collect()
    });
    let mut out = Vec::new();
    piped_reads(text, 0..text.len(), &mut out, 0);
    // `set -- $x`: the positional parameters, split when unquoted.
    if text.contains("set -") {
        static SET: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
        if let Some(re) = SET
            .get_or_init(|| regex::Regex::new(r"\bset\s+--?\s+([^;\n|&]*)").ok())
            .as_ref()
        {
            for c in re.captures_iter(text) {
                let value = c.get(1).map_or("", |m| m.as_str());
                for p in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "@", "*"] {
                    out.push((p.to_string(), value.to_string(), unquoted_expansion(value)));
                }
            }
        }
    }
    // `read -r -d '' cmd <<EOF … $svc … EOF`: a document read into a variable.
    if text.contains("<<") {
        heredoc_reads(text, &mut out);
    }
    // `getopts` puts the words of the positional parameters in `OPTARG`.
    if text.contains("getopts") {
        out.push(("OPTARG".to_string(), "$@".to_string(), false));
    }
    // (Each pattern needs one of these: a cheap look first. The implicit variables below
    // are looked for either way.)
    let explicit =
        text.contains("for") || text.contains("read") || text.contains("=(") || text.contains(" -");
    for (n, re) in patterns.iter().enumerate().filter(|_| explicit) {
        for c in re.captures_iter(text) {
            let (Some(name), Some(value)) = (c.get(1), c.get(2)) else {
                continue;
            };
            // `for NAME;`: the positional parameters.
            let value = if n == 1 { "$@" } else { value.as_str() };
            if n == 6 {
                out.push((value.to_string(), format!("${}", name.as_str()), false));
                out.push((name.as_str().to_string(), format!("${value}"), false));
                continue;
            }
            // `for s in $LIST`: each word of the list in turn (`"$LIST"` stays whole);
            // `read -a NAME <<< …` and `read A B <<< …` split what they read into words; so
            // does `hosts=($x)`, unquoted.
            let split = (n == 0 && !value.trim_start().starts_with('"'))
                || (2..=4).contains(&n)
                || (n == 5 && unquoted_expansion(value));
            out.push((name.as_str().to_string(), value.to_string(), split));
        }
    }
    // The variables bash fills by itself: `read <<< …` → `REPLY`, `mapfile <<< …` →
    // `MAPFILE`, `[[ … =~ … ]]` → `BASH_REMATCH`.
    static IMPLICIT: std::sync::OnceLock<Vec<(&str, regex::Regex)>> = std::sync::OnceLock::new();
    let implicit = IMPLICIT.get_or_init(|| {
        [
            (
                "REPLY",
                r"\bread\b(?:\s+-[A-Za-z]*[dinNptu]\s+\S+|\s+-[A-Za-z]+)*\s*<<<\s*(\S+)",
            ),
            (
                "MAPFILE",
                r"\b(?:mapfile|readarray)\b(?:\s+-[A-Za-z]*[dnOsuCc]\s+\S+|\s+-[A-Za-z]+)*\s*<<<\s*(\S+)",
            ),
            ("BASH_REMATCH", r"\[\[\s*(\S+)\s*=~"),
            ("BASH_REMATCH", r"=~\s*(\S+)"),
        ]
        .into_iter()
        .filter_map(|(name, p)| Some((name, regex::Regex::new(p).ok()?)))
        .collect()
    });
    for (name, re) in implicit
        .iter()
        .filter(|_| text.contains("<<<") || text.contains("=~"))
    {
        for c in re.captures_iter(text) {
            if let Some(value) = c.get(1) {
                out.push((
                    name.to_string(),
                    value.as_str().to_string(),
                    *name == "MAPFILE",
                ));
            }
        }
    }
    out
}

/// Whether a text expands something outside double quotes (`($x)`, `-- $@`): split into
/// words there.
fn unquoted_expansion(value: &str) -> bool {
    let mut double = false;
    let mut single = false;
    for (k, b) in value.bytes().enumerate() {
        match b {
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'$' if !single && !double && value.len() > k + 1 => return true,
            _ => {}
        }
    }
    false
}

/// `read -r -d '' cmd <<EOF` (a document not quoted, whose expansions are the variable's
/// value): (the names read, the document).
fn heredoc_reads(text: &str, out: &mut Vec<(String, String, bool)>) {
    let Some(list) = commands(text, 0..text.len()) else {
        return;
    };
    for cmd in list.iter().filter(|c| c.heredocs.iter().any(|h| !h.quoted)) {
        let targets = readers_targets(&cmd.args());
        for h in cmd.heredocs.iter().filter(|h| !h.quoted) {
            let Some(body) = text.get(h.body.clone()) else {
                continue;
            };
            for t in &targets {
                out.push((t.clone(), body.to_string(), false));
            }
        }
    }
}

/// `echo "$x" | tr a b | while read -r l; …`: what a pipe's earlier commands print may
/// reach the variables a `read` further down assigns.
fn piped_reads(
    text: &str,
    range: std::ops::Range<usize>,
    out: &mut Vec<(String, String, bool)>,
    depth: usize,
) {
    if depth > 8 || !text[range.clone()].contains('|') && !text[range.clone()].contains("$(") {
        return;
    }
    let Some(list) = commands(text, range) else {
        return;
    };
    let mut start = 0;
    for (n, cmd) in list.iter().enumerate() {
        for w in &cmd.words {
            for e in &w.expansions {
                if let Some(inner) = &e.inner {
                    piped_reads(text, inner.clone(), out, depth + 1);
                }
            }
        }
        if n > start {
            let targets = readers_targets(&cmd.args());
            if !targets.is_empty() {
                let printed: String = list[start..n]
                    .iter()
                    .flat_map(|c| c.words.iter())
                    .map(|w| &text[w.span.clone()])
                    .collect::<Vec<_>>()
                    .join(" ");
                // Line by line: each line is a value of its own (`ssh -n "$h"` for each).
                for t in targets {
                    out.push((t, printed.clone(), true));
                }
            }
        }
        if !cmd.piped {
            start = n + 1;
        }
    }
}

/// A value without its command substitutions: what `pid=$(ssh "$h" pgrep …)` prints is not
/// `$h` (and what `svc=$(echo "$x")` or a decoder prints of a value is the floor's,
/// [`super::unseen`], which takes any such variable as set otherwise).
fn without_substitutions(value: &str) -> String {
    replace_substitutions(value, |_| Some(String::new()))
}

/// `text` with each command substitution `$( … )` replaced by what `by` makes of its inside
/// (kept as it is where `by` gives `None`).
pub(crate) fn replace_substitutions(text: &str, by: impl Fn(&str) -> Option<String>) -> String {
    if !text.contains("$(") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut k = 0;
    let b = text.as_bytes();
    while k + 1 < b.len() {
        if b[k] == b'$' && b[k + 1] == b'(' && b.get(k + 2) != Some(&b'(') {
            let Some(end) = substitution_end(text, k + 2) else {
                break;
            };
            if let Some(replacement) = by(&text[k + 2..end]) {
                out.push_str(&text[at..k]);
                out.push_str(&replacement);
                at = end + 1;
            }
            k = end + 1;
            continue;
        }
        k += 1;
    }
    out.push_str(&text[at..]);
    out
}

/// The `)` that closes a `$(` whose text starts at `from`: outside quotes, and counting the
/// parentheses it holds.
pub(crate) fn substitution_end(text: &str, from: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let (mut single, mut double) = (false, false);
    let mut k = from;
    while k < b.len() {
        let c = b[k];
        if single {
            single = c != b'\'';
        } else if c == b'\\' {
            k += 1;
        } else if c == b'"' {
            double = !double;
        } else if c == b'\'' && !double {
            single = true;
        } else if !double && c == b'(' {
            depth += 1;
        } else if !double && c == b')' {
            if depth == 0 {
                return Some(k);
            }
            depth -= 1;
        }
        k += 1;
    }
    None
}

/// Adds to `names`, round after round, the variables whose values are copied into one of
/// them (`y=$x`, `y="pre-$x"`, `local c=$1`): what reaches `y` may come from `x`.
pub fn with_sources(text: &str, names: &mut BTreeSet<String>) {
    let assignments = assignments(text);
    if assignments.is_empty() {
        return;
    }
    spread(&assignments, names, true);
}

/// Adds to `names` the sources of their values through `assignments`, round after round;
/// through the assignments that split a value into words too when `split`.
fn spread(assignments: &[(String, String, bool)], names: &mut BTreeSet<String>, split: bool) {
    loop {
        let before = names.len();
        for (name, value, splits) in assignments {
            if (split || !splits) && names.contains(name) {
                names.extend(referenced(&without_substitutions(value)));
            }
        }
        if names.len() == before {
            break;
        }
    }
}

/// The variables whose values reach `names`: whole (`y=$x`), or only word by word through a
/// `for NAME in $LIST` loop (`for h in $HOSTS; do ssh $h …`): (whole, split).
pub fn sources_by_splitting(
    text: &str,
    names: &BTreeSet<String>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let assignments = assignments(text);
    let mut whole = names.clone();
    spread(&assignments, &mut whole, false);
    let mut split = BTreeSet::new();
    for (name, value, splits) in &assignments {
        if *splits && whole.contains(name) {
            split.extend(referenced(&without_substitutions(value)));
        }
    }
    spread(&assignments, &mut split, true);
    // (A variable in both is held to plain words: the stricter.)
    (whole, split)
}

/// The variables the script expands changed (`${x//a/b}`, `${x#pre}`,
/// `${x^^}`, `${x,,}`, `${x:1}`, `${x@E}`): their values are not what a check of them saw.
pub fn transformed(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (name, after) in expansions_with_operators(text) {
        let changed = match after.chars().next() {
            // (Not `${x%suf}`/`${x%%suf}`: what is left is the start of the value, as plain
            // and as free of a leading `-` as the value itself was checked to be.)
            Some('/' | '^' | ',' | '~' | '#') => true,
            Some(':') => cuts_a_prefix(after),
            // `${x@Q}` quotes for a shell: not a change that matters; the others do.
            Some('@') => !after.starts_with("@Q}"),
            _ => false,
        };
        if changed {
            out.insert(name);
        }
    }
    out
}

/// Each `${name…}` of `text`: the name, and what follows it (`#v}…`, `:1}…`).
pub fn expansions_with_operators(text: &str) -> impl Iterator<Item = (String, &str)> {
    text.match_indices("${").filter_map(|(i, _)| {
        let rest = &text[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        (end > 0).then(|| (rest[..end].to_string(), &rest[end..]))
    })
}

/// Whether `${x:…}` (`after` starts at the `:`) is an offset past the start (`${x:1}`,
/// `${x: -2}`), not a default (`${x:-d}` and friends) nor a prefix (`${x:0:40}`, `${x::40}`,
/// `${x:0}`), which keeps the start of the value as a removed suffix does.
pub fn cuts_a_prefix(after: &str) -> bool {
    let r = &after[1..];
    !(matches!(r.chars().next(), Some('-' | '=' | '?' | '+'))
        || r.starts_with("0:")
        || r.starts_with(':')
        || r.starts_with("0}"))
}

/// The characters the script makes split words (`IFS=,`, `IFS=':'`, `IFS=$'\n,'`) besides
/// white space; every character but letters and digits when it sets IFS from a variable.
/// `None` when it never sets IFS.
pub fn ifs_chars(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut found = false;
    for (i, _) in text.match_indices("IFS=") {
        if i > 0 && is_name_byte(text.as_bytes()[i - 1]) {
            continue;
        }
        found = true;
        let rest = &text[i + 4..];
        let value = if let Some(r) = rest.strip_prefix("$'") {
            r.split('\'')
                .next()
                .unwrap_or_default()
                .replace("\\n", "")
                .replace("\\t", "")
        } else if let Some(r) = rest.strip_prefix('\'') {
            r.split('\'').next().unwrap_or_default().to_string()
        } else if let Some(r) = rest.strip_prefix('"') {
            r.split('"').next().unwrap_or_default().to_string()
        } else {
            rest.split(|c: char| c.is_whitespace() || c == ';')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        if value.contains('$') || value.contains('`') {
            // Set from a value: anything may split. (But `-`: a word split at it loses the
            // `-` that would start an option, so a check of the pieces would pass
            // `web-1,-oProxyCommand=…` that a split at `,` makes an option; audit 20
            // HOLE-7's `old=$IFS; IFS=,; …; IFS=$old`.)
            return Some("!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~".to_string());
        }
        out.extend(value.chars().filter(|c| !c.is_whitespace()));
    }
    found.then_some(out).filter(|s| !s.is_empty())
}

/// The variables given words split from a value (`read -a NAME <<< …`, `for NAME in $X`).
pub fn split_assigned(text: &str) -> BTreeSet<String> {
    loops_and_reads(text)
        .into_iter()
        .filter(|(_, _, split)| *split)
        .map(|(name, _, _)| name)
        .collect()
}

/// The variables assigned a changed value (`y=${x//,/ }`).
/// The variables whose values reach, changed by an assignment on the way (`s=$(echo "$x" |
/// tr a b)`, `s=${x//,/ }`), a place that `reaches` says must be checked: those names and
/// where their values come from.
pub fn changed_on_the_way(text: &str, reaches: &dyn Fn(&str) -> bool) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = assignment_transforms(text)
        .into_iter()
        .filter(|n| reaches(n))
        .collect();
    if !out.is_empty() {
        with_sources(text, &mut out);
    }
    out
}

pub fn assignment_transforms(text: &str) -> Vec<String> {
    if !text.contains("${") {
        return Vec::new();
    }
    // (A copy through a command substitution, `svc=$(echo "$x")`, is a copy: followed as
    // one, and what a decoder makes of plain words is the floor's, `shell::unseen`.)
    assignments(text)
        .into_iter()
        .filter(|(_, value, _)| !transformed(value).is_empty())
        .map(|(name, _, _)| name)
        .collect()
}

/// Whether the script assigns `name` the output of a command substitution (`T=$(head -1
/// list.txt)`, `local T=$(…)`).
pub fn assigned_from_substitution(text: &str, name: &str) -> bool {
    assignments(text)
        .iter()
        .any(|(n, value, _)| n == name && (value.contains("$(") || value.contains('`')))
}

/// Whether the value at `at` is assigned to a variable through a command substitution
/// (`h=$(echo "{{ v }}" | tr , ' ')`): what the variable gets is the command's output.
pub fn assigned_through_command(text: &str, list: &[Command], at: usize) -> bool {
    list.iter().any(|cmd| {
        cmd.words.iter().any(|w| {
            w.span.contains(&at)
                && is_assignment_word(w)
                && w.expansions
                    .iter()
                    .any(|e| e.inner.is_some() && e.span.contains(&at))
        })
    }) || {
        // `local h=$(…)`, `export h=$(…)`.
        list.iter().any(|cmd| {
            let args = cmd.args();
            args.first().is_some_and(|a| {
                matches!(
                    a.cooked.as_str(),
                    "local" | "export" | "declare" | "typeset" | "readonly"
                )
            }) && args.iter().skip(1).any(|w| {
                w.span.contains(&at)
                    && w.expansions
                        .iter()
                        .any(|e| e.inner.is_some() && e.span.contains(&at))
            })
        })
    } && !text.is_empty()
}

/// The text of a function's definition, from its name to the line that closes it.
pub fn function_body(text: &str, name: &str) -> String {
    function_span(text, name).map_or_else(String::new, |r| text[r].to_string())
}

/// The command name of the simple command holding `at` (at any depth of `$( )`).
pub fn command_at(text: &str, list: &[Command], at: usize) -> Option<String> {
    for cmd in list {
        let Some(w) = cmd.words.iter().find(|w| w.span.contains(&at)) else {
            continue;
        };
        if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at))
            && let Some(inner) = &e.inner
            && let Some(inner_list) = commands(text, inner.clone())
        {
            return command_at(text, &inner_list, at);
        }
        let args = cmd.args();
        let name = args.iter().find(|a| !is_assignment_word(a))?;
        if !name.expansions.is_empty() && (text.contains("()") || text.contains("function ")) {
            let functions = functions(text);
            if let Some(f) = named_function(text, name, &assignments(text), &functions) {
                return Some(f);
            }
        }
        return Some(name.cooked.clone());
    }
    None
}

/// The places where `name` is written as a whole word other than expanded (`$name`,
/// `${name…}`, `${#name}`, `${!name}`): (its start, its end); `None` for an expansion that
/// assigns it (`${name:=…}`).
pub fn mentions<'t>(
    text: &'t str,
    name: &'t str,
) -> impl Iterator<Item = Option<(usize, usize)>> + 't {
    let b = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(i) = text[from..].find(name).map(|n| from + n) {
            from = i + name.len();
            let before = i.checked_sub(1).map(|k| b[k]);
            let after = b.get(from).copied();
            if before.is_some_and(is_name_byte) || after.is_some_and(is_name_byte) {
                continue;
            }
            let braced = before == Some(b'{') && i >= 2 && b[i - 2] == b'$';
            let counted =
                matches!(before, Some(b'#' | b'!')) && i >= 3 && &b[i - 3..i - 1] == b"${";
            if before == Some(b'$') || braced || counted {
                let rest = &text[from..];
                if braced && (rest.starts_with(":=") || rest.starts_with('=')) {
                    return Some(None);
                }
                continue;
            }
            return Some(Some((i, from)));
        }
        None
    })
}

/// What a variable that never holds a new line holds, where [`one_line`] finds it so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// One word of a list a `for` loop split (`for p in $pids`): no white space either.
    Word,
    /// One line `read` read (`while read -r p`): words, maybe several.
    Line,
}

/// Whether the array `name` holds lines only: the script sets it only by `mapfile -t` or
/// `readarray -t` (no `-d`), each element one line of what they read.
fn lines_only(text: &str, name: &str) -> bool {
    if name.is_empty() || !name.bytes().all(is_name_byte) {
        return false;
    }
    let mut set = false;
    for mention in mentions(text, name) {
        let Some((i, from)) = mention else {
            return false;
        };
        if text[from..].starts_with('=')
            || text[from..].starts_with("+=")
            || text[from..].starts_with('[')
        {
            return false;
        }
        let start = text[..i]
            .rfind(['\n', ';', '&', '|', '{', '(', '`'])
            .map_or(0, |n| n + 1);
        let mut words = text[start..i].split_whitespace();
        match words.next() {
            Some("mapfile" | "readarray") => {
                let flags: Vec<&str> = words.filter(|w| w.starts_with('-')).collect();
                if !flags.iter().any(|f| f.contains('t'))
                    || flags.iter().any(|f| f.contains(['d', 'C']))
                {
                    return false;
                }
                set = true;
            }
            Some("read") => return false,
            Some("local" | "declare" | "typeset" | "unset") if declared_only(text, i) => {}
            // Expanded (`"${ps[@]}"`): no value given.
            _ if text[..i].ends_with("${") || text[..i].ends_with('$') => {}
            _ => return false,
        }
    }
    set
}

/// Whether every expansion of the array `name` is the list of a `for` loop, element by
/// element (`for p in "${ps[@]}"`), never joined (`${ps[*]}`, `"$ps"`) or indexed.
fn walked_only(text: &str, name: &str) -> bool {
    let whole = format!("\"${{{name}[@]}}\"");
    let mut any = false;
    for (at, _) in text.match_indices(&format!("${name}")) {
        let after = text.as_bytes().get(at + 1 + name.len()).copied();
        if !after.is_some_and(is_name_byte) {
            return false; // `$ps`: its first element, or joined
        }
    }
    for (at, _) in text.match_indices(&format!("${{{name}")) {
        let quoted_start = at.checked_sub(1);
        let walked = quoted_start.is_some_and(|q| {
            text[q..].starts_with(&whole) && text[..q].trim_end().ends_with(" in")
        });
        let longer = text.as_bytes().get(at + 2 + name.len()).copied();
        if longer.is_some_and(is_name_byte) {
            continue; // `${psx}`: another variable
        }
        if !walked {
            return false;
        }
        any = true;
    }
    any
}

/// Whether every value the script gives `name` is one line, and what it is: each place
/// that sets it is literal text, a `read` of one line (no `-d`, no `-N`), or a `for` loop
/// over unquoted words; and the script leaves IFS alone (an array joined by `${a[*]}` takes
/// IFS's first character between its elements). `pids="{{ v }}"; for p in $pids; do ssh h
/// "kill $p"; done` with `123⏎456` is two plain words, never a new line in the ssh string.
/// (`mapfile` is left out: its elements, joined, are the value's lines again.)
pub fn one_line(text: &str, name: &str) -> Option<Piece> {
    // (The variables bash fills by itself, and the positional parameters, are set where
    // no mention of them says how.)
    if name.is_empty()
        || !name.bytes().all(is_name_byte)
        || name.as_bytes()[0].is_ascii_digit()
        || text.contains("IFS")
        || matches!(
            name,
            "_" | "REPLY"
                | "MAPFILE"
                | "OPTARG"
                | "BASH_REMATCH"
                | "COPROC"
                | "BASH_ARGV"
                | "READLINE_LINE"
                | "PWD"
                | "OLDPWD"
                | "DIRSTACK"
        )
    {
        return None;
    }
    // An array of the lines `mapfile -t` read, only ever walked element by element
    // (`for p in "${ps[@]}"`): each element a line, never joined.
    if lines_only(text, name) && walked_only(text, name) {
        return Some(Piece::Line);
    }
    // What sets it (none found: from the environment, which may hold anything).
    let mut piece = None;
    for mention in mentions(text, name) {
        let (i, from) = mention?;
        if text[from..].starts_with('=') || text[from..].starts_with("+=") {
            let k = from + usize::from(text[from..].starts_with('+'));
            // (`ps=( {{ v }} )`: an array whose element is the whole value.)
            if text[k + 1..].starts_with('(') {
                return None;
            }
            let end = word_end(text, k + 1).max(k + 1);
            // (U+0001 stands for the value itself in the text `nested::plan` reads.)
            if text[k + 1..end].contains(['$', '`', '*', '?', '[', '\\', '\u{1}']) {
                return None;
            }
            continue;
        }
        if text[..i].trim_end().ends_with("for") {
            let list = text[from..].trim_start().strip_prefix("in ")?;
            let list = list[..list.find([';', '\n']).unwrap_or(list.len())].trim();
            // `for p in "${ps[@]}"` over the lines `mapfile -t ps` read: each a line.
            if let Some(array) = list
                .strip_prefix("\"${")
                .and_then(|l| l.strip_suffix("[@]}\""))
                && lines_only(text, array)
            {
                piece = Some(Piece::Line);
                continue;
            }
            if list.contains(['"', '\'', '\\']) {
                return None;
            }
            piece.get_or_insert(Piece::Word);
            continue;
        }
        let start = text[..i]
            .rfind(['\n', ';', '&', '|', '{', '(', '`'])
            .map_or(0, |n| n + 1);
        let mut words = text[start..i].split_whitespace().skip_while(|w| {
            matches!(*w, "while" | "until" | "if" | "!" | "do" | "then") || w.contains('=')
        });
        match words.next() {
            Some("read") => {
                let mut takes_value = false;
                for w in words {
                    if takes_value {
                        takes_value = false;
                    } else if let Some(flags) = w.strip_prefix('-') {
                        if flags.contains(['d', 'N']) {
                            return None;
                        }
                        // (`-p PROMPT`, `-t SECONDS`, `-u FD`, `-n COUNT`; `-a NAME` names a
                        // variable, checked as the others.)
                        takes_value = flags.ends_with(['p', 't', 'u', 'n']);
                    } else if !w.bytes().all(is_name_byte) {
                        return None;
                    }
                }
                piece = Some(Piece::Line);
            }
            Some("local" | "declare" | "typeset" | "export" | "readonly" | "unset")
                if declared_only(text, i) => {}
            _ => return None,
        }
    }
    piece
}

/// Whether the word at `at` is an argument of `local`, `declare`, `typeset`, `export`,
/// `readonly` or `unset` (which give it no value by themselves).
pub fn declared_only(text: &str, at: usize) -> bool {
    let start = text[..at]
        .rfind(['\n', ';', '&', '|', '{', '(', '`'])
        .map_or(0, |n| n + 1);
    let mut words = text[start..at].split_whitespace();
    matches!(
        words.next(),
        Some("local" | "declare" | "typeset" | "export" | "readonly" | "unset")
    ) && words.all(|w| w.starts_with('-') || w.bytes().all(is_name_byte))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_x(script: &str) -> BTreeSet<String> {
        let list = commands(script, 0..script.len()).unwrap_or_default();
        assigned_in(script, &list, script.find('X').unwrap_or(0))
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
            indirect("echo ${!ref} ${!x[@]} ${!pre*}"),
            ["ref"].map(String::from).into()
        );
    }

    #[test]
    fn copies_through_substitutions_elements_documents_and_splits() {
        // A value in `$( )` is one word, and what the substitution prints is a change.
        assert_eq!(word_end("$(echo \"$x\" | tr a b) rest", 0), 21);
        assert_eq!(word_end("\"a $(printf \"%s\" \"$x\")\";", 0), 23);
        assert!(assignment_transforms("svc=$(echo \"$x\"); n=$(date)").is_empty());
        assert!(
            assignments("svc=$(echo \"$x\" | tr a b)")
                .iter()
                .any(|(n, v, _)| n == "svc" && v.contains("\"$x\""))
        );
        // An element of an array is the array's.
        assert!(
            assignments("cfg[s]=\"$a\"")
                .iter()
                .any(|(n, v, _)| n == "cfg" && v == "\"$a\"")
        );
        // `hosts=($x)` and `set -- $x` split; `read … <<EOF` documents are the value.
        let reads =
            loops_and_reads("hosts=($x)\nset -- $y\nread -r -d '' cmd <<EOF\nrestart $z\nEOF\n");
        assert!(
            reads
                .iter()
                .any(|(n, v, split)| n == "hosts" && v == "$x" && *split)
        );
        assert!(
            reads
                .iter()
                .any(|(n, v, split)| n == "1" && v == "$y" && *split)
        );
        assert!(reads.iter().any(|(n, v, _)| n == "cmd" && v.contains("$z")));
        assert!(
            !loops_and_reads("hosts=(\"$x\")")
                .iter()
                .any(|(n, _, split)| n == "hosts" && *split)
        );
    }

    #[test]
    fn functions_are_found_wherever_a_command_starts() {
        let names = |s: &str| functions(s).into_iter().collect::<Vec<_>>();
        assert_eq!(names("f() { echo; }\nfunction g { :; }"), ["f", "g"]);
        assert_eq!(
            names("if true; then on_host() { ssh \"$1\"; }; fi"),
            ["on_host"]
        );
        assert_eq!(
            names(". lib.sh 2>/dev/null || on_host() { ssh \"$1\"; }"),
            ["on_host"]
        );
        assert_eq!(names("while :; do r() ( echo ); done"), ["r"]);
        // Not a definition: in quotes, a call with no body, a word inside another.
        assert!(names("echo 'f() { x; }'; g (); printf() x").is_empty());
    }
}
