//! Cookie-table text → table::parse; every accepted table survives every decision.
//! The invariants are in src/fuzzing.rs (`check_table`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| consent_guard::fuzzing::check_table(data));
