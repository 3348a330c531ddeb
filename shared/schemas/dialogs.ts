import { z } from 'zod';

export const FileFilter = z.object({
  name: z.string().min(1).max(200),
  extensions: z.array(z.string().regex(/^[A-Za-z0-9.*]+$/)).min(1),
});

export const OpenDialogRequest = z
  .object({
    title: z.string().max(200).optional(),
    kind: z.enum(['file', 'folder']).default('file'),
    multiple: z.boolean().default(false),
    filters: z.array(FileFilter).optional(),
    defaultPath: z.string().optional(),
  })
  .strict();

export const SaveDialogRequest = z
  .object({
    title: z.string().max(200).optional(),
    defaultPath: z.string().optional(),
    filters: z.array(FileFilter).optional(),
  })
  .strict();

/** `paths` is empty when the user cancelled. */
export const OpenDialogResult = z.object({ paths: z.array(z.string()) });
/** `path` is null when the user cancelled. */
export const SaveDialogResult = z.object({ path: z.string().nullable() });
