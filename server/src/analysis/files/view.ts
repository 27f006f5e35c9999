// The read-only view of the workspace's files that the layers below the engine are given: texts,
// parsed Python documents, the folder scans, and whether a path exists or lies inside the analysed
// roots. The engine's Workspace implements it (with the open editor buffers laid over the disk);
// readers, models, rules and fixes see only this, never the workspace itself.
import type { PythonDocument } from '../parse/pythonDocument';
import type { FileSystem } from './fs';
import type { ScanResult } from './scan';

export interface FileView {
  readonly fs: FileSystem;
  /** The analysed folders. */
  readonly folders: readonly string[];
  /** The text of any file (the open buffer, else the file on disk); undefined when it cannot be read. */
  text(file: string): string | undefined;
  /** The parsed document of a Python file, from the parse cache; undefined when it cannot be read. */
  document(file: string): PythonDocument | undefined;
  /** Whether a file is inside the analysed roots, its symlinks resolved: nothing outside them is read. */
  contains(file: string): boolean;
  /** Whether a file exists. */
  fileExists(file: string): boolean;
  /** The scan of the analysed folder that covers a file. */
  scanFor(file: string): ScanResult | undefined;
}
