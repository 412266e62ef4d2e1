//! document.cookie strings → parse_write and parse_jar.
//! The invariants are in src/fuzzing.rs (`check_cookie`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| consent_guard::fuzzing::check_cookie(data));
