//! Request parameters of the OAuth endpoints: each at most once (RFC 6749 §3.1, §3.2).

use std::collections::HashMap;

/// Parameters of one request, by name.
pub(crate) struct Params(HashMap<String, String>);

/// A parameter came twice.
#[derive(Debug)]
pub(crate) struct Repeated;

impl Params {
    /// Collects `pairs`, refusing a repeated name.
    pub(crate) fn new(pairs: Vec<(String, String)>) -> Result<Self, Repeated> {
        let mut map = HashMap::new();
        for (k, v) in pairs {
            if map.insert(k, v).is_some() {
                return Err(Repeated);
            }
        }
        Ok(Self(map))
    }

    /// The parameter `name`, if present and not empty (an empty value counts as omitted).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}
