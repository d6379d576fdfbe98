package dev.foyer.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.slf4j.MDC;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit trail of admin changes. {@link #record} joins the caller's transaction, so a change and its audit
 * row commit or roll back together. Callers pass views of the before and after state that hold no secrets.
 */
@Service
public class AuditLog {

	private static final Actor SYSTEM = new Actor() {
		@Override
		public String actorType() {
			return "system";
		}

		@Override
		public String actorId() {
			return "foyer";
		}

		@Override
		public String actorTenant() {
			return null;
		}
	};

	private final JdbcClient jdbc;

	private final JsonMapper json;

	public AuditLog(JdbcClient jdbc, JsonMapper json) {
		this.jdbc = jdbc;
		this.json = json;
	}

	public void record(String tenantId, String action, String targetType, String targetId, Object before, Object after) {
		Actor actor = currentActor();
		this.jdbc.sql("""
				insert into audit_event (tenant_id, occurred_at, actor_type, actor_id, actor_tenant, action,
				    target_type, target_id, before_state, after_state, request_id)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(tenantId, Timestamp.from(Instant.now()), actor.actorType(), actor.actorId(), actor.actorTenant(),
					action, targetType, targetId, toJson(before), toJson(after), MDC.get("requestId"))
			.update();
	}

	/** Filters of a listing; null means any. Newest first, keyset-paged by id; one row more than the limit is read. */
	public record Query(String action, String actorId, String targetId, Instant since, Instant until, Long beforeId,
			int limit) {
	}

	public List<AuditEvent> list(String tenantId, Query query) {
		return new TenantLogQuery("audit_event", tenantId).equal("action", query.action())
			.equal("actor_id", query.actorId())
			.equal("target_id", query.targetId())
			.window(query.since(), query.until())
			.page(this.jdbc, query.beforeId(), query.limit(), this::map);
	}

	/** Deletes the tenant's audit trail and its sign-in log. */
	public void deleteTenant(String tenantId) {
		this.jdbc.sql("delete from audit_event where tenant_id = ?").param(tenantId).update();
		this.jdbc.sql("delete from sign_in_event where tenant_id = ?").param(tenantId).update();
	}

	private AuditEvent map(ResultSet rs, int row) throws SQLException {
		return new AuditEvent(rs.getLong("id"), rs.getString("tenant_id"), rs.getTimestamp("occurred_at").toInstant(),
				rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("actor_tenant"), rs.getString("action"),
				rs.getString("target_type"), rs.getString("target_id"), fromJson(rs.getString("before_state")),
				fromJson(rs.getString("after_state")), rs.getString("request_id"));
	}

	private String toJson(Object state) {
		return state == null ? null : this.json.writeValueAsString(state);
	}

	private JsonNode fromJson(String text) {
		return text == null ? null : this.json.readTree(text);
	}

	private static Actor currentActor() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof Actor actor) {
			return actor;
		}
		return SYSTEM;
	}

}
