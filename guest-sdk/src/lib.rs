#![doc = include_str!("../README.md")]
//!
//! Each capability has a module of typed helpers ([`history`], [`workspace`],
//! [`fs`], ...). Every helper returns `Result<_, HostError>`; a missing grant is
//! [`HostError::AccessDenied`], and `?` turns it into a [`PluginError`] that the
//! user sees with the capability name and how to grant it.

mod args;
mod instance;
mod manifest;

pub use args::Args;
#[doc(hidden)]
pub use instance::with_instance;

/// The generated WIT bindings. Prefer the re-exports and helper modules below;
/// these are public only so that [`export_plugin!`] can reach them.
#[doc(hidden)]
pub mod bindings {
    // The contract ships inside this crate (`wit/`), so the published crate
    // builds on its own; the aicoder repository links its `wit/` here.
    wit_bindgen::generate!({
        path: "wit",
        world: "plugin",
        pub_export_macro: true,
        export_macro_name: "__export_plugin_world",
        default_bindings_module: "aicoder_plugin_sdk::bindings",
    });
}

pub use bindings::aicoder::plugin::types::{Denial, HostError, Message};

/// Every interface of the contract under its WIT name in snake case
/// (`ui_bell`, `data_write`, ...), as generated: an interface added to the
/// WIT is reachable here with no edit. The helper modules below take the
/// place of the generated ones that share their names.
pub use bindings::aicoder::plugin::*;
pub use bindings::exports::aicoder::plugin::guest::{
    CommandSpec, Event, EventOutcome, PluginError, PluginManifest as Manifest, Preview, ToolOutput,
    ToolSpec,
};

/// Capability `log` (always granted).
pub mod log {
    use crate::bindings::aicoder::plugin::log::{write, Level};

    /// Log at debug level (shown only with DEBUG=1).
    pub fn debug(message: &str) {
        write(Level::Debug, message)
    }
    /// Log at info level.
    pub fn info(message: &str) {
        write(Level::Info, message)
    }
    /// Log at warn level (shown to the user).
    pub fn warn(message: &str) {
        write(Level::Warn, message)
    }
    /// Log at error level (shown to the user).
    pub fn error(message: &str) {
        write(Level::Error, message)
    }
}

/// Capabilities `history.read` / `history.write`.
pub mod history {
    pub use crate::bindings::aicoder::plugin::history::{
        append, clear, count, get_messages, set_message,
    };
}

/// Capabilities `workspace.read` / `workspace.write`.
pub mod workspace {
    pub use crate::bindings::aicoder::plugin::workspace::{get_cwd, set_cwd};
}

/// Capability `stats.read`.
pub mod stats {
    pub use crate::bindings::aicoder::plugin::stats::{get_stats, SessionStats};
}

/// Capabilities `tools.read` / `tools.manage`.
pub mod tools {
    pub use crate::bindings::aicoder::plugin::tools::{
        list_tools, register_command, register_tool, remove_tool, set_auto_approved,
        set_own_tool_offered, NewTool, ToolInfo,
    };
}

/// Capability `plugins.read`.
pub mod plugins {
    pub use crate::bindings::aicoder::plugin::plugins::{list_plugins, PluginInfo};
}

/// Capabilities `config.read` / `config.write`.
pub mod config {
    pub use crate::bindings::aicoder::plugin::config::{get, keys, set};
}

/// Capability `hooks.register`.
pub mod hooks {
    pub use crate::bindings::aicoder::plugin::hooks::{known_events, subscribe, unsubscribe};
}

/// Capabilities `fs.read` / `fs.write` (paths relative to the working directory).
pub mod fs {
    pub use crate::bindings::aicoder::plugin::fs::{list_dir, read_file, write_file, DirEntry};
}

/// Capability `shell.exec`.
pub mod shell {
    pub use crate::bindings::aicoder::plugin::shell::{exec, ShellOutput};
}

/// Capability `prompt.write`: the plugin's own sections of the system prompt.
pub mod prompt {
    pub use crate::bindings::aicoder::plugin::prompt::{clear_section, set_section};
}

/// Capabilities `data.read` / `data.write`: the plugin's own data folders
/// (`.aicoder/<plugin>/`, and `~/.config/aicoder/<plugin>/` read only).
pub mod data {
    pub use crate::bindings::aicoder::plugin::data::{list_dir, read_file, Area, DataEntry};
    pub use crate::bindings::aicoder::plugin::data_write::{delete_file, write_file};
}

/// Capabilities `ui.ask` (a question to the user at the terminal), `ui.bell`
/// and `ui.clipboard` (the host writes the bell or the OSC 52 sequence).
pub mod ui {
    pub use crate::bindings::aicoder::plugin::ui::ask;
    pub use crate::bindings::aicoder::plugin::ui_bell::bell;
    pub use crate::bindings::aicoder::plugin::ui_clipboard::set_clipboard;
}

/// Capabilities `process.spawn` / `process.read`: the plugin's own background
/// jobs (killed when the session ends).
pub mod process {
    pub use crate::bindings::aicoder::plugin::process::{list_jobs, start, stop, tail, JobInfo};
}

impl HostError {
    /// A one-line, user-facing description of the error.
    pub fn message(&self) -> String {
        match self {
            HostError::AccessDenied(d) => {
                format!("permission denied: {} ({})", d.capability, d.hint)
            }
            HostError::InvalidArgument(m) => format!("invalid argument: {m}"),
            HostError::NotFound(m) => format!("not found: {m}"),
            HostError::Failed(m) => format!("failed: {m}"),
        }
    }
}

impl From<HostError> for PluginError {
    fn from(err: HostError) -> Self {
        match err {
            HostError::AccessDenied(_) => PluginError::AccessDenied(err.message()),
            HostError::InvalidArgument(m) => PluginError::InvalidArguments(m),
            other => PluginError::Failed(other.message()),
        }
    }
}

impl Message {
    /// A message with a role and text, no tool fields.
    pub fn new(role: &str, content: impl Into<String>) -> Self {
        Message {
            role: role.to_string(),
            content: content.into(),
            tool_call_id: None,
            name: None,
        }
    }
}

impl ToolOutput {
    /// The same text for the user and the model.
    pub fn text(text: impl Into<String>) -> Self {
        let text = text.into();
        ToolOutput {
            summary: text.clone(),
            detail: text,
        }
    }
}

/// What a plugin implements. [`Plugin::new`] and [`Plugin::manifest`] are
/// required; the other handlers default to "unknown tool/command" and "no
/// change".
///
/// The host makes the value with `new` once per plugin instance, before the
/// first call that needs it, and keeps it for the session; a trap (a panic,
/// a deadline) discards the instance, and the next call starts from `new`
/// again. Handlers take `&mut self`: no statics are needed for state.
pub trait Plugin: 'static {
    /// The plugin's initial state. It may call host functions its grants
    /// allow; it runs inside the first call (and that call's deadline).
    fn new() -> Self
    where
        Self: Sized;

    /// Name, version, tools, commands and hook subscriptions. Called once per
    /// plugin version, without a value of `Self`; must not call host functions
    /// that need a grant.
    fn manifest() -> Manifest
    where
        Self: Sized;

    /// Run one of the tools named in the manifest. [`Args::parse`] turns the
    /// arguments into the type whose schema [`ToolSpec::typed`] declared.
    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        let _ = args;
        Err(PluginError::InvalidArguments(format!(
            "unknown tool `{name}`"
        )))
    }

    /// Describe a tool call for the approval prompt. The default shows the
    /// tool name and its arguments and declares no capabilities.
    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        Ok(Preview {
            text: format!("{name} {}", args.raw()),
            capabilities: Vec::new(),
        })
    }

    /// Run one of the commands named in the manifest.
    fn run_command(&mut self, name: &str, args: &str) -> Result<String, PluginError> {
        let _ = args;
        Err(PluginError::InvalidArguments(format!(
            "unknown command `/{name}`"
        )))
    }

    /// React to an event named in the manifest's hooks.
    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        let _ = event;
        Ok(EventOutcome::Unchanged)
    }
}

/// Export a [`Plugin`] implementation as the component's `guest` interface.
#[macro_export]
macro_rules! export_plugin {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub struct __AicoderPluginExport;

        ::std::thread_local! {
            // The plugin's one value for this instance, made on first use.
            static __AICODER_PLUGIN: ::std::cell::RefCell<::std::option::Option<$plugin>> =
                const { ::std::cell::RefCell::new(::std::option::Option::None) };
        }

        impl $crate::bindings::exports::aicoder::plugin::guest::Guest for __AicoderPluginExport {
            fn manifest() -> $crate::Manifest {
                <$plugin as $crate::Plugin>::manifest()
            }
            fn call_tool(name: String, args_json: String) -> Result<$crate::ToolOutput, $crate::PluginError> {
                let args = $crate::Args::from_json(&args_json)?;
                $crate::with_instance(&__AICODER_PLUGIN, |p: &mut $plugin| p.call_tool(&name, args))
            }
            fn preview_tool(name: String, args_json: String) -> Result<$crate::Preview, $crate::PluginError> {
                let args = $crate::Args::from_json(&args_json)?;
                $crate::with_instance(&__AICODER_PLUGIN, |p: &mut $plugin| p.preview_tool(&name, args))
            }
            fn run_command(name: String, args: String) -> Result<String, $crate::PluginError> {
                $crate::with_instance(&__AICODER_PLUGIN, |p: &mut $plugin| p.run_command(&name, &args))
            }
            fn on_event(event: $crate::Event) -> Result<$crate::EventOutcome, $crate::PluginError> {
                $crate::with_instance(&__AICODER_PLUGIN, |p: &mut $plugin| p.on_event(event))
            }
        }

        // Only a wasm build exports the component interface; a native build
        // (`cargo test` of the plugin's own logic) links without it.
        #[cfg(target_arch = "wasm32")]
        $crate::bindings::__export_plugin_world!(__AicoderPluginExport with_types_in $crate::bindings);
    };
}
