//! [`reparsed_refs`]: the variables a script hands to a string parsed again (also through
//! its standard input, pipes and `xargs`), and those only split into words.

use super::command::role_of;
use super::foreign::{code_env_reads, code_runs_shell, crontab_of_input, env_reads_in};
use super::role::{Ctx, Reparse, Role, with_functions};
use super::sourced::sourced_function;
use super::stdin::{
    descriptor_file, foreign_stdin, group_or_function_shell, input_written_to, makefile_on_stdin,
    passes_input_on, reads_stdin_as_script, remote_input_written_to, shell_named, stdin_code,
    stdin_code_runs_shell,
};
use super::types::{HELP_ARGUMENT, MAX_DEPTH, POSITIONAL, Unsafe};
use super::uses::redirected_scripts;
use super::variables::PROMPTS;
use crate::shell::programs::{self, SHELLS, base, command_index, find_wrapper, options, value_of};
use crate::shell::words::{Command, Expansion, Word, commands, cook_heredoc};
use std::collections::BTreeSet;
use std::ops::Range;

/// The variables that a string parsed again by another shell refers to (`eval "$cmd"`,
/// `ssh h "cd $DIR"`, `sh -c "$X"`): a value assigned to one of them becomes code.
pub fn reparsed_refs(text: &str) -> BTreeSet<String> {
    let mut refs = reparsed_refs_in(text, 0);
    // bash expands these again: `${x@P}`, and the prompt variables (`PS4` at every traced
    // command).
    refs.extend(prompt_expanded(text));
    refs.extend(PROMPTS.iter().map(|p| p.to_string()));
    // What is copied into one of them (`y=$x; eval "$y"`) is parsed again too.
    crate::shell::flow::with_sources(text, &mut refs);
    // (So is what is copied into a variable quoted for another shell, `^NAME`, or a word of
    // its command there, `-NAME`.)
    for mark in ['^', '-'] {
        let mut marked: BTreeSet<String> = refs
            .iter()
            .filter_map(|r| r.strip_prefix(mark))
            .map(str::to_string)
            .collect();
        crate::shell::flow::with_sources(text, &mut marked);
        refs.extend(marked.into_iter().map(|n| format!("{mark}{n}")));
    }
    refs
}

/// The variables the script expands where runbook refuses any value (`ssh -o "$o"`, `tmux
/// send-keys "$k"`: the value of an option that runs a command, text typed into a
/// terminal), with the variables copied into them: a value assigned to one of them is
/// refused, as the `{{ }}` itself would be there (audit 20 HOLE-5 found `o="{{ v }}"; ssh
/// -o "$o"` run `ProxyCommand=…`, one plain word).
pub fn refused_refs(text: &str) -> BTreeSet<String> {
    refused_refs_in(text, 0)
}

fn refused_refs_in(text: &str, depth: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for cmd in crate::shell::words::every_command(text) {
        let args = cmd.args();
        let program = programs::program_index(&args, command_index(&args));
        let options_run = args.get(program).is_some_and(|p| {
            matches!(
                base(&p.cooked),
                "ssh" | "scp" | "sftp" | "slogin" | "autossh" | "git"
            )
        });
        for (k, w) in args.iter().enumerate() {
            let role = role_of(&args, k, Ctx::default());
            // (Inside a string another shell parses: `bash -c 'o=(-o "ProxyCommand=$1");
            // ssh "${o[@]}" h' _ "$S"`, its positional parameters mapped to the words
            // after it below.)
            if let Role::Reparse(r) = &role
                && depth < MAX_DEPTH
            {
                out.extend(refused_refs_in(&with_functions(text, r), depth + 1));
            }
            if w.expansions.is_empty() {
                continue;
            }
            let raw = &text[w.span.clone()];
            // (`-o "ConnectTimeout=$t"`: the key is the script's; a key that runs its
            // value is followed as a string parsed again.)
            let key_given = raw
                .find('$')
                .is_some_and(|at| raw[..at].trim_start_matches(['"', '\'']).contains('='));
            // `ssh "${opts[@]}" h`, `git "$@" …`: words that may be any options.
            let any_options = options_run
                && k > program
                && (raw.contains("[@]}")
                    || raw.contains("[*]}")
                    || raw.contains("$@")
                    || raw.contains("$*"));
            if matches!(role, Role::Refused(_))
                || (!key_given && super::options::option_naming_a_command(&args, k).is_some())
                || any_options
            {
                for e in w.expansions.iter().filter(|e| e.inner.is_none()) {
                    out.extend(crate::shell::flow::referenced(&text[e.span.clone()]));
                }
            }
        }
        if exec_fed_words(text, &cmd) {
            for w in cmd.words.iter().filter(|w| w.redirect) {
                for e in w.expansions.iter().filter(|e| e.inner.is_none()) {
                    out.extend(crate::shell::flow::referenced(&text[e.span.clone()]));
                }
            }
        }
    }
    if !out.is_empty() {
        crate::shell::flow::with_sources(text, &mut out);
    }
    out
}

/// Whether a command is `exec` opening a descriptor on a here-string (`exec 3<<<"$x"`),
/// which any later command may read as its script.
fn exec_fed_words(text: &str, cmd: &Command) -> bool {
    cmd.words.first().is_some_and(|a| a.cooked == "exec")
        && cmd.words.iter().any(|w| here_string(text, w))
}

/// Whether a word is a here-string's text, on the input or on another descriptor (`3<<<"…"`,
/// which `words.rs` does not mark as the input's: told by its operator).
pub(super) fn here_string(text: &str, w: &Word) -> bool {
    w.redirect && (w.herestring || text[..w.span.start].trim_end().ends_with("<<<"))
}

/// Whether a shell of `args` reads its script from one of its descriptors (`sh 3<<<"…"
/// /dev/fd/3`, `bash /dev/stdin`), which its here-strings may feed.
pub(super) fn script_from_descriptor(args: &[&Word]) -> bool {
    runs_a_shell(args) && args.iter().any(|a| descriptor_file(&a.cooked))
}

/// The variables of [`reparsed_refs`] that reach a string parsed again only word by word,
/// through a `for NAME in $LIST` loop (`for svc in $SERVICES; do ssh h "restart $svc"`):
/// each word of theirs must be a plain word there, not the whole value.
pub fn reparsed_split_only(text: &str) -> BTreeSet<String> {
    let mut direct = reparsed_refs_in(text, 0);
    direct.extend(prompt_expanded(text));
    direct.extend(PROMPTS.iter().map(|p| p.to_string()));
    let (whole, split) = crate::shell::flow::sources_by_splitting(text, &direct);
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
                .is_some_and(crate::shell::flow::is_name_byte)
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
pub(super) fn bare_in_string(text: &str, word_start: usize, at: usize) -> bool {
    let before = &text[word_start.min(at)..at];
    before.matches("\\\"").count().is_multiple_of(2)
        && before.matches('\'').count().is_multiple_of(2)
}

/// Stands in a set of names for "any variable": a string parsed again expands `${!n}`, a
/// variable whose name is only known when the script runs.
pub const ANY: &str = "*any*";

/// The names a piece of text hands to another shell (its expansions that are not quoted for
/// reuse); [`ANY`] for an indirect expansion (`${!n}`).
fn handed_on(text: &str, expansions: &[Expansion]) -> Vec<String> {
    handed_on_into(text, expansions, None, false)
}

/// Whether the shell that a construct hands a string to reads `$'…'` (bash, zsh, ksh; and
/// `eval`, `trap`, `alias`, run by the script's own shell, which has `${x@Q}` only if it is
/// bash). `sh -c` (dash), `ssh HOST` (a login shell), `su -c`, `kubectl exec` may not.
pub(super) fn reads_dollar_single(construct: &str) -> bool {
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
        .flat_map(|e| crate::shell::flow::referenced(&text[e.span.clone()]))
        .map(|n| format!("^{n}"));
    // (And a word of the command there, which may read it as an option: `-NAME`, audit 20
    // OPT-2.)
    let no_option: Vec<String> = expansions
        .iter()
        .filter(|e| quoted(e))
        .flat_map(|e| crate::shell::flow::referenced(&text[e.span.clone()]))
        .map(|n| format!("-{n}"))
        .collect();
    expansions
        .iter()
        .filter(|e| !quoted(e))
        .flat_map(|e| {
            let raw = &text[e.span.clone()];
            let mut names = crate::shell::flow::referenced(raw);
            if !crate::shell::flow::indirect(raw).is_empty() {
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
                crate::shell::flow::transformed(raw)
                    .into_iter()
                    .map(|n| format!("~{n}")),
            );
            names
        })
        .chain(control_free)
        .chain(no_option)
        .collect()
}

/// Whether the script runs the file `name` as a script: given to a shell (`bash job.sh`,
/// `sh < job.sh`, `ssh h bash < job.sh`), sourced (`. job.sh`, `source job.sh`) or run
/// (`./job.sh`).
fn runs_file(text: &str, name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.is_empty() {
        return false;
    }
    text.match_indices(base).any(|(at, _)| {
        // The word holding it (`"$OUT/job.sh"`), and the one before it.
        let start = text[..at]
            .rfind(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | '<'))
            .map_or(0, |k| k + 1);
        let before = text[..start].trim_end();
        // (`ssh h 'bash f.sh'`: the quote opening the remote command is not the program's.)
        let previous = before
            .rsplit(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '('))
            .next()
            .unwrap_or("")
            .trim_start_matches(['"', '\'']);
        text[start..at]
            .trim_start_matches(['"', '\''])
            .starts_with("./")
            || before.ends_with('<')
            || matches!(previous, "." | "source")
            || SHELLS.contains(&programs::base(previous))
    })
}

/// The environment variables a command may print ([`ANY`] for all of them): `printenv V`
/// (`printenv`, `env` alone, `/proc/self/environ`: every one), jq's `env.V`/`$ENV.V`, and
/// what code of another language reads (`ENVIRON["V"]`, `os.environ["V"]`).
pub(super) fn printed_env(args: &[&Word]) -> Vec<String> {
    let i = command_index(args);
    let Some(program) = args.get(i).map(|w| base(&w.cooked)) else {
        return Vec::new();
    };
    // Behind a wrapper (`busybox awk …`, `sudo -E printenv V`, `timeout 5 jq …`): the
    // program it runs (audit 20 HOLE-2). (`env` alone prints the environment: below.)
    if program != "env" {
        let p = crate::shell::programs::program_index(args, i);
        if p > i && p < args.len() {
            return printed_env(&args[p..]);
        }
    }
    let rest = &args[(i + 1).min(args.len())..];
    if rest.iter().any(|w| w.cooked.contains("/environ")) {
        return vec![ANY.to_string()];
    }
    match program {
        "printenv" => {
            let names: Vec<String> = rest
                .iter()
                .filter(|w| !w.cooked.starts_with('-'))
                .map(|w| w.cooked.clone())
                .collect();
            // (`printenv "$n"`: a name known only when the script runs.)
            if names.is_empty() || rest.iter().any(|w| !w.expansions.is_empty()) {
                vec![ANY.to_string()]
            } else {
                names
            }
        }
        // `env` with no command to run prints the environment.
        "env"
            if rest
                .iter()
                .all(|w| w.cooked.starts_with('-') || w.cooked.contains('=')) =>
        {
            vec![ANY.to_string()]
        }
        "jq" | "gojq" | "jaq" | "yq" => {
            // The name after `env.`/`env[` (`$ENV.`): one variable; none, `env` whole: all.
            let read = |after: &str| {
                let name: String = after
                    .trim_start_matches(['.', '[', '"', ' '])
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if after.starts_with(['.', '[']) && !name.is_empty() {
                    name
                } else {
                    ANY.to_string()
                }
            };
            let mut names = Vec::new();
            for w in rest {
                let code = w.cooked.as_str();
                for (at, m) in code.match_indices("env") {
                    let after = &code[at + m.len()..];
                    let word_before = code[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                    // (`environ`, `myenv`: another word.)
                    if !word_before
                        && !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    {
                        names.push(read(after));
                    }
                }
                for (at, m) in code.match_indices("$ENV") {
                    names.push(read(&code[at + m.len()..]));
                }
            }
            names
        }
        // `… | xargs printenv`: names read from the input.
        "xargs"
            if rest
                .iter()
                .any(|w| matches!(base(&w.cooked), "printenv" | "env")) =>
        {
            vec![ANY.to_string()]
        }
        // `sh -c 'echo "echo $V"'`: what the inner shell expands of its environment.
        shell if SHELLS.contains(&shell) => rest
            .iter()
            .skip_while(|w| {
                w.cooked != "-c"
                    && !(w.cooked.starts_with('-')
                        && w.cooked.ends_with('c')
                        && !w.cooked.starts_with("--"))
            })
            .nth(1)
            .map(|code| {
                crate::shell::flow::referenced(&code.cooked)
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default(),
        _ => code_env_reads(args),
    }
}

/// Whether a command's output goes to another program that may run it: a process
/// substitution (`> >(bash)`), or a file descriptor in a script that opens one on a
/// process substitution or a `coproc` (`exec 3> >(sh)`, `>&"${COPROC[1]}"`).
pub(super) fn output_to_program(text: &str, cmd: &Command) -> bool {
    // (With the redirections of the compounds it stands in: `for …; done > >(sh)`.)
    let words: Vec<&Word> = cmd.words.iter().chain(&cmd.inherited).collect();
    let redirects: Vec<&Word> = words.iter().copied().filter(|w| w.redirect).collect();
    // `> >(bash)`: the lexer reads the substitution as a word of its own.
    if words.iter().any(|w| {
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
                // `sqlite3 db "select '$K'"`, `zip -TT "echo $K"`: a copy expanded in another
                // language's code given as an argument, where its text is not checked.
                // (sed's and awk's are checked by what ends their code: `unseen.rs`.)
                if let Role::Data(Some(f)) = &role
                    && !matches!(f.language, "jq" | "sed" | "awk")
                {
                    out.extend(handed_on(text, &w.expansions));
                }
                // `bash "${a[@]}"` with `a[0]=-c; a[1]="echo $K"`: words spread into a
                // command that may make a script of them (audit 21 HOLE-1).
                if spread_may_form_script(text, &args, k) {
                    for e in w.expansions.iter().filter(|e| e.inner.is_none()) {
                        out.extend(crate::shell::flow::referenced(&text[e.span.clone()]));
                    }
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
                        crate::shell::flow::with_sources(&inner, &mut refs);
                        out.extend(refs);
                    }
                }
            }
            // Code of another language on the input (a SQL client's script, whose own
            // commands `\!` and `.shell` run a shell; Python, Tcl, an ed script): what the
            // script expands there is code for it (audit 21: `python3 <<P` with `print('$S')`,
            // `tclsh <<T` with `exec sh -c {echo $K}`). (jq runs nothing.)
            let code_reader = |f: &super::types::Foreign| f.language != "jq";
            if (!cmd.heredocs.is_empty() || cmd.words.iter().any(|w| w.herestring))
                && foreign_stdin(&args).is_some_and(code_reader)
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
            // `echo "print('$S')" | python3`, `printf '%s\n' "!echo $K" q | ed -s`: what
            // the printer prints is the code of the program down the pipe.
            if cmd.piped
                && args
                    .get(command_index(&args))
                    .is_some_and(|w| matches!(base(&w.cooked), "echo" | "printf"))
                && list
                    .get(n + 1)
                    .and_then(|next| foreign_stdin(&next.args()))
                    .is_some_and(|f| f.language != "jq")
            {
                for w in &args {
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
            // `sh < <(printenv V | sed …)`, `. <(echo "echo $S")`, `bash <(…)`, `sh 3<<<"…"
            // /dev/fd/3`: what a process substitution or a here-string prints is the script
            // a shell reads (audit 20 HOLE-1, HOLE-4).
            for inner in script_substitutions(text, cmd) {
                for c in commands(text, inner).unwrap_or_default() {
                    let args = c.args();
                    for w in &args {
                        out.extend(handed_on(text, &w.expansions));
                    }
                    out.extend(printed_env(&args));
                    for h in &c.heredocs {
                        out.extend(env_reads_in(&text[h.body.clone()]));
                    }
                }
            }
            if script_from_descriptor(&args) {
                for w in cmd.words.iter().filter(|w| here_string(text, w)) {
                    out.extend(handed_on(text, &w.expansions));
                }
            }
            // `printf … "$x" | bash`, `echo "$x" > >(sh)`: what the command prints is run;
            // `echo "$x" | xargs ssh h kill`: its words are put into a remote command.
            if (cmd.piped
                && (pipe_reader(text, &list, n).is_some() || pipes_into_xargs_ssh(&list, n)))
                || output_to_program(text, cmd)
            {
                for w in &args {
                    out.extend(handed_on(text, &w.expansions));
                }
                // `printenv V | sh`, `jq -rn '"echo " + env.V' | sh`, `awk 'BEGIN { print
                // ENVIRON["V"] }' > >(bash)`: what it prints of the environment is run too
                // (an audit ran a value given in a step's `env:` this way).
                out.extend(printed_env(&args));
                // (`python3 - <<'PY' | ssh h sh`: code on its input that reads the environment.)
                for h in &cmd.heredocs {
                    out.extend(env_reads_in(&text[h.body.clone()]));
                }
            } else {
                // Written to a file that the script runs (`jq -rn '"echo " + env.V' >
                // job.sh; bash job.sh`, `echo "echo $V" > job.sh; bash job.sh`): what it
                // prints of its arguments or the environment is run (audit 19).
                let files = crate::shell::spill::written(text, cmd);
                if files.iter().any(|f| runs_file(text, f)) {
                    // (And what the commands before it in its pipe print of the
                    // environment: `env | sed -n 's/^V=/echo /p' > job.sh`, audit 20.)
                    let mut k = n;
                    while k > 0 && list[k - 1].piped {
                        k -= 1;
                        out.extend(printed_env(&list[k].args()));
                    }
                    // (A variable of the environment: one the script sets is followed as a
                    // value that leaves, `spill`.)
                    for e in args.iter().flat_map(|w| &w.expansions) {
                        if let Some(name) =
                            crate::shell::spill::unset_in_script(text, &text[e.span.clone()])
                        {
                            out.insert(name.to_string());
                        }
                    }
                    out.extend(printed_env(&args));
                }
            }
        }
    }
    out
}

/// Whether word `k` of `args` spreads an array or the positional parameters (`"${a[@]}"`,
/// `"$@"`) where its words may become a script: the command itself (`"${cmd[@]}"`, an array,
/// not a function's `"$@"`, which is followed at its calls), or the arguments of a shell,
/// `eval`, `su`, `find`, `xargs`, `ssh`, `kubectl`/`docker` (`-c` and the script may be among
/// them). A literal array is read where it is spread ([`crate::shell::spreads`]); one built
/// piece by piece (`a[1]=…`, `a+=(…)`, `readarray`, `printf -v 'a[1]'`) is not known.
fn spread_may_form_script(text: &str, args: &[&Word], k: usize) -> bool {
    let raw = &text[args[k].span.clone()];
    let array = raw.contains("[@]}") || raw.contains("[*]}");
    let positional = ["$@", "$*", "${@", "${*"].iter().any(|p| raw.contains(p));
    if !array && !positional {
        return false;
    }
    let p = programs::program_index(args, command_index(args));
    if k <= p {
        return array;
    }
    args.get(p).is_some_and(|w| {
        let name = base(&w.cooked);
        SHELLS.contains(&name)
            || matches!(
                name,
                "eval"
                    | "su"
                    | "runuser"
                    | "find"
                    | "xargs"
                    | "parallel"
                    | "ssh"
                    | "autossh"
                    | "kubectl"
                    | "oc"
                    | "docker"
                    | "podman"
                    | "nerdctl"
                    | "watch"
                    | "script"
                    | "flock"
            )
    })
}

/// Whether a simple command runs a shell or sources a file (`sh`, `bash -s`, `.`,
/// `source`, behind wrappers).
pub(super) fn runs_a_shell(args: &[&Word]) -> bool {
    let p = programs::program_index(args, command_index(args));
    args.get(p).is_some_and(|w| {
        SHELLS.contains(&base(&w.cooked)) || matches!(w.cooked.as_str(), "." | "source")
    })
}

/// The insides of the process substitutions (`<(…)`) that a shell reads as its script: on
/// its standard input (`sh < <(…)`) or as its script file (`bash <(…)`, `. <(…)`).
pub(super) fn script_substitutions(text: &str, cmd: &Command) -> Vec<Range<usize>> {
    if !text.contains("<(") {
        return Vec::new();
    }
    let args = cmd.args();
    // (On the input of a shell, also on another host: `ssh h sh < <(…)`; or as the script
    // file of a shell or `.`.)
    let stdin_script = reads_stdin_as_script(&args, 0, Ctx::default()).is_some();
    let script_file = runs_a_shell(&args);
    if !stdin_script && !script_file {
        return Vec::new();
    }
    cmd.words
        .iter()
        .filter(|w| {
            if w.redirect {
                stdin_script
            } else {
                script_file
            }
        })
        .flat_map(|w| w.expansions.iter())
        .filter(|e| e.process && text[e.span.start..].starts_with("<("))
        .filter_map(|e| e.inner.clone())
        .collect()
}

/// The shell that reads the standard input of command `n` of `list` as a script, if any
/// (`bash`, `ssh HOST`, or a shell down the pipe after `cat` or `tee`): (construct, whether
/// the environment travels). Refused when a command that changes the text (`sed`, `grep`)
/// stands between.
pub(super) fn stdin_reader(
    text: &str,
    list: &[Command],
    n: usize,
) -> Option<Result<(String, bool), Unsafe>> {
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
    // `ssh h "cat > f.sh" <<< "…"; ssh h sh f.sh`: written on the other side, and run
    // there (audit 20 HOLE-6).
    if let Some(file) = remote_input_written_to(&args)
        && runs_file(text, &file)
    {
        return Some(Ok((
            format!("{file} (written on the other side, then run)"),
            false,
        )));
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

/// A shell further down the pipe from command `n` that reads its input as a script:
/// (construct, whether the environment travels, whether every command between passes its
/// input on unchanged: `cat`, `tee`).
pub(super) fn pipe_reader(text: &str, list: &[Command], n: usize) -> Option<(String, bool, bool)> {
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
        if args.iter().any(|w| w.expansions.iter().any(|e| e.process))
            || list.get(k).is_some_and(|c| output_to_program(text, c))
        {
            // `tee >(bash)`, `… | sed … > >(bash)`: a process substitution may run what it
            // is given.
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
pub(super) fn xargs_runs_input(text: &str, args: &[&Word]) -> Option<String> {
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
            && (replace
                .as_deref()
                .is_some_and(|r| ssh_host_only(args, j, r))
                || xargs_words(&seen)))
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
        let arith = crate::shell::flow::arithmetic_anywhere(&script);
        POSITIONAL
            .iter()
            .any(|p| refs.contains(*p) || arith.contains(*p))
    };
    (substituted || positional()).then(|| format!("xargs … {} -c", base(&args[shell].cooked)))
}

/// Whether what command `n` prints goes down its pipe to `xargs … ssh`, which puts it into
/// the command a remote shell parses.
fn pipes_into_xargs_ssh(list: &[Command], n: usize) -> bool {
    let mut k = n;
    while list.get(k).is_some_and(|c| c.piped) {
        k += 1;
        let Some(next) = list.get(k) else {
            return false;
        };
        let args = next.args();
        if args.first().is_some_and(|w| base(&w.cooked) == "xargs")
            && let Some(xargs) = find_wrapper("xargs")
        {
            let (j, _) = options(&args, 1, xargs.short, xargs.long);
            return args.get(j).is_some_and(|w| base(&w.cooked) == "ssh");
        }
    }
    false
}

/// Whether xargs splits its input at blanks and new lines (or takes lines), processing
/// quotes: no `-0`, `-d`, `-a` (where an item may hold a new line or come from elsewhere).
/// `… | xargs ssh -n h kill` then gives the remote shell words of plain words only, which
/// [`super::locate`]'s reading asks of each line.
pub(super) fn xargs_words(seen: &programs::Options) -> bool {
    !programs::has(
        seen,
        &[
            "-0",
            "--null",
            "-d",
            "--delimiter",
            "-a",
            "--arg-file",
            "-E",
            "-e",
        ],
    )
}

/// `xargs -I{} ssh {} uptime`: the replacement string is ssh's host and nothing else.
pub(super) fn ssh_host_only(args: &[&Word], ssh: usize, replace: &str) -> bool {
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
