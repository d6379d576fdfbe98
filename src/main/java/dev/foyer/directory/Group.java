package dev.foyer.directory;

import java.time.Instant;

/** A security group of a tenant's accounts. */
public record Group(String id, String tenantId, String displayName, String description, Instant createdAt,
		Instant updatedAt) {
}
