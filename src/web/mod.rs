//! The browser layer (wasm32 only). Thin: it does DOM, storage and events and
//! defers every decision to the core.

use wasm_bindgen::prelude::*;

/// The library version, for the shell's console messages.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
