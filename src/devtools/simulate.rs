//! `onair simulate`: replay any request envelope (a fixture, a request copied from the
//! developer console, a device log) and see the response JSON.
//!
//! The body is checked locally first, so a file that is not an envelope fails with the JSON
//! path of the problem (and exit code 2) whichever backend is used; to a server the original
//! bytes are sent unchanged, so its parser sees exactly what the file holds.

use super::backend::{Answer, Backend};
use super::DevtoolsError;
use crate::alexa::RequestEnvelope;
use std::io::Read;
use std::path::Path;

/// Reads a request body from a file, or from standard input when `source` is `-`.
pub fn read_input(source: &Path) -> Result<Vec<u8>, DevtoolsError> {
    let mut bytes = Vec::new();
    let result = if source.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(source).and_then(|mut f| f.read_to_end(&mut bytes).map(|_| ()))
    };
    result.map_err(|cause| DevtoolsError::Read {
        path: source.to_path_buf(),
        cause,
    })?;
    Ok(bytes)
}

/// Checks that `body` is a request envelope, then has `backend` answer it.
pub async fn simulate(body: &[u8], backend: &Backend) -> Result<Answer, DevtoolsError> {
    RequestEnvelope::from_slice(body).map_err(DevtoolsError::NotAnEnvelope)?;
    backend.send(body).await
}

/// The response JSON as printed: pretty, with a final newline.
pub fn render(answer: &Answer) -> String {
    let mut text = serde_json::to_string_pretty(&answer.json).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn refused(body: &[u8]) -> DevtoolsError {
        let backend = Backend::server("http://127.0.0.1:9").expect("url");
        simulate(body, &backend).await.expect_err("must be refused")
    }

    #[tokio::test]
    async fn a_body_that_is_not_an_envelope_names_the_field() {
        let err = refused(br#"{"version": "1.0", "request": {"type": "IntentRequest"}}"#).await;
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("requestId"), "{err}");
        let err = refused(b"not json at all").await;
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("not valid JSON"), "{err}");
    }
}
