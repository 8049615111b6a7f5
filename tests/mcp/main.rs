//! MCP both ways: servers in aicoder (sandboxed, granted) and `aicoder mcp serve` against real clients.
//! One test binary per subject: each module below was its own binary once.

mod approvals;
mod client;
mod client_http;
mod client_sandbox;
mod common;
mod completion;
mod elicitation;
mod everything_form;
mod resources_prompts;
mod serve;
mod serve_clients;
