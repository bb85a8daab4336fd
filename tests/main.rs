//! Workspace integration tests, built as one test binary.

mod health;
mod health_props;
