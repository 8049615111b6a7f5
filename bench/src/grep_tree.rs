//! B12: the grep tool against ripgrep on a generated tree of 100,000 files
//! (source-like text, 100 top folders of 10 sub-folders of 100 files), with
//! the same ignore rules: a `.git` folder makes `.gitignore` apply; it
//! ignores `build/` (10,000 more files) and `*.log`, and hidden `.cache/`
//! is skipped by both. The pattern is found in 150 files (and in ignored
//! ones, which neither may report). rg's output is read through a pipe, as
//! the grep tool's is returned.

use crate::{fmt, Row, Stat};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn file_text(i: usize, needle: bool) -> String {
    let mut text = String::new();
    for line in 0..20 {
        if needle && line == 7 {
            text.push_str(&format!("    let needle_{i} = lookup(&table, {line});\n"));
        } else {
            text.push_str(&format!(
                "    let value_{line} = compute_{i}(input, {line}) + offset;\n"
            ));
        }
    }
    text
}

fn generate(root: &Path) {
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".gitignore"), "build/\n*.log\n").unwrap();
    let mut i = 0;
    for top in 0..100 {
        for sub in 0..10 {
            let dir = root.join(format!("src{top}/mod{sub}"));
            std::fs::create_dir_all(&dir).unwrap();
            for f in 0..100 {
                std::fs::write(dir.join(format!("f{f}.rs")), file_text(i, i % 667 == 0)).unwrap();
                i += 1;
            }
        }
    }
    for (dir, count) in [("build/out", 10_000), (".cache", 100)] {
        let dir = root.join(dir);
        std::fs::create_dir_all(&dir).unwrap();
        for f in 0..count {
            std::fs::write(dir.join(format!("g{f}.rs")), file_text(f, f % 50 == 0)).unwrap();
        }
    }
    std::fs::write(root.join("run.log"), file_text(1, true)).unwrap();
}

const PATTERN: &str = r"needle_[0-9]+";

fn ours(root: &Path) -> String {
    let limits = aicoder::config::Config::from_lookup(|_| None)
        .unwrap()
        .sandbox;
    let args = serde_json::json!({ "pattern": PATTERN }).to_string();
    aicoder::tools::run("grep", &args, root, &limits).unwrap()
}

fn rg(root: &Path) -> String {
    let out = Command::new("rg")
        .args(["-n", "--no-heading", PATTERN])
        .current_dir(root)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The B12 row, or a row saying why it was not measured.
pub fn rows() -> Vec<Row> {
    if Command::new("rg").arg("--version").output().is_err() {
        return vec![Row {
            id: "B12",
            what: "grep tool vs ripgrep".into(),
            value: "not measured: `rg` is not installed (make bench installs Debian's ripgrep)"
                .into(),
            baseline: "-".into(),
            ratio: "-".into(),
            target: "<= 1.5x",
        }];
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    generate(&root);
    // The same lines found (both warm the page cache).
    let mut a: Vec<String> = ours(&root).lines().map(str::to_string).collect();
    let mut b: Vec<String> = rg(&root)
        .lines()
        .map(|l| l.trim_start_matches("./").to_string())
        .collect();
    a.sort();
    b.sort();
    assert_eq!(a.len(), 150, "grep tool found {} lines", a.len());
    assert_eq!(a, b, "the grep tool and rg disagree");
    // Alternate, so both see the same machine load.
    let (mut t_ours, mut t_rg) = (Vec::new(), Vec::new());
    for _ in 0..9 {
        let t = Instant::now();
        std::hint::black_box(ours(&root));
        t_ours.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        std::hint::black_box(rg(&root));
        t_rg.push(t.elapsed().as_secs_f64());
    }
    let (o, r): (Stat, Stat) = (crate::stat(t_ours), crate::stat(t_rg));
    vec![Row {
        id: "B12",
        what: "grep tool (in process) vs `rg -n`, 100,000 files, same ignore rules".into(),
        value: format!("{} (p95 {})", fmt(o.median), fmt(o.p95)),
        baseline: format!("{} (p95 {})", fmt(r.median), fmt(r.p95)),
        ratio: format!("{:.2}x", o.median / r.median),
        target: "<= 1.5x",
    }]
}
