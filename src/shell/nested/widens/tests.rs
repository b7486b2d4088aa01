//! The unit table of [`super`]: each script with a value it refuses and an ordinary value it
//! takes, then scripts where nothing is widened.

use super::super::tests::refusal;

#[test]
fn a_value_that_would_widen_a_destructive_command_is_refused() {
    let mut wrong = Vec::new();
    for (script, bad, good) in [
        ("rm -rf \"/srv/releases/{{ v }}\"", "", "2026-12-01"),
        ("rm -rf \"/srv/releases/{{ v }}\"", "/", "2026-12-01"),
        ("rm -rf \"/srv/releases/{{ v }}\"", ".", "2026-12-01"),
        ("rm -rf \"/srv/releases/{{ v }}/\"", " ", "2026-12-01"),
        (
            "sudo chown -R app \"/srv/releases/{{ v }}\"",
            "",
            "2026-12-01",
        ),
        (
            "find \"/var/log/app/{{ v }}\" -name '*.gz' -delete",
            "",
            "2026",
        ),
        (
            "aws s3 rm --recursive \"s3://backups/{{ v }}\"",
            "",
            "2026-12-01/",
        ),
        ("gsutil -m rm -r \"gs://backups/{{ v }}\"", "/", "old"),
        ("sudo systemctl stop \"{{ v }}\"", "*", "nginx.service"),
        ("systemctl restart \"app-{{ v }}\"", "*", "web"),
        ("pkill -f \"{{ v }}\"", "", "gunicorn: app"),
        ("pkill -f \"{{ v }}\"", "x|", "worker.py"),
        ("pkill -f \"{{ v }}\"", ".*", "worker.py"),
        ("killall -r \"{{ v }}\"", "^", "java"),
        // Audit 28 H-1: patterns that match every name though not empty.
        ("pkill -f \"{{ v }}\"", "x*", "worker.py"),
        ("pkill -f \"{{ v }}\"", "a?", "worker.py"),
        ("pkill -f \"{{ v }}\"", "[^z]", "worker.py"),
        ("pkill -f \"{{ v }}\"", "\\S", "worker.py"),
        ("pgrep -f \"{{ v }}\"", "[[:alnum:]]", "celery.*worker"),
        ("pkill -f \"^{{ v }}\"", ".*", "java -jar app.jar"),
        ("kill -TERM $(pgrep -f \"{{ v }}\")", ".", "celery.*worker"),
        (
            "ps aux | grep \"{{ v }}\" | awk '{print $2}' | xargs kill",
            "",
            "worker.py",
        ),
        (
            "ps aux | grep -v grep | grep -e \"{{ v }}\" | awk '{print $2}' | xargs -r kill -9",
            ".",
            "worker.py",
        ),
        // H-2, H-19, H-20: a glob after the value, a folder entered, other deleters.
        ("rm -rf /srv/releases/\"{{ v }}\"*", "", "2026-12-01"),
        (
            "cd \"/srv/releases/{{ v }}\" && rm -rf -- ./*",
            "",
            "2026-12-01",
        ),
        (
            "tar czf /backup/r.tgz --remove-files \"/srv/releases/{{ v }}\"",
            "",
            "2026-12-01",
        ),
        ("mv \"/srv/releases/{{ v }}\" /archive/", "", "2026-12-01"),
        (
            "rsync -a --remove-source-files \"/srv/out/{{ v }}\" backup:/out/",
            "/",
            "2026",
        ),
        ("truncate -s 0 /var/log/app/\"{{ v }}\"*", "", "api"),
        // H-3: the name pattern of what find deletes.
        (
            "find /var/log/app -name \"{{ v }}\" -delete",
            "*",
            "api.log",
        ),
        ("find /var/log/app -name \"{{ v }}*.gz\" -delete", "", "api"),
        (
            "find /tmp -iname \"{{ v }}\" -exec rm -f {} +",
            "?",
            "core.1",
        ),
        // H-4, H-14: prefixes and filters that pick what is deleted.
        ("etcdctl del --prefix \"/app/sessions/{{ v }}\"", "", "u-42"),
        ("consul kv delete -recurse \"app/{{ v }}\"", "", "feature-x"),
        (
            "docker ps -q --filter name={{ v }} | xargs docker rm -f",
            "",
            "web-1",
        ),
        (
            "redis-cli --scan --pattern \"session:{{ v }}*\" | xargs redis-cli del",
            "*",
            "u42",
        ),
        (
            "kubectl delete pods $(kubectl get pods -o name | grep \"{{ v }}\")",
            "",
            "web-",
        ),
        (
            "for p in $(kubectl get pods -o name | grep \"{{ v }}\"); do kubectl delete \"$p\"; done",
            ".",
            "web-",
        ),
        (
            "aws ec2 terminate-instances --instance-ids $(aws ec2 describe-instances --filters \"Name=tag:Name,Values={{ v }}\" --query 'Reservations[].Instances[].InstanceId' --output text)",
            "*",
            "batch-7",
        ),
        (
            "gcloud compute instances delete $(gcloud compute instances list --filter=\"name~{{ v }}\" --format='value(name)')",
            "",
            "batch-",
        ),
        // H-5: through xargs.
        ("echo \"{{ v }}\" | xargs systemctl stop", "*", "nginx"),
        // Audit 29 H-19, H-20, H-14.
        ("kill -TERM -\"{{ v }}\"", "1", "4242"),
        ("kill -9 {{ v }}", "0", "4242"),
        ("pkill -P \"{{ v }}\"", "1", "4242"),
        ("pkill -u \"{{ v }}\" -f worker", "root", "app"),
        (
            "rm -rf /srv/releases/release-\"{{ v }}\"*",
            "",
            "2026-12-01",
        ),
        ("rm -rf /srv/releases/*\"{{ v }}\"", "", ".tmp"),
        // Review of the stop: other spellings.
        ("rsync -a --delete-after src/ \"/srv/{{ v }}\"", "", "app"),
        ("mv -t /archive \"/srv/releases/{{ v }}\"", "", "2026-12-01"),
        ("pkill -u \"{{ v }}\" worker", "app,root", "app"),
        ("pkill --euid=\"{{ v }}\" worker", "root", "app"),
        ("echo \"{{ v }}\" | xargs kill -9", "-1", "4242"),
        (
            "iptables -A INPUT -s 0.0.0.0/\"{{ v }}\" -j ACCEPT",
            "0",
            "32",
        ),
        (
            "iptables -A INPUT -s \"{{ v }}\" -j ACCEPT",
            "1.2.3.4/0.0.0.0",
            "10.0.0.0/255.0.0.0",
        ),
        (
            "iptables -A INPUT --source=\"{{ v }}\" -j ACCEPT",
            "0.0.0.0/0",
            "10.1.2.3",
        ),
        // H-17: firewall rules over every address.
        (
            "iptables -A INPUT -s {{ v }} -j ACCEPT",
            "0.0.0.0/0",
            "10.1.2.3",
        ),
        (
            "iptables -I INPUT -s \"{{ v }}\" -j DROP",
            "10.0.0.1,0/0",
            "10.1.2.0/24",
        ),
        ("ufw allow from {{ v }} to any port 22", "any", "10.1.2.3"),
        (
            "aws ec2 authorize-security-group-ingress --group-id sg-1 --protocol tcp --port 22 --cidr {{ v }}",
            "0.0.0.0/0",
            "203.0.113.7/32",
        ),
        ("firewall-cmd --add-source={{ v }}", "::/0", "10.0.0.0/16"),
        // Audit 29 H-6: a JMESPath query whose output a deleter is given.
        (
            "aws ec2 describe-instances --query \"Reservations[].Instances[?contains(Tags[?Key=='Name'].Value|[0], '{{ v }}')].InstanceId\" --output text | xargs aws ec2 terminate-instances --instance-ids",
            "",
            "batch-7",
        ),
        (
            "aws ec2 describe-instances --query \"Reservations[].Instances[?contains(Tags[?Key=='Name'].Value|[0], '{{ v }}')].InstanceId\" --output text | xargs aws ec2 terminate-instances --instance-ids",
            "x') || `true` || contains('",
            "batch-7",
        ),
        (
            "az vm delete --yes --ids $(az vm list --query=\"[?starts_with(name, '{{ v }}')].id\" -o tsv)",
            "",
            "batch-",
        ),
        (
            "az vm delete --yes --ids $(az vm list --query=\"[?starts_with(name, '{{ v }}')].id\" -o tsv)",
            "x`",
            "batch-",
        ),
        // H-7: helm's filter.
        (
            "helm ls --short --filter \"{{ v }}\" | xargs -r helm uninstall",
            ".*",
            "^preview-42$",
        ),
        (
            "helm uninstall $(helm list -q --filter=\"{{ v }}\")",
            "",
            "preview-42",
        ),
        // H-8: docker images with no repository are all images.
        (
            "docker images -q \"{{ v }}\" | xargs docker rmi",
            "",
            "registry.example.com/app:1.2",
        ),
        (
            "docker image ls -q \"{{ v }}\" | xargs -r docker rmi -f",
            "*",
            "app",
        ),
        (
            "docker rmi $(docker images -q --filter \"reference={{ v }}\")",
            "*",
            "app:old",
        ),
        (
            "docker ps -aq --filter \"name={{ v }}\" | xargs docker rm -f",
            ".",
            "web-1",
        ),
        // H-9: host patterns.
        (
            "ansible-playbook -i inv site.yml --limit \"{{ v }}\"",
            "all",
            "web-1.example.com",
        ),
        (
            "ansible-playbook site.yml -l \"{{ v }}\"",
            "*",
            "webservers",
        ),
        (
            "ansible-playbook site.yml --limit=\"{{ v }}\"",
            "webservers:dbservers",
            "webservers",
        ),
        (
            "ansible -i inv \"{{ v }}\" -m shell -a 'reboot'",
            "web*",
            "web-1.example.com",
        ),
        (
            "ansible \"{{ v }}\" -b -m service -a 'name=app state=restarted'",
            "webservers,!db",
            "webservers",
        ),
        (
            "salt \"{{ v }}\" cmd.run 'systemctl restart app'",
            "*",
            "web-1",
        ),
        ("salt -L \"{{ v }}\" state.apply", "*", "web-1,web-2"),
        ("salt -E \"{{ v }}\" test.ping", ".*", "^web-1$"),
        // H-11: a grep -v whose output replaces the whole table.
        (
            "crontab -l | grep -v \"{{ v }}\" | crontab -",
            "",
            "backup.sh",
        ),
        (
            "crontab -l | grep -v \"{{ v }}\" | crontab -",
            ".",
            "backup.sh",
        ),
        (
            "grep -v \"{{ v }}\" /etc/hosts > /tmp/hosts.new && mv /tmp/hosts.new /etc/hosts",
            "^",
            "10.0.0.5 old-host",
        ),
        (
            "grep -vF \"{{ v }}\" allow.txt | sponge allow.txt",
            "",
            "10.0.0.5",
        ),
        // H-12: the include of what `aws s3 rm` deletes.
        (
            "aws s3 rm s3://b/ --recursive --exclude \"*\" --include \"{{ v }}*\"",
            "*",
            "logs/2026-",
        ),
        (
            "aws s3 rm s3://b/ --recursive --exclude \"*\" --include \"{{ v }}*\"",
            "?",
            "logs/2026-",
        ),
        (
            "aws s3 sync --delete ./out s3://b/out --exclude '*' --include=\"{{ v }}\"",
            "*/*",
            "*.html",
        ),
        // H-13: the lines sed -i deletes.
        ("sed -i \"/{{ v }}/d\" /etc/hosts", "", "old-host"),
        ("sed -i \"/{{ v }}/d\" /etc/hosts", ".", "old-host"),
        ("sed -i.bak -e '/{{ v }}/d' /etc/app.conf", "^", "debug=1"),
        ("sed -i \"/^{{ v }}/d\" /etc/app.conf", ".*", "debug="),
        // H-18: Azure NSG rules.
        (
            "az network nsg rule create -g rg --nsg-name nsg -n allow-ssh --priority 100 --destination-port-ranges 22 --source-address-prefixes \"{{ v }}\"",
            "*",
            "203.0.113.7/32",
        ),
        // (`ssh`, the rule's name, is `-n`'s argument: no ssh command, no host.)
        (
            "az network nsg rule create -g rg --nsg-name nsg -n ssh --priority 100 --source-address-prefixes \"{{ v }}\"",
            "*",
            "203.0.113.7/32",
        ),
        (
            "az network nsg rule create -g rg --nsg-name nsg -n ssh --priority 100 --source-address-prefixes \"{{ v }}\"",
            "0.0.0.0/0",
            "10.0.0.0/8",
        ),
        (
            "az network nsg rule update -g rg --nsg-name nsg -n ssh --source-address-prefix \"{{ v }}\"",
            "Internet",
            "10.1.2.0/24",
        ),
        (
            "az network nsg rule create -g rg --nsg-name nsg -n x --priority 101 --destination-address-prefixes 10.0.0.4 \"{{ v }}\"",
            "0.0.0.0/0",
            "10.0.0.5",
        ),
        // H-21: more filters whose output a deleter is given.
        (
            "systemctl list-units \"{{ v }}*\" --plain --no-legend | awk '{print $1}' | xargs systemctl stop",
            "*",
            "app-worker@",
        ),
        (
            "git for-each-ref --format='%(refname:short)' \"refs/heads/{{ v }}*\" | xargs git branch -D",
            "",
            "feature/old-",
        ),
        (
            "git branch -D $(git branch --list \"{{ v }}\")",
            "*",
            "feature/old",
        ),
        (
            "docker ps -a | awk '/{{ v }}/ {print $1}' | xargs docker rm -f",
            ".",
            "web-1",
        ),
        (
            "kubectl get pods -o name | sed -n '/{{ v }}/p' | xargs kubectl delete",
            "",
            "web-",
        ),
        // H-26: grants to everyone.
        (
            "aws iam put-role-policy --role-name app --policy-name s3 --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{{ v }}\"}]}'",
            "*",
            "app-assets/reports",
        ),
        (
            "aws iam put-role-policy --role-name app --policy-name s3 --policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{{ v }}\"}]}'",
            "prod-*",
            "app-assets",
        ),
        (
            "gsutil iam ch \"{{ v }}:objectViewer\" gs://reports",
            "allUsers",
            "user:ana@example.com",
        ),
        (
            "gcloud projects add-iam-policy-binding my-proj --member \"{{ v }}\" --role roles/viewer",
            "allAuthenticatedUsers",
            "user:ana@example.com",
        ),
        (
            "gcloud run services add-iam-policy-binding api --member=\"{{ v }}\" --role=roles/run.invoker",
            "allUsers",
            "serviceAccount:ci@p.iam.gserviceaccount.com",
        ),
        (
            "vault write sys/policy/app policy='path \"secret/data/{{ v }}\" { capabilities = [\"read\"] }'",
            "*",
            "app/db",
        ),
        (
            "vault write sys/policy/app policy='path \"secret/data/{{ v }}\" { capabilities = [\"read\"] }'",
            "app/?",
            "app/db",
        ),
        // `aws s3 cp --include`: what it copies, as `rm`'s is what it deletes.
        (
            "aws s3 cp s3://b/ /srv/restore --recursive --exclude \"*\" --include \"{{ v }}\"",
            "*",
            "logs/2026-12-07.gz",
        ),
        (
            "aws s3 cp s3://b/ s3://c/ --recursive --exclude '*' --include=\"{{ v }}\"",
            "?",
            "logs/*.gz",
        ),
    ] {
        if refusal(script, bad).is_none() {
            wrong.push(format!("not refused: {script} with {bad:?}"));
        }
        if let Some(r) = refusal(script, good) {
            wrong.push(format!("refused ({r:?}): {script} with {good:?}"));
        }
    }
    // Where no folder is named before it, or nothing is deleted, it is not widened.
    for (script, value) in [
        ("rm -f \"/tmp/{{ v }}.lock\"", ""),
        ("ls -la \"/srv/releases/{{ v }}\"", ""),
        ("chown app \"/srv/releases/{{ v }}\"", ""),
        ("systemctl status \"{{ v }}\"", "*"),
        ("aws s3 ls \"s3://backups/{{ v }}\"", ""),
        ("echo \"{{ v }}\"", ""),
        // Only numbers reach kill (F-1); a pattern that picks one kind of process.
        ("kill -TERM $(pgrep -f \"{{ v }}\")", "celery.*worker"),
        ("kill -s \"{{ v }}\" 4242", "1"),
        ("kill -\"{{ v }}\" 4242", "1"),
        ("kill --signal \"{{ v }}\" 4242", "1"),
        ("rm -f \"/tmp/{{ v }}.lock\"", "."),
        (
            "pids=$(pgrep -f \"{{ v }}\"); kill $pids",
            "java -jar app.jar",
        ),
        // A fixed string, an inverted grep, a grep whose lines are only printed.
        (
            "ps aux | grep -F \"{{ v }}\" | awk '{print $2}' | xargs kill",
            "worker.py",
        ),
        ("ps aux | grep \"{{ v }}\" | wc -l", ""),
        ("mv /tmp/new \"/srv/releases/{{ v }}\"", ""),
        ("iptables -A INPUT -s {{ v }} -j ACCEPT", "10.0.0.0/8"),
        ("cd \"/srv/releases/{{ v }}\" && ls", ""),
        // Audit 29: a filter whose output is only printed, a grep -v whose output is
        // printed or appended, a sed -i that changes lines, a query of nothing deleted.
        (
            "aws ec2 describe-instances --query \"Reservations[].Instances[?contains(Tags[?Key=='Name'].Value|[0], '{{ v }}')].InstanceId\" --output text",
            "",
        ),
        ("helm ls --filter \"{{ v }}\"", ".*"),
        ("docker images \"{{ v }}\"", ""),
        ("crontab -l | grep -v \"{{ v }}\"", ""),
        ("grep -v \"{{ v }}\" app.log >> filtered.log", "."),
        ("sed -i \"s/{{ v }}/x/\" /etc/app.conf", "."),
        ("sed -n \"/{{ v }}/p\" app.log", ""),
        ("git for-each-ref \"refs/heads/{{ v }}*\"", "*"),
        ("ansible-playbook site.yml --tags \"{{ v }}\"", "all"),
        ("gsutil iam ch -d \"{{ v }}\" gs://reports", "allUsers"),
        // A list of hosts and an IPv6 address are hosts; removing a grant narrows it.
        (
            "ansible-playbook site.yml --limit \"{{ v }}\"",
            "web-1,web-2",
        ),
        ("ansible \"{{ v }}\" -m ping", "2001:db8::10"),
        (
            "ansible-playbook site.yml -l \"{{ v }}\"",
            "10.0.0.5,2001:db8::10",
        ),
        (
            "gcloud projects remove-iam-policy-binding p --member \"{{ v }}\" --role roles/viewer",
            "allUsers",
        ),
        (
            "aws s3 rm s3://b/ --recursive --exclude \"*\" --include \"{{ v }}\"",
            "*.log",
        ),
    ] {
        if let Some(r) = refusal(script, value) {
            wrong.push(format!("refused ({r:?}): {script} with {value:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Audits 40 and 41: values that widen by the command's own syntax, and deletions written
/// with a listing (the table in `cases.rs`).
#[test]
fn a_value_that_widens_by_the_commands_own_syntax_is_refused() {
    let mut wrong = Vec::new();
    for (script, bad, good) in super::cases::REFUSED {
        if refusal(script, bad).is_none() {
            wrong.push(format!("not refused: {script} with {bad:?}"));
        }
        if let Some(r) = refusal(script, good) {
            wrong.push(format!("refused ({r:?}): {script} with {good:?}"));
        }
    }
    for (script, value) in super::cases::TAKEN {
        if let Some(r) = refusal(script, value) {
            wrong.push(format!("refused ({r:?}): {script} with {value:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
