//! The deadline scheduler with 100,000 open clocks (issue: regulation engine; target: one
//! tick under 100 ms). Prints a table. Run: `cargo bench -p gongshu --bench scheduler`
//! (add GONGSHU_TEST_DATABASE_URL=postgres://… to measure PostgreSQL too).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use gongshu::app::AppState;
use gongshu::config::{FileConfig, Overrides, Settings};
use gongshu_store::{Actor, NewClock, PgStore, SqliteStore, Store};

const OPEN: usize = 100_000;
const DUE_PER_ROUND: usize = 100;

fn clock(i: usize, due_at: i64) -> NewClock {
    NewClock {
        item: format!("bench:{i}"),
        duty: "provider_review".into(),
        rule: "sharing.conditional_review[0]".into(),
        source: "WHN-17".into(),
        holder_org_id: None,
        received_on: "2026-12-01".into(),
        working_days: 10,
        due_on: "2026-12-15".into(),
        due_at,
        remind_at: due_at - 3_600_000_000,
        provisional: false,
        on_miss: "escalate".into(),
    }
}

async fn run(name: &str, store: Store) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let now = Utc::now();
    let far = (now + Duration::days(365)).timestamp_micros();
    let by = Actor::new("bench", None);
    let started = Instant::now();
    for chunk in (0..OPEN).collect::<Vec<_>>().chunks(10_000) {
        let clocks: Vec<NewClock> = chunk.iter().map(|i| clock(*i, far)).collect();
        store.start_clocks(&clocks, &by).await?;
        eprint!("\r{name}: {} / {OPEN} clocks", chunk[chunk.len() - 1] + 1);
    }
    eprintln!(" in {:.1} s", started.elapsed().as_secs_f64());
    let settings = Settings::merge(&Overrides::default(), FileConfig::default())?;
    let profile = gongshu::regulation::load_profile("wuhan")?;
    let app = AppState::new(store.clone(), settings, profile);
    let mut rows = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let r = gongshu::deadlines::tick(&app, now).await?;
        idle.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(r.fired + r.reminded, 0);
    }
    let mut firing = Vec::new();
    let mut fired_per_tick = Vec::new();
    let mut next = OPEN;
    for _ in 0..5 {
        let past = (now - Duration::minutes(10)).timestamp_micros();
        let due: Vec<NewClock> = (0..DUE_PER_ROUND).map(|i| clock(next + i, past)).collect();
        next += DUE_PER_ROUND;
        store.start_clocks(&due, &by).await?;
        let t = Instant::now();
        let r = gongshu::deadlines::tick(&app, now).await?;
        firing.push(t.elapsed().as_secs_f64() * 1000.0);
        fired_per_tick.push(r.fired);
        // Drain what the time budget deferred before the next round.
        while gongshu::deadlines::tick(&app, now).await?.deferred > 0 {}
    }
    // A burst: many clocks closing at the same 23:59:59 CST.
    let burst = 2_000;
    let past = (now - Duration::minutes(10)).timestamp_micros();
    let due: Vec<NewClock> = (0..burst).map(|i| clock(next + i, past)).collect();
    store.start_clocks(&due, &by).await?;
    let (mut ticks, mut longest, mut total) = (0, 0.0f64, 0);
    let t0 = Instant::now();
    while total < burst {
        let t = Instant::now();
        let r = gongshu::deadlines::tick(&app, now).await?;
        longest = longest.max(t.elapsed().as_secs_f64() * 1000.0);
        total += r.fired;
        ticks += 1;
        if ticks > 10_000 {
            break;
        }
    }
    let rate = total as f64 / t0.elapsed().as_secs_f64();
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    rows.push(format!("| {name} | {OPEN} open, none due | < 100 ms | {:.1} ms |", median(&mut idle)));
    rows.push(format!(
        "| {name} | {OPEN} open, {DUE_PER_ROUND} due (escalated, audited, notified; fired in the tick: {}) | < 100 ms | {:.1} ms |",
        fired_per_tick.iter().map(|n| n.to_string()).collect::<Vec<_>>().join("/"),
        median(&mut firing)
    ));
    rows.push(format!(
        "| {name} | burst of {burst} due at once: {ticks} ticks, {rate:.0} clocks/s | < 100 ms each | longest {longest:.1} ms |"
    ));
    Ok(rows)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("gongshu-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite: Store = Arc::new(SqliteStore::connect(&format!("sqlite://{}", dir.join("bench.db").display())).await?);
    let mut rows = run("SQLite", sqlite).await?;
    if let Ok(url) = std::env::var("GONGSHU_TEST_DATABASE_URL") {
        let schema = format!("bench_{}", std::process::id());
        let admin = sqlx::PgPool::connect(&url).await?;
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await?;
        let options = sqlx::postgres::PgConnectOptions::from_str(&url)?.options([("search_path", schema.as_str())]);
        let pg: Store = Arc::new(PgStore::connect_with(options).await?);
        rows.extend(run("PostgreSQL", pg).await?);
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("\n| backend | clocks | target | one tick (median of 5) |\n|---|---|---|---|");
    for r in rows {
        println!("{r}");
    }
    Ok(())
}
