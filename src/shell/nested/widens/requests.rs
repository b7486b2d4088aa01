//! Destructive requests that a service's own tool or API reads as a set (audit 41 A41-1,
//! A41-2, A41-13): the topic pattern of `kafka-topics --delete`, the index of an HTTP
//! `DELETE` (Elasticsearch's and OpenSearch's `_all`, `*`, `,` lists), the matchers of
//! Prometheus's `delete_series` and of an Alertmanager silence, a varnish ban, the paths of
//! a CloudFront invalidation, and the `lsof -i` address whose processes a later command
//! kills.

use super::super::types::{Wide, WideKind};
use super::found::Found;
use crate::shell::programs::{base, command_index, program_index};
use crate::shell::words::Command;

impl Found<'_> {
    /// Where the value picks what such a request acts on (`feeds`: the command's output
    /// reaches a deleter).
    pub(super) fn requests(&self, program: &str, feeds: bool) -> Option<Wide> {
        let previous = self.previous();
        match program {
            // Kafka's TopicCommand filters every topic by `--topic` as a regular expression,
            // except with `--create`.
            "kafka-topics" | "kafka-topics.sh"
                if (previous == "--topic" || self.before.starts_with("--topic="))
                    && self.verb(&["--delete", "--alter"]) =>
            {
                let from = self.before.starts_with("--topic=").then_some(8);
                Some(Wide::pattern(TOPICS, self.around(from)))
            }
            "curl" | "http" | "https" | "xh" => {
                // `…/delete_series?match[]={job=~"{{ v }}"}`, in any method.
                if self.before.contains("delete_series") {
                    return self.matcher(SERIES);
                }
                let method = self.operands.iter().any(|a| {
                    matches!(
                        a.cooked.as_str(),
                        "-XDELETE" | "--request=DELETE" | "DELETE"
                    )
                });
                let (_, rest) = self.before.split_once("://")?;
                (method && rest.contains('/') && !rest.contains(['?', '#']))
                    .then(|| Wide::new(INDEX, WideKind::Index, self.around(None)))
            }
            "amtool" if self.verb(&["silence"]) && self.verb(&["add"]) => self.matcher(SILENCED),
            // `varnishadm "ban req.url ~ {{ v }}"`.
            "varnishadm" if self.before.trim_start().starts_with("ban") => {
                let from = self.before.rfind('~')? + 1;
                let from =
                    from + self.before[from..].len() - self.before[from..].trim_start().len();
                Some(Wide::pattern(BANNED, self.around(Some(from))))
            }
            "aws"
                if self.ends_path
                    && self.verb(&["create-invalidation"])
                    && (previous == "--paths" || self.before.starts_with("--paths=")) =>
            {
                Some(Wide::path(INVALIDATED))
            }
            // `lsof -ti tcp:{{ v }} | xargs kill`: a range, a list or a protocol alone picks
            // every socket.
            "lsof" if feeds => {
                let cluster =
                    |w: &str| w.starts_with('-') && !w.starts_with("--") && w[1..].contains('i');
                let from = if cluster(previous) && previous.ends_with('i') {
                    0
                } else if cluster(self.before) {
                    self.before.find('i')? + 1
                } else {
                    return None;
                };
                Some(Wide::new(SOCKETS, WideKind::Port, self.around(Some(from))))
            }
            _ => None,
        }
    }

    /// A label matcher `name=~"…"` before the value: its regular expression, to the quote
    /// that ends it.
    fn matcher(&self, what: &'static str) -> Option<Wide> {
        let i = self.before.rfind("=~")? + 2;
        let before = self.before[i..].trim_start_matches(['"', '\'']).to_string();
        let after = self.after.split(['"', '\'', ',', '}']).next().unwrap_or("");
        Some(Wide::pattern(what, (before, after.to_string())))
    }
}

const TOPICS: &str = "it is the topic `kafka-topics` deletes or alters, which it reads as a regular expression over every topic of the cluster: an empty one, one with `|`, one without two letters or digits in a row (`.*`), or one found in many unrelated names would pick most topics";
const INDEX: &str = "it names what an HTTP `DELETE` deletes, where Elasticsearch and OpenSearch read `*`, `?` and `,` as wildcards and lists and `_all` (a name starting with `_`) as every index, and an empty value names the whole path written before it";
const SERIES: &str = "it is the regular expression of the series Prometheus's `delete_series` deletes: an empty one, one with `|`, one without two letters or digits in a row (`.*`), or one found in many unrelated names would match most series";
const SILENCED: &str = "it is the regular expression of the alerts the silence mutes: an empty one, one with `|`, one without two letters or digits in a row (`.*`), or one found in many unrelated names would silence most alerts";
const BANNED: &str = "it is the regular expression of the objects varnish bans: an empty one, one with `|`, one without two letters or digits in a row (`.`), or one found in many unrelated names would ban most of the cache";
const INVALIDATED: &str = "it ends the path CloudFront invalidates, where an empty value, `.` or `/` would invalidate everything under the path written before it";
const SOCKETS: &str = "it is the address of the sockets whose processes a later command kills, where lsof reads `-` as a range of ports and `,` as a list, and a protocol or host without a port picks every socket";

/// The file the output of `list[n]` is written to: its own `>`/`>>` redirection, or the file
/// operand of a `tee` it pipes into (`echo "…" | sudo tee -a /etc/hosts.allow`).
pub(super) fn written_file(text: &str, list: &[Command], n: usize) -> Option<String> {
    let cmd = list.get(n)?;
    if let Some(w) = cmd
        .words
        .iter()
        .find(|w| w.redirect && text[..w.span.start].trim_end().ends_with('>'))
    {
        return Some(w.cooked.clone());
    }
    let next = list.get(n + 1).filter(|_| cmd.piped)?.args();
    let t = program_index(&next, command_index(&next));
    if next.get(t).map(|w| base(&w.cooked)) != Some("tee") {
        return None;
    }
    next[t + 1..]
        .iter()
        .find(|a| !a.cooked.starts_with('-'))
        .map(|w| w.cooked.clone())
}

impl Found<'_> {
    /// Where `program` (`echo`, `printf`) writes the value into a file that grants access:
    /// the user of a sudoers line, a client of `hosts.allow`, nginx's `allow`, a column of
    /// `pg_hba.conf` (audit 41 A41-3, A41-4).
    pub(super) fn written(&self, program: &str, file: &str) -> Option<Wide> {
        if !matches!(program, "echo" | "printf") {
            return None;
        }
        let line = self.before.rsplit('\n').next().unwrap_or("");
        // (To the end of its line, without nginx's `;`.)
        let after = self
            .after
            .split(['\n', ';'])
            .next()
            .unwrap_or("")
            .to_string();
        let name = file.rsplit('/').next().unwrap_or(file);
        if file.contains("sudoers") && line.trim().is_empty() {
            return Some(Wide::new(
                SUDOERS,
                WideKind::Grant,
                (String::new(), String::new()),
            ));
        }
        let client = (name == "hosts.allow" && line.contains(':'))
            || (file.contains("nginx") && line.split_whitespace().last() == Some("allow"))
            || (name == "pg_hba.conf" && !line.trim().is_empty());
        client.then(|| Wide::new(CLIENTS, WideKind::Network, (String::new(), after)))
    }
}

const SUDOERS: &str = "it is the user a sudoers line grants to, where `ALL` is every user of the machine and `%group` every member of a group";
const CLIENTS: &str = "it is who an access rule lets in (`hosts.allow`, nginx's `allow`, `pg_hba.conf`), where `ALL`, `all`, `KNOWN`, `samenet`, `0.0.0.0/0`, `::/0` or a prefix shorter than /8 lets in every client";
