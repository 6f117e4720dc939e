//! CA-3's least squares, from sums: a fit of pain on a candidate's exposure needs only how many rows there were,
//! each column's sum and each pair of columns' sum of products. Sums can be added to one session at a time and
//! subtracted from one another, so the fold keeps them (`super::sums`) instead of reading every session again.

use serde::{Deserialize, Serialize};

/// The most covariates a fit takes: a direction's rest (CA-5) beside its exercise, the other four directions and the
/// volume.
pub(super) const COVARIATES: usize = 7;

/// The columns of a [`Gram`]: up to `COVARIATES` covariates, then the pain.
pub(super) const WIDTH: usize = COVARIATES + 1;

/// The column of a [`Gram`] that holds the pain.
pub(super) const Y: usize = COVARIATES;

/// A row of a fit: the covariates (the candidate's exposure first) and the pain last.
pub(super) type Row = [f64; WIDTH];

/// A fitted coefficient and its t statistic.
pub(super) type Fit = (f64, f64);

/// The spread of one pain reading around the person's true level that a fit starts from before their own readings
/// are counted (CA-3): about one point (a 0–10 rating repeated on a stable back moves by up to 2 points, Childs et
/// al. 2005, so one reading's own error is about 1).
const PRIOR_VARIANCE: f64 = 1.0;

/// How many readings' worth of weight that starting spread carries against the person's own: a few, so that three
/// calm sessions without an exercise do not make every difference look certain.
const PRIOR_READINGS: f64 = 3.0;

/// The variance of a pain score's rounding to whole points (a uniform error of ±0.5): no fit is better than that.
const ROUNDING_VARIANCE: f64 = 1.0 / 12.0;

/// How far a column's spread must stand above the rounding of its sums to count as varying: a column that takes one
/// value is left out of a fit, and its spread, worked out from sums, is that value's rounding error rather than 0.
const CONSTANT: f64 = 1e-9;

/// The sums of a fit's rows: how many, each column's sum and each pair's sum of products (the upper half: a
/// product is the same either way round).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub(super) struct Gram {
    n: u32,
    s: [f64; WIDTH],
    p: [[f64; WIDTH]; WIDTH],
}

impl Gram {
    /// Adds one row.
    pub(super) fn push(&mut self, row: &Row) {
        self.n += 1;
        for i in 0..WIDTH {
            self.s[i] += row[i];
            for j in i..WIDTH {
                self.p[i][j] += row[i] * row[j];
            }
        }
    }

    /// How many rows.
    pub(super) fn len(&self) -> usize {
        self.n as usize
    }

    /// The rows of `self` that are not in `part` (which must be some of them).
    pub(super) fn minus(&self, part: &Gram) -> Gram {
        let mut out = *self;
        out.n = self.n.saturating_sub(part.n);
        for i in 0..WIDTH {
            out.s[i] -= part.s[i];
            for j in i..WIDTH {
                out.p[i][j] -= part.p[i][j];
            }
        }
        out
    }

    /// The same rows with column `col` taken from `part`: `self` is zero in `col` throughout, and `part` holds the
    /// rows where it is not (a candidate's own rows, its exposure being zero in every other).
    pub(super) fn with_column(&self, col: usize, part: &Gram) -> Gram {
        let mut out = *self;
        out.s[col] = part.s[col];
        for j in 0..WIDTH {
            out.p[col.min(j)][col.max(j)] = part.product(col, j);
        }
        out
    }

    /// The same rows with columns chosen and reordered: column `i` of the result is column `cols[i]` of `self`, the
    /// columns after the chosen ones are zero, and the pain stays last.
    pub(super) fn pick(&self, cols: &[usize]) -> Gram {
        let mut from = [usize::MAX; WIDTH];
        from[..cols.len()].copy_from_slice(cols);
        from[Y] = Y;
        let mut out = Gram {
            n: self.n,
            ..Gram::default()
        };
        for i in 0..WIDTH {
            if from[i] == usize::MAX {
                continue;
            }
            out.s[i] = self.s[from[i]];
            for j in i..WIDTH {
                if from[j] != usize::MAX {
                    out.p[i][j] = self.product(from[i], from[j]);
                }
            }
        }
        out
    }

    /// The same rows with columns `a` and `b` swapped.
    pub(super) fn swapped(&self, a: usize, b: usize) -> Gram {
        let mut cols: Vec<usize> = (0..COVARIATES).collect();
        cols.swap(a, b);
        self.pick(&cols)
    }

    fn product(&self, i: usize, j: usize) -> f64 {
        self.p[i.min(j)][i.max(j)]
    }

    /// The centred sum of products of columns `i` and `j` (n times their covariance).
    fn centred(&self, i: usize, j: usize) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        self.product(i, j) - self.s[i] * self.s[j] / f64::from(self.n)
    }

    /// Whether column `j` takes more than one value over these rows.
    pub(super) fn varies(&self, j: usize) -> bool {
        self.n > 1 && self.centred(j, j) > CONSTANT * self.product(j, j).max(1.0)
    }
}

/// The least-squares coefficient of the first covariate in `y ~ covariates` (with an intercept) and its t
/// statistic: how much more pain goes with the candidate once the other covariates (the volume of other training,
/// and for a direction the other four directions) are accounted for. `None` when the first covariate does not vary
/// apart from the others, or there are too few rows. `k` covariates are in use; the first `leading` of them (the
/// candidate, and for a rest its exercise) are always kept.
///
/// The spread the coefficient is measured against is the person's own variation where the candidate was absent (the
/// rows of `absent`: not exposed to it, fitted on the other covariates), when there are enough such rows: more pain
/// with the candidate then always counts for it, never against it by widening the spread (CA-3). Without enough of
/// them, the residuals of the whole fit are used.
pub(super) fn first_coefficient(all: &Gram, absent: &Gram, k: usize, leading: usize) -> Option<Fit> {
    // Covariates other than the candidate that never vary (every block of 3 sets, a direction no exercise done
    // loads) carry nothing and would make the fit singular: they are left out.
    let keep: Vec<usize> = (0..k).filter(|j| *j < leading || all.varies(*j)).collect();
    // When the other directions move in lockstep with this one (every exercise done that loads compression at 2
    // also loads flexion at 1), they cannot be told apart: the fit falls back to the candidate against the volume,
    // and both directions may be named. The `leading` columns (the candidate, and for a rest its exercise) stay.
    select(all, &keep, absent, leading, k - 1).or_else(|| {
        let volume_only: Vec<usize> = keep
            .iter()
            .copied()
            .filter(|j| *j < leading || *j == k - 1)
            .collect();
        (volume_only.len() < keep.len())
            .then(|| select(all, &volume_only, absent, leading, k - 1))
            .flatten()
    })
}

/// Fits on the chosen covariate columns (the candidate's first), with the spread taken from the rows without the
/// candidate (`absent`) when they are enough to fit the other columns with room to spare.
fn select(all: &Gram, keep: &[usize], absent: &Gram, leading: usize, volume: usize) -> Option<Fit> {
    let others: Vec<usize> = keep
        .iter()
        .copied()
        .filter(|j| *j >= leading && absent.varies(*j))
        .collect();
    if all.len() < keep.len() + 4 {
        return None;
    }
    let fit = ols(all, keep)?;
    if fit.inv.first().is_none_or(|r| r[0] <= 0.0) {
        return None;
    }
    // More training does not calm a back: a volume slope below zero is noise in a few sessions, and adjusting for
    // it would credit the candidate with what that noise predicts (a candidate done in the bigger sessions is then
    // blamed for not being calmer). The fit is made without the volume instead.
    if let Some(at) = keep.iter().position(|j| *j == volume && *j >= leading)
        && fit.b[at] < 0.0
    {
        let without: Vec<usize> = keep.iter().copied().filter(|j| *j != volume).collect();
        return select(all, &without, absent, leading, volume);
    }
    let (rss, df) = (absent.len() > others.len() + 1)
        .then(|| ols(absent, &others))
        .flatten()
        .map_or((fit.rss, all.len() - keep.len() - 1), |null| {
            (null.rss, absent.len() - others.len() - 1)
        });
    let s2 = ((PRIOR_READINGS * PRIOR_VARIANCE + rss) / (PRIOR_READINGS + df as f64)).max(ROUNDING_VARIANCE);
    let var = s2 * fit.inv[0][0];
    (var > 0.0).then(|| (fit.b[0], fit.b[0] / var.sqrt()))
}

/// An ordinary least-squares fit with an intercept.
struct Ols {
    /// The coefficients, in column order.
    b: Vec<f64>,
    /// The inverse of the centred cross-product matrix.
    inv: Vec<Vec<f64>>,
    /// The residual sum of squares.
    rss: f64,
}

/// `y ~ x[cols]` by least squares (the coefficients in `cols` order); `None` when a column is a combination of the
/// others or is constant.
fn ols(g: &Gram, cols: &[usize]) -> Option<Ols> {
    if g.len() == 0 || cols.iter().any(|j| !g.varies(*j)) {
        return None;
    }
    // Centred normal equations: (X'X) b = X'y, with X'X inverted by Gauss–Jordan elimination.
    let xtx: Vec<Vec<f64>> = cols
        .iter()
        .map(|i| cols.iter().map(|j| g.centred(*i, *j)).collect())
        .collect();
    let xty: Vec<f64> = cols.iter().map(|i| g.centred(*i, Y)).collect();
    let inv = invert(xtx)?;
    let b: Vec<f64> = inv
        .iter()
        .map(|row| row.iter().zip(&xty).map(|(a, y)| a * y).sum())
        .collect();
    // The residual sum of squares of a least-squares fit: the spread of y less what the fit explains. Worked out
    // from sums it can come out a rounding error below 0 when the fit is exact.
    let explained: f64 = b.iter().zip(&xty).map(|(b, y)| b * y).sum();
    let rss = (g.centred(Y, Y) - explained).max(0.0);
    Some(Ols { b, inv, rss })
}

/// Inverts a small symmetric matrix by Gauss–Jordan elimination with partial pivoting; `None` when it is singular
/// (a covariate that is a combination of the others).
fn invert(mut a: Vec<Vec<f64>>) -> Option<Vec<Vec<f64>>> {
    let k = a.len();
    let scale = (0..k).map(|i| a[i][i].abs()).fold(0.0, f64::max).max(1.0);
    let mut inv: Vec<Vec<f64>> = (0..k)
        .map(|i| (0..k).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for col in 0..k {
        let pivot = (col..k).max_by(|x, y| a[*x][col].abs().total_cmp(&a[*y][col].abs()))?;
        if a[pivot][col].abs() <= 1e-9 * scale {
            return None;
        }
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let p = a[col][col];
        for j in 0..k {
            a[col][j] /= p;
            inv[col][j] /= p;
        }
        for row in 0..k {
            if row != col {
                let f = a[row][col];
                if f != 0.0 {
                    for j in 0..k {
                        a[row][j] -= f * a[col][j];
                        inv[row][j] -= f * inv[col][j];
                    }
                }
            }
        }
    }
    Some(inv)
}

/// Stouffer's combination of t statistics (CA-3): their sum over the square root of their number.
pub(super) fn stouffer(ts: &[f64]) -> Option<f64> {
    (!ts.is_empty()).then(|| ts.iter().sum::<f64>() / (ts.len() as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn gram(rows: &[Row]) -> Gram {
        let mut g = Gram::default();
        for r in rows {
            g.push(r);
        }
        g
    }

    /// A direct least-squares fit over the rows, the residuals summed one by one: what the sums must agree with.
    fn direct(rows: &[Row], cols: &[usize]) -> Option<(Vec<f64>, f64)> {
        let n = rows.len() as f64;
        let mean = |j: usize| rows.iter().map(|r| r[j]).sum::<f64>() / n;
        let (mx, my): (Vec<f64>, f64) = (cols.iter().map(|j| mean(*j)).collect(), mean(Y));
        let xtx: Vec<Vec<f64>> = cols
            .iter()
            .enumerate()
            .map(|(a, i)| {
                cols.iter()
                    .enumerate()
                    .map(|(b, j)| rows.iter().map(|r| (r[*i] - mx[a]) * (r[*j] - mx[b])).sum())
                    .collect()
            })
            .collect();
        let xty: Vec<f64> = cols
            .iter()
            .enumerate()
            .map(|(a, i)| rows.iter().map(|r| (r[*i] - mx[a]) * (r[Y] - my)).sum())
            .collect();
        let inv = invert(xtx)?;
        let b: Vec<f64> = inv
            .iter()
            .map(|row| row.iter().zip(&xty).map(|(a, y)| a * y).sum())
            .collect();
        let rss = rows
            .iter()
            .map(|r| {
                let fit: f64 = cols.iter().enumerate().map(|(a, j)| b[a] * (r[*j] - mx[a])).sum();
                (r[Y] - my - fit).powi(2)
            })
            .sum();
        Some((b, rss))
    }

    fn row(x: &[f64], y: f64) -> Row {
        let mut r = [0.0; WIDTH];
        r[..x.len()].copy_from_slice(x);
        r[Y] = y;
        r
    }

    #[test]
    fn a_known_line_is_fitted_exactly() {
        // y = 1 + 2a - b, no noise.
        let rows: Vec<Row> = (0..12)
            .map(|i| {
                let (a, b) = (f64::from(i % 4), f64::from(i % 3) * 0.5);
                row(&[a, b], 1.0 + 2.0 * a - b)
            })
            .collect();
        let fit = ols(&gram(&rows), &[0, 1]).unwrap();
        assert!((fit.b[0] - 2.0).abs() < 1e-9 && (fit.b[1] + 1.0).abs() < 1e-9);
        assert!(fit.rss < 1e-9);
    }

    #[test]
    fn a_volume_that_goes_with_less_pain_is_left_out_of_the_fit() {
        // The candidate (column 0) in half the sessions, the volume (column 1) higher in most of those; pain falls
        // with the volume among them. The volume is left out: the fit is the candidate alone.
        let rows = [
            row(&[1.2, 5.0], 4.0),
            row(&[1.2, 8.0], -1.0),
            row(&[0.0, 3.0], -1.0),
            row(&[1.2, 5.0], 1.0),
            row(&[1.2, 8.0], -1.0),
            row(&[0.0, 3.0], -2.0),
            row(&[0.0, 4.0], -1.0),
        ];
        let absent: Vec<Row> = rows.iter().copied().filter(|r| r[0] == 0.0).collect();
        let (all, none) = (gram(&rows), gram(&absent));
        assert!(ols(&all, &[0, 1]).unwrap().b[1] < 0.0);
        let fit = first_coefficient(&all, &none, 2, 1).unwrap();
        let alone = first_coefficient(&all.pick(&[0]), &none.pick(&[0]), 1, 1).unwrap();
        assert_eq!(fit, alone);
        // With pain rising with the volume instead, the volume stays in and changes the coefficient.
        let rising: Vec<Row> = rows.iter().map(|r| row(&r[..2], r[Y] + 2.0 * r[1])).collect();
        let absent: Vec<Row> = rising.iter().copied().filter(|r| r[0] == 0.0).collect();
        let (all, none) = (gram(&rising), gram(&absent));
        assert!(ols(&all, &[0, 1]).unwrap().b[1] > 0.0);
        let fit = first_coefficient(&all, &none, 2, 1).unwrap();
        let alone = first_coefficient(&all.pick(&[0]), &none.pick(&[0]), 1, 1).unwrap();
        assert!((fit.0 - alone.0).abs() > 0.1, "{fit:?} {alone:?}");
    }

    #[test]
    fn a_constant_column_does_not_vary_even_when_its_sums_round() {
        // 0.1 cannot be held exactly: its sums round, and the spread worked out from them is not exactly 0.
        let rows: Vec<Row> = (0..3000).map(|i| row(&[0.1, 2.4], f64::from(i % 5))).collect();
        let g = gram(&rows);
        assert!(!g.varies(0) && !g.varies(1));
        assert!(g.varies(Y));
        assert!(ols(&g, &[0]).is_none());
        // One row in three thousand differing by a tenth is variation.
        let mut rows = rows;
        rows[7][1] = 2.5;
        assert!(gram(&rows).varies(1));
    }

    #[test]
    fn lockstep_columns_are_singular() {
        let rows: Vec<Row> = (0..40)
            .map(|i| {
                let a = f64::from(i % 7) * 0.3;
                row(&[a, 2.0 * a, f64::from(i % 3)], f64::from(i % 5))
            })
            .collect();
        assert!(ols(&gram(&rows), &[0, 1]).is_none());
        assert!(ols(&gram(&rows), &[0, 2]).is_some());
    }

    #[test]
    fn picking_swapping_and_subtracting_sums_are_the_sums_of_those_rows() {
        let rows: Vec<Row> = (0..30)
            .map(|i| {
                row(
                    &[f64::from(i % 4), f64::from(i % 3), f64::from(i % 5)],
                    f64::from(i % 6),
                )
            })
            .collect();
        let (all, first) = (gram(&rows), gram(&rows[..11]));
        assert_eq!(all.minus(&first), gram(&rows[11..]));
        let picked: Vec<Row> = rows.iter().map(|r| row(&[r[2], r[0]], r[Y])).collect();
        assert_eq!(all.pick(&[2, 0]), gram(&picked));
        let swapped: Vec<Row> = rows.iter().map(|r| row(&[r[1], r[0], r[2]], r[Y])).collect();
        assert_eq!(all.swapped(0, 1), gram(&swapped));
    }

    proptest! {
        /// The fit from sums is the fit from the rows: the same coefficients and residual sum of squares.
        #[test]
        fn sums_fit_as_the_rows_do(
            data in proptest::collection::vec((0u8..6, 0u8..4, 0u8..9, 0u8..11), 6..80),
        ) {
            let rows: Vec<Row> = data
                .iter()
                .map(|(a, b, c, y)| row(&[f64::from(*a) * 0.7, f64::from(*b), f64::from(*c) * 1.3], f64::from(*y)))
                .collect();
            let g = gram(&rows);
            for cols in [&[0usize][..], &[0, 1], &[0, 1, 2], &[2, 0]] {
                let sums = ols(&g, cols);
                let rows_fit = if cols.iter().all(|j| g.varies(*j)) { direct(&rows, cols) } else { None };
                match (sums, rows_fit) {
                    (Some(s), Some((b, rss))) => {
                        for (x, y) in s.b.iter().zip(&b) {
                            prop_assert!((x - y).abs() < 1e-6 * (1.0 + y.abs()), "{:?} {:?}", s.b, b);
                        }
                        prop_assert!((s.rss - rss).abs() < 1e-6 * (1.0 + rss));
                    }
                    (None, None) => {}
                    (s, r) => prop_assert!(false, "sums {:?} rows {:?}", s.map(|s| s.b), r),
                }
            }
        }
    }
}
