//! python_runtime cannot reach the host or the machine: every route out of
//! the interpreter (builtins, imports, the host objects' internals, files,
//! sockets, processes) tried in one run without grants, through the real
//! binary.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;
use serde_json::Value;

/// Every route from Python towards the host or the machine, tried in one run
/// without grants. Each attempt prints `blocked NAME` or `ESCAPED NAME`.
const ABUSE_SCRIPT: &str = r#"
import builtins, sys
def attempt(name, f):
    try:
        value = f()
    except BaseException as e:
        print(f"blocked {name}: {type(e).__name__}")
    else:
        print(f"ESCAPED {name}: {value!r:.80}")

def imp(name):
    return __import__(name)

attempt("os.system", lambda: imp("os").system("touch pwned"))
attempt("os.listdir", lambda: imp("os").listdir("/"))
attempt("os.open", lambda: imp("os").open("/etc/passwd", 0))
attempt("os.stat", lambda: imp("os").stat("/"))
attempt("os.chdir", lambda: imp("os").chdir("/"))
attempt("os.putenv", lambda: imp("os").putenv("X", "1"))
attempt("os._exit", lambda: imp("os")._exit(3))
attempt("posix.listdir", lambda: imp("posix").listdir("/"))
attempt("open", lambda: open("/etc/passwd").read())
attempt("open the audit log", lambda: open(".aicoder/audit.jsonl", "w"))
attempt("io.FileIO", lambda: imp("io").FileIO("/etc/passwd").read())
attempt("_io.open", lambda: imp("_io").open("/etc/passwd").read())
attempt("pathlib", lambda: imp("pathlib").Path("/etc/passwd").read_text())
for module in ["_socket", "ctypes", "multiprocessing", "mmap", "_posixsubprocess"]:
    attempt(f"import {module}", lambda: imp(module))
attempt("socket.create_connection", lambda: imp("socket").create_connection(("127.0.0.1", 22)))
attempt("socket.socket", lambda: imp("socket").socket())
attempt("subprocess.run", lambda: imp("subprocess").run("touch pwned", shell=True))
attempt("urlopen", lambda: imp("urllib.request").urlopen("http://127.0.0.1:22/"))
attempt("importlib socket", lambda: imp("importlib").import_module("socket").socket())
attempt("environment", lambda: dict(imp("os").environ) or 1 / 0)
attempt("HOME", lambda: imp("os").environ["HOME"])
attempt("argv", lambda: (sys.argv != ["-c"] and sys.argv) or 1 / 0)  # ['-c'] is the runtime's own, as under python -c

# The one door, called directly: the host still checks.
import _aicoder
attempt("_aicoder.call workspace.get-cwd", lambda: _aicoder.call("workspace.get-cwd", {}))
attempt("_aicoder.call workspace.set-cwd", lambda: _aicoder.call("workspace.set-cwd", {"path": "/"}))
attempt("_aicoder.call shell.exec", lambda: _aicoder.call("shell.exec", {"command": "touch pwned"}))
# Through the proxies' own classes and methods.
attempt("proxy class getattribute", lambda: type(app.input_handler).__getattribute__(app.input_handler, "cwd"))
attempt("object.__setattr__", lambda: object.__setattr__(app.input_handler, "cwd", "/"))
attempt("history via __dict__", lambda: vars(app.message_history)["clear"]() if "clear" in vars(app.message_history) else app.message_history.clear())
# Catching the refusal and retrying changes nothing.
for i in range(5):
    attempt(f"retry {i}", lambda: app.input_handler.cwd)
# Redefining builtins the runtime relies on.
builtins.PermissionError = KeyError
attempt("PermissionError redefined", lambda: app.input_handler.cwd)
builtins.__import__ = lambda *a, **k: None
attempt("__import__ redefined", lambda: ctx.run_shell("touch pwned"))
"#;

#[test]
fn python_cannot_reach_the_host_or_the_machine_by_any_route() {
    let p = Project::new();
    let run = p.run(&["py", "-c", ABUSE_SCRIPT]);
    let out = format!("{}{}", run.stdout(), run.stderr());
    let attempts: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("blocked ") || l.starts_with("ESCAPED "))
        .collect();
    assert_eq!(attempts.len(), 39, "{out}");
    let escaped: Vec<&&str> = attempts
        .iter()
        .filter(|l| l.starts_with("ESCAPED"))
        .collect();
    assert!(escaped.is_empty(), "{escaped:#?}");
    for line in attempts
        .iter()
        .filter(|l| l.contains("retry") || l.contains("_aicoder"))
    {
        assert!(line.ends_with("PermissionError"), "{line}");
    }

    // Every attempt that reached the host was refused there and logged:
    // denied for want of a grant, or (the history clear: `py` without a
    // session file has no conversation to keep) refused before the grant
    // check.
    let audit = p.audit();
    // Python's own doors (open, os, subprocess, urllib.request) now reach
    // the host too: each attempt through them is one more denied line.
    assert_eq!(audit.len(), 22, "{audit:#?}");
    let refused = |e: &&Value| e["outcome"] == "refused" && e["capability"] == "history.write";
    assert!(
        audit
            .iter()
            .all(|e| e["outcome"] == "denied" || refused(&e)),
        "{audit:#?}"
    );
    assert_eq!(audit.iter().filter(refused).count(), 1, "{audit:#?}");
    assert!(!p.work().join("pwned").exists());

    // Replacing the door itself only fools the guest: what goes through the
    // fake reaches nothing, and what holds the real door is still checked.
    let code = "import _aicoder\n_aicoder.call = lambda op, args: '/fake'\n\
                app.input_handler.cwd = '/'\nprint('write went to the fake')\n\
                print(app.input_handler.cwd)";
    let err = p.run(&["py", "-c", code]).fails();
    assert!(err.contains("write went to the fake"), "{err}");
    assert!(err.contains("PermissionError: workspace.read"), "{err}");
    let audit = p.audit();
    assert_eq!(audit.len(), 23, "{audit:#?}");
    assert_eq!(audit[22]["operation"], "get-cwd");
    assert_eq!(audit[22]["outcome"], "denied");

    // An interpreter crash (a RustPython bug reached by walking every
    // subclass) is contained like any trap, and the next run starts fresh.
    let walk = "for c in object.__subclasses__():\n    c.__name__";
    let err = p.run(&["py", "-c", walk]).fails();
    assert!(err.contains("was stopped"), "{err}");
    let out = p
        .run(&[
            "py",
            "--grant",
            "workspace.read",
            "-c",
            "print(app.input_handler.cwd)",
        ])
        .ok();
    assert!(out.contains(&p.work().display().to_string()), "{out}");
}
