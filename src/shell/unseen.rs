//! The floor under the flow model. [`super::flow`] and [`super::nested`] follow the ways a
//! value travels through a script that they know (copies, loops, `read`, functions, files);
//! twelve audits found one more way each time (`svc=$(echo "$x")`, `read -d '' cmd <<EOF`,
//! `cfg[k]=$x`, a name given to `local -n`, …). This module does not follow anything: it names
//! the variables that reach a place where a value becomes code or an option **and** that the
//! script sets from anything but literal text. Whatever path a value took, it can only reach
//! such a place through one of them. A step whose values are not all plain words is refused
//! when there is one (`exec::render`), so a way the flow model does not know costs a refusal
//! with a clear message, never code.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::VALUE_PREFIX;
use super::flow::is_name_byte;

/// A variable that reaches a place where a value becomes code or an option, set by the
/// script other than as literal text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unseen {
    /// The variable (`1` and `@` for the positional parameters).
    pub name: String,
    /// Where it reaches.
    pub place: Place,
    /// It never holds a new line: the script sets it only from literal text, by `read`
    /// line by line or by a `for` over words split at the default IFS (`for p in $pids`),
    /// so a value of plain words on several lines is still plain words there.
    pub one_line: bool,
}

/// A place where a value becomes code or an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A string another shell parses again, or the words of a command.
    Code,
    /// The words of a command that runs commands, expanded unquoted, from a line that
    /// `read` or `mapfile` kept whole (`while read -r h; do ssh -n $h uptime`): a space in
    /// the line makes another word, which may be the command.
    Words,
    /// Shell arithmetic, where a subscript (`a[$(…)]`) in a value runs.
    Arithmetic,
    /// Where a program reads options.
    Options,
    /// The code of sed or awk written in double quotes (see [`spliced_into_code`]).
    Spliced,
    /// Where a program reads options or a command's words, after the script rewrote the
    /// text (`sed 's/^v//'`, `cut -c2-`, `${x#v}`): any character of a value may start a
    /// word there (audit 24 HOLE-I).
    Rewritten,
}

/// Variables that bash sets by itself from what a command read or matched.
const FILLED: &[&str] = &[
    "_",
    "REPLY",
    "MAPFILE",
    "OPTARG",
    "BASH_REMATCH",
    "COPROC",
    "BASH_ARGV",
    "READLINE_LINE",
    // The folder a `cd` or `pushd` went to, which may be named by a value.
    "PWD",
    "OLDPWD",
    "DIRSTACK",
    ENVSUBST,
    SUBSTITUTION,
    XARGS,
];

/// What stands for the output of a command substitution (see [`substitutions`]).
pub const SUBSTITUTION: &str = "RUNBOOK_SUBSTITUTION";

/// What stands for a `{{ }}` value in the text the floor reads: a variable the script does
/// not set where the value is passed by reference, literal text where runbook quotes it
/// into a string another shell parses (a word of its own that is no variable's name).
pub const PROBE_VALUE: &str = "${RUNBOOK_VALUE}";
pub const PROBE_QUOTED: &str = "RUNBOOK_QUOTED_VALUE";

impl Unseen {
    /// The variable as a message names it.
    pub fn variable(&self) -> String {
        match self.name.as_str() {
            super::nested::ANY => "a variable named by another (`${!n}`)".to_string(),
            SUBSTITUTION => {
                "what a command substitution prints (`$(cat f)`, `$(readlink …)`)".to_string()
            }
            "*xargs*" => "what `xargs` reads (`… | xargs -I{} ssh {}`)".to_string(),
            n if n.starts_with('*') => {
                "text that `envsubst` fills from the environment".to_string()
            }
            "RUNBOOK_VALUE" => "a `{{ }}` value of the step".to_string(),
            n if n.starts_with(VALUE_PREFIX) => format!(
                "`${n}` (runbook's own variable that carries a `{{{{ }}}}` value into the script; write the `{{{{ }}}}` itself there)"
            ),
            n => format!("`${n}`"),
        }
    }
}

impl Place {
    /// What reaching the place means, after the variable's name.
    pub fn reaches(self) -> &'static str {
        match self {
            Place::Code => {
                "reaches a string that another shell parses again or the words of a command"
            }
            Place::Words => {
                "is read line by line and expanded unquoted in the words of a command that runs commands (`ssh -n $h uptime`)"
            }
            Place::Arithmetic => "is used in shell arithmetic",
            Place::Options => {
                "stands where a program reads options (`ssh \"$h\"`), some of which run commands"
            }
            Place::Spliced => {
                "is spliced into the code of sed or awk, whose `e` and `system()` run a shell"
            }
            Place::Rewritten => {
                "is rewritten by the script (`sed 's/^v//'`, `cut -c2-`, `${x#v}`), which may cut any character of a value to the start of a word, and then stands where a program reads options or a command's words"
            }
        }
    }
}

/// What to do about a value refused because of `u`: the same words at the run and in lint.
pub fn help(u: &Unseen) -> String {
    format!(
        "give the input a `pattern` of plain words on one line (letters, digits and `_ . / : @ , + = % -`), put the `{{{{ }}}}` itself where the other shell or the program reads it (runbook quotes it for that place), or run what expands {} in a step of its own",
        u.variable()
    )
}

/// Variables expanded in arguments that a program hands to a shell, which the rules above
/// follow for a `{{ }}` written there but not for a copy: `tar --to-command=…`, `git
/// --upload-pack=…`/`-x`/`--extcmd`, `gdb -ex`, `vim -c`, `alias n="…"`, `declare -a
/// "a=(…)"`, the remote path of `scp`/`rsync`, and a process substitution a shell reads as
/// its script (`sh < <(echo "… $x")`).
fn code_in_arguments(text: &str) -> BTreeSet<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(concat!(
                r#"(?:--to-command|--use-compress-program|--upload-pack|--receive-pack|--extcmd|--rsync-path|--checkpoint-action|--exec)[= ]("[^"]*"|'[^']*'|\S+)"#,
                // (The option quoted whole: `"--checkpoint-action=exec=echo $K"`, audit 20.)
                r#"|"(?:--to-command|--use-compress-program|--upload-pack|--receive-pack|--extcmd|--rsync-path|--checkpoint-action|--exec)=([^"]*)""#,
                r#"|\btar\b[^\n;|&]*?\s["']?-(?:I|F)\s*("[^"]*"|'[^']*'|\S+)"#,
                r#"|\b(?:gdb)\b[^\n;|&]*?\s-ex\s+("[^\"]*"|\S+)"#,
                r#"|\b(?:vim|vi|nvim|ex)\b[^\n;|&]*?\s[-+]c\s+("[^\"]*"|\S+)"#,
                r#"|\bgit\b[^\n;|&]*?\s-x\s+("[^\"]*"|\S+)"#,
                r#"|\balias\s+[\w.-]+=("[^\"]*"|\S+)"#,
                r#"|\b(?:declare|local|typeset)\s+-\w*a\w*\s+("\w+=\([^\"]*"|'\w+=\([^']*')"#,
                r#"|\b(?:scp|rsync)\b([^\n;|&]*:[^\n;|&]*)"#,
                r#"|\b(?:sh|bash|dash|zsh|ksh|source|\.)\s+(?:-s\s+)?<\s*<\(([^\n]*)\)"#,
                // Options whose value a program may pipe to a command (`strace -o "|cmd"`,
                // `psql -o`, `mysql --pager`, `tcpdump -z`, sqlite3's `-cmd ".shell …"`).
                r#"|\b(?:strace|ltrace)\b[^\n;|&]*?\s-o\s*("[^"]*"|'[^']*'|\S+)"#,
                r#"|\bpsql\b[^\n;|&]*?\s(?:-o\s*|--output[= ])("[^"]*"|'[^']*'|\S+)"#,
                r#"|\b(?:mysql|mariadb)\b[^\n;|&]*?\s--pager[= ]("[^"]*"|'[^']*'|\S+)"#,
                r#"|\btcpdump\b[^\n;|&]*?\s-z\s+("[^"]*"|'[^']*'|\S+)"#,
                r#"|\bsqlite3\b[^\n;|&]*?\s-cmd\s+("[^"]*"|'[^']*'|\S+)"#,
                r#"|--compress-program[= ]("[^"]*"|'[^']*'|\S+)"#,
                // `zip -TT "unzip -t $K"`: the command that tests the archive (audit 21).
                r#"|\bzip\b[^\n;|&]*?\s(?:-TT|--unzip-command)[= ]?\s*("[^"]*"|'[^']*'|\S+)"#,
            ))
            .ok()
        })
        .as_ref()
    else {
        return BTreeSet::new();
    };
    // (Also the words of a variable spread into the command: `o=(-I "gzip $K"); tar
    // "${o[@]}"`.)
    match super::spreads::inline(text, 0..0) {
        Some((inlined, _)) => referenced_in_captures(re, &inlined),
        None => referenced_in_captures(re, text),
    }
}

/// The variables referenced in the groups of each match of `re` in `text`.
fn referenced_in_captures(re: &Regex, text: &str) -> BTreeSet<String> {
    re.captures_iter(text)
        .flat_map(|c| {
            c.iter()
                .skip(1)
                .flatten()
                .flat_map(|m| super::flow::referenced(m.as_str()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Variables the shell expands into the code of sed or awk written in double quotes (`sed
/// -i "s/^version=.*/version=$V/"`, `awk "{ print \"$V\" }"`): sed's `e` and awk's
/// `system()` run a shell, and a `/` or a quote there ends the piece of code holding the
/// value (an audit ran `V="{{ v }}"; sed -i "s/x/$V/" f` through the copy).
pub fn spliced_into_code(text: &str) -> BTreeSet<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(concat!(
                // (The script is the first word after the options, or an `-e`'s: not a
                // file named `"$list"` after a script in single quotes.)
                r#"\b(?:sed|gsed)(?:\s+-[\w.=-]*)*\s+(?:-e\s*|--expression[= ])?"((?:[^"\\]|\\.)*\$(?:[^"\\]|\\.)*)""#,
                r#"|\b(?:sed|gsed)\b[^\n;|&]*?\s(?:-e\s*|--expression[= ])"((?:[^"\\]|\\.)*\$(?:[^"\\]|\\.)*)""#,
                r#"|\b(?:awk|gawk|mawk|nawk)(?:\s+(?:-[vf]\s*\S+|-[\w.=:,-]*))*\s+"((?:[^"\\]|\\.)*\$(?:[^"\\]|\\.)*)""#,
            ))
            .ok()
        })
        .as_ref()
    else {
        return BTreeSet::new();
    };
    if !text.contains("sed") && !text.contains("awk") {
        return BTreeSet::new();
    }
    referenced_in_captures(re, text)
}

/// The variables expanded (`$1`, `$n`) or named in arithmetic that
/// [`super::arithmetic_names`] leaves to the expansion rules: `(( $1 > 3 ))`, `[[ $1 -gt 1
/// ]]`, `let "n = V + 1"`. Bash expands them first and evaluates the text, whose subscript
/// (`a[$(…)]`) runs.
fn expanded_in_arithmetic(text: &str) -> BTreeSet<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    static NAME: OnceLock<Option<Regex>> = OnceLock::new();
    let (Some(re), Some(name)) = (
        RE.get_or_init(|| {
            Regex::new(concat!(
                r"\(\(([^()]*)\)\)",
                r"|(\S+)\s+-(?:eq|ne|lt|le|gt|ge)\s+(\S+)",
                r"|\blet\s+([^\n;|&]*)",
            ))
            .ok()
        })
        .as_ref(),
        NAME.get_or_init(|| Regex::new(r"(?:^|[^$\w])([A-Za-z_]\w*)").ok())
            .as_ref(),
    ) else {
        return BTreeSet::new();
    };
    let mut out = BTreeSet::new();
    for c in re.captures_iter(text) {
        for (k, m) in c.iter().enumerate().skip(1) {
            let Some(m) = m else { continue };
            out.extend(super::flow::referenced(m.as_str()));
            // `let "n = V + 1"`: bare names are variables there.
            if k == 4 {
                out.extend(
                    name.captures_iter(m.as_str())
                        .filter_map(|n| n.get(1).map(|n| n.as_str().to_string()))
                        .filter(|n| n != "let"),
                );
            }
        }
    }
    out
}

/// What stands for the words `xargs` reads, for the floor.
const XARGS: &str = "*xargs*";

/// Whether the script has `xargs` put what it reads into a shell's script (`sh -c '… {}'`,
/// `eval`), and whether into the words of a program that reads options which run commands
/// (`ssh`, `git`, `rsync`…).
fn xargs_places(text: &str) -> (bool, bool, bool) {
    if !text.contains("xargs") {
        return (false, false, false);
    }
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| Regex::new(r"\bxargs\b([^\n;|&]*)").ok())
        .as_ref()
    else {
        return (true, true, true);
    };
    let mut out = (false, false, false);
    for c in re.captures_iter(text) {
        let rest = c.get(1).map_or("", |m| m.as_str());
        let words: Vec<&str> = rest
            .split_whitespace()
            .map(|w| w.rsplit('/').next().unwrap_or(w))
            .collect();
        let has = |names: &[&str]| words.iter().any(|w| names.contains(w));
        if has(&["sh", "bash", "dash", "zsh", "ksh", "eval"]) && rest.contains("{}") {
            out.0 = true;
        }
        if has(&[
            "ssh", "scp", "sftp", "rsync", "git", "curl", "wget", "kubectl", "docker", "podman",
            "find", "tar", "sudo", "su", "psql", "mysql",
        ]) {
            out.1 = true;
        }
        // What it reads, rewritten on its way by a filter of the pipe or split by xargs
        // itself (`echo "$H" | cut -d, -f2 | xargs systemctl restart`, `xargs -d,`), starts
        // operands of its command, where options are read (unless after a `--` there,
        // `xargs -r -d '\n' gzip --`).
        let start = c.get(0).map_or(0, |m| m.start());
        let line = text[..start].rsplit('\n').next().unwrap_or("");
        let whole = c.get(0).map_or("", |m| m.as_str());
        if !words.contains(&"--")
            && ((line.contains('|') && rewrites(line)) || xargs_splits_lines(whole))
        {
            out.2 = true;
        }
    }
    out
}

/// The variables that reach a program's operands, where it reads options, rewritten by a
/// filter on their way ([`rewrites`]): printed through one in a command substitution that
/// starts the operand (`systemctl restart "$(echo "$H" | cut -d, -f2)"`: `H`, and what
/// stands for the substitution), or assigned from one (`S=$(base64 -d <<< "$V");
/// systemctl restart "$S"`). A piece of a value may start an option there (audit 22 OPT-A,
/// OPT-B).
fn rewritten_operands(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !rewrites(text) {
        return out;
    }
    let uses = super::uses(text);
    for inner in &uses.operand_substitutions {
        if let Some(code) = text.get(inner.clone())
            && rewrites(code)
        {
            out.insert(SUBSTITUTION.to_string());
            out.extend(super::flow::referenced(code));
        }
    }
    for (name, value, _) in super::flow::assignments(text) {
        if (value.contains("$(") || value.contains('`'))
            && rewrites(&value)
            && (uses.operands.contains(&name) || uses.operands_split.contains(&name))
        {
            out.insert(name);
        }
    }
    out
}

/// The variables that reach a program's operands changed by an expansion (`systemctl
/// restart "${T#v}"`, `"${H##*,}"`, `H=${H//_/-}`): a piece of a value may start an option
/// there (audit 24 OPT-E).
fn transformed_operands(text: &str) -> BTreeSet<String> {
    if !text.contains("${") {
        return BTreeSet::new();
    }
    let transformed = super::flow::transformed(text);
    if transformed.is_empty() {
        return transformed;
    }
    let uses = super::uses(text);
    uses.operands
        .iter()
        .chain(&uses.operands_split)
        .filter(|n| transformed.contains(*n))
        .cloned()
        .collect()
}

/// The variables whose values the script rewrites (`${x#v}`, `${1:1}`, `x=$(… | sed …)`,
/// `read -r x < <(… | cut -c2-)`), with what stands for a `$( )` and for what xargs reads
/// where a command substitution or the pipe into xargs rewrites.
fn rewritten_names(text: &str) -> BTreeSet<String> {
    let mut out = cutting_expansions(text);
    if !cuts(text) {
        return out;
    }
    for (name, value, _) in super::flow::assignments(text) {
        if cuts(&value) {
            out.insert(name);
        }
    }
    // (A pipe through a filter into `while read`: `… | sed … | while read -r h`.)
    static PIPED_READ: OnceLock<Option<Regex>> = OnceLock::new();
    if let Some(re) = PIPED_READ
        .get_or_init(|| {
            Regex::new(
                r"\|\s*while\s+(?:IFS=\S*\s+)?read\s+(?:-[a-zA-Z]+\s+)*([A-Za-z_][A-Za-z0-9_]*)",
            )
            .ok()
        })
        .as_ref()
    {
        for c in re.captures_iter(text) {
            let (Some(whole), Some(name)) = (c.get(0), c.get(1)) else {
                continue;
            };
            let line = text[..whole.start()].rsplit('\n').next().unwrap_or("");
            if cuts(line) {
                out.insert(name.as_str().to_string());
            }
        }
    }
    out.extend(read_after_a_part(text));
    let substitution_rewrites = std::cell::Cell::new(false);
    super::flow::replace_substitutions(text, |inner| {
        if cuts(inner) {
            substitution_rewrites.set(true);
        }
        None
    });
    if substitution_rewrites.get() {
        out.insert(SUBSTITUTION.to_string());
    }
    if xargs_places(text).2 {
        out.insert(XARGS.to_string());
    }
    out
}

/// The variables that `read` sets in a script where a `read` takes a part of a line (`-n`,
/// `-N`): the reads after it get the rest, cut anywhere (`{ read -n 1 _; read H; } <<<
/// "$V"`, audit 25 f09).
fn read_after_a_part(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !text.contains("read") {
        return out;
    }
    let mut partial = false;
    for cmd in super::words::every_command(text) {
        let args = cmd.args();
        let first = super::programs::command_index(&args);
        if args.get(first).is_none_or(|w| w.cooked != "read") {
            continue;
        }
        let mut k = first + 1;
        while let Some(w) = args.get(k) {
            let a = w.cooked.as_str();
            k += 1;
            if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                // The first flag that takes an argument takes the rest of the word, or the
                // next word.
                if let Some((i, f)) = flags.char_indices().find(|(_, f)| "dnNptuai".contains(*f)) {
                    partial |= matches!(f, 'n' | 'N');
                    let attached = &flags[i + 1..];
                    let argument = if attached.is_empty() {
                        k += 1;
                        args.get(k - 1).map_or("", |w| w.cooked.as_str())
                    } else {
                        attached
                    };
                    if f == 'a' {
                        out.insert(argument.to_string());
                    }
                }
                continue;
            }
            if crate::values::is_identifier(a) {
                out.insert(a.to_string());
            }
        }
    }
    if !partial {
        out.clear();
    }
    out
}

/// The variables the script expands changed in a way that may bring any character of a
/// value to the start of a word (`${x#v}`, `${x:1}`, `${x//_/-}`, `${x@E}`): not a split at
/// a separator (`${x//,/ }`, `${x#*,}`, `${x##*/}`), whose pieces the floor checks one by
/// one, nor a change of case.
fn cutting_expansions(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !text.contains("${") {
        return out;
    }
    let separator =
        |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !"?*]-+!(".contains(c));
    for (name, after) in super::flow::expansions_with_operators(text) {
        let body = after.split('}').next().unwrap_or("");
        let cutting = match after.chars().next() {
            Some('#') => !separator(body.trim_start_matches('#').chars().next_back()),
            Some('/') => {
                let body = body.trim_start_matches(['/', '#', '%']);
                let (pattern, replacement) = body.split_once('/').unwrap_or((body, ""));
                replacement.contains(['-', '+', '!', '('])
                    || (replacement.trim().is_empty() && !separator(pattern.chars().next_back()))
            }
            Some(':') => super::flow::cuts_a_prefix(after),
            Some('@') => after.starts_with("@E") || after.starts_with("@P"),
            _ => false,
        };
        if cutting {
            out.insert(name);
        }
    }
    out
}

/// Whether the script runs a filter that may bring any character of its input to the start
/// of a word (`sed 's/^v//'`, `cut -c2-`, `tail -c +2`, `grep -o`, awk's `substr`, a decoder):
/// not one that only splits at separators (`tr , '\n'`, `cut -d, -f2`, `sed 's/,/ /g'`,
/// `awk -F, '{print $2}'`), whose pieces the floor checks one by one.
fn cuts(text: &str) -> bool {
    if decodes(text) || always_cuts(text) {
        return true;
    }
    if !rewrites(text) {
        return false;
    }
    cuts_by_its_arguments(text)
}

/// The filters that always may cut a value inside a word (see [`cuts`]).
fn always_cuts(text: &str) -> bool {
    static ALWAYS: OnceLock<Option<Regex>> = OnceLock::new();
    ALWAYS
        .get_or_init(|| {
            Regex::new(concat!(
                r"(?:^|[|;&(`{!\s])(?:rev|fold|colrm|python3?|ruby|node|jq|yq|iconv)\b",
                r"|\b(?:head|tail)\s+(?:-[a-zA-Z]*\s+)*-c|\bgrep\b[^\n|;&]*\s(?:-[a-zA-Z]*o|--only-matching)",
                r"|\bprintf\s+(?:-v\s*\S+\s+)?[\x22']?[^%\s\x22']*\$",
                r"|\bcut\b[^\n|;&]*\s-[a-zA-Z]*[cb]|\bcut\b[^\n|;&]*-d\s*['\x22]?[A-Za-z0-9]",
                r"|\bxargs\b[^\n;|&]*\s(?:-d|--delimiter)[= ]?\s*['\x22]?[A-Za-z0-9]",
                r"|\bcut\b[^\n|;&]*--(?:characters|bytes)|\bexpr\s+substr\b|\bdd\b[^\n|;&]*\bskip=",
                r"|\bread\b[^\n;|&]*\s-[a-zA-Z]*[nN]|\b(?:mapfile|readarray)\b[^\n;|&]*-d\s*['\x22]?[A-Za-z0-9]",
            ))
            .ok()
        })
        .as_ref()
        .is_none_or(|re| re.is_match(text))
}

/// `tr`, `sed`, `perl` and awk, by what their arguments make them do (see [`cuts`]).
fn cuts_by_its_arguments(text: &str) -> bool {
    super::words::every_command(text).iter().any(|cmd| {
        let args = cmd.args();
        let first = super::programs::command_index(&args);
        let Some(program) = args.get(first) else {
            return false;
        };
        let rest: Vec<&str> = args[first + 1..]
            .iter()
            .map(|w| w.cooked.as_str())
            .collect();
        match super::programs::base(&program.cooked) {
            // `tr -d x` deletes letters; `tr _ -` writes a dash.
            "tr" => {
                let delete = rest.iter().any(|a| a.starts_with('-') && a.contains('d'));
                let sets: Vec<&&str> = rest
                    .iter()
                    .filter(|a| !a.starts_with('-') || a.len() == 1)
                    .collect();
                (delete
                    && sets
                        .first()
                        .is_some_and(|s| s.contains(|c: char| c.is_alphanumeric())))
                    || sets.get(1).is_some_and(|s| tr_set_holds(s, "-+!("))
            }
            "sed" | "gsed" | "perl" => rest
                .iter()
                .filter(|a| !a.starts_with('-'))
                .take(1)
                .any(|script| !sed_only_splits(script)),
            "awk" | "gawk" | "mawk" | "nawk" => rest.iter().any(|a| {
                [
                    "substr", "sub(", "gsub", "sprintf", "printf", "split", "gensub", "index",
                ]
                .iter()
                .any(|m| a.contains(m))
                    || (a.starts_with("-F")
                        && a.len() > 2
                        && a[2..].contains(|c: char| c.is_alphanumeric()))
            }),
            _ => false,
        }
    })
}

/// Whether `tr`'s set `set` holds one of `chars`: `a-z` is a range, not a dash (audit 25
/// FR-5: `tr A-Z a-z` writes no `-`); a dash at either end or escaped is one, and so are the
/// classes that hold punctuation.
fn tr_set_holds(set: &str, chars: &str) -> bool {
    if ["[:punct:]", "[:graph:]", "[:print:]"]
        .iter()
        .any(|class| set.contains(class))
    {
        return true;
    }
    let set: Vec<char> = set.chars().collect();
    let mut i = 0;
    while i < set.len() {
        let c = set[i];
        if c == '\\' {
            // `\-`: a dash; `\n`: a new line; `\055`: a dash in octal.
            let octal: String = set[i + 1..]
                .iter()
                .take(3)
                .take_while(|d| d.is_digit(8))
                .collect();
            let escaped = match u32::from_str_radix(&octal, 8) {
                Ok(n) => char::from_u32(n),
                Err(_) => set.get(i + 1).copied(),
            };
            if escaped.is_some_and(|n| chars.contains(n)) {
                return true;
            }
            i += 1 + octal.len().max(1);
            continue;
        }
        if let (Some('-'), Some(&end)) = (set.get(i + 1), set.get(i + 2)) {
            if chars.chars().any(|x| (c..=end).contains(&x)) {
                return true;
            }
            i += 3;
            continue;
        }
        if chars.contains(c) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether a sed script only replaces separators by white space or removes them (`s/,/ /g`,
/// `s/,/\n/g`, `y/,/ /`): what comes out are the pieces of its input.
fn sed_only_splits(script: &str) -> bool {
    let mut commands = script
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .peekable();
    commands.peek().is_some()
        && commands.all(|c| {
            let mut chars = c.chars();
            let (Some(op @ ('s' | 'y')), Some(d)) = (chars.next(), chars.next()) else {
                return false;
            };
            if d.is_alphanumeric() || d == '\\' {
                return false;
            }
            let parts: Vec<&str> = c[1 + d.len_utf8()..].split(d).collect();
            let (Some(pattern), Some(replacement)) = (parts.first(), parts.get(1)) else {
                return false;
            };
            // (Or a suffix removed, `s/\.example\.com$//`: what is left is the value's
            // start, as checked; audit 25 FR-6.)
            let suffix = op == 's'
                && (pattern.ends_with('$') || pattern.ends_with(".*"))
                && !pattern.starts_with('^')
                && replacement.is_empty();
            suffix
                || (!pattern.is_empty()
                    && pattern
                        .chars()
                        .all(|c| !c.is_alphanumeric() && !"^$.*[]\\".contains(c))
                    && replacement
                        .chars()
                        .all(|c| c == ' ' || c == '\\' || c == 'n' || c == 't'))
        })
}

/// Whether the script runs a program that rewrites text within a line (`cut -d, -f2`, `tr`,
/// `sed`, `awk`, `basename`, `xargs -d,`, a decoder): what comes out of it for a value is a
/// piece of the value, or another text, not what was checked. (Not `head`, `grep`, `sort`:
/// they print whole lines of their input.)
fn rewrites(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?:^|[|;&(`{!\s])(?:cut|tr|sed|gsed|awk|gawk|mawk|nawk|rev|fold|colrm|perl|python3?",
            r"|ruby|node|jq|yq|iconv|basename|dirname|paste|column|envsubst)\b",
            r"|\b(?:head|tail)\s+(?:-[a-zA-Z]*\s+)*-c|\bgrep\b[^\n|;&]*\s(?:-[a-zA-Z]*o|--only-matching)",
            r"|\bprintf\s+(?:-v\s*\S+\s+)?[\x22']?[^%\s\x22']*\$",
        ))
        .ok()
    })
    .as_ref()
    .is_none_or(|re| re.is_match(text))
        || xargs_splits_lines(text)
        || decodes(text)
        || always_cuts(text)
}

/// Whether the script has `xargs` split what it reads at a character other than a new line
/// or a NUL (`xargs -d, systemctl restart`): a piece of a line is a word there.
fn xargs_splits_lines(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    if !text.contains("xargs") {
        return false;
    }
    let Some(re) = RE
        .get_or_init(|| {
            Regex::new(r#"\bxargs\b[^\n;|&]*\s(?:-d|--delimiter)[= ]?\s*['"]?([^'"\s]*)"#).ok()
        })
        .as_ref()
    else {
        return true;
    };
    re.captures_iter(text).any(|c| {
        !matches!(
            c.get(1).map_or("", |m| m.as_str()),
            "\\n" | "\\0" | "\\x00" | "\\000"
        )
    })
}

/// What stands for the environment that `envsubst` writes into a template.
const ENVSUBST: &str = "*envsubst*";

/// The variables of `text` that reach a string another shell parses again, the words of a
/// command or a program's options, and that the script sets other than as literal text
/// (`y=$x`, `y=$(…)`, `read y`, `for y in …`, a function's `$1`): code places first.
pub fn unseen(original: &str) -> Vec<Unseen> {
    // Read twice: as written (the commands inside `$( )` are the script's too: `out=$(ssh h
    // "… $svc")`), and with each `$( )` standing for what it prints (`ssh h "… $(cat f)"`).
    let text = &substitutions(original);
    // (Where every `$( )` prints literal text, `$(date +%F)`, the commands inside it name no
    // variable: the text with them replaced says it all.)
    if !text.contains(SUBSTITUTION) && sets_nothing(text) {
        return Vec::new();
    }
    let mut code: BTreeSet<String> = BTreeSet::new();
    let mut words: BTreeSet<String> = BTreeSet::new();
    let mut options: BTreeSet<String> = BTreeSet::new();
    let mut arithmetic: BTreeSet<String> = BTreeSet::new();
    options.extend(rewritten_operands(original));
    options.extend(transformed_operands(original));
    for t in [original, text.as_str()] {
        let uses = super::uses(t);
        words.extend(uses.words.iter().filter(|n| read_whole(t, n)).cloned());
        code.extend(
            super::reparsed_refs(t)
                .into_iter()
                .filter(|r| !r.starts_with(['^', '-']))
                .chain(uses.words),
        );
        options.extend(uses.options.into_iter().chain(uses.split));
        // Where a name is expected (`printf -v "$n"`, `${!n}`, `[[ -v $n ]]`): a value
        // with a subscript runs it there, as in arithmetic.
        arithmetic.extend(super::arithmetic_names(t).into_iter().chain(uses.names));
    }
    code.extend(code_in_arguments(original));
    let spliced = spliced_into_code(original);
    arithmetic.extend(expanded_in_arithmetic(original));
    // `export GIT_SSH_COMMAND="ssh -i $KEY"`, `EDITOR=$e`: variables a program runs.
    static ASSIGNED: OnceLock<Option<Regex>> = OnceLock::new();
    if let Some(re) = ASSIGNED
        .get_or_init(|| Regex::new(r"\b([A-Z][A-Z0-9_]*)\+?=").ok())
        .as_ref()
    {
        for c in re.captures_iter(original) {
            if let Some(m) = c.get(1)
                && super::runs_as_code(m.as_str())
            {
                code.insert(m.as_str().to_string());
            }
        }
    }
    // Text of unknown origin that a shell runs: `envsubst < t | sh` (or a renderer like it)
    // fills in any variable of the environment.
    if ["envsubst", "expandvars", "$ENV{$1}"]
        .iter()
        .any(|r| original.contains(r))
    {
        code.insert(ENVSUBST.to_string());
    }
    // `… | xargs -I{} sh -c 'echo {}'`, `xargs -a F -I{} ssh -n {} uptime`: what xargs
    // reads (a pipe, a file) goes into a command; no variable carries it there.
    let (xargs_code, xargs_options, xargs_operands) = xargs_places(original);
    if xargs_code {
        code.insert(XARGS.to_string());
    } else if xargs_options || xargs_operands {
        options.insert(XARGS.to_string());
    }
    code.retain(|n| !words.contains(n));
    options.retain(|n| !code.contains(n) && !words.contains(n));
    arithmetic.retain(|n| !code.contains(n));
    let everything = sets_indirectly(original) || sources_a_file(original);
    let mut positional = None;
    // Variables that reach a string parsed again only split into words by a `for` loop,
    // where the script leaves IFS alone: a new line there is a space.
    let mut split_only = None;
    let mut out = Vec::new();
    for (names, place) in [
        (&words, Place::Words),
        (&code, Place::Code),
        (&arithmetic, Place::Arithmetic),
        (&options, Place::Options),
        (&spliced, Place::Spliced),
    ] {
        for name in names {
            let unseen = if is_positional(name) {
                *positional.get_or_insert_with(|| positional_set_otherwise(original))
            } else {
                everything || set_otherwise(text, name)
            };
            if unseen {
                out.push(Unseen {
                    name: name.clone(),
                    place,
                    one_line: !everything
                        && !is_positional(name)
                        && (!FILLED.contains(&name.as_str())
                            && !name.starts_with(VALUE_PREFIX)
                            && super::flow::one_line(text, name).is_some()
                            || place == Place::Code
                                && !original.contains("IFS")
                                && split_only
                                    .get_or_insert_with(|| {
                                        super::nested::reparsed_split_only(original)
                                    })
                                    .contains(name)),
                });
            }
        }
    }
    // What the script rewrites on its way to options or words: any character of a value
    // may start a word there (`ssh -n "$(echo "$v" | sed 's/^v//')"`, `"${1#x}"`).
    if out
        .iter()
        .any(|u| matches!(u.place, Place::Options | Place::Code | Place::Words))
    {
        let rewritten = rewritten_names(original);
        for u in &mut out {
            if matches!(u.place, Place::Options | Place::Code | Place::Words)
                && rewritten.contains(&u.name)
            {
                u.place = Place::Rewritten;
            }
        }
    }
    // The script's own names first (`$pid`, not what stands for `$(…)` in it).
    out.sort_by_key(|u| {
        u.name == SUBSTITUTION || u.name.starts_with('*') || super::nested::is_prompt(&u.name)
    });
    out
}

/// Whether the script certainly sets no variable from anything but literal text, nor uses
/// one bash fills (`$1`, `$REPLY`, `$PWD`, a `$( )`): no command that reads into, assigns
/// indirectly, sources or hands on text, and no assignment of anything but literal text.
/// Then no variable [`unseen`] names can exist: a fast answer for the commonest scripts
/// (`curl -fsS "$API/health"`, `ssh web-1 "restart ${RUNBOOK_VALUE}"`), which lint asks of
/// every step.
fn sets_nothing(text: &str) -> bool {
    static READERS: OnceLock<Option<Regex>> = OnceLock::new();
    static SPECIAL: OnceLock<Option<Regex>> = OnceLock::new();
    static ASSIGNMENT: OnceLock<Option<Regex>> = OnceLock::new();
    if text.contains('`')
        || text.contains("$(")
        || text.contains("()")
        || text.contains("<(")
        || text.contains(VALUE_PREFIX)
        || text.contains("ENV{")
    {
        return false;
    }
    // (`for zone in a b c; do`: literal words, as `zone=a` would be.)
    static LITERAL_FOR: OnceLock<Option<Regex>> = OnceLock::new();
    let text = &match LITERAL_FOR
        .get_or_init(|| {
            Regex::new(r"\bfor\s+[A-Za-z_][A-Za-z0-9_]*\s+in\s[^;\n$`*?\[\]]*[;\n]").ok()
        })
        .as_ref()
    {
        Some(re) => re.replace_all(text, ";"),
        None => return false,
    };
    let found = |cell: &'static OnceLock<Option<Regex>>, pattern: &str| {
        cell.get_or_init(|| Regex::new(pattern).ok())
            .as_ref()
            .is_none_or(|re| re.is_match(text))
    };
    // Positional and special parameters, and the variables bash fills by itself.
    if found(
        &SPECIAL,
        r"\$\{?(?:[0-9@*#!_]|REPLY\b|MAPFILE\b|OPTARG\b|BASH_|COPROC\b|READLINE_|PWD\b|OLDPWD\b|DIRSTACK\b)",
    ) || found(
        &READERS,
        concat!(
            r"\b(?:read|mapfile|readarray|for|select|getopts|declare|typeset|local|let|eval",
            r"|source|coproc|xargs|parallel|envsubst|expandvars|alias|trap|function)\b",
            r"|\bprintf\s+-v|\bwait\s+-[a-z]*p|(?:^|[;&|({]\s*|\s)\.\s",
        ),
    ) {
        return false;
    }
    // `x=$y`, `x="pre-$y"`, `files=(*)`: a copy or a glob (literal `x=5` sets nothing).
    let Some(assignment) = ASSIGNMENT
        .get_or_init(|| {
            Regex::new(r"(?m)(?:^|[\s;&|({])[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]\n]*\])?\+?=([^\n]*)")
                .ok()
        })
        .as_ref()
    else {
        return false;
    };
    !assignment.captures_iter(text).any(|c| {
        c.get(1)
            .is_some_and(|v| v.as_str().contains(['$', '*', '?', '[']))
    })
}

/// `$1`, `$@`, `$*`, `$0`: the parameters of a function or an inner script.
fn is_positional(name: &str) -> bool {
    matches!(name, "@" | "*") || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
}

/// Programs that set the positional parameters of the script they run (or of the shell):
/// the shells, `set --`, and those that hand words they read to a command.
const POSITIONAL_SETTERS: &[&str] = &[
    "set", "sh", "bash", "dash", "zsh", "ksh", "mksh", "busybox", "xargs", "parallel", "find",
    "source", ".", "exec", "watch", "flock",
];

/// Whether the positional parameters may hold anything but literal text: a call of one of
/// the script's functions, `set --`, or a shell's `-c` script given a word that expands
/// something (`restart "$svc"`, `bash -c '…' _ "$x"`); words handed on by `xargs`,
/// `parallel` or `find -exec`; a command named by an expansion (`"${table[k]}" "$x"`).
fn positional_set_otherwise(text: &str) -> bool {
    let Some(list) = super::words::commands(text, 0..text.len()) else {
        return true;
    };
    // A call of one of the script's functions, also inside a string another shell runs
    // (`ssh h "$(declare -f rs); rs ${svc@Q}"`): any mention of its name followed, before
    // the command ends, by an expansion.
    for f in super::flow::functions(text) {
        let mut from = 0;
        while let Some(i) = text[from..].find(f.as_str()).map(|n| from + n) {
            from = i + f.len();
            let b = text.as_bytes();
            if i.checked_sub(1)
                .is_some_and(|k| is_name_byte(b[k]) || b[k] == b'-')
                || b.get(from).is_some_and(|&c| is_name_byte(c) || c == b'-')
            {
                continue;
            }
            let rest = &text[from..];
            // (Not its definition: `rs() {`, `function rs {`.)
            if rest.trim_start().starts_with('(') || text[..i].trim_end().ends_with("function") {
                continue;
            }
            // (Up to a redirection too: `retry eval "…" > "$OUT/f"` gives no `$OUT`.)
            let end = rest
                .find(['\n', ';', '|', '&', ')', '>', '<'])
                .unwrap_or(rest.len());
            if rest[..end].contains(['$', '`']) {
                return true;
            }
        }
    }
    let mut stack = vec![list];
    while let Some(list) = stack.pop() {
        for cmd in &list {
            for w in &cmd.words {
                for e in &w.expansions {
                    if let Some(inner) = e.inner.clone()
                        && let Some(l) = super::words::commands(text, inner)
                    {
                        stack.push(l);
                    }
                }
            }
            let args = cmd.args();
            let first = super::programs::command_index(&args);
            let Some(program) = args.get(first) else {
                continue;
            };
            // (`sh -c '"$@"' sh …`: the script in single quotes expands nothing here.)
            // (`set -- *`: the names of files, which a value may have made.)
            let literal = |w: &&super::words::Word| {
                w.expansions.is_empty() && (w.quoted || !w.cooked.contains(['*', '?', '[']))
            };
            // The words a setter gives: after a function's name or `set`; after the script
            // of a shell's `-c` (`bash -c '…' _ "$x"`) or its script file.
            let given = |k: usize| -> usize {
                let name = args[k].cooked.rsplit('/').next().unwrap_or("");
                if !super::programs::SHELLS.contains(&name) {
                    return k + 1;
                }
                let mut j = k + 1;
                while let Some(w) = args.get(j).filter(|w| w.cooked.starts_with('-')) {
                    j += 1;
                    if w.cooked.len() > 1 && !w.cooked.starts_with("--") && w.cooked.contains('c') {
                        break;
                    }
                }
                j + 1
            };
            let setter = |k: usize| {
                let name = args[k].cooked.rsplit('/').next().unwrap_or("");
                // (Builtins only where a command starts: `kubectl exec … -- "$@"` is
                // kubectl's `exec`.)
                POSITIONAL_SETTERS.contains(&name)
                    && (k == first || !matches!(name, "exec" | "set" | "source" | "."))
            };
            let callback = matches!(program.cooked.as_str(), "mapfile" | "readarray")
                && args[first..].iter().any(|w| w.cooked.starts_with("-C"));
            let hands_on = callback
                || args[first..].iter().any(|w| {
                    matches!(w.cooked.rsplit('/').next(), Some("xargs" | "parallel"))
                        || w.cooked == "-exec"
                        || w.cooked == "-execdir"
                });
            if hands_on
                || (!program.expansions.is_empty() && args.len() > first + 1)
                || (first..args.len())
                    .filter(|&k| setter(k))
                    .any(|k| !args.get(given(k)..).unwrap_or_default().iter().all(literal))
            {
                return true;
            }
        }
    }
    false
}

/// Programs whose output a value cannot be in, given only literal words: a command
/// substitution of one (`ts=$(date +%F)`) is literal text.
const LITERAL_OUTPUT: &[&str] = &[
    "date", "hostname", "whoami", "id", "uname", "nproc", "pgrep", "pidof", "mktemp", "seq",
    "uuidgen", "getconf", "arch", "logname", "printf", "echo", "declare", "typeset",
];

/// What a command substitution stands for, for the floor: `$(date +%F)` is literal text;
/// `$(pwd)` is `$PWD`; any other (`$(readlink current)`, `$(git config user.name)`,
/// `$(cat f)`) may print a value the script stored, so it is a variable bash fills.
fn substitutions(text: &str) -> String {
    super::flow::replace_substitutions(text, |inner| {
        let inner = inner.trim();
        let first = inner.split_whitespace().next().unwrap_or("");
        // (`$(printf %q "$x")` quotes a value for the next shell: the rules above read it
        // as it is.)
        if ["printf %q ", "printf '%q' ", "printf \"%q\" "]
            .iter()
            .any(|p| inner.starts_with(p))
        {
            return None;
        }
        Some(if matches!(inner, "pwd" | "pwd -P" | "pwd -L") {
            "${PWD}".to_string()
        } else if (LITERAL_OUTPUT.contains(&first)
            && !inner.contains(['$', '`', '<', '>', '|', ';', '&']))
            // `$(pgrep -f "$x" || true)`, `$(grep -c "$x" f)`, `$(… | wc -l)`: only numbers,
            // whatever the value (audit 40 A40-11).
            || super::words::commands(inner, 0..inner.len())
                .is_some_and(|l| super::programs::prints_only_numbers(&l))
        {
            "SUBSTITUTED".to_string()
        } else {
            format!("${{{SUBSTITUTION}}}")
        })
    })
}

/// Whether `read` or `mapfile` sets `name` from a whole line (`read -r h`, not `read -ra
/// h` or `read a b`, which split it).
fn read_whole(text: &str, name: &str) -> bool {
    if !crate::values::is_identifier(name) {
        return false;
    }
    let Ok(re) = Regex::new(&format!(
        r"\b(?:read|mapfile|readarray)\b([^\n;|&]*?)\b{name}\b"
    )) else {
        return true;
    };
    re.captures_iter(text).any(|c| {
        let between = c.get(1).map_or("", |m| m.as_str());
        !between.contains("-a")
            && !between.contains("-ra")
            && between
                .split_whitespace()
                .all(|w| w.starts_with('-') || w.starts_with(['\'', '"']))
    })
}

/// Whether the script may set variables it does not name (`printf -v "$1"`, `read "$n"`,
/// `declare "$n=…"`, `local -n`, `eval "x=…"`). (What a file the script sources sets is
/// either written in the script's text, where it is read like the rest, or not the value's.)
fn sets_indirectly(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r#"\b(?:printf\s+(?:-\S+\s+)*-v\s*|declare\s+(?:-\S+\s+)*|local\s+(?:-\S+\s+)*|typeset\s+(?:-\S+\s+)*|export\s+(?:-\S+\s+)*|readonly\s+(?:-\S+\s+)*)["']?\w*\$"#,
            r#"|\b(?:read|mapfile|readarray)\b[^\n;|&<]*\s["']?\w*\$[\w{]"#,
            r"|\b(?:declare|local|typeset)\s+-[a-zA-Z]*n",
            r"|\beval\b[^\n;|&]*=",
        ))
        .ok()
    })
    .as_ref()
    .is_none_or(|re| re.is_match(text))
}

/// Whether the script sources a file that it does not write itself (`. ./defaults.sh`,
/// whose `service=${SVC:-nginx}` copies a value of the environment; not `. /dev/stdin
/// <<EOF` or `source <(…)`, whose text is the script's, nor a file the script writes).
fn sources_a_file(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?:^|[;&|({]|\n|\bthen|\bdo|\belse)\s*(?:source|\.)\s+["']?([^\s;&|)"']+)"#)
            .ok()
    })
    .as_ref()
    .is_none_or(|re| {
        re.captures_iter(text).any(|c| {
            let file = c.get(1).map_or("", |m| m.as_str());
            let written = text.match_indices(file).any(|(at, _)| {
                let before = text[..at].trim_end_matches(['"', '\'', ' ']);
                before.ends_with('>') || before.ends_with("tee") || before.ends_with("-a")
            });
            !(super::nested::stdin_file(file) || file.starts_with("<(") || written)
        })
    })
}

/// Whether `name` is set anywhere in `text` other than as `name=literal` (or is one that
/// bash or a call sets: `$1`, `$@`, `$REPLY`, …).
fn set_otherwise(text: &str, name: &str) -> bool {
    set_otherwise_at(text, name, 0)
}

/// [`set_otherwise`], `depth` lists of `for` loops deep (`for h in $HOSTS` with `HOSTS="web-1
/// web-2"`: each word of literal text; past a few, unknown).
fn set_otherwise_at(text: &str, name: &str, depth: usize) -> bool {
    // `$RUNBOOK_VALUE_1`: the variable that carries a step's value into its script.
    if name == super::nested::ANY || FILLED.contains(&name) || name.starts_with(VALUE_PREFIX) {
        return true;
    }
    if name.is_empty() || !name.bytes().all(is_name_byte) {
        return true;
    }
    let b = text.as_bytes();
    // (`$name`, `${name…}`, `${#name}`, `${!name}` are expanded, not set, unless `${name:=…}`.)
    for mention in super::flow::mentions(text, name) {
        let Some((i, from)) = mention else {
            return true;
        };
        let before = i.checked_sub(1).map(|k| b[k]);
        let after = b.get(from).copied();
        // `name=…`, `name+=…`, `name[k]=…`: literal text or not.
        let mut k = from;
        if after == Some(b'[')
            && let Some(close) = text[k..].find(']')
        {
            k += close + 1;
        }
        if text[k..].starts_with("+=") {
            k += 1;
        }
        if text[k..].starts_with('=') && !text[k..].starts_with("==") {
            let end = super::flow::word_end(text, k + 1).max(k + 1);
            let value = &text[k + 1..end];
            // (`files=(*)`: the names of files, which a value may have made.)
            if value.contains(['$', '`', '*', '?']) || value.contains("<(") || value.contains("[") {
                return true;
            }
            continue;
        }
        // `for svc in nginx php-fpm; do`: literal words.
        if text[..i].trim_end().ends_with("for")
            && let Some(list) = text[from..].trim_start().strip_prefix("in ")
        {
            let list = &list[..list.find([';', '\n']).unwrap_or(list.len())];
            if !list.contains(['$', '`', '*', '?', '[', '(']) {
                continue;
            }
            // `for h in $HOSTS`: the words of variables that are literal text themselves, or
            // come from the environment, whose values are checked where they go (audit 19
            // found a reason refused for `--force` in it, beside such a loop).
            if depth < 4 && !list.contains(['`', '*', '?', '[', '(']) {
                let refs = super::flow::referenced(list);
                let plain_refs = list.matches('$').count() == refs.len()
                    && refs.iter().all(|r| {
                        list.contains(&format!("${r}")) || list.contains(&format!("${{{r}}}"))
                    });
                if plain_refs
                    && refs
                        .iter()
                        .all(|r| r != name && !set_otherwise_at(text, r, depth + 1))
                {
                    continue;
                }
            }
            return true;
        }
        // A word of its own: what `read`, `for`, `printf -v`, `mapfile`, `getopts` and
        // `wait -p` set (and any other mention: a refusal costs less than a guess).
        // (Not `'^(PS4|NAME)'`, a pattern's alternatives.)
        let starts = before.is_none_or(|c| c.is_ascii_whitespace() || b";'\"".contains(&c));
        let ends = after.is_none_or(|c| c.is_ascii_whitespace() || b";)<>'\"".contains(&c));
        if starts && ends && !super::flow::declared_only(text, i) {
            return true;
        }
    }
    false
}

/// Every place, in the order messages name them.
pub const ALL_PLACES: [Place; 6] = [
    Place::Code,
    Place::Words,
    Place::Arithmetic,
    Place::Options,
    Place::Spliced,
    Place::Rewritten,
];

/// Whether `value` is inert in `place` (`ifs`: the characters the script splits words at).
pub fn inert(place: Place, value: &str, ifs: Option<&str>) -> bool {
    match place {
        // (A piece of a plain word may start an option where a filter cuts it out: `ssh -n
        // $(echo "$h" | cut -d, -f2)` with `web-1,-oProxyCommand=…`, audit 22 HOLE-C.)
        Place::Code => inert_for_code(value, ifs) && inert_for_options(value, ifs),
        Place::Words => inert_for_words(value),
        Place::Arithmetic => inert_for_arithmetic(value),
        Place::Options => inert_for_options(value, ifs),
        Place::Spliced => inert_for_spliced(value),
        Place::Rewritten => inert_for_rewriting(value, ifs),
    }
}

/// A value that no cut or rewrite of its characters makes an option or code of: plain
/// words without `-`, `+`, `!` or `(` (see [`Place::Rewritten`]).
pub fn inert_for_rewriting(value: &str, ifs: Option<&str>) -> bool {
    inert_for_code(value, ifs) && !value.contains(['-', '+', '!', '('])
}

/// A value that ends no piece of sed's or awk's code: letters, digits, spaces and `_ . : @
/// + = % -` on one line (no `/`, `,` or `|`, which end a sed command, no quote or `\`).
pub fn inert_for_spliced(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || " _.:@+=%-".contains(c))
}

/// The first variable of `found` (from [`unseen`]) for which the floor refuses `value`:
/// one where it is not inert, or any where the script decodes text ([`decodes`]).
pub fn refused_by<'a>(
    found: &'a [Unseen],
    value: &str,
    ifs: Option<&str>,
    decoded: bool,
) -> Option<&'a Unseen> {
    if value.is_empty() {
        return None;
    }
    found.iter().find(|u| {
        decoded
            || if u.one_line && u.place == Place::Code {
                let line = value.replace('\n', " ");
                !(inert_for_code(&line, ifs) && inert_for_options(&line, ifs))
            } else {
                !inert(u.place, value, ifs)
            }
    })
}

/// A value that no shell can make code of: words (split at spaces, tabs and the
/// characters of `ifs`) of letters, digits and `_ . / : @ , + = % -`, none starting with
/// `-`. (A new line ends a command in a string another shell parses: `nginx⏎touch x` is
/// plain words and code.)
pub fn inert_for_code(value: &str, ifs: Option<&str>) -> bool {
    !value.contains(['\n', '\r'])
        && value
            .split(|c: char| c == ' ' || c == '\t' || ifs.is_some_and(|s| s.contains(c)))
            .filter(|p| !p.is_empty())
            .all(super::quote::is_plain_word)
}

/// A value none of whose pieces starts an option: split at white space, at the characters
/// of `ifs` and at those a script splits lists on (`tr , '\n'`, `user@host`, `k=v`), no
/// piece but `-` and `--` starts with `-`.
pub fn inert_for_options(value: &str, ifs: Option<&str>) -> bool {
    // (Split at any character a script may cut a list or a name at: `cut -d. -f2`,
    // `tr + '\n'`, `${h#*@}`.)
    value
        .split(|c: char| !(c.is_alphanumeric() || c == '-') || ifs.is_some_and(|s| s.contains(c)))
        .all(|p| !p.starts_with('-') || p == "-" || p == "--")
}

/// A value that shell arithmetic cannot run: without `[` it holds no subscript, where
/// bash expands `$( )`.
/// A value each of whose lines is one plain word (see [`Place::Words`]).
pub fn inert_for_words(value: &str) -> bool {
    value
        .lines()
        .all(|l| l.is_empty() || super::quote::is_plain_word(l))
}

pub fn inert_for_arithmetic(value: &str) -> bool {
    !value.contains('[')
}

/// Whether the script decodes or translates text (`base64 -d`, `xxd -r`, `printf %b`, `echo
/// -e`, `tr` into shell characters): a value of plain words may come out of it as code, so
/// no value is exempt from the floor there.
pub fn decodes(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"\b(?:base64|basenc|base32)\b[^\n;|&]*\s(?:-d|-D|--decode)\b",
            r"|\bxxd\b[^\n;|&]*\s-r",
            r"|\bopenssl\b[^\n;|&]*\s-d\b|\buudecode\b|\brecode\b|\biconv\b",
            r"|\bprintf\s+['\x22]?%b|\becho\s+-[a-zA-Z]*e",
            r"|\b(?:gunzip|zcat|bunzip2|xzcat|unxz)\b|\b(?:gzip|bzip2|xz|zstd)\b[^\n;|&]*\s-d",
        ))
        .ok()
    })
    .as_ref()
    .is_none_or(|re| re.is_match(text))
        || translates_into_code(text)
}

/// Characters a shell reads as syntax, which a filter may write where a value had plain
/// word characters (`tr , ';'` makes `123,reboot` into two commands).
const SHELL_CHARS: [char; 11] = [';', '$', '`', '<', '>', '(', ')', '{', '}', '|', '&'];

/// Whether the script's own text turns characters into ones a shell reads, at any depth of
/// `$( )` and process substitutions: `tr a ';'`, `sed 's/,/;/g'`, `sed 'y/,/|/'`, awk or
/// perl writing a literal `;` (`awk '{print $1";"$2}'`, `-v OFS=';'`), `paste -d';'`, a
/// printf format holding one (`printf '%s;' $pids`). A value of plain words comes out of
/// them as code (audit 19 HOLE-5).
fn translates_into_code(text: &str) -> bool {
    // `${h//_/-}`: an expansion that writes a dash or a shell character (audit 24 OPT-E).
    if text.contains("${")
        && super::flow::expansions_with_operators(text).any(|(_, after)| {
            let body = after.split('}').next().unwrap_or("");
            body.starts_with('/')
                && body
                    .trim_start_matches(['/', '#', '%'])
                    .split_once('/')
                    .is_some_and(|(_, r)| {
                        r.contains(['-', '+', '!', '(']) || r.contains(SHELL_CHARS)
                    })
        })
    {
        return true;
    }
    static NAMES: OnceLock<Option<Regex>> = OnceLock::new();
    if !NAMES
        .get_or_init(|| {
            Regex::new(
                r"\b(?:tr|sed|gsed|awk|gawk|mawk|nawk|perl|paste|printf|python3?|ruby|node|jq|yq)\b",
            )
            .ok()
        })
        .as_ref()
        .is_none_or(|re| re.is_match(text))
    {
        return false;
    }
    super::words::every_command(text).iter().any(|cmd| {
        let args = cmd.args();
        let first = super::programs::command_index(&args);
        let Some(program) = args.get(first) else {
            return false;
        };
        let rest = &args[first + 1..];
        match super::programs::base(&program.cooked) {
            "tr" => rest.iter().any(|w| {
                w.cooked.contains(SHELL_CHARS)
                    // `tr _ -`: into the dash that starts an option.
                    || w.cooked == "-"
                    || (w.cooked.ends_with('-') && !w.cooked.starts_with('-'))
            }),
            "sed" | "gsed" => rest.iter().any(|w| sed_writes_shell_chars(&w.cooked)),
            // Code that replaces or decodes text (`.replace("_", "-")`, `unquote`, jq's
            // `sub`), and awk's `-v`, whose value's `\x2d` is a dash (audit 25 HOLE-L).
            name if (name.starts_with("python")
                || matches!(name, "ruby" | "node" | "jq" | "yq"))
                && rest.iter().any(|w| {
                    [
                        "replace",
                        "sub(",
                        "gsub",
                        "unquote",
                        "unescape",
                        "decode",
                        "fromhex",
                        "translate",
                        "chr(",
                        "tr(",
                        "\\x",
                        "\\u",
                        "ascii_downcase",
                        "ascii_upcase",
                        "implode",
                        "@base64d",
                        "@uri",
                    ]
                    .iter()
                    .any(|m| w.cooked.contains(m))
                }) =>
            {
                true
            }
            "awk" | "gawk" | "mawk" | "nawk"
                if rest.windows(2).any(|p| {
                    p[0].cooked == "-v" && p[1].cooked.contains('=') && !p[1].expansions.is_empty()
                }) =>
            {
                true
            }
            "awk" | "gawk" | "mawk" | "nawk" | "perl" => rest.iter().any(|w| {
                let code = w.cooked.as_str();
                ["OFS=", "ORS="]
                    .iter()
                    .any(|v| code.starts_with(v) && code.contains(SHELL_CHARS))
                    || string_literals(code).any(|l| {
                        l.contains(SHELL_CHARS)
                            // (`gsub(/_/, "-")` writes a dash: audit 25 HOLE-L.)
                            || (code.contains("sub(") && l.contains(['-', '+', '!']))
                    })
                    || (program.cooked.ends_with("perl") && sed_writes_shell_chars(code))
            }),
            "paste" => rest.iter().enumerate().any(|(k, w)| {
                let d = w.cooked.as_str();
                (d.starts_with("-d") || d.starts_with("-sd") || d.starts_with("--delimiters"))
                    && (d.contains(SHELL_CHARS)
                        || rest
                            .get(k + 1)
                            .is_some_and(|n| n.cooked.contains(SHELL_CHARS)))
            }),
            "printf" => rest
                .iter()
                .find(|w| !w.cooked.starts_with('-'))
                .is_some_and(|f| f.cooked.contains(SHELL_CHARS) && f.cooked.contains('%')),
            _ => false,
        }
    })
}

/// Whether a sed script (or perl code) has an `s` or `y` command whose replacement holds a
/// character a shell reads: `s/,/;/g`, `s|x|$(y)|`, `y/,/;/`.
fn sed_writes_shell_chars(script: &str) -> bool {
    let bytes = script.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        let starts = matches!(bytes[i], b's' | b'y')
            && (i == 0 || !is_name_byte(bytes[i - 1]))
            && !bytes[i + 1].is_ascii_alphanumeric()
            && !matches!(bytes[i + 1], b' ' | b'\t' | b'\n' | b'\\' | b'_');
        if !starts {
            i += 1;
            continue;
        }
        let delimiter = bytes[i + 1];
        // The pattern, then the replacement, each up to an unescaped delimiter.
        let mut parts = Vec::new();
        let mut k = i + 2;
        let mut from = k;
        while k < bytes.len() && parts.len() < 2 {
            if bytes[k] == b'\\' {
                k += 2;
                continue;
            }
            if bytes[k] == delimiter {
                parts.push(&script[from..k]);
                from = k + 1;
            }
            k += 1;
        }
        // (Also a dash or another character that starts an option: `s/_/-/`, audit 25
        // HOLE-L.)
        if parts.len() == 2
            && (parts[1].contains(SHELL_CHARS) || parts[1].contains(['-', '+', '!']))
        {
            return true;
        }
        i += 1;
    }
    false
}

/// The string literals of awk or perl code: what is between double quotes (and single
/// quotes, perl's).
fn string_literals(code: &str) -> impl Iterator<Item = &str> {
    code.split('"')
        .skip(1)
        .step_by(2)
        .chain(code.split('\'').skip(1).step_by(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Audit 19: a loop over a variable of literal words (or one from the environment,
    /// whose value is checked where it goes) sets its variable from literal text; over one
    /// the script computes, otherwise.
    /// Audit 20/21: a copy in the command an option names, also quoted whole, kept in an
    /// array or a variable spread into the command, or zip's `-TT`.
    #[test]
    fn copies_in_commands_that_options_name_are_code() {
        for script in [
            "tar -cf a.tar --checkpoint=1 \"--checkpoint-action=exec=echo $K\" f",
            "a=\"--checkpoint-action=exec=echo $K\"; tar -cf a.tar \"$a\" f",
            "o=(-I \"gzip $K\"); tar -cf a.tgz \"${o[@]}\" f",
            "zip -q z.zip f -T -TT \"echo $K #\"",
        ] {
            assert!(code_in_arguments(script).contains("K"), "{script}");
        }
        assert!(code_in_arguments("o=(-czf); tar \"${o[@]}\" \"$K\"").is_empty());
    }

    #[test]
    fn a_loop_over_literal_words_in_a_variable_sets_nothing_unseen() {
        let literal = "HOSTS=\"web-1 web-2\"\nfor h in $HOSTS; do ssh -n \"$h\" uptime; done";
        assert!(!set_otherwise(literal, "h"));
        assert!(!set_otherwise(
            "for h in ${FROM_ENV}; do ssh -n \"$h\" uptime; done",
            "h"
        ));
        for computed in [
            "HOSTS=$(cat hosts)\nfor h in $HOSTS; do ssh -n \"$h\" uptime; done",
            "read -r HOSTS\nfor h in $HOSTS; do ssh -n \"$h\" uptime; done",
            "for h in $h; do ssh -n \"$h\" uptime; done",
            "for h in ${HOSTS:-x}; do ssh -n \"$h\" uptime; done",
        ] {
            assert!(set_otherwise(computed, "h"), "{computed}");
        }
    }

    fn names(text: &str) -> Vec<(String, bool)> {
        unseen(text)
            .into_iter()
            .map(|u| (u.name, matches!(u.place, Place::Code | Place::Words)))
            .collect()
    }

    #[test]
    fn variables_set_from_anything_but_literal_text_are_named() {
        // Twelve audits' worth of ways, none followed: each is named.
        for (script, name) in [
            ("svc=$(echo \"$x\")\nssh web-1 \"restart $svc\"", "svc"),
            (
                "read -r -d '' cmd <<EOF\nrestart $svc\nEOF\nssh web-1 \"$cmd\"",
                "cmd",
            ),
            ("cfg[s]=\"$a\"\nssh web-1 \"restart ${cfg[s]}\"", "cfg"),
            ("rs() { ssh web-1 \"restart $1\"; }\nrs \"$svc\"", "1"),
            (
                "rs() { sh -c \"restart $1\"; }\nssh web-1 \"$(declare -f rs); rs ${svc@Q}\"",
                "1",
            ),
            (
                "rs() { ssh web-1 \"restart $1\"; }\nfind . -exec bash -c 'rs x' _ {} \\;",
                "1",
            ),
            ("f() { local -n r=$1; ssh web-1 \"restart $r\"; }", "r"),
            (
                "get() { printf -v \"$1\" %s \"$2\"; }\nssh web-1 \"restart $svc\"",
                "svc",
            ),
            ("while read -r -u3 s; do eval \"echo $s\"; done", "s"),
            ("svc=${x:-y}\neval \"echo $svc\"", "svc"),
            ("eval \"last=\\${$#}\"; ssh web-1 \"restart $last\"", "last"),
            ("SSH=ssh\n$SSH web-1 \"restart $svc\"\nsvc=$(cat f)", "svc"),
            (": ${svc:=$x}\neval \"echo $svc\"", "svc"),
            ("files=(*)\nssh web-1 \"ls ${files[0]}\"", "files"),
            ("set -- *\nssh web-1 \"ls $1\"", "1"),
            (
                "cb() { eval \"$2\"; }\nmapfile -t -C cb -c 1 a <<< \"$x\"",
                "2",
            ),
            (". ./defaults.sh\nssh web-1 \"restart $service\"", "service"),
            (
                "rs() { ssh web-1 \"restart $1\"; }\nout=$(rs \"$svc\")",
                "1",
            ),
            (
                "name=svc\nread -r -d '' \"$name\" <<< \"$x\"\nssh web-1 \"restart $svc\"",
                "svc",
            ),
            ("k=$(cat f)\ntar -xf a.tar --to-command=\"echo $k\"", "k"),
            ("f=$(cat f)\nscp \"web-1:/var/log/$f\" .", "f"),
            ("svc=$(cat f)\nsh < <(echo \"echo $svc\")", "svc"),
            (
                "echo \"$hosts\" | while read -r h; do ssh -n $h uptime; done",
                "h",
            ),
            ("envsubst < t | sh", ENVSUBST),
            (
                "export GIT_SSH_COMMAND=\"ssh -i $KEY\"\ngit fetch",
                "GIT_SSH_COMMAND",
            ),
            ("printf '%s\\n' \"$x\" | xargs -I{} sh -c 'echo {}'", XARGS),
            (
                "ln -sfn \"/srv/$x\" cur\nssh web-1 \"echo $(readlink cur)\"",
                "RUNBOOK_SUBSTITUTION",
            ),
            ("cd \"/tmp/$x\"\nssh web-1 \"ls $PWD\"", "PWD"),
            ("cd \"/tmp/$x\"\nssh web-1 \"ls $(pwd)\"", "PWD"),
        ] {
            assert!(
                names(script).iter().any(|(n, code)| n == name && *code),
                "{script}: {:?}",
                names(script)
            );
        }
        // In arithmetic, expanded first.
        for (script, name) in [
            ("check() { [[ $1 -gt 1 ]] && echo big; }\ncheck \"$x\"", "1"),
            ("f() { (( $1 > 3 )); }\nf \"$x\"", "1"),
            ("n=$(cat f)\nlet \"m = n + 1\"", "n"),
        ] {
            assert!(
                unseen(script)
                    .iter()
                    .any(|u| u.name == name && matches!(u.place, Place::Arithmetic | Place::Code)),
                "{script}: {:?}",
                unseen(script)
            );
        }
        // Where options are read.
        assert!(
            names("xargs -a hosts.txt -I{} ssh -n {} uptime").contains(&(XARGS.to_string(), false))
        );
        assert!(
            names("for h in $(cat hosts); do ssh -n \"$h\" uptime; done")
                .contains(&("h".to_string(), false))
        );
    }

    /// The fast answer for the commonest scripts, which lint asks of every step (without it
    /// lint took a third longer): taken where nothing is set but literal text.
    #[test]
    fn common_scripts_set_nothing() {
        for script in [
            "kubectl -n \"$NAMESPACE\" delete pod \"${RUNBOOK_VALUE}\" --wait=false",
            "set -euo pipefail\ncurl -fsS \"$API/health\" | grep -q ok",
            "for z in a b c; do dig +short \"$z.${RUNBOOK_VALUE}\"; done",
            "export KUBECONFIG=/etc/k.conf\nkubectl get pods",
        ] {
            assert!(sets_nothing(script), "{script}");
        }
        assert!(sets_nothing(&substitutions(
            "echo \"at $(date -u +%H:%M)\""
        )));
        for script in [
            "x=${RUNBOOK_VALUE}\nssh h \"echo $x\"",
            "for h in $HOSTS; do ssh $h uptime; done",
            "read -r h\nssh $h uptime",
            "f() { ssh h \"$1\"; }",
            "ssh h \"echo $REPLY\"",
            "wait -p pid",
        ] {
            assert!(!sets_nothing(script), "{script}");
        }
    }

    #[test]
    fn literal_text_and_the_environment_are_not_named() {
        for script in [
            "svc=nginx\nssh web-1 \"sudo systemctl restart $svc\"",
            "CMD='systemctl status'\nssh web-1 \"$CMD\"",
            "ssh web-1 \"ls $HOME\"",
            "local svc\nsvc=nginx\neval \"echo $svc\"",
            "x=\"{{ v }}\"\necho \"$x\"\nssh web-1 uptime",
            "retry() { \"$@\"; }\nretry eval \"echo RUNBOOK_VALUE\" > \"$OUT/f\"",
            "rs() { ssh web-1 \"restart $1\"; }\nrs nginx",
            "function rs { ssh web-1 \"restart $1\"; }\nrs nginx",
            "env | grep -E '^(PS4|NAME)' || true",
            "for svc in nginx php-fpm; do ssh web-1 \"restart $svc\"; done",
            "ts=$(date +%Y%m%d)\nssh web-1 \"mkdir -p /backup/$ts $(hostname)\"",
            "cat > d.sh <<'E'\nx=1\nE\n. d.sh\nssh web-1 \"restart $svc\"",
            "ssh() { sh -c \"$2\"; }\nssh h \"echo 'X=V' | tr '|' x\" >> \"$RUNBOOK_ENV\"",
            // kubectl's `exec` sets no positional parameters (an audit found free text
            // refused in such a helper's string).
            "k() { kubectl -n prod exec deploy/api -- \"$@\"; }\nk sh -c \"echo RUNBOOK_QUOTED_VALUE\"",
        ] {
            assert!(names(script).is_empty(), "{script}: {:?}", names(script));
        }
    }

    /// Which variables never hold a new line, so that a list on several lines is plain
    /// words there (an audit found every captured list refused).
    #[test]
    fn variables_read_by_lines_or_split_by_for_hold_no_new_line() {
        let one_line = |text: &str, name: &str| {
            unseen(text)
                .iter()
                .find(|u| u.name == name)
                .map(|u| u.one_line)
        };
        let v = PROBE_VALUE;
        for (text, name, expected) in [
            (
                format!("pids=\"{v}\"; for p in $pids; do ssh h \"kill $p\"; done"),
                "p",
                true,
            ),
            (
                format!("pids=\"{v}\"; for p in $pids; do ssh h \"kill $p\"; done"),
                "pids",
                true,
            ),
            (
                format!("while read -r p; do ssh -n h \"kill $p\"; done <<< \"{v}\""),
                "p",
                true,
            ),
            // (Joined by `${ps[*]}`, the elements are the value's lines again.)
            (
                format!("mapfile -t ps <<< \"{v}\"; ssh h \"kill ${{ps[*]}}\""),
                "ps",
                false,
            ),
            // An array whose one element is the whole value; IFS set anywhere.
            (
                format!("ps=( {v} ); ssh h \"kill ${{ps[0]}}\""),
                "ps",
                false,
            ),
            (
                format!("IFS=$'\\n'; while read -r p; do ssh h \"kill $p\"; done <<< \"{v}\""),
                "p",
                false,
            ),
            (format!("x=\"{v}\"; ssh h \"kill $x\""), "x", false),
            (
                format!("read -r -d '' p <<< \"{v}\"; ssh h \"kill $p\""),
                "p",
                false,
            ),
            (
                format!("mapfile ps <<< \"{v}\"; ssh h \"kill ${{ps[*]}}\""),
                "ps",
                false,
            ),
            (
                format!("IFS=,; pids=\"{v}\"; for p in $pids; do ssh h \"kill $p\"; done"),
                "p",
                false,
            ),
            (
                format!("for p in \"{v}\"; do ssh h \"kill $p\"; done"),
                "p",
                false,
            ),
            (
                format!("while read -r p; do ssh h \"kill $p\"; done <<< \"{v}\"; p=$(cat f)"),
                "p",
                false,
            ),
        ] {
            // (A variable the floor does not name at all is no way through it either.)
            assert_eq!(one_line(&text, name).unwrap_or(false), expected, "{text}");
        }
        // Where it holds none, a list on two lines is plain words.
        let found = unseen(&format!(
            "while read -r p; do ssh -n h \"kill $p\"; done <<< \"{v}\""
        ));
        assert!(refused_by(&found, "123\n456", None, false).is_none());
        assert!(refused_by(&found, "123\n4;56", None, false).is_some());
        let found = unseen(&format!("x=\"{v}\"; ssh h \"kill $x\""));
        assert!(refused_by(&found, "123\n456", None, false).is_some());
    }

    /// What follows the `=` of an assignment is its value, not a name: `$PATH` there is no
    /// variable expanded where a name is expected (an audit found RB037 say "`$PATH` is used
    /// in shell arithmetic").
    #[test]
    fn the_value_of_an_assignment_is_no_name() {
        for text in [
            format!("export PATH={PROBE_VALUE}/bin:$PATH\ntoolbox status"),
            format!("local dir={PROBE_VALUE}/x:$HOME\nls \"$dir\""),
        ] {
            assert!(unseen(&text).is_empty(), "{text}: {:?}", unseen(&text));
        }
        // Where a name is expected, a name: `printf -v "$n"`.
        let found = unseen("n=$(cat f)\nprintf -v \"$n\" '%s' x");
        assert!(
            found
                .iter()
                .any(|u| u.name == "n" && u.place == Place::Arithmetic),
            "{found:?}"
        );
    }

    /// A variable set otherwise and expanded into sed's or awk's code in double quotes is
    /// spliced there: no `/`, quote or new line.
    #[test]
    fn variables_spliced_into_sed_or_awk() {
        let found = unseen(&format!(
            "V=\"{PROBE_VALUE}\"\nsed -i \"s/^version=.*/version=$V/\" app.conf"
        ));
        assert!(
            found
                .iter()
                .any(|u| u.name == "V" && u.place == Place::Spliced),
            "{found:?}"
        );
        assert!(refused_by(&found, "reboot/e", None, false).is_some());
        assert!(refused_by(&found, "1.2.3 beta", None, false).is_none());
        assert!(spliced_into_code("awk \"{ print \\\"$N\\\" }\" f").contains("N"));
        assert!(spliced_into_code("sed -i 's/a/b/' f; echo \"$N\"").is_empty());
        // A file after a script in single quotes (a bundled runbook's rollback).
        assert!(spliced_into_code("sed 's/$/.gz/' \"$list\" | xargs gunzip").is_empty());
        assert!(spliced_into_code("sed -i -e \"s/a/$N/\" f").contains("N"));
        assert!(spliced_into_code("awk -F: -v x=1 \"{ print $N }\" f").contains("N"));
        // A copy given to an option whose value may be piped to a command (audit 17:
        // `f="{{ v }}"; strace -o "$f"` ran `|cmd`).
        let found = unseen(&format!("f=\"{PROBE_VALUE}\"\nstrace -o \"$f\" ls"));
        assert!(
            found
                .iter()
                .any(|u| u.name == "f" && u.place == Place::Code),
            "{found:?}"
        );
    }

    #[test]
    fn inert_values() {
        assert!(inert_for_code("web-1 web-2", None));
        assert!(inert_for_words("web-1\nweb-2"));
        assert!(!inert_for_words("web-1 touch /x"));
        assert!(!inert_for_code("nginx\ntouch x", None));
        assert!(!inert_for_options("web-1,-oProxyCommand=x", None));
        assert!(!inert_for_options("deploy@-oProxyCommand=x", None));
        assert!(inert_for_options("restart - urgent -- now", None));
        assert!(!inert_for_options("web-1.-oProxyCommand=x", None));
        assert!(inert_for_options("web-1.example.com web-2", None));
        assert!(decodes("echo \"$h\" | tr _ -"));
        assert!(!inert_for_arithmetic("a[$(id)]"));
        assert!(inert_for_arithmetic("it's down 50% (x)"));
        assert!(decodes("svc=$(base64 -d <<< \"$x\")"));
        assert!(decodes("tr a ';'"));
        assert!(!decodes("tr , ' '\ntr , '\\n'\nsed 's/a/b/'"));
        // Audit 19 HOLE-5: filters that write shell characters, also inside `$( )`.
        for filter in [
            "T=$(echo \"$S\" | tr , ';')",
            "mapfile -t ps < <(printf '%s\\n' \"$v\" | sed 's/,/;/g')",
            "mapfile -t ps < <(echo \"$v\" | tr '\\n' ';')",
            "x=$(echo \"$v\" | sed -e 's|,|\\|\\||' )",
            "x=$(echo \"$v\" | sed 'y/,/;/')",
            "x=$(awk -F, '{print $1\";\"$2}' <<< \"$v\")",
            "x=$(awk -v OFS=';' '{$1=$1; print}' <<< \"$v\")",
            "x=$(paste -sd';' <<< \"$v\")",
            "x=$(printf '%s;' $v)",
            "x=$(perl -pe 's/,/;/g' <<< \"$v\")",
        ] {
            assert!(decodes(filter), "{filter}");
        }
        for plain in [
            "x=$(echo \"$v\" | sed 's/a/b/;s/c/d/')",
            "x=$(awk '{print $2}' f)",
            "x=$(paste -sd, f)",
            "printf '%s\\n' \"$v\"",
            "x=$(sed -n '/start/,/end/p' f)",
        ] {
            assert!(!decodes(plain), "{plain}");
        }
        assert!(!inert_for_code("it's down", None));
        assert!(!inert_for_code("-oProxyCommand=x", None));
        assert!(!inert_for_code("a,-x", Some(",")));
        assert!(inert_for_options("it's down 50% (x)", None));
        assert!(!inert_for_options("web-1\n-oProxyCommand=x", None));
    }
}
