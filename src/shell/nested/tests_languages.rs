//! `names_and_other_languages`: a test of [`plan`] as a whole, on its own for its length.

use super::tests::{constructs, plain_word_or_refused, plan_x, read_again_or_refused};
use super::*;

#[test]
fn names_and_other_languages() {
    assert_eq!(
        plan_x("sudo -i systemctl restart X").unwrap().slot,
        Slot::SudoShell(Quoting::Bare)
    );
    for script in [
        "read X",
        "read -r -a X",
        "printf -v X %s 1",
        "declare X=1",
        "export \"X=1\"",
        "unset X",
        "mapfile -t X < f",
        "for X in a b; do :; done",
        "[ -v X ]",
        "getopts ab X",
    ] {
        assert_eq!(plan_x(script).unwrap().slot, Slot::Name, "{script}");
    }
    for script in [
        "[ -v \"seen[X]\" ]",
        "test -v 'seen[X]'",
        "a=([X]=1)",
        "declare -a \"hosts=([X]=1)\"",
        "cat <<EOF\n$(( X + 1 ))\nEOF",
        "cat <<EOF\n${a[X]}\nEOF",
    ] {
        assert_eq!(
            plan_x(script).unwrap().slot,
            Slot::Quoted(Quoting::Arithmetic),
            "{script}"
        );
    }
    assert_eq!(constructs("declare -a \"hosts=(X)\""), ["declare"]);
    assert_eq!(
        plan_x("declare x=X").unwrap().slot,
        Slot::Quoted(Quoting::Bare)
    );
    for script in [
        "psql -c \"select X\"",
        "ssh h psql -c \"'select X'\"",
        "python3 -c 'print(X)'",
        "awk '{print X}' f",
        "jq '.X' f",
        "redis-cli EVAL 'return X' 0",
        "perl -ne 'print if /X/' f",
        "ruby -lpe 'X' f",
        "sed 's/a/X/' f",
        "sed -n -e 's/a/X/p' f",
        "lua -e 'print(X)'",
        "php -r 'echo X;'",
        // Scripts on standard input in another language.
        "psql <<SQL\nselect 'X';\nSQL",
        "python3 - <<EOF\nprint('X')\nEOF",
        "python3 <<< 'print(X)'",
        "tclsh <<EOF\nputs X\nEOF",
        "redis-cli <<EOF\nGET X\nEOF",
        "awk -f - f <<EOF\n{print X}\nEOF",
        "mysql db <<EOF\nselect X\nEOF",
        // SQL from `-f -`; editor commands (ed's `!` runs a shell), sed's script.
        "psql -f - <<SQL\nselect 'X';\nSQL",
        "psql --file=/dev/stdin db <<SQL\nselect 'X';\nSQL",
        "ed -s f <<EOF\na\nX\n.\nw\nq\nEOF",
        "ex f <<EOF\n%s/a/X/\nwq\nEOF",
        "vim -es f <<EOF\n%s/a/X/\nwq\nEOF",
        "sed -f - f <<EOF\ns/a/X/\nEOF",
    ] {
        assert!(plan_x(script).unwrap().foreign.is_some(), "{script}");
    }
    for script in [
        "sed -e 's/a/b/' X",
        "perl -ne 'print' X",
        "sed -f prog.sed X",
        "psql -f q.sql <<EOF\nX\nEOF",
        "vim --not-a-tty f <<EOF\nX\nEOF",
        "sed -f prog.sed f <<EOF\nX\nEOF",
        "python3 tool.py <<EOF\nX\nEOF",
        "awk '{print}' <<EOF\nX\nEOF",
    ] {
        assert_eq!(plan_x(script).unwrap().foreign, None, "{script}");
    }
    // A makefile on standard input: make expands the recipes, a shell runs them.
    for script in [
        "make -f - <<EOF\nall:\n\techo X\nEOF",
        "gmake --file=- all <<'EOF'\nall:\n\techo X\nEOF",
        "make -f /dev/stdin <<< 'all: ; echo X'",
    ] {
        let refused = plan_x(script).expect_err(script);
        assert!(refused.why.contains("makefile"), "{script}: {refused:?}");
    }
    // autossh takes ssh's options and `-M PORT`.
    assert_eq!(constructs("autossh -M 0 -f h \"echo X\""), ["ssh HOST"]);
    // What a command substitution prints is split into a command's words.
    for script in [
        "$(printf %s \"X\") --now",
        "`printf %s \"X\"`",
        "ssh $(echo \"X\") uptime",
        "sudo $(printf %s \"X\")",
    ] {
        assert_eq!(
            plan_x(script).unwrap().slot,
            Slot::PlainWord(Quoting::Double),
            "{script}"
        );
    }
    for script in ["echo $(printf %s \"X\")", "\"$(printf %s \"X\")\" --now"] {
        assert_eq!(
            plan_x(script).unwrap().slot,
            Slot::Quoted(Quoting::Double),
            "{script}"
        );
    }
    for script in [
        // The inner script runs its positional parameter as a command, or copies it
        // with `printf -v` into a string it runs again.
        "sh -c '$1' _ \"X\"",
        "bash -c 'ssh $1 uptime' _ \"X\"",
        "f(){ printf -v c '%s' \"$1\"; eval \"$c\"; }; f \"X\"",
        // The key of an associative array where bash expands it again.
        "declare -A seen; [[ -v seen[\"X\"] ]]",
        "declare -A seen; test -v \"seen[X]\"",
        "typeset -A seen; read -r \"seen[X]\" <<< 1",
        "f() { local -gA seen; }; f; read -r \"seen[X]\" <<< 1",
        "f() {\n  local -A seen\n  read -r \"seen[X]\" <<< 1\n}",
    ] {
        assert_eq!(
            plan_x(script).unwrap().slot,
            Slot::PlainWord(Quoting::Double),
            "{script}"
        );
    }
    // Code of another language that runs a shell with what it reads: its input, or the
    // environment a value was given in.
    let awk_system = "'BEGIN { system(\"systemctl is-active \" ENVIRON[\"SVC\"]) }'";
    assert!(matches!(
        plan_x(&format!("SVC=\"X\" awk {awk_system}")).map(|p| p.slot),
        Ok(Slot::PlainWord(_))
    ));
    assert!(matches!(
        plan_x(&format!("export SVC=\"X\"\nawk {awk_system}")).map(|p| p.slot),
        Ok(Slot::PlainWord(_))
    ));
    for script in [
        "printf '%s\\n' \"X\" | awk '{ system(\"echo checking \" $0) }'",
        "awk '{ system(\"echo \" $0) }' <<< \"X\"",
        "echo \"X\" | python3 -c 'import subprocess,sys; subprocess.run(sys.stdin.read(), shell=True)'",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    // An argument of a command that may be a function of a sourced file.
    let sourced = ". /opt/ops/lib.sh\non_host web-1 systemctl status \"X\"";
    assert!(matches!(
        plan_x(sourced).map(|p| p.slot),
        Ok(Slot::PlainWord(_))
    ));
    for script in [
        ". /opt/ops/lib.sh\nsystemctl status \"X\"",
        "on_host() { ssh \"$1\" uptime; }\n. ./lib.sh\necho \"X\"",
        "on_host web-1 systemctl status \"X\"",
    ] {
        assert!(
            !matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}"
        );
    }
    // Ansible renders module arguments and extra variables as Jinja templates.
    for script in [
        "ansible web -m shell -a \"systemctl restart X\"",
        "ansible-playbook site.yml -e \"version=X\"",
        "ansible-playbook site.yml --extra-vars \"X\"",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // A line given to `crontab -` is run by cron with `sh`.
    for script in [
        "(crontab -l 2>/dev/null; echo \"0 3 * * * /usr/local/bin/backup --db X\") | crontab -",
        "crontab - <<EOF\n0 3 * * * backup X\nEOF",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    assert!(plan_x("crontab -l | grep X").is_ok());
    // expect's `send` types into the program it spawned, a shell.
    assert!(matches!(
        plan_x("SVC=\"X\" expect -c 'spawn ssh h; send \"systemctl status $env(SVC)\\r\"'")
            .map(|p| p.slot),
        Ok(Slot::PlainWord(_))
    ));
    // Where the code runs no shell, the value is data (awk's ENVIRON is no bash array).
    assert_eq!(
        plan_x("SVC=\"X\" awk 'BEGIN { print ENVIRON[\"SVC\"] }'").map(|p| p.slot),
        Ok(Slot::Quoted(Quoting::Double))
    );
    assert!(plan_x("printf '%s\\n' \"X\" | awk '{ print $1 }'").is_ok());
    // Copies into an array's element (`printf -v 'a[k]'`, `read 'a[0]'`) and into an
    // array read from a process substitution reach what the array reaches.
    for script in [
        "declare -A svc\nprintf -v 'svc[name]' '%s' \"X\"\nssh host \"echo '${svc[name]}'\"",
        "read -r 'hosts[0]' <<< \"X\"\neval \"echo checking '${hosts[0]}'\"",
        // Ninth audit: copies through the variables bash fills by itself.
        "read -r <<< \"X\"; ssh h \"systemctl status $REPLY\"",
        "read <<< \"X\"; sh -c \"echo $REPLY\"",
        "mapfile <<< \"X\"; sh -c \"echo ${MAPFILE[0]}\"",
        "readarray -t <<< \"X\"; ssh h \"echo ${MAPFILE[*]}\"",
        "[[ \"X\" =~ (.*) ]] && sh -c \"echo ${BASH_REMATCH[1]}\"",
        "echo \"X\" > /dev/null; sh -c \"echo $_\"",
        "cd \"/srv/X\"; ssh h \"ls $PWD\"",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // Lines read one by one, each standing alone: one plain word each, also `mapfile -t`'s
    // elements walked one by one (audit 18); joined by `${a[*]}` again, one plain word in
    // all (an audit ran a second line through `IFS=$'\n'`).
    assert!(matches!(
        plan_x("while read -r s; do eval \"echo $s\"; done < <(echo \"X\")").map(|p| p.slot),
        Ok(Slot::PlainLines(_))
    ));
    assert!(matches!(
        plan_x(
            "mapfile -t svcs < <(printf '%s\\n' \"X\")\nfor s in \"${svcs[@]}\"; do ssh host \"echo '$s'\"; done"
        )
        .map(|p| p.slot),
        Ok(Slot::PlainLines(_))
    ));
    for joined in [
        "mapfile -t svcs < <(printf '%s\\n' \"X\")\nssh host \"echo ${svcs[*]}\"",
        "mapfile -t svcs < <(printf '%s\\n' \"X\")\nIFS=,\nfor s in \"${svcs[@]}\"; do ssh host \"echo '$s'\"; done",
        "mapfile -t svcs < <(printf '%s\\n' \"X\")\nfor s in \"${svcs[@]}\"; do ssh host \"echo '$s' ${svcs[0]}\"; done",
    ] {
        assert!(
            plain_word_or_refused(joined),
            "{joined}: {:?}",
            plan_x(joined)
        );
    }
    // A value copied into a variable that is then given to a function of the script
    // which parses its parameters again, or puts them where options are read (tenth
    // audit: `svc="{{ v }}"; restart "$svc"` with `restart() { ssh h "… $1"; }`).
    for script in [
        "restart() { ssh web-1 \"sudo systemctl restart $1\"; }\nsvc=\"X\"\nrestart \"$svc\"",
        "ev() { eval \"echo $1\"; }\nv=\"X\"\nev \"$v\"",
        "remote() { ssh web-1 \"$@\"; }\nc=\"X\"\nremote \"$c\"",
        "kx() { kubectl exec p -- sh -c \"$2\"; }\nc=\"X\"\nkx p \"$c\"",
        "inc() { echo $(( $1 + 1 )); }\nn=\"X\"\ninc \"$n\"",
        "remote() {\n  local host=$1\n  shift\n  ssh \"$host\" \"sudo systemctl restart $1\"\n}\nsvc=\"X\"\nremote web-1 \"$svc\"",
    ] {
        assert!(
            matches!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::PlainWord(_)) | Ok(Slot::NoSubscript(_)) | Err(_)
            ),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(
        !matches!(
            plan_x("on_host() { ssh \"$1\" uptime; }\nh=\"X\"\non_host \"$h\"").map(|p| p.slot),
            Ok(Slot::Quoted(_))
        ),
        "{:?}",
        plan_x("on_host() { ssh \"$1\" uptime; }\nh=\"X\"\non_host \"$h\"")
    );
    assert!(matches!(
        plan_x("mapfile -t hs < <(printf \"%s\\n\" \"X\"); for h in \"${hs[@]}\"; do ssh -n \"$h\" uptime; done")
            .map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    // Read line by line into a variable where options are read: plain words; a loop
    // whose `ssh -n` reads no input gives the here-string to `read` alone.
    for script in [
        "echo \"X\" | while read -r h; do ssh -n \"$h\" uptime; done",
        "printf '%s\\n' \"X\" | tr , '\\n' | while read -r h; do ssh -n \"$h\" uptime; done",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWords(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(matches!(
        plan_x("while read -r h; do ssh -n \"$h\" uptime; done <<< \"X\"").map(|p| p.layers.len()),
        Ok(0)
    ));
    // ssh with a command gives its input to that command (data); with none, to the
    // remote shell (code).
    assert!(matches!(
        plan_x("while read -r h; do ssh \"$h\" uptime; done <<< \"X\"").map(|p| p.layers.len()),
        Ok(0)
    ));
    assert!(matches!(
        plan_x("while read -r h; do ssh \"$h\"; done <<< \"X\"").map(|p| p.layers.len()),
        Ok(1) | Err(_)
    ));
    assert!(matches!(
        plan_x("f() { local s=$(cat); ssh web-1 \"logger \\\"$s\\\"\"; }\nf <<< \"X\"")
            .map(|p| p.layers.len()),
        Ok(0)
    ));
    // A function that only prints its parameters takes any value.
    assert_eq!(
        plan_x("log() { echo \"$(date) $*\" >&2; }\nm=\"X\"\nlog \"$m\"").map(|p| p.slot),
        Ok(Slot::Quoted(Quoting::Double))
    );
    // A value that comes through the environment reaches `BASH_REMATCH` too, in a script
    // with no loop, `read` or option (the implicit variables are always looked for).
    for script in [
        "[[ $V =~ (.*) ]] && ssh h \"echo ${BASH_REMATCH[1]}\"",
        "[[ \"$V\" =~ ^([a-z]+)$ ]]\neval \"echo ${BASH_REMATCH[0]}\"",
    ] {
        assert!(reparsed_refs(script).contains("V"), "{script}");
    }
    // An array declared associative only in a function's scope, or after the use, is
    // an indexed array there: its subscript is arithmetic.
    for script in [
        "reset() { local -A seen=(); }\nseen[\"X\"]=1",
        "f() { declare -A seen; }\nseen[\"X\"]=1",
        "seen[\"X\"]=1; declare -A seen",
        "local -A seen; read -r \"seen[X]\" <<< 1",
    ] {
        assert!(
            matches!(
                plan_x(script).map(|p| p.slot),
                Ok(Slot::Quoted(Quoting::Arithmetic)) | Ok(Slot::NoSubscript(_)) | Err(_)
            ),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // `${x@Q}` and `printf %q` write a control character as `$'…'`, which only bash,
    // zsh and ksh read: for `sh -c`, `ssh` and the like the value must have none.
    for (script, control_free) in [
        ("x=\"X\"; sh -c \"printf %s ${x@Q}\"", true),
        ("x=\"X\"; dash -c \"printf %s ${x@Q}\"", true),
        ("x=\"X\"; ssh h \"echo ${x@Q}\"", true),
        ("x=\"X\"; y=$x; ssh h \"echo ${y@Q}\"", true),
        ("sh -c \"printf %s $(printf %q \"X\")\"", true),
        ("ssh h \"echo $(printf %q \"X\")\"", true),
        ("x=\"X\"; bash -c \"printf %s ${x@Q}\"", false),
        ("x=\"X\"; eval \"printf %s ${x@Q}\"", false),
        ("bash -c \"printf %s $(printf %q \"X\")\"", false),
        ("x=\"X\"; echo \"${x@Q}\"", false),
    ] {
        assert_eq!(
            plan_x(script).unwrap().control_free,
            control_free,
            "{script}"
        );
    }
    // `${x@Q}` quotes for the next shell only where it stands bare there.
    for script in [
        "x=\"X\"; sh -c \"printf %s \\\"${x@Q}\\\" > out\"",
        "x=\"X\"; eval \"printf %s '${x@Q}' > out\"",
        "x=\"X\"; bash -c \"sh -c 'printf %s ${x@Q}'\"",
    ] {
        assert_eq!(
            plan_x(script).map(|p| p.slot),
            Ok(Slot::PlainWord(Quoting::Double)),
            "{script}"
        );
    }
    // (Quoted for it, a word of its command, which may read options: audit 20 OPT-2.)
    assert_eq!(
        plan_x("x=\"X\"; sh -c \"printf %s ${x@Q}\"").map(|p| p.slot),
        Ok(Slot::NoOption(Quoting::Double))
    );
    assert!(plan_x("shopt -s expand_aliases; alias ev=eval; ev \"echo X\"").is_err());
    // Code that hands its arguments to a shell.
    for script in [
        "python3 -c 'import subprocess,sys; subprocess.run(sys.argv[1], shell=True)' \"X\"",
        "perl -e 'system($ARGV[0])' \"X\"",
        "awk -v x=\"X\" 'BEGIN{system(\"echo \" x)}'",
    ] {
        assert_eq!(
            plan_x(script).unwrap().foreign.map(|f| f.language),
            Some(SHELLED.language),
            "{script}"
        );
    }
    for script in [
        "python3 -c 'import sys; print(sys.argv[1])' \"X\"",
        "awk -v x=\"X\" 'BEGIN{print x}'",
    ] {
        assert_eq!(plan_x(script).unwrap().foreign, None, "{script}");
    }
    // A function that runs its arguments, given a program that starts a shell; a pipe
    // into a program runbook does not know that names a shell.
    for script in [
        "runit() { \"$@\"; }\nrunit chroot /srv/root <<EOF\nsystemctl restart X\nEOF",
        "in_root() { chroot / \"$@\"; }\nin_root <<EOF\nsystemctl restart X\nEOF",
        "printf '%s\\n' \"systemctl restart X\" | unbuffer -p sh",
    ] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(plan_x("printf '%s\\n' \"X\" | grep -c sh").is_ok());
    // A here-document copied to a file that the script then runs; a shell reading a
    // descriptor opened on a file the value was written to.
    for script in [
        "install -m 755 /dev/stdin job.sh <<EOF\nsystemctl restart X\nEOF\n./job.sh",
        "cp /dev/stdin job.sh <<EOF\nsystemctl restart X\nEOF\nbash job.sh",
        "dd of=job.sh <<EOF\nsystemctl restart X\nEOF\nsh job.sh",
    ] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(plain_word_or_refused(
        "echo \"X\" > job.sh\nexec 4< job.sh\nsh <&4"
    ));
    // (A descriptor that is standard input already, and a file only read, stay data.)
    assert!(plan_x("install -m 644 /dev/stdin motd <<EOF\nX\nEOF\ncat motd").is_ok());
    // There, and spliced into such code, the value may reach the shell: one plain word
    // (a warning alone would let `$(reboot)` run).
    for script in [
        "python3 -c 'import subprocess,sys; subprocess.run(sys.argv[1], shell=True)' \"X\"",
        "perl -e 'system($ARGV[0])' \"X\"",
        "awk -v x=\"X\" 'BEGIN{system(\"echo \" x)}'",
        "awk 'BEGIN { system(\"systemctl status X\") }'",
        "python3 -c 'import os; os.system(\"systemctl status X\")'",
        "perl -e 'system(\"systemctl status X\")'",
        "awk 'BEGIN { print \"systemctl status X\" | \"sh\" }'",
        "perl -e 'open(F, \"systemctl status X |\"); print <F>'",
        "expect <<EOF\nspawn sh\nsend \"systemctl status X\\r\"\nexpect eof\nEOF",
        "tclsh <<EOF\nputs [exec systemctl status X]\nEOF",
        // Through the environment, into code that pipes to a shell or spawns one.
        "SVC=\"X\" awk 'BEGIN { print \"systemctl status \" ENVIRON[\"SVC\"] | \"sh\" }'",
        "SVC=\"X\" perl -e 'open(F, \"systemctl status $ENV{SVC} |\"); print <F>'",
        "SVC=\"X\" expect -c 'spawn sh -c \"systemctl status $env(SVC)\"; expect eof'",
        "SVC=\"X\" expect <<'EOF'\nspawn sh -c \"systemctl status $env(SVC)\"\nexpect eof\nEOF",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // Through a copy or the environment into the arguments of such code (tenth audit).
    for script in [
        "svc=\"X\"\npython3 -c 'import os, sys; os.system(\"echo restarting \" + sys.argv[1])' \"$svc\"",
        "svc=\"X\"\nawk -v s=\"$svc\" 'BEGIN{system(\"echo \" s)}'",
        "svc=\"X\"\nperl -e 'system \"echo @ARGV\"' \"$svc\"",
        "python3 -c 'import sys; eval(sys.argv[1])' \"X\"",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(
        reparsed_refs("python3 -c 'import os,sys; os.system(\"echo \" + sys.argv[1])' \"$SVC\"")
            .contains("SVC")
    );
    // A list of arguments runs no shell; awk printing to a fixed command neither.
    for script in [
        "python3 -c 'import subprocess,sys; subprocess.run([\"echo\",\"restart\",sys.argv[1]])' \"X\"",
        "perl -e 'system(\"echo\",\"restart\",$ARGV[0])' \"X\"",
        "echo \"X\" | awk '{ print $1 | \"sort\" }'",
        "echo \"X\" | awk '{ print \"file system \" $1 }'",
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
    // Code that runs no shell keeps the value as that language's data (RB032 warns); in a
    // language that can run one, data until what ends its string (audit 20).
    for script in [
        "awk 'BEGIN { print \"X\" }'",
        "python3 -c 'print(\"X\")'",
        "psql -c \"SELECT 'X'\"",
        "perl -pi -e 's/old/X/' f",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::Quoted(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // A suffix removed is still the start of the value that was checked.
    assert!(plan_x("u=\"X\"; curl -fsS \"${u%/}/healthz\"").is_ok());
    // A list split by a `for` loop, each word in a re-parsed string: plain words (an
    // audit found `nginx php-fpm` refused); used whole there too: one plain word.
    assert!(matches!(
        plan_x("S=\"X\"; for svc in $S; do ssh web-1 \"restart $svc\"; done").map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    assert!(matches!(
        plan_x("S=\"X\"; ssh h \"echo $S\"; for s in $S; do ssh h \"x $s\"; done").map(|p| p.slot),
        Ok(Slot::PlainWord(_))
    ));
    // A list split into the arguments of a program a wrapper runs, which runs nothing:
    // plain words, not one (an audit found `nginx php-fpm` refused).
    assert!(matches!(
        plan_x("S=\"X\"\nsudo systemctl restart $S").map(|p| p.slot),
        Ok(Slot::Quoted(_) | Slot::PlainWords(_) | Slot::NoOption(_))
    ));
    assert!(plain_word_or_refused("S=\"X\"\nsudo $S restart nginx"));
    assert!(plain_word_or_refused(
        "S=\"X\"\nsudo -i systemctl restart $S"
    ));
    assert!(
        plain_word_or_refused("S=\"X\"\nsudo ssh $S uptime")
            || matches!(
                plan_x("S=\"X\"\nsudo ssh $S uptime").map(|p| p.slot),
                Ok(Slot::PlainWords(_))
            )
    );
    // A line read into a variable a re-parsed string expands: one plain word a line (an
    // audit found it an RB031 error for every value, then a list on several lines refused;
    // a line of words would name a program and its arguments at `eval "$p"`); split by
    // `for`, each a word: plain words; read whole (`-d ''`), with IFS set, or copied, one
    // plain word.
    for script in [
        "echo \"X\" | while read -r p; do ssh -n web-1 \"kill $p\"; done",
        "while read -r p; do ssh -n web-1 \"kill $p\"; done <<< \"X\"",
        "while read -r p; do ssh -n web-1 \"kill $p\"; done <<EOT\nX\nEOT",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainLines(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(matches!(
        plan_x("pids=\"X\"; for p in $pids; do ssh web-1 \"kill $p\"; done").map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    for script in [
        "while IFS= read -r p; do ssh -n web-1 \"kill $p\"; done <<EOT\nX\nEOT",
        "ps=( X ); eval \"echo ${ps[0]}\"",
        "echo \"X\" | while read -r -d '' p; do ssh -n web-1 \"kill $p\"; done",
        "while read -r -N 9 p; do ssh -n web-1 \"kill $p\"; done <<< \"X\"",
        "p=\"X\"; ssh -n web-1 \"kill $p\"",
        "mapfile p <<< \"X\"; ssh -n web-1 \"kill ${p[*]}\"",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // So is a prefix (an audit found `${x:0:40}` an RB031 error); another cut is not.
    assert!(plan_x("svc=\"X\"; ssh web-1 \"echo ${svc:0:40}\"").is_ok());
    assert!(plan_x("svc=\"X\"; ssh web-1 \"echo ${svc::40}\"").is_ok());
    assert!(plan_x("svc=\"X\"; ssh web-1 \"echo ${svc:3:40}\"").is_err());
    for script in [
        "expect -c 'send \"X\"'",
        "mongosh --eval 'db.x.find({a: \"X\"})'",
        "pwsh -Command 'Write-Output X'",
        "Rscript -e 'print(X)'",
        "julia -e 'println(\"X\")'",
        "clickhouse-client --query 'select X'",
        "bq query --use_legacy_sql=false 'SELECT * FROM t WHERE id = \"X\"'",
        "gcloud spanner databases execute-sql db --instance=i --sql=\"SELECT 'X'\"",
        "gcloud spanner databases execute-sql db --sql \"SELECT 'X'\"",
        "trino --execute \"SELECT 'X'\"",
        "osascript -e 'tell app \"X\" to quit'",
    ] {
        assert!(plan_x(script).unwrap().foreign.is_some(), "{script}");
    }
    for script in [
        "bq query --parameter=id::X 'SELECT * FROM t WHERE id = @id'",
        "bq show X",
        "gcloud spanner instances describe X",
        "gcloud compute ssh vm --command \"uptime\" --zone X",
    ] {
        assert!(
            plan_x(script).is_ok_and(|p| p.foreign.is_none()),
            "{script}"
        );
    }
    // `$'…'` only where the shell reading it has it.
    let dollar = |script: &str, outer: bool| check_dollar_single(&plan_x(script).unwrap(), outer);
    assert!(dollar("echo $'X'", true).is_ok());
    assert!(dollar("echo $'X'", false).is_err());
    assert!(dollar("bash -c \"echo $'X'\"", false).is_ok());
    assert!(dollar("sh -c \"echo $'X'\"", true).is_err());
    assert!(dollar("ssh h \"echo $'X'\"", true).is_err());
    assert!(dollar("eval \"echo $'X'\"", true).is_ok());
    assert!(dollar("sh -c \"eval \\\"echo \\$'X'\\\"\"", true).is_err());
    assert!(dollar("echo 'X'", false).is_ok());
    // Programs that parse again, behind a function or program runbook does not know.
    assert_eq!(constructs("retry ssh h \"echo X\""), ["ssh HOST"]);
    assert_eq!(constructs("strace -o /dev/null eval \"echo X\""), ["eval"]);
    assert_eq!(
        constructs("tmux new-session -d -s s \"echo X\""),
        ["tmux new-session"]
    );
    assert!(constructs("echo ssh h \"X\"").is_empty());
    // An option's argument is no command (`-n ssh`: a rule's name); a flag before one is.
    assert!(
        constructs(
            "az network nsg rule create -n ssh --priority 100 --source-address-prefixes \"X\""
        )
        .is_empty()
    );
    assert_eq!(constructs("sshpass -e ssh h \"echo X\""), ["ssh HOST"]);
    assert!(plan_x("tmux send-keys -t s \"X\" Enter").is_err());
    assert!(plan_x("tmux set-hook -g after-new-window \"run-shell 'echo X'\"").is_err());
    assert!(plan_x("tmux bind-key r \"run-shell 'systemctl restart X'\"").is_err());
    // `xargs -I{} ssh {} uptime`: the lines are hosts (plain words), not code; the
    // replacement in ssh's command is code, where plain words are data (audit 17 found
    // every value refused).
    assert!(matches!(
        plan_x("echo \"X\" | tr ' ' '\\n' | xargs -I{} ssh {} uptime").map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    assert!(matches!(
        plan_x("echo \"X\" | xargs -I{} ssh h \"systemctl status {}\"").map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    assert!(plan_x("tmux if-shell true \"run-shell 'echo X'\"").is_err());
    assert!(plan_x("tmux if-shell -F 1 \"run-shell 'echo X'\"").is_err());
    assert!(read_again_or_refused(
        "tmux if-shell \"test -e X\" \"display ok\""
    ));
    // (The value is the last `X`: `-X` is screen's option.)
    let last_x = |script: &str| {
        let at = script.rfind('X').unwrap_or(0);
        plan(script, at..at + 1)
    };
    assert!(last_x("screen -S s -X stuff \"echo X\\n\"").is_err());
    assert!(last_x("screen -S s -p 0 -X exec sh -c \"X\"").is_err());
    assert!(last_x("screen -dmS s sh -c 'top'; echo X").is_ok());
    assert!(matches!(
        plan_x("x=\"X\"; tmux send-keys -t s \"echo $x\" Enter").map(|p| p.slot),
        Ok(Slot::PlainWord(_)) | Err(_)
    ));
    assert!(matches!(
        plan_x("x=\"X\"; screen -S s -X stuff \"echo $x\"").map(|p| p.slot),
        Ok(Slot::PlainWord(_)) | Err(_)
    ));
    assert!(plan_x("PS4='X'; set -x").is_err());
    assert!(plan_x("mapfile -C \"X\" -c 1 a").is_err());
    assert_eq!(plan_x("[[ -v X ]]").unwrap().slot, Slot::Name);
    assert_eq!(plan_x("wait -n -p X").unwrap().slot, Slot::Name);
    assert_eq!(
        plan_x("$E \"echo X\"").unwrap().slot,
        Slot::PlainWord(Quoting::Double)
    );
    assert_eq!(
        plan_x("env X true").unwrap().slot,
        Slot::NoOption(Quoting::Bare)
    );
    assert_eq!(
        plan_x("sh -c 'eval \"$1\"' sh \"echo X\"").unwrap().slot,
        Slot::PlainWord(Quoting::Double)
    );
    assert_eq!(
        plan_x("echo X | while read -r n; do echo $(( n + 1 )); done")
            .unwrap()
            .slot,
        Slot::Quoted(Quoting::Arithmetic)
    );
    assert!(plan_x("printf X | xargs -I{} sh -c \"echo '{}'\"").is_err());
    assert!(matches!(
        plan_x("echo X | xargs -I{} ssh h \"echo {}\"").map(|p| p.slot),
        Ok(Slot::PlainWords(_))
    ));
    // grep's pattern never reaches its output (an audit found these RB031 errors); what
    // grep is given to read, or prints as a file's name, does.
    for script in [
        "kubectl get pods --no-headers | grep \"X\" | awk '{print $1}' | xargs -r kubectl delete pod",
        "ls /tmp | grep \"X\" | xargs -r docker rm -f",
        "kubectl get pods -o name | grep -- \"X\" | while read -r p; do ssh -n web-1 \"echo $p\"; done",
        "kubectl get pods -o name | grep -i -e \"X\" | xargs -I{} sh -c 'kubectl delete {}'",
    ] {
        let planned = plan_x(script);
        assert!(
            matches!(
                planned.as_ref().map(|p| &p.slot),
                Ok(Slot::Quoted(_) | Slot::NoOption(_))
            ),
            "{script}: {planned:?}"
        );
    }
    for script in [
        "echo \"X\" | grep web | xargs -I{} sh -c 'echo {}'",
        "grep -H web \"X\" | xargs -I{} sh -c 'echo {}'",
        "grep -f \"X\" f | xargs -I{} sh -c 'echo {}'",
    ] {
        let planned = plan_x(script);
        let kept = matches!(&planned, Ok(p) if matches!(p.slot, Slot::Quoted(_)));
        assert!(!kept, "{script}: {planned:?}");
    }
    assert_eq!(constructs("sudo -iu app bash -c \"echo X\""), ["bash -c"]);
    assert_eq!(constructs("oc rsh pod sh -c \"echo X\""), ["sh -c"]);
    assert_eq!(
        constructs("ansible web -m shell -a \"echo X\""),
        ["ansible -a"]
    );
    assert_eq!(constructs("su - postgres <<EOF\necho X\nEOF"), ["su"]);
    // The safe idioms stay plain data.
    for script in [
        "read -r n < <(echo X); echo \"$n\"",
        "x=X; ssh h \"echo ${x@Q}\"",
        "x=X; ssh h \"echo $(printf %q \"$x\")\"",
    ] {
        // (A word quoted for the remote shell, never an option there: audit 20 OPT-2.)
        assert!(
            matches!(
                plan_x(script).unwrap().slot,
                Slot::Quoted(_) | Slot::NoOption(_)
            ),
            "{script}"
        );
    }
    // Copies, prompts, names in variables, wrappers before `sh -c 'eval "$1"'`.
    for script in [
        "x=X; y=$x; eval \"echo $y\"",
        "x=X; PS4=$x; set -x",
        "timeout 5 sh -c 'eval \"$1\"' sh \"echo X\"",
        "x=X sh -c 'eval \"echo $x\"'",
    ] {
        assert!(
            matches!(plan_x(script).unwrap().slot, Slot::PlainWord(_)),
            "{script}"
        );
    }
    assert_eq!(
        plan_x("n=X; printf -v \"$n\" %s 1").unwrap().slot,
        Slot::Name
    );
    assert!(plan_x("echo X > >(bash)").is_err());
    // Copies that reach an option, split into a command's words, through names held
    // in variables, or down a pipe of filters into a loop that parses again.
    for (script, slot) in [
        ("h=X; ssh \"$h\" uptime", "option"),
        ("r=X; git clone \"$r\" d", "option"),
        ("r=X; c=\"$r\"; find \"$c\" -name a", "option"),
        ("h=X; ssh $h uptime", "word"),
        ("u=X; sudo -u $u id", "word"),
        ("u=X; timeout 5 $u", "word"),
        ("v=X; n=v; eval \"${!n}\"", "word"),
        ("declare -n r=v; v=X; eval \"$r\"", "word"),
        ("v=X; local -n r=v; ssh h \"$r\"", "word"),
        (
            "v=X; echo \"$v\" | tr a b | while read -r l; do eval \"$l\"; done",
            "word",
        ),
        ("h=X; echo $h; ssh h uptime", "data"),
        ("h=X; ssh h \"ls\" \"$h\"", "word"),
        ("h=X; ssh h uptime; rm -- \"$h\"", "data"),
        ("hs=X; for h in $hs; do ssh $h uptime; done", "words"),
        ("hs=X; for h in $hs; do ssh \"$h\" uptime; done", "words"),
        ("hs=X; for h in \"$hs\"; do ssh $h uptime; done", "word"),
        ("hs=X; for h in $hs; do echo $h; done", "data"),
    ] {
        let got = plan_x(script).unwrap().slot;
        let ok = match slot {
            "option" => matches!(got, Slot::NoOption(_)),
            "word" => matches!(got, Slot::PlainWord(_)),
            "words" => matches!(got, Slot::PlainWords(_)),
            _ => matches!(got, Slot::Quoted(_)),
        };
        assert!(ok, "{script}: {got:?}");
    }
    assert_eq!(
        constructs("docker run --rm --entrypoint sh img -c \"echo X\""),
        ["sh -c"]
    );
    // Fourth audit: documents read by a shell a command starts, options after ssh's host,
    // strings run by ssh's relatives, changes on the way, IFS, loops over parameters.
    for script in [
        "chroot / bash <<EOF\necho =X=\nEOF",
        "unshare -r bash <<EOF\necho X\nEOF",
        "sshpass -p pw ssh db1 <<EOF\necho X\nEOF",
        "lxc exec c1 -- sh <<EOF\necho X\nEOF",
        "docker run -i --rm --pid host busybox sh <<EOF\necho X\nEOF",
        "{ bash; } <<EOF\necho X\nEOF",
        "remote() { ssh \"$1\" bash -s; }\nremote db1 <<EOF\necho X\nEOF",
        "ssh db1 \"cd /tmp && bash -s\" <<EOF\necho X\nEOF",
        "sudo sh -c \"cd /tmp && sh\" <<EOF\necho X\nEOF",
        "ssh root@db1 -p 2222 <<EOF\necho X\nEOF",
        "bash /dev/fd/3 3<<EOF\necho X\nEOF",
        // Ninth audit: programs that start a shell when given no command.
        "chroot /host <<EOF\necho X\nEOF",
        "sudo chroot --userspec app:app /srv/root <<EOF\necho X\nEOF",
        "nsenter -t 1 -m -u -n <<EOF\necho X\nEOF",
        "unshare -r --wd /tmp <<EOF\necho X\nEOF",
        "newgrp docker <<EOF\necho X\nEOF",
        "script -q /dev/null <<EOF\necho X\nEOF",
        "chroot / <<< \"echo X\"",
        "echo \"echo X\" | chroot /",
    ] {
        assert!(!constructs(script).is_empty(), "{script}: read as data");
    }
    assert!(plan_x("printf 'echo %s\\n' \"X\" | nsenter -t 1 -m").is_err());
    // GNU parallel with no command, `xargs sh -c` whose script is the input.
    for script in [
        "xargs -a <(printf '%s\\n' \"X\") -I{} sh -c 'echo {}'",
        "parallel ::: \"X\"",
        "parallel -j 4 ::: \"X\" \"echo b\"",
        "echo \"X\" | parallel",
        "echo \"X\" | xargs -0 sh -c",
        "echo \"X\" | xargs sh -c",
    ] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in ["parallel echo ::: \"X\"", "parallel -j 4 echo {} ::: \"X\""] {
        assert_eq!(plan_x(script).map(|p| p.layers.len()), Ok(0), "{script}");
    }
    // Interpreters' options and code paths by environment; bash's imported functions.
    for script in [
        "PERL5OPT=\"X\" perl -e 1",
        "export NODE_OPTIONS=\"X\"; node app.js",
        "env JAVA_TOOL_OPTIONS=\"X\" java -jar a.jar",
        // Programs' own options by environment (audit 26 HOLE-7, HOLE-8, HOLE-9).
        "MAKEFLAGS=\"-jX\" make all",
        "TAR_OPTIONS=\"X\" tar -cf a.tar d",
        "TF_CLI_ARGS_apply=\"X\" terraform apply",
        "export PGOPTIONS=\"X\"; psql -c 'select 1'",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(plan_x("env \"BASH_FUNC_f%%=() { echo X; }\" bash -c f").is_err());
    // Editors and pagers a program runs with `sh -c` (HOLE-9); git configuration git runs
    // (HOLE-16): stored beyond the step, refused.
    for script in [
        "KUBE_EDITOR=\"X\" kubectl edit deploy/web",
        "SYSTEMD_EDITOR=\"X\" systemctl edit nginx",
    ] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in [
        "git config remote.origin.uploadpack \"X\"",
        "git config gpg.program \"X\"",
        "git config filter.lfs.smudge \"X\"",
        "git config include.path \"X\"",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    assert!(plan_x("git config user.name \"X\"").is_ok());
    // A value in yq's expression is its code (HOLE-15).
    for script in [
        "yq -i '.image.tag = \"X\"' values.yaml",
        "yq e '.image.tag = \"X\"' values.yaml",
    ] {
        assert_eq!(
            plan_x(script)
                .ok()
                .and_then(|p| p.foreign)
                .map(|f| f.language),
            Some("yq"),
            "{script}"
        );
    }
    // `juju exec` runs its command in the unit's shell (HOLE-12).
    assert_eq!(
        constructs("juju exec --unit web/0 -- \"echo X\""),
        ["juju exec"]
    );
    // Ninth audit: more programs that give a string to a shell.
    for (script, construct) in [
        ("rsh web1 \"echo X\"", "ssh HOST"),
        ("dbclient web1 \"echo X\"", "ssh HOST"),
        ("fab -H web1 -- \"echo X\"", "fab --"),
        ("devbox run \"echo X\"", "devbox run"),
    ] {
        assert_eq!(constructs(script), [construct], "{script}");
    }
    assert!(plan_x("socat - \"SYSTEM:echo X\"").is_err());
    // Written into a configuration whose entries run commands.
    for script in [
        "printf 'Host h\\n  ProxyCommand %s\\n' \"X\" > /tmp/sshcfg; ssh -F /tmp/sshcfg h true",
        "printf '[alias]\\n\\tx = !echo %s\\n' \"X\" >> .git/config",
        "echo \"* * * * * root X\" > /etc/cron.d/job",
        "cat > /etc/systemd/system/x.service <<EOF\nExecStart=/bin/echo X\nEOF",
    ] {
        assert!(
            plain_word_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    assert!(matches!(
        plan_x("echo \"X\" > /var/log/app/last").map(|p| p.slot),
        Ok(Slot::Quoted(_))
    ));
    // A remote path that the other side's shell parses (legacy scp, older rsync).
    for script in [
        "scp -O web1:/var/log/X /tmp/",
        "scp /tmp/f \"deploy@web1:/srv/X\"",
        "rsync -a web1:/var/log/X /tmp/",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in ["scp /tmp/X web1:/tmp/", "rsync -a /srv/a:X web1::module/"] {
        assert!(
            !matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}"
        );
    }
    // The script's own output or input given to a shell by `exec`.
    for script in [
        "exec > >(sh)\necho \"echo X\"",
        "exec 1> >(ssh h sh)\necho \"echo X\"",
        "exec 0< <(echo \"echo X\")\nsh",
    ] {
        assert!(plan_x(script).is_err(), "{script}: {:?}", plan_x(script));
    }
    assert!(plan_x("exec 2> >(logger -t x)\necho \"X\"").is_ok());
    // A container given no command runs its image's own, often a shell.
    for script in [
        "docker run -i --rm alpine <<EOF\necho X\nEOF",
        "podman run -i --rm alpine <<< \"echo X\"",
        "kubectl run -i --rm t --image=alpine --restart=Never <<EOF\necho X\nEOF",
        "kubectl debug -i node/n1 --image=alpine <<EOF\necho X\nEOF",
        "oc rsh mypod <<EOF\necho X\nEOF",
    ] {
        assert!(!constructs(script).is_empty(), "{script}: read as data");
    }
    for script in [
        "docker run --rm alpine <<EOF\nX\nEOF",
        "docker run -i --rm alpine cat <<EOF\nX\nEOF",
        "kubectl run -i --rm t --image=alpine -- cat <<EOF\nX\nEOF",
    ] {
        assert!(
            constructs(script).is_empty(),
            "{script}: {:?}",
            constructs(script)
        );
    }
    // A pipe into a function or a group that starts a shell.
    for script in [
        "runit() { sh; }\necho \"echo X\" | runit",
        "on_host() { ssh \"$1\" bash; }\necho \"systemctl restart X\" | on_host web1",
        "echo \"echo X\" | (cd /tmp && sh)",
        "echo \"echo X\" | { cd /tmp; bash; }",
    ] {
        assert!(
            read_again_or_refused(script),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    for script in [
        "count() { wc -l; }\necho \"X\" | count",
        "echo \"X\" | grep -c ssh",
        "echo \"X\" | (cd /tmp && cat)",
    ] {
        assert_eq!(plan_x(script).map(|p| p.layers.len()), Ok(0), "{script}");
    }
    // With a command, the command reads the input (data for `cat`).
    for script in [
        "chroot /host cat <<EOF\nX\nEOF",
        "nsenter -t 1 -m -- tee /tmp/f <<EOF\nX\nEOF",
        "script -q -c 'cat' /dev/null <<EOF\nX\nEOF",
    ] {
        assert!(
            constructs(script).is_empty(),
            "{script}: {:?}",
            constructs(script)
        );
    }
    // Ninth audit: strings that npm, entr and nix-shell run with a shell.
    for (script, construct) in [
        ("echo f | entr -nzs \"echo X\"", "entr -s"),
        ("nix-shell -p hello --run \"echo X\"", "nix-shell --run"),
    ] {
        assert_eq!(constructs(script), [construct], "{script}");
    }
    assert!(constructs("echo f | entr -n echo X").is_empty());
    assert!(plan_x("npx -c \"echo X\"").is_err());
    assert!(plan_x("npm exec --call \"echo X\"").is_err());
    for script in [
        "ssh db1 'bash -s' < <(printf 'echo =%s=\\n' \"X\")",
        "xargs -I{} sh -c 'echo ={}=' <<EOF\nX\nEOF",
        "exec 3<<< \"echo X\"; bash <&3",
        "scp -o \"ProxyCommand=ssh -W %h:%p X\" f h:/tmp/x",
        "sftp -o \"ProxyCommand=nc X 22\" h",
        "env GIT_SSH_COMMAND=\"ssh -i X\" git ls-remote ssh://h/x",
        "u=\"X\"; sudo -u ${u//,/ } id",
        "h=$(echo \"X\" | tr , \" \"); ssh $h uptime",
    ] {
        let planned = plan_x(script);
        let guarded = match &planned {
            Err(_) => true,
            Ok(p) => !p.layers.is_empty() || !matches!(p.slot, Slot::Quoted(_)),
        };
        assert!(guarded, "{script}: {planned:?}");
    }
    assert_eq!(
        constructs("retry() { \"$@\"; }; retry vagrant ssh -c \"echo X\""),
        ["vagrant ssh -c"]
    );
    // Remote runners an audit found pasting the value raw.
    for (script, construct) in [
        ("consul exec -node=web-1 \"echo got: X\"", "consul exec"),
        ("consul exec -node web-1 -wait 2s echo X", "consul exec"),
        (
            "consul exec -service api -tag=primary --node web \"echo X\"",
            "consul exec",
        ),
        ("heroku run -a app \"echo X\"", "heroku run"),
        ("heroku run:detached --app app echo X", "heroku run"),
        (
            "bolt command run \"echo X\" --targets web-1",
            "bolt command run",
        ),
        ("mco shell run \"echo X\" -I web-1", "mco shell run"),
        ("dsh -m web-1 -c -- \"echo X\"", "dsh"),
        ("mussh -h web-1 -c \"echo X\"", "mussh -c"),
    ] {
        assert_eq!(constructs(script), [construct], "{script}");
    }
    // Their other subcommands and options are data.
    assert!(constructs("consul kv get X").is_empty());
    // consul exec's filters are no command: read as its flags' values (`widens/sets.rs`).
    for script in [
        "consul exec -node \"X\" uptime",
        "consul exec -node=\"X\" uptime",
        "consul exec -service api -tag \"X\" uptime",
    ] {
        assert!(constructs(script).is_empty(), "{script}");
    }
    assert!(constructs("heroku logs -a X").is_empty());
    assert!(matches!(
        plan_x("timeout 5 rsync -e \"ssh -p X\" f h:/tmp/x")
            .unwrap()
            .slot,
        Slot::PlainWord(_)
    ));
    for (script, slot) in [
        (
            "set -- \"X\"; for h do ssh -n \"$h\" uptime; done",
            "option",
        ),
        (
            "set -- -h \"X\"; while getopts h: o; do H=$OPTARG; done; ssh \"$H\" uptime",
            "option",
        ),
        (
            "IFS=, read -ra hosts <<< \"X\"; for h in \"${hosts[@]}\"; do ssh \"$h\" uptime; done",
            "words",
        ),
    ] {
        let got = plan_x(script).unwrap().slot;
        let ok = match slot {
            "option" => matches!(
                got,
                Slot::NoOption(_) | Slot::PlainWord(_) | Slot::PlainWords(_)
            ),
            _ => matches!(got, Slot::PlainWords(_) | Slot::PlainWord(_)),
        };
        assert!(ok, "{script}: {got:?}");
    }
    // The safe idioms stay what they were.
    assert!(plan_x("ssh db1 \"echo $(printf %q \"X\")\"").is_ok());
    assert!(constructs("cat <<EOF > /tmp/f\nX\nEOF").is_empty());
    assert!(constructs("host=X; echo ${host%%.*}; ssh \"$host\" uptime").is_empty());
    assert!(plan_x("host=X; echo ${host%%.*}; ssh \"$host\" uptime").is_ok());
    assert_eq!(
        constructs("docker run --entrypoint=/bin/bash img -c \"echo X\""),
        ["bash -c"]
    );
    assert_eq!(
        constructs("GIT_SSH_COMMAND=\"ssh -i X\" git fetch"),
        ["GIT_SSH_COMMAND"]
    );
    // rsync splits RSYNC_RSH itself: a plain word, expanded by this shell.
    let p = plan_x("RSYNC_RSH=\"ssh -p X\" rsync -a f h:/tmp/").unwrap();
    assert!(
        p.layers.is_empty() && matches!(p.slot, Slot::PlainWord(_)),
        "{p:?}"
    );
    assert!(plan_x("echo \"X").is_err());
    for script in [
        "psql -v n=X -c 'select 1'",
        "python3 -c 'import sys' X",
        "awk -v n=X '{print n}' f",
        "jq --arg n X '.a' f",
        "redis-cli EVAL 'return ARGV[1]' 0 X",
    ] {
        assert_eq!(plan_x(script).unwrap().foreign, None, "{script}");
    }
}
