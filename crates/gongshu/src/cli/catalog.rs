//! Catalog commands: import and export the guide's template, list entries.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use gongshu_domain::catalog::{TEMPLATE_COLUMNS, rows_from_entry};
use gongshu_store::{Actor, EntryFilter, Store};

use super::{Format, api_err, print_json};
use crate::catalog_import::{ImportOptions, import_csv};

#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// Import the compilation guide's template (CSV, UTF-8; one row per data item).
    Import {
        file: PathBuf,
        /// Check and report; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import nothing if any entry is rejected.
        #[arg(long)]
        all_or_nothing: bool,
        /// Publish the entries at once (a catalog the city approved already).
        #[arg(long)]
        publish: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Export the published catalog in the same template (CSV).
    Export {
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List entries.
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub(super) async fn catalog(store: &Store, cmd: CatalogCmd, by: &Actor) -> anyhow::Result<ExitCode> {
    match cmd {
        CatalogCmd::Import { file, dry_run, all_or_nothing, publish, format } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
            let report = import_csv(store, by, &text, ImportOptions { dry_run, all_or_nothing, publish })
                .await
                .map_err(api_err)?;
            match format {
                Format::Json => print_json(&report)?,
                Format::Table => {
                    for e in &report.errors {
                        println!("row {:<5} {:<10} {:<28} {}", e.row, e.column, e.code, e.message);
                    }
                    println!(
                        "{} entries ok, {} rejected{}",
                        report.entries_ok,
                        report.entries_rejected,
                        if report.written { "" } else { " (nothing written)" }
                    );
                }
            }
            Ok(if report.entries_rejected == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        CatalogCmd::Export { out } => {
            let entries = store
                .entries(&EntryFilter { state: Some("published".into()), limit: 10_000, ..Default::default() })
                .await?;
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(TEMPLATE_COLUMNS)?;
            for e in entries {
                let versions = store.entry_versions(e.id).await?;
                let Some(v) = versions.iter().find(|v| Some(v.version) == e.published_version) else { continue };
                let content = crate::catalog::content(v).map_err(api_err)?;
                for row in rows_from_entry(&content) {
                    w.write_record(row.cells())?;
                }
            }
            let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
            match out {
                Some(path) => {
                    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?
                }
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogCmd::List { state, format } => {
            let entries = store.entries(&EntryFilter { state, limit: 10_000, ..Default::default() }).await?;
            match format {
                Format::Json => print_json(&entries)?,
                Format::Table => {
                    for e in entries {
                        println!("{:<16} {:<10} {:<14} {}", e.code, e.state, e.share_type, e.name);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
