//! libFuzzer entry for the `script` target; the body is `csrubric_fuzz::script`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csrubric_fuzz::script(data));
