//! A throwaway OpenSSH server on 127.0.0.1 for tests: its own host key, a client key, a
//! `known_hosts` that trusts exactly that host key, and an ssh config naming the server
//! `rbtest`. Stopped when dropped.
//!
//! Skipped (with a note) when `sshd` or `ssh` is missing, unless `RUNBOOK_SSHD_REQUIRED=1`
//! (as in CI), which turns the skip into a failure.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sshd {
    child: Child,
    pub dir: tempfile::TempDir,
    pub port: u16,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn find(program: &str, extra: &[&str]) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&paths)
        .chain(extra.iter().map(PathBuf::from))
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("run a set-up command");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Sshd {
    /// Starts a server, or returns `None` (after saying why) when OpenSSH is not installed
    /// and not required.
    pub fn start() -> Option<Sshd> {
        let (Some(sshd), Some(_)) = (
            find("sshd", &["/usr/sbin", "/usr/local/sbin"]),
            find("ssh", &[]),
        ) else {
            assert!(
                std::env::var("RUNBOOK_SSHD_REQUIRED").as_deref() != Ok("1"),
                "RUNBOOK_SSHD_REQUIRED=1 but sshd or ssh is missing (apt-get install openssh-server openssh-client)"
            );
            eprintln!("note: skipped: sshd or ssh is not installed");
            return None;
        };
        // sshd refuses to start as root without its privilege separation folder.
        let _ = std::fs::create_dir_all("/run/sshd");
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        for key in ["host", "client"] {
            run(Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", key, "-f"])
                .arg(d.join(key)));
        }
        let client_pub = std::fs::read_to_string(d.join("client.pub")).expect("client key");
        std::fs::write(d.join("authorized_keys"), client_pub).expect("authorized_keys");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let host_pub = std::fs::read_to_string(d.join("host.pub")).expect("host key");
        let mut host_key = host_pub.split_whitespace();
        let (kind, key) = (host_key.next().unwrap_or(""), host_key.next().unwrap_or(""));
        std::fs::write(
            d.join("known_hosts"),
            format!("[127.0.0.1]:{port} {kind} {key}\n"),
        )
        .expect("known_hosts");
        let user =
            String::from_utf8_lossy(&Command::new("id").arg("-un").output().expect("id").stdout)
                .trim()
                .to_string();
        std::fs::write(
            d.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {host}\nAuthorizedKeysFile {auth}\n\
                 PidFile {pid}\nStrictModes no\nUsePAM no\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nAllowUsers {user}\n\
                 PermitRootLogin prohibit-password\nLogLevel ERROR\nMaxStartups 100\n",
                host = d.join("host").display(),
                auth = d.join("authorized_keys").display(),
                pid = d.join("sshd.pid").display(),
            ),
        )
        .expect("sshd_config");
        std::fs::write(
            d.join("ssh_config"),
            format!(
                "Host rbtest\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  IdentityFile {id}\n  \
                 IdentitiesOnly yes\n  UserKnownHostsFile {known}\n  GlobalKnownHostsFile /dev/null\n  \
                 StrictHostKeyChecking yes\n  BatchMode yes\n  ConnectTimeout 10\n  LogLevel ERROR\n",
                id = d.join("client").display(),
                known = d.join("known_hosts").display(),
            ),
        )
        .expect("ssh_config");
        let child = Command::new(sshd)
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("sshd.log")).expect("log"))
            .spawn()
            .expect("start sshd");
        let server = Sshd { child, dir, port };
        // Ready when a command runs through it.
        let start = Instant::now();
        loop {
            let ok = Command::new("ssh")
                .arg("-F")
                .arg(server.config())
                .args(["rbtest", "true"])
                .stdin(Stdio::null())
                .output()
                .is_ok_and(|o| o.status.success());
            if ok {
                return Some(server);
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "sshd did not start: {}",
                std::fs::read_to_string(server.dir.path().join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The ssh config that names this server `rbtest`.
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("ssh_config")
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Several servers and one ssh config naming them `web-1` … `web-N`, plus `down-1` (a port
/// nothing listens on) and `stranger-1` (the first server, with a `known_hosts` that does not
/// know its key). Stopped when dropped.
pub struct Fleet {
    pub servers: Vec<Sshd>,
    pub dir: tempfile::TempDir,
}

impl Fleet {
    pub fn start(n: usize) -> Option<Fleet> {
        let mut servers = Vec::new();
        for _ in 0..n {
            servers.push(Sshd::start()?);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let user =
            String::from_utf8_lossy(&Command::new("id").arg("-un").output().expect("id").stdout)
                .trim()
                .to_string();
        let entry = |alias: &str, port: u16, server: &Sshd, known: &Path| {
            format!(
                "Host {alias}\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  IdentityFile {id}\n  \
                 IdentitiesOnly yes\n  UserKnownHostsFile {known}\n  GlobalKnownHostsFile /dev/null\n  \
                 LogLevel ERROR\n",
                id = server.path().join("client").display(),
                known = known.display(),
            )
        };
        let mut config = String::new();
        for (i, s) in servers.iter().enumerate() {
            config.push_str(&entry(
                &format!("web-{}", i + 1),
                s.port,
                s,
                &s.path().join("known_hosts"),
            ));
        }
        let closed = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let empty = dir.path().join("empty_known_hosts");
        std::fs::write(&empty, "").expect("known_hosts");
        config.push_str(&entry(
            "down-1",
            closed,
            &servers[0],
            &servers[0].path().join("known_hosts"),
        ));
        config.push_str(&entry("stranger-1", servers[0].port, &servers[0], &empty));
        std::fs::write(dir.path().join("ssh_config"), config).expect("ssh_config");
        Some(Fleet { servers, dir })
    }

    /// The ssh config that names the hosts.
    pub fn config(&self) -> PathBuf {
        self.dir.path().join("ssh_config")
    }
}
