//! The JS shell as the engine sees it: a duck-typed object passed to `boot`.
//!
//! Calls go through `catch` so an exception in the shell comes back as an
//! `Err` instead of unwinding through wasm. See ARCHITECTURE.md for what each
//! method does.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The object `js/shell.js` hands to `boot`.
    #[derive(Clone)]
    pub type Shell;

    /// Grants changed: release what is now allowed, re-hold what is not.
    #[wasm_bindgen(method, catch)]
    pub fn refresh(this: &Shell) -> Result<(), JsValue>;

    /// Release one held item once.
    #[wasm_bindgen(method, catch, js_name = releaseHeld)]
    pub fn release_held(this: &Shell, hold_id: u32) -> Result<(), JsValue>;

    /// Write through the native `document.cookie` setter.
    #[wasm_bindgen(method, catch, js_name = writeCookie)]
    pub fn write_cookie(this: &Shell, cookie: &str) -> Result<(), JsValue>;

    /// Read through the native `document.cookie` getter.
    #[wasm_bindgen(method, catch, js_name = readCookies)]
    pub fn read_cookies(this: &Shell) -> Result<String, JsValue>;

    /// Tell the page: callbacks and a `consent-guard:<kind>` DOM event.
    #[wasm_bindgen(method, catch)]
    pub fn emit(this: &Shell, kind: &str, json: &str) -> Result<(), JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// Push `gtag(...args)` onto `dataLayer` as an `arguments` object (an
    /// array is ignored by gtag.js). `args_json` is a JSON array. With
    /// `at_front`, insert before what the page pushed so far (after earlier
    /// front entries), so `consent default` precedes a page's `config`
    /// commands even when the table arrived late.
    #[wasm_bindgen(method, catch)]
    pub fn gtag(this: &Shell, args_json: &str, at_front: bool) -> Result<(), JsValue>;
}
