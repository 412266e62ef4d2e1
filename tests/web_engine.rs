//! The engine in a real browser, driven through the same exports the shell
//! uses, with a fake shell that records what the engine asks of it.
//!
//! Each test boots a fresh engine (boot replaces the page's state) after
//! clearing localStorage and cookies, so tests do not see each other.
#![cfg(target_arch = "wasm32")]

use consent_guard::consent::{Action, Record};
use consent_guard::web;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function fakeShell() {
  const s = { refreshes: 0, released: [], events: [], writes: [], gtagged: [] };
  s.gtag = (args, front) => { s.gtagged.push((front ? "front:" : "") + args); };
  s.refresh = () => { s.refreshes++; };
  s.releaseHeld = (id) => { s.released.push(id); };
  s.writeCookie = (c) => { s.writes.push(c); document.cookie = c; };
  s.readCookies = () => document.cookie;
  s.emit = (kind, json) => { s.events.push([kind, JSON.parse(json)]); };
  return s;
}
export function refreshes(s) { return s.refreshes; }
export function gtagCalls(s) { return s.gtagged.join("\n"); }
export function setGpc(on) {
  if (on) Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });
  else delete Navigator.prototype.globalPrivacyControl;
}
export function writes(s) { return s.writes.join("\n"); }
export function eventKinds(s) { return s.events.map((e) => e[0] + ":" + (e[1].action || e[1].name)).join(","); }
export function clearState() {
  localStorage.clear();
  for (const part of document.cookie.split(";")) {
    const name = part.split("=")[0].trim();
    if (name) document.cookie = name + "=; Max-Age=0; Path=/";
  }
}
export function nativeCookie(c) { document.cookie = c; }
export function jar() { return document.cookie; }
"#)]
extern "C" {
    fn fakeShell() -> JsValue;
    fn refreshes(shell: &JsValue) -> u32;
    #[wasm_bindgen(js_name = gtagCalls)]
    fn gtag_calls(shell: &JsValue) -> String;
    #[wasm_bindgen(js_name = setGpc)]
    fn set_gpc(on: bool);
    fn writes(shell: &JsValue) -> String;
    #[wasm_bindgen(js_name = eventKinds)]
    fn event_kinds(shell: &JsValue) -> String;
    #[wasm_bindgen(js_name = clearState)]
    fn clear_state();
    #[wasm_bindgen(js_name = nativeCookie)]
    fn native_cookie(cookie: &str);
    fn jar() -> String;
}

const TABLE: &str = r#"{
  "revision": 1,
  "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}],
  "services": [
    {"id": "google-analytics", "name": "Google Analytics", "provider": "Google", "category": "analytics", "hosts": ["google-analytics.com"]},
    {"id": "youtube", "name": "YouTube", "provider": "Google", "category": "advertising", "hosts": ["youtube.com"]}
  ],
  "cookies": [
    {"name": "PHPSESSID", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Needed"},
    {"name": "__utma", "service": "google-analytics", "party": "first", "purpose": "Visits", "duration": "2 years"},
    {"name": "ad_seen", "storage": "localStorage", "category": "advertising", "provider": "Us", "party": "first", "purpose": "Ads", "duration": "Forever"}
  ]
}"#;

const YOUTUBE: &str = "https://www.youtube.com/embed/x";
const GA: &str = "https://www.google-analytics.com/ga.js";

/// A fresh page state and a freshly booted engine with the fake shell.
fn fresh() -> JsValue {
    clear_state();
    boot()
}

/// Boot again without clearing: a reload of the same page.
fn boot() -> JsValue {
    let shell = fakeShell();
    web::boot(shell.clone().unchecked_into());
    shell
}

fn stored() -> Option<Record> {
    let local = web_sys::window()?.local_storage().ok()??.get_item("consent_guard").ok()??;
    Record::from_json(&local).ok()
}

fn has_cookie(name: &str) -> bool {
    jar().split(';').any(|part| part.trim().split('=').next() == Some(name))
}

#[wasm_bindgen_test]
fn pending_holds_cross_origin_and_queues_cookie_writes() {
    let shell = fresh();
    assert_eq!(web::decide_url(YOUTUBE), -2);
    assert_eq!(web::decide_url("https://cdn.example.net/lib.js"), -2);
    assert_eq!(web::decide_url("/js/site.js"), -1);
    assert!(!web::decide_cookie("PHPSESSID=abc; Path=/"));
    assert!(!web::decide_cookie("__utma=1.2.3; Path=/"));
    assert!(!web::decide_markup("analytics", ""));
    assert!(web::load_table(TABLE, "test"));
    // The necessary write queued while pending is replayed; the analytics one is not.
    let written = writes(&shell);
    assert!(written.contains("PHPSESSID=abc"), "{written}");
    assert!(!written.contains("__utma"), "{written}");
    assert!(refreshes(&shell) >= 1, "held items are re-evaluated once the table is known");
}

#[wasm_bindgen_test]
fn before_a_choice_only_the_necessary_passes() {
    let shell = fresh();
    assert!(web::load_table(TABLE, "test"));
    assert_eq!(web::service_info(web::decide_url(YOUTUBE)), "youtube|advertising");
    assert_eq!(web::service_info(web::decide_url(GA)), "google-analytics|analytics");
    assert_eq!(web::decide_url("https://cdn.example.net/lib.js"), -1);
    assert!(web::decide_cookie("PHPSESSID=1"));
    assert!(!web::decide_cookie("__utma=1"));
    assert!(web::decide_cookie("__utma=; Max-Age=0"), "deletions always pass");
    assert!(!web::decide_cookie("consent_guard=forged"), "only the engine writes the record");
    assert!(web::decide_cookie("mystery=1"), "undeclared first-party cookies pass by default");
    assert!(web::decide_cookie("mystery=2"));
    assert_eq!(event_kinds(&shell), "undeclared:mystery", "reported once per name");
    assert!(web::api_consent().is_none());
}

#[wasm_bindgen_test]
fn accept_all_records_stores_and_releases() {
    let shell = fresh();
    web::load_table(TABLE, "test");
    let before = refreshes(&shell);
    web::api_accept_all();
    assert_eq!(web::decide_url(YOUTUBE), -1);
    assert!(web::decide_cookie("__utma=1"));
    assert!(web::decide_markup("advertising", ""));
    assert!(refreshes(&shell) > before);
    assert_eq!(event_kinds(&shell), "change:accept_all");
    let record = stored().expect("record in localStorage");
    assert_eq!(record.action, Action::AcceptAll);
    assert!(record.grants("analytics") && record.grants("advertising"));
    assert!(has_cookie("consent_guard"), "mirrored in a first-party cookie: {}", jar());
    let api = web::api_consent().expect("consent() after a choice");
    assert_eq!(Record::from_json(&api).unwrap(), record);
}

#[wasm_bindgen_test]
fn a_reload_keeps_the_choice() {
    fresh();
    web::load_table(TABLE, "test");
    assert!(web::api_accept(vec!["analytics".into()]));
    let shell = boot();
    web::load_table(TABLE, "test");
    assert_eq!(web::decide_url(GA), -1);
    assert!(web::decide_url(YOUTUBE) >= 0);
    assert_eq!(event_kinds(&shell), "", "no new decision on reload");
    assert_eq!(stored().unwrap().action, Action::SaveSelection);
}

#[wasm_bindgen_test]
fn withdrawal_records_and_sweeps() {
    fresh();
    web::load_table(TABLE, "test");
    web::api_accept_all();
    native_cookie("__utma=1.2.3; Path=/");
    localStorage_set("ad_seen", "1");
    assert!(has_cookie("__utma"));
    assert!(web::api_accept(vec!["advertising".into()]));
    assert_eq!(stored().unwrap().action, Action::Withdraw);
    assert!(!has_cookie("__utma"), "swept: {}", jar());
    assert!(web::decide_url(GA) >= 0, "analytics held again");
    web::api_reject_all();
    assert_eq!(localStorage_get("ad_seen"), None, "declared storage keys are swept too");
    assert_eq!(stored().unwrap().action, Action::RejectAll);
}

#[wasm_bindgen_test]
fn refused_cookies_present_at_start_are_swept() {
    clear_state();
    native_cookie("__utma=set-by-the-server; Path=/");
    boot();
    web::load_table(TABLE, "test");
    assert!(!has_cookie("__utma"), "{}", jar());
}

#[wasm_bindgen_test]
fn a_hand_edited_record_is_no_choice() {
    fresh();
    web::load_table(TABLE, "test");
    web::api_reject_all();
    let edited = localStorage_get("consent_guard")
        .unwrap()
        .replace("\"analytics\":false", "\"analytics\":true");
    localStorage_set("consent_guard", &edited);
    boot();
    web::load_table(TABLE, "test");
    assert!(web::decide_url(GA) >= 0, "nothing granted by the edit");
    assert!(web::api_consent().is_none());
}

#[wasm_bindgen_test]
fn a_new_table_revision_asks_again() {
    fresh();
    web::load_table(TABLE, "test");
    web::api_accept_all();
    boot();
    web::load_table(&TABLE.replace("\"revision\": 1", "\"revision\": 2"), "test");
    assert!(web::decide_url(YOUTUBE) >= 0);
    assert!(web::api_consent().is_none());
}

#[wasm_bindgen_test]
fn an_expired_choice_asks_again() {
    clear_state();
    let table = consent_guard::table::parse(TABLE).unwrap();
    let long_ago = (js_sys::Date::now() / 1000.0) as i64 - 200 * 86_400;
    let record =
        Record::new(&table, |_| true, vec![], Action::AcceptAll, [9; 16], long_ago, "en", false);
    localStorage_set("consent_guard", &record.to_json());
    boot();
    web::load_table(TABLE, "test");
    assert!(web::decide_url(YOUTUBE) >= 0);
    assert!(web::api_consent().is_none());
    assert_eq!(stored().unwrap().action, Action::Expired, "the expiry is recorded");
}

#[wasm_bindgen_test]
fn an_invalid_table_fails_closed() {
    fresh();
    assert!(!web::load_table("{\"revision\": 1, \"categories\": []}", "test"));
    assert_eq!(web::decide_url(YOUTUBE), -2);
    assert_eq!(web::decide_url("https://cdn.example.net/lib.js"), -2);
    assert_eq!(web::decide_url("/same-origin.js"), -1);
    assert!(!web::decide_cookie("PHPSESSID=1"));
    assert!(!web::decide_markup("strictly-necessary", ""));
    web::api_accept_all();
    assert!(stored().is_none(), "no table, no choice");
    // A valid table arriving later does not unbreak the page.
    web::load_table(TABLE, "late");
    assert_eq!(web::decide_url(YOUTUBE), -2);
}

#[wasm_bindgen_test]
fn accept_refuses_unknown_categories() {
    fresh();
    web::load_table(TABLE, "test");
    assert!(!web::api_accept(vec!["analytics".into(), "nope".into()]));
    assert!(stored().is_none());
    assert!(web::api_accept(vec![]));
    assert_eq!(stored().unwrap().action, Action::SaveSelection);
    assert!(!stored().unwrap().grants("analytics"));
}

#[wasm_bindgen_test]
fn a_second_table_is_ignored() {
    fresh();
    web::load_table(TABLE, "test");
    web::load_table(&TABLE.replace("youtube.com", "other.example"), "again");
    assert!(web::decide_url(YOUTUBE) >= 0);
}

#[allow(non_snake_case)]
fn localStorage_set(key: &str, value: &str) {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().set_item(key, value).unwrap();
}

#[allow(non_snake_case)]
fn localStorage_get(key: &str) -> Option<String> {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item(key).unwrap()
}

const DENIED: &str = r#"{"ad_storage":"denied","ad_user_data":"denied","ad_personalization":"denied","analytics_storage":"denied","functionality_storage":"denied","personalization_storage":"denied","security_storage":"granted"}"#;

fn with_consent_mode(table: &str) -> String {
    table.replacen("\"revision\": 1,", "\"revision\": 1, \"googleConsentMode\": true,", 1)
}

#[wasm_bindgen_test]
fn consent_mode_default_first_then_one_update_per_decision() {
    let shell = fresh();
    let table = with_consent_mode(TABLE);
    web::load_table(&table, "test");
    assert_eq!(gtag_calls(&shell), format!("front:[\"consent\",\"default\",{DENIED}]"));
    web::api_accept(vec!["analytics".into()]);
    let calls = gtag_calls(&shell);
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 2, "{calls}");
    assert!(lines[1].starts_with("[\"consent\",\"update\",{\"ad_storage\":\"denied\""), "{calls}");
    assert!(lines[1].contains("\"analytics_storage\":\"granted\""), "{calls}");
    // A returning visitor: default, then the stored choice at once.
    let again = boot();
    web::load_table(&table, "test");
    let calls = gtag_calls(&again);
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 2, "{calls}");
    assert!(lines[0].starts_with("front:[\"consent\",\"default\""), "{calls}");
    assert!(
        lines[1].starts_with("front:[\"consent\",\"update\"")
            && lines[1].contains("\"analytics_storage\":\"granted\""),
        "{calls}"
    );
}

#[wasm_bindgen_test]
fn no_consent_mode_unless_the_table_asks() {
    let shell = fresh();
    web::load_table(TABLE, "test");
    web::api_accept_all();
    assert_eq!(gtag_calls(&shell), "");
}

#[wasm_bindgen_test]
fn gpc_refuses_advertising_and_records_it() {
    clear_state();
    set_gpc(true);
    let shell = boot();
    web::load_table(TABLE, "test");
    let record = stored().expect("GPC's decision is recorded");
    assert_eq!(record.action, Action::Gpc);
    assert!(record.gpc && !record.grants("advertising") && !record.grants("analytics"));
    web::api_accept_all();
    let record = stored().unwrap();
    assert_eq!(record.action, Action::AcceptAll);
    assert!(
        record.gpc && record.grants("analytics") && !record.grants("advertising"),
        "accept all does not override GPC"
    );
    assert!(web::decide_url(YOUTUBE) >= 0);
    // The visitor may still grant advertising explicitly.
    web::api_accept(vec!["analytics".into(), "advertising".into()]);
    assert!(stored().unwrap().grants("advertising"));
    assert_eq!(web::decide_url(YOUTUBE), -1);
    set_gpc(false);
    let _ = shell;
}

#[wasm_bindgen_test]
fn gpc_can_be_ignored_by_the_table() {
    clear_state();
    set_gpc(true);
    boot();
    web::load_table(
        &TABLE.replacen("\"revision\": 1,", "\"revision\": 1, \"gpc\": \"ignore\",", 1),
        "test",
    );
    assert!(stored().is_none());
    web::api_accept_all();
    assert!(stored().unwrap().grants("advertising"));
    set_gpc(false);
}

#[wasm_bindgen_test]
fn records_are_queued_for_the_report_endpoint() {
    fresh();
    web::load_table(
        &TABLE.replacen(
            "\"revision\": 1,",
            "\"revision\": 1, \"reportUrl\": \"/consent-reports\",",
            1,
        ),
        "test",
    );
    web::api_reject_all();
    let id = stored().unwrap().id;
    let queue = localStorage_get("consent_guard_reports").expect("queued");
    assert!(queue.contains(&id), "{queue}");
    assert!(queue.contains("consent-record"), "{queue}");
}

#[wasm_bindgen_test]
fn a_choice_read_from_the_cookie_alone_has_every_category() {
    fresh();
    web::load_table(TABLE, "test");
    web::api_accept(vec!["analytics".into()]);
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .remove_item("consent_guard")
        .unwrap();
    boot();
    web::load_table(TABLE, "test");
    let record = Record::from_json(&web::api_consent().expect("the cookie copy decides")).unwrap();
    assert_eq!(
        record.categories,
        vec![
            ("strictly-necessary".into(), true),
            ("analytics".into(), true),
            ("advertising".into(), false)
        ]
    );
    assert_eq!(web::decide_url(GA), -1);
}

#[wasm_bindgen_test]
fn gpc_turned_on_after_an_earlier_grant_refuses_advertising() {
    fresh();
    web::load_table(TABLE, "test");
    web::api_accept_all();
    set_gpc(true);
    boot();
    web::load_table(TABLE, "test");
    let record = stored().unwrap();
    assert_eq!(record.action, Action::Gpc);
    assert!(record.gpc && record.grants("analytics") && !record.grants("advertising"));
    assert!(web::decide_url(YOUTUBE) >= 0, "advertising held again");
    assert_eq!(web::decide_url(GA), -1, "the rest of the choice stands");
    // The next page: no new record, and this is a choice (no banner needed).
    boot();
    web::load_table(TABLE, "test");
    assert_eq!(stored().unwrap().id, record.id);
    // A grant made while GPC is on is explicit and stands.
    web::api_accept(vec!["analytics".into(), "advertising".into()]);
    boot();
    web::load_table(TABLE, "test");
    assert!(stored().unwrap().grants("advertising"));
    set_gpc(false);
}

#[wasm_bindgen_test]
fn an_undeclared_cookie_is_queued_once_per_browser() {
    fresh();
    let table = TABLE.replacen(
        "\"revision\": 1,",
        "\"revision\": 1, \"reportUrl\": \"/consent-reports\",",
        1,
    );
    native_cookie("mystery=1; Path=/");
    web::load_table(&table, "test");
    let first = localStorage_get("consent_guard_reports").unwrap_or_default();
    assert_eq!(first.matches("\"kind\":\"undeclared-cookie\"").count(), 1, "{first}");
    // Another page view: reported to the page again, not queued again.
    let shell = boot();
    web::load_table(&table, "test");
    assert_eq!(event_kinds(&shell), "undeclared:mystery");
    let queue = localStorage_get("consent_guard_reports").unwrap_or_default();
    assert_eq!(queue.matches("\"kind\":\"undeclared-cookie\"").count(), 1, "{queue}");
    // The browser remembers the (stable) id it queued, so a later page does
    // not queue it again even after the first report was delivered.
    let id = consent_guard::report::undeclared_id("127.0.0.1", "mystery");
    assert_eq!(localStorage_get("consent_guard_reported").as_deref(), Some(id.as_str()));
    assert!(queue.contains(&id));
    native_cookie("mystery=; Max-Age=0; Path=/");
}
