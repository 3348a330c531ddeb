import { useState, type DragEvent, type ReactNode } from 'react';
import { pathOfDroppedFile } from '../api/client';

/**
 * Files dropped here are handed on as paths. The desktop app knows where a dropped file lives; a
 * browser does not reveal it, so there the zone says to type the path instead.
 */
export function DropZone({ onPaths, children, label }: { onPaths: (paths: string[]) => void; children: ReactNode; label: string }) {
  const [over, setOver] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  function hasFiles(e: DragEvent) {
    return Array.from(e.dataTransfer.types).includes('Files');
  }

  function drop(e: DragEvent) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setOver(false);
    const files = Array.from(e.dataTransfer.files);
    const paths = files.map(pathOfDroppedFile).filter((p): p is string => !!p);
    if (paths.length < files.length) {
      setNote('This browser does not tell Benchtop where a dropped file is: type or paste its path (dropping works in the desktop app).');
    } else setNote(null);
    if (paths.length > 0) onPaths(paths);
  }

  return (
    <div
      className={over ? 'drop-zone over' : 'drop-zone'}
      aria-label={label}
      data-testid="drop-zone"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      {children}
      {note ? (
        <p className="field-note" role="status">
          {note}
        </p>
      ) : null}
    </div>
  );
}
