//! The worker's cache against a loopback server that sends forged, foreign, unsigned and
//! replayed lists, over a real encrypted store: each is refused with its typed error and the
//! cached lists stay, in memory and in the database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use p256::ecdsa::SigningKey;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use url::Url;

use super::*;
use crate::net::{NetConfig, http_client};
use crate::platform::MemoryStandInStore;
use crate::roadside::certificate::{
    CertificateId, RevocationError, TrustError, TrustedKey, sign_revocation_list,
};

/// What the loopback server answers, by path.
type Routes = Arc<Mutex<HashMap<String, Vec<u8>>>>;

/// A loopback HTTP server answering each path with the bytes `routes` holds for it now.
async fn list_server() -> (Url, Routes) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
    let routes: Routes = Arc::default();
    let served = routes.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let served = served.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                let request = String::from_utf8_lossy(&buf[..n]);
                let path = request
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .trim_start_matches('/')
                    .to_owned();
                let body = served.lock().unwrap().get(&path).cloned();
                let head = match &body {
                    Some(body) => format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/cose\r\nconnection: close\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    ),
                    None => {
                        "HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"
                            .to_owned()
                    }
                };
                let _ = socket.write_all(head.as_bytes()).await;
                let _ = socket.write_all(&body.unwrap_or_default()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    (url, routes)
}

fn key(seed: u8) -> SigningKey {
    SigningKey::from_slice(&[seed; 32]).unwrap()
}

fn anchors_of(keys: &[&SigningKey]) -> TrustAnchors {
    TrustAnchors::new(keys.iter().map(|k| *k.verifying_key()).collect()).unwrap()
}

/// A trust list numbered `sequence` of the issuer keys `issuers`, signed by `anchor`.
/// Fixed times, so the same sequence number always makes the very same list.
fn trust_list(sequence: u64, issuers: &[&SigningKey], anchor: &SigningKey) -> Vec<u8> {
    let year_2000 = from_unix_seconds(946_684_800);
    let year_2100 = from_unix_seconds(4_102_444_800);
    TrustList::new(
        issuers
            .iter()
            .map(|k| TrustedKey::new(*k.verifying_key(), year_2000, year_2100).unwrap())
            .collect(),
    )
    .unwrap()
    .with_sequence(sequence, from_unix_seconds(1_700_000_000 + sequence as i64))
    .unwrap()
    .sign(anchor)
    .unwrap()
}

/// A revocation list issued `ago` before now, revoking `revoked` ids, signed by `issuer`.
fn revocations(ago: Duration, revoked: u8, issuer: &SigningKey) -> Vec<u8> {
    let issued = SystemTime::now() - ago;
    let ids: Vec<_> = (0..revoked).map(|i| CertificateId([i; 8])).collect();
    sign_revocation_list(&ids, issued, issued + Duration::from_secs(3600), issuer).unwrap()
}

struct Field {
    _dir: tempfile::TempDir,
    store: Arc<Store>,
    cache: TrustCache,
    api: ApiClient,
    routes: Routes,
    anchors: TrustAnchors,
}

impl Field {
    async fn new(anchors: TrustAnchors) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let schema = crate::handle::schema().unwrap();
        let store = Arc::new(Store::open(dir.path(), &MemoryStandInStore::new(), &schema).unwrap());
        let (url, routes) = list_server().await;
        let net = NetConfig::default();
        let api = ApiClient::with_client(http_client(&net).unwrap(), url, net);
        Self {
            _dir: dir,
            cache: TrustCache::new(store.clone(), anchors.clone()),
            store,
            api,
            routes,
            anchors,
        }
    }

    fn serve(&self, trust: &[u8], revocations: &[u8]) {
        let mut routes = self.routes.lock().unwrap();
        routes.insert(TRUST_LIST_PATH.to_owned(), trust.to_vec());
        routes.insert(REVOCATIONS_PATH.to_owned(), revocations.to_vec());
    }

    async fn refresh(&self) -> Result<TrustMaterial, ServiceError> {
        self.cache.refresh(&self.api, SystemTime::now()).await
    }

    /// The bytes the database holds for both lists.
    fn stored(&self) -> (Vec<u8>, Vec<u8>) {
        (
            load(&self.store, KIND_TRUST).unwrap().unwrap().0,
            load(&self.store, KIND_REVOCATIONS).unwrap().unwrap().0,
        )
    }

    /// The cached lists as a freshly opened app reads them from the database.
    fn reread(&self) -> TrustMaterial {
        TrustCache::new(self.store.clone(), self.anchors.clone())
            .material(SystemTime::now())
            .unwrap()
            .unwrap()
    }
}

/// Refreshing with what the server now sends fails with `expected`, and both cached lists
/// stay: in memory, in the database, and for the next app start.
async fn refused_and_kept(field: &Field, expected: impl Fn(&ServiceError) -> bool, what: &str) {
    let before = field.stored();
    let err = field.refresh().await.expect_err(what);
    assert!(expected(&err), "{what}: {err:?}");
    assert_eq!(field.stored(), before, "{what}: the database changed");
    for material in [
        field.cache.material(SystemTime::now()).unwrap().unwrap(),
        field.reread(),
    ] {
        assert_eq!(material.trust_list_sequence, 5, "{what}");
        assert_eq!(material.keys, 1, "{what}");
        assert_eq!(material.revoked, 2, "{what}");
    }
}

#[tokio::test]
async fn forged_older_foreign_and_unsigned_trust_lists_are_refused_and_the_cache_kept() {
    let (anchor, issuer) = (key(1), key(2));
    let field = Field::new(anchors_of(&[&anchor])).await;
    let good_trust = trust_list(5, &[&issuer], &anchor);
    let good_revocations = revocations(Duration::from_secs(600), 2, &issuer);
    field.serve(&good_trust, &good_revocations);
    let material = field.refresh().await.unwrap();
    assert_eq!((material.trust_list_sequence, material.revoked), (5, 2));

    let fresh_revocations = revocations(Duration::from_secs(60), 0, &issuer);

    // Forged: the anchor's key id, but signed by another key (the issuer's, say).
    let mut forged = trust_list(6, &[&issuer, &key(9)], &issuer);
    let (anchor_kid, issuer_kid) = (
        crate::roadside::certificate::key_id(anchor.verifying_key()),
        crate::roadside::certificate::key_id(issuer.verifying_key()),
    );
    let at = forged.windows(8).position(|w| w == issuer_kid).unwrap();
    forged[at..at + 8].copy_from_slice(&anchor_kid);
    field.serve(&forged, &fresh_revocations);
    refused_and_kept(
        &field,
        |e| matches!(e, ServiceError::Trust(TrustError::BadSignature)),
        "forged",
    )
    .await;

    // Older: a genuine list the anchor signed, with a lower sequence number (a replay).
    field.serve(
        &trust_list(4, &[&issuer, &key(9)], &anchor),
        &fresh_revocations,
    );
    refused_and_kept(
        &field,
        |e| {
            matches!(
                e,
                ServiceError::Trust(TrustError::Rollback {
                    cached: 5,
                    offered: 4
                })
            )
        },
        "older",
    )
    .await;

    // Signed by a key that is not a trust anchor.
    field.serve(
        &trust_list(6, &[&issuer, &key(9)], &key(8)),
        &fresh_revocations,
    );
    refused_and_kept(
        &field,
        |e| matches!(e, ServiceError::Trust(TrustError::UnknownAnchor)),
        "foreign anchor",
    )
    .await;

    // Unsigned: a plain CBOR trust list, { 1: 1, 2: [] }, the form of earlier versions.
    field.serve(&[0xa2, 0x01, 0x01, 0x02, 0x80], &fresh_revocations);
    refused_and_kept(
        &field,
        |e| matches!(e, ServiceError::Trust(TrustError::Unsigned)),
        "unsigned",
    )
    .await;

    // A newer trust list with an older revocation list: the pair is refused, the newer
    // trust list is not kept on its own.
    field.serve(
        &trust_list(6, &[&issuer], &anchor),
        &revocations(Duration::from_secs(3000), 0, &issuer),
    );
    refused_and_kept(
        &field,
        |e| matches!(e, ServiceError::Revocation(RevocationError::Rollback)),
        "older revocation list",
    )
    .await;

    // Both change at once: the revocation list is checked against the new trust list, so
    // one signed by a key the new list dropped is refused ...
    let next_issuer = key(3);
    field.serve(&trust_list(6, &[&next_issuer], &anchor), &fresh_revocations);
    refused_and_kept(
        &field,
        |e| matches!(e, ServiceError::Revocation(RevocationError::Untrusted)),
        "revocation list signed by a key the new trust list dropped",
    )
    .await;

    // ... and one signed by the key the new list adds is accepted with it.
    field.serve(
        &trust_list(6, &[&next_issuer], &anchor),
        &revocations(Duration::from_secs(30), 1, &next_issuer),
    );
    let material = field.refresh().await.unwrap();
    assert_eq!((material.trust_list_sequence, material.revoked), (6, 1));
    assert_eq!(field.reread().trust_list_sequence, 6);
}

#[tokio::test]
async fn a_cached_list_no_anchor_signed_any_more_is_not_used() {
    let (anchor, issuer) = (key(1), key(2));
    let field = Field::new(anchors_of(&[&anchor])).await;
    field.serve(
        &trust_list(1, &[&issuer], &anchor),
        &revocations(Duration::from_secs(60), 0, &issuer),
    );
    field.refresh().await.unwrap();
    // The deployment moved to another anchor: the list cached under the old one is not
    // trusted, and checking says "go online once", not "untrusted issuer".
    let moved = TrustCache::new(field.store.clone(), anchors_of(&[&key(7)]));
    assert!(moved.material(SystemTime::now()).unwrap().is_none());
    assert!(matches!(
        moved.check_payload("VH1:X", SystemTime::now()),
        Err(ServiceError::NoTrustList)
    ));
}

#[tokio::test]
async fn the_material_says_how_old_the_revocation_list_is_and_when_it_is_stale() {
    let (anchor, issuer) = (key(1), key(2));
    let field = Field::new(anchors_of(&[&anchor])).await;
    field.serve(
        &trust_list(1, &[&issuer], &anchor),
        &revocations(Duration::from_secs(600), 0, &issuer),
    );
    let now = SystemTime::now();
    let material = field.refresh().await.unwrap();
    let age = material.revocations_age.unwrap();
    assert!((600..660).contains(&age.as_secs()), "{age:?}");
    assert!(!material.revocations_stale);
    // Past the issuer's next_update (an hour after issue) it is stale ...
    let later = field
        .cache
        .material(now + Duration::from_secs(3600))
        .unwrap()
        .unwrap();
    assert!(later.revocations_stale);
    assert!(later.revocations_age.unwrap() >= Duration::from_secs(3600));

    // ... and a list whose issuer promises a next update far ahead is still stale once it is
    // older than REVOCATIONS_STALE_AFTER.
    let issued = SystemTime::now() - Duration::from_secs(60);
    let generous = sign_revocation_list(
        &[],
        issued,
        issued + Duration::from_secs(30 * 86_400),
        &issuer,
    )
    .unwrap();
    field.serve(&trust_list(1, &[&issuer], &anchor), &generous);
    field.refresh().await.unwrap();
    let check = |at: SystemTime| field.cache.material(at).unwrap().unwrap().revocations_stale;
    assert!(!check(
        issued + REVOCATIONS_STALE_AFTER - Duration::from_secs(1)
    ));
    assert!(check(
        issued + REVOCATIONS_STALE_AFTER + Duration::from_secs(1)
    ));
}
