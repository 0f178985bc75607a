//! The content of a catalog entry version (CAT-1) and its rules (CAT-4, CAT-5, CAT-8,
//! CAT-9). Forms, the API and the spreadsheet import all build a [`NewEntry`] and call
//! [`NewEntry::validate`], which reports every problem at once.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{CatalogError, ItemRef};
use super::field::Field;
use super::grade::check_open_against_grade;
use super::metadata::{Category, DataLength, Format, ResourceCode};
use super::vocab::{DataType, Grade, OpenType, ShareMethod, ShareType, UpdateCycle};
use crate::uscc::CreditCode;

const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 2000;
const MAX_ITEM_NAME: usize = 100;
const MAX_ITEM_DESCRIPTION: usize = 500;
const MAX_SHORT: usize = 50;

/// 信息资源提供方 and its code, which is its unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub name: String,
    pub code: CreditCode,
}

/// One data item (信息项) of a structured resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataItem {
    pub name: String,
    pub data_type: DataType,
    pub length: Option<DataLength>,
    /// May be empty: the guide's template has no column for it.
    pub description: String,
    /// Whether the item identifies a record (关键标识, e.g. the citizen ID number).
    pub key_identifier: bool,
    /// The item's own security level; `None` means the entry's grade.
    pub grade: Option<Grade>,
}

/// 共享属性 (CAT-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub share_type: ShareType,
    /// 共享条件: required for conditional sharing, empty otherwise.
    pub conditions: String,
    /// Why the data is shared only conditionally or not at all.
    pub reason: String,
    /// The law, regulation or policy that allows the limit.
    pub legal_basis: String,
    /// 共享方式: required unless the data is not shared.
    pub method: Option<ShareMethod>,
}

/// 开放属性 (CAT-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Open {
    pub open_type: OpenType,
    /// 开放条件: required for conditional opening, empty otherwise.
    pub conditions: String,
    /// Required for data that is not open; may be given for conditional opening.
    pub legal_basis: String,
}

/// The content of one version of a catalog entry: every core metadata element of the
/// national compilation guide plus the grade (CAT-1, CAT-8). Typed fields are parsed
/// already; [`NewEntry::validate`] checks text fields and the rules across fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEntry {
    pub code: ResourceCode,
    pub name: String,
    pub summary: String,
    pub provider: Provider,
    pub category: Category,
    pub format: Format,
    pub items: Vec<DataItem>,
    pub share: Share,
    pub open: Open,
    /// 分类分级 of the entry. A draft may be ungraded (the guide's template has no
    /// column for it); [`NewEntry::check_ready_for_review`] requires it.
    pub grade: Option<Grade>,
    pub update_cycle: UpdateCycle,
    /// 发布日期; `None` until the provider has published.
    pub published_on: Option<NaiveDate>,
    /// 关联资源代码. That they exist is the storage's check.
    pub related: Vec<ResourceCode>,
}

/// Collects the problems of one entry.
struct Problems(Vec<CatalogError>);

impl Problems {
    fn text(&mut self, field: Field, item: Option<&ItemRef>, value: &str, required: bool, max: usize) {
        let item = item.cloned();
        if value.trim().is_empty() {
            if required {
                self.0.push(CatalogError::Missing { field, item });
            }
        } else if value.trim().chars().count() > max {
            self.0.push(CatalogError::TooLong { field, item, max });
        }
    }

    fn push(&mut self, error: CatalogError) {
        self.0.push(error);
    }
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl NewEntry {
    /// Checks every rule and returns all problems, in field order.
    ///
    /// - CAT-1: name, summary and provider name are required and bounded; a structured
    ///   format (database, spreadsheet) has at least one data item; item names are unique.
    /// - CAT-4: see [`Share`]: conditional needs conditions, a reason and a legal basis;
    ///   not shared needs a reason and a legal basis and has no method; unconditional has
    ///   no conditions and needs a method. The method must fit the format class.
    /// - CAT-5: conditional opening needs conditions; not open needs a legal basis.
    ///   Data is never more open to society than it is shared between public bodies
    ///   (an assumption: the sources are silent, but the opposite would be absurd).
    /// - CAT-8: the entry's grade is at least each item's ("highest wins"), and limits the
    ///   open attribute (see [`super::grade`]).
    /// - Related codes do not repeat and do not name the entry itself.
    pub fn validate(&self) -> Result<(), Vec<CatalogError>> {
        let mut p = Problems(Vec::new());
        p.text(Field::Name, None, &self.name, true, MAX_NAME);
        p.text(Field::Summary, None, &self.summary, true, MAX_TEXT);
        p.text(Field::ProviderName, None, &self.provider.name, true, MAX_NAME);
        if let Some(group) = self.category.group() {
            p.text(Field::Category, None, group, true, MAX_SHORT);
        }
        p.text(Field::Format, None, &self.format.kind, true, MAX_SHORT);
        self.check_items(&mut p);
        self.check_share(&mut p);
        self.check_open(&mut p);
        self.check_grade(&mut p);
        self.check_related(&mut p);
        if p.0.is_empty() { Ok(()) } else { Err(p.0) }
    }

    /// [`NewEntry::validate`] plus what review needs beyond a draft: a grade.
    pub fn check_ready_for_review(&self) -> Result<(), Vec<CatalogError>> {
        let mut problems = self.validate().err().unwrap_or_default();
        if self.grade.is_none() {
            problems.push(CatalogError::GradeRequired);
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// The lowest grade the entry may have: the highest of its items' (就高从严).
    pub fn minimum_grade(&self) -> Option<Grade> {
        self.items.iter().filter_map(|i| i.grade).max()
    }

    fn item_ref(&self, index: usize) -> ItemRef {
        let name = self.items.get(index).map(|i| i.name.trim().to_string()).unwrap_or_default();
        ItemRef { position: index + 1, name }
    }

    fn check_items(&self, p: &mut Problems) {
        if self.items.is_empty() && self.format.class.is_structured() {
            p.push(CatalogError::ItemsRequired { format_class: self.format.class });
        }
        let mut seen = HashSet::new();
        for (index, item) in self.items.iter().enumerate() {
            let r = self.item_ref(index);
            p.text(Field::ItemName, Some(&r), &item.name, true, MAX_ITEM_NAME);
            p.text(Field::ItemDescription, Some(&r), &item.description, false, MAX_ITEM_DESCRIPTION);
            if item.length.is_some_and(|l| l.scale.is_some()) && !item.data_type.allows_scale() {
                p.push(CatalogError::DataLengthScaleNotAllowed { item: r.clone(), data_type: item.data_type });
            }
            if !blank(&item.name) && !seen.insert(item.name.trim()) {
                p.push(CatalogError::DuplicateItemName { item: r });
            }
        }
    }

    fn check_share(&self, p: &mut Problems) {
        let s = &self.share;
        let t = s.share_type;
        p.text(Field::ShareConditions, None, &s.conditions, false, MAX_TEXT);
        p.text(Field::ShareReason, None, &s.reason, false, MAX_TEXT);
        p.text(Field::ShareLegalBasis, None, &s.legal_basis, false, MAX_TEXT);
        match t {
            ShareType::Unconditional if !blank(&s.conditions) => {
                p.push(CatalogError::ShareConditionsNotAllowed { share_type: t })
            }
            ShareType::Conditional if blank(&s.conditions) => p.push(CatalogError::ShareConditionsRequired),
            ShareType::NotShared if !blank(&s.conditions) => {
                p.push(CatalogError::ShareConditionsNotAllowed { share_type: t })
            }
            _ => {}
        }
        if t != ShareType::Unconditional {
            if blank(&s.reason) {
                p.push(CatalogError::ShareReasonRequired { share_type: t });
            }
            if blank(&s.legal_basis) {
                p.push(CatalogError::ShareLegalBasisRequired { share_type: t });
            }
        }
        match (t, s.method) {
            (ShareType::NotShared, Some(_)) => p.push(CatalogError::ShareMethodNotAllowed),
            (ShareType::NotShared, None) => {}
            (_, None) => p.push(CatalogError::ShareMethodRequired { share_type: t }),
            (_, Some(method)) if !self.format.class.allows_method(method) => {
                p.push(CatalogError::FormatMethodMismatch { format_class: self.format.class, method })
            }
            (_, Some(_)) => {}
        }
    }

    fn check_open(&self, p: &mut Problems) {
        let o = &self.open;
        p.text(Field::OpenConditions, None, &o.conditions, false, MAX_TEXT);
        p.text(Field::OpenLegalBasis, None, &o.legal_basis, false, MAX_TEXT);
        match o.open_type {
            OpenType::Conditional if blank(&o.conditions) => p.push(CatalogError::OpenConditionsRequired),
            OpenType::Unconditional | OpenType::NotOpen if !blank(&o.conditions) => {
                p.push(CatalogError::OpenConditionsNotAllowed { open_type: o.open_type })
            }
            _ => {}
        }
        if o.open_type == OpenType::NotOpen && blank(&o.legal_basis) {
            p.push(CatalogError::OpenLegalBasisRequired);
        }
        if o.open_type.openness() > self.share.share_type.openness() {
            p.push(CatalogError::OpenExceedsShare { open_type: o.open_type, share_type: self.share.share_type });
        }
    }

    fn check_grade(&self, p: &mut Problems) {
        let Some(entry_grade) = self.grade else { return };
        for (index, item) in self.items.iter().enumerate() {
            if let Some(item_grade) = item.grade.filter(|g| *g > entry_grade) {
                p.push(CatalogError::GradeBelowItem { item: self.item_ref(index), item_grade, entry_grade });
            }
        }
        if let Err(e) = check_open_against_grade(entry_grade, self.open.open_type) {
            p.push(e);
        }
    }

    fn check_related(&self, p: &mut Problems) {
        let mut seen = HashSet::new();
        for code in &self.related {
            if *code == self.code {
                p.push(CatalogError::RelatedCodeIsSelf { code: code.to_string() });
            } else if !seen.insert(code) {
                p.push(CatalogError::DuplicateRelatedCode { code: code.to_string() });
            }
        }
    }
}

#[cfg(test)]
mod tests;
