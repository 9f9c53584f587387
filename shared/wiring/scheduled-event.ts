// The payload a scheduled function receives. In the cloud the EventBridge rule's target input is
// built as `{ rule, time: <aws.events.event.time>, detail }` (see cdk/lib/schedules.ts); the local
// scheduler sends the same object, so handlers cannot tell the two apart.
import { z } from 'zod';

export const scheduledInvocationSchema = z.object({
  rule: z.string().min(1),
  time: z.iso.datetime(),
  detail: z.record(z.string(), z.string()),
});

export type ScheduledInvocation = z.infer<typeof scheduledInvocationSchema>;
