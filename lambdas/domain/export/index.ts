export * from './document-json';
export * from './table-csv';
