//! What a load is checked against: the entry's data items as typed columns (AGG-2).

use std::fmt;

use arrow_schema::{DataType, Field, Schema, TimeUnit};
use gongshu_domain::catalog::{DataType as ItemDataType, NewEntry};
use serde::Serialize;

use crate::DataError;

/// The type a column's values must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemType {
    Text,
    Integer,
    Decimal,
    Date,
    Datetime,
    Boolean,
    /// 18-character citizen ID number (GB 11643).
    CitizenId,
    /// Unified social credit code (GB 32100).
    Uscc,
    /// A mainland mobile or fixed-line number.
    Phone,
    /// A six-digit administrative division code (GB/T 2260).
    RegionCode,
}

impl ItemType {
    pub const ALL: [ItemType; 10] = [
        ItemType::Text,
        ItemType::Integer,
        ItemType::Decimal,
        ItemType::Date,
        ItemType::Datetime,
        ItemType::Boolean,
        ItemType::CitizenId,
        ItemType::Uscc,
        ItemType::Phone,
        ItemType::RegionCode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemType::Text => "text",
            ItemType::Integer => "integer",
            ItemType::Decimal => "decimal",
            ItemType::Date => "date",
            ItemType::Datetime => "datetime",
            ItemType::Boolean => "boolean",
            ItemType::CitizenId => "citizen_id",
            ItemType::Uscc => "uscc",
            ItemType::Phone => "phone",
            ItemType::RegionCode => "region_code",
        }
    }

    pub fn parse(s: &str) -> Option<ItemType> {
        ItemType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The Arrow type of the column in the stored version.
    pub fn arrow_type(self) -> DataType {
        match self {
            ItemType::Integer => DataType::Int64,
            ItemType::Decimal => DataType::Float64,
            ItemType::Date => DataType::Date32,
            ItemType::Datetime => DataType::Timestamp(TimeUnit::Microsecond, Some("+08:00".into())),
            ItemType::Boolean => DataType::Boolean,
            _ => DataType::Utf8,
        }
    }

    /// Whether values of this type identify a subject (for uniqueness and the
    /// cross-source consistency check).
    pub fn is_identifier(self) -> bool {
        matches!(self, ItemType::CitizenId | ItemType::Uscc)
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One column: its name (the data item's name, matched to the file's header), type,
/// whether a value is required, and the longest value allowed (characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub item_type: ItemType,
    pub required: bool,
    pub max_len: Option<u32>,
    /// The entry's key identifier (关键标识): checked for uniqueness.
    pub key: bool,
}

impl ItemSpec {
    /// Parses `NAME:TYPE[:required]`, as `gongshu data check --item` takes it.
    pub fn parse(spec: &str) -> Result<ItemSpec, DataError> {
        let bad = |reason: &str| DataError::BadItemSpec { spec: spec.to_string(), reason: reason.to_string() };
        let mut parts = spec.rsplitn(3, ':').collect::<Vec<_>>();
        parts.reverse();
        let joined;
        let (name, ty, required) = match parts.as_slice() {
            [name, ty] => (*name, *ty, false),
            [name, ty, "required"] => (*name, *ty, true),
            // A name with a colon in it: NAME:WITH:COLON:TYPE.
            [a, b, ty] if ItemType::parse(ty).is_some() => {
                joined = format!("{a}:{b}");
                (joined.as_str(), *ty, false)
            }
            [_, _, other] => return Err(bad(&format!("unknown flag {other:?}; the only flag is \"required\""))),
            _ => return Err(bad("expected NAME:TYPE or NAME:TYPE:required")),
        };
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("the name is empty"));
        }
        let item_type = ItemType::parse(ty).ok_or_else(|| {
            let all: Vec<&str> = ItemType::ALL.iter().map(|t| t.as_str()).collect();
            bad(&format!("unknown type {ty:?}; expected one of {}", all.join(", ")))
        })?;
        Ok(ItemSpec { name: name.to_string(), item_type, required, max_len: None, key: item_type.is_identifier() })
    }

    /// The columns of an entry's data items. The catalog's data types give the column
    /// types; names give the identifier types the guide has no code for: a 公民身份号码
    /// / 身份证 item is a citizen ID, a 统一社会信用代码 item a credit code, 电话 /
    /// 手机 a phone number, 行政区划代码 a region code. Key identifiers are required,
    /// and so are the collection time and place of collected records (采集时间,
    /// 采集地点; WH-10).
    pub fn from_entry(entry: &NewEntry) -> Vec<ItemSpec> {
        entry
            .items
            .iter()
            .map(|item| {
                let n = item.name.as_str();
                let by_name = if n.contains("身份号码") || n.contains("身份证") {
                    Some(ItemType::CitizenId)
                } else if n.contains("统一社会信用代码") || n.contains("信用代码") {
                    Some(ItemType::Uscc)
                } else if n.contains("电话") || n.contains("手机") {
                    Some(ItemType::Phone)
                } else if n.contains("行政区划") || n.contains("区划代码") {
                    Some(ItemType::RegionCode)
                } else {
                    None
                };
                let by_type = match item.data_type {
                    ItemDataType::Integer => ItemType::Integer,
                    t if t.allows_scale() => ItemType::Decimal,
                    ItemDataType::Date => ItemType::Date,
                    ItemDataType::DateTime => ItemType::Datetime,
                    ItemDataType::Logical => ItemType::Boolean,
                    _ => ItemType::Text,
                };
                let item_type = match (by_name, by_type) {
                    (Some(t), ItemType::Text) => t,
                    (_, t) => t,
                };
                let collection = n.contains("采集时间") || n.contains("采集地点");
                let max_len = match item_type {
                    ItemType::Text => item.length.map(|l| l.total),
                    _ => None,
                };
                ItemSpec {
                    name: item.name.clone(),
                    item_type,
                    required: item.key_identifier || collection,
                    max_len,
                    key: item.key_identifier,
                }
            })
            .collect()
    }
}

/// The Arrow schema of a stored version: one nullable column per item.
pub fn arrow_schema(items: &[ItemSpec]) -> Schema {
    Schema::new(items.iter().map(|i| Field::new(&i.name, i.item_type.arrow_type(), true)).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agg_2_item_specs_parse_with_clear_errors() {
        let s = ItemSpec::parse("公民身份号码:citizen_id:required").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.name.as_str(), s.item_type, s.required, s.key),
            ("公民身份号码", ItemType::CitizenId, true, true)
        );
        let s = ItemSpec::parse("金额:decimal").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.item_type, s.required), (ItemType::Decimal, false));
        let s = ItemSpec::parse("时间:段:datetime").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((s.name.as_str(), s.item_type), ("时间:段", ItemType::Datetime));
        for bad in ["姓名", "姓名:txt", ":text", "姓名:text:optional", "a:b:c:d"] {
            let e = ItemSpec::parse(bad).err();
            assert!(matches!(e, Some(DataError::BadItemSpec { .. })), "{bad}: {e:?}");
        }
        for t in ItemType::ALL {
            assert_eq!(ItemType::parse(t.as_str()), Some(t));
        }
    }
}
