// Summaries of repeated measurements: medians and ranges, never means (one noisy run must not move the figure).

/** @param {number[]} xs */
export function summarize(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  return { median: quantile(s, 0.5), min: s[0], max: s[s.length - 1], n: s.length };
}

/** Linear interpolation between closest ranks; `sorted` ascending. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** ours / theirs on medians; null when either side is missing. */
export function ratio(ours, theirs) {
  if (!ours || !theirs || theirs.median === 0) return null;
  return ours.median / theirs.median;
}

/** Formats a number with a precision suited to its size (3 significant digits, no exponent). */
export function fmt(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1000) return String(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(2);
}

export function fmtSummary(s) {
  if (!s) return '—';
  if (s.n === 1 || s.min === s.max) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}
