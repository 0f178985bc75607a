//! The provider's page for release rules (OPN-6): each data item of an entry with its
//! default rule and a choice to override it.

use std::collections::BTreeMap;

use gongshu_data::release::{Generalize, Release};
use minijinja::context;

use super::{PageResult, render, saved};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Path};

/// The choices of the form: value, text key.
const CHOICES: [(&str, &str); 9] = [
    ("default", "release.default"),
    ("keep", "open.release.keep"),
    ("mask", "open.release.mask"),
    ("pseudonymize", "open.release.pseudonymize"),
    ("generalize:year", "release.year"),
    ("generalize:month", "release.month"),
    ("generalize:district", "release.district"),
    ("generalize:age_band", "release.age_band"),
    ("suppress", "open.release.suppress"),
];

fn choice(r: &Release) -> &'static str {
    match r {
        Release::Keep => "keep",
        Release::Mask => "mask",
        Release::Pseudonymize => "pseudonymize",
        Release::Generalize(Generalize::Year) => "generalize:year",
        Release::Generalize(Generalize::Month) => "generalize:month",
        Release::Generalize(Generalize::District) => "generalize:district",
        Release::Generalize(Generalize::AgeBand) => "generalize:age_band",
        Release::Suppress => "suppress",
    }
}

fn parse_choice(s: &str) -> Option<Option<Release>> {
    Some(Some(match s {
        "default" => return Some(None),
        "keep" => Release::Keep,
        "mask" => Release::Mask,
        "pseudonymize" => Release::Pseudonymize,
        "generalize:year" => Release::Generalize(Generalize::Year),
        "generalize:month" => Release::Generalize(Generalize::Month),
        "generalize:district" => Release::Generalize(Generalize::District),
        "generalize:age_band" => Release::Generalize(Generalize::AgeBand),
        "suppress" => Release::Suppress,
        _ => return None,
    }))
}

/// `GET /console/catalog/{id}/release-rules`
pub async fn page(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> PageResult {
    let view = crate::api::release::view(&state, id).await?;
    let entry = state.store().entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let items: Vec<minijinja::Value> = view
        .items
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let current =
                if r.source == gongshu_data::released::RuleSource::Provider { choice(&r.rule) } else { "default" };
            context! { index => i, name => r.name, default => choice(&r.default), current }
        })
        .collect();
    let choices: Vec<minijinja::Value> = CHOICES.iter().map(|(v, k)| context! { value => v, key => k }).collect();
    render(
        &state,
        &ctx,
        "release_rules.html",
        context! { entry => context! { id, name => entry.name, code => entry.code }, items, choices },
    )
}

/// `POST /console/catalog/{id}/release-rules`: fields `item_N` (the item's name) and `rule_N`.
pub async fn save(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let csrf = form.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.clone()).unwrap_or_default();
    ctx.check_csrf(&csrf)?;
    let field = |k: String| form.iter().find(|(f, _)| *f == k).map(|(_, v)| v.clone());
    let mut rules = BTreeMap::new();
    for (k, item) in form.iter().filter(|(k, _)| k.starts_with("item_")) {
        let n = &k["item_".len()..];
        let chosen = field(format!("rule_{n}")).unwrap_or_else(|| "default".into());
        match parse_choice(&chosen) {
            Some(Some(rule)) => {
                rules.insert(item.clone(), rule);
            }
            Some(None) => {}
            None => {
                return Err(ApiError::bad_request(
                    "invalid_release_rule",
                    format!("“{chosen}”不是可选的开放方式"),
                    format!("{chosen:?} is not a release rule"),
                )
                .into());
            }
        }
    }
    crate::api::release::apply(&state, &ctx, id, &rules).await?;
    saved(&format!("/console/catalog/{id}/release-rules"))
}
