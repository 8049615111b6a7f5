//! The terminal tables aicoder prints: plugins and their grants (`plugin
//! list`, `/plugins`), grants (`/grants`), a component's report (`plugin
//! inspect`), audit entries and the chain check (`aicoder audit`, `/audit`).
//! Shared by the command line and the session, which both sit above this.

use crate::caps::audit::{read_recent, AuditEntry};
use crate::caps::grants::GrantStore;
use crate::plugins::PluginHost;
use anyhow::{Context, Result};
use std::path::Path;

/// How a tool's auto-approval stands, for listings.
pub fn approval_note(
    grants: &GrantStore,
    info: &crate::plugins::PluginInfo,
    tool: &crate::plugins::manifest::ToolSpec,
) -> &'static str {
    match (
        tool.auto_approved,
        grants.tool_approved(&info.id, &tool.name),
    ) {
        (true, false) => " [requests auto-approval: not approved]",
        (true, true) => " [requests auto-approval: approved]",
        (false, true) => " [auto-approved by you]",
        (false, false) => "",
    }
}

/// The report of `plugin inspect` and `plugin install`: what a component
/// is, imports and offers.
pub fn print_report(info: &crate::plugins::PluginInfo, grants: &GrantStore) {
    let m = &info.manifest;
    println!("file:        {}", info.path.display());
    println!("hash:        {}", info.id.hash);
    println!(
        "contract:    {}@{}",
        crate::plugins::contract::PACKAGE,
        info.contract.version
    );
    println!("plugin:      {} {} — {}", m.name, m.version, m.description);
    println!(
        "imports:     {}",
        join_or_none(info.contract.interfaces.iter().map(String::as_str))
    );
    println!(
        "ceiling:     {}",
        join_or_none(info.ceiling().iter().map(|c| c.name()))
    );
    println!("tools:");
    for t in &m.tools {
        let auto = approval_note(grants, info, t);
        println!("  {}{auto}: {}", t.name, t.description);
    }
    println!("commands:");
    for c in &m.commands {
        println!("  /{}: {}", c.name, c.description);
    }
    println!(
        "hooks:       {}",
        join_or_none(m.hooks.iter().map(String::as_str))
    );
}

/// Items joined with ", ", or `(none)`.
pub fn join_or_none<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = items.collect();
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(", ")
    }
}

/// The plugin table of `plugin list` and `/plugins`.
pub fn print_plugins(host: &PluginHost) {
    let grants = host.services().grants();
    println!(
        "{:<16} {:<9} {:<8} {:<13} {:<40} GRANTS",
        "NAME", "VERSION", "SOURCE", "HASH", "CEILING"
    );
    for p in host.plugins() {
        let granted: Vec<String> = grants
            .list()
            .into_iter()
            .filter(|g| g.plugin == p.manifest.name && g.hash == p.id.hash)
            .map(|g| format!("{}({})", g.capability, shown_scope(&g)))
            .collect();
        println!(
            "{:<16} {:<9} {:<8} {:<13} {:<40} {}",
            p.manifest.name,
            p.manifest.version,
            p.source.name(),
            p.id.short_hash(),
            join_or_none(p.ceiling().iter().map(|c| c.name())),
            join_or_none(granted.iter().map(String::as_str)),
        );
        // What it offers now, from the registry: its manifest's tools and
        // commands and those it registered since.
        let state = host.services().state();
        for name in state.plugin_tools(&p.manifest.name) {
            let Some(t) = state.tools.get(&name) else {
                continue;
            };
            let auto = match p.manifest.tools.iter().find(|m| m.name == name) {
                Some(spec) => approval_note(&grants, p, spec),
                None => " [registered at run time]",
            };
            println!("    tool {}{auto}: {}", t.name, t.description);
        }
        for c in state.plugin_commands(&p.manifest.name) {
            println!("    command /{}: {}", c.name, c.description);
        }
    }
}

/// A grant's scope as shown: `default` for a shipped plugin's default
/// grant (an `always` grant the user did not give; /grants revoke removes it).
fn shown_scope(g: &crate::caps::grants::GrantView) -> &'static str {
    if g.default {
        "default"
    } else {
        g.scope.name()
    }
}

/// The grant table of `/grants`.
pub fn print_grants(grants: &GrantStore) {
    let all = grants.list();
    if all.is_empty() {
        println!("no grants");
    }
    for g in all {
        println!(
            "{:<16} {:<16} {:<8} {}",
            g.plugin,
            g.capability,
            shown_scope(&g),
            g.hash.get(..12).unwrap_or(&g.hash)
        );
    }
}

/// Verify the log at `path`: whether it holds, and one paragraph saying so.
pub fn verify_report(path: &Path) -> Result<(bool, String)> {
    let v = crate::caps::audit::verify(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let shown = path.display();
    if let Some(broken) = v.broken {
        return Ok((
            false,
            format!(
                "audit log {shown} is BROKEN: {broken}\n(the lines before it verified; \
                 undo refuses writes at or before the break)"
            ),
        ));
    }
    let mut report = match v.last_seq {
        Some(seq) => format!(
            "audit log {shown} ok: {} lines, chain seq 1-{seq} verified, {} blob(s) checked",
            v.lines, v.blobs
        ),
        None if v.lines == 0 => format!("audit log {shown} ok: empty"),
        None => format!("audit log {shown}: {} lines, none chained yet", v.lines),
    };
    if v.unchained_before > 0 {
        report.push_str(&format!(
            "\n{} line(s) at the start were written before the log was chained and cannot be verified",
            v.unchained_before
        ));
    }
    Ok((true, report))
}

/// One audit entry as a listing line.
pub fn line(e: &AuditEntry) -> String {
    let seq = e.seq.map_or(String::new(), |s| format!("#{s} "));
    let mut s = format!(
        "{seq}{} {:<8} {:<12} {:<16} {:<18} {}",
        e.time,
        format!("{:?}", e.outcome).to_lowercase(),
        e.plugin,
        e.capability,
        e.operation,
        e.args
    );
    let blob = |b: &crate::caps::audit::blobs::BlobRef| {
        let short: String = b.hash.chars().take(12).collect();
        format!("[{} bytes in blob {short}: {}…]", b.bytes, b.preview)
    };
    let old = e
        .old
        .as_ref()
        .map(|v| v.to_string())
        .or(e.old_blob.as_ref().map(blob));
    let new = e
        .new
        .as_ref()
        .map(|v| v.to_string())
        .or(e.new_blob.as_ref().map(blob));
    if let (Some(old), Some(new)) = (old, new) {
        s.push_str(&format!("  {old} -> {new}"));
    }
    if let Some(detail) = &e.detail {
        s.push_str(&format!("  ({detail})"));
    }
    s
}

/// Print the last `limit` entries, for one plugin or all.
pub fn print_recent(path: &Path, limit: usize, plugin: Option<&str>) -> Result<()> {
    let tail = read_recent(path, limit, plugin)
        .with_context(|| format!("cannot read {}", path.display()))?;
    if tail.entries.is_empty() {
        println!("no audit entries in {}", path.display());
    }
    for e in &tail.entries {
        println!("{}", line(e));
    }
    if tail.unreadable_lines > 0 {
        eprintln!(
            "aicoder: {} damaged line(s) in {} were skipped",
            tail.unreadable_lines,
            path.display()
        );
    }
    Ok(())
}
