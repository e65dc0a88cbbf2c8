//! The HTML part of citizens' mails: one column that reads at 320 px and in dark mode, the
//! facts as a list, the manage link as a button, and the check-in QR code. Mail programs
//! drop `<style>` in places and ignore most CSS, so the layout is a table with inline
//! styles and the dark-mode colours are the one thing left to the stylesheet.

use crate::html::escape;

/// What one mail says, in the citizen's language.
pub struct MailView {
    pub lang: &'static str,
    pub title: String,
    pub lead: String,
    /// Label and value, one row each.
    pub facts: Vec<(String, String)>,
    /// A link under the facts: the address on a map.
    pub map: Option<(String, String)>,
    /// The main action: its label and link.
    pub button: Option<(String, String)>,
    /// The check-in QR code: its Content-ID, its text alternative and a caption.
    pub code: Option<(&'static str, String, String)>,
    /// Closing lines: greeting, sender, how to ask.
    pub closing: Vec<String>,
}

const STYLE: &str = "\
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  body, .page { background: #1a1a1a !important; color: #f2f2f2 !important; }
  .card { background: #262626 !important; color: #f2f2f2 !important; }
  a { color: #9fc5ff !important; }
  .button { background: #9fc5ff !important; color: #111111 !important; }
}";

pub fn render(view: &MailView) -> String {
    let mut rows = String::new();
    for (label, value) in &view.facts {
        rows.push_str(&format!(
            "<tr><td style=\"padding:4px 0;font-weight:600;vertical-align:top\">{}</td></tr>\
             <tr><td style=\"padding:0 0 12px 0\">{}</td></tr>",
            escape(label),
            escape(value)
        ));
    }
    let map = view.map.as_ref().map_or_else(String::new, |(label, link)| {
        format!(
            "<p style=\"margin:0 0 16px 0\"><a href=\"{}\" style=\"color:#004b87\">{}</a></p>",
            escape(link),
            escape(label)
        )
    });
    let button = view.button.as_ref().map_or_else(String::new, |(label, link)| {
        format!(
            "<p style=\"margin:24px 0\"><a class=\"button\" href=\"{}\" style=\"display:inline-block;\
             background:#004b87;color:#ffffff;text-decoration:none;font-weight:600;\
             padding:14px 24px;border-radius:4px;min-height:20px\">{}</a></p>",
            escape(link),
            escape(label)
        )
    });
    let code = view.code.as_ref().map_or_else(String::new, |(cid, alt, caption)| {
        format!(
            "<p style=\"margin:24px 0 8px 0\"><img src=\"cid:{cid}\" alt=\"{}\" width=\"200\" \
             height=\"200\" style=\"display:block;max-width:100%;height:auto;background:#ffffff\"></p>\
             <p style=\"margin:0 0 16px 0\">{}</p>",
            escape(alt),
            escape(caption)
        )
    });
    let closing: Vec<String> = view.closing.iter().map(|line| escape(line)).collect();
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\">\
         <meta name=\"supported-color-schemes\" content=\"light dark\">\
         <title>{title}</title><style>{STYLE}</style></head>\
         <body class=\"page\" style=\"margin:0;padding:0;background:#f5f5f5;color:#1a1a1a;\
         font-family:'IBM Plex Sans',Arial,sans-serif;font-size:16px;line-height:1.5\">\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"border-collapse:collapse\"><tr><td align=\"center\" style=\"padding:16px 8px\">\
         <table role=\"presentation\" class=\"card\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" \
         style=\"max-width:600px;border-collapse:collapse;background:#ffffff\">\
         <tr><td style=\"padding:24px 16px;word-break:break-word\">\
         <h1 style=\"font-size:24px;line-height:1.25;margin:0 0 16px 0\">{lead}</h1>\
         <table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">{rows}</table>\
         {map}{button}{code}<p style=\"margin:24px 0 0 0\">{closing}</p>\
         </td></tr></table></td></tr></table></body></html>",
        lang = escape(view.lang),
        title = escape(&view.title),
        lead = escape(&view.lead),
        closing = closing.join("<br>"),
    )
}
