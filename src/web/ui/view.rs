//! The UI's pure view model: which strings, toggles, columns and rows the
//! dialog, the page table and the placeholders show. No web-sys here, so it
//! is tested natively (`tests/web_ui_view.rs` compiles this file on the
//! host, where `src/web/` does not exist).
//!
//! Everything returned is plain text for text nodes. Names a table gives
//! (services, providers, categories) that end up inside a sentence are
//! wrapped in Unicode isolates, so a bidi override in one cannot reorder the
//! rest of the sentence.

use crate::decide::Grants;
use crate::declaration::{self, Row};
use crate::table::texts::{fill, TextKey};
use crate::table::{is_safe_url, CategoryId, ServiceId, Table};

/// FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: the text between them
/// is laid out on its own, and the PDI ends any embedding or override the
/// text opened (UAX #9).
pub fn isolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push('\u{2068}');
    out.push_str(text);
    out.push('\u{2069}');
    out
}

/// The names of the table's services, in table order, each once.
pub fn third_parties(table: &Table) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for service in &table.services {
        let name = service.name.trim();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// "Third parties: A, B." for the first layer, or `None` without services.
pub fn services_line(table: &Table, lang: &str) -> Option<String> {
    let names = third_parties(table);
    if names.is_empty() {
        return None;
    }
    let mut line = String::from(table.text(lang, TextKey::ServicesIntro));
    for (i, name) in names.iter().enumerate() {
        line.push_str(if i == 0 { " " } else { ", " });
        line.push_str(&isolate(name));
    }
    Some(line)
}

/// A URL the UI may put into `href`: the table parser already refused the
/// others; checked again so no other path can bring one in.
pub fn safe_url(url: Option<&str>) -> Option<&str> {
    url.map(str::trim).filter(|u| is_safe_url(u))
}

/// One category's switch in the preferences layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toggle {
    /// The category.
    pub id: CategoryId,
    /// Shown on.
    pub checked: bool,
    /// Strictly necessary: on, and cannot be changed.
    pub locked: bool,
}

/// Every category's switch (R4): strictly-necessary on and locked; the
/// others on only when the visitor has a stored choice that grants them.
pub fn toggles(table: &Table, grants: &Grants, has_choice: bool) -> Vec<Toggle> {
    let necessary = table.necessary();
    table
        .category_ids()
        .map(|id| {
            let locked = id == necessary;
            Toggle { id, checked: locked || (has_choice && grants.has(id)), locked }
        })
        .collect()
}

/// Columns (indices into [`declaration::COLUMNS`]) of a category's table in
/// the preferences: the category itself is the section, so no category
/// column; the justification only for strictly-necessary.
pub fn category_columns(necessary: bool) -> &'static [usize] {
    if necessary {
        &[0, 1, 2, 3, 5, 6]
    } else {
        &[0, 1, 2, 3, 5]
    }
}

/// Headers and rows of the declaration for one category.
pub fn category_table<'r>(
    table: &'r Table,
    lang: &str,
    rows: &'r [Row<'r>],
    id: CategoryId,
) -> (Vec<&'r str>, Vec<Vec<&'r str>>) {
    let columns = category_columns(id == table.necessary());
    let headers = declaration::headers(table, lang);
    let heads = columns.iter().filter_map(|&c| headers.get(c).copied()).collect();
    let cells = rows
        .iter()
        .filter(|r| r.category_id == id)
        .map(|r| {
            let cells = r.cells();
            columns.iter().filter_map(|&c| cells.get(c).copied()).collect()
        })
        .collect();
    (heads, cells)
}

/// Headers and rows of the full declaration (the page's cookie table).
pub fn full_table<'r>(
    table: &'r Table,
    lang: &str,
    rows: &'r [Row<'r>],
) -> (Vec<&'r str>, Vec<Vec<&'r str>>) {
    let heads = declaration::headers(table, lang).to_vec();
    let cells = rows.iter().map(|r| r.cells().to_vec()).collect();
    (heads, cells)
}

/// What a placeholder for a held embed says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'t> {
    /// "YouTube content is blocked".
    pub title: String,
    /// What showing it would do; `None` when no service is known.
    pub text: Option<String>,
    /// The service's provider, when a service is known.
    pub provider: Option<&'t str>,
    /// The service's privacy policy, when set and safe.
    pub policy: Option<&'t str>,
    /// The category the content needs and its title.
    pub category: Option<(CategoryId, &'t str)>,
    /// "Allow Advertising cookies", unless the category is strictly
    /// necessary (then there is nothing to allow).
    pub allow: Option<String>,
}

/// The placeholder's texts, or `None` when neither a service nor a category
/// is known (there is nothing to name).
pub fn placeholder<'t>(
    table: &'t Table,
    lang: &str,
    service: Option<ServiceId>,
    category: Option<CategoryId>,
) -> Option<Placeholder<'t>> {
    let service = service.and_then(|s| table.service(s));
    let category = category.or(service.map(|s| s.category));
    if service.is_none() && category.is_none() {
        return None;
    }
    let category_title = category.map(|c| table.category_title(lang, c));
    let category_fill = isolate(category_title.unwrap_or_default());
    let (title, text) = match service {
        Some(s) => {
            let name = isolate(&s.name);
            let title = fill(table.text(lang, TextKey::PlaceholderTitle), &name, &category_fill);
            let text = fill(table.text(lang, TextKey::PlaceholderText), &name, &category_fill);
            (title, Some(text))
        }
        // No service: the category names the content ("Analytics content
        // is blocked"); the sentence about a service would not read.
        None => (fill(table.text(lang, TextKey::PlaceholderTitle), &category_fill, ""), None),
    };
    let allow = category
        .filter(|c| *c != table.necessary())
        .map(|_| fill(table.text(lang, TextKey::AllowCategory), "", &category_fill));
    Some(Placeholder {
        title,
        text,
        provider: service.map(|s| s.provider.as_str()),
        policy: service.and_then(|s| safe_url(s.privacy_policy.as_deref())),
        category: category.zip(category_title),
        allow,
    })
}

/// How long a status message stays visible: long enough to read it
/// (about 15 characters a second, at least 6 s, at most 30 s). Only the
/// message goes; nothing is decided when it does.
pub fn notice_millis(chars: usize) -> i32 {
    let ms = 6_000usize.saturating_add(chars.saturating_mul(66));
    i32::try_from(ms.min(30_000)).unwrap_or(30_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse;

    const TABLE: &str = r#"{
      "revision": 1,
      "policyUrl": "/privacy",
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
      "services": [
        {"id": "ga", "name": "Google Analytics", "provider": "Google", "category": "analytics", "hosts": ["google-analytics.com"]},
        {"id": "yt", "name": "YouTube", "provider": "Google", "category": "advertising", "hosts": ["youtube.com"], "privacyPolicy": "https://policies.google.com/privacy"},
        {"id": "yt2", "name": "YouTube", "provider": "Google", "category": "advertising", "hosts": ["ytimg.com"]}
      ],
      "cookies": [
        {"name": "sid", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Logs you in"},
        {"name": "__utma", "service": "ga", "party": "first", "purpose": "Visits", "duration": "2 years"},
        {"name": "YSC", "service": "yt", "party": "third", "purpose": "Video", "duration": "Session"}
      ],
      "texts": {"fr": {"servicesIntro": "Tiers :", "allowCategory": "Autoriser {category}"}}
    }"#;

    fn table() -> Table {
        parse(TABLE).unwrap()
    }

    fn strip(s: &str) -> String {
        s.replace(['\u{2068}', '\u{2069}'], "")
    }

    #[test]
    fn third_parties_are_deduplicated_in_table_order() {
        assert_eq!(third_parties(&table()), ["Google Analytics", "YouTube"]);
        let line = services_line(&table(), "en").unwrap();
        assert_eq!(strip(&line), "Third parties: Google Analytics, YouTube");
        assert_eq!(
            strip(&services_line(&table(), "fr").unwrap()),
            "Tiers : Google Analytics, YouTube"
        );
    }

    #[test]
    fn no_services_no_line() {
        let mut t = table();
        t.services.clear();
        assert_eq!(services_line(&t, "en"), None);
    }

    #[test]
    fn names_are_isolated_so_an_override_cannot_leak() {
        let mut t = table();
        t.services[0].name = "evil\u{202E}txt".to_string();
        let line = services_line(&t, "en").unwrap();
        assert!(line.contains("\u{2068}evil\u{202E}txt\u{2069}"), "{line:?}");
        assert_eq!(isolate("a"), "\u{2068}a\u{2069}");
    }

    #[test]
    fn only_safe_urls_become_links() {
        assert_eq!(safe_url(Some("/privacy")), Some("/privacy"));
        assert_eq!(safe_url(Some(" https://x.test/p ")), Some("https://x.test/p"));
        assert_eq!(safe_url(Some("javascript:alert(1)")), None);
        assert_eq!(safe_url(Some("JavaScript:alert(1)")), None);
        assert_eq!(safe_url(Some("data:text/html,x")), None);
        assert_eq!(safe_url(None), None);
    }

    #[test]
    fn toggles_start_off_without_a_choice() {
        let t = table();
        let all = Grants::all(&t);
        let states: Vec<(bool, bool)> =
            toggles(&t, &all, false).iter().map(|g| (g.checked, g.locked)).collect();
        // Even if grants say otherwise, no stored choice means off (R4).
        assert_eq!(states, [(true, true), (false, false), (false, false)]);
    }

    #[test]
    fn toggles_show_the_stored_choice() {
        let t = table();
        let mut grants = Grants::necessary_only(&t);
        grants.set(t.category_id("advertising").unwrap(), true);
        let checked: Vec<bool> = toggles(&t, &grants, true).iter().map(|g| g.checked).collect();
        assert_eq!(checked, [true, false, true]);
    }

    #[test]
    fn category_tables_hold_their_rows_and_the_right_columns() {
        let t = table();
        let rows = declaration::rows(&t, "en");
        let (heads, cells) = category_table(&t, "en", &rows, t.necessary());
        assert_eq!(
            heads,
            ["Name", "Provider", "Party", "Purpose", "Duration", "Why it is necessary"]
        );
        assert_eq!(
            cells,
            [["sid", "This site", "First party", "Session", "Session", "Logs you in"]]
        );
        let analytics = t.category_id("analytics").unwrap();
        let (heads, cells) = category_table(&t, "en", &rows, analytics);
        assert_eq!(heads, ["Name", "Provider", "Party", "Purpose", "Duration"]);
        assert_eq!(cells, [["__utma", "Google", "First party", "Visits", "2 years"]]);
    }

    #[test]
    fn a_category_without_cookies_has_no_rows() {
        let mut t = table();
        let advertising = t.category_id("advertising").unwrap();
        t.cookies.retain(|c| c.category != advertising);
        let rows = declaration::rows(&t, "en");
        let (_, cells) = category_table(&t, "en", &rows, advertising);
        assert!(cells.is_empty());
    }

    #[test]
    fn the_full_table_has_every_column_for_every_row() {
        let t = table();
        let rows = declaration::rows(&t, "en");
        let (heads, cells) = full_table(&t, "en", &rows);
        assert_eq!(heads.len(), declaration::COLUMNS.len());
        assert_eq!(cells.len(), 3);
        assert!(cells.iter().all(|r| r.len() == heads.len()));
    }

    #[test]
    fn placeholder_names_service_provider_and_category() {
        let t = table();
        let yt = t.service_id("yt");
        let p = placeholder(&t, "en", yt, None).unwrap();
        assert_eq!(strip(&p.title), "YouTube content is blocked");
        assert_eq!(
            strip(p.text.as_deref().unwrap()),
            "Showing it would let YouTube set Advertising cookies, which you have not allowed."
        );
        assert_eq!(p.provider, Some("Google"));
        assert_eq!(p.policy, Some("https://policies.google.com/privacy"));
        assert_eq!(p.category, Some((t.category_id("advertising").unwrap(), "Advertising")));
        assert_eq!(strip(p.allow.as_deref().unwrap()), "Allow Advertising cookies");
        let fr = placeholder(&t, "fr", yt, None).unwrap();
        assert_eq!(strip(fr.allow.as_deref().unwrap()), "Autoriser Advertising");
    }

    #[test]
    fn placeholder_by_category_alone() {
        let t = table();
        let p = placeholder(&t, "en", None, t.category_id("analytics")).unwrap();
        assert_eq!(strip(&p.title), "Analytics content is blocked");
        assert_eq!((p.text, p.provider, p.policy), (None, None, None));
        assert!(p.allow.is_some());
        assert_eq!(placeholder(&t, "en", None, None), None);
        // Nothing to allow for strictly-necessary content.
        assert_eq!(placeholder(&t, "en", None, Some(t.necessary())).unwrap().allow, None);
    }

    #[test]
    fn notices_stay_long_enough_to_read() {
        assert_eq!(notice_millis(0), 6_000);
        assert!(notice_millis(150) >= 15_000);
        assert_eq!(notice_millis(usize::MAX), 30_000);
    }
}
