//! Evidence files kept inside the database as content-addressed blobs (table
//! `evidence_blobs`): the same content twice is stored once, files stream in and out through
//! SQLite's incremental blob I/O (never whole in memory), and `verify` re-hashes what is kept.
//! Complaints attach blobs through the `evidence` table; other records can point at a blob id.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use rusqlite::blob::ZeroBlob;
use rusqlite::{params, Connection, OptionalExtension, MAIN_DB};
use sha2::{Digest, Sha256};

use crate::audit::hex;
use crate::error::Failure;
use crate::i18n::Text;
use crate::{bad_input, refused};

/// A stored blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobRef {
    pub id: i64,
    pub sha256: String,
    pub bytes: u64,
    /// False when the same content was stored already and is shared.
    pub new: bool,
}

/// Stores the file at `path` (at most `max_bytes`) unless its content is stored already.
/// Anything but a regular file (a folder, a FIFO, a device) is refused before it is opened:
/// opening a FIFO would wait for a writer forever.
pub fn store(conn: &Connection, path: &Path, max_bytes: u64) -> Result<BlobRef> {
    let shown = path.display();
    let cannot_read = || format!("cannot read {shown}");
    regular(path, &std::fs::metadata(path).with_context(cannot_read)?)?;
    let open = || -> Result<File> {
        let file = File::open(path).with_context(cannot_read)?;
        regular(path, &file.metadata()?)?;
        Ok(file)
    };
    let size = open()?.metadata()?.len();
    if size > max_bytes {
        return Err(bad_input!(
            "{shown} has {size} bytes, more than evidence.max_bytes ({max_bytes})",
            "{shown} 有 {size} 字节，超过 evidence.max_bytes（{max_bytes}）"
        )
        .hint(Text::new(
            "raise `max_bytes` under [evidence] in the config, or store a smaller file",
            "在配置的 [evidence] 中调高 `max_bytes`，或保存较小的文件",
        ))
        .into());
    }
    let (sha256, bytes) =
        hash_stream(&mut open()?.take(size + 1)).with_context(|| format!("cannot read {shown}"))?;
    if bytes != size {
        return Err(changed_while_reading(path));
    }
    if let Some(id) = find(conn, &sha256)? {
        return Ok(BlobRef {
            id,
            sha256,
            bytes,
            new: false,
        });
    }
    let length = i32::try_from(size).map_err(|_| {
        bad_input!(
            "{shown} has {size} bytes, more than SQLite can hold",
            "{shown} 有 {size} 字节，超出 SQLite 能保存的大小"
        )
    })?;
    conn.prepare_cached("INSERT INTO evidence_blobs (sha256, bytes, content) VALUES (?1, ?2, ?3)")?
        .execute(params![sha256, bytes, ZeroBlob(length)])
        .context("cannot store the evidence")?;
    let id = conn.last_insert_rowid();
    let mut blob = conn.blob_open(MAIN_DB, c"evidence_blobs", c"content", id, false)?;
    let mut hashing = Hashing::new(&mut blob);
    io::copy(&mut open()?.take(size), &mut hashing)
        .with_context(|| format!("cannot store {shown}"))?;
    if hashing.finish() != (sha256.clone(), bytes) {
        return Err(changed_while_reading(path));
    }
    Ok(BlobRef {
        id,
        sha256,
        bytes,
        new: true,
    })
}

/// Refuses `path` unless `meta` (its metadata, links followed) is that of a regular file.
pub fn regular(path: &Path, meta: &std::fs::Metadata) -> Result<(), Failure> {
    if meta.is_file() {
        return Ok(());
    }
    let shown = path.display();
    Err(
        bad_input!("{shown} is not a regular file", "{shown} 不是普通文件").hint(Text::new(
            "name a regular file, not a folder, FIFO, device or socket",
            "请指定普通文件，而不是文件夹、管道、设备或套接字",
        )),
    )
}

fn changed_while_reading(path: &Path) -> anyhow::Error {
    let path = path.display();
    bad_input!(
        "{path} changed while it was being read",
        "{path} 在读取过程中被修改"
    )
    .hint(Text::new(
        "add it again once nothing writes to it",
        "待没有程序写入它时再添加",
    ))
    .into()
}

fn find(conn: &Connection, sha256: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM evidence_blobs WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}

/// The SHA-256 (hex) and length of what the blob holds now.
pub fn rehash(conn: &Connection, blob_id: i64) -> Result<(String, u64)> {
    let mut blob = conn
        .blob_open(MAIN_DB, c"evidence_blobs", c"content", blob_id, true)
        .with_context(|| format!("cannot read evidence blob {blob_id}"))?;
    Ok(hash_stream(&mut blob)?)
}

/// A blob whose content no longer has the hash it was stored under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub blob_id: i64,
    pub sha256: String,
    pub found: String,
}

/// Re-hashes the blobs with these ids (every blob for None); returns how many were checked
/// and the ones that changed.
pub fn verify(conn: &Connection, blob_ids: Option<&[i64]>) -> Result<(usize, Vec<Damaged>)> {
    let stored: Vec<(i64, String)> = match blob_ids {
        None => conn
            .prepare_cached("SELECT id, sha256 FROM evidence_blobs ORDER BY id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?,
        Some(ids) => {
            let mut stmt =
                conn.prepare_cached("SELECT id, sha256 FROM evidence_blobs WHERE id = ?1")?;
            ids.iter()
                .map(|id| stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))))
                .collect::<rusqlite::Result<_>>()?
        }
    };
    let mut damaged = Vec::new();
    for (blob_id, sha256) in &stored {
        let (found, _) = rehash(conn, *blob_id)?;
        if &found != sha256 {
            damaged.push(Damaged {
                blob_id: *blob_id,
                sha256: sha256.clone(),
                found,
            });
        }
    }
    Ok((stored.len(), damaged))
}

/// Writes the blob to a new file at `dest` (an existing file is refused), checking on the
/// way that the content still has its hash; a damaged copy is removed again.
pub fn export(conn: &Connection, blob_id: i64, dest: &Path) -> Result<()> {
    let shown = dest.display();
    let sha256: String = conn
        .prepare_cached("SELECT sha256 FROM evidence_blobs WHERE id = ?1")?
        .query_row([blob_id], |r| r.get(0))
        .with_context(|| format!("no evidence blob {blob_id}"))?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(dest) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            return Err(refused!("{shown} exists already", "{shown} 已存在")
                .hint(Text::new("export into an empty folder", "请导出到空文件夹"))
                .into())
        }
        Err(e) => return Err(e).with_context(|| format!("cannot write {shown}")),
    };
    let mut blob = conn.blob_open(MAIN_DB, c"evidence_blobs", c"content", blob_id, true)?;
    let mut hashing = Hashing::new(&mut file);
    let copied = io::copy(&mut blob, &mut hashing)
        .and_then(|_| hashing.flush())
        .with_context(|| format!("cannot write {shown}"));
    let (found, _) = hashing.finish();
    if copied.is_err() || found != sha256 {
        drop(file);
        let _ = std::fs::remove_file(dest);
        copied?;
        anyhow::bail!(
            "evidence blob {blob_id} (sha256 {sha256}) has changed: its content now hashes to {found}; {shown} not written"
        );
    }
    Ok(())
}

/// A file name that is safe to create in a folder: the last part of what was given.
pub fn file_name_of(path: &Path) -> Result<String, Failure> {
    base_name(path).ok_or_else(|| {
        let path = path.display();
        bad_input!("{path} names no file", "{path} 没有指明文件")
    })
}

/// The last part of `path` when it names a file: never empty, blank, `.` or `..`, and
/// without any separator, so that it stays inside the folder it is joined to.
pub fn base_name(path: &Path) -> Option<String> {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.trim().is_empty())
}

/// `dir/name`, or `dir/PREFIX-name` when `name` is taken by an earlier file of the same export.
pub fn unique_path(dir: &Path, name: &str, prefix: i64, taken: &mut Vec<String>) -> PathBuf {
    let name = if taken.iter().any(|t| t == name) {
        format!("{prefix}-{name}")
    } else {
        name.to_string()
    };
    taken.push(name.clone());
    dir.join(name)
}

fn hash_stream(reader: &mut impl Read) -> io::Result<(String, u64)> {
    let mut hashing = Hashing::new(io::sink());
    io::copy(reader, &mut hashing)?;
    Ok(hashing.finish())
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Hashing {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    fn finish(self) -> (String, u64) {
        (hex(&self.hasher.finalize()), self.bytes)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrate(&mut conn).unwrap();
        conn
    }

    #[test]
    fn same_content_is_stored_once_and_round_trips() {
        let conn = db();
        let dir = tempfile::tempdir().unwrap();
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let (a, b) = (dir.path().join("a.bin"), dir.path().join("b.bin"));
        std::fs::write(&a, &content).unwrap();
        std::fs::write(&b, &content).unwrap();
        let first = store(&conn, &a, 1 << 20).unwrap();
        let second = store(&conn, &b, 1 << 20).unwrap();
        assert!(first.new && !second.new);
        assert_eq!(first.id, second.id);
        assert_eq!(first.bytes, 200_000);
        assert_eq!(first.sha256, hex(&Sha256::digest(&content)));
        let out = dir.path().join("out.bin");
        export(&conn, first.id, &out).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), content);
        assert_eq!(verify(&conn, None).unwrap(), (1, vec![]));
        let err = export(&conn, first.id, &out).unwrap_err();
        assert!(err.to_string().contains("exists already"), "{err}");
    }

    #[test]
    fn empty_files_and_the_size_limit() {
        let conn = db();
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty");
        std::fs::write(&empty, b"").unwrap();
        let blob = store(&conn, &empty, 10).unwrap();
        assert_eq!(blob.bytes, 0);
        assert_eq!(rehash(&conn, blob.id).unwrap().1, 0);
        let big = dir.path().join("big");
        std::fs::write(&big, [7u8; 11]).unwrap();
        let err = store(&conn, &big, 10).unwrap_err();
        let failure = err.downcast_ref::<Failure>().unwrap();
        assert!(failure.message.en.contains("11 bytes") && failure.message.en.contains("(10)"));
        let err = store(&conn, dir.path(), 10).unwrap_err();
        assert!(err.downcast_ref::<Failure>().is_some(), "{err}");
    }

    #[test]
    fn a_changed_blob_is_named_and_not_exported() {
        let conn = db();
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, b"contract").unwrap();
        std::fs::write(&b, b"receipt").unwrap();
        let kept = store(&conn, &a, 100).unwrap();
        let changed = store(&conn, &b, 100).unwrap();
        conn.execute(
            "UPDATE evidence_blobs SET content = X'7265636569707421' WHERE id = ?1",
            [changed.id],
        )
        .unwrap();
        let (checked, damaged) = verify(&conn, None).unwrap();
        assert_eq!(checked, 2);
        assert_eq!(damaged.len(), 1);
        assert_eq!(damaged[0].blob_id, changed.id);
        assert_eq!(damaged[0].sha256, changed.sha256);
        assert_eq!(verify(&conn, Some(&[kept.id])).unwrap(), (1, vec![]));
        let out = dir.path().join("out");
        let err = export(&conn, changed.id, &out).unwrap_err();
        assert!(err.to_string().contains(&changed.sha256), "{err}");
        assert!(!out.exists());
    }

    #[test]
    fn export_names_do_not_collide() {
        let dir = Path::new("/x");
        let mut taken = Vec::new();
        assert_eq!(unique_path(dir, "a.pdf", 1, &mut taken), dir.join("a.pdf"));
        assert_eq!(
            unique_path(dir, "a.pdf", 2, &mut taken),
            dir.join("2-a.pdf")
        );
        assert_eq!(
            file_name_of(Path::new("../x/合同.pdf")).unwrap(),
            "合同.pdf"
        );
        assert!(file_name_of(Path::new("/")).is_err());
    }
}
