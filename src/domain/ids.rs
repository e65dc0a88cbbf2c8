//! Typed ids, so a desk id is never passed where a location id belongs.

use derive_more::Display;
use serde::{Deserialize, Serialize};

/// An organisation (a municipality).
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct OrganisationId(pub i64);

/// A department that shares the system's cost.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct DepartmentId(pub i64);

/// A physical office.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct LocationId(pub i64);

/// An errand.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct ServiceId(pub i64);

/// A counter or bookable resource.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct DeskId(pub i64);

/// A staff user.
#[derive(
    Debug, Display, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct StaffId(pub i64);
