//! `name \n host \n path \n flags` → cookie::deletion_variants.
//! The invariants are in src/fuzzing.rs (`check_deletion`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| consent_guard::fuzzing::check_deletion(data));
