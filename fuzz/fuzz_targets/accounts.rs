//! libFuzzer entry for the `accounts` target; the body is `csrubric_fuzz::accounts`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csrubric_fuzz::accounts(data));
