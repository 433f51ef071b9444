/**
 * The guard rails that apply to a post to a group, in order: quiet hours (held until the
 * window ends, then checked again), content (the template or inline text rendered with the
 * post's variables) and the advertising-law check. Consent and per-customer frequency caps
 * are about customers and do not apply to a group. Pure.
 */
import type { AdLawFinding, AdLawResult } from '../compliance/index.ts';
import type { ContentSource } from './guard-rails.ts';
import type { QuietHours } from './time-windows.ts';
import { quietHoursRelease } from './time-windows.ts';
import { renderTemplate, type Variables } from './template.ts';

export type GroupDecision =
  | { kind: 'suppress'; reason: 'template_error' | 'adlaw_blocked'; detail: Record<string, unknown> }
  | { kind: 'hold'; reason: 'quiet_hours'; releaseAt: Date }
  | { kind: 'accept'; title: string | null; body: string; warnings: AdLawFinding[] | null };

export interface GroupDecideContext {
  now: Date;
  timeZone: string;
  quietHours: QuietHours;
  checkAdLaw(text: string): AdLawResult;
}

export function decideGroupPost(content: ContentSource, variables: Variables, ctx: GroupDecideContext): GroupDecision {
  const release = quietHoursRelease(ctx.now, ctx.quietHours, ctx.timeZone);
  if (release) return { kind: 'hold', reason: 'quiet_hours', releaseAt: release };
  if (!content.ok) return { kind: 'suppress', reason: 'template_error', detail: content.detail };
  if ('none' in content) return { kind: 'suppress', reason: 'template_error', detail: { error: 'no_content' } };
  const body = renderTemplate(content.body, variables);
  const title = content.title ? renderTemplate(content.title, variables) : null;
  const missing = [...(body.ok ? [] : body.missing), ...(title && !title.ok ? title.missing : [])];
  if (!body.ok || (title && !title.ok)) return { kind: 'suppress', reason: 'template_error', detail: { error: 'missing_variable', variables: [...new Set(missing)] } };
  const text = title?.ok ? `${title.text}\n${body.text}` : body.text;
  const check = ctx.checkAdLaw(text);
  if (check.verdict === 'block') {
    const words = [...new Set(check.findings.filter((f) => f.tier === 'block').map((f) => f.term))];
    return { kind: 'suppress', reason: 'adlaw_blocked', detail: { words, findings: check.findings } };
  }
  return { kind: 'accept', title: title?.ok ? title.text : null, body: body.text, warnings: check.findings.length ? check.findings : null };
}
