//! python_runtime against CPython: the standard modules a model imports, a
//! corpus of model-style snippets (tests/python_corpus/*.txt) and
//! RustPython's own snippets (extra_tests/snippets at RustPython cc1e55e,
//! not committed here: copied from another repository; the test reads them
//! from `AICODER_RUSTPYTHON_SNIPPETS` or a `shared/rustpython_snippets`
//! folder above the checkout, and says SKIPPED without them), each
//! run through the real binary (`aicoder py`) and through CPython
//! (`python3`, or `AICODER_TEST_PYTHON`). The test fails when a snippet
//! crashes the interpreter, or when the share passing on both drops below
//! the committed baseline (tests/python_corpus/baseline.txt). The figures
//! are written to target/python-fidelity.txt.

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("python_corpus")
}

fn python() -> String {
    std::env::var("AICODER_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// One snippet: where it comes from, its name, and its code.
struct Snippet {
    set: String,
    name: String,
    code: String,
}

/// The model-style corpus: `# ---- name` starts each snippet.
fn model_corpus() -> Vec<Snippet> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && !p.ends_with("modules.txt"))
        .filter(|p| !p.ends_with("baseline.txt") && !p.ends_with("known_crashes.txt"))
        .collect();
    files.sort();
    for file in files {
        let set = file.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).unwrap();
        for chunk in text.split("# ---- ").skip(1) {
            let (name, code) = chunk.split_once('\n').unwrap();
            out.push(Snippet {
                set: set.clone(),
                name: name.trim().to_string(),
                code: code.to_string(),
            });
        }
    }
    out
}

/// Where RustPython's snippets are, when this machine has them.
fn rustpython_snippets_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("AICODER_RUSTPYTHON_SNIPPETS") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/rustpython_snippets"))
        .find(|d| d.is_dir())
}

fn rustpython_snippets(dir: &Path) -> Vec<Snippet> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py") && !p.ends_with("testutils.py"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| Snippet {
            set: "rustpython".into(),
            name: p.file_stem().unwrap().to_string_lossy().into_owned(),
            code: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

/// A Python string literal of `text` (JSON's escapes are Python's).
fn literal(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The snippet as one program that creates no variables of its own (so
/// `aicoder py` prints only what the snippet prints), with `testutils`
/// importable for RustPython's snippets.
fn program(snippet: &Snippet, testutils: &str) -> String {
    let mut program = String::new();
    if snippet.set == "rustpython" {
        program.push_str(&format!(
            "__import__('sys').modules['testutils'] = (lambda m: (exec(compile({}, 'testutils.py', 'exec'), m.__dict__), m)[1])(__import__('types').ModuleType('testutils'))\n",
            literal(testutils)
        ));
    }
    program.push_str(&format!(
        "exec(compile({}, '<snippet>', 'exec'), {{'__name__': '__main__'}})\n",
        literal(&snippet.code)
    ));
    program
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// How a snippet ran in each interpreter.
struct Outcome {
    cpython_ok: bool,
    aicoder_ok: bool,
    crashed: bool,
    detail: String,
}

fn run_one(snippet: &Snippet, testutils: &str) -> Outcome {
    let code = program(snippet, testutils);
    let with_files = snippet.set == "files";
    let mut p = Project::new();
    p.env("PLUGIN_TIMEOUT_MS", "120000");
    let reference = tempfile::tempdir().unwrap();
    if with_files {
        copy_tree(&corpus_dir().join("workspace"), &p.work());
        copy_tree(&corpus_dir().join("workspace"), reference.path());
        std::fs::create_dir_all(p.work().join("out")).unwrap();
        std::fs::create_dir_all(reference.path().join("out")).unwrap();
    }
    let cpython = {
        use std::io::Write;
        let mut child = Command::new(python())
            .arg("-")
            .current_dir(reference.path())
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("CPython (python3, or AICODER_TEST_PYTHON) runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(code.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let args: &[&str] = if with_files {
        &["py", "--grant", "fs.read,fs.write,workspace.read", "-"]
    } else {
        &["py", "-"]
    };
    let run = p.run_with_stdin(args, &code);
    let stderr = run.stderr();
    // A crash, or a runaway the memory ceiling stopped; a deadline on a
    // loaded machine is a failure, not a crash.
    let crashed = stderr.contains("was stopped: it crashed")
        || stderr.contains("was stopped: it tried to use more than its memory");
    let cpython_out = String::from_utf8_lossy(&cpython.stdout)
        .trim_end()
        .to_string();
    let ours = run.stdout();
    let ours = ours.trim_end();
    let ours = if ours == "[code executed successfully, no output]" {
        ""
    } else {
        ours
    };
    let cpython_ok = cpython.status.success();
    let aicoder_ok = run.0.status.success() && (snippet.set == "rustpython" || ours == cpython_out);
    let detail = if aicoder_ok || !cpython_ok {
        String::new()
    } else if !run.0.status.success() {
        stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string()
    } else {
        format!(
            "output differs: {:?} vs CPython {:?}",
            truncate(ours),
            truncate(&cpython_out)
        )
    };
    Outcome {
        cpython_ok,
        aicoder_ok,
        crashed,
        detail,
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(160).collect()
}

/// Run every snippet (two at a time) and return (snippet, outcome) pairs.
fn run_all(snippets: Vec<Snippet>) -> Vec<(Snippet, Outcome)> {
    // RustPython's snippets import its testutils (assert_raises, ...); the
    // model-style corpus does not need it.
    let testutils = rustpython_snippets_dir()
        .and_then(|d| std::fs::read_to_string(d.join("testutils.py")).ok())
        .unwrap_or_default();
    let queue = Mutex::new(snippets.into_iter().enumerate().collect::<Vec<_>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some((i, snippet)) = queue.lock().unwrap().pop() else {
                    break;
                };
                let outcome = run_one(&snippet, &testutils);
                results.lock().unwrap().push((i, snippet, outcome));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| r.0);
    results.into_iter().map(|(_, s, o)| (s, o)).collect()
}

/// The committed minimum share for `set` (`NAME SHARE` lines).
fn baseline(set: &str) -> f64 {
    let text = std::fs::read_to_string(corpus_dir().join("baseline.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .find(|(name, _)| *name == set)
        .map(|(_, share)| share.trim().parse().unwrap())
        .unwrap_or_else(|| panic!("baseline.txt has no line for {set}"))
}

/// `SET/NAME` of each crash tests/python_corpus/known_crashes.txt lists.
fn known_crashes() -> Vec<String> {
    let text = std::fs::read_to_string(corpus_dir().join("known_crashes.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

/// Summarise, write the report, and check crashes and the baseline.
fn check(label: &str, results: &[(Snippet, Outcome)]) -> String {
    let on_cpython: Vec<_> = results.iter().filter(|(_, o)| o.cpython_ok).collect();
    let both = on_cpython.iter().filter(|(_, o)| o.aicoder_ok).count();
    let share = both as f64 / on_cpython.len().max(1) as f64;
    let known = known_crashes();
    let crashed: Vec<_> = results.iter().filter(|(_, o)| o.crashed).collect();
    let crashes: Vec<_> = crashed
        .iter()
        .filter(|(s, _)| !known.contains(&format!("{}/{}", s.set, s.name)))
        .map(|(s, o)| format!("{}/{}: {}", s.set, s.name, o.detail))
        .collect();
    let mut report = format!(
        "{label}: {both} of {} that pass on CPython pass under aicoder ({:.1}%); {} snippets in all, {} crashed ({} of them known)\n",
        on_cpython.len(),
        share * 100.0,
        results.len(),
        crashed.len(),
        crashed.len() - crashes.len()
    );
    for (s, o) in &on_cpython {
        if !o.aicoder_ok {
            let kind = if o.crashed { "crashes" } else { "differs" };
            report.push_str(&format!("  {kind} {}/{}: {}\n", s.set, s.name, o.detail));
        }
    }
    assert!(
        crashes.is_empty(),
        "snippets crashed the interpreter:\n{crashes:#?}\n{report}"
    );
    let floor = baseline(label);
    assert!(
        share >= floor,
        "{label}: {:.1}% pass on both, below the baseline {:.1}%\n{report}",
        share * 100.0,
        floor * 100.0
    );
    report
}

fn write_report(name: &str, report: &str) {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target");
    let _ = std::fs::write(target.join(name), report);
}

#[test]
fn model_style_corpus_matches_cpython() {
    let snippets = model_corpus();
    assert!(snippets.len() >= 300, "{} snippets", snippets.len());
    let results = run_all(snippets);
    let report = check("corpus", &results);
    write_report("python-fidelity-corpus.txt", &report);
    println!("{report}");
}

#[test]
fn rustpython_snippets_match_cpython() {
    let Some(dir) = rustpython_snippets_dir() else {
        println!("SKIPPED: RustPython's snippets are not on this machine (see the module doc)");
        return;
    };
    let results = run_all(rustpython_snippets(&dir));
    let report = check("rustpython", &results);
    write_report("python-fidelity-rustpython.txt", &report);
    println!("{report}");
}

#[test]
fn the_committed_module_list_imports() {
    let text = std::fs::read_to_string(corpus_dir().join("modules.txt")).unwrap();
    let modules: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(modules.len() >= 100, "{}", modules.len());
    let names = literal(&modules.join(" "));
    let code = format!(
        "import importlib\nfailed = []\nfor _n in {names}.split():\n    try:\n        importlib.import_module(_n)\n    except BaseException as _e:\n        failed.append(f'{{_n}}: {{type(_e).__name__}}: {{_e}}')\nprint(len(failed))\nprint('\\n'.join(failed))"
    );
    let p = Project::new();
    let out = p.run(&["py", "-c", &code]).ok();
    assert!(out.starts_with("0\n"), "modules that do not import:\n{out}");
}
