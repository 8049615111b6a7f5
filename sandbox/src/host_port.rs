//! The one reading of `host[:port]` in aicoder: grant scopes (`net.fetch:HOST`),
//! process network rules ([`crate::HostRule`]), what a plugin's preview asks
//! for, and the authority of a request through the sandbox proxy.

/// A host name or address with an optional port, as a person or a request
/// writes it: `example.com`, `example.com:8443`, `[::1]:8080`, `[::1]`, a
/// bare `::1` (no port: more than one `:` without brackets is an IPv6
/// address), or `*.example.com` (any name below `example.com`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    /// Lower-case name or address, without brackets; may start with `*.`.
    pub host: String,
    /// The port, when one was written.
    pub port: Option<u16>,
}

/// Why text is not a `host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HostPortError {
    /// `[` without `]`.
    #[error("no closing `]`")]
    UnclosedBracket,
    /// Something other than `:port` after `]`.
    #[error("text after `]`")]
    TextAfterBracket,
    /// The port is not a number from 0 to 65535.
    #[error("the port is not a number 0-65535")]
    BadPort,
    /// Not a host name, an IP address or `*.` and a name.
    #[error("not a host name or address (write the host only, without scheme, path or user)")]
    BadHost,
}

impl HostPort {
    /// Read `text` (surrounding spaces ignored).
    pub fn parse(text: &str) -> Result<HostPort, HostPortError> {
        let text = text.trim();
        let (host, port) = if let Some(rest) = text.strip_prefix('[') {
            let (h, after) = rest.split_once(']').ok_or(HostPortError::UnclosedBracket)?;
            if h.parse::<std::net::Ipv6Addr>().is_err() {
                return Err(HostPortError::BadHost);
            }
            match after.strip_prefix(':') {
                Some(p) => (h, Some(p)),
                None if after.is_empty() => (h, None),
                None => return Err(HostPortError::TextAfterBracket),
            }
        } else {
            match text.split_once(':') {
                Some((h, p)) if !p.contains(':') => (h, Some(p)),
                _ => (text, None),
            }
        };
        let port = port
            .map(|p| p.parse::<u16>().map_err(|_| HostPortError::BadPort))
            .transpose()?;
        let host = host.to_ascii_lowercase();
        let name = host.strip_prefix("*.").unwrap_or(&host);
        let is_name = !name.is_empty()
            && !name.starts_with(['.', '-'])
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
        let is_address = name.parse::<std::net::IpAddr>().is_ok() && !host.starts_with("*.");
        if !(is_name || is_address) {
            return Err(HostPortError::BadHost);
        }
        Ok(HostPort { host, port })
    }

    /// Whether the host is a `*.domain` pattern.
    pub fn is_wildcard(&self) -> bool {
        self.host.starts_with("*.")
    }

    /// The port, or `default` when none was written.
    pub fn port_or(&self, default: u16) -> u16 {
        self.port.unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> (String, Option<u16>) {
        let hp = HostPort::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        (hp.host, hp.port)
    }

    fn err(text: &str) -> HostPortError {
        match HostPort::parse(text) {
            Ok(hp) => panic!("{text} parsed as {hp:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn names_addresses_and_ports() {
        assert_eq!(ok("Example.COM"), ("example.com".into(), None));
        assert_eq!(ok(" example.com:8443 "), ("example.com".into(), Some(8443)));
        assert_eq!(ok("127.0.0.1:0"), ("127.0.0.1".into(), Some(0)));
        assert_eq!(ok("localhost:65535"), ("localhost".into(), Some(65535)));
        assert_eq!(ok("_svc.example.com"), ("_svc.example.com".into(), None));
        assert_eq!(err("example.com:65536"), HostPortError::BadPort);
        assert_eq!(err("example.com:"), HostPortError::BadPort);
        assert_eq!(err("example.com:http"), HostPortError::BadPort);
        assert_eq!(err("example.com:-1"), HostPortError::BadPort);
        assert_eq!(err(":80"), HostPortError::BadHost);
        assert_eq!(err(""), HostPortError::BadHost);
    }

    #[test]
    fn ipv6_in_brackets_or_bare() {
        assert_eq!(ok("[::1]:8080"), ("::1".into(), Some(8080)));
        assert_eq!(ok("[::1]"), ("::1".into(), None));
        assert_eq!(ok("[FE80::1]:1"), ("fe80::1".into(), Some(1)));
        // More than one colon without brackets: an address, never host:port.
        assert_eq!(ok("::1"), ("::1".into(), None));
        assert_eq!(ok("2001:db8::8080"), ("2001:db8::8080".into(), None));
        assert_eq!(err("[::1"), HostPortError::UnclosedBracket);
        assert_eq!(err("[::1]80"), HostPortError::TextAfterBracket);
        assert_eq!(err("[::1]:x"), HostPortError::BadPort);
        assert_eq!(err("[example.com]:80"), HostPortError::BadHost);
        assert_eq!(err("[]:80"), HostPortError::BadHost);
    }

    #[test]
    fn wildcards_only_as_a_leading_label() {
        let hp = HostPort::parse("*.PyPI.org:443").expect("wildcard");
        assert!(hp.is_wildcard());
        assert_eq!((hp.host.as_str(), hp.port), ("*.pypi.org", Some(443)));
        assert!(!HostPort::parse("pypi.org").expect("name").is_wildcard());
        for bad in [
            "*",
            "*.",
            "a.*.org",
            "*example.com",
            "*.127.0.0.1x/",
            "*.*.org",
        ] {
            assert_eq!(err(bad), HostPortError::BadHost, "{bad}");
        }
    }

    #[test]
    fn urls_paths_and_users_are_not_hosts() {
        for bad in [
            "https://example.com",
            "example.com/path",
            "user@example.com",
            "exa mple.com",
            "example.com?x",
            ".example.com",
        ] {
            assert!(HostPort::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            HostPort::parse("example.com").expect("name").port_or(443),
            443
        );
    }
}
