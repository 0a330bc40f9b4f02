//! The layout the design promises, checked on the source: capabilities do not reach into one
//! another (only `handle.rs`, which wires them together, and `error.rs`, which converts their
//! errors, know more than one), and `handle.rs` stays small and free of request logic.

#![allow(clippy::unwrap_used)] // test code: a failure to read the sources is a failed test

use std::fs;
use std::path::{Path, PathBuf};

const CAPABILITIES: &[&str] = &["auth", "roadside", "consent", "inventory"];
const MAY_KNOW_ALL: &[&str] = &["handle.rs", "error.rs", "lib.rs"];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The capabilities a file refers to: its own folder's, and any it names as `crate::<cap>`.
fn capabilities_used(src: &Path, file: &Path) -> Vec<&'static str> {
    let text = fs::read_to_string(file).unwrap();
    let relative = file.strip_prefix(src).unwrap();
    let own = relative
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .and_then(|first| CAPABILITIES.iter().find(|cap| **cap == first).copied());
    let mut used: Vec<&'static str> = own.into_iter().collect();
    for cap in CAPABILITIES {
        let named = text.contains(&format!("crate::{cap}::"))
            || text.contains(&format!("crate::{cap};"))
            || text.contains(&format!("crate::{cap}}}"))
            || text.contains(&format!("crate::{{{cap}"));
        if named && !used.contains(cap) {
            used.push(cap);
        }
    }
    used
}

#[test]
fn no_file_but_the_handle_and_the_errors_knows_two_capabilities() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    assert!(files.len() > 20, "source files not found");
    let mut offenders = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if MAY_KNOW_ALL.contains(&name.as_str()) {
            continue;
        }
        let used = capabilities_used(&src, file);
        if used.len() > 1 {
            offenders.push(format!("{name}: {used:?}"));
        }
    }
    assert!(
        offenders.is_empty(),
        "files that know two capabilities: {offenders:#?}"
    );
}

#[test]
fn the_core_handle_stays_small_and_sends_no_requests() {
    let handle = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/handle.rs");
    let text = fs::read_to_string(handle).unwrap();
    let lines = text.lines().count();
    assert!(lines < 200, "handle.rs has {lines} lines");
    for request_logic in [
        "get_json",
        "post_json",
        "access_token",
        "status: 401",
        "send(",
    ] {
        assert!(
            !text.contains(request_logic),
            "handle.rs carries request logic: {request_logic}"
        );
    }
}

/// The gate cannot be bypassed: outside `net/` (the one authorised request path) and
/// `auth/` (which speaks to the OpenID Provider, not to the member API), no capability may
/// build an HTTP request or hold an access token. What they can reach besides `MemberApi`
/// is `ApiClient`'s anonymous GETs, which carry no body and no token, so nothing personal.
#[test]
fn no_capability_but_login_builds_its_own_requests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    for capability in ["consent", "roadside", "inventory"] {
        let dir = src.join(capability);
        if !dir.exists() {
            continue;
        }
        let mut files = Vec::new();
        sources(&dir, &mut files);
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for forbidden in [
                "reqwest",
                ".http()",
                "access_token",
                "bearer_auth",
                "json_as(Method",
            ] {
                if text.contains(forbidden) {
                    offenders.push(format!("{}: {forbidden}", file.display()));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "requests outside the authorised path: {offenders:#?}"
    );
}
