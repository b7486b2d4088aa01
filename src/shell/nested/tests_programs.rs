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
