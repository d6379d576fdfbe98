package dev.foyer.application;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.userflow.UserFlows;
import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.directory.RoleAssignments;
import dev.foyer.tenant.TenantChangedEvent;
import dev.foyer.tenant.TenantDeletedEvent;
import dev.foyer.tenant.TokenPolicy;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * App registrations and their client secrets. The token endpoint reads clients through {@link #client}, which
 * is served from memory and dropped, on every node, after every committed change to the app or its secrets.
 */
@Service
public class Applications {

	static final int DEFAULT_SECRET_DAYS = 180;

	static final int MAX_SECRET_DAYS = 730;

	static final int MAX_SECRETS = 10;

	private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final AuditLog audit;

	private final RoleAssignments roles;

	private final CustomAttributes attributes;

	private final UserFlows userFlows;

	private final NodeCache<Client> clients;

	/**
	 * Client ids by application id, for the look-ups by id of the token endpoints (a stored authorization names its
	 * application by id). An entry outlives its client at worst: the client itself is then looked up again.
	 */
	private final Map<String, String> clientIds = new ConcurrentHashMap<>();

	private final ApplicationEventPublisher events;

	public Applications(JdbcClient jdbc, JsonMapper json, AuditLog audit, RoleAssignments roles,
			CustomAttributes attributes, UserFlows userFlows, CacheChanges changes, ApplicationEventPublisher events) {
		this.clients = changes.cache("client");
		this.events = events;
		this.attributes = attributes;
		this.userFlows = userFlows;
		this.jdbc = jdbc;
		this.json = json;
		this.audit = audit;
		this.roles = roles;
	}

	public record NewApplication(String displayName, String type, List<String> redirectUris,
			List<String> postLogoutRedirectUris) {
	}

	/** What a PATCH changes: {@code null} leaves a field as it is; {@code ""} removes {@code backchannelLogoutUri}. */
	public record ApplicationChanges(String displayName, List<String> redirectUris, List<String> postLogoutRedirectUris,
			TokenPolicy tokenPolicy, Map<String, Object> jwks, List<ClaimMapping> claimsMapping, String userFlowId,
			String groupsClaim, List<AppRole> appRoles, String backchannelLogoutUri) {
	}

	/** A new registration; confidential types get a first secret, returned here and nowhere else. */
	public record Registered(Application application, NewClientSecret secret) {
	}

	@Transactional
	public Registered register(String tenantId, NewApplication request) {
		return register(tenantId, request, UUID.randomUUID().toString(), null);
	}

	/**
	 * Registers with a caller-chosen client id and, for confidential types, secret: for the bootstrap service
	 * application, whose credentials an operator may set in the environment.
	 */
	@Transactional
	public Registered register(String tenantId, NewApplication request, String clientId, String secret) {
		FieldChecks checks = new FieldChecks();
		String displayName = checks.text("displayName", request.displayName(), 256, true);
		String typeName = checks.oneOf("type", request.type(), AppType.wireNames(), true);
		AppType type = typeName == null ? AppType.web : AppType.fromWireName(typeName);
		List<String> redirects = RedirectUris.check(checks, "redirectUris", request.redirectUris(), type);
		List<String> postLogout = RedirectUris.check(checks, "postLogoutRedirectUris", request.postLogoutRedirectUris(), type);
		if (!CLIENT_ID.matcher(clientId).matches()) {
			checks.problem("clientId", "must be 1 to 100 characters of A-Z, a-z, 0-9 and . _ ~ -");
		}
		checks.throwIfAny();
		if (findByClientId(tenantId, clientId).isPresent()) {
			throw ApiException.conflict("An application with this client id already exists in the tenant");
		}
		Instant now = now();
		Application app = new Application(UUID.randomUUID().toString(), tenantId, clientId, displayName, type, redirects,
				postLogout, null, TokenPolicy.NONE, null, List.of(), null, "none", List.of(), null, now, now);
		this.jdbc.sql("""
				insert into application (id, tenant_id, client_id, display_name, app_type, redirect_uris,
				    post_logout_redirect_uris, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(app.id(), tenantId, clientId, displayName, type.name(), this.json.writeValueAsString(redirects),
					this.json.writeValueAsString(postLogout), Timestamp.from(now), Timestamp.from(now))
			.update();
		this.audit.record(tenantId, "application.create", "application", app.id(), null, app);
		// A secret an operator chose (the bootstrap client's) lives as long as secrets may: rotating it is a
		// deliberate act, not a surprise 180 days later.
		NewClientSecret first = type.confidential() ? insertSecret(app, "Initial secret",
				secret == null ? DEFAULT_SECRET_DAYS : MAX_SECRET_DAYS, secret == null ? ClientSecrets.generate() : secret) : null;
		forget(tenantId, clientId);
		return new Registered(app, first);
	}

	public List<Application> list(String tenantId) {
		return this.jdbc.sql("select * from application where tenant_id = ? order by display_name, id")
			.param(tenantId)
			.query(this::map)
			.list();
	}

	public Optional<Application> find(String tenantId, String id) {
		return this.jdbc.sql("select * from application where tenant_id = ? and id = ?")
			.params(tenantId, id)
			.query(this::map)
			.optional();
	}

	public Application get(String tenantId, String id) {
		return find(tenantId, id).orElseThrow(() -> ApiException.notFound("Application"));
	}

	@Transactional
	public Application update(String tenantId, String id, ApplicationChanges changes) {
		Application before = get(tenantId, id);
		FieldChecks checks = new FieldChecks();
		String displayName = changes.displayName() == null ? before.displayName()
				: checks.text("displayName", changes.displayName(), 256, true);
		List<String> redirects = changes.redirectUris() == null ? before.redirectUris()
				: RedirectUris.check(checks, "redirectUris", changes.redirectUris(), before.appType());
		List<String> postLogout = changes.postLogoutRedirectUris() == null ? before.postLogoutRedirectUris()
				: RedirectUris.check(checks, "postLogoutRedirectUris", changes.postLogoutRedirectUris(), before.appType());
		TokenPolicy policy = before.tokenPolicy().overriddenBy(TokenPolicy.check(checks, "tokenPolicy", changes.tokenPolicy()));
		Map<String, Object> jwks = changes.jwks() == null ? before.jwks() : ClientKeys.check(checks, "jwks", changes.jwks(), before.appType());
		List<ClaimMapping> mapping = changes.claimsMapping() == null ? before.claimsMapping()
				: ClaimMapping.check(checks, changes.claimsMapping(), source -> isAttribute(tenantId, source));
		String userFlowId = changes.userFlowId() == null ? before.userFlowId()
				: changes.userFlowId().isEmpty() ? null : changes.userFlowId();
		if (userFlowId != null && !this.userFlows.isSignUpOrSignIn(tenantId, userFlowId)) {
			checks.problem("userFlowId", "is not a sign-up and sign-in user flow of this tenant");
		}
		String groupsClaim = changes.groupsClaim() == null ? before.groupsClaim()
				: checks.oneOf("groupsClaim", changes.groupsClaim(), Application.GROUPS_CLAIMS, true);
		List<AppRole> appRoles = changes.appRoles() == null ? before.appRoles() : AppRole.check(checks, changes.appRoles());
		String backchannelLogoutUri = changes.backchannelLogoutUri() == null ? before.backchannelLogoutUri()
				: changes.backchannelLogoutUri().isEmpty() ? null
				: RedirectUris.checkBackchannelLogout(checks, "backchannelLogoutUri", changes.backchannelLogoutUri(), before.appType());
		checks.throwIfAny();
		Application after = new Application(id, tenantId, before.clientId(), displayName, before.appType(), redirects,
				postLogout, backchannelLogoutUri, policy, jwks, mapping, userFlowId, groupsClaim, appRoles,
				before.tokensValidAfter(), before.createdAt(), now());
		// A role taken away takes its assignments with it, and the services that held it reload the roles they hold.
		java.util.Set<String> kept = appRoles.stream().map(AppRole::id).collect(java.util.stream.Collectors.toSet());
		for (AppRole removed : before.appRoles()) {
			if (!kept.contains(removed.id())) {
				this.jdbc.sql("""
						select p.client_id from app_role_assignment a join application p on p.tenant_id = a.tenant_id and p.id = a.principal_id
						where a.tenant_id = ? and a.application_id = ? and a.app_role_id = ? and a.principal_type = 'ServicePrincipal'""")
					.params(tenantId, id, removed.id())
					.query(String.class)
					.list()
					.forEach(holder -> forget(tenantId, holder));
				this.jdbc.sql("delete from app_role_assignment where tenant_id = ? and application_id = ? and app_role_id = ?")
					.params(tenantId, id, removed.id())
					.update();
			}
		}
		this.jdbc.sql("""
				update application set display_name = ?, redirect_uris = ?, post_logout_redirect_uris = ?,
				    backchannel_logout_uri = ?, access_token_seconds = ?, id_token_seconds = ?, refresh_sliding_seconds = ?, refresh_absolute_seconds = ?,
				    access_token_algorithm = ?, jwks = ?, claims_mapping = ?, user_flow_id = ?, groups_claim = ?, app_roles = ?,
				    updated_at = ?
				where tenant_id = ? and id = ?""")
			.params(displayName, this.json.writeValueAsString(redirects), this.json.writeValueAsString(postLogout),
					backchannelLogoutUri, policy.accessTokenSeconds(), policy.idTokenSeconds(), policy.refreshSlidingSeconds(),
					policy.refreshAbsoluteSeconds(), policy.accessTokenAlgorithm(),
					jwks == null || jwks.isEmpty() ? null : this.json.writeValueAsString(jwks),
					mapping.isEmpty() ? null : this.json.writeValueAsString(mapping), userFlowId,
					"none".equals(groupsClaim) ? null : groupsClaim,
					appRoles.isEmpty() ? null : this.json.writeValueAsString(appRoles), Timestamp.from(after.updatedAt()),
					tenantId, id)
			.update();
		this.audit.record(tenantId, "application.update", "application", id, before, after);
		forget(tenantId, before.clientId());
		return after;
	}

	/**
	 * Replaces the app's claims mapping with an Entra claims mapping policy definition (see {@link ClaimsMappingPolicy}),
	 * checked like any mapping.
	 */
	@Transactional
	public Application putClaimsMappingPolicy(String tenantId, String id, tools.jackson.databind.JsonNode policy) {
		get(tenantId, id);
		FieldChecks checks = new FieldChecks();
		List<ClaimMapping> mapping = ClaimsMappingPolicy.read(checks, policy);
		checks.throwIfAny();
		return update(tenantId, id, new ApplicationChanges(null, null, null, null, null, mapping, null, null, null, null));
	}

	@Transactional
	public void delete(String tenantId, String id) {
		Application before = get(tenantId, id);
		this.roles.revokeAll(tenantId, id);
		// Its roles held by others go with the application (foreign key); the roles it holds as a service go here.
		this.jdbc.sql("delete from app_role_assignment where tenant_id = ? and principal_id = ?").params(tenantId, id).update();
		// Services that held its roles lose them: their in-memory clients reload.
		this.jdbc.sql("""
				select p.client_id from app_role_assignment a join application p on p.tenant_id = a.tenant_id and p.id = a.principal_id
				where a.tenant_id = ? and a.application_id = ? and a.principal_type = 'ServicePrincipal'""")
			.params(tenantId, id)
			.query(String.class)
			.list()
			.forEach(clientId -> forget(tenantId, clientId));
		this.jdbc.sql("delete from application where tenant_id = ? and id = ?").params(tenantId, id).update();
		this.audit.record(tenantId, "application.delete", "application", id, before, null);
		forget(tenantId, before.clientId());
	}

	/**
	 * Revokes every token the app holds or was given until now: its {@code client_credentials} tokens, which are never
	 * stored, by the moment recorded here ({@link Application#revoked}, which introspection and the admin API check
	 * from memory), and its people's refresh and access tokens through {@link TokensRevoked}, whose listener deletes
	 * their authorizations. What an admin does when the app's secret has leaked, next to replacing the secret. An API
	 * that validates the app's access tokens itself still accepts them until they expire.
	 */
	@Transactional
	public Application revokeTokens(String tenantId, String id) {
		Application before = get(tenantId, id);
		Instant now = now();
		Application after = new Application(before.id(), before.tenantId(), before.clientId(), before.displayName(),
				before.appType(), before.redirectUris(), before.postLogoutRedirectUris(), before.backchannelLogoutUri(),
				before.tokenPolicy(), before.jwks(), before.claimsMapping(), before.userFlowId(), before.groupsClaim(),
				before.appRoles(), now, before.createdAt(), now);
		this.jdbc.sql("update application set tokens_valid_after = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(Timestamp.from(now), Timestamp.from(now), tenantId, id)
			.update();
		this.events.publishEvent(new TokensRevoked(tenantId, id));
		this.audit.record(tenantId, "application.revokeTokens", "application", id, before, after);
		forget(tenantId, before.clientId());
		return after;
	}

	@Transactional
	public NewClientSecret addSecret(String tenantId, String applicationId, String displayName, Integer expiresInDays) {
		Application app = get(tenantId, applicationId);
		FieldChecks checks = new FieldChecks();
		String name = checks.text("displayName", displayName, 256, false);
		int days = checks.range("expiresInDays", expiresInDays, 1, MAX_SECRET_DAYS, DEFAULT_SECRET_DAYS);
		if (!app.appType().confidential()) {
			checks.problem("type", "a public (" + app.type() + ") application has no secrets");
		}
		checks.throwIfAny();
		if (secrets(tenantId, applicationId).size() >= MAX_SECRETS) {
			throw ApiException.conflict("An application has at most " + MAX_SECRETS + " secrets; remove one first");
		}
		NewClientSecret secret = insertSecret(app, name, days, ClientSecrets.generate());
		forget(tenantId, app.clientId());
		return secret;
	}

	public List<ClientSecretInfo> secrets(String tenantId, String applicationId) {
		get(tenantId, applicationId);
		return this.jdbc.sql("select * from client_secret where tenant_id = ? and application_id = ? order by created_at, id")
			.params(tenantId, applicationId)
			.query((rs, n) -> new ClientSecretInfo(rs.getString("id"), rs.getString("display_name"), rs.getString("hint"),
					rs.getTimestamp("expires_at").toInstant(), rs.getTimestamp("created_at").toInstant()))
			.list();
	}

	@Transactional
	public void removeSecret(String tenantId, String applicationId, String secretId) {
		Application app = get(tenantId, applicationId);
		ClientSecretInfo before = secrets(tenantId, applicationId).stream()
			.filter(s -> s.id().equals(secretId))
			.findFirst()
			.orElseThrow(() -> ApiException.notFound("Secret"));
		this.jdbc.sql("delete from client_secret where tenant_id = ? and application_id = ? and id = ?")
			.params(tenantId, applicationId, secretId)
			.update();
		this.audit.record(tenantId, "application.secret.remove", "application", applicationId, before, null);
		forget(tenantId, app.clientId());
	}

	/**
	 * The client with this id in this tenant, from memory after the first look-up. Absence is not cached: unknown
	 * client ids come from anyone and must not fill memory.
	 */
	public Optional<Client> client(String tenantId, String clientId) {
		return this.clients.get(key(tenantId, clientId), key -> findByClientId(tenantId, clientId).map(app -> {
			// The index by application id gains its pair on each load, never on a hit.
			this.clientIds.put(key(tenantId, app.id()), clientId);
			return new Client(app,
				this.jdbc.sql("select secret_sha256, expires_at from client_secret where tenant_id = ? and application_id = ?")
					.params(tenantId, app.id())
					.query((rs, n) -> new Client.SecretDigest(rs.getString(1), rs.getTimestamp(2).toInstant()))
					.list(),
				this.jdbc.sql("""
						select r.client_id, a.app_role_id from app_role_assignment a
						join application r on r.tenant_id = a.tenant_id and r.id = a.application_id
						where a.tenant_id = ? and a.principal_type = 'ServicePrincipal' and a.principal_id = ?
						order by r.client_id, a.app_role_id""")
					.params(tenantId, app.id())
					.query((rs, n) -> new Client.HeldRole(rs.getString(1), rs.getString(2)))
					.list());
		}));
	}

	/** The client of this application (by its id), from memory after the first look-up, like {@link #client}. */
	public Optional<Client> clientOfApplication(String tenantId, String applicationId) {
		String clientId = this.clientIds.get(key(tenantId, applicationId));
		if (clientId != null) {
			Optional<Client> client = client(tenantId, clientId);
			if (client.isPresent() && client.get().application().id().equals(applicationId)) {
				return client;
			}
		}
		return find(tenantId, applicationId).flatMap(app -> client(tenantId, app.clientId()));
	}

	@EventListener
	void tenantDeleted(TenantDeletedEvent event) {
		forgetTenant(event.tenantId());
	}

	@EventListener
	void tenantChanged(TenantChangedEvent event) {
		forgetTenant(event.tenantId());
	}

	private void forgetTenant(String tenantId) {
		String prefix = tenantId + "\n";
		this.clients.forgetIf(key -> key.startsWith(prefix));
		this.clientIds.keySet().removeIf(key -> key.startsWith(prefix));
	}

	private boolean isAttribute(String tenantId, String name) {
		if (name.startsWith(ClaimMapping.CUSTOM_CLAIMS_PROVIDER)) {
			return name.length() > ClaimMapping.CUSTOM_CLAIMS_PROVIDER.length() && name.length() <= 150;
		}
		return CustomAttributes.BUILT_IN.contains(name) && !name.equals("password") && !name.equals("accountType")
				|| this.attributes.find(tenantId, name).isPresent();
	}

	private Optional<Application> findByClientId(String tenantId, String clientId) {
		return this.jdbc.sql("select * from application where tenant_id = ? and client_id = ?")
			.params(tenantId, clientId)
			.query(this::map)
			.optional();
	}

	private NewClientSecret insertSecret(Application app, String displayName, int days, String secret) {
		Instant now = now();
		ClientSecretInfo info = new ClientSecretInfo(UUID.randomUUID().toString(), displayName, secret.substring(0, 3),
				now.plus(Duration.ofDays(days)), now);
		this.jdbc.sql("""
				insert into client_secret (id, application_id, tenant_id, display_name, hint, secret_sha256, expires_at, created_at)
				values (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(info.id(), app.id(), app.tenantId(), displayName, info.hint(), ClientSecrets.sha256Hex(secret),
					Timestamp.from(info.expiresAt()), Timestamp.from(now))
			.update();
		this.audit.record(app.tenantId(), "application.secret.add", "application", app.id(), null, info);
		return new NewClientSecret(info, secret);
	}

	/** Drops the in-memory client of this application (its held roles changed) on every node, after commit. */
	void forgetApplication(String tenantId, String applicationId) {
		find(tenantId, applicationId).ifPresent(app -> forget(tenantId, app.clientId()));
	}

	private void forget(String tenantId, String clientId) {
		this.clients.changed(key(tenantId, clientId));
	}

	private static String key(String tenantId, String clientId) {
		return tenantId + "\n" + clientId;
	}

	private Application map(ResultSet rs, int row) throws SQLException {
		TypeReference<List<String>> strings = new TypeReference<>() {
		};
		String jwks = rs.getString("jwks");
		String mapping = rs.getString("claims_mapping");
		return new Application(rs.getString("id"), rs.getString("tenant_id"), rs.getString("client_id"),
				rs.getString("display_name"), AppType.valueOf(rs.getString("app_type")),
				this.json.readValue(rs.getString("redirect_uris"), strings),
				this.json.readValue(rs.getString("post_logout_redirect_uris"), strings), rs.getString("backchannel_logout_uri"),
				new TokenPolicy((Integer) rs.getObject("access_token_seconds"), (Integer) rs.getObject("id_token_seconds"),
						(Integer) rs.getObject("refresh_sliding_seconds"), (Integer) rs.getObject("refresh_absolute_seconds"),
						rs.getString("access_token_algorithm")),
				jwks == null ? null : this.json.readValue(jwks, new TypeReference<Map<String, Object>>() {
				}), mapping == null ? List.of() : this.json.readValue(mapping, new TypeReference<List<ClaimMapping>>() {
				}), rs.getString("user_flow_id"), rs.getString("groups_claim") == null ? "none" : rs.getString("groups_claim"),
				rs.getString("app_roles") == null ? List.of() : this.json.readValue(rs.getString("app_roles"),
						new TypeReference<List<AppRole>>() {
						}),
				rs.getTimestamp("tokens_valid_after") == null ? null : rs.getTimestamp("tokens_valid_after").toInstant(),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
