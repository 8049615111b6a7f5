//! `aicoder mcp serve`: the plugins as MCP tools for any agent, built on an App.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_app::app;
use aicoder_base::{interrupt, term};
use aicoder_caps::caps;
use aicoder_plugins::plugins;
use aicoder_state::state;

pub mod serve;
