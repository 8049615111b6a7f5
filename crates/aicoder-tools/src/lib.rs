//! The built-in tools the model calls (read, write, edit, grep, list, shell) and their fence beneath the root.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_base::{interrupt, util};
use aicoder_caps::caps;
use aicoder_config::config;
use aicoder_shell::shell;
use aicoder_workspace::workspace;

pub mod tools;
