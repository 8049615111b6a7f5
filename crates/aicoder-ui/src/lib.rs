//! Terminal output: markdown, the tables (plugins, grants, audit) and the undo dialog shared by the command line and the session.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

// The lower layers under the paths the host crate gave them
// (`crate::config::...`), so the modules read as they did there.
use aicoder_app::app;
use aicoder_base::term;
use aicoder_caps::caps;
use aicoder_plugins::plugins;

pub mod ui;
