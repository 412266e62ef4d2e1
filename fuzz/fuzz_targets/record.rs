//! Stored consent (JSON, cookie, or `json NUL cookie`) → decode, re-encode, read_stored.
//! The invariants are in src/fuzzing.rs (`check_record`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| consent_guard::fuzzing::check_record(data));
