package dev.foyer.tenant;

/** Published after a tenant and everything of it were deleted, so that caches drop what they hold of it. */
public record TenantDeletedEvent(String tenantId) {
}
