//! Workspace integration tests, built as one test binary.

mod escalation;
mod health;
mod health_props;
mod playbooks;
