//! redact_secrets: a hook plugin. Before each request leaves for the model,
//! it replaces what looks like a secret (API keys, tokens, private-key blocks)
//! in every message with `[REDACTED]`. Needs `hooks.register`, and, because
//! transform_request hands it the conversation, `history.read` and
//! `history.write`; it calls no host function itself.

use aicoder_plugin_sdk::{export_plugin, log, Event, EventOutcome, Manifest, Plugin, PluginError};
use serde_json::Value;

struct RedactSecrets;

/// Prefixes of well-known credential formats, and the shortest secret after them.
const PREFIXES: [(&str, usize); 7] = [
    ("sk-", 16),  // OpenAI-style keys
    ("ghp_", 20), // GitHub personal tokens
    ("github_pat_", 20),
    ("xoxb-", 16),  // Slack bot tokens
    ("AKIA", 16),   // AWS access key ids
    ("glpat-", 16), // GitLab tokens
    ("AIza", 30),   // Google API keys
];

fn secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_')
}

/// `text` with every secret-looking token replaced; the count of replacements.
pub fn redact(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    'scan: while !rest.is_empty() {
        for (prefix, min) in PREFIXES {
            if let Some(after) = rest.strip_prefix(prefix) {
                let len = after.find(|c: char| !secret_char(c)).unwrap_or(after.len());
                let starts_word = out.chars().last().is_none_or(|c| !secret_char(c));
                if len >= min && starts_word {
                    out.push_str("[REDACTED]");
                    rest = &after[len..];
                    count += 1;
                    continue 'scan;
                }
            }
        }
        if let Some(after) = rest.strip_prefix("-----BEGIN ") {
            if after.contains("PRIVATE KEY-----") {
                if let Some(end) = after
                    .find("-----END ")
                    .and_then(|e| after[e..].find("KEY-----").map(|k| e + k + 8))
                {
                    out.push_str("[REDACTED PRIVATE KEY]");
                    rest = &after[end..];
                    count += 1;
                    continue;
                }
            }
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    (out, count)
}

impl Plugin for RedactSecrets {
    fn new() -> Self {
        RedactSecrets
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "redact_secrets",
            "0.1.0",
            "Removes API keys and tokens from requests before they leave",
        )
        .hook("transform_request")
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        if event.name != "transform_request" {
            return Ok(EventOutcome::Unchanged);
        }
        let mut request: Value = serde_json::from_str(&event.payload_json)
            .map_err(|e| PluginError::InvalidArguments(format!("request is not JSON: {e}")))?;
        let mut total = 0;
        for message in request["messages"].as_array_mut().into_iter().flatten() {
            if let Some(content) = message["content"].as_str() {
                let (clean, n) = redact(content);
                if n > 0 {
                    message["content"] = Value::String(clean);
                    total += n;
                }
            }
        }
        if total == 0 {
            return Ok(EventOutcome::Unchanged);
        }
        log::warn(&format!("redacted {total} secret(s) from the request"));
        Ok(EventOutcome::ReplacePayload(request.to_string()))
    }
}

export_plugin!(RedactSecrets);

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_known_formats_and_keeps_the_rest() {
        let (out, n) =
            redact("key sk-abcdefghijklmnopqrstuvwx and ghp_ABCDEFGHIJKLMNOPQRSTuvwx, ok");
        assert_eq!(out, "key [REDACTED] and [REDACTED], ok");
        assert_eq!(n, 2);
        assert_eq!(redact("task-list sk-short desk-abcdefghijklmnopqrstu").1, 0);
        let pem = "a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\nb";
        assert_eq!(redact(pem).0, "a\n[REDACTED PRIVATE KEY]\nb");
    }
}
