//! The consent record: proof of what a visitor chose, and the rules that say
//! whether a stored choice still holds.
//!
//! Every decision makes a new [`Record`] (COMPLIANCE.md R11): a random id,
//! UTC time, the action, the choice per category, the table's revision and
//! fingerprint, the language and text version the visitor saw, the GPC flag
//! and the expiry. It is stored twice: as JSON in localStorage, and as a
//! compact first-party cookie a server can read. Both carry a checksum.
//!
//! Anything wrong with what is stored — corrupt, hand-edited (checksum
//! mismatch), from an unknown version, for another table, expired, dated in
//! the future — makes it *no choice*: the visitor is asked again and nothing
//! is granted meanwhile. The checksum is not a secret: it catches edits and
//! corruption, not a visitor determined to grant themselves consent in their
//! own browser (which is theirs to do).

use crate::fingerprint::{hex, Fnv64};
use crate::json::{self, Kind, Value};
use crate::table::{is_language_tag, is_valid_id, Table, MAX_EXPIRY_DAYS};
use crate::time::{self, DAY};

/// The record format this code writes and reads.
pub const RECORD_VERSION: u64 = 1;

/// The localStorage key and the cookie name.
pub const STORAGE_KEY: &str = "consent_guard";

/// How far in the future a record's time may be before it is refused
/// (clocks drift; a week-ahead record was written by hand).
const CLOCK_SKEW: i64 = DAY;

/// What the visitor (or the browser signal) did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// "Accept all".
    AcceptAll,
    /// "Reject all", or closing the banner (which rejects).
    RejectAll,
    /// "Save" in the preferences, granting no less than before.
    SaveSelection,
    /// A save that takes back a category granted before.
    Withdraw,
    /// Global Privacy Control refused advertising without asking.
    Gpc,
    /// The stored choice ran out; recorded so the proof trail shows why the
    /// visitor was asked again. Grants nothing.
    Expired,
}

impl Action {
    const ALL: [Action; 6] = [
        Action::AcceptAll,
        Action::RejectAll,
        Action::SaveSelection,
        Action::Withdraw,
        Action::Gpc,
        Action::Expired,
    ];

    /// The name used in the record and the JS API.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::AcceptAll => "accept_all",
            Action::RejectAll => "reject_all",
            Action::SaveSelection => "save_selection",
            Action::Withdraw => "withdraw",
            Action::Gpc => "gpc",
            Action::Expired => "expired",
        }
    }

    /// The action with this name.
    pub fn from_name(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// One consent decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 32 lower-case hex digits from a random source.
    pub id: String,
    /// What was done.
    pub action: Action,
    /// When, in seconds since the Unix epoch (UTC).
    pub time: i64,
    /// When the choice stops holding.
    pub expires: i64,
    /// `(category id, granted)` for every category of the table, in table
    /// order. Read from the cookie copy, only granted ones are listed.
    pub categories: Vec<(String, bool)>,
    /// Services allowed one by one, beyond their category.
    pub services: Vec<String>,
    /// The table's revision.
    pub revision: u64,
    /// The table's material fingerprint.
    pub fingerprint: String,
    /// The banner language.
    pub lang: String,
    /// The texts' fingerprint (empty when read from the cookie copy).
    pub text_version: String,
    /// Whether the browser sent Global Privacy Control.
    pub gpc: bool,
}

/// Why a stored record cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// Not readable at all.
    #[error("the stored consent is corrupt ({0})")]
    Corrupt(&'static str),
    /// Written by a version of consent-guard this one does not know.
    #[error("the stored consent has unknown format version {0}")]
    UnknownVersion(String),
    /// The checksum does not match: edited by hand or damaged.
    #[error("the stored consent fails its checksum (edited or damaged)")]
    Tampered,
    /// The two stored copies contradict each other in a way time cannot settle.
    #[error("the stored consent copies disagree")]
    Disagree,
}

/// Whether a readable record still decides for this table, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// It holds: apply its grants, do not ask.
    Valid,
    /// Past its expiry (or the table's shorter one): ask again.
    Expired,
    /// Made for another revision or material content of the table: ask again.
    Outdated,
    /// Dated in the future or claiming a lifetime no table allows: ignore.
    Implausible,
    /// An `expired` marker: proof only, no choice.
    NoChoice,
}

impl Record {
    /// A new record for a decision, `random` from a cryptographic source.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        table: &Table,
        granted: impl Fn(usize) -> bool,
        services: Vec<String>,
        action: Action,
        random: [u8; 16],
        now: i64,
        lang: &str,
        gpc: bool,
    ) -> Record {
        let id = random.iter().map(|b| hex(u64::from(*b), 2)).collect();
        let categories = table
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), c.is_necessary() || granted(i)))
            .collect();
        Record {
            id,
            action,
            time: now,
            expires: now.saturating_add(i64::from(table.expiry_days) * DAY),
            categories,
            services,
            revision: table.revision,
            fingerprint: crate::fingerprint::material(table),
            lang: lang.to_string(),
            text_version: crate::fingerprint::text_version(table, lang),
            gpc,
        }
    }

    /// Whether the record grants category `id`.
    pub fn grants(&self, id: &str) -> bool {
        self.categories.iter().any(|(c, granted)| c == id && *granted)
    }

    /// The record's status against `table` at `now`.
    pub fn status(&self, table: &Table, now: i64) -> Status {
        let lifetime = self.expires.saturating_sub(self.time);
        if self.time > now.saturating_add(CLOCK_SKEW)
            || lifetime <= 0
            || lifetime > i64::from(MAX_EXPIRY_DAYS) * DAY
        {
            return Status::Implausible;
        }
        if self.action == Action::Expired {
            return Status::NoChoice;
        }
        // A table that shortened its expiry shortens choices already made.
        let table_expiry = self.time.saturating_add(i64::from(table.expiry_days) * DAY);
        if now >= self.expires || now >= table_expiry {
            return Status::Expired;
        }
        if self.revision != table.revision
            || self.fingerprint != crate::fingerprint::material(table)
        {
            return Status::Outdated;
        }
        Status::Valid
    }

    fn checksum(&self) -> String {
        let mut h = Fnv64::default();
        h.field("consent-guard record v1");
        h.field(&self.id);
        h.field(self.action.as_str());
        h.field(&self.time.to_string());
        h.field(&self.expires.to_string());
        for (id, granted) in &self.categories {
            h.field(id);
            h.field(if *granted { "1" } else { "0" });
        }
        h.field("services");
        for s in &self.services {
            h.field(s);
        }
        h.field(&self.revision.to_string());
        h.field(&self.fingerprint);
        h.field(&self.lang);
        h.field(&self.text_version);
        h.field(if self.gpc { "1" } else { "0" });
        hex(h.finish(), 16)
    }

    /// The localStorage form: a JSON object (documented in the README).
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"v\":1,\"id\":");
        json::write_str(&mut out, &self.id);
        out.push_str(",\"action\":");
        json::write_str(&mut out, self.action.as_str());
        out.push_str(",\"time\":");
        json::write_str(&mut out, &time::format_iso(self.time));
        out.push_str(",\"expires\":");
        json::write_str(&mut out, &time::format_iso(self.expires));
        out.push_str(",\"categories\":{");
        for (i, (id, granted)) in self.categories.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_str(&mut out, id);
            out.push_str(if *granted { ":true" } else { ":false" });
        }
        out.push_str("},\"services\":[");
        for (i, s) in self.services.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json::write_str(&mut out, s);
        }
        out.push_str("],\"revision\":");
        out.push_str(&self.revision.to_string());
        out.push_str(",\"fingerprint\":");
        json::write_str(&mut out, &self.fingerprint);
        out.push_str(",\"lang\":");
        json::write_str(&mut out, &self.lang);
        out.push_str(",\"textVersion\":");
        json::write_str(&mut out, &self.text_version);
        out.push_str(",\"gpc\":");
        out.push_str(if self.gpc { "true" } else { "false" });
        out.push_str(",\"sum\":");
        json::write_str(&mut out, &self.checksum());
        out.push('}');
        out
    }

    /// Read the localStorage form.
    pub fn from_json(text: &str) -> Result<Record, RecordError> {
        Record::decode_json(text, true)
    }

    /// [`Record::from_json`] without comparing the checksum: what the text
    /// would decode to with a correct `sum`. The fuzz targets cannot forge a
    /// 64-bit checksum; this lets them reach everything behind it.
    #[cfg(any(test, fuzzing))]
    pub(crate) fn from_json_unverified(text: &str) -> Result<Record, RecordError> {
        Record::decode_json(text, false)
    }

    fn decode_json(text: &str, verify: bool) -> Result<Record, RecordError> {
        let root = json::parse(text).map_err(|_| RecordError::Corrupt("not JSON"))?;
        let members = root.as_object().ok_or(RecordError::Corrupt("not an object"))?;
        // Version first: a future format may change everything else.
        match root.get("v").map(|v| &v.kind) {
            Some(Kind::Number(n)) if n == "1" => {}
            Some(Kind::Number(n)) => return Err(RecordError::UnknownVersion(n.clone())),
            _ => return Err(RecordError::Corrupt("no version")),
        }
        const FIELDS: &[&str] = &[
            "v",
            "id",
            "action",
            "time",
            "expires",
            "categories",
            "services",
            "revision",
            "fingerprint",
            "lang",
            "textVersion",
            "gpc",
            "sum",
        ];
        for (i, m) in members.iter().enumerate() {
            if !FIELDS.contains(&m.key.as_str()) || members.iter().take(i).any(|o| o.key == m.key) {
                return Err(RecordError::Corrupt("unexpected field"));
            }
        }
        let string = |key: &'static str| root.get(key).and_then(Value::as_str);
        let text_of = |key: &'static str| string(key).ok_or(RecordError::Corrupt(key));
        let time_of = |key: &'static str| {
            string(key).and_then(time::parse_iso).ok_or(RecordError::Corrupt(key))
        };
        let mut categories = Vec::new();
        for m in root
            .get("categories")
            .and_then(Value::as_object)
            .ok_or(RecordError::Corrupt("categories"))?
        {
            let granted = m.value.as_bool().ok_or(RecordError::Corrupt("categories"))?;
            if !is_valid_id(&m.key) {
                return Err(RecordError::Corrupt("categories"));
            }
            categories.push((m.key.clone(), granted));
        }
        let mut services = Vec::new();
        for s in root
            .get("services")
            .and_then(Value::as_array)
            .ok_or(RecordError::Corrupt("services"))?
        {
            let s =
                s.as_str().filter(|s| is_valid_id(s)).ok_or(RecordError::Corrupt("services"))?;
            services.push(s.to_string());
        }
        let record = Record {
            id: text_of("id")?.to_string(),
            action: Action::from_name(text_of("action")?).ok_or(RecordError::Corrupt("action"))?,
            time: time_of("time")?,
            expires: time_of("expires")?,
            categories,
            services,
            revision: root
                .get("revision")
                .and_then(Value::as_u64)
                .ok_or(RecordError::Corrupt("revision"))?,
            fingerprint: text_of("fingerprint")?.to_string(),
            lang: text_of("lang")?.to_string(),
            text_version: text_of("textVersion")?.to_string(),
            gpc: root.get("gpc").and_then(Value::as_bool).ok_or(RecordError::Corrupt("gpc"))?,
        };
        record.check_shape()?;
        let sum = text_of("sum")?;
        if verify && sum != record.checksum() {
            return Err(RecordError::Tampered);
        }
        Ok(record)
    }

    /// Field formats both forms share; a record that passes can be written
    /// into the cookie without escaping.
    fn check_shape(&self) -> Result<(), RecordError> {
        let hex_of = |s: &str, n: usize| {
            s.len() == n && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        };
        if !hex_of(&self.id, 32) {
            return Err(RecordError::Corrupt("id"));
        }
        if !hex_of(&self.fingerprint, 16) {
            return Err(RecordError::Corrupt("fingerprint"));
        }
        if !(self.text_version.is_empty() || hex_of(&self.text_version, 8)) {
            return Err(RecordError::Corrupt("textVersion"));
        }
        if !is_language_tag(&self.lang) {
            return Err(RecordError::Corrupt("lang"));
        }
        Ok(())
    }

    /// The cookie form, readable by a server:
    /// `1.<id>.<time>.<expires>.<revision>.<fingerprint>.<action>.<granted>.<services>.<lang>.<gpc>.<sum>`
    /// with times in Unix seconds, `granted` and `services` `+`-joined ids
    /// (`-` when none), `gpc` `0`/`1`, and `sum` 8 hex digits over the rest.
    pub fn to_cookie_value(&self) -> String {
        let granted: Vec<&str> =
            self.categories.iter().filter(|(_, g)| *g).map(|(id, _)| id.as_str()).collect();
        let list =
            |items: &[&str]| if items.is_empty() { "-".to_string() } else { items.join("+") };
        let services: Vec<&str> = self.services.iter().map(String::as_str).collect();
        let body = [
            "1",
            &self.id,
            &self.time.to_string(),
            &self.expires.to_string(),
            &self.revision.to_string(),
            &self.fingerprint,
            self.action.as_str(),
            &list(&granted),
            &list(&services),
            &self.lang,
            if self.gpc { "1" } else { "0" },
        ]
        .join(".");
        let sum = cookie_checksum(&body);
        body + "." + &sum
    }

    /// Read the cookie form. Categories not listed as granted are absent from
    /// [`Record::categories`] (and so refused).
    pub fn from_cookie_value(value: &str) -> Result<Record, RecordError> {
        Record::decode_cookie(value, true)
    }

    /// [`Record::from_cookie_value`] without comparing the checksum (see
    /// [`Record::from_json_unverified`]).
    #[cfg(any(test, fuzzing))]
    pub(crate) fn from_cookie_value_unverified(value: &str) -> Result<Record, RecordError> {
        Record::decode_cookie(value, false)
    }

    fn decode_cookie(value: &str, verify: bool) -> Result<Record, RecordError> {
        let (body, sum) = value.rsplit_once('.').ok_or(RecordError::Corrupt("cookie"))?;
        let parts: Vec<&str> = body.split('.').collect();
        let [version, id, time, expires, revision, fingerprint, action, granted, services, lang, gpc] =
            parts.as_slice()
        else {
            return match parts.first() {
                Some(v) if *v != "1" => Err(RecordError::UnknownVersion(v.to_string())),
                _ => Err(RecordError::Corrupt("cookie fields")),
            };
        };
        if *version != "1" {
            return Err(RecordError::UnknownVersion(version.to_string()));
        }
        if verify && cookie_checksum(body) != sum {
            return Err(RecordError::Tampered);
        }
        // Only times the JSON form can carry (years 0000 to 9999), so a
        // record read from the cookie can always be stored as JSON too.
        let number = |s: &str, what| {
            s.parse::<i64>()
                .ok()
                .filter(|&t| time::parse_iso(&time::format_iso(t)).is_some())
                .ok_or(RecordError::Corrupt(what))
        };
        let ids = |s: &str, what| -> Result<Vec<String>, RecordError> {
            if s == "-" {
                return Ok(Vec::new());
            }
            s.split('+')
                .map(|id| {
                    if is_valid_id(id) {
                        Ok(id.to_string())
                    } else {
                        Err(RecordError::Corrupt(what))
                    }
                })
                .collect()
        };
        let record = Record {
            id: id.to_string(),
            action: Action::from_name(action).ok_or(RecordError::Corrupt("action"))?,
            time: number(time, "time")?,
            expires: number(expires, "expires")?,
            categories: ids(granted, "granted")?.into_iter().map(|id| (id, true)).collect(),
            services: ids(services, "services")?,
            revision: revision.parse().map_err(|_| RecordError::Corrupt("revision"))?,
            fingerprint: fingerprint.to_string(),
            lang: lang.to_string(),
            text_version: String::new(),
            gpc: match *gpc {
                "0" => false,
                "1" => true,
                _ => return Err(RecordError::Corrupt("gpc")),
            },
        };
        record.check_shape()?;
        Ok(record)
    }

    /// Whether two records say the same thing (the cookie form carries less).
    fn agrees_with(&self, other: &Record) -> bool {
        fn granted(r: &Record) -> Vec<&str> {
            let mut ids: Vec<&str> =
                r.categories.iter().filter(|(_, g)| *g).map(|(id, _)| id.as_str()).collect();
            crate::fingerprint::sort_small(&mut ids);
            ids
        }
        self.id == other.id
            && self.time == other.time
            && self.expires == other.expires
            && self.action == other.action
            && self.revision == other.revision
            && self.fingerprint == other.fingerprint
            && self.services == other.services
            && granted(self) == granted(other)
    }
}

fn cookie_checksum(body: &str) -> String {
    let mut h = Fnv64::default();
    h.field("consent-guard cookie v1");
    h.field(body);
    hex(h.finish(), 8)
}

/// The stored choice, from whichever copies could be read.
///
/// Either copy may be missing (localStorage blocked, cookies disabled or
/// cleared): the other decides alone. A copy that is present but unreadable
/// makes the whole choice unreadable — fail closed. When both are readable
/// and differ, the later one wins (another tab may have written one copy
/// just now); a tie that disagrees is refused.
pub fn read_stored(
    local: Option<&str>,
    cookie: Option<&str>,
) -> Result<Option<Record>, RecordError> {
    let local = local.map(Record::from_json).transpose()?;
    let cookie = cookie.map(Record::from_cookie_value).transpose()?;
    match (local, cookie) {
        (None, None) => Ok(None),
        (Some(r), None) | (None, Some(r)) => Ok(Some(r)),
        (Some(l), Some(c)) if l.agrees_with(&c) => Ok(Some(l)),
        (Some(l), Some(c)) if l.time > c.time => Ok(Some(l)),
        (Some(l), Some(c)) if c.time > l.time => Ok(Some(c)),
        _ => Err(RecordError::Disagree),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse;

    const TABLE: &str = r#"{
      "revision": 3,
      "expiryDays": 182,
      "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
      "cookies": [
        {"name": "sid", "category": "strictly-necessary", "party": "first", "purpose": "Session",
         "duration": "Session", "justification": "Login"}
      ]
    }"#;
    const NOW: i64 = 1_795_000_000;

    fn table() -> Table {
        parse(TABLE).unwrap()
    }

    fn record(action: Action, analytics: bool) -> Record {
        let table = table();
        Record::new(&table, |i| i == 1 && analytics, vec![], action, [7; 16], NOW, "en", false)
    }

    #[test]
    fn new_record_fills_every_field() {
        let r = record(Action::SaveSelection, true);
        assert_eq!(r.id, "07".repeat(16));
        assert_eq!(r.expires - r.time, 182 * DAY);
        assert_eq!(
            r.categories,
            vec![
                ("strictly-necessary".into(), true),
                ("analytics".into(), true),
                ("advertising".into(), false)
            ]
        );
        assert_eq!(r.revision, 3);
        assert_eq!(r.fingerprint, crate::fingerprint::material(&table()));
        assert_eq!(r.text_version.len(), 8);
        assert!(
            r.grants("analytics") && !r.grants("advertising") && r.grants("strictly-necessary")
        );
    }

    #[test]
    fn json_round_trip() {
        let mut r = record(Action::AcceptAll, true);
        r.services = vec!["youtube".into()];
        r.gpc = true;
        let text = r.to_json();
        assert!(text.starts_with("{\"v\":1,\"id\":\"0707"), "{text}");
        assert!(text.contains("\"time\":\"2026-11-18T"), "{text}");
        assert_eq!(Record::from_json(&text), Ok(r));
    }

    #[test]
    fn cookie_round_trip_and_shape() {
        let r = record(Action::RejectAll, false);
        let value = r.to_cookie_value();
        assert!(value.starts_with(&format!("1.{}.{NOW}.", r.id)), "{value}");
        assert!(value.contains(".reject_all.strictly-necessary.-.en.0."), "{value}");
        assert!(
            value.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-+".contains(&b)),
            "{value}"
        );
        let back = Record::from_cookie_value(&value).unwrap();
        assert!(back.agrees_with(&r));
        assert!(back.grants("strictly-necessary") && !back.grants("analytics"));
    }

    #[test]
    fn hand_edits_are_caught() {
        let text = record(Action::RejectAll, false).to_json();
        let granted = text.replace("\"analytics\":false", "\"analytics\":true");
        assert_ne!(granted, text);
        assert_eq!(Record::from_json(&granted), Err(RecordError::Tampered));
        let value = record(Action::RejectAll, false).to_cookie_value();
        let granted =
            value.replace("strictly-necessary", "strictly-necessary+analytics+advertising");
        assert_eq!(Record::from_cookie_value(&granted), Err(RecordError::Tampered));
    }

    #[test]
    fn cookie_times_stay_within_what_json_can_hold() {
        // Found by the record fuzz target: a cookie dated in the year 570981
        // was read, but its JSON copy could not be.
        for (time, expires) in [(1_000_000_000_000_000, NOW), (NOW, i64::MAX), (i64::MIN, NOW)] {
            let mut r = record(Action::AcceptAll, true);
            (r.time, r.expires) = (time, expires);
            let what = if time == NOW { "expires" } else { "time" };
            assert_eq!(
                Record::from_cookie_value(&r.to_cookie_value()),
                Err(RecordError::Corrupt(what))
            );
        }
        let mut r = record(Action::AcceptAll, true);
        r.expires = crate::time::parse_iso("9999-12-31T23:59:59Z").unwrap();
        let back = Record::from_cookie_value(&r.to_cookie_value()).unwrap();
        assert_eq!(Record::from_json(&back.to_json()), Ok(back));
    }

    #[test]
    fn checksums_can_be_skipped_for_the_fuzz_targets() {
        let text = record(Action::RejectAll, false).to_json();
        let granted = text.replace("\"analytics\":false", "\"analytics\":true");
        assert_eq!(Record::from_json(&granted), Err(RecordError::Tampered));
        assert!(Record::from_json_unverified(&granted).unwrap().grants("analytics"));
        let value = record(Action::RejectAll, false).to_cookie_value();
        let edited = value.replace("reject_all", "accept_all");
        assert_eq!(Record::from_cookie_value(&edited), Err(RecordError::Tampered));
        assert_eq!(
            Record::from_cookie_value_unverified(&edited).unwrap().action,
            Action::AcceptAll
        );
    }

    #[test]
    fn unknown_versions_are_refused() {
        let text = record(Action::AcceptAll, true).to_json().replacen("\"v\":1", "\"v\":2", 1);
        assert_eq!(Record::from_json(&text), Err(RecordError::UnknownVersion("2".into())));
        let value = record(Action::AcceptAll, true).to_cookie_value();
        let future = format!("2{}", &value[1..]);
        assert_eq!(
            Record::from_cookie_value(&future),
            Err(RecordError::UnknownVersion("2".into()))
        );
        assert_eq!(Record::from_cookie_value("9.x"), Err(RecordError::UnknownVersion("9".into())));
    }

    #[test]
    fn garbage_is_corrupt_not_a_crash() {
        for text in
            ["", "null", "[]", "{}", "{\"v\":1}", "{\"v\":\"1\"}", "\u{0}", "{\"v\":1,\"x\":2}"]
        {
            assert!(Record::from_json(text).is_err(), "{text:?}");
        }
        for value in ["", ".", "1", "1.2.3", "1..........", "%%%", "1.a.b.c.d.e.f.g.h.i.j.k"] {
            assert!(Record::from_cookie_value(value).is_err(), "{value:?}");
        }
    }

    #[test]
    fn status_rules() {
        let table = table();
        let r = record(Action::AcceptAll, true);
        assert_eq!(r.status(&table, NOW), Status::Valid);
        assert_eq!(r.status(&table, NOW + 181 * DAY), Status::Valid);
        assert_eq!(r.status(&table, NOW + 182 * DAY), Status::Expired);
        // A shorter expiry in a new table shortens existing choices.
        let shorter = parse(&TABLE.replace("\"expiryDays\": 182", "\"expiryDays\": 30")).unwrap();
        let mut r_short = r.clone();
        r_short.fingerprint = crate::fingerprint::material(&shorter);
        assert_eq!(r_short.status(&shorter, NOW + 31 * DAY), Status::Expired);
        // Another revision or another material table: ask again.
        let revised = parse(&TABLE.replace("\"revision\": 3", "\"revision\": 4")).unwrap();
        assert_eq!(r.status(&revised, NOW), Status::Outdated);
        let grown = parse(&TABLE.replace(
            "{\"id\": \"advertising\"}",
            "{\"id\": \"advertising\"}, {\"id\": \"functional\"}",
        ))
        .unwrap();
        assert_eq!(r.status(&grown, NOW), Status::Outdated);
        // From the future, or claiming more than 13 months: not believed.
        assert_eq!(r.status(&table, NOW - 2 * DAY), Status::Implausible);
        let mut long = r.clone();
        long.expires = long.time + 400 * DAY;
        assert_eq!(long.status(&table, NOW), Status::Implausible);
        assert_eq!(record(Action::Expired, false).status(&table, NOW), Status::NoChoice);
    }

    #[test]
    fn reading_both_copies() {
        let a = record(Action::AcceptAll, true);
        let json = a.to_json();
        let cookie = a.to_cookie_value();
        assert_eq!(read_stored(None, None), Ok(None));
        assert_eq!(read_stored(Some(&json), None).unwrap().unwrap().id, a.id);
        assert_eq!(read_stored(None, Some(&cookie)).unwrap().unwrap().id, a.id);
        // Agreeing copies: the fuller localStorage one is used.
        assert_eq!(read_stored(Some(&json), Some(&cookie)).unwrap(), Some(a.clone()));
        // A damaged copy spoils the choice, even beside a good one.
        assert!(read_stored(Some("{"), Some(&cookie)).is_err());
        assert!(read_stored(Some(&json), Some("1.x")).is_err());
        // Two good copies from different moments: the later wins.
        let mut later = record(Action::RejectAll, false);
        later.id = "ab".repeat(16);
        later.time += 60;
        later.expires += 60;
        let picked = read_stored(Some(&json), Some(&later.to_cookie_value())).unwrap().unwrap();
        assert_eq!(picked.id, later.id);
        // Same moment, different content: refused.
        let mut twin = a.clone();
        twin.id = "cd".repeat(16);
        assert_eq!(
            read_stored(Some(&json), Some(&twin.to_cookie_value())),
            Err(RecordError::Disagree)
        );
    }
}
