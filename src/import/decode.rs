//! The text of the input: hashed as it is read ([`Hashing`]), a UTF-8 BOM dropped, GB18030
//! decoded to UTF-8 when asked for or when the start of the file is not UTF-8 ([`decode`]).
//! Bytes that do not decode are an error naming their line ([`Malformed`], [`explain`]),
//! never replacement characters; so is, in a file detected as GB18030, a line of UTF-8
//! Chinese text (a file mixing the two).

use std::cell::Cell;
use std::fmt;
use std::io::{self, Cursor, Read};

use sha2::{Digest, Sha256};

use super::{Encoding, Position, CHUNK};
use crate::bad_input;
use crate::error::Failure;
use crate::limits::{self, MAX_RECORD_BYTES};
use crate::text;

/// Hashes every byte read through it.
pub(super) struct Hashing<'h, R> {
    pub(super) inner: R,
    pub(super) hasher: &'h mut Sha256,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Where the record being read began, and how much of the text has been read: a record
/// that runs on past [`MAX_RECORD_BYTES`] stops the reading ([`Capped`]) before it is
/// held whole in memory.
#[derive(Default)]
pub(super) struct Span {
    read: Cell<u64>,
    start: Cell<u64>,
    position: Cell<Position>,
}

impl Span {
    /// A record begins at byte `at` of the text (`None`: all read so far is behind it), at
    /// `position` (what an error names).
    pub(super) fn begin(&self, at: Option<u64>, position: Position) {
        self.start.set(at.unwrap_or(self.read.get()));
        self.position.set(position);
    }
}

/// Text read through a [`Span`]: fails with [`TooLong`] once more than
/// [`MAX_RECORD_BYTES`] have been read since the record began, beyond one [`CHUNK`] of
/// read-ahead.
pub(super) struct Capped<'s, R> {
    pub(super) inner: R,
    pub(super) span: &'s Span,
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let span = self.span;
        if span.read.get() - span.start.get() > MAX_RECORD_BYTES + CHUNK as u64 {
            let position = span.position.get();
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                TooLong { position },
            ));
        }
        let n = self.inner.read(buf)?;
        span.read.set(span.read.get() + n as u64);
        Ok(n)
    }
}

/// A record longer than [`MAX_RECORD_BYTES`].
#[derive(Debug)]
pub(super) struct TooLong {
    position: Position,
}

impl fmt::Display for TooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: a record longer than {MAX_RECORD_BYTES} bytes",
            self.position
        )
    }
}

impl std::error::Error for TooLong {}

/// UTF-8 text from the input: a UTF-8 BOM is dropped; GB18030 is decoded when asked for, or
/// (auto) when the first 64 KiB are not UTF-8. Reading fails with [`Malformed`] at the
/// first bytes that do not decode.
pub(super) fn decode<'r>(
    mut input: impl Read + 'r,
    encoding: Encoding,
) -> io::Result<Box<dyn Read + 'r>> {
    let mut head = Vec::with_capacity(CHUNK);
    (&mut input).take(CHUNK as u64).read_to_end(&mut head)?;
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    let gbk = match encoding {
        Encoding::Gbk => true,
        Encoding::Utf8 => false,
        Encoding::Auto => !bom && !looks_utf8(&head),
    };
    let mut head = Cursor::new(head);
    if bom && !gbk {
        head.set_position(3);
    }
    let text = head.chain(input);
    Ok(if gbk {
        Box::new(Gb18030::new(text, encoding == Encoding::Auto))
    } else {
        Box::new(Utf8::new(text))
    })
}

/// Bytes of the input that do not decode, or a UTF-8 line in a file read as GB18030.
#[derive(Debug)]
pub(super) struct Malformed {
    /// The line (from 1) they are on.
    line: u64,
    /// The bytes that do not decode (empty for a UTF-8 line).
    bytes: Vec<u8>,
    /// The encoding the file was read in.
    gbk: bool,
}

impl Malformed {
    fn error(line: u64, bytes: &[u8], gbk: bool) -> io::Error {
        let bytes = bytes[..bytes.len().min(8)].to_vec();
        io::Error::new(io::ErrorKind::InvalidData, Malformed { line, bytes, gbk })
    }
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: bytes that do not decode", self.line)
    }
}

impl std::error::Error for Malformed {}

/// The bad-input failure (`file:line`) for bytes of `file` that do not decode, or for a
/// record longer than [`MAX_RECORD_BYTES`], when `err` comes from them; otherwise `err`
/// itself.
pub(super) fn explain(file: &str, err: anyhow::Error) -> Result<Failure, anyhow::Error> {
    let inner = err.chain().find_map(|e| {
        let io = match e.downcast_ref::<csv::Error>().map(csv::Error::kind) {
            Some(csv::ErrorKind::Io(io)) => Some(io),
            _ => e.downcast_ref::<io::Error>(),
        };
        io.and_then(io::Error::get_ref)
    });
    if let Some(TooLong { position }) = inner.and_then(|e| e.downcast_ref()) {
        return Ok(limits::record_too_long(file, &position.to_string()));
    }
    let Some(Malformed { line, bytes, gbk }) = inner.and_then(|e| e.downcast_ref()) else {
        return Err(err);
    };
    let hex: String = bytes.iter().map(|b| format!("\\x{b:02X}")).collect();
    let failure = match (gbk, bytes.is_empty()) {
        (true, true) => bad_input!(
            "{file}:{line}: the line is UTF-8 text but the file is GBK (GB18030): it mixes encodings",
            "{file}:{line}：该行是 UTF-8 文本，而文件是 GBK（GB18030）编码：文件混用了编码"
        ),
        (true, false) => bad_input!(
            "{file}:{line}: bytes {hex} are not GBK (GB18030) text",
            "{file}:{line}：字节 {hex} 不是 GBK（GB18030）文本"
        ),
        (false, _) => bad_input!(
            "{file}:{line}: bytes {hex} are not UTF-8 text",
            "{file}:{line}：字节 {hex} 不是 UTF-8 文本"
        ),
    };
    Ok(failure.hint(text!(
        "save the whole file in one encoding (UTF-8, or GBK with --encoding gbk); nothing was imported",
        "请把整个文件保存为同一种编码（UTF-8，或 GBK 并加 --encoding gbk）；本次未导入任何数据"
    )))
}

/// Checks UTF-8 as it is read, counting lines to name the one with bytes that do not decode.
struct Utf8<R> {
    inner: R,
    buf: Vec<u8>,
    /// `buf[at..valid]` is checked text not yet read, `buf[valid..end]` bytes not checked.
    at: usize,
    valid: usize,
    end: usize,
    /// Lines ended in the text read so far.
    lines: u64,
    eof: bool,
}

impl<R: Read> Utf8<R> {
    fn new(inner: R) -> Self {
        Utf8 {
            inner,
            buf: vec![0; CHUNK],
            at: 0,
            valid: 0,
            end: 0,
            lines: 0,
            eof: false,
        }
    }

    /// Checks more text; `false` at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        self.buf.copy_within(self.valid..self.end, 0);
        self.end -= self.valid;
        (self.at, self.valid) = (0, 0);
        while self.valid == 0 {
            if !self.eof {
                let n = self.inner.read(&mut self.buf[self.end..])?;
                self.eof = n == 0;
                self.end += n;
            }
            match simdutf8::compat::from_utf8(&self.buf[..self.end]) {
                Ok(_) => self.valid = self.end,
                Err(e) => {
                    self.valid = e.valid_up_to();
                    let bad = match e.error_len() {
                        Some(len) => Some(len),
                        None if self.eof => Some(self.end - self.valid),
                        None => None,
                    };
                    if let (0, Some(len)) = (self.valid, bad) {
                        return Err(Malformed::error(self.lines + 1, &self.buf[..len], false));
                    }
                }
            }
            if self.eof && self.end == 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl<R: Read> Read for Utf8<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.at == self.valid && !self.refill()? {
            return Ok(0);
        }
        let n = out.len().min(self.valid - self.at);
        let text = &self.buf[self.at..self.at + n];
        out[..n].copy_from_slice(text);
        self.lines += text.iter().filter(|&&b| b == b'\n').count() as u64;
        self.at += n;
        Ok(n)
    }
}

/// Valid UTF-8, but for a character cut off at the end of the sample.
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Decodes GB18030 (a superset of GBK) to UTF-8 as it is read, counting lines to name the one
/// with bytes that do not decode; `auto` (the encoding was detected) also refuses a line that
/// is UTF-8 Chinese text ([`utf8_line`]).
struct Gb18030<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    raw_at: usize,
    raw_end: usize,
    text: Vec<u8>,
    text_at: usize,
    text_end: usize,
    eof: bool,
    /// The decoder has been told the input ended; it must not be called again.
    done: bool,
    /// Lines ended in the input decoded so far.
    lines: u64,
    /// With `auto`, the start of the line being decoded (up to [`LINE_SAMPLE`] bytes).
    auto: bool,
    line: Vec<u8>,
}

/// How much of a line [`Gb18030`] keeps to tell whether it is UTF-8.
const LINE_SAMPLE: usize = 4096;

impl<R: Read> Gb18030<R> {
    fn new(inner: R, auto: bool) -> Self {
        Gb18030 {
            inner,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            raw: vec![0; CHUNK],
            raw_at: 0,
            raw_end: 0,
            text: vec![0; 2 * CHUNK],
            text_at: 0,
            text_end: 0,
            eof: false,
            done: false,
            lines: 0,
            auto,
            line: Vec::new(),
        }
    }

    /// Decodes more text; `false` at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        while !self.done {
            if self.raw_at == self.raw_end && !self.eof {
                self.raw_end = self.inner.read(&mut self.raw)?;
                self.raw_at = 0;
                self.eof = self.raw_end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.raw[self.raw_at..self.raw_end],
                &mut self.text,
                self.eof,
            );
            let from = self.raw_at;
            self.raw_at += read;
            self.text_at = 0;
            self.text_end = written;
            if let encoding_rs::DecoderResult::Malformed(bad, after) = result {
                let bad_end = self.raw_at - usize::from(after);
                let bad_at = bad_end.saturating_sub(usize::from(bad)).max(from);
                self.lines_in(from, bad_at)?;
                let bytes = self.raw[bad_at..bad_end].to_vec();
                return Err(Malformed::error(self.lines + 1, &bytes, true));
            }
            self.lines_in(from, self.raw_at)?;
            self.done = self.eof && result == encoding_rs::DecoderResult::InputEmpty;
            if self.done {
                self.check_line()?;
            }
            if written > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Counts the lines ended in `raw[from..to]`, checking each with `auto`.
    fn lines_in(&mut self, from: usize, to: usize) -> io::Result<()> {
        let raw = std::mem::take(&mut self.raw);
        let mut checked = Ok(());
        for (i, part) in raw[from..to].split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                checked = self.check_line();
                if checked.is_err() {
                    break;
                }
                self.lines += 1;
            }
            if self.auto && self.line.len() < LINE_SAMPLE {
                let room = LINE_SAMPLE - self.line.len();
                self.line.extend_from_slice(&part[..part.len().min(room)]);
            }
        }
        self.raw = raw;
        checked
    }

    /// Refuses the line just ended (with `auto`) when it is UTF-8 Chinese text.
    fn check_line(&mut self) -> io::Result<()> {
        let utf8 = self.auto && utf8_line(&self.line);
        self.line.clear();
        match utf8 {
            true => Err(Malformed::error(self.lines + 1, &[], true)),
            false => Ok(()),
        }
    }
}

/// Whether a line is UTF-8 Chinese text: valid UTF-8 with characters beyond ASCII, all of
/// them CJK ideographs or punctuation, or full-width forms. GBK text almost never is: its
/// two-byte characters that happen to be UTF-8 decode to Latin, Greek or Cyrillic letters.
fn utf8_line(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let chinese = |c: char| matches!(c, '\u{3000}'..='\u{303F}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF00}'..='\u{FFEF}');
    !text.is_ascii() && text.chars().all(|c| c.is_ascii() || chinese(c))
}

impl<R: Read> Read for Gb18030<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.text_at == self.text_end && !self.refill()? {
            return Ok(0);
        }
        let n = out.len().min(self.text_end - self.text_at);
        out[..n].copy_from_slice(&self.text[self.text_at..self.text_at + n]);
        self.text_at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn decoded(bytes: &[u8], encoding: Encoding) -> String {
        let mut text = String::new();
        decode(bytes, encoding)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn utf8_with_and_without_bom_and_gbk() {
        assert_eq!(
            decoded("\u{feff}编号,名称\n".as_bytes(), Encoding::Auto),
            "编号,名称\n"
        );
        assert_eq!(decoded("编号\n".as_bytes(), Encoding::Auto), "编号\n");
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,名称\r\nC001,华丰食品\r\n");
        assert_eq!(
            decoded(&gbk, Encoding::Auto),
            "编号,名称\r\nC001,华丰食品\r\n"
        );
        assert_eq!(decoded(&gbk, Encoding::Gbk), decoded(&gbk, Encoding::Auto));
    }

    #[test]
    fn a_long_gbk_text_decodes_across_chunks() {
        let text = "华丰食品有限公司,".repeat(20_000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        assert!(gbk.len() > 2 * CHUNK);
        assert_eq!(decoded(&gbk, Encoding::Auto), text);
    }

    #[test]
    fn a_character_cut_at_the_sample_end_is_still_utf8() {
        let bytes = "编号".as_bytes();
        assert!(looks_utf8(&bytes[..4]));
        assert!(!looks_utf8(b"\xB1\xE0\xBA\xC5,x"));
    }

    /// The line of the first bytes that do not decode, or the text.
    fn read_all(bytes: &[u8], encoding: Encoding) -> Result<String, u64> {
        let mut text = Vec::new();
        match decode(bytes, encoding).unwrap().read_to_end(&mut text) {
            Ok(_) => Ok(String::from_utf8(text).unwrap()),
            Err(e) => Err(e
                .into_inner()
                .unwrap()
                .downcast::<Malformed>()
                .unwrap()
                .line),
        }
    }

    #[test]
    fn bytes_that_do_not_decode_name_their_line() {
        assert_eq!(read_all(b"a,b\n1,2\n\xFF,3\n", Encoding::Utf8), Err(3));
        assert_eq!(read_all(b"a,b\n1,\xE7\xBC", Encoding::Auto), Err(2));
        let (gbk, _, _) = encoding_rs::GBK.encode("编号\n华丰\n");
        let mut late = "编号\n".repeat(CHUNK).into_bytes();
        late.extend_from_slice(&gbk);
        assert_eq!(read_all(&late, Encoding::Auto), Err(CHUNK as u64 + 1));
        let mut mixed = gbk.to_vec();
        mixed.extend_from_slice("华丰\n".as_bytes());
        assert_eq!(read_all(&mixed, Encoding::Auto), Err(3));
        assert!(read_all(&mixed, Encoding::Gbk).is_ok());
        assert_eq!(read_all(b"a\nb\n\x81\x20\n", Encoding::Gbk), Err(3));
        assert_eq!(read_all(b"\xB1\xE0\n\x81", Encoding::Gbk), Err(2));
    }

    proptest! {
        #[test]
        fn decoding_never_panics_and_gives_utf8(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for encoding in [Encoding::Auto, Encoding::Utf8, Encoding::Gbk] {
                let mut out = Vec::new();
                let read = decode(bytes.as_slice(), encoding).unwrap().read_to_end(&mut out);
                if read.is_ok() {
                    prop_assert!(std::str::from_utf8(&out).is_ok());
                }
            }
        }
    }
}
