package dev.foyer.session;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.foyer.keys.Digests;

/**
 * Single sign-on sessions, one per tenant per browser, kept in the database so that any node serves any browser.
 * The cookie holds 256 random bits; the database holds only their SHA-256. Starting a session always issues a new
 * cookie value, so a session id known before sign-in is worthless after it.
 */
@Service
public class SsoSessions {

	public static final String COOKIE = "foyer_session";

	static final Duration LIFETIME = Duration.ofHours(24);

	private final JdbcClient jdbc;

	private final Cookies cookies;

	public SsoSessions(JdbcClient jdbc, Cookies cookies) {
		this.jdbc = jdbc;
		this.cookies = cookies;
	}

	/** Starts a session for a freshly authenticated person and sets its cookie; ends the browser's previous one. */
	public SsoSession start(String tenantId, String accountId, List<String> amr, HttpServletRequest request,
			HttpServletResponse response) {
		Cookies.read(request, COOKIE).ifPresent(old -> this.jdbc
			.sql("delete from sso_session where tenant_id = ? and token_sha256 = ?")
			.params(tenantId, Digests.sha256Hex(old))
			.update());
		String token = Digests.randomToken();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		SsoSession session = new SsoSession(UUID.randomUUID().toString(), tenantId, accountId, amr, now, now, now,
				now.plus(LIFETIME), clip(request.getRemoteAddr(), 64), clip(request.getHeader("User-Agent"), 512));
		this.jdbc.sql("""
				insert into sso_session (id, tenant_id, account_id, token_sha256, amr, auth_time, created_at, last_seen_at,
				    expires_at, ip_address, user_agent)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(session.id(), tenantId, accountId, Digests.sha256Hex(token), String.join(" ", amr),
					Timestamp.from(now), Timestamp.from(now), Timestamp.from(now), Timestamp.from(session.expiresAt()),
					session.ipAddress(), session.userAgent())
			.update();
		this.cookies.set(response, tenantId, COOKIE, token, null);
		return session;
	}

	/** The browser's live session in this tenant, if its account is still enabled. */
	public Optional<SsoSession> current(String tenantId, HttpServletRequest request) {
		return Cookies.read(request, COOKIE).flatMap(token -> this.jdbc.sql("""
				select s.* from sso_session s join account a on a.id = s.account_id and a.tenant_id = s.tenant_id
				where s.tenant_id = ? and s.token_sha256 = ? and s.expires_at > ? and a.account_enabled = true""")
			.params(tenantId, Digests.sha256Hex(token), Timestamp.from(Instant.now()))
			.query(SsoSessions::map)
			.optional());
	}

	/** Ends the browser's session in this tenant and clears its cookie. */
	public Optional<SsoSession> end(String tenantId, HttpServletRequest request, HttpServletResponse response) {
		Optional<SsoSession> session = current(tenantId, request);
		Cookies.read(request, COOKIE).ifPresent(token -> this.jdbc
			.sql("delete from sso_session where tenant_id = ? and token_sha256 = ?")
			.params(tenantId, Digests.sha256Hex(token))
			.update());
		this.cookies.clear(response, tenantId, COOKIE);
		return session;
	}

	public List<SsoSession> sessionsOf(String tenantId, String accountId) {
		return this.jdbc.sql("select * from sso_session where tenant_id = ? and account_id = ? and expires_at > ? order by created_at desc")
			.params(tenantId, accountId, Timestamp.from(Instant.now()))
			.query(SsoSessions::map)
			.list();
	}

	@org.springframework.context.event.EventListener
	void signOutEverywhere(dev.foyer.directory.SignOutEverywhere event) {
		endAll(event.tenantId(), event.accountId());
	}

	/** Ends one of an account's sessions, from its account page. */
	public boolean endOne(String tenantId, String accountId, String sessionId) {
		return this.jdbc.sql("delete from sso_session where tenant_id = ? and account_id = ? and id = ?")
			.params(tenantId, accountId, sessionId)
			.update() > 0;
	}

	/** Ends every session of an account (blocked, password reset, deleted). */
	public int endAll(String tenantId, String accountId) {
		return this.jdbc.sql("delete from sso_session where tenant_id = ? and account_id = ?").params(tenantId, accountId).update();
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
