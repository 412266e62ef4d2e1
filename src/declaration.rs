//! The cookie declaration (COMPLIANCE.md R8) as rows, and as HTML or
//! Markdown for a privacy-policy page.
//!
//! One view model serves the banner's preferences layer, the
//! `data-consent-guard="cookie-table"` element and the CLI's `table` command,
//! so all three always show the same columns for the same entries. Every cell
//! is plain text; the renderers here escape it for their format.

use crate::table::texts::TextKey;
use crate::table::{CategoryId, StorageKind, Table};

/// The columns, in order.
pub const COLUMNS: [TextKey; 7] = [
    TextKey::TableName,
    TextKey::TableProvider,
    TextKey::TableParty,
    TextKey::TablePurpose,
    TextKey::TableCategory,
    TextKey::TableDuration,
    TextKey::TableJustification,
];

/// One declared cookie or storage key, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row<'t> {
    /// The category it belongs to.
    pub category_id: CategoryId,
    /// Name or pattern, with the storage kind for non-cookies
    /// ("ad_seen (localStorage)").
    pub name: String,
    /// The company responsible.
    pub provider: &'t str,
    /// "First party" / "Third party" in the chosen language.
    pub party: &'t str,
    /// What it is for.
    pub purpose: &'t str,
    /// The category's title.
    pub category: &'t str,
    /// How long it lasts.
    pub duration: &'t str,
    /// Why it is necessary (strictly-necessary only; empty otherwise).
    pub justification: &'t str,
}

impl Row<'_> {
    /// The cells in [`COLUMNS`] order.
    pub fn cells(&self) -> [&str; 7] {
        [
            &self.name,
            self.provider,
            self.party,
            self.purpose,
            self.category,
            self.duration,
            self.justification,
        ]
    }
}

/// Every declared item in `lang`, grouped by category in the table's order.
pub fn rows<'t>(table: &'t Table, lang: &str) -> Vec<Row<'t>> {
    let fallback = table.default_language.as_str();
    let this_site = table.text(lang, TextKey::ThisSite);
    let mut rows = Vec::new();
    for category in table.category_ids() {
        for rule in table.cookies.iter().filter(|r| r.category == category) {
            let name = match rule.storage {
                StorageKind::Cookie => rule.name.to_string(),
                other => format!("{} ({})", rule.name, other.as_str()),
            };
            let party = match rule.party {
                crate::table::Party::First => table.text(lang, TextKey::FirstParty),
                crate::table::Party::Third => table.text(lang, TextKey::ThirdParty),
            };
            rows.push(Row {
                category_id: category,
                name,
                provider: rule.provider(table, this_site),
                party,
                purpose: rule.purpose.get(lang, fallback),
                category: table.category_title(lang, category),
                duration: rule.duration.get(lang, fallback),
                justification: rule.justification.as_ref().map_or("", |j| j.get(lang, fallback)),
            });
        }
    }
    rows
}

/// The column headers in `lang`.
pub fn headers<'t>(table: &'t Table, lang: &str) -> [&'t str; 7] {
    COLUMNS.map(|key| table.text(lang, key))
}

/// An HTML `<table>` with a header row, every cell escaped.
pub fn to_html(table: &Table, lang: &str) -> String {
    let mut out = String::from("<table class=\"consent-guard-declaration\">\n  <thead>\n    <tr>");
    for header in headers(table, lang) {
        out.push_str("<th scope=\"col\">");
        escape_html(&mut out, header);
        out.push_str("</th>");
    }
    out.push_str("</tr>\n  </thead>\n  <tbody>\n");
    for row in rows(table, lang) {
        out.push_str("    <tr>");
        for (i, cell) in row.cells().into_iter().enumerate() {
            out.push_str(if i == 0 { "<th scope=\"row\">" } else { "<td>" });
            escape_html(&mut out, cell);
            out.push_str(if i == 0 { "</th>" } else { "</td>" });
        }
        out.push_str("</tr>\n");
    }
    out.push_str("  </tbody>\n</table>\n");
    out
}

/// A Markdown (GitHub-flavoured) table, every cell escaped.
pub fn to_markdown(table: &Table, lang: &str) -> String {
    let mut out = String::from("|");
    for header in headers(table, lang) {
        out.push(' ');
        escape_markdown(&mut out, header);
        out.push_str(" |");
    }
    out.push_str("\n|");
    out.push_str(&" --- |".repeat(COLUMNS.len()));
    out.push('\n');
    for row in rows(table, lang) {
        out.push('|');
        for cell in row.cells() {
            out.push(' ');
            escape_markdown(&mut out, cell);
            out.push_str(" |");
        }
        out.push('\n');
    }
    out
}

fn escape_html(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Escape everything Markdown could read as markup or as a cell boundary
/// (cookie names such as `__utma` would otherwise turn bold).
fn escape_markdown(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '|' => out.push_str("\\|"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse;

    const TABLE: &str = r#"{
      "revision": 1,
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
      "services": [{"id": "yt", "name": "YouTube", "provider": "Google <Ireland>", "category": "advertising", "hosts": ["youtube.com"]}],
      "cookies": [
        {"name": "YSC", "service": "yt", "party": "third", "purpose": "Video | session", "duration": {"en": "Session", "fr": "Session (fr)"}},
        {"name": "__utma", "category": "analytics", "provider": "Google", "party": "first", "purpose": "Counts *visits*", "duration": "2 years"},
        {"name": "sid", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Logs you in"},
        {"name": "seen", "storage": "localStorage", "category": "analytics", "provider": "Us", "party": "first", "purpose": "p", "duration": "d"}
      ],
      "texts": {"fr": {"tableName": "Nom", "thisSite": "Ce site", "thirdParty": "Tiers"}}
    }"#;

    #[test]
    fn rows_are_grouped_by_category_and_fill_every_column() {
        let table = parse(TABLE).unwrap();
        let rows = rows(&table, "en");
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["sid", "__utma", "seen (localStorage)", "YSC"]);
        assert_eq!(
            rows[0].cells(),
            [
                "sid",
                "This site",
                "First party",
                "Session",
                "Strictly necessary",
                "Session",
                "Logs you in"
            ]
        );
        assert_eq!(rows[3].provider, "Google <Ireland>");
        assert_eq!(rows[3].party, "Third party");
        assert_eq!(rows[3].category, "Advertising");
        for row in &rows {
            for (i, cell) in row.cells().iter().enumerate().take(6) {
                assert!(!cell.is_empty(), "{} column {i}", row.name);
            }
        }
    }

    #[test]
    fn rows_follow_the_language() {
        let table = parse(TABLE).unwrap();
        let rows = rows(&table, "fr");
        assert_eq!(rows[0].provider, "Ce site");
        assert_eq!(rows[3].duration, "Session (fr)");
        assert_eq!(rows[3].party, "Tiers");
        assert_eq!(headers(&table, "fr")[0], "Nom");
        assert_eq!(headers(&table, "fr")[1], "Provider");
    }

    #[test]
    fn html_escapes_every_cell() {
        let html = to_html(&parse(TABLE).unwrap(), "en");
        assert!(html.contains("<th scope=\"col\">Why it is necessary</th>"), "{html}");
        assert!(html.contains("<td>Google &lt;Ireland&gt;</td>"), "{html}");
        assert!(!html.contains("<Ireland>"));
        assert_eq!(html.matches("<tr>").count(), 5);
    }

    #[test]
    fn markdown_escapes_markup_and_pipes() {
        let md = to_markdown(&parse(TABLE).unwrap(), "en");
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(lines[1], "| --- | --- | --- | --- | --- | --- | --- |");
        assert!(md.contains("\\_\\_utma"), "{md}");
        assert!(md.contains("Counts \\*visits\\*"), "{md}");
        assert!(md.contains("Video \\| session"), "{md}");
        // Every row has the same number of unescaped cell boundaries.
        for line in &lines {
            let boundaries = line.replace("\\|", "").matches('|').count();
            assert_eq!(boundaries, 8, "{line}");
        }
    }
}
