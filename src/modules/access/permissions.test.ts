import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { API_KEY_SCOPES, checkRoleChange, permissionsForRole, ROLES } from './permissions.ts';

describe('role permissions', () => {
  it('gives owners and admins every permission', () => {
    assert.ok(permissionsForRole('owner').has('members.manage'));
    assert.ok(permissionsForRole('admin').has('api_keys.manage'));
  });

  it('lets operators work with customers but not manage members, keys or read the audit log', () => {
    const p = permissionsForRole('operator');
    assert.ok(p.has('customers.write'));
    assert.ok(p.has('journeys.write'));
    assert.ok(!p.has('members.manage'));
    assert.ok(!p.has('api_keys.manage'));
    assert.ok(!p.has('audit.read'));
    assert.ok(!p.has('customers.pii'));
  });

  it('keeps viewers read-only', () => {
    for (const perm of permissionsForRole('viewer')) {
      assert.match(perm, /\.read$/, `viewer holds ${perm}`);
    }
  });

  it('lets analysts export and build segments but not change customers', () => {
    const p = permissionsForRole('analyst');
    assert.ok(p.has('data.export'));
    assert.ok(p.has('segments.write'));
    assert.ok(!p.has('customers.write'));
  });

  it('never lets an API key scope manage people, keys or the workspace', () => {
    for (const scope of ['members.manage', 'api_keys.manage', 'workspace.manage', 'audit.read']) {
      assert.ok(!(API_KEY_SCOPES as readonly string[]).includes(scope), scope);
    }
  });

  it('has a strictly narrowing order of roles', () => {
    const sizes = ROLES.map((r) => permissionsForRole(r).size);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a));
  });
});

describe('role changes', () => {
  it('lets an admin add an operator', () => {
    assert.deepEqual(checkRoleChange({ actorRole: 'admin', currentRole: null, to: 'operator', ownerCount: 1 }), { ok: true });
  });

  it('stops an admin from granting the owner role', () => {
    const r = checkRoleChange({ actorRole: 'admin', currentRole: 'operator', to: 'owner', ownerCount: 1 });
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, 'members.owner_required');
  });

  it('stops an admin from removing an owner', () => {
    const r = checkRoleChange({ actorRole: 'admin', currentRole: 'owner', to: null, ownerCount: 3 });
    assert.equal(!r.ok && r.code, 'members.owner_required');
  });

  it('keeps the last owner', () => {
    const demote = checkRoleChange({ actorRole: 'owner', currentRole: 'owner', to: 'admin', ownerCount: 1 });
    assert.equal(!demote.ok && demote.code, 'members.last_owner');
    const remove = checkRoleChange({ actorRole: 'owner', currentRole: 'owner', to: null, ownerCount: 1 });
    assert.equal(!remove.ok && remove.code, 'members.last_owner');
  });

  it('lets an owner demote another owner when one remains', () => {
    assert.deepEqual(checkRoleChange({ actorRole: 'owner', currentRole: 'owner', to: 'admin', ownerCount: 2 }), { ok: true });
  });

  it('refuses operators, analysts and viewers', () => {
    for (const actorRole of ['operator', 'analyst', 'viewer'] as const) {
      const r = checkRoleChange({ actorRole, currentRole: null, to: 'viewer', ownerCount: 1 });
      assert.equal(!r.ok && r.code, 'members.forbidden');
    }
  });
});
