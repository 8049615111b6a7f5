//! The host's layers, top to bottom, and the rule that imports flow one way:
//! a module may use (`crate::X`) only modules of a lower layer (and itself).
//!
//! ```text
//! cli -> session -> ui -> app | mcp -> plugins | tools -> caps -> state
//!     -> model | workspace | shell | bindings -> config -> util
//! ```
//!
//! The test below reads every source file under `host/src/` and fails when a
//! lower layer names a higher one (or two modules of one layer name each
//! other), so a cycle cannot come back unnoticed.

/// Each top-level module with its layer (higher layers may use lower ones).
pub const LAYERS: &[(&str, u8)] = &[
    ("cli", 10),
    ("session", 9),
    ("serve", 9),
    ("ui", 8),
    ("app", 7),
    ("headless", 7),
    ("mcp", 7),
    ("plugins", 6),
    ("tools", 6),
    ("caps", 5),
    ("state", 4),
    ("model", 3),
    ("workspace", 3),
    ("shell", 3),
    ("bindings", 3),
    ("config", 2),
    ("term", 1),
    ("interrupt", 1),
    ("util", 1),
    // Only lib.rs itself (this table) lives here.
    ("layers", 0),
];

/// The layer of a top-level module, if it is one.
pub fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .find(|(name, _)| *name == module)
        .map(|(_, rank)| *rank)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                // Plugin templates are not host code.
                if path.file_name().is_some_and(|n| n == "templates") {
                    continue;
                }
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// Every `crate::NAME` a piece of code names (in `use` lines or inline
    /// paths; `crate::{a, b}` groups included).
    fn named_modules(code: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            // `aicoder_crate::` and the like are not ours.
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    found.push(name);
                }
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
        found
    }

    /// The code of a file without its test modules (tests may reach up to
    /// build what they check) and without comments.
    fn production_code(text: &str) -> String {
        let mut code = String::new();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.starts_with("#[cfg(test)]") {
                // Skip the item: one line, or a block to its closing `}`.
                if lines
                    .next()
                    .is_some_and(|item| item.trim_end().ends_with('{'))
                {
                    for inner in lines.by_ref() {
                        if inner == "}" {
                            break;
                        }
                    }
                }
                continue;
            }
            let line = line.split("//").next().unwrap_or("");
            code.push_str(line);
            code.push('\n');
        }
        code
    }

    /// The violations in the tree under `src`: `file: a -> b` lines.
    fn violations(src: &Path) -> Vec<String> {
        let mut files = Vec::new();
        rust_files(src, &mut files);
        let mut found = Vec::new();
        for file in files {
            let rel = file.strip_prefix(src).expect("under src");
            let top = rel
                .components()
                .next()
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or("")
                .trim_end_matches(".rs")
                .to_string();
            let Some(own) = layer(&top) else {
                continue; // lib.rs, main.rs
            };
            let text = std::fs::read_to_string(&file).expect("read file");
            for used in named_modules(&production_code(&text)) {
                if used == top {
                    continue;
                }
                match layer(&used) {
                    Some(theirs) if theirs < own => {}
                    Some(_) => found.push(format!("{}: {top} -> {used}", rel.display())),
                    None => {}
                }
            }
        }
        found.sort();
        found.dedup();
        found
    }

    #[test]
    fn imports_flow_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let found = violations(&src);
        assert!(
            found.is_empty(),
            "a lower layer uses a higher one (see host/src/layers.rs):\n{}",
            found.join("\n")
        );
    }

    /// One-shot commands (`plugin call`, `py`, `audit undo`, ...) open an
    /// `App`: a whole session would start a model client and a runtime.
    #[test]
    fn one_shot_commands_open_the_app_not_a_session() {
        let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
        let mut files = Vec::new();
        rust_files(&cli, &mut files);
        for file in files {
            let code = production_code(&std::fs::read_to_string(&file).expect("read"));
            assert!(
                !code.contains("Session::open"),
                "{} opens a session; open crate::app::App instead",
                file.display()
            );
        }
    }

    #[test]
    fn every_top_level_module_has_a_layer() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for entry in std::fs::read_dir(&src).expect("src") {
            let path = entry.expect("entry").path();
            let name = path
                .file_stem()
                .and_then(|n| n.to_str())
                .expect("name")
                .to_string();
            if name == "lib" || name == "main" {
                continue;
            }
            assert!(
                layer(&name).is_some(),
                "host/src/{name} has no layer in LAYERS"
            );
        }
    }

    #[test]
    fn the_scan_sees_each_form_of_import() {
        let code =
            "use crate::plugins::X;\nuse crate::{caps, state::Y};\nlet x = crate::cli::run();\n";
        assert_eq!(
            named_modules(code),
            ["plugins", "caps", "state", "cli"].map(String::from)
        );
        assert_eq!(
            production_code("use crate::a;\n#[cfg(test)]\nmod t;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\nuse crate::c; // crate::d\n"),
            "use crate::a;\nuse crate::c; \n"
        );
    }
}
