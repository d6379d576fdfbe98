package dev.foyer.application;

/** A freshly generated client secret: the only moment its value exists outside the caller's hands. */
public record NewClientSecret(ClientSecretInfo info, String secret) {
}
