package dev.foyer.tenant;

/**
 * Published on every node after a tenant and everything of it were deleted, on whichever node, so that caches drop
 * what they hold of it.
 */
public record TenantDeletedEvent(String tenantId) {
}
