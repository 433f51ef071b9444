/** The imports API as the console calls it; uploads send the CSV itself as the request body. */
import { api, ApiError, NetworkError, readCookie } from '../../app/api/client.ts';
import type { Encoding, ImportKind, ImportPage, ImportView, MappingChoice, Preset, Preview } from './types.ts';

interface UploadTarget {
  workspaceId: string;
  kind: ImportKind;
  fileName: string;
  /** Adds the file to this import (not started yet) instead of creating one. */
  importId?: string;
}

function sessionHeaders(workspaceId: string): Record<string, string> {
  const headers: Record<string, string> = { 'x-siyu-workspace': workspaceId };
  const csrf = readCookie('siyu_csrf');
  if (csrf) headers['x-csrf-token'] = csrf;
  return headers;
}

function apiErrorOf(status: number, text: string): ApiError {
  let error: { code?: unknown; message?: unknown; details?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  return new ApiError(status, typeof error?.code === 'string' ? error.code : `http_${status}`, typeof error?.message === 'string' ? error.message : '', error?.details);
}

/** POSTs the file as a raw text/csv body (what the API expects), reporting upload progress. */
export function uploadCsv(file: Blob, target: UploadTarget, onProgress?: (percent: number) => void): Promise<ImportView> {
  const query = new URLSearchParams({ fileName: target.fileName, kind: target.kind, ...(target.importId ? { importId: target.importId } : {}) });
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/imports?${query.toString()}`);
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [k, v] of Object.entries(sessionHeaders(target.workspaceId))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.round((100 * e.loaded) / e.total));
    };
    xhr.onload = () => {
      if (xhr.status === 201) resolve(JSON.parse(xhr.responseText) as ImportView);
      else reject(apiErrorOf(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.send(file);
  });
}

/** Fetches the error report and hands it to the browser as a download. */
export async function downloadErrorReport(workspaceId: string, importId: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/imports/${importId}/errors.csv`, { headers: sessionHeaders(workspaceId), credentials: 'same-origin' });
  } catch (err) {
    throw new NetworkError(err);
  }
  if (!response.ok) throw apiErrorOf(response.status, await response.text());
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `import-${importId}-errors.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const importsApi = {
  presets: (signal?: AbortSignal) => api.get<{ items: Preset[] }>('/imports/presets', undefined, signal),
  list: (cursor: string | null, limit: number, signal?: AbortSignal) => api.get<ImportPage>('/imports', { cursor: cursor ?? undefined, limit }, signal),
  get: (id: string, signal?: AbortSignal) => api.get<ImportView>(`/imports/${id}`, undefined, signal),
  preview: (id: string, choice: MappingChoice, encoding: Encoding, limit = 20) => api.post<Preview>(`/imports/${id}/preview`, { ...choice, encoding, limit }),
  start: (id: string, choice: MappingChoice, encoding: Encoding, skipBadRows: boolean, force: boolean) =>
    api.post<ImportView>(`/imports/${id}/start`, { ...choice, encoding, skipBadRows, force }),
};

/** Statuses after which an import changes no more (until started again). */
export const FINISHED: ReadonlySet<string> = new Set(['completed', 'rejected', 'failed', 'duplicate']);
