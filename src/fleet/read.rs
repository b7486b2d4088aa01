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
