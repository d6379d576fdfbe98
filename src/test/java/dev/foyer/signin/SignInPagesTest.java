package dev.foyer.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.util.Cookie;
import org.htmlunit.util.NameValuePair;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import dev.foyer.support.Api;
import dev.foyer.support.Browser;
import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.MailServer;
import dev.foyer.support.Person;
import dev.foyer.support.TestFoyer;
import tools.jackson.databind.JsonNode;

/** The hosted pages as a person (or an attacker) meets them. */
@ContextConfiguration(initializers = TestFoyer.OnH2WithMail.class)
class SignInPagesTest extends FoyerIntegrationTest {

	@Test
	void wrongEmailAndWrongPasswordReadTheSame() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "same", "web");
		t.user("known@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			SignInSupport.signIn(browser, rp, "known@example.com", "wrong password!", "openid");
			String wrongPassword = browser.text().replace("known@example.com", "ADDRESS");
			SignInSupport.signIn(browser, rp, "unknown@example.com", "wrong password!", "openid");
			String wrongEmail = browser.text().replace("unknown@example.com", "ADDRESS");
			assertThat(wrongPassword).contains("The email address or password is incorrect.").isEqualTo(wrongEmail);
			assertThat(browser.url().getPath()).isEqualTo("/t/" + t.tenant + "/login");
		}
	}

	@Test
	void tenPasswordFailuresPauseSignInForKnownAndUnknownAddressesAlike() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "lock", "web");
		t.user("victim@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			for (String email : List.of("victim@example.com", "nobody@example.com")) {
				for (int i = 0; i < 10; i++) {
					SignInSupport.signIn(browser, rp, email, "guess number " + i, "openid");
					assertThat(browser.text()).contains("incorrect");
				}
				AuthenticationResponse locked = null;
				SignInSupport.signIn(browser, rp, email, SignInSupport.PASSWORD, "openid");
				assertThat(browser.status()).isEqualTo(429);
				assertThat(browser.text()).as(email).contains("Too many attempts. Wait 1 minute(s)");
				assertThat(locked).isNull();
			}
			// The admin can see nothing changed in the account.
			assertThat(this.api.get("/api/v1/tenants/" + t.tenant + "/users?search=victim").json().get("items").get(0)
				.get("lastSignInAt").isNull()).isTrue();
		}
	}

	@Test
	void aStrangersGuessesPauseTheAddressButNotTheBrowserItsOwnerSignedInWith() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "known", "web");
		String owner = t.user("owner@example.com");
		t.user("neighbour@example.com");
		OidcClient rp = t.client();
		try (Browser ownersBrowser = new Browser(); Browser stranger = new Browser()) {
			assertThat(SignInSupport.signIn(ownersBrowser, rp, "owner@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).isTrue();
			Cookie known = ownersBrowser.client().getCookieManager().getCookie(KnownBrowsers.COOKIE);
			assertThat(known).isNotNull();
			assertThat(known.isHttpOnly()).isTrue();
			assertThat(known.getValue()).doesNotContain("owner");
			signOut(ownersBrowser);

			for (String email : List.of("owner@example.com", "neighbour@example.com")) {
				for (int i = 0; i < 10; i++) {
					SignInSupport.signIn(stranger, rp, email, "guess number " + i, "openid");
				}
			}
			for (String email : List.of("owner@example.com", "neighbour@example.com")) {
				SignInSupport.signIn(stranger, rp, email, SignInSupport.PASSWORD, "openid");
				assertThat(stranger.status()).as(email).isEqualTo(429);
			}
			// Any browser without the owner's cookie is paused, one with a made-up cookie too.
			try (Browser forged = new Browser()) {
				forged.client().getCookieManager().addCookie(new Cookie(known.getDomain(), KnownBrowsers.COOKIE,
						"AAAAAAAAAAAAAAAAAAAAAA." + "0".repeat(64), known.getPath(), null, false, true));
				SignInSupport.signIn(forged, rp, "owner@example.com", SignInSupport.PASSWORD, "openid");
				assertThat(forged.status()).isEqualTo(429);
			}
			// The owner's browser is known for the owner's address only.
			SignInSupport.signIn(ownersBrowser, rp, "neighbour@example.com", SignInSupport.PASSWORD, "openid");
			assertThat(ownersBrowser.status()).isEqualTo(429);
			assertThat(SignInSupport.signIn(ownersBrowser, rp, "owner@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).as("the owner signs in despite the stranger").isTrue();
			signOut(ownersBrowser);

			// The owner's own failures pause the owner's browser, and only it.
			for (int i = 0; i < 10; i++) {
				SignInSupport.signIn(ownersBrowser, rp, "owner@example.com", "my own typo " + i, "openid");
			}
			SignInSupport.signIn(ownersBrowser, rp, "owner@example.com", SignInSupport.PASSWORD, "openid");
			assertThat(ownersBrowser.status()).isEqualTo(429);
			try (Browser fresh = new Browser()) {
				assertThat(SignInSupport.signIn(fresh, rp, "owner@example.com", SignInSupport.PASSWORD, "openid")
					.indicatesSuccess()).isTrue();
			}
			// An administrator's unlock lifts every count of the address, the known browsers' included.
			for (int i = 0; i < 10; i++) {
				SignInSupport.signIn(ownersBrowser, rp, "owner@example.com", "my own typo " + i, "openid");
			}
			assertThat(this.api.post("/api/v1/tenants/" + t.tenant + "/users/" + owner + "/unlock", Map.of()).status())
				.isEqualTo(204);
			assertThat(SignInSupport.signIn(ownersBrowser, rp, "owner@example.com", SignInSupport.PASSWORD, "openid")
				.indicatesSuccess()).isTrue();
		}
	}

	@Test
	void theOwnerIsToldOnceWhenAStrangersWrongPasswordsPauseTheAddress() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "notice", "web");
		String owner = "noticed." + System.nanoTime() + "@example.com";
		String nobody = "nobody." + System.nanoTime() + "@example.com";
		t.user(owner);
		OidcClient rp = t.client();
		try (Browser ownersBrowser = new Browser(); Browser stranger = new Browser()) {
			// The owner's own typos in a browser known for the address pause that browser only, and tell no one.
			assertThat(SignInSupport.signIn(ownersBrowser, rp, owner, SignInSupport.PASSWORD, "openid").indicatesSuccess())
				.isTrue();
			signOut(ownersBrowser);
			for (int i = 0; i < 11; i++) {
				SignInSupport.signIn(ownersBrowser, rp, owner, "my own typo " + i, "openid");
			}
			assertThat(ownersBrowser.status()).isEqualTo(429);
			deliveriesSent();
			assertThat(MailServer.mailsTo(owner)).isEmpty();

			// A stranger's: one mail at the tenth, none for the attempts refused during the pause, none to nobody.
			for (String email : List.of(owner, nobody)) {
				for (int i = 0; i < 12; i++) {
					SignInSupport.signIn(stranger, rp, email, "guess number " + i, "openid");
				}
				assertThat(stranger.status()).isEqualTo(429);
			}
		}
		deliveriesSent();
		List<String> mails = MailServer.mailsTo(owner);
		assertThat(mails).hasSize(1);
		assertThat(mails.get(0)).contains("Sign-in to your Tenant " + t.tenant + " account is paused after wrong passwords")
			.contains("10 times in 10 minutes")
			.contains("browsers you have signed in with before are not affected");
		assertThat(MailServer.mailsTo(nobody)).isEmpty();
	}

	/** Ends the browser's session, keeping its other cookies, as a sign-out does. */
	private static void signOut(Browser browser) {
		var cookies = browser.client().getCookieManager();
		cookies.removeCookie(cookies.getCookie("foyer_session"));
	}

	@Test
	void aBrowserThatKeepsNoCookiesIsToldSoInsteadOfBeingSentRoundForever() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "nocookies", "web");
		long runsBefore = this.jdbc.sql("select count(*) from flow_run where tenant_id = ?").param(t.tenant).query(Long.class).single();
		for (String page : new String[] { "/login", "/reset" }) {
			try (Browser browser = new Browser()) {
				browser.client().getCookieManager().setCookiesEnabled(false);
				browser.open(this.api.base() + "/t/" + t.tenant + page);
				assertThat(browser.status()).as(page).isEqualTo(400);
				assertThat(browser.text()).as(page).contains("Allow cookies for this site");
			}
		}
		assertThat(this.jdbc.sql("select count(*) from flow_run where tenant_id = ?").param(t.tenant).query(Long.class).single())
			.as("one run per page opened, not one per redirect").isEqualTo(runsBefore + 2);
	}

	@Test
	void formsWithoutTheirCsrfTokenAreRefused() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "csrf", "web");
		t.user("csrf@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			String flow = browser.html().getElementsByName("flow").get(0).getAttribute("value");
			for (String csrf : new String[] { null, "forged" }) {
				WebRequest post = new WebRequest(new java.net.URL(this.api.base() + "/t/" + t.tenant + "/login"), HttpMethod.POST);
				List<NameValuePair> fields = new java.util.ArrayList<>(List.of(new NameValuePair("flow", flow),
						new NameValuePair("email", "csrf@example.com"), new NameValuePair("password", SignInSupport.PASSWORD)));
				if (csrf != null) {
					fields.add(new NameValuePair("csrf", csrf));
				}
				post.setRequestParameters(fields);
				var page = browser.client().getPage(post);
				assertThat(page.getWebResponse().getStatusCode()).isEqualTo(403);
				assertThat(page.getWebResponse().getContentAsString()).contains("could not be accepted").doesNotContain("Exception")
					.as("the tenant's name, as on every page").contains("<title>Something went wrong – Tenant " + t.tenant + "</title>");
			}
			assertThat(browser.client().getCookieManager().getCookie("foyer_session")).isNull();
		}
		// Another browser cannot post into this browser's flow, even with its CSRF token.
		try (Browser first = new Browser(); Browser attacker = new Browser()) {
			first.open(rp.authorizationRequest("openid").toString());
			String flow = first.html().getElementsByName("flow").get(0).getAttribute("value");
			String csrf = first.html().getElementsByName("csrf").get(0).getAttribute("value");
			WebRequest post = new WebRequest(new java.net.URL(this.api.base() + "/t/" + t.tenant + "/login"), HttpMethod.POST);
			post.setRequestParameters(List.of(new NameValuePair("flow", flow), new NameValuePair("csrf", csrf),
					new NameValuePair("email", "csrf@example.com"), new NameValuePair("password", SignInSupport.PASSWORD)));
			assertThat(attacker.client().getPage(post).getWebResponse().getStatusCode()).isEqualTo(400);
		}
	}

	@Test
	void sessionCookieIsHttpOnlyLaxScopedToTheTenantAndNewAtEachSignIn() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "cookie", "web");
		t.user("cookie@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.client().getCookieManager().addCookie(new Cookie("localhost", "foyer_session", "planted-by-attacker",
					"/t/" + t.tenant + "/", null, false));
			assertThat(SignInSupport.signIn(browser, rp, "cookie@example.com", SignInSupport.PASSWORD, "openid").indicatesSuccess())
				.isTrue();
			Cookie session = browser.client().getCookieManager().getCookie("foyer_session");
			assertThat(session.getValue()).isNotEqualTo("planted-by-attacker").hasSize(43);
			assertThat(session.isHttpOnly()).isTrue();
			assertThat(session.getSameSite()).isEqualToIgnoringCase("Lax");
			assertThat(session.getPath()).isEqualTo("/t/" + t.tenant + "/");
			String first = session.getValue();
			SignInSupport.signIn(browser, rp, "cookie@example.com", SignInSupport.PASSWORD, "openid", "prompt", "login");
			assertThat(browser.client().getCookieManager().getCookie("foyer_session").getValue()).isNotEqualTo(first);
		}
	}

	@Test
	void pagesCarrySecurityHeadersLabelsAndTheTenantName() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "headers", "web");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			assertThat(browser.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
			assertThat(browser.header("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(browser.header("Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(browser.text()).contains("Tenant " + t.tenant).contains("Email address").contains("Password");
			// ui_locales chooses the language where Foyer has it.
			browser.open(rp.authorizationRequest("openid", "ui_locales", "fr-CA en").toString());
			assertThat(browser.text()).contains("Adresse e-mail").contains("Mot de passe");
			assertThat(browser.html().getDocumentElement().getAttribute("lang")).isEqualTo("fr");
		}
	}

	@Test
	void aWrongAddressShowsAPageToABrowserAndProblemJsonToAnApp() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "wrongaddress", "web");
		try (Browser browser = new Browser()) {
			browser.open(this.api.base() + "/t/no-such-organisation/login");
			assertThat(browser.status()).isEqualTo(404);
			assertThat(browser.text()).contains("There is no such organisation");
			assertThat(browser.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
			browser.open(this.api.base() + "/t/" + t.tenant + "/no-such-page");
			assertThat(browser.status()).isEqualTo(404);
			assertThat(browser.text()).contains("This page does not exist").contains("Tenant " + t.tenant);
		}
		// An app or a script that asked for JSON still gets problem+json.
		Api.Response app = this.api.get("/t/no-such-organisation/.well-known/openid-configuration", null);
		assertThat(app.status()).isEqualTo(404);
		assertThat(app.header("Content-Type")).startsWith("application/problem+json");
		assertThat(this.api.get("/t/" + t.tenant + "/no-such-page", null).header("Content-Type"))
			.startsWith("application/problem+json");
	}

	@Test
	void blockedAccountsCannotSignInAndTheirRefreshTokensStopAtOnce() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "blocked", "web");
		String user = t.user("blocked@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			OIDCTokenResponse tokens = SignInSupport.tokens(rp,
					SignInSupport.signIn(browser, rp, "blocked@example.com", SignInSupport.PASSWORD, "openid offline_access"));
			this.api.patch("/api/v1/tenants/" + t.tenant + "/users/" + user, Map.of("accountEnabled", false));
			assertThat(rp.token(new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())).indicatesSuccess()).isFalse();
			// The SSO session no longer counts either: the app's next request meets the sign-in page.
			OidcClient next = t.client();
			browser.open(next.authorizationRequest("openid").toString());
			assertThat(browser.showsSignIn(t.tenant)).as(browser.url().toString()).isTrue();
			browser.fill("Email address", "blocked@example.com").fill("Password", SignInSupport.PASSWORD).click("Sign in");
			assertThat(browser.text()).contains("This account is blocked");
		}
	}

	/**
	 * The sign-in post answers with the app's redirect and its code, the authorization request completed inside
	 * the server; what was posted (password, flow run, CSRF token) never reaches the stored authorization.
	 */
	@Test
	void theSignInPostAnswersWithTheCodeAndKeepsNothingOfTheForm() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "direct", "web");
		t.user("direct@example.com");
		Person person = new Person();
		Person.WebApp app = new Person.WebApp(t.tenant, t.app.get("clientId").asString(), t.app.get("clientSecret").asString(),
				t.callback.toString());
		String verifier = Person.random();
		var page = person.get(this.api.base(), Person.authorize(app, app.redirectUri(), Person.challenge(verifier)));
		assertThat(page.statusCode()).isEqualTo(200);
		String flow = Person.field(page.body(), "flow");
		String csrf = Person.field(page.body(), "csrf");

		var posted = person.post(this.api.base(), "/t/" + t.tenant + "/login", Map.of("flow", flow, "csrf", csrf, "email",
				"direct@example.com", "password", SignInSupport.PASSWORD));

		assertThat(posted.statusCode()).isEqualTo(302);
		String location = Person.location(posted);
		assertThat(location).startsWith(app.redirectUri() + "?code=").contains("&state=s1")
			.contains("&iss=" + java.net.URLEncoder.encode(this.api.issuer(t.tenant), java.nio.charset.StandardCharsets.UTF_8));
		String stored = this.jdbc.sql("select attributes from oauth2_authorization where tenant_id = ?")
			.param(t.tenant)
			.query(String.class)
			.single();
		assertThat(stored).contains(app.redirectUri()).doesNotContain(SignInSupport.PASSWORD).doesNotContain(flow)
			.doesNotContain(csrf).doesNotContain("direct@example.com");
		String code = java.net.URLDecoder.decode(location.replaceAll(".*[?&]code=([^&]+).*", "$1"),
				java.nio.charset.StandardCharsets.UTF_8);
		assertThat(Person.exchange(app, this.api.base(), code, verifier).status()).isEqualTo(200);
	}

	/** The sign-up the comparison benchmark drives without a browser ({@link Person#signUp}) keeps up with the pages. */
	@Test
	void aPersonWithoutABrowserSignsUpWithTheMailedCode() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "nobrowser", "web");
		String email = "plain." + System.nanoTime() + "@example.com";
		Person.Tokens tokens = new Person().signUp(new Person.WebApp(t.tenant, t.app.get("clientId").asString(),
				t.app.get("clientSecret").asString(), t.callback.toString()),
				new Person.Newcomer(email, SignInSupport.PASSWORD, "Grace", "Hopper"), MailServer::latestCode, this.api.base());
		assertThat(tokens.status()).isEqualTo(200);
		JsonNode account = this.api.get("/api/v1/tenants/" + t.tenant + "/users?search=plain").json().get("items").get(0);
		assertThat(account.get("email").asString()).isEqualTo(email);
		assertThat(account.get("givenName").asString()).isEqualTo("Grace");
		assertThat(account.get("surname").asString()).isEqualTo("Hopper");
	}

	@Test
	void signUpWithAnAddressThatHasAnAccountLooksTheSameAndMailsTheOwner() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "exists", "web");
		String email = "owner." + System.nanoTime() + "@example.com";
		t.user(email);
		String fresh = "fresh." + System.nanoTime() + "@example.com";
		OidcClient rp = t.client();
		String[] screens = new String[2];
		try (Browser browser = new Browser()) {
			int i = 0;
			for (String address : List.of(email, fresh)) {
				browser.open(rp.authorizationRequest("openid").toString());
				browser.follow("Create one").fill("Email address", address).click("Send code");
				screens[i++] = browser.text().replace(address, "ADDRESS");
			}
		}
		assertThat(screens[0]).isEqualTo(screens[1]).contains("Verification code");
		deliveriesSent();
		List<String> ownerMails = MailServer.mailsTo(email);
		assertThat(ownerMails).hasSize(1);
		assertThat(ownerMails.get(0)).contains("already has one").doesNotContainPattern("\\b\\d{6}\\b");
		assertThat(MailServer.mailsTo(fresh).get(0)).containsPattern("\\b\\d{6}\\b");
	}

	@Test
	void signUpCodesExpireAfterFiveWrongAttemptsAndWeakPasswordsAreRefused() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "codes", "web");
		String email = "codes." + System.nanoTime() + "@example.com";
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			browser.open(rp.authorizationRequest("openid").toString());
			browser.follow("Create one").fill("Email address", email).click("Send code");
			String code = MailServer.latestCode(email);
			String wrong = code.equals("000000") ? "111111" : "000000";
			for (int i = 0; i < 5; i++) {
				browser.fill("Verification code", wrong).click("Verify");
			}
			browser.fill("Verification code", code).click("Verify");
			assertThat(browser.text()).contains("expired or was tried too often");
			// Resending is subject to a cooldown.
			browser.click("Send a new code");
			assertThat(browser.text()).contains("Wait a little");
		}
		try (Browser browser = new Browser()) {
			String other = "weak." + System.nanoTime() + "@example.com";
			browser.open(rp.authorizationRequest("openid").toString());
			browser.follow("Create one").fill("Email address", other).click("Send code");
			browser.fill("Verification code", MailServer.latestCode(other)).click("Verify");
			browser.fill("New password", "password1").fill("Given name", "Weak").fill("Surname", "Choice").click("Create account");
			assertThat(browser.text()).contains("most common passwords");
			browser.fill("New password", other).fill("Given name", "Weak").fill("Surname", "Choice").click("Create account");
			assertThat(browser.text()).contains("must not be the email address");
			assertThat(this.api.get("/api/v1/tenants/" + t.tenant + "/users?search=weak").json().get("items")).isEmpty();
		}
	}

	@Test
	void theDevelopmentOutboxDoesNotExistWhenSmtpIsConfigured() {
		assertThat(this.api.get("/dev/outbox", null).status()).isEqualTo(404);
	}

	@Test
	void signOutByHandEndsTheSession() throws Exception {
		SignInSupport t = new SignInSupport(this.api, "signout", "web");
		t.user("out@example.com");
		OidcClient rp = t.client();
		try (Browser browser = new Browser()) {
			SignInSupport.signIn(browser, rp, "out@example.com", SignInSupport.PASSWORD, "openid");
			browser.open(this.api.base() + "/t/" + t.tenant + "/logout");
			assertThat(browser.text()).contains("Do you want to sign out?");
			browser.click("Sign out");
			assertThat(browser.text()).contains("You have signed out.");
			browser.open(t.client().authorizationRequest("openid").toString());
			assertThat(browser.showsSignIn(t.tenant)).as(browser.url().toString()).isTrue();
		}
	}

}
