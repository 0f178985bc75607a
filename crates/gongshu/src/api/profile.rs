//! The active policy profile.

use serde::Serialize;

use crate::app::AppStateExt;
use crate::error::Json;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub key: String,
    pub requirement: String,
    pub label_zh: String,
    pub label_en: String,
    pub value: String,
    pub source: String,
    /// `stated`, or the kind of default: `promptly`, `periodically`, `silent`.
    pub basis: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProfileView {
    pub name: String,
    pub city_zh: String,
    pub city_en: String,
    pub region_code: String,
    pub regulation: String,
    pub rules: Vec<RuleView>,
}

pub fn view(p: &gongshu_rules::Profile) -> ProfileView {
    ProfileView {
        name: p.name.clone(),
        city_zh: p.city_zh.clone(),
        city_en: p.city_en.clone(),
        region_code: p.region_code.clone(),
        regulation: format!("{}（{}）", p.regulation.title_zh, p.regulation.year),
        rules: p
            .rules()
            .into_iter()
            .map(|r| RuleView {
                key: r.key,
                requirement: r.requirement.to_string(),
                label_zh: r.label_zh,
                label_en: r.label_en,
                value: r.value,
                source: r.source,
                basis: format!("{:?}", r.basis).to_lowercase(),
                note: r.note,
            })
            .collect(),
    }
}

/// The deployment's policy profile: every figure with its source article.
#[utoipa::path(get, path = "/api/v1/profile", tag = "calendar", responses((status = 200, body = ProfileView)))]
pub async fn active(state: AppStateExt) -> Json<ProfileView> {
    Json(view(state.regulation().profile()))
}
