//! One error shape for every failure: an HTTP status, a stable machine-readable
//! `code`, and the message in Chinese and English.
//!
//! Handlers return [`ApiError`]; anything unexpected (a database that went away) is
//! logged with its cause and answered with a generic 500, so no internals leak.

use axum::extract::rejection::{FormRejection, JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongshu_domain::{DomainError, Localized};
use gongshu_store::StoreError;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
    /// Every problem, when one request has several (a form, an imported entry).
    pub problems: Vec<Problem>,
}

/// One of several problems of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Problem {
    pub code: String,
    /// The field (or spreadsheet column) at fault, when there is one.
    pub field: Option<String>,
    pub message: String,
    pub message_en: String,
}

/// The JSON body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code, e.g. `invalid_credit_code`.
    pub code: String,
    /// The message in Chinese.
    pub message: String,
    /// The message in English.
    pub message_en: String,
    /// Every problem, when there are several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        ApiError { status, code, message_zh: zh.into(), message_en: en.into(), problems: Vec::new() }
    }

    /// A 422 listing several problems; the message sums them up.
    pub fn with_problems(code: &'static str, problems: Vec<Problem>) -> Self {
        let zh = problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；");
        let en = problems.iter().map(|p| p.message_en.as_str()).collect::<Vec<_>>().join("; ");
        ApiError { problems, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en) }
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "请先登录或提供有效的 API 令牌",
            "Sign in or send a valid API token",
        )
    }

    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "您的角色无权执行此操作", "None of your roles allows this")
    }

    pub fn not_found(what_zh: &str, what_en: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", format!("{what_zh}不存在"), format!("{what_en} not found"))
    }

    pub fn no_route() -> Self {
        Self::new(StatusCode::NOT_FOUND, "no_such_route", "请求的地址不存在", "No such route")
    }

    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "此地址不支持该请求方法",
            "Method not allowed on this route",
        )
    }

    pub fn bad_request(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, zh, en)
    }

    pub fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_token_invalid",
            "表单已过期或来源不明，请刷新页面后重试",
            "The form's CSRF token is missing or wrong; reload the page and try again",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "服务器内部错误，请稍后再试",
            "Internal server error; please try again later",
        )
    }

    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message_zh.clone(),
                message_en: self.message_en.clone(),
                problems: self.problems.clone(),
            },
        }
    }

    /// The message in the caller's language.
    pub fn message(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Zh => &self.message_zh,
            crate::i18n::Lang::En => &self.message_en,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.message_zh, self.code, self.message_en)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message_zh(), e.message_en())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(what) => ApiError::new(
                StatusCode::CONFLICT,
                "already_exists",
                format!("已存在相同的记录（{}）", conflict_zh(what)),
                format!("{what} already exists"),
            ),
            StoreError::MissingReference(what) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "missing_reference",
                format!("引用的对象不存在（{}）", reference_zh(what)),
                format!("{what} refers to something that does not exist"),
            ),
            other => {
                tracing::error!(error = %other, "storage failure");
                ApiError::internal()
            }
        }
    }
}

fn conflict_zh(what: &str) -> &'static str {
    match what {
        "an organization with this credit code" => "该统一社会信用代码的机构",
        "an account with this username" => "该用户名的账号",
        "a region with this code" => "该代码的行政区划",
        _ => "相同键值",
    }
}

fn reference_zh(what: &str) -> &'static str {
    match what {
        "the region code" => "行政区划代码",
        "the account" => "账号",
        _ => "关联对象",
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_json_fields",
                format!("JSON 字段不符合要求：{}", body_detail(&e.body_text())),
                format!("JSON fields are not as expected: {}", body_detail(&e.body_text())),
            ),
            JsonRejection::JsonSyntaxError(_) => {
                ApiError::bad_request("malformed_json", "请求体不是合法的 JSON", "The request body is not valid JSON")
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "json_content_type_required",
                "请求头 Content-Type 须为 application/json",
                "Content-Type must be application/json",
            ),
            other => bytes_rejection(other.status()),
        }
    }
}

impl From<FormRejection> for ApiError {
    fn from(r: FormRejection) -> Self {
        match r {
            FormRejection::FailedToDeserializeForm(e) => form_fields(&e.body_text()),
            FormRejection::FailedToDeserializeFormBody(e) => form_fields(&e.body_text()),
            other => bytes_rejection(other.status()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::bad_request(
            "invalid_path_parameter",
            format!("路径参数无效：{}", body_detail(&r.body_text())),
            format!("Invalid path parameter: {}", body_detail(&r.body_text())),
        )
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(
            "invalid_query_parameter",
            format!("查询参数无效：{}", body_detail(&r.body_text())),
            format!("Invalid query parameter: {}", body_detail(&r.body_text())),
        )
    }
}

fn form_fields(text: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_form_fields",
        format!("表单字段不符合要求：{}", body_detail(text)),
        format!("Form fields are not as expected: {}", body_detail(text)),
    )
}

fn bytes_rejection(status: StatusCode) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "body_too_large", "请求体过大", "The request body is too large")
    } else {
        ApiError::bad_request("unreadable_body", "无法读取请求体", "The request body could not be read")
    }
}

/// serde's explanation, without axum's "Failed to deserialize..." preamble.
fn body_detail(text: &str) -> String {
    let detail = text.rsplit_once(": ").map(|(_, d)| d).unwrap_or(text);
    detail.chars().take(200).collect()
}

/// `Json<T>` whose rejections use our error shape.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `Path<T>` whose rejections use our error shape.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct Path<T>(pub T);

/// `Query<T>` whose rejections use our error shape.
#[derive(Debug, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct Query<T>(pub T);

/// `Form<T>` whose rejections use our error shape.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Form), rejection(ApiError))]
pub struct Form<T>(pub T);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_errors_keep_their_code_and_both_languages() {
        let e: ApiError = DomainError::CreditCodeRequired.into();
        assert_eq!((e.status, e.code), (StatusCode::UNPROCESSABLE_ENTITY, "credit_code_required"));
        assert!(e.message_zh.contains("统一社会信用代码"));
        assert!(e.message_en.contains("credit code"));
    }

    #[test]
    fn conflicts_are_409_with_a_chinese_subject() {
        let e: ApiError = StoreError::Conflict("an account with this username").into();
        assert_eq!(e.status, StatusCode::CONFLICT);
        assert!(e.message_zh.contains("用户名"));
    }
}
