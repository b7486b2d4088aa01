//! Where a value leaves what runbook follows.
//!
//! [`super::nested::plan`] follows a value through variables, positional parameters,
//! functions' arguments and the strings that parse it again. Some ways out of the script's
//! variables it cannot follow: a file the value is written to (`echo "{{ v }}" > job.sh`,
//! `tee`, `sed -i`, `exec 3>f; … >&3`), the output of a function the script captures
//! (`f() { echo "{{ v }}"; }; c=$(f)`), the environment that `envsubst` writes into text.
//! [`leaves`] says which way a value takes; where it leaves and the script also parses again
//! text whose origin runbook does not follow (`eval "$c"`, `bash job.sh`, `… | sh`), that
//! text may be the value, which must then be one plain word.

use super::flow::{self, refers};
use super::programs::{base, command_index, program_index};
use super::words::{Command, Word};
use std::collections::BTreeSet;

/// Files nobody reads back.
const NOWHERE: &[&str] = &["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty"];

/// How the value at `at` (or a variable in `targets`, which holds it) leaves what runbook
/// follows, said for the operator: "is written to `job.sh`". `None` when it does not.
pub fn leaves(
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) -> Option<String> {
    let carries = |cmd: &Command| {
        cmd.words.iter().any(|w| w.span.contains(&at))
            || cmd.heredocs.iter().any(|h| h.body.contains(&at))
            || targets.iter().any(|t| {
                cmd.words.iter().any(|w| refers(&text[w.span.clone()], t))
                    || cmd
                        .heredocs
                        .iter()
                        .any(|h| refers(&text[h.body.clone()], t))
            })
    };
    let functions = flow::functions(text);
    // What a command prints goes on down its pipe.
    let mut piped_in = false;
    for (n, cmd) in list.iter().enumerate() {
        let from_pipe = piped_in;
        let carrying = piped_in || carries(cmd);
        piped_in = carrying && cmd.piped;
        if !carrying {
            continue;
        }
        // Written by a compound command around it (`( … ) > F`, `for … done > F`).
        if let Some(file) = enclosing_writes(text, &list[n + 1..]) {
            return Some(format!("is written to `{file}` by the commands around it"));
        }
        // Given to a function of the script that writes a file (`log "…"` with `log() {
        // printf '%s\n' "$*" >> f; }`, `… | save` with `save() { tee f; }`).
        let args = cmd.args();
        if let Some(name) = args.get(command_index(&args)).map(|w| w.cooked.as_str())
            && functions.contains(name)
            && let Some(span) = flow::function_span(text, name)
            && !span.contains(&at)
            && let Some(body) = super::words::commands(text, span)
            && let Some(file) = body.iter().flat_map(|c| written(text, c)).next()
        {
            return Some(format!(
                "is given to the function `{name}`, which writes to `{file}`"
            ));
        }
        // Given to a command on another machine or in a container (`… | ssh h 'cat > f'`,
        // `ssh h 'cat > f' <<EOF`).
        let fed = from_pipe
            || cmd.heredocs.iter().any(|h| h.body.contains(&at))
            || cmd
                .words
                .iter()
                .any(|w| w.herestring && w.span.contains(&at));
        if fed
            && let Some(program) = args.get(program_index(&args, command_index(&args)))
            && matches!(
                base(&program.cooked),
                "ssh" | "autossh" | "kubectl" | "oc" | "docker" | "podman"
            )
        {
            return Some(format!(
                "is sent to the input of `{}` on another machine",
                base(&program.cooked)
            ));
        }
        if let Some(file) = written(text, cmd).into_iter().next() {
            return Some(match file.strip_prefix('&') {
                Some(fd) => {
                    format!("is written to the file descriptor {fd}, which the script opened")
                }
                None => format!("is written to `{file}`"),
            });
        }
    }
    // Printed by a function whose output the script captures, pipes or writes.
    for name in &functions {
        let Some(span) = flow::function_span(text, name) else {
            continue;
        };
        let body = &text[span.clone()];
        let inside = span.contains(&at)
            || targets
                .iter()
                .any(|t| refers(body, t) && !declared_local(body, t));
        if inside && output_taken(text, name, span) {
            return Some(format!(
                "is printed by the function `{name}`, whose output the script captures"
            ));
        }
    }
    if !targets.is_empty() && text.contains("envsubst") {
        return Some("is held in a variable that `envsubst` may write into text".to_string());
    }
    None
}

/// The first file written by a compound command that encloses the commands before `after`:
/// its closer (`}`, `done`, `fi`, `esac`, or the bare redirections after a `( … )`) at the
/// level of those commands.
fn enclosing_writes(text: &str, after: &[Command]) -> Option<String> {
    let mut depth = 0usize;
    for cmd in after {
        let args = cmd.args();
        let first = args
            .first()
            .filter(|w| !w.quoted)
            .map(|w| w.cooked.as_str());
        match first {
            Some("if" | "for" | "while" | "until" | "case" | "select" | "{") => depth += 1,
            Some("}" | "done" | "fi" | "esac") | None => {
                if depth == 0 {
                    if let Some(file) = written(text, cmd).into_iter().next() {
                        return Some(file);
                    }
                } else {
                    depth -= 1;
                }
            }
            _ => {}
        }
    }
    None
}

/// The scripts of `others` (a runbook's other steps) that name a file `text` writes (`echo
/// "H={{ v }}" > vars.env` in this step, `. ./vars.env` in a later one), their `{{ }}`
/// blanked, each after a new line: read after the step's own text, what they do with the
/// file counts as done in the step (audit 24 HOLE-J). Empty where none does.
pub fn elsewhere<'a>(text: &str, others: impl Iterator<Item = &'a str>) -> String {
    let lexed = crate::template::placeholders(text);
    let files: BTreeSet<String> = crate::shell::words::every_command(&lexed)
        .iter()
        .flat_map(|c| written(&lexed, c))
        .filter(|f| !f.starts_with('&'))
        .filter_map(|f| {
            let name = f.rsplit('/').next().unwrap_or("").trim_matches(['"', '\'']);
            (!name.is_empty() && !name.contains('$')).then(|| name.to_string())
        })
        .collect();
    let mut out = String::new();
    if files.is_empty() {
        return out;
    }
    let names = |other: &str, name: &str| {
        other.match_indices(name).any(|(i, _)| {
            let before = other[..i].chars().next_back();
            let after = other[i + name.len()..].chars().next();
            let part = |c: Option<char>| {
                c.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            };
            !part(before) && !part(after)
        })
    };
    for other in others {
        if files.iter().any(|f| names(other, f)) {
            out.push('\n');
            out.push_str(&crate::template::placeholders(other));
        }
    }
    out
}

/// The files `cmd` writes (`> F`, `>> F`, `tee F`, `sed -i … F`, `dd of=F`, `sponge F`), as
/// written (`./` removed); `&N` for a file descriptor other than 1 and 2 (`>&3`, opened by
/// `exec 3>F`). See [`unknown_file`].
pub fn written(text: &str, cmd: &Command) -> Vec<String> {
    let mut out = Vec::new();
    for w in cmd.words.iter().filter(|w| w.redirect && !w.herestring) {
        let before = text[..w.span.start].trim_end();
        if before.ends_with(">&") {
            if !matches!(w.cooked.as_str(), "1" | "2" | "-") {
                out.push(format!("&{}", &text[w.span.clone()]));
            }
        } else if (before.ends_with('>') || before.ends_with(">|"))
            && !NOWHERE.contains(&w.cooked.as_str())
        {
            out.push(file_name(text, w));
        }
    }
    let args = cmd.args();
    let i = program_index(&args, command_index(&args));
    let Some(program) = args.get(i) else {
        return out;
    };
    let operands = || {
        args[i + 1..]
            .iter()
            .filter(|a| !a.cooked.starts_with('-'))
            .map(|a| file_name(text, a))
    };
    match base(&program.cooked) {
        "tee" | "sponge" => out.extend(operands()),
        // The last operand is a file (the first may be the script).
        "sed" | "perl" | "gsed"
            if args[i + 1..]
                .iter()
                .any(|a| a.cooked.starts_with("-i") || a.cooked.starts_with("--in-place")) =>
        {
            out.extend(operands().next_back());
        }
        "dd" => out.extend(
            args[i + 1..]
                .iter()
                .filter_map(|a| a.cooked.strip_prefix("of=").map(str::to_string)),
        ),
        "systemctl" => out.extend(unit_edited(&args, i)),
        _ => {}
    }
    out
}

/// The unit file that `systemctl edit --stdin UNIT` at `args[i]` writes from its input: a
/// drop-in (`--drop-in=NAME`, `override.conf`), or the unit itself with `--full`.
pub fn unit_edited(args: &[&Word], i: usize) -> Option<String> {
    let rest = args.get(i + 1..)?;
    let edit = rest.iter().position(|w| w.cooked == "edit")?;
    if !rest.iter().any(|w| w.cooked == "--stdin") {
        return None;
    }
    let mut unit = None;
    let mut drop_in = "override".to_string();
    let mut k = edit + 1;
    while let Some(w) = rest.get(k) {
        let a = w.cooked.as_str();
        k += 1;
        if let Some(name) = a.strip_prefix("--drop-in=") {
            drop_in = name.to_string();
        } else if matches!(
            a,
            "--drop-in" | "-H" | "--host" | "-M" | "--machine" | "--root"
        ) {
            if a == "--drop-in" {
                drop_in = rest.get(k).map_or(drop_in, |n| n.cooked.clone());
            }
            k += 1;
        } else if !a.starts_with('-') && unit.is_none() {
            unit = Some(a);
        }
    }
    let unit = unit?;
    let unit = if unit.contains('.') {
        unit.to_string()
    } else {
        format!("{unit}.service")
    };
    Some(if rest.iter().any(|w| w.cooked == "--full") {
        format!("/etc/systemd/system/{unit}")
    } else {
        let drop_in = drop_in.trim_end_matches(".conf");
        format!("/etc/systemd/system/{unit}.d/{drop_in}.conf")
    })
}

/// A file's name as the script wrote it (`./job.sh` is `job.sh`).
fn file_name(text: &str, w: &Word) -> String {
    let raw = if w.expansions.is_empty() {
        &w.cooked
    } else {
        &text[w.span.clone()]
    };
    raw.strip_prefix("./").unwrap_or(raw).to_string()
}

/// Whether a name [`written`] gives may be any file: a descriptor, or a name an expansion
/// makes.
pub fn unknown_file(name: &str) -> bool {
    name.starts_with('&') || name.contains(['$', '`'])
}

/// The variable a plain parameter expansion reads (`$NAME`, `${NAME}`), when the script never
/// sets it (the name stands nowhere but after `$`): its text comes from the environment the
/// step was given, not from a file or a command's output. `None` otherwise.
pub fn unset_in_script<'a>(text: &str, expansion: &'a str) -> Option<&'a str> {
    let name = expansion.strip_prefix('$')?;
    let name = name
        .strip_prefix('{')
        .and_then(|n| n.strip_suffix('}'))
        .unwrap_or(name);
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if name.is_empty() || !name.chars().all(ident) || name.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let only_expanded = text.match_indices(name).all(|(i, _)| {
        let before = &text[..i];
        let whole = !before.ends_with(ident) && !text[i + name.len()..].starts_with(ident);
        !whole || before.ends_with('$') || before.ends_with("${")
    });
    only_expanded.then_some(name)
}

/// `local NAME`, `local NAME=…` in a function's body: the name there is the function's own.
fn declared_local(body: &str, name: &str) -> bool {
    body.split(['\n', ';', '{'])
        .map(str::trim_start)
        .filter_map(|line| line.strip_prefix("local "))
        .any(|rest| {
            rest.split_whitespace()
                .any(|w| w.split('=').next() == Some(name))
        })
}

/// Whether a call of the function `name` outside its definition `span` has its output taken:
/// in `$( )`, backquotes or `<( )`, piped on, or written to a file.
fn output_taken(text: &str, name: &str, span: std::ops::Range<usize>) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    // The calls of `name` outside its definition: by name, or through a variable that
    // holds it (`f=gen; $f | sh`, `for f in gen; do $f; done`: audit 19).
    let mut callers = vec![name.to_string()];
    for (i, _) in text.match_indices(name) {
        if span.contains(&i) || text[i + name.len()..].starts_with(ident) {
            continue;
        }
        let before = text[..i].trim_end_matches(['"', '\'']);
        if let Some(assigned) = before.strip_suffix('=') {
            let variable = assigned
                .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            if !variable.is_empty() {
                callers.push(format!("${variable}"));
                callers.push(format!("${{{variable}}}"));
            }
        }
    }
    for (loop_variable, _) in
        crate::shell::flow::for_loops(text)
            .into_iter()
            .filter(|(_, words)| {
                words
                    .split_whitespace()
                    .any(|w| w.trim_matches(['"', '\'']) == name)
            })
    {
        callers.push(format!("${loop_variable}"));
        callers.push(format!("${{{loop_variable}}}"));
    }
    callers.iter().any(|caller| {
        text.match_indices(caller.as_str()).any(|(i, _)| {
            if span.contains(&i) {
                return false;
            }
            if (!caller.starts_with('$') && text[..i].ends_with(ident))
                || text[i + caller.len()..].starts_with(ident)
            {
                return false;
            }
            let before = text[..i].trim_end_matches([' ', '\t', '"', '\\']);
            let line_end = text[i..].find('\n').map_or(text.len(), |e| i + e);
            let after = &text[i + caller.len()..line_end];
            before.ends_with("$(")
                || before.ends_with('`')
                || before.ends_with("<(")
                || before.ends_with('|')
                || after.contains('|')
                || after.contains('>')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::words::commands;

    fn leaves_x(script: &str, targets: &[&str]) -> Option<String> {
        let list = commands(script, 0..script.len()).unwrap_or_default();
        let at = script.find('X').unwrap_or(0);
        let targets = targets.iter().map(|t| t.to_string()).collect();
        leaves(script, &list, at, &targets)
    }

    #[test]
    fn a_value_written_to_a_file_leaves() {
        for (script, file) in [
            ("echo \"echo X\" > job.sh", "job.sh"),
            ("echo \"echo X\" >> ./job.sh", "job.sh"),
            ("printf 'echo %s\\n' \"X\" | tee -a job.sh", "job.sh"),
            ("echo X | sed 's/a/b/' > out", "out"),
            ("sed -i \"s/a/X/\" conf", "conf"),
            ("sudo tee /etc/x.conf <<EOF\nX\nEOF", "/etc/x.conf"),
        ] {
            assert_eq!(
                leaves_x(script, &[]),
                Some(format!("is written to `{file}`")),
                "{script}"
            );
        }
        assert!(
            leaves_x("exec 3>f; echo X >&3", &[])
                .unwrap()
                .contains("descriptor 3")
        );
        assert_eq!(
            leaves_x("echo X > \"$OUT/f\"", &[]),
            Some("is written to `\"$OUT/f\"`".into())
        );
        assert_eq!(
            leaves_x("v=\"X\"; echo \"$v\" > f", &["v"]),
            Some("is written to `f`".into())
        );
        // Not a file anyone reads, or not the value.
        for script in [
            "echo X > /dev/null",
            "echo X 2>&1",
            "echo X; echo other > f",
            "echo X | grep -q y",
        ] {
            assert_eq!(leaves_x(script, &[]), None, "{script}");
        }
    }

    #[test]
    fn a_value_printed_by_a_function_whose_output_is_taken_leaves() {
        assert!(leaves_x("f() { echo \"X\"; }; c=$(f)", &[]).is_some());
        assert!(leaves_x("f() {\n echo \"X\"\n}\nf | sh", &[]).is_some());
        assert!(leaves_x("v=X; f() { echo \"$v\"; }; c=`f`", &["v"]).is_some());
        // Called for what it does, not for what it prints.
        assert!(leaves_x("f() { echo \"X\"; }; f", &[]).is_none());
        assert!(leaves_x("f() { local v=1; echo $v; }; v=X; c=$(f)", &["v"]).is_none());
    }

    #[test]
    fn a_value_in_the_environment_of_envsubst_leaves() {
        assert!(leaves_x("export V=\"X\"; envsubst < t", &["V"]).is_some());
        assert!(leaves_x("echo \"X\"; envsubst < t", &[]).is_none());
    }

    #[test]
    fn a_variable_the_script_never_sets_comes_from_its_environment() {
        let script = "ssh h \"restart $SVC ${UNIT} $c $1\"; c=$(cat f); read -r r; echo $r";
        assert_eq!(unset_in_script(script, "$SVC"), Some("SVC"));
        assert_eq!(unset_in_script(script, "${UNIT}"), Some("UNIT"));
        assert_eq!(unset_in_script(script, "$c"), None);
        assert_eq!(unset_in_script(script, "$r"), None);
        assert_eq!(unset_in_script(script, "$1"), None);
        assert_eq!(unset_in_script(script, "$(cat f)"), None);
        assert_eq!(
            unset_in_script("for h in a; do eval \"$h\"; done", "$h"),
            None
        );
    }

    #[test]
    fn a_reference_is_to_the_whole_name() {
        assert!(refers("echo $v", "v"));
        assert!(refers("echo ${v:-x}", "v"));
        assert!(refers("echo ${#v}", "v"));
        assert!(!refers("echo $vv", "v"));
        assert!(!refers("echo v", "v"));
    }
}
