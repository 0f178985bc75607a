//! Readers of the files providers load (AGG-1): CSV in UTF-8 or GB18030 (which
//! includes GBK; detected or declared), XLSX (the first sheet) and JSON (an array of
//! objects, or one object per line). Each streams rows to a [`Rows`] handler; only XLSX
//! is read whole (calamine reads a sheet at once; a sheet holds at most 1,048,576 rows).

use std::io::{BufRead, BufReader, Read};

use serde::de::{Deserializer as _, SeqAccess, Visitor};

use crate::DataError;

/// The file formats a load accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "json" | "jsonl" | "ndjson" => Some(Format::Json),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_name(name: &str) -> Option<Format> {
        name.rsplit_once('.').and_then(|(_, ext)| Format::parse(ext))
    }
}

/// A CSV file's character encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// GB18030, a superset of GBK and GB2312.
    Gb18030,
}

impl Encoding {
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.to_ascii_lowercase().replace('-', "").as_str() {
            "utf8" => Some(Encoding::Utf8),
            "gbk" | "gb18030" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// Receives the header, then each row (fields trimmed), then progress.
pub trait Rows {
    fn header(&mut self, names: &[String]) -> Result<(), DataError>;
    /// `row` is the row's number in the file as a person counts it: in a CSV or sheet
    /// the header is row 1; in JSON the first record is row 1.
    fn row(&mut self, row: u64, fields: &[&str]) -> Result<(), DataError>;
    /// Bytes of the input read so far (called every few thousand rows).
    fn progress(&mut self, _bytes: u64) {}
}

const PROGRESS_EVERY: u64 = 8192;

/// Guesses a CSV's encoding from its first bytes: a UTF-8 byte-order mark or valid
/// UTF-8 (a character cut at the end of the sample is allowed) means UTF-8; anything
/// else is read as GB18030.
pub fn detect_encoding(sample: &[u8]) -> Encoding {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8;
    }
    match std::str::from_utf8(sample) {
        Ok(_) => Encoding::Utf8,
        Err(e) if e.error_len().is_none() && sample.len() - e.valid_up_to() < 4 => Encoding::Utf8,
        Err(_) => Encoding::Gb18030,
    }
}

/// Decodes GB18030 to UTF-8 as it reads.
pub(crate) struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_len: usize,
    out: Vec<u8>,
    out_pos: usize,
    out_len: usize,
    done: bool,
}

impl<R: Read> Decoding<R> {
    pub(crate) fn new(inner: R) -> Self {
        Decoding {
            inner,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            raw: vec![0; 64 << 10],
            raw_len: 0,
            out: vec![0; 3 * (64 << 10) + 16],
            out_pos: 0,
            out_len: 0,
            done: false,
        }
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_pos == self.out_len {
            if self.done {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.raw[self.raw_len..])?;
            self.raw_len += n;
            let last = n == 0;
            let (_, read, written, _) = self.decoder.decode_to_utf8(&self.raw[..self.raw_len], &mut self.out, last);
            self.raw.copy_within(read..self.raw_len, 0);
            self.raw_len -= read;
            self.out_pos = 0;
            self.out_len = written;
            self.done = last;
        }
        let n = buf.len().min(self.out_len - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Reads a CSV file (the first row is the header); returns the encoding used.
pub fn read_csv<R: Read>(input: R, encoding: Option<Encoding>, rows: &mut dyn Rows) -> Result<Encoding, DataError> {
    let mut input = BufReader::with_capacity(256 << 10, input);
    let sample = input.fill_buf()?;
    let encoding = encoding.unwrap_or_else(|| detect_encoding(&sample[..sample.len().min(64 << 10)]));
    if encoding == Encoding::Utf8 && input.fill_buf()?.starts_with(&[0xEF, 0xBB, 0xBF]) {
        input.consume(3);
    }
    match encoding {
        Encoding::Utf8 => csv_rows(input, encoding, rows)?,
        Encoding::Gb18030 => csv_rows(Decoding::new(input), encoding, rows)?,
    }
    Ok(encoding)
}

fn csv_rows<R: Read>(input: R, encoding: Encoding, rows: &mut dyn Rows) -> Result<(), DataError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).buffer_capacity(256 << 10).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let not_text = |row: u64| DataError::Unreadable {
        format: "CSV",
        reason: format!("row {row} is not {} text", encoding.as_str()),
    };
    let csv_error = |e: csv::Error| DataError::Unreadable { format: "CSV", reason: e.to_string() };
    if !reader.read_byte_record(&mut record).map_err(csv_error)? {
        return Err(DataError::Empty);
    }
    let header: Vec<String> = record
        .iter()
        .map(|f| std::str::from_utf8(f).map(|s| s.trim().to_string()).map_err(|_| not_text(1)))
        .collect::<Result<_, _>>()?;
    rows.header(&header)?;
    let width = header.len();
    let mut row = 1u64;
    while reader.read_byte_record(&mut record).map_err(csv_error)? {
        row += 1;
        let text = std::str::from_utf8(record.as_slice()).map_err(|_| not_text(row))?;
        // Field boundaries fall on the delimiters, so they are character boundaries.
        let mut fields: Vec<&str> = Vec::with_capacity(width);
        for i in 0..record.len() {
            if let Some(r) = record.range(i) {
                fields.push(text.get(r).unwrap_or_default().trim());
            }
        }
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        rows.row(row, &fields)?;
        if row.is_multiple_of(PROGRESS_EVERY) {
            rows.progress(reader.position().byte());
        }
    }
    rows.progress(reader.position().byte());
    Ok(())
}

/// An Excel serial date (days since 1899-12-30, the fraction the time of day).
fn excel_datetime(serial: f64) -> Option<chrono::NaiveDateTime> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let millis = (serial * 86_400_000.0).round() as i64;
    epoch.checked_add_signed(chrono::Duration::milliseconds(millis))
}

/// Reads the first sheet of an XLSX workbook (the first row is the header).
pub fn read_xlsx(bytes: &[u8], rows: &mut dyn Rows) -> Result<(), DataError> {
    use calamine::{Data, Reader, Xlsx};
    let unreadable = |e: &dyn std::fmt::Display| DataError::Unreadable { format: "XLSX", reason: e.to_string() };
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let Some(Ok(range)) = book.worksheet_range_at(0) else {
        return Err(DataError::Empty);
    };
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.trim().to_string(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(dt) => match excel_datetime(dt.as_f64()) {
                Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
                Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                None => dt.as_f64().to_string(),
            },
            Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
            Data::Error(e) => format!("#{e:?}"),
        }
    };
    let mut it = range.rows();
    let Some(first) = it.next() else {
        return Err(DataError::Empty);
    };
    rows.header(&first.iter().map(cell).collect::<Vec<_>>())?;
    let mut row = 1u64;
    for r in it {
        row += 1;
        let owned: Vec<String> = r.iter().map(cell).collect();
        if owned.iter().all(String::is_empty) {
            continue;
        }
        let fields: Vec<&str> = owned.iter().map(String::as_str).collect();
        rows.row(row, &fields)?;
        if row.is_multiple_of(PROGRESS_EVERY) {
            rows.progress(bytes.len() as u64 * row / range.height().max(1) as u64);
        }
    }
    rows.progress(bytes.len() as u64);
    Ok(())
}

/// The header of a JSON load is the keys of its first record; a later record's new
/// keys are ignored, and a key it lacks is an empty value.
struct JsonRows<'a> {
    rows: &'a mut dyn Rows,
    header: Option<Vec<String>>,
    row: u64,
    values: Vec<String>,
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

impl JsonRows<'_> {
    fn record(&mut self, obj: serde_json::Map<String, serde_json::Value>) -> Result<(), DataError> {
        self.row += 1;
        if self.header.is_none() {
            let names: Vec<String> = obj.keys().cloned().collect();
            self.rows.header(&names)?;
            self.header = Some(names);
        }
        let header = self.header.as_deref().unwrap_or_default();
        self.values.clear();
        for name in header {
            self.values.push(obj.get(name).map(json_text).unwrap_or_default());
        }
        let fields: Vec<&str> = self.values.iter().map(String::as_str).collect();
        self.rows.row(self.row, &fields)?;
        if self.row.is_multiple_of(PROGRESS_EVERY) {
            self.rows.progress(0);
        }
        Ok(())
    }
}

fn not_an_object(row: u64) -> DataError {
    DataError::Unreadable { format: "JSON", reason: format!("record {row} is not an object") }
}

/// Reads JSON: an array of objects, or one object per line (JSON Lines).
pub fn read_json<R: Read>(input: R, rows: &mut dyn Rows) -> Result<(), DataError> {
    let mut input = BufReader::with_capacity(256 << 10, input);
    let first = loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Err(DataError::Empty);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let c = buf[i];
                input.consume(i);
                break c;
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    let mut handler = JsonRows { rows, header: None, row: 0, values: Vec::new() };
    let bad = |e: serde_json::Error| DataError::Unreadable { format: "JSON", reason: e.to_string() };
    if first == b'[' {
        struct Seq<'h, 'a>(&'h mut JsonRows<'a>);
        impl<'de> Visitor<'de> for Seq<'_, '_> {
            type Value = Result<(), DataError>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while let Some(v) = seq.next_element::<serde_json::Value>()? {
                    let row = self.0.row + 1;
                    let serde_json::Value::Object(obj) = v else { return Ok(Err(not_an_object(row))) };
                    if let Err(e) = self.0.record(obj) {
                        return Ok(Err(e));
                    }
                }
                Ok(Ok(()))
            }
        }
        let mut de = serde_json::Deserializer::from_reader(input);
        de.deserialize_seq(Seq(&mut handler)).map_err(bad)??;
        de.end().map_err(bad)?;
    } else {
        let mut line = String::new();
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                break;
            }
            if line.trim().is_empty() {
                continue;
            }
            let row = handler.row + 1;
            match serde_json::from_str::<serde_json::Value>(&line).map_err(bad)? {
                serde_json::Value::Object(obj) => handler.record(obj)?,
                _ => return Err(not_an_object(row)),
            }
        }
    }
    if handler.header.is_none() {
        return Err(DataError::Empty);
    }
    Ok(())
}
