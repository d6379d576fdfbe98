package dev.foyer.tenant;

/** Published after a committed change to a tenant's settings, so that what was derived from them is rebuilt. */
public record TenantChangedEvent(String tenantId) {
}
