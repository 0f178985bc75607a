//! Calendar and policy-profile commands.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use gongshu_store::{Actor, Store};

use super::{Format, api_err, print_json};
use crate::config::Settings;

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

impl CalendarCmd {
    pub(super) fn reads_only(&self) -> bool {
        matches!(self, CalendarCmd::Days { .. } | CalendarCmd::Due { .. } | CalendarCmd::Years { .. })
    }
}

/// Whether an embedded installation already has its database (so read-only calendar
/// commands do not create one as a side effect).
pub(super) fn database_exists(settings: &Settings) -> bool {
    match settings.database_url.strip_prefix("sqlite://") {
        Some(path) => std::path::Path::new(path).exists(),
        None => true,
    }
}

pub(super) fn calendar_official(cmd: CalendarCmd) -> anyhow::Result<ExitCode> {
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

pub(super) async fn calendar(store: &Store, cmd: CalendarCmd, by: &Actor) -> anyhow::Result<ExitCode> {
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

pub(super) fn profiles(settings: &Settings, cmd: ProfileCmd) -> anyhow::Result<ExitCode> {
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
