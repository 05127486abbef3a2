import { Args, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../../context.js";
import { listAuditEvents } from "../audit.service.js";
import { AuditEventArgs, AuditEventPage } from "../audit.types.js";

@Resolver()
export class AuditEventsResolver {
  @Query(() => AuditEventPage, {
    description:
      "The caller's organization's audit trail, newest first; sortOn OccurredAt (default) or Operation; filter by actorId, operation, targetId, from, to",
  })
  auditEvents(@Ctx() ctx: RequestContext, @Args(() => AuditEventArgs) args: AuditEventArgs) {
    return listAuditEvents(ctx, args);
  }
}
