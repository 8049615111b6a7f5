//! skills: SKILL.md files from the project's `.aicoder/skills/<name>/` and
//! the user's `~/.config/aicoder/skills/<name>/` (the project's win on a
//! shared name), as AI Coder v3's skills plugin. The prompt lists the skills
//! on offer (name and description from the front matter); the model loads
//! one with `load_skill` when the task calls for it; `/skills` lists them.
//!
//! Ceiling: `data` (read its two skills folders; it never writes), `prompt`
//! (its `skills` section), `hooks` (refresh the list when the user sends a
//! message; importing `hooks` also puts history.read/write in the ceiling,
//! which skills never uses).

use aicoder_plugin_sdk::{
    data, export_plugin, prompt, Args, Event, EventOutcome, HostError, Manifest, Plugin,
    PluginError, Preview, ToolOutput, ToolSpec,
};

struct Skills;

/// The most skills listed in the prompt.
pub const LIST_MAX: usize = 100;
/// The longest description kept in the list.
pub const DESCRIPTION_MAX: usize = 200;

const LOAD_SCHEMA: &str = r#"{"type":"object","properties":{"name":{"type":"string","description":"The skill's name, as listed under available skills"}},"required":["name"]}"#;

/// One skill found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skill {
    pub name: String,
    pub description: String,
    /// `project` or `user`.
    pub area: &'static str,
}

/// `name` and `description` from a SKILL.md's YAML front matter (simple
/// `key: value` lines between `---` fences); the folder name and the first
/// line of text otherwise.
pub fn front_matter(folder: &str, text: &str) -> (String, String) {
    let (mut name, mut description) = (folder.to_string(), String::new());
    let mut lines = text.lines();
    let mut body_start = None;
    if lines.next().map(str::trim) == Some("---") {
        for line in lines.by_ref() {
            if line.trim() == "---" {
                break;
            }
            if let Some((key, value)) = line.split_once(':') {
                let value = value
                    .trim()
                    .trim_matches(|c| c == '"' || c == '\'')
                    .to_string();
                match key.trim() {
                    "name" if !value.is_empty() => name = value,
                    "description" => description = value,
                    _ => {}
                }
            }
        }
        body_start = lines.find(|l| !l.trim().is_empty());
    } else if let Some(first) = text.lines().find(|l| !l.trim().is_empty()) {
        body_start = Some(first);
    }
    if description.is_empty() {
        description = body_start
            .unwrap_or("")
            .trim_start_matches('#')
            .trim()
            .to_string();
    }
    let description: String = description.chars().take(DESCRIPTION_MAX).collect();
    (name, description)
}

/// The prompt section listing `skills`.
pub fn section(skills: &[Skill]) -> String {
    let mut out = String::from(
        "Skills: instructions for particular tasks, loaded on demand. When a task matches \
         one, call load_skill with its name first and follow what it says.\n\nAvailable skills:\n",
    );
    for skill in skills.iter().take(LIST_MAX) {
        out.push_str(&format!("- {}: {}\n", skill.name, skill.description));
    }
    if skills.len() > LIST_MAX {
        out.push_str(&format!("({} more not listed)\n", skills.len() - LIST_MAX));
    }
    out
}

const AREAS: [(data::Area, &str); 2] =
    [(data::Area::Project, "project"), (data::Area::User, "user")];

/// Every skill, project first; a user skill with a project skill's name is
/// shadowed. Folders without a readable SKILL.md are skipped.
fn discover() -> Result<Vec<Skill>, HostError> {
    let mut skills: Vec<Skill> = Vec::new();
    for (area, label) in AREAS {
        for entry in data::list_dir(area, "")? {
            if !entry.is_dir {
                continue;
            }
            let text = match data::read_file(area, &format!("{}/SKILL.md", entry.name)) {
                Ok(t) => t,
                Err(HostError::AccessDenied(d)) => return Err(HostError::AccessDenied(d)),
                Err(_) => continue,
            };
            let (name, description) = front_matter(&entry.name, &text);
            if !skills.iter().any(|s| s.name == name) {
                skills.push(Skill {
                    name,
                    description,
                    area: label,
                });
            }
        }
    }
    Ok(skills)
}

/// The SKILL.md text of the skill called `name`.
fn load(name: &str) -> Result<Option<String>, HostError> {
    for (area, _) in AREAS {
        for entry in data::list_dir(area, "")? {
            if !entry.is_dir {
                continue;
            }
            let Ok(text) = data::read_file(area, &format!("{}/SKILL.md", entry.name)) else {
                continue;
            };
            if front_matter(&entry.name, &text).0 == name {
                return Ok(Some(text));
            }
        }
    }
    Ok(None)
}

fn refresh() -> Result<Vec<Skill>, HostError> {
    let skills = discover()?;
    if skills.is_empty() {
        match prompt::clear_section("skills") {
            Ok(()) | Err(HostError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
    } else {
        prompt::set_section("skills", &section(&skills))?;
    }
    Ok(skills)
}

impl Plugin for Skills {
    fn new() -> Self {
        Skills
    }

    fn manifest() -> Manifest {
        Manifest::new(
            "skills",
            "0.1.0",
            "SKILL.md instructions from .aicoder/skills/ and ~/.config/aicoder/skills/, listed in the prompt, loaded on demand",
        )
        .tool(
            ToolSpec::new(
                "load_skill",
                "Load a skill's instructions (SKILL.md) by name.",
                LOAD_SCHEMA,
            )
            .auto_approved(),
        )
        .command("skills", "List the skills: /skills, or show one: /skills NAME")
        .hook("after_user_message_added")
    }

    fn call_tool(&mut self, name: &str, args: Args) -> Result<ToolOutput, PluginError> {
        if name != "load_skill" {
            return Err(PluginError::InvalidArguments(format!(
                "unknown tool `{name}`"
            )));
        }
        let wanted = args.str("name")?;
        match load(wanted)? {
            Some(text) => Ok(ToolOutput {
                summary: format!("loaded skill {wanted} ({} bytes)", text.len()),
                detail: text,
            }),
            None => Err(PluginError::InvalidArguments(format!(
                "there is no skill `{wanted}`; the available skills are listed in the system prompt"
            ))),
        }
    }

    fn preview_tool(&mut self, _name: &str, args: Args) -> Result<Preview, PluginError> {
        Ok(Preview {
            text: format!("load skill {}", args.str("name")?),
            capabilities: vec!["data.read".into()],
        })
    }

    fn run_command(&mut self, _name: &str, args: &str) -> Result<String, PluginError> {
        let wanted = args.trim();
        if !wanted.is_empty() {
            return load(wanted)?.ok_or_else(|| {
                PluginError::InvalidArguments(format!(
                    "there is no skill `{wanted}`; /skills lists them"
                ))
            });
        }
        let skills = discover()?;
        if skills.is_empty() {
            return Ok("no skills: put SKILL.md files in .aicoder/skills/NAME/ or ~/.config/aicoder/skills/NAME/".into());
        }
        Ok(skills
            .iter()
            .map(|s| format!("{:<24} ({}) {}", s.name, s.area, s.description))
            .collect::<Vec<_>>()
            .join("\n"))
    }

    fn on_event(&mut self, event: Event) -> Result<EventOutcome, PluginError> {
        if event.name == "after_user_message_added" {
            refresh()?;
        }
        Ok(EventOutcome::Unchanged)
    }
}

export_plugin!(Skills);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_names_and_describes() {
        let text = "---\nname: pdf\ndescription: \"Work with PDF files\"\n---\n# PDF\nBody";
        assert_eq!(
            front_matter("folder", text),
            ("pdf".into(), "Work with PDF files".into())
        );
        assert_eq!(
            front_matter("review", "# Code review\n\nSteps"),
            ("review".into(), "Code review".into())
        );
        let long = format!("---\ndescription: {}\n---\n", "x".repeat(500));
        assert_eq!(front_matter("f", &long).1.len(), DESCRIPTION_MAX);
    }

    #[test]
    fn section_is_bounded() {
        let many: Vec<Skill> = (0..150)
            .map(|i| Skill {
                name: format!("s{i}"),
                description: "d".into(),
                area: "user",
            })
            .collect();
        let s = section(&many);
        assert!(s.contains("- s99: d"));
        assert!(!s.contains("- s100:"));
        assert!(s.contains("(50 more not listed)"));
    }
}
