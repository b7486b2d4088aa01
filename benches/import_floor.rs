//! The floor of `benches/import.sh`: read every `.md` page of a folder and parse it with
//! pulldown-cmark, source offsets and all (the options `runbook import` uses), and nothing
//! else, on one thread. `runbook import` cannot be faster than this.
//!
//! Built by `cargo bench --no-run --bench import_floor`; run as `import_floor DIR`.

use pulldown_cmark::{Options, Parser};
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` runs every bench target with `--bench`: this one only makes sense from
    // benches/import.sh, which gives it a folder.
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        println!("import_floor: run `bash benches/import.sh`");
        return;
    };
    let mut pages: Vec<_> = std::fs::read_dir(Path::new(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    pages.sort();
    let (mut bytes, mut events) = (0, 0usize);
    let options = Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES;
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap_or_default();
        bytes += text.len();
        for (event, range) in Parser::new_ext(&text, options).into_offset_iter() {
            events +=
                usize::from(range.end >= range.start) + std::hint::black_box(&event).is_some_text();
        }
    }
    println!("{} pages, {bytes} bytes, {events} events", pages.len());
}

/// Touches the event so that the parse is not optimised away.
trait IsText {
    fn is_some_text(&self) -> usize;
}

impl IsText for pulldown_cmark::Event<'_> {
    fn is_some_text(&self) -> usize {
        usize::from(matches!(self, pulldown_cmark::Event::Text(_)))
    }
}
