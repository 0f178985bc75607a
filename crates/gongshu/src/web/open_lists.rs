//! The public page of published annual open lists (CAT-10).

use minijinja::context;

use super::{PageResult, render};
use crate::api::open_lists::YearQuery;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::Query;

pub async fn page(state: AppStateExt, ctx: Ctx, Query(q): Query<YearQuery>) -> PageResult {
    let lists = crate::open_lists::views(state.store(), q.year, Some("published")).await?;
    render(&state, &ctx, "open_lists.html", context! { lists, year => q.year })
}
