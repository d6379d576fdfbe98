package dev.foyer.protocol;

import java.time.Instant;
import java.util.Set;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.stereotype.Component;

import dev.foyer.application.Applications;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.session.AccountAuthentication;
import dev.foyer.tenant.TokenPolicy;

/**
 * The one place token contents are shaped.
 * <ul>
 * <li>Access tokens follow RFC 9068: {@code typ: at+jwt}, {@code client_id}, {@code scope} as a space-separated
 * string; signed with the algorithm the tenant and app policy choose (RS256 unless ES256 is set).</li>
 * <li>ID tokens carry {@code auth_time}, {@code amr} and {@code sid} from the sign-on session, live as long as the
 * policy says, and carry the account's claims by scope: {@code name}, {@code given_name}, {@code family_name} for
 * {@code profile}; {@code email}, {@code email_verified} for {@code email}.</li>
 * </ul>
 */
@Component
class TokenShape implements OAuth2TokenCustomizer<JwtEncodingContext> {

	static final String ACCESS_TOKEN_TYPE = "at+jwt";

	private final TenantClientRepository clients;

	private final Applications applications;

	private final Accounts accounts;

	private final TenantContext tenants;

	private final dev.foyer.attribute.CustomAttributes attributes;

	private final dev.foyer.extension.Extensions extensions;

	private final dev.foyer.directory.Groups groups;

	private final dev.foyer.application.AppRoleAssignments appRoles;

	private final dev.foyer.extension.ExtensionCalls extensionCalls;

	TokenShape(TenantClientRepository clients, Applications applications, Accounts accounts, TenantContext tenants,
			dev.foyer.attribute.CustomAttributes attributes, dev.foyer.extension.Extensions extensions,
			dev.foyer.extension.ExtensionCalls extensionCalls, dev.foyer.directory.Groups groups,
			dev.foyer.application.AppRoleAssignments appRoles) {
		this.appRoles = appRoles;
		this.groups = groups;
		this.extensions = extensions;
		this.extensionCalls = extensionCalls;
		this.attributes = attributes;
		this.clients = clients;
		this.applications = applications;
		this.accounts = accounts;
		this.tenants = tenants;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		String tenant = this.tenants.requireTenant();
		var client = this.applications.client(tenant, context.getRegisteredClient().getClientId());
		TokenPolicy policy = client.map(this.clients::policy).orElse(TokenPolicy.DEFAULTS);
		var mapping = client.map(c -> c.application().claimsMapping()).orElse(java.util.List.of());
		JwtClaimsSet.Builder claims = context.getClaims();
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getJwsHeader().type(ACCESS_TOKEN_TYPE);
			if (policy.accessTokenAlgorithm() != null) {
				context.getJwsHeader().algorithm(SignatureAlgorithm.from(policy.accessTokenAlgorithm()));
			}
			claims.claim("client_id", context.getRegisteredClient().getClientId());
			claims.claims(c -> {
				if (c.get("scope") instanceof java.util.Collection<?> scopes) {
					c.put("scope", String.join(" ", scopes.stream().map(Object::toString).toList()));
				}
			});
			if (client.isPresent() && AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
				serviceRoles(tenant, client.get(), context.getAuthorizedScopes(), claims);
			}
			if (context.getPrincipal() instanceof AccountAuthentication person) {
				// One read of the account for everything this token carries of it.
				java.util.Optional<Account> account = this.accounts.findCached(tenant, person.accountId());
				mapped(tenant, account, mapping, false).forEach(claims::claim);
				rolesAndGroups(tenant, client, person, account).forEach(claims::claim);
				released(extensionClaims(tenant, client, account), mapping, false).forEach(claims::claim);
			}
			return;
		}
		if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
				&& context.getPrincipal() instanceof AccountAuthentication person) {
			Instant issuedAt = Instant.now();
			claims.issuedAt(issuedAt).expiresAt(issuedAt.plus(policy.idTokenLifetime()));
			claims.claim("auth_time", person.authTime().getEpochSecond());
			claims.claim("amr", new java.util.ArrayList<>(person.amr())); // a plain list: the authorization store types what it reads back
			claims.claim("sid", person.sessionId());
			var accessToken = context.getAuthorization() == null ? null : context.getAuthorization().getAccessToken();
			if (accessToken != null && !accessToken.getToken().getTokenValue().startsWith(TenantAuthorizationService.HASHED)) {
				claims.claim("at_hash", leftHalfHash(accessToken.getToken().getTokenValue()));
			}
			java.util.Optional<Account> account = this.accounts.findCached(tenant, person.accountId());
			account.ifPresent(found -> identityClaims(claims, found, context.getAuthorizedScopes()));
			mapped(tenant, account, mapping, true).forEach(claims::claim);
			rolesAndGroups(tenant, client, person, account).forEach(claims::claim);
			released(extensionClaims(tenant, client, account), mapping, true).forEach(claims::claim);
		}
	}

	/**
	 * A client_credentials token for an API ({@code scope=api://<API>/.default}): its audience is the API, and
	 * {@code roles} carries the API's roles the calling service holds (Entra's application permissions). Both clients
	 * come from memory, so the grant still reads nothing.
	 */
	private void serviceRoles(String tenant, dev.foyer.application.Client caller, Set<String> scopes,
			JwtClaimsSet.Builder claims) {
		TenantClientRepository.resourceOf(scopes)
			.flatMap(resource -> this.applications.client(tenant, resource))
			.ifPresent(resource -> {
				claims.audience(java.util.List.of(resource.application().clientId()));
				var roles = dev.foyer.application.AppRoleAssignments.roleValuesOfService(caller, resource);
				if (!roles.isEmpty()) {
					claims.claim("roles", new java.util.ArrayList<>(roles));
				}
			});
	}

	/**
	 * The extension's claims this token carries: through the app's claims mapping when it maps any
	 * ({@code customClaimsProvider:<claim>} sources, Entra's {@code CustomClaimsProvider}), renamed as mapped and only
	 * into the tokens the mapping says; otherwise every claim the extension declared, under its own name.
	 */
	private static java.util.Map<String, Object> released(java.util.Map<String, Object> fromExtension,
			java.util.List<dev.foyer.application.ClaimMapping> mapping, boolean idToken) {
		String prefix = dev.foyer.application.ClaimMapping.CUSTOM_CLAIMS_PROVIDER;
		if (fromExtension.isEmpty() || mapping.stream().noneMatch(m -> m.source().startsWith(prefix))) {
			return fromExtension;
		}
		java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
		for (var entry : mapping) {
			if (entry.source().startsWith(prefix) && (idToken ? entry.inIdToken() : entry.inAccessToken())) {
				Object value = fromExtension.get(entry.source().substring(prefix.length()));
				if (value != null) {
					out.put(entry.claim(), value);
				}
			}
		}
		return out;
	}

	/** At most this many groups go into a token; beyond, the token says {@code hasgroups: true} instead. */
	static final int MAX_GROUPS_IN_TOKEN = 150;

	/**
	 * {@code roles}: the app's roles the person holds. Then the security groups of the account, as the app's
	 * {@code groupsClaim} asks: {@code groups} with their ids or
	 * names, or, over {@value #MAX_GROUPS_IN_TOKEN} groups, Entra's overage indicator {@code hasgroups: true} (the app
	 * then reads the groups from the admin API).
	 */
	private java.util.Map<String, Object> rolesAndGroups(String tenant, java.util.Optional<dev.foyer.application.Client> client,
			AccountAuthentication person, java.util.Optional<Account> account) {
		java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
		// The app's roles the person holds, directly or through a group: Entra's roles claim.
		client.map(c -> this.appRoles.roleValuesOfAccount(tenant, c.application(), person.accountId()))
			.filter(values -> !values.isEmpty())
			.ifPresent(values -> out.put("roles", new java.util.ArrayList<>(values)));
		String kind = client.map(c -> c.application().groupsClaim()).orElse("none");
		if ("none".equals(kind) || account.isEmpty()) {
			return out;
		}
		var groups = this.groups.groupsOf(tenant, person.accountId());
		if (groups.size() > MAX_GROUPS_IN_TOKEN) {
			out.put("hasgroups", true);
			return out;
		}
		out.put("groups", new java.util.ArrayList<>(groups.stream()
			.map(g -> "names".equals(kind) ? g.displayName() : g.id())
			.toList()));
		return out;
	}

	private static final String EXTENSION_CLAIMS = TokenShape.class.getName() + ".extensionClaims";

	/**
	 * The claims of the token issuance start extension attached to this app, if any: one call per token request
	 * (the ID and access tokens of one request share its answer). A failed call ends the token request unless the
	 * extension is set to continue without its claims.
	 */
	@SuppressWarnings("unchecked")
	private java.util.Map<String, Object> extensionClaims(String tenant,
			java.util.Optional<dev.foyer.application.Client> client, java.util.Optional<Account> signedIn) {
		if (client.isEmpty()) {
			return java.util.Map.of();
		}
		// The ID and access tokens of one request share one lookup, and at most one call.
		var request = org.springframework.web.context.request.RequestContextHolder.getRequestAttributes();
		int scope = org.springframework.web.context.request.RequestAttributes.SCOPE_REQUEST;
		if (request != null && request.getAttribute(EXTENSION_CLAIMS, scope) instanceof java.util.Map<?, ?> cached) {
			return (java.util.Map<String, Object>) cached;
		}
		var attached = this.extensions.tokenIssuanceStart(tenant, client.get().application().clientId());
		if (attached.isEmpty()) {
			if (request != null) {
				request.setAttribute(EXTENSION_CLAIMS, java.util.Map.of(), scope);
			}
			return java.util.Map.of();
		}
		Account account = signedIn.orElse(null);
		java.util.Map<String, Object> user = new java.util.LinkedHashMap<>();
		if (account != null) {
			user.put("id", account.id());
			user.put("displayName", account.displayName());
			user.put("givenName", account.givenName());
			user.put("surname", account.surname());
			user.put("mail", account.email());
			user.put("userPrincipalName", account.email());
			user.put("companyName", account.companyName());
			user.put("createdDateTime", account.createdAt().toString());
			user.put("userType", "Member");
		}
		// The address the token request came from (the app's server for a code exchange), as Entra reports it.
		String ip = request instanceof org.springframework.web.context.request.ServletRequestAttributes servlet
				? servlet.getRequest().getRemoteAddr() : null;
		var signIn = new dev.foyer.extension.ExtensionCalls.SignInContext(tenant, client.get().application().clientId(), ip,
				"en-us", user);
		java.util.Map<String, Object> found;
		try {
			found = this.extensionCalls.tokenIssuanceStart(attached.get(), signIn);
		}
		catch (dev.foyer.extension.ExtensionCalls.ExtensionFailure failure) {
			if (!attached.get().extension().continueOnError()) {
				throw new org.springframework.security.oauth2.core.OAuth2AuthenticationException(
						new org.springframework.security.oauth2.core.OAuth2Error("server_error",
								"A custom authentication extension failed (" + failure.code() + "); reference "
										+ failure.correlationId(), null));
			}
			found = java.util.Map.of();
		}
		if (request != null) {
			request.setAttribute(EXTENSION_CLAIMS, found, scope);
		}
		return found;
	}

	// OIDC Core 3.1.3.6: base64url of the left half of the SHA-256 of the access token (RS256 and ES256 both use SHA-256).
	static String leftHalfHash(String token) {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
				.digest(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The claims the app's claims mapping releases into this token, from built-in and custom attributes. */
	private java.util.Map<String, Object> mapped(String tenant, java.util.Optional<Account> account,
			java.util.List<dev.foyer.application.ClaimMapping> mapping, boolean idToken) {
		java.util.Map<String, Object> claims = new java.util.LinkedHashMap<>();
		if (mapping.isEmpty() || account.isEmpty()) {
			return claims;
		}
		java.util.Map<String, Object> builtIn = BuiltInAttributes.of(account.get());
		java.util.Map<String, Object> custom = this.attributes.valuesOf(tenant, java.util.List.of(account.get().id()))
			.getOrDefault(account.get().id(), java.util.Map.of());
		for (var entry : mapping) {
			if (idToken ? entry.inIdToken() : entry.inAccessToken()) {
				Object value = builtIn.containsKey(entry.source()) ? builtIn.get(entry.source()) : custom.get(entry.source());
				if (value != null) {
					claims.put(entry.claim(), value instanceof java.util.List<?> list ? new java.util.ArrayList<>(list) : value);
				}
			}
		}
		return claims;
	}

	/** The account's claims that the granted scopes release: shared with the userinfo endpoint. */
	static void identityClaims(JwtClaimsSet.Builder claims, Account account, Set<String> scopes) {
		claims.claims(c -> c.putAll(IdentityClaims.of(account, scopes)));
	}

}
