//! The process sandbox as aicoder uses it (the mechanism is the
//! `aicoder-sandbox` crate): which commands are confined, with which
//! policy, and the hosts the user let through for this session.
//!
//! - `SHELL_SANDBOX` unset or `1`: confined where the kernel supports it,
//!   otherwise one line says what is missing and the command runs
//!   unconfined (AI Coder v3's behaviour, still approved);
//!   `SHELL_SANDBOX=required`: refused where unsupported;
//!   `SHELL_SANDBOX=0`: never confined.
//! - The policy: the workspace root writable (its `.aicoder/` hidden and
//!   read-only, as are `~/.config/aicoder` and `~/.cache/aicoder`), the
//!   secret places hidden (`aicoder_sandbox::default_deny_read`, or the
//!   user's `SHELL_SANDBOX_DENY_READ`, never a project's), the
//!   network only through the proxy to the hosts allowed for this session.

use aicoder_sandbox::{HostRule, Policy, Support};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// How commands are confined (`SHELL_SANDBOX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `SHELL_SANDBOX=0`.
    Off,
    /// The default: confined where supported.
    Auto,
    /// `SHELL_SANDBOX=required`: refused where unsupported.
    Required,
}

/// The mode the environment asks for. Unit tests of this crate run without
/// the launcher (the test harness is not the aicoder binary): off there.
pub fn mode() -> Mode {
    match std::env::var("SHELL_SANDBOX").ok().as_deref() {
        Some("0") | Some("off") | Some("false") => Mode::Off,
        Some("required") | Some("2") => Mode::Required,
        Some(_) => Mode::Auto,
        None if cfg!(test) => Mode::Off,
        None => Mode::Auto,
    }
}

/// What the kernel supports, probed once.
pub fn support() -> Support {
    static SUPPORT: OnceLock<Support> = OnceLock::new();
    *SUPPORT.get_or_init(aicoder_sandbox::probe)
}

/// Why a command is refused: `SHELL_SANDBOX=required` where the kernel
/// cannot confine it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "SHELL_SANDBOX=required but the sandbox is not available here: {missing} is missing; \
     the command was not run"
)]
pub struct SandboxRequired {
    /// What the kernel lacks, as the probe names it.
    pub missing: String,
}

/// Whether the next command should be confined: `Ok(true)` confined,
/// `Ok(false)` unconfined (off, or unsupported in `Auto`, said once on
/// stderr), `Err` refused (unsupported in `Required`).
pub fn decide() -> Result<bool, SandboxRequired> {
    let mode = mode();
    if mode == Mode::Off {
        return Ok(false);
    }
    match support().missing() {
        None => Ok(true),
        Some(missing) if mode == Mode::Required => Err(SandboxRequired { missing }),
        Some(missing) => {
            static SAID: OnceLock<()> = OnceLock::new();
            SAID.get_or_init(|| {
                eprintln!(
                    "aicoder: the process sandbox is not available here ({missing} missing); \
                     commands run unconfined as in AI Coder v3, still approved \
                     (SHELL_SANDBOX=required refuses them instead)"
                )
            });
            Ok(false)
        }
    }
}

/// Hosts the user allowed the built-in shell for this session.
fn session_hosts() -> &'static Mutex<Vec<HostRule>> {
    static HOSTS: OnceLock<Mutex<Vec<HostRule>>> = OnceLock::new();
    HOSTS.get_or_init(|| {
        // SHELL_SANDBOX_HOSTS=host,host:port,*.domain: allowed from the start.
        let from_env = std::env::var("SHELL_SANDBOX_HOSTS").unwrap_or_default();
        let rules = from_env
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| match HostRule::parse(s) {
                Ok(rule) => Some(rule),
                Err(e) => {
                    eprintln!("aicoder: SHELL_SANDBOX_HOSTS: {e}; ignored");
                    None
                }
            })
            .collect();
        Mutex::new(rules)
    })
}

/// Let `rule` through for the rest of the session.
pub fn allow_for_session(rule: HostRule) {
    let mut hosts = session_hosts().lock().unwrap_or_else(|p| p.into_inner());
    if !hosts.contains(&rule) {
        hosts.push(rule);
    }
}

/// The hosts allowed for this session.
pub fn hosts() -> Vec<HostRule> {
    session_hosts()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

/// The deny list the user chose (`SHELL_SANDBOX_DENY_READ` in the
/// environment or the user's config file; never a project's), or `None`
/// for the default list. Set once at start-up by [`set_deny_read`].
static DENY_READ: std::sync::RwLock<Option<Vec<DenyEntry>>> = std::sync::RwLock::new(None);

/// One entry of `SHELL_SANDBOX_DENY_READ`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DenyEntry {
    /// `default`: every path of [`aicoder_sandbox::default_deny_read`].
    Defaults,
    /// `~/x`: beneath the home folder (resolved when a command starts).
    Home(PathBuf),
    /// An absolute path.
    Path(PathBuf),
}

/// Read a `SHELL_SANDBOX_DENY_READ` value: paths separated by commas, each
/// absolute or starting with `~/`; the word `default` stands for the
/// built-in list (so `default,~/work/secrets` adds one place, and a list
/// without `default` replaces it). Returns the entries and one notice per
/// entry that was ignored.
fn parse_deny_read(value: &str) -> (Vec<DenyEntry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut notices = Vec::new();
    for item in value
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if item.eq_ignore_ascii_case("none") {
            // An empty list, said explicitly (an empty value means unset).
        } else if item.eq_ignore_ascii_case("default") {
            entries.push(DenyEntry::Defaults);
        } else if item == "~" {
            entries.push(DenyEntry::Home(PathBuf::new()));
        } else if let Some(rest) = item.strip_prefix("~/") {
            entries.push(DenyEntry::Home(PathBuf::from(rest)));
        } else if Path::new(item).is_absolute() {
            entries.push(DenyEntry::Path(PathBuf::from(item)));
        } else {
            notices.push(format!(
                "SHELL_SANDBOX_DENY_READ: `{item}` is neither absolute nor beneath `~/`; it is \
                 ignored (e.g. `default,~/work/secrets,/srv/keys`)"
            ));
        }
    }
    (entries, notices)
}

/// Take the user's deny list (`None`: the default list). Returns notices
/// about entries that were ignored. Reads of aicoder's own folders are
/// refused whatever the list says (see [`policy`]).
pub fn set_deny_read(setting: Option<&str>) -> Vec<String> {
    let (entries, notices) = match setting {
        Some(value) => {
            let (entries, notices) = parse_deny_read(value);
            (Some(entries), notices)
        }
        None => (None, Vec::new()),
    };
    *DENY_READ.write().unwrap_or_else(|p| p.into_inner()) = entries;
    notices
}

/// The secret places hidden from commands: the user's list, or the
/// default one beneath `$HOME`.
pub fn deny_read_list() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from);
    let chosen = DENY_READ.read().unwrap_or_else(|p| p.into_inner()).clone();
    let defaults = || {
        home.as_deref()
            .map(aicoder_sandbox::default_deny_read)
            .unwrap_or_default()
    };
    let Some(entries) = chosen else {
        return defaults();
    };
    let mut list = Vec::new();
    for entry in entries {
        match entry {
            DenyEntry::Defaults => list.extend(defaults()),
            DenyEntry::Home(rest) => list.extend(home.as_ref().map(|h| h.join(&rest))),
            DenyEntry::Path(p) => list.push(p),
        }
    }
    list
}

/// The policy for a command in the workspace `root`, reaching `allow`.
/// aicoder's own folders are always hidden, whatever the deny list says.
pub fn policy(root: &Path, allow: Vec<HostRule>) -> Policy {
    let mut deny_read: Vec<PathBuf> = crate::workspace::default_protected(root);
    deny_read.push(root.join(".aicoder"));
    // The session sockets: a confined command must not drive its session.
    deny_read.push(crate::util::runtime_dir());
    deny_read.extend(
        std::env::var_os("AICODER_SOCKET_IPC_FILE")
            .filter(|f| !f.is_empty())
            .map(PathBuf::from),
    );
    deny_read.extend(deny_read_list());
    let mut policy = Policy {
        root: root.to_path_buf(),
        deny_read,
        ..Policy::default()
    };
    policy.net.allow = allow;
    // Servers a background job publishes are reachable from later commands.
    policy
        .net
        .allow
        .extend(listen_ports().into_iter().map(|port| HostRule {
            host: "127.0.0.1".into(),
            port: Some(port),
        }));
    policy
}

/// Whether a failed confined command's output looks like the sandbox
/// refused something (a path written outside, a hidden file).
pub fn looks_refused(stderr: &str) -> bool {
    [
        "Permission denied",
        "Read-only file system",
        "Operation not permitted",
        "aicoder sandbox:",
    ]
    .iter()
    .any(|s| stderr.contains(s))
}

/// The policy for a process a plugin starts (`shell.exec`, `process.spawn`):
/// hosts are decided per connection by that plugin's own `net.fetch`
/// grants and scopes (a name reaches a loopback or private address only
/// when a grant names the address), and each connection the proxy lets
/// through is an audit line of the plugin, as a `net.fetch` request is.
/// What the proxy refused is audited after the command by
/// [`audit_refusals`].
pub fn plugin_policy(
    root: &Path,
    plugin: crate::caps::grants::PluginId,
    services: std::sync::Arc<crate::caps::Services>,
    command: &str,
) -> Policy {
    use crate::caps::grants::Decision;
    use crate::caps::scope::Target;
    use crate::caps::Capability;
    let mut policy = policy(root, Vec::new());
    let command = command.to_string();
    policy.net.ask = Some(std::sync::Arc::new(
        move |req: &aicoder_sandbox::HostRequest| {
            let verdict = services.grants().check_target(
                &plugin,
                Capability::NetFetch,
                &Target::Host {
                    host: &req.host,
                    port: req.port,
                },
            );
            let allowed = matches!(verdict.decision, Decision::Allowed(_));
            {
                let args =
                    serde_json::json!({ "command": command, "host": req.host, "port": req.port });
                let detail = if allowed {
                    "the plugin's net.fetch grant covers this host".to_string()
                } else {
                    format!(
                        "{}:{} is not covered by a net.fetch grant of {}",
                        req.host, req.port, plugin.name
                    )
                };
                services.audit.record_line(&crate::caps::audit::AuditLine {
                    time: crate::caps::audit::LineTime::Now,
                    plugin: &plugin.name,
                    hash: &plugin.hash,
                    capability: "process.sandbox",
                    operation: if allowed {
                        "proxy-allowed"
                    } else {
                        "proxy-refused"
                    },
                    args: &args,
                    old: None,
                    new: None,
                    outcome: if allowed {
                        crate::caps::audit::Outcome::Allowed
                    } else {
                        crate::caps::audit::Outcome::Denied
                    },
                    scope: None,
                    within: verdict.within.as_deref(),
                    detail: Some(&detail),
                });
            }
            allowed
        },
    ));
    policy
}

/// One audit line per connection the proxy refused to `plugin`'s process
/// after its grant allowed the name (the name resolved to an internal
/// address): the other refusals were audited when they were decided.
pub fn audit_refusals(
    services: &crate::caps::Services,
    plugin: &crate::caps::grants::PluginId,
    command: &str,
    refusals: &[aicoder_sandbox::Refusal],
) {
    for r in refusals.iter().filter(|r| r.internal.is_some()) {
        let args = serde_json::json!({ "command": command, "host": r.host, "port": r.port });
        services.audit.record_line(&crate::caps::audit::AuditLine {
            time: crate::caps::audit::LineTime::Now,
            plugin: &plugin.name,
            hash: &plugin.hash,
            capability: "process.sandbox",
            operation: "proxy-refused",
            args: &args,
            old: None,
            new: None,
            outcome: crate::caps::audit::Outcome::Denied,
            scope: None,
            within: None,
            detail: Some(&r.reason),
        });
    }
}

/// Ports a background job's server may publish on the host's loopback
/// (`SHELL_SANDBOX_LISTEN=3000,5173`): reachable there from the browser and
/// from later commands while the job runs.
pub fn listen_ports() -> Vec<u16> {
    std::env::var("SHELL_SANDBOX_LISTEN")
        .unwrap_or_default()
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deny_list_setting_reads_paths_home_and_default() {
        let (entries, notices) = parse_deny_read("default, ~/work/keys,/srv/x\n~ , relative/y");
        assert_eq!(
            entries,
            vec![
                DenyEntry::Defaults,
                DenyEntry::Home("work/keys".into()),
                DenyEntry::Path("/srv/x".into()),
                DenyEntry::Home(PathBuf::new()),
            ]
        );
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert!(notices[0].contains("relative/y"), "{notices:?}");
        assert_eq!(parse_deny_read("").0, Vec::new());
    }
}
