//! Precomputed open periods, in UTC milliseconds, one chunk of time at a time.
//!
//! A chunk covers a fixed span of UTC time (`CHUNK_MS`, about 97 days) and
//! holds the calendar's open periods inside it as sorted, disjoint, non-empty
//! `[start, end)` spans with prefix sums of their lengths. Every operation
//! then costs a hash lookup and a binary search, whatever the number of
//! holidays; a long span walks chunk totals, never single days. Chunks are
//! built on first use and kept in a bounded cache shared by all threads.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// Length of a chunk: 2^23 seconds (97.1 days), in milliseconds.
pub(crate) const CHUNK_MS: i64 = 8_388_608_000;

/// Chunks kept per calendar before the cache is emptied (about 50 years).
const CACHE_LIMIT: usize = 192;

/// The open periods of one chunk.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    /// Period starts, ascending.
    starts: Vec<i64>,
    /// Period ends, ascending; `ends[i] > starts[i]`, `starts[i+1] >= ends[i]`.
    ends: Vec<i64>,
    /// `prefix[i]` = open time before period `i`; one more entry than periods.
    prefix: Vec<i64>,
}

impl Chunk {
    /// Builds a chunk from spans already clipped to it, sorted and disjoint.
    pub(crate) fn from_spans(spans: &[(i64, i64)]) -> Self {
        let mut chunk = Chunk {
            starts: Vec::with_capacity(spans.len()),
            ends: Vec::with_capacity(spans.len()),
            prefix: Vec::with_capacity(spans.len() + 1),
        };
        let mut total = 0;
        chunk.prefix.push(0);
        for &(start, end) in spans {
            chunk.starts.push(start);
            chunk.ends.push(end);
            total += end - start;
            chunk.prefix.push(total);
        }
        chunk
    }

    /// Total open time in the chunk.
    pub(crate) fn total(&self) -> i64 {
        self.prefix.last().copied().unwrap_or(0)
    }

    /// Number of periods.
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    /// Start and end of period `i`.
    pub(crate) fn period(&self, i: usize) -> Option<(i64, i64)> {
        Some((*self.starts.get(i)?, *self.ends.get(i)?))
    }

    /// Index of the first period that ends after `t`.
    pub(crate) fn first_ending_after(&self, t: i64) -> usize {
        self.ends.partition_point(|&end| end <= t)
    }

    /// Open time in the chunk before instant `t`.
    pub(crate) fn open_before(&self, t: i64) -> i64 {
        let i = self.first_ending_after(t);
        let before = self.prefix.get(i).copied().unwrap_or(0);
        match self.period(i) {
            Some((start, _)) if start < t => before + (t - start),
            _ => before,
        }
    }

    /// Whether `t` lies inside a period.
    pub(crate) fn contains(&self, t: i64) -> bool {
        matches!(self.period(self.first_ending_after(t)), Some((start, _)) if start <= t)
    }

    /// The instant where `count` open time has been used from the chunk's
    /// start, time used up exactly at a close landing on the next opening.
    /// `count` must be below [`Chunk::total`].
    pub(crate) fn locate_forward(&self, count: i64) -> Option<i64> {
        let after_start = self.prefix.get(1..)?;
        let i = after_start.partition_point(|&p| p <= count);
        let (start, _) = self.period(i)?;
        Some(start + (count - self.prefix.get(i)?))
    }

    /// The instant where `count` open time lies before it, counting back
    /// stopping at an opening. `count` must be below [`Chunk::total`].
    pub(crate) fn locate_backward(&self, count: i64) -> Option<i64> {
        let starts = self.prefix.get(..self.len())?;
        let i = starts.partition_point(|&p| p <= count).checked_sub(1)?;
        let (start, _) = self.period(i)?;
        Some(start + (count - self.prefix.get(i)?))
    }

    /// The last period end at or before `t`.
    pub(crate) fn last_end_at_or_before(&self, t: i64) -> Option<i64> {
        let i = self.first_ending_after(t).checked_sub(1)?;
        self.ends.get(i).copied()
    }
}

/// A bounded, thread-safe cache of chunks keyed by chunk number.
#[derive(Debug, Default)]
pub(crate) struct ChunkCache {
    chunks: RwLock<HashMap<i64, Arc<Chunk>>>,
}

impl ChunkCache {
    /// The chunk numbered `k`, building it with `build` when absent.
    pub(crate) fn get_or_build(&self, k: i64, build: impl FnOnce() -> Chunk) -> Arc<Chunk> {
        if let Ok(map) = self.chunks.read() {
            if let Some(chunk) = map.get(&k) {
                return Arc::clone(chunk);
            }
        }
        let chunk = Arc::new(build());
        // A poisoned lock only means another thread panicked mid-insert;
        // the map itself is still a valid cache, so keep using it.
        let mut map = match self.chunks.write() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        Arc::clone(map.entry(k).or_insert(chunk))
    }
}

impl Clone for ChunkCache {
    fn clone(&self) -> Self {
        ChunkCache::default()
    }
}

/// Sorts spans and merges those that overlap or touch.
pub(crate) fn normalise(spans: &mut Vec<(i64, i64)>) {
    spans.retain(|(start, end)| end > start);
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for &(start, end) in spans.iter() {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    *spans = merged;
}

/// Removes the closed spans `holes` (sorted, disjoint) from `spans` (sorted, disjoint).
pub(crate) fn subtract(spans: &[(i64, i64)], holes: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::with_capacity(spans.len());
    for &(start, end) in spans {
        let mut cursor = start;
        for &(hole_start, hole_end) in holes {
            if hole_end <= cursor || hole_start >= end {
                continue;
            }
            if hole_start > cursor {
                out.push((cursor, hole_start));
            }
            cursor = cursor.max(hole_end);
            if cursor >= end {
                break;
            }
        }
        if cursor < end {
            out.push((cursor, end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_arithmetic() {
        // Periods [10, 20) and [30, 40): 20 open in all.
        let chunk = Chunk::from_spans(&[(10, 20), (30, 40)]);
        assert_eq!(chunk.total(), 20);
        assert_eq!(chunk.open_before(15), 5);
        assert_eq!(chunk.open_before(25), 10);
        assert_eq!(chunk.open_before(45), 20);
        // 10 used up exactly at the close of the first period: next opening.
        assert_eq!(chunk.locate_forward(10), Some(30));
        assert_eq!(chunk.locate_forward(0), Some(10));
        // Counting back to 10 stops at the opening of the second period.
        assert_eq!(chunk.locate_backward(10), Some(30));
        assert_eq!(chunk.locate_backward(9), Some(19));
        assert!(chunk.contains(10) && !chunk.contains(20) && !chunk.contains(5));
        assert_eq!(chunk.last_end_at_or_before(29), Some(20));
        assert_eq!(chunk.last_end_at_or_before(19), None);
    }

    #[test]
    fn normalise_and_subtract() {
        let mut spans = vec![(30, 40), (10, 20), (20, 25), (35, 38), (50, 50)];
        normalise(&mut spans);
        assert_eq!(spans, vec![(10, 25), (30, 40)]);
        assert_eq!(
            subtract(&spans, &[(12, 14), (24, 32)]),
            vec![(10, 12), (14, 24), (32, 40)]
        );
    }
}
