//! A loopback HTTP server that gives every request the same answer: a member API that fails
//! (500, 404) or one that replays what an attacker recorded (an older signed document, noise).

use std::io::{Read, Write};

/// Starts a server that answers every request with `status` (e.g. `"500 Internal Server
/// Error"`) and `body`; returns its port. It lives as long as the test process.
pub fn answering_server(status: &'static str, body: Vec<u8>) -> std::io::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/octet-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    Ok(port)
}
