//! MCP servers in the session: which may start, their tools offered to the model, and the client (crate aicoder-mcp) that runs them.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_base::{term, util};
use aicoder_caps::caps;
use aicoder_config::config;
use aicoder_plugins::plugins;
use aicoder_state::state;
use aicoder_workspace::workspace;

pub mod mcp;
