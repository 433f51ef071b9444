/**
 * The confidence figure of A/B results: a two-sided two-proportion z-test of each variant's
 * goal conversion against the control (the first variant), with the pooled standard error.
 * `pValue` is the chance of a difference at least this large if the variants converted
 * equally; `confidence` = 1 − pValue. Pure.
 */

/** Standard normal cumulative distribution (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface Proportion {
  entered: number;
  converted: number;
}

export interface Comparison {
  z: number;
  pValue: number;
  confidence: number;
  /** Relative lift of the variant's rate over the control's (null when the control's rate is 0). */
  lift: number | null;
}

/** Compares a variant with the control; null when either has no entries or the pooled rate is 0 or 1. */
export function compareProportions(control: Proportion, variant: Proportion): Comparison | null {
  if (control.entered === 0 || variant.entered === 0) return null;
  const p1 = control.converted / control.entered;
  const p2 = variant.converted / variant.entered;
  const pooled = (control.converted + variant.converted) / (control.entered + variant.entered);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / control.entered + 1 / variant.entered));
  if (se === 0) return null;
  const z = (p2 - p1) / se;
  const pValue = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { z, pValue, confidence: 1 - pValue, lift: p1 === 0 ? null : (p2 - p1) / p1 };
}
