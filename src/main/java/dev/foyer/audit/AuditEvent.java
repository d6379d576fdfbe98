package dev.foyer.audit;

import java.time.Instant;

import tools.jackson.databind.JsonNode;

/** One audited admin change, as the admin API lists it. Before/after never hold secrets. */
public record AuditEvent(long id, String tenantId, Instant occurredAt, String actorType, String actorId,
		String actorTenant, String action, String targetType, String targetId, JsonNode before, JsonNode after,
		String requestId) {
}
