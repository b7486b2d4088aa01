use crate::lint::{Context, Finding, Rule, RuleMeta};
use crate::shell::unseen::{Unseen, decodes, help, refused_by, unseen};

crate::declare_rule! {
    /// ## What it does
    /// Reports a value of a step that will be refused when the step runs unless it is plain
    /// words, or a number, where an ordinary value (free text, a list on lines) would be
    /// typed: where the value itself stands (`eval "$cmd"` of a copy, shell arithmetic,
    /// `for h in $HOSTS; do ssh $h …`), and where the step's script sets a variable from
    /// something other than literal text (a copy, `$( )`, `read`, a loop, a function's
    /// arguments) and expands it where text
    /// becomes code or options: a string another shell parses again (`ssh HOST "kill
    /// $pid"`), the words of a command, shell arithmetic, or a program's options. Also a
    /// variable the step is given from a value (an input's `env:`, a step's or the
    /// runbook's `env:` written with a template, a line an earlier step writes to
    /// `$RUNBOOK_ENV` from a value or a command's output) that the run would refuse where the script
    /// uses it: expanded in a string another shell parses again (`ssh h "echo $NV"`),
    /// printed into a shell (`printenv NV | sh`), split into a command's words, read as an
    /// option, evaluated in arithmetic or spliced into sed's code.
    ///
    /// ## Why this matters
    /// runbook follows each `{{ }}` value through the script to every place it reaches and
    /// passes it there as data. Under that it keeps a floor for the ways it does not follow
    /// (a value copied through a helper's file, a name held in another variable): in a
    /// script like this, a value that holds anything but plain words on one line is refused
    /// before anything runs. A free-text input (a reason, a ticket title with `'` or `(`)
    /// would pass CI and be refused at 3 am; this rule says so in CI instead.
    ///
    /// A value standing in a document's structure (a header, a URL, JSON, a YAML manifest,
    /// a connection string, a path under a folder) is held there to what would not add to
    /// that structure (a new line, `"`, `&`, `..`): such a place holds an id, a host or a
    /// name rather than free text, so this rule does not say it; the run refuses such a
    /// value, saying where it stands.
    ///
    /// An `int` or `bool` input, `choices`, or a `pattern` that refuses such text is not
    /// reported, except in a script that decodes text (`base64 -d`, `printf %b`), where
    /// plain words are no proof; nor is a value spliced into another language's code, which
    /// RB032 reports.
    ///
    /// ## Example
    /// ```yaml
    ///     run: |
    ///       logger -t oncall "restart: {{ inputs.reason }}"
    ///       pid=$(ssh -n web-1 pgrep -o nginx)
    ///       ssh -n web-1 "sudo kill -HUP $pid"
    /// ```
    ///
    /// ## Use instead
    /// Put the commands that use the computed variable in a step of their own, or give the
    /// input a `pattern`:
    /// ```yaml
    ///   - id: note
    ///     run: logger -t oncall "restart: {{ inputs.reason }}"
    ///   - id: reload
    ///     run: |
    ///       pid=$(ssh -n web-1 pgrep -o nginx)
    ///       ssh -n web-1 "sudo kill -HUP $pid"
    /// ```
    pub struct UnfollowedVariable {
        code: "RB037",
        name: "unfollowed-variable",
        severity: Warning,
    }
}

impl Rule for UnfollowedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let values = cx.values();
        // Inputs given to every step in the environment (`env:`), which the run checks too.
        let carried: Vec<_> = cx
            .runbook
            .inputs
            .iter()
            .filter(|i| i.env.is_some())
            .collect();
        // (Read once: what the runbook's steps write to `$RUNBOOK_ENV`.)
        let written = runbook_env_lines(cx);
        for (i, s) in cx.sites.iter().enumerate() {
            if !s.site.script || s.site.kind == crate::template::sites::SiteKind::Raw {
                continue;
            }
            let text = &s.site.value.value;
            let own: Vec<_> = values.iter().filter(|v| v.site == i).collect();
            if own.iter().any(|v| v.plan.is_err()) {
                continue; // RB031 says why it cannot run at all.
            }
            let said_env = environment(cx, s, &own, &written, out);
            // An input given in the environment counts where the script reads it: by name,
            // or by a name held in another (`${!n}`, `printenv`). (A secret is a token, not
            // text an operator types.)
            let carried: Vec<_> = carried
                .iter()
                .filter(|i| {
                    !i.secret
                        && i.env.as_ref().is_some_and(|e| !said_env.contains(&e.value))
                        && i.env.as_ref().is_some_and(|e| {
                            text.contains(&format!("${}", e.value))
                                || text.contains(&format!("${{{}", e.value))
                                || ["${!", "printenv", "declare -p", "compgen", "export -p"]
                                    .iter()
                                    .any(|t| text.contains(t))
                                || text
                                    .lines()
                                    .any(|l| l.trim() == "env" || l.contains("env |"))
                        })
                })
                .copied()
                .collect();
            if own.is_empty() && carried.is_empty() {
                continue;
            }
            // (The run checks each value against its place first: `Plan::refusal`.)
            let site_ifs = crate::shell::flow::ifs_chars(text);
            // Whether the inputs a value reads may hold `value` (their type, choices, pattern).
            let admitted = |v: &crate::lint::context::ValuePlan, value: &str| {
                s.analysis
                    .references
                    .iter()
                    .filter(|r| v.block.contains(&r.offset))
                    .all(|r| admits(cx, r, value))
            };
            // What the step's own plan refuses of an ordinary value (a list where one plain
            // word is needed, text where a number is): said at its place.
            let mut said = Vec::new();
            // (Where the script decodes text or writes shell characters between words, and
            // the floor finds a place, every value is refused: said once below, not as what
            // the plan alone would need.)
            let early = decodes(text).then(|| {
                let probed = probe(text, &own);
                let found = unseen(&probed);
                (probed, found)
            });
            let refuses_all = early.as_ref().is_some_and(|(_, found)| !found.is_empty());
            for v in own.iter().filter(|_| !refuses_all) {
                let Ok(plan) = &v.plan else { continue };
                if plan.foreign.is_some() {
                    continue; // RB032 says it.
                }
                let Some(sample) = SAMPLES.iter().copied().find(|&sample| {
                    plan.refusal(sample, site_ifs.as_deref())
                        .is_some_and(|r| !structural(r))
                        && admitted(v, sample)
                }) else {
                    continue;
                };
                let (needs, why) = requirement(plan, sample);
                out.push(Finding::new(
                    cx.span_in(&s.site, v.block.start, v.block.len()),
                    format!(
                        "this value must be {needs} when the step runs, or it is refused (as {sample:?} would be): {why}"
                    ),
                    "give the input a `pattern` that admits only such values (or `type: int`, `choices`), so that the operator is told when typing it, or change the script so that the value is passed as an argument, quoted where it is expanded",
                ));
                said.push(v.block.start);
            }
            let own: Vec<_> = own
                .into_iter()
                .filter(|v| !said.contains(&v.block.start))
                .collect();
            // (Read once: with nothing said above, the values are those read for `early`.)
            let (probe, found) = match early.filter(|_| said.is_empty()) {
                Some(read) => read,
                None => {
                    let probed = probe(text, &own);
                    let found = unseen(&probed);
                    (probed, found)
                }
            };
            if found.is_empty() {
                continue;
            }
            let ifs = crate::shell::flow::ifs_chars(&probe);
            let ifs = ifs.as_deref();
            let decoded = decodes(&probe);
            // A value the step's own plan accepts and the floor refuses: what the run would
            // refuse that the author may not expect.
            // (Where the script decodes text, any value is refused: `a` stands for it.)
            let samples: &[&str] = if decoded { &["a"] } else { SAMPLES };
            let refused = |accepts: &dyn Fn(&str) -> bool| {
                samples.iter().find_map(|&sample| {
                    if !accepts(sample) {
                        return None;
                    }
                    refused_by(&found, sample, ifs, decoded).map(|u| (sample, u))
                })
            };
            // (Where every value is refused, RB031 says so, as an error.)
            for v in own.iter().filter(|_| !refuses_all) {
                let Ok(plan) = &v.plan else { continue };
                let Some((sample, u)) = refused(&|value| {
                    plan.refusal(value, site_ifs.as_deref())
                        .is_none_or(structural)
                        && admitted(v, value)
                }) else {
                    continue;
                };
                out.push(Finding::new(
                    cx.span_in(&s.site, v.block.start, v.block.len()),
                    message("this value", sample, u, decoded),
                    help(u),
                ));
            }
            if !carried.is_empty()
                && let Some((sample, u)) = refused(&|value| {
                    carried
                        .iter()
                        .any(|i| crate::values::validate(i, value).is_ok())
                })
            {
                let at = expanded_at(text, &u.name).unwrap_or(0..0);
                // (The input whose variable it is, when one is: not every input given in
                // the environment; audit 19's LINT-2.)
                let own: Vec<_> = carried
                    .iter()
                    .filter(|i| i.env.as_ref().is_some_and(|e| e.value == u.name))
                    .collect();
                let carried: Vec<_> = if own.is_empty() {
                    carried.iter().collect()
                } else {
                    own
                };
                let names = carried
                    .iter()
                    .map(|i| format!("`{}`", i.name.value))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Finding::new(
                    cx.span_in(&s.site, at.start, at.len()),
                    message(
                        &format!("the value of input {names}, given in the environment,"),
                        sample,
                        u,
                        decoded,
                    ),
                    help(u),
                ));
            }
        }
    }
}

/// The variables the step is given from values (its `env:` and the runbook's written with a
/// template, an input's `env:`) whose value the run would refuse for what the script does
/// with them ([`crate::shell::environment::EnvCheck::refusal`], the check a run makes; the floor's
/// refusals are said below in their own words): said ahead
/// where the script expands them, with a value an operator may well give. `script`: the
/// script as the run's floor reads it. Returns the names said.
fn environment(
    cx: &Context,
    s: &crate::lint::context::AnalyzedSite,
    own: &[&crate::lint::context::ValuePlan],
    written: &[(String, String, String)],
    out: &mut Vec<Finding>,
) -> Vec<String> {
    let text = s.site.value.value.as_str();
    // (name, where it comes from, the template or `None` for an input's value, and the
    // site of the template, whose references say what values it admits)
    let mut given: Vec<(
        String,
        String,
        Option<&str>,
        Option<&crate::lint::context::AnalyzedSite>,
    )> = Vec::new();
    let site_of =
        |v: &crate::load::Sp<String>| cx.sites.iter().find(|x| std::ptr::eq(x.site.value, v));
    let step_env = s.site.step.map(|st| st.env.as_slice()).unwrap_or_default();
    for (name, value) in cx.runbook.env.iter().chain(step_env) {
        if value.value.contains("{{") {
            let from = if step_env.iter().any(|(n, _)| std::ptr::eq(n, name)) {
                format!("the step's `env:` (`{}`)", value.value)
            } else {
                format!("the runbook's `env:` (`{}`)", value.value)
            };
            given.retain(|(n, ..)| *n != name.value);
            given.push((name.value.clone(), from, Some(&value.value), site_of(value)));
        } else {
            given.retain(|(n, ..)| *n != name.value);
        }
    }
    for input in cx.runbook.inputs.iter().filter(|i| !i.secret) {
        if let Some(var) = &input.env
            && !given.iter().any(|(n, ..)| *n == var.value)
        {
            given.push((
                var.value.clone(),
                format!("input `{}`", input.name.value),
                None,
                None,
            ));
        }
    }
    // What earlier steps write to `$RUNBOOK_ENV` (`echo "NODE={{ vars.node }}" >>
    // "$RUNBOOK_ENV"`): every later step is given it (audit 19's LINT-1). A value the shell
    // makes there (`$(kubectl …)`) may be anything: tried as the samples themselves.
    for (name, from, template) in written {
        if !given.iter().any(|(n, ..)| n == name)
            && !s.site.value.value.contains(&format!("{name}="))
        {
            given.push((name.clone(), from.clone(), Some(template.as_str()), None));
        }
    }
    let mut said = Vec::new();
    let by_name = text.contains("env") || text.contains("${!");
    // (The script as the run's floor reads it, made and read once, for the first variable
    // the cheap test does not clear.)
    let script = std::cell::OnceCell::new();
    let check = std::cell::OnceCell::new();
    for (name, from, template, site) in given {
        if (!text.contains(name.as_str()) && !by_name)
            || !crate::shell::environment::may_refuse(text, &name)
        {
            continue;
        }
        let script: &String = script.get_or_init(|| probe(text, own));
        let check = check.get_or_init(|| crate::shell::environment::EnvCheck::new(script));
        let admitted = |sample: &str| match (template, site) {
            (None, _) => cx
                .runbook
                .inputs
                .iter()
                .find(|i| i.env.as_ref().is_some_and(|e| e.value == name))
                .is_none_or(|i| crate::values::validate(i, sample).is_ok()),
            (Some(_), Some(site)) => site
                .analysis
                .references
                .iter()
                .all(|r| admits(cx, r, sample)),
            (Some(_), None) => true,
        };
        let rendered = |sample: &str| match template {
            None => Some(sample.to_string()),
            Some(t) => {
                let blocks = crate::template::blocks(t).ok()?;
                let mut text = String::new();
                let mut at = 0;
                for b in blocks {
                    text.push_str(&t[at..b.outer.start]);
                    text.push_str(sample);
                    at = b.outer.end;
                }
                text.push_str(&t[at..]);
                Some(text)
            }
        };
        // (Refused first, admitted then: a pattern is compiled only for what is refused.)
        let Some((sample, refused)) = SAMPLES.iter().find_map(|&sample| {
            let value = rendered(sample)?;
            check
                .refusal(&name, &value)
                .filter(|_| admitted(sample))
                .map(|r| (sample, r))
        }) else {
            continue;
        };
        // (Where it is expanded, else where the script names it: `printenv V`.)
        let at = expanded_at(text, &name)
            .or_else(|| {
                text.match_indices(name.as_str())
                    .map(|(k, m)| k..k + m.len())
                    .find(|r| {
                        !text[..r.start].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                            && !text[r.end..]
                                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                    })
            })
            .unwrap_or(0..0);
        out.push(Finding::new(
            cx.span_in(&s.site, at.start, at.len()),
            format!(
                "`${name}` is given a value by {from}, and the run refuses such a value as {sample:?} here: {}",
                refused.message
            ),
            refused.help,
        ));
        said.push(name);
    }
    said
}

/// The variables the runbook's scripts write to `$RUNBOOK_ENV` from a value: (name, where,
/// the value as a template; `{{ value }}` where the shell makes it).
fn runbook_env_lines(cx: &Context) -> Vec<(String, String, String)> {
    static LINE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?m)(?:echo|printf)\s+(?:'%s\\n'\s+)?["']?([A-Za-z_][A-Za-z0-9_]*)=([^"'\n]*)["']?\s*>>\s*"?\$\{?RUNBOOK_ENV\b"#,
        )
        .ok()
    });
    let Some(re) = LINE.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for site in cx.sites.iter().filter(|x| x.site.script) {
        let text = &site.site.value.value;
        if !text.contains("RUNBOOK_ENV") {
            continue;
        }
        for c in re.captures_iter(text) {
            let value = &c[2];
            let template = if value.contains('$') || value.contains('`') {
                "{{ value }}".to_string()
            } else if value.contains("{{") {
                value.to_string()
            } else {
                continue; // literal text: the runbook's own
            };
            let step = site
                .site
                .step
                .and_then(|st| st.id.as_ref())
                .map_or("", |i| i.value.as_str());
            out.push((
                c[1].to_string(),
                format!(
                    "step `{step}`, which writes `{}={value}` to `$RUNBOOK_ENV`",
                    &c[1]
                ),
                template,
            ));
        }
    }
    out
}

/// Values an operator may well give: free text, a list on lines, an argument with an option.
/// A refusal of a value standing in a document's structure (a header, a URL, JSON, a YAML
/// manifest, a connection string, a path under a folder): such a place holds an id, a host,
/// a name or a version, which the free-text samples are not, so it is not said from them.
/// The run still refuses such a value, saying where it stands.
fn structural(r: crate::shell::Refusal) -> bool {
    matches!(
        r,
        crate::shell::Refusal::Shape(_)
            | crate::shell::Refusal::ParentFolder
            | crate::shell::Refusal::Widens(_)
    )
}

const SAMPLES: &[&str] = &["it's down; see #42", "web-1\nweb-2", "web-1 -v", "a[1]"];

/// What the place of a value needs, and why: for [`crate::shell::Plan::refusal`]'s refusals.
fn requirement(plan: &crate::shell::Plan, sample: &str) -> (String, String) {
    use crate::shell::{Quoting, Slot};
    if let Some((chars, what)) = plan
        .code_end
        .as_ref()
        .filter(|(chars, _)| sample.contains(|c| chars.contains(c)))
    {
        let chars: Vec<String> = chars
            .chars()
            .map(|c| match c {
                '\n' => "a new line".to_string(),
                c if c.is_control() => format!("`{}`", c.escape_debug()),
                c => format!("`{c}`"),
            })
            .collect();
        return (
            format!("free of {}", chars.join(" ")),
            // (`it stands in curl's form field, where …`: says itself what they do.)
            match what.strip_prefix("it ") {
                Some(_) => what.clone(),
                None => format!("they would end {what}"),
            },
        );
    }
    let (needs, why) = match plan.slot {
        Slot::Quoted(Quoting::Arithmetic) => (
            "a whole number",
            "it stands in shell arithmetic, which runs a subscript's `$( )`",
        ),
        Slot::Name => (
            "a variable name",
            "it names a variable, where other text is evaluated",
        ),
        Slot::PlainWord(_) => (
            "one plain word (letters, digits and `_ . / : @ , + = %`)",
            "the script may parse it again through a variable, split it into a command's words or expand it as a key, where other text would be code",
        ),
        Slot::PlainLines(_) => (
            "one plain word on each line",
            "the script reads it line by line into a variable that a string another shell parses expands",
        ),
        Slot::PlainWords(_) => (
            "plain words separated by spaces",
            "the script splits it into words that stand where a program reads options or its command",
        ),
        Slot::NoSubscript(_) => (
            "free of `[ ] $`, backquotes and parentheses",
            "it is assigned to a variable that shell arithmetic evaluates",
        ),
        Slot::SudoShell(_) => (
            "free of `$` and new lines",
            "the login shell of `sudo -i` expands or joins them",
        ),
        Slot::Quoted(_) | Slot::NoOption(_) => (
            "printable ASCII on one line",
            "it reaches a string another shell parses again through `printf %q` or `${…@Q}`, which `sh` does not read back",
        ),
    };
    (needs.to_string(), why.to_string())
}

/// Where a step refuses every value of `own` (its script decodes text or writes shell
/// characters between words, and the floor finds a place): the place. RB031 says it, as an
/// error: no value an operator gives can run the step (audit 25 LINT-2).
pub(crate) fn refuses_every_value(
    text: &str,
    own: &[&crate::lint::context::ValuePlan],
) -> Option<Unseen> {
    if own.is_empty() || !decodes(text) {
        return None;
    }
    let probed = probe(text, own);
    if !decodes(&probed) {
        return None;
    }
    unseen(&probed).into_iter().next()
}

/// What RB031 says of a step that refuses every value ([`refuses_every_value`]).
pub(crate) fn every_value_refused(u: &Unseen) -> (String, String) {
    (message("this value", "a", u, true), help(u))
}

fn message(what: &str, sample: &str, u: &Unseen, decoded: bool) -> String {
    use crate::shell::unseen::Place;
    let unless = if decoded {
        "whatever it holds, as the script decodes text or writes shell characters between words (`base64 -d`, `printf %b`, `tr , ';'`, `sed 's/,/;/'`), which makes code of plain words"
    } else {
        match u.place {
            Place::Code => "if it is not plain words on one line",
            Place::Words => "if a line of it is not one plain word",
            Place::Arithmetic => "if it holds `[`",
            Place::Options => "if a word or piece of it starts with `-`",
            Place::Spliced => {
                "if it holds other than letters, digits, spaces and `_ . : @ + = % -`"
            }
            Place::Rewritten => "if it holds `-`, `+`, `!` or `(`, or is not plain words",
        }
    };
    format!(
        "{what} is refused when the step runs {unless} (such as {sample:?}): {} {}, and the script sets it from something other than literal text, a way runbook does not follow",
        u.variable(),
        u.place.reaches()
    )
}

/// The script as the run's floor reads it ([`crate::exec::render`] builds the same): each
/// value's place a variable the script does not set, or literal text where it is quoted
/// for a shell that parses it again.
fn probe(text: &str, own: &[&crate::lint::context::ValuePlan]) -> String {
    let Ok(blocks) = crate::template::blocks(text) else {
        return text.to_string();
    };
    let mut probe = String::with_capacity(text.len());
    let mut at = 0;
    for block in blocks {
        probe.push_str(&text[at..block.outer.start]);
        match own.iter().find(|v| v.block == block.outer) {
            Some(v) if v.plan.as_ref().is_ok_and(|p| !p.layers.is_empty()) => {
                probe.push_str(crate::shell::unseen::PROBE_QUOTED)
            }
            Some(_) => probe.push_str(crate::shell::unseen::PROBE_VALUE),
            // `| raw`: the author's text, pasted as it is.
            None => probe.push_str("RUNBOOK_RAW"),
        }
        at = block.outer.end;
    }
    probe.push_str(&text[at..]);
    probe
}

/// Where `$name` or `${name` is first expanded in `text`.
fn expanded_at(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    if !name.bytes().all(crate::shell::flow::is_name_byte) {
        return None;
    }
    let b = text.as_bytes();
    for pattern in [format!("${{{name}"), format!("${name}")] {
        let mut from = 0;
        while let Some(i) = text[from..].find(&pattern).map(|k| from + k) {
            let end = i + pattern.len();
            from = end;
            if pattern.starts_with("${")
                || !b
                    .get(end)
                    .is_some_and(|&c| crate::shell::flow::is_name_byte(c))
            {
                return Some(i..end);
            }
        }
    }
    None
}

/// Whether the value `r` reads may be `value`: what its input's type, `choices` and
/// `pattern`, or its `ask`'s, admit.
fn admits(cx: &Context, r: &crate::template::Reference, value: &str) -> bool {
    let Some(name) = r.name() else {
        return true;
    };
    match r.namespace() {
        "inputs" => cx
            .runbook
            .input(name)
            .is_none_or(|i| crate::values::validate(i, value).is_ok()),
        "vars" => cx
            .runbook
            .steps
            .iter()
            .filter_map(|s| s.ask.as_ref())
            .filter(|a| a.value.var.as_ref().is_some_and(|v| v.value == name))
            .all(|a| {
                let choices: Vec<String> =
                    a.value.choices.iter().map(|c| c.value.clone()).collect();
                crate::values::valid_answer(
                    value,
                    false,
                    a.value.pattern.as_ref().map(|p| p.value.as_str()),
                    &choices,
                )
                .is_none()
            }),
        _ => true,
    }
}
