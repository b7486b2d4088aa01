//! The bodies of a script's here-documents, quoted or not, are the document's text, never
//! commands of the script: a `KEY=value` or `export KEY=value` line there sets nothing (an
//! audit, I41-11, found them made inputs and the runbook's `env:`, and a quoted body's
//! placeholder templated). [`masked`] blanks them out for the readers of assignments.

use std::borrow::Cow;

/// `script` with the bodies of its here-documents blanked (each byte a space, new lines
/// kept): the same length and lines, so that what is found in it stands at the same place
/// in `script`.
pub(super) fn masked(script: &str) -> Cow<'_, str> {
    if !script.contains("<<") {
        return Cow::Borrowed(script);
    }
    let mut bodies: Vec<std::ops::Range<usize>> = crate::shell::words::every_command(script)
        .into_iter()
        .flat_map(|c| c.heredocs.into_iter().map(|h| h.body))
        .filter(|b| b.start < b.end && b.end <= script.len())
        .collect();
    if bodies.is_empty() {
        return Cow::Borrowed(script);
    }
    bodies.sort_by_key(|b| b.start);
    let mut out = String::with_capacity(script.len());
    let mut at = 0;
    for body in bodies {
        let start = body.start.max(at);
        if start >= body.end
            || !script.is_char_boundary(start)
            || !script.is_char_boundary(body.end)
        {
            continue;
        }
        out.push_str(&script[at..start]);
        out.extend(script[start..body.end].chars().flat_map(|c| {
            let blank = if c == '\n' { '\n' } else { ' ' };
            std::iter::repeat_n(blank, if c == '\n' { 1 } else { c.len_utf8() })
        }));
        at = body.end;
    }
    out.push_str(&script[at..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn here_document_bodies_are_blanked_in_place() {
        let script = "cat > app.env <<EOF\nDB_HOST=db-02\nexport X=é\nEOF\nexport NS=prod\n";
        let out = masked(script);
        assert_eq!(out.len(), script.len());
        assert_eq!(
            out,
            "cat > app.env <<EOF\n             \n           \nEOF\nexport NS=prod\n"
        );
        let quoted = "sudo tee /etc/p.sh <<'EOF'\nexport HTTP_PROXY=http://p:3128\nEOF\n";
        assert!(!masked(quoted).contains("HTTP_PROXY"));
        // Two documents of one command, one never closed.
        let two = "cat <<A <<-B\nK=1\nA\n\tL=2\n\tB\ncat <<C\nM=3";
        let out = masked(two);
        assert!(
            !out.contains("K=1") && !out.contains("L=2") && !out.contains("M=3"),
            "{out}"
        );
    }

    #[test]
    fn a_script_without_here_documents_is_kept() {
        for script in [
            "export NS=prod\n",
            "cat <<< \"$X\"\nY=1\n",
            "echo $((1 << 2))\nZ=1",
        ] {
            assert_eq!(masked(script), script);
        }
    }
}
