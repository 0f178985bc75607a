//! Catalog commands: import and export the guide's template, list entries.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use gongshu_store::{Actor, EntryFilter, Store};

use super::{Format, api_err, print_json};
use crate::catalog_import::{ImportOptions, export_table, import_bytes, table_to_csv, table_to_xlsx};
use crate::config::Settings;

#[derive(Debug, Subcommand)]
pub enum CatalogCmd {
    /// Import the compilation guide's template (XLSX, or CSV in UTF-8; one row per data item).
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
    /// Export the published catalog in the same template (XLSX when --out ends in .xlsx, else CSV).
    Export {
        /// The file to write (default: standard output).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Ask every server process to rebuild its search index at its next search.
    Reindex,
    /// List entries.
    List {
        #[arg(long)]
        state: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

pub(super) async fn catalog(
    store: &Store,
    settings: &Settings,
    cmd: CatalogCmd,
    by: &Actor,
) -> anyhow::Result<ExitCode> {
    match cmd {
        CatalogCmd::Import { file, dry_run, all_or_nothing, publish, format } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let opts = ImportOptions { dry_run, all_or_nothing, publish };
            let profile = crate::regulation::load_profile(&settings.profile)
                .map_err(|e| anyhow::anyhow!("the policy profile does not load: {e}"))?;
            let regulation = crate::regulation::Regulation::new(profile);
            let report = import_bytes(store, &regulation, by, &bytes, opts).await.map_err(api_err)?;
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
            let table = export_table(store).await.map_err(api_err)?;
            let xlsx = out.as_ref().is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")));
            let bytes = if xlsx { table_to_xlsx(&table) } else { table_to_csv(&table) }.map_err(api_err)?;
            match out {
                Some(path) => {
                    std::fs::write(&path, &bytes).with_context(|| format!("cannot write {}", path.display()))?
                }
                None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        CatalogCmd::Reindex => {
            let v = store.bump_cache_version("search_rebuild", by).await?;
            println!("search index rebuild requested (generation {v}); every server rebuilds at its next search");
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
