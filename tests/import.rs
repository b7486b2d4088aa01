//! `runbook import` through the real binary: every fixture page of testdata/import/ becomes a
//! runbook that lints without errors, walks to its end in a dry-run, and keeps every command
//! of the page; bad input is refused with a clear error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;
use common::{Test, root};

#[path = "import_cases/audit_14p.rs"]
mod audit_14p;
#[path = "import_cases/audit_18.rs"]
mod audit_18;
#[path = "import_cases/audit_39.rs"]
mod audit_39;
#[path = "import_cases/audit_41.rs"]
mod audit_41;
#[path = "import_cases/courses_and_shells.rs"]
mod courses_and_shells;
#[path = "import_cases/output_41.rs"]
mod output_41;
#[path = "import_cases/structure_39.rs"]
mod structure_39;

/// Every fixture page of testdata/import/, its subfolders' too (`audit39/`).
fn fixtures() -> Vec<std::path::PathBuf> {
    let mut pages = Vec::new();
    let mut folders = vec![root().join("testdata/import")];
    while let Some(folder) = folders.pop() {
        for path in std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    pages.sort();
    assert!(pages.len() >= 3);
    pages
}

/// The shell commands of a page as the importer must keep them: the fences in shell
/// languages (not those typed at another program's prompt, `db=#`, `mysql>`), prompts
/// (`$ `, `user@host:~$ `, `# ` in a console block) taken off, output lines left out,
/// `<PLACEHOLDER>` made a template.
fn commands_of(page: &str) -> Vec<String> {
    commands_in(page, true)
}

/// The commands of a page as it writes them, `<PLACEHOLDER>`s and all (what `show --format
/// md` of its import shows again).
fn commands_as_written(page: &str) -> Vec<String> {
    commands_in(page, false)
}

/// For each line of a page, the info string of the fence it opens or closes (`Some("")` for
/// a closing line), as CommonMark reads fences of backticks or tildes: closed by a line of
/// the same character at least as long. One never closed so, `~~~~bash` or ```` ````bash ````,
/// ends at its first lone ```` ``` ```` line, the wiki typo the importer reads as its end
/// (and says): the page's author meant it so.
fn fence_lines(page: &str) -> Vec<Option<&str>> {
    fn marker(line: &str) -> Option<(char, usize, &str)> {
        let t = line.trim_start();
        let c = t.chars().next().filter(|c| matches!(c, '`' | '~'))?;
        let n = t.len() - t.trim_start_matches(c).len();
        (n >= 3).then(|| (c, n, &t[n..]))
    }
    let lines: Vec<&str> = page.lines().collect();
    let mut out = vec![None; lines.len()];
    let mut k = 0;
    while k < lines.len() {
        let Some((c, n, info)) = marker(lines[k]) else {
            k += 1;
            continue;
        };
        out[k] = Some(info);
        let closes = |l: &str| {
            marker(l).is_some_and(|(c2, n2, rest)| c2 == c && n2 >= n && rest.trim().is_empty())
        };
        let lone = |l: &str| l.trim() == "```";
        let end = (k + 1..lines.len())
            .find(|&j| closes(lines[j]))
            .or_else(|| (k + 1..lines.len()).find(|&j| lone(lines[j])));
        match end {
            Some(j) => {
                out[j] = Some("");
                k = j + 1;
            }
            None => break,
        }
    }
    out
}

/// The commands of a page; with `template`, its `<PLACEHOLDER>`s as the inputs they become,
/// and a name alone in braces, `{{namespace}}` or `{{ namespace }}`, as the input it becomes
/// (the one change the importer makes to a command's braces; `{{ .Values.x }}` of another
/// template language stays as written).
fn commands_in(page: &str, template: bool) -> Vec<String> {
    let re = regex::Regex::new(r"<([A-Za-z][A-Za-z0-9_-]*)>").unwrap();
    let braced = regex::Regex::new(r"\{\{ ?([A-Za-z_][A-Za-z0-9_]*) ?\}\}").unwrap();
    let prompt =
        regex::Regex::new(r"^(\[?[\w.-]+@[\w.-]+(?:[: ][^\s$#\]]*)?\]?\s?)?([$#]) ").unwrap();
    let other = regex::Regex::new(r"^(>>>|[\w.()\[\]:-]+?(=#|=>|-#|->|>)) ").unwrap();
    let mut out = Vec::new();
    // Inside a fence: (its language, whether it is a shell's, the fence's indentation).
    let mut in_fence: Option<(String, bool)> = None;
    let mut first = false;
    let mut prompted = false;
    let mut continued = false;
    let fences = fence_lines(page);
    for (line, fence) in page.lines().zip(fences) {
        let t = line.trim_start();
        if let Some(info) = fence {
            in_fence = match in_fence {
                Some(_) => None,
                None => {
                    let lang = info.trim().to_string();
                    let shell = matches!(
                        lang.as_str(),
                        "" | "bash" | "sh" | "shell" | "console" | "zsh"
                    );
                    Some((lang, shell))
                }
            };
            first = true;
            prompted = false;
            continued = false;
            continue;
        }
        let Some((lang, shell)) = &mut in_fence else {
            continue;
        };
        if t.is_empty() {
            continue;
        }
        if std::mem::take(&mut first) && other.is_match(t) && !prompt.is_match(t) {
            *shell = false;
        }
        if !*shell {
            continue;
        }
        let command = if continued {
            Some(t)
        } else {
            match prompt.captures(t) {
                Some(c) if &c[2] == "$" || c.get(1).is_some() || lang == "console" => {
                    prompted = true;
                    Some(&t[c.get(0).unwrap().end()..])
                }
                _ if prompted => None,
                _ => Some(t),
            }
        };
        let Some(command) = command else { continue };
        continued = prompted && command.ends_with('\\');
        if !template {
            out.push(command.to_string());
            continue;
        }
        let named = braced.replace_all(command, |c: &regex::Captures| {
            format!("{{{{ inputs.{} }}}}", c[1].to_ascii_lowercase())
        });
        if braced.replace_all(command, "").contains("{{") {
            out.push(command.to_string());
            continue;
        }
        let templated = re.replace_all(&named, |c: &regex::Captures| {
            format!(
                "{{{{ inputs.{} }}}}",
                c[1].to_ascii_lowercase().replace('-', "_")
            )
        });
        out.push(templated.into_owned());
    }
    out
}

/// The text of a Markdown heading as `show --format md` or the page writes it, compared
/// without its markup (`#`s, backquotes, backslash escapes, links).
fn heading_text(line: &str) -> Option<String> {
    let t = line.trim_start_matches('#');
    if t.len() == line.len() || !t.starts_with(' ') {
        return None;
    }
    let link = regex::Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap();
    let t = link.replace_all(t.trim(), "$1");
    Some(
        t.chars()
            .filter(|c| !matches!(c, '`' | '\\' | '*' | '_'))
            .collect(),
    )
}

/// The headings of a Markdown text outside its fences.
fn headings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence = false;
    for (line, mark) in text.lines().zip(fence_lines(text)) {
        if mark.is_some() {
            fence = !fence;
        } else if !fence && let Some(h) = heading_text(line) {
            out.push(h);
        }
    }
    out
}

#[test]
fn every_fixture_page_imports_to_a_runbook_that_lints_and_walks_to_its_end() {
    let placeholder = regex::Regex::new(r"<([A-Za-z][A-Za-z0-9_-]*)>").unwrap();
    let braced = regex::Regex::new(r"\{\{ ?([A-Za-z_][A-Za-z0-9_]*) ?\}\}").unwrap();
    // `export NS=prod`: the export writes the input it became (`export NS={{ inputs.ns }}`).
    let export =
        regex::Regex::new(r#"^export ([A-Z_][A-Z0-9_]*)=(["']?)[^"'$`{]*(["']?)$"#).unwrap();
    for page in fixtures() {
        let name = page.file_stem().unwrap().to_string_lossy().into_owned();
        // (A page whose lines end in a carriage return alone is read as lines.)
        let text = std::fs::read_to_string(&page)
            .unwrap()
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        // (This test's reader of commands takes every untagged block for commands and only
        // `$ `/`# ` for prompts; the importer reads the untagged blocks of these pages as the
        // output of the command before each (audit 41 I41-19), the `# ` lines a root `cat`
        // prints as its output (I41-23) and zsh's prompts (I41-4): their commands are
        // asserted by tests/import_cases/output_41.rs; here they import, lint and dry-run.)
        let own_reading = [
            "outputs-after-commands",
            "root-file-transcript",
            "zsh-prompts",
        ]
        .contains(&name.as_str());
        let t = Test::new();
        let out = t.exec(&["import", page.to_str().unwrap()]);
        out.code(0);
        assert!(
            out.stderr
                .starts_with(&format!("imported {}", page.display())),
            "{}",
            out.stderr
        );
        let yaml = out.stdout.clone();
        // (A placeholder only one option uses is asked there, `vars.NAME`: compared as the
        // input it would otherwise be.)
        let asked = yaml.replace("{{ vars.", "{{ inputs.");
        let kept = |command: &str| {
            let yaml = &asked;
            yaml.contains(
                &serde_json::to_string(command).unwrap()[1..]
                    .trim_end_matches('"')
                    .to_string(),
            ) || yaml.contains(command)
        };
        // (A placeholder in a quoted here-document is kept as written: the page's own text.)
        let written = commands_as_written(&text);
        for (k, command) in commands_of(&text).into_iter().enumerate() {
            if own_reading {
                break;
            }
            let lifted = export
                .replace(&command, |c: &regex::Captures| {
                    format!(
                        "export {}={}{{{{ inputs.{} }}}}{}",
                        &c[1],
                        &c[2],
                        c[1].to_ascii_lowercase(),
                        &c[3]
                    )
                })
                .into_owned();
            assert!(
                kept(&command) || kept(&lifted) || written.get(k).is_some_and(|w| kept(w)),
                "{name}: `{command}` is not kept:\n{yaml}"
            );
        }
        let t = t.file(&format!("runbooks/{name}.yaml"), &yaml);
        let lint = t.exec(&[
            "lint",
            "--no-shellcheck",
            "--format",
            "json",
            &format!("runbooks/{name}.yaml"),
        ]);
        let diags: serde_json::Value = serde_json::from_str(&lint.stdout).unwrap();
        let errors: Vec<&serde_json::Value> = diags
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{name}: lint errors {errors:?}\n{yaml}");
        let mut args = vec![
            "run".to_string(),
            name.clone(),
            "--dry-run".into(),
            "--yes".into(),
        ];
        for line in yaml.lines().skip_while(|l| *l != "inputs:").skip(1) {
            if !line.starts_with("  ") {
                break;
            }
            if let Some(input) = line.strip_prefix("  ").and_then(|l| l.strip_suffix(':'))
                && !input.starts_with(' ')
            {
                args.push("--input".into());
                args.push(format!("{input}=x"));
            }
        }
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = t.exec(&argv);
        run.code(0);
        assert!(run.stderr.contains("── done"), "{name}: {}", run.stderr);
        // The round trip: `show --format md` reads like the page, its headings and
        // commands in the same order.
        let md = t.exec(&["show", &format!("runbooks/{name}.yaml"), "--format", "md"]);
        md.code(0);
        let shown = headings(&md.stdout);
        let mut at = 0;
        for h in headings(&text) {
            let found = shown[at..].iter().position(|s| *s == h);
            assert!(
                found.is_some(),
                "{name}: the heading `{h}` is not shown (in order) by show --format md: {shown:?}\n{}",
                md.stdout
            );
            at += found.unwrap_or(0) + 1;
        }
        // (A page that spells one placeholder two ways, `<pod-name>` and `<POD_NAME>`, or
        // `{{namespace}}` and `{{ namespace }}`, gets one input, shown with the first
        // spelling.)
        let same = |t: &str| {
            let t = placeholder.replace_all(t, |c: &regex::Captures| {
                format!("<{}>", c[1].to_ascii_lowercase().replace('-', "_"))
            });
            braced
                .replace_all(&t, |c: &regex::Captures| {
                    format!("{{{{{}}}}}", c[1].to_ascii_lowercase())
                })
                .into_owned()
        };
        let shown_md = same(&md.stdout);
        let mut from = 0;
        for command in commands_as_written(&text) {
            if own_reading {
                break;
            }
            let command = same(&command);
            let found = shown_md[from..].find(&command);
            assert!(
                found.is_some(),
                "{name}: `{command}` is not shown (in order) by show --format md:\n{}",
                md.stdout
            );
            from += found.unwrap_or(0) + command.len();
        }
    }
}

#[test]
fn the_page_is_said_what_was_left_as_text_with_its_line() {
    let page = root().join("testdata/import/pgbouncer-saturated.md");
    let out = Test::new().exec(&["import", page.to_str().unwrap()]);
    out.code(0);
    assert!(
        out.stderr.contains(
            "pgbouncer-saturated.md:42:1: left as text: a `sql` block, to type in a SQL session"
        ),
        "{}",
        out.stderr
    );
    // The same note stands above the step that holds the block, where the reader sees it.
    let step = out
        .stdout
        .split("  - id: ")
        .find(|s| s.contains("SELECT now()"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(
        step.contains("# TODO(import) ")
            && step.contains("pgbouncer-saturated.md:42:1: left as text"),
        "{step}"
    );
    // Steps keep the page's sections.
    assert!(
        out.stdout.contains("    section: \"Diagnosis\"\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("    section: \"Mitigation\"\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Expected output:"), "{}", out.stdout);
    assert!(out.stdout.contains("checklist:"), "{}", out.stdout);
}

#[test]
fn bad_pages_are_refused_clearly_and_pathological_ones_import() {
    let t = Test::new()
        .file("empty.md", "  \n")
        .file("out.yaml", "taken");
    std::fs::write(t.path("latin1.md"), b"# Caf\xe9\n").unwrap();
    let out = t.exec(&["import", "empty.md"]);
    out.code(2);
    assert!(out.stderr.contains("is empty"), "{}", out.stderr);
    let out = t.exec(&["import", "latin1.md"]);
    out.code(2);
    assert!(
        out.stderr.contains("latin1.md:1:6: the page is not UTF-8"),
        "{}",
        out.stderr
    );
    // A NUL byte: no command could hold it (found by an audit: imported, never runnable).
    std::fs::write(t.path("nul.md"), b"# A\n\n```sh\necho a\0b\n```\n").unwrap();
    let out = t.exec(&["import", "nul.md"]);
    out.code(2);
    assert!(
        out.stderr.contains("nul.md:4:7: the page holds a NUL byte"),
        "{}",
        out.stderr
    );
    let out = t.exec(&["import", "missing.md"]);
    out.code(2);
    assert!(
        out.stderr.contains("cannot read missing.md"),
        "{}",
        out.stderr
    );
    // Never overwrites.
    std::fs::write(t.path("page.md"), "# P\n\n```bash\ntrue\n```\n").unwrap();
    let out = t.exec(&["import", "page.md", "-o", "out.yaml"]);
    out.code(1);
    assert_eq!(
        std::fs::read_to_string(t.path("out.yaml")).unwrap(),
        "taken"
    );
    // Deep nesting, thousands of fences, an unclosed fence, HTML: a runbook, no panic.
    let mut weird = String::from("# Weird\n\n");
    weird.push_str(&"> ".repeat(5000));
    weird.push_str("deep\n\n<div><script>alert(1)</script></div>\n\n");
    for i in 0..3000 {
        weird.push_str(&format!("```bash\necho {i}\n```\n"));
    }
    weird.push_str("```bash\necho never closed\n");
    std::fs::write(t.path("weird.md"), &weird).unwrap();
    let out = t.exec(&["import", "weird.md"]);
    out.code(0);
    assert!(out.stdout.contains("echo 2999"), "{}", &out.stderr);
    assert!(out.stderr.contains("HTML"), "{}", out.stderr);
    // Thousands of nested list markers (80 KB): a runbook that lints, not one that grows with
    // the square of the depth (found by an audit: gigabytes, then refused as too large).
    // (And a line of 200,000 `>`, whose columns were counted from the line's start once per
    // block: quadratic, 13 s for 400 KB.)
    for marker in ["- ", "1. ", ">>>>>"] {
        let page = format!("# Deep\n\n{}x\n", marker.repeat(40_000));
        std::fs::write(t.path("deep.md"), page).unwrap();
        let _ = std::fs::remove_file(t.path("deep.yaml"));
        t.exec(&["import", "deep.md", "-o", "deep.yaml"]).code(0);
        assert!(std::fs::metadata(t.path("deep.yaml")).unwrap().len() < 4_000_000);
        t.exec(&["lint", "deep.yaml"]).code(0);
    }
    // From stdin.
    let out = Test::new()
        .stdin("# S\n\n```sh\nuptime\n```\n")
        .exec(&["import", "-"]);
    out.code(0);
    assert!(out.stdout.contains("run: \"uptime\""), "{}", out.stdout);
    // `-o -` is standard output, not a file named `-`.
    let t = Test::new().stdin("# S\n\n```sh\nuptime\n```\n");
    let out = t.exec(&["import", "-", "-o", "-"]);
    out.code(0);
    assert!(out.stdout.contains("run: \"uptime\""), "{}", out.stdout);
    assert!(!t.path("-").exists());
}

/// A command with another template language (`{{`, `{%`) is kept as written with
/// `templates: false`; its `<PLACEHOLDER>`s reach it through the step's `env:`, in the
/// placeholder's quoting, so that the runbook lints and runs (found by an audit: `{%` made
/// an RB019 error, and `<NS>` stayed a redirection).
#[test]
fn placeholders_in_a_command_of_another_template_language_come_through_env() {
    let page = "# K\n\n## Pods\n\n```sh\nkubectl get pods -n <NAMESPACE> -o go-template='{{range .items}}{{.metadata.name}}{{end}}'\necho \"{% raw %}\" '<NODE>'\n```\n";
    let t = Test::new().file("k.md", page);
    let out = t.exec(&["import", "k.md", "-o", "k.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("k.yaml")).unwrap();
    assert!(yaml.contains("templates: false"), "{yaml}");
    assert!(
        yaml.contains("NAMESPACE: \"{{ inputs.namespace }}\"")
            && yaml.contains("NODE: \"{{ inputs.node }}\""),
        "{yaml}"
    );
    assert!(
        yaml.contains("kubectl get pods -n \"${NAMESPACE}\" -o go-template='{{range .items}}{{.metadata.name}}{{end}}'")
            && yaml.contains("echo \"{% raw %}\" ''\"${NODE}\"''"),
        "{yaml}"
    );
    t.exec(&["lint", "k.yaml"]).code(0);
    // A placeholder named like a YAML boolean is a quoted key (other YAML tools read `true:`
    // and `no:` as booleans).
    let out = Test::new()
        .stdin("# P\n\n```sh\necho <true> <no>\n```\n")
        .exec(&["import", "-"]);
    out.code(0);
    assert!(
        out.stdout.contains("  \"no\":\n") && out.stdout.contains("  \"true\":\n"),
        "{}",
        out.stdout
    );
    let out = t.exec(&[
        "run",
        "k.yaml",
        "--yes",
        "--input",
        "namespace=a b",
        "--input",
        "node=$(touch x)",
        "--dry-run",
    ]);
    out.code(0);
}

/// Three or more sibling alternatives are one decision with an option each, every branch
/// joining after them (found by an audit: each sibling after the first started a decision of
/// its own, so the operator was asked again, and 300 of them made a runbook too large to lint).
#[test]
fn sibling_alternatives_are_one_decision_however_many() {
    let mut page = String::from("# Three\n\n## Mitigation\n\n");
    for what in [
        "the disk is full",
        "the memory is full",
        "nothing else works",
    ] {
        page.push_str(&format!("### If {what}\n\n```bash\necho '{what}'\n```\n\n"));
    }
    page.push_str("## Verify\n\n```bash\necho verify\n```\n");
    let t = Test::new().file("three.md", &page);
    t.exec(&["import", "three.md", "-o", "three.yaml"]).code(0);
    let yaml = std::fs::read_to_string(t.path("three.yaml")).unwrap();
    assert_eq!(yaml.matches("choose:").count(), 1, "{yaml}");
    // (Three conditions and "None of these applies: skip them".)
    assert_eq!(yaml.matches("- label:").count(), 4, "{yaml}");
    assert_eq!(yaml.matches("next: run-echo-verify").count(), 4, "{yaml}");
    t.exec(&["lint", "three.yaml"]).code(0);
    // The second option walks its branch, then Verify, once.
    std::fs::write(t.path("answers.yaml"), "which-applies: 2\n").unwrap();
    let out = t.exec(&[
        "run",
        "three.yaml",
        "--dry-run",
        "--yes",
        "--answers",
        "answers.yaml",
    ]);
    out.code(0);
    let screen = format!("{}{}", out.stdout, out.stderr);
    assert!(screen.contains("the memory is full"), "{screen}");
    assert!(
        !screen.contains("echo 'nothing else works'"),
        "{}",
        out.stdout
    );
    assert_eq!(
        screen.matches("which applies?").count(),
        1,
        "{}",
        out.stdout
    );
    // Three hundred of them: one decision, a runbook that lints.
    let mut page = String::from("# Many\n\n## Mitigation\n\n");
    for n in 0..300 {
        page.push_str(&format!("### If case {n}\n\n```bash\necho {n}\n```\n\n"));
    }
    std::fs::write(t.path("many.md"), page).unwrap();
    t.exec(&["import", "many.md", "-o", "many.yaml"]).code(0);
    let yaml = std::fs::read_to_string(t.path("many.yaml")).unwrap();
    assert_eq!(yaml.matches("choose:").count(), 1);
    t.exec(&["lint", "--no-shellcheck", "many.yaml"]).code(0);
}

/// An `export` reaches the steps from its own on, as the page reads; one of a variable that
/// a program runs (`GIT_SSH_COMMAND`) stays in its step (found by an audit: lifted to the
/// runbook's `env:`, it ran in the step before the export).
#[test]
fn an_export_reaches_only_the_steps_from_its_own_on() {
    let page = "# Git\n\n## Look\n\n```sh\ngit ls-remote origin\n```\n\n## Set up\n\n```sh\nexport GIT_SSH_COMMAND=/opt/wrap.sh\nexport REGION=eu-1\n```\n\n## Use\n\n```sh\naws --region \"$REGION\" s3 ls\n```\n";
    let t = Test::new().stdin(page);
    let out = t.exec(&["import", "-"]);
    out.code(0);
    let yaml = &out.stdout;
    assert!(!yaml.contains("GIT_SSH_COMMAND:"), "{yaml}");
    let look = yaml.find("section: \"Look\"").unwrap();
    let set_up = yaml.find("section: \"Set up\"").unwrap();
    assert!(!yaml[look..set_up].contains("REGION"), "{yaml}");
    // (Every walk passes the export and no step before uses it: given once, in the
    // runbook's `env:`, audit 14p A-28.)
    assert!(
        yaml.contains("\nenv:\n  REGION: \"{{ inputs.region }}\"\nsteps:")
            && yaml.matches("REGION: \"{{ inputs.region }}\"").count() == 1,
        "{yaml}"
    );
    // A placeholder and an export of one name are one input with the export's value; a
    // second export with another value is said (found by an audit: the value was dropped).
    let page = "# P\n\n## A\n\n```sh\nkubectl get pods -n <ns>\n```\n\n## B\n\n```sh\nexport NS=prod\n```\n\n## C\n\n```sh\nexport NS=staging\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    assert!(out.stdout.contains("default: \"prod\""), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("guess: `$NS` is exported with different values on the page"),
        "{}",
        out.stderr
    );
    // A variable that makes a program run something, which the page only reads, is not
    // asked for and given to every step (found by an audit: `git` ran it).
    let page = "# G\n\n## Check\n\n```sh\necho \"using ${GIT_SSH_COMMAND:-ssh} $PERL5OPT\"\n```\n\n## Fetch\n\n```sh\ngit ls-remote ssh://git@example.invalid/x.git\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    assert!(
        !out.stdout.contains("  GIT_SSH_COMMAND: "),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("git_ssh_command"), "{}", out.stdout);
    assert!(!out.stdout.contains("  PERL5OPT: "), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "guess: `$GIT_SSH_COMMAND` is set nowhere on the page: it is read from the operator's environment"
        ),
        "{}",
        out.stderr
    );
    // An export of a placeholder, quoted or not, gives the placeholder's input from there
    // on (found by an audit: the default was the text `{{ inputs.sql_query }}`).
    let page = "# Q\n\n## Set\n\n```sh\nexport QUERY=\"<SQL_QUERY>\"\nexport POD=<POD_NAME>\n```\n\n## Use\n\n```sh\necho \"$QUERY\" \"$POD\"\n```\n";
    let t = Test::new().stdin(page);
    let out = t.exec(&["import", "-", "-o", "q.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("q.yaml")).unwrap();
    assert!(!yaml.contains("default: \"{{"), "{yaml}");
    assert!(!yaml.contains("\n  query:"), "{yaml}");
    // (Once, through the runbook's `env:`: the first step exports them.)
    assert!(
        yaml.contains(
            "\nenv:\n  POD: \"{{ inputs.pod_name }}\"\n  QUERY: \"{{ inputs.sql_query }}\"\nsteps:"
        ) && yaml.matches("QUERY: \"{{ inputs.sql_query }}\"").count() == 1,
        "{yaml}"
    );
    let out = t.exec(&[
        "run",
        "q.yaml",
        "--yes",
        "--input",
        "sql_query=select 1",
        "--input",
        "pod_name=web-1",
    ]);
    out.code(0);
    assert!(out.stdout.contains("select 1 web-1"), "{}", out.stdout);
    // Thousands of placeholders: each step's title looks up its own (was quadratic: 16,000
    // took more than 20 s).
    let mut page = String::from("# Many\n\n");
    for i in 0..3000 {
        page.push_str(&format!("## Step {i}\n\n```bash\necho {i} <P{i}>\n```\n\n"));
    }
    let out = Test::new().stdin(&page).exec(&["import", "-"]);
    out.code(0);
    assert!(
        out.stdout.contains("title: \"Step 2999\"")
            || out.stdout.contains("Run `echo 2999 <P2999>`"),
        "{}",
        &out.stdout[out.stdout.len().saturating_sub(2000)..]
    );
    // Thousands of exports every walk passes: each given once, in the runbook's `env:`
    // (audit 14p A-28: each was written into every later step's).
    let mut page = String::from("# Many\n\n");
    for i in 0..4000 {
        page.push_str(&format!("## Step {i}\n\n```bash\nexport V{i}=1\n```\n\n"));
    }
    let out = Test::new().stdin(&page).exec(&["import", "-"]);
    out.code(0);
    assert_eq!(
        out.stdout.matches("V3999: \"{{ inputs.v3999 }}\"").count(),
        1,
        "{}",
        &out.stdout[..2000]
    );
    // Thousands of a program's own settings exported after a command (`AWS_…`, which a
    // command before would read unasked), each written into every later step: refused at
    // once, not after gigabytes (an audit's 166 KB page took 208 s).
    let mut page = String::from("# Many\n\n```bash\nuptime\n```\n\n");
    for i in 0..4000 {
        page.push_str(&format!(
            "## Step {i}\n\n```bash\nexport AWS_V{i}=1\n```\n\n"
        ));
    }
    let out = Test::new().stdin(&page).exec(&["import", "-"]);
    out.code(1);
    assert!(
        out.stderr.contains("would be larger than the 4194304 bytes a runbook may have (its exports, written into each later step): nothing was written"),
        "{}",
        out.stderr
    );
}

/// Found by an audit: an export in a step kept with `templates: false` was lost (later
/// steps were told the variable is set nowhere), and one in an option of a decision was given
/// to the other options.
#[test]
fn an_export_reaches_the_steps_the_walk_reaches_from_it_whatever_the_step() {
    let page = "# T\n\n## A\n\n```bash\nexport MSG=hi\necho \"{{ not ours }}\"\n```\n\n## B\n\n```bash\necho \"$MSG\"\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    let yaml = &out.stdout;
    assert!(yaml.contains("templates: false"), "{yaml}");
    assert!(yaml.contains("default: \"hi\""), "{yaml}");
    assert!(
        yaml.contains("\nenv:\n  MSG: \"{{ inputs.msg }}\"\nsteps:")
            && yaml.matches("MSG: \"{{ inputs.msg }}\"").count() == 1,
        "{yaml}"
    );
    assert!(!out.stderr.contains("set nowhere"), "{}", out.stderr);

    let page = "# Branch\n\n## Diagnosis\n\n```bash\nkubectl get pods\n```\n\n## Option A: fast path\n\n```bash\nexport MODE=fast\necho \"$MODE\"\n```\n\n## Option B: slow path\n\n```bash\necho \"mode is $MODE\"\n```\n\n## Verify\n\n```bash\necho \"done $MODE\"\n```\n";
    let t = Test::new().stdin(page);
    let out = t.exec(&["import", "-", "-o", "b.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("b.yaml")).unwrap();
    let a = yaml.find("section: \"Option A: fast path\"").unwrap();
    let b = yaml.find("section: \"Option B: slow path\"").unwrap();
    let verify = yaml.find("section: \"Verify\"").unwrap();
    assert!(yaml[a..b].contains("MODE: \"{{ inputs.mode }}\""), "{yaml}");
    assert!(!yaml[b..verify].contains("MODE: "), "{yaml}");
    assert!(
        // (Given only on the walk through option 1, audit 41 I41-16; empty on the other.)
        yaml[verify..]
            .contains("MODE: \"{{ inputs.mode if vars.which_applies_choice == '1' else '' }}\""),
        "{yaml}"
    );
    assert!(
        yaml.contains("`$MODE` is exported only in option 1"),
        "{}",
        out.stderr
    );
    t.exec(&["lint", "b.yaml"]).code(0);
    let run = t.exec(&["run", "b.yaml", "--dry-run", "--yes"]);
    run.code(0);
}

/// A lone "If …" item whose skip leads to another one: to that one's decision, never past
/// it (the decisions are inserted in one pass at the end).
#[test]
fn skipping_one_if_item_leads_to_the_decision_of_the_next() {
    let page = "# Two\n\n## A\n\n- If the disk is full, run:\n\n  ```bash\n  df -h\n  ```\n\n## B\n\n- If the load is high, run:\n\n  ```bash\n  uptime\n  ```\n";
    let t = Test::new().stdin(page);
    t.exec(&["import", "-", "-o", "two.yaml"]).code(0);
    let yaml = std::fs::read_to_string(t.path("two.yaml")).unwrap();
    assert!(
        yaml.contains("- label: \"It does not apply: skip it\"\n          next: which-applies-2"),
        "{yaml}"
    );
    t.exec(&["lint", "two.yaml"]).code(0);
    t.exec(&["run", "two.yaml", "--dry-run", "--yes"]).code(0);
}

#[test]
fn variables_the_page_never_sets_and_exports_become_inputs_given_through_env() {
    let page = root().join("testdata/import/rollout-stuck.md");
    let out = Test::new().exec(&["import", page.to_str().unwrap()]);
    out.code(0);
    let yaml = &out.stdout;
    // Never set: given to every step. Exported by a step every walk passes, and used by
    // no step before it: given once, through the runbook's `env:` too.
    assert!(
        yaml.contains("env:\n  DEPLOY: \"{{ inputs.deploy }}\"\n  NAMESPACE: \"{{ inputs.namespace }}\"\nsteps:"),
        "{yaml}"
    );
    assert!(
        yaml.contains("    run: \"export DEPLOY={{ inputs.deploy }}\"")
            && !yaml.contains("      DEPLOY: "),
        "{yaml}"
    );
    assert!(yaml.contains("default: \"checkout\""), "{yaml}");
    // The commands stay exactly as written.
    assert!(
        yaml.contains(
            r#"kubectl -n "$NAMESPACE" rollout status "deploy/$DEPLOY" --timeout=30s || true"#
        ),
        "{yaml}"
    );
    assert!(
        out.stderr
            .contains("rollout-stuck.md:17:1: guess: `$NAMESPACE` is set nowhere"),
        "{}",
        out.stderr
    );
    // --strict: a guess is an error, nothing is written.
    let out = Test::new().exec(&["import", page.to_str().unwrap(), "--strict"]);
    out.code(1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("error: ") && out.stderr.contains("rollout-stuck.md:17:1:"),
        "{}",
        out.stderr
    );
    let clean = root().join("testdata/import/pgbouncer-saturated.md");
    Test::new()
        .exec(&["import", clean.to_str().unwrap(), "--strict"])
        .code(0);
}

#[test]
fn destructive_commands_make_dangerous_steps_with_a_note_for_their_rollback() {
    let page = root().join("testdata/import/pod-crashloop.md");
    let out = Test::new().exec(&["import", page.to_str().unwrap()]);
    out.code(0);
    let delete = out
        .stdout
        .split("  - id: ")
        .find(|s| s.contains("kubectl delete pod"))
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(delete.contains("dangerous: true"), "{delete}");
    assert!(
        delete.contains("# TODO(import)") && delete.contains("rollback"),
        "{delete}"
    );
    assert!(
        out.stderr.contains("(1 dangerous, 0 interactive)"),
        "{}",
        out.stderr
    );
    let restart = out
        .stdout
        .split("  - id: ")
        .find(|s| s.contains("rollout status"))
        .unwrap();
    assert!(!restart.contains("dangerous"), "{restart}");
}

/// Found by audit 14g (G4, G8, G11, G14): a Terraform force-unlock, a Helm rollback, a Kafka
/// reassignment and a Route 53 change were plain steps, and ran unconfirmed; the commands
/// that only read or plan stay plain.
#[test]
fn terraform_helm_kafka_and_route53_changes_make_dangerous_steps() {
    let page = "# Changes\n\n## Unlock\n\n```bash\nterraform force-unlock -force <LOCK_ID>\n```\n\n\
        ## Plan\n\n```bash\nterraform plan -lock-timeout=60s\n```\n\n\
        ## Roll back\n\n```bash\nhelm -n <APP_NAMESPACE> rollback <APP_NAME>\n```\n\n\
        ## History\n\n```bash\nhelm -n <APP_NAMESPACE> history <APP_NAME>\n```\n\n\
        ## Move\n\n```bash\nkafka-reassign-partitions.sh --bootstrap-server <BROKER>:9092 \\\n  --reassignment-json-file /tmp/r.json --execute\n```\n\n\
        ## Check the move\n\n```bash\nkafka-reassign-partitions.sh --bootstrap-server <BROKER>:9092 --reassignment-json-file /tmp/r.json --verify\n```\n\n\
        ## Drop the topic\n\n```bash\nkafka-topics.sh --bootstrap-server <BROKER>:9092 --delete --topic <TOPIC>\n```\n\n\
        ## Fail over\n\n```bash\naws route53 change-resource-record-sets --hosted-zone-id <ZONE> --change-batch file:///tmp/f.json\n```\n\n\
        ## Look\n\n```bash\naws route53 list-resource-record-sets --hosted-zone-id <ZONE>\n```\n";
    assert_dangerous_steps(
        page,
        &[
            ("force-unlock", "terraform force-unlock"),
            ("rollback {{", "helm uninstall / rollback"),
            ("--execute", "kafka partition reassignment"),
            ("--delete", "kafka topic deletion"),
            ("change-resource-record-sets", "aws route53 DNS change"),
        ],
        &[
            "terraform plan",
            "history {{",
            "--verify",
            "list-resource-record-sets",
        ],
    );
}

/// Imports `page` and checks that the step holding each command of `dangerous` is
/// `dangerous` for that kind of danger, that the step of each of `plain` is not, and that
/// the summary counts them.
fn assert_dangerous_steps(page: &str, dangerous: &[(&str, &str)], plain: &[&str]) {
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    let step = |needle: &str| {
        out.stdout
            .split("  - id: ")
            .find(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle}:\n{}", out.stdout))
            .to_string()
    };
    for (command, what) in dangerous {
        let s = step(command);
        assert!(
            s.contains("dangerous: true") && s.contains(&format!("dangerous ({what})")),
            "{s}"
        );
    }
    for command in plain {
        let s = step(command);
        assert!(!s.contains("dangerous"), "{s}");
    }
    let count = format!("({} dangerous, 0 interactive)", dangerous.len());
    assert!(out.stderr.contains(&count), "{}", out.stderr);
}

/// Found by audit 14o (A-25): a pool destroyed, a service scaled to zero, a database
/// stopped and a volume's data armed for deletion were plain steps; a restart, a scale to a
/// number and a memory limit lifted stay plain.
#[test]
fn zpool_scale_to_zero_stopped_database_and_reclaim_policy_make_dangerous_steps() {
    let page = "# Danger\n\n## Steps\n\n\
        ### Destroy the old pool\n\n```bash\nsudo zpool destroy tank\n```\n\n\
        ### Scale down\n\n```bash\nkubectl -n web scale deploy/api --replicas=0\n```\n\n\
        ### Stop the database\n\n```bash\nsudo systemctl stop postgresql\n```\n\n\
        ### Arm the volume\n\n```bash\nkubectl patch pv pv-1 -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\"}}'\n```\n\n\
        ### Scale up\n\n```bash\nkubectl -n web scale deploy/api --replicas=3\n```\n\n\
        ### Restart the database\n\n```bash\nsudo systemctl restart postgresql\n```\n\n\
        ### Lift the memory limit\n\n```bash\nredis-cli -h cache CONFIG SET maxmemory 0\n```\n";
    assert_dangerous_steps(
        page,
        &[
            ("zpool destroy", "zpool destroy / labelclear"),
            ("--replicas=0", "scale to zero replicas"),
            ("systemctl stop", "stopping a database or cluster service"),
            (
                "persistentVolumeReclaimPolicy",
                "reclaim policy set to Delete",
            ),
        ],
        &["--replicas=3", "systemctl restart", "maxmemory 0"],
    );
}

/// Found by audit 14o (A-27): a zero-width space, a bidirectional override or a no-break
/// space in a command (a Confluence or Google Docs export) was copied as it was: the draft
/// failed lint's RB035, or the shell read `pods -n` as one word. Each is taken out (the
/// no-break space made a space) and said as a guess at its place on the page.
#[test]
fn invisible_characters_and_no_break_spaces_in_commands_are_cleaned_and_said() {
    let page = "# Confluence export\n\n## Steps\n\nList the pods:\n\n```bash\n\
        kubectl get pods\u{200b} -n web\nkubectl\u{a0}get svc -n web\n```\n\n\
        1. Check the deploy:\n\n   ```bash\n   echo done \u{202e}; kubectl rollout status deploy/api -n web\n   ```\n";
    let t = Test::new().file("z.md", page);
    let out = t.exec(&["import", "z.md", "-o", "z.yaml"]);
    out.code(0);
    for said in [
        "z.md:8:17: guess: a zero-width space (U+200B) in the shell block: removed",
        "z.md:9:8: guess: a no-break space (U+00A0) in the shell block: made a plain space",
        "z.md:15:14: guess: a bidirectional override (U+202E) in the shell block: removed",
    ] {
        assert!(out.stderr.contains(said), "{said}\n{}", out.stderr);
    }
    assert!(out.stderr.contains(", 3 guesses"), "{}", out.stderr);
    let yaml = std::fs::read_to_string(t.path("z.yaml")).unwrap();
    assert!(
        yaml.contains("kubectl get pods -n web\n")
            && yaml.contains("kubectl get svc -n web")
            && yaml.contains("echo done ; kubectl rollout status"),
        "{yaml}"
    );
    assert!(!yaml.contains(['\u{200b}', '\u{a0}', '\u{202e}']), "{yaml}");
    assert!(
        yaml.contains("# TODO(import) z.md:9:8: guess: a no-break space"),
        "{yaml}"
    );
    t.exec(&["lint", "--no-shellcheck", "z.yaml"]).code(0);
    t.exec(&["import", "--strict", "z.md", "-o", "strict.yaml"])
        .code(1);
}

#[test]
fn a_command_that_runs_until_ctrl_c_before_others_is_said() {
    let page = "# Disk filling\n\n## Diagnosis\n\nFollow the log, then look at the disk:\n\n```bash\ntail -f /var/log/app.log\ndf -h /var\n```\n\n## Wait\n\n```bash\njournalctl -u app -f | grep -m1 ready\n```\n\n## Watch\n\n```bash\nkubectl logs -f deploy/api\n```\n";
    let t = Test::new().file("disk.md", page);
    let out = t.exec(&["import", t.path("disk.md").to_str().unwrap()]);
    out.code(0);
    assert!(
        out.stderr.contains("disk.md:7:1: guess: `tail -f` runs until Ctrl-C, which ends the step: the commands after it in step `follow-the-log-then-look-at-the-disk` never run"),
        "{}",
        out.stderr
    );
    // One guess: a follow piped into `grep -m1` ends, and one that ends its step loses nothing.
    assert!(out.stderr.contains(", 1 guess,"), "{}", out.stderr);
    assert!(
        out.stderr.contains("(0 dangerous, 2 interactive)"),
        "{}",
        out.stderr
    );
    let strict = t.exec(&["import", "--strict", t.path("disk.md").to_str().unwrap()]);
    strict.code(1);
    // A shell opened on another host, with the commands the page types there after it: they
    // would run here once it ends.
    let t = t.file(
        "ssh.md",
        "# T\n\n## On the primary\n\n```bash\nssh <PRIMARY_HOST>\nsudo gitlab-patronictl list\n```\n\n## Here\n\n```bash\nssh db-1\n```\n",
    );
    let out = t.exec(&["import", t.path("ssh.md").to_str().unwrap()]);
    out.code(0);
    assert!(
        out.stderr.contains("ssh.md:5:1: guess: `ssh {{ inputs.primary_host }}` opens a shell, and the commands after it in step `on-the-primary` run here once that shell ends"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(", 1 guess,"), "{}", out.stderr);
}

#[test]
fn alternative_sections_become_a_decision_whose_branches_join_again() {
    let page = root().join("testdata/import/node-not-ready.md");
    let out = Test::new().exec(&["import", page.to_str().unwrap()]);
    out.code(0);
    let yaml = &out.stdout;
    assert!(
        yaml.contains(
            "        - label: \"If the kubelet stopped\"\n          next: restart-it-on-the-node"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("        - label: \"If the node has disk pressure\"\n          next: clean-the-images-nobody-uses\n"),
        "{yaml}"
    );
    // Each branch's last step joins the step after the alternatives, and "None of these
    // applies: skip them" leads there too.
    assert_eq!(yaml.matches("    next: afterwards\n").count(), 3, "{yaml}");
    assert!(
        out.stderr
            .contains("node-not-ready.md:15:1: guess: 2 sections read as alternatives"),
        "{}",
        out.stderr
    );
    assert!(
        yaml.contains("  - id: which-applies\n    # TODO(import) ")
            && yaml.contains("node-not-ready.md:15:1: guess: 2 sections"),
        "{yaml}"
    );
    // Each alternative's steps sit under its heading.
    assert!(
        yaml.contains("    section: \"If the kubelet stopped\"\n"),
        "{yaml}"
    );
    // The summary counts the decisions.
    assert!(out.stderr.contains(", 1 decision, "), "{}", out.stderr);
}

#[test]
fn variables_the_page_sets_by_printf_or_mapfile_or_escapes_are_no_inputs() {
    // Found by an audit: each of these was asked for as a required input.
    let page = "# V\n\n## A\n\n```bash\nprintf -v OUTV '%s' x; echo \"$OUTV\"\nmapfile -t LINES < /etc/hosts; echo \"${LINES[0]}\"\necho \"\\$ESCAPED costs\"\necho \"${CLUSTER:-prod}\"\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    for name in ["outv", "lines", "escaped"] {
        assert!(
            !out.stdout.contains(&format!("\n  {name}:")),
            "{name}: {}",
            out.stdout
        );
    }
    // `${CLUSTER:-prod}`: the page's default is the input's.
    assert!(
        out.stdout.contains("  cluster:\n    description: \"The value of $CLUSTER, which the page uses and never sets\"\n    default: \"prod\"")
            || out.stdout.contains("  cluster:\n    default: \"prod\""),
        "{}",
        out.stdout
    );
    // `read -r HOST PORT` sets both; `${ZONE:=eu}` gives a default as `:-` does, and
    // `${VERBOSE:+-v}` asks nothing (empty by default).
    let page = "# V\n\n## A\n\n```bash\nread -r HOST PORT <<< \"$ADDR\"\necho \"$HOST:$PORT\" \"${ZONE:=eu}\" ${VERBOSE:+-v}\n```\n";
    let t = Test::new().stdin(page);
    let out = t.exec(&["import", "-", "-o", "v.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("v.yaml")).unwrap();
    assert!(!yaml.contains("\n  port:"), "{yaml}");
    assert!(!yaml.contains("\n  host:"), "{yaml}");
    assert!(
        yaml.contains("$ZONE, which the page uses and never sets\"\n    default: \"eu\""),
        "{yaml}"
    );
    assert!(
        yaml.contains("$VERBOSE, which the page uses and never sets\"\n    default: \"\""),
        "{yaml}"
    );
    t.exec(&["run", "v.yaml", "--dry-run", "--yes", "--input", "addr=h 1"])
        .code(0);
}

/// Courses nested under an item that names a course ("- If the primary is down:" over "- If
/// a replica is in sync…" / "- Otherwise…") are a decision of their own, which that item's
/// option leads to; a later "Option A/B" list is another decision (an audit found all five
/// flattened into one, the parent condition lost).
#[test]
fn courses_nested_under_a_course_are_a_decision_of_its_option() {
    let page = "# Primary in trouble\n\n## Mitigation\n\n1. Check the primary:\n\n   ```bash\n   patronictl list\n   ```\n\n   - If the primary is down:\n     - If a replica is in sync, fail over:\n\n       ```bash\n       patronictl failover --candidate <REPLICA> --force\n       ```\n\n     - Otherwise, restore from backup:\n\n       ```bash\n       sudo gitlab-backup restore BACKUP=<BACKUP_ID> force=yes\n       ```\n\n   - If the primary is up but slow, restart it:\n\n     ```bash\n     sudo gitlab-ctl restart patroni\n     ```\n\n2. Option A: scale reads to replicas\n\n   ```bash\n   gitlab-ctl set-db-load-balancing on\n   ```\n\n3. Option B: block heavy API users\n\n   ```bash\n   echo block\n   ```\n\n4. Verify:\n\n   ```bash\n   patronictl list\n   ```\n";
    let t = Test::new().file("p.md", page);
    let out = t.exec(&["import", "p.md", "-o", "p.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("p.yaml")).unwrap();
    assert_eq!(yaml.matches("choose:").count(), 3, "{yaml}");
    // The step each option of a decision (by one of its labels) leads to.
    let target = |label: &str| -> String {
        let at = yaml
            .find(&format!("- label: \"{label}\""))
            .unwrap_or_else(|| panic!("no option {label:?}: {yaml}"));
        yaml[at..]
            .lines()
            .nth(1)
            .unwrap()
            .trim()
            .strip_prefix("next: ")
            .unwrap()
            .to_string()
    };
    let down = target("If the primary is down");
    let inner = yaml
        .split("  - id: ")
        .find(|s| s.starts_with(&format!("{down}\n")))
        .unwrap();
    assert!(
        inner.contains("title: \"If the primary is down: which applies?\""),
        "{inner}"
    );
    assert!(
        inner.contains("- label: \"If a replica is in sync, fail over\""),
        "{inner}"
    );
    assert!(
        inner.contains("- label: \"Otherwise, restore from backup\""),
        "{inner}"
    );
    assert!(!inner.contains("None of these"), "{inner}");
    // The outer decision: the two conditions, and that none holds; each way goes on to
    // the Option A/B decision, never to a sibling's command.
    let options = yaml
        .split("  - id: ")
        .find(|s| s.contains("- label: \"Option A: scale reads to replicas\""))
        .and_then(|s| s.lines().next())
        .unwrap()
        .to_string();
    let _ = target("Option B: block heavy API users");
    assert_eq!(
        target("None of these applies: skip them"),
        options,
        "{yaml}"
    );
    for id in [
        "if-a-replica-is-in-sync-fail-over",
        "otherwise-restore-from-backup",
        "if-the-primary-is-up-but-slow-restart-it",
    ] {
        let step = yaml.split("  - id: ").find(|s| s.starts_with(id)).unwrap();
        assert!(step.contains(&format!("next: {options}\n")), "{step}");
    }
    assert!(
        out.stderr
            .contains("guess: 2 list items read as alternatives under \"If the primary is down\""),
        "{}",
        out.stderr
    );
    t.exec(&["lint", "--no-shellcheck", "p.yaml"]).code(0);
    // `<REPLICA>` and `<BACKUP_ID>` belong to one option each: asked there (a stand-in in a
    // dry-run), not before the run of every operator.
    assert!(!yaml.contains("inputs:"), "{yaml}");
    assert!(
        yaml.contains("patronictl failover --candidate {{ vars.replica }} --force"),
        "{yaml}"
    );
    let out = t.exec(&["run", "p.yaml", "--dry-run", "--yes"]);
    out.code(0);
    assert!(out.stderr.contains("── done"), "{}", out.stderr);
}

/// A variable exported with a different placeholder in each section of a decision reaches
/// the step after them with the value of the option taken (an audit's DR operator promoted
/// the primary).
#[test]
fn a_value_exported_per_branch_follows_the_option_taken() {
    let page = "# Failover\n\n## Mitigation\n\n### If you are on the primary site\n\n```bash\nexport TARGET=<PRIMARY_DB>\n```\n\n### If you are on the DR site\n\n```bash\nexport TARGET=<DR_DB>\n```\n\n## Promote\n\n```bash\necho \"promoting $TARGET\"\n```\n";
    // (Each placeholder is asked in its own option: the operator on the primary site is
    // never asked for the DR database.)
    let t = Test::new()
        .file("f.md", page)
        .file(
            "dr.yaml",
            "which-applies: 2\nrun-export-target-dr-db: db-dr\n",
        )
        .file(
            "primary.yaml",
            "which-applies: 1\nrun-export-target-primary-db: db-primary\n",
        );
    t.exec(&["import", "f.md", "-o", "f.yaml"]).code(0);
    t.exec(&["lint", "--no-shellcheck", "f.yaml"]).code(0);
    for (answers, expected) in [
        ("dr.yaml", "promoting db-dr"),
        ("primary.yaml", "promoting db-primary"),
    ] {
        let out = t.exec(&["run", "f.yaml", "--yes", "--answers", answers]);
        out.code(0);
        assert!(
            out.stderr.contains(expected) || out.stdout.contains(expected),
            "{answers}: {}{}",
            out.stdout,
            out.stderr
        );
    }
}

/// Audit 14g's disk-full.md (G6): after **Option A/B/C**, "Afterwards, confirm usage is below
/// 80%:" runs whichever option was taken (a real run of option A ended after the vacuum).
#[test]
fn the_check_afterwards_runs_after_every_bold_option() {
    let page = "# NodeFilesystemAlmostFull\n\n## Investigate\n\n```bash\ndf -h /\n```\n\n## Fix\n\n\
        **Option A: vacuum the journal**\n\n```bash\necho vacuum-a\n```\n\n\
        **Option B: remove old container images**\n\n```bash\necho prune-b\n```\n\n\
        **Option C: truncate a runaway log**\n\n```bash\necho truncate-c\n```\n\n\
        Afterwards, confirm usage is below 80%:\n\n```bash\necho confirm-usage\n```\n";
    let t = Test::new()
        .file("disk-full.md", page)
        .file("a.yaml", "which-applies: 1\n")
        .file("b.yaml", "which-applies: 2\n")
        .file("c.yaml", "which-applies: 3\n");
    t.exec(&["import", "disk-full.md", "-o", "disk-full.yaml"])
        .code(0);
    t.exec(&["lint", "--no-shellcheck", "disk-full.yaml"])
        .code(0);
    for (answers, ran, skipped) in [
        ("a.yaml", "vacuum-a", ["prune-b", "truncate-c"]),
        ("b.yaml", "prune-b", ["vacuum-a", "truncate-c"]),
        ("c.yaml", "truncate-c", ["vacuum-a", "prune-b"]),
    ] {
        let out = t.exec(&["run", "disk-full.yaml", "--yes", "--answers", answers]);
        out.code(0);
        let screen = format!("{}{}", out.stdout, out.stderr);
        assert!(
            screen.contains(ran) && screen.contains("confirm-usage"),
            "{answers}: {screen}"
        );
        for other in skipped {
            assert!(!screen.contains(other), "{answers}: {screen}");
        }
    }
}

/// Audit 14g's ingress-5xx.md (G10), its commands made echoes: "otherwise skip to step 3"
/// goes to step 3, past step 2's roll back / scale out, and step 2's decision between
/// conditions ("Otherwise, if …") lets the operator go on without either.
#[test]
fn skip_to_step_3_skips_to_step_3() {
    let page = "# Ingress 5xx error rate high\n\n## Diagnosis and fix\n\n1. Find which backend returns the errors.\n   1. Check the controller logs for upstream errors:\n\n      ```bash\n      echo logs\n      ```\n\n   2. If one backend dominates, look at its pods; otherwise skip to step 3.\n\n      ```bash\n      echo pods-of <APP_NAMESPACE>\n      ```\n\n2. Fix the backend.\n   - If pods are in `CrashLoopBackOff`, roll back the last release:\n\n     ```bash\n     echo rolled-back <APP_NAME>\n     ```\n\n   - Otherwise, if the pods are running but slow, scale out:\n\n     ```bash\n     echo scaled <APP_NAME>\n     ```\n\n3. Watch the error rate come down for five minutes:\n\n   ```bash\n   echo watched <APP_HOST>\n   ```\n\n4. If errors persist, page the owning team. Otherwise close the incident.\n";
    let t = Test::new()
        .file("ingress.md", page)
        .file("skip.yaml", "which-applies: 2\n")
        .file("none.yaml", "which-applies: 1\nwhich-applies-2: 3\n")
        .file("roll.yaml", "which-applies: 1\nwhich-applies-2: 1\n");
    t.exec(&["import", "ingress.md", "-o", "ingress.yaml"])
        .code(0);
    t.exec(&["lint", "--no-shellcheck", "ingress.yaml"]).code(0);
    for (answers, ran, not_ran) in [
        (
            "skip.yaml",
            vec!["watched"],
            vec!["pods-of", "rolled-back", "scaled"],
        ),
        (
            "none.yaml",
            vec!["pods-of", "watched"],
            vec!["rolled-back", "scaled"],
        ),
        (
            "roll.yaml",
            vec!["pods-of", "rolled-back", "watched"],
            vec!["scaled"],
        ),
    ] {
        let out = t.exec(&[
            "run",
            "ingress.yaml",
            "--dry-run",
            "--yes",
            "--answers",
            answers,
            "--input",
            "app_host=web.example",
        ]);
        out.code(0);
        let screen = format!("{}{}", out.stdout, out.stderr);
        for r in ran {
            assert!(
                screen.contains(&format!("$ echo {r}")),
                "{answers}: {r}: {screen}"
            );
        }
        for n in not_ran {
            assert!(!screen.contains(n), "{answers}: {n}: {screen}");
        }
    }
}

#[test]
fn list_items_and_bold_paragraphs_that_are_alternatives_are_one_decision() {
    // Found by an audit: each alternative was a plain step, so `--yes` ran the rollback
    // and the failover one after the other.
    let items = "# Deploy broke checkout\n\n## Mitigation\n\n1. Check the last deploy:\n\n   ```bash\n   kubectl rollout history deploy/checkout\n   ```\n\n2. If the last deploy is the cause, roll it back:\n\n   ```bash\n   kubectl rollout undo deploy/checkout\n   ```\n\n3. If the database is the cause, fail over:\n\n   ```bash\n   patronictl failover --force\n   ```\n\n## Verify\n\n```bash\ncurl -fsS https://checkout.example.invalid/healthz\n```\n";
    let bold = "# Disk almost full\n\n## Mitigation\n\n**Option A: clean old logs**\n\n```bash\njournalctl --vacuum-time=2d\n```\n\n**Option B: grow the volume**\n\n```bash\naws ec2 modify-volume --volume-id vol-1 --size 200\n```\n\nThen grow the file system.\n\n```bash\nresize2fs /dev/nvme1n1\n```\n\n## Verify\n\n```bash\ndf -h /\n```\n";
    let t = Test::new().file("items.md", items).file("bold.md", bold);
    for (page, what, labels) in [
        (
            "items",
            "2 list items read as alternatives",
            [
                "If the last deploy is the cause, roll it back",
                "If the database is the cause, fail over",
            ],
        ),
        (
            "bold",
            "2 paragraphs in bold read as alternatives",
            ["Option A: clean old logs", "Option B: grow the volume"],
        ),
    ] {
        let out = t.exec(&[
            "import",
            &format!("{page}.md"),
            "-o",
            &format!("{page}.yaml"),
        ]);
        out.code(0);
        assert!(out.stderr.contains(what), "{}", out.stderr);
        let yaml = std::fs::read_to_string(t.path(&format!("{page}.yaml"))).unwrap();
        assert_eq!(yaml.matches("choose:").count(), 1, "{yaml}");
        for label in labels {
            assert!(yaml.contains(&format!("- label: \"{label}\"")), "{yaml}");
        }
        t.exec(&["lint", "--no-shellcheck", &format!("{page}.yaml")])
            .code(0);
        // Each branch joins again at the section after them; conditions ("If …") have a
        // third option, that none of them holds, which goes on there too.
        let at = yaml.find("section: \"Verify\"").unwrap();
        let id_line = yaml[..at].rfind("- id: ").unwrap();
        let verify = yaml[id_line + 6..].lines().next().unwrap().trim();
        let none = page == "items";
        assert_eq!(
            yaml.contains("- label: \"None of these applies: skip them\""),
            none,
            "{yaml}"
        );
        assert_eq!(
            yaml.matches(&format!("next: {verify}\n")).count(),
            2 + usize::from(none),
            "{yaml}"
        );
    }
    // "Otherwise" after "If …" sections is their last option, not the way they all go on.
    let page = "# N\n\n## If the node has disk pressure\n\n```bash\nkubectl drain n1\n```\n\n## If the kubelet is down\n\n```bash\nsystemctl restart kubelet\n```\n\n## Otherwise\n\nEscalate to the platform team.\n\n## Verify\n\n```bash\nkubectl get node n1\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    assert!(
        out.stdout.contains("- label: \"Otherwise\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("3 sections read as alternatives"),
        "{}",
        out.stderr
    );
    // Steps in a row that start "When …" are a sequence, not alternatives; a bold option
    // with no command of its own is no branch of the next one's; a lone "If …" section is
    // looked into (found by a second audit).
    let page = "# N\n\n## Steps\n\n1. When the node drains, reboot it:\n\n   ```bash\n   systemctl reboot\n   ```\n\n2. When it is back, uncordon it:\n\n   ```bash\n   kubectl uncordon n1\n   ```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    assert!(!out.stdout.contains("choose:"), "{}", out.stdout);
    let page = "# D\n\n## Mitigation\n\n**Option A: wait it out**\n\n**Option B: clean the journal**\n\n```bash\njournalctl --vacuum-time=2d\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    assert!(
        !out.stdout.contains("label: \"Option A: wait it out\""),
        "{}",
        out.stdout
    );
    let page = "# If the primary is down\n\n## Option A: fail over\n\n```bash\npatronictl failover --force\n```\n\n## Option B: restore\n\n```bash\npgbackrest restore\n```\n";
    let out = Test::new().stdin(page).exec(&["import", "-"]);
    out.code(0);
    assert_eq!(out.stdout.matches("choose:").count(), 1, "{}", out.stdout);
    // One list item "If …" alone is a decision whether it applies (it ran on every walk).
    let page = "# P\n\n## Mitigation\n\n1. Check the rollout:\n\n   ```bash\n   kubectl rollout history deploy/app\n   ```\n\n2. If the last deploy is the cause, roll it back:\n\n   ```bash\n   kubectl rollout undo deploy/app\n   ```\n\n3. Watch the pods:\n\n   ```bash\n   kubectl get pods\n   ```\n";
    let t3 = Test::new().stdin(page);
    let out = t3.exec(&["import", "-", "-o", "lone.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t3.path("lone.yaml")).unwrap();
    assert!(
        yaml.contains("- label: \"If the last deploy is the cause, roll it back\""),
        "{yaml}"
    );
    assert!(
        yaml.contains("- label: \"It does not apply: skip it\"\n          next: watch-the-pods"),
        "{yaml}"
    );
    t3.exec(&["lint", "--no-shellcheck", "lone.yaml"]).code(0);
    assert!(
        out.stderr
            .contains("a step that starts \"If …\": a decision asks whether it applies"),
        "{}",
        out.stderr
    );
    // A shell block of comments only runs nothing: kept as text, and said.
    let t2 = Test::new().stdin("# C\n\n## Update\n\n```sh\n# apt-get update\n```\n");
    let out = t2.exec(&["import", "-"]);
    out.code(0);
    assert!(!out.stdout.contains("run:"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("left as text: a shell block of comments only"),
        "{}",
        out.stderr
    );
    // The second option's branch holds its paragraph's later steps too.
    let yaml = std::fs::read_to_string(t.path("bold.yaml")).unwrap();
    let resize = yaml.find("resize2fs").unwrap();
    let modify = yaml.find("aws ec2 modify-volume").unwrap();
    assert!(modify < resize, "{yaml}");
    assert!(!yaml[modify..resize].contains("next:"), "{yaml}");
}

#[test]
fn a_page_without_a_top_heading_or_with_front_matter_gets_its_title_and_says_so() {
    let t = Test::new()
        .file(
            "named.md",
            "## PgBouncer pool saturated\n\nClients wait for a connection.\n\n## Diagnosis\n\n```bash\ntop -bn1 | head -20\n```\n",
        )
        .file("parts.md", "## Diagnosis\n\n```bash\nuptime\n```\n")
        .file(
            "front.md",
            "---\ntitle: \"Disk full on db\"\ntags: [db]\n---\n\nFires when the data disk of a primary is 95% full.\n\n## Mitigation\n\nFind what grew.\n\n```bash\ndf -h\n```\n",
        );
    let out = t.exec(&["import", "named.md"]);
    out.code(0);
    assert!(
        out.stdout.contains("title: \"PgBouncer pool saturated\"\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("description: \"Clients wait for a connection.\"\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "named.md:1:1: guess: the page has no `# ` heading: its first heading is the title"
        ),
        "{}",
        out.stderr
    );
    // `top -b` prints text: not a command that needs the terminal.
    assert!(!out.stdout.contains("interactive: true"), "{}", out.stdout);
    // A heading that names a part of a page is no title: the file's name is.
    let out = t.exec(&["import", "parts.md"]);
    out.code(0);
    assert!(out.stdout.contains("title: \"parts\"\n"), "{}", out.stdout);
    // Front matter: its title is taken, the rest said to be left out.
    let out = t.exec(&["import", "front.md"]);
    out.code(0);
    assert!(
        out.stdout.contains("title: \"Disk full on db\"\n"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("tags"), "{}", out.stdout);
    // The prose before its first heading says what the page is about: the description,
    // not the first step's instructions.
    assert!(
        out.stdout
            .contains("description: \"Fires when the data disk of a primary is 95% full.\"\n"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Find what grew."), "{}", out.stdout);
    assert_eq!(out.stdout.matches("95% full").count(), 1, "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "front.md:1:1: left as text: the front matter (YAML: title, tags) is left out"
        ),
        "{}",
        out.stderr
    );
    // The same before a `# ` title.
    let t = t.file(
        "intro.md",
        "This page is for the on-call of Payments.\n\n# Checkout latency high\n\n## Mitigation\n\n```bash\nkubectl rollout restart deploy/checkout\n```\n",
    );
    let out = t.exec(&["import", "intro.md"]);
    out.code(0);
    assert!(
        out.stdout.contains("title: \"Checkout latency high\"\n")
            && out
                .stdout
                .contains("description: \"This page is for the on-call of Payments.\"\n"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_page_too_large_for_a_runbook_is_refused_and_nothing_is_written() {
    let mut page = String::from("# Big\n\n");
    for i in 0..60_000 {
        page.push_str(&format!("## Step {i}\n\nDo thing {i} with care.\n\n"));
    }
    let t = Test::new().file("big.md", &page);
    let out = t.exec(&["import", "big.md", "-o", "big.yaml"]);
    out.code(1);
    // The draft's size, not how much it is over (it read "would be 5000000 bytes more than…").
    let said = regex::Regex::new(
        r"big\.md: the runbook made of it \(60000 steps\) would be (\d+) bytes, more than the 4194304 a runbook may have: nothing was written",
    )
    .unwrap();
    let size: usize = said.captures(&out.stderr).expect(&out.stderr)[1]
        .parse()
        .unwrap();
    assert!(size > 4_194_304, "{}", out.stderr);
    assert!(out.stderr.contains("split the page"), "{}", out.stderr);
    assert!(!t.path("big.yaml").exists());
}

/// Found by an audit (G20): a page of 25,000 one-line sections (700 KB, a draft well under
/// 4 MiB) imported into a draft that fails lint's RB001 ("more than 200000 values") and
/// cannot run; it is refused like a draft too large, naming the page. 20,000 still import,
/// and lint.
#[test]
fn a_page_whose_runbook_would_have_too_many_values_is_refused() {
    let page = |sections: usize| {
        let mut page = String::from("# Many\n\n");
        for i in 0..sections {
            page.push_str(&format!("## S{i}\n\n```bash\necho {i}\n```\n\n"));
        }
        page
    };
    let t = Test::new()
        .file("many.md", &page(25_000))
        .file("fits.md", &page(20_000));
    let out = t.exec(&["import", "many.md", "-o", "many.yaml"]);
    out.code(1);
    let said = regex::Regex::new(
        r"many\.md: the runbook made of it \(25000 steps\) would have (\d+) values \(keys, texts and lists\), more than the 200000 a runbook may have: nothing was written",
    )
    .unwrap();
    let n: usize = said.captures(&out.stderr).expect(&out.stderr)[1]
        .parse()
        .unwrap();
    assert!(n > 200_000, "{}", out.stderr);
    assert!(out.stderr.contains("split the page"), "{}", out.stderr);
    assert!(!t.path("many.yaml").exists());
    let out = t.exec(&["import", "fits.md", "-o", "fits.yaml"]);
    out.code(0);
    let out = t.exec(&["lint", "--no-shellcheck", "fits.yaml"]);
    out.code(0);
}

#[test]
fn a_folder_of_pages_imports_each_to_the_out_dir_never_overwriting() {
    let t = Test::new();
    let pages = root().join("testdata/import");
    let out = t.exec(&["import", pages.to_str().unwrap()]);
    out.code(2);
    assert!(out.stderr.contains("--out-dir"), "{}", out.stderr);
    let out = t.exec(&["import", pages.to_str().unwrap(), "--out-dir", "runbooks"]);
    out.code(0);
    let written = std::fs::read_dir(t.path("runbooks")).unwrap().count();
    // (A folder's own pages: not those of its subfolders.)
    let own = fixtures()
        .iter()
        .filter(|p| p.parent() == Some(pages.as_path()))
        .count();
    assert_eq!(written, own);
    assert_eq!(
        out.stderr.matches("imported ").count(),
        written,
        "{}",
        out.stderr
    );
    let lint = t.exec(&["lint", "--no-shellcheck", "runbooks"]);
    assert!(!lint.stdout.contains("error["), "{}", lint.stdout);
    // Again: every target exists, nothing is written.
    let out = t.exec(&["import", pages.to_str().unwrap(), "--out-dir", "runbooks"]);
    out.code(1);
    assert!(
        out.stderr.contains("already exists: nothing was imported"),
        "{}",
        out.stderr
    );
    // One bad page: nothing is imported, so that the folder imports once it is fixed
    // (found by an audit: the good pages' drafts refused every later try).
    let t = Test::new()
        .file("pages/good.md", "# Good\n\n```bash\nuptime\n```\n")
        .file("pages/bad.md", "# Bad\n\ncaf\u{e9}\n");
    std::fs::write(t.path("pages/bad.md"), b"# Bad\n\ncaf\xe9\n").unwrap();
    let out = t.exec(&["import", "pages", "--out-dir", "out"]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("1 of the 2 pages of pages could not be imported: nothing was imported (the draft written was removed)"),
        "{}",
        out.stderr
    );
    assert!(!t.path("out/good.yaml").exists());
    std::fs::write(t.path("pages/bad.md"), "# Bad\n\ncafe\n").unwrap();
    t.exec(&["import", "pages", "--out-dir", "out"]).code(0);
    assert!(t.path("out/good.yaml").exists() && t.path("out/bad.yaml").exists());
}

/// The hostile audit of the import: what a page or its name must never do to the runbook.
#[test]
fn a_page_and_its_name_cannot_change_what_the_runbook_runs() {
    // A file name that ends the header comment would write a key of its own.
    let t = Test::new().file(
        "pages/page\nshell: [sh, -c, \"touch PWN; echo\"]\n#.md",
        "# P\n\n```bash\nuptime\n```\n",
    );
    let out = t.exec(&["import", "pages", "--out-dir", "out"]);
    out.code(0);
    let entries: Vec<_> = std::fs::read_dir(t.path("out"))
        .unwrap()
        .flatten()
        .collect();
    let yaml = std::fs::read_to_string(entries[0].path()).unwrap();
    assert!(!yaml.lines().any(|l| l.starts_with("shell:")), "{yaml}");
    // `export BASH_ENV=…` stays in its step: never every step's environment.
    let out = Test::new()
        .stdin("# P\n\n## One\n\n```bash\necho checking\n```\n\n## Two\n\n```bash\nexport BASH_ENV=./hook.sh\nexport LD_PRELOAD=/x.so\n```\n")
        .exec(&["import", "-"]);
    out.code(0);
    assert!(!out.stdout.contains("\nenv:"), "{}", out.stdout);
    assert!(
        out.stdout.contains("export BASH_ENV=./hook.sh"),
        "{}",
        out.stdout
    );
    // A here-document typed at the secondary prompt is part of the command.
    let out = Test::new()
        .stdin("# P\n\n```console\n$ cat <<EOF > app.conf\n> key: value\n> EOF\n```\n")
        .exec(&["import", "-"]);
    out.code(0);
    assert!(
        out.stdout
            .contains("run: |-\n      cat <<EOF > app.conf\n      key: value\n      EOF\n"),
        "{}",
        out.stdout
    );
    // DEL and C1 controls are escaped; a BOM does not hide the title; `end` is no step id; a
    // page of prose alone still makes a runbook that lints.
    let t = Test::new().file(
        "runbooks/odd.md",
        "\u{feff}# Disk full\n\nSome prose \u{7f} and \u{9b}.\n\n## End\n\n- [ ] check\n",
    );
    let out = t.exec(&["import", "runbooks/odd.md", "-o", "runbooks/odd.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("runbooks/odd.yaml")).unwrap();
    assert!(yaml.contains("title: \"Disk full\""), "{yaml}");
    assert!(
        yaml.contains("\\u007f") && yaml.contains("\\u009b"),
        "{yaml}"
    );
    assert!(!yaml.contains("id: end\n"), "{yaml}");
    let lint = t.exec(&["lint", "--no-shellcheck", "runbooks/odd.yaml"]);
    assert!(
        !lint.stdout.contains("error") && !lint.stderr.contains("error["),
        "{}{}",
        lint.stdout,
        lint.stderr
    );
    let t = t.file(
        "runbooks/prose.md",
        "# Only words\n\nNothing to run here.\n",
    );
    t.exec(&["import", "runbooks/prose.md", "-o", "runbooks/prose.yaml"])
        .code(0);
    let lint = t.exec(&["lint", "--no-shellcheck", "runbooks/prose.yaml"]);
    assert!(!lint.stderr.contains("error["), "{}", lint.stderr);
    // A placeholder that is not an identifier still becomes an input, never a redirection.
    let out = Test::new()
        .stdin("# P\n\n```bash\nssh <1ST-HOST> uptime\n```\n")
        .exec(&["import", "-"]);
    assert!(
        out.stdout.contains("ssh {{ inputs.v_1st_host }} uptime"),
        "{}",
        out.stdout
    );
    // Prose holding another template language's `{{ }}` is shown as written.
    let out = Test::new()
        .stdin("# P\n\n## Check\n\nYour home is {{ env.HOME }}.\n")
        .exec(&["import", "-"]);
    assert!(out.stdout.contains("templates: false"), "{}", out.stdout);
    // A fence never closed is said.
    let out = Test::new()
        .stdin("# P\n\n```bash\nuptime\n\n## Next\n\ntext\n")
        .exec(&["import", "-"]);
    assert!(
        out.stderr
            .contains("3:1: guess: this fence is never closed"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_folder_keeps_to_its_own_files_and_never_writes_two_pages_to_one_file() {
    let t = Test::new()
        .file("pages/a.md", "# A\n\n```bash\nuptime\n```\n")
        .file("pages/more/b.md", "# B\n\n```bash\nuptime\n```\n");
    std::os::unix::fs::symlink("/etc/passwd", t.path("pages/passwd.md")).unwrap();
    let out = t.exec(&["import", "pages", "--out-dir", "out"]);
    out.code(0);
    assert!(out.stderr.contains("passwd.md: skipped"), "{}", out.stderr);
    // A sub-folder is said, not imported (found by an audit: skipped without a word).
    assert!(
        out.stderr.contains("more: skipped: a folder"),
        "{}",
        out.stderr
    );
    assert!(!t.path("out/b.yaml").exists());
    assert!(!t.path("out/passwd.yaml").exists());
    let t = Test::new()
        .file("pages/x.md", "# X\n\n```bash\nuptime\n```\n")
        .file("pages/x.MD", "# Y\n\n```bash\nuptime\n```\n");
    let out = t.exec(&["import", "pages", "--out-dir", "out"]);
    out.code(1);
    assert!(out.stderr.contains("would both become"), "{}", out.stderr);
    assert!(!t.path("out").exists() || std::fs::read_dir(t.path("out")).unwrap().count() == 0);
}

#[test]
fn variables_in_single_quotes_are_another_programs_text_not_inputs() {
    let t = Test::new().file(
        "disk.md",
        "# Disk\n\n```bash\ndf -h | awk '{print $NF}'\necho '$NOT_EXPANDED'\necho \"$TARGET_HOST\"\n```\n",
    );
    let out = t.exec(&["import", "disk.md"]);
    out.code(0);
    assert!(out.stdout.contains("  target_host:\n"), "{}", out.stdout);
    assert!(!out.stdout.contains("  nf:"), "{}", out.stdout);
    assert!(!out.stdout.contains("not_expanded"), "{}", out.stdout);
    assert!(out.stderr.contains(", 1 input, "), "{}", out.stderr);
}

#[test]
fn a_console_block_with_no_prompt_is_output_not_commands() {
    let t = Test::new().file(
        "full.md",
        "# Disk full\n\nThe alert looks like this:\n\n```console\nFilesystem      Size  Used Avail Use% Mounted on\n/dev/sda1        40G   39G  1.0G  98% /\n```\n\n```bash\ndf -h /\n```\n",
    );
    let out = t.exec(&["import", "full.md"]);
    out.code(0);
    assert!(!out.stdout.contains("run: \"Filesystem"), "{}", out.stdout);
    assert!(out.stdout.contains("run: \"df -h /\""), "{}", out.stdout);
    assert!(
        out.stderr.contains(
            "full.md:5:1: left as text: a console block with no prompt: shown as output, not run"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_variable_set_in_one_step_and_used_in_a_later_one_is_said_where_it_is_used() {
    let t = Test::new().file(
        "pod.md",
        "# Pod stuck\n\n## Find the pod\n\n```bash\nPOD=$(kubectl get pods -l app=api -o name | head -1)\necho \"$POD\"\n```\n\n## Look at it\n\n```bash\nkubectl describe \"$POD\"\n```\n",
    );
    let out = t.exec(&["import", "pod.md"]);
    out.code(0);
    // The commands stay as written; the step that needs it says where it comes from.
    assert!(
        out.stdout
            .contains("run: \"kubectl describe \\\"$POD\\\"\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains("pod.md:12:1: guess: `$POD` is set by step `")
            && out.stderr.contains("echo \"POD=$POD\" >> \"$RUNBOOK_ENV\""),
        "{}",
        out.stderr
    );
    assert!(!out.stdout.contains("inputs:"), "{}", out.stdout);
    // `--strict` makes it an error.
    t.exec(&["import", "pod.md", "--strict"]).code(1);
}

/// Alternatives inside an alternative ("Option A" with its own "If …" sections) are a decision
/// of their own, reached from the outer one's option; every branch joins again after the
/// outer alternatives.
#[test]
fn alternatives_inside_an_alternative_are_a_decision_of_their_own() {
    let page = root().join("testdata/import/disk-almost-full.md");
    let out = Test::new().exec(&["import", page.to_str().unwrap()]);
    out.code(0);
    let yaml = &out.stdout;
    assert!(
        yaml.contains(
            "        - label: \"Option A: free space\"\n          next: which-applies-2\n"
        ),
        "{yaml}"
    );
    assert!(
        yaml.contains("  - id: which-applies-2\n")
            && yaml.contains("        - label: \"If the journal is large\"\n")
            && yaml.contains("        - label: \"If old application logs are kept\"\n"),
        "{yaml}"
    );
    // Both inner branches, the inner "none of these applies" and the outer second one go
    // on to "Verify".
    let verify = yaml
        .lines()
        .find(|l| l.starts_with("  - id: ") && l.contains("df-h"))
        .unwrap()
        .trim_start_matches("  - id: ")
        .to_string();
    assert_eq!(
        yaml.matches(&format!("    next: {verify}\n")).count(),
        4,
        "{yaml}"
    );
    assert!(out.stderr.contains(", 2 decisions, "), "{}", out.stderr);
}

/// What an audit found the importer said wrong or not at all: a note about a block on the
/// step that holds it, a prompt's guess at the prompt's line, every danger of a step named,
/// commands typed in a root shell said to run after it, each command's output after it,
/// nested items on their own lines, and `export PAIR=<A>-<B>` carried to later steps.
#[test]
fn notes_say_what_and_where() {
    let page = "# Cache\n\n## Steps\n\n\
1. Output only:\n\n   ```console\n   NAME READY\n   ```\n\n\
2. On the host:\n\n   ```console\n   $ uptime\n    10:00 up\n   ops@web-1:~$ df -h\n   /dev/sda1 40G\n   ```\n\n\
3. Clean up:\n\n   ```bash\n   sudo reboot\n   git push --force origin main\n   ```\n\n\
4. As root:\n\n   ```console\n   $ sudo -i\n   # systemctl restart app\n   ```\n\n\
5. If the pod is stuck:\n   - look at it:\n\n     ```bash\n     kubectl describe pod api\n     ```\n\n   - restart it:\n\n     ```bash\n     kubectl rollout restart deploy/api\n     ```\n\n\
## Pair\n\n```bash\nexport PAIR=<A>-<B>\n```\n\n```bash\necho \"$PAIR\"\n```\n";
    let t = Test::new().file("p.md", page);
    let out = t.exec(&["import", "p.md"]);
    out.code(0);
    let yaml = &out.stdout;
    let step = |needle: &str| {
        yaml.split("  - id: ")
            .find(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle}:\n{yaml}"))
            .to_string()
    };
    // The block of item 1 is in the checklist step, and so is its note.
    let first = step("NAME READY");
    assert!(
        first.contains("p.md:7:4: left as text: a console block"),
        "{first}"
    );
    // The host's prompt is on line 16; each output follows its command.
    let host = step("df -h");
    assert!(
        host.contains("p.md:16:4: guess: the page's prompt shows this typed on `web-1`"),
        "{host}"
    );
    assert!(
        host.contains("Expected output of `uptime`:")
            && host.contains("Expected output of `df -h`:"),
        "{host}"
    );
    // Both dangers named.
    assert!(
        step("sudo reboot").contains("dangerous (reboot / shutdown; git push --force)"),
        "{yaml}"
    );
    // The root shell's line, said at its line and counted as a guess.
    assert!(
        out.stderr.contains(
            "p.md:31:4: guess: the page types the lines after `sudo -i` in the root shell"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("(1 dangerous, 1 interactive)"),
        "{}",
        out.stderr
    );
    // Nested items stay items.
    assert!(
        // (Bulleted sub-items with a block each are steps of their own: audit 18 A-13.)
        step("kubectl describe").contains("  - look at it:\n    run:")
            && yaml.contains("  - id: restart-it\n    title: \"restart it\"\n"),
        "{yaml}"
    );
    // The export reaches the step after it (through the runbook's `env:`: every walk passes
    // it).
    assert!(
        yaml.contains("\nenv:\n  PAIR: \"{{ inputs.a }}-{{ inputs.b }}\"\n"),
        "{yaml}"
    );
    // --strict refuses the guesses.
    t.exec(&["import", "--strict", "p.md"]).code(1);
    // And the draft lints.
    std::fs::write(t.path("p.yaml"), yaml).unwrap();
    t.exec(&["lint", "--no-shellcheck", "p.yaml"]).code(0);
}

/// A second audit's findings on ordinary pages: a placeholder named like a variable that
/// changes every command (`<PATH>`) is not given that name; `# ` lines of a console block
/// read as root's prompt are said; `<pod name>` is said, not left silent; "If X, nothing to
/// do. Else, …" leads to the command from the "Else"; a Helm template in the text of a step
/// whose command has inputs is escaped, so the draft lints; a value in GitLab's psql is SQL;
/// `ssh HOST` alone makes its step interactive (its template read as one word).
#[test]
fn an_audits_ordinary_pages_import_honestly() {
    let page = "# Audit\n\n## Inspect\n\n```bash\ndocker inspect --format '{{.State.Status}}' <CONTAINER>\ndocker exec <CONTAINER> ls <PATH>\n```\n\n\
## Comments\n\n```console\n# check disk usage\n# du -sh /var/lib/app\n```\n\n\
## Loose\n\n```bash\nkubectl get pod <pod name> -n prod\n```\n\n\
## Cleanup\n\nIf the old leader came back as a replica, nothing to do. Else, reinitialise it:\n\n```bash\npatronictl reinit pg <OLD_LEADER> --force\n```\n\n\
## Helm\n\nCheck that `{{ .Values.image.tag }}` is set:\n\n```bash\nhelm get values <RELEASE>\n```\n\n\
## Locks\n\n```bash\nsudo gitlab-psql -c \"SELECT pg_terminate_backend(<PID>);\"\n```\n\n\
## Login\n\n```bash\nssh <PRIMARY_HOST>\n```\n";
    let t = Test::new().file("a.md", page);
    let out = t.exec(&["import", "a.md", "-o", "a.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("a.yaml")).unwrap();
    let step = |needle: &str| {
        yaml.split("  - id: ")
            .find(|s| s.contains(needle))
            .unwrap_or_else(|| panic!("no step with {needle}:\n{yaml}"))
            .to_string()
    };
    assert!(
        step("docker exec").contains("PAGE_PATH: \"{{ inputs.path }}\""),
        "{yaml}"
    );
    assert!(!yaml.contains("\n      PATH:"), "{yaml}");
    assert!(
        out.stderr
            .contains("a.md:13:1: guess: `# ` read as root's prompt"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("guess: `<pod name>` reads as a placeholder"),
        "{}",
        out.stderr
    );
    assert!(
        yaml.contains("- label: \"Otherwise: reinitialise it\"")
            && yaml
                .contains("- label: \"If the old leader came back as a replica: nothing to do\""),
        "{yaml}"
    );
    assert!(
        step("helm get values").contains("{{ '{{' }} .Values.image.tag }}"),
        "{yaml}"
    );
    assert!(step("gitlab-psql").contains("<PID>"), "{yaml}");
    assert!(step("gitlab-psql").contains("dangerous: true"), "{yaml}");
    assert!(
        step("ssh {{ inputs.primary_host }}").contains("interactive: true"),
        "{yaml}"
    );
    t.exec(&["lint", "--no-shellcheck", "a.yaml"]).code(0);
    // A credential the page uses and never sets is a secret input, given in the environment.
    let t2 = Test::new().file(
        "tok.md",
        "# T\n\n```bash\ncurl --header \"PRIVATE-TOKEN: $GITLAB_TOKEN\" https://gitlab.example/api\n```\n",
    );
    let tok = t2.exec(&["import", "tok.md"]);
    tok.code(0);
    assert!(
        tok.stdout
            .contains("    secret: true\n    env: GITLAB_TOKEN\n")
            && !tok.stdout.contains("GITLAB_TOKEN: \"{{"),
        "{}",
        tok.stdout
    );
    t.exec(&[
        "run",
        "a.yaml",
        "--dry-run",
        "--yes",
        "--input",
        "container=c",
        "--input",
        "path=/tmp",
        "--input",
        "release=r",
        "--input",
        "primary_host=db-1",
    ])
    .code(0);
}

/// Audit 14j: MkDocs tabs are a decision and their fences stay fences (J6); a heading over
/// one block names its step (J1); "Scenario A/B" sections are alternatives (J13).
#[test]
fn tabs_admonitions_and_labelled_sections_read_as_the_page_shows_them() {
    let page = root().join("testdata/import/registry-disk-full.md");
    let out = Test::new().exec(&["import", page.to_str().unwrap()]);
    out.code(0);
    let yaml = &out.stdout;
    assert!(!yaml.contains("```"), "{yaml}");
    assert!(
        yaml.contains("        - label: \"Omnibus\"\n          next: collect-the-garbage-omnibus\n        - label: \"Helm chart\"\n          next: collect-the-garbage-helm-chart\n"),
        "{yaml}"
    );
    assert!(yaml.contains("  - id: delete-the-old-tags\n"), "{yaml}");
    assert!(
        yaml.contains("        - label: \"Scenario A – the disk filled in a day\"\n"),
        "{yaml}"
    );
    assert!(yaml.contains("> **Danger** Read first"), "{yaml}");
}

/// Audit 14j: `kubectl -n NS exec -it … -- bash` opens a shell (J4); a continuation's `> `
/// prompt is no redirection (J7); PowerShell is not run by bash (J12).
#[test]
fn global_options_continuation_prompts_and_powershell() {
    let t = Test::new().file(
        "p.md",
        "# P\n\n## Open a shell\n\n```bash\nkubectl -n db exec -it pg-0 -- bash\ndf -h\n```\n\n## List\n\n```console\n$ kubectl -n prod get pods \\\n>   -l app=api\nNAME READY\n```\n\n## Restart the pool\n\n```\nPS C:\\> Restart-WebAppPool -Name Shop\n```\n",
    );
    let out = t.exec(&["import", "p.md"]);
    out.code(0);
    assert!(out.stdout.contains("interactive: true"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("`kubectl -n db exec -it pg-0 -- bash` opens a shell"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("kubectl -n prod get pods \\\n        -l app=api"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("Restart-WebAppPool -Name Shop\"\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(
            "left as text: an untagged block, to type at the `PS C:\\>` prompt (PowerShell)"
        ),
        "{}",
        out.stderr
    );
}

/// Audit 14j J2: a Confluence export's HTML blocks (its warning, table, `<h3>` step and
/// `<pre>` command) are kept as the text they show, listed, never run.
#[test]
fn html_blocks_are_kept_as_the_text_they_show() {
    let t = Test::new().file(
        "c.md",
        "# Failover\n\n<div class=\"confluence-information-macro\">\n<p>Only the on-call lead may run this.</p>\n</div>\n\n## Procedure\n\n<h3>Step 1: Check the standby</h3>\n\n<pre class=\"code\">\ncurl -fsS https://standby/healthz\n</pre>\n\n### Step 2: Freeze deploys\n\n```bash\necho freeze\n```\n",
    );
    let out = t.exec(&["import", "c.md", "-o", "c.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("c.yaml")).unwrap();
    assert!(
        yaml.contains("Only the on-call lead may run this."),
        "{yaml}"
    );
    assert!(yaml.contains("**Step 1: Check the standby**"), "{yaml}");
    assert!(
        yaml.contains("      ```\n      curl -fsS https://standby/healthz\n      ```"),
        "{yaml}"
    );
    assert!(!yaml.contains("run: \"curl"), "{yaml}");
    assert!(
        out.stderr.contains(
            "c.md:11:1: left as text: HTML kept as the text it shows: <pre class=\"code\">"
        ),
        "{}",
        out.stderr
    );
    t.exec(&["lint", "c.yaml"]).code(0);
}

/// Audit 14k K1: a numbered item whose less-indented block is output (a `console` block with
/// no prompt), then a paragraph, then another item: no panic, a runbook.
#[test]
fn an_item_whose_block_is_output_then_prose_imports() {
    let t = Test::new().file(
        "l.md",
        "# Restart nginx\n\n## Steps\n\n1. Look at the error log. You should see something like:\n\n  ```console\n  bind() to 0.0.0.0:80 failed (98: Address already in use)\n  ```\n\n  That means another process holds the port.\n\n2. Restart:\n\n   ```bash\n   sudo systemctl restart nginx\n   ```\n\n10. Check it:\n\n  ```console\n  active (running)\n  ```\n\n11. Done.\n",
    );
    let out = t.exec(&["import", "l.md", "-o", "l.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("l.yaml")).unwrap();
    assert!(
        yaml.contains("run: \"sudo systemctl restart nginx\""),
        "{yaml}"
    );
    t.exec(&["lint", "l.yaml"]).code(0);
}

/// Audit 14k K2/K3: Docusaurus' tabs are a decision; an untagged block after "In psql:" is
/// typed in psql, not run.
#[test]
fn docusaurus_tabs_and_blocks_named_for_another_program() {
    let t = Test::new().file(
        "d.md",
        "# Restart the API\n\n## Restart\n\n<Tabs>\n<TabItem value=\"vm\" label=\"On a VM\">\n\n```bash\nsudo systemctl restart api\n```\n\n</TabItem>\n<TabItem value=\"docker\" label=\"Docker\">\n\n```bash\ndocker restart api\n```\n\n</TabItem>\n</Tabs>\n\n## Check the sessions\n\nIn psql:\n\n```\nSELECT count(*) FROM sessions;\n```\n",
    );
    let out = t.exec(&["import", "d.md", "-o", "d.yaml"]);
    out.code(0);
    let yaml = std::fs::read_to_string(t.path("d.yaml")).unwrap();
    assert!(
        yaml.contains("        - label: \"On a VM\"\n")
            && yaml.contains("        - label: \"Docker\"\n"),
        "{yaml}"
    );
    assert!(!yaml.contains("run: \"SELECT"), "{yaml}");
    assert!(
        out.stderr.contains("d.md:26:1: left as text: an untagged block, to type in psql, as the page says before it"),
        "{}",
        out.stderr
    );
    t.exec(&["lint", "d.yaml"]).code(0);
}
