//! The deadline engine at work: a scheduler in every server process that sends
//! reminders, fires missed clocks (remind, escalate, or act) and delivers the outbox.
//!
//! What a missed clock means is decided by `gongshu_rules::deadline`; the store applies
//! it in the same transaction that claims the clock, so with any number of processes
//! each clock fires exactly once. A process that was down fires what it missed on its
//! first tick.

use std::time::Duration;

use chrono::{DateTime, Utc};
use gongshu_domain::audit::AuditEvent;
use gongshu_domain::org::OrgKind;
use gongshu_rules::deadline::{Act, OnMiss};
use gongshu_store::{Clock, Effect, NewNotification, Store};
use serde::Serialize;

use crate::app::AppState;
use crate::error::ApiError;

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    pub reminded: usize,
    pub fired: usize,
    /// Due clocks left for the next tick because this one used its time budget.
    pub deferred: usize,
}

/// How many due clocks one tick looks at; the rest wait for the next tick.
const BATCH: i64 = 200;
/// Clocks fired per transaction.
const CHUNK: usize = 20;
/// After this long, a tick starts no further chunk.
const TICK_BUDGET: Duration = Duration::from_millis(50);

/// One pass of the scheduler at `now`.
pub async fn tick(app: &AppState, now: DateTime<Utc>) -> Result<TickReport, ApiError> {
    let store = app.store();
    let now_us = now.timestamp_micros();
    let mut report = TickReport::default();
    // A clock already past due is not reminded: firing it below tells the holder.
    let reminders: Vec<(i64, Vec<NewNotification>)> = store
        .reminder_clocks(now_us, BATCH)
        .await?
        .iter()
        .filter(|c| c.due_at >= now_us)
        .map(|c| (c.id, vec![reminder(c)]))
        .collect();
    for chunk in reminders.chunks(CHUNK * 4) {
        report.reminded += store.remind_clocks(now_us, chunk).await?;
    }
    let due = store.due_clocks(now_us, BATCH).await?;
    if !due.is_empty() {
        let authority = authority_org(store, app.regulation().profile().region_code.as_str()).await?;
        let mut batch = Vec::with_capacity(due.len());
        for c in &due {
            batch.push((c.id, effect_for(store, c, authority).await?));
        }
        // One transaction per chunk: the claim, the effects, their audit entries. A tick
        // stops starting chunks after TICK_BUDGET, so it stays short however many clocks
        // fall due at once (they all close at 23:59:59 CST); the rest go next tick.
        let started = std::time::Instant::now();
        for chunk in batch.chunks(CHUNK) {
            if started.elapsed() > TICK_BUDGET {
                report.deferred += chunk.len();
                continue;
            }
            match store.fire_clocks(now_us, chunk).await {
                Ok(n) => report.fired += n,
                Err(e) => tracing::warn!(error = %e, "clocks could not fire; they are retried next tick"),
            }
        }
    }
    Ok(report)
}

/// The authority that escalations go to: the one of the profile's city, else any.
pub(crate) async fn authority_org(store: &Store, city: &str) -> Result<Option<i64>, ApiError> {
    let orgs = store.orgs().await?;
    let authorities = || orgs.iter().filter(|o| o.kind == OrgKind::Authority.as_str());
    Ok(authorities().find(|o| o.region_code == city).or_else(|| authorities().next()).map(|o| o.id))
}

fn reminder(c: &Clock) -> NewNotification {
    NewNotification {
        org_id: c.holder_org_id,
        kind: "reminder".into(),
        item: c.item.clone(),
        title_zh: format!("即将到期：{}（{}）须在 {} 前办理", duty_zh(&c.duty), c.item, c.due_on),
        title_en: format!("Due soon: {} ({}) is due by {}", duty_en(&c.duty), c.item, c.due_on),
    }
}

/// The effect of a missed clock, as its profile rule says (`on_miss`).
pub async fn effect_for(store: &Store, c: &Clock, authority: Option<i64>) -> Result<Effect, ApiError> {
    let overdue = NewNotification {
        org_id: c.holder_org_id,
        kind: "overdue".into(),
        item: c.item.clone(),
        title_zh: format!("已逾期：{}（{}）期限为 {}", duty_zh(&c.duty), c.item, c.due_on),
        title_en: format!("Overdue: {} ({}) was due by {}", duty_en(&c.duty), c.item, c.due_on),
    };
    let detail = serde_json::json!({ "clock": c.id, "rule": c.rule, "source": c.source, "due_on": c.due_on });
    let on_miss = OnMiss::parse(&c.on_miss).unwrap_or(OnMiss::Escalate);
    Ok(match on_miss {
        OnMiss::Remind => Effect {
            outcome: "reminded".into(),
            grant_share_request: None,
            end_emergency: None,
            audit: AuditEvent::new("platform", "clock.overdue", &c.item).detail(detail),
            notifications: vec![overdue],
        },
        OnMiss::Escalate => {
            let mut notes = vec![overdue.clone()];
            if authority.is_some() && authority != c.holder_org_id {
                notes.push(NewNotification {
                    org_id: authority,
                    kind: "escalated".into(),
                    title_zh: format!("逾期上报：{}", overdue.title_zh),
                    title_en: format!("Escalated: {}", overdue.title_en),
                    ..overdue
                });
            }
            Effect {
                outcome: "escalated".into(),
                grant_share_request: None,
                end_emergency: None,
                audit: AuditEvent::new("platform", "clock.escalate", &c.item).detail(detail),
                notifications: notes,
            }
        }
        OnMiss::Act(Act::RevertEmergency) => {
            let id = c.item.strip_prefix("catalog_emergency:").and_then(|n| n.parse::<i64>().ok());
            Effect {
                outcome: "acted".into(),
                grant_share_request: None,
                end_emergency: id,
                audit: AuditEvent::new("platform", "catalog.emergency_end", &c.item).detail(detail),
                notifications: vec![NewNotification {
                    org_id: c.holder_org_id,
                    kind: "emergency_end".into(),
                    item: c.item.clone(),
                    title_zh: format!("应急调整已到期，共享、开放属性已恢复（{}）", c.item),
                    title_en: format!("The emergency adjustment ended; the attributes are restored ({})", c.item),
                }],
            }
        }
        OnMiss::Act(Act::GrantShareRequest) => {
            let id = c.item.strip_prefix("share_request:").and_then(|n| n.parse::<i64>().ok());
            let request = match id {
                Some(id) => store.share_request(id).await?,
                None => None,
            };
            let reason =
                format!("{}：提供部门超过{}个工作日未答复，视为同意，由平台直接提供", c.source, c.working_days);
            let mut notes = vec![NewNotification {
                org_id: c.holder_org_id,
                kind: "granted".into(),
                item: c.item.clone(),
                title_zh: format!("平台已依规批准：{}（{}）", c.item, reason),
                title_en: format!(
                    "Granted by the platform: {} (no answer within {} working days counts as consent, {})",
                    c.item, c.working_days, c.source
                ),
            }];
            if let Some(r) = &request {
                notes.push(NewNotification { org_id: Some(r.requester_org_id), ..notes[0].clone() });
            }
            let mut detail = detail;
            detail["reason"] = serde_json::Value::String(reason);
            Effect {
                outcome: "acted".into(),
                grant_share_request: request.map(|r| r.id),
                end_emergency: None,
                audit: AuditEvent::new("platform", "share_request.grant", &c.item).detail(detail),
                notifications: notes,
            }
        }
    })
}

pub fn duty_zh(duty: &str) -> &'static str {
    match duty {
        "provider_review" => "提供部门审核",
        "authority_review" | "city_authority_review" => "主管部门审核",
        "authority_formal_review" => "主管部门规范性审查",
        "correction" => "数据纠错",
        "data_update" => "按更新周期更新数据",
        "reevaluation" => "有条件共享定期评估",
        "demand_answer" => "开放数据需求、异议、建议答复",
        _ => "待办事项",
    }
}

pub fn duty_en(duty: &str) -> &'static str {
    match duty {
        "provider_review" => "provider review",
        "authority_review" | "city_authority_review" => "authority review",
        "authority_formal_review" => "authority formal review",
        "correction" => "correction",
        "data_update" => "data update by the update cycle",
        "reevaluation" => "re-evaluation of conditional sharing",
        "demand_answer" => "answer to an open-data demand, objection or suggestion",
        _ => "task",
    }
}

/// The clock of a workflow step, planned from now on the calendar and the profile:
/// held by `holder`, for `item`, doing `duty`.
pub async fn clock_for_step(
    app: &AppState,
    step: &gongshu_rules::deadline::StepClock,
    holder: Option<i64>,
    item: String,
    duty: String,
) -> Result<gongshu_store::NewClock, ApiError> {
    let cal = app.regulation().calendar(app.store()).await?;
    let profile = app.regulation().profile();
    let p = gongshu_rules::deadline::plan(&cal, Utc::now(), step.working_days, profile.region())?;
    Ok(gongshu_store::NewClock {
        item,
        duty,
        rule: step.rule.clone(),
        source: step.source.clone(),
        holder_org_id: holder,
        received_on: p.received.to_string(),
        working_days: i64::from(step.working_days),
        due_on: p.due.date.to_string(),
        due_at: p.due_at.timestamp_micros(),
        remind_at: p.remind_at.timestamp_micros(),
        provisional: p.due.provisional,
        on_miss: step.on_miss.as_str().to_string(),
    })
}

/// The duty name of a reviewer, e.g. `authority` in `authority_review`.
pub fn reviewer_key(r: gongshu_rules::profile::Reviewer) -> &'static str {
    use gongshu_rules::profile::Reviewer;
    match r {
        Reviewer::Authority => "authority",
        Reviewer::CityAuthority => "city_authority",
        Reviewer::ServiceAgency => "service_agency",
        Reviewer::Provider => "provider",
        Reviewer::CityGovernment => "city_government",
    }
}

/// Delivers due outbox messages (webhooks), with retries and back-off.
pub async fn deliver_outbox(app: &AppState, now: DateTime<Utc>) -> Result<(usize, usize), ApiError> {
    let store = app.store();
    let now_us = now.timestamp_micros();
    let lease = now_us + 60 * 1_000_000;
    let items = store.claim_outbox(now_us, lease, 50).await?;
    let (mut ok, mut failed) = (0, 0);
    for item in items {
        let result = app
            .http()
            .post(&item.target)
            .header("content-type", "application/json")
            .header("x-gongshu-delivery", item.id.to_string())
            .body(item.payload.clone())
            .send()
            .await;
        match result {
            Ok(r) if r.status().is_success() => {
                store.outbox_delivered(item.id, gongshu_domain::time::now_micros()).await?;
                ok += 1;
            }
            other => {
                let error = match other {
                    Ok(r) => format!("HTTP {}", r.status()),
                    Err(e) => e.to_string(),
                };
                store.outbox_failed(item.id, &error, retry_at(item.attempts, now_us)).await?;
                failed += 1;
            }
        }
    }
    Ok((ok, failed))
}

/// Attempts are retried after 30 s, 1, 2, 4 … minutes; after the 8th attempt the
/// message is marked failed (and shown on the outbox page).
pub fn retry_at(attempts_so_far: i64, now_us: i64) -> Option<i64> {
    const MAX_ATTEMPTS: i64 = 8;
    if attempts_so_far + 1 >= MAX_ATTEMPTS {
        return None;
    }
    let wait_s = 30i64 << attempts_so_far.clamp(0, 16);
    Some(now_us + wait_s * 1_000_000)
}

/// Runs the scheduler until `stop` changes: a tick at once (firing what was missed
/// while the process was down), then one every `every`.
pub fn spawn(app: AppState, every: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = interval.tick() => {
                    let now = Utc::now();
                    match tick(&app, now).await {
                        Ok(r) if r.fired + r.reminded > 0 => tracing::info!(fired = r.fired, reminded = r.reminded, "deadline tick"),
                        Ok(_) => {}
                        Err(e) => tracing::warn!(code = e.code, "deadline tick failed: {}", e.message_en),
                    }
                    if let Err(e) = deliver_outbox(&app, now).await {
                        tracing::warn!(code = e.code, "outbox delivery failed: {}", e.message_en);
                    }
                    // Scheduled pulls may take long: they run beside the ticks.
                    let pulling = app.clone();
                    tokio::spawn(async move {
                        if let Err(e) = crate::pulls::run_due(&pulling, now).await {
                            tracing::warn!(code = e.code, "scheduled pulls failed: {}", e.message_en);
                        }
                    });
                }
                _ = stop.changed() => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::retry_at;

    #[test]
    fn deliveries_back_off_and_give_up_after_eight_attempts() {
        assert_eq!(retry_at(0, 0), Some(30_000_000));
        assert_eq!(retry_at(1, 0), Some(60_000_000));
        assert_eq!(retry_at(6, 0), Some(30 * 64 * 1_000_000));
        assert_eq!(retry_at(7, 0), None);
    }
}
