use minijinja::context;

use super::{PageResult, render};
use crate::app::AppStateExt;
use crate::auth::Ctx;

/// The public portal's front page.
pub async fn home(state: AppStateExt, ctx: Ctx) -> PageResult {
    let orgs = state.store().orgs().await?.len();
    let regions = state.store().regions().await?.len();
    render(&state, &ctx, "portal.html", context! { org_count => orgs, region_count => regions })
}
