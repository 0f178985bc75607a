//! CKAN's `datastore_search_sql`: one read-only `SELECT` over open resources.
//!
//! What is allowed: exactly one query statement — `SELECT`, `WITH … SELECT`,
//! `UNION`/`INTERSECT`/`EXCEPT`, `VALUES`, subqueries, joins, `UNNEST` —
//! naming only unqualified tables that [`Tables::table`] resolves (a quoted
//! name is taken as written, an unquoted one lower-cased, as in PostgreSQL).
//!
//! What is refused, before anything is planned: several statements; any
//! statement that is not a query (DDL, DML, `COPY`, `SET`, `RESET`, `SHOW`,
//! `DESCRIBE`, every `EXPLAIN`, `CREATE EXTERNAL TABLE`, …); `SELECT … INTO`;
//! table functions (`read_csv(…)`, `generate_series(…)`, …) and other table
//! expressions DataFusion would not take from a plain catalog; qualified
//! names, and so `information_schema` (which is also switched off);
//! file paths or URLs as table names (they are unknown tables). The session
//! holds no table function, file format or table factory, and no table but
//! the resolved ones, and the plan is checked again with DataFusion's
//! `SQLOptions` (no DDL, DML or statements).
//!
//! Against stack exhaustion: the text is at most [`MAX_SQL_BYTES`], the
//! parser's recursion limit is 50, and expressions and queries may nest at
//! most [`MAX_EXPR_DEPTH`] and [`MAX_QUERY_DEPTH`] deep (a long chain of
//! `+`, `AND` or `UNION` counts as nesting). Parsing and planning run on a
//! thread of their own with a large stack (DataFusion's planner recurses with
//! large frames); execution, whose recursion these limits bound, runs on the
//! caller's runtime.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::common::TableReference;
use datafusion::error::DataFusionError;
use datafusion::execution::context::SQLOptions;
use datafusion::prelude::DataFrame;
use datafusion::sql::parser::{DFParserBuilder, Statement as DfStatement};
use datafusion::sql::sqlparser::ast::{Expr, Query, Select, SetExpr, Statement, TableFactor, Visit, Visitor};
use datafusion::sql::sqlparser::parser::ParserError;

use crate::engine::{PARSER_RECURSION_LIMIT, new_context, on_planning_thread, read_records, result, with_timeout};
use crate::source::{TableSource, table_provider};
use crate::{Limits, QueryError, QueryResult};

/// The longest SQL text accepted, in bytes.
pub const MAX_SQL_BYTES: usize = 16 * 1024;
/// How deep expressions may nest (`a + b + c` is three deep: two operators
/// and a leaf; subqueries inside an expression add to it).
pub const MAX_EXPR_DEPTH: usize = 128;
/// How deep queries (subqueries, CTEs) and set operations may nest (a chain
/// of n `UNION`s is n + 1 deep).
pub const MAX_QUERY_DEPTH: usize = 32;

/// The tables a SQL statement may name.
pub trait Tables: Send + Sync {
    /// The open resource called `name` (CKAN uses resource ids as table
    /// names), or `None` when there is none. It is called from the query's
    /// planning thread, and should answer at once.
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>>;
}

/// Runs CKAN's `datastore_search_sql`: `sql` must be a single read-only
/// query over tables that `tables` resolves; the answer's fields come from
/// the query's output. `total` is `None`.
pub async fn search_sql(sql: &str, tables: &dyn Tables, limits: &Limits) -> Result<QueryResult, QueryError> {
    with_timeout(limits, run(sql, tables, limits)).await
}

async fn run(sql: &str, tables: &dyn Tables, limits: &Limits) -> Result<QueryResult, QueryError> {
    let ctx = new_context(limits)?;
    let fetch = limits.max_rows.saturating_add(1);
    let plan = on_planning_thread(|| async {
        let statement = parse(sql)?;
        for reference in ctx.state().resolve_table_references(&statement)? {
            let TableReference::Bare { table } = &reference else {
                return Err(QueryError::UnknownTable(reference.to_string()));
            };
            let source = tables.table(table).ok_or_else(|| QueryError::UnknownTable(table.to_string()))?;
            ctx.register_table(TableReference::bare(table.to_string()), table_provider(source)?)?;
        }
        let state = ctx.state();
        let plan = state.statement_to_plan(statement).await?;
        SQLOptions::new()
            .with_allow_ddl(false)
            .with_allow_dml(false)
            .with_allow_statements(false)
            .verify_plan(&plan)
            .map_err(|e| QueryError::NotReadOnly(e.strip_backtrace()))?;
        // The row limit is part of the plan, so that a sort keeps only the
        // top rows and the sources stop early.
        let df = DataFrame::new(state, plan).limit(0, Some(fetch))?;
        Ok(df.create_physical_plan().await?)
    })?;
    let read = read_records(plan, ctx.task_ctx(), limits.max_rows).await?;
    Ok(result(read, None))
}

/// Parses `sql` into its one statement, and checks that it is a read-only
/// query of bounded size.
fn parse(sql: &str) -> Result<DfStatement, QueryError> {
    if sql.len() > MAX_SQL_BYTES {
        return Err(QueryError::TooComplex(format!("the SQL is longer than {MAX_SQL_BYTES} bytes")));
    }
    let parsed = DFParserBuilder::new(sql)
        .with_recursion_limit(PARSER_RECURSION_LIMIT)
        .build()
        .and_then(|mut parser| parser.parse_statements());
    let mut statements = match parsed {
        Ok(statements) => statements,
        Err(DataFusionError::SQL(e, _)) if matches!(*e, ParserError::RecursionLimitExceeded) => {
            return Err(QueryError::TooComplex("it is nested too deeply".to_owned()));
        }
        Err(e) => return Err(e.into()),
    };
    if statements.len() > 1 {
        return Err(QueryError::NotReadOnly(format!(
            "{} statements were given, only one is allowed",
            statements.len()
        )));
    }
    let statement = statements.pop_front().ok_or_else(|| QueryError::Syntax("no statement was given".to_owned()))?;
    let query = match &statement {
        DfStatement::Statement(s) => match s.as_ref() {
            Statement::Query(query) => query,
            _ => return Err(not_a_query(sql)),
        },
        _ => return Err(not_a_query(sql)),
    };
    if let ControlFlow::Break(refusal) = query.visit(&mut Guard::default()) {
        return Err(refusal.into());
    }
    Ok(statement)
}

/// The refusal of a statement that is not a query, named by its first word.
fn not_a_query(sql: &str) -> QueryError {
    let keyword: String = sql
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .chars()
        .take_while(char::is_ascii_alphabetic)
        .take(20)
        .collect::<String>()
        .to_ascii_uppercase();
    QueryError::NotReadOnly(format!("{keyword} is not a SELECT query"))
}

/// Walks a query before it is planned: bounds its nesting, and refuses what
/// is not a plain read of catalog tables.
#[derive(Default)]
struct Guard {
    expr_depth: usize,
    query_depth: usize,
}

/// Why [`Guard`] stopped. It is one byte on purpose: the visitor's frames
/// hold many values of it, and a larger type would multiply their size.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    DeepQueries,
    DeepExpressions,
    Modifying,
    TableCommand,
    SelectInto,
    TableFunction,
    TableExpression,
}

impl From<Refusal> for QueryError {
    fn from(r: Refusal) -> Self {
        let refused = |why: &str| Self::NotReadOnly(why.to_owned());
        let too_deep = |what: &str| Self::TooComplex(format!("{what} are nested too deeply"));
        match r {
            Refusal::DeepQueries => too_deep("queries or set operations"),
            Refusal::DeepExpressions => too_deep("expressions"),
            Refusal::Modifying => refused("data-modifying statements are not allowed"),
            Refusal::TableCommand => refused("the TABLE command is not allowed"),
            Refusal::SelectInto => refused("SELECT … INTO is not allowed"),
            Refusal::TableFunction => refused("table functions are not allowed"),
            Refusal::TableExpression => refused("this kind of table expression is not allowed"),
        }
    }
}

impl Visitor for Guard {
    type Break = Refusal;

    fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<Refusal> {
        self.query_depth += 1;
        // Set operations chain without recursion in the parser: measure the
        // chain here, before the visitor recurses into it.
        let mut stack = vec![(&*query.body, self.query_depth)];
        while let Some((body, depth)) = stack.pop() {
            if depth > MAX_QUERY_DEPTH {
                return ControlFlow::Break(Refusal::DeepQueries);
            }
            match body {
                SetExpr::SetOperation { left, right, .. } => {
                    stack.push((left, depth + 1));
                    stack.push((right, depth + 1));
                }
                SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_) => {
                    return ControlFlow::Break(Refusal::Modifying);
                }
                SetExpr::Table(_) => return ControlFlow::Break(Refusal::TableCommand),
                SetExpr::Select(_) | SetExpr::Query(_) | SetExpr::Values(_) => {}
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &Query) -> ControlFlow<Refusal> {
        self.query_depth = self.query_depth.saturating_sub(1);
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, select: &Select) -> ControlFlow<Refusal> {
        if select.into.is_some() {
            return ControlFlow::Break(Refusal::SelectInto);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, _expr: &Expr) -> ControlFlow<Refusal> {
        self.expr_depth += 1;
        if self.expr_depth > MAX_EXPR_DEPTH {
            return ControlFlow::Break(Refusal::DeepExpressions);
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, _expr: &Expr) -> ControlFlow<Refusal> {
        self.expr_depth = self.expr_depth.saturating_sub(1);
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &TableFactor) -> ControlFlow<Refusal> {
        match factor {
            TableFactor::Table { args: None, .. }
            | TableFactor::Derived { .. }
            | TableFactor::NestedJoin { .. }
            | TableFactor::UNNEST { .. } => ControlFlow::Continue(()),
            TableFactor::Table { args: Some(_), .. }
            | TableFactor::TableFunction { .. }
            | TableFactor::Function { .. } => ControlFlow::Break(Refusal::TableFunction),
            _ => ControlFlow::Break(Refusal::TableExpression),
        }
    }
}
