//! The capability interfaces plugins import: one module per interface, grants, and the audit log every call goes through.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_base::{interrupt, term, util};
use aicoder_bindings::bindings;
use aicoder_config::config;
use aicoder_shell::shell;
use aicoder_state::state;
use aicoder_workspace::workspace;

pub mod caps;
