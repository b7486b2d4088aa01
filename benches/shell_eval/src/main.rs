//! Compares runbook's shell layer (`runbook::shell`) with brush-parser and tree-sitter-bash on
//! a corpus of real scripts: the scripts of the bundled runbooks and of every fixture, and the
//! shell scripts installed on this machine (`/usr/share`, `/etc`, `/usr/bin`, `/usr/sbin`,
//! `/usr/lib`: files starting with `#!/bin/sh` or `#!/bin/bash`). Prints, for each parser,
//! how many scripts it could not read, where its words disagree with runbook's, and its speed.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: u32) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_dir() && depth < 12 {
            walk(&p, out, depth + 1);
        } else if meta.is_file() && meta.len() < 200_000 {
            out.push(p);
        }
    }
}

/// Every `run`, `rollback` and `wait.run` of the runbooks below `dir`, templates as words.
fn runbook_scripts(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    walk(dir, &mut files, 0);
    let mut out = Vec::new();
    for f in files {
        if !f.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&f) else {
            continue;
        };
        let loaded = runbook::load::load_bytes(&f, bytes);
        let Some(rb) = loaded.runbook else { continue };
        for step in &rb.steps {
            for (role, script) in step.scripts() {
                out.push((
                    format!("{}#{}:{role}", f.display(), step.id()),
                    runbook::template::placeholders(&script.value),
                ));
            }
        }
    }
    out
}

fn system_scripts() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for d in ["/usr/share", "/etc", "/usr/bin", "/usr/sbin", "/usr/lib"] {
        walk(Path::new(d), &mut files, 0);
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let first = text.lines().next().unwrap_or("");
        let shell = [
            "#!/bin/sh",
            "#! /bin/sh",
            "#!/bin/bash",
            "#!/usr/bin/env bash",
            "#!/usr/bin/env sh",
            "#!/bin/dash",
        ]
        .iter()
        .any(|s| first.starts_with(s));
        if shell || f.extension().is_some_and(|e| e == "sh") {
            out.push((f.display().to_string(), text));
        }
    }
    out
}

/// runbook's words: (start, raw text) of every word of every command at any level of
/// `( )`/`{ }` (not inside `$( )`), and the here-document bodies.
fn ours(text: &str) -> Option<(Vec<(usize, String)>, Vec<std::ops::Range<usize>>)> {
    let commands = runbook::shell::words::commands(text, 0..text.len())?;
    let mut words = Vec::new();
    let mut bodies = Vec::new();
    for c in &commands {
        for w in &c.words {
            words.push((w.span.start, text[w.span.clone()].to_string()));
        }
        bodies.extend(c.heredocs.iter().map(|h| h.body.clone()));
    }
    Some((words, bodies))
}

fn brush_words(text: &str) -> Option<Vec<(usize, String)>> {
    let tokens = brush_parser::tokenize_str(text).ok()?;
    let mut out = Vec::new();
    // After `<<DELIM`, brush-parser gives the body and the closing delimiter as two more
    // words: runbook keeps bodies apart from words, so they are left out here.
    let mut skip = 0;
    let mut after_heredoc_op = false;
    for t in tokens {
        match t {
            brush_parser::Token::Operator(op, _) => {
                after_heredoc_op = op == "<<" || op == "<<-";
            }
            brush_parser::Token::Word(w, span) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                if after_heredoc_op {
                    skip = 2;
                    after_heredoc_op = false;
                }
                out.push((span.start.index, w));
            }
        }
    }
    Some(out)
}

/// A word's text with line continuations removed (brush-parser removes them).
fn normal(word: &str) -> String {
    word.replace("\\\n", "")
}

fn brush_parses(text: &str) -> bool {
    let mut parser = brush_parser::Parser::new(
        std::io::BufReader::new(text.as_bytes()),
        &brush_parser::ParserOptions::default(),
    );
    parser.parse_program().is_ok()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut corpus = runbook_scripts(&root.join("runbooks"));
    corpus.extend(runbook_scripts(&root.join("testdata")));
    let from_runbooks = corpus.len();
    corpus.extend(system_scripts());
    let bytes: usize = corpus.iter().map(|(_, t)| t.len()).sum();
    println!(
        "corpus: {} scripts ({} from runbooks and fixtures, {} installed), {:.1} MB",
        corpus.len(),
        from_runbooks,
        corpus.len() - from_runbooks,
        bytes as f64 / 1e6
    );

    // Scripts each one cannot read.
    let mut ours_fail = Vec::new();
    let mut ours_unbalanced = 0;
    let mut brush_tok_fail = 0;
    let mut brush_parse_fail = Vec::new();
    let mut ts_error = Vec::new();
    let (mut same, mut only_ours, mut only_brush) = (0usize, 0usize, 0usize);
    let mut examples: Vec<String> = Vec::new();
    let mut ts = tree_sitter::Parser::new();
    ts.set_language(&tree_sitter_bash::LANGUAGE.into())
        .expect("bash grammar");
    for (name, text) in &corpus {
        let o = ours(text);
        if o.is_none() {
            ours_fail.push(name.clone());
        }
        if !runbook::shell::balanced(text) {
            ours_unbalanced += 1;
        }
        let b = brush_words(text);
        if b.is_none() {
            brush_tok_fail += 1;
        }
        if !brush_parses(text) {
            brush_parse_fail.push(name.clone());
        }
        if ts
            .parse(text, None)
            .is_none_or(|t| t.root_node().has_error())
        {
            ts_error.push(name.clone());
        }
        if let (Some((ow, _)), Some(bw)) = (o, b) {
            let mut theirs: std::collections::BTreeMap<String, usize> = Default::default();
            for (_, w) in &bw {
                *theirs.entry(normal(w)).or_default() += 1;
            }
            for (_, w) in &ow {
                let w = normal(w);
                match theirs.get_mut(&w) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        same += 1;
                    }
                    _ => {
                        only_ours += 1;
                        if examples.len() < 16 {
                            examples.push(format!("{name}: only runbook {w:?}"));
                        }
                    }
                }
            }
            for (w, n) in theirs {
                only_brush += n;
                if n > 0 && examples.len() < 16 {
                    examples.push(format!("{name}: only brush {w:?}"));
                }
            }
        }
    }
    let n = corpus.len();
    println!("\n| reader | scripts it cannot read | share |");
    println!("|---|---|---|");
    println!(
        "| runbook words (`shell::words`) | {} | {:.1}% |",
        ours_fail.len(),
        100.0 * ours_fail.len() as f64 / n as f64
    );
    println!(
        "| runbook quoting (`shell::balanced`) | {} | {:.1}% |",
        ours_unbalanced,
        100.0 * ours_unbalanced as f64 / n as f64
    );
    println!(
        "| brush-parser tokenizer | {} | {:.1}% |",
        brush_tok_fail,
        100.0 * brush_tok_fail as f64 / n as f64
    );
    println!(
        "| brush-parser parser | {} | {:.1}% |",
        brush_parse_fail.len(),
        100.0 * brush_parse_fail.len() as f64 / n as f64
    );
    println!(
        "| tree-sitter-bash (tree with an ERROR node) | {} | {:.1}% |",
        ts_error.len(),
        100.0 * ts_error.len() as f64 / n as f64
    );
    let total = same + only_ours + only_brush;
    println!(
        "\nwords, runbook vs brush-parser's tokenizer (scripts both read; text compared, line continuations removed): {total} words; the same {same} ({:.2}%), only runbook {only_ours}, only brush {only_brush}",
        100.0 * same as f64 / total.max(1) as f64
    );
    for e in &examples {
        println!("  {e}");
    }
    for (label, list) in [
        ("runbook cannot read", &ours_fail),
        ("brush-parser cannot parse", &brush_parse_fail),
        ("tree-sitter errors", &ts_error),
    ] {
        println!("\n{label} (first 8):");
        for f in list.iter().take(8) {
            println!("  {f}");
        }
    }

    // Speed: each reader over the whole corpus, best of 5.
    let time = |f: &dyn Fn(&str)| {
        (0..5)
            .map(|_| {
                let t = Instant::now();
                for (_, text) in &corpus {
                    f(text);
                }
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let mb = bytes as f64 / 1e6;
    let ours_t = time(&|t| {
        std::hint::black_box(runbook::shell::words::commands(t, 0..t.len()));
    });
    let ctx_t = time(&|t| {
        std::hint::black_box(runbook::shell::balanced(t));
    });
    let brush_tok_t = time(&|t| {
        let _ = std::hint::black_box(brush_parser::tokenize_str(t));
    });
    let brush_t = time(&|t| {
        std::hint::black_box(brush_parses(t));
    });
    let mut ts2 = tree_sitter::Parser::new();
    ts2.set_language(&tree_sitter_bash::LANGUAGE.into())
        .expect("bash grammar");
    let ts_cell = std::cell::RefCell::new(ts2);
    let ts_t = time(&|t| {
        std::hint::black_box(ts_cell.borrow_mut().parse(t, None));
    });
    println!("\n| reader | seconds for the corpus (best of 5) | MB/s |");
    println!("|---|---|---|");
    for (label, t) in [
        ("runbook words", ours_t),
        ("runbook quoting scan", ctx_t),
        ("brush-parser tokenizer", brush_tok_t),
        ("brush-parser parser", brush_t),
        ("tree-sitter-bash", ts_t),
    ] {
        println!("| {label} | {t:.3} | {:.1} |", mb / t);
    }
}
