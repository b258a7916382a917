//! Staging an upload: the body into a temporary file within the upload limit, then a gzip body
//! expanded into another within the expansion limit. Nothing here touches the store.

use crate::import::detect::{is_gzip, HEAD_BYTES};
use crate::server::error::HttpError;
use axum::body::Body;
use futures::StreamExt;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use tokio::io::AsyncWriteExt;

/// A staged body: the file, rewound, and its first bytes for format detection.
pub(super) struct Staged {
    pub(super) file: File,
    pub(super) head: Vec<u8>,
}

fn internal(e: std::io::Error) -> HttpError {
    tracing::error!(error = %e, "admin upload: staging file failed");
    HttpError::Internal
}

/// Receives `body` into a temporary file; over `limit` bytes is a 413.
pub(super) async fn receive(body: Body, limit: usize) -> Result<File, HttpError> {
    let std_file = tempfile::tempfile().map_err(internal)?;
    let mut file = tokio::fs::File::from_std(std_file);
    let mut stream = body.into_data_stream();
    let mut received = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| HttpError::BadBody(e.to_string()))?;
        received = received.saturating_add(chunk.len());
        if received > limit {
            return Err(HttpError::TooLarge { limit });
        }
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.flush().await.map_err(internal)?;
    Ok(file.into_std().await)
}

/// Rewinds the staged body and, when it is gzip, expands it into a new temporary file, refusing
/// (413) past `expand_limit` bytes.
pub(super) fn expand(mut file: File, expand_limit: u64) -> Result<Staged, HttpError> {
    let head = read_head(&mut file)?;
    if !is_gzip(&head) {
        return Ok(Staged { file, head });
    }
    let mut out = tempfile::tempfile().map_err(internal)?;
    let mut gz = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file))
        .take(expand_limit.saturating_add(1));
    let mut buf = vec![0u8; 64 * 1024];
    let mut written = 0u64;
    loop {
        let n = match gz.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                return Err(HttpError::Unprocessable(format!(
                    "the gzip body is corrupt: {e}; nothing was changed"
                )))
            }
        };
        written += n as u64;
        if written > expand_limit {
            return Err(HttpError::TooLargeExpanded {
                limit: expand_limit,
            });
        }
        out.write_all(&buf[..n]).map_err(internal)?;
    }
    let head = read_head(&mut out)?;
    Ok(Staged { file: out, head })
}

fn read_head(file: &mut File) -> Result<Vec<u8>, HttpError> {
    file.seek(SeekFrom::Start(0)).map_err(internal)?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut *file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(internal)?;
    file.seek(SeekFrom::Start(0)).map_err(internal)?;
    Ok(head)
}
