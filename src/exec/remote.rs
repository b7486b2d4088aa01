//! A step's command on another host, over OpenSSH: the `ssh` command line for one host, the
//! fixed wrapper the host's login shell runs, and what goes on ssh's standard input — the
//! script, after the step's environment and values written as quoted assignments.
//!
//! Why a wrapper, and not `bash -s` reading the script: when the connection ends (a timeout,
//! Ctrl-C, the operator's laptop losing the network), sshd closes the session, but a command
//! without a terminal is not told (no SIGHUP): `sleep 600` would go on. The wrapper reads the
//! script (its length first, then exactly that many bytes), starts it as a job of its own
//! (`set -m`: its own process group; the wrapper's own stderr goes to /dev/null, so that
//! bash's job notices do not reach the operator, the script's to the connection), and watches its standard input, which runbook keeps
//! open while the command runs: when that input ends before the script does, the wrapper ends
//! the script's whole group (TERM, KILL two seconds later). The wrapper holds no value and no
//! quote or backslash (it must read the same in bash, zsh, dash and fish, whichever is the
//! login shell); everything that varies travels on standard input.

use crate::exec::shell::Exit;
use crate::fleet::Target;
use crate::load::Shell as ShellKind;
use crate::shell::quote::single_quoted;
use std::path::{Path, PathBuf};

pub use crate::fleet::settings;

/// The inventory that `on:` names are looked up in, if any: `--inventory` (or
/// `RUNBOOK_INVENTORY`), else the runbook's `inventory:` (given here joined to its folder),
/// else `[fleet] inventory`. Its problems are told at `FILE:line:col`.
pub fn load_inventory(
    of_runbook: Option<PathBuf>,
) -> Result<Option<crate::fleet::Inventory>, String> {
    let settings = settings();
    let Some(path) = settings
        .inventory
        .or(of_runbook)
        .or(settings.default_inventory)
    else {
        return Ok(None);
    };
    let bytes = crate::fleet::read_file(&path).map_err(|e| {
        format!(
            "the inventory `{}` cannot be read: {e}; check the path (`inventory:` is relative to the runbook's folder)",
            path.display()
        )
    })?;
    crate::fleet::Inventory::from_bytes(&path, &bytes)
        .map(Some)
        .map_err(|errors| {
            let mut text = format!("the inventory `{}` has errors:", path.display());
            for e in errors.iter().take(5) {
                text.push_str(&format!(
                    "\n  {}:{}:{}: {}\n    help: {}",
                    path.display(),
                    e.line,
                    e.column,
                    e.message(),
                    e.help()
                ));
            }
            if errors.len() > 5 {
                text.push_str(&format!("\n  … and {} more", errors.len() - 5));
            }
            text
        })
}

/// How to reach hosts: the ssh config to use (`-F`), and the private folder of the
/// multiplexed connections.
#[derive(Debug, Clone, Default)]
pub struct Ssh {
    /// `--ssh-config`, `RUNBOOK_SSH_CONFIG` or `[fleet] ssh_config`: passed as `ssh -F`.
    pub config: Option<PathBuf>,
    /// Where the control sockets live (one per host); `None`: no multiplexing.
    pub control_dir: Option<PathBuf>,
}

impl Ssh {
    /// The ssh config the command was given, without multiplexing.
    pub fn configured() -> Ssh {
        Ssh {
            config: settings().ssh_config,
            control_dir: None,
        }
    }
}

/// What the host's login shell runs (see the module's documentation). `$@` is the step's
/// shell, which reads the script from `/dev/fd/4` (a here-string: a pipe or a private
/// temporary file, never a command line). Leftovers of the script's process group are ended
/// when it exits (TERM, KILL once they are gone or a second later), as here.
const WRAPPER: &str = "set -m
IFS= read -r n || exit 254
case $n in (*[!0-9]*|\"\") exit 254;; esac
s=$(head -c \"$n\"; echo .)
s=${s%.}
exec 3>&2 2>/dev/null
\"$@\" /dev/fd/4 </dev/null 4<<<\"$s\" 2>&3 3>&- &
p=$!
unset s
{ cat >/dev/null; kill -TERM -- -$p; sleep 2; kill -KILL -- -$p; } >/dev/null 2>&1 &
w=$!
set +m
wait $p
r=$?
kill -TERM -- -$p && { for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.1; kill -0 -- -$p || break; done; kill -KILL -- -$p; }
kill -- -$w
exit $r";

/// The exit status the wrapper gives when the script did not arrive whole.
pub const TORN_INPUT: i32 = 254;

/// The words of the step's shell on the host, before the script's file: the same as here,
/// but reading the script from a file (the wrapper's `/dev/fd/4`) rather than `-c`, so that
/// neither the script nor the values before it are in any process's command line (which
/// every user of the host can read).
pub fn remote_shell(shell: &ShellKind) -> Result<Vec<String>, String> {
    match shell {
        ShellKind::Bash => Ok(["bash", "--noprofile", "--norc", "-eo", "pipefail"]
            .map(String::from)
            .to_vec()),
        ShellKind::Sh => Ok(["sh", "-e"].map(String::from).to_vec()),
        ShellKind::Command(parts) if shell.is_posix() => {
            // `[bash, -eu, -c]` → `bash -eu FILE`; `[sh, -ec]` → `sh -e FILE`.
            let mut words = parts.clone();
            match words.pop().as_deref() {
                Some("-c") | None => {}
                Some(cluster) => words.push(cluster.trim_end_matches('c').to_string()),
            }
            Ok(words)
        }
        ShellKind::Command(parts) => Err(format!(
            "a step on other hosts runs a POSIX shell script, and this step's shell is `{}`",
            parts.join(" ")
        )),
    }
}

/// `ssh`, the config, runbook's options, the port and the user of `target`: what every
/// command line to it starts with.
fn ssh_to(ssh: &Ssh, target: &Target) -> Vec<String> {
    let mut argv: Vec<String> = vec!["ssh".into()];
    if let Some(config) = &ssh.config {
        argv.push("-F".into());
        argv.push(config.display().to_string());
    }
    argv.extend(common_options(ssh, target));
    if let Some(port) = target.port {
        argv.push("-p".into());
        argv.push(port.to_string());
    }
    if let Some(user) = &target.user {
        argv.push("-l".into());
        argv.push(user.clone());
    }
    argv
}

/// The `ssh` command line that runs a step's script on `target`.
pub fn argv(ssh: &Ssh, target: &Target, shell_words: &[String]) -> Vec<String> {
    let mut argv = ssh_to(ssh, target);
    // The inventory's names were checked (no leading `-`, no spaces); `--` all the same.
    argv.push("--".into());
    argv.push(target.destination().to_string());
    // The login shell parses this text: the wrapper is single-quoted, and the step's shell
    // words too (they come from the runbook, never from a value).
    let mut remote = String::from("exec bash --noprofile --norc -c ");
    remote.push_str(&single_quoted(WRAPPER));
    remote.push_str(" runbook-remote");
    for word in shell_words {
        remote.push(' ');
        remote.push_str(&single_quoted(word));
    }
    argv.push(remote);
    argv
}

/// The options runbook sets whatever the user's ssh config says: never a prompt (there is
/// no terminal per host), never a host key accepted silently, a bounded wait for a host that
/// is down, and one connection per host reused by the run's later commands.
fn common_options(ssh: &Ssh, target: &Target) -> Vec<String> {
    let mut options = vec![
        "-T".to_string(),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        "StrictHostKeyChecking=yes".into(),
        "-o".into(),
        "ConnectTimeout=20".into(),
        "-o".into(),
        "ServerAliveInterval=15".into(),
        "-o".into(),
        "ServerAliveCountMax=4".into(),
    ];
    if let Some(dir) = &ssh.control_dir {
        options.extend([
            "-o".into(),
            "ControlMaster=auto".into(),
            "-o".into(),
            format!("ControlPath={}/{}", dir.display(), socket_name(target)),
            "-o".into(),
            "ControlPersist=120".into(),
        ]);
    }
    options
}

/// The control socket of a host: one per name the runbook gives (two names of one machine,
/// or a hundred aliases of it, each get their own, so that none waits for another's), short
/// enough for a socket's path.
fn socket_name(target: &Target) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(
        format!(
            "{}\0{}\0{}\0{}",
            target.name,
            target.destination(),
            target.port.unwrap_or(0),
            target.user.as_deref().unwrap_or("")
        )
        .as_bytes(),
    );
    digest[..10].iter().map(|b| format!("{b:02x}")).collect()
}

/// The command that ends the multiplexed connection to `target` (at the end of the run).
pub fn exit_master(ssh: &Ssh, target: &Target) -> Option<Vec<String>> {
    ssh.control_dir.as_ref()?;
    let mut argv = ssh_to(ssh, target);
    argv.extend(["-O".into(), "exit".into(), "--".into()]);
    argv.push(target.destination().to_string());
    Some(argv)
}

/// The multiplexed connections of a step, ended when it is dropped, however the step ends
/// (an error, an answer missing, a panic), and when a signal ends the run
/// (`signals::at_end`). Only SIGKILL leaves them, for `ControlPersist` (120 s) at most.
pub struct Masters {
    key: u64,
}

type Open = Vec<(u64, Ssh, Vec<Target>)>;

fn open_masters() -> &'static std::sync::Mutex<Open> {
    static OPEN: std::sync::OnceLock<std::sync::Mutex<Open>> = std::sync::OnceLock::new();
    OPEN.get_or_init(Default::default)
}

impl Masters {
    pub fn new(ssh: &Ssh, hosts: &[Target]) -> Masters {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        static REGISTERED: std::sync::Once = std::sync::Once::new();
        REGISTERED.call_once(|| super::signals::at_end(close_every_master));
        let key = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if ssh.control_dir.is_some() {
            open_masters()
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((key, ssh.clone(), hosts.to_vec()));
        }
        Masters { key }
    }
}

impl Drop for Masters {
    fn drop(&mut self) {
        let mine: Open = {
            let mut open = open_masters()
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (mine, rest) = std::mem::take(&mut *open)
                .into_iter()
                .partition(|(k, _, _)| *k == self.key);
            *open = rest;
            mine
        };
        for (_, ssh, hosts) in mine {
            close_masters(&ssh, &hosts);
        }
    }
}

/// Ends every multiplexed connection still open: the run is ending on a signal.
fn close_every_master() {
    let open = std::mem::take(
        &mut *open_masters()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for (_, ssh, hosts) in open {
        close_masters(&ssh, &hosts);
    }
}

/// Ends the multiplexed connections to these hosts (nothing of the run is left behind), all
/// at once: one at a time, a hundred hosts would take seconds. Nothing without a control
/// folder.
fn close_masters(ssh: &Ssh, hosts: &[Target]) {
    let exits: Vec<std::process::Child> = hosts
        .iter()
        .filter_map(|host| exit_master(ssh, host))
        .filter_map(|argv| {
            std::process::Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .ok()
        })
        .collect();
    for mut child in exits {
        let _ = child.wait();
    }
}

/// What ssh reads on its standard input: the length of the body, a new line, and the body —
/// `export NAME='value'` for each variable, `cd -- 'DIR'` for a step's `dir` (a folder on the
/// host: a relative one is in the login's home), then the script.
pub fn payload(
    env: &[(String, String)],
    dir: Option<&str>,
    script: &str,
) -> Result<Vec<u8>, String> {
    let mut body = String::new();
    for (name, value) in env {
        if !crate::values::is_identifier(name) {
            return Err(format!(
                "`{name}` cannot be a variable on the host: a name is letters, digits and `_`"
            ));
        }
        if value.contains('\0') {
            return Err(format!(
                "the value of `{name}` holds a NUL byte, which no shell variable can hold"
            ));
        }
        body.push_str("export ");
        body.push_str(name);
        body.push('=');
        body.push_str(&single_quoted(value));
        body.push('\n');
    }
    if let Some(dir) = dir {
        if dir.contains('\0') {
            return Err("the step's `dir` holds a NUL byte, which no folder name can".into());
        }
        // A folder that is not there fails the command, with the shell's own message.
        body.push_str("cd -- ");
        body.push_str(&single_quoted(dir));
        body.push_str(" || exit 1\n");
    }
    body.push_str(script);
    let mut out = format!("{}\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    Ok(out)
}

/// What went wrong with ssh itself (exit 255), from what it said last: said for the
/// operator, with what to check. `None` when the exit is the command's own.
pub fn ssh_problem(exit: &Exit, stderr_tail: &str, host: &str) -> Option<String> {
    match exit {
        Exit::Code(255) => {}
        Exit::Code(TORN_INPUT) => {
            return Some(format!(
                "the script did not reach {host} whole (the connection ended while sending it)"
            ));
        }
        _ => return None,
    }
    let said = stderr_tail
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let lower = stderr_tail.to_lowercase();
    let what = if lower.contains("host key verification failed")
        || lower.contains("no ed25519 host key is known")
        || lower.contains("host key for")
    {
        format!(
            "the host key of {host} is not known (or changed): check its fingerprint, then add it to known_hosts (`ssh-keyscan`, or connect once by hand); runbook never accepts a host key by itself"
        )
    } else if lower.contains("permission denied") {
        format!(
            "{host} refused the login: check the user and that your key is loaded (`ssh-add -l`); runbook cannot ask for a password"
        )
    } else if lower.contains("connection refused")
        || lower.contains("timed out")
        || lower.contains("no route to host")
        || lower.contains("could not resolve")
        || lower.contains("name or service not known")
        || lower.contains("network is unreachable")
        || lower.contains("connection closed")
        || lower.contains("connection reset")
    {
        format!("cannot reach {host}: is it up, and is its name right?")
    } else {
        return Some(format!(
            "ssh to {host} failed (exit 255){}",
            if said.is_empty() {
                String::new()
            } else {
                format!(": {said}")
            }
        ));
    };
    Some(if said.is_empty() {
        what
    } else {
        format!("{what} (ssh said: {said})")
    })
}

/// A private folder for the run's control sockets, short enough for a socket's path (108
/// bytes on Linux): in `$XDG_RUNTIME_DIR` when it is set, else the temporary folder.
pub fn control_dir() -> std::io::Result<tempfile::TempDir> {
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_dir() && p.as_os_str().len() < 40)
        .unwrap_or_else(|| PathBuf::from("/tmp"));
    let dir = tempfile::Builder::new()
        .prefix("rb-ssh-")
        .tempdir_in(base)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
    Ok(dir)
}

/// Whether `path` can be given to `ssh -F`: a readable file.
pub fn check_config(path: &Path) -> Result<(), String> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(()),
        Ok(_) => Err(format!("the ssh config `{}` is not a file", path.display())),
        Err(e) => Err(format!(
            "the ssh config `{}` cannot be read: {e}",
            path.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(name: &str) -> Target {
        Target {
            name: name.into(),
            address: Some("10.0.0.5".into()),
            port: Some(2222),
            user: Some("deploy".into()),
        }
    }

    #[test]
    fn the_command_line_holds_no_value_and_forces_safe_options() {
        let ssh = Ssh {
            config: Some("/etc/rb/ssh_config".into()),
            control_dir: Some("/tmp/rb-ssh-x".into()),
        };
        let words = remote_shell(&ShellKind::Bash).unwrap();
        let argv = argv(&ssh, &target("web-1"), &words);
        assert_eq!(&argv[..3], ["ssh", "-F", "/etc/rb/ssh_config"]);
        for option in ["BatchMode=yes", "StrictHostKeyChecking=yes"] {
            assert!(argv.iter().any(|a| a == option), "{option}: {argv:?}");
        }
        let path = argv.iter().find(|a| a.starts_with("ControlPath=")).unwrap();
        assert!(path.starts_with("ControlPath=/tmp/rb-ssh-x/") && path.len() < 60);
        let other = super::argv(&ssh, &target("web-2"), &words);
        assert!(!other.contains(path), "one socket per host name");
        let at = argv.iter().position(|a| a == "--").unwrap();
        assert_eq!(argv[at + 1], "10.0.0.5");
        assert_eq!(argv.len(), at + 3);
        assert!(argv[at + 2].starts_with("exec bash --noprofile --norc -c 'set -m"));
        assert!(argv[at + 2].ends_with("'bash' '--noprofile' '--norc' '-eo' 'pipefail'"));
        // Nothing a login shell of any kind would read twice.
        assert!(!WRAPPER.contains(['\'', '\\']));
    }

    #[test]
    fn values_travel_quoted_on_standard_input() {
        let env = vec![
            ("RB_V1".to_string(), "a'b $(touch x)\nc".to_string()),
            ("RUNBOOK_HOST".to_string(), "web-1".to_string()),
        ];
        let bytes = payload(&env, None, "echo \"$RB_V1\"\n").unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let (len, body) = text.split_once('\n').unwrap();
        assert_eq!(len.parse::<usize>().unwrap(), body.len());
        assert_eq!(
            body,
            "export RB_V1='a'\\''b $(touch x)\nc'\nexport RUNBOOK_HOST='web-1'\necho \"$RB_V1\"\n"
        );
        assert!(payload(&[("A B".into(), "x".into())], None, "").is_err());
        assert!(payload(&[("A".into(), "x\0y".into())], None, "").is_err());
        // A step's `dir`, quoted as a value, after the variables (it may name one).
        let bytes = payload(&env[1..], Some("/srv/it's $(x)"), "pwd\n").unwrap();
        assert!(
            String::from_utf8(bytes).unwrap().ends_with(
                "export RUNBOOK_HOST='web-1'\ncd -- '/srv/it'\\''s $(x)' || exit 1\npwd\n"
            )
        );
        assert!(payload(&[], Some("a\0b"), "").is_err());
    }

    #[test]
    fn ssh_failures_are_told_with_what_to_check() {
        let said = |tail: &str| ssh_problem(&Exit::Code(255), tail, "web-3").unwrap();
        assert!(said("Host key verification failed.\n").contains("not known"));
        assert!(
            said("ssh: connect to host 127.0.0.1 port 1: Connection refused\n")
                .contains("cannot reach web-3")
        );
        assert!(said("deploy@web-3: Permission denied (publickey).\n").contains("refused"));
        assert!(said("something else\n").contains("something else"));
        assert_eq!(ssh_problem(&Exit::Code(1), "", "web-3"), None);
        assert!(remote_shell(&ShellKind::Command(vec!["python3".into(), "-c".into()])).is_err());
        let words = |parts: &[&str]| {
            remote_shell(&ShellKind::Command(
                parts.iter().map(|p| p.to_string()).collect(),
            ))
            .unwrap()
        };
        assert_eq!(words(&["bash", "-eu", "-c"]), ["bash", "-eu"]);
        assert_eq!(words(&["sh", "-ec"]), ["sh", "-e"]);
    }
}
