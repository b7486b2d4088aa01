//! Where a value names the scope a command acts in, and a value naming everything there
//! acts everywhere (audit 41 A41-8): an empty namespace, context, project, subscription,
//! profile or region of a command that deletes or changes falls back to the current
//! default (client-go reads `-n ""` as not given), and `all` as the table or device of
//! `ip route|neigh|addr flush`, `0/0` or `default` as what `ip route flush` flushes.

use super::super::types::{Wide, WideKind};
use super::found::Found;

impl Found<'_> {
    /// Where the value is such a scope of `program`.
    pub(super) fn scope(&self, program: &str) -> Option<Wide> {
        let previous = self.previous();
        match program {
            "kubectl" | "oc" | "helm" | "gcloud" | "az" | "aws"
                if (SCOPE_OPTIONS.contains(&previous)
                    || SCOPE_OPTIONS
                        .iter()
                        .any(|o| o.starts_with("--") && self.before.strip_suffix('=') == Some(*o)))
                    // (`-n` is a name for the clouds' clients: `az vm delete -n web-1`.)
                    && (matches!(program, "kubectl" | "oc" | "helm") || previous != "-n")
                    && self.changes(program) =>
            {
                Some(Wide::new(SCOPE, WideKind::Scope, Default::default()))
            }
            "ip" if self.verb(&["flush"]) => {
                let flushed = self.operands[self.k..].iter().all(|a| a.cooked != "flush");
                let device = matches!(previous, "table" | "dev") && flushed;
                let prefix = previous == "flush" && self.verb(&["route", "r", "ro", "rou"]);
                (device || prefix).then(|| Wide::new(FLUSHED, WideKind::Network, self.around(None)))
            }
            _ => None,
        }
    }

    /// Whether the command deletes or changes what is in its scope (not `get`, `list`,
    /// `describe`, `logs`).
    fn changes(&self, program: &str) -> bool {
        match program {
            "kubectl" | "oc" => self.verb(&[
                "delete",
                "drain",
                "cordon",
                "uncordon",
                "scale",
                "apply",
                "patch",
                "replace",
                "rollout",
                "label",
                "annotate",
                "set",
                "edit",
                "create",
                "taint",
                "autoscale",
                "expose",
                "run",
            ]),
            "helm" => self.verb(&[
                "uninstall",
                "delete",
                "del",
                "un",
                "upgrade",
                "install",
                "rollback",
            ]),
            "gcloud" | "az" => self.verb(&[
                "delete",
                "stop",
                "reset",
                "update",
                "create",
                "resize",
                "set",
                "deallocate",
                "restart",
                "purge",
                "remove",
                "add-iam-policy-binding",
            ]),
            "aws" => self.operands.iter().any(|a| {
                [
                    "delete-",
                    "terminate-",
                    "stop-",
                    "update-",
                    "put-",
                    "modify-",
                    "remove-",
                ]
                .iter()
                .any(|p| a.cooked.starts_with(p))
                    || matches!(a.cooked.as_str(), "rm" | "rb" | "mv" | "sync")
            }),
            _ => false,
        }
    }
}

/// The options that name where a cloud or cluster client acts; an empty one is not given.
const SCOPE_OPTIONS: &[&str] = &[
    "-n",
    "--namespace",
    "--context",
    "--kube-context",
    "--project",
    "--subscription",
    "--profile",
    "--region",
];

const SCOPE: &str = "it names the namespace, context, project, subscription, profile or region of a command that deletes or changes, where an empty value is read as not given: the command would act in the current default one, which the operator never named";
const FLUSHED: &str = "it is what `ip … flush` flushes, where `all` (every table or device), `0/0`, `default` or a short prefix would flush every route or address";
