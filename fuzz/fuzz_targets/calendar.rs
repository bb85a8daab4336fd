//! libFuzzer entry for the `calendar` target; the body is `csrubric_fuzz::calendar`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| csrubric_fuzz::calendar(data));
