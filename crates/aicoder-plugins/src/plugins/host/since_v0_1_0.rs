//! Contract `aicoder:plugin@0.1.0`, frozen (`guest-sdk/wit/since_v0.1.0/`):
//! its bindings, and its imports and exports adapted to the current host
//! code, so components built against 0.1.0 keep loading (as Zed's extension
//! host keeps one file per released API version).
//!
//! 0.1.0's interfaces are the current ones minus prompt, data, data-write,
//! ui and process, unchanged in shape; only their names carry `@0.1.0`, so
//! wasmtime generates distinct Rust types for them. Each host function here
//! converts its arguments, calls the current implementation (the same gate,
//! grants and audit), and converts the answer back. The shared `types`
//! interface is the current one (`with`), so `host-error` and `message`
//! need no conversion.

use crate::bindings::aicoder::plugin as now;
use crate::bindings::exports::aicoder::plugin::guest as now_guest;
use crate::caps::CapCtx;
use crate::plugins::sandbox::StoreData;
use wasmtime::component::{HasSelf, Linker};

/// The current `types` (unchanged since 0.1.0), named from this module:
/// bindgen's `with` paths are relative to the module it is called in.
pub mod current_types {
    pub use crate::bindings::aicoder::plugin::types::*;
}

wasmtime::component::bindgen!({
    path: "../../guest-sdk/wit/since_v0.1.0",
    world: "plugin",
    exports: { default: async },
    with: { "aicoder:plugin/types": current_types },
});

// Which interfaces 0.1.0 has is `contract::FROZEN` (checked against the
// frozen world.wit by a test); the check refuses others before linking.

use self::aicoder::plugin as then;
use exports::aicoder::plugin::guest as then_guest;
type HostError = now::types::HostError;
type Message = now::types::Message;

/// Link 0.1.0's interfaces (under their `@0.1.0` names) to the host.
pub fn add_to_linker(linker: &mut Linker<StoreData>) -> wasmtime::Result<()> {
    Plugin::add_to_linker::<StoreData, HasSelf<CapCtx>>(linker, |d: &mut StoreData| &mut d.caps)
}

/// A record whose fields are the same in both versions.
macro_rules! same_record {
    ($from:ty => $to:ty { $($field:ident),* $(,)? }) => {
        impl From<$from> for $to {
            fn from(v: $from) -> Self {
                Self { $($field: v.$field),* }
            }
        }
    };
}

same_record!(now::stats::SessionStats => then::stats::SessionStats {
    api_requests, api_success, api_errors, prompt_tokens, completion_tokens,
    api_time_ms, tool_calls, tool_errors, messages_sent,
});
same_record!(now::tools::ToolInfo => then::tools::ToolInfo {
    name, description, parameters_json, auto_approved, source, offered,
});
same_record!(then::tools::NewTool => now::tools::NewTool {
    name, description, parameters_json, auto_approved,
});
same_record!(now::plugins::PluginInfo => then::plugins::PluginInfo {
    name, version, source, tools, commands,
});
same_record!(now::fs::DirEntry => then::fs::DirEntry { name, is_dir, size });
same_record!(now::shell::ShellOutput => then::shell::ShellOutput {
    stdout, stderr, exit_code, timed_out, truncated,
});
same_record!(then_guest::ToolSpec => now_guest::ToolSpec {
    name, description, parameters_json, auto_approved, hidden,
});
same_record!(then_guest::CommandSpec => now_guest::CommandSpec { name, description });
same_record!(then_guest::Preview => now_guest::Preview { text, capabilities });
same_record!(then_guest::ToolOutput => now_guest::ToolOutput { summary, detail });
same_record!(now_guest::Event => then_guest::Event { name, payload_json });

impl From<then_guest::PluginManifest> for now_guest::PluginManifest {
    fn from(m: then_guest::PluginManifest) -> Self {
        Self {
            name: m.name,
            version: m.version,
            description: m.description,
            tools: m.tools.into_iter().map(Into::into).collect(),
            commands: m.commands.into_iter().map(Into::into).collect(),
            hooks: m.hooks,
        }
    }
}

impl From<then_guest::EventOutcome> for now_guest::EventOutcome {
    fn from(o: then_guest::EventOutcome) -> Self {
        match o {
            then_guest::EventOutcome::Unchanged => Self::Unchanged,
            then_guest::EventOutcome::ReplacePayload(p) => Self::ReplacePayload(p),
        }
    }
}

impl From<then_guest::PluginError> for now_guest::PluginError {
    fn from(e: then_guest::PluginError) -> Self {
        match e {
            then_guest::PluginError::InvalidArguments(m) => Self::InvalidArguments(m),
            then_guest::PluginError::AccessDenied(m) => Self::AccessDenied(m),
            then_guest::PluginError::Failed(m) => Self::Failed(m),
        }
    }
}

/// `Result<T, E>` from one version's types to the other's.
fn conv<T: Into<U>, U, E: Into<F>, F>(r: Result<T, E>) -> Result<U, F> {
    r.map(Into::into).map_err(Into::into)
}

fn conv_list<T: Into<U>, U>(r: Result<Vec<T>, HostError>) -> Result<Vec<U>, HostError> {
    r.map(|v| v.into_iter().map(Into::into).collect())
}

impl then::log::Host for CapCtx {
    fn write(&mut self, level: then::log::Level, message: String) {
        let level = match level {
            then::log::Level::Debug => now::log::Level::Debug,
            then::log::Level::Info => now::log::Level::Info,
            then::log::Level::Warn => now::log::Level::Warn,
            then::log::Level::Error => now::log::Level::Error,
        };
        now::log::Host::write(self, level, message)
    }
}

impl then::history::Host for CapCtx {
    fn get_messages(&mut self) -> Result<Vec<Message>, HostError> {
        now::history::Host::get_messages(self)
    }
    fn count(&mut self) -> Result<u32, HostError> {
        now::history::Host::count(self)
    }
    fn set_message(&mut self, index: u32, message: Message) -> Result<(), HostError> {
        now::history::Host::set_message(self, index, message)
    }
    fn append(&mut self, message: Message) -> Result<(), HostError> {
        now::history::Host::append(self, message)
    }
    fn clear(&mut self) -> Result<(), HostError> {
        now::history::Host::clear(self)
    }
}

impl then::workspace::Host for CapCtx {
    fn get_cwd(&mut self) -> Result<String, HostError> {
        now::workspace::Host::get_cwd(self)
    }
    fn set_cwd(&mut self, path: String) -> Result<String, HostError> {
        now::workspace::Host::set_cwd(self, path)
    }
}

impl then::stats::Host for CapCtx {
    fn get_stats(&mut self) -> Result<then::stats::SessionStats, HostError> {
        conv(now::stats::Host::get_stats(self))
    }
}

impl then::tools::Host for CapCtx {
    fn list_tools(&mut self) -> Result<Vec<then::tools::ToolInfo>, HostError> {
        conv_list(now::tools::Host::list_tools(self))
    }
    fn set_auto_approved(&mut self, name: String, auto_approved: bool) -> Result<(), HostError> {
        now::tools::Host::set_auto_approved(self, name, auto_approved)
    }
    fn remove_tool(&mut self, name: String) -> Result<(), HostError> {
        now::tools::Host::remove_tool(self, name)
    }
    fn set_own_tool_offered(&mut self, name: String, offered: bool) -> Result<(), HostError> {
        now::tools::Host::set_own_tool_offered(self, name, offered)
    }
    fn register_tool(&mut self, tool: then::tools::NewTool) -> Result<(), HostError> {
        now::tools::Host::register_tool(self, tool.into())
    }
    fn register_command(&mut self, name: String, description: String) -> Result<(), HostError> {
        now::tools::Host::register_command(self, name, description)
    }
}

impl then::plugins::Host for CapCtx {
    fn list_plugins(&mut self) -> Result<Vec<then::plugins::PluginInfo>, HostError> {
        conv_list(now::plugins::Host::list_plugins(self))
    }
}

impl then::config::Host for CapCtx {
    fn keys(&mut self) -> Result<Vec<String>, HostError> {
        now::config::Host::keys(self)
    }
    fn get(&mut self, key: String) -> Result<String, HostError> {
        now::config::Host::get(self, key)
    }
    fn set(&mut self, key: String, value: String) -> Result<(), HostError> {
        now::config::Host::set(self, key, value)
    }
}

impl then::hooks::Host for CapCtx {
    fn known_events(&mut self) -> Vec<String> {
        now::hooks::Host::known_events(self)
    }
    fn subscribe(&mut self, event: String) -> Result<(), HostError> {
        now::hooks::Host::subscribe(self, event)
    }
    fn unsubscribe(&mut self, event: String) -> Result<(), HostError> {
        now::hooks::Host::unsubscribe(self, event)
    }
}

impl then::fs::Host for CapCtx {
    fn read_file(&mut self, path: String) -> Result<String, HostError> {
        now::fs::Host::read_file(self, path)
    }
    fn list_dir(&mut self, path: String) -> Result<Vec<then::fs::DirEntry>, HostError> {
        conv_list(now::fs::Host::list_dir(self, path))
    }
    fn write_file(&mut self, path: String, content: String) -> Result<(), HostError> {
        now::fs::Host::write_file(self, path, content)
    }
}

impl then::shell::Host for CapCtx {
    fn exec(
        &mut self,
        command: String,
        timeout_ms: Option<u32>,
    ) -> Result<then::shell::ShellOutput, HostError> {
        conv(now::shell::Host::exec(self, command, timeout_ms))
    }
}
