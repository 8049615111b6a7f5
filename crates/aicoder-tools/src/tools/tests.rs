use super::*;

fn limits() -> SandboxLimits {
    SandboxLimits::default()
}

fn fence(dir: &Path) -> Fence {
    Fence::for_dir(dir, dir, true)
}

#[test]
fn edit_needs_a_unique_exact_match_and_previews_a_diff() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), "one\ntwo\ntwo\n").expect("write");
    let args = r#"{"path":"a.txt","old_string":"one","new_string":"uno"}"#;
    let p = preview("edit_file", args, &fence(dir.path())).expect("preview");
    assert!(p.contains("-one") && p.contains("+uno"), "{p}");
    run("edit_file", args, &fence(dir.path()), &limits()).expect("edit");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.txt")).expect("read"),
        "uno\ntwo\ntwo\n"
    );
    let dup = r#"{"path":"a.txt","old_string":"two","new_string":"2"}"#;
    assert!(
        matches!(run("edit_file", dup, &fence(dir.path()), &limits()), Err(ToolError::Failed(m)) if m.contains("2 times"))
    );
}

#[test]
fn bad_arguments_are_errors_for_the_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = run(
        "read_file",
        r#"{"file":"x"}"#,
        &fence(dir.path()),
        &limits(),
    )
    .expect_err("missing path");
    assert!(err.to_string().contains("missing field `path`"), "{err}");
    assert!(matches!(
        run("nope", "{}", &fence(dir.path()), &limits()),
        Err(ToolError::Unknown(_))
    ));
    assert!(run("grep", r#"{"pattern":"("}"#, &fence(dir.path()), &limits()).is_err());
}

#[test]
fn devices_pipes_and_huge_files_are_refused_not_read_forever() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.expect("mkfifo").success());
    let huge = dir.path().join("huge.log");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
    // The sandbox off, so that /dev/zero is reached at all.
    let open = Fence::for_dir(dir.path(), dir.path(), false);
    for path in ["/dev/zero", "fifo", "huge.log"] {
        let read = format!(r#"{{"path":"{path}"}}"#);
        let edit = format!(r#"{{"path":"{path}","old_string":"a","new_string":"b"}}"#);
        let edit_err = run("edit_file", &edit, &open, &limits()).expect_err(path);
        let mut errors = vec![edit_err];
        if path == "huge.log" {
            // Paged: one bounded page of the file, not an error.
            let page = run("read_file", &read, &open, &limits()).expect(path);
            assert!(page.len() <= PAGE_MAX_BYTES, "{}", page.len());
        } else {
            errors.push(run("read_file", &read, &open, &limits()).expect_err(path));
        }
        for e in errors {
            let text = e.to_string();
            // /dev is refused before a device is opened at all.
            assert!(
                text.contains("not a regular file")
                    || text.contains("not read whole")
                    || text.contains("/dev are never"),
                "{text}"
            );
        }
        let write = format!(r#"{{"path":"{path}","content":"x"}}"#);
        let preview = preview("write_file", &write, &open).expect("preview");
        assert!(preview.contains("not shown as a diff"), "{preview}");
    }
}

mod fuzz {
    use super::super::*;
    use proptest::prelude::*;

    const TOOLS: [&str; 7] = [
        "read_file",
        "write_file",
        "edit_file",
        "grep",
        "list_directory",
        "run_shell_command",
        "no_such_tool",
    ];

    proptest! {
        /// Whatever the model sends as arguments, decoding and previews
        /// answer with a value or an error for the model, never a panic.
        #[test]
        fn fuzz_tool_arguments_never_panic(
            raw in prop_oneof![
                ".{0,200}",
                aicoder_testing::json_value().prop_map(|v| v.to_string()),
                aicoder_testing::tool_arguments(),
            ],
            tool in 0..TOOLS.len(),
        ) {
            let dir = tempfile::tempdir().expect("tempdir");
            let _ = parse_arguments(&raw);
            let _ = preview(TOOLS[tool], &raw, &Fence::for_dir(dir.path(), dir.path(), true));
        }

        /// Any JSON object survives the trip through parse_arguments.
        #[test]
        fn fuzz_valid_arguments_round_trip(args in aicoder_testing::tool_arguments()) {
            let parsed = parse_arguments(&args).expect("valid JSON");
            prop_assert_eq!(parsed, serde_json::from_str::<Value>(&args).expect("json"));
        }
    }
}

#[test]
fn grep_list_write_and_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    run(
        "write_file",
        r#"{"path":"src/m.rs","content":"fn main() {}\n"}"#,
        &fence(dir.path()),
        &limits(),
    )
    .expect("write");
    let found = run(
        "grep",
        r#"{"pattern":"fn \\w+"}"#,
        &fence(dir.path()),
        &limits(),
    )
    .expect("grep");
    assert_eq!(found, "src/m.rs:1:fn main() {}");
    assert_eq!(
        run("list_directory", "{}", &fence(dir.path()), &limits()).expect("ls"),
        "src/"
    );
    // Unconfined: the process sandbox re-executes the running binary as its
    // launcher, and a test harness is not the aicoder binary (the caps
    // crate's own tests turn it off by cfg(test), which is not set here).
    let unconfined = RunOptions {
        outside: true,
        ..RunOptions::default()
    };
    let out = run_with(
        "run_shell_command",
        r#"{"command":"echo hi"}"#,
        &fence(dir.path()),
        &limits(),
        &unconfined,
    )
    .expect("sh")
    .text;
    assert!(out.starts_with("exit code: 0\nstdout:\nhi"), "{out}");
}
