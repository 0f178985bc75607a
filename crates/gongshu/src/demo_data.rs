//! Believable data for the demo's entries (AGG-1): generated records with valid and
//! deliberately invalid identifiers, loaded as each entry's first version, so the data
//! pages, quality reports and the consistency check show something real.

use std::fmt::Write as _;

use gongshu_data::{ItemSpec, ItemType};
use gongshu_store::{Actor, EntryFilter, Store};

use crate::data::{DataFiles, LoadFile};
use crate::error::ApiError;

/// Entries the demo loads data for (base libraries first), and records per entry.
const ENTRIES: usize = 12;
const ROWS: usize = 240;

const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "于", "丛", "姜", "毕"];
const GIVEN: &[&str] = &[
    "芳", "伟", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "海燕",
    "建国", "志刚",
];
const STREETS: &[&str] = &["新威路", "统一路", "青岛路", "文化西路", "海滨北路", "世昌大道", "昆仑路", "古寨南路"];
const DISTRICTS: &[(&str, &str)] =
    &[("环翠区", "371002"), ("文登区", "371003"), ("荣成市", "371082"), ("乳山市", "371083")];
const FIRMS: &[&str] = &["海科", "威高", "好当家", "三角", "迪尚", "华东数控", "泓淋", "光威"];

/// A small deterministic generator, so every demo shows the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

fn citizen_id(r: &mut Rng, valid: bool) -> String {
    let (_, county) = DISTRICTS[r.below(DISTRICTS.len())];
    let body =
        format!("{county}{}{:02}{:02}{:03}", 1950 + r.below(70), 1 + r.below(12), 1 + r.below(28), r.below(1000));
    let mut b = [0u8; 17];
    b.copy_from_slice(body.as_bytes());
    let check = gongshu_data::ids::citizen_id_check_char(&b) as char;
    let check = if valid {
        check
    } else if check == '1' {
        '2'
    } else {
        '1'
    };
    format!("{body}{check}")
}

fn credit_code(r: &mut Rng, valid: bool) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut body = b"91371002".to_vec();
    for _ in 0..9 {
        body.push(CHARS[r.below(CHARS.len())]);
    }
    let check = gongshu_domain::uscc::check_char(&body).unwrap_or('0');
    let check = if valid {
        check
    } else if check == '1' {
        '2'
    } else {
        '1'
    };
    format!("{}{check}", String::from_utf8_lossy(&body))
}

/// One person of the demo's city: every entry draws its records from the same people,
/// so sources can be compared (AGG-3).
struct Person {
    id: String,
    name: String,
}

fn people() -> Vec<Person> {
    let mut r = Rng(20_261_201);
    (0..600)
        .map(|_| Person { id: citizen_id(&mut r, true), name: format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN)) })
        .collect()
}

/// What a record's identifier and name cells carry.
struct Subject<'a> {
    person: &'a Person,
    /// A wrong check character (a deliberately invalid identifier).
    bad_id: bool,
    /// The name as this source misspells it (a conflict with other sources).
    other_name: bool,
}

fn value(item: &ItemSpec, r: &mut Rng, i: usize, s: &Subject<'_>) -> String {
    let n = item.name.as_str();
    let v = match item.item_type {
        ItemType::CitizenId if s.bad_id => {
            format!("{}{}", &s.person.id[..17], if s.person.id.ends_with('1') { '2' } else { '1' })
        }
        ItemType::CitizenId => s.person.id.clone(),
        ItemType::Uscc if s.bad_id => credit_code(r, false),
        ItemType::Uscc => credit_code(r, true),
        ItemType::Phone => format!("13{}{:08}", 5 + r.below(5), r.below(100_000_000)),
        ItemType::RegionCode => DISTRICTS[r.below(DISTRICTS.len())].1.to_string(),
        ItemType::Date => format!("20{:02}-{:02}-{:02}", 15 + r.below(11), 1 + r.below(12), 1 + r.below(28)),
        ItemType::Datetime => {
            format!("2026-{:02}-{:02} {:02}:{:02}:00", 1 + r.below(11), 1 + r.below(28), 8 + r.below(10), r.below(60))
        }
        ItemType::Integer => (1 + r.below(500)).to_string(),
        ItemType::Decimal => format!("{}.{:02}", r.below(100_000), r.below(100)),
        ItemType::Boolean => if r.below(2) == 0 { "是" } else { "否" }.to_string(),
        ItemType::Text if n == "姓名" && s.other_name => format!("{}{}", &s.person.name, r.pick(GIVEN)),
        ItemType::Text if n == "姓名" => s.person.name.clone(),
        ItemType::Text if n.contains("姓名") => format!("{}{}", r.pick(SURNAMES), r.pick(GIVEN)),
        ItemType::Text if n.contains("性别") => if r.below(2) == 0 { "男" } else { "女" }.to_string(),
        ItemType::Text if n.contains("民族") => "汉族".to_string(),
        ItemType::Text if n.contains("地址") || n.contains("地点") || n.contains("住所") || n.contains("地") => {
            let (d, _) = DISTRICTS[r.below(DISTRICTS.len())];
            format!("威海市{d}{}{}号", r.pick(STREETS), 1 + r.below(300))
        }
        ItemType::Text if n.contains("名称") => {
            format!("威海{}{}有限公司", r.pick(FIRMS), ["科技", "贸易", "制造", "服务"][r.below(4)])
        }
        ItemType::Text if n.contains("机关") || n.contains("机构") || n.contains("部门") => {
            format!("威海市{}", ["公安局", "民政局", "人力资源和社会保障局", "市场监督管理局"][r.below(4)])
        }
        ItemType::Text if n.contains("状态") => ["正常", "注销", "挂失"][r.below(3)].to_string(),
        ItemType::Text if n.contains("编号") || n.contains("号码") || n.contains("卡号") || n.contains("代码") =>
        {
            format!("WH{:04}{:06}", 2020 + r.below(7), i)
        }
        ItemType::Text => format!("{n}{}", 1 + r.below(99)),
    };
    match item.max_len {
        Some(max) => v.chars().take(max as usize).collect(),
        None => v,
    }
}

/// A CSV of `rows` records for the items: about one in 30 records has a bad identifier,
/// one in 45 misses a required value.
pub fn records_csv(items: &[ItemSpec], rows: usize, seed: u64) -> String {
    let mut r = Rng(seed | 1);
    let people = people();
    let offset = r.below(people.len());
    let mut out = String::new();
    let header: Vec<String> = items.iter().map(|i| csv_cell(&i.name)).collect();
    let _ = writeln!(out, "{}", header.join(","));
    for i in 0..rows {
        let subject = Subject {
            person: &people[(offset + i * 7) % people.len()],
            bad_id: r.below(30) == 0,
            other_name: r.below(40) == 0,
        };
        let missing = r.below(45) == 0;
        let mut first_required = true;
        let cells: Vec<String> = items
            .iter()
            .map(|item| {
                if item.required && missing && first_required && !item.item_type.is_identifier() {
                    first_required = false;
                    return String::new();
                }
                csv_cell(&value(item, &mut r, i, &subject))
            })
            .collect();
        let _ = writeln!(out, "{}", cells.join(","));
    }
    out
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// Loads generated data for the demo's entries that have none yet. Returns how many
/// entries got data.
pub async fn load(store: &Store, files: &DataFiles) -> Result<usize, ApiError> {
    let filter = EntryFilter { state: Some("published".into()), limit: 1000, ..Default::default() };
    let mut entries = store.entries(&filter).await?;
    // Base libraries first: they feed the consistency check.
    entries.sort_by_key(|e| (!e.category.starts_with("基础"), e.id));
    let by = Actor::new("platform", None);
    let mut loaded = 0;
    // Twelve entries, base libraries first, and every unconditionally open entry, so the
    // open portal and its APIs have data to serve (OPN-1).
    let chosen =
        entries.iter().enumerate().filter(|(i, e)| *i < ENTRIES || e.open_type == "unconditional").map(|(_, e)| e);
    for entry in chosen {
        if !store.data_versions(entry.id).await?.is_empty() {
            continue;
        }
        let Ok((_, items)) = crate::data::entry_items(store, entry).await else { continue };
        let csv = records_csv(&items, ROWS, entry.id as u64 * 7919);
        let path = files.stage(".csv")?;
        tokio::fs::write(&path, csv).await.map_err(|_| ApiError::internal())?;
        let file = LoadFile {
            path,
            staged: true,
            file_name: "demo.csv".into(),
            format: Some(gongshu_data::Format::Csv),
            encoding: None,
            source: "demo",
        };
        crate::data::load(store, files, &by, entry, file, None).await?;
        loaded += 1;
    }
    Ok(loaded)
}
