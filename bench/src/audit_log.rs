//! B11: the audit log at 1,000,000 lines. `aicoder audit -n 20` and undo
//! planning read from the end of the file, so they should cost what `tail`
//! costs; `audit verify` reads the whole chain and should run near the speed
//! of reading the file (`cat > /dev/null`). Also the host-call rows of B4
//! (what the audit append costs per call), so the chain's cost can be seen
//! alone: `aicoder-bench --audit-log`.

use super::{grant, host, py, row, sample, Capability, Env, Row, Stat};
use aicoder::caps::audit::{AuditLine, AuditLog, LineTime, Outcome};
use aicoder::caps::grants::{PluginId, Scope};
use aicoder::caps::CapCtx;
use serde_json::json;
use std::process::{Command, Stdio};

/// Lines in the generated log.
const LINES: u64 = 1_000_000;

/// Write a chained log of `LINES` lines through the real writer: mostly
/// reads, a working-directory write every 50th line (so undo has something
/// to plan), values of realistic size.
pub fn generate(path: &std::path::Path) {
    let log = AuditLog::new(path.to_path_buf());
    let hash = "3f".repeat(32);
    let args = json!({});
    for i in 0..LINES {
        let (old, new) = if i % 50 == 49 {
            (
                Some(json!(format!("/home/user/project/dir{}", i - 1))),
                Some(json!(format!("/home/user/project/dir{i}"))),
            )
        } else {
            (None, None)
        };
        log.record_line(&AuditLine {
            time: LineTime::Now,
            plugin: "python_runtime",
            hash: &hash,
            capability: if old.is_some() {
                "workspace.write"
            } else {
                "workspace.read"
            },
            operation: if old.is_some() { "set-cwd" } else { "get-cwd" },
            args: &args,
            old: old.as_ref(),
            new: new.as_ref(),
            outcome: Outcome::Allowed,
            scope: Some(Scope::Session),
            within: None,
            detail: None,
        });
    }
    log.flush();
}

fn quiet(cmd: &mut Command) {
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{cmd:?} failed");
}

/// The B11 rows.
pub fn rows() -> Vec<Row> {
    let env = Env::new();
    let path = env.project.work().join(".aicoder/audit.jsonl");
    generate(&path);
    let size = std::fs::metadata(&path).unwrap().len();
    let file = path.to_str().unwrap().to_string();
    let aicoder = |args: &[&str]| {
        let mut cmd = env.cmd(args);
        quiet(&mut cmd);
    };
    aicoder(&["audit", "verify"]); // the log verifies, and its pages are cached
    let tail = sample(20, || quiet(Command::new("tail").args(["-n", "20", &file])));
    let recent = sample(20, || aicoder(&["audit", "-n", "20"]));
    let plan = sample(20, || aicoder(&["audit", "undo", "--dry-run"]));
    let cat_cpu = children_cpu();
    let cat = sample(5, || {
        quiet(Command::new("sh").args(["-c", &format!("cat '{file}' > /dev/null")]))
    });
    let verify_cpu = children_cpu();
    let verify = sample(5, || aicoder(&["audit", "verify"]));
    let end_cpu = children_cpu();
    // `sample` runs once more than it times (a warm-up): 6 runs each.
    let per_run = |from: f64, to: f64| {
        let t = (to - from) / 6.0;
        Stat { median: t, p95: t }
    };
    let (cat_cpu, verify_cpu) = (per_run(cat_cpu, verify_cpu), per_run(verify_cpu, end_cpu));
    let mib = size as f64 / f64::from(1 << 20);
    vec![
        row(
            "B11",
            &format!("`aicoder audit -n 20`, 1,000,000-line log ({mib:.0} MiB) vs `tail -n 20`"),
            recent,
            tail,
            "< 50 ms",
        ),
        row(
            "B11",
            "undo planning (`aicoder audit undo --dry-run`) vs `tail -n 20`",
            plan,
            tail,
            "< 50 ms",
        ),
        row(
            "B11",
            "`aicoder audit verify` (chain + blobs) vs `cat log > /dev/null`",
            verify,
            cat,
            "<= 2x",
        ),
        row(
            "B11",
            "the same, CPU time (user + sys, all threads; mean of the runs): what a loaded machine must find",
            verify_cpu,
            cat_cpu,
            "-",
        ),
    ]
}

/// CPU time (user + system) of this process's waited-for children, in seconds.
fn children_cpu() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// B4's host-call rows (per call, audited): from Python, from a Rust plugin,
/// and the direct call through the grant check and the audit append.
pub fn host_call_rows() -> Vec<Row> {
    let work = tempfile::tempdir().unwrap();
    let cache = aicoder_tests::shared_cache().join("aicoder");
    let mut h = host(work.path(), &cache, &["python_runtime", "misbehave"]);
    grant(&h, "python_runtime", &[Capability::WorkspaceRead]);
    grant(&h, "misbehave", &[Capability::WorkspaceRead]);
    let n: u64 = 2000; // as in B4
    let per_call = |calls: Stat, none: Stat| Stat {
        median: (calls.median - none.median) / n as f64,
        p95: (calls.p95 - none.median) / n as f64,
    };
    py(&mut h, "pass");
    let (zero, args) = (json!({ "n": 0 }).to_string(), json!({ "n": n }).to_string());
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
    // Each figure with the chain hashed on its own thread (now) and inline
    // when the call's lines are written (before), in the same run.
    let empty_args = json!({});
    let mut measure = |h: &mut aicoder::plugins::PluginHost, thread: bool| {
        h.services().audit.flush();
        h.services().audit.set_chain_thread(thread);
        let empty = sample(20, || py(h, &format!("for i in range({n}): pass")));
        let calls = sample(20, || {
            py(h, &format!("for i in range({n}): app.input_handler.cwd"))
        });
        let from_py = per_call(calls, empty);
        let none = sample(20, || {
            h.call_tool("misbehave", "hostcalls", &zero).unwrap();
        });
        let calls = sample(20, || {
            h.call_tool("misbehave", "hostcalls", &args).unwrap();
        });
        let from_rust = per_call(calls, none);
        let direct = sample(20, || {
            for _ in 0..n {
                aicoder::bindings::aicoder::plugin::workspace::Host::get_cwd(&mut ctx).unwrap();
            }
            ctx.services.audit.flush();
        });
        let direct = Stat {
            median: direct.median / n as f64,
            p95: direct.p95 / n as f64,
        };
        // The audit line alone (the one the direct call writes), for the
        // breakdown: serialised into the batch, chained and written as the
        // call's lines are.
        let audit = &h.services().audit;
        let line_alone = sample(20, || {
            for _ in 0..n {
                audit.record_line(&AuditLine {
                    time: LineTime::Now,
                    plugin: "bench",
                    hash: "0",
                    capability: "workspace.read",
                    operation: "get-cwd",
                    args: &empty_args,
                    old: None,
                    new: None,
                    outcome: Outcome::Allowed,
                    scope: Some(Scope::Session),
                    within: None,
                    detail: None,
                });
            }
            audit.flush();
        });
        let line_alone = Stat {
            median: line_alone.median / n as f64,
            p95: line_alone.p95 / n as f64,
        };
        (from_py, from_rust, direct, line_alone)
    };
    // Interleaved rounds (inline, then on its thread), the median round of
    // each: a loaded machine moves between rounds.
    let mut before = Vec::new();
    let mut after = Vec::new();
    for _ in 0..3 {
        before.push(measure(&mut h, false));
        after.push(measure(&mut h, true));
    }
    type Round = (Stat, Stat, Stat, Stat);
    let mid = |rounds: &[Round], pick: fn(&Round) -> Stat| {
        let mut xs: Vec<Stat> = rounds.iter().map(pick).collect();
        xs.sort_by(|a, b| a.median.total_cmp(&b.median));
        xs[xs.len() / 2]
    };
    let (py_before, rust_before, direct_before) = (
        mid(&before, |r| r.0),
        mid(&before, |r| r.1),
        mid(&before, |r| r.2),
    );
    let (from_py, from_rust, direct, line_alone) = (
        mid(&after, |r| r.0),
        mid(&after, |r| r.1),
        mid(&after, |r| r.2),
        mid(&after, |r| r.3),
    );
    let us = |s: f64| format!("{:.2} µs", s * 1e6);
    let breakdown = Row {
        id: "B4",
        what: "breakdown of the Rust plugin's host call (medians of the same rounds)".into(),
        value: format!(
            "audit line (serialised into the batch; chained and written off the call path) {}, \
             grant check + cwd + args {}, wasm boundary (call in, string out) {}",
            us(line_alone.median),
            us((direct.median - line_alone.median).max(0.0)),
            us((from_rust.median - direct.median).max(0.0)),
        ),
        baseline: "-".into(),
        ratio: "-".into(),
        target: "-",
    };
    vec![
        row(
            "B4",
            "host call from Python (audited) vs the direct call",
            from_py,
            direct,
            "<= 2 µs",
        ),
        row(
            "B4",
            "host call from a Rust plugin (audited) vs the direct call",
            from_rust,
            direct,
            "<= 0.5 µs",
        ),
        breakdown,
        row(
            "B4",
            "host call from a Rust plugin: chain hashed off the call path vs inline (before)",
            from_rust,
            rust_before,
            "<= 1x",
        ),
        row(
            "B4",
            "host call from Python: chain hashed off the call path vs inline (before)",
            from_py,
            py_before,
            "<= 1x",
        ),
        row(
            "B4",
            "direct call (grant check + audit line): chain off the call path vs inline (before)",
            direct,
            direct_before,
            "<= 1x",
        ),
    ]
}

/// `aicoder-bench --audit-log [--b4]`: B4's host-call rows and B11 (or
/// only the B4 rows), printed as `make bench` prints its table.
pub fn run_alone() {
    let mut rows = host_call_rows();
    if std::env::args().nth(2).as_deref() != Some("--b4") {
        rows.extend(self::rows());
    }
    crate::print_table(rows);
}
