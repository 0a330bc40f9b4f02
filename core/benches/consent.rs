#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! The consent capability's figures: the gate's decision (it sits on every request), the
//! screen model, and the export of a member with 1 000 ledger records (time here; its size is
//! printed once at set-up).

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use lofavor_core::net::{DataCategory, Disclosure, Partner};

const RECORDS: usize = 1_000;

fn consent(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let core = support::open(dir.path());
    let purposes: Vec<String> = core
        .consent()
        .screen()
        .unwrap()
        .purposes
        .iter()
        .map(|r| r.id.clone())
        .collect();
    for i in 0..RECORDS {
        let purpose = &purposes[i % purposes.len()];
        core.consent()
            .record_offline_for_tests(purpose, i % 3 != 0)
            .unwrap();
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let export = runtime.block_on(core.consent().export()).unwrap();
    eprintln!(
        "consent: export of {RECORDS} ledger records = {} bytes ({} KiB)",
        export.len(),
        export.len() / 1024
    );

    let gate = core.consent().gate();
    let to_partner = Disclosure::to_partner(
        "partner_sharing.fremtind",
        Partner::Fremtind,
        &[DataCategory::Identity, DataCategory::UnionMembership],
    );
    let analytics = Disclosure::to_lofavor("analytics", &[DataCategory::Usage]);
    let mut group = c.benchmark_group("consent");
    group.bench_function("gate_partner_transfer", |b| {
        b.iter(|| gate.check(std::hint::black_box(&to_partner)))
    });
    group.bench_function("gate_analytics_event", |b| {
        b.iter(|| gate.check(std::hint::black_box(&analytics)))
    });
    group.bench_function("gate_nothing_disclosed", |b| {
        b.iter(|| gate.check(std::hint::black_box(&Disclosure::Nothing)))
    });
    group.bench_function("screen_model_1000_records", |b| {
        b.iter(|| core.consent().screen().unwrap())
    });
    group.sample_size(20);
    group.bench_function("export_1000_records", |b| {
        b.iter(|| runtime.block_on(core.consent().export()).unwrap())
    });
    group.bench_function("history_chain_check_1000_records", |b| {
        b.iter(|| core.consent().history().unwrap())
    });
    group.finish();
}

criterion_group!(benches, consent);
criterion_main!(benches);
