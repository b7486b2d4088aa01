//! SIGTERM and SIGHUP to `runbook run` while a command runs: the command's whole process
//! group is ended, the journal says the run was interrupted (and by what), the exit status is
//! 128 + the signal, and `resume` goes on with the run, offering the step again.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::run::{alive, group_members, journal_in as journal, kill_leftovers};
use rustix::process::{Pid, Signal};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Generous bound showing that something did not hang.
const NO_HANG: Duration = Duration::from_secs(30);

/// Commands run in the runbook's folder: `runbooks/pids`, `runbooks/tried`.
/// The first attempt starts a background sleeper, a grandchild (a subshell's sleeper) and
/// waits for them, recording every pid; a later attempt finishes at once.
const LONG: &str = r#"title: Long
owner: o
description: d
steps:
  - id: long
    title: Long
    run: |
      if [ -f tried ]; then echo second-try; exit 0; fi
      touch tried
      echo $$ >> pids
      sleep 300 & echo $! >> pids
      bash -c 'sleep 300 & echo $! >> pids; wait' & echo $! >> pids
      echo started
      sleep 300; wait
  - id: after
    title: After
    run: echo after
"#;

fn runbook(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(args)
        .current_dir(dir)
        .env_remove("RUNBOOK_PATH")
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", dir.join(".state"));
    cmd
}

fn start(dir: &Path) -> Child {
    std::fs::create_dir_all(dir.join("runbooks")).unwrap();
    std::fs::write(dir.join("runbooks/long.yaml"), LONG).unwrap();
    runbook(dir, &["run", "long", "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start runbook")
}

/// The pids the command recorded (the leader first), once all four are there.
fn recorded_pids(dir: &Path) -> Vec<i32> {
    let until = Instant::now() + NO_HANG;
    loop {
        let pids: Vec<i32> = std::fs::read_to_string(dir.join("runbooks/pids"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect();
        if pids.len() >= 4 {
            return pids;
        }
        assert!(
            Instant::now() < until,
            "the command did not start: {pids:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for the child (bounded), returning its exit code and stderr.
fn finish(mut child: Child) -> (i32, String) {
    let until = Instant::now() + NO_HANG;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            if let Some(mut err) = child.stderr.take() {
                use std::io::Read;
                let _ = err.read_to_string(&mut stderr);
            }
            return (status.code().unwrap_or(-1), stderr);
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!("runbook did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends `signal` while the command runs; checks the group, the exit code and the journal.
fn stopped_during_a_command(signal: Signal, code: i32, name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let child = start(dir.path());
    let pids = recorded_pids(dir.path());
    let runbook_pid = Pid::from_raw(child.id() as i32).unwrap();
    rustix::process::kill_process(runbook_pid, signal).unwrap();
    let (exit, stderr) = finish(child);
    // Every process of the group is gone by the time runbook exits.
    let mut left: Vec<i32> = pids.iter().copied().filter(|&p| alive(p)).collect();
    left.extend(group_members(pids[0]));
    kill_leftovers(&left);
    assert!(left.is_empty(), "processes left behind: {left:?}");
    assert_eq!(exit, code, "stderr:\n{stderr}");
    assert!(stderr.contains(name), "stderr:\n{stderr}");
    assert!(stderr.contains("runbook resume"), "stderr:\n{stderr}");

    let j = journal(dir.path());
    let n = j.len();
    assert!(n >= 4, "{j:?}");
    let finished = &j[n - 1];
    assert_eq!(finished["event"], "run_finished");
    assert_eq!(finished["status"], "interrupted");
    assert!(
        finished["reason"].as_str().unwrap().starts_with(name),
        "{finished}"
    );
    let command_end = &j[n - 2];
    assert_eq!(command_end["event"], "command_finished");
    assert_eq!(command_end["step"], "long");
    assert_eq!(command_end["outcome"], "interrupted");
    assert!(command_end["exit_code"].is_null());
    // The step never finished: resume offers it again.
    assert!(
        !j.iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "long"),
        "{j:?}"
    );
    let seqs: Vec<u64> = j.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=n as u64).collect::<Vec<_>>());
    dir
}

#[test]
fn sigterm_during_a_command_ends_its_group_and_journals_the_interruption() {
    let dir = stopped_during_a_command(Signal::TERM, 143, "SIGTERM");

    // `history` shows it interrupted; `resume` runs the step again and finishes the run.
    let history = runbook(dir.path(), &["history", "--json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&history.stdout);
    assert!(text.contains("\"interrupted\""), "{text}");
    let resumed = runbook(dir.path(), &["resume", "--yes"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&resumed.stderr);
    let stdout = String::from_utf8_lossy(&resumed.stdout);
    assert_eq!(resumed.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stderr.contains("started and never finished"), "{stderr}");
    assert!(stdout.contains("second-try"), "{stdout}");
    let j = journal(dir.path());
    let last = j.last().unwrap();
    assert_eq!(last["event"], "run_finished");
    assert_eq!(last["status"], "succeeded");
    assert!(
        j.iter()
            .any(|e| e["event"] == "step_finished" && e["step"] == "long" && e["status"] == "ok")
    );
}

#[test]
fn sighup_during_a_command_ends_its_group_and_journals_the_interruption() {
    stopped_during_a_command(Signal::HUP, 129, "SIGHUP");
}

#[test]
fn ctrl_c_with_no_terminal_ends_the_run_as_interrupted() {
    // No one can be shown the failure menu: the run ends interrupted, exit 130 (SPEC §3).
    stopped_during_a_command(Signal::INT, 130, "SIGINT");
}

#[test]
fn a_second_signal_hurries_a_command_that_ignores_term() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("runbooks")).unwrap();
    std::fs::write(
        dir.path().join("runbooks/stubborn.yaml"),
        "title: S\nowner: o\ndescription: d\nsteps:\n  - id: s\n    title: S\n    run: |\n      trap '' TERM\n      echo $$ > pids\n      sleep 300\n",
    )
    .unwrap();
    let child = runbook(dir.path(), &["run", "stubborn", "--yes"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let until = Instant::now() + NO_HANG;
    let pid: i32 = loop {
        if let Some(p) = std::fs::read_to_string(dir.path().join("runbooks/pids"))
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            break p;
        }
        assert!(Instant::now() < until);
        std::thread::sleep(Duration::from_millis(50));
    };
    let runbook_pid = Pid::from_raw(child.id() as i32).unwrap();
    let began = Instant::now();
    rustix::process::kill_process(runbook_pid, Signal::TERM).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    rustix::process::kill_process(runbook_pid, Signal::TERM).unwrap();
    let (exit, stderr) = finish(child);
    kill_leftovers(&[pid]);
    assert_eq!(exit, 143, "{stderr}");
    // The grace period is 3 s: the second TERM sent KILL at once.
    assert!(began.elapsed() < Duration::from_millis(2500));
    assert!(!alive(pid));
}

/// In a pseudo-terminal (rexpect): the prompt's raw mode and a command's echo-off are undone.
mod pty {
    use super::*;
    use rexpect::process::{Signal as PtySignal, WaitStatus};
    use rexpect::session::{PtySession, spawn_command};
    use rustix::termios::LocalModes;

    fn spawn(dir: &Path) -> PtySession {
        std::fs::create_dir_all(dir.join("runbooks")).unwrap();
        std::fs::write(dir.join("runbooks/long.yaml"), LONG).unwrap();
        // rexpect turns echo off; a terminal as an operator has it has echo on.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "stty echo && exec \"$0\" run long"])
            .arg(env!("CARGO_BIN_EXE_runbook"))
            .current_dir(dir)
            .env_remove("RUNBOOK_PATH")
            .env("NO_COLOR", "1")
            .env("RUNBOOK_STATE_DIR", dir.join(".state"))
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm");
        spawn_command(cmd, Some(20_000)).expect("spawn runbook in a pty")
    }

    /// The terminal's local modes, as the program left them.
    fn modes(p: &PtySession) -> LocalModes {
        let file = p.process().get_file_handle().unwrap();
        rustix::termios::tcgetattr(&file).unwrap().local_modes
    }

    fn exit_code(p: &mut PtySession) -> i32 {
        p.exp_eof().expect("runbook exits");
        match p.process().wait() {
            Ok(WaitStatus::Exited(_, code)) => code,
            other => panic!("unexpected end: {other:?}"),
        }
    }

    fn last_event(dir: &Path) -> serde_json::Value {
        journal(dir).last().cloned().unwrap()
    }

    #[test]
    fn sigterm_at_a_prompt_journals_and_restores_the_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = spawn(dir.path());
        p.exp_string("Run it?").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        assert!(!modes(&p).contains(LocalModes::ICANON), "the prompt is raw");
        p.process_mut().signal(PtySignal::SIGTERM).unwrap();
        p.exp_string("runbook resume").unwrap();
        assert_eq!(exit_code(&mut p), 143);
        let modes = modes(&p);
        assert!(
            modes.contains(LocalModes::ECHO | LocalModes::ICANON),
            "{modes:?}"
        );
        let last = last_event(dir.path());
        assert_eq!(last["status"], "interrupted");
        assert_eq!(last["reason"], "SIGTERM: runbook was terminated");
        // Nothing ran.
        assert!(!journal(dir.path()).iter().any(|e| e["event"] == "command"));
    }

    #[test]
    fn sighup_at_a_prompt_exits_129() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = spawn(dir.path());
        p.exp_string("Run it?").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        p.process_mut().signal(PtySignal::SIGHUP).unwrap();
        assert_eq!(exit_code(&mut p), 129);
        assert!(modes(&p).contains(LocalModes::ECHO | LocalModes::ICANON));
        let last = last_event(dir.path());
        assert_eq!(last["status"], "interrupted");
        assert!(last["reason"].as_str().unwrap().starts_with("SIGHUP"));
    }

    #[test]
    fn sigterm_during_a_command_turns_echo_back_on() {
        let dir = tempfile::tempdir().unwrap();
        let mut p = spawn(dir.path());
        p.exp_string("Run it?").unwrap();
        std::thread::sleep(Duration::from_millis(200));
        p.send("\r").unwrap();
        p.flush().unwrap();
        p.exp_string("started").unwrap();
        let pids = recorded_pids(dir.path());
        assert!(
            !modes(&p).contains(LocalModes::ECHO),
            "echo is off while a command runs"
        );
        p.process_mut().signal(PtySignal::SIGTERM).unwrap();
        assert_eq!(exit_code(&mut p), 143);
        assert!(modes(&p).contains(LocalModes::ECHO | LocalModes::ICANON));
        let mut left: Vec<i32> = pids.iter().copied().filter(|&p| alive(p)).collect();
        left.extend(group_members(pids[0]));
        kill_leftovers(&left);
        assert!(left.is_empty(), "processes left behind: {left:?}");
        let j = journal(dir.path());
        let n = j.len();
        assert_eq!(j[n - 2]["outcome"], "interrupted");
        assert_eq!(j[n - 1]["status"], "interrupted");
    }
}
