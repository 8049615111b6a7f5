//! The entry point `@modelcontextprotocol/conformance client` drives: it
//! appends the scenario server's URL to the command and names the scenario
//! in `MCP_CONFORMANCE_SCENARIO`. aicoder's client connects as the session
//! would (Streamable HTTP), lists the tools and calls each one with
//! arguments made from its schema, then exits 0 (1 if it could not connect).
//! `make mcp-conformance` runs the core suite against it.

use aicoder_mcp::client::{Manager, Spec, State, Transport};
use serde_json::{Map, Value};
use std::process::ExitCode;
use std::time::Duration;

/// A value of the schema's type for each required property.
fn arguments(schema: &Value) -> Map<String, Value> {
    let mut args = Map::new();
    let props = schema["properties"].as_object();
    for name in schema["required"].as_array().into_iter().flatten() {
        let Some(name) = name.as_str() else { continue };
        let kind = props
            .and_then(|p| p[name]["type"].as_str())
            .unwrap_or("string");
        let value = match kind {
            "number" | "integer" => Value::from(1),
            "boolean" => Value::from(true),
            "object" => Value::Object(Map::new()),
            "array" => Value::Array(Vec::new()),
            _ => Value::from("x"),
        };
        args.insert(name.to_string(), value);
    }
    args
}

fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: conformance_client URL");
        return ExitCode::FAILURE;
    };
    let scenario = std::env::var("MCP_CONFORMANCE_SCENARIO").unwrap_or_default();
    let mut manager = match Manager::new() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    manager.add(
        "conformance",
        Spec {
            pin: None,
            transport: Transport::Http {
                url,
                headers: Default::default(),
            },
            stderr_log: None,
            startup_timeout: Duration::from_secs(20),
            call_timeout: Duration::from_secs(20),
            sandbox: None,
        },
    );
    manager.start_all();
    manager.wait_started(Duration::from_secs(25));
    let Some(status) = manager.servers().into_iter().next() else {
        return ExitCode::FAILURE;
    };
    if status.state != State::Ready {
        eprintln!("{scenario}: {}", status.state);
        return ExitCode::FAILURE;
    }
    for tool in &status.tools {
        let args = arguments(&tool.input_schema);
        match manager.call("conformance", &tool.name, args, &|| false) {
            Ok(out) => println!("{}: {}", tool.name, out.text),
            Err(e) => println!("{}: {e}", tool.name),
        }
    }
    ExitCode::SUCCESS
}
