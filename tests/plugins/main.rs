//! Plugins through the real binary: loading, the CLI, the registry, the contract versions and the shipped plugins.
//! One test binary per subject: each module below was its own binary once.

mod check_after_edit;
mod compile_cache;
mod contract_versions;
mod default_grants;
mod jobs_and_questions;
mod plugin_cli;
mod registry;
mod shipped;
