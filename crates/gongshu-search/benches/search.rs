//! Search benchmark: N synthetic catalog entries, 1,000 mixed queries.
//!
//! `cargo bench -p gongshu-search --bench search -- 100000` (default N is
//! 100,000). Indexes in memory up to 200,000 entries, in a temporary
//! directory (`open_dir`) above. Prints Markdown tables.

use std::time::{Duration, Instant};

use gongshu_search::{EntryDoc, Filters, SearchIndex, SearchQuery, Sort, Visibility};

/// SplitMix64: small, deterministic, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const SUBJECTS: &[&str] = &[
    "人口",
    "户籍人口",
    "常住人口",
    "企业",
    "个体工商户",
    "法人",
    "社会组织",
    "公交",
    "公交站点",
    "公交线路",
    "地铁",
    "出租车",
    "停车场",
    "充电桩",
    "医疗",
    "医院",
    "医疗机构",
    "药店",
    "学校",
    "幼儿园",
    "中小学",
    "空气质量",
    "水质",
    "噪声",
    "不动产",
    "土地",
    "房屋",
    "社保",
    "医保",
    "养老保险",
    "养老机构",
    "就业",
    "住房公积金",
    "道路",
    "桥梁",
    "路灯",
    "垃圾分类",
    "食品安全",
    "药品",
    "特种设备",
    "旅游景区",
    "文物保护单位",
    "图书馆",
    "体育场馆",
    "气象",
    "水利工程",
    "河道",
    "园林绿化",
    "消防",
    "应急避难场所",
    "税务",
    "农业",
    "农产品",
    "电力",
    "燃气",
    "供水",
    "婚姻",
    "殡葬",
    "低保",
    "残疾人",
];

const ACTIONS: &[&str] = &[
    "登记",
    "许可",
    "行政许可",
    "处罚",
    "行政处罚",
    "备案",
    "审批",
    "检查",
    "监测",
    "统计",
    "名录",
    "基本信息",
    "目录",
    "清单",
    "台账",
    "分布",
    "实时数据",
    "年报",
    "月报",
    "公示",
    "变更",
    "注销",
    "评价",
    "投诉",
    "补贴",
];

const MODIFIERS: &[&str] = &["全市", "区县", "街道", "乡镇", "新增", "年度", "季度", "历史", "重点", "城区"];

const ITEMS: &[&str] = &[
    "名称",
    "编号",
    "统一社会信用代码",
    "地址",
    "经度",
    "纬度",
    "联系电话",
    "负责人",
    "登记日期",
    "有效期",
    "状态",
    "类型",
    "金额",
    "数量",
    "所属区县",
    "身份证号",
    "姓名",
    "性别",
    "出生日期",
    "监测值",
    "采样时间",
    "线路名称",
    "站点名称",
    "床位数",
    "学生人数",
    "许可证号",
    "处罚事由",
    "处罚结果",
    "建筑面积",
    "用途",
    "权利人",
    "参保人数",
    "缴费基数",
    "发证机关",
    "经营范围",
    "注册资本",
    "法定代表人",
    "PM2.5浓度",
    "AQI",
    "GPS坐标",
];

const DEPARTMENTS: &[&str] = &[
    "公安局",
    "统计局",
    "市场监督管理局",
    "交通运输局",
    "卫生健康委员会",
    "教育局",
    "生态环境局",
    "自然资源和规划局",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "民政局",
    "水利局",
    "农业农村局",
    "文化广电旅游局",
    "应急管理局",
    "城市管理局",
];

const AREAS: &[&str] = &["市", "上城区", "拱墅区", "西湖区", "滨江区"];

const CATEGORIES: &[&str] = &[
    "基础/人口",
    "基础/法人",
    "基础/空间地理",
    "基础/宏观经济",
    "基础/电子证照",
    "主题/交通出行",
    "主题/医疗卫生",
    "主题/教育文化",
    "主题/生态环境",
    "主题/社保就业",
    "主题/市场监管",
    "主题/城建住房",
    "主题/公共安全",
    "部门/政务服务",
];

const ENGLISH: &[&str] = &[
    "population",
    "enterprise",
    "bus",
    "metro",
    "hospital",
    "school",
    "air quality",
    "water",
    "real estate",
    "social security",
    "parking",
    "license",
    "penalty",
    "weather",
];

const SHARE: &[&str] = &["无条件共享", "有条件共享", "不予共享"];
const OPEN: &[&str] = &["无条件开放", "有条件开放", "不予开放"];
const FORMATS: &[&str] = &["CSV", "XLSX", "JSON", "XML", "API", "CSV,XLSX", "JSON,API"];
const CYCLES: &[&str] = &["实时", "每日", "每周", "每月", "每季度", "每年", "不定期"];

fn provider(id: i64) -> String {
    let d = DEPARTMENTS[(id as usize - 1) % DEPARTMENTS.len()];
    let a = AREAS[(id as usize - 1) / DEPARTMENTS.len() % AREAS.len()];
    format!("{a}{d}")
}

const PROVIDERS: i64 = (DEPARTMENTS.len() * AREAS.len()) as i64;

fn code(i: usize) -> String {
    let dept = 100 + i % 97;
    let sub = 1000 + (i / 97) % 500;
    let seq = i / (97 * 500) * 97 + i % 89;
    format!("{dept:03}{sub:04}/{seq:05}")
}

fn generate(i: usize, rng: &mut Rng) -> EntryDoc {
    let subject = *rng.pick(SUBJECTS);
    let action = *rng.pick(ACTIONS);
    let name = if rng.chance(40) {
        format!("{}{subject}{action}", rng.pick(MODIFIERS))
    } else if rng.chance(30) {
        format!("{subject}{action}信息")
    } else {
        format!("{subject}{action}")
    };
    let n_items = 3 + rng.below(10);
    let items: Vec<String> = (0..n_items)
        .map(|_| {
            let item = *rng.pick(ITEMS);
            if rng.chance(25) { format!("{subject}{item}") } else { item.to_owned() }
        })
        .collect();
    let provider_id = 1 + rng.below(PROVIDERS as usize) as i64;
    let provider = provider(provider_id);
    let cycle = *rng.pick(CYCLES);
    let mut summary = format!("{provider}发布的{name}数据，包含{}、{}等数据项，{cycle}更新。", items[0], items[1]);
    if rng.chance(20) {
        summary.push_str(&format!(" Open data on {} records.", rng.pick(ENGLISH)));
    }
    let state = match rng.below(100) {
        0..=84 => "published",
        85..=92 => "draft",
        93..=95 => "submitted",
        96..=97 => "rejected",
        _ => "retired",
    };
    EntryDoc {
        id: i as i64 + 1,
        code: code(i),
        name,
        summary,
        items,
        provider,
        provider_id,
        category: (*rng.pick(CATEGORIES)).to_owned(),
        share_type: (*rng.pick(SHARE)).to_owned(),
        open_type: (*rng.pick(OPEN)).to_owned(),
        format: (*rng.pick(FORMATS)).to_owned(),
        update_cycle: cycle.to_owned(),
        level: 1 + rng.below(3) as i64,
        state: state.to_owned(),
        updated_at: 1_600_000_000 + rng.below(100_000_000) as i64,
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Word,
    TwoWords,
    Name,
    Code,
    CodePrefix,
    English,
    Filtered,
    FilterOnly,
}

fn make_query(rng: &mut Rng, n: usize) -> (Kind, SearchQuery) {
    let mut q = SearchQuery { limit: 20, ..SearchQuery::default() };
    let kind = match rng.below(100) {
        0..=24 => Kind::Word,
        25..=44 => Kind::TwoWords,
        45..=52 => Kind::Name,
        53..=61 => Kind::Code,
        62..=69 => Kind::CodePrefix,
        70..=74 => Kind::English,
        75..=92 => Kind::Filtered,
        _ => Kind::FilterOnly,
    };
    let word = |rng: &mut Rng| -> String {
        if rng.chance(60) { (*rng.pick(SUBJECTS)).to_owned() } else { (*rng.pick(ACTIONS)).to_owned() }
    };
    match kind {
        Kind::Word => q.text = word(rng),
        Kind::TwoWords => q.text = format!("{} {}", rng.pick(SUBJECTS), word(rng)),
        Kind::Name => q.text = format!("{}{}", rng.pick(SUBJECTS), rng.pick(ACTIONS)),
        Kind::Code => q.text = code(rng.below(n)),
        Kind::CodePrefix => {
            let c = code(rng.below(n));
            let len = [3, 5, 7, 9][rng.below(4)];
            q.text = c.chars().take(len).collect();
        }
        Kind::English => q.text = (*rng.pick(ENGLISH)).to_owned(),
        Kind::Filtered | Kind::FilterOnly => {
            if kind == Kind::Filtered {
                q.text = word(rng);
            }
            let mut f = Filters::default();
            match rng.below(5) {
                0 => f.provider_id = Some(1 + rng.below(PROVIDERS as usize) as i64),
                1 => {
                    let c = *rng.pick(CATEGORIES);
                    f.category =
                        Some(if rng.chance(50) { c.to_owned() } else { c.split('/').next().unwrap_or(c).to_owned() });
                }
                2 => f.format = Some((*rng.pick(&["CSV", "XLSX", "JSON", "API"])).to_owned()),
                3 => {
                    f.update_cycle = Some((*rng.pick(CYCLES)).to_owned());
                    f.level = Some(1 + rng.below(3) as i64);
                }
                _ => {
                    f.share_type = Some((*rng.pick(SHARE)).to_owned());
                    f.open_type = Some((*rng.pick(OPEN)).to_owned());
                }
            }
            q.filters = f;
        }
    }
    if rng.chance(10) {
        q.visibility = Visibility::PublishedPlusOwnDrafts { provider_id: 1 + rng.below(PROVIDERS as usize) as i64 };
    }
    if rng.chance(10) {
        q.offset = 20 * (1 + rng.below(4));
    }
    q.sort = match rng.below(20) {
        0 => Sort::Name,
        1 => Sort::Updated,
        _ => Sort::Relevance,
    };
    (kind, q)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    ms(sorted[i])
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(100_000);
    let on_disk = n > 200_000;
    let tmp = tempfile::tempdir()?;
    let index = if on_disk { SearchIndex::open_dir(&tmp.path().join("index"))? } else { SearchIndex::in_memory()? };

    let started = Instant::now();
    let mut rng = Rng(42);
    index.rebuild((0..n).map(|i| generate(i, &mut rng)))?;
    let build = started.elapsed();
    eprintln!("indexed {} entries in {:.1} s", index.len(), build.as_secs_f64());

    let mut rng = Rng(7);
    let queries: Vec<(Kind, SearchQuery)> = (0..1_000).map(|_| make_query(&mut rng, n)).collect();
    // Warm-up (page cache, lazy structures): not measured.
    for (_, q) in queries.iter().take(100) {
        index.search(q)?;
    }
    let mut times: Vec<(Kind, Duration, usize)> = Vec::with_capacity(queries.len());
    let mut empty = 0;
    for (kind, q) in &queries {
        let t = Instant::now();
        let r = index.search(q)?;
        times.push((*kind, t.elapsed(), r.total));
        if r.total == 0 && !q.text.is_empty() {
            empty += 1;
        }
    }

    let mut all: Vec<Duration> = times.iter().map(|t| t.1).collect();
    all.sort();
    println!();
    println!(
        "| N | storage | index build (s) | queries | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | peak RSS (MiB) |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    println!(
        "| {n} | {} | {:.1} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
        if on_disk { "open_dir (mmap)" } else { "in_memory" },
        build.as_secs_f64(),
        all.len(),
        percentile(&all, 0.50),
        percentile(&all, 0.95),
        percentile(&all, 0.99),
        percentile(&all, 1.0),
        peak_rss_mib().map_or("?".to_owned(), |m| format!("{m:.0}")),
    );
    println!();
    println!("| query kind | count | p50 (ms) | p95 (ms) | mean matches |");
    println!("|---|---:|---:|---:|---:|");
    let mut kinds: Vec<Kind> = times.iter().map(|t| t.0).collect();
    kinds.sort();
    kinds.dedup();
    for kind in kinds {
        let mut d: Vec<Duration> = times.iter().filter(|t| t.0 == kind).map(|t| t.1).collect();
        d.sort();
        let matches: usize = times.iter().filter(|t| t.0 == kind).map(|t| t.2).sum();
        println!(
            "| {kind:?} | {} | {:.2} | {:.2} | {} |",
            d.len(),
            percentile(&d, 0.50),
            percentile(&d, 0.95),
            matches / d.len().max(1),
        );
    }
    println!();
    println!("queries with text that matched nothing: {empty}");
    Ok(())
}
