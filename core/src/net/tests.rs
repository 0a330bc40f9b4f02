//! The HTTP layer against real servers on loopback that misbehave on purpose.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::*;

/// A loopback server that answers the n-th connection with `answers[n]` (the last one
/// repeats); `None` means: accept, read, and never answer.
async fn scripted_server(answers: Vec<Option<&'static str>>) -> (Url, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let answer = answers[n.min(answers.len() - 1)];
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                match answer {
                    Some(body) => {
                        let _ = socket.write_all(body.as_bytes()).await;
                        let _ = socket.shutdown().await;
                    }
                    None => tokio::time::sleep(Duration::from_secs(30)).await,
                }
            });
        }
    });
    (url, hits)
}

const OK: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: 72\r\n\r\n{\"status\":\"ok\",\"service\":\"lofavor-server\",\"version\":\"1\",\"database\":true}";
const FAIL: &str =
    "HTTP/1.1 500 Internal Server Error\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
const NOT_JSON: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: 5\r\n\r\n<html";

fn quick(timeout_ms: u64) -> NetConfig {
    NetConfig {
        connect_timeout: Duration::from_millis(timeout_ms),
        request_timeout: Duration::from_millis(timeout_ms),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(10),
        },
    }
}

#[tokio::test]
async fn a_500_is_retried_and_the_next_answer_used() {
    assert_eq!(OK.split("\r\n\r\n").nth(1).unwrap().len(), 72);
    let (url, hits) = scripted_server(vec![Some(FAIL), Some(OK)]).await;
    let client = ApiClient::new(url, quick(2000)).unwrap();
    let (health, _) = client.health().await.unwrap();
    assert_eq!(health.status, "ok");
    assert!(health.database);
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_server_that_keeps_failing_is_a_server_error() {
    let (url, hits) = scripted_server(vec![Some(FAIL)]).await;
    let client = ApiClient::new(url, quick(2000)).unwrap();
    assert_eq!(
        client.health().await.unwrap_err(),
        NetError::Status { status: 500 }
    );
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let (url, hits) = scripted_server(vec![None]).await;
    let client = ApiClient::new(url, quick(200)).unwrap();
    assert_eq!(client.health().await.unwrap_err(), NetError::Timeout);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn an_answer_off_contract_is_not_retried() {
    let (url, hits) = scripted_server(vec![Some(NOT_JSON)]).await;
    let client = ApiClient::new(url, quick(2000)).unwrap();
    assert!(matches!(
        client.health().await.unwrap_err(),
        NetError::Decode(_)
    ));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn nobody_listening_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    drop(listener);
    let client = ApiClient::new(url, quick(500)).unwrap();
    assert!(matches!(
        client.health().await.unwrap_err(),
        NetError::Unreachable(_)
    ));
}

/// A loopback server that answers every request with a chunked body (no Content-Length) of
/// `chunks` chunks of `chunk` bytes each (`None`: without end); returns its URL and how many
/// body bytes it managed to send.
async fn chunked_server(chunk: usize, chunks: Option<usize>) -> (Url, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/cbor\r\n\
                            transfer-encoding: chunked\r\nconnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut piece = format!("{chunk:x}\r\n").into_bytes();
                piece.extend(std::iter::repeat_n(b'x', chunk));
                piece.extend_from_slice(b"\r\n");
                let mut n = 0;
                while chunks.is_none_or(|max| n < max) {
                    if socket.write_all(&piece).await.is_err() {
                        return; // the client hung up
                    }
                    counter.fetch_add(chunk, Ordering::SeqCst);
                    n += 1;
                }
                let _ = socket.write_all(b"0\r\n\r\n").await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, sent)
}

#[tokio::test]
async fn a_chunked_body_is_cut_off_at_the_cap_not_read_to_its_end() {
    // A body without end and without Content-Length: reading it whole before checking the
    // size would only stop at the request timeout (or when memory runs out).
    let (url, sent) = chunked_server(64 * 1024, None).await;
    let mut config = quick(20_000);
    config.retry = RetryPolicy::none();
    let client = ApiClient::new(url, config).unwrap();
    let started = Instant::now();
    let err = client
        .get_bytes("v1/roadside/trust-list", "application/cbor", 1024 * 1024)
        .await
        .unwrap_err();
    assert_eq!(err, NetError::Decode("response too large".into()));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped at the cap, after {:?}",
        started.elapsed()
    );
    // The server got rid of a little more than the cap (socket buffers), not of everything.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = sent.load(Ordering::SeqCst);
    assert!(sent < 64 * 1024 * 1024, "{sent} bytes were pushed");
}

#[tokio::test]
async fn a_chunked_body_within_the_cap_arrives_whole() {
    let (url, _) = chunked_server(1000, Some(5)).await;
    let client = ApiClient::new(url, quick(5000)).unwrap();
    let body = client
        .get_bytes("v1/roadside/trust-list", "application/cbor", 5000)
        .await
        .unwrap();
    assert_eq!(body, vec![b'x'; 5000]);
    let (url, _) = chunked_server(1000, Some(6)).await;
    let client = ApiClient::new(url, quick(5000)).unwrap();
    assert_eq!(
        client
            .get_bytes("v1/roadside/trust-list", "application/cbor", 5000)
            .await
            .unwrap_err(),
        NetError::Decode("response too large".into())
    );
}

#[tokio::test]
async fn a_json_answer_without_end_is_cut_off_too() {
    let (url, _) = chunked_server(64 * 1024, None).await;
    let mut config = quick(20_000);
    config.retry = RetryPolicy::none();
    let client = ApiClient::new(url, config).unwrap();
    let started = Instant::now();
    let err = client.health().await.unwrap_err();
    assert_eq!(err, NetError::Decode("response too large".into()));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}
