//! aicoder's Model Context Protocol side, over the official Rust SDK (`rmcp`,
//! pinned and wrapped here so the host crate never names an rmcp type).
//!
//! - [`server`]: a generic MCP server over stdio and Streamable HTTP,
//!   parameterised by a [`server::ToolProvider`] (`aicoder mcp serve`).

pub mod server;
