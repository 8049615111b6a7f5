//! The one door from Python to aicoder: `_aicoder.call(op, args)`.
//! Each op is one WIT import, named `interface.function` as in `wit/` (e.g.
//! `workspace.get-cwd`); the host checks the grant and writes the audit line.
//! A refusal becomes `PermissionError` in Python.
//!
//! `wit:interface.function` reaches every function of the contract through
//! [`wit_ops`], written from `wit/` by build.rs (Python's `ctx.host`): WIT
//! parameter names, records as dicts, enums as their case names. The ops
//! below are the ones `app` and `ctx` use, by hand where Python sees a
//! richer shape (stats' aliases, messages without empty keys);
//! tests/authoring/wit_lists.rs checks each is a function of the contract.

use aicoder_plugin_sdk::{
    config, data, fs, history, hooks, log, plugins, process, prompt, shell, stats, tools, ui,
    workspace, HostError, Message,
};
use serde_json::{json, Map, Value};

/// A failed op, mapped to a Python exception class by kind.
pub struct OpError {
    pub kind: ErrorKind,
    pub message: String,
}

/// Which Python exception an [`OpError`] becomes.
pub enum ErrorKind {
    Permission,
    Value,
    Lookup,
    Runtime,
}

impl From<HostError> for OpError {
    fn from(e: HostError) -> Self {
        let kind = match &e {
            HostError::AccessDenied(_) => ErrorKind::Permission,
            HostError::InvalidArgument(_) => ErrorKind::Value,
            HostError::NotFound(_) => ErrorKind::Lookup,
            HostError::Failed(_) => ErrorKind::Runtime,
        };
        let message = match e {
            HostError::AccessDenied(d) => format!("{} is not granted: {}", d.capability, d.hint),
            other => other.message(),
        };
        OpError { kind, message }
    }
}

impl OpError {
    /// An op or value that does not exist (`LookupError` in Python).
    fn from_lookup(message: String) -> Self {
        OpError {
            kind: ErrorKind::Lookup,
            message,
        }
    }
}

/// Every function of the contract, by `interface.function` (generated).
mod wit_ops {
    use super::{bad, OpError};
    use serde_json::{Map, Value};
    include!(concat!(env!("OUT_DIR"), "/wit_dispatch.rs"));
}

fn bad(message: String) -> OpError {
    OpError {
        kind: ErrorKind::Value,
        message,
    }
}

fn str_arg<'a>(args: &'a Map<String, Value>, key: &str) -> Result<&'a str, OpError> {
    args.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("`{key}` must be a string")))
}

fn message_from(v: &Value) -> Result<Message, OpError> {
    let role = v
        .get("role")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("a message needs a `role` string".into()))?;
    let content = match v.get("content") {
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(other) => other.to_string(),
    };
    let opt = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    Ok(Message {
        role: role.to_string(),
        content,
        tool_call_id: opt("tool_call_id"),
        name: opt("name"),
    })
}

fn message_json(m: &Message) -> Value {
    let mut v = json!({ "role": m.role, "content": m.content });
    if let Some(id) = &m.tool_call_id {
        v["tool_call_id"] = id.clone().into();
    }
    if let Some(name) = &m.name {
        v["name"] = name.clone().into();
    }
    v
}

/// The session counters, by the names Python sees (one `stats.read` call).
fn stats_json() -> Result<Value, OpError> {
    let s = stats::get_stats()?;
    Ok(json!({
        "api_requests": s.api_requests, "api_success": s.api_success, "api_errors": s.api_errors,
        "prompt_tokens": s.prompt_tokens, "completion_tokens": s.completion_tokens,
        "tokens_sent": s.prompt_tokens, "tokens_received": s.completion_tokens,
        "api_time_spent": s.api_time_ms as f64 / 1000.0, "api_time_ms": s.api_time_ms,
        "tool_calls": s.tool_calls, "tool_errors": s.tool_errors, "messages_sent": s.messages_sent,
    }))
}

/// Run one op with its keyword arguments; returns its result.
pub fn call(op: &str, args: Value) -> Result<Value, OpError> {
    let Value::Object(args) = args else {
        return Err(bad(format!("{op}: arguments must be keyword arguments")));
    };
    if let Some(op) = op.strip_prefix("wit:") {
        return wit_ops::call(op, &args);
    }
    let result = match op {
        "workspace.get-cwd" => json!(workspace::get_cwd()?),
        "workspace.set-cwd" => json!(workspace::set_cwd(str_arg(&args, "path")?)?),
        "history.get-messages" => Value::Array(history::get_messages()?.iter().map(message_json).collect()),
        "history.count" => json!(history::count()?),
        "history.set-message" => {
            let index = args.get("index").and_then(Value::as_u64).ok_or_else(|| bad("`index` must be an integer".into()))?;
            let index = u32::try_from(index).map_err(|_| bad("`index` is too large".into()))?;
            history::set_message(index, &message_from(args.get("message").unwrap_or(&Value::Null))?)?;
            Value::Null
        }
        "history.append" => {
            history::append(&message_from(args.get("message").unwrap_or(&Value::Null))?)?;
            Value::Null
        }
        "history.clear" => {
            history::clear()?;
            Value::Null
        }
        "stats.get-stats" => stats_json()?,
        // One counter (app.stats.NAME): Python then builds one value, not a dict.
        other if other.starts_with("stats.get-stats:") => {
            let name = &other["stats.get-stats:".len()..];
            stats_json()?.get(name).cloned().ok_or_else(|| OpError {
                kind: ErrorKind::Lookup,
                message: format!("no counter {name:?}"),
            })?
        }
        "tools.list-tools" => {
            let mut map = Map::new();
            for t in tools::list_tools()? {
                let parameters: Value = serde_json::from_str(&t.parameters_json).unwrap_or(Value::Null);
                map.insert(
                    t.name.clone(),
                    json!({ "name": t.name, "description": t.description, "parameters": parameters,
                            "auto_approved": t.auto_approved, "source": t.source, "offered": t.offered }),
                );
            }
            Value::Object(map)
        }
        "tools.set-auto-approved" => {
            let value = args.get("value").and_then(Value::as_bool).ok_or_else(|| bad("`value` must be True or False".into()))?;
            tools::set_auto_approved(str_arg(&args, "name")?, value)?;
            Value::Null
        }
        "tools.register-tool" => {
            let parameters = args.get("parameters").cloned().unwrap_or_else(|| json!({"type": "object", "properties": {}}));
            tools::register_tool(&tools::NewTool {
                name: str_arg(&args, "name")?.to_string(),
                description: args.get("description").and_then(Value::as_str).unwrap_or_default().to_string(),
                parameters_json: parameters.to_string(),
                auto_approved: args.get("auto_approved").and_then(Value::as_bool).unwrap_or(false),
            })?;
            Value::Null
        }
        "tools.register-command" => {
            let description = args.get("description").and_then(Value::as_str).unwrap_or_default();
            tools::register_command(str_arg(&args, "name")?, description)?;
            Value::Null
        }
        "tools.remove-tool" => {
            tools::remove_tool(str_arg(&args, "name")?)?;
            Value::Null
        }
        "plugins.list-plugins" => Value::Array(
            plugins::list_plugins()?
                .into_iter()
                .map(|p| json!({ "name": p.name, "version": p.version, "source": p.source, "tools": p.tools, "commands": p.commands }))
                .collect(),
        ),
        "config.keys" => json!(config::keys()?),
        "config.get" => json!(config::get(str_arg(&args, "key")?)?),
        "config.set" => {
            config::set(str_arg(&args, "key")?, str_arg(&args, "value")?)?;
            Value::Null
        }
        "hooks.subscribe" => {
            hooks::subscribe(str_arg(&args, "event")?)?;
            Value::Null
        }
        "hooks.unsubscribe" => {
            hooks::unsubscribe(str_arg(&args, "event")?)?;
            Value::Null
        }
        "hooks.known-events" => json!(hooks::known_events()),
        "shell.exec" => {
            let timeout = args.get("timeout_ms").and_then(Value::as_u64).map(|t| u32::try_from(t).unwrap_or(u32::MAX));
            let out = shell::exec(str_arg(&args, "command")?, timeout)?;
            json!({ "stdout": out.stdout, "stderr": out.stderr, "exit_code": out.exit_code,
                    "timed_out": out.timed_out, "truncated": out.truncated })
        }
        "fs.read-file" => json!(fs::read_file(str_arg(&args, "path")?)?),
        "fs.write-file" => {
            fs::write_file(str_arg(&args, "path")?, str_arg(&args, "content")?)?;
            Value::Null
        }
        "fs.list-dir" => Value::Array(
            fs::list_dir(str_arg(&args, "path")?)?
                .into_iter()
                .map(|e| json!({ "name": e.name, "is_dir": e.is_dir, "size": e.size }))
                .collect(),
        ),
        "prompt.set-section" => {
            prompt::set_section(str_arg(&args, "name")?, str_arg(&args, "text")?)?;
            Value::Null
        }
        "prompt.clear-section" => {
            prompt::clear_section(str_arg(&args, "name")?)?;
            Value::Null
        }
        "data.read-file" => json!(data::read_file(data_area(&args)?, str_arg(&args, "path")?)?),
        "data.list-dir" => Value::Array(
            data::list_dir(data_area(&args)?, str_arg(&args, "path")?)?
                .into_iter()
                .map(|e| json!({ "name": e.name, "is_dir": e.is_dir, "size": e.size }))
                .collect(),
        ),
        "data-write.write-file" => {
            data::write_file(str_arg(&args, "path")?, str_arg(&args, "content")?)?;
            Value::Null
        }
        "data-write.delete-file" => {
            data::delete_file(str_arg(&args, "path")?)?;
            Value::Null
        }
        "ui.ask" => {
            let choices: Vec<String> = args
                .get("choices")
                .and_then(Value::as_array)
                .map(|c| c.iter().filter_map(Value::as_str).map(str::to_string).collect())
                .unwrap_or_default();
            json!(ui::ask(str_arg(&args, "question")?, &choices)?)
        }
        "ui-bell.bell" => {
            ui::bell()?;
            Value::Null
        }
        "ui-clipboard.set-clipboard" => {
            ui::set_clipboard(str_arg(&args, "text")?)?;
            Value::Null
        }
        "process.start" => job_json(&process::start(str_arg(&args, "command")?)?),
        "process.stop" => job_json(&process::stop(u32_arg(&args, "id")?)?),
        "process.list-jobs" => Value::Array(process::list_jobs()?.iter().map(job_json).collect()),
        "process.tail" => {
            let max = args.get("max_bytes").and_then(Value::as_u64).unwrap_or(65_536);
            json!(process::tail(u32_arg(&args, "id")?, u32::try_from(max).unwrap_or(u32::MAX))?)
        }
        "log.write" => {
            let message = str_arg(&args, "message")?;
            match args.get("level").and_then(Value::as_str).unwrap_or("info") {
                "debug" => log::debug(message),
                "warn" | "warning" => log::warn(message),
                "error" => log::error(message),
                _ => log::info(message),
            }
            Value::Null
        }
        other => return Err(OpError::from_lookup(format!("unknown host operation `{other}`"))),
    };
    Ok(result)
}

/// A background job as Python sees it.
fn job_json(j: &process::JobInfo) -> Value {
    json!({ "id": j.id, "command": j.command, "pid": j.pid, "running": j.running,
            "exit_code": j.exit_code, "output_bytes": j.output_bytes })
}

/// `area`: "project" (the default) or "user".
fn data_area(args: &Map<String, Value>) -> Result<data::Area, OpError> {
    let area = args
        .get("area")
        .and_then(Value::as_str)
        .unwrap_or("project");
    if area == "project" {
        Ok(data::Area::Project)
    } else if area == "user" {
        Ok(data::Area::User)
    } else {
        Err(bad(format!(
            "area must be \"project\" or \"user\", not {area:?}"
        )))
    }
}

/// A whole-number argument that fits a u32.
fn u32_arg(args: &Map<String, Value>, name: &str) -> Result<u32, OpError> {
    args.get(name)
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| bad(format!("`{name}` must be a whole number")))
}
