//! The model and request settings AI Coder v3 users set in the environment
//! (TOP_P, THINKING, REASONING_EFFORT, AICODER_HTTP_HEADERS, ...), read with
//! v3's names, defaults and quirks, and how they shape a request: the same
//! fields v3 puts in its body (`_add_optional_parameters`,
//! `thinking_extra_body`, `thinking_params`).

use super::{ConfigError, Layer, Sources};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

/// THINKING: whether the request asks the model to think (v3's three modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Thinking {
    /// Nothing is sent: the model's own default.
    #[default]
    Default,
    /// `thinking: {type: enabled, budget_tokens}` (by format) and the effort.
    On,
    /// `thinking: {type: disabled}`.
    Off,
}

impl Thinking {
    /// v3's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Thinking::Default => "default",
            Thinking::On => "on",
            Thinking::Off => "off",
        }
    }
}

/// v3's default reasoning fields, looked for in answers (`reasoning_content`
/// is DeepSeek's, `reasoning` OpenRouter's and vLLM's).
pub const REASONING_FIELDS_DEFAULT: [&str; 4] = [
    "reasoning_content",
    "reasoning",
    "thinking",
    "reasoning_text",
];

/// Settings beyond the basic ones in [`super::Config`]; all v3's names.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelParams {
    /// TOP_P, sent when set.
    pub top_p: Option<f64>,
    /// TOP_K, sent when set.
    pub top_k: Option<u64>,
    /// FREQUENCY_PENALTY, sent when set.
    pub frequency_penalty: Option<f64>,
    /// PRESENCE_PENALTY, sent when set.
    pub presence_penalty: Option<f64>,
    /// REPETITION_PENALTY, sent when set.
    pub repetition_penalty: Option<f64>,
    /// THINKING: default, on (1/yes/true) or off (0/no/false).
    pub thinking: Thinking,
    /// THINKING_BUDGET_TOKENS (16000, as v3).
    pub thinking_budget: u64,
    /// REASONING_EFFORT, lower-cased; sent (with THINKING on) as
    /// `reasoning_effort` or AICODER_REASONING_FIELD.
    pub reasoning_effort: Option<String>,
    /// REASONING_EFFORT_VALID: the levels in order, for `/thinking effort`
    /// and its `+ - ++ --` shorthands.
    pub effort_levels: Vec<String>,
    /// REASONING_FORMAT: deepseek, glm, openai, anthropic, minimax; guessed
    /// from the model's name when unset.
    pub reasoning_format: Option<String>,
    /// AICODER_REASONING_FIELD: the one field reasoning is read from and the
    /// effort is sent as.
    pub reasoning_field: Option<String>,
    /// AICODER_REASONING_POSSIBLE_FIELDS: the fields reasoning may come in.
    pub reasoning_fields: Vec<String>,
    /// AICODER_SHOW_REASONING (on by default): reasoning shown dimmed.
    pub show_reasoning: bool,
    /// AICODER_STREAM (on by default): ask for a streamed answer.
    pub stream: bool,
    /// AICODER_HTTP_HEADERS: `Name: value` lines added to every request.
    pub http_headers: Vec<(String, String)>,
    /// AICODER_RETRY_STATUS_CODES: statuses retried; unset means 429 and
    /// every 5xx (v3 retries only 429 by default).
    pub retry_status_codes: Option<BTreeSet<u16>>,
    /// MAX_BACKOFF_SECONDS: longest wait between two attempts.
    pub max_backoff: Option<Duration>,
    /// TOTAL_TIMEOUT_EXTENSION (30 s, as v3): time granted past
    /// TOTAL_TIMEOUT while the answer is still arriving; 0 for a hard limit.
    pub timeout_extension: Duration,
    /// KEY_ROTATE_SEPARATOR (`___`, as v3's key_rotate plugin): splits
    /// API_KEY into keys tried in turn on 429.
    pub key_separator: String,
    /// AICODER_EMPTY_RETRIES (3): times an empty answer is asked again.
    pub empty_retries: u32,
    /// AICODER_EMPTY_RETRY_SECONDS (10, as v3's empty_retry plugin).
    pub empty_retry_delay: Duration,
    /// AICODER_PROMPT_CACHE (on): cache_control marks for Anthropic.
    pub prompt_cache: bool,
    /// AICODER_PRICES: `model=input,output[,cache_read,cache_write]` per
    /// million tokens, `;` between models; over the built-in table.
    pub prices: Vec<(String, crate::config::prices::Price)>,
}

impl Default for ModelParams {
    fn default() -> Self {
        ModelParams {
            top_p: None,
            top_k: None,
            frequency_penalty: None,
            presence_penalty: None,
            repetition_penalty: None,
            thinking: Thinking::Default,
            thinking_budget: 16_000,
            reasoning_effort: None,
            effort_levels: Vec::new(),
            reasoning_format: None,
            reasoning_field: None,
            reasoning_fields: REASONING_FIELDS_DEFAULT.map(String::from).to_vec(),
            show_reasoning: true,
            stream: true,
            http_headers: Vec::new(),
            retry_status_codes: None,
            max_backoff: None,
            timeout_extension: Duration::from_secs(30),
            key_separator: "___".into(),
            empty_retries: 3,
            empty_retry_delay: Duration::from_secs(10),
            prompt_cache: true,
            prices: Vec::new(),
        }
    }
}

/// v3's test for "off": 0, false, no, off.
fn off(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off"
    )
}

/// Comma-separated, trimmed, empty parts dropped.
fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl ModelParams {
    /// Read every setting from `sources` (so a config file may set them
    /// too); what a project's file may not set is skipped with a notice.
    pub(super) fn read(
        sources: &Sources<'_>,
        notices: &mut Vec<String>,
    ) -> Result<Self, ConfigError> {
        let get = |k: &str| sources.get(k).map(|(v, _)| v);
        let bad = |var: &'static str, expected: &'static str, value: String| ConfigError {
            var,
            expected,
            value,
            origin: sources.origin(var),
        };
        let float = |var: &'static str| -> Result<Option<f64>, ConfigError> {
            get(var)
                .map(|v| v.trim().parse().map_err(|_| bad(var, "a number", v)))
                .transpose()
        };
        let whole = |var: &'static str| -> Result<Option<u64>, ConfigError> {
            get(var)
                .map(|v| v.trim().parse().map_err(|_| bad(var, "a whole number", v)))
                .transpose()
        };
        let d = ModelParams::default();
        let thinking = match get("THINKING").map(|v| v.trim().to_ascii_lowercase()) {
            Some(v) if matches!(v.as_str(), "on" | "1" | "yes" | "true") => Thinking::On,
            Some(v) if off(&v) => Thinking::Off,
            // v3 takes anything else as "default".
            _ => Thinking::Default,
        };
        let retry_status_codes = match get("AICODER_RETRY_STATUS_CODES") {
            None => None,
            Some(v) => {
                let codes = v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse::<u16>().ok().filter(|c| (100..600).contains(c)))
                    .collect::<Option<BTreeSet<u16>>>()
                    .filter(|c| !c.is_empty())
                    .ok_or_else(|| {
                        bad(
                            "AICODER_RETRY_STATUS_CODES",
                            "HTTP status codes separated by commas, e.g. 429,502,503",
                            v,
                        )
                    })?;
                Some(codes)
            }
        };
        // Headers travel with your key and conversation: a folder someone
        // else wrote may not add them (an Authorization header of theirs
        // would put your conversation in their account).
        let headers = match sources.get("AICODER_HTTP_HEADERS") {
            Some((_, Layer::Project)) => {
                notices.push(format!(
                    "{}: AICODER_HTTP_HEADERS is ignored in a project's config file (headers go \
                     with your key and conversation); set it in the environment or your own \
                     config file",
                    sources.project.path.display()
                ));
                sources
                    .user
                    .values
                    .get("AICODER_HTTP_HEADERS")
                    .map(|(v, _)| v.clone())
            }
            other => other.map(|(v, _)| v),
        };
        let http_headers = match headers {
            None => Vec::new(),
            Some(v) => parse_headers(&v).map_err(|_| {
                bad(
                    "AICODER_HTTP_HEADERS",
                    "`Name: value` lines with valid header names and values",
                    v,
                )
            })?,
        };
        Ok(ModelParams {
            top_p: float("TOP_P")?,
            top_k: whole("TOP_K")?,
            frequency_penalty: float("FREQUENCY_PENALTY")?,
            presence_penalty: float("PRESENCE_PENALTY")?,
            repetition_penalty: float("REPETITION_PENALTY")?,
            thinking,
            thinking_budget: whole("THINKING_BUDGET_TOKENS")?.unwrap_or(d.thinking_budget),
            reasoning_effort: get("REASONING_EFFORT").map(|v| v.trim().to_ascii_lowercase()),
            effort_levels: get("REASONING_EFFORT_VALID")
                .map(|v| list(&v.to_ascii_lowercase()))
                .unwrap_or_default(),
            reasoning_format: get("REASONING_FORMAT").map(|v| v.trim().to_ascii_lowercase()),
            reasoning_field: get("AICODER_REASONING_FIELD").map(|v| v.trim().to_string()),
            reasoning_fields: get("AICODER_REASONING_POSSIBLE_FIELDS")
                .map(|v| list(&v))
                .filter(|l| !l.is_empty())
                .unwrap_or(d.reasoning_fields),
            show_reasoning: !get("AICODER_SHOW_REASONING").is_some_and(|v| off(&v)),
            stream: get("AICODER_STREAM").is_none_or(|v| v.trim() != "0"),
            http_headers,
            retry_status_codes,
            max_backoff: whole("MAX_BACKOFF_SECONDS")?.map(Duration::from_secs),
            timeout_extension: whole("TOTAL_TIMEOUT_EXTENSION")?
                .map(Duration::from_secs)
                .unwrap_or(d.timeout_extension),
            key_separator: get("KEY_ROTATE_SEPARATOR").unwrap_or(d.key_separator),
            empty_retries: whole("AICODER_EMPTY_RETRIES")?
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                .unwrap_or(d.empty_retries),
            empty_retry_delay: float("AICODER_EMPTY_RETRY_SECONDS")?
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64)
                .unwrap_or(d.empty_retry_delay),
            prompt_cache: !get("AICODER_PROMPT_CACHE").is_some_and(|v| off(&v)),
            prices: match get("AICODER_PRICES") {
                None => Vec::new(),
                Some(v) => crate::config::prices::parse(&v).map_err(|_| {
                    bad(
                        "AICODER_PRICES",
                        "model=input,output[,cache_read,cache_write] entries (dollars per \
                         million tokens) separated by ;",
                        v,
                    )
                })?,
            },
        })
    }

    /// The reasoning format: REASONING_FORMAT, else guessed from the model's
    /// name as v3 does, else `openai`.
    pub fn format(&self, model: &str) -> String {
        if let Some(f) = &self.reasoning_format {
            return f.clone();
        }
        let model = model.to_ascii_lowercase();
        const PATTERNS: [(&str, &[&str]); 5] = [
            ("deepseek", &["deepseek"]),
            ("glm", &["glm", "zhipuai", "z.ai"]),
            ("openai", &["gpt", "o1", "o3", "o4", "chatgpt", "openai"]),
            ("anthropic", &["claude", "anthropic"]),
            ("minimax", &["minimax-m3", "minimax_m3"]),
        ];
        PATTERNS
            .iter()
            .find(|(_, pats)| pats.iter().any(|p| model.contains(p)))
            .map_or("openai", |(f, _)| f)
            .to_string()
    }

    /// Add v3's optional parameters and thinking fields to an OpenAI-shaped
    /// request `body` (the Anthropic path converts what applies).
    pub fn apply(&self, body: &mut Value, model: &str) {
        let optional = [
            ("top_p", self.top_p.map(Value::from)),
            ("frequency_penalty", self.frequency_penalty.map(Value::from)),
            ("presence_penalty", self.presence_penalty.map(Value::from)),
            ("top_k", self.top_k.map(Value::from)),
            (
                "repetition_penalty",
                self.repetition_penalty.map(Value::from),
            ),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                body[name] = v;
            }
        }
        if !self.stream {
            body["stream"] = false.into();
            if let Some(o) = body.as_object_mut() {
                o.remove("stream_options");
            }
        }
        let format = self.format(model);
        // thinking_extra_body: off always says so; on enables with a budget,
        // except for formats that take it at the top level only.
        match self.thinking {
            Thinking::Default => {}
            Thinking::Off => body["thinking"] = json!({"type": "disabled"}),
            Thinking::On => {
                if !matches!(format.as_str(), "openai" | "minimax") {
                    body["thinking"] =
                        json!({"type": "enabled", "budget_tokens": self.thinking_budget});
                }
                // thinking_params: MiniMax M3's adaptive thinking, or the effort.
                if format == "minimax" {
                    body["thinking"] = json!({"type": "adaptive"});
                } else if let Some(effort) = &self.reasoning_effort {
                    let field = self
                        .reasoning_field
                        .as_deref()
                        .unwrap_or("reasoning_effort");
                    body[field] = effort.clone().into();
                }
            }
        }
    }

    /// The fields reasoning text is read from: AICODER_REASONING_FIELD alone
    /// when set.
    pub fn reasoning_sources(&self) -> Vec<String> {
        match &self.reasoning_field {
            Some(f) => vec![f.clone()],
            None => self.reasoning_fields.clone(),
        }
    }

    /// `/thinking effort ARG`: a level, or v3's shorthands over
    /// REASONING_EFFORT_VALID: `+` highest, `-` lowest, `++` one up, `--`
    /// one down. Returns the new level.
    pub fn set_effort(&mut self, arg: &str) -> Result<String, EffortError> {
        let arg = arg.trim().to_ascii_lowercase();
        let levels = &self.effort_levels;
        let shorthand = matches!(arg.as_str(), "+" | "-" | "++" | "--");
        if shorthand && levels.is_empty() {
            return Err(EffortError::NoOrder);
        }
        let position = || {
            let current = self.reasoning_effort.clone().unwrap_or_default();
            levels
                .iter()
                .position(|l| *l == current)
                .ok_or_else(|| EffortError::CurrentNotValid {
                    current,
                    valid: levels.join(", "),
                })
        };
        let level = match arg.as_str() {
            "+" => levels[levels.len() - 1].clone(),
            "-" => levels[0].clone(),
            "++" => levels[(position()? + 1).min(levels.len() - 1)].clone(),
            "--" => levels[position()?.saturating_sub(1)].clone(),
            "" => return Err(EffortError::Empty),
            other if !levels.is_empty() && !levels.iter().any(|l| l == other) => {
                return Err(EffortError::Invalid {
                    given: other.to_string(),
                    valid: levels.join(", "),
                })
            }
            other => other.to_string(),
        };
        self.reasoning_effort = Some(level.clone());
        Ok(level)
    }
}

/// v3's AICODER_HTTP_HEADERS: one `Name: value` per line, split at the first
/// colon; lines without a colon or with an empty side are skipped, as v3
/// does. A name or value HTTP cannot carry is an error (v3 would crash).
pub fn parse_headers(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for line in text.split('\n') {
        let Some((name, value)) = line.trim().split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || value.is_empty() {
            continue;
        }
        reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|e| e.to_string())?;
        reqwest::header::HeaderValue::from_str(value).map_err(|e| e.to_string())?;
        out.push((name.to_string(), value.to_string()));
    }
    Ok(out)
}

/// Why `/thinking effort ARG` changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EffortError {
    /// A shorthand with no REASONING_EFFORT_VALID to order the levels.
    #[error(
        "REASONING_EFFORT_VALID is not set (e.g. low,medium,high), so + - ++ -- have no order to move in"
    )]
    NoOrder,
    /// `++`/`--` from a level that is not in the list.
    #[error("the current effort {current:?} is not one of REASONING_EFFORT_VALID ({valid})")]
    CurrentNotValid { current: String, valid: String },
    /// No argument.
    #[error("name a level, or + - ++ --")]
    Empty,
    /// A level not in REASONING_EFFORT_VALID.
    #[error("invalid reasoning effort {given}; valid: {valid}")]
    Invalid { given: String, valid: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ModelParams {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        super::super::Config::from_lookup(move |k| map.get(k).cloned())
            .expect("valid")
            .params
    }

    #[test]
    fn thinking_on_sends_budget_and_effort_by_format() {
        let p = params(&[("THINKING", "yes"), ("REASONING_EFFORT", "HIGH")]);
        let mut body = json!({});
        p.apply(&mut body, "deepseek-chat");
        assert_eq!(
            body["thinking"],
            json!({"type": "enabled", "budget_tokens": 16000})
        );
        assert_eq!(body["reasoning_effort"], "high");
        let mut body = json!({});
        p.apply(&mut body, "gpt-5");
        assert!(body.get("thinking").is_none(), "{body}");
        assert_eq!(body["reasoning_effort"], "high");
        let mut body = json!({});
        p.apply(&mut body, "MiniMax-M3");
        assert_eq!(body["thinking"], json!({"type": "adaptive"}));
        // Without THINKING=on v3 sends no effort.
        let p = params(&[("REASONING_EFFORT", "high")]);
        let mut body = json!({});
        p.apply(&mut body, "m");
        assert_eq!(body, json!({}));
        let p = params(&[("THINKING", "off")]);
        let mut body = json!({});
        p.apply(&mut body, "m");
        assert_eq!(body["thinking"], json!({"type": "disabled"}));
    }

    #[test]
    fn effort_shorthands_move_along_the_valid_levels() {
        let mut p = params(&[
            ("REASONING_EFFORT_VALID", "low, medium ,high"),
            ("REASONING_EFFORT", "medium"),
        ]);
        assert_eq!(p.set_effort("++").as_deref(), Ok("high"));
        assert_eq!(p.set_effort("++").as_deref(), Ok("high"));
        assert_eq!(p.set_effort("-").as_deref(), Ok("low"));
        assert_eq!(p.set_effort("--").as_deref(), Ok("low"));
        assert_eq!(p.set_effort("+").as_deref(), Ok("high"));
        assert!(p
            .set_effort("extreme")
            .unwrap_err()
            .to_string()
            .contains("low, medium, high"));
        let mut p = params(&[]);
        assert_eq!(p.set_effort("+"), Err(EffortError::NoOrder));
        assert_eq!(p.set_effort("max").as_deref(), Ok("max"));
    }

    #[test]
    fn headers_and_codes_parse_as_v3_and_bad_ones_are_named() {
        let h = parse_headers("X-One: a:b\n\nnocolon\n X-Two : 2 \nX-Empty:").expect("ok");
        assert_eq!(
            h,
            [("X-One".into(), "a:b".into()), ("X-Two".into(), "2".into())]
        );
        let map = |k: &str| match k {
            "AICODER_HTTP_HEADERS" => Some("Bad Name: x".to_string()),
            _ => None,
        };
        let err = super::super::Config::from_lookup(map).expect_err("bad header");
        assert!(err.to_string().contains("AICODER_HTTP_HEADERS"), "{err}");
        let p = params(&[("AICODER_RETRY_STATUS_CODES", "429, 502")]);
        assert_eq!(p.retry_status_codes, Some(BTreeSet::from([429, 502])));
        let map = |k: &str| (k == "AICODER_RETRY_STATUS_CODES").then(|| "429,soon".to_string());
        assert!(super::super::Config::from_lookup(map).is_err());
    }
}
