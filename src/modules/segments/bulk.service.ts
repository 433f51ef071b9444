/** Actions on every member of a segment: tag them all, export them as CSV, rebuild membership. */
import { Readable } from 'node:stream';
import { invalid } from '../../platform/errors.ts';
import type { WorkspaceContext } from '../../platform/http/context.ts';
import { recordAudit } from '../audit/index.ts';
import type { MembershipService } from './membership.service.ts';
import * as repo from './segments.repository.ts';
import type { SegmentsService } from './segments.service.ts';
import { toSummary } from './segments.service.ts';
import type { SegmentsDeps } from './segments.deps.ts';

const PAGE = 10_000;
const CSV_PAGE = 1000;

/** A CSV cell: quoted when needed; a leading = + - @ is defused so spreadsheets show it as text. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADER = ['customer_id', 'name', 'nickname', 'mobile', 'gender', 'city', 'consent', 'source_channel', 'joined_at', 'paid_order_count', 'paid_amount_fen', 'entered_at'];

export function createBulkService(deps: SegmentsDeps, segments: SegmentsService, membership: MembershipService) {
  const { db } = deps;

  /** Gives `tagId` to every current member (through the tags module, which records each change). */
  async function tagMembers(ctx: WorkspaceContext, segmentId: string, tagId: string) {
    const seg = await segments.load(ctx, segmentId);
    if (!deps.tagCustomers) throw invalid('segment.tags_unavailable', 'Tagging is not available', [{ field: 'tagId', reason: 'unavailable' }]);
    const total = { requested: 0, changed: 0, unchanged: 0, skipped: 0 };
    for (let after = 0; ; ) {
      const ids = await repo.memberIds(db, ctx.workspaceId, segmentId, after, PAGE);
      if (!ids.length) break;
      const r = await deps.tagCustomers(ctx, tagId, ids);
      total.requested += r.requested;
      total.changed += r.changed;
      total.unchanged += r.unchanged;
      total.skipped += r.skipped;
      after = ids.at(-1)!;
    }
    await db.transaction().execute((trx) =>
      recordAudit(trx, ctx, { action: 'segment.tag_members', targetType: 'segment', targetId: segmentId, details: { name: seg.name, tagId, ...total } }),
    );
    return total;
  }

  /** Members as CSV (UTF-8 with BOM for Excel), streamed page by page; the export is audited. */
  async function exportMembers(ctx: WorkspaceContext, segmentId: string): Promise<{ name: string; stream: Readable }> {
    const seg = await segments.load(ctx, segmentId);
    await db.transaction().execute((trx) =>
      recordAudit(trx, ctx, { action: 'segment.export', targetType: 'segment', targetId: segmentId, details: { name: seg.name, memberCount: seg.member_count } }),
    );
    async function* lines() {
      yield `\ufeff${HEADER.join(',')}\r\n`;
      let cursor: number | undefined;
      for (;;) {
        const rows = await repo.pageMembers(db, ctx.workspaceId, segmentId, cursor, CSV_PAGE);
        if (!rows.length) return;
        let out = '';
        for (const r of rows) {
          const s = toSummary(ctx, r);
          out += [s.id, s.name, s.nickname, s.mobile, s.gender, s.city, s.consentStatus, s.sourceChannel, s.joinedAt, s.paidOrderCount, s.paidAmountFen, r.entered_at].map(csvCell).join(',') + '\r\n';
        }
        yield out;
        cursor = Number(rows.at(-1)!.id);
      }
    }
    return { name: seg.name, stream: Readable.from(lines()) };
  }

  /** Recomputes membership from scratch (audited); returns what differed from the live membership. */
  async function rebuild(ctx: WorkspaceContext, options: { segmentId?: string | undefined; dryRun: boolean }) {
    if (options.segmentId) await segments.load(ctx, options.segmentId);
    const result = await membership.rebuild(ctx.workspaceId, options);
    await db.transaction().execute((trx) =>
      recordAudit(trx, ctx, { action: 'segment.rebuild', targetType: 'segment', targetId: options.segmentId ?? '*', details: { ...result, dryRun: options.dryRun } }),
    );
    return result;
  }

  return { tagMembers, exportMembers, rebuild };
}

export type BulkService = ReturnType<typeof createBulkService>;
