use crate::lint::{Context, Finding, Rule, RuleMeta};
use regex::Regex;
use std::sync::OnceLock;

crate::declare_rule! {
    /// ## What it does
    /// Reports a destructive command in the `run` or `wait.run` of a step that is not marked
    /// `dangerous: true`: `rm -r`/`rm -f`, SQL `DROP`, `TRUNCATE` and `DELETE FROM`,
    /// `kubectl delete`/`drain`, `helm uninstall`, `terraform destroy`, `aws … delete-*`,
    /// `terminate-*` and `s3 rm`, `iptables -F`, `git push --force`, `redis-cli flushall`,
    /// `dd of=/dev/…`, `mkfs`, `reboot`, `shutdown`, `halt`, `poweroff`.
    ///
    /// ## Why this matters
    /// A dangerous step asks the operator to type a confirmation phrase before it runs;
    /// `--yes` never confirms it. At 3 am, that pause is what stops the wrong command on the
    /// wrong host.
    ///
    /// ## Example
    /// ```yaml
    ///   - id: purge
    ///     title: Drop the stuck queue table
    ///     run: psql "$DB" -c 'DROP TABLE job_queue'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   - id: purge
    ///     title: Drop the stuck queue table
    ///     run: psql "$DB" -c 'DROP TABLE job_queue'
    ///     dangerous: true
    ///     confirm: drop job_queue
    /// ```
    pub struct DestructiveCommand {
        code: "RB027",
        name: "destructive-command",
        severity: Error,
    }
}

/// (pattern, what it is). A command position is the start of a line or follows `;`, `&`,
/// `|`, `(`, `sudo` or `xargs`.
const PATTERNS: &[(&str, &str)] = &[
    (
        r"(?m)(?:^|[;&|(`]|\bsudo|\bxargs)\s*rm\s+(?:-{1,2}[\w-]+\s+)*-[a-zA-Z]*[rRf]",
        "rm -r / rm -f",
    ),
    (
        r"(?i)\bdrop\s+(?:table|database|schema|index|role|user|view|owned)\b",
        "SQL DROP",
    ),
    (r"(?i)\btruncate\s+(?:table\s+)?[\w.]", "SQL TRUNCATE"),
    (r"(?i)\bdelete\s+from\b", "SQL DELETE"),
    (
        r"\bkubectl\b[^\n;&|]*\s(?:delete|drain)\b",
        "kubectl delete / drain",
    ),
    (r"\bhelm\s+(?:uninstall|delete)\b", "helm uninstall"),
    (
        r"\bterraform\s+(?:destroy\b|apply\b[^\n;&|]*-destroy\b)",
        "terraform destroy",
    ),
    (
        r"\baws\s[^\n;&|]*\b(?:delete|terminate|remove|deregister)-[a-z-]+",
        "aws delete / terminate",
    ),
    (r"\baws\s+s3\s+(?:rm|rb)\b", "aws s3 rm"),
    (
        r"\biptables\b[^\n;&|]*\s(?:-F|--flush|-X|--delete-chain)\b",
        "iptables flush",
    ),
    (
        r"\bgit\s+push\b[^\n;&|]*\s(?:--force\b|-f\b|--force-with-lease\b)",
        "git push --force",
    ),
    (
        r"(?i)\bredis-cli\b[^\n;&|]*\bflush(?:all|db)\b",
        "redis FLUSHALL",
    ),
    (r"\bdd\b[^\n;&|]*\bof=/dev/", "dd to a device"),
    (r"\bmkfs(?:\.\w+)?\b", "mkfs"),
    (
        r"(?m)(?:^|[;&|(`]|\bsudo)\s*(?:systemctl\s+)?(?:reboot|shutdown|halt|poweroff)\b",
        "reboot / shutdown",
    ),
];

fn patterns() -> &'static [(Regex, &'static str)] {
    static COMPILED: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        PATTERNS
            .iter()
            .filter_map(|(p, what)| Regex::new(p).ok().map(|re| (re, *what)))
            .collect()
    })
}

/// The destructive commands in a script: (byte range, what it is). Comment lines are skipped.
pub fn find_destructive(script: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let mut found = Vec::new();
    for (re, what) in patterns() {
        for m in re.find_iter(script) {
            let line_start = script[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            if script[line_start..m.start()].trim_start().starts_with('#') {
                continue;
            }
            let text = m.as_str();
            let lead = text.len()
                - text
                    .trim_start_matches(|c: char| "\n;&|(`".contains(c) || c.is_whitespace())
                    .len();
            let lead = if text[lead..].starts_with("sudo") || text[lead..].starts_with("xargs") {
                0
            } else {
                lead
            };
            found.push((m.start() + lead..m.end(), *what));
        }
    }
    found.sort_by_key(|(r, _)| r.start);
    found
}

impl Rule for DestructiveCommand {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for s in cx
            .sites
            .iter()
            .filter(|s| matches!(s.site.field, "run" | "wait.run"))
        {
            let Some(step) = s.site.step else { continue };
            if step.is_dangerous() {
                continue;
            }
            for (range, what) in find_destructive(&s.site.value.value) {
                out.push(Finding::new(
                    cx.span_in(&s.site, range.start, range.len()),
                    format!("destructive command ({what}) in step `{}`, which is not marked `dangerous`", step.id()),
                    "add `dangerous: true` so the operator must type a confirmation, and a `rollback` if it can be undone",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::find_destructive;

    #[test]
    fn destructive_and_harmless_commands() {
        let destructive = [
            "rm -rf /var/lib/x",
            "sudo rm -f /tmp/lock",
            "cd /x && rm -r old",
            "psql -c 'DROP TABLE jobs'",
            "psql -c \"truncate table audit\"",
            "psql -c 'delete from sessions'",
            "kubectl -n prod delete pod api-1",
            "kubectl drain node-1",
            "terraform destroy -auto-approve",
            "aws ec2 terminate-instances --instance-ids i-1",
            "aws s3 rm s3://bucket/key",
            "iptables -F",
            "git push origin main --force",
            "redis-cli -h cache FLUSHALL",
            "dd if=/dev/zero of=/dev/sda",
            "mkfs.ext4 /dev/sdb1",
            "sudo reboot",
            "systemctl reboot",
            "helm uninstall api",
        ];
        for script in destructive {
            assert!(!find_destructive(script).is_empty(), "{script}");
        }
        let harmless = [
            "ls -la",
            "echo 'will reboot later'",
            "# rm -rf /\nls",
            "kubectl get pods",
            "psql -c 'select * from dropped_items'",
            "grep -rf patterns.txt .",
            "terraform plan",
            "aws ec2 describe-instances",
        ];
        for script in harmless {
            assert!(
                find_destructive(script).is_empty(),
                "{script}: {:?}",
                find_destructive(script)
            );
        }
    }
}
