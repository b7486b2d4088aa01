//! Console transcripts (commands after a shell's prompt, the output shown after them) and
//! the prompts of other programs, which say where a block is typed.

use super::output_lines::starts_a_command_line as command_line;

/// A shell prompt at the start of a transcript's line: `$ `, `user@host:~$ `,
/// `[user@host dir]# `, and `# ` in a `console` block; zsh's `% ` and `user@host ~ % `
/// (macOS' terminal), oh-my-zsh's `➜  ~ `, and any of them after a virtualenv's `(venv) `
/// (audit 41 I41-4 found their commands lost as output). The command after it, if any.
pub(super) fn shell_prompt<'a>(line: &'a str, lang: &str) -> Option<&'a str> {
    static PROMPT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:\([\w.-]+\) )?(\[?[\w.-]+@[\w.-]+(?:[: ][^\s$#%\]]*)?\]?\s?)?([$#%]) ",
        )
        .ok()
    });
    // oh-my-zsh's theme: `➜  ~ `, `➜  api git:(main) ✗ `, then the command.
    static ARROW: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:\([\w.-]+\) )?➜\s+\S+(?: git:\([^)\s]*\))?(?: ✗)? +\S").ok()
    });
    if let Some(m) = ARROW.as_ref()?.find(line) {
        return line.get(m.end() - 1..);
    }
    let m = PROMPT.as_ref()?.captures(line)?;
    // `# ` alone is a comment in a script; a prompt only in a transcript, or after user@host,
    // and only before what reads as a command (`# Memory` is a heading of redis output).
    let rest = line.get(m.get(0)?.end()..)?;
    let command_like = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || matches!(c, '/' | '.' | '$' | '~'));
    if &m[2] == "#" && m.get(1).is_none() && (lang != "console" || !command_like) {
        return None;
    }
    // (A bare `% ` only before a command: curl's `% Total % Received` is its output.)
    if &m[2] == "%" && m.get(1).is_none() && !command_like {
        return None;
    }
    Some(rest)
}

/// The host a transcript's prompt names (`ops@web-1:~$ ` → `web-1`).
pub(super) fn prompt_host(line: &str) -> Option<&str> {
    static HOST: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:\([\w.-]+\) )?\[?[\w.-]+@([\w.-]+)(?:[: ][^\s$#%\]]*)?\]?\s?[$#%] ")
            .ok()
    });
    HOST.as_ref()?.captures(line)?.get(1).map(|m| m.as_str())
}

/// The prompt of another program on a line of a block (`pgbouncer=# `, `mysql> `,
/// `127.0.0.1:6379> `, `>>> `, `irb(main):001:0> `), also after a shell command that starts
/// that program (`$ redis-cli -h …`): the block is typed there, not run. Says where.
pub(super) fn other_prompt(code: &str, lang: &str) -> Option<String> {
    code.lines()
        .filter(|l| shell_prompt(l, lang).is_none())
        .find_map(other_prompt_of)
        .or_else(|| {
            (lang.is_empty())
                .then(|| powershell_cmdlets(code).or_else(|| windows_commands(code)))
                .flatten()
        })
}

/// An untagged block whose commands are PowerShell cmdlets (`Get-Service W3SVC`,
/// `Restart-WebAppPool -Name x`, AWS Tools' `New-EC2Volume`, `Remove-S3Bucket`): typed in
/// PowerShell, not run by a POSIX shell (audit 14j J12, 14l L2).
fn powershell_cmdlets(code: &str) -> Option<String> {
    static CMDLET: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:Get|Set|New|Remove|Restart|Start|Stop|Invoke|Import|Export|Test|Add|Clear|Enable|Disable|Update|Install|Uninstall|Write|Select|Where|ForEach|Out|Resolve|Measure|Copy|Move|Rename|Suspend|Resume|Wait|Enter|Exit|Register|Unregister|Reset|Repair|Show|Format|ConvertTo|ConvertFrom)-[A-Z][A-Za-z0-9]*[A-Za-z]\b").ok()
    });
    let first = code.lines().map(str::trim).find(|l| !l.is_empty())?;
    CMDLET
        .as_ref()?
        .is_match(first)
        .then(|| "to type in PowerShell (its cmdlets), not in a POSIX shell".to_string())
}

/// An untagged block of Windows commands (`iisreset`, `net stop W3SVC`, `sc.exe query`,
/// `taskkill /F`, `C:\tools\fix.exe`, `.\cleanup.ps1`): typed in PowerShell or cmd on the
/// Windows host, never run by a POSIX shell (audit 14n N8).
fn windows_commands(code: &str) -> Option<String> {
    static FIRST: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)^(?:(?:iisreset|ipconfig|netsh|taskkill|tasklist|wevtutil|robocopy|schtasks|sfc|dism|msiexec|wmic|appcmd|certutil|bcdedit|gpupdate|nltest|dcdiag|repadmin|icacls|takeown|xcopy|chkdsk|vssadmin|cscript|wscript)(?:\.exe)?(?:\s|$)|net(?:\.exe)? (?:stop|start|use|user|localgroup|share|session|view)\s|sc(?:\.exe)? (?:query|queryex|stop|start|config|qc|delete|create|failure)\s|reg(?:\.exe)? (?:query|add|delete|import|export)\s|shutdown /[rsfa]|\$env:|& ['\x22]?[A-Za-z]:\\)").ok()
    });
    // (A Windows path or `.\script` first on any line.)
    static PATH: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(?:[A-Za-z]:\\|\.\\|[\w.-]+\.(?:ps1|bat|cmd)(?:\s|$)|%[A-Za-z_]+%)")
            .ok()
    });
    let lines: Vec<&str> = code
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with('#')
                && !l.starts_with("::")
                && !l.to_ascii_lowercase().starts_with("rem ")
        })
        .collect();
    let first = lines.first()?;
    let (first_re, path) = (FIRST.as_ref()?, PATH.as_ref()?);
    (first_re.is_match(first) || lines.iter().any(|l| path.is_match(l))).then(|| {
        "Windows commands, to type in PowerShell or cmd on the Windows host, not in a POSIX shell"
            .to_string()
    })
}

/// Where a line at another program's prompt is typed (see [`other_prompt`]).
pub(super) fn other_prompt_of(first: &str) -> Option<String> {
    // `PS C:\> `, `PS> `: PowerShell's prompt; `C:\> ` cmd's (audit 14j J12).
    static WINDOWS: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(PS(?: [A-Za-z]:\\[^>]*)?>|[A-Za-z]:\\[^>]*>) ?").ok()
    });
    if let Some(m) = WINDOWS.as_ref().and_then(|r| r.captures(first)) {
        let prompt = m.get(1)?.as_str();
        let program = if prompt.starts_with("PS") {
            "PowerShell"
        } else {
            "the Windows command prompt"
        };
        return Some(format!("to type at the `{prompt}` prompt ({program})"));
    }
    // `bash-5.1$ `, `sh-4.4# `: a shell's own prompt with no host, the one a pod's or a debug
    // node's shell shows (`kubectl exec -it … bash`, `oc debug node/…`): typed there, not
    // run where runbook runs (a review found `sh-4.4# rm -rf …` made a local step).
    static SHELL: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^((?:bash|sh|zsh|ksh)-\d+(?:\.\d+)*[$#]) ").ok()
    });
    if let Some(m) = SHELL.as_ref().and_then(|r| r.captures(first)) {
        let prompt = m.get(1)?.as_str();
        return Some(format!(
            "to type at the `{prompt}` prompt (the shell of a pod or a debug node that the page opened)"
        ));
    }
    // GitLab's Rails console names its environment: `[ gprd ] production> `.
    static RAILS: std::sync::LazyLock<Option<regex::Regex>> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"^(\[ ?[\w.-]+ ?\] [\w.()-]+>) ").ok());
    if let Some(m) = RAILS.as_ref().and_then(|r| r.captures(first)) {
        let prompt = m.get(1)?.as_str();
        let program = if prompt.contains("pry") {
            "a Ruby console"
        } else {
            "the Rails console"
        };
        return Some(format!("to type at the `{prompt}` prompt ({program})"));
    }
    static PROMPT: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(>>>|[\w.()\[\]:-]+?(=#|=>|-#|->|>|#)) ").ok()
    });
    let m = PROMPT.as_ref()?.captures(first)?;
    let prompt = m.get(1)?.as_str();
    let program = match m.get(2).map_or("", |e| e.as_str()) {
        _ if prompt == ">>>" => "Python",
        "=#" | "=>" | "-#" | "->" => "psql",
        _ if prompt.starts_with("mysql") || prompt.starts_with("mariadb") => "mysql",
        _ if prompt.starts_with("irb") || prompt.starts_with("pry") => "a Ruby console",
        _ if prompt.contains(':')
            && prompt
                .rsplit(':')
                .next()
                .is_some_and(|p| p.trim_end_matches('>').chars().all(|c| c.is_ascii_digit())) =>
        {
            "redis-cli"
        }
        "#" => return None,
        _ => "its program",
    };
    Some(format!("to type at the `{prompt}` prompt ({program})"))
}

/// Where a block in another language is typed, for its note.
pub(super) fn typed_where(lang: &str) -> String {
    match lang {
        "sql" | "psql" | "postgresql" | "pgsql" | "mysql" | "plpgsql" => {
            "to type in a SQL session (psql, mysql: as the page's text says)".into()
        }
        "yaml" | "yml" | "json" | "toml" | "ini" | "hcl" | "xml" => {
            "a file or manifest to write or apply, not a command".into()
        }
        "ruby" | "rb" => "to type in a Ruby console (`rails console`, irb)".into(),
        "python" | "py" | "python3" | "pycon" => "to type in a Python interpreter".into(),
        "promql" | "logql" | "kql" => "to type in the metrics or logs query page".into(),
        "redis" => "to type in redis-cli".into(),
        "js" | "javascript" | "mongo" | "mongodb" => "to type in the database's shell".into(),
        "" | "text" | "txt" | "plain" | "plaintext" | "output" | "log" => {
            "text shown on the page (output or a sample)".into()
        }
        "powershell" | "ps1" | "pwsh" | "ps" | "posh" => {
            "to type in PowerShell (on the Windows host), not in a POSIX shell".into()
        }
        "cmd" | "bat" | "batch" | "dos" | "winbatch" => {
            "to type in cmd, the Windows command prompt, not in a POSIX shell".into()
        }
        other => format!("to type in {other}, not in a shell"),
    }
}

/// What a console block holds, read as a transcript.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Transcript {
    /// The commands, one per line (continuations and `> ` lines kept).
    pub(super) commands: String,
    /// The output shown after each command that printed any: (the command's first line,
    /// the output).
    pub(super) outputs: Vec<(String, String)>,
    /// Lines (of the block) whose `$` is glued to the command (`$kubectl get nodes`).
    pub(super) glued: Vec<usize>,
    /// The first line typed in a root shell that a command opened (`sudo -i`, `su -`), and
    /// that command.
    pub(super) root_after: Option<(usize, String)>,
    /// The first line read as a command after `# `, root's prompt, with no other prompt
    /// before it: it may as well be a comment (`# check disk usage`).
    pub(super) bare_root: Option<usize>,
}

/// A console transcript's commands and the output shown after them: lines starting with a
/// prompt ([`shell_prompt`]) are commands; the rest after a prompt is output. A block with
/// no prompt is all commands (all output in a `console` block).
pub(super) fn transcript(code: &str, lang: &str) -> Transcript {
    let session = matches!(lang, "console" | "shell-session");
    // `$kubectl get nodes` in a session: the prompt's space forgotten.
    let glued_prompt = |l: &str| {
        session
            && l.strip_prefix('$')
                .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_lowercase()))
    };
    fn prompt_of<'a>(l: &'a str, lang: &str, glued: bool) -> Option<&'a str> {
        shell_prompt(l, lang).or_else(|| l.strip_prefix('$').filter(|_| glued))
    }
    let mut out = Transcript::default();
    if !code
        .lines()
        .any(|l| prompt_of(l, lang, glued_prompt(l)).is_some())
    {
        // A `console` block is a session: with no prompt, it is what a command printed.
        if session {
            let output = code.trim_end();
            if !output.is_empty() {
                out.outputs.push((String::new(), output.to_string()));
            }
        } else {
            out.commands = code.trim_end().to_string();
        }
        return out;
    }
    let mut commands: Vec<String> = Vec::new();
    let mut output: Vec<&str> = Vec::new();
    let mut of = String::new();
    let flush = |of: &str, output: &mut Vec<&str>, out: &mut Transcript| {
        let text = output.join("\n");
        if !text.trim().is_empty() {
            out.outputs
                .push((of.to_string(), text.trim_end().to_string()));
        }
        output.clear();
    };
    let mut continued = false;
    // Right after a command: `> ` lines are the shell's secondary prompt (a here-document,
    // an open quote), part of the command.
    let mut after_command = false;
    // A `# ` line in a session of `$ ` prompts is output (a comment the program printed),
    // unless the last command made the session root's (`sudo -i`, `su -`).
    let mut user_session = false;
    let mut root_shell: Option<String> = None;
    // The last command prints a file (`cat /etc/fstab`): its comment lines are output.
    let mut prints_file = false;
    for (k, l) in code.lines().enumerate() {
        if after_command && (l.starts_with("> ") || l == ">") {
            commands.push(l.get(2..).unwrap_or("").to_string());
            continue;
        }
        after_command = false;
        let prompt = prompt_of(l, lang, glued_prompt(l));
        let root_line = l.starts_with("# ");
        // After `# cat /etc/fstab`, `# /etc/fstab: static …`, `# <file system> …` or `#
        // remove old files` is the file's comment, printed, not a command typed at root's
        // prompt (audit 41 I41-23 found one run).
        if root_line && !continued && prints_file && !command_line(l[2..].trim()) {
            output.push(l);
            continue;
        }
        // `# kill stale workers before the restart`: a comment, not a command typed at
        // root's prompt (an audit found it run); kept in the script as one.
        if root_line
            && !continued
            && !user_session
            && root_shell.is_none()
            && reads_as_prose(&l[2..])
        {
            flush(&of, &mut output, &mut out);
            of.clear();
            commands.push(l.to_string());
            continue;
        }
        if let Some(c) = prompt.filter(|_| !root_line) {
            let c = c.trim();
            user_session = !(c.starts_with("sudo -i")
                || c.starts_with("sudo -s")
                || c.starts_with("sudo su")
                || c == "su"
                || c.starts_with("su -")
                || c.starts_with("su root"));
            root_shell = (!user_session).then(|| c.to_string());
        }
        if continued {
            // `> ` after a line ending in `\` is the shell's secondary prompt, not a
            // redirection (audit 14j J7: `>   -l app=api` sent kubectl's output to `-l`).
            let l = match l.strip_prefix("> ") {
                Some(rest) => rest,
                None if l == ">" => "",
                None => l,
            };
            commands.push(l.to_string());
            continued = l.ends_with('\\');
            after_command = !continued;
        } else if root_line && user_session && prompt.is_some() {
            output.push(l);
        } else if let Some(c) = prompt {
            flush(&of, &mut output, &mut out);
            if glued_prompt(l) && shell_prompt(l, lang).is_none() {
                out.glued.push(k);
            }
            if root_line
                && out.root_after.is_none()
                && let Some(shell) = &root_shell
            {
                out.root_after = Some((k, shell.clone()));
            }
            if root_line
                && root_shell.is_none()
                && commands.iter().all(|c| c.starts_with("# "))
                && out.bare_root.is_none()
            {
                out.bare_root = Some(k);
            }
            after_command = !c.ends_with('\\');
            continued = c.ends_with('\\');
            of = c.trim().trim_end_matches('\\').trim_end().to_string();
            prints_file = prints_a_file(c);
            commands.push(c.to_string());
        } else {
            output.push(l);
        }
    }
    flush(&of, &mut output, &mut out);
    out.commands = commands.join("\n");
    out
}

/// Whether a command prints a file, its comments and all (`cat`, `grep`, `head`, `tail`,
/// `less`; after `sudo`).
fn prints_a_file(command: &str) -> bool {
    let mut words = command.split_whitespace();
    let first = words.next().unwrap_or("");
    let program = if first == "sudo" {
        words.find(|w| !w.starts_with('-')).unwrap_or("")
    } else {
        first
    };
    [
        "cat", "grep", "egrep", "zgrep", "head", "tail", "less", "more", "zcat", "bat",
    ]
    .contains(&program)
}

/// Whether the text after `# ` reads as a sentence rather than a command: a few words, one
/// of them a little word of English, and nothing of the shell's (no option, path,
/// quote, pipe, `;`, `$`, `=`).
fn reads_as_prose(text: &str) -> bool {
    const LITTLE: &[&str] = &[
        "the", "a", "an", "before", "after", "then", "first", "and", "to", "of", "for", "with",
        "this", "that", "these", "is", "are", "it", "we", "you", "if", "when", "on", "from", "all",
        "any", "our", "your", "until", "now", "again", "here", "there", "its", "not",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 3
        && !text.contains([
            '|', ';', '&', '<', '>', '$', '=', '/', '"', '\'', '`', '*', '\\',
        ])
        && !words.iter().any(|w| w.starts_with('-'))
        && words.iter().any(|w| {
            LITTLE.contains(
                &w.trim_end_matches([',', '.', ':'])
                    .to_ascii_lowercase()
                    .as_str(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// bash's own prompt with no host is a pod's or a debug node's shell, GitLab's Rails
    /// console prompt another program's: typed there, not run here.
    #[test]
    fn bash_and_rails_console_prompts() {
        assert_eq!(
            other_prompt("sh-4.4# chroot /host\nbash-5.1$ ls\n", "console").as_deref(),
            Some(
                "to type at the `sh-4.4#` prompt (the shell of a pod or a debug node that the page opened)"
            )
        );
        assert_eq!(
            other_prompt(
                "[ gprd ] production> Feature.enable(:x)\n=> true\n",
                "console"
            )
            .as_deref(),
            Some("to type at the `[ gprd ] production>` prompt (the Rails console)")
        );
        // Audit 14j J12: PowerShell and cmd, with or without a prompt.
        assert_eq!(
            other_prompt("PS C:\\> Get-WebAppPoolState -Name Shop\n", "").as_deref(),
            Some("to type at the `PS C:\\>` prompt (PowerShell)")
        );
        assert!(other_prompt("C:\\> iisreset /restart\n", "").is_some());
        assert!(other_prompt("Restart-WebAppPool -Name \"x\"\n", "").is_some());
        assert!(other_prompt("Restart-WebAppPool -Name \"x\"\n", "bash").is_none());
        assert!(other_prompt("systemctl restart nginx\n", "").is_none());
    }

    /// `# ` before a sentence is a comment, kept in the script; before a command, root's
    /// prompt (said).
    #[test]
    fn comments_are_no_root_prompts() {
        let t = transcript(
            "# kill stale workers before the restart\n# systemctl restart sidekiq\nok\n",
            "console",
        );
        assert_eq!(
            t.commands,
            "# kill stale workers before the restart\nsystemctl restart sidekiq"
        );
        assert_eq!(t.bare_root, Some(1));
        for command in [
            "# apt-get install -y nginx",
            "# cd /var/lib/app",
            "# systemctl restart nginx",
            "# grep -c error the log",
        ] {
            assert!(!reads_as_prose(&command[2..]), "{command}");
        }
    }

    #[test]
    fn transcripts_split_commands_from_output() {
        let t = transcript("$ kubectl get pods\nNAME READY\napi-1 1/1\n", "console");
        assert_eq!(t.commands, "kubectl get pods");
        assert_eq!(
            t.outputs,
            [(
                "kubectl get pods".to_string(),
                "NAME READY\napi-1 1/1".to_string()
            )]
        );
        let t = transcript("systemctl restart api\n", "bash");
        assert_eq!(t.commands, "systemctl restart api");
        assert!(t.outputs.is_empty());
        // A console block with no prompt is output.
        let t = transcript("Filesystem Size Used\n/dev/sda1 40G 39G\n", "console");
        assert_eq!(t.commands, "");
        assert_eq!(t.outputs[0].1, "Filesystem Size Used\n/dev/sda1 40G 39G");
    }

    /// Each command's output stays with it (an audit found two commands' outputs shown as
    /// one, after both); `$kubectl` with the prompt's space forgotten is a command, said.
    #[test]
    fn outputs_stay_with_their_commands() {
        let t = transcript(
            "$ kubectl get pods\napi-1 1/1\n$ kubectl get nodes\nnode-1 Ready\n",
            "console",
        );
        assert_eq!(t.commands, "kubectl get pods\nkubectl get nodes");
        assert_eq!(
            t.outputs,
            [
                ("kubectl get pods".to_string(), "api-1 1/1".to_string()),
                ("kubectl get nodes".to_string(), "node-1 Ready".to_string())
            ]
        );
        let t = transcript("$kubectl get nodes\nnode-1 Ready\n$ make deploy", "console");
        assert_eq!(t.commands, "kubectl get nodes\nmake deploy");
        assert_eq!(t.glued, [0]);
        // In a script, `$x` is the script's.
        let t = transcript("$cmd --version\n$ make", "bash");
        assert!(t.glued.is_empty());
    }

    #[test]
    fn prompts_of_shells_and_of_other_programs() {
        assert_eq!(shell_prompt("$ uptime", "bash"), Some("uptime"));
        assert_eq!(shell_prompt("ops@web-1:~$ df -h", "bash"), Some("df -h"));
        assert_eq!(shell_prompt("[root@db-2 data]# ls", "bash"), Some("ls"));
        assert_eq!(shell_prompt("# ls", "console"), Some("ls"));
        assert_eq!(shell_prompt("# a comment", "bash"), None);
        // zsh, oh-my-zsh and a virtualenv (audit 41 I41-4); curl's progress is no prompt.
        assert_eq!(
            shell_prompt("% kubectl get ns", "console"),
            Some("kubectl get ns")
        );
        assert_eq!(
            shell_prompt(
                "jdoe@MacBook-Pro ~ % aws sts get-caller-identity",
                "console"
            ),
            Some("aws sts get-caller-identity")
        );
        assert_eq!(
            shell_prompt("➜  ~ kubectl get ns", "console"),
            Some("kubectl get ns")
        );
        assert_eq!(
            shell_prompt("➜  api git:(main) ✗ make test", "console"),
            Some("make test")
        );
        assert_eq!(
            shell_prompt("(venv) $ ansible all -m ping", "console"),
            Some("ansible all -m ping")
        );
        assert_eq!(shell_prompt("% Total    % Received", "console"), None);
        // After `# cat`, the file's `# ` lines are its output (audit 41 I41-23).
        let t = transcript(
            "# cat /etc/fstab\n# /etc/fstab: static file system information.\n# <file system> <dir>\nUUID=1 /data ext4\n# mount -a",
            "console",
        );
        assert_eq!(t.commands, "cat /etc/fstab\nmount -a");
        assert!(
            t.outputs[0].1.starts_with("# /etc/fstab: static"),
            "{:?}",
            t.outputs
        );
        let psql = other_prompt_of("pgbouncer=# show pools;\n").unwrap_or_default();
        assert!(psql.contains("`pgbouncer=#` prompt (psql)"), "{psql}");
        let redis = other_prompt_of("127.0.0.1:6379> INFO memory").unwrap_or_default();
        assert!(redis.contains("(redis-cli)"), "{redis}");
        assert!(other_prompt_of(">>> import os").is_some_and(|p| p.contains("Python")));
        assert!(other_prompt_of("mysql> show processlist;").is_some_and(|p| p.contains("mysql")));
        assert_eq!(other_prompt_of("kubectl get pods\n"), None);
        assert_eq!(other_prompt_of("# restart it\nsystemctl restart x"), None);
    }

    /// A `# ` line among `$ ` prompts is output, unless the session became root's (an
    /// audit found `# a comment line in output` made a command).
    #[test]
    fn a_hash_line_is_a_command_only_in_a_root_session() {
        let t = transcript(
            "$ ls /srv\ndata\n# a comment line in output\n$ df -h",
            "console",
        );
        assert_eq!(t.commands, "ls /srv\ndf -h");
        assert!(t.outputs[0].1.contains("# a comment line in output"));
        assert_eq!(t.root_after, None);
        // The lines typed in the root shell are said to run after it, as the operator.
        let t = transcript("$ sudo -i\n# systemctl restart app", "console");
        assert_eq!(t.commands, "sudo -i\nsystemctl restart app");
        assert_eq!(t.root_after, Some((1, "sudo -i".to_string())));
        let t = transcript("# systemctl status app\nactive", "console");
        assert_eq!(t.commands, "systemctl status app");
        assert_eq!(t.root_after, None);
    }
}
