//! A [`Draft`](super::Draft) written as a runbook: keys in the format's order, short texts
//! as double-quoted scalars (JSON's escapes are YAML's), several lines as literal blocks.

use super::Draft;
use std::fmt::Write;

/// A scalar: double-quoted (every character escaped as JSON does, which YAML reads alike).
fn quoted(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into());
    // JSON leaves DEL and the C1 controls as they are; YAML wants them escaped.
    if json.chars().any(needs_escape) {
        json.chars()
            .map(|c| {
                if needs_escape(c) {
                    format!("\\u{:04x}", c as u32)
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        json
    }
}

/// Characters YAML does not take as they are in a document (beyond JSON's escapes).
fn needs_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{feff}')
}

/// Text for a `#` comment: one line, control and line-breaking characters shown, never
/// written (a page's file name must not end the comment and start a key).
fn comment(text: &str) -> String {
    crate::values::visible::visible(text)
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') || needs_escape(c)
            {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// `key: value` at `indent`, the value a literal block when it has several lines and can be
/// one (its first line not indented: no indentation indicator needed), else quoted.
fn field(out: &mut String, indent: usize, key: &str, value: &str) {
    let pad = " ".repeat(indent);
    let value = value.trim_end_matches('\n');
    let block = value.contains('\n')
        && !value.starts_with([' ', '\t'])
        && !value.lines().any(|l| l.ends_with([' ', '\t']))
        && !value.contains('\r')
        && !value
            .chars()
            .any(|c| needs_escape(c) || (c.is_control() && c != '\n' && c != '\t'));
    if block {
        let _ = writeln!(out, "{pad}{key}: |-");
        for l in value.lines() {
            if !l.is_empty() {
                out.push_str(&pad);
                out.push_str("  ");
                out.push_str(l);
            }
            out.push('\n');
        }
    } else {
        let _ = writeln!(out, "{pad}{key}: {}", quoted(value));
    }
}

/// The runbook text. `source`: the page's path, recorded in the header.
pub fn write(d: &Draft, source: &str) -> String {
    let source = comment(source);
    // About the page's size: the runbook holds its text, indented.
    let mut out = String::with_capacity(
        d.steps
            .iter()
            .map(|s| s.instructions.len() + s.run.as_ref().map_or(0, String::len) + 256)
            .sum::<usize>()
            + d.description.len()
            + 1024,
    );
    let _ = writeln!(
        out,
        "# Imported from {source} by `runbook import`: a first draft. Read every step, and the\n# notes the importer left, before the runbook is used for real."
    );
    field(&mut out, 0, "title", &d.title);
    field(&mut out, 0, "description", &d.description);
    out.push_str("owner: TODO(import)\n");
    if !d.links.is_empty() {
        out.push_str("links:\n");
        for (name, url) in &d.links {
            let _ = writeln!(out, "  {}: {}", quoted(name), quoted(url));
        }
    }
    // Inputs named like credentials, and the variable of the environment each gives.
    let secrets: std::collections::BTreeMap<&str, &str> = d
        .inputs
        .keys()
        .filter_map(|i| Some((i.as_str(), credential_env(d, i)?)))
        .collect();
    if !d.inputs.is_empty() {
        out.push_str("inputs:\n");
        for (name, input) in &d.inputs {
            // `true`, `no`, `null`…: keys other YAML tools would read as booleans or null.
            let special = matches!(
                name.to_ascii_lowercase().as_str(),
                "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
            );
            if special {
                let _ = writeln!(out, "  {}:", quoted(name));
            } else {
                let _ = writeln!(out, "  {name}:");
            }
            field(&mut out, 4, "description", &input.description);
            if let Some(default) = &input.default {
                field(&mut out, 4, "default", default);
            }
            // `$GITLAB_TOKEN` the page uses and never sets: a secret, given to every step in
            // its environment (masked, kept out of the journal), not a template.
            if let Some(var) = secrets
                .get(name.as_str())
                .copied()
                .or(input.secret_env.as_deref())
            {
                out.push_str("    secret: true\n");
                let _ = writeln!(out, "    env: {var}");
            }
        }
    }
    let env: Vec<_> = d
        .env
        .iter()
        .filter(|(name, _)| !secrets.values().any(|v| v == name))
        .collect();
    if !env.is_empty() {
        out.push_str("env:\n");
        for (name, value) in env {
            let _ = writeln!(out, "  {name}: {}", quoted(value));
        }
    }
    out.push_str("steps:\n");
    let sections = d.section_paths();
    for s in &d.steps {
        let _ = writeln!(out, "  - id: {}", s.id);
        // What the importer guessed or left out here, where the reader will see it
        // (`notes:` is the format's key for asking the operator for an observation).
        for note in &s.notes {
            let note = comment(note);
            let _ = writeln!(out, "    # TODO(import) {source}:{note}");
        }
        field(&mut out, 4, "title", &s.title);
        if let Some(section) = s.section.and_then(|i| sections.get(i).cloned().flatten()) {
            field(&mut out, 4, "section", &section);
        }
        if !s.instructions.is_empty() {
            field(&mut out, 4, "instructions", &s.instructions);
        }
        if !s.checklist.is_empty() {
            out.push_str("    checklist:\n");
            for item in &s.checklist {
                let _ = writeln!(out, "      - {}", quoted(item));
            }
        }
        if s.no_templates {
            out.push_str("    templates: false\n");
        }
        // Asked before the command, which reads them as `vars.NAME`.
        match s.asks.as_slice() {
            [] => {}
            [(var, prompt)] => {
                out.push_str("    ask:\n");
                let _ = writeln!(out, "      var: {var}");
                field(&mut out, 6, "prompt", prompt);
            }
            asks => {
                out.push_str("    ask:\n      fields:\n");
                for (var, prompt) in asks {
                    let _ = writeln!(out, "        - var: {var}");
                    field(&mut out, 10, "prompt", prompt);
                }
            }
        }
        if !s.env.is_empty() && s.run.is_some() {
            out.push_str("    env:\n");
            // (Each name once: two blocks of one step may use one placeholder, audit 14l L13.)
            let mut written = std::collections::HashSet::new();
            for (name, value) in s.env.iter().filter(|(n, _)| written.insert(n.as_str())) {
                let _ = writeln!(out, "      {name}: {}", quoted(value));
            }
        }
        if let Some(run) = &s.run {
            field(&mut out, 4, "run", run);
            if s.interactive {
                out.push_str("    interactive: true\n");
            }
        }
        if !s.choose.is_empty() {
            out.push_str("    choose:\n");
            let prompt = s
                .choose_prompt
                .as_deref()
                .unwrap_or("Which of these applies?");
            field(&mut out, 6, "prompt", prompt);
            if let Some(n) = s.choose_default {
                let _ = writeln!(out, "      default: {n}");
            }
            if let Some(var) = &s.choose_var {
                let _ = writeln!(out, "      var: {var}");
            }
            out.push_str("      options:\n");
            for (n, (label, next)) in s.choose.iter().enumerate() {
                let _ = writeln!(out, "        - label: {}", quoted(label));
                let _ = writeln!(out, "          next: {next}");
                if s.choose_var.is_some() {
                    let _ = writeln!(out, "          value: \"{}\"", n + 1);
                }
            }
        }
        if let Some(next) = &s.next {
            let _ = writeln!(out, "    next: {next}");
        }
        if let Some(what) = &s.dangerous {
            // Confirmed by typing the step's id; no rollback can be read from a page.
            let _ = writeln!(
                out,
                "    dangerous: true\n    # TODO(import) {source}:{}: dangerous ({}): no rollback could be derived: add `rollback:` (a command, or `{{manual: …}}`)",
                s.pos,
                comment(what)
            );
        }
        if s.run.is_none()
            && s.checklist.is_empty()
            && s.instructions.is_empty()
            && s.choose.is_empty()
            && s.asks.is_empty()
        {
            field(&mut out, 4, "instructions", "(nothing on the page)");
        }
    }
    out
}

/// The variable of the runbook's `env:` that input `input` stands for, when its name is a
/// credential's (`GITLAB_TOKEN`, `DB_PASSWORD`, `API_KEY`, `VAULT_SECRET`): given as a secret
/// input's `env:` instead.
fn credential_env<'a>(d: &'a super::Draft, input: &str) -> Option<&'a str> {
    let upper = input.to_ascii_uppercase();
    if !super::placeholders::credential_name(input) {
        return None;
    }
    let template = format!("{{{{ inputs.{input} }}}}");
    d.env
        .iter()
        .find(|(name, value)| **value == template && **name == upper)
        .map(|(name, _)| name.as_str())
}

/// How many values the runbook `write` made has, when more than the [`MAX_VALUES`] a runbook
/// may have (RB001 would refuse it, and it could not run); `None` when it has no more.
/// The writer puts at most three values on a line (`  - id: x`: the step's mapping, the key and
/// its value; a literal block's lines hold none of their own), so a text of few lines is let
/// through uncounted, and only one near the limit is counted, as the loader counts.
///
/// [`MAX_VALUES`]: crate::load::yaml::MAX_VALUES
pub fn too_many_values(yaml: &str) -> Option<usize> {
    use crate::load::yaml::{MAX_VALUES, values};
    let lines = yaml.bytes().filter(|&b| b == b'\n').count();
    // The document's own mapping, and three a line at most.
    if 3 * lines < MAX_VALUES {
        return None;
    }
    values(yaml).filter(|&n| n > MAX_VALUES)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page of `sections` sections of one command each, imported and written.
    fn written(sections: usize) -> String {
        let mut page = String::from("# Many\n\n");
        for i in 0..sections {
            page.push_str(&format!(
                "## Step {i}\n\n- [ ] look at <HOST>\n- [ ] and again\n\n```bash\necho {i}\n```\n\n"
            ));
        }
        write(&super::super::import(&page, "many"), "many.md")
    }

    /// The bound of three values a line holds for what the writer writes (every kind of
    /// line: links, inputs, env, checklists, asks, decisions, dangerous steps).
    #[test]
    fn the_writer_puts_at_most_three_values_on_a_line() {
        let page = "# T\n\nSee [the dashboard](https://grafana.example/d/1).\n\n\
            ## Check\n\n- [ ] look at $CLUSTER\n- [ ] and <POD>\n\n```bash\nexport NS=prod\nkubectl -n $NS get pods\n```\n\n\
            ## Fix\n\n1. If the pod is stuck, delete it:\n\n   ```bash\n   kubectl delete pod <POD>\n   ```\n\n\
            2. Otherwise, restart it:\n\n   ```bash\n   kubectl rollout restart deploy/<APP>\n   ```\n\n\
            ## Verify\n\n```bash\ncurl -H \"Authorization: Bearer $API_TOKEN\" https://x\n```\n";
        let mut draft = super::super::import(page, "t");
        // (Set by `runbook import` from RB027's finding.)
        draft.steps.iter_mut().for_each(|s| {
            s.dangerous = s.run.as_ref().map(|_| "deletes".to_string());
        });
        let yaml = write(&draft, "t.md");
        let lines = yaml.lines().count();
        let values = crate::load::yaml::values(&yaml).unwrap();
        assert!(
            values <= 1 + 3 * lines,
            "{values} values, {lines} lines\n{yaml}"
        );
        assert!(
            yaml.contains("choose:") && yaml.contains("dangerous: true"),
            "{yaml}"
        );
        assert_eq!(too_many_values(&yaml), None);
    }

    /// RB001's limit, found the way the loader finds it: a draft just under it is let
    /// through (it lints), one over it is named with its count.
    #[test]
    fn a_draft_with_more_values_than_a_runbook_may_have_is_found() {
        use crate::load::yaml::{MAX_VALUES, values};
        let small = written(100);
        assert_eq!(too_many_values(&small), None);
        // Each section: the step's mapping, id, title, section, checklist of two, run.
        let per = values(&written(2)).unwrap() - values(&written(1)).unwrap();
        let under = (MAX_VALUES - 100) / per;
        let yaml = written(under);
        assert!(values(&yaml).unwrap() <= MAX_VALUES);
        assert!(
            1 + 3 * yaml.lines().count() > MAX_VALUES,
            "counted, not let through"
        );
        assert_eq!(too_many_values(&yaml), None);
        let source = crate::load::Source::new("t.yaml", yaml);
        assert!(crate::load::yaml::parse(&source).is_ok());
        let yaml = written(under + 20);
        let n = too_many_values(&yaml).unwrap();
        assert!(n > MAX_VALUES, "{n}");
        let source = crate::load::Source::new("t.yaml", yaml);
        let err = crate::load::yaml::parse(&source).unwrap_err();
        assert!(err.message.contains("values"), "{err:?}");
    }
}
