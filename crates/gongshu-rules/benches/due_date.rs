//! Due-date computations per second on one core (issue: regulation engine; target ≥ 5 million/s).
//! Run: `cargo bench -p gongshu-rules --bench due_date`.

use chrono::{Duration, NaiveDate};
use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use gongshu_rules::Calendar;

const BATCH: u64 = 1000;

fn due_dates(c: &mut Criterion) {
    let cal = match Calendar::official() {
        Ok(cal) => cal,
        Err(e) => panic!("official calendar: {e}"),
    };
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    // Receipt days spread over 2020–2026 and deadlines of 1–30 working days, fixed in advance.
    let questions: Vec<(NaiveDate, u32)> =
        (0..BATCH).map(|i| (start + Duration::days(((i * 7919) % 2550) as i64), 1 + (i % 30) as u32)).collect();
    let mut group = c.benchmark_group("calendar");
    group.throughput(Throughput::Elements(BATCH));
    group.bench_function("due_date (1000 per iteration)", |b| {
        b.iter(|| {
            for (received, n) in &questions {
                let _ = black_box(cal.due_date(black_box(*received), black_box(*n), None));
            }
        })
    });
    group.bench_function("due_date with a region (1000 per iteration)", |b| {
        b.iter(|| {
            for (received, n) in &questions {
                let _ = black_box(cal.due_date(black_box(*received), black_box(*n), Some("371002")));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, due_dates);
criterion_main!(benches);
