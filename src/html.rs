//! Text made safe to stand in HTML, for the pages and mails written without a template
//! (the plan's chart and tables, the what-if table, the mails' HTML part).

/// `text` with the characters that HTML reads as markup written as entities; safe in
/// element content and in double-quoted attributes.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
