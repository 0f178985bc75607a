/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("{0}")]
    Unsupported(&'static str),
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("{0} refers to something that does not exist")]
    MissingReference(&'static str),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Conflict(constraint_subject(db.message()));
            }
            if db.is_foreign_key_violation() {
                return StoreError::MissingReference("a reference");
            }
        }
        StoreError::Database(e)
    }
}

/// Names what collided in a unique-key violation, from the driver's message.
fn constraint_subject(message: &str) -> &'static str {
    if message.contains("credit_code") {
        "an organization with this credit code"
    } else if message.contains("username") {
        "an account with this username"
    } else if message.contains("catalog_entries") || message.contains("code") {
        "a catalog entry with this code"
    } else if message.contains("calendar") {
        "this calendar year"
    } else if message.contains("regions") {
        "a region with this code"
    } else {
        "a record with this key"
    }
}
