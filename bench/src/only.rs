//! `aicoder-bench --only B3,B4,B9,B10,B11,B12,B13,B14,B15,B16,B17,B18,B19,B20,B21,F1`: just those rows (the
//! ones this file knows), for working on one of them; `make bench` runs
//! everything.

use crate::{grant, host, py, sample, Row, SNIPPET, SNIPPET_NEEDS};

/// Run the named rows and print their table.
pub fn run(ids: &str) {
    let mut rows: Vec<Row> = Vec::new();
    for id in ids.split(',').map(str::trim) {
        match id {
            "B3" => {
                let work = tempfile::tempdir().unwrap();
                let cache = aicoder_tests::shared_cache().join("aicoder");
                let mut h = host(work.path(), &cache, &["python_runtime"]);
                grant(&h, "python_runtime", &SNIPPET_NEEDS);
                py(&mut h, SNIPPET);
                let b3 = sample(300, || py(&mut h, SNIPPET));
                rows.extend(crate::python_cost::rows(&mut h, b3));
            }
            "B4" => rows.extend(crate::audit_log::host_call_rows()),
            "B9" => rows.extend(crate::growth::rows()),
            "B11" => rows.extend(crate::audit_log::rows()),
            "F1" => rows.extend(crate::first_start::rows()),
            "B10" => rows.extend(crate::plugin_count::rows()),
            "B12" => rows.extend(crate::grep_tree::rows()),
            "B13" => rows.extend(crate::grant_check::rows()),
            "B14" | "B15" => rows.extend(crate::sandbox_cost::rows()),
            "B16" => rows.extend(crate::workspace_read::rows()),
            "B17" | "B18" => rows.extend(crate::mcp_serve::rows()),
            "B19" => rows.extend(crate::mcp_client::startup_rows()),
            "B20" => rows.extend(crate::exec_json::rows()),
            "B21" => rows.extend(crate::mcp_client::call_rows()),
            other => {
                eprintln!("--only: no row {other} here (B3, B4, B9, B10, B11, B12, B13, B14, B15, B16, B17, B18, B19, B20, B21, F1)")
            }
        }
    }
    crate::print_table(rows);
}
