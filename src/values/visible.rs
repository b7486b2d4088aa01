//! Text made safe to show on a terminal: nothing a command prints or a runbook says can move
//! the cursor, clear the screen, retitle the window, write the clipboard (`ESC]52`) or reverse
//! the order of what the engineer reads.
//!
//! Colour (SGR: `ESC[…m`) passes through. Every other escape sequence is shown with a visible
//! `␛` in place of its ESC (`␛[2J`); every other control character but tab and new line as
//! `\xNN` (`\x07`); C1 controls, Unicode bidirectional controls and invisible characters as
//! `<U+202E>`; bytes that are not UTF-8 as `\xNN`. A carriage return is kept only where it
//! ends a line's text before a new one starts (`\r` not followed by `\n`, the progress bars of
//! curl, pip and apt), for the screen to draw the line's final state; `\r\n` becomes `\n`.

/// What an invisible or direction-changing character is, for lint messages; `None` for other
/// characters. Tab, new line and carriage return are not in the list.
pub fn invisible(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "a bidirectional override",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "a bidirectional mark",
        '\u{200B}' => "a zero-width space",
        '\u{200C}' | '\u{200D}' => "a zero-width joiner",
        '\u{2060}'..='\u{2064}' => "an invisible operator",
        '\u{FEFF}' => "a zero-width no-break space (byte order mark)",
        '\u{00AD}' => "a soft hyphen",
        '\u{180E}' => "a Mongolian vowel separator",
        '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' => "a Hangul filler",
        '\u{E0000}'..='\u{E007F}' => "a tag character",
        '\u{FFF9}'..='\u{FFFB}' => "an interlinear annotation character",
        _ => return None,
    })
}

/// What a no-break space is, for lint's and the importer's messages; `None` for other
/// characters. It looks like a space and is one to a reader, but not to the shell, which
/// reads the words on either side as one (`kubectl get pods\u{a0}-n web`): wiki and word
/// processor exports put it in commands. It is ordinary typography in prose.
pub fn no_break_space(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "a no-break space",
        '\u{202F}' => "a narrow no-break space",
        '\u{2007}' => "a figure space",
        _ => return None,
    })
}

/// Characters shown as `<U+XXXX>`: what [`invisible`] names that changes what is read (the
/// bidirectional controls), and the C1 controls, which some terminals obey.
fn shown_as_code(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9F}')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// The longest escape sequence held back while waiting for its end; a longer one is shown.
const MAX_SEQUENCE: usize = 64;

/// A filter from bytes a program printed to bytes safe to write to a terminal, for one
/// stream: sequences and characters split across chunks are held until they are whole. A run
/// of one control character is shown once with its count (`\x00×65536`): a binary dump is
/// not blown up fourfold on the screen.
#[derive(Debug, Default)]
pub struct Visible {
    pending: Vec<u8>,
    /// A run of one control character not shown yet (it may go on in the next chunk).
    run: Option<(u8, u64)>,
}

impl Visible {
    /// Filters `chunk`, appending what may be shown to `out`; keeps the incomplete end.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if self.pending.is_empty() && self.run.is_none() && is_plain(chunk) {
            out.extend_from_slice(chunk);
            return;
        }
        if self.pending.is_empty() {
            let used = filter(chunk, out, false, false, true, &mut self.run);
            self.pending = chunk[used..].to_vec();
            return;
        }
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(chunk);
        let used = filter(&data, out, false, false, true, &mut self.run);
        self.pending = data[used..].to_vec();
    }

    /// Shows what was held back (an escape sequence, a carriage return or a character the
    /// stream ended inside, a run of a control character).
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let data = std::mem::take(&mut self.pending);
        filter(&data, out, true, false, true, &mut self.run);
        flush_run(&mut self.run, out);
    }
}

/// A text to show on a line of its own (a title, an instruction, a value): as [`Visible`],
/// and a carriage return shown too (`\x0d`).
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    shown(text, true)
}

/// A runbook's own text in a place the tool styles (a title in a header, a table's cell): as
/// [`visible`], and colour shown too (`␛[31m`). An author writes no escape sequence in a
/// title; one there would restyle the tool's line or misalign a table's columns.
pub fn plain_text(text: &str) -> std::borrow::Cow<'_, str> {
    shown(text, false)
}

fn shown(text: &str, colour: bool) -> std::borrow::Cow<'_, str> {
    if is_plain(text.as_bytes()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = Vec::with_capacity(text.len() + 8);
    let mut run = None;
    filter(text.as_bytes(), &mut out, true, true, colour, &mut run);
    flush_run(&mut run, &mut out);
    std::borrow::Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// A whole document for a terminal (a report, lint's diagnostics): as [`visible`], but a
/// `\r\n` line ending is a new line.
pub fn visible_document(text: &str) -> std::borrow::Cow<'_, str> {
    if is_plain(text.as_bytes()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(visible(&text.replace("\r\n", "\n")).into_owned())
}

/// Printable ASCII, tabs and new lines only: nothing to change.
fn is_plain(bytes: &[u8]) -> bool {
    plain_prefix(bytes) == bytes.len()
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// Whether a word of ASCII bytes holds one below `n` (n ≤ 128).
fn has_below(x: u64, n: u8) -> bool {
    x.wrapping_sub(LO * u64::from(n)) & !x & HI != 0
}

/// How many bytes at the start of `data` are plain (printable ASCII, tab, new line): eight
/// at a time where a word has no control character, DEL or non-ASCII byte. Command output is
/// mostly such text, and every byte of it passes here.
fn plain_prefix(data: &[u8]) -> usize {
    let mut n = 0;
    for word in data.chunks_exact(8) {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else {
            break;
        };
        let x = u64::from_ne_bytes(bytes);
        let clean = x & HI == 0 && !has_below(x, 0x20) && !has_below(x ^ (LO * 0x7f), 1);
        if !clean && !word.iter().all(|&b| is_plain_byte(b)) {
            break;
        }
        n += 8;
    }
    n + data[n..]
        .iter()
        .position(|&b| !is_plain_byte(b))
        .unwrap_or(data.len() - n)
}

/// How many bytes at the start of `data` are `b`, eight at a time.
fn run_of(data: &[u8], b: u8) -> usize {
    let word = LO * u64::from(b);
    let mut n = 0;
    for chunk in data.chunks_exact(8) {
        match <[u8; 8]>::try_from(chunk) {
            Ok(bytes) if u64::from_ne_bytes(bytes) == word => n += 8,
            _ => break,
        }
    }
    n + data[n..]
        .iter()
        .position(|&c| c != b)
        .unwrap_or(data.len() - n)
}

fn is_plain_byte(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t'
}

fn hex(out: &mut Vec<u8>, b: u8) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend_from_slice(&[
        b'\\',
        b'x',
        DIGITS[usize::from(b >> 4)],
        DIGITS[usize::from(b & 15)],
    ]);
}

/// Shows a run of one control character: up to three times as is, else once with its count.
fn flush_run(run: &mut Option<(u8, u64)>, out: &mut Vec<u8>) {
    if let Some((b, n)) = run.take() {
        if n <= 3 {
            for _ in 0..n {
                hex(out, b);
            }
        } else {
            hex(out, b);
            out.extend_from_slice(format!("×{n}").as_bytes());
        }
    }
}

/// Filters `data` into `out`; returns how many bytes were used (the rest is an incomplete
/// sequence, kept for the next chunk unless `last`). `text`: a carriage return is shown.
fn filter(
    data: &[u8],
    out: &mut Vec<u8>,
    last: bool,
    text: bool,
    colour: bool,
    run: &mut Option<(u8, u64)>,
) -> usize {
    let mut i = 0;
    while i < data.len() {
        let b = data[i];
        let control = matches!(b, 0x00..=0x08 | 0x0b | 0x0c | 0x0e..=0x1a | 0x1c..=0x1f | 0x7f)
            || (b == b'\r' && text);
        if control {
            // A run of it, however long, across chunks too.
            let n = run_of(&data[i..], b);
            match run {
                Some((rb, count)) if *rb == b => *count += n as u64,
                _ => {
                    flush_run(run, out);
                    *run = Some((b, n as u64));
                }
            }
            i += n;
            continue;
        }
        flush_run(run, out);
        match b {
            b'\n' | b'\t' | 0x20..=0x7e => {
                let end = i + plain_prefix(&data[i..]);
                out.extend_from_slice(&data[i..end]);
                i = end;
            }
            b'\r' => match data.get(i + 1) {
                Some(b'\n') => i += 1,
                // Several in a row are one.
                Some(b'\r') => i += 1,
                Some(_) => {
                    out.push(b'\r');
                    i += 1;
                }
                None if last => {
                    out.push(b'\r');
                    i += 1;
                }
                None => return i,
            },
            0x1b => match escape(&data[i..]) {
                Escape::Colour(n) if colour => {
                    out.extend_from_slice(&data[i..i + n]);
                    i += n;
                }
                Escape::Colour(_) => {
                    out.extend_from_slice("␛".as_bytes());
                    i += 1;
                }
                Escape::Other => {
                    out.extend_from_slice("␛".as_bytes());
                    i += 1;
                }
                Escape::Incomplete if !last && data.len() - i < MAX_SEQUENCE => return i,
                Escape::Incomplete => {
                    out.extend_from_slice("␛".as_bytes());
                    i += 1;
                }
            },
            _ => {
                let len = match b {
                    0xc2..=0xdf => 2,
                    0xe0..=0xef => 3,
                    0xf0..=0xf4 => 4,
                    _ => 0,
                };
                if len == 0 {
                    hex(out, b);
                    i += 1;
                    continue;
                }
                if i + len > data.len() {
                    // Possibly a character split across chunks.
                    let rest = &data[i..];
                    if !last && rest[1..].iter().all(|c| (0x80..0xc0).contains(c)) {
                        return i;
                    }
                    hex(out, b);
                    i += 1;
                    continue;
                }
                match std::str::from_utf8(&data[i..i + len]) {
                    Ok(s) => {
                        let c = s.chars().next().unwrap_or('\u{FFFD}');
                        if shown_as_code(c) {
                            out.extend_from_slice(format!("<U+{:04X}>", c as u32).as_bytes());
                        } else {
                            out.extend_from_slice(s.as_bytes());
                        }
                        i += len;
                    }
                    Err(_) => {
                        hex(out, b);
                        i += 1;
                    }
                }
            }
        }
    }
    i
}

enum Escape {
    /// A colour sequence of this many bytes, shown as is.
    Colour(usize),
    Other,
    Incomplete,
}

/// What the escape sequence at the start of `s` (which starts with ESC) is.
fn escape(s: &[u8]) -> Escape {
    match s.get(1) {
        None => Escape::Incomplete,
        Some(b'[') => {
            // CSI: parameter bytes, then intermediate bytes, then one final byte.
            let mut j = 2;
            while let Some(&c) = s.get(j) {
                match c {
                    b'0'..=b'9' | b';' | b':' => j += 1,
                    // Not `8` (conceal): text made invisible is not colour.
                    b'm' if j <= MAX_SEQUENCE => {
                        // By value, as the terminal reads them: `08` is `8`, empty is `0`;
                        // a number too large for the terminal is no colour.
                        let params: Option<Vec<u32>> = s[2..j]
                            .split(|&b| b == b';' || b == b':')
                            .map(|p| match p {
                                [] => Some(0),
                                digits => std::str::from_utf8(digits).ok()?.parse().ok(),
                            })
                            .collect();
                        let Some(params) = params else {
                            return Escape::Other;
                        };
                        let mut conceals = false;
                        let mut k = 0;
                        while k < params.len() {
                            match params[k] {
                                // A colour by number (`38;5;8`) or by RGB: its numbers follow.
                                38 | 48 | 58 => {
                                    k += match params.get(k + 1) {
                                        Some(5) => 3,
                                        Some(2) => 5,
                                        _ => 1,
                                    }
                                }
                                8 => {
                                    conceals = true;
                                    k += 1;
                                }
                                _ => k += 1,
                            }
                        }
                        return if conceals {
                            Escape::Other
                        } else {
                            Escape::Colour(j + 1)
                        };
                    }
                    _ => return Escape::Other,
                }
            }
            Escape::Incomplete
        }
        Some(_) => Escape::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(chunks: &[&[u8]]) -> String {
        let mut v = Visible::default();
        let mut out = Vec::new();
        for c in chunks {
            v.push(c, &mut out);
        }
        v.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn controls_are_shown_and_colour_kept() {
        assert_eq!(stream(&[b"plain\ttext\n"]), "plain\ttext\n");
        assert_eq!(stream(&[b"\x1b[2J\x1b[H"]), "␛[2J␛[H");
        assert_eq!(
            stream(&[b"\x1b]52;c;cm0gLXJmIH4=\x07"]),
            "␛]52;c;cm0gLXJmIH4=\\x07"
        );
        assert_eq!(stream(&[b"\x1b[1;31mred\x1b[0m"]), "\x1b[1;31mred\x1b[0m");
        assert_eq!(stream(&[b"\x1b[8mhidden"]), "␛[8mhidden");
        assert_eq!(stream(&[b"\x1b[38;5;8mgrey"]), "\x1b[38;5;8mgrey");
        assert_eq!(stream(&[b"\x1b[08mhidden"]), "␛[08mhidden");
        assert_eq!(stream(&[b"\x1b[1;008mhidden"]), "␛[1;008mhidden");
        assert_eq!(stream(&[b"\x1b[99999999999mx"]), "␛[99999999999mx");
        assert_eq!(stream(&[b"\x1b[01;31mred"]), "\x1b[01;31mred");
        assert_eq!(stream(&[b"\x1b]0;title\x1b\\"]), "␛]0;title␛\\");
        assert_eq!(stream(&[b"a\x08b\x00c\x7f"]), "a\\x08b\\x00c\\x7f");
        // A binary dump: each run once, with its count, across chunks.
        assert_eq!(stream(&[&[0u8; 5000], &[0u8; 5000], b"x"]), "\\x00×10000x");
        assert_eq!(stream(&[b"\x07\x07\x07\n"]), "\\x07\\x07\\x07\n");
        assert_eq!(stream(&["\u{9b}2J".as_bytes()]), "<U+009B>2J");
        assert_eq!(stream(&["a\u{202E}b".as_bytes()]), "a<U+202E>b");
        assert_eq!(stream(&[b"bad \xff\xfe utf8"]), "bad \\xff\\xfe utf8");
        assert_eq!(stream(&["é ✓ 🙂".as_bytes()]), "é ✓ 🙂");
    }

    #[test]
    fn sequences_and_characters_split_across_chunks() {
        assert_eq!(stream(&[b"x\x1b[3", b"1mred"]), "x\x1b[31mred");
        assert_eq!(stream(&[b"x\x1b", b"[2J"]), "x␛[2J");
        let check = "✓".as_bytes();
        assert_eq!(stream(&[&check[..1], &check[1..]]), "✓");
        assert_eq!(stream(&[b"ends in \x1b["]), "ends in ␛[");
    }

    #[test]
    fn plain_text_is_found_a_word_at_a_time() {
        let text = b"Hello, world: 0123456789 {}[]~\tend\n".repeat(20);
        assert_eq!(plain_prefix(&text), text.len());
        for bad in [0x00u8, 0x07, 0x1b, 0x7f, 0x80, 0xff, b'\r'] {
            for at in [0, 5, 8, 13, 699] {
                let mut t = text.clone();
                t[at] = bad;
                assert_eq!(plain_prefix(&t), at, "{bad:#x} at {at}");
            }
        }
        assert_eq!(run_of(&[7u8; 21], 7), 21);
        assert_eq!(run_of(&[7, 7, 7, 7, 7, 7, 7, 7, 7, 1], 7), 9);
    }

    #[test]
    fn carriage_returns() {
        assert_eq!(stream(&[b"a\r\nb\r\n"]), "a\nb\n");
        assert_eq!(stream(&[b"10%\r50%\r100%\n"]), "10%\r50%\r100%\n");
        assert_eq!(stream(&[b"10%\r", b"\n"]), "10%\n");
        assert_eq!(stream(&[b"x\r\r\ny"]), "x\ny");
        assert_eq!(visible("title\rfake"), "title\\x0dfake");
    }

    #[test]
    fn texts() {
        assert_eq!(visible("Restart the API"), "Restart the API");
        assert_eq!(visible("x\x1b[2Jy"), "x␛[2Jy");
        assert_eq!(visible("multi\nline"), "multi\nline");
        assert_eq!(visible_document("a\r\nb\rc\x1b[2J"), "a\nb\\x0dc␛[2J");
        assert_eq!(invisible('\u{202E}'), Some("a bidirectional override"));
        assert_eq!(invisible('a'), None);
    }

    #[test]
    fn long_or_odd_sequences_do_not_hang_or_panic() {
        let long = [b"\x1b[".as_slice(), &[b'1'; 200], b"m"].concat();
        let shown = stream(&[&long]);
        assert!(shown.starts_with('␛'), "{shown}");
        for bytes in [
            &b"\x1b"[..],
            b"\xf0\x9f",
            b"\xe2",
            b"\r",
            b"\x1b[",
            b"\xc0\x80",
        ] {
            let _ = stream(&[bytes]);
        }
    }
}
