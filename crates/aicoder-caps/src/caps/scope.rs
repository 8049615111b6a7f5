//! Grant scopes: what part of a capability a grant covers. A scope is written
//! after the capability, `CAP:SCOPE`:
//!
//! - `fs.read` / `fs.write`: a path glob beneath the workspace root
//!   (`fs.write:src/**`), matched on the path relative to the root after
//!   `.` is removed; `*` stays inside one folder, `**` crosses folders. The
//!   path matched is where the call really leads (`caps::fs` resolves it
//!   beneath the root first, symlinks followed), never the path as written:
//!   `src/link -> ../.git/hooks` is judged as `.git/hooks`. A path that
//!   still climbs with `..` is never covered.
//! - `net.fetch`: loopback and private addresses only through a scope that
//!   names the address itself (`net.fetch:127.0.0.1:8080`), never a name.
//! - `shell.exec`: a command pattern (`shell.exec:cargo test*`), matched on
//!   the command split into words the way `sh` splits them, never on the
//!   raw text: `*` in a word matches any characters of that word, and a
//!   last word ending in `*` (or a last word `*`) lets any further
//!   arguments follow. Shell control operators (`;`, `&&`, `||`, `|`, `&`,
//!   `<`, `>`, `(`, `)`, a newline) split the command into parts that must
//!   match the pattern's parts one by one, operator for operator, so
//!   `cargo test*` never covers `cargo test; rm -rf ~`. A command with an
//!   expansion (`$`, a backtick) outside single quotes is never covered: its
//!   words are only known once the shell ran it.
//! - `net.fetch`: a host, with an optional port (`net.fetch:api.github.com`,
//!   `net.fetch:127.0.0.1:8080`), compared exactly (case-insensitive).
//!
//! A grant without a scope covers the whole capability, as before scopes.

use super::Capability;
use std::path::{Component, Path};

/// What a grant's scope names for a capability: the `scope(...)` column of
/// the capability table (caps/mod.rs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// Grants cover the whole capability; a scope is refused.
    None,
    /// A path glob beneath the workspace root.
    Path,
    /// A command pattern, matched word by word.
    Command,
    /// A host with an optional port.
    Host,
}

/// What one call touches, for the scope check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// Nothing narrower than the capability is known: only a grant without
    /// a scope covers it.
    Whole,
    /// A path as the plugin gave it, relative to the workspace root (see
    /// [`root_relative`]).
    Path(&'a str),
    /// A shell command line.
    Command(&'a str),
    /// A network host and port.
    Host { host: &'a str, port: u16 },
}

/// A target read once for checking against many scopes: the path cleaned,
/// the command split into words (`None` when no scope can cover it).
#[derive(Debug)]
pub enum Prepared<'a> {
    Whole,
    Path(Option<String>),
    Command(Option<Vec<Token>>),
    Host { host: &'a str, port: u16 },
}

impl<'a> Prepared<'a> {
    /// Read `target` once.
    pub fn new(target: &Target<'a>) -> Self {
        match *target {
            Target::Whole => Prepared::Whole,
            Target::Path(p) => Prepared::Path(clean_path(p)),
            Target::Command(c) => Prepared::Command(tokenize(c)),
            Target::Host { host, port } => Prepared::Host { host, port },
        }
    }
}

/// A scope that could not be read, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("{capability} takes no scope (only fs.read, fs.write, shell.exec and net.fetch do); grant `{capability}` without `:{scope}`")]
    NotScopable { capability: String, scope: String },
    #[error("the scope of {capability} is empty; write `{capability}` for the whole capability or `{capability}:PATTERN`")]
    Empty { capability: String },
    #[error("`{scope}` is not a path glob beneath the workspace root: {reason} (e.g. `src/**`)")]
    BadPath { scope: String, reason: String },
    #[error("`{scope}` is not a command pattern: {reason} (e.g. `cargo test*`)")]
    BadCommand { scope: String, reason: String },
    #[error("`{scope}` is not a host: {reason} (e.g. `api.github.com` or `127.0.0.1:8080`)")]
    BadHost { scope: String, reason: String },
}

/// A parsed, ready-to-match scope of one capability.
#[derive(Debug, Clone)]
pub struct ScopePattern {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Paths {
        glob: globset::GlobMatcher,
        /// The literal start of the glob (before any `*?[{`): a cheap
        /// first test, and `dir` for `dir/**` so the folder itself matches.
        prefix: String,
        dir_itself: Option<String>,
    },
    Command(Vec<Token>),
    Host {
        host: String,
        port: Option<u16>,
    },
}

impl PartialEq for ScopePattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}
impl Eq for ScopePattern {}

/// Whether grants of `capability` can carry a scope.
pub fn scopable(capability: Capability) -> bool {
    capability.scope_kind() != ScopeKind::None
}

impl ScopePattern {
    /// Read the scope `text` of a `capability` grant.
    pub fn parse(capability: Capability, text: &str) -> Result<Self, ScopeError> {
        let text = text.trim();
        if !scopable(capability) {
            return Err(ScopeError::NotScopable {
                capability: capability.name().into(),
                scope: text.into(),
            });
        }
        if text.is_empty() {
            return Err(ScopeError::Empty {
                capability: capability.name().into(),
            });
        }
        let kind = match capability.scope_kind() {
            ScopeKind::Path => parse_path(text)?,
            ScopeKind::Command => parse_command(text)?,
            ScopeKind::Host | ScopeKind::None => parse_host(text)?,
        };
        Ok(ScopePattern {
            text: text.to_string(),
            kind,
        })
    }

    /// The scope as the user wrote it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether this scope covers `target`.
    pub fn covers(&self, target: &Target) -> bool {
        self.covers_prepared(&Prepared::new(target))
    }

    /// [`ScopePattern::covers`] for a target prepared once for many scopes.
    pub fn covers_prepared(&self, target: &Prepared) -> bool {
        match (&self.kind, target) {
            (
                Kind::Paths {
                    glob,
                    prefix,
                    dir_itself,
                },
                Prepared::Path(Some(path)),
            ) => {
                dir_itself.as_deref() == Some(path.as_str())
                    || (path.starts_with(prefix.as_str()) && glob.is_match(path))
            }
            (Kind::Command(pattern), Prepared::Command(Some(tokens))) => {
                command_matches(pattern, tokens)
            }
            (Kind::Host { host, port }, Prepared::Host { host: h, port: p }) => {
                host.eq_ignore_ascii_case(h) && port.is_none_or(|port| port == *p)
            }
            _ => false,
        }
    }

    /// Whether this scope names `host` exactly (the network capability lets
    /// loopback and private addresses through only then).
    pub fn names_host(&self, host: &str) -> bool {
        matches!(&self.kind, Kind::Host { host: h, .. } if h.eq_ignore_ascii_case(host))
    }
}

/// `path` (as the plugin gave it, relative to `cwd`) relative to the root,
/// or `None` when it cannot be expressed (outside, NUL, ...); `root` and
/// `cwd` are absolute.
pub fn root_relative(root: &Path, cwd: &Path, path: &str) -> Option<String> {
    let p = Path::new(path);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let rel = joined.strip_prefix(root).ok()?;
    clean_path(rel.to_str()?)
}

/// A relative path without `.` components or a trailing slash; `None` when
/// it climbs with `..` or is absolute.
fn clean_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(s) => parts.push(s.to_str()?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

fn parse_path(text: &str) -> Result<Kind, ScopeError> {
    let bad = |reason: &str| ScopeError::BadPath {
        scope: text.into(),
        reason: reason.into(),
    };
    if text.starts_with('/') {
        return Err(bad("it is absolute; write it relative to the root"));
    }
    if text.split('/').any(|part| part == "..") {
        return Err(bad("it climbs with `..`"));
    }
    let normal = text
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/");
    if normal.is_empty() {
        return Err(bad("it names no path; use `**` for every file"));
    }
    let glob = globset::GlobBuilder::new(&normal)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| bad(&e.kind().to_string()))?
        .compile_matcher();
    let prefix: String = normal
        .chars()
        .take_while(|c| !matches!(c, '*' | '?' | '[' | '{' | '\\'))
        .collect();
    let dir_itself = normal.strip_suffix("/**").map(str::to_string);
    Ok(Kind::Paths {
        glob,
        prefix,
        dir_itself,
    })
}

fn parse_command(text: &str) -> Result<Kind, ScopeError> {
    let tokens = tokenize(text).ok_or_else(|| ScopeError::BadCommand {
        scope: text.into(),
        reason: "it has an unclosed quote or an expansion ($, `)".into(),
    })?;
    if !matches!(tokens.first(), Some(Token::Word(_))) {
        return Err(ScopeError::BadCommand {
            scope: text.into(),
            reason: "it does not start with a program name".into(),
        });
    }
    Ok(Kind::Command(tokens))
}

fn parse_host(text: &str) -> Result<Kind, ScopeError> {
    let bad = |reason: String| ScopeError::BadHost {
        scope: text.into(),
        reason,
    };
    // `[::1]:8080`, `[::1]`, `host:443`, `host`: the one host:port reading.
    let hp = aicoder_sandbox::HostPort::parse(text).map_err(|e| bad(e.to_string()))?;
    if hp.is_wildcard() {
        return Err(bad(
            "write the host name or address only, without scheme, path or wildcards".into(),
        ));
    }
    Ok(Kind::Host {
        host: hp.host,
        port: hp.port,
    })
}

/// A word or a control operator of a shell command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Word(String),
    Op(String),
}

/// Split a command line as `sh` would into words and control operators;
/// `None` when it has an expansion (`$` or a backtick outside single
/// quotes) or an unclosed quote.
fn tokenize(line: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    let end_word = |tokens: &mut Vec<Token>, word: &mut String, in_word: &mut bool| {
        if *in_word {
            tokens.push(Token::Word(std::mem::take(word)));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        ch => word.push(ch),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '$' | '`' => return None,
                        '\\' => match chars.next()? {
                            ch @ ('"' | '\\' | '$' | '`') => word.push(ch),
                            '\n' => {}
                            ch => {
                                word.push('\\');
                                word.push(ch);
                            }
                        },
                        ch => word.push(ch),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(ch) => {
                    in_word = true;
                    word.push(ch);
                }
                None => {
                    in_word = true;
                    word.push('\\');
                }
            },
            '$' | '`' => return None,
            ' ' | '\t' => end_word(&mut tokens, &mut word, &mut in_word),
            '#' if !in_word => break,
            ';' | '&' | '|' | '<' | '>' | '(' | ')' | '\n' => {
                end_word(&mut tokens, &mut word, &mut in_word);
                let mut op = c.to_string();
                // Two-character operators: && || ;; >> << >& <& &> >|
                if let Some(&next) = chars.peek() {
                    if matches!(
                        (c, next),
                        ('&', '&')
                            | ('|', '|')
                            | (';', ';')
                            | ('>', '>')
                            | ('<', '<')
                            | ('>', '&')
                            | ('<', '&')
                            | ('&', '>')
                            | ('>', '|')
                    ) {
                        op.push(next);
                        chars.next();
                    }
                }
                tokens.push(Token::Op(op));
            }
            ch => {
                in_word = true;
                word.push(ch);
            }
        }
    }
    end_word(&mut tokens, &mut word, &mut in_word);
    Some(tokens)
}

/// Whether `command` (tokens) matches `pattern` (tokens): the same control
/// operators in the same places, and each part's words matching.
fn command_matches(pattern: &[Token], command: &[Token]) -> bool {
    let parts = |tokens: &[Token]| -> (Vec<Vec<String>>, Vec<String>) {
        let mut parts = vec![Vec::new()];
        let mut ops = Vec::new();
        for t in tokens {
            match t {
                Token::Word(w) => {
                    if let Some(last) = parts.last_mut() {
                        last.push(w.clone());
                    }
                }
                Token::Op(op) => {
                    ops.push(op.clone());
                    parts.push(Vec::new());
                }
            }
        }
        (parts, ops)
    };
    let (pattern_parts, pattern_ops) = parts(pattern);
    let (command_parts, command_ops) = parts(command);
    pattern_ops == command_ops
        && pattern_parts.len() == command_parts.len()
        && pattern_parts
            .iter()
            .zip(&command_parts)
            .all(|(p, c)| words_match(p, c))
}

/// One part: each pattern word matches the command word in its place; a
/// last pattern word ending in `*` lets further words follow (`*` alone
/// also lets none).
fn words_match(pattern: &[String], words: &[String]) -> bool {
    let Some((last, firsts)) = pattern.split_last() else {
        return words.is_empty();
    };
    let word = |i: usize, p: &str, w: &str| {
        if i == 0 {
            program_match(p, w)
        } else {
            wildcard(p, w)
        }
    };
    let firsts_match = |words: &[String]| {
        words.len() >= firsts.len()
            && firsts
                .iter()
                .zip(words)
                .enumerate()
                .all(|(i, (p, w))| word(i, p, w))
    };
    if last == "*" {
        return firsts_match(words);
    }
    let at = firsts.len();
    if last.ends_with('*') {
        return firsts_match(words) && words.get(at).is_some_and(|w| word(at, last, w));
    }
    words.len() == pattern.len() && firsts_match(words) && word(at, last, &words[at])
}

/// A command's first word names the program: a `*` there never stands for
/// `=` (`espeak=1 sh -c ...` is a variable assignment that runs `sh`) nor
/// for `/` (`espeak.d/run` is another program), only what the pattern
/// spells itself. A lone `*` still means any command.
fn program_match(pattern: &str, word: &str) -> bool {
    pattern == "*"
        || (wildcard(pattern, word)
            && (!word.contains('=') || pattern.contains('='))
            && (!word.contains('/') || pattern.contains('/')))
}

/// `*` matches any run of characters; everything else matches itself.
fn wildcard(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let Some(first) = pieces.next() else {
        return text.is_empty();
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Scopes the approval prompt offers for one call, narrowest first (the
/// whole capability is offered beside them): the exact path and its folder
/// (`src/a.rs`, `src/**`); the exact command and its first words with `*`
/// (`cargo test -p x`, `cargo test*`); the host with and without its port.
pub fn suggestions(capability: Capability, target: &Target) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match target {
        Target::Path(path) => {
            if let Some(path) = clean_path(path) {
                if path.is_empty() {
                    return out;
                }
                let escaped = escape_glob(&path);
                out.push(escaped.clone());
                match path.rsplit_once('/') {
                    Some((dir, _)) => out.push(format!("{}/**", escape_glob(dir))),
                    None => out.push("**".into()),
                }
            }
        }
        Target::Command(command) => {
            let Some(tokens) = tokenize(command) else {
                return out;
            };
            if tokens.iter().any(|t| matches!(t, Token::Op(_))) {
                // Only the exact command line: a wider pattern over several
                // commands is for the user to write.
                out.push(command.trim().to_string());
                return out;
            }
            let words: Vec<String> = tokens
                .into_iter()
                .filter_map(|t| match t {
                    Token::Word(w) => Some(w),
                    Token::Op(_) => None,
                })
                .collect();
            if words.is_empty() {
                return out;
            }
            out.push(
                words
                    .iter()
                    .map(|w| quote_word(w))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let keep = if words.len() > 2 { 2 } else { 1 };
            if words.len() > keep {
                let head: Vec<String> = words[..keep].iter().map(|w| quote_word(w)).collect();
                out.push(format!("{}*", head.join(" ")));
            }
        }
        Target::Host { host, port } => {
            out.push(format!("{}:{port}", bracket(host)));
            out.push(bracket(host));
        }
        Target::Whole => {}
    }
    // Each must parse back to a scope that covers the call.
    out.retain(|s| ScopePattern::parse(capability, s).is_ok_and(|p| p.covers(target)));
    out.dedup();
    out
}

fn bracket(host: &str) -> String {
    if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

fn escape_glob(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `word` as `sh` needs it written to read it back as one word: unchanged
/// when plain, else in single quotes.
pub fn quote_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%^".contains(c))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests;
