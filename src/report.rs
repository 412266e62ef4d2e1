//! The outbox of reports for the site's `reportUrl`: consent records (proof
//! of consent, GDPR art. 7(1)) and undeclared-cookie reports.
//!
//! Delivery is at-least-once: a report stays queued (in localStorage, across
//! page loads) until the endpoint answers 2xx for it; failures are retried on
//! later page loads with exponential backoff; the receiver deduplicates by
//! `id`. The queue is bounded, and when it is full the oldest *undeclared*
//! reports are dropped first — consent records are never dropped.
//!
//! Pure: the browser layer stores [`Queue::to_json`], sends [`Queue::due`]
//! items and calls [`Queue::delivered`] / [`Queue::failed`].

use crate::json::{self, Value};

/// The localStorage key of the queue.
pub const QUEUE_KEY: &str = "consent_guard_reports";

/// At most this many undeclared-cookie reports wait; records always wait.
pub const MAX_OTHER_REPORTS: usize = 20;

/// The first retry waits this long; each failure doubles it.
const FIRST_BACKOFF: i64 = 30;

/// Retries never wait longer than a day.
const MAX_BACKOFF: i64 = 86_400;

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A consent record.
    Record,
    /// A cookie the table does not declare.
    Undeclared,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Record => "consent-record",
            Kind::Undeclared => "undeclared-cookie",
        }
    }
}

/// One report waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Unique id; the receiver deduplicates by it.
    pub id: String,
    /// What it is about.
    pub kind: Kind,
    /// The JSON body to POST.
    pub body: String,
    /// Failed attempts so far.
    pub attempts: u32,
    /// Not to be sent before this time (Unix seconds).
    pub not_before: i64,
}

/// The reports waiting, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Queue {
    /// In the order they were queued.
    pub reports: Vec<Report>,
}

/// The body POSTed for a consent record: the record itself (its JSON form,
/// see the README) wrapped with the type and the page's host.
pub fn record_body(record_json: &str, site: &str) -> String {
    let mut out = String::from("{\"type\":\"consent-record\",\"site\":");
    json::write_str(&mut out, site);
    out.push_str(",\"record\":");
    out.push_str(record_json);
    out.push('}');
    out
}

/// The id of the report for cookie `name` on `site`: the same on every page
/// and in every tab, so the receiver stores one report per cookie however
/// often it is seen (32 hex digits, like a record id).
pub fn undeclared_id(site: &str, name: &str) -> String {
    let mut id = String::with_capacity(32);
    for seed in ["consent-guard undeclared a", "consent-guard undeclared b"] {
        let mut h = crate::fingerprint::Fnv64::default();
        h.field(seed);
        h.field(site);
        h.field(name);
        id.push_str(&crate::fingerprint::hex(h.finish(), 16));
    }
    id
}

/// The body POSTed for an undeclared cookie.
pub fn undeclared_body(id: &str, name: &str, site: &str, page: &str, time: &str) -> String {
    let mut out = String::from("{\"type\":\"undeclared-cookie\",\"id\":");
    json::write_str(&mut out, id);
    for (key, value) in [("site", site), ("page", page), ("name", name), ("time", time)] {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        json::write_str(&mut out, value);
    }
    out.push('}');
    out
}

impl Queue {
    /// Add a report (an id already queued is not added twice), then bound
    /// the queue by dropping the oldest undeclared-cookie reports.
    pub fn push(&mut self, report: Report) {
        if self.reports.iter().any(|r| r.id == report.id) {
            return;
        }
        self.reports.push(report);
        let mut others = self.reports.iter().filter(|r| r.kind != Kind::Record).count();
        self.reports.retain(|r| {
            if r.kind != Kind::Record && others > MAX_OTHER_REPORTS {
                others -= 1;
                return false;
            }
            true
        });
    }

    /// Reports whose time has come, oldest first.
    pub fn due(&self, now: i64) -> impl Iterator<Item = &Report> {
        self.reports.iter().filter(move |r| r.not_before <= now)
    }

    /// The endpoint took it (2xx): forget it.
    pub fn delivered(&mut self, id: &str) {
        self.reports.retain(|r| r.id != id);
    }

    /// Sending failed: wait longer before the next try.
    pub fn failed(&mut self, id: &str, now: i64) {
        for report in self.reports.iter_mut().filter(|r| r.id == id) {
            report.attempts = report.attempts.saturating_add(1);
            let shift = report.attempts.saturating_sub(1).min(20);
            let wait = FIRST_BACKOFF.saturating_mul(1 << shift).min(MAX_BACKOFF);
            report.not_before = now.saturating_add(wait);
        }
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        let mut out = String::from("[");
        for (i, r) in self.reports.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"id\":");
            json::write_str(&mut out, &r.id);
            out.push_str(",\"kind\":");
            json::write_str(&mut out, r.kind.as_str());
            out.push_str(",\"attempts\":");
            out.push_str(&r.attempts.to_string());
            out.push_str(",\"notBefore\":");
            out.push_str(&r.not_before.to_string());
            out.push_str(",\"body\":");
            json::write_str(&mut out, &r.body);
            out.push('}');
        }
        out.push(']');
        out
    }

    /// Read the stored form. Entries that cannot be read are skipped (a
    /// damaged entry must not block the others); anything else yields an
    /// empty queue.
    pub fn from_json(text: &str) -> Queue {
        let Ok(root) = json::parse(text) else { return Queue::default() };
        let Some(items) = root.as_array() else { return Queue::default() };
        let reports = items.iter().filter_map(read_report).collect();
        Queue { reports }
    }
}

fn read_report(value: &Value) -> Option<Report> {
    let kind = match value.get("kind")?.as_str()? {
        "consent-record" => Kind::Record,
        "undeclared-cookie" => Kind::Undeclared,
        _ => return None,
    };
    let not_before = match &value.get("notBefore")?.kind {
        json::Kind::Number(n) => n.parse().ok()?,
        _ => return None,
    };
    Some(Report {
        id: value.get("id")?.as_str()?.to_string(),
        kind,
        body: value.get("body")?.as_str()?.to_string(),
        attempts: u32::try_from(value.get("attempts")?.as_u64()?).ok()?,
        not_before,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(id: &str, kind: Kind) -> Report {
        Report {
            id: id.into(),
            kind,
            body: format!("{{\"id\":\"{id}\"}}"),
            attempts: 0,
            not_before: 0,
        }
    }

    #[test]
    fn same_id_is_queued_once() {
        let mut q = Queue::default();
        q.push(report("a", Kind::Record));
        q.push(report("a", Kind::Record));
        assert_eq!(q.reports.len(), 1);
    }

    #[test]
    fn bound_drops_oldest_undeclared_never_records() {
        let mut q = Queue::default();
        q.push(report("r0", Kind::Record));
        for i in 0..MAX_OTHER_REPORTS + 5 {
            q.push(report(&format!("u{i}"), Kind::Undeclared));
        }
        for i in 1..40 {
            q.push(report(&format!("r{i}"), Kind::Record));
        }
        let records = q.reports.iter().filter(|r| r.kind == Kind::Record).count();
        let others: Vec<&str> = q
            .reports
            .iter()
            .filter(|r| r.kind == Kind::Undeclared)
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(records, 40);
        assert_eq!(others.len(), MAX_OTHER_REPORTS);
        assert_eq!(others.first(), Some(&"u5"), "the oldest went first");
        assert_eq!(q.reports[0].id, "r0");
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let mut q = Queue::default();
        q.push(report("a", Kind::Record));
        let waits: Vec<i64> = (0..14)
            .map(|_| {
                q.failed("a", 1000);
                q.reports[0].not_before - 1000
            })
            .collect();
        assert_eq!(&waits[..5], &[30, 60, 120, 240, 480]);
        assert_eq!(*waits.last().unwrap(), MAX_BACKOFF);
        assert_eq!(q.due(1000).count(), 0);
        assert_eq!(q.due(1000 + MAX_BACKOFF).count(), 1);
    }

    #[test]
    fn delivered_removes_only_that_id() {
        let mut q = Queue::default();
        q.push(report("a", Kind::Record));
        q.push(report("b", Kind::Undeclared));
        q.delivered("a");
        assert_eq!(q.reports.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn stored_form_round_trips_and_survives_damage() {
        let mut q = Queue::default();
        q.push(report("a\"<", Kind::Record));
        q.push(report("b", Kind::Undeclared));
        q.failed("b", 5);
        let text = q.to_json();
        assert_eq!(Queue::from_json(&text), q);
        assert_eq!(Queue::from_json("not json"), Queue::default());
        assert_eq!(Queue::from_json("{}"), Queue::default());
        let damaged = text.replacen("\"consent-record\"", "\"nonsense\"", 1);
        assert_eq!(Queue::from_json(&damaged).reports.len(), 1);
    }

    #[test]
    fn undeclared_ids_are_stable_per_site_and_name() {
        let id = undeclared_id("www.site.test", "_tracker");
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(id, undeclared_id("www.site.test", "_tracker"));
        assert_ne!(id, undeclared_id("www.site.test", "_tracker2"));
        assert_ne!(id, undeclared_id("shop.site.test", "_tracker"));
    }

    #[test]
    fn bodies_are_json() {
        let body = record_body("{\"v\":1}", "www.site.test");
        let v = json::parse(&body).unwrap();
        assert_eq!(v.get("type").and_then(Value::as_str), Some("consent-record"));
        assert_eq!(v.get("record").and_then(|r| r.get("v")).and_then(Value::as_u64), Some(1));
        let body = undeclared_body(
            "x1",
            "_tracker",
            "www.site.test",
            "https://www.site.test/a",
            "2026-11-28T17:00:00Z",
        );
        let v = json::parse(&body).unwrap();
        assert_eq!(v.get("name").and_then(Value::as_str), Some("_tracker"));
    }
}
