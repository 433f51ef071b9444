/** Audit log: who changed what, when, in which workspace. */
export { recordAudit, recordAuditMany, listAudit, type AuditEntry } from './audit.service.ts';
export { registerAuditRoutes } from './audit.routes.ts';
export { AuditEntrySchema } from './audit.schemas.ts';
