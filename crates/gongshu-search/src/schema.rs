//! The tantivy schema: one tantivy document per catalog entry.

use tantivy::TantivyDocument;
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{RAW_TOKENIZER_NAME, TokenizerManager};

use crate::EntryDoc;
use crate::text::{
    EdgePrefixTokenizer, ExactTokenizer, PathPrefixTokenizer, ZhGramsTokenizer, ZhWordsTokenizer, clean_category,
};

pub(crate) const TOK_WORDS: &str = "gs_zh_words";
pub(crate) const TOK_GRAMS: &str = "gs_zh_grams";
pub(crate) const TOK_EXACT: &str = "gs_exact";
pub(crate) const TOK_EDGE: &str = "gs_edge_prefix";
pub(crate) const TOK_PATH: &str = "gs_path_prefix";

pub(crate) const F_PROVIDER_ID: &str = "provider_id";
pub(crate) const F_LEVEL: &str = "level";
pub(crate) const F_UPDATED: &str = "updated_at";
pub(crate) const F_ID: &str = "id";
pub(crate) const F_NAME: &str = "name";
pub(crate) const F_CATEGORY: &str = "category";
pub(crate) const F_SHARE: &str = "share_type";
pub(crate) const F_OPEN: &str = "open_type";
pub(crate) const F_FORMAT: &str = "format";
pub(crate) const F_CYCLE: &str = "update_cycle";

/// Field handles.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub id: Field,
    pub code: Field,
    pub code_exact: Field,
    pub code_prefix: Field,
    pub name: Field,
    pub name_exact: Field,
    pub name_w: Field,
    pub name_g: Field,
    pub summary: Field,
    pub summary_w: Field,
    pub items: Field,
    pub items_w: Field,
    pub meta_w: Field,
    pub all_g: Field,
    pub provider_id: Field,
    pub category: Field,
    pub share_type: Field,
    pub open_type: Field,
    pub format: Field,
    pub update_cycle: Field,
    pub level: Field,
    pub state: Field,
    pub updated_at: Field,
}

fn indexed(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record))
}

/// Keyword fields: matched case-insensitively as a whole, faceted on the
/// value as given (trimmed).
fn keyword() -> TextOptions {
    TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOK_EXACT)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
        .set_fast(RAW_TOKENIZER_NAME)
}

pub(crate) fn build_schema() -> (Schema, Fields) {
    use IndexRecordOption::{Basic, WithFreqs, WithFreqsAndPositions};
    let mut b = Schema::builder();
    let exact = || {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(TOK_EXACT).set_index_option(Basic).set_fieldnorms(false),
        )
    };
    let fields = Fields {
        id: b.add_i64_field(F_ID, INDEXED | STORED | FAST),
        code: b.add_text_field("code", STORED),
        code_exact: b.add_text_field("code_exact", exact()),
        code_prefix: b.add_text_field(
            "code_prefix",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default().set_tokenizer(TOK_EDGE).set_index_option(Basic).set_fieldnorms(false),
            ),
        ),
        name: b.add_text_field(F_NAME, TextOptions::default().set_stored().set_fast(RAW_TOKENIZER_NAME)),
        name_exact: b.add_text_field("name_exact", exact()),
        name_w: b.add_text_field("name_w", indexed(TOK_WORDS, WithFreqs)),
        name_g: b.add_text_field("name_g", indexed(TOK_GRAMS, WithFreqsAndPositions)),
        summary: b.add_text_field("summary", STORED),
        summary_w: b.add_text_field("summary_w", indexed(TOK_WORDS, WithFreqs)),
        items: b.add_text_field("items", STORED),
        items_w: b.add_text_field("items_w", indexed(TOK_WORDS, WithFreqs)),
        meta_w: b.add_text_field("meta_w", indexed(TOK_WORDS, WithFreqs)),
        all_g: b.add_text_field("all_g", indexed(TOK_GRAMS, WithFreqs)),
        provider_id: b.add_i64_field(F_PROVIDER_ID, INDEXED | FAST),
        category: b.add_text_field(
            F_CATEGORY,
            TextOptions::default()
                .set_indexing_options(
                    TextFieldIndexing::default().set_tokenizer(TOK_PATH).set_index_option(Basic).set_fieldnorms(false),
                )
                .set_fast(RAW_TOKENIZER_NAME),
        ),
        share_type: b.add_text_field(F_SHARE, keyword()),
        open_type: b.add_text_field(F_OPEN, keyword()),
        format: b.add_text_field(F_FORMAT, keyword()),
        update_cycle: b.add_text_field(F_CYCLE, keyword()),
        level: b.add_i64_field(F_LEVEL, INDEXED | FAST),
        state: b.add_text_field("state", exact()),
        updated_at: b.add_i64_field(F_UPDATED, FAST),
    };
    (b.build(), fields)
}

pub(crate) fn tokenizers() -> TokenizerManager {
    let manager = TokenizerManager::default();
    manager.register(TOK_WORDS, ZhWordsTokenizer);
    manager.register(TOK_GRAMS, ZhGramsTokenizer);
    manager.register(TOK_EXACT, ExactTokenizer);
    manager.register(TOK_EDGE, EdgePrefixTokenizer);
    manager.register(TOK_PATH, PathPrefixTokenizer);
    manager
}

/// Splits a format such as `CSV, XLSX/JSON` into its values.
pub(crate) fn split_formats(format: &str) -> Vec<&str> {
    format.split([',', '，', '、', ';', '；', '/', '|']).map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn add_keyword(doc: &mut TantivyDocument, field: Field, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        doc.add_text(field, value);
    }
}

pub(crate) fn to_document(f: &Fields, e: &EntryDoc) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_i64(f.id, e.id);

    doc.add_text(f.code, &e.code);
    doc.add_text(f.code_exact, &e.code);
    doc.add_text(f.code_prefix, &e.code);
    doc.add_text(f.meta_w, &e.code);

    doc.add_text(f.name, &e.name);
    doc.add_text(f.name_exact, &e.name);
    doc.add_text(f.name_w, &e.name);
    doc.add_text(f.name_g, &e.name);
    doc.add_text(f.all_g, &e.name);

    doc.add_text(f.summary, &e.summary);
    doc.add_text(f.summary_w, &e.summary);
    doc.add_text(f.all_g, &e.summary);

    for item in &e.items {
        doc.add_text(f.items, item);
        doc.add_text(f.items_w, item);
        doc.add_text(f.all_g, item);
    }

    doc.add_text(f.meta_w, &e.provider);
    doc.add_text(f.all_g, &e.provider);
    doc.add_i64(f.provider_id, e.provider_id);

    let category = clean_category(&e.category);
    if !category.is_empty() {
        doc.add_text(f.category, &category);
        doc.add_text(f.meta_w, &category);
        doc.add_text(f.all_g, &category);
    }

    for (field, value) in
        [(f.share_type, &e.share_type), (f.open_type, &e.open_type), (f.update_cycle, &e.update_cycle)]
    {
        add_keyword(&mut doc, field, value);
        doc.add_text(f.meta_w, value);
    }
    for format in split_formats(&e.format) {
        add_keyword(&mut doc, f.format, format);
    }
    doc.add_text(f.meta_w, &e.format);

    doc.add_i64(f.level, e.level);
    doc.add_text(f.state, &e.state);
    doc.add_i64(f.updated_at, e.updated_at);
    doc
}
