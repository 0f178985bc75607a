//! Demo data: Weihai (威海市) with its four county-level nodes, the development zones
//! as functional nodes, the city bureau, the service agency, twelve departments, two
//! utilities, two companies, one citizen, one account per role, and a published catalog
//! of 140 entries across every base library, share type, open attribute and level.

use gongshu_domain::role::Role;
use gongshu_store::{Actor, Store};

use crate::error::ApiError;
use crate::import;
use crate::service::{self, PersonInput, UserInput};

const ORGS_CSV: &str = include_str!("../demo/weihai-orgs.csv");
/// 140 published catalog entries in the guide's template (with the level columns).
const CATALOG_CSV: &str = include_str!("../demo/weihai-catalog.csv");

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "gongshu-demo";

/// Demo accounts: username, name, organization credit code, role.
pub const DEMO_USERS: &[(&str, &str, Option<&str>, Role)] = &[
    ("admin", "平台管理员 刘洋", Some("11371000804072819U"), Role::PlatformAdmin),
    ("reviewer", "主管部门审核员 陈静", Some("11371000804072819U"), Role::AuthorityReviewer),
    ("operator", "服务机构运维 孙磊", Some("12371000206993773W"), Role::AgencyOperator),
    ("provider", "公安局数据专员 王芳", Some("11371000754859022G"), Role::ProviderOfficer),
    ("consumer", "民政局数据专员 赵强", Some("11371000570916491X"), Role::ConsumerOfficer),
    ("auditor", "审计员 周敏", Some("11371000804072819U"), Role::Auditor),
    ("expert", "专家委员会 吴教授", None, Role::Expert),
    ("company", "海科数据 郑经理", Some("91371002MABUNJBE6N"), Role::DataUser),
    ("citizen", "市民 李明", None, Role::DataUser),
];

/// Chief data officers and data specialists per department (ORG-2).
const DEMO_PEOPLE: &[(&str, &str, &str, &str)] = &[
    ("11371000804072819U", "chief_data_officer", "张建国", "0631-5287001"),
    ("11371000804072819U", "data_specialist", "陈静", "0631-5287002"),
    ("11371000754859022G", "chief_data_officer", "李卫东", "0631-5211001"),
    ("11371000754859022G", "data_specialist", "王芳", "0631-5211002"),
    ("11371000570916491X", "chief_data_officer", "刘红梅", "0631-5233001"),
    ("11371000570916491X", "data_specialist", "赵强", "0631-5233002"),
    ("11371000424755415P", "chief_data_officer", "孙志刚", "0631-5299001"),
    ("11371000638465157J", "chief_data_officer", "马丽", "0631-5255001"),
    ("113710006626639111", "chief_data_officer", "杨帆", "0631-5266001"),
    ("1137100028996220XH", "chief_data_officer", "黄海", "0631-5277001"),
    ("11371000143182040J", "chief_data_officer", "林涛", "0631-5288001"),
    ("11371000179518941K", "chief_data_officer", "何雪", "0631-5222001"),
    ("113710002849493644", "chief_data_officer", "郭宁", "0631-5244001"),
    ("1137100045362457XW", "chief_data_officer", "罗斌", "0631-5200101"),
    ("11371000417236713X", "chief_data_officer", "高峰", "0631-5200201"),
    ("11371000904907326P", "chief_data_officer", "梁晨", "0631-5200301"),
];

/// Loads the demo once: does nothing if any organization exists.
pub async fn load(store: &Store, regulation: &crate::regulation::Regulation) -> Result<bool, ApiError> {
    if !store.orgs().await?.is_empty() {
        return Ok(false);
    }
    let by = Actor::new("platform", None);
    match import::import_orgs(store, ORGS_CSV, &by).await? {
        Ok(_) => {}
        Err(lines) => {
            tracing::error!(?lines, "demo organizations do not import");
            return Err(ApiError::internal());
        }
    }
    for (code, duty, name, phone) in DEMO_PEOPLE {
        let Some(org) = store.org_by_credit_code(code).await? else { continue };
        let input = PersonInput {
            duty: (*duty).into(),
            name: (*name).into(),
            phone: Some((*phone).into()),
            email: None,
            username: None,
        };
        service::add_person(store, org.id, &input, &by).await?;
    }
    for (username, name, org, role) in DEMO_USERS {
        let org_id = match org {
            Some(code) => store.org_by_credit_code(code).await?.map(|o| o.id),
            None => None,
        };
        let input = UserInput {
            username: (*username).into(),
            display_name: (*name).into(),
            password: DEMO_PASSWORD.into(),
            email: Some(format!("{username}@demo.weihai.gov.cn")),
            org_id,
            roles: vec![role.as_str().into()],
        };
        service::create_user(store, &input, &by).await?;
    }
    let opts = crate::catalog_import::ImportOptions { dry_run: false, all_or_nothing: true, publish: true };
    let report = crate::catalog_import::import_csv(store, regulation, &by, CATALOG_CSV, opts).await?;
    if !report.errors.is_empty() {
        tracing::error!(errors = ?report.errors, "the demo catalog does not import");
        return Err(ApiError::internal());
    }
    store.seal_checkpoint(gongshu_domain::time::now_micros()).await?;
    Ok(true)
}
