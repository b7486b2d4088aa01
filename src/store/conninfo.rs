//! Where the team store is and how to reach it, in libpq's conventions: a URL
//! (`postgres://user@host:port/db?sslmode=verify-full`) or a keyword string
//! (`host=db port=5432 dbname=runbook`); what it leaves out from libpq's environment
//! (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSSLMODE`, `PGSSLROOTCERT`,
//! `PGCONNECT_TIMEOUT`, `PGAPPNAME`); the password from the string, `PGPASSWORD`, or the
//! password file (`PGPASSFILE`, default `~/.pgpass`, ignored unless private, as libpq does).
//!
//! `tokio-postgres` reads the string itself but knows only `disable`/`prefer`/`require` of
//! `sslmode`: the TLS keys are taken out here and handled by [`super::tls`].

use percent_encoding::percent_decode_str;
use postgres::config::{Host, SslMode as PgSslMode};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// libpq's `sslmode`, all six.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Allow => "allow",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// How the server's certificate is checked when TLS is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verify {
    /// `prefer`, `require` without a root certificate: encrypted, the server not
    /// authenticated (libpq's meaning).
    Nothing,
    /// `verify-ca` (and `require` with a root certificate file): the chain, not the name.
    Chain,
    /// `verify-full`: the chain and the host name.
    Full,
}

/// A store to connect to.
#[derive(Debug, Clone)]
pub struct Target {
    pub config: postgres::Config,
    pub sslmode: SslMode,
    pub verify: Verify,
    /// The root certificates (PEM) trusted for `verify-*`; the system's when `None`.
    pub root_cert: Option<PathBuf>,
    /// `user@host:port/db`, without the password: for messages.
    pub shown: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ConnInfoError {
    pub message: String,
    pub help: String,
}

fn error(message: impl Into<String>, help: impl Into<String>) -> ConnInfoError {
    ConnInfoError {
        message: message.into(),
        help: help.into(),
    }
}

/// The keys libpq reads that are handled here, not by `tokio-postgres`.
const OURS: &[&str] = &["sslmode", "sslrootcert", "passfile"];

/// The keys both understand, passed on as written.
const PASSED: &[&str] = &[
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
    "sslnegotiation",
];

/// Reads a connection string with the process's environment.
pub fn resolve(url: &str) -> Result<Target, ConnInfoError> {
    resolve_with(url, &|name| {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    })
}

/// Reads a connection string; `env` answers for the `PG*` variables (tests give their own).
pub fn resolve_with(
    url: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Target, ConnInfoError> {
    let url = url.trim();
    let (passed, ours) = split(url)?;
    let mut config: postgres::Config = passed.parse().map_err(|e| {
        error(
            format!("cannot read the store's connection string: {e}"),
            "write it as libpq does: `postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full` or `host=HOST dbname=DATABASE`",
        )
    })?;
    let get = |key: &str, var: &str| {
        ours.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .or_else(|| env(var))
    };
    // libpq's defaults, from the environment where the string says nothing.
    if config.get_hosts().is_empty() {
        match env("PGHOST") {
            Some(hosts) => {
                for h in hosts.split(',') {
                    add_host(&mut config, h);
                }
            }
            None => {
                let port = config
                    .get_ports()
                    .first()
                    .copied()
                    .or_else(|| env("PGPORT").and_then(|p| p.parse().ok()))
                    .unwrap_or(5432);
                match ["/var/run/postgresql", "/tmp"]
                    .into_iter()
                    .find(|d| Path::new(d).join(format!(".s.PGSQL.{port}")).exists())
                {
                    Some(dir) => config.host_path(dir),
                    None => config.host("localhost"),
                };
            }
        }
    }
    if config.get_ports().is_empty()
        && let Some(port) = env("PGPORT")
    {
        let port: u16 = port.parse().map_err(|_| {
            error(
                format!("PGPORT is `{port}`, not a port number"),
                "set PGPORT to a number such as 5432, or unset it",
            )
        })?;
        config.port(port);
    }
    if config.get_user().is_none() {
        let user = env("PGUSER").unwrap_or_else(crate::exec::journal::user);
        config.user(&user);
    }
    if config.get_dbname().is_none() {
        let db = env("PGDATABASE")
            .or_else(|| config.get_user().map(str::to_string))
            .unwrap_or_default();
        config.dbname(&db);
    }
    if config.get_connect_timeout().is_none() {
        let secs = env("PGCONNECT_TIMEOUT")
            .and_then(|t| t.parse::<u64>().ok())
            .filter(|t| *t > 0)
            .unwrap_or(5);
        config.connect_timeout(Duration::from_secs(secs.max(2)));
    }
    if config.get_application_name().is_none() {
        config.application_name(&env("PGAPPNAME").unwrap_or_else(|| "runbook".into()));
    }
    if config.get_password().is_none() {
        if let Some(p) = env("PGPASSWORD") {
            config.password(p);
        } else {
            let file = get("passfile", "PGPASSFILE")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pgpass")));
            if let Some(p) = file.and_then(|f| from_passfile(&f, &config)) {
                config.password(p);
            }
        }
    }
    let sslmode = match get("sslmode", "PGSSLMODE") {
        Some(m) => SslMode::parse(&m).ok_or_else(|| {
            error(
                format!("sslmode `{m}` is not one of libpq's"),
                "use disable, allow, prefer, require, verify-ca or verify-full",
            )
        })?,
        None => SslMode::Prefer,
    };
    let root_cert = get("sslrootcert", "PGSSLROOTCERT")
        .map(PathBuf::from)
        .or_else(|| {
            let default = Path::new(&std::env::var_os("HOME")?).join(".postgresql/root.crt");
            default.is_file().then_some(default)
        });
    let verify = match sslmode {
        SslMode::VerifyFull => Verify::Full,
        SslMode::VerifyCa => Verify::Chain,
        // libpq: `require` with a root certificate file verifies the chain.
        SslMode::Require if root_cert.is_some() => Verify::Chain,
        _ => Verify::Nothing,
    };
    if let Some(file) = &root_cert
        && verify != Verify::Nothing
        && file.as_os_str() != "system"
        && !file.is_file()
    {
        return Err(error(
            format!(
                "the root certificate file {} (sslrootcert) does not exist",
                file.display()
            ),
            "give the CA's certificate (PEM) with sslrootcert=FILE, or sslrootcert=system for the system's",
        ));
    }
    config.ssl_mode(match sslmode {
        SslMode::Disable => PgSslMode::Disable,
        SslMode::Allow | SslMode::Prefer => PgSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => PgSslMode::Require,
    });
    let shown = shown(&config);
    Ok(Target {
        config,
        sslmode,
        verify,
        root_cert: root_cert.filter(|f| f.as_os_str() != "system"),
        shown,
    })
}

fn add_host(config: &mut postgres::Config, host: &str) {
    if host.starts_with('/') {
        config.host_path(host);
    } else {
        config.host(host);
    }
}

/// `user@host:port/db`: how the store is named in messages (never the password).
pub fn shown(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

/// Takes the keys handled here out of a connection string: the string for
/// `tokio-postgres`, and the keys with their (decoded) values.
type Split = (String, Vec<(String, String)>);

fn split(url: &str) -> Result<Split, ConnInfoError> {
    let unknown = |key: &str| {
        let all: Vec<&str> = PASSED.iter().chain(OURS).copied().collect();
        let hint = crate::suggest::did_you_mean(key, all.iter().copied())
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        error(
            format!("the store's connection string has `{key}`, which runbook does not read"),
            format!("{hint}the keys read are: {}", all.join(", ")),
        )
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut kept = Vec::new();
        let mut ours = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if OURS.contains(&k) {
                let v = percent_decode_str(v).decode_utf8_lossy().into_owned();
                ours.push((k.to_string(), v));
            } else if PASSED.contains(&k) {
                kept.push(pair);
            } else {
                return Err(unknown(k));
            }
        }
        let passed = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return Ok((passed, ours));
    }
    if url.contains("://") {
        return Err(error(
            format!(
                "the store's URL starts with `{}`: runbook's store is PostgreSQL",
                url.split("://").next().unwrap_or("")
            ),
            "write it as `postgres://USER@HOST:PORT/DATABASE`",
        ));
    }
    // Keyword form: `key=value` pairs, a value in single quotes with `\'` and `\\`.
    let mut passed = Vec::new();
    let mut ours = Vec::new();
    let mut chars = url.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(error(
                format!("the store's connection string has `{key}` without `=` and a value"),
                "write `key=value` pairs separated by spaces, or a postgres:// URL",
            ));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(error(
                            format!("the value of `{key}` opens a quote it does not close"),
                            "close it with `'`",
                        ));
                    }
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                if c == '\\' {
                    chars.next();
                    value.extend(chars.next());
                    continue;
                }
                value.push(c);
                chars.next();
            }
        }
        if OURS.contains(&key.as_str()) {
            ours.push((key, value));
        } else if PASSED.contains(&key.as_str()) {
            let quoted = value.replace('\\', "\\\\").replace('\'', "\\'");
            passed.push(format!("{key}='{quoted}'"));
        } else {
            return Err(unknown(&key));
        }
    }
    Ok((passed.join(" "), ours))
}

/// The password for `config` from a libpq password file: lines
/// `hostname:port:database:username:password`, `*` matching anything, `\:` and `\\`
/// escaped; a socket's host matches `localhost`. Ignored, as libpq does, unless only its
/// owner can read it.
fn from_passfile(path: &Path, config: &postgres::Config) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    if meta.permissions().mode() & 0o077 != 0 {
        SKIPPED.store(true, std::sync::atomic::Ordering::Relaxed);
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        Some(Host::Unix(_)) | None => "localhost".into(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let want = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or(""),
        config.get_user().unwrap_or(""),
    ];
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = passfile_fields(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(want)
            .all(|(f, w)| f == "*" || f == w);
        if matches {
            return Some(fields[4..].join(":"));
        }
    }
    None
}

/// A password file was found and skipped because others can read it.
static SKIPPED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a password file was skipped for its permissions (for the error's help).
pub fn passfile_skipped() -> bool {
    SKIPPED.load(std::sync::atomic::Ordering::Relaxed)
}

fn passfile_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(last)) = (chars.next(), fields.last_mut()) {
                    last.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => {
                if let Some(last) = fields.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_url_with_libpq_tls_keys() {
        let t = resolve_with(
            "postgres://ops@db.example.com:6432/runs?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=x",
            &env_of(&[]),
        );
        // The root certificate does not exist here.
        let e = t.err().map(|e| e.message).unwrap_or_default();
        assert!(e.contains("/etc/ca.pem"), "{e}");
        let t = resolve_with(
            "postgres://ops@db.example.com:6432/runs?sslmode=verify-ca&sslrootcert=system",
            &env_of(&[]),
        )
        .map_err(|e| e.message)
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.sslmode, SslMode::VerifyCa);
        assert_eq!(t.verify, Verify::Chain);
        assert_eq!(t.shown, "ops@db.example.com:6432/runs");
    }

    #[test]
    fn the_environment_fills_what_the_string_leaves_out() {
        let t = resolve_with(
            "dbname=runs",
            &env_of(&[
                ("PGHOST", "10.0.0.5"),
                ("PGPORT", "5433"),
                ("PGUSER", "alice"),
                ("PGPASSWORD", "pw"),
                ("PGSSLMODE", "require"),
            ]),
        )
        .map_err(|e| e.message)
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.shown, "alice@10.0.0.5:5433/runs");
        assert_eq!(t.config.get_password(), Some(&b"pw"[..]));
        assert_eq!(t.sslmode, SslMode::Require);
        // The string wins over the environment.
        let t = resolve_with(
            "postgres://bob@h/db?sslmode=disable",
            &env_of(&[("PGUSER", "alice"), ("PGSSLMODE", "verify-full")]),
        )
        .map_err(|e| e.message)
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.shown, "bob@h:5432/db");
        assert_eq!(t.sslmode, SslMode::Disable);
    }

    #[test]
    fn bad_strings_say_what_is_wrong() {
        for (url, part) in [
            ("mysql://h/db", "PostgreSQL"),
            ("postgres://h/db?sslmod=require", "did you mean `sslmode`?"),
            ("postgres://h/db?sslmode=strict", "not one of libpq's"),
            ("host=h dbname", "without `=`"),
            ("host='h", "does not close"),
        ] {
            let e = resolve_with(url, &env_of(&[])).err();
            let text = e
                .map(|e| format!("{} {}", e.message, e.help))
                .unwrap_or_default();
            assert!(text.contains(part), "{url}: {text}");
        }
    }

    #[test]
    fn keyword_values_in_quotes() {
        let (passed, ours) = split(r"host=h  password='it\'s' sslmode = verify-full dbname='a b'")
            .map_err(|e| e.message)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(passed, r"host='h' password='it\'s' dbname='a b'");
        assert_eq!(
            ours,
            vec![("sslmode".to_string(), "verify-full".to_string())]
        );
    }

    #[test]
    fn the_password_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:*:no\ndb.example.com:*:runs:ops:s3cr\\:et:x\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut config: postgres::Config = "postgres://ops@db.example.com/runs"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        config.port(5432);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_passfile(&file, &config), None, "readable by others");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(from_passfile(&file, &config), Some("s3cr:et:x".into()));
    }
}
