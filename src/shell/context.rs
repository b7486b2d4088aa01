//! Where a value stands in a POSIX shell script: how the text there is quoted, and whether the
//! shell reads it as arithmetic (SPEC §2.5).
//!
//! Arithmetic matters because bash evaluates the *expanded* text of an arithmetic expression
//! as an expression, and an array subscript in it runs command substitutions: with
//! `n='a[$(reboot)]'`, `echo $(( $n + 1 ))` reboots. Passing the value through a variable does
//! not help there, so the renderer accepts only integers in these places.

/// How the text at a position of a POSIX shell script is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    Bare,
    Double,
    Single,
    DollarSingle,
    Heredoc,
    QuotedHeredoc,
    /// The pattern or replacement of `${name/pattern/string}`, `${name#pattern}`,
    /// `${name%pattern}`, `${name^pattern}`: a value there must be quoted to match itself
    /// (and `&` in a replacement stands for the match).
    Pattern,
    /// Shell arithmetic: `$(( ))`, `(( ))`, `$[ ]`, `let`, an array subscript
    /// (`${name[…]}`, `name[…]=`, `unset name[…]`), a substring offset (`${name:…}`) or an
    /// operand of `[[ … -eq … ]]`. Whatever the quotes, the shell evaluates the text there.
    Arithmetic,
}

#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Bare,
    Double,
    Single,
    DollarSingle,
    /// `$(…)`: bare text until the matching `)`.
    Subst,
    /// The body of an unquoted here-document: read as inside double quotes, but `"` is an
    /// ordinary character.
    Here,
    /// `name=( … )`: the words of a compound assignment, where `[…]=` is a subscript.
    Compound {
        assoc: bool,
    },
    /// `${name/…}`, `${name#…}`, `${name%…}`, `${name^…}`, `${name,…}` up to its `}`.
    Pattern {
        depth: u32,
    },
    Backtick,
    Comment,
    /// `let …`: bare text, read as arithmetic, until the end of the command.
    Let,
    /// Arithmetic until `close` at nesting depth 0; `param` for a subscript inside `${…}`,
    /// which a substring offset (`${name[i]:offset}`) may follow.
    Arith {
        close: Close,
        depth: u32,
        param: bool,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Close {
    /// `))` of `$((…))` and `((…))`.
    Parens,
    /// `]` of `$[…]` and of a subscript.
    Bracket,
    /// `}` of `${name:offset:length}`.
    Brace,
}

fn arith(close: Close) -> Frame {
    Frame::Arith {
        close,
        depth: 0,
        param: false,
    }
}

/// The operators of `[[ ]]` whose operands bash evaluates as arithmetic.
const ARITH_TESTS: [&[u8]; 6] = [b"-eq", b"-ne", b"-lt", b"-le", b"-gt", b"-ge"];

/// Builtins that take variable names, whose subscripts bash evaluates as arithmetic.
const NAME_BUILTINS: [&[u8]; 7] = [
    b"unset",
    b"read",
    b"declare",
    b"typeset",
    b"local",
    b"readonly",
    b"export",
];

/// Words after which a command starts.
const KEYWORDS: [&[u8]; 10] = [
    b"if", b"then", b"elif", b"else", b"do", b"while", b"until", b"time", b"for", b"!",
];

/// Scans the script up to `offset` and says how the text there is read. The script must
/// not contain template blocks (they are replaced by placeholders first).
pub fn context_at(script: &str, offset: usize) -> Quoting {
    scan(script, offset).0
}

/// Whether the text at `offset` stands inside backquotes (`` `…` ``), where the shell removes
/// one more level of backslashes before it parses the text.
pub fn in_backquotes(script: &str, offset: usize) -> bool {
    scan(script, offset).2
}

/// Whether every quote, `$(`, `${`, backquote and here-document of the script is closed.
pub fn balanced(script: &str) -> bool {
    scan(script, script.len()).1
}

/// Every name that the shell reads as arithmetic somewhere in the script (`$(( n + 1 ))`,
/// `(( n > 3 ))`, `let`, subscripts, `[[ $n -eq 1 ]]`), and every variable declared integer:
/// a value that reaches one of them is evaluated as an expression.
pub fn arithmetic_names(script: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    scan_with(script, script.len(), Some(&mut names));
    let bytes = script.as_bytes();
    names.extend(
        integers(bytes)
            .into_iter()
            .map(|n| String::from_utf8_lossy(n).into_owned()),
    );
    names
}

/// The quoting at `offset`, whether nothing is left open there, and whether it stands inside
/// backquotes.
fn scan(script: &str, offset: usize) -> (Quoting, bool, bool) {
    scan_with(script, offset, None)
}

fn scan_with(
    script: &str,
    offset: usize,
    mut names: Option<&mut std::collections::BTreeSet<String>>,
) -> (Quoting, bool, bool) {
    let bytes = script.as_bytes();
    let assoc = associative_arrays(bytes, offset);
    let assoc_names = &assoc;
    let ints = integers(bytes);
    let mut stack = vec![Frame::Bare];
    let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
    // Byte ranges read as arithmetic that the frames do not show (`[[ ]]` operands, quoted
    // subscripts of `unset 'name[…]'`).
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        let c = bytes[i];
        let top = *stack.last().unwrap_or(&Frame::Bare);
        if let Some(names) = names.as_deref_mut()
            && is_name_start(c)
            && (i == 0 || !is_name(bytes[i - 1]))
            && matches!(top, Frame::Arith { .. } | Frame::Let)
        {
            let end = name_end(bytes, i);
            names.insert(script[i..end].to_string());
        }
        match top {
            Frame::Single => {
                if c == b'\'' {
                    stack.pop();
                }
            }
            Frame::DollarSingle => {
                if c == b'\\' {
                    i += 1;
                } else if c == b'\'' {
                    stack.pop();
                }
            }
            Frame::Comment => {
                if c == b'\n' {
                    stack.pop();
                    continue; // the newline may start here-document bodies
                }
            }
            Frame::Double | Frame::Here => match c {
                b'\\' => i += 1,
                b'"' if top == Frame::Double => {
                    stack.pop();
                }
                b'$' => {
                    if let Some((frame, len)) = dollar(bytes, i, &assoc) {
                        stack.push(frame);
                        i += len;
                        continue;
                    }
                }
                b'`' => stack.push(Frame::Backtick),
                _ => {}
            },
            Frame::Arith {
                close,
                depth,
                param,
            } => match c {
                b'\\' => i += 1,
                b'\'' => stack.push(Frame::Single),
                b'"' => stack.push(Frame::Double),
                b'`' => stack.push(Frame::Backtick),
                b'$' => {
                    if let Some((frame, len)) = dollar(bytes, i, &assoc) {
                        stack.push(frame);
                        i += len;
                        continue;
                    }
                }
                _ => {
                    let (open, shut) = match close {
                        Close::Parens => (b'(', b')'),
                        Close::Bracket => (b'[', b']'),
                        Close::Brace => (b'{', b'}'),
                    };
                    let depth = if c == open {
                        depth + 1
                    } else if c == shut && depth > 0 {
                        depth - 1
                    } else if c == shut {
                        stack.pop();
                        if close == Close::Parens {
                            if bytes.get(i + 1) == Some(&b')') {
                                i += 1;
                            } else {
                                // `$((cd x) && ls)`: a command substitution after all.
                                stack.push(Frame::Subst);
                            }
                        } else if param && substring(bytes, i + 1) {
                            stack.push(arith(Close::Brace));
                            i += 1;
                        }
                        i += 1;
                        continue;
                    } else {
                        depth
                    };
                    if let Some(Frame::Arith { depth: d, .. }) = stack.last_mut() {
                        *d = depth;
                    }
                }
            },
            Frame::Pattern { depth } => match c {
                b'}' if depth == 0 => {
                    stack.pop();
                }
                b'{' | b'}' => {
                    if let Some(Frame::Pattern { depth: d }) = stack.last_mut() {
                        *d = if c == b'{' {
                            *d + 1
                        } else {
                            d.saturating_sub(1)
                        };
                    }
                }
                _ => {
                    if let Some(step) = open_inner(bytes, i, &mut stack, assoc_names) {
                        i += step;
                        continue;
                    }
                }
            },
            Frame::Compound { assoc } => match c {
                b')' => {
                    stack.pop();
                }
                b'[' if !assoc && word_start(bytes, i) => {
                    stack.push(arith(Close::Bracket));
                }
                _ => {
                    if let Some(step) = open_inner(bytes, i, &mut stack, assoc_names) {
                        i += step;
                        continue;
                    }
                }
            },
            Frame::Bare | Frame::Subst | Frame::Backtick | Frame::Let => {
                if top == Frame::Let && (b";&|\n)`".contains(&c)) {
                    stack.pop();
                    continue; // the end of `let` is read by the frame around it
                }
                // `name=(`: a compound assignment.
                if c == b'(' && i > 0 && bytes[i - 1] == b'=' {
                    let mut n = i - 1;
                    if n > 0 && bytes[n - 1] == b'+' {
                        n -= 1;
                    }
                    let mut start = n;
                    while start > 0 && is_name(bytes[start - 1]) {
                        start -= 1;
                    }
                    if start < n && word_start(bytes, start) {
                        let assoc = assoc_names.contains(&&bytes[start..n]);
                        stack.push(Frame::Compound { assoc });
                        i += 1;
                        continue;
                    }
                }
                if matches!(c, b'(' | b'[' | b'l') && command_position(bytes, i) {
                    if bytes[i..].starts_with(b"((") {
                        stack.push(arith(Close::Parens));
                        i += 2;
                        continue;
                    }
                    if bytes[i..].starts_with(b"[[")
                        && bytes.get(i + 2).is_none_or(u8::is_ascii_whitespace)
                    {
                        test_operands(bytes, i + 2, &assoc, &mut ranges);
                        i += 2;
                        continue;
                    }
                    if bytes[i..].starts_with(b"let")
                        && bytes.get(i + 3).is_some_and(|b| *b == b' ' || *b == b'\t')
                    {
                        stack.push(Frame::Let);
                        i += 3;
                        continue;
                    }
                }
                // `n=VALUE` or `n+=VALUE` for an integer `n`: the value is arithmetic.
                if is_name_start(c) && word_start(bytes, i) {
                    let end = name_end(bytes, i);
                    let op = match &bytes[end..] {
                        [b'=', ..] => 1,
                        [b'+', b'=', ..] => 2,
                        _ => 0,
                    };
                    if op > 0 && ints.contains(&&bytes[i..end]) {
                        stack.push(Frame::Let);
                        i = end + op;
                        continue;
                    }
                }
                if (is_name_start(c) || c == b'\'' || c == b'"')
                    && word_start(bytes, i)
                    && let Some(end) = subscript_word(bytes, i, &assoc, &mut ranges)
                {
                    stack.push(arith(Close::Bracket));
                    i = end;
                    continue;
                }
                match c {
                    b'\\' => i += 1,
                    b'\'' => stack.push(Frame::Single),
                    b'"' => stack.push(Frame::Double),
                    b'$' if bytes.get(i + 1) == Some(&b'\'') => {
                        stack.push(Frame::DollarSingle);
                        i += 1;
                    }
                    b'$' => {
                        if let Some((frame, len)) = dollar(bytes, i, &assoc) {
                            stack.push(frame);
                            i += len;
                            continue;
                        }
                    }
                    b'`' if top == Frame::Backtick => {
                        stack.pop();
                    }
                    b'`' => stack.push(Frame::Backtick),
                    b')' if top == Frame::Subst => {
                        stack.pop();
                    }
                    b'#' if i == 0
                        || bytes[i - 1].is_ascii_whitespace()
                        || b";&|(".contains(&bytes[i - 1]) =>
                    {
                        stack.push(Frame::Comment)
                    }
                    b'<' if bytes[i..].starts_with(b"<<<") => {
                        // A here-string, not a here-document.
                        i += 3;
                        continue;
                    }
                    b'<' if bytes.get(i + 1) == Some(&b'<') && bytes.get(i + 2) != Some(&b'<') => {
                        let mut j = i + 2;
                        if bytes.get(j) == Some(&b'-') {
                            j += 1;
                        }
                        while bytes.get(j).is_some_and(|b| *b == b' ' || *b == b'\t') {
                            j += 1;
                        }
                        let start = j;
                        while bytes
                            .get(j)
                            .is_some_and(|b| !b.is_ascii_whitespace() && !b";&|<>()".contains(b))
                        {
                            j += 1;
                        }
                        let word = &script[start..j];
                        if !word.is_empty() {
                            let quoted = word.contains(['\'', '"', '\\']);
                            let delimiter: String = word
                                .chars()
                                .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                                .collect();
                            pending_heredocs.push((delimiter, quoted));
                            i = j;
                            continue;
                        }
                    }
                    b'\n' if !pending_heredocs.is_empty() => {
                        // Here-document bodies start on the next line, one after the other.
                        let mut at = i + 1;
                        let mut inside = None;
                        'bodies: for (delimiter, quoted) in std::mem::take(&mut pending_heredocs) {
                            let body = at;
                            loop {
                                let end = script[at..].find('\n').map_or(script.len(), |n| at + n);
                                let closing = script[at..end].trim_start_matches('\t') == delimiter;
                                if offset >= at && offset <= end && !closing {
                                    if quoted {
                                        let ticks = stack.contains(&Frame::Backtick);
                                        return (Quoting::QuotedHeredoc, false, ticks);
                                    }
                                    inside = Some(body);
                                    break 'bodies;
                                }
                                let line = &script[at..end];
                                at = (end + 1).min(script.len());
                                if line.trim_start_matches('\t') == delimiter || end >= script.len()
                                {
                                    break;
                                }
                            }
                        }
                        if let Some(body) = inside {
                            // Expansions (and arithmetic) still happen in an unquoted body.
                            stack.push(Frame::Here);
                            i = body;
                        } else {
                            i = at;
                        }
                        continue;
                    }
                    _ => {}
                }
            }
        }
        i += 1;
    }
    let top = stack.last().copied().unwrap_or(Frame::Bare);
    let ticks = stack.contains(&Frame::Backtick);
    if let Some(names) = names {
        // `[[ $n -eq 1 ]]` operands and quoted subscripts (`unset 'a[n]'`).
        for &(start, end) in &ranges {
            let mut k = start;
            while k < end.min(bytes.len()) {
                if is_name_start(bytes[k]) && (k == 0 || !is_name(bytes[k - 1])) {
                    let stop = name_end(bytes, k);
                    names.insert(script[k..stop].to_string());
                    k = stop;
                } else {
                    k += 1;
                }
            }
        }
    }
    let closed = pending_heredocs.is_empty()
        && matches!(
            stack.as_slice(),
            [Frame::Bare] | [Frame::Bare, Frame::Comment]
        );
    let in_arithmetic = stack
        .iter()
        .any(|f| matches!(f, Frame::Arith { .. } | Frame::Let));
    if top != Frame::Comment
        && (in_arithmetic || ranges.iter().any(|&(s, e)| s <= offset && offset < e))
    {
        return (Quoting::Arithmetic, closed, ticks);
    }
    let quoting = match top {
        Frame::Double => Quoting::Double,
        Frame::Single => Quoting::Single,
        Frame::DollarSingle => Quoting::DollarSingle,
        Frame::Here => Quoting::Heredoc,
        Frame::Pattern { .. } => Quoting::Pattern,
        _ => Quoting::Bare,
    };
    (quoting, closed, ticks)
}

/// Opens the quote or expansion at `i`, read as the shell reads it outside quotes: how far
/// to move on, or `None` for an ordinary character.
fn open_inner(bytes: &[u8], i: usize, stack: &mut Vec<Frame>, assoc: &[&[u8]]) -> Option<usize> {
    let frame = match bytes[i] {
        b'\\' => return Some(2),
        b'\'' => Frame::Single,
        b'"' => Frame::Double,
        b'`' => Frame::Backtick,
        b'$' if bytes.get(i + 1) == Some(&b'\'') => {
            stack.push(Frame::DollarSingle);
            return Some(2);
        }
        b'$' => {
            let (frame, len) = dollar(bytes, i, assoc)?;
            stack.push(frame);
            return Some(len);
        }
        _ => return None,
    };
    stack.push(frame);
    Some(1)
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The end of the name starting at `i` (`i` itself if there is none).
fn name_end(bytes: &[u8], i: usize) -> usize {
    if !bytes.get(i).copied().is_some_and(is_name_start) {
        return i;
    }
    let mut j = i;
    while bytes.get(j).copied().is_some_and(is_name) {
        j += 1;
    }
    j
}

/// The frame a `$` at `i` opens (other than `$'`), and how many bytes its opening takes.
fn dollar(bytes: &[u8], i: usize, assoc: &[&[u8]]) -> Option<(Frame, usize)> {
    match bytes.get(i + 1)? {
        b'(' if bytes.get(i + 2) == Some(&b'(') => Some((arith(Close::Parens), 3)),
        b'(' => Some((Frame::Subst, 2)),
        b'[' => Some((arith(Close::Bracket), 2)),
        b'{' => {
            let mut start = i + 2;
            if matches!(bytes.get(start), Some(b'#' | b'!')) {
                start += 1;
            }
            let mut end = name_end(bytes, start);
            if end == start {
                if !matches!(bytes.get(start), Some(b'@' | b'*')) {
                    return None;
                }
                end += 1;
            }
            match bytes.get(end)? {
                b'[' if !assoc.contains(&&bytes[start..end]) => Some((
                    Frame::Arith {
                        close: Close::Bracket,
                        depth: 0,
                        param: true,
                    },
                    end + 1 - i,
                )),
                b':' if substring(bytes, end) => Some((arith(Close::Brace), end + 1 - i)),
                b'/' | b'#' | b'%' | b'^' | b',' if bytes[i + 2] != b'#' => {
                    Some((Frame::Pattern { depth: 0 }, end + 1 - i))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether the `:` at `i` in `${…}` starts a substring offset (not `:-`, `:=`, `:?`, `:+`).
fn substring(bytes: &[u8], i: usize) -> bool {
    bytes.get(i) == Some(&b':') && !matches!(bytes.get(i + 1), Some(b'-' | b'=' | b'?' | b'+'))
}

/// Whether a word starts at `i`.
fn word_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || bytes[i - 1].is_ascii_whitespace() || b";&|()`".contains(&bytes[i - 1])
}

/// Whether a command starts at `i`: after a separator or a keyword such as `if`.
fn command_position(bytes: &[u8], i: usize) -> bool {
    let mut j = i;
    while j > 0 && matches!(bytes[j - 1], b' ' | b'\t') {
        j -= 1;
    }
    if j == 0 || b"\n;&|(){`".contains(&bytes[j - 1]) {
        return true;
    }
    let end = j;
    while j > 0 && (bytes[j - 1].is_ascii_alphabetic() || bytes[j - 1] == b'!') {
        j -= 1;
    }
    word_start(bytes, j) && KEYWORDS.contains(&&bytes[j..end]) && command_position(bytes, j)
}

/// The words of the simple command that `i` stands in, up to `i`.
fn command_words(bytes: &[u8], i: usize) -> Vec<&[u8]> {
    let mut start = i;
    while start > 0 && !b"\n;&|(){`".contains(&bytes[start - 1]) {
        start -= 1;
    }
    let words: Vec<&[u8]> = bytes[start..i]
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .collect();
    let first = words
        .iter()
        .position(|w| !KEYWORDS.contains(w))
        .unwrap_or(words.len());
    words[first..].to_vec()
}

/// The index of the `]` closing the `[` at `open`, on the same line.
fn closing_bracket(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0u32;
    for (k, b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'[' => depth += 1,
            b']' if depth <= 1 => return Some(k),
            b']' => depth -= 1,
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

/// A word at `i` naming an array element whose subscript bash evaluates: `name[…]=value`,
/// `name[…]+=value`, or an argument of `unset`, `read`, `declare`, … (or `printf -v`).
/// Returns where the subscript starts when the word is unquoted; records the subscript of a
/// quoted one (`unset 'name[…]'`) in `ranges`.
fn subscript_word(
    bytes: &[u8],
    i: usize,
    assoc: &[&[u8]],
    ranges: &mut Vec<(usize, usize)>,
) -> Option<usize> {
    let quoted = matches!(bytes[i], b'\'' | b'"');
    let start = if quoted { i + 1 } else { i };
    let end = name_end(bytes, start);
    if end == start || bytes.get(end) != Some(&b'[') || assoc.contains(&&bytes[start..end]) {
        return None;
    }
    let close = closing_bracket(bytes, end)?;
    let words = command_words(bytes, i);
    let takes_names = match words.first() {
        Some(&b"printf") => words.last() == Some(&&b"-v"[..]),
        Some(w) => NAME_BUILTINS.contains(w),
        None => false,
    };
    let assignment =
        !quoted && (bytes.get(close + 1) == Some(&b'=') || bytes[close + 1..].starts_with(b"+="));
    if quoted {
        if takes_names {
            ranges.push((end + 1, close));
        }
        None
    } else if assignment || takes_names {
        Some(end + 1)
    } else {
        None
    }
}

/// Records the operands of the arithmetic operators of the `[[ … ]]` whose words start at
/// `from`, and the subscripts of `-v name[…]`.
fn test_operands(bytes: &[u8], from: usize, assoc: &[&[u8]], ranges: &mut Vec<(usize, usize)>) {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = from;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        if matches!(bytes[i], b'(' | b')') {
            i += 1;
            words.push((start, i));
            continue;
        }
        let mut depth = 0u32;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' => i += 1,
                b'\'' | b'"' => {
                    let mut k = i + 1;
                    while let Some(&q) = bytes.get(k) {
                        if q == b'\\' && b == b'"' {
                            k += 1;
                        } else if q == b {
                            break;
                        }
                        k += 1;
                    }
                    i = k;
                }
                b'(' | b'{' | b'[' => depth += 1,
                b')' | b'}' | b']' if depth > 0 => depth -= 1,
                b')' => break,
                _ if depth == 0 && b.is_ascii_whitespace() => break,
                _ => {}
            }
            i += 1;
        }
        let end = i.min(bytes.len());
        if &bytes[start..end] == b"]]" {
            break;
        }
        words.push((start, end));
    }
    let is_operand =
        |w: &(usize, usize)| !matches!(&bytes[w.0..w.1], b"(" | b")" | b"!" | b"&&" | b"||");
    for (n, &(s, e)) in words.iter().enumerate() {
        let word = &bytes[s..e];
        if ARITH_TESTS.contains(&word) {
            let around = [
                n.checked_sub(1).and_then(|p| words.get(p)),
                words.get(n + 1),
            ];
            ranges.extend(
                around
                    .into_iter()
                    .flatten()
                    .filter(|w| is_operand(w))
                    .copied(),
            );
        } else if word == b"-v"
            && let Some(&(s, e)) = words.get(n + 1)
        {
            let start = if matches!(bytes[s], b'\'' | b'"') {
                s + 1
            } else {
                s
            };
            let end = name_end(bytes, start);
            if end > start && end < e && bytes[end] == b'[' && !assoc.contains(&&bytes[start..end])
            {
                ranges.push((end + 1, e));
            }
        }
    }
}

/// The names the script declares as associative arrays (`declare -A name`) before `before`,
/// outside any function: their subscripts are strings, not arithmetic. A `local -A` or a
/// `declare -A` in a function declares a name of that function's scope only, and one
/// declared after a use was not associative at that use: both are read as indexed arrays
/// (whose subscripts are arithmetic), the stricter reading.
fn associative_arrays(bytes: &[u8], before: usize) -> Vec<&[u8]> {
    associative_declarations(bytes)
        .into_iter()
        .filter(|d| d.holds_at(before))
        .map(|d| d.name)
        .collect()
}

/// An associative array's declaration: where, and the function whose scope it is in
/// (`None`: the script's).
pub struct Associative<'a> {
    pub at: usize,
    pub name: &'a [u8],
    pub scope: Option<std::ops::Range<usize>>,
}

impl Associative<'_> {
    /// Whether the name is associative at `use_at`: declared before it, in its scope.
    pub fn holds_at(&self, use_at: usize) -> bool {
        self.at < use_at && self.scope.as_ref().is_none_or(|s| s.contains(&use_at))
    }
}

/// The associative arrays the script declares, each with where and in which scope: a
/// `local -A` or a `declare -A` in a function is of that function (`-g`: global), a
/// `local` outside any function declares nothing (bash refuses it).
pub fn associative_declarations(bytes: &[u8]) -> Vec<Associative<'_>> {
    let functions = function_bodies(bytes);
    declared_at(bytes, b'A')
        .into_iter()
        .filter_map(|(at, local, name)| {
            let function = functions.iter().find(|f| f.contains(&at)).cloned();
            let global = global_at(bytes, at, name);
            match function {
                _ if global => Some(None),
                None if local => None,
                None => Some(None),
                Some(f) => Some(Some(f)),
            }
            .map(|scope| Associative { at, name, scope })
        })
        .collect()
}

/// Whether the script declares `name` an associative array before `before`, outside any
/// function (`declare -A name`).
pub fn is_associative(text: &str, name: &str, before: usize) -> bool {
    associative_arrays(text.as_bytes(), before).contains(&name.as_bytes())
}

/// Whether the declaration of `name` in the command at `at` has `-g` (global).
fn global_at(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    let end = memchr::memmem::find(&bytes[at..], name).map_or(bytes.len(), |e| at + e);
    bytes[at..end]
        .split(u8::is_ascii_whitespace)
        .any(|w| w.starts_with(b"-") && w.contains(&b'g'))
}

/// The byte ranges of the bodies of the functions the script defines (`name() {…}`,
/// `function name {…}`), braces counted as they come (a brace inside quotes may end one
/// early: a declaration after it is then read as in the function, the stricter reading).
fn function_bodies(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let opens = if bytes[i..].starts_with(b"()") {
            Some(i + 2)
        } else if bytes[i..].starts_with(b"function ") && (i == 0 || !is_name(bytes[i - 1])) {
            Some(i + 9)
        } else {
            None
        };
        let Some(mut j) = opens else {
            i += 1;
            continue;
        };
        if bytes[i] == b'f' {
            // `function name [()]`
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            j = name_end(bytes, j);
            if bytes[j..].starts_with(b"()") {
                j += 2;
            }
        }
        // Skip white space and new lines to the opening brace.
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        if bytes.get(j) != Some(&b'{') {
            i += 1;
            continue;
        }
        let start = j;
        let mut depth = 0usize;
        let mut k = j;
        while k < bytes.len() {
            match bytes[k] {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        out.push(start..k.min(bytes.len()));
        i = start + 1;
    }
    out
}

/// The names the script declares as integers (`declare -i name`, `local -i`, `typeset -i`):
/// bash evaluates what is assigned to them as arithmetic.
fn integers(bytes: &[u8]) -> Vec<&[u8]> {
    declared(bytes, b'i')
}

/// The names that a `declare`, `typeset` or `local` with the option letter `flag` declares.
fn declared(bytes: &[u8], flag: u8) -> Vec<&[u8]> {
    declared_at(bytes, flag)
        .into_iter()
        .map(|(_, _, name)| name)
        .collect()
}

/// The names that a `declare`, `typeset` or `local` with the option letter `flag` declares,
/// each with where it is declared and whether by `local`.
fn declared_at(bytes: &[u8], flag: u8) -> Vec<(usize, bool, &[u8])> {
    let mut names = Vec::new();
    let finder = |word: &[u8]| memchr::memmem::find(bytes, word).is_some();
    if !(finder(b"declare") || finder(b"typeset") || finder(b"local")) {
        return names;
    }
    // Every `declare`, `typeset` or `local` that starts a word, wherever it stands (after
    // `{`, `then`, in a function): its words up to the end of the command.
    let mut at = 0;
    for command in bytes.split(|b| b"\n;&|(){}`".contains(b)) {
        let start = at;
        at += command.len() + 1;
        let mut words = command
            .split(u8::is_ascii_whitespace)
            .filter(|w| !w.is_empty())
            .skip_while(|w| !matches!(*w, b"declare" | b"typeset" | b"local"));
        let Some(keyword) = words.next() else {
            continue;
        };
        let local = keyword == b"local";
        let mut flagged = false;
        for word in words {
            if word.starts_with(b"-") {
                flagged |= word.contains(&flag);
            } else if flagged {
                let end = name_end(word, 0);
                if end > 0 {
                    names.push((start, local, &word[..end]));
                }
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_x(script: &str) -> Quoting {
        let offset = script.find('X').unwrap_or(script.len());
        context_at(script, offset)
    }

    #[test]
    fn quoting_contexts() {
        let cases = [
            ("echo X", Quoting::Bare),
            ("echo \"a X", Quoting::Double),
            ("echo 'a X", Quoting::Single),
            ("echo $'a X", Quoting::DollarSingle),
            ("echo \"$(ls X", Quoting::Bare),
            ("echo \"$(ls \"X", Quoting::Double),
            ("echo 'a' X", Quoting::Bare),
            ("echo \"it's X", Quoting::Double),
            ("echo \\' X", Quoting::Bare),
            ("cat <<EOF\nX", Quoting::Heredoc),
            ("cat <<'EOF'\nX", Quoting::QuotedHeredoc),
            ("cat <<EOF\na\nEOF\necho X", Quoting::Bare),
            ("# it's a comment\necho X", Quoting::Bare),
            ("echo `ls 'X", Quoting::Single),
            ("echo \"${v/X/y}\"", Quoting::Pattern),
            ("echo ${v#X}", Quoting::Pattern),
            ("echo \"${v//a/X}\" Y", Quoting::Pattern),
            ("echo \"${v%%a}X", Quoting::Double),
            ("echo \"${v:-X}", Quoting::Double),
            ("cat <<< \"a X", Quoting::Double),
            ("cat <<<'a X", Quoting::Single),
        ];
        for (script, expected) in cases {
            assert_eq!(at_x(script), expected, "{script:?}");
        }
    }

    #[test]
    fn arithmetic_contexts() {
        for script in [
            "echo $(( X + 1 ))",
            "echo \"$(( X + 1 ))\"",
            "echo $(( (1 + 2) * X ))",
            "echo $(( \"X\" + 1 ))",
            "(( X > 2 )) && echo big",
            "if (( X )); then :; fi",
            "for (( i = 0; i < X; i++ )); do :; done",
            "echo $[ X + 1 ]",
            "echo ${arr[X]}",
            "echo \"${arr[X]}\"",
            "echo ${#arr[X]}",
            "echo ${s:X}",
            "echo ${s: X:2}",
            "echo ${arr[1]:X}",
            "arr[X]=1",
            "arr[X]+=1",
            "a=1 arr[X]=1",
            "unset arr[X]",
            "unset 'arr[X]'",
            "read -r \"arr[X]\"",
            "printf -v arr[X] %s 1",
            "declare arr[X]=1",
            "[[ X -gt 5 ]]",
            "[[ 5 -eq X ]]",
            "[[ \"X\" -le 5 ]]",
            "if [[ -n y && ( 1 -ne X ) ]]; then :; fi",
            "[[ -v arr[X] ]]",
            "let X",
            "let 'x = X + 1'",
            "let x=1 y=X",
            "echo $(( $(cat X) ))",
            "declare -i n; n=X",
            "declare -i n=X",
            "local -ri n; n+=X",
            "typeset -i a b; b=\"X\"",
        ] {
            assert_eq!(at_x(script), Quoting::Arithmetic, "{script:?}");
        }
    }

    #[test]
    fn not_arithmetic() {
        for (script, expected) in [
            ("echo $( (X) )", Quoting::Bare),
            ("echo $(( 1 )) X", Quoting::Bare),
            ("(( 1 )); echo X", Quoting::Bare),
            ("echo \"(( X ))\"", Quoting::Double),
            ("echo ${v:-X}", Quoting::Bare),
            ("echo ${v:=X}", Quoting::Bare),
            ("echo \"${v:+X}\"", Quoting::Double),
            ("echo arr[X]", Quoting::Bare),
            ("printf '%s' arr[X]", Quoting::Bare),
            ("echo [[ X -eq 1 ]]", Quoting::Bare),
            ("[[ X == 5 ]]", Quoting::Bare),
            ("[[ 1 -eq 1 && X == y ]]", Quoting::Bare),
            ("[ X -eq 5 ]", Quoting::Bare),
            ("let x=1; echo X", Quoting::Bare),
            ("let x=1 # X", Quoting::Bare),
            ("echo let X", Quoting::Bare),
            ("declare -A m; echo ${m[X]}", Quoting::Bare),
            ("declare -A m\nm[X]=1", Quoting::Bare),
            ("local -gA m=(); unset 'm[X]'", Quoting::Single),
            ("echo ${arr[1]} X", Quoting::Bare),
            ("declare -i n; m=X", Quoting::Bare),
            ("declare -i n=1; echo X", Quoting::Bare),
            ("declare n; n=X", Quoting::Bare),
        ] {
            assert_eq!(at_x(script), expected, "{script:?}");
        }
    }

    #[test]
    fn a_shift_is_not_a_here_document() {
        for script in [
            "echo $(( 1 << 2 ))\nprintf '[%s]' X",
            "(( x <<= 1 ))\necho X",
            "echo $[ 1 << 2 ]\necho X",
            "echo ${a[1<<2]}\necho X",
        ] {
            assert_eq!(at_x(script), Quoting::Bare, "{script:?}");
        }
        assert_eq!(at_x("let x=1<<EOF\nX\nEOF"), Quoting::Heredoc);
    }
}
