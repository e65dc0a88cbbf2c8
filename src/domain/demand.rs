//! Demand history: arrivals per location, service and 15-minute interval.
