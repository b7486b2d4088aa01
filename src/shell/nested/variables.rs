//! Variables whose value a shell runs as code (`PROMPT_COMMAND`, `BASH_ENV`, `PS4`…) and
//! assignments to them.

use super::role::{Reparse, Role};
use super::types::{SENTINEL, Unsafe};
use crate::shell::words::Word;

/// Environment variables whose values programs run with the shell (`git` runs
/// `GIT_SSH_COMMAND` with `sh -c`): a value assigned to one is parsed again.
const COMMAND_VARS: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_EDITOR",
    "GIT_PAGER",
    "GIT_SEQUENCE_EDITOR",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "EDITOR",
    "VISUAL",
    "PAGER",
    "MANPAGER",
    "LESSOPEN",
    "LESSCLOSE",
    "RSYNC_RSH",
    "BROWSER",
    // (Audit 26 HOLE-9.)
    "KUBE_EDITOR",
    "KUBECTL_EXTERNAL_DIFF",
    "SYSTEMD_EDITOR",
    "SYSTEMD_PAGER",
    "SYSTEMD_PAGERSECURE",
    "SUDO_EDITOR",
    "FCEDIT",
    "CVS_RSH",
    "SVN_SSH",
    "HG_SSH",
    "PSQL_PAGER",
    "PSQL_EDITOR",
    "MYSQL_PS1",
];

/// Variables whose value an interpreter reads as its own options or as where its code comes
/// from (`PERL5OPT=-Mbase;system(…)`, `NODE_OPTIONS=--require …`, `LUA_INIT=os.execute…`):
/// one plain word only.
const INTERPRETER_VARS: &[&str] = &[
    "PERL5OPT",
    "PERL5DB",
    "PERL5LIB",
    "PERLLIB",
    "RUBYOPT",
    "RUBYLIB",
    "NODE_OPTIONS",
    "NODE_PATH",
    "PYTHONSTARTUP",
    "PYTHONPATH",
    "PYTHONHOME",
    "JAVA_TOOL_OPTIONS",
    "_JAVA_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "LUA_INIT",
    "LUA_PATH",
    "TCLLIBPATH",
    "GCONV_PATH",
    // Programs or configurations that the tools run or load (a git or AWS configuration runs
    // its aliases and `credential_process`, OpenSSL's loads engines).
    "GIT_SSH",
    "GIT_PROXY_COMMAND",
    "GIT_EXEC_PATH",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_TEMPLATE_DIR",
    "OPENSSL_CONF",
    "OPENSSL_ENGINES",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    // Programs' own options from the environment (audit 26 HOLE-7, HOLE-8, HOLE-9):
    // `MAKEFLAGS=--eval=$(shell …)`, `TAR_OPTIONS=--checkpoint-action=exec=…`,
    // `TF_CLI_ARGS=-auto-approve`, `PGOPTIONS=-c …`.
    "MAKEFLAGS",
    "MFLAGS",
    "GNUMAKEFLAGS",
    "TAR_OPTIONS",
    "GZIP",
    "ZSTD_CLEVEL",
    "XZ_OPT",
    "PGOPTIONS",
    "LESS",
    "GREP_OPTIONS",
    "RSYNC_CONNECT_PROG",
    "CURL_HOME",
    "WGETRC",
    "PARALLEL",
    "SYSTEMD_LESS",
    "HELM_POST_RENDERER",
    "GIT_CONFIG",
];

/// Whether a variable's value is run as code by bash or by the programs that read it
/// (`PS4`, `GIT_SSH_COMMAND`, `EDITOR`, `PERL5OPT`, …).
pub fn runs_as_code(name: &str) -> bool {
    PROMPTS.contains(&name)
        || COMMAND_VARS.contains(&name)
        || INTERPRETER_VARS.contains(&name)
        || name.starts_with("LUA_INIT")
        // `GIT_CONFIG_KEY_0=core.sshCommand GIT_CONFIG_VALUE_0=…`: git's `-c` by environment.
        || name.starts_with("GIT_CONFIG_VALUE_")
        || name == "GIT_CONFIG_PARAMETERS"
        // `TF_CLI_ARGS`, `TF_CLI_ARGS_apply`: terraform's options.
        || name.starts_with("TF_CLI_ARGS")
}

/// Variables holding a path, or a list of paths split at `:`, that picks which program,
/// library or configuration runs (a kubeconfig's `exec:` and an AWS configuration's
/// `credential_process` are commands): a value there is held as a path under a folder is
/// (no `..` part), and may hold no `:`, which would add an entry searched first
/// ([`super::formats`]; audit 41 A41-16).
const PROGRAM_PATHS: &[&str] = &[
    "KUBECONFIG",
    "DOCKER_CONFIG",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "GNUPGHOME",
    "HELM_PLUGINS",
    "HELM_CONFIG_HOME",
    "HELM_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CONFIG_DIRS",
    "XDG_DATA_HOME",
    "XDG_DATA_DIRS",
    "ZDOTDIR",
    "INPUTRC",
    "ANSIBLE_CONFIG",
    "TF_CLI_CONFIG_FILE",
    "CLOUDSDK_CONFIG",
    "BOTO_CONFIG",
    "PIP_CONFIG_FILE",
    "NPM_CONFIG_USERCONFIG",
    "NPM_CONFIG_GLOBALCONFIG",
    "GEM_HOME",
    "GOROOT",
    "CARGO_HOME",
    "RUSTUP_HOME",
    "JAVA_HOME",
    "PERL5LIB",
    "PERLLIB",
    "RUBYLIB",
    "LUA_CPATH",
    "TCLLIBPATH",
    "OPENSSL_CONF",
    "OPENSSL_ENGINES",
];

/// Whether `name` holds a path or a list of paths that picks which program, library or
/// configuration runs: `PATH` and every `…PATH` (`PYTHONPATH`, `LD_LIBRARY_PATH`,
/// `GIT_EXEC_PATH`), the loader's `LD_*` and `DYLD_*`, `PYTHON*`, git's folders and
/// configuration files (`GIT_DIR`, `GIT_CONFIG_GLOBAL`), and [`PROGRAM_PATHS`].
pub(super) fn picks_programs(name: &str) -> bool {
    name.ends_with("PATH")
        || name.starts_with("LD_")
        || name.starts_with("DYLD_")
        || name.starts_with("PYTHON")
        || (name.starts_with("GIT_")
            && (name.ends_with("_DIR") || name.ends_with("_FILE") || name.contains("CONFIG")))
        || PROGRAM_PATHS.contains(&name)
}

/// Whether bash expands `name` again as a prompt (`PS4`, `PROMPT_COMMAND`).
pub fn is_prompt(name: &str) -> bool {
    PROMPTS.contains(&name)
}

/// The variables bash expands again, command substitutions included, each time it uses them:
/// `PS4` at every traced command (`set -x`), the prompts of an interactive shell.
pub(super) const PROMPTS: &[&str] = &["PS4", "PS0", "PS1", "PS2", "PS3", "PROMPT_COMMAND"];

/// A value assigned to a prompt variable (`PS4="{{ v }}"`) is refused: bash expands it again.
pub(super) fn prompt_assignment(w: &Word) -> Option<Role> {
    let eq = w.cooked.find('=')?;
    let name = w.cooked[..eq].trim_end_matches('+');
    let sentinel = w.cooked.find(SENTINEL)?;
    // `RSYNC_RSH="ssh -p {{ port }}" rsync …`: rsync splits it into words itself, with no
    // shell (as `rsync -e`): one plain word, expanded here (a reference written for another
    // shell reached ssh as text).
    if sentinel > eq && name == "RSYNC_RSH" {
        return Some(Role::PlainWord);
    }
    if sentinel > eq && COMMAND_VARS.contains(&name) {
        // `GIT_SSH_COMMAND="ssh -i {{ key }}" git fetch`: git runs it with `sh -c`.
        return Some(Role::Reparse(Reparse {
            inner: w.cooked[eq + 1..].to_string(),
            construct: name.to_string(),
            travels: true,
        }));
    }
    // `PERL5OPT="{{ v }}" perl …`: the interpreter's options or code path.
    if sentinel > eq
        && (INTERPRETER_VARS.contains(&name)
            || name.starts_with("LUA_INIT")
            || name.starts_with("TF_CLI_ARGS"))
    {
        return Some(Role::PlainWord);
    }
    // `env "BASH_FUNC_f%%=() { … }" bash -c f`: bash imports the value as a function.
    if sentinel > eq && name.starts_with("BASH_FUNC_") {
        return Some(Role::Refused(Unsafe {
            why: format!(
                "it is assigned to `{name}`, whose value bash reads as the body of a function"
            ),
            construct: name.to_string(),
            help: "define the function in the script and pass the value to it as an argument"
                .into(),
        }));
    }
    if sentinel > eq && (name.starts_with("GIT_CONFIG_VALUE_") || name == "GIT_CONFIG_PARAMETERS") {
        return Some(Role::Refused(Unsafe {
            why: format!(
                "it is assigned to `{name}`, git's configuration by environment, whose values git may run with `sh` (an alias starting with `!`, `core.sshCommand`…)"
            ),
            construct: name.to_string(),
            help:
                "use `git -c KEY=\"{{ … }}\"`, which runbook follows, or give the input a `pattern`"
                    .into(),
        }));
    }
    (sentinel > eq && PROMPTS.contains(&name)).then(|| {
        Role::Refused(Unsafe {
            why: format!(
                "it is assigned to `{name}`, which bash expands again (command substitutions included) each time it uses it"
            ),
            construct: name.to_string(),
            help: format!("do not put a value in `{name}`; print it with `printf '%s'` instead"),
        })
    })
}
