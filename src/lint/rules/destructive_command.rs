use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::shell::programs;
use crate::shell::words::{self, Word};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

crate::declare_rule! {
    /// ## What it does
    /// Reports a destructive command in the `run` or `wait.run` of a step that is not marked
    /// `dangerous: true`: `rm -r`/`rm -f`, SQL `DROP`, `TRUNCATE` and `DELETE FROM`,
    /// `kubectl`/`oc` `delete`/`drain`, `kubectl patch … finalizers`, a forced deletion
    /// (`--force --grace-period=0`), `curl -X DELETE`, `helm uninstall`/`rollback`,
    /// `terraform destroy`/`apply -destroy`/`force-unlock`, `aws … delete-*`, `terminate-*`,
    /// `reboot-*`, `stop-*`, `s3 rm` and `route53 change-resource-record-sets`, `iptables -F`,
    /// `git push --force`, `redis-cli flushall`/`del`, `dd of=/dev/…`, `mkfs`, a `chef-client`
    /// run, `knife ssh`, `docker … prune`, `docker volume rm`, `etcdctl del`, `zfs destroy`,
    /// `rsync --delete`/`--remove-source-files`, `yum`/`dnf history undo`, `docker compose
    /// down -v`, `pg_resetwal`, `terraform state rm`/`apply -replace`, `userdel -r`, ZooKeeper
    /// `deleteall`, `cnpg destroy`, `find -exec rm`, `rm -rf` after `--` (`kubectl exec`,
    /// `node-shell`, `debug … chroot /host`),
    /// `crontab -r`, `virsh destroy`, `vault kv delete`, a Kafka `--reset-offsets --execute`,
    /// `kafka-reassign-partitions … --execute`, `kafka-topics … --delete`,
    /// `patronictl failover`/`switchover`/`reinit`/`remove`, `pg_terminate_backend(…)`,
    /// `find … -delete`, `truncate -s 0`, `: > file`, `kubectl replace --force`, a replication
    /// skip (`sql_slave_skip_counter`), `pg_drop_replication_slot`, MongoDB `drop`/`deleteMany`,
    /// `gitlab-ctl cleanse`, `rake db:drop`/`db:reset`, GitLab cleanup tasks and backup
    /// restores, Rails `destroy`/`delete_all`, `git clean -f`, `git reset --hard`,
    /// `etcdctl member remove`/`snapshot restore`, `velero delete`, `raft remove-peer`, a
    /// Redis failover or `SHUTDOWN`, `rabbitmqctl purge_queue`/`reset`,
    /// `gcloud`/`az … delete`, `wipefs`/`lvremove`/`shred`, `ceph … purge`, `oc adm prune
    /// --confirm`, an Elasticsearch empty primary, `RESET REPLICA`, a Sidekiq set cleared,
    /// `rbd snap purge`, Cassandra `DROP KEYSPACE` and `nodetool removenode`/`decommission`,
    /// `gsutil rm`, a recursive `chown`/`chmod`/`chgrp`, `kill -9`/`pkill -9`, promoting a
    /// replica (`pg_ctl promote`), a lazy or forced `umount -l`/`-f`, `reboot`,
    /// `shutdown`, `halt`, `poweroff`;
    /// `vault operator raft snapshot restore`,
    /// `vault operator init`/`rekey`/`generate-root`/`seal`, closing Elasticsearch indices
    /// (`POST /_all/_close`) and Kibana's `DELETE /index`,
    /// `aws rds promote-read-replica` and `failover-db-cluster`/`failover-global-cluster`,
    /// `terraform apply -auto-approve` without a saved plan
    /// (`terraform apply -auto-approve plan.out` applies what was reviewed, and does not
    /// count), an `ansible` module run with `state=absent`, MinIO's `mc rb`/`mc rm`,
    /// `iptables -P CHAIN DROP` (or `REJECT`), `zpool destroy`/`labelclear`, `zfs rollback`
    /// (it discards what was written since the snapshot), `kubectl`/`oc scale … --replicas=0`
    /// (the service is down until scaled back; `--replicas=3` does not count), `kubectl
    /// patch` setting `persistentVolumeReclaimPolicy` to `Delete` (the data goes with the
    /// claim), and stopping a database or cluster service: `systemctl stop`, `systemctl
    /// disable --now`/`mask --now`, `service NAME stop` or `/etc/init.d/NAME stop` of
    /// PostgreSQL, Patroni, MySQL/MariaDB, MongoDB, Redis/Valkey, memcached, etcd, ZooKeeper,
    /// Kafka, RabbitMQ, Elasticsearch/OpenSearch, Cassandra, ClickHouse, InfluxDB, MinIO, a
    /// Ceph OSD or monitor, Consul, Vault, Docker, containerd, CRI-O or the kubelet
    /// (`postgresql@16-main`, `postgresql-16.service` too), and `pg_ctl stop`/`pg_ctlcluster
    /// … stop`.
    ///
    /// Stopping is judged as RB027 judges the rest of `systemctl`: what leaves data or a
    /// cluster down until someone acts (`reboot`, `poweroff`, `stop` of the services
    /// above) counts; what brings itself back does not. So `systemctl restart` of anything,
    /// and `systemctl stop` of a web server, proxy or agent (`nginx`, `keepalived`,
    /// `puppet`: routine, behind a load balancer or for maintenance) are not reported;
    /// `systemctl kill -s KILL` of any unit is, as `kill -9`. A configuration change that
    /// loses nothing by itself and is undone by setting it back, such as `redis-cli CONFIG
    /// SET maxmemory 0`, is not destructive.
    ///
    /// `rm` counts with `-r`, `-R` or `-f` in any spelling (`-rf`, `-r -f`, `--recursive`,
    /// `--force`), and `rm` and the `reboot` family wherever the shell runs a command: at the
    /// start of a line, after `;`, `&&`, `|`, `then`, `do`, `else`, `{` or `!`, behind `sudo`,
    /// `doas`, `env`, `timeout`, `nice`, `nohup`, `exec`, `time`, `stdbuf`, `setsid` or
    /// `xargs`, with a path (`/usr/sbin/reboot`), and inside `$(…)`, `bash -c '…'`,
    /// `su -c '…'`, `eval '…'`, `ssh HOST '…'`, `kubectl exec … --` and `docker exec`: the
    /// wrappers are read with the same table that decides where a value lands in a nested
    /// shell. A quoted argument (`echo "rm -rf is dangerous"`) or a comment does not count.
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

/// (pattern, what it is): commands found anywhere in the script, quoted or not (a SQL
/// statement is usually a quoted argument of `psql`). `rm` and the `reboot` family are found
/// by [`Scanner::scan`] instead, only where the shell runs a command.
/// (pattern, what it is, words one of which the script must hold, in lower case, for the
/// pattern to be tried: most scripts hold none, and are not searched at all).
type Pattern = (&'static str, &'static str, &'static [&'static str]);

const PATTERNS: &[Pattern] = &[
    (
        r"(?i)\bdrop\s+(?:table|database|schema|index|role|user|view|owned|keyspace|collection)\b",
        "SQL DROP",
        &["drop"],
    ),
    (
        r"(?i)\btruncate\s+(?:table\s+)?[\w.]",
        "SQL TRUNCATE",
        &["truncate"],
    ),
    (r"(?i)\bdelete\s+from\b", "SQL DELETE", &["delete"]),
    // (Each pattern starts with a literal word, which the regex engine looks for first.)
    (
        r"\bkubectl\b[^\n;&|]*\s(?:delete|drain)\b",
        "kubectl delete / drain",
        &["delete", "drain"],
    ),
    (
        r"\boc\s[^\n;&|]*\b(?:delete|drain)\b",
        "oc delete / drain",
        &["delete", "drain"],
    ),
    (
        r"\bpatch\b[^\n;&|]*finalizers",
        "kubectl patch finalizers",
        &["finalizers"],
    ),
    (
        r"--grace-period[= ]0\b",
        "forced deletion (--grace-period=0)",
        &["grace-period"],
    ),
    (
        r#"(?i)\bcurl\b[^\n;&|]*(?:\s-X\s*|\s--request[= ]\s*)['"]?DELETE\b"#,
        "HTTP DELETE",
        &["delete"],
    ),
    (r"\bchef-client\b", "chef-client run", &["chef-client"]),
    (r"\bknife\s+ssh\b", "knife ssh", &["knife"]),
    // After the global options (`helm -n prod rollback web`, `terraform -chdir=prod destroy`).
    (
        r"\bhelm(?:\s+-[\w-]+(?:[= ][^\s-]\S*)?)*\s+(?:uninstall|delete|rollback)(?:\s|$)",
        "helm uninstall / rollback",
        &["helm"],
    ),
    (
        r"\bterraform(?:\s+-[\w-]+(?:=\S*)?)*\s+(?:destroy\b|apply\b[^\n;&|]*\s-destroy\b)",
        "terraform destroy",
        &["terraform"],
    ),
    // Terraform's docs: a force-unlock while the lock's holder still runs corrupts the state.
    (
        r"\bterraform(?:\s+-[\w-]+(?:=\S*)?)*\s+force-unlock\b",
        "terraform force-unlock",
        &["force-unlock"],
    ),
    // (A line may go on after a `\` at its end: these commands are often written that way.)
    (
        r"\bkafka-reassign-partitions(?:\.sh)?\s(?:[^\n;&|]|\\\n)*\s--execute\b",
        "kafka partition reassignment",
        &["kafka-reassign-partitions"],
    ),
    (
        r"\bkafka-topics(?:\.sh)?\s(?:[^\n;&|]|\\\n)*\s--delete\b",
        "kafka topic deletion",
        &["kafka-topics"],
    ),
    (
        r"\baws\s(?:[^\n;&|]|\\\n)*\bchange-resource-record-sets\b",
        "aws route53 DNS change",
        &["change-resource-record-sets"],
    ),
    (
        r"\baws\s[^\n;&|]*\b(?:delete|terminate|remove|deregister|reboot|stop)-[a-z-]+",
        "aws delete / terminate / reboot",
        &["aws"],
    ),
    (r"\baws\s+s3\s+(?:rm|rb)\b", "aws s3 rm", &["s3"]),
    // Audit 14j J10: Cassandra, recursive ownership and
    // permission changes, SIGKILL, promotion of a replica, a lazy or forced unmount.
    (
        r"\bgsutil\b[^\n;&|]*\s(?:rm|rb)\b",
        "gsutil rm",
        &["gsutil"],
    ),
    (
        r"\bnodetool\b[^\n;&|]*\s(?:removenode|decommission|assassinate)\b",
        "nodetool removenode / decommission",
        &["nodetool"],
    ),
    (
        r"\bch(?:own|mod|grp)\s(?:[^\n;&|]*\s)?(?:-[a-zA-Z]*R[a-zA-Z]*|--recursive)\b",
        "recursive chown / chmod",
        &["chown", "chmod", "chgrp"],
    ),
    (
        r"\b(?:kill|pkill|killall)\s(?:[^\n;&|]*\s)?(?:-9|-KILL|-SIGKILL|-s\s+(?:9|KILL|SIGKILL)|--signal[= ](?:9|KILL|SIGKILL))(?:\s|$)",
        "kill -9",
        &["kill"],
    ),
    (
        r"\bpg_ctl(?:cluster)?\b[^\n;&|]*\spromote\b",
        "promote a replica",
        &["promote"],
    ),
    (
        r"\bumount\s(?:[^\n;&|]*\s)?-[a-zA-Z]*[lf][a-zA-Z]*\b",
        "forced or lazy unmount",
        &["umount"],
    ),
    (
        r"\bip6?tables\b[^\n;&|]*\s(?:-F|--flush|-X|--delete-chain|(?:-P|--policy)\s+\S+\s+(?:DROP|REJECT))\b",
        "iptables flush / drop policy",
        &["iptables", "ip6tables"],
    ),
    (
        r"\bgit\s+push\b[^\n;&|]*\s(?:--force\b|-f\b|--force-with-lease\b)",
        "git push --force",
        &["push"],
    ),
    (
        r"(?i)\bredis-cli\b[^\n;&|]*\bflush(?:all|db)\b",
        "redis FLUSHALL / FLUSHDB",
        &["redis-cli"],
    ),
    (
        r"\bdd\b[^\n;&|]*\bof=/dev/",
        "dd to a device",
        &["of=/dev/"],
    ),
    (r"\bmkfs(?:\.\w+)?\b", "mkfs", &["mkfs"]),
    (
        r"\b(?:docker|podman|nerdctl|crictl)\s[^\n;&|]*\b(?:prune|rmp)\b",
        "container prune",
        &["prune", "rmp"],
    ),
    (
        r"\b(?:docker|podman)\s+volume\s+rm\b",
        "docker volume rm",
        &["volume"],
    ),
    (r"\betcdctl\b[^\n;&|]*\sdel\b", "etcdctl del", &["etcdctl"]),
    (r"\bzfs\s+destroy\b", "zfs destroy", &["zfs"]),
    // Audit 14o A-25. A rollback discards everything written since the snapshot (`-r`
    // also destroys the snapshots after it); `labelclear` makes a pool's disks unreadable.
    (r"\bzfs\s+rollback\b", "zfs rollback", &["zfs"]),
    (
        r"\bzpool\s+(?:destroy|labelclear)\b",
        "zpool destroy / labelclear",
        &["zpool"],
    ),
    // Scaling a workload to zero takes its service down until someone scales it back
    // (`--replicas=3` is routine and does not count).
    (
        r#"\b(?:kubectl|oc)\b(?:[^\n;&|]|\\\n)*\sscale\b(?:[^\n;&|]|\\\n)*\s--replicas(?:=|\s+)['"]?0\b"#,
        "scale to zero replicas",
        &["replicas"],
    ),
    // With `Delete`, the volume and its data go with the claim: one `kubectl delete pvc`
    // away from losing them.
    (
        r"\bpatch\b[^\n;&|]*persistentVolumeReclaimPolicy[^\n;&|]*\bDelete\b",
        "reclaim policy set to Delete",
        &["persistentvolumereclaimpolicy"],
    ),
    (
        r"\bpg_ctl(?:cluster)?\b[^\n;&|]*\sstop\b",
        STOP,
        &["pg_ctl"],
    ),
    (
        r"\b(?:docker|podman)[\s-]compose\s[^\n;&|]*\bdown\b[^\n;&|]*\s(?:-v|--volumes)\b",
        "docker compose down -v",
        &["compose"],
    ),
    (r"\bpg_resetwal\b", "pg_resetwal", &["pg_resetwal"]),
    (
        r"\bterraform\s+(?:state\s+rm|apply\b[^\n;&|]*-replace\b)",
        "terraform state rm / apply -replace",
        &["terraform"],
    ),
    (
        r"\buserdel\b[^\n;&|]*\s-[a-zA-Z]*r",
        "userdel -r",
        &["userdel"],
    ),
    (
        r"\b(?:deleteall|rmr)\s+/",
        "ZooKeeper deleteall",
        &["deleteall", "rmr"],
    ),
    (r"\bcnpg\s+destroy\b", "cnpg destroy", &["cnpg"]),
    (
        r"\s-exec(?:dir)?\s+(?:sudo\s+)?rm\s+-[a-zA-Z]*[rf]",
        "find -exec rm",
        &["-exec", "-execdir"],
    ),
    (
        r"\b(?:kubectl|oc)\s+(?:node-shell|debug)\b[^\n;&|]*\s--\s+(?:sudo\s+)?(?:chroot\s+/\S+\s+)?rm\s+-[a-zA-Z]*[rf]",
        "rm -rf in a pod or on a node",
        &["rm"],
    ),
    (
        r"\brsync\b[^\n;&|]*\s--(?:delete|remove-source-files)",
        "rsync --delete",
        &["rsync"],
    ),
    (
        r"\b(?:yum|dnf)\s[^\n;&|]*\bhistory\s+(?:undo|rollback)\b",
        "yum history undo",
        &["history"],
    ),
    (r"\bcrontab\s+-[a-z]*r\b", "crontab -r", &["crontab"]),
    (
        r"\bvirsh\s+(?:destroy|undefine)\b",
        "virsh destroy",
        &["virsh"],
    ),
    (
        r"\bvault\s+kv\s+(?:delete|destroy|metadata\s+delete)\b",
        "vault kv delete",
        &["vault"],
    ),
    // (Audit 14n N4: the commands below ran unconfirmed in an imported runbook.)
    (
        r"\bvault\s+operator\s+raft\s+snapshot\s+restore\b",
        "vault raft snapshot restore",
        &["vault"],
    ),
    (
        r"\bvault\s+operator\s+(?:init|rekey|generate-root|seal)\b",
        "vault operator init / rekey / seal",
        &["vault"],
    ),
    // Elasticsearch: closing indices (`POST /_all/_close`, `curl -XPOST …/_all/_close`),
    // and Kibana Dev Tools' `DELETE /index`.
    (r"/_close\b", "Elasticsearch index close", &["_close"]),
    (
        r"(?m)^[ \t]*DELETE[ \t]+/[\w*.,%<>{}-]",
        "Elasticsearch DELETE",
        &["delete"],
    ),
    (
        r"\baws\s[^\n;&|]*\b(?:promote-read-replica(?:-db-cluster)?|failover-db-cluster|failover-global-cluster)\b",
        "aws promote / failover",
        &["promote-read-replica", "failover-"],
    ),
    // `terraform apply -auto-approve` with no saved plan (a reviewed `plan.out` is applied
    // as reviewed): whatever the plan now holds, applied without a look.
    (
        r"\bterraform(?:\s+-[\w-]+(?:=\S*)?)*\s+apply(?:\s+--?(?:no-color|compact-warnings|json|refresh-only|input=\S*|lock=\S*|lock-timeout=\S*|parallelism=\S*|refresh=\S*|(?:var|var-file|target)(?:=\S*|\s+[^-\s]\S*)))*\s+--?auto-approve(?:\s+--?(?:no-color|compact-warnings|json|refresh-only|input=\S*|lock=\S*|lock-timeout=\S*|parallelism=\S*|refresh=\S*|(?:var|var-file|target)(?:=\S*|\s+[^-\s]\S*)))*\s*(?:$|[;&|)\n])",
        "terraform apply -auto-approve",
        &["auto-approve"],
    ),
    (
        r"\bansible\s[^\n;&|]*\bstate=absent\b",
        "ansible state=absent",
        &["absent"],
    ),
    (r"\bmc\s+(?:rb|rm)\b", "MinIO mc rb / rm", &["mc "]),
    (
        r"--reset-offsets\b[^\n;&|]*--execute\b",
        "kafka offsets reset",
        &["reset-offsets"],
    ),
    (
        r"\bpatronictl\b[^\n;&|]*\s(?:failover|switchover|reinit|remove)\b",
        "patronictl failover / reinit",
        &["patronictl"],
    ),
    (
        r"(?i)\bpg_terminate_backend\s*\(",
        "pg_terminate_backend",
        &["pg_terminate_backend"],
    ),
    (
        r"(?i)\bredis-cli\b[^\n;&|]*\s(?:del|unlink)\s",
        "redis DEL",
        &["redis-cli"],
    ),
    (
        r"\bfind\b[^\n;&|]*\s-delete\b",
        "find -delete",
        &["-delete"],
    ),
    (
        r"\btruncate\s[^\n;&|]*-s\s*0\b",
        "truncate a file",
        &["truncate"],
    ),
    (
        r"\bkubectl\b[^\n;&|]*\sreplace\b[^\n;&|]*--force\b",
        "kubectl replace --force",
        &["replace"],
    ),
    (
        r"(?i)\bsql_(?:slave|replica)_skip_counter\b",
        "replication skip",
        &["skip_counter"],
    ),
    (
        r"(?i)\bdrop\s+(?:column|extension|tablespace|materialized\s+view|function|trigger|publication|subscription)\b",
        "SQL DROP",
        &["drop"],
    ),
    (
        r"(?i)\bpg_drop_replication_slot\s*\(",
        "SQL DROP",
        &["pg_drop_replication_slot"],
    ),
    (
        r"(?i)\b(?:dropDatabase|dropUser|dropAllUsers)\s*\(|\.drop\s*\(\s*\)|\bdeleteMany\s*\(",
        "MongoDB drop / deleteMany",
        &["drop", "deletemany"],
    ),
    // GitLab's Omnibus and Rails tasks that delete or overwrite data.
    (
        r"\bgitlab-ctl\s+cleanse\b",
        "gitlab-ctl cleanse",
        &["cleanse"],
    ),
    (
        r"\bdb:(?:drop(?:_tables)?|reset|schema:load|purge)\b",
        "rake db:drop / db:reset",
        &["db:"],
    ),
    (
        r"\bgitlab:cleanup:(?:repos\b|[\w:]+[^\n;&|]*\bDRY_RUN=false\b)",
        "gitlab cleanup task",
        &["gitlab:cleanup"],
    ),
    (
        r"\b(?:gitlab-backup\s+restore|gitlab:backup:restore)\b",
        "GitLab backup restore (overwrites the data)",
        &["restore"],
    ),
    (
        r"\.(?:destroy_all|delete_all|destroy!?)(?:\W|$)",
        "Rails destroy / delete_all",
        &[".destroy", ".delete_all"],
    ),
    (
        r"\bgit\s+(?:clean\b[^\n;&|]*\s-[a-zA-Z]*f|reset\b[^\n;&|]*\s--hard\b)",
        "git clean -f / git reset --hard",
        &["clean", "--hard"],
    ),
    (
        r"\betcdctl\b[^\n;&|]*\s(?:member\s+remove|snapshot\s+restore)\b",
        "etcdctl member remove / snapshot restore",
        &["etcdctl"],
    ),
    (
        r"\bvelero\b[^\n;&|]*\s(?:delete|restore\s+create)\b",
        "velero delete / restore",
        &["velero"],
    ),
    (
        r"\braft\s+remove-peer\b",
        "raft remove-peer",
        &["remove-peer"],
    ),
    (
        r"(?i)\bredis-cli\b[^\n;&|]*\s(?:sentinel\s+failover|cluster\s+(?:failover|reset|forget)|shutdown|debug\s+(?:segfault|sleep))\b",
        "redis failover / shutdown",
        &["redis-cli"],
    ),
    (
        r"\brabbitmqctl\b[^\n;&|]*\s(?:purge_queue|delete_queue|delete_vhost|force_reset|reset|forget_cluster_node)\b",
        "rabbitmqctl purge / delete / reset",
        &["rabbitmqctl"],
    ),
    (
        r"(?m)(?:^\s*|[;&|(]\s*|\bthen\s+|\bdo\s+)(?:sudo\s+)?(?::|true)\s*>\s*[/~$\w]",
        "emptying a file (`: > file`)",
        &[":>", ": >", "true >", "true>"],
    ),
    (
        r"\b(?:gcloud|az)\s[^\n;&|]*\s(?:delete|purge)\b",
        "cloud delete",
        &["delete", "purge"],
    ),
    (
        r"\b(?:wipefs|lvremove|vgremove|pvremove|shred)\b|\bsgdisk\b[^\n;&|]*--zap",
        "wiping a disk or volume",
        &[
            "wipefs", "lvremove", "vgremove", "pvremove", "shred", "sgdisk",
        ],
    ),
    (
        r"\bceph\s[^\n;&|]*\s(?:purge|destroy|pool\s+(?:delete|rm))\b",
        "ceph purge / pool delete",
        &["ceph"],
    ),
    (
        r"\b(?:consul\s+kv|etcdctl)\s+delete\b",
        "key-value delete",
        &["delete"],
    ),
    (
        r"\b(?:oc|kubectl)\s+adm\s+prune\b[^\n;&|]*--confirm\b",
        "oc adm prune --confirm",
        &["prune"],
    ),
    (
        r"(?i)\b(?:allocate_empty_primary|accept_data_loss)\b",
        "Elasticsearch empty primary / data loss",
        &["allocate_empty_primary", "accept_data_loss"],
    ),
    (
        r"(?i)\breset\s+(?:replica|slave|master)\b",
        "SQL RESET REPLICA / MASTER",
        &["reset"],
    ),
    (
        r"Sidekiq[^\n]*\.clear\b",
        "Sidekiq set cleared",
        &["sidekiq"],
    ),
    (
        r"\brbd\s+(?:snap\s+(?:purge|rm)|rm|remove)\b",
        "rbd snapshot purge / rm",
        &["rbd"],
    ),
];

// One bit per pattern in `find_destructive`.
const _: () = assert!(PATTERNS.len() <= 128);

const RM: &str = "rm -r / rm -f";
const POWER: &str = "reboot / shutdown";
const STOP: &str = "stopping a database or cluster service";

/// The patterns, and one automaton over every gate word (ASCII case ignored) that tells in
/// one pass over a script which patterns may match it. A pattern is compiled the first time
/// its gate opens: most scripts open few, and `runbook lint` of one file or `runbook run`
/// does not pay for compiling the hundred others at start.
struct Compiled {
    each: Vec<(OnceLock<Option<Regex>>, &'static str)>,
    gates: aho_corasick::AhoCorasick,
    /// For each gate word of `gates`, the pattern it opens.
    opens: Vec<usize>,
}

fn patterns() -> Option<&'static Compiled> {
    static COMPILED: OnceLock<Option<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let mut each = Vec::new();
            let mut words = Vec::new();
            let mut opens = Vec::new();
            for (_, what, gate) in PATTERNS {
                for g in *gate {
                    words.push(*g);
                    opens.push(each.len());
                }
                each.push((OnceLock::new(), *what));
            }
            // A contiguous NFA: cheap to build (a DFA costs more to build than a short run
            // spends searching).
            let gates = aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .ascii_case_insensitive(true)
                .build(&words)
                .ok()?;
            Some(Compiled { each, gates, opens })
        })
        .as_ref()
}

type Found = Vec<(Range<usize>, &'static str)>;

/// The destructive commands in a script: (byte range, what it is). Comments are skipped.
pub fn find_destructive(script: &str) -> Found {
    let mut found = Vec::new();
    let Some(compiled) = patterns() else {
        return found;
    };
    // One bit per pattern (there are fewer than 128).
    let mut open = 0u128;
    for m in compiled.gates.find_overlapping_iter(script) {
        if let Some(&n) = compiled.opens.get(m.pattern().as_usize()) {
            open |= 1 << (n % 128);
        }
    }
    let mut printed: Option<Vec<Range<usize>>> = None;
    for (n, (re, what)) in compiled.each.iter().enumerate() {
        if open & (1 << (n % 128)) == 0 {
            continue;
        }
        // (Every pattern compiles: `every_pattern_compiles` below.)
        let Some(re) = re
            .get_or_init(|| PATTERNS.get(n).and_then(|(p, _, _)| Regex::new(p).ok()))
            .as_ref()
        else {
            continue;
        };
        for m in re.find_iter(script) {
            let line_start = script[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            if script[line_start..m.start()].trim_start().starts_with('#') {
                continue;
            }
            // A command named in a message (`echo "then run kubectl delete …"`) is not run;
            // SQL is found wherever it is written (it is a quoted argument of `psql`).
            if !what.starts_with("SQL")
                && printed
                    .get_or_insert_with(|| printed_text(script))
                    .iter()
                    .any(|r| r.contains(&m.start()))
            {
                continue;
            }
            found.push((m.range(), *what));
        }
    }
    // The scanner reports only `rm`, the `reboot` family and a service stopped, whose names
    // must be written out.
    let named = [
        "rm", "reboot", "shutdown", "halt", "poweroff", "stop", "--now",
    ]
    .iter()
    .any(|n| memchr::memmem::find(script.as_bytes(), n.as_bytes()).is_some());
    if named {
        Scanner {
            text: script,
            found: &mut found,
        }
        .scan(0, script.len(), 0);
    }
    found.sort_by(|(a, x), (b, y)| (a.start, a.end, x).cmp(&(b.start, b.end, y)));
    // A command substitution inside a re-parsed string (`ssh h "$(reboot)"`) is seen twice.
    found.dedup();
    found
}

/// Programs that only print or search their arguments.
const PRINTERS: &[&str] = &[
    "echo",
    "printf",
    "logger",
    "wall",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "notify-send",
    "mail",
];

/// The spans of the arguments of printing commands (`echo`, `printf`, `grep`, …) at the top
/// level of the script, not piped, less the command substitutions inside them, whose
/// commands run.
fn printed_text(script: &str) -> Vec<Range<usize>> {
    let Some(list) = words::commands(script, 0..script.len()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for cmd in &list {
        let args = cmd.args();
        let Some(first) = args.iter().position(|w| {
            !(!w.quoted && programs::KEYWORDS.contains(&w.cooked.as_str())
                || programs::is_assignment_word(w))
        }) else {
            continue;
        };
        // What is printed into a pipe may be run there (`echo "…" | sh`).
        if cmd.piped || !PRINTERS.contains(&programs::base(&args[first].cooked)) {
            continue;
        }
        for w in &args[first + 1..] {
            let mut at = w.span.start;
            for e in w.expansions.iter().filter(|e| e.inner.is_some()) {
                out.push(at..e.span.start);
                at = e.span.end;
            }
            out.push(at..w.span.end);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Command positions, read with the shell layer: `shell::words` splits the script into simple
// commands (skipping comments, quotes, redirections and here-document bodies, and giving the
// `$( )`, backquotes and `<( )` inside each word), and `shell::programs` says where the
// command of each wrapper starts (`sudo`, `env`, `timeout`, `xargs`, `ssh HOST`,
// `kubectl exec --`, …): the same table that decides where a value lands in
// `shell::nested`. Strings that another shell runs again (`bash -c '…'`, `ssh HOST '…'`,
// `eval '…'`, `su -c '…'`) are scanned as scripts.
// ---------------------------------------------------------------------------------------

/// How deep strings inside strings are followed (`bash -c "ssh h '…'"`).
const MAX_DEPTH: u8 = 16;

/// The names of the `reboot` family.
const POWER_COMMANDS: &[&str] = &["reboot", "shutdown", "halt", "poweroff"];

/// Walks a script, with the findings so far.
struct Scanner<'a> {
    text: &'a str,
    found: &'a mut Found,
}

impl Scanner<'_> {
    /// Adds a finding for `start..end`, cut at the end of its first line.
    fn report(&mut self, start: usize, end: usize, what: &'static str) {
        let s = self.text.as_bytes();
        let mut end = s[start..end]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(end, |n| start + n);
        while end > start && matches!(s[end - 1], b' ' | b'\t' | b'\r' | b'\\') {
            end -= 1;
        }
        self.found.push((start..end, what));
    }

    /// Finds the `rm -r`/`rm -f` and `reboot` commands in `text[i..end]`: each simple
    /// command, the `$( )`, backquotes and `<( )` in its words, the bodies of its
    /// here-documents, and the strings another shell runs again.
    fn scan(&mut self, i: usize, end: usize, depth: u8) {
        if depth > MAX_DEPTH || i >= end {
            return;
        }
        let Some(list) = words::commands(self.text, i..end) else {
            // A syntax error somewhere (an unclosed quote or `$(`): the shell would run
            // nothing, but the lines around it are read on their own, as a reader would.
            let mut at = i;
            let lines: Vec<(usize, usize)> = self.text[i..end]
                .split_inclusive('\n')
                .map(|l| {
                    let start = at;
                    at += l.len();
                    (start, at)
                })
                .collect();
            if lines.len() > 1 {
                for (a, z) in lines {
                    if words::commands(self.text, a..z).is_some() {
                        self.scan(a, z, depth);
                    }
                }
            }
            return;
        };
        for c in &list {
            for w in &c.words {
                for e in &w.expansions {
                    if let Some(inner) = &e.inner {
                        self.scan(inner.start, inner.end, depth + 1);
                    }
                }
            }
            self.command(&c.args(), 0, None, false, depth);
            // `ssh host <<EOF` runs the document.
            for h in &c.heredocs {
                self.scan(h.body.start, h.body.end, depth + 1);
            }
        }
    }

    /// The simple command whose name is (after keywords and assignments) `args[i]`. `start`:
    /// where its first wrapper begins; `reparsed`: its words are parsed again by another
    /// shell (after `ssh HOST`, `eval`).
    fn command(
        &mut self,
        args: &[&Word],
        mut i: usize,
        start: Option<usize>,
        reparsed: bool,
        depth: u8,
    ) {
        while args.get(i).is_some_and(|w| {
            !w.quoted && programs::KEYWORDS.contains(&w.cooked.as_str())
                || programs::is_assignment_word(w)
        }) {
            i += 1;
        }
        let Some(w) = args.get(i) else { return };
        if reparsed && let Some((a, z)) = self.whole_quoted(w) {
            self.scan(a, z, depth + 1);
            return;
        }
        let raw = &self.text[w.span.clone()];
        let raw = raw.strip_prefix('\\').unwrap_or(raw);
        if !w.expansions.is_empty() || raw.contains(['\'', '"', '\\', '$', '`']) {
            return;
        }
        let name = programs::base(&w.cooked);
        let start = start.unwrap_or(w.span.start);
        let then = |sc: &mut Self, j: usize, reparsed: bool| {
            sc.command(args, j, Some(start), reparsed, depth);
        };
        match name {
            "rm" => {
                let flag_end = args[i + 1..]
                    .iter()
                    .take_while(|a| a.cooked != "--")
                    .filter(|a| rm_flag(a.cooked.as_bytes()))
                    .last()
                    .map(|a| a.span.end);
                if let Some(end) = flag_end {
                    self.report(start, end, RM);
                }
            }
            _ if POWER_COMMANDS.contains(&name) => self.report(start, w.span.end, POWER),
            "systemctl" => {
                let (j, seen) =
                    programs::options(args, i + 1, "HMtpsno", &["host", "machine", "type"]);
                let Some(op) = args.get(j) else { return };
                let rest = &args[j + 1..];
                let now =
                    programs::has(&seen, &["--now"]) || rest.iter().any(|a| a.cooked == "--now");
                if POWER_COMMANDS.contains(&op.cooked.as_str()) {
                    self.report(start, op.span.end, POWER);
                } else if (op.cooked == "stop"
                    || now && matches!(op.cooked.as_str(), "disable" | "mask"))
                    && let Some(unit) = rest
                        .iter()
                        .rfind(|a| !a.cooked.starts_with('-') && critical_service(&a.cooked))
                {
                    self.report(start, unit.span.end, STOP);
                }
            }
            // SysV: `service postgresql stop`, `/etc/init.d/postgresql stop`.
            "service" => {
                if let [unit, op, ..] = &args[i + 1..]
                    && op.cooked == "stop"
                    && critical_service(&unit.cooked)
                {
                    self.report(start, op.span.end, STOP);
                }
            }
            _ if w.cooked.contains("/init.d/") || w.cooked.contains("/rc.d/") => {
                if args.get(i + 1).is_some_and(|op| op.cooked == "stop") && critical_service(name) {
                    self.report(start, args[i + 1].span.end, STOP);
                }
            }
            "eval" => then(self, i + 1, true),
            "ssh" => then(self, programs::wrapped(args, i, &programs::SSH).0, true),
            // `busybox rm -rf x`: the applet is the command.
            "busybox" => then(self, i + 1, reparsed),
            "su" | "runuser" => {
                let found = programs::su_commands(args, i, name == "runuser");
                for (k, attached) in found.scripts {
                    if attached.is_none() {
                        self.script(args[k], depth);
                    }
                }
                if let Some(k) = found.command {
                    then(self, k, reparsed);
                }
            }
            _ if programs::SHELLS.contains(&name) => {
                if let (Some(k), _, _) = programs::shell_script(args, i) {
                    self.script(args[k], depth);
                }
            }
            _ => {
                // `hyperfine "rm -rf /x"`, `watchexec -- rm -rf /x`: a program that hands
                // its operands to a shell (the table `nested` reads them by, too).
                if let Some(r) = programs::find_runner(args, i) {
                    let words = programs::runner_words(args, i, r);
                    if r.each {
                        for k in words.commands {
                            self.script(args[k], depth);
                        }
                    } else if let Some(&k) = words.commands.first() {
                        then(self, k, true);
                    }
                } else if let Some(k) = programs::container_command(args, i) {
                    then(self, k, reparsed);
                } else if let Some(wrapper) = programs::find_wrapper(name) {
                    let (j, seen) = programs::wrapped(args, i, wrapper);
                    if !(name == "command" && programs::has(&seen, &["-v", "-V"])) {
                        then(self, j, reparsed);
                    }
                }
            }
        }
    }

    /// The inside of a word that is one `'…'` or `"…"` as written.
    fn whole_quoted(&self, w: &Word) -> Option<(usize, usize)> {
        let raw = self.text[w.span.clone()].as_bytes();
        let whole = raw.len() >= 2
            && ((raw[0] == b'\''
                && raw[raw.len() - 1] == b'\''
                && !raw[1..raw.len() - 1].contains(&b'\''))
                || (raw[0] == b'"' && raw[raw.len() - 1] == b'"'));
        whole.then(|| (w.span.start + 1, w.span.end - 1))
    }

    /// A word another shell runs as a script (`bash -c WORD`). Read in place when it is one
    /// quoted string or unquoted; otherwise its text as the shell receives it is read, and a
    /// finding there is reported on the whole word.
    fn script(&mut self, w: &Word, depth: u8) {
        if let Some((a, z)) = self.whole_quoted(w) {
            return self.scan(a, z, depth + 1);
        }
        if !w.quoted {
            return self.scan(w.span.start, w.span.end, depth + 1);
        }
        let mut inner = Found::new();
        Scanner {
            text: &w.cooked,
            found: &mut inner,
        }
        .scan(0, w.cooked.len(), depth + 1);
        for (_, what) in inner {
            self.report(w.span.start, w.span.end, what);
        }
    }
}

/// The services whose stop takes data or a cluster down until someone starts them again:
/// databases and their managers, caches, queues, coordination and secret stores, container
/// runtimes and the kubelet. (A web server or an agent is stopped routinely, behind a load
/// balancer or for maintenance, and does not count; nor does a `restart` of anything.)
const CRITICAL_SERVICES: &[&str] = &[
    "postgresql",
    "postgres",
    "patroni",
    "mysql",
    "mysqld",
    "mariadb",
    "mongod",
    "mongodb",
    "redis",
    "redis-server",
    "redis-sentinel",
    "valkey",
    "memcached",
    "etcd",
    "zookeeper",
    "kafka",
    "rabbitmq-server",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "clickhouse-server",
    "influxdb",
    "minio",
    "ceph-osd",
    "ceph-mon",
    "consul",
    "vault",
    "docker",
    "containerd",
    "crio",
    "kubelet",
];

/// Whether a unit names one of [`CRITICAL_SERVICES`]: `postgresql`, `postgresql.service`,
/// `postgresql@16-main`, `postgresql-16`, `ceph-osd@3`.
fn critical_service(unit: &str) -> bool {
    let unit = unit.strip_suffix(".service").unwrap_or(unit);
    let unit = unit.split('@').next().unwrap_or(unit);
    CRITICAL_SERVICES.iter().any(|s| {
        unit.strip_prefix(s).is_some_and(|rest| {
            rest.is_empty()
                || rest.strip_prefix('-').is_some_and(|v| {
                    !v.is_empty() && v.bytes().all(|c| c.is_ascii_digit() || c == b'.')
                })
        })
    })
}

/// An option of `rm` that makes it recursive or forced: `-r`, `-Rf`, `--recursive`, `--force`.
fn rm_flag(b: &[u8]) -> bool {
    if let Some(name) = b.strip_prefix(b"--") {
        return !name.is_empty() && (b"recursive".starts_with(name) || b"force".starts_with(name));
    }
    b.len() > 1 && b[0] == b'-' && b[1..].iter().any(|c| matches!(c, b'r' | b'R' | b'f'))
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
    use crate::lint::Rule;

    /// Each pattern is compiled when its gate first opens, and one that did not compile would
    /// be skipped: every one must compile, and have a gate that opens it.
    #[test]
    fn every_pattern_compiles() {
        for (p, what, gates) in super::PATTERNS {
            if let Err(e) = regex::Regex::new(p) {
                panic!("the pattern of {what} does not compile: {e}");
            }
            assert!(!gates.is_empty(), "{what} has no gate word");
        }
    }

    /// `runbook explain RB027` names the commands added after its first list (an audit
    /// found them detected but not told).
    #[test]
    fn the_explanation_names_the_newer_commands() {
        let doc = super::DestructiveCommand.meta().doc;
        for named in [
            "vault operator raft snapshot restore",
            "operator init",
            "rekey",
            "_close",
            "DELETE /index",
            "promote-read-replica",
            "failover-db-cluster",
            "terraform apply -auto-approve",
            "state=absent",
            "mc rb",
            "mc rm",
            "iptables -P",
            "zpool destroy",
            "zfs rollback",
            "--replicas=0",
            "persistentVolumeReclaimPolicy",
            "systemctl stop",
            "pg_ctl stop",
            "maxmemory 0",
        ] {
            assert!(doc.contains(named), "{named}");
        }
    }

    /// Each script is found destructive as exactly its one kind.
    fn assert_kinds(cases: &[(&str, &str)]) {
        for (script, want) in cases {
            let kinds: Vec<&str> = find_destructive(script)
                .into_iter()
                .map(|(_, what)| what)
                .collect();
            assert_eq!(kinds, [*want], "{script}");
        }
    }

    /// No script is found destructive.
    fn assert_harmless(scripts: &[&str]) {
        for script in scripts {
            assert!(
                find_destructive(script).is_empty(),
                "{script}: {:?}",
                find_destructive(script)
            );
        }
    }

    /// The text of each finding.
    fn found(script: &str) -> Vec<&str> {
        find_destructive(script)
            .into_iter()
            .map(|(range, _)| &script[range])
            .collect()
    }

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
            "oc delete pod api-1",
            "kubectl patch pvc data -p '{\"metadata\":{\"finalizers\":null}}'",
            "kubectl delete pod api-1 --force --grace-period=0",
            "curl -X DELETE https://api/v1/jobs/7",
            "curl --request DELETE https://api/v1/jobs/7",
            "aws rds reboot-db-instance --db-instance-identifier db-1",
            "aws ec2 stop-instances --instance-ids i-1",
            "sudo chef-client",
            "knife ssh 'role:web' 'sudo systemctl restart nginx'",
            "docker system prune -af",
            "docker volume rm data",
            "ETCDCTL_API=3 etcdctl del /registry --prefix",
            "zfs destroy tank/data@old",
            "rsync -a --delete /srv/app/ backup:/srv/app/",
            "docker compose down -v",
            "pg_resetwal -f /var/lib/postgresql/16/main",
            "terraform state rm aws_instance.web",
            "terraform apply -replace=aws_instance.web -auto-approve",
            "userdel -r olduser",
            "zkCli.sh -server zk-1:2181 deleteall /brokers/topics/t",
            "kubectl cnpg destroy pg-cluster 2",
            "find /data/tmp -mindepth 1 -exec rm -rf {} +",
            "kubectl node-shell node-1 -- rm -rf /var/lib/kubelet/pods/x",
            "kubectl debug node/n1 -it --image=busybox -- chroot /host rm -rf /var/log/x",
            "rsync -av --remove-source-files /var/log/archive/ /mnt/cold/",
            "sudo yum history undo last -y",
            "crontab -r",
            "virsh destroy vm-1",
            "vault kv metadata delete secret/app",
            "kafka-consumer-groups.sh --group g --reset-offsets --shift-by 1 --topic t --execute",
            "patronictl -c /etc/patroni.yml failover --force",
            "psql -c 'select pg_terminate_backend(42)'",
            "redis-cli -h cache DEL session:1",
            "find /var/log/app -name '*.gz' -delete",
            "truncate -s 0 /var/log/app.log",
            "kubectl replace --force -f pod.yaml",
            "mysql -e 'SET GLOBAL sql_slave_skip_counter = 1'",
            "sudo gitlab-ctl cleanse",
            "sudo gitlab-rake gitlab:db:drop_tables",
            "bundle exec rake db:reset RAILS_ENV=production",
            "sudo -u git -H bundle exec rake gitlab:cleanup:repos RAILS_ENV=production",
            "gitlab-rake gitlab:cleanup:orphan_job_artifact_files DRY_RUN=false",
            "sudo gitlab-backup restore BACKUP=1700000000 force=yes",
            "gitlab-rails runner 'Project.find(7).destroy!'",
            "gitlab-rails runner \"Ci::Build.where(status: 'pending').delete_all\"",
            "git reset --hard origin/main",
            "git clean -fdx",
            "etcdctl snapshot restore snap.db --data-dir /var/lib/etcd",
            "etcdctl member remove 8e9e05c52164694d",
            "velero backup delete nightly --confirm",
            "vault operator raft remove-peer node-3",
            "redis-cli -h s1 -p 26379 SENTINEL failover mymaster",
            "rabbitmqctl purge_queue jobs",
            ": > /var/log/app/big.log",
            "sudo true > /var/log/app/big.log",
            "psql -c 'ALTER TABLE jobs DROP COLUMN payload'",
            "psql -c \"select pg_drop_replication_slot('old')\"",
            "mongosh --eval 'db.sessions.drop()'",
            // Audit 14j J10.
            "cqlsh -e 'DROP KEYSPACE analytics;'",
            "gsutil -m rm -r gs://logs-prod/2023",
            "nodetool removenode 1234-abcd",
            "chown -R nobody /",
            "sudo chmod -R 777 /var/www",
            "kill -9 $(pgrep -f sidekiq)",
            "pkill -9 java",
            "pg_ctl -D /var/lib/pg promote",
            "umount -l /mnt/nfs",
            "gcloud compute instances delete vm-1 --zone europe-west1-b",
            "az vm delete -g rg -n vm-1 --yes",
            "sudo wipefs -a /dev/sdb",
            "sudo lvremove -y vg0/data",
            "ceph osd purge 3 --yes-i-really-mean-it",
            "consul kv delete -recurse app/",
            "oc adm prune images --keep-tag-revisions=3 --confirm",
            "curl -XPOST es:9200/_cluster/reroute -d '{\"commands\":[{\"allocate_empty_primary\":{\"accept_data_loss\":true}}]}'",
            "mysql -e 'STOP REPLICA; RESET REPLICA ALL'",
            "gitlab-rails runner 'Sidekiq::DeadSet.new.clear'",
            "rbd snap purge rbd/img-1",
        ];
        for script in destructive {
            assert!(!find_destructive(script).is_empty(), "{script}");
        }
        let harmless = [
            "docker compose down",
            "terraform apply -auto-approve plan.out",
            "find /tmp -name '*.log' -exec ls -l {} +",
            "kubectl exec pod -- ls -la /data",
            "rsync -a /srv/app/ backup:/srv/app/",
            "yum history list",
            "ls -la",
            "echo 'will reboot later'",
            "# rm -rf /\nls",
            "kubectl get pods",
            "psql -c 'select * from dropped_items'",
            "grep -rf patterns.txt .",
            "terraform plan",
            "aws ec2 describe-instances",
            "curl -X GET https://api/v1/jobs/7",
            "oc get pods",
            "kubectl patch deploy api -p '{\"spec\":{\"replicas\":3}}'",
            "kubectl scale deploy/api --replicas=10",
            "kafka-consumer-groups.sh --group g --reset-offsets --to-earliest --dry-run",
            "patronictl -c /etc/patroni.yml list",
            "redis-cli -h cache GET session:1",
            "find /var/log -name '*.gz'",
            "docker ps",
            "gitlab-rake gitlab:cleanup:orphan_job_artifact_files",
            "gitlab-ctl status",
            "git status && git log -1",
            "etcdctl endpoint health --cluster",
            "velero backup get",
            "redis-cli -h s1 -p 26379 SENTINEL get-master-addr-by-name mymaster",
            "rabbitmqctl list_queues",
            "etcdctl defrag --cluster",
            "kubectl scale deploy/api --replicas=10",
            "gcloud compute instances list",
            "cat /var/log/app.log > /tmp/copy.log",
            "echo ok > /tmp/x",
            "gitlab-rails runner 'puts Project.count'",
            "ceph status",
            "oc adm prune images --keep-tag-revisions=3",
            "rbd snap ls rbd/img-1",
            "gitlab-rails runner 'puts Sidekiq::DeadSet.new.size'",
        ];
        assert_harmless(&harmless);
    }

    /// Found by audit 14g (G4, G8, G11, G14): each ran in a real run without a confirmation.
    /// (script, what it is found as); each with a look-alike that reads or plans only.
    #[test]
    fn terraform_kafka_route53_and_helm_changes_are_destructive() {
        let destructive = [
            (
                "terraform force-unlock -force LOCK-123",
                "terraform force-unlock",
            ),
            ("terraform force-unlock 6f1c-42", "terraform force-unlock"),
            (
                "terraform -chdir=envs/prod force-unlock -force 6f1c",
                "terraform force-unlock",
            ),
            ("terraform -chdir=envs/prod destroy", "terraform destroy"),
            (
                "terraform apply -auto-approve -destroy",
                "terraform destroy",
            ),
            (
                "kafka-reassign-partitions.sh --bootstrap-server b:9092 --reassignment-json-file /tmp/r.json --execute",
                "kafka partition reassignment",
            ),
            (
                "kafka-reassign-partitions --bootstrap-server b:9092 \\\n  --reassignment-json-file r.json \\\n  --execute",
                "kafka partition reassignment",
            ),
            (
                "kafka-topics.sh --bootstrap-server b:9092 --delete --topic old",
                "kafka topic deletion",
            ),
            (
                "kafka-topics --bootstrap-server b:9092 --topic old --delete",
                "kafka topic deletion",
            ),
            (
                "aws route53 change-resource-record-sets --hosted-zone-id Z1 --change-batch file:///tmp/f.json",
                "aws route53 DNS change",
            ),
            (
                "aws --profile prod route53 change-resource-record-sets \\\n  --hosted-zone-id Z1 --change-batch file://f.json",
                "aws route53 DNS change",
            ),
            ("helm -n shop rollback web", "helm uninstall / rollback"),
            ("helm rollback web 3 --wait", "helm uninstall / rollback"),
            (
                "helm --kube-context prod -n shop rollback web",
                "helm uninstall / rollback",
            ),
            ("helm uninstall api", "helm uninstall / rollback"),
            ("helm delete --purge api", "helm uninstall / rollback"),
            ("helm -n shop uninstall api", "helm uninstall / rollback"),
        ];
        assert_kinds(&destructive);
        let harmless = [
            "terraform plan -lock-timeout=60s -out=/tmp/plan.out",
            "terraform apply /tmp/plan.out",
            "terraform state list",
            "echo 'run terraform force-unlock only if the holder is gone'",
            "kafka-reassign-partitions.sh --bootstrap-server b:9092 --reassignment-json-file r.json --verify",
            "kafka-reassign-partitions --bootstrap-server b:9092 --topics-to-move-json-file t.json --generate",
            "kafka-topics.sh --bootstrap-server b:9092 --describe --under-replicated-partitions",
            "kafka-topics --bootstrap-server b:9092 --list | grep -v delete",
            "aws route53 list-resource-record-sets --hosted-zone-id Z1",
            "aws route53 wait resource-record-sets-changed --id C1",
            "aws route53 get-change --id C1",
            "helm history web",
            "helm -n shop status web",
            "helm -n shop get values web",
            "helm list --all-namespaces | grep rollback",
            "helm upgrade web ./chart --set job=rollback-check",
        ];
        assert_harmless(&harmless);
    }

    #[test]
    fn commands_in_every_command_position() {
        // (script, the text of the one finding)
        let cases = [
            // after shell keywords
            ("if test -d x; then rm -rf /var/cache/x; fi", "rm -rf"),
            ("if true\nthen\n  rm -rf /x\nfi", "rm -rf"),
            ("if a; then b; elif c; then reboot; fi", "reboot"),
            ("if a; then b; else reboot; fi", "reboot"),
            ("for d in a b; do rm -rf \"$d\"; done", "rm -rf"),
            ("while read -r f; do rm -f \"$f\"; done < list", "rm -f"),
            ("{ rm -rf x; }", "rm -rf"),
            ("! rm -rf x", "rm -rf"),
            ("if rm -rf x; then :; fi", "rm -rf"),
            ("case $m in\n  prod) reboot ;;\nesac", "reboot"),
            ("cleanup() { rm -rf \"$tmp\"; }", "rm -rf"),
            ("true && reboot", "reboot"),
            ("a || rm -rf x", "rm -rf"),
            ("(cd /x; rm -rf y)", "rm -rf"),
            ("FOO=1 rm -rf x", "rm -rf"),
            // prefix commands
            ("sudo -u postgres rm -rf /x", "sudo -u postgres rm -rf"),
            ("sudo -E -- rm -rf /x", "sudo -E -- rm -rf"),
            ("doas rm -rf x", "doas rm -rf"),
            ("exec reboot", "exec reboot"),
            ("nohup rm -rf /var/tmp/x &", "nohup rm -rf"),
            ("env FOO=1 terraform destroy", "terraform destroy"),
            ("env -i PATH=/bin rm -rf x", "env -i PATH=/bin rm -rf"),
            ("timeout 30 kubectl delete ns prod", "kubectl delete"),
            ("timeout -s KILL 30s rm -rf x", "timeout -s KILL 30s rm -rf"),
            ("nice -n 10 rm -rf x", "nice -n 10 rm -rf"),
            ("nice -10 reboot", "nice -10 reboot"),
            ("command rm -rf x", "command rm -rf"),
            ("find /x -print0 | xargs -0 rm -rf", "xargs -0 rm -rf"),
            ("ls | xargs -I {} rm -rf {}", "xargs -I {} rm -rf"),
            ("ls | xargs -n1 -P 4 rm -f", "xargs -n1 -P 4 rm -f"),
            ("ssh db-1 'rm -rf /srv/data'", "rm -rf"),
            ("ssh db-1 rm -rf /srv/data", "ssh db-1 rm -rf"),
            ("ssh db-1 reboot", "ssh db-1 reboot"),
            // programs that hand their operands to a shell (`programs::RUNNERS`)
            ("hyperfine --runs 1 'rm -rf /srv/x'", "rm -rf"),
            ("hyperfine -w 1 \"echo a\" \"reboot\"", "reboot"),
            (
                "watchexec -e rs -- rm -rf /srv/x",
                "watchexec -e rs -- rm -rf",
            ),
            ("concurrently 'npm start' 'rm -rf /srv/x'", "rm -rf"),
            ("sops exec-env secrets.env 'rm -rf /srv/x'", "rm -rf"),
            ("foreman run rm -rf /srv/x", "foreman run rm -rf"),
            (
                "ssh -p 2222 -i ~/.ssh/k -o BatchMode=yes db-1 \"sudo reboot\"",
                "sudo reboot",
            ),
            ("ssh -t db-1 sudo 'rm -rf /x'", "rm -rf"),
            (
                "for h in a b; do ssh \"$h\" 'sudo systemctl reboot'; done",
                "sudo systemctl reboot",
            ),
            (
                "kubectl exec -it api-0 -- rm -rf /tmp/cache",
                "kubectl exec -it api-0 -- rm -rf",
            ),
            (
                "kubectl -n x exec api-0 -c app -- sh -c 'rm -rf /x'",
                "rm -rf",
            ),
            ("bash -c 'rm -rf /x'", "rm -rf"),
            ("sh -c \"reboot\"", "reboot"),
            ("bash -euo pipefail -c 'cd /x && rm -rf y'", "rm -rf"),
            ("bash -lc 'reboot'", "reboot"),
            ("su - postgres -c 'rm -rf /x'", "rm -rf"),
            ("eval 'rm -rf x'", "rm -rf"),
            ("x=$(rm -rf /x)", "rm -rf"),
            ("echo \"$(reboot)\"", "reboot"),
            ("echo `rm -rf x`", "rm -rf"),
            ("diff <(rm -rf x) y", "rm -rf"),
            ("ssh h <<'EOF'\nrm -rf /x\nEOF", "rm -rf"),
            ("cat <<-EOF >f\n\tok\n\tEOF\nreboot", "reboot"),
            (
                "sudo systemctl --force reboot",
                "sudo systemctl --force reboot",
            ),
            ("systemctl -H db-1 poweroff", "systemctl -H db-1 poweroff"),
            ("shutdown -h now", "shutdown"),
            ("ls 2>/dev/null; halt", "halt"),
            // a path before the name, a backslash that skips aliases
            ("/bin/rm -rf /srv/data", "/bin/rm -rf"),
            ("/usr/sbin/reboot", "/usr/sbin/reboot"),
            ("\\rm -rf x", "\\rm -rf"),
            // every spelling of the options
            ("rm -fr x", "rm -fr"),
            ("rm -Rf x", "rm -Rf"),
            ("rm -vrf x", "rm -vrf"),
            ("rm -r -f /x", "rm -r -f"),
            ("rm --recursive --force /x", "rm --recursive --force"),
            ("rm -r --force /x", "rm -r --force"),
            ("rm --force -R /x", "rm --force -R"),
            (
                "rm -v --no-preserve-root -rf /x",
                "rm -v --no-preserve-root -rf",
            ),
            ("rm \\\n  -rf /x", "rm"),
            // wrappers read with the shell layer's table (as `shell::nested` reads them)
            (
                "docker exec -u root web rm -rf /x",
                "docker exec -u root web rm -rf",
            ),
            ("busybox reboot", "busybox reboot"),
            ("runuser -u pg -- rm -rf /x", "runuser -u pg -- rm -rf"),
            ("exec -a name reboot", "exec -a name reboot"),
            ("time -p rm -rf x", "time -p rm -rf"),
            ("env - PATH=/bin reboot", "env - PATH=/bin reboot"),
            ("stdbuf -o L rm -rf x", "stdbuf -o L rm -rf"),
            ("bash -c 'rm -rf '\"$d\"", "'rm -rf '\"$d\""),
        ];
        for (script, want) in cases {
            assert_eq!(found(script), [want], "{script}");
        }
    }

    #[test]
    fn look_alikes_are_not_destructive() {
        let harmless = [
            "echo \"rm -rf is dangerous\"",
            "echo \"a; rm -rf x\"",
            "echo 'ssh db-1 reboot'",
            "printf '%s\\n' 'then rm -rf x'",
            "echo done then reboot",
            "grep reboot /var/log/syslog",
            "journalctl | grep -i 'shutdown'",
            "format-reboot-notes --out notes.md",
            "reboot-required-check",
            "hyperfine 'ls /srv/x' -L rm rm",
            "watchexec -e rs -- cargo test",
            "./reboot.sh --dry-run",
            "ls # rm -rf /",
            "ls\n  # then rm -rf /x",
            "rm old.log",
            "rm -i old.log",
            "rm -- -rf",
            "git rm -r --cached build",
            "docker rm web",
            "ssh db-1 uptime",
            "ssh -o ConnectTimeout=5 db-1 'df -h'",
            "ssh -l reboot db-1 uptime",
            "sudo -u reboot ls",
            "kubectl exec api-0 -- ls /tmp",
            "kubectl logs api-0 -- rm",
            "bash -c 'ls -la'",
            "bash ./rm-old-files.sh",
            "timeout 30 ls",
            "nice -n 10 tar czf x.tgz /x",
            "systemctl restart nginx",
            "systemctl status reboot.target",
            "find . -name '*.rm'",
            "echo \"it's fine\"; ls",
            "cat <<'EOF'\nnot a command: rm\nEOF\nls",
            "x='unterminated; ls",
            "echo ${x:-reboot}",
            "echo $((1 + 2))",
            "command -v reboot",
            "docker run --name reboot img ls",
            "sudo -u pg psql -c 'select 1'",
            "echo \"next: run curl -X DELETE https://api/x if needed\"",
            "echo 'then kubectl delete pod x --grace-period=0'",
            "printf '%s\\n' 'aws ec2 reboot-instances, oc delete pod x, chef-client'",
            "grep 'knife ssh' notes.txt",
        ];
        // A command printed into a pipe or run by a substitution inside a message is run.
        for script in [
            "echo 'kubectl delete pod x' | sh",
            "echo \"gone: $(kubectl delete pod x)\"",
        ] {
            assert!(!found(script).is_empty(), "{script}");
        }
        for script in harmless {
            assert!(found(script).is_empty(), "{script}: {:?}", found(script));
        }
    }

    /// Found by audit 14n (N4): each ran in an imported runbook without a confirmation;
    /// (script, what it is found as), then look-alikes that only read.
    #[test]
    fn vault_elasticsearch_rds_terraform_ansible_minio_and_iptables_changes() {
        let destructive = [
            (
                "vault operator raft snapshot restore -force /tmp/vault.snap",
                "vault raft snapshot restore",
            ),
            (
                "vault operator init -key-shares=5",
                "vault operator init / rekey / seal",
            ),
            ("vault operator seal", "vault operator init / rekey / seal"),
            (
                "curl -XPOST http://es:9200/_all/_close",
                "Elasticsearch index close",
            ),
            ("POST /_all/_close", "Elasticsearch index close"),
            (
                "curl -X POST 'es:9200/logs-2024.01/_close?pretty'",
                "Elasticsearch index close",
            ),
            ("DELETE /logs-2024.01", "Elasticsearch DELETE"),
            (
                "aws rds promote-read-replica --db-instance-identifier db-2",
                "aws promote / failover",
            ),
            (
                "aws rds failover-db-cluster --db-cluster-identifier c1",
                "aws promote / failover",
            ),
            (
                "terraform apply -auto-approve",
                "terraform apply -auto-approve",
            ),
            (
                "terraform -chdir=envs/prod apply -auto-approve -var 'replicas=3'",
                "terraform apply -auto-approve",
            ),
            (
                "ansible web -m file -a 'path=/srv/app state=absent'",
                "ansible state=absent",
            ),
            (
                "ansible all -i hosts -b -m apt -a \"name=nginx state=absent\"",
                "ansible state=absent",
            ),
            ("mc rb --force local/backups", "MinIO mc rb / rm"),
            ("mc rm --recursive --force local/logs/", "MinIO mc rb / rm"),
            ("iptables -P INPUT DROP", "iptables flush / drop policy"),
            ("sudo iptables -F", "iptables flush / drop policy"),
            (
                "ip6tables --policy FORWARD REJECT",
                "iptables flush / drop policy",
            ),
        ];
        assert_kinds(&destructive);
        let harmless = [
            "vault status",
            "vault operator raft list-peers",
            "vault operator raft snapshot save /tmp/vault.snap",
            "vault operator unseal",
            "vault operator members",
            "curl -s http://es:9200/_cat/indices?v",
            "curl -XPOST http://es:9200/logs/_open",
            "GET /_cluster/health",
            "aws rds describe-db-instances --db-instance-identifier db-2",
            "terraform plan",
            "terraform apply",
            "terraform apply -auto-approve plan.out",
            "terraform apply /tmp/plan.out",
            "ansible web -m ping",
            "ansible web -m apt -a 'name=nginx state=present'",
            "ansible-playbook site.yml --check",
            "mc ls local/backups",
            "mc admin info local",
            "iptables -L -n -v",
            "iptables -S",
            "iptables -P INPUT ACCEPT",
            "echo 'DELETE /index is forbidden'",
        ];
        assert_harmless(&harmless);
    }

    /// Found by audit 14o (A-25): each was imported as an ordinary step. (script, what it is
    /// found as), then look-alikes that read, scale to a number, restart, or stop a service
    /// whose stop is routine.
    #[test]
    fn zfs_scale_to_zero_reclaim_policy_and_stopped_databases() {
        let destructive = [
            ("sudo zpool destroy tank", "zpool destroy / labelclear"),
            ("zpool destroy -f tank", "zpool destroy / labelclear"),
            ("zpool labelclear -f /dev/sdb", "zpool destroy / labelclear"),
            ("zfs destroy pool/ds", "zfs destroy"),
            ("zfs rollback -r pool/ds@before", "zfs rollback"),
            ("zfs rollback pool/ds@before", "zfs rollback"),
            (
                "kubectl -n web scale deploy/api --replicas=0",
                "scale to zero replicas",
            ),
            (
                "kubectl scale --replicas 0 statefulset/kafka -n data",
                "scale to zero replicas",
            ),
            (
                "oc scale dc/worker --replicas='0'",
                "scale to zero replicas",
            ),
            (
                "kubectl scale deployment/search-indexer -n search \\\n  --replicas=0",
                "scale to zero replicas",
            ),
            (
                "kubectl patch pv pv-1 -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\"}}'",
                "reclaim policy set to Delete",
            ),
            (
                "kubectl patch pv pv-1 --type=json -p '[{\"op\":\"replace\",\"path\":\"/spec/persistentVolumeReclaimPolicy\",\"value\":\"Delete\"}]'",
                "reclaim policy set to Delete",
            ),
            ("sudo systemctl stop postgresql", super::STOP),
            ("systemctl stop postgresql@16-main.service", super::STOP),
            ("systemctl stop postgresql-16", super::STOP),
            ("ssh db-2 sudo systemctl stop mysql", super::STOP),
            ("ssh \"$REPLICA\" sudo systemctl stop patroni", super::STOP),
            ("systemctl --now disable etcd", super::STOP),
            ("systemctl mask --now kubelet", super::STOP),
            ("systemctl stop nginx redis-server", super::STOP),
            ("sudo service mongod stop", super::STOP),
            ("/etc/init.d/cassandra stop", super::STOP),
            (
                "sudo -u postgres pg_ctl -D /var/lib/pg stop -m fast",
                super::STOP,
            ),
            ("pg_ctlcluster 16 main stop", super::STOP),
            ("systemctl kill -s KILL nginx", "kill -9"),
        ];
        assert_kinds(&destructive);
        assert_eq!(
            found("sudo systemctl stop postgresql"),
            ["sudo systemctl stop postgresql"]
        );
        let harmless = [
            "zpool status -x",
            "zpool list",
            "zfs list -t snapshot",
            "zfs snapshot pool/ds@before",
            "kubectl scale deploy/api --replicas=3",
            "kubectl scale deploy/api --replicas=10",
            "kubectl scale deploy/api --current-replicas=0 --replicas=2",
            "kubectl get deploy api -o jsonpath='{.spec.replicas}'",
            "kubectl autoscale deploy/api --min=2 --max=10",
            "kubectl patch pv pv-1 -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}'",
            "kubectl get pv -o custom-columns=N:.metadata.name,P:.spec.persistentVolumeReclaimPolicy | grep Delete",
            "systemctl restart postgresql",
            "systemctl status postgresql",
            "systemctl start postgresql",
            "systemctl stop nginx",
            "sudo systemctl stop keepalived",
            "systemctl stop puppet.service",
            "systemctl disable postgresql",
            "systemctl stop postgresql-exporter",
            "service postgresql status",
            "/etc/init.d/nginx stop",
            "echo 'then systemctl stop postgresql'",
            "pg_ctl -D /var/lib/pg status",
            "redis-cli -h cache CONFIG SET maxmemory 0",
            "redis-cli -h cache CONFIG GET maxmemory",
        ];
        assert_harmless(&harmless);
    }

    #[test]
    fn odd_input_does_not_panic() {
        let scripts = [
            "",
            "\\",
            "'",
            "\"",
            "`",
            "$(",
            "${",
            "$'",
            "<<",
            "<<-",
            "<(",
            "rm -",
            "a=(",
            "rm \\",
            "ssh",
            "sudo -u",
            "bash -c",
            "cat <<EOF\nrm -rf x",
            "$($($($(",
            "echo \"$(echo \"$(reboot\")\")\"",
        ];
        for script in scripts {
            let _ = find_destructive(script);
        }
        let deep = "$(".repeat(10_000);
        let _ = find_destructive(&deep);
        let deep = "bash -c \"".repeat(10_000);
        let _ = find_destructive(&deep);
    }
}
