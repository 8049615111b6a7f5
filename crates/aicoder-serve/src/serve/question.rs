//! The grant question put to the person through the MCP client, and how its
//! answer is read. Only what was asked is read back: the scope among the
//! four offered and the grant scope among those listed. Every other field a
//! client sends (another plugin, another capability, a wider pattern) is
//! ignored, so an answer can narrow or refuse a grant, never widen it.

use crate::caps::grants::Scope;
use crate::caps::scope::ScopePattern;
use crate::caps::Capability;
use serde_json::{json, Map, Value};

/// What one call needs and is not granted: the question to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub capability: Capability,
    /// What the call touches, as the preview said (a path, a command, a host).
    pub target: Option<String>,
    /// Grant scopes covering the target, narrowest first (empty: the whole
    /// capability is the only choice).
    pub offers: Vec<String>,
}

/// The `within` choice that stands for the whole capability.
pub const WHOLE: &str = "all";

/// The four lengths a grant can have, as the form lists them.
pub const SCOPES: [&str; 4] = ["once", "session", "always", "deny"];

/// The question's text: plugin, version, hash, capability and what it
/// allows, the tool, the client and the call's own preview. Text that came
/// from a plugin or a client is made visible (control characters escaped).
pub fn message(
    plugin: &str,
    version: &str,
    short_hash: &str,
    tool: &str,
    client: &str,
    preview: &str,
    need: &Need,
) -> String {
    let what = need
        .target
        .as_deref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let text = format!(
        "aicoder: plugin `{plugin}` {version} ({short_hash}) needs {cap}{what} to run `{tool}` for {client}.\n\
         {cap}: {desc}.\n\
         The call: {preview}\n\
         Grant {cap} to {plugin} once (this call), for this session (until `aicoder mcp serve` stops), \
         always (this version of the plugin), or deny?",
        cap = need.capability.name(),
        desc = need.capability.description(),
    );
    crate::term::sanitize::visible(&text).into_owned()
}

/// The form: `scope` (once, session, always, deny; default once) and, when
/// the capability can be narrowed, `within` (the offered scopes, then
/// [`WHOLE`]; default the narrowest).
pub fn schema(need: &Need) -> Value {
    let mut properties = Map::new();
    properties.insert(
        "scope".into(),
        json!({
            "type": "string",
            "title": "Grant for how long",
            "description": "once: this call only; session: until aicoder mcp serve stops; always: remembered for this plugin version; deny: refuse until the server stops",
            "enum": SCOPES,
            "default": "once",
        }),
    );
    if !need.offers.is_empty() {
        let mut choices: Vec<String> = need.offers.clone();
        choices.push(WHOLE.to_string());
        properties.insert(
            "within".into(),
            json!({
                "type": "string",
                "title": format!("Which part of {}", need.capability.name()),
                "description": format!("`{WHOLE}` grants the whole capability"),
                "enum": choices,
                "default": need.offers[0],
            }),
        );
    }
    json!({ "type": "object", "properties": properties, "required": ["scope"] })
}

/// What the person decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Grant for `scope`, within the pattern (or the whole capability).
    Grant {
        scope: Scope,
        within: Option<ScopePattern>,
    },
    /// Deny (remembered while the server runs, as a session's `d`).
    Deny,
    /// Not granted, nothing remembered; the reason.
    NotGranted(String),
}

/// Read an accepted form: only `scope` and `within`, only among the values
/// offered. Anything else is "not granted", never a wider grant.
pub fn read_answer(need: &Need, fields: &Map<String, Value>) -> Decision {
    let scope = match fields.get("scope").and_then(Value::as_str) {
        Some("once") => Scope::Once,
        Some("session") => Scope::Session,
        Some("always") => Scope::Always,
        Some("deny") => return Decision::Deny,
        Some(other) => {
            return Decision::NotGranted(format!(
                "the answer's scope `{}` is not one of once, session, always, deny",
                crate::term::sanitize::visible(other)
            ))
        }
        None => return Decision::NotGranted("the answer gave no scope".into()),
    };
    let within = if need.offers.is_empty() {
        None
    } else {
        match fields.get("within").and_then(Value::as_str) {
            None => need.offers.first().map(String::as_str),
            Some(WHOLE) => None,
            Some(w) if need.offers.iter().any(|o| o == w) => Some(w),
            Some(w) => {
                return Decision::NotGranted(format!(
                    "the answer's `within` {} is not one of the scopes offered",
                    crate::term::sanitize::visible(w)
                ))
            }
        }
    };
    let within = match within.map(|w| ScopePattern::parse(need.capability, w)) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => return Decision::NotGranted(e.to_string()),
        None => None,
    };
    Decision::Grant { scope, within }
}

/// The command the person can run instead when the client cannot ask.
pub fn grant_command(plugin: &str, need: &Need) -> String {
    let cap = need.capability.name();
    match need.offers.first() {
        Some(narrow) => format!(
            "`aicoder plugin grant {plugin} {cap}` (or only `{}`: `aicoder plugin grant {plugin} {cap} --scope '{}'`)",
            narrow,
            narrow.replace('\'', "'\\''")
        ),
        None => format!("`aicoder plugin grant {plugin} {cap}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(offers: &[&str]) -> Need {
        Need {
            capability: Capability::FsWrite,
            target: Some("src/a.rs".into()),
            offers: offers.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn reads_only_the_offered_values() {
        let n = need(&["src/a.rs", "src/**"]);
        let d = read_answer(&n, &fields(json!({"scope": "session"})));
        assert!(
            matches!(d, Decision::Grant { scope: Scope::Session, within: Some(ref w) } if w.text() == "src/a.rs")
        );
        let d = read_answer(&n, &fields(json!({"scope": "always", "within": "all"})));
        assert!(matches!(
            d,
            Decision::Grant {
                scope: Scope::Always,
                within: None
            }
        ));
        // A pattern never offered is not a grant, however it is spelled.
        let d = read_answer(&n, &fields(json!({"scope": "always", "within": "**"})));
        assert!(matches!(d, Decision::NotGranted(_)));
        assert!(matches!(
            read_answer(&n, &fields(json!({"scope": "forever"}))),
            Decision::NotGranted(_)
        ));
        assert!(matches!(
            read_answer(&n, &fields(json!({}))),
            Decision::NotGranted(_)
        ));
        assert_eq!(
            read_answer(&n, &fields(json!({"scope": "deny"}))),
            Decision::Deny
        );
    }

    #[test]
    fn extra_fields_naming_other_plugins_or_capabilities_are_ignored() {
        let n = Need {
            capability: Capability::WorkspaceWrite,
            target: None,
            offers: vec![],
        };
        let d = read_answer(
            &n,
            &fields(json!({
                "scope": "once",
                "capability": "shell.exec",
                "plugin": "misbehave",
                "within": "**",
            })),
        );
        assert!(matches!(
            d,
            Decision::Grant {
                scope: Scope::Once,
                within: None
            }
        ));
    }

    #[test]
    fn the_question_shows_control_characters() {
        let n = need(&[]);
        let m = message("p", "1", "abcd", "t", "client\x1b[2J", "rm\x07", &n);
        assert!(!m.contains('\x1b') && !m.contains('\x07'));
        assert!(m.contains("fs.write (src/a.rs)"));
    }

    #[test]
    fn the_form_offers_scopes_narrowest_first() {
        let s = schema(&need(&["src/a.rs", "src/**"]));
        assert_eq!(s["properties"]["within"]["default"], "src/a.rs");
        assert_eq!(s["properties"]["within"]["enum"][2], "all");
        assert_eq!(s["properties"]["scope"]["enum"][3], "deny");
        let s = schema(&need(&[]));
        assert!(s["properties"].get("within").is_none());
    }
}
