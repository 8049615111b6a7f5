use super::*;

fn fs(s: &str) -> ScopePattern {
    ScopePattern::parse(Capability::FsWrite, s).expect("fs scope")
}
fn sh(s: &str) -> ScopePattern {
    ScopePattern::parse(Capability::ShellExec, s).expect("shell scope")
}

#[test]
fn path_globs_match_beneath_the_root_only() {
    let src = fs("src/**");
    for ok in ["src/a.rs", "src/x/y/z.rs", "./src/a.rs", "src"] {
        assert!(src.covers(&Target::Path(ok)), "{ok}");
    }
    for no in [
        "docs/a.md",
        "srcx/a",
        "src/../secret",
        "../src/a",
        "/src/a",
        "",
    ] {
        assert!(!src.covers(&Target::Path(no)), "{no}");
    }
    let rs = fs("src/*.rs");
    assert!(rs.covers(&Target::Path("src/a.rs")));
    assert!(
        !rs.covers(&Target::Path("src/x/a.rs")),
        "* stays in one folder"
    );
    assert!(!src.covers(&Target::Command("src/a.rs")));
    for bad in ["/etc/**", "../x", "a/../../b", "", "."] {
        assert!(
            ScopePattern::parse(Capability::FsRead, bad).is_err(),
            "{bad}"
        );
    }
}

#[test]
fn command_patterns_match_argv_and_refuse_uncovered_operators() {
    let p = sh("cargo test*");
    for ok in [
        "cargo test",
        "cargo test -p x",
        "  cargo   test  -p 'x y'",
        "cargo 'test' --release",
    ] {
        assert!(p.covers(&Target::Command(ok)), "{ok}");
    }
    for no in [
        "cargo test; rm -rf ~",
        "cargo test && rm -rf ~",
        "cargo test || rm -rf ~",
        "cargo test | sh",
        "cargo test & rm -rf ~",
        "cargo test > ~/.bashrc",
        "cargo test < /etc/passwd",
        "cargo test\nrm -rf ~",
        "cargo test $(rm -rf ~)",
        "cargo test `rm -rf ~`",
        "cargo test \"$(rm -rf ~)\"",
        "cargo test $HOME",
        "cargo build",
        "cargo",
        "(cargo test)",
        "cargo test 'unclosed",
    ] {
        assert!(!p.covers(&Target::Command(no)), "{no}");
    }
    // Quoted operators are plain characters of a word.
    assert!(p.covers(&Target::Command("cargo test 'a;b' \"c|d\" e\\;f")));
    // A pattern covers the operators it names.
    let chain = sh("cargo fmt && cargo test*");
    assert!(chain.covers(&Target::Command("cargo fmt && cargo test -p x")));
    assert!(!chain.covers(&Target::Command("cargo fmt; cargo test")));
    // Without a trailing `*` the words must be exactly these.
    let exact = sh("git status");
    assert!(exact.covers(&Target::Command("git status")));
    assert!(!exact.covers(&Target::Command("git status --porcelain")));
    assert!(sh("ls *").covers(&Target::Command("ls")));
    assert!(ScopePattern::parse(Capability::ShellExec, "echo $X").is_err());
    assert!(ScopePattern::parse(Capability::ShellExec, "; ls").is_err());
}

/// A `*` in the program word covers neither a variable assignment (which
/// runs the words after it) nor a path (another program): `espeak*` must
/// not cover `espeak=1 sh -c ...` nor a repository's `espeak.d/run`.
#[test]
fn a_program_pattern_never_covers_an_assignment_or_a_path() {
    let p = sh("espeak*");
    assert!(p.covers(&Target::Command("espeak 'aicoder waits'")));
    assert!(p.covers(&Target::Command("espeak-ng hi")));
    for no in [
        "espeak=1 sh -c 'cat ~/.aws/credentials'",
        "espeak.d/run",
        "espeak/../../bin/sh -c id",
    ] {
        assert!(!p.covers(&Target::Command(no)), "{no}");
    }
    // What the pattern spells itself is still covered.
    assert!(sh("./build.sh*").covers(&Target::Command("./build.sh --fast")));
    assert!(sh("LANG=C make*").covers(&Target::Command("LANG=C make all")));
    assert!(sh("*").covers(&Target::Command("X=1 anything")));
}

#[test]
fn scopes_only_for_scopable_capabilities() {
    assert!(matches!(
        ScopePattern::parse(Capability::HistoryRead, "x"),
        Err(ScopeError::NotScopable { .. })
    ));
}

#[test]
fn suggestions_cover_the_call_narrowest_first() {
    assert_eq!(
        suggestions(Capability::FsWrite, &Target::Path("src/a.rs")),
        ["src/a.rs", "src/**"]
    );
    assert_eq!(
        suggestions(Capability::FsWrite, &Target::Path("a.rs")),
        ["a.rs", "**"]
    );
    assert_eq!(
        suggestions(Capability::ShellExec, &Target::Command("cargo test -p x")),
        ["cargo test -p x", "cargo test*"]
    );
    assert_eq!(
        suggestions(Capability::ShellExec, &Target::Command("ls -la")),
        ["ls -la", "ls*"]
    );
    assert!(suggestions(Capability::ShellExec, &Target::Command("echo $HOME")).is_empty());
}
