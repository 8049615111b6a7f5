//! The user's code runs as a CPython script would: as the `__main__` module,
//! and ended by `sys.exit(0)` without an error.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;

#[test]
fn code_runs_as_main_and_a_clean_exit_is_not_an_error() {
    // pickle and dataclasses find a class through sys.modules["__main__"];
    // the runtime had no such module, so pickling a class the code defined
    // failed. sys.exit(0) ends a CPython script with status 0, not an error.
    let p = Project::new();
    let code = "import pickle, sys\nclass P:\n    pass\n\
                q = pickle.loads(pickle.dumps(P()))\n\
                print(type(q).__name__, sys.modules['__main__'].P is P)\nsys.exit(0)\nprint('not reached')";
    let run = p.run(&["py", "-c", code]);
    assert!(run.0.status.success(), "{}{}", run.stdout(), run.stderr());
    assert!(run.stdout().contains("P True"), "{}", run.stdout());
    assert!(!run.stdout().contains("not reached"), "{}", run.stdout());
    let run = p.run(&["py", "-c", "import sys\nsys.exit(3)"]);
    assert!(!run.0.status.success());
    assert!(run.stderr().contains("SystemExit: 3"), "{}", run.stderr());
}
