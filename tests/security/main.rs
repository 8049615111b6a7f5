//! Security: attack chains through the real binary, grants and scopes, the audit log, plugin limits and the process sandbox.
//! One test binary per subject: each module below was its own binary once.

mod audit_log;
mod deadline;
mod hostile_plugins;
mod net_fetch;
mod net_rebinding;
mod plugin_limits;
mod plugin_powers;
mod process_sandbox;
mod sandbox_isolation;
mod sandbox_settings;
mod scoped_grants;
mod scopes_reach;
mod workspace_chains;
