package dev.foyer.userflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;

import dev.foyer.signin.OidcTestClients;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/** Passwordless sign-in and sign-up with an 8-digit code by mail. */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class EmailOtpTest extends FoyerIntegrationTest {

	private String tenant;

	private JsonNode app;

	@BeforeEach
	void tenant() {
		this.tenant = this.api.newTenant("otp");
		this.app = this.api.post("/api/v1/tenants/" + this.tenant + "/applications", Map.of("displayName", "Shop", "type", "web",
				"redirectUris", List.of(this.api.base() + "/callback"))).json();
	}

	private void useFlow(Map<String, Object> flow) {
		String id = this.api.post("/api/v1/tenants/" + this.tenant + "/userFlows", flow).json().get("id").asString();
		this.api.patch("/api/v1/tenants/" + this.tenant + "/applications/" + this.app.get("id").asString(),
				Map.of("userFlowId", id));
	}

	private static String eightDigitCode(String email) {
		long deadline = System.currentTimeMillis() + 5000;
		while (System.currentTimeMillis() < deadline) {
			List<String> mails = MailServer.mailsTo(email);
			for (int i = mails.size() - 1; i >= 0; i--) {
				Matcher code = MailServer.EIGHT_DIGIT_CODE.matcher(mails.get(i));
				if (code.find()) {
					return code.group(1);
				}
			}
		}
		throw new AssertionError("No 8-digit code mailed to " + email);
	}

	@Test
	void anAccountSignsInWithACodeInsteadOfItsPassword() throws Exception {
		useFlow(Map.of("displayName", "Both", "signInMethods", List.of("emailPassword", "emailOtp")));
		String email = "otp." + System.nanoTime() + "@example.com";
		this.api.post("/api/v1/tenants/" + this.tenant + "/users", Map.of("email", email, "password", "a long passphrase here"));
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			browser.fill("Email address", email).click("Email me a sign-in code");
			String code = eightDigitCode(email);
			browser.fill("Verification code", code).click("Sign in with code");
			var response = AuthenticationResponseParser.parse(browser.url());
			assertThat(response.indicatesSuccess()).as(browser.text()).isTrue();
			assertThat(rp.exchangeForIdClaims(response).getStringListClaim("amr")).containsExactly("otp");
		}
	}

	/**
	 * Each sign-in mails a new code with 5 attempts of its own, so the address's wrong codes count toward its lockout
	 * as wrong passwords do: without it, opening more sign-ins would give a guesser more codes to try.
	 */
	@Test
	void wrongCodesAcrossSignInsCountTowardTheAddressLockout() throws Exception {
		useFlow(Map.of("displayName", "Both", "signInMethods", List.of("emailPassword", "emailOtp")));
		String email = "guessed." + System.nanoTime() + "@example.com";
		this.api.post("/api/v1/tenants/" + this.tenant + "/users", Map.of("email", email, "password", "a long passphrase here"));
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		for (int run = 0; run < 4; run++) {
			try (Browser browser = new Browser()) {
				int mailed = MailServer.mailsTo(email).size();
				browser.open(rp.authorizationRequest("openid").toString());
				browser.fill("Email address", email).click("Email me a sign-in code");
				String code = MailServer.latestAfter(email, mailed, MailServer.EIGHT_DIGIT_CODE);
				if (run < 3) {
					// Three runs of 4 wrong codes: 12 failures, past the 10 that pause the address.
					String wrong = code.startsWith("0") ? "1" + code.substring(1) : "0" + code.substring(1);
					for (int guess = 0; guess < 4; guess++) {
						browser.fill("Verification code", wrong).click("Sign in with code");
					}
					continue;
				}
				browser.fill("Verification code", code).click("Sign in with code");
				assertThat(browser.text()).contains("Too many attempts");
				assertThat(browser.url().getPath()).isNotEqualTo("/callback");
			}
		}
	}

	@Test
	void aNewAddressSignsUpWithoutAPasswordWhereTheFlowIsPasswordless() throws Exception {
		useFlow(Map.of("displayName", "Passwordless", "signInMethods", List.of("emailOtp")));
		String email = "new." + System.nanoTime() + "@example.com";
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			assertThat(browser.text()).doesNotContain("Password").doesNotContain("Forgot password?");
			browser.fill("Email address", email).click("Email me a sign-in code");
			String code = eightDigitCode(email);
			String wrong = code.startsWith("0") ? "1" + code.substring(1) : "0" + code.substring(1);
			browser.fill("Verification code", wrong).click("Sign in with code");
			assertThat(browser.text()).contains("not correct");
			browser.fill("Verification code", code).click("Sign in with code");
			assertThat(browser.text()).doesNotContain("New password");
			browser.fill("Given name", "Pat").fill("Surname", "Less").click("Create account");
			assertThat(AuthenticationResponseParser.parse(browser.url()).indicatesSuccess()).as(browser.text()).isTrue();
		}
		JsonNode user = this.api.get("/api/v1/tenants/" + this.tenant + "/users?search=" + email).json().get("items").get(0);
		assertThat(user.get("hasPassword").asBoolean()).isFalse();
		assertThat(user.get("emailVerified").asBoolean()).isTrue();
		// Password sign-in is not offered, nor accepted, by this flow.
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			assertThat(browser.html().getElementsByName("password")).isEmpty();
		}
	}

	@Test
	void whereSignUpIsClosedAnUnknownAddressGetsNoCodeButTheSameScreens() throws Exception {
		useFlow(Map.of("displayName", "Closed", "signInMethods", List.of("emailOtp"), "selfServiceSignUp", false));
		String known = "member." + System.nanoTime() + "@example.com";
		String unknown = "stranger." + System.nanoTime() + "@example.com";
		this.api.post("/api/v1/tenants/" + this.tenant + "/users", Map.of("email", known));
		var rp = OidcTestClients.client(this.api, this.tenant, this.app);
		String[] screens = new String[2];
		int i = 0;
		for (String email : List.of(known, unknown)) {
			try (Browser browser = new Browser()) {
				browser.open(rp.authorizationRequest("openid").toString());
				browser.fill("Email address", email).click("Email me a sign-in code");
				screens[i++] = browser.text().replace(email, "ADDRESS");
			}
		}
		assertThat(screens[0]).isEqualTo(screens[1]);
		deliveriesSent();
		assertThat(MailServer.mailsTo(known)).hasSize(1);
		assertThat(MailServer.mailsTo(unknown)).isEmpty();
	}

}
