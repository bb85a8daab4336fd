//! The workspace's integration tests, one binary (see `support.rs` for shared helpers).
// Test helpers outside `#[test]` functions may panic on a broken fixture: that is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod columnar_props;
mod escalation;
mod health;
mod health_props;
mod history;
mod hostile;
mod lifecycle;
mod playbooks;
mod priority;
mod scripts;
mod vectors;
