//! Organization and people pages (ORG-1, ORG-2).

use gongshu_domain::org::{Duty, OrgKind};
use gongshu_domain::role::{Permission, allows, may_edit_people};
use minijinja::context;
use serde::Deserialize;

use super::{Notice, PageResult, not_found, render, saved};
use crate::api::orgs::OrgView;
use crate::api::people::{PersonView, may_see_people};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Path, Query};
use crate::service::{self, OrgInput, PersonInput};

fn kinds(lang: crate::i18n::Lang) -> Vec<minijinja::Value> {
    OrgKind::ALL
        .iter()
        .map(|k| context! { value => k.as_str(), label => lang.pick(k.label_zh(), k.label_en()) })
        .collect()
}

fn duties(lang: crate::i18n::Lang) -> Vec<minijinja::Value> {
    [Duty::ChiefDataOfficer, Duty::DataSpecialist]
        .iter()
        .map(|d| context! { value => d.as_str(), label => lang.pick(d.label_zh(), d.label_en()) })
        .collect()
}

pub async fn list(state: AppStateExt, ctx: Ctx, Query(n): Query<Notice>) -> PageResult {
    let orgs: Vec<OrgView> = state.store().orgs().await?.iter().map(|o| OrgView::new(o, ctx.lang)).collect();
    let regions = state.store().regions().await?;
    let can_write = allows(ctx.roles(), Permission::OrgWrite);
    render(
        &state,
        &ctx,
        "orgs.html",
        context! { orgs, regions, kinds => kinds(ctx.lang), can_write, saved => n.saved.is_some() },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgForm {
    #[serde(default)]
    pub csrf: String,
    pub name: String,
    pub credit_code: String,
    pub kind: String,
    pub region_code: String,
    pub parent_id: String,
}

pub async fn create(state: AppStateExt, ctx: Ctx, Form(f): Form<OrgForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let parent_id = match f.parent_id.trim() {
        "" => None,
        p => Some(
            p.parse::<i64>()
                .map_err(|_| ApiError::bad_request("invalid_parent", "上级机构无效", "Invalid parent organization"))?,
        ),
    };
    let input = OrgInput {
        name: f.name,
        credit_code: Some(f.credit_code),
        kind: f.kind,
        region_code: f.region_code,
        parent_id,
    };
    let org = service::create_org(state.store(), &input, &ctx.actor()).await?;
    saved(&format!("/console/orgs/{}", org.id))
}

pub async fn show(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Query(n): Query<Notice>) -> PageResult {
    let org = state.store().org(id).await?.ok_or_else(not_found)?;
    let parent = match org.parent_id {
        Some(p) => state.store().org(p).await?.map(|o| o.name),
        None => None,
    };
    let visible = may_see_people(&ctx, id);
    let people: Vec<PersonView> = if visible {
        state.store().people(Some(id)).await?.into_iter().map(|p| PersonView::new(p, ctx.lang)).collect()
    } else {
        Vec::new()
    };
    let me = ctx.me()?;
    let can_edit = may_edit_people(&me.roles, me.user.org_id, id);
    let children: Vec<OrgView> = state
        .store()
        .orgs()
        .await?
        .iter()
        .filter(|o| o.parent_id == Some(id))
        .map(|o| OrgView::new(o, ctx.lang))
        .collect();
    render(
        &state,
        &ctx,
        "org.html",
        context! {
            org => OrgView::new(&org, ctx.lang), parent, people, people_visible => visible, can_edit, children,
            duties => duties(ctx.lang), saved => n.saved.is_some(),
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonForm {
    #[serde(default)]
    pub csrf: String,
    pub duty: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    pub username: String,
}

pub async fn add_person(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<PersonForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let me = ctx.me()?;
    if !may_edit_people(&me.roles, me.user.org_id, id) {
        return Err(ApiError::forbidden().into());
    }
    let input = PersonInput {
        duty: f.duty,
        name: f.name,
        phone: Some(f.phone),
        email: Some(f.email),
        username: Some(f.username),
    };
    service::add_person(state.store(), id, &input, &ctx.actor()).await?;
    saved(&format!("/console/orgs/{id}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn remove_person(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<CsrfForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let me = ctx.me()?;
    let person = state.store().person(id).await?.ok_or_else(not_found)?;
    if !may_edit_people(&me.roles, me.user.org_id, person.org_id) {
        return Err(ApiError::forbidden().into());
    }
    state.store().remove_person(id, &ctx.actor()).await?;
    saved(&format!("/console/orgs/{}", person.org_id))
}

/// Every organization's people, for the authority (ORG-2).
pub async fn people(state: AppStateExt, ctx: Ctx) -> PageResult {
    let orgs = state.store().orgs().await?;
    let people = state.store().people(None).await?;
    let groups: Vec<minijinja::Value> = orgs
        .iter()
        .map(|o| {
            let members: Vec<PersonView> =
                people.iter().filter(|p| p.org_id == o.id).cloned().map(|p| PersonView::new(p, ctx.lang)).collect();
            context! { org => OrgView::new(o, ctx.lang), members }
        })
        .collect();
    render(&state, &ctx, "people.html", context! { groups })
}
