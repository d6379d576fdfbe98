package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;

/** Self-service password reset, and the admin's session revocation and unlock. */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class PasswordResetTest extends FoyerIntegrationTest {

	@Test
	void resetRevokesEverySessionAndRefreshTokenAndTellsTheOwner() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "reset", "web");
		String email = "forgetful." + System.nanoTime() + "@example.com";
		t.user(email);
		OidcClient rp = t.client();
		try (Browser laptop = new Browser(); Browser phone = new Browser()) {
			OIDCTokenResponse laptopTokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(laptop, rp, email, SignInSupport.PASSWORD, "openid offline_access"));

			OidcClient phoneRp = t.client();
			phone.open(phoneRp.authorizationRequest("openid").toString());
			phone.follow("Forgot password?").fill("Email address", email).click("Send code");
			phone.fill("Verification code", MailServer.latestCode(email)).click("Verify");
			phone.fill("New password", "password").click("Set password");
			assertThat(phone.text()).contains("most common passwords");
			phone.fill("New password", "a brand new passphrase").click("Set password");
			var response = AuthenticationResponseParser.parse(phone.url());
			assertThat(response.indicatesSuccess()).as(phone.text()).isTrue();
			assertThat(SignInSupport.tokens(phoneRp, response).getOIDCTokens().getIDToken()).isNotNull();

			// The laptop's refresh token and SSO session are gone.
			assertThat(rp.token(new RefreshTokenGrant(laptopTokens.getOIDCTokens().getRefreshToken())).indicatesSuccess())
				.isFalse();
			laptop.open(t.client().authorizationRequest("openid").toString());
			assertThat(laptop.showsSignIn(t.tenant)).as(laptop.url().toString()).isTrue();
			laptop.fill("Email address", email).fill("Password", SignInSupport.PASSWORD).click("Sign in");
			assertThat(laptop.text()).contains("incorrect");
			laptop.fill("Email address", email).fill("Password", "a brand new passphrase").click("Sign in");
			assertThat(laptop.url().getPath()).isEqualTo("/callback");
		}
		assertThat(MailServer.mailsTo(email)).anyMatch(mail -> mail.contains("password was changed"));
	}

	/** Each reset mails a new code with 5 attempts of its own; the address's wrong codes count toward its lockout. */
	@Test
	void wrongCodesAcrossResetsCountTowardTheAddressLockout() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "reset-guess", "web");
		String email = "guessed." + System.nanoTime() + "@example.com";
		t.user(email);
		for (int run = 0; run < 4; run++) {
			try (Browser browser = new Browser()) {
				int mailed = MailServer.mailsTo(email).size();
				browser.open(this.api.base() + "/t/" + t.tenant + "/reset");
				browser.fill("Email address", email).click("Send code");
				String code = MailServer.latestAfter(email, mailed, MailServer.SIX_DIGIT_CODE);
				if (run < 3) {
					// Three resets of 4 wrong codes: 12 failures, past the 10 that pause the address.
					String wrong = code.equals("000000") ? "111111" : "000000";
					for (int guess = 0; guess < 4; guess++) {
						browser.fill("Verification code", wrong).click("Verify");
					}
					continue;
				}
				browser.fill("Verification code", code).click("Verify");
				assertThat(browser.text()).contains("Too many attempts").doesNotContain("New password");
			}
		}
	}

	@Test
	void anAddressWithoutAnAccountSeesTheSameScreensAndGetsNoMail() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "reset2", "web");
		String known = "known." + System.nanoTime() + "@example.com";
		String unknown = "unknown." + System.nanoTime() + "@example.com";
		t.user(known);
		String[] screens = new String[2];
		int i = 0;
		for (String email : List.of(known, unknown)) {
			try (Browser browser = new Browser()) {
				browser.open(this.api.base() + "/t/" + t.tenant + "/reset");
				browser.fill("Email address", email).click("Send code");
				screens[i++] = browser.text().replace(email, "ADDRESS");
				browser.fill("Verification code", "123456").click("Verify");
				assertThat(browser.text()).contains("not correct");
			}
		}
		assertThat(screens[0]).isEqualTo(screens[1]);
		deliveriesSent();
		assertThat(MailServer.mailsTo(known)).hasSize(1);
		assertThat(MailServer.mailsTo(unknown)).isEmpty();
	}

	@Test
	void adminsSetTemporaryPasswordsThatTheNextSignInMustReplace() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "temp", "web");
		String email = "temp." + System.nanoTime() + "@example.com";
		String user = t.user(email);
		String users = "/api/v1/tenants/" + t.tenant + "/users/" + user;
		assertThat(this.api.post(users + "/resetPassword", Map.of("mode", "sometimes")).status()).isEqualTo(400);
		String temporary = this.api.post(users + "/resetPassword", Map.of("mode", "temporary")).json()
			.get("temporaryPassword").asString();
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			assertThat(SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid")).isNull();
			SignInSupport.signIn(browser, rp, email, temporary, "openid");
			assertThat(browser.text()).contains("Choose your own");
			browser.fill("New password", "password1").click("Set password");
			assertThat(browser.text()).contains("most common");
			browser.fill("New password", "my very own passphrase").click("Set password");
			assertThat(browser.url().getPath()).isEqualTo("/callback");
			assertThat(SignInSupport.signIn(browser, rp, email, "my very own passphrase", "openid", "prompt", "login")
				.indicatesSuccess()).isTrue();
			// A temporary password replaced by an admin's PATCH is no longer temporary either.
			this.api.post(users + "/resetPassword", Map.of("mode", "temporary"));
			this.api.patch(users, Map.of("password", "set by the admin for good"));
			assertThat(SignInSupport.signIn(browser, rp, email, "set by the admin for good", "openid", "prompt", "login")
				.indicatesSuccess()).isTrue();
		}
		assertThat(this.api.post(users + "/resetPassword", Map.of("mode", "email")).status()).isEqualTo(202);
		assertThat(MailServer.mailsTo(email)).anyMatch(mail -> mail.contains("/t/" + t.tenant + "/reset"));
	}

	@Test
	void adminsRevokeSessionsAndLiftLockouts() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "adminrev", "web");
		String email = "managed." + System.nanoTime() + "@example.com";
		String user = t.user(email);
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse tokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid offline_access"));
			String users = "/api/v1/tenants/" + t.tenant + "/users/" + user;
			assertThat(this.api.post(users + "/revokeSignInSessions", Map.of()).status()).isEqualTo(204);
			assertThat(rp.token(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();

			for (int i = 0; i < 10; i++) {
				SignInSupport.signIn(browser, rp, email, "wrong guess " + i, "openid");
			}
			SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid");
			assertThat(browser.text()).contains("Too many attempts");
			assertThat(this.api.post(users + "/unlock", Map.of()).status()).isEqualTo(204);
			assertThat(SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid").indicatesSuccess()).isTrue();
			assertThat(this.api.get("/api/v1/tenants/" + t.tenant + "/auditLogs?targetId=" + user).json().get("items")
				.valueStream().map(e -> e.get("action").asString())).contains("user.revokeSessions", "user.unlock");
		}
	}

}
