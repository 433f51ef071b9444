/**
 * The guard rails every message passes, in order, decided for a whole batch in memory:
 * recipient → consent → address → frequency caps → quiet hours → content (template render,
 * advertising-law check). Channel quotas come next and need the shared counters, so the
 * service applies them to what this returns as `accept` (see quota.ts). Pure.
 */
import type { AdLawFinding, AdLawResult } from '../compliance/index.ts';
import type { Channel, Purpose, Reason } from './message-types.ts';
import type { Caps, MessagingSettings } from './settings.schemas.ts';
import { quietHoursRelease } from './time-windows.ts';
import { customerVariables, renderTemplate, type ParsedTemplate, type RecipientFields, type Variables } from './template.ts';

export interface Recipient extends RecipientFields {
  /** The customer the message goes to (the survivor when the asked-for id was merged). */
  id: number;
  mobile: string | null;
  consentStatus: string;
}

/** Latest consent decisions of a customer by `${purpose}:${channel}` ('all' for every channel). */
export type ConsentDecisions = ReadonlyMap<string, 'granted' | 'denied'>;

/** Counted messages of a customer in the current local day, week and month, by channel. */
export interface CapCounts {
  all: { day: number; week: number; month: number };
  channels: Map<string, { day: number; week: number; month: number }>;
}

/** The content to render: a template version or inline content, or why there is none. */
export type ContentSource =
  | { ok: true; title: ParsedTemplate | null; body: ParsedTemplate }
  | { ok: true; none: true }
  | { ok: false; detail: Record<string, unknown> };

export interface Candidate {
  channel: Channel;
  purpose: Purpose;
  recipient: Recipient | null;
  consents: ConsentDecisions;
  content: ContentSource;
  variables: Variables;
}

export type Decision =
  | { kind: 'suppress'; reason: Reason; detail: Record<string, unknown> | null }
  | { kind: 'hold'; reason: 'quiet_hours'; releaseAt: Date }
  | { kind: 'accept'; title: string | null; body: string | null; warnings: AdLawFinding[] | null };

export interface DecideContext {
  now: Date;
  timeZone: string;
  settings: MessagingSettings;
  capCounts: ReadonlyMap<number, CapCounts>;
  checkAdLaw(text: string): AdLawResult;
}

const emptyCounts = (): CapCounts => ({ all: { day: 0, week: 0, month: 0 }, channels: new Map() });

function isOptedOut(c: Candidate): boolean {
  const r = c.recipient!;
  const latest = (channel: string) => c.consents.get(`${c.purpose}:${channel}`);
  if (c.purpose === 'marketing' && r.consentStatus === 'denied') return true;
  // An opt-out for the channel or for all channels wins over a grant elsewhere.
  return latest(c.channel) === 'denied' || latest('all') === 'denied';
}

function capReason(counts: CapCounts, channel: Channel, settings: MessagingSettings): { reason: Reason; detail: Record<string, unknown> } | null {
  const check = (caps: Caps | undefined, used: { day: number; week: number; month: number }, scope: string) => {
    if (!caps) return null;
    if (caps.daily !== null && used.day >= caps.daily) return { reason: 'capped_daily' as const, detail: { scope, limit: caps.daily, used: used.day } };
    if (caps.weekly !== null && used.week >= caps.weekly) return { reason: 'capped_weekly' as const, detail: { scope, limit: caps.weekly, used: used.week } };
    if (caps.monthly !== null && used.month >= caps.monthly) return { reason: 'capped_monthly' as const, detail: { scope, limit: caps.monthly, used: used.month } };
    return null;
  };
  return check(settings.caps.all, counts.all, 'all') ?? check(settings.caps.channels[channel], counts.channels.get(channel) ?? { day: 0, week: 0, month: 0 }, channel);
}

function renderContent(c: Candidate, ctx: DecideContext): Decision {
  if (!c.content.ok) return { kind: 'suppress', reason: 'template_error', detail: c.content.detail };
  if ('none' in c.content) return { kind: 'accept', title: null, body: null, warnings: null };
  const vars = { ...customerVariables(c.recipient!), ...c.variables };
  const body = renderTemplate(c.content.body, vars);
  const title = c.content.title ? renderTemplate(c.content.title, vars) : null;
  const missing = [...(body.ok ? [] : body.missing), ...(title && !title.ok ? title.missing : [])];
  if (missing.length || !body.ok || (title && !title.ok)) return { kind: 'suppress', reason: 'template_error', detail: { error: 'missing_variable', variables: [...new Set(missing)] } };
  const text = title?.ok ? `${title.text}\n${body.text}` : body.text;
  const check = ctx.checkAdLaw(text);
  if (check.verdict === 'block') {
    const words = [...new Set(check.findings.filter((f) => f.tier === 'block').map((f) => f.term))];
    return { kind: 'suppress', reason: 'adlaw_blocked', detail: { words, findings: check.findings } };
  }
  return { kind: 'accept', title: title?.ok ? title.text : null, body: body.text, warnings: check.findings.length ? check.findings : null };
}

/**
 * Decides each candidate in order. A customer's accepted messages count against their caps
 * for the next ones in the same batch, so a batch can never overshoot a cap.
 */
export function decideBatch(candidates: readonly Candidate[], ctx: DecideContext): Decision[] {
  const counts = new Map<number, CapCounts>();
  const countsOf = (id: number) => {
    let c = counts.get(id);
    if (!c) {
      const stored = ctx.capCounts.get(id);
      c = stored ? { all: { ...stored.all }, channels: new Map([...stored.channels].map(([k, v]) => [k, { ...v }])) } : emptyCounts();
      counts.set(id, c);
    }
    return c;
  };
  const quietRelease = quietHoursRelease(ctx.now, ctx.settings.quietHours, ctx.timeZone);
  return candidates.map((c): Decision => {
    if (!c.recipient) return { kind: 'suppress', reason: 'unknown_customer', detail: null };
    if (isOptedOut(c)) return { kind: 'suppress', reason: 'opted_out', detail: { purpose: c.purpose, channel: c.channel } };
    if (c.channel === 'sms' && !c.recipient.mobile) return { kind: 'suppress', reason: 'no_address', detail: { channel: 'sms', missing: 'mobile' } };
    const marketing = c.purpose === 'marketing';
    if (marketing) {
      const capped = capReason(countsOf(c.recipient.id), c.channel, ctx.settings);
      if (capped) return { kind: 'suppress', ...capped };
      if (quietRelease) return { kind: 'hold', reason: 'quiet_hours', releaseAt: quietRelease };
    }
    const decision = renderContent(c, ctx);
    if (decision.kind === 'accept' && marketing) {
      const mine = countsOf(c.recipient.id);
      mine.all.day++;
      mine.all.week++;
      mine.all.month++;
      const ch = mine.channels.get(c.channel) ?? { day: 0, week: 0, month: 0 };
      ch.day++;
      ch.week++;
      ch.month++;
      mine.channels.set(c.channel, ch);
    }
    return decision;
  });
}
