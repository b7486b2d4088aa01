use crate::lint::{Context, Finding, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Reports a `{{ }}` value spliced into code of another language given on the command
    /// line: the SQL of `psql -c` and `mysql -e`, the script of `python -c`, `perl -e`,
    /// `ruby -e`, `node -e`, `redis-cli EVAL`, an `awk` program or a `jq` filter.
    ///
    /// ## Why this matters
    /// runbook keeps the value data for the shell, but the program then parses its argument
    /// as code: a captured `x'; drop table orders; --` in `psql -c "… where name = '{{ v }}'"`
    /// is SQL. Each of these languages has its own way to take a value as data. Where the
    /// code hands strings to a shell (`system(…)`, `os.system`, `shell=True`, backquotes,
    /// awk's `print … | "sh"`), a value spliced into it or given to it as an argument must
    /// also be one plain word when the step runs, or it is refused before anything runs.
    ///
    /// ## Example
    /// ```yaml
    ///     run: psql "$DB" -c "select * from pg_stat_activity where usename = '{{ vars.role }}'"
    /// ```
    ///
    /// ## Use instead
    /// Give the value to psql as a variable, and the SQL on standard input (psql does not
    /// read variables in `-c`); `:'role'` is the value as a quoted literal:
    /// ```yaml
    ///     run: |
    ///       psql "$DB" -v role="{{ vars.role }}" <<'SQL'
    ///       select * from pg_stat_activity where usename = :'role'
    ///       SQL
    /// ```
    /// A value restricted to harmless text (an `int` input, `choices`, or a `pattern` that
    /// refuses quotes, spaces and punctuation) is not reported.
    pub struct ValueInCode {
        code: "RB032",
        name: "value-in-code",
        severity: Warning,
    }
}

impl Rule for ValueInCode {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for v in cx.values() {
            let Ok(plan) = &v.plan else { continue };
            let Some(foreign) = plan.foreign else {
                continue;
            };
            let s = &cx.sites[v.site];
            let inside: Vec<_> = s
                .analysis
                .references
                .iter()
                .filter(|r| v.block.contains(&r.offset))
                .collect();
            if !inside.is_empty() && inside.iter().all(|r| constrained(cx, r)) {
                continue;
            }
            out.push(Finding::new(
                cx.span_in(&s.site, v.block.start, v.block.len()),
                format!(
                    "this value is spliced into {} code, where it is code, not data",
                    foreign.language
                ),
                foreign.help,
            ));
        }
    }
}

/// Whether every value the reference can hold is inert in code: an `int` or `bool` input,
/// one of its `choices`, or a `pattern` that refuses quotes, spaces and punctuation.
fn constrained(cx: &Context, r: &crate::template::Reference) -> bool {
    let Some(name) = r.name() else {
        return false;
    };
    let (ty, choices, pattern) = match r.namespace() {
        "inputs" => match cx.runbook.input(name) {
            Some(i) => (
                i.ty.value,
                i.choices
                    .iter()
                    .map(|c| c.value.as_str())
                    .collect::<Vec<_>>(),
                i.pattern.as_ref().map(|p| p.value.as_str()),
            ),
            None => return false,
        },
        "vars" => {
            let Some(ask) = cx
                .runbook
                .steps
                .iter()
                .filter_map(|s| s.ask.as_ref())
                .find(|a| a.value.var.as_ref().is_some_and(|v| v.value == name))
            else {
                return false;
            };
            (
                crate::load::InputType::String,
                ask.value.choices.iter().map(|c| c.value.as_str()).collect(),
                ask.value.pattern.as_ref().map(|p| p.value.as_str()),
            )
        }
        _ => return false,
    };
    if ty != crate::load::InputType::String {
        return true;
    }
    if !choices.is_empty() {
        return choices.iter().all(|c| inert(c));
    }
    let Some(Ok(re)) = pattern.map(crate::values::pattern::compile) else {
        return false;
    };
    const PROBES: &[&str] = &[
        "'", "a'b", "1'", "\"", "a\"b", ";", "a;b", " ", "a b", "\\", "a\\b", "$", "a$b", "(",
        "a)", "`", "a`b", "\n", "a\nb", "-", "--", "/*", "#", "a#b", "{", "}", "[", "]", "|", "&",
    ];
    !PROBES.iter().any(|p| re.is_match(p))
}

fn inert(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"_.-:/@".contains(&b))
}
