//! Headless runs (`aicoder exec`): the event stream, the approval policy, the output schema and subagents.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_base::util;
use aicoder_caps::caps;

pub mod headless;
