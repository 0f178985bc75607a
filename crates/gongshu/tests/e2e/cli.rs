//! The `gongshu` binary: serve, org, user, token and audit commands.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::temp_dir;

fn gongshu(dir: &Path, args: &[&str]) -> Output {
    gongshu_stdin(dir, args, "")
}

fn gongshu_stdin(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongshu"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("GONGSHU_DATABASE_URL")
        .env_remove("GONGSHU_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `gongshu serve --demo` and waits until `/healthz` answers.
async fn serve_demo(dir: &Path) -> (Server, String, Duration) {
    let port = free_port();
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_gongshu"))
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir)
        .env_remove("GONGSHU_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "not healthy within 20 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (server, base, started.elapsed())
}

/// Bar: `serve --demo` is healthy within 20 s; its audit log verifies, and altering or
/// deleting a middle entry is detected and named (SEC-1).
#[tokio::test]
async fn sec_1_demo_serves_and_audit_verify_detects_tampering() {
    let dir = temp_dir("cli-demo");
    let (server, base, took) = serve_demo(&dir).await;
    eprintln!("healthy after {took:?}");
    let page = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
    assert!(page.contains("威海市公共数据平台"));
    drop(server);

    let ok = gongshu(&dir, &["audit", "verify"]);
    assert!(ok.status.success(), "{}{}", text(&ok.stdout), text(&ok.stderr));
    assert!(text(&ok.stdout).contains("audit log intact"));

    let db = format!("sqlite://{}", dir.join("gongshu.db").display());
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    sqlx::query("UPDATE audit_log SET object = 'org:999' WHERE seq = 10").execute(&pool).await.unwrap();
    let altered = gongshu(&dir, &["audit", "verify"]);
    assert!(!altered.status.success());
    assert!(text(&altered.stdout).contains("first bad entry: 10"), "{}", text(&altered.stdout));

    let dir2 = temp_dir("cli-demo2");
    let (server, _, _) = serve_demo(&dir2).await;
    drop(server);
    let pool2 = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir2.join("gongshu.db").display())).await.unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 20").execute(&pool2).await.unwrap();
    let removed = gongshu(&dir2, &["audit", "verify"]);
    assert!(!removed.status.success());
    assert!(text(&removed.stdout).contains("first bad entry: 20"), "{}", text(&removed.stdout));
}

/// ORG-1: organizations from the command line, listed as JSON for scripts; a CSV import
/// with a bad line names it and changes nothing.
#[test]
fn org_1_cli_creates_imports_and_lists_organizations() {
    let dir = temp_dir("cli-org");
    let out = gongshu(
        &dir,
        &[
            "org",
            "create",
            "--name",
            "威海市大数据局",
            "--credit-code",
            "11371000804072819U",
            "--kind",
            "authority",
            "--region",
            "371000",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let bad = gongshu(
        &dir,
        &[
            "org",
            "create",
            "--name",
            "x",
            "--credit-code",
            "11371000804072819A",
            "--kind",
            "authority",
            "--region",
            "371000",
        ],
    );
    assert!(!bad.status.success());
    assert!(
        text(&bad.stderr).contains("invalid_credit_code") && text(&bad.stderr).contains("校验码不符"),
        "{}",
        text(&bad.stderr)
    );

    let csv = dir.join("orgs.csv");
    std::fs::write(
        &csv,
        "name,credit_code,kind,region_code,parent_credit_code\n\
         威海市公安局,11371000754859022G,department,371000,11371000804072819U\n\
         坏机构,11371000754859022H,department,371000,\n\
         某公司,,social_entity,999999,\n",
    )
    .unwrap();
    let failed = gongshu(&dir, &["org", "import"]);
    assert!(!failed.status.success(), "a file is required");
    let failed = gongshu(&dir, &["org", "import", csv.to_str().unwrap()]);
    assert!(!failed.status.success());
    let err = text(&failed.stderr);
    assert!(err.contains("第3行") && err.contains("line 4") && err.contains("nothing was imported"), "{err}");

    std::fs::write(&csv, "name,credit_code,kind,region_code,parent_credit_code\n威海市公安局,11371000754859022G,department,371000,11371000804072819U\n").unwrap();
    let ok = gongshu(&dir, &["org", "import", csv.to_str().unwrap()]);
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("imported 1 organizations"));
    let again = gongshu(&dir, &["org", "import", csv.to_str().unwrap()]);
    assert!(text(&again.stdout).contains("1 already registered"));

    let list = gongshu(&dir, &["org", "list", "--format", "json"]);
    let orgs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let orgs = orgs.as_array().unwrap();
    assert_eq!(orgs.len(), 2);
    assert_eq!(orgs[1]["name"], "威海市公安局");
    assert_eq!(orgs[1]["credit_code"], "11371000754859022G");
    assert_eq!(orgs[1]["kind"], "department");
    assert_eq!(orgs[1]["region_code"], "371000");
    assert_eq!(orgs[1]["parent_id"], orgs[0]["id"]);
}

/// ORG-3: accounts, roles and tokens from the command line.
#[test]
fn org_3_cli_manages_accounts_roles_and_tokens() {
    let dir = temp_dir("cli-user");
    let out = gongshu_stdin(
        &dir,
        &["user", "create", "--username", "ops", "--name", "运维", "--role", "platform_admin", "--password-stdin"],
        "a long password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let short = gongshu(&dir, &["user", "create", "--username", "ops2", "--name", "x", "--password", "short"]);
    assert!(!short.status.success() && text(&short.stderr).contains("至少10个字符"));
    assert!(gongshu(&dir, &["user", "grant", "ops", "auditor"]).status.success());
    assert!(!gongshu(&dir, &["user", "grant", "ops", "emperor"]).status.success());
    assert!(gongshu(&dir, &["user", "revoke", "ops", "platform_admin"]).status.success());
    let list = gongshu(&dir, &["user", "list", "--format", "json"]);
    let users: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(users[0]["roles"], serde_json::json!(["auditor"]));
    assert!(
        gongshu_stdin(&dir, &["user", "set-password", "ops", "--password-stdin"], "another long one\n")
            .status
            .success()
    );

    let tok = gongshu(&dir, &["token", "create", "--user", "ops", "--expires-days", "7"]);
    assert!(tok.status.success(), "{}", text(&tok.stderr));
    let secret = text(&tok.stdout).trim().to_string();
    assert!(secret.starts_with("gst_"));
    let listed = gongshu(&dir, &["token", "list", "--format", "json"]);
    assert!(!text(&listed.stdout).contains(&secret), "the secret is never listed");
    let tokens: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let id = tokens[0]["id"].to_string();
    assert!(gongshu(&dir, &["token", "revoke", &id]).status.success());
    assert!(!gongshu(&dir, &["token", "revoke", &id]).status.success(), "already revoked");

    let log = gongshu(&dir, &["audit", "list", "--format", "json"]);
    let entries: serde_json::Value = serde_json::from_slice(&log.stdout).unwrap();
    let actions: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["token.revoke", "token.create", "user.set_password", "user.role.revoke", "user.role.grant", "user.create"]
    );
    assert!(entries.as_array().unwrap().iter().all(|e| e["actor"] == "cli"));
}

/// Configuration: the TOML file, then GONGSHU_* variables, then flags.
#[test]
fn configuration_precedence_file_then_environment_then_flags() {
    let dir = temp_dir("cli-config");
    let other = temp_dir("cli-config-other");
    let cfg = dir.join("custom.toml");
    std::fs::write(&cfg, format!("database_url = \"sqlite://{}/from-file.db\"\n", other.display())).unwrap();
    let run = |envs: &[(&str, String)], extra: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_gongshu"));
        c.arg("migrate").arg("--config").arg(&cfg).args(extra).env_remove("GONGSHU_DATABASE_URL");
        for (k, v) in envs {
            c.env(k, v);
        }
        text(&c.output().unwrap().stdout)
    };
    assert!(run(&[], &[]).contains("from-file.db"));
    let env_url = format!("sqlite://{}/from-env.db", other.display());
    assert!(run(&[("GONGSHU_DATABASE_URL", env_url.clone())], &[]).contains("from-env.db"));
    let flag_url = format!("sqlite://{}/from-flag.db", other.display());
    assert!(run(&[("GONGSHU_DATABASE_URL", env_url)], &["--database-url", &flag_url]).contains("from-flag.db"));
    std::fs::write(&cfg, "adress = \"typo\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongshu")).args(["migrate", "--config"]).arg(&cfg).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("adress"), "{}", text(&out.stderr));
}

/// SEC-7: a backup taken while the data is in use restores, with its audit chain checked;
/// a tampered backup is refused and the current database is left alone.
#[test]
fn sec_7_backup_and_restore() {
    let dir = temp_dir("cli-backup");
    let out = gongshu(
        &dir,
        &[
            "org",
            "create",
            "--name",
            "威海市大数据局",
            "--credit-code",
            "11371000804072819U",
            "--kind",
            "authority",
            "--region",
            "371000",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let backup = dir.join("backup.db");
    let out = gongshu(&dir, &["backup", "--to", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!gongshu(&dir, &["backup", "--to", backup.to_str().unwrap()]).status.success(), "never overwrites");
    let out =
        gongshu(&dir, &["org", "create", "--name", "后来的机构", "--kind", "social_entity", "--region", "371000"]);
    assert!(out.status.success());
    let out = gongshu(&dir, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = gongshu(&dir, &["org", "list", "--format", "json"]);
    let orgs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(orgs.as_array().unwrap().len(), 1, "back to the state of the backup");
    assert!(gongshu(&dir, &["audit", "verify"]).status.success());
    let kept = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("before-restore"));
    assert!(kept, "the replaced database is kept aside");

    // A tampered backup is refused.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", backup.display())).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'x' WHERE seq = 1").execute(&pool).await.unwrap();
        pool.close().await;
    });
    let out = gongshu(&dir, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("not intact"), "{}", text(&out.stderr));
    let list = gongshu(&dir, &["org", "list", "--format", "json"]);
    let orgs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(orgs.as_array().unwrap().len(), 1, "nothing changed");
}
