//! `ctx.host`: every function of the contract from Python, by its WIT name,
//! written from `wit/` by plugins/python_runtime/build.rs. Each call is
//! gated and audited like `app`'s and `ctx`'s; the calls below are written
//! from the WIT too, so a new interface is tried here with no edit.

#![allow(clippy::unwrap_used)]

use aicoder::caps::HostFn;
use aicoder_tests::{root, Project};
use aicoder_witgen::sample::{Lang, Sampler};
use aicoder_witgen::{snake, Contract};
use serde_json::json;

#[test]
fn every_contract_function_is_reachable_from_python_and_refused_without_its_grant() {
    let contract = Contract::load(&root().join("wit")).unwrap();
    let sampler = Sampler {
        contract: &contract,
        lang: Lang::PythonData,
        root: "",
        text: "x",
    };
    let mut code = String::new();
    for f in contract.functions().filter(|f| f.refusable) {
        let op = f.qualified();
        code.push_str(&format!(
            "try:\n    ctx.host.{}.{}({})\n    print('{op}: ran')\n\
             except PermissionError:\n    print('{op}: denied')\n\
             except Exception as e:\n    print(f'{op}: {{type(e).__name__}}: {{e}}')\n",
            snake(&f.interface),
            snake(&f.name),
            sampler.args(f)
        ));
    }
    let p = Project::new();
    // A saved session, so the session-only writes reach their grant check.
    let session = json!({"version": 1, "messages": [{"role": "user", "content": "hello"}]});
    std::fs::write(p.work().join(".aicoder/session.json"), session.to_string()).unwrap();
    let out = p.run(&["py", "-c", &code]).ok();
    for function in HostFn::ALL {
        let line = format!("{}: denied", function.qualified_name());
        assert!(out.lines().any(|l| l == line), "{line:?} in\n{out}");
        let audited = p.audit_for(function.capability().name());
        assert!(
            audited
                .iter()
                .any(|e| e["operation"] == function.name() && e["outcome"] == "denied"),
            "{}: no denied audit line in {audited:?}",
            function.qualified_name()
        );
    }
    // Its own tools need no grant: the call reaches the lookup, and `x` is
    // not one of python_runtime's tools.
    assert!(
        out.contains("tools.set-own-tool-offered: LookupError"),
        "{out}"
    );
}

#[test]
fn host_functions_take_wit_arguments_and_give_python_values() {
    let p = Project::new();
    let code = r#"
ctx.host.data_write.write_file("notes.md", "hi")
print(ctx.host.data.read_file("project", "notes.md"))
print(ctx.host.data.list_dir(area="project", path=""))
print(ctx.host.history.count() > 0)
print(ctx.host.data.read_file.__doc__)
for bad in (lambda: ctx.host.data.read_file("nowhere", "x"),
            lambda: ctx.host.data.read_file("project"),
            lambda: ctx.host.data.read_file("project", "x", "y"),
            lambda: ctx.host.data.read_file("project", paht="x"),
            lambda: ctx.host.tools.register_tool("x"),
            lambda: ctx.host.data.nope(),
            lambda: ctx.host.nope):
    try:
        bad()
    except Exception as e:
        print(f"{type(e).__name__}: {e}")
"#;
    let out = p
        .run(&[
            "py",
            "--grant",
            "data.read,data.write,history.read",
            "-c",
            code,
        ])
        .ok();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..10],
        [
            "hi",
            "[{'is_dir': False, 'name': 'notes.md', 'size': 2}]",
            "True",
            "data.read-file(area, path): Read a UTF-8 text file. Needs data.read.",
            "ValueError: expected one of project, user, not \"nowhere\"",
            "ValueError: `path` must be a string",
            "TypeError: data.read-file takes 2 arguments (area, path), not 3",
            "TypeError: data.read-file has no parameter paht; it takes (area, path)",
            "ValueError: expected a dict with name, description, parameters_json, auto_approved, not \"x\"",
            "AttributeError: interface data has no function nope; it has list_dir, read_file",
        ],
        "{out}"
    );
    assert!(
        lines[10].starts_with("AttributeError: the contract has no interface nope; it has config, data, data_write, fs,"),
        "{out}"
    );
    let writes = p.audit_for("data.write");
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(writes[0]["operation"], "write-file");
    assert_eq!(writes[0]["outcome"], "allowed");
}

#[test]
fn the_preview_proposes_what_host_calls_need() {
    let dir = tempfile::tempdir().unwrap();
    let mut host = aicoder_tests::default_host(dir.path(), &["python_runtime"]);
    let code = "ctx.host.ui_bell.bell()\nctx.host.data_write.write_file('a', 'b')\nctx.host.hooks.known_events()";
    let args = json!({ "code": code }).to_string();
    let preview = host
        .preview_tool("python_runtime", "run_inline_python", &args)
        .unwrap();
    assert_eq!(preview.capabilities, ["data.write", "ui.bell"]);
}
