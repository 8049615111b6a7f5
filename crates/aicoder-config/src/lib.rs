//! aicoder's configuration: environment, project and user config files, the directories aicoder owns.
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

pub mod config;
