//! python_runtime's doors with the names Python users expect (open, os,
//! pathlib, shutil, tempfile, subprocess, urllib.request), through the real
//! binary: allowed with the grant, refused without it with the exception
//! CPython raises (PermissionError naming the capability), audited, and
//! undoable where the capability writes. Also the ordinary code that used to
//! crash RustPython 0.5 (docs/python_runtime.md, vendor/README.md).

#![allow(clippy::unwrap_used)]

use aicoder_tests::Project;

fn py(p: &Project, grant: Option<&str>, code: &str) -> aicoder_tests::Run {
    let mut args = vec!["py"];
    if let Some(g) = grant {
        args.extend(["--grant", g]);
    }
    args.extend(["-c", code]);
    p.run(&args)
}

#[test]
fn ordinary_code_that_crashed_runtime_python_now_runs() {
    let mut p = Project::new();
    // Generous: 33,000 json.dumps calls take seconds on a loaded machine.
    p.env("PLUGIN_TIMEOUT_MS", "300000");
    let cases = [
        ("print(len(list(range(100000))))", "100000"),
        ("print(len([str(i) for i in range(40000)]))", "40000"),
        ("x = 'ab'\nl = [x for _ in range(100000)]\nprint(len(l))", "100000"),
        (
            "text = '\\n'.join(f'line {i}' for i in range(100000))\nprint(len(text.splitlines()))",
            "100000",
        ),
        (
            "import json\nfor i in range(33000):\n    json.dumps({'i': i})\nprint('ok')",
            "ok",
        ),
        (
            "def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError:\n    print('RecursionError')",
            "RecursionError",
        ),
    ];
    for (code, expect) in cases {
        let out = py(&p, None, code).ok();
        assert!(out.lines().next() == Some(expect), "{code}: {out}");
    }
    // The 71-module import loop of the issue.
    let names = "abc argparse array ast base64 binascii bisect calendar cmath codecs collections \
        colorsys configparser contextlib copy csv dataclasses datetime decimal difflib dis email enum \
        errno fnmatch fractions functools gc getopt gettext glob graphlib hashlib heapq hmac html \
        inspect io ipaddress itertools json keyword linecache locale logging math mimetypes numbers \
        operator optparse os pathlib pickle pprint queue random re reprlib secrets shlex shutil stat \
        statistics string struct tempfile textwrap time timeit tokenize traceback types typing \
        unicodedata uuid warnings weakref zipfile";
    assert!(names.split_whitespace().count() >= 71);
    let code = format!(
        "import importlib\nmods = [importlib.import_module(n) for n in {names:?}.split()]\nprint(len(mods))"
    );
    let out = py(&p, None, &code).ok();
    assert!(
        out.starts_with(&names.split_whitespace().count().to_string()),
        "{out}"
    );
}

#[test]
fn open_reads_through_fs_read_and_is_refused_without_it() {
    let p = Project::new();
    std::fs::write(p.work().join("notes.md"), "# Notes\nline two\n").unwrap();
    let code = "print(open('notes.md').read().splitlines()[1])";
    let err = py(&p, None, code).fails();
    assert!(err.contains("PermissionError"), "{err}");
    assert!(err.contains("fs.read is not granted"), "{err}");
    assert!(err.contains("--grant python_runtime:fs.read"), "{err}");
    assert_eq!(p.audit_for("fs.read")[0]["outcome"], "denied");

    let out = py(&p, Some("fs.read"), code).ok();
    assert_eq!(out.trim(), "line two");
    let lines = p.audit_for("fs.read");
    assert_eq!(lines.last().unwrap()["outcome"], "allowed");

    // The names Python users reach for, each through fs.read.
    std::fs::create_dir_all(p.work().join("src")).unwrap();
    std::fs::write(p.work().join("src/a.py"), "x = 1\n").unwrap();
    let code = "import os, pathlib\n\
                print(sorted(os.listdir('.')), os.path.exists('notes.md'), os.path.exists('nope'))\n\
                print(os.stat('src/a.py').st_size, os.path.isdir('src'), pathlib.Path('src/a.py').read_text().strip())\n\
                print(sorted(str(q) for q in pathlib.Path('.').rglob('*.py')))";
    let out = py(&p, Some("fs.read"), code).ok();
    assert_eq!(
        out.trim(),
        "['.aicoder', 'notes.md', 'src'] True False\n6 True x = 1\n['src/a.py']"
    );
    // Without the grant, exists() does not pretend the file is missing.
    let err = py(&p, None, "import os\nprint(os.path.exists('notes.md'))").fails();
    assert!(
        err.contains("PermissionError") && err.contains("fs.read"),
        "{err}"
    );
    let err = py(&p, None, "import os\nos.listdir('.')").fails();
    assert!(
        err.contains("PermissionError") && err.contains("fs.read"),
        "{err}"
    );
    // Nor do the doors that swallow OSError in the library (genericpath,
    // os.walk's onerror, glob's folder scan): each answers the refusal.
    let code = "import os, glob, pathlib\n\
                r = []\n\
                for f in (lambda: os.path.isfile('notes.md'), lambda: os.path.isdir('src'),\n\
                          lambda: list(os.walk('.')), lambda: glob.glob('*.md'),\n\
                          lambda: list(pathlib.Path('.').rglob('*.py')),\n\
                          lambda: pathlib.Path('notes.md').exists()):\n\
                \x20   try:\n\
                \x20       r.append(repr(f()))\n\
                \x20   except PermissionError as e:\n\
                \x20       r.append('refused' if 'fs.read' in str(e) else str(e))\n\
                print(r)";
    let out = py(&p, None, code).ok();
    assert_eq!(
        out.lines().next().unwrap_or_default(),
        format!("{:?}", ["refused"; 6]).replace('"', "'")
    );
}

#[test]
fn writes_go_through_fs_write_are_audited_and_undone() {
    let p = Project::new();
    let file = p.work().join("out.txt");
    std::fs::write(&file, "before\n").unwrap();
    let code = "with open('out.txt', 'w') as f:\n    f.write('after\\n')";
    let err = py(&p, Some("fs.read"), code).fails();
    assert!(
        err.contains("PermissionError") && err.contains("fs.write is not granted"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "before\n");
    assert_eq!(p.audit_for("fs.write")[0]["outcome"], "denied");

    py(&p, Some("fs.read,fs.write"), code).ok();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "after\n");
    let write = p.audit_for("fs.write").pop().unwrap();
    assert_eq!(write["outcome"], "allowed");
    assert_eq!(write["operation"], "write-file");

    let out = p.run(&["audit", "undo", "1", "--yes"]).ok();
    assert!(out.contains("undone"), "{out}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "before\n");

    // pathlib and shutil are the same door.
    let code = "import pathlib, shutil\npathlib.Path('docs/new.md').write_text('hello\\n')\n\
                shutil.copy('docs/new.md', 'docs/copy.md')\nprint(open('docs/copy.md').read().strip())";
    let out = py(&p, Some("fs.read,fs.write"), code).ok();
    assert_eq!(out.trim(), "hello");
    assert_eq!(
        std::fs::read_to_string(p.work().join("docs/copy.md")).unwrap(),
        "hello\n"
    );
}

#[test]
fn files_outside_the_workspace_and_aicoders_own_stay_out_of_reach() {
    let p = Project::new();
    for (code, expect) in [
        ("open('/etc/passwd').read()", "PermissionError"),
        // A write is checked when the file is flushed or closed.
        (
            "with open('../outside.txt', 'w') as f:\n    f.write('x')",
            "PermissionError",
        ),
        (
            "with open('.aicoder/audit.jsonl', 'a') as f:\n    f.write('{}')",
            "PermissionError",
        ),
        // The temporary folder is the runtime's own, in memory: `..` out of
        // it is an ordinary path, checked by the host like any other.
        (
            "open('/tmp/aicoder-python/../../etc/passwd').read()",
            "PermissionError",
        ),
        ("import os\nos.remove('notes.md')", "PermissionError"),
    ] {
        let err = py(&p, Some("fs.read,fs.write"), code).fails();
        assert!(err.contains(expect), "{code}: {err}");
    }
    assert!(!p.dir.path().join("outside.txt").exists());
    // Temporary files need no grant and never reach the machine.
    let code = "import tempfile, os\nwith tempfile.NamedTemporaryFile('w+', suffix='.txt') as f:\n    \
                f.write('temp')\n    f.seek(0)\n    print(f.read(), f.name.startswith(tempfile.gettempdir()))\n\
                d = tempfile.mkdtemp()\nopen(os.path.join(d, 'x'), 'w').write('y')\nprint(os.listdir(d))";
    let out = py(&p, None, code).ok();
    assert!(out.starts_with("temp True\n['x']"), "{out}");
    assert!(!std::path::Path::new("/tmp/aicoder-python").exists());
    assert!(p
        .audit_for("fs.write")
        .iter()
        .all(|e| e["outcome"] != "allowed"));
}

#[test]
fn subprocess_runs_through_shell_exec() {
    let p = Project::new();
    let code = "import subprocess\nr = subprocess.run(['echo', 'hi there'], capture_output=True, text=True)\n\
                print(repr(r.stdout), r.returncode)\n\
                print(subprocess.check_output('echo $((6*7))', shell=True))";
    let err = py(&p, None, code).fails();
    assert!(
        err.contains("PermissionError") && err.contains("shell.exec"),
        "{err}"
    );
    assert_eq!(p.audit_for("shell.exec")[0]["outcome"], "denied");
    let out = py(&p, Some("shell.exec"), code).ok();
    assert!(out.starts_with("'hi there\\n' 0\nb'42\\n'"), "{out}");
    assert_eq!(
        p.audit_for("shell.exec").last().unwrap()["outcome"],
        "allowed"
    );
    let code = "import subprocess\ntry:\n    subprocess.run('exit 3', shell=True, check=True)\n\
                except subprocess.CalledProcessError as e:\n    print('status', e.returncode)";
    let out = py(&p, Some("shell.exec"), code).ok();
    assert!(out.starts_with("status 3"), "{out}");
}

/// A local HTTP server answering `/` with a fixed body and echoing a POST.
fn serve() -> u16 {
    use aicoder_tests::http::response;
    aicoder_tests::http::serve(|request| match request.path.as_str() {
        "/moved" => response("302 Found", &["location: /"], ""),
        "/missing" => response("404 Not Found", &[], ""),
        _ => response(
            "200 OK",
            &["content-type: application/json"],
            &format!(
                "{{\"method\": \"{}\", \"body\": \"{}\"}}",
                request.method,
                String::from_utf8_lossy(&request.body)
            ),
        ),
    })
}

#[test]
fn urllib_request_goes_through_net_fetch_per_host() {
    let p = Project::new();
    let port = serve();
    let code = format!(
        "import urllib.request, json\n\
         with urllib.request.urlopen('http://127.0.0.1:{port}/moved') as r:\n    \
             print(r.status, json.loads(r.read())['method'])\n\
         req = urllib.request.Request('http://127.0.0.1:{port}/', data=b'a=1', method='POST')\n\
         print(json.loads(urllib.request.urlopen(req).read()))\n\
         try:\n    urllib.request.urlopen('http://127.0.0.1:{port}/missing')\n\
         except urllib.error.HTTPError as e:\n    print('HTTPError', e.code)"
    );
    let err = py(&p, None, &code).fails();
    assert!(
        err.contains("PermissionError") && err.contains("net.fetch"),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "--grant python_runtime:net.fetch:127.0.0.1:{port}"
        )),
        "{err}"
    );
    let grant = format!("net.fetch:127.0.0.1:{port}");
    let out = py(&p, Some(&grant), &code).ok();
    assert!(
        out.starts_with("200 GET\n{'method': 'POST', 'body': 'a=1'}\nHTTPError 404"),
        "{out}"
    );
    let lines = p.audit_for("net.fetch");
    assert_eq!(lines[0]["outcome"], "denied");
    // The redirect is two requests, each checked; then the POST and the 404.
    assert_eq!(
        lines.iter().filter(|l| l["outcome"] == "allowed").count(),
        4,
        "{lines:#?}"
    );
    // Another host is refused even with that grant.
    let err = py(
        &p,
        Some(&grant),
        "import urllib.request\nurllib.request.urlopen('http://127.0.0.2:1/')",
    )
    .fails();
    assert!(err.contains("PermissionError"), "{err}");
}
