//! The browser layer (wasm32 only): the exports `js/shell.js` calls.
//!
//! Thin on purpose. The shell (plain JS) holds elements and patches
//! prototypes; the [`engine`] keeps the consent state and asks the core for
//! every decision; the [`ui`] renders. The contract between shell and engine
//! is in ARCHITECTURE.md. Every export here is safe to call in any state: an
//! engine that is busy or not booted answers "hold" / "drop".

use wasm_bindgen::prelude::*;

pub mod engine;
pub mod outbox;
pub mod shell;
pub mod store;
pub mod ui;

pub use shell::Shell;

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Start the engine (pending: no table yet).
#[wasm_bindgen]
pub fn boot(shell: Shell) {
    engine::boot(shell);
}

/// Parse and apply a cookie table; false when it is invalid (errors logged).
/// `source` names where it came from in the console messages.
pub fn load_table(text: &str, source: &str) -> bool {
    engine::load_table(text, source)
}

/// `load_table` for the shell, where the source is optional.
#[wasm_bindgen(js_name = load_table)]
pub fn load_table_js(text: &str, source: Option<String>) -> bool {
    engine::load_table(text, source.as_deref().unwrap_or("(inline)"))
}

/// The table could not be had: fail closed for this page.
#[wasm_bindgen]
pub fn table_failed(message: &str) {
    engine::table_failed(message);
}

/// The body exists: show what must be shown.
#[wasm_bindgen]
pub fn dom_ready() {
    engine::dom_ready();
}

/// `-1` allow, `-2` hold (no table yet), `n >= 0` hold (service `n`).
#[wasm_bindgen]
pub fn decide_url(url: &str) -> i32 {
    engine::decide_url(url)
}

/// Whether a marked-up element may run or load now.
#[wasm_bindgen]
pub fn decide_markup(category: &str, service: &str) -> bool {
    engine::decide_markup(category, service)
}

/// Whether a `document.cookie` write may go through.
#[wasm_bindgen]
pub fn decide_cookie(write: &str) -> bool {
    engine::decide_cookie(write)
}

/// `"<service id>|<category id>"` for a service index from `decide_url`, for
/// the shell's console messages; empty when unknown.
#[wasm_bindgen]
pub fn service_info(index: i32) -> String {
    engine::service_info(index)
}

/// Look for undeclared and refused cookies now.
#[wasm_bindgen]
pub fn check_jar() {
    engine::check_jar();
}

/// The placeholder for a held embed or block. `service` is an index from
/// `decide_url` (or `-1`); `service_id` names the service of marked-up
/// content (`data-service`) when there is no index.
#[wasm_bindgen]
pub fn placeholder(
    hold_id: u32,
    service: i32,
    category: &str,
    service_id: Option<String>,
) -> Option<web_sys::Element> {
    engine::placeholder(hold_id, service, category, service_id.as_deref().unwrap_or(""))
}

/// `consentGuard.show()`.
#[wasm_bindgen]
pub fn api_show() {
    engine::show();
}

/// `consentGuard.showPreferences()`.
#[wasm_bindgen]
pub fn api_show_preferences() {
    engine::show_preferences();
}

/// `consentGuard.acceptAll()`.
#[wasm_bindgen]
pub fn api_accept_all() {
    engine::dispatch(ui::UiAction::AcceptAll);
}

/// `consentGuard.rejectAll()`.
#[wasm_bindgen]
pub fn api_reject_all() {
    engine::dispatch(ui::UiAction::RejectAll);
}

/// `consentGuard.accept(categories)`: grant exactly these (and
/// strictly-necessary); false when an id is unknown.
#[wasm_bindgen]
pub fn api_accept(categories: Vec<String>) -> bool {
    engine::accept(&categories)
}

/// `consentGuard.refresh()`: for single-page apps that re-render.
#[wasm_bindgen]
pub fn api_refresh() {
    engine::refresh();
}

/// `consentGuard.consent()`: the current record as JSON.
#[wasm_bindgen]
pub fn api_consent() -> Option<String> {
    engine::consent_json()
}
