//! Catalog pages (CAT-1, CAT-2): list, the drafting form (each field explained), an
//! entry with its versions, submission, review and the side-by-side comparison.

use std::collections::HashMap;

use gongshu_domain::catalog::{
    CatalogError, Category, DataItem, DataLength, DataType, Format, Grade, NewEntry, Open, OpenType, Provider,
    ResourceCode, Share, ShareMethod, ShareType, UpdateCycle,
};
use gongshu_domain::role::{Permission, allows};
use gongshu_domain::uscc::CreditCode;
use gongshu_store::EntryFilter;
use minijinja::context;
use serde::Deserialize;

use super::{PageResult, render, saved};
use crate::api::catalog::{comparison, detail};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::catalog::{self, invalid};
use crate::error::{ApiError, Form, Path, Query};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub state: Option<String>,
    pub provider: Option<String>,
    pub saved: Option<u8>,
}

pub async fn list(state: AppStateExt, ctx: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let provider = q.provider.as_deref().filter(|p| !p.is_empty()).and_then(|p| p.parse().ok());
    let filter = EntryFilter {
        provider_org_id: provider,
        state: q.state.clone().filter(|s| !s.is_empty()),
        limit: 500,
        offset: 0,
    };
    let entries = state.store().entries(&filter).await?;
    let names: HashMap<i64, String> = state.store().orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let can_draft = allows(ctx.roles(), Permission::CatalogDraft);
    render(
        &state,
        &ctx,
        "catalog.html",
        context! { entries, names, can_draft, q => context! { state => q.state, provider => provider }, saved => q.saved.is_some() },
    )
}

fn vocab() -> minijinja::Value {
    let pairs = |v: Vec<(&'static str, &'static str)>| {
        v.into_iter().map(|(k, l)| context! { value => k, label => l }).collect::<Vec<_>>()
    };
    context! {
        data_types => pairs(DataType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect()),
        share_types => pairs(ShareType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect()),
        share_methods => pairs(ShareMethod::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect()),
        open_types => pairs(OpenType::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect()),
        grades => pairs(Grade::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect()),
        cycles => pairs(UpdateCycle::ALL.iter().map(|t| (t.as_str(), t.label_zh())).collect()),
    }
}

/// The drafting form: every core metadata element, with a Chinese explanation of each.
pub async fn new_form(state: AppStateExt, ctx: Ctx) -> PageResult {
    let org = match ctx.me()?.user.org_id {
        Some(id) => state.store().org(id).await?,
        None => None,
    };
    render(
        &state,
        &ctx,
        "catalog_form.html",
        context! { org, v => vocab(), rows => item_rows(0), f => HashMap::<String, String>::new() },
    )
}

/// The form's field values for an entry, under the names [`entry_from_form`] reads:
/// the change form opens with the latest version filled in.
fn form_values(e: &NewEntry) -> HashMap<String, String> {
    let mut f = HashMap::new();
    let mut put = |k: String, v: String| {
        f.insert(k, v);
    };
    put("code".into(), e.code.to_string());
    put("name".into(), e.name.clone());
    put("summary".into(), e.summary.clone());
    put("category".into(), e.category.to_string());
    put("format".into(), e.format.to_string());
    put("update_cycle".into(), e.update_cycle.as_str().into());
    put("grade".into(), e.grade.map(|g| g.as_str().to_string()).unwrap_or_default());
    put("published_on".into(), e.published_on.map(|d| d.to_string()).unwrap_or_default());
    put("related".into(), e.related.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(","));
    put("share_type".into(), e.share.share_type.as_str().into());
    put("share_method".into(), e.share.method.map(|m| m.as_str().to_string()).unwrap_or_default());
    put("share_conditions".into(), e.share.conditions.clone());
    put("share_reason".into(), e.share.reason.clone());
    put("share_legal_basis".into(), e.share.legal_basis.clone());
    put("open_type".into(), e.open.open_type.as_str().into());
    put("open_conditions".into(), e.open.conditions.clone());
    put("open_legal_basis".into(), e.open.legal_basis.clone());
    for (i, item) in e.items.iter().enumerate() {
        put(format!("item_name_{i}"), item.name.clone());
        put(format!("item_type_{i}"), item.data_type.as_str().into());
        put(format!("item_length_{i}"), item.length.map(|l| l.to_string()).unwrap_or_default());
        put(format!("item_desc_{i}"), item.description.clone());
        if item.key_identifier {
            put(format!("item_key_{i}"), "on".into());
        }
        put(format!("item_grade_{i}"), item.grade.map(|g| g.as_str().to_string()).unwrap_or_default());
    }
    f
}

/// Rows of data items the form shows: the entry's, and a few empty ones.
fn item_rows(items: usize) -> Vec<usize> {
    (0..(items + 3).clamp(8, MAX_ITEM_ROWS)).collect()
}

const MAX_ITEM_ROWS: usize = 50;

/// The change form of an entry (CAT-3, CAT-6): the latest version filled in; the code
/// is fixed. Opening data that was not open asks for the recorded evidence.
pub async fn edit_form(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let d = detail(&state, id).await?;
    let Some(latest) = d.versions.iter().find(|v| v.version == d.entry.latest_version) else {
        return Err(ApiError::not_found("目录", "Catalog entry").into());
    };
    let entry: NewEntry = serde_json::from_value(latest.content.clone()).map_err(|_| ApiError::internal())?;
    let org = state.store().org(d.entry.provider_org_id).await?;
    render(
        &state,
        &ctx,
        "catalog_form.html",
        context! {
            org, v => vocab(), rows => item_rows(entry.items.len()), f => form_values(&entry),
            edit => context! { id, code => d.entry.code, published => d.entry.published_version.is_some() },
        },
    )
}

/// Saves the change form as a new draft (or an edit of the draft).
pub async fn update(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(fields): Form<HashMap<String, String>>,
) -> PageResult {
    ctx.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or_default())?;
    let current = state.store().entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let provider = provider_org(&state, current.provider_org_id).await?;
    let entry = entry_from_form(&fields, provider).map_err(|e| invalid(&e))?;
    let evidence = catalog::MoveEvidence {
        deidentified: fields.contains_key("deidentified"),
        right_holder_consent: fields.contains_key("right_holder_consent"),
    };
    catalog::update_with(state.store(), &ctx, id, &entry, evidence).await?;
    saved(&format!("/console/catalog/{id}"))
}

fn take<T>(errors: &mut Vec<CatalogError>, r: Result<T, CatalogError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// Builds an entry from the form's fields, collecting every problem.
fn entry_from_form(fields: &HashMap<String, String>, provider: Provider) -> Result<NewEntry, Vec<CatalogError>> {
    let get = |k: &str| fields.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let code = take(&mut errors, ResourceCode::parse(&get("code")));
    let category = take(&mut errors, Category::parse(&get("category")));
    let format = take(&mut errors, Format::parse(&get("format")));
    let share_type = take(&mut errors, ShareType::parse(&get("share_type")));
    let method = match get("share_method").as_str() {
        "" => None,
        m => take(&mut errors, ShareMethod::parse(m)),
    };
    let open_type = take(&mut errors, OpenType::parse(&get("open_type")));
    let grade = match get("grade").as_str() {
        "" => None,
        g => take(&mut errors, Grade::parse(g)),
    };
    let cycle = take(&mut errors, UpdateCycle::parse(&get("update_cycle")));
    let published_on = match get("published_on").as_str() {
        "" => None,
        d => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok(),
    };
    let related: Vec<ResourceCode> = get("related")
        .split([',', '，'])
        .filter(|s| !s.trim().is_empty())
        .filter_map(|c| take(&mut errors, ResourceCode::parse(c)))
        .collect();
    let mut items = Vec::new();
    for i in 0..MAX_ITEM_ROWS {
        let name = get(&format!("item_name_{i}"));
        if name.is_empty() {
            continue;
        }
        let data_type = take(&mut errors, DataType::parse(&get(&format!("item_type_{i}"))));
        let length = match get(&format!("item_length_{i}")).as_str() {
            "" => None,
            l => take(&mut errors, DataLength::parse(l)),
        };
        let item_grade = match get(&format!("item_grade_{i}")).as_str() {
            "" => None,
            g => take(&mut errors, Grade::parse(g)),
        };
        if let Some(data_type) = data_type {
            items.push(DataItem {
                name,
                data_type,
                length,
                description: get(&format!("item_desc_{i}")),
                key_identifier: fields.contains_key(&format!("item_key_{i}")),
                grade: item_grade,
            });
        }
    }
    let (Some(code), Some(category), Some(format), Some(share_type), Some(open_type), Some(update_cycle)) =
        (code, category, format, share_type, open_type, cycle)
    else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewEntry {
        code,
        name: get("name"),
        summary: get("summary"),
        provider,
        category,
        format,
        items,
        share: Share {
            share_type,
            conditions: get("share_conditions"),
            reason: get("share_reason"),
            legal_basis: get("share_legal_basis"),
            method,
        },
        open: Open { open_type, conditions: get("open_conditions"), legal_basis: get("open_legal_basis") },
        grade,
        update_cycle,
        published_on,
        related,
    })
}

async fn provider_of(state: &AppStateExt, ctx: &Ctx) -> Result<Provider, ApiError> {
    let org_id = ctx.me()?.user.org_id.ok_or_else(ApiError::forbidden)?;
    provider_org(state, org_id).await
}

async fn provider_org(state: &AppStateExt, org_id: i64) -> Result<Provider, ApiError> {
    let org = state.store().org(org_id).await?.ok_or_else(ApiError::forbidden)?;
    let code = org.credit_code.as_deref().and_then(|c| CreditCode::parse(c).ok()).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "no_credit_code",
            "本机构没有统一社会信用代码，不能编制目录",
            "Your organization has no credit code to catalog under",
        )
    })?;
    Ok(Provider { name: org.name, code })
}

pub async fn create(state: AppStateExt, ctx: Ctx, Form(fields): Form<HashMap<String, String>>) -> PageResult {
    ctx.check_csrf(fields.get("csrf").map(String::as_str).unwrap_or_default())?;
    let provider = provider_of(&state, &ctx).await?;
    let entry = entry_from_form(&fields, provider).map_err(|e| invalid(&e))?;
    let created = catalog::create(state.store(), Some(&ctx), &ctx.actor(), &entry).await?;
    saved(&format!("/console/catalog/{}", created.id))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowQuery {
    pub saved: Option<u8>,
    pub a: Option<i64>,
    pub b: Option<i64>,
}

pub async fn show(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> PageResult {
    let d = detail(&state, id).await?;
    let latest = d.versions.iter().find(|v| v.version == d.entry.latest_version).map(|v| v.content.clone());
    let submitted = d.versions.iter().any(|v| v.state == "submitted");
    let me = ctx.me()?;
    let own = me.user.org_id == Some(d.entry.provider_org_id);
    let reviewer = catalog::reviewing_authority(state.store(), d.entry.provider_org_id).await?;
    let filter = gongshu_store::ClockFilter {
        holder_org_id: me.user.org_id,
        state: Some("open".into()),
        limit: 1000,
        ..Default::default()
    };
    let held = if me.user.org_id.is_some() { state.store().clocks(&filter).await? } else { Vec::new() };
    let holds_step = held.iter().any(|c| c.item.starts_with(&format!("catalog_entry:{id}:")));
    // A conditional entry's pending re-evaluation (CAT-6), answered by its provider.
    let reevaluation = held
        .iter()
        .find(|c| own && c.item == format!("catalog_reeval:{id}") && allows(&me.roles, Permission::CatalogDraft))
        .map(|c| c.due_on.clone());
    let can_review = submitted && allows(&me.roles, Permission::CatalogReview) && holds_step;
    let can_retire = own && d.entry.state == "published" && !submitted && allows(&me.roles, Permission::CatalogDraft);
    let is_change = d.entry.published_version.is_some();
    let can_emergency = d.entry.state == "published"
        && allows(&me.roles, Permission::CatalogReview)
        && reviewer.as_ref().map(|r| r.id) == me.user.org_id;
    let emergencies = state.store().emergencies(id).await?;
    let latest_is_draft = d.versions.iter().any(|v| v.version == d.entry.latest_version && v.state == "draft");
    let can_submit = own && latest_is_draft && allows(&me.roles, Permission::CatalogDraft);
    let can_edit = own && !submitted && d.entry.state != "retired" && allows(&me.roles, Permission::CatalogDraft);
    let published = d.entry.published_version.is_some() && d.entry.state != "retired";
    let data = if published { Some(super::data::versions_for_page(&state, id).await?) } else { None };
    let can_load =
        published && allows(&me.roles, Permission::DataLoad) && (own || allows(&me.roles, Permission::CatalogImport));
    let compare = match (q.a, q.b) {
        (Some(a), Some(b)) => Some(comparison(&state, id, a, b).await?),
        _ if d.versions.len() >= 2 => {
            let n = d.versions.len();
            Some(comparison(&state, id, d.versions[n - 2].version, d.versions[n - 1].version).await?)
        }
        _ => None,
    };
    let provider = state.store().org(d.entry.provider_org_id).await?.map(|o| o.name);
    render(
        &state,
        &ctx,
        "catalog_entry.html",
        context! {
            d, latest, can_review, can_submit, can_edit, can_retire, reevaluation, data, can_load, is_change, can_emergency, emergencies, compare, provider, reviewer => reviewer.map(|r| r.name), saved => q.saved.is_some(),
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub basis_changed_on: String,
}

pub async fn submit(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<SubmitForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input = catalog::SubmitInput { basis_changed_on: Some(f.basis_changed_on).filter(|d| !d.is_empty()) };
    catalog::submit(&state, &ctx, id, &input).await?;
    saved(&format!("/console/catalog/{id}"))
}

pub async fn retire(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<SubmitForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input = catalog::SubmitInput { basis_changed_on: Some(f.basis_changed_on).filter(|d| !d.is_empty()) };
    catalog::retire(&state, &ctx, id, &input).await?;
    saved(&format!("/console/catalog/{id}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewForm {
    #[serde(default)]
    pub csrf: String,
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn review(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<ReviewForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let approve = f.decision == "approve";
    catalog::review(&state, &ctx, id, approve, Some(f.reason)).await?;
    saved(&format!("/console/catalog/{id}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReevaluateForm {
    #[serde(default)]
    pub csrf: String,
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// The provider's answer to a re-evaluation (CAT-6): keep with a reason, or move to
/// unconditional sharing (a change draft, then submitted from the entry page).
pub async fn reevaluate(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<ReevaluateForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input = catalog::ReevaluationInput { decision: f.decision, reason: Some(f.reason) };
    catalog::reevaluate(&state, &ctx, id, &input).await?;
    saved(&format!("/console/catalog/{id}"))
}

/// The console's upload of a catalog spreadsheet.
pub async fn import_page(state: AppStateExt, ctx: Ctx) -> PageResult {
    render(&state, &ctx, "catalog_import.html", context! { report => None::<crate::catalog_import::ImportReport> })
}

pub async fn import(state: AppStateExt, ctx: Ctx, mut form: axum::extract::Multipart) -> PageResult {
    let bad = |_| ApiError::bad_request("unreadable_upload", "无法读取上传的文件", "The upload could not be read");
    let (mut csrf, mut bytes) = (String::new(), None);
    let mut opts = crate::catalog_import::ImportOptions::default();
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(bad)?,
            "dry_run" => opts.dry_run = field.text().await.map_err(bad)? == "on",
            "all_or_nothing" => opts.all_or_nothing = field.text().await.map_err(bad)? == "on",
            "publish" => opts.publish = field.text().await.map_err(bad)? == "on",
            "file" => bytes = Some(field.bytes().await.map_err(bad)?),
            _ => {}
        }
    }
    ctx.check_csrf(&csrf)?;
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return Err(ApiError::bad_request("file_required", "请选择要导入的文件", "Choose a file to import").into());
    };
    let report =
        crate::catalog_import::import_bytes(state.store(), state.regulation(), &ctx.actor(), &bytes, opts).await?;
    render(&state, &ctx, "catalog_import.html", context! { report })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyForm {
    #[serde(default)]
    pub csrf: String,
    pub share_type: String,
    pub open_type: String,
    pub reason: String,
    pub until: String,
}

pub async fn emergency(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<EmergencyForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input =
        catalog::EmergencyInput { share_type: f.share_type, open_type: f.open_type, reason: f.reason, until: f.until };
    catalog::start_emergency(&state, &ctx, id, &input).await?;
    saved(&format!("/console/catalog/{id}"))
}

/// The portal's catalog search: anyone, no sign-in (CAT-11).
pub async fn search_page(
    state: AppStateExt,
    ctx: Ctx,
    Query(p): Query<crate::api::catalog_search::SearchParams>,
) -> PageResult {
    let results = crate::api::catalog_search::run_search(&state, &ctx, &p).await?;
    let limit = p.limit.unwrap_or(20).clamp(1, 100);
    let offset = p.offset.unwrap_or(0);
    let base: Vec<(String, String)> = [
        ("q", p.q.clone()),
        ("category", p.category.clone()),
        ("share_type", p.share_type.clone()),
        ("open_type", p.open_type.clone()),
        ("update_cycle", p.update_cycle.clone()),
        ("provider", p.provider.map(|v| v.to_string())),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k.to_string(), v)))
    .collect();
    let link = |extra: &[(&str, String)]| -> String {
        let mut pairs: Vec<(String, String)> =
            base.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).cloned().collect();
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        let qs: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
        format!("/catalog?{qs}")
    };
    let facet_links: Vec<minijinja::Value> = results
        .facets
        .iter()
        .filter(|(k, _)| ["provider", "category", "share_type", "open_type", "update_cycle"].contains(&k.as_str()))
        .map(|(k, values)| {
            let items: Vec<minijinja::Value> = values
                .iter()
                .take(12)
                .map(
                    |v| context! { label => v.label, count => v.count, href => link(&[(k.as_str(), v.value.clone())]) },
                )
                .collect();
            context! { key => k, items }
        })
        .collect();
    let next = (offset + limit < results.total).then(|| link(&[("offset", (offset + limit).to_string())]));
    let prev = (offset > 0).then(|| link(&[("offset", offset.saturating_sub(limit).to_string())]));
    render(
        &state,
        &ctx,
        "catalog_search.html",
        context! { results, facets => facet_links, q => p.q, next, prev, offset },
    )
}
