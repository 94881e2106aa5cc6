//! The text of the input: hashed as it is read ([`Hashing`]), a UTF-8 BOM dropped, GB18030
//! decoded to UTF-8 when asked for or when the start of the file is not UTF-8 ([`decode`]).

use std::io::{self, Cursor, Read};

use sha2::{Digest, Sha256};

use super::{Encoding, CHUNK};

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

/// UTF-8 text from the input: a UTF-8 BOM is dropped; GB18030 is decoded when asked for, or
/// (auto) when the first 64 KiB are not UTF-8.
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
        Box::new(Gb18030::new(text))
    } else {
        Box::new(text)
    })
}

/// Valid UTF-8, but for a character cut off at the end of the sample.
fn looks_utf8(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// Decodes GB18030 (a superset of GBK) to UTF-8 as it is read.
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
}

impl<R: Read> Gb18030<R> {
    fn new(inner: R) -> Self {
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
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.raw[self.raw_at..self.raw_end],
                &mut self.text,
                self.eof,
            );
            self.raw_at += read;
            self.text_at = 0;
            self.text_end = written;
            self.done = self.eof && result == encoding_rs::CoderResult::InputEmpty;
            if written > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }
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

    proptest! {
        #[test]
        fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            for encoding in [Encoding::Auto, Encoding::Utf8, Encoding::Gbk] {
                let mut out = Vec::new();
                decode(bytes.as_slice(), encoding).unwrap().read_to_end(&mut out).unwrap();
            }
        }
    }
}
