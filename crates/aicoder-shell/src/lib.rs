//! The bounded shell runner (timeouts, output caps, the sandbox).
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

pub mod shell;
