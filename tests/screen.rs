//! A screen nothing can hijack: what a command prints and what a runbook says reach the
//! terminal without control (colour aside), through the real binary; the output log keeps
//! the raw bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Test;
use common::run::HEAD;

const HOSTILE: &str = r#"steps:
  - id: print
    title: "Print \e[2Jwhat the service says"
    instructions: "Look at \e]0;owned\a the output."
    run: |
      printf 'before\033[2J\033[Hafter\n'
      printf 'clip\033]52;c;cm0gLXJmIH4=\007board\n'
      printf '\033[1;31mred\033[0m\n'
      printf 'bell\007 nul-less \001 del\177\n'
      printf 'progress 10%%\rprogress 50%%\rprogress 100%%\n'
      printf 'windows\r\nline\r\n'
      printf 'a\342\200\256b\n'
      printf 'gone\rkept\r'; echo
      printf 'no newline at the end\rfinal state\r'
"#;

#[test]
fn output_and_runbook_text_reach_the_screen_without_control() {
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &format!("title: Screen\n{HEAD}{HOSTILE}"),
    );
    let out = t.exec(&["run", "rb", "--yes"]);
    out.code(0);
    let shown = &out.stdout;
    for expected in [
        "│ before␛[2J␛[Hafter\n",
        "│ clip␛]52;c;cm0gLXJmIH4=\\x07board\n",
        "│ \x1b[1;31mred\x1b[0m\n",
        "│ bell\\x07 nul-less \\x01 del\\x7f\n",
        "│ progress 100%\n",
        "│ windows\n",
        "│ line\n",
        "│ a<U+202E>b\n",
        "│ final state\n",
        "│ kept\n",
    ] {
        assert!(shown.contains(expected), "{expected:?} not in {shown:?}");
    }
    assert!(!shown.contains("progress 10%"), "{shown:?}");
    assert!(!shown.contains("gone"), "{shown:?}");
    // Nothing but colour is left as control on stdout.
    let controls: Vec<char> = shown
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t' && *c != '\x1b')
        .collect();
    assert!(controls.is_empty(), "{controls:?} in {shown:?}");
    for (i, _) in shown.match_indices('\x1b') {
        assert!(
            shown[i..].starts_with("\x1b[1;31m") || shown[i..].starts_with("\x1b[0m"),
            "{:?}",
            &shown[i..]
        );
    }
    // The runbook's own text too.
    assert!(
        out.stderr.contains("Print ␛[2Jwhat the service says"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Look at ␛]0;owned\\x07 the output."),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains('\x07'), "{}", out.stderr);
    // The log keeps what the command printed, byte for byte.
    let runs = t.path(".state/runs");
    let run = std::fs::read_dir(&runs)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let log = std::fs::read_dir(run.join("output"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let raw = std::fs::read(log).unwrap();
    for bytes in [
        &b"before\x1b[2J\x1b[Hafter\n"[..],
        b"clip\x1b]52;c;cm0gLXJmIH4=\x07board",
        b"progress 10%\rprogress 50%\rprogress 100%\n",
        b"windows\r\nline\r\n",
    ] {
        assert!(
            raw.windows(bytes.len()).any(|w| w == bytes),
            "{:?} not in the log",
            String::from_utf8_lossy(bytes)
        );
    }
}
