/** File hunting engine: YARA, structure anomalies and artifacts over FileRecords. */
export { createFileScanner, DEFAULT_MAX_SCAN_BYTES } from './scanner.js';
export { hashedFileFinding } from './findings.js';
export type { FileScanner, FileScannerOptions, FileInspection, ScanContext } from './scanner.js';
export type { FileHashes } from './content.js';
