package dev.foyer.protocol;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
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
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;
import dev.foyer.tenant.TokenPolicy;

/**
 * Spring Authorization Server's view of Foyer's applications: the client of the tenant whose endpoint is being
 * called, never another tenant's. Built from {@link Applications}' in-memory clients and kept until that client
 * changes, so the token endpoint does no look-up work per request.
 */
@Component
class TenantClientRepository implements RegisteredClientRepository {

	/** Entra's default application ID URI of an app: {@code api://<client id>}. */
	static final String API_URI_PREFIX = "api://";

	/** The scope that asks for every application permission a service holds on an API: {@code <API>/.default}. */
	static final String DEFAULT_SCOPE_SUFFIX = "/.default";

	/**
	 * The API (its client id) a client_credentials request is for, from its {@code api://<id>/.default} or
	 * {@code <id>/.default} scope.
	 */
	static Optional<String> resourceOf(java.util.Collection<String> scopes) {
		return scopes.stream()
			.filter(scope -> scope.endsWith(DEFAULT_SCOPE_SUFFIX))
			.map(scope -> scope.substring(0, scope.length() - DEFAULT_SCOPE_SUFFIX.length()))
			.map(id -> id.startsWith(API_URI_PREFIX) ? id.substring(API_URI_PREFIX.length()) : id)
			.findFirst();
	}

	/** The scopes every user-facing app may ask for. */
	static final String OFFLINE_ACCESS = "offline_access";

	private final Applications applications;

	private final Tenants tenants;

	private final TenantContext context;

	private final Map<String, Built> built = new ConcurrentHashMap<>();

	private record Built(Client source, Tenant tenant, RegisteredClient client) {
	}

	TenantClientRepository(Applications applications, Tenants tenants, TenantContext context) {
		this.applications = applications;
		this.tenants = tenants;
		this.context = context;
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("Applications are registered through the admin API");
	}

	@Override
	public RegisteredClient findById(String id) {
		return client(id).map(this::registered).orElse(null);
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return this.context.currentTenant()
			.flatMap(tenant -> this.applications.client(tenant, clientId))
			.map(this::registered)
			.orElse(null);
	}

	/** The application behind a registered client id of the current tenant. */
	Optional<Client> client(String applicationId) {
		return this.context.currentTenant().flatMap(tenant -> this.applications.clientOfApplication(tenant, applicationId));
	}

	/** The token policy in force for this client: Foyer's defaults, the tenant's settings, the app's overrides. */
	TokenPolicy policy(Client client) {
		return this.tenants.get(client.application().tenantId())
			.effectiveTokenPolicy()
			.overriddenBy(client.application().tokenPolicy());
	}

	private RegisteredClient registered(Client client) {
		Application app = client.application();
		Tenant tenant = this.tenants.get(app.tenantId());
		String key = app.tenantId() + "\n" + app.clientId();
		Built cached = this.built.get(key);
		if (cached != null && cached.source() == client && cached.tenant() == tenant) {
			return cached.client();
		}
		RegisteredClient registered = build(client, tenant);
		this.built.put(key, new Built(client, tenant, registered));
		return registered;
	}

	private RegisteredClient build(Client client, Tenant tenant) {
		Application app = client.application();
		TokenPolicy policy = tenant.effectiveTokenPolicy().overriddenBy(app.tokenPolicy());
		RegisteredClient.Builder builder = RegisteredClient.withId(app.id())
			.clientId(app.clientId())
			.clientName(app.displayName())
			.clientIdIssuedAt(app.createdAt())
			.tokenSettings(TokenSettings.builder()
				.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
				.accessTokenTimeToLive(policy.accessTokenLifetime())
				.refreshTokenTimeToLive(PublicClientRefresh.absoluteLifetime(app.appType(), policy.refreshSlidingLifetime()))
				.reuseRefreshTokens(false)
				.idTokenSignatureAlgorithm(SignatureAlgorithm.from(tenant.signingAlgorithm().name()))
				.build());
		if (app.appType().confidential()) {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
				.clientSecret(ClientSecretDigestEncoder.encode(client.secretDigests()));
			if (app.jwks() != null) {
				builder.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
			}
		}
		else {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		if (app.appType() == AppType.service) {
			builder.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS);
			// Entra's application permissions: a service asks for an API's ".default" scope once it holds a role of it.
			for (String resource : client.resourcesHeld()) {
				builder.scope(API_URI_PREFIX + resource + DEFAULT_SCOPE_SUFFIX).scope(resource + DEFAULT_SCOPE_SUFFIX);
			}
		}
		else {
			builder.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
				.redirectUris(uris -> uris.addAll(app.redirectUris()))
				.postLogoutRedirectUris(uris -> uris.addAll(app.postLogoutRedirectUris()))
				.scope(OidcScopes.OPENID)
				.scope(OidcScopes.PROFILE)
				.scope(OidcScopes.EMAIL)
				.scope(OFFLINE_ACCESS);
		}
		// PKCE is required of public clients and honoured (never required) for confidential ones.
		return builder.clientSettings(ClientSettings.builder()
			.requireProofKey(!app.appType().confidential())
			.requireAuthorizationConsent(false)
			.build()).build();
	}

}
