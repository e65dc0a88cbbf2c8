//! The KPI report as CSV, for spreadsheets: `skranke report --format csv` and
//! `GET /api/v1/reports/kpi?format=csv` print the same lines.

use crate::domain::kpi::{Metrics, Report};

/// The report as CSV: one line per group, the grouping and its key first.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::from(
        "grouping,key,tickets,appointments,wait_mean,wait_p50,wait_p80,wait_p90,\
         share_within_target,service_minutes,no_shows,no_show_rate,cancelled,cancel_rate,\
         booked_tickets,booked_share,sent_to_self_service,resolved,referred,first_contact_resolution,\
         staff_hours,errands_per_staff_hour,cost_letter,cost_in_person,cost_phone,cost_video,\
         cost_digital,cost_total,usage_share,feedback_answers,feedback_mean\n",
    );
    let mut line = |grouping: &str, key: &str, m: &Metrics| {
        let o = |x: Option<f64>| x.map_or_else(String::new, |v| v.to_string());
        let fields = [
            grouping.to_owned(),
            key.to_owned(),
            m.tickets.to_string(),
            m.appointments.to_string(),
            o(m.wait_minutes.mean),
            o(m.wait_minutes.p50),
            o(m.wait_minutes.p80),
            o(m.wait_minutes.p90),
            o(m.share_within_target),
            o(m.service_minutes),
            m.no_shows.to_string(),
            o(m.no_show_rate),
            m.cancelled.to_string(),
            o(m.cancel_rate),
            m.booked_tickets.to_string(),
            o(m.booked_share),
            m.sent_to_self_service.to_string(),
            m.resolved.to_string(),
            m.referred.to_string(),
            o(m.first_contact_resolution),
            o(m.staff_hours),
            o(m.errands_per_staff_hour),
            m.cost.letter.cost.to_string(),
            m.cost.in_person.cost.to_string(),
            m.cost.phone.cost.to_string(),
            m.cost.video.cost.to_string(),
            m.cost.digital.cost.to_string(),
            m.cost.total.to_string(),
            o(m.usage_share),
            m.feedback.answers.to_string(),
            o(m.feedback.mean),
        ];
        out.push_str(&fields.join(","));
        out.push('\n');
    };
    line("total", "", &report.totals);
    for r in &report.by_location {
        line("location", &r.location, &r.metrics);
    }
    for r in &report.by_service {
        line("service", &r.service, &r.metrics);
    }
    for r in &report.by_department {
        line("department", &r.department, &r.metrics);
    }
    for r in &report.by_day {
        line("day", &r.day.to_string(), &r.metrics);
    }
    for r in &report.by_hour {
        line("hour", &r.hour.to_string(), &r.metrics);
    }
    out
}
