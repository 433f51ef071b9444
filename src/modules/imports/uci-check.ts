/**
 * Validation on real data: the UCI Online Retail set in ../shared/data beside the project
 * checkout (never copied into the repository). An independent computation straight from
 * the CSV rows (no mapping, no engine) of what an import must store: invoices with a
 * CustomerID, their line amounts in pence (quantity × price, rounded once per line), and
 * which are cancellations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { projectRoot } from '../../platform/config.ts';

export const UCI_DIR = path.resolve(projectRoot, '..', 'shared', 'data', 'online-retail', 'by-day');

export function uciSkipReason(): string | false {
  return fs.existsSync(UCI_DIR) ? false : `UCI Online Retail data not found at ${UCI_DIR} (it lives in ../shared/data beside the checkout): skipped`;
}

export function uciFiles(days?: number): string[] {
  const names = fs.readdirSync(UCI_DIR).filter((f) => f.endsWith('.csv')).sort();
  return (days ? names.slice(0, days) : names).map((f) => path.join(UCI_DIR, f));
}

export interface UciExpectation {
  rows: number;
  rowsWithoutCustomer: number;
  invoices: Map<string, { lines: number; pence: number; customer: string }>;
}

/** Pence of quantity × price, exactly, rounded half away from zero (the one sub-penny price is £0.001). */
function linePence(quantity: number, price: string): number {
  const [whole, frac = ''] = price.split('.');
  const milli = Number(whole) * 1000 + Number(frac.padEnd(3, '0').slice(0, 3));
  const tenths = Math.abs(quantity) * milli; // in 1/1000 pound = 1/10 penny
  return Math.floor((tenths + 5) / 10);
}

export function expectUci(files: readonly string[]): UciExpectation {
  const out: UciExpectation = { rows: 0, rowsWithoutCustomer: 0, invoices: new Map() };
  for (const file of files) {
    const rows = parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const r of rows) {
      out.rows++;
      if (!r.CustomerID) {
        out.rowsWithoutCustomer++;
        continue;
      }
      const inv = out.invoices.get(r.InvoiceNo!) ?? { lines: 0, pence: 0, customer: String(Math.trunc(Number(r.CustomerID))) };
      inv.lines++;
      inv.pence += linePence(Number(r.Quantity), r.UnitPrice!);
      out.invoices.set(r.InvoiceNo!, inv);
    }
  }
  return out;
}
