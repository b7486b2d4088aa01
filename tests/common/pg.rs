//! A throwaway PostgreSQL server for the team store's tests: its own cluster in a temporary
//! folder, listening on 127.0.0.1 on a free port (and a socket in that folder), password
//! authentication over TCP, stopped and removed when dropped. As root, the server runs as
//! the `postgres` system user (initdb refuses root).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const PASSWORD: &str = "s3cret-test-password";

pub struct Pg {
    pub base: PathBuf,
    pub port: u16,
    bin: PathBuf,
    as_user: Option<String>,
    running: bool,
    tls: bool,
}

/// The folder of initdb and pg_ctl, if the server binaries are installed.
pub fn bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|v| v.path().join("bin"))
        .filter(|b| b.join("initdb").is_file() && b.join("pg_ctl").is_file())
        .collect();
    dirs.sort_by_key(|d| {
        d.parent()
            .and_then(|v| v.file_name())
            .and_then(|n| n.to_str())
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop()
}

/// Whether the tests must fail (not skip) without PostgreSQL: CI sets it.
pub fn required() -> bool {
    std::env::var("RUNBOOK_LAB_REQUIRED").is_ok_and(|v| v == "1")
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("its address").port()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl Pg {
    /// Starts a server, or `None` (with a note) when PostgreSQL is not installed and not
    /// required.
    pub fn start() -> Option<Pg> {
        Pg::start_with(None)
    }

    /// Starts a server with TLS on, its certificate signed by a throwaway CA and valid for
    /// `san` (an openssl subjectAltName: `IP:127.0.0.1`, `DNS:db.example.com`). The CA's
    /// certificate is `ca.pem` in the server's folder.
    pub fn start_tls(san: &str) -> Option<Pg> {
        Pg::start_with(Some(san))
    }

    fn start_with(tls: Option<&str>) -> Option<Pg> {
        let Some(bin) = bin() else {
            assert!(
                !required(),
                "PostgreSQL server binaries not found (Debian: apt-get install -y postgresql)"
            );
            eprintln!("note: PostgreSQL not installed: team store test skipped");
            return None;
        };
        let as_user = is_root().then(|| "postgres".to_string());
        let base = tempfile::Builder::new()
            .prefix("runbook-pg.")
            .tempdir_in("/tmp")
            .expect("a temporary folder")
            .keep();
        let mut pg = Pg {
            base: base.clone(),
            port: free_port(),
            bin,
            as_user,
            running: false,
            tls: false,
        };
        std::fs::write(base.join("pwfile"), format!("{PASSWORD}\n")).expect("write pwfile");
        if let Some(san) = tls {
            certificates(&base, san);
        }
        if let Some(user) = &pg.as_user {
            let ok = Command::new("chown")
                .args(["-R", user])
                .arg(&base)
                .status()
                .is_ok_and(|s| s.success());
            assert!(ok, "chown {} to {user}", base.display());
        }
        let init = pg.command("initdb", |c| {
            c.arg("--pgdata")
                .arg(base.join("data"))
                .args([
                    "--username=postgres",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    "--encoding=UTF8",
                    "--no-locale",
                    "--no-sync",
                ])
                .arg(format!("--pwfile={}", base.join("pwfile").display()));
        });
        assert!(init.0, "initdb failed:\n{}", init.1);
        pg.tls = tls.is_some();
        pg.resume();
        pg.psql("postgres", "CREATE DATABASE runbook");
        Some(pg)
    }

    fn command(&self, program: &str, args: impl FnOnce(&mut Command)) -> (bool, String) {
        let mut cmd = match &self.as_user {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(self.bin.join(program));
                c
            }
            None => Command::new(self.bin.join(program)),
        };
        args(&mut cmd);
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    /// Starts the server (again, after `kill`).
    pub fn resume(&mut self) {
        let base = self.base.clone();
        let port = self.port;
        let tls = if self.tls {
            format!(
                " -c ssl=on -c ssl_cert_file={0}/server.pem -c ssl_key_file={0}/server.key",
                base.display()
            )
        } else {
            String::new()
        };
        let out = self.command("pg_ctl", |c| {
            c.arg("--pgdata")
                .arg(base.join("data"))
                .arg("--log")
                .arg(base.join("postgres.log"))
                .args(["--wait", "--timeout=60", "-o"])
                .arg(format!(
                    "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=50{tls}",
                    base.display()
                ))
                .arg("start");
        });
        assert!(
            out.0,
            "pg_ctl start failed:\n{}\n{}",
            out.1,
            std::fs::read_to_string(self.base.join("postgres.log")).unwrap_or_default()
        );
        self.running = true;
    }

    /// Stops the server at once, as a crash would (connections cut).
    pub fn kill(&mut self) {
        let base = self.base.clone();
        let out = self.command("pg_ctl", |c| {
            c.arg("--pgdata")
                .arg(base.join("data"))
                .args(["--mode=immediate", "--wait", "stop"]);
        });
        assert!(out.0, "pg_ctl stop failed:\n{}", out.1);
        self.running = false;
    }

    /// The URL of the `runbook` database, without the password (it comes from PGPASSWORD).
    pub fn url(&self) -> String {
        format!(
            "postgres://postgres@127.0.0.1:{}/runbook?sslmode=disable",
            self.port
        )
    }

    /// Runs SQL as the superuser over the socket: its output, unaligned, tuples only.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let psql = self.bin.join("psql");
        let out = Command::new(&psql)
            .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.base)
            .arg("-p")
            .arg(self.port.to_string())
            .args(["-U", "postgres", "-d", db, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
        assert!(
            out.status.success(),
            "{sql}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn sql(&self, sql: &str) -> String {
        self.psql("runbook", sql)
    }

    pub fn count(&self, sql: &str) -> i64 {
        let out = self.sql(sql);
        out.parse()
            .unwrap_or_else(|_| panic!("not a count: {out:?} from {sql}"))
    }

    pub fn path(&self) -> &Path {
        &self.base
    }
}

/// A CA and a server certificate for `san`, made with openssl in `dir`.
fn certificates(dir: &Path, san: &str) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=runbook test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=runbook test server",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        dir.join("ext.cnf"),
        format!("subjectAltName={san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"),
    )
    .expect("write ext.cnf");
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-out",
        "server.pem",
        "-extfile",
        "ext.cnf",
    ]);
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod server.key");
}

impl Drop for Pg {
    fn drop(&mut self) {
        if self.running {
            let base = self.base.clone();
            let _ = self.command("pg_ctl", |c| {
                c.arg("--pgdata").arg(base.join("data")).args([
                    "--mode=immediate",
                    "--wait",
                    "stop",
                ]);
            });
        }
        let _ = std::fs::remove_dir_all(&self.base);
    }
}
