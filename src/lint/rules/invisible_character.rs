use crate::lint::{Context, Finding, Rule, RuleMeta, Severity};
use crate::load::Span;
use crate::values::visible::{invisible, no_break_space};

crate::declare_rule! {
    /// ## What it does
    /// Reports Unicode characters that cannot be seen or that change the order in which a
    /// line is displayed: bidirectional overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069), bidirectional marks, zero-width spaces and joiners, the word joiner
    /// and invisible operators, a byte order mark inside the file, soft hyphens, Hangul
    /// fillers and tag characters. An error inside a script (`run`, `rollback`, `wait.run`),
    /// written out or as a YAML escape (`"\u202E"`); a warning anywhere else (titles,
    /// instructions, comments). A no-break space (U+00A0, also the narrow U+202F and the
    /// figure space U+2007) written out inside a script is an error too: wiki and word
    /// processor exports put it between a command's words, where it looks like a space and
    /// the shell reads the two words as one (`kubectl get pods -n web` run as `kubectl get`
    /// a pod named `pods -n`); in text it is ordinary typography, and written as an escape
    /// (`"\u00a0"`) it was meant.
    ///
    /// ## Why this matters
    /// A reviewer approves what the screen shows. With a bidirectional override, a script can
    /// read `rm -rf ./tmp # cleanup` while the shell runs something else ("Trojan Source",
    /// CVE-2021-42574); a zero-width space makes `kubectl` a different word than the one
    /// typed, and `grep` for it finds nothing. At 3 am the engineer trusts what they read.
    ///
    /// ## Example
    /// ```yaml
    ///     run: "echo done \u202E; rm -rf /srv/data"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     run: echo done
    /// ```
    pub struct InvisibleCharacter {
        code: "RB035",
        name: "invisible-character",
        severity: Error,
    }
}

impl Rule for InvisibleCharacter {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let text = &cx.source.text;
        // Escapes (`"\u202E"`) are ASCII in the file: only the written-out check is skipped.
        if !text.is_ascii() {
            written_out(cx, text, out);
        }
        escaped(cx, out);
    }
}

/// Invisible characters written out in the file's text.
fn written_out(cx: &Context, text: &str, out: &mut Vec<Finding>) {
    // The scripts of the file, as spans, with their step.
    let scripts: Vec<(Span, String)> = cx
        .sites
        .iter()
        .filter(|s| s.site.script)
        .map(|s| {
            let id = s.site.step.map_or_else(String::new, |st| st.id());
            (s.site.value.span, id)
        })
        .collect();
    for (at, c) in text.char_indices() {
        if c.is_ascii() || invisible(c).is_none() && no_break_space(c).is_none() {
            continue;
        }
        let span = Span::new(at, at + c.len_utf8());
        let code = format!("U+{:04X}", u32::from(c));
        let script = scripts.iter().find(|(s, _)| s.start <= at && at < s.end);
        let Some(what) = invisible(c) else {
            // A no-break space is ordinary typography in prose; in a script, never meant.
            if let (Some(what), Some((_, id))) = (no_break_space(c), script) {
                out.push(Finding::new(
                    span,
                    format!(
                        "the script of step `{id}` holds {what} ({code}): it looks like a space, but the shell reads the words on either side as one"
                    ),
                    format!(
                        "replace it with a plain space; if the command must print it, write it as an escape the reader sees (`printf '\\u{:04x}'`)",
                        u32::from(c)
                    ),
                ));
            }
            continue;
        };
        match script {
                Some((_, id)) => out.push(Finding::new(
                    span,
                    format!(
                        "the script of step `{id}` holds {what} ({code}): invisible, it makes what the reviewer reads differ from what runs"
                    ),
                    format!(
                        "remove it; if the command must print it, write it as an escape the reader sees (`printf '\\u{:04x}'`)",
                        u32::from(c)
                    ),
                )),
                None => out.push(
                    Finding::new(
                        span,
                        format!(
                            "the runbook's text holds {what} ({code}): invisible, it can make a line read differently from what it is"
                        ),
                        "remove it",
                    )
                    .with_severity(Severity::Warning),
                ),
            }
    }
}

/// Written as a YAML escape (`"\u202E"`): in the value, not in the file's text. An error
/// where it reaches a shell (a script, an `env` value), a warning elsewhere.
fn escaped(cx: &Context, out: &mut Vec<Finding>) {
    for s in &cx.sites {
        let v = s.site.value;
        let hidden = v.value.chars().find(|c| invisible(*c).is_some());
        let Some(c) = hidden.filter(|c| !cx.source.slice(v.span).contains(*c)) else {
            continue;
        };
        let id = s
            .site
            .step
            .map_or_else(|| "(the runbook)".to_string(), |st| st.id());
        let what = invisible(c).unwrap_or("an invisible character");
        let shell = s.site.script || s.site.field == "env";
        let finding = Finding::new(
            v.span,
            format!(
                "`{}` of step `{id}` holds {what} (U+{:04X}), written as a YAML escape: invisible where it is {}",
                s.site.field,
                u32::from(c),
                if shell { "run" } else { "read" }
            ),
            "remove the escape",
        );
        out.push(if shell {
            finding
        } else {
            finding.with_severity(Severity::Warning)
        });
    }
}
