//! The `gongshu` command line: one binary for serving and administering the platform.

mod admin;
mod catalog;
mod data;
mod regulation;

pub use admin::{AuditCmd, OrgCmd, TokenCmd, UserCmd};
pub use catalog::CatalogCmd;
pub use data::DataCmd;
pub use regulation::{CalendarCmd, ProfileCmd, ProfileFormat};

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use gongshu_store::{Actor, Store};
use serde::Serialize;

use crate::config::{LogFormat, Overrides, Settings};
use crate::error::ApiError;
use crate::{app, demo, import};

#[derive(Debug, Parser)]
#[command(name = "gongshu", version, about = "公数 · 公共数据平台 · a public data platform for Chinese cities")]
pub struct Cli {
    /// TOML configuration file (default: gongshu.toml in the data directory, if present).
    #[arg(long, env = "GONGSHU_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Folder holding everything of an embedded installation (default: ./gongshu-data).
    #[arg(long, env = "GONGSHU_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB (default: SQLite in the data directory).
    #[arg(long, env = "GONGSHU_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Log format: text or json.
    #[arg(long, env = "GONGSHU_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
    /// Policy profile: weihai, lishui, qiqihar, binzhou, wuhan, or a path to a profile TOML file.
    #[arg(long, env = "GONGSHU_PROFILE", global = true)]
    pub profile: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts and roles.
    #[command(subcommand)]
    User(UserCmd),
    /// Manage organizations.
    #[command(subcommand)]
    Org(OrgCmd),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Inspect and verify the audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// The working-day calendar: days, due dates, imports.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// The city policy profiles.
    #[command(subcommand, name = "profile")]
    Profiles(ProfileCmd),
    /// The unified catalog: import and export the guide's template.
    #[command(subcommand)]
    Catalog(CatalogCmd),
    /// Providers' data: check a file (stores nothing) and load versions.
    #[command(subcommand)]
    Data(DataCmd),
    /// Write a consistent copy of the embedded database while the server runs (SEC-7).
    Backup {
        /// The file to write (it must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup in place of the data directory's database; the server must be stopped.
    /// The backup's audit chain is verified first, and the current database is kept aside.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long, env = "GONGSHU_ADDR")]
    pub addr: Option<String>,
    /// Load the Weihai demo city (once, into an empty database).
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    /// The password (visible to other users of this machine; prefer --password-stdin).
    #[arg(long, conflicts_with = "password_stdin")]
    pub password: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let addr = match &cli.command {
        Command::Serve(s) => s.addr.clone(),
        _ => None,
    };
    let overrides = Overrides {
        config: cli.config.clone(),
        addr,
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
        log_format: cli.log_format.clone(),
        profile: cli.profile.clone(),
    };
    let settings = Settings::resolve(&overrides)?;
    init_tracing(settings.log_format, matches!(cli.command, Command::Serve(_)));
    let command = match cli.command {
        Command::Profiles(cmd) => return regulation::profiles(&settings, cmd),
        Command::Restore { from } => return admin::restore(&settings, &from).await,
        Command::Calendar(cmd) if !regulation::database_exists(&settings) && cmd.reads_only() => {
            return regulation::calendar_official(cmd);
        }
        // A check against items named on the command line needs no database.
        Command::Data(cmd @ DataCmd::Check { resource: None, .. }) => return data::check_only(cmd).await,
        other => other,
    };
    let store = open_store(&settings).await?;
    let cli_actor = Actor::new("cli", None);
    match command {
        Command::Serve(args) => serve(store, settings, args.demo).await,
        Command::Calendar(cmd) => regulation::calendar(&store, cmd, &cli_actor).await,
        Command::Profiles(cmd) => regulation::profiles(&settings, cmd),
        Command::Migrate => {
            println!("migrated {}", gongshu_store::redact(&settings.database_url));
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => admin::user(&store, cmd, &cli_actor).await,
        Command::Org(cmd) => admin::org(&store, cmd, &cli_actor).await,
        Command::Token(cmd) => admin::token(&store, cmd, &cli_actor).await,
        Command::Audit(cmd) => admin::audit(&store, cmd).await,
        Command::Backup { to } => admin::backup(&store, &to).await,
        Command::Catalog(cmd) => catalog::catalog(&store, &settings, cmd, &cli_actor).await,
        Command::Data(cmd) => data::data(&store, &settings, cmd, &cli_actor).await,
        Command::Restore { .. } => Ok(ExitCode::FAILURE),
    }
}

fn init_tracing(format: LogFormat, serving: bool) {
    let default = if serving { "info,sqlx=warn,tower_http=info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("GONGSHU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// Opens the database (creating the data directory for SQLite) and loads the region table.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Store> {
    if settings.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("cannot create data directory {}", settings.data_dir.display()))?;
    }
    let store = gongshu_store::open(&settings.database_url)
        .await
        .with_context(|| format!("cannot open database {}", gongshu_store::redact(&settings.database_url)))?;
    import::load_regions(&store).await.map_err(api_err)?;
    Ok(store)
}

async fn serve(store: Store, settings: Settings, with_demo: bool) -> anyhow::Result<ExitCode> {
    let profile = crate::regulation::load_profile(&settings.profile)
        .map_err(|e| anyhow::anyhow!("the policy profile does not load: {e}"))?;
    let loaded = if with_demo {
        demo::load(&store, &crate::regulation::Regulation::new(profile.clone())).await.map_err(api_err)?
    } else {
        false
    };
    let running = app::start(store.clone(), settings.clone(), profile)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
    if loaded {
        // The demo's entries get generated records, so the data pages show real reports.
        let n = crate::demo_data::load(&store, running.state.data_files()).await.map_err(api_err)?;
        tracing::info!(entries = n, "demo data loaded");
    }
    let url = settings.display_url(running.addr);
    let mut out = std::io::stdout().lock();
    writeln!(out, "公数 gongshu {} 已启动 / is running: {url}", env!("CARGO_PKG_VERSION"))?;
    writeln!(
        out,
        "数据目录 / data dir: {}   数据库 / database: {}",
        settings.data_dir.display(),
        running.state.store().backend()
    )?;
    let profile = running.state.regulation().profile();
    writeln!(out, "政策配置 / policy profile: {} ({} {})", profile.name, profile.city_zh, profile.city_en)?;
    if with_demo {
        if loaded {
            writeln!(out, "已载入威海市演示数据 / Weihai demo data loaded.")?;
        }
        writeln!(out, "登录 / Sign in at {url}/login with password \"{}\" as:", demo::DEMO_PASSWORD)?;
        for (username, name, _, role) in demo::DEMO_USERS {
            writeln!(out, "  {username:<10} {:<22} {name}", role.as_str())?;
        }
    }
    out.flush()?;
    drop(out);
    running.until_signal().await?;
    Ok(ExitCode::SUCCESS)
}

fn api_err(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{} ({}): {}", e.message_zh, e.code, e.message_en)
}

fn read_password(p: PasswordArgs) -> anyhow::Result<String> {
    if let Some(pw) = p.password {
        return Ok(pw);
    }
    if p.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    bail!("give --password or --password-stdin")
}

fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
