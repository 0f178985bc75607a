//! The scale-out backend: PostgreSQL, shared by any number of server processes.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres};

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

/// Storage in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: Pool<Postgres>,
    org_cache: std::sync::Arc<std::sync::Mutex<crate::orgs::OrgCache>>,
}

impl PgStore {
    /// Connects to a `postgres://` URL and migrates the database. Migrations take
    /// PostgreSQL's advisory lock, so replicas starting together do not race.
    pub async fn connect(url: &str) -> crate::Result<Self> {
        Self::connect_with(PgConnectOptions::from_str(url)?).await
    }

    /// Connects with prepared options (tests use this to pick a schema).
    pub async fn connect_with(options: PgConnectOptions) -> crate::Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(PgStore { pool, org_cache: Default::default() })
    }
}

impl_audit_store!(PgStore, Postgres);
impl_org_store!(PgStore);
impl_user_store!(PgStore);
impl_auth_store!(PgStore);
impl_regulation_helpers!(PgStore, Postgres);
impl_calendar_store!(PgStore);
impl_deadline_store!(PgStore);
impl_share_store!(PgStore);
impl_catalog_store!(PgStore, Postgres);
impl_open_list_store!(PgStore);
impl_data_store!(PgStore);
impl_correction_store!(PgStore);
impl_project_store!(PgStore);
impl_demand_store!(PgStore);
impl_aggregation_store!(PgStore);
impl_pull_store!(PgStore);
impl_open_data_store!(PgStore);
impl_open_demand_store!(PgStore, Postgres);

#[async_trait::async_trait]
impl crate::Storage for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> crate::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup_to(&self, _path: &std::path::Path) -> crate::Result<()> {
        Err(crate::StoreError::Unsupported(
            "PostgreSQL is backed up with its own tools: pg_dump --format=custom, restored with pg_restore",
        ))
    }
}
