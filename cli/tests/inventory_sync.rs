//! `lofavor inventory import` and `lofavor inventory sync` killed at random moments, over a
//! hundred times, against the reference server in this process; then one whole run of each.
//! Nothing may be lost or doubled: no photo file without its row, no row without its files,
//! every photo imported exactly once, every item once on the server, every blob once on the
//! server's disk, and a new phone restores it all.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step should stop the test

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use lofavor_e2e::browser::HeadlessBrowser;
use lofavor_server::{RunningServer, ServerConfig, start};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// Kills required in all.
const KILLS: u32 = 100;

/// A copy of the binary this test was built with, taken once: the hundreds of runs below all
/// run the same program even if the build directory changes meanwhile.
fn binary() -> &'static Path {
    static COPY: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &COPY
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("lofavor");
            std::fs::copy(env!("CARGO_BIN_EXE_lofavor"), &path).unwrap();
            (dir, path)
        })
        .1
}

fn lofavor(data: &Path, server: &RunningServer) -> Command {
    let mut command = Command::new(binary());
    command
        .arg("--data-dir")
        .arg(data)
        .args(["--secure-store", "insecure-file", "--server"])
        .arg(server.base_url());
    command
}

async fn run(data: &Path, server: &RunningServer, args: &[&str]) -> Output {
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

/// Logs `member` in on the device whose data is `data`, through the CLI.
async fn log_in(data: &Path, server: &RunningServer, member: &str) {
    let mut login = lofavor(data, server)
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
}

/// A small PNG of its own for each `n` (a QR code drawn by the certificate codec).
fn png(n: u32) -> Vec<u8> {
    lofavor_core::roadside::certificate::QrMatrix::encode(&format!("TING {n}"))
        .unwrap()
        .to_png(3)
        .unwrap()
}

/// A small pseudo-random generator (xorshift), seeded from the clock; the seed is printed so
/// a failure can be replayed.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Runs `args` and kills it after `after`; whether it was still running when killed.
async fn killed(data: &Path, server: &RunningServer, args: &[&str], after: Duration) -> bool {
    let mut child = lofavor(data, server)
        .args(args)
        .arg("--json")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    tokio::select! {
        _ = child.wait() => false,
        () = tokio::time::sleep(after) => {
            child.start_kill().unwrap();
            child.wait().await.unwrap();
            true
        }
    }
}

/// The photo files under `data` by photo id, and whether a temporary file is left.
fn photo_files(data: &Path) -> (BTreeSet<String>, Vec<String>) {
    let dir = data.join("core/photos");
    let mut ids = BTreeSet::new();
    let mut strays = Vec::new();
    for f in std::fs::read_dir(dir).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().into_owned();
        match name.split_once('.') {
            Some((id, "large" | "thumb")) if !id.is_empty() => {
                ids.insert(format!("{id}.{}", &name[id.len() + 1..]));
            }
            _ => strays.push(name),
        }
    }
    (ids, strays)
}

fn server_blobs(server_dir: &Path) -> (usize, usize) {
    let mut whole = 0;
    let mut parts = 0;
    for member in std::fs::read_dir(server_dir.join("inventory/blobs"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for f in std::fs::read_dir(member.path()).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().into_owned();
            whole += usize::from(name.ends_with(".blob"));
            parts += usize::from(name.ends_with(".part"));
        }
    }
    (whole, parts)
}

/// Checks the device's inventory against the `photos` imported: one item per photo, named
/// after it, with one photo whose two files are there, and no file besides.
async fn check_device(data: &Path, server: &RunningServer, photos: u32) -> Vec<String> {
    let list = document(&run(data, server, &["inventory", "list"]).await);
    let items = list["items"].as_array().unwrap();
    let names: Vec<String> = items
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_owned())
        .collect();
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "an item is doubled: {names:?}");
    assert_eq!(names.len(), photos as usize, "an item is missing");
    let mut expected = BTreeSet::new();
    for item in items {
        let item_photos = item["photos"].as_array().unwrap();
        assert_eq!(item_photos.len(), 1, "{}", item["name"]);
        let id = item_photos[0]["id"].as_str().unwrap();
        expected.insert(format!("{id}.large"));
        expected.insert(format!("{id}.thumb"));
    }
    let (files, strays) = photo_files(data);
    assert!(strays.is_empty(), "stray files: {strays:?}");
    assert_eq!(files, expected, "photo files and rows differ");
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_imports_and_syncs_lose_and_duplicate_nothing_and_the_next_run_resumes() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("phone");
    let server_dir = root.path().join("server");
    let server = start(ServerConfig::loopback(&server_dir)).await.unwrap();
    log_in(&data, &server, "kari").await;

    let folder: PathBuf = root.path().join("bilder");
    std::fs::create_dir_all(&folder).unwrap();
    let seed = Instant::now().elapsed().as_nanos() as u64
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
        | 1;
    println!("seed {seed}");
    let mut dice = Dice(seed);
    let folder_arg = folder.to_str().unwrap().to_owned();
    let mut photos = 0u32;
    let mut kills = 0u32;
    let mut rounds = 0u32;
    let started = Instant::now();
    while kills < KILLS {
        rounds += 1;
        assert!(
            rounds < 20 * KILLS,
            "the commands end before they can be killed"
        );
        // New photos now and then, so both commands keep having work to be cut off in.
        if rounds % 8 == 1 {
            for _ in 0..6 {
                std::fs::write(folder.join(format!("ting-{photos:03}.png")), png(photos)).unwrap();
                photos += 1;
            }
        }
        let after = Duration::from_millis(dice.below(300));
        let args: &[&str] = if dice.below(2) == 0 {
            &["inventory", "import", &folder_arg]
        } else {
            &["inventory", "sync"]
        };
        if killed(&data, &server, args, after).await {
            kills += 1;
        }
    }
    println!("{kills} kills in {rounds} rounds, {:?}", started.elapsed());
    // The killed runs got work done (they were not all cut off while starting).
    assert!(!photo_files(&data).0.is_empty());
    assert!(server_blobs(&server_dir).0 > 0);

    // Whole runs: the import takes what is left, the sync sends everything.
    document(&run(&data, &server, &["inventory", "import", &folder_arg]).await);
    let synced = document(&run(&data, &server, &["inventory", "sync"]).await);
    assert_eq!(synced["pending"], 0);
    let names = check_device(&data, &server, photos).await;
    let again = document(&run(&data, &server, &["inventory", "import", &folder_arg]).await);
    assert_eq!(again["imported"].as_array().unwrap().len(), photos as usize);
    check_device(&data, &server, photos).await;

    // The server holds every rendition once and no upload part.
    assert_eq!(server_blobs(&server_dir), (2 * photos as usize, 0));

    // A new phone restores every item once, with its photo.
    let fresh = root.path().join("new-phone");
    log_in(&fresh, &server, "kari").await;
    let restored = document(&run(&fresh, &server, &["inventory", "sync"]).await);
    assert_eq!(restored["downloaded"], photos);
    let mut restored_names = check_device(&fresh, &server, photos).await;
    let mut names = names;
    names.sort();
    restored_names.sort();
    assert_eq!(names, restored_names);
}
