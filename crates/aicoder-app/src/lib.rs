//! The app without a conversation: a project folder's paths, shared services and plugin host, without a model client.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_caps::caps;
use aicoder_config::config;
use aicoder_plugins::plugins;
use aicoder_state::state;
use aicoder_workspace::workspace;

pub mod app;
