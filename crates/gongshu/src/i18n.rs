//! The interface speaks Chinese first (zh-CN), with English available. The language
//! comes from the `lang` cookie, set by the switch in the page header.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Picks one of two texts.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Interface texts: key, Chinese, English. Templates call `t("key")`.
const TEXTS: &[(&str, &str, &str)] = &[
    ("app.name", "公数 · 公共数据平台", "gongshu · Public Data Platform"),
    ("app.city", "威海市公共数据平台", "Weihai Public Data Platform"),
    ("nav.portal", "门户", "Portal"),
    ("nav.console", "工作台", "Console"),
    ("nav.orgs", "组织机构", "Organizations"),
    ("nav.people", "数据工作人员", "Data staff"),
    ("nav.users", "账号与角色", "Accounts & roles"),
    ("nav.tokens", "API 令牌", "API tokens"),
    ("nav.audit", "审计日志", "Audit log"),
    ("nav.login", "登录", "Sign in"),
    ("nav.logout", "退出", "Sign out"),
    ("nav.lang", "English", "中文"),
    ("nav.deadlines", "我的期限", "My deadlines"),
    ("nav.overview", "期限总览", "Deadline overview"),
    ("nav.share", "共享申请", "Share requests"),
    ("nav.notifications", "通知", "Notifications"),
    ("nav.calendar", "工作日历", "Working-day calendar"),
    ("nav.profile", "政策配置", "Policy profile"),
    ("nav.outbox", "消息投递", "Deliveries"),
    ("cal.title", "工作日历（中国法定节假日与调休）", "Working-day calendar (China holidays and make-up days)"),
    ("cal.years", "已有数据的年份", "Years with data"),
    ("cal.official", "官方数据", "Official"),
    ("cal.imported", "导入", "Imported"),
    (
        "cal.missing",
        "以下年份尚无官方安排，期限只按周末计算并标记为“暂定”，请导入：",
        "No official data yet for these years; deadlines count weekends only and are marked provisional. Import:",
    ),
    ("cal.import", "导入年度安排（CSV：date,kind,name）", "Import a year's notice (CSV: date,kind,name)"),
    ("cal.replace", "覆盖已导入的同一年份", "Replace a year imported before"),
    ("cal.workday", "工作日", "Workday"),
    ("cal.restday", "休息日", "Rest day"),
    ("cal.provisional", "暂定", "Provisional"),
    ("cal.due", "期限计算", "Due-date calculator"),
    ("cal.received", "收到日期", "Received on"),
    ("cal.days", "工作日数", "Working days"),
    ("cal.due_on", "截止日期", "Due on"),
    ("cal.compute", "计算", "Compute"),
    ("cal.overrides", "地方调整", "Local overrides"),
    ("cal.add_override", "添加地方调整", "Add a local override"),
    ("cal.weekdays", "一二三四五六日", "MTWTFSS"),
    ("prof.title", "当前政策配置", "Active policy profile"),
    ("prof.rule", "规则", "Rule"),
    ("prof.value", "取值", "Value"),
    ("prof.source", "依据条款", "Source"),
    ("prof.note", "说明", "Note"),
    ("dl.title", "我的期限", "My deadlines"),
    ("dl.overview", "期限总览（各单位）", "Deadlines across organizations"),
    ("dl.overdue", "已逾期", "Overdue"),
    ("dl.soon", "即将到期", "Due soon"),
    ("dl.open", "办理中", "Open"),
    ("dl.none", "没有待办期限", "Nothing due"),
    ("dl.item", "事项", "Item"),
    ("dl.holder", "承办单位", "Held by"),
    ("dl.due", "截止", "Due"),
    ("dl.rule", "依据", "Rule"),
    ("dl.on_miss", "逾期处理", "When missed"),
    ("notif.title", "通知", "Notifications"),
    ("notif.none", "暂无通知", "No notifications"),
    ("outbox.title", "消息投递（Webhook）", "Deliveries (webhooks)"),
    ("outbox.hooks", "订阅地址", "Subscriptions"),
    ("outbox.add", "添加订阅", "Add a subscription"),
    ("share.title", "有条件共享申请", "Conditional share requests"),
    ("share.apply", "提交共享申请", "Apply for shared data"),
    ("share.steps", "本地审核流程", "Review steps here"),
    ("share.provider", "提供部门", "Provider"),
    ("share.requester", "申请单位", "Requester"),
    ("share.resource", "资源代码", "Resource code"),
    ("share.purpose", "用途", "Purpose"),
    ("share.basis", "法律依据", "Legal basis"),
    ("share.items", "所需数据项", "Data items"),
    ("share.state", "状态", "State"),
    ("share.approve", "同意", "Approve"),
    ("share.refuse", "不同意（须说明理由和依据）", "Refuse (state reason and basis)"),
    ("share.reason", "理由与依据", "Reason and basis"),
    ("share.none", "暂无申请", "No requests"),
    ("nav.catalog", "数据目录", "Catalog"),
    ("cat.title", "公共数据资源目录", "Public data catalog"),
    ("cat.new", "编制新目录", "Draft an entry"),
    ("cat.none", "暂无目录", "No entries"),
    ("cat.code", "信息资源代码", "Resource code"),
    ("cat.name", "信息资源名称", "Name"),
    ("cat.summary", "信息资源摘要", "Summary"),
    ("cat.category", "信息资源分类", "Category"),
    ("cat.format", "信息资源格式", "Format"),
    ("cat.cycle", "更新周期", "Update cycle"),
    ("cat.grade", "分类分级", "Grade"),
    ("cat.published_on", "发布日期", "Publication date"),
    ("cat.related", "关联资源代码", "Related resources"),
    ("cat.core", "核心元数据", "Core metadata"),
    ("cat.share", "共享属性", "Share attribute"),
    ("cat.share_type", "共享类型", "Share type"),
    ("cat.share_method", "共享方式", "Share method"),
    ("cat.share_conditions", "共享条件", "Share conditions"),
    ("cat.share_reason", "理由", "Reason"),
    ("cat.share_basis", "法律依据", "Legal basis"),
    ("cat.open", "开放属性", "Open attribute"),
    ("cat.open_type", "开放类型", "Open type"),
    ("cat.open_conditions", "开放条件", "Open conditions"),
    ("cat.open_basis", "不予开放的法律依据", "Legal basis for not opening"),
    ("cat.items", "信息项", "Data items"),
    ("cat.item_name", "信息项名称", "Item"),
    ("cat.item_type", "数据类型", "Type"),
    ("cat.item_length", "数据长度", "Length"),
    ("cat.item_desc", "说明", "Description"),
    ("cat.item_key", "关键标识", "Key identifier"),
    ("cat.save_draft", "保存草稿", "Save draft"),
    ("cat.submit", "提交审核", "Submit for review"),
    ("cat.review", "审核", "Review"),
    ("cat.reviewer", "审核部门", "Reviewed by"),
    ("cat.approve", "审核通过并发布", "Approve and publish"),
    ("cat.reject", "驳回（须说明理由）", "Reject (state the reason)"),
    ("cat.versions", "版本记录", "Versions"),
    ("cat.compare", "版本对比", "Compare versions"),
    ("cat.field", "字段", "Field"),
    ("cat.same", "两个版本内容相同", "The versions are the same"),
    ("cat.state", "状态", "State"),
    ("cat.state.draft", "草稿", "Draft"),
    ("cat.state.submitted", "审核中", "Under review"),
    ("cat.state.published", "已发布", "Published"),
    ("cat.state.rejected", "已驳回", "Rejected"),
    ("cat.state.retired", "已撤销", "Retired"),
    ("cat.vstate.draft", "草稿", "Draft"),
    ("cat.vstate.submitted", "审核中", "Under review"),
    ("cat.vstate.published", "现行版本", "In force"),
    ("cat.vstate.rejected", "已驳回", "Rejected"),
    ("cat.vstate.superseded", "历史版本", "Superseded"),
    ("cat.share.unconditional", "无条件共享", "Unconditional"),
    ("cat.share.conditional", "有条件共享", "Conditional"),
    ("cat.share.not_shared", "不予共享", "Not shared"),
    ("cat.open.unconditional", "无条件开放", "Unconditional"),
    ("cat.open.conditional", "有条件开放", "Restricted"),
    ("cat.open.not_open", "不予开放", "Not open"),
    ("cat.import", "导入目录表格", "Import a catalog spreadsheet"),
    (
        "cat.import_hint",
        "编制指南模板（XLSX 或 UTF-8 CSV），每个信息项一行，相同信息资源代码的行组成一条目录；可附加“安全级别、重要程度、是否关键标识”三列。",
        "The guide's template (XLSX or UTF-8 CSV), one row per data item; rows with the same code form one entry; the columns 安全级别, 重要程度, 是否关键标识 may follow.",
    ),
    ("cat.dry_run", "仅检查，不导入", "Check only, import nothing"),
    ("cat.all_or_nothing", "有任何错误则全部不导入", "Import nothing if any entry is rejected"),
    ("cat.publish", "直接发布（已审定的目录）", "Publish at once (an approved catalog)"),
    ("cat.report", "导入结果", "Import report"),
    ("cat.ok", "条通过", "entries accepted"),
    ("cat.rejected", "条未通过", "entries rejected"),
    ("cat.written", "已写入", "written"),
    ("cat.not_written", "未写入", "nothing written"),
    ("cat.export", "导出目录", "Export the catalog"),
    ("cat.basis_changed_on", "依据或职责变化日期", "Basis changed on"),
    (
        "cat.basis_hint",
        "法律依据或职责发生变化的日期；超过政策配置的期限提交的，将标记为逾期报送。",
        "The day the legal basis or duties changed; filing after the profile's limit is flagged as late.",
    ),
    ("cat.retire", "申请撤销目录（保留历史）", "File retirement (history kept)"),
    ("cat.late_filing", "逾期报送", "Filed late"),
    ("cat.emergency", "应急调整（到期自动恢复）", "Emergency adjustment (reverts by itself)"),
    ("cat.emergency_start", "开始应急调整", "Start the adjustment"),
    ("cat.until", "截止日期（含当日）", "Last day"),
    ("cat.kind.initial", "首次发布", "First publication"),
    ("cat.kind.change", "变更", "Change"),
    ("cat.kind.retire", "撤销", "Retirement"),
    ("portal.title", "开放、共享、可信的城市公共数据", "Open, shared and trusted city data"),
    (
        "portal.lead",
        "汇聚全市公共数据目录，依法共享、有序开放。",
        "One catalog of the city's public data, shared by law and opened in order.",
    ),
    (
        "portal.catalog",
        "数据目录建设中，即将开放检索。",
        "The open catalog is being compiled and will be searchable soon.",
    ),
    ("portal.stats.orgs", "接入机构", "Organizations"),
    ("portal.stats.regions", "区划节点", "Region nodes"),
    ("login.title", "登录", "Sign in"),
    ("login.username", "用户名", "Username"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    ("login.failed", "用户名或密码错误", "Wrong username or password"),
    ("console.title", "工作台", "Console"),
    ("console.welcome", "欢迎", "Welcome"),
    ("console.roles", "您的角色", "Your roles"),
    ("console.org", "所属机构", "Organization"),
    ("orgs.title", "组织机构", "Organizations"),
    ("orgs.new", "新增机构", "New organization"),
    ("field.name", "名称", "Name"),
    ("field.credit_code", "统一社会信用代码", "Unified social credit code"),
    ("field.kind", "机构类型", "Kind"),
    ("field.region", "行政区划", "Region"),
    ("field.parent", "上级机构", "Parent"),
    ("field.none", "（无）", "(none)"),
    ("field.duty", "职责", "Duty"),
    ("field.phone", "电话", "Phone"),
    ("field.email", "电子邮件", "E-mail"),
    ("field.username", "用户名", "Username"),
    ("field.display_name", "姓名", "Full name"),
    ("field.password", "初始密码", "Initial password"),
    ("field.new_password", "新密码", "New password"),
    ("field.roles", "角色", "Roles"),
    ("field.role", "角色", "Role"),
    ("field.org", "所属机构", "Organization"),
    ("field.created", "创建时间", "Created"),
    ("field.expires", "到期", "Expires"),
    ("field.expires_days", "有效天数（留空为不过期）", "Valid for days (empty: no expiry)"),
    ("field.status", "状态", "Status"),
    ("field.actions", "操作", "Actions"),
    (
        "hint.credit_code",
        "18位，按 GB 32100 校验；社会主体可留空",
        "18 characters, checked per GB 32100; optional for social entities",
    ),
    ("hint.password", "至少10个字符", "At least 10 characters"),
    ("action.create", "创建", "Create"),
    ("action.add", "添加", "Add"),
    ("action.remove", "移除", "Remove"),
    ("action.grant", "授予", "Grant"),
    ("action.revoke", "撤销", "Revoke"),
    ("action.save", "保存", "Save"),
    ("action.filter", "筛选", "Filter"),
    ("action.older", "更早的记录", "Older entries"),
    ("people.title", "数据工作人员（专人专岗）", "People responsible for data work"),
    ("people.add", "登记人员", "Register a person"),
    ("people.none", "尚未登记数据工作人员", "No one registered yet"),
    ("users.title", "账号与角色", "Accounts & roles"),
    ("users.new", "新建账号", "New account"),
    ("users.password", "重置密码", "Reset password"),
    ("tokens.title", "API 令牌", "API tokens"),
    ("tokens.new", "新建令牌", "New token"),
    ("tokens.shown_once", "请立即复制此令牌，它只显示这一次：", "Copy this token now; it is shown only once:"),
    ("tokens.live", "有效", "Active"),
    ("tokens.revoked", "已撤销", "Revoked"),
    ("tokens.expired", "已过期", "Expired"),
    ("audit.title", "审计日志", "Audit log"),
    ("audit.verify_ok", "哈希链完整：已校验", "Hash chain intact: verified"),
    ("audit.verify_bad", "哈希链被破坏：", "Hash chain broken: "),
    ("audit.entries", "条记录", "entries"),
    ("audit.seq", "序号", "Seq"),
    ("audit.time", "时间（北京时间）", "Time (CST)"),
    ("audit.actor", "操作者", "Actor"),
    ("audit.action", "操作", "Action"),
    ("audit.object", "对象", "Object"),
    ("audit.outcome", "结果", "Outcome"),
    ("audit.request", "请求编号", "Request id"),
    ("error.title", "出错了", "Something went wrong"),
    ("error.back", "返回", "Back"),
    ("saved", "已保存", "Saved"),
];

/// The text for `key` in `lang`; an unknown key shows itself, so a gap is visible.
pub fn text(lang: Lang, key: &str) -> String {
    match TEXTS.iter().find(|(k, _, _)| *k == key) {
        Some((_, zh, en)) => lang.pick(zh, en).to_string(),
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_are_filled() {
        let mut keys: Vec<&str> = TEXTS.iter().map(|t| t.0).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "duplicate i18n key");
        assert!(TEXTS.iter().all(|(_, zh, en)| !zh.is_empty() && !en.is_empty()));
        assert_eq!(text(Lang::En, "nav.login"), "Sign in");
        assert_eq!(text(Lang::Zh, "nav.login"), "登录");
        assert_eq!(text(Lang::Zh, "no.such.key"), "no.such.key");
    }
}
