package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.StatementLog;
import dev.foyer.support.TestFoyer;

/**
 * What a password sign-in asks of the database. Warm, the account's row is read once (its hash and its
 * temporary-password mark together), the failure record only read when the address has no recent failures, the
 * sign-in's time written without dropping the account from memory (the code exchange reads it from there), and the
 * code found once. After failures, a sign-in forgets them: the count toward a lockout starts again.
 */
@ContextConfiguration(initializers = TestFoyer.OnOwnH2.class)
@Import(StatementLog.class)
class SignInStatementsTest extends FoyerIntegrationTest {

	@Autowired
	private StatementLog statements;

	@Test
	void aWarmSignInReadsTheAccountAndItsCodeOnce() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "stmts", "web");
		String email = "statements@example.com";
		String user = "/api/v1/tenants/" + t.tenant + "/users/" + t.user(email);
		OidcClient rp = t.client();
		signInAndExchange(rp, email);
		String firstSignIn = this.api.get(user).json().get("lastSignInAt").asString();

		this.statements.clear();
		signInAndExchange(rp, email);
		List<String> statements = List.copyOf(this.statements.statements());
		assertThat(statements).filteredOn(sql -> sql.matches("(?s).*\\bfrom account\\b(?!_).*")).hasSize(1);
		// The attempt is counted before the password check (an insert, and a select of the others), and forgotten
		// after a good one.
		assertThat(statements).filteredOn(sql -> sql.contains("sign_in_failure"))
			.map(sql -> sql.stripLeading().substring(0, 6))
			.containsExactly("insert", "select", "delete");
		// The code exchange finds its code once, though PKCE's check and the grant both ask for it.
		assertThat(statements)
			.filteredOn(sql -> sql.stripLeading().startsWith("select") && sql.contains("code_sha256 = ?"))
			.hasSize(1);
		// The admin API reads the row: it shows the new sign-in's time.
		assertThat(this.api.get(user).json().get("lastSignInAt").asString()).isNotEqualTo(firstSignIn);
	}

	@Test
	void aSignInAfterFailuresForgetsThem() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "forget", "web");
		String email = "forgetful@example.com";
		t.user(email);
		OidcClient rp = t.client();
		for (int round = 0; round < 2; round++) {
			try (Browser browser = new Browser()) {
				for (int i = 0; i < 9; i++) {
					SignInSupport.signIn(browser, rp, email, "guess " + round + "." + i, "openid");
					assertThat(browser.text()).contains("incorrect");
				}
			}
			this.statements.clear();
			// Nine and nine would pause sign-in if the first success had not forgotten the first nine.
			signInAndExchange(rp, email);
			assertThat(this.statements.writes()).anyMatch(sql -> sql.startsWith("delete from sign_in_failure"));
		}
	}

	private static void signInAndExchange(OidcClient rp, String email) throws Exception {
		try (Browser browser = new Browser()) {
			var response = SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid profile");
			assertThat(response).as(browser.text()).isNotNull();
			assertThat(SignInSupport.tokens(rp, response).getOIDCTokens().getIDToken()).isNotNull();
		}
	}

}
