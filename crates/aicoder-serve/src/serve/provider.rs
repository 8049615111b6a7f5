//! The [`ToolProvider`] the MCP server runs over: each call goes to the
//! worker thread that owns the plugins, and the grant questions go to the
//! person through the client. Nothing a client sends is read as a grant but
//! the answer to a question this call asked.

use super::question::{self, Decision};
use super::worker::{Job, Offer};
use aicoder_mcp::server::{
    Answer, CallContext, CallOutcome, PromptSpec, ProviderError, ToolProvider, ToolSpec,
};
use async_trait::async_trait;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// How often a running call reports progress.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// aicoder's plugins as MCP tools.
pub struct PluginProvider {
    pub jobs: Mutex<mpsc::Sender<Job>>,
    pub offer: Arc<Mutex<Offer>>,
    pub changes: tokio::sync::watch::Receiver<u64>,
}

impl PluginProvider {
    /// Hand a job to the worker and wait for its answer.
    async fn ask_worker<T>(
        &self,
        make: impl FnOnce(oneshot::Sender<T>) -> Job,
    ) -> Result<T, ProviderError> {
        let (tx, rx) = oneshot::channel();
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(make(tx))
            .map_err(|_| ProviderError::Internal("the plugin host has stopped".into()))?;
        rx.await
            .map_err(|_| ProviderError::Internal("the plugin host has stopped".into()))
    }

    fn client_name(ctx: &CallContext) -> String {
        if ctx.client.name.is_empty() {
            "an unnamed client".to_string()
        } else {
            ctx.client.name.clone()
        }
    }
}

#[async_trait]
impl ToolProvider for PluginProvider {
    fn identity(&self) -> (String, String) {
        ("aicoder".into(), env!("CARGO_PKG_VERSION").into())
    }

    fn instructions(&self) -> Option<String> {
        Some(
            "Tools of aicoder's plugins, each running in a WebAssembly sandbox. A call that needs \
             a capability the plugin was not granted asks the person (or fails naming the \
             `aicoder plugin grant` command to run); grants are never made by a tool call."
                .into(),
        )
    }

    async fn tools(&self) -> Vec<ToolSpec> {
        self.offer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .tools
            .clone()
    }

    async fn prompts(&self) -> Vec<PromptSpec> {
        self.offer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .prompts
            .clone()
    }

    fn changes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        Some(self.changes.clone())
    }

    fn connected(&self, client: &aicoder_mcp::server::ClientInfo) {
        eprintln!(
            "aicoder mcp serve: client {} {} connected",
            crate::term::sanitize::visible(&client.name),
            crate::term::sanitize::visible(&client.version)
        );
    }

    async fn call(
        &self,
        tool: &str,
        arguments: Map<String, Value>,
        ctx: CallContext,
    ) -> Result<CallOutcome, ProviderError> {
        let known = self
            .offer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .tools
            .iter()
            .any(|t| t.name == tool);
        if !known {
            return Err(ProviderError::UnknownTool(tool.to_string()));
        }
        let client = Self::client_name(&ctx);
        let args = Value::Object(arguments).to_string();
        let prepared = match self
            .ask_worker(|reply| Job::Prepare {
                tool: tool.to_string(),
                args: args.clone(),
                reply,
            })
            .await?
        {
            Ok(p) => p,
            Err(outcome) => return Ok(outcome),
        };
        let mut refusals: Vec<String> = prepared
            .denied
            .iter()
            .map(|cap| {
                format!(
                    "{cap} is denied to {} (`aicoder plugin revoke {} {cap}` withdraws a lasting denial)",
                    prepared.plugin, prepared.plugin
                )
            })
            .collect();
        let can_ask = ctx.asker.can_ask();
        for need in &prepared.needs {
            if !refusals.is_empty() {
                break;
            }
            if !can_ask {
                refusals.push(format!(
                    "{} needs {}{}, not granted, and this client cannot ask you (no elicitation); run {} in {}, then call again",
                    prepared.plugin,
                    need.capability,
                    need.target.as_deref().map(|t| format!(" ({t})")).unwrap_or_default(),
                    question::grant_command(&prepared.plugin, need),
                    std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
                ));
                continue;
            }
            let message = question::message(
                &prepared.plugin,
                &prepared.version,
                prepared.id.short_hash(),
                tool,
                &client,
                &prepared.preview,
                need,
            );
            let decision = match ctx.asker.ask(&message, question::schema(need)).await {
                Answer::Accepted(fields) => question::read_answer(need, &fields),
                Answer::Declined => Decision::NotGranted("you declined".into()),
                Answer::Cancelled => Decision::NotGranted("the question was dismissed".into()),
                Answer::Unavailable(why) => Decision::NotGranted(format!(
                    "the question could not be asked ({why}); run {}",
                    question::grant_command(&prepared.plugin, need)
                )),
            };
            let granted = self
                .ask_worker(|reply| Job::Grant {
                    id: prepared.id.clone(),
                    need: need.clone(),
                    decision,
                    client: client.clone(),
                    reply,
                })
                .await?;
            if let Err(why) = granted {
                refusals.push(format!(
                    "{} was not granted {}: {why}",
                    prepared.plugin, need.capability
                ));
            }
        }
        let refusal = (!refusals.is_empty()).then(|| format!("not run: {}", refusals.join("; ")));
        let cancelled = Arc::new(AtomicBool::new(false));
        let (tx, mut rx) = oneshot::channel();
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(Job::Call {
                id: prepared.id.clone(),
                tool: tool.to_string(),
                args,
                client,
                refusal,
                cancelled: cancelled.clone(),
                reply: tx,
            })
            .map_err(|_| ProviderError::Internal("the plugin host has stopped".into()))?;
        let started = Instant::now();
        let mut ticks = tokio::time::interval(PROGRESS_EVERY);
        ticks.tick().await;
        let mut cancel_seen = false;
        loop {
            tokio::select! {
                outcome = &mut rx => {
                    return outcome.map_err(|_| ProviderError::Internal("the plugin host has stopped".into()));
                }
                _ = ticks.tick() => {
                    let secs = started.elapsed().as_secs_f64();
                    ctx.progress.report(secs, &format!("{tool} running for {secs:.0} s")).await;
                }
                _ = ctx.cancelled.cancelled(), if !cancel_seen => {
                    cancel_seen = true;
                    // The worker runs one call at a time: the process-wide
                    // stop flag (the epoch callback reads it) ends this one.
                    cancelled.store(true, Ordering::SeqCst);
                    crate::interrupt::flag().store(true, Ordering::SeqCst);
                }
            }
        }
    }

    async fn prompt(
        &self,
        name: &str,
        arguments: Map<String, Value>,
        ctx: CallContext,
    ) -> Result<String, ProviderError> {
        let known = self
            .offer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .prompts
            .iter()
            .any(|p| p.name == name);
        if !known {
            return Err(ProviderError::UnknownPrompt(name.to_string()));
        }
        let args = arguments
            .get("args")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let client = Self::client_name(&ctx);
        self.ask_worker(|reply| Job::Prompt {
            command: name.to_string(),
            args,
            client,
            reply,
        })
        .await?
        .map_err(|e| ProviderError::BadArguments(e.to_string()))
    }
}
