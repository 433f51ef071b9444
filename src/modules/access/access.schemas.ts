import { z } from 'zod';
import { API_KEY_SCOPES, ROLES } from './permissions.ts';

export const RoleSchema = z.enum(ROLES as ['owner', 'admin', 'operator', 'analyst', 'viewer']);
export const LocaleSchema = z.enum(['zh-CN', 'en']);
const Email = z.string().trim().min(3).max(254).email();

export const LoginBodySchema = z.strictObject({
  email: Email,
  password: z.string().min(1).max(200),
});

export const MeSchema = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), locale: z.string(), isInstanceAdmin: z.boolean() }),
  workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: z.string(), timeZone: z.string(), isDemo: z.boolean() })),
  currentWorkspaceId: z.string().nullable(),
  permissions: z.array(z.string()),
  csrfToken: z.string(),
});

export const UpdateMeBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  locale: LocaleSchema.optional(),
});

export const ChangePasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(10).max(200),
});

export const SwitchWorkspaceBodySchema = z.strictObject({ workspaceId: z.uuid() });

export const WorkspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  isDemo: z.boolean(),
  createdAt: z.date(),
});

export const CreateWorkspaceBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  timeZone: z.string().max(64).optional(),
  locale: LocaleSchema.optional(),
});

export const UpdateWorkspaceBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    timeZone: z.string().max(64).optional(),
    locale: LocaleSchema.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change' });

export const MemberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  joinedAt: z.date(),
  lastLoginAt: z.date().nullable(),
});

export const AddMemberBodySchema = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(100).optional(),
  role: RoleSchema,
});

export const AddMemberReplySchema = z.object({
  userId: z.string(),
  email: z.string(),
  role: z.string(),
  generatedPassword: z.string().nullable().describe('Set only when a new user was created; shown once'),
});

export const ChangeRoleBodySchema = z.strictObject({ role: RoleSchema });
export const UserIdParamsSchema = z.strictObject({ userId: z.uuid() });
export const IdParamsSchema = z.strictObject({ id: z.uuid() });

export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const CreateApiKeyBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
  expiresAt: z.coerce.date().optional(),
});

export const CreateApiKeyReplySchema = z.object({
  apiKey: ApiKeySchema,
  token: z.string().describe('The secret key; shown once, store it now'),
});

export const RolesReplySchema = z.object({
  roles: z.array(z.object({ role: z.string(), permissions: z.array(z.string()) })),
  apiKeyScopes: z.array(z.string()),
});

export const OkSchema = z.object({ ok: z.literal(true) });
