//! Where data versions' files live (AGG-1): the data directory (the embedded default),
//! or an S3-compatible bucket (scale-out), with the data directory as the staging area
//! and a local cache. A version's files are complete where versions live before its row
//! is recorded; what an interrupted load left is removed at the next start.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use gongshu_store::Store;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use tokio::io::AsyncWriteExt;

use crate::config::{ObjectStoreConfig, Settings};
use crate::error::ApiError;

/// Where version files live: `<data dir>/versions/<entry id>/<uuid>/`, staged first in
/// `<data dir>/versions/.staging/`.
#[derive(Debug, Clone)]
pub struct DataFiles {
    root: PathBuf,
    remote: Option<Remote>,
}

/// A bucket (and prefix) that holds the versions.
#[derive(Debug, Clone)]
struct Remote {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

fn remote_error(e: object_store::Error) -> ApiError {
    tracing::error!(error = %e, "object storage");
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "object_store_unavailable",
        "数据存储暂时不可用，请稍后再试",
        "The data store is unavailable; try again later",
    )
}

impl DataFiles {
    /// Versions in the data directory only.
    pub fn new(data_dir: &Path) -> Self {
        DataFiles { root: data_dir.join("versions"), remote: None }
    }

    /// Versions where the settings say: the bucket if one is configured.
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let local = Self::new(&settings.data_dir);
        match &settings.object_store {
            None => Ok(local),
            Some(cfg) => Ok(DataFiles { remote: Some(Remote::open(cfg)?), ..local }),
        }
    }

    /// Whether versions live in an object store.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    fn object(&self, key: &str, file: &str) -> Option<ObjectPath> {
        let r = self.remote.as_ref()?;
        Some(r.path(&format!("versions/{key}/{file}")))
    }

    /// Makes a placed version durable where versions live: with an object store, every
    /// file of its directory is uploaded (streamed, in parts).
    pub async fn publish(&self, key: &str) -> Result<(), ApiError> {
        let Some(r) = &self.remote else { return Ok(()) };
        let dir = self.version_dir(key);
        let mut entries = tokio::fs::read_dir(&dir).await.map_err(io_error)?;
        while let Some(e) = entries.next_entry().await.map_err(io_error)? {
            let name = e.file_name().to_string_lossy().to_string();
            let Some(path) = self.object(key, &name) else { continue };
            let mut file = tokio::fs::File::open(e.path()).await.map_err(io_error)?;
            let mut writer = object_store::buffered::BufWriter::new(r.store.clone(), path);
            tokio::io::copy(&mut file, &mut writer).await.map_err(io_error)?;
            writer.shutdown().await.map_err(io_error)?;
        }
        Ok(())
    }

    /// A local directory with the version's files: the copy here, else downloaded from
    /// the object store (and kept as a cache).
    pub async fn local(&self, key: &str) -> Result<PathBuf, ApiError> {
        let dir = self.version_dir(key);
        let Some(r) = &self.remote else { return Ok(dir) };
        if tokio::fs::try_exists(&dir).await.unwrap_or(false) {
            return Ok(dir);
        }
        let staged = self.stage("")?;
        tokio::fs::create_dir_all(&staged).await.map_err(io_error)?;
        let prefix = r.path(&format!("versions/{key}"));
        let mut listing = r.store.list(Some(&prefix));
        let mut found = 0;
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(remote_error)?;
            let Some(name) = meta.location.filename().map(str::to_string) else { continue };
            let mut body = r.store.get(&meta.location).await.map_err(remote_error)?.into_stream();
            let mut out = tokio::fs::File::create(staged.join(&name)).await.map_err(io_error)?;
            while let Some(chunk) = body.next().await {
                out.write_all(&chunk.map_err(remote_error)?).await.map_err(io_error)?;
            }
            out.flush().await.map_err(io_error)?;
            found += 1;
        }
        if found == 0 {
            let _ = tokio::fs::remove_dir_all(&staged).await;
            return Err(ApiError::not_found("数据版本文件", "Data version files"));
        }
        if let Some(parent) = dir.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io_error)?;
        }
        match tokio::fs::rename(&staged, &dir).await {
            Ok(()) => Ok(dir),
            // Another request fetched it meanwhile.
            Err(_) if tokio::fs::try_exists(&dir).await.unwrap_or(false) => {
                let _ = tokio::fs::remove_dir_all(&staged).await;
                Ok(dir)
            }
            Err(e) => Err(io_error(e)),
        }
    }

    /// Removes objects of versions that no row owns (older than a minute), left by a
    /// load that stopped between its upload and its record.
    async fn clean_up_remote(&self, keys: &std::collections::HashSet<String>) -> Result<usize, ApiError> {
        let Some(r) = &self.remote else { return Ok(0) };
        let prefix = r.path("versions");
        let depth = prefix.parts().count();
        let mut listing = r.store.list(Some(&prefix));
        let mut stale = Vec::new();
        while let Some(meta) = listing.next().await {
            let meta = meta.map_err(remote_error)?;
            let parts: Vec<String> = meta.location.parts().skip(depth).map(|p| p.as_ref().to_string()).collect();
            let [entry, uuid, _file] = parts.as_slice() else { continue };
            let old = (chrono::Utc::now() - meta.last_modified).num_seconds() > 60;
            if old && !keys.contains(&format!("{entry}/{uuid}")) {
                stale.push(meta.location);
            }
        }
        for location in &stale {
            r.store.delete(location).await.map_err(remote_error)?;
        }
        Ok(stale.len())
    }

    pub fn staging(&self) -> PathBuf {
        self.root.join(".staging")
    }

    /// A new staging path (a file or a directory).
    pub fn stage(&self, suffix: &str) -> Result<PathBuf, ApiError> {
        let dir = self.staging();
        std::fs::create_dir_all(&dir).map_err(io_error)?;
        Ok(dir.join(format!("{}-{}{suffix}", std::process::id(), uuid::Uuid::new_v4().simple())))
    }

    /// The directory of a stored version.
    pub fn version_dir(&self, storage_key: &str) -> PathBuf {
        self.root.join(storage_key)
    }

    /// Removes what an interrupted load left: what a process that is no longer running
    /// staged, and version directories that no recorded version owns (older than a
    /// minute: a running load records its version right after placing it). Returns how
    /// many were removed. Servers sharing a data directory may all run this.
    pub async fn clean_up(&self, store: &Store) -> Result<usize, ApiError> {
        let keys: std::collections::HashSet<String> = store.data_storage_keys().await?.into_iter().collect();
        let known = keys.clone();
        let root = self.root.clone();
        let removed = tokio::task::spawn_blocking(move || -> std::io::Result<usize> {
            let mut removed = 0;
            let staging = root.join(".staging");
            if staging.exists() {
                for e in std::fs::read_dir(&staging)? {
                    let p = e?.path();
                    let owner = p.file_name().and_then(|n| n.to_str()).and_then(|n| n.split('-').next());
                    if owner.is_some_and(process_running) {
                        continue;
                    }
                    if p.is_dir() {
                        std::fs::remove_dir_all(&p)?
                    } else {
                        std::fs::remove_file(&p)?
                    }
                    removed += 1;
                }
            }
            let Ok(entries) = std::fs::read_dir(&root) else { return Ok(removed) };
            for e in entries {
                let entry_dir = e?.path();
                let Some(entry) = entry_dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
                if entry.starts_with('.') || !entry_dir.is_dir() {
                    continue;
                }
                for v in std::fs::read_dir(&entry_dir)? {
                    let p = v?.path();
                    let Some(name) = p.file_name().and_then(|n| n.to_str()) else { continue };
                    let settled = v_age(&p).is_some_and(|age| age > std::time::Duration::from_secs(60));
                    if settled && !keys.contains(&format!("{entry}/{name}")) {
                        std::fs::remove_dir_all(&p)?;
                        removed += 1;
                    }
                }
            }
            Ok(removed)
        })
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(io_error)?;
        let removed = removed + self.clean_up_remote(&known).await?;
        if removed > 0 {
            tracing::warn!(removed, "removed files of interrupted data loads");
        }
        Ok(removed)
    }
}

/// Whether the process that staged a file is still running (where `/proc` tells;
/// elsewhere only this process counts as running).
fn process_running(pid: &str) -> bool {
    if pid == std::process::id().to_string() {
        return false;
    }
    let proc = Path::new("/proc");
    proc.exists() && proc.join(pid).exists()
}

fn v_age(p: &Path) -> Option<std::time::Duration> {
    std::fs::metadata(p).ok()?.modified().ok()?.elapsed().ok()
}

pub(crate) fn io_error(e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "data files");
    ApiError::internal()
}

impl Remote {
    fn open(cfg: &ObjectStoreConfig) -> Result<Remote, String> {
        let url = cfg.url.trim();
        let Some(rest) = url.strip_prefix("s3://") else {
            return Err(format!("object_store.url {url:?} must start with s3://"));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(format!("object_store.url {url:?} names no bucket"));
        }
        let mut b =
            object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket).with_allow_http(cfg.allow_http);
        if let Some(e) = &cfg.endpoint {
            b = b.with_endpoint(e);
        }
        if let Some(r) = &cfg.region {
            b = b.with_region(r);
        }
        if let Some(k) = &cfg.access_key_id {
            b = b.with_access_key_id(k);
        }
        if let Some(k) = &cfg.secret_access_key {
            b = b.with_secret_access_key(k);
        }
        let store = b.build().map_err(|e| format!("object storage {url}: {e}"))?;
        Ok(Remote { store: Arc::new(store), prefix: prefix.trim_matches('/').to_string() })
    }

    /// An object's path under the prefix.
    fn path(&self, rest: &str) -> ObjectPath {
        if self.prefix.is_empty() {
            ObjectPath::from(rest)
        } else {
            ObjectPath::from(format!("{}/{rest}", self.prefix))
        }
    }
}
