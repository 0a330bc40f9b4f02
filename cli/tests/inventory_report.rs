//! `lofavor inventory report`: the PDF, CSV and ZIP written for the member, and `--send`, which
//! shows what would go to the insurer and sends only with `--yes`, against the reference
//! server in this process (so the test reads the insurer's inbox), after `lofavor login`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn lofavor(data: &Path, server: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lofavor"));
    command.arg("--data-dir").arg(data).args([
        "--secure-store",
        "insecure-file",
        "--server",
        server,
    ]);
    command
}

async fn run(data: &Path, server: &str, args: &[&str]) -> Output {
    lofavor(data, server)
        .args(args)
        .arg("--json")
        .output()
        .await
        .unwrap()
}

fn document(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn error_kind(out: &Output) -> String {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.lines().last().unwrap_or_default();
    let doc: serde_json::Value =
        serde_json::from_str(last).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    doc["error"]["kind"].as_str().unwrap_or_default().to_owned()
}

/// Adds an item with a photo of its own (a PNG the certificate codec draws: a real image).
async fn add(data: &Path, server: &str, name: &str, room: &str) {
    let photo = data.join(format!("{room}.png"));
    let png = lofavor_core::roadside::certificate::QrMatrix::encode(&format!(
        "VH1:{}",
        room.to_uppercase()
    ))
    .unwrap()
    .to_png(8)
    .unwrap();
    std::fs::write(&photo, png).unwrap();
    let photo = photo.to_str().unwrap();
    let args = [
        "inventory",
        "add",
        "--name",
        name,
        "--room",
        room,
        "--price",
        "12 345",
    ];
    document(&run(data, server, &[&args[..], &["--photo", photo]].concat()).await);
}

#[tokio::test]
async fn the_report_is_written_as_pdf_csv_and_zip_in_the_language_asked_for() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path();
    let dead = "http://127.0.0.1:9/";
    add(path, dead, "Vaskemaskin på badet", "Bad").await;
    add(path, dead, "Sofa", "Stue").await;
    let (pdf, csv, zip) = (path.join("r.pdf"), path.join("r.csv"), path.join("r.zip"));
    let out = run(
        path,
        dead,
        &[
            "inventory",
            "report",
            "--pdf",
            pdf.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
            "--zip",
            zip.to_str().unwrap(),
            "--lang",
            "en",
            "--address",
            "Storgata 1, 9008 Tromsø",
        ],
    )
    .await;
    let doc = document(&out);
    assert_eq!(
        (doc["items"].as_u64(), doc["pages"].as_u64()),
        (Some(2), Some(4))
    );
    assert_eq!(doc["photos"], 2);
    let pdf = std::fs::read(&pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.windows(10).any(|w| w == b"/DCTDecode"));
    let csv = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    assert!(csv.starts_with("\u{feff}Id;Name;Room;Category;Brand;Model;Serial number;"));
    assert!(csv.contains(";Vaskemaskin på badet;Bad;"));
    assert!(csv.contains(";12345.00;NOK;"));
    assert!(std::fs::read(&zip).unwrap().starts_with(b"PK"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path.join("r.pdf"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the report is readable by others");
    }

    // Nowhere to put it: a usage error, not a silent success.
    let nowhere = run(path, dead, &["inventory", "report"]).await;
    assert_eq!(error_kind(&nowhere), "usage");
    let bad_lang = run(
        path,
        dead,
        &["inventory", "report", "--pdf", "x.pdf", "--lang", "de"],
    )
    .await;
    assert!(!bad_lang.status.success());
}

/// A server whose data lives under `data/server`, and `member` logged in through the CLI.
async fn logged_in(data: &Path, member: &str) -> RunningServer {
    let server = start(ServerConfig::loopback(data.join("server")))
        .await
        .unwrap();
    let mut login = lofavor(data, &server.base_url())
        .args(["login", "--no-browser"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(login.stdout.take().unwrap()).lines();
    let url = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let redirect = HeadlessBrowser::new()
        .pick_member(&url, member)
        .await
        .unwrap();
    reqwest::get(&redirect).await.unwrap();
    let status = tokio::time::timeout(Duration::from_secs(30), login.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success());
    server
}

#[tokio::test]
async fn send_shows_what_goes_and_only_yes_sends_it() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path();
    let server = logged_in(path, "kari").await;
    let api = server.base_url();
    add(path, &api, "Sykkel", "Bod").await;

    let preview_pdf = path.join("preview.pdf");
    let shown = document(
        &run(
            path,
            &api,
            &[
                "inventory",
                "report",
                "--send",
                "fremtind",
                "--pdf",
                preview_pdf.to_str().unwrap(),
            ],
        )
        .await,
    );
    assert_eq!(shown["sent"], false);
    assert_eq!(shown["preview"]["partner"], "fremtind");
    let fields = shown["preview"]["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f["value"] == "Kari Nordmann"));
    assert!(std::fs::read(&preview_pdf).unwrap().starts_with(b"%PDF-"));
    assert!(server.partner_inbox("fremtind").is_empty());

    let refused = run(
        path,
        &api,
        &["inventory", "report", "--send", "sparebank1", "--yes"],
    )
    .await;
    assert_eq!(error_kind(&refused), "not_found");
    assert!(server.partner_inbox("sparebank1").is_empty());

    let sent = document(
        &run(
            path,
            &api,
            &["inventory", "report", "--send", "fremtind", "--yes"],
        )
        .await,
    );
    assert_eq!(sent["sent"], true);
    assert_eq!(sent["status"], "received");
    let inbox = server.partner_inbox("fremtind");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0]["kind"], "claim_report");
    assert_eq!(inbox[0]["fields"]["report_id"], sent["report_id"]);
    assert_eq!(
        inbox[0]["fields"]["pdf_sha256"],
        sent["preview"]["pdf_sha256"]
    );
}
