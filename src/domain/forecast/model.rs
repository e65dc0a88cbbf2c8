//! The forecast model of an organisation's locations: fitted once to a history, then asked
//! for any period, interval length and bookings already made.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::fit::fit_location;
use super::interval::{aggregate, minute_of_day, IntervalForecast, INTERVAL_CHOICES};
use super::stream::StreamModel;
use crate::domain::demand::{open_intervals, DemandRecord, INTERVAL_MINUTES};
use crate::domain::organisation::{LocationSpec, ServiceSpec};
use crate::domain::Slug;

/// Forecasts fitted to a history, ready to forecast any period of its locations.
#[derive(Debug, Clone)]
pub struct ForecastModel {
    pub(super) streams: HashMap<(Slug, Slug), StreamModel>,
}

impl ForecastModel {
    /// Fits every errand offered at `locations` to `history` (records of other locations
    /// and errands are ignored). `services` gives each errand's configured duration.
    pub fn fit(
        locations: &[LocationSpec],
        services: &[ServiceSpec],
        history: &[DemandRecord],
    ) -> Self {
        let mut streams = HashMap::new();
        for location in locations {
            let records: Vec<&DemandRecord> = history
                .iter()
                .filter(|r| r.location == location.slug)
                .collect();
            for (service, model) in fit_location(location, services, &records) {
                streams.insert((location.slug.clone(), service), model);
            }
        }
        Self { streams }
    }

    /// The forecast for `location` over the local dates `from..=to`, in intervals of
    /// `interval_minutes` (15, 30 or 60; others are taken as 15), only where it is open.
    /// Errands without history forecast no demand. Ordered by start, then errand.
    pub fn forecast(
        &self,
        location: &LocationSpec,
        from: NaiveDate,
        to: NaiveDate,
        interval_minutes: u32,
    ) -> Vec<IntervalForecast> {
        self.forecast_with_bookings(location, from, to, interval_minutes, &[])
    }

    /// As [`ForecastModel::forecast`], where the appointments already booked (`booked` of
    /// `known`, per errand and quarter hour) are a floor under the booked forecast: a
    /// quarter hour never expects fewer bookings than it has.
    pub fn forecast_with_bookings(
        &self,
        location: &LocationSpec,
        from: NaiveDate,
        to: NaiveDate,
        interval_minutes: u32,
        known: &[DemandRecord],
    ) -> Vec<IntervalForecast> {
        let interval = if INTERVAL_CHOICES.contains(&interval_minutes) {
            interval_minutes
        } else {
            INTERVAL_MINUTES
        };
        let mut already: HashMap<(&Slug, DateTime<Utc>), f64> = HashMap::new();
        for r in known.iter().filter(|r| r.location == location.slug) {
            *already.entry((&r.service, r.interval_start)).or_default() += f64::from(r.booked);
        }
        let mut out = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= to) {
            for service in &location.services {
                let mut quarters = self.quarters(location, service, date);
                for q in &mut quarters {
                    if let Some(n) = already.get(&(service, q.start)) {
                        q.booked = q.booked.max(*n);
                    }
                }
                out.extend(aggregate(quarters, location.timezone, interval));
            }
        }
        out.sort_by(|a, b| (a.start, &a.service).cmp(&(b.start, &b.service)));
        out
    }

    /// The 15-minute forecasts of one errand on one local date.
    fn quarters(
        &self,
        location: &LocationSpec,
        service: &Slug,
        date: NaiveDate,
    ) -> Vec<IntervalForecast> {
        let zone = location.timezone;
        let model = self.streams.get(&(location.slug.clone(), service.clone()));
        let weekday = date.weekday().num_days_from_monday() as usize;
        open_intervals(location, service, date)
            .into_iter()
            .map(|start| {
                let minute = minute_of_day(start, zone);
                let (walk_ins, booked, no_show_rate, minutes) = match model {
                    Some(m) => {
                        let day = m.day_total(date, zone);
                        let share = |s: &BTreeMap<u32, f64>| s.get(&minute).copied().unwrap_or(0.0);
                        (
                            day * (1.0 - m.booked_share) * share(&m.walk_in_shares[weekday]),
                            day * m.booked_share * share(&m.booked_shares[weekday]),
                            m.no_show_rate,
                            m.mean_service_minutes,
                        )
                    }
                    None => (0.0, 0.0, 0.0, 0.0),
                };
                IntervalForecast {
                    location: location.slug.clone(),
                    service: service.clone(),
                    start,
                    interval_minutes: INTERVAL_MINUTES,
                    walk_ins,
                    booked,
                    no_show_rate,
                    mean_service_minutes: minutes,
                }
            })
            .collect()
    }
}
