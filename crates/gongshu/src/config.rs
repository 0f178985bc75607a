//! Configuration, from (lowest to highest precedence) built-in defaults, a TOML file,
//! `GONGSHU_*` environment variables and command-line flags. `docs/configuration.md`
//! lists every setting.
//!
//! clap resolves flag-over-environment for each setting; whatever neither gives is taken
//! from the TOML file, then from the default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The TOML file's settings; every key is optional and unknown keys are refused.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub addr: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub log_format: Option<String>,
    pub cookie_secure: Option<bool>,
    pub session_hours: Option<u64>,
    pub audit_seal_seconds: Option<u64>,
    pub max_body_bytes: Option<usize>,
    pub max_upload_mb: Option<u64>,
    pub profile: Option<String>,
    pub scheduler_tick_ms: Option<u64>,
    /// S3-compatible object storage for data versions (scale-out); the data directory
    /// when absent.
    pub object_store: Option<ObjectStoreConfig>,
}

/// Where data versions live when not in the data directory: an S3-compatible bucket.
/// Credentials not given here come from the usual `AWS_*` environment variables.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectStoreConfig {
    /// `s3://bucket` or `s3://bucket/prefix`.
    pub url: String,
    /// The service's address, e.g. `http://127.0.0.1:9000` for MinIO.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Allow plain `http://` endpoints (a local MinIO, a test server).
    #[serde(default)]
    pub allow_http: bool,
}

/// The values given on the command line or in the environment (clap merged those).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub addr: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub log_format: Option<String>,
    pub profile: Option<String>,
}

/// The resolved settings of one process.
#[derive(Debug, Clone)]
pub struct Settings {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// The URL people use to reach this server, printed at start.
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    /// Whether cookies carry the `Secure` attribute. On by default; browsers accept
    /// secure cookies from `http://localhost` and `http://127.0.0.1`.
    pub cookie_secure: bool,
    pub session_ttl: Duration,
    pub audit_seal_interval: Duration,
    pub max_body_bytes: usize,
    /// The largest data file a load accepts over HTTP (streamed to disk, not held in memory).
    pub max_upload_bytes: u64,
    /// The policy profile: a built-in name (`weihai`, `lishui`, `qiqihar`, `binzhou`,
    /// `wuhan`) or a path to a profile TOML file.
    pub profile: String,
    /// How often the deadline scheduler runs.
    pub scheduler_tick: Duration,
    pub object_store: Option<ObjectStoreConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("configuration file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("setting {key} is not valid: {message}")]
    Invalid { key: &'static str, message: String },
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "gongshu-data";
pub const CONFIG_FILE_NAME: &str = "gongshu.toml";
pub const DEFAULT_PROFILE: &str = "weihai";

impl Settings {
    /// Resolves the settings. The TOML file is `--config`, or else `gongshu.toml` in
    /// the data directory if it exists.
    pub fn resolve(o: &Overrides) -> Result<Settings, ConfigError> {
        let file = match &o.config {
            Some(path) => read_file(path)?,
            None => {
                let dir = o.data_dir.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
                let implicit = dir.join(CONFIG_FILE_NAME);
                if implicit.exists() { read_file(&implicit)? } else { FileConfig::default() }
            }
        };
        Self::merge(o, file)
    }

    pub fn merge(o: &Overrides, f: FileConfig) -> Result<Settings, ConfigError> {
        let addr_text = o.addr.clone().or(f.addr).unwrap_or_else(|| DEFAULT_ADDR.to_string());
        let addr = addr_text
            .parse()
            .map_err(|e| ConfigError::Invalid { key: "addr", message: format!("{addr_text:?}: {e}") })?;
        let data_dir = o.data_dir.clone().or(f.data_dir).unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = o.database_url.clone().or(f.database_url).unwrap_or_else(|| sqlite_url(&data_dir));
        let log_format = match o.log_format.clone().or(f.log_format).as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    key: "log_format",
                    message: format!("{other:?}: use text or json"),
                });
            }
        };
        let session_hours = f.session_hours.unwrap_or(12);
        if session_hours == 0 {
            return Err(ConfigError::Invalid { key: "session_hours", message: "must be at least 1".into() });
        }
        Ok(Settings {
            addr,
            data_dir,
            database_url,
            public_url: f.public_url,
            log_format,
            cookie_secure: f.cookie_secure.unwrap_or(true),
            session_ttl: Duration::from_secs(session_hours * 3600),
            audit_seal_interval: Duration::from_secs(f.audit_seal_seconds.unwrap_or(60).max(1)),
            max_body_bytes: f.max_body_bytes.unwrap_or(2 * 1024 * 1024),
            max_upload_bytes: f.max_upload_mb.unwrap_or(4096).max(1) << 20,
            profile: o.profile.clone().or(f.profile).unwrap_or_else(|| DEFAULT_PROFILE.to_string()),
            scheduler_tick: Duration::from_millis(f.scheduler_tick_ms.unwrap_or(2000).max(10)),
            object_store: match f.object_store {
                Some(o) if !o.url.trim().starts_with("s3://") || o.url.trim() == "s3://" => {
                    return Err(ConfigError::Invalid {
                        key: "object_store.url",
                        message: format!("{:?}: use s3://bucket or s3://bucket/prefix", o.url),
                    });
                }
                other => other,
            },
        })
    }

    /// The URL printed at start and used in links.
    pub fn display_url(&self, bound: SocketAddr) -> String {
        self.public_url.clone().unwrap_or_else(|| format!("http://{bound}"))
    }
}

/// The embedded default database inside a data directory.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("gongshu.db").display())
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse { path: path.into(), message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn defaults_put_everything_in_the_data_dir() {
        let s = Settings::merge(&Overrides::default(), FileConfig::default()).unwrap();
        assert_eq!(s.addr.to_string(), DEFAULT_ADDR);
        assert_eq!(s.database_url, "sqlite://gongshu-data/gongshu.db");
        assert!(s.cookie_secure);
    }

    #[test]
    fn flags_and_environment_beat_the_file() {
        let f = file("addr = \"0.0.0.0:9000\"\ndata_dir = \"/srv/a\"\ncookie_secure = false\n");
        let from_file = Settings::merge(&Overrides::default(), f.clone()).unwrap();
        assert_eq!(from_file.addr.to_string(), "0.0.0.0:9000");
        assert_eq!(from_file.database_url, "sqlite:///srv/a/gongshu.db");
        assert!(!from_file.cookie_secure);
        let o =
            Overrides { addr: Some("127.0.0.1:7000".into()), data_dir: Some("/srv/b".into()), ..Default::default() };
        let s = Settings::merge(&o, f).unwrap();
        assert_eq!(s.addr.to_string(), "127.0.0.1:7000");
        assert_eq!(s.database_url, "sqlite:///srv/b/gongshu.db");
    }

    #[test]
    fn bad_settings_name_their_key() {
        assert!(toml::from_str::<FileConfig>("adress = \"x\"").is_err());
        let o = Overrides { addr: Some("nowhere".into()), ..Default::default() };
        let e = Settings::merge(&o, FileConfig::default()).unwrap_err();
        assert!(e.to_string().starts_with("setting addr is not valid"), "{e}");
        let e = Settings::merge(&Overrides::default(), file("log_format = \"xml\"")).unwrap_err();
        assert!(e.to_string().contains("log_format"), "{e}");
    }
}
