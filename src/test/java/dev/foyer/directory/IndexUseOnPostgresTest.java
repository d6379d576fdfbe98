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
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterUtils;
import org.springframework.jdbc.core.namedparam.ParsedSql;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Api;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

import tools.jackson.databind.JsonNode;

/**
 * The look-ups that must stay fast with a million accounts in a tenant, proven with PostgreSQL's EXPLAIN: each one
 * reads an index on the column it looks up, and the admin search no more than a page however many accounts match.
 * Sequential scans are switched off too, so a plan can only avoid an index that does not exist (it then shows a
 * disabled "Seq Scan").
 */
@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class IndexUseOnPostgresTest extends FoyerIntegrationTest {

	@Autowired
	private DataSource dataSource;

	/** Each case: the column its index must look up, then the query, as the code sends it. */
	private static final List<String> LOOK_UPS = List.of(
			// sign-in: the account by its address
			"email_normalized => select * from account where tenant_id = 't' and email_normalized = 'a@example.com'",
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
			// the apps a session signed in, read when it ends, and their rows when an app is deleted
			"session_id => select application_id from sso_session_app where session_id = 's1'",
			"application_id => select 1 from sso_session_app where application_id = 'x'",
			// the roles a service holds, loaded with its client
			"principal_id => select app_role_id from app_role_assignment where tenant_id = 't' and principal_id = 'x'",
			// housekeeping: the oldest audit events past their retention, a slice at a time
			"occurred_at => select id from audit_event where occurred_at < now() order by occurred_at limit 10000",
			// the sign-in log of an account, and its entries past their retention
			"account_id => select * from sign_in_event where tenant_id = 't' and account_id = 'x' order by id desc limit 51",
			"occurred_at => select id from sign_in_event where occurred_at < now() order by occurred_at limit 10000",
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
			"insert into application (id, tenant_id, client_id, display_name, app_type, redirect_uris,"
					+ " post_logout_redirect_uris, created_at, updated_at) values ('app', 't', 'app', 'App', 'web', '[]', '[]',"
					+ " now(), now())",
			"insert into sso_session (id, tenant_id, account_id, token_sha256, amr, auth_time, created_at, last_seen_at,"
					+ " expires_at) select 's' || n, 't', 'a' || n, md5('s' || n), 'pwd', now(), now(), now(), now()"
					+ " from generate_series(1, 20000) n",
			"insert into sso_session_app (session_id, application_id, tenant_id) select 's' || n, 'app', 't'"
					+ " from generate_series(1, 20000) n",
			"analyze account", "analyze oauth2_authorization", "analyze sso_session_app", "set local enable_seqscan = off" };

	@Test
	void everyHotLookUpReadsAnIndex() throws Exception {
		SoftAssertions softly = new SoftAssertions();
		onScratchTenant(statement -> {
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
		});
		softly.assertAll();
	}

	/**
	 * The admin search reads one page whatever the number of matches: every search below matches all 20,000 accounts
	 * of the scratch tenant ("p" by email, "p " by display name, which shares its first character with the email),
	 * and must read no more than a page per branch, with the plan PostgreSQL makes for the first executions of the
	 * prepared statement (custom) and the one it may keep after them (generic, where the LIKE cannot become a range).
	 */
	@Test
	void adminSearchReadsOnePageWhateverTheNumberOfMatches() throws Exception {
		record Search(String text, boolean emailOnly, AccountSearch.Cursor after, int branches) {
		}
		List<Search> searches = List.of(new Search("p", false, null, 2), new Search("p ", false, null, 3),
				new Search("p ", false, new AccountSearch.Cursor("p 5", "a5"), 3), new Search("p", true, null, 1),
				new Search("P 1", false, new AccountSearch.Cursor("p 1", "a1"), 4));
		SoftAssertions softly = new SoftAssertions();
		onScratchTenant(statement -> {
			int number = 0;
			for (Search search : searches) {
				AccountSearch.Statement page = AccountSearch.statement("t", search.text(), search.emailOnly(), search.after(), 51);
				ParsedSql parsed = NamedParameterUtils.parseSqlStatement(page.sql());
				MapSqlParameterSource params = new MapSqlParameterSource(page.params());
				String sql = NamedParameterUtils.substituteNamedParameters(parsed, params);
				for (int i = 1; sql.contains("?"); i++) {
					sql = sql.replaceFirst("\\?", "\\$" + i);
				}
				List<String> literals = new ArrayList<>();
				for (Object value : NamedParameterUtils.buildValueArray(parsed, params, null)) {
					literals.add(value instanceof Integer ? value.toString() : "'" + value.toString().replace("'", "''") + "'");
				}
				String name = "search" + number++;
				statement.execute("prepare " + name + " as " + sql);
				for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
					statement.execute("set local plan_cache_mode = " + mode);
					JsonNode plan;
					try (ResultSet rs = statement.executeQuery(
							"explain (analyze, format json) execute " + name + "(" + String.join(", ", literals) + ")")) {
						rs.next();
						plan = Api.JSON.readTree(rs.getString(1)).get(0).get("Plan");
					}
					String what = search + " with " + mode + ":\n" + plan.toPrettyString();
					softly.assertThat(plan.get("Actual Rows").asInt()).as(what).isEqualTo(51);
					// Each branch reads at most a page.
					softly.assertThat(rowsRead(plan)).as(what).isLessThanOrEqualTo(search.branches() * 51);
					softly.assertThat(plan.toString()).as(what).doesNotContain("Seq Scan");
				}
			}
		});
		softly.assertAll();
	}

	/** Rows the plan's scans of tables read: those they returned, in every loop, and those their filters dropped. */
	private static long rowsRead(JsonNode node) {
		long read = 0;
		if (node.has("Relation Name")) {
			read += node.get("Actual Rows").asLong() * node.get("Actual Loops").asLong();
			read += node.has("Rows Removed by Filter") ? node.get("Rows Removed by Filter").asLong() : 0;
			read += node.has("Rows Removed by Index Recheck") ? node.get("Rows Removed by Index Recheck").asLong() : 0;
		}
		if (node.has("Plans")) {
			for (JsonNode child : node.get("Plans")) {
				read += rowsRead(child);
			}
		}
		return read;
	}

	@FunctionalInterface
	private interface ScratchWork {

		void run(Statement statement) throws Exception;

	}

	/** Runs the work on the scratch tenant, in a transaction that is rolled back. */
	private void onScratchTenant(ScratchWork work) throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				for (String sql : SCRATCH) {
					statement.execute(sql);
				}
				work.run(statement);
			}
			finally {
				connection.rollback();
				try (Statement statement = connection.createStatement()) {
					statement.execute("deallocate all");
				}
				connection.setAutoCommit(true);
			}
		}
	}

}
