//! Administration commands: accounts, organizations, tokens, the audit log.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;
use gongshu_domain::role::Role;
use gongshu_store::{Actor, AuditFilter, Store, verify_audit};
use serde::Serialize;

use super::{Format, PasswordArgs, api_err, print_json, read_password};
use crate::import;
use crate::service::{self, OrgInput, UserInput};

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
pub(super) async fn user(store: &Store, cmd: UserCmd, by: &Actor) -> anyhow::Result<ExitCode> {
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

pub(super) async fn org(store: &Store, cmd: OrgCmd, by: &Actor) -> anyhow::Result<ExitCode> {
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

pub(super) async fn token(store: &Store, cmd: TokenCmd, by: &Actor) -> anyhow::Result<ExitCode> {
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

pub(super) async fn audit(store: &Store, cmd: AuditCmd) -> anyhow::Result<ExitCode> {
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

pub(super) async fn backup(store: &Store, to: &std::path::Path) -> anyhow::Result<ExitCode> {
    if to.exists() {
        bail!("{} exists already; choose a new file", to.display());
    }
    store.backup_to(to).await?;
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!("backup written to {} ({} KiB)", to.display(), size / 1024);
    Ok(ExitCode::SUCCESS)
}

/// Restores an embedded installation from a backup file: checks that it opens as a
/// gongshu database and that its audit chain is intact, keeps the current database
/// aside as `gongshu.db.before-restore-<time>`, then moves the backup in.
pub(super) async fn restore(settings: &crate::config::Settings, from: &std::path::Path) -> anyhow::Result<ExitCode> {
    let Some(target) = settings.database_url.strip_prefix("sqlite://").map(PathBuf::from) else {
        bail!("restore is for the embedded SQLite database; restore PostgreSQL with pg_restore");
    };
    if !from.exists() {
        bail!("{} does not exist", from.display());
    }
    // Verify a throw-away copy (opening runs migrations, which write), then move an
    // untouched copy into place; the server migrates it when it starts.
    let check = target.with_extension("db.checking");
    std::fs::copy(from, &check).with_context(|| format!("cannot copy {}", from.display()))?;
    let verdict = match gongshu_store::open(&format!("sqlite://{}", check.display())).await {
        Ok(store) => verify_audit(store.as_ref()).await.map_err(anyhow::Error::from),
        Err(e) => Err(anyhow::anyhow!("{} is not a gongshu database: {e}", from.display())),
    };
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", check.display()));
    }
    let report = match verdict? {
        Ok(r) => r,
        Err(broken) => bail!("the backup's audit log is not intact ({broken}); nothing was restored"),
    };
    let staging = target.with_extension("db.restoring");
    std::fs::copy(from, &staging).with_context(|| format!("cannot copy {}", from.display()))?;
    if target.exists() {
        let aside =
            target.with_extension(format!("db.before-restore-{}", gongshu_domain::time::now_micros() / 1_000_000));
        std::fs::rename(&target, &aside).with_context(|| format!("cannot move {} aside", target.display()))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        println!("the previous database is kept as {}", aside.display());
    }
    std::fs::rename(&staging, &target)?;
    println!("restored {} ({} audit entries verified)", target.display(), report.entries);
    Ok(ExitCode::SUCCESS)
}
