package dev.foyer.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.audit.AuditLog;
import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.keys.SigningAlgorithm;
import dev.foyer.keys.SigningKeys;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

/**
 * Creates, finds, renames and deletes tenants. Tenants are served from memory: every OAuth request resolves
 * its tenant, and that must cost no database round trip. After a tenant changed on any node, every node publishes
 * {@link TenantChangedEvent} or {@link TenantDeletedEvent} for itself, so that what it derived is rebuilt.
 */
@Service
public class Tenants {

	private static final Pattern SLUG = Pattern.compile("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$");

	/** Names that would confuse people or collide with Foyer's own paths. */
	static final Set<String> RESERVED = Set.of("admin", "api", "t", "www", "foyer", "system", "root", "master",
			"default", "common", "organizations", "consumers", "public", "static", "assets", "login", "logout",
			"oauth2", "well-known", "actuator", "health", "metrics", "console", "account", "null", "undefined");

	private final JdbcClient jdbc;

	private final SigningKeys signingKeys;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	private final NodeCache<Tenant> cache;

	public Tenants(JdbcClient jdbc, SigningKeys signingKeys, AuditLog audit, ApplicationEventPublisher events,
			CacheChanges changes) {
		this.jdbc = jdbc;
		this.signingKeys = signingKeys;
		this.audit = audit;
		this.events = events;
		this.cache = changes.cache("tenant", this::announce);
	}

	public record NewTenant(String id, String displayName, String signingAlgorithm) {
	}

	@Transactional
	public Tenant create(NewTenant request) {
		FieldChecks checks = new FieldChecks();
		String id = request.id();
		if (id == null || id.isBlank()) {
			checks.problem("id", "is required");
		}
		else if (!SLUG.matcher(id).matches()) {
			checks.problem("id", "must be 3 to 40 characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
		}
		else if (RESERVED.contains(id)) {
			checks.problem("id", "'" + id + "' is reserved");
		}
		String displayName = checks.text("displayName", request.displayName(), 256, true);
		String algorithm = checks.oneOf("signingAlgorithm", request.signingAlgorithm(), SigningAlgorithm.names(), false);
		checks.throwIfAny();
		return insert(id, displayName, algorithm == null ? SigningAlgorithm.RS256 : SigningAlgorithm.valueOf(algorithm));
	}

	/** Creates the operators' tenant at first start; its id is reserved for everyone else. */
	@Transactional
	public Tenant createAdminTenant() {
		return insert(Tenant.ADMIN, "Foyer administration", SigningAlgorithm.RS256);
	}

	private Tenant insert(String id, String displayName, SigningAlgorithm algorithm) {
		if (find(id).isPresent()) {
			throw ApiException.conflict("A tenant with id '" + id + "' already exists");
		}
		Instant now = now();
		this.jdbc.sql("insert into tenant (id, display_name, signing_algorithm, created_at, updated_at) values (?, ?, ?, ?, ?)")
			.params(id, displayName, algorithm.name(), Timestamp.from(now), Timestamp.from(now))
			.update();
		this.signingKeys.createInitialKeys(id);
		Tenant tenant = new Tenant(id, displayName, algorithm, TokenPolicy.NONE, SessionPolicy.NONE, now, now);
		this.audit.record(id, "tenant.create", "tenant", id, null, tenant);
		this.cache.changed(id);
		return tenant;
	}

	public Optional<Tenant> find(String id) {
		if (id == null) {
			return Optional.empty();
		}
		return this.cache.get(id, key -> this.jdbc.sql("select * from tenant where id = ?").param(key).query(Tenants::map).optional());
	}

	public Tenant get(String id) {
		return find(id).orElseThrow(() -> ApiException.notFound("Tenant"));
	}

	public List<Tenant> list() {
		return this.jdbc.sql("select * from tenant order by id").query(Tenants::map).list();
	}

	/** Renames the tenant and/or changes its token or session policy; absent values stay as they are. */
	@Transactional
	public Tenant update(String id, String newDisplayName, TokenPolicy newPolicy, SessionPolicy newSessionPolicy) {
		Tenant before = get(id);
		FieldChecks checks = new FieldChecks();
		String displayName = newDisplayName == null ? before.displayName() : checks.text("displayName", newDisplayName, 256, true);
		TokenPolicy policy = TokenPolicy.check(checks, "tokenPolicy", newPolicy);
		SessionPolicy sessionPolicy = SessionPolicy.check(checks, "sessionPolicy", newSessionPolicy,
				before.effectiveSessionPolicy());
		checks.throwIfAny();
		TokenPolicy merged = before.tokenPolicy().overriddenBy(policy);
		SessionPolicy sessions = before.sessionPolicy().overriddenBy(sessionPolicy);
		Instant now = now();
		this.jdbc.sql("""
				update tenant set display_name = ?, access_token_seconds = ?, id_token_seconds = ?, refresh_sliding_seconds = ?,
				    refresh_absolute_seconds = ?, access_token_algorithm = ?, session_max_seconds = ?, session_idle_seconds = ?,
				    session_persistent = ?, updated_at = ? where id = ?""")
			.params(displayName, merged.accessTokenSeconds(), merged.idTokenSeconds(), merged.refreshSlidingSeconds(),
					merged.refreshAbsoluteSeconds(), merged.accessTokenAlgorithm(), sessions.maxSeconds(),
					sessions.idleSeconds(), sessions.persistent(), Timestamp.from(now), id)
			.update();
		Tenant after = new Tenant(id, displayName, before.signingAlgorithm(), merged, sessions, before.createdAt(), now);
		this.audit.record(id, "tenant.update", "tenant", id, before, after);
		this.cache.changed(id);
		return after;
	}

	/** Rotates the tenant's signing keys, with overlap: see {@link SigningKeys#rotate}. */
	@Transactional
	public void rotateKeys(String id) {
		get(id);
		this.signingKeys.rotate(id);
		this.audit.record(id, "keys.rotate", "tenant", id, null, null);
	}

	/**
	 * Deletes the tenant and everything of it: accounts, credentials, groups, applications, keys, its audit
	 * trail. The deletion itself is audited in the admin tenant, which outlives it.
	 */
	@Transactional
	public void delete(String id, String confirmation) {
		Tenant tenant = get(id);
		if (Tenant.ADMIN.equals(id)) {
			throw ApiException.forbidden("The admin tenant cannot be deleted");
		}
		if (!id.equals(confirmation)) {
			throw ApiException.invalid("confirm", "must repeat the tenant id to confirm the irreversible deletion");
		}
		// Foreign keys cascade from tenant to keys, accounts, group memberships, applications and secrets.
		this.jdbc.sql("delete from tenant where id = ?").param(id).update();
		this.jdbc.sql("delete from refresh_token_used where tenant_id = ?").param(id).update();
		this.jdbc.sql("delete from access_token_replaced where tenant_id = ?").param(id).update();
		this.jdbc.sql("delete from sign_in_failure where tenant_id = ?").param(id).update();
		this.audit.deleteTenant(id);
		this.audit.record(Tenant.ADMIN, "tenant.delete", "tenant", id, tenant, null);
		this.cache.changed(id);
		this.signingKeys.forget(id);
	}

	/**
	 * After a tenant changed, here or on another node, and its entry was dropped: tells this node's listeners
	 * whether it changed or is gone, as the database now says.
	 */
	private void announce(String id) {
		if (find(id).isPresent()) {
			this.events.publishEvent(new TenantChangedEvent(id));
		}
		else {
			this.events.publishEvent(new TenantDeletedEvent(id));
		}
	}

	private static Tenant map(ResultSet rs, int row) throws SQLException {
		return new Tenant(rs.getString("id"), rs.getString("display_name"),
				SigningAlgorithm.valueOf(rs.getString("signing_algorithm")),
				new TokenPolicy((Integer) rs.getObject("access_token_seconds"), (Integer) rs.getObject("id_token_seconds"),
						(Integer) rs.getObject("refresh_sliding_seconds"), (Integer) rs.getObject("refresh_absolute_seconds"),
						rs.getString("access_token_algorithm")),
				new SessionPolicy((Integer) rs.getObject("session_max_seconds"), (Integer) rs.getObject("session_idle_seconds"),
						(Boolean) rs.getObject("session_persistent")),
				rs.getTimestamp("created_at").toInstant(),
				rs.getTimestamp("updated_at").toInstant());
	}

	// Databases keep microseconds at best; truncating here makes what we answer equal what we later read back.
	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}
