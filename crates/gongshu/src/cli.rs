//! The `gongshu` command line: one binary for serving and administering the platform.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use gongshu_domain::role::Role;
use gongshu_store::{Actor, AuditFilter, Store, verify_audit};
use serde::Serialize;

use crate::config::{LogFormat, Overrides, Settings};
use crate::error::ApiError;
use crate::service::{self, OrgInput, UserInput};
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
}

#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// One line per day: `2024-09-29 workday` or `2024-10-01 restday` (`provisional` is
    /// added for a year without official data).
    Days {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        /// GB/T 2260 region whose local overrides apply.
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The due date of a deadline of N working days after the day of receipt; prints the date only.
    Due {
        received: String,
        days: u32,
        #[arg(long)]
        region: Option<String>,
    },
    /// Import a year of the State Council holiday notice (CSV: date,kind,name).
    Import {
        file: PathBuf,
        /// Replace a year imported before.
        #[arg(long)]
        replace: bool,
    },
    /// Add a region's own holiday or workday.
    Override {
        #[arg(long)]
        region: String,
        #[arg(long)]
        date: String,
        /// holiday or workday
        #[arg(long)]
        kind: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Years with data.
    Years {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCmd {
    /// The names of the built-in profiles.
    List,
    /// A profile's rules (default: the configured one).
    Show {
        name: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: ProfileFormat,
    },
    /// Check a profile file; exits non-zero naming the key and reason.
    Check { file: PathBuf },
}

#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum ProfileFormat {
    #[default]
    Table,
    Json,
    Markdown,
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

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create an account.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
        /// Credit code of the account's organization.
        #[arg(long)]
        org: Option<String>,
        /// Role to grant (repeatable): platform_admin, authority_reviewer, agency_operator,
        /// provider_officer, consumer_officer, auditor, expert, data_user.
        #[arg(long = "role")]
        roles: Vec<String>,
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// Set an account's password (its sessions end).
    SetPassword {
        username: String,
        #[command(flatten)]
        password: PasswordArgs,
    },
    /// Grant a role.
    Grant { username: String, role: String },
    /// Revoke a role.
    Revoke { username: String, role: String },
    /// List accounts.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCmd {
    /// Register an organization.
    Create {
        #[arg(long)]
        name: String,
        /// Unified social credit code (GB 32100).
        #[arg(long)]
        credit_code: Option<String>,
        /// authority, service_agency, department, public_enterprise or social_entity.
        #[arg(long)]
        kind: String,
        /// GB/T 2260 division code.
        #[arg(long)]
        region: String,
        /// Credit code of the parent organization.
        #[arg(long)]
        parent: Option<String>,
    },
    /// List organizations.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Import organizations from CSV: name,credit_code,kind,region_code,parent_credit_code.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum TokenCmd {
    /// Issue an API token for an account; the token is printed once.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
        /// Role the token carries (repeatable; default: all the account's roles).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Days until it expires (default: never).
        #[arg(long)]
        expires_days: Option<u32>,
    },
    /// Revoke a token by id.
    Revoke { id: i64 },
    /// List tokens (never their secrets).
    List {
        #[arg(long)]
        user: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Check the whole hash chain and its checkpoints; exits non-zero if tampered with.
    Verify,
    /// Show recent entries.
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long)]
        action: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

/// Runs the command line.
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
        Command::Profiles(cmd) => return profiles(&settings, cmd),
        Command::Calendar(cmd) if !database_exists(&settings) && cmd.reads_only() => {
            return calendar_official(cmd);
        }
        other => other,
    };
    let store = open_store(&settings).await?;
    let cli_actor = Actor::new("cli", None);
    match command {
        Command::Serve(args) => serve(store, settings, args.demo).await,
        Command::Calendar(cmd) => calendar(&store, cmd, &cli_actor).await,
        Command::Profiles(cmd) => profiles(&settings, cmd),
        Command::Migrate => {
            println!("migrated {}", gongshu_store::redact(&settings.database_url));
            Ok(ExitCode::SUCCESS)
        }
        Command::User(cmd) => user(&store, cmd, &cli_actor).await,
        Command::Org(cmd) => org(&store, cmd, &cli_actor).await,
        Command::Token(cmd) => token(&store, cmd, &cli_actor).await,
        Command::Audit(cmd) => audit(&store, cmd).await,
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
    let loaded = if with_demo { demo::load(&store).await.map_err(api_err)? } else { false };
    let running = app::start(store, settings.clone(), profile)
        .await
        .with_context(|| format!("cannot listen on {}", settings.addr))?;
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

async fn user(store: &Store, cmd: UserCmd, by: &Actor) -> anyhow::Result<ExitCode> {
    match cmd {
        UserCmd::Create { username, name, email, org, roles, password } => {
            let org_id = match org {
                Some(code) => Some(
                    store
                        .org_by_credit_code(&code.to_ascii_uppercase())
                        .await?
                        .with_context(|| format!("no organization with credit code {code}"))?
                        .id,
                ),
                None => None,
            };
            let input =
                UserInput { username, display_name: name, password: read_password(password)?, email, org_id, roles };
            let u = service::create_user(store, &input, by).await.map_err(api_err)?;
            println!("created account {} (id {})", u.username, u.id);
        }
        UserCmd::SetPassword { username, password } => {
            let u = service::user_by_name(store, &username).await.map_err(api_err)?;
            service::set_password(store, u.id, &read_password(password)?, by).await.map_err(api_err)?;
            println!("password set for {}", u.username);
        }
        UserCmd::Grant { username, role } => {
            let u = service::user_by_name(store, &username).await.map_err(api_err)?;
            let role = Role::parse(&role).map_err(|e| api_err(e.into()))?;
            let changed = store.grant_role(u.id, role, by).await?;
            println!("{} {} {}", u.username, if changed { "now holds" } else { "already holds" }, role.as_str());
        }
        UserCmd::Revoke { username, role } => {
            let u = service::user_by_name(store, &username).await.map_err(api_err)?;
            let role = Role::parse(&role).map_err(|e| api_err(e.into()))?;
            let changed = store.revoke_role(u.id, role, by).await?;
            println!("{} {} {}", u.username, if changed { "no longer holds" } else { "did not hold" }, role.as_str());
        }
        UserCmd::List { format } => {
            let mut rows = Vec::new();
            for u in store.users().await? {
                let roles = store.roles(u.id).await?;
                rows.push(crate::api::users::UserView::new(u, &roles));
            }
            match format {
                Format::Json => print_json(&rows)?,
                Format::Table => {
                    for u in rows {
                        println!("{:<16} {:<24} {}", u.username, u.display_name, u.roles.join(","));
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct OrgRow {
    id: i64,
    name: String,
    credit_code: Option<String>,
    kind: String,
    region_code: String,
    parent_id: Option<i64>,
}

async fn org(store: &Store, cmd: OrgCmd, by: &Actor) -> anyhow::Result<ExitCode> {
    match cmd {
        OrgCmd::Create { name, credit_code, kind, region, parent } => {
            let parent_id = match parent {
                Some(code) => Some(
                    store
                        .org_by_credit_code(&code.to_ascii_uppercase())
                        .await?
                        .with_context(|| format!("no organization with credit code {code}"))?
                        .id,
                ),
                None => None,
            };
            let input = OrgInput { name, credit_code, kind, region_code: region, parent_id };
            let o = service::create_org(store, &input, by).await.map_err(api_err)?;
            println!("created organization {} (id {})", o.name, o.id);
        }
        OrgCmd::List { format } => {
            let rows: Vec<OrgRow> = store
                .orgs()
                .await?
                .iter()
                .map(|o| OrgRow {
                    id: o.id,
                    name: o.name.clone(),
                    credit_code: o.credit_code.clone(),
                    kind: o.kind.clone(),
                    region_code: o.region_code.clone(),
                    parent_id: o.parent_id,
                })
                .collect();
            match format {
                Format::Json => print_json(&rows)?,
                Format::Table => {
                    for o in rows {
                        println!(
                            "{:<4} {:<18} {:<18} {} {}",
                            o.id,
                            o.credit_code.unwrap_or_default(),
                            o.kind,
                            o.region_code,
                            o.name
                        );
                    }
                }
            }
        }
        OrgCmd::Import { file } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let text = String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", file.display()))?;
            match import::import_orgs(store, &text, by).await.map_err(api_err)? {
                Ok(report) => {
                    println!("imported {} organizations, {} already registered", report.created, report.skipped)
                }
                Err(lines) => {
                    for l in &lines {
                        eprintln!("{} / {}", l.message, l.message_en);
                    }
                    eprintln!("nothing was imported: {} bad lines", lines.len());
                    return Ok(ExitCode::from(1));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn token(store: &Store, cmd: TokenCmd, by: &Actor) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCmd::Create { user, name, roles, expires_days } => {
            let u = service::user_by_name(store, &user).await.map_err(api_err)?;
            let issued = service::issue_token(store, &u, &name, &roles, expires_days, by).await.map_err(api_err)?;
            eprintln!("token {} for {} (shown once):", issued.token.id, u.username);
            println!("{}", issued.secret);
        }
        TokenCmd::Revoke { id } => {
            if store.revoke_token(id, gongshu_domain::time::now_micros(), by).await? {
                println!("token {id} revoked");
            } else {
                bail!("no active token with id {id}");
            }
        }
        TokenCmd::List { user, format } => {
            let user_id = match user {
                Some(u) => Some(service::user_by_name(store, &u).await.map_err(api_err)?.id),
                None => None,
            };
            let rows: Vec<crate::api::tokens::TokenView> =
                store.tokens(user_id).await?.into_iter().map(Into::into).collect();
            match format {
                Format::Json => print_json(&rows)?,
                Format::Table => {
                    for t in rows {
                        println!(
                            "{:<4} {:<5} user {:<4} {:<20} {}",
                            t.id,
                            if t.active { "live" } else { "dead" },
                            t.user_id,
                            t.name,
                            t.roles.join(",")
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn audit(store: &Store, cmd: AuditCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        AuditCmd::Verify => match verify_audit(store.as_ref()).await? {
            Ok(r) => {
                println!(
                    "audit log intact: {} entries, head {} ({}), {} checkpoints",
                    r.entries,
                    r.head_seq,
                    &r.head_hash[..12.min(r.head_hash.len())],
                    r.checkpoints
                );
                Ok(ExitCode::SUCCESS)
            }
            Err(broken) => {
                println!("AUDIT LOG TAMPERED: {broken}");
                println!("first bad entry: {}", broken.seq());
                Ok(ExitCode::from(2))
            }
        },
        AuditCmd::List { limit, action, format } => {
            let entries = store.audit_entries(&AuditFilter { action, limit, ..Default::default() }).await?;
            let rows: Vec<crate::api::audit::AuditView> = entries.into_iter().map(Into::into).collect();
            match format {
                Format::Json => print_json(&rows)?,
                Format::Table => {
                    for e in rows {
                        println!(
                            "{:<6} {} {:<28} {:<20} {:<16} {}",
                            e.seq,
                            &e.at[..19.min(e.at.len())],
                            e.actor,
                            e.action,
                            e.object,
                            e.outcome
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

impl CalendarCmd {
    fn reads_only(&self) -> bool {
        matches!(self, CalendarCmd::Days { .. } | CalendarCmd::Due { .. } | CalendarCmd::Years { .. })
    }
}

/// Whether an embedded installation already has its database (so read-only calendar
/// commands do not create one as a side effect).
fn database_exists(settings: &Settings) -> bool {
    match settings.database_url.strip_prefix("sqlite://") {
        Some(path) => std::path::Path::new(path).exists(),
        None => true,
    }
}

fn calendar_official(cmd: CalendarCmd) -> anyhow::Result<ExitCode> {
    let cal = gongshu_rules::Calendar::official().map_err(|e| anyhow::anyhow!("{e}"))?;
    calendar_read(&cal, cmd)
}

fn parse_day(field: &str, text: &str) -> anyhow::Result<chrono::NaiveDate> {
    crate::regulation::parse_date(field, text).map_err(api_err)
}

fn calendar_read(cal: &gongshu_rules::Calendar, cmd: CalendarCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        CalendarCmd::Days { from, to, region, format } => {
            let days =
                crate::api::calendar::days(cal, parse_day("from", &from)?, parse_day("to", &to)?, region.as_deref())
                    .map_err(api_err)?;
            match format {
                Format::Json => print_json(&days)?,
                Format::Table => {
                    let mut out = std::io::stdout().lock();
                    for d in days {
                        let mark = if d.provisional { " provisional" } else { "" };
                        writeln!(out, "{} {}{mark}", d.date, d.kind)?;
                    }
                }
            }
        }
        CalendarCmd::Due { received, days, region } => {
            let due = cal
                .due_date(parse_day("received", &received)?, days, region.as_deref())
                .map_err(|e| api_err(e.into()))?;
            if due.provisional {
                eprintln!(
                    "provisional: a year counted has no official holiday data; import it with `gongshu calendar import`"
                );
            }
            println!("{}", due.date);
        }
        CalendarCmd::Years { format } => {
            let years = cal.years();
            match format {
                Format::Json => print_json(&years)?,
                Format::Table => {
                    for y in years {
                        println!("{y}");
                    }
                }
            }
        }
        CalendarCmd::Import { .. } | CalendarCmd::Override { .. } => {
            bail!("this command writes; it needs the database")
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn calendar(store: &Store, cmd: CalendarCmd, by: &Actor) -> anyhow::Result<ExitCode> {
    match cmd {
        CalendarCmd::Import { file, replace } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
            let done = crate::regulation::import_year(store, &text, replace, by).await.map_err(api_err)?;
            println!("imported {}: {} holidays, {} make-up workdays", done.year, done.holidays, done.workdays);
        }
        CalendarCmd::Override { region, date, kind, note } => {
            crate::regulation::add_override(store, &region, &date, &kind, note, by).await.map_err(api_err)?;
            println!("{region} {date} is now a {kind}");
        }
        read => {
            let cal = crate::regulation::build_calendar(store).await.map_err(api_err)?;
            return calendar_read(&cal, read);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn profiles(settings: &Settings, cmd: ProfileCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        ProfileCmd::List => {
            for name in gongshu_rules::Profile::NAMES {
                println!("{name}");
            }
        }
        ProfileCmd::Show { name, format } => {
            let p = crate::regulation::load_profile(name.as_deref().unwrap_or(&settings.profile))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match format {
                ProfileFormat::Markdown => print!("{}", p.to_markdown()),
                ProfileFormat::Json => print_json(&crate::api::profile::view(&p))?,
                ProfileFormat::Table => {
                    println!("{} {} ({})", p.name, p.city_zh, p.regulation.title_zh);
                    for r in p.rules() {
                        println!("{:<44} {:<28} {}", r.key, r.value, r.source);
                    }
                }
            }
        }
        ProfileCmd::Check { file } => match crate::regulation::load_profile(&file.to_string_lossy()) {
            Ok(p) => println!("{}: profile {} is valid", file.display(), p.name),
            Err(e) => {
                eprintln!("{e}");
                return Ok(ExitCode::from(1));
            }
        },
    }
    Ok(ExitCode::SUCCESS)
}
