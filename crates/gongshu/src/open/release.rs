//! Released rows of an open dataset: the one way open data is read. Every surface
//! (preview, downloads, the CKAN DataStore, SQL, the native API) opens a
//! [`ReleasedReader`] through [`reader`], which applies the dataset's release plan to
//! every batch (OPN-6, SEC-3).

use std::collections::HashMap;
use std::path::PathBuf;

use arrow_array::RecordBatch;
use futures_util::Stream;
use gongshu_data::DataError;
use gongshu_data::released::ReleasedReader;
use gongshu_store::Store;

use super::OpenDataset;
use crate::app::AppState;
use crate::error::ApiError;

/// Suspended entries with the reason (OPN-8).
pub async fn suspensions(store: &Store) -> Result<HashMap<i64, String>, ApiError> {
    Ok(store.suspensions().await?.into_iter().map(|s| (s.entry_id, s.reason)).collect())
}

fn read_failed(e: DataError) -> ApiError {
    tracing::error!(error = %e, "released data could not be read");
    ApiError::internal()
}

/// The local directory of the dataset's current version (fetched from the object store
/// when versions live there).
pub async fn version_dir(state: &AppState, ds: &OpenDataset) -> Result<PathBuf, ApiError> {
    let v = ds.data()?;
    state.data_files().local(&v.storage_key).await
}

/// The dataset's released rows, batch by batch.
pub async fn reader(state: &AppState, ds: &OpenDataset) -> Result<ReleasedReader, ApiError> {
    let dir = version_dir(state, ds).await?;
    let plan = ds.plan.clone();
    tokio::task::spawn_blocking(move || ReleasedReader::open(&dir, plan))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(read_failed)
}

/// A reader as an async stream: a blocking thread reads ahead at most two batches.
pub fn stream(reader: ReleasedReader) -> impl Stream<Item = Result<RecordBatch, DataError>> + Send + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        for batch in reader {
            if tx.blocking_send(batch).is_err() {
                break;
            }
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) })
}

/// The first `rows` released records, as column names and text cells.
pub async fn preview(
    state: &AppState,
    ds: &OpenDataset,
    rows: usize,
) -> Result<(Vec<String>, Vec<Vec<String>>), ApiError> {
    let reader = reader(state, ds).await?;
    tokio::task::spawn_blocking(move || {
        let columns: Vec<String> = reader.schema().fields().iter().map(|f| f.name().clone()).collect();
        let mut out = Vec::new();
        for batch in reader {
            let batch = batch?;
            for r in 0..batch.num_rows() {
                if out.len() == rows {
                    return Ok((columns, out));
                }
                out.push(
                    batch
                        .columns()
                        .iter()
                        .map(|c| gongshu_data::lookup::value_text(c.as_ref(), r).unwrap_or_default())
                        .collect(),
                );
            }
        }
        Ok((columns, out))
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(read_failed)
}
