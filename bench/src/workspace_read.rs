//! B16: one workspace read (`WorkspaceRoot::read_bounded`, the hardened read
//! every file tool and `fs.read` goes through) of a 2 KiB file two folders
//! beneath the root, with the protected folders' identities reused between
//! reads (workspace/protected.rs) against looked up on every read (as before
//! the cache), in the same run. The protected folders are the defaults'
//! shape: the root's `.aicoder`, `~/.config/aicoder` and `~/.cache/aicoder`
//! (also named by their XDG forms); all exist.

use crate::{row, sample, Row, Stat};
use aicoder::workspace::WorkspaceRoot;
use std::path::Path;

/// Reads per sample.
const N: u32 = 2000;

/// The B16 row.
pub fn rows() -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let home = dir.path().join("home");
    for d in [
        work.join(".aicoder"),
        work.join("src/lib"),
        home.join(".config/aicoder"),
        home.join(".cache/aicoder"),
    ] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::write(work.join("src/lib/a.rs"), "x".repeat(2048)).unwrap();
    let protected = vec![
        work.join(".aicoder"),
        home.join(".config/aicoder"),
        home.join(".cache/aicoder"),
        home.join(".config/aicoder"),
        home.join(".cache/aicoder"),
    ];
    // A look-up is reused once the folders it depends on are a second old
    // (the timestamp rule in workspace/protected.rs); a session's are older.
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let cached = WorkspaceRoot::open(&work, protected.clone()).unwrap();
    let mut uncached = WorkspaceRoot::open(&work, protected).unwrap();
    uncached.set_protected_cache(false);
    let rel = Path::new("src/lib/a.rs");
    let per = |root: &WorkspaceRoot| -> Stat {
        let s = sample(20, || {
            for _ in 0..N {
                assert_eq!(root.read_bounded(rel, 1 << 20).unwrap().len(), 2048);
            }
        });
        Stat {
            median: s.median / f64::from(N),
            p95: s.p95 / f64::from(N),
        }
    };
    let (before, after) = (per(&uncached), per(&cached));
    vec![row(
        "B16",
        "workspace read (2 KiB, 2 folders down): protected folders cached vs looked up per read",
        after,
        before,
        "< 1x",
    )]
}
