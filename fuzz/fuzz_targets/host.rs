//! `url \n suffix` → url_host, service_for_host on the default table, host_matches.
//! The invariants are in src/fuzzing.rs (`check_host`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| consent_guard::fuzzing::check_host(data));
