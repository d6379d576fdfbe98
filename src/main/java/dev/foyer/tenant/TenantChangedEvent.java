package dev.foyer.tenant;

/**
 * Published on every node after a tenant was created or its settings changed, on whichever node, so that what was
 * derived from them is rebuilt.
 */
public record TenantChangedEvent(String tenantId) {
}
