//! docs/security.md's summary table stays true: every test it names as
//! evidence exists (a renamed or deleted test fails here, not silently).

#![allow(clippy::unwrap_used)]

use std::path::Path;

/// Every `.rs` file under `dir`, concatenated.
fn sources(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

#[test]
fn every_test_named_in_the_security_summary_exists() {
    let root = aicoder_tests::root();
    let doc = std::fs::read_to_string(root.join("docs/security.md")).unwrap();
    let summary = doc
        .split("## Summary of the battery")
        .nth(1)
        .expect("docs/security.md has a summary table");
    let mut code = String::new();
    sources(&root.join("tests"), &mut code);
    sources(&root.join("host/src"), &mut code);
    sources(&root.join("crates"), &mut code);

    let rows: Vec<&str> = summary
        .lines()
        .filter(|l| l.starts_with("| "))
        .skip(1)
        .collect();
    assert!(rows.len() >= 20, "the table lost rows: {}", rows.len());
    let mut named = 0;
    for row in rows {
        let evidence = row.trim_end_matches('|').rsplit('|').next().unwrap();
        let tests: Vec<&str> = evidence.split('`').skip(1).step_by(2).collect();
        assert!(!tests.is_empty(), "a row without tests: {row}");
        for test in tests {
            assert!(
                code.contains(&format!("fn {test}(")),
                "docs/security.md names `{test}`, which no test defines"
            );
            named += 1;
        }
    }
    assert!(named >= 40, "{named}");
}
