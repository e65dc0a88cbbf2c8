//! The figures' format lives with the words, in `messages`.

pub use crate::messages::{number, percent};
