//! Writes a CSV of collected records for the data benchmarks: 10 columns with citizen
//! ID numbers and credit codes, one in a hundred with a bad check character.
//! Usage: `cargo run --release --example gen_records -- OUT.csv MEGABYTES`

use std::io::Write;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "records.csv".into());
    let megabytes: u64 = args.next().and_then(|m| m.parse().ok()).unwrap_or(1024);
    let target = megabytes << 20;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&out)?);
    let header = "公民身份号码,姓名,统一社会信用代码,金额,登记日期,采集时间,采集地点,联系电话,行政区划代码,备注\n";
    w.write_all(header.as_bytes())?;
    let mut written = header.len() as u64;
    let mut line = String::with_capacity(256);
    let mut rng: u64 = 0x2026_1201;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let uscc_body = b"91371002MA3C8WXY";
    let mut i: u64 = 0;
    while written < target {
        i += 1;
        let r = next();
        let birth = format!("19{:02}{:02}{:02}", 40 + r % 60, 1 + (r >> 8) % 12, 1 + (r >> 16) % 28);
        let body = format!("371002{birth}{:03}", (r >> 24) % 1000);
        let mut b = [0u8; 17];
        b.copy_from_slice(body.as_bytes());
        let mut check = gongshu_data::ids::citizen_id_check_char(&b) as char;
        if i.is_multiple_of(100) {
            check = if check == '1' { '2' } else { '1' };
        }
        let mut u = [0u8; 17];
        u[..16].copy_from_slice(uscc_body);
        u[16] = b"0123456789ABCDEFGH"[((r >> 32) % 18) as usize];
        let uc = gongshu_domain::uscc::check_char(&u).unwrap_or('0');
        line.clear();
        use std::fmt::Write as _;
        let _ = writeln!(
            line,
            "{body}{check},居民{i},{}{uc},{}.{:02},2026-{:02}-{:02},2026-11-{:02} {:02}:{:02}:00,威海市环翠区第{}网格,138{:08},3710{:02},第{i}条采集记录",
            std::str::from_utf8(&u).unwrap_or_default(),
            (r >> 40) % 100_000,
            (r >> 20) % 100,
            1 + (r >> 12) % 12,
            1 + (r >> 4) % 28,
            1 + (r >> 28) % 28,
            (r >> 36) % 24,
            (r >> 44) % 60,
            (r >> 50) % 500,
            i % 100_000_000,
            [2, 3, 81, 82, 83][(r % 5) as usize],
        );
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    w.flush()?;
    eprintln!("{out}: {i} records, {:.0} MB", written as f64 / 1e6);
    Ok(())
}
