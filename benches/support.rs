//! Helpers for `benches/lint.sh` (built by `cargo bench --no-run --bench support`):
//!
//! - `support generate DIR COUNT`: writes COUNT realistic runbooks of 30 steps (inputs, env,
//!   checklists, scripts with templates, captures, choices, asks, waits, dangerous steps with
//!   rollbacks), all different, seeded so that every run writes the same files.
//! - `support scripts DIR OUT`: writes every script that `runbook lint` gives shellcheck, as it
//!   gives them (templates replaced by placeholders, `set -eo pipefail; ` first), one file each.
//! - `support phases DIR`: where `runbook lint` spends its time on one core, stage by stage
//!   and rule by rule (for profiling; not part of the report).
//! - `support spawn RUNS PROGRAM [ARGS…]`: starts PROGRAM RUNS times, one after the other, and
//!   prints the mean, median and minimum wall time of a run in milliseconds.
//! - `support startup RUNS A B [ARGS…]`: starts A and B (with ARGS) RUNS times each, in turn,
//!   so that both see the same machine, and prints for each the mean, median and minimum
//!   wall time of a start in milliseconds.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["generate", dir, count] => generate(Path::new(dir), parse(count)),
        ["scripts", dir, out] => scripts(Path::new(dir), Path::new(out)),
        ["spawn", runs, program, rest @ ..] => spawn(parse(runs), program, rest),
        ["startup", runs, a, b, rest @ ..] => startup(parse(runs), a, b, rest),
        ["phases", dir] => phases(Path::new(dir)),
        // `cargo bench` runs every bench target with `--bench`.
        _ => println!("support: run `bash benches/lint.sh`"),
    }
}

fn parse(n: &str) -> usize {
    n.parse().unwrap_or_else(|_| panic!("not a number: {n}"))
}

/// xorshift64*: fast, seedable, good enough to vary text.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SERVICES: &[&str] = &[
    "checkout",
    "inventory",
    "payments",
    "search",
    "auth",
    "billing",
    "catalog",
    "orders",
    "shipping",
    "pricing",
    "ledger",
    "notifications",
    "gateway",
    "reports",
    "profile",
];
const PROBLEMS: &[&str] = &[
    "latency above the SLO",
    "error rate rising",
    "pods crash looping",
    "queue backlog growing",
    "database overloaded",
    "disk filling up",
    "certificate about to expire",
    "memory leak suspected",
];
const TEAMS: &[&str] = &["core", "platform", "data", "edge", "commerce", "identity"];

fn generate(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for n in 0..count {
        let text = runbook(n);
        let path = dir.join(format!("rb-{n:05}.yaml"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// One runbook of 30 steps; `n` seeds everything in it.
fn runbook(n: usize) -> String {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1).wrapping_mul(0x1000_0000_01B3));
    let svc = r.pick(SERVICES);
    let problem = r.pick(PROBLEMS);
    let team = r.pick(TEAMS);
    let name = format!("{svc}-{n}");
    let token = format!("{}_TOKEN_{n}", svc.to_uppercase());
    let mut y = String::with_capacity(8 * 1024);
    let w = &mut y;
    let _ = write!(
        w,
        "version: 1\nname: {name}\ntitle: {svc} {problem} ({n})\ndescription: |\n  \
         The {svc} service shows {problem}. Find the cause, mitigate, and hand over.\n  \
         Written by team-{team}; drilled every quarter.\nowner: team-{team}\n\
         severity: sev{}\ntags: [{svc}, {team}, oncall]\nlinks:\n  \
         dashboard: https://grafana.example.com/d/{name}\n  \
         escalation: https://wiki.example.com/{team}/escalation\n\n",
        1 + r.below(3)
    );
    let _ = write!(
        w,
        "inputs:\n  namespace:\n    description: Kubernetes namespace of the service\n    \
         default: {svc}-prod\n    pattern: '^[a-z0-9-]+$'\n  \
         host:\n    description: Public host name of the service\n    \
         default: {svc}.example.com\n  \
         threshold:\n    description: Healthy below this many errors a minute\n    \
         type: int\n    default: \"{}\"\n  \
         api_token:\n    description: Token for the admin API\n    secret: true\n    \
         env: {token}\n\n",
        10 + r.below(90)
    );
    let _ = write!(
        w,
        "env:\n  NAMESPACE: \"{{{{ inputs.namespace }}}}\"\n  \
         API: \"https://{{{{ inputs.host }}}}/admin/v{}\"\n\nsteps:\n",
        1 + r.below(3)
    );
    let _ = write!(
        w,
        "  - id: ack\n    title: Acknowledge and open the incident\n    checklist:\n      \
         - Acknowledge the page\n      - Post the dashboard link in the incident channel\n      \
         - Say that you are running {name}\n\n"
    );
    // 26 steps from a mix of blocks of 1 to 3 steps, between `ack` and the last three.
    let mut step = 1;
    let mut k = 0;
    while step < 27 {
        k += 1;
        let left = 27 - step;
        // Kinds 1 to 3 are one step, 0 and 4 two, 5 and 6 three.
        let kind = match left {
            1 => 1 + r.below(3),
            2 => r.below(5),
            _ => r.below(7),
        };
        step += match kind {
            0 => run_capture(w, &mut r, svc, k, &token),
            1 => readonly_run(w, &mut r, svc, k),
            2 => wait_step(w, &mut r, k),
            3 => manual(w, &mut r, svc, k),
            4 => dangerous(w, &mut r, svc, k),
            _ => choice(w, &mut r, svc, k, &token),
        };
    }
    wait_step(w, &mut r, k + 1);
    let _ = write!(
        w,
        "  - id: verify\n    title: Check that the service is healthy again\n    \
         readonly: true\n    run: |\n      curl -fsS -H \"Authorization: Bearer ${token}\" \"$API/health\" \\\n        \
         | grep -q '\"status\":\"ok\"'\n      \
         echo \"healthy at $(date -u +%H:%M)\"\n    timeout: 30s\n\n\
         \x20 - id: hand-over\n    title: Hand over\n    notes: true\n    checklist:\n      \
         - Post the outcome in the incident channel\n      - Open a ticket for the follow-up\n"
    );
    y
}

fn run_capture(w: &mut String, r: &mut Rng, svc: &str, k: usize, token: &str) -> usize {
    let minutes = 5 + r.below(55);
    let lines = 10 + r.below(90);
    let script = match r.below(3) {
        0 => format!(
            "kubectl -n \"$NAMESPACE\" logs deploy/{svc} --since={minutes}m \\\n        | grep -c ERROR || true"
        ),
        1 => format!(
            "kubectl -n \"$NAMESPACE\" get pods -l app={svc} -o name \\\n        | head -n {lines} | wc -l"
        ),
        _ => format!(
            "curl -fsS -H \"Authorization: Bearer ${token}\" \"$API/stats?window={minutes}m\" \\\n        | jq -r '.errors'"
        ),
    };
    let _ = write!(
        w,
        "  - id: count-{k}\n    title: Count the errors of the last {minutes} minutes\n    \
         readonly: true\n    run: |\n      {script}\n    capture: errors_{k}\n    \
         timeout: {}s\n\n\
         \x20 - id: report-{k}\n    title: Report the count\n    \
         instructions: Post {{{{ vars.errors_{k} }}}} errors in the channel for {svc}.\n    \
         run: echo \"{{{{ vars.errors_{k} }}}} errors on {{{{ inputs.host }}}} at step {k}\"\n\n",
        10 + r.below(50)
    );
    2
}

fn readonly_run(w: &mut String, r: &mut Rng, svc: &str, k: usize) -> usize {
    let limit = 3 + r.below(20);
    let script = match r.below(3) {
        0 => format!(
            "kubectl -n \"$NAMESPACE\" top pods -l app={svc} --sort-by=cpu | head -n {limit}"
        ),
        1 => format!(
            "psql \"postgres://{svc}-db/{svc}\" -Atc \"select state, count(*) from pg_stat_activity\n        group by state order by 2 desc limit {limit}\""
        ),
        _ => format!(
            "for zone in a b c; do\n        dig +short \"{svc}-$zone.{{{{ inputs.host }}}}\" | head -n {limit}\n      done"
        ),
    };
    let _ = write!(
        w,
        "  - id: look-{k}\n    title: Look at the {svc} resources ({k})\n    readonly: true\n    \
         run: |\n      {script}\n    timeout: {}s\n\n",
        15 + r.below(45)
    );
    1
}

fn wait_step(w: &mut String, r: &mut Rng, k: usize) -> usize {
    let _ = write!(
        w,
        "  - id: settle-{k}\n    title: Wait for the error rate to settle\n    wait:\n      \
         run: curl -fsS \"$API/errors?window={}m\" | jq -r '.count'\n      \
         until: output | int < inputs.threshold | int\n      interval: {}s\n      \
         timeout: {}m\n\n",
        1 + r.below(9),
        5 + r.below(25),
        5 + r.below(25)
    );
    1
}

fn manual(w: &mut String, r: &mut Rng, svc: &str, k: usize) -> usize {
    let what = r.pick(&[
        "deploys",
        "feature flags",
        "config changes",
        "traffic shifts",
    ]);
    let _ = write!(
        w,
        "  - id: check-{k}\n    title: Check recent {what}\n    \
         instructions: |\n      Open the {svc} change log and look for {what} in the last hour.\n      \
         Note anything that lines up with the start of the incident.\n    notes: true\n\n"
    );
    1
}

fn dangerous(w: &mut String, r: &mut Rng, svc: &str, k: usize) -> usize {
    let replicas = 2 + r.below(10);
    let _ = write!(
        w,
        "  - id: pod-{k}\n    title: Name the pod to restart\n    ask:\n      var: pod_{k}\n      \
         prompt: Pod name\n      pattern: '^{svc}-[a-z0-9-]+$'\n\n\
         \x20 - id: restart-{k}\n    title: Restart the pod\n    \
         run: kubectl -n \"$NAMESPACE\" delete pod \"{{{{ vars.pod_{k} }}}}\" --wait=false\n    \
         rollback: kubectl -n \"$NAMESPACE\" scale deploy/{svc} --replicas={replicas}\n    \
         dangerous: true\n    confirm: restart {{{{ vars.pod_{k} }}}}\n    on_failure: continue\n\n"
    );
    2
}

fn choice(w: &mut String, r: &mut Rng, svc: &str, k: usize, token: &str) -> usize {
    let percent = 10 + r.below(80);
    let _ = write!(
        w,
        "  - id: decide-{k}\n    title: Is one release to blame?\n    choose:\n      \
         prompt: Compare the error graph with the deploy markers.\n      var: cause_{k}\n      \
         options:\n        - label: Yes, the last release\n          next: rollback-{k}\n          \
         value: release\n        - label: No, something else\n          next: after-{k}\n          \
         value: other\n\n\
         \x20 - id: rollback-{k}\n    title: Roll the release back\n    \
         run: |\n      curl -fsS -X POST -H \"Authorization: Bearer ${token}\" \\\n        \
         \"$API/rollouts/{svc}/undo?percent={percent}\"\n    \
         rollback: |\n      curl -fsS -X POST -H \"Authorization: Bearer ${token}\" \"$API/rollouts/{svc}/resume\"\n    \
         dangerous: true\n    timeout: 2m\n\n\
         \x20 - id: after-{k}\n    title: Record the cause\n    \
         instructions: The cause was {{{{ vars.cause_{k} }}}}; note it for the review.\n    \
         notes: true\n\n"
    );
    3
}

fn scripts(dir: &Path, out: &Path) {
    use runbook::lint::Context;
    use runbook::lint::shellcheck::jobs;
    use runbook::lint::subrunbooks::SubRunbooks;
    std::fs::create_dir_all(out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let subs = SubRunbooks::default();
    let mut count = 0;
    for file in files {
        let Ok(loaded) = runbook::load::load_path(&file) else {
            continue;
        };
        let Some(rb) = &loaded.runbook else { continue };
        let cx = Context::new(&loaded.source, rb, &loaded.issues, &subs);
        for job in jobs(&cx) {
            let prefix = if job.shell == "bash" {
                "set -eo pipefail; "
            } else {
                "set -e; "
            };
            let path = out.join(format!("{count:06}.{}", job.shell));
            std::fs::write(&path, format!("{prefix}{}", job.text))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            count += 1;
        }
    }
    println!("{count}");
}

/// One run of `program`, in milliseconds.
fn run_once(program: &str, args: &[&str]) -> f64 {
    let started = Instant::now();
    let status = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    // lint exits 1 when it finds problems: only a crash is a failure here.
    assert!(status.code().is_some(), "{program} was killed: {status}");
    ms
}

/// "mean median minimum" of some times.
fn summary(mut times: Vec<f64>) -> String {
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    times.sort_by(f64::total_cmp);
    format!("{mean:.3} {:.3} {:.3}", times[times.len() / 2], times[0])
}

fn spawn(runs: usize, program: &str, args: &[&str]) {
    let times = (0..runs.max(1)).map(|_| run_once(program, args)).collect();
    println!("{}", summary(times));
}

fn startup(runs: usize, a: &str, b: &str, args: &[&str]) {
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        ta.push(run_once(a, args));
        tb.push(run_once(b, args));
    }
    println!("{}", summary(ta));
    println!("{}", summary(tb));
}

fn phases(dir: &Path) {
    use runbook::lint::Context;
    use runbook::lint::registry::RULES;
    use runbook::lint::subrunbooks::SubRunbooks;
    use runbook::load::{Source, convert, yaml};
    use std::time::Duration;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let subs = SubRunbooks::default();
    let mut stages = [Duration::ZERO; 5];
    let mut rules = vec![Duration::ZERO; RULES.len()];
    let mut floor = Duration::ZERO;
    for file in &files {
        let t = Instant::now();
        let bytes = std::fs::read(file).unwrap_or_default();
        let text = yaml::decode(bytes).unwrap_or_default();
        let source = Source::new(file, text);
        stages[0] += t.elapsed();
        let t = Instant::now();
        let _ = serde_saphyr::from_str::<serde_json::Value>(&source.text);
        floor += t.elapsed();
        let t = Instant::now();
        let Ok(root) = yaml::parse(&source) else {
            continue;
        };
        stages[1] += t.elapsed();
        let t = Instant::now();
        let mut issues = Vec::new();
        let rb = convert::convert(&source, &root, &mut issues);
        stages[2] += t.elapsed();
        let t = Instant::now();
        let cx = Context::new(&source, &rb, &issues, &subs);
        stages[3] += t.elapsed();
        let t = Instant::now();
        for (i, rule) in RULES.iter().enumerate() {
            let r = Instant::now();
            let mut out = Vec::new();
            rule.check(&cx, &mut out);
            rules[i] += r.elapsed();
        }
        stages[4] += t.elapsed();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("floor (serde_json::Value): {:8.1} ms", ms(floor));
    for (name, d) in ["read+decode", "parse (Node)", "convert", "context", "rules"]
        .iter()
        .zip(stages)
    {
        println!("{name:<26} {:8.1} ms", ms(d));
    }
    let mut by_rule: Vec<(Duration, &str)> = rules
        .iter()
        .zip(RULES)
        .map(|(d, r)| (*d, r.meta().code))
        .collect();
    by_rule.sort();
    for (d, code) in by_rule.iter().rev().take(8) {
        println!("  {code:<24} {:8.1} ms", ms(*d));
    }
}
