//! The full-text condition of `datastore_search`'s `q`, as one function over
//! the row's text fields.
//!
//! One expression, however many fields and words: a disjunction per word and
//! field is slow to plan over a wide table, and so is a joined document
//! repeated for every word.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, BooleanArray};
use arrow_schema::DataType;
use datafusion::error::{DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// `words_in(fields…)`: true when each of the words (already lower-cased)
/// occurs, as a substring of the lower-cased value, in at least one of the
/// fields; null fields hold no word.
pub(crate) fn all_words_in(words: Vec<String>, fields: Vec<Expr>) -> Expr {
    let udf = ScalarUDF::from(WordsIn { words, signature: Signature::variadic_any(Volatility::Immutable) });
    udf.call(fields)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct WordsIn {
    words: Vec<String>,
    signature: Signature,
}

impl ScalarUDFImpl for WordsIn {
    fn name(&self) -> &str {
        "gongshu_words_in"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let columns = args.args.iter().map(|arg| arg.to_array(rows)).collect::<Result<Vec<ArrayRef>>>()?;
        let mut found = vec![false; self.words.len()];
        let mut result = Vec::with_capacity(rows);
        for row in 0..rows {
            found.fill(false);
            for column in &columns {
                if let Some(value) = text_at(column.as_ref(), row)? {
                    let value = value.to_lowercase();
                    for (word, seen) in self.words.iter().zip(found.iter_mut()) {
                        *seen = *seen || value.contains(word.as_str());
                    }
                }
            }
            result.push(found.iter().all(|seen| *seen));
        }
        Ok(ColumnarValue::Array(Arc::new(BooleanArray::from(result))))
    }
}

/// The text at `row`, or `None` when it is null.
fn text_at(array: &dyn Array, row: usize) -> Result<Option<&str>> {
    if array.is_null(row) {
        return Ok(None);
    }
    Ok(Some(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(row),
        DataType::LargeUtf8 => array.as_string::<i64>().value(row),
        DataType::Utf8View => array.as_string_view().value(row),
        other => {
            return Err(DataFusionError::Internal(format!("full text over a field of type {other}")));
        }
    }))
}
