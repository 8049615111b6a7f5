//! B3: the warm debug snippet through the real host, against CPython doing
//! what AI Coder v3 does, `exec(source, globals)` (a compile every time) with
//! stdout captured; the old baseline (CPython exec of a precompiled code
//! object) stays as a second row. Then where aicoder's time goes, measured
//! inside the interpreter by Python snippets that isolate each part.

use crate::{fmt, Row, Stat, SNIPPET};
use aicoder::plugins::PluginHost;
use serde_json::json;
use std::process::Command;

/// CPython, in process: compile+exec from source with stdout captured, and
/// exec of a precompiled code object; median and p95 of each.
const CPYTHON: &str = r#"
import io, sys, timeit, contextlib
class H:
    def get_messages(self): return [{"role": "system", "content": "x"}]
class I: cwd = "/tmp/work"
class S: tokens_sent = 0
class App: message_history = H(); input_handler = I(); stats = S()
source = sys.argv[1]
code = compile(source, "<inline>", "exec")
g = {"app": App()}
def from_source():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(source, g)
def precompiled():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(code, g)
for f in (from_source, precompiled):
    ts = sorted(timeit.repeat(f, number=1, repeat=3000))
    print(ts[len(ts)//2], ts[int(len(ts)*0.95)])
"#;

fn cpython() -> (Stat, Stat) {
    let out = Command::new(crate::PYTHON)
        .args(["-c", CPYTHON, SNIPPET])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut it = text.split_whitespace().map(|v| v.parse::<f64>().unwrap());
    let mut next = || Stat {
        median: it.next().unwrap(),
        p95: it.next().unwrap(),
    };
    (next(), next())
}

/// Run inside python_runtime: each part of a run of the snippet, timed over
/// many repetitions; prints `name seconds` lines. `_S` is the snippet.
const BREAKDOWN: &str = r#"
import time as _t, ast as _ast, io as _io2, sys as _sys2
_N = 300
def _time(f):
    best = []
    for _r in range(5):
        s = _t.perf_counter()
        for _i in range(_N):
            f()
        best.append((_t.perf_counter() - s) / _N)
    best.sort()
    return best[2]
class _H:
    def get_messages(self): return [{"role": "system", "content": "x"}]
class _I: cwd = "/tmp/work"
class _St: tokens_sent = 0
class _A: message_history = _H(); input_handler = _I(); stats = _St()
_P = type(app).__init__.__globals__
_code = compile(_S, "<inline>", "exec")
_stub = {"app": _A(), "__builtins__": __builtins__}
_real = {"app": app, "__builtins__": __builtins__}
def _quiet(g):
    def run():
        out = _sys2.stdout
        _sys2.stdout = _io2.StringIO()
        try:
            exec(_code, g)
        finally:
            _sys2.stdout = out
    return run
_parts = {
    "parse": _time(lambda: _ast.parse(_S)),
    "compile": _time(lambda: compile(_S, "<inline>", "exec")),
    "analysis": _time(lambda: _P["_aicoder_needs"](_S)),
    "run": _time(_quiet(_stub)),
    "run_real": _time(_quiet(_real)),
    "whole": _time(lambda: _P["_aicoder_run"](_S)),
}
for _k, _v in _parts.items():
    print(_k, _v)
"#;

fn breakdown(host: &mut PluginHost) -> Vec<(String, f64)> {
    let code = format!("_S = {}\n{BREAKDOWN}", json!(SNIPPET));
    let out = host
        .call_tool(
            "python_runtime",
            "run_inline_python",
            &json!({ "code": code }).to_string(),
        )
        .unwrap();
    out.detail
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(' ')?;
            Some((k.to_string(), v.trim().parse().ok()?))
        })
        .collect()
}

/// The B3 rows; `b3` is the snippet through the real host, measured by the caller.
pub fn rows(host: &mut PluginHost, b3: Stat) -> Vec<Row> {
    let (from_source, precompiled) = cpython();
    // The same snippet made new each time (a comment with a counter), so
    // nothing can be reused from an earlier run of it.
    let mut i = 0u64;
    let fresh = crate::sample(300, || {
        i += 1;
        let code = format!("{SNIPPET}\n# {i}");
        host.call_tool(
            "python_runtime",
            "run_inline_python",
            &json!({ "code": code }).to_string(),
        )
        .unwrap();
    });
    let parts = breakdown(host);
    let get = |k: &str| parts.iter().find(|(n, _)| n == k).map_or(f64::NAN, |p| p.1);
    let host_calls = get("run_real") - get("run");
    // What `_aicoder_run` adds around compile+exec: the capture, the
    // bookkeeping of new names, the result dict.
    let capture = get("whole") - get("compile") - get("run_real");
    let boundary = b3.median - get("whole");
    let breakdown = format!(
        "parse {} (to `ast` objects), compile (parse included) {}, run {}, host calls {} (3), capture and bookkeeping {}, tool call in and out of wasm {}; capability analysis (preview only) {}",
        fmt(get("parse")),
        fmt(get("compile")),
        fmt(get("run")),
        fmt(host_calls),
        fmt(capture),
        fmt(boundary),
        fmt(get("analysis")),
    );
    vec![
        crate::row(
            "B3",
            "warm 3-line debug snippet, real host, vs CPython `exec(source)` (compile+exec, stdout captured)",
            b3,
            from_source,
            "<= 3x",
        ),
        crate::row(
            "B3",
            "the same snippet new each time (no reuse) vs CPython `exec(source)`",
            fresh,
            from_source,
            "<= 3x",
        ),
        crate::row(
            "B3",
            "(continuity) the warm snippet vs CPython `exec` of a precompiled code object",
            b3,
            precompiled,
            "-",
        ),
        Row {
            id: "B3",
            what: "breakdown of the warm snippet inside python_runtime".into(),
            value: breakdown,
            baseline: "-".into(),
            ratio: "-".into(),
            target: "-",
        },
    ]
}
