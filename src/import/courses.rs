//! What names one of several courses of a page: a heading or an item "If …", "Option B",
//! "On OpenShift 4.x", "Solution 1" (read by [`super::decisions`] and the decisions of
//! sections and items, which make them a decision, and by [`super::titles`], which does not
//! title a step by one).

/// "On Omnibus:", "On Kubernetes:", "On GKE, …": a course for one way of running the
/// service, beside the others (an audit found both run, the first never ending); "On the
/// primary:" is a place, done in turn.
pub(super) fn on_platform(t: &str) -> bool {
    const PLATFORMS: &[&str] = &[
        "omnibus",
        "kubernetes",
        "k8s",
        "helm",
        "docker",
        "compose",
        "linux package",
        "source",
        "gke",
        "eks",
        "aks",
        "openshift",
        "bare metal",
        "vm",
        "vms",
        "ecs",
        "nomad",
        "systemd",
        "windows",
        "macos",
        "kubeadm",
        "k3s",
        "rke",
        "rke2",
        "microk8s",
        "minikube",
        "kind",
        "podman",
        "debian",
        "ubuntu",
        "rhel",
        "centos",
        "openstack",
        "vsphere",
        "rook",
        "cephadm",
        "proxmox",
        "aws",
        "gcp",
        "azure",
        "ec2",
        "baremetal",
        "lxc",
        "lxd",
        "swarm",
    ];
    let Some(rest) = t.strip_prefix("on ") else {
        return false;
    };
    let what = rest
        .split([':', ',', '('])
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches("a ")
        .trim_start_matches("an ");
    if PLATFORMS.iter().any(|p| {
        what == *p
            || what.strip_suffix(" installations").is_some_and(|w| w == *p)
            || what.strip_suffix(" install").is_some_and(|w| w == *p)
    }) {
        return true;
    }
    // "On OpenShift 4.x", "On a plain kubeadm cluster", "On self-managed GKE clusters": a
    // platform with its version and the words around it (audit 14i found both defrag
    // commands run in a row).
    let words: Vec<&str> = what
        .split_whitespace()
        .filter(|w| {
            let skipped = matches!(
                *w,
                "the"
                    | "plain"
                    | "vanilla"
                    | "self-managed"
                    | "managed"
                    | "upstream"
                    | "cluster"
                    | "clusters"
                    | "installation"
                    | "installations"
                    | "install"
                    | "deployment"
                    | "deployments"
            );
            let version = w.starts_with(|c: char| c.is_ascii_digit())
                || (w.starts_with('v') && w[1..].starts_with(|c: char| c.is_ascii_digit()));
            !skipped && !version
        })
        .collect();
    (1..=2).contains(&words.len())
        && words
            .iter()
            .any(|w| PLATFORMS.contains(w) && !matches!(*w, "source" | "helm" | "compose"))
}

/// "3. Drop the queue (last resort)", "Last resort: flush the cache": what the page would
/// rather not do, only when nothing before it helped (audit 39 I-18 found a queue's every
/// job cleared in the normal walk).
pub(super) fn last_resort(title: &str) -> bool {
    let t = bare(title).to_lowercase();
    let t = t.trim_end_matches([':', '.', ' ']);
    t.starts_with("last resort")
        || t.starts_with("as a last resort")
        || t.contains("(last resort)")
        || t.ends_with(" last resort")
}

/// Whether a heading names one of several courses ("If the pod is Pending", "Option B").
pub(super) fn alternative(title: &str) -> bool {
    let t = title.trim().to_lowercase();
    [
        "if ",
        "option ",
        "alternative ",
        "when ",
        "case ",
        "otherwise",
        "else",
        "none of",
    ]
    .iter()
    .chain(OTHER_OPTIONS)
    .any(|w| t.starts_with(w))
        || on_platform(&t)
        || numbered_course(&t)
}

/// "Option" in other languages, as headings and bold items start with it (audit 14m M1, M2).
pub(super) const OTHER_OPTIONS: &[&str] = &[
    "opção ",
    "opcao ",
    "opción ",
    "opcion ",
    "opzione ",
    "variante ",
    "alternativa ",
    "möglichkeit ",
];

/// "Solution 1", "Workaround B:", "Method 2 — …", "Approach 3", "Fix 1": a heading that
/// numbers one of several ways (an audit found three solutions run in a row).
fn numbered_course(lower: &str) -> bool {
    [
        "solution ",
        "workaround ",
        "method ",
        "approach ",
        "fix ",
        "remedy ",
        "way ",
    ]
    .iter()
    .any(|w| {
        lower.strip_prefix(w).is_some_and(|rest| {
            let n = rest
                .split([' ', ':', '.', ')', '-', '—', '–'])
                .next()
                .unwrap_or("");
            !n.is_empty()
                && (n.bytes().all(|b| b.is_ascii_digit())
                    || (n.len() == 1 && n.bytes().all(|b| b.is_ascii_lowercase())))
        })
    })
}

/// A heading's words, without the emoji, symbols and punctuation in front (`🅰️ Option A`,
/// `🧐 Meaning`, `✅ Option B` read as `Option A`, `Meaning`, `Option B`: audit 14l L6, L7).
pub(super) fn bare(title: &str) -> &str {
    // (🅰 and ① are letters and digits to Unicode, in a frame: symbols here.)
    let framed = |c: char| matches!(c, '\u{2460}'..='\u{24FF}' | '\u{1F100}'..='\u{1F1FF}');
    title.trim_start_matches(|c: char| {
        (!c.is_alphanumeric() || framed(c)) && !matches!(c, '[' | '(' | '`')
    })
}
