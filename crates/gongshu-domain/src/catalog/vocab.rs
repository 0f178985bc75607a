//! The closed code lists of the catalog, each with a stable key, a Chinese label (the
//! text of the guide's template) and an English label.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::CatalogError;

/// Declares a closed list: the enum, `ALL`, `as_str` (the stable key, also the serde
/// name), `label_zh`, `label_en`, and `parse`, which accepts the key (any case) or the
/// Chinese label. `Display` shows the Chinese label, as the template does.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $err:ident {
            $($(#[$vmeta:meta])* $variant:ident => ($key:literal, $zh:literal, $en:literal)),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            pub fn parse(input: &str) -> Result<Self, CatalogError> {
                let s = input.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.label_zh() == s || v.as_str().eq_ignore_ascii_case(s))
                    .ok_or_else(|| CatalogError::$err { value: s.to_string() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label_zh())
            }
        }
    };
}

vocabulary! {
    /// The base libraries (基础信息资源库), fixed groups of the base category (CAT-9).
    BaseLibrary, UnknownBaseLibrary {
        Population => ("population", "人口", "population"),
        LegalEntity => ("legal_entity", "法人", "legal entities"),
        NaturalResources => ("natural_resources", "自然资源和空间地理", "natural resources and geospatial"),
        ElectronicLicence => ("electronic_licence", "电子证照", "electronic licences"),
        SocialCredit => ("social_credit", "社会信用", "social credit"),
        MacroEconomy => ("macro_economy", "宏观经济", "macro economy"),
    }
}

vocabulary! {
    /// 格式分类 (guide table 1.5, plus 服务接口 which implementations add).
    FormatClass, UnknownFormatClass {
        ElectronicFile => ("electronic_file", "电子文件", "electronic file"),
        Spreadsheet => ("spreadsheet", "电子表格", "spreadsheet"),
        Database => ("database", "数据库", "database"),
        Image => ("image", "图形图像", "image"),
        StreamingMedia => ("streaming_media", "流媒体", "streaming media"),
        SelfDescribing => ("self_describing", "自描述格式", "self-describing format"),
        ServiceInterface => ("service_interface", "服务接口", "service interface"),
    }
}

impl FormatClass {
    /// The 格式类型 of the guide's dictionary for this class; any other non-empty type is
    /// accepted too (the dictionary itself ends with 其他).
    pub fn known_types(self) -> &'static [&'static str] {
        match self {
            FormatClass::ElectronicFile => &["OFD", "wps", "xml", "txt", "doc", "docx", "html", "pdf", "ppt", "其他"],
            FormatClass::Spreadsheet => &["et", "xls", "xlsx", "其他"],
            FormatClass::Database => &[
                "Dm",
                "KingbaseES",
                "access",
                "dbf",
                "dbase",
                "sysbase",
                "oracle",
                "sql server",
                "db2",
                "mysql",
                "其他",
            ],
            FormatClass::Image => &["jpg", "gif", "bmp", "其他"],
            FormatClass::StreamingMedia => &["swf", "rm", "mpg", "其他"],
            FormatClass::SelfDescribing | FormatClass::ServiceInterface => &["其他"],
        }
    }

    /// Structured resources describe their data items (信息项); the others may have none.
    pub fn is_structured(self) -> bool {
        matches!(self, FormatClass::Database | FormatClass::Spreadsheet)
    }

    /// The share methods that fit this class (guide §1.5: file-type resources are shared
    /// as files, databases as a database or an interface).
    pub fn allows_method(self, method: ShareMethod) -> bool {
        match self {
            FormatClass::Database => matches!(method, ShareMethod::Database | ShareMethod::Interface),
            FormatClass::ServiceInterface => method == ShareMethod::Interface,
            FormatClass::SelfDescribing => true,
            FormatClass::ElectronicFile
            | FormatClass::Spreadsheet
            | FormatClass::Image
            | FormatClass::StreamingMedia => method == ShareMethod::File,
        }
    }
}

vocabulary! {
    /// 数据类型 of a data item: the one-letter codes of the guide (table 1.6).
    DataType, UnknownDataType {
        Character => ("C", "字符型", "character"),
        Numeric => ("N", "数值型", "numeric"),
        Currency => ("Y", "货币型", "currency"),
        Date => ("D", "日期型", "date"),
        DateTime => ("T", "日期时间型", "date-time"),
        Logical => ("L", "逻辑型", "logical"),
        Memo => ("M", "备注型", "memo"),
        General => ("G", "通用型", "general"),
        Double => ("B", "双精度型", "double"),
        Integer => ("I", "整型", "integer"),
        Float => ("F", "浮点型", "float"),
    }
}

impl DataType {
    /// Whether a length may carry decimal places (`10,2`).
    pub fn allows_scale(self) -> bool {
        matches!(self, DataType::Numeric | DataType::Currency | DataType::Double | DataType::Float)
    }
}

vocabulary! {
    /// 共享类型 (CAT-4). Zhejiang calls the conditional kind 受限共享.
    ShareType, UnknownShareType {
        Unconditional => ("unconditional", "无条件共享", "unconditional sharing"),
        Conditional => ("conditional", "有条件共享", "conditional sharing"),
        NotShared => ("not_shared", "不予共享", "not shared"),
    }
}

impl ShareType {
    /// 2 for unconditional, 1 for conditional, 0 for not shared: higher is more open.
    pub fn openness(self) -> u8 {
        match self {
            ShareType::Unconditional => 2,
            ShareType::Conditional => 1,
            ShareType::NotShared => 0,
        }
    }
}

vocabulary! {
    /// 共享方式 through the sharing platform (guide table 1.7).
    ShareMethod, UnknownShareMethod {
        Interface => ("interface", "接口", "interface"),
        Database => ("database", "数据库", "database"),
        File => ("file", "文件", "file"),
    }
}

vocabulary! {
    /// 开放属性 (CAT-5). Zhejiang calls the conditional kind 受限开放 and the last 禁止开放.
    OpenType, UnknownOpenType {
        Unconditional => ("unconditional", "无条件开放", "unconditionally open"),
        Conditional => ("conditional", "有条件开放", "conditionally open (restricted)"),
        NotOpen => ("not_open", "不予开放", "not open"),
    }
}

impl OpenType {
    /// 2 for unconditional, 1 for conditional, 0 for not open: higher is more open.
    pub fn openness(self) -> u8 {
        match self {
            OpenType::Unconditional => 2,
            OpenType::Conditional => 1,
            OpenType::NotOpen => 0,
        }
    }
}

vocabulary! {
    /// 更新周期: the guide's list plus 每半年 and 不定期, which implementations add.
    UpdateCycle, UnknownUpdateCycle {
        Realtime => ("realtime", "实时", "real time"),
        Daily => ("daily", "每日", "daily"),
        Weekly => ("weekly", "每周", "weekly"),
        Monthly => ("monthly", "每月", "monthly"),
        Quarterly => ("quarterly", "每季度", "quarterly"),
        HalfYearly => ("half_yearly", "每半年", "every half year"),
        Yearly => ("yearly", "每年", "yearly"),
        Irregular => ("irregular", "不定期", "irregular"),
    }
}

vocabulary! {
    /// The grade of an entry or a data item (分类分级, CAT-8), lowest first, so `Ord`
    /// follows "highest wins" (就高从严). GB/T 43697-2024 ranks core > important >
    /// general; general data is split into levels 1 (lowest) … 4 (GB/T 43697 Annex H,
    /// Zhejiang DB33/T 2351 L1 … L4). Core and important data have no sub-levels: both
    /// rank above general level 4.
    Grade, UnknownGrade {
        General1 => ("general_1", "一般数据1级", "general data, level 1"),
        General2 => ("general_2", "一般数据2级", "general data, level 2"),
        General3 => ("general_3", "一般数据3级", "general data, level 3"),
        General4 => ("general_4", "一般数据4级", "general data, level 4"),
        Important => ("important", "重要数据", "important data"),
        Core => ("core", "核心数据", "core data"),
    }
}

impl Grade {
    /// The level 1 … 4 of general data; `None` for important and core data.
    pub fn general_level(self) -> Option<u8> {
        match self {
            Grade::General1 => Some(1),
            Grade::General2 => Some(2),
            Grade::General3 => Some(3),
            Grade::General4 => Some(4),
            Grade::Important | Grade::Core => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CAT-1: every code list parses its keys and its Chinese labels back.
    #[test]
    fn cat_1_code_lists_round_trip_through_keys_and_labels() {
        fn check<T: Copy + PartialEq + fmt::Debug>(
            all: &[T],
            key: fn(T) -> &'static str,
            zh: fn(T) -> &'static str,
            parse: fn(&str) -> Result<T, CatalogError>,
        ) {
            for v in all {
                assert_eq!(parse(key(*v)).ok(), Some(*v));
                assert_eq!(parse(&format!(" {} ", zh(*v))).ok(), Some(*v));
            }
        }
        check(BaseLibrary::ALL, BaseLibrary::as_str, BaseLibrary::label_zh, BaseLibrary::parse);
        check(FormatClass::ALL, FormatClass::as_str, FormatClass::label_zh, FormatClass::parse);
        check(DataType::ALL, DataType::as_str, DataType::label_zh, DataType::parse);
        check(ShareType::ALL, ShareType::as_str, ShareType::label_zh, ShareType::parse);
        check(ShareMethod::ALL, ShareMethod::as_str, ShareMethod::label_zh, ShareMethod::parse);
        check(OpenType::ALL, OpenType::as_str, OpenType::label_zh, OpenType::parse);
        check(UpdateCycle::ALL, UpdateCycle::as_str, UpdateCycle::label_zh, UpdateCycle::parse);
        check(Grade::ALL, Grade::as_str, Grade::label_zh, Grade::parse);
    }

    /// CAT-1: the guide's eleven one-letter data type codes, lower case accepted.
    #[test]
    fn cat_1_data_types_are_the_guides_letters() {
        let letters: String = DataType::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(letters, "CNYDTLMGBIF");
        assert_eq!(DataType::parse("c").ok(), Some(DataType::Character));
        assert_eq!(DataType::parse("X"), Err(CatalogError::UnknownDataType { value: "X".into() }));
    }

    /// CAT-1: the eight update cycles and nothing else.
    #[test]
    fn cat_1_update_cycles_are_the_eight_of_the_template() {
        let zh: Vec<_> = UpdateCycle::ALL.iter().map(|c| c.label_zh()).collect();
        assert_eq!(zh, ["实时", "每日", "每周", "每月", "每季度", "每半年", "每年", "不定期"]);
        assert!(UpdateCycle::parse("每旬").is_err());
    }

    /// CAT-8: grades are ordered so that the highest wins.
    #[test]
    fn cat_8_grades_order_general_levels_below_important_below_core() {
        assert!(Grade::General1 < Grade::General4);
        assert!(Grade::General4 < Grade::Important);
        assert!(Grade::Important < Grade::Core);
        assert_eq!(Grade::General3.general_level(), Some(3));
        assert_eq!(Grade::Core.general_level(), None);
    }

    /// CAT-9: the six base libraries are fixed groups.
    #[test]
    fn cat_9_there_are_six_base_libraries() {
        assert_eq!(BaseLibrary::ALL.len(), 6);
        assert!(BaseLibrary::parse("宏观经济").is_ok());
        assert!(BaseLibrary::parse("公共服务").is_err());
    }

    /// CAT-1: format classes say which share methods fit them.
    #[test]
    fn cat_1_format_class_decides_the_share_method() {
        assert!(FormatClass::Database.allows_method(ShareMethod::Interface));
        assert!(FormatClass::Database.allows_method(ShareMethod::Database));
        assert!(!FormatClass::Database.allows_method(ShareMethod::File));
        assert!(FormatClass::Spreadsheet.allows_method(ShareMethod::File));
        assert!(!FormatClass::ElectronicFile.allows_method(ShareMethod::Interface));
        assert!(FormatClass::ServiceInterface.allows_method(ShareMethod::Interface));
        assert!(FormatClass::SelfDescribing.allows_method(ShareMethod::File));
    }
}
