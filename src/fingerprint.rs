//! Stable fingerprints of what a table means, so a stored choice can be
//! matched to the table it was made for.
//!
//! The *material* fingerprint covers what a visitor consented to: the
//! categories, each service's provider, category and hosts, and each cookie's
//! name, storage, category, service, party, domain, purpose and duration (in
//! the default language). When any of these changes — a new third party, a
//! cookie moved to another category, a purpose rewritten — the visitor is
//! asked again (COMPLIANCE.md R10). Banner wording (`texts`), display names,
//! justifications, links and the order of entries do not count: rewording
//! the banner must not re-ask everyone.
//!
//! The hash is 64-bit FNV-1a over a canonical serialisation with sorted
//! entries. It is not cryptographic and needs not be: it detects change, it
//! does not authenticate.

use crate::table::texts::TextKey;
use crate::table::{Localized, Table};

/// 64-bit FNV-1a, fed piece by piece.
#[derive(Debug, Clone, Copy)]
pub struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    /// Feed bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    /// Feed a string and a separator that no string contains.
    pub fn field(&mut self, s: &str) {
        self.write(s.as_bytes());
        self.write(&[0x1f]);
    }

    /// The hash so far.
    pub fn finish(self) -> u64 {
        self.0
    }
}

/// Sort a short slice in place. The lists sorted here (categories, hosts,
/// table rows, cookie names) hold tens of items; the standard library's
/// sorts are several kilobytes of wasm per element type, this is a few
/// hundred bytes.
pub(crate) fn sort_small<T: Ord>(items: &mut [T]) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && items.get(j - 1) > items.get(j) {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Lower-case hex of `value`, `digits` long (the low digits).
pub fn hex(value: u64, digits: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    (0..digits)
        .rev()
        .map(|i| {
            let nibble = (value >> (i * 4)) & 0xf;
            char::from(HEX.get(nibble as usize).copied().unwrap_or(b'0'))
        })
        .collect()
}

/// Collapse runs of whitespace so re-flowing a purpose is not a change.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The material fingerprint of a table: 16 lower-case hex digits.
pub fn material(table: &Table) -> String {
    let lang = table.default_language.as_str();
    let text = |l: &Localized| normalized(l.get(lang, lang));

    let mut categories: Vec<&str> = table.categories.iter().map(|c| c.id.as_str()).collect();
    sort_small(&mut categories);

    // Each row is one string of its fields joined by a separator no field
    // contains, so one sort serves every section.
    let row = |cells: &[&str]| cells.join("\u{1f}");
    let mut services: Vec<String> = table
        .services
        .iter()
        .map(|s| {
            let mut hosts: Vec<&str> = s.hosts.iter().map(String::as_str).collect();
            sort_small(&mut hosts);
            row(&[
                &s.id,
                &normalized(&s.provider),
                &table.category(s.category).id,
                &hosts.join(","),
            ])
        })
        .collect();
    sort_small(&mut services);

    let mut cookies: Vec<String> = table
        .cookies
        .iter()
        .map(|c| {
            let service = c.service.and_then(|s| table.service(s)).map_or("", |s| s.id.as_str());
            row(&[
                c.name.as_str(),
                c.storage.as_str(),
                &table.category(c.category).id,
                service,
                c.party.as_str(),
                c.domain.as_deref().unwrap_or_default(),
                &text(&c.purpose),
                &text(&c.duration),
            ])
        })
        .collect();
    sort_small(&mut cookies);

    let mut hash = Fnv64::default();
    hash.field("consent-guard material v2");
    hash.field("categories");
    for id in categories {
        hash.field(id);
    }
    for (section, rows) in [("services", services), ("cookies", cookies)] {
        hash.field(section);
        for row in rows {
            hash.field(&row);
        }
    }
    hex(hash.finish(), 16)
}

/// A fingerprint of the texts a visitor saw in `lang` (banner texts and
/// category titles/descriptions after fallback): 8 hex digits, recorded as
/// the "text version" of a consent (R11).
pub fn text_version(table: &Table, lang: &str) -> String {
    let mut hash = Fnv64::default();
    hash.field(lang);
    for key in TextKey::ALL {
        hash.field(table.text(lang, *key));
    }
    for id in table.category_ids() {
        hash.field(table.category_title(lang, id));
        hash.field(table.category_description(lang, id));
    }
    hex(hash.finish(), 8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse;

    const BASE: &str = r#"{
      "revision": 1,
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
      "services": [
        {"id": "yt", "name": "YouTube", "provider": "Google", "category": "advertising",
         "hosts": ["youtube.com", "ytimg.com"], "privacyPolicy": "https://policies.google.com/privacy"}
      ],
      "cookies": [
        {"name": "sid", "category": "strictly-necessary", "party": "first", "purpose": "Session",
         "duration": "Session", "justification": "Keeps you logged in"},
        {"name": "_ga", "category": "analytics", "provider": "Google", "party": "first",
         "purpose": "Counts visits", "duration": "2 years"},
        {"name": "YSC", "service": "yt", "party": "third", "purpose": "Video session", "duration": "Session"}
      ],
      "texts": {"en": {"title": "Cookies here"}}
    }"#;

    fn fingerprint_of(text: &str) -> String {
        material(&parse(text).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn hex_pads_and_truncates() {
        assert_eq!(hex(0xab, 4), "00ab");
        assert_eq!(hex(0x1234_5678_9abc_def0, 16), "123456789abcdef0");
        assert_eq!(hex(0x1234_5678_9abc_def0, 8), "9abcdef0");
    }

    #[test]
    fn fnv_matches_reference_values() {
        // Published FNV-1a 64 test vectors.
        let mut h = Fnv64::default();
        h.write(b"");
        assert_eq!(h.finish(), 0xcbf2_9ce4_8422_2325);
        let mut h = Fnv64::default();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
        let mut h = Fnv64::default();
        h.write(b"foobar");
        assert_eq!(h.finish(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn is_stable_and_sixteen_hex_digits() {
        let a = fingerprint_of(BASE);
        assert_eq!(a, fingerprint_of(BASE));
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }

    /// Each edit, and whether it must change the fingerprint.
    #[test]
    fn material_changes_change_it_and_text_edits_do_not() {
        let base = fingerprint_of(BASE);
        let cases: &[(&str, &str, &str, bool)] = &[
            ("banner text", "Cookies here", "Biscuits here", false),
            ("service display name", "\"YouTube\"", "\"YouTube videos\"", false),
            ("justification", "Keeps you logged in", "Keeps you signed in", false),
            ("privacy policy link", "policies.google.com/privacy", "policies.google.com/p2", false),
            ("revision", "\"revision\": 1", "\"revision\": 2", false),
            ("purpose re-flowed", "Counts visits", "Counts  visits", false),
            (
                "host order",
                "[\"youtube.com\", \"ytimg.com\"]",
                "[\"ytimg.com\", \"youtube.com\"]",
                false,
            ),
            (
                "cookie moved category",
                "\"category\": \"analytics\", \"provider\"",
                "\"category\": \"advertising\", \"provider\"",
                true,
            ),
            ("new host", "\"ytimg.com\"]", "\"ytimg.com\", \"googlevideo.com\"]", true),
            (
                "service category",
                "\"category\": \"advertising\",\n         \"hosts\"",
                "\"category\": \"analytics\",\n         \"hosts\"",
                true,
            ),
            (
                "provider",
                "\"provider\": \"Google\", \"category\"",
                "\"provider\": \"Alphabet\", \"category\"",
                true,
            ),
            ("purpose", "Counts visits", "Counts visits and builds profiles", true),
            ("duration", "2 years", "13 months", true),
            ("party", "\"party\": \"third\"", "\"party\": \"first\"", true),
            ("cookie name", "\"_ga\"", "\"_ga_*\"", true),
        ];
        for (what, from, to, changes) in cases {
            assert!(BASE.contains(from), "{what}: fixture lacks {from:?}");
            let edited = fingerprint_of(&BASE.replacen(from, to, 1));
            assert_eq!(edited != base, *changes, "{what}");
        }
    }

    #[test]
    fn new_service_or_category_changes_it() {
        let with_service = BASE.replace(
            "\"services\": [",
            "\"services\": [{\"id\": \"dc\", \"name\": \"DoubleClick\", \"provider\": \"Google\", \"category\": \"advertising\", \"hosts\": [\"doubleclick.net\"]},",
        );
        assert_ne!(fingerprint_of(&with_service), fingerprint_of(BASE));
        let with_category = BASE.replace(
            "{\"id\": \"advertising\"}]",
            "{\"id\": \"advertising\"}, {\"id\": \"functional\"}]",
        );
        assert_ne!(fingerprint_of(&with_category), fingerprint_of(BASE));
    }

    #[test]
    fn text_version_follows_the_texts_shown() {
        let table = parse(BASE).unwrap();
        let en = text_version(&table, "en");
        assert_eq!(en.len(), 8);
        let reworded = parse(&BASE.replace("Cookies here", "Biscuits here")).unwrap();
        assert_ne!(text_version(&reworded, "en"), en);
        // The cookie table's material content is not a text.
        let moved = parse(&BASE.replace("Counts visits", "Counts all visits")).unwrap();
        assert_eq!(text_version(&moved, "en"), en);
    }
}
