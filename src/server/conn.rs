//! Connection handling: the accept loop, per-connection timeouts, the connection limit and the
//! shutdown grace period.
//!
//! - A request head must arrive within [`Limits::header_timeout`] of the connection opening or of
//!   the previous response: slowloris clients and idle keep-alive connections are closed then.
//! - At most [`Limits::max_connections`] are open, and that number is kept under the open-files
//!   limit with a reserve, so `accept` itself never runs out of descriptors. When the limit is
//!   reached, the connection idle the longest (no request in flight) is closed to make room;
//!   only when every connection is busy is the new one refused with a 503 and `Connection: close`.
//! - On shutdown, the listener closes, idle connections close, and requests in flight get
//!   [`Limits::shutdown_grace`] to finish before they are abandoned.

use super::metrics::Metrics;
use super::Limits;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// Descriptors kept free for the store, outgoing calls, imports and refusals.
pub const FD_RESERVE: u64 = 128;
/// Refusals being written at once; past that a connection is simply closed.
const MAX_REFUSING: usize = 64;

/// Raises the open-files limit to the hard limit and returns the connection cap it allows.
pub fn connection_cap(configured: usize) -> usize {
    let soft = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => {
            tracing::info!(
                open_files = limit,
                "open-files limit raised to the hard limit"
            );
            limit
        }
        Err(e) => {
            let current = rlimit::getrlimit(rlimit::Resource::NOFILE).map_or(1024, |(s, _)| s);
            tracing::warn!(error = %e, open_files = current, "could not raise the open-files limit");
            current
        }
    };
    let allowed = usize::try_from(soft.saturating_sub(FD_RESERVE).max(16)).unwrap_or(usize::MAX);
    if allowed < configured {
        tracing::info!(
            max_connections = allowed,
            configured,
            "connection limit lowered to fit the open-files limit"
        );
    }
    configured.min(allowed)
}

struct Slot {
    last_active: Instant,
    busy: u32,
    close: Arc<Notify>,
    closing: Arc<AtomicBool>,
}

/// The open connections, so the oldest idle one can be closed when the limit is reached.
struct Table {
    cap: usize,
    next: u64,
    slots: HashMap<u64, Slot>,
}

/// A connection's place in the table; freed on drop.
struct Admitted {
    table: Arc<Mutex<Table>>,
    id: u64,
    close: Arc<Notify>,
}

/// Marks a connection busy while one request runs.
struct Busy {
    table: Arc<Mutex<Table>>,
    id: u64,
}

fn admit(table: &Arc<Mutex<Table>>) -> Option<Admitted> {
    let mut t = table.lock().ok()?;
    if t.slots.len() >= t.cap {
        // Make room: ask the longest-idle connection to close. It leaves the table now so the
        // count stays under the cap while it finishes closing.
        let victim = t
            .slots
            .iter()
            .filter(|(_, s)| s.busy == 0 && !s.closing.load(Ordering::Relaxed))
            .min_by_key(|(_, s)| s.last_active)
            .map(|(id, _)| *id)?;
        if let Some(slot) = t.slots.remove(&victim) {
            slot.closing.store(true, Ordering::Relaxed);
            slot.close.notify_one();
        }
    }
    let id = t.next;
    t.next += 1;
    let close = Arc::new(Notify::new());
    t.slots.insert(
        id,
        Slot {
            last_active: Instant::now(),
            busy: 0,
            close: close.clone(),
            closing: Arc::new(AtomicBool::new(false)),
        },
    );
    Some(Admitted {
        table: table.clone(),
        id,
        close,
    })
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut t) = self.table.lock() {
            t.slots.remove(&self.id);
        }
    }
}

impl Busy {
    fn start(table: &Arc<Mutex<Table>>, id: u64) -> Self {
        if let Ok(mut t) = table.lock() {
            if let Some(s) = t.slots.get_mut(&id) {
                s.busy += 1;
                s.last_active = Instant::now();
            }
        }
        Self {
            table: table.clone(),
            id,
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Ok(mut t) = self.table.lock() {
            if let Some(s) = t.slots.get_mut(&self.id) {
                s.busy = s.busy.saturating_sub(1);
                s.last_active = Instant::now();
            }
        }
    }
}

/// The answer to a connection over the limit.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 58\r\n\r\n{\"error\":\"busy\",\"detail\":\"too many connections; retry\"}\n\n";

/// Accepts connections on `listener` and serves `router` until `shutdown` resolves.
pub async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: &Limits,
    metrics: Arc<Metrics>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let cap = connection_cap(limits.max_connections);
    let table = Arc::new(Mutex::new(Table {
        cap,
        next: 0,
        slots: HashMap::new(),
    }));
    let refusing = Arc::new(tokio::sync::Semaphore::new(MAX_REFUSING));
    // HTTP/1.1 only, which is what Alexa speaks: the header timer then starts as soon as the
    // connection opens (protocol detection would first wait for a byte without a timer).
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let builder = Arc::new(builder);
    let stop = CancellationToken::new();
    let tasks = tokio_util::task::TaskTracker::new();
    tokio::pin!(shutdown);
    let mut accept_errors_logged = Instant::now() - Duration::from_secs(60);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _peer)) => stream,
            Err(e) => {
                // Out of descriptors or a connection reset before accept: wait a little
                // instead of spinning, and log at most once a minute.
                if accept_errors_logged.elapsed() > Duration::from_secs(60) {
                    tracing::warn!(error = %e, "accept failed; retrying");
                    accept_errors_logged = Instant::now();
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let Some(admitted) = admit(&table) else {
            metrics.connection_refused();
            if let Ok(permit) = refusing.clone().try_acquire_owned() {
                tasks.spawn(async move {
                    let mut stream = stream;
                    let _ = tokio::time::timeout(Duration::from_secs(1), async {
                        stream.write_all(REFUSAL).await?;
                        stream.shutdown().await
                    })
                    .await;
                    drop(permit);
                });
            }
            continue;
        };
        let router = router.clone();
        let builder = builder.clone();
        let stop = stop.clone();
        let table = table.clone();
        tasks.spawn(async move {
            let id = admitted.id;
            let service = hyper::service::service_fn(
                move |request: hyper::Request<hyper::body::Incoming>| {
                    let busy = Busy::start(&table, id);
                    let router = router.clone();
                    async move {
                        let response = router.oneshot(request.map(axum::body::Body::new)).await;
                        drop(busy);
                        response
                    }
                },
            );
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            let closing = tokio::select! {
                _ = connection.as_mut() => false,
                () = admitted.close.notified() => true,
                () = stop.cancelled() => true,
            };
            if closing {
                // Finish the request in flight (if any), then close; idle ones close now.
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
            drop(admitted);
        });
    }
    drop(listener);
    stop.cancel();
    tasks.close();
    if tokio::time::timeout(limits.shutdown_grace, tasks.wait())
        .await
        .is_err()
    {
        tracing::warn!(
            grace_ms = limits.shutdown_grace.as_millis() as u64,
            "requests still running after the shutdown grace period; abandoning them"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_files_limit_is_raised_and_leaves_a_reserve() {
        let cap = connection_cap(usize::MAX);
        let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).expect("getrlimit");
        assert_eq!(soft, hard, "soft limit raised to the hard limit");
        assert!(cap as u64 <= soft.saturating_sub(FD_RESERVE).max(16));
        assert_eq!(connection_cap(10), 10, "a lower setting is kept");
    }

    #[test]
    fn the_longest_idle_connection_makes_room_and_busy_ones_stay() {
        let table = Arc::new(Mutex::new(Table {
            cap: 2,
            next: 0,
            slots: HashMap::new(),
        }));
        let first = admit(&table).expect("room");
        let second = admit(&table).expect("room");
        let busy = Busy::start(&table, second.id);
        // Full: the idle first one is asked to close and leaves the table.
        let third = admit(&table).expect("room made");
        assert!(!table.lock().expect("lock").slots.contains_key(&first.id));
        // Full again with the second busy and the third idle: the third goes.
        let fourth = admit(&table).expect("room made");
        assert!(!table.lock().expect("lock").slots.contains_key(&third.id));
        // Now every connection is busy: refused.
        let _busy4 = Busy::start(&table, fourth.id);
        assert!(admit(&table).is_none());
        drop(busy);
        assert!(admit(&table).is_some(), "the second is idle again");
    }
}
