import { z } from 'zod';

export const Empty = z.object({}).strict();

export function op<Req extends z.ZodType, Res extends z.ZodType>(summary: string, request: Req, response: Res) {
  return { summary, request, response };
}
