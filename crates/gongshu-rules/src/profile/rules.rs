//! A flat, uniform view of a profile's rules, and its rendering as a Markdown table.

use serde::Serialize;

use super::types::{Basis, Profile, Rating, Step};

/// One rule of a profile: what it is, its value, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The key path in the TOML file, e.g. `sharing.conditional_review[1]`.
    pub key: String,
    /// The requirement it serves, e.g. `SHR-2`.
    pub requirement: &'static str,
    pub label_en: String,
    pub label_zh: String,
    /// The value in words, e.g. `10 working days`.
    pub value: String,
    pub source: String,
    pub basis: Basis,
    pub note: Option<String>,
}

fn days(n: u32) -> String {
    if n == 1 { "1 working day".to_string() } else { format!("{n} working days") }
}

fn rating(r: Option<Rating>) -> String {
    r.map_or_else(|| "-".to_string(), |r| format!("{r:?}"))
}

struct Rows(Vec<Rule>);

impl Rows {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        key: String,
        requirement: &'static str,
        label: (String, String),
        value: String,
        source: &str,
        basis: Basis,
        note: Option<&String>,
    ) {
        let (label_en, label_zh) = label;
        let (source, note) = (source.to_string(), note.cloned());
        self.0.push(Rule { key, requirement, label_en, label_zh, value, source, basis, note });
    }

    fn steps(&mut self, key: &str, requirement: &'static str, what: (&str, &str), steps: &[Step]) {
        for (i, s) in steps.iter().enumerate() {
            let label = (
                format!("{}: step {} {} by {}", what.0, i + 1, s.stage.label_en(), s.reviewer.label_en()),
                format!("{}：第 {} 步 {}{}", what.1, i + 1, s.reviewer.label_zh(), s.stage.label_zh()),
            );
            let value = days(s.working_days);
            self.push(format!("{key}[{i}]"), requirement, label, value, &s.source, s.basis, s.note.as_ref());
        }
    }
}

fn l(en: &str, zh: &str) -> (String, String) {
    (en.to_string(), zh.to_string())
}

impl Profile {
    /// Every rule of the profile, in file order.
    pub fn rules(&self) -> Vec<Rule> {
        let mut r = Rows(Vec::new());
        let c = &self.catalog;
        let f = &c.change_filing;
        let label = l("catalog change filed after a change of basis", "依据变化后提交目录变更申请");
        r.push(
            "catalog.change_filing".into(),
            "CAT-3",
            label,
            days(f.working_days),
            &f.source,
            f.basis,
            f.note.as_ref(),
        );
        r.steps("catalog.change_review", "CAT-3", ("catalog change", "目录变更"), &c.change_review);
        let f = &c.city_consent_for_deletion;
        let value = if f.value { "required" } else { "not required" }.to_string();
        let label = l(
            "deleting or modifying an entry needs the city authority's consent",
            "删减、修改目录须经市级主管部门同意",
        );
        r.push("catalog.city_consent_for_deletion".into(), "CAT-3", label, value, &f.source, f.basis, f.note.as_ref());
        if let Some(f) = &c.city_consent_review {
            let label =
                l("city authority's consent to a deletion or modification", "市级主管部门对删减、修改目录的同意");
            r.push(
                "catalog.city_consent_review".into(),
                "CAT-3",
                label,
                days(f.working_days),
                &f.source,
                f.basis,
                f.note.as_ref(),
            );
        }
        let a = &c.not_shared_approval;
        let en: Vec<&str> = a.approvers.iter().map(|x| x.label_en()).collect();
        let label = l("listing an entry as not shared is approved by", "列入不予共享类的审批");
        r.push(
            "catalog.not_shared_approval".into(),
            "CAT-4",
            label,
            en.join(", then "),
            &a.source,
            a.basis,
            a.note.as_ref(),
        );
        let p = &c.conditional_reevaluation;
        let label = l("conditional entries re-evaluated every", "有条件类数据定期评估周期");
        r.push(
            "catalog.conditional_reevaluation".into(),
            "CAT-6",
            label,
            format!("{} months", p.months),
            &p.source,
            p.basis,
            p.note.as_ref(),
        );

        let s = &self.sharing;
        r.steps(
            "sharing.conditional_review",
            "SHR-2",
            ("conditional share request", "有条件共享申请"),
            &s.conditional_review,
        );
        let q = &s.provider_silence;
        let value = format!("{:?}", q.outcome).to_lowercase();
        let label = l("provider does not answer in time", "提供部门逾期未答复");
        r.push("sharing.provider_silence".into(), "SHR-2", label, value, &q.source, q.basis, q.note.as_ref());

        let o = &self.opening;
        r.steps(
            "opening.restricted_review",
            "OPN-3",
            ("restricted open application", "受限开放申请"),
            &o.restricted_review,
        );
        if let Some(q) = &o.quarterly_cutoffs {
            let dates: Vec<String> = q.dates.iter().map(ToString::to_string).collect();
            let label = l("provider review rounds end by", "需求审核季度截止日");
            r.push(
                "opening.quarterly_cutoffs".into(),
                "OPN-3",
                label,
                dates.join(", "),
                &q.source,
                q.basis,
                q.note.as_ref(),
            );
        }
        let f = &o.demand_answer;
        let label = l("open data demand / objection / suggestion answered", "开放需求、异议、建议的处理反馈");
        r.push(
            "opening.demand_answer".into(),
            "OPN-7",
            label,
            days(f.working_days),
            &f.source,
            f.basis,
            f.note.as_ref(),
        );
        if let Some(p) = &o.product_publication {
            let label = l("product published after restricted data obtained", "获取受限数据后发布数据产品");
            r.push(
                "opening.product_publication".into(),
                "OPN-10",
                label,
                format!("{} months", p.months),
                &p.source,
                p.basis,
                p.note.as_ref(),
            );
        }
        let d = &o.attribute_downgrade;
        let value = format!("authority's {:?}", d.control).to_lowercase();
        let label = l("making data less open needs", "降低开放属性的前提");
        r.push("opening.attribute_downgrade".into(), "CAT-6", label, value, &d.source, d.basis, d.note.as_ref());
        let u = &o.user_rating;
        let value = if u.applies {
            format!(
                "A / AA / AAA; restricted data from {}, sandbox from {}, 等保 level >= {}",
                rating(u.restricted_min),
                rating(u.sandbox_min),
                u.min_protection_level.map_or_else(|| "-".to_string(), |n| n.to_string())
            )
        } else {
            "no rating".to_string()
        };
        let label = l("data users rated A / AA / AAA", "数据利用主体 A/AA/AAA 评级");
        r.push("opening.user_rating".into(), "ORG-4", label, value, &u.source, u.basis, u.note.as_ref());

        let f = &self.quality.correction_ticket;
        let label = l("provider fixes a reported data error", "提供部门处理数据纠错工单");
        r.push(
            "quality.correction_ticket".into(),
            "AGG-4",
            label,
            days(f.working_days),
            &f.source,
            f.basis,
            f.note.as_ref(),
        );
        if let Some(p) = &self.planning.annual_demand_plan {
            let update = if p.monthly_update { ", updated monthly" } else { "" };
            let label = l("annual data demand plan due", "年度数据需求计划报送");
            let value = format!("every year by {}{update}", p.due);
            r.push("planning.annual_demand_plan".into(), "AGG-8", label, value, &p.source, p.basis, p.note.as_ref());
        }
        r.0
    }

    /// The profile as a Markdown section: a heading and a table of rule, value, source
    /// article and note. Defaults are marked in the note column.
    pub fn to_markdown(&self) -> String {
        let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
        let mut out = format!(
            "## {} ({}, `{}`)\n\n{} ({})\n\n| rule | value | source | note |\n|---|---|---|---|\n",
            self.city_en, self.city_zh, self.name, self.regulation.title_zh, self.regulation.year
        );
        for rule in self.rules() {
            let note = match (rule.basis, &rule.note) {
                (Basis::Stated, Some(n)) => n.clone(),
                (Basis::Stated, None) => String::new(),
                (Basis::Promptly, n) => format!("default (the text says \"promptly\"): {}", n.as_deref().unwrap_or("")),
                (Basis::Periodically, n) => {
                    format!("default (the text says \"periodically\"): {}", n.as_deref().unwrap_or(""))
                }
                (Basis::Silent, n) => format!("default (the text is silent): {}", n.as_deref().unwrap_or("")),
            };
            out.push_str(&format!(
                "| {} ({}) | {} | {} | {} |\n",
                cell(&rule.label_en),
                rule.requirement,
                cell(&rule.value),
                cell(&rule.source),
                cell(&note)
            ));
        }
        out
    }
}
