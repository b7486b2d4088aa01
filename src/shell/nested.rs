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

use super::context::{Quoting, balanced, context_at};
use super::programs::{
    self, KEYWORDS, SHELLS, SSH, SUDO, base, command_index, find_wrapper, has, has_dash_c,
    is_assignment_word, options, same_option, shell_options, value_of, wrapped,
};
use super::words::{Command, Expansion, Word, commands, cook_heredoc};
use std::collections::BTreeSet;
use std::ops::Range;

/// The positional parameters, as `shell::flow` names them.
const POSITIONAL: [&str; 12] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "@", "*"];

/// How deep strings inside strings are followed.
const MAX_DEPTH: usize = 8;

/// The byte a placeholder is marked with while it is followed: a plain word character for
/// every shell construct, and kept as it is by quote removal.
const SENTINEL: char = '\u{1}';

/// Why a value may not stand in a [`Plan`]'s place: what `exec::render` refuses, and lint's
/// RB037 foresees, in the order the run checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Arithmetic: not an integer.
    NotInteger,
    /// A name's place: not an identifier.
    NotName,
    /// Holds this character, on which the script's IFS splits words.
    Split(char),
    /// Not plain words separated by white space.
    NotPlainWords,
    /// Holds this character, which ends the other language's string or command.
    EndsCode(char),
    /// Not one plain word.
    NotPlainWord,
    /// Holds `[ ] $`, a backquote or a parenthesis, where arithmetic evaluates it.
    Subscript,
    /// Starts with `-`, where options are read.
    LeadingDash,
    /// Holds a control character or a letter outside ASCII.
    Control,
    /// Holds `$` or a new line, which `sudo -i`'s login shell expands or joins.
    SudoShell,
}

impl Plan {
    /// Why `value` may not stand here (`ifs`: the characters besides white space that the
    /// script splits words at), or `None` where it is data.
    pub fn refusal(&self, value: &str, ifs: Option<&str>) -> Option<Refusal> {
        use super::quote::is_plain_word;
        let slot = match self.slot {
            Slot::Quoted(Quoting::Arithmetic) => {
                return value.parse::<i64>().is_err().then_some(Refusal::NotInteger);
            }
            Slot::Name => {
                return (!crate::values::is_identifier(value)).then_some(Refusal::NotName);
            }
            slot => slot,
        };
        // Split into words where several are expected (a `for` loop, `IFS=, read -ra
        // hosts`) or where only a leading `-` matters, each word is checked by itself.
        let pieces_pass = |split: &str| match slot {
            Slot::PlainWords(_) => value
                .split(|c: char| c.is_whitespace() || split.contains(c))
                .filter(|p| !p.is_empty())
                .all(is_plain_word),
            Slot::NoOption(_) => !value
                .split(|c: char| split.contains(c))
                .any(|p| p.trim_start().starts_with('-')),
            _ => false,
        };
        if matches!(
            slot,
            Slot::PlainWord(_) | Slot::PlainWords(_) | Slot::NoOption(_)
        ) && let Some(split) = ifs
            && let Some(c) = value.chars().find(|c| split.contains(*c))
            && !pieces_pass(split)
        {
            return Some(Refusal::Split(c));
        }
        if let Slot::PlainWords(_) = slot
            && !value.split_whitespace().all(is_plain_word)
        {
            return Some(Refusal::NotPlainWords);
        }
        if let Some((chars, _)) = &self.code_end
            && let Some(c) = value.chars().find(|c| chars.contains(*c))
        {
            return Some(Refusal::EndsCode(c));
        }
        if let Slot::PlainWord(_) = slot
            && !is_plain_word(value)
        {
            return Some(Refusal::NotPlainWord);
        }
        if let Slot::NoSubscript(_) = slot
            && value.contains(['[', ']', '$', '`', '(', ')'])
        {
            return Some(Refusal::Subscript);
        }
        if matches!(slot, Slot::NoOption(_)) && value.starts_with('-') {
            return Some(Refusal::LeadingDash);
        }
        if self.control_free && !value.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
            return Some(Refusal::Control);
        }
        if matches!(slot, Slot::SudoShell(_)) && value.contains(['$', '\n', '\r']) {
            return Some(Refusal::SudoShell);
        }
        None
    }
}

/// Where a value ends up, from the outer script inwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Each string around the value that another shell parses again, outermost first: how
    /// the value is quoted in it, and what parses it.
    pub layers: Vec<Layer>,
    /// How the shell that finally reads the value reads it.
    pub slot: Slot,
    /// Whether the outer shell's environment reaches that shell (a value can then be passed
    /// as a variable reference; otherwise it must be quoted into the text).
    pub env_travels: bool,
    /// The value is a piece of another language's code (`psql -c "… {{ v }}"`).
    pub foreign: Option<&'static Foreign>,
    /// The value reaches a string another shell parses through `${x@Q}` or `printf %q`,
    /// which write a new line or another control character as `$'…'`: a quoting that `sh`
    /// (dash) and a login shell over `ssh` may not read, so such a value is refused.
    pub control_free: bool,
    /// How the value leaves what runbook follows, where the script also parses text of
    /// unknown origin again (why a plain word is asked for): "is written to `job.sh`, and
    /// `bash job.sh` runs a file".
    pub left: Option<String>,
    /// A value spliced into the code of a language that runs shell commands (`sed`, `awk`):
    /// the characters that would end the piece of code holding it as data, and what they
    /// end.
    pub code_end: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    pub quoting: Quoting,
    /// What parses the string again, as the operator wrote it: `sh -c`, `ssh HOST`, `eval`.
    pub construct: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Quoted(Quoting),
    /// A variable name (`read NAME`, `printf -v NAME`, `declare NAME=…`): only an identifier
    /// is data there; anything else may be evaluated (`a[$(reboot)]`).
    Name,
    /// A value assigned to a variable (or positional parameter) that a string parsed again
    /// by another shell expands (`D={{ v }}; ssh h "ls $D"`): there it is code, so only one
    /// plain word is accepted (letters, digits and `_ . / : @ , + = %`, not starting with
    /// `-`).
    PlainWord(Quoting),
    /// A value that a `for` loop splits into words, each of which then stands where a plain
    /// word is needed (`HOSTS={{ v }}; for h in $HOSTS; do ssh $h uptime; done`): plain words
    /// separated by white space.
    PlainWords(Quoting),
    /// A value assigned to a variable that arithmetic evaluates somewhere in the script
    /// (`n={{ v }}; … $(( n + 1 ))`): bash evaluates its text, and runs what a subscript in it
    /// expands, so no `[`, `]`, `$`, backquote or parenthesis is accepted.
    NoSubscript(Quoting),
    /// An operand of a program that runs commands given in options (`ssh -oProxyCommand=…`,
    /// `git -c core.sshCommand=…`, `find -exec`, `tar --checkpoint-action=exec=…`): data,
    /// but never a value that starts with `-`.
    NoOption(Quoting),
    /// The arguments of `sudo -i`/`sudo -s COMMAND`: sudo escapes every character but letters,
    /// digits, `_`, `-` and `$`, then a login shell parses them, so `$` is expanded. The
    /// quoting is that of the shell running `sudo`.
    SudoShell(Quoting),
}

/// A language whose code may be given on a command line, and how to pass it a value instead.
#[derive(Debug, PartialEq, Eq)]
pub struct Foreign {
    pub language: &'static str,
    pub help: &'static str,
}

/// A placeholder in a string whose reader cannot be told: refused, never guessed safe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe {
    pub construct: String,
    pub why: String,
    pub help: String,
}

/// Follows the placeholder at `placeholder` of `lexed` (a script whose template blocks are
/// replaced by placeholders of the same length) into the strings that parse it again.
pub fn plan(lexed: &str, placeholder: Range<usize>) -> Result<Plan, Unsafe> {
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
            return Ok(Plan {
                layers,
                slot: Slot::Quoted(quoting),
                env_travels,
                foreign: None,
                control_free: false,
                left: None,
                code_end: None,
            });
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
                };
                // Data here, but where does it go? Into a variable the script uses in
                // arithmetic, or reads as a name, it is code again.
                let targets = list
                    .as_deref()
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
                let slot = if targets.is_empty() && !to_positional {
                    // Most values: an argument of a command, going nowhere else.
                    if operand {
                        Slot::NoOption(quoting)
                    } else {
                        Slot::Quoted(quoting)
                    }
                } else {
                    // Where the value may go further, it is held to what is harmless there:
                    // one plain word where a re-parsed string expands it, no subscript or
                    // expansion where arithmetic evaluates it. (Refusing every such script
                    // would refuse `i={{ host }}` in any script with a `for ((i…))` loop.)
                    let mut refs = reparsed_refs(&text);
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
                                && !super::flow::one_line(&text, t)
                        }) || (to_positional && POSITIONAL.iter().any(|p| set.contains(*p)))
                    };
                    if whole(&refs) || refs.contains(ANY) || reaches(&uses.words) {
                        Slot::PlainWord(quoting)
                    } else if targets.iter().any(|t| arith.contains(t))
                        || (positional && to_positional)
                    {
                        Slot::NoSubscript(quoting)
                    } else if reaches(&uses.split) || reaches(&refs) {
                        Slot::PlainWords(quoting)
                    } else if reaches(&uses.options) {
                        // Read line by line (`mapfile -t hs < <(printf … "{{ v }}")`): every
                        // line starts a word there, not only the value's first.
                        if targets.iter().any(|t| super::flow::read_by_lines(&text, t)) {
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
                let mut slot = match (slot, list.as_deref()) {
                    (
                        Slot::Quoted(q)
                        | Slot::NoOption(q)
                        | Slot::NoSubscript(q)
                        | Slot::PlainWords(q),
                        Some(l),
                    ) if q != Quoting::Arithmetic => {
                        let leaves = super::spill::leaves(&text, l, at, &targets);
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
                            None => slot,
                        }
                    }
                    (slot, _) => slot,
                };
                // Spliced into sed's or awk's code, which can run a shell: data only until
                // what ends the command or string holding it.
                let mut code_end = None;
                if let Some(f) = foreign
                    && let Some(word) = list.as_deref().and_then(|l| {
                        l.iter()
                            .flat_map(|c| c.words.iter())
                            .find(|w| w.span.contains(&at))
                    })
                    && let Some(k) = word.cooked.find(SENTINEL)
                {
                    match super::splice::ends(f.language, &word.cooked, k) {
                        Some(super::splice::Ends::Chars { chars, what }) => {
                            code_end = Some((chars, what));
                        }
                        Some(super::splice::Ends::Code) => {
                            if let Slot::Quoted(q) | Slot::NoOption(q) | Slot::PlainWords(q) = slot
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
                // A SQL client's script on its input: a new line may start a client command
                // (`.shell`, `system`) and a `\` one anywhere (psql's `\!`), which run a shell.
                if let Some(f) = foreign
                    && (std::ptr::eq(f, &PSQL_STDIN) || std::ptr::eq(f, &MYSQL_STDIN))
                    && code_end.is_none()
                {
                    code_end = Some((
                        "\n\r\\`|".to_string(),
                        "the line of SQL the client reads (a new line or `\\` may start a client command such as `\\!` or `.shell`)".to_string(),
                    ));
                }
                // Code that hands strings to a shell (`system()`, `os.system`, `shell=True`,
                // backquotes, awk's `print | "sh"`, Tcl's `exec`): a value spliced into it, or
                // given to it as an argument, may reach that shell, where only one plain word
                // stays data.
                if let Some(f) = foreign
                    && (std::ptr::eq(f, &SHELLED)
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
                    | Slot::NoSubscript(q) = slot
                {
                    slot = Slot::PlainWord(q);
                }
                return Ok(Plan {
                    layers,
                    slot,
                    env_travels,
                    foreign,
                    control_free,
                    left,
                    code_end,
                });
            }
            Role::Name => {
                return Ok(Plan {
                    layers,
                    slot: Slot::Name,
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
            }
            Role::NoOption => {
                return Ok(Plan {
                    layers,
                    slot: Slot::NoOption(quoting),
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
            }
            Role::SudoShell => {
                return Ok(Plan {
                    layers,
                    slot: Slot::SudoShell(quoting),
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
            }
            Role::PlainWords => {
                return Ok(Plan {
                    layers,
                    slot: Slot::PlainWords(quoting),
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
            }
            Role::PlainWord => {
                return Ok(Plan {
                    layers,
                    slot: Slot::PlainWord(quoting),
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
            }
            Role::ScriptFile(_) | Role::Refused(_) => {
                return Ok(Plan {
                    layers,
                    slot: Slot::Quoted(quoting),
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
            }
            Role::Arith => {
                return Ok(Plan {
                    layers,
                    slot: Slot::Quoted(Quoting::Arithmetic),
                    env_travels,
                    foreign: None,
                    control_free: false,
                    left: None,
                    code_end: None,
                });
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

const HELP_ARGUMENT: &str = "pass the value as an argument of the inner script (`sh -c 'echo \"$1\"' sh \"{{ v }}\"`) or through the step's `env:`";

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

/// What the word (or input) holding the placeholder is to its command.
#[derive(Debug)]
enum Role {
    Data(Option<&'static Foreign>),
    /// Data, as an operand of a program runbook does not know: it may not start with `-`
    /// (an option), unless `--` stands before it.
    Operand,
    NoOption,
    Name,
    /// A subscript of a name (`read 'a[…]'`, `[ -v 'a[…]' ]`): evaluated as arithmetic.
    Arith,
    /// The script file a shell runs (`bash FILE`, `source FILE`): data as a name, but what a
    /// process substitution there prints is code.
    ScriptFile(String),
    /// A place runbook knows to be unsafe for a value.
    Refused(Unsafe),
    /// Data, quoted by `printf %q` for a shell that may not read `$'…'`: no control
    /// character.
    ControlFree,
    SudoShell,
    Reparse(Reparse),
    /// An argument of a program that may parse it again (named by a variable): one plain word.
    PlainWord,
    /// Read line by line into a variable that stands where a program reads options or its
    /// command (`echo … | while read -r h; do ssh -n "$h" uptime; done`): plain words.
    PlainWords,
}

#[derive(Debug)]
struct Reparse {
    inner: String,
    construct: String,
    travels: bool,
}

/// Finds the command holding `at` among `list` (descending into `$( )` of data words) and
/// says what the text at `at` is to it.
fn locate(text: &str, list: &[Command], at: usize) -> Result<Role, Unsafe> {
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
            && super::context::is_associative(text, &w.cooked[..open], w.span.start)
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
                (Role::PlainWords, _) => Err(inside_expansion(
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

/// The string that `r` parses again, after the definitions of the functions of `outer` that
/// it calls where they are known there: in the same shell (`eval`, `trap 'cleanup "$s"'`),
/// or in a child shell when the script exports its functions (`export -f rs; bash -c 'rs
/// "$1"' _ "$s"`). What those functions do with their arguments is then followed too.
fn with_functions(outer: &str, r: &Reparse) -> String {
    if !outer.contains("()") && !outer.contains("function ") {
        return r.inner.clone();
    }
    let mut words = r.construct.split_whitespace().map(base);
    let same_shell = matches!(words.next(), Some("eval" | "trap"));
    let exported = [
        "export -f",
        "declare -fx",
        "declare -xf",
        "typeset -fx",
        "typeset -xf",
    ]
    .iter()
    .any(|e| outer.contains(e));
    let child_shell = exported
        && r.construct
            .split_whitespace()
            .any(|w| SHELLS.contains(&base(w)));
    // `ssh h "$(declare -f rs); rs …"`: the string carries the definitions it names.
    // (Its words hold the substitution's output, not its text: the script is read.)
    let shipped = ["$(declare -f", "$(typeset -f", "`declare -f", "`typeset -f"]
        .iter()
        .any(|d| outer.contains(d));
    if !same_shell && !child_shell && !shipped {
        return r.inner.clone();
    }
    let functions = super::flow::functions(outer);
    let calls = |text: &str, name: &str| {
        text.match_indices(name).any(|(at, _)| {
            let before = text[..at].bytes().next_back();
            let after = text[at + name.len()..].bytes().next();
            !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                && !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        })
    };
    let mut defs = String::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = taken.len();
        for f in &functions {
            if !taken.contains(f.as_str())
                && (calls(&r.inner, f) || calls(&defs, f))
                && let Some(span) = super::flow::function_span(outer, f)
            {
                taken.insert(f);
                // (The value stands in the string, not in the definitions.)
                defs.extend(
                    outer[span]
                        .chars()
                        .map(|c| if c == SENTINEL { 'x' } else { c }),
                );
                defs.push('\n');
            }
        }
        if taken.len() == before {
            break;
        }
    }
    defs + &r.inner
}

/// The variables that a string parsed again by another shell refers to (`eval "$cmd"`,
/// `ssh h "cd $DIR"`, `sh -c "$X"`): a value assigned to one of them becomes code.
pub fn reparsed_refs(text: &str) -> BTreeSet<String> {
    let mut refs = reparsed_refs_in(text, 0);
    // bash expands these again: `${x@P}`, and the prompt variables (`PS4` at every traced
    // command).
    refs.extend(prompt_expanded(text));
    refs.extend(PROMPTS.iter().map(|p| p.to_string()));
    // What is copied into one of them (`y=$x; eval "$y"`) is parsed again too.
    super::flow::with_sources(text, &mut refs);
    let mut quoted: BTreeSet<String> = refs
        .iter()
        .filter_map(|r| r.strip_prefix('^'))
        .map(str::to_string)
        .collect();
    super::flow::with_sources(text, &mut quoted);
    refs.extend(quoted.into_iter().map(|n| format!("^{n}")));
    refs
}

/// The variables of [`reparsed_refs`] that reach a string parsed again only word by word,
/// through a `for NAME in $LIST` loop (`for svc in $SERVICES; do ssh h "restart $svc"`):
/// each word of theirs must be a plain word there, not the whole value.
pub fn reparsed_split_only(text: &str) -> BTreeSet<String> {
    let mut direct = reparsed_refs_in(text, 0);
    direct.extend(prompt_expanded(text));
    direct.extend(PROMPTS.iter().map(|p| p.to_string()));
    let (whole, split) = super::flow::sources_by_splitting(text, &direct);
    split
        .difference(&whole)
        .filter(|name| only_in_for_lists(text, name))
        .cloned()
        .collect()
}

/// Whether every expansion of `$name` in `text` is a word of a `for … in` list, unquoted
/// (`for s in $LIST`): split into words, never read whole or line by line.
fn only_in_for_lists(text: &str, name: &str) -> bool {
    let b = text.as_bytes();
    let mut found = false;
    for (i, _) in text.match_indices('$') {
        let rest = &text[i + 1..];
        let braced = rest.starts_with('{');
        let after = if braced { &rest[1..] } else { rest };
        if !after.starts_with(name)
            || after[name.len()..]
                .bytes()
                .next()
                .is_some_and(super::flow::is_name_byte)
        {
            continue;
        }
        if braced && !after[name.len()..].starts_with('}') {
            return false;
        }
        // The command up to here: `for NAME in WORDS… `, with no quote, the expansion a word
        // of its own.
        let line = &text[text[..i].rfind(['\n', ';', '|', '&']).map_or(0, |k| k + 1)..i];
        let in_list = line.trim_start().starts_with("for ")
            && line.split_whitespace().nth(2) == Some("in")
            && !line.contains(['"', '\'', '`', '('])
            && i > 0
            && b[i - 1].is_ascii_whitespace();
        if !in_list {
            return false;
        }
        found = true;
    }
    found
}

/// The scripts inside the redirections of a command (`done < <(ssh h "…")`, `> >(tee …)`,
/// `> "$(mktemp)"`), which [`Command::args`] leaves out.
fn redirected_scripts(cmd: &Command) -> Vec<Range<usize>> {
    cmd.words
        .iter()
        .filter(|w| w.redirect)
        .flat_map(|w| w.expansions.iter().filter_map(|e| e.inner.clone()))
        .collect()
}

/// The names expanded as a prompt: `${x@P}`.
fn prompt_expanded(text: &str) -> Vec<String> {
    text.match_indices("@P}")
        .filter_map(|(i, _)| {
            let open = text[..i].rfind("${")?;
            let name = &text[open + 2..i];
            (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
                .then(|| name.to_string())
        })
        .collect()
}

/// A `-c` script that runs its own arguments as a command (`"$@"`, `exec "$@"`, `"$0" "$@"`):
/// the offset from the script of the word that names the command (2 for `"$@"`, whose `$0`
/// comes first; 1 for `"$0"`).
fn runs_its_arguments(script: &str) -> Option<usize> {
    let list = commands(script, 0..script.len())?;
    list.iter().find_map(|cmd| {
        let args = cmd.args();
        let mut i = 0;
        while args
            .get(i)
            .is_some_and(|w| matches!(w.cooked.as_str(), "exec" | "command" | "builtin"))
        {
            i += 1;
        }
        let raw = &script[args.get(i)?.span.clone()];
        match raw {
            "\"$@\"" | "$@" | "\"${@}\"" | "${@}" | "$*" | "\"$*\"" => Some(2),
            "\"$0\"" | "$0" | "\"${0}\"" => Some(1),
            _ => None,
        }
    })
}

/// Programs that copy files: what they copy to may be a file the script wrote.
const COPIERS: &[&str] = &["cp", "mv", "install", "ln", "rsync", "scp"];

/// Every list of commands of a script: its own, those in its `$( )`, and those of the
/// strings it hands to another shell (`ssh h 'bash /tmp/job.sh'`), each with its own text.
fn command_lists(text: &str, list: &[Command]) -> Vec<(String, Vec<Command>)> {
    let mut lists: Vec<(String, Vec<Command>)> = vec![(text.to_string(), list.to_vec())];
    let mut k = 0;
    while let Some((t, l)) = lists.get(k) {
        let mut inner = Vec::new();
        for cmd in l {
            for e in cmd.words.iter().flat_map(|w| &w.expansions) {
                if let Some(r) = &e.inner
                    && let Some(found) = commands(t, r.clone())
                {
                    inner.push((t.clone(), found));
                }
            }
            let args = cmd.args();
            for n in 0..args.len() {
                if let Role::Reparse(r) = role_of(&args, n, Ctx::default())
                    && let Some(found) = commands(&r.inner, 0..r.inner.len())
                {
                    inner.push((r.inner, found));
                }
            }
        }
        lists.extend(inner);
        k += 1;
        if lists.len() > 256 {
            break;
        }
    }
    lists
}

/// Whether a file written by the script is a configuration whose entries run commands.
fn runs_its_entries(file: &str) -> bool {
    let file = file.trim_matches(|c| c == '"' || c == '\'');
    let name = base(file);
    file.contains("/cron")
        || file.contains("crontab")
        || file.contains(".ssh/")
        || file.ends_with("ssh_config")
        || file.contains("ssh_config.d/")
        || file.contains(".git/config")
        || file.ends_with("gitconfig")
        || file.contains("/systemd/")
        || [".service", ".timer", ".socket", ".path"]
            .iter()
            .any(|x| name.ends_with(x))
        || file.contains("/etc/profile")
        || file.contains("/etc/rc.local")
        || file.contains("sudoers")
        || file.contains("/etc/logrotate")
        || file.contains("/etc/udev/")
        || matches!(
            name,
            ".bashrc" | ".bash_profile" | ".profile" | ".zshrc" | ".bash_login" | ".envrc"
        )
}

/// Where the script parses again text whose origin runbook does not follow, said as the
/// construct: an expansion in a string another shell parses (`eval "$c"`, `ssh h "… $c"`),
/// a file it runs that the script may have written (`bash job.sh`, `. ./env.sh`, `./job.sh`,
/// `ssh h bash < job.sh`), the input of a shell further down a pipe (`envsubst < t | sh`), or
/// a command named by a variable (`sudo "${cmd[@]}"`). A value that leaves what runbook
/// follows ([`super::spill::leaves`]) may come back there as code.
fn parses_unknown(text: &str, list: &[Command], targets: &BTreeSet<String>) -> Option<String> {
    let lists = command_lists(text, list);
    // The files the script writes, and what `cp`, `install`, … copy to (their last operand).
    let mut written: Vec<String> = Vec::new();
    let mut configs: Vec<String> = Vec::new();
    let mut copies = false;
    for (t, l) in &lists {
        for c in l {
            written.extend(super::spill::written(t, c));
            let args = c.args();
            let i = command_index(&args);
            // `ssh -F cfg`, `crontab jobs`: files read as configurations that run commands.
            match args.get(i).map(|w| base(&w.cooked)) {
                Some("ssh" | "scp" | "sftp" | "autossh") => {
                    for (k, w) in args.iter().enumerate() {
                        if w.cooked == "-F" {
                            configs.extend(args.get(k + 1).map(|f| f.cooked.clone()));
                        } else if let Some(f) = w.cooked.strip_prefix("-F") {
                            configs.push(f.to_string());
                        }
                    }
                }
                Some("crontab") => {
                    configs.extend(
                        args[i + 1..]
                            .iter()
                            .filter(|w| !w.cooked.starts_with('-'))
                            .map(|w| w.cooked.clone()),
                    );
                }
                _ => {}
            }
            if args
                .get(i)
                .is_some_and(|w| COPIERS.contains(&base(&w.cooked)))
            {
                copies = true;
                if let Some(last) = args.last().filter(|_| args.len() > i + 2) {
                    written.push(last.cooked.clone());
                }
            }
        }
    }
    // A configuration whose entries run commands: cron's lines, ssh's `ProxyCommand`, git's
    // `!` aliases and `core.sshCommand`, systemd's `Exec…=`, a shell's start-up files.
    let tail = |f: &str| base(f.trim_matches(|c| c == '"' || c == '\'')).to_string();
    if let Some(file) = written
        .iter()
        .find(|f| runs_its_entries(f) || configs.iter().any(|c| tail(c) == tail(f)))
    {
        return Some(format!(
            "`{file}` is a configuration whose entries run commands (cron, ssh's `ProxyCommand`, git's aliases, systemd's `Exec…`, a shell's start-up file)"
        ));
    }
    let may_be_written = |w: &Word| {
        let name = w.cooked.strip_prefix("./").unwrap_or(&w.cooked);
        !w.expansions.is_empty()
            || written
                .iter()
                .any(|f| super::spill::unknown_file(f) || base(f) == base(name))
            || (copies && !name.starts_with('/'))
    };
    // The command as written, shortened.
    let shown = |t: &str, args: &[&Word]| {
        let raw = args
            .iter()
            .map(|w| &t[w.span.clone()])
            .collect::<Vec<_>>()
            .join(" ");
        match raw.char_indices().nth(60) {
            Some((cut, _)) => format!("{}…", &raw[..cut]),
            None => raw,
        }
    };
    for (t, l) in &lists {
        let t = t.as_str();
        for (n, cmd) in l.iter().enumerate() {
            let args = cmd.args();
            // Text of unknown origin in a string another shell parses.
            // (A variable the script never sets holds what the step's environment gave; one
            // that holds the value is followed where it goes.)
            let unknown = |e: &&Expansion| {
                let raw = &t[e.span.clone()];
                super::spill::unset_in_script(text, raw).is_none()
                    && !targets.iter().any(|t| super::flow::refers(raw, t))
            };
            let mut spots: Vec<usize> = cmd
                .words
                .iter()
                .filter(|w| !w.redirect)
                .flat_map(|w| w.expansions.iter().filter(unknown).map(|e| e.span.start))
                .collect();
            for h in cmd.heredocs.iter().filter(|h| !h.quoted) {
                if let Some((_, expansions)) = cook_heredoc(t, h.body.clone()) {
                    spots.extend(expansions.iter().filter(unknown).map(|e| e.span.start));
                }
            }
            for spot in spots {
                match locate(t, l, spot) {
                    Ok(Role::Reparse(r)) => {
                        return Some(format!("`{}` parses an expansion again", r.construct));
                    }
                    Ok(Role::Refused(u)) | Err(u) => {
                        return Some(format!("`{}` parses an expansion again", u.construct));
                    }
                    Ok(Role::PlainWord) => {
                        return Some(format!(
                            "`{}` may parse an expansion again",
                            shown(t, &args)
                        ));
                    }
                    _ => {}
                }
            }
            // A file it runs, which it may have written.
            for (k, w) in args.iter().enumerate() {
                if matches!(role_of(&args, k, Ctx::default()), Role::ScriptFile(_))
                    && may_be_written(w)
                {
                    return Some(format!(
                        "`{}` runs a file the script may have written",
                        shown(t, &args)
                    ));
                }
            }
            let program = programs::program_index(&args, command_index(&args));
            if let Some(program) = args.get(program) {
                if !program.expansions.is_empty() && program.cooked != "[" {
                    return Some(format!(
                        "`{}` runs a command named by an expansion",
                        shown(t, &args)
                    ));
                }
                if program.cooked.contains('/') && may_be_written(program) {
                    return Some(format!(
                        "`{}` runs a file the script may have written",
                        shown(t, &args)
                    ));
                }
            }
            // Code that runs a shell may read any file (`python3 -c '…os.system(open(f)…)'`);
            // `xargs -a FILE` reads its input from a file.
            if let Some(construct) = code_runs_shell(&args) {
                return Some(format!("`{construct}` runs a shell from its code"));
            }
            let xargs = xargs_runs_input(text, &args);
            if let Some(construct) = &xargs
                && args
                    .iter()
                    .any(|a| a.cooked == "-a" || a.cooked.starts_with("--arg-file"))
            {
                return Some(format!("`{construct}` runs what it reads as code"));
            }
            // A file given to a program that runs it as code (`at -f F`, `python3 F`,
            // `awk -f F`, `crontab F`): code that can run a shell.
            let rest = args.get(program + 1..).unwrap_or_default();
            let after_f = rest
                .iter()
                .position(|a| matches!(a.cooked.as_str(), "-f" | "--file"))
                .and_then(|k| rest.get(k + 1));
            let first_operand = rest.iter().find(|a| !a.cooked.starts_with('-'));
            let code_file = match args.get(program).map(|p| base(&p.cooked)) {
                Some("at" | "batch" | "awk" | "gawk" | "mawk" | "sed" | "make") => after_f,
                Some(
                    "perl" | "ruby" | "node" | "php" | "lua" | "tclsh" | "expect" | "Rscript"
                    | "crontab",
                ) => first_operand,
                Some(name) if name.starts_with("python") => first_operand,
                _ => None,
            };
            if code_file.is_some_and(|f| may_be_written(f)) {
                return Some(format!(
                    "`{}` runs a file the script may have written",
                    shown(t, &args)
                ));
            }
            // The input of a shell, or of a program that puts it into a command.
            let reader = reads_stdin_as_script(&args, 0, Ctx::default())
                .map(|(construct, _)| construct)
                .or(xargs);
            if let Some(construct) = reader {
                let piped = n > 0 && l[n - 1].piped;
                let from_file = cmd.words.iter().any(|w| {
                    let before = t[..w.span.start].trim_end();
                    (w.redirect
                        && !w.herestring
                        && before.ends_with('<')
                        && !before.ends_with("<<")
                        && may_be_written(w))
                        // `sh <&4` after `exec 4< job.sh`: a descriptor opened elsewhere.
                        || (w.redirect && before.ends_with("<&") && w.cooked != "0")
                });
                if piped || from_file {
                    return Some(format!("`{construct}` runs what it reads as code"));
                }
            }
        }
    }
    None
}

/// Whether a shell stands before `at` in its simple command (`sudo sh -c '…' sh ARG`): the
/// words after its script are its positional parameters.
fn shell_before(text: &str, list: &[Command], at: usize) -> bool {
    for cmd in list {
        let Some(w) = cmd.words.iter().find(|w| w.span.contains(&at)) else {
            continue;
        };
        if let Some(e) = w.expansions.iter().find(|e| e.span.contains(&at))
            && let Some(inner) = &e.inner
            && let Some(inner_list) = commands(text, inner.clone())
        {
            return shell_before(text, &inner_list, at);
        }
        return cmd
            .words
            .iter()
            .take_while(|x| x.span.end <= at)
            .any(|x| !x.redirect && SHELLS.contains(&base(&x.cooked)));
    }
    false
}

/// How a script uses the values of its variables, beyond passing them as data.
#[derive(Debug, Default)]
pub struct Uses {
    /// Expanded where a name is expected (`printf -v "$n"`, `read "$n"`, `declare "$n=1"`,
    /// `[[ -v $n ]]`).
    pub names: BTreeSet<String>,
    /// Expanded where a program reads options, some of which run commands (`ssh "$h"`,
    /// `git clone "$r"`).
    pub options: BTreeSet<String>,
    /// Expanded unquoted (split into words) in the arguments of a program that runs some of
    /// its arguments as a command or reads options (`ssh $h uptime`, `sudo -u $u id`), or
    /// naming the program itself (`$cmd`): there a space or a leading `-` changes what
    /// runs.
    pub words: BTreeSet<String>,
    /// Whose values reach `options` or `words` split into words by a `for` loop
    /// (`for h in $HOSTS; do ssh $h …`).
    pub split: BTreeSet<String>,
    /// Expanded changed (`${h//,/ }`) in the words or options above.
    pub changed: BTreeSet<String>,
}

/// Programs whose arguments may be a command or an option that runs one: a value split into
/// several words there changes what runs.
const SPLIT_SENSITIVE: &[&str] = &[
    "find",
    "git",
    "scp",
    "sftp",
    "rsync",
    "tar",
    "zip",
    "curl",
    "wget",
    "exec",
    "command",
    "builtin",
    "runuser",
    "busybox",
    "oc",
    "nerdctl",
    "vagrant",
    "ansible",
    "pdsh",
    "consul",
    "heroku",
    "bolt",
    "mco",
    "dsh",
    "mussh",
    "at",
    "batch",
    "parallel",
    "chroot",
    "unshare",
    "nsenter",
    "ip",
    "systemd-run",
    "strace",
    "ltrace",
    "gdb",
    "valgrind",
    "perf",
    "taskset",
    "chrt",
    "numactl",
    "prlimit",
    "cgexec",
    "firejail",
    "bwrap",
    "fakeroot",
    "proxychains",
    "torsocks",
    "caffeinate",
    "retry",
];

/// Walks every simple command of the script (at any depth of `$( )`) and sorts the
/// variables it expands by how their values are used.
pub fn uses(text: &str) -> Uses {
    uses_in(text, 0)
}

/// Whether the command named by `w` may take a word split from a value as a command or an
/// option that runs one.
fn split_sensitive(w: &Word) -> bool {
    let name = base(&w.cooked);
    !w.expansions.is_empty()
        || REPARSERS.contains(&name)
        || SPLIT_SENSITIVE.contains(&name)
        || SHELLS.contains(&name)
        || find_wrapper(name).is_some()
}

/// Whether an unquoted expansion in word `k` of `args` is split into the words of a
/// command: its name, or an argument of a program that may run one of its arguments.
fn splits_into_command(args: &[&Word], k: usize) -> bool {
    let first = command_index(args);
    first < args.len() && (k == first || (k > first && split_sensitive(args[first])))
}

fn uses_in(text: &str, depth: usize) -> Uses {
    let mut out = Uses::default();
    let mut stack: Vec<Range<usize>> = Vec::new();
    stack.push(0..text.len());
    while let Some(range) = stack.pop() {
        let Some(list) = commands(text, range) else {
            continue;
        };
        for cmd in &list {
            let args = cmd.args();
            let first = Some(command_index(&args)).filter(|&i| i < args.len());
            let sensitive = first.is_some_and(|i| split_sensitive(args[i]));
            // `$SSH web-1 "… $svc"`: a program named by a variable may be any, `ssh` or
            // `eval` among them; what is given to it, quoted or not, is a word of its.
            let dynamic = first.is_some_and(|i| !args[i].expansions.is_empty());
            // The command a wrapper runs (`sudo "${cmd[@]}"`, `timeout 5 $c`) is named there.
            let behind = first.map(|i| programs::program_index(&args, i));
            // So is the command of `kubectl exec POD -- "${cmd[@]}"`, `docker exec app …`.
            let contained = behind.and_then(|i| programs::container_command(&args, i));
            // The commands of `done < <(…)` and `> >(…)` are the script's too.
            stack.extend(redirected_scripts(cmd));
            for (k, w) in args.iter().enumerate() {
                for e in &w.expansions {
                    if let Some(inner) = &e.inner {
                        stack.push(inner.clone());
                    }
                }
                // `sh -c '$1' sh ARG`, `bash -c 'ssh $h uptime'`: the inner script's uses
                // are its positional parameters' and its environment's.
                if depth < MAX_DEPTH
                    && let Role::Reparse(r) = role_of(&args, k, Ctx::default())
                {
                    let inner = uses_in(&with_functions(text, &r), depth + 1);
                    out.names.extend(inner.names);
                    out.options.extend(inner.options);
                    out.words.extend(inner.words);
                    out.changed.extend(inner.changed);
                }
                if w.expansions.is_empty() {
                    continue;
                }
                let read = || {
                    w.expansions
                        .iter()
                        .flat_map(|e| super::flow::referenced(&text[e.span.clone()]))
                };
                let changed = || {
                    w.expansions
                        .iter()
                        .flat_map(|e| super::flow::transformed(&text[e.span.clone()]))
                };
                // (`sudo systemctl restart $SERVICES`: words after the program a wrapper runs,
                // one that runs nothing, are its arguments, not commands.)
                // (Not behind `sudo -i`/`-s`, whose login shell parses them.)
                let plain_program = behind.is_some_and(|b| {
                    first.is_some_and(|i| {
                        b > i
                            && !args[i + 1..b].iter().any(|a| {
                                let a = a.cooked.as_str();
                                matches!(a, "--login" | "--shell")
                                    || (a.starts_with('-')
                                        && !a.starts_with("--")
                                        && a.contains(['i', 's']))
                            })
                    }) && b < k
                        && args[b].expansions.is_empty()
                        && !split_sensitive(args[b])
                });
                if first == Some(k)
                    || behind == Some(k)
                    || contained == Some(k)
                    || (dynamic && first.is_some_and(|i| k > i))
                    || (sensitive
                        && !plain_program
                        && first.is_some_and(|i| k > i)
                        && w.expansions
                            .iter()
                            .any(|e| context_at(text, e.span.start) == Quoting::Bare))
                {
                    out.words.extend(read());
                    out.changed.extend(changed());
                }
                let role = role_of(&args, k, Ctx::default());
                let name_like = match role {
                    Role::Name | Role::Arith => true,
                    Role::NoOption => {
                        out.options.extend(read());
                        out.changed.extend(changed());
                        false
                    }
                    // `declare "$n=1"`: the part before `=` is a name.
                    _ => {
                        matches!(
                            args.first().map(|a| a.cooked.as_str()),
                            Some("declare" | "typeset" | "local" | "export" | "readonly")
                        ) && k > 0
                            && w.expansions
                                .first()
                                .is_some_and(|e| !text[w.span.start..e.span.start].contains('='))
                    }
                };
                if name_like {
                    out.names.extend(read());
                }
            }
        }
    }
    let (options, options_split) = super::flow::sources_by_splitting(text, &out.options);
    let (words, words_split) = super::flow::sources_by_splitting(text, &out.words);
    out.options = options;
    out.words = words;
    out.split = options_split.union(&words_split).cloned().collect();
    // A variable that reaches options gets words split from a value (`read -ra h <<< …`).
    for name in super::flow::split_assigned(text) {
        if out.options.contains(&name) {
            out.split.insert(name);
        }
    }
    out
}

/// Expansions that quote a value for the shell that parses it again, so that it stays data
/// there: `${x@Q}`, `$(printf %q "$x")`.
fn quoted_for_reuse(expansion: &str) -> bool {
    if expansion.starts_with("${") && expansion.ends_with("@Q}") {
        return true;
    }
    // `$(printf %q "$x")`: one variable, quoted by printf.
    ["$(printf %q ", "$(printf '%q' ", "$(printf \"%q\" "]
        .iter()
        .any(|p| {
            expansion.strip_prefix(p).is_some_and(|rest| {
                rest.ends_with(')')
                    && rest.matches('$').count() == 1
                    && !rest.contains(['`', ';', '|', '&', '('])
            })
        })
}

/// Whether what starts at `at`, in the word (a string another shell parses) that starts at
/// `word_start`, stands outside that shell's own quotes: no `\"` or `'` left open before it.
fn bare_in_string(text: &str, word_start: usize, at: usize) -> bool {
    let before = &text[word_start.min(at)..at];
    before.matches("\\\"").count().is_multiple_of(2)
        && before.matches('\'').count().is_multiple_of(2)
}

/// Stands in a set of names for "any variable": a string parsed again expands `${!n}`, a
/// variable whose name is only known when the script runs.
pub const ANY: &str = "*any*";

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

/// The names a piece of text hands to another shell (its expansions that are not quoted for
/// reuse); [`ANY`] for an indirect expansion (`${!n}`).
fn handed_on(text: &str, expansions: &[Expansion]) -> Vec<String> {
    handed_on_into(text, expansions, None, false)
}

/// Whether the shell that a construct hands a string to reads `$'…'` (bash, zsh, ksh; and
/// `eval`, `trap`, `alias`, run by the script's own shell, which has `${x@Q}` only if it is
/// bash). `sh -c` (dash), `ssh HOST` (a login shell), `su -c`, `kubectl exec` may not.
fn reads_dollar_single(construct: &str) -> bool {
    let first = construct.split_whitespace().next().unwrap_or("");
    matches!(
        base(first),
        "bash" | "zsh" | "ksh" | "ksh93" | "mksh" | "eval" | "trap" | "alias"
    )
}

/// [`handed_on`], for the expansions of one word (from `word_start`) of a string that the
/// next shell parses: `${x@Q}` and `$(printf %q …)` quote for that shell only where they
/// stand bare in it. Inside its own quotes (`"… \"${x@Q}\" …"`, `"… '${x@Q}' …"`), the
/// quotes they write are text and `$(…)` in the value runs. For a shell that may not read
/// `$'…'` (`posix`), what they quote is `^NAME`: data only without a control character.
fn handed_on_into(
    text: &str,
    expansions: &[Expansion],
    word_start: Option<usize>,
    posix: bool,
) -> Vec<String> {
    let bare_inside =
        |e: &Expansion| word_start.is_none_or(|start| bare_in_string(text, start, e.span.start));
    let quoted = |e: &Expansion| quoted_for_reuse(&text[e.span.clone()]) && bare_inside(e);
    let control_free = expansions
        .iter()
        .filter(|e| posix && quoted(e))
        .flat_map(|e| super::flow::referenced(&text[e.span.clone()]))
        .map(|n| format!("^{n}"));
    expansions
        .iter()
        .filter(|e| !quoted(e))
        .flat_map(|e| {
            let raw = &text[e.span.clone()];
            let mut names = super::flow::referenced(raw);
            if !super::flow::indirect(raw).is_empty() {
                names.push(ANY.to_string());
            }
            // `$(printenv NV)`: the variables it prints by name; `$(env)` every one.
            for (at, _) in raw.match_indices("printenv") {
                let rest = &raw[at + "printenv".len()..];
                let named: Vec<&str> = rest
                    .split(|c: char| c.is_whitespace() || c == ')' || c == '`' || c == '"')
                    .take_while(|w| !w.contains([';', '|', '&']))
                    .filter(|w| !w.is_empty() && !w.starts_with('-'))
                    .collect();
                if named.is_empty() {
                    names.push(ANY.to_string());
                }
                names.extend(named.into_iter().map(str::to_string));
            }
            // `~NAME`: expanded changed (`${x//_/;}`) where the string is parsed again.
            names.extend(
                super::flow::transformed(raw)
                    .into_iter()
                    .map(|n| format!("~{n}")),
            );
            names
        })
        .chain(control_free)
        .collect()
}

/// Whether a command's output goes to another program that may run it: a process
/// substitution (`> >(bash)`), or a file descriptor in a script that opens one on a
/// process substitution or a `coproc` (`exec 3> >(sh)`, `>&"${COPROC[1]}"`).
fn output_to_program(text: &str, cmd: &Command) -> bool {
    let redirects: Vec<&Word> = cmd.words.iter().filter(|w| w.redirect).collect();
    // `> >(bash)`: the lexer reads the substitution as a word of its own.
    if cmd.words.iter().any(|w| {
        (w.redirect || text[..w.span.start].trim_end().ends_with('>'))
            && w.expansions.iter().any(|e| e.process)
    }) {
        return true;
    }
    let to_fd = redirects.iter().any(|w| {
        let before = text[..w.span.start].trim_end();
        before.ends_with(">&")
            && (w.cooked.parse::<u32>().is_ok_and(|fd| fd >= 3) || !w.expansions.is_empty())
    });
    if to_fd && (text.contains("coproc") || text.contains(">(")) {
        return true;
    }
    // `exec > >(sh)`: from then on, what every command prints goes to the program.
    static EXEC_OUT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\bexec\b[^\n;|]*?(?:^|\s)(?:1?>>?|&>>?)\s*>\(").ok()
    });
    text.contains(">(") && EXEC_OUT.as_ref().is_some_and(|re| re.is_match(text))
}

fn reparsed_refs_in(text: &str, depth: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<Range<usize>> = Vec::new();
    stack.push(0..text.len());
    while let Some(range) = stack.pop() {
        let Some(list) = commands(text, range) else {
            continue;
        };
        for (n, cmd) in list.iter().enumerate() {
            stack.extend(redirected_scripts(cmd));
            let args = cmd.args();
            for (k, w) in args.iter().enumerate() {
                for e in &w.expansions {
                    if let Some(inner) = &e.inner {
                        stack.push(inner.clone());
                    }
                }
                // What the outer shell expands into the string (not `'$1'`, which the inner
                // shell expands as data).
                let role = role_of(&args, k, Ctx::default());
                // A place where any value is refused (`tmux send-keys`, `screen -X stuff`):
                // a variable expanded there is typed or run as code too. So is one given to
                // a command that may be a function of a sourced file (`. lib.sh; rs "$s"`).
                if matches!(role, Role::Refused(_))
                    || (!w.expansions.is_empty()
                        && sourced_function(text, &list, &args, k).is_some())
                {
                    out.extend(handed_on(text, &w.expansions));
                }
                if let Role::Reparse(r) = role {
                    out.extend(handed_on_into(
                        text,
                        &w.expansions,
                        Some(w.span.start),
                        !reads_dollar_single(&r.construct),
                    ));
                    // `sh -c 'eval "$1"' sh ARG`, `x=… sh -c 'eval "$x"'`: what the inner
                    // script parses again is its positional parameters (the words after the
                    // script) or its environment.
                    if depth < MAX_DEPTH {
                        // (Through the copies the inner script makes: `trap 'rs "$s"'`
                        // calls a function that parses `$1` again.)
                        let inner = with_functions(text, &r);
                        let mut refs = reparsed_refs_in(&inner, depth + 1);
                        super::flow::with_sources(&inner, &mut refs);
                        out.extend(refs);
                    }
                }
            }
            // A SQL client's script on its input runs its own commands, some of which run a
            // shell (`\!`, `.shell`): what the script expands there is code for it.
            if (!cmd.heredocs.is_empty() || cmd.words.iter().any(|w| w.herestring))
                && foreign_stdin(&args)
                    .is_some_and(|f| std::ptr::eq(f, &PSQL_STDIN) || std::ptr::eq(f, &MYSQL_STDIN))
            {
                for h in cmd.heredocs.iter().filter(|h| !h.quoted) {
                    if let Some((_, expansions)) = cook_heredoc(text, h.body.clone()) {
                        out.extend(handed_on(text, &expansions));
                    }
                }
                for w in cmd.words.iter().filter(|w| w.herestring) {
                    out.extend(handed_on(text, &w.expansions));
                }
            }
            if let Some(reader) = stdin_reader(text, &list, n) {
                for h in cmd.heredocs.iter().filter(|h| !h.quoted) {
                    if let Some((_, expansions)) = cook_heredoc(text, h.body.clone()) {
                        out.extend(handed_on(text, &expansions));
                    }
                }
                // `bash -s -- ARG <<'EOF'` whose script runs `eval "… $1"`: what the
                // document parses again is that shell's positional parameters too.
                if reader.is_ok() && depth < MAX_DEPTH {
                    for h in &cmd.heredocs {
                        let body = if h.quoted {
                            Some(text[h.body.clone()].to_string())
                        } else {
                            cook_heredoc(text, h.body.clone()).map(|(cooked, _)| cooked)
                        };
                        if let Some(body) = body {
                            out.extend(reparsed_refs_in(&body, depth + 1));
                        }
                    }
                    for w in cmd.words.iter().filter(|w| w.herestring) {
                        out.extend(reparsed_refs_in(&w.cooked, depth + 1));
                    }
                }
                // `sh <<< "… $x"`
                for w in cmd.words.iter().filter(|w| w.herestring) {
                    out.extend(handed_on(text, &w.expansions));
                }
            }
            // `SVC=… awk 'BEGIN { system("… " ENVIRON["SVC"]) }'`: the variables that code
            // which runs a shell reads from its environment.
            // And the variables expanded in its arguments (`svc=…; python3 -c
            // '…os.system(… sys.argv[1])' "$svc"`, `awk -v s="$svc" 'BEGIN{system(…)}'`).
            if code_runs_shell(&args).is_some() {
                out.extend(code_env_reads(&args));
                for w in &args {
                    out.extend(handed_on(text, &w.expansions));
                }
            }
            // `SVC=… expect <<'EOF'` whose code spawns a shell: the same, read from the
            // code on its input (and its arguments: `python3 - "$svc" <<'PY'`).
            if stdin_code_runs_shell(text, &list, n) {
                out.extend(env_reads_in(&stdin_code(text, &list, n)));
                for w in &args {
                    out.extend(handed_on(text, &w.expansions));
                }
            }
            // `printf … "$x" | bash`, `echo "$x" > >(sh)`: what the command prints is run.
            if (cmd.piped && pipe_reader(text, &list, n).is_some()) || output_to_program(text, cmd)
            {
                for w in &args {
                    out.extend(handed_on(text, &w.expansions));
                }
            }
        }
    }
    out
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

/// The shell that reads the standard input of command `n` of `list` as a script, if any
/// (`bash`, `ssh HOST`, or a shell down the pipe after `cat` or `tee`): (construct, whether
/// the environment travels). Refused when a command that changes the text (`sed`, `grep`)
/// stands between.
fn stdin_reader(text: &str, list: &[Command], n: usize) -> Option<Result<(String, bool), Unsafe>> {
    let args = list[n].args();
    // `make -f - <<EOF`: the input is a makefile, whose recipes make expands (`$(…)`, `$$`)
    // and hands to a shell: neither grammar can be followed through the other.
    if let Some(make) = makefile_on_stdin(&args) {
        return Some(Err(Unsafe {
            why: format!(
                "it is read by `{make}` as a makefile, whose recipes make expands and runs in a shell"
            ),
            construct: make,
            help: "pass the value as a make variable on the command line (`make -f - VERSION=\"{{ … }}\"`, one plain word) or through the step's `env:`, and use `$$VERSION` in the recipe".into(),
        }));
    }
    if let Some(found) = reads_stdin_as_script(&args, 0, Ctx::default()) {
        return Some(Ok(found));
    }
    // `xargs -I{} sh -c '… {}' <<EOF`, `awk '{ system(… $0) }' <<< …`: the input becomes
    // part of a command.
    if let Some(construct) = xargs_runs_input(text, &args)
        .or_else(|| code_runs_shell(&args))
        .or_else(|| crontab_of_input(&args))
    {
        return Some(Err(Unsafe {
            why: format!("it is read by `{construct}`, which puts its input into a command"),
            construct,
            help: HELP_ARGUMENT.into(),
        }));
    }
    // A program runbook does not know, a function or a group of commands that names a shell
    // (`chroot / bash`, `sshpass -p x ssh h`, `remote() { ssh "$1" bash -s; }`,
    // `{ bash; }`): the document may be its script. Quoted for one, never guessed data.
    if pipe_reader(text, list, n).is_none()
        && let Some((shell, travels)) = shell_named(text, list, n)
    {
        return Some(Ok((
            format!("{shell} (started by a command runbook does not follow)"),
            travels,
        )));
    }
    // `cat > fix.sh <<EOF … EOF; bash fix.sh`: the document becomes a script that a later
    // command runs (quoted into it: who runs it, with which environment, is not followed).
    if let Some(file) = input_written_to(text, &list[n])
        && run_later(text, list, n, &file)
    {
        return Some(Ok((format!("{file} (written here, then run)"), false)));
    }
    let (construct, travels, clean) = pipe_reader(text, list, n)?;
    if clean && passes_input_on(&args) {
        Some(Ok((construct, travels)))
    } else {
        Some(Err(Unsafe {
            why: format!(
                "it is read by a command whose output `{construct}` runs as a script further down the pipe"
            ),
            construct,
            help: HELP_ARGUMENT.into(),
        }))
    }
}

/// The file a command writes its input to (`cat > F`, `cat >> F`, `tee [-a] F`), as written.
fn input_written_to(text: &str, cmd: &Command) -> Option<String> {
    let args = cmd.args();
    let i = command_index(&args);
    let as_written = |w: &Word| {
        let raw = text.get(w.span.clone())?;
        Some(raw.strip_prefix("./").unwrap_or(raw).to_string())
    };
    match base(&args.get(i)?.cooked) {
        "cat" if args.len() == i + 1 => cmd
            .words
            .iter()
            .find(|w| {
                let before = text[..w.span.start].trim_end();
                w.redirect && !w.herestring && before.ends_with('>') && !before.ends_with(">&")
            })
            .and_then(as_written),
        "tee" | "sponge" => args[i + 1..]
            .iter()
            .find(|a| !a.cooked.starts_with('-'))
            .and_then(|w| as_written(w)),
        // `install -m 755 /dev/stdin job.sh`, `cp /dev/stdin job.sh`: the last operand.
        "cp" | "install" if args[i + 1..].iter().any(|a| stdin_file(&a.cooked)) => {
            args.last().and_then(|w| as_written(w))
        }
        // `dd of=job.sh` with no `if=`.
        "dd" if !args[i + 1..].iter().any(|a| a.cooked.starts_with("if=")) => args[i + 1..]
            .iter()
            .find_map(|a| a.cooked.strip_prefix("of="))
            .map(|f| f.strip_prefix("./").unwrap_or(f).to_string()),
        _ => None,
    }
}

/// Whether a command after `list[n]` runs `file`: names it as the program, gives it to a
/// shell or to `.`/`source` (behind wrappers too), or feeds it to a shell's input.
fn run_later(text: &str, list: &[Command], n: usize, file: &str) -> bool {
    list.iter().enumerate().skip(n + 1).any(|(m, cmd)| {
        let args = cmd.args();
        let first = command_index(&args);
        cmd.words.iter().any(|w| {
            let raw = text.get(w.span.clone()).unwrap_or("");
            if raw.strip_prefix("./").unwrap_or(raw) != file {
                return false;
            }
            if w.redirect {
                return stdin_reader(text, list, m).is_some_and(|r| r.is_ok());
            }
            let Some(k) = args.iter().position(|a| a.span == w.span) else {
                return false;
            };
            k == first
                || args[first.min(k)..k].iter().any(|a| {
                    let name = base(&a.cooked);
                    SHELLS.contains(&name) || matches!(name, "." | "source")
                })
        })
    })
}

/// Commands whose reading of their arguments runbook knows, or that run no string they are
/// given: a script that sources a file may define a function of any other name.
const NOT_FUNCTIONS: &[&str] = &[
    "cd",
    "pwd",
    "ls",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "rmdir",
    "touch",
    "chmod",
    "chown",
    "ln",
    "stat",
    "df",
    "du",
    "ps",
    "kill",
    "pkill",
    "pgrep",
    "sleep",
    "date",
    "true",
    "false",
    "id",
    "whoami",
    "hostname",
    "uname",
    "basename",
    "dirname",
    "readlink",
    "realpath",
    "mktemp",
    "printf",
    "echo",
    "test",
    "[",
    "[[",
    "read",
    "export",
    "local",
    "declare",
    "typeset",
    "readonly",
    "unset",
    "shift",
    "set",
    "return",
    "exit",
    "break",
    "continue",
    "wait",
    "let",
    "systemctl",
    "journalctl",
    "service",
    "ip",
    "ss",
    "netstat",
    "ping",
    "dig",
    "host",
    "nslookup",
    "nc",
    "diff",
    "find",
    "xxd",
    "od",
    "sha256sum",
    "md5sum",
    "tar",
    "gzip",
    "gunzip",
    "zcat",
    "less",
    "more",
    "file",
    "env",
    "timeout",
    "nohup",
    "nice",
    "time",
    "python",
    "python3",
    "pip",
    "pip3",
    "node",
    "npm",
    "npx",
    "ruby",
    "perl",
    "php",
    "java",
    "go",
    "cargo",
    "make",
    "terraform",
    "helm",
    "aws",
    "gcloud",
    "az",
    "ansible",
    "ansible-playbook",
    "vault",
    "consul",
    "nomad",
    "docker",
    "podman",
    "psql",
    "pg_dump",
    "pg_restore",
    "pg_isready",
    "pgbench",
    "mysql",
    "mysqldump",
    "redis-cli",
    "rsync",
    "scp",
    "sftp",
    "openssl",
    "dd",
    "mount",
    "umount",
    "lsblk",
    "blkid",
    "fsck",
    "free",
    "top",
    "vmstat",
    "iostat",
    "lsof",
    "strace",
    "tcpdump",
    "iptables",
    "nft",
    "ufw",
    "apt-get",
    "apt",
    "dpkg",
    "yum",
    "dnf",
    "rpm",
    "useradd",
    "usermod",
    "passwd",
    "groupadd",
    "jq",
];

/// The name of the command at `args[index]`'s program when the script sources a file (`.
/// lib.sh`, `source lib.sh`) and the program is neither defined by the script nor one that
/// [`NOT_FUNCTIONS`] or runbook's tables know: it may be a function of that file.
fn sourced_function(text: &str, list: &[Command], args: &[&Word], index: usize) -> Option<String> {
    if !(text.contains(". ") || text.contains("source ")) {
        return None;
    }
    // (`source /dev/stdin <<'EOF'` reads the document, which runbook follows, unless it
    // defines functions.)
    let sources = list.iter().any(|c| {
        let a = c.args();
        let i = command_index(&a);
        a.get(i)
            .is_some_and(|w| matches!(w.cooked.as_str(), "." | "source"))
            && a.get(i + 1).is_some_and(|f| {
                !(f.cooked == "-" || stdin_file(&f.cooked))
                    || c.heredocs.iter().any(|h| {
                        text.get(h.body.clone())
                            .is_some_and(|b| b.contains("()") || b.contains("function "))
                    })
            })
    });
    if !sources {
        return None;
    }
    let i = command_index(args);
    let w = args.get(i)?;
    if index <= i || w.quoted || !w.expansions.is_empty() {
        return None;
    }
    let name = base(&w.cooked);
    let known = NOT_FUNCTIONS.contains(&name)
        || PRINTS.contains(&name)
        || DATA_READERS.contains(&name)
        || REPARSERS.contains(&name)
        || SHELLS.contains(&name)
        || KEYWORDS.contains(&name)
        || find_wrapper(name).is_some()
        || matches!(name, "." | "source")
        || super::flow::functions(text).contains(name);
    (!known).then(|| name.to_string())
}

/// `make -f -`, `gmake --file=/dev/stdin`: the makefile is read from standard input.
fn makefile_on_stdin(args: &[&Word]) -> Option<String> {
    let i = command_index(args);
    let name = base(&args.get(i)?.cooked);
    if !matches!(name, "make" | "gmake" | "bmake") {
        return None;
    }
    let stdin = |v: &str| v == "-" || stdin_file(v);
    let rest = &args[i + 1..];
    rest.iter()
        .enumerate()
        .any(|(k, a)| {
            let a = a.cooked.as_str();
            (matches!(a, "-f" | "--file" | "--makefile")
                && rest.get(k + 1).is_some_and(|n| stdin(&n.cooked)))
                || ["-f", "--file=", "--makefile="]
                    .iter()
                    .any(|p| a.strip_prefix(p).is_some_and(stdin))
        })
        .then(|| format!("{name} -f -"))
}

/// Commands that read their input as data, never as a script.
const DATA_READERS: &[&str] = &[
    "cat",
    "tee",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "sed",
    "awk",
    "gawk",
    "jq",
    "yq",
    "sort",
    "uniq",
    "wc",
    "head",
    "tail",
    "cut",
    "tr",
    "base64",
    "gpg",
    "openssl",
    "mail",
    "sendmail",
    "logger",
    "wall",
    "psql",
    "mysql",
    "sqlite3",
    "redis-cli",
    "mongosh",
    "curl",
    "wget",
    "kubectl",
    "read",
    "mapfile",
    "readarray",
    "while",
    "until",
    "crontab",
    "patch",
    "git",
    "dd",
    "gzip",
    "gunzip",
    "xz",
    "zstd",
    "python",
    "python3",
    "perl",
    "ruby",
    "node",
    "php",
    "lua",
    "printf",
    "echo",
    ":",
    "true",
    "diff",
    "cmp",
    "md5sum",
    "sha256sum",
    "nc",
    "socat",
];

/// The shell or `ssh` that a command runbook does not otherwise follow names: in its words
/// (and the strings among them), in the body of the function it calls, or in the group of
/// commands (`{ …; }`, `( … )`, a loop) that the redirection belongs to.
fn shell_named(text: &str, list: &[Command], n: usize) -> Option<(String, bool)> {
    let args = list[n].args();
    let closes_group = args
        .first()
        .is_some_and(|w| matches!(w.cooked.as_str(), "}" | ")" | "done" | "fi" | "esac"))
        || args
            .last()
            .is_some_and(|w| matches!(w.cooked.as_str(), "}" | ")"));
    // Past the wrappers runbook knows (`timeout 5 chroot / bash`) to the program they run;
    // a program whose reading of its input runbook knows (a shell, `ssh`, `su`, `cat`…) was
    // followed already.
    let mut i = command_index(&args);
    let program = loop {
        let Some(w) = args.get(i) else {
            break None;
        };
        let name = base(&w.cooked);
        let known = name == "ssh"
            || SHELLS.contains(&name)
            || DATA_READERS.contains(&name)
            || matches!(name, "su" | "runuser" | "at" | "batch" | "." | "source");
        if known && !closes_group {
            return None;
        }
        match find_wrapper(name) {
            Some(wrapper) if !closes_group && i + 1 < args.len() => {
                let j = wrapped(&args, i, wrapper).0;
                if j <= i {
                    break Some(name.to_string());
                }
                i = j;
            }
            _ => break Some(name.to_string()),
        }
    };
    let mut texts: Vec<String> = args.iter().skip(i).map(|w| w.cooked.clone()).collect();
    if closes_group {
        // The commands of the group: back to the line that opened it.
        for cmd in list[..n].iter().rev().take(32) {
            texts.extend(cmd.words.iter().map(|w| w.cooked.clone()));
            texts.push(";".into());
        }
    }
    let function = program.as_ref().is_some_and(|p| {
        (text.contains("()") || text.contains("function "))
            && super::flow::functions(text).contains(p)
    });
    if function && let Some(p) = &program {
        let body = super::flow::function_body(text, p);
        // `runit() { "$@"; }; runit chroot / <<EOF`: a function that runs its arguments
        // as a command gives them the input (after a `shift`, any of them may be the
        // command: `as() { local u=$1; shift; "$@"; }; as root chroot / <<EOF`).
        let shifts = body.contains("shift") || body.contains("set --");
        if (body.contains("$@") || body.contains("$*"))
            && let Some((construct, _)) = (i + 1..args.len())
                .take(if shifts { usize::MAX } else { 1 })
                .find_map(|k| reads_stdin_as_script(&args[k..], 0, Ctx { travels: false }))
        {
            return Some((construct, false));
        }
        // `in_root() { chroot / "$@"; }; in_root <<EOF`: a command of the body that reads
        // its input as a script, given nothing more.
        if let Some(construct) = commands(&body, 0..body.len()).and_then(|list| {
            list.iter().find_map(|c| {
                let words: Vec<&Word> = c
                    .args()
                    .into_iter()
                    .filter(|w| {
                        !matches!(
                            body.get(w.span.clone()).unwrap_or(""),
                            "$@" | "$*" | "\"$@\"" | "\"$*\""
                        )
                    })
                    .collect();
                // (A function runs in the script's environment.)
                reads_stdin_as_script(&words, 0, Ctx { travels: true })
            })
        }) {
            return Some(construct);
        }
        texts.push(body);
    }
    let shell = shell_in(&texts)?;
    // A group or a function runs in this shell's environment; another program may not pass
    // it on (`chroot`, `ssh`).
    let travels = (closes_group || function) && shell != "ssh";
    Some((shell, travels))
}

/// The shell (or `ssh`) that command `k` starts when it is a function of the script whose
/// body names one, or opens a group (`( … )`, `{ …; }`) one of whose commands does.
fn group_or_function_shell(text: &str, list: &[Command], k: usize) -> Option<String> {
    let args = list.get(k)?.args();
    let first = args.first()?;
    // The text between two commands (operators, and the parentheses and braces of groups,
    // which the command list does not keep as words).
    let between = |a: usize, b: usize| -> &str {
        let end = list
            .get(a)
            .and_then(|c| c.words.last())
            .map_or(0, |w| w.span.end);
        let start = list
            .get(b)
            .and_then(|c| c.words.first())
            .map_or(text.len(), |w| w.span.start);
        text.get(end..start.max(end)).unwrap_or("")
    };
    let mut texts: Vec<String> = Vec::new();
    let brace = |w: Option<&Word>, c: &str| w.is_some_and(|w| !w.quoted && w.cooked == c);
    if (k > 0 && between(k - 1, k).contains('(')) || brace(Some(first), "{") {
        for m in k..list.len().min(k + 32) {
            texts.extend(list[m].args().iter().map(|w| w.cooked.clone()));
            if between(m, m + 1).contains(')')
                || brace(list.get(m + 1).and_then(|c| c.words.first()), "}")
            {
                break;
            }
        }
    } else {
        let name = args.get(command_index(&args))?;
        if !name.expansions.is_empty()
            || !(text.contains("()") || text.contains("function "))
            || !super::flow::functions(text).contains(&name.cooked)
        {
            return None;
        }
        texts.push(super::flow::function_body(text, &name.cooked));
    }
    shell_in(&texts)
}

/// The first shell (or `ssh`) named in `texts`, word by word.
fn shell_in(texts: &[String]) -> Option<String> {
    // (Words, and `;` where a command ends, so that ssh's command is not the next one's.)
    let words: Vec<&str> = texts
        .iter()
        .flat_map(|t| {
            t.split_inclusive(|c: char| c == '\n' || ";&|(){}".contains(c))
                .flat_map(|piece| {
                    let ends = piece.ends_with(|c: char| c == '\n' || ";&|(){}".contains(c));
                    piece
                        .split(|c: char| c.is_whitespace() || ";&|(){}'\"`".contains(c))
                        .filter(|w| !w.is_empty())
                        .chain(ends.then_some(";"))
                })
        })
        .collect();
    words.iter().enumerate().find_map(|(k, w)| {
        let w = base(w);
        // (`ssh -n h …` reads nothing of its input: `while read -r h; do ssh -n "$h"
        // uptime; done <<< "…"` gives the document to `read` alone.)
        ((SHELLS.contains(&w) && w != "busybox")
            || (w == "ssh" && !ssh_reads_no_input(&words[k + 1..])))
        .then(|| w.to_string())
    })
}

/// Whether ssh's options (the words after `ssh`) hold `-n`, which gives it no input, or
/// its command is a program that is not a shell (`ssh h "logger …"`: the input is that
/// program's data).
fn ssh_reads_no_input(after: &[&str]) -> bool {
    let mut k = 0;
    while let Some(w) = after.get(k) {
        if !w.starts_with('-') || w.starts_with("--") || w.len() < 2 {
            // The host, then the command.
            return after.get(k + 1).is_some_and(|c| {
                let c = base(c);
                c != ";"
                    && !c.starts_with('$')
                    && !c.is_empty()
                    && !SHELLS.contains(&c)
                    && !matches!(
                        c,
                        "sudo" | "exec" | "env" | "su" | "doas" | "eval" | "source" | "."
                    )
                    && find_wrapper(c).is_none()
            });
        }
        if w[1..].contains('n') && w[1..].chars().all(|c| c.is_ascii_alphanumeric()) {
            return true;
        }
        // An option whose argument is the next word.
        let last = w.chars().last().unwrap_or('-');
        k += if w.len() == 2 && "bcDEeFIiJLlmOopQRSWw".contains(last) {
            2
        } else {
            1
        };
    }
    false
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

/// A shell further down the pipe from command `n` that reads its input as a script:
/// (construct, whether the environment travels, whether every command between passes its
/// input on unchanged: `cat`, `tee`).
fn pipe_reader(text: &str, list: &[Command], n: usize) -> Option<(String, bool, bool)> {
    let mut k = n;
    let mut clean = true;
    while list.get(k).is_some_and(|c| c.piped) {
        k += 1;
        let args = list.get(k)?.args();
        if let Some((construct, travels)) = reads_stdin_as_script(&args, 0, Ctx::default()) {
            return Some((construct, travels, clean));
        }
        // `… | on_host web-1` with `on_host() { ssh "$1" bash; }`, `… | (cd /tmp && sh)`:
        // a function of the script or a group that starts a shell, which reads the input.
        if let Some(shell) = group_or_function_shell(text, list, k) {
            return Some((
                format!("{shell} (in a function or group the pipe feeds)"),
                false,
                clean,
            ));
        }
        // `… | unbuffer -p sh`: a program runbook does not know that names a shell.
        if let Some((shell, _)) = shell_named(text, list, k) {
            return Some((
                format!("{shell} (started by a command runbook does not follow)"),
                false,
                clean,
            ));
        }
        if args.iter().any(|w| w.expansions.iter().any(|e| e.process)) {
            // `tee >(bash)`: a process substitution may run what it is given.
            return Some(("a process substitution".into(), false, false));
        }
        if let Some(construct) = xargs_runs_input(text, &args)
            .or_else(|| code_runs_shell(&args))
            .or_else(|| crontab_of_input(&args))
        {
            return Some((construct, false, false));
        }
        clean &= passes_input_on(&args);
    }
    None
}

/// `xargs … sh -c SCRIPT`, where the input becomes shell code: substituted into the script
/// (`-I{}`), or given as positional parameters that the script parses again or evaluates in
/// arithmetic (`eval "$1"`, `$(( $1 ))`).
fn xargs_runs_input(text: &str, args: &[&Word]) -> Option<String> {
    let first = args.first()?;
    if base(&first.cooked) != "xargs" {
        return None;
    }
    let xargs = find_wrapper("xargs")?;
    let (j, seen) = options(args, 1, xargs.short, xargs.long);
    let replace = value_of(&seen, &["-I"])
        .and_then(|v| args.get(v))
        .map(|w| match w.cooked.split_once('I') {
            // `-I{}`: the value is attached to the option.
            Some((flags, rest)) if flags.starts_with('-') => rest.to_string(),
            _ => w.cooked.clone(),
        })
        .or_else(|| {
            seen.iter()
                .find(|(o, _)| o == "-i" || o == "--replace")
                .map(|_| "{}".to_string())
        });
    // `… | xargs ssh h echo`, `xargs -I{} ssh h "… {}"`: the input becomes part of a command
    // that another shell parses. (`xargs -I{} ssh {} uptime`: the input is ssh's host only,
    // checked as plain words by [`read_into_code`].)
    if let Some(first) = args.get(j).map(|w| base(&w.cooked))
        && matches!(first, "ssh" | "eval" | "su" | "runuser")
        && !(first == "ssh"
            && replace
                .as_deref()
                .is_some_and(|r| ssh_host_only(args, j, r)))
    {
        return Some(format!("xargs … {first}"));
    }
    let shell = (j..args.len()).find(|&k| SHELLS.contains(&base(&args[k].cooked)))?;
    let (script, after, seen) = programs::shell_script(args, shell);
    // `… | xargs sh -c`: the first word of the input is the script.
    if script.is_none() && after >= args.len() && programs::has_dash_c(&seen) {
        return Some(format!("xargs … {} -c", base(&args[shell].cooked)));
    }
    let script = &args.get(script?)?.cooked;
    let substituted = replace.is_some_and(|r| !r.is_empty() && script.contains(r.as_str()));
    let positional = || {
        // (With the functions the script exports: `xargs bash -c 'rs "$1"' _`.)
        let script = with_functions(
            text,
            &Reparse {
                inner: script.clone(),
                construct: format!("{} -c", base(&args[shell].cooked)),
                travels: false,
            },
        );
        let refs = reparsed_refs(&script);
        let arith = super::flow::arithmetic_anywhere(&script);
        POSITIONAL
            .iter()
            .any(|p| refs.contains(*p) || arith.contains(*p))
    };
    (substituted || positional()).then(|| format!("xargs … {} -c", base(&args[shell].cooked)))
}

/// `xargs -I{} ssh {} uptime`: the replacement string is ssh's host and nothing else.
fn ssh_host_only(args: &[&Word], ssh: usize, replace: &str) -> bool {
    if replace.is_empty() {
        return false;
    }
    let mut k = ssh + 1;
    while let Some(w) = args.get(k) {
        let a = w.cooked.as_str();
        if !a.starts_with('-') || a == "--" {
            break;
        }
        let last = a.chars().last().unwrap_or('-');
        k += if a.len() == 2 && "bcDEeFIiJLlmOopQRSWw".contains(last) {
            2
        } else {
            1
        };
    }
    args.get(k).is_some_and(|w| w.cooked == replace)
        && !args[ssh..k]
            .iter()
            .chain(&args[k + 1..])
            .any(|w| w.cooked.contains(replace))
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
                && replace.is_some_and(|r| ssh_host_only(&args, j, &r))
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
fn reads_file_into_options(text: &str) -> bool {
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
        .any(|v| super::flow::read_by_lines(text, v))
}

/// `on_all <<< "{{ v }}"` with `on_all() { while read -r h; do ssh -n "$h" uptime; done; }`:
/// a call of a script function whose body reads its input into variables (see
/// [`read_into`]).
fn function_reads(text: &str, args: &[&Word]) -> Option<Result<Role, Unsafe>> {
    if !text.contains("()") && !text.contains("function ") {
        return None;
    }
    let name = args.get(command_index(args))?;
    if !name.expansions.is_empty() || !super::flow::functions(text).contains(&name.cooked) {
        return None;
    }
    let body = super::flow::function_span(text, &name.cooked)?;
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
    // `read` stops at a new line unless `-d` or `-N` says otherwise; `mapfile -t` drops it.
    let by_lines = if args[i].cooked == "read" {
        !has(&seen, &["-d", "-N"])
    } else {
        has(&seen, &["-t"]) && !has(&seen, &["-d"])
    };
    let names: Vec<&str> = args
        .iter()
        .skip(j)
        .filter(|w| w.expansions.is_empty())
        .map(|w| w.cooked.as_str())
        .chain(["REPLY", "MAPFILE"])
        .collect();
    let refs = reparsed_refs(text);
    let indirect = super::flow::indirect(text);
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
            Role::PlainWords
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
    let arith = super::flow::arithmetic_anywhere(text);
    if names.iter().any(|n| arith.contains(*n)) {
        return Some(Ok(Role::Arith));
    }
    // Read into a variable that stands where a program reads options or its command: each
    // line, each word, is checked (`ssh -n "$h"` with a line `-oProxyCommand=…`).
    let uses = uses(text);
    names
        .iter()
        .any(|n| uses.options.contains(*n) || uses.words.contains(*n) || uses.split.contains(*n))
        .then_some(Ok(Role::PlainWords))
}

/// `cat` or `tee FILE…`: the output is the input.
fn passes_input_on(args: &[&Word]) -> bool {
    match args.first().map(|w| base(&w.cooked)) {
        Some("cat") => args.len() == 1 || (args.len() == 2 && args[1].cooked == "-"),
        Some("tee") => args[1..]
            .iter()
            .all(|w| !w.cooked.starts_with('-') || w.cooked == "-a"),
        _ => false,
    }
}

/// What the commands seen so far leave in force.
#[derive(Debug, Clone, Copy)]
struct Ctx {
    travels: bool,
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx { travels: true }
    }
}

/// The role of word `target` in the simple command `args`.
fn role_of(args: &[&Word], target: usize, ctx: Ctx) -> Role {
    let i = command_index(args);
    if target < i {
        // In a loop's header (`for h in …; do`): the loop's own reading of its words.
        if let Some(f) = (0..target)
            .rev()
            .find(|&k| !args[k].quoted && matches!(args[k].cooked.as_str(), "for" | "select"))
        {
            return command(args, f, target, ctx);
        }
        return prompt_assignment(args[target]).unwrap_or(Role::Data(None));
    }
    if target <= i {
        return Role::Data(None);
    }
    command(args, i, target, ctx)
}

/// The options of `autossh` that take a value: ssh's and `-M PORT`.
const AUTOSSH_SHORT: &str = "BbcDEeFIiJLlmMOopQRSWw";

/// `ssh [options] HOST [options] …` (or `autossh`) read from `args[i]`: where the host is and
/// the options before it, where the command starts and the options after the host (OpenSSH
/// reads those too: `ssh h -p 2222 cmd`).
fn ssh_options(
    name: &str,
    args: &[&Word],
    i: usize,
) -> (usize, programs::Options, usize, programs::Options) {
    let short = if name == "autossh" {
        AUTOSSH_SHORT
    } else {
        SSH.short
    };
    let (j, seen) = options(args, i + 1, short, SSH.long);
    let (k, after) = options(args, j + 1, short, SSH.long);
    (j, seen, k, after)
}

/// Programs that parse (some of) their arguments again as shell code, looked for after a
/// program runbook does not know.
const REPARSERS: &[&str] = &[
    "eval", "ssh", "autossh", "su", "runuser", "script", "trap", "sudo", "doas", "sg", "sh",
    "bash", "dash", "zsh", "ksh", "mksh", "ash", "rbash", "yash", "posh", "kubectl", "oc",
    "docker", "podman", "watch", "tmux", "xargs", "flock", "env", "timeout", "nohup", "setsid",
    "nice", "vagrant",
];

/// Programs that only print or send their arguments (`echo ssh h "…"` prints the words).
const PRINTS: &[&str] = &[
    "echo",
    "printf",
    "logger",
    "wall",
    "cat",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "jq",
    "yq",
    "mail",
    "notify-send",
    "gh",
    "glab",
    "git",
    "curl",
    "wget",
    "test",
    "[",
    "[[",
];

/// Git configuration whose value git runs with the shell: `core.sshCommand`, `core.editor`,
/// `core.pager`, `core.fsmonitor`, an alias starting with `!`.
fn git_runs(key: &str, value: &str) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(
        key.as_str(),
        "core.sshcommand"
            | "core.editor"
            | "core.pager"
            | "core.fsmonitor"
            | "core.hookspath"
            | "sequence.editor"
            | "diff.external"
            | "credential.helper"
    ) || key.starts_with("alias.") && value.starts_with('!')
}

/// `git config … KEY VALUE` with the value at `target` under a key whose value git runs.
fn git_config_runs(args: &[&Word], i: usize, target: usize) -> bool {
    let Some(config) = (i + 1..target).find(|&k| args[k].cooked == "config") else {
        return false;
    };
    // The words after `config` (and `set`), options and their files left out.
    let mut words = Vec::new();
    let mut k = config + 1;
    while k < args.len() {
        let a = args[k].cooked.as_str();
        if matches!(a, "-f" | "--file" | "--blob" | "--type") {
            k += 2;
            continue;
        }
        if !(a.starts_with('-') || (a == "set" && words.is_empty())) {
            words.push(k);
        }
        k += 1;
    }
    match words.as_slice() {
        [key, value, ..] if *value == target => {
            let key = &args[*key].cooked;
            let v = args[target].cooked.trim_start_matches(SENTINEL);
            git_runs(key, v) || key.to_ascii_lowercase().starts_with("alias.")
        }
        _ => false,
    }
}

/// Environment variables whose values programs run with the shell (`git` runs
/// `GIT_SSH_COMMAND` with `sh -c`): a value assigned to one is parsed again.
const COMMAND_VARS: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_EDITOR",
    "GIT_PAGER",
    "GIT_SEQUENCE_EDITOR",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "MANPAGER",
    "LESSOPEN",
    "LESSCLOSE",
    "RSYNC_RSH",
    "BROWSER",
];

/// Variables whose value an interpreter reads as its own options or as where its code comes
/// from (`PERL5OPT=-Mbase;system(…)`, `NODE_OPTIONS=--require …`, `LUA_INIT=os.execute…`):
/// one plain word only.
const INTERPRETER_VARS: &[&str] = &[
    "PERL5OPT",
    "PERL5DB",
    "PERL5LIB",
    "PERLLIB",
    "RUBYOPT",
    "RUBYLIB",
    "NODE_OPTIONS",
    "NODE_PATH",
    "PYTHONSTARTUP",
    "PYTHONPATH",
    "PYTHONHOME",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "LUA_INIT",
    "LUA_PATH",
    "TCLLIBPATH",
    "GCONV_PATH",
    // Programs or configurations that the tools run or load (a git or AWS configuration runs
    // its aliases and `credential_process`, OpenSSL's loads engines).
    "GIT_SSH",
    "GIT_PROXY_COMMAND",
    "GIT_EXEC_PATH",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_TEMPLATE_DIR",
    "OPENSSL_CONF",
    "OPENSSL_ENGINES",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
];

/// Whether a variable's value is run as code by bash or by the programs that read it
/// (`PS4`, `GIT_SSH_COMMAND`, `EDITOR`, `PERL5OPT`, …).
pub fn runs_as_code(name: &str) -> bool {
    PROMPTS.contains(&name)
        || COMMAND_VARS.contains(&name)
        || INTERPRETER_VARS.contains(&name)
        || name.starts_with("LUA_INIT")
        // `GIT_CONFIG_KEY_0=core.sshCommand GIT_CONFIG_VALUE_0=…`: git's `-c` by environment.
        || name.starts_with("GIT_CONFIG_VALUE_")
        || name == "GIT_CONFIG_PARAMETERS"
}

/// Whether bash expands `name` again as a prompt (`PS4`, `PROMPT_COMMAND`).
pub fn is_prompt(name: &str) -> bool {
    PROMPTS.contains(&name)
}

/// The variables bash expands again, command substitutions included, each time it uses them:
/// `PS4` at every traced command (`set -x`), the prompts of an interactive shell.
const PROMPTS: &[&str] = &["PS4", "PS0", "PS1", "PS2", "PS3", "PROMPT_COMMAND"];

/// A value assigned to a prompt variable (`PS4="{{ v }}"`) is refused: bash expands it again.
fn prompt_assignment(w: &Word) -> Option<Role> {
    let eq = w.cooked.find('=')?;
    let name = w.cooked[..eq].trim_end_matches('+');
    let sentinel = w.cooked.find(SENTINEL)?;
    // `RSYNC_RSH="ssh -p {{ port }}" rsync …`: rsync splits it into words itself, with no
    // shell (as `rsync -e`): one plain word, expanded here (a reference written for another
    // shell reached ssh as text).
    if sentinel > eq && name == "RSYNC_RSH" {
        return Some(Role::PlainWord);
    }
    if sentinel > eq && COMMAND_VARS.contains(&name) {
        // `GIT_SSH_COMMAND="ssh -i {{ key }}" git fetch`: git runs it with `sh -c`.
        return Some(Role::Reparse(Reparse {
            inner: w.cooked[eq + 1..].to_string(),
            construct: name.to_string(),
            travels: true,
        }));
    }
    // `PERL5OPT="{{ v }}" perl …`: the interpreter's options or code path.
    if sentinel > eq && (INTERPRETER_VARS.contains(&name) || name.starts_with("LUA_INIT")) {
        return Some(Role::PlainWord);
    }
    // `env "BASH_FUNC_f%%=() { … }" bash -c f`: bash imports the value as a function.
    if sentinel > eq && name.starts_with("BASH_FUNC_") {
        return Some(Role::Refused(Unsafe {
            why: format!(
                "it is assigned to `{name}`, whose value bash reads as the body of a function"
            ),
            construct: name.to_string(),
            help: "define the function in the script and pass the value to it as an argument"
                .into(),
        }));
    }
    if sentinel > eq && (name.starts_with("GIT_CONFIG_VALUE_") || name == "GIT_CONFIG_PARAMETERS") {
        return Some(Role::Refused(Unsafe {
            why: format!(
                "it is assigned to `{name}`, git's configuration by environment, whose values git may run with `sh` (an alias starting with `!`, `core.sshCommand`…)"
            ),
            construct: name.to_string(),
            help:
                "use `git -c KEY=\"{{ … }}\"`, which runbook follows, or give the input a `pattern`"
                    .into(),
        }));
    }
    (sentinel > eq && PROMPTS.contains(&name)).then(|| {
        Role::Refused(Unsafe {
            why: format!(
                "it is assigned to `{name}`, which bash expands again (command substitutions included) each time it uses it"
            ),
            construct: name.to_string(),
            help: format!("do not put a value in `{name}`; print it with `printf '%s'` instead"),
        })
    })
}

/// Whether GNU `parallel` at `args[i]` is given a command before its first `:::` at `sep`
/// (without one, every argument is a command line that a shell runs).
fn parallel_command(args: &[&Word], i: usize, sep: usize) -> bool {
    let (j, _) = options(
        &args[..sep],
        i + 1,
        "jSdEIaPXLNnsCl",
        &[
            "jobs",
            "sshlogin",
            "delimiter",
            "eof",
            "arg-file",
            "max-procs",
            "max-lines",
            "max-args",
            "max-chars",
            "colsep",
            "results",
            "tmpdir",
            "workdir",
            "joblog",
            "timeout",
            "retries",
            "load",
            "memfree",
            "delay",
            "tag-string",
            "basefile",
            "transfer-file",
            "return",
            "env",
            "shebang-wrap",
            "sshloginfile",
            "slf",
            "halt",
            "termseq",
            "nice",
        ],
    );
    j < sep
}

/// `docker run -i alpine <<EOF`, `kubectl run -i t --image=alpine <<EOF`, `oc rsh POD <<EOF`:
/// given no command and attached to the input, a container runs its image's own command
/// (often a shell), which reads it. The construct, if so.
fn image_command_reads_input(args: &[&Word], i: usize) -> Option<String> {
    let name = base(&args.get(i)?.cooked);
    let words: Vec<&str> = args.iter().map(|w| w.cooked.as_str()).collect();
    let sub = (i + 1..words.len()).find(|&k| {
        matches!(
            words[k],
            "run" | "debug" | "rsh" | "create" | "start" | "attach"
        )
    })?;
    let stdin = words[sub] == "rsh"
        || words[sub + 1..].iter().any(|w| {
            matches!(
                *w,
                "--stdin" | "--interactive" | "--stdin=true" | "--interactive=true"
            ) || (w.starts_with('-') && !w.starts_with("--") && w.contains('i'))
        });
    let command = programs::container_command(&words, i).filter(|&c| c < words.len());
    (stdin && command.is_none()).then(|| {
        format!(
            "{name} {} (the image's own command, often a shell)",
            words[sub]
        )
    })
}

/// `[user@]host:path` with the value in the path: the remote shell parses the path for the
/// scp protocol (`scp -O`, the default before OpenSSH 9.0) and for rsync before 3.2.4.
fn remote_path(word: &str) -> bool {
    let (Some(colon), Some(at)) = (word.find(':'), word.find(SENTINEL)) else {
        return false;
    };
    let host = &word[..colon];
    at > colon && !host.is_empty() && !host.contains('/') && !word[colon..].starts_with("::")
}

/// util-linux `script`'s options that take a value (short, long).
const SCRIPT_OPTIONS: (&str, &[&str]) = (
    "cEIOBTm",
    &[
        "command",
        "log-in",
        "log-out",
        "log-io",
        "log-timing",
        "echo",
        "logging-format",
    ],
);

/// The role of word `target` in the command whose name is `args[i]`.
/// Whether the words after `args[i]` start with the subcommand `words` (`consul exec`).
fn sub(args: &[&Word], i: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| args.get(i + 1 + k).is_some_and(|a| a.cooked == *w))
}

fn command(args: &[&Word], i: usize, target: usize, ctx: Ctx) -> Role {
    let Some(name_word) = args.get(i) else {
        return Role::Data(None);
    };
    if target == i {
        // After a wrapper (`env {{ v }} …`), a value that starts with `-` would be one of
        // the wrapper's options (`env -S…`).
        return if i > 0 {
            Role::NoOption
        } else {
            Role::Data(None)
        };
    }
    let escaped = name_word.cooked.contains(super::words::OPAQUE) && name_word.quoted;
    if !name_word.expansions.is_empty() || escaped {
        // `$SH -c "…"`: which program runs the string cannot be known.
        let dash_c = (i + 1..target).any(|k| {
            let a = args[k].cooked.as_str();
            a.starts_with('-') && !a.starts_with("--") && a.contains('c')
        });
        if dash_c {
            return Role::Refused(Unsafe {
                why: "it stands in the argument of a program named by a variable, after a `-c` option: if that program is a shell, it runs the value as code".into(),
                construct: name_word.cooked.clone(),
                help: "name the shell (`bash -c`, `sh -c`), or pass the value as an argument".into(),
            });
        }
        // `$E "…"` with `E=eval`: the program may parse its arguments again, so the value
        // must be one plain word there.
        return Role::PlainWord;
    }
    let name = base(&name_word.cooked);
    let joined = |from: usize, construct: String, travels: bool| {
        if target < from {
            return Role::Data(None);
        }
        Role::Reparse(Reparse {
            inner: words_text(&args[from..]),
            construct,
            travels,
        })
    };
    let then = |j: usize, travels: bool| {
        if target < j {
            Role::Data(None)
        } else {
            command(args, j, target, Ctx { travels })
        }
    };
    if let Some(role) = option_runs(name, args, i, target, ctx) {
        return role;
    }
    match name {
        "eval" => joined(i + 1, "eval".into(), ctx.travels),
        "busybox"
            if args
                .get(i + 1)
                .is_some_and(|w| SHELLS.contains(&base(&w.cooked))) =>
        {
            then(i + 1, ctx.travels)
        }
        _ if SHELLS.contains(&name) && name != "busybox" => {
            let (j, seen) = shell_options(args, i + 1);
            let c = has_dash_c(&seen);
            if seen.iter().any(|(_, v)| *v == Some(target)) {
                return Role::Data(None);
            }
            if !c && target == j && !has(&seen, &["-s"]) {
                return Role::ScriptFile(name.to_string());
            }
            if c && target > j + 1
                && let Some(first) = runs_its_arguments(&args[j].cooked)
            {
                // `sh -c '"$@"' sh eval "…"`: the words after the script are a command.
                return then(j + first, ctx.travels);
            }
            if c && target == j {
                let flags = seen
                    .iter()
                    .filter(|(_, v)| v.is_none())
                    .map(|(o, _)| o.trim_start_matches('-'))
                    .collect::<String>();
                return Role::Reparse(Reparse {
                    inner: args[j].cooked.clone(),
                    construct: format!("{name} -{flags}"),
                    travels: ctx.travels,
                });
            }
            Role::Data(None)
        }
        "sudo" => {
            // `sudo [options] [NAME=VALUE…] COMMAND`
            let (j, seen) = wrapped(args, i, &SUDO);
            if target < j {
                // `sudo GIT_SSH_COMMAND="ssh -i {{ v }}" git …`: run by the program.
                return prompt_assignment(args[target]).unwrap_or(Role::Data(None));
            }
            if has(&seen, &["-i", "-s", "--login", "--shell"]) {
                // The login shell gets the command's words back as they were (sudo escapes
                // them): a command that parses its arguments again is followed; a plain
                // argument is held to what survives that escaping.
                return match then(j, false) {
                    Role::Data(_) | Role::NoOption | Role::Operand => Role::SudoShell,
                    role => role,
                };
            }
            then(j, false)
        }
        "env" => {
            let (operand, seen) = options(args, i + 1, programs::ENV.short, programs::ENV.long);
            if has(&seen, &["-S", "--split-string"]) && target >= operand.saturating_sub(1) {
                return Role::Reparse(Reparse {
                    inner: String::new(),
                    construct: "env -S".into(),
                    travels: false,
                });
            }
            // `env -i` and `env -` clear the environment.
            let cleared = has(&seen, &["-i", "--ignore-environment"])
                || args.get(operand).is_some_and(|w| w.cooked == "-");
            let (j, _) = wrapped(args, i, &programs::ENV);
            // env takes any `NAME=value`, `BASH_FUNC_f%%=…` too (not a shell assignment).
            let any_name = target >= operand && args[target].cooked.starts_with("BASH_FUNC_");
            if (target < j || any_name)
                && let Some(role) = prompt_assignment(args[target])
            {
                // `env GIT_SSH_COMMAND="ssh -i {{ v }}" git …`, `env PS4=…`.
                return role;
            }
            then(j, ctx.travels && !cleared)
        }
        "command" => {
            let (j, seen) = options(args, i + 1, "", &[]);
            if has(&seen, &["-v", "-V"]) {
                Role::Data(None)
            } else {
                then(j, ctx.travels)
            }
        }
        "trap" => {
            let (j, _) = options(args, i + 1, "", &[]);
            if target == j {
                Role::Reparse(Reparse {
                    inner: args[j].cooked.clone(),
                    construct: "trap".into(),
                    travels: ctx.travels,
                })
            } else {
                Role::Data(None)
            }
        }
        "alias" => {
            let w = args[target];
            let sentinel = w.cooked.find(SENTINEL).unwrap_or(0);
            match w.cooked.find('=') {
                Some(eq) if sentinel > eq => Role::Reparse(Reparse {
                    inner: w.cooked[eq + 1..].to_string(),
                    construct: "alias".into(),
                    travels: ctx.travels,
                }),
                _ => name_role(w),
            }
        }
        "." | "source" if target == i + 1 => Role::ScriptFile(name.to_string()),
        "capsh" | "start-stop-daemon" => {
            // `capsh [options] -- ARGS` runs `/bin/bash ARGS` (or `--shell=PROGRAM ARGS`);
            // `start-stop-daemon --exec PROGRAM -- ARGS` runs PROGRAM with ARGS: read as that
            // program given those words.
            let Some(dash) =
                (i + 1..args.len()).find(|&k| args[k].cooked == "--" && !args[k].quoted)
            else {
                return Role::Data(None);
            };
            if target <= dash {
                return Role::Data(None);
            }
            let before = &args[i + 1..dash];
            let program = if name == "capsh" {
                before
                    .iter()
                    .find_map(|w| w.cooked.strip_prefix("--shell="))
                    .unwrap_or("bash")
                    .to_string()
            } else {
                let value = |names: &[&str]| {
                    before.iter().enumerate().find_map(|(k, w)| {
                        names.iter().find_map(|n| {
                            if w.cooked == *n {
                                before.get(k + 1).map(|v| v.cooked.clone())
                            } else {
                                w.cooked
                                    .strip_prefix(&format!("{n}="))
                                    .filter(|_| n.starts_with("--"))
                                    .map(str::to_string)
                            }
                        })
                    })
                };
                match value(&["--startas", "-a"]).or_else(|| value(&["--exec", "-x"])) {
                    Some(p) => p,
                    None => return Role::Data(None),
                }
            };
            let named = Word {
                span: 0..0,
                cooked: program,
                expansions: Vec::new(),
                quoted: false,
                redirect: false,
                herestring: false,
            };
            let mut words: Vec<&Word> = vec![&named];
            words.extend_from_slice(&args[dash + 1..]);
            command(&words, 0, target - dash, ctx)
        }
        "parallel" | "sem" => {
            // GNU parallel hands its command to a shell, with the arguments after `:::`
            // quoted into it; which of its own words are options is not read here.
            // With no command before `:::` (only options), each argument is a command line.
            if name == "parallel"
                && let Some(sep) = (i + 1..target)
                    .find(|&k| args[k].cooked.starts_with(":::") && !args[k].quoted)
                && parallel_command(args, i, sep)
            {
                return Role::Data(None);
            }
            Role::Refused(Unsafe {
                why: format!("it stands in the command of GNU `{name}`, which a shell parses again"),
                construct: name.to_string(),
                help: "give the value after `:::` (`parallel echo {} ::: \"{{ v }}\"`: parallel quotes it), or in the step's `env:`, read as `\"$NAME\"` inside a single-quoted command".into(),
            })
        }
        "sg" => {
            // `sg GROUP [-c] COMMAND`: /bin/sh runs the command.
            let from = if args.get(i + 2).is_some_and(|w| w.cooked == "-c") {
                i + 3
            } else {
                i + 2
            };
            joined(from, "sg GROUP".into(), false)
        }
        "script" => {
            let (_, seen) = options(args, i + 1, SCRIPT_OPTIONS.0, SCRIPT_OPTIONS.1);
            match value_of(&seen, &["-c", "--command"]) {
                Some(v) if v == target => Role::Reparse(Reparse {
                    inner: args[v].cooked.clone(),
                    construct: "script -c".into(),
                    travels: false,
                }),
                _ => Role::Data(None),
            }
        }
        // `entr -s 'make && ./test'`: with `-s`, entr runs its first operand with `$SHELL -c`.
        "entr" => {
            let (j, seen) = options(args, i + 1, "", &[]);
            if !has(&seen, &["-s"]) {
                then(j, ctx.travels)
            } else if target == j {
                Role::Reparse(Reparse {
                    inner: args[j].cooked.clone(),
                    construct: "entr -s".into(),
                    travels: ctx.travels,
                })
            } else {
                Role::Data(None)
            }
        }
        "flock" => {
            let (j, _) = options(args, i + 1, "wEc", &["timeout", "conflict-exit-code"]);
            // flock [options] FILE (-c COMMAND | COMMAND [ARG…])
            match args.get(j + 1).map(|w| w.cooked.as_str()) {
                Some(c) if same_option(c, "-c") || same_option(c, "--command") => {
                    if target == j + 2 {
                        Role::Reparse(Reparse {
                            inner: args[j + 2].cooked.clone(),
                            construct: "flock -c".into(),
                            travels: ctx.travels,
                        })
                    } else {
                        Role::Data(None)
                    }
                }
                _ => then(j + 1, ctx.travels),
            }
        }
        "watch" => {
            let (j, seen) = options(args, i + 1, "nq", &["interval", "equexit"]);
            if has(&seen, &["-x", "--exec"]) {
                then(j, ctx.travels)
            } else {
                joined(j, "watch".into(), ctx.travels)
            }
        }
        "find" => {
            let mut k = i + 1;
            while k < args.len() {
                if matches!(
                    args[k].cooked.as_str(),
                    "-exec" | "-execdir" | "-ok" | "-okdir"
                ) {
                    let start = k + 1;
                    let mut end = start;
                    while end < args.len() && !matches!(args[end].cooked.as_str(), ";" | "+") {
                        end += 1;
                    }
                    if (start..end).contains(&target) {
                        return command(&args[..end], start, target, ctx);
                    }
                    k = end;
                }
                k += 1;
            }
            // `find {{ v }}` with `-exec …`: an operand must not be an option.
            if read_as_option(name, args, i, target) {
                Role::NoOption
            } else {
                Role::Data(None)
            }
        }
        "su" | "runuser" => {
            let found = programs::su_commands(args, i, name == "runuser");
            if let Some((_, inner)) = found.scripts.iter().find(|(k, _)| *k == target) {
                return Role::Reparse(Reparse {
                    inner: inner.clone().unwrap_or_else(|| args[target].cooked.clone()),
                    construct: format!("{name} -c"),
                    travels: false,
                });
            }
            match found.command {
                Some(k) => then(k, false),
                None => Role::Data(None),
            }
        }
        // `autossh -M 0 h cmd`: ssh's options, and `-M PORT`; rsh and dropbear's client
        // hand their command to the remote shell as ssh does.
        "ssh" | "autossh" | "rsh" | "remsh" | "dbclient" => {
            let (_, seen, k, after) = ssh_options(name, args, i);
            if let Some(refused) = ssh_command_option(args, target, &seen)
                .or_else(|| ssh_command_option(args, target, &after))
            {
                return refused;
            }
            // The first operand is the host; the rest, joined with spaces, is the command
            // the remote login shell parses. A value before it must not be an option.
            if target < k {
                return Role::NoOption;
            }
            joined(k, "ssh HOST".into(), false)
        }
        // `scp -o ProxyCommand=…`, `sftp -o …`: ssh's options.
        "scp" | "sftp" => {
            let (_, seen) = options(args, i + 1, "oFiPlcSJ", &[]);
            ssh_command_option(args, target, &seen).unwrap_or_else(|| {
                if name == "scp" && remote_path(&args[target].cooked) {
                    Role::PlainWord
                } else {
                    Role::NoOption
                }
            })
        }
        // `rsync "h:/var/log/{{ v }}" .`: the remote shell parses the path (rsync before
        // 3.2.4, or `--old-args`).
        "rsync" if remote_path(&args[target].cooked) => Role::PlainWord,
        // A file to write that may be `|command` (`psql -o "|sh …"`, `strace -o`, sqlite3's
        // `-cmd ".output …"`): one plain word (an audit's `|touch …` ran).
        "psql" | "gitlab-psql"
            if matches!(args[target - 1].cooked.as_str(), "-o" | "--output" | "-L" | "--log-file")
                || args[target].cooked.starts_with("--output=") =>
        {
            Role::PlainWord
        }
        "strace" | "ltrace" if args[target - 1].cooked == "-o" => Role::PlainWord,
        "sqlite3" if args[target - 1].cooked == "-cmd" => Role::PlainWord,
        // A program to run: `sort --compress-program`, `mysql --pager`, `tcpdump -z`.
        "sort" | "mysql" | "mariadb" | "tcpdump"
            if matches!(args[target - 1].cooked.as_str(), "--compress-program" | "--pager" | "-z")
                || ["--compress-program=", "--pager="]
                    .iter()
                    .any(|o| args[target].cooked.starts_with(o)) =>
        {
            Role::Refused(Unsafe {
                why: format!("it names a program that `{name}` runs"),
                construct: name.to_string(),
                help: "write the program in the runbook, and give the value only to its arguments".into(),
            })
        }
        // `rsync -e "ssh -p {{ v }}"`: rsync splits the string into the words of a command.
        "rsync"
            if matches!(args[target - 1].cooked.as_str(), "-e" | "--rsh")
                || args[target].cooked.starts_with("--rsh=")
                || args[target].cooked.starts_with("-e") =>
        {
            Role::PlainWord
        }
        "kubectl" | "oc" | "docker" | "podman" | "nerdctl" => {
            match programs::container_command(args, i) {
                Some(start) if target >= start => {
                    with_entrypoint(args, i, start, |cmd, j, first| {
                        command(cmd, j, target - start + first, Ctx { travels: false })
                    })
                }
                _ => Role::Data(None),
            }
        }
        "read" => {
            let (j, seen) = options(args, i + 1, "adinNptu", &[]);
            if value_of(&seen, &["-a"]) == Some(target) || target >= j {
                name_role(args[target])
            } else {
                Role::Data(None)
            }
        }
        "printf" if args[target - 1].cooked == "-v" && target == i + 2 => name_role(args[target]),
        "mapfile" | "readarray" => {
            let (j, seen) = options(args, i + 1, "dnOsuCc", &[]);
            if value_of(&seen, &["-C"]) == Some(target) {
                return Role::Refused(Unsafe {
                    why: format!(
                        "it is the callback of `{name} -C`, which bash evaluates as a command"
                    ),
                    construct: format!("{name} -C"),
                    help: "write the callback in the script and pass the value to it in a variable"
                        .into(),
                });
            }
            if target >= j {
                name_role(args[target])
            } else {
                Role::Data(None)
            }
        }
        "unset" | "getopts" | "for" | "select" => {
            let (j, _) = options(args, i + 1, "", &[]);
            let name_at = match name {
                "getopts" => j + 1,
                "for" | "select" => i + 1,
                _ => target,
            };
            if target == name_at && target >= j.min(i + 1) {
                name_role(args[target])
            } else {
                Role::Data(None)
            }
        }
        "[" | "[[" | "test" if args[target - 1].cooked == "-v" => name_role(args[target]),
        "wait" if args[target - 1].cooked == "-p" => name_role(args[target]),
        "declare" | "typeset" | "local" | "export" | "readonly" => {
            let (j, seen) = options(args, i + 1, "", &[]);
            let nameref = seen
                .iter()
                .any(|(o, _)| o.starts_with('-') && o.contains('n') && !o.starts_with("--"));
            if target < j {
                return Role::Data(None);
            }
            let w = args[target];
            if let Some(refused) = prompt_assignment(w) {
                return refused;
            }
            let sentinel = w.cooked.find(SENTINEL).unwrap_or(0);
            match w.cooked.find('=') {
                Some(eq) if sentinel > eq => {
                    if nameref {
                        // `declare -n ref=NAME`: the value names a variable.
                        Role::Name
                    } else if seen.iter().any(|(o, _)| o == "-a" || o == "-A")
                        && !w.cooked[eq + 1..].starts_with('(')
                    {
                        // `declare -a x="$v"`: bash reads a value that starts with `(` as
                        // a list of elements, and expands it again.
                        Role::Refused(Unsafe {
                            why: "it is assigned whole to an array by `declare -a`/`-A`, which reads a value starting with `(` as elements and expands them again".into(),
                            construct: format!("{name} -a"),
                            help: "assign the elements: `declare -a x=(\"{{ … }}\")`".into(),
                        })
                    } else if w.quoted
                        && w.cooked[eq + 1..].starts_with('(')
                        && seen.iter().any(|(o, _)| o == "-a" || o == "-A")
                    {
                        // `declare -a "a=(…)"`: declare parses the quoted text again.
                        Role::Reparse(Reparse {
                            inner: w.cooked.clone(),
                            construct: name.to_string(),
                            travels: ctx.travels,
                        })
                    } else {
                        Role::Data(None)
                    }
                }
                _ => name_role(w),
            }
        }
        "tmux" => tmux(args, i, target),
        // `screen -X stuff TEXT` types the text into a window, where a shell reads it;
        // `-X exec`/`eval` run screen commands.
        "screen"
            if (i + 1..target).any(|k| {
                args[k].cooked == "-X"
                    && args
                        .get(k + 1)
                        .is_some_and(|c| matches!(c.cooked.as_str(), "stuff" | "exec" | "eval"))
            }) =>
        {
            Role::Refused(Unsafe {
                why: "it is given to `screen -X`, which types it into a window's shell or runs it as a command".into(),
                construct: "screen -X".into(),
                help: "run the command in the step itself, or pass the value in the session's environment".into(),
            })
        }
        // `ansible-playbook -e "version={{ v }}"`: Ansible renders the values of variables
        // as Jinja templates (`{{ lookup('pipe', …) }}` runs a command): one plain word.
        "ansible" | "ansible-playbook"
            if (i + 1..target).any(|k| {
                matches!(args[k].cooked.as_str(), "-e" | "--extra-vars")
                    && k + 1 == target
            }) || args[target].cooked.starts_with("--extra-vars=") =>
        {
            Role::PlainWord
        }
        // `ansible HOSTS -m shell -a "…"`: the shell module runs the text on each host.
        "ansible" if matches!(args[target - 1].cooked.as_str(), "-a" | "--args") => {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: "ansible -a".into(),
                travels: false,
            })
        }
        // `pdsh -w HOSTS "…"`, `vagrant ssh -c "…"`: a remote shell parses the command.
        "pdsh" | "clush" => {
            let (j, _) = options(args, i + 1, "wxlRfutgX", &[]);
            joined(j, format!("{name} -w HOSTS"), false)
        }
        // Remote runners whose command a shell on each host parses: `consul exec`, `heroku
        // run`, `bolt command run`, `mco shell run`, `dsh`, `mussh -c` (an audit found the
        // value pasted raw into them).
        "consul" if sub(args, i, &["exec"]) => {
            let (j, _) = options(args, i + 2, "", &[]);
            joined(j, "consul exec".into(), false)
        }
        "heroku" if sub(args, i, &["run"]) || sub(args, i, &["run:detached"]) => {
            let (j, _) = options(args, i + 2, "ares", &["app", "remote", "size", "env", "type"]);
            joined(j, "heroku run".into(), false)
        }
        "bolt" if sub(args, i, &["command", "run"]) => {
            let (j, _) = options(
                args,
                i + 3,
                "tupi",
                &["targets", "user", "password", "run-as", "env-var", "inventoryfile", "transport", "query"],
            );
            joined(j, "bolt command run".into(), false)
        }
        "mco" if sub(args, i, &["shell", "run"]) => {
            let (j, _) = options(args, i + 3, "ITFAWC", &["target", "with", "wf", "wa", "wc", "config"]);
            joined(j, "mco shell run".into(), false)
        }
        "dsh" => {
            let (j, _) = options(
                args,
                i + 1,
                "mgrofF",
                &["machine", "group", "remoteshell", "remoteshellopt", "file", "forklimit"],
            );
            joined(j, "dsh".into(), false)
        }
        "mussh" if args[target - 1].cooked == "-c" => Role::Reparse(Reparse {
            inner: args[target].cooked.clone(),
            construct: "mussh -c".into(),
            travels: false,
        }),
        "vagrant" if args[target - 1].cooked == "-c" || args[target - 1].cooked == "--command" => {
            Role::Reparse(Reparse {
                inner: args[target].cooked.clone(),
                construct: "vagrant ssh -c".into(),
                travels: false,
            })
        }
        // bash expands each word of the list again (`$(…)` included).
        "compgen" | "complete" if args[target - 1].cooked == "-W" => Role::Reparse(Reparse {
            inner: args[target].cooked.clone(),
            construct: format!("{name} -W"),
            travels: ctx.travels,
        }),
        "git" if matches!(args[target - 1].cooked.as_str(), "-c" | "--config") => {
            let w = &args[target].cooked;
            match w.split_once('=') {
                Some((key, command)) if git_runs(key, command) => Role::Reparse(Reparse {
                    inner: command.trim_start_matches('!').to_string(),
                    construct: format!("git -c {key}"),
                    travels: false,
                }),
                _ => Role::NoOption,
            }
        }
        // `git config [--global|-f FILE|set] KEY VALUE`: a key whose value git runs with `sh`
        // (an alias starting with `!`, `core.sshCommand`, `credential.helper`…) stores the
        // value for later, where no runbook quoting reaches it.
        "git" if git_config_runs(args, i, target) => Role::Refused(Unsafe {
            why: "it is stored by `git config` under a key whose value git later runs with `sh` (an alias starting with `!`, `core.sshCommand`, `credential.helper`, `core.fsmonitor`…), beyond the step".into(),
            construct: "git config".into(),
            help: "write the command in the runbook itself and give it the value as an argument or in the environment, or give the input a `pattern`".into(),
        }),
        "rsync" | "git" | "tar" | "zip" | "curl" | "wget" => {
            if read_as_option(name, args, i, target) {
                Role::NoOption
            } else {
                Role::Data(None)
            }
        }
        "fish" | "csh" | "tcsh" => {
            let c = (i + 1..target).any(|k| {
                let a = args[k].cooked.as_str();
                a.starts_with('-') && !a.starts_with("--") && a.contains('c')
            });
            if c {
                Role::Refused(Unsafe {
                    why: format!("it stands in a script of `{name}`, whose quoting runbook does not write"),
                    construct: format!("{name} -c"),
                    help: "run the command with `sh -c` or `bash -c`, or pass the value in the environment".into(),
                })
            } else {
                Role::Data(None)
            }
        }
        _ => {
            if let Some(w) = find_wrapper(name) {
                let (j, seen) = wrapped(args, i, w);
                // `exec -c COMMAND` runs it with an empty environment.
                let cleared = name == "exec" && has(&seen, &["-c"]);
                return then(j, ctx.travels && w.keeps_env && !cleared);
            }
            // A program or function runbook does not know (`retry ssh h "…"`, `strace -o f
            // ssh h "…"`) followed by a word that names a program which parses its
            // arguments again: read as a wrapper of that program, without the environment.
            if !PRINTS.contains(&name)
                && let Some(k) = (i + 1..target).find(|&k| {
                    let w = args[k];
                    !w.quoted && w.expansions.is_empty() && REPARSERS.contains(&base(&w.cooked))
                })
            {
                return command(args, k, target, Ctx { travels: false });
            }
            // Any other program that runs a shell given in its arguments (`chroot / sh -c …`,
            // `unshare … bash -c …`, `taskset -c 0 sh -c …`): followed from the shell on,
            // quoted as if the environment did not reach it.
            if let Some(k) = (i + 1..target).find(|&k| {
                SHELLS.contains(&base(&args[k].cooked))
                    && (k + 1..target).any(|m| {
                        let w = &args[m].cooked;
                        w.starts_with('-') && !w.starts_with("--") && w.contains('c')
                    })
            }) {
                return command(args, k, target, Ctx { travels: false });
            }
            match foreign(name, args, i, target) {
                Some(f) => Role::Data(Some(f)),
                // Any program reads a word that starts with `-` as an option, and options
                // run commands (`psql --output='|cmd'`, `python3 -c…`, `vim +!cmd`) or
                // change what a command does (`kubectl delete pod --all`): a value that
                // starts a word before `--` may not start with `-`.
                None if read_as_option(name, args, i, target) => Role::Operand,
                None => Role::Data(None),
            }
        }
    }
}

/// Whether a value at word `target` of the program at `args[i]` may be read as one of its
/// options: it starts the word, before any `--`, and is not the argument of an option known
/// to take one ([`OPTION_ARGUMENTS`]). `echo`, `test`, `[`, `[[` and `case` read no options
/// there; printf only before its format.
fn read_as_option(name: &str, args: &[&Word], i: usize, target: usize) -> bool {
    let prev = target
        .checked_sub(1)
        .filter(|&p| p > i)
        .map(|p| args[p].cooked.as_str());
    // A value, or an expansion that may hold one (`"$r"`), starting the word.
    let w = args[target];
    let expansion_first = w
        .expansions
        .first()
        .is_some_and(|e| e.span.start <= w.span.start + 1);
    (w.cooked.starts_with(SENTINEL) || expansion_first)
        && !matches!(name, "echo" | "test" | "[" | "[[" | "case")
        && (name != "printf" || (i + 1..target).all(|k| args[k].cooked.starts_with('-')))
        && !(i + 1..target).any(|k| args[k].cooked == "--" && !args[k].quoted)
        // (The program may stand behind a wrapper: `sudo journalctl --since …`.)
        && !OPTION_ARGUMENTS.iter().any(|(program, options)| {
            (i..target).any(|k| base(&args[k].cooked) == *program)
                && prev.is_some_and(|p| options.contains(&p))
        })
        // `jq --arg NAME VALUE`: the value is the second word after the option.
        && !((i..target).any(|k| base(&args[k].cooked) == "jq")
            && target >= i + 3
            && matches!(args[target - 2].cooked.as_str(), "--arg" | "--argjson"))
}

/// Options whose argument is the next word even when it starts with `-` (GNU getopt), and
/// that run nothing: a time (`--since -1h`, `date -d -1day`), a message, a format.
const OPTION_ARGUMENTS: &[(&str, &[&str])] = &[
    (
        "journalctl",
        &[
            "--since", "-S", "--until", "-U", "-u", "--unit", "-g", "--grep",
        ],
    ),
    ("date", &["-d", "--date"]),
    (
        "git",
        &[
            // (Not `-m`: a flag of `git checkout` and `git switch`.)
            "--message",
            "--since",
            "--until",
            "--after",
            "--before",
            "--author",
            "--grep",
        ],
    ),
    (
        "kubectl",
        &["--since", "-l", "--selector", "-n", "--namespace"],
    ),
    ("docker", &["--since", "--until"]),
    ("grep", &["-e", "--regexp"]),
    ("logger", &["-t", "--tag", "-p", "--priority"]),
    (
        "find",
        &[
            "-name", "-iname", "-path", "-newermt", "-mtime", "-mmin", "-size",
        ],
    ),
    // `head -n -5` (all but the last five lines), `nice -n -5` (a higher priority).
    ("head", &["-n", "--lines", "-c", "--bytes"]),
    ("tail", &["-n", "--lines", "-c", "--bytes"]),
    ("nice", &["-n", "--adjustment"]),
    ("renice", &["-n", "--priority"]),
];

/// Options whose argument a program hands to a shell (`git rebase --exec CMD`, `tar
/// --to-command=CMD`, `gcloud compute ssh --command=CMD`): (program, options, whether the
/// environment reaches that shell). `--opt CMD` and `--opt=CMD` alike.
const OPTIONS_RUN: &[(&str, &[&str], bool)] = &[
    (
        "git",
        &[
            "--exec",
            "-x",
            "--upload-pack",
            "--receive-pack",
            // `git difftool --extcmd`, `git grep --open-files-in-pager`.
            "--extcmd",
            "-O",
            "--open-files-in-pager",
            // `git filter-branch`'s filters are shell code.
            "--env-filter",
            "--tree-filter",
            "--index-filter",
            "--parent-filter",
            "--msg-filter",
            "--commit-filter",
            "--tag-name-filter",
            "--setup",
        ],
        true,
    ),
    // The command the remote shell runs in place of `rsync`.
    ("rsync", &["--rsync-path"], false),
    // `zip -T -TT CMD`: the command that tests the archive, run by a shell.
    ("zip", &["-TT", "--unzip-command"], true),
    (
        "tar",
        &[
            "--to-command",
            "--use-compress-program",
            "-I",
            "--rsh-command",
            "--info-script",
            "--new-volume-script",
            "-F",
        ],
        true,
    ),
    ("gcloud", &["--command"], false),
    // `nix-shell --run '…'`: bash runs it, in an environment that `--pure` clears.
    ("nix-shell", &["--run", "--command"], false),
    ("az", &["--scripts"], false),
    ("flock", &["-c", "--command"], true),
    ("watch", &["-x"], true),
    ("compgen", &["-C"], true),
    ("complete", &["-C"], true),
];

/// Options whose argument is code of a language runbook does not write (a debugger's or an
/// editor's command, which may run a shell, an SSM document): a value there is refused.
const OPTIONS_CODE: &[(&str, &[&str])] = &[
    (
        "gdb",
        &["-ex", "--eval-command", "-iex", "--init-eval-command"],
    ),
    ("vim", &["-c", "--cmd", "-S"]),
    ("vi", &["-c", "--cmd"]),
    ("nvim", &["-c", "--cmd"]),
    ("ex", &["-c", "--cmd"]),
    ("make", &["--eval", "-E"]),
    ("aws", &["--parameters"]),
    ("tar", &["--checkpoint-action"]),
    // `npx -c '…'`, `npm exec --call '…'`: npm replaces `${NAME}` in the string with the
    // variable's value (inside quotes too) before its script shell parses it.
    ("npx", &["-c", "--call"]),
    ("npm", &["-c", "--call"]),
];

/// Programs whose operands after a subcommand (or after the host) are a command line that a
/// shell runs on the other side: (program, the words before it, whether the environment
/// reaches that shell).
const OPERANDS_RUN: &[(&str, &[&str], bool)] = &[
    ("git", &["submodule", "foreach"], true),
    ("parallel-ssh", &[], false),
    ("pssh", &[], false),
    ("salt", &["cmd.run"], false),
    // Fabric runs the words after `--` on each host; devbox runs its command in a shell.
    ("fab", &["--"], false),
    ("devbox", &["run"], false),
];

/// The role of a value in the argument of an option that runs or is code ([`OPTIONS_RUN`],
/// [`OPTIONS_CODE`], [`OPERANDS_RUN`]), if it is there.
fn option_runs(name: &str, args: &[&Word], i: usize, target: usize, ctx: Ctx) -> Option<Role> {
    let word = args.get(target)?.cooked.as_str();
    let prev = target
        .checked_sub(1)
        .filter(|&p| p > i)
        .map(|p| args[p].cooked.as_str());
    // The option's argument: the next word, or what follows `=` (or a short option's letter).
    let argument = |options: &[&str]| -> Option<String> {
        if prev.is_some_and(|p| options.iter().any(|o| same_option(p, o))) {
            return Some(word.to_string());
        }
        // `--opt=…`, or GNU getopt's abbreviation of it (`--comm=…`).
        if let Some((given, rest)) = word.split_once('=')
            && options
                .iter()
                .any(|o| o.starts_with("--") && same_option(given, o))
        {
            return Some(rest.to_string());
        }
        options.iter().find_map(|o| {
            let rest = word.strip_prefix(o)?;
            if o.starts_with("--") {
                rest.strip_prefix('=').map(str::to_string)
            } else {
                (!rest.is_empty() && !o.starts_with("--")).then(|| rest.to_string())
            }
        })
    };
    let git_sub = |sub: &str| (i + 1..target).any(|k| args[k].cooked == sub);
    // `socat - SYSTEM:'…'`: socat runs the address's command with `sh -c`, and its own
    // syntax (`,` options, `!!`) comes first.
    if name == "socat"
        && word.contains(SENTINEL)
        && word
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("system:"))
    {
        return Some(Role::Refused(Unsafe {
            why: "it stands in socat's `SYSTEM:` address, whose text socat splits by its own syntax and then runs with `sh -c`".into(),
            construct: "socat SYSTEM:".into(),
            help: "write the command in a script that reads the value from its environment (the step's `env:`), and give socat `SYSTEM:./script`".into(),
        }));
    }
    // `make deploy VERSION={{ v }}`: make pastes the variable's text into the recipes, which
    // a shell runs: one plain word only.
    if matches!(name, "make" | "gmake")
        && let Some((var, value)) = word.split_once('=')
        && value.contains(SENTINEL)
        && !var.is_empty()
        && var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Some(Role::PlainWord);
    }
    for (program, options, travels) in OPTIONS_RUN {
        if *program != name {
            continue;
        }
        // `git -x` is rebase's and difftool's, `-O` grep's; elsewhere they are no command.
        if name == "git"
            && ((prev == Some("-x") && !git_sub("rebase") && !git_sub("difftool"))
                || (word.starts_with("-O") || prev == Some("-O")) && !git_sub("grep"))
        {
            continue;
        }
        if let Some(inner) = argument(options) {
            if !inner.contains(SENTINEL) {
                continue;
            }
            return Some(Role::Reparse(Reparse {
                inner,
                construct: format!(
                    "{name} {}",
                    prev.filter(|p| options.iter().any(|o| same_option(p, o)))
                        .unwrap_or_else(|| {
                            // The option itself, without its attached argument.
                            options
                                .iter()
                                .filter(|o| word.starts_with(**o))
                                .max_by_key(|o| o.len())
                                .copied()
                                .unwrap_or_else(|| word.split('=').next().unwrap_or(word))
                        })
                ),
                travels: *travels && ctx.travels,
            }));
        }
    }
    for (program, options) in OPTIONS_CODE {
        if *program == name && argument(options).is_some_and(|a| a.contains(SENTINEL)) {
            return Some(Role::Refused(Unsafe {
                why: format!("it stands in a command given to `{name}` in its options, which may run a shell and whose quoting runbook does not write"),
                construct: format!("{name} {}", prev.unwrap_or(word)),
                help: "pass the value in the environment (the step's `env:`) and read it there, or give the program a file".into(),
            }));
        }
    }
    for (program, before, travels) in OPERANDS_RUN {
        if *program != name {
            continue;
        }
        // The first operand after the words that introduce it (or after the host).
        let start = if before.is_empty() {
            // pssh's options that take an argument; its first operand is the command.
            options(args, i + 1, "hHlpOtxX", &[]).0
        } else {
            let mut k = i + 1;
            let mut found = 0;
            while k < args.len() && found < before.len() {
                if args[k].cooked == before[found] {
                    found += 1;
                }
                k += 1;
            }
            if found < before.len() {
                continue;
            }
            k
        };
        if target >= start {
            return Some(Role::Reparse(Reparse {
                inner: words_text(&args[start..]),
                construct: format!("{name} {}", before.join(" "))
                    .trim_end()
                    .to_string(),
                travels: *travels && ctx.travels,
            }));
        }
    }
    None
}

/// Words as a shell that joins them with spaces (`ssh HOST a b`, `eval a b`) parses them.
fn words_text(words: &[&Word]) -> String {
    words
        .iter()
        .map(|w| w.cooked.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `tmux new-session … COMMAND`: tmux runs the command with `sh -c` in a new pane;
/// `send-keys` types its words into a pane's shell.
fn tmux(args: &[&Word], i: usize, target: usize) -> Role {
    const RUNS: &[&str] = &[
        "new-session",
        "new",
        "new-window",
        "neww",
        "split-window",
        "splitw",
        "respawn-pane",
        "respawnp",
        "respawn-window",
        "respawnw",
        "run-shell",
        "run",
        "if-shell",
        "if",
        "display-popup",
        "popup",
        "pipe-pane",
        "pipep",
    ];
    // Commands whose arguments tmux parses as its own commands later (a hook, a key
    // binding, a prompt's template), which may be `run-shell`.
    const PARSES: &[&str] = &[
        "set-hook",
        "bind-key",
        "bind",
        "command-prompt",
        "confirm-before",
        "confirm",
        "display-menu",
        "menu",
    ];
    let Some(sub) = (i + 1..target).find(|&k| {
        let a = args[k].cooked.as_str();
        RUNS.contains(&a) || PARSES.contains(&a) || matches!(a, "send-keys" | "send")
    }) else {
        return Role::Data(None);
    };
    if PARSES.contains(&args[sub].cooked.as_str()) {
        return Role::Refused(Unsafe {
            why: format!(
                "tmux parses the arguments of `{}` as its own commands later, and `run-shell` among them runs a shell",
                args[sub].cooked
            ),
            construct: format!("tmux {}", args[sub].cooked),
            help: "run the command in the step itself, or give tmux the value through the environment (`tmux set-environment`) and read it there".into(),
        });
    }
    if matches!(args[sub].cooked.as_str(), "send-keys" | "send") {
        return Role::Refused(Unsafe {
            why: "it is typed into a terminal pane by `tmux send-keys`, where a shell reads it as a command".into(),
            construct: "tmux send-keys".into(),
            help: "run the command in the step itself, or pass the value in the pane's environment (`tmux new-session -e NAME=VALUE`)".into(),
        });
    }
    // The options of these commands that take a value (`-d`, `-b`, `-P`, `-E` do not).
    let (j, seen) = options(args, sub + 1, "cefFnstxylwhTS", &[]);
    if seen.iter().any(|(_, v)| *v == Some(target)) || target < j {
        return Role::Data(None);
    }
    // `if-shell SHELL-COMMAND COMMAND [COMMAND]`: only the first is a shell's; the others
    // are tmux commands (which may be `run-shell`).
    // (With `-F` the condition is a format, which the option took: no shell's command.)
    let formatted = seen.iter().any(|(o, _)| o == "-F");
    if matches!(args[sub].cooked.as_str(), "if-shell" | "if") && (target > j || formatted) {
        return Role::Refused(Unsafe {
            why: "tmux parses the commands of `if-shell` after its condition as its own commands, and `run-shell` among them runs a shell".into(),
            construct: format!("tmux {}", args[sub].cooked),
            help: "run the command in the step itself".into(),
        });
    }
    Role::Reparse(Reparse {
        inner: if matches!(args[sub].cooked.as_str(), "if-shell" | "if") {
            words_text(&args[j..=j])
        } else {
            words_text(&args[j..])
        },
        construct: format!("tmux {}", args[sub].cooked),
        travels: false,
    })
}

/// A word naming a variable: the name itself, or a subscript evaluated as arithmetic.
fn name_role(w: &Word) -> Role {
    let sentinel = w.cooked.find(SENTINEL).unwrap_or(0);
    match w.cooked.find('[') {
        Some(open) if sentinel > open => Role::Arith,
        _ => Role::Name,
    }
}

/// `-o ProxyCommand=…` (and the other options ssh runs with a shell) holding the value at
/// `target`: refused.
fn ssh_command_option(args: &[&Word], target: usize, seen: &programs::Options) -> Option<Role> {
    let attached = args[target].cooked.starts_with("-o")
        && seen.iter().any(|(o, v)| o.starts_with("-o") && v.is_none());
    let given = seen.iter().any(|(o, v)| o == "-o" && *v == Some(target));
    if !given && !attached {
        return None;
    }
    let option = args[target].cooked.to_ascii_lowercase();
    let option = option.trim_start_matches("-o").trim_start();
    [
        "proxycommand",
        "localcommand",
        "remotecommand",
        "knownhostscommand",
        "permitlocalcommand",
    ]
    .iter()
    .any(|k| option.starts_with(k))
    .then(|| {
        Role::Refused(Unsafe {
            why: "it stands in an ssh option that a shell runs as a command (with `%` tokens expanded)".into(),
            construct: "ssh -o …Command".into(),
            help: "give the command in an ssh config file (`-F FILE`), not from a value".into(),
        })
    })
}

/// Calls `f` with the command a container runs, the index of its program and that of
/// `args[start]` in it: the words from `start` on, after the program of
/// `--entrypoint PROGRAM` when one is given (`docker run --entrypoint sh IMAGE -c '…'`).
fn with_entrypoint<T>(
    args: &[&Word],
    i: usize,
    start: usize,
    f: impl FnOnce(&[&Word], usize, usize) -> T,
) -> T {
    let entrypoint = (i + 1..start.min(args.len())).find_map(|k| {
        let w = args[k].cooked.as_str();
        match w.strip_prefix("--entrypoint") {
            Some("") => args.get(k + 1).map(|v| v.cooked.clone()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        }
    });
    match entrypoint.filter(|e| !e.is_empty()) {
        Some(program) if start > 0 && start <= args.len() => {
            let program = Word {
                span: args[start - 1].span.clone(),
                cooked: program,
                expansions: Vec::new(),
                quoted: false,
                redirect: false,
                herestring: false,
            };
            let mut cmd: Vec<&Word> = vec![&program];
            cmd.extend_from_slice(&args[start..]);
            f(&cmd, 0, 1)
        }
        _ => f(args, start, start),
    }
}

/// Whether the command `args[i..]` reads its standard input as a shell script: its construct
/// and whether the environment reaches that shell.
fn reads_stdin_as_script(args: &[&Word], i: usize, ctx: Ctx) -> Option<(String, bool)> {
    let mut i = i;
    while args.get(i).is_some_and(|w| {
        !w.quoted && KEYWORDS.contains(&w.cooked.as_str()) || is_assignment_word(w)
    }) {
        i += 1;
    }
    let w = args.get(i)?;
    if !w.expansions.is_empty() {
        return None;
    }
    let name = base(&w.cooked);
    match name {
        _ if SHELLS.contains(&name) && name != "busybox" => {
            let (j, seen) = shell_options(args, i + 1);
            let c = seen
                .iter()
                .any(|(o, v)| v.is_none() && o.len() == 2 && o.ends_with('c'));
            let s = seen.iter().any(|(o, _)| o == "-s");
            let operand = args.get(j).map(|w| w.cooked.as_str());
            // `bash /dev/fd/3 3<<EOF`: a descriptor this command's redirections open.
            let stdin = operand.is_none_or(|o| o == "-" || stdin_file(o))
                || operand
                    .is_some_and(|o| o.starts_with("/dev/fd/") || o.starts_with("/proc/self/fd/"));
            if c {
                // `sh -c "cd /tmp && sh"`: a command of the script reads the input.
                let script = args.get(j)?.cooked.clone();
                let list = commands(&script, 0..script.len())?;
                return list
                    .iter()
                    .find_map(|cmd| {
                        reads_stdin_as_script(
                            &cmd.args(),
                            0,
                            Ctx {
                                travels: ctx.travels,
                            },
                        )
                    })
                    .map(|(inner, t)| (format!("{name} -c … {inner}"), t));
            }
            (s || stdin).then(|| (name.to_string(), ctx.travels))
        }
        "." | "source" => args
            .get(i + 1)
            .is_some_and(|w| stdin_file(&w.cooked))
            .then(|| (format!("{name} /dev/stdin"), ctx.travels)),
        "sudo" => {
            let (j, seen) = wrapped(args, i, &SUDO);
            if j >= args.len() && has(&seen, &["-i", "-s", "--login", "--shell"]) {
                return Some(("sudo -s".into(), false));
            }
            reads_stdin_as_script(args, j, Ctx { travels: false })
        }
        // `su - postgres <<EOF`: without `-c`, su's shell reads the document.
        "su" | "runuser" => {
            let found = programs::su_commands(args, i, name == "runuser");
            match found.command {
                Some(k) => reads_stdin_as_script(args, k, Ctx { travels: false }),
                None if found.scripts.is_empty() => Some((name.to_string(), false)),
                None => None,
            }
        }
        // `echo … | at now`: at runs its input with sh later.
        "at" | "batch" => Some((name.to_string(), false)),
        // `echo … | parallel` with no command: each line of the input is a command line.
        "parallel"
            if !args[i + 1..].iter().any(|w| w.cooked.starts_with(":::"))
                && !parallel_command(args, i, args.len()) =>
        {
            Some(("parallel".into(), false))
        }
        // `chroot /host <<EOF`, `nsenter -t 1 -m <<EOF`, `newgrp docker <<EOF`: given no
        // command, these start a shell (the user's, or `/bin/sh`), which reads the input.
        "chroot" | "nsenter" | "unshare" | "newgrp" | "script" | "firejail" | "fakeroot" => {
            let (short, long, operands): (&str, &[&str], usize) = match name {
                "chroot" => ("", &["userspec", "groups"], 1),
                "nsenter" => ("tSG", &["target", "setuid", "setgid"], 0),
                "unshare" => (
                    "RwSG",
                    &[
                        "root",
                        "wd",
                        "setuid",
                        "setgid",
                        "map-user",
                        "map-group",
                        "map-users",
                        "map-groups",
                        "propagation",
                    ],
                    0,
                ),
                "fakeroot" => ("lfsib", &["lib", "faked"], 0),
                "script" => (SCRIPT_OPTIONS.0, SCRIPT_OPTIONS.1, 0),
                // newgrp [-] [GROUP], firejail [--option=value…] [PROGRAM]
                _ => ("", &[], 0),
            };
            let (j, seen) = options(args, i + 1, short, long);
            let start = j + operands;
            let shell = match name {
                // newgrp never runs a command; script's operand is its log, not one.
                "newgrp" => true,
                "script" => !has(&seen, &["-c", "--command"]),
                _ => start >= args.len(),
            };
            if shell {
                return Some((format!("{name} (the shell it starts)"), false));
            }
            if matches!(name, "newgrp" | "script") {
                return None;
            }
            reads_stdin_as_script(args, start, Ctx { travels: false })
        }
        "ssh" | "autossh" | "rsh" | "remsh" | "dbclient" => {
            let (_, seen, k, after) = ssh_options(name, args, i);
            if has(&seen, &["-n"]) || has(&after, &["-n"]) {
                return None;
            }
            if k >= args.len() {
                return Some(("ssh HOST".into(), false));
            }
            // `ssh HOST bash -s`, `ssh HOST "cd /tmp && bash -s"`: a command of the remote
            // script reads the input.
            let remote = words_text(&args[k..]);
            let list = commands(&remote, 0..remote.len())?;
            list.iter()
                .find_map(|cmd| reads_stdin_as_script(&cmd.args(), 0, Ctx { travels: false }))
                .map(|(c, _)| (format!("ssh HOST {c}"), false))
        }
        "kubectl" | "oc" | "docker" | "podman" | "nerdctl" => {
            if let Some(construct) = image_command_reads_input(args, i) {
                return Some((construct, false));
            }
            let start = programs::container_command(args, i)?;
            with_entrypoint(args, i, start, |cmd, j, _| {
                reads_stdin_as_script(cmd, j, Ctx { travels: false })
            })
            .map(|(c, _)| (format!("{name} exec … {c}"), false))
        }
        _ => {
            let w = find_wrapper(name)?;
            let (j, seen) = wrapped(args, i, w);
            let cleared = name == "env"
                && (has(&seen, &["-i", "--ignore-environment"])
                    || args.iter().take(j).skip(i + 1).any(|a| a.cooked == "-"));
            let travels = ctx.travels && w.keeps_env && !cleared;
            reads_stdin_as_script(args, j, Ctx { travels })
        }
    }
}

const PSQL: Foreign = Foreign {
    language: "SQL",
    help: "pass it as a psql variable and the SQL on standard input (psql reads no variables in `-c`): `psql -v name=\"{{ … }}\" <<'SQL'` … `where x = :'name'` … `SQL`; or give the value a `pattern`",
};
/// psql reading its script on its input, where a `\` starts a psql command anywhere outside
/// quotes (`\!` runs a shell). (A `static`, told apart by its address from [`PSQL`], whose
/// contents are the same: two such constants may share one.)
static PSQL_STDIN: Foreign = Foreign {
    language: "SQL",
    help: PSQL.help,
};
/// mysql or sqlite3 reading its script on its input, where a line may be a client command
/// (`\!`, `system`, `.shell`), which runs a shell.
static MYSQL_STDIN: Foreign = Foreign {
    language: "SQL",
    help: MYSQL.help,
};
const MYSQL: Foreign = Foreign {
    language: "SQL",
    help: "restrict the value with a `pattern` (or `type: int`, `choices`) so that it cannot hold quotes, or look it up with a query that does not splice it",
};
const PYTHON: Foreign = Foreign {
    language: "Python",
    help: "pass it as an argument: `python3 -c 'import sys; print(sys.argv[1])' \"{{ … }}\"`",
};
const PERL: Foreign = Foreign {
    language: "Perl or Ruby",
    help: "pass it as an argument and read `$ARGV[0]` (Perl) or `ARGV[0]` (Ruby)",
};
const NODE: Foreign = Foreign {
    language: "JavaScript",
    help: "pass it as an argument: `node -e 'console.log(process.argv[1])' \"{{ … }}\"`",
};
const AWK: Foreign = Foreign {
    language: "awk",
    help: "pass it in the environment and read `ENVIRON[\"name\"]` (`-v` would turn its backslashes into other characters): `name=\"{{ … }}\" awk '$1 == ENVIRON[\"name\"]'`",
};
const TCL_EXPECT: Foreign = Foreign {
    language: "Tcl (expect)",
    help: "pass it in the environment and read `$env(NAME)` (`NAME=\"{{ … }}\" expect -c 'send \"$env(NAME)\\r\"'`); Tcl runs `[…]` in a string",
};
const MONGO: Foreign = Foreign {
    language: "JavaScript (mongosh)",
    help: "pass it in the environment and read `process.env.NAME`, or give the value a `pattern`",
};
const POWERSHELL: Foreign = Foreign {
    language: "PowerShell",
    help: "pass it in the environment and read `$env:NAME`",
};
const R: Foreign = Foreign {
    language: "R",
    help: "pass it as an argument and read `commandArgs(TRUE)[1]`: `Rscript -e 'cat(commandArgs(TRUE)[1])' \"{{ … }}\"`",
};
const QUERY: Foreign = Foreign {
    language: "a query language (SQL, CQL, InfluxQL)",
    help: "use the client's own parameters where it has them (`--param_name=…` for clickhouse-client, `-v name=…` for sqlcmd), or give the value a `pattern` that refuses quotes",
};
const JQ: Foreign = Foreign {
    language: "jq",
    help: "pass it as a jq variable: `jq --arg name \"{{ … }}\" '.[] | select(.id == $name)'`",
};
const LUA: Foreign = Foreign {
    language: "Lua",
    help: "pass it as an argument and read `arg[1]`: `lua -e 'print(arg[1])' \"{{ … }}\"`",
};
const LUA_PHP: Foreign = Foreign {
    language: "PHP",
    help: "pass it as an argument and read `$argv[1]`: `php -r 'echo $argv[1];' \"{{ … }}\"`",
};
const SED: Foreign = Foreign {
    language: "sed",
    help: "sed can run shell commands from its script (`e`, `s///e`, `w`): match the value with `grep -F -- \"{{ … }}\"`, or give it a `pattern` that allows no `/`, `;`, new line or backslash",
};
const REDIS: Foreign = Foreign {
    language: "Lua",
    help: "pass it after the keys, and read `ARGV[1]` in the script: `redis-cli EVAL 'return ARGV[1]' 0 \"{{ … }}\"`",
};

const TCL: Foreign = Foreign {
    language: "Tcl",
    help: "pass it as an argument and read `[lindex $argv 0]`: `tclsh script.tcl \"{{ … }}\"`",
};
const ED: Foreign = Foreign {
    language: "ed/ex",
    help: "a line of the value could be a command, and `!cmd` runs a shell: write the value to a file first (`printf '%s\\n' \"$VALUE\" > new.txt`, the value in the step's `env`) and have the editor read that file (`r new.txt`), or make the change with a program that takes the value as an argument",
};

/// The option whose value word `index` of `args` is, when that value may name a command:
/// `ssh`/`scp`/`sftp -o` (a whole `Key=value`, `ProxyCommand` among them), `git -c`, `git
/// clone -u`/`--upload-pack`. (`-oKey=…` written together too.)
fn option_naming_a_command(args: &[&Word], index: usize) -> Option<String> {
    let first = command_index(args);
    let program = programs::program_index(args, first);
    let name = base(&args.get(program)?.cooked);
    if index <= program {
        return None;
    }
    let word = args[index].cooked.as_str();
    let prev = args.get(index - 1).map(|w| w.cooked.as_str());
    // (`-o ConnectTimeout={{ t }}`, `-c user.name={{ n }}`: the key is the runbook's, and a
    // key that runs its value, `ProxyCommand=…`, is followed as a string parsed again.)
    let key_given = word.find(SENTINEL).is_some_and(|at| {
        word[..at]
            .trim_start_matches("-o")
            .trim_start_matches("-c")
            .contains('=')
    });
    if key_given {
        return None;
    }
    let ssh = matches!(name, "ssh" | "scp" | "sftp" | "slogin" | "autossh");
    if ssh && (prev == Some("-o") || word.starts_with("-o")) {
        return Some(format!("{name} -o"));
    }
    if name == "git" {
        let sub = args[program + 1..]
            .iter()
            .position(|w| !w.cooked.starts_with('-'));
        let before_sub = sub.is_none_or(|s| index <= program + 1 + s);
        if before_sub && (prev == Some("-c") || (word.starts_with("-c") && word.len() > 2)) {
            return Some("git -c".into());
        }
        // `git clone -u …`: `--upload-pack`, whose value git runs.
        if prev == Some("-u") && !before_sub {
            return Some("git -u".into());
        }
    }
    None
}

/// A file name that is the program's own standard input.
pub(crate) fn stdin_file(name: &str) -> bool {
    matches!(name, "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")
}

/// The piece of code holding offset `at`: the word, or the here-document's body.
fn code_holding<'t>(text: &'t str, list: &[Command], at: usize) -> Option<&'t str> {
    for c in list {
        if let Some(w) = c.words.iter().find(|w| w.span.contains(&at)) {
            return text.get(w.span.clone());
        }
        if let Some(h) = c.heredocs.iter().find(|h| h.body.contains(&at)) {
            return text.get(h.body.clone());
        }
    }
    None
}

/// The language of the script a command reads on its standard input (`psql <<SQL`,
/// `python3 - <<EOF`, `redis-cli <<EOF`, `tclsh <<EOF`): a value in that here-document is a
/// piece of its code.
fn foreign_stdin(args: &[&Word]) -> Option<&'static Foreign> {
    let i = command_index(args);
    let w = args.get(i)?;
    let name = base(&w.cooked);
    let rest: Vec<&str> = args[i + 1..].iter().map(|a| a.cooked.as_str()).collect();
    foreign_stdin_of(name, &rest)
}

/// [`foreign_stdin`] of program `name` given the words `rest`; through a command that hands
/// its input to a command on another host or in a container (`ssh db-1 "psql …"`,
/// `kubectl exec -i db-0 -- psql …`, `docker exec -i db psql …`), that command's.
fn foreign_stdin_of(name: &str, rest: &[&str]) -> Option<&'static Foreign> {
    // `sudo -u postgres psql`, `timeout 30 psql`, `env A=1 psql`: the program it runs (an
    // audit's value ran `\!` through each).
    if let Some(w) = find_wrapper(name) {
        let all: Vec<&str> = std::iter::once(name).chain(rest.iter().copied()).collect();
        let (j, _) = programs::wrapped(&all, 0, w);
        let (first, others) = all.get(j..)?.split_first()?;
        return foreign_stdin_of(base(first), others);
    }
    if let Some(inner) = remote_reader(name, rest) {
        let (first, others) = inner.split_first()?;
        let others: Vec<&str> = others.iter().map(String::as_str).collect();
        return foreign_stdin_of(base(first), &others);
    }
    let operands = || {
        rest.iter()
            .filter(|a| !a.starts_with('-') || **a == "-")
            .count()
    };
    let any = |opts: &[&str]| {
        rest.iter().any(|a| {
            opts.iter()
                .any(|o| a == o || a.starts_with(&format!("{o}=")))
        })
    };
    // A script file named `-` or `/dev/stdin` is standard input.
    let from_stdin = |opts: &[&str]| {
        rest.windows(2)
            .any(|p| opts.contains(&p[0]) && (p[1] == "-" || stdin_file(p[1])))
            || rest.iter().any(|a| {
                opts.iter()
                    .any(|o| *a == format!("{o}=-") || *a == format!("{o}=/dev/stdin"))
            })
    };
    match name {
        "psql" | "gitlab-psql"
            if !any(&["-c", "--command"])
                && (!any(&["-f", "--file"]) || from_stdin(&["-f", "--file"])) =>
        {
            Some(&PSQL_STDIN)
        }
        "mysql" | "mariadb" if !any(&["-e", "--execute"]) => Some(&MYSQL_STDIN),
        // ed and ex read commands, not text, on their standard input; so do vi and vim in
        // ex mode (`-e`, `-es`), and sed given its script there.
        "ed" | "ex" => Some(&ED),
        "vi" | "vim" | "nvim"
            if rest
                .iter()
                .any(|a| a.starts_with('-') && !a.starts_with("--") && a.contains(['e', 's'])) =>
        {
            Some(&ED)
        }
        "sed" | "gsed" if from_stdin(&["-f", "--file"]) => Some(&SED),
        "sqlite3" if operands() <= 1 => Some(&MYSQL_STDIN),
        _ if (name.starts_with("python") || name.starts_with("pypy"))
            && !rest.iter().any(|a| {
                a.starts_with('-') && !a.starts_with("--") && (a.ends_with('c') || a.ends_with('m'))
            })
            && (operands() == 0
                || rest
                    .iter()
                    .find(|a| !a.starts_with('-') || **a == "-")
                    .is_some_and(|a| *a == "-" || stdin_file(a))) =>
        {
            Some(&PYTHON)
        }
        "perl" | "ruby"
            if operands() == 0 || rest.first().is_some_and(|r| *r == "-" || stdin_file(r)) =>
        {
            Some(&PERL)
        }
        "node" | "nodejs" if operands() == 0 || rest.iter().any(|r| *r == "-" || stdin_file(r)) => {
            Some(&NODE)
        }
        "lua" | "luajit" if operands() == 0 || rest.iter().any(|r| *r == "-" || stdin_file(r)) => {
            Some(&LUA)
        }
        "php" if operands() == 0 => Some(&LUA_PHP),
        "tclsh" | "wish" | "expect"
            if operands() == 0 || rest.iter().any(|r| *r == "-" || stdin_file(r)) =>
        {
            Some(&TCL)
        }
        "redis-cli" => Some(&REDIS),
        "awk" | "gawk" | "mawk" | "nawk"
            if rest
                .windows(2)
                .any(|p| matches!(p[0], "-f" | "--file") && (p[1] == "-" || stdin_file(p[1]))) =>
        {
            Some(&AWK)
        }
        _ => None,
    }
}

/// The words of the command that reads the input of `name rest…` on another host or in a
/// container: the command of `ssh HOST COMMAND…` (its words split at white space), the
/// command after `--` of `kubectl`/`oc exec`, the command after the container of
/// `docker`/`podman exec`.
fn remote_reader(name: &str, rest: &[&str]) -> Option<Vec<String>> {
    let split = |words: &[&str]| -> Vec<String> {
        words
            .iter()
            .flat_map(|w| w.split_whitespace())
            .map(str::to_string)
            .collect()
    };
    match name {
        "ssh" => {
            let mut k = 0;
            while let Some(w) = rest.get(k) {
                if !w.starts_with('-') || w.len() < 2 {
                    let command = split(rest.get(k + 1..)?);
                    return (!command.is_empty()).then_some(command);
                }
                if *w == "--" {
                    k += 1;
                    continue;
                }
                let last = w.chars().last().unwrap_or('-');
                k += if w.len() == 2 && "bcDEeFIiJLlmOopQRSWw".contains(last) {
                    2
                } else {
                    1
                };
            }
            None
        }
        "kubectl" | "oc" if rest.contains(&"exec") => {
            let dashes = rest.iter().position(|w| *w == "--")?;
            let command = split(&rest[dashes + 1..]);
            (!command.is_empty()).then_some(command)
        }
        "docker" | "podman" | "nerdctl"
            if rest.first() == Some(&"exec") || rest.starts_with(&["compose", "exec"]) =>
        {
            let at = if rest.first() == Some(&"exec") { 1 } else { 2 };
            let (j, _) = super::programs::options(
                &rest[at..],
                0,
                "euw",
                &["env", "env-file", "user", "workdir", "detach-keys", "index"],
            );
            let command = split(rest.get(at + j + 1..)?);
            (!command.is_empty()).then_some(command)
        }
        // `su postgres -c "psql …"`, `runuser -u pg -c …`: the command string.
        "su" | "runuser" => {
            let c = rest.iter().position(|w| *w == "-c" || *w == "--command")?;
            let command = split(rest.get(c + 1..c + 2)?);
            (!command.is_empty()).then_some(command)
        }
        _ => None,
    }
}

/// The text that command `n` of `list` reads on its input, as far as the script holds it:
/// its here-documents and here-strings, and what the commands before it in a pipe print
/// (their words).
fn stdin_code(text: &str, list: &[Command], n: usize) -> String {
    let Some(cmd) = list.get(n) else {
        return String::new();
    };
    let mut code: Vec<&str> = cmd
        .heredocs
        .iter()
        .map(|h| text.get(h.body.clone()).unwrap_or(""))
        .collect();
    code.extend(
        cmd.words
            .iter()
            .filter(|w| w.herestring)
            .map(|w| w.cooked.as_str()),
    );
    let mut k = n;
    while k > 0 && list[k - 1].piped {
        k -= 1;
        code.extend(list[k].words.iter().map(|w| w.cooked.as_str()));
        // `cat <<'PY' | python3 - "{{ v }}"`: what `cat` prints is its document.
        code.extend(
            list[k]
                .heredocs
                .iter()
                .map(|h| text.get(h.body.clone()).unwrap_or("")),
        );
    }
    code.join("\n")
}

/// Whether command `n` of `list` is a program that reads its code on its input (`python3 -`,
/// `perl -`, `awk -f -`, `tclsh /dev/stdin`, `expect`) and that code hands strings to a
/// shell (see [`calls_shell`]).
fn stdin_code_runs_shell(text: &str, list: &[Command], n: usize) -> bool {
    let Some(cmd) = list.get(n) else {
        return false;
    };
    let Some(f) = foreign_stdin(&cmd.args()) else {
        return false;
    };
    if ![&PYTHON, &PERL, &NODE, &LUA, &LUA_PHP, &TCL, &AWK]
        .iter()
        .any(|g| std::ptr::eq(f, *g))
    {
        return false;
    }
    let code = stdin_code(text, list, n);
    calls_shell(CodeOf::language(f), &code)
        || (CodeOf::language(f) == CodeOf::Tcl && code.contains("send"))
}

const SHELLED: Foreign = Foreign {
    language: "shell",
    help: "the code it is given to hands it to a shell: give the program its arguments as a list, never a command line (`subprocess.run([\"systemctl\", \"restart\", sys.argv[1]])`, `system(\"systemctl\", \"restart\", $ARGV[0])`), or give the value a `pattern`",
};

/// What in a piece of code hands a string to a shell: `os.system`, `subprocess… shell=True`,
/// awk's `system()` and pipes, Perl's and Ruby's backquotes, `child_process`, PHP's
/// `shell_exec`.
const SHELL_CALLS: &[&str] = &[
    "popen",
    "shell=True",
    "getoutput",
    "create_subprocess_shell",
    "\"-c\"",
    "'-c'",
    "os.exec",
    "exec(",
    "eval(",
    "execSync",
    "child_process",
    "shell_exec",
    "passthru",
    "io.popen",
    "os.execute",
    "readpipe",
    "open2",
    "open3",
    "qx",
    "`",
    "| getline",
    "|getline",
];

/// `system(…)` given one string (a command line, which a shell parses), not a list of
/// arguments (`system("systemctl", "restart", $ARGV[0])`, which runs no shell).
fn system_of_a_string(code: &str) -> bool {
    code.match_indices("system(").any(|(at, call)| {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for c in code[at + call.len()..].chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '(' | '[' | '{') => depth += 1,
                (None, ')') if depth == 0 => return true,
                (None, ')' | ']' | '}') => depth = depth.saturating_sub(1),
                (None, ',') if depth == 0 => return false,
                _ => {}
            }
        }
        true
    })
}

/// Word `target` is an argument (or an awk `-v` value) of a program whose code, given on the
/// command line, hands strings to a shell (`python3 -c 'subprocess.run(sys.argv[1],
/// shell=True)' "{{ v }}"`, `awk -v x="{{ v }}" 'BEGIN{system("echo " x)}'`).
fn code_hands_to_shell(name: &str, args: &[&Word], i: usize, target: usize) -> bool {
    let code_flag: &[&str] = match name {
        _ if name.starts_with("python") || name.starts_with("pypy") => &["-c"],
        "perl" | "ruby" | "node" | "nodejs" | "lua" | "luajit" => &["-e", "-ne", "-pe", "-le"],
        _ if name.starts_with("perl5") => &["-e", "-ne", "-pe", "-le"],
        "php" => &["-r"],
        "awk" | "gawk" | "mawk" | "nawk" => &[],
        // `send` types into the program expect spawned: a shell, over ssh or not.
        "expect" => {
            return (i + 1..args.len())
                .find(|&k| args[k].cooked == "-c")
                .and_then(|k| args.get(k + 1).filter(|_| k + 1 != target))
                .is_some_and(|code| {
                    code.cooked.contains("send") || calls_shell(CodeOf::Tcl, &code.cooked)
                });
        }
        _ => return false,
    };
    let code = if code_flag.is_empty() {
        // awk: the program is the first operand that is not an option or its value.
        let mut k = i + 1;
        let mut program = None;
        while k < args.len() {
            let a = args[k].cooked.as_str();
            if matches!(a, "-v" | "-F" | "-f") {
                k += 2;
                continue;
            }
            if !a.starts_with('-') {
                program = Some(k);
                break;
            }
            k += 1;
        }
        program
    } else {
        (i + 1..target)
            .find(|&k| code_flag.contains(&args[k].cooked.as_str()))
            .map(|k| k + 1)
    };
    let Some(code) = code.filter(|&c| c != target && c < args.len()) else {
        return false;
    };
    // Code the shell expands first (`python3 -c "$(cat <<'PY' … PY)"`, `perl -e "$CODE"`)
    // is not the text written here: it may run a shell.
    !args[code].expansions.is_empty() || calls_shell(CodeOf::program(name), &args[code].cooked)
}

/// Whose code a piece of text is, for [`calls_shell`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum CodeOf {
    /// awk: also a pipe into a shell or into a command built from data (`print … | "sh"`).
    Awk,
    /// Perl, Ruby: also `system "…"` without parentheses and pipes opened to a command
    /// (`open(F, "… |")`).
    Perl,
    /// Tcl (expect, tclsh): `exec`, `spawn`, `open "|…"`.
    Tcl,
    Other,
}

impl CodeOf {
    fn program(name: &str) -> CodeOf {
        match name {
            "awk" | "gawk" | "mawk" | "nawk" => CodeOf::Awk,
            "perl" | "ruby" => CodeOf::Perl,
            _ if name.starts_with("perl5") => CodeOf::Perl,
            "expect" | "tclsh" | "wish" => CodeOf::Tcl,
            _ => CodeOf::Other,
        }
    }

    fn language(f: &Foreign) -> CodeOf {
        match f.language {
            "awk" => CodeOf::Awk,
            "Perl or Ruby" => CodeOf::Perl,
            "Tcl" | "Tcl (expect)" => CodeOf::Tcl,
            _ => CodeOf::Other,
        }
    }
}

/// Whether `code` hands strings to a shell (`system(`, `shell=True`, backquotes, and for
/// awk and Perl a pipe to a command, for Tcl `exec`/`spawn`).
fn calls_shell(of: CodeOf, code: &str) -> bool {
    SHELL_CALLS.iter().any(|call| code.contains(call))
        || system_of_a_string(code)
        || shell_flag(code)
        || (of == CodeOf::Awk && awk_pipes_to_data(code))
        // awk's `print … | "sh"` (a pipe into a shell, or into a command built from data:
        // `| ("echo " s)`).
        || (of == CodeOf::Awk
            && ["| \"sh", "|\"sh", "| \"bash", "|\"bash", "| (", "|(", "|&"]
                .iter()
                .any(|p| code.contains(p)))
        // Perl's `system "…"`, `exec $…`, `eval $…` and `open(F, "… |")`, whose command line
        // a shell parses (or whose string Perl runs).
        || (of == CodeOf::Perl
            && [
                "system \"", "system '", "system $", "exec \"", "exec $", "eval \"", "eval $",
                "\"|", "'|", "'-|'", "'|-'", "\"-|\"", "\"|-\"", "|\")", "| \")", "|')",
            ]
            .iter()
            .any(|p| code.contains(p)))
        || (of == CodeOf::Tcl
            && ["exec ", "spawn ", "open \"|", "open |"]
                .iter()
                .any(|p| code.contains(p)))
}

/// Whether a sed script holds the `e` command or an `s` command with the `e` flag
/// (`s/^/echo /e`), which run text with `sh`.
fn sed_runs(script: &str) -> bool {
    let chars: Vec<char> = script.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let starts = k == 0
            || matches!(chars[k - 1], ';' | '{' | '\n' | ' ' | '$' | '/' | '!')
            || chars[k - 1].is_ascii_digit();
        if !starts {
            continue;
        }
        // `e` alone, or `e COMMAND`.
        if c == 'e'
            && chars
                .get(k + 1)
                .is_none_or(|n| matches!(n, ' ' | ';' | '\n' | '}'))
        {
            return true;
        }
        if c != 's' {
            continue;
        }
        let Some(&d) = chars.get(k + 1) else {
            continue;
        };
        if d.is_alphanumeric() || d.is_whitespace() || d == '\\' {
            continue;
        }
        // The pattern and the replacement, then the flags.
        let mut j = k + 2;
        let mut parts = 0;
        while j < chars.len() && parts < 2 {
            if chars[j] == '\\' {
                j += 1;
            } else if chars[j] == d {
                parts += 1;
            }
            j += 1;
        }
        if parts == 2
            && chars[j..]
                .iter()
                .take_while(|f| f.is_ascii_alphanumeric())
                .any(|f| *f == 'e')
        {
            return true;
        }
    }
    false
}

/// Python's `shell=True` however spelt: `shell = 1`, `**{'shell': True}`, `"shell": True`.
fn shell_flag(code: &str) -> bool {
    code.match_indices("shell").any(|(at, word)| {
        if code[..at]
            .bytes()
            .next_back()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return false;
        }
        let rest = &code[at + word.len()..];
        let (quoted, rest) = match rest.strip_prefix(['\'', '"']) {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let rest = rest.trim_start();
        let Some(value) = rest
            .strip_prefix('=')
            .filter(|v| !quoted && !v.starts_with('='))
            .or_else(|| rest.strip_prefix(':').filter(|_| quoted))
        else {
            return false;
        };
        let value = value.trim_start();
        value.starts_with("True") || value.starts_with('1')
    })
}

/// awk's `print … | cmd` or `cmd | getline` with `cmd` a variable: a command line built
/// from data, which `sh` runs (`c = "echo " $0; print "" | c`).
fn awk_pipes_to_data(code: &str) -> bool {
    let bytes = code.as_bytes();
    code.match_indices('|').any(|(at, _)| {
        if bytes.get(at + 1) == Some(&b'|') || (at > 0 && bytes[at - 1] == b'|') {
            return false;
        }
        let rest = code[at + 1..].trim_start_matches([' ', '\t', '&']);
        let name: &str = rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) || name == "getline" {
            return false;
        }
        // `/error|warn/` is a regular expression: the name goes on with `/`.
        let after = rest[name.len()..].trim_start_matches([' ', '\t']);
        after.is_empty() || after.starts_with([';', '}', '\n', ')'])
    })
}

/// `awk '{ system("… " $0) }'`, `python3 -c '…shell=True…'`: a program whose code, given on
/// the command line, hands strings to a shell, so what it reads (its input, its
/// environment) may become code there.
fn code_runs_shell(args: &[&Word]) -> Option<String> {
    let i = command_index(args);
    let name = base(&args.get(i)?.cooked);
    // GNU sed's `e` command and `s///e` flag run the pattern space, the input, with `sh`.
    if matches!(name, "sed" | "gsed") && args[i + 1..].iter().any(|w| sed_runs(&w.cooked)) {
        return Some(format!("{name} (its `e` runs a shell)"));
    }
    code_hands_to_shell(name, args, i, args.len())
        .then(|| format!("{name} (its code runs a shell)"))
}

/// `crontab -` (or `crontab` with no file): the input becomes the user's crontab, whose
/// lines cron runs with `sh` later (where `%` is a new line): a value there is never data.
fn crontab_of_input(args: &[&Word]) -> Option<String> {
    let i = command_index(args);
    if base(&args.get(i)?.cooked) != "crontab" {
        return None;
    }
    let (j, seen) = options(args, i + 1, "uc", &[]);
    if has(&seen, &["-l", "-r", "-e", "-i", "-V"]) {
        return None;
    }
    matches!(args.get(j).map(|w| w.cooked.as_str()), None | Some("-"))
        .then(|| "crontab (cron runs its lines with sh)".to_string())
}

/// The environment variables that such code reads: `ENVIRON["N"]` (awk), `$ENV{N}` (perl),
/// `os.environ["N"]`, `os.getenv("N")` (python), `process.env.N` (node), `ENV["N"]` (ruby).
fn code_env_reads(args: &[&Word]) -> Vec<String> {
    args.iter().flat_map(|w| env_reads_in(&w.cooked)).collect()
}

/// The environment variables a piece of code reads (see [`code_env_reads`]).
fn env_reads_in(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for opener in [
        "ENVIRON[",
        "$ENV{",
        "environ[",
        "environ.get(",
        "getenv(",
        "process.env.",
        "ENV[",
        "$env(",
    ] {
        for (at, _) in code.match_indices(opener) {
            let rest = code[at + opener.len()..].trim_start_matches(['"', '\'', ' ']);
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Whether word `target` of the command `args[i..]` is code of another language.
fn foreign(name: &str, args: &[&Word], i: usize, target: usize) -> Option<&'static Foreign> {
    if code_hands_to_shell(name, args, i, target) {
        return Some(&SHELLED);
    }
    let prev = args.get(target.checked_sub(1)?).map(|w| w.cooked.as_str());
    let cur = args.get(target)?.cooked.as_str();
    let attached = |short: &str, long: &str| {
        cur.strip_prefix(long).is_some_and(|r| r.starts_with('='))
            || (cur.starts_with(short) && cur.len() > short.len() && !cur.starts_with("--"))
    };
    match name {
        // (`gitlab-psql`: GitLab's psql, same options.)
        "psql" | "gitlab-psql"
            if matches!(prev, Some("-c" | "--command")) || attached("-c", "--command") =>
        {
            Some(&PSQL)
        }
        // `gitlab-rails runner "Project.find(…)"`, `rails runner`: Ruby code.
        "gitlab-rails" | "rails" if prev == Some("runner") => Some(&PERL),
        "mysql" | "mariadb"
            if matches!(prev, Some("-e" | "--execute")) || attached("-e", "--execute") =>
        {
            Some(&MYSQL)
        }
        "sqlite3" => {
            let operands: Vec<usize> = (i + 1..args.len())
                .filter(|&k| !args[k].cooked.starts_with('-'))
                .collect();
            (operands.get(1) == Some(&target)).then_some(&MYSQL)
        }
        // `python3.11`, `pypy3`; `-c` alone or ending a cluster (`-Ic`, `-uc`).
        _ if (name.starts_with("python") || name.starts_with("pypy"))
            && prev.is_some_and(|p| {
                p.starts_with('-')
                    && !p.starts_with("--")
                    && p.ends_with('c')
                    && p[1..].bytes().all(|b| b.is_ascii_alphabetic())
            }) =>
        {
            Some(&PYTHON)
        }
        // `-e`, `-E`, and clusters that end with them (`-ne`, `-lpe`).
        "perl" | "ruby"
            if prev.is_some_and(|p| {
                p.len() >= 2
                    && p.starts_with('-')
                    && !p.starts_with("--")
                    && (p.ends_with('e') || p.ends_with('E'))
                    && p[1..].bytes().all(|b| b.is_ascii_alphabetic())
            }) =>
        {
            Some(&PERL)
        }
        "lua" | "luajit" if prev == Some("-e") => Some(&LUA),
        "expect" if prev == Some("-c") => Some(&TCL_EXPECT),
        "mongosh" | "mongo" if matches!(prev, Some("--eval")) => Some(&MONGO),
        "pwsh" | "powershell"
            if prev.is_some_and(|p| {
                p.eq_ignore_ascii_case("-c") || p.eq_ignore_ascii_case("-command")
            }) =>
        {
            Some(&POWERSHELL)
        }
        "Rscript" if prev == Some("-e") => Some(&R),
        "bun" if prev == Some("-e") => Some(&NODE),
        "deno" if prev == Some("eval") => Some(&NODE),
        "cqlsh" | "influx" | "sqlcmd" | "clickhouse-client" | "clickhouse"
            if matches!(
                prev,
                Some("-e" | "--execute" | "-execute" | "-Q" | "-q" | "--query")
            ) =>
        {
            Some(&QUERY)
        }
        _ if name.starts_with("perl5")
            && prev.is_some_and(|p| p.starts_with('-') && p.ends_with('e')) =>
        {
            Some(&PERL)
        }
        "php" if prev == Some("-r") => Some(&LUA_PHP),
        "sed" | "gsed" => {
            let (j, seen) = options(args, i + 1, "efl", &["expression", "file", "line-length"]);
            let scripts =
                value_of(&seen, &["-e", "--expression"]).is_some() || has(&seen, &["-f", "--file"]);
            (value_of(&seen, &["-e", "--expression"]) == Some(target)
                || seen.iter().any(|(o, v)| o == "-e" && *v == Some(target))
                || (!scripts && j == target))
                .then_some(&SED)
        }
        "node" | "nodejs" | "deno"
            if matches!(
                prev,
                Some("-e" | "--eval" | "-p" | "--print" | "-pe" | "-ep")
            ) =>
        {
            Some(&NODE)
        }
        "awk" | "gawk" | "mawk" | "nawk" => {
            if matches!(prev, Some("-v")) {
                return None;
            }
            let (j, seen) = options(
                args,
                i + 1,
                "vfFe",
                &["assign", "file", "field-separator", "source"],
            );
            if has(&seen, &["-f", "--file"]) {
                return (value_of(&seen, &["-e", "--source"]) == Some(target)).then_some(&AWK);
            }
            (j == target || value_of(&seen, &["-e", "--source"]) == Some(target)).then_some(&AWK)
        }
        "jq" => {
            let (j, seen) = options(
                args,
                i + 1,
                "fL",
                &[
                    "arg",
                    "argjson",
                    "slurpfile",
                    "rawfile",
                    "args",
                    "from-file",
                    "indent",
                ],
            );
            // `--arg NAME VALUE` takes two words.
            let mut k = i + 1;
            let mut first = j;
            while k < j {
                if matches!(
                    args[k].cooked.as_str(),
                    "--arg" | "--argjson" | "--slurpfile" | "--rawfile"
                ) {
                    if target == k + 2 {
                        return None;
                    }
                    first = first.max(k + 3);
                    k += 3;
                } else {
                    k += 1;
                }
            }
            (first == target && !has(&seen, &["-f", "--from-file"])).then_some(&JQ)
        }
        "redis-cli" => {
            let eval = (i + 1..args.len()).find(|&k| {
                matches!(
                    args[k].cooked.to_ascii_uppercase().as_str(),
                    "EVAL" | "EVAL_RO"
                )
            })?;
            (target == eval + 1).then_some(&REDIS)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan for the `X` of a script (placeholders are plain words: one `X` stands for one).
    fn plan_x(script: &str) -> Result<Plan, Unsafe> {
        let at = script.find('X').unwrap_or(script.len());
        plan(script, at..at + 1)
    }

    /// Whether the value (the first `X`) must be one plain word there, or is refused.
    fn plain_word_or_refused(script: &str) -> bool {
        matches!(
            plan_x(script).map(|p| p.slot),
            Ok(Slot::PlainWord(_)) | Err(_)
        )
    }

    /// Whether the value (the first `X`) is in a string parsed again, or is refused.
    fn read_again_or_refused(script: &str) -> bool {
        plan_x(script).map_or(true, |p| !p.layers.is_empty())
    }

    fn constructs(script: &str) -> Vec<String> {
        plan_x(script)
            .unwrap_or_else(|e| panic!("{script}: {e:?}"))
            .layers
            .iter()
            .map(|l| l.construct.clone())
            .collect()
    }

    #[test]
    fn strings_parsed_again() {
        for (script, expected, travels) in [
            ("echo X", &[][..], true),
            ("eval \"echo X\"", &["eval"], true),
            ("eval echo X", &["eval"], true),
            ("sh -c \"echo X\"", &["sh -c"], true),
            ("bash -lc 'echo X'", &["bash -lc"], true),
            ("bash -c 'echo $1' _ X", &[], true),
            ("sudo sh -c \"echo X\"", &["sh -c"], false),
            (
                "sudo -u pg env A=1 timeout 5 bash -c 'X'",
                &["bash -c"],
                false,
            ),
            ("env -i sh -c X", &["sh -c"], false),
            ("nohup nice -n 5 sh -c 'X' &", &["sh -c"], true),
            ("xargs -n1 sh -c 'echo X'", &["sh -c"], true),
            ("find . -name y -exec sh -c 'echo X' \\;", &["sh -c"], true),
            ("watch -n 5 echo X", &["watch"], true),
            ("watch -x echo X", &[], true),
            ("flock /tmp/l -c 'echo X'", &["flock -c"], true),
            ("su - pg -c 'echo X'", &["su -c"], false),
            ("runuser -u pg -- sh -c 'echo X'", &["sh -c"], false),
            ("ssh web-1 echo X", &["ssh HOST"], false),
            ("ssh -p 22 -o A=b web-1 \"echo X\"", &["ssh HOST"], false),
            (
                "ssh web-1 \"sh -c 'echo X'\"",
                &["ssh HOST", "sh -c"],
                false,
            ),
            ("ssh web-1 X", &["ssh HOST"], false),
            ("ssh -i X web-1 uptime", &[], true),
            (
                "kubectl exec -it pod -c app -- sh -c \"echo X\"",
                &["sh -c"],
                false,
            ),
            ("kubectl exec pod -- echo X", &[], true),
            ("docker exec -u root c sh -c 'echo X'", &["sh -c"], false),
            ("ssh h <<EOF\necho X\nEOF", &["ssh HOST"], false),
            ("ssh h <<'EOF'\necho X\nEOF", &["ssh HOST"], false),
            ("bash <<EOF\necho X\nEOF", &["bash"], true),
            ("cat <<EOF\necho X\nEOF", &[], true),
            ("cat <<EOF | ssh h\necho X\nEOF", &["ssh HOST"], false),
            ("echo \"rm X\" | sh", &["echo … | sh"], true),
            ("echo X | grep y", &[], true),
            ("echo $(sh -c 'echo X')", &["sh -c"], true),
            ("if true; then sh -c 'X'; fi", &["sh -c"], true),
        ] {
            assert_eq!(constructs(script), expected, "{script}");
            let p = plan_x(script).unwrap();
            if !expected.is_empty() {
                assert_eq!(p.env_travels, travels, "{script}");
            }
        }
    }

    #[test]
    fn hostile_nesting_is_bounded() {
        for script in [
            format!("{}X", "$(".repeat(10_000)),
            format!("{}X", "sh -c \"".repeat(2_000)),
            format!("{}X", "\"$(".repeat(10_000)),
            format!("eval {}X", "'".repeat(9_999)),
        ] {
            // Any answer, without overflowing the stack or taking long.
            let _ = plan_x(&script);
        }
    }

    #[test]
    fn unclassifiable_strings_are_refused() {
        for script in [
            "sh -c \"$(echo X)\"",
            "sh -c \"echo ${a:-X}\"",
            "sh -c \"echo 'X\"",
            "ssh h \"echo \\\"X\"",
            "eval \"echo $(printf X)\"",
            "echo -e \"X\" | bash",
            "env -S 'sh -c X'",
        ] {
            assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
        }
    }

    #[test]
    fn what_stands_around_a_value_in_a_string_run_again() {
        // The fifth audit: a comment or backquotes in the innermost string, a `\` or `$`
        // right before the value, at any depth.
        for script in [
            "ssh h \"\n  # restart X\n  echo restarting\n\"",
            "ssh h 'echo hi # X'",
            "su root -c \"true; # X\"",
            "env -i sh -c 'echo a # X'",
            "kubectl exec pod -- sh -c \"echo # X\"",
            "ssh h \"echo pid=`pgrep -f X || true`\"",
            "ssh h \"echo C:\\X\"",
            "ssh h \"echo cost: \\$X\"",
            "printf '[%s]' \\X",
            "echo \"\\X\"",
            "echo \"$X\"",
        ] {
            let got = plan_x(script);
            assert!(got.is_err(), "{script}: {got:?}");
        }
        // Escaped backslashes, `#` inside words and quotes, and `$(…)` are no comment.
        for script in [
            "ssh h \"echo a#X\"",
            "ssh h \"echo '# X'\"",
            "echo \\\\X",
            "ssh h \"echo $(date) X\"",
            "ssh h \"echo ok\" # X",
        ] {
            let got = plan_x(script);
            assert!(got.is_ok(), "{script}: {got:?}");
        }
    }

    #[test]
    fn a_quoted_subscript_of_an_indexed_array_is_arithmetic() {
        for script in [
            "host=\"X\"; seen[\"$host\"]=1",
            "i=X; echo ${#a[\"$i\"]}",
            // bash evaluates an assignment to these as arithmetic.
            "RANDOM=\"X\"; echo $RANDOM",
            "s=\"X\"; OPTIND=$s",
        ] {
            let got = plan_x(script).map(|p| p.slot);
            assert!(matches!(got, Ok(Slot::NoSubscript(_))), "{script}: {got:?}");
        }
        // An associative array's key is a string.
        let got = plan_x("declare -A seen; host=\"X\"; seen[\"$host\"]=1").map(|p| p.slot);
        assert_eq!(got, Ok(Slot::Quoted(Quoting::Double)));
    }

    #[test]
    fn values_assigned_to_variables_that_run_files_are_refused() {
        for script in [
            "BASH_ENV=\"X\" bash -c true",
            "export BASH_ENV=/tmp/X",
            "env ENV=X sh -i",
            "LD_PRELOAD=X ls",
        ] {
            assert!(plan_x(script).is_err(), "{script}");
        }
        assert!(plan_x("NAME=X printenv NAME").is_ok());
        assert_eq!(
            plan_x("make deploy VERSION=X").map(|p| p.slot),
            Ok(Slot::PlainWord(Quoting::Bare))
        );
    }

    #[test]
    fn options_whose_argument_a_shell_runs() {
        for (script, construct) in [
            ("git rebase --exec \"make test X\" main", "git --exec"),
            ("git rebase -x \"echo X\" main", "git -x"),
            (
                "git clone --upload-pack=\"git-upload-pack X\" r",
                "git --upload-pack",
            ),
            ("git submodule foreach \"echo X\"", "git submodule foreach"),
            (
                "tar xf t.tar --to-command=\"cat > /tmp/X\"",
                "tar --to-command",
            ),
            ("tar -I \"X gzip\" -xf t.tar", "tar -I"),
            (
                "gcloud compute ssh vm --command=\"echo X\"",
                "gcloud --command",
            ),
            (
                "az vm run-command invoke --scripts \"echo X\"",
                "az --scripts",
            ),
            ("parallel-ssh -h hosts \"echo X\"", "parallel-ssh"),
            ("salt '*' cmd.run \"echo X\"", "salt cmd.run"),
            ("compgen -C \"echo X\" x", "compgen -C"),
            (
                "git -C r difftool -y -x \"echo X; true\" HEAD~1 HEAD",
                "git -x",
            ),
            ("git difftool --extcmd=\"diff X\" HEAD", "git --extcmd"),
            ("git grep -O\"echo X; true\" b", "git -O"),
            (
                "git filter-branch -f --msg-filter \"cat; echo 'T: X'\" HEAD",
                "git --msg-filter",
            ),
            (
                "rsync --rsync-path=\"mkdir -p /d-X && rsync\" f h:/d",
                "rsync --rsync-path",
            ),
            (
                "zip -q -T -TT \"unzip -tqq --ticket=X; true\" z.zip f",
                "zip -TT",
            ),
            (
                "tmux -S s pipe-pane -t incident \"cat >> /tmp/log-X\"",
                "tmux pipe-pane",
            ),
            ("capsh --drop=cap_net_raw -- -c \"echo X\"", "bash -c"),
            (
                "start-stop-daemon --start --exec /bin/sh -- -c \"echo X\"",
                "sh -c",
            ),
            ("flock /tmp/l --comm \"echo X\"", "flock --comm"),
            ("flock --comm=\"echo X\" /tmp/l", "flock --comm"),
            (
                "git clone --config core.sshCommand=\"ssh -i X\" r",
                "git -c core.sshCommand",
            ),
        ] {
            assert_eq!(constructs(script), [construct], "{script}");
        }
        for script in [
            "gdb -batch -ex \"shell echo X\"",
            "ex -s -c \"!echo X\"",
            "make --eval='all:; echo X'",
            "aws ssm send-command --parameters commands=\"echo X\"",
            "parallel -j4 printf '%s\\n' \"X\" ::: web-1 web-2",
            "sem --id deploy \"echo X\"",
        ] {
            assert!(plan_x(script).is_err(), "{script}");
        }
        // A value passed to a script read from a document that parses its `$1` again.
        for script in [
            "bash -s -- \"X\" <<'EOF'\neval \"echo checking $1\"\nEOF",
            "ssh h bash -s -- \"X\" <<'EOF'\nsvc=$1\nsh -c \"echo restarting $svc\"\nEOF",
        ] {
            let slot = plan_x(script).map(|p| p.slot);
            assert!(
                matches!(slot, Ok(Slot::PlainWord(_)) | Err(_)),
                "{script}: {slot:?}"
            );
        }
        assert!(matches!(
            plan_x("bash -s -- \"X\" <<'EOF'\necho \"checking $1\"\nEOF").map(|p| p.slot),
            Ok(Slot::Quoted(_))
        ));
        // A document written to a file that a later command runs is that file's script.
        for script in [
            "cat > /tmp/fix.sh <<EOT\necho \"fixing X\"\nEOT\nbash /tmp/fix.sh",
            "cat <<'EOT' >> fix.sh\necho 'X'\nEOT\nchmod +x fix.sh\n./fix.sh",
            "tee -a /tmp/f.sh <<EOT >/dev/null\necho X\nEOT\nsudo sh /tmp/f.sh",
        ] {
            assert_eq!(constructs(script).len(), 1, "{script}");
        }
        // A file that is only read stays data.
        assert!(constructs("cat > /etc/app.conf <<EOT\nhost=X\nEOT\ncat /etc/app.conf").is_empty());
        // What GNU parallel quotes itself, and options that run nothing, stay data.
        assert!(plan_x("parallel echo {} ::: X").is_ok());
        assert!(plan_x("git log -O X").is_ok());
        assert!(plan_x("git diff -x X").is_ok());
        assert!(plan_x("capsh --print -- X").is_ok());
        assert!(plan_x("start-stop-daemon --start --exec /usr/bin/app -- --name X").is_ok());
        // A cleared environment cannot carry a value: quoted for the inner shell instead.
        for script in [
            "( exec -c /bin/sh -c \"echo X\" )",
            "env --ignore-env PATH=/bin sh -c \"echo X\"",
        ] {
            let plan = plan_x(script).unwrap_or_else(|e| panic!("{script}: {e:?}"));
            assert!(!plan.env_travels, "{script}: {plan:?}");
        }
        // Their other arguments stay data.
        assert!(plan_x("git rebase --exec 'make test' X").is_ok());
        assert!(plan_x("tar -xf X").is_ok());
    }

    #[test]
    fn a_value_that_cannot_be_an_option_may_start_with_a_dash() {
        // Inside a word, after `--`, in `case` and `[[ ]]`, as an option's argument.
        for script in [
            "git commit --allow-empty -m \"rollback to X\"",
            "git log -1 --format=%H -- X",
            "curl -s \"https://status.example.com/api?offset=X\"",
            "tar -czf \"/tmp/backupX.tgz\" /etc/hostname",
            "find /var/log -name \"*X*\"",
            "case X in -*) echo negative;; esac",
            "[[ X == -* ]]",
            "journalctl -u nginx --since X --no-pager",
            "sudo journalctl --since X",
            "date -d X",
            "jq -n --arg since X '$since'",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // Where it can: a program's operand, an option that is not known to take a value.
        for script in [
            "git clone X",
            "kubectl delete pod --now X",
            "journalctl --no-pager X",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::NoOption(_))),
                "{script}"
            );
        }
    }

    #[test]
    fn a_value_that_starts_a_word_of_any_program_is_no_option() {
        for script in [
            "psql X -Atc 'select 1'",
            "kubectl delete pod X",
            "python3 X",
            "vim -es X",
            "make deploy X",
            "printf X",
        ] {
            assert_eq!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::NoOption(Quoting::Bare)),
                "{script}"
            );
        }
        // After `--`, inside a word, after printf's format, for echo and test: data.
        for script in [
            "kubectl delete pod -- X",
            "kubectl scale --replicas=X deploy/api",
            "printf '%s' X",
            "echo X",
            "[ X = y ]",
        ] {
            assert_eq!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::Quoted(Quoting::Bare)),
                "{script}"
            );
        }
    }

    #[test]
    fn names_and_other_languages() {
        assert_eq!(
            plan_x("sudo -i systemctl restart X").unwrap().slot,
            Slot::SudoShell(Quoting::Bare)
        );
        for script in [
            "read X",
            "read -r -a X",
            "printf -v X %s 1",
            "declare X=1",
            "export \"X=1\"",
            "unset X",
            "mapfile -t X < f",
            "for X in a b; do :; done",
            "[ -v X ]",
            "getopts ab X",
        ] {
            assert_eq!(plan_x(script).unwrap().slot, Slot::Name, "{script}");
        }
        for script in [
            "[ -v \"seen[X]\" ]",
            "test -v 'seen[X]'",
            "a=([X]=1)",
            "declare -a \"hosts=([X]=1)\"",
            "cat <<EOF\n$(( X + 1 ))\nEOF",
            "cat <<EOF\n${a[X]}\nEOF",
        ] {
            assert_eq!(
                plan_x(script).unwrap().slot,
                Slot::Quoted(Quoting::Arithmetic),
                "{script}"
            );
        }
        assert_eq!(constructs("declare -a \"hosts=(X)\""), ["declare"]);
        assert_eq!(
            plan_x("declare x=X").unwrap().slot,
            Slot::Quoted(Quoting::Bare)
        );
        for script in [
            "psql -c \"select X\"",
            "ssh h psql -c \"'select X'\"",
            "python3 -c 'print(X)'",
            "awk '{print X}' f",
            "jq '.X' f",
            "redis-cli EVAL 'return X' 0",
            "perl -ne 'print if /X/' f",
            "ruby -lpe 'X' f",
            "sed 's/a/X/' f",
            "sed -n -e 's/a/X/p' f",
            "lua -e 'print(X)'",
            "php -r 'echo X;'",
            // Scripts on standard input in another language.
            "psql <<SQL\nselect 'X';\nSQL",
            "python3 - <<EOF\nprint('X')\nEOF",
            "python3 <<< 'print(X)'",
            "tclsh <<EOF\nputs X\nEOF",
            "redis-cli <<EOF\nGET X\nEOF",
            "awk -f - f <<EOF\n{print X}\nEOF",
            "mysql db <<EOF\nselect X\nEOF",
            // SQL from `-f -`; editor commands (ed's `!` runs a shell), sed's script.
            "psql -f - <<SQL\nselect 'X';\nSQL",
            "psql --file=/dev/stdin db <<SQL\nselect 'X';\nSQL",
            "ed -s f <<EOF\na\nX\n.\nw\nq\nEOF",
            "ex f <<EOF\n%s/a/X/\nwq\nEOF",
            "vim -es f <<EOF\n%s/a/X/\nwq\nEOF",
            "sed -f - f <<EOF\ns/a/X/\nEOF",
        ] {
            assert!(plan_x(script).unwrap().foreign.is_some(), "{script}");
        }
        for script in [
            "sed -e 's/a/b/' X",
            "perl -ne 'print' X",
            "sed -f prog.sed X",
            "psql -f q.sql <<EOF\nX\nEOF",
            "vim --not-a-tty f <<EOF\nX\nEOF",
            "sed -f prog.sed f <<EOF\nX\nEOF",
            "python3 tool.py <<EOF\nX\nEOF",
            "awk '{print}' <<EOF\nX\nEOF",
        ] {
            assert_eq!(plan_x(script).unwrap().foreign, None, "{script}");
        }
        // A makefile on standard input: make expands the recipes, a shell runs them.
        for script in [
            "make -f - <<EOF\nall:\n\techo X\nEOF",
            "gmake --file=- all <<'EOF'\nall:\n\techo X\nEOF",
            "make -f /dev/stdin <<< 'all: ; echo X'",
        ] {
            let refused = plan_x(script).expect_err(script);
            assert!(refused.why.contains("makefile"), "{script}: {refused:?}");
        }
        // autossh takes ssh's options and `-M PORT`.
        assert_eq!(constructs("autossh -M 0 -f h \"echo X\""), ["ssh HOST"]);
        // What a command substitution prints is split into a command's words.
        for script in [
            "$(printf %s \"X\") --now",
            "`printf %s \"X\"`",
            "ssh $(echo \"X\") uptime",
            "sudo $(printf %s \"X\")",
        ] {
            assert_eq!(
                plan_x(script).unwrap().slot,
                Slot::PlainWord(Quoting::Double),
                "{script}"
            );
        }
        for script in ["echo $(printf %s \"X\")", "\"$(printf %s \"X\")\" --now"] {
            assert_eq!(
                plan_x(script).unwrap().slot,
                Slot::Quoted(Quoting::Double),
                "{script}"
            );
        }
        for script in [
            // The inner script runs its positional parameter as a command, or copies it
            // with `printf -v` into a string it runs again.
            "sh -c '$1' _ \"X\"",
            "bash -c 'ssh $1 uptime' _ \"X\"",
            "f(){ printf -v c '%s' \"$1\"; eval \"$c\"; }; f \"X\"",
            // The key of an associative array where bash expands it again.
            "declare -A seen; [[ -v seen[\"X\"] ]]",
            "declare -A seen; test -v \"seen[X]\"",
            "typeset -A seen; read -r \"seen[X]\" <<< 1",
            "f() { local -gA seen; }; f; read -r \"seen[X]\" <<< 1",
            "f() {\n  local -A seen\n  read -r \"seen[X]\" <<< 1\n}",
        ] {
            assert_eq!(
                plan_x(script).unwrap().slot,
                Slot::PlainWord(Quoting::Double),
                "{script}"
            );
        }
        // Code of another language that runs a shell with what it reads: its input, or the
        // environment a value was given in.
        let awk_system = "'BEGIN { system(\"systemctl is-active \" ENVIRON[\"SVC\"]) }'";
        assert!(matches!(
            plan_x(&format!("SVC=\"X\" awk {awk_system}")).map(|p| p.slot),
            Ok(Slot::PlainWord(_))
        ));
        assert!(matches!(
            plan_x(&format!("export SVC=\"X\"\nawk {awk_system}")).map(|p| p.slot),
            Ok(Slot::PlainWord(_))
        ));
        for script in [
            "printf '%s\\n' \"X\" | awk '{ system(\"echo checking \" $0) }'",
            "awk '{ system(\"echo \" $0) }' <<< \"X\"",
            "echo \"X\" | python3 -c 'import subprocess,sys; subprocess.run(sys.stdin.read(), shell=True)'",
        ] {
            assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
        }
        // An argument of a command that may be a function of a sourced file.
        let sourced = ". /opt/ops/lib.sh\non_host web-1 systemctl status \"X\"";
        assert!(matches!(
            plan_x(sourced).map(|p| p.slot),
            Ok(Slot::PlainWord(_))
        ));
        for script in [
            ". /opt/ops/lib.sh\nsystemctl status \"X\"",
            "on_host() { ssh \"$1\" uptime; }\n. ./lib.sh\necho \"X\"",
            "on_host web-1 systemctl status \"X\"",
        ] {
            assert!(
                !matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
                "{script}"
            );
        }
        // Ansible renders module arguments and extra variables as Jinja templates.
        for script in [
            "ansible web -m shell -a \"systemctl restart X\"",
            "ansible-playbook site.yml -e \"version=X\"",
            "ansible-playbook site.yml --extra-vars \"X\"",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // A line given to `crontab -` is run by cron with `sh`.
        for script in [
            "(crontab -l 2>/dev/null; echo \"0 3 * * * /usr/local/bin/backup --db X\") | crontab -",
            "crontab - <<EOF\n0 3 * * * backup X\nEOF",
        ] {
            assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
        }
        assert!(plan_x("crontab -l | grep X").is_ok());
        // expect's `send` types into the program it spawned, a shell.
        assert!(matches!(
            plan_x("SVC=\"X\" expect -c 'spawn ssh h; send \"systemctl status $env(SVC)\\r\"'")
                .map(|p| p.slot),
            Ok(Slot::PlainWord(_))
        ));
        // Where the code runs no shell, the value is data (awk's ENVIRON is no bash array).
        assert_eq!(
            plan_x("SVC=\"X\" awk 'BEGIN { print ENVIRON[\"SVC\"] }'").map(|p| p.slot),
            Ok(Slot::Quoted(Quoting::Double))
        );
        assert!(plan_x("printf '%s\\n' \"X\" | awk '{ print $1 }'").is_ok());
        // Copies into an array's element (`printf -v 'a[k]'`, `read 'a[0]'`) and into an
        // array read from a process substitution reach what the array reaches.
        for script in [
            "declare -A svc\nprintf -v 'svc[name]' '%s' \"X\"\nssh host \"echo '${svc[name]}'\"",
            "read -r 'hosts[0]' <<< \"X\"\neval \"echo checking '${hosts[0]}'\"",
            // Ninth audit: copies through the variables bash fills by itself.
            "read -r <<< \"X\"; ssh h \"systemctl status $REPLY\"",
            "read <<< \"X\"; sh -c \"echo $REPLY\"",
            "mapfile <<< \"X\"; sh -c \"echo ${MAPFILE[0]}\"",
            "readarray -t <<< \"X\"; ssh h \"echo ${MAPFILE[*]}\"",
            "[[ \"X\" =~ (.*) ]] && sh -c \"echo ${BASH_REMATCH[1]}\"",
            "echo \"X\" > /dev/null; sh -c \"echo $_\"",
            "cd \"/srv/X\"; ssh h \"ls $PWD\"",
        ] {
            assert!(
                plain_word_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // (Lines without their new line, each plain words.)
        for script in [
            "mapfile -t svcs < <(printf '%s\\n' \"X\")\nfor s in \"${svcs[@]}\"; do ssh host \"echo '$s'\"; done",
            "while read -r s; do eval \"echo $s\"; done < <(echo \"X\")",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // A value copied into a variable that is then given to a function of the script
        // which parses its parameters again, or puts them where options are read (tenth
        // audit: `svc="{{ v }}"; restart "$svc"` with `restart() { ssh h "… $1"; }`).
        for script in [
            "restart() { ssh web-1 \"sudo systemctl restart $1\"; }\nsvc=\"X\"\nrestart \"$svc\"",
            "ev() { eval \"echo $1\"; }\nv=\"X\"\nev \"$v\"",
            "remote() { ssh web-1 \"$@\"; }\nc=\"X\"\nremote \"$c\"",
            "kx() { kubectl exec p -- sh -c \"$2\"; }\nc=\"X\"\nkx p \"$c\"",
            "inc() { echo $(( $1 + 1 )); }\nn=\"X\"\ninc \"$n\"",
            "remote() {\n  local host=$1\n  shift\n  ssh \"$host\" \"sudo systemctl restart $1\"\n}\nsvc=\"X\"\nremote web-1 \"$svc\"",
        ] {
            assert!(
                matches!(
                    plan_x(script).map(|p| p.slot),
                    Ok(Slot::PlainWord(_)) | Ok(Slot::NoSubscript(_)) | Err(_)
                ),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(
            !matches!(
                plan_x("on_host() { ssh \"$1\" uptime; }\nh=\"X\"\non_host \"$h\"").map(|p| p.slot),
                Ok(Slot::Quoted(_))
            ),
            "{:?}",
            plan_x("on_host() { ssh \"$1\" uptime; }\nh=\"X\"\non_host \"$h\"")
        );
        assert!(matches!(
            plan_x("mapfile -t hs < <(printf \"%s\\n\" \"X\"); for h in \"${hs[@]}\"; do ssh -n \"$h\" uptime; done")
                .map(|p| p.slot),
            Ok(Slot::PlainWords(_))
        ));
        // Read line by line into a variable where options are read: plain words; a loop
        // whose `ssh -n` reads no input gives the here-string to `read` alone.
        for script in [
            "echo \"X\" | while read -r h; do ssh -n \"$h\" uptime; done",
            "printf '%s\\n' \"X\" | tr , '\\n' | while read -r h; do ssh -n \"$h\" uptime; done",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(matches!(
            plan_x("while read -r h; do ssh -n \"$h\" uptime; done <<< \"X\"")
                .map(|p| p.layers.len()),
            Ok(0)
        ));
        // ssh with a command gives its input to that command (data); with none, to the
        // remote shell (code).
        assert!(matches!(
            plan_x("while read -r h; do ssh \"$h\" uptime; done <<< \"X\"").map(|p| p.layers.len()),
            Ok(0)
        ));
        assert!(matches!(
            plan_x("while read -r h; do ssh \"$h\"; done <<< \"X\"").map(|p| p.layers.len()),
            Ok(1) | Err(_)
        ));
        assert!(matches!(
            plan_x("f() { local s=$(cat); ssh web-1 \"logger \\\"$s\\\"\"; }\nf <<< \"X\"")
                .map(|p| p.layers.len()),
            Ok(0)
        ));
        // A function that only prints its parameters takes any value.
        assert_eq!(
            plan_x("log() { echo \"$(date) $*\" >&2; }\nm=\"X\"\nlog \"$m\"").map(|p| p.slot),
            Ok(Slot::Quoted(Quoting::Double))
        );
        // A value that comes through the environment reaches `BASH_REMATCH` too, in a script
        // with no loop, `read` or option (the implicit variables are always looked for).
        for script in [
            "[[ $V =~ (.*) ]] && ssh h \"echo ${BASH_REMATCH[1]}\"",
            "[[ \"$V\" =~ ^([a-z]+)$ ]]\neval \"echo ${BASH_REMATCH[0]}\"",
        ] {
            assert!(reparsed_refs(script).contains("V"), "{script}");
        }
        // An array declared associative only in a function's scope, or after the use, is
        // an indexed array there: its subscript is arithmetic.
        for script in [
            "reset() { local -A seen=(); }\nseen[\"X\"]=1",
            "f() { declare -A seen; }\nseen[\"X\"]=1",
            "seen[\"X\"]=1; declare -A seen",
            "local -A seen; read -r \"seen[X]\" <<< 1",
        ] {
            assert!(
                matches!(
                    plan_x(script).map(|p| p.slot),
                    Ok(Slot::Quoted(Quoting::Arithmetic)) | Ok(Slot::NoSubscript(_)) | Err(_)
                ),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // `${x@Q}` and `printf %q` write a control character as `$'…'`, which only bash,
        // zsh and ksh read: for `sh -c`, `ssh` and the like the value must have none.
        for (script, control_free) in [
            ("x=\"X\"; sh -c \"printf %s ${x@Q}\"", true),
            ("x=\"X\"; dash -c \"printf %s ${x@Q}\"", true),
            ("x=\"X\"; ssh h \"echo ${x@Q}\"", true),
            ("x=\"X\"; y=$x; ssh h \"echo ${y@Q}\"", true),
            ("sh -c \"printf %s $(printf %q \"X\")\"", true),
            ("ssh h \"echo $(printf %q \"X\")\"", true),
            ("x=\"X\"; bash -c \"printf %s ${x@Q}\"", false),
            ("x=\"X\"; eval \"printf %s ${x@Q}\"", false),
            ("bash -c \"printf %s $(printf %q \"X\")\"", false),
            ("x=\"X\"; echo \"${x@Q}\"", false),
        ] {
            assert_eq!(
                plan_x(script).unwrap().control_free,
                control_free,
                "{script}"
            );
        }
        // `${x@Q}` quotes for the next shell only where it stands bare there.
        for script in [
            "x=\"X\"; sh -c \"printf %s \\\"${x@Q}\\\" > out\"",
            "x=\"X\"; eval \"printf %s '${x@Q}' > out\"",
            "x=\"X\"; bash -c \"sh -c 'printf %s ${x@Q}'\"",
        ] {
            assert_eq!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::PlainWord(Quoting::Double)),
                "{script}"
            );
        }
        assert_eq!(
            plan_x("x=\"X\"; sh -c \"printf %s ${x@Q}\"").map(|p| p.slot),
            Ok(Slot::Quoted(Quoting::Double))
        );
        assert!(plan_x("shopt -s expand_aliases; alias ev=eval; ev \"echo X\"").is_err());
        // Code that hands its arguments to a shell.
        for script in [
            "python3 -c 'import subprocess,sys; subprocess.run(sys.argv[1], shell=True)' \"X\"",
            "perl -e 'system($ARGV[0])' \"X\"",
            "awk -v x=\"X\" 'BEGIN{system(\"echo \" x)}'",
        ] {
            assert_eq!(
                plan_x(script).unwrap().foreign.map(|f| f.language),
                Some(SHELLED.language),
                "{script}"
            );
        }
        for script in [
            "python3 -c 'import sys; print(sys.argv[1])' \"X\"",
            "awk -v x=\"X\" 'BEGIN{print x}'",
        ] {
            assert_eq!(plan_x(script).unwrap().foreign, None, "{script}");
        }
        // A function that runs its arguments, given a program that starts a shell; a pipe
        // into a program runbook does not know that names a shell.
        for script in [
            "runit() { \"$@\"; }\nrunit chroot /srv/root <<EOF\nsystemctl restart X\nEOF",
            "in_root() { chroot / \"$@\"; }\nin_root <<EOF\nsystemctl restart X\nEOF",
            "printf '%s\\n' \"systemctl restart X\" | unbuffer -p sh",
        ] {
            assert!(
                read_again_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(plan_x("printf '%s\\n' \"X\" | grep -c sh").is_ok());
        // A here-document copied to a file that the script then runs; a shell reading a
        // descriptor opened on a file the value was written to.
        for script in [
            "install -m 755 /dev/stdin job.sh <<EOF\nsystemctl restart X\nEOF\n./job.sh",
            "cp /dev/stdin job.sh <<EOF\nsystemctl restart X\nEOF\nbash job.sh",
            "dd of=job.sh <<EOF\nsystemctl restart X\nEOF\nsh job.sh",
        ] {
            assert!(
                read_again_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(plain_word_or_refused(
            "echo \"X\" > job.sh\nexec 4< job.sh\nsh <&4"
        ));
        // (A descriptor that is standard input already, and a file only read, stay data.)
        assert!(plan_x("install -m 644 /dev/stdin motd <<EOF\nX\nEOF\ncat motd").is_ok());
        // There, and spliced into such code, the value may reach the shell: one plain word
        // (a warning alone would let `$(reboot)` run).
        for script in [
            "python3 -c 'import subprocess,sys; subprocess.run(sys.argv[1], shell=True)' \"X\"",
            "perl -e 'system($ARGV[0])' \"X\"",
            "awk -v x=\"X\" 'BEGIN{system(\"echo \" x)}'",
            "awk 'BEGIN { system(\"systemctl status X\") }'",
            "python3 -c 'import os; os.system(\"systemctl status X\")'",
            "perl -e 'system(\"systemctl status X\")'",
            "awk 'BEGIN { print \"systemctl status X\" | \"sh\" }'",
            "perl -e 'open(F, \"systemctl status X |\"); print <F>'",
            "expect <<EOF\nspawn sh\nsend \"systemctl status X\\r\"\nexpect eof\nEOF",
            "tclsh <<EOF\nputs [exec systemctl status X]\nEOF",
            // Through the environment, into code that pipes to a shell or spawns one.
            "SVC=\"X\" awk 'BEGIN { print \"systemctl status \" ENVIRON[\"SVC\"] | \"sh\" }'",
            "SVC=\"X\" perl -e 'open(F, \"systemctl status $ENV{SVC} |\"); print <F>'",
            "SVC=\"X\" expect -c 'spawn sh -c \"systemctl status $env(SVC)\"; expect eof'",
            "SVC=\"X\" expect <<'EOF'\nspawn sh -c \"systemctl status $env(SVC)\"\nexpect eof\nEOF",
        ] {
            assert!(
                plain_word_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // Through a copy or the environment into the arguments of such code (tenth audit).
        for script in [
            "svc=\"X\"\npython3 -c 'import os, sys; os.system(\"echo restarting \" + sys.argv[1])' \"$svc\"",
            "svc=\"X\"\nawk -v s=\"$svc\" 'BEGIN{system(\"echo \" s)}'",
            "svc=\"X\"\nperl -e 'system \"echo @ARGV\"' \"$svc\"",
            "python3 -c 'import sys; eval(sys.argv[1])' \"X\"",
        ] {
            assert!(
                plain_word_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(
            reparsed_refs(
                "python3 -c 'import os,sys; os.system(\"echo \" + sys.argv[1])' \"$SVC\""
            )
            .contains("SVC")
        );
        // A list of arguments runs no shell; awk printing to a fixed command neither.
        for script in [
            "python3 -c 'import subprocess,sys; subprocess.run([\"echo\",\"restart\",sys.argv[1]])' \"X\"",
            "perl -e 'system(\"echo\",\"restart\",$ARGV[0])' \"X\"",
            "echo \"X\" | awk '{ print $1 | \"sort\" }'",
            "echo \"X\" | awk '{ print \"file system \" $1 }'",
        ] {
            assert!(
                matches!(
                    plan_x(script).map(|p| p.slot),
                    Ok(Slot::Quoted(_) | Slot::NoOption(_))
                ),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // Code that runs no shell keeps the value as that language's data (RB032 warns).
        for script in [
            "awk 'BEGIN { print \"X\" }'",
            "python3 -c 'print(\"X\")'",
            "psql -c \"SELECT 'X'\"",
            "perl -pi -e 's/old/X/' f",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // A suffix removed is still the start of the value that was checked.
        assert!(plan_x("u=\"X\"; curl -fsS \"${u%/}/healthz\"").is_ok());
        // A list split by a `for` loop, each word in a re-parsed string: plain words (an
        // audit found `nginx php-fpm` refused); used whole there too: one plain word.
        assert!(matches!(
            plan_x("S=\"X\"; for svc in $S; do ssh web-1 \"restart $svc\"; done").map(|p| p.slot),
            Ok(Slot::PlainWords(_))
        ));
        assert!(matches!(
            plan_x("S=\"X\"; ssh h \"echo $S\"; for s in $S; do ssh h \"x $s\"; done")
                .map(|p| p.slot),
            Ok(Slot::PlainWord(_))
        ));
        // A list split into the arguments of a program a wrapper runs, which runs nothing:
        // plain words, not one (an audit found `nginx php-fpm` refused).
        assert!(matches!(
            plan_x("S=\"X\"\nsudo systemctl restart $S").map(|p| p.slot),
            Ok(Slot::Quoted(_) | Slot::PlainWords(_) | Slot::NoOption(_))
        ));
        assert!(plain_word_or_refused("S=\"X\"\nsudo $S restart nginx"));
        assert!(plain_word_or_refused(
            "S=\"X\"\nsudo -i systemctl restart $S"
        ));
        assert!(
            plain_word_or_refused("S=\"X\"\nsudo ssh $S uptime")
                || matches!(
                    plan_x("S=\"X\"\nsudo ssh $S uptime").map(|p| p.slot),
                    Ok(Slot::PlainWords(_))
                )
        );
        // A line read into a variable a re-parsed string expands: plain words, a line each
        // (an audit found it an RB031 error for every value, then a list on several lines
        // refused); read whole (`-d ''`), with its new lines, one plain word.
        for script in [
            "echo \"X\" | while read -r p; do ssh -n web-1 \"kill $p\"; done",
            "while read -r p; do ssh -n web-1 \"kill $p\"; done <<< \"X\"",
            "while IFS= read -r p; do ssh -n web-1 \"kill $p\"; done <<EOT\nX\nEOT",
            "pids=\"X\"; for p in $pids; do ssh web-1 \"kill $p\"; done",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        for script in [
            "echo \"X\" | while read -r -d '' p; do ssh -n web-1 \"kill $p\"; done",
            "while read -r -N 9 p; do ssh -n web-1 \"kill $p\"; done <<< \"X\"",
            "p=\"X\"; ssh -n web-1 \"kill $p\"",
            "mapfile p <<< \"X\"; ssh -n web-1 \"kill ${p[*]}\"",
        ] {
            assert!(
                plain_word_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // So is a prefix (an audit found `${x:0:40}` an RB031 error); another cut is not.
        assert!(plan_x("svc=\"X\"; ssh web-1 \"echo ${svc:0:40}\"").is_ok());
        assert!(plan_x("svc=\"X\"; ssh web-1 \"echo ${svc::40}\"").is_ok());
        assert!(plan_x("svc=\"X\"; ssh web-1 \"echo ${svc:3:40}\"").is_err());
        for script in [
            "expect -c 'send \"X\"'",
            "mongosh --eval 'db.x.find({a: \"X\"})'",
            "pwsh -Command 'Write-Output X'",
            "Rscript -e 'print(X)'",
            "clickhouse-client --query 'select X'",
        ] {
            assert!(plan_x(script).unwrap().foreign.is_some(), "{script}");
        }
        // `$'…'` only where the shell reading it has it.
        let dollar =
            |script: &str, outer: bool| check_dollar_single(&plan_x(script).unwrap(), outer);
        assert!(dollar("echo $'X'", true).is_ok());
        assert!(dollar("echo $'X'", false).is_err());
        assert!(dollar("bash -c \"echo $'X'\"", false).is_ok());
        assert!(dollar("sh -c \"echo $'X'\"", true).is_err());
        assert!(dollar("ssh h \"echo $'X'\"", true).is_err());
        assert!(dollar("eval \"echo $'X'\"", true).is_ok());
        assert!(dollar("sh -c \"eval \\\"echo \\$'X'\\\"\"", true).is_err());
        assert!(dollar("echo 'X'", false).is_ok());
        // Programs that parse again, behind a function or program runbook does not know.
        assert_eq!(constructs("retry ssh h \"echo X\""), ["ssh HOST"]);
        assert_eq!(constructs("strace -o /dev/null eval \"echo X\""), ["eval"]);
        assert_eq!(
            constructs("tmux new-session -d -s s \"echo X\""),
            ["tmux new-session"]
        );
        assert!(constructs("echo ssh h \"X\"").is_empty());
        assert!(plan_x("tmux send-keys -t s \"X\" Enter").is_err());
        assert!(plan_x("tmux set-hook -g after-new-window \"run-shell 'echo X'\"").is_err());
        assert!(plan_x("tmux bind-key r \"run-shell 'systemctl restart X'\"").is_err());
        // `xargs -I{} ssh {} uptime`: the lines are hosts (plain words), not code; the
        // replacement in ssh's command is code.
        assert!(matches!(
            plan_x("echo \"X\" | tr ' ' '\\n' | xargs -I{} ssh {} uptime").map(|p| p.slot),
            Ok(Slot::PlainWords(_))
        ));
        assert!(plan_x("echo \"X\" | xargs -I{} ssh h \"systemctl status {}\"").is_err());
        assert!(plan_x("tmux if-shell true \"run-shell 'echo X'\"").is_err());
        assert!(plan_x("tmux if-shell -F 1 \"run-shell 'echo X'\"").is_err());
        assert!(read_again_or_refused(
            "tmux if-shell \"test -e X\" \"display ok\""
        ));
        // (The value is the last `X`: `-X` is screen's option.)
        let last_x = |script: &str| {
            let at = script.rfind('X').unwrap_or(0);
            plan(script, at..at + 1)
        };
        assert!(last_x("screen -S s -X stuff \"echo X\\n\"").is_err());
        assert!(last_x("screen -S s -p 0 -X exec sh -c \"X\"").is_err());
        assert!(last_x("screen -dmS s sh -c 'top'; echo X").is_ok());
        assert!(matches!(
            plan_x("x=\"X\"; tmux send-keys -t s \"echo $x\" Enter").map(|p| p.slot),
            Ok(Slot::PlainWord(_)) | Err(_)
        ));
        assert!(matches!(
            plan_x("x=\"X\"; screen -S s -X stuff \"echo $x\"").map(|p| p.slot),
            Ok(Slot::PlainWord(_)) | Err(_)
        ));
        assert!(plan_x("PS4='X'; set -x").is_err());
        assert!(plan_x("mapfile -C \"X\" -c 1 a").is_err());
        assert_eq!(plan_x("[[ -v X ]]").unwrap().slot, Slot::Name);
        assert_eq!(plan_x("wait -n -p X").unwrap().slot, Slot::Name);
        assert_eq!(
            plan_x("$E \"echo X\"").unwrap().slot,
            Slot::PlainWord(Quoting::Double)
        );
        assert_eq!(
            plan_x("env X true").unwrap().slot,
            Slot::NoOption(Quoting::Bare)
        );
        assert_eq!(
            plan_x("sh -c 'eval \"$1\"' sh \"echo X\"").unwrap().slot,
            Slot::PlainWord(Quoting::Double)
        );
        assert_eq!(
            plan_x("echo X | while read -r n; do echo $(( n + 1 )); done")
                .unwrap()
                .slot,
            Slot::Quoted(Quoting::Arithmetic)
        );
        assert!(plan_x("printf X | xargs -I{} sh -c \"echo '{}'\"").is_err());
        assert!(plan_x("echo X | xargs -I{} ssh h \"echo {}\"").is_err());
        // grep's pattern never reaches its output (an audit found these RB031 errors); what
        // grep is given to read, or prints as a file's name, does.
        for script in [
            "kubectl get pods --no-headers | grep \"X\" | awk '{print $1}' | xargs -r kubectl delete pod",
            "ls /tmp | grep \"X\" | xargs -r docker rm -f",
            "kubectl get pods -o name | grep -- \"X\" | while read -r p; do ssh -n web-1 \"echo $p\"; done",
            "kubectl get pods -o name | grep -i -e \"X\" | xargs -I{} sh -c 'kubectl delete {}'",
        ] {
            let planned = plan_x(script);
            assert!(
                matches!(
                    planned.as_ref().map(|p| &p.slot),
                    Ok(Slot::Quoted(_) | Slot::NoOption(_))
                ),
                "{script}: {planned:?}"
            );
        }
        for script in [
            "echo \"X\" | grep web | xargs -I{} sh -c 'echo {}'",
            "grep -H web \"X\" | xargs -I{} sh -c 'echo {}'",
            "grep -f \"X\" f | xargs -I{} sh -c 'echo {}'",
        ] {
            let planned = plan_x(script);
            let kept = matches!(&planned, Ok(p) if matches!(p.slot, Slot::Quoted(_)));
            assert!(!kept, "{script}: {planned:?}");
        }
        assert_eq!(constructs("sudo -iu app bash -c \"echo X\""), ["bash -c"]);
        assert_eq!(constructs("oc rsh pod sh -c \"echo X\""), ["sh -c"]);
        assert_eq!(
            constructs("ansible web -m shell -a \"echo X\""),
            ["ansible -a"]
        );
        assert_eq!(constructs("su - postgres <<EOF\necho X\nEOF"), ["su"]);
        // The safe idioms stay plain data.
        for script in [
            "read -r n < <(echo X); echo \"$n\"",
            "x=X; ssh h \"echo ${x@Q}\"",
            "x=X; ssh h \"echo $(printf %q \"$x\")\"",
        ] {
            assert!(
                matches!(plan_x(script).unwrap().slot, Slot::Quoted(_)),
                "{script}"
            );
        }
        // Copies, prompts, names in variables, wrappers before `sh -c 'eval "$1"'`.
        for script in [
            "x=X; y=$x; eval \"echo $y\"",
            "x=X; PS4=$x; set -x",
            "timeout 5 sh -c 'eval \"$1\"' sh \"echo X\"",
            "x=X sh -c 'eval \"echo $x\"'",
        ] {
            assert!(
                matches!(plan_x(script).unwrap().slot, Slot::PlainWord(_)),
                "{script}"
            );
        }
        assert_eq!(
            plan_x("n=X; printf -v \"$n\" %s 1").unwrap().slot,
            Slot::Name
        );
        assert!(plan_x("echo X > >(bash)").is_err());
        // Copies that reach an option, split into a command's words, through names held
        // in variables, or down a pipe of filters into a loop that parses again.
        for (script, slot) in [
            ("h=X; ssh \"$h\" uptime", "option"),
            ("r=X; git clone \"$r\" d", "option"),
            ("r=X; c=\"$r\"; find \"$c\" -name a", "option"),
            ("h=X; ssh $h uptime", "word"),
            ("u=X; sudo -u $u id", "word"),
            ("u=X; timeout 5 $u", "word"),
            ("v=X; n=v; eval \"${!n}\"", "word"),
            ("declare -n r=v; v=X; eval \"$r\"", "word"),
            ("v=X; local -n r=v; ssh h \"$r\"", "word"),
            (
                "v=X; echo \"$v\" | tr a b | while read -r l; do eval \"$l\"; done",
                "word",
            ),
            ("h=X; echo $h; ssh h uptime", "data"),
            ("h=X; ssh h \"ls\" \"$h\"", "word"),
            ("h=X; ssh h uptime; rm -- \"$h\"", "data"),
            ("hs=X; for h in $hs; do ssh $h uptime; done", "words"),
            ("hs=X; for h in $hs; do ssh \"$h\" uptime; done", "words"),
            ("hs=X; for h in \"$hs\"; do ssh $h uptime; done", "word"),
            ("hs=X; for h in $hs; do echo $h; done", "data"),
        ] {
            let got = plan_x(script).unwrap().slot;
            let ok = match slot {
                "option" => matches!(got, Slot::NoOption(_)),
                "word" => matches!(got, Slot::PlainWord(_)),
                "words" => matches!(got, Slot::PlainWords(_)),
                _ => matches!(got, Slot::Quoted(_)),
            };
            assert!(ok, "{script}: {got:?}");
        }
        assert_eq!(
            constructs("docker run --rm --entrypoint sh img -c \"echo X\""),
            ["sh -c"]
        );
        // Fourth audit: documents read by a shell a command starts, options after ssh's host,
        // strings run by ssh's relatives, changes on the way, IFS, loops over parameters.
        for script in [
            "chroot / bash <<EOF\necho =X=\nEOF",
            "unshare -r bash <<EOF\necho X\nEOF",
            "sshpass -p pw ssh db1 <<EOF\necho X\nEOF",
            "lxc exec c1 -- sh <<EOF\necho X\nEOF",
            "docker run -i --rm --pid host busybox sh <<EOF\necho X\nEOF",
            "{ bash; } <<EOF\necho X\nEOF",
            "remote() { ssh \"$1\" bash -s; }\nremote db1 <<EOF\necho X\nEOF",
            "ssh db1 \"cd /tmp && bash -s\" <<EOF\necho X\nEOF",
            "sudo sh -c \"cd /tmp && sh\" <<EOF\necho X\nEOF",
            "ssh root@db1 -p 2222 <<EOF\necho X\nEOF",
            "bash /dev/fd/3 3<<EOF\necho X\nEOF",
            // Ninth audit: programs that start a shell when given no command.
            "chroot /host <<EOF\necho X\nEOF",
            "sudo chroot --userspec app:app /srv/root <<EOF\necho X\nEOF",
            "nsenter -t 1 -m -u -n <<EOF\necho X\nEOF",
            "unshare -r --wd /tmp <<EOF\necho X\nEOF",
            "newgrp docker <<EOF\necho X\nEOF",
            "script -q /dev/null <<EOF\necho X\nEOF",
            "chroot / <<< \"echo X\"",
            "echo \"echo X\" | chroot /",
        ] {
            assert!(!constructs(script).is_empty(), "{script}: read as data");
        }
        assert!(plan_x("printf 'echo %s\\n' \"X\" | nsenter -t 1 -m").is_err());
        // GNU parallel with no command, `xargs sh -c` whose script is the input.
        for script in [
            "xargs -a <(printf '%s\\n' \"X\") -I{} sh -c 'echo {}'",
            "parallel ::: \"X\"",
            "parallel -j 4 ::: \"X\" \"echo b\"",
            "echo \"X\" | parallel",
            "echo \"X\" | xargs -0 sh -c",
            "echo \"X\" | xargs sh -c",
        ] {
            assert!(
                read_again_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        for script in ["parallel echo ::: \"X\"", "parallel -j 4 echo {} ::: \"X\""] {
            assert_eq!(plan_x(script).map(|p| p.layers.len()), Ok(0), "{script}");
        }
        // Interpreters' options and code paths by environment; bash's imported functions.
        for script in [
            "PERL5OPT=\"X\" perl -e 1",
            "export NODE_OPTIONS=\"X\"; node app.js",
            "env JAVA_TOOL_OPTIONS=\"X\" java -jar a.jar",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(plan_x("env \"BASH_FUNC_f%%=() { echo X; }\" bash -c f").is_err());
        // Ninth audit: more programs that give a string to a shell.
        for (script, construct) in [
            ("rsh web1 \"echo X\"", "ssh HOST"),
            ("dbclient web1 \"echo X\"", "ssh HOST"),
            ("fab -H web1 -- \"echo X\"", "fab --"),
            ("devbox run \"echo X\"", "devbox run"),
        ] {
            assert_eq!(constructs(script), [construct], "{script}");
        }
        assert!(plan_x("socat - \"SYSTEM:echo X\"").is_err());
        // Written into a configuration whose entries run commands.
        for script in [
            "printf 'Host h\\n  ProxyCommand %s\\n' \"X\" > /tmp/sshcfg; ssh -F /tmp/sshcfg h true",
            "printf '[alias]\\n\\tx = !echo %s\\n' \"X\" >> .git/config",
            "echo \"* * * * * root X\" > /etc/cron.d/job",
            "cat > /etc/systemd/system/x.service <<EOF\nExecStart=/bin/echo X\nEOF",
        ] {
            assert!(
                plain_word_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        assert!(matches!(
            plan_x("echo \"X\" > /var/log/app/last").map(|p| p.slot),
            Ok(Slot::Quoted(_))
        ));
        // A remote path that the other side's shell parses (legacy scp, older rsync).
        for script in [
            "scp -O web1:/var/log/X /tmp/",
            "scp /tmp/f \"deploy@web1:/srv/X\"",
            "rsync -a web1:/var/log/X /tmp/",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        for script in ["scp /tmp/X web1:/tmp/", "rsync -a /srv/a:X web1::module/"] {
            assert!(
                !matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
                "{script}"
            );
        }
        // The script's own output or input given to a shell by `exec`.
        for script in [
            "exec > >(sh)\necho \"echo X\"",
            "exec 1> >(ssh h sh)\necho \"echo X\"",
            "exec 0< <(echo \"echo X\")\nsh",
        ] {
            assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
        }
        assert!(plan_x("exec 2> >(logger -t x)\necho \"X\"").is_ok());
        // A container given no command runs its image's own, often a shell.
        for script in [
            "docker run -i --rm alpine <<EOF\necho X\nEOF",
            "podman run -i --rm alpine <<< \"echo X\"",
            "kubectl run -i --rm t --image=alpine --restart=Never <<EOF\necho X\nEOF",
            "kubectl debug -i node/n1 --image=alpine <<EOF\necho X\nEOF",
            "oc rsh mypod <<EOF\necho X\nEOF",
        ] {
            assert!(!constructs(script).is_empty(), "{script}: read as data");
        }
        for script in [
            "docker run --rm alpine <<EOF\nX\nEOF",
            "docker run -i --rm alpine cat <<EOF\nX\nEOF",
            "kubectl run -i --rm t --image=alpine -- cat <<EOF\nX\nEOF",
        ] {
            assert!(
                constructs(script).is_empty(),
                "{script}: {:?}",
                constructs(script)
            );
        }
        // A pipe into a function or a group that starts a shell.
        for script in [
            "runit() { sh; }\necho \"echo X\" | runit",
            "on_host() { ssh \"$1\" bash; }\necho \"systemctl restart X\" | on_host web1",
            "echo \"echo X\" | (cd /tmp && sh)",
            "echo \"echo X\" | { cd /tmp; bash; }",
        ] {
            assert!(
                read_again_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        for script in [
            "count() { wc -l; }\necho \"X\" | count",
            "echo \"X\" | grep -c ssh",
            "echo \"X\" | (cd /tmp && cat)",
        ] {
            assert_eq!(plan_x(script).map(|p| p.layers.len()), Ok(0), "{script}");
        }
        // With a command, the command reads the input (data for `cat`).
        for script in [
            "chroot /host cat <<EOF\nX\nEOF",
            "nsenter -t 1 -m -- tee /tmp/f <<EOF\nX\nEOF",
            "script -q -c 'cat' /dev/null <<EOF\nX\nEOF",
        ] {
            assert!(
                constructs(script).is_empty(),
                "{script}: {:?}",
                constructs(script)
            );
        }
        // Ninth audit: strings that npm, entr and nix-shell run with a shell.
        for (script, construct) in [
            ("echo f | entr -nzs \"echo X\"", "entr -s"),
            ("nix-shell -p hello --run \"echo X\"", "nix-shell --run"),
        ] {
            assert_eq!(constructs(script), [construct], "{script}");
        }
        assert!(constructs("echo f | entr -n echo X").is_empty());
        assert!(plan_x("npx -c \"echo X\"").is_err());
        assert!(plan_x("npm exec --call \"echo X\"").is_err());
        for script in [
            "ssh db1 'bash -s' < <(printf 'echo =%s=\\n' \"X\")",
            "xargs -I{} sh -c 'echo ={}=' <<EOF\nX\nEOF",
            "exec 3<<< \"echo X\"; bash <&3",
            "scp -o \"ProxyCommand=ssh -W %h:%p X\" f h:/tmp/x",
            "sftp -o \"ProxyCommand=nc X 22\" h",
            "env GIT_SSH_COMMAND=\"ssh -i X\" git ls-remote ssh://h/x",
            "u=\"X\"; sudo -u ${u//,/ } id",
            "h=$(echo \"X\" | tr , \" \"); ssh $h uptime",
        ] {
            let planned = plan_x(script);
            let guarded = match &planned {
                Err(_) => true,
                Ok(p) => !p.layers.is_empty() || !matches!(p.slot, Slot::Quoted(_)),
            };
            assert!(guarded, "{script}: {planned:?}");
        }
        assert_eq!(
            constructs("retry() { \"$@\"; }; retry vagrant ssh -c \"echo X\""),
            ["vagrant ssh -c"]
        );
        // Remote runners an audit found pasting the value raw.
        for (script, construct) in [
            ("consul exec -node=web-1 \"echo got: X\"", "consul exec"),
            ("consul exec -node web-1 -wait 2s echo X", "consul exec"),
            ("heroku run -a app \"echo X\"", "heroku run"),
            ("heroku run:detached --app app echo X", "heroku run"),
            (
                "bolt command run \"echo X\" --targets web-1",
                "bolt command run",
            ),
            ("mco shell run \"echo X\" -I web-1", "mco shell run"),
            ("dsh -m web-1 -c -- \"echo X\"", "dsh"),
            ("mussh -h web-1 -c \"echo X\"", "mussh -c"),
        ] {
            assert_eq!(constructs(script), [construct], "{script}");
        }
        // Their other subcommands and options are data.
        assert!(constructs("consul kv get X").is_empty());
        assert!(constructs("heroku logs -a X").is_empty());
        assert!(matches!(
            plan_x("timeout 5 rsync -e \"ssh -p X\" f h:/tmp/x")
                .unwrap()
                .slot,
            Slot::PlainWord(_)
        ));
        for (script, slot) in [
            (
                "set -- \"X\"; for h do ssh -n \"$h\" uptime; done",
                "option",
            ),
            (
                "set -- -h \"X\"; while getopts h: o; do H=$OPTARG; done; ssh \"$H\" uptime",
                "option",
            ),
            (
                "IFS=, read -ra hosts <<< \"X\"; for h in \"${hosts[@]}\"; do ssh \"$h\" uptime; done",
                "words",
            ),
        ] {
            let got = plan_x(script).unwrap().slot;
            let ok = match slot {
                "option" => matches!(
                    got,
                    Slot::NoOption(_) | Slot::PlainWord(_) | Slot::PlainWords(_)
                ),
                _ => matches!(got, Slot::PlainWords(_) | Slot::PlainWord(_)),
            };
            assert!(ok, "{script}: {got:?}");
        }
        // The safe idioms stay what they were.
        assert!(plan_x("ssh db1 \"echo $(printf %q \"X\")\"").is_ok());
        assert!(constructs("cat <<EOF > /tmp/f\nX\nEOF").is_empty());
        assert!(constructs("host=X; echo ${host%%.*}; ssh \"$host\" uptime").is_empty());
        assert!(plan_x("host=X; echo ${host%%.*}; ssh \"$host\" uptime").is_ok());
        assert_eq!(
            constructs("docker run --entrypoint=/bin/bash img -c \"echo X\""),
            ["bash -c"]
        );
        assert_eq!(
            constructs("GIT_SSH_COMMAND=\"ssh -i X\" git fetch"),
            ["GIT_SSH_COMMAND"]
        );
        // rsync splits RSYNC_RSH itself: a plain word, expanded by this shell.
        let p = plan_x("RSYNC_RSH=\"ssh -p X\" rsync -a f h:/tmp/").unwrap();
        assert!(
            p.layers.is_empty() && matches!(p.slot, Slot::PlainWord(_)),
            "{p:?}"
        );
        assert!(plan_x("echo \"X").is_err());
        for script in [
            "psql -v n=X -c 'select 1'",
            "python3 -c 'import sys' X",
            "awk -v n=X '{print n}' f",
            "jq --arg n X '.a' f",
            "redis-cli EVAL 'return ARGV[1]' 0 X",
        ] {
            assert_eq!(plan_x(script).unwrap().foreign, None, "{script}");
        }
    }

    #[test]
    fn a_value_that_leaves_where_unknown_text_is_parsed_again_is_a_plain_word() {
        let left = |script: &str| plan_x(script).ok().and_then(|p| p.left);
        for (script, sink) in [
            (
                "echo \"echo X\" > job.sh; bash job.sh",
                "`bash job.sh` runs a file",
            ),
            (
                "echo \"echo X\" >> job.sh; sudo bash ./job.sh",
                "`sudo bash ./job.sh` runs a file",
            ),
            (
                "echo \"export A=X\" > env.sh; . ./env.sh",
                "`. ./env.sh` runs a file",
            ),
            (
                "printf 'echo %s' \"X\" > j; chmod +x j; ./j",
                "`./j` runs a file",
            ),
            ("F=j; echo \"echo X\" > \"$F\"; bash \"$F\"", "`bash`"),
            (
                "echo \"echo X\" > a; cp a b; bash b",
                "`bash b` runs a file",
            ),
            (
                "exec 3>j; echo \"echo X\" >&3; bash j",
                "`bash j` runs a file",
            ),
            ("sed \"s|@V@|X|\" t > j; bash j", "`bash j` runs a file"),
            (
                "echo \"echo X\" > j; ssh h bash < j",
                "runs what it reads as code",
            ),
            (
                "echo \"X\" > f; c=$(cat f); eval \"echo $c\"",
                "`eval` parses an expansion again",
            ),
            (
                "echo \"X\" > f; eval \"echo $(< f)\"",
                "`eval` parses an expansion again",
            ),
            (
                "echo \"X\" > l; while read -r h; do ssh w \"echo $h\"; done < l",
                "`ssh HOST` parses",
            ),
            (
                "f() { echo \"X\"; }; c=$(f); eval \"echo $c\"",
                "`eval` parses an expansion again",
            ),
            (
                "export V=\"X\"; echo 'echo $V' | envsubst | sh",
                "runs what it reads as code",
            ),
            (
                "echo \"X\" > f; c=$(cat f); sudo $c",
                "runs a command named by an expansion",
            ),
            (
                "echo \"X\" > l; xargs -a l -I{} sh -c 'echo {}'",
                "runs what it reads as code",
            ),
            (
                "echo \"echo X\" > j; at now -f j",
                "`at now -f j` runs a file",
            ),
            (
                "{ echo \"echo X\"; } > j.sh; bash j.sh",
                "`bash j.sh` runs a file",
            ),
            (
                "log() { printf '%s\\n' \"$*\" >> j.sh; }; log \"echo X\"; bash j.sh",
                "`bash j.sh` runs a file",
            ),
            (
                "echo \"echo X\" > a; install -m 755 a /usr/local/bin/j; /usr/local/bin/j",
                "`/usr/local/bin/j` runs a file",
            ),
            (
                "ssh h 'cat > /tmp/j.sh' <<EOF\necho X\nEOF\nssh h 'sh /tmp/j.sh'",
                "`sh /tmp/j.sh` runs a file",
            ),
            (
                "echo \"print('X')\" > j.py; python3 j.py",
                "`python3 j.py` runs a file",
            ),
            (
                "echo \"X\" > f; python3 -c 'import os; os.system(open(\"f\").read())'",
                "runs a shell from its code",
            ),
            (
                "echo \"echo X\" > j.sh; scp j.sh h:/tmp/; ssh h bash /tmp/j.sh",
                "`bash /tmp/j.sh` runs a file",
            ),
            (
                "echo \"echo X\" | ssh h 'cat > /tmp/j.sh'; ssh h 'bash /tmp/j.sh'",
                "`bash /tmp/j.sh` runs a file",
            ),
        ] {
            let plan = plan_x(script);
            assert!(
                matches!(plan.as_ref().map(|p| p.slot), Ok(Slot::PlainWord(_))),
                "{script}: {plan:?}"
            );
            assert!(
                left(script).is_some_and(|l| l.contains(sink)),
                "{script}: {:?}",
                left(script)
            );
        }
        // Written, but nothing parses text of unknown origin again (a literal string, a
        // variable the script never sets, the value's own variable, followed as before).
        for script in [
            "echo \"X\" > reason.txt; ssh w uptime",
            "echo \"X\" >> ops.log; ssh w \"sudo systemctl restart $SVC\"",
            "echo \"X\" > f; . /etc/os-release",
            "x=\"X\"; sh -c \"printf %s ${x@Q}\" > \"$OUT/f\"",
            "f() { echo \"X\"; }; f; eval \"$CMD\"",
            "echo \"X\" > n.txt; python3 report.py n.txt; sed -n 1p n.txt; awk 1 n.txt",
        ] {
            let plan = plan_x(script);
            assert!(
                matches!(plan.as_ref().map(|p| &p.left), Ok(None)),
                "{script}: {plan:?}"
            );
        }
    }

    #[test]
    fn a_value_in_sed_or_awk_code_is_data_until_what_ends_it() {
        let end = |script: &str| plan_x(script).ok().and_then(|p| p.code_end.map(|(c, _)| c));
        assert_eq!(
            end("sed -i \"s/^v=.*/v=X/\" conf").as_deref(),
            Some("/\n\\")
        );
        assert_eq!(end("sed \"s|a|X|g\" f").as_deref(), Some("|\n\\"));
        assert_eq!(
            end("awk \"{ print \\\"X\\\" }\"").as_deref(),
            Some("\"\\\n")
        );
        assert!(matches!(
            plan_x("awk \"\\$1 == X\"").map(|p| p.slot),
            Ok(Slot::PlainWord(_))
        ));
        assert!(plan_x("sed \"X\" f").is_err());
        assert_eq!(end("python3 -c 'print(\"X\")'"), None);
        // A SQL client's script on its input (an audit ran `\!` and `.shell` through a new
        // line), also on another host or in a container; `psql -c` runs no client command.
        for script in [
            "sudo -u postgres psql <<SQL\nselect 'X';\nSQL",
            "sudo -iu postgres psql <<SQL\nselect 'X';\nSQL",
            "timeout 30 psql <<SQL\nselect 'X';\nSQL",
            "env PGOPTIONS=-c psql <<SQL\nselect 'X';\nSQL",
            "docker compose exec -T db psql <<SQL\nselect 'X';\nSQL",
            "sudo sqlite3 app.db <<SQL\nselect 'X';\nSQL",
            "psql <<SQL\nselect 'X';\nSQL",
            "psql -f - <<< \"select 'X';\"",
            "sqlite3 app.db <<SQL\ninsert into n values ('X');\nSQL",
            "mysql <<SQL\nselect 'X';\nSQL",
            "ssh db-1 \"psql -U postgres\" <<SQL\nselect 'X';\nSQL",
            "kubectl exec -i db-0 -- psql -U postgres <<SQL\nselect 'X';\nSQL",
            "docker exec -i -u pg db psql <<SQL\nselect 'X';\nSQL",
        ] {
            assert_eq!(end(script).as_deref(), Some("\n\r\\`|"), "{script}");
        }
        assert_eq!(end("psql -c \"select 'X'\""), None);
        assert_eq!(end("psql -c \"\\set n 'X'\"").as_deref(), Some("`|'\n\r\\"));
        // Copied into the document, it is the client's code too; a file that may be a
        // `|command`, and a program to run, are no place for free text.
        assert!(plain_word_or_refused(
            "x=\"X\"\npsql <<SQL\nselect '$x';\nSQL"
        ));
        for script in [
            "psql -o \"X\" -c 'select 1'",
            "strace -o \"X\" ls",
            "sqlite3 -cmd \".output X\" app.db",
            "sort --compress-program=\"X\" big",
            "mysql --pager \"X\"",
            "tcpdump -z \"X\" -w f",
        ] {
            assert!(plain_word_or_refused(script), "{script}");
        }
        assert_eq!(end("ssh db-1 cat <<EOF\nX\nEOF"), None);
    }

    #[test]
    fn functions_reached_by_a_trap_a_variable_a_sourced_file_or_export_f() {
        let rs = "rs() { ssh web-1 \"sudo systemctl restart $1\"; }\n";
        for tail in [
            "f() { ssh web-1 \"restart ${!#}\"; }; f web-1 \"X\"",
            "f() { local last=${!#}; ssh web-1 \"restart $last\"; }; s=\"X\"; f web-1 \"$s\"",
            "trap 'rs \"X\"' EXIT",
            "s=\"X\"; trap 'rs \"$s\"' EXIT",
            "fn=rs; s=\"X\"; \"$fn\" \"$s\"",
            "fn=rs; \"$fn\" \"X\"",
            "s=\"X\"; for f in rs; do $f \"$s\"; done",
            "export -f rs; s=\"X\"; timeout 30 bash -c 'rs \"$0\"' \"$s\"",
            "export -f rs; s=\"X\"; bash -c 'rs \"$1\"' _ \"$s\"",
        ] {
            let script = format!("{rs}{tail}");
            assert!(
                plain_word_or_refused(&script),
                "{script}: {:?}",
                plan_x(&script)
            );
        }
        for script in [
            ". lib.sh; s=\"X\"; rs \"$s\"",
            "source <(cat lib.sh); s=\"X\"; rs \"$s\"",
            "source /dev/stdin <<'LIB'\nrs() { eval \"$1\"; }\nLIB\ns=\"X\"; rs \"$s\"",
            "as() { local u=$1; shift; \"$@\"; }; as root chroot / <<EOT\necho X\nEOT",
        ] {
            assert!(
                plain_word_or_refused(script) || read_again_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // A function that does not parse its arguments again takes any value.
        let script = "log() { echo \"$(date) $*\"; }; s=\"X\"; trap 'log \"$s\"' EXIT";
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }

    #[test]
    fn lines_read_where_options_are_read_are_plain_words() {
        for script in [
            "H=\"X\"; echo \"$H\" | while read -r h; do ssh -n \"$h\" uptime; done",
            "H=\"X\"; printf '%s\\n' \"$H\" | tr , '\\n' | while read -r h; do ssh -n \"$h\" uptime; done",
            "hosts=\"X\"; while read -r h; do ssh -n \"$h\" uptime; done < <(echo \"$hosts\")",
            "on_all() { while read -r h; do ssh -n \"$h\" uptime; done; }; on_all <<< \"X\"",
            "on_all() { while read -r h; do ssh -n \"$h\" uptime; done; }; echo \"X\" | on_all",
            "cat <<EOT | while read -r h; do ssh -n \"$h\" uptime; done\nX\nEOT",
            "echo \"X\" > hosts.txt; while read -r h; do ssh -n \"$h\" uptime; done < hosts.txt",
        ] {
            assert!(
                matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        // A value that is not read where options are: any text.
        assert!(matches!(
            plan_x("H=\"X\"; echo \"$H\" | while read -r l; do echo \"line: $l\"; done")
                .map(|p| p.slot),
            Ok(Slot::Quoted(_))
        ));
    }

    #[test]
    fn code_on_standard_input_and_other_spellings_of_a_shell() {
        for script in [
            "python3 - \"X\" <<'PY'\nimport subprocess, sys\nsubprocess.call(\"echo %s\" % sys.argv[1], shell=True)\nPY",
            "python3 /dev/stdin \"X\" <<'PY'\nimport os, sys\nos.popen(\"echo \" + sys.argv[1])\nPY",
            "perl - \"X\" <<'PL'\nopen(my $fh, \"echo $ARGV[0] |\");\nPL",
            "awk -f - <<'AWK' \"X\"\nBEGIN { system(\"echo \" ARGV[1]) }\nAWK",
            "echo 'puts [exec sh -c \"echo [lindex $argv 0]\"]' | tclsh /dev/stdin \"X\"",
            "python3 -c 'import subprocess as s,sys; s.Popen(\"echo \" + sys.argv[1], shell=1)' \"X\"",
            "python3 -c \"import subprocess,sys; subprocess.run('echo ' + sys.argv[1], **{'shell': True})\" \"X\"",
            "perl -e 'open(F, \"-|\", \"echo $ARGV[0]\"); print <F>' \"X\"",
        ] {
            assert!(
                plain_word_or_refused(script),
                "{script}: {:?}",
                plan_x(script)
            );
        }
        for script in [
            "echo \"X\" | awk '{ c = \"echo \" $0; print \"\" | c }'",
            "echo \"X\" | sed \"s/x/y/e\"",
            "echo \"X\" | sed -e 's/^/echo /e'",
        ] {
            assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
        }
        // Code that runs no shell, and sed and awk that run nothing.
        for script in [
            "python3 - \"X\" <<'PY'\nimport sys\nprint(\"shell: \" + sys.argv[1])\nPY",
            "python3 -c 'import subprocess,sys; subprocess.run([\"echo\", sys.argv[1]], shell=False)' \"X\"",
            "echo \"X\" | awk '/error|warn/ { print }'",
            "echo \"X\" | awk '{ print $1 | \"sort\" }'",
            "echo \"X\" | sed 's/e/E/g'",
            "echo \"X\" | sed -e '/^#/d' -e 's/ *$//'",
        ] {
            assert!(
                matches!(
                    plan_x(script).map(|p| p.slot),
                    Ok(Slot::Quoted(_) | Slot::NoOption(_))
                ),
                "{script}: {:?}",
                plan_x(script)
            );
        }
    }
}
