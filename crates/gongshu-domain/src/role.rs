//! Roles and permissions (ORG-3): nothing is allowed unless a role grants it.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The roles of ORG-3 that can be granted to an account. The anonymous visitor is not
/// a role that is granted: it is the caller with no account, and it holds no permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    PlatformAdmin,
    AuthorityReviewer,
    AgencyOperator,
    ProviderOfficer,
    ConsumerOfficer,
    Auditor,
    Expert,
    DataUser,
}

/// What a caller may do. Routes and pages each name the one permission they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Open the staff console.
    ConsoleAccess,
    /// See the organization tree.
    OrgRead,
    /// Create and change organizations.
    OrgWrite,
    /// See every organization's people responsible for data work (ORG-2).
    PeopleReadAll,
    /// Maintain the people responsible for data work of one's own organization.
    PeopleWriteOwn,
    /// Maintain the people responsible for data work of any organization.
    PeopleWriteAll,
    /// See accounts.
    UserRead,
    /// Create accounts, set passwords.
    UserWrite,
    /// Grant and revoke roles.
    RoleGrant,
    /// Browse and verify the audit log.
    AuditRead,
    /// Read the Prometheus metrics.
    MetricsRead,
    /// Manage one's own API tokens.
    TokenOwn,
    /// Import calendar years and set local calendar overrides.
    CalendarWrite,
    /// See one's own organization's deadlines and notifications.
    DeadlineOwn,
    /// See every organization's deadlines (the authority's overview, SUP-1).
    DeadlineOverview,
    /// Apply for conditional shared data for one's organization (SHR-2).
    ShareApply,
    /// Answer a share request at one's step: the provider, or the authority where the profile has it review.
    ShareAnswer,
    /// Manage webhook subscriptions and see the delivery outbox.
    OutboxManage,
    /// See the catalog, drafts included (staff).
    CatalogRead,
    /// Draft, change and submit one's own organization's catalog entries (CAT-2).
    CatalogDraft,
    /// Review submitted catalog entries: approve or reject with a reason (CAT-2).
    CatalogReview,
    /// Import and export whole catalogs from spreadsheets.
    CatalogImport,
    /// Load data versions for one's own organization's published entries (AGG-1).
    DataLoad,
    /// Send a demand, objection or suggestion about open data, and follow one's own (OPN-7).
    OpenDemandSubmit,
    /// Answer what is sent to one's own organization about open data; suspend and
    /// decide infringement objections (OPN-7, OPN-8).
    OpenDemandAnswer,
}

use Permission as P;

impl Role {
    pub const ALL: [Role; 8] = [
        Role::PlatformAdmin,
        Role::AuthorityReviewer,
        Role::AgencyOperator,
        Role::ProviderOfficer,
        Role::ConsumerOfficer,
        Role::Auditor,
        Role::Expert,
        Role::DataUser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::AuthorityReviewer => "authority_reviewer",
            Role::AgencyOperator => "agency_operator",
            Role::ProviderOfficer => "provider_officer",
            Role::ConsumerOfficer => "consumer_officer",
            Role::Auditor => "auditor",
            Role::Expert => "expert",
            Role::DataUser => "data_user",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "平台管理员",
            Role::AuthorityReviewer => "主管部门审核员",
            Role::AgencyOperator => "服务机构运维人员",
            Role::ProviderOfficer => "提供部门数据专员",
            Role::ConsumerOfficer => "使用部门数据专员",
            Role::Auditor => "审计员",
            Role::Expert => "专家委员会成员",
            Role::DataUser => "注册数据利用主体",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Role::PlatformAdmin => "Platform admin",
            Role::AuthorityReviewer => "Authority reviewer",
            Role::AgencyOperator => "Service-agency operator",
            Role::ProviderOfficer => "Provider data officer",
            Role::ConsumerOfficer => "Consumer data officer",
            Role::Auditor => "Auditor",
            Role::Expert => "Expert-committee member",
            Role::DataUser => "Registered data user",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| DomainError::UnknownRole(s.trim().to_string()))
    }

    /// The permissions this role grants. This table is the whole of the policy.
    pub fn permissions(self) -> &'static [Permission] {
        match self {
            Role::PlatformAdmin => &[
                P::ConsoleAccess,
                P::OrgRead,
                P::OrgWrite,
                P::PeopleReadAll,
                P::PeopleWriteOwn,
                P::PeopleWriteAll,
                P::UserRead,
                P::UserWrite,
                P::RoleGrant,
                P::MetricsRead,
                P::TokenOwn,
                P::CalendarWrite,
                P::DeadlineOwn,
                P::DeadlineOverview,
                P::OutboxManage,
                P::CatalogRead,
                P::CatalogImport,
            ],
            Role::AuthorityReviewer => &[
                P::ConsoleAccess,
                P::OrgRead,
                P::PeopleReadAll,
                P::UserRead,
                P::TokenOwn,
                P::DeadlineOwn,
                P::DeadlineOverview,
                P::ShareAnswer,
                P::CatalogRead,
                P::CatalogReview,
                P::OpenDemandAnswer,
            ],
            Role::AgencyOperator => &[
                P::ConsoleAccess,
                P::OrgRead,
                P::PeopleReadAll,
                P::MetricsRead,
                P::TokenOwn,
                P::DeadlineOwn,
                P::OutboxManage,
                P::CatalogRead,
                P::CatalogImport,
                P::CatalogReview,
                P::DataLoad,
                P::OpenDemandAnswer,
            ],
            Role::ProviderOfficer => &[
                P::ConsoleAccess,
                P::OrgRead,
                P::PeopleWriteOwn,
                P::TokenOwn,
                P::DeadlineOwn,
                P::ShareAnswer,
                P::CatalogRead,
                P::CatalogDraft,
                P::DataLoad,
                P::OpenDemandSubmit,
                P::OpenDemandAnswer,
            ],
            Role::ConsumerOfficer => &[
                P::ConsoleAccess,
                P::OrgRead,
                P::PeopleWriteOwn,
                P::TokenOwn,
                P::DeadlineOwn,
                P::ShareApply,
                P::CatalogRead,
                P::OpenDemandSubmit,
            ],
            Role::Auditor => &[
                P::ConsoleAccess,
                P::OrgRead,
                P::PeopleReadAll,
                P::UserRead,
                P::AuditRead,
                P::MetricsRead,
                P::TokenOwn,
                P::DeadlineOverview,
                P::CatalogRead,
            ],
            Role::Expert => &[P::ConsoleAccess, P::OrgRead, P::TokenOwn, P::CatalogRead, P::OpenDemandSubmit],
            Role::DataUser => &[P::TokenOwn, P::OpenDemandSubmit],
        }
    }
}

/// Whether any of `roles` grants `perm`. No roles (the anonymous visitor) grant nothing.
pub fn allows(roles: &[Role], perm: Permission) -> bool {
    roles.iter().any(|r| r.permissions().contains(&perm))
}

/// What a route or page demands of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, including the anonymous visitor (the portal, health checks, login).
    Public,
    /// Any signed-in account, whatever its roles (its own profile and tokens).
    SignedIn,
    /// A signed-in account one of whose roles grants this permission.
    Needs(Permission),
}

/// The outcome of checking a caller against an [`Access`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// No credentials: 401 for the API, a redirect to the login page for pages.
    Unauthenticated,
    /// Signed in, but no role grants the permission: 403.
    Forbidden,
}

/// Decides access; `roles` is `None` for an anonymous caller.
pub fn decide(access: Access, roles: Option<&[Role]>) -> Decision {
    match (access, roles) {
        (Access::Public, _) => Decision::Allow,
        (_, None) => Decision::Unauthenticated,
        (Access::SignedIn, Some(_)) => Decision::Allow,
        (Access::Needs(p), Some(roles)) if allows(roles, p) => Decision::Allow,
        (Access::Needs(_), Some(_)) => Decision::Forbidden,
    }
}

/// Whether an account with `roles` in organization `own_org` may maintain the people
/// responsible for data work of `target_org` (ORG-2).
pub fn may_edit_people(roles: &[Role], own_org: Option<i64>, target_org: i64) -> bool {
    allows(roles, P::PeopleWriteAll) || (allows(roles, P::PeopleWriteOwn) && own_org == Some(target_org))
}

/// Roles a token may carry: those asked for that its creator holds; none asked means all.
pub fn token_roles(creator: &[Role], asked: &[Role]) -> Vec<Role> {
    if asked.is_empty() {
        return creator.to_vec();
    }
    asked.iter().copied().filter(|r| creator.contains(r)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ORG-3: deny by default. The anonymous visitor gets nothing but public routes.
    #[test]
    fn org_3_anonymous_gets_only_public() {
        assert_eq!(decide(Access::Public, None), Decision::Allow);
        assert_eq!(decide(Access::SignedIn, None), Decision::Unauthenticated);
        assert_eq!(decide(Access::Needs(P::OrgRead), None), Decision::Unauthenticated);
    }

    /// ORG-3: an account with no role can sign in but is granted nothing.
    #[test]
    fn org_3_no_role_no_permission() {
        assert_eq!(decide(Access::Needs(P::TokenOwn), Some(&[])), Decision::Forbidden);
        assert_eq!(decide(Access::SignedIn, Some(&[])), Decision::Allow);
    }

    /// ORG-3: only the auditor reads the audit log; only the admin writes users.
    #[test]
    fn org_3_permission_table() {
        for role in Role::ALL {
            assert_eq!(allows(&[role], P::AuditRead), role == Role::Auditor, "{role:?}");
            assert_eq!(allows(&[role], P::UserWrite), role == Role::PlatformAdmin, "{role:?}");
            assert_eq!(allows(&[role], P::ConsoleAccess), role != Role::DataUser, "{role:?}");
            assert!(allows(&[role], P::TokenOwn));
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }

    /// OPN-7: data users (and staff, as members of the public) send demands; the
    /// organizations that hold open data, and the authority for data outside the
    /// catalog, answer them. Deny by default: nobody else does either.
    #[test]
    fn opn_7_who_submits_and_who_answers() {
        use Role as R;
        for role in Role::ALL {
            let submits = matches!(role, R::DataUser | R::ProviderOfficer | R::ConsumerOfficer | R::Expert);
            let answers = matches!(role, R::ProviderOfficer | R::AgencyOperator | R::AuthorityReviewer);
            assert_eq!(allows(&[role], P::OpenDemandSubmit), submits, "{role:?}");
            assert_eq!(allows(&[role], P::OpenDemandAnswer), answers, "{role:?}");
        }
        assert_eq!(decide(Access::Needs(P::OpenDemandSubmit), None), Decision::Unauthenticated);
        assert_eq!(decide(Access::Needs(P::OpenDemandAnswer), Some(&[Role::DataUser])), Decision::Forbidden);
    }

    /// ORG-2: a provider officer maintains its own organization's people only.
    #[test]
    fn org_2_people_of_own_org_only() {
        assert!(may_edit_people(&[Role::ProviderOfficer], Some(3), 3));
        assert!(!may_edit_people(&[Role::ProviderOfficer], Some(3), 4));
        assert!(!may_edit_people(&[Role::ProviderOfficer], None, 4));
        assert!(may_edit_people(&[Role::PlatformAdmin], None, 4));
        assert!(!may_edit_people(&[Role::Auditor], Some(4), 4));
    }

    #[test]
    fn tokens_never_carry_more_than_their_creator() {
        let creator = [Role::ProviderOfficer];
        assert_eq!(token_roles(&creator, &[]), vec![Role::ProviderOfficer]);
        assert_eq!(token_roles(&creator, &[Role::PlatformAdmin]), Vec::<Role>::new());
        assert_eq!(token_roles(&creator, &[Role::ProviderOfficer, Role::Auditor]), vec![Role::ProviderOfficer]);
    }
}
