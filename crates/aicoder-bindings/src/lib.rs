//! The wasmtime host bindings of the plugin contract (guest-sdk/wit).
//!
//! One layer of aicoder (docs/architecture.md); Cargo enforces that it uses
//! only the crates below it.

pub mod bindings;
