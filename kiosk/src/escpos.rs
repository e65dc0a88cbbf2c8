//! The small subset of ESC/POS that tickets use, as commands that encode to bytes and
//! parse back from them.
//!
//! The parser exists so that tests (and a printer emulator) can check what a printer
//! would receive. It accepts exactly the commands [`Command::encode_into`] writes plus
//! plain text; anything else is an error rather than being skipped, so a mistake in the
//! encoder cannot hide behind a lenient parser.

use thiserror::Error;

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;

/// One ESC/POS command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `ESC @`: reset the printer to its power-on settings.
    Init,
    /// `GS v 0` in normal density: a 1-bit raster image, rows of `width_bytes` bytes,
    /// most significant bit leftmost, 1 = black.
    RasterImage {
        width_bytes: u16,
        height: u16,
        data: Vec<u8>,
    },
    /// `ESC d n`: print the buffer and feed `n` lines.
    Feed(u8),
    /// `GS V`: cut the paper, optionally after feeding `feed` dots (function B).
    Cut { partial: bool, feed: Option<u8> },
    /// Printable bytes (and line feeds) in the printer's current code page.
    Text(Vec<u8>),
}

impl Command {
    /// Appends this command's bytes to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            Command::Init => out.extend_from_slice(&[ESC, b'@']),
            Command::RasterImage {
                width_bytes,
                height,
                data,
            } => {
                out.extend_from_slice(&[GS, b'v', b'0', 0]);
                out.extend_from_slice(&width_bytes.to_le_bytes());
                out.extend_from_slice(&height.to_le_bytes());
                out.extend_from_slice(data);
            }
            Command::Feed(lines) => out.extend_from_slice(&[ESC, b'd', *lines]),
            Command::Cut { partial, feed } => {
                out.extend_from_slice(&[GS, b'V']);
                match feed {
                    None => out.push(if *partial { 1 } else { 0 }),
                    Some(dots) => out.extend_from_slice(&[if *partial { 66 } else { 65 }, *dots]),
                }
            }
            Command::Text(bytes) => out.extend_from_slice(bytes),
        }
    }
}

/// Encodes a sequence of commands into one byte stream.
pub fn encode(commands: &[Command]) -> Vec<u8> {
    let mut out = Vec::new();
    for command in commands {
        command.encode_into(&mut out);
    }
    out
}

/// Why a byte stream could not be parsed; `offset` is where the offending command starts.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("byte {offset}: the stream ends inside a command ({needed} more bytes expected)")]
    Truncated { offset: usize, needed: usize },
    #[error("byte {offset}: unknown or unsupported command {bytes:02x?}")]
    Unknown { offset: usize, bytes: Vec<u8> },
    #[error("byte {offset}: {message}")]
    Invalid { offset: usize, message: String },
}

/// Parses a byte stream into commands.
pub fn parse(bytes: &[u8]) -> Result<Vec<Command>, ParseError> {
    let mut commands = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let (command, len) = parse_one(bytes, offset)?;
        commands.push(command);
        offset += len;
    }
    Ok(commands)
}

/// Parses the command at `offset`, returning it with its length in bytes.
fn parse_one(bytes: &[u8], offset: usize) -> Result<(Command, usize), ParseError> {
    let rest = &bytes[offset..];
    match rest {
        [ESC, b'@', ..] => Ok((Command::Init, 2)),
        [ESC, b'd', ..] => {
            let n = take(rest, offset, 3)?[2];
            Ok((Command::Feed(n), 3))
        }
        [GS, b'v', b'0', ..] => parse_raster(rest, offset),
        [GS, b'V', ..] => parse_cut(rest, offset),
        [ESC | GS, ..] => Err(ParseError::Unknown {
            offset,
            bytes: rest.iter().take(3).copied().collect(),
        }),
        _ => parse_text(rest, offset),
    }
}

/// Returns the first `len` bytes of `rest`, or a truncation error.
fn take(rest: &[u8], offset: usize, len: usize) -> Result<&[u8], ParseError> {
    rest.get(..len).ok_or_else(|| ParseError::Truncated {
        offset,
        needed: len - rest.len(),
    })
}

fn parse_raster(rest: &[u8], offset: usize) -> Result<(Command, usize), ParseError> {
    let header = take(rest, offset, 8)?;
    let mode = header[3];
    // Modes 1–3 (and 49–51) double the dots; tickets are rendered at the printer's
    // native resolution, so seeing one means the stream did not come from us.
    if mode != 0 && mode != b'0' {
        return Err(ParseError::Invalid {
            offset,
            message: format!("raster mode {mode} (scaled) is not supported"),
        });
    }
    let width_bytes = u16::from_le_bytes([header[4], header[5]]);
    let height = u16::from_le_bytes([header[6], header[7]]);
    if width_bytes == 0 || height == 0 {
        return Err(ParseError::Invalid {
            offset,
            message: format!("empty raster image ({width_bytes} bytes × {height} rows)"),
        });
    }
    let len = 8 + usize::from(width_bytes) * usize::from(height);
    let data = take(rest, offset, len)?[8..].to_vec();
    Ok((
        Command::RasterImage {
            width_bytes,
            height,
            data,
        },
        len,
    ))
}

fn parse_cut(rest: &[u8], offset: usize) -> Result<(Command, usize), ParseError> {
    let m = take(rest, offset, 3)?[2];
    match m {
        0 | b'0' => Ok((cut(false, None), 3)),
        1 | b'1' => Ok((cut(true, None), 3)),
        65 | 66 => {
            let n = take(rest, offset, 4)?[3];
            Ok((cut(m == 66, Some(n)), 4))
        }
        _ => Err(ParseError::Unknown {
            offset,
            bytes: vec![GS, b'V', m],
        }),
    }
}

fn cut(partial: bool, feed: Option<u8>) -> Command {
    Command::Cut { partial, feed }
}

/// Takes the run of bytes up to the next command, rejecting other control bytes.
fn parse_text(rest: &[u8], offset: usize) -> Result<(Command, usize), ParseError> {
    let len = rest
        .iter()
        .position(|&b| b == ESC || b == GS)
        .unwrap_or(rest.len());
    let text = &rest[..len];
    if let Some(at) = text
        .iter()
        .position(|&b| b < 0x20 && !b"\n\r\t".contains(&b))
    {
        return Err(ParseError::Unknown {
            offset: offset + at,
            bytes: vec![text[at]],
        });
    }
    Ok((Command::Text(text.to_vec()), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_round_trips() {
        let commands = vec![
            Command::Init,
            Command::Text(b"Skranke\n".to_vec()),
            Command::RasterImage {
                width_bytes: 2,
                height: 3,
                data: vec![0xff, 0x00, 0x81, 0x18, 0x00, 0x01],
            },
            Command::Feed(4),
            Command::Cut {
                partial: true,
                feed: None,
            },
            Command::Cut {
                partial: false,
                feed: Some(10),
            },
        ];
        assert_eq!(parse(&encode(&commands)), Ok(commands));
    }

    #[test]
    fn raster_header_is_little_endian_with_mode_zero() {
        let bytes = encode(&[Command::RasterImage {
            width_bytes: 72,
            height: 300,
            data: vec![0; 72 * 300],
        }]);
        assert_eq!(&bytes[..8], &[GS, b'v', b'0', 0, 72, 0, 44, 1]);
    }

    #[test]
    fn ascii_mode_and_cut_variants_parse() {
        let commands = parse(&[GS, b'V', b'0', GS, b'V', b'1']).unwrap();
        assert_eq!(
            commands,
            vec![
                Command::Cut {
                    partial: false,
                    feed: None
                },
                Command::Cut {
                    partial: true,
                    feed: None
                }
            ]
        );
    }

    #[test]
    fn truncated_raster_is_an_error() {
        let mut bytes = encode(&[Command::RasterImage {
            width_bytes: 2,
            height: 2,
            data: vec![0; 4],
        }]);
        bytes.pop();
        assert_eq!(
            parse(&bytes),
            Err(ParseError::Truncated {
                offset: 0,
                needed: 1
            })
        );
    }

    #[test]
    fn unknown_command_is_an_error_with_its_offset() {
        let err = parse(&[ESC, b'@', ESC, b't', 16]).unwrap_err();
        assert_eq!(
            err,
            ParseError::Unknown {
                offset: 2,
                bytes: vec![ESC, b't', 16]
            }
        );
    }

    #[test]
    fn stray_control_byte_in_text_is_an_error() {
        let err = parse(b"ab\x07c").unwrap_err();
        assert!(matches!(err, ParseError::Unknown { offset: 2, .. }));
    }

    #[test]
    fn scaled_raster_mode_is_rejected() {
        let err = parse(&[GS, b'v', b'0', 1, 1, 0, 1, 0, 0xff]).unwrap_err();
        assert!(matches!(err, ParseError::Invalid { offset: 0, .. }));
    }
}
