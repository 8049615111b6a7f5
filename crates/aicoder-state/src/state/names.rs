//! What names plugins, tools and commands may have, the events the session
//! emits, and where a plugin came from: shared by the loader (manifests) and
//! the capabilities (tools.register-tool, hooks.subscribe), which sit on
//! either side of the plugin host and so meet here.

/// Names of plugins, tools and commands: a lower-case letter, then lower-case
/// letters, digits, `_` or `-`; at most 64 bytes.
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && name.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The longest tool or command description a plugin may give.
pub const MAX_DESCRIPTION_BYTES: usize = 16 << 10;
/// The longest parameter schema (JSON text) a plugin tool may have.
pub const MAX_PARAMETERS_BYTES: usize = 64 << 10;

/// A name as it appears in an error: short, whatever the plugin sent.
pub fn shown(name: &str) -> String {
    format!("{:?}", crate::util::truncate_text(name, 80).0)
}

/// Why a tool's or command's description or parameter schema is refused
/// (from a manifest or from `tools.register-tool` / `register-command`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("the description is {len} bytes; the longest allowed is {MAX_DESCRIPTION_BYTES}")]
    DescriptionTooLong { len: usize },
    #[error("the parameter schema is {len} bytes; the longest allowed is {MAX_PARAMETERS_BYTES}")]
    ParametersTooLong { len: usize },
    #[error("parameters are not valid JSON: {0}")]
    ParametersNotJson(String),
    #[error("parameters must be a JSON Schema object")]
    ParametersNotObject,
}

/// Check a tool or command description's size.
pub fn check_description(description: &str) -> Result<(), SpecError> {
    if description.len() > MAX_DESCRIPTION_BYTES {
        return Err(SpecError::DescriptionTooLong {
            len: description.len(),
        });
    }
    Ok(())
}

/// Parse a tool's parameter schema: a JSON object of bounded size and depth
/// (serde_json refuses nesting deeper than 128 levels).
pub fn parse_parameters(json: &str) -> Result<serde_json::Value, SpecError> {
    if json.len() > MAX_PARAMETERS_BYTES {
        return Err(SpecError::ParametersTooLong { len: json.len() });
    }
    let parameters: serde_json::Value =
        serde_json::from_str(json).map_err(|e| SpecError::ParametersNotJson(e.to_string()))?;
    if !parameters.is_object() {
        return Err(SpecError::ParametersNotObject);
    }
    Ok(parameters)
}

/// An event the session emits, which plugins subscribe to by its name
/// (`hooks.subscribe`, a manifest's `hooks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SessionEvent {
    /// A request is about to go to the model.
    BeforeApiRequest,
    /// The request body, handed to plugins holding history.read and
    /// history.write, which may replace it.
    TransformRequest,
    /// Tool results were added to the conversation.
    AfterToolResults,
    /// The approval prompt is about to ask.
    BeforeApprovalPrompt,
    /// The conversation was cleared, loaded or switched.
    OnSessionChange,
    /// The user's message was added to the conversation.
    AfterUserMessageAdded,
    /// Once, when the session has started (plugins loaded, before any input).
    OnSessionStart,
    /// Each time the interactive session waits for the user at the prompt.
    BeforeUserPrompt,
}

impl SessionEvent {
    /// Every event, in the order listings show them.
    pub const ALL: [SessionEvent; 8] = [
        SessionEvent::BeforeApiRequest,
        SessionEvent::TransformRequest,
        SessionEvent::AfterToolResults,
        SessionEvent::BeforeApprovalPrompt,
        SessionEvent::OnSessionChange,
        SessionEvent::AfterUserMessageAdded,
        SessionEvent::OnSessionStart,
        SessionEvent::BeforeUserPrompt,
    ];

    /// The name plugins subscribe by, e.g. `before_api_request`.
    pub const fn name(self) -> &'static str {
        match self {
            SessionEvent::BeforeApiRequest => "before_api_request",
            SessionEvent::TransformRequest => "transform_request",
            SessionEvent::AfterToolResults => "after_tool_results",
            SessionEvent::BeforeApprovalPrompt => "before_approval_prompt",
            SessionEvent::OnSessionChange => "on_session_change",
            SessionEvent::AfterUserMessageAdded => "after_user_message_added",
            SessionEvent::OnSessionStart => "on_session_start",
            SessionEvent::BeforeUserPrompt => "before_user_prompt",
        }
    }
}

/// The names of the events the session emits ([`SessionEvent::name`] of
/// each), as plugins and manifests write them.
pub const KNOWN_EVENTS: [&str; SessionEvent::ALL.len()] = {
    let mut names = [""; SessionEvent::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = SessionEvent::ALL[i].name();
        i += 1;
    }
    names
};

/// Where a plugin was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluginSource {
    Project,
    User,
    Shipped,
    /// Named explicitly (e.g. `plugin inspect FILE`).
    File,
}

impl PluginSource {
    /// Lower-case name for listings.
    pub fn name(self) -> &'static str {
        match self {
            PluginSource::Project => "project",
            PluginSource::User => "user",
            PluginSource::Shipped => "shipped",
            PluginSource::File => "file",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lower_case_words_of_bounded_length() {
        for good in ["a", "word_stats", "x-1", &"a".repeat(64)] {
            assert!(valid_name(good), "{good}");
        }
        for bad in ["", "A", "1a", "_a", "a b", "é", &"a".repeat(65)] {
            assert!(!valid_name(bad), "{bad}");
        }
        assert_eq!(parse_parameters("[]"), Err(SpecError::ParametersNotObject));
        assert!(parse_parameters("{}").is_ok());
        assert!(matches!(
            parse_parameters("{"),
            Err(SpecError::ParametersNotJson(_))
        ));
        let long = "d".repeat(MAX_DESCRIPTION_BYTES + 1);
        assert_eq!(
            check_description(&long),
            Err(SpecError::DescriptionTooLong { len: long.len() })
        );
    }
}
