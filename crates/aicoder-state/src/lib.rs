//! The app state shared by the session and the capabilities: history, cwd, stats, tools, plugins, config.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_base::util;
use aicoder_config::config;
use aicoder_model::model;
use aicoder_workspace::workspace;

pub mod state;
