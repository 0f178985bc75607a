//! The public page of published annual open lists (CAT-10).

use minijinja::context;

use super::{PageResult, render};
use crate::api::open_lists::YearQuery;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::Query;

pub async fn page(state: AppStateExt, ctx: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let lists = crate::open_lists::views(state.store(), q.year, Some("published")).await?;
    // Entries per provider, unconditional and conditional apart, as bars (the table below has the same).
    let count = |open: &str| -> Vec<(String, f64)> {
        lists
            .iter()
            .map(|l| {
                let label = format!("{} {}", l.provider, l.list.year);
                (label, l.entries.iter().filter(|e| e.open_type == open).count() as f64)
            })
            .collect()
    };
    let t = |k: &str| crate::i18n::text(ctx.lang, k);
    let charts = if lists.is_empty() {
        Vec::new()
    } else {
        vec![
            super::charts::bars(&t("ol.chart.unconditional"), &count("unconditional")),
            super::charts::bars(&t("ol.chart.conditional"), &count("conditional")),
        ]
    };
    render(&state, &ctx, "open_lists.html", context! { lists, year => q.year, charts })
}
