//! Where an `export VAR=…` of the page is given to the steps: once, through the runbook's
//! `env:`, when every walk passes the step that exports it and no step before uses the
//! variable (nor, for a program's own setting such as `AWS_PROFILE`, runs any command) (audit 14p A-28 found it copied into every later step's `env:`, a long page's
//! draft growing with the square of its length); else through the `env:` of each step the
//! walk reaches from it (`exports::apply_exports`).

use super::draft::Draft;
use super::pos::Pos;

/// A variable exported with several values one after the other (`export REDIS_HOST=a` in
/// step 1, `export REDIS_HOST=b` in step 5), `in_turn` (its name, the index of its first
/// export in `exported`): its input gives the first value, which the first export writes
/// (`export REDIS_HOST={{ inputs.redis_host }}`) and the steps get up to the next export
/// (audit 41 I41-1 found the input declared and every step given the page's first value,
/// the operator's ignored). The names whose first export could not be written so (a step
/// with `templates: false`, a value the run would refuse there): their input is no use.
pub(super) fn first_export_by_input(
    d: &mut Draft,
    exported: &mut [(String, String, Pos)],
    in_turn: &[(String, usize)],
) -> Vec<String> {
    let mut unwritten = Vec::new();
    for (name, e) in in_turn {
        let input = name.to_ascii_lowercase();
        let Some((_, literal, line)) = exported.get(*e) else {
            continue;
        };
        let by_export = d.inputs.get(&input).is_some_and(|i| {
            i.description.ends_with(", set by `export` on the page")
                && i.default.as_deref() == Some(literal.as_str())
        });
        if !by_export {
            continue;
        }
        let template = format!("{{{{ inputs.{input} }}}}");
        let step = d
            .steps
            .iter_mut()
            .find(|s| s.pos == *line && s.run.is_some() && !s.no_templates);
        let written = step.and_then(|s| {
            let run = super::variables::export_written(s.run.as_deref()?, name, &template)?;
            s.run = Some(run);
            Some(())
        });
        match written {
            Some(()) => exported[*e].1 = template,
            None => unwritten.push(name.clone()),
        }
    }
    unwritten
}

/// Whether the export of `name` in step `from` may be given through the runbook's `env:`:
/// every walk passes `from` (none goes from the first step to an end around it), and every
/// step it does not reach (`reached`) neither uses `name` nor gives it a value of its own.
/// Then each step sees the value the page gives it from the export on, and a step before it
/// sees a value it does not read. `next`: where the walk goes from each step.
pub(super) fn runbook_wide(
    d: &Draft,
    next: &[Vec<usize>],
    from: usize,
    reached: &[bool],
    name: &str,
) -> bool {
    if d.env.contains_key(name) || d.steps.is_empty() {
        return false;
    }
    let around = around(next, from);
    let ends_around = (0..next.len()).any(|k| around[k] && next[k].is_empty());
    let joins_around = (0..next.len()).any(|k| around[k] && reached.get(k) == Some(&true));
    if ends_around || joins_around {
        return false;
    }
    let (plain, braced) = (format!("${name}"), format!("${{{name}"));
    let before: Vec<_> = d
        .steps
        .iter()
        .zip(reached)
        .filter(|(_, r)| !**r)
        .map(|(s, _)| s)
        .collect();
    // (A program's own setting, `AWS_PROFILE`, `VAULT_ADDR`, read by a command before the
    // export without a `$`: given there only when no command runs before it.)
    (!read_by_programs(name) || before.iter().all(|s| s.run.is_none()))
        && before.iter().all(|s| {
            let uses = |t: &str| t.contains(&plain) || t.contains(&braced);
            !s.run.as_deref().is_some_and(uses) && !s.env.iter().any(|(n, v)| n == name || uses(v))
        })
}

/// Whether programs read a variable of this name from their environment, unasked (a
/// cloud's or a tool's own setting, a proxy, the locale): `AWS_PROFILE`, `VAULT_ADDR`,
/// `PGHOST`, `HTTPS_PROXY`, `LC_ALL`.
fn read_by_programs(name: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "AWS_",
        "AZURE_",
        "ARM_",
        "GOOGLE_",
        "CLOUDSDK_",
        "GCLOUD_",
        "OS_",
        "VAULT_",
        "CONSUL_",
        "NOMAD_",
        "KUBE",
        "HELM_",
        "DOCKER_",
        "COMPOSE_",
        "CONTAINER_",
        "PG",
        "MYSQL_",
        "REDISCLI_",
        "ETCDCTL_",
        "TF_",
        "ANSIBLE_",
        "GIT_",
        "GH_",
        "GITLAB_",
        "SSH_",
        "GPG_",
        "GNUPG",
        "LC_",
        "LANG",
        "TZ",
        "HOME",
        "USER",
        "TERM",
        "TMPDIR",
        "SSL_",
        "CURL_",
        "REQUESTS_",
        "NODE_",
        "PYTHON",
        "JAVA_",
        "OTEL_",
        "DATADOG_",
        "DD_",
        "SENTRY_",
        "ELASTIC",
        "ES_",
        "KAFKA_",
        "ZOO",
        "OC_",
        "OPENSHIFT_",
        "ARGOCD_",
        "FLUX_",
        "ISTIO",
        "LINKERD",
        "NATS_",
        "RABBITMQ_",
        "MINIO_",
        "MC_",
        "RCLONE_",
        "RESTIC_",
        "BORG_",
    ];
    let upper = name.to_ascii_uppercase();
    upper.ends_with("_PROXY")
        || upper.ends_with("_TOKEN")
        || PREFIXES.iter().any(|p| upper.starts_with(p))
}

/// Whether a step the walk reaches from step `from` is also reached on a walk that skips
/// `from` (an export under an "If …" option, and the step after the options).
pub(super) fn skipped_by_a_walk(next: &[Vec<usize>], from: usize) -> bool {
    if from == 0 {
        return false;
    }
    let without = around(next, from);
    if !without.iter().any(|r| *r) {
        return false;
    }
    reached_from(next, from, None)
        .iter()
        .zip(&without)
        .enumerate()
        .any(|(k, (by, around))| k != from && *by && *around)
}

/// The steps the walk reaches from the first one without passing step `blocked`.
fn around(next: &[Vec<usize>], blocked: usize) -> Vec<bool> {
    reached_from(next, 0, Some(blocked))
}

/// The steps the walk reaches from `from` (itself included), by `next`, never entering
/// `blocked`.
pub(super) fn reached_from(next: &[Vec<usize>], from: usize, blocked: Option<usize>) -> Vec<bool> {
    let mut seen = vec![false; next.len()];
    let mut stack = vec![from];
    while let Some(k) = stack.pop() {
        if Some(k) == blocked || k >= seen.len() || std::mem::replace(&mut seen[k], true) {
            continue;
        }
        stack.extend(
            next[k]
                .iter()
                .copied()
                .filter(|&n| !seen.get(n).copied().unwrap_or(true)),
        );
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::{around, read_by_programs};

    #[test]
    fn programs_own_settings_are_known_by_their_names() {
        for name in [
            "AWS_PROFILE",
            "VAULT_ADDR",
            "PGHOST",
            "HTTPS_PROXY",
            "KUBECONFIG",
        ] {
            assert!(read_by_programs(name), "{name}");
        }
        for name in ["NS", "REGION", "DEPLOY", "POD", "PAIR"] {
            assert!(!read_by_programs(name), "{name}");
        }
    }

    #[test]
    fn the_steps_around_a_step_are_those_reached_without_it() {
        // 0 → 1 → 3, 0 → 2 → 3: around 1, the walk reaches 0, 2, 3; around 0, nothing.
        let next = vec![vec![1, 2], vec![3], vec![3], vec![]];
        assert_eq!(around(&next, 1), [true, false, true, true]);
        assert_eq!(around(&next, 0), [false; 4]);
    }
}
