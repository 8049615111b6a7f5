//! Why a tool call failed, as a type: the user's outcome line shows the
//! words, the model reads them after `Error: ` (or as they are), and nothing
//! downstream decides by matching a prefix in the text.

/// A failed tool call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// aicoder or the tool refused or failed: the model reads
    /// `Error: {words}`, the user's outcome line the words.
    Failed(String),
    /// Text the model reads as it is (a server's own error, output of a
    /// call the user stopped with Ctrl-C).
    Text(String),
}

impl CallError {
    /// [`CallError::Failed`] with these words.
    pub fn failed(words: impl Into<String>) -> Self {
        CallError::Failed(words.into())
    }

    /// What the model reads as the call's result.
    pub fn for_model(&self) -> String {
        match self {
            CallError::Failed(words) => format!("Error: {words}"),
            CallError::Text(text) => text.clone(),
        }
    }

    /// What the user's outcome line picks its gist from.
    pub fn for_user(&self) -> &str {
        match self {
            CallError::Failed(text) | CallError::Text(text) => text,
        }
    }

    /// The same failure with a line added after it.
    pub fn with_note(self, note: &str) -> Self {
        match self {
            CallError::Failed(text) => CallError::Failed(format!("{text}\n{note}")),
            CallError::Text(text) => CallError::Text(format!("{text}\n{note}")),
        }
    }
}

/// What one tool call came to: its result, or why it failed.
pub type CallResult = Result<String, CallError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_reads_error_before_a_failure_and_the_user_only_the_words() {
        let e = CallError::failed("the user did not approve this call of x");
        assert_eq!(
            e.for_model(),
            "Error: the user did not approve this call of x"
        );
        assert_eq!(e.for_user(), "the user did not approve this call of x");
        let t = CallError::Text("Error from MCP server s: no".into()).with_note("(note)");
        assert_eq!(t.for_model(), "Error from MCP server s: no\n(note)");
    }
}
