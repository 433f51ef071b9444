import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { definitionIssues, type ValidationContext } from './journey-validation.ts';
import { JourneyDefinitionSchema, type JourneyDefinitionInput } from './journeys.schemas.ts';

const ctx: ValidationContext = {
  channels: new Set(['outbox', 'sms', 'group', 'webhook']),
  templates: new Map([['5b1f2c3d-0000-4000-8000-00000000a001', { channel: 'sms' }]]),
  groupChannel: 'group',
};

const problems = (input: JourneyDefinitionInput) => definitionIssues(JourneyDefinitionSchema.parse(input), ctx).map((d) => d.message);
const event = { type: 'event' as const, eventType: 'wecom.friend_added' };

describe('journey validation', () => {
  it('accepts a well-formed journey', () => {
    assert.deepEqual(
      problems({
        trigger: event,
        steps: [
          { id: 'hello', type: 'send', channel: 'outbox', content: { text: '你好 {{nickname}}' }, next: 'w' },
          { id: 'w', type: 'wait', duration: { days: 1 }, next: 'ab' },
          { id: 'ab', type: 'split', variants: [{ key: 'A', weight: 50, next: 'sms' }, { key: 'B', weight: 50, next: null }] },
          { id: 'sms', type: 'send', channel: 'sms', templateId: '5b1f2c3d-0000-4000-8000-00000000a001', next: 'loop' },
          { id: 'loop', type: 'wait_until', time: '10:00', next: 'hello' },
        ],
      }),
      [],
    );
  });
  it('names an unknown next step', () => {
    assert.deepEqual(
      problems({ trigger: event, steps: [{ id: 's1', type: 'wait', duration: { hours: 1 }, next: 's2' }, { id: 's2', type: 'wait', duration: { hours: 1 }, next: 's9' }] }),
      ['steps[1].next: unknown step "s9"'],
    );
  });
  it('names unreachable steps, duplicate ids and a bad start', () => {
    const out = problems({
      trigger: event,
      start: 'nope',
      steps: [
        { id: 'a', type: 'wait', duration: { hours: 1 } },
        { id: 'b', type: 'wait', duration: { hours: 1 } },
        { id: 'a', type: 'wait', duration: { hours: 2 } },
      ],
    });
    assert.ok(out.includes('steps[2].id: duplicate step id "a"'), out.join('\n'));
    assert.ok(out.includes('start: unknown step "nope"'), out.join('\n'));
    const unreachable = problems({ trigger: event, steps: [{ id: 'a', type: 'wait', duration: { hours: 1 } }, { id: 'b', type: 'wait', duration: { hours: 1 } }] });
    assert.deepEqual(unreachable, ['steps[1]: step "b" is unreachable from the start']);
  });
  it('refuses a cycle without a wait, and allows one through a wait', () => {
    const out = problems({
      trigger: event,
      steps: [
        { id: 'a', type: 'send', channel: 'outbox', content: { text: 'x' }, next: 'b' },
        { id: 'b', type: 'branch', condition: { type: 'consent', op: 'eq', value: 'granted' }, then: 'a', else: null },
      ],
    });
    assert.deepEqual(out, ['steps[1].then: cycle without a wait: a → b → a']);
  });
  it('checks split weights, channels and templates', () => {
    const out = problems({
      trigger: event,
      steps: [
        { id: 'ab', type: 'split', variants: [{ key: 'A', weight: 60, next: 's' }, { key: 'A', weight: 30, next: 't' }] },
        { id: 's', type: 'send', channel: 'fax', content: { text: 'x' } },
        { id: 't', type: 'send', channel: 'outbox', templateId: '5b1f2c3d-0000-4000-8000-00000000a002' },
      ],
    });
    assert.deepEqual(out, [
      'steps[0].variants: weights sum to 90, not 100',
      'steps[0].variants[1].key: duplicate variant "A"',
      'steps[1].channel: unknown channel "fax"',
      'steps[2].templateId: unknown template "5b1f2c3d-0000-4000-8000-00000000a002"',
    ]);
    const wrongChannel = problems({ trigger: event, steps: [{ id: 't', type: 'send', channel: 'outbox', templateId: '5b1f2c3d-0000-4000-8000-00000000a001' }] });
    assert.deepEqual(wrongChannel, ['steps[0].templateId: template "5b1f2c3d-0000-4000-8000-00000000a001" is for channel "sms", not "outbox"']);
  });
  it('keeps group SOPs to steps that address groups', () => {
    const out = problems({
      trigger: { type: 'schedule', cron: '0 8 * * *', audience: { type: 'groups', groupIds: ['g1'] } },
      steps: [
        { id: 'post', type: 'send', channel: 'group', content: { text: '早安' }, next: 'tag' },
        { id: 'tag', type: 'tag', action: 'add', tagIds: ['0190f3f0-0000-7000-8000-000000000001'], next: 'dm' },
        { id: 'dm', type: 'send', channel: 'outbox', content: { text: 'x' } },
      ],
      goal: { withinDays: 7 },
    });
    assert.deepEqual(out, [
      'steps[1]: a group SOP addresses groups, not customers: tag steps need customers',
      'steps[2].channel: a group SOP posts to groups: use channel "group"',
      'goal: goals are about customers; a group SOP has none',
    ]);
    const misuse = problems({ trigger: event, steps: [{ id: 'p', type: 'send', channel: 'group', content: { text: 'x' } }] });
    assert.deepEqual(misuse, ['steps[0].channel: channel "group" posts to groups: use it in a journey whose audience is groups']);
  });
  it('checks the cron and exit rules', () => {
    const out = problems({
      trigger: { type: 'schedule', cron: '0 24 * * *', audience: { type: 'segment', segmentId: '0190f3f0-0000-7000-8000-000000000002' } },
      steps: [{ id: 'w', type: 'wait', duration: { hours: 1 } }],
      exits: [{ type: 'left_segment' }],
    });
    assert.deepEqual(out, ['trigger.cron: hour: "24" is outside 0-23', 'exits[0].segmentId: name the segment: the trigger is not a segment']);
    const schedule = (cron: string) => problems({ trigger: { type: 'schedule', cron, audience: { type: 'segment', segmentId: '0190f3f0-0000-7000-8000-000000000002' } }, steps: [{ id: 'a', type: 'wait', duration: { days: 1 } }] });
    assert.deepEqual(schedule('0 9 30 2 *'), ['trigger.cron: the schedule never fires (no such day in those months)']);
    assert.deepEqual(schedule('0 9 31 4,6,9,11 *'), ['trigger.cron: the schedule never fires (no such day in those months)']);
    assert.deepEqual(schedule('0 9 29 2 *'), [], '29 February comes every four years');
    assert.deepEqual(schedule('0 9 30 2 1'), [], 'a weekday restriction makes it fire on Mondays of February');
  });
});
