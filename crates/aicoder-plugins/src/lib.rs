//! The plugin host: discovery, the compile cache, the sandbox and the calls into plugin components.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_base::{interrupt, term, util};
use aicoder_bindings::bindings;
use aicoder_caps::caps;
use aicoder_config::config;
use aicoder_state::state;

pub mod plugins;
