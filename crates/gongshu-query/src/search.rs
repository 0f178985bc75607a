//! CKAN's `datastore_search`: filters, full text, fields, sort and paging over
//! one table, planned with DataFusion's DataFrame API (never as SQL text, so
//! no field name or value can inject anything).

use std::sync::Arc;

use arrow_schema::{DataType, SchemaRef};
use datafusion::functions_aggregate::count::count_all;
use datafusion::functions_aggregate::expr_fn::min;
use datafusion::logical_expr::{Expr, SortExpr, cast};
use datafusion::prelude::{DataFrame, ident, lit};

use crate::engine::{new_context, on_planning_thread, read_count, read_records, result, with_timeout};
use crate::fulltext::all_words_in;
use crate::source::{ID_FIELD, TableSource, is_text, table_provider};
use crate::{Limits, QueryError, QueryResult};

/// The most filters a search may have.
pub const MAX_FILTERS: usize = 64;
/// The most words `q` may have.
pub const MAX_Q_WORDS: usize = 32;

/// `datastore_search`'s parameters, as CKAN documents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Full text: the words of `q` (split on white space) must each occur, as
    /// a case-insensitive substring, in at least one text field of the row
    /// (different words may match different fields, as in CKAN, whose index
    /// covers the whole row). Fields that are not text are not searched.
    /// At most [`MAX_Q_WORDS`] words.
    pub q: Option<String>,
    /// Each `(field, values)` keeps the rows whose field equals any of the
    /// values (all the filters must hold). A value is read as the field's
    /// type: an integer, a float, `true`/`false`, or text compared exactly.
    /// At most [`MAX_FILTERS`] filters.
    pub filters: Vec<(String, Vec<String>)>,
    /// The fields to return, in order (`_id` only if listed); `None` returns
    /// `_id` and then every field.
    pub fields: Option<Vec<String>>,
    /// `(field, descending)` pairs, most significant first, as
    /// [`parse_sort`] reads CKAN's `sort`. Ascending puts nulls last,
    /// descending puts them first (as PostgreSQL); text sorts by code point.
    /// `_id` always breaks ties, and alone is the default order.
    pub sort: Vec<(String, bool)>,
    /// Records to return at most (CKAN's default is 100); it is further
    /// capped by [`Limits::max_rows`], which sets `truncated` when it cuts.
    pub limit: usize,
    /// Matching records to skip first.
    pub offset: usize,
    /// Whether to count all the matching rows into `total` (default true).
    pub include_total: bool,
    /// Return each distinct combination of the returned fields once. Its
    /// `_id`, when `fields` is `None`, is the first matching row's.
    pub distinct: bool,
}

impl Default for Search {
    /// No condition, all fields, `_id` order, 100 records, with the total.
    fn default() -> Self {
        Self {
            q: None,
            filters: Vec::new(),
            fields: None,
            sort: Vec::new(),
            limit: 100,
            offset: 0,
            include_total: true,
            distinct: false,
        }
    }
}

/// Reads CKAN's `sort` parameter: comma-separated fields, each optionally
/// followed by `asc` or `desc` (any case), e.g. `"a desc, b"` →
/// `[("a", true), ("b", false)]`. A name with a comma, a quote or a trailing
/// `asc`/`desc` word is written in double quotes, `""` standing for a quote:
/// `"\"a, b\" desc"`. An empty or blank string is no sort.
pub fn parse_sort(s: &str) -> Result<Vec<(String, bool)>, QueryError> {
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    split_outside_quotes(s).into_iter().map(|item| parse_sort_item(item.trim())).collect()
}

/// Splits `s` at the commas that are not inside double quotes.
fn split_outside_quotes(s: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                items.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&s[start..]);
    items
}

fn parse_sort_item(item: &str) -> Result<(String, bool), QueryError> {
    let bad = |why: &str| QueryError::BadParameter(format!("sort \"{item}\": {why}"));
    if item.is_empty() {
        return Err(bad("a field name is missing"));
    }
    let (name, rest) = if let Some(quoted) = item.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = quoted.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().is_some_and(|&(_, n)| n == '"') {
                    chars.next();
                    name.push('"');
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                name.push(c);
            }
        }
        let end = end.ok_or_else(|| bad("a quote is not closed"))?;
        (name, quoted[end..].trim())
    } else {
        let (name, rest) = match item.rsplit_once(char::is_whitespace) {
            Some((name, dir)) if dir.eq_ignore_ascii_case("asc") || dir.eq_ignore_ascii_case("desc") => {
                (name.trim_end(), dir)
            }
            _ => (item, ""),
        };
        if name.contains('"') {
            return Err(bad("a name with a quote must be quoted"));
        }
        (name.to_owned(), rest)
    };
    if name.is_empty() {
        return Err(bad("a field name is missing"));
    }
    match rest.to_ascii_lowercase().as_str() {
        "" | "asc" => Ok((name, false)),
        "desc" => Ok((name, true)),
        _ => Err(bad("the direction must be asc or desc")),
    }
}

/// Runs CKAN's `datastore_search` over `table` within `limits`.
pub async fn search(table: Arc<dyn TableSource>, params: &Search, limits: &Limits) -> Result<QueryResult, QueryError> {
    with_timeout(limits, run(table, params, limits)).await
}

async fn run(table: Arc<dyn TableSource>, params: &Search, limits: &Limits) -> Result<QueryResult, QueryError> {
    if params.filters.len() > MAX_FILTERS {
        return Err(QueryError::BadParameter(format!("more than {MAX_FILTERS} filters")));
    }
    let ctx = new_context(limits)?;
    let provider = table_provider(table)?;
    let schema = provider.schema();
    let mut df = ctx.read_table(provider)?;

    for (name, values) in &params.filters {
        let data_type = field_type(&schema, name)?;
        if values.is_empty() {
            return Err(QueryError::BadParameter(format!("filter on \"{name}\" has no value")));
        }
        let values = values.iter().map(|v| literal(name, v, &data_type)).collect::<Result<Vec<_>, _>>()?;
        df = df.filter(ident(name).in_list(values, false))?;
    }
    if let Some(q) = &params.q {
        df = full_text(df, &schema, q)?;
    }

    let selected = selected_fields(&schema, params.fields.as_deref())?;
    let mut order = Vec::with_capacity(params.sort.len() + 1);
    for (name, descending) in &params.sort {
        field_type(&schema, name)?;
        order.push(ident(name).sort(!descending, *descending));
    }

    // With `_id` among the listed fields every row is distinct already.
    if params.distinct && (params.fields.is_none() || !selected.iter().any(|f| f == ID_FIELD)) {
        // One row per distinct combination, numbered by its first `_id`,
        // which also orders the combinations stably.
        for (name, _) in &params.sort {
            if !selected.contains(name) && name != ID_FIELD {
                return Err(QueryError::BadParameter(format!(
                    "with distinct, the sort field \"{name}\" must be among the fields"
                )));
            }
        }
        let groups = selected.iter().filter(|f| *f != ID_FIELD).map(ident).collect();
        df = df.aggregate(groups, vec![min(ident(ID_FIELD)).alias(ID_FIELD)])?;
    }
    let fetch = params.limit.min(limits.max_rows.saturating_add(1));
    let page = paged(df.clone(), order, params.offset, fetch, &selected)?;
    let count = if params.include_total { Some(df.aggregate(vec![], vec![count_all()])?) } else { None };

    let (page, count) = on_planning_thread(|| async {
        let count = match count {
            Some(count) => Some(count.create_physical_plan().await?),
            None => None,
        };
        Ok((page.create_physical_plan().await?, count))
    })?;
    let total = match count {
        Some(count) => Some(read_count(count, ctx.task_ctx()).await?),
        None => None,
    };
    let read = read_records(page, ctx.task_ctx(), limits.max_rows).await?;
    Ok(result(read, total))
}

/// Sorts by `order` then `_id`, skips `offset`, keeps `fetch`, and returns
/// the `selected` fields.
fn paged(
    df: DataFrame,
    mut order: Vec<SortExpr>,
    offset: usize,
    fetch: usize,
    selected: &[String],
) -> Result<DataFrame, QueryError> {
    order.push(ident(ID_FIELD).sort(true, false));
    Ok(df.sort(order)?.limit(offset, Some(fetch))?.select(selected.iter().map(ident).collect::<Vec<_>>())?)
}

/// The fields to return: `_id` and every field, or the listed ones, each
/// known and listed once.
fn selected_fields(schema: &SchemaRef, fields: Option<&[String]>) -> Result<Vec<String>, QueryError> {
    let Some(fields) = fields else {
        return Ok(schema.fields().iter().map(|f| f.name().clone()).collect());
    };
    if fields.is_empty() {
        return Err(QueryError::BadParameter("fields is empty".to_owned()));
    }
    let mut selected: Vec<String> = Vec::with_capacity(fields.len());
    for name in fields {
        field_type(schema, name)?;
        if selected.contains(name) {
            return Err(QueryError::BadParameter(format!("the field \"{name}\" is listed twice")));
        }
        selected.push(name.clone());
    }
    Ok(selected)
}

/// Keeps the rows in which each word of `q` occurs in some text field.
fn full_text(df: DataFrame, schema: &SchemaRef, q: &str) -> Result<DataFrame, QueryError> {
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    if words.len() > MAX_Q_WORDS {
        return Err(QueryError::BadParameter(format!("q has more than {MAX_Q_WORDS} words")));
    }
    if words.is_empty() {
        return Ok(df);
    }
    let text: Vec<Expr> = schema.fields().iter().filter(|f| is_text(f.data_type())).map(|f| ident(f.name())).collect();
    let condition = if text.is_empty() { lit(false) } else { all_words_in(words, text) };
    Ok(df.filter(condition)?)
}

fn field_type(schema: &SchemaRef, name: &str) -> Result<DataType, QueryError> {
    schema.field_with_name(name).map(|f| f.data_type().clone()).map_err(|_| QueryError::UnknownField(name.to_owned()))
}

/// A filter value as a literal of the field's type.
fn literal(name: &str, value: &str, data_type: &DataType) -> Result<Expr, QueryError> {
    let bad = || QueryError::BadParameter(format!("the filter value \"{value}\" does not fit the field \"{name}\""));
    Ok(match data_type {
        t if is_text(t) => lit(value.to_owned()),
        t if t.is_signed_integer() => lit(value.trim().parse::<i64>().map_err(|_| bad())?),
        t if t.is_unsigned_integer() => lit(value.trim().parse::<u64>().map_err(|_| bad())?),
        t if t.is_floating() => lit(value.trim().parse::<f64>().map_err(|_| bad())?),
        DataType::Boolean => match value.trim().to_ascii_lowercase().as_str() {
            "true" | "t" => lit(true),
            "false" | "f" => lit(false),
            _ => return Err(bad()),
        },
        other => cast(lit(value.to_owned()), other.clone()),
    })
}
