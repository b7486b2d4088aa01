//! The unit table of audit 40 for [`super`]: each script with a value it refuses and an
//! ordinary value it takes, then scripts where nothing is widened.

pub(super) const REFUSED: &[(&str, &str, &str)] = &[
    // Audit 40 A40-4: a prefix length as iptables reads it (hex, octal).
    (
        "iptables -A INPUT -s \"{{ v }}\" -j ACCEPT",
        "0.0.0.0/0x0",
        "10.1.2.0/24",
    ),
    (
        "iptables -A INPUT -s \"{{ v }}\" -j ACCEPT",
        "10.0.0.0/0x7",
        "10.0.0.0/8",
    ),
    (
        "iptables -A INPUT -s \"{{ v }}\" -j ACCEPT",
        "10.0.0.0/07",
        "10.0.0.0/16",
    ),
    // A40-5: patterns of one common character or fragment.
    ("pkill -f -- \"{{ v }}\"", "/", "gunicorn: app"),
    ("pkill -f -- \"{{ v }}\"", "e", "gunicorn: app"),
    ("pkill -f -- \"{{ v }}\"", "[0-9]", "gunicorn: app"),
    ("pkill -f -- \"{{ v }}\"", "[e]", "gunicorn: app"),
    ("pkill -f -- \"{{ v }}\"", "usr", "gunicorn: app"),
    ("pgrep -f \"{{ v }}\" | xargs kill", " -", "sshd"),
    (
        "ps aux | grep -F \"{{ v }}\" | awk '{print $2}' | xargs kill",
        ".",
        "worker.py",
    ),
    // (A fixed string is judged with the text around the value: `# job-7` picks one line.)
    (
        "crontab -l | grep -vF \"# job-{{ v }}\" | crontab -",
        "",
        "7",
    ),
    ("sed -i \"/^{{ v }} /d\" /etc/hosts", "[0-9]", "8.8.8.8"),
    // A40-6: a regex over the whole path.
    (
        "find /var/log -type f -regex \"{{ v }}\" -delete",
        "/.+",
        ".*/api\\.log",
    ),
    (
        "find /var/log -iregex \"{{ v }}\" -delete",
        ".*/.*",
        ".*/api\\.log",
    ),
    // A40-7: lines of a table or file.
    (
        "crontab -l | grep -v \"{{ v }}\" | crontab -",
        "\\*",
        "backup.sh",
    ),
    (
        "crontab -l | grep -v \"{{ v }}\" | crontab -",
        "/",
        "backup.sh",
    ),
    ("sed -i '/{{ v }}/d' /etc/hosts", "0", "old-host"),
    ("sed -i '/{{ v }}/d' /etc/hosts", "[0-9]", "old-host"),
    // A40-8: slices and targets.
    (
        "systemctl stop -- \"{{ v }}\"",
        "system.slice",
        "nginx.service",
    ),
    ("systemctl stop \"{{ v }}\"", "multi-user.target", "nginx"),
    ("systemctl stop -- \"{{ v }}\"", "-.slice", "nginx"),
    // A40-9: the wildcards of the object stores.
    (
        "gsutil -m rm \"gs://backups-prod/dumps/{{ v }}\"",
        "**",
        "r1.sql.gz",
    ),
    (
        "gsutil -m rm \"gs://backups-prod/dumps/{{ v }}\"",
        "r1/*",
        "r1.sql.gz",
    ),
    (
        "gcloud storage rm \"gs://backups-prod/dumps/{{ v }}\"",
        "*",
        "r1.sql.gz",
    ),
    (
        "az storage blob delete-batch --source backups --pattern \"{{ v }}\"",
        "*",
        "dumps/r1.sql.gz",
    ),
    // A40-10: host lists of the parallel remote runners.
    ("pdsh -w \"{{ v }}\" uptime", "web[1-99]", "web-1"),
    ("pdsh -w \"{{ v }}\" uptime", "^/tmp/hosts", "web-1"),
    ("clush -w \"{{ v }}\" -b uptime", "@all", "web-1"),
    ("pdsh -w \"{{ v }}\" uptime", "@all", "ops@web-1"),
    // (pssh's `-H` reads no pattern: only more hosts widen it.)
    (
        "parallel-ssh -H \"{{ v }}\" uptime",
        "web-1 web-2",
        "ops@web-1:2222",
    ),
    ("knife ssh \"name:{{ v }}\" uptime", "*", "web-1"),
    // A40-12: label selectors and keys.
    ("kubectl delete pods -l \"{{ v }}\"", "!nothing", "app=web"),
    ("kubectl delete pods -l \"{{ v }}\"", "app", "app=web"),
    (
        "kubectl delete pods --selector=\"{{ v }}\"",
        "app notin (x)",
        "app in (web)",
    ),
    (
        "etcdctl del \"/app/{{ v }}\" --from-key",
        "!",
        "sessions/u-42",
    ),
    // A40-13, A40-14: zfs, git, btrfs, mc, hdfs, azcopy.
    ("zfs destroy \"tank/db@{{ v }}\"", "%", "daily-2026-12-01"),
    ("zfs destroy \"tank/db@{{ v }}\"", "a%", "daily-2026-12-01"),
    ("git clean -fdx -- \"{{ v }}\"", ".", "sub/x.tmp"),
    ("git clean -fdx -- \"{{ v }}\"", "*", "sub/x.tmp"),
    ("git clean -fdx -- \"{{ v }}\"", ":/", "sub/x.tmp"),
    ("btrfs subvolume delete \"/snaps/{{ v }}\"", "", "daily-1"),
    ("btrfs subvolume delete \"/snaps/{{ v }}\"", ".", "daily-1"),
    (
        "mc rm --recursive --force \"minio/backups/dumps/{{ v }}\"",
        "",
        "r1",
    ),
    (
        "hdfs dfs -rm -r -skipTrash \"/data/dumps/{{ v }}\"",
        "*",
        "r1",
    ),
    (
        "hdfs dfs -rm -r -skipTrash \"/data/dumps/{{ v }}\"",
        ".",
        "r1",
    ),
    (
        "azcopy rm \"https://acct.blob.core.windows.net/backups/dumps/{{ v }}\" --recursive",
        "*",
        "r1",
    ),
    // consul exec's `-node`, `-service` and `-tag` are regular expressions over names,
    // read before its command (which stays a command a shell on each node parses).
    ("consul exec -node \"{{ v }}\" uptime", ".", "web-1"),
    ("consul exec -node=\"{{ v }}\" \"uptime\"", "", "web-1"),
    (
        "consul exec --node \"{{ v }}\" -wait 2s uptime",
        "web|db",
        "web-1",
    ),
    (
        "consul exec -service \"{{ v }}\" uptime",
        "[a-z]",
        "billing-api",
    ),
    (
        "consul exec -service=api -tag \"{{ v }}\" uptime",
        ".*",
        "primary",
    ),
    (
        "consul exec -shell=false -tag=\"{{ v }}\" uptime",
        "e",
        "primary",
    ),
];

pub(super) const TAKEN: &[(&str, &str)] = &[
    // (consul's command is data when the value stands in it: a plain `.` is no pattern.)
    ("consul exec -node web-1 \"echo {{ v }}\"", "."),
    ("consul exec -node web-1 -wait 2s echo \"{{ v }}\"", "all"),
    // Audit 40: sets only where the command deletes; a narrowing selector.
    ("gsutil ls \"gs://backups/{{ v }}\"", "*"),
    ("kubectl get pods -l \"{{ v }}\"", "!x"),
    ("kubectl delete pods -l \"app={{ v }}\"", "web,tier=db"),
    ("git checkout \"{{ v }}\"", "."),
    ("zfs snapshot \"tank/db@{{ v }}\"", "%"),
    ("systemctl status \"{{ v }}\"", "system.slice"),
    ("pdsh -w web-1 \"echo {{ v }}\"", "all"),
];
