//! Errors raised while loading an interaction model or building an [`super::Nlu`].
//!
//! Resolution itself never fails: an utterance that cannot be understood becomes
//! `AMAZON.FallbackIntent`, so only set-up problems are errors.

use std::path::PathBuf;

/// Why an interaction model could not be loaded or compiled.
#[derive(Debug, thiserror::Error)]
pub enum NluError {
    /// The model file could not be read.
    #[error("cannot read interaction model {path}: {source}")]
    Io {
        /// File that was being read.
        path: PathBuf,
        /// Underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The bytes are not JSON at all (the message carries line and column).
    #[error("interaction model is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON is well formed but does not describe a usable model.
    /// `path` is a JSON path such as `interactionModel.languageModel.intents[3].slots[0].type`.
    #[error("invalid interaction model at {path}: {message}")]
    Model {
        /// Where in the document the problem is.
        path: String,
        /// What is wrong there.
        message: String,
    },
    /// The locale's language has no built-in phrasings or slot parsers.
    #[error("unsupported locale {0:?}: only English (en-*) and French (fr-*) are supported")]
    UnsupportedLocale(String),
}

impl NluError {
    /// Shorthand used by the model parser, which always knows the path.
    pub(crate) fn model(path: impl Into<String>, message: impl Into<String>) -> Self {
        NluError::Model {
            path: path.into(),
            message: message.into(),
        }
    }
}
