//! B10: start-up and peak RSS with 1, 10 and 50 installed plugins.
//!
//! Each plugin is a copy of the shipped `session_view` with its names
//! rewritten in place (plugin, tool and command: `session_v007`,
//! `recent_msgs_007`, `transcr007`), so every copy is a distinct plugin with
//! its own hash, tool and command, as installed plugins are. They are user
//! plugins in a fresh HOME with its own compile cache, warmed by one run;
//! PLUGINS_ALLOW names exactly the copies, so nothing else is loaded.

use crate::{fmt, wait_with_rss, Row, Stat};
use std::path::Path;
use std::process::{Command, Stdio};

/// `bytes` with every occurrence of `from` replaced by `to` (same length).
fn replace_all(bytes: &mut [u8], from: &[u8], to: &[u8]) -> usize {
    assert_eq!(from.len(), to.len());
    let mut count = 0;
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            count += 1;
            i += from.len();
        } else {
            i += 1;
        }
    }
    count
}

/// Copy `n` of session_view under distinct names.
fn copies(original: &[u8], n: usize) -> Vec<(String, Vec<u8>)> {
    (1..=n)
        .map(|i| {
            let mut bytes = original.to_vec();
            let name = format!("session_v{i:03}");
            assert!(replace_all(&mut bytes, b"session_view", name.as_bytes()) > 0);
            assert!(
                replace_all(
                    &mut bytes,
                    b"recent_messages",
                    format!("recent_msgs_{i:03}").as_bytes()
                ) > 0
            );
            assert!(
                replace_all(
                    &mut bytes,
                    b"transcript",
                    format!("transcr{i:03}").as_bytes()
                ) > 0
            );
            (name, bytes)
        })
        .collect()
}

struct Setup {
    dir: tempfile::TempDir,
    allow: String,
}

impl Setup {
    fn new(plugins: &[(String, Vec<u8>)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let user_plugins = dir.path().join("home/.config/aicoder/plugins");
        std::fs::create_dir_all(&user_plugins).unwrap();
        std::fs::create_dir_all(dir.path().join("work")).unwrap();
        std::fs::create_dir_all(dir.path().join("cache")).unwrap();
        for (name, bytes) in plugins {
            std::fs::write(user_plugins.join(format!("{name}.wasm")), bytes).unwrap();
        }
        let allow = plugins
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(",");
        Setup { dir, allow }
    }

    /// `echo /help | aicoder`; returns its peak RSS in KiB, which counts
    /// this process's size when it was spawned (see [`Setup::rss`]).
    fn help(&self) -> u64 {
        help(self.dir.path(), &self.allow)
    }

    /// Peak RSS of `echo /help | aicoder` in KiB, spawned from a fresh small
    /// process: a child's peak RSS includes its parent's memory at the
    /// spawn (the address space it starts from before exec), and this
    /// benchmark has grown large by now.
    fn rss(&self) -> u64 {
        let out = Command::new(std::env::current_exe().unwrap())
            .arg("--rss-child")
            .arg(self.dir.path())
            .arg(&self.allow)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }

    /// Whether all the copies are loaded (listed by /plugins).
    fn check_loaded(&self, n: usize) {
        let root = self.dir.path();
        let out = Command::new(aicoder_tests::bin())
            .current_dir(root.join("work"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", root.join("home"))
            .env("XDG_CACHE_HOME", root.join("cache"))
            .env("AICODER_SHIPPED_PLUGINS", aicoder_tests::wasm_dir())
            .env("PLUGINS_ALLOW", &self.allow)
            .arg("plugin")
            .arg("list")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let loaded = text.matches("session_v").count();
        assert!(
            loaded >= n,
            "expected {n} plugins loaded, /plugins shows {loaded}:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// `echo /help | aicoder` in the set-up at `root`; its peak RSS in KiB.
// The child is reaped by `wait_with_rss` (wait4), which clippy cannot see.
#[allow(clippy::zombie_processes)]
fn help(root: &Path, allow: &str) -> u64 {
    use std::io::Write;
    let mut child = Command::new(aicoder_tests::bin())
        .current_dir(root.join("work"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("TERM", "dumb")
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("AICODER_SHIPPED_PLUGINS", aicoder_tests::wasm_dir())
        .env("PLUGINS_ALLOW", allow)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"/help\n").unwrap();
    let (status, rss) = wait_with_rss(child.id());
    assert!(status == 0, "aicoder /help with plugins failed");
    rss
}

/// `aicoder-bench --rss-child ROOT ALLOW`: print the peak RSS of one
/// `echo /help | aicoder` in that set-up.
pub fn rss_child() {
    let root = std::path::PathBuf::from(std::env::args().nth(2).unwrap());
    let allow = std::env::args().nth(3).unwrap_or_default();
    println!("{}", help(&root, &allow));
}

/// The B10 rows.
pub fn rows() -> Vec<Row> {
    let original = std::fs::read(aicoder_tests::wasm("session_view")).unwrap();
    let all = copies(&original, 50);
    let setups: Vec<(usize, Setup)> = [1, 10, 50]
        .into_iter()
        .map(|n| {
            let setup = Setup::new(&all[..n]);
            setup.help(); // compile and record every copy once
            setup.help();
            setup.check_loaded(n);
            (n, setup)
        })
        .collect();
    // Interleaved rounds, so that all three see the same machine load.
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); setups.len()];
    for _ in 0..60 {
        for (k, (_, setup)) in setups.iter().enumerate() {
            let t = std::time::Instant::now();
            setup.help();
            samples[k].push(t.elapsed().as_secs_f64());
        }
    }
    let times: Vec<(usize, Stat, u64)> = setups
        .iter()
        .zip(samples)
        .map(|((n, setup), t)| {
            let mut rss: Vec<u64> = (0..5).map(|_| setup.rss()).collect();
            rss.sort_unstable();
            (*n, crate::stat(t), rss[rss.len() / 2])
        })
        .collect();
    let (t1, r1) = (times[0].1, times[0].2);
    let (t50, r50) = (times[2].1, times[2].2);
    let per_plugin_kib = (r50 as f64 - r1 as f64) / 49.0;
    vec![
        Row {
            id: "B10",
            what: "`echo /help | aicoder` with 1 / 10 / 50 installed plugins (cache warm)".into(),
            value: times
                .iter()
                .map(|(_, t, _)| fmt(t.median))
                .collect::<Vec<_>>()
                .join(" / "),
            baseline: format!("1 plugin: {} (p95 {})", fmt(t1.median), fmt(t1.p95)),
            ratio: format!("{:.2}x (50 vs 1)", t50.median / t1.median),
            target: "<= 2x",
        },
        Row {
            id: "B10",
            what: "peak RSS of the same, 1 / 10 / 50 plugins".into(),
            value: times
                .iter()
                .map(|(_, _, r)| format!("{:.1} MiB", *r as f64 / 1024.0))
                .collect::<Vec<_>>()
                .join(" / "),
            baseline: format!("1 plugin: {:.1} MiB", r1 as f64 / 1024.0),
            ratio: format!("{per_plugin_kib:.0} KiB per plugin"),
            target: "<= 64 KiB per unused plugin",
        },
    ]
}
