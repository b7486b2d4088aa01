//! The drill's [`Shell`]: each command is replaced by its step's `simulate` output and exit
//! status, so captures, `when`, `expect`, `wait.until` and the failure menu behave as in the
//! real incident while nothing is touched. A step without `simulate` succeeds silently.

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

impl Shell for DrillShell {
    fn run(&mut self, spec: &CommandSpec, sink: &mut dyn OutputSink) -> Outcome {
        let sim = spec.simulated.clone().unwrap_or_default();
        if !sim.stdout.is_empty() {
            sink.output(Stream::Stdout, sim.stdout.as_bytes());
        }
        if !sim.stderr.is_empty() {
            sink.output(Stream::Stderr, sim.stderr.as_bytes());
        }
        Outcome {
            exit: Exit::Code(sim.exit),
            duration: Duration::ZERO,
            stdout: captured(&sim.stdout),
            stderr: captured(&sim.stderr),
        }
    }
}
