// Documents: the open buffers (didOpen, didChange, didClose), kept as PythonDocuments edited in
// place for Python files (statement-level incremental re-parse), files changed on disk (the
// watcher's notifications), and the projects a stopped worker left quarantined until one of their
// files is edited. Each change invalidates what the workspace kept of the file and schedules a pass.
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidOpenTextDocumentParams } from 'vscode-languageserver';
import { MAX_FILE_BYTES, textTooLarge } from '../../analysis/files/fs';
import { isMigrationFile, isModelsFile } from '../../analysis/models/migrations/changes';
import { PythonDocument } from '../../analysis/parse/pythonDocument';
import { isParserLoaded } from '../../analysis/parse/treeSitter';
import type { MigrationPass } from '../migrationPass';
import { type QuarantineParams, uriToPath } from '../protocolCommon';
import type { Scheduler } from '../scheduler';
import type { OpenDoc, ServerState } from '../serverState';

export class Documents {
  constructor(
    private readonly s: ServerState,
    private readonly scheduler: Scheduler,
    private readonly migrations: MigrationPass,
  ) {}

  didOpen(p: DidOpenTextDocumentParams): void {
    const file = uriToPath(p.textDocument.uri);
    if (!file) return;
    const text = TextDocument.create(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text);
    const doc: OpenDoc = { text };
    this.s.open.get(file)?.py?.dispose(); // opened again without a close: free the old tree
    this.s.open.set(file, doc);
    const isPython = file.endsWith('.py') || p.textDocument.languageId === 'python';
    doc.isPython = isPython;
    void this.s.ready.then(() => {
      // a buffer over the size limit is not parsed: the analysis reports it as too large
      if (isPython && this.s.open.get(file) === doc && !doc.py && !textTooLarge(doc.text.getText())) {
        doc.py = PythonDocument.parse(doc.text.getText(), { incremental: true });
        this.s.workspace?.setOpenDocument(file, doc.py);
      }
      if (this.s.workspace && !this.s.workspace.scanFor(file)) this.s.workspace = undefined; // a loose file
      this.s.workspace?.invalidate(file);
      if (isMigrationFile(file)) this.migrations.migrationsChanged(file, false);
      this.scheduler.schedule(file);
    });
  }

  didChange(p: DidChangeTextDocumentParams): void {
    const file = uriToPath(p.textDocument.uri);
    if (!file) return;
    const doc = this.s.open.get(file);
    if (!doc) return;
    for (const change of p.contentChanges) {
      if ('range' in change) {
        const start = doc.text.offsetAt(change.range.start);
        const end = doc.text.offsetAt(change.range.end);
        // past the size limit the buffer is no longer parsed (and is parsed again once back under it)
        if (doc.py && doc.text.getText().length - (end - start) + change.text.length > MAX_FILE_BYTES) this.dropParsed(file, doc);
        doc.text = TextDocument.update(doc.text, [change], p.textDocument.version ?? doc.text.version + 1);
        doc.py?.applyEdit(start, end, change.text, doc.text.getText());
      } else {
        doc.text = TextDocument.update(doc.text, [change], p.textDocument.version ?? doc.text.version + 1);
        if (doc.py && textTooLarge(change.text)) this.dropParsed(file, doc);
        doc.py?.replaceAll(change.text);
      }
    }
    if (doc.py && textTooLarge(doc.text.getText())) this.dropParsed(file, doc);
    else if (!doc.py && doc.isPython && isParserLoaded() && !textTooLarge(doc.text.getText())) {
      doc.py = PythonDocument.parse(doc.text.getText(), { incremental: true });
      this.s.workspace?.setOpenDocument(file, doc.py);
    }
    this.s.workspace?.invalidate(file);
    if (isMigrationFile(file)) this.migrations.migrationsChanged(file, false);
    this.released(file);
    this.s.typedYet = true;
    this.s.editedAt = performance.now();
    this.scheduler.schedule(file);
  }

  /** Stops parsing an open buffer (it grew past the size limit); its text stays in the overlay. */
  private dropParsed(file: string, doc: OpenDoc): void {
    doc.py?.dispose();
    doc.py = undefined;
    this.s.workspace?.closeDocument(file);
  }

  didClose(uri: string): void {
    const file = uriToPath(uri);
    if (!file) return;
    this.s.open.get(file)?.py?.dispose();
    this.s.open.delete(file);
    this.s.workspace?.closeDocument(file);
    if (isMigrationFile(file)) this.migrations.migrationsChanged(file, false);
    this.scheduler.schedule(file);
  }

  /** At shutdown: every parsed buffer freed. */
  closeAll(): void {
    for (const d of this.s.open.values()) d.py?.dispose();
    this.s.open.clear();
  }

  didChangeWatchedFiles(p: DidChangeWatchedFilesParams): void {
    for (const change of p.changes) {
      const file = uriToPath(change.uri);
      if (!file || this.s.open.has(file)) continue;
      this.released(file);
      // created (1) and deleted (3) change the set of modules; changed (2) only the content
      this.s.workspace?.invalidate(file, change.type !== 2);
      // a models module changed on disk: git's facts for DDM012 (which apps' models changed) are asked again
      if (isMigrationFile(file) || isModelsFile(file)) this.migrations.migrationsChanged(file, true);
      this.scheduler.schedule(file);
    }
  }

  /** The supervisor's word (QUARANTINE_NOTIFICATION): the projects a stopped worker was analysing. */
  quarantine(p: QuarantineParams): void {
    for (const root of p.roots) this.s.quarantined.add(root);
  }

  /** An edit (in a buffer or on disk) lets the stopped project that holds the file be analysed again. */
  private released(file: string): void {
    const quarantined = this.s.quarantined;
    if (quarantined.size === 0) return;
    quarantined.delete('*');
    for (const root of quarantined) if (file === root || file.startsWith(root + path.sep)) quarantined.delete(root);
  }
}
