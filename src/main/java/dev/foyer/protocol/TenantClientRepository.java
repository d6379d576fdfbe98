package dev.foyer.protocol;

import java.time.Duration;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

import dev.foyer.application.AppType;
import dev.foyer.application.Application;
import dev.foyer.application.Applications;
import dev.foyer.application.Client;
import dev.foyer.config.FoyerProperties;

/**
 * Spring Authorization Server's view of Foyer's applications: the client of the tenant whose endpoint is
 * being called, never another tenant's. Served from {@link Applications}' in-memory cache.
 */
@Component
class TenantClientRepository implements RegisteredClientRepository {

	private final Applications applications;

	private final TenantContext tenants;

	private final Duration accessTokenLifetime;

	TenantClientRepository(Applications applications, TenantContext tenants, FoyerProperties properties) {
		this.applications = applications;
		this.tenants = tenants;
		this.accessTokenLifetime = properties.accessTokenLifetime();
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("Applications are registered through the admin API");
	}

	@Override
	public RegisteredClient findById(String id) {
		return this.tenants.currentTenant()
			.flatMap(tenant -> this.applications.find(tenant, id))
			.flatMap(app -> this.applications.client(app.tenantId(), app.clientId()))
			.map(this::toRegisteredClient)
			.orElse(null);
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return this.tenants.currentTenant()
			.flatMap(tenant -> this.applications.client(tenant, clientId))
			.map(this::toRegisteredClient)
			.orElse(null);
	}

	private RegisteredClient toRegisteredClient(Client client) {
		Application app = client.application();
		RegisteredClient.Builder builder = RegisteredClient.withId(app.id())
			.clientId(app.clientId())
			.clientName(app.displayName())
			.clientIdIssuedAt(app.createdAt())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(this.accessTokenLifetime)
				.build());
		if (app.appType() == AppType.service) {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.clientSecret(ClientSecretDigestEncoder.encode(client.secretDigests()));
		}
		else {
			if (app.appType().confidential()) {
				builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
					.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
					.clientSecret(ClientSecretDigestEncoder.encode(client.secretDigests()));
			}
			else {
				builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
			}
			builder.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
				.redirectUris(uris -> uris.addAll(app.redirectUris()))
				.postLogoutRedirectUris(uris -> uris.addAll(app.postLogoutRedirectUris()))
				.scope(OidcScopes.OPENID)
				.scope(OidcScopes.PROFILE)
				.scope(OidcScopes.EMAIL)
				.clientSettings(ClientSettings.builder()
					.requireProofKey(!app.appType().confidential())
					.requireAuthorizationConsent(false)
					.build());
		}
		return builder.build();
	}


}
