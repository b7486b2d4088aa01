//! Output benchmark: one command printing a lot through `ProcessShell`, masked into a file.
//!
//! `cargo run --release --example shell_bench -- [BYTES] [FILE]` runs `head -c BYTES /dev/zero`
//! (default 1 GiB) the way a `run` step does: its own process group, streamed to a sink that
//! masks one secret and writes to FILE (default `shell_bench.out` in the temp folder), with
//! the bounded capture. Prints the bytes seen and the elapsed time. See `benches/output.sh`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use runbook::exec::mask::Masker;
use runbook::exec::shell::{CommandSpec, Exit, OutputSink, ProcessShell, Shell, Stream};

/// Like the output log of a step: masked bytes to a file.
struct FileSink {
    masker: Masker,
    file: BufWriter<File>,
    bytes: u64,
    error: Option<io::Error>,
}

impl OutputSink for FileSink {
    fn output(&mut self, _stream: Stream, bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        if self.error.is_none()
            && let Err(e) = self.masker.push_to(bytes, &mut self.file)
        {
            self.error = Some(e);
        }
    }
}

fn main() -> ExitCode {
    match bench() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn bench() -> io::Result<()> {
    let mut args = std::env::args().skip(1);
    let size = args.next().unwrap_or_else(|| "1G".into());
    let path = args
        .next()
        .map_or_else(|| std::env::temp_dir().join("shell_bench.out"), Into::into);

    let mut sink = FileSink {
        masker: Masker::new(&["hunter2-not-in-the-output".to_string()]),
        file: BufWriter::with_capacity(128 * 1024, File::create(&path)?),
        bytes: 0,
        error: None,
    };
    let mut shell = ProcessShell {
        interrupt: Arc::new(AtomicBool::new(false)),
        grace: Duration::from_secs(5),
    };
    let spec = CommandSpec {
        argv: vec!["head".into(), "-c".into(), size, "/dev/zero".into()],
        ..CommandSpec::default()
    };

    let started = Instant::now();
    let outcome = shell.run(&spec, &mut sink);
    if let Some(e) = sink.error.take() {
        return Err(e);
    }
    sink.masker.finish_to(&mut sink.file)?;
    sink.file.flush()?;
    let elapsed = started.elapsed();

    if outcome.exit != Exit::Code(0) {
        return Err(io::Error::other(format!(
            "command ended with {:?}",
            outcome.exit
        )));
    }
    let mib = sink.bytes as f64 / (1024.0 * 1024.0);
    println!(
        "bytes {}  elapsed {:.3} s  {:.0} MiB/s  captured {} (truncated: {})  file {}",
        sink.bytes,
        elapsed.as_secs_f64(),
        mib / elapsed.as_secs_f64(),
        outcome.stdout.text.len(),
        outcome.stdout.truncated,
        path.display()
    );
    Ok(())
}
