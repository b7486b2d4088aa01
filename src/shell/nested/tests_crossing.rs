//! Tests of [`plan`] for values that cross into another record, variable, header or element
//! (audit 41), on their own for the length of `tests.rs`.

use super::Refusal;
use super::tests::refusal;

/// Each script, a value it refuses there (with the character said), and the plainly safe
/// value that still passes.
#[test]
fn values_that_would_cross_into_another_record_are_refused() {
    let mut wrong = Vec::new();
    for (script, bad, held, good) in [
        // A41-16: a variable that picks what runs.
        (
            "PATH=\"/usr/lib/{{ v }}/bin:$PATH\" kubectl version",
            "x:/tmp/evil",
            Some(':'),
            "tools-1.2",
        ),
        (
            "export KUBECONFIG=\"/etc/kube/{{ v }}.conf\"; kubectl get pods",
            "../../tmp/kc",
            None,
            "prod",
        ),
        (
            "export PYTHONPATH={{ v }}; python3 x.py",
            "a:/tmp",
            Some(':'),
            "lib",
        ),
        // A41-12: records on chpasswd's input.
        (
            "echo \"deploy:{{ v }}\" | sudo chpasswd",
            "Tmp-1\nroot:owned",
            Some('\n'),
            "Tmp-pass-1!",
        ),
        (
            "printf '%s:%s\\n' deploy \"{{ v }}\" | newusers",
            "p\nroot:x:0:0::/:/bin/sh",
            Some('\n'),
            "p@ss:w0rd",
        ),
        // A41-15: awk's `-v` and jq's raw `--arg` printed into an env-file or YAML file.
        (
            "awk -v tag=\"{{ v }}\" '/^TAG=/{ $0 = \"TAG=\" tag } 1' app.env > app.env.new",
            "v2\\nLD_PRELOAD=/tmp/e.so",
            Some('\\'),
            "v2.1",
        ),
        (
            "awk -v tag=\"{{ v }}\" '{ print }' values.yaml > v.new",
            "v2\nsecurityContext: {}",
            Some('\n'),
            "v2",
        ),
        (
            "jq -rn --arg t \"{{ v }}\" '\"TAG=\" + $t' > app.env",
            "v2\nLD_PRELOAD=/tmp/e.so",
            Some('\n'),
            "v2 with spaces",
        ),
        // A41-14: a mail's headers written by printf.
        (
            "printf 'To: a@example.com\\nSubject: [%s] x\\n\\nbody\\n' \"{{ v }}\" | sendmail -t",
            "INC-1\nBcc: leak@evil.example",
            Some('\n'),
            "INC-1",
        ),
        (
            "swaks --to a@example.com --header \"Subject: {{ v }}\"",
            "x\nBcc: y@evil.example",
            Some('\n'),
            "x",
        ),
        // A41-22: XML.
        (
            "sudo tee /etc/hadoop/conf/dfs-hosts.xml <<EOF\n<configuration>\n  <property><name>a</name><value>{{ v }}</value></property>\n</configuration>\nEOF",
            "dn-7</value></property><property>",
            Some('<'),
            "dn-7.example.com",
        ),
        (
            "echo \"<host name=\\\"{{ v }}\\\"/>\" > /etc/app/hosts.xml",
            "h\" admin=\"true",
            Some('"'),
            "h-1",
        ),
    ] {
        let found = refusal(script, bad);
        let right = match held {
            Some(c) => matches!(found, Some(Refusal::Shape(x) | Refusal::EndsCode(x)) if x == c),
            None => found == Some(Refusal::ParentFolder),
        };
        if !right {
            wrong.push(format!("{script}: {bad:?}: {found:?}"));
        }
        if refusal(script, good).is_some() {
            wrong.push(format!("{script}: {good:?} refused"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A41-20: a psql variable expanded unquoted (`:uid`) copies the value into the SQL; `:'uid'`
/// and `:"uid"` quote it, and `x::int` is a cast.
#[test]
fn a_psql_variable_expanded_unquoted_holds_only_a_number_or_a_name() {
    for script in [
        "psql -h db -v uid=\"{{ v }}\" <<'SQL'\nDELETE FROM sessions WHERE user_id = :uid;\nSQL",
        "psql --set=uid=\"{{ v }}\" -c 'DELETE FROM s WHERE u = :uid'",
        "psql -v \"tbl={{ v }}\" <<< 'TRUNCATE :tbl'",
    ] {
        assert!(
            matches!(refusal(script, "1 OR true"), Some(Refusal::EndsCode(' '))),
            "{script}"
        );
        assert!(refusal(script, "sessions, users").is_some(), "{script}");
        assert_eq!(refusal(script, "42"), None, "{script}");
        assert_eq!(refusal(script, "app.sessions"), None, "{script}");
    }
    for script in [
        "psql -v uid=\"{{ v }}\" <<'SQL'\nDELETE FROM s WHERE u = :'uid' AND n::uid IS NULL;\nSQL",
        "psql -v uid=\"{{ v }}\" <<'SQL'\nGRANT SELECT ON t TO :\"uid\";\nSQL",
        "psql -v uid=\"{{ v }}\" <<'SQL'\nSELECT :uidx;\nSQL",
    ] {
        assert_eq!(refusal(script, "1 OR true; x"), None, "{script}");
    }
}

/// A41-19: chmod's mode may start with `+` or `-`; the file after it may not.
#[test]
fn a_symbolic_mode_is_a_plain_chmod_value() {
    assert_eq!(refusal("chmod \"{{ v }}\" /srv/logs", "+rx"), None);
    assert_eq!(refusal("chmod -R \"{{ v }}\" /srv/logs", "+x"), None);
    assert!(refusal("chmod +x \"{{ v }}\"", "-R").is_some());
    assert!(refusal("vim \"{{ v }}\"", "+!touch x").is_some());
}
