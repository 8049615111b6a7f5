//! `aicoder plugin new NAME`: a Rust plugin crate that builds against the guest
//! SDK of the machine where this aicoder was built.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Where the guest SDK is: AICODER_SDK_PATH, or the source tree this binary
/// was built from.
fn sdk_path() -> Result<PathBuf> {
    let path = std::env::var_os("AICODER_SDK_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../guest-sdk"));
    let path = path.canonicalize().with_context(|| {
        format!(
            "the Rust guest SDK is not at {}: run aicoder on the machine where it was built, \
             or set AICODER_SDK_PATH to a checkout's guest-sdk folder",
            path.display()
        )
    })?;
    Ok(path)
}

fn valid(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Write the crate into `./NAME`.
pub fn new_plugin(name: &str) -> Result<PathBuf> {
    if !valid(name) {
        bail!("plugin name {name:?} must start with a lower-case letter and use only a-z, 0-9 and `_`");
    }
    let dir = std::env::current_dir()?.join(name);
    if dir.exists() {
        bail!(
            "{} already exists; choose another name or remove it",
            dir.display()
        );
    }
    let sdk = sdk_path()?;
    let files = [
        (
            "Cargo.toml",
            CARGO_TOML
                .replace("{name}", name)
                .replace("{sdk}", &sdk.display().to_string()),
        ),
        ("rust-toolchain.toml", TOOLCHAIN.to_string()),
        ("src/lib.rs", LIB_RS.replace("{name}", name)),
        ("README.md", README.replace("{name}", name)),
        (".gitignore", "target/\n".to_string()),
    ];
    for (file, text) in files {
        let path = dir.join(file);
        crate::util::atomic_write(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(dir)
}

const CARGO_TOML: &str = r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"

[lib]
# cdylib is the plugin component; rlib lets `cargo test` run the unit tests.
crate-type = ["cdylib", "rlib"]

[dependencies]
aicoder-plugin-sdk = { path = "{sdk}" }

[profile.release]
opt-level = "s"
strip = true

# A crate of its own, even inside another workspace.
[workspace]
"#;

const TOOLCHAIN: &str = r#"[toolchain]
channel = "1.95.0"
targets = ["wasm32-wasip2"]
"#;

const LIB_RS: &str = r##"//! The {name} plugin for aicoder.

use aicoder_plugin_sdk::{
    export_plugin, workspace, Args, Manifest, Plugin, PluginError, Preview, ToolOutput, ToolSpec,
};

struct MyPlugin;

const TEXT_SCHEMA: &str = r#"{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"#;

/// The tool's logic, kept free of host calls so it is easy to test.
pub fn shout(text: &str) -> String {
    format!("{}!", text.to_uppercase())
}

impl Plugin for MyPlugin {
    fn manifest() -> Manifest {
        Manifest::new("{name}", "0.1.0", "What {name} does, in one line")
            .tool(ToolSpec::new("{name}_shout", "Shout the given text.", TEXT_SCHEMA).auto_approved())
            .command("{name}", "Say where aicoder is working (needs workspace.read)")
    }

    fn call_tool(name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        match name {
            "{name}_shout" => Ok(ToolOutput::text(shout(args.str("text")?))),
            other => Err(PluginError::InvalidArguments(format!("unknown tool `{other}`"))),
        }
    }

    fn preview_tool(_tool: &str, args: Args) -> Result<Preview, PluginError> {
        Ok(Preview { text: format!("shout {:?}", args.str("text")?), capabilities: vec![] })
    }

    fn run_command(_name: &str, _args: &str) -> Result<String, PluginError> {
        // `?` turns a missing grant into a message naming workspace.read.
        Ok(format!("aicoder is working in {}", workspace::get_cwd()?))
    }
}

export_plugin!(MyPlugin);

#[cfg(test)]
mod tests {
    #[test]
    fn shouts() {
        assert_eq!(super::shout("hi"), "HI!");
    }
}
"##;

const README: &str = r#"# {name}

An aicoder plugin.

Build it and install it into the current project:

    cargo build --release --target wasm32-wasip2
    aicoder plugin install target/wasm32-wasip2/release/{name}.wasm

Test its logic with `cargo test`. In aicoder, `/plugins` lists it, the model
can call `{name}_shout`, and `/{name}` asks for `workspace.read` (grant it
with `aicoder plugin grant {name} workspace.read`). See docs/plugin-guide.md
in the aicoder repository.
"#;
