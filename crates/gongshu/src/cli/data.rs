//! Data commands (AGG-1, AGG-2): check a file (a dry run that stores nothing) and load
//! a file as an entry's next data version, with a progress bar on standard error.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use gongshu_data::{Encoding, Format as FileFormat, Input, ItemSpec};
use gongshu_store::{Actor, Store};

use super::{Format, api_err, print_json};
use crate::config::Settings;
use crate::data::{DataFiles, LoadFile};

#[derive(Debug, Subcommand)]
pub enum DataCmd {
    /// Check a file against data items and print the quality report as JSON; stores nothing.
    Check {
        file: PathBuf,
        /// An item to check, NAME:TYPE or NAME:TYPE:required (repeat for each column).
        /// Types: text, integer, decimal, date, datetime, boolean, citizen_id, uscc,
        /// phone, region_code.
        #[arg(long = "item", value_name = "NAME:TYPE[:required]")]
        items: Vec<String>,
        /// Check against a published entry's data items instead (its resource code).
        #[arg(long, conflicts_with = "items")]
        resource: Option<String>,
        /// csv, xlsx or json (default: from the file name).
        #[arg(long)]
        file_format: Option<String>,
        /// For CSV: utf-8 or gbk/gb18030 (default: detected).
        #[arg(long)]
        encoding: Option<String>,
        /// Output: json (default) or table.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },
    /// Load a file as the next data version of a published entry.
    Load {
        /// The entry's resource code, e.g. 2010300/00017.
        #[arg(long)]
        resource: String,
        file: PathBuf,
        #[arg(long)]
        file_format: Option<String>,
        #[arg(long)]
        encoding: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

fn file_format(flag: Option<&str>, file: &std::path::Path) -> anyhow::Result<FileFormat> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    match flag {
        Some(f) => FileFormat::parse(f).with_context(|| format!("unknown file format {f:?}: use csv, xlsx or json")),
        None => FileFormat::from_name(name)
            .with_context(|| format!("cannot tell the format of {name}: pass --file-format csv|xlsx|json")),
    }
}

fn encoding(flag: Option<&str>) -> anyhow::Result<Option<Encoding>> {
    flag.map(|e| Encoding::parse(e).with_context(|| format!("unknown encoding {e:?}: use utf-8 or gbk"))).transpose()
}

/// A progress bar on standard error when it is a terminal; nothing otherwise.
fn progress_bar(total: u64) -> Option<Box<dyn FnMut(u64) + Send>> {
    if !std::io::stderr().is_terminal() || total == 0 {
        return None;
    }
    let started = std::time::Instant::now();
    Some(Box::new(move |bytes: u64| {
        let pct = (bytes.min(total) * 100 / total) as usize;
        let secs = started.elapsed().as_secs_f64().max(0.001);
        let mb_s = bytes as f64 / secs / 1e6;
        let bar = format!("{}{}", "█".repeat(pct / 4), "░".repeat(25 - pct / 4));
        let mut err = std::io::stderr().lock();
        let _ =
            write!(err, "\r{bar} {pct:>3}%  {:.0} / {:.0} MB  {mb_s:.0} MB/s", bytes as f64 / 1e6, total as f64 / 1e6);
        if bytes >= total {
            let _ = writeln!(err);
        }
    }))
}

async fn entry_by_code(store: &Store, code: &str) -> anyhow::Result<gongshu_store::Entry> {
    store.entry_by_code(code).await?.with_context(|| format!("no catalog entry has the resource code {code}"))
}

/// `data check` with items from the command line: no database is opened.
pub(super) async fn check_only(cmd: DataCmd) -> anyhow::Result<ExitCode> {
    run_check(None, cmd).await
}

async fn run_check(store: Option<&Store>, cmd: DataCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        DataCmd::Check { file, items, resource, file_format: ff, encoding: enc, format } => {
            let items: Vec<ItemSpec> = match (&resource, store) {
                (Some(code), Some(store)) => {
                    let entry = entry_by_code(store, code).await?;
                    crate::data::entry_items(store, &entry).await.map_err(api_err)?.1
                }
                (Some(_), None) => anyhow::bail!("--resource needs the database"),
                (None, _) if items.is_empty() => {
                    anyhow::bail!("name the columns with --item NAME:TYPE, or give --resource CODE")
                }
                (None, _) => crate::data::parse_items(&items).map_err(|e| anyhow::anyhow!("{e}"))?,
            };
            let how = Input { format: file_format(ff.as_deref(), &file)?, encoding: encoding(enc.as_deref())? };
            let input = std::fs::File::open(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let today = crate::data::today();
            let (report, _) = tokio::task::spawn_blocking(move || gongshu_data::check(input, how, &items, today))
                .await?
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match format {
                Format::Json => print_json(&report)?,
                Format::Table => {
                    println!(
                        "rows {}  valid {}  rejected {}",
                        report.rows_total, report.rows_valid, report.rows_rejected
                    );
                    for (name, item) in &report.items {
                        let rules: Vec<String> = item.violations.iter().map(|(r, n)| format!("{r} {n}")).collect();
                        println!(
                            "{name:<20} {:<12} complete {:>6.2}%  {}",
                            item.item_type,
                            item.completeness * 100.0,
                            rules.join(", ")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        DataCmd::Load { .. } => anyhow::bail!("data load needs the database"),
    }
}

pub(super) async fn data(store: &Store, settings: &Settings, cmd: DataCmd, by: &Actor) -> anyhow::Result<ExitCode> {
    match cmd {
        cmd @ DataCmd::Check { .. } => run_check(Some(store), cmd).await,
        DataCmd::Load { resource, file, file_format: ff, encoding: enc, format } => {
            let entry = entry_by_code(store, &resource).await?;
            let file_name = file.file_name().and_then(|n| n.to_str()).unwrap_or("data").to_string();
            let load = LoadFile {
                path: file.clone(),
                staged: false,
                file_name,
                format: Some(file_format(ff.as_deref(), &file)?),
                encoding: encoding(enc.as_deref())?,
                source: "cli",
            };
            let total = std::fs::metadata(&file).with_context(|| format!("cannot read {}", file.display()))?.len();
            let files = DataFiles::from_settings(settings).map_err(|e| anyhow::anyhow!(e))?;
            let loaded =
                crate::data::load(store, &files, by, &entry, load, progress_bar(total)).await.map_err(api_err)?;
            match format {
                Format::Json => print_json(&loaded)?,
                Format::Table => println!(
                    "{} version {}: {} rows, {} valid, {} rejected",
                    entry.code,
                    loaded.version.version,
                    loaded.version.rows_total,
                    loaded.version.rows_valid,
                    loaded.version.rows_rejected
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
