package dev.foyer.directory;

/**
 * Published when an account's sign-ins must all end: its password was reset or changed, an admin revoked its
 * sessions or blocked it, or it is being deleted. Sessions and authorizations (refresh tokens) listen and drop everything of the account.
 */
public record SignOutEverywhere(String tenantId, String accountId, String reason) {
}
