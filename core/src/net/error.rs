//! What can go wrong talking to the member API.

/// The HTTP layer's error. Reasons name what failed, never a URL's query or a body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// No connection could be made (offline, DNS, refused, TLS).
    #[error("server unreachable: {0}")]
    Unreachable(String),
    /// The server did not answer in time.
    #[error("the server did not answer in time")]
    Timeout,
    /// The server answered with an error status.
    #[error("the server answered HTTP {status}")]
    Status {
        /// The HTTP status code.
        status: u16,
    },
    /// The body does not follow the contract.
    #[error("the server's answer does not follow the contract: {0}")]
    Decode(String),
    /// A path could not be joined onto the base URL.
    #[error("bad request URL: {0}")]
    BadUrl(String),
}

impl NetError {
    /// Whether trying again may help: network trouble, 5xx, 429 and 408.
    pub fn is_transient(&self) -> bool {
        match self {
            NetError::Unreachable(_) | NetError::Timeout => true,
            NetError::Status { status } => *status >= 500 || *status == 429 || *status == 408,
            NetError::Decode(_) | NetError::BadUrl(_) => false,
        }
    }

    pub(crate) fn from_reqwest(e: &reqwest::Error) -> Self {
        if e.is_timeout() {
            NetError::Timeout
        } else if let Some(status) = e.status() {
            NetError::Status {
                status: status.as_u16(),
            }
        } else if e.is_decode() {
            NetError::Decode("body is not the expected JSON".into())
        } else if e.is_connect() {
            NetError::Unreachable("connection failed".into())
        } else {
            NetError::Unreachable("request failed".into())
        }
    }
}
