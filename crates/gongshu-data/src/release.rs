//! Release rules (OPN-6, SEC-3): how each data item's values may leave the platform.
//! One component decides and applies them, so every path that lets data out (page
//! preview, downloads, APIs) uses the same code: keep, mask (e.g. a citizen ID to its
//! first 6 and last 4 characters), pseudonymize (a keyed HMAC, the key held by the
//! platform), generalize (a date to its year or month, an address to its district, an
//! age to a 5-year band), or suppress.
//!
//! The default comes from the item's level and kind; a provider may override it per
//! item. GB/T 37964-2019's techniques are the model (reference facts, section 3).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::schema::{ItemSpec, ItemType};

/// How a generalized value is coarsened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Generalize {
    /// `2024-03-01` → `2024`.
    Year,
    /// `2024-03-01` → `2024-03`.
    Month,
    /// `威海市环翠区新威路12号` → `威海市环翠区`.
    District,
    /// `37` → `35-39`.
    AgeBand,
}

/// The rule of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "how")]
pub enum Release {
    Keep,
    Mask,
    Pseudonymize,
    Generalize(Generalize),
    Suppress,
}

/// The item's level as the catalog grades it: general 1–4, important, core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    General(u8),
    Important,
    Core,
}

/// The default rule of an item: core, important and level-4 data is suppressed; personal
/// identifiers are masked, names masked, birth dates cut to the year, addresses to the
/// district, ages to 5-year bands; level-3 text is pseudonymized; the rest is kept.
pub fn default_rule(item: &ItemSpec, level: Level) -> Release {
    let n = item.name.as_str();
    match level {
        Level::Core | Level::Important | Level::General(4..) => return Release::Suppress,
        _ => {}
    }
    match item.item_type {
        ItemType::CitizenId | ItemType::Phone => return Release::Mask,
        ItemType::Uscc | ItemType::RegionCode => return Release::Keep,
        _ => {}
    }
    if n.contains("姓名") {
        Release::Mask
    } else if n.contains("出生") && matches!(item.item_type, ItemType::Date | ItemType::Datetime) {
        Release::Generalize(Generalize::Year)
    } else if n.contains("地址") || n.contains("住址") || n.contains("住所") {
        Release::Generalize(Generalize::District)
    } else if n.contains("年龄") {
        Release::Generalize(Generalize::AgeBand)
    } else if level == Level::General(3) && item.item_type == ItemType::Text {
        Release::Pseudonymize
    } else {
        Release::Keep
    }
}

fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        // Names: the surname stays.
        2..=4 => format!("{}{}", chars[0], "*".repeat(chars.len() - 1)),
        5..=10 => format!("{}{}{}", chars[0], "*".repeat(chars.len() - 2), chars[chars.len() - 1]),
        // Numbers: the first 6 (region) and the last 4 stay; phones keep 3 and 4.
        11 => format!("{}****{}", chars[..3].iter().collect::<String>(), chars[7..].iter().collect::<String>()),
        n => format!(
            "{}{}{}",
            chars[..6].iter().collect::<String>(),
            "*".repeat(n - 10),
            chars[n - 4..].iter().collect::<String>()
        ),
    }
}

fn pseudonym(value: &str, key: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    mac.update(value.as_bytes());
    let out = mac.finalize().into_bytes();
    out.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

fn district(value: &str) -> String {
    // Up to the first county-level unit: 区, 县, or a county-level 市 after the city's 市.
    let mut end = None;
    let mut seen_city = false;
    for (i, c) in value.char_indices() {
        match c {
            '区' | '县' | '旗' => {
                end = Some(i + c.len_utf8());
                break;
            }
            '市' if seen_city => {
                end = Some(i + c.len_utf8());
                break;
            }
            '市' => seen_city = true,
            _ => {}
        }
    }
    match end {
        Some(e) => value[..e].to_string(),
        None => String::new(),
    }
}

fn generalize(value: &str, how: Generalize) -> String {
    match how {
        Generalize::Year => {
            value.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit())).unwrap_or_default().to_string()
        }
        Generalize::Month => match (value.get(..4), value.get(5..7)) {
            (Some(y), Some(m)) if y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) => format!("{y}-{m}"),
            _ => String::new(),
        },
        Generalize::District => district(value),
        Generalize::AgeBand => match value.trim().parse::<u32>() {
            Ok(age) => {
                let low = age / 5 * 5;
                format!("{low}-{}", low + 4)
            }
            Err(_) => String::new(),
        },
    }
}

/// A value as it may leave the platform; `None` when the item is suppressed. Empty
/// values stay empty.
pub fn apply(rule: Release, value: &str, key: &[u8]) -> Option<String> {
    if value.is_empty() {
        return (rule != Release::Suppress).then(String::new);
    }
    match rule {
        Release::Keep => Some(value.to_string()),
        Release::Mask => Some(mask(value)),
        Release::Pseudonymize => Some(pseudonym(value, key)),
        Release::Generalize(how) => Some(generalize(value, how)),
        Release::Suppress => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, t: ItemType) -> ItemSpec {
        ItemSpec { name: name.into(), item_type: t, required: false, max_len: None, key: false }
    }

    #[test]
    fn opn_6_default_rules_follow_level_and_kind() {
        use ItemType::*;
        let g1 = Level::General(1);
        assert_eq!(default_rule(&spec("公民身份号码", CitizenId), g1), Release::Mask);
        assert_eq!(default_rule(&spec("联系电话", Phone), g1), Release::Mask);
        assert_eq!(default_rule(&spec("姓名", Text), g1), Release::Mask);
        assert_eq!(default_rule(&spec("出生日期", Date), g1), Release::Generalize(Generalize::Year));
        assert_eq!(default_rule(&spec("居住地址", Text), g1), Release::Generalize(Generalize::District));
        assert_eq!(default_rule(&spec("年龄", Integer), g1), Release::Generalize(Generalize::AgeBand));
        assert_eq!(default_rule(&spec("统一社会信用代码", Uscc), g1), Release::Keep);
        assert_eq!(default_rule(&spec("站点名称", Text), g1), Release::Keep);
        assert_eq!(default_rule(&spec("备注", Text), Level::General(3)), Release::Pseudonymize);
        for high in [Level::General(4), Level::Important, Level::Core] {
            assert_eq!(default_rule(&spec("站点名称", Text), high), Release::Suppress);
        }
    }

    #[test]
    fn opn_6_rules_transform_values() {
        let key = b"platform-key";
        assert_eq!(apply(Release::Mask, "11010519491231002X", key).as_deref(), Some("110105********002X"));
        assert_eq!(apply(Release::Mask, "13812345678", key).as_deref(), Some("138****5678"));
        assert_eq!(apply(Release::Mask, "王芳", key).as_deref(), Some("王*"));
        assert_eq!(apply(Release::Mask, "欧阳建国", key).as_deref(), Some("欧***"));
        assert_eq!(apply(Release::Generalize(Generalize::Year), "1980-05-17", key).as_deref(), Some("1980"));
        assert_eq!(apply(Release::Generalize(Generalize::Month), "1980-05-17", key).as_deref(), Some("1980-05"));
        assert_eq!(
            apply(Release::Generalize(Generalize::District), "威海市环翠区新威路12号", key).as_deref(),
            Some("威海市环翠区")
        );
        assert_eq!(
            apply(Release::Generalize(Generalize::District), "威海市荣成市石岛镇", key).as_deref(),
            Some("威海市荣成市")
        );
        assert_eq!(apply(Release::Generalize(Generalize::AgeBand), "37", key).as_deref(), Some("35-39"));
        assert_eq!(apply(Release::Suppress, "x", key), None);
        assert_eq!(apply(Release::Keep, "x", key).as_deref(), Some("x"));
        assert_eq!(apply(Release::Mask, "", key).as_deref(), Some(""));
        let a = apply(Release::Pseudonymize, "张三", key);
        assert_eq!(a, apply(Release::Pseudonymize, "张三", key), "the same value, the same pseudonym");
        assert_ne!(a, apply(Release::Pseudonymize, "李四", key));
        assert_ne!(a, apply(Release::Pseudonymize, "张三", b"another-key"), "keyed");
        assert_eq!(a.map(|p| p.len()), Some(24));
    }

    #[test]
    fn opn_6_rules_round_trip_as_json() {
        let r = Release::Generalize(Generalize::District);
        let json = serde_json::to_string(&r).unwrap_or_default();
        assert_eq!(json, r#"{"rule":"generalize","how":"district"}"#);
        assert_eq!(serde_json::from_str::<Release>(&json).ok(), Some(r));
        assert_eq!(serde_json::from_str::<Release>(r#"{"rule":"mask"}"#).ok(), Some(Release::Mask));
    }
}
