//! In-browser tests of the browser layer (`src/web/`), run by
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test web`
//! (`make test` does this). Natively this file compiles to nothing.
//!
//! These run the debug build only; the optimised `pkg/` is covered by the
//! end-to-end tests in `tests/e2e/`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(consent_guard::web::version(), env!("CARGO_PKG_VERSION"));
}
