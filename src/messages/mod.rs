//! Every word a citizen reads, in Danish and in English: one catalogue of texts
//! (`web/messages/{da,en}.toml`, compiled in), looked up by key, with `{name}` filled in,
//! and the dates and times written out as people write them. Pure: no I/O, no web.

mod catalogue;
mod dates;
mod figures;
mod refusals;
mod said;

pub use catalogue::{keys, section, text, text_with};
pub use dates::{closed_part, day, day_time, day_time_where, week, weekday};
pub use figures::{number, percent};
pub use refusals::{field_errors, mends, Mend};
pub use said::{slot_refusal, Arg, Said};
