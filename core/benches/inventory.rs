#![allow(missing_docs)] // criterion_group! generates an undocumented pub fn
#![allow(clippy::unwrap_used)] // a benchmark that cannot set up should stop loudly
//! Search as the member types, over 10 000 items (criterion's distribution gives the median;
//! the p99 of single searches is printed at set-up), and the totals over the same items.

mod support;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use lofavor_core::inventory::ItemFields;

const ITEMS: usize = 10_000;
const WORDS: &[&str] = &[
    "kaffemaskin",
    "sofa",
    "stol",
    "bord",
    "lampe",
    "sykkel",
    "ski",
    "tv",
    "høyttaler",
    "kamera",
    "sølvbestikk",
    "gitar",
    "symaskin",
    "støvsuger",
    "vaskemaskin",
    "telt",
    "jakke",
    "klokke",
];
const ROOMS: &[&str] = &["Stue", "Kjøkken", "Soverom", "Bod", "Garasje", "Kontor"];
const QUERIES: &[&str] = &[
    "kaf",
    "sølv",
    "sykkel ga",
    "stø",
    "x",
    "lampe kontor",
    "ska",
];

fn inventory(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let core = support::open(dir.path());
    for i in 0..ITEMS {
        let word = WORDS[i % WORDS.len()];
        core.inventory()
            .add_item(ItemFields {
                name: format!("{word} {i}"),
                room: Some(ROOMS[i % ROOMS.len()].into()),
                brand: Some(format!("Merke{}", i % 97)),
                serial_number: Some(format!("SN{i:06}")),
                purchase_price: Some((i as u64 % 500) * 10_000),
                ..ItemFields::default()
            })
            .unwrap();
    }
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..50 {
        for q in QUERIES {
            let started = Instant::now();
            core.inventory().search(q).unwrap();
            times.push(started.elapsed());
        }
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    eprintln!(
        "inventory: search over {ITEMS} items, {} searches: p50 {:?}, p99 {:?}",
        times.len(),
        p(0.50),
        p(0.99)
    );

    let mut group = c.benchmark_group("inventory");
    group.bench_function("search_prefix_kaf_10000_items", |b| {
        b.iter(|| core.inventory().search("kaf").unwrap())
    });
    group.bench_function("search_two_words_10000_items", |b| {
        b.iter(|| core.inventory().search("sykkel ga").unwrap())
    });
    group.bench_function("search_one_letter_10000_items", |b| {
        b.iter(|| core.inventory().search("x").unwrap())
    });
    group.bench_function("totals_10000_items", |b| {
        b.iter(|| core.inventory().totals().unwrap())
    });
    group.finish();
}

criterion_group!(benches, inventory);
criterion_main!(benches);
