//! A posting list: positions of events in the index's start order, with what makes "live at t"
//! and counts cheap on it.
//!
//! Positions ascend, so a list is in start order for free. Two side structures answer the rest:
//! a tree of maximum ends (fan-out [`FANOUT`]) finds, among the entries that started by `t`,
//! those still running, skipping every block whose latest end is already past; the ends sorted
//! on their own turn "how many are live" into two binary searches.

use super::Row;

/// Entries per block of the max-end tree.
const FANOUT: usize = 64;

/// Event positions (into the index's rows) in ascending order, with their max-end tree and sorted
/// ends.
#[derive(Debug, Default, Clone)]
pub struct Postings {
    positions: Vec<u32>,
    /// `levels[0][b]` is the latest end of entries `b*FANOUT..(b+1)*FANOUT`; each further level
    /// summarises the one below it the same way.
    levels: Vec<Vec<u32>>,
    /// Every entry's end, ascending: counts of "ended by t".
    ends: Vec<u32>,
}

impl Postings {
    /// Builds a list from ascending `positions` over `rows`; `with_counts` keeps the sorted ends
    /// that make counts arithmetic (lists nobody counts skip them to save memory).
    pub fn build(positions: Vec<u32>, rows: &[Row], with_counts: bool) -> Self {
        let end_of = |p: &u32| rows.get(*p as usize).map_or(0, |r| r.end);
        let mut levels = Vec::new();
        let mut below: Vec<u32> = positions
            .chunks(FANOUT)
            .map(|c| c.iter().map(end_of).max().unwrap_or(0))
            .collect();
        while below.len() > 1 {
            let next: Vec<u32> = below
                .chunks(FANOUT)
                .map(|c| c.iter().copied().max().unwrap_or(0))
                .collect();
            levels.push(below);
            below = next;
        }
        levels.push(below);
        let ends = if with_counts {
            let mut e: Vec<u32> = positions.iter().map(end_of).collect();
            e.sort_unstable();
            e
        } else {
            Vec::new()
        };
        let mut p = Self {
            positions,
            levels,
            ends,
        };
        p.shrink();
        p
    }

    fn shrink(&mut self) {
        self.positions.shrink_to_fit();
        self.ends.shrink_to_fit();
        for l in &mut self.levels {
            l.shrink_to_fit();
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The position at index `i` of the list.
    pub fn get(&self, i: usize) -> Option<u32> {
        self.positions.get(i).copied()
    }

    /// Whether `position` is in the list.
    pub fn contains(&self, position: u32) -> bool {
        self.positions.binary_search(&position).is_ok()
    }

    /// How many entries start at or before `t` (relative seconds).
    pub fn started_by(&self, rows: &[Row], t: i64) -> usize {
        self.positions.partition_point(|p| {
            rows.get(*p as usize)
                .is_some_and(|r| i64::from(r.start) <= t)
        })
    }

    /// How many entries have ended at or before `t`; `None` for a list built without counts.
    pub fn ended_by(&self, t: i64) -> Option<usize> {
        if self.ends.is_empty() && !self.positions.is_empty() {
            return None;
        }
        Some(self.ends.partition_point(|e| i64::from(*e) <= t))
    }

    /// Entries `i` with index below `limit_index` whose end is after `t`, in list order, until
    /// `visit` says stop. Blocks whose latest end is not after `t` are skipped whole, so the cost
    /// is the entries visited plus a few block checks per level.
    pub fn for_each_running(
        &self,
        rows: &[Row],
        limit_index: usize,
        t: i64,
        visit: &mut dyn FnMut(u32) -> bool,
    ) {
        let top = self.levels.len();
        if top == 0 || limit_index == 0 {
            return;
        }
        let top_len = self.levels[top - 1].len();
        let _ = self.descend(rows, top - 1, 0, top_len, limit_index, t, visit);
    }

    /// Visits blocks `first..last` of `level`; false once `visit` asked to stop.
    #[allow(clippy::too_many_arguments)]
    fn descend(
        &self,
        rows: &[Row],
        level: usize,
        first: usize,
        last: usize,
        limit_index: usize,
        t: i64,
        visit: &mut dyn FnMut(u32) -> bool,
    ) -> bool {
        let span = FANOUT.pow(level as u32 + 1);
        for block in first..last {
            let block_start = block * span;
            if block_start >= limit_index {
                return true;
            }
            let Some(max_end) = self.levels[level].get(block) else {
                return true;
            };
            if i64::from(*max_end) <= t {
                continue;
            }
            if level == 0 {
                let end = (block_start + FANOUT)
                    .min(limit_index)
                    .min(self.positions.len());
                for p in &self.positions[block_start..end] {
                    let running = rows.get(*p as usize).is_some_and(|r| i64::from(r.end) > t);
                    if running && !visit(*p) {
                        return false;
                    }
                }
            } else {
                let child_first = block * FANOUT;
                let child_last = (child_first + FANOUT).min(self.levels[level - 1].len());
                if !self.descend(
                    rows,
                    level - 1,
                    child_first,
                    child_last,
                    limit_index,
                    t,
                    visit,
                ) {
                    return false;
                }
            }
        }
        true
    }

    /// Entries from list index `from` on, in order.
    pub fn from_index(&self, from: usize) -> &[u32] {
        self.positions.get(from..).unwrap_or(&[])
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        (self.positions.capacity() + self.ends.capacity()) * 4
            + self.levels.iter().map(|l| l.capacity() * 4).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(spans: &[(u32, u32)]) -> Vec<Row> {
        spans
            .iter()
            .map(|&(start, end)| Row {
                start,
                end,
                station: u32::MAX,
            })
            .collect()
    }

    fn running(p: &Postings, rows: &[Row], t: i64) -> Vec<u32> {
        let k = p.started_by(rows, t);
        let mut out = Vec::new();
        p.for_each_running(rows, k, t, &mut |pos| {
            out.push(pos);
            true
        });
        out
    }

    #[test]
    fn running_entries_match_a_linear_scan_across_block_sizes() {
        // Starts ascend; ends vary so that blocks mix over and running entries.
        for n in [0usize, 1, 63, 64, 65, 4096, 4097, 10_000] {
            let spans: Vec<(u32, u32)> = (0..n as u32)
                .map(|i| (i * 10, i * 10 + 5 + (i * 7919) % 30_000))
                .collect();
            let rows = rows(&spans);
            let p = Postings::build((0..n as u32).collect(), &rows, true);
            for t in [0i64, 5, 999, 50_000, 99_999, 200_000] {
                let expected: Vec<u32> = (0..n as u32)
                    .filter(|&i| {
                        let r = &rows[i as usize];
                        i64::from(r.start) <= t && i64::from(r.end) > t
                    })
                    .collect();
                assert_eq!(running(&p, &rows, t), expected, "n={n} t={t}");
                let count = p.started_by(&rows, t) - p.ended_by(t).unwrap_or(0);
                assert_eq!(count, expected.len(), "count n={n} t={t}");
            }
        }
    }

    #[test]
    fn a_sublist_sees_only_its_entries() {
        let rows = rows(&[(0, 100), (10, 20), (20, 200), (30, 40)]);
        let p = Postings::build(vec![0, 3], &rows, false);
        assert_eq!(running(&p, &rows, 35), vec![0, 3]);
        assert_eq!(running(&p, &rows, 50), vec![0]);
        assert!(p.contains(3) && !p.contains(2));
        assert_eq!(p.ended_by(50), None);
    }

    #[test]
    fn visiting_stops_when_asked() {
        let rows = rows(&[(0, 100), (1, 100), (2, 100)]);
        let p = Postings::build(vec![0, 1, 2], &rows, true);
        let mut seen = Vec::new();
        p.for_each_running(&rows, 3, 50, &mut |pos| {
            seen.push(pos);
            seen.len() < 2
        });
        assert_eq!(seen, vec![0, 1]);
    }
}
