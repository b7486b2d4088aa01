//! What the operator really sees and types, in a pseudo-terminal (rexpect): menus driven with
//! the arrow keys, typed confirmations, validation, Ctrl-C during a command and at a prompt.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::run::journal_in as journal;
use rexpect::session::{PtySession, spawn_command};
use std::path::Path;
use std::process::Command;

const DOWN: &str = "\x1b[B";
const ENTER: &str = "\r";
// rexpect reads the terminal as Latin-1: expectations stay ASCII.

fn spawn(dir: &Path, args: &[&str]) -> PtySession {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(args)
        .current_dir(dir)
        .env("RUNBOOK_STATE_DIR", dir.join(".state"))
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("RUNBOOK_PATH");
    spawn_command(cmd, Some(20_000)).expect("spawn runbook in a pty")
}

/// Sends keys once the prompt is waiting for them.
fn keys(p: &mut PtySession, text: &str) {
    std::thread::sleep(std::time::Duration::from_millis(150));
    p.send(text).unwrap();
    p.flush().unwrap();
}

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn exit_code(mut p: PtySession) -> i32 {
    p.exp_eof().expect("the run ends");
    match p.process().wait() {
        Ok(rexpect::process::WaitStatus::Exited(_, code)) => code,
        other => panic!("unexpected end: {other:?}"),
    }
}

#[test]
fn a_walk_through_every_kind_of_prompt() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/walk.yaml",
        r#"title: Walk
owner: o
description: d
steps:
  - id: ack
    title: Acknowledge
    checklist: [Acknowledge the page, Open the channel]
  - id: look
    title: Look
    run: echo looked
  - id: skipme
    title: Skip me
    run: echo should-not-run
  - id: pick
    title: Pick
    choose:
      options:
        - {label: First option, next: end}
        - {label: Second option, next: name}
  - id: name
    title: Name
    ask: {var: role, prompt: Role to block, pattern: '^[a-z_]+$'}
  - id: block
    title: Block
    run: echo "blocked {{ vars.role }}"
    dangerous: true
    confirm: block it
"#,
    );
    let mut p = spawn(dir.path(), &["run", "walk"]);
    p.exp_string("[1/2] Acknowledge the page").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("[2/2] Open the channel").unwrap();
    keys(&mut p, DOWN);
    keys(&mut p, ENTER);
    p.exp_string("Why skip it?").unwrap();
    keys(&mut p, "no access");
    keys(&mut p, ENTER);
    p.exp_string("$ echo looked").unwrap();
    p.exp_string("Run it?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("looked").unwrap();
    p.exp_string("$ echo should-not-run").unwrap();
    p.exp_string("Run it?").unwrap();
    keys(&mut p, DOWN);
    keys(&mut p, ENTER);
    p.exp_string("Why skip it?").unwrap();
    keys(&mut p, "not needed");
    keys(&mut p, ENTER);
    p.exp_string("skipped: not needed").unwrap();
    p.exp_string("Second option").unwrap();
    keys(&mut p, DOWN);
    keys(&mut p, ENTER);
    p.exp_string("Role to block").unwrap();
    keys(&mut p, "Bad-Role");
    keys(&mut p, ENTER);
    p.exp_string("must match").unwrap();
    for _ in 0..8 {
        keys(&mut p, "\x7f");
    }
    keys(&mut p, "report_api");
    keys(&mut p, ENTER);
    p.exp_string("vars.role = report_api").unwrap();
    p.exp_string("Type block it to run it").unwrap();
    keys(&mut p, "block");
    keys(&mut p, ENTER);
    p.exp_string("that is not the phrase").unwrap();
    p.exp_string("Type block it to run it").unwrap();
    keys(&mut p, "block it");
    keys(&mut p, ENTER);
    p.exp_string("blocked report_api").unwrap();
    p.exp_string("2 ran").unwrap();
    assert_eq!(exit_code(p), 0);

    let j = journal(dir.path());
    let kinds = |k: &str| {
        j.iter()
            .filter(|e| e["event"] == k)
            .cloned()
            .collect::<Vec<_>>()
    };
    let items = kinds("checklist_item");
    assert_eq!(
        (items[0]["done"].as_bool(), items[1]["done"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(items[1]["reason"], "no access");
    assert_eq!(kinds("decision")[0]["label"], "Second option");
    assert_eq!(kinds("answer")[0]["value"], "report_api");
    let confirmations: Vec<bool> = kinds("confirmation")
        .iter()
        .filter_map(|c| c["accepted"].as_bool())
        .collect();
    assert_eq!(confirmations, [false, true]);
    let skip = j
        .iter()
        .find(|e| e["event"] == "step_finished" && e["step"] == "skipme")
        .unwrap();
    assert_eq!(
        (skip["status"].as_str(), skip["reason"].as_str()),
        (Some("skipped"), Some("not needed"))
    );
}

#[test]
fn ctrl_c_during_a_command_then_retry() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/slow.yaml",
        r#"title: Slow
owner: o
description: d
steps:
  - id: slow
    title: Slow
    run: |
      if [ ! -f tried ]; then touch tried; echo first-try; sleep 60; fi
      echo second-try
"#,
    );
    let mut p = spawn(dir.path(), &["run", "slow"]);
    p.exp_string("Run it?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("first-try").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    p.send_control('c').unwrap();
    p.exp_string("interrupted (Ctrl-C)").unwrap();
    p.exp_string("What now?").unwrap();
    keys(&mut p, ENTER); // retry
    p.exp_string("second-try").unwrap();
    p.exp_string("1 retried").unwrap();
    assert_eq!(exit_code(p), 0);
    let j = journal(dir.path());
    let finished: Vec<&str> = j
        .iter()
        .filter(|e| e["event"] == "command_finished")
        .filter_map(|e| e["outcome"].as_str())
        .collect();
    assert_eq!(finished, ["interrupted", "exit 0"]);
    assert!(
        j.iter()
            .any(|e| e["event"] == "retry" && e["automatic"] == false)
    );
}

#[test]
fn ctrl_c_at_a_prompt_asks_before_aborting() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/ask.yaml",
        "title: Ask\nowner: o\ndescription: d\nsteps:\n  - {id: one, title: One, run: echo one, rollback: echo undo-one}\n  - {id: two, title: Two, run: echo two}\n",
    );
    let mut p = spawn(dir.path(), &["run", "ask"]);
    p.exp_string("Run it?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("$ echo two").unwrap();
    p.exp_string("Run it?").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Abort the run?").unwrap();
    keys(&mut p, ENTER); // no, go back
    p.exp_string("Run it?").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Abort the run?").unwrap();
    keys(&mut p, DOWN);
    keys(&mut p, ENTER); // yes, abort
    p.exp_string("Run the rollback of one?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("undo-one").unwrap();
    p.exp_string("aborted by the operator at step `two`")
        .unwrap();
    assert_eq!(exit_code(p), 1);
    let j = journal(dir.path());
    assert!(
        j.iter()
            .any(|e| e["event"] == "rollback" && e["step"] == "one" && e["status"] == "ok")
    );
    assert_eq!(j.last().unwrap()["status"], "aborted");
}

#[test]
fn the_failure_menu_edits_a_command_and_opens_a_shell() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/fix.yaml",
        r#"title: Fix
owner: o
description: d
steps:
  - id: first
    title: First
    run: "false"
  - id: second
    title: Second
    run: test -f made
"#,
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    // By a bare file name, from its folder: the shell opens in `.`.
    cmd.args(["run", "fix.yaml"])
        .current_dir(dir.path().join("runbooks"))
        .env("RUNBOOK_STATE_DIR", dir.path().join(".state"))
        .env("LANG", "C.UTF-8")
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("SHELL", "/bin/sh")
        .env_remove("RUNBOOK_PATH");
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn runbook in a pty");
    // The first command fails: edit it into one that works.
    p.exp_string("Run it?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("What now?").unwrap();
    keys(&mut p, &format!("{DOWN}{ENTER}"));
    p.exp_string("Edit the command:").unwrap();
    keys(&mut p, "\x7f\x7f\x7f\x7f\x7ftrue");
    keys(&mut p, ENTER);
    p.exp_string("exit 0").unwrap();
    // The second fails until a file exists: make it in a shell, then retry.
    p.exp_string("$ test -f made").unwrap();
    p.exp_string("Run it?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("What now?").unwrap();
    keys(&mut p, &format!("{DOWN}{DOWN}{ENTER}"));
    p.exp_string("exit to come back").unwrap();
    keys(&mut p, "touch made; exit\r");
    p.exp_string("What now?").unwrap();
    keys(&mut p, ENTER); // retry
    p.exp_string("1 retried").unwrap();
    assert_eq!(exit_code(p), 0);
    assert!(dir.path().join("runbooks/made").exists());
    let j = journal(dir.path());
    let edited: Vec<&serde_json::Value> = j
        .iter()
        .filter(|e| e["event"] == "command" && e["edited"] == true)
        .collect();
    assert_eq!(edited.len(), 1, "{j:?}");
    assert_eq!(edited[0]["command"], "true");
    assert!(
        j.iter()
            .any(|e| e["event"] == "shell_opened" && e["step"] == "second" && e["exit_code"] == 0),
        "{j:?}"
    );
}

/// A loop a person keeps taking stops at the runbook's bound on visits of one step; a step
/// answered in advance (`--yes`) is asked again on the terminal when it comes back.
#[test]
fn a_loop_stops_at_max_visits_and_revisits_are_asked() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/loop.yaml",
        r#"title: Loop
owner: o
description: d
max_visits: 2
steps:
  - id: look
    title: Look
    run: echo looked
  - id: pick
    title: Pick
    choose:
      options:
        - {label: Look again, next: look}
        - {label: Stop here, next: end}
"#,
    );
    let mut p = spawn(dir.path(), &["run", "loop", "--yes"]);
    p.exp_string("looked").unwrap();
    p.exp_string("Look again").unwrap();
    keys(&mut p, ENTER);
    // The second visit: `--yes` answered the first one only.
    p.exp_string("Run it?").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("looked").unwrap();
    p.exp_string("Look again").unwrap();
    keys(&mut p, ENTER);
    p.exp_string("entered 3 times").unwrap();
    p.exp_string("max_visits").unwrap();
    assert_eq!(exit_code(p), 1);
    let j = journal(dir.path());
    let end = j.iter().find(|e| e["event"] == "run_finished").unwrap();
    assert_eq!(end["status"], "failed");
    assert!(end["reason"].as_str().unwrap().contains("max_visits"));
}

/// `interactive: true`: the command has the terminal (here `read -p`), its exit is kept, and
/// the journal says it ran attached.
#[test]
fn an_interactive_step_has_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/ask.yaml",
        r#"title: Ask
owner: o
description: d
steps:
  - id: who
    title: Who is on call?
    run: |
      read -r -p "Name of the incident commander: " name; echo "ic=$name" > ic.txt
    interactive: true
"#,
    );
    let mut p = spawn(dir.path(), &["run", "ask", "--yes"]);
    p.exp_string("attached to the terminal").unwrap();
    p.exp_string("Name of the incident commander: ").unwrap();
    keys(&mut p, "alice");
    keys(&mut p, ENTER);
    p.exp_string("1 ran").unwrap();
    assert_eq!(exit_code(p), 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("runbooks/ic.txt")).unwrap(),
        "ic=alice\n"
    );
    let j = journal(dir.path());
    let command = j.iter().find(|e| e["event"] == "command").unwrap();
    assert_eq!(command["interactive"], true);
    // The report says why it holds no output, rather than "No output.".
    let report = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["report"])
        .current_dir(dir.path())
        .env("RUNBOOK_STATE_DIR", dir.path().join(".state"))
        .env_remove("RUNBOOK_PATH")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(
        text.contains("Ran attached to the terminal (`interactive: true`)"),
        "{text}"
    );
    assert!(!text.contains("No output."), "{text}");
}

/// On a terminal, a command's output cannot clear the screen, and a progress bar's carriage
/// return redraws its line under the gutter.
#[test]
fn output_on_a_terminal_cannot_take_control_of_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/bar.yaml",
        r#"title: Bar
owner: o
description: d
steps:
  - id: fetch
    title: Fetch
    run: |
      printf 'wipe\033[2J\033]52;c;eA==\007done\n'
      printf 'progress 10%%\rprogress 100%%\n'
"#,
    );
    let mut p = spawn(dir.path(), &["run", "bar", "--yes"]);
    let seen = p.exp_string("1 ran").unwrap();
    assert_eq!(exit_code(p), 0);
    // rexpect gives each byte as a char.
    let bytes: Vec<u8> = seen.chars().map(|c| c as u32 as u8).collect();
    let seen = String::from_utf8_lossy(&bytes);
    assert!(seen.contains("wipe␛[2J␛]52;c;eA==\\x07done"), "{seen:?}");
    assert!(
        !seen.contains("\x1b[2J") && !seen.contains("\x1b]52"),
        "{seen:?}"
    );
    assert!(
        seen.contains("progress 10%\r  │ \x1b[Kprogress 100%"),
        "{seen:?}"
    );
}

/// The lines a terminal shows at the end of `raw`: a small emulator of what the screen uses
/// (text, `\n`, `\r`, erase-line `ESC[K`/`ESC[2K`; other escape sequences ignored).
fn final_lines(raw: &str) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut col = 0;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let line = lines.last_mut().unwrap();
        match c {
            '\n' => {
                lines.push(String::new());
                col = 0;
            }
            '\r' => col = 0,
            '\x1b' => {
                let mut seq = String::new();
                if chars.peek() == Some(&'[') {
                    chars.next();
                    while let Some(&n) = chars.peek() {
                        chars.next();
                        seq.push(n);
                        if n.is_ascii_alphabetic() {
                            break;
                        }
                    }
                }
                match seq.as_str() {
                    "K" | "0K" => line.truncate(col),
                    "2K" => line.clear(),
                    _ => {}
                }
            }
            c => {
                let mut chars_of: Vec<char> = line.chars().collect();
                if col < chars_of.len() {
                    chars_of[col] = c;
                } else {
                    chars_of.resize(col, ' ');
                    chars_of.push(c);
                }
                *line = chars_of.into_iter().collect();
                col += 1;
            }
        }
    }
    lines
}

#[test]
fn an_output_line_without_a_newline_stays_on_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "runbooks/open.yaml",
        "title: Open line\nowner: o\ndescription: d\nsteps:\n  - id: get\n    title: Get\n    \
         run: printf '{\"replicas\":3}'; sleep 1.5\n  - id: progress\n    title: Progress\n    \
         run: printf 'x\\ry\\r'; sleep 1\n",
    );
    let mut p = spawn(dir.path(), &["run", "open", "--yes"]);
    let raw = p.exp_eof().expect("the run ends");
    let lines = final_lines(&raw);
    assert!(
        lines
            .iter()
            .any(|l| l.trim_end().ends_with("{\"replicas\":3}")),
        "the open line was erased:\n{}",
        lines.join("\n")
    );
    assert!(
        lines.iter().any(|l| l.trim_end().ends_with("y")),
        "the line's last state was erased:\n{}",
        lines.join("\n")
    );
}
