//! python_runtime: RustPython inside the aicoder sandbox. The interpreter
//! lives as long as the plugin instance (the session), so names defined in one
//! call exist in the next. Python reaches aicoder only through `app` and `ctx`
//! (prelude.py), whose every access is a host call behind a capability.

mod bridge;
mod crash;
mod http;

use aicoder_plugin_sdk::{
    export_plugin, tools, Args, Event, EventOutcome, Manifest, Plugin, PluginError, Preview,
    ToolOutput, ToolSpec,
};
use rustpython_vm::py_serde::PyObjectSerializer;
use rustpython_vm::{
    builtins::PyStrRef, compiler::Mode, scope::Scope, Interpreter, PyObjectRef, PyResult,
    VirtualMachine,
};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};

const TOOL: &str = "run_inline_python";
// prelude.py with `_WIT_OPS` (the contract's functions) appended by build.rs.
const PRELUDE: &str = include_str!(concat!(env!("OUT_DIR"), "/prelude.py"));
/// Python's own doors (open, os, ...), run before the prelude: files
/// first, then the modules built on them, in one namespace.
const DOORS: &[(&str, &str)] = &[
    ("<aicoder files>", include_str!("py/files.py")),
    ("<aicoder doors>", include_str!("py/doors.py")),
];
/// Modules the runtime provides in place of the library's, compiled on
/// first import (py/doors.py's `_Doors` finder).
const SOURCES: &[(&str, &str)] = &[
    ("subprocess", include_str!("py/subprocess.py")),
    ("urllib.request", include_str!("py/urllib_request.py")),
    ("socket", include_str!("py/socket.py")),
    ("select", include_str!("py/select.py")),
    ("signal", include_str!("py/signal.py")),
    // The library's tempfile, its folder the runtime's own (in memory).
    ("tempfile", "import _imp\nexec(_imp.get_frozen_object('tempfile'), globals())\ntempdir = '/tmp/aicoder-python'\n"),
    // No threads: the library's own stand-in (a started thread runs to
    // its end at once).
    ("_thread", "from _dummy_thread import *\nfrom _dummy_thread import __all__ as _all\nimport _dummy_thread as _d\nglobals().update({k: v for k, v in vars(_d).items() if not k.startswith('__')})\n"),
];
const HELP: &str = "Usage: /python_runtime on|off|status
  on      offer the run_inline_python tool to the model
  off     withdraw it (the default)
  status  show whether it is on
Code runs in a sandboxed RustPython; `app` and `ctx` reach aicoder through capabilities you grant.";

thread_local! {
    static RUNTIME: RefCell<Option<Runtime>> = const { RefCell::new(None) };
    static ENABLED: Cell<bool> = const { Cell::new(false) };
    static CAPTURE: RefCell<Capture> = const {
        RefCell::new(Capture {
            text: String::new(),
            chars: 0,
            cap: 0,
            error: None,
        })
    };
}

/// What the running code printed (prelude.py's `_Capture`).
struct Capture {
    text: String,
    /// Characters written, as Python counts them.
    chars: usize,
    /// Most characters allowed.
    cap: usize,
    /// Raised past the cap.
    error: Option<rustpython_vm::builtins::PyTypeRef>,
}

struct Runtime {
    interpreter: Interpreter,
    /// The prelude's globals: `app`, `ctx` and the `_aicoder_*` entry points.
    prelude: Scope,
}

#[rustpython_vm::pymodule]
mod _aicoder {
    use super::*;

    /// Start capturing what the code prints; `error` is raised past `cap`
    /// characters.
    #[pyfunction]
    fn capture_start(error: rustpython_vm::builtins::PyTypeRef, cap: usize) {
        super::capture::start(error, cap)
    }

    /// `sys.stdout.write` while code runs.
    #[pyfunction]
    fn capture_write(text: PyStrRef, vm: &VirtualMachine) -> PyResult<usize> {
        super::capture::write(text, vm)
    }

    /// What was printed since `capture_start`; the capture ends.
    #[pyfunction]
    fn capture_take() -> String {
        super::capture::take()
    }

    /// One HTTP request through wasi:http (net.fetch, checked by the host
    /// per host): returns `{status, headers: [(name, value)], body}`.
    #[pyfunction]
    fn http(
        method: PyStrRef,
        scheme: PyStrRef,
        authority: PyStrRef,
        path: PyStrRef,
        headers: PyObjectRef,
        body: rustpython_vm::builtins::PyBytesRef,
        vm: &VirtualMachine,
    ) -> PyResult<PyObjectRef> {
        super::http_call(method, scheme, authority, path, headers, body, vm)
    }

    /// Run one host operation with keyword arguments (a dict); returns its
    /// result as Python values. Values cross as data, never as JSON text.
    #[pyfunction]
    fn call(op: PyStrRef, args: PyObjectRef, vm: &VirtualMachine) -> PyResult<PyObjectRef> {
        // Most reads carry no arguments: skip the conversion for an empty dict.
        let empty = args
            .downcast_ref::<rustpython_vm::builtins::PyDict>()
            .is_some_and(|d| d.is_empty());
        let args = if empty {
            Value::Object(serde_json::Map::new())
        } else {
            serde_json::to_value(PyObjectSerializer::new(vm, &args)).map_err(|e| {
                vm.new_value_error(format!("arguments cannot be sent to aicoder: {e}"))
            })?
        };
        match crate::bridge::call(&op.to_string_lossy(), args) {
            Ok(value) => to_python(vm, value),
            Err(e) => Err(match e.kind {
                // PermissionError is an OSError subtype, whose instances carry
                // extra fields: it must be made through the OSError constructor.
                crate::bridge::ErrorKind::Permission => {
                    let class = vm.ctx.exceptions.permission_error.to_owned();
                    vm.new_os_subtype_error(class, None, e.message).upcast()
                }
                crate::bridge::ErrorKind::Value => vm.new_value_error(e.message),
                crate::bridge::ErrorKind::Lookup => vm
                    .new_exception_msg(vm.ctx.exceptions.lookup_error.to_owned(), e.message.into()),
                crate::bridge::ErrorKind::Runtime => vm.new_runtime_error(e.message),
            }),
        }
    }
}

/// The capture's functions, in the `_aicoder` module (split out so the
/// module body stays readable).
mod capture {
    use super::*;

    pub(crate) fn start(error: rustpython_vm::builtins::PyTypeRef, cap: usize) {
        CAPTURE.with(|c| {
            let mut c = c.borrow_mut();
            c.text.clear();
            c.chars = 0;
            c.cap = cap;
            c.error = Some(error);
        });
    }

    pub(crate) fn write(text: PyStrRef, vm: &VirtualMachine) -> PyResult<usize> {
        let n = text.char_len();
        CAPTURE.with(|c| {
            let mut c = c.borrow_mut();
            c.chars += n;
            if c.chars > c.cap {
                let message = format!("output cap of {} characters exceeded; print less", c.cap);
                return Err(match c.error.clone() {
                    Some(class) => vm.new_exception_msg(class, message.into()),
                    None => vm.new_runtime_error(message),
                });
            }
            c.text.push_str(&text.to_string_lossy());
            Ok(n)
        })
    }

    pub(crate) fn take() -> String {
        CAPTURE.with(|c| {
            let mut c = c.borrow_mut();
            c.chars = 0;
            c.error = None;
            std::mem::take(&mut c.text)
        })
    }
}

/// `_aicoder.http`, outside the module body.
fn http_call(
    method: PyStrRef,
    scheme: PyStrRef,
    authority: PyStrRef,
    path: PyStrRef,
    headers: PyObjectRef,
    body: rustpython_vm::builtins::PyBytesRef,
    vm: &VirtualMachine,
) -> PyResult<PyObjectRef> {
    let headers: Vec<(String, String)> = serde_json::from_value(
        serde_json::to_value(PyObjectSerializer::new(vm, &headers)).map_err(|e| {
            vm.new_type_error(format!("headers must be (name, value) pairs of str: {e}"))
        })?,
    )
    .map_err(|e| vm.new_type_error(format!("headers must be (name, value) pairs of str: {e}")))?;
    let request = http::Request {
        method: &method.to_string_lossy(),
        scheme: &scheme.to_string_lossy(),
        authority: &authority.to_string_lossy(),
        path_with_query: &path.to_string_lossy(),
        headers: &headers,
        body: body.as_bytes(),
    };
    match http::send(&request) {
        Ok(response) => {
            let dict = vm.ctx.new_dict();
            dict.set_item("status", vm.ctx.new_int(response.status).into(), vm)?;
            let pairs: Vec<PyObjectRef> = response
                .headers
                .into_iter()
                .map(|(k, v)| {
                    vm.ctx
                        .new_tuple(vec![vm.ctx.new_str(k).into(), vm.ctx.new_str(v).into()])
                        .into()
                })
                .collect();
            dict.set_item("headers", vm.ctx.new_list(pairs).into(), vm)?;
            dict.set_item("body", vm.ctx.new_bytes(response.body).into(), vm)?;
            Ok(dict.into())
        }
        Err(http::HttpError::Denied(message)) => {
            let class = vm.ctx.exceptions.permission_error.to_owned();
            Err(vm.new_os_subtype_error(class, None, message).upcast())
        }
        Err(http::HttpError::Failed(message)) => {
            let class = vm.ctx.exceptions.os_error.to_owned();
            Err(vm.new_os_subtype_error(class, None, message).upcast())
        }
    }
}

fn to_python(vm: &VirtualMachine, value: Value) -> PyResult<PyObjectRef> {
    rustpython_vm::py_serde::deserialize(vm, value)
        .map_err(|e| vm.new_value_error(format!("aicoder sent a value Python cannot hold: {e}")))
}

fn failed(vm: &VirtualMachine, err: rustpython_vm::builtins::PyBaseExceptionRef) -> PluginError {
    let mut text = String::new();
    let _ = vm.write_exception(&mut text, &err);
    PluginError::Failed(format!("python_runtime internal error: {text}"))
}

fn new_runtime() -> Result<Runtime, PluginError> {
    crash::install();
    let mut settings = rustpython_vm::Settings::default();
    // No environment, no site, no user paths: everything is frozen in.
    settings.isolated = true;
    settings.import_site = false;
    settings.ignore_environment = true;
    let builder = Interpreter::builder(settings);
    let mut defs = rustpython_stdlib::stdlib_module_defs(&builder.ctx);
    defs.push(_aicoder::module_def(&builder.ctx));
    let interpreter = builder
        .add_native_modules(&defs)
        .add_frozen_modules(rustpython_pylib::FROZEN_STDLIB)
        .build();
    let prelude = interpreter.enter(|vm| -> Result<Scope, PluginError> {
        let doors = vm.new_scope_with_builtins();
        let sources = vm.ctx.new_dict();
        for (name, source) in SOURCES {
            sources
                .set_item(*name, vm.ctx.new_str(*source).into(), vm)
                .map_err(|e| failed(vm, e))?;
        }
        doors
            .globals
            .set_item("_SOURCES", sources.into(), vm)
            .map_err(|e| failed(vm, e))?;
        for (name, source) in DOORS {
            let code = vm
                .compile(source, Mode::Exec, (*name).to_owned())
                .map_err(|e| {
                    PluginError::Failed(format!("python_runtime {name} does not compile: {e}"))
                })?;
            vm.run_code_obj(code, doors.clone())
                .map_err(|e| failed(vm, e))?;
        }
        let scope = vm.new_scope_with_builtins();
        let code = vm
            .compile(PRELUDE, Mode::Exec, "<aicoder prelude>".to_owned())
            .map_err(|e| {
                PluginError::Failed(format!("python_runtime prelude does not compile: {e}"))
            })?;
        vm.run_code_obj(code, scope.clone())
            .map_err(|e| failed(vm, e))?;
        // Keep deep recursion a Python RecursionError, well before the wasm stack ends.
        let sys = vm.import("sys", 0).map_err(|e| failed(vm, e))?;
        let setlimit = sys
            .get_attr("setrecursionlimit", vm)
            .map_err(|e| failed(vm, e))?;
        setlimit
            .call((vm.ctx.new_int(400),), vm)
            .map_err(|e| failed(vm, e))?;
        Ok(scope)
    })?;
    Ok(Runtime {
        interpreter,
        prelude,
    })
}

/// Call prelude function `name` with `args` (as Python values); returns its
/// result as data.
fn call_prelude(name: &str, args: Vec<Value>) -> Result<Value, PluginError> {
    RUNTIME.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            *slot = Some(new_runtime()?);
        }
        let Some(rt) = slot.as_ref() else {
            return Err(PluginError::Failed("no interpreter".into()));
        };
        rt.interpreter.enter(|vm| {
            crash::with_vm(vm, || {
                let func = rt
                    .prelude
                    .globals
                    .get_item(name, vm)
                    .map_err(|e| failed(vm, e))?;
                let args = args
                    .into_iter()
                    .map(|a| to_python(vm, a))
                    .collect::<PyResult<Vec<_>>>()
                    .map_err(|e| failed(vm, e))?;
                let value = func.call(args, vm).map_err(|e| failed(vm, e))?;
                serde_json::to_value(PyObjectSerializer::new(vm, &value)).map_err(|e| {
                    PluginError::Failed(format!(
                        "python_runtime: {name} returned something that is not data: {e}"
                    ))
                })
            })
        })
    })
}

/// Format a run's result as (summary, detail); `Err` for an exception.
fn format_result(v: Value) -> Result<ToolOutput, PluginError> {
    let mut detail = v["printed"].as_str().unwrap_or_default().to_string();
    for pair in v["vars"].as_array().into_iter().flatten() {
        let name = pair[0].as_str().unwrap_or_default();
        let repr = pair[1].as_str().unwrap_or_default();
        if !detail.is_empty() && !detail.ends_with('\n') {
            detail.push('\n');
        }
        detail.push_str(&format!("{name} = {repr}\n"));
    }
    if let Some(err) = v["error"].as_object() {
        let kind = err
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("Exception");
        let message = err
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let traceback = err
            .get("traceback")
            .and_then(Value::as_str)
            .unwrap_or_default();
        // The traceback ends with `Type: message`; without one, say it here.
        let ending = if traceback.is_empty() {
            format!("{kind}: {message}")
        } else {
            traceback.to_string()
        };
        return Err(PluginError::Failed(
            format!("{detail}{ending}").trim_end().to_string(),
        ));
    }
    if detail.trim().is_empty() {
        detail = "[code executed successfully, no output]".to_string();
    }
    let detail = detail.trim_end().to_string();
    let summary = match detail.lines().count() {
        0 | 1 => detail.clone(),
        n => format!(
            "{} (+{} more lines)",
            detail.lines().next().unwrap_or_default(),
            n - 1
        ),
    };
    Ok(ToolOutput { summary, detail })
}

/// Run Python code and format the result.
pub fn run_code(code: &str) -> Result<ToolOutput, PluginError> {
    format_result(call_prelude("_aicoder_run", vec![json!(code)])?)
}

/// The `{ok}` / `{error}` answer of a function registered from Python.
fn registered_result(v: Value) -> Result<String, PluginError> {
    match (
        v.get("ok").and_then(Value::as_str),
        v.get("error").and_then(Value::as_str),
    ) {
        (Some(ok), _) => Ok(ok.to_string()),
        (None, Some(err)) => Err(PluginError::Failed(err.to_string())),
        _ => Err(PluginError::Failed(
            "the registered function gave no result".into(),
        )),
    }
}

fn code_arg(args: &Args) -> Result<&str, PluginError> {
    args.str("code")
}

struct PythonRuntime;

impl Plugin for PythonRuntime {
    fn new() -> Self {
        PythonRuntime
    }

    fn manifest() -> Manifest {
        Manifest::new("python_runtime", "0.1.0", "Run Python in a sandbox with app and ctx behind capabilities")
            .tool(
                ToolSpec::new(
                    TOOL,
                    "Run Python code in aicoder's sandboxed runtime. `app` (input_handler.cwd, message_history, \
                     stats, tool_manager, plugin_system, config) and `ctx` (log, run_shell, register_hook) reach \
                     the session through capabilities the user grants. State persists between calls.",
                    r#"{"type":"object","properties":{"code":{"type":"string","description":"Python code to run"}},"required":["code"]}"#,
                )
                .hidden(),
            )
            .command("python_runtime", "Turn the Python runtime on or off: /python_runtime on|off|status")
            .command("python-runtime", "Same as /python_runtime")
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        match name {
            TOOL => run_code(code_arg(&args)?),
            registered => {
                let arguments: Value =
                    serde_json::from_str(args.raw()).unwrap_or_else(|_| json!({}));
                registered_result(call_prelude(
                    "_aicoder_call_tool",
                    vec![json!(registered), arguments],
                )?)
                .map(ToolOutput::text)
            }
        }
    }

    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        if name != TOOL {
            return Err(PluginError::InvalidArguments(format!(
                "unknown tool `{name}`"
            )));
        }
        let code = code_arg(&args)?;
        let (capabilities, note) = match call_prelude("_aicoder_needs", vec![json!(code)]) {
            Ok(needs) => (
                serde_json::from_value::<Vec<String>>(needs).unwrap_or_default(),
                String::new(),
            ),
            Err(e) => (Vec::new(), format!("\n(could not analyse the code: {e:?})")),
        };
        let lines = code.lines().count();
        let status = if ENABLED.with(Cell::get) {
            "ENABLED"
        } else {
            "DISABLED"
        };
        let needs = if capabilities.is_empty() {
            "none".to_string()
        } else {
            capabilities.join(", ")
        };
        let text = format!(
            "Runtime Python: {status}\nThe code can use: app, ctx, print\nCapabilities it will need: {needs}{note}\nCode ({lines} line{}):\n{}",
            if lines == 1 { "" } else { "s" },
            code.lines().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")
        );
        Ok(Preview { text, capabilities })
    }

    fn run_command(&mut self, name: &str, args: &str) -> Result<String, PluginError> {
        if name != "python_runtime" && name != "python-runtime" {
            return registered_result(call_prelude(
                "_aicoder_command",
                vec![json!(name), json!(args)],
            )?);
        }
        match args.trim() {
            "on" => {
                tools::set_own_tool_offered(TOOL, true)?;
                ENABLED.with(|e| e.set(true));
                Ok("Runtime Python: ENABLED (the model can now use run_inline_python)".into())
            }
            "off" => {
                tools::set_own_tool_offered(TOOL, false)?;
                ENABLED.with(|e| e.set(false));
                Ok("Runtime Python: DISABLED".into())
            }
            "status" => Ok(format!(
                "Runtime Python: {}",
                if ENABLED.with(Cell::get) {
                    "ENABLED"
                } else {
                    "DISABLED"
                }
            )),
            "" => Ok(HELP.into()),
            other => Err(PluginError::InvalidArguments(format!(
                "unknown argument {other:?}\n{HELP}"
            ))),
        }
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        let payload: Value = serde_json::from_str(&event.payload_json).unwrap_or(Value::Null);
        match call_prelude("_aicoder_event", vec![json!(event.name), payload])? {
            Value::Null => Ok(EventOutcome::Unchanged),
            replaced => Ok(EventOutcome::ReplacePayload(replaced.to_string())),
        }
    }
}

export_plugin!(PythonRuntime);

/// The build-time snapshot hook (see tools/snapshot): an extra root export,
/// `wizer-initialize`, that starts the interpreter and runs the prelude. The
/// snapshot of memory taken after it is the shipped component, so a session's
/// first Python call finds the interpreter ready. It calls no aicoder import
/// (the snapshot tool links none); the host never calls it.
#[allow(clippy::unwrap_used)]
mod snapshot_init {
    wit_bindgen::generate!({
        inline: "package aicoder:python-runtime-init;
                 world init { export wizer-initialize: func(); }",
    });

    struct Init;

    impl Guest for Init {
        fn wizer_initialize() {
            super::RUNTIME.with(|cell| {
                let mut slot = cell.borrow_mut();
                if slot.is_none() {
                    // A failure here is left for the first call to report.
                    *slot = super::new_runtime().ok();
                }
            });
        }
    }

    export!(Init);
}
