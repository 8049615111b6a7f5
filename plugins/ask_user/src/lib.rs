//! ask_user: the model asks the user a question, optionally with choices,
//! answered at the terminal (v3's ask_user). Needs `ui.ask` only; without a
//! terminal (piped mode) the host refuses and the model reads why.

use aicoder_plugin_sdk::bindings::aicoder::plugin::ui;
use aicoder_plugin_sdk::{
    export_plugin, Args, Manifest, Plugin, PluginError, Preview, ToolOutput, ToolSpec,
};

struct AskUser;

const SCHEMA: &str = r#"{"type":"object","properties":{"question":{"type":"string","description":"The question for the user (at most 2000 characters)"},"choices":{"type":"array","items":{"type":"string"},"description":"Optional answers to pick from (at most 20, each at most 200 characters)"}},"required":["question"]}"#;

/// The question and choices of a call.
pub fn parse(args: &Args) -> Result<(String, Vec<String>), PluginError> {
    let question = args.str("question")?.to_string();
    let choices = match args.get("choices") {
        None | Some(serde_json::Value::Null) => Vec::new(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|c| {
                c.as_str().map(str::to_string).ok_or_else(|| {
                    PluginError::InvalidArguments("`choices` must be strings".into())
                })
            })
            .collect::<Result<_, _>>()?,
        Some(_) => {
            return Err(PluginError::InvalidArguments(
                "`choices` must be an array of strings".into(),
            ))
        }
    };
    Ok((question, choices))
}

impl Plugin for AskUser {
    fn new() -> Self {
        AskUser
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "ask_user",
            "0.1.0",
            "Lets the model ask you a question with choices, answered at the terminal",
        )
        .tool(
            ToolSpec::new(
                "ask_user",
                "Ask the user a question when you need a decision or information only they have. \
                 Give `choices` when the answer is one of a few options. Fails in piped mode (no user).",
                SCHEMA,
            )
            .auto_approved(),
        )
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        if name != "ask_user" {
            return Err(PluginError::InvalidArguments(format!(
                "unknown tool `{name}`"
            )));
        }
        let (question, choices) = parse(&args)?;
        let answer = ui::ask(&question, &choices)?;
        Ok(ToolOutput {
            summary: format!("answered: {}", answer.chars().take(80).collect::<String>()),
            detail: format!("The user answered: {answer}"),
        })
    }

    fn preview_tool(&mut self, name: &str, args: Args) -> Result<Preview, PluginError> {
        let (question, _) = parse(&args)?;
        let short: String = question
            .chars()
            .take(60)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        Ok(Preview {
            text: format!("{name}: ask you {short:?}"),
            capabilities: vec!["ui.ask".into()],
        })
    }
}

export_plugin!(AskUser);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_and_choices_are_read_and_checked() {
        let args = Args::from_json(r#"{"question":"Which?","choices":["a","b"]}"#).expect("json");
        assert_eq!(
            parse(&args).expect("valid"),
            ("Which?".into(), vec!["a".into(), "b".into()])
        );
        let args = Args::from_json(r#"{"question":"Free?"}"#).expect("json");
        assert!(parse(&args).expect("valid").1.is_empty());
        let args = Args::from_json(r#"{"question":"Bad","choices":[1]}"#).expect("json");
        assert!(matches!(
            parse(&args),
            Err(PluginError::InvalidArguments(_))
        ));
        let args = Args::from_json(r#"{"choices":[]}"#).expect("json");
        assert!(parse(&args).is_err());
    }
}
