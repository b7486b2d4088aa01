//! The floor of `benches/lint.sh`: parse every runbook of a folder with serde-saphyr into a
//! generic value, and nothing else, on one thread. `runbook lint` cannot be faster than this.
//!
//! Built by `cargo bench --no-run --bench floor`; run as `floor DIR`.

use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` runs every bench target with `--bench`: this one only makes sense from
    // benches/lint.sh, which gives it a folder.
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        println!("floor: run `bash benches/lint.sh`");
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(Path::new(dir))
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let (mut bytes, mut failed) = (0, 0);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        bytes += text.len();
        if serde_saphyr::from_str::<serde_json::Value>(&text).is_err() {
            failed += 1;
        }
    }
    println!("{} files, {bytes} bytes, {failed} not parsed", files.len());
}
