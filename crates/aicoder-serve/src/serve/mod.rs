//! `aicoder mcp serve`: the plugins of this folder offered as MCP tools to
//! any agent, over stdio or Streamable HTTP (aicoder-mcp's generic server).
//!
//! Grants are the person's alone: a call that needs a capability its plugin
//! lacks asks through MCP elicitation (question.rs), or fails naming the
//! `aicoder plugin grant` command. One thread owns the plugins (worker.rs);
//! every call is audited in the project's chain with `via: mcp:CLIENT`.

mod provider;
pub mod question;
mod worker;

use crate::app::App;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::sync::{mpsc, Arc, Mutex};

pub use worker::SERVED;

/// What to serve and how.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Streamable HTTP on this address instead of stdio.
    pub http: Option<SocketAddr>,
    /// Offer only these plugins (all when empty).
    pub plugins: Vec<String>,
}

/// Serve until the client closes stdin (stdio) or the process is stopped
/// (HTTP).
pub fn run(options: ServeOptions, session_grants: &[String]) -> Result<()> {
    let (jobs_tx, jobs_rx) = mpsc::channel();
    let offer = Arc::new(Mutex::new(worker::Offer::default()));
    let (changes_tx, changes_rx) = tokio::sync::watch::channel(0u64);
    let (ready_tx, ready_rx) = mpsc::channel::<Result<()>>();
    let grants = session_grants.to_vec();
    let only = options.plugins.clone();
    let worker_offer = offer.clone();
    // The plugin host lives and dies on this thread.
    let worker = std::thread::Builder::new()
        .name("aicoder-plugins".into())
        .spawn(move || {
            let app = match App::open(&grants, None) {
                Ok(app) => app,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            // No session: a served call's session-only writes are refused
            // (caps/one_shot.rs), before any call runs.
            app.host
                .services()
                .set_one_shot(crate::caps::OneShot::mcp_serve());
            for name in &only {
                if app.host.plugin(name).is_none() {
                    eprintln!(
                        "aicoder mcp serve: --plugin {name}: no plugin of that name is loaded (`aicoder plugin list` shows what is)"
                    );
                }
            }
            let worker = worker::Worker {
                app,
                only,
                offer: worker_offer,
                changes: changes_tx,
            };
            worker.publish();
            let _ = ready_tx.send(Ok(()));
            worker.run(jobs_rx);
        })
        .context("cannot start the plugin thread")?;
    ready_rx
        .recv()
        .context("the plugin thread stopped while starting")??;
    let tools = offer.lock().unwrap_or_else(|p| p.into_inner()).tools.len();
    let provider = Arc::new(provider::PluginProvider {
        jobs: Mutex::new(jobs_tx),
        offer,
        changes: changes_rx,
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = match options.http {
        None => {
            eprintln!("aicoder mcp serve: {tools} tool(s) over stdio");
            let (read, write) = protocol_stdio()?;
            runtime.block_on(aicoder_mcp::server::serve_io(provider, read, write))
        }
        Some(addr) => {
            let token = aicoder_mcp::server::new_token().context("cannot make a bearer token")?;
            let options = aicoder_mcp::server::HttpOptions {
                addr,
                token: token.clone(),
            };
            runtime.block_on(aicoder_mcp::server::serve_http(provider, options, |bound| {
                if !bound.ip().is_loopback() {
                    eprintln!(
                        "aicoder mcp serve: listening on {bound}, which is not a loopback address: anyone who can reach it and has the token can call the tools"
                    );
                }
                // stdout: the address and token, for the person (or a script) to pass on.
                println!("url: http://{bound}/mcp");
                println!("token: {token}");
                eprintln!(
                    "aicoder mcp serve: {tools} tool(s) at http://{bound}/mcp (send `Authorization: Bearer TOKEN`)"
                );
            }))
        }
    };
    // Dropping the runtime drops the provider and with it the job sender,
    // which ends the worker after its current job.
    drop(runtime);
    let _ = worker.join();
    result
}

/// The protocol's stdin and stdout. Standard output is moved to a new
/// descriptor for the protocol alone, and descriptor 1 then points at
/// stderr: anything else printed (a plugin's output, a warning) cannot
/// corrupt the JSON-RPC stream.
fn protocol_stdio() -> Result<(tokio::io::Stdin, tokio::fs::File)> {
    use std::os::fd::FromRawFd;
    // SAFETY: dup and dup2 on descriptors this process owns; the new
    // descriptor is owned by the File made from it and by nothing else.
    let out = unsafe {
        let fd = libc::dup(1);
        if fd < 0 {
            return Err(std::io::Error::last_os_error()).context("cannot duplicate stdout");
        }
        if libc::dup2(2, 1) < 0 {
            return Err(std::io::Error::last_os_error()).context("cannot redirect stdout");
        }
        std::fs::File::from_raw_fd(fd)
    };
    Ok((tokio::io::stdin(), tokio::fs::File::from_std(out)))
}
