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

/// Defines `_app`, a plain-object stand-in for `app` (as CPython's baseline
/// uses), in the interpreter's globals: the snippet on it makes no host call.
const STUB: &str = r#"
class _H:
    def get_messages(self): return [{"role": "system", "content": "x"}]
class _I: cwd = "/tmp/work"
class _St: tokens_sent = 0
class _A: message_history = _H(); input_handler = _I(); stats = _St()
_app = _A()
"#;

fn run(host: &mut PluginHost, code: &str) -> aicoder::plugins::ToolResult {
    host.call_tool(
        "python_runtime",
        "run_inline_python",
        &json!({ "code": code }).to_string(),
    )
    .unwrap()
}

/// Time the snippet variants that isolate each part, interleaved so that
/// they see the same machine load: (warm, fresh, stub, stub without print,
/// `pass`, preview) medians.
fn parts(host: &mut PluginHost) -> [f64; 6] {
    run(host, STUB);
    let stub = SNIPPET.replace("app.", "_app.");
    let quiet = stub.replace("print(", "_o = (");
    let args = json!({ "code": SNIPPET }).to_string();
    let mut times: [Vec<f64>; 6] = Default::default();
    for i in 0..300 {
        let fresh = format!("{SNIPPET}\n# {i}");
        for (k, slot) in times.iter_mut().enumerate() {
            let t = std::time::Instant::now();
            match k {
                0 => drop(run(host, SNIPPET)),
                1 => drop(run(host, &fresh)),
                2 => drop(run(host, &stub)),
                3 => drop(run(host, &quiet)),
                4 => drop(run(host, "pass")),
                _ => drop(
                    host.preview_tool("python_runtime", "run_inline_python", &args)
                        .unwrap(),
                ),
            }
            slot.push(t.elapsed().as_secs_f64());
        }
    }
    times.map(|t| crate::stat(t).median)
}

/// The B3 rows; `b3` is the snippet through the real host, measured by the caller.
pub fn rows(host: &mut PluginHost, b3: Stat) -> Vec<Row> {
    let (from_source, precompiled) = cpython();
    // The same snippet made new each time (a comment with a counter), so
    // nothing can be reused from an earlier run of it.
    let mut i = 0u64;
    let fresh = crate::sample(300, || {
        i += 1;
        run(host, &format!("{SNIPPET}\n# {i}"));
    });
    let [warm, new, stub, quiet, pass, preview] = parts(host);
    let breakdown = format!(
        "of {} (interleaved runs): compile (parse and code generation, one call in RustPython; reused when the source repeats) {}, \
         run on plain objects {}, the 3 host calls {}, output capture (3 prints) {}, \
         tool call in and out of wasm with the capture and bookkeeping of `_aicoder_run` (= running `pass`) {}; \
         not in this row: the capability analysis of the approval preview, {} per preview",
        fmt(warm),
        fmt(new - warm),
        fmt(quiet - pass),
        fmt(warm - stub),
        fmt(stub - quiet),
        fmt(pass),
        fmt(preview),
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
            what: "breakdown of the warm snippet".into(),
            value: breakdown,
            baseline: "-".into(),
            ratio: "-".into(),
            target: "-",
        },
    ]
}
