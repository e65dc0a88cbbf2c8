//! The commands' standard output. A reader may stop reading early (`skranke import FILE |
//! head -1`); `println!` then panics on the closed pipe, while these writes end quietly.

use std::io::{ErrorKind, Write};

/// Writes `text` to standard output; a closed pipe is the reader's choice, not an error.
pub fn write(text: std::fmt::Arguments) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_fmt(text).and_then(|()| out.flush()) {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        done => done,
    }
}

/// `println!` for the commands: a line on standard output, quiet on a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the commands: text on standard output, quiet on a closed pipe.
macro_rules! say_raw {
    ($($arg:tt)*) => {
        $crate::cli::stdout::write(format_args!($($arg)*))
    };
}

pub(crate) use {say, say_raw};
