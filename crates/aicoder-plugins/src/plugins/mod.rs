//! Plugins: discovery, the compile cache, the contract check, the sandbox and
//! the calls into plugin components.
//!
//! A call flows: [`PluginHost::call_tool`] → the plugin's instance (made on
//! first use, from a cached compiled component) → the plugin's code → a host
//! import in `crate::caps` → grant check → app state → audit line → back.

pub mod cache;
pub mod cache_prune;
pub mod contract;
pub mod defaults;
/// The call deadline lives with the capabilities that read it.
pub use crate::caps::deadline;
pub mod discovery;
mod host;
pub mod manifest;
mod sandbox;
pub mod trust;

pub use host::write_shipped_record;
pub use host::{
    new_engine, CallError, LoadError, LoadFailure, PluginHost, PluginInfo, Preview, ReloadReport,
    ToolResult, TrapKind,
};
