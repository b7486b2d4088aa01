//! The journal (SPEC §4): one folder per run, `journal.jsonl` appended one JSON object per
//! line, each written (and at step boundaries synced) before the next action begins, so a
//! killed process loses nothing that happened. The folder is private (0700, files 0600) and
//! locked while a process drives the run.

use super::mask::Masker;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// Version of the journal format written in `run_started`; readers accept every version
/// the project has written.
pub const JOURNAL_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    Run,
    DryRun,
    Drill,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Run => "run",
            Mode::DryRun => "dry-run",
            Mode::Drill => "drill",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepStatus {
    Ok,
    Failed,
    Skipped,
    Timeout,
    Interrupted,
}

impl StepStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StepStatus::Ok => "ok",
            StepStatus::Failed => "failed",
            StepStatus::Skipped => "skipped",
            StepStatus::Timeout => "timeout",
            StepStatus::Interrupted => "interrupted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Succeeded,
    Failed,
    Aborted,
    Interrupted,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "failed",
            RunStatus::Aborted => "aborted",
            RunStatus::Interrupted => "interrupted",
        }
    }
}

/// What happened to a run's lease in the team store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaseChange {
    /// This process holds it (a new run, or a resume after the lease expired).
    Acquired,
    /// This process took it over from another driver whose lease had expired.
    TookOver,
    /// Contact with the store was lost long enough for the lease to expire; the operator
    /// chose to go on alone.
    WentOnAlone,
    /// The same, and the operator stopped: the run is left to be resumed.
    StoppedAlone,
    /// Another driver took the run over: this process stopped.
    TakenAway,
}

/// One journal event. Every text field is already masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    RunStarted {
        journal_version: u32,
        run_id: String,
        runbook: String,
        title: String,
        path: String,
        sha256: String,
        operator: String,
        host: String,
        inputs: BTreeMap<String, String>,
        mode: Mode,
    },
    StepStarted {
        step: String,
        index: usize,
        title: String,
        kind: String,
        /// In a step with `for_each`: the item of this iteration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
    },
    /// A command about to run, as the operator saw it.
    Command {
        step: String,
        command: String,
        attempt: u32,
        /// The command was edited by the operator (a deviation from the runbook).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        edited: bool,
        /// `rollback`, `wait`: what the command is for, when it is not the step's `run`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        purpose: Option<String>,
        /// The output log, relative to the run folder.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        log: Option<String>,
        /// It ran attached to the terminal (`interactive: true`): nothing was captured.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        interactive: bool,
    },
    OutputTail {
        step: String,
        tail: String,
        truncated: bool,
    },
    CommandFinished {
        step: String,
        exit_code: Option<i32>,
        outcome: String,
        duration_ms: u64,
    },
    StepFinished {
        step: String,
        status: StepStatus,
        /// In a step with `for_each`: the item of this iteration.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Where the walk goes next: a step id, `end`, or `abort`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        next: Option<String>,
    },
    /// A variable set by `capture`, `outputs`, `ask` or `choose` (secrets masked).
    VarSet {
        step: String,
        name: String,
        value: String,
        /// The value is a secret (its `value` is masked, and a resume cannot use it).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        secret: bool,
        /// The value is a map from host to value, as JSON (`capture` on a step with `on:`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        map: bool,
    },
    /// A variable a step wrote to `$RUNBOOK_ENV` (secrets masked).
    EnvSet {
        step: String,
        name: String,
        value: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        secret: bool,
    },
    /// Another process (perhaps another engineer) takes the run over.
    RunResumed {
        operator: String,
        host: String,
        /// The runbook file changed since the run started, and the operator accepted it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sha256: Option<String>,
    },
    Decision {
        step: String,
        option: usize,
        label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        next: String,
        /// Taken without asking: the option's `when` held (the expression).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        automatic: Option<String>,
    },
    Answer {
        step: String,
        var: String,
        value: String,
    },
    ChecklistItem {
        step: String,
        index: usize,
        item: String,
        done: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Note {
        step: String,
        text: String,
    },
    Confirmation {
        step: String,
        phrase: String,
        accepted: bool,
        /// `typed` or `flag` (`--confirm`).
        by: String,
    },
    /// The operator opened a shell from the failure menu (a deviation).
    ShellOpened {
        step: String,
        exit_code: Option<i32>,
    },
    Retry {
        step: String,
        attempt: u32,
        automatic: bool,
        /// For a step on several hosts (`on:`), the host a `retries:` retry is for (a retry
        /// from the failure menu runs the hosts that failed and has none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// A step on several hosts (`on:`): one host's command starting.
    HostStarted {
        step: String,
        host: String,
        attempt: u32,
    },
    /// … and how it ended: its output log and the last 2 KiB of its output (masked).
    HostFinished {
        step: String,
        host: String,
        status: StepStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        outcome: String,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        log: Option<String>,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        tail: String,
        /// What `capture` read from this host's output (masked).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        value: Option<String>,
        /// Where ssh reached it, as the inventory said then (`ansible_host`, `_port`,
        /// `_user`): a rollback later goes to the same place.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        address: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        port: Option<u16>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        user: Option<String>,
    },
    Rollback {
        step: String,
        command: String,
        status: StepStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        exit_code: Option<i32>,
        /// The item of a step with `for_each` this rollback undoes (masked).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        /// The host it ran on, for a step on several hosts (one event per host).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<String>,
    },
    /// The run's lease in the team store (one driver at a time): what happened to it.
    Lease {
        change: LeaseChange,
        /// The lease's generation this process drives under.
        generation: u64,
        /// The other driver: who took the run over from this one, or from whom it was taken.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
        /// For `went_on_alone`/`stopped_alone`: the last contact with the store.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        since: Option<String>,
    },
    /// A step's `remind` came due while the run was at `step`.
    Reminder {
        step: String,
        about: String,
    },
    RunFinished {
        status: RunStatus,
        duration_ms: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

impl Event {
    /// Synced to disk: the run's start and end (waited for), and the end of every step (in
    /// the background, coalesced). Every event is written with one `write` before the next
    /// action, so a killed process loses nothing.
    fn is_boundary(&self) -> bool {
        matches!(
            self,
            Event::RunStarted { .. }
                | Event::RunResumed { .. }
                | Event::Lease { .. }
                | Event::StepFinished { .. }
                | Event::RunFinished { .. }
        )
    }
}

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// RFC 3339 with milliseconds, UTC.
    pub ts: String,
    pub seq: u64,
    /// The sub-runbook steps this event happened in, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub within: Vec<String>,
    #[serde(flatten)]
    pub event: Event,
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot create the run folder `{}`: {source}", path.display())]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the journal `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("run `{run}` is driven by another process ({holder})")]
    Locked { run: String, holder: String },
}

/// Syncs the journal to disk in the background. A step end asks for a sync and goes on;
/// requests that arrive while a sync runs are served by the next one, so a run of fast steps
/// costs one sync per disk round trip, not one per step. The run's start and end wait for
/// theirs.
struct Syncer {
    shared: Arc<(Mutex<SyncState>, Condvar)>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct SyncState {
    requested: u64,
    done: u64,
    stop: bool,
    error: Option<String>,
}

impl Syncer {
    fn start(file: File) -> Syncer {
        let shared = Arc::new((Mutex::new(SyncState::default()), Condvar::new()));
        let for_thread = shared.clone();
        let thread = std::thread::Builder::new()
            .name("journal-sync".into())
            .spawn(move || {
                let (lock, cond) = &*for_thread;
                loop {
                    let target = {
                        let Ok(mut state) = lock.lock() else { return };
                        while state.requested == state.done && !state.stop {
                            state = match cond.wait(state) {
                                Ok(s) => s,
                                Err(_) => return,
                            };
                        }
                        if state.requested == state.done {
                            return;
                        }
                        state.requested
                    };
                    let result = file.sync_data();
                    let Ok(mut state) = lock.lock() else { return };
                    if let Err(e) = result {
                        state.error = Some(e.to_string());
                    }
                    state.done = target;
                    cond.notify_all();
                }
            })
            .ok();
        Syncer { shared, thread }
    }

    /// Asks for a sync; with `wait`, returns once it is done.
    fn request(&self, wait: bool) -> Result<(), String> {
        let (lock, cond) = &*self.shared;
        let mut state = lock
            .lock()
            .map_err(|_| "the journal syncer failed".to_string())?;
        if let Some(e) = state.error.take() {
            return Err(e);
        }
        state.requested += 1;
        let target = state.requested;
        cond.notify_all();
        if wait && self.thread.is_some() {
            while state.done < target && state.error.is_none() {
                state = cond
                    .wait(state)
                    .map_err(|_| "the journal syncer failed".to_string())?;
            }
            if let Some(e) = state.error.take() {
                return Err(e);
            }
        }
        Ok(())
    }
}

impl Drop for Syncer {
    fn drop(&mut self) {
        if let Ok(mut state) = self.shared.0.lock() {
            state.stop = true;
            self.shared.1.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub struct Journal {
    syncer: Syncer,
    dir: PathBuf,
    path: PathBuf,
    file: File,
    /// Held for the life of the journal: the run's lock.
    _lock: File,
    seq: u64,
    masker: Masker,
    pub within: Vec<String>,
    /// Told of each event once it is written (the team store's shipper: it must not block).
    on_append: Option<Box<dyn FnMut(u64) + Send>>,
}

/// Creates a folder (and its parents) private to the user.
pub fn private_dir(path: &Path) -> std::io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(path)
}

fn private_file(path: &Path, append: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    if append {
        options.append(true);
    } else {
        options.write(true).truncate(true);
    }
    options.create(true).mode(0o600).open(path)
}

impl Journal {
    /// Creates the folder of a new run under `state_dir/runs/` and locks it.
    pub fn create(
        state_dir: &Path,
        run_id: &str,
        secrets: &[String],
    ) -> Result<Journal, JournalError> {
        let dir = state_dir.join("runs").join(run_id);
        let create = |source| JournalError::Create {
            path: dir.clone(),
            source,
        };
        private_dir(&dir.join("output")).map_err(create)?;
        let lock = lock_run(&dir, run_id)?;
        let path = dir.join("journal.jsonl");
        let file = private_file(&path, true).map_err(create)?;
        let mut all = secrets.to_vec();
        // A secret holding `"` or `\` appears escaped inside a JSON line.
        all.extend(secrets.iter().map(|s| {
            serde_json::to_string(s)
                .unwrap_or_default()
                .trim_matches('"')
                .to_string()
        }));
        let syncer = Syncer::start(file.try_clone().map_err(create)?);
        Ok(Journal {
            syncer,
            dir,
            path,
            file,
            _lock: lock,
            seq: 0,
            masker: Masker::new(&all),
            within: Vec::new(),
            on_append: None,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sequence number the next event will get.
    pub fn next_seq(&self) -> u64 {
        self.seq + 1
    }

    /// Appends an event: one `write` of one line, synced at step boundaries.
    pub fn append(&mut self, event: Event) -> Result<u64, JournalError> {
        self.seq += 1;
        let boundary = event.is_boundary();
        let record = Record {
            ts: now_rfc3339(),
            seq: self.seq,
            within: self.within.clone(),
            event,
        };
        let mut line = serde_json::to_string(&record).map_err(|e| JournalError::Write {
            path: self.path.clone(),
            source: std::io::Error::other(e),
        })?;
        line = self.masker.mask_str(&line);
        line.push('\n');
        let write = |e| JournalError::Write {
            path: self.path.clone(),
            source: e,
        };
        self.file.write_all(line.as_bytes()).map_err(write)?;
        if boundary {
            let wait = !matches!(record.event, Event::StepFinished { .. });
            let synced = if self.syncer.thread.is_some() {
                self.syncer.request(wait)
            } else {
                self.file.sync_data().map_err(|e| e.to_string())
            };
            synced.map_err(|e| write(std::io::Error::other(e)))?;
        }
        if let Some(hook) = &mut self.on_append {
            hook(self.seq);
        }
        Ok(self.seq)
    }

    /// Calls `hook` with each event's seq once the event is written.
    pub fn on_append(&mut self, hook: Box<dyn FnMut(u64) + Send>) {
        self.on_append = Some(hook);
    }

    /// Keeps a copy of the runbook as it was when the run started (`runbook.yaml`, 0600).
    pub fn save_runbook(&self, text: &str) -> Result<(), JournalError> {
        let path = self.dir.join("runbook.yaml");
        let mut file = private_file(&path, false).map_err(|source| JournalError::Write {
            path: path.clone(),
            source,
        })?;
        file.write_all(text.as_bytes())
            .map_err(|source| JournalError::Write { path, source })
    }

    /// The output log of a command, `output/<seq>-<step>.log`: created (0600) on the first
    /// byte of output, so a command that prints nothing leaves no file behind.
    /// Masks `secrets` in an output log already written (`relative` to the run folder): for
    /// secrets a command makes, known only once it ends. The log is replaced whole.
    pub fn remask_log(&self, relative: &str, secrets: &[String]) -> std::io::Result<()> {
        let path = self.dir.join(relative);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut masker = crate::exec::mask::Masker::new(secrets);
        let mut masked = masker.push(&bytes);
        masked.extend(masker.finish());
        if masked == bytes {
            return Ok(());
        }
        let temporary = path.with_extension("log.masking");
        let mut file = private_file(&temporary, false)?;
        file.write_all(&masked)?;
        file.sync_all()?;
        std::fs::rename(&temporary, &path)
    }

    pub fn output_log(&self, seq: u64, step: &str) -> OutputLog {
        let safe: String = step
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let relative = format!("output/{seq:04}-{safe}.log");
        OutputLog {
            path: self.dir.join(&relative),
            relative,
            file: None,
            failed: None,
        }
    }
}

/// One command's output log, created when the first byte arrives and closed when the
/// command ends. Writing never fails the command: the first error is kept (`failed`) and
/// the rest of the output goes to the screen only.
#[derive(Debug)]
pub struct OutputLog {
    path: PathBuf,
    relative: String,
    file: Option<File>,
    failed: Option<std::io::Error>,
}

impl OutputLog {
    /// The log's path relative to the run folder (as the `command` event names it).
    pub fn relative(&self) -> &str {
        &self.relative
    }

    /// Appends output. Returns the error the first time writing fails, and nothing after.
    pub fn write(&mut self, bytes: &[u8]) -> Option<&std::io::Error> {
        if bytes.is_empty() || self.failed.is_some() {
            return None;
        }
        let result = match &mut self.file {
            Some(file) => file.write_all(bytes),
            None => private_file(&self.path, false).and_then(|mut file| {
                file.write_all(bytes)?;
                self.file = Some(file);
                Ok(())
            }),
        };
        match result {
            Ok(()) => None,
            Err(e) => Some(&*self.failed.insert(e)),
        }
    }

    /// Closes the log when its command has ended. Like `tee`, it leaves the writing to disk
    /// to the kernel and does not wait for it (see docs/JOURNAL.md, *Durability*): the
    /// journal, synced at the step's end, holds the output's last 2 KiB.
    pub fn close(&mut self) {
        self.file = None;
    }
}

/// Parses a journal's text. A torn last line (the process was killed while writing it) is
/// left out: the second value is the length of the text up to it, when there is one.
pub fn parse(text: &str) -> Result<(Vec<Record>, Option<usize>), String> {
    let mut records = Vec::new();
    let mut at = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let complete = line.ends_with('\n');
        match serde_json::from_str::<Record>(line.trim_end()) {
            Ok(record) if complete => records.push(record),
            _ if !complete => return Ok((records, Some(at))),
            Ok(_) => {}
            Err(_) if line.trim().is_empty() => {}
            Err(e) => return Err(format!("line {}: not a journal event: {e}", i + 1)),
        }
        at += line.len();
    }
    Ok((records, None))
}

impl Journal {
    /// Opens an existing run to go on with it: takes its lock (refused while another process
    /// holds it), repairs a torn last line, and continues its sequence. Returns the journal,
    /// the records so far, and the bytes of a torn line that was removed.
    pub fn open(
        dir: &Path,
        secrets: &[String],
    ) -> Result<(Journal, Vec<Record>, Option<String>), JournalError> {
        let run_id = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lock = lock_run(dir, &run_id)?;
        let path = dir.join("journal.jsonl");
        let read = |source| JournalError::Create {
            path: path.clone(),
            source,
        };
        let text = std::fs::read_to_string(&path).map_err(read)?;
        let (records, torn_at) = parse(&text)
            .map_err(|e| read(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        let file = private_file(&path, true).map_err(read)?;
        let torn = match torn_at {
            Some(at) => {
                file.set_len(at as u64).map_err(read)?;
                file.sync_data().map_err(read)?;
                Some(text[at..].to_string())
            }
            None => None,
        };
        let mut all = secrets.to_vec();
        all.extend(secrets.iter().map(|s| {
            serde_json::to_string(s)
                .unwrap_or_default()
                .trim_matches('"')
                .to_string()
        }));
        let syncer = Syncer::start(file.try_clone().map_err(read)?);
        let seq = records.last().map_or(0, |r| r.seq);
        let journal = Journal {
            syncer,
            dir: dir.to_path_buf(),
            path,
            file,
            _lock: lock,
            seq,
            masker: Masker::new(&all),
            within: Vec::new(),
            on_append: None,
        };
        Ok((journal, records, torn))
    }
}

/// Who holds the run in `dir` now (a process driving it), if anyone: its lock is tried and
/// let go at once.
pub fn held_by(dir: &Path) -> Option<String> {
    let path = dir.join("lock");
    let file = OpenOptions::new().read(true).write(true).open(&path).ok()?;
    match file.try_lock() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(_) => Some(
            std::fs::read_to_string(&path)
                .unwrap_or_default()
                .trim()
                .to_string(),
        ),
    }
}

/// Takes the run's lock, recording who holds it; refuses when another process does.
fn lock_run(dir: &Path, run_id: &str) -> Result<File, JournalError> {
    let path = dir.join("lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(|source| JournalError::Create {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path).unwrap_or_default();
            return Err(JournalError::Locked {
                run: run_id.to_string(),
                holder: holder.trim().to_string(),
            });
        }
        Err(std::fs::TryLockError::Error(source)) => {
            return Err(JournalError::Create { path, source });
        }
    }
    let holder = format!(
        "{} on {}, pid {}, since {}",
        user(),
        host(),
        std::process::id(),
        now_rfc3339()
    );
    let write = file
        .set_len(0)
        .and_then(|_| file.write_all(holder.as_bytes()));
    write.map_err(|source| JournalError::Write { path, source })?;
    Ok(file)
}

pub fn now_rfc3339() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
}

/// The start of a run id by which runs are named to the operator, in commands to type
/// (`runbook rollback 01a240e4-8c24`): its first 13 characters, the whole millisecond of
/// its start (UUIDv7), so that runs started in the same minute still differ. (Tables show 8,
/// made unique where needed: `report::run::unique_prefixes`.)
pub fn short_id(run_id: &str) -> &str {
    run_id.get(..13).unwrap_or(run_id)
}

/// The operator's user name: `$USER`, `$LOGNAME`, else the password database's entry.
pub fn user() -> String {
    let uid = rustix::process::getuid().as_raw();
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
        .filter(|u| !u.is_empty())
        .or_else(|| {
            let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
            passwd.lines().find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                (fields.nth(1)? == uid.to_string()).then(|| name.to_string())
            })
        })
        .unwrap_or_else(|| format!("uid{uid}"))
}

pub fn host() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

/// The state folder: `--state-dir`, `RUNBOOK_STATE_DIR`, `$XDG_STATE_HOME/runbook`, or
/// `~/.local/state/runbook`.
pub fn state_dir(flag: Option<&Path>) -> PathBuf {
    // Absolute: steps run in their runbook's folder, and find `$RUNBOOK_ENV` in the run's.
    std::path::absolute(chosen_state_dir(flag)).unwrap_or_else(|_| chosen_state_dir(flag))
}

/// runbook.toml's `[run] state_dir`, set once at start.
static CONFIGURED_STATE_DIR: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Sets runbook.toml's `[run] state_dir`: used when no `--state-dir` is given, before
/// `RUNBOOK_STATE_DIR`. Only the first call counts.
pub fn configure_state_dir(dir: PathBuf) {
    let _ = CONFIGURED_STATE_DIR.set(dir);
}

fn chosen_state_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    if let Some(dir) = CONFIGURED_STATE_DIR.get() {
        return dir.clone();
    }
    if let Some(dir) = std::env::var_os("RUNBOOK_STATE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_STATE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir).join("runbook");
    }
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from);
    home.join(".local/state/runbook")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn events_are_lines_private_and_locked() {
        let state = tempfile::tempdir().unwrap();
        let mut journal = Journal::create(state.path(), "r1", &["hunter2".into()]).unwrap();
        journal
            .append(Event::Note {
                step: "a".into(),
                text: "password hunter2 \"quoted\"".into(),
            })
            .unwrap();
        journal
            .append(Event::RunFinished {
                status: RunStatus::Succeeded,
                duration_ms: 5,
                reason: None,
            })
            .unwrap();
        let text = std::fs::read_to_string(journal.path()).unwrap();
        let records: Vec<Record> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].seq, 2);
        assert!(!text.contains("hunter2"), "{text}");
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(journal.dir()), 0o700);
        assert_eq!(mode(journal.path()), 0o600);
        let second = Journal::create(state.path(), "r1", &[]);
        assert!(matches!(second, Err(JournalError::Locked { .. })));
    }
}
