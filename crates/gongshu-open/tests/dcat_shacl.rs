//! OPN-1: the open catalog's DCAT-AP 3.0 documents conform to the DCAT-AP 3.0.0 SHACL
//! shapes, checked by a real SHACL validator (pyshacl, through `ci/shacl_check.py`).
//!
//! When pyshacl is not installed the checks print a skip notice and pass, unless
//! `GONGSHU_REQUIRE_SHACL=1`, where they fail.

use std::error::Error;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};
use gongshu_open::dcat::{
    Agent, Catalog, Dataset, Distribution, Frequency, JSONLD_MEDIA_TYPE, TURTLE_MEDIA_TYPE, theme_uri, to_jsonld,
    to_turtle,
};
use serde_json::Value;

type TestResult = Result<(), Box<dyn Error>>;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ci/shacl_check.py");
const BASE: &str = "https://data.example.gov.cn/open";

/// The landing page of the dataset whose strings need escaping, and its IRI form.
const TRICKY_PAGE: &str = "https://data.example.gov.cn/open/页面?q=a>b&name=\"x\" {y}|^`\\";
const TRICKY_PAGE_IRI: &str = "https://data.example.gov.cn/open/页面?q=a%3Eb&name=%22x%22%20%7By%7D%7C%5E%60%5C";

fn at(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0).single().unwrap_or_default()
}

fn org(code: &str, name: &str) -> Agent {
    Agent { uri: format!("{BASE}/org/{code}"), name: name.to_owned(), identifier: Some(code.to_owned()) }
}

fn dist(dataset: &str, format: &str, media_type: &str, size: Option<u64>) -> Distribution {
    let ext = format.to_ascii_lowercase();
    Distribution {
        uri: format!("{BASE}/dataset/{dataset}/resource/{ext}"),
        title: format!("{dataset} {format} 文件"),
        access_url: format!("{BASE}/dataset/{dataset}"),
        download_url: Some(format!("{BASE}/download/{dataset}.{ext}")),
        media_type: media_type.to_owned(),
        format: format.to_owned(),
        byte_size: size,
        modified: Some(at(2025, 2, 1, 2)),
        license: Some("https://creativecommons.org/licenses/by/4.0/".to_owned()),
    }
}

fn theme(label: &str) -> (String, String) {
    (theme_uri(&format!("{BASE}/catalog"), label), label.to_owned())
}

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const JSON: &str = "application/json";
const PARQUET: &str = "application/vnd.apache.parquet";

/// A realistic catalog: four datasets from three departments, Chinese titles, several
/// distributions each, one dataset without a modified date, one whose strings and URLs
/// need escaping.
fn catalog() -> Catalog {
    let police = org("11330100MB0000001R", "某市公安局");
    let transport = org("11100000000013127D", "某市交通运输局");
    let bigdata = org("11330100MB1234567E", "某市大数据发展管理局");
    Catalog {
        uri: format!("{BASE}/catalog"),
        title: "某市公共数据开放目录".to_owned(),
        title_en: Some("Open Data Catalog of the City".to_owned()),
        description: "本市向社会开放的公共数据资源目录。".to_owned(),
        description_en: Some("Public data the city opens to everyone.".to_owned()),
        homepage: Some("https://data.example.gov.cn/".to_owned()),
        publisher: bigdata.clone(),
        modified: Some(at(2025, 3, 1, 0)),
        datasets: vec![
            Dataset {
                uri: format!("{BASE}/dataset/1010010-00001"),
                identifier: "1010010-00001".to_owned(),
                title: "户籍人口统计".to_owned(),
                description: "按街道统计的户籍人口数。".to_owned(),
                publisher: police.clone(),
                keywords: vec!["人口".to_owned(), "户籍".to_owned(), "统计".to_owned()],
                themes: vec![theme("基础/人口")],
                issued: Some(at(2023, 6, 1, 1)),
                modified: Some(at(2025, 2, 1, 2)),
                landing_page: Some(format!("{BASE}/dataset/1010010-00001")),
                frequency: Frequency::from_cycle("monthly"),
                distributions: vec![
                    dist("1010010-00001", "CSV", CSV, Some(48_213)),
                    dist("1010010-00001", "XLSX", XLSX, Some(30_120)),
                    dist("1010010-00001", "JSON", JSON, None),
                ],
            },
            Dataset {
                uri: format!("{BASE}/dataset/2020030-00002"),
                identifier: "2020030-00002".to_owned(),
                title: "公交线路与站点".to_owned(),
                description: "公交线路、站点位置与实时到站。".to_owned(),
                publisher: transport,
                keywords: vec!["公交".to_owned(), "交通".to_owned()],
                themes: vec![theme("主题/城乡建设"), theme("主题/公共服务")],
                issued: Some(at(2024, 1, 15, 3)),
                modified: None,
                landing_page: Some(format!("{BASE}/dataset/2020030-00002")),
                frequency: Frequency::from_cycle("realtime"),
                distributions: vec![
                    Distribution {
                        uri: format!("{BASE}/dataset/2020030-00002/resource/api"),
                        title: "实时到站接口".to_owned(),
                        access_url: format!("{BASE}/api/3/action/datastore_search?resource_id=2020030-00002"),
                        download_url: None,
                        media_type: "application/json; charset=utf-8".to_owned(),
                        format: "JSON".to_owned(),
                        byte_size: None,
                        modified: None,
                        license: None,
                    },
                    dist("2020030-00002", "PARQUET", PARQUET, Some(1_048_576)),
                    dist("2020030-00002", "CSV", CSV, Some(0)),
                ],
            },
            Dataset {
                uri: format!("{BASE}/dataset/3040010-00003"),
                identifier: "3040010-00003".to_owned(),
                title: "\"重点\"企业名录\\（含分支）".to_owned(),
                description: "第一行：名称 > 简称\n第二行：\"引号\"与反斜杠 \\ 与制表\t符\r\n结束".to_owned(),
                publisher: bigdata.clone(),
                keywords: vec!["企业\"名录\"".to_owned(), "a\\b".to_owned(), "法人".to_owned()],
                themes: vec![theme("基础/法人单位")],
                issued: Some(at(2022, 12, 31, 23)),
                modified: Some(at(2025, 1, 10, 4)),
                landing_page: Some(TRICKY_PAGE.to_owned()),
                frequency: Frequency::from_cycle("half_yearly"),
                distributions: vec![
                    Distribution {
                        download_url: Some(format!("{BASE}/download/企业 名录.csv")),
                        ..dist("3040010-00003", "CSV", CSV, Some(7))
                    },
                    dist("3040010-00003", "XLSX", XLSX, Some(9_999)),
                ],
            },
            Dataset {
                uri: format!("{BASE}/dataset/5010020-00004"),
                identifier: "5010020-00004".to_owned(),
                title: "空气质量日报".to_owned(),
                description: "各监测站点每日空气质量指数。".to_owned(),
                publisher: bigdata,
                keywords: vec!["环境".to_owned(), "空气质量".to_owned()],
                themes: vec![theme("主题/生态环保")],
                issued: None,
                modified: Some(at(2025, 3, 1, 0)),
                landing_page: None,
                frequency: Frequency::from_cycle("daily"),
                distributions: vec![
                    dist("5010020-00004", "CSV", CSV, Some(2_000)),
                    dist("5010020-00004", "JSON", JSON, Some(5_000)),
                ],
            },
        ],
    }
}

fn identifiers(c: &Catalog) -> Vec<String> {
    let mut ids: Vec<String> = c.datasets.iter().map(|d| d.identifier.clone()).collect();
    ids.sort();
    ids
}

/// Runs a Python program; `None` (after a skip notice) when pyshacl or Python is
/// missing and `GONGSHU_REQUIRE_SHACL` is not `1`.
fn python(args: &[&str]) -> Result<Option<(i32, String)>, Box<dyn Error>> {
    let required = std::env::var("GONGSHU_REQUIRE_SHACL").is_ok_and(|v| v == "1");
    let out = match Command::new("python3").args(args).output() {
        Ok(out) => out,
        Err(e) if !required => {
            eprintln!("skipped: python3 cannot run ({e}); set GONGSHU_REQUIRE_SHACL=1 to require it");
            return Ok(None);
        }
        Err(e) => return Err(format!("python3 cannot run and GONGSHU_REQUIRE_SHACL=1: {e}").into()),
    };
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code().unwrap_or(-1);
    if code == 2 {
        assert!(!required, "pyshacl is not installed and GONGSHU_REQUIRE_SHACL=1: {stdout}{stderr}");
        eprintln!("skipped: pyshacl not installed (python3 -m pip install pyshacl); {stdout}{stderr}");
        return Ok(None);
    }
    Ok(Some((code, format!("{stdout}{stderr}"))))
}

fn check(file: &Path, extra: &[&str]) -> Result<Option<(i32, String)>, Box<dyn Error>> {
    let file = file.to_str().ok_or("temp path is not UTF-8")?;
    let mut args = vec![SCRIPT, file];
    args.extend_from_slice(extra);
    python(&args)
}

fn write_docs(dir: &Path, c: &Catalog) -> Result<(std::path::PathBuf, std::path::PathBuf), Box<dyn Error>> {
    let ttl = dir.join("catalog.ttl");
    let jsonld = dir.join("catalog.jsonld");
    std::fs::write(&ttl, to_turtle(c))?;
    std::fs::write(&jsonld, serde_json::to_string_pretty(&to_jsonld(c))?)?;
    Ok((ttl, jsonld))
}

#[test]
fn opn_1_dcat_ap_turtle_conforms_to_shacl() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (ttl, _) = write_docs(dir.path(), &catalog())?;
    let Some((code, report)) = check(&ttl, &["--format", "turtle"])? else { return Ok(()) };
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("Conforms: True") && report.contains("4 dataset(s)"), "{report}");
    Ok(())
}

#[test]
fn opn_1_dcat_ap_jsonld_conforms_to_shacl() -> TestResult {
    let dir = tempfile::tempdir()?;
    let (_, jsonld) = write_docs(dir.path(), &catalog())?;
    let Some((code, report)) = check(&jsonld, &["--format", "json-ld"])? else { return Ok(()) };
    assert_eq!(code, 0, "{report}");
    assert!(report.contains("Conforms: True") && report.contains("4 dataset(s)"), "{report}");
    Ok(())
}

#[test]
fn opn_1_dcat_ap_lists_exactly_the_input_datasets() -> TestResult {
    let c = catalog();
    let dir = tempfile::tempdir()?;
    let (ttl, jsonld) = write_docs(dir.path(), &c)?;
    for (file, format) in [(&ttl, "turtle"), (&jsonld, "json-ld")] {
        let Some((code, out)) = check(file, &["--format", format, "--list-datasets"])? else { return Ok(()) };
        assert_eq!(code, 0, "{out}");
        let listed: Vec<&str> = out.lines().collect();
        assert_eq!(listed, identifiers(&c), "{format}");
    }
    Ok(())
}

/// What a real RDF parser (rdflib) reads back for each dataset, as JSON.
const READ_BACK: &str = r#"
import json, sys
try:
    import rdflib
except ImportError:
    print("pyshacl not installed")
    sys.exit(2)
g = rdflib.Graph().parse(sys.argv[1], format=sys.argv[2])
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
lit = lambda xs: sorted([str(x), x.language or str(x.datatype)] for x in xs)
out = {}
for d in g.subjects(rdflib.RDF.type, DCAT.Dataset):
    dists = list(g.objects(d, DCAT.distribution))
    out[str(g.value(d, DCT.identifier))] = {
        "uri": str(d),
        "title": lit(g.objects(d, DCT.title)),
        "description": lit(g.objects(d, DCT.description)),
        "keywords": lit(g.objects(d, DCAT.keyword)),
        "landing": sorted(str(x) for x in g.objects(d, DCAT.landingPage)),
        "modified": lit(g.objects(d, DCT.modified)),
        "downloads": sorted(str(u) for x in dists for u in g.objects(x, DCAT.downloadURL)),
        "sizes": sorted(lit(b for x in dists for b in g.objects(x, DCAT.byteSize))),
    }
print(json.dumps(out, sort_keys=True))
"#;

#[test]
fn opn_1_dcat_ap_strings_and_iris_survive_a_real_parser() -> TestResult {
    let c = catalog();
    let dir = tempfile::tempdir()?;
    let (ttl, jsonld) = write_docs(dir.path(), &c)?;
    let mut read = Vec::new();
    for (file, format) in [(&ttl, "turtle"), (&jsonld, "json-ld")] {
        let file = file.to_str().ok_or("temp path is not UTF-8")?;
        let Some((code, out)) = python(&["-c", READ_BACK, file, format])? else {
            return Ok(());
        };
        assert_eq!(code, 0, "{out}");
        let v: Value = serde_json::from_str(&out)?;
        read.push(v);
    }
    // Both documents read back the same.
    assert_eq!(read[0], read[1]);
    let v = &read[0];
    let nnint = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger";
    for d in &c.datasets {
        let got = &v[d.identifier.as_str()];
        assert_eq!(got["uri"], d.uri.as_str());
        assert_eq!(got["title"], serde_json::json!([[d.title, "zh"]]), "{}", d.identifier);
        assert_eq!(got["description"], serde_json::json!([[d.description, "zh"]]), "{}", d.identifier);
        let mut keywords: Vec<[&str; 2]> = d.keywords.iter().map(|k| [k.as_str(), "zh"]).collect();
        keywords.sort();
        assert_eq!(got["keywords"], serde_json::json!(keywords), "{}", d.identifier);
        let mut sizes: Vec<[String; 2]> =
            d.distributions.iter().filter_map(|x| x.byte_size).map(|n| [n.to_string(), nnint.to_owned()]).collect();
        sizes.sort();
        assert_eq!(got["sizes"], serde_json::json!(sizes), "{}", d.identifier);
        let modified = got["modified"].as_array().map_or(0, Vec::len);
        assert_eq!(modified, usize::from(d.modified.is_some()), "{}", d.identifier);
    }
    let tricky = &v["3040010-00003"];
    assert_eq!(tricky["landing"], serde_json::json!([TRICKY_PAGE_IRI]));
    let downloads = tricky["downloads"].as_array().cloned().unwrap_or_default();
    assert!(downloads.contains(&Value::from(format!("{BASE}/download/企业%20名录.csv"))), "{downloads:?}");
    assert_eq!(v["2020030-00002"]["modified"], serde_json::json!([]));
    Ok(())
}

#[test]
fn opn_1_dcat_ap_documents_are_deterministic() {
    let (a, b) = (catalog(), catalog());
    assert_eq!(to_turtle(&a), to_turtle(&b));
    assert_eq!(
        serde_json::to_string(&to_jsonld(&a)).unwrap_or_default(),
        serde_json::to_string(&to_jsonld(&b)).unwrap_or_default()
    );
    assert_eq!(TURTLE_MEDIA_TYPE, "text/turtle; charset=utf-8");
    assert_eq!(JSONLD_MEDIA_TYPE, "application/ld+json");
}

#[test]
fn opn_1_shacl_check_fails_a_dataset_without_title_or_description() -> TestResult {
    let broken = r#"@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

<https://data.example.gov.cn/open/catalog> a dcat:Catalog ;
    dct:title "目录"@zh ;
    dct:description "目录"@zh ;
    dct:publisher <https://data.example.gov.cn/open/org/x> ;
    dcat:dataset <https://data.example.gov.cn/open/dataset/broken> .

<https://data.example.gov.cn/open/org/x> a foaf:Agent ;
    foaf:name "某局"@zh .

<https://data.example.gov.cn/open/dataset/broken> a dcat:Dataset ;
    dct:identifier "broken" .
"#;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("broken.ttl");
    std::fs::write(&file, broken)?;
    let Some((code, report)) = check(&file, &[])? else { return Ok(()) };
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("Conforms: False"), "{report}");
    assert!(report.contains("MinCountConstraintComponent"), "{report}");
    assert!(report.contains("dataset/broken"), "{report}");
    Ok(())
}

#[test]
fn opn_1_shacl_check_fails_wrong_datatypes_and_missing_types() -> TestResult {
    let c = catalog();
    let ttl = to_turtle(&c);
    let dir = tempfile::tempdir()?;
    // A byte size typed xsd:integer instead of xsd:nonNegativeInteger.
    let sizes = dir.path().join("sizes.ttl");
    std::fs::write(&sizes, ttl.replace("^^xsd:nonNegativeInteger", "^^xsd:integer"))?;
    let Some((code, report)) = check(&sizes, &[])? else { return Ok(()) };
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("DatatypeConstraintComponent"), "{report}");
    // A publisher that is not stated to be a foaf:Agent.
    let agents = dir.path().join("agents.ttl");
    std::fs::write(&agents, ttl.replace(" a foaf:Agent ;", " a dct:Agent ;"))?;
    let Some((code, report)) = check(&agents, &[])? else { return Ok(()) };
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("ClassConstraintComponent"), "{report}");
    Ok(())
}

#[test]
fn opn_1_shacl_check_fails_an_empty_document() -> TestResult {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("empty.jsonld");
    std::fs::write(&file, r#"{"@context": {"dcat": "http://www.w3.org/ns/dcat#"}, "@graph": []}"#)?;
    let Some((code, report)) = check(&file, &[])? else { return Ok(()) };
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("nothing for the shapes to check"), "{report}");
    Ok(())
}
