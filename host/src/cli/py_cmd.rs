//! `aicoder py`: run Python in python_runtime against the app state of this
//! folder's session (or `--session FILE`), print the result, exit non-zero on
//! an exception or a denial. Changes the code makes to the conversation are
//! saved back to the session file, atomically; without a session file they
//! are refused (nowhere to keep them). It opens the app alone: no
//! model client, no async runtime.

use crate::app::App;
use anyhow::{bail, Context, Result};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

/// Options of `aicoder py`.
#[derive(Debug, clap::Args)]
pub struct PyArgs {
    /// Code to run.
    #[arg(short = 'c', value_name = "CODE", conflicts_with = "file")]
    code: Option<String>,
    /// A Python file to run, or `-` for standard input.
    file: Option<PathBuf>,
}

pub fn run(args: PyArgs, grants: &[String], session_file: Option<PathBuf>) -> Result<ExitCode> {
    let code = match (&args.code, &args.file) {
        (Some(code), _) => code.clone(),
        (None, Some(path)) if path.as_os_str() == "-" => {
            let mut code = String::new();
            std::io::stdin()
                .read_to_string(&mut code)
                .context("cannot read the code from standard input")?;
            code
        }
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        (None, None) => bail!(
            "give the code: aicoder py -c CODE, aicoder py FILE, or aicoder py - (standard input)"
        ),
    };
    // `--grant CAP[:SCOPE]` means a capability for python_runtime.
    let grants: Vec<String> = grants
        .iter()
        .map(|g| {
            let first = g.split(':').next().unwrap_or_default();
            let names_capability = first
                .split(',')
                .all(|c| crate::caps::Capability::parse(c.trim()).is_some());
            if g.contains(':') && !names_capability {
                g.clone()
            } else {
                format!("python_runtime:{g}")
            }
        })
        .collect();
    // Only python_runtime is compiled if the cache is cold; a renamed file
    // holding it is found by the full open below.
    let mut app = App::open_only(&grants, &["python_runtime"])?;
    if app.host.plugin("python_runtime").is_none() {
        app = App::open(&grants, None)?;
    }
    if app.host.plugin("python_runtime").is_none() {
        bail!("the python_runtime plugin is not loaded (is it in PLUGINS_DENY, or not built? `make build` builds it)");
    }
    let path = session_file.unwrap_or_else(|| crate::session::default_session_file(&app.paths));
    let loaded = path.exists();
    if loaded {
        crate::session::load_conversation(&mut app, &path)?;
    } else {
        // Nowhere to save the conversation back to: a history write would
        // be lost, so it is refused (caps/one_shot.rs).
        app.host
            .services()
            .set_one_shot(crate::caps::OneShot::py_without_session_file(&path));
    }
    let before = app.state().messages.clone();
    let args = serde_json::json!({ "code": code }).to_string();
    let result = app
        .host
        .call_tool("python_runtime", "run_inline_python", &args);
    if loaded && app.state().messages != before {
        let n = crate::session::save_conversation(&app, &path)?;
        eprintln!("aicoder: saved {n} messages to {}", path.display());
    }
    match result {
        Ok(out) => {
            println!("{}", out.detail);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprintln!("{err}");
            Ok(ExitCode::FAILURE)
        }
    }
}
