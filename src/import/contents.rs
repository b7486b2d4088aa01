//! A file's contents the page shows (audit 14m M22 found `/etc/hosts` lines, postgresql.conf
//! settings and an ssh config run as commands): a block after a sentence that says to put it
//! in a file ("Add this line to /etc/hosts:", "Put this in ~/.ssh/config:"), or whose every
//! line reads as a config file's (`key = value`, `[section]`, `Host x`, an address and its
//! names). Such a block is shown where it is to be written, never run.

use std::sync::LazyLock;

/// "Add this line to /etc/hosts:", "Add the following to postgresql.conf:", "Put this in
/// ~/.ssh/config:", "Append to `/etc/fstab`:", "Set in postgresql.conf:": (the file).
static PUT_IN: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^(?:(?:then|now|next|first|also|and)[, ]+)?(?:add|append|put|insert|paste|write|place|set|include|copy|save)\s+(?:(?:this|these|the following|following|the|a|an|its)\s+)?(?:(?:new\s+)?(?:lines?|entry|entries|block|snippet|settings?|stanza|section|contents?|config|configuration|text|parameters?|options?|values?)\s+)?(?:to|in|into|inside|at the (?:end|top|bottom) of)\s+(.+?)\s*:$",
    )
    .ok()
});

/// "Edit /etc/hosts and add:", "Open `pgbouncer.ini` and set:", "Make sure ~/.pgpass
/// contains:": (the file).
static EDIT_AND: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^(?:(?:then|now|next|first|also)[, ]+)?(?:(?:edit|open|change|update|modify)\s+(.+?)\s+and\s+(?:add|append|set|change|put|insert|make sure it (?:contains|has)|ensure it (?:contains|has))(?:\s+(?:the following|this|these|the lines?|this line|these lines)(?:\s+(?:to it|at the end))?)?|(?:make sure|ensure|check that)\s+(.+?)\s+(?:contains|has|reads))\s*:$",
    )
    .ok()
});

/// "Create a file /etc/nginx/conf.d/api.conf with:", "Create `Dockerfile` with the
/// following content:", "Create a file named `.env` containing:": (the file).
static CREATE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^(?:(?:then|now|next|first|also|and)[, ]+)?create\s+(?:(?:a|an|the)\s+)?(?:new\s+)?(?:file\s+(?:(?:named|called|at)\s+)?)?(.+?)\s+(?:with|containing|that contains)(?:\s+(?:the following|this|these|the|its))?(?:\s+(?:lines?|contents?|text))?\s*:$",
    )
    .ok()
});

/// Files named without an extension that a page says to write into ("Add this to the
/// Dockerfile:").
const FILE_NAMES: &[&str] = &[
    "dockerfile",
    "containerfile",
    "makefile",
    "jenkinsfile",
    "vagrantfile",
    "procfile",
    "gemfile",
    "caddyfile",
    "justfile",
    "brewfile",
];

/// The extensions of the files a page says to write lines into (not `example.com`).
const CONFIG_EXTENSIONS: &[&str] = &[
    "conf",
    "cfg",
    "cnf",
    "ini",
    "yaml",
    "yml",
    "json",
    "toml",
    "env",
    "properties",
    "xml",
    "txt",
    "service",
    "rules",
    "list",
    "repo",
    "hcl",
    "tf",
    "tfvars",
    "rc",
    "local",
];

/// Whether what a sentence names reads as a file: a path (`/etc/hosts`, `~/.ssh/config`), a
/// name with an extension (`postgresql.conf`, `values.yaml`), or the words for one.
fn file_like(target: &str) -> Option<String> {
    let t = target.trim().trim_matches(['`', '"', '\'', '*']).trim();
    let lower = t.to_ascii_lowercase();
    // (The file's own word: "the node's /etc/hosts file", "the crontab".)
    let word = lower
        .split_whitespace()
        .find(|w| {
            // (A leading dot is the name's own: `.env`.)
            let w = w
                .trim_matches(['`', '"', '\'', '*', ','])
                .trim_end_matches('.');
            FILE_NAMES.contains(&w)
                || w.contains('/')
                || (w.starts_with('.') && w.len() > 1)
                || w.rsplit_once('.')
                    .is_some_and(|(stem, ext)| !stem.is_empty() && CONFIG_EXTENSIONS.contains(&ext))
        })
        .map(|w| {
            w.trim_matches(['`', '"', '\'', '*', ','])
                .trim_end_matches('.')
                .to_string()
        });
    match word {
        Some(w) => Some(
            t.split_whitespace()
                .find(|x| x.to_ascii_lowercase().contains(&w))
                .unwrap_or(t)
                .trim_matches(['`', '"', '\'', '*', ','])
                .to_string(),
        ),
        None => [" file", "config", "configuration", "crontab", "hosts"]
            .iter()
            .any(|w| lower.contains(w) || lower.starts_with(w.trim()))
            .then(|| t.to_string()),
    }
}

/// The file a sentence before a block says to write the block into, if it does.
pub(super) fn file_named_before(before: &str) -> Option<String> {
    // (Its last sentence: after the last line break or ". ", never a file name's dot.)
    let line = before.trim_end().rsplit('\n').next()?;
    let last = line
        .rsplit_once(". ")
        .map_or(line, |(_, l)| l)
        .replace('`', "");
    let last = last.trim().trim_start_matches("- ").trim();
    if !last.ends_with(':') {
        return None;
    }
    if let Some(c) = PUT_IN.as_ref().and_then(|re| re.captures(last)) {
        return file_like(c.get(1)?.as_str());
    }
    if let Some(c) = CREATE.as_ref().and_then(|re| re.captures(last)) {
        return file_like(c.get(1)?.as_str());
    }
    let c = EDIT_AND.as_ref()?.captures(last)?;
    file_like(c.get(1).or_else(|| c.get(2))?.as_str())
}

/// Whether a block is a command that writes a file (`echo … | sudo tee -a /etc/hosts`,
/// `cat <<EOF >> …`, `sed -i`): run, whatever the sentence before it.
fn writes_a_file(code: &str) -> bool {
    const PROGRAMS: &[&str] = &[
        "echo",
        "printf",
        "cat",
        "tee",
        "sudo",
        "sed",
        "vi",
        "vim",
        "nano",
        "cp",
        "mv",
        "install",
        "kubectl",
        "ed",
        "crontab",
        "ansible",
        "ssh",
        "scp",
        "psql",
        "mysql",
        "docker",
        "systemctl",
        "helm",
        "git",
        "curl",
        "awk",
        "perl",
        "python3",
        "python",
        "chmod",
        "chown",
        "mkdir",
        "touch",
        "ln",
        "rsync",
        "export",
        "cd",
    ];
    code.lines().any(|l| {
        let l = l.trim();
        let first = l.split_whitespace().next().unwrap_or("");
        PROGRAMS.contains(&first)
            || l.contains(">>")
            || l.contains("| tee")
            || l.contains("<<")
            || l.contains(" > ")
    })
}

/// Whether every line of a block reads as a config file's (and not as a command): `key =
/// value` (spaces around `=`, which a shell would run as a program), `[section]` with
/// `key=value`, ssh's `Host x` with its `Key value` lines, an address and its names.
fn config_lines(code: &str) -> bool {
    static KEY_VALUE: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(r"^[A-Za-z_][\w.-]*\s+=\s*\S|^[A-Za-z_][\w.-]*\s*=\s+\S").ok()
    });
    static INI_KEY: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"^[A-Za-z_*][\w.*-]*\s*=").ok());
    static SECTION: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"^\[[A-Za-z_][\w .:-]*\]$").ok());
    static HOST: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"^(?:Host|Match)\s+\S").ok());
    static SSH_KEY: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"^\s+[A-Z][A-Za-z]+\s+\S").ok());
    static ADDRESS: LazyLock<Option<regex::Regex>> = LazyLock::new(|| {
        regex::Regex::new(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*::[0-9a-fA-F:]*)\s+[A-Za-z][\w.-]*(?:\s+[A-Za-z][\w.-]*)*\s*(?:#.*)?$").ok()
    });
    let (Some(kv), Some(ini), Some(section), Some(host), Some(ssh), Some(address)) = (
        KEY_VALUE.as_ref(),
        INI_KEY.as_ref(),
        SECTION.as_ref(),
        HOST.as_ref(),
        SSH_KEY.as_ref(),
        ADDRESS.as_ref(),
    ) else {
        return false;
    };
    let lines: Vec<&str> = code
        .lines()
        .filter(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with(';')
        })
        .collect();
    if lines.is_empty() {
        return false;
    }
    let all = |f: &dyn Fn(&str) -> bool| lines.iter().all(|l| f(l));
    // (`[databases]` then `app = host=…`: an INI file's sections and keys.)
    let ini_file = lines.iter().any(|l| section.is_match(l.trim()))
        && all(&|l| section.is_match(l.trim()) || ini.is_match(l.trim()));
    let ssh_config = host.is_match(lines[0]) && all(&|l| host.is_match(l) || ssh.is_match(l));
    ini_file
        || ssh_config
        || all(&|l| kv.is_match(l.trim()))
        || all(&|l| address.is_match(l.trim()))
}

/// Whether a block reads as a Dockerfile (`FROM` first, then instructions and their
/// continued lines): no shell runs `FROM`, and its `RUN` lines are the image build's.
fn dockerfile_lines(code: &str) -> bool {
    const INSTRUCTIONS: &[&str] = &[
        "FROM",
        "RUN",
        "COPY",
        "ADD",
        "ENV",
        "ARG",
        "WORKDIR",
        "USER",
        "EXPOSE",
        "CMD",
        "ENTRYPOINT",
        "LABEL",
        "VOLUME",
        "HEALTHCHECK",
        "SHELL",
        "STOPSIGNAL",
        "ONBUILD",
    ];
    let mut continued = false;
    let mut first = None;
    for line in code.lines() {
        let t = line.trim();
        if t.is_empty() || (t.starts_with('#') && !continued) {
            continue;
        }
        let word = t.split_whitespace().next().unwrap_or("");
        if !continued && !INSTRUCTIONS.contains(&word) {
            return false;
        }
        if !continued {
            first.get_or_insert(word);
        }
        continued = t.ends_with('\\');
    }
    matches!(first, Some("FROM" | "ARG"))
        && code.lines().any(|l| l.trim_start().starts_with("FROM "))
}

/// Where a block is a file's contents, what to say of it (the `place` of a block left as
/// text); `None` when it is to be run.
pub(super) fn file_contents(before: &str, code: &str) -> Option<String> {
    if let Some(file) = file_named_before(before)
        && (dockerfile_lines(code) || !writes_a_file(code))
    {
        return Some(format!(
            "the contents of `{}` (the sentence before it says so): shown, not run (edit the file by hand, or write a command that does)",
            file.replace('`', "'")
        ));
    }
    if dockerfile_lines(code) {
        return Some(
            "a Dockerfile's lines (`FROM`, `RUN`, `COPY`…): shown, not run (write them into the Dockerfile, and build the image)"
                .to_string(),
        );
    }
    config_lines(code).then(|| {
        "lines of a config file (`key = value`, `[section]`, `Host x`, an address and its names): shown, not run (edit the file by hand, or write a command that does)".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::{config_lines, dockerfile_lines, file_named_before};

    #[test]
    fn dockerfiles_and_files_to_create() {
        for (text, file) in [
            ("Add this to the Dockerfile:", "Dockerfile"),
            (
                "Create a file /etc/nginx/conf.d/api.conf with:",
                "/etc/nginx/conf.d/api.conf",
            ),
            (
                "Create `Dockerfile` with the following content:",
                "Dockerfile",
            ),
            (
                "Create a file named /etc/default/app containing:",
                "/etc/default/app",
            ),
        ] {
            assert_eq!(file_named_before(text).as_deref(), Some(file), "{text}");
        }
        for text in [
            "Create the namespace with:",
            "Create a backup with:",
            "Create a secret containing the token:",
        ] {
            assert_eq!(file_named_before(text), None, "{text}");
        }
        assert!(dockerfile_lines(
            "FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl > /dev/null\nCOPY app /app\nCMD [\"/app\"]"
        ));
        for code in [
            "docker build -t app .",
            "RUN=1 ./x",
            "COPY a b",
            "FROM=x\necho $FROM",
        ] {
            assert!(!dockerfile_lines(code), "{code}");
        }
    }

    #[test]
    fn sentences_that_name_a_file_to_write() {
        for (text, file) in [
            ("Add this line to /etc/hosts:", "/etc/hosts"),
            ("Add the following to postgresql.conf:", "postgresql.conf"),
            ("Put this in ~/.ssh/config:", "~/.ssh/config"),
            (
                "Then append these lines to the node's /etc/fstab:",
                "/etc/fstab",
            ),
            ("Edit `pgbouncer.ini` and set:", "pgbouncer.ini"),
            ("Set the following in the config file:", "the config file"),
            ("Make sure ~/.pgpass contains:", "~/.pgpass"),
            ("Put this in .env:", ".env"),
        ] {
            assert_eq!(file_named_before(text).as_deref(), Some(file), "{text}");
        }
        for text in [
            "Add the node to the cluster:",
            "Write the dump to /tmp/app.sql:",
            "Put the node in maintenance mode:",
            "Add this line to /etc/hosts.",
            "Set the replica count to 3:",
        ] {
            assert_eq!(file_named_before(text), None, "{text}");
        }
    }

    #[test]
    fn lines_of_a_config_file() {
        for code in [
            "max_wal_senders = 10\nwal_keep_size = 1024",
            "# the primary\n10.0.3.12 db-primary.internal db-primary",
            "::1 localhost ip6-localhost",
            "Host bastion\n  HostName 10.0.0.5\n  User ops",
            "[mysqld]\nmax_connections=500",
        ] {
            assert!(config_lines(code), "{code}");
        }
        for code in [
            "kubectl get pods",
            "FOO=bar ./run.sh",
            "export NS=prod",
            "host db-primary.internal",
            "[ -f /etc/hosts ] && cat /etc/hosts",
            "x=1\ny=2",
            "10.0.0.5",
        ] {
            assert!(!config_lines(code), "{code}");
        }
    }
}
