//! CSV on every core: one thread parses records (CSV quoting makes that sequential) and
//! hands them out in batches; a worker per sink checks them and writes its own part.
//! The workers' tallies merge into one report, the same as one thread would give.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use crate::DataError;
use crate::check::{Columns, QualityReport, Sink, Tally};
use crate::read::{Decoding, Encoding, detect_encoding};
use crate::schema::ItemSpec;

/// Records per batch handed to a worker.
const BATCH: usize = 4096;
/// Bytes between progress reports.
const PROGRESS_BYTES: u64 = 8 << 20;

struct Batch {
    first_row: u64,
    records: Vec<csv::ByteRecord>,
    len: usize,
}

/// How many workers to use: one per core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8)
}

fn work<S: Sink>(
    items: &[ItemSpec],
    columns: &Columns,
    keys: crate::check::KeyRegistry,
    today: NaiveDate,
    jobs: &Mutex<Receiver<Batch>>,
    recycle: &SyncSender<Batch>,
    sink: &mut S,
) -> Result<Tally, DataError> {
    let mut tally = Tally::with_keys(items, keys);
    loop {
        let job = {
            let rx = jobs.lock().map_err(|_| DataError::Write("a worker stopped".into()))?;
            rx.recv()
        };
        let Ok(batch) = job else { break };
        // One buffer of fields for the whole batch: rows are slices of it.
        let mut fields: Vec<&str> = Vec::with_capacity(batch.len * columns.header.len().max(1));
        for (i, record) in batch.records[..batch.len].iter().enumerate() {
            let row = batch.first_row + i as u64;
            let text = std::str::from_utf8(record.as_slice())
                .map_err(|_| DataError::Unreadable { format: "CSV", reason: format!("row {row} is not UTF-8 text") })?;
            // Field boundaries fall on the delimiters, so they are character boundaries.
            let start = fields.len();
            for j in 0..record.len() {
                if let Some(r) = record.range(j) {
                    fields.push(text.get(r).unwrap_or_default().trim());
                }
            }
            let f = &fields[start..];
            if !f.iter().all(|x| x.is_empty()) {
                tally.row(items, columns, today, row, f, sink)?;
            }
        }
        // Hand the buffers back for the next records; a full return queue just drops them.
        let _ = recycle.try_send(batch);
    }
    Ok(tally)
}

/// Reads a CSV (the first row is the header) with one worker per sink; returns the
/// report and the encoding used.
pub fn run_csv<R: Read, S: Sink + Send>(
    input: R,
    encoding: Option<Encoding>,
    items: &[ItemSpec],
    today: NaiveDate,
    sinks: &mut [S],
    mut progress: Option<&mut dyn FnMut(u64)>,
) -> Result<(QualityReport, Encoding), DataError> {
    let mut input = BufReader::with_capacity(1 << 20, input);
    let sample = input.fill_buf()?;
    let encoding = encoding.unwrap_or_else(|| detect_encoding(&sample[..sample.len().min(64 << 10)]));
    if encoding == Encoding::Utf8 && input.fill_buf()?.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
    }
    let reader: Box<dyn Read> = match encoding {
        Encoding::Utf8 => Box::new(input),
        Encoding::Gb18030 => Box::new(Decoding::new(input)),
    };
    let mut csv =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(1 << 20).from_reader(reader);
    let csv_error = |e: csv::Error| DataError::Unreadable { format: "CSV", reason: e.to_string() };
    let mut header = csv::ByteRecord::new();
    if !csv.read_byte_record(&mut header).map_err(csv_error)? {
        return Err(DataError::Empty);
    }
    let names: Vec<String> =
        header.iter().map(|f| std::str::from_utf8(f).map(|s| s.trim().to_string())).collect::<Result<_, _>>().map_err(
            |_| DataError::Unreadable { format: "CSV", reason: format!("row 1 is not {} text", encoding.as_str()) },
        )?;
    let columns = Columns::map(items, &names)?;

    let (tx, rx) = sync_channel::<Batch>(sinks.len() * 2);
    let jobs = Mutex::new(rx);
    let (recycle_tx, recycle_rx) = sync_channel::<Batch>(sinks.len() * 3);
    let jobs = Arc::new(jobs);
    let keys = crate::check::key_registry(items);
    let result = std::thread::scope(|scope| {
        let handles: Vec<_> = sinks
            .iter_mut()
            .map(|sink| {
                let (jobs, recycle, columns, keys) = (jobs.clone(), recycle_tx.clone(), &columns, keys.clone());
                scope.spawn(move || work(items, columns, keys, today, &jobs, &recycle, sink))
            })
            .collect();
        drop(recycle_tx);
        let read = (|| -> Result<(), DataError> {
            let mut row = 1u64;
            let mut reported = 0u64;
            loop {
                let mut batch = recycle_rx.try_recv().unwrap_or_else(|_| Batch {
                    first_row: 0,
                    records: (0..BATCH).map(|_| csv::ByteRecord::new()).collect(),
                    len: 0,
                });
                batch.first_row = row + 1;
                batch.len = 0;
                while batch.len < BATCH {
                    if !csv.read_byte_record(&mut batch.records[batch.len]).map_err(csv_error)? {
                        break;
                    }
                    batch.len += 1;
                }
                row += batch.len as u64;
                let done = batch.len < BATCH;
                if batch.len > 0 && tx.send(batch).is_err() {
                    // Every worker stopped: their errors say why.
                    return Ok(());
                }
                let bytes = csv.position().byte();
                if let Some(p) = progress.as_mut()
                    && (done || bytes - reported >= PROGRESS_BYTES)
                {
                    p(bytes);
                    reported = bytes;
                }
                if done {
                    return Ok(());
                }
            }
        })();
        drop(tx);
        let mut tallies = Vec::new();
        let mut first_error = None;
        for h in handles {
            match h.join() {
                Ok(Ok(t)) => tallies.push(t),
                Ok(Err(e)) => {
                    first_error.get_or_insert(e);
                }
                Err(_) => {
                    first_error.get_or_insert(DataError::Write("a worker panicked".into()));
                }
            }
        }
        read?;
        if let Some(e) = first_error {
            return Err(e);
        }
        let mut total = Tally::with_keys(items, keys.clone());
        for t in tallies {
            total.merge(t);
        }
        Ok(total)
    })?;
    Ok((result.report(items, &columns), encoding))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Checker, Discard};
    use crate::schema::ItemType;

    #[test]
    fn agg_2_workers_report_exactly_what_one_thread_reports() {
        let items = vec![
            ItemSpec {
                name: "号码".into(), item_type: ItemType::CitizenId, required: true, max_len: None, key: true
            },
            ItemSpec {
                name: "金额".into(), item_type: ItemType::Decimal, required: false, max_len: None, key: false
            },
            ItemSpec { name: "日期".into(), item_type: ItemType::Date, required: true, max_len: None, key: false },
        ];
        let mut csv = String::from("号码,金额,日期\n");
        for i in 0..20_000u32 {
            let id = match i % 97 {
                0 => "11010519491231002Y".to_string(),
                _ if i % 5 == 0 => "11010519491231002X".to_string(),
                _ => format!("11010519491231{:03}X", i % 1000),
            };
            let amount = if i % 89 == 0 { "abc".to_string() } else { format!("{i}.5") };
            let date = if i % 71 == 0 { String::new() } else { "2024-03-01".into() };
            csv.push_str(&format!("{id},{amount},{date}\n"));
            if i % 1000 == 0 {
                csv.push_str(",,\n");
            }
        }
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
        let mut sinks = vec![Discard, Discard, Discard];
        let (parallel, enc) =
            run_csv(csv.as_bytes(), None, &items, today, &mut sinks, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(enc, Encoding::Utf8);
        let mut sink = Discard;
        let mut checker = Checker::new(&items, today, &mut sink);
        crate::read::read_csv(csv.as_bytes(), None, &mut checker).unwrap_or_else(|e| panic!("{e}"));
        let single = checker.report();
        assert_eq!(parallel, single);
        assert_eq!(parallel.rows_total, 20_000, "empty rows are skipped");
        assert!(parallel.items["号码"].duplicates.unwrap_or(0) > 4_000);
    }
}
