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
    // Audit 41 A41-7: what `find`/`ls` lists for a deleter is what is deleted.
    ("ls -d /srv/logs/{{ v }}* | xargs rm -rf", "", "app-"),
    (
        "find \"/srv/logs/{{ v }}\" -name \"*.gz\" -print0 | xargs -0 -r rm -f",
        "",
        "app",
    ),
    (
        "find \"/srv/logs/{{ v }}\" -type f -print | while read -r f; do rm -f \"$f\"; done",
        "",
        "app",
    ),
    (
        "find \"/srv/logs/{{ v }}\" -type f -exec truncate -s 0 {} +",
        "",
        "app",
    ),
    (
        "find \"/srv/logs/{{ v }}\" -type f -exec chmod 000 {} +",
        ".",
        "app",
    ),
    // A41-18: `builtin cd`, `command cd`, `git -C`, `make -C`.
    (
        "builtin cd \"/srv/releases/{{ v }}\" && rm -rf -- *",
        "",
        "r1",
    ),
    (
        "command cd \"/srv/releases/{{ v }}\" && rm -rf -- *",
        "",
        "r1",
    ),
    ("git -C \"/srv/repos/app/{{ v }}\" clean -fdx", "", "sub"),
    ("make -C \"/srv/build/{{ v }}\" clean", "/", "app"),
    // A41-8: an empty scope of a command that changes; what `ip … flush` flushes.
    ("kubectl delete pods --all -n \"{{ v }}\"", "", "payments"),
    (
        "kubectl -n \"{{ v }}\" delete deployment,service,pvc --all",
        "",
        "payments",
    ),
    (
        "kubectl --context \"{{ v }}\" -n payments delete deployment checkout",
        "",
        "staging",
    ),
    (
        "kubectl delete pods --all --namespace=\"{{ v }}\"",
        " ",
        "payments",
    ),
    ("helm uninstall checkout -n \"{{ v }}\"", "", "payments"),
    (
        "gcloud compute instances delete web-1 --project \"{{ v }}\" --quiet",
        "",
        "acme-staging",
    ),
    ("ip route flush table \"{{ v }}\"", "all", "100"),
    ("ip route flush \"{{ v }}\"", "0/0", "10.9.0.0/16"),
    ("ip route flush \"{{ v }}\"", "default", "10.9.0.0/16"),
    ("ip neigh flush dev \"{{ v }}\"", "all", "eth1"),
    // A41-1, A41-2, A41-13: a topic pattern, lsof's addresses feeding kill, an HTTP
    // DELETE's index, Prometheus's and Alertmanager's matchers, deleters after a grep.
    (
        "kafka-topics.sh --bootstrap-server k:9092 --delete --topic \"{{ v }}\"",
        ".*",
        "orders-v1",
    ),
    (
        "kafka-topics --bootstrap-server k:9092 --alter --topic=\"{{ v }}\" --partitions 6",
        "orders|.*",
        "orders-v1",
    ),
    ("lsof -ti tcp:{{ v }} | xargs -r kill -9", "1-65535", "8080"),
    ("lsof -ti tcp:{{ v }} | xargs -r kill -9", "80,443", "8080"),
    ("kill -9 $(lsof -t -i :\"{{ v }}\")", "0-65535", "8080"),
    (
        "lsof -t -i \"{{ v }}\" | xargs -r kill -9",
        "tcp",
        "tcp:8080",
    ),
    (
        "curl -fsS -X DELETE \"http://es-1:9200/{{ v }}\"",
        "_all",
        "logs-2026.11.01",
    ),
    (
        "curl -fsS -X DELETE \"http://es-1:9200/{{ v }}\"",
        "*",
        "logs-2026.11.01",
    ),
    (
        "curl -XDELETE \"https://os-1:9200/{{ v }}?pretty\"",
        "a,b",
        "logs-2026.11.01",
    ),
    (
        "curl -X DELETE \"http://es-1:9200/logs-app-{{ v }}\"",
        "",
        "2026.11.01",
    ),
    (
        "curl -X POST -g \"http://prom-1:9090/api/v1/admin/tsdb/delete_series?match[]={job=~\\\"{{ v }}\\\"}\"",
        ".*",
        "node-exporter-web",
    ),
    (
        "amtool silence add alertname=Down \"instance=~{{ v }}\" -c maint",
        ".*",
        "web-1.example.com",
    ),
    (
        "virsh list --name | grep \"{{ v }}\" | xargs -r -n1 virsh destroy",
        ".",
        "web-1",
    ),
    (
        "getent passwd | grep \"{{ v }}\" | cut -d: -f1 | xargs -r userdel -r",
        ".",
        "tmpuser-42",
    ),
    // A41-3, A41-4: allow rules and grants outside the firewall tools and IAM.
    (
        "nft add rule inet filter input ip saddr {{ v }} tcp dport 22 accept",
        "0.0.0.0/0",
        "10.1.2.0/24",
    ),
    (
        "iptables -A INPUT -p tcp --dport 22 -m iprange --src-range \"{{ v }}\" -j ACCEPT",
        "0.0.0.0-255.255.255.255",
        "10.1.2.3-10.1.2.9",
    ),
    (
        "echo \"sshd: {{ v }}\" | sudo tee -a /etc/hosts.allow",
        "ALL",
        "10.1.2.3",
    ),
    (
        "echo \"sshd: {{ v }}\" | sudo tee -a /etc/hosts.allow",
        "KNOWN",
        "10.1.2.3",
    ),
    (
        "echo \"allow {{ v }};\" | sudo tee -a /etc/nginx/conf.d/admin.conf",
        "all",
        "10.1.2.3",
    ),
    (
        "echo \"host all all {{ v }} scram-sha-256\" >> /etc/postgresql/16/main/pg_hba.conf",
        "samenet",
        "10.1.2.0/24",
    ),
    (
        "kubectl create rolebinding view --clusterrole=edit --group=\"{{ v }}\" -n prod",
        "system:authenticated",
        "oncall",
    ),
    (
        "kubectl create clusterrolebinding x --clusterrole=cluster-admin --user \"{{ v }}\"",
        "system:anonymous",
        "jane@example.com",
    ),
    (
        "echo \"{{ v }} ALL=(root) NOPASSWD: /usr/bin/systemctl restart app\" | sudo tee /etc/sudoers.d/app",
        "ALL",
        "deploy",
    ),
    (
        "kafka-acls --bootstrap-server k:9092 --add --allow-principal \"User:{{ v }}\" --topic t",
        "*",
        "billing",
    ),
    // A41-17: a function's positional parameter.
    (
        "del() { rm -rf \"/srv/releases/$1\"; }\ndel \"{{ v }}\"",
        "",
        "r1",
    ),
    (
        "stop_worker() { pkill -f -- \"$2\"; }\nstop_worker now \"{{ v }}\"",
        ".",
        "queue-worker --queue=emails",
    ),
];

pub(super) const TAKEN: &[(&str, &str)] = &[
    // (consul's command is data when the value stands in it: a plain `.` is no pattern.)
    ("consul exec -node web-1 \"echo {{ v }}\"", "."),
    ("consul exec -node web-1 -wait 2s echo \"{{ v }}\"", "all"),
    (
        "del() { rm -rf \"/srv/releases/$1\"; }\ndel r1 \"{{ v }}\"",
        "",
    ),
    (
        "kafka-topics.sh --bootstrap-server k:9092 --create --topic \"{{ v }}\"",
        ".*",
    ),
    ("lsof -ti tcp:{{ v }}", "1-65535"),
    ("curl -fsS \"http://es-1:9200/{{ v }}/_search\"", "_all"),
    ("kubectl get pods -n \"{{ v }}\"", ""),
    ("ip route show table \"{{ v }}\"", "all"),
    // Audit 41: listing and reading without a deleter.
    ("find \"/srv/logs/{{ v }}\" -name \"*.gz\" | wc -l", ""),
    ("ls -d /srv/logs/{{ v }}*", ""),
    ("git -C \"/srv/repos/{{ v }}\" status", ""),
    ("builtin cd \"/srv/releases/{{ v }}\" && ls", ""),
    // Audit 40: sets only where the command deletes; a narrowing selector.
    ("gsutil ls \"gs://backups/{{ v }}\"", "*"),
    ("kubectl get pods -l \"{{ v }}\"", "!x"),
    ("kubectl delete pods -l \"app={{ v }}\"", "web,tier=db"),
    ("git checkout \"{{ v }}\"", "."),
    ("zfs snapshot \"tank/db@{{ v }}\"", "%"),
    ("systemctl status \"{{ v }}\"", "system.slice"),
    ("pdsh -w web-1 \"echo {{ v }}\"", "all"),
];
