//! The UI's pure view model: which strings, toggles, columns and rows the
//! dialog, the page table and the placeholders show. No web-sys here, so it
//! is tested natively (`tests/web_ui_view.rs` compiles this file on the
//! host, where `src/web/` does not exist).
//!
//! Everything returned is plain text for text nodes. Names a table gives
//! (services, categories) that end up inside a sentence come back as
//! separate [`Part`]s, which the UI isolates in `<bdi>`, so a bidi override
//! in one cannot reorder the rest of the sentence.

use crate::decide::Grants;
use crate::declaration::{self, Row};
use crate::table::texts::TextKey;
use crate::table::{is_safe_url, CategoryId, ServiceId, Table};

/// A piece of a sentence: the UI's own text, or a name from the table
/// (rendered in a `<bdi>`, so a bidi override in it cannot reorder the rest
/// of the sentence, while the accessible name stays the plain words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part<'a> {
    /// The text.
    pub text: &'a str,
    /// Whether it is a name to isolate.
    pub name: bool,
}

fn push<'a>(parts: &mut Vec<Part<'a>>, text: &'a str, name: bool) {
    if !text.is_empty() {
        parts.push(Part { text, name });
    }
}

/// [`fill`] as parts: `{service}` and `{category}` become names.
pub fn fill_parts<'a>(template: &'a str, service: &'a str, category: &'a str) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    let mut rest = template;
    loop {
        let next = [("{service}", service), ("{category}", category)]
            .into_iter()
            .filter_map(|(key, value)| rest.find(key).map(|at| (at, key.len(), value)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, len, value)) = next else {
            push(&mut parts, rest, false);
            return parts;
        };
        push(&mut parts, rest.get(..at).unwrap_or_default(), false);
        push(&mut parts, value, true);
        rest = rest.get(at + len..).unwrap_or_default();
    }
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

/// "Third parties: A, B" for the first layer, or `None` without services.
pub fn services_line<'t>(table: &'t Table, lang: &str) -> Option<Vec<Part<'t>>> {
    let names = third_parties(table);
    if names.is_empty() {
        return None;
    }
    let mut parts = vec![Part { text: table.text(lang, TextKey::ServicesIntro), name: false }];
    for (i, name) in names.into_iter().enumerate() {
        push(&mut parts, if i == 0 { " " } else { ", " }, false);
        push(&mut parts, name, true);
    }
    Some(parts)
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
    pub title: Vec<Part<'t>>,
    /// What showing it would do; `None` when no service is known.
    pub text: Option<Vec<Part<'t>>>,
    /// The service's provider, when a service is known.
    pub provider: Option<&'t str>,
    /// The service's privacy policy, when set and safe.
    pub policy: Option<&'t str>,
    /// The category the content needs and its title.
    pub category: Option<(CategoryId, &'t str)>,
    /// "Allow Advertising cookies", unless the category is strictly
    /// necessary (then there is nothing to allow).
    pub allow: Option<Vec<Part<'t>>>,
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
    let category_name = category_title.unwrap_or_default();
    let (title, text) = match service {
        Some(s) => (
            fill_parts(table.text(lang, TextKey::PlaceholderTitle), &s.name, category_name),
            Some(fill_parts(table.text(lang, TextKey::PlaceholderText), &s.name, category_name)),
        ),
        // No service: the category names the content ("Analytics content
        // is blocked"); the sentence about a service would not read.
        None => (fill_parts(table.text(lang, TextKey::PlaceholderTitle), category_name, ""), None),
    };
    let allow = category
        .filter(|c| *c != table.necessary())
        .map(|_| fill_parts(table.text(lang, TextKey::AllowCategory), "", category_name));
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

    /// The parts as one string, names in [brackets].
    fn strip(parts: &[Part<'_>]) -> String {
        parts
            .iter()
            .map(|p| if p.name { format!("[{}]", p.text) } else { p.text.to_string() })
            .collect()
    }

    #[test]
    fn third_parties_are_deduplicated_in_table_order() {
        let t = table();
        assert_eq!(third_parties(&t), ["Google Analytics", "YouTube"]);
        let line = services_line(&t, "en").unwrap();
        assert_eq!(strip(&line), "Third parties: [Google Analytics], [YouTube]");
        let fr = services_line(&t, "fr").unwrap();
        assert_eq!(strip(&fr), "Tiers : [Google Analytics], [YouTube]");
    }

    #[test]
    fn no_services_no_line() {
        let mut t = table();
        t.services.clear();
        assert_eq!(services_line(&t, "en"), None);
    }

    #[test]
    fn names_are_parts_of_their_own_so_an_override_cannot_leak() {
        let mut t = table();
        t.services[0].name = "evil\u{202E}txt".to_string();
        let line = services_line(&t, "en").unwrap();
        assert!(line.contains(&Part { text: "evil\u{202E}txt", name: true }), "{line:?}");
    }

    #[test]
    fn fill_parts_splits_at_each_placeholder() {
        let parts = fill_parts("{service} sets {category} cookies; {service}!", "S", "C");
        assert_eq!(strip(&parts), "[S] sets [C] cookies; [S]!");
        assert_eq!(strip(&fill_parts("no names {x}", "S", "C")), "no names {x}");
        // An empty name leaves no empty part.
        assert_eq!(fill_parts("{category}", "S", ""), []);
        // A name that looks like a placeholder is not filled again.
        assert_eq!(strip(&fill_parts("{service}", "{category}", "C")), "[{category}]");
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
        assert_eq!(strip(&p.title), "[YouTube] content is blocked");
        assert_eq!(
            strip(p.text.as_deref().unwrap()),
            "Showing it would let [YouTube] set [Advertising] cookies, which you have not allowed."
        );
        assert_eq!(p.provider, Some("Google"));
        assert_eq!(p.policy, Some("https://policies.google.com/privacy"));
        assert_eq!(p.category, Some((t.category_id("advertising").unwrap(), "Advertising")));
        assert_eq!(strip(p.allow.as_deref().unwrap()), "Allow [Advertising] cookies");
        let fr = placeholder(&t, "fr", yt, None).unwrap();
        assert_eq!(strip(fr.allow.as_deref().unwrap()), "Autoriser [Advertising]");
    }

    #[test]
    fn placeholder_by_category_alone() {
        let t = table();
        let p = placeholder(&t, "en", None, t.category_id("analytics")).unwrap();
        assert_eq!(strip(&p.title), "[Analytics] content is blocked");
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
