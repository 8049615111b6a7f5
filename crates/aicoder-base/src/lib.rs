//! The lowest layer: small helpers (util), terminal text and its sanitizer (term), and Ctrl-C as a flag (interrupt).
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

pub mod interrupt;
pub mod term;
pub mod util;
