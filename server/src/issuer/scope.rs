//! Scopes the issuer knows.

/// The scopes the issuer grants; others asked for are ignored (OpenID Connect Core §3.1.2.1).
pub(crate) const SUPPORTED: &[&str] = &["openid", "profile", "offline_access", "membership"];

/// Whether `scope` holds `name`.
pub(crate) fn has(scope: &[String], name: &str) -> bool {
    scope.iter().any(|s| s == name)
}

/// The supported scopes in a space-separated `scope` parameter, in the order given, once each.
pub(crate) fn parse(requested: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in requested.split(' ').filter(|s| SUPPORTED.contains(s)) {
        if !has(&out, s) {
            out.push(s.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_and_repeated_scopes_are_dropped() {
        assert_eq!(
            parse("openid email openid membership"),
            vec!["openid".to_owned(), "membership".to_owned()]
        );
        assert!(parse("").is_empty());
    }
}
