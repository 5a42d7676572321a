declare module 'pouchdb-browser' {
  const PouchDB: any;
  export default PouchDB;
}

declare module '*/numbering.js' {
  export const DEFAULT_TIME_ZONE: string;
  export function nextInvoiceNumber(series: string, issuedAt: string, lastCounters: Record<string, number>,
    timeZone?: string): {number: string; fy: string; counter: number};
  export function financialYear(issuedAt: string, timeZone?: string): string;
}
