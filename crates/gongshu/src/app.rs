//! The application: shared state, the middleware stack, and the server's life cycle.

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use gongshu_store::Store;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::config::Settings;
use crate::error::ApiError;
use crate::regulation::Regulation;
use crate::routes;
use gongshu_rules::Profile;

/// State shared by all handlers. Nothing in it is per-process truth: sessions,
/// tokens, throttling and the audit head all live in the database.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    store: Store,
    settings: Settings,
    regulation: Regulation,
    templates: minijinja::Environment<'static>,
    metrics: PrometheusHandle,
    http: reqwest::Client,
    search: Option<crate::search::CatalogSearch>,
    data_files: crate::data::DataFiles,
    open: crate::open::OpenCache,
    export_locks: crate::open::exports::ExportLocks,
}

impl AppState {
    pub fn new(store: Store, settings: Settings, profile: Profile) -> Self {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("gongshu/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        let data_files = crate::data::DataFiles::from_settings(&settings).unwrap_or_else(|e| {
            // Settings checked the URL; a store that cannot be built here is logged and
            // the data directory used, so that the server still answers.
            tracing::error!(error = %e, "object storage is not usable; data versions stay in the data directory");
            crate::data::DataFiles::new(&settings.data_dir)
        });
        AppState(Arc::new(Inner {
            data_files,
            store,
            settings,
            regulation: Regulation::new(profile),
            templates: crate::web::templates(),
            metrics: metrics_handle(),
            http,
            search: crate::search::CatalogSearch::new().ok(),
            open: Default::default(),
            export_locks: Default::default(),
        }))
    }

    /// The catalog search index of this process.
    pub fn search(&self) -> Result<&crate::search::CatalogSearch, ApiError> {
        self.0.search.as_ref().ok_or_else(ApiError::internal)
    }

    pub fn regulation(&self) -> &Regulation {
        &self.0.regulation
    }

    /// The HTTP client for outgoing deliveries (webhooks).
    pub fn http(&self) -> &reqwest::Client {
        &self.0.http
    }

    /// Where data versions' files live.
    pub fn data_files(&self) -> &crate::data::DataFiles {
        &self.0.data_files
    }

    /// The open catalog's snapshot cache of this process.
    pub fn open(&self) -> &crate::open::OpenCache {
        &self.0.open
    }

    /// Locks of export files being made.
    pub fn export_locks(&self) -> &crate::open::exports::ExportLocks {
        &self.0.export_locks
    }

    pub fn store(&self) -> &Store {
        &self.0.store
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    pub fn templates(&self) -> &minijinja::Environment<'static> {
        &self.0.templates
    }

    pub fn metrics(&self) -> &PrometheusHandle {
        &self.0.metrics
    }
}

/// One Prometheus recorder per process, however many servers it runs (tests run many).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed");
            }
            handle
        })
        .clone()
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let limit = state.settings().max_body_bytes;
    routes::router(&state)
        .fallback(routes::fallback)
        .method_not_allowed_fallback(routes::method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), crate::auth::authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), crate::web::html_errors))
        .layer(middleware::from_fn_with_state(state.clone(), after_writes))
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn(record_metrics))
        .layer(CatchPanicLayer::custom(|_| ApiError::internal().into_response()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// `/api/action/NAME` → `/api/3/action/NAME`.
fn ckan_unversioned(mut req: Request) -> Request {
    if let Some(rest) = req.uri().path().strip_prefix("/api/action/") {
        let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        if let Ok(uri) = format!("/api/3/action/{rest}{query}").parse() {
            *req.uri_mut() = uri;
        }
    }
    req
}

/// After a write served here, the open catalog's snapshot asks the database again.
/// CKAN actions are read-only even when clients POST them.
async fn after_writes(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let write = !matches!(*req.method(), axum::http::Method::GET | axum::http::Method::HEAD)
        && !req.uri().path().starts_with("/api/3/action/");
    let response = next.run(req).await;
    if write {
        state.open().touch();
    }
    response
}

async fn record_metrics(req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// A server that is listening.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Stops accepting, finishes open requests, and waits for the server to end.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.shutdown.send(true);
        self.task.await.unwrap_or_else(|e| Err(std::io::Error::other(e)))
    }

    /// Runs until Ctrl-C or SIGTERM, then shuts down gracefully.
    pub async fn until_signal(self) -> std::io::Result<()> {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.stop().await
    }
}

/// Binds the address (port 0 picks a free one) and starts serving, with the
/// background jobs.
pub async fn start(store: Store, settings: Settings, profile: Profile) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    let addr = listener.local_addr()?;
    let tick = settings.scheduler_tick;
    let state = AppState::new(store, settings, profile);
    // What a load interrupted by a crash left is removed before anything else runs.
    if let Err(e) = state.data_files().clean_up(state.store()).await {
        tracing::warn!(error = ?e, "could not clean up interrupted data loads");
    }
    // Downloads of superseded versions or rules are not served again.
    match crate::open::exports::prune(&state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "old downloads removed"),
        Err(e) => tracing::warn!(error = ?e, "could not remove old downloads"),
    }
    let app = router(state.clone());
    let (tx, mut rx) = tokio::sync::watch::channel(false);
    spawn_audit_sealer(state.clone(), tx.subscribe());
    crate::deadlines::spawn(state.clone(), tick, tx.subscribe());
    // CKAN clients (ckanapi) call `/api/action/…`, CKAN's unversioned path: the same
    // actions as `/api/3/action/…`, rewritten before routing.
    let app = tower::ServiceExt::<Request>::map_request(app, ckan_unversioned);
    let task = tokio::spawn(async move {
        axum::serve(listener, axum::ServiceExt::<Request>::into_make_service(app))
            .with_graceful_shutdown(async move {
                let _ = rx.wait_for(|stop| *stop).await;
            })
            .await
    });
    Ok(Running { addr, state, shutdown: tx, task })
}

/// Seals the audit chain's head in a checkpoint at a fixed interval (SEC-1). Several
/// replicas may race; the checkpoint table keeps one row per sequence number.
fn spawn_audit_sealer(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let every = state.settings().audit_seal_interval;
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(e) = state.store().seal_checkpoint(gongshu_domain::time::now_micros()).await {
                        tracing::warn!(error = %e, "could not seal the audit chain");
                    }
                }
                _ = stop.changed() => break,
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Handler state extractor alias.
pub type AppStateExt = State<AppState>;

/// How long `readyz` waits for the database.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);
