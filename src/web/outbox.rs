//! Delivering reports to the table's `reportUrl`, at least once.
//!
//! The rules (what to keep, when to retry, what to drop) are the core's
//! [`crate::report::Queue`]; this module stores the queue in localStorage
//! (memory when storage is unavailable), POSTs due reports with `fetch`
//! (`keepalive`, so a page being closed still finishes the request) and
//! hands what is left to `navigator.sendBeacon` when the page is hidden.
//! Each change re-reads the stored queue first; the receiver deduplicates by
//! id. Re-reading is not enough when two tabs save at the same moment: each
//! starts from its own copy and the last save wins, so a record the other tab
//! had just queued would be gone. The page that queued a record therefore
//! keeps it until an answer confirms it, and puts it back whenever it finds
//! it missing (on each change, when another tab saves, when hidden).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::report::{Kind, Queue, Report, QUEUE_KEY};
use crate::web::store::{self, Area};

thread_local! {
    /// The queue when localStorage cannot hold it.
    static MEMORY: RefCell<Option<Queue>> = const { RefCell::new(None) };
    /// Ids being sent by this page right now.
    static IN_FLIGHT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// Consent records this page queued that no 2xx has confirmed to it yet,
    /// with their retry bookkeeping: put back when another tab's save lost
    /// them. Undeclared-cookie reports may be dropped anyway, so not kept.
    static MINE: RefCell<Queue> = RefCell::new(Queue::default());
}

fn load() -> Queue {
    if let Some(queue) = MEMORY.with(|m| m.borrow().clone()) {
        return queue;
    }
    match store::get(Area::Local, QUEUE_KEY) {
        Ok(Some(text)) => Queue::from_json(&text),
        _ => Queue::default(),
    }
}

fn save(queue: &Queue) {
    let stored = store::set(Area::Local, QUEUE_KEY, &queue.to_json()).is_ok();
    MEMORY.with(|m| *m.borrow_mut() = if stored { None } else { Some(queue.clone()) });
}

fn update(f: impl FnOnce(&mut Queue)) {
    let mut queue = load();
    f(&mut queue);
    restore_mine(&mut queue);
    save(&queue);
}

/// Put back this page's unconfirmed records that `queue` lacks; true if any.
fn restore_mine(queue: &mut Queue) -> bool {
    MINE.with(|mine| {
        let mut restored = false;
        for report in &mine.borrow().reports {
            if !queue.reports.iter().any(|r| r.id == report.id) {
                queue.push(report.clone());
                restored = true;
            }
        }
        restored
    })
}

fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Queue a report and try to send what is due.
pub fn enqueue(url: &str, report: Report) {
    if report.kind == Kind::Record {
        MINE.with(|m| m.borrow_mut().push(report.clone()));
    }
    update(|q| q.push(report));
    send_due(url);
}

/// Another tab saved the queue: put back this page's records its save lost,
/// and send them if they are due.
pub fn queue_changed(url: &str) {
    let mut queue = load();
    if restore_mine(&mut queue) {
        save(&queue);
        send_due(url);
    }
}

/// POST every due report not already on its way.
pub fn send_due(url: &str) {
    let queue = load();
    for report in queue.due(now()) {
        let fresh = IN_FLIGHT.with(|f| {
            let mut f = f.borrow_mut();
            if f.contains(&report.id) {
                false
            } else {
                f.push(report.id.clone());
                true
            }
        });
        if fresh {
            post(url, report.id.clone(), &report.body);
        }
    }
}

/// `application/json` for the site's own endpoint; `text/plain` (a CORS
/// "simple" type, no preflight) for another origin, so keepalive requests and
/// beacons are not refused there. The body is JSON either way.
fn content_type(url: &str) -> &'static str {
    let own_host = web_sys::window().and_then(|w| w.location().hostname().ok()).unwrap_or_default();
    match crate::host::url_host(url) {
        Some(host) if host != own_host.to_ascii_lowercase() => "text/plain;charset=UTF-8",
        _ => "application/json",
    }
}

fn post(url: &str, id: String, body: &str) {
    let Some(window) = web_sys::window() else { return };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    // web-sys has no setter for `keepalive` yet.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &JsValue::TRUE);
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"Content-Type".into(), &content_type(url).into());
    init.set_headers(&headers);
    let promise = window.fetch_with_str_and_init(url, &init);
    let done_id = id.clone();
    // `once_into_js` functions free themselves after their one call; of the
    // pair only one is ever called, so the other (a few bytes) is left to
    // the page's lifetime.
    let on_response = Closure::once_into_js(move |response: JsValue| {
        let ok = response.dyn_ref::<web_sys::Response>().is_some_and(web_sys::Response::ok);
        finish(&done_id, ok);
    });
    let on_error = Closure::once_into_js(move |_: JsValue| finish(&id, false));
    let then = js_sys::Reflect::get(&promise, &"then".into()).ok();
    if let Some(then) = then.and_then(|t| t.dyn_into::<js_sys::Function>().ok()) {
        let _ = then.call2(&promise, &on_response, &on_error);
    }
}

fn finish(id: &str, delivered: bool) {
    IN_FLIGHT.with(|f| f.borrow_mut().retain(|i| i != id));
    let now = now();
    let settle = |q: &mut Queue| if delivered { q.delivered(id) } else { q.failed(id, now) };
    MINE.with(|m| settle(&mut m.borrow_mut()));
    update(settle);
}

/// The page is being hidden (maybe closed): hand every queued report not
/// confirmed yet to `sendBeacon`. A beacon's outcome is unknown, so the
/// reports stay queued and are sent again on a later page (at least once).
pub fn beacon_all(url: &str) {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else { return };
    let kind = content_type(url);
    let mut queue = load();
    if restore_mine(&mut queue) {
        // Left for the next page, which this page's memory will not reach.
        save(&queue);
    }
    for report in queue.reports {
        let blob_parts = js_sys::Array::of1(&JsValue::from_str(&report.body));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(kind);
        if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&blob_parts, &options) {
            let _ = navigator.send_beacon_with_opt_blob(url, Some(&blob));
        }
    }
}

/// The localStorage key of the undeclared-cookie report ids already queued
/// by this browser.
const REPORTED_KEY: &str = "consent_guard_reported";

/// At most this many ids are remembered (the oldest are forgotten: a cookie
/// seen again after that is reported again, with the same id).
const MAX_REPORTED: usize = 100;

/// True the first time `id` is seen in this browser (remembered in
/// localStorage, or for the page when storage is unavailable).
pub fn first_time(id: &str) -> bool {
    thread_local!(static PAGE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) });
    if PAGE.with(|p| p.borrow().iter().any(|i| i == id)) {
        return false;
    }
    PAGE.with(|p| p.borrow_mut().push(id.to_string()));
    let stored = store::get(Area::Local, REPORTED_KEY).ok().flatten().unwrap_or_default();
    let mut ids: Vec<&str> = stored.split(',').filter(|i| !i.is_empty()).collect();
    if ids.contains(&id) {
        return false;
    }
    ids.push(id);
    let keep = ids.len().saturating_sub(MAX_REPORTED);
    let _ = store::set(Area::Local, REPORTED_KEY, &ids.get(keep..).unwrap_or_default().join(","));
    true
}
