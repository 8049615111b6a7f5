//! Rules a newcomer can rely on when reading the code: no source file passes
//! 600 lines (a longer file is a module that wants splitting), every
//! `tests/...` path the docs name exists (tests move; their mentions must
//! follow), and the command line's one-shot commands open an `App`, not a
//! session (the one layering rule Cargo cannot see: the bare command does
//! start a session, so `cli` depends on the session crate).

use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 600;

/// Folders that hold no code of ours: build output, patched upstream
/// crates, installed packages.
const NOT_OURS: &[&str] = &["target", "vendor", "node_modules", ".git"];

fn walk(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if !NOT_OURS.iter().any(|n| name == *n) {
                walk(&path, ext, out);
            }
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_passes_600_lines() {
    let root = aicoder_tests::root();
    let mut files = Vec::new();
    walk(&root, "rs", &mut files);
    assert!(
        files.len() > 100,
        "the walk found too few files: {}",
        files.len()
    );
    let mut long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let lines = std::fs::read_to_string(path).ok()?.lines().count();
            (lines > MAX_LINES).then(|| {
                let shown = path.strip_prefix(&root).unwrap_or(path);
                format!("{} ({lines} lines)", shown.display())
            })
        })
        .collect();
    long.sort();
    assert!(
        long.is_empty(),
        "split these into modules of at most {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn every_test_file_the_docs_name_exists() {
    let root = aicoder_tests::root();
    let mut docs = vec![root.join("README.md")];
    walk(&root.join("docs"), "md", &mut docs);
    let mut named = 0;
    for doc in &docs {
        let text = std::fs::read_to_string(doc).unwrap_or_default();
        for (at, _) in text.match_indices("tests/") {
            let path: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || "_/.-".contains(*c))
                .collect();
            let path = path.trim_end_matches('.');
            if !path.ends_with(".rs") {
                continue;
            }
            named += 1;
            assert!(
                root.join(path).is_file(),
                "{} names {path}, which does not exist",
                doc.strip_prefix(&root).unwrap_or(doc).display()
            );
        }
    }
    assert!(named >= 10, "the docs name only {named} test files");
}

/// One-shot commands (`plugin call`, `py`, `audit undo`, ...) open an
/// `App`: a whole session would start a model client and a runtime.
#[test]
fn one_shot_commands_open_the_app_not_a_session() {
    let root = aicoder_tests::root();
    let mut files = Vec::new();
    walk(&root.join("host/src/cli"), "rs", &mut files);
    assert!(!files.is_empty(), "host/src/cli has no sources");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        // Comments may name it; code may not.
        let code = text.lines().map(|l| l.split("//").next().unwrap_or(""));
        for line in code {
            assert!(
                !line.contains("Session::open"),
                "{} opens a session; open aicoder::app::App instead",
                file.strip_prefix(&root).unwrap_or(&file).display()
            );
        }
    }
}
