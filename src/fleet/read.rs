//! Reading an inventory: bytes → text (size and encoding checked) → the INI or YAML reader
//! → the resolved [`Inventory`], or every problem found with its line and column.
//!
//! ## Which format
//!
//! By the file's extension, as Ansible's plugins pick theirs: `.yml`, `.yaml` and `.json` are
//! YAML (JSON is read as YAML). Any other name, `.ini` or none (`hosts`, `inventory`,
//! `prod.cfg`), is INI, unless the text looks like YAML: its first line that is not blank or a
//! comment is `---`, starts with `{`, or is a mapping key (`all:`, `web: {…}`), and no line
//! starts with `[` (an INI section). An INI file cannot start with `name:` followed by a
//! space or the end of the line, so the sniffing never takes a real INI file for YAML.

use super::builder::Builder;
use super::error::{InventoryError, InventoryErrorKind};
use super::inventory::Inventory;
use crate::load::{Source, Span};
use std::path::Path;

/// The largest inventory read: 100,000 hosts with their variables fit well within it.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;

/// Reads an inventory file: a regular file (not a FIFO or a device, which could block or
/// never end), at most one byte more than [`MAX_BYTES`] (which `from_bytes` then refuses
/// with its size).
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(if meta.is_dir() {
            "it is a folder, not a file"
        } else {
            "it is not a regular file"
        }));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Ini,
    Yaml,
}

impl Format {
    /// The format of a file, by its extension and, for INI names, its first line.
    pub fn detect(path: &Path, text: &str) -> Format {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("yml" | "yaml" | "json") => Format::Yaml,
            _ if looks_like_yaml(text) => Format::Yaml,
            _ => Format::Ini,
        }
    }
}

fn looks_like_yaml(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with(['#', ';']));
    let Some(first) = lines.next() else {
        return false;
    };
    if text.lines().any(|l| l.trim_start().starts_with('[')) {
        return false;
    }
    if first == "---" || first.starts_with('{') {
        return true;
    }
    // A mapping key: `name:` then the end of the line, a space or a tab.
    let key = first.trim_start_matches(['"', '\'']);
    match key.find(':') {
        Some(i) if i > 0 => {
            let rest = &key[i + 1..];
            let name = key[..i].trim_end_matches(['"', '\'']);
            (rest.is_empty() || rest.starts_with([' ', '\t']))
                && !name.contains(char::is_whitespace)
        }
        _ => false,
    }
}

impl Inventory {
    /// Reads an inventory file's bytes: UTF-8 (a byte-order mark is skipped), at most
    /// [`MAX_BYTES`], in the format [`Format::detect`] finds.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Inventory, Vec<InventoryError>> {
        let at_start = |kind| {
            vec![InventoryError {
                line: 1,
                column: 1,
                span: Span::at(0),
                kind,
            }]
        };
        if bytes.len() > MAX_BYTES {
            return Err(at_start(InventoryErrorKind::TooLarge {
                bytes: bytes.len(),
                limit: MAX_BYTES,
            }));
        }
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(at_start(InventoryErrorKind::Utf16));
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) => Inventory::parse(path, text),
            Err(e) => {
                let valid = e.valid_up_to();
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let source = Source::new(path, prefix);
                let kind = InventoryErrorKind::NotUtf8 {
                    byte: bytes.get(valid).copied().unwrap_or(0),
                };
                Err(vec![located(&source, Span::at(valid), kind)])
            }
        }
    }

    /// Reads an inventory's text, in the format [`Format::detect`] finds for `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Inventory, Vec<InventoryError>> {
        Inventory::parse_as(Format::detect(path, text), path, text)
    }

    /// Reads an inventory's text in the given format; `path` is for nothing but the record.
    pub fn parse_as(
        format: Format,
        path: &Path,
        text: &str,
    ) -> Result<Inventory, Vec<InventoryError>> {
        if text.len() > MAX_BYTES {
            let kind = InventoryErrorKind::TooLarge {
                bytes: text.len(),
                limit: MAX_BYTES,
            };
            return Err(vec![located(
                &Source::new(path, String::new()),
                Span::at(0),
                kind,
            )]);
        }
        let source = Source::new(path, text.to_string());
        let mut builder = Builder::new();
        match format {
            Format::Ini => super::ini::read(text, &mut builder),
            Format::Yaml => super::yaml::read(&source, &mut builder),
        }
        builder.finish(&source).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| located(&source, p.span, p.kind))
                .collect()
        })
    }
}

fn located(source: &Source, span: Span, kind: InventoryErrorKind) -> InventoryError {
    let at = source.position(span.start);
    InventoryError {
        line: at.line,
        column: at.column,
        span,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_format_comes_from_the_extension_then_the_text() {
        let yaml = "all:\n  hosts:\n    a:\n";
        let ini = "[web]\na\n";
        let cases = [
            ("hosts.yml", ini, Format::Yaml),
            ("hosts.YAML", ini, Format::Yaml),
            ("hosts.json", "{}", Format::Yaml),
            ("hosts.ini", ini, Format::Ini),
            ("hosts", ini, Format::Ini),
            ("hosts", "a\nb ansible_port=22\n", Format::Ini),
            ("hosts", "web-1:2222\n", Format::Ini),
            ("hosts", yaml, Format::Yaml),
            ("hosts.ini", yaml, Format::Yaml),
            (
                "prod.cfg",
                "# comment\n\nweb:\n  hosts: {a: }\n",
                Format::Yaml,
            ),
            ("hosts", "---\nall: {}\n", Format::Yaml),
            ("hosts", "{\"all\": {}}", Format::Yaml),
            ("hosts", "all: {hosts: {a: }}\n", Format::Yaml),
            ("hosts", "\"all\":\n", Format::Yaml),
            ("hosts", "web:\n[web]\n", Format::Ini),
            ("hosts", "a b:\n", Format::Ini),
            ("hosts", "", Format::Ini),
        ];
        for (path, text, format) in cases {
            assert_eq!(
                Format::detect(Path::new(path), text),
                format,
                "{path} {text:?}"
            );
        }
        let inv = Inventory::parse(Path::new("inventory"), yaml).unwrap();
        assert_eq!(inv.host_names().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn only_a_regular_file_is_read_and_never_past_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_file(dir.path()).unwrap_err();
        assert!(err.to_string().contains("folder"), "{err}");
        let err = read_file(Path::new("/dev/zero")).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let file = dir.path().join("hosts.ini");
        std::fs::write(&file, "[web]\nweb-1\n").unwrap();
        assert_eq!(read_file(&file).unwrap(), b"[web]\nweb-1\n");
    }

    #[test]
    fn bytes_are_checked_before_reading() {
        let path = Path::new("hosts");
        let inv = Inventory::from_bytes(path, b"\xEF\xBB\xBF[web]\nweb-1\n").unwrap();
        assert_eq!(inv.resolve("web").unwrap().len(), 1);
        let e = &Inventory::from_bytes(path, b"\xFF\xFEa\0").unwrap_err()[0];
        assert_eq!(e.kind, InventoryErrorKind::Utf16);
        let e = &Inventory::from_bytes(path, b"[web]\nw\xC3\xA9b-\xFF1\n").unwrap_err()[0];
        assert_eq!(e.kind, InventoryErrorKind::NotUtf8 { byte: 0xFF });
        assert_eq!((e.line, e.column), (2, 5));
        assert!(e.to_string().contains("help: save the inventory as UTF-8"));
        let big = vec![b'#'; MAX_BYTES + 1];
        let e = &Inventory::from_bytes(path, &big).unwrap_err()[0];
        assert!(matches!(e.kind, InventoryErrorKind::TooLarge { .. }));
        let text = String::from_utf8(big).unwrap();
        let e = &Inventory::parse(path, &text).unwrap_err()[0];
        assert!(matches!(e.kind, InventoryErrorKind::TooLarge { .. }));
    }

    #[test]
    fn ten_megabytes_are_read_quickly() {
        let start = std::time::Instant::now();
        let mut text = String::from("[web]\n");
        let mut i = 0;
        while text.len() < 10 << 20 {
            if i < 90_000 {
                text.push_str(&format!(
                    "web-{i} ansible_host=10.1.{}.{} ansible_port=22 note=\"a b\"\n",
                    i / 256 % 256,
                    i % 256
                ));
            } else {
                text.push_str("# a long comment to fill the file up to ten megabytes.........\n");
            }
            i += 1;
        }
        let inv = Inventory::parse(Path::new("hosts"), &text).unwrap();
        assert_eq!(inv.hosts().len(), 90_000);
        assert_eq!(inv.resolve("web").unwrap().len(), 90_000);
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }

    fn check(result: Result<Inventory, Vec<InventoryError>>, text: &str) {
        match result {
            Ok(inv) => {
                for host in inv.hosts() {
                    assert!(super::super::check_name(&host.name).is_ok(), "{host:?}");
                }
                for group in inv.group_names() {
                    let _ = inv.resolve(group);
                }
            }
            Err(errors) => {
                assert!(!errors.is_empty());
                for e in &errors {
                    assert!(e.span.start <= text.len() + 1, "{e:?}");
                    assert!(e.line >= 1 && e.column >= 1, "{e:?}");
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }

    proptest! {
        #[test]
        fn any_bytes_give_an_inventory_or_errors(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            for path in ["hosts", "hosts.yml"] {
                let _ = Inventory::from_bytes(Path::new(path), &bytes);
            }
            let text = String::from_utf8_lossy(&bytes);
            check(Inventory::parse_as(Format::Ini, Path::new("h"), &text), &text);
            check(Inventory::parse_as(Format::Yaml, Path::new("h"), &text), &text);
        }

        #[test]
        fn inventory_like_text_never_panics(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("["), Just("]"), Just(":"), Just("children"), Just("vars"), Just("hosts"),
                    Just("all"), Just("web"), Just("db"), Just("="), Just("ansible_port"),
                    Just("ansible_host"), Just("\""), Just("'"), Just("\\"), Just("#"), Just(";"),
                    Just("\n"), Just(" "), Just("  "), Just("-"), Just("1"), Just("0"), Just("99999"),
                    Just("a"), Just("z"), Just("{"), Just("}"), Just(","), Just("&x"), Just("*x"),
                    Just("\t"), Just("\r"), Just("é"), Just("\u{202e}"), Just("\0"),
                ],
                0..80,
            )
        ) {
            let text: String = parts.concat();
            check(Inventory::parse_as(Format::Ini, Path::new("h"), &text), &text);
            check(Inventory::parse_as(Format::Yaml, Path::new("h"), &text), &text);
        }
    }
}
