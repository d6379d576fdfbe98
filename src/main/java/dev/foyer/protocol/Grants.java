package dev.foyer.protocol;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** What an account has granted apps: the apps holding its refresh tokens, for its account page. */
@Service
public class Grants {

	private final JdbcClient jdbc;

	Grants(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An app holding refresh tokens of the account. */
	public record AppGrant(String applicationId, String displayName, java.time.Instant since) {
	}

	public List<AppGrant> appsOf(String tenantId, String accountId) {
		return this.jdbc.sql("""
				select a.id, a.display_name, min(z.family_created_at) as since
				from oauth2_authorization z join application a on a.id = z.registered_client_id and a.tenant_id = z.tenant_id
				where z.tenant_id = ? and z.principal_name = ? and z.refresh_sha256 is not null
				group by a.id, a.display_name order by a.display_name""")
			.params(tenantId, accountId)
			.query((rs, n) -> new AppGrant(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
			.list();
	}

	/** Revokes every authorization (refresh token) the account gave this app. */
	public int revoke(String tenantId, String accountId, String applicationId) {
		return this.jdbc.sql("delete from oauth2_authorization where tenant_id = ? and principal_name = ? and registered_client_id = ?")
			.params(tenantId, accountId, applicationId)
			.update();
	}

}
