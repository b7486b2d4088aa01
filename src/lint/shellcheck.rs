//! shellcheck on every `run`, `rollback` and `wait.run` script, as actionlint does for `run:`.
//!
//! Templates are replaced by placeholders of the same byte length, so a finding's position in
//! the script is its position in the runbook's string, which [`locate`] maps to the file.
//! One shellcheck process checks a whole batch of scripts (files in `/dev/shm` when there is
//! one), and each result is kept under the hash of the script, the shell and shellcheck's
//! version: in memory for the run, where a script that two batches need at once is checked by
//! one of them, and in an append-only log in the cache folder ([`Store`]). An unchanged script
//! is never checked twice, across runs too.

use super::context::Context;
use crate::load::locate::locate;
use crate::load::{Shell, Source, Sp, Span};
use crate::template::placeholders;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};

/// Codes that placeholders or the runbook model make meaningless, as actionlint excludes them:
/// SC1091 (sourced file not followed), SC2050/SC2157/SC2194 (constant expressions: a
/// placeholder is constant text). SC2154 (a variable never assigned) is kept, and dropped
/// for the names the runbook gives every step ([`ScriptJob::exported`]).
const EXCLUDED: &str = "SC1091,SC2050,SC2157,SC2194";
/// Part of every cache key: change it whenever the way scripts are checked changes.
const SCHEME: &str = "3 severity=info set-e-prefix sc2154";

/// One script to check.
#[derive(Debug, Clone)]
pub struct ScriptJob {
    /// The script with every `{{ … }}` replaced by a placeholder of the same length.
    pub text: String,
    pub shell: &'static str,
    /// The runbook string the script came from.
    pub value: Sp<String>,
    /// The environment variables the runbook gives its steps: inputs' `env`, `env:` keys,
    /// `secret_env`, names any step writes to `$RUNBOOK_ENV`, and `RUNBOOK_*`.
    pub exported: std::sync::Arc<std::collections::BTreeSet<String>>,
}

impl ScriptJob {
    /// Whether a shellcheck finding is about a variable the runbook sets for the step
    /// (SC2154 `NAME is referenced but not assigned`).
    pub fn set_by_runbook(&self, message: &str) -> bool {
        message
            .strip_prefix("SC2154: ")
            .and_then(|m| m.split_once(' '))
            .is_some_and(|(name, _)| name.starts_with("RUNBOOK_") || self.exported.contains(name))
    }
}

/// The environment variables a runbook gives its steps.
fn exported(cx: &Context) -> std::collections::BTreeSet<String> {
    let rb = cx.runbook;
    let mut out: std::collections::BTreeSet<String> = rb
        .inputs
        .iter()
        .filter_map(|i| i.env.as_ref().map(|e| e.value.clone()))
        .chain(rb.env.iter().map(|(k, _)| k.value.clone()))
        .collect();
    for step in &rb.steps {
        out.extend(step.env.iter().map(|(k, _)| k.value.clone()));
        out.extend(step.secret_env.iter().map(|e| e.value.clone()));
        // `echo "NAME=…" >> "$RUNBOOK_ENV"`, `NAME<<EOF`: the names a script writes there.
        for line in step.run.iter().flat_map(|r| r.value.lines()) {
            if !line.contains("RUNBOOK_ENV") {
                continue;
            }
            for (i, _) in line.match_indices(['=', '<']) {
                let name: String = line[..i]
                    .chars()
                    .rev()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                if crate::values::is_identifier(&name) {
                    out.insert(name);
                }
            }
        }
    }
    out
}

impl ScriptJob {
    pub fn locate(&self, source: &Source, offset: usize, len: usize) -> Span {
        locate(source, &self.value, offset, len)
    }
}

/// One shellcheck comment, at a byte range of the script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShellFinding {
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub help: String,
    pub error: bool,
}

pub struct ShellCheck {
    program: PathBuf,
    version: String,
    /// The folder of the cache log; `None` keeps results for this run only.
    cache: Option<PathBuf>,
    /// Every result known to this run, loaded from the cache log at the first check.
    store: OnceLock<Store>,
    /// The first failure of shellcheck itself (scripts left unchecked).
    failure: Mutex<Option<String>>,
}

/// The scripts of a file that shellcheck can read: POSIX shells only.
pub fn jobs(cx: &Context) -> Vec<ScriptJob> {
    let default_shell = cx.runbook.shell.as_ref().map_or(&Shell::Bash, |s| &s.value);
    let exported = std::sync::Arc::new(exported(cx));
    cx.sites
        .iter()
        .filter(|s| s.site.script && s.analysis.errors.is_empty())
        .filter_map(|s| {
            let shell = s
                .site
                .step
                .and_then(|st| st.shell.as_ref())
                .map_or(default_shell, |sh| &sh.value);
            let shell = match shell {
                Shell::Bash => "bash",
                Shell::Sh => "sh",
                Shell::Command(_) => return None,
            };
            Some(ScriptJob {
                // A step with `templates: false` is checked as written.
                text: if s.site.kind == crate::template::sites::SiteKind::Raw {
                    s.site.value.value.clone()
                } else {
                    placeholders(&s.site.value.value)
                },
                shell,
                value: s.site.value.clone(),
                exported: exported.clone(),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Json1 {
    comments: Vec<Comment>,
}

#[derive(Deserialize)]
struct Comment {
    file: String,
    line: usize,
    #[serde(rename = "endLine")]
    end_line: usize,
    column: usize,
    #[serde(rename = "endColumn")]
    end_column: usize,
    level: String,
    code: u32,
    message: String,
}

impl ShellCheck {
    /// Finds shellcheck on the `PATH` (or `RUNBOOK_SHELLCHECK`); `None` when it is not there.
    pub fn detect() -> Option<ShellCheck> {
        let program = std::env::var_os("RUNBOOK_SHELLCHECK")
            .map_or_else(|| PathBuf::from("shellcheck"), PathBuf::from);
        let output = Command::new(&program).arg("--version").output().ok()?;
        if !output.status.success() {
            return None;
        }
        let text = String::from_utf8_lossy(&output.stdout);
        let version = text
            .lines()
            .find_map(|l| l.strip_prefix("version:"))
            .map(|v| v.trim().to_string())?;
        let cache = std::env::var_os("RUNBOOK_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| {
                use etcetera::BaseStrategy;
                etcetera::choose_base_strategy()
                    .ok()
                    .map(|s| s.cache_dir().join("runbook"))
            })
            .map(|dir| dir.join("shellcheck"));
        Some(ShellCheck::new(program, version, cache))
    }

    fn new(program: PathBuf, version: String, cache: Option<PathBuf>) -> ShellCheck {
        ShellCheck {
            program,
            version,
            cache,
            store: OnceLock::new(),
            failure: Mutex::new(None),
        }
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    fn key(&self, job: &ScriptJob) -> Key {
        let mut hash = Sha256::new();
        for part in [
            SCHEME,
            self.version.as_str(),
            job.shell,
            EXCLUDED,
            job.text.as_str(),
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.finalize().into()
    }

    fn store(&self) -> &Store {
        self.store
            .get_or_init(|| Store::open(self.cache.as_ref().map(|dir| dir.join(LOG))))
    }

    /// Checks scripts; the result has one list of findings per script, in order. A script that
    /// could not be checked (shellcheck failed) gets no findings.
    pub fn check(&self, jobs: &[&ScriptJob]) -> Vec<Vec<ShellFinding>> {
        let store = self.store();
        let keys: Vec<Key> = jobs.iter().map(|j| self.key(j)).collect();
        let (mut found, claim) = store.claim(jobs, &keys);
        self.check_now(jobs, &keys, &claim.mine, store);
        store.release(claim.mine.iter().map(|&i| &keys[i]));
        store.fill(jobs, &keys, &mut found);
        // Scripts that another batch was checking and has not finished: checked here too
        // rather than waited for, which would leave a core idle.
        let left: Vec<usize> = claim
            .elsewhere
            .into_iter()
            .filter(|&i| found[i].is_none())
            .collect();
        if !left.is_empty() {
            self.check_now(jobs, &keys, &left, store);
            store.fill(jobs, &keys, &mut found);
        }
        found.into_iter().map(Option::unwrap_or_default).collect()
    }

    /// Runs shellcheck over the scripts at these indexes, one process per shell, and records
    /// the results.
    fn check_now(&self, jobs: &[&ScriptJob], keys: &[Key], todo: &[usize], store: &Store) {
        for shell in ["bash", "sh"] {
            let batch: Vec<(usize, &ScriptJob)> = todo
                .iter()
                .map(|&i| (i, jobs[i]))
                .filter(|(_, j)| j.shell == shell)
                .collect();
            if batch.is_empty() {
                continue;
            }
            if let Some(results) = self.run(shell, &batch) {
                let entries: Vec<(Key, Vec<ShellFinding>)> =
                    batch.iter().map(|(i, _)| keys[*i]).zip(results).collect();
                store.record(&entries);
            }
        }
    }

    /// One shellcheck process over script files; `None` when it fails.
    fn shellcheck(&self, shell: &str, files: &[PathBuf]) -> Result<std::process::Output, String> {
        let output = Command::new(&self.program)
            .args(["--format=json1", "--severity=info", "--norc"])
            .arg(format!("--shell={shell}"))
            .arg(format!("--exclude={EXCLUDED}"))
            .args(files)
            .output()
            .map_err(|e| format!("cannot start `{}`: {e}", self.program.display()))?;
        // Exit 1 means "found something"; anything else but 0 is a failure of shellcheck itself.
        if matches!(output.status.code(), Some(0 | 1)) {
            return Ok(output);
        }
        let said = String::from_utf8_lossy(&output.stderr);
        let said = said
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim();
        Err(format!(
            "`{}` ended with {}{}",
            self.program.display(),
            output.status,
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        ))
    }

    /// The first failure of shellcheck in this run, if it failed: the scripts of that batch
    /// were not checked.
    pub fn failure(&self) -> Option<String> {
        self.failure
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// One shellcheck process over a batch of scripts of one shell.
    fn run(&self, shell: &str, batch: &[(usize, &ScriptJob)]) -> Option<Vec<Vec<ShellFinding>>> {
        // The flags the step really runs with (SPEC §2.4), on the first line so that line
        // numbers stay the same: shellcheck then knows that a failing `cd` stops the script.
        let prefix = if shell == "bash" {
            "set -eo pipefail; "
        } else {
            "set -e; "
        };
        // Script files in memory when the system allows, as creating and removing a file
        // there costs microseconds against up to a millisecond on a journaled disk.
        let mut in_memory = IN_MEMORY.load(Ordering::Relaxed);
        let (mut dir, mut files) = write_scripts(prefix, batch, &mut in_memory)?;
        let mut output = self.shellcheck(shell, &files);
        if output.is_err() && in_memory {
            // Perhaps this shellcheck cannot read `/dev/shm` (a sandbox, a wrapper that runs
            // it elsewhere): once more from the temporary folder, and from there on if that
            // works.
            (dir, files) = write_scripts(prefix, batch, &mut false)?;
            output = self.shellcheck(shell, &files);
            if output.is_ok() {
                IN_MEMORY.store(false, Ordering::Relaxed);
            }
        }
        let output = match output {
            Ok(output) => output,
            Err(failure) => {
                let mut first = self
                    .failure
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                first.get_or_insert(failure);
                return None;
            }
        };
        // The folder and its files are removed after shellcheck has read them.
        drop(dir);
        let parsed: Json1 = serde_json::from_slice(&output.stdout).ok()?;
        let mut results = vec![Vec::new(); batch.len()];
        let by_file: HashMap<String, usize> = files
            .iter()
            .enumerate()
            .map(|(n, f)| (f.to_string_lossy().into_owned(), n))
            .collect();
        for c in parsed.comments {
            let Some(&n) = by_file.get(&c.file) else {
                continue;
            };
            let text = &batch[n].1.text;
            let written = format!("{prefix}{text}");
            let start = byte_offset(&written, c.line, c.column).saturating_sub(prefix.len());
            let end = byte_offset(&written, c.end_line, c.end_column)
                .saturating_sub(prefix.len())
                .max(start);
            results[n].push(ShellFinding {
                offset: start,
                len: (end - start).max(1).min(text.len().saturating_sub(start)),
                message: format!("SC{}: {}", c.code, c.message.trim_end_matches('.')),
                help: format!("see https://www.shellcheck.net/wiki/SC{}", c.code),
                error: c.level == "error",
            });
        }
        Some(results)
    }
}

/// Whether script files go to `/dev/shm`: until that fails.
static IN_MEMORY: AtomicBool = AtomicBool::new(true);

/// Writes a batch's scripts, each with the prefix, one file each in a new folder: in
/// `/dev/shm` when `in_memory` and the system has it (`in_memory` is then left true), in the
/// temporary folder otherwise or when writing to `/dev/shm` fails (which is then given up).
fn write_scripts(
    prefix: &str,
    batch: &[(usize, &ScriptJob)],
    in_memory: &mut bool,
) -> Option<(tempfile::TempDir, Vec<PathBuf>)> {
    let shm = Path::new("/dev/shm");
    let mut builder = tempfile::Builder::new();
    builder.prefix("runbook-shellcheck-");
    let write = |dir: tempfile::TempDir| {
        let mut files = Vec::with_capacity(batch.len());
        let mut text = String::new();
        for (n, (_, job)) in batch.iter().enumerate() {
            let path = dir.path().join(format!("{n}.sh"));
            text.clear();
            text.push_str(prefix);
            text.push_str(&job.text);
            std::fs::write(&path, &text).ok()?;
            files.push(path);
        }
        Some((dir, files))
    };
    if *in_memory && shm.is_dir() {
        if let Some(done) = builder.tempdir_in(shm).ok().and_then(write) {
            return Some(done);
        }
        // Not writable, or full.
        IN_MEMORY.store(false, Ordering::Relaxed);
    }
    *in_memory = false;
    write(builder.tempdir().ok()?)
}

/// The SHA-256 of everything a script's findings depend on (see [`ShellCheck::key`]).
type Key = [u8; 32];

/// The cache log's file name in the cache folder; a new format gets a new name.
const LOG: &str = "results-1.log";
/// A log larger than this is started afresh rather than read: about 200,000 scripts, read in
/// about 0.15 s (15,000 take 10 ms).
const LOG_LIMIT: u64 = 16 << 20;

/// The results known to this run: read once from the cache log, shared by every batch of the
/// run, and appended to the log as batches finish.
///
/// The log has one line per script: `KEY SUM FINDINGS`, the key and the first 8 bytes of
/// SHA-256(key, findings) in hex, and the findings as JSON. Each batch appends its lines
/// with one `write` on a file opened with `O_APPEND`, so two runs at once add whole lines
/// without a lock; a line that does not end in a newline, does not parse or whose sum does
/// not match (a torn or interleaved write, a crash, another program's file) is ignored, and
/// its script is checked again.
struct Store {
    state: Mutex<State>,
    log: Option<PathBuf>,
    /// Opened at the first append: a warm run never writes.
    writer: Mutex<Option<File>>,
}

#[derive(Default)]
struct State {
    known: HashMap<Key, Vec<ShellFinding>>,
    /// Scripts that a batch of this run is checking: another batch does not start them too.
    pending: HashSet<Key>,
}

/// A batch's share of the scripts it needs: indexes of the first job of each distinct script.
#[derive(Debug, Default, PartialEq)]
struct Claim {
    /// To check in this batch.
    mine: Vec<usize>,
    /// Being checked by another batch.
    elsewhere: Vec<usize>,
}

impl Store {
    fn open(log: Option<PathBuf>) -> Store {
        let mut known = HashMap::new();
        if let Some(path) = &log {
            match std::fs::metadata(path) {
                Ok(meta) if meta.len() > LOG_LIMIT => {
                    let _ = std::fs::remove_file(path);
                }
                Ok(_) => {
                    if let Ok(bytes) = std::fs::read(path) {
                        decode(&bytes, &mut known);
                    }
                }
                Err(_) => {}
            }
        }
        Store {
            state: Mutex::new(State {
                known,
                pending: HashSet::new(),
            }),
            log,
            writer: Mutex::new(None),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A batch that panicked leaves whole entries behind: the map is still good.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The known findings of each job (`None` for the others), and the scripts this batch is
    /// to check: those neither known nor being checked by another batch, which it claims.
    fn claim(&self, jobs: &[&ScriptJob], keys: &[Key]) -> (Vec<Option<Vec<ShellFinding>>>, Claim) {
        let mut found = vec![None; keys.len()];
        let mut claim = Claim::default();
        let mut seen = HashSet::new();
        let mut state = self.state();
        for (i, (job, key)) in jobs.iter().zip(keys).enumerate() {
            found[i] = known(&state.known, key, job);
            if found[i].is_some() || !seen.insert(key) {
                continue;
            }
            if state.pending.insert(*key) {
                claim.mine.push(i);
            } else {
                claim.elsewhere.push(i);
            }
        }
        (found, claim)
    }

    /// Fills in the findings now known.
    fn fill(&self, jobs: &[&ScriptJob], keys: &[Key], found: &mut [Option<Vec<ShellFinding>>]) {
        let state = self.state();
        for ((slot, job), key) in found.iter_mut().zip(jobs).zip(keys) {
            if slot.is_none() {
                *slot = known(&state.known, key, job);
            }
        }
    }

    /// Gives up claims: checked, or failed to check.
    fn release<'a>(&self, keys: impl Iterator<Item = &'a Key>) {
        let mut state = self.state();
        for key in keys {
            state.pending.remove(key);
        }
    }

    /// Adds checked scripts to this run's results and to the log.
    fn record(&self, entries: &[(Key, Vec<ShellFinding>)]) {
        {
            let mut state = self.state();
            for (key, found) in entries {
                state.known.insert(*key, found.clone());
            }
        }
        let Some(path) = &self.log else {
            return;
        };
        let mut lines = Vec::with_capacity(entries.len() * 100);
        for (key, found) in entries {
            encode(key, found, &mut lines);
        }
        let Ok(mut writer) = self.writer.lock() else {
            return;
        };
        if writer.is_none() {
            *writer = path
                .parent()
                .and_then(|dir| std::fs::create_dir_all(dir).ok())
                .and_then(|()| OpenOptions::new().create(true).append(true).open(path).ok());
        }
        if let Some(file) = writer.as_mut() {
            // One write of whole lines; a failure only costs a check next time.
            let _ = file.write_all(&lines);
        }
    }
}

/// A known result for a job; one that does not fit its script (a byte range outside it) is
/// not used.
fn known(
    known: &HashMap<Key, Vec<ShellFinding>>,
    key: &Key,
    job: &ScriptJob,
) -> Option<Vec<ShellFinding>> {
    known
        .get(key)
        .filter(|found| found.iter().all(|f| fits(f, &job.text)))
        .cloned()
}

/// Whether a cached finding's byte range lies inside the script and starts on a character.
fn fits(finding: &ShellFinding, text: &str) -> bool {
    finding
        .offset
        .checked_add(finding.len)
        .is_some_and(|end| end <= text.len())
        && text.is_char_boundary(finding.offset)
}

fn sum(key: &Key, json: &[u8]) -> [u8; 8] {
    let digest = Sha256::new()
        .chain_update(key)
        .chain_update(json)
        .finalize();
    let mut out = [0; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

fn push_hex(bytes: &[u8], out: &mut Vec<u8>) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)]);
        out.push(DIGITS[usize::from(b & 15)]);
    }
}

fn parse_hex<const N: usize>(text: &[u8]) -> Option<[u8; N]> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    if text.len() != 2 * N {
        return None;
    }
    let mut out = [0; N];
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        *byte = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// Appends one log line.
fn encode(key: &Key, findings: &[ShellFinding], out: &mut Vec<u8>) {
    // Serializing plain structs to memory cannot fail; skip the entry if it ever did.
    let Ok(json) = serde_json::to_vec(findings) else {
        return;
    };
    push_hex(key, out);
    out.push(b' ');
    push_hex(&sum(key, &json), out);
    out.push(b' ');
    out.extend_from_slice(&json);
    out.push(b'\n');
}

/// Reads every valid line of a log; a later line for the same key wins.
fn decode(bytes: &[u8], into: &mut HashMap<Key, Vec<ShellFinding>>) {
    // The text after the last newline is a line being written (or torn): not a line yet.
    let whole = match memchr::memrchr(b'\n', bytes) {
        Some(end) => &bytes[..end],
        None => return,
    };
    for line in whole.split(|&b| b == b'\n') {
        if let Some((key, found)) = decode_line(line) {
            into.insert(key, found);
        }
    }
}

fn decode_line(line: &[u8]) -> Option<(Key, Vec<ShellFinding>)> {
    let key: Key = parse_hex(line.get(..64)?)?;
    if line.get(64) != Some(&b' ') || line.get(81) != Some(&b' ') {
        return None;
    }
    let expected: [u8; 8] = parse_hex(line.get(65..81)?)?;
    let json = line.get(82..)?;
    if sum(&key, json) != expected {
        return None;
    }
    Some((key, serde_json::from_slice(json).ok()?))
}

/// The byte offset of shellcheck's 1-based line and column; shellcheck counts a tab as
/// reaching the next multiple of 8 columns.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
    let mut col = 1;
    for (i, c) in line_text.char_indices() {
        if col >= column {
            return start + i;
        }
        col = if c == '\t' {
            (col - 1) / 8 * 8 + 9
        } else {
            col + 1
        };
    }
    start + line_text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(offset: usize, len: usize, message: &str) -> ShellFinding {
        ShellFinding {
            offset,
            len,
            message: message.to_string(),
            help: "see https://www.shellcheck.net/wiki/SC2086".to_string(),
            error: false,
        }
    }

    fn key(n: u8) -> Key {
        let mut key = [0; 32];
        key[0] = n;
        key[31] = 0xa5;
        key
    }

    fn log_of(entries: &[(Key, Vec<ShellFinding>)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (key, found) in entries {
            encode(key, found, &mut out);
        }
        out
    }

    fn decoded(bytes: &[u8]) -> HashMap<Key, Vec<ShellFinding>> {
        let mut map = HashMap::new();
        decode(bytes, &mut map);
        map
    }

    #[test]
    fn log_round_trip() {
        let entries = vec![
            (key(1), vec![]),
            (
                key(2),
                vec![
                    finding(0, 3, "SC2086: Double quote \"x\"\nand é"),
                    finding(7, 1, "SC2164: cd"),
                ],
            ),
            (key(3), vec![finding(4, 0, "")]),
        ];
        let bytes = log_of(&entries);
        assert_eq!(bytes.iter().filter(|&&b| b == b'\n').count(), 3);
        let map = decoded(&bytes);
        assert_eq!(map.len(), 3);
        for (k, found) in &entries {
            assert_eq!(map.get(k), Some(found));
        }
        // A later line for the same script wins.
        let mut again = bytes.clone();
        encode(&key(1), &[finding(1, 1, "later")], &mut again);
        assert_eq!(decoded(&again)[&key(1)], vec![finding(1, 1, "later")]);
    }

    #[test]
    fn log_damage_is_ignored_line_by_line() {
        let entries = vec![
            (key(1), vec![finding(0, 3, "SC2086: one")]),
            (key(2), vec![finding(5, 2, "SC2086: two")]),
            (key(3), vec![]),
        ];
        let bytes = log_of(&entries);
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();

        // A changed digit in the findings: the sum no longer matches.
        let mut flipped = bytes.clone();
        let at = lines[0].len() + lines[1].len() - 10;
        assert!(flipped[at].is_ascii_graphic());
        flipped[at] = if flipped[at] == b'x' { b'y' } else { b'x' };
        let map = decoded(&flipped);
        assert!(map.contains_key(&key(1)) && map.contains_key(&key(3)));
        assert!(!map.contains_key(&key(2)));

        // A torn last line (no newline yet) is not read.
        let torn = &bytes[..bytes.len() - 1];
        let map = decoded(torn);
        assert_eq!(map.len(), 2);
        assert!(!map.contains_key(&key(3)));

        // A line cut short and glued to the next one (a crash, then another run's append):
        // both are lost, the rest is read.
        let mut glued = lines[0][..40].to_vec();
        glued.extend_from_slice(lines[1]);
        glued.extend_from_slice(lines[2]);
        let map = decoded(&glued);
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), vec![key(3)]);

        // Another program's file, or nothing at all.
        for foreign in [
            &b""[..],
            b"\n\n\n",
            b"hello world\n",
            b"{\"comments\":[]}\n",
            &[0xff, 0x00, b'\n', 0x80, b'\n'],
        ] {
            assert!(decoded(foreign).is_empty(), "{foreign:?}");
        }
        // A key in capitals, a missing separator, a wrong sum: ignored.
        let line = lines[0];
        let upper = [line[..64].to_ascii_uppercase(), line[64..].to_vec()].concat();
        assert!(decoded(&upper).is_empty());
        let mut no_space = line.to_vec();
        no_space[64] = b'-';
        assert!(decoded(&no_space).is_empty());
        let mut bad_sum = line.to_vec();
        bad_sum[70] = if bad_sum[70] == b'0' { b'1' } else { b'0' };
        assert!(decoded(&bad_sum).is_empty());
        // JSON that is not a list of findings, under a correct sum.
        let mut wrong_shape = Vec::new();
        push_hex(&key(9), &mut wrong_shape);
        wrong_shape.push(b' ');
        push_hex(&sum(&key(9), b"{\"a\":1}"), &mut wrong_shape);
        wrong_shape.extend_from_slice(b" {\"a\":1}\n");
        assert!(decoded(&wrong_shape).is_empty());
    }

    #[test]
    fn cached_findings_must_fit_the_script() {
        assert!(fits(&finding(0, 4, ""), "echo"));
        assert!(fits(&finding(4, 0, ""), "echo"));
        assert!(!fits(&finding(3, 2, ""), "echo"));
        assert!(!fits(&finding(usize::MAX, 2, ""), "echo"));
        // Inside a character.
        assert!(!fits(&finding(1, 1, ""), "é"));
    }

    #[test]
    fn oversized_log_is_started_afresh() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join(LOG);
        let file = File::create(&path).unwrap_or_else(|e| panic!("{e}"));
        // Sparse: no disk space used.
        file.set_len(LOG_LIMIT + 1)
            .unwrap_or_else(|e| panic!("{e}"));
        let store = Store::open(Some(path.clone()));
        assert!(store.state().known.is_empty());
        assert!(!path.exists());
    }

    #[test]
    fn a_script_is_claimed_by_one_batch() {
        let store = Store::open(None);
        let a = job("echo a");
        let b = job("echo b");
        let jobs = [&a, &b, &a];
        let keys = [key(1), key(2), key(1)];
        let (found, first) = store.claim(&jobs, &keys);
        assert_eq!(found, vec![None, None, None]);
        assert_eq!(first.mine, vec![0, 1]);
        let (_, second) = store.claim(&jobs, &keys);
        assert_eq!(second.mine, Vec::<usize>::new());
        assert_eq!(second.elsewhere, vec![0, 1]);
        store.record(&[(key(1), vec![finding(0, 4, "SC1: a")])]);
        store.release(first.mine.iter().map(|&i| &keys[i]));
        let mut found = vec![None; 3];
        store.fill(&jobs, &keys, &mut found);
        assert_eq!(found[0], Some(vec![finding(0, 4, "SC1: a")]));
        assert_eq!(found[1], None);
        assert_eq!(found[2], found[0]);
        // Released without a result (shellcheck failed): the next batch claims it again.
        let (_, third) = store.claim(&jobs, &keys);
        assert_eq!(third.mine, vec![1]);
    }

    fn job(text: &str) -> ScriptJob {
        ScriptJob {
            text: text.to_string(),
            shell: "bash",
            value: Sp::new(text.to_string(), Span::new(0, text.len())),
            exported: Default::default(),
        }
    }

    /// A stand-in for shellcheck that writes every file it checks to `checked` and reports
    /// one finding on the first three bytes of each script that contains `bad`.
    #[cfg(unix)]
    fn fake_shellcheck(dir: &Path) -> (PathBuf, PathBuf) {
        fake_shellcheck_with(dir, "")
    }

    /// [`fake_shellcheck`] with a line of shell run first for each file (`$f`).
    #[cfg(unix)]
    fn fake_shellcheck_with(dir: &Path, each: &str) -> (PathBuf, PathBuf) {
        use std::os::unix::fs::PermissionsExt;
        let program = dir.join("fake-shellcheck");
        let checked = dir.join("checked");
        let script = format!(
            r#"#!/bin/sh
[ "$1" = --version ] && {{ echo "version: 0.0-test"; exit 0; }}
printf '{{"comments":['
sep=
for f; do
  case $f in -*) continue;; esac
  {each}
  echo "$f" >> '{}'
  if grep -q bad "$f"; then
    printf '%s{{"file":"%s","line":1,"endLine":1,"column":19,"endColumn":22,"level":"warning","code":2086,"message":"Double quote."}}' "$sep" "$f"
    sep=,
  fi
done
printf ']}}'
exit 1
"#,
            checked.display()
        );
        std::fs::write(&program, script).unwrap_or_else(|e| panic!("{e}"));
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755))
            .unwrap_or_else(|e| panic!("{e}"));
        // Another test's child may hold the file open for a moment ("text file busy").
        for _ in 0..100 {
            if Command::new(&program).arg("--version").output().is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        (program, checked)
    }

    #[cfg(unix)]
    fn checked_count(checked: &Path) -> usize {
        let n = std::fs::read_to_string(checked).map_or(0, |t| t.lines().count());
        let _ = std::fs::remove_file(checked);
        n
    }

    #[cfg(unix)]
    #[test]
    fn cache_log_across_runs() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (program, checked) = fake_shellcheck(dir.path());
        let cache = dir.path().join("cache");
        let log = cache.join(LOG);
        let new = || ShellCheck::new(program.clone(), "0.0-test".into(), Some(cache.clone()));
        let jobs: Vec<ScriptJob> = ["echo ok", "bad $x", "echo ok", "ls bad", "true"]
            .into_iter()
            .map(job)
            .collect();
        let refs: Vec<&ScriptJob> = jobs.iter().collect();
        let expected = vec![
            vec![],
            vec![finding(0, 3, "SC2086: Double quote")],
            vec![],
            vec![finding(0, 3, "SC2086: Double quote")],
            vec![],
        ];
        let strip = |found: Vec<Vec<ShellFinding>>| {
            found
                .into_iter()
                .map(|f| {
                    f.into_iter()
                        .map(|f| ShellFinding {
                            help: String::new(),
                            ..f
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        };
        let expected = strip(expected);

        // Cold: each distinct script once.
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 4);
        // Warm, in a new run: none.
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 0);
        // The same run again: from memory.
        let sc = new();
        sc.check(&refs);
        sc.check(&refs);
        assert_eq!(checked_count(&checked), 0);

        // An entry missing from the log: that script only is checked again.
        let text = std::fs::read(&log).unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
        assert_eq!(lines.len(), 4);
        std::fs::write(&log, lines[1..].concat()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 1);

        // A damaged entry and a torn end: those are checked again.
        let mut text = std::fs::read(&log).unwrap_or_else(|e| panic!("{e}"));
        text[100] ^= 1;
        text.extend_from_slice(&lines[0][..30]);
        std::fs::write(&log, &text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 1);

        // Garbage in place of the log: everything is checked again, nothing breaks.
        std::fs::write(&log, b"\x00\xffnot a log\n{}\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 4);
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 0);

        // A log that cannot be opened (a folder in its place): results for this run only.
        std::fs::remove_file(&log).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir(&log).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(strip(new().check(&refs)), expected);
        assert_eq!(checked_count(&checked), 4);
    }

    #[cfg(unix)]
    #[test]
    fn shellcheck_that_cannot_read_dev_shm() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (program, checked) =
            fake_shellcheck_with(dir.path(), r#"case $f in /dev/shm/*) exit 2;; esac"#);
        let sc = ShellCheck::new(program, "0.0-test".into(), None);
        let jobs = [job("echo ok"), job("bad $x")];
        let found = sc.check(&[&jobs[0], &jobs[1]]);
        assert_eq!(found[0], vec![]);
        assert_eq!(found[1].len(), 1);
        assert_eq!(checked_count(&checked), 2);
    }

    #[cfg(unix)]
    #[test]
    fn runs_at_once_append_whole_lines() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (program, _) = fake_shellcheck(dir.path());
        let cache = dir.path().join("cache");
        let scripts: Vec<Vec<ScriptJob>> = (0..4)
            .map(|t| (0..40).map(|n| job(&format!("echo {t} {n} bad"))).collect())
            .collect();
        std::thread::scope(|scope| {
            for jobs in &scripts {
                let sc = ShellCheck::new(program.clone(), "0.0-test".into(), Some(cache.clone()));
                scope.spawn(move || {
                    for part in jobs.chunks(10) {
                        let refs: Vec<&ScriptJob> = part.iter().collect();
                        sc.check(&refs);
                    }
                });
            }
        });
        let text = std::fs::read(cache.join(LOG)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text.iter().filter(|&&b| b == b'\n').count(), 160);
        assert_eq!(decoded(&text).len(), 160);
    }

    #[test]
    fn placeholders_keep_length() {
        let s = "echo {{ inputs.db }} \"{{ vars.é }}\"";
        let p = placeholders(s);
        assert_eq!(p.len(), s.len());
        assert!(p.starts_with("echo ____"));
    }

    #[test]
    fn columns_with_tabs() {
        let text = "a\n\tb c\n";
        assert_eq!(byte_offset(text, 2, 9), 3);
        assert_eq!(byte_offset(text, 2, 11), 5);
        assert_eq!(byte_offset(text, 1, 1), 0);
    }
}
