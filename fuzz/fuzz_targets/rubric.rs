//! libFuzzer entry for the `rubric` target; the body is `csrubric_fuzz::rubric`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csrubric_fuzz::rubric(data));
