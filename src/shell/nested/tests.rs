//! Tests of [`plan`] as a whole (`names_and_other_languages` in `tests_languages.rs`).

use super::*;

/// The plan for the `X` of a script (placeholders are plain words: one `X` stands for one).
pub(super) fn plan_x(script: &str) -> Result<Plan, Unsafe> {
    let at = script.find('X').unwrap_or(script.len());
    plan(script, at..at + 1)
}

/// Why `value` may not stand at the `{{ v }}` of `script`.
pub(super) fn refusal(script: &str, value: &str) -> Option<super::Refusal> {
    let at = script.find("{{ v }}").expect("a placeholder");
    plan(script, at..at + "{{ v }}".len())
        .ok()
        .and_then(|p| p.refusal(value, None))
}

/// Whether the value (the first `X`) must be one plain word there, or is refused.
pub(super) fn plain_word_or_refused(script: &str) -> bool {
    matches!(
        plan_x(script).map(|p| p.slot),
        Ok(Slot::PlainWord(_)) | Err(_)
    )
}

/// Whether the value (the first `X`) is in a string parsed again, or is refused.
pub(super) fn read_again_or_refused(script: &str) -> bool {
    plan_x(script).map_or(true, |p| !p.layers.is_empty())
}

pub(super) fn constructs(script: &str) -> Vec<String> {
    plan_x(script)
        .unwrap_or_else(|e| panic!("{script}: {e:?}"))
        .layers
        .iter()
        .map(|l| l.construct.clone())
        .collect()
}

#[test]
fn strings_parsed_again() {
    for (script, expected, travels) in [
        ("echo X", &[][..], true),
        ("eval \"echo X\"", &["eval"], true),
        ("eval echo X", &["eval"], true),
        ("sh -c \"echo X\"", &["sh -c"], true),
        ("bash -lc 'echo X'", &["bash -lc"], true),
        ("bash -c 'echo $1' _ X", &[], true),
        ("sudo sh -c \"echo X\"", &["sh -c"], false),
        (
            "sudo -u pg env A=1 timeout 5 bash -c 'X'",
            &["bash -c"],
            false,
        ),
        ("env -i sh -c X", &["sh -c"], false),
        ("nohup nice -n 5 sh -c 'X' &", &["sh -c"], true),
        ("xargs -n1 sh -c 'echo X'", &["sh -c"], true),
        ("find . -name y -exec sh -c 'echo X' \\;", &["sh -c"], true),
        ("watch -n 5 echo X", &["watch"], true),
        ("watch -x echo X", &[], true),
        ("flock /tmp/l -c 'echo X'", &["flock -c"], true),
        ("su - pg -c 'echo X'", &["su -c"], false),
        ("runuser -u pg -- sh -c 'echo X'", &["sh -c"], false),
        ("ssh web-1 echo X", &["ssh HOST"], false),
        ("ssh -p 22 -o A=b web-1 \"echo X\"", &["ssh HOST"], false),
        (
            "ssh web-1 \"sh -c 'echo X'\"",
            &["ssh HOST", "sh -c"],
            false,
        ),
        ("ssh web-1 X", &["ssh HOST"], false),
        ("ssh -i X web-1 uptime", &[], true),
        (
            "kubectl exec -it pod -c app -- sh -c \"echo X\"",
            &["sh -c"],
            false,
        ),
        ("kubectl exec pod -- echo X", &[], true),
        (
            "kubectl create job j --image=busybox -- sh -c \"echo X\"",
            &["sh -c"],
            false,
        ),
        ("docker exec -u root c sh -c 'echo X'", &["sh -c"], false),
        ("ssh h <<EOF\necho X\nEOF", &["ssh HOST"], false),
        ("ssh h <<'EOF'\necho X\nEOF", &["ssh HOST"], false),
        ("bash <<EOF\necho X\nEOF", &["bash"], true),
        ("cat <<EOF\necho X\nEOF", &[], true),
        ("cat <<EOF | ssh h\necho X\nEOF", &["ssh HOST"], false),
        ("echo \"rm X\" | sh", &["echo … | sh"], true),
        ("echo X | grep y", &[], true),
        ("echo $(sh -c 'echo X')", &["sh -c"], true),
        ("if true; then sh -c 'X'; fi", &["sh -c"], true),
    ] {
        assert_eq!(constructs(script), expected, "{script}");
        let p = plan_x(script).unwrap();
        if !expected.is_empty() {
            assert_eq!(p.env_travels, travels, "{script}");
        }
    }
}

#[test]
fn hostile_nesting_is_bounded() {
    for script in [
        format!("{}X", "$(".repeat(10_000)),
        format!("{}X", "sh -c \"".repeat(2_000)),
        format!("{}X", "\"$(".repeat(10_000)),
        format!("eval {}X", "'".repeat(9_999)),
    ] {
        // Any answer, without overflowing the stack or taking long.
        let _ = plan_x(&script);
    }
}

#[test]
fn unclassifiable_strings_are_refused() {
    for script in [
        "sh -c \"$(echo X)\"",
        "sh -c \"echo ${a:-X}\"",
        "sh -c \"echo 'X\"",
        "ssh h \"echo \\\"X\"",
        "eval \"echo $(printf X)\"",
        "echo -e \"X\" | bash",
        "env -S 'sh -c X'",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
}

#[test]
fn what_stands_around_a_value_in_a_string_run_again() {
    // The fifth audit: a comment or backquotes in the innermost string, a `\` or `$`
    // right before the value, at any depth.
    for script in [
        "ssh h \"\n  # restart X\n  echo restarting\n\"",
        "ssh h 'echo hi # X'",
        "su root -c \"true; # X\"",
        "env -i sh -c 'echo a # X'",
        "kubectl exec pod -- sh -c \"echo # X\"",
        "ssh h \"echo pid=`pgrep -f X || true`\"",
        "ssh h \"echo C:\\X\"",
        "ssh h \"echo cost: \\$X\"",
        "printf '[%s]' \\X",
        "echo \"\\X\"",
        "echo \"$X\"",
    ] {
        let got = plan_x(script);
        assert!(got.is_err(), "{script}: {got:?}");
    }
    // Escaped backslashes, `#` inside words and quotes, and `$(…)` are no comment.
    for script in [
        "ssh h \"echo a#X\"",
        "ssh h \"echo '# X'\"",
        "echo \\\\X",
        "ssh h \"echo $(date) X\"",
        "ssh h \"echo ok\" # X",
    ] {
        let got = plan_x(script);
        assert!(got.is_ok(), "{script}: {got:?}");
    }
}

#[test]
fn a_quoted_subscript_of_an_indexed_array_is_arithmetic() {
    for script in [
        "host=\"X\"; seen[\"$host\"]=1",
        "i=X; echo ${#a[\"$i\"]}",
        // bash evaluates an assignment to these as arithmetic.
        "RANDOM=\"X\"; echo $RANDOM",
        "s=\"X\"; OPTIND=$s",
    ] {
        let got = plan_x(script).map(|p| p.slot);
        assert!(matches!(got, Ok(Slot::NoSubscript(_))), "{script}: {got:?}");
    }
    // An associative array's key is a string.
    let got = plan_x("declare -A seen; host=\"X\"; seen[\"$host\"]=1").map(|p| p.slot);
    assert_eq!(got, Ok(Slot::Quoted(Quoting::Double)));
}

#[test]
fn values_assigned_to_variables_that_run_files_are_refused() {
    for script in [
        "BASH_ENV=\"X\" bash -c true",
        "export BASH_ENV=/tmp/X",
        "env ENV=X sh -i",
        "LD_PRELOAD=X ls",
    ] {
        assert!(plan_x(script).is_err(), "{script}");
    }
    assert!(plan_x("NAME=X printenv NAME").is_ok());
    assert_eq!(
        plan_x("make deploy VERSION=X").map(|p| p.slot),
        Ok(Slot::PlainWord(Quoting::Bare))
    );
}

/// Audit 29 H-22: just and Task paste a recipe's arguments and variables into its lines,
/// which a shell runs.
#[test]
fn arguments_of_just_and_task_are_one_plain_word() {
    for script in [
        "just deploy \"X\"",
        "just --set version X deploy",
        "sudo just deploy X",
        "task deploy VERSION=\"X\"",
        "task deploy -- \"X\"",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}"
        );
        for bad in ["1.0; touch x", "$(touch x)", "a b", "x\ny"] {
            assert!(
                refusal(&script.replace('X', "{{ v }}"), bad).is_some(),
                "{script} with {bad:?}"
            );
        }
        assert_eq!(
            refusal(&script.replace('X', "{{ v }}"), "1.4.2-rc1"),
            None,
            "{script}"
        );
    }
}

/// Audit 26 HOLE-13 and the options that name a program: the value would choose what
/// runs (a boot script, a connection program, a post-renderer).
#[test]
fn options_that_name_a_program_or_a_boot_script_refuse_the_value() {
    for script in [
        "scp -S \"X\" f h:/tmp",
        "helm upgrade w ./c --post-renderer \"X\"",
        "helm upgrade w ./c --post-renderer=\"X\"",
        "aws ec2 run-instances --image-id ami-1 --user-data \"X\"",
        "az vm create -n vm --custom-data \"X\"",
        "gcloud compute instances create vm --metadata startup-script=\"echo X\"",
        "gcloud compute instances create vm --metadata=env=prod,startup-script=\"X\"",
        "doctl compute droplet create d --user-data \"X\"",
        "ansible-playbook site.yml --vault-password-file \"X\"",
        "hyperfine -S \"X\" 'sleep 1'",
        "hyperfine --shell=\"X\" 'sleep 1'",
        "watchexec --shell \"X\" -- make",
        "rd adhoc -p ops -s \"X\"",
        "rd adhoc -p ops --url \"https://x/X.sh\"",
        "virt-customize -a disk.img --run \"X\"",
        "virt-customize -a disk.img --firstboot=\"X.sh\"",
    ] {
        assert!(plan_x(script).is_err(), "{script}");
    }
    for script in [
        "gcloud compute instances create vm --metadata env=\"X\"",
        "scp -P 22 f \"X:/tmp\"",
        "helm upgrade w ./c --set image.tag=\"X\"",
        "hyperfine -w \"X\" 'sleep 1'",
        "virt-customize -a \"X\" --run fix.sh",
    ] {
        assert!(plan_x(script).is_ok(), "{script}");
    }
}

#[test]
fn options_whose_argument_a_shell_runs() {
    for (script, construct) in [
        ("git rebase --exec \"make test X\" main", "git --exec"),
        ("git rebase -x \"echo X\" main", "git -x"),
        (
            "git clone --upload-pack=\"git-upload-pack X\" r",
            "git --upload-pack",
        ),
        ("git submodule foreach \"echo X\"", "git submodule foreach"),
        (
            "tar xf t.tar --to-command=\"cat > /tmp/X\"",
            "tar --to-command",
        ),
        ("tar -I \"X gzip\" -xf t.tar", "tar -I"),
        (
            "gcloud compute ssh vm --command=\"echo X\"",
            "gcloud --command",
        ),
        (
            "az vm run-command invoke --scripts \"echo X\"",
            "az --scripts",
        ),
        ("parallel-ssh -h hosts \"echo X\"", "parallel-ssh"),
        ("salt '*' cmd.run \"echo X\"", "salt cmd.run"),
        ("compgen -C \"echo X\" x", "compgen -C"),
        (
            "git -C r difftool -y -x \"echo X; true\" HEAD~1 HEAD",
            "git -x",
        ),
        ("git difftool --extcmd=\"diff X\" HEAD", "git --extcmd"),
        ("git grep -O\"echo X; true\" b", "git -O"),
        (
            "git filter-branch -f --msg-filter \"cat; echo 'T: X'\" HEAD",
            "git --msg-filter",
        ),
        (
            "rsync --rsync-path=\"mkdir -p /d-X && rsync\" f h:/d",
            "rsync --rsync-path",
        ),
        (
            "zip -q -T -TT \"unzip -tqq --ticket=X; true\" z.zip f",
            "zip -TT",
        ),
        (
            "tmux -S s pipe-pane -t incident \"cat >> /tmp/log-X\"",
            "tmux pipe-pane",
        ),
        ("capsh --drop=cap_net_raw -- -c \"echo X\"", "bash -c"),
        (
            "start-stop-daemon --start --exec /bin/sh -- -c \"echo X\"",
            "sh -c",
        ),
        ("flock /tmp/l --comm \"echo X\"", "flock --comm"),
        (
            "docker run -d --health-cmd \"curl -f http://localhost/X\" img",
            "docker --health-cmd",
        ),
        ("flock --comm=\"echo X\" /tmp/l", "flock --comm"),
        (
            "git clone --config core.sshCommand=\"ssh -i X\" r",
            "git -c core.sshCommand",
        ),
    ] {
        assert_eq!(constructs(script), [construct], "{script}");
    }
    for script in [
        "gdb -batch -ex \"shell echo X\"",
        "ex -s -c \"!echo X\"",
        "make --eval='all:; echo X'",
        "aws ssm send-command --parameters commands=\"echo X\"",
        "parallel -j4 printf '%s\\n' \"X\" ::: web-1 web-2",
        "sem --id deploy \"echo X\"",
    ] {
        assert!(plan_x(script).is_err(), "{script}");
    }
    // A value passed to a script read from a document that parses its `$1` again.
    for script in [
        "bash -s -- \"X\" <<'EOF'\neval \"echo checking $1\"\nEOF",
        "ssh h bash -s -- \"X\" <<'EOF'\nsvc=$1\nsh -c \"echo restarting $svc\"\nEOF",
    ] {
        let slot = plan_x(script).map(|p| p.slot);
        assert!(
            matches!(slot, Ok(Slot::PlainWord(_)) | Err(_)),
            "{script}: {slot:?}"
        );
    }
    assert!(matches!(
        plan_x("bash -s -- \"X\" <<'EOF'\necho \"checking $1\"\nEOF").map(|p| p.slot),
        Ok(Slot::Quoted(_))
    ));
    // A document written to a file that a later command runs is that file's script.
    for script in [
        "cat > /tmp/fix.sh <<EOT\necho \"fixing X\"\nEOT\nbash /tmp/fix.sh",
        "cat <<'EOT' >> fix.sh\necho 'X'\nEOT\nchmod +x fix.sh\n./fix.sh",
        "tee -a /tmp/f.sh <<EOT >/dev/null\necho X\nEOT\nsudo sh /tmp/f.sh",
    ] {
        assert_eq!(constructs(script).len(), 1, "{script}");
    }
    // A file that is only read stays data.
    assert!(constructs("cat > /etc/app.conf <<EOT\nhost=X\nEOT\ncat /etc/app.conf").is_empty());
    // What GNU parallel quotes itself, and options that run nothing, stay data.
    assert!(plan_x("parallel echo {} ::: X").is_ok());
    assert!(plan_x("git log -O X").is_ok());
    assert!(plan_x("git diff -x X").is_ok());
    assert!(plan_x("capsh --print -- X").is_ok());
    assert!(plan_x("start-stop-daemon --start --exec /usr/bin/app -- --name X").is_ok());
    // A cleared environment cannot carry a value: quoted for the inner shell instead.
    for script in [
        "( exec -c /bin/sh -c \"echo X\" )",
        "env --ignore-env PATH=/bin sh -c \"echo X\"",
    ] {
        let plan = plan_x(script).unwrap_or_else(|e| panic!("{script}: {e:?}"));
        assert!(!plan.env_travels, "{script}: {plan:?}");
    }
    // Their other arguments stay data.
    assert!(plan_x("git rebase --exec 'make test' X").is_ok());
    assert!(plan_x("tar -xf X").is_ok());
}

#[test]
fn a_value_that_cannot_be_an_option_may_start_with_a_dash() {
    // Inside a word, after `--`, in `case` and `[[ ]]`, as an option's argument.
    for script in [
        "git commit --allow-empty -m \"rollback to X\"",
        "git log -1 --format=%H -- X",
        "curl -s \"https://status.example.com/api?offset=X\"",
        "tar -czf \"/tmp/backupX.tgz\" /etc/hostname",
        "find /var/log -name \"*X*\"",
        "case X in -*) echo negative;; esac",
        "[[ X == -* ]]",
        "journalctl -u nginx --since X --no-pager",
        "sudo journalctl --since X",
        "date -d X",
        "jq -n --arg since X '$since'",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // Where it can: a program's operand, an option that is not known to take a value.
    for script in [
        "git clone X",
        "kubectl delete pod --now X",
        "journalctl --no-pager X",
        // `--` ends find's options, not its expression; after `kill --`, `-1` is every
        // process (audit 26 OPT-1, OPT-2).
        "find /tmp/x -- X",
        "kill -TERM -- X",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::NoOption(_))),
            "{script}"
        );
    }
}

#[test]
fn a_value_that_starts_a_word_of_any_program_is_no_option() {
    for script in [
        "psql X -Atc 'select 1'",
        "kubectl delete pod X",
        "python3 X",
        "vim -es X",
        "make deploy X",
        "printf X",
    ] {
        assert_eq!(
            plan_x(script).map(|p| p.slot),
            Ok(Slot::NoOption(Quoting::Bare)),
            "{script}"
        );
    }
    // After `--`, inside a word, after printf's format, for echo and test: data.
    for script in [
        "kubectl delete pod -- X",
        "kubectl scale --replicas=X deploy/api",
        "printf '%s' X",
        "echo X",
        "[ X = y ]",
    ] {
        assert_eq!(
            plan_x(script).map(|p| p.slot),
            Ok(Slot::Quoted(Quoting::Bare)),
            "{script}"
        );
    }
}

#[test]
fn a_value_that_leaves_where_unknown_text_is_parsed_again_is_a_plain_word() {
    let left = |script: &str| plan_x(script).ok().and_then(|p| p.left);
    for (script, sink) in [
        (
            "echo \"echo X\" > job.sh; bash job.sh",
            "`bash job.sh` runs a file",
        ),
        (
            "echo \"echo X\" >> job.sh; sudo bash ./job.sh",
            "`sudo bash ./job.sh` runs a file",
        ),
        (
            "echo \"export A=X\" > env.sh; . ./env.sh",
            "`. ./env.sh` runs a file",
        ),
        (
            "printf 'echo %s' \"X\" > j; chmod +x j; ./j",
            "`./j` runs a file",
        ),
        ("F=j; echo \"echo X\" > \"$F\"; bash \"$F\"", "`bash`"),
        (
            "echo \"echo X\" > a; cp a b; bash b",
            "`bash b` runs a file",
        ),
        (
            "exec 3>j; echo \"echo X\" >&3; bash j",
            "`bash j` runs a file",
        ),
        ("sed \"s|@V@|X|\" t > j; bash j", "`bash j` runs a file"),
        (
            "echo \"echo X\" > j; ssh h bash < j",
            "runs what it reads as code",
        ),
        (
            "echo \"X\" > f; c=$(cat f); eval \"echo $c\"",
            "`eval` parses an expansion again",
        ),
        (
            "echo \"X\" > f; eval \"echo $(< f)\"",
            "`eval` parses an expansion again",
        ),
        (
            "echo \"X\" > l; while read -r h; do ssh w \"echo $h\"; done < l",
            "`ssh HOST` parses",
        ),
        (
            "f() { echo \"X\"; }; c=$(f); eval \"echo $c\"",
            "`eval` parses an expansion again",
        ),
        (
            "export V=\"X\"; echo 'echo $V' | envsubst | sh",
            "runs what it reads as code",
        ),
        (
            "echo \"X\" > f; c=$(cat f); sudo $c",
            "runs a command named by an expansion",
        ),
        (
            "echo \"X\" > l; xargs -a l -I{} sh -c 'echo {}'",
            "runs what it reads as code",
        ),
        (
            "echo \"echo X\" > j; at now -f j",
            "`at now -f j` runs a file",
        ),
        (
            "{ echo \"echo X\"; } > j.sh; bash j.sh",
            "`bash j.sh` runs a file",
        ),
        (
            "log() { printf '%s\\n' \"$*\" >> j.sh; }; log \"echo X\"; bash j.sh",
            "`bash j.sh` runs a file",
        ),
        (
            "echo \"echo X\" > a; install -m 755 a /usr/local/bin/j; /usr/local/bin/j",
            "`/usr/local/bin/j` is a program",
        ),
        // Audit 28 H-8, H-9, H-11: files the next program reads as code or options.
        (
            "printf 'all:\\n\\techo %s\\n' \"X\" > Makefile; make",
            "is a program or a configuration",
        ),
        (
            "echo \"RUN echo X\" >> Dockerfile; docker build .",
            "is a program or a configuration",
        ),
        (
            "echo \"X\" >> requirements.txt; pip install -r requirements.txt",
            "is a program or a configuration",
        ),
        (
            "echo \"print('X')\" > j.py; python3 j.py",
            "`python3 j.py` runs a file",
        ),
        (
            "echo \"X\" > f; python3 -c 'import os; os.system(open(\"f\").read())'",
            "runs a shell from its code",
        ),
        (
            "echo \"echo X\" > j.sh; scp j.sh h:/tmp/; ssh h bash /tmp/j.sh",
            "`bash /tmp/j.sh` runs a file",
        ),
        (
            "echo \"echo X\" | ssh h 'cat > /tmp/j.sh'; ssh h 'bash /tmp/j.sh'",
            "`bash /tmp/j.sh` runs a file",
        ),
    ] {
        let plan = plan_x(script);
        assert!(
            matches!(plan.as_ref().map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}: {plan:?}"
        );
        assert!(
            left(script).is_some_and(|l| l.contains(sink)),
            "{script}: {:?}",
            left(script)
        );
    }
    // Written, but nothing parses text of unknown origin again (a literal string, a
    // variable the script never sets, the value's own variable, followed as before).
    for script in [
        "echo \"X\" > reason.txt; ssh w uptime",
        "echo \"X\" >> ops.log; ssh w \"sudo systemctl restart $SVC\"",
        "echo \"X\" > f; . /etc/os-release",
        "x=\"X\"; sh -c \"printf %s ${x@Q}\" > \"$OUT/f\"",
        "f() { echo \"X\"; }; f; eval \"$CMD\"",
        "echo \"X\" > n.txt; python3 report.py n.txt; sed -n 1p n.txt; awk 1 n.txt",
    ] {
        let plan = plan_x(script);
        assert!(
            matches!(plan.as_ref().map(|p| &p.left), Ok(None)),
            "{script}: {plan:?}"
        );
    }
}

#[test]
fn a_value_in_sed_or_awk_code_is_data_until_what_ends_it() {
    let end = |script: &str| plan_x(script).ok().and_then(|p| p.code_end.map(|(c, _)| c));
    assert_eq!(
        end("sed -i \"s/^v=.*/v=X/\" conf").as_deref(),
        Some("/\n\\")
    );
    assert_eq!(end("sed \"s|a|X|g\" f").as_deref(), Some("|\n\\"));
    assert_eq!(
        end("awk \"{ print \\\"X\\\" }\"").as_deref(),
        Some("\"\\\n")
    );
    assert!(matches!(
        plan_x("awk \"\\$1 == X\"").map(|p| p.slot),
        Ok(Slot::PlainWord(_))
    ));
    assert!(plan_x("sed \"X\" f").is_err());
    // (Audit 20: Python's string literals too.)
    assert_eq!(
        end("python3 -c 'print(\"X\")'").as_deref(),
        Some("\"\\\n\r{}")
    );
    // A SQL client's script on its input (an audit ran `\!` and `.shell` through a new
    // line), also on another host or in a container; `psql -c` runs no client command.
    for script in [
        "sudo -u postgres psql <<SQL\nselect 'X';\nSQL",
        "sudo -iu postgres psql <<SQL\nselect 'X';\nSQL",
        "timeout 30 psql <<SQL\nselect 'X';\nSQL",
        "env PGOPTIONS=-c psql <<SQL\nselect 'X';\nSQL",
        "docker compose exec -T db psql <<SQL\nselect 'X';\nSQL",
        "sudo sqlite3 app.db <<SQL\nselect 'X';\nSQL",
        "psql <<SQL\nselect 'X';\nSQL",
        "psql -f - <<< \"select 'X';\"",
        "sqlite3 app.db <<SQL\ninsert into n values ('X');\nSQL",
        "mysql <<SQL\nselect 'X';\nSQL",
        "ssh db-1 \"psql -U postgres\" <<SQL\nselect 'X';\nSQL",
        "kubectl exec -i db-0 -- psql -U postgres <<SQL\nselect 'X';\nSQL",
        "docker exec -i -u pg db psql <<SQL\nselect 'X';\nSQL",
    ] {
        // (And the quote of the SQL string it stands in: audit 21 HOLE-4.)
        assert_eq!(end(script).as_deref(), Some("\n\r\\`|'"), "{script}");
    }
    assert_eq!(end("psql -c \"select 'X'\"").as_deref(), Some("'\\\n\r"));
    assert_eq!(end("psql -c \"\\set n 'X'\"").as_deref(), Some("`|'\n\r\\"));
    // Copied into the document, it is the client's code too; a file that may be a
    // `|command`, and a program to run, are no place for free text.
    assert!(plain_word_or_refused(
        "x=\"X\"\npsql <<SQL\nselect '$x';\nSQL"
    ));
    for script in [
        "psql -o \"X\" -c 'select 1'",
        "strace -o \"X\" ls",
        "sqlite3 -cmd \".output X\" app.db",
        "sort --compress-program=\"X\" big",
        "mysql --pager \"X\"",
        "tcpdump -z \"X\" -w f",
    ] {
        assert!(plain_word_or_refused(script), "{script}");
    }
    assert_eq!(end("ssh db-1 cat <<EOF\nX\nEOF"), None);
}

#[test]
fn functions_reached_by_a_trap_a_variable_a_sourced_file_or_export_f() {
    let rs = "rs() { ssh web-1 \"sudo systemctl restart $1\"; }\n";
    for tail in [
        "f() { ssh web-1 \"restart ${!#}\"; }; f web-1 \"X\"",
        "f() { local last=${!#}; ssh web-1 \"restart $last\"; }; s=\"X\"; f web-1 \"$s\"",
        "trap 'rs \"X\"' EXIT",
        "s=\"X\"; trap 'rs \"$s\"' EXIT",
        "fn=rs; s=\"X\"; \"$fn\" \"$s\"",
        "fn=rs; \"$fn\" \"X\"",
        "s=\"X\"; for f in rs; do $f \"$s\"; done",
        "export -f rs; s=\"X\"; timeout 30 bash -c 'rs \"$0\"' \"$s\"",
        "export -f rs; s=\"X\"; bash -c 'rs \"$1\"' _ \"$s\"",
    ] {
        let script = format!("{rs}{tail}");
        assert!(
            plain_word_or_refused(&script),
            "{script}: {:?}",
            plan_x(&script)
        );
    }
    for script in [
        ". lib.sh; s=\"X\"; rs \"$s\"",
        "source <(cat lib.sh); s=\"X\"; rs \"$s\"",
        "source /dev/stdin <<'LIB'\nrs() { eval \"$1\"; }\nLIB\ns=\"X\"; rs \"$s\"",
        "as() { local u=$1; shift; \"$@\"; }; as root chroot / <<EOT\necho X\nEOT",
    ] {
        assert!(
            plain_word_or_refused(script) || read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // A function that does not parse its arguments again takes any value.
    let script = "log() { echo \"$(date) $*\"; }; s=\"X\"; trap 'log \"$s\"' EXIT";
    assert!(
        matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
        "{script}: {:?}",
        plan_x(script)
    );
}

#[test]
fn lines_read_where_options_are_read_are_plain_words() {
    for script in [
        "H=\"X\"; echo \"$H\" | while read -r h; do ssh -n \"$h\" uptime; done",
        "H=\"X\"; printf '%s\\n' \"$H\" | tr , '\\n' | while read -r h; do ssh -n \"$h\" uptime; done",
        "hosts=\"X\"; while read -r h; do ssh -n \"$h\" uptime; done < <(echo \"$hosts\")",
        "on_all() { while read -r h; do ssh -n \"$h\" uptime; done; }; on_all <<< \"X\"",
        "on_all() { while read -r h; do ssh -n \"$h\" uptime; done; }; echo \"X\" | on_all",
        "cat <<EOT | while read -r h; do ssh -n \"$h\" uptime; done\nX\nEOT",
        "echo \"X\" > hosts.txt; while read -r h; do ssh -n \"$h\" uptime; done < hosts.txt",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // A value that is not read where options are: any text.
    assert!(matches!(
        plan_x("H=\"X\"; echo \"$H\" | while read -r l; do echo \"line: $l\"; done")
            .map(|p| p.slot),
        Ok(Slot::Quoted(_))
    ));
}

#[test]
fn code_on_standard_input_and_other_spellings_of_a_shell() {
    for script in [
        "python3 - \"X\" <<'PY'\nimport subprocess, sys\nsubprocess.call(\"echo %s\" % sys.argv[1], shell=True)\nPY",
        "python3 /dev/stdin \"X\" <<'PY'\nimport os, sys\nos.popen(\"echo \" + sys.argv[1])\nPY",
        "perl - \"X\" <<'PL'\nopen(my $fh, \"echo $ARGV[0] |\");\nPL",
        "awk -f - <<'AWK' \"X\"\nBEGIN { system(\"echo \" ARGV[1]) }\nAWK",
        "echo 'puts [exec sh -c \"echo [lindex $argv 0]\"]' | tclsh /dev/stdin \"X\"",
        "python3 -c 'import subprocess as s,sys; s.Popen(\"echo \" + sys.argv[1], shell=1)' \"X\"",
        "python3 -c \"import subprocess,sys; subprocess.run('echo ' + sys.argv[1], **{'shell': True})\" \"X\"",
        "perl -e 'open(F, \"-|\", \"echo $ARGV[0]\"); print <F>' \"X\"",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in [
        "echo \"X\" | awk '{ c = \"echo \" $0; print \"\" | c }'",
        "echo \"X\" | sed \"s/x/y/e\"",
        "echo \"X\" | sed -e 's/^/echo /e'",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    // Code that runs no shell, and sed and awk that run nothing.
    for script in [
        "python3 - \"X\" <<'PY'\nimport sys\nprint(\"shell: \" + sys.argv[1])\nPY",
        "python3 -c 'import subprocess,sys; subprocess.run([\"echo\", sys.argv[1]], shell=False)' \"X\"",
        "echo \"X\" | awk '/error|warn/ { print }'",
        "echo \"X\" | awk '{ print $1 | \"sort\" }'",
        "echo \"X\" | sed 's/e/E/g'",
        "echo \"X\" | sed -e '/^#/d' -e 's/ *$//'",
    ] {
        assert!(
            matches!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::Quoted(_) | Slot::NoOption(_))
            ),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// What a `for`, `while`, `if` or `case` compound prints goes down the pipe after its
/// closer, as a group's does (an audit ran `for h in …; do echo "… {{ v }}"; done | ssh h sh`).
#[test]
fn a_compound_piped_into_a_shell_runs_what_it_prints() {
    for script in [
        "for h in web-1 web-2; do echo \"echo restart X on $h\"; done | ssh web-1 sh",
        "for ((i = 0; i < 2; i++)); do echo \"echo X\"; done | sh",
        "while true; do echo \"echo X\"; break; done | bash",
        "if true; then echo \"echo X\"; fi | ssh web-1 sh",
        "case a in a) echo \"echo X\" ;; esac | sh",
        "p=\"X\"\nfor i in 1; do echo \"echo kill $p\"; done | ssh web-1 sh",
        "for a in 1; do for b in 2; do echo \"echo X\"; done; done | sh",
    ] {
        assert!(
            read_again_or_refused(script) || plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // Not piped, or piped into what only reads it: data.
    for script in [
        "for h in web-1; do echo \"restart X on $h\"; done > /tmp/out",
        "for h in web-1; do echo \"X\"; done | grep -c .",
    ] {
        assert!(
            plan_x(script).is_ok_and(|p| p.layers.is_empty()),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// A copy (or a line read) at the start of a program's operand, before `--`: no leading
/// `-` (an audit's `pod="{{ v }}"; kubectl delete pod "$pod"` took `--all`).
#[test]
fn a_copy_at_the_start_of_an_operand_is_no_option() {
    for script in [
        "pod=\"X\"; kubectl delete pod \"$pod\"",
        "pid=\"X\"; sudo kill \"$pid\"",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::NoOption(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(matches!(
        plan_x("while read -r p; do kubectl delete pod \"$p\"; done <<< \"X\"").map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    // After `--`, or inside a word: data.
    for script in [
        "pod=\"X\"; kubectl delete pod -- \"$pod\"",
        "msg=\"X\"; logger \"deploy: $msg\"",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// Remote runners an audit found the value pasted raw into: Salt's `cmd.run`, `pyinfra
/// exec`, `kamal app exec`, `minikube ssh`, `cf ssh -c`, `az vm run-command invoke
/// --scripts`; a command in JSON for a remote agent is one plain word.
#[test]
fn more_remote_runners_parse_their_command_again() {
    for script in [
        "salt '*' cmd.run \"systemctl restart X\"",
        "salt-call cmd.shell \"echo X\"",
        "salt-ssh web-1 cmd.run_all \"echo X\"",
        "pyinfra web-1 exec -- echo X",
        "kamal app exec echo X",
        "minikube ssh -- echo X",
        "cf ssh app -c \"echo X\"",
        "az vm run-command invoke -g rg -n vm --command-id RunShellScript --scripts \"echo X\"",
    ] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in [
        "aws ssm send-command --document-name AWS-RunShellScript --parameters \"commands=echo X\"",
        "aws ecs execute-command --cluster c --task t --interactive --command \"echo X\"",
        "az vm extension set -n CustomScript --settings '{\"commandToExecute\": \"echo X\"}'",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// `… | xargs ssh -n h kill`: xargs gives the remote command the input's words, each of
/// which must then be a plain word (an audit found an RB031 error for every value); with
/// `-0` or `-d`, an item may hold a new line: refused.
#[test]
fn words_xargs_appends_to_an_ssh_command_are_plain_words() {
    for script in [
        "echo \"X\" | xargs -r ssh -n h kill",
        "echo \"X\" | xargs -r -n1 ssh -n h kill",
        "echo \"X\" | xargs -L1 -I{} ssh h \"kill {}\"",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in [
        "printf '%s\\0' \"X\" | xargs -0 ssh -n h kill",
        "echo \"X\" | xargs -d , ssh -n h kill",
        "echo \"X\" | xargs eval",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    // A copy printed into it: one plain word (the words were not followed there).
    assert!(plain_word_or_refused(
        "x=\"X\"\necho \"$x\" | xargs -r ssh -n h kill"
    ));
}

/// Audit 20 HOLE-4: a here-string a shell reads as its script through a descriptor.
#[test]
fn a_here_string_read_as_a_script_through_a_descriptor_is_refused() {
    for script in [
        "sh 3<<<\"echo X\" /dev/fd/3",
        "bash /dev/fd/3 3<<<\"echo X\"",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
}

/// Audit 20 HOLE-5: a copy expanded where any value is refused (`ssh -o "$o"`, an options
/// array of ssh or git, an `exec` here-string), also inside an inner shell's script.
#[test]
fn a_copy_expanded_where_any_value_is_refused_is_refused() {
    for script in [
        "o=\"X\"; ssh -o \"$o\" web-1 uptime",
        "K=\"X\"; o=\"ProxyCommand=nc $K 22\"; ssh -o \"$o\" web-1 uptime",
        "opts=(-o \"ProxyCommand=nc X 22\"); ssh \"${opts[@]}\" web-1 uptime",
        "K=\"X\"; set -- -o \"ProxyCommand=nc $K 22\"; ssh \"$@\" web-1 uptime",
        "K=\"X\"; args=(-c \"core.sshCommand=ssh -i $K\"); git \"${args[@]}\" ls-remote r",
        "S=\"X\"; bash -c 'o=(-o \"ProxyCommand=$1\"); ssh \"${o[@]}\" web-1 uptime' _ \"$S\"",
        "S=\"X\"; bash -c 'exec 3<<<\"$1\"; sh <&3' _ \"$S\"",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    for script in [
        "h=\"X\"; ssh -n \"$h\" uptime",
        "T=\"X\"; ssh -o \"ConnectTimeout=$T\" web-1 uptime",
    ] {
        assert!(plan_x(script).is_ok(), "{script}: {:?}", plan_x(script));
    }
}

/// Audit 20 HOLE-2: `busybox APPLET` runs the applet.
#[test]
fn busybox_runs_its_applet() {
    for script in ["echo \"echo X\" | busybox sh", "busybox sh -c \"echo X\""] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    let script = "S=\"X\"; echo \"echo $S\" | busybox sh";
    assert!(
        plain_word_or_refused(script),
        "{script}: {:?}",
        plan_x(script)
    );
}

/// Audit 20 FR-1: curl's body and headers are sent as given: a JSON payload built by jq from
/// a value and given to `curl -d` is data, whatever the value holds.
#[test]
fn a_body_built_by_jq_and_sent_by_curl_is_data() {
    for script in [
        "payload=$(jq -n --arg m \"X\" '{text: $m}'); curl -fsS -d \"$payload\" https://h/x",
        "curl -fsS -H \"X-Reason: X\" --data-raw \"X\" https://h/x",
    ] {
        assert!(plan_x(script).is_ok(), "{script}: {:?}", plan_x(script));
    }
}

/// Audit 20 FR-2: a commit or tag message, a `gh` body, is text even when it starts with `-`.
#[test]
fn a_message_is_no_option() {
    for script in [
        "git commit -m \"X\"",
        "git tag -a v1 -m \"X\"",
        "gh pr create --title \"X\" --body \"X\"",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // (`git checkout -m "X"`: a flag there; the value is the branch, an operand.)
    assert!(matches!(
        plan_x("git checkout -m \"X\"").map(|p| p.slot),
        Ok(Slot::NoOption(_))
    ));
}

/// Audit 20 HOLE-2: what a program behind a wrapper prints of the environment into a shell
/// (`busybox awk … ENVIRON["V"] | sh`) is the environment's value, as without the wrapper.
#[test]
fn the_environment_printed_behind_a_wrapper_is_followed() {
    for script in [
        "busybox awk 'BEGIN{print \"echo \" ENVIRON[\"V\"]}' | sh",
        "timeout 5 printenv V | sh",
    ] {
        assert!(reparsed_refs(script).contains("V"), "{script}");
    }
}

/// Audit 20 HOLE-5 (ar cases): words kept in an array or a variable and spread into a
/// command (`tar "${o[@]}"`, `find . "${args[@]}"`, `su "${c[@]}"`) are read where they are
/// spread; the option quoted whole (`"--checkpoint-action=exec=echo $K"`) too.
#[test]
fn words_spread_from_a_variable_are_read_in_their_command() {
    for script in [
        "K=\"X\"; args=(-maxdepth 0 -exec sh -c \"echo $K\" \\;); find . \"${args[@]}\"",
        "K=\"X\"; c=(-c \"echo $K\"); su \"${c[@]}\" root",
        "o=(--checkpoint=1 \"--checkpoint-action=exec=echo X\"); tar -cf a.tar \"${o[@]}\" f",
    ] {
        assert!(
            plain_word_or_refused(script) || read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // Options kept for a program that only reads them as data stay data (an operand of
    // rsync, whose `-e` runs a command, may not start with `-`).
    for script in [
        "K=\"X\"; o=(-avz --exclude \"$K\"); rsync \"${o[@]}\" a/ b/",
        "K=\"X\"; o=(-czf); tar \"${o[@]}\" \"$K.tgz\" f",
    ] {
        assert!(
            matches!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::Quoted(_) | Slot::NoOption(_))
            ),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// Audit 21 FR-2: a literal options array before a templated host still runs.
#[test]
fn a_literal_options_array_before_a_host_is_no_refusal() {
    for script in [
        "SSH_OPTS=(-o ConnectTimeout=5); ssh \"${SSH_OPTS[@]}\" \"X\" journalctl -n 50",
        "SSH_OPTS=(-o ConnectTimeout=5)\n[ -n \"$DEBUG\" ] && SSH_OPTS+=(-v)\nssh \"${SSH_OPTS[@]}\" \"X\" uptime",
    ] {
        // (The host, in no string another shell parses: audit 22 FR-3.)
        assert!(
            plan_x(script).is_ok_and(|p| p.layers.is_empty()),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// Audit 20 HOLE-6: a file written from its input on the other side (`ssh h "cat > f.sh"`,
/// `kubectl exec -i … -- tee f.sh`) and run there is a script.
#[test]
fn a_file_written_on_the_other_side_and_run_there_is_a_script() {
    for script in [
        "S=\"X\"; ssh web-1 \"cat > /tmp/f.sh\" <<< \"echo $S\"; ssh web-1 sh /tmp/f.sh",
        "S=\"X\"; ssh web-1 'cat > f.sh' <<< \"echo $S\"; ssh web-1 'bash f.sh'",
        "S=\"X\"; kubectl exec -i api-1 -- tee f.sh <<< \"echo $S\" >/dev/null; kubectl exec api-1 -- sh f.sh",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // (Written there and never run: data.)
    let script = "S=\"X\"; ssh web-1 \"cat > notes.txt\" <<< \"$S\"";
    assert!(!plain_word_or_refused(script), "{script}");
    // (The value itself in the document: quoted for the shell that runs the file.)
    for script in [
        "ssh web-1 'cat > f.sh' <<R\necho X\nR\nssh web-1 sh f.sh",
        "ssh h 'cat > /tmp/j.sh' <<EOF\necho X\nEOF\nssh h 'sh /tmp/j.sh'",
    ] {
        assert_eq!(
            constructs(script),
            [if script.contains("j.sh") {
                "/tmp/j.sh (written on the other side, then run)"
            } else {
                "f.sh (written on the other side, then run)"
            }],
            "{script}"
        );
    }
}

/// Audit 20 OPT-2: quoted by `${S@Q}` or `printf %q` for another shell, a value is still a
/// word of the command there, which reads options.
#[test]
fn a_value_quoted_for_another_shell_is_no_option_there() {
    for script in [
        "S=\"X\"; ssh -n web-1 systemctl restart \"${S@Q}\"",
        "S=\"X\"; ssh -n web-1 \"sudo systemctl restart $(printf %q \"$S\")\"",
    ] {
        assert!(
            matches!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::NoOption(_)) | Err(_)
            ),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// Audit 21 HOLE-1, HOLE-5: an array built piece by piece (`a[1]=…`, `+=`, `readarray`,
/// `printf -v 'a[1]'`, a function's `"$@"`) and spread where its words may form a script or
/// reach options.
#[test]
fn arrays_built_piece_by_piece_and_spread_into_a_shell_are_followed() {
    for script in [
        "K=\"X\"; declare -a a; a[0]=-c; a[1]=\"echo $K\"; bash \"${a[@]}\"",
        "f() { local -a o=(\"$@\"); sh \"${o[@]}\"; }; K=\"X\"; f -c \"echo $K\"",
        "K=\"X\"; readarray -t a <<< \"-c\"; a+=(\"echo $K\"); sh \"${a[@]}\"",
        "K=\"X\"; printf -v 'a[1]' '%s' \"echo $K\"; a[0]=-c; sh \"${a[@]}\"",
        "K=\"X\"; printf -v 'c[0]' '%s' \"echo $K\"; eval \"${c[0]}\"",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    let script = "S=\"X\"; printf -v 'a[0]' '%s' \"$S\"; ssh -n \"${a[@]}\" uptime";
    assert!(
        matches!(
            plan_x(script).map(|p| p.slot),
            Ok(Slot::NoOption(_) | Slot::PlainWord(_)) | Err(_)
        ),
        "{script}: {:?}",
        plan_x(script)
    );
}

/// Audit 21 HOLE-2, HOLE-3, HOLE-4: sqlite3's dot-commands, an ed script's `!`, Tcl's
/// `[…]`, a SQL string literal; in arguments, here-documents and what `echo` pipes to them;
/// a copy there is one plain word.
#[test]
fn code_of_sql_ed_and_tcl_holds_a_value_as_data_or_refuses_it() {
    for script in [
        "sqlite3 :memory: \".shell echo X\"",
        "printf '%s\\n' \"!echo X\" q | ed -s",
        "ed -s f.txt <<E\n!echo X\nq\nE",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    for (script, ends) in [
        ("sqlite3 db \"select 'X';\"", "'"),
        ("echo \"print('X')\" | python3", "'"),
        ("python3 <<P\nprint('X')\nP", "'"),
        ("echo \"puts \\\"X\\\"\" | tclsh", "["),
    ] {
        let plan = plan_x(script);
        assert!(
            plan.as_ref()
                .is_ok_and(|p| p.code_end.as_ref().is_some_and(|(c, _)| c.contains(ends))),
            "{script}: {plan:?}"
        );
    }
    for script in [
        "K=\"X\"; sqlite3 db \"select '$K';\"",
        "K=\"X\"; echo \".shell echo $K\" | sqlite3",
        "S=\"X\"; echo \"print('$S')\" | python3",
        "S=\"X\"\npython3 <<P\nprint('$S')\nP",
        "K=\"X\"\ntclsh <<T\nexec sh -c {echo $K} >@ stdout\nT",
        "K=\"X\"; echo \"!echo $K\" > e.txt; ed -s < e.txt",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
}

/// Audit 22: what a program reads as a directive at a word's start (vim's `+cmd`, find's
/// `!`), or as an assignment when the word holds `=` (make's operands, env's words).
#[test]
fn directives_and_assignments_where_a_value_starts_a_word_are_refused() {
    let refused = |script: &str, value: &str| {
        plan_x(script).map_or(true, |p| p.refusal(value, None).is_some())
    };
    for (script, value) in [
        ("vim -Es -n \"X\" -c 'q!'", "+!touch x"),
        ("find \"X\" -name '*.log' -delete", "!"),
        ("find \"X\" -name '*.log' -delete", "("),
        ("make -s \"X\"", "X:=$(shell touch x)"),
        ("make -s deploy \"X\"", "SHELL=/tmp/x"),
        ("flock /tmp/lk make -s \"X\"", "SHELL=/tmp/x"),
        ("chroot / make -s \"X\"", "SHELL=/tmp/x"),
        ("env -u FOO \"X\" bash -c true", "BASH_ENV=/tmp/x"),
        ("env -C / \"X\" bash -c true", "BASH_ENV=/tmp/x"),
        ("T=\"X\"; make -s -C . \"$T\"", "SHELL=/tmp/x"),
        ("E=\"X\"; env \"$E\" bash -c true", "BASH_ENV=/tmp/x"),
    ] {
        assert!(refused(script, value), "{script} with {value:?}");
    }
    for (script, value) in [
        ("vim -Es -n \"X\" -c 'q!'", "notes.txt"),
        ("find \"X\" -name '*.log' -delete", "/var/log"),
        ("make -s \"X\"", "deploy"),
        ("make -s deploy VERSION=\"X\"", "1.2.3"),
        ("T=\"X\"; make -s -C . \"$T\"", "deploy"),
    ] {
        assert!(!refused(script, value), "{script} with {value:?}");
    }
    assert!(refused("env \"X\" bash -c true", "BASH_ENV=/tmp/x"));
    assert!(!refused("env \"X\" bash -c true", "nginx"));
}
