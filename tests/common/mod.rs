//! A small builder for integration tests: write runbooks into a temp folder, set arguments,
//! environment and stdin, run the real binary, and check what it printed and returned.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

pub mod pg;
pub mod run;
pub mod sshd;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Test {
    pub dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
    cwd: Option<PathBuf>,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Test {
    pub fn new() -> Test {
        Test {
            dir: tempfile::tempdir().expect("temp dir"),
            args: Vec::new(),
            env: Vec::new(),
            stdin: None,
            cwd: None,
        }
    }

    /// Writes a file below the test folder (creating folders) and returns its path.
    pub fn file(self, name: &str, text: &str) -> Test {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, text).expect("write file");
        self
    }

    pub fn args(mut self, args: &[&str]) -> Test {
        self.args.extend(args.iter().map(|a| a.to_string()));
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Test {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn stdin(mut self, text: &str) -> Test {
        self.stdin = Some(text.into());
        self
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `runbook` in the test folder.
    pub fn run(&self) -> Output {
        self.run_with(&self.args)
    }

    /// Runs `runbook` with these arguments instead, keeping the test folder for another run.
    pub fn exec(&self, args: &[&str]) -> Output {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        self.run_with(&args)
    }

    fn run_with(&self, args: &[String]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
        cmd.args(args)
            .current_dir(self.cwd.as_deref().unwrap_or(self.dir.path()))
            .env_remove("RUNBOOK_PATH")
            .env("NO_COLOR", "1")
            .env("RUNBOOK_CACHE_DIR", self.dir.path().join(".cache"))
            .env("RUNBOOK_STATE_DIR", self.dir.path().join(".state"));
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let output = match &self.stdin {
            Some(input) => {
                use std::io::Write;
                use std::process::Stdio;
                let mut child = cmd
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn runbook");
                if let Some(mut stdin) = child.stdin.take() {
                    let _ = stdin.write_all(input.as_bytes());
                }
                child.wait_with_output().expect("wait for runbook")
            }
            None => cmd
                .stdin(std::process::Stdio::null())
                .output()
                .expect("run runbook"),
        };
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Output {
    /// Asserts the exit code, printing everything on a mismatch.
    pub fn code(&self, expected: i32) -> &Output {
        assert_eq!(
            self.code, expected,
            "exit code {} (expected {expected})\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// The repository root, for fixtures and bundled runbooks.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Whether a process is running (a zombie waiting to be reaped is not). Waits up to five
/// seconds for a killed process to go, so that the answer does not depend on timing.
pub fn alive(pid: &str) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let state = stat
            .rsplit(')')
            .next()
            .and_then(|rest| rest.split_whitespace().next());
        let running = matches!(state, Some(s) if s != "Z" && s != "X");
        if !running || std::time::Instant::now() > deadline {
            return running;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
