use gongshu_domain::role::Role;
use minijinja::context;

use super::{PageResult, render};
use crate::app::AppStateExt;
use crate::auth::Ctx;

/// The staff console's front page: who you are, what you may do.
pub async fn home(state: AppStateExt, ctx: Ctx) -> PageResult {
    let me = ctx.me()?;
    let org = match me.user.org_id {
        Some(id) => state.store().org(id).await?.map(|o| o.name),
        None => None,
    };
    let roles: Vec<&str> = me.roles.iter().map(|r| role_label(*r, ctx.lang)).collect();
    // The administrator is warned about calendar years without official data.
    let missing = if gongshu_domain::role::allows(&me.roles, gongshu_domain::role::Permission::CalendarWrite) {
        crate::api::calendar::years_view(&state).await?.missing
    } else {
        Vec::new()
    };
    render(&state, &ctx, "console.html", context! { org => org, roles => roles, missing })
}

pub fn role_label(r: Role, lang: crate::i18n::Lang) -> &'static str {
    lang.pick(r.label_zh(), r.label_en())
}
