//! The contract as published artefacts: the WIT package `wkg wit build`
//! makes (`make wit-package`) holds exactly the contract in `wit/`, with its
//! docs and wkg.toml's metadata; and the SDK crate `cargo package` makes
//! carries the WIT files it is generated from.

#![allow(clippy::unwrap_used)]

use aicoder_tests::{root, run_ok, Project};
use std::collections::BTreeMap;
use std::process::Command;
use wit_component::{DecodedWasm, WitPrinter};
use wit_parser::{PackageId, Resolve};

/// Each interface of `pkg` with its functions' names, sorted.
fn shape(resolve: &Resolve, pkg: PackageId) -> BTreeMap<String, Vec<String>> {
    resolve.packages[pkg]
        .interfaces
        .iter()
        .map(|(name, id)| {
            let mut funcs: Vec<String> =
                resolve.interfaces[*id].functions.keys().cloned().collect();
            funcs.sort();
            (name.clone(), funcs)
        })
        .collect()
}

#[test]
fn the_wit_package_is_the_contract() {
    let file = root().join("target/wit-package/aicoder-plugin.wasm");
    let bytes = std::fs::read(&file).unwrap_or_else(|e| {
        panic!(
            "{} is missing ({e}): `make wit-package` builds it",
            file.display()
        )
    });
    let DecodedWasm::WitPackage(built, built_pkg) = wit_component::decode(&bytes).unwrap() else {
        panic!("{} is a component, not a WIT package", file.display());
    };
    let mut source = Resolve::default();
    let (source_pkg, _) = source.push_dir(root().join("wit")).unwrap();

    let name = &built.packages[built_pkg].name;
    assert_eq!(name.to_string(), "aicoder:plugin@0.2.0");
    assert_eq!(*name, source.packages[source_pkg].name);
    let interfaces = shape(&built, built_pkg);
    assert_eq!(interfaces, shape(&source, source_pkg));
    assert!(interfaces.len() >= 16, "{interfaces:?}");
    assert!(built.packages[built_pkg].worlds.contains_key("plugin"));

    // The same text, docs included: what an author fetches is what the
    // host implements.
    let print = |resolve: &Resolve, pkg: PackageId| {
        let mut printer = WitPrinter::default();
        printer.print(resolve, pkg, &[]).unwrap();
        printer.output.to_string()
    };
    let text = print(&built, built_pkg);
    assert_eq!(text, print(&source, source_pkg));
    assert!(
        text.contains("the ceiling of what it can ever be granted"),
        "docs kept"
    );

    // wkg.toml's metadata went in.
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(
        haystack.contains("The aicoder plugin contract") && haystack.contains("MIT OR Apache-2.0"),
        "wkg.toml's description and licence are in the package"
    );
}

/// `wkg`, installed by `make test` (make wit-package).
fn wkg() -> std::path::PathBuf {
    let wkg = root().join("target/tools/bin/wkg");
    assert!(
        wkg.exists(),
        "{} is missing: `make wit-package` installs it",
        wkg.display()
    );
    wkg
}

/// The author's side: the package published to a registry (here wkg's
/// local-folder registry) is fetched by `wkg wit fetch` into a project made
/// by `plugin new` with its copied contract removed, and the component built
/// from it has the ceiling the project asked for.
#[test]
fn an_author_fetches_the_package_instead_of_copying_it() {
    let componentize_py = root().join("target/py-venv/bin/componentize-py");
    assert!(
        componentize_py.exists(),
        "`make test` installs componentize-py"
    );
    let p = Project::new();
    let registry = p.dir.path().join("registry");
    let config = p.dir.path().join("wkg-config.toml");
    std::fs::write(
        &config,
        format!(
            "[namespace_registries]\naicoder = \"local.test\"\n\n\
             [registry.\"local.test\"]\ntype = \"local\"\n\n\
             [registry.\"local.test\".local]\nroot = {:?}\n",
            registry.display().to_string()
        ),
    )
    .unwrap();
    let wkg = |args: &[&str], dir: &std::path::Path| {
        let mut cmd = Command::new(wkg());
        cmd.args(args)
            .arg("--config")
            .arg(&config)
            .arg("--cache")
            .arg(p.dir.path().join("wkg-cache"))
            .current_dir(dir);
        run_ok(&format!("wkg {args:?}"), &mut cmd)
    };
    let package = root().join("target/wit-package/aicoder-plugin.wasm");
    wkg(&["publish", package.to_str().unwrap()], p.dir.path());
    assert!(registry.join("aicoder/plugin/0.2.0.wasm").is_file());

    p.run(&[
        "plugin",
        "new",
        "fetched",
        "--lang",
        "python",
        "--caps",
        "log,fs.read",
    ])
    .ok();
    let dir = p.work().join("fetched");
    std::fs::remove_dir_all(dir.join("wit/deps")).unwrap();
    wkg(&["wit", "fetch"], &dir);
    let fetched = std::fs::read_dir(dir.join("wit/deps"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    assert_eq!(
        fetched,
        ["aicoder-plugin-0.2.0"],
        "wit/deps after the fetch"
    );
    assert!(std::fs::read_to_string(dir.join("wkg.lock"))
        .unwrap()
        .contains("aicoder:plugin"));

    run_ok(
        "componentize-py",
        Command::new(&componentize_py)
            .args([
                "-d",
                "wit",
                "-w",
                "plugin",
                "componentize",
                "app",
                "-o",
                "fetched.wasm",
            ])
            .current_dir(&dir),
    );
    let out = p
        .run(&[
            "plugin",
            "install",
            dir.join("fetched.wasm").to_str().unwrap(),
        ])
        .ok();
    assert!(
        out.contains("ceiling:     log, fs.read, fs.write\n"),
        "{out}"
    );
}

#[test]
fn the_sdk_crate_carries_its_wit() {
    let listed = run_ok(
        "cargo package --list",
        Command::new(env!("CARGO"))
            .args([
                "package",
                "--list",
                "--allow-dirty",
                "-p",
                "aicoder-plugin-sdk",
            ])
            .current_dir(root()),
    );
    let mut wit_files = 0;
    for entry in std::fs::read_dir(root().join("guest-sdk/wit")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".wit") {
            assert!(
                listed.lines().any(|l| l == format!("wit/{name}")),
                "wit/{name} in:\n{listed}"
            );
            wit_files += 1;
        }
    }
    assert!(wit_files >= 16, "{wit_files}");
    assert!(listed.lines().any(|l| l == "README.md"), "{listed}");
    assert!(
        listed
            .lines()
            .all(|l| !l.starts_with("..") && !l.starts_with('/')),
        "{listed}"
    );
}
