use std::str::FromStr;
use std::sync::Arc;

use gongshu_store::{Actor, PgStore, SqliteStore, Store};
use sqlx::postgres::PgConnectOptions;

/// One backend under test, with a raw connection for tampering with the data.
pub struct Backend {
    pub name: &'static str,
    pub store: Store,
    /// Opens a second, independent handle on the same database (a second replica).
    pub reopen: Box<dyn Fn() -> futures_lite::BoxedStore + Send + Sync>,
    raw: Raw,
}

enum Raw {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

pub mod futures_lite {
    pub type BoxedStore = std::pin::Pin<Box<dyn std::future::Future<Output = gongshu_store::Store> + Send>>;
}

impl Backend {
    /// Runs a statement straight on the database, bypassing the store.
    pub async fn exec(&self, sql: &str) {
        match &self.raw {
            Raw::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Raw::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

pub fn actor() -> Actor {
    Actor::new("user:test", Some("req-test".into()))
}

/// The backends to run on: SQLite always, PostgreSQL when configured.
pub async fn backends() -> Vec<Backend> {
    let mut out = vec![sqlite().await];
    match std::env::var("GONGSHU_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => out.push(postgres(&url).await),
        _ => eprintln!("GONGSHU_TEST_DATABASE_URL is not set: PostgreSQL part skipped"),
    }
    out
}

async fn sqlite() -> Backend {
    let dir = std::env::temp_dir().join(format!("gongshu-store-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}", dir.join("gongshu.db").display());
    let store: Store = Arc::new(SqliteStore::connect(&url).await.unwrap());
    let raw = sqlx::SqlitePool::connect(&url).await.unwrap();
    let reopen_url = url.clone();
    Backend {
        name: "sqlite",
        store,
        reopen: Box::new(move || {
            let url = reopen_url.clone();
            Box::pin(async move { Arc::new(SqliteStore::connect(&url).await.unwrap()) as Store })
        }),
        raw: Raw::Sqlite(raw),
    }
}

async fn postgres(url: &str) -> Backend {
    let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    let options = PgConnectOptions::from_str(url).unwrap().options([("search_path", schema.as_str())]);
    let store: Store = Arc::new(PgStore::connect_with(options.clone()).await.unwrap());
    let raw = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
    Backend {
        name: "postgres",
        store,
        reopen: Box::new(move || {
            let options = options.clone();
            Box::pin(async move { Arc::new(PgStore::connect_with(options).await.unwrap()) as Store })
        }),
        raw: Raw::Postgres(raw),
    }
}
