//! Any HTML (document or fragment) → tag::rewrite with the default table.
//! The invariants are in src/fuzzing.rs (`check_tag`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| consent_guard::fuzzing::check_tag(data));
