#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! The cost of describing a fix (every format, UTM, nearest place, SMS) and of loading the
//! embedded gazetteer (parse + R-tree build, paid once per process on first use).

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use lofavor_core::Locale;
use lofavor_core::roadside::location::{FixSource, Gazetteer, LocationFix, describe_location};

/// The embedded data, read the same way the library reads it.
static PLACES_BIN: &[u8] = include_bytes!("../data/gazetteer/places.bin");

fn location(c: &mut Criterion) {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_790_000_000);
    let fix = LocationFix {
        latitude: 62.0742,
        longitude: 9.1254,
        accuracy_m: 12.0,
        time: now - Duration::from_secs(5),
        source: FixSource::Gps,
    };
    // first call pays the gazetteer load; the loop measures the steady state
    describe_location(&fix, now, Locale::Nb).unwrap();

    let mut group = c.benchmark_group("location");
    group.bench_function("describe_location", |b| {
        b.iter(|| describe_location(black_box(&fix), now, Locale::Nb).unwrap())
    });
    group.bench_function("gazetteer_load", |b| {
        b.iter(|| Gazetteer::parse(black_box(PLACES_BIN)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, location);
criterion_main!(benches);
