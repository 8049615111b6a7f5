//! aicoder's Model Context Protocol support, over the official Rust SDK
//! (`rmcp`), pinned and used only inside this crate, so an SDK release that
//! changes its API changes this crate and nothing else (the host never names
//! an rmcp type).
//!
//! - [`client`]: the servers aicoder uses (a session's `mcp__SERVER__TOOL`s).
//! - [`server`]: a generic MCP server over stdio and Streamable HTTP,
//!   parameterised by a [`server::ToolProvider`] (`aicoder mcp serve`).

pub mod client;
pub mod server;
