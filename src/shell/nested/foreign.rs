//! Other languages' code given on a command line or on standard input (Python, awk, sed,
//! SQL…): [`foreign`], and whether such code hands strings to a shell.

use super::types::Foreign;
use crate::shell::programs::{base, command_index, has, options, value_of};
use crate::shell::words::{Command, Word};

// `static`, not `const`, where code tells a language by its address (`std::ptr::eq`: `plan`
// with `PSQL` and `SHELLED`, `stdin_code_runs_shell` with the languages that may call a shell):
// a constant has no one address, and two files' copies of it may differ.
pub(super) static PSQL: Foreign = Foreign {
    language: "SQL",
    help: "pass it as a psql variable and the SQL on standard input (psql reads no variables in `-c`): `psql -v name=\"{{ … }}\" <<'SQL'` … `where x = :'name'` … `SQL`; or give the value a `pattern`",
};

/// A value given to psql as a variable (`-v uid="{{ … }}"`) that its SQL expands unquoted,
/// `:uid`: psql copies the value into the SQL as it is (audit 41 A41-20).
pub(super) static PSQL_VARIABLE: Foreign = Foreign {
    language: "SQL",
    help: "write the variable as `:'name'` (the value as a quoted literal) or `:\"name\"` (an identifier) where the SQL uses it, not `:name`, which copies the value into the SQL as it is; or give the value a `pattern` such as `^[0-9]+$`",
};

/// What `:name` copies into SQL as it is: only a number or a name (letters, digits, `_`,
/// `.`) is data there; these would end it (an operator, a quote, a list, a comment).
pub(super) const PSQL_VARIABLE_ENDS: &str = " \t\n\r'\"`;,()[]{}<>=!~+-*/%^&|#@$?:\\";

/// Whether the value at `at` is given to psql as a variable (`-v NAME=…`, `--set`,
/// `--variable`, attached or not) that the SQL psql reads — its `-c` commands, its
/// here-document or here-string — expands unquoted as `:NAME` (`:'NAME'` and `:"NAME"`
/// quote it; `x::int` is a cast).
pub(super) fn psql_variable_spliced(text: &str, list: &[Command], at: usize) -> bool {
    list.iter().any(|c| {
        let args = c.args();
        let Some(k) = args.iter().position(|w| w.span.contains(&at)) else {
            return false;
        };
        let i = command_index(&args);
        if k <= i
            || !matches!(
                args.get(i).map(|a| base(&a.cooked)),
                Some("psql" | "gitlab-psql")
            )
        {
            return false;
        }
        let cur = args[k].cooked.as_str();
        let prev = args[k - 1].cooked.as_str();
        let assignment = if matches!(prev, "-v" | "--set" | "--variable") {
            Some(cur)
        } else {
            cur.strip_prefix("--set=")
                .or_else(|| cur.strip_prefix("--variable="))
                .or_else(|| cur.strip_prefix("-v"))
        };
        let Some(name) = assignment
            .and_then(|a| a.split_once('='))
            .map(|(n, _)| n)
            .filter(|n| !n.is_empty() && !n.contains(super::types::SENTINEL))
        else {
            return false;
        };
        let commands = args[i + 1..].windows(2).filter_map(|w| {
            matches!(w[0].cooked.as_str(), "-c" | "--command").then_some(w[1].cooked.clone())
        });
        let attached = args[i + 1..].iter().filter_map(|a| {
            a.cooked
                .strip_prefix("--command=")
                .or_else(|| a.cooked.strip_prefix("-c").filter(|r| !r.is_empty()))
                .map(str::to_string)
        });
        let documents = c
            .heredocs
            .iter()
            .filter_map(|d| text.get(d.body.clone()).map(str::to_string));
        let strings = c
            .words
            .iter()
            .filter(|w| w.herestring)
            .map(|w| w.cooked.clone());
        commands
            .chain(attached)
            .chain(documents)
            .chain(strings)
            .any(|sql| expands_unquoted(&sql, name))
    })
}

/// Whether `sql` holds `:name` (not `::name`, a cast, nor part of a longer name).
fn expands_unquoted(sql: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    sql.match_indices(':').any(|(i, _)| {
        let rest = &sql[i + 1..];
        rest.starts_with(name)
            && !rest[name.len()..].starts_with(word)
            && !sql[..i].ends_with(':')
            && !rest.starts_with(':')
    })
}

/// psql reading its script on its input, where a `\` starts a psql command anywhere outside
/// quotes (`\!` runs a shell). (A `static`, told apart by its address from [`PSQL`], whose
/// contents are the same: two such constants may share one.)
pub(super) static PSQL_STDIN: Foreign = Foreign {
    language: "SQL",
    help: PSQL.help,
};

/// mysql or sqlite3 reading its script on its input, where a line may be a client command
/// (`\!`, `system`, `.shell`), which runs a shell.
pub(super) static MYSQL_STDIN: Foreign = Foreign {
    language: "SQL",
    help: MYSQL.help,
};

const MYSQL: Foreign = Foreign {
    language: "SQL",
    help: "restrict the value with a `pattern` (or `type: int`, `choices`) so that it cannot hold quotes, or look it up with a query that does not splice it",
};

pub(super) static PYTHON: Foreign = Foreign {
    language: "Python",
    help: "pass it as an argument: `python3 -c 'import sys; print(sys.argv[1])' \"{{ … }}\"`",
};

pub(super) static PERL: Foreign = Foreign {
    language: "Perl or Ruby",
    help: "pass it as an argument and read `$ARGV[0]` (Perl) or `ARGV[0]` (Ruby)",
};

pub(super) static NODE: Foreign = Foreign {
    language: "JavaScript",
    help: "pass it as an argument: `node -e 'console.log(process.argv[1])' \"{{ … }}\"`",
};

pub(super) static AWK: Foreign = Foreign {
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

const JULIA: Foreign = Foreign {
    language: "Julia",
    help: "pass it as an argument and read `ARGS[1]`: `julia -e 'println(ARGS[1])' \"{{ … }}\"`",
};

const QUERY: Foreign = Foreign {
    language: "a query language (SQL, CQL, InfluxQL)",
    help: "use the client's own parameters where it has them (`--param_name=…` for clickhouse-client, `-v name=…` for sqlcmd), or give the value a `pattern` that refuses quotes",
};

const BIGQUERY: Foreign = Foreign {
    language: "SQL",
    help: "pass it as a query parameter: `bq query --use_legacy_sql=false --parameter=name::\"{{ … }}\" 'SELECT … WHERE x = @name'`",
};

const APPLESCRIPT: Foreign = Foreign {
    language: "AppleScript",
    help: "pass it as an argument and read it in a `run` handler: `osascript -e 'on run argv' -e 'display notification (item 1 of argv)' -e 'end run' \"{{ … }}\"`",
};

const JQ: Foreign = Foreign {
    language: "jq",
    help: "pass it as a jq variable: `jq --arg name \"{{ … }}\" '.[] | select(.id == $name)'`",
};

const YQ: Foreign = Foreign {
    language: "yq",
    help: "pass it in the environment and read it with `strenv`: `V=\"{{ … }}\" yq -i '.image.tag = strenv(V)' values.yaml`",
};

pub(super) static LUA: Foreign = Foreign {
    language: "Lua",
    help: "pass it as an argument and read `arg[1]`: `lua -e 'print(arg[1])' \"{{ … }}\"`",
};

pub(super) static LUA_PHP: Foreign = Foreign {
    language: "PHP",
    help: "pass it as an argument and read `$argv[1]`: `php -r 'echo $argv[1];' \"{{ … }}\"`",
};

pub(super) const SED: Foreign = Foreign {
    language: "sed",
    help: "sed can run shell commands from its script (`e`, `s///e`, `w`): match the value with `grep -F -- \"{{ … }}\"`, or give it a `pattern` that allows no `/`, `;`, new line or backslash",
};

pub(super) const REDIS: Foreign = Foreign {
    language: "Lua",
    help: "pass it after the keys, and read `ARGV[1]` in the script: `redis-cli EVAL 'return ARGV[1]' 0 \"{{ … }}\"`",
};

/// Erlang evaluated by `rabbitmqctl eval`, `erl -eval`: `os:cmd("…")` hands a string to a
/// shell there.
pub(super) static ERLANG: Foreign = Foreign {
    language: "Erlang",
    help: "give the value a `pattern` of letters, digits and `. _ - /` (a queue or vhost name), so that it cannot end the string it stands in (`<<\"{{ … }}\">>`)",
};

pub(super) static ELIXIR: Foreign = Foreign {
    language: "Elixir",
    help: "pass it as an argument and read `System.argv()`: `elixir -e 'IO.puts(hd(System.argv()))' \"{{ … }}\"`",
};

/// m4's text: a macro call in a value (`esyscmd(…)`) runs, since m4 rescans what it reads,
/// a `-D` definition included.
pub(super) static M4: Foreign = Foreign {
    language: "m4",
    help: "give the value a `pattern` that allows no `(`, `)`, `` ` `` or `'` (m4 runs `esyscmd(…)` in any text it reads, a `-D` definition too), such as letters, digits and `. _ -`",
};

/// dc's program: `!` runs the rest of its line with a shell.
pub(super) static DC: Foreign = Foreign {
    language: "dc",
    help: "give the value `type: int` or a `pattern` of digits (dc's `!` runs the rest of a line with a shell)",
};

pub(super) static TCL: Foreign = Foreign {
    language: "Tcl",
    help: "pass it as an argument and read `[lindex $argv 0]`: `tclsh script.tcl \"{{ … }}\"`",
};

pub(super) const ED: Foreign = Foreign {
    language: "ed/ex",
    help: "a line of the value could be a command, and `!cmd` runs a shell: write the value to a file first (`printf '%s\\n' \"$VALUE\" > new.txt`, the value in the step's `env`) and have the editor read that file (`r new.txt`), or make the change with a program that takes the value as an argument",
};

/// The piece of code holding offset `at`: the word, or the here-document's body.
pub(super) fn code_holding<'t>(text: &'t str, list: &[Command], at: usize) -> Option<&'t str> {
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

pub(super) static SHELLED: Foreign = Foreign {
    language: "shell",
    help: "the code it is given to hands it to a shell: give the program its arguments as a list, never a command line (`subprocess.run([\"systemctl\", \"restart\", sys.argv[1]])`, `system(\"systemctl\", \"restart\", $ARGV[0])`), or give the value a `pattern`",
};

/// [`SHELLED`], where the code also changes text before a shell may get it (decodes,
/// replaces, cuts: [`changes_text`]).
pub(super) static SHELLED_CHANGED: Foreign = Foreign {
    language: "shell",
    help: SHELLED.help,
};

/// What in code changes a string (decodes it, replaces or cuts pieces of it): `unquote`,
/// `b64decode`, `.replace(`, `.split(`, `[::-1]`, awk's `gsub`, Perl's `=~ s/…/`. Plain words
/// may come out of it as a command line (`touch%20/tmp/x` unquoted: audit 22 HOLE-D).
const CHANGES_TEXT: &[&str] = &[
    "decode",
    "unquote",
    "unescape",
    "b64",
    "base64",
    "fromhex",
    "unhexlify",
    "codecs",
    "replace",
    "translate",
    "maketrans",
    "re.sub",
    "sub(",
    "tr(",
    "chr(",
    "fromCharCode",
    "Buffer.from",
    "atob",
    "pack(",
    "split",
    "[::-1]",
    "reverse",
    "[1:]",
    "substr",
    "slice",
    "strip",
    "lower",
    "upper",
    "toupper",
    "tolower",
    "urllib",
    "html.",
    "json.loads",
    "JSON.parse",
    "expandvars",
    "Template",
    "format_map",
    "=~",
    "sprintf",
    "%c",
];

/// Whether `code` changes text on its way (see [`CHANGES_TEXT`]).
pub(super) fn changes_text(code: &str) -> bool {
    CHANGES_TEXT.iter().any(|c| code.contains(c))
}

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
    // Erlang's and Elixir's `os:cmd("…")`, m4's `syscmd(…)`/`esyscmd(…)`.
    "os:cmd(",
    ":os.cmd(",
    "syscmd(",
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
    code_to_shell(name, args, i, target).is_some()
}

/// The code of [`code_hands_to_shell`], when it hands strings to a shell.
fn code_to_shell<'a>(name: &str, args: &[&'a Word], i: usize, target: usize) -> Option<&'a str> {
    let code_flag: &[&str] = match name {
        _ if name.starts_with("python") || name.starts_with("pypy") => &["-c"],
        "perl" | "ruby" | "node" | "nodejs" | "lua" | "luajit" => &["-e", "-ne", "-pe", "-le"],
        _ if name.starts_with("perl5") => &["-e", "-ne", "-pe", "-le"],
        "php" => &["-r"],
        "rabbitmqctl" => &["eval"],
        "erl" => &["-eval"],
        "elixir" => &["-e"],
        "awk" | "gawk" | "mawk" | "nawk" => &[],
        // `send` types into the program expect spawned: a shell, over ssh or not.
        "expect" => {
            return (i + 1..args.len())
                .find(|&k| args[k].cooked == "-c")
                .and_then(|k| args.get(k + 1).filter(|_| k + 1 != target))
                .filter(|code| {
                    code.cooked.contains("send") || calls_shell(CodeOf::Tcl, &code.cooked)
                })
                .map(|code| code.cooked.as_str());
        }
        _ => return None,
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
    let code = args[code.filter(|&c| c != target && c < args.len())?];
    // Code the shell expands first (`python3 -c "$(cat <<'PY' … PY)"`, `perl -e "$CODE"`)
    // is not the text written here: it may run a shell.
    (!code.expansions.is_empty() || calls_shell(CodeOf::program(name), &code.cooked))
        .then_some(code.cooked.as_str())
}

/// The code of an interpreter at `args[i]` (`python3 -c CODE`, `perl -e CODE`, awk's
/// program) when it runs a program with a list of arguments ([`RUNS_PROGRAMS`]) and hands
/// nothing to a shell.
pub(super) fn code_runs_programs<'a>(name: &str, args: &[&'a Word], i: usize) -> Option<&'a str> {
    if code_to_shell(name, args, i, args.len()).is_some() {
        return None;
    }
    let flags: &[&str] = match name {
        _ if name.starts_with("python") || name.starts_with("pypy") => &["-c"],
        "perl" | "ruby" | "node" | "nodejs" => &["-e", "-ne", "-pe", "-le"],
        _ => return None,
    };
    let k = (i + 1..args.len()).find(|&k| flags.contains(&args[k].cooked.as_str()))?;
    let code = args.get(k + 1)?.cooked.as_str();
    runs_programs(code).then_some(code)
}

/// [`SHELLED`]'s counterpart for code that runs programs with lists of arguments: a value
/// there is a word of a program, which may read it as an option (audit 24 HOLE-K).
pub(super) static RUNS_A_PROGRAM: Foreign = Foreign {
    language: "a program run by the code",
    help: "check the value (a `pattern` that refuses a leading `-`), or put `--` before it in the program's arguments where the program accepts it",
};

/// What in a piece of code runs a program with a list of arguments (`subprocess.run([…])`,
/// Perl's and Ruby's `system(LIST)`, Node's `spawn`/`execFile`): a value there is a word of
/// that program, which may read it as an option (`ssh` with `-oProxyCommand=…`: audit 24
/// HOLE-K), so it is held to one plain word as where a shell reads it.
const RUNS_PROGRAMS: &[&str] = &[
    "subprocess.",
    "Popen",
    "os.spawn",
    "os.exec",
    "os.posix_spawn",
    "pty.spawn",
    "execFile",
    "spawn(",
    "spawnSync",
    "execv",
    "system(",
    "Process.spawn",
    "Command::new",
    "exec.Command",
];

/// Whether word `target` is the code itself (after `-c`/`-e`), not an argument of it.
fn flag_of_code(args: &[&Word], target: usize) -> bool {
    target
        .checked_sub(1)
        .and_then(|p| args.get(p))
        .is_some_and(|w| matches!(w.cooked.as_str(), "-c" | "-e" | "-ne" | "-pe" | "-le"))
}

/// Whether `code` runs programs (see [`RUNS_PROGRAMS`]).
fn runs_programs(code: &str) -> bool {
    RUNS_PROGRAMS.iter().any(|call| code.contains(call))
}

/// Whose code a piece of text is, for [`calls_shell`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum CodeOf {
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

    pub(super) fn language(f: &Foreign) -> CodeOf {
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
pub(super) fn calls_shell(of: CodeOf, code: &str) -> bool {
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
pub(super) fn code_runs_shell(args: &[&Word]) -> Option<String> {
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
pub(super) fn crontab_of_input(args: &[&Word]) -> Option<String> {
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
pub(super) fn code_env_reads(args: &[&Word]) -> Vec<String> {
    args.iter().flat_map(|w| env_reads_in(&w.cooked)).collect()
}

/// The environment variables a piece of code reads (see [`code_env_reads`]).
pub(super) fn env_reads_in(code: &str) -> Vec<String> {
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
pub(super) fn foreign(
    name: &str,
    args: &[&Word],
    i: usize,
    target: usize,
) -> Option<&'static Foreign> {
    if let Some(code) = code_to_shell(name, args, i, target) {
        return Some(if changes_text(code) {
            &SHELLED_CHANGED
        } else {
            &SHELLED
        });
    }
    if code_runs_programs(name, args, i).is_some()
        && target < args.len()
        && !flag_of_code(args, target)
    {
        return Some(&RUNS_A_PROGRAM);
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
        // `gitlab-rails runner "Project.find(…)"`, `rails runner` (`rails r`): Ruby code.
        "gitlab-rails" | "rails" if matches!(prev, Some("runner" | "r")) => Some(&PERL),
        // Laravel's `php artisan tinker --execute='…'`: PHP code.
        "php"
            if args[i + 1..target].iter().any(|a| a.cooked == "tinker")
                && (prev == Some("--execute") || cur.starts_with("--execute=")) =>
        {
            Some(&LUA_PHP)
        }
        // `rabbitmqctl eval '…'` (audit 41 A41-11): Erlang on the broker, not the shell's
        // `eval`; `erl -eval`, `elixir -e`.
        "rabbitmqctl" if prev == Some("eval") => Some(&ERLANG),
        "erl" if prev == Some("-eval") => Some(&ERLANG),
        "elixir" | "iex" if matches!(prev, Some("-e" | "--eval")) => Some(&ELIXIR),
        // `m4 -DRELAY="{{ v }}"` (audit 41 A41-9): m4 rescans a definition where it is used.
        "m4" if matches!(prev, Some("-D" | "--define")) || attached("-D", "--define") => Some(&M4),
        "dc" if matches!(prev, Some("-e" | "--expression")) || attached("-e", "--expression") => {
            Some(&DC)
        }
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
        "julia" if matches!(prev, Some("-e" | "-E" | "--eval" | "--print")) => Some(&JULIA),
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
        // (Audit 29 H-5.) `trino --execute`, `snowsql -q`, `duckdb -c`, `cockroach sql -e`.
        "trino" | "presto" | "snowsql" | "duckdb" | "cockroach" | "vsql"
            if matches!(
                prev,
                Some("-e" | "--execute" | "-q" | "--query" | "-c" | "--command")
            ) || attached("-e", "--execute")
                || attached("-q", "--query") =>
        {
            Some(&QUERY)
        }
        // `bq query '…'`: the first operand after `query`; `gcloud spanner databases
        // execute-sql DB --sql='…'` (audit 29 H-5).
        "bq" => {
            let q = (i + 1..target).find(|&k| args[k].cooked == "query")?;
            ((q + 1..target).all(|k| args[k].cooked.starts_with('-')) && !cur.starts_with('-'))
                .then_some(&BIGQUERY)
        }
        "gcloud"
            if (prev == Some("--sql") || attached("--sql", "--sql"))
                && args[i + 1..target].iter().any(|a| a.cooked == "spanner") =>
        {
            Some(&QUERY)
        }
        // AppleScript's `do shell script` runs a shell (audit 29 H-4).
        "osascript" if prev == Some("-e") => Some(&APPLESCRIPT),
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
        // `yq -i '.image.tag = "{{ v }}"' values.yaml`, `yq e '…' f` (audit 26 HOLE-15).
        "yq" => {
            let (mut j, seen) = options(
                args,
                i + 1,
                "IopF",
                &[
                    "indent",
                    "output-format",
                    "input-format",
                    "expression",
                    "from-file",
                ],
            );
            if let Some(at) = value_of(&seen, &["--expression"]) {
                return (at == target).then_some(&YQ);
            }
            if has(&seen, &["--from-file"]) {
                return None;
            }
            if args
                .get(j)
                .is_some_and(|w| matches!(w.cooked.as_str(), "e" | "eval" | "ea" | "eval-all"))
            {
                j += 1;
            }
            (j == target).then_some(&YQ)
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
