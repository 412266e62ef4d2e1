//! The invariants the fuzz targets check, shared by `fuzz/` (cargo-fuzz
//! builds with `--cfg fuzzing`) and by the native tests, which replay every
//! input in `fuzz/regressions/<target>/` and `fuzz/seeds/<target>/` through
//! the same code. Compiled only for tests and fuzzing: none of it reaches
//! the wasm.
//!
//! Each `check_*` function takes the raw fuzz input and panics (assert) when
//! an invariant breaks; a panic is what libFuzzer reports as a crash.
//! Inputs are bytes; text APIs get them through `from_utf8_lossy`, so every
//! input exercises the code. Targets that need several strings read them as
//! lines (`\n`-separated; a missing line is empty), which keeps the seeds and
//! dictionaries readable.

use std::sync::OnceLock;

use crate::consent::{read_stored, Action, Record, RecordError, Status};
use crate::cookie::{deletion_variants, parse_jar, parse_write};
use crate::decide::{
    cookie_verdict, rule_allowed, rule_for, service_for_host, to_sweep, url_verdict, CookieVerdict,
    Grants, UrlVerdict,
};
use crate::pattern::{NamePattern, PatternKind};
use crate::table::texts::{fill, pick_language, TextKey};
use crate::table::{CategoryId, ServiceId, StorageKind, Table, Undeclared, MAX_CATEGORIES};
use crate::time::DAY;
use crate::{declaration, fingerprint, host, psl};

/// The fuzz targets, in the order `make fuzz` runs them.
pub const TARGETS: &[&str] = &["table", "record", "cookie", "host", "deletion", "tag"];

/// Run the check of `target` on `data`; `false` for an unknown target.
pub fn check(target: &str, data: &[u8]) -> bool {
    match target {
        "table" => check_table(data),
        "record" => check_record(data),
        "cookie" => check_cookie(data),
        "host" => check_host(data),
        "deletion" => check_deletion(data),
        "tag" => check_tag(data),
        _ => return false,
    }
    true
}

/// A fixed "now" (2026-11-28T17:00:00Z), so every run decides the same.
pub const NOW: i64 = 1_795_885_200;

/// The default cookie table (`www/cookies.json`), parsed once.
pub fn default_table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        crate::table::parse(include_str!("../www/cookies.json"))
            .unwrap_or_else(|e| panic!("www/cookies.json does not parse: {e}"))
    })
}

const ACTIONS: [Action; 6] = [
    Action::AcceptAll,
    Action::RejectAll,
    Action::SaveSelection,
    Action::Withdraw,
    Action::Gpc,
    Action::Expired,
];

const STORAGES: [StorageKind; 3] =
    [StorageKind::Cookie, StorageKind::LocalStorage, StorageKind::SessionStorage];

fn lines(data: &[u8], n: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(data);
    let mut parts: Vec<String> = text.splitn(n, '\n').map(str::to_string).collect();
    parts.resize(n, String::new());
    parts
}

// --- table ------------------------------------------------------------------

/// `table`: text → `table::parse`. Every table the validator accepts must
/// survive every decision the core makes on it.
pub fn check_table(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(table) = crate::table::parse(&text) {
        check_accepted_table(&table);
    }
}

/// Everything the core does with a table, each with what must hold.
pub fn check_accepted_table(table: &Table) {
    check_table_shape(table);
    let grant_sets = grant_sets(table);
    check_table_hosts(table, &grant_sets);
    check_table_cookies(table, &grant_sets);

    let material = fingerprint::material(table);
    assert!(is_hex(&material, 16), "material fingerprint {material:?}");
    assert_eq!(fingerprint::material(&table.clone()), material, "fingerprint not stable");

    check_table_tags(table);

    for lang in languages(table) {
        check_texts(table, &lang);
        check_declaration(table, &lang);
        check_new_records(table, &lang);
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The languages to try: the table's, its default, English and one it lacks.
fn languages(table: &Table) -> Vec<String> {
    let mut langs: Vec<String> = table.languages().into_iter().map(str::to_string).collect();
    for extra in [table.default_language.as_str(), "en", "zz"] {
        if !langs.iter().any(|l| l == extra) {
            langs.push(extra.to_string());
        }
    }
    langs
}

fn check_table_shape(table: &Table) {
    let n = table.categories.len();
    assert!((1..=MAX_CATEGORIES).contains(&n), "{n} categories");
    let necessary: Vec<_> = table.categories.iter().filter(|c| c.is_necessary()).collect();
    assert_eq!(necessary.len(), 1, "not exactly one strictly-necessary category");
    assert!(table.category(table.necessary()).is_necessary());
    assert!((1..=crate::table::MAX_EXPIRY_DAYS).contains(&table.expiry_days));
    assert!(crate::table::is_language_tag(&table.default_language));
    for (i, c) in table.categories.iter().enumerate() {
        assert!(crate::table::is_valid_id(&c.id), "category id {:?}", c.id);
        assert_eq!(table.category_id(&c.id).map(CategoryId::index), Some(i), "duplicate category");
    }
    for (i, s) in table.services.iter().enumerate() {
        assert!(crate::table::is_valid_id(&s.id), "service id {:?}", s.id);
        assert_eq!(table.service_id(&s.id).map(ServiceId::index), Some(i), "duplicate service");
        assert!(s.category.index() < n, "service {} has a foreign category", s.id);
    }
    for rule in &table.cookies {
        assert!(rule.category.index() < n, "rule {} has a foreign category", rule.name);
        if let Some(s) = rule.service {
            assert!(table.service(s).is_some(), "rule {} has a foreign service", rule.name);
        }
    }
    if let Some(mode) = &table.google_consent_mode {
        for (c, _) in &mode.mapping {
            assert!(c.index() < n, "consent mode maps a foreign category");
        }
    }
    for texts in &table.texts {
        assert!(crate::table::is_language_tag(&texts.lang), "texts language {:?}", texts.lang);
        for (c, _) in &texts.categories {
            assert!(c.index() < n, "texts for a foreign category");
        }
    }
    for url in table.policy_url.iter().chain(&table.report_url) {
        assert!(crate::table::is_safe_url(url), "unsafe url {url:?} accepted");
    }
    for s in &table.services {
        if let Some(url) = &s.privacy_policy {
            assert!(crate::table::is_safe_url(url), "unsafe privacy policy {url:?} accepted");
        }
    }
}

/// Necessary only, all, each category alone, and one service alone each.
fn grant_sets(table: &Table) -> Vec<Grants> {
    let mut sets = vec![Grants::necessary_only(table), Grants::all(table)];
    for id in table.category_ids() {
        let mut g = Grants::necessary_only(table);
        g.set(id, true);
        sets.push(g);
    }
    for i in 0..table.services.len() {
        if let Some(id) = table.service_id(&table.services[i].id) {
            let mut g = Grants::necessary_only(table);
            g.allow_service(id);
            sets.push(g);
        }
    }
    for g in &sets {
        assert!(g.has(table.necessary()), "grants without strictly-necessary");
        assert!(g.is_subset_of(&Grants::all(table)));
    }
    sets
}

/// The service a host belongs to, by the definition (whole labels, longest
/// suffix, first in table order on a tie), written independently of
/// `host::host_matches`.
fn reference_service(table: &Table, host: &str) -> Option<usize> {
    let host = host.to_ascii_lowercase();
    let mut best: Option<(usize, usize)> = None;
    for (i, service) in table.services.iter().enumerate() {
        for suffix in &service.hosts {
            let suffix = suffix.to_ascii_lowercase();
            let matches =
                !suffix.is_empty() && (host == suffix || host.ends_with(&format!(".{suffix}")));
            if matches && best.is_none_or(|(len, _)| suffix.len() > len) {
                best = Some((suffix.len(), i));
            }
        }
    }
    best.map(|(_, i)| i)
}

/// `service_for_host` agrees with the definition, and what it finds is the
/// host itself or a parent of it, never a lookalike.
fn check_service_for(table: &Table, host: &str) -> Option<ServiceId> {
    let found = service_for_host(table, host);
    assert_eq!(
        found.map(ServiceId::index),
        reference_service(table, host),
        "service_for_host({host:?}) disagrees with whole-label suffix matching"
    );
    if let Some(id) = found {
        let service = table.service(id).expect("service id from the table");
        let host = host.to_ascii_lowercase();
        assert!(
            service.hosts.iter().any(|s| host == *s || host.ends_with(&format!(".{s}"))),
            "{host:?} matched {} ({:?}) without being one of its hosts or a subdomain",
            service.id,
            service.hosts
        );
    }
    found
}

fn check_table_hosts(table: &Table, grant_sets: &[Grants]) {
    for service in &table.services {
        for h in &service.hosts {
            assert_eq!(
                host::normalize_table_host(h).as_deref(),
                Ok(h.as_str()),
                "a normalised table host is not a fixed point"
            );
            // The host as a page would load it: the URL parser must read
            // back the very host the table holds, or the service could
            // never be matched.
            let url = format!("https://{h}/x.js");
            assert_eq!(
                host::url_host(&url).as_deref(),
                Some(h.as_str()),
                "table host {h:?} is not what a URL with it reads as"
            );
            let found = check_service_for(table, h).expect("a service's own host matches it");
            let mut candidates = vec![
                format!("evil-{h}"),
                format!("{h}.evil.test"),
                format!("not{h}"),
                h.to_ascii_uppercase(),
            ];
            if !h.bytes().last().is_some_and(|b| b.is_ascii_digit()) {
                candidates.push(format!("www.{h}"));
            }
            for candidate in &candidates {
                check_service_for(table, candidate);
            }
            for g in grant_sets {
                let verdict = url_verdict(table, g, &url);
                let want = if g.allows_service(table, found) {
                    UrlVerdict::Allow
                } else {
                    UrlVerdict::Hold(found)
                };
                assert_eq!(verdict, want, "url_verdict({url:?})");
            }
            let held = url_verdict(table, &Grants::necessary_only(table), &url);
            let necessary = table.service(found).is_some_and(|s| s.category == table.necessary());
            assert_eq!(held == UrlVerdict::Allow, necessary, "{url:?} before any choice");
            assert_eq!(url_verdict(table, &Grants::all(table), &url), UrlVerdict::Allow);
        }
    }
    for url in ["/app.js", "data:text/javascript,1", "https://first-party.example/x", ""] {
        for g in grant_sets {
            url_verdict(table, g, url);
        }
    }
}

/// Names a pattern matches, derived from its literal.
fn names_for(pattern: &NamePattern) -> Vec<String> {
    let l = pattern.literal();
    match pattern.kind() {
        PatternKind::Exact => vec![l.to_string()],
        PatternKind::Prefix => vec![l.to_string(), format!("{l}x"), format!("{l}_1234")],
        PatternKind::Suffix => vec![l.to_string(), format!("x{l}")],
        PatternKind::Contains => vec![l.to_string(), format!("a{l}b")],
    }
}

fn check_table_cookies(table: &Table, grant_sets: &[Grants]) {
    let mut present: Vec<(StorageKind, String)> = Vec::new();
    // Each rule's own names, and names two rules' literals make together
    // (overlapping patterns, where precedence decides).
    let mut names: Vec<(StorageKind, String)> = Vec::new();
    for rule in &table.cookies {
        names.extend(names_for(&rule.name).into_iter().map(|n| (rule.storage, n)));
        assert!(names_for(&rule.name).iter().all(|n| rule.name.matches(n)), "{}", rule.name);
    }
    for a in table.cookies.iter().take(6) {
        for b in table.cookies.iter().take(6) {
            names.push((a.storage, format!("{}{}", a.name.literal(), b.name.literal())));
        }
    }
    for (storage, name) in names {
        let matching =
            table.cookies.iter().filter(|r| r.storage == storage && r.name.matches(&name));
        let Some(best) = matching.map(|r| r.name.specificity()).max() else {
            assert!(rule_for(table, &name, storage).is_none(), "{name:?} has no matching rule");
            continue;
        };
        let chosen = rule_for(table, &name, storage).expect("a declared name has a rule");
        assert!(chosen.name.matches(&name) && chosen.storage == storage);
        assert_eq!(chosen.name.specificity(), best, "{name:?} got a less specific rule");
        for g in grant_sets {
            let verdict = cookie_verdict(table, g, &name, storage);
            if name == crate::consent::STORAGE_KEY {
                assert_eq!(verdict, CookieVerdict::Allow);
            } else {
                assert_eq!(verdict.allows(), rule_allowed(g, chosen), "{name:?}");
                assert!(matches!(verdict, CookieVerdict::Allow | CookieVerdict::Drop));
            }
        }
        assert!(cookie_verdict(table, &Grants::all(table), &name, storage).allows());
        present.push((storage, name));
    }
    for extra in ["", "consent_guard", "undeclared_x", "__Host-x", "a;b", "*", "_ga_"] {
        for storage in STORAGES {
            present.push((storage, extra.to_string()));
            for g in grant_sets {
                let verdict = cookie_verdict(table, g, extra, storage);
                if rule_for(table, extra, storage).is_none() && extra != "consent_guard" {
                    let want = match table.undeclared {
                        Undeclared::Block => CookieVerdict::DropUndeclared,
                        Undeclared::Report => CookieVerdict::AllowUndeclared,
                    };
                    assert_eq!(verdict, want, "undeclared {extra:?}");
                }
            }
        }
    }
    for storage in STORAGES {
        let names: Vec<&str> =
            present.iter().filter(|(s, _)| *s == storage).map(|(_, n)| n.as_str()).collect();
        for g in grant_sets {
            let sweep = to_sweep(table, g, storage, names.iter().copied());
            for name in &sweep {
                assert!(rule_for(table, name, storage).is_some(), "sweeping undeclared {name:?}");
                assert!(!cookie_verdict(table, g, name, storage).allows(), "sweeping {name:?}");
            }
            assert!(sweep.windows(2).all(|w| w[0] < w[1]), "sweep not sorted and unique");
        }
        assert!(to_sweep(table, &Grants::all(table), storage, names.iter().copied()).is_empty());
    }
}

/// `consent-guard tag` with this table: each service host's script, image
/// and iframe are held, as that service, and a second pass changes nothing.
fn check_table_tags(table: &Table) {
    let mut html = String::from("<!doctype html><p>first party <img src=/a.png>\n");
    let mut want = Vec::new();
    for service in &table.services {
        for h in &service.hosts {
            let id = &table.services[reference_service(table, h).expect("own host")].id;
            html.push_str(&format!("<script async src=\"https://{h}/x.js\"></script>\n"));
            html.push_str(&format!("<img alt=\"\" src='//{h}/p.gif'>\n"));
            html.push_str(&format!("<iframe src=https://{h}/embed></iframe>\n"));
            want.extend([id, id, id]);
        }
    }
    let first = crate::tag::rewrite(&html, table);
    let got: Vec<&String> = first.changes.iter().map(|c| &c.service_id).collect();
    assert_eq!(got, want, "tag held other tags than the services' own");
    let second = crate::tag::rewrite(&first.html, table);
    assert!(second.changes.is_empty() && second.html == first.html, "tag is not idempotent");
}

fn check_texts(table: &Table, lang: &str) {
    for key in TextKey::ALL {
        let text = table.text(lang, *key);
        assert!(!text.trim().is_empty(), "empty text {key:?} in {lang}");
    }
    for id in table.category_ids() {
        let title = table.category_title(lang, id);
        assert!(!title.trim().is_empty(), "empty category title in {lang}");
        table.category_description(lang, id);
        for s in &table.services {
            fill(table.text(lang, TextKey::PlaceholderText), &s.name, title);
        }
    }
    let version = fingerprint::text_version(table, lang);
    assert!(is_hex(&version, 8), "text version {version:?}");
    let available = table.languages();
    let picked = pick_language(&available, &table.default_language, Some(lang), &["fr-CA", "en"]);
    assert!(
        available.contains(&picked) || picked == table.default_language || picked == "en",
        "picked language {picked:?}"
    );
}

fn check_declaration(table: &Table, lang: &str) {
    let rows = declaration::rows(table, lang);
    assert_eq!(rows.len(), table.cookies.len(), "a declared item is missing from the rows");
    for row in &rows {
        assert!(row.category_id.index() < table.categories.len());
        assert!(!row.name.is_empty());
    }
    declaration::headers(table, lang);
    // Every '<' in the HTML is one of the tags the renderer writes: no
    // text from the table became markup.
    let html = declaration::to_html(table, lang);
    assert_eq!(html.matches('<').count(), 22 + 16 * rows.len(), "markup in the HTML: {html}");
    assert_eq!(html.matches("<tr>").count(), rows.len() + 1);
    // Header, separator, one line per row, each with 7 cell ends (" |": an
    // escaped '|' is preceded by '\\', never by a space).
    let markdown = declaration::to_markdown(table, lang);
    let md_lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(md_lines.len(), rows.len() + 2, "a cell broke a Markdown line: {markdown}");
    for line in md_lines.iter().skip(2) {
        assert!(line.starts_with('|'));
        assert_eq!(line.matches(" |").count(), 7, "a cell broke its Markdown row: {line}");
    }
}

/// Fresh records for every action and some grant patterns: both stored
/// forms round-trip, the two copies agree, and the record holds now.
fn check_new_records(table: &Table, lang: &str) {
    let all_services: Vec<String> = table.services.iter().map(|s| s.id.clone()).collect();
    let patterns: [fn(usize) -> bool; 3] = [|_| false, |_| true, |i| i % 2 == 1];
    for (n, action) in ACTIONS.into_iter().enumerate() {
        let granted = patterns[n % patterns.len()];
        let services = if n % 2 == 0 { Vec::new() } else { all_services.clone() };
        let random = [n as u8 * 37; 16];
        let r = Record::new(table, granted, services, action, random, NOW, lang, n % 2 == 0);
        assert_eq!(r.categories.len(), table.categories.len());
        let json = r.to_json();
        assert_eq!(Record::from_json(&json), Ok(r.clone()), "JSON round trip of {json}");
        let cookie = r.to_cookie_value();
        let back = Record::from_cookie_value(&cookie)
            .unwrap_or_else(|e| panic!("cookie form {cookie:?} of a new record: {e}"));
        assert_cookie_carries(&r, &back);
        assert_eq!(read_stored(Some(&json), Some(&cookie)), Ok(Some(r.clone())));
        let want = if action == Action::Expired { Status::NoChoice } else { Status::Valid };
        assert_eq!(r.status(table, NOW), want, "a new record's status");
        if action != Action::Expired {
            let end = NOW + i64::from(table.expiry_days) * DAY;
            assert_eq!(r.status(table, end - 1), Status::Valid);
            assert_eq!(r.status(table, end), Status::Expired);
            assert_eq!(back.status(table, NOW), Status::Valid, "cookie copy's status");
        }
        let grants = Grants::from_record(table, &r);
        for id in table.category_ids() {
            let want = table.category(id).is_necessary() || granted(id.index());
            assert_eq!(grants.has(id), want, "grant of category {}", id.index());
        }
        assert_eq!(grants.services().len(), r.services.len());
        assert_eq!(Grants::from_record(table, &back), grants, "cookie copy grants differently");
    }
}

/// The cookie copy says what the JSON copy says, for the fields it carries.
fn assert_cookie_carries(full: &Record, cookie: &Record) {
    let granted: Vec<(String, bool)> =
        full.categories.iter().filter(|(_, g)| *g).cloned().collect();
    assert_eq!(cookie.id, full.id);
    assert_eq!(cookie.action, full.action);
    assert_eq!((cookie.time, cookie.expires), (full.time, full.expires));
    assert_eq!(cookie.categories, granted);
    assert_eq!(cookie.services, full.services);
    assert_eq!(cookie.revision, full.revision);
    assert_eq!(cookie.fingerprint, full.fingerprint);
    assert_eq!(cookie.lang, full.lang);
    assert_eq!(cookie.text_version, "");
    assert_eq!(cookie.gpc, full.gpc);
}

// --- record -----------------------------------------------------------------

/// `record`: bytes → the two stored forms. A decoded record re-encodes to
/// an equal one; `read_stored` never panics and only returns what it read.
/// The input is both copies at once, or `json NUL cookie`.
pub fn check_record(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (local, cookie) = text.split_once('\0').unwrap_or((&text, &text));
    let from_local = check_json_form(local);
    let from_cookie = check_cookie_form(cookie);
    if local != cookie {
        check_json_form(cookie);
        check_cookie_form(local);
    }
    for (l, c) in [(Some(local), Some(cookie)), (Some(local), None), (None, Some(cookie))] {
        match read_stored(l, c) {
            Ok(Some(r)) => assert!(
                (l.is_some() && from_local.as_ref() == Some(&r))
                    || (c.is_some() && from_cookie.as_ref() == Some(&r)),
                "read_stored made up a record"
            ),
            Ok(None) => panic!("read_stored found nothing in a present copy"),
            Err(_) => assert!(
                (l.is_some() && from_local.is_none())
                    || (c.is_some() && from_cookie.is_none())
                    || (l.is_some() && c.is_some()),
                "read_stored refused readable copies"
            ),
        }
    }
}

/// Decode both ways: checked, and with the checksum comparison skipped (the
/// fuzzer cannot forge checksums; the invariants then hold for the record
/// the text would carry with a correct one). Returns the checked record.
fn decode_both(
    text: &str,
    checked: fn(&str) -> Result<Record, RecordError>,
    unverified: fn(&str) -> Result<Record, RecordError>,
) -> (Option<Record>, Option<Record>) {
    let (checked, unverified) = (checked(text), unverified(text));
    match (&checked, &unverified) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "the checksum changed what {text:?} decodes to"),
        (Ok(_), Err(e)) => panic!("{text:?} decodes, but not without its checksum: {e}"),
        (Err(RecordError::Tampered), Ok(_)) | (Err(_), Err(_)) => {}
        (Err(e), Ok(_)) => panic!("{text:?} fails with {e} only when its checksum is checked"),
    }
    (checked.ok(), unverified.ok())
}

fn check_json_form(text: &str) -> Option<Record> {
    let (checked, unverified) = decode_both(text, Record::from_json, Record::from_json_unverified);
    if let Some(r) = unverified {
        let json = r.to_json();
        assert_eq!(Record::from_json(&json), Ok(r.clone()), "JSON re-encoding of {text:?}: {json}");
        let cookie = r.to_cookie_value();
        let back = Record::from_cookie_value(&cookie)
            .unwrap_or_else(|e| panic!("cookie form {cookie:?} of {text:?}: {e}"));
        assert_cookie_carries(&r, &back);
        assert_eq!(read_stored(Some(&json), Some(&cookie)), Ok(Some(r.clone())), "copies disagree");
        use_record(&r);
    }
    checked
}

fn check_cookie_form(value: &str) -> Option<Record> {
    let (checked, unverified) =
        decode_both(value, Record::from_cookie_value, Record::from_cookie_value_unverified);
    if let Some(r) = unverified {
        let cookie = r.to_cookie_value();
        assert_eq!(Record::from_cookie_value(&cookie), Ok(r.clone()), "re-encoding of {value:?}");
        let json = r.to_json();
        assert_eq!(Record::from_json(&json), Ok(r.clone()), "JSON form {json} of {value:?}");
        use_record(&r);
    }
    checked
}

fn use_record(r: &Record) {
    let table = default_table();
    for now in [NOW, i64::MIN, i64::MAX, r.time, r.expires] {
        r.status(table, now);
    }
    let grants = Grants::from_record(table, r);
    assert!(grants.has(table.necessary()));
}

// --- cookie -----------------------------------------------------------------

/// Whether `part` lies inside `whole` (a borrowed substring of it).
fn is_within(part: &str, whole: &str) -> bool {
    let (start, end) = (whole.as_ptr() as usize, whole.as_ptr() as usize + whole.len());
    let p = part.as_ptr() as usize;
    part.is_empty() || (p >= start && p + part.len() <= end)
}

fn trimmed(s: &str) -> bool {
    s.trim_matches([' ', '\t']) == s
}

/// `cookie`: `parse_write` and `parse_jar` on any string.
pub fn check_cookie(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let s: &str = &text;

    let w = parse_write(s);
    for part in [w.name, w.value].into_iter().chain(w.domain).chain(w.path).chain(w.same_site) {
        assert!(is_within(part, s), "{part:?} is not a substring of the input");
    }
    assert!(!w.name.contains([';', '=']), "name {:?}", w.name);
    assert!(!w.value.contains(';'), "value {:?}", w.value);
    assert!(trimmed(w.name) && trimmed(w.value), "untrimmed {:?}={:?}", w.name, w.value);
    assert!(w.domain.is_none_or(|d| !d.is_empty() && !d.contains(';')));
    assert!(w.path.is_none_or(|p| p.starts_with('/') && !p.contains(';')));
    if s.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7F) || w.http_only {
        assert!(w.ignored, "a write the browser ignores was not marked ignored");
    }
    w.is_deletion(NOW);
    if let Some(age) = w.max_age {
        assert_eq!(w.is_deletion(NOW), age <= 0);
    }
    // The pair written back on its own reads as the same pair.
    if !w.name.is_empty() {
        let again = format!("{}={}", w.name, w.value);
        let w2 = parse_write(&again);
        assert_eq!((w2.name, w2.value), (w.name, w.value), "re-parse of {again:?}");
    }

    let pairs: Vec<(&str, &str)> = parse_jar(s).collect();
    assert!(pairs.len() <= s.matches(';').count() + 1);
    for (name, value) in &pairs {
        assert!(is_within(name, s) && is_within(value, s), "jar pair not from the input");
        assert!(!name.contains([';', '=']) && !value.contains(';'), "{name:?}={value:?}");
        assert!(trimmed(name) && trimmed(value));
        assert!(!name.is_empty() || !value.is_empty() || s.contains('='));
    }
    // Written back as a jar, the pairs read the same.
    let jar: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let jar = jar.join("; ");
    let again: Vec<(&str, &str)> = parse_jar(&jar).collect();
    assert_eq!(again, pairs, "jar {jar:?}");
}

// --- host -------------------------------------------------------------------

/// The definition of a host match: equal, or ending with "." + suffix
/// (ASCII case ignored); an empty suffix matches nothing.
fn reference_match(host: &str, suffix: &str) -> bool {
    let (host, suffix) = (host.to_ascii_lowercase(), suffix.to_ascii_lowercase());
    !suffix.is_empty() && (host == suffix || host.ends_with(&format!(".{suffix}")))
}

/// `host`: `url \n suffix`. `url_host` gives a canonical host that reads
/// back as itself; the default table and `host_matches` only ever match a
/// host that is the service host or a subdomain of it.
pub fn check_host(data: &[u8]) {
    let parts = lines(data, 2);
    let (url, suffix) = (parts[0].as_str(), parts[1].as_str());
    let table = default_table();

    let parsed = host::url_host(url);
    if let Some(h) = &parsed {
        assert!(!h.is_empty() && h.is_ascii(), "url_host({url:?}) = {h:?}");
        assert_eq!(*h, h.to_ascii_lowercase(), "url_host({url:?}) not lower-case");
        assert!(
            !h.contains(['/', '\\', '?', '#', '@', ' ', '%', '\t', '\n', '\r']),
            "url_host({url:?}) = {h:?}"
        );
        assert_eq!(
            host::url_host(&format!("https://{h}/")).as_deref(),
            Some(h.as_str()),
            "url_host({url:?}) = {h:?} does not read back as itself"
        );
        let found = check_service_for(table, h);
        let verdict = url_verdict(table, &Grants::necessary_only(table), url);
        let want = match found {
            Some(id) if !Grants::necessary_only(table).allows_service(table, id) => {
                UrlVerdict::Hold(id)
            }
            _ => UrlVerdict::Allow,
        };
        assert_eq!(verdict, want, "url_verdict({url:?})");
        assert_eq!(url_verdict(table, &Grants::all(table), url), UrlVerdict::Allow);
        check_psl(h);
    } else {
        assert_eq!(url_verdict(table, &Grants::necessary_only(table), url), UrlVerdict::Allow);
    }
    check_service_for(table, url);

    for h in std::iter::once(url).chain(parsed.as_deref()) {
        assert_eq!(
            host::host_matches(h, suffix),
            reference_match(h, suffix),
            "host_matches({h:?}, {suffix:?})"
        );
    }
    if let Ok(n) = host::normalize_table_host(suffix) {
        assert_eq!(host::normalize_table_host(&n).as_deref(), Ok(n.as_str()), "{suffix:?}");
        assert_eq!(
            host::url_host(&format!("https://{n}/")).as_deref(),
            Some(n.as_str()),
            "table host {suffix:?} → {n:?} does not read back from a URL"
        );
        if let Some(h) = &parsed {
            assert_eq!(host::host_matches(h, &n), reference_match(h, &n), "{h:?} vs {n:?}");
        }
        check_psl(&n);
    }
}

/// The registrable domain is the host or a parent of it, never a public
/// suffix, and its parent is one.
fn check_psl(h: &str) {
    psl::is_public_suffix(h);
    if let Some(r) = psl::registrable_domain(h) {
        assert!(reference_match(h, r), "registrable_domain({h:?}) = {r:?}");
        assert!(!psl::is_public_suffix(r), "registrable_domain({h:?}) = {r:?} is a public suffix");
        let (_, parent) = r.split_once('.').expect("a registrable domain has a dot");
        assert!(psl::is_public_suffix(parent), "{r:?} is not suffix + one label");
    }
}

// --- deletion ---------------------------------------------------------------

/// `deletion`: `name \n host \n path \n flags` (`secure` when the first
/// byte of flags is odd). Run once as given (no panic, bounded, each write
/// deletes the named cookie) and once as a browser would call it — host
/// through the URL parser, path percent-encoded like `location.pathname` —
/// where every Domain and Path must be one the page can reach.
pub fn check_deletion(data: &[u8]) {
    let parts = lines(data, 4);
    let (name, host_in, path) = (parts[0].as_str(), parts[1].as_str(), parts[2].as_str());
    let secure = parts[3].bytes().next().is_some_and(|b| b & 1 == 1);

    check_deletion_writes(name, host_in, path, secure, false);
    if let Some(h) = host::url_host(&format!("https://{host_in}/")) {
        check_deletion_writes(name, &h, &page_path(path), secure, true);
    }
}

/// `path` as `location.pathname` shows it: starting with `/`, with the URL
/// standard's path percent-encode set escaped.
fn page_path(path: &str) -> String {
    let mut out = String::from("/");
    let path = path.strip_prefix('/').unwrap_or(path);
    for c in path.chars() {
        if c.is_ascii_graphic() && !matches!(c, '"' | '#' | '<' | '>' | '?' | '`' | '{' | '}') {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn check_deletion_writes(name: &str, host: &str, path: &str, secure: bool, strict: bool) {
    let writes = deletion_variants(name, host, path, secure);
    let valid_name = !name.is_empty()
        && trimmed(name)
        && !name.bytes().any(|b| b == b'=' || b == b';' || b < 0x20 || b == 0x7F);
    assert_eq!(!writes.is_empty(), valid_name, "writes for name {name:?}");
    let parents = host.matches('.').count();
    let depth = path.matches('/').count();
    let bound = (parents + 2) * (depth * 2 + 2);
    assert!(writes.len() <= bound, "{} writes > {bound}", writes.len());
    let unique: std::collections::HashSet<&String> = writes.iter().collect();
    assert_eq!(unique.len(), writes.len(), "duplicate deletion writes");
    let host_prefixed = name.get(..7).is_some_and(|p| p.eq_ignore_ascii_case("__Host-"));
    if host_prefixed && valid_name {
        assert_eq!(writes.len(), 1, "a __Host- cookie has one shape");
    }

    let page = path.split(['?', '#']).next().unwrap_or_default();
    let page = if page.starts_with('/') { page } else { "/" };
    let default_path = match page.rfind('/') {
        Some(0) | None => "/",
        Some(last) => &page[..last],
    };
    let registrable = psl::registrable_domain(host).filter(|_| !host_prefixed);
    let mut covers_host_only = false;
    // A Domain cut short at ';' could not be written (the URL standard lets
    // a host hold ';'); then only the host-only write is owed.
    let writable = |d: &str| d.len() <= 1024 && !d.contains(';');
    let mut covers_registrable = !registrable.is_some_and(writable);
    for write in &writes {
        let w = parse_write(write);
        assert_eq!(w.name, name, "{write:?} names another cookie");
        assert!(w.is_deletion(NOW), "{write:?} does not delete");
        assert_eq!(w.secure, secure, "{write:?}");
        if !strict {
            continue;
        }
        assert!(!w.ignored || name.len() > 4096, "the browser ignores {write:?}");
        if let Some(d) = w.domain {
            assert!(!psl::is_public_suffix(d), "{write:?} targets a public suffix");
            assert!(reference_match(host, d), "{write:?}: Domain is not {host:?} or a parent");
            let r = registrable.expect("a Domain only for a host with a registrable domain");
            assert!(reference_match(d, r), "{write:?}: Domain above {r:?}");
        }
        if let Some(p) = w.path {
            let ancestor = p == "/"
                || p == page
                || (page.starts_with(p)
                    && (p.ends_with('/') || page.as_bytes().get(p.len()) == Some(&b'/')));
            assert!(ancestor, "{write:?}: Path is not an ancestor of {page:?}");
        }
        if host_prefixed {
            assert_eq!((w.domain, w.path), (None, Some("/")), "{write:?}");
        }
        covers_host_only |= w.domain.is_none() && w.path.is_none();
        let at_root = w.path == Some("/") || (w.path.is_none() && default_path == "/");
        covers_registrable |= at_root && w.domain.is_some() && w.domain == registrable;
    }
    if strict && valid_name {
        assert!(covers_host_only || host_prefixed, "no plain host-only write");
        assert!(covers_registrable, "no write for Domain={registrable:?}; Path=/");
    }
}

// --- tag --------------------------------------------------------------------

/// `tag`: any text → `tag::rewrite` with the default table. The changes
/// describe the rewrite exactly (replaying them on the input gives the
/// output, so no byte outside a rewritten tag moved), each rewritten tag is
/// its original with insertions, and a second rewrite changes nothing.
pub fn check_tag(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let html: &str = &text;
    let table = default_table();
    let first = crate::tag::rewrite(html, table);

    let mut rebuilt = String::with_capacity(first.html.len());
    let mut at = 0;
    for c in &first.changes {
        assert!(c.offset >= at, "changes overlap or are out of order at {}", c.offset);
        let end = c.offset + c.original.len();
        assert_eq!(
            html.get(c.offset..end),
            Some(c.original.as_str()),
            "a change's original is not the input at its offset"
        );
        for tag in [&c.original, &c.rewritten] {
            assert!(tag.starts_with('<') && tag.ends_with('>'), "not a whole tag: {tag:?}");
        }
        assert!(
            is_subsequence(&c.original, &c.rewritten),
            "{:?} → {:?} drops bytes of the original",
            c.original,
            c.rewritten
        );
        // Ours, or the author's own `data-category` kept as written (a
        // marked-up tag that still loads is completed, not re-marked).
        assert!(
            c.rewritten.contains(" data-category=\"")
                || (c.original.to_ascii_lowercase().contains("data-category")
                    && c.rewritten.len() > c.original.len()),
            "{:?}",
            c.rewritten
        );
        let service = table.service_id(&c.service_id).expect("a change names a table service");
        let entry = table.service(service).expect("service id from the table");
        assert_eq!(table.category(entry.category).id, c.category_id);
        if let Some(h) = host::url_host(&c.url) {
            assert_eq!(
                service_for_host(table, &h),
                Some(service),
                "{:?} held as {}",
                c.url,
                entry.id
            );
        }
        assert_eq!((c.line, c.column), line_column(html, c.offset), "position of {:?}", c.original);
        rebuilt.push_str(html.get(at..c.offset).expect("char boundary"));
        rebuilt.push_str(&c.rewritten);
        at = end;
    }
    rebuilt.push_str(html.get(at..).expect("char boundary"));
    assert_eq!(rebuilt, first.html, "bytes outside the rewritten tags changed");
    if let Some(u) = first.unfinished {
        assert_eq!(html.as_bytes().get(u), Some(&b'<'), "unfinished tag offset {u}");
        assert!(first.changes.iter().all(|c| c.offset < u), "a change after the unfinished tag");
    }
    assert_eq!(crate::tag::untagged(html, table), first.changes, "untagged disagrees with rewrite");

    let second = crate::tag::rewrite(&first.html, table);
    assert!(
        second.changes.is_empty(),
        "not idempotent: the second rewrite changes {:?}",
        second.changes.first().map(|c| (&c.original, &c.rewritten))
    );
    assert_eq!(second.html, first.html);
}

/// Whether `small`'s bytes appear in `big` in order.
fn is_subsequence(small: &str, big: &str) -> bool {
    let mut big = big.bytes();
    small.bytes().all(|b| big.any(|x| x == b))
}

/// 1-based line and column (in characters) of byte `offset`; `\n`, `\r\n`
/// and `\r` end lines.
fn line_column(html: &str, offset: usize) -> (u32, u32) {
    let (mut line, mut column, mut after_cr) = (1, 1, false);
    for c in html.get(..offset).unwrap_or_default().chars() {
        match c {
            '\n' if after_cr => {}
            '\n' | '\r' => (line, column) = (line + 1, 1),
            _ => column += 1,
        }
        after_cr = c == '\r';
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn fuzz_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
    }

    /// Every file under `fuzz/<kind>/<target>/`, as (target, path).
    fn inputs(kind: &str) -> Vec<(String, PathBuf)> {
        let mut out = Vec::new();
        let Ok(dirs) = std::fs::read_dir(fuzz_dir().join(kind)) else { return out };
        for dir in dirs.flatten() {
            let target = dir.file_name().to_string_lossy().into_owned();
            let Ok(files) = std::fs::read_dir(dir.path()) else { continue };
            for file in files.flatten() {
                out.push((target.clone(), file.path()));
            }
        }
        out.sort();
        out
    }

    fn replay(kind: &str) -> usize {
        let inputs = inputs(kind);
        for (target, path) in &inputs {
            let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let outcome = std::panic::catch_unwind(|| check(target, &data));
            match outcome {
                Ok(true) => {}
                Ok(false) => panic!("{}: no fuzz target {target:?}", path.display()),
                Err(_) => panic!("{}: the {target} invariants fail on it", path.display()),
            }
        }
        inputs.len()
    }

    /// Each crash a fuzzer found, kept as a file, stays fixed.
    #[test]
    fn fuzz_regressions_stay_fixed() {
        replay("regressions");
    }

    /// The seed corpus (the project's fixtures and real strings) passes the
    /// invariants, so a fuzz run starts from good inputs.
    #[test]
    fn fuzz_seeds_pass() {
        let n = replay("seeds");
        assert!(n >= TARGETS.len(), "only {n} seed files");
    }

    /// Regenerate `fuzz/seeds/` from the project's fixtures and from
    /// records and writes the code makes:
    /// `cargo test --lib fuzzing::tests::write_seeds -- --ignored`.
    #[test]
    #[ignore = "writes fuzz/seeds/; run by hand"]
    fn write_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let seeds = fuzz_dir().join("seeds");
        let mut files: Vec<(&str, String, Vec<u8>)> = Vec::new();

        // table: every table the project ships or tests with.
        let mut tables = vec![root.join("www/cookies.json")];
        for dir in ["examples", "tests/fixtures/invalid", "tests/fixtures/schema-invalid"] {
            let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            tables.extend(found);
        }
        let mut valid = Vec::new();
        for path in &tables {
            let text = std::fs::read_to_string(path).unwrap();
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('/', "-");
            if let Ok(table) = crate::table::parse(&text) {
                valid.push((rel.clone(), table));
            }
            files.push(("table", rel, text.into_bytes()));
        }

        // record: both forms of records made for each valid table.
        for (name, table) in &valid {
            let name = name.trim_end_matches(".json");
            let services: Vec<String> = table.services.iter().map(|s| s.id.clone()).collect();
            for (n, action) in ACTIONS.into_iter().enumerate() {
                let lang = table.languages().last().copied().unwrap_or("en").to_string();
                let r = Record::new(
                    table,
                    |i| (i + n) % 2 == 0,
                    if n % 2 == 1 { services.clone() } else { Vec::new() },
                    action,
                    [n as u8 * 17 + 3; 16],
                    NOW - n as i64 * DAY,
                    &lang,
                    n == 4,
                );
                let (json, cookie) = (r.to_json(), r.to_cookie_value());
                let both = format!("{json}\0{cookie}");
                files.push(("record", format!("{name}-{}.json", action.as_str()), json.into()));
                files.push(("record", format!("{name}-{}.cookie", action.as_str()), cookie.into()));
                if n < 2 {
                    files.push(("record", format!("{name}-{}.both", action.as_str()), both.into()));
                }
            }
        }

        // cookie: writes real scripts make, a jar, our own deletion writes.
        let cookies = [
            "_ga=GA1.2.1234567890.1795885200; path=/; domain=.example.com; max-age=63072000",
            "__utma=111872281.1234567890.1795885200.1795885200.1795885200.1; expires=Sun, 28 Nov 2028 17:00:00 GMT; path=/",
            "_gid=GA1.2.987654321.1795885200; expires=Sun, 29-Nov-26 17:00:00 GMT; path=/; SameSite=Lax",
            "IDE=AHWqTUm; Domain=doubleclick.net; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=None",
            "YSC=abc; Domain=.youtube.com; Path=/; Secure; SameSite=None; Partitioned",
            "consent_guard=1.0707.1795885200.1811611200.1.0123456789abcdef.accept_all.strictly-necessary+analytics.-.en.0.89abcdef; Path=/; Max-Age=15724800; SameSite=Lax",
            "PHPSESSID; path=/",
            "a=\"quoted value\"; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "_ga=GA1.2.3; _gid=GA1.2.4; PHPSESSID=abc; consent_guard=1.x; lonely; =eq; a=b=c",
        ];
        for (i, c) in cookies.iter().enumerate() {
            files.push(("cookie", format!("real-{i}"), c.as_bytes().to_vec()));
        }
        for (i, w) in deletion_variants("_ga", "www.example.co.uk", "/a/b/page.html", true)
            .into_iter()
            .enumerate()
            .step_by(5)
        {
            files.push(("cookie", format!("deletion-{i}"), w.into_bytes()));
        }

        // host: every host of the default table in the URL shapes pages use,
        // with its lookalikes and the table host as the suffix.
        let table = default_table();
        for s in &table.services {
            for h in &s.hosts {
                for (shape, url) in [
                    ("www", format!("https://www.{h}/embed/x?autoplay=1")),
                    ("relative", format!("//{h}:443/x.js")),
                    ("lookalike", format!("https://evil-{h}/x.js")),
                    ("wrapped", format!("https://{h}.evil.test/x.js")),
                ] {
                    files.push(("host", format!("{h}-{shape}"), format!("{url}\n{h}").into()));
                }
            }
        }
        let odd_urls = [
            "HTTPS://User:pw@WWW.YouTube.COM.:8443/embed\nyoutube.com",
            "https://bücher.example/\nxn--bcher-kva.example",
            "https://0x7f.1/x\n127.0.0.1",
            "http://[::1]:8080/\nlocalhost",
            "https://www%2Eyoutube%2Ecom/\nyoutube.com",
            " \t//doubleclick.net\\ads\ndoubleclick.net",
            "wss://x.com/socket\nt.co",
            "javascript:alert(1)//youtube.com\nyoutube.com",
            "https://ｙｏｕｔｕｂｅ．ｃｏｍ/\nyoutube.com",
            "https://www.example.co.uk/\nco.uk",
        ];
        for (i, u) in odd_urls.iter().enumerate() {
            files.push(("host", format!("odd-{i}"), u.as_bytes().to_vec()));
        }

        // deletion: declared names on the hosts and paths a site has.
        let deletions = [
            "_ga\nwww.example.co.uk\n/a/b/page.html\n1",
            "__utma\nshop.example.com\n/checkout/step/2?x=1#top\n0",
            "__Host-session\nexample.com\n/account/\n1",
            "__Secure-id\napp.example.github.io\n/\n1",
            "PHPSESSID\nlocalhost\n/index.php\n0",
            "IDE\n127.0.0.1\n/a/\n0",
            "x\nxn--bcher-kva.example\n/ä ö/;x/\n1",
            "consent_guard\na.b.c.d.example.org\n/a//b/\n0",
        ];
        for (i, d) in deletions.iter().enumerate() {
            files.push(("deletion", format!("site-{i}"), d.as_bytes().to_vec()));
        }

        // tag: the project's HTML pages and fixtures, and fragments as
        // document.write gets them.
        let mut pages = Vec::new();
        for dir in ["www", "tests/fixtures/html", "tests/e2e/pages", "tests/e2e/pages/enforcement"]
        {
            if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
                pages.extend(
                    entries
                        .flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "html")),
                );
            }
        }
        pages.sort();
        for path in pages {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('/', "-");
            files.push(("tag", rel, std::fs::read(&path).unwrap()));
        }
        let fragments = [
            "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-X\"></script>",
            "<img src=x srcset=\"https://ad.doubleclick.net/p.gif 1x, /a.png 2x\" alt=''>",
            "<iframe width=560 src='https://www.youtube-nocookie.com/embed/x' allowfullscreen></iframe>",
            "<base href=\"https://t.co/\"><script src=\"w.js\" type=module></script>",
            "<!-- <script src=https://x.com/a.js></script> --><textarea><img src=//ytimg.com/a></textarea>",
            "<svg><![CDATA[<script src=https://twimg.com/a.js>]]></svg><SCRIPT SRC=&#x2F;&#x2F;youtu.be/x>",
            "<scr",
        ];
        for (i, f) in fragments.iter().enumerate() {
            files.push(("tag", format!("fragment-{i}"), f.as_bytes().to_vec()));
        }

        for target in TARGETS {
            let dir = seeds.join(target);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (target, name, data) in files {
            std::fs::write(seeds.join(target).join(name), data).unwrap();
        }
    }

    #[test]
    fn the_default_table_passes_the_table_invariants() {
        check_accepted_table(default_table());
    }
}
