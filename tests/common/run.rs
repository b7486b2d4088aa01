//! Helpers for tests that run `runbook run` on a runbook written into the test's folder and
//! read back its journal, and that look for processes a run may have left behind.
#![allow(dead_code)]

use super::{Output, Test};
use serde_json::Value;
use std::path::Path;

pub const HEAD: &str = "owner: team\ndescription: Test.\n";

/// Every journal of the test's state folder, as parsed records.
pub fn journals(t: &Test) -> Vec<Vec<Value>> {
    journals_in(t.dir.path())
}

/// Every journal under `dir/.state/runs`, oldest run first.
pub fn journals_in(dir: &Path) -> Vec<Vec<Value>> {
    let runs = dir.join(".state/runs");
    let mut dirs: Vec<_> = std::fs::read_dir(&runs)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.sort();
    dirs.iter()
        .map(|d| {
            std::fs::read_to_string(d.join("journal.jsonl"))
                .unwrap_or_default()
                .lines()
                .map(|l| serde_json::from_str(l).expect("journal line is JSON"))
                .collect()
        })
        .collect()
}

/// The one journal under `dir/.state/runs`.
pub fn journal_in(dir: &Path) -> Vec<Value> {
    let all = journals_in(dir);
    assert_eq!(all.len(), 1, "expected one run");
    all.into_iter().next().unwrap_or_default()
}

pub fn journal(t: &Test) -> Vec<Value> {
    journal_in(t.dir.path())
}

pub fn events<'a>(j: &'a [Value], kind: &str) -> Vec<&'a Value> {
    j.iter().filter(|e| e["event"] == kind).collect()
}

/// The events of one kind for one step (at any depth).
pub fn step_events<'a>(j: &'a [Value], kind: &str, step: &str) -> Vec<&'a Value> {
    j.iter()
        .filter(|e| e["event"] == kind && e["step"] == step)
        .collect()
}

pub fn finished(j: &[Value], step: &str) -> Value {
    events(j, "step_finished")
        .into_iter()
        .find(|e| e["step"] == step)
        .cloned()
        .unwrap_or(Value::Null)
}

pub fn runbook(t: Test, body: &str) -> Test {
    t.file("runbooks/rb.yaml", &format!("title: Test\n{HEAD}{body}"))
}

pub fn run(t: &Test, extra: &[&str]) -> Output {
    let mut args = vec!["run", "rb"];
    args.extend_from_slice(extra);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(&args)
        .current_dir(t.dir.path())
        .env_remove("RUNBOOK_PATH")
        .env("NO_COLOR", "1")
        .env("RUNBOOK_STATE_DIR", t.path(".state"))
        .stdin(std::process::Stdio::null());
    let out = cmd.output().expect("run runbook");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Alive: exists and is not a zombie (an orphan not yet reaped by init is dead for us).
pub fn alive(pid: i32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    !matches!(state, None | Some("Z" | "X" | "x"))
}

/// The live processes of a process group, from `/proc`.
pub fn group_members(pgid: i32) -> Vec<i32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        let Some((_, rest)) = stat.rsplit_once(')') else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.get(2) == Some(&pgid.to_string().as_str())
            && !matches!(fields.first(), Some(&("Z" | "X" | "x")))
        {
            found.push(pid);
        }
    }
    found
}

/// Kills what a failed test left running, so that a failure does not leak processes.
pub fn kill_leftovers(pids: &[i32]) {
    use rustix::process::{Pid, Signal};
    for &pid in pids {
        if alive(pid) {
            let _ = rustix::process::kill_process(Pid::from_raw(pid).unwrap(), Signal::KILL);
        }
    }
}

/// Every file under a folder, as text.
pub fn all_text(dir: &std::path::Path) -> String {
    let mut text = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                text.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
            }
        }
    }
    text
}
