//! What an MCP server asks of the user while one of its tools runs, and
//! what it reports: elicitation shown through the terminal question
//! (sanitised, bounded, declined when nobody is at a terminal), sampling
//! sent to the model only when the user approves that one request (never in
//! a piped run, never by YOLO, never with the conversation attached),
//! progress on the spinner, and Ctrl-C cancelling the call. Each request is
//! a line in the audit chain.

use super::mcp_form::FieldHint;
use super::Input;
use crate::caps::audit::{AuditEntry, Outcome};
use crate::caps::grants::PluginId;
use crate::caps::Services;
use crate::model::ModelClient;
use crate::term::sanitize::visible;
use crate::term::spinner::Spinner;
use aicoder_mcp::client::{CallHooks, RequestRefused, ServerRequest};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The most of a server's message (or of a sampling request's text) shown.
const SHOWN_TEXT: usize = 2048;
/// The most fields of one elicitation form asked; more is declined.
const MAX_FIELDS: usize = 24;
/// The most characters of a field's title, description or one choice shown.
const SHOWN_LABEL: usize = 200;
/// The most tokens one approved sampling request may ask of the model.
const MAX_SAMPLING_TOKENS: u64 = 4096;
/// The most questions (elicitation and sampling together) one call may put
/// to the user; later ones are declined or refused without asking, so a
/// server cannot keep the user answering (each answer also extends the
/// call's deadline).
const MAX_REQUESTS_PER_CALL: u32 = 3;

/// The session's side of one MCP call (see [`CallHooks`]).
pub(super) struct Hooks<'a> {
    /// The server's name as configured (already safe to print).
    pub server: &'a str,
    pub id: PluginId,
    /// What the spinner says (`running mcp__…`), already safe to print.
    pub label: String,
    pub spinner: Option<Spinner>,
    pub input: &'a mut Input,
    /// The model an approved sampling request goes to, and its name.
    pub model: Option<(ModelClient, String)>,
    pub runtime: &'a tokio::runtime::Runtime,
    pub services: Arc<Services>,
    /// How many questions this call has put to the user so far.
    pub requests: u32,
    /// When the call started: the spinner's clock across progress updates.
    pub started: std::time::Instant,
}

impl CallHooks for Hooks<'_> {
    fn stop(&mut self) -> bool {
        crate::interrupt::requested()
    }

    fn progress(&mut self, progress: f64, total: Option<f64>, message: Option<&str>) {
        let mut shown = match total {
            Some(total) => format!("{progress}/{total}"),
            None => format!("{progress}"),
        };
        if let Some(message) = message {
            let (message, _) = crate::util::truncate_text(message, 80);
            shown.push_str(&format!(" {}", visible(&message.replace('\n', " "))));
        }
        self.pause();
        self.spinner = Some(Spinner::start_since(
            &format!("{} ({shown})", self.label),
            self.started,
        ));
    }

    fn answer(&mut self, request: ServerRequest) -> Result<Value, RequestRefused> {
        self.pause();
        self.requests += 1;
        let answer = match &request {
            ServerRequest::Elicit(params) => Ok(self.elicit(params)),
            ServerRequest::Sample(params) => self.sample(params),
        };
        self.spinner = Some(Spinner::start_since(&self.label, self.started));
        answer
    }
}

impl Hooks<'_> {
    /// Stop the spinner before printing or asking.
    fn pause(&mut self) {
        if let Some(mut spinner) = self.spinner.take() {
            spinner.stop();
        }
    }

    fn audit(&self, operation: &str, capability: &str, args: Value, outcome: Outcome, why: &str) {
        let mut line = AuditEntry::sandbox(&self.id, operation, args, outcome, why.to_string());
        line.capability = capability.into();
        self.services.audit.record(&line);
        self.services.audit.flush();
    }

    /// `elicitation/create`: the server's message and each field asked at
    /// the terminal; the result object (accept with content, decline or
    /// cancel).
    fn elicit(&mut self, params: &Value) -> Value {
        let message = params["message"].as_str().unwrap_or_default();
        let (message, cut) = crate::util::truncate_text(message, SHOWN_TEXT);
        let logged = json!({"message": message, "cut": cut});
        let decline = |why: &str, hooks: &mut Self| {
            crate::term::spinner::eprint_line(&format!(
                "aicoder: MCP server {} asked the user a question; declined: {why}",
                hooks.server
            ));
            hooks.audit(
                "elicitation",
                "mcp.elicit",
                logged.clone(),
                Outcome::Denied,
                why,
            );
            json!({"action": "decline"})
        };
        if params["mode"] == "url" || params.get("requestedSchema").is_none() {
            return decline(
                "aicoder answers form questions only (it does not open a server's URLs)",
                self,
            );
        }
        if !self.input.interactive {
            return decline("there is no terminal to ask (a piped run)", self);
        }
        if self.requests > MAX_REQUESTS_PER_CALL {
            return decline(
                &format!("one call may ask at most {MAX_REQUESTS_PER_CALL} questions"),
                self,
            );
        }
        let empty = Map::new();
        let fields = params["requestedSchema"]["properties"]
            .as_object()
            .unwrap_or(&empty);
        if fields.len() > MAX_FIELDS {
            return decline(
                &format!(
                    "its form has {} fields (at most {MAX_FIELDS} are asked)",
                    fields.len()
                ),
                self,
            );
        }
        let required: Vec<&str> = params["requestedSchema"]["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        println!(
            "MCP server {} asks (its own words, not aicoder's):\n  {}{}",
            self.server,
            visible(&message).replace('\n', "\n  "),
            if cut { " … (cut at 2 KiB)" } else { "" }
        );
        let answer = self.input.ask_until(
            "Answer it? [y/N] (n declines, Ctrl-C cancels): ",
            "answer y to fill in the form, n (or Enter) to decline",
            |a| match a {
                "y" | "yes" => Some(true),
                "" | "n" | "no" => Some(false),
                _ => None,
            },
        );
        let action = match answer {
            None => "cancel",
            Some(false) => "decline",
            Some(true) => "accept",
        };
        if action != "accept" {
            self.audit("elicitation", "mcp.elicit", logged, Outcome::Denied, action);
            return json!({ "action": action });
        }
        let mut content = Map::new();
        for (name, schema) in fields {
            match self.ask_field(name, schema, required.contains(&name.as_str())) {
                Field::Value(v) => {
                    content.insert(name.clone(), v);
                }
                Field::Skipped => {}
                Field::Cancelled => {
                    self.audit(
                        "elicitation",
                        "mcp.elicit",
                        logged,
                        Outcome::Denied,
                        "cancel",
                    );
                    return json!({"action": "cancel"});
                }
            }
        }
        self.audit(
            "elicitation",
            "mcp.elicit",
            json!({"message": message, "cut": cut, "answered": content.keys().collect::<Vec<_>>()}),
            Outcome::Allowed,
            "accept",
        );
        json!({"action": "accept", "content": content})
    }

    /// One field of a form, asked until the answer fits its type.
    fn ask_field(&mut self, name: &str, schema: &Value, required: bool) -> Field {
        let label = |v: &Value| {
            let text = v.as_str().unwrap_or_default().replace('\n', " ");
            visible(&crate::util::truncate_text(&text, SHOWN_LABEL).0).into_owned()
        };
        let kind = schema["type"].as_str().unwrap_or("string");
        // Titled choices, bounds and formats: session/mcp_form.rs.
        let pairs = super::mcp_form::choices(schema);
        let choices: Vec<String> = pairs.iter().map(|(v, _)| v.clone()).collect();
        let mut prompt = format!("  {}", visible(name));
        let title = label(&schema["title"]);
        if !title.is_empty() {
            prompt.push_str(&format!(" \"{title}\""));
        }
        prompt.push_str(&format!(" ({kind}"));
        if !choices.is_empty() {
            let shown = super::mcp_form::choice_text(&pairs);
            prompt.push_str(&format!(", one of: {shown}"));
        }
        prompt.push_str(&super::mcp_form::hint(schema));
        if let Some(default) = schema.get("default") {
            let shown = visible(&crate::util::truncate_text(&default.to_string(), SHOWN_LABEL).0)
                .into_owned();
            prompt.push_str(&format!(", Enter for {shown}"));
        }
        prompt.push_str(if required { ", required): " } else { "): " });
        let description = label(&schema["description"]);
        if !description.is_empty() {
            println!("  {}: {description}", visible(name));
        }
        loop {
            let Some(typed) = self.input.ask_or_cancel(&prompt) else {
                return Field::Cancelled;
            };
            let typed = typed.trim();
            if typed.is_empty() {
                if let Some(default) = schema.get("default") {
                    return Field::Value(default.clone());
                }
                if !required {
                    return Field::Skipped;
                }
                println!("  this field is required");
                continue;
            }
            let typed = super::mcp_form::by_title(&pairs, typed, kind == "array");
            match parse_field(kind, &typed, &choices)
                .and_then(|v| super::mcp_form::check(schema, &v).map(|()| v))
            {
                Ok(v) => return Field::Value(v),
                Err(hint) => println!("  {hint}"),
            }
        }
    }

    /// `sampling/createMessage`: shown, approved or refused for this one
    /// request, then sent to the model alone (no conversation, no tools).
    fn sample(&mut self, params: &Value) -> Result<Value, RequestRefused> {
        let mut shown = String::new();
        if let Some(system) = params["systemPrompt"].as_str() {
            shown.push_str(&format!("[system] {system}\n"));
        }
        let mut messages = Vec::new();
        if let Some(system) = params["systemPrompt"].as_str() {
            messages.push(json!({"role": "system", "content": system}));
        }
        for m in params["messages"].as_array().into_iter().flatten() {
            let role = if m["role"] == "assistant" {
                "assistant"
            } else {
                "user"
            };
            let text = message_text(&m["content"]);
            shown.push_str(&format!("[{role}] {text}\n"));
            messages.push(json!({"role": role, "content": text}));
        }
        let (text, cut) = crate::util::truncate_text(&shown, SHOWN_TEXT);
        let max_tokens = params["maxTokens"]
            .as_u64()
            .unwrap_or(MAX_SAMPLING_TOKENS)
            .min(MAX_SAMPLING_TOKENS);
        let logged = json!({"request": text, "cut": cut, "maxTokens": max_tokens});
        let refuse = |why: &str, hooks: &mut Self| {
            crate::term::spinner::eprint_line(&format!(
                "aicoder: MCP server {} asked to use the model (sampling); refused: {why}",
                hooks.server
            ));
            hooks.audit(
                "sampling",
                "mcp.sample",
                logged.clone(),
                Outcome::Denied,
                why,
            );
            Err(RequestRefused(format!("sampling refused: {why}")))
        };
        if !self.input.interactive {
            return refuse(
                "each sampling request needs the user's approval and there is no terminal to ask",
                self,
            );
        }
        if self.requests > MAX_REQUESTS_PER_CALL {
            return refuse(
                &format!("one call may ask at most {MAX_REQUESTS_PER_CALL} questions"),
                self,
            );
        }
        if cut {
            // What is sent must be what the user read.
            return refuse(
                "the request is longer than the 2 KiB shown at the terminal",
                self,
            );
        }
        println!(
            "MCP server {} asks to use the model (sampling; {max_tokens} tokens at most). It would send only this, never the conversation:\n  {}",
            self.server,
            visible(text.trim_end()).replace('\n', "\n  "),
        );
        let approved = self
            .input
            .ask_until(
                "Send it to the model and give the server the answer? [y/N]: ",
                "answer y to send this one request, n (or Enter) to refuse it",
                |a| match a {
                    "y" | "yes" => Some(true),
                    "" | "n" | "no" => Some(false),
                    _ => None,
                },
            )
            .unwrap_or(false);
        if !approved {
            return refuse("the user did not approve it", self);
        }
        let Some((client, model)) = self.model.clone() else {
            return refuse("no model is configured", self);
        };
        let mut body = json!({"messages": messages, "stream": true, "max_tokens": max_tokens});
        if !model.is_empty() {
            body["model"] = model.clone().into();
        }
        let mut spinner = Spinner::start("sampling for the server");
        let result = self
            .runtime
            .block_on(async { client.chat(&body, &mut |_| {}).await });
        spinner.stop();
        match result {
            Ok(done) => {
                self.audit(
                    "sampling",
                    "mcp.sample",
                    logged,
                    Outcome::Allowed,
                    &format!("answer of {} bytes sent to the server", done.content.len()),
                );
                println!(
                    "the model's answer ({} bytes) went to MCP server {}",
                    done.content.len(),
                    self.server
                );
                Ok(json!({
                    "role": "assistant",
                    "content": {"type": "text", "text": done.content},
                    "model": if model.is_empty() { "unknown".to_string() } else { model },
                    "stopReason": "endTurn",
                }))
            }
            Err(e) => refuse(&format!("the model failed: {e}"), self),
        }
    }
}

/// One field's answer.
enum Field {
    Value(Value),
    Skipped,
    Cancelled,
}

/// What the user typed, as the field's type; the hint when it does not fit.
fn parse_field(kind: &str, typed: &str, choices: &[String]) -> Result<Value, FieldHint> {
    match kind {
        "boolean" => match typed.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" => Ok(Value::Bool(true)),
            "n" | "no" | "false" => Ok(Value::Bool(false)),
            _ => Err(FieldHint::YesOrNo),
        },
        "integer" => typed
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| FieldHint::WholeNumber),
        "number" => typed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or(FieldHint::Number),
        "array" => {
            let picked: Vec<Value> = typed
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .map(Value::String)
                .collect();
            match picked
                .iter()
                .find(|p| !choices.is_empty() && !choices.iter().any(|c| p.as_str() == Some(c)))
            {
                Some(bad) => Err(FieldHint::NotAChoice(
                    visible(bad.as_str().unwrap_or_default()).to_string(),
                )),
                None => Ok(Value::Array(picked)),
            }
        }
        _ if !choices.is_empty() && !choices.iter().any(|c| c == typed) => {
            Err(FieldHint::OneOf(choices.join(" | ")))
        }
        _ => Ok(Value::String(typed.to_string())),
    }
}

/// A sampling message's content as text (other content named, not sent).
fn message_text(content: &Value) -> String {
    let one = |c: &Value| match c["type"].as_str() {
        Some("text") => c["text"].as_str().unwrap_or_default().to_string(),
        Some(kind) => format!("[{kind} content not sent]"),
        None => String::new(),
    };
    match content.as_array() {
        Some(items) => items.iter().map(one).collect::<Vec<_>>().join("\n"),
        None => one(content),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_parse_by_type_and_choice() {
        assert_eq!(parse_field("boolean", "Y", &[]), Ok(Value::Bool(true)));
        assert_eq!(parse_field("integer", "42", &[]), Ok(json!(42)));
        assert!(parse_field("integer", "4.2", &[]).is_err());
        let c = vec!["Joey".to_string(), "Ross".to_string()];
        assert_eq!(parse_field("string", "Ross", &c), Ok(json!("Ross")));
        assert!(parse_field("string", "Rachel", &c).is_err());
        assert_eq!(
            parse_field("array", "Joey, Ross", &c),
            Ok(json!(["Joey", "Ross"]))
        );
        assert!(parse_field("array", "Joey, x", &c).is_err());
    }
}
