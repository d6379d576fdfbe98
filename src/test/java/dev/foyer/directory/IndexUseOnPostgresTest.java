package dev.foyer.directory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/**
 * The look-ups that must stay fast with a million accounts in a tenant, proven with PostgreSQL's EXPLAIN: each one
 * reads an index on the column it looks up. Sequential scans are switched off too, so a plan can only avoid an index
 * that does not exist (it then shows a disabled "Seq Scan").
 */
@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class IndexUseOnPostgresTest extends FoyerIntegrationTest {

	@Autowired
	private DataSource dataSource;

	/** Each case: the column its index must look up, then the query, as the code sends it. */
	private static final List<String> LOOK_UPS = List.of(
			// sign-in: the account by its address
			"email_normalized => select * from account where tenant_id = 't' and email_normalized = 'a@example.com'",
			// admin search by email prefix, one page in email order
			"email_normalized => select email_normalized, id from account where tenant_id = 't' and email_normalized >= 'ab'"
					+ " and email_normalized < 'ac' and email_normalized like 'ab%' escape '\\' order by tenant_id,"
					+ " email_normalized limit 51",
			// admin search by display-name prefix
			"display_name_lower => select email_normalized, id from account where tenant_id = 't' and display_name_lower >= 'ab'"
					+ " and display_name_lower < 'ac' and display_name_lower like 'ab%' escape '\\' limit 51",
			// a blocked account's tokens stop: the check made on every token use
			"id => select count(*) from account where tenant_id = 't' and id = 'x' and account_enabled = true",
			// a token presented at the token, userinfo, introspection and revocation endpoints
			"access_sha256 => select * from oauth2_authorization where tenant_id = 't' and access_sha256 = 'd'",
			"refresh_sha256 => select * from oauth2_authorization where tenant_id = 't' and refresh_sha256 = 'd'",
			"code_sha256 => select * from oauth2_authorization where tenant_id = 't' and code_sha256 = 'd'",
			// a reused refresh token
			"token_sha256 => select authorization_id from refresh_token_used where tenant_id = 't' and token_sha256 = 'd'",
			// an account's sessions (sign out everywhere) and its groups (the groups claim)
			"account_id => select * from sso_session where tenant_id = 't' and account_id = 'x'",
			"account_id => select group_id from group_member where tenant_id = 't' and account_id = 'x'",
			// the roles a service holds, loaded with its client
			"principal_id => select app_role_id from app_role_assignment where tenant_id = 't' and principal_id = 'x'",
			// the same searches with a generic plan
			"display_name_lower => execute display_prefix('t', 'p 1', 'p 2', 'p 1%', 51)",
			"email_normalized => execute email_prefix('t', 'p1', 'p2', 'p1%', 51)",
			// lockout: an address's recent failures
			"subject_key => select count(*) from sign_in_failure where tenant_id = 't' and subject_key = 'k' and failed_at > now()");

	/**
	 * A tenant of 20,000 accounts and authorizations, analyzed, inside a transaction that is rolled back: with
	 * statistics of a table that size the planner picks the index that fits, as it would with a million.
	 */
	private static final String[] SCRATCH = {
			"insert into tenant (id, display_name, signing_algorithm, created_at, updated_at)"
					+ " values ('t', 'Explain', 'RS256', now(), now())",
			"insert into account (id, tenant_id, account_type, email, email_normalized, display_name, display_name_lower,"
					+ " account_enabled, email_verified, created_at, updated_at) select 'a' || n, 't', 'customer',"
					+ " 'p' || n || '@example.com', 'p' || n || '@example.com', 'P ' || n, 'p ' || n, true, true, now(), now()"
					+ " from generate_series(1, 20000) n",
			"insert into oauth2_authorization (id, tenant_id, registered_client_id, principal_name, grant_type,"
					+ " family_created_at, access_sha256, refresh_sha256, code_sha256) select 'z' || n, 't', 'c', 'a' || n,"
					+ " 'authorization_code', now(), md5('a' || n), md5('r' || n), md5('c' || n) from generate_series(1, 20000) n",
			"analyze account", "analyze oauth2_authorization", "set local enable_seqscan = off",
			// The admin search as the driver runs it after a few executions: a prepared statement with PostgreSQL's
			// generic plan, which compares with the plain operators (not the LIKE prefix's pattern operators).
			"prepare display_prefix(text, text, text, text, int) as select email_normalized, id from account"
					+ " where tenant_id = $1 and display_name_lower >= $2 and display_name_lower < $3 and display_name_lower"
					+ " like $4 escape '\\' order by email_normalized || '' limit $5",
			"prepare email_prefix(text, text, text, text, int) as select email_normalized, id from account"
					+ " where tenant_id = $1 and email_normalized >= $2 and email_normalized < $3 and email_normalized"
					+ " like $4 escape '\\' order by tenant_id, email_normalized limit $5",
			"set local plan_cache_mode = force_generic_plan" };

	@Test
	void everyHotLookUpReadsAnIndex() throws Exception {
		SoftAssertions softly = new SoftAssertions();
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				for (String sql : SCRATCH) {
					statement.execute(sql);
				}
				for (String expectation : LOOK_UPS) {
					String column = expectation.substring(0, expectation.indexOf(" => "));
					String query = expectation.substring(expectation.indexOf(" => ") + 4);
					List<String> plan = new ArrayList<>();
					try (ResultSet rs = statement.executeQuery("explain " + query)) {
						while (rs.next()) {
							plan.add(rs.getString(1));
						}
					}
					// An index scan that only filters on the column would not do: it must be in the index condition.
					softly.assertThat(String.join("\n", plan)).as(query).doesNotContain("Seq Scan")
						.containsPattern("Index Cond: .*\\b" + column + "\\b");
				}
			}
			finally {
				connection.rollback();
				try (Statement statement = connection.createStatement()) {
					statement.execute("deallocate all");
				}
				connection.setAutoCommit(true);
			}
		}
		softly.assertAll();
	}

}
