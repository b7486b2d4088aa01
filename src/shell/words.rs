//! Simple commands and their words: the shell's own splitting of a script, with byte spans.
//!
//! [`commands`] reads one level of a script (it does not descend into `$( )`; a caller that
//! needs the commands inside one reads its [`Expansion::inner`] range the same way). Each
//! [`Word`] keeps its raw span and its *cooked* text: what the shell makes of it after quote
//! removal (`'a b'` → `a b`, `"x\$"` → `x$`, `$'\n'` → a new line). Expansions (`$x`, `${…}`,
//! `$( )`, backquotes, `$(( ))`) cannot be known before the script runs: each stands in the
//! cooked text as one [`OPAQUE`] character and is listed with its span.

use std::ops::Range;

/// What an expansion becomes in a cooked word: a plain word character, since its text is
/// not known statically.
pub const OPAQUE: char = 'x';

/// A word of a simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub span: Range<usize>,
    pub cooked: String,
    /// The expansions inside, in order.
    pub expansions: Vec<Expansion>,
    /// Whether any part of it was quoted or escaped.
    pub quoted: bool,
    /// The operand of a redirection (`> FILE`, `<<EOF`), not an argument.
    pub redirect: bool,
    /// The operand of `<<<`: the text the command reads on its input.
    pub herestring: bool,
}

/// A word as the command receives it (its cooked text), for the option readers of
/// [`super::programs`].
impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.cooked
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub span: Range<usize>,
    /// A process substitution (`<( … )`, `>( … )`).
    pub process: bool,
    /// The script inside `$( )` or backquotes, which the same shell runs.
    pub inner: Option<Range<usize>>,
}

/// A here-document given to a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The body, from the line after the command to the end of the line before the
    /// delimiter line (or to the end of the script when no line closes it).
    pub body: Range<usize>,
    pub quoted: bool,
    pub closed: bool,
}

/// A simple command: its words (assignments, the name, arguments and redirections, in order)
/// and the here-documents it reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Command {
    pub words: Vec<Word>,
    pub heredocs: Vec<Heredoc>,
    /// The command is followed by `|`: its output is the next command's input.
    pub piped: bool,
    /// The output redirections of the compound commands and groups it stands in (`for …;
    /// do echo …; done > >(sh)`, `{ …; } >&3`): what it prints goes there too (an audit
    /// found a value printed in a loop run by `done > >(ssh h sh)`).
    pub inherited: Vec<Word>,
    /// The command is the redirections of the `( … )` group that starts at this index.
    after_group: Option<usize>,
}

impl Command {
    /// The words that are not redirection operands.
    pub fn args(&self) -> Vec<&Word> {
        self.words.iter().filter(|w| !w.redirect).collect()
    }
}

/// The text of an unquoted here-document's body as the shell hands it to the command:
/// `\$`, `` \` `` and `\\` unescaped, expansions opaque. `None` when an expansion is unclosed.
pub fn cook_heredoc(script: &str, body: Range<usize>) -> Option<(String, Vec<Expansion>)> {
    let mut lexer = Lexer {
        s: script.as_bytes(),
        text: script,
        end: body.end.min(script.len()),
        nesting: 0,
    };
    let mut cooked = String::new();
    let mut expansions = Vec::new();
    lexer.expanding(body.start, &mut cooked, &mut expansions, true)?;
    Some((cooked, expansions))
}

/// The commands of `script[range]`, one level deep. `None` when the text does not parse:
/// an unclosed quote, `$(`, `${` or backquote.
pub fn commands(script: &str, range: Range<usize>) -> Option<Vec<Command>> {
    let mut lexer = Lexer {
        s: script.as_bytes(),
        text: script,
        end: range.end.min(script.len()),
        nesting: 0,
    };
    lexer.script(range.start)
}

/// The commands of the whole script at any depth: those of `$( )`, backquotes and process
/// substitutions (in words and in redirections) too, outer ones first. Parts that do not
/// parse are left out.
pub fn every_command(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut stack: Vec<Range<usize>> = Vec::new();
    stack.push(0..script.len());
    while let Some(range) = stack.pop() {
        let Some(list) = commands(script, range) else {
            continue;
        };
        for cmd in &list {
            for w in &cmd.words {
                stack.extend(w.expansions.iter().filter_map(|e| e.inner.clone()));
            }
        }
        out.extend(list);
    }
    out
}

struct Lexer<'a> {
    s: &'a [u8],
    text: &'a str,
    end: usize,
    /// How deep groups are nested (`$( $( …`): past [`MAX_NESTING`] the text is refused,
    /// so that hostile input cannot exhaust the stack.
    nesting: u32,
}

/// The bytes that end a run of ordinary text in a word, and inside double quotes.
const WORD_STOPS: [bool; 256] = stops(b"\\'\"$`<>()|&; \t\r\n");
const QUOTED_STOPS: [bool; 256] = stops(b"\\\"$` \t\r\n");

const fn stops(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
}

/// Groups nested deeper than this are not read (a script does not need them).
const MAX_NESTING: u32 = 200;

fn is_meta(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'(' | b')' | b'<' | b'>'
    )
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        if i < self.end {
            self.s.get(i).copied()
        } else {
            None
        }
    }

    fn script(&mut self, mut i: usize) -> Option<Vec<Command>> {
        let mut out = Vec::new();
        let mut cmd = Command::default();
        // Here-documents whose bodies start at the next new line: (delimiter, quoted, the
        // index of the command that reads it).
        let mut pending: Vec<(String, bool, usize)> = Vec::new();
        // Where each open `( …` group's commands start, and the group that just closed: a
        // `|` right after it pipes the output of every command of the group.
        let mut groups: Vec<usize> = Vec::new();
        let mut closed: Option<usize> = None;
        let finish = |cmd: &mut Command, out: &mut Vec<Command>, closed: Option<usize>| {
            if !cmd.words.is_empty() || !cmd.heredocs.is_empty() {
                if closed.is_some() && cmd.words.iter().all(|w| w.redirect) {
                    cmd.after_group = closed;
                }
                out.push(std::mem::take(cmd));
            }
        };
        while let Some(c) = self.at(i) {
            match c {
                b' ' | b'\t' | b'\r' => i += 1,
                b'\\' if self.at(i + 1) == Some(b'\n') => i += 2,
                b'#' if cmd.words.is_empty()
                    || i == 0
                    || matches!(self.s[i - 1], b' ' | b'\t' | b'\n' | b';') =>
                {
                    while self.at(i).is_some_and(|b| b != b'\n') {
                        i += 1;
                    }
                }
                b'\n' => {
                    i += 1;
                    finish(&mut cmd, &mut out, closed);
                    for (delimiter, quoted, reader) in std::mem::take(&mut pending) {
                        let (heredoc, next) = self.heredoc(i, &delimiter, quoted);
                        i = next;
                        if let Some(reader) = out.get_mut(reader) {
                            reader.heredocs.push(heredoc);
                        }
                    }
                }
                b'|' => {
                    cmd.piped = self.at(i + 1) != Some(b'|');
                    if cmd.piped {
                        // `( a; b ) | c`, `{ a; b; } | c`: the group's commands write to c.
                        // (`for …; do …; done | sh`, `if …; fi | sh`: the compound's
                        // commands write to sh too; an audit found a value printed in a
                        // `for` loop run by `| ssh h sh`.)
                        let group = enclosing_start(&out, &cmd, closed);
                        if let Some(start) = group {
                            for c in out.iter_mut().skip(start) {
                                c.piped = true;
                            }
                        }
                    }
                    closed = None;
                    finish(&mut cmd, &mut out, closed);
                    i += if matches!(self.at(i + 1), Some(b'|' | b'&')) {
                        2
                    } else {
                        1
                    };
                }
                b';' | b'&' | b')' => {
                    if c == b'&' && self.at(i + 1) == Some(b'>') {
                        i = self.redirect(i, &mut cmd, &mut pending, out.len())?;
                        continue;
                    }
                    finish(&mut cmd, &mut out, closed);
                    closed = if c == b')' { groups.pop() } else { None };
                    i += 1;
                }
                b'(' => {
                    if self.at(i + 1) == Some(b'(') && cmd.words.is_empty() {
                        // `(( … ))`: an arithmetic command, one opaque word.
                        let close = self.group_end(i + 2, b'(', b')')?;
                        let end = if self.at(close + 1) == Some(b')') {
                            close + 2
                        } else {
                            close + 1
                        };
                        cmd.words.push(Word {
                            span: i..end,
                            cooked: OPAQUE.to_string(),
                            expansions: vec![Expansion {
                                span: i..end,
                                process: false,
                                inner: None,
                            }],
                            quoted: false,
                            redirect: false,
                            herestring: false,
                        });
                        i = end;
                    } else {
                        finish(&mut cmd, &mut out, closed);
                        groups.push(out.len());
                        i += 1;
                    }
                }
                b'<' | b'>' if self.at(i + 1) != Some(b'(') => {
                    i = self.redirect(i, &mut cmd, &mut pending, out.len())?
                }
                _ => {
                    // `2>file`: a file descriptor number before a redirection.
                    let mut j = i;
                    while self.at(j).is_some_and(|b| b.is_ascii_digit()) {
                        j += 1;
                    }
                    if j > i && matches!(self.at(j), Some(b'<' | b'>')) {
                        // `3<<< "…"` feeds descriptor 3 (`read -u3`), not the input.
                        let input = self.s[i..j].iter().all(|&b| b == b'0');
                        let had = cmd.words.len();
                        i = self.redirect(j, &mut cmd, &mut pending, out.len())?;
                        // (`exec 3<<< …` opens it for the commands after.)
                        let exec = cmd.words.first().is_some_and(|w| w.cooked == "exec");
                        if !input
                            && !exec
                            && cmd.words.len() > had
                            && let Some(w) = cmd.words.last_mut()
                        {
                            w.herestring = false;
                        }
                        continue;
                    }
                    let word = self.word(i)?;
                    i = word.span.end;
                    cmd.words.push(word);
                }
            }
        }
        finish(&mut cmd, &mut out, closed);
        inherit_redirections(self.text, &mut out);
        // `cat <<EOF` on the last line: an empty body.
        for (_, quoted, reader) in pending {
            if let Some(reader) = out.get_mut(reader) {
                reader.heredocs.push(Heredoc {
                    body: self.end..self.end,
                    quoted,
                    closed: false,
                });
            }
        }
        Some(out)
    }

    /// A redirection operator at `i` and its operand.
    fn redirect(
        &mut self,
        mut i: usize,
        cmd: &mut Command,
        pending: &mut Vec<(String, bool, usize)>,
        reader: usize,
    ) -> Option<usize> {
        let start = i;
        while self
            .at(i)
            .is_some_and(|b| matches!(b, b'<' | b'>' | b'&' | b'|' | b'-'))
        {
            i += 1;
            if i - start >= 3 {
                break;
            }
        }
        let op = &self.s[start..i];
        while self.at(i).is_some_and(|b| b == b' ' || b == b'\t') {
            i += 1;
        }
        // `< <(cmd)`: the operand is a process substitution.
        let substitution = matches!(self.at(i), Some(b'<' | b'>')) && self.at(i + 1) == Some(b'(');
        if self.at(i).is_none_or(is_meta) && !substitution {
            return Some(i); // `>&-` and the like, or a syntax error the shell reports
        }
        let mut word = self.word(i)?;
        word.redirect = true;
        word.herestring = op == b"<<<";
        let next = word.span.end;
        if op.starts_with(b"<<") && !op.starts_with(b"<<<") {
            pending.push((word.cooked.clone(), word.quoted, reader));
        }
        cmd.words.push(word);
        Some(next)
    }

    /// The body of a here-document starting at `i`: (its span, where the script goes on).
    fn heredoc(&self, i: usize, delimiter: &str, quoted: bool) -> (Heredoc, usize) {
        let mut at = i;
        while at < self.end {
            let stop = self.text[at..self.end]
                .find('\n')
                .map_or(self.end, |n| at + n);
            let line = &self.text[at..stop];
            if line.trim_start_matches('\t') == delimiter {
                let next = (stop + 1).min(self.end);
                return (
                    Heredoc {
                        body: i..at,
                        quoted,
                        closed: true,
                    },
                    next,
                );
            }
            at = stop + 1;
        }
        (
            Heredoc {
                body: i..self.end,
                quoted,
                closed: false,
            },
            self.end,
        )
    }

    /// The word starting at `i`.
    fn word(&mut self, mut i: usize) -> Option<Word> {
        let start = i;
        let mut cooked = String::new();
        let mut expansions = Vec::new();
        let mut quoted = false;
        while let Some(c) = self.at(i) {
            match c {
                b'<' | b'>' if self.at(i + 1) == Some(b'(') => {
                    // `<( … )`: a process substitution, a file name the shell makes up.
                    let close = self.group_end(i + 2, b'(', b')')?;
                    cooked.push(OPAQUE);
                    expansions.push(Expansion {
                        span: i..close + 1,
                        process: true,
                        inner: Some(i + 2..close),
                    });
                    i = close + 1;
                }
                b'(' if i > start && self.s[i - 1] == b'=' => {
                    // `name=( … )`: a compound assignment, kept as written.
                    let close = self.group_end(i + 1, b'(', b')')?;
                    cooked.push_str(&self.text[i..=close]);
                    i = close + 1;
                }
                _ if is_meta(c) => break,
                b'\\' => {
                    quoted = true;
                    match self.at(i + 1) {
                        Some(b'\n') => i += 2,
                        Some(_) => {
                            let ch = self.char_at(i + 1);
                            cooked.push(ch);
                            i += 1 + ch.len_utf8();
                        }
                        None => i += 1,
                    }
                }
                b'\'' => {
                    quoted = true;
                    let close = self.find(i + 1, b'\'')?;
                    cooked.push_str(&self.text[i + 1..close]);
                    i = close + 1;
                }
                b'"' => {
                    quoted = true;
                    i = self.double(i + 1, &mut cooked, &mut expansions)?;
                }
                b'$' if self.at(i + 1) == Some(b'\'') => {
                    quoted = true;
                    i = self.dollar_single(i + 2, &mut cooked)?;
                }
                b'$' if self.at(i + 1) == Some(b'"') => {
                    quoted = true;
                    i = self.double(i + 2, &mut cooked, &mut expansions)?;
                }
                b'$' | b'`' => i = self.cook_expansion(i, &mut cooked, &mut expansions)?,
                _ => i = self.cook_run(i, &mut cooked, &WORD_STOPS),
            }
        }
        Some(Word {
            span: start..i,
            cooked,
            expansions,
            quoted,
            redirect: false,
            herestring: false,
        })
    }

    /// Adds the expansion at `i` to a cooked word (one opaque character); returns where it ends.
    fn cook_expansion(
        &mut self,
        i: usize,
        cooked: &mut String,
        expansions: &mut Vec<Expansion>,
    ) -> Option<usize> {
        let (exp, end) = self.expansion(i)?;
        if let Some(exp) = exp {
            cooked.push(OPAQUE);
            expansions.push(exp);
        } else {
            cooked.push('$');
        }
        Some(end)
    }

    /// Adds the character at `i` to a cooked word; returns where the next one starts.
    /// Adds the ordinary text from `i` up to the next byte of `special`, a blank or the end
    /// (at least one character); returns where it stops.
    fn cook_run(&self, i: usize, cooked: &mut String, stops: &[bool; 256]) -> usize {
        let mut j = i + self.char_at(i).len_utf8();
        // Bytes of a multi-byte character are never stops: the run ends on a boundary.
        while j < self.end && !stops[usize::from(self.s[j])] {
            j += 1;
        }
        cooked.push_str(&self.text[i..j]);
        j
    }

    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or('\u{fffd}')
    }

    /// The index of the next `b` from `i` (no escapes: single quotes).
    fn find(&self, i: usize, b: u8) -> Option<usize> {
        memchr::memchr(b, &self.s[i.min(self.end)..self.end]).map(|n| i + n)
    }

    /// The inside of `"…"` from `i`; returns the index after the closing quote.
    fn double(
        &mut self,
        i: usize,
        cooked: &mut String,
        expansions: &mut Vec<Expansion>,
    ) -> Option<usize> {
        self.expanding(i, cooked, expansions, false)
    }

    /// Text read as inside double quotes (or, with `heredoc`, as the body of an unquoted
    /// here-document, where `"` is an ordinary character) up to the closing quote or the end.
    fn expanding(
        &mut self,
        mut i: usize,
        cooked: &mut String,
        expansions: &mut Vec<Expansion>,
        heredoc: bool,
    ) -> Option<usize> {
        loop {
            let Some(c) = self.at(i) else {
                return if heredoc { Some(i) } else { None };
            };
            match c {
                b'"' if !heredoc => return Some(i + 1),
                b'\\' => match self.at(i + 1)? {
                    b'\n' => i += 2,
                    b'"' if heredoc => {
                        cooked.push('\\');
                        i += 1;
                    }
                    n @ (b'$' | b'`' | b'"' | b'\\') => {
                        cooked.push(n as char);
                        i += 2;
                    }
                    _ => {
                        cooked.push('\\');
                        i += 1;
                    }
                },
                b'$' | b'`' => i = self.cook_expansion(i, cooked, expansions)?,
                _ => i = self.cook_run(i, cooked, &QUOTED_STOPS),
            }
        }
    }

    /// `$'…'` from `i` (after the quote), decoded; returns the index after the closing quote.
    fn dollar_single(&self, mut i: usize, cooked: &mut String) -> Option<usize> {
        loop {
            let c = self.at(i)?;
            match c {
                b'\'' => return Some(i + 1),
                b'\\' => {
                    let n = self.at(i + 1)?;
                    i += 2;
                    match n {
                        b'n' => cooked.push('\n'),
                        b't' => cooked.push('\t'),
                        b'r' => cooked.push('\r'),
                        b'a' => cooked.push('\x07'),
                        b'b' => cooked.push('\x08'),
                        b'e' | b'E' => cooked.push('\x1b'),
                        b'f' => cooked.push('\x0c'),
                        b'v' => cooked.push('\x0b'),
                        b'\\' | b'\'' | b'"' | b'?' => cooked.push(n as char),
                        // Octal, hex, unicode and control escapes: a character the shell
                        // computes; kept as one opaque character.
                        _ => {
                            cooked.push(OPAQUE);
                            while self.at(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
                                i += 1;
                            }
                        }
                    }
                }
                _ => {
                    let ch = self.char_at(i);
                    cooked.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
    }

    /// The expansion at `i` (`$…` or a backquote) and where it ends; `None` for a `$` that
    /// expands nothing (`$` before a space, `$` at the end).
    fn expansion(&mut self, i: usize) -> Option<(Option<Expansion>, usize)> {
        if self.s[i] == b'`' {
            let close = self.backquote_end(i + 1)?;
            return Some((
                Some(Expansion {
                    span: i..close + 1,
                    process: false,
                    inner: Some(i + 1..close),
                }),
                close + 1,
            ));
        }
        let exp = |end: usize, inner| {
            Some((
                Some(Expansion {
                    span: i..end,
                    process: false,
                    inner,
                }),
                end,
            ))
        };
        match self.at(i + 1) {
            Some(b'(') if self.at(i + 2) == Some(b'(') => {
                let close = self.group_end(i + 3, b'(', b')')?;
                let end = if self.at(close + 1) == Some(b')') {
                    close + 2
                } else {
                    close + 1
                };
                exp(end, None)
            }
            Some(b'(') => {
                let close = self.group_end(i + 2, b'(', b')')?;
                exp(close + 1, Some(i + 2..close))
            }
            Some(b'{') => {
                let close = self.group_end(i + 2, b'{', b'}')?;
                exp(close + 1, None)
            }
            Some(b'[') => {
                let close = self.group_end(i + 2, b'[', b']')?;
                exp(close + 1, None)
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let mut j = i + 1;
                while self
                    .at(j)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    j += 1;
                }
                exp(j, None)
            }
            Some(b) if b.is_ascii_digit() || b"@*#?$!-".contains(&b) => exp(i + 2, None),
            _ => Some((None, i + 1)),
        }
    }

    /// The closing backquote from `i`.
    fn backquote_end(&self, mut i: usize) -> Option<usize> {
        loop {
            match self.at(i)? {
                b'\\' => i += 2,
                b'`' => return Some(i),
                _ => i += 1,
            }
        }
    }

    /// The `shut` closing a group opened before `i`, past quotes, comments and nested groups.
    fn group_end(&mut self, i: usize, open: u8, shut: u8) -> Option<usize> {
        if self.nesting >= MAX_NESTING {
            return None;
        }
        self.nesting += 1;
        let found = self.group_end_inner(i, open, shut);
        self.nesting -= 1;
        found
    }

    fn group_end_inner(&mut self, mut i: usize, open: u8, shut: u8) -> Option<usize> {
        let mut level = 1u32;
        loop {
            let c = self.at(i)?;
            match c {
                b'\\' => i += 2,
                b'\'' if open != b'[' => i = self.find(i + 1, b'\'')? + 1,
                b'"' => {
                    let mut scratch = String::new();
                    let mut exps = Vec::new();
                    i = self.double(i + 1, &mut scratch, &mut exps)?;
                }
                b'`' => i = self.backquote_end(i + 1)? + 1,
                b'$' if matches!(self.at(i + 1), Some(b'(' | b'{' | b'[')) => {
                    let (_, end) = self.expansion(i)?;
                    i = end;
                }
                b'#' if open == b'('
                    && i > 0
                    && matches!(self.s[i - 1], b' ' | b'\t' | b'\n' | b';') =>
                {
                    while self.at(i).is_some_and(|b| b != b'\n') {
                        i += 1;
                    }
                }
                _ if c == open => {
                    level += 1;
                    i += 1;
                }
                _ if c == shut => {
                    level -= 1;
                    if level == 0 {
                        return Some(i);
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }
}

/// Where the commands that `closer` ends start in `before` (the commands before it): the
/// `( … )` group that just closed (`group`, when `closer` is only its redirections), the `{`
/// of a `}`, or the opening keyword of a `done`, `fi` or `esac`.
fn enclosing_start(before: &[Command], closer: &Command, group: Option<usize>) -> Option<usize> {
    let args = closer.args();
    match args.first() {
        None => group,
        Some(w) if w.cooked == "}" && !w.quoted => before.iter().rposition(opens_group),
        Some(_) => compound_start(before, closer),
    }
}

/// Whether a command opens a `{ …; }` group: `{ a; b; }`, also timed or negated (`time {
/// …`, `! {`).
fn opens_group(c: &Command) -> bool {
    c.words
        .iter()
        .find(|w| w.quoted || !matches!(w.cooked.as_str(), "time" | "-p" | "!"))
        .is_some_and(|w| !w.quoted && w.cooked == "{")
}

/// The output redirections of each compound command or group (on its `done`, `fi`, `esac`,
/// `}` or `)`), and of each call of a function of the script, given to every command inside
/// it, as [`Command::inherited`].
fn inherit_redirections(text: &str, out: &mut [Command]) {
    // (The script's functions, found once, when a call is redirected.)
    let functions = std::cell::OnceCell::new();
    for k in 0..out.len() {
        let outputs: Vec<Word> = out[k]
            .words
            .iter()
            .filter(|w| {
                let before = text.get(..w.span.start).unwrap_or("").trim_end();
                w.redirect && (before.ends_with('>') || before.ends_with(">&"))
            })
            .cloned()
            .collect();
        if outputs.is_empty() {
            continue;
        }
        if let Some(start) = enclosing_start(&out[..k], &out[k], out[k].after_group) {
            for c in &mut out[start..k] {
                c.inherited.extend(outputs.iter().cloned());
            }
            continue;
        }
        // A function of the script called with them (`gen > >(sh)`): its body's commands.
        // (`time gen`, `! gen`, `\gen`, `"gen"` call it too.)
        let Some(name) = out[k]
            .args()
            .into_iter()
            .find(|w| w.quoted || !matches!(w.cooked.as_str(), "time" | "-p" | "!" | "command"))
            .map(|w| w.cooked.clone())
        else {
            continue;
        };
        if !(text.contains("()") || text.contains("function ")) {
            continue;
        }
        let functions = functions.get_or_init(|| super::functions::functions(text));
        // Called through a variable (`f=gen; $f > >(sh)`): it may be any of them.
        let called: Vec<&String> = if out[k]
            .args()
            .into_iter()
            .find(|w| w.quoted || !matches!(w.cooked.as_str(), "time" | "-p" | "!" | "command"))
            .is_some_and(|w| !w.expansions.is_empty())
        {
            functions.iter().collect()
        } else {
            functions.iter().filter(|f| **f == name).collect()
        };
        for body in called
            .into_iter()
            .filter_map(|f| super::functions::function_span(text, f))
        {
            for c in out.iter_mut() {
                if c.words
                    .first()
                    .is_some_and(|w| body.contains(&w.span.start))
                {
                    c.inherited.extend(outputs.iter().cloned());
                }
            }
        }
    }
}

/// Where the compound command that `closer` (`done`, `fi`, `esac`, with its redirections)
/// ends starts in `out`: the command whose first word opens it, nested ones counted.
fn compound_start(out: &[Command], closer: &Command) -> Option<usize> {
    // (Past the keywords that open a command list: `do for b in …`.)
    let first = |c: &Command| {
        c.words
            .iter()
            .find(|w| {
                w.quoted
                    || !matches!(
                        w.cooked.as_str(),
                        "do" | "then" | "else" | "elif" | "!" | "{" | "time" | "-p"
                    )
            })
            .filter(|w| !w.quoted && !w.redirect)
            .map(|w| w.cooked.clone())
    };
    let opens: &[&str] = match first(closer)?.as_str() {
        "done" => &["for", "while", "until", "select"],
        "fi" => &["if"],
        "esac" => &["case"],
        _ => return None,
    };
    let closes = first(closer)?;
    let mut depth = 0usize;
    for (k, c) in out.iter().enumerate().rev() {
        let Some(w) = first(c) else { continue };
        if w == closes {
            depth += 1;
        } else if opens.contains(&w.as_str()) {
            if depth == 0 {
                return Some(k);
            }
            depth -= 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cooked(script: &str) -> Vec<Vec<String>> {
        commands(script, 0..script.len())
            .unwrap()
            .iter()
            .map(|c| c.args().iter().map(|w| w.cooked.clone()).collect())
            .collect()
    }

    #[test]
    fn words_are_cooked_as_the_shell_does() {
        assert_eq!(
            cooked(r#"echo 'a b' "c \$d \x" e\ f $'g\nh' "$HOME/i" `id` $(ls)"#),
            [vec![
                "echo", "a b", "c $d \\x", "e f", "g\nh", "x/i", "x", "x"
            ]]
        );
        assert_eq!(
            cooked("a=1 b c; d | e && f\ng # h\n(i)"),
            [
                vec!["a=1", "b", "c"],
                vec!["d"],
                vec!["e"],
                vec!["f"],
                vec!["g"],
                vec!["i"],
            ]
        );
        assert_eq!(
            cooked("sh -c \"echo \\\"\\$1\\\"\" _ 2>/dev/null x"),
            [vec!["sh", "-c", "echo \"$1\"", "_", "x"]]
        );
        assert_eq!(cooked("a=(1 \"2 3\") b"), [vec!["a=(1 \"2 3\")", "b"]]);
    }

    #[test]
    fn expansions_and_heredocs() {
        let s = "ssh h \"$(echo 'x)')\" ${a:-b}";
        let c = commands(s, 0..s.len()).unwrap();
        let w = &c[0].words[2];
        assert_eq!(w.expansions.len(), 1);
        assert_eq!(&s[w.expansions[0].inner.clone().unwrap()], "echo 'x)'");
        assert_eq!(c[0].words[3].cooked, "x");

        let s = "cat <<EOF | ssh h\nbody\nEOF\necho after";
        let c = commands(s, 0..s.len()).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(&s[c[0].heredocs[0].body.clone()], "body\n");
        assert!(c[1].heredocs.is_empty());
        assert!(c[0].piped);
        assert_eq!(c[2].args()[0].cooked, "echo");

        assert!(commands("echo 'open", 0..10).is_none());
        assert!(commands("echo $(open", 0..11).is_none());
    }
}
