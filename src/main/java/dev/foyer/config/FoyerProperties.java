package dev.foyer.config;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Foyer's own settings. Each maps to an environment variable by Spring Boot's relaxed binding
 * ({@code foyer.base-url} is {@code FOYER_BASE_URL}, and so on); docs/configuration.md lists them all.
 *
 * @param baseUrl the public URL browsers and apps reach Foyer at; issuers are {@code {baseUrl}/t/{tenant}}
 * @param dataDir where the embedded database, a generated master key and bootstrap credentials live
 * @param masterKey base64 of 32 random bytes: the AES-256 key that encrypts private keys at rest
 * @param masterKeyFallbacks earlier master keys (or, during a cluster's rotation, the next one) that open what they
 *        sealed but never seal: a master-key rotation
 * @param bootstrap first-start credentials of the admin tenant
 */
@ConfigurationProperties("foyer")
public record FoyerProperties(
		@DefaultValue("http://localhost:8080") String baseUrl,
		@DefaultValue("./data") Path dataDir,
		String masterKey,
		List<String> masterKeyFallbacks,
		@DefaultValue Bootstrap bootstrap) {

	public record Bootstrap(String adminEmail, String adminPassword, String clientId, String clientSecret) {
	}

}
