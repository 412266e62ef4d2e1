//! consent-guard: a cookie consent banner and enforcement library.
//!
//! The crate is a functional core with an imperative shell. Everything that
//! decides — parsing and validating the cookie table, matching URLs and cookie
//! names to services and categories, the consent record and its rules, the
//! cookie deletion variants — is plain Rust without `web-sys`, tested natively.
//! The browser layer (`web`, wasm32 only) does DOM, storage and events and asks
//! the core for every decision. The native CLI (`src/bin/consent-guard.rs`)
//! uses the same core, so the browser and the CLI never disagree about what a
//! table means.

pub mod consent;
pub mod consent_mode;
pub mod cookie;
pub mod decide;
pub mod declaration;
pub mod fingerprint;
// The invariants the fuzz targets check (fuzz/), for tests and fuzzing only:
// never in the wasm.
#[cfg(any(test, fuzzing))]
pub mod fuzzing;
pub mod host;
pub mod json;
pub mod pattern;
pub mod report;
pub mod psl;
pub mod table;
pub mod tag;
pub mod time;

#[cfg(target_arch = "wasm32")]
pub mod web;
