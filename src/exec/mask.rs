//! Masking secrets (and their base64 forms) as `***` in output that streams in chunks.
//!
//! Matching is leftmost-longest (Aho-Corasick), so when secrets overlap the longest one
//! starting first is masked. A chunk is masked up to the last position where every pattern
//! would still fit inside the bytes seen so far; the rest (at most the longest pattern's length
//! minus one byte) is held back and masked together with the next chunk, so a secret split
//! across chunks is masked exactly as if the stream had arrived in one piece.

use std::io::{self, Write};

use aho_corasick::{AhoCorasick, MatchKind};

/// What replaces a secret.
pub const MASK: &str = "***";

/// Replaces every occurrence of any secret in a stream of chunks, even one split across
/// chunks. With no secrets it passes bytes through untouched.
pub struct Masker {
    matcher: Matcher,
    /// Bytes not yet written: they may be the start of a secret that the next chunk completes.
    carry: Vec<u8>,
    /// Reused buffer for `carry` followed by the new chunk.
    scratch: Vec<u8>,
}

enum Matcher {
    /// No secrets: a pass-through.
    Nothing,
    Secrets {
        automaton: AhoCorasick,
        /// Longest pattern length minus one: the most bytes ever held back.
        hold: usize,
    },
    /// The automaton could not be built (only for absurdly large secrets): fail closed, every
    /// chunk becomes a mask rather than risk showing a secret.
    Broken,
}

impl Masker {
    /// `secrets`: the secret values; their standard base64 forms are added.
    pub fn new(secrets: &[String]) -> Masker {
        Masker {
            matcher: Matcher::new(&patterns(secrets)),
            carry: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// True when there is nothing to mask: `push` returns its input unchanged.
    pub fn is_empty(&self) -> bool {
        matches!(self.matcher, Matcher::Nothing)
    }

    /// Masks a chunk; bytes that may be the start of a secret are held back until the next
    /// chunk or `finish`.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(chunk.len() + self.carry.len());
        // Writing into a Vec cannot fail.
        let _ = self.push_to(chunk, &mut out);
        out
    }

    /// Flushes what was held back.
    pub fn finish(&mut self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.carry.len());
        let _ = self.finish_to(&mut out);
        out
    }

    /// Like `push`, but writes the masked bytes to `out` without an intermediate buffer (with
    /// no secrets the chunk goes straight through).
    pub fn push_to<W: Write + ?Sized>(&mut self, chunk: &[u8], out: &mut W) -> io::Result<()> {
        let hold = match &self.matcher {
            Matcher::Nothing => return out.write_all(chunk),
            Matcher::Broken => return write_broken(chunk, out),
            Matcher::Secrets { hold, .. } => *hold,
        };
        if self.carry.is_empty() {
            let kept = self.mask_settled(chunk, hold, out)?;
            self.carry.extend_from_slice(&chunk[kept..]);
        } else {
            let mut data = std::mem::take(&mut self.scratch);
            data.clear();
            data.extend_from_slice(&self.carry);
            data.extend_from_slice(chunk);
            let kept = self.mask_settled(&data, hold, out);
            if let Ok(kept) = kept {
                self.carry.clear();
                self.carry.extend_from_slice(&data[kept..]);
            }
            self.scratch = data;
            kept?;
        }
        Ok(())
    }

    /// Like `finish`, writing to `out`.
    pub fn finish_to<W: Write + ?Sized>(&mut self, out: &mut W) -> io::Result<()> {
        let carry = std::mem::take(&mut self.carry);
        if carry.is_empty() {
            return Ok(());
        }
        match &self.matcher {
            Matcher::Nothing => out.write_all(&carry),
            Matcher::Broken => write_broken(&carry, out),
            Matcher::Secrets { automaton, .. } => {
                let mut pos = 0;
                for found in automaton.find_iter(&carry) {
                    out.write_all(&carry[pos..found.start()])?;
                    out.write_all(MASK.as_bytes())?;
                    pos = found.end();
                }
                out.write_all(&carry[pos..])
            }
        }
    }

    /// Masks a whole string at once.
    pub fn mask_str(&self, text: &str) -> String {
        match &self.matcher {
            Matcher::Nothing => text.to_string(),
            Matcher::Broken if text.is_empty() => String::new(),
            Matcher::Broken => MASK.to_string(),
            Matcher::Secrets { automaton, .. } => {
                let mut out = String::with_capacity(text.len());
                automaton.replace_all_with(text, &mut out, |_, _, dst| {
                    dst.push_str(MASK);
                    true
                });
                out
            }
        }
    }

    /// Writes `data` masked up to the point where no later byte can change a decision, and
    /// returns that point: the caller keeps `data[point..]` for the next chunk.
    fn mask_settled<W: Write + ?Sized>(
        &self,
        data: &[u8],
        hold: usize,
        out: &mut W,
    ) -> io::Result<usize> {
        let Matcher::Secrets { automaton, .. } = &self.matcher else {
            out.write_all(data)?;
            return Ok(data.len());
        };
        // Every pattern starting before `settled` lies wholly inside `data`, so the
        // leftmost-longest matches starting there are final.
        let settled = data.len().saturating_sub(hold);
        let mut pos = 0;
        for found in automaton.find_iter(data) {
            if found.start() >= settled {
                break;
            }
            out.write_all(&data[pos..found.start()])?;
            out.write_all(MASK.as_bytes())?;
            pos = found.end();
        }
        let kept = pos.max(settled);
        out.write_all(&data[pos..kept])?;
        Ok(kept)
    }
}

impl Matcher {
    fn new(patterns: &[Vec<u8>]) -> Matcher {
        let Some(longest) = patterns.iter().map(Vec::len).max() else {
            return Matcher::Nothing;
        };
        match AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns)
        {
            Ok(automaton) => Matcher::Secrets {
                automaton,
                hold: longest - 1,
            },
            Err(_) => Matcher::Broken,
        }
    }
}

fn write_broken<W: Write + ?Sized>(chunk: &[u8], out: &mut W) -> io::Result<()> {
    if chunk.is_empty() {
        Ok(())
    } else {
        out.write_all(MASK.as_bytes())
    }
}

/// The byte strings to mask: each non-empty secret, its padded base64 form and its unpadded
/// one, and the base64 of the secret inside longer data (see [`embedded_base64`]), without
/// duplicates.
fn patterns(secrets: &[String]) -> Vec<Vec<u8>> {
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    // A secret of several lines (a key, a certificate) is printed a line at a time as often
    // as whole (`echo "$KEY" | head -1`): each line long enough to be told apart from common
    // text is a secret too, and so is the whole with the new line `echo` adds.
    let mut all: Vec<String> = Vec::new();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        all.push(secret.clone());
        if secret.contains('\n') {
            all.extend(
                secret
                    .lines()
                    .map(|l| l.trim_end_matches('\r'))
                    .filter(|l| l.trim().chars().count() >= LINE_MIN)
                    .map(str::to_string),
            );
        }
        if !secret.ends_with('\n') {
            all.push(format!("{secret}\n"));
        }
    }
    // A value or line with blanks around it is printed trimmed as often as not (`xargs`,
    // `read`, `tr -d ' '`): the trimmed text is a secret too, when long enough.
    let trimmed: Vec<String> = all
        .iter()
        .map(|s| s.trim())
        .filter(|t| t.chars().count() >= LINE_MIN)
        .filter(|t| !all.iter().any(|s| s == t))
        .map(str::to_string)
        .collect();
    for t in trimmed {
        if !all.contains(&t) {
            all.push(t);
        }
    }
    for secret in &all {
        let padded = base64(secret.as_bytes());
        let unpadded = padded.trim_end_matches('=').as_bytes().to_vec();
        // (The form with a new line added counts only as base64: as text it is the secret.)
        let mut forms = if secret.ends_with('\n') && !secrets.contains(secret) {
            vec![padded.into_bytes(), unpadded]
        } else {
            vec![secret.as_bytes().to_vec(), padded.into_bytes(), unpadded]
        };
        forms.extend(embedded_base64(secret.as_bytes()));
        for pattern in forms {
            if !patterns.contains(&pattern) {
                patterns.push(pattern);
            }
        }
    }
    patterns
}

/// A line of a secret of several lines shorter than this (a `}`, `-----END-----` is longer)
/// is not masked on its own: it would match unrelated output too often.
const LINE_MIN: usize = 6;

/// Shorter than this, the base64 of a secret inside other data is not masked: a few
/// characters would match unrelated base64 text too often.
const EMBEDDED_MIN: usize = 8;

/// The base64 text that a secret becomes inside longer data (`user:TOKEN`, a JSON
/// document), whatever the bytes around it: base64 encodes 3 bytes as 4 characters, so the
/// secret starts at one of 3 offsets within a group, and the characters of the groups that
/// hold only the secret's bytes are the same whatever comes before or after. One pattern per
/// offset (the characters around it, which mix in other bytes, stay visible).
fn embedded_base64(secret: &[u8]) -> Vec<Vec<u8>> {
    let mut forms = Vec::new();
    for offset in 0..3 {
        let mut data = vec![0; offset];
        data.extend_from_slice(secret);
        let encoded = base64(&data).into_bytes();
        // Group g holds bytes 3g..3g+3: whole groups within offset..offset+len.
        let first = offset.div_ceil(3);
        let end = (offset + secret.len()) / 3;
        if end > first {
            let form = encoded[4 * first..4 * end].to_vec();
            if form.len() >= EMBEDDED_MIN {
                forms.push(form);
            }
        }
    }
    forms
}

/// Standard base64 (RFC 4648 §4) with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            group.get(1).copied().unwrap_or(0),
            group.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn masker(secrets: &[&str]) -> Masker {
        Masker::new(&secrets.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    /// Masks `text` delivered in the given pieces.
    fn stream(m: &mut Masker, pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for piece in pieces {
            out.extend(m.push(piece));
        }
        out.extend(m.finish());
        out
    }

    /// An independent reference: at each position mask the longest pattern starting there.
    fn reference(secrets: &[String], text: &[u8]) -> Vec<u8> {
        let patterns = patterns(secrets);
        let mut out = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let longest = patterns
                .iter()
                .filter(|p| text[i..].starts_with(p))
                .map(Vec::len)
                .max();
            match longest {
                Some(len) => {
                    out.extend_from_slice(MASK.as_bytes());
                    i += len;
                }
                None => {
                    out.push(text[i]);
                    i += 1;
                }
            }
        }
        out
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn no_secrets_is_identity() {
        let mut m = masker(&[]);
        assert!(m.is_empty());
        let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        assert_eq!(m.push(&data), data);
        assert_eq!(m.push(b"tail"), b"tail");
        assert!(m.finish().is_empty());
        assert_eq!(m.mask_str("hunter2 stays"), "hunter2 stays");
    }

    #[test]
    fn empty_secrets_are_ignored() {
        let mut m = masker(&["", ""]);
        assert!(m.is_empty());
        assert_eq!(m.push(b"abc"), b"abc");
        let m = masker(&["", "pw"]);
        assert_eq!(m.mask_str("a pw b"), "a *** b");
    }

    #[test]
    fn masks_every_occurrence_in_a_string() {
        let m = masker(&["hunter2"]);
        assert_eq!(
            m.mask_str("pw=hunter2 again hunter2hunter2."),
            "pw=*** again ******."
        );
        assert_eq!(m.mask_str("hunter"), "hunter");
        assert_eq!(m.mask_str("é hunter2 ü"), "é *** ü");
    }

    #[test]
    fn masks_each_line_of_a_secret_of_several_lines_and_base64_with_a_new_line() {
        let m = masker(&["line1secretAAA\nline2secretBBB\nEOF"]);
        assert_eq!(m.mask_str("first: line1secretAAA"), "first: ***");
        assert_eq!(m.mask_str("line2secretBBB\n"), "***\n");
        // Short lines are not secrets on their own.
        assert_eq!(m.mask_str("EOF"), "EOF");
        // A line indented in the secret, printed without its blanks.
        let m = masker(&["key:\n    indentedSecretLine  \n"]);
        assert_eq!(m.mask_str("got indentedSecretLine."), "got ***.");
        let m = masker(&["  padded-secret-value "]);
        assert_eq!(m.mask_str("padded-secret-value"), "***");
        // `echo "$S" | base64`: the base64 of the value and its new line.
        let m = masker(&["hunter2-Sup3rSecret"]);
        let encoded = base64(b"hunter2-Sup3rSecret\n");
        assert_eq!(m.mask_str(&encoded), "***");
    }

    #[test]
    fn masks_the_base64_of_a_secret_inside_longer_data() {
        let secret = "hunter2-Sup3rSecret";
        let m = Masker::new(&[secret.to_string()]);
        for prefix in ["", "u", "us", "user:", "a long prefix: "] {
            for suffix in ["", "x", "\n{\"more\": 1}"] {
                let data = format!("{prefix}{secret}{suffix}");
                let encoded = base64(data.as_bytes());
                let masked = m.mask_str(&encoded);
                assert!(masked.contains(MASK), "{data:?} -> {encoded} -> {masked}");
                // What is left visible is at most the characters that mix in other bytes.
                let visible = masked.replace(MASK, "");
                assert!(
                    visible.len() <= encoded.len() - 4 * (secret.len() / 3 - 1),
                    "{data:?} -> {masked}"
                );
            }
        }
        // A short secret's embedded forms are not masked: too many false matches.
        assert!(embedded_base64(b"abc").is_empty());
    }

    #[test]
    fn masks_base64_with_and_without_padding() {
        // "hunter2" → "aHVudGVyMg==": the unpadded form is a prefix of the padded one.
        let m = masker(&["hunter2"]);
        assert_eq!(
            m.mask_str("Authorization: aHVudGVyMg=="),
            "Authorization: ***"
        );
        assert_eq!(m.mask_str("token=aHVudGVyMg;"), "token=***;");
        // A length divisible by 3 has no padding.
        let m = masker(&["foobar"]);
        assert_eq!(m.mask_str("x Zm9vYmFy y"), "x *** y");
    }

    #[test]
    fn overlapping_secrets_mask_the_longest_leftmost() {
        let m = masker(&["abc", "abcdef", "cde"]);
        assert_eq!(m.mask_str("xabcdefx"), "x***x");
        assert_eq!(m.mask_str("xabcdex"), "x***dex");
        assert_eq!(m.mask_str("xbcdex"), "xb***x");
    }

    #[test]
    fn a_secret_split_at_every_point_is_masked() {
        let text = b"before s3cr3t-value after s3cr3t-value";
        let expected = b"before *** after ***".to_vec();
        for cut in 0..=text.len() {
            let mut m = masker(&["s3cr3t-value"]);
            let out = stream(&mut m, &[&text[..cut], &text[cut..]]);
            assert_eq!(out, expected, "cut at {cut}");
        }
        for a in 0..=text.len() {
            for b in a..=text.len() {
                let mut m = masker(&["s3cr3t-value"]);
                let out = stream(&mut m, &[&text[..a], &text[a..b], &text[b..]]);
                assert_eq!(out, expected, "cuts at {a} and {b}");
            }
        }
    }

    #[test]
    fn a_base64_secret_split_at_every_point_is_masked() {
        let text = b"auth: cy1zZWNyZXQ= end";
        for cut in 0..=text.len() {
            let mut m = masker(&["s-secret"]);
            let out = stream(&mut m, &[&text[..cut], &text[cut..]]);
            assert_eq!(out, b"auth: *** end", "cut at {cut}");
        }
    }

    #[test]
    fn byte_by_byte_matches_whole_string() {
        let secrets = ["abc", "abcdef", "cde", "zz"];
        let text = "abcdabcdefabcdezzzabczabcde";
        let mut m = masker(&secrets);
        let pieces: Vec<&[u8]> = text.as_bytes().chunks(1).collect();
        let out = stream(&mut m, &pieces);
        assert_eq!(String::from_utf8(out).unwrap(), m.mask_str(text));
    }

    #[test]
    fn holds_back_at_most_longest_minus_one() {
        // "abcd" → "YWJjZA==": the longest pattern has 8 bytes, so 7 are held back.
        let mut m = masker(&["abcd"]);
        assert_eq!(m.push(b"0123456789"), b"012");
        assert_eq!(m.push(b"abcd!"), b"34567");
        assert_eq!(m.push(b"YWJjZA== "), b"89***!***");
        assert_eq!(m.finish(), b" ");
        // A masker is reusable after `finish`.
        assert_eq!(m.push(b"abcdabcd"), b"***");
        assert_eq!(m.finish(), b"***");
    }

    #[test]
    fn push_to_writes_the_same_bytes_as_push() {
        let mut a = masker(&["secret"]);
        let mut b = masker(&["secret"]);
        let mut written = Vec::new();
        let mut returned = Vec::new();
        for piece in [&b"a sec"[..], b"ret and c2Vjcm", b"V0 done"] {
            a.push_to(piece, &mut written).unwrap();
            returned.extend(b.push(piece));
        }
        a.finish_to(&mut written).unwrap();
        returned.extend(b.finish());
        assert_eq!(written, returned);
        assert_eq!(written, b"a *** and *** done");
    }

    /// Secrets from a small alphabet (so that they overlap), and a text made of pieces: a
    /// secret, its padded or unpadded base64 form, or filler.
    fn text_and_secrets() -> impl Strategy<Value = (Vec<String>, Vec<u8>, Vec<usize>)> {
        let secrets = proptest::collection::vec("[ab=Y]{1,6}", 0..4);
        let pieces = proptest::collection::vec((0usize..4, 0usize..4, "[abYx=]{0,3}"), 0..25);
        let cuts = proptest::collection::vec(0usize..40, 0..30);
        (secrets, pieces, cuts).prop_map(|(secrets, pieces, cuts)| {
            let mut text = String::new();
            for (form, index, filler) in pieces {
                match secrets.get(index) {
                    Some(secret) if form < 3 => {
                        let padded = base64(secret.as_bytes());
                        text.push_str(match form {
                            0 => secret.as_str(),
                            1 => &padded,
                            _ => padded.trim_end_matches('='),
                        });
                    }
                    _ => text.push_str(&filler),
                }
            }
            (secrets, text.into_bytes(), cuts)
        })
    }

    proptest! {
        #[test]
        fn any_chunking_masks_like_the_reference((secrets, text, cuts) in text_and_secrets()) {
            let mut m = Masker::new(&secrets);
            let mut pieces = Vec::new();
            let mut rest = &text[..];
            for cut in cuts {
                let (piece, tail) = rest.split_at(cut.min(rest.len()));
                pieces.push(piece);
                rest = tail;
            }
            pieces.push(rest);
            let out = stream(&mut m, &pieces);
            let expected = reference(&secrets, &text);
            prop_assert_eq!(&out, &expected);
            let whole = String::from_utf8(text.clone()).unwrap();
            prop_assert_eq!(m.mask_str(&whole).into_bytes(), expected);
        }
    }
}
