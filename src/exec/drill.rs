//! The drill's [`Shell`]: each command is replaced by its step's `simulate` output and exit
//! status, so captures, `when`, `expect`, `wait.until` and the failure menu behave as in the
//! real incident while nothing is touched. A step without `simulate` succeeds silently. A
//! simulated `outputs`/`env` is written to the step's `$RUNBOOK_OUTPUT`/`$RUNBOOK_ENV`
//! files, as the command would have written it, and read back the same way.

use super::shell::{
    CAPTURE_LIMIT, Captured, CommandSpec, Exit, Outcome, OutputSink, Shell, Stream,
};
use std::time::Duration;

pub struct DrillShell;

fn captured(text: &str) -> Captured {
    let truncated = text.len() > CAPTURE_LIMIT;
    let mut end = text.len().min(CAPTURE_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Captured {
        text: text[..end].to_string(),
        truncated,
    }
}

/// `NAME=value` lines, or `NAME<<DELIMITER` blocks for values with new lines (the delimiter
/// chosen so that the value does not hold it).
fn assignments(pairs: &[(String, String)]) -> String {
    let mut text = String::new();
    for (name, value) in pairs {
        if value.contains('\n') {
            let mut delimiter = "RUNBOOK_EOF".to_string();
            while value.lines().any(|l| l == delimiter) {
                delimiter.push('_');
            }
            text.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            text.push_str(&format!("{name}={value}\n"));
        }
    }
    text
}

impl Shell for DrillShell {
    fn run(&mut self, spec: &CommandSpec, sink: &mut dyn OutputSink) -> Outcome {
        let sim = spec.simulated.clone().unwrap_or_default();
        if !sim.stdout.is_empty() {
            sink.output(Stream::Stdout, sim.stdout.as_bytes());
        }
        if !sim.stderr.is_empty() {
            sink.output(Stream::Stderr, sim.stderr.as_bytes());
        }
        for (file, pairs) in [("RUNBOOK_OUTPUT", &sim.outputs), ("RUNBOOK_ENV", &sim.env)] {
            if pairs.is_empty() {
                continue;
            }
            let Some((_, path)) = spec.env.iter().find(|(k, _)| k == file) else {
                continue;
            };
            if let Err(e) = std::fs::write(path, assignments(pairs)) {
                let message = format!("runbook: cannot write the simulated ${file}: {e}\n");
                sink.output(Stream::Stderr, message.as_bytes());
                return Outcome {
                    exit: Exit::Code(1),
                    duration: Duration::ZERO,
                    stdout: captured(&sim.stdout),
                    stderr: captured(&message),
                };
            }
        }
        Outcome {
            exit: if sim.timed_out {
                Exit::TimedOut
            } else {
                Exit::Code(sim.exit)
            },
            duration: Duration::ZERO,
            stdout: captured(&sim.stdout),
            stderr: captured(&sim.stderr),
        }
    }
}
