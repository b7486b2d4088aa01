//! Functions that a sourced file may define: [`sourced_function`].

use super::options::{PRINTS, REPARSERS};
use super::stdin::{DATA_READERS, stdin_file};
use crate::shell::programs::{KEYWORDS, SHELLS, base, command_index, find_wrapper};
use crate::shell::words::{Command, Word};

/// Commands whose reading of their arguments runbook knows, or that run no string they are
/// given: a script that sources a file may define a function of any other name.
const NOT_FUNCTIONS: &[&str] = &[
    "cd",
    "pwd",
    "ls",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "rmdir",
    "touch",
    "chmod",
    "chown",
    "ln",
    "stat",
    "df",
    "du",
    "ps",
    "kill",
    "pkill",
    "pgrep",
    "sleep",
    "date",
    "true",
    "false",
    "id",
    "whoami",
    "hostname",
    "uname",
    "basename",
    "dirname",
    "readlink",
    "realpath",
    "mktemp",
    "printf",
    "echo",
    "test",
    "[",
    "[[",
    "read",
    "export",
    "local",
    "declare",
    "typeset",
    "readonly",
    "unset",
    "shift",
    "set",
    "return",
    "exit",
    "break",
    "continue",
    "wait",
    "let",
    "systemctl",
    "journalctl",
    "service",
    "ip",
    "ss",
    "netstat",
    "ping",
    "dig",
    "host",
    "nslookup",
    "nc",
    "diff",
    "find",
    "xxd",
    "od",
    "sha256sum",
    "md5sum",
    "tar",
    "gzip",
    "gunzip",
    "zcat",
    "less",
    "more",
    "file",
    "env",
    "timeout",
    "nohup",
    "nice",
    "time",
    "python",
    "python3",
    "pip",
    "pip3",
    "node",
    "npm",
    "npx",
    "ruby",
    "perl",
    "php",
    "java",
    "go",
    "cargo",
    "make",
    "terraform",
    "helm",
    "aws",
    "gcloud",
    "az",
    "ansible",
    "ansible-playbook",
    "vault",
    "consul",
    "nomad",
    "docker",
    "podman",
    "psql",
    "pg_dump",
    "pg_restore",
    "pg_isready",
    "pgbench",
    "mysql",
    "mysqldump",
    "redis-cli",
    "rsync",
    "scp",
    "sftp",
    "openssl",
    "dd",
    "mount",
    "umount",
    "lsblk",
    "blkid",
    "fsck",
    "free",
    "top",
    "vmstat",
    "iostat",
    "lsof",
    "strace",
    "tcpdump",
    "iptables",
    "nft",
    "ufw",
    "apt-get",
    "apt",
    "dpkg",
    "yum",
    "dnf",
    "rpm",
    "useradd",
    "usermod",
    "passwd",
    "groupadd",
    "jq",
];

/// The name of the command at `args[index]`'s program when the script sources a file (`.
/// lib.sh`, `source lib.sh`) and the program is neither defined by the script nor one that
/// [`NOT_FUNCTIONS`] or runbook's tables know: it may be a function of that file.
pub(super) fn sourced_function(
    text: &str,
    list: &[Command],
    args: &[&Word],
    index: usize,
) -> Option<String> {
    if !(text.contains(". ") || text.contains("source ")) {
        return None;
    }
    // (`source /dev/stdin <<'EOF'` reads the document, which runbook follows, unless it
    // defines functions.)
    let sources = list.iter().any(|c| {
        let a = c.args();
        let i = command_index(&a);
        a.get(i)
            .is_some_and(|w| matches!(w.cooked.as_str(), "." | "source"))
            && a.get(i + 1).is_some_and(|f| {
                !(f.cooked == "-" || stdin_file(&f.cooked))
                    || c.heredocs.iter().any(|h| {
                        text.get(h.body.clone())
                            .is_some_and(|b| b.contains("()") || b.contains("function "))
                    })
            })
    });
    if !sources {
        return None;
    }
    let i = command_index(args);
    let w = args.get(i)?;
    if index <= i || w.quoted || !w.expansions.is_empty() {
        return None;
    }
    let name = base(&w.cooked);
    let known = NOT_FUNCTIONS.contains(&name)
        || PRINTS.contains(&name)
        || DATA_READERS.contains(&name)
        || REPARSERS.contains(&name)
        || SHELLS.contains(&name)
        || KEYWORDS.contains(&name)
        || find_wrapper(name).is_some()
        || matches!(name, "." | "source")
        || crate::shell::flow::functions(text).contains(name);
    (!known).then(|| name.to_string())
}
