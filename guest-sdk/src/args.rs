//! Tool arguments: a JSON object with typed accessors whose errors name the field.

use crate::PluginError;
use serde_json::{Map, Value};

/// The arguments of one tool call.
#[derive(Debug, Clone)]
pub struct Args {
    raw: String,
    fields: Map<String, Value>,
}

impl Args {
    /// Parse `{...}`; anything but a JSON object is an invalid-arguments error.
    pub fn parse(json: &str) -> Result<Self, PluginError> {
        let trimmed = if json.trim().is_empty() { "{}" } else { json };
        match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(fields)) => Ok(Args {
                raw: json.to_string(),
                fields,
            }),
            Ok(other) => Err(PluginError::InvalidArguments(format!(
                "arguments must be a JSON object, got {other}"
            ))),
            Err(e) => Err(PluginError::InvalidArguments(format!(
                "arguments are not valid JSON: {e}"
            ))),
        }
    }

    /// The JSON text as received.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// A required string field.
    pub fn str(&self, key: &str) -> Result<&str, PluginError> {
        self.opt_str(key)?
            .ok_or_else(|| PluginError::InvalidArguments(format!("missing string field `{key}`")))
    }

    /// An optional string field (error if present with another type).
    pub fn opt_str(&self, key: &str) -> Result<Option<&str>, PluginError> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(PluginError::InvalidArguments(format!(
                "field `{key}` must be a string, got {other}"
            ))),
        }
    }

    /// An optional integer field.
    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, PluginError> {
        match self.fields.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_u64().map(Some).ok_or_else(|| {
                PluginError::InvalidArguments(format!(
                    "field `{key}` must be a non-negative integer, got {v}"
                ))
            }),
        }
    }

    /// Any field as raw JSON.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }
}
