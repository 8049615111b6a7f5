//! `make bench`: every figure measured beside its baseline in the same run,
//! median and p95, printed as one table. Needs `make build` first (the Makefile
//! target does it) and Debian's system CPython at /usr/bin/python3.

#![allow(clippy::unwrap_used)]

mod audit_log;
mod exec_json;
mod first_start;
mod mcp_client;

use aicoder::caps::grants::{PluginId, Scope};
use aicoder::caps::{CapCtx, Capability};
use aicoder::config::Config;
use aicoder::plugins::PluginHost;
use aicoder_tests::server::{finish, text, tool_call, Reply, ScriptedServer};
use aicoder_tests::wasm;
use serde_json::json;
use std::process::{Command, Stdio};
use std::time::Instant;

mod grant_check;
mod grep_tree;
mod growth;
mod mcp_serve;
mod only;
mod plugin_count;
mod python_cost;
mod relay;
mod sandbox_cost;
mod verdict;
mod workspace_read;

const PYTHON: &str = "/usr/bin/python3";

/// Median and p95 of a sample, in seconds.
#[derive(Clone, Copy)]
struct Stat {
    median: f64,
    p95: f64,
}

fn stat(mut xs: Vec<f64>) -> Stat {
    xs.sort_by(f64::total_cmp);
    let at = |q: f64| xs[((xs.len() - 1) as f64 * q).round() as usize];
    Stat {
        median: at(0.5),
        p95: at(0.95),
    }
}

fn sample(n: usize, mut f: impl FnMut()) -> Stat {
    f(); // warm-up
    stat(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn fmt(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.2} µs", s * 1e6)
    }
}

struct Row {
    id: &'static str,
    what: String,
    value: String,
    baseline: String,
    ratio: String,
    target: &'static str,
}

fn row(id: &'static str, what: &str, v: Stat, b: Stat, target: &'static str) -> Row {
    Row {
        id,
        what: what.to_string(),
        value: format!("{} (p95 {})", fmt(v.median), fmt(v.p95)),
        baseline: format!("{} (p95 {})", fmt(b.median), fmt(b.p95)),
        ratio: format!("{:.2}x", v.median / b.median),
        target,
    }
}

/// A temporary project (its own HOME; the compile cache shared with the tests).
struct Env {
    project: aicoder_tests::Project,
}

impl Env {
    fn new() -> Self {
        Env {
            project: aicoder_tests::Project::new(),
        }
    }
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.project.command(args);
        c.stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }
    /// Run to completion with `stdin`; returns peak RSS in KiB.
    // The child is reaped by `wait_with_rss` (wait4), which clippy cannot see.
    #[allow(clippy::zombie_processes)]
    fn run(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> u64 {
        use std::io::Write;
        let mut c = self.cmd(args);
        for (k, v) in env {
            c.env(k, v);
        }
        let mut child = c.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let (status, rss) = wait_with_rss(child.id());
        assert!(status == 0, "aicoder {args:?} failed");
        rss
    }
}

/// Wait for child `pid`; its exit status and its own peak RSS in KiB.
fn wait_with_rss(pid: u32) -> (i32, u64) {
    // SAFETY: wait4 only writes into the status and the zeroed struct we pass,
    // for a child of ours that nothing else waits for.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        let mut status = 0;
        libc::wait4(pid as i32, &mut status, 0, &mut usage);
        (status, u64::try_from(usage.ru_maxrss).unwrap_or(0))
    }
}

fn spawn(cmd: &mut Command) {
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

fn host(dir: &std::path::Path, cache: &std::path::Path, plugins: &[&str]) -> PluginHost {
    let limits = Config::from_lookup(|_| None).unwrap().sandbox;
    aicoder_tests::in_process_host(dir, cache, limits, plugins)
}

fn grant(host: &PluginHost, plugin: &str, caps: &[Capability]) {
    let id = host.plugin(plugin).unwrap().id.clone();
    for c in caps {
        host.services()
            .grants()
            .grant(&id, *c, Scope::Session)
            .unwrap();
    }
}

fn py(host: &mut PluginHost, code: &str) {
    host.call_tool(
        "python_runtime",
        "run_inline_python",
        &json!({ "code": code }).to_string(),
    )
    .unwrap();
}

/// What the debug snippet reads.
const SNIPPET_NEEDS: [Capability; 3] = [
    Capability::HistoryRead,
    Capability::WorkspaceRead,
    Capability::StatsRead,
];

const SNIPPET: &str = "print(f\"Messages: {len(app.message_history.get_messages())}\")\nprint(f\"CWD: {app.input_handler.cwd}\")\nprint(f\"Tokens: {app.stats.tokens_sent}\")";

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--b7-child") {
        return b7_child();
    }
    if std::env::args().nth(1).as_deref() == Some("--audit-log") {
        return audit_log::run_alone();
    }
    if std::env::args().nth(1).as_deref() == Some("--write-audit-log") {
        // B11's log at the given path, for timing `aicoder audit verify` by hand.
        let path = std::path::PathBuf::from(std::env::args().nth(2).unwrap());
        return audit_log::generate(&path);
    }
    if std::env::args().nth(1).as_deref() == Some("--rss-child") {
        return plugin_count::rss_child();
    }
    if std::env::args().nth(1).as_deref() == Some("--only") {
        return only::run(&std::env::args().nth(2).unwrap_or_default());
    }
    assert!(
        std::path::Path::new(PYTHON).exists(),
        "{PYTHON} (Debian's CPython) is needed for the baselines"
    );
    let mut rows = Vec::new();
    let env = Env::new();
    // Warm the cache: every shipped plugin recorded, python_runtime compiled
    // (the others compile on their first call).
    env.run(&["py", "-c", "pass"], "", &[]);
    env.run(&[], "/help\n", &[]);

    // Peak RSS of a plain piped session, measured while this process is still
    // small: a child's peak RSS includes what it shared with us before exec.
    let rss_plain = env.run(&[], "/help\n", &[]);

    // B1: start-up.
    let b1 = sample(60, || {
        env.run(&[], "/help\n", &[]);
    });
    let py_pass = sample(60, || spawn(Command::new(PYTHON).args(["-c", "pass"])));
    rows.push(row(
        "B1",
        "`echo /help | aicoder` (plugins cached)",
        b1,
        py_pass,
        "<= 0.5x",
    ));

    // B2: first run_inline_python of a session (a new process each time).
    let b2 = sample(30, || {
        env.run(&["py", "-c", "x = 1"], "", &[]);
    });
    let py_print = sample(30, || spawn(Command::new(PYTHON).args(["-c", "print(1)"])));
    rows.push(row(
        "B2",
        "first run_inline_python (`aicoder py -c 'x = 1'`)",
        b2,
        py_print,
        "<= 1.0x",
    ));

    let work = tempfile::tempdir().unwrap();
    let cache = aicoder_tests::shared_cache().join("aicoder");
    let mut h = host(
        work.path(),
        &cache,
        &["python_runtime", "misbehave", "example"],
    );
    grant(&h, "python_runtime", &SNIPPET_NEEDS);
    grant(&h, "misbehave", &[Capability::WorkspaceRead]);

    // B3: warm snippet through the real host vs CPython in process.
    py(&mut h, SNIPPET);
    let b3 = sample(300, || py(&mut h, SNIPPET));
    rows.extend(python_cost::rows(&mut h, b3));

    // The plain Rust host call through the grant check and audit write:
    // B5's baseline.
    const N: u64 = 2000;
    let per = |s: Stat| Stat {
        median: s.median / N as f64,
        p95: s.p95 / N as f64,
    };
    let mut ctx = CapCtx::new(
        PluginId {
            name: "bench".into(),
            hash: "0".into(),
            source: aicoder::plugins::discovery::PluginSource::File,
        },
        h.services().clone(),
    );
    h.services()
        .grants()
        .grant(&ctx.plugin, Capability::WorkspaceRead, Scope::Session)
        .unwrap();
    let direct = per(sample(20, || {
        for _ in 0..N {
            aicoder::bindings::aicoder::plugin::workspace::Host::get_cwd(&mut ctx).unwrap();
        }
    }));
    // B4's rows: the same calls in interleaved rounds (chain hashed off the
    // call path, and inline as before), with the breakdown.
    rows.extend(audit_log::host_call_rows());

    // B5: a Rust plugin tool call end to end, against the direct host call.
    let b5 = sample(2000, || {
        h.call_tool("example", "greet", r#"{"name":"bench"}"#)
            .unwrap();
    });
    rows.push(row(
        "B5",
        "Rust plugin tool call end to end",
        b5,
        direct,
        "-",
    ));

    // B6: compile vs load from the cache, python_runtime.
    let bytes = std::fs::read(wasm("python_runtime")).unwrap();
    let e = aicoder::plugins::new_engine().unwrap();
    let compile = sample(2, || {
        let dir = tempfile::tempdir().unwrap();
        let c = aicoder::plugins::cache::ArtifactCache::new(dir.path().to_path_buf(), &e);
        c.load_or_compile(&e, "x", || Ok(bytes.clone())).unwrap();
    });
    let warm_dir = tempfile::tempdir().unwrap();
    let c = aicoder::plugins::cache::ArtifactCache::new(warm_dir.path().to_path_buf(), &e);
    c.load_or_compile(&e, "x", || Ok(bytes.clone())).unwrap();
    let load = sample(30, || {
        c.load_or_compile(&e, "x", || Ok(bytes.clone())).unwrap();
    });
    rows.push(Row {
        id: "B6",
        what: "python_runtime: compile from scratch vs load from cache".into(),
        value: format!("{} (p95 {})", fmt(load.median), fmt(load.p95)),
        baseline: format!("{} (p95 {})", fmt(compile.median), fmt(compile.p95)),
        ratio: format!("{:.0}x faster", compile.median / load.median),
        target: ">= 1000x",
    });

    // B7: peak RSS of a piped session (no Python) and with python_runtime after 1 and 1,000 calls.
    let exe = std::env::current_exe().unwrap();
    let child = |calls: u32| -> u64 {
        let out = Command::new(&exe)
            .args(["--b7-child", &calls.to_string(), cache.to_str().unwrap()])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0)
    };
    let (one, thousand) = (child(1), child(1000));
    rows.push(Row {
        id: "B7",
        what: "peak RSS: piped session without Python / Python after 1 call".into(),
        value: format!("{} MiB / {} MiB", rss_plain / 1024, one / 1024),
        baseline: "-".into(),
        ratio: "-".into(),
        target: "<= 16 MiB / <= 64 MiB",
    });
    rows.push(Row {
        id: "B7",
        what: "peak RSS after 1,000 run_inline_python calls vs after 1".into(),
        value: format!("{} MiB", thousand / 1024),
        baseline: format!("{} MiB", one / 1024),
        ratio: format!("{:.2}x", thousand as f64 / one.max(1) as f64),
        target: "<= 1.10x",
    });

    // B8: one model turn against the scripted server.
    let turn = |tokens: usize, tools: usize| -> f64 {
        let mut first: Vec<serde_json::Value> = (0..tools)
            .map(|i| tool_call(i as u32, &format!("t{i}"), "list_directory", "{}"))
            .collect();
        let script = if tools > 0 {
            first.push(finish("tool_calls", 1, 1));
            let mut answer: Vec<_> = (0..tokens).map(|_| text("tok ")).collect();
            answer.push(finish("stop", 1, 1));
            vec![Reply::Stream(first), Reply::Stream(answer)]
        } else {
            let mut answer: Vec<_> = (0..tokens).map(|_| text("tok ")).collect();
            answer.push(finish("stop", 1, 1));
            vec![Reply::Stream(answer)]
        };
        let server = ScriptedServer::start(script);
        let t = Instant::now();
        env.run(
            &[],
            "go\n",
            &[("API_BASE_URL", &server.url), ("API_KEY", "k")],
        );
        t.elapsed().as_secs_f64()
    };
    let med = |f: &dyn Fn() -> f64| stat((0..9).map(|_| f()).collect()).median;
    let small = med(&|| turn(10, 0));
    let large = med(&|| turn(2010, 0));
    let with_tools = med(&|| turn(10, 41));
    let with_tools_base = med(&|| turn(10, 1));
    rows.push(Row {
        id: "B8",
        what: "model turn: client cost per streamed token / per tool call".into(),
        value: format!(
            "{} / {}",
            fmt((large - small) / 2000.0),
            fmt((with_tools - with_tools_base) / 40.0)
        ),
        baseline: format!("turn of 10 tokens: {}", fmt(small)),
        ratio: "-".into(),
        target: "-",
    });

    rows.extend(audit_log::rows());
    rows.extend(first_start::rows());
    rows.extend(growth::rows());
    rows.extend(plugin_count::rows());
    rows.extend(grep_tree::rows());
    rows.extend(grant_check::rows());
    rows.extend(sandbox_cost::rows());
    rows.extend(workspace_read::rows());
    rows.extend(mcp_serve::rows());
    rows.extend(mcp_client::startup_rows());
    rows.extend(exec_json::rows());
    rows.extend(mcp_client::call_rows());

    print_table(rows);
}

fn print_table(rows: Vec<Row>) {
    println!(
        "| id | what | aicoder (median, p95) | baseline (median, p95) | ratio | target | met |"
    );
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            r.value,
            r.baseline,
            r.ratio,
            r.target,
            verdict::met(&r)
        );
    }
}

/// Child for B7: load python_runtime from the cache, run `calls` snippets,
/// print this process's peak RSS in KiB.
fn b7_child() {
    let calls: u32 = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let cache = std::path::PathBuf::from(std::env::args().nth(3).unwrap());
    let work = tempfile::tempdir().unwrap();
    let mut h = host(work.path(), &cache, &["python_runtime"]);
    grant(&h, "python_runtime", &SNIPPET_NEEDS);
    for _ in 0..calls {
        py(&mut h, SNIPPET);
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or("0");
    println!("{hwm}");
}
