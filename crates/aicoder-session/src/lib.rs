//! The terminal conversation: model turn, approval, slash commands, session files, built on an App.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_app::app;
use aicoder_base::{interrupt, term, util};
use aicoder_caps::caps;
use aicoder_config::config;
use aicoder_headless::headless;
use aicoder_mcp_host::mcp;
use aicoder_model::model;
use aicoder_plugins::plugins;
use aicoder_state::state;
use aicoder_tools::tools;
use aicoder_ui::ui;

pub mod session;
