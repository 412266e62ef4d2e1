//! Native run of the UI's pure view model (`src/web/ui/view.rs`).
//!
//! `src/web/` is compiled for wasm32 only, so its plain `#[test]`s would
//! never run; this file compiles the view model on the host, with the three
//! crate modules it uses re-exported under the names it expects. In the
//! wasm build (`scripts/test.sh` runs every `tests/web*.rs` there too) it
//! compiles to nothing.
#![cfg(not(target_arch = "wasm32"))]

mod decide {
    pub use consent_guard::decide::*;
}
mod declaration {
    pub use consent_guard::declaration::*;
}
mod table {
    pub use consent_guard::table::*;
}

#[allow(dead_code)]
#[path = "../src/web/ui/view.rs"]
mod view;
