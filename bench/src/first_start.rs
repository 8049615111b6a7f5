//! First start on a fresh machine: `echo /help | aicoder` with a new HOME,
//! (a) after `make build` filled its cache (`aicoder plugin precompile`) and
//! (b) with an empty cache: the shipped plugins' manifests come from beside
//! them (recorded by the build), so nothing is compiled until a plugin is
//! called; each beside a warm start in the same run. Then (c) `aicoder py -c
//! 1` with an empty cache, which compiles python_runtime and nothing else.

use crate::{row, sample, stat, Row};
use aicoder_tests::Project;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

/// A project whose HOME has its own, empty compile cache.
fn fresh() -> Project {
    let mut p = Project::new();
    let cache = p.home().join(".cache");
    p.env("XDG_CACHE_HOME", cache.to_str().unwrap());
    p
}

fn run(p: &Project, args: &[&str], stdin: &str) {
    use std::io::Write;
    let mut child = p
        .command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "aicoder {args:?} failed");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn timed(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64()
}

/// The first-start rows of `make bench`.
pub fn rows() -> Vec<Row> {
    // What `make build` leaves in a user's cache.
    let built = fresh();
    let status = built
        .command(&["plugin", "precompile"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "aicoder plugin precompile failed");
    let built_cache = built.home().join(".cache");

    let warm = sample(20, || run(&built, &[], "/help\n"));
    let after_build = stat(
        (0..10)
            .map(|_| {
                let p = fresh();
                copy_dir(&built_cache, &p.home().join(".cache"));
                timed(|| run(&p, &[], "/help\n"))
            })
            .collect(),
    );
    let cold = stat(
        (0..5)
            .map(|_| {
                let p = fresh();
                timed(|| run(&p, &[], "/help\n"))
            })
            .collect(),
    );
    let warm_py = sample(10, || run(&built, &["py", "-c", "1"], ""));
    let cold_py = stat(
        (0..2)
            .map(|_| {
                let p = fresh();
                timed(|| run(&p, &["py", "-c", "1"], ""))
            })
            .collect(),
    );
    vec![
        row(
            "F1",
            "first start, fresh HOME, cache filled by `make build` vs warm start",
            after_build,
            warm,
            "<= 1.5x",
        ),
        row(
            "F1",
            "first start, fresh HOME, nothing precompiled (plugins compile on first call) vs warm start",
            cold,
            warm,
            "<= 3 s",
        ),
        row(
            "F1",
            "`aicoder py -c 1`, fresh HOME, nothing precompiled (compiles python_runtime only) vs warm",
            cold_py,
            warm_py,
            "-",
        ),
    ]
}
