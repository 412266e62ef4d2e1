//! Decisions: for a table and what the visitor has granted, may this URL
//! load, may this cookie be written, which cookies must go.
//!
//! Unknown means deny: until a choice is known the browser layer decides with
//! [`Grants::necessary_only`], and a host or cookie the table does not
//! declare is never granted by a category, only let through (undeclared
//! first-party cookies, by the table's `undeclared` policy) or held.

use crate::consent::Record;
use crate::host;
use crate::table::{CategoryId, CookieRule, ServiceId, StorageKind, Table, Undeclared};

/// What the visitor has allowed: categories, and services allowed one by one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grants {
    /// Bit `i` set: category `i` granted. The strictly-necessary bit is
    /// always set.
    categories: u64,
    /// The strictly-necessary category, which `set` never clears.
    necessary: CategoryId,
    /// Services allowed beyond their category.
    services: Vec<ServiceId>,
}

impl Grants {
    /// Only strictly-necessary: the state before any choice, and after
    /// "Reject all".
    pub fn necessary_only(table: &Table) -> Grants {
        let necessary = table.necessary();
        let categories = 1u64.checked_shl(necessary.index() as u32).unwrap_or(0);
        Grants { categories, necessary, services: Vec::new() }
    }

    /// Every category.
    pub fn all(table: &Table) -> Grants {
        let mut grants = Grants::necessary_only(table);
        for id in table.category_ids() {
            grants.set(id, true);
        }
        grants
    }

    /// What a stored record grants under `table` (categories the record does
    /// not mention are refused; ids the table does not have are ignored).
    pub fn from_record(table: &Table, record: &Record) -> Grants {
        let mut grants = Grants::necessary_only(table);
        for id in table.category_ids() {
            if record.grants(&table.category(id).id) {
                grants.set(id, true);
            }
        }
        for service in &record.services {
            if let Some(id) = table.service_id(service) {
                grants.allow_service(id);
            }
        }
        grants
    }

    /// Grant or refuse a category; strictly-necessary stays granted.
    pub fn set(&mut self, id: CategoryId, granted: bool) {
        let bit = 1u64.checked_shl(id.index() as u32).unwrap_or(0);
        if granted {
            self.categories |= bit;
        } else {
            self.categories &= !bit;
        }
        self.categories |= 1u64.checked_shl(self.necessary.index() as u32).unwrap_or(0);
    }

    /// Allow one service whatever its category.
    pub fn allow_service(&mut self, id: ServiceId) {
        if !self.services.contains(&id) {
            self.services.push(id);
        }
    }

    /// Whether a category is granted.
    pub fn has(&self, id: CategoryId) -> bool {
        1u64.checked_shl(id.index() as u32).is_some_and(|bit| self.categories & bit != 0)
    }

    /// Whether a service may load: its category is granted or it is allowed
    /// on its own.
    pub fn allows_service(&self, table: &Table, id: ServiceId) -> bool {
        self.services.contains(&id) || table.service(id).is_some_and(|s| self.has(s.category))
    }

    /// Services allowed one by one.
    pub fn services(&self) -> &[ServiceId] {
        &self.services
    }

    /// Whether every category this grants is also granted by `other`.
    pub fn is_subset_of(&self, other: &Grants) -> bool {
        self.categories & !other.categories == 0
    }
}

/// What to do with a resource (script, iframe, image, request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlVerdict {
    /// Not a service of the table, or allowed: let it load.
    Allow,
    /// A service whose category is not granted: hold it.
    Hold(ServiceId),
}

/// The service a host belongs to: the one with the longest matching host
/// suffix, so `maps.google.com` can be another service than `google.com`.
pub fn service_for_host(table: &Table, host: &str) -> Option<ServiceId> {
    let mut best: Option<(usize, ServiceId)> = None;
    for (i, service) in table.services.iter().enumerate() {
        for suffix in &service.hosts {
            if host::host_matches(host, suffix) && best.is_none_or(|(len, _)| suffix.len() > len) {
                best = Some((suffix.len(), ServiceId(i)));
            }
        }
    }
    best.map(|(_, id)| id)
}

/// Whether an absolute URL may load under `grants`.
pub fn url_verdict(table: &Table, grants: &Grants, url: &str) -> UrlVerdict {
    let Some(host) = host::url_host(url) else { return UrlVerdict::Allow };
    match service_for_host(table, &host) {
        Some(service) if !grants.allows_service(table, service) => UrlVerdict::Hold(service),
        _ => UrlVerdict::Allow,
    }
}

/// The rule that declares a cookie or storage key: an exact name beats a
/// pattern, a longer pattern beats a shorter one.
pub fn rule_for<'t>(table: &'t Table, name: &str, storage: StorageKind) -> Option<&'t CookieRule> {
    table
        .cookies
        .iter()
        .filter(|rule| rule.storage == storage && rule.name.matches(name))
        .max_by_key(|rule| rule.name.specificity())
}

/// What to do with a cookie write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieVerdict {
    /// Declared, and its category (or service) is granted.
    Allow,
    /// Declared, and not granted: drop it.
    Drop,
    /// Not in the table: let it through and report it.
    AllowUndeclared,
    /// Not in the table, and the table says to block such cookies.
    DropUndeclared,
}

impl CookieVerdict {
    /// Whether the write goes through.
    pub fn allows(self) -> bool {
        matches!(self, CookieVerdict::Allow | CookieVerdict::AllowUndeclared)
    }
}

/// Whether a declared rule's item may be stored under `grants`.
pub fn rule_allowed(grants: &Grants, rule: &CookieRule) -> bool {
    grants.has(rule.category) || rule.service.is_some_and(|s| grants.services().contains(&s))
}

/// The verdict on writing cookie (or storage key) `name`.
pub fn cookie_verdict(
    table: &Table,
    grants: &Grants,
    name: &str,
    storage: StorageKind,
) -> CookieVerdict {
    if name == crate::consent::STORAGE_KEY {
        // Our own record is strictly necessary (R12).
        return CookieVerdict::Allow;
    }
    match rule_for(table, name, storage) {
        Some(rule) if rule_allowed(grants, rule) => CookieVerdict::Allow,
        Some(_) => CookieVerdict::Drop,
        None if table.undeclared == Undeclared::Block => CookieVerdict::DropUndeclared,
        None => CookieVerdict::AllowUndeclared,
    }
}

/// Of the names present (in `document.cookie` or a storage area), those that
/// are declared and not granted: what a sweep must delete.
pub fn to_sweep<'n>(
    table: &Table,
    grants: &Grants,
    storage: StorageKind,
    present: impl IntoIterator<Item = &'n str>,
) -> Vec<&'n str> {
    let mut names: Vec<&str> = present
        .into_iter()
        .filter(|name| !cookie_verdict(table, grants, name, storage).allows())
        .filter(|name| rule_for(table, name, storage).is_some())
        .collect();
    crate::fingerprint::sort_small(&mut names);
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Action;
    use crate::table::parse;

    const TABLE: &str = r#"{
      "revision": 1,
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}, {"id": "functional"}],
      "services": [
        {"id": "ga", "name": "Google Analytics", "provider": "Google", "category": "analytics", "hosts": ["google-analytics.com", "analytics.test"]},
        {"id": "youtube", "name": "YouTube", "provider": "Google", "category": "advertising", "hosts": ["youtube.com", "youtube.test"]},
        {"id": "maps", "name": "Maps", "provider": "Google", "category": "functional", "hosts": ["maps.google.com"]},
        {"id": "google", "name": "Google", "provider": "Google", "category": "advertising", "hosts": ["google.com"]}
      ],
      "cookies": [
        {"name": "PHPSESSID", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Keeps the menu choice"},
        {"name": "__utma", "service": "ga", "party": "first", "purpose": "Visitor id", "duration": "2 years"},
        {"name": "_ga_*", "service": "ga", "party": "first", "purpose": "Session state", "duration": "2 years"},
        {"name": "_ga_KEEP", "category": "strictly-necessary", "party": "first", "purpose": "x", "duration": "x", "justification": "a test of exact-beats-pattern"},
        {"name": "PREF", "service": "youtube", "category": "functional", "party": "third", "purpose": "Player prefs", "duration": "8 months"},
        {"name": "ad_seen", "storage": "localStorage", "category": "advertising", "provider": "Us", "party": "first", "purpose": "x", "duration": "x"}
      ]
    }"#;

    fn table() -> Table {
        parse(TABLE).unwrap_or_else(|e| panic!("{e}"))
    }

    fn grants_of(table: &Table, categories: &[&str]) -> Grants {
        let mut g = Grants::necessary_only(table);
        for c in categories {
            g.set(table.category_id(c).unwrap(), true);
        }
        g
    }

    macro_rules! url_cases {
        ($($name:ident: $granted:expr, $url:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                let table = table();
                let grants = grants_of(&table, $granted);
                let expected: Option<&str> = $expected;
                let got = match url_verdict(&table, &grants, $url) {
                    UrlVerdict::Allow => None,
                    UrlVerdict::Hold(s) => Some(table.service(s).unwrap().id.as_str()),
                };
                assert_eq!(got, expected, "{}", $url);
            }
        )*};
    }

    url_cases! {
        url_held_before_consent: &[], "https://www.youtube.com/embed/x" => Some("youtube");
        url_held_case_and_port: &[], "HTTPS://WWW.YouTube.COM:8443/embed" => Some("youtube");
        url_protocol_relative: &[], "//stats.analytics.test/ga.js" => Some("ga");
        url_allowed_once_granted: &["advertising"], "https://www.youtube.com/embed/x" => None;
        url_other_category_still_held: &["advertising"], "https://www.google-analytics.com/ga.js" => Some("ga");
        url_lookalike_not_matched: &[], "https://evil-youtube.com/x.js" => None;
        url_suffix_in_path_not_matched: &[], "https://example.com/youtube.com/x.js" => None;
        url_first_party_allowed: &[], "https://site.test/app.js" => None;
        url_relative_allowed: &[], "/js/app.js" => None;
        url_data_allowed: &[], "data:text/javascript,1" => None;
        url_longest_suffix_wins: &["advertising"], "https://maps.google.com/embed" => Some("maps");
        url_longest_suffix_granted: &["functional"], "https://maps.google.com/embed" => None;
        url_shorter_suffix_service: &["functional"], "https://www.google.com/x" => Some("google");
    }

    macro_rules! cookie_cases {
        ($($name:ident: $granted:expr, $cookie:expr, $storage:expr => $expected:expr;)*) => {$(
            #[test]
            fn $name() {
                let table = table();
                let grants = grants_of(&table, $granted);
                assert_eq!(cookie_verdict(&table, &grants, $cookie, $storage), $expected, "{}", $cookie);
            }
        )*};
    }

    use CookieVerdict::*;
    use StorageKind::{Cookie as C, LocalStorage as L};
    cookie_cases! {
        necessary_always_allowed: &[], "PHPSESSID", C => Allow;
        own_record_allowed: &[], "consent_guard", C => Allow;
        analytics_dropped_before_consent: &[], "__utma", C => Drop;
        analytics_allowed_after_consent: &["analytics"], "__utma", C => Allow;
        pattern_matches: &[], "_ga_ABC123", C => Drop;
        pattern_allowed: &["analytics"], "_ga_ABC123", C => Allow;
        exact_beats_pattern: &[], "_ga_KEEP", C => Allow;
        case_sensitive_names: &[], "__UTMA", C => AllowUndeclared;
        explicit_category_beats_service: &["functional"], "PREF", C => Allow;
        explicit_category_refused: &["advertising"], "PREF", C => Drop;
        undeclared_reported: &[], "mystery", C => AllowUndeclared;
        storage_kinds_are_separate: &[], "ad_seen", C => AllowUndeclared;
        local_storage_key_dropped: &[], "ad_seen", L => Drop;
    }

    #[test]
    fn undeclared_block_policy() {
        let table = parse(
            &TABLE.replace("\"revision\": 1,", "\"revision\": 1, \"undeclared\": \"block\","),
        )
        .unwrap();
        let grants = Grants::all(&table);
        assert_eq!(cookie_verdict(&table, &grants, "mystery", C), DropUndeclared);
        assert_eq!(cookie_verdict(&table, &grants, "__utma", C), Allow);
        assert_eq!(cookie_verdict(&table, &grants, "consent_guard", C), Allow);
    }

    #[test]
    fn a_service_allowed_alone_loads_and_may_set_its_cookies() {
        let table = table();
        let mut grants = Grants::necessary_only(&table);
        grants.allow_service(table.service_id("ga").unwrap());
        assert_eq!(
            url_verdict(&table, &grants, "https://stats.analytics.test/x"),
            UrlVerdict::Allow
        );
        assert_eq!(cookie_verdict(&table, &grants, "__utma", C), Allow);
        assert!(!grants.has(table.category_id("analytics").unwrap()));
    }

    #[test]
    fn necessary_cannot_be_refused() {
        let table = table();
        let mut grants = Grants::all(&table);
        for id in table.category_ids() {
            grants.set(id, false);
        }
        assert_eq!(grants, Grants::necessary_only(&table));
        assert!(grants.has(table.necessary()));
    }

    #[test]
    fn grants_from_a_record() {
        let table = table();
        let record = crate::consent::Record::new(
            &table,
            |i| i == 1,
            vec!["youtube".into(), "gone".into()],
            Action::SaveSelection,
            [1; 16],
            0,
            "en",
            false,
        );
        let grants = Grants::from_record(&table, &record);
        assert!(grants.has(table.category_id("analytics").unwrap()));
        assert!(!grants.has(table.category_id("advertising").unwrap()));
        assert_eq!(grants.services(), &[table.service_id("youtube").unwrap()]);
    }

    #[test]
    fn subset_detects_withdrawal() {
        let table = table();
        let both = grants_of(&table, &["analytics", "advertising"]);
        let one = grants_of(&table, &["analytics"]);
        assert!(one.is_subset_of(&both));
        assert!(!both.is_subset_of(&one));
    }

    #[test]
    fn sweep_lists_refused_declared_names_present() {
        let table = table();
        let grants = grants_of(&table, &["functional"]);
        let present = [
            "PHPSESSID",
            "__utma",
            "_ga_X1",
            "_ga_X1",
            "PREF",
            "mystery",
            "consent_guard",
            "_ga_KEEP",
        ];
        assert_eq!(to_sweep(&table, &grants, C, present), vec!["__utma", "_ga_X1"]);
        assert_eq!(to_sweep(&table, &Grants::all(&table), C, present), Vec::<&str>::new());
        assert_eq!(to_sweep(&table, &grants, L, ["ad_seen", "other"]), vec!["ad_seen"]);
    }
}
