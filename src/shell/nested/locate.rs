//! [`locate`]: the command holding a placeholder, and what its word is to that command
//! (through pipes, `read` into variables, functions, command substitutions).

use super::command::role_of;
use super::options::{option_naming_a_command, read_as_option};
use super::refs::{
    bare_in_string, output_to_program, pipe_reader, reads_dollar_single, reparsed_refs,
    ssh_host_only, stdin_reader, xargs_runs_input,
};
use super::role::{Ctx, Reparse, Role};
use super::sourced::sourced_function;
use super::stdin::{foreign_stdin, reads_stdin_as_script, stdin_code_runs_shell};
use super::types::{HELP_ARGUMENT, SENTINEL, Unsafe};
use super::uses::{split_sensitive, uses};
use crate::shell::context::{Quoting, context_at};
use crate::shell::programs::{
    KEYWORDS, base, command_index, find_wrapper, has, is_assignment_word, options, value_of,
};
use crate::shell::words::{Command, Expansion, Word, commands, cook_heredoc};

/// Finds the command holding `at` among `list` (descending into `$( )` of data words) and
/// says what the text at `at` is to it.
pub(super) fn locate(text: &str, list: &[Command], at: usize) -> Result<Role, Unsafe> {
    for (n, cmd) in list.iter().enumerate() {
        for heredoc in &cmd.heredocs {
            if heredoc.body.contains(&at) || (heredoc.body.is_empty() && heredoc.body.start == at) {
                if cmd.args().first().is_some_and(|a| a.cooked == "exec") {
                    return Err(Unsafe {
                        why: "it stands in a here-document opened by `exec` on a file descriptor, which any later command may run".into(),
                        construct: "exec <<".into(),
                        help: "give the here-document to the command that reads it".into(),
                    });
                }
                let Some(reader) = stdin_reader(text, list, n) else {
                    // `cat <<EOT | while read -r h; do ssh -n "$h" …`, `on_all <<EOT` whose
                    // body reads its lines into such a variable.
                    if cmd.piped
                        && let Some(read) = read_into_code(text, list, n)
                    {
                        return read;
                    }
                    if let Some(read) = function_reads(text, &cmd.args()) {
                        return read;
                    }
                    return Ok(Role::Data(foreign_stdin(&cmd.args())));
                };
                let (construct, travels) = reader?;
                let inner = if heredoc.quoted {
                    text[heredoc.body.clone()].to_string()
                } else {
                    let Some((cooked, expansions)) = cook_heredoc(text, heredoc.body.clone())
                    else {
                        return Err(Unsafe {
                            why: format!(
                                "the here-document that `{construct}` runs has an unclosed `$(` or `${{`"
                            ),
                            construct,
                            help: HELP_ARGUMENT.into(),
                        });
                    };
                    if let Some(e) = expansions.iter().find(|e| e.span.contains(&at)) {
                        return Err(inside_expansion(text, e, &construct));
                    }
                    cooked
                };
                if !heredoc.closed {
                    return Err(Unsafe {
                        why: format!("the here-document that `{construct}` runs is never closed"),
                        construct,
                        help: "end the here-document with its delimiter on a line of its own"
                            .into(),
                    });
                }
                return Ok(Role::Reparse(Reparse {
                    inner,
                    construct,
                    travels,
                }));
            }
        }
        let args = cmd.args();
        let Some(w) = cmd.words.iter().find(|w| w.span.contains(&at)) else {
            continue;
        };
        // `BASH_ENV={{ v }} bash …`, `export ENV=…`, `env LD_PRELOAD=…`: bash expands
        // `$(…)` in BASH_ENV and ENV and runs the file they name; the loader preloads.
        if let Some((name, value)) = w.cooked.split_once('=')
            && value.contains(SENTINEL)
            && (crate::values::is_protected_env(name) || name == "PROMPT_COMMAND")
        {
            return Err(Unsafe {
                why: format!(
                    "it is assigned to `{name}`, which makes a shell or the loader run what it names"
                ),
                construct: format!("{name}="),
                help: format!(
                    "set `{name}` in the runbook's top-level `env:` if it must be set, never from a value"
                ),
            });
        }
        if w.redirect {
            if w.herestring && cmd.args().first().is_some_and(|a| a.cooked == "exec") {
                return Err(Unsafe {
                    why: "it stands in a here-string opened by `exec` on a file descriptor, which any later command may run".into(),
                    construct: "exec <<<".into(),
                    help: "give the here-string to the command that reads it".into(),
                });
            }
            // `exec < <(echo "…")`: what the substitution prints is the input of every later
            // command, a shell reading its input among them.
            if let Some(e) = w
                .expansions
                .iter()
                .find(|e| e.span.contains(&at) && e.process)
                && cmd.args().first().is_some_and(|a| a.cooked == "exec")
                && let Some((construct, _)) = list
                    .iter()
                    .find_map(|c| reads_stdin_as_script(&c.args(), 0, Ctx::default()))
            {
                return Err(inside_expansion(text, e, &construct));
            }
            // `ssh h 'bash -s' < <(printf … "{{ v }}")`: what the substitution prints is the
            // script.
            if let Some(e) = w
                .expansions
                .iter()
                .find(|e| e.span.contains(&at) && e.process)
                && let Some(reader) = stdin_reader(text, list, n)
            {
                let construct = match reader {
                    Ok((c, _)) => c,
                    Err(u) => u.construct,
                };
                return Err(inside_expansion(text, e, &construct));
            }
            if w.herestring
                && let Some(reader) = stdin_reader(text, list, n)
            {
                let (construct, travels) = reader?;
                if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at)) {
                    return Err(inside_expansion(text, e, &construct));
                }
                return Ok(Role::Reparse(Reparse {
                    inner: w.cooked.clone(),
                    construct: format!("{construct} <<<"),
                    travels,
                }));
            }
            // `sh 3<<<"echo {{ v }}" /dev/fd/3`: a here-string on a descriptor that the
            // shell reads as its script (audit 20 HOLE-4).
            if super::refs::here_string(text, w) && super::refs::script_from_descriptor(&args) {
                return Err(Unsafe {
                    why: "it stands in a here-string that a shell reads as its script (through `/dev/fd/N`)".into(),
                    construct: "<<< /dev/fd".into(),
                    help: HELP_ARGUMENT.into(),
                });
            }
            if w.herestring {
                if let Some(read) = function_reads(text, &args) {
                    return read;
                }
                return Ok(Role::Data(foreign_stdin(&args)));
            }
            // `done < <(ssh h "journalctl -u {{ v }}")`, `> >(eval "…")`, `> "$(…)"`: the
            // commands inside are followed like any others (what they print is read through
            // a file, and a reader of it may make it code again).
            if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at))
                && let Some(inner) = &e.inner
            {
                let inner_list = commands(text, inner.clone()).ok_or_else(|| Unsafe {
                    construct: if e.process { "<( )" } else { "$( )" }.into(),
                    why: "the substitution around it does not parse".into(),
                    help: HELP_ARGUMENT.into(),
                })?;
                return match read_into(text, &args) {
                    Some(read) => read,
                    None => locate(text, &inner_list, at),
                };
            }
            return Ok(Role::Data(None));
        }
        let index = args
            .iter()
            .position(|a| a.span == w.span)
            .unwrap_or_default();
        let mut role = role_of(&args, index, Ctx::default());
        if let Some(construct) = option_naming_a_command(&args, index) {
            return Err(Unsafe {
                why: format!(
                    "it is the value of `{construct}`, which may name a command to run (`ssh -o ProxyCommand=…`, `git -c core.fsmonitor=…`, `git clone -u …`)"
                ),
                construct,
                help: "write the option in the runbook and give the value only the part that is data (`ssh -o ConnectTimeout={{ … }}` with a `type: int` input)".into(),
            });
        }
        // `python3 - "{{ v }}" <<'PY'`, `… | tclsh /dev/stdin "{{ v }}"`: an argument of a
        // program whose code, read from its input, hands strings to a shell.
        if matches!(role, Role::Data(None) | Role::Operand)
            && index > command_index(&args)
            && stdin_code_runs_shell(text, list, n)
        {
            role = Role::PlainWord;
        }
        // `. lib.sh; on_host web-1 systemctl status "{{ v }}"`: a command the script does
        // not define may be a function of the file it sources, which runbook cannot read:
        // an argument given to it must be one plain word.
        if matches!(role, Role::Data(None) | Role::Operand)
            && sourced_function(text, list, &args, index).is_some()
        {
            role = Role::PlainWord;
        }
        // `[[ -v seen["{{ host }}"] ]]`, `read "seen[{{ host }}]"` of a `declare -A seen`: the
        // key is a string, not arithmetic, but bash expands it once more (whatever
        // `assoc_expand_once`): one plain word is data there.
        if matches!(role, Role::Arith)
            && let Some(open) = w.cooked.find('[')
            && crate::shell::context::is_associative(text, &w.cooked[..open], w.span.start)
        {
            role = Role::PlainWord;
        }
        // Data that may not start with `-`: checked as data first (pipes, outputs). Any
        // program's operand that the value starts, before `--`, whatever branch read it
        // (`kubectl delete pod {{ v }}`, `sudo systemctl stop {{ v }}`).
        let lead = args.first().map_or("", |a| base(&a.cooked));
        let generic = index > 0
            && !KEYWORDS.contains(&lead)
            && !matches!(lead, "for" | "select" | "in")
            && read_as_option(lead, &args, 0, index);
        let operand =
            matches!(role, Role::Operand) || (generic && matches!(role, Role::Data(None)));
        if operand {
            role = Role::Data(None);
        }
        // `… | grep "{{ v }}" | xargs kubectl delete pod`: grep prints lines of its input,
        // never its pattern; what flows down the pipe is the input's.
        let filters = grep_pattern(&args, index);
        if let Role::Data(None) = role
            && cmd.piped
            && !filters
            && let Some(r) = piped_text(text, &args, index, list, n)
        {
            role = r;
        }
        if let Role::Data(None) = role
            && cmd.piped
            && !filters
            && let Some(read) = read_into_code(text, list, n)
        {
            role = read?;
        }
        if let Role::Data(None) = role
            && output_to_program(text, cmd)
        {
            return Err(Unsafe {
                why: "it stands in a command whose output goes to another program (a process substitution, or a file descriptor opened on one or on a `coproc`), which may run it as code".into(),
                construct: "> >( )".into(),
                help: HELP_ARGUMENT.into(),
            });
        }
        if let Role::ScriptFile(construct) = &role {
            // `bash <(echo …)`, `source <(…)`: what the substitution prints is run.
            return match w.expansions.iter().find(|e| e.span.contains(&at)) {
                Some(e) => Err(inside_expansion(text, e, construct)),
                None => Ok(Role::Data(None)),
            };
        }
        if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at)) {
            // `read -r n < <(echo …)`: what a process substitution prints is read through a
            // file, whatever the word's place; only a reader may make it code again.
            if e.process
                && let Some(inner) = &e.inner
            {
                // `xargs -a <(printf … "{{ v }}") -I{} sh -c '… {}'`: what it prints is
                // xargs' input, which goes into a command.
                if let Some(construct) = xargs_runs_input(text, &args) {
                    return Err(inside_expansion(text, e, &construct));
                }
                let inner_list = commands(text, inner.clone()).ok_or_else(|| Unsafe {
                    construct: "<( )".into(),
                    why: "the process substitution around it does not parse".into(),
                    help: HELP_ARGUMENT.into(),
                })?;
                // `ssh h 'bash -s' < <(printf … "{{ v }}")`: what it prints is the script.
                if text[..w.span.start].trim_end().ends_with('<')
                    && let Some(reader) = stdin_reader(text, list, n)
                {
                    let construct = match reader {
                        Ok((c, _)) => c,
                        Err(u) => u.construct,
                    };
                    return Err(inside_expansion(text, e, &construct));
                }
                return match read_into(text, &args) {
                    Some(read) => read,
                    None => locate(text, &inner_list, at),
                };
            }
            // `$(printf %s "{{ v }}") --now`, `ssh $(echo "{{ v }}") uptime`: what the
            // substitution prints is split into the words of a command, its name or the
            // options of a program that runs some: a value there must be one plain word.
            let split = e.inner.is_some()
                && context_at(text, e.span.start) == Quoting::Bare
                && splits_into_command(&args, index);
            let split_role = |role: Role| match role {
                Role::Data(None) | Role::Operand | Role::NoOption if split => Role::PlainWord,
                role => role,
            };
            return match (&role, &e.inner) {
                (Role::Data(_), Some(inner)) => {
                    let inner_list = commands(text, inner.clone()).ok_or_else(|| Unsafe {
                        construct: "$( )".into(),
                        why: "the command substitution around it does not parse".into(),
                        help: HELP_ARGUMENT.into(),
                    })?;
                    locate(text, &inner_list, at).map(split_role)
                }
                (Role::Data(_), None) => Ok(Role::Data(None)),
                (Role::ControlFree, _) => Ok(Role::ControlFree),
                (Role::Name | Role::Arith, _) => Err(Unsafe {
                    construct: "$( )".into(),
                    why: "it stands in an expansion whose result is used as a variable name".into(),
                    help: "give the name directly".into(),
                }),
                // `ssh h "… $(printf %q "{{ v }}")"`: printf quotes the value for the shell
                // that parses the string again; the value is printf's argument.
                (Role::Reparse(r), Some(_))
                    if printf_q(&text[e.span.clone()])
                        && bare_in_string(text, w.span.start, e.span.start) =>
                {
                    Ok(if reads_dollar_single(&r.construct) {
                        Role::Data(None)
                    } else {
                        Role::ControlFree
                    })
                }
                (Role::Reparse(r), _) => Err(inside_expansion(text, e, &r.construct)),
                (Role::SudoShell, _) => Err(inside_expansion(text, e, "sudo -i")),
                (Role::NoOption, _) => Ok(split_role(Role::NoOption)),
                (Role::Operand, _) => Ok(split_role(Role::Data(None))),
                (Role::PlainWord, _) => {
                    Err(inside_expansion(text, e, "a program named by a variable"))
                }
                (Role::PlainWords | Role::PlainLines, _) => Err(inside_expansion(
                    text,
                    e,
                    "a variable read line by line where options are read",
                )),
                (Role::ScriptFile(c), _) => Err(inside_expansion(text, e, c)),
                (Role::Refused(u), _) => Err(u.clone()),
            };
        }
        return match role {
            Role::Refused(u) => Err(u),
            Role::Data(None) if operand => Ok(Role::Operand),
            role => Ok(role),
        };
    }
    Ok(Role::Data(None))
}

/// Whether an unquoted expansion in word `k` of `args` is split into the words of a
/// command: its name, or an argument of a program that may run one of its arguments.
fn splits_into_command(args: &[&Word], k: usize) -> bool {
    let first = command_index(args);
    first < args.len() && (k == first || (k > first && split_sensitive(args[first])))
}

/// `$(printf %q "…")` around one argument and nothing else: its output is that argument,
/// quoted for a shell.
fn printf_q(expansion: &str) -> bool {
    ["$(printf %q ", "$(printf '%q' ", "$(printf \"%q\" "]
        .iter()
        .any(|p| {
            expansion.strip_prefix(p).is_some_and(|rest| {
                rest.ends_with(')')
                    && !rest.contains(['$', '`', ';', '|', '&', '(', '<', '>'])
                    && rest.trim_end_matches(')').trim().starts_with('"')
            })
        })
}

fn inside_expansion(text: &str, e: &Expansion, construct: &str) -> Unsafe {
    let raw = &text[e.span.clone()];
    let what = if raw.starts_with("$(") || raw.starts_with('`') {
        "a command substitution"
    } else if raw.starts_with("<(") || raw.starts_with(">(") {
        "a process substitution"
    } else {
        "an expansion"
    };
    Unsafe {
        why: format!("it stands in {what} whose result `{construct}` runs again as code"),
        construct: construct.to_string(),
        help: HELP_ARGUMENT.into(),
    }
}

/// Whether `args[index]` is the pattern of `grep` (its first operand, or the argument of
/// `-e`), which grep matches against its input and never prints. (A file name may be
/// printed, `-H`; a pattern file is read, `-f`.)
fn grep_pattern(args: &[&Word], index: usize) -> bool {
    if !args
        .first()
        .is_some_and(|w| matches!(base(&w.cooked), "grep" | "egrep" | "fgrep"))
    {
        return false;
    }
    let (j, seen) = options(
        args,
        1,
        "efmABCdD",
        &[
            "regexp",
            "file",
            "max-count",
            "after-context",
            "before-context",
            "context",
            "label",
            "binary-files",
            "devices",
            "directories",
        ],
    );
    if has(&seen, &["-f", "--file"]) {
        return false;
    }
    let by_e: Vec<usize> = seen
        .iter()
        .filter(|(o, _)| o == "-e" || o == "--regexp")
        .filter_map(|(_, v)| *v)
        .collect();
    if by_e.is_empty() {
        index == j
    } else {
        by_e.contains(&index)
    }
}

/// `echo … {{ v }} … | sh`: the words echo prints are the script of a shell further down the
/// pipe; what any other command prints there (`printf`, `tee`, `sed`) cannot be followed.
fn piped_text(
    text: &str,
    args: &[&Word],
    index: usize,
    list: &[Command],
    n: usize,
) -> Option<Role> {
    let (construct, travels, _) = pipe_reader(text, list, n)?;
    let first = args.first()?;
    let direct = list
        .get(n + 1)
        .is_some_and(|next| reads_stdin_as_script(&next.args(), 0, Ctx::default()).is_some());
    let words: Vec<&str> = args[1..].iter().map(|w| w.cooked.as_str()).collect();
    if base(&first.cooked) != "echo"
        || index == 0
        || !direct
        || words.first().is_some_and(|w| w.starts_with('-'))
    {
        return Some(Role::Refused(Unsafe {
            why: format!(
                "it stands in a command whose output `{construct}` runs as a script further down the pipe"
            ),
            construct,
            help: HELP_ARGUMENT.into(),
        }));
    }
    Some(Role::Reparse(Reparse {
        inner: words.join(" "),
        construct: format!("echo … | {construct}"),
        travels,
    }))
}

/// `echo "{{ v }}" | while read -r n; do echo $(( n + 1 )); done`: a later stage of the pipe
/// reads the output into variables that the script evaluates in arithmetic, reads as names
/// or gives to a string parsed again.
fn read_into_code(text: &str, list: &[Command], n: usize) -> Option<Result<Role, Unsafe>> {
    let mut k = n;
    while list.get(k).is_some_and(|c| c.piped) {
        k += 1;
        let args = list.get(k)?.args();
        if let Some(found) = read_into(text, &args).or_else(|| function_reads(text, &args)) {
            return Some(found);
        }
        // `… | xargs -I{} ssh {} uptime`: each line is a host, where options are read.
        if base(&args.first()?.cooked) == "xargs"
            && let Some(xargs) = find_wrapper("xargs")
        {
            let (j, seen) = options(&args, 1, xargs.short, xargs.long);
            let replace = value_of(&seen, &["-I"]).and_then(|v| args.get(v)).map(|w| {
                match w.cooked.split_once('I') {
                    Some((flags, rest)) if flags.starts_with('-') => rest.to_string(),
                    _ => w.cooked.clone(),
                }
            });
            if args.get(j).is_some_and(|w| base(&w.cooked) == "ssh")
                && (replace.is_some_and(|r| ssh_host_only(&args, j, &r))
                    || super::refs::xargs_words(&seen))
            {
                return Some(Ok(Role::PlainWords));
            }
        }
    }
    None
}

/// Whether the script reads a file line by line (`while read -r h; … done < FILE`,
/// `mapfile -t hs < FILE`) into a variable that stands where a program reads options or its
/// command.
pub(super) fn reads_file_into_options(text: &str) -> bool {
    static FROM_FILE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = FROM_FILE
        .get_or_init(|| {
            regex::Regex::new(r"(\bdone|\b(?:read|mapfile|readarray)\b[^\n;|&]*)\s<\s*[^<(\s]").ok()
        })
        .as_ref()
    else {
        return true;
    };
    if !re.is_match(text) {
        return false;
    }
    let uses = uses(text);
    uses.options
        .iter()
        .chain(&uses.words)
        .chain(&uses.split)
        .any(|v| crate::shell::flow::read_by_lines(text, v))
}

/// Whether the script reads a file back into the operands of a program, where it reads
/// options or directives (`vim "$(cat list.txt)"`, `read -r T < list.txt; make "$T"`,
/// `mapfile -t A < list.txt; vim "${A[@]}"`, `xargs -a list.txt make`): a value the script
/// wrote to a file stands there (audit 23 HOLE-F).
pub(super) fn reads_file_into_operands(text: &str) -> bool {
    static XARGS_FILE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    static FROM_FILE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let (Some(xargs), Some(from_file)) = (
        XARGS_FILE
            .get_or_init(|| {
                regex::Regex::new(r"\bxargs\b[^\n;|&]*(?:\s-a\s*\S|\s--arg-file[= ]|\s<\s*[^<(\s])|\bcat\s+[^\s;|&-][^\n;|&]*\|\s*xargs\b")
                    .ok()
            })
            .as_ref(),
        FROM_FILE
            .get_or_init(|| {
                regex::Regex::new(r"(\bdone|\b(?:read|mapfile|readarray)\b[^\n;|&]*)\s<\s*[^<(\s]")
                    .ok()
            })
            .as_ref(),
    ) else {
        return true;
    };
    // (What xargs reads goes after its command's own words: after a `--` there it is no
    // option, `xargs -r -d '\n' gzip -- < "$list"`.)
    if xargs.find_iter(text).any(|m| {
        let end = text[m.start()..]
            .find(['\n', ';', '|', '&'])
            .map_or(text.len(), |k| m.start() + k);
        !text[m.start()..end].split_whitespace().any(|w| w == "--")
    }) {
        return true;
    }
    if !text.contains("$(") && !text.contains('`') && !from_file.is_match(text) {
        return false;
    }
    let uses = uses(text);
    // (Any `$( )` starting an operand may print the file: `$(cat f)`, `$(<f)`, `$(head f)`.)
    if !uses.operand_substitutions.is_empty() {
        return true;
    }
    let operands: Vec<&String> = uses.operands.iter().chain(&uses.operands_split).collect();
    operands.iter().any(|v| {
        (from_file.is_match(text) && crate::shell::flow::read_by_lines(text, v))
            || crate::shell::flow::assigned_from_substitution(text, v)
    })
}

/// `on_all <<< "{{ v }}"` with `on_all() { while read -r h; do ssh -n "$h" uptime; done; }`:
/// a call of a script function whose body reads its input into variables (see
/// [`read_into`]).
fn function_reads(text: &str, args: &[&Word]) -> Option<Result<Role, Unsafe>> {
    if !text.contains("()") && !text.contains("function ") {
        return None;
    }
    let name = args.get(command_index(args))?;
    if !name.expansions.is_empty() || !crate::shell::flow::functions(text).contains(&name.cooked) {
        return None;
    }
    let body = crate::shell::flow::function_span(text, &name.cooked)?;
    commands(text, body)?
        .iter()
        .find_map(|c| read_into(text, &c.args()))
}

/// When `args` is a `read`/`mapfile` into variables that the script evaluates in arithmetic
/// (the text read must be an integer: `Role::Arith`), reads as names or parses again
/// (refused).
fn read_into(text: &str, args: &[&Word]) -> Option<Result<Role, Unsafe>> {
    let mut i = 0;
    while args.get(i).is_some_and(|w| {
        !w.quoted && KEYWORDS.contains(&w.cooked.as_str()) || is_assignment_word(w)
    }) {
        i += 1;
    }
    if args
        .get(i)
        .is_none_or(|w| !matches!(w.cooked.as_str(), "read" | "mapfile" | "readarray"))
    {
        return None;
    }
    let (j, seen) = options(args, i + 1, "adinNptuCcOs", &[]);
    // `read` stops at a new line unless `-d` or `-N` says otherwise (`mapfile`'s elements,
    // joined by `${a[*]}`, are the lines again); IFS set anywhere may join them too.
    let by_lines = args[i].cooked == "read" && !has(&seen, &["-d", "-N"]) && !text.contains("IFS");
    let names: Vec<&str> = args
        .iter()
        .skip(j)
        .filter(|w| w.expansions.is_empty())
        .map(|w| w.cooked.as_str())
        .chain(["REPLY", "MAPFILE"])
        .collect();
    let refs = reparsed_refs(text);
    let indirect = crate::shell::flow::indirect(text);
    // Read into a variable a string parsed again expands (`echo "{{ v }}" | while read -r p;
    // do ssh -n web-1 "kill $p"; done`): each line there must be plain words (it was an
    // RB031 error for every value, `nginx` too); read whole, with its new lines, one plain
    // word.
    if names
        .iter()
        .any(|n| refs.contains(*n) && !indirect.contains(*n))
        && !names.iter().any(|n| indirect.contains(*n))
    {
        return Some(Ok(if by_lines {
            Role::PlainLines
        } else {
            Role::PlainWord
        }));
    }
    if let Some(name) = names
        .iter()
        .find(|n| refs.contains(**n) || indirect.contains(**n))
    {
        return Some(Err(Unsafe {
            why: format!(
                "it is read into `{name}`, which the script reads as a variable name or parses again"
            ),
            construct: args[i].cooked.clone(),
            help: "pass the value through the step's `env:` and use it there".into(),
        }));
    }
    // Read into a variable used in arithmetic: the value must be an integer.
    let arith = crate::shell::flow::arithmetic_anywhere(text);
    if names.iter().any(|n| arith.contains(*n)) {
        return Some(Ok(Role::Arith));
    }
    // Read into a variable that stands where a program reads options or its command: each
    // line, each word, is checked (`ssh -n "$h"` with a line `-oProxyCommand=…`).
    let uses = uses(text);
    names
        .iter()
        .any(|n| {
            uses.options.contains(*n)
                || uses.words.contains(*n)
                || uses.split.contains(*n)
                || uses.operands.contains(*n)
        })
        .then_some(Ok(Role::PlainWords))
}
