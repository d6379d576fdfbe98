package dev.foyer.application;

/**
 * An admin revoked every token of an app ({@link Applications#revokeTokens}). Published in the revoking transaction;
 * the listener that keeps the stored authorizations deletes the app's, so that its refresh tokens die and its people's
 * access tokens fail at userinfo and introspection. {@code application} need not know who stores them.
 */
public record TokensRevoked(String tenantId, String applicationId) {
}
