//! Open datasets as tables for the query engine (gongshu-query): the rows come only
//! from the shared released reader, so SQL and DataStore queries see exactly what a
//! download shows (OPN-6).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, SchemaRef};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use gongshu_data::released::{ReleasePlan, ReleasedReader};
use gongshu_query::{TableSource, Tables};

use super::OpenDataset;
use crate::app::AppState;
use crate::error::ApiError;

/// A dataset's current version, released.
#[derive(Debug)]
pub struct Released {
    dir: PathBuf,
    plan: ReleasePlan,
    schema: SchemaRef,
}

impl Released {
    /// The table of a dataset that may be served (410 when suspended, 404 without data).
    pub async fn open(state: &AppState, ds: &OpenDataset) -> Result<Arc<Released>, ApiError> {
        let dir = super::release::version_dir(state, ds).await?;
        let reader = super::release::reader(state, ds).await?;
        Ok(Arc::new(Released { dir, plan: ds.plan.clone(), schema: reader.schema() }))
    }
}

impl TableSource for Released {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>> {
        let (dir, plan) = (self.dir.clone(), self.plan.clone());
        let (tx, rx) = tokio::sync::mpsc::channel(2);
        tokio::task::spawn_blocking(move || {
            let reader = match ReleasedReader::open(&dir, plan) {
                Ok(r) => r,
                Err(e) => {
                    let _ = tx.blocking_send(Err(ArrowError::ExternalError(Box::new(e))));
                    return;
                }
            };
            for batch in reader {
                let batch = batch.map_err(|e| ArrowError::ExternalError(Box::new(e)));
                if tx.blocking_send(batch).is_err() {
                    break;
                }
            }
        });
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) }).boxed()
    }
}

/// The tables a SQL statement names, resolved before it runs.
pub struct Resolved(pub HashMap<String, Arc<Released>>);

impl Tables for Resolved {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        self.0.get(name).map(|t| t.clone() as Arc<dyn TableSource>)
    }
}
