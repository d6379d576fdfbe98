package dev.foyer.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.foyer.keys.Digests;
import dev.foyer.tenant.SessionPolicy;
import dev.foyer.tenant.Tenant;
import dev.foyer.tenant.Tenants;

/**
 * Single sign-on sessions, one per tenant per browser, kept in the database so that any node serves any browser.
 * The cookie holds 256 random bits; the database holds only their SHA-256. Starting a session always issues a new
 * cookie value, so a session id known before sign-in is worthless after it.
 * <p>
 * Each session also remembers the apps that signed in through it ({@code sso_session_app}). A session that ends
 * (signed out, ended on the account page, by a password reset or an administrator, by another person's sign-in in
 * the same browser, or, swept by housekeeping, at the end of its lifetime or idle time) is announced with
 * {@link SsoSessionsEnded}, naming those apps, for back-channel logout.
 */
@Service
public class SsoSessions {

	public static final String COOKIE = "foyer_session";

	/**
	 * How stale a session's {@code last_seen_at} may get before a use writes it again, where the tenant has an idle
	 * timeout: one write a minute per busy session at most, and the timeout at most a minute early.
	 */
	static final Duration SEEN_PRECISION = Duration.ofMinutes(1);

	/** How many sessions housekeeping ends at a time ({@link #endExpired}). */
	static final int EXPIRY_SLICE = 500;

	private final JdbcClient jdbc;

	private final Cookies cookies;

	private final ApplicationEventPublisher events;

	private final Tenants tenants;

	public SsoSessions(JdbcClient jdbc, Cookies cookies, ApplicationEventPublisher events, Tenants tenants) {
		this.jdbc = jdbc;
		this.cookies = cookies;
		this.events = events;
		this.tenants = tenants;
	}

	/** The tenant's session policy in force (from memory). */
	private SessionPolicy policy(String tenantId) {
		return this.tenants.find(tenantId).map(Tenant::effectiveSessionPolicy).orElse(SessionPolicy.DEFAULTS);
	}

	/** Whether a session that has not expired is still within the tenant's idle timeout, if it has one. */
	private static boolean active(SsoSession session, SessionPolicy policy, Instant now) {
		Duration idle = policy.idleTimeout();
		return idle == null || session.lastSeenAt().plus(idle).isAfter(now);
	}

	/**
	 * Starts a session for a freshly authenticated person and sets its cookie, always a new value. When the same
	 * person signs in again in this browser (prompt=login, max_age, a password change), the session goes on under its
	 * id: the apps that hold its {@code sid} keep a session that is still theirs. Another person's session ends.
	 */
	public SsoSession start(String tenantId, String accountId, List<String> amr, HttpServletRequest request,
			HttpServletResponse response) {
		String token = Digests.randomToken();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		String ipAddress = clip(request.getRemoteAddr(), 64);
		String userAgent = clip(request.getHeader("User-Agent"), 512);
		// A new sign-in gives the session the tenant's whole lifetime again, from now.
		SessionPolicy policy = policy(tenantId);
		Duration lifetime = policy.maxLifetime();
		Optional<String> old = Cookies.read(request, COOKIE).map(Digests::sha256Hex);
		Optional<SsoSession> previous = old.flatMap(digest -> this.jdbc
			.sql("select * from sso_session where tenant_id = ? and token_sha256 = ? and account_id = ? and expires_at > ?")
			.params(tenantId, digest, accountId, Timestamp.from(now))
			.query(SsoSessions::map)
			.optional()
			.filter(session -> active(session, policy, now)));
		if (previous.isPresent()) {
			SsoSession renewed = new SsoSession(previous.get().id(), tenantId, accountId, amr, now,
					previous.get().createdAt(), now, now.plus(lifetime), ipAddress, userAgent);
			int updated = this.jdbc.sql("""
					update sso_session set token_sha256 = ?, amr = ?, auth_time = ?, last_seen_at = ?, expires_at = ?,
					    ip_address = ?, user_agent = ?
					where tenant_id = ? and id = ?""")
				.params(Digests.sha256Hex(token), String.join(" ", amr), Timestamp.from(now), Timestamp.from(now),
						Timestamp.from(renewed.expiresAt()), ipAddress, userAgent, tenantId, renewed.id())
				.update();
			if (updated == 1) {
				this.cookies.set(response, tenantId, COOKIE, token, policy.cookieMaxAge(lifetime));
				return renewed;
			}
			// Ended since it was read (signed out everywhere at that moment): a new session, as if there were none.
		}
		else {
			old.ifPresent(digest -> endWhere(tenantId, "token_sha256 = ?", digest));
		}
		SsoSession session = new SsoSession(UUID.randomUUID().toString(), tenantId, accountId, amr, now, now, now,
				now.plus(lifetime), ipAddress, userAgent);
		this.jdbc.sql("""
				insert into sso_session (id, tenant_id, account_id, token_sha256, amr, auth_time, created_at, last_seen_at,
				    expires_at, ip_address, user_agent)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(session.id(), tenantId, accountId, Digests.sha256Hex(token), String.join(" ", amr),
					Timestamp.from(now), Timestamp.from(now), Timestamp.from(now), Timestamp.from(session.expiresAt()),
					ipAddress, userAgent)
			.update();
		this.cookies.set(response, tenantId, COOKIE, token, policy.cookieMaxAge(lifetime));
		return session;
	}

	/**
	 * The browser's live session in this tenant, if its account is still enabled and, where the tenant has an idle
	 * timeout, it was used within it. Where it has one, this use counts: it moves {@code last_seen_at} on.
	 */
	public Optional<SsoSession> current(String tenantId, HttpServletRequest request) {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		SessionPolicy policy = policy(tenantId);
		Optional<SsoSession> found = Cookies.read(request, COOKIE).flatMap(token -> this.jdbc.sql("""
				select s.* from sso_session s join account a on a.id = s.account_id and a.tenant_id = s.tenant_id
				where s.tenant_id = ? and s.token_sha256 = ? and s.expires_at > ? and a.account_enabled = true""")
			.params(tenantId, Digests.sha256Hex(token), Timestamp.from(now))
			.query(SsoSessions::map)
			.optional())
			.filter(session -> active(session, policy, now));
		found.filter(session -> policy.idleTimeout() != null && session.lastSeenAt().plus(SEEN_PRECISION).isBefore(now))
			.ifPresent(session -> this.jdbc.sql("update sso_session set last_seen_at = ? where tenant_id = ? and id = ?")
				.params(Timestamp.from(now), tenantId, session.id())
				.update());
		return found;
	}

	/** Ends the browser's session in this tenant and clears its cookie. */
	public Optional<SsoSession> end(String tenantId, HttpServletRequest request, HttpServletResponse response) {
		Optional<SsoSession> session = current(tenantId, request);
		Cookies.read(request, COOKIE).ifPresent(token -> endWhere(tenantId, "token_sha256 = ?", Digests.sha256Hex(token)));
		this.cookies.clear(response, tenantId, COOKIE);
		return session;
	}

	/**
	 * Remembers that an app signed in through this session (a code was issued to it), once per app and session.
	 */
	public void joined(String tenantId, String sessionId, String applicationId) {
		try {
			this.jdbc.sql("""
					insert into sso_session_app (session_id, application_id, tenant_id)
					select s.id, ?, s.tenant_id from sso_session s
					where s.tenant_id = ? and s.id = ?
					  and not exists (select 1 from sso_session_app j where j.session_id = s.id and j.application_id = ?)""")
				.params(applicationId, tenantId, sessionId, applicationId)
				.update();
		}
		catch (DataIntegrityViolationException raced) {
			// Between the select and the insert, a sign-in of the same app in the same session wrote the row, or the
			// session or the app was deleted: either way there is nothing left to record.
		}
	}

	public List<SsoSession> sessionsOf(String tenantId, String accountId) {
		Instant now = Instant.now();
		SessionPolicy policy = policy(tenantId);
		return this.jdbc.sql("select * from sso_session where tenant_id = ? and account_id = ? and expires_at > ? order by created_at desc")
			.params(tenantId, accountId, Timestamp.from(now))
			.query(SsoSessions::map)
			.list()
			.stream()
			.filter(session -> active(session, policy, now))
			.toList();
	}

	/** The apps that signed in through each of these sessions of the tenant (application ids), by session id. */
	public Map<String, List<String>> applicationsOf(String tenantId, List<String> sessionIds) {
		if (sessionIds.isEmpty()) {
			return Map.of();
		}
		record Joined(String sessionId, String applicationId) {
		}
		return this.jdbc
			.sql("select session_id, application_id from sso_session_app where tenant_id = :tenant and session_id in (:ids)"
					+ " order by session_id, application_id")
			.param("tenant", tenantId)
			.param("ids", sessionIds)
			.query((rs, n) -> new Joined(rs.getString(1), rs.getString(2)))
			.list()
			.stream()
			.collect(Collectors.groupingBy(Joined::sessionId,
					Collectors.mapping(Joined::applicationId, Collectors.toList())));
	}

	/** When the session ends by idleness under the tenant's policy, or null where it has no idle timeout. */
	public Instant idleExpiresAt(SsoSession session) {
		Duration idle = policy(session.tenantId()).idleTimeout();
		return idle == null ? null : session.lastSeenAt().plus(idle);
	}

	@org.springframework.context.event.EventListener
	void signOutEverywhere(dev.foyer.directory.SignOutEverywhere event) {
		endAll(event.tenantId(), event.accountId());
	}

	/**
	 * Ends, in every tenant, the sessions past their lifetime and those idle past their tenant's idle timeout, and
	 * announces them as any other end (back-channel logout). Housekeeping calls it, on one node per cluster. The
	 * sessions are taken {@value #EXPIRY_SLICE} at a time, so that a backlog (an idle timeout just turned on over a
	 * million sessions) is never read into memory at once. Answers how many it ended.
	 */
	public int endExpired(Instant now) {
		int ended = 0;
		Timestamp at = Timestamp.from(now);
		List<String> expiring = this.jdbc.sql("select distinct tenant_id from sso_session where expires_at < ?")
			.param(at)
			.query(String.class)
			.list();
		for (String tenantId : expiring) {
			ended += endInSlices(tenantId, "expires_at < ?", at);
		}
		record IdleTimeout(String tenantId, int seconds) {
		}
		List<IdleTimeout> idle = this.jdbc.sql("select id, session_idle_seconds from tenant where session_idle_seconds > 0")
			.query((rs, n) -> new IdleTimeout(rs.getString(1), rs.getInt(2)))
			.list();
		for (IdleTimeout timeout : idle) {
			ended += endInSlices(timeout.tenantId(), "last_seen_at < ?", Timestamp.from(now.minusSeconds(timeout.seconds())));
		}
		return ended;
	}

	// Any slice will do, so none is sorted: the database stops at the slice's last match instead of ordering every
	// expired session of the tenant once per slice.
	private int endInSlices(String tenantId, String condition, Timestamp bound) {
		int ended = 0;
		while (true) {
			List<String> ids = this.jdbc
				.sql("select id from sso_session where tenant_id = ? and " + condition + " limit " + EXPIRY_SLICE)
				.params(tenantId, bound)
				.query(String.class)
				.list();
			if (ids.isEmpty()) {
				return ended;
			}
			ended += endWhere(tenantId, "id in (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")",
					ids.toArray());
			if (ids.size() < EXPIRY_SLICE) {
				return ended;
			}
		}
	}

	/** Ends one of an account's sessions, from its account page or by an administrator. */
	public boolean endOne(String tenantId, String accountId, String sessionId) {
		return endWhere(tenantId, "account_id = ? and id = ?", accountId, sessionId) > 0;
	}

	/** Ends every session of an account (password reset or changed, revoked by an administrator, deleted). */
	public int endAll(String tenantId, String accountId) {
		return endWhere(tenantId, "account_id = ?", accountId);
	}

	/**
	 * Deletes the tenant's sessions that match {@code condition} (a constant of this class, on columns only
	 * {@code sso_session} has) and announces those that apps signed in through. The apps are read first: their rows
	 * go with the session.
	 */
	private int endWhere(String tenantId, String condition, Object... values) {
		List<Object> params = new ArrayList<>(List.of(tenantId));
		params.addAll(Arrays.asList(values));
		record Joined(String sessionId, String accountId, String applicationId) {
		}
		Map<String, List<Joined>> bySession = this.jdbc
			.sql("select s.id, s.account_id, j.application_id from sso_session s"
					+ " join sso_session_app j on j.session_id = s.id where s.tenant_id = ? and " + condition)
			.params(params)
			.query((rs, n) -> new Joined(rs.getString(1), rs.getString(2), rs.getString(3)))
			.list() // not stream(): a query's stream holds its connection until it is closed
			.stream()
			.collect(Collectors.groupingBy(Joined::sessionId, LinkedHashMap::new, Collectors.toList()));
		int ended = this.jdbc.sql("delete from sso_session where tenant_id = ? and " + condition).params(params).update();
		if (!bySession.isEmpty()) {
			this.events.publishEvent(new SsoSessionsEnded(tenantId, bySession.values()
				.stream()
				.map(apps -> new SsoSessionsEnded.Session(apps.get(0).sessionId(), apps.get(0).accountId(),
						apps.stream().map(Joined::applicationId).toList()))
				.toList()));
		}
		return ended;
	}

	private static SsoSession map(ResultSet rs, int row) throws SQLException {
		return new SsoSession(rs.getString("id"), rs.getString("tenant_id"), rs.getString("account_id"),
				Arrays.asList(rs.getString("amr").split(" ")), rs.getTimestamp("auth_time").toInstant(),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
				rs.getTimestamp("expires_at").toInstant(), rs.getString("ip_address"), rs.getString("user_agent"));
	}

	private static String clip(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
