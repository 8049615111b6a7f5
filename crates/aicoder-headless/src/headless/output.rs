//! `--output-schema FILE`: the run's final answer must be one JSON value
//! valid against the schema. The model is told the schema; on a mismatch it
//! is asked once more, naming what was wrong; then the run fails with its
//! own exit code (docs/headless.md).

use serde_json::Value;
use std::path::Path;

/// The most of a schema file read.
const MAX_SCHEMA_BYTES: u64 = 256 << 10;
/// How many validation errors a retry names.
const MAX_ERRORS_NAMED: usize = 8;

/// The compiler's words on a schema it refused (jsonschema's error borrows
/// the schema, so its text is kept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidSchema(String);

/// Why a final answer does not meet `--output-schema`.
#[derive(Debug, thiserror::Error)]
pub enum AnswerMismatch {
    /// Not JSON at all.
    #[error("the answer is not one JSON value ({0})")]
    NotJson(serde_json::Error),
    /// JSON, but against the schema: where and why, the first few.
    #[error("the answer does not match the output schema: {}", .0.join("; "))]
    Schema(Vec<String>),
}

/// Why a schema cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("--output-schema {path}: cannot read it: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("--output-schema {path}: over {} KiB", MAX_SCHEMA_BYTES >> 10)]
    TooLarge { path: String },
    #[error("--output-schema {path}: not JSON: {source}")]
    NotJson {
        path: String,
        source: serde_json::Error,
    },
    #[error("--output-schema {path}: not a valid JSON Schema: {source}")]
    Invalid { path: String, source: InvalidSchema },
}

/// A compiled output schema.
pub struct OutputSchema {
    /// The schema as given (sent to the model).
    pub schema: Value,
    validator: jsonschema::Validator,
}

impl OutputSchema {
    /// Read and compile the schema in `path` (no remote `$ref` is fetched).
    pub fn load(path: &Path) -> Result<Self, SchemaError> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|source| SchemaError::Read {
            path: shown.clone(),
            source,
        })?;
        if meta.len() > MAX_SCHEMA_BYTES {
            return Err(SchemaError::TooLarge { path: shown });
        }
        let text = std::fs::read_to_string(path).map_err(|source| SchemaError::Read {
            path: shown.clone(),
            source,
        })?;
        let schema: Value = serde_json::from_str(&text).map_err(|source| SchemaError::NotJson {
            path: shown.clone(),
            source,
        })?;
        Self::new(schema).map_err(|source| SchemaError::Invalid {
            path: shown,
            source,
        })
    }

    /// Compile `schema`.
    pub fn new(schema: Value) -> Result<Self, InvalidSchema> {
        let validator =
            jsonschema::validator_for(&schema).map_err(|e| InvalidSchema(e.to_string()))?;
        Ok(OutputSchema { schema, validator })
    }

    /// What the system prompt says about the answer.
    pub fn instruction(&self) -> String {
        let pretty = serde_json::to_string_pretty(&self.schema).unwrap_or_default();
        format!(
            "\n\n---\n\nYour final answer (the message without tool calls that ends your work) \
             must be exactly one JSON value, with no other text and no code fence, valid \
             against this JSON Schema:\n{pretty}"
        )
    }

    /// Check `answer`: the parsed value, or what is wrong with it (for the
    /// model's second chance and the error). A whole answer fenced as
    /// ```json ... ``` is read inside its fence.
    pub fn check(&self, answer: &str) -> Result<Value, AnswerMismatch> {
        let text = unfence(answer.trim());
        let value: Value = serde_json::from_str(text).map_err(AnswerMismatch::NotJson)?;
        let errors: Vec<String> = self
            .validator
            .iter_errors(&value)
            .take(MAX_ERRORS_NAMED)
            .map(|e| {
                let at = e.instance_path().to_string();
                let at = if at.is_empty() { "/".to_string() } else { at };
                format!("at {at}: {e}")
            })
            .collect();
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(AnswerMismatch::Schema(errors))
        }
    }

    /// The message that gives the model its second chance.
    pub fn retry_message(&self, why: &str) -> String {
        format!(
            "{why}. Answer again with only the JSON value, valid against the output schema \
             in the system prompt, and nothing else."
        )
    }
}

/// The inside of a ```json fence wrapping the whole text, else the text.
fn unfence(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("```") else {
        return text;
    };
    let Some(body) = rest.strip_suffix("```") else {
        return text;
    };
    match body.split_once('\n') {
        Some((lang, inside)) if !lang.trim().contains(' ') => inside.trim(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn valid_fenced_wrong_and_not_json() {
        let schema = OutputSchema::new(json!({
            "type": "object",
            "properties": {"files": {"type": "integer"}},
            "required": ["files"],
            "additionalProperties": false
        }))
        .expect("schema");
        assert_eq!(
            schema.check(r#" {"files": 3} "#).ok(),
            Some(json!({"files": 3}))
        );
        assert_eq!(
            schema.check("```json\n{\"files\": 2}\n```").ok(),
            Some(json!({"files": 2}))
        );
        let wrong = schema.check(r#"{"files": "three"}"#).expect_err("wrong");
        assert!(wrong.to_string().contains("/files"), "{wrong}");
        let prose = schema.check("There are 3 files.").expect_err("prose");
        assert!(
            matches!(prose, AnswerMismatch::NotJson(_))
                && prose.to_string().contains("not one JSON value"),
            "{prose}"
        );
        assert!(schema.instruction().contains("\"files\""));
    }

    #[test]
    fn a_bad_schema_is_named() {
        assert!(OutputSchema::new(json!({"type": "no-such-type"})).is_err());
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("s.json");
        std::fs::write(&path, "{ nope").expect("w");
        let err = OutputSchema::load(&path).err().expect("error");
        assert!(err.to_string().contains("not JSON"), "{err}");
    }
}
