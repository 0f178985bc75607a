//! The embedded default backend: one SQLite file in WAL mode.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite};

use crate::aggregation::impl_aggregation_store;
use crate::audit::impl_audit_store;
use crate::auth::impl_auth_store;
use crate::catalog::impl_catalog_store;
use crate::clocks::impl_deadline_store;
use crate::corrections::impl_correction_store;
use crate::data::impl_data_store;
use crate::demand::impl_demand_store;
use crate::open_data::impl_open_data_store;
use crate::open_demands::impl_open_demand_store;
use crate::open_lists::impl_open_list_store;
use crate::orgs::impl_org_store;
use crate::projects::impl_project_store;
use crate::pulls::impl_pull_store;
use crate::regulation::{impl_calendar_store, impl_regulation_helpers};
use crate::share::impl_share_store;
use crate::users::impl_user_store;

/// Storage in a SQLite database file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: Pool<Sqlite>,
    org_cache: std::sync::Arc<std::sync::Mutex<crate::orgs::OrgCache>>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL and migrates it.
    pub async fn connect(url: &str) -> crate::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(SqliteStore { pool, org_cache: Default::default() })
    }
}

impl_audit_store!(SqliteStore, Sqlite);
impl_org_store!(SqliteStore);
impl_user_store!(SqliteStore);
impl_auth_store!(SqliteStore);
impl_regulation_helpers!(SqliteStore, Sqlite);
impl_calendar_store!(SqliteStore);
impl_deadline_store!(SqliteStore);
impl_share_store!(SqliteStore);
impl_catalog_store!(SqliteStore, Sqlite);
impl_open_list_store!(SqliteStore);
impl_data_store!(SqliteStore);
impl_correction_store!(SqliteStore);
impl_project_store!(SqliteStore);
impl_demand_store!(SqliteStore);
impl_aggregation_store!(SqliteStore);
impl_pull_store!(SqliteStore);
impl_open_data_store!(SqliteStore);
impl_open_demand_store!(SqliteStore, Sqlite);

#[async_trait::async_trait]
impl crate::Storage for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> crate::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup_to(&self, path: &std::path::Path) -> crate::Result<()> {
        // VACUUM INTO writes a consistent, compacted snapshot while others keep working.
        sqlx::query("VACUUM INTO $1").bind(path.to_string_lossy().into_owned()).execute(&self.pool).await?;
        Ok(())
    }
}
