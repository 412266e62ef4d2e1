//! The visible UI (`src/web/ui/`) in a real browser: rendering, clicks,
//! keyboard, focus, what is stored, and hostile table texts. Run by
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web_ui`
//! (`make test` runs every `tests/web*.rs`). Natively this file compiles to
//! nothing.
//!
//! Each test starts from a clean page: localStorage, cookies and every
//! element a test or the UI added are removed, the UI forgets its state
//! (`ui::reset`) and a new engine is booted with a fake shell.
#![cfg(target_arch = "wasm32")]

use consent_guard::web::{self, ui};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function fakeShell() {
  const s = { released: [] };
  s.refresh = () => {};
  s.releaseHeld = (id) => { s.released.push(id); };
  s.writeCookie = (c) => { document.cookie = c; };
  s.readCookies = () => document.cookie;
  s.emit = () => {};
  return s;
}
export function released(s) { return s.released.join(","); }
export function clearState() {
  localStorage.clear();
  for (const part of document.cookie.split(";")) {
    const name = part.split("=")[0].trim();
    if (name) document.cookie = name + "=; Max-Age=0; Path=/";
  }
  for (const e of document.querySelectorAll("consent-guard-ui, consent-guard-placeholder, [data-test]")) e.remove();
  delete window.__pwned;
  document.documentElement.setAttribute("lang", "en");
}
export function uiRoot() {
  const host = document.querySelector("consent-guard-ui");
  return host ? host.shadowRoot : null;
}
export function count(selector) { return document.querySelectorAll(selector).length; }
export function key(target, key, shift) {
  const e = new KeyboardEvent("keydown", { key, shiftKey: !!shift, bubbles: true, composed: true, cancelable: true });
  target.dispatchEvent(e);
  return e.defaultPrevented;
}
export function isModal(e) { return e.matches(":modal"); }
export function pwned() { return window.__pwned !== undefined; }
export function pageElement(tag, attr, value) {
  const e = document.createElement(tag);
  e.setAttribute("data-test", "");
  if (attr) e.setAttribute(attr, value);
  document.body.appendChild(e);
  return e;
}
export function allTags(root) {
  return [...root.querySelectorAll("*")].map((e) => e.localName);
}
export function linkFollowed(a) {
  let prevented = null;
  const check = (e) => { prevented = e.defaultPrevented; e.preventDefault(); };
  window.addEventListener("click", check);
  a.click();
  window.removeEventListener("click", check);
  return prevented === false;
}
export function overflows(e) { return e.scrollWidth > e.clientWidth + 1; }
export function rectSize(e) { const r = e.getBoundingClientRect(); return [r.width, r.height]; }
export function setGpc(on) {
  if (on) Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true, configurable: true });
  else delete Navigator.prototype.globalPrivacyControl;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = fakeShell)]
    fn fake_shell() -> JsValue;
    fn released(shell: &JsValue) -> String;
    #[wasm_bindgen(js_name = clearState)]
    fn clear_state();
    #[wasm_bindgen(js_name = uiRoot)]
    fn ui_root() -> JsValue;
    fn count(selector: &str) -> u32;
    fn key(target: &Element, key: &str, shift: bool) -> bool;
    #[wasm_bindgen(js_name = isModal)]
    fn is_modal(e: &Element) -> bool;
    fn pwned() -> bool;
    #[wasm_bindgen(js_name = pageElement)]
    fn page_element(tag: &str, attr: &str, value: &str) -> Element;
    #[wasm_bindgen(js_name = allTags)]
    fn all_tags(root: &JsValue) -> Vec<String>;
    fn overflows(e: &Element) -> bool;
    #[wasm_bindgen(js_name = linkFollowed)]
    fn link_followed(a: &Element) -> bool;
    #[wasm_bindgen(js_name = rectSize)]
    fn rect_size(e: &Element) -> Vec<f64>;
    #[wasm_bindgen(js_name = setGpc)]
    fn set_gpc(on: bool);
}

const TABLE: &str = r#"{
  "revision": 1,
  "policyUrl": "/privacy.html",
  "categories": [{"id": "strictly-necessary"}, {"id": "analytics"}, {"id": "advertising"}, {"id": "functional"}],
  "services": [
    {"id": "ga", "name": "Google Analytics", "provider": "Google", "category": "analytics", "hosts": ["google-analytics.com"]},
    {"id": "youtube", "name": "YouTube", "provider": "Google Ireland", "category": "advertising", "hosts": ["youtube.com"], "privacyPolicy": "https://policies.google.com/privacy"},
    {"id": "ytimg", "name": "YouTube", "provider": "Google Ireland", "category": "advertising", "hosts": ["ytimg.com"]}
  ],
  "cookies": [
    {"name": "PHPSESSID", "category": "strictly-necessary", "party": "first", "purpose": "Session", "duration": "Session", "justification": "Keeps you logged in"},
    {"name": "__utma", "service": "ga", "party": "first", "purpose": "Counts visits", "duration": "2 years"},
    {"name": "YSC", "service": "youtube", "party": "third", "purpose": "Video session", "duration": "Session"}
  ],
  "texts": {"fr": {"title": "Nous utilisons des cookies", "acceptAll": "Tout accepter"}}
}"#;

/// A clean page with the engine booted on `table` and the DOM ready.
fn start(table: &str) -> JsValue {
    clear_state();
    ui::reset();
    let shell = fake_shell();
    web::boot(shell.clone().unchecked_into());
    assert!(web::load_table(table, "test"), "test table invalid");
    web::dom_ready();
    shell
}

fn root() -> ShadowRoot {
    ui_root().dyn_into().expect("no <consent-guard-ui> shadow root")
}

fn q(selector: &str) -> Element {
    root().query_selector(selector).unwrap().unwrap_or_else(|| panic!("nothing at {selector}"))
}

fn qa(selector: &str) -> Vec<Element> {
    let list = root().query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.get(i)?.dyn_into().ok()).collect()
}

fn has(selector: &str) -> bool {
    root().query_selector(selector).unwrap().is_some()
}

fn click(e: &Element) {
    e.dyn_ref::<HtmlElement>().expect("not an HTML element").click();
}

fn text(e: &Element) -> String {
    e.text_content().unwrap_or_default()
}

fn attr(e: &Element, name: &str) -> Option<String> {
    e.get_attribute(name)
}

fn active() -> Option<Element> {
    root().active_element()
}

fn consent() -> String {
    web::api_consent().unwrap_or_default()
}

fn status() -> String {
    text(&q("[role=status]"))
}

/// The first layer's buttons, in order.
fn banner_buttons() -> Vec<Element> {
    qa("dialog.cg-l1 .cg-bs button")
}

#[wasm_bindgen_test]
fn first_layer_names_itself_and_holds_three_equal_buttons() {
    start(TABLE);
    assert!(ui::is_open());
    let dialog = q("dialog");
    assert!(dialog.has_attribute("open"));
    assert_eq!(dialog.class_name(), "cg-l1");
    // Non-modal bottom banner: the page stays usable, so no aria-modal.
    assert_eq!(attr(&dialog, "aria-modal"), None);
    assert!(!is_modal(&dialog));
    assert_eq!(attr(&dialog, "lang").as_deref(), Some("en"));
    let title = q(&format!("#{}", attr(&dialog, "aria-labelledby").unwrap()));
    assert_eq!(title.local_name(), "h2");
    assert_eq!(text(&title), "We use cookies");
    let description = q(&format!("#{}", attr(&dialog, "aria-describedby").unwrap()));
    assert!(text(&description).starts_with("We use cookies and similar"));

    let buttons = banner_buttons();
    let names: Vec<String> = buttons.iter().map(text).collect();
    assert_eq!(names, ["Accept all", "Reject all", "Manage preferences"]);
    for b in &buttons {
        assert_eq!(b.local_name(), "button");
        assert_eq!(attr(b, "type").as_deref(), Some("button"));
        assert_eq!(b.class_name(), "cg-b");
        assert_eq!(b.parent_element(), buttons[0].parent_element());
    }
    let sizes: Vec<Vec<f64>> = buttons.iter().map(rect_size).collect();
    // Equal to a hundredth of a pixel: Firefox lays out in 1/60 px units and
    // splits a width that does not divide by three into 279.33331 and
    // 279.33334, which no one can see; Chromium gives exactly equal floats.
    let same = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01);
    assert!(sizes.iter().all(|s| same(s, &sizes[0])), "unequal buttons: {sizes:?}");
    assert!(sizes[0][0] >= 24.0 && sizes[0][1] >= 24.0);

    let close = q("dialog .cg-x");
    assert_eq!(attr(&close, "aria-label").as_deref(), Some("Continue without accepting"));
    assert_eq!(text(&close), "");
    let size = rect_size(&close);
    assert!(size[0] >= 24.0 && size[1] >= 24.0, "× too small: {size:?}");
}

#[wasm_bindgen_test]
fn first_layer_lists_third_parties_once_and_links_the_policy() {
    start(TABLE);
    let paragraphs: Vec<String> = qa("dialog p").iter().map(text).collect();
    assert!(
        paragraphs.contains(&"Third parties: Google Analytics, YouTube".to_string()),
        "{paragraphs:?}"
    );
    let link = q("dialog a");
    assert_eq!(attr(&link, "href").as_deref(), Some("/privacy.html"));
    assert_eq!(text(&link), "Cookie policy");
    // No GPC signal, no GPC notice.
    assert!(!paragraphs.iter().any(|p| p.contains("Global Privacy Control")));
}

#[wasm_bindgen_test]
fn without_services_or_policy_those_lines_are_left_out() {
    start(r#"{"revision": 1, "categories": [{"id": "strictly-necessary"}], "cookies": []}"#);
    assert!(!has("dialog a"));
    assert!(!qa("dialog p").iter().any(|p| text(p).starts_with("Third parties")));
}

#[wasm_bindgen_test]
fn focus_moves_into_the_first_layer() {
    start(TABLE);
    assert_eq!(active(), Some(q("dialog")));
}

#[wasm_bindgen_test]
fn accept_all_takes_one_click() {
    start(TABLE);
    click(&banner_buttons()[0]);
    assert!(!ui::is_open());
    assert!(!has("dialog"));
    let record = consent();
    assert!(record.contains("\"action\":\"accept_all\""), "{record}");
    assert!(record.contains("\"analytics\":true") && record.contains("\"advertising\":true"));
    assert!(status().contains("Your cookie choices have been saved."));
}

#[wasm_bindgen_test]
fn reject_all_takes_one_click() {
    start(TABLE);
    click(&banner_buttons()[1]);
    assert!(!ui::is_open());
    let record = consent();
    assert!(record.contains("\"action\":\"reject_all\""), "{record}");
    assert!(record.contains("\"analytics\":false") && record.contains("\"advertising\":false"));
    assert!(status().contains("saved"));
}

#[wasm_bindgen_test]
fn escape_on_the_first_layer_rejects_and_says_so() {
    start(TABLE);
    assert!(key(&q("dialog"), "Escape", false), "Escape not handled");
    assert!(!ui::is_open());
    let record = consent();
    assert!(record.contains("\"action\":\"reject_all\""), "{record}");
    assert!(record.contains("\"analytics\":false") && record.contains("\"advertising\":false"));
    assert!(status().contains("Only strictly necessary cookies are used."), "{}", status());
}

#[wasm_bindgen_test]
fn the_close_button_rejects_and_says_so() {
    start(TABLE);
    click(&q("dialog .cg-x"));
    assert!(!ui::is_open());
    assert!(consent().contains("\"action\":\"reject_all\""));
    assert!(status().contains("Only strictly necessary cookies are used."));
}

#[wasm_bindgen_test]
fn other_keys_do_nothing() {
    start(TABLE);
    assert!(!key(&q("dialog"), "Enter", false));
    assert!(!key(&q("dialog"), "Tab", false), "the non-modal first layer must not trap Tab");
    assert!(ui::is_open());
    assert_eq!(consent(), "");
}

#[wasm_bindgen_test]
fn manage_preferences_opens_a_modal_with_everything_off() {
    start(TABLE);
    click(&banner_buttons()[2]);
    assert!(ui::is_open());
    assert!(!has("dialog.cg-l1"), "the first layer stays open");
    let dialog = q("dialog.cg-l2");
    assert!(is_modal(&dialog));
    assert_eq!(attr(&dialog, "aria-modal").as_deref(), Some("true"));
    assert_eq!(
        text(&q(&format!("#{}", attr(&dialog, "aria-labelledby").unwrap()))),
        "Cookie preferences"
    );
    assert_eq!(active(), Some(dialog.clone()));

    let boxes = qa("dialog input[type=checkbox]");
    assert_eq!(boxes.len(), 4);
    let states: Vec<(bool, bool)> = boxes
        .iter()
        .map(|b| {
            let b: &HtmlInputElement = b.unchecked_ref();
            (b.checked(), b.disabled())
        })
        .collect();
    assert_eq!(states, [(true, true), (false, false), (false, false), (false, false)]);
    // Every box has a label naming its category.
    let labels: Vec<String> =
        boxes.iter().map(|b| text(&q(&format!("label[for={}]", attr(b, "id").unwrap())))).collect();
    assert_eq!(labels, ["Strictly necessary", "Analytics", "Advertising", "Functional"]);
    // Strictly necessary says why and that it is always on.
    let described = attr(&boxes[0], "aria-describedby").unwrap();
    let reasons: Vec<String> = described.split(' ').map(|id| text(&q(&format!("#{id}")))).collect();
    assert_eq!(reasons[0], "Always on");
    assert!(reasons[1].starts_with("Needed for the site to work"), "{reasons:?}");
    assert_eq!(consent(), "", "opening the preferences decided something");
}

#[wasm_bindgen_test]
fn each_category_declares_its_cookies_in_a_real_table() {
    start(TABLE);
    web::api_show_preferences();
    let sections = qa("dialog section");
    assert_eq!(sections.len(), 4);
    let heads = |s: &Element| -> Vec<String> {
        let list = s.query_selector_all("th[scope=col]").unwrap();
        (0..list.length())
            .map(|i| list.get(i).unwrap().text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(
        heads(&sections[0]),
        ["Name", "Provider", "Party", "Purpose", "Duration", "Why it is necessary"]
    );
    assert_eq!(heads(&sections[1]), ["Name", "Provider", "Party", "Purpose", "Duration"]);
    let row = sections[0].query_selector("tbody tr").unwrap().unwrap();
    assert_eq!(
        row.text_content().unwrap(),
        "PHPSESSIDThis siteFirst partySessionSessionKeeps you logged in"
    );
    assert_eq!(
        sections[0].query_selector("tbody th").unwrap().unwrap().get_attribute("scope").as_deref(),
        Some("row")
    );
    let summary = sections[2].query_selector("details > summary").unwrap().unwrap();
    assert_eq!(summary.text_content().unwrap(), "Cookies used for this purpose");
    // A category without cookies says so instead of an empty table.
    assert!(sections[3].query_selector("table").unwrap().is_none());
    assert_eq!(
        sections[3].query_selector("details > p").unwrap().unwrap().text_content().unwrap(),
        "No cookies are declared for this purpose."
    );
}

#[wasm_bindgen_test]
fn save_with_nothing_on_grants_nothing() {
    start(TABLE);
    web::api_show_preferences();
    let buttons: Vec<String> = qa("dialog .cg-bs button").iter().map(text).collect();
    assert_eq!(buttons, ["Save choices", "Accept all", "Reject all"]);
    click(&qa("dialog .cg-bs button")[0]);
    assert!(!ui::is_open());
    let record = consent();
    assert!(record.contains("\"action\":\"save_selection\""), "{record}");
    assert!(!record.contains("\"analytics\":true") && !record.contains("\"advertising\":true"));
    assert!(status().contains("saved"));
}

#[wasm_bindgen_test]
fn toggling_does_not_save_and_save_grants_exactly_what_is_on() {
    start(TABLE);
    web::api_show_preferences();
    click(&qa("dialog input[type=checkbox]")[1]);
    assert_eq!(consent(), "", "toggling saved");
    assert!(ui::is_open());
    click(&qa("dialog .cg-bs button")[0]);
    let record = consent();
    assert!(record.contains("\"analytics\":true"), "{record}");
    assert!(record.contains("\"advertising\":false") && record.contains("\"functional\":false"));
}

#[wasm_bindgen_test]
fn the_strictly_necessary_box_cannot_be_unticked() {
    start(TABLE);
    web::api_show_preferences();
    let necessary = &qa("dialog input[type=checkbox]")[0];
    click(necessary);
    assert!(necessary.unchecked_ref::<HtmlInputElement>().checked());
}

#[wasm_bindgen_test]
fn reopened_preferences_show_the_stored_choice() {
    start(TABLE);
    assert!(web::api_accept(vec!["advertising".into()]));
    web::api_show_preferences();
    let checked: Vec<bool> = qa("dialog input[type=checkbox]")
        .iter()
        .map(|b| b.unchecked_ref::<HtmlInputElement>().checked())
        .collect();
    assert_eq!(checked, [true, false, true, false]);
}

#[wasm_bindgen_test]
fn tab_wraps_inside_the_modal() {
    start(TABLE);
    web::api_show_preferences();
    let focusable =
        qa("dialog button, dialog input:not([disabled]), dialog a[href], dialog summary");
    let (first, last) = (focusable[0].clone(), focusable[focusable.len() - 1].clone());
    assert_eq!(first.class_name(), "cg-x");
    focus(&last);
    assert!(key(&last, "Tab", false));
    assert_eq!(active(), Some(first.clone()));
    assert!(key(&first, "Tab", true));
    assert_eq!(active(), Some(last.clone()));
    // From the dialog itself (where focus starts) Shift+Tab goes to the end.
    focus(&q("dialog"));
    assert!(key(&q("dialog"), "Tab", true));
    assert_eq!(active(), Some(last));
    // In between, Tab is the browser's.
    focus(&focusable[1]);
    assert!(!key(&focusable[1], "Tab", false));
    assert!(!key(&focusable[1], "Tab", true));
}

fn focus(e: &Element) {
    e.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
}

#[wasm_bindgen_test]
fn escape_in_the_preferences_never_grants() {
    start(TABLE);
    click(&banner_buttons()[2]);
    click(&qa("dialog input[type=checkbox]")[1]);
    key(&q("dialog"), "Escape", false);
    assert!(!ui::is_open());
    let record = consent();
    assert!(record.contains("\"action\":\"reject_all\""), "{record}");
    assert!(!record.contains("\"analytics\":true"));
}

#[wasm_bindgen_test]
fn a_page_preferences_link_opens_them_and_gets_focus_back() {
    start(TABLE);
    click(&banner_buttons()[1]);
    let link = page_element("button", "data-consent-guard", "preferences");
    let inner = page_element("span", "", "");
    link.append_child(&inner).unwrap();
    focus(&link);
    // A click on something inside the link counts (closest()).
    click(&inner);
    assert!(ui::is_open());
    assert!(has("dialog.cg-l2"));
    // With a choice stored, closing changes nothing.
    let before = consent();
    key(&q("dialog"), "Escape", false);
    assert!(!ui::is_open());
    assert_eq!(consent(), before);
    let doc = web_sys::window().unwrap().document().unwrap();
    assert_eq!(doc.active_element(), Some(link));
}

#[wasm_bindgen_test]
fn without_a_table_a_preferences_link_still_goes_where_it_points() {
    clear_state();
    ui::reset();
    web::boot(fake_shell().unchecked_into());
    web::table_failed("test: no table");
    web::dom_ready();
    let link = page_element("a", "data-consent-guard", "preferences");
    link.set_attribute("href", "#privacy").unwrap();
    let went = link_followed(&link);
    assert!(!ui::is_open());
    assert!(went, "the link's own action was cancelled with nothing opened");
    // With a table the same click opens the preferences instead.
    start(TABLE);
    let link = page_element("a", "data-consent-guard", "preferences");
    link.set_attribute("href", "#privacy").unwrap();
    assert!(!link_followed(&link));
    assert!(ui::is_open());
}

#[wasm_bindgen_test]
fn links_added_later_open_the_preferences_too() {
    start(TABLE);
    click(&banner_buttons()[1]);
    let late = page_element("a", "data-consent-guard", "preferences");
    late.set_attribute("href", "#cookies").unwrap();
    click(&late);
    assert!(has("dialog.cg-l2"));
}

#[wasm_bindgen_test]
fn focus_returns_to_what_opened_the_preferences_through_the_api() {
    start(TABLE);
    click(&banner_buttons()[0]);
    let input = page_element("input", "type", "text");
    focus(&input);
    web::api_show_preferences();
    click(&q("dialog .cg-x"));
    let doc = web_sys::window().unwrap().document().unwrap();
    assert_eq!(doc.active_element(), Some(input));
}

#[wasm_bindgen_test]
fn the_floating_button_reopens_the_preferences_and_gets_focus_back() {
    start(TABLE);
    let fab = q(".cg-fab");
    assert!(fab.has_attribute("hidden"), "floating button shown beside the first layer");
    click(&banner_buttons()[1]);
    assert!(!fab.has_attribute("hidden"));
    assert_eq!(fab.local_name(), "button");
    assert_eq!(attr(&fab, "aria-label").as_deref(), Some("Cookie preferences"));
    let size = rect_size(&fab);
    assert!(size[0] >= 24.0 && size[1] >= 24.0, "{size:?}");
    focus(&fab);
    click(&fab);
    assert!(has("dialog.cg-l2"));
    assert!(fab.has_attribute("hidden"));
    click(&qa("dialog .cg-bs button")[1]);
    assert!(consent().contains("\"action\":\"accept_all\""));
    assert!(!fab.has_attribute("hidden"));
    assert_eq!(active(), Some(fab));
}

#[wasm_bindgen_test]
fn the_table_can_turn_the_floating_button_off() {
    start(&TABLE.replacen("\"revision\": 1,", "\"revision\": 1, \"floatingButton\": false,", 1));
    click(&banner_buttons()[1]);
    assert!(!has(".cg-fab"));
}

#[wasm_bindgen_test]
fn rendering_again_never_duplicates() {
    start(TABLE);
    let table = page_element("div", "data-consent-guard", "cookie-table");
    table.set_text_content(Some("Loading the cookie table…"));
    web::dom_ready();
    web::dom_ready();
    web::api_show();
    web::api_show();
    click(&banner_buttons()[0]);
    web::api_reject_all();
    assert_eq!(count("consent-guard-ui"), 1);
    assert_eq!(qa(".cg-fab").len(), 1);
    assert_eq!(qa("[role=status]").len(), 1);
    assert_eq!(qa("dialog").len(), 0);
    let tables = table.query_selector_all("table").unwrap();
    assert_eq!(tables.length(), 1);
    assert!(!table.text_content().unwrap().contains("Loading"));
}

#[wasm_bindgen_test]
fn the_page_cookie_table_is_the_whole_declaration() {
    start(TABLE);
    let holder = page_element("section", "data-consent-guard", "cookie-table");
    web::api_reject_all();
    let table = holder.query_selector("table").unwrap().unwrap();
    assert_eq!(table.class_name(), "consent-guard-declaration");
    let heads = table.query_selector_all("thead th[scope=col]").unwrap();
    assert_eq!(heads.length(), 7);
    let rows = table.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 3);
    assert_eq!(
        rows.get(1).unwrap().text_content().unwrap(),
        "__utmaGoogleFirst partyCounts visitsAnalytics2 years"
    );
}

#[wasm_bindgen_test]
fn the_root_survives_the_page_removing_it() {
    start(TABLE);
    click(&banner_buttons()[1]);
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .query_selector("consent-guard-ui")
        .unwrap()
        .unwrap()
        .remove();
    web::api_show();
    assert_eq!(count("consent-guard-ui"), 1);
    assert!(has("dialog.cg-l1"));
}

#[wasm_bindgen_test]
fn withdrawal_says_what_stays() {
    start(TABLE);
    click(&banner_buttons()[0]);
    web::api_show_preferences();
    for b in &qa("dialog input[type=checkbox]:checked:not(:disabled)") {
        click(b);
    }
    click(&qa("dialog .cg-bs button")[0]); // save with everything off
    assert!(consent().contains("\"action\":\"withdraw\""), "{}", consent());
    let s = status();
    assert!(s.contains("saved") && s.contains("stay in your browser"), "{s}");
    assert_eq!(qa("[role=status] p").len(), 2);
}

#[wasm_bindgen_test]
fn the_dialog_follows_the_page_language() {
    clear_state();
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap()
        .set_attribute("lang", "fr")
        .unwrap();
    ui::reset();
    web::boot(fake_shell().unchecked_into());
    assert!(web::load_table(TABLE, "test"));
    web::dom_ready();
    let dialog = q("dialog");
    assert_eq!(attr(&dialog, "lang").as_deref(), Some("fr"));
    assert_eq!(text(&q("h2")), "Nous utilisons des cookies");
    assert_eq!(text(&banner_buttons()[0]), "Tout accepter");
    // Keys the table leaves out fall back to the built-in English.
    assert_eq!(text(&banner_buttons()[1]), "Reject all");
    clear_state();
}

#[wasm_bindgen_test]
fn the_gpc_signal_is_mentioned() {
    set_gpc(true);
    start(TABLE);
    let notice = qa("dialog p").iter().map(text).any(|p| p.contains("Global Privacy Control"));
    web::api_show_preferences();
    let in_prefs = qa("dialog p").iter().map(text).any(|p| p.contains("Global Privacy Control"));
    set_gpc(false);
    assert!(notice && in_prefs);
}

#[wasm_bindgen_test]
fn a_placeholder_names_the_service_and_offers_both_buttons() {
    let shell = start(TABLE);
    let youtube = 1;
    let host = web::placeholder(7, youtube, "", None).expect("no placeholder");
    assert_eq!(host.local_name(), "consent-guard-placeholder");
    web_sys::window().unwrap().document().unwrap().body().unwrap().append_child(&host).unwrap();
    let root = host.shadow_root().expect("placeholder without shadow root");
    let group = root.query_selector("[role=group]").unwrap().unwrap();
    let name = root.query_selector(&format!("#{}", attr(&group, "aria-labelledby").unwrap()));
    assert_eq!(text(&name.unwrap().unwrap()), "YouTube content is blocked");
    let all = text(&group);
    assert!(all.contains("Google Ireland") && all.contains("Advertising"), "{all}");
    let link = root.query_selector("a").unwrap().unwrap();
    assert_eq!(attr(&link, "href").as_deref(), Some("https://policies.google.com/privacy"));
    let buttons = root.query_selector_all("button").unwrap();
    let once: Element = buttons.get(0).unwrap().dyn_into().unwrap();
    let allow: Element = buttons.get(1).unwrap().dyn_into().unwrap();
    assert_eq!(text(&once), "Load this content once");
    assert_eq!(text(&allow), "Allow Advertising cookies");

    click(&once);
    assert_eq!(released(&shell), "7");
    assert_eq!(consent(), "", "loading once recorded a choice");
    click(&allow);
    let record = consent();
    assert!(record.contains("\"advertising\":true") && record.contains("\"analytics\":false"));
}

#[wasm_bindgen_test]
fn a_placeholder_for_a_marked_up_category_alone() {
    start(TABLE);
    let host = web::placeholder(3, -1, "analytics", None).expect("no placeholder");
    let root = host.shadow_root().unwrap();
    assert_eq!(
        text(&root.query_selector(".cg-pt").unwrap().unwrap()),
        "Analytics content is blocked"
    );
    assert_eq!(root.query_selector_all("button").unwrap().length(), 2);
    assert!(web::placeholder(3, -1, "", None).is_none());
}

#[wasm_bindgen_test]
fn a_placeholder_for_marked_up_content_of_a_service() {
    start(TABLE);
    // A held block (e.g. a tweet's blockquote) names its service by id.
    let host = web::placeholder(4, -1, "", Some("youtube".into())).expect("no placeholder");
    let root = host.shadow_root().unwrap();
    assert!(text(&root.query_selector(".cg-pt").unwrap().unwrap()).contains("YouTube"));
    assert!(web::placeholder(4, -1, "", Some("nope".into())).is_none());
}

const HOSTILE: &str = r#"<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>"#;

fn hostile_table() -> String {
    let long = "W".repeat(10_000);
    let evil = format!("{HOSTILE} \u{202E}desrever\u{202C} {long}");
    let evil = evil.replace('"', "\\\"");
    format!(
        r#"{{
  "revision": 1,
  "categories": [{{"id": "strictly-necessary"}}, {{"id": "analytics"}}],
  "services": [{{"id": "s", "name": "{evil}", "provider": "{evil}", "category": "analytics", "hosts": ["evil.test"], "privacyPolicy": "https://evil.test/?q=<script>"}}],
  "cookies": [
    {{"name": "sid", "category": "strictly-necessary", "party": "first", "purpose": "{evil}", "duration": "{evil}", "justification": "{evil}"}},
    {{"name": "a", "service": "s", "party": "third", "purpose": "{evil}", "duration": "{evil}"}}
  ],
  "texts": {{"en": {{"title": "{evil}", "description": "{evil}", "acceptAll": "{evil}", "rejectAll": "{evil}", "managePreferences": "{evil}", "close": "{evil}", "preferencesTitle": "{evil}", "saved": "{evil}", "placeholderTitle": "{{service}} {evil}", "floatingButton": "{evil}", "tableName": "{evil}"}}}}
}}"#
    )
}

#[wasm_bindgen_test]
fn hostile_texts_are_shown_as_text() {
    let table = hostile_table();
    clear_state();
    ui::reset();
    web::boot(fake_shell().unchecked_into());
    assert!(web::load_table(&table, "test"), "hostile table should still be valid");
    let holder = page_element("div", "data-consent-guard", "cookie-table");
    web::dom_ready();
    // Everything there is to render: both layers, notice, table, placeholder.
    let first_layer_tags = all_tags(&ui_root());
    web::api_show_preferences();
    let prefs_tags = all_tags(&ui_root());
    let ph = web::placeholder(1, 0, "", None).unwrap();
    holder.append_child(&ph).unwrap();
    web::api_accept_all();

    let allowed = [
        "style", "div", "dialog", "h2", "h3", "p", "button", "section", "input", "label", "span",
        "bdi", "details", "summary", "table", "thead", "tbody", "tr", "th", "td", "a", "dl", "dt",
        "dd",
    ];
    for tag in first_layer_tags
        .iter()
        .chain(&prefs_tags)
        .chain(&all_tags(&ph.shadow_root().unwrap().into()))
    {
        assert!(allowed.contains(&tag.as_str()), "unexpected <{tag}>");
    }
    // The names sit in <bdi>: their bidi override cannot flip the sentence.
    assert!(first_layer_tags.iter().any(|t| t == "bdi"), "service names not isolated");
    assert_eq!(holder.query_selector_all("img, script").unwrap().length(), 0);
    assert_eq!(count("img"), 0);
    assert!(!pwned(), "a table text ran script");
    // Shown literally.
    assert!(status().contains("<img src=x onerror="), "{}", &status()[..80]);
    assert!(holder.text_content().unwrap().contains("<script>window.__pwned=2</script>"));
    // The provider's policy URL is https: it stays a link, as an attribute.
    let link = ph.shadow_root().unwrap().query_selector("a").unwrap().unwrap();
    assert_eq!(attr(&link, "href").as_deref(), Some("https://evil.test/?q=<script>"));
}

#[wasm_bindgen_test]
fn long_hostile_texts_wrap_instead_of_scrolling_sideways() {
    let table = hostile_table();
    clear_state();
    ui::reset();
    web::boot(fake_shell().unchecked_into());
    assert!(web::load_table(&table, "test"));
    web::dom_ready();
    assert!(!overflows(&q("dialog")), "first layer scrolls sideways");
    for b in banner_buttons() {
        assert!(!overflows(&b));
    }
    web::api_show_preferences();
    assert!(!overflows(&q("dialog")), "preferences scroll sideways");
}

#[wasm_bindgen_test]
fn unsafe_links_never_reach_the_page() {
    for bad in [
        "javascript:window.__pwned=1",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        " \tjavascript:x",
    ] {
        let table = TABLE.replace("/privacy.html", bad);
        clear_state();
        ui::reset();
        web::boot(fake_shell().unchecked_into());
        // The parser refuses the table (fail closed); nothing is shown.
        assert!(!web::load_table(&table, "test"), "{bad} accepted");
        web::dom_ready();
        assert!(ui_root().is_null() || !has("a"), "{bad} became a link");
    }
    assert!(!pwned());
}
