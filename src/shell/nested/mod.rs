//! Strings that a command parses again as shell code, and where a value inside one ends up.
//!
//! `sh -c "echo {{ v }}"`: the outer shell hands `echo VALUE` to `sh`, which parses it again,
//! so a value that is data for the outer shell is code for the inner one. [`plan`] follows a
//! placeholder through every such string, to any depth (`ssh h "sh -c 'echo {{ v }}'"`), and
//! says how each enclosing string quotes it and how the innermost shell reads it. A construct
//! it cannot follow is an [`Unsafe`], never a guess.
//!
//! Re-parsed here: the arguments of `eval`; the `-c` string of `sh`, `bash`, `dash`, `zsh`,
//! `ksh`, `mksh`, `ash`; `su`/`runuser -c`; the command of `ssh HOST …` and of `watch`;
//! `flock FILE -c`; a here-document (or `cat <<EOF |`, `echo … |`) fed to a shell reading its
//! input (`bash`, `sh -s`, `ssh HOST`); a quoted compound assignment of `declare -a`. Followed
//! to the command they run: `sudo`, `doas`, `env`, `timeout`, `nice`, `nohup`, `setsid`,
//! `stdbuf`, `ionice`, `time`, `command`, `exec`, `xargs`, `find -exec`, `runuser -u … --`,
//! `kubectl`/`oc exec … --`, `docker`/`podman exec`. The environment travels through `eval`,
//! `sh -c` and the wrappers that keep it; not through `ssh`, `sudo`, `su`, `doas`, `env -i`,
//! `kubectl exec` and `docker exec`.
//!
//! The files, one concern each: `types.rs` the answer ([`Plan`], [`Layer`], [`Slot`],
//! [`Refusal`], [`Unsafe`], [`Foreign`]) and shared constants; `role.rs` what a word is to its
//! command (`Role`, `Reparse`, `Ctx`); this file [`plan`] itself and [`check_dollar_single`];
//! `locate.rs` the command holding a placeholder; `command.rs` the role of a word in one
//! simple command, by what `options.rs` (programs' options and operands) and `variables.rs`
//! (variables run as code) know; `stdin.rs` the readers of standard input, `sourced.rs`
//! functions a sourced file may define; `foreign.rs` other languages' code; `refs.rs` the
//! variables a script hands to a string parsed again ([`reparsed_refs`]); `uses.rs` how it
//! uses them ([`uses()`]); `unknown.rs` text of unknown origin parsed again; `settings.rs`
//! settings of system programs (systemd's, nft's, `/etc/hosts`); `batches.rs` the commands
//! and configuration a program reads in a language of its own (HCL on `vault policy write
//! -`'s input, `iptables-restore`, `nsupdate`, LDIF, `sftp`/`lftp`/`smbclient` batches, a
//! mail body). Tests of [`plan`] as a whole: `tests.rs`, `tests_languages.rs`,
//! `tests_programs.rs`.

mod batches;
mod command;
mod files;
mod foreign;
mod formats;
mod holding;
mod locate;
mod options;
mod reach;
mod refs;
mod role;
mod selected;
mod settings;
mod sourced;
mod stdin;
mod types;
mod unknown;
mod uses;
mod variables;
mod widens;

use super::context::{Quoting, balanced, context_at};
use super::programs::{SHELLS, base};
use super::words::{Command, commands};
use foreign::{
    CodeOf, MYSQL_STDIN, PSQL, PSQL_STDIN, SHELLED, SHELLED_CHANGED, calls_shell, changes_text,
    code_holding,
};
use locate::{locate, reads_file_into_operands, reads_file_into_options};
use options::REPARSERS;
pub use refs::{ANY, reparsed_refs, reparsed_split_only};
use role::{Role, with_functions};
use std::collections::BTreeSet;
use std::ops::Range;
pub(crate) use stdin::stdin_file;
pub use types::{Foreign, Layer, OPTION_STARTS, Plan, Refusal, Slot, Unsafe, Wide, WideKind};
use types::{HELP_ARGUMENT, MAX_DEPTH, POSITIONAL, SENTINEL};
use unknown::{parses_unknown, shell_before};
pub use uses::{Uses, uses};
pub use variables::{is_prompt, runs_as_code};

/// Follows the placeholder at `placeholder` of `lexed` (a script whose template blocks are
/// replaced by placeholders of the same length) into the strings that parse it again.
///
/// Words kept in a variable and spread into a command (`o=(-I "gzip $K"); tar "${o[@]}"`)
/// are followed as if written there ([`crate::shell::spreads`]): where they take the value
/// further than the script as written shows, that reading holds.
pub fn plan(lexed: &str, placeholder: Range<usize>) -> Result<Plan, Unsafe> {
    let plain = plan_at(lexed, placeholder.clone())?;
    let Some((inlined, copies)) = crate::shell::spreads::inline(lexed, placeholder) else {
        return Ok(plain);
    };
    let mut strictest = plain;
    for copy in copies {
        let spread = plan_at(&inlined, copy).map_err(|mut u| {
            u.why = format!(
                "{} (once the words of a variable spread into the command, `\"${{o[@]}}\"`, are read where they are spread)",
                u.why
            );
            u
        })?;
        // (One reading inside strings the other does not see, `find . "${a[@]}"` with
        // `a=(-exec sh -c "echo {{ v }}" \;)`: the value is quoted for all of them. An
        // `ssh "${opts[@]}" "{{ host }}"` read as the remote command before: still so.)
        // (One plain word already, it is the same text in any of them.)
        if spread.layers.len() > strictest.layers.len()
            && spread.layers.starts_with(&strictest.layers)
        {
            if !matches!(strictest.slot, Slot::PlainWord(_) | Slot::Name) {
                strictest = with_flags(spread, strictest);
            }
            continue;
        }
        // (Read as fewer strings once the words are where they go: `ssh "${opts[@]}" "{{ host
        // }}"` is the host, not the remote command; quoted for that shell it would reach ssh
        // with its quotes, audit 22 FR-3.)
        if strictest.layers.starts_with(&spread.layers) && spread.layers != strictest.layers {
            strictest = with_flags(spread, strictest);
            continue;
        }
        if spread.layers != strictest.layers {
            return Err(Unsafe {
                construct: "words spread from a variable".into(),
                why: "it is kept in a variable whose words the script spreads into a command (`\"${o[@]}\"`, `\"$a\"`), where they reach a string another shell parses again".into(),
                help: "write those words in the command itself, with the `{{ }}` where the other shell reads it (runbook quotes it for that place), or pass the value as an argument".into(),
            });
        }
        strictest = stricter(strictest, spread);
    }
    Ok(strictest)
}

/// Whether the file a value leaves to (`how`, as [`super::spill::leaves`] says it) may be
/// read again by the script: not a file named by literal text that the script names only
/// where it writes it (`echo "{{ note }}" >> notes.log`).
fn may_read_again(text: &str, how: &str) -> bool {
    let file = how
        .strip_prefix("is written to `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(file, _)| file);
    match file {
        Some(file) if !file.is_empty() && !file.contains(['$', '&', '*', '?']) => {
            let name = file.rsplit('/').next().unwrap_or(file);
            text.matches(name).nth(1).is_some()
        }
        _ => true,
    }
}

/// The characters that make a word a directive of a program the script names, where it
/// reads its arguments: `+` for vim's, ex's, view's, less's and more's `+cmd`, `=` for make's
/// and env's assignments.
fn directive_chars(text: &str) -> Option<&'static str> {
    let names = |list: &[&str]| {
        list.iter().any(|p| {
            text.match_indices(p).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + p.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
            })
        })
    };
    let editor = names(&["vim", "vi", "nvim", "ex", "view", "less", "more", "gvim"]);
    let assigns = names(&["make", "gmake", "env"]);
    match (editor, assigns) {
        (true, true) => Some("+="),
        (true, false) => Some("+"),
        (false, true) => Some("="),
        (false, false) => None,
    }
}

/// Of two readings of one value with the same layers, the one that holds it to more.
fn stricter(a: Plan, b: Plan) -> Plan {
    let rank = |p: &Plan| match p.slot {
        Slot::Quoted(_) => 0,
        Slot::NoOption(_) => 1,
        Slot::PlainWords(_) | Slot::PlainLines(_) | Slot::NoSubscript(_) => 2,
        _ => 3,
    };
    let (keep, other) = if rank(&b) > rank(&a) { (b, a) } else { (a, b) };
    with_flags(keep, other)
}

/// `keep`, also held to what `other` says of the value beyond its slot.
fn with_flags(mut keep: Plan, other: Plan) -> Plan {
    keep.control_free |= other.control_free;
    keep.foreign = keep.foreign.or(other.foreign);
    keep.left = keep.left.or(other.left);
    keep.code_end = keep.code_end.or(other.code_end);
    keep.file_lead = keep.file_lead.or(other.file_lead);
    keep.shape = keep.shape.or(other.shape);
    keep.no_parent = keep.no_parent.or(other.no_parent);
    keep.wide = keep.wide.or(other.wide);
    keep
}

fn plan_at(lexed: &str, placeholder: Range<usize>) -> Result<Plan, Unsafe> {
    if lexed.contains(SENTINEL) {
        return Err(Unsafe {
            construct: "U+0001".into(),
            why: "the script holds the control character U+0001, which runbook uses to follow a value".into(),
            help: "remove the control character from the script".into(),
        });
    }
    // `shopt -s expand_aliases; alias ev=eval`: a word may stand for a program that parses
    // its arguments again.
    if lexed.contains("expand_aliases") && aliases_a_reparser(lexed) {
        return Err(Unsafe {
            construct: "shopt -s expand_aliases".into(),
            why: "the script turns on aliases, so any word may stand for `eval` or `sh -c`, which runbook cannot follow".into(),
            help: "write the commands themselves instead of aliases".into(),
        });
    }
    let mut text = String::with_capacity(lexed.len());
    text.push_str(&lexed[..placeholder.start]);
    text.extend(std::iter::repeat_n(SENTINEL, placeholder.len()));
    text.push_str(&lexed[placeholder.end.min(lexed.len())..]);
    let mut at = placeholder.start;
    let mut layers: Vec<Layer> = Vec::new();
    let mut env_travels = true;
    // Positional parameters that an outer string's documents parse again: `ssh h bash -s --
    // ARG <<'EOF'` gives the remote shell's `$1` to the document, not to the inner string.
    let mut inherited: BTreeSet<String> = BTreeSet::new();
    loop {
        let quoting = context_at(&text, at);
        if let Some(refused) = escaped_or_commented(&text, at, quoting, &layers) {
            return Err(refused);
        }
        if quoting == Quoting::Arithmetic {
            // Only an integer is accepted there, which is data at any depth.
            return Ok(Plan::bare(layers, Slot::Quoted(quoting), env_travels));
        }
        let list = commands(&text, 0..text.len());
        let role = match &list {
            Some(list) => locate(&text, list, at)?,
            None if layers.is_empty() => {
                return Err(Unsafe {
                    construct: "the script".into(),
                    why: "the script does not parse as shell text (an unclosed quote, `$(`, `${` or backquote, or an unfinished here-document), so where the value lands cannot be known".into(),
                    help: "close the quote or substitution (bash would refuse the script too); `runbook lint` shows shellcheck's reading of it".into(),
                });
            }
            None => {
                return Err(unclear(
                    &layers,
                    "has an unclosed quote, `$(`, `${` or backquote",
                ));
            }
        };
        if !layers.is_empty() && !balanced(&text) {
            return Err(unclear(&layers, "does not parse as shell text"));
        }
        // An operand is data that may not start with `-`: followed as data.
        let mut control_free = false;
        let (role, operand) = match role {
            Role::Operand => (Role::Data(None), true),
            Role::ControlFree => {
                control_free = true;
                (Role::Data(None), false)
            }
            role => (role, false),
        };
        // Ansible renders its module's arguments as a Jinja template first
        // (`{{ lookup('pipe', …) }}` runs a command there): one plain word inside them.
        let role = if layers.iter().any(|l| l.construct.starts_with("ansible"))
            && matches!(
                role,
                Role::Data(_) | Role::Operand | Role::ControlFree | Role::NoOption
            ) {
            Role::PlainWord
        } else {
            role
        };
        match role {
            role @ (Role::Data(_) | Role::Operand | Role::ControlFree) => {
                let foreign = match role {
                    Role::Data(foreign) => foreign,
                    _ => None,
                }
                .or_else(|| list.as_deref().and_then(|l| stdin::piped_into_code(l, at)))
                .or_else(|| {
                    list.as_deref()
                        .filter(|l| foreign::psql_variable_spliced(&text, l, at))
                        .map(|_| &foreign::PSQL_VARIABLE)
                });
                // Data here, but where does it go? Into a variable the script uses in
                // arithmetic, or reads as a name, it is code again.
                // (`NODE=$(kubectl get pod "{{ v }}" …)`: NODE holds what the value selected,
                // not the value; the floor checks such a variable when the step runs.)
                let targets = list
                    .as_deref()
                    .filter(|l| !selected::selects_other_data(&text, l, at))
                    .map(|l| super::flow::assigned_in(&text, l, at))
                    .unwrap_or_default();
                let command = list
                    .as_deref()
                    .and_then(|l| super::flow::command_at(&text, l, at));
                // Arguments that become positional parameters: of a function the script
                // defines, of `set`, after the script of `sh -c` (behind wrappers too).
                let to_positional =
                    command.as_deref().is_some_and(|c| {
                        c == "set"
                            || SHELLS.contains(&base(c))
                            || ((text.contains("()") || text.contains("function "))
                                && super::flow::functions(&text).contains(c))
                    }) || list.as_deref().is_some_and(|l| shell_before(&text, l, at));
                // (Whether a target is quoted by `${x@Q}` for another shell: read with the
                // other references below, once.)
                let mut quoted_for_shell = false;
                let slot = if targets.is_empty() && !to_positional {
                    // Most values: an argument of a command, going nowhere else.
                    if uses::in_split_substitution(&text, at) {
                        // Printed into the operands of another (`systemctl restart $(echo
                        // "{{ v }}")`): each word of it starts one.
                        Slot::PlainWords(quoting)
                    } else if operand {
                        Slot::NoOption(quoting)
                    } else {
                        Slot::Quoted(quoting)
                    }
                } else {
                    // Where the value may go further, it is held to what is harmless there:
                    // one plain word where a re-parsed string expands it, no subscript or
                    // expansion where arithmetic evaluates it. (Refusing every such script
                    // would refuse `i={{ host }}` in any script with a `for ((i…))` loop.)
                    // Expanded where any value is refused (`o="{{ v }}"; ssh -o "$o"`):
                    // refused as the value itself would be there.
                    let refused = refs::refused_refs(&text);
                    if let Some(t) = targets.iter().find(|t| refused.contains(*t)) {
                        return Err(Unsafe {
                            construct: format!("${t}"),
                            why: format!(
                                "it is assigned to `{t}`, which the script expands where any value is refused (the value of an option that runs a command, such as `ssh -o`, or text typed into a terminal)"
                            ),
                            help: "write the `{{ }}` itself where the program reads it (runbook checks it there), or give the command the value as an argument".into(),
                        });
                    }
                    let mut refs = reparsed_refs(&text);
                    quoted_for_shell = targets.iter().any(|t| refs.contains(&format!("-{t}")));
                    refs.extend(inherited.iter().cloned());
                    control_free |= targets.iter().any(|t| refs.contains(&format!("^{t}")));
                    let uses = uses(&text);
                    let reaches = |set: &BTreeSet<String>| {
                        targets.iter().any(|t| set.contains(t))
                            || (to_positional && POSITIONAL.iter().any(|p| set.contains(*p)))
                    };
                    let arith = super::flow::arithmetic_anywhere(&text);
                    let positional = POSITIONAL.iter().any(|p| arith.contains(*p));
                    let sensitive = reaches(&refs)
                        || refs.contains(ANY)
                        || reaches(&uses.words)
                        || reaches(&uses.split)
                        || reaches(&uses.options);
                    // Changed on its way there (`${u//,/ }`, `h=$(echo … | tr , ' ')`), a
                    // value is not what is checked.
                    if sensitive {
                        // Where a value is changed on the way to a sink: in the sink's own
                        // expansion, or in an assignment whose variable reaches one.
                        let mut changed: BTreeSet<String> = uses.changed.clone();
                        changed.extend(
                            refs.iter()
                                .filter_map(|r| r.strip_prefix('~'))
                                .map(str::to_string),
                        );
                        for name in super::flow::assignment_transforms(&text) {
                            if refs.contains(&name)
                                || uses.words.contains(&name)
                                || uses.split.contains(&name)
                                || uses.options.contains(&name)
                            {
                                changed.insert(name);
                            }
                        }
                        super::flow::with_sources(&text, &mut changed);
                        let through = list
                            .as_deref()
                            .is_some_and(|l| super::flow::assigned_through_command(&text, l, at));
                        // (`status=$(check "{{ v }}")`: what reaches a sink is the function's
                        // `$1`, a plain word below; `status` itself may go nowhere.)
                        let assigned_reach = targets.iter().any(|t| {
                            refs.contains(t)
                                || uses.words.contains(t)
                                || uses.split.contains(t)
                                || uses.options.contains(t)
                        }) || refs.contains(ANY);
                        if (through && assigned_reach)
                            || targets.iter().any(|t| changed.contains(t))
                        {
                            return Err(Unsafe {
                                construct: "a value changed on its way".into(),
                                why: format!(
                                    "it is assigned to `{}` {}, and that variable then reaches a command's words, options or a string parsed again: what the change makes of the value cannot be checked",
                                    targets.iter().next().map_or("?", String::as_str),
                                    if through {
                                        "through a command substitution"
                                    } else {
                                        "and changed by an expansion (`${x//…}`, `${x#…}`, `${x@…}`)"
                                    }
                                ),
                                help: "use the value as it is, quoted where it is expanded (`\"$x\"`), or give the input a `pattern` and the command the parts it needs".into(),
                            });
                        }
                    }
                    // (Reached only word by word through a `for` loop: plain words.)
                    let split_only = if reaches(&refs) {
                        reparsed_split_only(&text)
                    } else {
                        BTreeSet::new()
                    };
                    // (Read line by line, `done <<< "{{ v }}"` with `while read -r p`, or only
                    // ever set so, a variable never holds a new line: plain words too.)
                    let whole = |set: &BTreeSet<String>| {
                        targets.iter().any(|t| {
                            set.contains(t)
                                && !split_only.contains(t)
                                && super::flow::one_line(&text, t).is_none()
                        }) || (to_positional && POSITIONAL.iter().any(|p| set.contains(*p)))
                    };
                    if whole(&refs) || refs.contains(ANY) || reaches(&uses.words) {
                        Slot::PlainWord(quoting)
                    } else if targets.iter().any(|t| {
                        refs.contains(t)
                            && super::flow::one_line(&text, t) == Some(super::flow::Piece::Line)
                    }) {
                        Slot::PlainLines(quoting)
                    } else if targets.iter().any(|t| arith.contains(t))
                        || (positional && to_positional)
                    {
                        Slot::NoSubscript(quoting)
                    } else if reaches(&uses.split)
                        || reaches(&refs)
                        || reaches(&uses.operands_split)
                    {
                        Slot::PlainWords(quoting)
                    } else if reaches(&uses.options) || reaches(&uses.operands) {
                        // Read line by line (`mapfile -t hs < <(printf … "{{ v }}")`): every
                        // line starts a word there, not only the value's first.
                        // (Also the lines `mapfile -t` reads, walked one by one: audit 19.)
                        if targets.iter().any(|t| {
                            super::flow::read_by_lines(&text, t)
                                || super::flow::one_line(&text, t) == Some(super::flow::Piece::Line)
                        }) {
                            Slot::PlainWords(quoting)
                        } else {
                            Slot::NoOption(quoting)
                        }
                    } else if targets
                        .iter()
                        .any(|t| super::flow::indirect(&text).contains(t) || uses.names.contains(t))
                    {
                        Slot::Name
                    } else {
                        Slot::Quoted(quoting)
                    }
                };
                // Written to a file, printed by a function whose output is captured: where
                // the script also parses text runbook does not follow, the value may be it.
                let mut left = None;
                let mut read_back = false;
                let mut slot = match (slot, list.as_deref()) {
                    (
                        Slot::Quoted(q)
                        | Slot::NoOption(q)
                        | Slot::NoSubscript(q)
                        | Slot::PlainWords(q)
                        | Slot::PlainLines(q),
                        Some(l),
                    ) if q != Quoting::Arithmetic => {
                        let leaves = super::spill::leaves(&text, l, at, &targets);
                        if leaves.is_some()
                            && let Some(file) = unknown::loader_list_written(&text, l)
                        {
                            return Err(Unsafe {
                                construct: file.clone(),
                                why: format!(
                                    "it is written to `{file}`, the dynamic loader's list of libraries (or of their folders) that every program loads: whatever the value holds, a path there is code that runs in every program, as root"
                                ),
                                help: "write the library's path in the runbook itself, and have the operator confirm the step (`dangerous: true`)".into(),
                            });
                        }
                        if let Some((file, runs)) =
                            formats::starts_a_command(&text, l, at, &targets)
                        {
                            return Err(Unsafe {
                                construct: file.clone(),
                                why: format!(
                                    "it starts a command of `{file}`, whose lines {runs} runs as commands: whatever the value holds, even one word (`reboot`), it would be a command there"
                                ),
                                help: "write the command in the runbook and pass the value to it as an argument (`/usr/local/bin/backup {{ … }}`)".into(),
                            });
                        }
                        match leaves
                            .clone()
                            .and_then(|how| Some((how, parses_unknown(&text, l, &targets)?)))
                        {
                            Some((how, sink)) => {
                                left = Some(format!("{how}, and {sink}"));
                                Slot::PlainWord(q)
                            }
                            // `echo "{{ v }}" > hosts; while read -r h; do ssh -n "$h" …;
                            // done < hosts`: each line of a file stands where options are
                            // read.
                            None if leaves.is_some() && reads_file_into_options(&text) => {
                                Slot::PlainWords(q)
                            }
                            // `printf '%s\n' "{{ v }}" > l.txt; vim "$(cat l.txt)"`: each
                            // word of it stands where a program reads options, and vim's
                            // `+cmd` or make's and env's `NAME=` may run a command there
                            // (audit 23 HOLE-F).
                            None if leaves
                                .as_deref()
                                .is_some_and(|how| may_read_again(&text, how))
                                && reads_file_into_operands(&text) =>
                            {
                                read_back = true;
                                Slot::PlainWords(q)
                            }
                            None => slot,
                        }
                    }
                    (slot, _) => slot,
                };
                // `ssh h systemctl restart "${S@Q}"`, `$(printf %q "$S")`: quoted for the
                // other shell, but a word of its command there, which reads options (audit
                // 20 OPT-2).
                if let Slot::Quoted(q) = slot
                    && (control_free || quoted_for_shell)
                {
                    slot = Slot::NoOption(q);
                }
                // Spliced into sed's or awk's code, which can run a shell: data only until
                // what ends the command or string holding it.
                let mut code_end = None;
                // (The code: the word holding the value, or the here-document's body.)
                let code: Option<(String, usize)> = list.as_deref().and_then(|l| {
                    if let Some(w) = l
                        .iter()
                        .flat_map(|c| c.words.iter())
                        .find(|w| w.span.contains(&at))
                    {
                        return Some((w.cooked.clone(), w.cooked.find(SENTINEL)?));
                    }
                    let body = l
                        .iter()
                        .flat_map(|c| c.heredocs.iter())
                        .find(|h| h.body.contains(&at))?
                        .body
                        .clone();
                    Some((text.get(body.clone())?.to_string(), at - body.start))
                });
                if let Some(f) = foreign
                    && !std::ptr::eq(f, &foreign::PSQL_VARIABLE)
                    && let Some((code, k)) = &code
                {
                    match super::splice::ends(f.language, code, *k) {
                        Some(super::splice::Ends::Chars { chars, what }) => {
                            code_end = Some((chars, what));
                        }
                        Some(super::splice::Ends::Code) => {
                            if let Slot::Quoted(q)
                            | Slot::NoOption(q)
                            | Slot::PlainWords(q)
                            | Slot::PlainLines(q) = slot
                            {
                                slot = Slot::PlainWord(q);
                            }
                        }
                        Some(super::splice::Ends::Commands) => {
                            return Err(Unsafe {
                                construct: f.language.to_string(),
                                why: format!(
                                    "it stands where {} reads its commands, which can run a shell",
                                    f.language
                                ),
                                help: f.help.to_string(),
                            });
                        }
                        None => {}
                    }
                }
                // `psql -c "\set n '{{ v }}'"`, `-c '\o {{ v }}'`: a psql command, whose
                // backquotes and `|command` run a shell (psql reads no SQL around it).
                if let Some(f) = foreign
                    && std::ptr::eq(f, &PSQL)
                    && code_end.is_none()
                    && list.as_deref().is_some_and(|l| {
                        l.iter()
                            .flat_map(|c| c.words.iter())
                            .find(|w| w.span.contains(&at))
                            .is_some_and(|w| w.cooked.trim_start().starts_with('\\'))
                    })
                {
                    code_end = Some((
                        "`|'\n\r\\".to_string(),
                        "the psql command's argument (backquotes and `|` run a shell there)"
                            .to_string(),
                    ));
                }
                // `psql -v uid="{{ v }}"` with `:uid` in its SQL: copied there as it is.
                if foreign.is_some_and(|f| std::ptr::eq(f, &foreign::PSQL_VARIABLE)) {
                    code_end = Some((
                        foreign::PSQL_VARIABLE_ENDS.to_string(),
                        "the SQL around the psql variable it is given to, which `:name` copies into the SQL as it is (only a number or a name is data there)".to_string(),
                    ));
                }
                // `make "{{ v }}"`, `env "{{ v }}" cmd`: with a `=`, an assignment (audit 22).
                if code_end.is_none()
                    && let Some(what) = list.as_deref().and_then(|l| {
                        l.iter().find_map(|c| {
                            let args = c.args();
                            let k = args.iter().position(|w| w.span.contains(&at))?;
                            options::assignment_word(&args, k)
                        })
                    })
                {
                    code_end = Some(("=".to_string(), what.to_string()));
                }
                // (Through a copy: `T="{{ v }}"; make "$T"`.)
                if code_end.is_none()
                    && !targets.is_empty()
                    && options::assignment_copies(&text)
                        .iter()
                        .any(|n| targets.contains(n))
                {
                    code_end = Some((
                        "=".to_string(),
                        "it is copied to a word that make or env reads as a variable assignment when it holds `=` (make's `X:=$(shell …)` runs a command, env's `BASH_ENV=file` runs the file)".to_string(),
                    ));
                }
                // A SQL client's script on its input: a new line may start a client command
                // (`.shell`, `system`) and a `\` one anywhere (psql's `\!`), which run a shell.
                // (Its string literal's quote too, where it stands in one: `'X'`.)
                if let Some(f) = foreign
                    && (std::ptr::eq(f, &PSQL_STDIN) || std::ptr::eq(f, &MYSQL_STDIN))
                {
                    let mut chars = "\n\r\\`|".to_string();
                    if let Some((literal, _)) = &code_end {
                        chars.extend(literal.chars().filter(|c| !"\n\r\\`|".contains(*c)));
                    }
                    code_end = Some((
                        chars,
                        "the line of SQL the client reads (a new line or `\\` may start a client command such as `\\!` or `.shell`)".to_string(),
                    ));
                }
                // Given to code that runs a program with a list of arguments: a word of
                // that program, which reads options (audit 24 HOLE-K); changed by the code on
                // the way, not what was checked.
                if let Some(f) = foreign
                    && std::ptr::eq(f, &foreign::RUNS_A_PROGRAM)
                {
                    if let Some(code) = list.as_deref().and_then(|l| {
                        l.iter().find_map(|c| {
                            let args = c.args();
                            args.iter().any(|w| w.span.contains(&at)).then_some(())?;
                            let i = crate::shell::programs::command_index(&args);
                            let name = crate::shell::programs::base(&args.get(i)?.cooked);
                            foreign::code_runs_programs(name, &args, i).map(str::to_string)
                        })
                    }) && changes_text(&code)
                    {
                        return Err(Unsafe {
                            construct: f.language.to_string(),
                            why: "the code it is given to changes text (cuts, decodes or replaces it) and runs a program with it: what of the value reaches that program cannot be checked".into(),
                            help: f.help.to_string(),
                        });
                    }
                    if let Slot::Quoted(q) = slot {
                        slot = Slot::NoOption(q);
                    }
                }
                // Code that changes text (decodes, replaces, cuts) and hands strings to a
                // shell: plain words may come out of it as a command line (audit 22 HOLE-D).
                if let Some(f) = foreign
                    && (std::ptr::eq(f, &SHELLED_CHANGED)
                        || list
                            .as_deref()
                            .and_then(|l| code_holding(&text, l, at))
                            .is_some_and(|code| {
                                calls_shell(CodeOf::language(f), code) && changes_text(code)
                            }))
                {
                    return Err(Unsafe {
                        construct: f.language.to_string(),
                        why: "the code it is given to changes text (decodes, replaces or cuts it) and hands strings to a shell: what of the value reaches that shell cannot be checked".into(),
                        help: SHELLED.help.to_string(),
                    });
                }
                // Code that hands strings to a shell (`system()`, `os.system`, `shell=True`,
                // backquotes, awk's `print | "sh"`, Tcl's `exec`): a value spliced into it, or
                // given to it as an argument, may reach that shell, where only one plain word
                // stays data.
                if let Some(f) = foreign
                    && (std::ptr::eq(f, &SHELLED)
                        || std::ptr::eq(f, &SHELLED_CHANGED)
                        || list
                            .as_deref()
                            .and_then(|l| code_holding(&text, l, at))
                            .is_some_and(|code| {
                                calls_shell(CodeOf::language(f), code)
                                    || (CodeOf::language(f) == CodeOf::Tcl && code.contains("send"))
                            }))
                    && let Slot::Quoted(q)
                    | Slot::NoOption(q)
                    | Slot::PlainWords(q)
                    | Slot::PlainLines(q)
                    | Slot::NoSubscript(q) = slot
                {
                    slot = Slot::PlainWord(q);
                }
                if read_back && code_end.is_none() {
                    code_end = directive_chars(&text).map(|chars| {
                        (
                            chars.to_string(),
                            "it is written to a file that the script reads back into a program's arguments, where a word starting with `+` is a command of vim, ex or less, and a word holding `=` an assignment of make or env that may run a command".to_string(),
                        )
                    });
                }
                // `curl -d "{{ v }}"`, `M="{{ v }}"; curl -F "msg=$M"`: `@/etc/passwd` would
                // have curl read a local file and send it (audit 22 OPT-C).
                let mut plan = Plan {
                    code_end,
                    foreign,
                    control_free,
                    left,
                    ..Plan::bare(layers, slot, env_travels)
                };
                if let Some(l) = list.as_deref() {
                    hold_arguments(&mut plan, &text, l, at, &targets);
                }
                return Ok(plan);
            }
            Role::Name => {
                return Ok(Plan::bare(layers, Slot::Name, env_travels));
            }
            Role::NoOption => {
                let mut plan = Plan::bare(layers, Slot::NoOption(quoting), env_travels);
                // `curl --data-ascii "{{ v }}"`: an option runbook does not know takes it.
                if let Some(l) = list.as_deref() {
                    hold_arguments(&mut plan, &text, l, at, &BTreeSet::new());
                    if plan.code_end.is_some() {
                        return Ok(plan);
                    }
                }
                // `env "{{ v }}" bash`: a word holding `=` is a variable of the command's
                // environment there (`BASH_ENV=file` runs the file: audit 22).
                plan.code_end = list.as_deref().and_then(|l| {
                    l.iter().find_map(|c| {
                        let args = c.args();
                        let k = args.iter().position(|w| w.span.contains(&at))?;
                        options::assignment_word(&args, k)
                            .map(|what| ("=".to_string(), what.to_string()))
                    })
                });
                return Ok(plan);
            }
            Role::SudoShell => {
                return Ok(Plan::bare(layers, Slot::SudoShell(quoting), env_travels));
            }
            Role::PlainLines | Role::PlainWords => {
                let slot = if matches!(role, Role::PlainLines) {
                    Slot::PlainLines(quoting)
                } else {
                    Slot::PlainWords(quoting)
                };
                let mut plan = Plan::bare(layers, slot, env_travels);
                // `pods=$(… | grep "{{ v }}"); kubectl delete $pods`: the words may pick what
                // is deleted.
                if let Some(l) = list.as_deref() {
                    hold_arguments(&mut plan, &text, l, at, &BTreeSet::new());
                }
                return Ok(plan);
            }
            Role::PlainWord => {
                let mut plan = Plan::bare(layers, Slot::PlainWord(quoting), env_travels);
                // `ansible -e "{{ v }}"`: `@file` reads a file of variables.
                if let Some(l) = list.as_deref() {
                    hold_arguments(&mut plan, &text, l, at, &BTreeSet::new());
                }
                return Ok(plan);
            }
            Role::ScriptFile(_) | Role::Refused(_) => {
                return Ok(Plan::bare(layers, Slot::Quoted(quoting), env_travels));
            }
            Role::Arith => {
                return Ok(Plan::bare(
                    layers,
                    Slot::Quoted(Quoting::Arithmetic),
                    env_travels,
                ));
            }
            Role::Reparse(r) => {
                if super::context::in_backquotes(&text, at) {
                    return Err(Unsafe {
                        why: format!(
                            "it stands in backquotes, inside a string that `{}` runs again: backquotes remove one more level of backslashes, which runbook does not follow",
                            r.construct
                        ),
                        construct: r.construct,
                        help: "write the command substitution as `$( … )` instead of backquotes"
                            .into(),
                    });
                }
                if layers.len() >= MAX_DEPTH {
                    return Err(Unsafe {
                        construct: r.construct,
                        why: format!("it is nested more than {MAX_DEPTH} strings deep"),
                        help: "pass the value in the environment (`env:` of the step) and read it there".into(),
                    });
                }
                if !matches!(
                    quoting,
                    Quoting::Bare
                        | Quoting::Double
                        | Quoting::Single
                        | Quoting::DollarSingle
                        | Quoting::Heredoc
                        | Quoting::QuotedHeredoc
                ) {
                    return Err(unclear(&layers, "is quoted in a way runbook cannot follow"));
                }
                let inner = with_functions(&text, &r);
                let Some(inner_at) = inner.find(SENTINEL) else {
                    return Err(Unsafe {
                        construct: r.construct.clone(),
                        why: format!("it is lost in the string that `{}` runs", r.construct),
                        help: HELP_ARGUMENT.into(),
                    });
                };
                env_travels &= r.travels;
                inherited.extend(
                    reparsed_refs(&text)
                        .into_iter()
                        .filter(|r| POSITIONAL.contains(&r.as_str())),
                );
                layers.push(Layer {
                    quoting,
                    construct: r.construct,
                });
                text = inner;
                at = inner_at;
            }
        }
    }
}

/// Holds `plan`'s value to what the arguments and documents it stands in make of it: a file
/// named by how it starts (`curl -d @file`), another setting of a program or a data format
/// (JSON, YAML, an env-file, a connection string, a URL, a path under a folder).
fn hold_arguments(
    plan: &mut Plan,
    text: &str,
    list: &[Command],
    at: usize,
    targets: &BTreeSet<String>,
) {
    let held: Vec<_> = holding::holding(text, list, at, targets).collect();
    for found in settings::settings(list, at, &held) {
        found.hold(plan);
    }
    if let Some(found) = files::file_argument(text, list, at, targets) {
        found.hold(plan);
    }
    for found in batches::batches(text, list, at, targets, &held) {
        found.hold(plan);
    }
    for found in formats::formats(text, list, at, &held) {
        found.hold(plan);
    }
    if plan.wide.is_none() {
        plan.wide = widens::widens(text, list, at, targets);
    }
}

/// Refuses a plan that puts the value in `$'…'` for a shell that may not have it: `sh`
/// (dash), the login shell of `ssh HOST` or `su -c`. There `$` and a single-quoted string are
/// read instead, and the escapes runbook writes for `$'…'` (`\'`) would end the quote.
/// `outer_has` says whether the step's own shell has it (bash, ksh, zsh).
pub fn check_dollar_single(plan: &Plan, outer_has: bool) -> Result<(), Unsafe> {
    // The string at depth `k` is read by the shell of layer `k - 1` (the step's shell for
    // the outermost); `eval` is read by the shell that runs it.
    let reader = |k: usize| -> (bool, String) {
        let mut k = k;
        while let Some(j) = k.checked_sub(1) {
            let construct = plan.layers[j].construct.as_str();
            let program = base(construct.split_whitespace().next().unwrap_or(""));
            if program != "eval" {
                let has = matches!(program, "bash" | "zsh" | "ksh" | "mksh");
                let who = if SHELLS.contains(&program) {
                    format!("the `{program}` of `{construct}`")
                } else {
                    format!("the shell that `{construct}` starts")
                };
                return (has, who);
            }
            k = j;
        }
        (outer_has, "the step's shell".to_string())
    };
    let slot_quoting = match plan.slot {
        Slot::Quoted(q)
        | Slot::PlainWord(q)
        | Slot::PlainWords(q)
        | Slot::PlainLines(q)
        | Slot::NoSubscript(q)
        | Slot::NoOption(q)
        | Slot::SudoShell(q) => Some(q),
        Slot::Name => None,
    };
    let quotings = plan
        .layers
        .iter()
        .map(|l| Some(l.quoting))
        .chain(std::iter::once(slot_quoting));
    for (k, q) in quotings.enumerate() {
        if q != Some(Quoting::DollarSingle) {
            continue;
        }
        let (has, who) = reader(k);
        if !has {
            return Err(Unsafe {
                construct: "$'…'".into(),
                why: format!(
                    "it stands in `$'…'`, which {who} may not have (`sh` is dash on Debian and Ubuntu; a login shell may be any): the value would not arrive as written, and could end the quote"
                ),
                help: "use single or double quotes around it, or `shell: bash`".into(),
            });
        }
    }
    Ok(())
}

/// Whether the script defines an alias whose first word is a program that parses its
/// arguments again (`alias ev=eval`, `alias r='sudo sh -c'`).
fn aliases_a_reparser(text: &str) -> bool {
    text.match_indices("alias ").any(|(at, _)| {
        let rest = &text[at + "alias ".len()..];
        let Some((_, value)) = rest.split_once('=') else {
            return false;
        };
        let first = value
            .trim_start_matches(['\'', '"'])
            .split(|c: char| c.is_whitespace() || "'\";&|)".contains(c))
            .next()
            .unwrap_or("");
        REPARSERS.contains(&base(first))
            || SHELLS.contains(&base(first))
            || super::flow::functions(text).contains(first)
    })
}

/// What stands right before the value, or around it, that changes how a shell reads it
/// whatever runbook writes: a `\` or `$` just before it (`\{{ v }}` escapes the quote runbook
/// opens; `${{ v }}` makes it `$'…'` or `$"…"`), and, in a string another shell runs, a
/// comment (a new line in the value ends it: quotes mean nothing there) or backquotes (which
/// remove one more level of backslashes).
fn escaped_or_commented(
    text: &str,
    at: usize,
    quoting: Quoting,
    layers: &[Layer],
) -> Option<Unsafe> {
    let construct = || {
        layers
            .last()
            .map_or_else(|| "the script".to_string(), |l| l.construct.clone())
    };
    let before = &text[..at.min(text.len())];
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    let unquoted_here = matches!(quoting, Quoting::Bare | Quoting::Double | Quoting::Heredoc);
    if unquoted_here && backslashes % 2 == 1 {
        return Some(Unsafe {
            construct: construct(),
            why: "a `\\` stands right before it: it would escape the quote that keeps the value one word of data, or hide the value".into(),
            help: "remove the `\\`, or put it in quotes of its own (`'\\'{{ v }}`)".into(),
        });
    }
    if unquoted_here && backslashes == 0 && before.ends_with('$') {
        return Some(Unsafe {
            construct: construct(),
            why: "a `$` stands right before it: with the quote runbook writes, it would make `$'…'` or `$\"…\"`, which read the value differently".into(),
            help: "write the `$` apart from the value (`'$'{{ v }}`), or leave it out".into(),
        });
    }
    if layers.is_empty() {
        return None;
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let comment = before[line_start..].char_indices().any(|(k, c)| {
        let pos = line_start + k;
        c == '#'
            && (pos == line_start || before[..pos].ends_with([' ', '\t', ';', '&', '|', '(', ')']))
            && context_at(text, pos) == Quoting::Bare
    });
    if comment {
        return Some(Unsafe {
            construct: construct(),
            why: format!(
                "it stands in a comment of the string that `{}` runs: a new line in the value would end the comment, and quotes mean nothing there",
                construct()
            ),
            help: "take the value out of the comment".into(),
        });
    }
    if super::context::in_backquotes(text, at) {
        return Some(Unsafe {
            construct: construct(),
            why: format!(
                "it stands in backquotes inside the string that `{}` runs: backquotes remove one more level of backslashes and end at the first backquote, whatever runbook quotes",
                construct()
            ),
            help: "write the command substitution as `$( … )` instead of backquotes".into(),
        });
    }
    None
}

fn unclear(layers: &[Layer], what: &str) -> Unsafe {
    let construct = layers
        .last()
        .map_or_else(|| "the script".to_string(), |l| l.construct.clone());
    Unsafe {
        why: format!("the string that `{construct}` runs again {what}"),
        construct,
        help: HELP_ARGUMENT.into(),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_crossing;
#[cfg(test)]
mod tests_languages;
#[cfg(test)]
mod tests_programs;
