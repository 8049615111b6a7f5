//! aicoder: a terminal AI coding assistant whose plugins are sandboxed
//! WebAssembly components. See docs/architecture.md for the map.
//!
//! Layers, one folder each:
//! - [`state`]: the app state (history, cwd, stats, tools, plugins, config),
//!   the single source of truth that the session and the capabilities share;
//! - [`caps`]: one module per capability interface of `wit/`, plus grants and
//!   the audit log that every capability call goes through;
//! - [`plugins`]: discovery, the compile cache, the sandbox and the calls into
//!   plugin components;
//! - [`cli`]: the command line.

pub mod caps;
pub mod cli;
pub mod config;
pub mod interrupt;
pub mod model;
pub mod plugins;
pub mod session;
pub mod state;
pub mod tools;
pub mod ui;
pub mod util;
pub mod workspace;
