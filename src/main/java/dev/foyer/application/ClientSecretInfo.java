package dev.foyer.application;

import java.time.Instant;

/** What may be shown of a client secret after it was created: never the secret, only its first characters. */
public record ClientSecretInfo(String id, String displayName, String hint, Instant expiresAt, Instant createdAt) {
}
