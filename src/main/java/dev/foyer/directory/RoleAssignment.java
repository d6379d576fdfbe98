package dev.foyer.directory;

import java.time.Instant;

/** A directory role held by an admin account ({@code user}) or a service application within a tenant. */
public record RoleAssignment(String tenantId, String principalType, String principalId, DirectoryRole role,
		Instant createdAt) {
}
