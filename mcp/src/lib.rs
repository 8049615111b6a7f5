//! aicoder's Model Context Protocol support. The official Rust SDK (`rmcp`)
//! is pinned and used only inside this crate, so an SDK release that changes
//! its API changes this crate and nothing else.

pub mod client;
