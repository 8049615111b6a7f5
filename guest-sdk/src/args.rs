//! Tool arguments: a JSON object, read as a typed struct ([`Args::parse`])
//! or field by field; either way an error names the field.

use crate::PluginError;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The arguments of one tool call.
#[derive(Debug, Clone)]
pub struct Args {
    raw: String,
    fields: Map<String, Value>,
}

impl Args {
    /// Read `{...}` as the host sends it; anything but a JSON object is an
    /// invalid-arguments error.
    pub fn from_json(json: &str) -> Result<Self, PluginError> {
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

    /// The arguments as `T`, usually a `#[derive(Deserialize, JsonSchema)]`
    /// struct whose schema [`crate::ToolSpec::typed`] declared. A missing or
    /// mistyped field is an invalid-arguments error naming it, which the
    /// model reads and can correct.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, PluginError> {
        // From the parsed map, not the text: serde_json then names the field
        // without a line and column the model cannot use.
        serde_json::from_value(Value::Object(self.fields.clone()))
            .map_err(|e| PluginError::InvalidArguments(e.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Shout {
        text: String,
        #[serde(default)]
        times: Option<u32>,
    }

    fn invalid(err: PluginError) -> String {
        match err {
            PluginError::InvalidArguments(m) => m,
            other => panic!("not an invalid-arguments error: {other:?}"),
        }
    }

    #[test]
    fn typed_arguments_parse_and_name_the_bad_field() {
        let args = Args::from_json(r#"{"text":"hi","times":2}"#).unwrap();
        assert_eq!(
            args.parse::<Shout>().unwrap(),
            Shout {
                text: "hi".into(),
                times: Some(2)
            }
        );
        let missing = invalid(Args::from_json("{}").unwrap().parse::<Shout>().unwrap_err());
        assert_eq!(missing, "missing field `text`");
        let wrong = invalid(
            Args::from_json(r#"{"text":7}"#)
                .unwrap()
                .parse::<Shout>()
                .unwrap_err(),
        );
        assert!(
            wrong.contains("invalid type: integer `7`, expected a string"),
            "{wrong}"
        );
    }

    #[test]
    fn only_a_json_object_is_arguments() {
        assert!(invalid(Args::from_json("[1]").unwrap_err()).contains("must be a JSON object"));
        assert!(invalid(Args::from_json("{").unwrap_err()).contains("not valid JSON"));
        assert!(Args::from_json("  ").unwrap().raw().trim().is_empty());
    }
}
