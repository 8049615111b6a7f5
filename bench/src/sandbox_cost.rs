//! B14 and B15: the process sandbox's cost. B14: start-up, `sh -c true`
//! confined as `run_shell_command` starts it (`Confined::spawn` on a
//! launcher started ahead of time, whose namespaces are made while the
//! model answers; made ready, untimed, before each run) against
//! `sh -c true` alone, interleaved (target: under 5 ms more). B14c: the
//! same started cold (the aicoder binary executed as launcher, the
//! namespaces made on the way: the first command of a session, background
//! jobs and MCP servers). B15: 100 MiB from a
//! loopback HTTP server with curl through the sandbox's proxy against curl
//! directly (target: at least 0.8x the throughput). B15r: the same through
//! a plain splice relay outside the sandbox (relay.rs), interleaved: the
//! floor of any proxy that relays between two loopback connections here.

use crate::{fmt, stat, Row};
use aicoder_sandbox::{confine, HostRule, Policy};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const BODY: usize = 100 << 20;

fn policy(root: &std::path::Path, allow: Vec<HostRule>) -> Policy {
    let mut p = Policy {
        root: root.to_path_buf(),
        launcher: Some(aicoder_tests::bin()),
        ..Policy::default()
    };
    p.net.allow = allow;
    p
}

fn run_confined(policy: &Policy, args: &[&str], cwd: &std::path::Path) {
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    let (program, rest) = args.split_first().unwrap();
    let mut confined = confine(policy, program, rest, cwd).unwrap();
    let status = confined
        .command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "confined {args:?}: {status}");
}

/// A server answering every request with BODY zero bytes.
fn serve() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let chunk = vec![0u8; 1 << 20];
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let chunk = chunk.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-length: {BODY}\r\nconnection: close\r\n\r\n"
                );
                for _ in 0..BODY / chunk.len() {
                    if stream.write_all(&chunk).is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

pub fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    if let Some(missing) = aicoder_sandbox::probe().missing() {
        eprintln!("B14/B15 not measured: the sandbox is not supported here ({missing})");
        return rows;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let plain = policy(root, Vec::new());
    let launcher = aicoder_tests::bin();
    let bare_true = || {
        let status = Command::new("sh").args(["-c", "true"]).status().unwrap();
        assert!(status.success());
    };
    let warm_true = || {
        let args = ["-c".into(), "true".into()];
        let mut c = confine(&plain, "sh".as_ref(), &args, root).unwrap();
        let io = aicoder_sandbox::Io::Null;
        let status = c.spawn(io, io, io).unwrap().wait().unwrap();
        assert!(status.success());
    };
    let (mut warm, mut bare, mut cold, mut bare2) = (vec![], vec![], vec![], vec![]);
    let time = |f: &dyn Fn()| {
        let t = std::time::Instant::now();
        f();
        t.elapsed().as_secs_f64()
    };
    warm_true();
    for _ in 0..100 {
        // What the model's turn gives it between two commands (untimed):
        // the next launcher is ready and nothing runs in the background.
        assert!(aicoder_sandbox::warm_up(
            Some(&launcher),
            std::time::Duration::from_secs(10)
        ));
        bare.push(time(&bare_true));
        warm.push(time(&warm_true));
    }
    for _ in 0..40 {
        cold.push(time(&|| run_confined(&plain, &["sh", "-c", "true"], root)));
        bare2.push(time(&bare_true));
    }
    let (warm, bare, cold, bare2) = (stat(warm), stat(bare), stat(cold), stat(bare2));
    rows.push(Row {
        id: "B14",
        what: "process sandbox start-up: `sh -c true` confined (warm launcher) / alone".into(),
        value: format!("{} (p95 {})", fmt(warm.median), fmt(warm.p95)),
        baseline: format!("{} (p95 {})", fmt(bare.median), fmt(bare.p95)),
        ratio: format!("+{}", fmt(warm.median - bare.median)),
        target: "< +5 ms",
    });
    rows.push(Row {
        id: "B14c",
        what: "the same started cold (first command, background jobs, MCP servers)".into(),
        value: format!("{} (p95 {})", fmt(cold.median), fmt(cold.p95)),
        baseline: format!("{} (p95 {})", fmt(bare2.median), fmt(bare2.p95)),
        ratio: format!("+{}", fmt(cold.median - bare2.median)),
        target: "-",
    });

    let port = serve();
    let url = format!("http://127.0.0.1:{port}/");
    let through = policy(
        root,
        vec![HostRule {
            host: "127.0.0.1".into(),
            port: Some(port),
        }],
    );
    // curl's own figure (bytes per second of the transfer, its start-up
    // left out), interleaved with the direct run; the confined curl is
    // started as run_shell_command starts it (a warm launcher).
    let curl = [
        "curl",
        "-sf",
        "-o",
        "/dev/null",
        "-w",
        "%{speed_download}",
        url.as_str(),
    ];
    let speed = |out: &[u8]| -> f64 {
        let text = String::from_utf8_lossy(out);
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("curl said {text:?}"))
    };
    use crate::relay::Way;
    let relays = [Way::Splice, Way::Copy, Way::CopySmallBuffers]
        .map(|way| format!("http://127.0.0.1:{}", crate::relay::start(port, way)));
    let (mut through_speeds, mut direct_speeds) = (vec![], vec![]);
    let mut relay_speeds = [vec![], vec![], vec![]];
    for _ in 0..11 {
        let out = Command::new("curl")
            .args(&curl[1..])
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .output()
            .unwrap();
        assert!(out.status.success());
        direct_speeds.push(speed(&out.stdout));
        for (relay, speeds) in relays.iter().zip(&mut relay_speeds) {
            let out = Command::new("curl")
                .args(["-x", relay.as_str()])
                .args(&curl[1..])
                .output()
                .unwrap();
            assert!(out.status.success());
            speeds.push(speed(&out.stdout));
        }
        aicoder_sandbox::warm_up(Some(&launcher), std::time::Duration::from_secs(10));
        let args: Vec<OsString> = curl[1..].iter().map(OsString::from).collect();
        let mut c = confine(&through, "curl".as_ref(), &args, root).unwrap();
        let null = aicoder_sandbox::Io::Null;
        let child = c.spawn(null, aicoder_sandbox::Io::Piped, null).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "confined curl: {}", out.status);
        through_speeds.push(speed(&out.stdout));
    }
    // Medians of speeds: the median's reciprocal of times.
    let median = |mut xs: Vec<f64>| {
        xs.sort_by(f64::total_cmp);
        xs[xs.len() / 2]
    };
    let (through, direct) = (median(through_speeds), median(direct_speeds));
    let [spliced, copied, small] = relay_speeds.map(median);
    let floor = spliced.max(copied).max(small);
    let mibs = |bps: f64| format!("{:.0} MiB/s", bps / (1 << 20) as f64);
    rows.push(Row {
        id: "B15",
        what: "100 MiB over loopback HTTP with curl: through the sandbox proxy / direct".into(),
        value: mibs(through),
        baseline: mibs(direct),
        ratio: format!("{:.2}x", through / direct),
        target: ">= 0.8x",
    });
    for (how, bps) in [
        ("splice(2), 1 MiB pipe", spliced),
        ("read/write, 1 MiB buffer", copied),
        ("read/write, 1 MiB buffer, 256 KiB socket buffers", small),
    ] {
        rows.push(Row {
            id: "B15r",
            what: format!(
                "the floor: the same through a plain relay outside the sandbox ({how}; no checks) / direct"
            ),
            value: mibs(bps),
            baseline: mibs(direct),
            ratio: format!("{:.2}x", bps / direct),
            target: "-",
        });
    }
    rows.push(Row {
        id: "B15s",
        what: "the sandbox proxy / the best plain relay: what the sandbox costs beyond relaying"
            .into(),
        value: mibs(through),
        baseline: mibs(floor),
        ratio: format!("{:.2}x", through / floor),
        target: "-",
    });
    rows
}
