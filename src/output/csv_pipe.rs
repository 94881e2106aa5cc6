//! The CSV of a list written on a second thread: this one reads the rows and fills their
//! cells (the query), that one finishes them (masking, neutralising: [`Finish`]), quotes
//! and writes them, a batch of rows at a time and in order. Quoting and writing were a
//! fifth of exporting a million customers; on their own thread they overlap with the
//! query, as the reading thread of an import overlaps with its inserts.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use anyhow::Result;

use super::csv_row::Finish;
use super::Sink;

/// Rows in a batch handed to the writing thread.
const BATCH_ROWS: usize = 1024;
/// Batches on their way to the writing thread at most: memory stays bounded when the
/// reader of the output is slower than the query.
const IN_FLIGHT: usize = 4;

/// The cells of up to [`BATCH_ROWS`] rows, row after row, and what is left to do to each;
/// the strings are reused from batch to batch.
#[derive(Default)]
struct Batch {
    cells: Vec<String>,
    finishes: Vec<Finish>,
    filled: usize,
}

/// Rows on their way to the CSV writer on its thread.
pub(super) struct CsvPipe {
    width: usize,
    batch: Batch,
    to_writer: Option<SyncSender<Batch>>,
    recycled: Receiver<Batch>,
    writer: Option<JoinHandle<csv::Result<csv::Writer<Sink>>>>,
}

impl CsvPipe {
    /// Starts the writing thread on `csv` (its header written), for rows of `width` cells.
    pub(super) fn new(mut csv: csv::Writer<Sink>, width: usize) -> CsvPipe {
        let (to_writer, batches) = mpsc::sync_channel::<Batch>(IN_FLIGHT);
        let (recycle, recycled) = mpsc::channel();
        let writer = thread::spawn(move || {
            for mut batch in batches {
                let cells = &mut batch.cells[..batch.filled];
                let finishes = &batch.finishes[..batch.filled];
                for (cell, finish) in cells.iter_mut().zip(finishes) {
                    finish.apply(cell);
                }
                for record in cells.chunks(width.max(1)) {
                    csv.write_record(record)?;
                }
                // The list may have ended already: the batch is then dropped.
                let _ = recycle.send(batch);
            }
            Ok(csv)
        });
        CsvPipe {
            width,
            batch: Batch::default(),
            to_writer: Some(to_writer),
            recycled,
            writer: Some(writer),
        }
    }

    /// Queues one row of `width` cells and what is left to do to them, taking their
    /// strings (each cell is left holding an emptied string of an earlier row, to be filled
    /// again without allocating).
    pub(super) fn push(&mut self, cells: &mut [String], finishes: &[Finish]) -> Result<()> {
        let batch = &mut self.batch;
        for (cell, &finish) in cells.iter_mut().zip(finishes).take(self.width) {
            match batch.cells.get_mut(batch.filled) {
                Some(slot) => {
                    std::mem::swap(slot, cell);
                    batch.finishes[batch.filled] = finish;
                }
                None => {
                    batch.cells.push(std::mem::take(cell));
                    batch.finishes.push(finish);
                }
            }
            batch.filled += 1;
        }
        if batch.filled >= self.width * BATCH_ROWS {
            self.send()?;
        }
        Ok(())
    }

    /// Hands the batch over and takes an empty one (a written one back, when there is).
    fn send(&mut self) -> Result<()> {
        let mut next = self.recycled.try_recv().unwrap_or_default();
        next.filled = 0;
        let full = std::mem::replace(&mut self.batch, next);
        let sent = match &self.to_writer {
            Some(to_writer) => to_writer.send(full).is_ok(),
            None => false,
        };
        if !sent {
            // The writing thread stopped on an error: that error is the answer.
            self.join()?;
            anyhow::bail!("the CSV writer stopped");
        }
        Ok(())
    }

    /// Writes the rows still queued and gives the output back.
    pub(super) fn finish(mut self) -> Result<Sink> {
        if self.batch.filled > 0 {
            self.send()?;
        }
        let csv = self.join()?;
        Ok(csv.into_inner().map_err(|e| e.into_error())?)
    }

    /// Ends the writing thread and takes its writer, or its error.
    fn join(&mut self) -> Result<csv::Writer<Sink>> {
        self.to_writer = None;
        let writer = self
            .writer
            .take()
            .ok_or_else(|| anyhow::anyhow!("the CSV writer already ended"))?;
        match writer.join() {
            Ok(written) => Ok(written?),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outfile::OutFile;

    #[test]
    fn rows_come_out_in_order_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let sink = Sink::File(OutFile::create(&path).unwrap());
        let mut pipe = CsvPipe::new(csv::Writer::from_writer(sink), 2);
        let rows = BATCH_ROWS * 3 + 7;
        let finishes = [Finish::Keep, Finish::Neutralise];
        for i in 0..rows {
            pipe.push(&mut [i.to_string(), "=a,b".to_string()], &finishes)
                .unwrap();
        }
        pipe.finish().unwrap().finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = written.lines().collect();
        assert_eq!(lines.len(), rows);
        assert_eq!(lines[0], "0,\"'=a,b\"");
        assert_eq!(lines[rows - 1], format!("{},\"'=a,b\"", rows - 1));
    }
}
