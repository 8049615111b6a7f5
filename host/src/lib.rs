//! aicoder: a terminal AI coding assistant whose plugins are sandboxed
//! WebAssembly components. See docs/architecture.md for the map.
//!
//! Layers, top to bottom; a module uses only the layers below it. Each
//! layer below [`cli`] is a crate of its own (`crates/aicoder-*`, named in
//! docs/architecture.md), so Cargo refuses an import that runs back up;
//! this crate keeps the command line and the binary, and re-exports each
//! layer at the path it had when all were modules here:
//! - [`cli`]: the command line; one-shot commands open an [`app::App`], the
//!   bare command a session;
//! - [`session`]: the terminal conversation (model turn, approval, slash
//!   commands, session files), built on an [`app::App`];
//! - [`serve`]: `aicoder mcp serve`, the plugins as MCP tools for any agent,
//!   built on an [`app::App`] (beside the session);
//! - [`ui`]: terminal output: markdown, the tables (plugins, grants, audit)
//!   and the undo dialog shared by the command line and the session;
//! - [`app`]: paths, services and the plugin host of one project folder,
//!   without a model client;
//! - [`plugins`]: discovery, the compile cache, the sandbox and the calls into
//!   plugin components; beside it [`tools`], the built-in tools;
//! - [`caps`]: one module per capability interface of `wit/` (each owning
//!   its revert for undo), plus grants and the audit log that every
//!   capability call goes through;
//! - [`state`]: the app state (history, cwd, stats, tools, plugins, config),
//!   the single source of truth that the session and the capabilities share,
//!   with the names and events both sides check;
//! - foundations: [`model`] (the model client), [`workspace`] (race-free
//!   files beneath the root, the one hardened read), [`shell`] (the bounded
//!   shell runner), [`bindings`] (the wasmtime bindings of `wit/`), then
//!   [`config`] and [`util`].

// The layers below `app` are crates of their own (crates/, bottom to top);
// re-exported at their old paths, so `crate::caps::...` here and
// `aicoder::caps::...` in tests and the bench read as before.
pub use aicoder_app::app;
pub use aicoder_base::{interrupt, term, util};
pub use aicoder_bindings::bindings;
pub use aicoder_caps::caps;
pub use aicoder_config::config;
pub use aicoder_headless::headless;
pub use aicoder_mcp_host::mcp;
pub use aicoder_model::model;
pub use aicoder_plugins::plugins;
pub use aicoder_serve::serve;
pub use aicoder_session::session;
pub use aicoder_shell::shell;
pub use aicoder_state::state;
pub use aicoder_tools::tools;
pub use aicoder_ui::ui;
pub use aicoder_workspace::workspace;

pub mod cli;
