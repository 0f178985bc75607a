//! End-to-end tests of the index: matching, ranking, filters, facets,
//! visibility, paging, sorting, highlighting and writes.

use crate::*;

#[allow(clippy::too_many_arguments)]
fn entry(
    id: i64,
    code: &str,
    name: &str,
    summary: &str,
    items: &[&str],
    provider: (i64, &str),
    category: &str,
    format: &str,
    state: &str,
) -> EntryDoc {
    EntryDoc {
        id,
        code: code.into(),
        name: name.into(),
        summary: summary.into(),
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        provider: provider.1.into(),
        provider_id: provider.0,
        category: category.into(),
        share_type: if id % 2 == 0 { "有条件共享" } else { "无条件共享" }.into(),
        open_type: if id % 3 == 0 { "有条件开放" } else { "无条件开放" }.into(),
        format: format.into(),
        update_cycle: if id % 2 == 0 { "每年" } else { "每月" }.into(),
        level: 1 + id % 3,
        state: state.into(),
        updated_at: 1_700_000_000 + id * 100,
    }
}

const GA: (i64, &str) = (10, "市公安局");
const TJ: (i64, &str) = (11, "市统计局");
const JT: (i64, &str) = (12, "市交通运输局");
const SJ: (i64, &str) = (13, "市市场监督管理局");
const HJ: (i64, &str) = (14, "市生态环境局");
const SL: (i64, &str) = (15, "市水利局");

fn fixture() -> Vec<EntryDoc> {
    vec![
        entry(
            1,
            "2010300/00017",
            "户籍人口基本信息",
            "全市户籍人口的基本信息，包括人口姓名、户籍地址等。",
            &["姓名", "身份证号", "户籍地址", "人口类别"],
            GA,
            "基础/人口",
            "CSV,XLSX",
            "published",
        ),
        entry(
            2,
            "2010300/00018",
            "常住人口统计",
            "按区县统计的常住人口数量，人口年龄结构。",
            &["区县", "常住人口数", "人口密度"],
            TJ,
            "基础/人口",
            "CSV",
            "published",
        ),
        entry(
            3,
            "3020100/00001",
            "公交站点",
            "Bus stops of the city. 全市公交站点位置。",
            &["站点名称", "经度", "纬度", "线路名称"],
            JT,
            "主题/交通",
            "JSON",
            "published",
        ),
        entry(
            4,
            "3020100/00002",
            "企业登记信息",
            "市场主体登记基本信息。",
            &["企业名称", "统一社会信用代码", "法定代表人"],
            SJ,
            "基础/法人",
            "XLSX",
            "published",
        ),
        entry(
            5,
            "4010200/00001",
            "行政处罚决定",
            "行政处罚决定书公示信息。",
            &["处罚对象", "处罚事由", "处罚决定日期"],
            SJ,
            "主题/监管",
            "CSV",
            "published",
        ),
        entry(
            6,
            "5010100/00001",
            "空气质量日报",
            "Air Quality Index (AQI) daily report for monitoring stations.",
            &["监测点位", "AQI", "PM2.5"],
            HJ,
            "主题/环境",
            "API",
            "published",
        ),
        entry(
            7,
            "2010300/00099",
            "人口迁移草稿",
            "尚未发布的人口迁移数据。",
            &["迁入地", "迁出地"],
            GA,
            "基础/人口",
            "CSV",
            "draft",
        ),
        entry(8, "2010300/00098", "旧版人口台账", "已停用。", &["人口"], GA, "基础/人口", "CSV", "retired"),
        entry(
            9,
            "9990000/00001",
            "<script>alert(1)</script>人口",
            "a & b <b>人口</b>",
            &["<i>人口</i>"],
            TJ,
            "基础/人口",
            "CSV",
            "published",
        ),
        entry(10, "2010300/00020", "人口", "", &["数量"], TJ, "基础/人口", "CSV", "published"),
        entry(
            11,
            "6010100/00001",
            "企业公交通勤补贴",
            "企业员工公交通勤补贴发放。",
            &["企业名称", "补贴金额"],
            JT,
            "主题/交通",
            "CSV",
            "published",
        ),
        entry(
            12,
            "7010100/00001",
            "甬江流域水文监测",
            "甬江干流水位、流量监测数据。",
            &["测站", "水位", "流量"],
            SL,
            "基础设施/水利",
            "CSV",
            "published",
        ),
    ]
}

fn index() -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    index.upsert(&fixture()).unwrap();
    index
}

fn q(text: &str) -> SearchQuery {
    SearchQuery { text: text.into(), limit: 20, ..SearchQuery::default() }
}

fn ids(index: &SearchIndex, query: &SearchQuery) -> Vec<i64> {
    index.search(query).unwrap().hits.iter().map(|h| h.id).collect()
}

fn published_count() -> usize {
    fixture().iter().filter(|e| e.state == "published").count()
}

#[test]
fn partial_chinese_words_match() {
    let index = index();
    let found = ids(&index, &q("人口"));
    for id in [1, 2, 9, 10] {
        assert!(found.contains(&id), "人口 → {found:?}");
    }
    assert!(ids(&index, &q("公交")).contains(&3));
    // A word inside a longer one, and a substring across jieba's words.
    assert!(ids(&index, &q("站点")).contains(&3));
    assert!(ids(&index, &q("基本信息")).contains(&1));
    assert_eq!(ids(&index, &q("处罚"))[0], 5);
    // Data item names are searched too.
    assert_eq!(ids(&index, &q("统一社会信用代码"))[0], 4);
}

#[test]
fn unknown_words_and_single_characters_match() {
    let index = index();
    assert_eq!(ids(&index, &q("甬江"))[0], 12);
    assert_eq!(ids(&index, &q("江流"))[0], 12);
    assert_eq!(ids(&index, &q("甬"))[0], 12);
    assert!(ids(&index, &q("水文")).contains(&12));
}

#[test]
fn english_words_codes_and_case() {
    let index = index();
    assert_eq!(ids(&index, &q("bus"))[0], 3);
    assert_eq!(ids(&index, &q("BUS Stops"))[0], 3);
    assert_eq!(ids(&index, &q("air quality"))[0], 6);
    assert_eq!(ids(&index, &q("aqi"))[0], 6);
    // Full-width Latin, word prefixes.
    assert_eq!(ids(&index, &q("ＡＱＩ"))[0], 6);
    assert_eq!(ids(&index, &q("quali"))[0], 6);
    assert_eq!(ids(&index, &q("monitor"))[0], 6);
    assert_eq!(ids(&index, &q("pm2"))[0], 6);
    // Provider and category words.
    assert!(ids(&index, &q("水利局")).contains(&12));
    assert!(ids(&index, &q("环境")).contains(&6));
}

#[test]
fn codes_match_exactly_and_by_prefix() {
    let index = index();
    assert_eq!(ids(&index, &q("2010300/00017"))[0], 1);
    assert_eq!(ids(&index, &q(" 2010300/00018 "))[0], 2);
    let found = ids(&index, &q("2010300"));
    let mut top: Vec<i64> = found.iter().take(3).copied().collect();
    top.sort();
    assert_eq!(top, vec![1, 2, 10], "{found:?}");
    let found = ids(&index, &q("3020100/0000"));
    let mut top: Vec<i64> = found.iter().take(2).copied().collect();
    top.sort();
    assert_eq!(top, vec![3, 4]);
    // A code among other words.
    assert_eq!(ids(&index, &q("公交 4010200/00001"))[0], 5);
}

#[test]
fn exact_title_ranks_first() {
    let index = index();
    assert_eq!(ids(&index, &q("人口"))[0], 10);
    assert_eq!(ids(&index, &q("公交站点"))[0], 3);
    assert_eq!(ids(&index, &q("企业登记信息"))[0], 4);
}

#[test]
fn or_semantics_favour_more_words() {
    let index = index();
    // One word that matches nothing does not empty the result.
    let found = ids(&index, &q("人口 不存在xyzzy"));
    assert!(found.contains(&1), "{found:?}");
    assert!(!ids(&index, &q("xyzzy")).contains(&1));
    // Entries with both words come before entries with one.
    let found = ids(&index, &q("公交 企业"));
    assert_eq!(found[0], 11, "{found:?}");
    assert!(found.contains(&3) && found.contains(&4), "{found:?}");
    let found = ids(&index, &q("企业公交"));
    assert_eq!(found[0], 11, "{found:?}");
}

#[test]
fn nothing_matches_gives_empty_results() {
    let index = index();
    let r = index.search(&q("xyzzy")).unwrap();
    assert_eq!(r.total, 0);
    assert!(r.hits.is_empty());
    assert!(r.facets.provider.is_empty());
}

#[test]
fn empty_text_lists_all_visible_by_sort() {
    let index = index();
    let r = index.search(&q("")).unwrap();
    assert_eq!(r.total, published_count());
    let found: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
    assert_eq!(found, vec![12, 11, 10, 9, 6, 5, 4, 3, 2, 1]);
    assert!(r.hits.iter().all(|h| h.highlights.is_empty()));
}

#[test]
fn facets_count_all_matches_not_the_page() {
    let index = index();
    let mut query = q("");
    query.limit = 2;
    let r = index.search(&query).unwrap();
    assert_eq!(r.hits.len(), 2);
    let f = &r.facets;
    let get = |v: &[(String, usize)], k: &str| v.iter().find(|(x, _)| x == k).map(|(_, n)| *n);
    assert_eq!(get(&f.category, "基础"), Some(5));
    assert_eq!(get(&f.category, "基础/人口"), Some(4));
    assert_eq!(get(&f.category, "基础/法人"), Some(1));
    assert_eq!(get(&f.category, "主题"), Some(4));
    assert_eq!(get(&f.category, "基础设施"), Some(1));
    assert_eq!(get(&f.format, "CSV"), Some(7));
    assert_eq!(get(&f.format, "XLSX"), Some(2));
    assert_eq!(get(&f.format, "JSON"), Some(1));
    // Most frequent first.
    assert_eq!(f.format[0], ("CSV".to_owned(), 7));
    assert_eq!(f.category[0].1, 5);
    let providers: usize = f.provider.iter().map(|(_, n)| n).sum();
    assert_eq!(providers, published_count());
    assert!(f.provider.contains(&(13, 2)));
    let levels: usize = f.level.iter().map(|(_, n)| n).sum();
    assert_eq!(levels, published_count());
    let shares: usize = f.share_type.iter().map(|(_, n)| n).sum();
    assert_eq!(shares, published_count());
    assert!(!f.open_type.is_empty() && !f.update_cycle.is_empty());

    // Facets follow the text query.
    let r = index.search(&q("公交")).unwrap();
    assert_eq!(r.total, 2);
    assert_eq!(r.facets.provider, vec![(12, 2)]);
    assert_eq!(r.facets.category, vec![("主题".into(), 2), ("主题/交通".into(), 2)]);
}

#[test]
fn filters_restrict_matches() {
    let index = index();
    let with = |filters: Filters| {
        let mut query = q("");
        query.filters = filters;
        let mut v = ids(&index, &query);
        v.sort();
        v
    };
    assert_eq!(with(Filters { provider_id: Some(13), ..Filters::default() }), vec![4, 5]);
    // Category prefix by whole segments.
    assert_eq!(with(Filters { category: Some("基础".into()), ..Filters::default() }), vec![1, 2, 4, 9, 10]);
    assert_eq!(with(Filters { category: Some(" 基础 / 法人 ".into()), ..Filters::default() }), vec![4]);
    // Case-insensitive keyword values; one of several formats.
    assert_eq!(with(Filters { format: Some("xlsx".into()), ..Filters::default() }), vec![1, 4]);
    assert_eq!(with(Filters { format: Some("CSV,xlsx".into()), ..Filters::default() }), vec![1]);
    assert_eq!(
        with(Filters { level: Some(1), share_type: Some("无条件共享".into()), ..Filters::default() }),
        vec![3, 9]
    );
    assert_eq!(
        with(Filters {
            update_cycle: Some("每年".into()), open_type: Some("有条件开放".into()), ..Filters::default()
        }),
        vec![6, 12]
    );
    // Empty strings mean no filter.
    assert_eq!(
        with(Filters { category: Some(String::new()), format: Some(" ".into()), ..Filters::default() }).len(),
        published_count()
    );
    // Filters combine with text.
    let mut query = q("人口");
    query.filters.provider_id = Some(10);
    assert_eq!(ids(&index, &query), vec![1]);
}

#[test]
fn drafts_visible_only_to_their_provider() {
    let index = index();
    assert!(!ids(&index, &q("迁移")).contains(&7));
    let mut query = q("迁移");
    query.visibility = Visibility::PublishedPlusOwnDrafts { provider_id: 10 };
    assert_eq!(ids(&index, &query)[0], 7);
    query.visibility = Visibility::PublishedPlusOwnDrafts { provider_id: 11 };
    assert!(!ids(&index, &query).contains(&7));

    let mut all = q("");
    all.visibility = Visibility::PublishedPlusOwnDrafts { provider_id: 10 };
    let r = index.search(&all).unwrap();
    assert_eq!(r.total, published_count() + 2);
    all.visibility = Visibility::PublishedOnly;
    assert_eq!(index.search(&all).unwrap().total, published_count());
}

#[test]
fn paging_is_stable_and_bounded() {
    let index = index();
    let mut query = q("人口");
    query.limit = 100;
    let all = ids(&index, &query);
    assert!(all.len() >= 4);
    query.limit = 2;
    let mut paged = Vec::new();
    for page in 0.. {
        query.offset = page * 2;
        let r = index.search(&query).unwrap();
        assert_eq!(r.total, all.len());
        if r.hits.is_empty() {
            break;
        }
        paged.extend(r.hits.iter().map(|h| h.id));
    }
    assert_eq!(paged, all);
    query.offset = usize::MAX;
    assert!(index.search(&query).unwrap().hits.is_empty());
    query.offset = 0;
    query.limit = 0;
    let r = index.search(&query).unwrap();
    assert!(r.hits.is_empty());
    assert_eq!(r.total, all.len());
    query.limit = usize::MAX;
    assert_eq!(index.search(&query).unwrap().hits.len(), all.len());
}

#[test]
fn sort_by_name_and_updated() {
    let index = index();
    let mut query = q("人口");
    query.limit = 100;
    query.sort = Sort::Name;
    let r = index.search(&query).unwrap();
    let names: Vec<&str> = r.hits.iter().map(|h| h.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(names.len(), r.total);

    query.sort = Sort::Updated;
    let found = ids(&index, &query);
    let mut by_date = found.clone();
    by_date.sort_by(|a, b| b.cmp(a)); // updated_at grows with id
    assert_eq!(found, by_date);

    // Sorting by name across several segments.
    index.upsert(&[entry(20, "1", "阿人口", "", &[], GA, "基础", "", "published")]).unwrap();
    query.sort = Sort::Name;
    let r = index.search(&query).unwrap();
    let names: Vec<&str> = r.hits.iter().map(|h| h.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn highlights_mark_matches_and_escape_html() {
    let index = index();
    let r = index.search(&q("人口")).unwrap();
    let hit = r.hits.iter().find(|h| h.id == 9).unwrap();
    assert_eq!(hit.name, "<script>alert(1)</script>人口");
    let name = hit.highlights.iter().find(|h| h.field == "name").unwrap();
    assert_eq!(name.fragment_html, "&lt;script&gt;alert(1)&lt;/script&gt;<mark>人口</mark>");
    let summary = hit.highlights.iter().find(|h| h.field == "summary").unwrap();
    assert_eq!(summary.fragment_html, "a &amp; b &lt;b&gt;<mark>人口</mark>&lt;/b&gt;");
    let item = hit.highlights.iter().find(|h| h.field == "items").unwrap();
    assert_eq!(item.fragment_html, "&lt;i&gt;<mark>人口</mark>&lt;/i&gt;");
    for h in &r.hits {
        for hl in &h.highlights {
            assert!(!hl.fragment_html.contains("<script"), "{hl:?}");
        }
    }
    let r = index.search(&q("bus")).unwrap();
    let summary = r.hits[0].highlights.iter().find(|h| h.field == "summary").unwrap();
    assert!(summary.fragment_html.starts_with("<mark>Bus</mark> stops"));
    assert!(r.hits[0].score > 0.0);
}

#[test]
fn upsert_replaces_by_id() {
    let index = index();
    let before = index.len();
    let mut changed = fixture()[2].clone();
    changed.name = "地铁站点".into();
    changed.summary = "Metro stations.".into();
    index.upsert(&[changed]).unwrap();
    assert_eq!(index.len(), before);
    assert!(!ids(&index, &q("公交")).contains(&3));
    assert_eq!(ids(&index, &q("地铁"))[0], 3);
    // The last of duplicates in one batch wins.
    let mut a = fixture()[0].clone();
    a.name = "第一版".into();
    let mut b = a.clone();
    b.name = "第二版".into();
    index.upsert(&[a, b]).unwrap();
    assert_eq!(index.len(), before);
    let r = index.search(&q("2010300/00017")).unwrap();
    assert_eq!(r.hits[0].name, "第二版");
    index.upsert(&[]).unwrap();
}

#[test]
fn delete_removes_entries() {
    let index = index();
    let before = index.len();
    index.delete(&[3, 999]).unwrap();
    assert_eq!(index.len(), before - 1);
    assert!(!ids(&index, &q("公交")).contains(&3));
    index.delete(&[]).unwrap();
}

#[test]
fn rebuild_replaces_everything() {
    let index = index();
    assert!(!index.is_empty());
    let docs: Vec<EntryDoc> = fixture().into_iter().filter(|e| e.id <= 2).collect();
    index.rebuild(docs).unwrap();
    assert_eq!(index.len(), 2);
    assert!(ids(&index, &q("公交")).is_empty());
    assert_eq!(ids(&index, &q("户籍"))[0], 1);
    index.rebuild(Vec::new()).unwrap();
    assert!(index.is_empty());
}

#[test]
fn open_dir_persists_across_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    {
        let index = SearchIndex::open_dir(&path).unwrap();
        assert!(index.is_empty());
        index.upsert(&fixture()).unwrap();
        // The directory is locked while open.
        assert!(SearchIndex::open_dir(&path).is_err());
    }
    let index = SearchIndex::open_dir(&path).unwrap();
    assert_eq!(index.len(), fixture().len() as u64);
    assert_eq!(ids(&index, &q("公交站点"))[0], 3);
    index.delete(&[3]).unwrap();
    drop(index);
    let index = SearchIndex::open_dir(&path).unwrap();
    assert_eq!(index.len(), fixture().len() as u64 - 1);
}

#[test]
fn index_is_shareable_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
    let index = std::sync::Arc::new(index());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let index = index.clone();
            std::thread::spawn(move || {
                if i == 0 {
                    index.upsert(&fixture()).unwrap();
                }
                index.search(&q("人口")).unwrap().total
            })
        })
        .collect();
    for h in handles {
        assert!(h.join().unwrap() >= 4);
    }
}
