//! Replays the checked-in corpus (`fuzz/corpus/<target>/`) and the regression inputs
//! (`fuzz/regressions/<target>/`, each a crash the fuzzer once found) through the fuzz
//! target bodies, with stable Rust and no libFuzzer:
//!
//! ```sh
//! cargo test --manifest-path fuzz/Cargo.toml --no-default-features --locked
//! ```
//!
//! A guard thread fails the test (instead of letting it hang) when one input takes longer
//! than a minute; that is a hang detector, not a speed assertion.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("corpus entry").path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn replay(target: &'static str, body: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        !files.is_empty(),
        "no corpus for `{target}` under fuzz/corpus/{target}/"
    );
    for path in files {
        let data = std::fs::read(&path).expect("read corpus file");
        let (tx, rx) = mpsc::channel();
        let shown = path.display().to_string();
        let worker = std::thread::Builder::new()
            .name(format!("{target}:{shown}"))
            .stack_size(8 * 1024 * 1024)
            .spawn(move || {
                body(&data);
                let _ = tx.send(());
            })
            .expect("spawn replay thread");
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(()) => worker.join().expect("replay thread"),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                // The body panicked: re-raise with the file name.
                let err = worker.join().expect_err("the body panicked");
                let msg = err
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panic!("{target}: {shown}: {msg}");
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{target}: {shown} did not finish within 60 s (hang)")
            }
        }
    }
}

#[test]
fn rubric_corpus() {
    replay("rubric", csrubric_fuzz::rubric);
}

#[test]
fn accounts_corpus() {
    replay("accounts", csrubric_fuzz::accounts);
}

#[test]
fn script_corpus() {
    replay("script", csrubric_fuzz::script);
}

#[test]
fn calendar_corpus() {
    replay("calendar", csrubric_fuzz::calendar);
}
