//! Tests of [`plan`] for programs that hand their operands to a shell
//! ([`crate::shell::programs::Runner`]), on their own for the length of `tests.rs`.

use super::tests::{constructs, plan_x, refusal};
use super::*;

/// Audit 28 H-15: programs that hand their operands, or an option's argument, to a shell:
/// read as `sh -c` (with the environment where the program keeps it).
#[test]
fn programs_that_run_their_operands_through_a_shell() {
    for (script, construct, travels) in [
        ("hyperfine \"grep X /var/log/x\"", "hyperfine", true),
        ("hyperfine -w 3 'sleep 1' \"grep X f\"", "hyperfine", true),
        (
            "hyperfine --prepare \"sync; echo X\" ls",
            "hyperfine --prepare",
            true,
        ),
        ("hyperfine -p \"echo X\" ls", "hyperfine -p", true),
        (
            "hyperfine --cleanup=\"rm X\" ls",
            "hyperfine --cleanup",
            true,
        ),
        ("sops exec-env s.yaml \"deploy X\"", "sops exec-env", true),
        (
            "sops exec-env --pristine s.yaml \"deploy X\"",
            "sops exec-env",
            false,
        ),
        ("sops exec-file s.yaml \"cat {} X\"", "sops exec-file", true),
        ("watchexec -e rs -- cargo test X", "watchexec", true),
        ("watchexec \"make X\"", "watchexec", true),
        ("foreman run rake deploy X", "foreman run", true),
        ("honcho run \"python manage.py X\"", "honcho run", true),
        (
            "concurrently \"npm:watch\" \"tail -f X\"",
            "concurrently",
            true,
        ),
        (
            "virt-customize -a d.img --run-command 'useradd X'",
            "virt-customize --run-command",
            false,
        ),
        (
            "virt-customize -a d.img --firstboot-command=\"echo X\"",
            "virt-customize --firstboot-command",
            false,
        ),
        ("rd adhoc -p ops -- systemctl restart X", "rd adhoc", false),
    ] {
        assert_eq!(constructs(script), [construct], "{script}");
        let plan = plan_x(script).unwrap_or_else(|e| panic!("{script}: {e:?}"));
        assert_eq!(plan.env_travels, travels, "{script}");
    }
    // Typed into a pane's shell: refused; pasted into a command line: one plain word.
    assert!(plan_x("xpanes -c 'ssh X' web-1 web-2").is_err());
    assert!(plan_x("xpanes -e 'echo X'").is_err());
    for script in [
        "xpanes -c 'ssh {}' X",
        "hyperfine -L v X 'sleep {v}'",
        "concurrently -P 'echo {1}' -- X",
        "rd run -p ops -j deploy -- -version X",
    ] {
        assert!(
            matches!(plan_x(script).map(|p| p.slot), Ok(Slot::PlainWord(_))),
            "{script}: {:?}",
            plan_x(script)
        );
    }
    // Their other words stay data.
    for script in [
        "hyperfine --export-json X.json ls",
        "sops -d X",
        "foreman start X",
        "watchexec -w X -- make",
    ] {
        assert!(constructs(script).is_empty(), "{script}");
    }
    // The value is quoted for that shell (or passed through the environment): data there.
    let script = "hyperfine \"grep {{ v }} /var/log/x\"";
    assert_eq!(refusal(script, "$(touch /tmp/p)"), None);
    assert_eq!(refusal(script, "a'; touch /tmp/p; echo '"), None);
    let at = script.find("{{").unwrap_or(0);
    let plan = plan(script, at..at + 7).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(plan.env_travels && plan.layers.len() == 1, "{plan:?}");
}

/// The language of the value at `{{ v }}`, and whether `value` is refused there.
fn language_and_refused(script: &str, value: &str) -> (Option<&'static str>, bool) {
    let at = script.find("{{ v }}").expect("a placeholder");
    match plan(script, at..at + "{{ v }}".len()) {
        Ok(p) => (
            p.foreign.map(|f| f.language),
            p.refusal(value, None).is_some(),
        ),
        Err(_) => (None, true),
    }
}

/// Audit 41 A41-11, A41-10, A41-9: `eval` is the shell's only as a command word
/// (`rabbitmqctl eval` is Erlang); code behind a launcher is its interpreter's; m4 and dc
/// run a shell from their text.
#[test]
fn languages_behind_subcommands_and_launchers() {
    for (script, language, bad, good) in [
        (
            "rabbitmqctl eval 'rabbit_amqqueue:lookup(<<\"{{ v }}\">>).'",
            "Erlang",
            "a\">>), os:cmd(\"x",
            "orders",
        ),
        (
            "erl -noshell -eval 'io:format(\"{{ v }}\").'",
            "Erlang",
            "a\\\"",
            "orders",
        ),
        (
            "elixir -e 'IO.puts(\"{{ v }}\")'",
            "Elixir",
            "#{System.cmd(1)}",
            "orders",
        ),
        (
            "poetry run python3 -c \"print('{{ v }}')\"",
            "Python",
            "x')",
            "alice",
        ),
        (
            "conda run -n ops python -c \"print('{{ v }}')\"",
            "Python",
            "x')",
            "alice",
        ),
        (
            "aws-vault exec prod -- python3 -c \"print('{{ v }}')\"",
            "Python",
            "x')",
            "alice",
        ),
        (
            "taskset -c 0 python3 -c \"print('{{ v }}')\"",
            "Python",
            "x')",
            "alice",
        ),
        (
            "su-exec app node -e 'console.log(\"{{ v }}\")'",
            "JavaScript",
            "a\"b",
            "alice",
        ),
        (
            "bundle exec rails runner 'User.find(\"{{ v }}\")'",
            "Perl or Ruby",
            "#{`id`}",
            "alice",
        ),
        (
            "bin/rails r 'User.find(\"{{ v }}\")'",
            "Perl or Ruby",
            "a\"b",
            "alice",
        ),
        (
            "php artisan tinker --execute='User::find(\"{{ v }}\");'",
            "PHP",
            "$x",
            "alice",
        ),
        (
            "m4 -DRELAY=\"{{ v }}\" t.m4",
            "m4",
            "esyscmd(id)",
            "relay.example.com",
        ),
        ("m4 --define=RELAY={{ v }} t.m4", "m4", "`x'", "relay"),
        (
            "echo \"define(H, {{ v }})\" | cat - t.m4 | m4",
            "m4",
            "a(b)",
            "relay",
        ),
        ("dc -e \"{{ v }} 2 / p\"", "dc", "1\n!id", "2048"),
        ("echo \"{{ v }} 2 / p\" | dc", "dc", "!id", "2048"),
    ] {
        let (found, refused) = language_and_refused(script, bad);
        assert_eq!(found, Some(language), "{script}");
        assert!(refused, "{script} takes {bad:?}");
        assert_eq!(
            language_and_refused(script, good),
            (Some(language), false),
            "{script}"
        );
    }
    // Another program's `eval` is no shell's: its words are data, not re-parsed.
    for script in [
        "nix eval --raw \".#packages.X.version\"",
        "cue eval ./config -e 'services.X.replicas'",
        "mongosh --quiet --eval X",
    ] {
        assert!(constructs(script).is_empty(), "{script}");
    }
    // A package or file name after a launcher is no code.
    for script in [
        "poetry run pytest X",
        "apt-get install -y sed X",
        "sudo -u app bundle exec rake X",
    ] {
        assert_eq!(plan_x(script).map(|p| p.foreign), Ok(None), "{script}");
    }
}

/// Audit 41 A41-6: what `socat`, `nc`, `telnet` or `openssl s_client` send is the peer's
/// command language: no new line, carriage return or `\`; for HAProxy's socket no `;`.
#[test]
fn what_a_socket_program_sends_adds_no_command() {
    let refused = |script: &str, value: &str| language_and_refused(script, value).1;
    for script in [
        "echo \"disable server b/{{ v }}\" | socat stdio /run/haproxy/admin.sock",
        "echo \"disable server b/{{ v }}\" | sudo socat stdio unix-connect:/var/run/haproxy.sock",
        "echo \"disable server b/{{ v }}\" | nc -U /run/lb/admin.sock",
    ] {
        assert!(refused(script, "web1; disable server b/web2"), "{script}");
        assert!(refused(script, "web1\nshutdown"), "{script}");
        assert!(!refused(script, "web-1"), "{script}");
    }
    for script in [
        "printf 'DEL %s\\r\\n' \"{{ v }}\" | nc -q1 redis-1 6379",
        "echo \"delete {{ v }}\" | telnet cache-1 11211",
        "printf 'GET /{{ v }} HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect h:443",
    ] {
        assert!(refused(script, "k\r\nFLUSHALL"), "{script}");
        assert!(refused(script, "k\\nFLUSHALL"), "{script}");
        assert!(!refused(script, "session:42; x"), "{script}");
    }
}
