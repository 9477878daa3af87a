//! Precomputed open periods, in UTC milliseconds, one chunk of time at a time.
//!
//! A chunk covers a fixed span of UTC time (`CHUNK_MS`, about 97 days) and
//! holds the calendar's open periods inside it as sorted, disjoint, non-empty
//! `[start, end)` spans with prefix sums of their lengths. Every operation
//! then costs a hash lookup and a binary search, whatever the number of
//! holidays; a long span walks chunk totals, never single days. Chunks are
//! built on first use and kept, one slot per chunk of the supported range, in
//! a cache shared by all threads.

use super::range;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Length of a chunk: 2^20 seconds (12.1 days), in milliseconds. Small
/// enough that a fresh calendar's first chunk is a few dozen resolved wall
/// times; a year is 30 chunks, each walked with an array lookup.
pub(crate) const CHUNK_MS: i64 = 1_048_576_000;

/// One open period with the open time of the chunk before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Period {
    start: i64,
    end: i64,
    /// Open time in the chunk before `start`.
    before: i64,
}

/// The open periods of one chunk, in one allocation: sorted, disjoint,
/// non-empty `[start, end)` spans (`ends[i] > starts[i]`,
/// `starts[i+1] >= ends[i]`), each with the open time before it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Chunk {
    periods: Box<[Period]>,
    total: i64,
}

impl Chunk {
    /// Builds a chunk from spans already clipped to it, sorted and disjoint.
    pub(crate) fn from_spans(spans: &[(i64, i64)]) -> Self {
        let mut total = 0;
        let periods = spans
            .iter()
            .map(|&(start, end)| {
                let before = total;
                total += end - start;
                Period { start, end, before }
            })
            .collect();
        Chunk { periods, total }
    }

    /// Total open time in the chunk.
    pub(crate) fn total(&self) -> i64 {
        self.total
    }

    /// Start and end of period `i`.
    pub(crate) fn period(&self, i: usize) -> Option<(i64, i64)> {
        self.periods.get(i).map(|p| (p.start, p.end))
    }

    /// Index of the first period that ends after `t`.
    pub(crate) fn first_ending_after(&self, t: i64) -> usize {
        self.periods.partition_point(|p| p.end <= t)
    }

    /// Open time in the chunk before instant `t`.
    pub(crate) fn open_before(&self, t: i64) -> i64 {
        match self.periods.get(self.first_ending_after(t)) {
            Some(p) if p.start < t => p.before + (t - p.start),
            Some(p) => p.before,
            None => self.total,
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
        // The last period with `before <= count`: its open time ends after `count`.
        let i = self
            .periods
            .partition_point(|p| p.before <= count)
            .checked_sub(1)?;
        let p = self.periods.get(i)?;
        Some(p.start + (count - p.before))
    }

    /// The instant where `count` open time lies before it, counting back
    /// stopping at an opening. `count` must be below [`Chunk::total`].
    pub(crate) fn locate_backward(&self, count: i64) -> Option<i64> {
        // The first period whose open time reaches past `count`, stopping at
        // its opening when `count` is exactly its `before`.
        let i = self
            .periods
            .partition_point(|p| p.before + (p.end - p.start) <= count);
        let p = self.periods.get(i)?;
        Some(p.start + (count - p.before))
    }

    /// The last period end at or before `t`.
    pub(crate) fn last_end_at_or_before(&self, t: i64) -> Option<i64> {
        let i = self.first_ending_after(t).checked_sub(1)?;
        self.periods.get(i).map(|p| p.end)
    }
}

/// Chunks per group of the cache: 64 chunks are about 2.1 years.
const GROUP: i64 = 64;

/// The first chunk of the supported range (it holds 1900-01-01T00:00:00Z).
const FIRST_CHUNK: i64 = range::FIRST_MS.div_euclid(CHUNK_MS);

/// Groups covering every chunk from [`FIRST_CHUNK`] to the one holding
/// [`range::END_MS`] (included, since `between` counts up to it).
const GROUPS: usize = ((range::END_MS.div_euclid(CHUNK_MS) - FIRST_CHUNK) / GROUP + 1) as usize;

/// One group of chunk slots, each filled once.
type Group = [OnceLock<Chunk>; GROUP as usize];

/// A thread-safe cache of chunks with one slot per chunk of the supported
/// range (about 9,030 chunks in 142 groups of 64, a group of 2 KB allocated
/// on first use): it is bounded by the range itself, so it never evicts, never
/// rebuilds a chunk and has no cliff, whatever the order of the instants.
/// A lookup is two array indexings, no lock, no hash. A chunk outside the
/// range (only `is_open` can ask for one) is built and not kept.
///
/// Memory: a slot is 32 bytes and a chunk 24 bytes a period, about 0.4 KB
/// for 12 days of an office calendar with two periods a weekday; the whole
/// range, touched end to end, about 4 MB for such a calendar. (A third level
/// of shelves, allocated on first use, would make a fresh calendar about
/// 0.3 µs cheaper to make and drop, but a walk over a year of chunks twice
/// as slow.)
#[derive(Debug)]
pub(crate) struct ChunkCache {
    groups: [OnceLock<Box<Group>>; GROUPS],
}

impl ChunkCache {
    /// The chunk numbered `k`, building it with `build` when absent.
    pub(crate) fn get_or_build(&self, k: i64, build: impl FnOnce() -> Chunk) -> Cow<'_, Chunk> {
        let index = k.saturating_sub(FIRST_CHUNK);
        let (group, slot) = (index.div_euclid(GROUP), index.rem_euclid(GROUP));
        let (Ok(group), Ok(slot)) = (usize::try_from(group), usize::try_from(slot)) else {
            return Cow::Owned(build());
        };
        // A chunk already built: two loads, no initialisation code.
        let built = self
            .groups
            .get(group)
            .and_then(OnceLock::get)
            .and_then(|g| g.get(slot))
            .and_then(OnceLock::get);
        if let Some(chunk) = built {
            return Cow::Borrowed(chunk);
        }
        self.build_slot(group, slot, build)
    }

    /// The slow half of [`ChunkCache::get_or_build`]: allocates the group
    /// when absent and builds the chunk.
    #[cold]
    #[inline(never)]
    fn build_slot(
        &self,
        group: usize,
        slot: usize,
        build: impl FnOnce() -> Chunk,
    ) -> Cow<'_, Chunk> {
        let cell = self
            .groups
            .get(group)
            .map(|g| g.get_or_init(|| Box::new(std::array::from_fn(|_| OnceLock::new()))))
            .and_then(|g| g.get(slot));
        match cell {
            Some(cell) => Cow::Borrowed(cell.get_or_init(build)),
            None => Cow::Owned(build()),
        }
    }
}

impl Default for ChunkCache {
    fn default() -> Self {
        ChunkCache {
            groups: std::array::from_fn(|_| OnceLock::new()),
        }
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
    if !spans.is_sorted() {
        spans.sort_unstable();
    }
    // `dedup_by` hands each span with the last one kept before it.
    spans.dedup_by(|next, kept| {
        let touches = next.0 <= kept.1;
        if touches {
            kept.1 = kept.1.max(next.1);
        }
        touches
    });
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
    fn a_chunk_is_built_once_however_many_others_are() {
        // The range's chunks: 1900-01-01 is -2,208,988,800,000 ms, chunk
        // floor(-2,106.6) = -2,107; 2201-01-01 is 7,289,654,400,000 ms,
        // chunk floor(6,951.96) = 6,951; so 6,951 + 2,107 + 1 = 9,059
        // chunks, far past the 192 after which the old cache was emptied.
        assert_eq!(
            (FIRST_CHUNK, range::END_MS.div_euclid(CHUNK_MS)),
            (-2_107, 6_951)
        );
        let cache = ChunkCache::default();
        let builds = std::cell::Cell::new(0);
        let build = || {
            builds.set(builds.get() + 1);
            Chunk::from_spans(&[(0, 1)])
        };
        for k in -2_107..=6_951 {
            assert_eq!(cache.get_or_build(k, build).total(), 1);
        }
        assert_eq!(builds.get(), 9_059);
        // The first chunk again, and one in the middle: kept, not rebuilt.
        cache.get_or_build(-2_107, build);
        cache.get_or_build(2_000, build);
        assert_eq!(builds.get(), 9_059);
        // A chunk outside the range is built on each call and not kept.
        cache.get_or_build(-2_108, build);
        cache.get_or_build(-2_108, build);
        assert_eq!(builds.get(), 9_061);
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
