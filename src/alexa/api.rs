//! Where the Alexa service APIs may be called.
//!
//! `context.System.apiEndpoint` is signed with the request, but with verification off anyone can
//! send any value; calling it blindly would let a request make onair fetch arbitrary URLs. Only
//! Amazon's API hosts over HTTPS, and loopback (local fakes for development and tests), are used.

/// Whether onair may call the Alexa APIs at `endpoint`.
pub fn endpoint_allowed(endpoint: &str) -> bool {
    let Ok(url) = url::Url::parse(endpoint) else {
        return false;
    };
    if !url.username().is_empty() || url.password().is_some() {
        return false;
    }
    match url.host() {
        Some(url::Host::Domain(host)) => {
            let host = host.to_ascii_lowercase();
            let amazon = host == "api.amazonalexa.com" || host.ends_with(".amazonalexa.com");
            (amazon && url.scheme() == "https") || (host == "localhost" && url.scheme() == "http")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::endpoint_allowed;

    #[test]
    fn amazon_and_loopback_only() {
        for ok in [
            "https://api.amazonalexa.com",
            "https://api.eu.amazonalexa.com/",
            "https://api.fe.amazonalexa.com",
            "http://127.0.0.1:4567",
            "http://[::1]:80",
            "http://localhost:9000",
        ] {
            assert!(endpoint_allowed(ok), "{ok}");
        }
        for bad in [
            "http://api.amazonalexa.com",
            "https://amazonalexa.com.evil.example",
            "https://evil.example/api.amazonalexa.com",
            "https://user@api.amazonalexa.com",
            "http://10.0.0.1",
            "http://169.254.169.254/latest/meta-data",
            "file:///etc/passwd",
            "not a url",
        ] {
            assert!(!endpoint_allowed(bad), "{bad}");
        }
    }
}
