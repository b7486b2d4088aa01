//! A report as JSON: the same content as the Markdown, structured. With `--postmortem`, the
//! seeded five whys and action items are added under `postmortem`.

use super::postmortem::Seeds;
use super::timeline::Report;
use serde::Serialize;

#[derive(Serialize)]
struct Document<'a> {
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    postmortem: Option<Seeds>,
}

/// Pretty-printed JSON, ending with a newline.
pub fn render(report: &Report, postmortem: bool) -> Result<String, serde_json::Error> {
    let document = Document {
        report,
        postmortem: postmortem.then(|| super::postmortem::seeds(report)),
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}
