//! HTTP-level errors: the few cases where onair answers with an error status instead of speech.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error answered with an HTTP status and `{"error": ..., "detail": ...}`.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// The body is not JSON or not an ASK envelope (400).
    #[error("{detail}")]
    BadEnvelope {
        /// `invalid_json` or `invalid_envelope`.
        code: &'static str,
        /// What was wrong, naming the field.
        detail: String,
    },
    /// The request failed verification (400, generic on purpose).
    #[error("request verification failed")]
    Unverified,
    /// The body is over the limit (413).
    #[error("body larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// A compressed body expands past its limit (413).
    #[error("compressed body expands past {limit} bytes")]
    TooLargeExpanded {
        /// The limit on the expanded size.
        limit: u64,
    },
    /// The body could not be read (400).
    #[error("body could not be read: {0}")]
    BadBody(String),
    /// Missing or wrong admin token (401).
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// A resource that does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// Admin input that cannot be used (422).
    #[error("{0}")]
    Unprocessable(String),
    /// The body did not arrive within its time limit (408).
    #[error("the request body did not arrive in time")]
    SlowBody,
    /// The skill pool stayed full for the whole request timeout (503).
    #[error("server busy; try again")]
    Busy,
    /// The request ran past its time limit and was abandoned (503).
    #[error("request timed out")]
    Timeout,
    /// A server-side failure outside the skill (500).
    #[error("internal error")]
    Internal,
}

impl HttpError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadEnvelope { code, .. } => (StatusCode::BAD_REQUEST, code),
            Self::Unverified => (StatusCode::BAD_REQUEST, "verification_failed"),
            Self::TooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
            Self::TooLargeExpanded { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "expands_too_large"),
            Self::BadBody(_) => (StatusCode::BAD_REQUEST, "unreadable_body"),
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            Self::SlowBody => (StatusCode::REQUEST_TIMEOUT, "body_timeout"),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            Self::Timeout => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status_and_code().0
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let mut response = (
            status,
            Json(json!({"error": code, "detail": self.to_string()})),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
