package dev.foyer.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A listing of one tenant's rows of a log table (audit events, sign-in attempts): exact filters where given, a time
 * window, newest first, keyset-paged by id, with one row more than the page to tell whether another follows.
 */
final class TenantLogQuery {

	private final StringBuilder sql;

	private final Map<String, Object> params = new HashMap<>();

	TenantLogQuery(String table, String tenantId) {
		this.sql = new StringBuilder("select * from " + table + " where tenant_id = :tenant");
		this.params.put("tenant", tenantId);
	}

	/** Only rows whose {@code column} equals {@code value}, where it is not null. */
	TenantLogQuery equal(String column, Object value) {
		if (value != null) {
			this.sql.append(" and ").append(column).append(" = :").append(column);
			this.params.put(column, value);
		}
		return this;
	}

	/** Rows at or after {@code since} and before {@code until}, where they are not null. */
	TenantLogQuery window(Instant since, Instant until) {
		if (since != null) {
			this.sql.append(" and occurred_at >= :since");
			this.params.put("since", Timestamp.from(since));
		}
		if (until != null) {
			this.sql.append(" and occurred_at < :until");
			this.params.put("until", Timestamp.from(until));
		}
		return this;
	}

	<T> List<T> page(JdbcClient jdbc, Long beforeId, int limit, RowMapper<T> rows) {
		if (beforeId != null) {
			this.sql.append(" and id < :beforeId");
			this.params.put("beforeId", beforeId);
		}
		this.sql.append(" order by id desc limit :limit");
		this.params.put("limit", limit + 1);
		return jdbc.sql(this.sql.toString()).params(this.params).query(rows).list();
	}

}
