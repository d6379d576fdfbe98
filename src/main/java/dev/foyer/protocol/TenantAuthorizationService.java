package dev.foyer.protocol;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.jackson.SecurityJacksonModules;
import org.springframework.security.oauth2.core.AbstractOAuth2Token;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.directory.Accounts;
import dev.foyer.keys.Digests;
import dev.foyer.session.AccountAuthentication;
import dev.foyer.session.SsoSessions;
import dev.foyer.tenant.Tenants;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where Spring Authorization Server keeps authorizations (codes, refresh tokens, the tokens issued with them),
 * scoped by tenant, with every token stored as a SHA-256 digest only. A token read back is rebuilt with the
 * value that was presented; the others carry a {@value #HASHED} placeholder that is never sent anywhere and is
 * written back as the digest it names.
 * <ul>
 * <li>client_credentials is never stored: its token is self-contained (no database write on that path).</li>
 * <li>Refresh tokens rotate; a rotated one is remembered, and presenting it again revokes the whole family.</li>
 * <li>A refresh token stops working when its account is blocked or its family passes the absolute lifetime.</li>
 * </ul>
 */
@Component
class TenantAuthorizationService implements OAuth2AuthorizationService {

	private static final Logger log = LoggerFactory.getLogger(TenantAuthorizationService.class);

	static final String HASHED = "hashed:";

	private static final String FORMAT = "@tokenFormat";

	private static final Set<String> TIME_CLAIMS = Set.of("iat", "exp", "nbf");

	private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final TenantContext tenants;

	private final Tenants tenantDirectory;

	private final TenantClientRepository clients;

	private final TransactionTemplate transactions;

	private final TenantTokenDecoder decoder;

	private final Accounts accounts;

	private final SsoSessions sessions;

	/**
	 * The stored authorizations that access tokens in use belong to, by {@code tenant/access token digest}, trimmed
	 * to what userinfo and introspection read (see {@link #findInUse}). Whatever changes or deletes a row with an
	 * access token drops its entry on every node; an account's state is checked on each use, from {@link Accounts}.
	 */
	private final NodeCache<Found> accessTokens;

	/** Enough for the access tokens in use on one node at once; each entry is one or two kilobytes. */
	static final int ACCESS_TOKEN_CAPACITY = 10_000;

	// Spring Security's own mapper with its allow-listed types: token metadata and authorization requests.
	private final JsonMapper securityJson = JsonMapper.builder()
		.addModules(SecurityJacksonModules.getModules(TenantAuthorizationService.class.getClassLoader()))
		.build();

	private final JsonMapper json = JsonMapper.builder().build();

	/**
	 * A code exchange looks its code up twice in one request (PKCE's check during client authentication, then the
	 * grant): the second lookup is answered with the first's authorization, which the request keeps under this name
	 * until it saves or removes one.
	 */
	private static final String CODE_LOOKUP = TenantAuthorizationService.class.getName() + ".codeLookup";

	private record CodeLookup(String digest, OAuth2Authorization authorization) {
	}

	TenantAuthorizationService(JdbcClient jdbc, TenantContext tenants, Tenants tenantDirectory,
			TenantClientRepository clients, TransactionTemplate transactions, TenantTokenDecoder decoder, Accounts accounts,
			CacheChanges changes, SsoSessions sessions) {
		this.sessions = sessions;
		this.decoder = decoder;
		this.accounts = accounts;
		this.accessTokens = changes.cache("access-token", ACCESS_TOKEN_CAPACITY);
		this.jdbc = jdbc;
		this.tenants = tenants;
		this.tenantDirectory = tenantDirectory;
		this.clients = clients;
		this.transactions = transactions;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		forgetCodeLookup();
		if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
			return;
		}
		String tenant = this.tenants.requireTenant();
		Map<String, Object> row = row(tenant, authorization);
		boolean signIn = authorization.getAttribute(Stored.NAME) == null;
		Boolean taken = this.transactions.execute(status -> {
			// Read with the authorization (no second look-up): an authorization never read is a new one.
			Stored previous = authorization.getAttribute(Stored.NAME);
			if (previous == null) {
				row.put("familyCreatedAt", Timestamp.from(Instant.now()));
				this.jdbc.sql("""
						insert into oauth2_authorization (id, tenant_id, registered_client_id, principal_name, grant_type,
						    authorized_scopes, attributes, state_sha256, code_sha256, code_issued_at, code_expires_at, code_metadata,
						    access_sha256, access_issued_at, access_expires_at, access_metadata, refresh_sha256, refresh_issued_at,
						    refresh_expires_at, refresh_metadata, id_token_sha256, id_token_issued_at, id_token_expires_at,
						    id_token_metadata, session_id, family_created_at)
						values (:id, :tenant, :client, :principal, :grant, :scopes, :attributes, :state, :code, :codeIssued,
						    :codeExpires, :codeMeta, :access, :accessIssued, :accessExpires, :accessMeta, :refresh, :refreshIssued,
						    :refreshExpires, :refreshMeta, :idToken, :idIssued, :idExpires, :idMeta, :session, :familyCreatedAt)""")
					.params(row)
					.update();
				return true;
			}
			// Only if the row still holds the tokens it held when read: of a code exchanged, or a refresh token
			// presented, several times at once, one request wins. The others waited for its row lock and now find
			// other tokens there, as a replay after it would.
			row.put("previousAccess", previous.access());
			row.put("previousRefresh", previous.refresh());
			int updated = this.jdbc.sql("""
					update oauth2_authorization set principal_name = :principal, authorized_scopes = :scopes,
					    attributes = :attributes, state_sha256 = :state, code_sha256 = :code, code_issued_at = :codeIssued,
					    code_expires_at = :codeExpires, code_metadata = :codeMeta, access_sha256 = :access,
					    access_issued_at = :accessIssued, access_expires_at = :accessExpires, access_metadata = :accessMeta,
					    refresh_sha256 = :refresh, refresh_issued_at = :refreshIssued, refresh_expires_at = :refreshExpires,
					    refresh_metadata = :refreshMeta, id_token_sha256 = :idToken, id_token_issued_at = :idIssued,
					    id_token_expires_at = :idExpires, id_token_metadata = :idMeta, session_id = :session
					where tenant_id = :tenant and id = :id
					  and access_sha256 is not distinct from :previousAccess
					  and refresh_sha256 is not distinct from :previousRefresh""")
				.params(row)
				.update();
			if (updated == 0) {
				return false;
			}
			// The access token it held changes (a refresh) or its state does (revoked): no node may answer from memory.
			if (previous.access() != null) {
				this.accessTokens.changed(tenant + "/" + previous.access());
			}
			// The access token a refresh replaced stays valid until it expires, as its JWT does (findInUse).
			if (previous.access() != null && !previous.access().equals(row.get("access")) && previous.accessExpires() != null
					&& previous.accessExpires().isAfter(Instant.now())) {
				this.jdbc.sql("insert into access_token_replaced (tenant_id, token_sha256, authorization_id, expires_at)"
						+ " values (?, ?, ?, ?)")
					.params(tenant, previous.access(), authorization.getId(), Timestamp.from(previous.accessExpires()))
					.update();
			}
			Optional.ofNullable(previous.refresh()).filter(old -> !old.equals(row.get("refresh")))
				.ifPresent(old -> this.jdbc
					.sql("insert into refresh_token_used (token_sha256, authorization_id, tenant_id, used_at) values (?, ?, ?, ?)")
					.params(old, authorization.getId(), tenant, Timestamp.from(Instant.now()))
					.update());
			return true;
		});
		if (!Boolean.TRUE.equals(taken)) {
			// Lost to a concurrent use of the same code or refresh token: a replay, so the family is revoked
			// (RFC 6749 4.1.2, RFC 9700 4.14.2) and this request fails as a replay does.
			revoke(tenant, authorization.getId(), "A code or refresh token was used twice at once");
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"The grant was used by another request at the same time", null));
		}
		// A new authorization is a code issued to the app: its session now has this app to tell when it ends.
		if (signIn && row.get("session") instanceof String session) {
			this.sessions.joined(tenant, session, authorization.getRegisteredClientId());
		}
	}

	/** The digests a stored authorization held when it was read, carried as an attribute that is never written. */
	private record Stored(String refresh, String access, Instant accessExpires) {

		static final String NAME = Stored.class.getName();

	}

	/** Revokes every authorization (and so every refresh token) of an account that must sign out everywhere. */
	@org.springframework.context.event.EventListener
	void signOutEverywhere(dev.foyer.directory.SignOutEverywhere event) {
		int revoked = deleteWhere(event.tenantId(), "principal_name", event.accountId());
		log.info("Revoked {} authorization(s) of account {} in tenant {} ({})", revoked, event.accountId(),
				event.tenantId(), event.reason());
	}

	/** Revokes every authorization of an app whose tokens an admin revoked (its people's refresh and access tokens). */
	@org.springframework.context.event.EventListener
	void tokensRevoked(dev.foyer.application.TokensRevoked event) {
		int revoked = deleteWhere(event.tenantId(), "registered_client_id", event.applicationId());
		log.info("Revoked {} authorization(s) of application {} in tenant {} (the app's tokens were revoked)", revoked,
				event.applicationId(), event.tenantId());
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		forgetCodeLookup();
		this.tenants.currentTenant().ifPresent(tenant -> deleteWhere(tenant, "id", authorization.getId()));
	}

	/**
	 * Deletes a tenant's authorizations whose {@code column} (one of this class's, never a caller's text) holds the
	 * value, with their access tokens in use. In a transaction (the caller's, when it has one): other nodes hear of the
	 * dropped tokens only once the rows are gone, so that none reads them back into memory in between.
	 */
	private int deleteWhere(String tenant, String column, String value) {
		return this.transactions.execute(status -> {
			this.jdbc.sql("select access_sha256 from oauth2_authorization where tenant_id = ? and " + column
					+ " = ? and access_sha256 is not null")
				.params(tenant, value)
				.query(String.class)
				.list()
				.forEach(digest -> this.accessTokens.changed(tenant + "/" + digest));
			return this.jdbc.sql("delete from oauth2_authorization where tenant_id = ? and " + column + " = ?")
				.params(tenant, value)
				.update();
		});
	}

	/**
	 * {@link #findByToken} for the endpoints that only read what a token grants (userinfo, introspection): an access
	 * token in use is answered from memory, as a trimmed authorization (its access and ID tokens, without the
	 * authorization request, code or refresh token) that must never be saved. Other tokens are looked up as usual.
	 */
	OAuth2Authorization findInUse(String token, OAuth2TokenType tokenType) {
		Optional<String> tenant = this.tenants.currentTenant();
		if (tenant.isEmpty() || token == null || token.isEmpty()
				|| (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType))) {
			return findByToken(token, tokenType);
		}
		String digest = Digests.sha256Hex(token);
		Optional<Found> inUse = this.accessTokens.get(tenant.get() + "/" + digest,
				key -> rows(tenant.get(), "a.access_sha256 = :digest", digest, token).stream()
					.filter(row -> row.authorization() != null)
					.findFirst()
					.map(TenantAuthorizationService::trimmed));
		if (inUse.isPresent()) {
			return liveFamily(inUse.get()) ? inUse.get().authorization() : null;
		}
		OAuth2Authorization replaced = replaced(tenant.get(), digest, token);
		if (replaced != null) {
			return replaced;
		}
		// Not a stored access token: a client_credentials one (self-contained), or, without a type, another kind.
		return tokenType == null ? findByToken(token, null) : selfContained(token);
	}

	/**
	 * An access token that a refresh has replaced, while it has not expired and its family lives: Auth0, Entra and
	 * Keycloak keep such a token valid, and a resource server that checks the JWT itself accepts it, so userinfo and
	 * introspection do too (an app's other tab may not have seen the refresh yet). Its own claims, scopes and expiry
	 * come from its verified JWT; the ID token, which userinfo needs, from the family. A family revoked or deleted
	 * takes it down with the rest. Not held in memory: such a token is seldom presented.
	 */
	private OAuth2Authorization replaced(String tenant, String digest, String token) {
		// Only a JWT can be one: a refresh token or a code presented without a type skips the query.
		if (token.chars().filter(c -> c == '.').count() != 2) {
			return null;
		}
		Optional<Found> family = rows(tenant, """
				a.id = (select r.authorization_id from access_token_replaced r
				        where r.tenant_id = :tenant and r.token_sha256 = :digest)""", digest, token).stream()
			.filter(row -> row.authorization() != null && newestTokensActive(row.authorization()))
			.findFirst();
		if (family.isEmpty() || !liveFamily(family.get())) {
			return null;
		}
		VerifiedAccessToken verified = verify(token);
		if (verified == null) {
			return null;
		}
		return view(family.get(), verified.token(), verified.metadata(), verified.token().getScopes()).authorization();
	}

	/**
	 * Whether the family still has its newest access token unrevoked and unexpired, and its refresh token (if any)
	 * unrevoked: revoking either (an app that signs out revokes its refresh token) ends the tokens they replaced too.
	 */
	private static boolean newestTokensActive(OAuth2Authorization family) {
		OAuth2Authorization.Token<OAuth2AccessToken> access = family.getAccessToken();
		OAuth2Authorization.Token<OAuth2RefreshToken> refresh = family.getRefreshToken();
		return access != null && access.isActive() && (refresh == null || !refresh.isInvalidated());
	}

	private static Found trimmed(Found row) {
		OAuth2Authorization.Token<OAuth2AccessToken> access = row.authorization().getAccessToken();
		return view(row, access.getToken(), access.getMetadata(), row.authorization().getAuthorizedScopes());
	}

	private static Found view(Found row, OAuth2AccessToken accessToken, Map<String, Object> accessMetadata,
			Set<String> scopes) {
		OAuth2Authorization full = row.authorization();
		OAuth2Authorization.Builder view = OAuth2Authorization.withRegisteredClient(row.client())
			.id(full.getId())
			.principalName(full.getPrincipalName())
			.authorizationGrantType(full.getAuthorizationGrantType())
			.authorizedScopes(scopes)
			.token(accessToken, m -> m.putAll(accessMetadata));
		// userinfo requires the ID token issued with the access token (OIDC Core 5.3).
		OAuth2Authorization.Token<OidcIdToken> idToken = full.getToken(OidcIdToken.class);
		if (idToken != null) {
			view.token(idToken.getToken(), m -> m.putAll(idToken.getMetadata()));
		}
		return new Found(view.build(), row.client(), row.tenantId(), row.familyCreated(), row.applicationId(), row.grantType(),
				null);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.tenants.currentTenant()
			.flatMap(tenant -> this.jdbc.sql("select * from oauth2_authorization where tenant_id = ? and id = ?")
				.params(tenant, id)
				.query((rs, n) -> {
					RegisteredClient client = this.clients.findById(rs.getString("registered_client_id"));
					return client == null ? null : map(rs, client, null, null);
				})
				.optional())
			.orElse(null);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		Optional<String> tenant = this.tenants.currentTenant();
		if (tenant.isEmpty() || token == null || token.isEmpty()) {
			return null;
		}
		String digest = Digests.sha256Hex(token);
		String column = tokenType == null ? null : switch (tokenType.getValue()) {
			case OAuth2ParameterNames.STATE -> "state_sha256";
			case OAuth2ParameterNames.CODE -> "code_sha256";
			case OAuth2ParameterNames.ACCESS_TOKEN -> "access_sha256";
			case OAuth2ParameterNames.REFRESH_TOKEN -> "refresh_sha256";
			case OidcParameterNames.ID_TOKEN -> "id_token_sha256";
			default -> "none";
		};
		if ("none".equals(column)) {
			return null;
		}
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		boolean code = "code_sha256".equals(column) && request != null;
		if (code && request.getAttribute(CODE_LOOKUP, RequestAttributes.SCOPE_REQUEST) instanceof CodeLookup seen
				&& seen.digest().equals(digest)) {
			return seen.authorization();
		}
		String where = column != null ? "a." + column + " = :digest"
				: "(a.code_sha256 = :digest or a.access_sha256 = :digest or a.refresh_sha256 = :digest"
						+ " or a.id_token_sha256 = :digest)";
		for (Found row : rows(tenant.get(), where, digest, token)) {
			if (row.authorization() != null && liveFamily(row)) {
				if (code) {
					request.setAttribute(CODE_LOOKUP, new CodeLookup(digest, row.authorization()),
							RequestAttributes.SCOPE_REQUEST);
				}
				return row.authorization();
			}
		}
		if (tokenType == null || OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			detectReuse(tenant.get(), digest);
		}
		if (tokenType == null || OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
			return selfContained(token);
		}
		return null;
	}

	private static void forgetCodeLookup() {
		RequestAttributes request = RequestContextHolder.getRequestAttributes();
		if (request != null) {
			request.removeAttribute(CODE_LOOKUP, RequestAttributes.SCOPE_REQUEST);
		}
	}

	// Rows are read first and checked after: a check that queried while the result set is open would hold a second
	// pooled connection, and under load every connection would wait for another. Whether the account may still use
	// its tokens comes with the row (one round trip per token use, not two), so that a blocked account's refresh
	// tokens stop at once on every node.
	private List<Found> rows(String tenant, String where, String digest, String token) {
		return this.jdbc.sql("""
				select a.*, p.account_enabled as principal_enabled from oauth2_authorization a
				left join account p on p.tenant_id = a.tenant_id and p.id = a.principal_name
				where a.tenant_id = :tenant and\s""" + where)
			.param("tenant", tenant)
			.param("digest", digest)
			.query((rs, n) -> {
				RegisteredClient client = this.clients.findById(rs.getString("registered_client_id"));
				return new Found(client == null ? null : map(rs, client, digest, token), client, rs.getString("tenant_id"),
						rs.getTimestamp("family_created_at").toInstant(), rs.getString("registered_client_id"),
						rs.getString("grant_type"), Boolean.TRUE.equals(rs.getObject("principal_enabled", Boolean.class)));
			})
			.list();
	}

	/**
	 * A client_credentials access token is never stored; for introspection it is valid when its signature, tenant,
	 * type and expiry are, and its client still exists and has not had its tokens revoked since.
	 */
	private OAuth2Authorization selfContained(String token) {
		VerifiedAccessToken verified = verify(token);
		if (verified == null) {
			return null;
		}
		org.springframework.security.oauth2.jwt.Jwt jwt = verified.jwt();
		String clientId = jwt.getClaimAsString("client_id");
		if (clientId == null || !clientId.equals(jwt.getSubject())) {
			return null;
		}
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null || this.clients.client(client.getId())
			.map(found -> found.application().revoked(jwt.getIssuedAt()))
			.orElse(true)) {
			return null;
		}
		return OAuth2Authorization.withRegisteredClient(client)
			.id(jwt.getId() == null ? clientId : jwt.getId())
			.principalName(clientId)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.authorizedScopes(verified.token().getScopes())
			.token(verified.token(), m -> m.putAll(verified.metadata()))
			.build();
	}

	/** An access token's JWT as verified (signature, tenant, type, expiry), and the token and metadata it makes. */
	private record VerifiedAccessToken(org.springframework.security.oauth2.jwt.Jwt jwt, OAuth2AccessToken token,
			Map<String, Object> metadata) {
	}

	/** The access token as its own JWT says, when the JWT verifies; else null. */
	private VerifiedAccessToken verify(String token) {
		if (token.chars().filter(c -> c == '.').count() != 2) {
			return null;
		}
		org.springframework.security.oauth2.jwt.Jwt jwt;
		try {
			jwt = this.decoder.decode(token);
		}
		catch (org.springframework.security.oauth2.jwt.JwtException ex) {
			return null;
		}
		Set<String> scopes = jwt.getClaimAsString("scope") == null ? Set.of()
				: new LinkedHashSet<>(Arrays.asList(jwt.getClaimAsString("scope").split(" ")));
		return new VerifiedAccessToken(jwt, new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token,
				jwt.getIssuedAt(), jwt.getExpiresAt(), scopes), Map.of(OAuth2Authorization.Token.CLAIMS_METADATA_NAME,
						jwt.getClaims()));
	}

	// A rotated refresh token presented again: someone holds a copy. Revoke everything issued in its family.
	private void detectReuse(String tenant, String digest) {
		this.jdbc.sql("select authorization_id from refresh_token_used where tenant_id = ? and token_sha256 = ?")
			.params(tenant, digest)
			.query(String.class)
			.optional()
			.ifPresent(authorizationId -> revoke(tenant, authorizationId, "Refresh token reuse detected"));
	}

	/** Deletes an authorization, so that every token of its family stops working, on every node. */
	private void revoke(String tenant, String authorizationId, String why) {
		int revoked = deleteWhere(tenant, "id", authorizationId);
		log.warn("{} in tenant {}: authorization {} revoked ({} row)", why, tenant, authorizationId, revoked);
	}

	/**
	 * A stored authorization as read (null when its client is gone), with what {@link #liveFamily} checks; whether its
	 * account is enabled as read with it, or null when the row is held in memory and the account must be asked.
	 */
	private record Found(OAuth2Authorization authorization, RegisteredClient client, String tenantId, Instant familyCreated,
			String applicationId, String grantType, Boolean principalEnabled) {
	}

	// Tokens end with their family's absolute lifetime, with their app (deleted, or its tokens revoked) and with their
	// account: blocked or deleted.
	// A row held in memory is checked on every use, against what this node holds in memory too (tenants, apps,
	// recently used accounts).
	private boolean liveFamily(Found row) {
		String tenantId = row.tenantId();
		var tenant = this.tenantDirectory.find(tenantId);
		if (tenant.isEmpty()) {
			return false;
		}
		var client = this.clients.client(row.applicationId());
		// An app whose tokens were revoked after this family began: its row is deleted then, unless it was being
		// written at that moment.
		if (client.isEmpty() || client.get().application().revoked(row.familyCreated())) {
			return false;
		}
		var policy = tenant.get().effectiveTokenPolicy().overriddenBy(client.map(c -> c.application().tokenPolicy()).orElse(null));
		if (row.familyCreated()
			.plus(PublicClientRefresh.absoluteLifetime(client.get().application().appType(), policy.refreshAbsoluteLifetime()))
			.isBefore(Instant.now())) {
			return false;
		}
		if (!AuthorizationGrantType.AUTHORIZATION_CODE.getValue().equals(row.grantType())) {
			return true;
		}
		if (row.principalEnabled() != null) {
			return row.principalEnabled();
		}
		return this.accounts.findCached(tenantId, row.authorization().getPrincipalName())
			.map(dev.foyer.directory.Account::accountEnabled)
			.orElse(false);
	}

	private Map<String, Object> row(String tenant, OAuth2Authorization authorization) {
		Map<String, Object> row = new HashMap<>();
		row.put("id", authorization.getId());
		row.put("tenant", tenant);
		row.put("client", authorization.getRegisteredClientId());
		row.put("principal", authorization.getPrincipalName());
		row.put("grant", authorization.getAuthorizationGrantType().getValue());
		row.put("scopes", String.join(" ", authorization.getAuthorizedScopes()));
		Map<String, Object> attributes = new HashMap<>(authorization.getAttributes());
		attributes.remove(Stored.NAME);
		Object principal = attributes.remove(java.security.Principal.class.getName());
		String state = (String) attributes.remove(OAuth2ParameterNames.STATE);
		Map<String, Object> stored = new HashMap<>();
		// The authorization request, the one attribute every stored authorization has, goes as plain JSON: read back
		// with Spring Security's typed Jackson modules it cost a third of each userinfo, introspection and refresh.
		if (attributes.remove(OAuth2AuthorizationRequest.class.getName()) instanceof OAuth2AuthorizationRequest request) {
			stored.put("request", plainRequest(request));
		}
		if (!attributes.isEmpty()) {
			stored.put("spring", this.securityJson.writeValueAsString(attributes));
		}
		if (principal instanceof AccountAuthentication account) {
			stored.put("principal", Map.of("tenantId", account.tenantId(), "accountId", account.accountId(), "sessionId",
					account.sessionId(), "authTime", account.authTime().toEpochMilli(), "amr", account.amr()));
			row.put("session", account.sessionId());
		}
		else {
			row.put("session", null);
		}
		row.put("attributes", this.json.writeValueAsString(stored));
		row.put("state", state == null ? null : Digests.sha256Hex(state));
		put(row, "code", "codeIssued", "codeExpires", "codeMeta", authorization.getToken(OAuth2AuthorizationCode.class));
		put(row, "access", "accessIssued", "accessExpires", "accessMeta", authorization.getToken(OAuth2AccessToken.class));
		put(row, "refresh", "refreshIssued", "refreshExpires", "refreshMeta", authorization.getToken(OAuth2RefreshToken.class));
		put(row, "idToken", "idIssued", "idExpires", "idMeta", authorization.getToken(OidcIdToken.class));
		return row;
	}

	private void put(Map<String, Object> row, String digest, String issued, String expires, String meta,
			OAuth2Authorization.Token<? extends AbstractOAuth2Token> token) {
		if (token == null) {
			row.put(digest, null);
			row.put(issued, null);
			row.put(expires, null);
			row.put(meta, null);
			return;
		}
		String value = token.getToken().getTokenValue();
		row.put(digest, value.startsWith(HASHED) ? value.substring(HASHED.length()) : Digests.sha256Hex(value));
		row.put(issued, timestamp(token.getToken().getIssuedAt()));
		row.put(expires, timestamp(token.getToken().getExpiresAt()));
		row.put(meta, writeMetadata(token.getMetadata()));
	}

	private OAuth2Authorization map(ResultSet rs, RegisteredClient client, String presentedDigest, String presentedValue)
			throws SQLException {
		Map<String, Object> stored = this.json.readValue(rs.getString("attributes"), MAP);
		Map<String, Object> attributes = stored.get("spring") instanceof String spring
				? new HashMap<>(this.securityJson.readValue(spring, MAP)) : new HashMap<>();
		if (stored.get("request") instanceof Map<?, ?> request) {
			attributes.put(OAuth2AuthorizationRequest.class.getName(), request(request));
		}
		if (stored.get("principal") instanceof Map<?, ?> p) {
			attributes.put(java.security.Principal.class.getName(),
					new AccountAuthentication((String) p.get("tenantId"), (String) p.get("accountId"), (String) p.get("sessionId"),
							Instant.ofEpochMilli(((Number) p.get("authTime")).longValue()), castList(p.get("amr"))));
		}
		String scopes = rs.getString("authorized_scopes");
		Set<String> authorizedScopes = scopes == null || scopes.isBlank() ? Set.of()
				: new LinkedHashSet<>(Arrays.asList(scopes.split(" ")));
		OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(client)
			.id(rs.getString("id"))
			.principalName(rs.getString("principal_name"))
			.authorizationGrantType(new AuthorizationGrantType(rs.getString("grant_type")))
			.authorizedScopes(authorizedScopes)
			.attributes(a -> a.putAll(attributes));
		String code = rs.getString("code_sha256");
		if (code != null) {
			Map<String, Object> metadata = meta(rs, "code_metadata");
			builder.token(new OAuth2AuthorizationCode(value(code, presentedDigest, presentedValue),
					instant(rs, "code_issued_at"), instant(rs, "code_expires_at")), m -> m.putAll(metadata));
		}
		String access = rs.getString("access_sha256");
		if (access != null) {
			Map<String, Object> metadata = meta(rs, "access_metadata");
			builder.token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, value(access, presentedDigest, presentedValue),
					instant(rs, "access_issued_at"), instant(rs, "access_expires_at"), authorizedScopes),
					m -> m.putAll(metadata));
		}
		String refresh = rs.getString("refresh_sha256");
		if (refresh != null) {
			Map<String, Object> metadata = meta(rs, "refresh_metadata");
			builder.token(new OAuth2RefreshToken(value(refresh, presentedDigest, presentedValue),
					instant(rs, "refresh_issued_at"), instant(rs, "refresh_expires_at")), m -> m.putAll(metadata));
		}
		String idToken = rs.getString("id_token_sha256");
		if (idToken != null) {
			Map<String, Object> metadata = meta(rs, "id_token_metadata");
			@SuppressWarnings("unchecked")
			Map<String, Object> claims = (Map<String, Object>) metadata.get(OAuth2Authorization.Token.CLAIMS_METADATA_NAME);
			builder.token(new OidcIdToken(value(idToken, presentedDigest, presentedValue), instant(rs, "id_token_issued_at"),
					instant(rs, "id_token_expires_at"), claims), m -> m.putAll(metadata));
		}
		builder.attribute(Stored.NAME, new Stored(refresh, access, instant(rs, "access_expires_at")));
		String state = rs.getString("state_sha256");
		if (state != null && state.equals(presentedDigest)) {
			builder.attribute(OAuth2ParameterNames.STATE, presentedValue);
		}
		return builder.build();
	}

	/** The authorization request as plain JSON values (the parameters an authorization request carries are strings). */
	private static Map<String, Object> plainRequest(OAuth2AuthorizationRequest request) {
		Map<String, Object> plain = new HashMap<>();
		plain.put("authorizationUri", request.getAuthorizationUri());
		plain.put("clientId", request.getClientId());
		plain.put("redirectUri", request.getRedirectUri());
		plain.put("scopes", List.copyOf(request.getScopes()));
		plain.put("state", request.getState());
		plain.put("additionalParameters", request.getAdditionalParameters());
		plain.put("attributes", request.getAttributes());
		plain.put("authorizationRequestUri", request.getAuthorizationRequestUri());
		return plain;
	}

	@SuppressWarnings("unchecked")
	private static OAuth2AuthorizationRequest request(Map<?, ?> plain) {
		return OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri((String) plain.get("authorizationUri"))
			.clientId((String) plain.get("clientId"))
			.redirectUri((String) plain.get("redirectUri"))
			.scopes(new LinkedHashSet<>(castList(plain.get("scopes"))))
			.state((String) plain.get("state"))
			.additionalParameters(p -> p.putAll((Map<String, Object>) plain.get("additionalParameters")))
			.attributes(a -> a.putAll((Map<String, Object>) plain.get("attributes")))
			.authorizationRequestUri((String) plain.get("authorizationRequestUri"))
			.build();
	}

	private static String value(String digest, String presentedDigest, String presentedValue) {
		return digest.equals(presentedDigest) ? presentedValue : HASHED + digest;
	}

	private Map<String, Object> meta(ResultSet rs, String column) throws SQLException {
		String text = rs.getString(column);
		return text == null ? Map.of() : readMetadata(text);
	}

	/**
	 * Token metadata as plain JSON: the invalidated flag, the token format, and the claims, with instants as epoch
	 * seconds (read back as instants for the registered time claims).
	 */
	private String writeMetadata(Map<String, Object> metadata) {
		Map<String, Object> plain = new HashMap<>();
		metadata.forEach((name, value) -> {
			if (value instanceof OAuth2TokenFormat format) {
				plain.put(name, Map.of(FORMAT, format.getValue()));
			}
			else if (value instanceof Map<?, ?> claims) {
				Map<String, Object> converted = new HashMap<>();
				claims.forEach((claim, claimValue) -> converted.put(String.valueOf(claim),
						claimValue instanceof Instant instant ? instant.getEpochSecond()
								: claimValue instanceof java.net.URL url ? url.toString() : claimValue));
				plain.put(name, converted);
			}
			else {
				plain.put(name, value);
			}
		});
		return this.json.writeValueAsString(plain);
	}

	private Map<String, Object> readMetadata(String text) {
		Map<String, Object> metadata = new HashMap<>(this.json.readValue(text, MAP));
		metadata.replaceAll((name, value) -> {
			if (value instanceof Map<?, ?> map && map.containsKey(FORMAT)) {
				return new OAuth2TokenFormat((String) map.get(FORMAT));
			}
			if (value instanceof Map<?, ?> claims) {
				Map<String, Object> restored = new HashMap<>();
				claims.forEach((claim, claimValue) -> restored.put(String.valueOf(claim),
						TIME_CLAIMS.contains(claim) && claimValue instanceof Number seconds
								? Instant.ofEpochSecond(seconds.longValue()) : claimValue));
				return restored;
			}
			return value;
		});
		return metadata;
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		Timestamp timestamp = rs.getTimestamp(column);
		return timestamp == null ? null : timestamp.toInstant();
	}

	private static Timestamp timestamp(Instant instant) {
		return instant == null ? null : Timestamp.from(instant);
	}

	@SuppressWarnings("unchecked")
	private static List<String> castList(Object value) {
		return value instanceof List<?> list ? (List<String>) list : List.of();
	}

}
