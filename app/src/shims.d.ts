declare module 'pouchdb-browser' {
  const PouchDB: any;
  export default PouchDB;
}

declare module '*/shared/numbering.js' {
  export const DEFAULT_TIME_ZONE: string;
  export function creditNoteSeries(series: string): string;
  export function issueInvoice(local: any, invoice: Record<string, any>,
    options: {series: string; timeZone?: string}): Promise<Record<string, any> & {_id: string}>;
  export function issueCreditNote(local: any, note: Record<string, any>,
    options: {series: string; timeZone?: string}): Promise<Record<string, any> & {_id: string}>;
}

// Vite's import.meta.glob, as the literal check (i18n/literals.test.ts) reads the sources with it
interface ImportMeta {
  glob(patterns: string | string[], options: {query: string; import: string; eager: true}): Record<string, string>;
}
